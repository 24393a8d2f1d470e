//! The customer profile through the store: every field survives a save and a reopen, bad
//! values are refused with the field named, and nothing is half written.

use std::sync::atomic::AtomicBool;

use loupe_core::backup::BackupKind;
use loupe_core::model::*;
use loupe_core::problem::Problem;
use loupe_core::transfer::BookImportOptions;
use loupe_core::{Book, Error, PartialDate};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn temp_book() -> (tempfile::TempDir, Book) {
    let dir = tempfile::tempdir().expect("temp dir");
    let book = Book::open(&dir.path().join("book.sqlite3")).expect("open book");
    (dir, book)
}

fn full_profile() -> CustomerDraft {
    let mut draft = CustomerDraft::named("Dr Anna-Lena Müller");
    draft.given_name = "Anna-Lena".into();
    draft.family_name = "Müller".into();
    draft.title = "Dr".into();
    draft.customer_type = CustomerType::Collector;
    draft.company = "Zürich Uhren AG".into();
    draft.job_title = "Partner".into();
    draft.emails = vec![
        EmailEntry { label: "work".into(), address: "anna@zuerich-uhren.example.ch".into(), primary: false },
        EmailEntry { label: "home".into(), address: "Anna.Mueller@Example.com".into(), primary: true },
    ];
    draft.phones =
        vec![PhoneEntry { label: "mobile".into(), number: "07911 123456".into(), e164: None, primary: true }];
    draft.addresses = vec![AddressEntry {
        label: "home".into(),
        street: "Bahnhofstrasse 1\n3rd floor".into(),
        city: "Zürich".into(),
        region: "ZH".into(),
        postal_code: "8001".into(),
        country: "CH".into(),
        primary: true,
    }];
    draft.preferred_contact = Some(ContactMethod::Phone);
    draft.language = "de-CH".into();
    draft.birthday = Some("--05-17".parse().expect("date"));
    draft.occasions = vec![Occasion {
        kind: OccasionKind::Anniversary,
        label: "Wedding".into(),
        date: "2001-06-30".parse().expect("date"),
    }];
    draft.source = Some(Source::Fair);
    draft.source_detail = "Watches & Wonders 2026".into();
    draft.ring_size = Some(RingSize { system: RingSizeSystem::Eu, value: "54".into() });
    draft.wrist_cm = Some(Decimal::new(165, 1));
    draft.preferences = Preferences {
        brands: vec!["Patek Philippe".into(), "Lange".into()],
        styles: vec!["dress".into()],
        materials: vec!["rose gold".into()],
        price_min: Some("10000.00".parse().expect("decimal")),
        price_max: Some("25000.50".parse().expect("decimal")),
        currency: "chf".into(),
    };
    draft.influence = Influence::Reviewer;
    draft.tags = vec!["VIP".into(), "vintage".into(), "vip".into()];
    draft.consents = vec![
        Consent {
            channel: Channel::Email,
            status: ConsentStatus::OptedIn,
            date: Some("2026-03-01".parse().expect("date")),
            source: "signed card at the fair".into(),
        },
        Consent { channel: Channel::Sms, status: ConsentStatus::OptedOut, date: None, source: String::new() },
    ];
    draft
}

#[test]
fn a_full_profile_survives_closing_and_reopening_the_book() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("book.sqlite3");
    let created = Book::open(&path).expect("open").create_customer(full_profile()).expect("create");

    let reopened = Book::open(&path).expect("reopen").customer(created.id).expect("load");
    assert_eq!(reopened, created);
    let profile = &reopened.profile;
    assert_eq!(profile.full_name, "Dr Anna-Lena Müller");
    assert_eq!(profile.birthday.expect("birthday").to_string(), "--05-17");
    assert_eq!(profile.phones[0].e164.as_deref(), Some("+447911123456"));
    assert_eq!(profile.phones[0].number, "07911 123456", "kept as typed");
    assert!(profile.emails[1].primary && !profile.emails[0].primary);
    assert_eq!(profile.addresses[0].street, "Bahnhofstrasse 1\n3rd floor");
    assert_eq!(profile.preferences.price_max.expect("max").to_string(), "25000.50");
    assert_eq!(profile.preferences.currency, "CHF");
    assert_eq!(profile.wrist_cm.expect("wrist").to_string(), "16.5");
    assert_eq!(profile.tags, ["VIP", "vintage"], "tags are deduplicated case-insensitively");
    let channels: Vec<_> = profile.consents.iter().map(|consent| (consent.channel, consent.status)).collect();
    assert_eq!(
        channels,
        [
            (Channel::Email, ConsentStatus::OptedIn),
            (Channel::Sms, ConsentStatus::OptedOut),
            (Channel::Phone, ConsentStatus::Unknown),
            (Channel::Post, ConsentStatus::Unknown),
        ]
    );
    assert_eq!(profile.consents[0].source, "signed card at the fair");
}

#[test]
fn invalid_values_name_their_field_and_write_nothing() {
    let (_dir, mut book) = temp_book();
    type Spoil = Box<dyn Fn(&mut CustomerDraft)>;
    let cases: Vec<(&str, Spoil)> = vec![
        ("full_name", Box::new(|draft| draft.full_name = "  ".into())),
        ("emails[1].address", Box::new(|draft| draft.emails[1].address = "anna at example".into())),
        ("emails[0].address", Box::new(|draft| draft.emails[0].address = "Anna <anna@example.com>".into())),
        ("emails[0].address", Box::new(|draft| draft.emails[0].address = "anna@[10.0.0.1]".into())),
        ("emails[1].address", Box::new(|draft| draft.emails[1].address = "a.b@localhost".into())),
        ("phones[0].number", Box::new(|draft| draft.phones[0].number = "12 34".into())),
        ("preferences.price_max", Box::new(|draft| draft.preferences.price_max = Some(Decimal::from(5)))),
        ("preferences.currency", Box::new(|draft| draft.preferences.currency = "pounds".into())),
        ("wrist_cm", Box::new(|draft| draft.wrist_cm = Some(Decimal::from(80)))),
        ("language", Box::new(|draft| draft.language = "English (UK)".into())),
        ("referred_by", Box::new(|draft| draft.referred_by = Some(999))),
    ];
    for (field, spoil) in cases {
        let mut draft = full_profile();
        draft.given_name.clear();
        draft.family_name.clear();
        spoil(&mut draft);
        match book.create_customer(draft) {
            Err(Error::Invalid { field: named, problem }) => {
                assert_eq!(named, field, "{problem}");
                assert!(!problem.to_string().is_empty());
                // Every problem with a profile can be worded in the dealer's language.
                assert!(!matches!(problem, Problem::Other { .. }), "{field}: {problem:?} has no kind");
            }
            other => panic!("{field}: expected a field error, got {other:?}"),
        }
    }
    assert_eq!(book.stats().expect("stats").customers, 0);
    assert_eq!(book.stats().expect("stats").emails, 0);
}

#[test]
fn update_replaces_the_profile_and_delete_removes_everything() {
    let (_dir, mut book) = temp_book();
    let created = book.create_customer(full_profile()).expect("create");
    let mut draft = created.profile.clone();
    draft.company = "Genève Horlogerie SA".into();
    draft.phones.clear();
    draft.tags = vec!["bridal".into()];
    let updated = book.update_customer(created.id, draft).expect("update");
    assert_eq!(updated.profile.company, "Genève Horlogerie SA");
    assert!(updated.profile.phones.is_empty());
    assert!(updated.updated_at >= created.updated_at);
    assert_eq!(updated.created_at, created.created_at);
    assert!(book.search_customers("123456", 10).expect("search").is_empty(), "old phone unindexed");
    assert_eq!(book.search_customers("geneve", 10).expect("search").len(), 1);

    book.delete_customer(created.id).expect("delete");
    assert!(matches!(book.customer(created.id), Err(Error::NotFound { .. })));
    assert!(book.search_customers("müller", 10).expect("search").is_empty());
    let stats = book.stats().expect("stats");
    assert_eq!((stats.customers, stats.emails, stats.phones, stats.addresses), (0, 0, 0, 0));
    assert!(matches!(book.delete_customer(created.id), Err(Error::NotFound { .. })));
    assert!(matches!(book.update_customer(created.id, full_profile()), Err(Error::NotFound { .. })));
}

#[test]
fn list_pages_sorts_and_filters() {
    let (_dir, mut book) = temp_book();
    for (name, kind, tag) in [
        ("Émile Zola", CustomerType::Retail, "VIP"),
        ("anna Bell", CustomerType::Trade, "trade fair"),
        ("王小明", CustomerType::Collector, "VIP"),
        ("Bob Archer", CustomerType::Retail, "newsletter"),
    ] {
        let mut draft = CustomerDraft::named(name);
        draft.customer_type = kind;
        draft.tags = vec![tag.into()];
        book.create_customer(draft).expect("create");
    }
    let names = |query: ListQuery| -> Vec<String> {
        book.list_customers(&query).expect("list").rows.into_iter().map(|row| row.full_name).collect()
    };
    assert_eq!(names(ListQuery::default()), ["anna Bell", "Bob Archer", "Émile Zola", "王小明"]);
    assert_eq!(
        names(ListQuery { descending: true, ..ListQuery::default() }),
        ["王小明", "Émile Zola", "Bob Archer", "anna Bell"]
    );
    assert_eq!(
        names(ListQuery {
            filter: CustomerFilter { tags: vec!["vip".into()], ..CustomerFilter::default() },
            ..ListQuery::default()
        }),
        ["Émile Zola", "王小明"]
    );
    assert_eq!(
        names(ListQuery {
            filter: CustomerFilter { customer_type: Some(CustomerType::Retail), ..CustomerFilter::default() },
            ..ListQuery::default()
        }),
        ["Bob Archer", "Émile Zola"]
    );
    let page = book.list_customers(&ListQuery { offset: 1, limit: 2, ..ListQuery::default() }).expect("page");
    assert_eq!(page.total, 4);
    assert_eq!(
        page.rows.iter().map(|row| row.full_name.as_str()).collect::<Vec<_>>(),
        ["Bob Archer", "Émile Zola"]
    );
    let tags = book.tags().expect("tags");
    assert_eq!(tags[0], TagCount { tag: "VIP".into(), count: 2 });
}

#[test]
fn settings_change_how_national_numbers_are_read() {
    let (_dir, mut book) = temp_book();
    let settings = book
        .update_settings(&BookSettings {
            default_region: "ch".into(),
            default_currency: "chf".into(),
            ..Default::default()
        })
        .expect("settings");
    assert_eq!(
        settings,
        BookSettings { default_region: "CH".into(), default_currency: "CHF".into(), ..Default::default() }
    );
    let mut draft = CustomerDraft::named("Reto Keller");
    draft.phones =
        vec![PhoneEntry { label: String::new(), number: "044 668 18 00".into(), e164: None, primary: false }];
    let customer = book.create_customer(draft).expect("create");
    assert_eq!(customer.profile.phones[0].e164.as_deref(), Some("+41446681800"));
    assert!(customer.profile.phones[0].primary, "the only phone is primary");
    let refused = book.update_settings(&BookSettings {
        default_region: "XX".into(),
        default_currency: "CHF".into(),
        ..Default::default()
    });
    assert!(matches!(
        refused,
        Err(Error::Invalid { field, problem: Problem::NotACountry { value } }) if field == "default_region" && value == "XX"
    ));
}

#[test]
fn demo_books_are_deterministic() {
    let generate = || {
        let mut book = Book::open_in_memory().expect("book");
        book.generate_demo(300, 900, 9, |_| {}).expect("demo");
        (1..=300).map(|id| book.customer(id).expect("customer").profile).collect::<Vec<_>>()
    };
    let first = generate();
    assert_eq!(first, generate());
    let types: std::collections::HashSet<_> = first.iter().map(|profile| profile.customer_type).collect();
    assert_eq!(types.len(), 3, "all three customer types");
    assert!(first.iter().any(|profile| profile.full_name.chars().any(loupe_core::fold::is_cjk)));
    assert!(first.iter().any(|profile| profile.birthday.is_some_and(|date| date.year().is_none())));
    assert!(first.iter().any(|profile| profile.consents.iter().any(|c| c.status == ConsentStatus::OptedIn)));
}

#[test]
fn year_less_dates_are_plain_dates() {
    let date: PartialDate = "--02-29".parse().expect("leap day without a year");
    assert_eq!((date.year(), date.month(), date.day()), (None, 2, 29));
}

fn person(name: &str, company: &str, email: &str, phone: &str) -> CustomerDraft {
    let mut draft = CustomerDraft::named(name);
    draft.company = company.into();
    if !email.is_empty() {
        draft.emails.push(EmailEntry { label: String::new(), address: email.into(), primary: true });
    }
    if !phone.is_empty() {
        draft.phones.push(PhoneEntry {
            label: String::new(),
            number: phone.into(),
            e164: None,
            primary: true,
        });
    }
    draft
}

#[test]
fn the_form_hears_who_a_profile_being_typed_may_duplicate_by_the_importers_rule() {
    use loupe_core::import::MatchReason;
    let (_dir, mut book) = temp_book();
    let grace = book
        .create_customer(person("Grace Wilson", "Acme Ltd", "grace@wilson.example", "07911 100200"))
        .expect("grace")
        .id;
    let tom = book.create_customer(person("Tom Wilson", "", "home@wilson.example", "")).expect("tom").id;
    let desk =
        book.create_customer(person("Reception Desk", "Acme Ltd", "", "020 7946 0000")).expect("desk").id;
    let found = |draft: &CustomerDraft, except: Option<i64>| {
        book.possible_duplicates(draft, except)
            .expect("duplicates")
            .into_iter()
            .map(|d| (d.id, d.reason, d.certain))
            .collect::<Vec<_>>()
    };

    // "G. Wilson" with Grace's exact email and phone: the same person, said once.
    let g = person("G. Wilson", "", "Grace@Wilson.example ", "+44 7911 100200");
    assert_eq!(found(&g, None), [(grace, MatchReason::SameEmail, true)]);
    // Her spouse sharing the home address, a colleague on the switchboard: likely, not certain.
    assert_eq!(
        found(&person("Ann Wilson", "", "home@wilson.example", ""), None),
        [(tom, MatchReason::SameEmail, false)]
    );
    assert_eq!(
        found(&person("Ben Mueller", "", "", "020 7946 0000"), None),
        [(desk, MatchReason::SamePhone, false)]
    );
    // An agreeing name at the same company, told apart from another name there.
    assert_eq!(
        found(&person("Grace Wilson", "ACME LTD", "", ""), None),
        [(grace, MatchReason::SameNameAndCompany, false)]
    );
    assert!(found(&person("Zoe Adams", "Acme Ltd", "", ""), None).is_empty());
    // Half typed: a phone that is not a number yet, an email without its @, nothing at all.
    assert!(found(&person("Grace Wilson", "", "grace@", "0791"), None).is_empty());
    assert!(found(&CustomerDraft::named(""), None).is_empty());
    // Editing Grace herself is not a duplicate of Grace.
    let herself = person("Grace Wilson", "Acme Ltd", "grace@wilson.example", "07911 100200");
    assert!(found(&herself, Some(grace)).is_empty());
}

#[test]
fn the_list_shows_the_primary_email_and_phone_wherever_they_stand() {
    let (_dir, mut book) = temp_book();
    let mut draft = person("Hana Second", "", "hana@old.example", "07400 111111");
    draft.emails.push(EmailEntry {
        label: "work".into(),
        address: "hana@work.example".into(),
        primary: false,
    });
    draft.phones.push(PhoneEntry {
        label: "mobile".into(),
        number: "07400 222222".into(),
        e164: None,
        primary: false,
    });
    draft.emails[0].primary = false;
    draft.emails[1].primary = true;
    draft.phones[0].primary = false;
    draft.phones[1].primary = true;
    let hana = book.create_customer(draft).expect("hana").id;
    let only_first =
        book.create_customer(person("Ivo First", "", "ivo@one.example", "07400 333333")).expect("ivo").id;
    let rows = book.list_customers(&ListQuery::default()).expect("list").rows;
    let row = |id: i64| rows.iter().find(|row| row.id == id).expect("listed");
    assert_eq!(row(hana).primary_email.as_deref(), Some("hana@work.example"));
    assert_eq!(row(hana).primary_phone.as_deref(), Some("07400 222222"));
    assert_eq!(row(only_first).primary_email.as_deref(), Some("ivo@one.example"));
    assert_eq!(row(only_first).primary_phone.as_deref(), Some("07400 333333"));
}

#[test]
fn the_list_shows_every_phone_one_way_and_the_profile_keeps_it_as_typed() {
    let (_dir, mut book) = temp_book();
    for (name, typed) in [
        ("Ann Home", "0044 7400 593 123"),
        ("Ben Home", "+44 7400 997207"),
        ("Cleo Abroad", "0041446681800"),
        ("Dan Abroad", "+86 138 0013 8000"),
    ] {
        book.create_customer(person(name, "", "", typed)).expect(name);
    }
    let listed = |book: &Book| -> Vec<Option<String>> {
        book.list_customers(&ListQuery::default())
            .expect("list")
            .rows
            .into_iter()
            .map(|row| row.primary_phone)
            .collect()
    };
    // A British book: its own numbers in the national form, others in the international one.
    assert_eq!(
        listed(&book),
        [
            Some("07400 593123".into()),
            Some("07400 997207".into()),
            Some("+41 44 668 18 00".into()),
            Some("+86 138 0013 8000".into())
        ]
    );
    let ann = book.customer(1).expect("ann");
    assert_eq!(ann.profile.phones[0].number, "0044 7400 593 123", "the profile keeps the number as typed");

    book.update_settings(&BookSettings {
        default_region: "CH".into(),
        default_currency: "CHF".into(),
        ..Default::default()
    })
    .expect("a Swiss book");
    assert_eq!(
        listed(&book),
        [
            Some("+44 7400 593123".into()),
            Some("+44 7400 997207".into()),
            Some("044 668 18 00".into()),
            Some("+86 138 0013 8000".into())
        ]
    );
}

/// Tags as a book may hold them, written in several cases, with and without accents, one a
/// prefix of another, and the same tag twice on one customer in two cases (an older book or a
/// load may hold it).
const TAG_SPELLINGS: [&str; 12] =
    ["VIP", "vip", "Vip", "fair", "Fair", "fair 2026", "é", "É", "贵宾", "a", "B", "b"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The tag list folded in Rust is the SQL it replaced: each tag ignoring case (ASCII only,
    /// as SQLite's NOCASE), its customers counted once, in the spelling that sorts first, most
    /// used first and then by name ignoring case.
    #[test]
    fn the_tag_list_is_the_sql_grouping_it_replaced(
        customers in proptest::collection::vec(proptest::collection::vec(0..TAG_SPELLINGS.len(), 0..5), 1..12),
    ) {
        let (_dir, mut book) = temp_book();
        let conn = rusqlite::Connection::open(book.path()).expect("open");
        for (index, tags) in customers.iter().enumerate() {
            let id = book.create_customer(CustomerDraft::named(format!("Customer {index}"))).expect("customer").id;
            for (position, tag) in tags.iter().enumerate() {
                conn.execute(
                    "INSERT INTO customer_tags (customer_id, position, tag) VALUES (?1, ?2, ?3)",
                    rusqlite::params![id, position as i64, TAG_SPELLINGS[*tag]],
                )
                .expect("tag");
            }
        }
        let expected: Vec<TagCount> = conn
            .prepare(
                "SELECT min(tag), count(DISTINCT customer_id) AS uses FROM customer_tags
                 GROUP BY tag COLLATE NOCASE ORDER BY uses DESC, tag COLLATE NOCASE",
            )
            .expect("reference")
            .query_map([], |row| Ok(TagCount { tag: row.get(0)?, count: row.get(1)? }))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("reference tags");
        prop_assert_eq!(book.tags().expect("tags"), expected);
    }
}

/// The list's totals of everyone and of each type, which it reads from the counts the writers
/// keep (migration 0019), beside a count of the rows themselves: retail, trade, collector, all.
fn kept_and_counted(book: &Book, path: &std::path::Path) -> ([u32; 4], [u32; 4]) {
    let total = |customer_type: Option<CustomerType>| {
        let filter = CustomerFilter { customer_type, ..CustomerFilter::default() };
        book.list_customers(&ListQuery { filter, limit: 1, ..ListQuery::default() }).expect("list").total
    };
    let kept = [
        total(Some(CustomerType::Retail)),
        total(Some(CustomerType::Trade)),
        total(Some(CustomerType::Collector)),
        total(None),
    ];
    let conn = rusqlite::Connection::open(path).expect("read the book");
    let rows = |condition: &str| -> u32 {
        conn.query_row(&format!("SELECT count(*) FROM customers WHERE {condition}"), [], |row| row.get(0))
            .expect("count")
    };
    let counted = [
        rows("customer_type = 'retail'"),
        rows("customer_type = 'trade'"),
        rows("customer_type = 'collector'"),
        rows("1"),
    ];
    (kept, counted)
}

#[test]
fn the_counts_of_each_type_follow_every_write_that_adds_removes_or_retypes_a_customer() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("book.sqlite3");
    let mut book = Book::open(&path).expect("book");
    let create = |book: &mut Book, name: &str, customer_type: CustomerType, email: &str| {
        let mut draft = CustomerDraft::named(name);
        draft.customer_type = customer_type;
        draft.emails = vec![EmailEntry { label: String::new(), address: email.into(), primary: true }];
        book.create_customer(draft).expect("create").id
    };
    let ann = create(&mut book, "Ann Archer", CustomerType::Retail, "ann@example.com");
    let bob = create(&mut book, "Bob Baker", CustomerType::Trade, "bob@example.com");
    let cleo = create(&mut book, "Cleo Cole", CustomerType::Collector, "cleo@example.com");
    let dora = create(&mut book, "Dora Dean", CustomerType::Trade, "dora@example.com");
    let counts = |book: &Book| {
        let (kept, counted) = kept_and_counted(book, &path);
        assert_eq!(kept, counted, "the kept counts (left) against the rows (right)");
        kept
    };
    assert_eq!(counts(&book), [1, 2, 1, 4]);

    // A change of type moves Bob; an edit that keeps it, and an edit of nobody, move no one.
    let retyped = |book: &mut Book, id: i64, customer_type: CustomerType| {
        let mut draft = book.customer(id).expect("customer").profile;
        draft.customer_type = customer_type;
        book.update_customer(id, draft)
    };
    retyped(&mut book, bob, CustomerType::Collector).expect("retype");
    assert_eq!(counts(&book), [1, 1, 2, 4]);
    retyped(&mut book, bob, CustomerType::Collector).expect("same type");
    assert!(matches!(
        book.update_customer(9_999, CustomerDraft::named("Nobody")),
        Err(Error::NotFound { .. })
    ));
    assert_eq!(counts(&book), [1, 1, 2, 4]);

    // A delete, and a delete of someone already gone.
    book.delete_customer(dora).expect("delete");
    assert!(matches!(book.delete_customer(dora), Err(Error::NotFound { .. })));
    assert_eq!(counts(&book), [1, 0, 2, 3]);

    // A contacts import creates retail customers and merges Ann without moving her; its undo
    // takes its newcomers away again.
    let file = dir.path().join("visitors.csv");
    std::fs::write(
        &file,
        "Name,Email\nEve Evans,eve@example.com\nFay Fox,fay@example.com\nAnn Archer,ann@example.com\n",
    )
    .expect("file");
    let import = book
        .commit_import(&file, &loupe_core::import::ImportOptions::default(), &AtomicBool::new(false), |_| {})
        .expect("import");
    assert_eq!((import.created, import.merged), (2, 1));
    assert_eq!(counts(&book), [3, 0, 2, 5]);
    book.undo_import(import.batch_id).expect("undo the import");
    assert_eq!(counts(&book), [1, 0, 2, 3]);

    // A merge of a collector into a retail customer keeps the retail one; its undo brings the
    // collector back.
    let merge = book.merge_customers(ann, cleo).expect("merge");
    assert_eq!(counts(&book), [1, 0, 1, 2]);
    book.undo_merge(merge.id).expect("undo the merge");
    assert_eq!(counts(&book), [1, 0, 2, 3]);

    // An erasure.
    book.erase_customer(cleo).expect("erase");
    assert_eq!(counts(&book), [1, 0, 1, 2]);

    // A restore brings the backup's counts with its customers.
    let backup = book.back_up(BackupKind::Manual, |_| {}).expect("backup");
    create(&mut book, "Gus Grant", CustomerType::Trade, "gus@example.com");
    assert_eq!(counts(&book), [1, 1, 1, 3]);
    book.restore_backup(std::path::Path::new(&backup.path), |_| {}).expect("restore");
    assert_eq!(counts(&book), [1, 0, 1, 2]);

    // A moved book counts what it loaded, into an empty book or beside another's customers.
    let folder = dir.path().join("export");
    book.export_book(&folder, &AtomicBool::new(false), |_| {}).expect("export");
    let moved_path = dir.path().join("moved.sqlite3");
    let mut moved = Book::open(&moved_path).expect("new book");
    moved.import_book(&folder, &BookImportOptions::default(), &AtomicBool::new(false), |_| {}).expect("load");
    assert_eq!(kept_and_counted(&moved, &moved_path), ([1, 0, 1, 2], [1, 0, 1, 2]));
    let other_path = dir.path().join("other.sqlite3");
    let mut other = Book::open(&other_path).expect("other book");
    create(&mut other, "Ann Archer", CustomerType::Trade, "ann@example.com");
    create(&mut other, "Hal Hart", CustomerType::Trade, "hal@example.com");
    other
        .import_book(&folder, &BookImportOptions { merge: true }, &AtomicBool::new(false), |_| {})
        .expect("merge the book");
    // Ann matched by her email and kept this book's type; Bob came in as a collector.
    assert_eq!(kept_and_counted(&other, &other_path), ([0, 2, 1, 3], [0, 2, 1, 3]));
}

#[test]
fn a_book_from_before_the_kept_counts_is_counted_once_opened() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("book.sqlite3");
    loupe_core::create_book_at_schema(&path, 18).expect("a book of version 18");
    rusqlite::Connection::open(&path)
        .expect("open")
        .execute_batch(
            "INSERT INTO customers (full_name, sort_name, customer_type, created_at, updated_at) VALUES
                ('Ann Archer', 'archer ann', 'retail', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z'),
                ('Bob Baker', 'baker bob', 'trade', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z'),
                ('Cleo Cole', 'cole cleo', 'retail', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z');",
        )
        .expect("customers of an older Loupe");
    let book = Book::open(&path).expect("upgrade");
    assert_eq!(kept_and_counted(&book, &path), ([2, 1, 0, 3], [2, 1, 0, 3]));
}
