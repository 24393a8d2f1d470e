//! The book itself: what it is, its settings, and its health.

use std::sync::Arc;

use loupe_core::backup::RecoverySummary;
use loupe_core::model::{BookInfo, BookSettings, BookStats};

use crate::background::start_daily_backup;
use crate::contract::commands;
use crate::files::FileUse;
use crate::state::{CommandError, State, blocking, chosen_path, with_book};
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
