//! Everything the book computes about customers from their sales, kept for the list: where
//! they stand (`standing.rs`), their membership tier (`membership.rs`), and the reminders the
//! follow-up rules make from both (`agenda.rs`). One entry point per occasion, so that a new
//! computed value is added in one place.

use std::ops::RangeInclusive;

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::error::Result;
use crate::membership::{FirstMembership, Replay};
use crate::model::StandingRefresh;
use crate::standing::Prospect;

/// One customer, after a change of theirs (a sale, a merge, their creation).
pub(crate) fn evaluate_customer(conn: &Connection, customer_id: i64, today: NaiveDate) -> Result<()> {
    crate::standing::evaluate_customer(conn, customer_id, today)?;
    crate::membership::evaluate_customer(conn, customer_id, today)?;
    crate::agenda::reconcile_customer(conn, customer_id, today)?;
    Ok(())
}

/// The whole book on `today`; `items_changed` after bulk loads (standing recomputes what each
/// customer bought most, and every tier is replayed). Otherwise only the tiers that time since
/// the last whole-book day may have moved are replayed (`membership::Replay::Since`).
pub(crate) fn refresh_book(
    conn: &Connection,
    today: NaiveDate,
    items_changed: bool,
) -> Result<StandingRefresh> {
    let previous = crate::standing::last_evaluated(conn)?;
    let mut refresh = crate::standing::refresh_book(conn, today, items_changed)?;
    let replay_of = match previous {
        Some(since) if !items_changed => Replay::Since(since),
        _ => Replay::Everyone { rules_changed: false },
    };
    refresh.tier_changes = crate::membership::refresh_book(conn, today, replay_of)?;
    refresh.agenda = crate::agenda::refresh_book(conn, today)?;
    Ok(refresh)
}

/// What a contacts import's new person starts with, worked out once for all of them and written
/// with their rows, a chunk at a time (`customers::insert_prospects`): the standing of someone
/// who has never bought, whose copies their row is born with, and their tier row, with the
/// programme on.
pub(crate) struct FirstEvaluation {
    pub standing: Prospect,
    membership: Option<FirstMembership>,
}

impl FirstEvaluation {
    pub(crate) fn on(conn: &Connection, today: NaiveDate) -> Result<Self> {
        Ok(FirstEvaluation { standing: Prospect::on(today), membership: FirstMembership::on(conn, today)? })
    }

    /// Gives the customers `ids` (an import's newcomers, who get consecutive ids) theirs.
    pub(crate) fn give_all(&self, conn: &Connection, ids: RangeInclusive<i64>) -> Result<()> {
        self.standing.give_all(conn, ids.clone())?;
        if let Some(membership) = &self.membership {
            membership.give_all(conn, ids)?;
        }
        Ok(())
    }
}

/// The reminders of the people a contacts import gave birthdays or anniversaries, or changed
/// theirs (`customer_ids`). Of what the follow-up rules read, an import moves nothing else: it
/// writes profiles and notes, no sale, contact or tier; its new people are prospects, born
/// with their standing and tier (`FirstEvaluation`), and a merge adds no sale. Theirs alone, or
/// the day's pass over the book once they are a sixth of it (`agenda::reconcile_customers`):
/// the pass over 1,000,000 customers for a handful of business cards took seconds, and over
/// the 100,000 of a demo book, for a visitor log with no birthday, 0.56 s of a 12.5 s import.
pub(crate) fn evaluate_imported(conn: &Connection, customer_ids: &[i64], today: NaiveDate) -> Result<()> {
    crate::agenda::reconcile_customers(conn, customer_ids, today)
}
