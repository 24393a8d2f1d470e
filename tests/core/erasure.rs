//! Erasure at the byte level and across copies of the book: after "erase customer", none of the
//! person's earlier or current values is in any file Loupe keeps outside `backups/`, and a
//! restore, a recovery or a merge of an older copy erases exactly the same people again.

use std::path::Path;

use loupe_core::Book;
use loupe_core::backup::{self, BackupKind};
use loupe_core::model::*;
use rusqlite::Connection;

fn person(name: &str, email: &str, phone: &str) -> CustomerDraft {
    CustomerDraft {
        emails: if email.is_empty() {
            Vec::new()
        } else {
            vec![EmailEntry { label: String::new(), address: email.into(), primary: true }]
        },
        phones: if phone.is_empty() {
            Vec::new()
        } else {
            vec![PhoneEntry { label: String::new(), number: phone.into(), e164: None, primary: true }]
        },
        ..CustomerDraft::named(name)
    }
}

fn note(body: &str) -> NoteDraft {
    NoteDraft {
        category: NoteCategory::PersonalInterest,
        body: body.into(),
        pinned: false,
        noted_on: loupe_core::today(),
    }
}

/// Every file in `folder` and below it, except the backup folder.
fn files_outside_backups(folder: &Path) -> Vec<std::path::PathBuf> {
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

/// The secrets readable in some file of `folder` outside `backups/`, each with that file.
fn readable(folder: &Path, secrets: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for file in files_outside_backups(folder) {
        let bytes = std::fs::read(&file).expect("read");
        for secret in secrets {
            if bytes.windows(secret.len()).any(|window| window == secret.as_bytes()) {
                found.push(format!("'{secret}' in {}", file.display()));
            }
        }
    }
    found
}

/// Terms of the search index among `words` (FTS5's own view of it, whatever its byte layout).
fn indexed_terms(path: &Path, words: &[&str]) -> Vec<String> {
    let conn = Connection::open(path).expect("open");
    conn.execute_batch("CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, customer_search, row);")
        .expect("vocab");
    let mut statement = conn.prepare("SELECT term FROM temp.terms WHERE term = ?1").expect("select");
    words
        .iter()
        .filter(|word| statement.exists([word]).expect("query"))
        .map(|word| word.to_string())
        .collect()
}

const OLD_AND_CURRENT: &[&str] = &[
    "Quintessa",
    "quintessa",
    "Zwyrtle",
    "zwyrtle",
    "wyrtle",
    "Vornhagel",
    "vornhagel",
    "rnhagel",
    "qzwyrtle-old@example.com",
    "qzwyrtle",
    "qvornhagel-new@example.com",
    "qvornhagel",
    "+447911123481",
    "7911123481",
    "+447911123482",
    "7911123482",
    "Gribblethorpe",
    "gribblethorpe",
    "blethorpe",
    "xylocarpous",
    "locarpous",
    "Zircaloy",
    "rcaloy",
    "Krandelwick",
    "krandelwick",
    "ndelwick",
];

const FOLDED_WORDS: &[&str] = &[
    "quintessa",
    "zwyrtle",
    "vornhagel",
    "qzwyrtle",
    "qvornhagel",
    "gribblethorpe",
    "7911123481",
    "7911123482",
];

/// Quintessa's story: each identifying value changed once, a note added then deleted, an
/// address, a contact, a wish. Returns her id.
fn write_quintessa(book: &mut Book) -> i64 {
    let id = book
        .create_customer(person("Quintessa Zwyrtle", "qzwyrtle-old@example.com", "+44 7911 123481"))
        .expect("create")
        .id;
    book.add_entry(id, note("Collects xylocarpous marquetry boxes"))
        .map(|stored| stored.id)
        .and_then(|note| book.delete_entry::<NoteDraft>(note))
        .expect("note added then deleted");
    let mut draft = person("Quintessa Zwyrtle", "qvornhagel-new@example.com", "+44 7911 123481");
    book.update_customer(id, draft.clone()).expect("email changed");
    draft.phones = person("", "", "+44 7911 123482").phones;
    book.update_customer(id, draft.clone()).expect("phone changed");
    draft.full_name = "Quintessa Vornhagel".into();
    draft.addresses = vec![AddressEntry {
        label: "home".into(),
        street: "9 Gribblethorpe Mews".into(),
        city: "London".into(),
        region: String::new(),
        postal_code: "N1 9AA".into(),
        country: "GB".into(),
        primary: true,
    }];
    book.update_customer(id, draft).expect("name changed, address added");
    book.add_entry(
        id,
        InteractionDraft {
            kind: InteractionKind::Call,
            direction: Direction::Outbound,
            occurred_on: loupe_core::today(),
            summary: "Asked about a Zircaloy bezel".into(),
            outcome: String::new(),
            campaign: String::new(),
            response: None,
        },
    )
    .expect("interaction");
    book.add_entry(
        id,
        WishDraft {
            brand: "Krandelwick".into(),
            model: "Perpetual".into(),
            reference_number: String::new(),
            budget_min: None,
            budget_max: None,
            currency: String::new(),
            notes: String::new(),
            status: WishStatus::Open,
            requested_on: loupe_core::today(),
            closed_on: None,
        },
    )
    .expect("wish");
    id
}

fn book_with_neighbours(path: &Path) -> Book {
    let mut book = Book::open(path).expect("book");
    for index in 0..40 {
        book.create_customer(person(
            &format!("Neighbour {index}"),
            &format!("neighbour{index}@example.com"),
            "",
        ))
        .expect("neighbour");
    }
    book
}

#[test]
fn erasure_leaves_no_earlier_or_current_value_in_any_file() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("loupe.sqlite3");
    let mut book = book_with_neighbours(&path);
    let id = write_quintessa(&mut book);
    // A backup made now holds her: the erasure says so, and the backup folder is not searched.
    book.back_up(BackupKind::Manual, |_| {}).expect("backup");
    assert_eq!(book.backups_holding_customer(id).expect("count"), 1);

    let summary = book.erase_customer(id).expect("erase");
    assert_eq!(summary.backups_holding, 1);
    assert_eq!((summary.suppressed_emails, summary.suppressed_phones), (1, 1));
    assert!(readable(dir.path(), OLD_AND_CURRENT).is_empty(), "{:?}", readable(dir.path(), OLD_AND_CURRENT));
    assert!(indexed_terms(&path, FOLDED_WORDS).is_empty());
    drop(book);
    assert!(readable(dir.path(), OLD_AND_CURRENT).is_empty(), "{:?}", readable(dir.path(), OLD_AND_CURRENT));
    assert!(!readable(dir.path(), &["neighbour39@example.com"]).is_empty(), "the search sees what is there");
}

#[test]
fn an_import_that_replaced_her_search_document_leaves_nothing_after_her_erasure() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("loupe.sqlite3");
    let mut book = book_with_neighbours(&path);
    let id = write_quintessa(&mut book);
    // A visitor log brings her back under her name and email with a new number (and a new
    // neighbour): the import replaces her search document in bulk, without FTS5's secure delete.
    // The dealer's file lives elsewhere: only what Loupe wrote is searched.
    let elsewhere = tempfile::tempdir().expect("dir");
    let visitors = elsewhere.path().join("visitors.csv");
    std::fs::write(
        &visitors,
        "Name,Email,Phone\nQuintessa Vornhagel,qvornhagel-new@example.com,+44 7911 123483\nNew Neighbour,nn@example.com,\n",
    )
    .expect("write");
    let imported = book
        .commit_import(
            &visitors,
            &loupe_core::import::ImportOptions::default(),
            &std::sync::atomic::AtomicBool::new(false),
            |_| {},
        )
        .expect("import");
    assert_eq!((imported.merged, imported.created), (1, 1));
    assert_eq!(book.customer(id).expect("her").profile.phones.len(), 2);
    book.erase_customer(id).expect("erase");
    let secrets: Vec<&str> = OLD_AND_CURRENT.iter().copied().chain(["+447911123483", "7911123483"]).collect();
    assert!(readable(dir.path(), &secrets).is_empty(), "{:?}", readable(dir.path(), &secrets));
    assert!(indexed_terms(&path, FOLDED_WORDS).is_empty());
    assert_eq!(
        book.search_customers("new neighbour", 5).expect("search").len(),
        1,
        "the index still answers"
    );
}

#[test]
fn a_book_written_before_freed_space_was_zeroed_is_scrubbed_by_its_first_erasure() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("loupe.sqlite3");
    drop(book_with_neighbours(&path));
    // As an older Loupe wrote it: nothing zeroed on delete, FTS5 deletes only marked, and no
    // record that the file is clean.
    {
        let conn = Connection::open(&path).expect("open");
        conn.execute_batch(
            "PRAGMA secure_delete = OFF;
             INSERT INTO customer_search (customer_search, rank) VALUES ('secure-delete', 0);
             DELETE FROM settings WHERE key = 'scrubbed_on';",
        )
        .expect("as before");
        let id: i64 = conn
            .query_row(
                "INSERT INTO customers (full_name, sort_name, customer_type, created_at, updated_at)
                 VALUES ('Quintessa Zwyrtle', 'quintessa zwyrtle', 'retail', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')
                 RETURNING id",
                [],
                |row| row.get(0),
            )
            .expect("customer");
        conn.execute(
            "INSERT INTO customer_emails (customer_id, position, label, address, address_key, is_primary)
             VALUES (?1, 0, '', 'qzwyrtle-old@example.com', 'qzwyrtle-old@example.com', 1)",
            [id],
        )
        .expect("email");
        conn.execute(
            "INSERT INTO customer_search (rowid, name, other, items) VALUES (?1, 'quintessa zwyrtle', 'qzwyrtle old example com', '')",
            [id],
        )
        .expect("document");
        conn.execute(
            "INSERT INTO notes (customer_id, category, body, pinned, noted_on, created_at, updated_at)
             VALUES (?1, 'personal_interest', 'Collects xylocarpous marquetry boxes', 0, '2025-01-01', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')",
            [id],
        )
        .expect("note");
        // The edits an older Loupe made: a new email, a new document, the note deleted.
        conn.execute_batch(&format!(
            "UPDATE customer_emails SET address = 'qvornhagel-new@example.com', address_key = 'qvornhagel-new@example.com' WHERE customer_id = {id};
             DELETE FROM customer_search WHERE rowid = {id};
             INSERT INTO customer_search (rowid, name, other, items) VALUES ({id}, 'quintessa vornhagel', 'qvornhagel new example com', '');
             UPDATE customers SET full_name = 'Quintessa Vornhagel', sort_name = 'quintessa vornhagel' WHERE id = {id};
             DELETE FROM notes WHERE customer_id = {id};
             PRAGMA wal_checkpoint(TRUNCATE);"
        ))
        .expect("edits");
    }
    // The deleted note in a page's free space, the first document's words in the index.
    let before = readable(dir.path(), &["xylocarpous", "zwyrtle"]);
    assert_eq!(before.len(), 2, "the older writes left residue for the test to mean anything: {before:?}");

    let mut book = Book::open(&path).expect("reopen with this version");
    let id = book.search_customers("vornhagel", 5).expect("search")[0].id;
    book.erase_customer(id).expect("erase");
    assert!(readable(dir.path(), OLD_AND_CURRENT).is_empty(), "{:?}", readable(dir.path(), OLD_AND_CURRENT));
    assert!(indexed_terms(&path, FOLDED_WORDS).is_empty());
    assert!(book.integrity_problems(false).expect("check").is_empty());
    assert_eq!(book.stats().expect("stats").customers, 40);
}

fn landline(name: &str, email: &str) -> CustomerDraft {
    person(name, email, "+44 20 7946 0018")
}

fn sale() -> PurchaseDraft {
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
        items: vec![PurchaseItem::priced("12500".parse().expect("price"))],
    }
}

fn names(book: &Book) -> Vec<String> {
    let query = ListQuery::default();
    book.list_customers(&query).expect("list").rows.into_iter().map(|row| row.full_name).collect()
}

#[test]
fn a_restore_erases_again_exactly_the_people_who_were_erased() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("loupe.sqlite3");
    let mut book = Book::open(&path).expect("book");
    let alda = book.create_customer(landline("Alda Threnody", "alda@example.com")).expect("A").id;
    let bertil = book.create_customer(landline("Bertil Threnody", "")).expect("B").id;
    book.add_purchase(bertil, sale()).expect("B's sale");
    let cosima = book.create_customer(person("Cosima Quillfeather", "", "")).expect("C").id;
    let dorian =
        book.create_customer(person("Dorian Vexhollow", "dorian-old@example.com", "")).expect("D").id;
    let backup = book.back_up(BackupKind::Manual, |_| {}).expect("backup");
    book.update_customer(dorian, person("Dorian Vexhollow", "dorian-new@example.com", ""))
        .expect("D's email");
    for id in [alda, cosima, dorian] {
        book.erase_customer(id).expect("erase");
    }

    let summary = book.restore_backup(Path::new(&backup.path), |_| {}).expect("restore");
    assert_eq!(summary.erased_again, 3);
    assert_eq!(
        names(&book),
        ["Bertil Threnody"],
        "A, C and D stay erased; B, who shares A's landline, stays"
    );
    let story = book.customer(bertil).expect("B");
    assert_eq!(story.profile.phones.len(), 1);
    assert_eq!(book.stats().expect("stats").purchases, 1, "B's purchases stay");
    assert!(book.integrity_problems(false).expect("check").is_empty());
    let secrets =
        ["Alda", "alda@example.com", "Quillfeather", "quillfeather", "Vexhollow", "vexhollow", "dorian-old"];
    assert!(readable(dir.path(), &secrets).is_empty(), "{:?}", readable(dir.path(), &secrets));
    // The safety backup made before the restore holds nobody erased; the backup restored does.
    assert_eq!(book.backups().expect("list").len(), 2);
}

#[test]
fn a_restore_of_a_backup_from_another_salt_still_erases_by_identity() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("loupe.sqlite3");
    let mut book = Book::open(&path).expect("book");
    let early = book.create_customer(person("Early Erased", "early@example.com", "")).expect("early").id;
    let gone = book.create_customer(person("Later Erased", "later@example.com", "")).expect("later").id;
    let backup = book.back_up(BackupKind::Manual, |_| {}).expect("backup");
    // The backup's salt differs from the book's (as one made before its first erasure, then
    // another lineage's salt set).
    Connection::open(&backup.path)
        .expect("open")
        .execute("INSERT INTO settings (key, value) VALUES ('suppression_salt', 'another')", [])
        .expect("salt");
    book.erase_customer(early).expect("erase");
    book.erase_customer(gone).expect("erase");
    let summary = book.restore_backup(Path::new(&backup.path), |_| {}).expect("restore");
    assert_eq!(summary.erased_again, 2);
    assert!(names(&book).is_empty());
}

#[test]
fn recovering_a_damaged_book_erases_again_and_keeps_the_damaged_copy_with_the_backups() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("loupe.sqlite3");
    let mut book = book_with_neighbours(&path);
    let gone = book.create_customer(person("Ermengarde Pollux", "ermengarde@example.com", "")).expect("E").id;
    let offered = book.back_up(BackupKind::Daily, |_| {}).expect("backup");
    book.erase_customer(gone).expect("erase");
    let root: i64 = book_root_page(&path, "customers_sort_name");
    drop(book);
    // Damage one page of an index: the book reads as damaged, its erasures still read.
    let mut bytes = std::fs::read(&path).expect("read");
    let page = 4096 * (root as usize - 1);
    bytes[page..page + 4096].fill(0x5a);
    std::fs::write(&path, &bytes).expect("damage");
    assert!(backup::check_book(&path).expect("check").is_some());

    let recovery = backup::recover_from_backup(&path, Path::new(&offered.path)).expect("recover");
    assert_eq!((recovery.erased_again, recovery.erasures_unread.as_deref()), (1, None));
    assert_eq!(recovery.book.stats().expect("stats").customers, 40);
    assert!(recovery.book.integrity_problems(false).expect("check").is_empty());
    // Ermengarde is in the backup and in the damaged copy, both in the backup folder.
    let found = readable(dir.path(), &["Ermengarde", "ermengarde"]);
    assert!(found.is_empty(), "{found:?}");
    let aside: Vec<String> = std::fs::read_dir(backup::damaged_folder(&path))
        .expect("damaged folder")
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(aside.iter().any(|name| name.starts_with("loupe.sqlite3.damaged-")), "{aside:?}");
    let stray: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with("loupe.sqlite3") && name != "backups" || name.contains("damaged"))
        .collect();
    assert!(stray.is_empty(), "nothing but the book beside the book: {stray:?}");
}

fn book_root_page(path: &Path, name: &str) -> i64 {
    let conn = Connection::open(path).expect("open");
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").expect("checkpoint");
    conn.query_row("SELECT rootpage FROM sqlite_master WHERE name = ?1", [name], |row| row.get(0))
        .expect("root")
}

#[test]
fn opening_the_book_removes_what_a_killed_job_left_beside_it() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("loupe.sqlite3");
    drop(Book::open(&path).expect("book"));
    // Names carry the writing process's id: no process has this one, so its job is over.
    let gone = u32::MAX - 1;
    let leftovers = [
        dir.path().join(format!(".loupe-staging-loupe.sqlite3-{gone}-456")),
        dir.path().join(format!(".loupe-staging-loupe.sqlite3-{gone}-456-wal")),
        dir.path().join(format!(".partial-{gone}-abc.sqlite3")),
        backup::backup_folder(&path).join(format!(".partial-{gone}-def.sqlite3")),
        backup::backup_folder(&path).join(".partial-older-version.sqlite3"),
    ];
    std::fs::create_dir_all(backup::backup_folder(&path)).expect("backups");
    for file in &leftovers {
        std::fs::write(file, b"half a person").expect("leftover");
    }
    // Another book's staging copy, a file that is not Loupe's, and the files of jobs still
    // running (this process's: a window and a `loupe` command may work on one book at once).
    let running = std::process::id();
    let others = [
        dir.path().join(format!(".loupe-staging-other.sqlite3-{gone}-2")),
        dir.path().join("notes.txt"),
        dir.path().join(format!(".loupe-staging-loupe.sqlite3-{running}-7")),
        backup::backup_folder(&path).join(format!(".partial-{running}-ghi.sqlite3")),
    ];
    for file in &others {
        std::fs::write(file, b"not this book's").expect("other");
    }
    drop(Book::open(&path).expect("reopen"));
    assert!(leftovers.iter().all(|file| !file.exists()));
    assert!(others.iter().all(|file| file.exists()), "only this book's leftovers of jobs that are over go");
}

#[test]
fn merging_an_old_copy_leaves_out_the_erased_and_nobody_else() {
    use loupe_core::transfer::BookImportOptions;
    use std::sync::atomic::AtomicBool;

    let dir = tempfile::tempdir().expect("dir");
    let mut book = Book::open(&dir.path().join("loupe.sqlite3")).expect("book");
    let alda = book.create_customer(landline("Alda Threnody", "alda@example.com")).expect("A").id;
    let bertil = book.create_customer(landline("Bertil Threnody", "")).expect("B").id;
    book.add_purchase(bertil, sale()).expect("B's sale");
    let cosima = book.create_customer(person("Cosima Quillfeather", "", "")).expect("C").id;
    let folder = dir.path().join("old-copy");
    let never = AtomicBool::new(false);
    book.export_book(&folder, &never, |_| {}).expect("export");
    book.erase_customer(alda).expect("erase A");
    book.erase_customer(cosima).expect("erase C");

    let summary =
        book.import_book(&folder, &BookImportOptions { merge: true }, &never, |_| {}).expect("merge");
    assert_eq!((summary.erased_left_out, summary.customers_merged, summary.customers_created), (2, 1, 0));
    assert_eq!(names(&book), ["Bertil Threnody"]);
}
