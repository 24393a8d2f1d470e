//! `loupe purchases`: record a sale, list a customer's sales with their totals.

use loupe_core::model::{CustomerTotals, Purchase, PurchaseDraft, PurchaseItem};
use loupe_core::{Book, Error};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::args::{AddPurchaseArgs, PurchasesCommand};
use crate::output::{print_json, say};

pub fn run(book: &mut Book, command: PurchasesCommand) -> Result<(), Error> {
    match command {
        PurchasesCommand::Add(args) => {
            let json = args.json;
            let customer_id = args.customer_id;
            let purchase = book.add_purchase(customer_id, purchase_from_args(args)?)?;
            if json {
                print_json(&purchase);
            } else {
                say!(
                    "recorded sale {} to customer {customer_id}: {} {}",
                    purchase.id,
                    purchase.sale.currency,
                    purchase.total
                );
            }
        }
        PurchasesCommand::List { customer_id, json } => {
            let purchases = book.purchases(customer_id)?;
            let totals = book.customer_totals(customer_id)?;
            if json {
                print_json(&PurchaseList { purchases: &purchases, totals: &totals });
            } else {
                print_purchases(&purchases, &totals);
            }
        }
    }
    Ok(())
}

/// `purchases list --json`: a customer's sales, newest first, and their totals.
#[derive(Serialize)]
struct PurchaseList<'a> {
    purchases: &'a [Purchase],
    totals: &'a CustomerTotals,
}

fn purchase_from_args(args: AddPurchaseArgs) -> Result<PurchaseDraft, Error> {
    let items = args
        .items
        .iter()
        .enumerate()
        .map(|(index, spec)| {
            parse_item(spec).map_err(|message| Error::invalid(format!("--item {}", index + 1), message))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PurchaseDraft {
        purchased_on: args.date,
        currency: args.currency.unwrap_or_default(),
        payment_method: args.payment,
        channel: args.channel,
        salesperson: args.salesperson,
        notes: args.notes,
        items,
    })
}

/// Reads "key=value,key=value" into an item; price is required, the rest optional.
fn parse_item(spec: &str) -> Result<PurchaseItem, String> {
    let mut item = PurchaseItem::priced(Decimal::ZERO);
    let mut has_price = false;
    for pair in spec.split(',').map(str::trim).filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').ok_or_else(|| format!("'{pair}' is not key=value"))?;
        let value = value.trim().to_string();
        let flag = |value: &str| match value.to_ascii_lowercase().as_str() {
            "yes" | "y" | "true" | "1" => Ok(true),
            "no" | "n" | "false" | "0" => Ok(false),
            _ => Err(format!("{key}={value}: use yes or no")),
        };
        let amount = |value: &str| loupe_core::parse_amount(key, value).map_err(|error| error.to_string());
        match key.trim().to_ascii_lowercase().as_str() {
            "category" => item.category = value.parse()?,
            "brand" => item.brand = value,
            "model" => item.model = value,
            "ref" | "reference" => item.reference_number = value,
            "serial" => item.serial_number = value,
            "material" => item.material = value,
            "condition" => item.condition = value.parse()?,
            "grade" => item.condition_grade = value,
            "box" => item.has_box = flag(&value)?,
            "papers" => item.has_papers = flag(&value)?,
            "description" => item.description = value,
            "price" => {
                item.price = amount(&value)?;
                has_price = true;
            }
            "discount" => item.discount = amount(&value)?,
            other => return Err(format!("unknown key '{other}'")),
        }
    }
    if !has_price {
        return Err("price=... is required".to_string());
    }
    Ok(item)
}

/// The totals per currency, then each sale with its items, newest first; also the sales part
/// of `customers show`.
pub fn print_purchases(purchases: &[Purchase], totals: &CustomerTotals) {
    for summary in &totals.by_currency {
        say!(
            "  spent:    {} {} over {} purchase(s), {} to {}, average {}",
            summary.currency,
            summary.lifetime_spend,
            summary.purchases,
            summary.first_purchase,
            summary.last_purchase,
            summary.average_order
        );
    }
    for purchase in purchases {
        say!(
            "  {}  #{}  {} {}",
            purchase.sale.purchased_on,
            purchase.id,
            purchase.sale.currency,
            purchase.total
        );
        for item in &purchase.sale.items {
            say!(
                "      {} {} {} ref {} serial {}  {}",
                item.category,
                item.brand,
                item.model,
                item.reference_number,
                item.serial_number,
                item.amount()
            );
        }
    }
}
