//! `loupe points`: a customer's points ledger, and points adjusted or redeemed by hand.

use loupe_core::model::{PointsDraft, PointsEntry, PointsKind, PointsLedger};
use loupe_core::{Book, Error, money};
use rust_decimal::Decimal;

use crate::args::PointsCommand;
use crate::output::{print_json, say};

pub fn run(
    book: &mut Book,
    command: Option<PointsCommand>,
    customer_id: Option<i64>,
    json: bool,
) -> Result<(), Error> {
    match (command, customer_id) {
        (Some(PointsCommand::Adjust { customer_id, points, reason, json }), _) => {
            let ledger = book.adjust_points(customer_id, PointsDraft { points, reason: reason.clone() })?;
            moved(&ledger, json, || format!("{} points ({})", signed(points), reason.trim()));
        }
        (Some(PointsCommand::Redeem { customer_id, points, reason, json }), _) => {
            let ledger = book.redeem_points(customer_id, PointsDraft { points, reason: reason.clone() })?;
            let why = if reason.trim().is_empty() { String::new() } else { format!(" ({})", reason.trim()) };
            moved(&ledger, json, || format!("{} points redeemed{why}", money(Decimal::from(points))));
        }
        (None, Some(customer_id)) => {
            let ledger = book.points(customer_id)?;
            if json {
                print_json(&ledger);
            } else {
                let customer = book.customer(customer_id)?;
                say!(
                    "{} (#{customer_id}): {} points",
                    customer.profile.full_name,
                    money(Decimal::from(ledger.balance))
                );
                if !ledger.entries.is_empty() {
                    say!("  {:<10}  {:<8} {:>10} {:>10}  FOR", "DATE", "KIND", "POINTS", "BALANCE");
                }
                for entry in &ledger.entries {
                    say!(
                        "  {}  {:<8} {:>10} {:>10}  {}",
                        entry.entry_on,
                        entry.kind.as_str(),
                        signed(entry.points),
                        money(Decimal::from(entry.balance)),
                        what_for(entry)
                    );
                }
            }
        }
        // clap requires the customer when no subcommand is given.
        (None, None) => return Err(Error::invalid("ID", "name the customer")),
    }
    Ok(())
}

/// The ledger after a move (JSON), or "customer 12: +200 points (goodwill); balance 1,524".
fn moved(ledger: &PointsLedger, json: bool, what: impl FnOnce() -> String) {
    if json {
        print_json(ledger);
    } else {
        say!("customer {}: {}; balance {}", ledger.customer_id, what(), money(Decimal::from(ledger.balance)));
    }
}

/// "+1,200", "-500".
fn signed(points: i64) -> String {
    let sign = if points > 0 { "+" } else { "" };
    format!("{sign}{}", money(Decimal::from(points)))
}

/// What a line was for: the sale, the customer referred, or the dealer's reason.
fn what_for(entry: &PointsEntry) -> String {
    let mut parts = Vec::new();
    match entry.kind {
        PointsKind::Referral => parts.push(match (&entry.referred_name, entry.referred_id) {
            (Some(name), Some(id)) => format!("referred {name} (#{id})"),
            _ => "referred a customer since erased".to_string(),
        }),
        PointsKind::Expire => parts.push("expired unspent".to_string()),
        _ => {}
    }
    if let Some(sale) = entry.purchase_id {
        parts.push(format!("sale #{sale}"));
    }
    if !entry.reason.is_empty() {
        parts.push(entry.reason.clone());
    }
    parts.join("; ")
}
