//! `loupe interactions`: the contact history (calls, emails, meetings, visits, messages, events).

use loupe_core::model::InteractionDraft;
use loupe_core::{Book, Error};

use crate::args::InteractionsCommand;
use crate::output::report;

pub fn run(book: &mut Book, command: InteractionsCommand) -> Result<(), Error> {
    match command {
        InteractionsCommand::Add {
            customer_id,
            kind,
            direction,
            summary,
            outcome,
            campaign,
            response,
            date,
            json,
        } => {
            let occurred_on = date.unwrap_or_else(loupe_core::today);
            let draft =
                InteractionDraft { kind, direction, occurred_on, summary, outcome, campaign, response };
            let interaction = book.add_entry(customer_id, draft)?;
            report(json, &interaction, || {
                format!("recorded {kind} {} with customer {customer_id}", interaction.id)
            });
        }
    }
    Ok(())
}
