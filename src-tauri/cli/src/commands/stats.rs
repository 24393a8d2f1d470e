//! `loupe stats`: how many records of each kind the book holds.

use loupe_core::{Book, Error};

use crate::output::{print_json, say};

pub fn run(book: &Book, json: bool) -> Result<(), Error> {
    let stats = book.stats()?;
    if json {
        print_json(&stats);
    } else if let serde_json::Value::Object(counts) = serde_json::json!(stats) {
        for (kind, count) in counts {
            say!("{kind:<20} {count}");
        }
    }
    Ok(())
}
