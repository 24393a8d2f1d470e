//! Sales and their items, and the totals computed from them. Amounts are `rust_decimal`
//! values stored as exact decimal text: no floating point from input to disk and back.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, ToSql, params, params_from_iter};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::customers::{parse_column, parse_optional};
use crate::error::{Error, Result};
use crate::history::require_customer;
use crate::model::*;
use crate::problem::Problem;
use crate::search;
use crate::store::Book;
use crate::validate::{check_amount, currency_or_book};

impl Book {
    pub fn add_purchase(&mut self, customer_id: i64, draft: PurchaseDraft) -> Result<Purchase> {
        let (draft, book_currency) = self.checked_purchase(draft)?;
        let now = crate::clock::now().to_rfc3339();
        let today = crate::clock::today();
        let id = self.with_tx(|tx| {
            require_customer(tx, customer_id)?;
            crate::points::check_redemption(tx, customer_id, None, &draft, today)?;
            let id = insert_purchase(tx, customer_id, &draft, &now)?;
            after_sale_changed(tx, customer_id, Some((id, &draft)), &book_currency, Some(id), today)?;
            Ok(id)
        })?;
        self.purchase(id)
    }

    pub fn update_purchase(&mut self, id: i64, draft: PurchaseDraft) -> Result<Purchase> {
        let (draft, book_currency) = self.checked_purchase(draft)?;
        let now = crate::clock::now().to_rfc3339();
        let today = crate::clock::today();
        self.with_tx(|tx| {
            let customer_id = owner_of(tx, id)?;
            crate::points::check_redemption(tx, customer_id, Some(id), &draft, today)?;
            tx.execute(
                "UPDATE purchases SET purchased_on = ?1, currency = ?2, payment_method = ?3,
                    channel = ?4, salesperson = ?5, notes = ?6, updated_at = ?7, total_units = ?8,
                    collected_on = ?9, points_redeemed = ?10, points_value = ?11
                 WHERE id = ?12",
                params_from_iter(
                    sale_columns(&draft, &now)?.into_iter().chain([Box::new(id) as Box<dyn ToSql>]),
                ),
            )?;
            for table in ["purchase_items", "sale_payments", "sale_trade_ins"] {
                // Only these fixed names are formatted into the statement.
                tx.execute(&format!("DELETE FROM {table} WHERE purchase_id = ?1"), [id])?;
            }
            insert_parts(tx, id, &draft)?;
            after_sale_changed(tx, customer_id, Some((id, &draft)), &book_currency, None, today)
        })?;
        self.purchase(id)
    }

    /// Marks a sale awaiting collection as collected on `collection.collected_on`, taking its
    /// payments (the balance); the sale must then be paid in full.
    pub fn collect_purchase(&mut self, id: i64, collection: SaleCollection) -> Result<Purchase> {
        let mut draft = self.purchase(id)?.sale;
        if draft.collected_on.is_some() {
            return Err(Error::invalid("collected_on", Problem::AlreadyCollected));
        }
        draft.payments.extend(collection.payments);
        draft.collected_on = Some(collection.collected_on);
        self.update_purchase(id, draft)
    }

    /// Deletes the sale; returns whose it was.
    pub fn delete_purchase(&mut self, id: i64) -> Result<i64> {
        let book_currency = self.settings()?.default_currency;
        self.with_tx(|tx| {
            let customer_id = owner_of(tx, id)?;
            // Its points lines go with it (a foreign key).
            tx.execute("DELETE FROM purchases WHERE id = ?1", [id])?;
            after_sale_changed(tx, customer_id, None, &book_currency, None, crate::clock::today())?;
            Ok(customer_id)
        })
    }

    pub fn purchase(&self, id: i64) -> Result<Purchase> {
        let mut purchases = load_purchases(&self.conn, "p.id = ?1", id)?;
        purchases.pop().ok_or(Error::NotFound { what: "purchase", id })
    }

    /// A customer's purchases, newest first.
    pub fn purchases(&self, customer_id: i64) -> Result<Vec<Purchase>> {
        require_customer(&self.conn, customer_id)?;
        load_purchases(&self.conn, "p.customer_id = ?1", customer_id)
    }

    /// Lifetime spend, purchase count, first and last purchase and average order per currency,
    /// plus favourite brands and categories; all exact.
    pub fn customer_totals(&self, customer_id: i64) -> Result<CustomerTotals> {
        let purchases = self.purchases(customer_id)?;
        let book_currency = self.settings()?.default_currency;
        Ok(totals_of(&purchases, &book_currency))
    }

    /// The draft tidied and checked, and the book's currency.
    pub(crate) fn checked_purchase(&self, mut draft: PurchaseDraft) -> Result<(PurchaseDraft, String)> {
        let settings = self.settings()?;
        draft.currency = currency_or_book("currency", &draft.currency, &settings)?;
        if draft.items.is_empty() {
            return Err(Error::invalid("items", Problem::SaleWithoutItems));
        }
        draft.salesperson = draft.salesperson.trim().to_string();
        for (index, item) in draft.items.iter_mut().enumerate() {
            for text in [
                &mut item.brand,
                &mut item.model,
                &mut item.reference_number,
                &mut item.serial_number,
                &mut item.material,
                &mut item.condition_grade,
            ] {
                *text = text.trim().to_string();
            }
            let field = |name: &str| format!("items[{index}].{name}");
            check_amount(&field("price"), item.price)?;
            check_amount(&field("discount"), item.discount)?;
            if item.discount > item.price {
                return Err(Error::invalid(field("discount"), Problem::DiscountAbovePrice));
            }
            if let Some(member) = &item.member_discount {
                if member.percent < Decimal::ZERO || member.percent > Decimal::ONE_HUNDRED {
                    return Err(Error::invalid(field("discount"), Problem::PercentOutOfRange));
                }
                let expected = crate::membership::member_discount_amount(item.price, member.percent);
                if item.discount != expected {
                    return Err(Error::invalid(
                        field("discount"),
                        Problem::MemberDiscountMismatch {
                            percent: member.percent.normalize().to_string(),
                            expected: expected.to_string(),
                        },
                    ));
                }
            }
        }
        if let Some(redeemed) = &draft.redemption {
            check_amount("redemption.value", redeemed.value)?;
        }
        check_payments(&mut draft)?;
        Ok((draft, settings.default_currency))
    }
}

/// What follows a change to one of the customer's sales (`sale`, None when one was deleted):
/// their spend, search document and points (the sale's lines, the referral bonus their first
/// sale earned, expiry), and their standing and tier.
fn after_sale_changed(
    tx: &Connection,
    customer_id: i64,
    sale: Option<(i64, &PurchaseDraft)>,
    book_currency: &str,
    added: Option<i64>,
    today: chrono::NaiveDate,
) -> Result<()> {
    refresh_customer_spend(tx, customer_id, book_currency)?;
    search::reindex_items(tx, customer_id)?;
    let rules = crate::settings::read_settings(tx)?.membership;
    if let Some((id, draft)) = sale {
        crate::points::write_sale_points(tx, customer_id, id, draft, book_currency, &rules)?;
    }
    crate::points::follow_referral(tx, customer_id, added)?;
    crate::evaluation::evaluate_customer(tx, customer_id, today)
}

/// Checks the trade-ins and payments of a tidied sale. Trade-ins count first (they are agreed
/// with the deal), then the payments in order: the first that takes what was paid past the
/// total is the one named. A collected sale owes nothing, and is collected on or after the
/// sale's day.
fn check_payments(draft: &mut PurchaseDraft) -> Result<()> {
    let total = draft.total();
    let mut paid = Decimal::ZERO;
    let overpaid = |field: String, paid: Decimal| {
        Error::invalid(field, Problem::Overpaid { total: total.to_string(), paid: paid.to_string() })
    };
    for (index, trade_in) in draft.trade_ins.iter_mut().enumerate() {
        for text in [
            &mut trade_in.brand,
            &mut trade_in.model,
            &mut trade_in.reference_number,
            &mut trade_in.serial_number,
            &mut trade_in.condition_grade,
            &mut trade_in.description,
        ] {
            *text = text.trim().to_string();
        }
        let field = |name: &str| format!("trade_ins[{index}].{name}");
        let names_the_piece = [
            &trade_in.brand,
            &trade_in.model,
            &trade_in.reference_number,
            &trade_in.serial_number,
            &trade_in.description,
        ]
        .iter()
        .any(|text| !text.is_empty());
        if !names_the_piece {
            return Err(Error::invalid(field("brand"), Problem::TradeInUnnamed));
        }
        check_amount(&field("allowance"), trade_in.allowance)?;
        paid += trade_in.allowance;
        if paid > total {
            return Err(overpaid(field("allowance"), paid));
        }
    }
    for (index, payment) in draft.payments.iter().enumerate() {
        let field = format!("payments[{index}].amount");
        check_amount(&field, payment.amount)?;
        if payment.amount.is_zero() {
            return Err(Error::invalid(field, Problem::PaymentNotPositive));
        }
        paid += payment.amount;
        if paid > total {
            return Err(overpaid(field, paid));
        }
    }
    if let Some(collected_on) = draft.collected_on {
        if collected_on < draft.purchased_on {
            return Err(Error::invalid("collected_on", Problem::CollectedBeforeSale));
        }
        if paid < total {
            return Err(Error::invalid(
                "payments",
                Problem::BalanceDue { balance: (total - paid).to_string() },
            ));
        }
    }
    Ok(())
}

/// The method of the sale's largest payment, a trade-in's allowance counting as a payment
/// `trade_in` (the first of equal ones; `other` while nothing is paid): what
/// `purchases.payment_method` holds for scripts that read the file.
fn main_payment_method(draft: &PurchaseDraft) -> PaymentMethod {
    let payments = draft.payments.iter().map(|payment| (payment.method, payment.amount));
    let trade_ins = draft.trade_ins.iter().map(|trade_in| (PaymentMethod::TradeIn, trade_in.allowance));
    let mut main: Option<(PaymentMethod, Decimal)> = None;
    for (method, amount) in payments.chain(trade_ins) {
        if main.is_none_or(|(_, largest)| amount > largest) {
            main = Some((method, amount));
        }
    }
    main.map_or(PaymentMethod::Other, |(method, _)| method)
}

/// The `purchases` columns of a sale, the write time, the total in units, the day of
/// collection and the points redeemed, as ?1 to ?11 of the INSERT and UPDATE.
fn sale_columns<'a>(draft: &'a PurchaseDraft, now: &'a str) -> Result<Vec<Box<dyn ToSql + 'a>>> {
    let total = draft.total();
    Ok(vec![
        Box::new(draft.purchased_on.to_string()),
        Box::new(&draft.currency),
        Box::new(main_payment_method(draft).as_str()),
        Box::new(draft.channel.as_str()),
        Box::new(&draft.salesperson),
        Box::new(&draft.notes),
        Box::new(now),
        Box::new(units(total).ok_or_else(|| Error::invalid("items", Problem::SaleTotalTooLarge))?),
        Box::new(draft.collected_on.map(|date| date.to_string())),
        Box::new(draft.redemption.as_ref().map_or(0, |redeemed| redeemed.points)),
        Box::new(draft.redemption.as_ref().map_or(Decimal::ZERO, |redeemed| redeemed.value).to_string()),
    ])
}

/// `amount` in ten-thousandths, exactly; None when it has more than four decimal places or
/// does not fit. Validation keeps every stored amount within both limits.
pub(crate) fn units(amount: Decimal) -> Option<i64> {
    let mut scaled = amount;
    scaled.rescale(4);
    (scaled == amount).then(|| i64::try_from(scaled.mantissa()).ok()).flatten()
}

/// Ten-thousandths back to an exact amount, without trailing zeros beyond the cents.
pub(crate) fn from_units(units: i64) -> Decimal {
    let mut amount = Decimal::new(units, 4).normalize();
    if amount.scale() < 2 {
        amount.rescale(2);
    }
    amount
}

/// Recomputes the spend, count, first, second and last purchase kept on the customer row for
/// the list and insights.
pub(crate) fn refresh_customer_spend(conn: &Connection, customer_id: i64, book_currency: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE customers SET
            spend_units = (SELECT coalesce(sum(total_units), 0) FROM purchases
                           WHERE customer_id = ?1 AND currency = ?2),
            purchase_count = (SELECT count(*) FROM purchases WHERE customer_id = ?1),
            last_purchase_on = (SELECT max(purchased_on) FROM purchases WHERE customer_id = ?1),
            first_purchase_on = (SELECT min(purchased_on) FROM purchases WHERE customer_id = ?1),
            second_purchase_on = (SELECT purchased_on FROM purchases WHERE customer_id = ?1
                                  ORDER BY purchased_on LIMIT 1 OFFSET 1)
         WHERE id = ?1",
    )?
    .execute(params![customer_id, book_currency])?;
    Ok(())
}

/// `refresh_customer_spend` for every customer past `after_id` who has a purchase, in one pass
/// over their purchases (a bulk load's new customers).
pub(crate) fn refresh_spend_after(conn: &Connection, after_id: i64, book_currency: &str) -> Result<()> {
    conn.execute(
        "UPDATE customers SET spend_units = totals.spend, purchase_count = totals.count,
            last_purchase_on = totals.last, first_purchase_on = totals.first,
            second_purchase_on = (SELECT purchased_on FROM purchases WHERE customer_id = customers.id
                                  ORDER BY purchased_on LIMIT 1 OFFSET 1)
         FROM (SELECT customer_id, coalesce(sum(total_units) FILTER (WHERE currency = ?2), 0) AS spend,
                      count(*) AS count, max(purchased_on) AS last, min(purchased_on) AS first
               FROM purchases WHERE customer_id > ?1 GROUP BY customer_id) AS totals
         WHERE customers.id = totals.customer_id",
        params![after_id, book_currency],
    )?;
    Ok(())
}

/// Recomputes every customer's spend in `book_currency`: after the book's currency changed,
/// and after bulk loads.
pub(crate) fn refresh_all_spend(conn: &Connection, book_currency: &str) -> Result<()> {
    refresh_list_totals(conn, book_currency)?;
    conn.execute(
        "UPDATE customers SET
            first_purchase_on = (SELECT min(purchased_on) FROM purchases p WHERE p.customer_id = customers.id),
            second_purchase_on = (SELECT p.purchased_on FROM purchases p WHERE p.customer_id = customers.id
                                  ORDER BY p.purchased_on LIMIT 1 OFFSET 1)",
        [],
    )?;
    Ok(())
}

/// The spend, count and last purchase, which the list has shown since migration 2 (whose hook
/// runs this on a schema without the later columns).
fn refresh_list_totals(conn: &Connection, book_currency: &str) -> Result<()> {
    conn.execute(
        "UPDATE customers SET
            spend_units = coalesce((SELECT sum(total_units) FROM purchases p
                                    WHERE p.customer_id = customers.id AND p.currency = ?1), 0),
            purchase_count = (SELECT count(*) FROM purchases p WHERE p.customer_id = customers.id),
            last_purchase_on = (SELECT max(purchased_on) FROM purchases p WHERE p.customer_id = customers.id)",
        [book_currency],
    )?;
    Ok(())
}

/// Migration 2's hook: fills `purchases.total_units` from the items of books written by
/// version 1, then the customers' spend.
pub(crate) fn backfill_totals(tx: &Connection) -> rusqlite::Result<()> {
    recompute_totals(tx)?;
    let currency: String = tx
        .query_row("SELECT value FROM settings WHERE key = 'default_currency'", [], |row| row.get(0))
        .optional()?
        .unwrap_or_else(|| BookSettings::default().default_currency);
    refresh_list_totals(tx, &currency).map_err(|error| match error {
        Error::Sqlite(error) => error,
        other => rusqlite::Error::ToSqlConversionFailure(other.to_string().into()),
    })
}

/// Migration 6's hook, and the load of a book folder written before it: each sale without
/// payments or a day of collection was paid in full by its one method on its day and
/// collected then.
pub(crate) fn backfill_payments(conn: &Connection) -> rusqlite::Result<()> {
    let mut sales = conn.prepare(
        "SELECT id, payment_method, total_units, purchased_on FROM purchases p
         WHERE total_units > 0 AND NOT EXISTS (SELECT 1 FROM sale_payments s WHERE s.purchase_id = p.id)
           AND NOT EXISTS (SELECT 1 FROM sale_trade_ins t WHERE t.purchase_id = p.id)",
    )?;
    let mut insert = conn.prepare(
        "INSERT INTO sale_payments (purchase_id, position, method, amount, paid_on) VALUES (?1, 0, ?2, ?3, ?4)",
    )?;
    let mut rows = sales.query([])?;
    while let Some(row) = rows.next()? {
        let (id, method, total, day): (i64, String, i64, String) =
            (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
        insert.execute(params![id, method, from_units(total).to_string(), day])?;
    }
    conn.execute("UPDATE purchases SET collected_on = purchased_on WHERE collected_on IS NULL", [])?;
    Ok(())
}

/// Fills every purchase's `total_units` from its items, read in purchase order so that only
/// one sale's total is held at a time (a whole-book import may bring millions).
pub(crate) fn recompute_totals(conn: &Connection) -> rusqlite::Result<()> {
    let mut items =
        conn.prepare("SELECT purchase_id, price, discount FROM purchase_items ORDER BY purchase_id")?;
    let mut update = conn.prepare("UPDATE purchases SET total_units = ?2 WHERE id = ?1")?;
    let mut write = |purchase_id: i64, total: Decimal| {
        let units = units(total).ok_or_else(|| {
            rusqlite::Error::ToSqlConversionFailure(format!("purchase {purchase_id}: total {total}").into())
        })?;
        update.execute(params![purchase_id, units]).map(drop)
    };
    let mut current: Option<(i64, Decimal)> = None;
    let mut rows = items.query([])?;
    while let Some(row) = rows.next()? {
        let purchase_id: i64 = row.get(0)?;
        let amount = parse_column::<Decimal>(row, 1)? - parse_column::<Decimal>(row, 2)?;
        match &mut current {
            Some((id, total)) if *id == purchase_id => *total += amount,
            _ => {
                if let Some((id, total)) = current.replace((purchase_id, amount)) {
                    write(id, total)?;
                }
            }
        }
    }
    if let Some((id, total)) = current {
        write(id, total)?;
    }
    Ok(())
}

/// Takes what points took off each sale from its total, after `recompute_totals` (books of
/// version 9 on: a bulk load).
pub(crate) fn subtract_redemptions(conn: &Connection) -> rusqlite::Result<()> {
    let redeemed: Vec<(i64, String)> = conn
        .prepare("SELECT id, points_value FROM purchases WHERE points_redeemed > 0")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut subtract = conn.prepare("UPDATE purchases SET total_units = total_units - ?2 WHERE id = ?1")?;
    for (id, value) in redeemed {
        let value = value.parse::<Decimal>().ok().and_then(units).ok_or_else(|| {
            rusqlite::Error::ToSqlConversionFailure(format!("purchase {id}: points value {value}").into())
        })?;
        subtract.execute(params![id, value])?;
    }
    Ok(())
}

/// Writes a checked sale and its items; the caller refreshes the customer's spend and search
/// document (bulk loaders do it once per customer).
pub(crate) fn insert_purchase(
    conn: &Connection,
    customer_id: i64,
    draft: &PurchaseDraft,
    now: &str,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO purchases (purchased_on, currency, payment_method, channel, salesperson,
            notes, created_at, total_units, collected_on, points_redeemed, points_value, updated_at, customer_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?7, ?12)",
    )?
    .execute(params_from_iter(
        sale_columns(draft, now)?.into_iter().chain([Box::new(customer_id) as Box<dyn ToSql>]),
    ))?;
    let id = conn.last_insert_rowid();
    insert_parts(conn, id, draft)?;
    Ok(id)
}

/// The sale's items, payments and trade-ins, in their order.
fn insert_parts(conn: &Connection, purchase_id: i64, draft: &PurchaseDraft) -> Result<()> {
    insert_items(conn, purchase_id, &draft.items)?;
    let mut payments = conn.prepare_cached(
        "INSERT INTO sale_payments (purchase_id, position, method, amount, paid_on) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (position, payment) in (0_i64..).zip(&draft.payments) {
        payments.execute(params![
            purchase_id,
            position,
            payment.method.as_str(),
            payment.amount.to_string(),
            payment.paid_on.to_string(),
        ])?;
    }
    let mut trade_ins = conn.prepare_cached(
        "INSERT INTO sale_trade_ins (purchase_id, position, category, brand, model, reference_number,
            serial_number, condition, condition_grade, description, allowance)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for (position, trade_in) in (0_i64..).zip(&draft.trade_ins) {
        trade_ins.execute(params![
            purchase_id,
            position,
            trade_in.category.as_str(),
            trade_in.brand,
            trade_in.model,
            trade_in.reference_number,
            trade_in.serial_number,
            trade_in.condition.as_str(),
            trade_in.condition_grade,
            trade_in.description,
            trade_in.allowance.to_string(),
        ])?;
    }
    Ok(())
}

fn owner_of(conn: &Connection, purchase_id: i64) -> Result<i64> {
    conn.query_row("SELECT customer_id FROM purchases WHERE id = ?1", [purchase_id], |row| row.get(0))
        .optional()?
        .ok_or(Error::NotFound { what: "purchase", id: purchase_id })
}

fn insert_items(conn: &Connection, purchase_id: i64, items: &[PurchaseItem]) -> Result<()> {
    let mut statement = conn.prepare_cached(
        "INSERT INTO purchase_items (purchase_id, position, category, brand, model, reference_number,
            serial_number, material, condition, condition_grade, box, papers, description, price, discount,
            member_discount_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?;
    for (position, item) in (0_i64..).zip(items) {
        statement.execute(params![
            purchase_id,
            position,
            item.category.as_str(),
            item.brand,
            item.model,
            item.reference_number,
            item.serial_number,
            item.material,
            item.condition.as_str(),
            item.condition_grade,
            item.has_box,
            item.has_papers,
            item.description,
            item.price.to_string(),
            item.discount.to_string(),
            item.member_discount.as_ref().map(|member| serde_json::to_string(member).unwrap_or_default()),
        ])?;
    }
    Ok(())
}

pub(crate) fn load_purchases(conn: &Connection, filter: &str, key: i64) -> Result<Vec<Purchase>> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT p.id, p.customer_id, p.purchased_on, p.currency, p.collected_on, p.channel,
            p.salesperson, p.notes, p.created_at, p.updated_at, p.points_redeemed, p.points_value,
            (SELECT coalesce(sum(points), 0) FROM points_ledger l WHERE l.purchase_id = p.id AND l.kind = 'earn')
         FROM purchases p WHERE {filter} ORDER BY p.purchased_on DESC, p.id DESC"
    ))?;
    let mut purchases = statement
        .query_map([key], |row| {
            Ok(Purchase {
                id: row.get(0)?,
                customer_id: row.get(1)?,
                sale: PurchaseDraft {
                    purchased_on: parse_column(row, 2)?,
                    currency: row.get(3)?,
                    channel: parse_column(row, 5)?,
                    salesperson: row.get(6)?,
                    notes: row.get(7)?,
                    items: Vec::new(),
                    payments: Vec::new(),
                    trade_ins: Vec::new(),
                    collected_on: parse_optional(row, 4)?,
                    redemption: match row.get::<_, u32>(10)? {
                        0 => None,
                        points => Some(PointsRedemption { points, value: parse_column(row, 11)? }),
                    },
                },
                total: Decimal::ZERO,
                paid: Decimal::ZERO,
                balance_due: Decimal::ZERO,
                points_earned: row.get(12)?,
                created_at: parse_column(row, 8)?,
                updated_at: parse_column(row, 9)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut items = conn.prepare_cached(
        "SELECT category, brand, model, reference_number, serial_number, material, condition,
            condition_grade, box, papers, description, price, discount, member_discount_json
         FROM purchase_items WHERE purchase_id = ?1 ORDER BY position",
    )?;
    let mut payments = conn.prepare_cached(
        "SELECT method, amount, paid_on FROM sale_payments WHERE purchase_id = ?1 ORDER BY position",
    )?;
    let mut trade_ins = conn.prepare_cached(
        "SELECT category, brand, model, reference_number, serial_number, condition, condition_grade,
            description, allowance
         FROM sale_trade_ins WHERE purchase_id = ?1 ORDER BY position",
    )?;
    for purchase in &mut purchases {
        purchase.sale.items = items
            .query_map([purchase.id], |row| {
                Ok(PurchaseItem {
                    category: parse_column(row, 0)?,
                    brand: row.get(1)?,
                    model: row.get(2)?,
                    reference_number: row.get(3)?,
                    serial_number: row.get(4)?,
                    material: row.get(5)?,
                    condition: parse_column(row, 6)?,
                    condition_grade: row.get(7)?,
                    has_box: row.get(8)?,
                    has_papers: row.get(9)?,
                    description: row.get(10)?,
                    price: parse_column(row, 11)?,
                    discount: parse_column(row, 12)?,
                    member_discount: row
                        .get::<_, Option<String>>(13)?
                        .and_then(|json| serde_json::from_str(&json).ok()),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        purchase.sale.payments = payments
            .query_map([purchase.id], |row| {
                Ok(SalePayment {
                    method: parse_column(row, 0)?,
                    amount: parse_column(row, 1)?,
                    paid_on: parse_column(row, 2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        purchase.sale.trade_ins = trade_ins
            .query_map([purchase.id], |row| {
                Ok(TradeIn {
                    category: parse_column(row, 0)?,
                    brand: row.get(1)?,
                    model: row.get(2)?,
                    reference_number: row.get(3)?,
                    serial_number: row.get(4)?,
                    condition: parse_column(row, 5)?,
                    condition_grade: row.get(6)?,
                    description: row.get(7)?,
                    allowance: parse_column(row, 8)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        purchase.total = purchase.sale.total();
        purchase.paid = purchase.sale.paid();
        purchase.balance_due = purchase.total - purchase.paid;
    }
    Ok(purchases)
}

/// Totals from a customer's purchases; `book_currency` is listed first when present.
pub fn totals_of(purchases: &[Purchase], book_currency: &str) -> CustomerTotals {
    let mut by_currency: Vec<SpendSummary> = Vec::new();
    let mut brands: HashMap<String, (u32, String)> = HashMap::new();
    let mut categories: HashMap<ItemCategory, u32> = HashMap::new();
    for purchase in purchases {
        let date = purchase.sale.purchased_on;
        match by_currency.iter_mut().find(|summary| summary.currency == purchase.sale.currency) {
            Some(summary) => {
                summary.lifetime_spend += purchase.total;
                summary.purchases += 1;
                summary.first_purchase = summary.first_purchase.min(date);
                summary.last_purchase = summary.last_purchase.max(date);
            }
            None => by_currency.push(SpendSummary {
                currency: purchase.sale.currency.clone(),
                lifetime_spend: purchase.total,
                purchases: 1,
                average_order: Decimal::ZERO,
                first_purchase: date,
                last_purchase: date,
            }),
        }
        for item in &purchase.sale.items {
            if !item.brand.is_empty() {
                let entry = brands.entry(item.brand.to_lowercase()).or_insert((0, item.brand.clone()));
                entry.0 += 1;
                // One spelling per brand whatever the order: capitalised forms sort first.
                if item.brand < entry.1 {
                    entry.1 = item.brand.clone();
                }
            }
            *categories.entry(item.category).or_default() += 1;
        }
    }
    for summary in &mut by_currency {
        summary.average_order = (summary.lifetime_spend / Decimal::from(summary.purchases))
            .round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven);
    }
    by_currency.sort_by_key(|summary| (summary.currency != book_currency, summary.currency.clone()));
    let mut brands: Vec<(u32, String)> = brands.into_values().collect();
    brands.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut categories: Vec<(ItemCategory, u32)> = categories.into_iter().collect();
    categories.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.as_str().cmp(b.0.as_str())));
    CustomerTotals {
        by_currency,
        favourite_brands: brands.into_iter().take(3).map(|(_, brand)| brand).collect(),
        favourite_categories: categories.into_iter().take(3).map(|(category, _)| category).collect(),
    }
}
