//! Customers and their timelines.

use loupe_core::erasure::ErasureSummary;
use loupe_core::matching::PossibleDuplicate;
use loupe_core::model::{
    Customer, CustomerDraft, CustomerRow, CustomerStory, EntryDraft, EntryKind, ListPage, ListQuery,
    OpenWish, SaleCollection, SearchResults, TagCount,
};

use crate::contract::commands;
use crate::state::{State, with_book, with_reader};

commands! {
    fn list_customers(state: State<'_>; query: ListQuery) -> ListPage {
        with_book(&state, move |book| book.list_customers(&query)).await
    }

    fn search_customers(state: State<'_>; text: String, limit: usize) -> Vec<CustomerRow> {
        with_book(&state, move |book| book.search_customers(&text, limit)).await
    }

    /// The search box: the best customers, whether more match, and the sold pieces found by
    /// their reference or serial number.
    fn search(state: State<'_>; text: String, limit: usize) -> SearchResults {
        with_book(&state, move |book| book.search(&text, limit)).await
    }

    /// How many customers match what was typed in the search box ("See all N"), asked for
    /// after `search` so the rows never wait for the count.
    fn count_matches(state: State<'_>; text: String) -> u32 {
        with_book(&state, move |book| book.count_matches(&text)).await
    }

    fn get_customer(state: State<'_>; id: i64) -> Customer {
        with_book(&state, move |book| book.customer(id)).await
    }

    fn create_customer(state: State<'_>; draft: CustomerDraft) -> Customer {
        with_book(&state, move |book| book.create_customer(draft)).await
    }

    /// Who in the book the profile being typed may duplicate (`except`: the one being edited),
    /// for the form to say so before saving.
    fn possible_duplicates(state: State<'_>; draft: CustomerDraft, except: Option<i64>) -> Vec<PossibleDuplicate> {
        with_book(&state, move |book| book.possible_duplicates(&draft, except)).await
    }

    fn update_customer(state: State<'_>; id: i64, draft: CustomerDraft) -> Customer {
        with_book(&state, move |book| book.update_customer(id, draft)).await
    }

    fn delete_customer(state: State<'_>; id: i64) -> () {
        with_book(&state, move |book| book.delete_customer(id)).await
    }

    /// Every tag with its customers, read beside the book: the list's rows never wait for it.
    fn list_tags(state: State<'_>;) -> Vec<TagCount> {
        with_reader(&state, |book| book.tags()).await
    }

    /// The customer page: profile, totals and every timeline entry.
    fn get_customer_story(state: State<'_>; id: i64) -> CustomerStory {
        with_book(&state, move |book| book.customer_story(id)).await
    }

    /// Adds a purchase, note, interaction, wish or score; returns the refreshed page.
    fn add_entry(state: State<'_>; customer_id: i64, entry: EntryDraft) -> CustomerStory {
        with_book(&state, move |book| {
            book.add_story_entry(customer_id, entry)?;
            book.customer_story(customer_id)
        })
        .await
    }

    fn update_entry(state: State<'_>; id: i64, entry: EntryDraft) -> CustomerStory {
        with_book(&state, move |book| {
            let customer_id = book.update_story_entry(id, entry)?;
            book.customer_story(customer_id)
        })
        .await
    }

    fn delete_entry(state: State<'_>; kind: EntryKind, id: i64) -> CustomerStory {
        with_book(&state, move |book| {
            let customer_id = book.delete_story_entry(kind, id)?;
            book.customer_story(customer_id)
        })
        .await
    }

    /// Marks a sale awaiting collection as collected, taking the balance; returns the page.
    fn collect_purchase(state: State<'_>; id: i64, collection: SaleCollection) -> CustomerStory {
        with_book(&state, move |book| {
            let customer_id = book.collect_purchase(id, collection)?.customer_id;
            book.customer_story(customer_id)
        })
        .await
    }

    /// Open, sourcing and offered wishes of the whole book, newest first.
    fn open_wishes(state: State<'_>; filter: String, limit: u32) -> Vec<OpenWish> {
        with_book(&state, move |book| book.open_wishes(&filter, limit)).await
    }

    /// Erases a customer and everything about them (the right to be forgotten).
    fn erase_customer(state: State<'_>; id: i64) -> ErasureSummary {
        with_book(&state, move |book| book.erase_customer(id)).await
    }

    /// How many backups (damaged copies included) still hold a customer: the erase dialog says
    /// it before the dealer confirms.
    fn backups_holding_customer(state: State<'_>; id: i64) -> u32 {
        with_book(&state, move |book| book.backups_holding_customer(id)).await
    }
}
