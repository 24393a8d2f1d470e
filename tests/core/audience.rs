//! The one audience filter: each part at its boundaries, parts together, a saved segment inside
//! a filter, the counts per segment, the list and the mailing preview agreeing, and text that
//! looks like SQL. Standing values are written straight into `customer_standing` (after every
//! other write, so that nothing re-evaluates them): these tests are about selecting by the
//! standing, not about computing it.

use chrono::NaiveDate;
use loupe_core::model::*;
use loupe_core::problem::Problem;
use loupe_core::{Book, Error};
use rusqlite::Connection;
use rust_decimal::Decimal;

struct Fixture {
    book: Book,
    path: std::path::PathBuf,
    _dir: tempfile::TempDir,
    ids: std::collections::HashMap<&'static str, i64>,
}

impl Fixture {
    fn id(&self, name: &str) -> i64 {
        self.ids[name]
    }

    /// Writes a customer's standing as the computation would have.
    fn stand(
        &self,
        name: &str,
        segment: &str,
        class: Option<&str>,
        rfm: Option<(u8, u8, u8)>,
        group: Option<&str>,
        bought_most: &str,
    ) {
        let conn = Connection::open(&self.path).expect("open");
        conn.execute(
            "INSERT OR REPLACE INTO customer_standing
                (customer_id, segment, value_class, recency, frequency, monetary, rfm_group, bought_most_json, evaluated_on)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, '2026-06-01')",
            rusqlite::params![
                self.id(name),
                segment,
                class,
                rfm.map(|rfm| rfm.0),
                rfm.map(|rfm| rfm.1),
                rfm.map(|rfm| rfm.2),
                group,
                bought_most
            ],
        )
        .expect("standing");
    }

    /// The names `filter` selects, in name order, as the list shows them.
    fn names(&self, filter: CustomerFilter) -> Vec<String> {
        let page = self
            .book
            .list_customers(&ListQuery { filter, limit: 1000, ..ListQuery::default() })
            .expect("list");
        assert_eq!(page.total as usize, page.rows.len(), "the count and the rows agree");
        page.rows.into_iter().map(|row| row.full_name).collect()
    }
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("date")
}

fn sale(on: &str, brand: &str, material: &str, price: &str) -> PurchaseDraft {
    PurchaseDraft {
        purchased_on: date(on),
        currency: String::new(),
        payments: Vec::new(),
        trade_ins: Vec::new(),
        collected_on: None,
        redemption: None,
        channel: SaleChannel::InStore,
        salesperson: String::new(),
        notes: String::new(),
        items: vec![PurchaseItem {
            brand: brand.into(),
            material: material.into(),
            ..PurchaseItem::priced(price.parse().expect("price"))
        }],
    }
}

fn opted_in() -> Vec<Consent> {
    vec![Consent {
        channel: Channel::Email,
        status: ConsentStatus::OptedIn,
        date: None,
        source: "counter".into(),
    }]
}

/// Ann: VIP collector, key, 555, champions, likes pearls, bought Rolex (25,000) in 2026.
/// Bob: regular, main, 334, loyal, trade, zh-Hans, bought Cartier gold (5,000.50) in 2025.
/// Cleo: at risk, ordinary, 213, need attention, a reviewer, bought Omega (1,000) in 2024,
///       wishes for a Rolex.
/// Dan: prospect, never bought, a public figure, tagged "press" and "vip".
/// Eve: new, ordinary, 511, recent, professional, bought a gold ring (300) in 2026.
fn book() -> Fixture {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("book.sqlite3");
    let mut book = Book::open(&path).expect("book");
    let mut ids = std::collections::HashMap::new();
    let mut add = |name: &'static str, tweak: &dyn Fn(&mut CustomerDraft)| {
        let mut draft = CustomerDraft::named(name);
        draft.emails = vec![EmailEntry {
            label: String::new(),
            address: format!("{}@example.com", name.to_lowercase()),
            primary: true,
        }];
        draft.consents = opted_in();
        tweak(&mut draft);
        ids.insert(name, book.create_customer(draft).expect("customer").id);
    };
    add("Ann", &|draft| {
        draft.customer_type = CustomerType::Collector;
        draft.language = "en".into();
        draft.preferences.materials = vec!["Pearls".into()];
        draft.tags = vec!["VIP".into(), "Rolex".into()];
    });
    add("Bob", &|draft| {
        draft.customer_type = CustomerType::Trade;
        draft.language = "zh-Hans".into();
        draft.tags = vec!["vip".into()];
    });
    add("Cleo", &|draft| {
        draft.influence = Influence::Reviewer;
    });
    add("Dan", &|draft| {
        draft.influence = Influence::PublicFigure;
        draft.tags = vec!["press".into(), "VIP".into()];
    });
    add("Eve", &|draft| {
        draft.influence = Influence::TradeProfessional;
        draft.language = "zh".into();
    });
    book.add_purchase(ids["Ann"], sale("2026-03-01", "Rolex", "steel", "25000")).expect("sale");
    book.add_purchase(ids["Bob"], sale("2025-06-30", "Cartier", "yellow gold", "5000.50")).expect("sale");
    book.add_purchase(ids["Cleo"], sale("2024-01-15", "Omega", "steel", "1000")).expect("sale");
    book.add_purchase(ids["Eve"], sale("2026-05-20", "", "gold", "300")).expect("sale");
    book.add_entry(
        ids["Cleo"],
        WishDraft {
            brand: "ROLEX".into(),
            model: "Datejust".into(),
            reference_number: String::new(),
            budget_min: None,
            budget_max: None,
            currency: String::new(),
            notes: String::new(),
            status: WishStatus::Open,
            requested_on: date("2026-01-01"),
            closed_on: None,
        },
    )
    .expect("wish");
    let fixture = Fixture { book, path, _dir: dir, ids };
    // Not a language code the profile form takes, but a book may hold one from before: the
    // language filter's `_` must not match it as a wildcard.
    Connection::open(&fixture.path)
        .expect("open")
        .execute("UPDATE customers SET language = 'zh_x' WHERE id = ?1", [fixture.id("Cleo")])
        .expect("language");
    fixture.stand(
        "Ann",
        "vip",
        Some("key"),
        Some((5, 5, 5)),
        Some("champions"),
        r#"{"category":"watch","material":"steel","brand":"Rolex"}"#,
    );
    fixture.stand(
        "Bob",
        "regular",
        Some("main"),
        Some((3, 3, 4)),
        Some("loyal"),
        r#"{"category":"watch","material":"yellow gold","brand":"Cartier"}"#,
    );
    fixture.stand(
        "Cleo",
        "at_risk",
        Some("ordinary"),
        Some((2, 1, 3)),
        Some("need_attention"),
        r#"{"category":"watch","material":"steel","brand":"Omega"}"#,
    );
    fixture.stand("Dan", "prospect", None, None, None, "{}");
    fixture.stand(
        "Eve",
        "new",
        Some("ordinary"),
        Some((5, 1, 1)),
        Some("recent"),
        r#"{"category":"ring","material":"gold","brand":null}"#,
    );
    fixture
}

fn refused(result: Result<impl std::fmt::Debug, Error>) -> (String, Problem) {
    match result {
        Err(Error::Invalid { field, problem }) => (field, problem),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn money(text: &str) -> Option<Decimal> {
    Some(text.parse().expect("amount"))
}

#[test]
fn an_empty_filter_selects_everyone() {
    let book = book();
    assert_eq!(book.names(CustomerFilter::default()), ["Ann", "Bob", "Cleo", "Dan", "Eve"]);
}

#[test]
fn a_tag_alone_counts_each_customer_once_and_only_those_in_the_book() {
    let mut fixture = book();
    let vip = || CustomerFilter { tags: vec!["VIP".into()], ..Default::default() };
    // A tag written twice in two cases on one customer (as an older book or a load may hold it).
    let conn = Connection::open(&fixture.path).expect("open");
    conn.execute(
        "INSERT INTO customer_tags (customer_id, position, tag) VALUES (?1, 9, 'Vip')",
        [fixture.id("Ann")],
    )
    .expect("second tag");
    drop(conn);
    assert_eq!(fixture.names(vip()), ["Ann", "Bob", "Dan"], "the names check the count against the rows");
    let bob = fixture.id("Bob");
    fixture.book.delete_customer(bob).expect("delete");
    assert_eq!(fixture.names(vip()), ["Ann", "Dan"]);
    let dan = fixture.id("Dan");
    fixture.book.erase_customer(dan).expect("erase");
    assert_eq!(fixture.names(vip()), ["Ann"]);
}

#[test]
fn profile_parts_select_by_type_tags_language_and_influence() {
    let book = book();
    let names = |filter| book.names(filter);
    assert_eq!(
        names(CustomerFilter { customer_type: Some(CustomerType::Trade), ..Default::default() }),
        ["Bob"]
    );
    assert_eq!(
        names(CustomerFilter { tags: vec!["vip".into()], ..Default::default() }),
        ["Ann", "Bob", "Dan"]
    );
    assert_eq!(
        names(CustomerFilter { tags: vec!["VIP".into(), "press".into()], ..Default::default() }),
        ["Dan"],
        "every tag, not any"
    );
    assert_eq!(
        names(CustomerFilter { tags: vec!["  ".into()], ..Default::default() }).len(),
        5,
        "a blank tag is no filter"
    );
    assert_eq!(
        names(CustomerFilter { language: Some("zh".into()), ..Default::default() }),
        ["Bob", "Eve"],
        "zh and zh-*, but not zh_x: the prefix's own _ is not a wildcard"
    );
    assert_eq!(names(CustomerFilter { language: Some("ZH-hans".into()), ..Default::default() }), ["Bob"]);
    assert_eq!(
        names(CustomerFilter {
            influence: vec![Influence::Reviewer, Influence::PublicFigure],
            ..Default::default()
        }),
        ["Cleo", "Dan"]
    );
}

#[test]
fn spend_and_purchase_dates_include_their_boundaries() {
    let book = book();
    let names = |filter| book.names(filter);
    assert_eq!(names(CustomerFilter { min_spend: money("5000.50"), ..Default::default() }), ["Ann", "Bob"]);
    assert_eq!(names(CustomerFilter { min_spend: money("5000.5001"), ..Default::default() }), ["Ann"]);
    assert_eq!(
        names(CustomerFilter { max_spend: money("1000"), ..Default::default() }),
        ["Cleo", "Dan", "Eve"]
    );
    assert_eq!(
        names(CustomerFilter { min_spend: money("300"), max_spend: money("5000.50"), ..Default::default() }),
        ["Bob", "Cleo", "Eve"]
    );
    assert_eq!(
        names(CustomerFilter { bought_since: Some(date("2025-06-30")), ..Default::default() }),
        ["Ann", "Bob", "Eve"]
    );
    assert_eq!(
        names(CustomerFilter { bought_since: Some(date("2025-07-01")), ..Default::default() }),
        ["Ann", "Eve"]
    );
    let between = |since: &str, until: &str| CustomerFilter {
        bought_since: Some(date(since)),
        bought_until: Some(date(until)),
        ..Default::default()
    };
    assert_eq!(names(between("2025-06-30", "2026-03-01")), ["Ann", "Bob"], "both days included");
    assert_eq!(
        names(between("2025-07-01", "2026-02-28")),
        Vec::<String>::new(),
        "Ann bought after it (her last sale is since the start) but not in it"
    );
    assert_eq!(
        names(CustomerFilter { bought_until: Some(date("2025-06-30")), ..Default::default() }),
        ["Bob", "Cleo"]
    );
    assert_eq!(
        names(CustomerFilter { bought_until: Some(date("2024-01-14")), ..Default::default() }),
        Vec::<String>::new()
    );
    assert_eq!(
        names(CustomerFilter { not_bought_since: Some(date("2025-06-30")), ..Default::default() }),
        ["Cleo", "Dan"],
        "nothing on or after the day, never-buyers included"
    );
    assert_eq!(
        names(CustomerFilter { brand: Some("rolex".into()), ..Default::default() }),
        ["Ann", "Cleo"],
        "bought or wished, case ignored"
    );
}

#[test]
fn bad_spend_bounds_are_refused_by_name() {
    let book = book();
    let list = |filter| book.book.list_customers(&ListQuery { filter, ..ListQuery::default() });
    assert_eq!(
        refused(list(CustomerFilter { min_spend: money("0.00001"), ..Default::default() })),
        ("min_spend".into(), Problem::TooManyDecimals)
    );
    assert_eq!(
        refused(list(CustomerFilter {
            max_spend: money("79228162514264337593543950335"),
            ..Default::default()
        }))
        .0,
        "max_spend"
    );
    assert_eq!(
        refused(list(CustomerFilter {
            min_spend: money("10"),
            max_spend: money("9.99"),
            ..Default::default()
        })),
        ("max_spend".into(), Problem::SpendRangeReversed)
    );
    assert_eq!(
        refused(list(CustomerFilter {
            bought_since: Some(date("2026-03-02")),
            bought_until: Some(date("2026-03-01")),
            ..Default::default()
        })),
        ("bought_until".into(), Problem::PeriodReversed)
    );
}

#[test]
fn standing_parts_select_by_segment_class_group_and_scores() {
    let book = book();
    let names = |filter| book.names(filter);
    assert_eq!(names(CustomerFilter { segments: vec![Segment::Vip], ..Default::default() }), ["Ann"]);
    assert_eq!(
        names(CustomerFilter { segments: vec![Segment::AtRisk, Segment::Prospect], ..Default::default() }),
        ["Cleo", "Dan"],
        "any of the segments"
    );
    assert!(names(CustomerFilter { segments: vec![Segment::Lapsed], ..Default::default() }).is_empty());
    assert_eq!(
        names(CustomerFilter { value_classes: vec![ValueClass::Ordinary], ..Default::default() }),
        ["Cleo", "Eve"]
    );
    assert_eq!(
        names(CustomerFilter {
            rfm_groups: vec![RfmGroup::Champions, RfmGroup::Recent],
            ..Default::default()
        }),
        ["Ann", "Eve"]
    );
    assert_eq!(
        names(CustomerFilter { min_rfm: Some(Rfm { r: 3, f: 3, m: 4 }), ..Default::default() }),
        ["Ann", "Bob"],
        "each score at least its bound, 334 itself included"
    );
    assert_eq!(
        names(CustomerFilter { min_rfm: Some(Rfm { r: 1, f: 1, m: 1 }), ..Default::default() }),
        ["Ann", "Bob", "Cleo", "Eve"],
        "prospects have no scores"
    );
    assert_eq!(
        refused(book.book.list_customers(&ListQuery {
            filter: CustomerFilter { min_rfm: Some(Rfm { r: 0, f: 3, m: 3 }), ..Default::default() },
            ..ListQuery::default()
        })),
        ("min_rfm".into(), Problem::NotAScore { value: 0 })
    );
}

#[test]
fn likes_is_what_they_said_or_what_they_bought_most() {
    let book = book();
    let names = |likes: &str| book.names(CustomerFilter { likes: Some(likes.into()), ..Default::default() });
    assert_eq!(names("pearl"), ["Ann"], "said they like Pearls");
    assert_eq!(names("GOLD"), ["Bob", "Eve"], "bought most: yellow gold, gold");
    assert_eq!(names("ring"), ["Eve"], "the category bought most");
    assert_eq!(names("omega"), ["Cleo"]);
    assert!(names("platinum").is_empty());
    assert!(names("%").is_empty(), "a LIKE wildcard typed is a character");
}

#[test]
fn parts_together_all_apply() {
    let book = book();
    let filter = CustomerFilter {
        tags: vec!["vip".into()],
        segments: vec![Segment::Vip, Segment::Regular],
        min_spend: money("10000"),
        ..Default::default()
    };
    assert_eq!(book.names(filter), ["Ann"]);
    let filter = CustomerFilter {
        language: Some("zh".into()),
        value_classes: vec![ValueClass::Ordinary],
        influence: vec![Influence::TradeProfessional],
        bought_since: Some(date("2026-01-01")),
        ..Default::default()
    };
    assert_eq!(book.names(filter), ["Eve"]);
}

#[test]
fn a_search_selects_what_the_search_box_counts_and_nobody_when_it_cannot_match() {
    let book = book();
    assert_eq!(book.names(CustomerFilter { search: Some("cle".into()), ..Default::default() }), ["Cleo"]);
    assert!(book.names(CustomerFilter { search: Some("!!!".into()), ..Default::default() }).is_empty());
}

#[test]
fn the_list_sorts_by_standing() {
    let book = book();
    let order = |sort, descending| -> Vec<String> {
        book.book
            .list_customers(&ListQuery { sort, descending, ..ListQuery::default() })
            .expect("list")
            .rows
            .into_iter()
            .map(|row| row.full_name)
            .collect()
    };
    assert_eq!(order(ListSort::Segment, true), ["Ann", "Eve", "Bob", "Cleo", "Dan"]);
    assert_eq!(order(ListSort::Rfm, true), ["Ann", "Eve", "Bob", "Cleo", "Dan"]);
    assert_eq!(order(ListSort::Influence, true), ["Dan", "Eve", "Cleo", "Ann", "Bob"]);
    let vip_first = book
        .book
        .list_customers(&ListQuery {
            sort: ListSort::Spend,
            descending: true,
            filter: CustomerFilter { segments: vec![Segment::Regular, Segment::New], ..Default::default() },
            ..ListQuery::default()
        })
        .expect("list");
    assert_eq!(vip_first.total, 2);
    assert_eq!(vip_first.rows[0].segment, Segment::Regular);
    assert_eq!(vip_first.rows[0].rfm, Some(Rfm { r: 3, f: 3, m: 4 }));
}

#[test]
fn counts_per_segment_cover_all_six_and_ignore_the_filters_own_segments() {
    let book = book();
    let counts = book
        .book
        .segment_counts(&CustomerFilter {
            tags: vec!["vip".into()],
            segments: vec![Segment::Lapsed],
            ..Default::default()
        })
        .expect("counts");
    let expected: Vec<SegmentCount> = [
        (Segment::Prospect, 1),
        (Segment::Lapsed, 0),
        (Segment::AtRisk, 0),
        (Segment::Vip, 1),
        (Segment::New, 0),
        (Segment::Regular, 1),
    ]
    .into_iter()
    .map(|(segment, count)| SegmentCount { segment, count })
    .collect();
    assert_eq!(counts, expected);
    let all: u32 = book
        .book
        .segment_counts(&CustomerFilter::default())
        .expect("counts")
        .iter()
        .map(|count| count.count)
        .sum();
    assert_eq!(all, 5);
}

#[test]
fn a_saved_segment_is_kept_counted_used_renamed_and_deleted() {
    let mut book = book();
    let trade_and_collectors =
        CustomerFilter { tags: vec!["vip".into()], min_spend: money("1000"), ..Default::default() };
    let saved = book.book.save_segment(None, "  Big VIPs ", &trade_and_collectors).expect("save");
    assert_eq!((saved.name.as_str(), saved.count), ("Big VIPs", 2));
    let second = book
        .book
        .save_segment(
            None,
            "at-risk reviewers",
            &CustomerFilter { influence: vec![Influence::Reviewer], ..Default::default() },
        )
        .expect("save");
    let listed = book.book.saved_segments().expect("list");
    assert_eq!(
        listed.iter().map(|saved| (saved.name.as_str(), saved.count)).collect::<Vec<_>>(),
        [("at-risk reviewers", 1), ("Big VIPs", 2)]
    );
    assert_eq!(listed[1].filter, trade_and_collectors);

    // Inside another filter, its parts apply with the filter's own.
    let within = CustomerFilter {
        saved_segment: Some(saved.id),
        segments: vec![Segment::Regular],
        ..Default::default()
    };
    assert_eq!(book.names(within.clone()), ["Bob"]);
    assert_eq!(book.book.segment_named("big vips").expect("named").saved_segment, Some(saved.id));
    assert_eq!(book.book.segment_named("At risk").expect("named").segments, [Segment::AtRisk]);

    let renamed = book
        .book
        .save_segment(
            Some(saved.id),
            "Biggest",
            &CustomerFilter { min_spend: money("20000"), ..Default::default() },
        )
        .expect("edit");
    assert_eq!((renamed.id, renamed.count), (saved.id, 1));
    assert_eq!(book.names(within), Vec::<String>::new(), "the list follows the edited segment");

    book.book.delete_segment(second.id).expect("delete");
    assert_eq!(book.book.saved_segments().expect("list").len(), 1);
    assert!(matches!(book.book.delete_segment(second.id), Err(Error::NotFound { .. })));
    assert_eq!(
        refused(book.book.list_customers(&ListQuery {
            filter: CustomerFilter { saved_segment: Some(second.id), ..Default::default() },
            ..ListQuery::default()
        })),
        ("saved_segment".into(), Problem::NoSuchSavedSegment { id: second.id })
    );
}

#[test]
fn a_saved_segments_name_and_filter_are_checked() {
    let mut book = book();
    let any = CustomerFilter::default();
    let first = book.book.save_segment(None, "Press", &any).expect("save");
    assert_eq!(
        refused(book.book.save_segment(None, "   ", &any)),
        ("name".into(), Problem::SegmentNameMissing)
    );
    assert_eq!(
        refused(book.book.save_segment(None, &"x".repeat(101), &any)),
        ("name".into(), Problem::TooLong { max_chars: 100 })
    );
    book.book.save_segment(None, &"y".repeat(100), &any).expect("100 characters are fine");
    assert_eq!(
        refused(book.book.save_segment(None, "PRESS", &any)),
        ("name".into(), Problem::SegmentNameTaken { name: "PRESS".into() })
    );
    book.book.save_segment(Some(first.id), "press", &any).expect("its own name, in another case");
    assert_eq!(
        refused(book.book.save_segment(None, "VIP", &any)),
        ("name".into(), Problem::SegmentNameTaken { name: "VIP".into() }),
        "a built-in segment's name"
    );
    assert_eq!(
        refused(book.book.save_segment(
            None,
            "Nested",
            &CustomerFilter { saved_segment: Some(first.id), ..any.clone() }
        )),
        ("saved_segment".into(), Problem::SegmentInSegment)
    );
    assert_eq!(
        refused(book.book.save_segment(
            None,
            "Typed",
            &CustomerFilter { search: Some("ann".into()), ..any.clone() }
        )),
        ("search".into(), Problem::SegmentHoldsSearch)
    );
    assert_eq!(
        refused(book.book.save_segment(
            None,
            "Reversed",
            &CustomerFilter { min_spend: money("2"), max_spend: money("1"), ..any.clone() }
        )),
        ("max_spend".into(), Problem::SpendRangeReversed),
        "a filter that cannot run is not kept"
    );
    assert!(matches!(book.book.save_segment(Some(9999), "Gone", &any), Err(Error::NotFound { .. })));
    match refused(book.book.segment_named("gold buyers")) {
        (field, Problem::NoSuchSegment { name, known }) => {
            assert_eq!((field.as_str(), name.as_str()), ("segment", "gold buyers"));
            assert!(known.starts_with("prospect, lapsed, at_risk, vip, new, regular, press"), "{known}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_list_and_the_mailing_preview_select_the_same_audience() {
    let book = book();
    let audiences = [
        CustomerFilter::default(),
        CustomerFilter { segments: vec![Segment::Vip, Segment::New], ..Default::default() },
        CustomerFilter { likes: Some("gold".into()), ..Default::default() },
        CustomerFilter { tags: vec!["vip".into()], max_spend: money("5000.50"), ..Default::default() },
        CustomerFilter {
            min_rfm: Some(Rfm { r: 2, f: 1, m: 1 }),
            influence: vec![Influence::Reviewer, Influence::None],
            ..Default::default()
        },
    ];
    for audience in audiences {
        let listed = book.names(audience.clone());
        let preview = book
            .book
            .preview_mailing_list(&MailingFilter {
                channel: MailingChannel::Email,
                audience: audience.clone(),
            })
            .expect("preview");
        assert_eq!(preview.matching as usize, listed.len(), "{audience:?}");
        let mailed: Vec<String> = preview.sample.into_iter().map(|row| row.full_name).collect();
        assert_eq!(mailed, listed, "everyone opted in with an email: {audience:?}");
    }
}

#[test]
fn text_that_looks_like_sql_is_only_ever_text() {
    let mut book = book();
    let attacks =
        ["'; DROP TABLE customers; --", "\" OR 1=1 --", "x') OR ('1'='1", "%' OR '%'='", "?1", "\\"];
    for attack in attacks {
        let text = Some(attack.to_owned());
        let filters = [
            CustomerFilter { tags: vec![attack.into()], ..Default::default() },
            CustomerFilter { language: text.clone(), ..Default::default() },
            CustomerFilter { brand: text.clone(), ..Default::default() },
            CustomerFilter { likes: text.clone(), ..Default::default() },
            CustomerFilter { search: text.clone(), ..Default::default() },
        ];
        for filter in filters {
            assert!(book.names(filter.clone()).is_empty(), "{filter:?}");
            let mailing = MailingFilter { channel: MailingChannel::Email, audience: filter.clone() };
            assert_eq!(book.book.preview_mailing_list(&mailing).expect("preview").matching, 0);
        }
        let saved = book
            .book
            .save_segment(None, attack, &CustomerFilter { brand: text, ..Default::default() })
            .expect("save");
        assert_eq!(book.book.segment_named(attack).expect("named").saved_segment, Some(saved.id));
        assert_eq!(saved.count, 0);
    }
    assert_eq!(book.names(CustomerFilter::default()).len(), 5, "the book is whole");
}
