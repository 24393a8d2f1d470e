//! `loupe wishes`: what customers are looking for, and every open wish in the book.

use loupe_core::model::{OpenWish, WishDraft};
use loupe_core::{Book, Error};

use crate::args::WishesCommand;
use crate::output::{print_json, report, say};

pub fn run(book: &mut Book, command: WishesCommand) -> Result<(), Error> {
    match command {
        WishesCommand::Add {
            customer_id,
            brand,
            model,
            reference,
            budget_min,
            budget_max,
            currency,
            notes,
            status,
            date,
            json,
        } => {
            let draft = WishDraft {
                brand,
                model,
                reference_number: reference,
                budget_min,
                budget_max,
                currency,
                notes,
                status,
                requested_on: date.unwrap_or_else(loupe_core::today),
                closed_on: None,
            };
            let wish = book.add_entry(customer_id, draft)?;
            report(json, &wish, || format!("added wish {} for customer {customer_id}", wish.id));
        }
        WishesCommand::Open { filter, limit, json } => {
            let wishes = book.open_wishes(&filter, limit)?;
            if json {
                print_json(&wishes);
            } else {
                for open in &wishes {
                    print_open_wish(open);
                }
            }
        }
    }
    Ok(())
}

/// The piece wished for, the budget and the notes, in one phrase; also used by `customers show`.
pub fn wish_text(wish: &WishDraft) -> String {
    let what = [wish.brand.as_str(), wish.model.as_str(), wish.reference_number.as_str()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let budget = match (wish.budget_min, wish.budget_max) {
        (None, None) => String::new(),
        (min, max) => format!(
            ", budget {} {}-{}",
            wish.currency,
            min.map(|amount| amount.to_string()).unwrap_or_default(),
            max.map(|amount| amount.to_string()).unwrap_or_default()
        ),
    };
    format!("{what}{budget} {}", wish.notes).trim_end().to_string()
}

fn print_open_wish(open: &OpenWish) {
    let wish = &open.wish;
    say!(
        "{}  #{:<6} {:<9} customer {:>7} {:<28} {}",
        wish.entry.requested_on,
        wish.id,
        wish.entry.status,
        wish.customer_id,
        open.customer_name,
        wish_text(&wish.entry)
    );
}
