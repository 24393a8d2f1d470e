//! Killing `loupe` (SIGKILL, no chance to clean up) at random moments of each long write — a
//! contacts import, a whole-book import, a restore (also one that erases someone again), a
//! backup — leaves a book that opens, passes `integrity_check`, and holds either the state
//! before or the state after in every table, never a mixture; nor anything of an erased person
//! outside the backups.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use loupe_core::backup::{inspect_backup, list_backups};
use rusqlite::Connection;

/// Everything a dealer could see, reduced to one number: every row of every table of the book
/// (`content_tables`), in id order, without the clock times (`*_at`) that differ between two
/// runs of the same import.
fn fingerprint(path: &Path) -> u64 {
    let book = loupe_core::Book::open(path).expect("the book opens after the kill");
    assert!(
        book.integrity_problems(false).expect("integrity_check runs").is_empty(),
        "integrity_check fails"
    );
    drop(book);
    let conn = Connection::open(path).expect("open");
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for table in content_tables(&conn) {
        // The search index as its documents: how FTS5 lays out its segments is not content.
        let select = if table == "customer_search" {
            "SELECT rowid, * FROM customer_search ORDER BY 1".to_string()
        } else {
            format!("SELECT * FROM {table} ORDER BY 1, 2")
        };
        let mut statement = conn.prepare(&select).expect("select");
        let compared: Vec<usize> = (0..statement.column_count())
            .filter(|&index| !statement.column_name(index).is_ok_and(|name| name.ends_with("_at")))
            .collect();
        let mut rows = statement.query([]).expect("rows");
        let mut count = 0u64;
        while let Some(row) = rows.next().expect("row") {
            for &index in &compared {
                format!("{:?}", row.get_ref(index).expect("value")).hash(&mut hasher);
            }
            count += 1;
        }
        (table, count).hash(&mut hasher);
    }
    hasher.finish()
}

/// Every table of the book but SQLite's own and the search index's storage, so that a table
/// a later version adds is compared without being listed here.
fn content_tables(conn: &Connection) -> Vec<String> {
    let mut statement = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
             AND name NOT LIKE 'customer\\_search\\_%' ESCAPE '\\' ORDER BY name",
        )
        .expect("list tables");
    let tables =
        statement.query_map([], |row| row.get(0)).expect("tables").collect::<Result<Vec<String>, _>>();
    let tables = tables.expect("table names");
    assert!(tables.len() >= 20 && tables.iter().any(|name| name == "customer_search"), "{tables:?}");
    tables
}

/// Every file in `folder` and below it, except the backup folder.
fn files_outside_backups(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).expect("folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            if entry.file_name() != "backups" {
                files.extend(files_outside_backups(&path));
            }
        } else {
            files.push(path);
        }
    }
    files
}

fn loupe(book: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_loupe"));
    command.arg("--db").arg(book).args(args).env_remove("LOUPE_DB");
    command.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    command
}

fn run(book: &Path, args: &[&str]) {
    let status = loupe(book, args).status().expect("loupe runs");
    assert!(status.success(), "loupe {args:?} failed");
}

/// Copies a closed book (no write-ahead log beside it) for one attempt.
fn fresh_copy(base: &Path, dir: &Path, name: &str) -> PathBuf {
    let copy = dir.join(format!("{name}.sqlite3"));
    std::fs::copy(base, &copy).expect("copy the book");
    copy
}

struct Outcomes {
    before: u32,
    after: u32,
}

/// Runs `args` uninterrupted once to learn the state after and how long it takes, then
/// `kills` times killed after a random delay within that time.
fn kill_at_random(
    name: &str,
    base: &Path,
    dir: &Path,
    args: &[&str],
    kills: u32,
    check: impl Fn(&Path),
) -> Outcomes {
    let before = fingerprint(base);
    let complete = fresh_copy(base, dir, &format!("{name}-complete"));
    let started = Instant::now();
    run(&complete, args);
    let duration = started.elapsed();
    let after = fingerprint(&complete);
    assert_ne!(before, after, "{name} must change the book for the test to mean anything");

    let seed = std::env::var("LOUPE_KILL_SEED").ok().and_then(|seed| seed.parse().ok()).unwrap_or(20261123);
    let mut random = fastrand::Rng::with_seed(seed ^ name.len() as u64);
    let mut outcomes = Outcomes { before: 0, after: 0 };
    for attempt in 0..kills {
        let book = fresh_copy(base, dir, &format!("{name}-{attempt}"));
        // Half the kills anywhere, half around the end, where the commit happens.
        let fraction = if attempt % 2 == 0 { random.f64() } else { 0.85 + 0.2 * random.f64() };
        let delay = duration.mul_f64(fraction);
        let mut child = loupe(&book, args).spawn().expect("spawn");
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL; it may already have finished
        child.wait().expect("wait");
        let state = fingerprint(&book);
        assert!(
            state == before || state == after,
            "{name}: killed after {delay:?} (seed {seed}), the book is neither as before nor as after"
        );
        if state == before {
            outcomes.before += 1;
        } else {
            outcomes.after += 1;
        }
        check(&book);
    }
    eprintln!(
        "{name}: {kills} kills within {duration:?}: {} left the book as before, {} as after",
        outcomes.before, outcomes.after
    );
    outcomes
}

#[test]
fn killing_loupe_mid_write_never_damages_or_half_writes_the_book() {
    let dir = tempfile::tempdir().expect("dir");
    let base = dir.path().join("base.sqlite3");
    run(&base, &["demo", "--customers", "3000", "--seed", "9"]);

    // A visitor log, half new people and half people already in the book (merges).
    let contacts = dir.path().join("visitors.csv");
    let mut csv = String::from("Name,Email,Phone,Company\n");
    for index in 0..6_000 {
        csv.push_str(&format!(
            "Visitor {index},visitor{index}@example.com,+44 7911 {:06},Fair Ltd\n",
            100_000 + index
        ));
    }
    std::fs::write(&contacts, csv).expect("write the visitor log");
    let contacts = contacts.display().to_string();

    // A backup of a different book, to restore over the base.
    let other = dir.path().join("other.sqlite3");
    run(&other, &["demo", "--customers", "2500", "--seed", "4"]);
    let backup = dir.path().join("other-backup.sqlite3");
    run(&other, &["backup", "--out", &backup.display().to_string()]);
    let backup = backup.display().to_string();

    let no_check = |_: &Path| {};
    let mut kills = 0;
    let import = kill_at_random("import", &base, dir.path(), &["import", "contacts", &contacts], 8, no_check);
    kills += import.before + import.after;
    let restore = kill_at_random("restore", &base, dir.path(), &["restore", &backup], 7, no_check);
    kills += restore.before + restore.after;

    // A restore that erases someone again: the backup holds a customer erased since. Whenever
    // it is killed, the book's folder holds nothing of them outside the backups (opening the
    // book, as `fingerprint` does, removes a staging book the kill left).
    let erased_base = dir.path().join("erased-base.sqlite3");
    std::fs::copy(&base, &erased_base).expect("copy the base");
    let held = dir.path().join("held-backup.sqlite3");
    {
        let mut book = loupe_core::Book::open(&erased_base).expect("book");
        let draft = loupe_core::model::CustomerDraft {
            emails: vec![loupe_core::model::EmailEntry {
                label: String::new(),
                address: "qzwyrtle@example.com".into(),
                primary: true,
            }],
            ..loupe_core::model::CustomerDraft::named("Quintessa Zwyrtle")
        };
        let id = book.create_customer(draft).expect("customer").id;
        book.backup_to(&held, |_| {}).expect("backup");
        book.erase_customer(id).expect("erase");
        // Someone the restore takes away, so that it changes the book.
        book.create_customer(loupe_core::model::CustomerDraft::named("After The Backup")).expect("customer");
    }
    let folder_of_copies = dir.path().join("re-erase");
    std::fs::create_dir_all(&folder_of_copies).expect("folder");
    let held = held.display().to_string();
    let nothing_readable = |book: &Path| {
        let folder = book.parent().expect("folder");
        for secret in ["Zwyrtle", "zwyrtle", "qzwyrtle@example.com"] {
            let found = files_outside_backups(folder).into_iter().find(|file| {
                std::fs::read(file)
                    .expect("read")
                    .windows(secret.len())
                    .any(|window| window == secret.as_bytes())
            });
            assert!(found.is_none(), "'{secret}' is readable in {found:?} after a killed restore");
        }
    };
    let re_erase = kill_at_random(
        "restore re-erasing",
        &erased_base,
        &folder_of_copies,
        &["restore", &held],
        6,
        nothing_readable,
    );
    kills += re_erase.before + re_erase.after;

    // The whole base book moved into an empty one.
    let folder = dir.path().join("book-folder");
    let folder = folder.display().to_string();
    run(&base, &["export", "book", "--out", &folder]);
    let empty = dir.path().join("empty.sqlite3");
    drop(loupe_core::Book::open(&empty).expect("an empty book"));
    let moved = kill_at_random("book import", &empty, dir.path(), &["import", "book", &folder], 6, no_check);
    kills += moved.before + moved.after;

    // A backup does not change the book; the file it writes must be whole or absent.
    let backup_base = fresh_copy(&base, dir.path(), "backup-base");
    let before = fingerprint(&backup_base);
    let mut random = fastrand::Rng::with_seed(7);
    for attempt in 0..7 {
        let book = fresh_copy(&base, dir.path(), &format!("backup-{attempt}"));
        let mut child = loupe(&book, &["backup"]).spawn().expect("spawn");
        std::thread::sleep(Duration::from_millis(random.u64(0..400)));
        let _ = child.kill();
        child.wait().expect("wait");
        assert_eq!(fingerprint(&book), before, "a backup never changes the book");
        for listed in list_backups(&book).expect("list") {
            inspect_backup(Path::new(&listed.path)).expect("a listed backup is whole");
        }
        kills += 1;
    }
    assert!(kills >= 20, "at least 20 kills");
}
