//! Stand-ins for the native dialogs, which the end-to-end tests cannot drive: a `LOUPE_*_FILE`
//! or `LOUPE_*_DIR` variable answers the dialog instead; and for the file manager, which a test
//! build never opens. Compiled only with the `e2e-hooks` feature (the test build's), so a
//! release build reads none of them.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::dialogs::Dialog;

/// The path the test's variable gives for `dialog`, when it is set.
pub fn dialog_answer(dialog: Dialog) -> Option<PathBuf> {
    let variable = match dialog {
        Dialog::ImportFile => "LOUPE_IMPORT_FILE",
        Dialog::RejectedRowsFile => "LOUPE_REJECTED_FILE",
        Dialog::MailingListFile => "LOUPE_EXPORT_FILE",
        Dialog::TableFile => "LOUPE_TABLE_FILE",
        Dialog::LabelsFile => "LOUPE_LABELS_FILE",
        Dialog::ReceiptFile => "LOUPE_RECEIPT_FILE",
        Dialog::CardFile => "LOUPE_CARD_FILE",
        Dialog::RestoreFile => "LOUPE_RESTORE_FILE",
        Dialog::BookExportFolder => "LOUPE_EXPORT_DIR",
        Dialog::BookImportFolder => "LOUPE_IMPORT_DIR",
        Dialog::OffsiteFolder => "LOUPE_OFFSITE_DIR",
    };
    std::env::var_os(variable).filter(|path| !path.is_empty()).map(PathBuf::from)
}

/// Instead of opening a printed PDF in the system's viewer or the log folder in the file manager
/// (windows the tests cannot close),
/// appends its path as one line to the file `LOUPE_OPENED_FILE` names, for the test to read;
/// nothing when it is not set.
pub fn record_opened(path: &Path) -> std::io::Result<()> {
    let Some(log) = std::env::var_os("LOUPE_OPENED_FILE").filter(|log| !log.is_empty()) else {
        return Ok(());
    };
    let mut log = std::fs::OpenOptions::new().create(true).append(true).open(log)?;
    writeln!(log, "{}", path.display())
}
