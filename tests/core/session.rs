//! The rules a long-running front end follows with its book (`loupe_core::session`), tested
//! without a window: the check after opening, closing a damaged book, recovering it, the day's
//! backup, and the day's evaluation beside the book.

use std::path::{Path, PathBuf};

use loupe_core::backup::BackupKind;
use loupe_core::model::{CustomerDraft, ListQuery, ReminderDraft, Segment};
use loupe_core::session::{CheckOutcome, FirstScreen, Session};
use loupe_core::{Book, Error, ErrorCode};
use rusqlite::Connection;

/// A book of 300 customers with one backup, checkpointed so its pages are all in the file.
fn book_with_backup(dir: &Path) -> PathBuf {
    let path = dir.join("loupe.sqlite3");
    let mut book = Book::open(&path).expect("book");
    for index in 0..300 {
        book.create_customer(CustomerDraft::named(format!("Customer {index}"))).expect("customer");
    }
    book.back_up(BackupKind::Manual, |_| {}).expect("backup");
    drop(book);
    Connection::open(&path)
        .expect("open")
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .expect("checkpoint");
    path
}

/// Scribbles over the customers table's root page: wherever the schema puts it, the check
/// must find it (the middle of the file may hold only the search index's blobs).
fn damage(path: &Path) {
    let (page_size, root_page): (i64, i64) = Connection::open(path)
        .expect("open")
        .query_row(
            "SELECT (SELECT page_size FROM pragma_page_size), rootpage FROM sqlite_master WHERE name = 'customers'",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("where the customers are");
    let mut bytes = std::fs::read(path).expect("read");
    let start = usize::try_from(page_size * (root_page - 1)).expect("offset");
    bytes[start..start + usize::try_from(page_size).expect("size")].fill(0x5a);
    std::fs::write(path, &bytes).expect("damage");
}

#[test]
fn a_sound_book_checks_sound_and_gets_one_daily_backup_a_day() {
    let dir = tempfile::tempdir().expect("dir");
    let path = book_with_backup(dir.path());
    let session = Session::open(&path).expect("session");
    assert!(session.is_open() && session.damaged().is_none());
    assert!(matches!(session.check(), CheckOutcome::Sound));

    let first = session.daily_backup().expect("not already running").expect("made");
    assert_eq!(first.expect("a daily backup is due").kind, BackupKind::Daily);
    let second = session.daily_backup().expect("not already running").expect("checked");
    assert!(second.is_none(), "a second daily backup the same day");
    let status = session.daily_backup_status();
    assert!(!status.running && status.error.is_none());
    assert_eq!(session.with_book(|book| book.stats()).expect("stats").customers, 300);
}

#[test]
fn a_book_found_damaged_after_opening_is_closed_until_a_backup_replaces_it() {
    let dir = tempfile::tempdir().expect("dir");
    let path = book_with_backup(dir.path());
    let session = Session::open(&path).expect("session");
    assert!(session.is_open(), "opening reads only the first pages");
    damage(&path);

    let CheckOutcome::Damaged(damaged) = session.check() else { panic!("the check must find the damage") };
    assert!(!session.is_open());
    assert_eq!(session.damaged(), Some(damaged.clone()));
    let refused = session.with_book(|book| book.stats()).expect_err("a closed book");
    assert!(matches!(refused, Error::BookClosed));
    assert_eq!(refused.to_payload().code, ErrorCode::Damaged);
    assert!(matches!(session.refresh_standing_if_due(), Err(Error::BookClosed)));

    let backup = damaged.newest_good_backup.expect("the backup is offered");
    let (summary, unread) = session.recover(Path::new(&backup.path)).expect("recover");
    assert_eq!((summary.book.schema_version > 0, unread), (true, None));
    assert!(session.is_open() && session.damaged().is_none());
    assert_eq!(session.with_book(|book| book.stats()).expect("stats").customers, 300);
    assert!(matches!(session.check(), CheckOutcome::Sound));
}

#[test]
fn a_sound_book_is_not_recovered_over() {
    let dir = tempfile::tempdir().expect("dir");
    let path = book_with_backup(dir.path());
    let session = Session::open(&path).expect("session");
    let backup = session.with_book(|book| book.backups()).expect("backups").remove(0);
    let refused = session.recover(Path::new(&backup.path)).expect_err("the book is sound");
    assert!(matches!(refused, Error::BookNotDamaged));
    assert_eq!(refused.to_payload().code, ErrorCode::InvalidInput);
    assert_eq!(session.with_book(|book| book.stats()).expect("stats").customers, 300);
}

#[test]
fn a_book_too_damaged_to_open_gives_a_closed_session_with_its_backup() {
    let dir = tempfile::tempdir().expect("dir");
    let path = book_with_backup(dir.path());
    // The schema's page scribbled over behind the file header: the book cannot be opened.
    let mut bytes = std::fs::read(&path).expect("read");
    bytes[100..4096].fill(0x5a);
    std::fs::write(&path, &bytes).expect("damage the header");

    let session = Session::open(&path).expect("a damaged book still gives a session");
    assert!(!session.is_open());
    let damaged = session.damaged().expect("what is wrong");
    assert!(damaged.problem.contains("malformed"), "{}", damaged.problem);
    let offered = damaged.backup_contents.expect("the backup offered, read");
    assert_eq!(offered.stats.customers, 300);
    assert!(matches!(session.with_book(|book| book.stats()), Err(Error::BookClosed)));
}

#[test]
fn a_book_replaced_through_the_session_stays_open_and_checks_sound() {
    let dir = tempfile::tempdir().expect("dir");
    let path = book_with_backup(dir.path());
    let session = Session::open(&path).expect("session");
    let backup = session.with_book(|book| book.backups()).expect("backups").remove(0);
    // A restore as the window runs it: replacing the book, noted for a check running meanwhile.
    session.replacing(|book| book.restore_backup(Path::new(&backup.path), |_| {})).expect("restore");
    assert!(matches!(session.check(), CheckOutcome::Sound));
    assert!(session.is_open());
}

/// The day's evaluation reads the whole book beside the book's own connection. A save that
/// lands while it runs (here another job's score of 1, held uncommitted while the evaluation
/// starts, then committed) is never overwritten from an older snapshot: the customer ends at
/// risk, which only the whole-book evaluation can put them at, since the score was written
/// without evaluating them.
#[test]
fn the_days_evaluation_keeps_a_save_that_lands_while_it_runs() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("loupe.sqlite3");
    let today = loupe_core::today();
    let id = {
        let mut book = Book::open(&path).expect("book");
        let id = book.create_customer(CustomerDraft::named("Quiet")).expect("customer").id;
        let sale = crate::standing::sale(today.checked_sub_days(chrono::Days::new(60)).expect("day"), "500");
        book.add_purchase(id, sale).expect("sale");
        book.refresh_standing_on(today.pred_opt().expect("yesterday")).expect("yesterday's evaluation");
        id
    };
    let session = Session::open(&path).expect("session");
    let segment = |session: &Session| session.with_book(|book| book.standing(id)).expect("standing").segment;
    assert_ne!(segment(&session), Segment::AtRisk);

    let other_job = Connection::open(&path).expect("another job");
    other_job.execute_batch("BEGIN IMMEDIATE").expect("the other job's write lock");
    other_job
        .execute(
            "INSERT INTO satisfaction_scores (customer_id, score, scored_on, created_at) VALUES (?1, 1, ?2, ?3)",
            rusqlite::params![id, today.to_string(), "2026-01-01T00:00:00Z"],
        )
        .expect("the other job's score, uncommitted");
    let refreshed = std::thread::scope(|scope| {
        let evaluation = scope.spawn(|| session.refresh_standing_if_due());
        std::thread::sleep(std::time::Duration::from_millis(300));
        other_job.execute_batch("COMMIT").expect("the other job commits");
        evaluation.join().expect("the evaluation's thread")
    })
    .expect("evaluated")
    .expect("due: yesterday's evaluation is the last");
    assert_eq!(refreshed.evaluated_on, today);
    assert_eq!(segment(&session), Segment::AtRisk);
    assert_eq!(session.refresh_standing_if_due().expect("checked"), None, "once a day");
}

/// What the window reads beside the book (counts, tags, insights) sees every save at once, and
/// nothing once the book is found damaged.
#[test]
fn a_read_beside_the_book_sees_each_save_and_is_refused_once_the_book_is_closed() {
    let dir = tempfile::tempdir().expect("dir");
    let path = book_with_backup(dir.path());
    let session = Session::open(&path).expect("session");
    session.with_book(|book| book.create_customer(CustomerDraft::named("One more"))).expect("saved");
    assert_eq!(session.read_beside(|book| book.stats()).expect("read").customers, 301);

    damage(&path);
    assert!(matches!(session.check(), CheckOutcome::Damaged(_)));
    assert!(matches!(session.read_beside(|book| book.stats()), Err(Error::BookClosed)));
}

/// A read beside the book does not wait for a job holding the book's own connection (an
/// import, the list's first screen read ahead): it runs while that job is still at work.
#[test]
fn a_read_beside_the_book_does_not_wait_for_a_job_holding_the_book() {
    use std::sync::mpsc;
    use std::time::Duration;

    let dir = tempfile::tempdir().expect("dir");
    let path = book_with_backup(dir.path());
    let session = &Session::open(&path).expect("session");
    let (holding, held) = mpsc::channel();
    let (release, released) = mpsc::channel::<()>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            session
                .with_book(|_| {
                    holding.send(()).expect("say the book is held");
                    released.recv().map_err(|_| Error::BookClosed)
                })
                .expect("the job holding the book");
        });
        held.recv().expect("the book is held");
        let (done, read) = mpsc::channel();
        scope.spawn(move || done.send(session.read_beside(|book| book.stats()).map(|stats| stats.customers)));
        let customers = read.recv_timeout(Duration::from_secs(30));
        release.send(()).expect("let the job end");
        assert_eq!(customers.expect("the read ended while the book was held").expect("read"), 300);
    });
}

/// The first screen read ahead, as the window does while its page loads, on an open book: the
/// list, or the agenda once something is due, as the window decides; refused once the book is
/// closed (the window then opens on the recovery screen).
#[test]
fn the_first_screen_is_read_ahead_on_an_open_book_and_refused_once_it_is_closed() {
    let dir = tempfile::tempdir().expect("dir");
    let path = book_with_backup(dir.path());
    let session = Session::open(&path).expect("session");
    assert_eq!(session.read_first_screen().expect("read ahead"), FirstScreen::List);
    let due = session.with_book(|book| book.agenda_due()).expect("due");
    assert!(!due, "nothing due yet in this book");
    session
        .with_book(|book| {
            let id = book.list_customers(&ListQuery::default())?.rows[0].id;
            let draft = ReminderDraft {
                due_on: loupe_core::clock::today(),
                title: "Call about the strap".into(),
                notes: String::new(),
                repeat: None,
            };
            book.add_reminder(id, &draft)
        })
        .expect("a reminder due today");
    assert_eq!(session.read_first_screen().expect("read ahead"), FirstScreen::Agenda);

    damage(&path);
    assert!(matches!(session.check(), CheckOutcome::Damaged(_)));
    assert!(matches!(session.read_first_screen(), Err(Error::BookClosed)));
}
