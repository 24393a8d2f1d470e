//! Printing: the core writes the PDF to the file the dealer chose, and the system's viewer
//! opens it (its print dialog is one click away). A test build records the opening instead
//! (`record_opened` in the test hooks).

use std::path::Path;

use loupe_core::model::{JobProgress, LabelLayout, LabelsExport, MailingFilter, PrintLanguage};

use crate::contract::commands;
use crate::dialogs::{Dialog, choose_pdf_file};
use crate::files::{FileToken, FileUse};
use crate::state::{CommandError, CommandResult, State, chosen_path, internal, run_job, with_book};

commands! {
    /// Where to write address labels, chosen in the system's save dialog.
    fn choose_labels_file(app: tauri::AppHandle, state: State<'_>; suggested: String, title: String) -> Option<FileToken> {
        choose_pdf_file(app, &state, Dialog::LabelsFile, title, suggested).await
    }

    /// Where to write a receipt.
    fn choose_receipt_file(app: tauri::AppHandle, state: State<'_>; suggested: String, title: String) -> Option<FileToken> {
        choose_pdf_file(app, &state, Dialog::ReceiptFile, title, suggested).await
    }

    /// Where to write a customer's card.
    fn choose_card_file(app: tauri::AppHandle, state: State<'_>; suggested: String, title: String) -> Option<FileToken> {
        choose_pdf_file(app, &state, Dialog::CardFile, title, suggested).await
    }

    /// Prints the postal mailing list of `filter` as labels to `file` (a token of
    /// `choose_labels_file`) and opens it.
    fn print_labels(
        app: tauri::AppHandle, state: State<'_>;
        filter: MailingFilter, layout: LabelLayout, file: String;
        progress: JobProgress
    ) -> LabelsExport {
        let path = chosen_path(&state, &file, FileUse::Save)?;
        let shown = state.files.issue(path.clone(), FileUse::Save).map_err(CommandError)?.name;
        let target = path.clone();
        let printed = run_job(&state, progress, Box::new(move |book, cancel, progress| {
            book.export_labels(&filter, layout, &target, cancel, progress)
        }))
        .await?;
        open_pdf(&app, &path)?;
        Ok(LabelsExport { file: shown, ..printed })
    }

    /// Prints sale `purchase_id`'s receipt to `file` (in the customer's language unless
    /// `language`) and opens it; returns where it is.
    fn print_receipt(
        app: tauri::AppHandle, state: State<'_>;
        purchase_id: i64, language: Option<PrintLanguage>, file: String
    ) -> String {
        let path = chosen_path(&state, &file, FileUse::Save)?;
        let shown = state.files.issue(path.clone(), FileUse::Save).map_err(CommandError)?.name;
        let target = path.clone();
        with_book(&state, move |book| book.print_receipt(purchase_id, language, &target)).await?;
        open_pdf(&app, &path)?;
        Ok(shown)
    }

    /// Prints customer `customer_id`'s card to `file` in the window's `language` and opens
    /// it; returns where it is.
    fn print_card(
        app: tauri::AppHandle, state: State<'_>;
        customer_id: i64, language: PrintLanguage, file: String
    ) -> String {
        let path = chosen_path(&state, &file, FileUse::Save)?;
        let shown = state.files.issue(path.clone(), FileUse::Save).map_err(CommandError)?.name;
        let target = path.clone();
        with_book(&state, move |book| book.print_card(customer_id, language, &target)).await?;
        open_pdf(&app, &path)?;
        Ok(shown)
    }
}

/// Opens the written PDF in the system's viewer; a test build records it instead.
#[cfg_attr(feature = "e2e-hooks", allow(unused_variables))]
fn open_pdf(app: &tauri::AppHandle, path: &Path) -> CommandResult<()> {
    #[cfg(feature = "e2e-hooks")]
    let opened = crate::e2e_hooks::record_opened(path).map_err(|error| error.to_string());
    #[cfg(not(feature = "e2e-hooks"))]
    let opened = {
        use tauri_plugin_opener::OpenerExt;
        app.opener().open_path(path.display().to_string(), None::<&str>).map_err(|error| error.to_string())
    };
    opened.map_err(|error| internal(format!("the PDF was written but could not be opened: {error}")))
}
