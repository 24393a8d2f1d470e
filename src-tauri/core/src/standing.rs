//! Where each customer stands: segment, value class, RFM scores and group, what they buy
//! most, each with its reasons. Computed from the book by the standing rules (a setting),
//! kept in `customer_standing` so that the list can filter and sort by it, and its moves
//! recorded in `standing_changes`.

use rusqlite::{Connection, OptionalExtension, Row};

use crate::customers::{parse_column, parse_optional};
use crate::error::Result;
use crate::model::*;

/// The RFM scores from three columns starting at `first` (recency, frequency, monetary), None
/// when they are NULL (a prospect, or a customer not evaluated yet).
pub(crate) fn rfm_columns(row: &Row<'_>, first: usize) -> rusqlite::Result<Option<Rfm>> {
    let r: Option<u8> = row.get(first)?;
    let f: Option<u8> = row.get(first + 1)?;
    let m: Option<u8> = row.get(first + 2)?;
    Ok(match (r, f, m) {
        (Some(r), Some(f), Some(m)) => Some(Rfm { r, f, m }),
        _ => None,
    })
}

/// The customer's standing as last evaluated.
pub(crate) fn stored_standing(conn: &Connection, customer_id: i64) -> Result<Standing> {
    let stored = conn
        .prepare_cached(
            "SELECT s.segment, s.value_class, s.recency, s.frequency, s.monetary, s.rfm_group,
                    s.bought_most_json, s.reasons_json, s.evaluated_on, c.influence
             FROM customers c JOIN customer_standing s ON s.customer_id = c.id WHERE c.id = ?1",
        )?
        .query_row([customer_id], |row| {
            Ok(Standing {
                segment: parse_column(row, 0)?,
                value_class: parse_optional(row, 1)?,
                rfm: rfm_columns(row, 2)?,
                rfm_group: parse_optional(row, 5)?,
                bought_most: json_column(row, 6)?,
                reasons: json_column(row, 7)?,
                evaluated_on: parse_column(row, 8)?,
                influence: parse_column(row, 9)?,
            })
        })
        .optional()?;
    match stored {
        Some(standing) => Ok(standing),
        None => Err(crate::Error::NotFound { what: "customer", id: customer_id }),
    }
}

/// The customer's segment and value-class moves, newest first.
pub(crate) fn changes_of(conn: &Connection, customer_id: i64) -> Result<Vec<StandingChange>> {
    let mut statement = conn.prepare_cached(
        "SELECT id, customer_id, changed_on, kind, from_value, to_value FROM standing_changes
         WHERE customer_id = ?1 ORDER BY changed_on DESC, id DESC",
    )?;
    let changes = statement
        .query_map([customer_id], |row| {
            let kind: String = row.get(3)?;
            let change = if kind == "segment" {
                StandingMove::Segment { from: parse_optional(row, 4)?, to: parse_column(row, 5)? }
            } else {
                StandingMove::ValueClass { from: parse_optional(row, 4)?, to: parse_optional(row, 5)? }
            };
            Ok(StandingChange {
                id: row.get(0)?,
                customer_id: row.get(1)?,
                changed_on: parse_column(row, 2)?,
                change,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(changes)
}

fn json_column<T: serde::de::DeserializeOwned>(row: &Row<'_>, index: usize) -> rusqlite::Result<T> {
    let text: String = row.get(index)?;
    serde_json::from_str(&text).map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, error.into())
    })
}
