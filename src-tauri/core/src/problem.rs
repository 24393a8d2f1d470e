//! What is wrong with a value, as data: the window words it in the dealer's language from
//! `kind` and the values beside it; `Display` is the English sentence the `loupe` command and
//! the logs use.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::import::DateOrder;
use crate::model::Channel;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Problem {
    NameMissing,
    TooLong {
        #[ts(type = "number")]
        max_chars: usize,
    },
    NotALanguage {
        value: String,
    },
    EmailEmpty,
    NotAnEmail {
        value: String,
    },
    ListedTwice {
        value: String,
    },
    NotAPhone {
        value: String,
    },
    /// A national number that is not valid in the book's (or the import's) region.
    PhoneNotInRegion {
        value: String,
        region: String,
    },
    OccasionUnnamed,
    SelfReferral,
    NoSuchCustomer {
        #[ts(type = "number")]
        id: i64,
    },
    NotAWristSize {
        value: String,
    },
    NotACurrency {
        value: String,
    },
    NegativePrice,
    PriceRangeReversed,
    ConsentTwice {
        channel: Channel,
    },
    AmountOutOfRange {
        value: String,
    },
    /// An amount past what the book can count in (about 900 trillion).
    AmountTooLarge {
        value: String,
    },
    TooManyDecimals,
    NotAnAmount {
        value: String,
    },
    /// An amount whose digits are grouped other than in threes ("12,34,567"): not guessed at.
    AmountGroups {
        value: String,
    },
    NotADate {
        value: String,
    },
    /// A date that does not exist when read in the column's order ("31/02/1990").
    NotADateInOrder {
        value: String,
        order: DateOrder,
    },
    NotYesOrNo {
        value: String,
    },
    /// An import row with nothing that says who it is.
    NoNameEmailOrPhone,
    /// A quoted field of an import file that is never closed.
    UnclosedQuote,
    /// An import row with more or fewer fields than the header.
    FieldCount {
        #[ts(type = "number")]
        found: usize,
        #[ts(type = "number")]
        expected: usize,
    },
    /// What makes a whole file impossible to import (`Error::ImportFile`).
    FileEmpty,
    NotText,
    UnknownEncoding {
        name: String,
    },
    Undecodable {
        encoding: String,
    },
    NotAColumnSeparator {
        value: String,
    },
    NoHeaderLine,
    RecordTooLong,
    MappingDoesNotFit {
        columns: String,
    },
    NoIdentifyingColumn {
        columns: String,
    },
    /// A workbook Excel or LibreOffice locked with a password.
    WorkbookLocked,
    /// A workbook that cannot be read (damaged, or a zip that is no workbook).
    WorkbookUnreadable {
        reason: String,
    },
    NoSuchSheet {
        sheet: String,
        sheets: String,
    },
    SheetEmpty {
        sheet: String,
    },
    /// A vCard file with no card in it.
    NoCards,
    /// A workbook's cell holding an error (`#N/A`, `#VALUE!`).
    SpreadsheetError {
        value: String,
    },
    /// A vCard with no name, email or phone: the card's number in the file.
    CardNamesNoOne {
        #[ts(type = "number")]
        card: u64,
    },
    /// A vCard property the book has no field for (URL, NICKNAME …), kept in the note.
    NoFieldForProperty {
        property: String,
    },
    NoteEmpty,
    InteractionUnsummarised,
    WishUnnamed,
    WishClosedBeforeMade,
    NotAScore {
        value: u8,
    },
    SaleWithoutItems,
    DiscountAbovePrice,
    SaleTotalTooLarge,
    /// The payments and allowances come to more than the sale's total.
    Overpaid {
        total: String,
        paid: String,
    },
    /// A collected sale must be paid in full.
    BalanceDue {
        balance: String,
    },
    PaymentNotPositive,
    CollectedBeforeSale,
    AlreadyCollected,
    TradeInUnnamed,
    NotACountry {
        value: String,
    },
    BackupsToKeepOutOfRange,
    /// A number of the standing rules outside what it may be.
    StandingNumberOutOfRange {
        min: u32,
        max: u32,
    },
    /// The key customers' share must be below the main customers'.
    StandingKeyNotBelowMain,
    /// Lapsed must come after at risk: more months without a purchase.
    StandingLapsedNotAfterAtRisk,
    /// An RFM band's limits must each be higher than the one before.
    StandingLimitsNotAscending,
    OtherBackupsToKeepOutOfRange,
    OffsiteReminderDaysOutOfRange,
    /// A number of the membership rules outside what it may be.
    MembershipNumberOutOfRange {
        #[ts(type = "number")]
        min: i64,
        #[ts(type = "number")]
        max: i64,
    },
    PercentOutOfRange,
    /// A tier's key is not lower-case letters, digits, `-` and `_`.
    TierKeyInvalid {
        value: String,
    },
    TierNameMissing,
    /// A tier needs a spend or a number of purchases to qualify.
    TierWithoutThreshold,
    /// An exchange rate for the book's own currency.
    RateForBookCurrency,
    RateNotPositive,
    /// The loyalty programme is switched off.
    MembershipOff,
    /// Fewer points than asked for are available.
    PointsShort {
        #[ts(type = "number")]
        balance: i64,
        #[ts(type = "number")]
        asked: i64,
    },
    PointsZero,
    PointsReasonMissing,
    /// Points are worth an amount of the book's currency: they are redeemed on its sales only.
    RedemptionInOtherCurrency {
        currency: String,
    },
    /// Points redeemed are worth `expected` at the book's rate, not the value sent.
    RedemptionValueWrong {
        points: u32,
        expected: String,
    },
    /// Points redeemed worth more than the items come to.
    RedemptionAboveTotal {
        total: String,
    },
    /// An item's member discount differs from its percentage of the price.
    MemberDiscountMismatch {
        percent: String,
        expected: String,
    },
    /// A follow-up rule's number of days or years outside what it allows.
    FollowUpNumberOutOfRange {
        #[ts(type = "number")]
        min: i64,
        #[ts(type = "number")]
        max: i64,
    },
    /// A service interval without the brand it is for.
    ServiceBrandMissing,
    ReminderTitleMissing,
    /// A reminder done, dismissed or snoozed once it is no longer open.
    ReminderNotOpen,
    /// Only a reminder the dealer typed can be edited or deleted; a rule's is dismissed.
    ReminderRuleMade,
    /// A snooze to a day that is not after today.
    SnoozeNotAfterToday,
    /// The agenda looks this many days ahead at most.
    AgendaDaysOutOfRange {
        #[ts(type = "number")]
        max: i64,
    },
    /// An arrival needs a brand, a reference, a category or a material to be matched.
    ArrivalNothingToMatch,
    /// A period that ends before it begins.
    PeriodReversed,
    CampaignNameMissing,
    /// No folder was chosen for "Back up to…".
    OffsiteFolderNotChosen,
    /// The folder chosen for "Back up to…" is not there (a drive not plugged in).
    OffsiteFolderMissing {
        folder: String,
    },
    /// The folder chosen for "Back up to…" cannot be written to.
    OffsiteFolderNotWritable {
        folder: String,
    },
    SpendRangeReversed,
    MailchimpNeedsEmail,
    /// Address labels are printed only from a postal mailing list.
    LabelsNeedPost,
    NotAListSeparator {
        value: String,
    },
    NotOneCharacter {
        value: String,
    },
    /// Undoing an import that merged a whole book.
    ImportIsBookMerge {
        #[ts(type = "number")]
        batch_id: i64,
    },
    /// A customer merged with themselves.
    MergeWithItself {
        #[ts(type = "number")]
        id: i64,
    },
    MergeAlreadyUndone {
        #[ts(type = "number")]
        merge_id: i64,
        /// RFC 3339.
        when: String,
    },
    /// The kept customer of a merge was erased, deleted or merged into another since.
    MergeKeptGone {
        #[ts(type = "number")]
        merge_id: i64,
        #[ts(type = "number")]
        kept_id: i64,
    },
    ImportAlreadyUndone {
        #[ts(type = "number")]
        batch_id: i64,
        /// RFC 3339.
        when: String,
    },
    NotAFolder {
        path: String,
    },
    FolderNotEmpty {
        path: String,
    },
    // Audiences and saved segments (audience.rs).
    /// A saved segment needs a name.
    SegmentNameMissing,
    /// Another saved segment, or a built-in one, has this name (case ignored).
    SegmentNameTaken {
        name: String,
    },
    /// A saved segment's filter names a saved segment: segments are not made of segments.
    SegmentInSegment,
    /// A saved segment's filter holds a search: what was typed in the search box is not kept.
    SegmentHoldsSearch,
    /// A filter names a saved segment that is not in the book (deleted since).
    NoSuchSavedSegment {
        #[ts(type = "number")]
        id: i64,
    },
    /// A segment's name that is neither built in nor saved; `known` lists those there are.
    NoSuchSegment {
        name: String,
        known: String,
    },
    /// Any other problem, in English only.
    Other {
        message: String,
    },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::NameMissing => write!(f, "a customer needs a name"),
            Problem::TooLong { max_chars } => write!(f, "is longer than {max_chars} characters"),
            Problem::NotALanguage { value } => {
                write!(f, "'{value}' is not a language code (use e.g. en, zh-Hans, de-CH)")
            }
            Problem::EmailEmpty => write!(f, "the email address is empty"),
            Problem::NotAnEmail { value } => write!(f, "'{value}' is not an email address"),
            Problem::ListedTwice { value } => write!(f, "{value} is listed twice"),
            Problem::NotAPhone { value } => write!(f, "'{value}' is not a phone number"),
            Problem::PhoneNotInRegion { value, region } => write!(
                f,
                "'{value}' is not a valid phone number in {region} (a number from another country needs its country code, starting with +)"
            ),
            Problem::OccasionUnnamed => {
                write!(f, "say what the occasion is (e.g. \"daughter's graduation\")")
            }
            Problem::SelfReferral => write!(f, "a customer cannot refer themselves"),
            Problem::NoSuchCustomer { id } => write!(f, "customer {id} does not exist"),
            Problem::NotAWristSize { value } => write!(f, "{value} cm is not a wrist size (8 to 35 cm)"),
            Problem::NotACurrency { value } => {
                write!(f, "'{value}' is not an ISO currency code such as GBP or EUR")
            }
            Problem::NegativePrice => write!(f, "a price cannot be negative"),
            Problem::PriceRangeReversed => write!(f, "the upper price is below the lower one"),
            Problem::ConsentTwice { channel } => write!(f, "{channel} consent is given twice"),
            Problem::AmountOutOfRange { value } => {
                write!(f, "{value} is not an amount between 0 and 1,000,000,000")
            }
            Problem::AmountTooLarge { value } => write!(f, "{value} is too large"),
            Problem::TooManyDecimals => write!(f, "use at most four decimal places"),
            Problem::NotAnAmount { value } => {
                write!(f, "'{value}' is not an amount (write it as 9150, 9,150 or 9,150.00)")
            }
            Problem::AmountGroups { value } => {
                write!(f, "'{value}' groups its digits other than in threes: write 1234567 or 1,234,567")
            }
            Problem::NotADate { value } => write!(f, "'{value}' is not a date"),
            Problem::NotADateInOrder { value, order } => {
                let shape = match order {
                    DateOrder::DayFirst => "day/month/year",
                    DateOrder::MonthFirst => "month/day/year",
                };
                write!(f, "'{value}' is not a date read as {shape}")
            }
            Problem::NotYesOrNo { value } => write!(f, "'{value}' is not a yes or no"),
            Problem::NoNameEmailOrPhone => write!(f, "no name, email or phone"),
            Problem::UnclosedQuote => {
                write!(f, "a quoted field is not closed (the lines after it were read on their own)")
            }
            Problem::FieldCount { found, expected } => {
                write!(f, "{found} fields where the header has {expected}")
            }
            Problem::FileEmpty => write!(f, "the file is empty"),
            Problem::NotText => write!(f, "this is not a text file, a workbook or a vCard file"),
            Problem::UnknownEncoding { name } => write!(f, "'{name}' is not an encoding Loupe knows"),
            Problem::Undecodable { encoding } => write!(
                f,
                "the file cannot be read as {encoding} (choose its encoding, e.g. UTF-8, Windows-1252 or GB18030)"
            ),
            Problem::NotAColumnSeparator { value } => write!(f, "'{value}' cannot separate columns"),
            Problem::NoHeaderLine => write!(f, "the file has no header line"),
            Problem::RecordTooLong => write!(f, "a record runs past 1 MiB"),
            Problem::MappingDoesNotFit { columns } => {
                write!(f, "the mapping does not fit this file's columns ({columns})")
            }
            Problem::NoIdentifyingColumn { columns } => {
                write!(f, "no column holds a name, an email or a phone number (the columns are: {columns})")
            }
            Problem::WorkbookLocked => {
                write!(f, "the workbook is locked with a password (save a copy without one and import that)")
            }
            Problem::WorkbookUnreadable { reason } => write!(f, "the workbook cannot be read ({reason})"),
            Problem::NoSuchSheet { sheet, sheets } => {
                write!(f, "the workbook has no sheet '{sheet}' (its sheets are: {sheets})")
            }
            Problem::SheetEmpty { sheet } if sheet.is_empty() => write!(f, "the workbook has no sheet"),
            Problem::SheetEmpty { sheet } => write!(f, "the sheet '{sheet}' is empty"),
            Problem::NoCards => write!(f, "the file holds no vCard"),
            Problem::SpreadsheetError { value } => write!(f, "the cell holds the spreadsheet error {value}"),
            Problem::CardNamesNoOne { card } => write!(f, "card {card} has no name, email or phone"),
            Problem::NoFieldForProperty { property } => {
                write!(f, "the vCard's {property} has no field in a customer's profile")
            }
            Problem::NoteEmpty => write!(f, "write the note"),
            Problem::InteractionUnsummarised => write!(f, "say what it was about"),
            Problem::WishUnnamed => write!(f, "say what the customer is looking for"),
            Problem::WishClosedBeforeMade => write!(f, "a wish cannot close before it was made"),
            Problem::NotAScore { value } => write!(f, "{value} is not a score from 1 to 5"),
            Problem::SaleWithoutItems => write!(f, "a sale needs at least one item"),
            Problem::DiscountAbovePrice => write!(f, "the discount must be between 0 and the price"),
            Problem::SaleTotalTooLarge => write!(f, "the sale's total is too large"),
            Problem::Overpaid { total, paid } => {
                write!(f, "the payments and trade-ins come to {paid}, more than the sale's total of {total}")
            }
            Problem::BalanceDue { balance } => {
                write!(f, "{balance} is still due: take the balance, or mark the sale as awaiting collection")
            }
            Problem::PaymentNotPositive => write!(f, "a payment must be more than 0"),
            Problem::CollectedBeforeSale => write!(f, "the piece cannot be collected before the sale"),
            Problem::AlreadyCollected => write!(f, "this sale was already collected"),
            Problem::TradeInUnnamed => {
                write!(f, "say what the trade-in is: a brand, model, reference, serial or description")
            }
            Problem::NotACountry { value } => {
                write!(f, "'{value}' is not a country code (use two letters such as GB, CH, CN)")
            }
            Problem::BackupsToKeepOutOfRange => write!(f, "keep between 1 and 365 daily backups"),
            Problem::StandingNumberOutOfRange { min, max } => write!(f, "use a number from {min} to {max}"),
            Problem::StandingKeyNotBelowMain => {
                write!(f, "the key customers' share must be below the main customers' share")
            }
            Problem::StandingLapsedNotAfterAtRisk => {
                write!(f, "lapsed must take more months without a purchase than at risk")
            }
            Problem::StandingLimitsNotAscending => {
                write!(f, "each limit must be higher than the one before it")
            }
            Problem::OtherBackupsToKeepOutOfRange => write!(f, "keep between 1 and 365 other backups"),
            Problem::MembershipNumberOutOfRange { min, max } => write!(f, "use a number from {min} to {max}"),
            Problem::PercentOutOfRange => write!(f, "use a percentage from 0 to 100"),
            Problem::TierKeyInvalid { value } => {
                write!(f, "'{value}' is not a tier key (use lower-case letters, digits, - and _)")
            }
            Problem::TierNameMissing => write!(f, "name the tier"),
            Problem::TierWithoutThreshold => {
                write!(f, "say what it takes to qualify: a spend, a number of purchases, or both")
            }
            Problem::RateForBookCurrency => write!(f, "the book's own currency needs no rate"),
            Problem::RateNotPositive => write!(f, "a rate must be more than 0"),
            Problem::MembershipOff => {
                write!(f, "the membership programme is switched off (Settings → Membership)")
            }
            Problem::PointsShort { balance, asked } => {
                write!(f, "only {balance} points are available, {asked} asked for")
            }
            Problem::PointsZero => write!(f, "give a number of points other than 0"),
            Problem::PointsReasonMissing => write!(f, "say why the points change"),
            Problem::RedemptionInOtherCurrency { currency } => {
                write!(f, "points are redeemed on sales in the book's currency, not in {currency}")
            }
            Problem::RedemptionValueWrong { points, expected } => {
                write!(f, "{points} points are worth {expected} at the book's rate")
            }
            Problem::RedemptionAboveTotal { total } => {
                write!(f, "the points are worth more than the items come to ({total})")
            }
            Problem::MemberDiscountMismatch { percent, expected } => {
                write!(f, "a member discount of {percent} % on this price is {expected}")
            }
            Problem::OffsiteReminderDaysOutOfRange => {
                write!(f, "remind after between 1 and 365 days")
            }
            Problem::FollowUpNumberOutOfRange { min, max } => write!(f, "give a number from {min} to {max}"),
            Problem::ServiceBrandMissing => write!(f, "name the brand this interval is for"),
            Problem::ReminderTitleMissing => write!(f, "say what the reminder is for"),
            Problem::ReminderNotOpen => write!(f, "this reminder is already done or dismissed"),
            Problem::ReminderRuleMade => {
                write!(f, "a reminder made by a follow-up rule cannot be edited or deleted: dismiss it")
            }
            Problem::SnoozeNotAfterToday => write!(f, "snooze to a day after today"),
            Problem::AgendaDaysOutOfRange { max } => write!(f, "the agenda looks at most {max} days ahead"),
            Problem::PeriodReversed => write!(f, "the period ends before it begins"),
            Problem::CampaignNameMissing => write!(f, "name the campaign"),
            Problem::ArrivalNothingToMatch => {
                write!(f, "give the piece's brand, reference, category or material to find who it suits")
            }
            Problem::OffsiteFolderNotChosen => write!(f, "choose a folder to back up to first"),
            Problem::OffsiteFolderMissing { folder } => {
                write!(f, "{folder} is not there: is the drive plugged in?")
            }
            Problem::OffsiteFolderNotWritable { folder } => write!(f, "{folder} cannot be written to"),
            Problem::SpendRangeReversed => write!(f, "the highest spend is below the lowest"),
            Problem::MailchimpNeedsEmail => {
                write!(f, "a Mailchimp list is an email list: choose the email channel")
            }
            Problem::LabelsNeedPost => write!(f, "address labels are for post: choose the post channel"),
            Problem::NotAListSeparator { value } => {
                write!(f, "'{value}' is not a list separator (use , or ;)")
            }
            Problem::NotOneCharacter { value } => write!(f, "'{value}' is not one character"),
            Problem::ImportIsBookMerge { batch_id } => {
                write!(f, "import {batch_id} merged a whole book and cannot be undone")
            }
            Problem::MergeWithItself { id } => write!(f, "customer {id} cannot be merged with themselves"),
            Problem::MergeAlreadyUndone { merge_id, when } => {
                write!(f, "merge {merge_id} was already undone on {when}")
            }
            Problem::MergeKeptGone { merge_id, kept_id } => write!(
                f,
                "merge {merge_id} cannot be undone: customer {kept_id}, who was kept, is no longer in the \
                 book (erased, deleted, or merged into someone else: undo that merge first)"
            ),
            Problem::ImportAlreadyUndone { batch_id, when } => {
                write!(f, "import {batch_id} was already undone on {when}")
            }
            Problem::NotAFolder { path } => write!(f, "{path} is not a folder"),
            Problem::FolderNotEmpty { path } => {
                write!(f, "{path} already holds files; export into a new or empty folder")
            }
            Problem::SegmentNameMissing => write!(f, "a saved segment needs a name"),
            Problem::SegmentNameTaken { name } => write!(f, "a segment named '{name}' already exists"),
            Problem::SegmentInSegment => {
                write!(f, "a saved segment cannot include another saved segment: choose its filters instead")
            }
            Problem::SegmentHoldsSearch => {
                write!(f, "a saved segment cannot hold a search: clear the search box first")
            }
            Problem::NoSuchSavedSegment { id } => write!(f, "saved segment {id} is no longer in the book"),
            Problem::NoSuchSegment { name, known } => {
                write!(f, "there is no segment named '{name}' (the segments are: {known})")
            }
            Problem::Other { message } => f.write_str(message),
        }
    }
}

impl From<String> for Problem {
    fn from(message: String) -> Self {
        Problem::Other { message }
    }
}

impl From<&str> for Problem {
    fn from(message: &str) -> Self {
        Problem::Other { message: message.to_string() }
    }
}
