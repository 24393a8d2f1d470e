//! The core's values that name files, as the window gets them: a token (to inspect or restore
//! a backup) in place of each path, so the webview never handles one. Their TypeScript goes to
//! `ui/src/lib/bindings/shell/`.

use chrono::{DateTime, Utc};
use loupe_core::backup::{
    BackupContents, BackupFailure, BackupInfo, BackupKind, DamagedBook, RestoreSummary,
};
use loupe_core::model::BookStats;
use loupe_core::transfer::{BookExportSummary, BookImportSummary, BookManifest};
use serde::Serialize;
use ts_rs::TS;

use crate::files::{FileRegistry, FileUse};
use crate::state::{CommandError, CommandResult};

/// A backup as the window lists it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "shell/")]
pub struct ListedBackup {
    /// For `inspect_backup` and `restore_backup`.
    pub token: String,
    pub file_name: String,
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
    pub kind: BackupKind,
    #[ts(type = "number")]
    pub bytes: u64,
}

impl ListedBackup {
    pub fn of(files: &FileRegistry, info: &BackupInfo) -> CommandResult<ListedBackup> {
        let token = files.issue(info.path.clone().into(), FileUse::Open).map_err(CommandError)?;
        Ok(ListedBackup {
            token: token.token,
            file_name: info.file_name.clone(),
            created_at: info.created_at,
            kind: info.kind,
            bytes: info.bytes,
        })
    }
}

/// What a backup holds (the window already has its token).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "shell/")]
pub struct BackupSummary {
    pub schema_version: u32,
    pub stats: BookStats,
    /// The newest change recorded in it, when it has any.
    #[ts(type = "string | null")]
    pub last_change: Option<DateTime<Utc>>,
}

impl From<&BackupContents> for BackupSummary {
    fn from(contents: &BackupContents) -> Self {
        BackupSummary {
            schema_version: contents.schema_version,
            stats: contents.stats.clone(),
            last_change: contents.last_change,
        }
    }
}

/// What a restore did.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "shell/")]
pub struct RestoreOutcome {
    /// The book as it was before the restore.
    pub safety_backup: ListedBackup,
    pub restored: BackupSummary,
    /// Customers erased after the backup was made, erased again in the restored book.
    pub erased_again: u32,
}

impl RestoreOutcome {
    pub fn of(files: &FileRegistry, summary: &RestoreSummary) -> CommandResult<RestoreOutcome> {
        Ok(RestoreOutcome {
            safety_backup: ListedBackup::of(files, &summary.safety_backup)?,
            restored: BackupSummary::from(&summary.restored),
            erased_again: summary.erased_again,
        })
    }
}

/// A damaged book, for the recovery screen.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "shell/")]
pub struct DamagedBookReport {
    /// The book's own path, to say which file is damaged.
    pub path: String,
    pub problem: String,
    pub newest_good_backup: Option<ListedBackup>,
    pub backup_contents: Option<BackupSummary>,
}

impl DamagedBookReport {
    pub fn of(files: &FileRegistry, damaged: &DamagedBook) -> CommandResult<DamagedBookReport> {
        Ok(DamagedBookReport {
            path: damaged.path.clone(),
            problem: damaged.problem.clone(),
            newest_good_backup: damaged
                .newest_good_backup
                .as_ref()
                .map(|info| ListedBackup::of(files, info))
                .transpose()?,
            backup_contents: damaged.backup_contents.as_ref().map(BackupSummary::from),
        })
    }
}

/// What a whole-book export wrote (the window already shows the folder).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "shell/")]
pub struct BookExportReport {
    pub manifest: BookManifest,
}

impl From<BookExportSummary> for BookExportReport {
    fn from(summary: BookExportSummary) -> Self {
        BookExportReport { manifest: summary.manifest }
    }
}

/// What importing a whole book did (the counts are `BookImportSummary`'s).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "shell/")]
pub struct BookImportReport {
    pub merged_into_existing: bool,
    #[ts(type = "number")]
    pub customers_created: u64,
    #[ts(type = "number")]
    pub customers_merged: u64,
    #[ts(type = "number")]
    pub erased_left_out: u64,
    #[ts(type = "number")]
    pub conflicts: u64,
    #[ts(type = "number")]
    pub rows_read: u64,
    #[ts(type = "number | null")]
    pub batch_id: Option<i64>,
    /// The backup the core made before a merge.
    pub safety_backup: Option<ListedBackup>,
}

impl BookImportReport {
    pub fn of(files: &FileRegistry, summary: &BookImportSummary) -> CommandResult<BookImportReport> {
        Ok(BookImportReport {
            merged_into_existing: summary.merged_into_existing,
            customers_created: summary.customers_created,
            customers_merged: summary.customers_merged,
            erased_left_out: summary.erased_left_out,
            conflicts: summary.conflicts,
            rows_read: summary.rows_read,
            batch_id: summary.batch_id,
            safety_backup: summary
                .safety_backup
                .as_ref()
                .map(|info| ListedBackup::of(files, info))
                .transpose()?,
        })
    }
}

/// The backups screen.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "shell/")]
pub struct BackupOverview {
    /// The folder beside the book that holds its backups.
    pub folder: String,
    /// Newest first.
    pub backups: Vec<ListedBackup>,
    /// The day's backup is being made in the background.
    pub daily_running: bool,
    /// Why the day's backup failed, when it did.
    pub daily_error: Option<BackupFailure>,
}
