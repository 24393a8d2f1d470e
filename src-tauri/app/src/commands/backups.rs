//! Backups beside the book: listing, making, inspecting and restoring them.

use loupe_core::backup::{self, BackupKind};
use loupe_core::model::JobProgress;

use crate::contract::commands;
use crate::dialogs::{Dialog, choose_file};
use crate::files::{FileToken, FileUse};
use crate::state::{CommandError, State, blocking, chosen_path, run_job, run_replacing_job};
use crate::window::{BackupOverview, BackupSummary, ListedBackup, RestoreOutcome};

commands! {
    /// The backups beside the book, newest first, and how the day's backup went. Reads the
    /// folder only, so it answers while a backup runs and on a damaged book too.
    fn backup_overview(state: State<'_>;) -> BackupOverview {
        let path = state.session.path().to_path_buf();
        let daily = state.session.daily_backup_status();
        let backups = blocking(move || backup::list_backups(&path).map_err(CommandError::from)).await?;
        Ok(BackupOverview {
            folder: backup::backup_folder(state.session.path()).display().to_string(),
            backups: backups.iter().map(|info| ListedBackup::of(&state.files, info)).collect::<Result<_, _>>()?,
            daily_running: daily.running,
            daily_error: daily.error,
        })
    }

    fn back_up_now(state: State<'_>;; progress: JobProgress) -> ListedBackup {
        let made = run_job(&state, progress, Box::new(|book, _cancel, progress| {
            book.back_up(BackupKind::Manual, progress)
        }))
        .await?;
        ListedBackup::of(&state.files, &made)
    }

    /// What a backup file (a listed backup's token, or one chosen to restore) holds, read
    /// without changing it (nor needing the book).
    fn inspect_backup(state: State<'_>; file: String) -> BackupSummary {
        let path = chosen_path(&state, &file, FileUse::Open)?;
        let contents = blocking(move || backup::inspect_backup(&path).map_err(CommandError::from)).await?;
        Ok(BackupSummary::from(&contents))
    }

    /// A backup file chosen in the system's dialog, its title and filter in the window's language.
    fn choose_restore_file(app: tauri::AppHandle, state: State<'_>; title: String, filter: String) -> Option<FileToken> {
        choose_file(app, &state, Dialog::RestoreFile, title, filter, &["sqlite3", "sqlite", "db"]).await
    }

    /// Replaces the book with a backup (a listed backup's token, or a file chosen to restore);
    /// the current book is first kept as a backup itself.
    fn restore_backup(state: State<'_>; file: String; progress: JobProgress) -> RestoreOutcome {
        let path = chosen_path(&state, &file, FileUse::Open)?;
        let summary = run_replacing_job(&state, progress, Box::new(move |book, _cancel, progress| {
            book.restore_backup(&path, progress)
        }))
        .await?;
        RestoreOutcome::of(&state.files, &summary)
    }
}
