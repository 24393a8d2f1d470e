//! The loyalty programme: a customer's points, moved by hand, and the programme at a glance.
//! Tiers and the rules are in the customer story and the book's settings.

use loupe_core::model::{MembershipOverview, PointsDraft, PointsLedger};

use crate::contract::commands;
use crate::state::{State, with_book};

commands! {
    /// Customer `id`'s points ledger, newest first, with the balance.
    fn points_ledger(state: State<'_>; id: i64) -> PointsLedger {
        with_book(&state, move |book| book.points(id)).await
    }

    /// Adds or takes off points by hand, with the dealer's reason; never below zero.
    fn adjust_points(state: State<'_>; id: i64, draft: PointsDraft) -> PointsLedger {
        with_book(&state, move |book| book.adjust_points(id, draft)).await
    }

    /// Redeems points outside a sale; refused when the balance is short.
    fn redeem_points(state: State<'_>; id: i64, draft: PointsDraft) -> PointsLedger {
        with_book(&state, move |book| book.redeem_points(id, draft)).await
    }

    /// Members per tier, this month's upgrades and downgrades, points outstanding.
    fn membership_overview(state: State<'_>;) -> MembershipOverview {
        with_book(&state, |book| book.membership_overview()).await
    }
}
