//! The book as a long-running program holds it: opened without reading every page, checked
//! afterwards on a connection of its own, closed when found damaged until a backup replaces
//! it, and backed up once a day. The window's shell runs these rules on its threads; they
//! live here so that they are tested without a window and any other front end follows them.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, RwLock, RwLockReadGuard};

use crate::backup::{self, BackupFailure, BackupInfo, DamagedBook, RecoverySummary};
use crate::model::{ListQuery, StandingRefresh};
use crate::{Book, Error, Result};

/// How many times the day's evaluation reads the book again beside it after a save landed
/// during its reading, before it takes the book's lock instead.
const EVALUATION_ATTEMPTS: usize = 3;

/// One open book and what is known about its health.
pub struct Session {
    path: PathBuf,
    /// `None` while the book is damaged: every use of it then fails with `BookClosed`.
    book: Mutex<Option<Book>>,
    /// What opening or the check found wrong, until a backup replaces the book: `Some` exactly
    /// while `book` is `None`, set before the book is closed and cleared after it is opened.
    damaged: Mutex<Option<DamagedBook>>,
    /// Counts the times a restore or a whole-book import replaced what the book holds, so a
    /// check that read the old pages does not condemn the new ones.
    replaced: AtomicU64,
    daily: Mutex<DailyBackup>,
    /// Held (shared) by every connection of its own beside the book's (the day's evaluation, a
    /// read), so that a recovery (exclusive) does not put another file in the book's place
    /// under one.
    beside: RwLock<()>,
}

/// How the day's backup went, for the backups screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DailyBackup {
    pub running: bool,
    pub error: Option<BackupFailure>,
}

/// The screen the window opens on, as `Session::read_first_screen` read it ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstScreen {
    /// The customer list's first page by name.
    List,
    /// The agenda, when something is overdue or due today (`Book::agenda_due`).
    Agenda,
}

/// The days ahead the window's agenda shows (`AgendaView`), read ahead at start.
const AGENDA_DAYS_SHOWN: u32 = 7;

/// What the check after opening found.
#[derive(Debug)]
pub enum CheckOutcome {
    /// Every page reads back: the day's backup may follow.
    Sound,
    /// The book is damaged: it is now closed, and this is what to show.
    Damaged(DamagedBook),
    /// The check itself could not run (the disk, permissions): not damage, the book stays open.
    NotChecked(Error),
}

/// Locks ignoring poison: a panic in an earlier job rolled its transaction back when dropped,
/// so what the lock guards is consistent and the program carries on.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Session {
    /// Opens the book at `path` without reading all of it. A book too damaged to open still
    /// gives a session, closed, with what is wrong; other failures (no permission, a newer
    /// schema) are errors, since there is nothing to recover.
    pub fn open(path: &Path) -> Result<Session> {
        let (book, damaged) = match backup::open_unchecked(path)? {
            Ok(book) => (Some(book), None),
            Err(damaged) => (None, Some(damaged)),
        };
        Ok(Session {
            path: path.to_path_buf(),
            book: Mutex::new(book),
            damaged: Mutex::new(damaged),
            replaced: AtomicU64::new(0),
            daily: Mutex::new(DailyBackup::default()),
            beside: RwLock::new(()),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the book is open (false while it is damaged). Read from `damaged`, which is set
    /// before the book is closed and cleared after it is opened again, rather than from the book,
    /// whose lock a long job (an import, the check's close) may hold: reads beside the book ask
    /// this first and must not wait for it.
    pub fn is_open(&self) -> bool {
        lock(&self.damaged).is_none()
    }

    /// What opening or the check found wrong, while the book is not replaced.
    pub fn damaged(&self) -> Option<DamagedBook> {
        lock(&self.damaged).clone()
    }

    /// Runs `work` with the book, waiting for any job already using it.
    pub fn with_book<T>(&self, work: impl FnOnce(&mut Book) -> Result<T>) -> Result<T> {
        let mut book = lock(&self.book);
        work(book.as_mut().ok_or(Error::BookClosed)?)
    }

    /// Reads the screen the window opens on and drops it: the agenda when something is due
    /// (`Book::agenda_due`, the window's own decision), else the list's first page by name and
    /// its count (`ListQuery::default`, what `CustomerList` asks first). The pages it reads stay
    /// in the book's cache, and phone formatting has compiled its patterns. The shell runs it
    /// while the web view is still starting, when the book would otherwise sit idle; the
    /// window's first call waits behind it on the book, so it reads what that call will need.
    pub fn read_first_screen(&self) -> Result<FirstScreen> {
        self.with_book(|book| {
            if book.agenda_due()? {
                book.agenda(AGENDA_DAYS_SHOWN).map(|_| FirstScreen::Agenda)
            } else {
                book.list_customers(&ListQuery::default()).map(|_| FirstScreen::List)
            }
        })
    }

    /// Runs `read` on a read-only connection of its own (`Book::open_reader`), which sees every
    /// committed change: for reads of the whole book (counts, tags, insights) that would
    /// otherwise hold the book's lock while the list's rows or a save wait behind them. Refused
    /// while the book is closed.
    pub fn read_beside<T>(&self, read: impl FnOnce(&Book) -> Result<T>) -> Result<T> {
        let _beside = self.beside_open_book()?;
        read(&Book::open_reader(&self.path)?)
    }

    /// Leave for a connection of its own beside the book's, held until it closes; refused while
    /// the book is closed.
    fn beside_open_book(&self) -> Result<RwLockReadGuard<'_, ()>> {
        let beside = self.beside.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        if !self.is_open() {
            return Err(Error::BookClosed);
        }
        Ok(beside)
    }

    /// Runs `work`, which replaces what the book holds (a restore, a whole-book import), and
    /// notes that it did so for a check that is running meanwhile.
    pub fn replacing<T>(&self, work: impl FnOnce(&mut Book) -> Result<T>) -> Result<T> {
        let done = self.with_book(work)?;
        self.replaced.fetch_add(1, Ordering::SeqCst);
        Ok(done)
    }

    /// Reads every page of the book on a connection of its own (a minute on a book of
    /// gigabytes; meanwhile the book stays usable). Damaged: the book is closed, after any job
    /// already running on it, unless a restore or import replaced it meanwhile, in which case
    /// the book as it is now is checked again.
    pub fn check(&self) -> CheckOutcome {
        loop {
            let seen = self.replaced.load(Ordering::SeqCst);
            match backup::check_book(&self.path) {
                Ok(None) => return CheckOutcome::Sound,
                Err(error) => return CheckOutcome::NotChecked(error),
                Ok(Some(damaged)) => {
                    let mut book = lock(&self.book);
                    if self.replaced.load(Ordering::SeqCst) != seen {
                        continue;
                    }
                    *lock(&self.damaged) = Some(damaged.clone());
                    *book = None;
                    return CheckOutcome::Damaged(damaged);
                }
            }
        }
    }

    /// The day's evaluation of standing, tiers and the agenda's rules when it is due
    /// (`Book::refresh_standing_if_due`), on a connection of its own: the book stays free to
    /// read and save while it reads the whole book (seconds on a big one), and the views show
    /// the new standing when told. A save during its reading makes it read again; after
    /// `EVALUATION_ATTEMPTS` such tries it runs on the book's own connection, as a save does.
    pub fn refresh_standing_if_due(&self) -> Result<Option<StandingRefresh>> {
        let _beside = self.beside_open_book()?;
        let mut own = Book::open_beside(&self.path)?;
        for _ in 0..EVALUATION_ATTEMPTS {
            match own.refresh_standing_if_due_beside() {
                Err(error) if error.is_busy() => continue,
                Err(error) => return Err(error),
                Ok(done) => {
                    // Its long read kept an erasure meanwhile from emptying the write-ahead log.
                    own.clear_write_ahead_log()?;
                    return Ok(done);
                }
            }
        }
        drop(own);
        self.with_book(Book::refresh_standing_if_due)
    }

    /// How the day's backup is going.
    pub fn daily_backup_status(&self) -> DailyBackup {
        lock(&self.daily).clone()
    }

    /// Makes the day's backup when none is less than a day old, and prunes old ones, on a
    /// second connection (WAL lets it read while the book is used). `None` when one is already
    /// being made. The outcome is also kept for `daily_backup_status`.
    pub fn daily_backup(&self) -> Option<std::result::Result<Option<BackupInfo>, BackupFailure>> {
        {
            let mut daily = lock(&self.daily);
            if daily.running {
                return None;
            }
            daily.running = true;
        }
        let made = Book::open(&self.path).and_then(|book| {
            let made = book.daily_backup_if_due()?;
            // An erasure during a long read (the check, this backup) could not empty the
            // write-ahead log of the pages it replaced; now nothing holds it.
            book.clear_write_ahead_log()?;
            Ok(made)
        });
        let made = made.map_err(|error| BackupFailure::of(&error));
        *lock(&self.daily) = DailyBackup { running: false, error: made.as_ref().err().cloned() };
        Some(made)
    }

    /// Records that the day's backup could not even start (no thread for it).
    pub fn daily_backup_not_started(&self, error: &Error) {
        *lock(&self.daily) = DailyBackup { running: false, error: Some(BackupFailure::of(error)) };
    }

    /// Puts `backup` in place of the damaged book, everyone the damaged book erased erased
    /// again, and opens it. Refused while the book is open and sound: restores of a sound book
    /// go through `Book::restore_backup`, which keeps the current book as a backup first.
    pub fn recover(&self, backup: &Path) -> Result<(RecoverySummary, Option<String>)> {
        let _beside = self.beside.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut slot = lock(&self.book);
        if slot.is_some() {
            return Err(Error::BookNotDamaged);
        }
        let recovery = backup::recover_from_backup(&self.path, backup)?;
        let summary = RecoverySummary {
            book: recovery.book.info()?,
            erased_again: recovery.erased_again,
            erasures_unread: recovery.erasures_unread.is_some(),
        };
        *slot = Some(recovery.book);
        *lock(&self.damaged) = None;
        Ok((summary, recovery.erasures_unread))
    }
}
