//! `loupe demo`: deterministic, realistic demo customers, for demonstrations and benchmarks.

use loupe_core::{Book, Error};

use crate::output::{progress_line, say};

/// Adds `customers` demo customers and `purchases` purchases (three per customer by default).
pub fn run(book: &mut Book, customers: usize, purchases: Option<usize>, seed: u64) -> Result<(), Error> {
    let purchases = purchases.unwrap_or(customers * 3);
    let mut line = progress_line();
    let added = book.generate_demo(customers, purchases, seed, |done| {
        line.show("generating demo customers", done as u64, customers as u64);
    })?;
    line.finish();
    say!(
        "added {} demo customers with {} purchases to {}",
        added.customers,
        added.purchases,
        book.path().display()
    );
    Ok(())
}
