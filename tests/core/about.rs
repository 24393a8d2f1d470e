//! What Settings → About and `loupe about` tell: the version and the book's path, size and schema.

use std::path::Path;

use loupe_core::Book;
use loupe_core::model::CustomerDraft;

fn len(path: &Path) -> u64 {
    std::fs::metadata(path).expect("the file").len()
}

#[test]
fn about_gives_the_version_and_the_book_file_its_wal_and_schema() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("book.sqlite3");
    let mut book = Book::open(&path).expect("open");
    book.create_customer(CustomerDraft::named("Ada Lovelace")).expect("add");

    let about = book.about().expect("about");
    assert_eq!(about.version, "0.1.0");
    assert_eq!(about.book_path, path.display().to_string());
    // The write is still in the WAL beside the file: both are counted, each as it is on disk.
    let wal = dir.path().join("book.sqlite3-wal");
    assert!(len(&wal) > 0, "the write went to the WAL");
    assert_eq!((about.book_bytes, about.wal_bytes), (len(&path), len(&wal)));
    assert!(about.book_bytes >= 4096, "at least one page: {}", about.book_bytes);
    assert_eq!(about.schema_version, loupe_core::schema_version());
    assert_eq!(about.latest_schema_version, loupe_core::schema_version());
}

#[test]
fn a_book_without_files_counts_no_bytes() {
    // A book in memory has neither file, as a book has no WAL after a clean close.
    let book = Book::open_in_memory().expect("open");
    let about = book.about().expect("about");
    assert_eq!((about.book_path.as_str(), about.book_bytes, about.wal_bytes), (":memory:", 0, 0));
    assert_eq!(about.schema_version, about.latest_schema_version);
}

#[test]
fn a_book_made_at_an_older_schema_is_migrated_when_opened() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("old.sqlite3");
    let older = loupe_core::schema_version() - 1;
    loupe_core::create_book_at_schema(&path, older).expect("make");
    let version: u32 = rusqlite::Connection::open(&path)
        .expect("read")
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .expect("version");
    assert_eq!(version, older);
    // Never over a book that exists.
    assert!(loupe_core::create_book_at_schema(&path, older).is_err());

    let book = Book::open(&path).expect("a Loupe book, migrated");
    assert_eq!(book.about().expect("about").schema_version, loupe_core::schema_version());
}
