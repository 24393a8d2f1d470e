//! The customer's story: notes, interactions, wishes and scores beside the purchases, the
//! spend kept on each customer for the list, and the book-wide list of open wishes.

use chrono::NaiveDate;
use loupe_core::model::*;
use loupe_core::problem::Problem;
use loupe_core::{Book, Error};
use rusqlite::{Connection, params};
use rust_decimal::Decimal;

fn amount(text: &str) -> Decimal {
    text.parse().expect("decimal")
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("date")
}

fn note(body: &str, on: &str) -> NoteDraft {
    NoteDraft {
        category: NoteCategory::PersonalInterest,
        body: body.into(),
        pinned: false,
        noted_on: date(on),
    }
}

fn call(summary: &str, on: &str) -> InteractionDraft {
    InteractionDraft {
        kind: InteractionKind::Call,
        direction: Direction::Outbound,
        occurred_on: date(on),
        summary: summary.into(),
        outcome: String::new(),
        campaign: String::new(),
        response: None,
    }
}

fn wish(brand: &str, model: &str, on: &str) -> WishDraft {
    WishDraft {
        brand: brand.into(),
        model: model.into(),
        reference_number: String::new(),
        budget_min: None,
        budget_max: None,
        currency: String::new(),
        notes: String::new(),
        status: WishStatus::Open,
        requested_on: date(on),
        closed_on: None,
    }
}

fn sale(on: &str, currency: &str, prices: &[&str]) -> PurchaseDraft {
    PurchaseDraft {
        purchased_on: date(on),
        currency: currency.into(),
        payments: Vec::new(),
        trade_ins: Vec::new(),
        collected_on: None,
        redemption: None,
        channel: SaleChannel::InStore,
        salesperson: String::new(),
        notes: String::new(),
        items: prices.iter().map(|price| PurchaseItem::priced(amount(price))).collect(),
    }
}

fn book_with(names: &[&str]) -> (Book, Vec<i64>) {
    let mut book = Book::open_in_memory().expect("book");
    let ids = names
        .iter()
        .map(|name| book.create_customer(CustomerDraft::named(*name)).expect("customer").id)
        .collect();
    (book, ids)
}

/// The field a refusal names; its problem must have a kind the window can word.
fn field_of<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    match result {
        Err(Error::Invalid { field, problem }) => {
            assert!(!matches!(problem, Problem::Other { .. }), "{field}: {problem:?} has no kind");
            field
        }
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[test]
fn every_kind_of_entry_is_added_edited_and_deleted() {
    let (mut book, ids) = book_with(&["Mei Lin"]);
    let id = ids[0];
    let added = book.add_entry(id, note("Collects Patek calatravas", "2026-01-05")).expect("note");
    assert_eq!(added.entry.body, "Collects Patek calatravas");
    let edited = book
        .update_entry(added.id, NoteDraft { pinned: true, ..note("  Collects Calatravas  ", "2026-01-06") })
        .expect("edit");
    assert_eq!((edited.entry.body.as_str(), edited.entry.pinned), ("Collects Calatravas", true));
    assert!(edited.updated_at >= added.updated_at);

    let contact = book.add_entry(id, call("Offered the 5196", "2026-02-01")).expect("call");
    assert_eq!(contact.entry.response, None);
    let answered = InteractionDraft { response: Some(InteractionResponse::Replied), ..contact.entry.clone() };
    let answered = book.update_entry(contact.id, answered).expect("answered");
    assert_eq!(answered.entry.response, Some(InteractionResponse::Replied));
    let score = book
        .add_entry(
            id,
            SatisfactionDraft { score: 5, scored_on: date("2026-02-02"), comment: "Delighted".into() },
        )
        .expect("score");
    book.add_entry(id, wish("Patek Philippe", "Nautilus", "2026-02-03")).expect("wish");

    let story = book.customer_story(id).expect("story");
    assert_eq!(story.notes.len(), 1);
    assert_eq!(story.interactions[0].entry.summary, "Offered the 5196");
    assert_eq!(story.interactions[0].entry.response, Some(InteractionResponse::Replied));
    assert_eq!(story.satisfaction[0].entry.score, 5);
    assert_eq!(story.wishes[0].entry.status, WishStatus::Open);

    assert_eq!(book.delete_story_entry(EntryKind::Interaction, contact.id).expect("delete"), id);
    assert_eq!(book.delete_story_entry(EntryKind::Satisfaction, score.id).expect("delete"), id);
    let story = book.customer_story(id).expect("story");
    assert!(story.interactions.is_empty() && story.satisfaction.is_empty());
    assert!(matches!(
        book.delete_story_entry(EntryKind::Note, 9999),
        Err(Error::NotFound { what: "note", id: 9999 })
    ));
    assert!(matches!(
        book.add_entry(4242, note("x", "2026-01-01")),
        Err(Error::NotFound { what: "customer", .. })
    ));
}

#[test]
fn bad_entries_name_their_field_and_write_nothing() {
    let (mut book, ids) = book_with(&["Hugo"]);
    let id = ids[0];
    assert_eq!(field_of(book.add_entry(id, note("   ", "2026-01-01"))), "body");
    assert_eq!(field_of(book.add_entry(id, call("", "2026-01-01"))), "summary");
    let scored = SatisfactionDraft { score: 6, scored_on: date("2026-01-01"), comment: String::new() };
    assert_eq!(field_of(book.add_entry(id, scored)), "score");
    assert_eq!(field_of(book.add_entry(id, wish("", "", "2026-01-01"))), "brand");
    let upside_down = WishDraft {
        budget_min: Some(amount("20000")),
        budget_max: Some(amount("15000")),
        ..wish("AP", "", "2026-01-01")
    };
    assert_eq!(field_of(book.add_entry(id, upside_down)), "budget_max");
    let bad_currency = WishDraft { currency: "pounds".into(), ..wish("AP", "", "2026-01-01") };
    assert_eq!(field_of(book.add_entry(id, bad_currency)), "currency");
    let closed_early = WishDraft {
        status: WishStatus::Lost,
        closed_on: Some(date("2025-12-31")),
        ..wish("AP", "", "2026-01-01")
    };
    assert_eq!(field_of(book.add_entry(id, closed_early)), "closed_on");
    let half_price = PurchaseItem { discount: amount("2"), ..PurchaseItem::priced(amount("1")) };
    let bad_sale = PurchaseDraft {
        items: vec![PurchaseItem::priced(amount("5")), half_price],
        ..sale("2026-01-01", "", &[])
    };
    assert_eq!(field_of(book.add_purchase(id, bad_sale)), "items[1].discount");

    let stats = book.stats().expect("stats");
    assert_eq!(
        (stats.notes, stats.interactions, stats.satisfaction_scores, stats.wishes, stats.purchases),
        (0, 0, 0, 0, 0)
    );
}

#[test]
fn closing_a_wish_dates_it_and_takes_it_off_the_open_list() {
    let (mut book, ids) = book_with(&["Anna", "Bruno"]);
    let daytona = book.add_entry(ids[0], wish("Rolex", "Daytona 116500LN", "2026-03-01")).expect("wish");
    book.add_entry(ids[1], wish("Rolex", "GMT-Master II", "2026-04-01")).expect("wish");
    book.add_entry(
        ids[1],
        WishDraft { notes: "100% original dial".into(), ..wish("Omega", "", "2026-02-01") },
    )
    .expect("wish");

    let open = book.open_wishes("", 100).expect("open");
    let names: Vec<&str> = open.iter().map(|wish| wish.customer_name.as_str()).collect();
    assert_eq!(names, ["Bruno", "Anna", "Bruno"], "newest first");
    assert_eq!(book.open_wishes("daytona", 100).expect("filter").len(), 1, "case-insensitive");
    assert_eq!(book.open_wishes("100%", 100).expect("filter").len(), 1, "% is literal");
    assert_eq!(book.open_wishes("%", 100).expect("filter").len(), 1, "% matches only a %");

    let won = book
        .update_entry(daytona.id, WishDraft { status: WishStatus::Won, ..daytona.entry.clone() })
        .expect("won");
    assert!(won.entry.closed_on.is_some(), "closing fills today");
    assert!(book.open_wishes("daytona", 100).expect("open").is_empty());
    let reopened = book
        .update_entry(daytona.id, WishDraft { status: WishStatus::Sourcing, ..won.entry })
        .expect("reopen");
    assert_eq!(reopened.entry.closed_on, None);
    assert_eq!(book.open_wishes("daytona", 100).expect("open").len(), 1);
}

#[test]
fn the_list_sorts_by_exact_lifetime_spend_in_the_book_currency() {
    let (mut book, ids) = book_with(&["Low", "High", "None", "Euro"]);
    book.add_purchase(ids[0], sale("2026-01-01", "", &["0.10", "0.20"])).expect("sale");
    let big = book.add_purchase(ids[1], sale("2026-02-01", "GBP", &["9999999.99"])).expect("sale");
    book.add_purchase(ids[1], sale("2026-03-01", "", &["0.01"])).expect("sale");
    book.add_purchase(ids[3], sale("2026-04-01", "EUR", &["50000"])).expect("sale");

    let query = ListQuery { sort: ListSort::Spend, descending: true, ..ListQuery::default() };
    let rows = book.list_customers(&query).expect("list").rows;
    let seen: Vec<(&str, String, u32)> = rows
        .iter()
        .map(|row| (row.full_name.as_str(), row.lifetime_spend.to_string(), row.purchase_count))
        .collect();
    assert_eq!(
        seen,
        [
            ("High", "10000000.00".to_string(), 2),
            ("Low", "0.30".to_string(), 1),
            ("Euro", "0.00".to_string(), 1),
            ("None", "0.00".to_string(), 0),
        ]
    );
    assert_eq!(rows[0].last_purchase, Some(date("2026-03-01")));

    book.delete_purchase(big.id).expect("delete");
    let high = &book.list_customers(&query).expect("list").rows[1];
    assert_eq!((high.full_name.as_str(), high.lifetime_spend.to_string()), ("High", "0.01".to_string()));

    book.update_settings(&BookSettings {
        default_currency: "EUR".into(),
        ..book.settings().expect("settings")
    })
    .expect("currency");
    let rows = book.list_customers(&query).expect("list").rows;
    assert_eq!((rows[0].full_name.as_str(), rows[0].lifetime_spend.to_string()), ("Euro", "50000.00".into()));

    let by_date = ListQuery { sort: ListSort::LastPurchase, descending: true, ..ListQuery::default() };
    let names: Vec<String> =
        book.list_customers(&by_date).expect("list").rows.into_iter().map(|row| row.full_name).collect();
    assert_eq!(names, ["Euro", "High", "Low", "None"]);
}

#[test]
fn equal_spends_are_ordered_by_name_then_id_in_both_directions() {
    let (mut book, ids) = book_with(&["Cy", "Al", "Bo", "Al"]);
    book.add_purchase(ids[2], sale("2026-01-01", "", &["5"])).expect("sale");
    let order = |descending| {
        let query = ListQuery { sort: ListSort::Spend, descending, ..ListQuery::default() };
        book.list_customers(&query).expect("list").rows.into_iter().map(|row| row.id).collect::<Vec<_>>()
    };
    assert_eq!(order(false), [ids[1], ids[3], ids[0], ids[2]], "smallest first, ties by name then id");
    assert_eq!(order(true), [ids[2], ids[1], ids[3], ids[0]], "biggest first, ties still by name then id");
}

#[test]
fn a_filter_that_selects_many_lists_the_same_page_whichever_way_it_is_read() {
    // A first page of 10 of 440 customers: a filter selecting more than 66 of them is checked
    // along the sort's index (customers.rs, `walk_pays`); 1,000 rows are gathered and sorted.
    let mut book = Book::open_in_memory().expect("book");
    book.generate_demo(400, 900, 3, |_| {}).expect("demo");
    for number in 0..40 {
        let name = if number < 2 { "Ann Twin".to_owned() } else { format!("Vip {}", number % 7) };
        let draft = CustomerDraft { tags: vec!["VIP".into()], ..CustomerDraft::named(name) };
        book.create_customer(draft).expect("vip");
    }
    let filters = [
        CustomerFilter { customer_type: Some(CustomerType::Retail), ..CustomerFilter::default() },
        CustomerFilter { tags: vec!["vip".into()], ..CustomerFilter::default() },
        CustomerFilter { language: Some("en".into()), ..CustomerFilter::default() },
    ];
    for filter in filters {
        for &sort in ListSort::ALL {
            for descending in [false, true] {
                let query = ListQuery { sort, descending, filter: filter.clone(), offset: 0, limit: 1000 };
                let whole = book.list_customers(&query).expect("list");
                assert!(whole.total > 66, "{filter:?} selects {}", whole.total);
                for offset in [0, 10, whole.total - 5] {
                    let page =
                        book.list_customers(&ListQuery { offset, limit: 10, ..query.clone() }).expect("page");
                    let ids: Vec<i64> = page.rows.iter().map(|row| row.id).collect();
                    let expected: Vec<i64> =
                        whole.rows.iter().skip(offset as usize).take(10).map(|row| row.id).collect();
                    assert_eq!(ids, expected, "{filter:?} by {sort} descending={descending} from {offset}");
                    assert_eq!(page.total, whole.total);
                }
            }
        }
    }
}

#[test]
fn a_version_1_book_gets_its_spend_filled_in() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("v1.sqlite3");
    {
        let conn = Connection::open(&path).expect("create");
        conn.execute_batch(include_str!("../../src-tauri/core/migrations/0001_initial.sql")).expect("v1");
        conn.execute_batch("PRAGMA user_version = 1; PRAGMA application_id = 1280267600;").expect("stamp");
        let now = "2026-01-01T00:00:00+00:00";
        conn.execute(
            "INSERT INTO customers (id, full_name, sort_name, customer_type, created_at, updated_at)
             VALUES (1, 'Old Friend', 'old friend', 'collector', ?1, ?1)",
            [now],
        )
        .expect("customer");
        for (id, on, price, discount) in
            [(1, "2020-05-01", "1000.10", "0.05"), (2, "2021-06-01", "0.20", "0")]
        {
            conn.execute(
                "INSERT INTO purchases (id, customer_id, purchased_on, currency, payment_method, channel,
                    created_at, updated_at) VALUES (?1, 1, ?2, 'GBP', 'cash', 'in_store', ?3, ?3)",
                params![id, on, now],
            )
            .expect("purchase");
            conn.execute(
                "INSERT INTO purchase_items (purchase_id, position, category, condition, price, discount)
                 VALUES (?1, 0, 'watch', 'vintage', ?2, ?3)",
                params![id, price, discount],
            )
            .expect("item");
        }
    }
    let book = Book::open(&path).expect("migrated");
    assert_eq!(book.schema_version().expect("version"), loupe_core::schema_version());
    let row = &book.list_customers(&ListQuery::default()).expect("list").rows[0];
    assert_eq!(row.lifetime_spend.to_string(), "1000.25");
    assert_eq!((row.purchase_count, row.last_purchase), (2, Some(date("2021-06-01"))));
}
