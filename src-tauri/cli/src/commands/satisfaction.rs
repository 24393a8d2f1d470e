//! `loupe satisfaction`: scores from 1 to 5.

use loupe_core::model::SatisfactionDraft;
use loupe_core::{Book, Error};

use crate::args::SatisfactionCommand;
use crate::output::report;

pub fn run(book: &mut Book, command: SatisfactionCommand) -> Result<(), Error> {
    match command {
        SatisfactionCommand::Add { customer_id, score, comment, date, json } => {
            let scored_on = date.unwrap_or_else(loupe_core::today);
            let scored = book.add_entry(customer_id, SatisfactionDraft { score, scored_on, comment })?;
            report(json, &scored, || format!("recorded score {score}/5 for customer {customer_id}"));
        }
    }
    Ok(())
}
