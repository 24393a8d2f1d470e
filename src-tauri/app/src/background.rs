//! What the shell runs on threads of its own while the window is up: the check of the book
//! after opening, the day's backup, and the watch for waits on the book. The rules are the
//! core's (`loupe_core::session`); this only runs them and tells the window.

use std::sync::Arc;
use std::time::Duration;

use loupe_core::session::{CheckOutcome, Session};
use tauri::Manager;

use crate::contract::events;
use crate::state::AppState;
use crate::window::DamagedBookReport;

/// How a background thread shares the disk with the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Disk {
    /// As the window's own reads: the window waits for what the thread reads.
    Shared,
    /// Only while nothing else reads (Linux's idle I/O class): the whole-book work. Started
    /// cold on a 1,000,000-customer book, the check and the day's evaluation read the disk at
    /// full speed beside the first screen's reads; in the idle class the window showed its list
    /// in a median 2.4 s against 3.0 s (four launches each, the system's cache dropped before
    /// each; 2.5 s against 2.8 s in three more). The disk's scheduler still serves an idle read
    /// that waited long (mq-deadline after 10 s), so a busy window delays this work, never stops it.
    Idle,
}

/// Starts `work` on a thread of its own at the lowest processor priority, and with `disk`: the
/// whole-book work (the check, the day's backup, the day's evaluation) then leaves the processor
/// to the window's own (the first rows, a search, a save). On two cores, the check of a
/// 1,000,000-customer book at normal priority delayed the first rows by 0.3–0.8 s.
fn spawn_background(name: &str, disk: Disk, work: impl FnOnce() + Send + 'static) -> std::io::Result<()> {
    let thread = name.to_string();
    std::thread::Builder::new().name(thread.clone()).spawn(move || {
        if let Err(error) = thread_priority::set_current_thread_priority(thread_priority::ThreadPriority::Min)
        {
            log::warn!("could not lower the priority of the {thread} thread: {error:?}");
        }
        if disk == Disk::Idle
            && let Err(error) = read_disk_when_idle()
        {
            log::warn!("could not lower the disk priority of the {thread} thread: {error}");
        }
        work();
    })?;
    Ok(())
}

/// Puts the calling thread in the idle I/O class (`ioprio_set` on thread 0, the caller).
#[cfg(target_os = "linux")]
fn read_disk_when_idle() -> Result<(), String> {
    let idle = ioprio::Priority::new(ioprio::Class::Idle);
    ioprio::set_priority(ioprio::Target::Process(ioprio::Pid::from_raw(0)), idle)
        .map_err(|errno| errno.to_string())
}

/// Loupe is packaged for Linux; elsewhere the processor priority alone stands.
#[cfg(not(target_os = "linux"))]
fn read_disk_when_idle() -> Result<(), String> {
    Ok(())
}

/// Reads the first screen (the list, or the agenda when something is due) once, at the lowest
/// priority, while the web view starts (`Session::read_first_screen`): the book sits idle for
/// the 0.3 s before the page asks for anything. The list's first page of a 1,000,000-customer
/// book took 0.38 s read cold by the window's first call, 0.07–0.2 s after. At normal priority
/// it slowed the web view's own start on two cores as much as it saved.
pub fn start_reading_first_screen(app: &tauri::AppHandle) {
    let session = Arc::clone(&app.state::<AppState>().session);
    let spawned = spawn_background("first-screen", Disk::Shared, move || match session.read_first_screen() {
        Ok(screen) => log::debug!("read the first screen ahead: {screen:?}"),
        Err(error) => log::warn!("could not read the first screen ahead: {error}"),
    });
    if let Err(error) = spawned {
        log::warn!("could not start reading the first screen ahead: {error}");
    }
}

/// Makes the day's backup (when none is less than a day old) and prunes old ones on a thread
/// of its own, so the window never waits for it; then tells the window (`backups-changed`, and
/// `backup-failed` with why when it failed).
pub fn start_daily_backup(app: tauri::AppHandle, session: Arc<Session>) {
    let spawned = spawn_background("daily-backup", Disk::Idle, {
        let session = Arc::clone(&session);
        move || {
            let Some(made) = session.daily_backup() else { return };
            events::BACKUPS_CHANGED.emit(&app, ());
            match made {
                Ok(Some(backup)) => log::info!("made the day's backup {}", backup.file_name),
                Ok(None) => {}
                Err(failure) => {
                    log::error!("could not make the day's backup: {}", failure.detail);
                    events::BACKUP_FAILED.emit(&app, failure);
                }
            }
        }
    });
    if let Err(error) = spawned {
        let error = loupe_core::Error::Io { path: "<daily backup thread>".into(), source: error };
        log::error!("could not start the day's backup: {error}");
        session.daily_backup_not_started(&error);
    }
}

/// Reads every page of the book once the window is up. Sound: the day's backup follows.
/// Damaged: the book is closed and the window sent to the recovery screen (`book-damaged`).
pub fn start_book_check(app: tauri::AppHandle) {
    let check = move || {
        let session = Arc::clone(&app.state::<AppState>().session);
        match session.check() {
            CheckOutcome::Sound => {}
            CheckOutcome::Damaged(damaged) => {
                log::error!("found the book damaged: {}", damaged.problem);
                match DamagedBookReport::of(&app.state::<AppState>().files, &damaged) {
                    Ok(report) => events::BOOK_DAMAGED.emit(&app, report),
                    Err(error) => log::error!("could not tell the window: {}", error.0.message),
                }
                return;
            }
            // Not damage (the disk, permissions): the book stays open, and the day's backup is
            // still tried; its own error, if any, shows on the Backups screen.
            CheckOutcome::NotChecked(error) => log::warn!("could not check the book: {error}"),
        }
        start_daily_backup(app, session);
    };
    if let Err(error) = spawn_background("book-check", Disk::Idle, check) {
        log::error!("could not start checking the book: {error}");
    }
}

/// How often the window's standing watch asks whether the day has changed.
const STANDING_CHECK_EVERY: Duration = Duration::from_secs(60 * 60);

/// Evaluates the whole book's standing when the book opens, unless already done today, and
/// again each time the day changes while the window stays open (time alone moves people to at
/// risk and lapsed). It runs beside the book's own connection (`Session::refresh_standing_if_due`),
/// so the window opens on the list at once, and every view reads the book again when told.
pub fn start_standing_watch(app: tauri::AppHandle) {
    let watch = move || {
        loop {
            let session = Arc::clone(&app.state::<AppState>().session);
            match session.refresh_standing_if_due() {
                Ok(Some(refreshed)) => {
                    log::info!(
                        "evaluated the standing of {} customers as of {}: {} moves; reminders: {} made, {} removed, {} expired",
                        refreshed.customers,
                        refreshed.evaluated_on,
                        refreshed.changes,
                        refreshed.agenda.created,
                        refreshed.agenda.removed,
                        refreshed.agenda.expired
                    );
                    events::STANDING_CHANGED.emit(&app, ());
                }
                Ok(None) | Err(loupe_core::Error::BookClosed) => {}
                Err(error) => log::error!("could not evaluate the book's standing: {error}"),
            }
            std::thread::sleep(STANDING_CHECK_EVERY);
        }
    };
    if let Err(error) = spawn_background("standing", Disk::Idle, watch) {
        log::error!("could not start the daily evaluation of standing: {error}");
    }
}

/// Tells the window when a command has waited a second for another job holding the book (a
/// `loupe` import in a terminal, a checkpoint), and when the wait is over (`book-waiting`):
/// the command keeps waiting rather than fail, and the window says why it seems slow.
pub fn start_wait_watch(app: tauri::AppHandle) {
    let watch = move || {
        let mut shown = false;
        loop {
            std::thread::sleep(Duration::from_millis(250));
            let waiting =
                loupe_core::waiting_for_another_job().is_some_and(|waited| waited >= Duration::from_secs(1));
            if waiting != shown {
                shown = waiting;
                events::BOOK_WAITING.emit(&app, waiting);
            }
        }
    };
    if let Err(error) = std::thread::Builder::new().name("book-waiting".into()).spawn(watch) {
        log::error!("could not start watching for waits on the book: {error}");
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// The I/O class of a thread started with `disk`, as it sees itself.
    fn class_seen_with(disk: Disk) -> Option<ioprio::Class> {
        let (sender, seen) = std::sync::mpsc::channel();
        spawn_background("test", disk, move || {
            let own = ioprio::get_priority(ioprio::Target::Process(ioprio::Pid::from_raw(0)));
            sender.send(own.map(|priority| priority.class())).expect("the test waits for the answer");
        })
        .expect("a thread starts");
        seen.recv().expect("the thread answers").expect("a thread may read its own I/O priority")
    }

    #[test]
    fn whole_book_work_reads_the_disk_only_when_idle_and_the_first_screen_as_the_window() {
        assert_eq!(class_seen_with(Disk::Idle), Some(ioprio::Class::Idle));
        assert_ne!(class_seen_with(Disk::Shared), Some(ioprio::Class::Idle));
    }
}
