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
        payment_method: PaymentMethod::Card,
        channel: SaleChannel::InStore,
        salesperson: "Jane".into(),
        notes: String::new(),
        items,
    }
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
