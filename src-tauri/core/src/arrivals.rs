//! Pieces that come into the shop, and the customers each suits (seed 001: when a piece like
//! the ones a customer loves comes in, tell them).
//!
//! Who a piece suits, strongest first: an open wish for it (the same reference; else the same
//! brand, with no reference or model that differs), within budget before over it; then who
//! bought that brand, who prefers it, who bought that category in that material, who prefers
//! the material, who bought the category. Every reason is kept and shown; the score only
//! orders them. The candidates come from indexed lookups (wishes are few; items by brand,
//! preferences by value); the category, the costliest read, only when the others found few.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};
use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::model::{
    Arrival, ArrivalDraft, ArrivalMatch, ArrivalMatches, ArrivalReason, BookSettings, ItemCategory,
    PieceLabel, Reminder, ReminderReason,
};
use crate::problem::Problem;
use crate::store::Book;
use crate::validate::{check_amount, check_length};

/// The most customers listed for a piece.
const MATCHES: usize = 200;

/// Reference numbers compared as a dealer reads them: "126610 LN" is "126610LN".
fn reference_key(text: &str) -> String {
    text.chars().filter(|ch| ch.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn same_text(a: &str, b: &str) -> bool {
    !a.trim().is_empty() && crate::fold::fold(a.trim()) == crate::fold::fold(b.trim())
}

fn check(draft: &ArrivalDraft, settings: &BookSettings) -> Result<ArrivalDraft> {
    let mut piece = draft.clone();
    for (field, text) in [
        ("brand", &mut piece.brand),
        ("model", &mut piece.model),
        ("reference_number", &mut piece.reference_number),
        ("material", &mut piece.material),
    ] {
        *text = text.trim().to_string();
        check_length(field, text, 120)?;
    }
    piece.notes = piece.notes.trim().to_string();
    check_length("notes", &piece.notes, 4000)?;
    if piece.brand.is_empty()
        && piece.reference_number.is_empty()
        && piece.category.is_none()
        && piece.material.is_empty()
    {
        return Err(Error::invalid("brand", Problem::ArrivalNothingToMatch));
    }
    if let Some(price) = piece.price {
        check_amount("price", price)?;
    }
    piece.currency = crate::validate::currency_or_book("currency", &piece.currency, settings)?;
    Ok(piece)
}

fn read_arrival(conn: &Connection, id: i64) -> Result<Arrival> {
    conn.prepare_cached(
        "SELECT a.id, a.arrived_on, a.category, a.brand, a.model, a.reference_number, a.material, a.price,
                a.currency, a.notes, a.created_at,
                (SELECT count(*) FROM reminders r WHERE r.arrival_id = a.id)
         FROM arrivals a WHERE a.id = ?1",
    )?
    .query_row([id], |row| {
        use crate::customers::parse_column;
        Ok(Arrival {
            id: row.get(0)?,
            piece: ArrivalDraft {
                arrived_on: parse_column(row, 1)?,
                category: row.get::<_, Option<String>>(2)?.and_then(|text| text.parse().ok()),
                brand: row.get(3)?,
                model: row.get(4)?,
                reference_number: row.get(5)?,
                material: row.get(6)?,
                price: row.get::<_, Option<String>>(7)?.and_then(|text| text.parse().ok()),
                currency: row.get(8)?,
                notes: row.get(9)?,
            },
            created_at: parse_column(row, 10)?,
            told: row.get(11)?,
        })
    })
    .optional()?
    .ok_or(Error::NotFound { what: "arrival", id })
}

/// Every reason a piece suits each customer, found by indexed lookups.
fn find_matches(
    conn: &Connection,
    piece: &ArrivalDraft,
    arrival_id: Option<i64>,
) -> Result<Vec<ArrivalMatch>> {
    let mut found: HashMap<i64, Vec<ArrivalReason>> = HashMap::new();
    let reference = reference_key(&piece.reference_number);
    // Wishes still open: few, read whole and compared here (references as the dealer reads them).
    let mut statement = conn.prepare_cached(
        "SELECT id, customer_id, brand, model, reference_number, budget_min, budget_max, currency
         FROM wishes WHERE status IN ('open', 'sourcing', 'offered')",
    )?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let (brand, model, wish_reference): (String, String, String) =
            (row.get(2)?, row.get(3)?, row.get(4)?);
        let wish_key = reference_key(&wish_reference);
        let same_reference = !reference.is_empty() && wish_key == reference;
        let same_brand = same_text(&brand, &piece.brand)
            && (wish_key.is_empty() || reference.is_empty() || wish_key == reference)
            && (model.trim().is_empty() || piece.model.is_empty() || same_text(&model, &piece.model));
        if !same_reference && !same_brand {
            continue;
        }
        let amount = |index: usize| -> rusqlite::Result<Option<Decimal>> {
            Ok(row.get::<_, Option<String>>(index)?.and_then(|text| text.parse().ok()))
        };
        let (min, max, currency): (Option<Decimal>, Option<Decimal>, String) =
            (amount(5)?, amount(6)?, row.get(7)?);
        let within_budget = match piece.price {
            Some(price) if currency == piece.currency && (min.is_some() || max.is_some()) => {
                Some(min.is_none_or(|min| price >= min) && max.is_none_or(|max| price <= max))
            }
            _ => None,
        };
        found.entry(row.get(1)?).or_default().push(ArrivalReason::Wish {
            wish_id: row.get(0)?,
            brand,
            model,
            reference_number: wish_reference,
            reference: same_reference,
            within_budget,
        });
    }
    drop(rows);
    if !piece.brand.is_empty() {
        let mut statement = conn.prepare_cached(
            "SELECT p.customer_id, count(*) FROM purchase_items i JOIN purchases p ON p.id = i.purchase_id
             WHERE i.brand = ?1 COLLATE NOCASE GROUP BY p.customer_id",
        )?;
        for row in
            statement.query_map([&piece.brand], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, u32>(1)?)))?
        {
            let (customer, count) = row?;
            found
                .entry(customer)
                .or_default()
                .push(ArrivalReason::BoughtBrand { brand: piece.brand.clone(), count });
        }
        let mut statement = conn.prepare_cached(
            "SELECT customer_id, min(value) FROM customer_preferences
             WHERE kind = 'brand' AND value = ?1 COLLATE NOCASE GROUP BY customer_id",
        )?;
        for row in statement
            .query_map([&piece.brand], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)))?
        {
            let (customer, brand) = row?;
            found.entry(customer).or_default().push(ArrivalReason::PrefersBrand { brand });
        }
    }
    if !piece.material.is_empty() {
        let mut statement = conn.prepare_cached(
            "SELECT customer_id, min(value) FROM customer_preferences
             WHERE kind = 'material' AND value = ?1 COLLATE NOCASE GROUP BY customer_id",
        )?;
        for row in statement
            .query_map([&piece.material], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)))?
        {
            let (customer, material) = row?;
            found.entry(customer).or_default().push(ArrivalReason::PrefersMaterial { material });
        }
    }
    // The category (in the material, when given) reads every item of it: only when the
    // stronger reasons found fewer customers than are listed.
    if let Some(category) = piece.category
        && found.len() < MATCHES
    {
        let mut statement = conn.prepare_cached(
            "SELECT p.customer_id, count(*),
                    sum(?2 <> '' AND i.material = ?2 COLLATE NOCASE)
             FROM purchase_items i JOIN purchases p ON p.id = i.purchase_id
             WHERE i.category = ?1 GROUP BY p.customer_id ORDER BY count(*) DESC LIMIT ?3",
        )?;
        let rows = statement
            .query_map(params![category.as_str(), piece.material, MATCHES as i64], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, u32>(1)?, row.get::<_, u32>(2)?))
            })?;
        for row in rows {
            let (customer, count, in_material) = row?;
            let reasons = found.entry(customer).or_default();
            if in_material > 0 {
                reasons.push(ArrivalReason::BoughtMaterial {
                    material: piece.material.clone(),
                    count: in_material,
                });
            }
            reasons.push(ArrivalReason::BoughtCategory { category, count });
        }
    }
    let told: Vec<i64> = match arrival_id {
        Some(id) => conn
            .prepare_cached("SELECT customer_id FROM reminders WHERE arrival_id = ?1")?
            .query_map([id], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?,
        None => Vec::new(),
    };
    let mut matches: Vec<(ArrivalMatch, Option<String>)> = Vec::with_capacity(found.len());
    let mut names =
        conn.prepare_cached("SELECT full_name, sort_name, last_purchase_on FROM customers WHERE id = ?1")?;
    let mut scored: Vec<(i64, u32, Vec<ArrivalReason>)> = found
        .into_iter()
        .map(|(customer, mut reasons)| {
            reasons.sort_by_key(|reason| std::cmp::Reverse(weight(reason)));
            let score = reasons.iter().map(weight).sum();
            (customer, score, reasons)
        })
        .collect();
    // Names are read only for those listed.
    scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    scored.truncate(MATCHES);
    for (customer_id, score, reasons) in scored {
        let (customer_name, last_purchase): (String, Option<String>) =
            names.query_row([customer_id], |row| Ok((row.get(0)?, row.get(2)?)))?;
        let wish_id = reasons.iter().find_map(|reason| match reason {
            ArrivalReason::Wish { wish_id, .. } => Some(*wish_id),
            _ => None,
        });
        matches.push((
            ArrivalMatch {
                customer_id,
                customer_name,
                score,
                reasons,
                wish_id,
                told: told.contains(&customer_id),
            },
            last_purchase,
        ));
    }
    // Equal scores: the customer seen most recently first.
    matches.sort_by(|a, b| {
        b.0.score.cmp(&a.0.score).then(b.1.cmp(&a.1)).then(a.0.customer_id.cmp(&b.0.customer_id))
    });
    Ok(matches.into_iter().map(|(found, _)| found).collect())
}

/// How much a reason counts: a wish for the very reference first, a wish over budget below a
/// wish within it, then what was bought before what is preferred.
fn weight(reason: &ArrivalReason) -> u32 {
    match reason {
        ArrivalReason::Wish { reference, within_budget, .. } => {
            let base = if *reference { 1000 } else { 700 };
            match within_budget {
                Some(true) => base + 100,
                Some(false) => base - 250,
                None => base,
            }
        }
        ArrivalReason::BoughtBrand { count, .. } => 300 + 10 * (*count).min(10),
        ArrivalReason::PrefersBrand { .. } => 250,
        ArrivalReason::BoughtMaterial { count, .. } => 120 + 5 * (*count).min(10),
        ArrivalReason::PrefersMaterial { .. } => 100,
        ArrivalReason::BoughtCategory { count, .. } => 40 + 2 * (*count).min(10),
    }
}

impl Book {
    /// Records a piece that came in and lists the customers it suits, best first.
    pub fn add_arrival(&mut self, draft: &ArrivalDraft) -> Result<ArrivalMatches> {
        let piece = check(draft, &self.settings()?)?;
        let id = self.with_tx(|tx| {
            tx.prepare_cached(
                "INSERT INTO arrivals (arrived_on, category, brand, model, reference_number, material, price,
                    currency, notes, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                piece.arrived_on.to_string(),
                piece.category.map(ItemCategory::as_str),
                piece.brand,
                piece.model,
                piece.reference_number,
                piece.material,
                piece.price.map(|price| price.to_string()),
                piece.currency,
                piece.notes,
                crate::clock::now().to_rfc3339(),
            ])?;
            Ok(tx.last_insert_rowid())
        })?;
        self.arrival_matches(id)
    }

    /// The pieces recorded, newest first.
    pub fn arrivals(&self, limit: u32) -> Result<Vec<Arrival>> {
        let ids: Vec<i64> = self
            .conn
            .prepare_cached("SELECT id FROM arrivals ORDER BY arrived_on DESC, id DESC LIMIT ?1")?
            .query_map([limit.clamp(1, 1000)], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.into_iter().map(|id| read_arrival(&self.conn, id)).collect()
    }

    /// A piece recorded and the customers it suits now, best first.
    pub fn arrival_matches(&self, id: i64) -> Result<ArrivalMatches> {
        let arrival = read_arrival(&self.conn, id)?;
        let matches = find_matches(&self.conn, &arrival.piece, Some(id))?;
        Ok(ArrivalMatches { arrival, matches })
    }

    /// Makes "tell them" reminders, due today, for the customers chosen (with why it suits
    /// them); a customer already told keeps their reminder. Returns those made.
    pub fn remind_arrival(&mut self, id: i64, customers: &[i64]) -> Result<Vec<Reminder>> {
        let arrival = read_arrival(&self.conn, id)?;
        let matches = find_matches(&self.conn, &arrival.piece, Some(id))?;
        let piece = PieceLabel {
            category: arrival.piece.category.unwrap_or(ItemCategory::Other),
            brand: arrival.piece.brand.clone(),
            model: arrival.piece.model.clone(),
        };
        let told: Vec<(i64, ReminderReason)> = customers
            .iter()
            .map(|&customer| {
                let reasons = matches
                    .iter()
                    .find(|found| found.customer_id == customer)
                    .map(|found| found.reasons.clone())
                    .unwrap_or_default();
                (customer, ReminderReason::Arrival { piece: piece.clone(), reasons })
            })
            .collect();
        let made =
            self.with_tx(|tx| crate::agenda::insert_arrival_reminders(tx, id, &told, crate::clock::today()))?;
        made.into_iter().map(|reminder| self.reminder(reminder)).collect()
    }

    /// Deletes a piece recorded, with the "tell them" reminders still open for it.
    pub fn delete_arrival(&mut self, id: i64) -> Result<()> {
        self.with_tx(|tx| {
            // Done ones stay on their customers' story, with the piece in their reason.
            tx.execute(
                "UPDATE reminders SET arrival_id = NULL WHERE arrival_id = ?1 AND state <> 'open'",
                [id],
            )?;
            if tx.execute("DELETE FROM arrivals WHERE id = ?1", [id])? == 0 {
                return Err(Error::NotFound { what: "arrival", id });
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_compare_without_spaces_dashes_or_case() {
        assert_eq!(reference_key("126610 LN"), reference_key("126610ln"));
        assert_eq!(reference_key("5711/1A-010"), "57111a010");
        assert_ne!(reference_key("126610LV"), reference_key("126610LN"));
    }

    #[test]
    fn a_wish_for_the_reference_within_budget_weighs_most() {
        let wish = |reference, within_budget| ArrivalReason::Wish {
            wish_id: 1,
            brand: String::new(),
            model: String::new(),
            reference_number: String::new(),
            reference,
            within_budget,
        };
        let bought = ArrivalReason::BoughtBrand { brand: "Rolex".into(), count: 30 };
        assert!(weight(&wish(true, Some(true))) > weight(&wish(true, None)));
        assert!(weight(&wish(true, None)) > weight(&wish(false, Some(true))));
        assert!(weight(&wish(false, Some(false))) > weight(&bought));
    }
}
