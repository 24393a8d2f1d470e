//! Sales recorded exactly to the cent, totals computed exactly, and a watch finds its owner.

use chrono::NaiveDate;
use loupe_core::model::*;
use loupe_core::{Book, Error};
use rust_decimal::Decimal;

fn amount(text: &str) -> Decimal {
    text.parse().expect("decimal")
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("date")
}

fn sale(on: &str, items: Vec<PurchaseItem>) -> PurchaseDraft {
    PurchaseDraft {
        purchased_on: date(on),
        currency: String::new(),
        payments: Vec::new(),
        trade_ins: Vec::new(),
        collected_on: None,
        redemption: None,
        channel: SaleChannel::InStore,
        salesperson: "Jane".into(),
        notes: String::new(),
        items,
    }
    .paid_in_full(PaymentMethod::Card)
}

fn watch(brand: &str, reference: &str, serial: &str, price: &str) -> PurchaseItem {
    PurchaseItem {
        brand: brand.into(),
        model: "Cosmograph Daytona".into(),
        reference_number: reference.into(),
        serial_number: serial.into(),
        has_box: true,
        has_papers: true,
        condition: ItemCondition::PreOwned,
        ..PurchaseItem::priced(amount(price))
    }
}

fn book_with_customer() -> (Book, i64) {
    let mut book = Book::open_in_memory().expect("book");
    let id = book.create_customer(CustomerDraft::named("Reto Keller")).expect("customer").id;
    (book, id)
}

#[test]
fn amounts_stay_exact_from_input_to_disk_and_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("book.sqlite3");
    let mut book = Book::open(&path).expect("book");
    let id = book.create_customer(CustomerDraft::named("Ada")).expect("customer").id;
    let items = vec![
        PurchaseItem::priced(amount("0.10")),
        PurchaseItem::priced(amount("0.20")),
        PurchaseItem { discount: amount("0.01"), ..PurchaseItem::priced(amount("9999999.99")) },
    ];
    let added = book.add_purchase(id, sale("2026-03-01", items)).expect("sale");
    assert_eq!(added.total.to_string(), "10000000.28", "0.10 + 0.20 + 9999999.99 - 0.01");
    drop(book);
    let reopened = Book::open(&path).expect("reopen").purchase(added.id).expect("load");
    assert_eq!(reopened, added);
    assert_eq!(reopened.sale.items[0].price.to_string(), "0.10", "scale kept");
    assert_eq!(reopened.sale.currency, "GBP", "the book's currency by default");
}

#[test]
fn totals_are_exact_per_currency_with_favourites() {
    let (mut book, id) = book_with_customer();
    book.add_purchase(id, sale("2024-05-01", vec![watch("Rolex", "116500LN", "Z1234567", "25000.10")]))
        .expect("first");
    book.add_purchase(
        id,
        sale(
            "2026-01-15",
            vec![watch("rolex", "126610LN", "Q7654321", "9500.05"), {
                PurchaseItem {
                    category: ItemCategory::Ring,
                    brand: "Cartier".into(),
                    ..PurchaseItem::priced(amount("0.20"))
                }
            }],
        ),
    )
    .expect("second");
    let mut in_francs = sale("2025-06-30", vec![watch("Omega", "310.30.42.50.01.001", "", "7000")]);
    in_francs.currency = "chf".into();
    book.add_purchase(id, in_francs).expect("third");

    let totals = book.customer_totals(id).expect("totals");
    let pounds = &totals.by_currency[0];
    assert_eq!(pounds.currency, "GBP", "the book's currency comes first");
    assert_eq!(pounds.lifetime_spend.to_string(), "34500.35");
    assert_eq!(pounds.purchases, 2);
    assert_eq!(pounds.average_order.to_string(), "17250.18", "34500.35 / 2, to the cent");
    assert_eq!((pounds.first_purchase, pounds.last_purchase), (date("2024-05-01"), date("2026-01-15")));
    assert_eq!(totals.by_currency[1].currency, "CHF");
    assert_eq!(totals.by_currency[1].lifetime_spend.to_string(), "7000");
    assert_eq!(totals.favourite_brands[0], "Rolex", "brands counted case-insensitively");
    assert_eq!(totals.favourite_categories[0], ItemCategory::Watch);
    let purchases = book.purchases(id).expect("purchases");
    assert_eq!(
        purchases.iter().map(|p| p.sale.purchased_on).collect::<Vec<_>>(),
        [date("2026-01-15"), date("2025-06-30"), date("2024-05-01")]
    );
}

#[test]
fn a_reference_or_serial_number_finds_the_owner() {
    let (mut book, id) = book_with_customer();
    book.create_customer(CustomerDraft::named("Someone Else")).expect("other");
    let added = book
        .add_purchase(id, sale("2026-02-02", vec![watch("Rolex", "116500LN", "Z1234567", "25000")]))
        .expect("sale");
    for query in ["116500LN", "116500", "z1234567", "Z123", "daytona"] {
        let found: Vec<i64> =
            book.search_customers(query, 10).expect("search").iter().map(|row| row.id).collect();
        assert_eq!(found, [id], "{query}");
    }
    // Editing the profile keeps the pieces findable; deleting the sale forgets them.
    let profile = book.customer(id).expect("customer").profile;
    book.update_customer(id, profile).expect("update");
    assert_eq!(book.search_customers("Z1234567", 10).expect("search").len(), 1);
    book.delete_purchase(added.id).expect("delete");
    assert!(book.search_customers("Z1234567", 10).expect("search").is_empty());
}

#[test]
fn bad_sales_name_their_field_and_write_nothing() {
    let (mut book, id) = book_with_customer();
    let cases: Vec<(&str, PurchaseDraft)> = vec![
        ("items", sale("2026-01-01", vec![])),
        ("items[0].price", sale("2026-01-01", vec![PurchaseItem::priced(amount("-1"))])),
        (
            "items[1].discount",
            sale(
                "2026-01-01",
                vec![
                    PurchaseItem::priced(amount("5")),
                    PurchaseItem { discount: amount("6"), ..PurchaseItem::priced(amount("5")) },
                ],
            ),
        ),
        (
            "currency",
            PurchaseDraft {
                currency: "pounds".into(),
                ..sale("2026-01-01", vec![PurchaseItem::priced(amount("5"))])
            },
        ),
    ];
    for (field, draft) in cases {
        match book.add_purchase(id, draft) {
            Err(Error::Invalid { field: named, .. }) => assert_eq!(named, field),
            other => panic!("{field}: expected a field error, got {other:?}"),
        }
    }
    assert!(matches!(
        book.add_purchase(999, sale("2026-01-01", vec![PurchaseItem::priced(amount("5"))])),
        Err(Error::NotFound { .. })
    ));
    let stats = book.stats().expect("stats");
    assert_eq!((stats.purchases, stats.purchase_items), (0, 0));
}

#[test]
fn deleting_a_customer_deletes_their_purchases() {
    let (mut book, id) = book_with_customer();
    book.add_purchase(id, sale("2026-01-01", vec![watch("Tudor", "79360N", "", "4000")])).expect("sale");
    book.delete_customer(id).expect("delete");
    let stats = book.stats().expect("stats");
    assert_eq!((stats.purchases, stats.purchase_items), (0, 0));
}

fn paid(method: PaymentMethod, value: &str, on: &str) -> SalePayment {
    SalePayment { method, amount: amount(value), paid_on: date(on) }
}

fn trade_in(serial: &str, allowance: &str) -> TradeIn {
    TradeIn {
        category: ItemCategory::Watch,
        brand: "Rolex".into(),
        model: "Submariner Date".into(),
        reference_number: "16610LV".into(),
        serial_number: serial.into(),
        condition: ItemCondition::PreOwned,
        condition_grade: "B+".into(),
        description: "Bracelet stretched, no box".into(),
        allowance: amount(allowance),
    }
}

/// A sale of 9,150.00 with the payments and trade-ins given, collected on its day or not.
fn split_sale(payments: Vec<SalePayment>, trade_ins: Vec<TradeIn>, collected: bool) -> PurchaseDraft {
    PurchaseDraft {
        payments,
        trade_ins,
        collected_on: collected.then(|| date("2026-04-10")),
        ..sale("2026-04-10", vec![watch("Rolex", "126610LN", "Z7000001", "9150.00")])
    }
}

#[test]
fn a_sale_paid_by_card_transfer_and_a_trade_in_owes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("book.sqlite3");
    let mut book = Book::open(&path).expect("book");
    let id = book.create_customer(CustomerDraft::named("Reto Keller")).expect("customer").id;
    let draft = split_sale(
        vec![
            paid(PaymentMethod::Card, "2000.00", "2026-04-10"),
            paid(PaymentMethod::BankTransfer, "3650.50", "2026-04-10"),
        ],
        vec![trade_in("81234567", "3499.50")],
        true,
    );
    let added = book.add_purchase(id, draft.clone()).expect("sale");
    assert_eq!(
        added.sale,
        PurchaseDraft { currency: "GBP".into(), ..draft },
        "payments and the trade-in come back as given, in order"
    );
    assert_eq!(
        (added.total.to_string(), added.paid.to_string(), added.balance_due.to_string()),
        ("9150.00".into(), "9150.00".into(), "0.00".into())
    );
    // The spend is what the items came to; how it was paid does not change it.
    let row = &book.list_customers(&ListQuery::default()).expect("list").rows[0];
    assert_eq!(row.lifetime_spend.to_string(), "9150.00");
    assert_eq!(
        book.customer_totals(id).expect("totals").by_currency[0].lifetime_spend.to_string(),
        "9150.00"
    );
    let method: String = rusqlite::Connection::open(&path)
        .expect("open")
        .query_row("SELECT payment_method FROM purchases WHERE id = ?1", [added.id], |row| row.get(0))
        .expect("method");
    assert_eq!(method, "bank_transfer", "the file keeps the method of the largest payment");
}

#[test]
fn a_deposit_awaits_collection_then_the_balance_collects_it() {
    let (mut book, id) = book_with_customer();
    let deposit = split_sale(vec![paid(PaymentMethod::Card, "1000", "2026-04-10")], vec![], false);
    let waiting = book.add_purchase(id, deposit).expect("deposit taken");
    assert_eq!((waiting.sale.collected_on, waiting.balance_due.to_string()), (None, "8150.00".into()));

    // Collecting with part of the balance is refused, naming what is still due.
    let short = SaleCollection {
        collected_on: date("2026-05-02"),
        payments: vec![paid(PaymentMethod::BankTransfer, "8000", "2026-05-02")],
    };
    match book.collect_purchase(waiting.id, short) {
        Err(Error::Invalid { field, problem: loupe_core::problem::Problem::BalanceDue { balance } }) => {
            assert_eq!((field.as_str(), balance.as_str()), ("payments", "150.00"));
        }
        other => panic!("expected the balance due, got {other:?}"),
    }
    assert_eq!(book.purchase(waiting.id).expect("sale").sale.collected_on, None, "nothing written");

    let before_sale = SaleCollection { collected_on: date("2026-04-01"), payments: vec![] };
    assert!(matches!(
        book.collect_purchase(waiting.id, before_sale),
        Err(Error::Invalid { field, .. }) if field == "collected_on"
    ));
    let collection = SaleCollection {
        collected_on: date("2026-05-02"),
        payments: vec![paid(PaymentMethod::BankTransfer, "8150.00", "2026-05-02")],
    };
    let collected = book.collect_purchase(waiting.id, collection.clone()).expect("collected");
    assert_eq!(collected.sale.collected_on, Some(date("2026-05-02")));
    assert_eq!(collected.sale.payments.len(), 2);
    assert_eq!(collected.balance_due.to_string(), "0.00");
    assert!(matches!(
        book.collect_purchase(waiting.id, collection),
        Err(Error::Invalid { field, problem: loupe_core::problem::Problem::AlreadyCollected }) if field == "collected_on"
    ));
}

#[test]
fn overpaying_or_leaving_a_balance_on_a_collected_sale_is_refused_naming_the_field() {
    let (mut book, id) = book_with_customer();
    let cases = [
        (
            "payments[1].amount",
            split_sale(
                vec![
                    paid(PaymentMethod::Card, "9000", "2026-04-10"),
                    paid(PaymentMethod::Cash, "200", "2026-04-10"),
                ],
                vec![],
                true,
            ),
        ),
        ("trade_ins[0].allowance", split_sale(vec![], vec![trade_in("1", "9150.01")], false)),
        (
            "payments[0].amount",
            split_sale(
                vec![paid(PaymentMethod::Card, "6000", "2026-04-10")],
                vec![trade_in("1", "3500")],
                true,
            ),
        ),
        ("payments[0].amount", split_sale(vec![paid(PaymentMethod::Card, "0", "2026-04-10")], vec![], false)),
        ("payments", split_sale(vec![paid(PaymentMethod::Card, "9000", "2026-04-10")], vec![], true)),
        (
            "trade_ins[0].brand",
            split_sale(
                vec![],
                vec![TradeIn {
                    brand: " ".into(),
                    model: String::new(),
                    reference_number: String::new(),
                    serial_number: String::new(),
                    description: String::new(),
                    ..trade_in("", "10")
                }],
                false,
            ),
        ),
    ];
    for (field, draft) in cases {
        match book.add_purchase(id, draft) {
            Err(Error::Invalid { field: named, problem }) => assert_eq!(named, field, "{problem}"),
            other => panic!("{field}: expected a field error, got {other:?}"),
        }
    }
    let overpaid = split_sale(
        vec![paid(PaymentMethod::Card, "9000", "2026-04-10"), paid(PaymentMethod::Cash, "200", "2026-04-10")],
        vec![],
        true,
    );
    let error = book.add_purchase(id, overpaid).expect_err("overpaid");
    assert!(
        error.to_string().contains("9200") && error.to_string().contains("9150.00"),
        "the sentence says how much was paid against the total: {error}"
    );
    assert_eq!(book.stats().expect("stats").purchases, 0);
}

#[test]
fn a_trade_in_is_found_by_its_serial_and_reference() {
    let (mut book, id) = book_with_customer();
    book.create_customer(CustomerDraft::named("Someone Else")).expect("other");
    let added = book
        .add_purchase(
            id,
            split_sale(
                vec![paid(PaymentMethod::Card, "5650", "2026-04-10")],
                vec![trade_in("OM81234567", "3500")],
                true,
            ),
        )
        .expect("sale");
    for query in ["OM81234567", "om8123", "16610lv"] {
        let found: Vec<i64> =
            book.search_customers(query, 10).expect("search").iter().map(|row| row.id).collect();
        assert_eq!(found, [id], "{query}");
    }
    // Replacing the trade-in forgets the old serial.
    let mut draft = added.sale.clone();
    draft.trade_ins[0].serial_number = "OM99999999".into();
    book.update_purchase(added.id, draft).expect("update");
    assert!(book.search_customers("OM81234567", 10).expect("search").is_empty());
    assert_eq!(book.search_customers("OM99999999", 10).expect("search").len(), 1);
}

#[test]
fn a_sale_from_before_payments_is_paid_by_its_method_and_collected_on_its_day() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("v5.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).expect("create");
        for sql in [
            include_str!("../../src-tauri/core/migrations/0001_initial.sql"),
            include_str!("../../src-tauri/core/migrations/0002_history.sql"),
            include_str!("../../src-tauri/core/migrations/0003_erasure.sql"),
            include_str!("../../src-tauri/core/migrations/0004_import_merge_after.sql"),
            include_str!("../../src-tauri/core/migrations/0005_customer_merges.sql"),
        ] {
            conn.execute_batch(sql).expect("migration");
        }
        conn.execute_batch("PRAGMA user_version = 5; PRAGMA application_id = 1280267600;").expect("stamp");
        let now = "2026-01-01T00:00:00+00:00";
        conn.execute(
            "INSERT INTO customers (id, full_name, sort_name, customer_type, created_at, updated_at, spend_units)
             VALUES (1, 'Old Friend', 'old friend', 'collector', ?1, ?1, 12345000)",
            [now],
        )
        .expect("customer");
        conn.execute(
            "INSERT INTO purchases (id, customer_id, purchased_on, currency, payment_method, channel,
                created_at, updated_at, total_units) VALUES (1, 1, '2024-09-30', 'GBP', 'bank_transfer', 'in_store', ?1, ?1, 12345000)",
            [now],
        )
        .expect("purchase");
        conn.execute(
            "INSERT INTO purchase_items (purchase_id, position, category, condition, price, discount)
             VALUES (1, 0, 'watch', 'vintage', '1300.00', '65.50')",
            [],
        )
        .expect("item");
    }
    let book = Book::open(&path).expect("migrated");
    let sale = book.purchase(1).expect("sale");
    assert_eq!(sale.sale.payments, [paid(PaymentMethod::BankTransfer, "1234.50", "2024-09-30")]);
    assert_eq!(sale.sale.collected_on, Some(date("2024-09-30")));
    assert_eq!((sale.paid.to_string(), sale.balance_due.to_string()), ("1234.50".into(), "0.00".into()));
    assert_eq!(
        book.list_customers(&ListQuery::default()).expect("list").rows[0].lifetime_spend.to_string(),
        "1234.50"
    );
}

#[test]
fn a_book_folder_carries_payments_trade_ins_and_deposits() {
    use std::sync::atomic::AtomicBool;
    let (mut book, id) = book_with_customer();
    let split = book
        .add_purchase(
            id,
            split_sale(
                vec![
                    paid(PaymentMethod::Card, "2000", "2026-04-10"),
                    paid(PaymentMethod::BankTransfer, "3650", "2026-04-11"),
                ],
                vec![trade_in("OM81234567", "3500")],
                true,
            ),
        )
        .expect("split");
    let deposit = book
        .add_purchase(id, split_sale(vec![paid(PaymentMethod::Cash, "500", "2026-04-10")], vec![], false))
        .expect("deposit");
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("book");
    book.export_book(&folder, &AtomicBool::new(false), |_| {}).expect("export");

    let mut restored = Book::open_in_memory().expect("empty");
    restored
        .import_book(
            &folder,
            &loupe_core::transfer::BookImportOptions::default(),
            &AtomicBool::new(false),
            |_| {},
        )
        .expect("restore");
    assert_eq!(restored.purchase(split.id).expect("split"), split);
    assert_eq!(restored.purchase(deposit.id).expect("deposit"), deposit);
    assert_eq!(restored.search_customers("OM81234567", 10).expect("search").len(), 1);

    // Merged into a book that holds someone else, with new ids.
    let mut other = Book::open_in_memory().expect("other");
    other.create_customer(CustomerDraft::named("Already Here")).expect("someone");
    other
        .import_book(
            &folder,
            &loupe_core::transfer::BookImportOptions { merge: true },
            &AtomicBool::new(false),
            |_| {},
        )
        .expect("merge");
    let keller = other.search_customers("Reto Keller", 1).expect("search")[0].id;
    let sales = other.purchases(keller).expect("sales");
    let balances: Vec<(usize, usize, String)> = sales
        .iter()
        .map(|sale| (sale.sale.payments.len(), sale.sale.trade_ins.len(), sale.balance_due.to_string()))
        .collect();
    assert!(
        balances.contains(&(2, 1, "0.00".into())) && balances.contains(&(1, 0, "8650.00".into())),
        "{balances:?}"
    );
}

#[test]
fn the_staff_list_is_kept_tidy_in_the_settings() {
    let (mut book, _) = book_with_customer();
    let settings = BookSettings {
        staff: vec![" Jane ".into(), "Tom".into(), "".into(), "jane".into(), "李伟".into()],
        ..book.settings().expect("settings")
    };
    assert_eq!(book.update_settings(&settings).expect("saved").staff, ["Jane", "Tom", "李伟"]);
    assert_eq!(book.settings().expect("read").staff, ["Jane", "Tom", "李伟"]);
    let too_long = BookSettings { staff: vec!["x".repeat(101)], ..book.settings().expect("settings") };
    assert!(
        matches!(book.update_settings(&too_long), Err(Error::Invalid { field, .. }) if field == "staff[0]")
    );
}
