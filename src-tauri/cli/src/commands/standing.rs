//! `loupe standing refresh`: evaluate every customer's standing again.

use loupe_core::{Book, Error};

use crate::output::report;

pub fn refresh(book: &mut Book, json: bool) -> Result<(), Error> {
    let refreshed = book.refresh_standing()?;
    report(json, &refreshed, || {
        let moves = match refreshed.changes {
            1 => "1 move of segment or value class recorded".to_string(),
            n => format!("{n} moves of segment or value class recorded"),
        };
        format!("evaluated {} customers as of {}; {moves}", refreshed.customers, refreshed.evaluated_on)
    });
    Ok(())
}
