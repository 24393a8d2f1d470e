//! One search box: names in any script and accent, emails, phone digits in any format,
//! companies and tags, best matches first.

use loupe_core::Book;
use loupe_core::model::*;

fn book_with(people: &[(&str, &str, &str, &str, &str)]) -> Book {
    let mut book = Book::open_in_memory().expect("book");
    for (name, email, phone, company, tag) in people {
        let mut draft = CustomerDraft::named(*name);
        if !email.is_empty() {
            draft.emails.push(EmailEntry { label: String::new(), address: (*email).into(), primary: true });
        }
        if !phone.is_empty() {
            draft.phones.push(PhoneEntry {
                label: String::new(),
                number: (*phone).into(),
                e164: None,
                primary: true,
            });
        }
        draft.company = (*company).into();
        if !tag.is_empty() {
            draft.tags.push((*tag).into());
        }
        book.create_customer(draft).expect("create");
    }
    book
}

fn names(book: &Book, query: &str) -> Vec<String> {
    book.search_customers(query, 20).expect("search").into_iter().map(|row| row.full_name).collect()
}

fn sample() -> Book {
    book_with(&[
        ("Zoë Müller", "zoe.mueller@example.de", "+49 1512 3456789", "", "VIP"),
        ("王小明", "xiaoming@qq.example.cn", "+86 131 2345 6789", "周大福珠宝", ""),
        ("Anna Smith", "anna@example.com", "07400 654321", "Hatton Garden Watches Ltd", "bridal"),
        ("Joanna Annable", "jo@example.com", "", "", ""),
        ("Annabel Lee", "", "+44 (0)20 7123 4567", "Nestlé", "newsletter"),
    ])
}

#[test]
fn finds_names_by_any_part_accent_insensitively() {
    let book = sample();
    assert_eq!(names(&book, "mull"), ["Zoë Müller"]);
    assert_eq!(names(&book, "MÜLLER"), ["Zoë Müller"]);
    assert_eq!(names(&book, "zoe"), ["Zoë Müller"]);
    assert_eq!(names(&book, "smith anna"), ["Anna Smith"]);
}

#[test]
fn finds_chinese_names_by_any_characters() {
    let book = sample();
    assert_eq!(names(&book, "王小明"), ["王小明"]);
    assert_eq!(names(&book, "小明"), ["王小明"]);
    assert_eq!(names(&book, "明"), ["王小明"]);
    assert!(names(&book, "明小").is_empty(), "characters must be in order");
    assert_eq!(names(&book, "周大福"), ["王小明"], "Chinese company");
}

#[test]
fn finds_phones_by_digits_whatever_the_formatting() {
    let book = sample();
    for query in
        ["07400 654321", "+44 7400 654321", "0044 7400 654321", "(07400) 654-321", "654321", "7400 65"]
    {
        assert_eq!(names(&book, query), ["Anna Smith"], "{query}");
    }
    assert_eq!(names(&book, "020 7123 4567"), ["Annabel Lee"]);
    assert_eq!(names(&book, "020 7123"), ["Annabel Lee"], "national form of a number typed internationally");
    assert_eq!(names(&book, "131 2345"), ["王小明"]);
}

#[test]
fn finds_emails_companies_and_tags() {
    let book = sample();
    assert_eq!(names(&book, "zoe.mueller@example"), ["Zoë Müller"]);
    assert_eq!(names(&book, "ANNA@EXAMPLE.COM"), ["Anna Smith"]);
    assert_eq!(names(&book, "hatton garden"), ["Anna Smith"]);
    assert_eq!(names(&book, "nestle"), ["Annabel Lee"]);
    assert_eq!(names(&book, "newsletter"), ["Annabel Lee"]);
}

#[test]
fn ranks_exact_then_prefix_then_word_matches() {
    let book = sample();
    assert_eq!(names(&book, "anna"), ["Anna Smith", "Annabel Lee", "Joanna Annable"]);
}

#[test]
fn nonsense_and_empty_queries_find_nothing() {
    let book = sample();
    assert!(names(&book, "").is_empty());
    assert!(names(&book, "\"*) OR (").is_empty());
    assert!(names(&book, "xyzzy").is_empty());
}

#[test]
fn limits_are_bounded() {
    let book = sample();
    assert_eq!(book.search_customers("example", 0).expect("search").len(), 1, "at least one result");
    assert_eq!(book.search_customers("example", usize::MAX).expect("search").len(), 4);
}

#[test]
fn broad_queries_on_a_big_book_still_list_names_starting_with_the_text() {
    let mut book = Book::open_in_memory().expect("book");
    book.generate_demo(3000, 3000, 5, |_| {}).expect("demo");
    let rows = book.search_customers("a", 20).expect("search");
    assert_eq!(rows.len(), 20);
    let folded: Vec<String> = rows.iter().map(|row| loupe_core::fold::sort_key(&row.full_name)).collect();
    assert!(folded.iter().all(|name| name.split(' ').any(|word| word.starts_with('a'))), "{folded:?}");
}

fn chinese_and_latin() -> Book {
    book_with(&[
        ("王丽", "li.wang@qq.example.cn", "", "", ""),
        ("王力宏", "", "", "", ""),
        ("李旺", "", "", "", ""),
        ("Wang Wei", "", "", "", ""),
        ("单田芳", "", "", "", ""),
        ("吕娜", "", "", "", ""),
        ("王小明", "", "", "", ""),
        ("Li Na", "", "", "", ""),
        ("李娜", "", "", "", ""),
    ])
}

#[test]
fn finds_chinese_names_by_pinyin_with_or_without_spaces_and_tones() {
    let book = chinese_and_latin();
    // The exact spelling first, then the names it begins, then those holding each syllable.
    assert_eq!(names(&book, "wang li"), ["王丽", "王力宏", "李旺"]);
    assert_eq!(names(&book, "wangli"), ["王丽", "王力宏"]);
    assert_eq!(names(&book, "wáng lì"), ["王丽", "王力宏", "李旺"]);
    assert_eq!(names(&book, "WangLi"), ["王丽", "王力宏"]);
    assert_eq!(names(&book, "wanglih"), ["王力宏"]);
    // By the initials of the whole name, and by the given name alone.
    assert_eq!(names(&book, "wl"), ["王丽", "王力宏"]);
    assert_eq!(names(&book, "wlh"), ["王力宏"]);
    assert_eq!(names(&book, "xiaoming"), ["王小明"]);
    assert_eq!(names(&book, "xiao ming"), ["王小明"]);
    // A family name read otherwise as a family name, either way; ü typed as v.
    assert_eq!(names(&book, "shan tianfang"), ["单田芳"]);
    assert_eq!(names(&book, "dan tian fang"), ["单田芳"]);
    assert_eq!(names(&book, "lvna"), ["吕娜"]);
    // Syllables in order: "li wang" is 李旺 first, not 王丽.
    assert_eq!(names(&book, "liwang"), ["李旺"]);
    assert!(names(&book, "wangx").iter().all(|name| name == "王小明"));
    assert!(names(&book, "wlx").is_empty());
}

#[test]
fn a_name_written_as_typed_ranks_before_a_pinyin_match() {
    let book = chinese_and_latin();
    assert_eq!(names(&book, "li na"), ["Li Na", "李娜"]);
    assert_eq!(names(&book, "wang"), ["Wang Wei", "王丽", "王力宏", "王小明", "李旺"]);
    // Characters find characters only, as before.
    assert_eq!(names(&book, "王"), ["王丽", "王力宏", "王小明"]);
    assert_eq!(names(&book, "李娜"), ["李娜"]);
}

#[test]
fn a_pinyin_search_counts_the_same_customers_as_the_list() {
    let book = chinese_and_latin();
    let counted = book.count_matches("wang li").expect("count");
    let listed = book
        .list_customers(&ListQuery { filter: searching("wang li"), ..ListQuery::default() })
        .expect("list");
    assert_eq!((counted, listed.total), (3, 3));
}

#[test]
fn an_erased_customer_is_not_found_by_the_pinyin_of_their_name() {
    let mut book = chinese_and_latin();
    let id = book.search_customers("王丽", 1).expect("search")[0].id;
    book.erase_customer(id).expect("erase");
    assert_eq!(names(&book, "wangli"), ["王力宏"]);
    assert_eq!(names(&book, "wl"), ["王力宏"]);
}

#[test]
fn a_book_from_before_pinyin_finds_its_chinese_names_by_pinyin_once_opened() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("book.sqlite3");
    let mut book = Book::open(&path).expect("book");
    book.create_customer(CustomerDraft::named("王丽")).expect("create");
    book.create_customer(CustomerDraft::named("Anna Smith")).expect("create");
    drop(book);
    // As version 13 left it: the characters indexed, no pinyin.
    let conn = rusqlite::Connection::open(&path).expect("open");
    let unspelled = conn
        .execute("UPDATE customer_search SET name = '王 丽' WHERE name = '王 丽 wang li wangli wl'", [])
        .expect("unspell");
    assert_eq!(unspelled, 1);
    crate::list_orders::without_list_copies(&conn);
    conn.execute_batch(
        "DROP INDEX customers_spend_ascending; DROP TABLE search_digits; PRAGMA user_version = 13;",
    )
    .expect("make it a version-13 book");
    drop(conn);

    let book = Book::open(&path).expect("migrated");
    assert_eq!(names(&book, "wangli"), ["王丽"]);
    assert_eq!(names(&book, "wl"), ["王丽"]);
    assert_eq!(names(&book, "王丽"), ["王丽"]);
    assert_eq!(names(&book, "anna"), ["Anna Smith"]);
}

/// How many customers the search box counts for `text`, and the customers the list filtered
/// by it holds (sorted by id): always the same customers.
fn counted_and_listed(book: &Book, text: &str) -> (u32, Vec<String>) {
    let total = book.count_matches(text).expect("count");
    let query = ListQuery { filter: searching(text), limit: 500, ..ListQuery::default() };
    let page = book.list_customers(&query).expect("list");
    assert_eq!(page.total, total, "the list holds what the search box counted for {text:?}");
    let mut names: Vec<String> = page.rows.into_iter().map(|row| row.full_name).collect();
    names.sort();
    (total, names)
}

#[test]
fn each_customer_is_counted_once_however_many_of_their_digits_match() {
    let mut book = book_with(&[
        // Colleagues on one switchboard number: two customers, one number.
        ("Anna Smith", "", "+44 20 7946 0000", "Hatton Garden Watches Ltd", ""),
        ("Ben Mueller", "", "020 7946 0000", "Hatton Garden Watches Ltd", ""),
        // "447" three times in one number, and a second phone below.
        ("Carla Rossi", "", "+44 7447 447123", "", ""),
        // Digits in an email as well as a phone of the same customer.
        ("Dev Patel", "07946123@example.com", "07946 123456", "", ""),
        ("Eve Other", "", "+41 44 668 18 00", "", ""),
    ]);
    let carla = book.search_customers("carla", 1).expect("search")[0].id;
    let mut draft = book.customer(carla).expect("carla").profile;
    draft.phones.push(PhoneEntry {
        label: String::new(),
        number: "07946 654321".into(),
        e164: None,
        primary: false,
    });
    book.update_customer(carla, draft).expect("second phone");

    assert_eq!(
        counted_and_listed(&book, "020 7946 0000"),
        (2, vec!["Anna Smith".into(), "Ben Mueller".into()])
    );
    assert_eq!(
        counted_and_listed(&book, "7946"),
        (4, vec!["Anna Smith".into(), "Ben Mueller".into(), "Carla Rossi".into(), "Dev Patel".into()])
    );
    assert_eq!(
        counted_and_listed(&book, "447"),
        (2, vec!["Carla Rossi".into(), "Dev Patel".into()]),
        "British mobiles: Carla's holds the digits twice"
    );
    assert_eq!(counted_and_listed(&book, "07447"), (1, vec!["Carla Rossi".into()]), "the national form");
    assert_eq!(
        counted_and_listed(&book, "0794").0,
        4,
        "in Anna's and Ben's 020 7946, Carla's second phone, Dev's phone and email"
    );
    assert_eq!(counted_and_listed(&book, "07946123"), (1, vec!["Dev Patel".into()]), "email and phone alike");
    assert_eq!(counted_and_listed(&book, "447123"), (1, vec!["Carla Rossi".into()]));
    assert_eq!(counted_and_listed(&book, "668 18"), (1, vec!["Eve Other".into()]));
    assert_eq!(counted_and_listed(&book, "999"), (0, vec![]));
    // Digits typed among words: the words, and the digits in a phone or the text.
    assert_eq!(
        counted_and_listed(&book, "hatton 7946"),
        (2, vec!["Anna Smith".into(), "Ben Mueller".into()])
    );
    assert_eq!(counted_and_listed(&book, "smith 7946"), (1, vec!["Anna Smith".into()]));
    assert_eq!(counted_and_listed(&book, "rossi 654"), (1, vec!["Carla Rossi".into()]));
    // A phone is found by three of its digits or more: fewer find words beginning with them.
    assert_eq!(counted_and_listed(&book, "rossi 65"), (0, vec![]), "two digits of a phone");
    assert_eq!(
        counted_and_listed(&book, "07"),
        (1, vec!["Dev Patel".into()]),
        "his email, not every 07 number"
    );
    assert_eq!(counted_and_listed(&book, "rossi 99"), (0, vec![]));
    // A phone changed or removed leaves no trace of the old digits.
    let mut draft = book.customer(carla).expect("carla").profile;
    draft.phones.truncate(1);
    book.update_customer(carla, draft).expect("one phone");
    assert_eq!(counted_and_listed(&book, "654321"), (0, vec![]));
    assert_eq!(counted_and_listed(&book, "7946").0, 3, "Carla no longer");
    assert_eq!(counted_and_listed(&book, "447123"), (1, vec!["Carla Rossi".into()]));
}

#[test]
fn a_book_from_before_search_digits_finds_phones_once_opened() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("book.sqlite3");
    let mut book = Book::open(&path).expect("book");
    let mut draft = CustomerDraft::named("Anna Smith");
    draft.phones.push(PhoneEntry {
        label: String::new(),
        number: "07400 654321".into(),
        e164: None,
        primary: true,
    });
    draft.emails.push(EmailEntry { label: String::new(), address: "anna@example.com".into(), primary: true });
    book.create_customer(draft).expect("create");
    book.create_customer(CustomerDraft::named("王丽")).expect("create");
    drop(book);
    // As version 15 left it: the digit suffixes in the documents, no table of them.
    let conn = rusqlite::Connection::open(&path).expect("open");
    let rewritten = conn
        .execute(
            "UPDATE customer_search SET other = other || ' 07400654321 447400654321 7400654321 654321 321'
             WHERE name = 'anna smith'",
            [],
        )
        .expect("as version 15 wrote it");
    assert_eq!(rewritten, 1);
    crate::list_orders::without_list_copies(&conn);
    conn.execute_batch("DROP TABLE search_digits; PRAGMA user_version = 15;")
        .expect("make it a version-15 book");
    drop(conn);

    let book = Book::open(&path).expect("migrated");
    for digits in ["654321", "07400 654321", "+44 7400 65"] {
        assert_eq!(names(&book, digits), ["Anna Smith"], "{digits}");
    }
    assert_eq!(names(&book, "anna@example"), ["Anna Smith"]);
    assert_eq!(names(&book, "wangli"), ["王丽"]);
    drop(book);
    let conn = rusqlite::Connection::open(&path).expect("open");
    let other: String = conn
        .query_row("SELECT other FROM customer_search WHERE name = 'anna smith'", [], |row| row.get(0))
        .expect("document");
    assert_eq!(other, "anna example com", "the digits left the text index");
    let rows: i64 = conn.query_row("SELECT count(*) FROM search_digits", [], |row| row.get(0)).expect("rows");
    assert_eq!(rows, 11, "07400654321, and 447400654321 with its 9 suffixes of 3 digits or more");
}

fn piece(brand: &str, model: &str, reference: &str, serial: &str) -> PurchaseItem {
    PurchaseItem {
        brand: brand.into(),
        model: model.into(),
        reference_number: reference.into(),
        serial_number: serial.into(),
        ..PurchaseItem::priced("9150".parse().expect("price"))
    }
}

fn sell(book: &mut Book, customer: i64, on: &str, items: Vec<PurchaseItem>) -> i64 {
    let draft = PurchaseDraft {
        purchased_on: on.parse().expect("date"),
        currency: String::new(),
        channel: SaleChannel::InStore,
        salesperson: String::new(),
        notes: String::new(),
        items,
        payments: Vec::new(),
        trade_ins: Vec::new(),
        collected_on: None,
        redemption: None,
    }
    .paid_in_full(PaymentMethod::Card);
    book.add_purchase(customer, draft).expect("sale").id
}

/// Nineteen buyers of one IWC reference (and one of another), a Royal Oak and customers who
/// bought nothing.
fn shop() -> (Book, Vec<i64>) {
    let mut book = Book::open_in_memory().expect("book");
    let mut buyers = Vec::new();
    for n in 0..19 {
        let customer_type = if n % 3 == 0 { CustomerType::Collector } else { CustomerType::Retail };
        let draft =
            CustomerDraft { customer_type, ..CustomerDraft::named(format!("Buyer {n:02} Portugieser")) };
        let id = book.create_customer(draft).expect("buyer").id;
        let on = format!("2025-{:02}-10", n % 12 + 1);
        sell(&mut book, id, &on, vec![piece("IWC", "Portugieser", "IW371605", &format!("S{n:03}"))]);
        buyers.push(id);
    }
    let other = book.create_customer(CustomerDraft::named("Vera Other")).expect("other").id;
    sell(&mut book, other, "2024-01-05", vec![piece("IWC", "Pilot", "IW377709", "P1")]);
    for name in ["Nobody Bought", "Anna Portugal"] {
        book.create_customer(CustomerDraft::named(name)).expect("customer");
    }
    (book, buyers)
}

#[test]
fn the_search_counts_every_match_not_only_those_it_shows() {
    let (book, buyers) = shop();
    let found = book.search("IW371605", 8).expect("search");
    assert_eq!((found.customers.len(), found.more), (8, true));
    assert_eq!(book.count_matches("IW371605").expect("count"), 19);
    assert!(found.customers.iter().all(|row| buyers.contains(&row.id)));
    assert_eq!(book.count_matches("IW37").expect("count"), 20, "a prefix finds both references");
    assert_eq!(book.count_matches("portug").expect("count"), 20, "names and models alike");
    assert_eq!(book.count_matches("xyzzy").expect("count"), 0);
    assert_eq!(book.count_matches(" -- ").expect("count"), 0);
    assert_eq!(
        book.search(" -- ", 8).expect("search"),
        SearchResults { customers: vec![], more: false, pieces: vec![] }
    );
}

#[test]
fn the_search_says_more_match_exactly_when_it_shows_fewer_than_match() {
    let (book, _) = shop();
    // 19 buyers of one reference: shown all at 19 and more, not at 18.
    for (limit, more) in [(18, true), (19, false), (20, false)] {
        let found = book.search("IW371605", limit).expect("search");
        assert_eq!(found.more, more, "limit {limit}");
        assert_eq!(found.customers.len(), limit.min(19), "limit {limit}");
    }
    let found = book.search("xyzzy", 3).expect("search");
    assert_eq!((found.customers.len(), found.more), (0, false));
    // The same rule through the phone digits and through words and digits together.
    let book = sample();
    let shown = |text: &str, limit| {
        let found = book.search(text, limit).expect("search");
        (found.customers.len(), found.more, book.count_matches(text).expect("count"))
    };
    assert_eq!(shown("123", 2), (2, true, 3), "three numbers hold 123");
    assert_eq!(shown("123", 3), (3, false, 3));
    assert_eq!(shown("anna 654321", 1), (1, false, 1));
    assert_eq!(shown("anna", 2), (2, true, 3));
}

#[test]
fn the_list_filtered_by_a_search_holds_exactly_what_the_search_counted_in_every_order() {
    let (book, buyers) = shop();
    for text in ["IW371605", "IW37", "portug", "buyer 1", "xyzzy"] {
        let total = book.count_matches(text).expect("count");
        for sort in ListSort::ALL {
            for descending in [false, true] {
                let query =
                    ListQuery { sort: *sort, descending, filter: searching(text), ..ListQuery::default() };
                let page = book.list_customers(&query).expect("list");
                assert_eq!(page.total, total, "{text} by {sort} descending={descending}");
                assert_eq!(page.rows.len() as u32, total, "{text} by {sort}");
            }
        }
    }
    let by_name = |descending| {
        let query = ListQuery { descending, filter: searching("IW371605"), ..ListQuery::default() };
        book.list_customers(&query).expect("list").rows.into_iter().map(|row| row.id).collect::<Vec<_>>()
    };
    assert_eq!(by_name(false), buyers, "the list's own order: by name");
    assert_eq!(by_name(true), buyers.iter().rev().copied().collect::<Vec<_>>());
    // The search combines with the type filter, and pages like any other list.
    let collectors = ListQuery {
        filter: CustomerFilter { customer_type: Some(CustomerType::Collector), ..searching("IW371605") },
        ..ListQuery::default()
    };
    assert_eq!(book.list_customers(&collectors).expect("list").total, 7);
    let second_page =
        ListQuery { filter: searching("IW371605"), offset: 15, limit: 10, ..ListQuery::default() };
    let page = book.list_customers(&second_page).expect("list");
    assert_eq!((page.total, page.rows.len()), (19, 4));
    // Text that holds nothing to search for matches nobody; none at all is no filter.
    let nothing = ListQuery { filter: searching(" -- "), ..ListQuery::default() };
    assert_eq!(book.list_customers(&nothing).expect("list").total, 0);
    let blank = ListQuery { filter: searching("  "), ..ListQuery::default() };
    assert_eq!(book.list_customers(&blank).expect("list").total, 22);
}

#[test]
fn a_phone_search_counts_the_same_customers_as_the_list() {
    let book = sample();
    let found = book.search("0044 7400 654321", 8).expect("search");
    assert_eq!((found.customers.len(), found.more), (1, false));
    assert_eq!(book.count_matches("0044 7400 654321").expect("count"), 1);
    let query = ListQuery { filter: searching("0044 7400 654321"), ..ListQuery::default() };
    assert_eq!(book.list_customers(&query).expect("list").rows[0].full_name, "Anna Smith");
}

#[test]
fn pieces_are_found_by_serial_and_reference_serials_first_newest_first() {
    let mut book = Book::open_in_memory().expect("book");
    let grace = book.create_customer(CustomerDraft::named("Grace Wilson")).expect("grace").id;
    let tom = book.create_customer(CustomerDraft::named("Tom Baker")).expect("tom").id;
    let royal_oak = sell(
        &mut book,
        grace,
        "2025-06-16",
        vec![piece("Audemars Piguet", "Royal Oak", "15500ST", "K0010008"), piece("", "", "", "")],
    );
    let older =
        sell(&mut book, tom, "2021-03-01", vec![piece("Audemars Piguet", "Royal Oak", "15500ST", "H1")]);
    // A reference that begins like the serial: the serial match still comes first.
    let newer = sell(&mut book, tom, "2026-01-20", vec![piece("Omega", "Speedmaster", "K00100", "X9")]);

    let found = book.search("K0010008", 8).expect("search");
    assert_eq!(found.pieces.len(), 1);
    let owned = &found.pieces[0];
    assert_eq!(
        (owned.purchase_id, owned.customer_id, owned.owner.as_str(), owned.matched),
        (royal_oak, grace, "Grace Wilson", PieceField::Serial)
    );
    assert_eq!(owned.sold_on.to_string(), "2025-06-16");
    assert_eq!((owned.model.as_str(), owned.serial_number.as_str()), ("Royal Oak", "K0010008"));

    let prefix = book.search("k00100", 8).expect("search");
    let order: Vec<(i64, PieceField)> = prefix.pieces.iter().map(|p| (p.purchase_id, p.matched)).collect();
    assert_eq!(order, [(royal_oak, PieceField::Serial), (newer, PieceField::Reference)]);

    let by_reference = book.search("15500", 8).expect("search");
    let order: Vec<i64> = by_reference.pieces.iter().map(|p| p.purchase_id).collect();
    assert_eq!(order, [royal_oak, older], "newest sale first");
    assert!(by_reference.pieces.iter().all(|p| p.matched == PieceField::Reference));

    // A brand or model with the number narrows it; a brand alone or a name is no piece.
    let narrowed = book.search("omega k001", 8).expect("search");
    assert_eq!(narrowed.pieces.iter().map(|p| p.purchase_id).collect::<Vec<_>>(), [newer]);
    assert!(book.search("royal oak", 8).expect("search").pieces.is_empty());
    assert!(book.search("grace", 8).expect("search").pieces.is_empty());
    assert!(book.search("k0", 8).expect("search").pieces.is_empty(), "two characters find no piece");
    assert_eq!(book.search("15500", 1).expect("search").pieces.len(), 1, "at most the limit");
}

#[test]
fn a_reference_typed_with_its_punctuation_or_without_finds_the_piece() {
    let mut book = Book::open_in_memory().expect("book");
    let id = book.create_customer(CustomerDraft::named("Lena Vogt")).expect("lena").id;
    let sale =
        sell(&mut book, id, "2024-11-02", vec![piece("Omega", "Seamaster", "310.30.42.50.01.001", "")]);
    for query in ["310.30.42", "310 30 42 50", "310.30.42.50.01.001"] {
        let found = book.search(query, 8).expect("search");
        assert_eq!(found.pieces.iter().map(|p| p.purchase_id).collect::<Vec<_>>(), [sale], "{query}");
    }
    assert!(book.search("30.42.51", 8).expect("search").pieces.is_empty());
}

fn searching(text: &str) -> CustomerFilter {
    CustomerFilter { search: Some(text.into()), ..CustomerFilter::default() }
}
