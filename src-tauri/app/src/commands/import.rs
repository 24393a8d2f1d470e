//! Importing contacts from a CSV file, a workbook or vCards: preview, commit, undo.

use loupe_core::import::{
    ColumnMapping, ImportBatch, ImportOptions, ImportPreview, ImportProgress, ImportSummary,
    RejectedRowsWording, UndoSummary,
};

use crate::contract::commands;
use crate::dialogs::{Dialog, choose_contacts_file, choose_save_file};
use crate::files::{FileToken, FileUse};
use crate::state::{State, chosen_path, run_job, with_book};

commands! {
    /// The file to import, chosen in the system's dialog. The dialog's title and filters come in
    /// the window's language.
    fn choose_import_file(app: tauri::AppHandle, state: State<'_>; title: String, filter: String, all_files: String) -> Option<FileToken> {
        choose_contacts_file(app, &state, title, filter, all_files).await
    }

    /// Reads the whole file and says what an import would do; writes nothing.
    fn preview_import(state: State<'_>; file: String, options: ImportOptions; progress: ImportProgress) -> ImportPreview {
        let path = chosen_path(&state, &file, FileUse::Open)?;
        run_job(&state, progress, Box::new(move |book, cancel, progress| {
            book.preview_import(&path, &options, cancel, progress)
        }))
        .await
    }

    /// Imports the file, all or nothing.
    fn commit_import(state: State<'_>; file: String, options: ImportOptions; progress: ImportProgress) -> ImportSummary {
        let path = chosen_path(&state, &file, FileUse::Open)?;
        run_job(&state, progress, Box::new(move |book, cancel, progress| {
            book.commit_import(&path, &options, cancel, progress)
        }))
        .await
    }

    fn undo_import(state: State<'_>; batch_id: i64) -> UndoSummary {
        with_book(&state, move |book| book.undo_import(batch_id)).await
    }

    /// Past imports, newest first.
    fn import_batches(state: State<'_>;) -> Vec<ImportBatch> {
        with_book(&state, |book| book.import_batches()).await
    }

    /// Remembers the mapping for files with the same headers.
    fn save_import_mapping(state: State<'_>; mapping: Vec<ColumnMapping>) -> () {
        with_book(&state, move |book| book.save_import_mapping(&mapping)).await
    }

    /// Saves the rejected rows of the imported `file` where the dealer chooses, in the window's
    /// words and laid out for a spreadsheet; returns where (to show), or None when the dealer
    /// cancelled the dialog (titled `title`).
    fn save_rejected_rows(
        app: tauri::AppHandle, state: State<'_>;
        file: String, options: ImportOptions, wording: RejectedRowsWording, title: String
    ) -> Option<String> {
        let path = chosen_path(&state, &file, FileUse::Open)?;
        let suggested = path
            .file_stem()
            .map(|stem| format!("{}-rejected.csv", stem.to_string_lossy()))
            .unwrap_or_else(|| "rejected.csv".into());
        let Some(chosen) = choose_save_file(app, &state, Dialog::RejectedRowsFile, title, suggested).await? else {
            return Ok(None);
        };
        let out = chosen_path(&state, &chosen.token, FileUse::Save)?;
        with_book(&state, move |book| {
            book.write_rejected_rows(&path, &options, &wording, true, &out)?;
            Ok(Some(chosen.name))
        })
        .await
    }
}
