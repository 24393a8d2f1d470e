//! The book: one SQLite file, opened with the same pragmas everywhere, migrated forward by
//! numbered SQL files embedded at compile time, and refused (untouched) when a newer Loupe
//! wrote it.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags, Transaction};
use rusqlite_migration::{M, Migrations};

use crate::error::{Error, Result};
use crate::private_files::{create_private_dir_all, ensure_private_file, make_private};

/// How long a read-only connection, or a checkpoint, waits for another connection.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// How long the book's own connection waits for another job holding the book (a long
/// `loupe import` in a terminal, the window's save, a checkpoint) before giving up: long,
/// since giving up loses the dealer's edit. Meanwhile `waiting_for_another_job` says so.
const LONG_WAIT: Duration = Duration::from_secs(30 * 60);
/// Waiting counts as over when the busy handler has not run for this long (it runs at least
/// every 100 ms while it waits).
const STILL_WAITING: Duration = Duration::from_millis(400);

/// When this process's current wait for the book began and when its busy handler last ran,
/// in milliseconds after `CLOCK_START` (0: never).
static WAIT_STARTED: AtomicU64 = AtomicU64::new(0);
static LAST_BUSY: AtomicU64 = AtomicU64::new(0);
static CLOCK_START: LazyLock<Instant> = LazyLock::new(Instant::now);

fn clock_millis() -> u64 {
    // At least 1, so that 0 means "never".
    u64::try_from(CLOCK_START.elapsed().as_millis()).unwrap_or(u64::MAX).max(1)
}

/// SQLite's busy handler for the book's own connection: keeps waiting (up to `LONG_WAIT`) while
/// another connection holds the book, and records that this process waits.
fn wait_for_the_other_job(attempt: i32) -> bool {
    let now = clock_millis();
    if attempt == 0 {
        WAIT_STARTED.store(now, Ordering::Relaxed);
    }
    LAST_BUSY.store(now, Ordering::Relaxed);
    let waited = now.saturating_sub(WAIT_STARTED.load(Ordering::Relaxed));
    if waited > u64::try_from(LONG_WAIT.as_millis()).unwrap_or(u64::MAX) {
        return false;
    }
    // Short pauses first: most waits are another job's commit of a few milliseconds.
    const PAUSES_MS: [u64; 7] = [1, 2, 5, 10, 20, 50, 100];
    let pause = PAUSES_MS[usize::try_from(attempt).unwrap_or(0).min(PAUSES_MS.len() - 1)];
    std::thread::sleep(Duration::from_millis(pause));
    true
}

/// How long a connection of this process has been waiting for another job to let go of the
/// book (another process's import or checkpoint), or None when none is waiting now. The
/// window shows it after a second; the CLI prints it once.
pub fn waiting_for_another_job() -> Option<Duration> {
    let last = LAST_BUSY.load(Ordering::Relaxed);
    let now = clock_millis();
    if last == 0 || now.saturating_sub(last) > u64::try_from(STILL_WAITING.as_millis()).unwrap_or(0) {
        return None;
    }
    Some(Duration::from_millis(now.saturating_sub(WAIT_STARTED.load(Ordering::Relaxed))))
}

/// Gives the book's connection the long wait for other jobs (`wait_for_the_other_job`).
pub(crate) fn wait_long(conn: &Connection) {
    conn.busy_handler(Some(wait_for_the_other_job)).ok();
}

/// How much of the book a reader maps (address space, not memory: SQLite's own limit is 2 GiB).
const READER_MMAP_BYTES: i64 = 1 << 30;

/// Tauri's identifier (tauri.conf.json): the app's data folder has this name.
pub const APP_IDENTIFIER: &str = "app.loupe.desktop";
const DB_FILE_NAME: &str = "loupe.sqlite3";
/// Staging books (a restore or recovery being prepared) start with this, beside the book.
const STAGING_PREFIX: &str = ".loupe-staging-";
/// Written into the SQLite header ("LOUP"), so that Loupe recognises its own books and never
/// migrates another program's database.
pub(crate) const APPLICATION_ID: i32 = 0x4C4F_5550;

/// Numbered, append-only: the schema version is the number of migrations applied.
fn migrations() -> Vec<M<'static>> {
    vec![
        M::up(include_str!("../migrations/0001_initial.sql")),
        M::up_with_hook(include_str!("../migrations/0002_history.sql"), |tx: &Transaction<'_>| {
            Ok(crate::purchases::backfill_totals(tx)?)
        }),
        M::up(include_str!("../migrations/0003_erasure.sql")),
        M::up(include_str!("../migrations/0004_import_merge_after.sql")),
        M::up(include_str!("../migrations/0005_customer_merges.sql")),
        M::up_with_hook(include_str!("../migrations/0006_payments.sql"), |tx: &Transaction<'_>| {
            Ok(crate::purchases::backfill_payments(tx)?)
        }),
        M::up_with_hook(include_str!("../migrations/0007_standing.sql"), |tx: &Transaction<'_>| {
            // Every customer has a standing from the first day.
            crate::standing::refresh_book(tx, crate::clock::today(), true).map_err(hook_error)?;
            Ok(())
        }),
        M::up(include_str!("../migrations/0008_segment_beside_spend.sql")),
        M::up_with_hook(include_str!("../migrations/0009_membership.sql"), |tx: &Transaction<'_>| {
            // Every customer holds their tier from the first day; past sales earn no points.
            crate::membership::refresh_book(
                tx,
                crate::clock::today(),
                crate::membership::Replay::Everyone { rules_changed: false },
            )
            .map_err(hook_error)?;
            Ok(())
        }),
        M::up_with_hook(include_str!("../migrations/0010_agenda.sql"), |tx: &Transaction<'_>| {
            // The reminders of today from the first day (`agenda_ran_on` set).
            crate::agenda::refresh_book(tx, crate::clock::today()).map_err(hook_error)?;
            Ok(())
        }),
        M::up(include_str!("../migrations/0011_insights.sql")),
        M::up(include_str!("../migrations/0012_interaction_response.sql")),
        M::up(include_str!("../migrations/0013_purchase_days.sql")),
        M::up_with_hook(include_str!("../migrations/0014_pinyin.sql"), |tx: &Transaction<'_>| {
            Ok(crate::search::index_pinyin_of_names(tx)?)
        }),
        M::up(include_str!("../migrations/0015_list_orders.sql")),
        M::up_with_hook(include_str!("../migrations/0016_search_digits.sql"), |tx: &Transaction<'_>| {
            // Every document again, without the phone suffixes, which go to `search_digits`.
            crate::search::index_book(tx).map_err(hook_error)?;
            Ok(())
        }),
        M::up(include_str!("../migrations/0017_standing_beside_the_name.sql")),
        M::up(include_str!("../migrations/0018_pinned_parts_gathered.sql")),
        M::up(include_str!("../migrations/0019_customers_counted.sql")),
    ]
}

/// A migration hook's error as rusqlite_migration takes it.
fn hook_error(error: Error) -> rusqlite::Error {
    match error {
        Error::Sqlite(error) => error,
        other => rusqlite::Error::ToSqlConversionFailure(other.to_string().into()),
    }
}

static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| Migrations::new(migrations()));

/// An empty in-memory database brought to schema `version` by the first `version`
/// migrations: the schema a book of that version has when Loupe made it.
pub(crate) fn new_schema_at(version: u32) -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    MIGRATIONS.to_version(&mut conn, version as usize)?;
    Ok(conn)
}

/// Makes a new book at `path` at schema `version` (the first `version` migrations), as a Loupe of
/// that version left it: the book an upgrade test starts from. The file must not exist yet.
pub fn create_book_at_schema(path: &Path, version: u32) -> Result<()> {
    if path.exists() {
        return Err(Error::Io {
            path: path.display().to_string(),
            source: std::io::Error::from(std::io::ErrorKind::AlreadyExists),
        });
    }
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    MIGRATIONS.to_version(&mut conn, version as usize)?;
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    Ok(())
}

/// The schema version this build writes.
pub fn schema_version() -> u32 {
    migrations().len() as u32
}

/// The book in the user's data directory, shared by the window and the CLI.
pub fn default_path() -> Result<PathBuf> {
    let data = dirs::data_dir().ok_or_else(|| Error::Io {
        path: "<data directory>".into(),
        source: std::io::Error::other("the user's data directory is unknown (is HOME set?)"),
    })?;
    Ok(data.join(APP_IDENTIFIER).join(DB_FILE_NAME))
}

pub struct Book {
    pub(crate) conn: Connection,
    path: PathBuf,
}

impl Book {
    /// Opens (creating if needed) the book at `path` and brings its schema up to date, then
    /// removes what a killed job left beside it (`remove_leftovers`).
    pub fn open(path: &Path) -> Result<Book> {
        let book = Self::open_book(path)?;
        remove_leftovers(path);
        Ok(book)
    }

    /// A second connection to a book this process already opened, for a job that writes beside
    /// the book's own connection (the day's evaluation): the same pragmas but SQLite's default
    /// page cache (2 MB), and the files beside it left alone, since they may be a running job's
    /// of this process. The job reads the book once in order, which a bigger cache does not
    /// speed up, and the window's process would keep what it filled.
    pub(crate) fn open_beside(path: &Path) -> Result<Book> {
        let book = Self::open_book(path)?;
        book.conn.pragma_update(None, "cache_size", -2000)?;
        Ok(book)
    }

    /// Opens a staging book without touching the files beside it (they include itself).
    pub(crate) fn open_staging(path: &Path) -> Result<Book> {
        Self::open_book(path)
    }

    fn open_book(path: &Path) -> Result<Book> {
        Self::open_inner(path).map_err(|source| match source {
            Error::NewerDatabase { .. } | Error::NotABook { .. } | Error::Io { .. } => source,
            Error::Sqlite(rusqlite::Error::SqliteFailure(failure, _))
                if failure.code == rusqlite::ErrorCode::NotADatabase =>
            {
                Error::NotABook { path: path.display().to_string(), reason: " (not an SQLite file)" }
            }
            other => Error::Open { path: path.display().to_string(), source: Box::new(other) },
        })
    }

    /// Opens a book that must already exist: for commands that only read.
    pub fn open_existing(path: &Path) -> Result<Book> {
        if !path.is_file() {
            return Err(Error::NoBook { path: path.display().to_string() });
        }
        Self::open(path)
    }

    fn open_inner(path: &Path) -> Result<Book> {
        if let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
            create_private_dir_all(parent)
                .map_err(|source| Error::Io { path: parent.display().to_string(), source })?;
        }
        // Private before SQLite opens it: its -wal and -shm take the book's permissions. A book
        // an earlier version left readable by others is made private too.
        ensure_private_file(path).map_err(|source| Error::Io { path: path.display().to_string(), source })?;
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.as_os_str().to_owned();
            file.push(suffix);
            make_private(Path::new(&file));
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        Self::from_connection(conn, path.to_path_buf())
    }

    /// The book for reading only, on a connection of its own: heavy reads (insights) run beside
    /// the book's own connection, never holding up a save. The book must exist at this
    /// version (the window's session opened it first).
    pub fn open_reader(path: &Path) -> Result<Book> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // A reader is opened for each heavy read: mapped, the book's pages come straight from
        // the system's cache, where a fresh connection's own cache would read each one again.
        conn.pragma_update(None, "mmap_size", READER_MMAP_BYTES)?;
        let version: u32 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
        if version > schema_version() {
            return Err(Error::NewerDatabase {
                path: path.display().to_string(),
                found: version,
                known: schema_version(),
            });
        }
        if version < schema_version() {
            return Err(Error::NotABook {
                path: path.display().to_string(),
                reason: " yet: open it in Loupe first",
            });
        }
        Ok(Book { conn, path: path.to_path_buf() })
    }

    /// A private in-memory book, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Book> {
        Self::from_connection(Connection::open_in_memory()?, PathBuf::from(":memory:"))
    }

    fn from_connection(mut conn: Connection, path: PathBuf) -> Result<Book> {
        conn.busy_handler(Some(wait_for_the_other_job))?;
        // Checked before any pragma that writes (journal_mode does), so that a newer book is
        // left exactly as it was.
        let found: u32 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        if found > schema_version() {
            return Err(Error::NewerDatabase {
                path: path.display().to_string(),
                found,
                known: schema_version(),
            });
        }
        let application_id: i32 = conn.query_row("PRAGMA application_id", [], |row| row.get(0))?;
        let has_tables: bool =
            conn.query_row("SELECT EXISTS (SELECT 1 FROM sqlite_master)", [], |row| row.get(0))?;
        if application_id != APPLICATION_ID && (application_id != 0 || has_tables) {
            return Err(Error::NotABook {
                path: path.display().to_string(),
                reason: " (another program's database; it was left untouched)",
            });
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // Every write zeroes what it frees, so an edit or erasure leaves no old value readable
        // in free pages or the unused space of a page.
        conn.pragma_update(None, "secure_delete", "ON")?;
        // NORMAL in WAL mode never corrupts the book; a power cut may lose the last commit only.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // A big import (or its preview, rolled back) grows the WAL; give the disk back after.
        conn.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024)?;
        // 64 MiB of page cache (the default is 2 MiB): the name, tag and search indexes of a
        // 100,000-customer book then stay in memory during bulk loads and type-ahead.
        conn.pragma_update(None, "cache_size", -65536)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        // Every statement the core runs stays prepared: rusqlite keeps 16 by default, fewer
        // than one import row uses, and preparing again costs more than running.
        conn.set_prepared_statement_cache_capacity(256);
        MIGRATIONS.to_latest(&mut conn)?;
        // Written once: opening a book another job is writing (a long import) must not wait.
        if application_id != APPLICATION_ID {
            conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        if found == 0 && !has_tables {
            // A new book holds nothing old: every write to it zeroes what it frees.
            crate::erasure::mark_scrubbed(&conn)?;
        }
        Ok(Book { conn, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `work` in one transaction: all of it lands, or none of it.
    pub(crate) fn with_tx<T>(&mut self, work: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = write_transaction(&mut self.conn)?;
        let value = work(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Runs `read` in one read transaction, unless one is already open. In WAL mode each
    /// statement run alone begins and ends its own, reading the WAL index and taking a lock:
    /// a search's 400 name lookups spent two thirds of their time doing that. One snapshot
    /// also keeps a count and the rows it counted in step.
    pub(crate) fn reading<T>(&self, read: impl FnOnce() -> Result<T>) -> Result<T> {
        if !self.conn.is_autocommit() {
            return read();
        }
        let snapshot = self.conn.unchecked_transaction()?;
        let value = read()?;
        snapshot.commit()?;
        Ok(value)
    }

    pub fn schema_version(&self) -> Result<u32> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }
}

/// A transaction that writes: it takes the book's write lock at once (BEGIN IMMEDIATE), so that
/// while another job holds the book it waits in the busy handler. A deferred one that read
/// first could not wait: SQLite refuses it at its first write once the other job committed.
pub(crate) fn write_transaction(conn: &mut Connection) -> Result<Transaction<'_>> {
    Ok(conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?)
}

/// A name for a staging book beside the book at `book_path`, unique to this process and moment.
pub(crate) fn staging_path(book_path: &Path) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.subsec_nanos());
    let name = book_path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    folder_of(book_path).join(format!("{STAGING_PREFIX}{name}-{}-{nanos}", std::process::id()))
}

fn folder_of(path: &Path) -> &Path {
    path.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// A staging book's files (with its journal files), removed when dropped unless put in place.
pub(crate) struct StagingFiles(pub(crate) PathBuf);

impl Drop for StagingFiles {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut path = self.0.clone().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Removes what a killed job of Loupe's left: staging books of this book beside it, and
/// partial backups beside it, in its backup folder and in the folder chosen for "Back up to…". They may hold people erased since, and
/// nothing would ever list or prune them. Only Loupe's own prefixes, and only files whose job
/// is over: each name carries the id of the process writing it, and a file of a process still
/// running (this one, or a window and a `loupe` command working on the same book) is left
/// alone. Best effort.
fn remove_leftovers(book_path: &Path) {
    if book_path == Path::new(":memory:") {
        return;
    }
    let name = book_path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    let staging = format!("{STAGING_PREFIX}{name}-");
    let partial = crate::backup::PARTIAL_PREFIX;
    let mut folders = vec![folder_of(book_path).to_path_buf(), crate::backup::backup_folder(book_path)];
    if let Ok(crate::offsite::LaptopSettings { offsite_folder: Some(offsite), .. }) =
        crate::offsite::LaptopSettings::load(book_path)
    {
        folders.push(offsite);
    }
    for (index, folder) in folders.iter().enumerate() {
        let Ok(entries) = std::fs::read_dir(folder) else { continue };
        for entry in entries.flatten() {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            let job = file_name
                .strip_prefix(partial)
                .or_else(|| file_name.strip_prefix(&staging).filter(|_| index == 0));
            if let Some(job) = job
                && !job_running(job, &entry)
            {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// Whether the job whose file this is (`<process id>-…` after Loupe's prefix) may still be
/// writing it: its process is this one or is still running. Where the system does not tell
/// (no `/proc`), a file a day old is taken for a leftover.
fn job_running(job: &str, entry: &std::fs::DirEntry) -> bool {
    let Some(process) = job.split('-').next().and_then(|id| id.parse::<u32>().ok()) else {
        // Not a name Loupe writes today (an older version's): nobody is writing it.
        return false;
    };
    if process == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    if proc.is_dir() {
        return proc.join(process.to_string()).exists();
    }
    let age =
        entry.metadata().and_then(|metadata| metadata.modified()).ok().and_then(|time| time.elapsed().ok());
    age.is_none_or(|age| age < Duration::from_secs(24 * 60 * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(MIGRATIONS.validate().is_ok());
    }

    #[test]
    fn a_read_inside_a_read_shares_its_transaction_and_both_end() {
        let book = Book::open_in_memory().expect("book");
        let inner = book.reading(|| {
            assert!(!book.conn.is_autocommit(), "the outer read holds a transaction");
            book.reading(|| Ok(book.conn.is_autocommit()))
        });
        assert!(!inner.expect("nested read"), "the inner read is inside the outer transaction");
        assert!(book.conn.is_autocommit(), "the transaction ended with the outer read");
        let failed: Result<()> = book.reading(|| Err(Error::NotFound { what: "customer", id: 1 }));
        assert!(failed.is_err());
        assert!(book.conn.is_autocommit(), "a failed read leaves no transaction open");
    }

    #[test]
    fn refuses_other_databases_and_files_without_touching_them() {
        let dir = tempfile::tempdir().expect("temp dir");
        let other = dir.path().join("other.sqlite3");
        Connection::open(&other).expect("create").execute_batch("CREATE TABLE notes(x);").expect("setup");
        let text = dir.path().join("notes.txt");
        std::fs::write(&text, "shopping list: bread, milk, a Daytona, more milk, eggs and a lot more")
            .expect("write");
        for path in [&other, &text] {
            let before = std::fs::read(path).expect("read");
            let error = Book::open(path).err().expect("must refuse");
            assert!(matches!(error, Error::NotABook { .. }), "{error}");
            assert!(error.is_user_error());
            assert_eq!(std::fs::read(path).expect("read"), before);
        }
        let missing = dir.path().join("missing.sqlite3");
        assert!(matches!(Book::open_existing(&missing), Err(Error::NoBook { .. })));
        assert!(!missing.exists());
        let book = dir.path().join("book.sqlite3");
        drop(Book::open(&book).expect("new book"));
        assert!(Book::open_existing(&book).is_ok(), "a Loupe book opens again");
    }

    #[test]
    fn refuses_a_newer_book_without_touching_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("newer.sqlite3");
        {
            let conn = Connection::open(&path).expect("create");
            conn.execute_batch("CREATE TABLE t(x); PRAGMA user_version = 99;").expect("setup");
        }
        let before = std::fs::read(&path).expect("read");
        let error = Book::open(&path).err().expect("must refuse");
        assert!(matches!(error, Error::NewerDatabase { found: 99, .. }), "{error}");
        assert!(error.to_string().contains("newer version of Loupe"));
        assert_eq!(std::fs::read(&path).expect("read"), before);
        assert!(!dir.path().join("newer.sqlite3-wal").exists());
    }
}
