//! Everything the book computes about customers from their sales, kept for the list: where
//! they stand (`standing.rs`) and their membership tier (`membership.rs`). One entry point per
//! occasion, so that a new computed value is added in one place.

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::error::Result;
use crate::model::StandingRefresh;

/// One customer, after a change of theirs (a sale, a merge, their creation).
pub(crate) fn evaluate_customer(conn: &Connection, customer_id: i64, today: NaiveDate) -> Result<()> {
    crate::standing::evaluate_customer(conn, customer_id, today)?;
    crate::membership::evaluate_customer(conn, customer_id, today)
}

/// The whole book on `today`; `items_changed` after bulk loads (standing recomputes what each
/// customer bought most).
pub(crate) fn refresh_book(
    conn: &Connection,
    today: NaiveDate,
    items_changed: bool,
) -> Result<StandingRefresh> {
    let mut refresh = crate::standing::refresh_book(conn, today, items_changed)?;
    refresh.tier_changes = crate::membership::refresh_book(conn, today, false)?;
    Ok(refresh)
}

/// Customers who have never been evaluated (a contacts import's new people).
pub(crate) fn evaluate_unevaluated(conn: &Connection, today: NaiveDate) -> Result<()> {
    crate::standing::evaluate_unevaluated(conn, today)?;
    crate::membership::evaluate_unevaluated(conn, today)
}
