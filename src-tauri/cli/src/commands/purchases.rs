//! `loupe purchases`: record a sale (paid in parts, with trade-ins, or a deposit), collect
//! it, show one sale, list a customer's sales with their totals.

use chrono::NaiveDate;
use loupe_core::model::{
    CustomerTotals, MemberDiscount, PaymentMethod, PointsRedemption, Purchase, PurchaseDraft, PurchaseItem,
    SaleCollection, SalePayment, TradeIn,
};
use loupe_core::problem::Problem;
use loupe_core::{Book, Error, money};
use rust_decimal::Decimal;
use serde::Serialize;

use super::tiers::{label_name, percent};
use crate::args::{AddPurchaseArgs, PurchasesCommand};
use crate::output::{print_json, say};

pub fn run(book: &mut Book, command: PurchasesCommand) -> Result<(), Error> {
    match command {
        PurchasesCommand::Add(args) => {
            let json = args.json;
            let customer_id = args.customer_id;
            let draft = purchase_from_args(book, args)?;
            let purchase = book.add_purchase(customer_id, draft)?;
            if json {
                print_json(&purchase);
            } else {
                let mut line = format!(
                    "recorded sale {} to customer {customer_id}: {} {}",
                    purchase.id, purchase.sale.currency, purchase.total
                );
                if let Some(redeemed) = &purchase.sale.redemption {
                    line.push_str(&format!(
                        "; {} points redeemed for {}",
                        money(Decimal::from(redeemed.points)),
                        redeemed.value
                    ));
                }
                if purchase.points_earned > 0 {
                    line.push_str(&format!(
                        "; {} points earned",
                        money(Decimal::from(purchase.points_earned))
                    ));
                }
                say!("{line}");
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
        PurchasesCommand::Show { sale_id, json } => {
            let purchase = book.purchase(sale_id)?;
            if json {
                print_json(&purchase);
            } else {
                say!("customer {}", purchase.customer_id);
                print_sale(&purchase);
            }
        }
        PurchasesCommand::Collect { sale_id, date, payments, json } => {
            let sale = book.purchase(sale_id)?;
            let collected_on = date.unwrap_or_else(loupe_core::today);
            let payments = read_payments(&payments, collected_on, sale.balance_due)?;
            let purchase = book.collect_purchase(sale_id, SaleCollection { collected_on, payments })?;
            if json {
                print_json(&purchase);
            } else {
                say!(
                    "collected sale {sale_id} on {collected_on}: {} {} paid",
                    purchase.sale.currency,
                    purchase.paid
                );
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

fn purchase_from_args(book: &Book, args: AddPurchaseArgs) -> Result<PurchaseDraft, Error> {
    let mut items = args
        .items
        .iter()
        .enumerate()
        .map(|(index, spec)| {
            parse_item(spec).map_err(|message| Error::invalid(format!("--item {}", index + 1), message))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let trade_ins = args
        .trade_ins
        .iter()
        .enumerate()
        .map(|(index, spec)| {
            parse_trade_in(spec)
                .map_err(|message| Error::invalid(format!("--trade-in {}", index + 1), message))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if args.member_discount {
        give_member_discount(book, args.customer_id, &mut items)?;
    }
    let redemption = match args.redeem_points {
        Some(points) => Some(PointsRedemption {
            points,
            value: loupe_core::redemption_value(i64::from(points), &book.settings()?.membership),
        }),
        None => None,
    };
    let draft = PurchaseDraft {
        purchased_on: args.date,
        currency: args.currency.unwrap_or_default(),
        channel: args.channel,
        salesperson: args.salesperson,
        notes: args.notes,
        items,
        payments: Vec::new(),
        trade_ins,
        collected_on: None,
        redemption,
    };
    if args.payments.is_empty() && !args.deposit {
        return Ok(draft.paid_in_full(args.payment.unwrap_or(PaymentMethod::Card)));
    }
    let due = draft.total() - draft.paid();
    let payments = read_payments(&args.payments, draft.purchased_on, due)?;
    Ok(PurchaseDraft { payments, collected_on: (!args.deposit).then_some(draft.purchased_on), ..draft })
}

/// `--member-discount`: the customer's tier discount on each item without a discount of its
/// own, computed as the core checks it.
fn give_member_discount(book: &Book, customer_id: i64, items: &mut [PurchaseItem]) -> Result<(), Error> {
    let field = "--member-discount";
    let membership =
        book.membership(customer_id)?.ok_or_else(|| Error::invalid(field, Problem::MembershipOff))?;
    let Some(tier) = membership.tier else {
        return Err(Error::invalid(field, format!("customer {customer_id} holds no membership tier")));
    };
    if membership.discount_percent.is_zero() {
        return Err(Error::invalid(field, format!("the {} tier gives no discount", label_name(&tier))));
    }
    for item in items.iter_mut().filter(|item| item.discount.is_zero()) {
        item.discount = loupe_core::member_discount_amount(item.price, membership.discount_percent);
        item.member_discount =
            Some(MemberDiscount { tier: tier.clone(), percent: membership.discount_percent });
    }
    Ok(())
}

/// Reads `--pay` options: "METHOD=AMOUNT[@DATE]", dated `day` unless given; a method alone
/// pays what the others leave of `due`.
fn read_payments(specs: &[String], day: NaiveDate, due: Decimal) -> Result<Vec<SalePayment>, Error> {
    let mut payments = Vec::with_capacity(specs.len());
    let mut rest_by: Option<(usize, PaymentMethod, NaiveDate)> = None;
    for (index, spec) in specs.iter().enumerate() {
        let field = format!("--pay {}", index + 1);
        let (method, amount_and_date) = match spec.split_once('=') {
            Some((method, rest)) => (method, Some(rest)),
            None => (spec.split_once('@').map_or(spec.as_str(), |(method, _)| method), None),
        };
        let method: PaymentMethod =
            method.parse().map_err(|message: String| Error::invalid(&field, message))?;
        let (amount, date) = match amount_and_date {
            Some(text) => match text.split_once('@') {
                Some((amount, date)) => (Some(amount), Some(date)),
                None => (Some(text), None),
            },
            None => (None, spec.split_once('@').map(|(_, date)| date)),
        };
        let paid_on = match date {
            Some(date) => date
                .trim()
                .parse()
                .map_err(|_| Error::invalid(&field, format!("'{date}' is not a date (YYYY-MM-DD)")))?,
            None => day,
        };
        match amount {
            Some(amount) => payments.push(SalePayment {
                method,
                amount: loupe_core::parse_amount(&field, amount)?,
                paid_on,
            }),
            None if rest_by.is_some() => {
                return Err(Error::invalid(
                    &field,
                    "only one payment may take what is still due".to_string(),
                ));
            }
            None => rest_by = Some((payments.len(), method, paid_on)),
        }
    }
    if let Some((position, method, paid_on)) = rest_by {
        let rest = due - payments.iter().map(|payment| payment.amount).sum::<Decimal>();
        payments.insert(position, SalePayment { method, amount: rest.max(Decimal::ZERO), paid_on });
    }
    Ok(payments)
}

/// Reads "key=value,key=value" into a trade-in; the value allowed is required.
fn parse_trade_in(spec: &str) -> Result<TradeIn, String> {
    let mut piece = PurchaseItem::priced(Decimal::ZERO);
    piece.condition = loupe_core::model::ItemCondition::PreOwned;
    let mut allowance = None;
    let mut description = String::new();
    for pair in spec.split(',').map(str::trim).filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').ok_or_else(|| format!("'{pair}' is not key=value"))?;
        let value = value.trim().to_string();
        match key.trim().to_ascii_lowercase().as_str() {
            "category" => piece.category = value.parse()?,
            "brand" => piece.brand = value,
            "model" => piece.model = value,
            "ref" | "reference" => piece.reference_number = value,
            "serial" => piece.serial_number = value,
            "condition" => piece.condition = value.parse()?,
            "grade" => piece.condition_grade = value,
            "description" => description = value,
            "allowed" | "allowance" => {
                allowance = Some(loupe_core::parse_amount(key, &value).map_err(|error| error.to_string())?)
            }
            other => return Err(format!("unknown key '{other}'")),
        }
    }
    let allowance = allowance.ok_or("allowed=... (the value allowed for it) is required")?;
    Ok(TradeIn {
        category: piece.category,
        brand: piece.brand,
        model: piece.model,
        reference_number: piece.reference_number,
        serial_number: piece.serial_number,
        condition: piece.condition,
        condition_grade: piece.condition_grade,
        description,
        allowance,
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
        print_sale(purchase);
    }
}

/// One sale: its line, items, trade-ins and payments, and what is still due.
fn print_sale(purchase: &Purchase) {
    let sale = &purchase.sale;
    let state = match sale.collected_on {
        Some(day) if day != sale.purchased_on => format!("  collected {day}"),
        Some(_) => String::new(),
        None => "  awaiting collection".to_string(),
    };
    say!("  {}  #{}  {} {}{state}", sale.purchased_on, purchase.id, sale.currency, purchase.total);
    for item in &sale.items {
        let discount = match &item.member_discount {
            Some(member) => format!(
                "  ({}, {} member −{} %)",
                item.price,
                label_name(&member.tier),
                percent(member.percent)
            ),
            None if !item.discount.is_zero() => format!("  ({} less {})", item.price, item.discount),
            None => String::new(),
        };
        say!(
            "      {} {} {} ref {} serial {}  {}{discount}",
            item.category,
            item.brand,
            item.model,
            item.reference_number,
            item.serial_number,
            item.amount()
        );
    }
    if let Some(redeemed) = &sale.redemption {
        say!(
            "      points redeemed: {} ({} {} off)",
            money(Decimal::from(redeemed.points)),
            sale.currency,
            redeemed.value
        );
    }
    if purchase.points_earned > 0 {
        say!("      points earned: {}", money(Decimal::from(purchase.points_earned)));
    }
    for trade_in in &sale.trade_ins {
        say!(
            "      trade-in: {} {} {} ref {} serial {} {} {}  allowed {}",
            trade_in.category,
            trade_in.brand,
            trade_in.model,
            trade_in.reference_number,
            trade_in.serial_number,
            trade_in.condition,
            trade_in.condition_grade,
            trade_in.allowance
        );
    }
    for payment in &sale.payments {
        say!("      paid {} {} on {}", payment.method, payment.amount, payment.paid_on);
    }
    if !purchase.balance_due.is_zero() {
        say!("      balance due {} {}", sale.currency, purchase.balance_due);
    }
}
