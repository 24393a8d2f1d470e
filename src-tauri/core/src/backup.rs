//! Backups and recovery. A backup is a consistent snapshot made with SQLite's online backup
//! API into a hidden partial file, turned into a self-contained single file (rollback journal),
//! synced and only then renamed into place: a backup that is visible is complete. Backups live
//! in `backups/` beside the book, named `<book>-<UTC time>-<kind>.sqlite3`; one is made each
//! day the window opens and the newest N are kept. A restore first backs up the current book,
//! prepares the backup in a staging book beside it (erasures carried over and applied), then
//! replaces the book page by page inside one write transaction, so a restore that is killed
//! leaves the book as it was or as restored. Damaged books set aside by a recovery are kept in
//! `backups/damaged/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::erasure::ErasureRecords;
use crate::error::{Error, Result};
use crate::model::{BookSettings, BookStats, JobProgress};
use crate::private_files::{create_private_dir_all, ensure_private_file, make_private};
use crate::settings::stored_setting_refusal;
use crate::store::{BUSY_TIMEOUT, Book, StagingFiles, schema_version, staging_path};

/// Pages copied per step of a backup or restore (4 MiB at SQLite's default page size).
const PAGES_PER_STEP: i32 = 1024;
const BUSY_PAUSE: std::time::Duration = std::time::Duration::from_millis(50);
const MAX_BUSY_STEPS: u32 = 600;
const TIME_FORMAT: &str = "%Y%m%d-%H%M%S";
/// Files being written start with this and are never listed.
pub(crate) const PARTIAL_PREFIX: &str = ".partial-";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BackupKind {
    /// Made when the window opened on a new day.
    Daily,
    /// Asked for by the dealer.
    Manual,
    /// The book as it was just before a restore replaced it.
    BeforeRestore,
    /// The book as it was just before a whole book was merged into it (a merge cannot be undone).
    BeforeMerge,
    /// A copy written to the folder chosen for "Back up to…" (another disk, a USB drive).
    Offsite,
}

const KINDS: [BackupKind; 5] = [
    BackupKind::Daily,
    BackupKind::Manual,
    BackupKind::BeforeRestore,
    BackupKind::BeforeMerge,
    BackupKind::Offsite,
];

impl BackupKind {
    fn as_str(self) -> &'static str {
        match self {
            BackupKind::Daily => "daily",
            BackupKind::Manual => "manual",
            BackupKind::BeforeRestore => "before-restore",
            BackupKind::BeforeMerge => "before-merge",
            BackupKind::Offsite => "offsite",
        }
    }

    fn parse(text: &str) -> Option<BackupKind> {
        KINDS.into_iter().find(|kind| kind.as_str() == text)
    }

    /// Backups pruned together: the daily ones by `backups_to_keep`; the manual, before-restore
    /// and before-merge ones by `other_backups_to_keep`, so a run of restores or merges never
    /// pushes out the daily ones; the copies in the chosen folder by the same count, there.
    fn group(self) -> KeepGroup {
        match self {
            BackupKind::Daily => KeepGroup::Daily,
            BackupKind::Manual | BackupKind::BeforeRestore | BackupKind::BeforeMerge => KeepGroup::Other,
            BackupKind::Offsite => KeepGroup::Offsite,
        }
    }

    /// How many of this kind's group are kept.
    fn kept(self, settings: &BookSettings) -> usize {
        let keep = match self.group() {
            KeepGroup::Daily => settings.backups_to_keep,
            KeepGroup::Other | KeepGroup::Offsite => settings.other_backups_to_keep,
        };
        keep.max(1) as usize
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeepGroup {
    Daily,
    Other,
    Offsite,
}

/// A backup file in the book's backup folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackupInfo {
    pub path: String,
    pub file_name: String,
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
    pub kind: BackupKind,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// What a backup file holds, read without changing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackupContents {
    pub path: String,
    pub schema_version: u32,
    pub stats: BookStats,
    /// The newest change recorded in it (a customer created or edited), when it has any.
    #[ts(type = "string | null")]
    pub last_change: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RestoreSummary {
    /// The book as it was before the restore.
    pub safety_backup: BackupInfo,
    pub restored: BackupContents,
    /// Customers erased after the backup was made, erased again in the restored book.
    pub erased_again: u32,
}

/// What opening found wrong with a book, with the backup that could replace it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DamagedBook {
    pub path: String,
    pub problem: String,
    pub newest_good_backup: Option<BackupInfo>,
    pub backup_contents: Option<BackupContents>,
}

/// The folder holding the backups of the book at `book_path`.
pub fn backup_folder(book_path: &Path) -> PathBuf {
    book_path.parent().unwrap_or(Path::new(".")).join("backups")
}

fn book_stem(book_path: &Path) -> String {
    book_path.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_else(|| "loupe".into())
}

/// The backups of the book at `book_path`, newest first.
pub fn list_backups(book_path: &Path) -> Result<Vec<BackupInfo>> {
    list_backups_in(&backup_folder(book_path), book_path)
}

/// The backups of the book at `book_path` found in `folder`, newest first.
pub(crate) fn list_backups_in(folder: &Path, book_path: &Path) -> Result<Vec<BackupInfo>> {
    let prefix = format!("{}-", book_stem(book_path));
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(Error::Io { path: folder.display().to_string(), source }),
    };
    let mut backups = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| Error::Io { path: folder.display().to_string(), source })?;
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some((created_at, kind)) = file_name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".sqlite3"))
            .and_then(parse_backup_name)
        else {
            continue;
        };
        let bytes = entry.metadata().map(|metadata| metadata.len()).unwrap_or(0);
        backups.push(BackupInfo {
            path: entry.path().display().to_string(),
            file_name,
            created_at,
            kind,
            bytes,
        });
    }
    backups.sort_by(|a, b| b.created_at.cmp(&a.created_at).then_with(|| b.file_name.cmp(&a.file_name)));
    Ok(backups)
}

/// Removes the oldest backups of `group` in `folder` beyond the newest `keep`, never `spare`
/// (the backup a restore is reading).
fn prune(folder: &Path, book_path: &Path, group: KeepGroup, keep: usize, spare: Option<&Path>) -> Result<()> {
    let backups = list_backups_in(folder, book_path)?;
    let old = backups.iter().filter(|backup| backup.kind.group() == group).skip(keep);
    for backup in old.filter(|backup| spare != Some(Path::new(&backup.path))) {
        std::fs::remove_file(&backup.path)
            .map_err(|source| Error::Io { path: backup.path.clone(), source })?;
    }
    Ok(())
}

/// Whether the day's backup is due at `now`: no daily backup was made in the 24 hours before.
/// A backup named in the future (made while the clock was wrong) says nothing about today.
pub fn daily_backup_due(backups: &[BackupInfo], now: DateTime<Utc>) -> bool {
    !backups.iter().any(|backup| {
        backup.kind == BackupKind::Daily
            && backup.created_at <= now
            && now - backup.created_at < chrono::Duration::hours(24)
    })
}

/// `20261122-081500-daily` (with an optional `-2` when two land in the same second).
fn parse_backup_name(rest: &str) -> Option<(DateTime<Utc>, BackupKind)> {
    let time = rest.get(..15)?;
    let created_at = NaiveDateTime::parse_from_str(time, TIME_FORMAT).ok()?.and_utc();
    let kind_part = rest.get(16..)?;
    let kind_text = kind_part.trim_end_matches(|ch: char| ch.is_ascii_digit()).trim_end_matches('-');
    Some((created_at, BackupKind::parse(kind_text)?))
}

/// Reads what a backup (or any Loupe book file) holds, refusing damaged, foreign and newer
/// files. Opens it read-only: nothing in it changes.
pub fn inspect_backup(path: &Path) -> Result<BackupContents> {
    if !path.is_file() {
        return Err(Error::NoBook { path: path.display().to_string() });
    }
    let conn =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|error| not_a_backup(path, error))?;
    let found: u32 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(|error| not_a_backup(path, error))?;
    let application_id: i32 = conn.query_row("PRAGMA application_id", [], |row| row.get(0))?;
    if application_id != crate::store::APPLICATION_ID {
        return Err(Error::NotABook {
            path: path.display().to_string(),
            reason: " (not a Loupe book or backup)",
        });
    }
    if found > schema_version() {
        return Err(Error::NewerDatabase {
            path: path.display().to_string(),
            found,
            known: schema_version(),
        });
    }
    let problems = integrity_problems(&conn, true)?;
    if !problems.is_empty() {
        return Err(Error::Damaged { path: path.display().to_string(), problem: problems.join("; ") });
    }
    // What Loupe restores it must have made: a trigger, view or table added by hand would run
    // or live on in the book, and a setting the form refuses would break it.
    let refused = |reason: String| Error::ImportFile {
        file: path.display().to_string(),
        problem: format!("{reason}; Loupe will not restore it").into(),
    };
    if let Some(difference) = schema_difference(&conn, found)? {
        return Err(refused(format!("not a backup Loupe made: {difference}")));
    }
    let settings: Vec<(String, String)> = conn
        .prepare("SELECT key, value FROM settings ORDER BY key")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if let Some(refusal) = settings.iter().find_map(|(key, value)| stored_setting_refusal(key, value)) {
        return Err(refused(refusal));
    }
    let count = |table: &str| -> Result<u32> {
        Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| row.get(0))?)
    };
    let stats = BookStats {
        customers: count("customers")?,
        emails: count("customer_emails")?,
        phones: count("customer_phones")?,
        addresses: count("customer_addresses")?,
        tags: conn.query_row("SELECT count(DISTINCT tag COLLATE NOCASE) FROM customer_tags", [], |row| {
            row.get(0)
        })?,
        purchases: count("purchases")?,
        purchase_items: count("purchase_items")?,
        notes: count("notes")?,
        interactions: count("interactions")?,
        wishes: count("wishes")?,
        satisfaction_scores: count("satisfaction_scores")?,
        reminders: count("reminders")?,
        segments: count("segments")?,
        import_batches: count("import_batches")?,
        suppressions: count("suppressions")?,
    };
    let last_change: Option<String> =
        conn.query_row("SELECT max(updated_at) FROM customers", [], |row| row.get(0))?;
    Ok(BackupContents {
        path: path.display().to_string(),
        schema_version: found,
        stats,
        last_change: last_change
            .and_then(|text| DateTime::parse_from_rfc3339(&text).ok())
            .map(|time| time.to_utc()),
    })
}

/// A schema object as `sqlite_master` lists it: (type, name) and (table, SQL with its
/// whitespace folded).
type SchemaObjects = BTreeMap<(String, String), (String, Option<String>)>;

fn schema_objects(conn: &Connection) -> Result<SchemaObjects> {
    // SQLite's statistics tables (`ANALYZE`) hold numbers only and change nothing a book does.
    let mut statement = conn.prepare(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_stat%' ESCAPE '\\'",
    )?;
    let objects = statement
        .query_map([], |row| {
            let sql: Option<String> = row.get(3)?;
            let folded = sql.map(|sql| sql.split_whitespace().collect::<Vec<_>>().join(" "));
            Ok(((row.get(0)?, row.get(1)?), (row.get(2)?, folded)))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(objects)
}

/// What in the schema of the file behind `conn` differs from the schema Loupe gives a book of
/// `version`, in the dealer's words; None when they are the same.
fn schema_difference(conn: &Connection, version: u32) -> Result<Option<String>> {
    let found = schema_objects(conn)?;
    let made = schema_objects(&crate::store::new_schema_at(version)?)?;
    for ((kind, name), definition) in &found {
        match made.get(&(kind.clone(), name.clone())) {
            None => {
                let article = if kind == "index" { "an" } else { "a" };
                return Ok(Some(format!("the file has {article} {kind} '{name}' Loupe never makes")));
            }
            Some(expected) if expected != definition => {
                return Ok(Some(format!(
                    "the file's {kind} '{name}' differs from the one Loupe makes (its definition was changed)"
                )));
            }
            Some(_) => {}
        }
    }
    // A missing table takes its indexes and triggers with it: name the table.
    Ok(made
        .keys()
        .filter(|key| !found.contains_key(*key))
        .min_by_key(|(kind, _)| kind != "table")
        .map(|(kind, name)| format!("the file lacks the {kind} '{name}' Loupe makes")))
}

fn not_a_backup(path: &Path, error: rusqlite::Error) -> Error {
    match error {
        rusqlite::Error::SqliteFailure(failure, _) if failure.code == rusqlite::ErrorCode::NotADatabase => {
            Error::NotABook { path: path.display().to_string(), reason: " (not an SQLite file)" }
        }
        other => Error::Sqlite(other),
    }
}

/// `quick_check` (fast, for every opening) or `integrity_check` (thorough); empty when sound.
pub(crate) fn integrity_problems(conn: &Connection, quick: bool) -> Result<Vec<String>> {
    let pragma = if quick { "PRAGMA quick_check(20)" } else { "PRAGMA integrity_check(20)" };
    let mut statement = conn.prepare(pragma)?;
    let lines =
        statement.query_map([], |row| row.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(if lines == ["ok"] { Vec::new() } else { lines })
}

/// The source's page cache during a copy, in KiB. A copy reads every page once, through the
/// source connection's cache: at the book's 64 MiB it left that much of the book in the
/// window's memory after the day's backup, pages no screen had asked for.
const COPY_CACHE_KIB: i64 = 2048;

/// Copies `source` page by page into `destination`, reporting pages done; the source keeps
/// its own page cache size afterwards.
fn copy_pages(
    source: &Connection,
    destination: &mut Connection,
    progress: &mut dyn FnMut(JobProgress),
) -> Result<()> {
    let cache_size: i64 = source.pragma_query_value(None, "cache_size", |row| row.get(0))?;
    source.pragma_update(None, "cache_size", -COPY_CACHE_KIB)?;
    let copied = copy_each_page(source, destination, progress);
    source.pragma_update(None, "cache_size", cache_size)?;
    copied
}

fn copy_each_page(
    source: &Connection,
    destination: &mut Connection,
    progress: &mut dyn FnMut(JobProgress),
) -> Result<()> {
    let backup = Backup::new(source, destination)?;
    let mut busy_steps = 0;
    loop {
        let step = backup.step(PAGES_PER_STEP)?;
        let pages = backup.progress();
        let total = u64::try_from(pages.pagecount).unwrap_or(0);
        let remaining = u64::try_from(pages.remaining).unwrap_or(0);
        progress(JobProgress { done: total.saturating_sub(remaining), total });
        match step {
            StepResult::Done => return Ok(()),
            // Another connection is writing: let it finish (for up to 30 s), then go on.
            StepResult::Busy | StepResult::Locked if busy_steps < MAX_BUSY_STEPS => {
                busy_steps += 1;
                std::thread::sleep(BUSY_PAUSE);
            }
            StepResult::Busy | StepResult::Locked => {
                return Err(Error::Sqlite(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                    Some("the book stayed busy for 30 s; nothing was copied".into()),
                )));
            }
            _ => busy_steps = 0,
        }
    }
}

/// Writes a consistent snapshot of the book behind `conn` to `out`, atomically.
fn snapshot(conn: &Connection, out: &Path, progress: &mut dyn FnMut(JobProgress)) -> Result<u64> {
    let io_error = |source| Error::Io { path: out.display().to_string(), source };
    let folder = out.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."));
    create_private_dir_all(folder).map_err(io_error)?;
    // tempfile creates it 0600 on Unix (and SQLite its journal alike); the rename keeps that.
    // The process's id in the name tells a job still running from one a kill left behind.
    let partial = tempfile::Builder::new()
        .prefix(&format!("{PARTIAL_PREFIX}{}-", std::process::id()))
        .suffix(".sqlite3")
        .tempfile_in(folder)
        .map_err(io_error)?;
    {
        let mut destination = Connection::open(partial.path())?;
        copy_pages(conn, &mut destination, progress)?;
        // A backup is one self-contained file: no write-ahead log beside it.
        destination.pragma_update(None, "journal_mode", "DELETE")?;
    }
    partial.as_file().sync_all().map_err(io_error)?;
    let file = partial.persist(out).map_err(|error| io_error(error.error))?;
    let bytes = file.metadata().map(|metadata| metadata.len()).unwrap_or(0);
    if let Ok(directory) = std::fs::File::open(folder) {
        // Makes the rename itself survive a power cut (best effort: not every system allows it).
        let _ = directory.sync_all();
    }
    Ok(bytes)
}

impl Book {
    /// A snapshot of the book written to `out` (any path the dealer chose).
    pub fn backup_to(&self, out: &Path, mut progress: impl FnMut(JobProgress)) -> Result<u64> {
        snapshot(&self.conn, out, &mut progress)
    }

    /// A snapshot into the backup folder, named by time and kind; the oldest of its kind's
    /// group beyond the count kept are removed.
    pub fn back_up(&self, kind: BackupKind, mut progress: impl FnMut(JobProgress)) -> Result<BackupInfo> {
        self.back_up_into(&backup_folder(self.path()), kind, None, &mut progress)
    }

    /// A snapshot into `folder`, named by time and kind. Pruning comes first, so that a nearly
    /// full disk has the room of the backup that would be removed once the new one lands anyway:
    /// the group is brought to one fewer than it keeps, but never to none (its newest stays
    /// until the new one is complete), and to its count after. `spare` is never removed.
    pub(crate) fn back_up_into(
        &self,
        folder: &Path,
        kind: BackupKind,
        spare: Option<&Path>,
        progress: &mut dyn FnMut(JobProgress),
    ) -> Result<BackupInfo> {
        let keep = kind.kept(&self.settings()?);
        prune(folder, self.path(), kind.group(), (keep - 1).max(1), spare)?;
        // Whole seconds, as the file name records it.
        let now = crate::clock::now();
        let created_at = DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now);
        let base = format!("{}-{}-{}", book_stem(self.path()), created_at.format(TIME_FORMAT), kind.as_str());
        let mut file_name = format!("{base}.sqlite3");
        let mut copy = 2;
        while folder.join(&file_name).exists() {
            file_name = format!("{base}-{copy}.sqlite3");
            copy += 1;
        }
        let path = folder.join(&file_name);
        let bytes = snapshot(&self.conn, &path, progress)?;
        prune(folder, self.path(), kind.group(), keep, spare)?;
        Ok(BackupInfo { path: path.display().to_string(), file_name, created_at, kind, bytes })
    }

    pub fn backups(&self) -> Result<Vec<BackupInfo>> {
        list_backups(self.path())
    }

    /// Makes the day's backup unless a daily one was made in the last 24 hours
    /// (`daily_backup_due`), and keeps the newest `backups_to_keep` daily backups and
    /// `other_backups_to_keep` others (settings). Returns the backup made, if any.
    pub fn daily_backup_if_due(&self) -> Result<Option<BackupInfo>> {
        let settings = self.settings()?;
        let folder = backup_folder(self.path());
        let made = if daily_backup_due(&self.backups()?, crate::clock::now()) {
            Some(self.back_up(BackupKind::Daily, |_| {})?)
        } else {
            prune(&folder, self.path(), KeepGroup::Daily, BackupKind::Daily.kept(&settings), None)?;
            None
        };
        prune(&folder, self.path(), KeepGroup::Other, BackupKind::Manual.kept(&settings), None)?;
        Ok(made)
    }

    /// Replaces the book with the backup at `path`, after checking the backup and keeping the
    /// current book as a backup. The backup is prepared in a staging book first (migrated,
    /// everyone this book erased erased again, scrubbed), and only then copied into the book
    /// in one write transaction: a restore that is killed leaves the book as it was or as
    /// restored, and never an erased person readable in it.
    pub fn restore_backup(
        &mut self,
        path: &Path,
        mut progress: impl FnMut(JobProgress),
    ) -> Result<RestoreSummary> {
        let restored = inspect_backup(path)?;
        let safety_backup = self.back_up_into(
            &backup_folder(self.path()),
            BackupKind::BeforeRestore,
            Some(path),
            &mut |_| {},
        )?;
        let records = ErasureRecords::read(&self.conn)?;
        let book_path = self.path().to_path_buf();
        let erased_again = {
            let staged = stage(&book_path, path, Some(&records))?;
            copy_pages(&staged.book.conn, &mut self.conn, &mut progress)?;
            staged.erased_again
        };
        // Reopen: the book must get its own connection's pragmas back (WAL).
        *self = Book::open(&book_path)?;
        self.settle_write_ahead_log()?;
        Ok(RestoreSummary { safety_backup, restored, erased_again })
    }

    /// `quick_check` or `integrity_check`: the problems found, none when sound.
    pub fn integrity_problems(&self, quick: bool) -> Result<Vec<String>> {
        integrity_problems(&self.conn, quick)
    }
}

/// Opens the book at `path` and checks it. A damaged book is not an error but a
/// [`DamagedBook`] naming the newest backup that is sound, so the window can offer it.
pub fn open_checked(path: &Path) -> Result<std::result::Result<Book, DamagedBook>> {
    let book = match open_unchecked(path)? {
        Ok(book) => book,
        Err(damaged) => return Ok(Err(damaged)),
    };
    match integrity_problems(&book.conn, true) {
        Ok(problems) if problems.is_empty() => Ok(Ok(book)),
        Ok(problems) => damage_report(path, problems.join("; ")).map(Err),
        Err(error) if is_damage(&error) => damage_report(path, error.to_string()).map(Err),
        Err(error) => Err(error),
    }
}

/// Opens the book without reading all of it: a book too damaged to open at all is a
/// [`DamagedBook`] at once. `check_book` then reads every page on a connection of its own,
/// which on a book of gigabytes takes a minute the window need not wait for.
pub fn open_unchecked(path: &Path) -> Result<std::result::Result<Book, DamagedBook>> {
    match Book::open(path) {
        Ok(book) => Ok(Ok(book)),
        Err(error) if is_damage(&error) => damage_report(path, error.to_string()).map(Err),
        Err(error) => Err(error),
    }
}

/// `quick_check` of the book at `path` on a read-only connection of its own, so the book's
/// own connection stays free meanwhile: `None` when sound, else what is wrong and the backup
/// that could replace it.
pub fn check_book(path: &Path) -> Result<Option<DamagedBook>> {
    let checked =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .and_then(|conn| {
                // As the book's own connection: a writer finishing its commit is waited for.
                conn.busy_timeout(BUSY_TIMEOUT)?;
                Ok(conn)
            })
            .map_err(Error::from)
            .and_then(|conn| integrity_problems(&conn, true));
    let problem = match checked {
        Ok(problems) if problems.is_empty() => return Ok(None),
        Ok(problems) => problems.join("; "),
        Err(error) if is_damage(&error) => error.to_string(),
        Err(error) => return Err(error),
    };
    damage_report(path, problem).map(Some)
}

/// What is wrong with the book at `path`, with the newest backup that opens and reads sound.
fn damage_report(path: &Path, problem: String) -> Result<DamagedBook> {
    let mut damaged = DamagedBook {
        path: path.display().to_string(),
        problem,
        newest_good_backup: None,
        backup_contents: None,
    };
    for backup in list_backups(path)? {
        if let Ok(contents) = inspect_backup(Path::new(&backup.path)) {
            damaged.newest_good_backup = Some(backup);
            damaged.backup_contents = Some(contents);
            break;
        }
    }
    Ok(damaged)
}

fn is_damage(error: &Error) -> bool {
    let sqlite = match error {
        Error::Open { source, .. } => return is_damage(source),
        Error::Sqlite(sqlite) => sqlite,
        _ => return false,
    };
    matches!(
        sqlite.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}

/// A backup prepared in a staging book beside the book, ready to take its place.
struct Staged {
    // Dropped before `files`, which removes them.
    book: Book,
    files: StagingFiles,
    erased_again: u32,
}

/// Copies `backup` into a staging book beside `book_path` (`VACUUM INTO`, which also leaves
/// its free pages behind), brings it to this schema, erases again whom `records` name, scrubs
/// it if it was written before every write zeroed what it freed, and empties its log.
fn stage(book_path: &Path, backup: &Path, records: Option<&ErasureRecords>) -> Result<Staged> {
    let files = StagingFiles(staging_path(book_path));
    let target = files.0.to_str().ok_or_else(|| Error::Io {
        path: files.0.display().to_string(),
        source: std::io::Error::other("the book's folder path is not UTF-8"),
    })?;
    let source = Connection::open_with_flags(
        backup,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    source.busy_timeout(BUSY_TIMEOUT)?;
    // VACUUM INTO writes with this connection's setting: on, every page it starts is zeroed
    // rather than left holding whatever the page cache held before (other pages' rows).
    source.pragma_update(None, "secure_delete", "ON")?;
    // Created private first: VACUUM INTO would create it readable by others.
    ensure_private_file(&files.0).map_err(io(&files.0))?;
    source.execute("VACUUM INTO ?1", [target])?;
    drop(source);
    let mut book = Book::open_staging(&files.0)?;
    let erased_again = match records {
        Some(records) => records.apply(&mut book)?,
        None => 0,
    };
    // Time has passed since the backup: its standing is evaluated again, as of today.
    book.with_tx(|tx| crate::evaluation::refresh_book(tx, crate::clock::today(), true))?;
    book.scrub_if_needed()?;
    book.clear_write_ahead_log()?;
    Ok(Staged { book, files, erased_again })
}

/// What the window tells the dealer after a recovery: the book now open, and whether everyone
/// the damaged book had erased is erased again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecoverySummary {
    pub book: crate::model::BookInfo,
    /// Customers of the backup whom the damaged book had erased, erased again.
    pub erased_again: u32,
    /// The damaged book's erasure records could not be read: people it erased after the
    /// backup was made may be back, for the dealer to erase again.
    pub erasures_unread: bool,
}

/// The book recovered from a backup, and what became of the erasures the damaged book held.
pub struct Recovery {
    pub book: Book,
    /// Customers in the backup whom the damaged book had erased, erased again.
    pub erased_again: u32,
    /// Why the damaged book's erasure records could not be read, when they could not: then
    /// people it erased after the backup was made are back.
    pub erasures_unread: Option<String>,
}

/// Puts the backup at `backup` in place of the damaged book at `book_path`. Everyone the
/// damaged book erased (as far as it can still be read) is erased again before the recovered
/// book takes its place. The damaged file (with its write-ahead log) is kept in the backup
/// folder as `damaged/<name>.damaged-<time>`, never deleted.
pub fn recover_from_backup(book_path: &Path, backup: &Path) -> Result<Recovery> {
    inspect_backup(backup)?;
    let records = Connection::open_with_flags(
        book_path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(Error::from)
    .and_then(|conn| ErasureRecords::read(&conn));
    let (records, erasures_unread) = match records {
        Ok(records) => (Some(records), None),
        Err(error) => (None, Some(format!("the damaged book's erasures could not be read: {error}"))),
    };
    let staged = stage(book_path, backup, records.as_ref())?;
    let Staged { book: staged_book, files, erased_again } = staged;
    drop(staged_book);
    std::fs::File::open(&files.0).and_then(|file| file.sync_all()).map_err(io(&files.0))?;

    let aside_folder = damaged_folder(book_path);
    create_private_dir_all(&aside_folder).map_err(io(&aside_folder))?;
    let aside = aside_folder.join(format!(
        "{}.damaged-{}",
        book_file_name(book_path),
        crate::clock::now().format(TIME_FORMAT)
    ));
    if book_path.exists() {
        // Linked, not moved: the book's name holds the damaged file until the recovered one
        // replaces it in one rename.
        std::fs::hard_link(book_path, &aside)
            .or_else(|_| std::fs::copy(book_path, &aside).map(|_| ()))
            .map_err(io(&aside))?;
        make_private(&aside);
    }
    for suffix in ["-wal", "-shm"] {
        let file = PathBuf::from(format!("{}{suffix}", book_path.display()));
        if file.exists() {
            let target = PathBuf::from(format!("{}{suffix}", aside.display()));
            std::fs::rename(&file, &target)
                .or_else(|_| std::fs::copy(&file, &target).and_then(|_| std::fs::remove_file(&file)))
                .map_err(io(&file))?;
            make_private(&target);
        }
    }
    std::fs::rename(&files.0, book_path).map_err(io(book_path))?;
    drop(files);
    if let Ok(directory) = std::fs::File::open(book_path.parent().unwrap_or(Path::new("."))) {
        let _ = directory.sync_all();
    }
    Ok(Recovery { book: Book::open(book_path)?, erased_again, erasures_unread })
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io { path: path.display().to_string(), source }
}

/// Where the damaged books set aside by a recovery are kept: with the backups, since they may
/// hold people erased since.
pub fn damaged_folder(book_path: &Path) -> PathBuf {
    backup_folder(book_path).join("damaged")
}

fn book_file_name(book_path: &Path) -> String {
    book_path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_else(|| "loupe".into())
}

/// How many copies of the book at `book_path` (its backups and damaged books set aside) hold
/// the customer with this id and `created_at`. A copy that cannot be read counts: it may.
pub(crate) fn copies_holding(book_path: &Path, id: i64, created_at: &str) -> Result<u32> {
    if book_path == Path::new(":memory:") {
        return Ok(0);
    }
    let mut copies: Vec<PathBuf> =
        list_backups(book_path)?.into_iter().map(|backup| PathBuf::from(backup.path)).collect();
    let prefix = format!("{}.damaged-", book_file_name(book_path));
    if let Ok(entries) = std::fs::read_dir(damaged_folder(book_path)) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(&prefix) && !name.ends_with("-wal") && !name.ends_with("-shm") {
                copies.push(entry.path());
            }
        }
    }
    let mut holding = 0;
    for copy in copies {
        let holds = Connection::open_with_flags(
            &copy,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .and_then(|conn| {
            conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM customers WHERE id = ?1 AND created_at = ?2)",
                params![id, created_at],
                |row| row.get::<_, bool>(0),
            )
        })
        .unwrap_or(true);
        holding += u32::from(holds);
    }
    Ok(holding)
}

/// Why a backup failed, in the words the window gives the dealer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BackupFailureKind {
    /// The disk is full.
    DiskFull,
    /// The system does not let Loupe write there.
    NotAllowed,
    /// The backup folder is not a folder Loupe can write into (a file has its name).
    FolderUnusable,
    /// The folder chosen for "Back up to…" is not there (a drive not plugged in).
    FolderMissing,
    /// Another job kept the book busy.
    BookBusy,
    /// Anything else: `detail` says what.
    Other,
}

/// A backup that failed: its kind for the window's wording, and the error itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackupFailure {
    pub kind: BackupFailureKind,
    /// The error in English, as the logs and the CLI show it.
    pub detail: String,
}

impl BackupFailure {
    pub fn of(error: &Error) -> BackupFailure {
        BackupFailure { kind: failure_kind(error), detail: error.to_string() }
    }
}

fn failure_kind(error: &Error) -> BackupFailureKind {
    use std::io::ErrorKind as Io;
    match error {
        Error::Open { source, .. } => failure_kind(source),
        Error::Invalid { problem: crate::problem::Problem::OffsiteFolderMissing { .. }, .. } => {
            BackupFailureKind::FolderMissing
        }
        Error::Invalid { problem: crate::problem::Problem::OffsiteFolderNotWritable { .. }, .. } => {
            BackupFailureKind::NotAllowed
        }
        Error::Io { source, .. } => match source.kind() {
            Io::StorageFull | Io::QuotaExceeded => BackupFailureKind::DiskFull,
            Io::PermissionDenied | Io::ReadOnlyFilesystem => BackupFailureKind::NotAllowed,
            Io::AlreadyExists | Io::NotADirectory | Io::NotFound => BackupFailureKind::FolderUnusable,
            _ => BackupFailureKind::Other,
        },
        Error::Sqlite(sqlite) => match sqlite.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DiskFull) => BackupFailureKind::DiskFull,
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                BackupFailureKind::BookBusy
            }
            Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::PermissionDenied) => {
                BackupFailureKind::NotAllowed
            }
            Some(rusqlite::ErrorCode::CannotOpen) => BackupFailureKind::FolderUnusable,
            _ => BackupFailureKind::Other,
        },
        _ => BackupFailureKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_reads_through_a_small_cache_and_gives_the_book_its_own_back() {
        let dir = tempfile::tempdir().expect("dir");
        let book = Book::open(&dir.path().join("book.sqlite3")).expect("book");
        let cache_size = |book: &Book| -> i64 {
            book.conn.pragma_query_value(None, "cache_size", |row| row.get(0)).expect("cache_size")
        };
        let before = cache_size(&book);
        let mut during = Vec::new();
        book.backup_to(&dir.path().join("copy.sqlite3"), |_| during.push(cache_size(&book))).expect("copy");
        assert!(!during.is_empty() && during.iter().all(|&size| size == -COPY_CACHE_KIB), "{during:?}");
        assert_eq!(cache_size(&book), before);
    }
}
