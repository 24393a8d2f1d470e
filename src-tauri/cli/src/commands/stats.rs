//! `loupe stats`: how many records of each kind the book holds; `loupe about`: the version
//! and the book's path, size and schema.

use loupe_core::model::{AboutLoupe, BookStats};
use loupe_core::{Book, Error};

use crate::output::{print_json, say};

pub fn run(book: &Book, json: bool) -> Result<(), Error> {
    let stats = book.stats()?;
    if json {
        print_json(&stats);
    } else {
        say_counts(&stats);
    }
    Ok(())
}

/// One line per kind of record, in alphabetical order as this listing has always been. The
/// counts are destructured whole, so that a kind the core adds fails the build until listed.
fn say_counts(stats: &BookStats) {
    let BookStats {
        addresses,
        customers,
        emails,
        import_batches,
        interactions,
        notes,
        phones,
        purchase_items,
        purchases,
        reminders,
        satisfaction_scores,
        segments,
        suppressions,
        tags,
        wishes,
    } = stats;
    let counts = [
        ("addresses", addresses),
        ("customers", customers),
        ("emails", emails),
        ("import_batches", import_batches),
        ("interactions", interactions),
        ("notes", notes),
        ("phones", phones),
        ("purchase_items", purchase_items),
        ("purchases", purchases),
        ("reminders", reminders),
        ("satisfaction_scores", satisfaction_scores),
        ("segments", segments),
        ("suppressions", suppressions),
        ("tags", tags),
        ("wishes", wishes),
    ];
    for (kind, count) in counts {
        say!("{kind:<20} {count}");
    }
}

pub fn about(book: &Book, json: bool) -> Result<(), Error> {
    let about = book.about()?;
    if json {
        print_json(&about);
        return Ok(());
    }
    let AboutLoupe { version, book_path, book_bytes, wal_bytes, schema_version, latest_schema_version } =
        about;
    say!("loupe       {version}");
    say!("book        {book_path}");
    say!("size        {book_bytes} bytes, and {wal_bytes} bytes of recent writes in its WAL");
    say!("schema      {schema_version} (this Loupe's: {latest_schema_version})");
    Ok(())
}
