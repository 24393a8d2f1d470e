//! "Back up to…": copies of the book in a folder of the dealer's choosing (a USB drive, a
//! network share). The folder's path stays in the shell; the window sees its name.

use std::sync::Arc;

use loupe_core::backup::{self, BackupInfo};
use loupe_core::model::JobProgress;
use loupe_core::offsite::{self, OffsiteStatus};
use tauri_plugin_dialog::DialogExt;

use crate::contract::commands;
use crate::dialogs::{Dialog, dialog_path};
use crate::state::{AppState, CommandError, CommandResult, State, blocking, run_job, run_replacing_job};
use crate::window::{BackupSummary, RestoreOutcome};

/// The folder chosen on this laptop, whether it can be reached now, the copies there and
/// whether to remind the dealer. Reads files only, so it answers while a job runs.
async fn status(state: &AppState) -> CommandResult<OffsiteStatus> {
    let session = Arc::clone(&state.session);
    blocking(move || {
        // The reminder's days are a book setting; a book that is closed (damaged) uses the
        // default ones.
        let settings =
            if session.is_open() { session.with_book(|book| book.settings())? } else { Default::default() };
        offsite::status(session.path(), &settings).map_err(CommandError::from)
    })
    .await
}

commands! {
    fn offsite_status(state: State<'_>;) -> OffsiteStatus {
        status(&state).await
    }

    /// Opens the system's folder dialog for "Back up to…" and remembers the folder chosen, once
    /// checked. `None` when the dealer closed the dialog.
    fn choose_offsite_folder(app: tauri::AppHandle, state: State<'_>; title: String) -> Option<OffsiteStatus> {
        let chosen = dialog_path(Dialog::OffsiteFolder, move || {
            app.dialog().file().set_title(title).blocking_pick_folder()
        })
        .await?;
        let Some(folder) = chosen else { return Ok(None) };
        let path = state.session.path().to_path_buf();
        blocking(move || offsite::choose_folder(&path, &folder).map_err(CommandError::from)).await?;
        status(&state).await.map(Some)
    }

    /// Writes a copy of the book to the folder chosen for "Back up to…".
    fn back_up_offsite(state: State<'_>;; progress: JobProgress) -> BackupInfo {
        run_job(&state, progress, Box::new(|book, _cancel, progress| book.back_up_offsite(progress))).await
    }

    /// What a copy in the chosen folder holds, named by its file name as the status listed it.
    fn inspect_offsite_backup(state: State<'_>; file_name: String) -> BackupSummary {
        let path = state.session.path().to_path_buf();
        let contents = blocking(move || {
            let copy = offsite::backup_path(&path, &file_name)?;
            backup::inspect_backup(&copy).map_err(CommandError::from)
        })
        .await?;
        Ok(BackupSummary::from(&contents))
    }

    /// Replaces the book with a copy in the chosen folder, as `restore_backup` does.
    fn restore_offsite_backup(state: State<'_>; file_name: String; progress: JobProgress) -> RestoreOutcome {
        let summary = run_replacing_job(&state, progress, Box::new(move |book, _cancel, progress| {
            let copy = offsite::backup_path(book.path(), &file_name)?;
            book.restore_backup(&copy, progress)
        }))
        .await?;
        RestoreOutcome::of(&state.files, &summary)
    }
}
