//! Saved segments (audiences kept under a name) and the counts per segment.

use loupe_core::model::{CustomerFilter, SavedSegment, SegmentCount};

use crate::contract::commands;
use crate::state::{State, with_book, with_reader};

commands! {
    /// Every saved segment, by name, with how many customers it selects now.
    fn saved_segments(state: State<'_>;) -> Vec<SavedSegment> {
        with_book(&state, |book| book.saved_segments()).await
    }

    /// Saves `filter` under `name`: a new segment when `id` is null, else that one changed.
    fn save_segment(state: State<'_>; id: Option<i64>, name: String, filter: CustomerFilter) -> SavedSegment {
        with_book(&state, move |book| book.save_segment(id, &name, &filter)).await
    }

    fn delete_segment(state: State<'_>; id: i64) -> () {
        with_book(&state, move |book| book.delete_segment(id)).await
    }

    /// How many customers of the audience are in each segment (its own segments ignored).
    fn segment_counts(state: State<'_>; filter: CustomerFilter) -> Vec<SegmentCount> {
        with_reader(&state, move |book| book.segment_counts(&filter)).await
    }
}
