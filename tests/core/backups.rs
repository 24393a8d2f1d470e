//! What Loupe keeps of the book: files only the dealer can read, two backup counts, the day's
//! backup whatever the clock once said, failures that say why, and copies in another folder.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use chrono::{Duration, Utc};
use loupe_core::backup::{self, BackupFailure, BackupFailureKind, BackupKind};
use loupe_core::model::*;
use loupe_core::offsite::{self, LaptopSettings, OffsiteCopy};
use loupe_core::problem::Problem;
use loupe_core::transfer::BookImportOptions;
use loupe_core::{Book, Error};

fn customer(book: &mut Book, name: &str, email: &str) {
    let draft = CustomerDraft {
        emails: vec![EmailEntry { label: String::new(), address: email.into(), primary: true }],
        consents: vec![Consent {
            channel: Channel::Email,
            status: ConsentStatus::OptedIn,
            date: None,
            source: "counter".into(),
        }],
        ..CustomerDraft::named(name)
    };
    book.create_customer(draft).expect("customer");
}

fn keep(book: &mut Book, daily: u32, other: u32) {
    let settings = book.settings().expect("settings");
    book.update_settings(&BookSettings { backups_to_keep: daily, other_backups_to_keep: other, ..settings })
        .expect("counts");
}

/// Backups of `kind` named on earlier days, copies of `source`.
fn backups_of_earlier_days(folder: &Path, source: &str, kind: &str, days: u32) -> Vec<String> {
    (1..=days)
        .map(|day| {
            let name = format!("loupe-202601{day:02}-080000-{kind}.sqlite3");
            std::fs::copy(source, folder.join(&name)).expect("copy");
            name
        })
        .collect()
}

fn kinds(book: &Book) -> Vec<BackupKind> {
    book.backups().expect("list").into_iter().map(|backup| backup.kind).collect()
}

fn count(book: &Book, kind: BackupKind) -> usize {
    kinds(book).into_iter().filter(|found| *found == kind).count()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap_or_else(|error| panic!("{}: {error}", path.display())).permissions().mode()
        & 0o777
}

#[cfg(unix)]
#[test]
fn every_file_and_folder_loupe_writes_is_the_dealers_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("dir");
    // A folder the dealer made, readable by others: Loupe leaves it as it is.
    let home = dir.path().join("home");
    std::fs::create_dir(&home).expect("home");
    std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let data = home.join("data");
    let path = data.join("loupe.sqlite3");
    let mut book = Book::open(&path).expect("book");
    customer(&mut book, "Ann Archer", "ann@example.com");
    assert_eq!(mode(&home), 0o755, "a folder the dealer made keeps its permissions");
    assert_eq!(mode(&data), 0o700, "the data folder Loupe made");
    for file in ["loupe.sqlite3", "loupe.sqlite3-wal", "loupe.sqlite3-shm"] {
        assert_eq!(mode(&data.join(file)), 0o600, "{file}");
    }

    let made = book.back_up(BackupKind::Manual, |_| {}).expect("backup");
    assert_eq!(mode(&backup::backup_folder(&path)), 0o700);
    assert_eq!(mode(Path::new(&made.path)), 0o600);

    let export = home.join("export");
    book.export_book(&export, &AtomicBool::new(false), |_| {}).expect("export");
    assert_eq!(mode(&export), 0o700);
    for entry in std::fs::read_dir(&export).expect("export folder") {
        let entry = entry.expect("entry");
        assert_eq!(mode(&entry.path()), 0o600, "{}", entry.path().display());
    }

    let list = home.join("list.csv");
    let filter = MailingFilter { channel: MailingChannel::Email, audience: CustomerFilter::default() };
    book.export_mailing_list(&filter, &MailingFileOptions::default(), &list, &AtomicBool::new(false), |_| {})
        .expect("list");
    assert_eq!(mode(&list), 0o600);

    let contacts = home.join("contacts.csv");
    std::fs::write(&contacts, "Name,Email\nBen Baker,ben@example.com\n\"Unclosed,x\n").expect("contacts");
    let rejected = home.join("rejected.csv");
    book.write_rejected_rows(
        &contacts,
        &loupe_core::import::ImportOptions::default(),
        &loupe_core::import::RejectedRowsWording::default(),
        false,
        &rejected,
    )
    .expect("rejected rows");
    assert_eq!(mode(&rejected), 0o600);

    let usb = home.join("usb");
    std::fs::create_dir(&usb).expect("usb");
    std::fs::set_permissions(&usb, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    offsite::choose_folder(&path, &usb).expect("choose");
    let copy = book.back_up_offsite(|_| {}).expect("offsite copy");
    assert_eq!(mode(Path::new(&copy.path)), 0o600);
    assert_eq!(mode(&usb), 0o755, "the drive's folder is the dealer's");
    assert_eq!(mode(&offsite::laptop_settings_path(&path)), 0o600);

    // A merge's staging book and the backup before it.
    let merged =
        book.import_book(&export, &BookImportOptions { merge: true }, &AtomicBool::new(false), |_| {});
    assert_eq!(mode(Path::new(&merged.expect("merge").safety_backup.expect("backed up first").path)), 0o600);

    // The damaged book a recovery sets aside, and the recovered book.
    drop(book);
    let recovered = backup::recover_from_backup(&path, Path::new(&made.path)).expect("recover");
    let damaged = backup::damaged_folder(&path);
    assert_eq!(mode(&damaged), 0o700);
    for entry in std::fs::read_dir(&damaged).expect("damaged folder") {
        assert_eq!(mode(&entry.expect("entry").path()), 0o600);
    }
    drop(recovered);
    assert_eq!(mode(&path), 0o600, "the recovered book");

    // A book an earlier version left readable by others is made private when opened.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    drop(Book::open(&path).expect("reopen"));
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn daily_and_other_backups_are_kept_by_their_own_counts() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("loupe.sqlite3");
    let mut book = Book::open(&path).expect("book");
    customer(&mut book, "Ann Archer", "ann@example.com");
    keep(&mut book, 3, 2);
    let first = book.back_up(BackupKind::Manual, |_| {}).expect("first");
    let folder = backup::backup_folder(&path);
    let dailies = backups_of_earlier_days(&folder, &first.path, "daily", 5);
    backups_of_earlier_days(&folder, &first.path, "manual", 4);

    // Manual backups push out only the oldest manual ones; all five daily ones stay.
    book.back_up(BackupKind::Manual, |_| {}).expect("manual");
    assert_eq!((count(&book, BackupKind::Daily), count(&book, BackupKind::Manual)), (5, 2));

    // Restores and merges, again and again: the daily backups stay.
    let folder_export = dir.path().join("export");
    book.export_book(&folder_export, &AtomicBool::new(false), |_| {}).expect("export");
    for _ in 0..3 {
        let restored = book.restore_backup(
            Path::new(
                &book
                    .backups()
                    .expect("list")
                    .iter()
                    .find(|b| b.kind == BackupKind::Daily)
                    .expect("daily")
                    .path,
            ),
            |_| {},
        );
        restored.expect("restore a daily backup");
        let merged = book.import_book(
            &folder_export,
            &BookImportOptions { merge: true },
            &AtomicBool::new(false),
            |_| {},
        );
        assert_eq!(merged.expect("merge").safety_backup.expect("made").kind, BackupKind::BeforeMerge);
    }
    assert_eq!(count(&book, BackupKind::Daily), 5, "restores and merges never push out daily backups");
    let others = book.backups().expect("list").into_iter().filter(|b| b.kind != BackupKind::Daily).count();
    assert_eq!(others, 2, "manual, before-restore and before-merge backups share the second count");
    assert!(kinds(&book).contains(&BackupKind::BeforeMerge));

    // The day's backup keeps the newest three daily ones and touches none of the others.
    book.daily_backup_if_due().expect("daily").expect("made");
    let names: Vec<String> = book
        .backups()
        .expect("list")
        .into_iter()
        .filter(|b| b.kind == BackupKind::Daily)
        .map(|b| b.file_name)
        .collect();
    assert_eq!(names.len(), 3);
    assert_eq!(names[1..], [dailies[4].clone(), dailies[3].clone()]);
    assert_eq!(book.backups().expect("list").len(), 5);

    let refused =
        book.update_settings(&BookSettings { other_backups_to_keep: 366, ..book.settings().expect("s") });
    assert!(
        matches!(refused, Err(Error::Invalid { field, problem: Problem::OtherBackupsToKeepOutOfRange }) if field == "other_backups_to_keep")
    );
    let refused =
        book.update_settings(&BookSettings { offsite_reminder_days: 0, ..book.settings().expect("s") });
    assert!(matches!(refused, Err(Error::Invalid { field, .. }) if field == "offsite_reminder_days"));
}

#[test]
fn a_backup_named_in_the_future_does_not_stop_the_days_backup() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("loupe.sqlite3");
    let book = Book::open(&path).expect("book");
    let made = book.back_up(BackupKind::Manual, |_| {}).expect("backup");
    // Made while the clock said 2099.
    let future = backup::backup_folder(&path).join("loupe-20990101-080000-daily.sqlite3");
    std::fs::copy(&made.path, &future).expect("copy");
    let today = book.daily_backup_if_due().expect("daily").expect("the day's backup is made");
    assert_eq!(today.kind, BackupKind::Daily);
    assert!(book.daily_backup_if_due().expect("again").is_none(), "and only once");

    let backups = book.backups().expect("list");
    assert!(backup::daily_backup_due(&backups, Utc::now() + Duration::hours(25)));
    assert!(!backup::daily_backup_due(&backups, Utc::now() + Duration::hours(23)));
}

#[test]
fn pruning_runs_before_the_new_backup_but_never_leaves_none() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("loupe.sqlite3");
    let mut book = Book::open(&path).expect("book");
    customer(&mut book, "Ann Archer", "ann@example.com");
    keep(&mut book, 3, 3);
    let first = book.back_up(BackupKind::Manual, |_| {}).expect("first");
    let folder = backup::backup_folder(&path);
    backups_of_earlier_days(&folder, &first.path, "daily", 6);
    // While the new backup is written (a nearly full disk), the old ones are already gone.
    let mut seen_while_writing = None;
    book.back_up(BackupKind::Daily, |_| {
        seen_while_writing.get_or_insert_with(|| count(&book, BackupKind::Daily));
    })
    .expect("daily");
    assert_eq!(seen_while_writing, Some(2), "pruned to one fewer than kept before writing");
    assert_eq!(count(&book, BackupKind::Daily), 3);

    // With one kept, the newest stays until the new one is complete.
    keep(&mut book, 1, 3);
    let mut seen_while_writing = None;
    book.back_up(BackupKind::Daily, |_| {
        seen_while_writing.get_or_insert_with(|| count(&book, BackupKind::Daily));
    })
    .expect("daily");
    assert_eq!(seen_while_writing, Some(1));
    assert_eq!(count(&book, BackupKind::Daily), 1);
}

#[test]
fn a_backup_that_cannot_be_written_says_why() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("loupe.sqlite3");
    let book = Book::open(&path).expect("book");
    // A file where the backup folder should be.
    std::fs::write(backup::backup_folder(&path), b"not a folder").expect("file");
    let error = book.daily_backup_if_due().expect_err("cannot back up");
    let failure = BackupFailure::of(&error);
    assert_eq!(failure.kind, BackupFailureKind::FolderUnusable, "{error}");
    assert!(failure.detail.contains("backups"), "{}", failure.detail);

    offsite::choose_folder(&path, dir.path()).expect("choose");
    std::fs::remove_dir_all(dir.path().join("gone")).ok();
    let mut laptop = LaptopSettings::load(&path).expect("load");
    laptop.offsite_folder = Some(dir.path().join("gone"));
    laptop.save(&path).expect("save");
    let error = book.back_up_offsite(|_| {}).expect_err("not plugged in");
    assert_eq!(BackupFailure::of(&error).kind, BackupFailureKind::FolderMissing, "{error}");
}

#[test]
fn copies_in_another_folder_are_listed_restored_and_remembered() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("book").join("loupe.sqlite3");
    let mut book = Book::open(&path).expect("book");
    customer(&mut book, "Ann Archer", "ann@example.com");
    let settings = book.settings().expect("settings");
    assert_eq!((settings.other_backups_to_keep, settings.offsite_reminder_days), (10, 7));

    let refused = book.back_up_offsite(|_| {}).expect_err("no folder yet");
    assert!(matches!(refused, Error::Invalid { problem: Problem::OffsiteFolderNotChosen, .. }));
    let none = offsite::status(&path, &settings).expect("status");
    assert_eq!((none.folder_name, none.reminder_due), (None, true));

    let missing = dir.path().join("usb");
    let refused = offsite::choose_folder(&path, &missing).expect_err("not plugged in");
    assert!(matches!(refused, Error::Invalid { problem: Problem::OffsiteFolderMissing { .. }, .. }));
    std::fs::create_dir(&missing).expect("plug in");
    offsite::choose_folder(&path, &missing).expect("choose");
    let copy = book.back_up_offsite(|_| {}).expect("copy");
    assert_eq!(copy.kind, BackupKind::Offsite);
    assert_eq!(Path::new(&copy.path).parent(), Some(missing.as_path()));
    assert!(book.backups().expect("beside the book").is_empty(), "written to the chosen folder only");

    let status = offsite::status(&path, &settings).expect("status");
    assert_eq!(status.folder_name.as_deref(), Some("usb"));
    assert!(status.reachable);
    assert_eq!(status.backups, vec![copy.clone()]);
    // A temporary folder is on the book's disk: that copy does not end the reminder.
    assert!(status.same_disk && status.reminder_due && status.newest_outside.is_none());

    // Restored from there, by a name listed there only.
    let found = offsite::backup_path(&path, &copy.file_name).expect("listed");
    customer(&mut book, "Ben Baker", "ben@example.com");
    book.restore_backup(&found, |_| {}).expect("restore");
    assert_eq!(book.stats().expect("stats").customers, 1);
    for name in ["../book/loupe.sqlite3", "loupe.sqlite3", "loupe-20260101-080000-offsite.sqlite3"] {
        assert!(offsite::backup_path(&path, name).is_err(), "{name}");
    }

    // Unplugged: what was there is remembered, and the window is told why it cannot see it.
    let mut laptop = LaptopSettings::load(&path).expect("load");
    let two_days_ago = Utc::now() - Duration::days(2);
    laptop.last_copy = Some(OffsiteCopy { created_at: two_days_ago, other_disk: true });
    laptop.save(&path).expect("save");
    std::fs::remove_dir_all(&missing).expect("unplug");
    let unplugged = offsite::status(&path, &settings).expect("status");
    assert!(!unplugged.reachable && unplugged.backups.is_empty());
    assert!(matches!(unplugged.problem, Some(Problem::OffsiteFolderMissing { .. })));
    assert_eq!(unplugged.newest_outside, Some(two_days_ago));
    assert!(!unplugged.reminder_due, "a copy on another disk two days ago is recent enough");
    let later = offsite::status_at(&path, &settings, Utc::now() + Duration::days(6)).expect("status");
    assert!(later.reminder_due, "eight days later it is not");
}

#[test]
fn the_reminder_rule() {
    let now = Utc::now();
    assert!(offsite::reminder_due(None, now, 7), "no copy outside the disk yet");
    assert!(!offsite::reminder_due(Some(now - Duration::days(6)), now, 7));
    assert!(offsite::reminder_due(Some(now - Duration::days(7)), now, 7));
    assert!(!offsite::reminder_due(Some(now - Duration::days(20)), now, 30));
    assert!(offsite::reminder_due(Some(now + Duration::days(3)), now, 7), "a copy dated in the future");
}
