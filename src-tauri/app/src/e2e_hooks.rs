//! Stand-ins for the native dialogs, which the end-to-end tests cannot drive: a `LOUPE_*_FILE`
//! or `LOUPE_*_DIR` variable answers the dialog instead; and for the file manager, which a test
//! build never opens. Compiled only with the `e2e-hooks` feature (the test build's), so a
//! release build reads none of them.

use std::path::{Path, PathBuf};

use crate::dialogs::Dialog;

/// The path the test's variable gives for `dialog`, when it is set.
pub fn dialog_answer(dialog: Dialog) -> Option<PathBuf> {
    let variable = match dialog {
        Dialog::ImportFile => "LOUPE_IMPORT_FILE",
        Dialog::RejectedRowsFile => "LOUPE_REJECTED_FILE",
        Dialog::MailingListFile => "LOUPE_EXPORT_FILE",
        Dialog::TableFile => "LOUPE_TABLE_FILE",
        Dialog::RestoreFile => "LOUPE_RESTORE_FILE",
        Dialog::BookExportFolder => "LOUPE_EXPORT_DIR",
        Dialog::BookImportFolder => "LOUPE_IMPORT_DIR",
        Dialog::OffsiteFolder => "LOUPE_OFFSITE_DIR",
    };
    std::env::var_os(variable).filter(|path| !path.is_empty()).map(PathBuf::from)
}

/// Records a request to open `folder` in the file manager instead of opening it: the folder's
/// path is written to the file `LOUPE_OPENED_FILE` names, when it is set.
pub fn record_opened(folder: &Path) -> std::io::Result<()> {
    match std::env::var_os("LOUPE_OPENED_FILE").filter(|file| !file.is_empty()) {
        Some(file) => std::fs::write(file, folder.as_os_str().as_encoded_bytes()),
        None => Ok(()),
    }
}
