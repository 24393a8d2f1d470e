//! `loupe demo`: deterministic, realistic demo customers, for demonstrations and benchmarks.

use loupe_core::{Book, Error};

use crate::output::{Progress, say};

/// Adds `customers` demo customers and `purchases` purchases (three per customer by default).
pub fn run(book: &mut Book, customers: usize, purchases: Option<usize>, seed: u64) -> Result<(), Error> {
    let purchases = purchases.unwrap_or(customers * 3);
    let mut progress = Progress::default();
    let added = book.generate_demo(customers, purchases, seed, |done| {
        progress.show("generating demo customers", done as u64, customers as u64);
    })?;
    progress.finish();
    say!(
        "added {} demo customers with {} purchases to {}",
        added.customers,
        added.purchases,
        book.path().display()
    );
    Ok(())
}
