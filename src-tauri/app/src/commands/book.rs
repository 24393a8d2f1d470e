//! The book itself: what it is, its settings, and its health.

use std::sync::Arc;

use loupe_core::backup::RecoverySummary;
use loupe_core::model::{AboutLoupe, BookInfo, BookSettings, BookStats};
use tauri::Manager;

use crate::background::start_daily_backup;
use crate::contract::commands;
use crate::files::FileUse;
use crate::state::{CommandError, State, blocking, chosen_path, internal, with_book};
use crate::window::DamagedBookReport;

commands! {
    /// The day `LOUPE_TODAY` fixes for tests and demos, so that the window's dates (a new
    /// entry's day, "this year") agree with the book's standing; `None` on a dealer's laptop.
    fn fixed_today(;) -> Option<String> {
        Ok(loupe_core::clock::fixed_today().map(|day| day.to_string()))
    }

    fn book_info(state: State<'_>;) -> BookInfo {
        with_book(&state, |book| book.info()).await
    }

    fn book_stats(state: State<'_>;) -> BookStats {
        with_book(&state, |book| book.stats()).await
    }

    /// Settings → About: the version and the book's path, size and schema.
    fn about_loupe(state: State<'_>;) -> AboutLoupe {
        with_book(&state, |book| book.about()).await
    }

    /// Opens the log folder (tauri-plugin-log's, made first when nothing was logged yet) in the
    /// file manager, and returns its path. A test build records the request instead
    /// (`e2e_hooks`): there is no file manager under Xvfb.
    fn open_log_folder(app: tauri::AppHandle;) -> String {
        let folder = app.path().app_log_dir().map_err(|error| internal(format!("no log folder: {error}")))?;
        let failed = |error: &dyn std::fmt::Display| internal(format!("cannot open {}: {error}", folder.display()));
        std::fs::create_dir_all(&folder).map_err(|error| failed(&error))?;
        #[cfg(feature = "e2e-hooks")]
        crate::e2e_hooks::record_opened(&folder).map_err(|error| failed(&error))?;
        #[cfg(not(feature = "e2e-hooks"))]
        {
            use tauri_plugin_opener::OpenerExt;
            app.opener().open_path(folder.display().to_string(), None::<&str>).map_err(|error| failed(&error))?;
        }
        Ok(folder.display().to_string())
    }

    fn get_settings(state: State<'_>;) -> BookSettings {
        with_book(&state, |book| book.settings()).await
    }

    fn update_settings(state: State<'_>; settings: BookSettings) -> BookSettings {
        with_book(&state, move |book| book.update_settings(&settings)).await
    }

    /// What opening, or the check after it, found wrong with the book: `None` while it is sound.
    fn book_health(state: State<'_>;) -> Option<DamagedBookReport> {
        state.session.damaged().map(|damaged| DamagedBookReport::of(&state.files, &damaged)).transpose()
    }

    /// Puts a backup in place of the damaged book (kept in `backups/damaged/`), everyone the
    /// damaged book erased erased again, and opens it; the window then carries on as usual.
    fn recover_book(app: tauri::AppHandle, state: State<'_>; backup: String) -> RecoverySummary {
        let backup = chosen_path(&state, &backup, FileUse::Open)?;
        let session = Arc::clone(&state.session);
        let summary = blocking(move || {
            let (summary, erasures_unread) = session.recover(&backup)?;
            if let Some(unread) = erasures_unread {
                log::warn!("recovered the book from a backup, but {unread}");
            }
            Ok::<_, CommandError>(summary)
        })
        .await?;
        start_daily_backup(app, Arc::clone(&state.session));
        Ok(summary)
    }
}
