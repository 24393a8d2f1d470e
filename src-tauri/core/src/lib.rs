//! Loupe's core: the customer book of a watch and jewellery dealer.
//!
//! Everything the product does lives here, behind [`Book`]; the desktop window and the `loupe`
//! command are thin faces over it. This crate must never depend on Tauri or a GUI library.

mod agenda;
pub mod amount;
mod arrivals;
mod audience;
pub mod backup;
pub mod clock;
mod csv_file;
mod customers;
pub mod demo;
pub mod erasure;
mod error;
mod evaluation;
pub mod fold;
mod history;
pub mod import;
mod insights;
mod mailing;
pub mod matching;
mod membership;
pub mod merge;
pub mod model;
pub mod offsite;
mod partial_date;
pub mod phone;
mod points;
mod print;
mod private_files;
pub mod problem;
mod purchases;
mod search;
pub mod session;
mod settings;
mod standing;
mod store;
pub mod transfer;
mod validate;

pub use agenda::reminder_title;
pub use clock::today;
pub use error::{Error, ErrorCode, ErrorPayload, Result};
pub use history::TimelineEntry;
pub use insights::write_table_csv;
pub use membership::member_discount_amount;
pub use partial_date::PartialDate;
pub use points::redemption_value;
pub use purchases::totals_of;
pub use standing::money;
pub use store::{
    APP_IDENTIFIER, Book, create_book_at_schema, default_path, schema_version, waiting_for_another_job,
};
pub use validate::parse_amount;

/// Renders every type the UI receives as TypeScript, keyed by file name, for
/// `ui/src/lib/bindings/`. A test compares them with the committed files.
pub fn typescript_bindings() -> Vec<(String, String)> {
    use ts_rs::TS;
    let cfg = ts_rs::Config::default();
    let mut files = Vec::new();
    macro_rules! render {
        ($($ty:ty),+ $(,)?) => {$(
            files.push((
                format!("{}.ts", <$ty>::ident(&cfg)),
                <$ty>::export_to_string(&cfg).unwrap_or_else(|error| format!("// {error}")),
            ));
        )+};
    }
    use model::*;
    render!(
        AboutLoupe,
        AddressEntry,
        BookInfo,
        BookSettings,
        BookStats,
        Channel,
        Consent,
        ConsentStatus,
        ContactMethod,
        Customer,
        CustomerDraft,
        CustomerRow,
        CustomerType,
        EmailEntry,
        ErrorCode,
        ErrorPayload,
        problem::Problem,
        Influence,
        Segment,
        ValueClass,
        RfmMethod,
        RfmGroup,
        Rfm,
        BoughtMost,
        StandingReason,
        Standing,
        StandingMove,
        StandingChange,
        StandingRules,
        CustomerFilter,
        SavedSegment,
        SegmentCount,
        StandingRefresh,
        TierName,
        Tier,
        ExchangeRate,
        MembershipRules,
        TierLabel,
        MemberDiscount,
        PointsRedemption,
        TierReason,
        TierChange,
        NextTier,
        UncountedSpend,
        Membership,
        PointsKind,
        PointsEntry,
        PointsLedger,
        PointsDraft,
        TierCount,
        MembershipOverview,
        NamedTierChange,
        ReminderKind,
        ReminderState,
        RepeatUnit,
        LeapDayRule,
        ChannelConsent,
        AgendaSection,
        Repeat,
        ServiceInterval,
        FollowUpRules,
        PieceLabel,
        ReminderReason,
        Reminder,
        ReminderDraft,
        ReminderDone,
        ReminderSnooze,
        ReminderClosed,
        AgendaItem,
        Agenda,
        AgendaCounts,
        AgendaRefresh,
        ArrivalDraft,
        Arrival,
        ArrivalReason,
        ArrivalMatch,
        ArrivalMatches,
        InsightsQuery,
        CurrencyTotal,
        PeriodFigures,
        MonthFigures,
        Cohort,
        RankedTotal,
        Insights,
        CampaignChannel,
        CampaignDraft,
        Campaign,
        ExpenseDraft,
        Expense,
        CsvTable,
        CampaignResult,
        ListPage,
        ListQuery,
        ListSort,
        SearchResults,
        PieceMatch,
        PieceField,
        Occasion,
        OccasionKind,
        PartialDate,
        PhoneEntry,
        Preferences,
        RingSize,
        RingSizeSystem,
        Source,
        TagCount,
        CustomerTotals,
        ItemCategory,
        ItemCondition,
        PaymentMethod,
        Purchase,
        PurchaseDraft,
        PurchaseItem,
        SalePayment,
        TradeIn,
        SaleCollection,
        SaleChannel,
        SpendSummary,
        NoteCategory,
        NoteDraft,
        Note,
        InteractionKind,
        InteractionResponse,
        Direction,
        InteractionDraft,
        Interaction,
        WishStatus,
        WishDraft,
        Wish,
        OpenWish,
        SatisfactionDraft,
        SatisfactionScore,
        CustomerStory,
        EntryKind,
        EntryDraft,
        MailingChannel,
        MailingFormat,
        MailingFilter,
        MailingFileOptions,
        MailingRow,
        MailingPreview,
        MailingExport,
        LabelLayout,
        LabelsExport,
        PrintLanguage,
        CampaignContacts,
        JobProgress,
    );
    render!(
        backup::BackupKind,
        backup::BackupInfo,
        backup::BackupContents,
        backup::RecoverySummary,
        backup::BackupFailure,
        backup::BackupFailureKind,
        offsite::OffsiteStatus,
        backup::RestoreSummary,
        backup::DamagedBook,
        erasure::ErasureSummary,
        matching::PossibleDuplicate,
        merge::MergeCounts,
        merge::KeptApart,
        merge::ConsentOutcome,
        merge::MergePlan,
        merge::MergeRecord,
        merge::UndoMergeSummary,
        merge::DuplicatePair,
        merge::DuplicatePairs,
    );
    use import::*;
    render!(
        FileKind,
        WorkbookFormat,
        AddressPart,
        ColumnMapping,
        Conflict,
        DateColumn,
        DateDecision,
        DateOrder,
        ImportBatch,
        ImportCounts,
        ImportOptions,
        ImportPreview,
        ImportProgress,
        ImportSummary,
        ImportWarning,
        MatchReason,
        PreviewRow,
        RejectedRow,
        RejectedRowsWording,
        RowOutcome,
        Target,
        UndoSummary,
        WarningAction,
    );
    use transfer::*;
    render!(
        BookExportSummary,
        BookImportOptions,
        BookImportSummary,
        BookManifest,
        ManifestFile,
        TransferProgress,
        TransferStage,
    );
    files
}
