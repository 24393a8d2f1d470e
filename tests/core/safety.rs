//! Keeping the book safe: erasure leaves nothing readable behind, backups are consistent and
//! restorable, and a damaged book is met with the newest good backup.

use std::path::Path;

use loupe_core::backup::{self, BackupKind};
use loupe_core::model::*;
use loupe_core::{Book, Error};
use rusqlite::Connection;

fn draft(name: &str, email: &str, phone: &str) -> CustomerDraft {
    CustomerDraft {
        emails: vec![EmailEntry { label: String::new(), address: email.into(), primary: true }],
        phones: vec![PhoneEntry { label: String::new(), number: phone.into(), e164: None, primary: true }],
        consents: vec![Consent {
            channel: Channel::Email,
            status: ConsentStatus::OptedIn,
            date: None,
            source: "counter".into(),
        }],
        tags: vec!["VIP".into()],
        ..CustomerDraft::named(name)
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle.as_bytes())
}

fn file_bytes(path: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(path).expect("book");
    if let Ok(wal) = std::fs::read(format!("{}-wal", path.display())) {
        bytes.extend(wal);
    }
    bytes
}

#[test]
fn erasure_leaves_nothing_readable_and_keeps_only_hashes() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("book.sqlite3");
    let mut book = Book::open(&path).expect("book");
    let keep =
        book.create_customer(draft("Kept Person", "kept@example.com", "+44 7911 123111")).expect("kept");
    let gone = book
        .create_customer(CustomerDraft {
            referred_by: Some(keep.id),
            ..draft("Zebediah Quuxwhistle", "zebediah.quux@example.com", "+44 7911 123999")
        })
        .expect("gone");
    book.update_customer(
        keep.id,
        CustomerDraft {
            referred_by: Some(gone.id),
            ..draft("Kept Person", "kept@example.com", "+44 7911 123111")
        },
    )
    .expect("referral");
    book.add_entry(
        gone.id,
        NoteDraft {
            category: NoteCategory::PersonalInterest,
            body: "Quuxwhistle collects moonphases".into(),
            pinned: true,
            noted_on: loupe_core::today(),
        },
    )
    .expect("note");

    let summary = book.erase_customer(gone.id).expect("erase");
    assert_eq!(
        (summary.name.as_str(), summary.suppressed_emails, summary.suppressed_phones),
        ("Zebediah Quuxwhistle", 1, 1)
    );
    assert!(matches!(book.customer(gone.id), Err(Error::NotFound { .. })));
    assert!(book.search_customers("Quuxwhistle", 10).expect("search").is_empty());
    assert!(book.search_customers("900999", 10).expect("search").is_empty());
    assert_eq!(book.customer(keep.id).expect("kept").profile.referred_by, None);
    let stats = book.stats().expect("stats");
    assert_eq!((stats.customers, stats.notes, stats.suppressions), (1, 0, 2));
    assert!(matches!(book.erase_customer(gone.id), Err(Error::NotFound { .. })));
    drop(book);

    let bytes = file_bytes(&path);
    // The search index holds folded words: look for those too.
    for secret in [
        "Quuxwhistle",
        "quuxwhistle",
        "zebediah",
        "zebediah.quux@example.com",
        "+447911123999",
        "7911123999",
        "moonphases",
    ] {
        assert!(!contains(&bytes, secret), "'{secret}' is still readable in the book file");
    }
    assert!(contains(&bytes, "kept@example.com"), "the check can see what is there");
}

#[test]
fn an_erasure_during_a_long_read_leaves_the_log_once_the_read_ends() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("book.sqlite3");
    let mut book = Book::open(&path).expect("book");
    let gone = book.create_customer(draft("Ottoline Vexworthy", "ottoline@example.com", "")).expect("gone");
    // Another connection in the middle of a long read, as the window's check of the book is.
    let reader = Connection::open(&path).expect("reader");
    reader.execute_batch("BEGIN").expect("begin");
    let _: i64 = reader.query_row("SELECT count(*) FROM customers", [], |row| row.get(0)).expect("read");

    book.erase_customer(gone.id).expect("erase");
    let log = dir.path().join("book.sqlite3-wal");
    assert!(!book.clear_write_ahead_log().expect("checkpoint"), "the read holds the log");
    assert!(std::fs::metadata(&log).expect("log").len() > 0);
    reader.execute_batch("COMMIT").expect("end the read");
    assert!(book.clear_write_ahead_log().expect("checkpoint"), "nothing holds the log now");
    assert_eq!(std::fs::metadata(&log).expect("log").len(), 0, "the log is emptied");
    drop((book, reader));
    for secret in ["Vexworthy", "vexworthy", "ottoline@example.com"] {
        assert!(!contains(&file_bytes(&path), secret), "'{secret}' is still readable in the book file");
    }
}

#[test]
fn backups_restore_the_book_as_it_was_and_keep_the_current_one() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("loupe.sqlite3");
    let mut book = Book::open(&path).expect("book");
    let first =
        book.create_customer(draft("Before Backup", "before@example.com", "+44 7911 123001")).expect("one");
    let backup = book.back_up(BackupKind::Manual, |_| {}).expect("backup");
    assert_eq!(backup.kind, BackupKind::Manual);
    assert!(backup.file_name.starts_with("loupe-") && backup.file_name.ends_with("-manual.sqlite3"));
    assert_eq!(book.backups().expect("list"), vec![backup.clone()]);
    let contents = backup::inspect_backup(Path::new(&backup.path)).expect("inspect");
    assert_eq!(contents.stats.customers, 1);
    assert!(!Path::new(&format!("{}-wal", backup.path)).exists(), "a backup is one file");

    book.create_customer(draft("After Backup", "after@example.com", "+44 7911 123002")).expect("two");
    let erased =
        book.create_customer(draft("Erased Later", "erased@example.com", "+44 7911 123003")).expect("three");
    book.erase_customer(first.id).expect("erase the first");
    let _ = erased;

    let mut progress = Vec::new();
    let summary = book.restore_backup(Path::new(&backup.path), |step| progress.push(step)).expect("restore");
    assert!(progress.last().is_some_and(|last| last.done == last.total && last.total > 0));
    assert_eq!(summary.restored.stats.customers, 1);
    assert_eq!(summary.safety_backup.kind, BackupKind::BeforeRestore);
    assert_eq!(summary.erased_again, 1, "the customer erased after the backup stays erased");
    assert_eq!(book.stats().expect("stats").customers, 0);
    assert!(book.integrity_problems(false).expect("check").is_empty());

    // The book before the restore is itself a backup that restores.
    let safety = backup::inspect_backup(Path::new(&summary.safety_backup.path)).expect("safety");
    assert_eq!(safety.stats.customers, 2);
    book.restore_backup(Path::new(&summary.safety_backup.path), |_| {}).expect("undo the restore");
    let names: Vec<String> = book
        .list_customers(&ListQuery::default())
        .expect("list")
        .rows
        .into_iter()
        .map(|row| row.full_name)
        .collect();
    assert_eq!(names, ["After Backup", "Erased Later"]);
}

#[test]
fn restore_refuses_what_is_not_a_sound_loupe_book_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let mut book = Book::open(&dir.path().join("loupe.sqlite3")).expect("book");
    book.create_customer(CustomerDraft::named("Stays")).expect("customer");
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a book at all, just some words that are long enough").expect("write");
    let foreign = dir.path().join("other.sqlite3");
    Connection::open(&foreign).expect("other").execute_batch("CREATE TABLE t(x);").expect("table");
    let newer = dir.path().join("newer.sqlite3");
    book.backup_to(&newer, |_| {}).expect("copy");
    Connection::open(&newer).expect("open").execute_batch("PRAGMA user_version = 99;").expect("bump");

    for (file, expected) in
        [(&text, "not an SQLite file"), (&foreign, "not a Loupe book"), (&newer, "newer version")]
    {
        let error = book.restore_backup(file, |_| {}).expect_err("refused");
        assert!(error.is_user_error() && error.to_string().contains(expected), "{error}");
    }
    assert!(matches!(
        book.restore_backup(&dir.path().join("missing.sqlite3"), |_| {}),
        Err(Error::NoBook { .. })
    ));
    assert_eq!(book.stats().expect("stats").customers, 1);
    assert!(book.backups().expect("list").is_empty(), "no safety backup for a refused restore");
}

/// Restoring `file` is refused with a message holding `expected`, before anything is written.
fn restore_refused(book: &mut Book, file: &Path, expected: &str) {
    let before = book.stats().expect("stats");
    let backups = book.backups().expect("list");
    let inspected = backup::inspect_backup(file).expect_err("the Backups screen says so");
    assert!(inspected.is_user_error() && inspected.to_string().contains(expected), "{inspected}");
    let error = book.restore_backup(file, |_| {}).expect_err("refused");
    assert!(error.is_user_error() && error.to_string().contains(expected), "{error}");
    assert!(error.to_string().contains(&file.display().to_string()), "names the file: {error}");
    assert_eq!(book.stats().expect("stats"), before);
    assert_eq!(book.backups().expect("list"), backups, "no safety backup for a refused restore");
}

/// A copy of `backup` called `name`, changed by `sql`.
fn changed_copy(backup: &Path, name: &str, sql: &str) -> std::path::PathBuf {
    let copy = backup.with_file_name(name);
    std::fs::copy(backup, &copy).expect("copy");
    Connection::open(&copy).expect("open").execute_batch(sql).expect("change");
    copy
}

#[test]
fn restore_refuses_a_backup_whose_settings_the_form_would_refuse() {
    let dir = tempfile::tempdir().expect("dir");
    let mut book = Book::open(&dir.path().join("loupe.sqlite3")).expect("book");
    book.create_customer(CustomerDraft::named("Stays")).expect("customer");
    let made = dir.path().join("made.sqlite3");
    book.backup_to(&made, |_| {}).expect("backup");
    for (name, key, value) in [
        ("none.sqlite3", "backups_to_keep", "0"),
        ("many.sqlite3", "backups_to_keep", "5000"),
        ("money.sqlite3", "default_currency", "DOUBLOONS"),
    ] {
        let sql = format!(
            "INSERT INTO settings (key, value) VALUES ('{key}', '{value}')
             ON CONFLICT (key) DO UPDATE SET value = excluded.value;"
        );
        let bad = changed_copy(&made, name, &sql);
        restore_refused(&mut book, &bad, &format!("the setting {key} is '{value}'"));
    }
    book.restore_backup(&made, |_| {}).expect("the untouched backup restores");
}

#[test]
fn restore_refuses_a_backup_whose_schema_loupe_did_not_make() {
    let dir = tempfile::tempdir().expect("dir");
    let mut book = Book::open(&dir.path().join("loupe.sqlite3")).expect("book");
    book.create_customer(CustomerDraft::named("Stays")).expect("customer");
    let made = dir.path().join("made.sqlite3");
    book.backup_to(&made, |_| {}).expect("backup");
    for (name, sql, expected) in [
        (
            "trigger.sqlite3",
            "CREATE TRIGGER spy AFTER INSERT ON customers BEGIN DELETE FROM notes; END;",
            "the file has a trigger 'spy' Loupe never makes",
        ),
        (
            "view.sqlite3",
            "CREATE VIEW everyone AS SELECT * FROM customers;",
            "the file has a view 'everyone'",
        ),
        ("table.sqlite3", "CREATE TABLE loot (x TEXT);", "the file has a table 'loot' Loupe never makes"),
        ("index.sqlite3", "CREATE INDEX extra ON customers(company);", "the file has an index 'extra'"),
        (
            "column.sqlite3",
            "ALTER TABLE customers ADD COLUMN secret TEXT;",
            "the file's table 'customers' differs from the one Loupe makes",
        ),
        ("dropped.sqlite3", "DROP TABLE wishes;", "the file lacks the table 'wishes' Loupe makes"),
    ] {
        let bad = changed_copy(&made, name, sql);
        restore_refused(&mut book, &bad, expected);
    }

    // A genuine backup of an older version: a book made by the first two migrations.
    let old = dir.path().join("version-2.sqlite3");
    {
        let conn = Connection::open(&old).expect("old");
        conn.execute_batch(include_str!("../../src-tauri/core/migrations/0001_initial.sql")).expect("v1");
        conn.execute_batch(include_str!("../../src-tauri/core/migrations/0002_history.sql")).expect("v2");
        conn.execute_batch(
            "PRAGMA user_version = 2; PRAGMA application_id = 1280267600;
             INSERT INTO customers (full_name, sort_name, customer_type, created_at, updated_at)
                 VALUES ('Old Timer', 'old timer', 'retail', '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00');",
        )
        .expect("stamp");
    }
    assert_eq!(backup::inspect_backup(&old).expect("inspect").schema_version, 2);
    book.restore_backup(&old, |_| {}).expect("restore the old backup");
    let names: Vec<String> = book
        .list_customers(&ListQuery::default())
        .expect("list")
        .rows
        .into_iter()
        .map(|row| row.full_name)
        .collect();
    assert_eq!(names, ["Old Timer"]);
    // An old backup with a trigger of its own is refused all the same.
    let old_spy = changed_copy(
        &old,
        "version-2-spy.sqlite3",
        "CREATE TRIGGER spy AFTER INSERT ON notes BEGIN SELECT 1; END;",
    );
    restore_refused(&mut book, &old_spy, "the file has a trigger 'spy' Loupe never makes");
}

#[test]
fn the_daily_backup_is_made_once_a_day_and_only_the_newest_are_kept() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("loupe.sqlite3");
    let mut book = Book::open(&path).expect("book");
    book.update_settings(&BookSettings { backups_to_keep: 3, ..book.settings().expect("settings") })
        .expect("keep 3");
    let made = book.daily_backup_if_due().expect("daily").expect("made");
    assert_eq!(made.kind, BackupKind::Daily);
    assert!(book.daily_backup_if_due().expect("again").is_none(), "not twice in a day");

    // Older backups, as if from earlier days, and a partial file a killed backup left.
    let folder = backup::backup_folder(&path);
    for day in 1..=4 {
        std::fs::copy(&made.path, folder.join(format!("loupe-2026010{day}-080000-daily.sqlite3")))
            .expect("copy");
    }
    std::fs::write(folder.join(".partial-abc.sqlite3"), b"half").expect("partial");
    std::fs::write(folder.join("other-20260101-080000-daily.sqlite3"), b"another book's").expect("other");
    book.daily_backup_if_due().expect("prune");
    let kept: Vec<String> =
        book.backups().expect("list").into_iter().map(|backup| backup.file_name).collect();
    assert_eq!(kept.len(), 3);
    assert_eq!(kept[0], made.file_name);
    assert_eq!(kept[1..], ["loupe-20260104-080000-daily.sqlite3", "loupe-20260103-080000-daily.sqlite3"]);
    assert!(
        folder.join("other-20260101-080000-daily.sqlite3").exists(),
        "another book's backups are left alone"
    );

    let refused =
        book.update_settings(&BookSettings { backups_to_keep: 0, ..book.settings().expect("settings") });
    assert!(matches!(refused, Err(Error::Invalid { field, .. }) if field == "backups_to_keep"));
}

#[test]
fn a_damaged_book_is_met_with_the_newest_good_backup() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("loupe.sqlite3");
    {
        let mut book = Book::open(&path).expect("book");
        for index in 0..300 {
            book.create_customer(draft(&format!("Customer {index}"), &format!("c{index}@example.com"), ""))
                .expect("customer");
        }
        book.back_up(BackupKind::Daily, |_| {}).expect("backup");
        Connection::open(&path)
            .expect("open")
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .expect("checkpoint");
    }
    // Scribble over the customers table's root page: wherever the schema puts it, the check
    // must find it (the middle of the file may hold only the search index's blobs).
    let (page_size, root_page): (i64, i64) = Connection::open(&path)
        .expect("open")
        .query_row(
            "SELECT (SELECT page_size FROM pragma_page_size), rootpage FROM sqlite_master WHERE name = 'customers'",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("where the customers are");
    let mut bytes = std::fs::read(&path).expect("read");
    let start = usize::try_from(page_size * (root_page - 1)).expect("offset");
    bytes[start..start + usize::try_from(page_size).expect("size")].fill(0x5a);
    std::fs::write(&path, &bytes).expect("damage");

    // The window's way: open at once, check on a connection of its own.
    let in_background = backup::check_book(&path).expect("check runs").expect("the check finds the damage");
    let damaged = match backup::open_checked(&path).expect("checked") {
        Ok(_) => panic!("the damage must be found"),
        Err(damaged) => damaged,
    };
    assert_eq!(in_background, damaged, "both ways of checking report the same");
    assert!(!damaged.problem.is_empty());
    let offered = damaged.newest_good_backup.expect("a backup is offered");
    assert_eq!(damaged.backup_contents.expect("contents").stats.customers, 300);

    let book = backup::recover_from_backup(&path, Path::new(&offered.path)).expect("recover").book;
    assert_eq!(book.stats().expect("stats").customers, 300);
    assert!(book.integrity_problems(false).expect("check").is_empty());
    assert_eq!(backup::check_book(&path).expect("check runs"), None, "the recovered book checks sound");
    let kept_aside = std::fs::read_dir(backup::damaged_folder(&path))
        .expect("damaged folder")
        .filter_map(|entry| entry.ok())
        .any(|entry| entry.file_name().to_string_lossy().starts_with("loupe.sqlite3.damaged-"));
    assert!(kept_aside, "the damaged file is kept with the backups, never deleted");
}

#[test]
fn an_old_file_cannot_quietly_bring_an_erased_customer_back() {
    use loupe_core::import::{ImportOptions, RowOutcome};
    use std::sync::atomic::AtomicBool;

    let dir = tempfile::tempdir().expect("dir");
    let mut book = Book::open(&dir.path().join("loupe.sqlite3")).expect("book");
    let gone =
        book.create_customer(draft("Forget Me", "Forget.Me@example.com", "+44 7911 123001")).expect("gone");
    book.erase_customer(gone.id).expect("erase");

    let file = dir.path().join("old-fair.csv");
    std::fs::write(
        &file,
        "Name,Email,Phone\nForget Me, forget.me@EXAMPLE.com ,\nSame Phone,,07911 123001\nNew Visitor,new@example.com,\n",
    )
    .expect("write");
    let never = AtomicBool::new(false);
    let preview = book.preview_import(&file, &ImportOptions::default(), &never, |_| {}).expect("preview");
    assert_eq!((preview.counts.erased, preview.counts.new), (2, 1));
    let erased_lines: Vec<u64> =
        preview.rows.iter().filter(|row| row.outcome == RowOutcome::Erased).map(|row| row.line).collect();
    assert_eq!(erased_lines, [2, 3], "each such row is shown in the preview");

    let summary = book.commit_import(&file, &ImportOptions::default(), &never, |_| {}).expect("commit");
    assert_eq!((summary.created, summary.erased), (1, 2));
    assert!(book.search_customers("forget", 5).expect("search").is_empty());

    // The dealer can still decide otherwise, row by row (the person came back and asked).
    let confirmed = ImportOptions { confirmed_matches: vec![2], ..ImportOptions::default() };
    let summary = book.commit_import(&file, &confirmed, &never, |_| {}).expect("commit");
    assert_eq!((summary.created, summary.erased), (1, 1));
    assert_eq!(book.search_customers("forget", 5).expect("search").len(), 1);
}

#[test]
fn merging_an_old_copy_of_the_book_does_not_bring_an_erased_customer_back() {
    use loupe_core::transfer::BookImportOptions;
    use std::sync::atomic::AtomicBool;

    let dir = tempfile::tempdir().expect("dir");
    let mut book = Book::open(&dir.path().join("loupe.sqlite3")).expect("book");
    let gone =
        book.create_customer(draft("Forget Me", "forget@example.com", "+44 7911 123002")).expect("gone");
    book.add_purchase(
        gone.id,
        PurchaseDraft {
            purchased_on: loupe_core::today(),
            currency: String::new(),
            payments: Vec::new(),
            trade_ins: Vec::new(),
            collected_on: None,
            redemption: None,
            channel: SaleChannel::InStore,
            salesperson: String::new(),
            notes: String::new(),
            items: vec![PurchaseItem::priced("950".parse().expect("price"))],
        },
    )
    .expect("sale");
    book.create_customer(draft("Stays Here", "stays@example.com", "+44 7911 123003")).expect("stays");
    let folder = dir.path().join("old-copy");
    let never = AtomicBool::new(false);
    book.export_book(&folder, &never, |_| {}).expect("export");

    book.erase_customer(gone.id).expect("erase");
    let summary =
        book.import_book(&folder, &BookImportOptions { merge: true }, &never, |_| {}).expect("merge");
    assert_eq!((summary.erased_left_out, summary.customers_merged, summary.customers_created), (1, 1, 0));
    assert!(book.search_customers("forget", 5).expect("search").is_empty());
    let stats = book.stats().expect("stats");
    assert_eq!(
        (stats.customers, stats.purchases, stats.purchase_items),
        (1, 0, 0),
        "none of their history either"
    );
    assert!(book.integrity_problems(false).expect("check").is_empty());
}

#[test]
fn a_save_waits_for_another_job_holding_the_book_and_says_it_waits() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("loupe.sqlite3");
    let mut book = Book::open(&path).expect("book");
    let anna = book.create_customer(CustomerDraft::named("Anna Keller")).expect("anna");
    // Another process (a long `loupe import`, a checkpoint) holds the write lock past SQLite's
    // usual 5 s busy timeout, and commits a change of its own meanwhile.
    let holder = Connection::open(&path).expect("open");
    holder.execute_batch("BEGIN IMMEDIATE; UPDATE customers SET job_title = 'Buyer'").expect("hold");
    let held_for = std::time::Duration::from_secs(6);
    let other_job = std::thread::spawn(move || {
        std::thread::sleep(held_for);
        holder.execute_batch("COMMIT").expect("let go");
    });
    let watcher = std::thread::spawn(|| {
        let mut longest = std::time::Duration::ZERO;
        for _ in 0..40 {
            std::thread::sleep(std::time::Duration::from_millis(100));
            longest = longest.max(loupe_core::waiting_for_another_job().unwrap_or_default());
        }
        longest
    });
    // The save reads the customer first, then writes: it must wait, not fail once the other
    // job has committed.
    let mut draft = book.customer(anna.id).expect("anna").profile;
    draft.company = "Keller AG".into();
    book.update_customer(anna.id, draft).expect("the save waits for the other job");
    other_job.join().expect("the other job");
    assert!(watcher.join().expect("watcher") >= std::time::Duration::from_secs(2), "the wait is reported");
    let saved = book.customer(anna.id).expect("anna").profile;
    assert_eq!(saved.company, "Keller AG");
}
