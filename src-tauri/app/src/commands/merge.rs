//! One person, one customer: possible duplicates, merging two customers and taking it back.

use loupe_core::merge::{DuplicatePairs, MergePlan, MergeRecord, UndoMergeSummary};

use crate::contract::commands;
use crate::state::{State, with_book};

commands! {
    /// Pairs of customers who may be one person, strongest first (`limit` of `total`).
    fn duplicate_pairs(state: State<'_>; limit: u32) -> DuplicatePairs {
        with_book(&state, move |book| book.duplicate_pairs(limit)).await
    }

    /// What merging `other_id` into `kept_id` would do, for the dealer to confirm.
    fn plan_merge(state: State<'_>; kept_id: i64, other_id: i64) -> MergePlan {
        with_book(&state, move |book| book.plan_merge(kept_id, other_id)).await
    }

    fn merge_customers(state: State<'_>; kept_id: i64, other_id: i64) -> MergeRecord {
        with_book(&state, move |book| book.merge_customers(kept_id, other_id)).await
    }

    fn undo_merge(state: State<'_>; merge_id: i64) -> UndoMergeSummary {
        with_book(&state, move |book| book.undo_merge(merge_id)).await
    }

    /// The two are different people: no longer listed as possible duplicates.
    fn mark_distinct(state: State<'_>; first_id: i64, second_id: i64) -> () {
        with_book(&state, move |book| book.mark_distinct(first_id, second_id)).await
    }

    fn unmark_distinct(state: State<'_>; first_id: i64, second_id: i64) -> () {
        with_book(&state, move |book| book.unmark_distinct(first_id, second_id)).await
    }
}
