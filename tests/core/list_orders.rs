//! The list's orders against a reference sort of the tables the standing and tiers come from,
//! whichever way the list reads them (its index walked, or the filter gathered and sorted),
//! and the copies of the standing and tier on the customer row (migration 0017) after every
//! write that moves them.

use std::cmp::Ordering;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use chrono::{Months, NaiveDate};
use loupe_core::Book;
use loupe_core::backup::BackupKind;
use loupe_core::model::*;
use loupe_core::transfer::BookImportOptions;
use rusqlite::Connection;

/// A customer as the source tables hold them, for the reference sort.
struct Source {
    id: i64,
    sort_name: String,
    company: String,
    customer_type: String,
    created_at: String,
    updated_at: String,
    spend_units: i64,
    last_purchase_on: Option<String>,
    segment: Option<String>,
    value_class: Option<String>,
    window_units: Option<i64>,
    rfm: Option<i64>,
    influence: String,
    tier: Option<String>,
    tier_rank: Option<i64>,
    tags: Vec<String>,
}

fn sources(path: &Path) -> Vec<Source> {
    let conn = Connection::open(path).expect("read the book");
    let mut statement = conn
        .prepare(
            "SELECT c.id, c.sort_name, c.company, c.customer_type, c.created_at, c.updated_at,
                    c.spend_units, c.last_purchase_on, s.segment, s.value_class, s.window_units,
                    s.recency * 100 + s.frequency * 10 + s.monetary, c.influence, m.tier, m.tier_rank,
                    (SELECT group_concat(lower(tag), char(31)) FROM customer_tags WHERE customer_id = c.id)
             FROM customers c LEFT JOIN customer_standing s ON s.customer_id = c.id
             LEFT JOIN customer_membership m ON m.customer_id = c.id",
        )
        .expect("prepare");
    statement
        .query_map([], |row| {
            let tags: Option<String> = row.get(15)?;
            Ok(Source {
                id: row.get(0)?,
                sort_name: row.get(1)?,
                company: row.get(2)?,
                customer_type: row.get(3)?,
                created_at: row.get(4)?,
                updated_at: row.get(5)?,
                spend_units: row.get(6)?,
                last_purchase_on: row.get(7)?,
                segment: row.get(8)?,
                value_class: row.get(9)?,
                window_units: row.get(10)?,
                rfm: row.get(11)?,
                influence: row.get(12)?,
                tier: row.get(13)?,
                tier_rank: row.get(14)?,
                tags: tags.map(|tags| tags.split('\u{1f}').map(str::to_owned).collect()).unwrap_or_default(),
            })
        })
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows")
}

fn rank(value: Option<&str>, order: &[&str]) -> usize {
    value.and_then(|value| order.iter().position(|known| *known == value)).unwrap_or(order.len())
}

/// The list's order, written out as a dealer would state it: the sort's key (strongest first
/// when descending), then the name, then the id.
fn reference_order(sort: ListSort, descending: bool, a: &Source, b: &Source) -> Ordering {
    let key = |ordering: Ordering| if descending { ordering.reverse() } else { ordering };
    let by_name = || a.sort_name.cmp(&b.sort_name).then(a.id.cmp(&b.id));
    let segments = ["vip", "new", "regular", "at_risk", "lapsed"];
    let classes = ["key", "main", "ordinary"];
    let influence = ["public_figure", "trade_professional", "reviewer"];
    match sort {
        ListSort::Name => key(by_name()),
        ListSort::Created => key(a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id))),
        ListSort::Updated => key(a.updated_at.cmp(&b.updated_at).then(a.id.cmp(&b.id))),
        // Customers with no company last either way; SQLite's NOCASE folds ASCII letters only.
        ListSort::Company => (a.company.is_empty().cmp(&b.company.is_empty()))
            .then(key(a.company.to_ascii_lowercase().cmp(&b.company.to_ascii_lowercase())))
            .then_with(by_name),
        ListSort::CustomerType => key(a.customer_type.cmp(&b.customer_type)).then_with(by_name),
        ListSort::Spend => key(a.spend_units.cmp(&b.spend_units)).then_with(by_name),
        // Never bought last either way.
        ListSort::LastPurchase => (a.last_purchase_on.is_none().cmp(&b.last_purchase_on.is_none()))
            .then(key(a.last_purchase_on.cmp(&b.last_purchase_on)))
            .then_with(by_name),
        ListSort::Segment => key(rank(b.segment.as_deref(), &segments)
            .cmp(&rank(a.segment.as_deref(), &segments))
            .then(a.spend_units.cmp(&b.spend_units)))
        .then_with(by_name),
        ListSort::ValueClass => key(rank(b.value_class.as_deref(), &classes)
            .cmp(&rank(a.value_class.as_deref(), &classes))
            .then(a.window_units.cmp(&b.window_units)))
        .then_with(by_name),
        ListSort::Rfm => {
            (a.rfm.is_none().cmp(&b.rfm.is_none())).then(key(a.rfm.cmp(&b.rfm))).then_with(by_name)
        }
        ListSort::Influence => {
            key(rank(Some(b.influence.as_str()), &influence)
                .cmp(&rank(Some(a.influence.as_str()), &influence)))
            .then_with(by_name)
        }
        // No tier last either way.
        ListSort::Tier => (a.tier_rank.is_none().cmp(&b.tier_rank.is_none()))
            .then(key(a.tier_rank.cmp(&b.tier_rank).then(a.spend_units.cmp(&b.spend_units))))
            .then_with(by_name),
    }
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("date")
}

fn months_ago(months: u32) -> NaiveDate {
    loupe_core::today().checked_sub_months(Months::new(months)).expect("day")
}

fn sale(on: NaiveDate, price: &str) -> PurchaseDraft {
    PurchaseDraft {
        purchased_on: on,
        currency: String::new(),
        channel: SaleChannel::InStore,
        salesperson: String::new(),
        notes: String::new(),
        items: vec![PurchaseItem::priced(price.parse().expect("price"))],
        payments: Vec::new(),
        trade_ins: Vec::new(),
        collected_on: None,
        redemption: None,
    }
    .paid_in_full(PaymentMethod::Card)
}

/// A demo book with ties on every key: namesakes at one company written two ways, with the
/// same sales, and namesakes with none.
fn book_with_ties(path: &Path) -> Book {
    let mut book = Book::open(path).expect("book");
    book.generate_demo(400, 900, 3, |_| {}).expect("demo");
    for number in 0..30 {
        let company = ["Acme", "ACME", "acme", "", "", "Zeta"][number % 6];
        let draft = CustomerDraft {
            company: company.into(),
            tags: vec!["Twin".into()],
            ..CustomerDraft::named("Ann Twin")
        };
        let id = book.create_customer(draft).expect("twin").id;
        if number % 3 == 0 {
            book.add_purchase(id, sale(months_ago(2), "60000")).expect("sale");
        }
    }
    book
}

/// Whom a filter selects, decided from the source tables.
type Selects = Box<dyn Fn(&Source) -> bool>;

#[test]
fn every_order_pages_as_the_reference_sort_of_the_source_tables_ties_included() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("book.sqlite3");
    let book = book_with_ties(&path);
    let everyone = sources(&path);
    let filters: [(&str, CustomerFilter, Selects); 10] = [
        ("everyone", CustomerFilter::default(), Box::new(|_| true)),
        (
            "retail",
            CustomerFilter { customer_type: Some(CustomerType::Retail), ..CustomerFilter::default() },
            Box::new(|source| source.customer_type == "retail"),
        ),
        (
            "tag twin",
            CustomerFilter { tags: vec!["twin".into()], ..CustomerFilter::default() },
            Box::new(|source| source.tags.iter().any(|tag| tag == "twin")),
        ),
        (
            "segment lapsed",
            CustomerFilter { segments: vec![Segment::Lapsed], ..CustomerFilter::default() },
            Box::new(|source| source.segment.as_deref() == Some("lapsed")),
        ),
        (
            "tier member",
            CustomerFilter { tiers: vec!["member".into()], ..CustomerFilter::default() },
            Box::new(|source| source.tier.as_deref() == Some("member")),
        ),
        (
            "value class ordinary",
            CustomerFilter { value_classes: vec![ValueClass::Ordinary], ..CustomerFilter::default() },
            Box::new(|source| source.value_class.as_deref() == Some("ordinary")),
        ),
        (
            "prospects and VIPs",
            CustomerFilter { segments: vec![Segment::Prospect, Segment::Vip], ..CustomerFilter::default() },
            Box::new(|source| matches!(source.segment.as_deref(), Some("prospect" | "vip"))),
        ),
        // Parts of two values, which pin the key leading their orders to two ranks.
        (
            "tiers silver and gold",
            CustomerFilter { tiers: vec!["silver".into(), "gold".into()], ..CustomerFilter::default() },
            Box::new(|source| matches!(source.tier.as_deref(), Some("silver" | "gold"))),
        ),
        (
            "value classes main and ordinary",
            CustomerFilter {
                value_classes: vec![ValueClass::Main, ValueClass::Ordinary],
                ..CustomerFilter::default()
            },
            Box::new(|source| matches!(source.value_class.as_deref(), Some("main" | "ordinary"))),
        ),
        (
            "no influence, or a reviewer",
            CustomerFilter {
                influence: vec![Influence::None, Influence::Reviewer],
                ..CustomerFilter::default()
            },
            Box::new(|source| matches!(source.influence.as_str(), "none" | "reviewer")),
        ),
    ];
    for (name, filter, selects) in &filters {
        let selected: Vec<&Source> = everyone.iter().filter(|source| selects(source)).collect();
        assert!(selected.len() > 20, "{name} selects {}", selected.len());
        for &sort in ListSort::ALL {
            for descending in [false, true] {
                let mut expected = selected.clone();
                expected.sort_by(|a, b| reference_order(sort, descending, a, b));
                let expected: Vec<i64> = expected.iter().map(|source| source.id).collect();
                let end = expected.len() - 7;
                for offset in [0, 10, end] {
                    let query = ListQuery {
                        sort,
                        descending,
                        filter: filter.clone(),
                        offset: offset as u32,
                        limit: 10,
                    };
                    let page = book.list_customers(&query).expect("list");
                    let ids: Vec<i64> = page.rows.iter().map(|row| row.id).collect();
                    let wanted: Vec<i64> = expected.iter().skip(offset).take(10).copied().collect();
                    assert_eq!(ids, wanted, "{name} by {sort} descending={descending} from {offset}");
                    assert_eq!(page.total as usize, expected.len(), "{name}");
                }
            }
        }
    }
}

/// How many customers' copies of the standing and tier differ from their source rows, or hold
/// a tier with no value class: only past sales earn a tier, and the list's walks of the
/// standing orders skip those who never bought for a tier (`Audience::bounds`).
fn copies_astray(path: &Path) -> i64 {
    Connection::open(path)
        .expect("read the book")
        .query_row(
            "SELECT count(*) FROM customers c LEFT JOIN customer_standing s ON s.customer_id = c.id
             LEFT JOIN customer_membership m ON m.customer_id = c.id
             WHERE c.segment IS NOT s.segment OR c.value_class IS NOT s.value_class
                OR c.window_units IS NOT s.window_units
                OR c.rfm_score IS NOT s.recency * 100 + s.frequency * 10 + s.monetary
                OR c.tier_rank IS NOT m.tier_rank OR (m.tier IS NOT NULL AND s.value_class IS NULL)",
            [],
            |row| row.get(0),
        )
        .expect("compare")
}

/// The copies on customer `id`'s row: segment, value class, window spend, RFM score, tier rank.
type Copies = (Option<String>, Option<String>, Option<i64>, Option<i64>, Option<i64>);

fn copies(path: &Path, id: i64) -> Copies {
    Connection::open(path)
        .expect("read the book")
        .query_row(
            "SELECT segment, value_class, window_units, rfm_score, tier_rank FROM customers WHERE id = ?1",
            [id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)),
        )
        .expect("copies")
}

fn text(value: &str) -> Option<String> {
    Some(value.to_owned())
}

#[test]
fn the_copies_on_the_customer_row_follow_every_write_of_the_standing_and_tier() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("book.sqlite3");
    let mut book = Book::open(&path).expect("book");
    let named =
        |book: &mut Book, name: &str| book.create_customer(CustomerDraft::named(name)).expect("create").id;
    let (ann, bob, cleo) = (named(&mut book, "Ann"), named(&mut book, "Bob"), named(&mut book, "Cleo"));
    // A new customer is a prospect with no class, score or tier.
    assert_eq!(copies(&path, ann), (text("prospect"), None, Some(0), None, None));

    // An evaluation: a sale makes Ann new, her class and score follow, and a tier.
    book.add_purchase(ann, sale(months_ago(1), "25000")).expect("sale");
    book.add_purchase(bob, sale(date("2020-03-01"), "900")).expect("sale");
    assert_eq!(copies(&path, ann), (text("vip"), text("key"), Some(250_000_000), Some(514), Some(1)));
    assert_eq!(copies_astray(&path), 0);

    // A membership change: gold from 20,000 makes Ann gold; the programme off takes every tier.
    let mut settings = book.settings().expect("settings");
    settings.membership.tiers[2].min_spend = Some("20000".parse().expect("amount"));
    book.update_settings(&settings).expect("rules");
    assert_eq!(copies(&path, ann).4, Some(2));
    settings.membership.enabled = false;
    book.update_settings(&settings).expect("off");
    assert_eq!((copies(&path, ann).4, copies(&path, bob).4), (None, None));
    settings.membership.enabled = true;
    book.update_settings(&settings).expect("on");
    assert_eq!(copies(&path, ann).4, Some(2));
    assert_eq!(copies_astray(&path), 0);

    // A sale taken back: Eve's only one, which made her gold, leaves her a prospect again.
    let eve = named(&mut book, "Eve");
    let eve_sale = book.add_purchase(eve, sale(months_ago(1), "25000")).expect("sale").id;
    assert_eq!(copies(&path, eve).4, Some(2));
    book.delete_purchase(eve_sale).expect("take back");
    assert_eq!(copies(&path, eve), (text("prospect"), None, Some(0), None, None));
    assert_eq!(copies_astray(&path), 0);

    // A merge: Bob's old sale joins Ann's; undone, Bob stands as before.
    let bob_before = copies(&path, bob);
    let merge = book.merge_customers(ann, bob).expect("merge");
    assert_eq!(copies_astray(&path), 0);
    book.undo_merge(merge.id).expect("undo");
    assert_eq!(copies(&path, bob), bob_before);
    assert_eq!(copies_astray(&path), 0);

    // A contacts import: a new person is a prospect, like one typed in; a row for someone the
    // book has (Bob, by his email) leaves his standing as it was.
    let bob_email = CustomerDraft {
        emails: vec![EmailEntry { label: String::new(), address: "bob@example.com".into(), primary: true }],
        ..book.customer(bob).expect("bob").profile
    };
    book.update_customer(bob, bob_email).expect("email");
    let bob_before = copies(&path, bob);
    let file = dir.path().join("visitors.csv");
    std::fs::write(&file, "Name,Email\nDora Visitor,dora@example.com\nBob,bob@example.com\n").expect("file");
    let summary = book
        .commit_import(&file, &loupe_core::import::ImportOptions::default(), &AtomicBool::new(false), |_| {})
        .expect("import");
    assert_eq!((summary.created, summary.merged), (1, 1));
    let dora = book.search_customers("dora", 5).expect("search")[0].id;
    assert_eq!(copies(&path, dora), (text("prospect"), None, Some(0), None, None));
    assert_eq!(book.standing(dora).expect("standing").segment, Segment::Prospect);
    assert_eq!(copies(&path, bob), bob_before);
    assert_eq!(copies_astray(&path), 0);

    // An erasure takes Cleo's row and her standing together.
    book.add_purchase(cleo, sale(months_ago(3), "5000")).expect("sale");
    book.erase_customer(cleo).expect("erase");
    assert_eq!(copies_astray(&path), 0);

    // A restore: the backup's copies come back with its standing.
    let backup = book.back_up(BackupKind::Manual, |_| {}).expect("backup");
    let ann_backed_up = copies(&path, ann);
    book.add_purchase(ann, sale(loupe_core::today(), "90000")).expect("sale");
    assert_ne!(copies(&path, ann), ann_backed_up);
    book.restore_backup(Path::new(&backup.path), |_| {}).expect("restore");
    assert_eq!(copies(&path, ann), ann_backed_up);
    assert_eq!(copies_astray(&path), 0);

    // A whole book moved into another: the copies are computed there, not carried.
    let folder = dir.path().join("export");
    book.export_book(&folder, &AtomicBool::new(false), |_| {}).expect("export");
    let moved_path = dir.path().join("moved.sqlite3");
    let mut moved = Book::open(&moved_path).expect("new book");
    moved
        .import_book(&folder, &BookImportOptions::default(), &AtomicBool::new(false), |_| {})
        .expect("import");
    assert_eq!(copies(&moved_path, ann), ann_backed_up);
    assert_eq!(copies_astray(&moved_path), 0);
}

/// Takes a book back to the version before 0017 (its copies, triggers and indexes gone, and
/// 0008's segment triggers back; 0018's tier index as 0009 made it; 0019's counts gone): what a
/// Loupe of that version left on disk.
pub(crate) fn without_list_copies(conn: &Connection) {
    let indexes: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'index'
             AND (name LIKE 'customers\\_%\\_order%' ESCAPE '\\'
                  OR name IN ('customers_last_purchase_ascending', 'customers_type_descending'))",
        )
        .expect("indexes")
        .query_map([], |row| row.get(0))
        .expect("names")
        .collect::<rusqlite::Result<_>>()
        .expect("read");
    assert_eq!(indexes.len(), 14, "{indexes:?}");
    for index in indexes {
        conn.execute_batch(&format!("DROP INDEX {index}")).expect("drop index");
    }
    conn.execute_batch(
        "DROP TRIGGER customer_standing_added; DROP TRIGGER customer_standing_moved;
         DROP TRIGGER customer_standing_removed; DROP TRIGGER customer_membership_added;
         DROP TRIGGER customer_membership_moved; DROP TRIGGER customer_membership_removed;
         ALTER TABLE customers DROP COLUMN value_class; ALTER TABLE customers DROP COLUMN window_units;
         ALTER TABLE customers DROP COLUMN rfm_score; ALTER TABLE customers DROP COLUMN tier_rank;
         DROP INDEX customers_last_purchase;
         CREATE INDEX customers_last_purchase ON customers(last_purchase_on DESC, sort_name, id);
         DROP INDEX customer_membership_tier;
         CREATE INDEX customer_membership_tier ON customer_membership(tier);
         CREATE TRIGGER customer_standing_segment_added AFTER INSERT ON customer_standing
         BEGIN
             UPDATE customers SET segment = NEW.segment WHERE id = NEW.customer_id;
         END;
         CREATE TRIGGER customer_standing_segment_moved AFTER UPDATE OF segment ON customer_standing
         WHEN NEW.segment IS NOT OLD.segment
         BEGIN
             UPDATE customers SET segment = NEW.segment WHERE id = NEW.customer_id;
         END;
         DROP TABLE customer_type_counts;",
    )
    .expect("undo 0017 to 0019");
}

#[test]
fn a_book_from_before_the_copies_gets_them_from_its_standing_and_tiers_once_opened() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("book.sqlite3");
    let book = book_with_ties(&path);
    let before: Vec<Copies> = sources(&path).iter().map(|source| copies(&path, source.id)).collect();
    let first_screens: Vec<Vec<i64>> = ListSort::ALL
        .iter()
        .map(|&sort| {
            let page = book.list_customers(&ListQuery { sort, descending: true, ..ListQuery::default() });
            page.expect("list").rows.iter().map(|row| row.id).collect()
        })
        .collect();
    drop(book);
    let conn = Connection::open(&path).expect("open");
    without_list_copies(&conn);
    conn.execute_batch("PRAGMA user_version = 16").expect("the version before 0017");
    drop(conn);

    let book = Book::open(&path).expect("migrated");
    assert_eq!(book.schema_version().expect("version"), loupe_core::schema_version());
    let after: Vec<Copies> = sources(&path).iter().map(|source| copies(&path, source.id)).collect();
    assert_eq!(after, before);
    let held = |part: fn(&Copies) -> bool| after.iter().filter(|copies| part(copies)).count();
    // Every buyer has a class and a score, and a tier under the default rules.
    assert!(held(|copies| copies.1.is_some()) > 50 && held(|copies| copies.3.is_some()) > 50);
    assert!(held(|copies| copies.4.is_some()) > 50);
    assert_eq!(copies_astray(&path), 0);
    for (&sort, screen) in ListSort::ALL.iter().zip(first_screens) {
        let page = book.list_customers(&ListQuery { sort, descending: true, ..ListQuery::default() });
        let ids: Vec<i64> = page.expect("list").rows.iter().map(|row| row.id).collect();
        assert_eq!(ids, screen, "by {sort}");
    }
}
