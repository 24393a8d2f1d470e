//! Moving the whole book between laptops: a folder of CSV files and a manifest.

use loupe_core::transfer::{self, BookImportOptions, BookManifest, TransferProgress};

use crate::contract::commands;
use crate::dialogs::{Dialog, choose_folder};
use crate::files::{FileToken, FileUse};
use crate::state::{CommandError, State, blocking, chosen_path, run_job, run_replacing_job};
use crate::window::{BookExportReport, BookImportReport};

commands! {
    /// Where to export the whole book; the dialog's title in the window's language.
    fn choose_book_export_dir(app: tauri::AppHandle, state: State<'_>; title: String) -> Option<FileToken> {
        choose_folder(app, &state, Dialog::BookExportFolder, title).await
    }

    /// A book folder to import.
    fn choose_book_import_dir(app: tauri::AppHandle, state: State<'_>; title: String) -> Option<FileToken> {
        choose_folder(app, &state, Dialog::BookImportFolder, title).await
    }

    /// What a book folder chosen to import holds, from its manifest alone (nor needing the book).
    fn read_book_manifest(state: State<'_>; folder: String) -> BookManifest {
        let dir = chosen_path(&state, &folder, FileUse::OpenFolder)?;
        blocking(move || transfer::read_book_manifest(&dir).map_err(CommandError::from)).await
    }

    /// Writes the whole book into the chosen `folder` (new or empty): one CSV per table and
    /// `manifest.json`.
    fn export_book(state: State<'_>; folder: String; progress: TransferProgress) -> BookExportReport {
        let dir = chosen_path(&state, &folder, FileUse::SaveFolder)?;
        let summary = run_job(&state, progress, Box::new(move |book, cancel, progress| {
            book.export_book(&dir, cancel, progress)
        }))
        .await?;
        Ok(BookExportReport::from(summary))
    }

    /// Imports a book folder: restores an empty book exactly, or with `merge` adds the folder's
    /// customers to these (the core backs the book up first, since a merge cannot be undone).
    fn import_book(state: State<'_>; folder: String, options: BookImportOptions; progress: TransferProgress) -> BookImportReport {
        let dir = chosen_path(&state, &folder, FileUse::OpenFolder)?;
        let summary = run_replacing_job(&state, progress, Box::new(move |book, cancel, progress| {
            book.import_book(&dir, &options, cancel, progress)
        }))
        .await?;
        BookImportReport::of(&state.files, &summary)
    }
}
