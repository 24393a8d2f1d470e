//! The system's file and folder dialogs. What the dealer chooses stays in the shell; the
//! webview gets a token for it (`files`). Titles and filters come from the window, in its
//! language.

use std::path::PathBuf;

use tauri_plugin_dialog::{DialogExt, FilePath};

use crate::files::{FileToken, FileUse};
use crate::state::{AppState, CommandError, CommandResult, internal};

/// The native dialogs, each choosing a path for one use.
#[derive(Debug, Clone, Copy)]
pub enum Dialog {
    ImportFile,
    RejectedRowsFile,
    MailingListFile,
    /// A chart's numbers as CSV (Insights).
    TableFile,
    /// Address labels, a receipt, a customer's card: a PDF each.
    LabelsFile,
    ReceiptFile,
    CardFile,
    RestoreFile,
    BookExportFolder,
    BookImportFolder,
    /// "Back up to…": remembered by the shell itself, never handed to the webview.
    OffsiteFolder,
}

impl Dialog {
    fn used_for(self) -> FileUse {
        match self {
            Dialog::ImportFile | Dialog::RestoreFile => FileUse::Open,
            Dialog::RejectedRowsFile
            | Dialog::MailingListFile
            | Dialog::TableFile
            | Dialog::LabelsFile
            | Dialog::ReceiptFile
            | Dialog::CardFile => FileUse::Save,
            Dialog::BookExportFolder | Dialog::OffsiteFolder => FileUse::SaveFolder,
            Dialog::BookImportFolder => FileUse::OpenFolder,
        }
    }
}

/// What the dealer chose in `dialog` (None when they closed it), kept by the shell: the webview
/// gets its token.
async fn ask_dialog(
    state: &AppState,
    dialog: Dialog,
    show: impl FnOnce() -> Option<FilePath> + Send + 'static,
) -> CommandResult<Option<FileToken>> {
    let chosen = dialog_path(dialog, show).await?;
    chosen.map(|path| state.files.issue(path, dialog.used_for()).map_err(CommandError)).transpose()
}

/// The path chosen in `dialog`, for the shell's own use (None when the dealer closed it). In
/// a test build a `LOUPE_*` variable may answer instead (`e2e_hooks`).
pub async fn dialog_path(
    dialog: Dialog,
    show: impl FnOnce() -> Option<FilePath> + Send + 'static,
) -> CommandResult<Option<PathBuf>> {
    #[cfg(feature = "e2e-hooks")]
    let answered = crate::e2e_hooks::dialog_answer(dialog);
    #[cfg(not(feature = "e2e-hooks"))]
    let answered = {
        let _ = dialog;
        None
    };
    Ok(match answered {
        Some(path) => Some(path),
        None => tauri::async_runtime::spawn_blocking(show)
            .await
            .map_err(|error| internal(format!("the dialog failed: {error}")))?
            .and_then(|path| path.into_path().ok()),
    })
}

/// A file to open, of one of `extensions`.
pub async fn choose_file(
    app: tauri::AppHandle,
    state: &AppState,
    dialog: Dialog,
    title: String,
    filter: String,
    extensions: &'static [&'static str],
) -> CommandResult<Option<FileToken>> {
    ask_dialog(state, dialog, move || {
        app.dialog().file().set_title(title).add_filter(filter, extensions).blocking_pick_file()
    })
    .await
}

/// A contacts file to open: `filter` names the kinds Loupe reads (CSV and text, workbooks,
/// vCards), and `all_files` lets the dealer pick a file whatever its name ends with, since the
/// import tells the kind by the content.
pub async fn choose_contacts_file(
    app: tauri::AppHandle,
    state: &AppState,
    title: String,
    filter: String,
    all_files: String,
) -> CommandResult<Option<FileToken>> {
    ask_dialog(state, Dialog::ImportFile, move || {
        app.dialog()
            .file()
            .set_title(title)
            .add_filter(filter, &["csv", "txt", "tsv", "tab", "xlsx", "xls", "ods", "vcf"])
            .add_filter(all_files, &["*"])
            .blocking_pick_file()
    })
    .await
}

/// A CSV file to write, `suggested` as its name.
pub async fn choose_save_file(
    app: tauri::AppHandle,
    state: &AppState,
    dialog: Dialog,
    title: String,
    suggested: String,
) -> CommandResult<Option<FileToken>> {
    choose_file_to_write(app, state, dialog, title, suggested, ("CSV", &["csv"])).await
}

/// A PDF file to write, `suggested` as its name.
pub async fn choose_pdf_file(
    app: tauri::AppHandle,
    state: &AppState,
    dialog: Dialog,
    title: String,
    suggested: String,
) -> CommandResult<Option<FileToken>> {
    choose_file_to_write(app, state, dialog, title, suggested, ("PDF", &["pdf"])).await
}

async fn choose_file_to_write(
    app: tauri::AppHandle,
    state: &AppState,
    dialog: Dialog,
    title: String,
    suggested: String,
    (kind, extensions): (&'static str, &'static [&'static str]),
) -> CommandResult<Option<FileToken>> {
    ask_dialog(state, dialog, move || {
        app.dialog()
            .file()
            .set_title(title)
            .set_file_name(suggested)
            .add_filter(kind, extensions)
            .blocking_save_file()
    })
    .await
}

/// A folder.
pub async fn choose_folder(
    app: tauri::AppHandle,
    state: &AppState,
    dialog: Dialog,
    title: String,
) -> CommandResult<Option<FileToken>> {
    ask_dialog(state, dialog, move || app.dialog().file().set_title(title).blocking_pick_folder()).await
}
