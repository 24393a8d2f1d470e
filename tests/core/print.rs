//! Printing: labels, receipts and cards as PDF, read back with poppler's pdftotext and pdfinfo
//! (`poppler-utils`, which `.ci/install-deps test` installs): the pages, their size, the order
//! of address lines, the words in the customer's language, and text that looks like typst
//! markup printed as it is.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;
use loupe_core::model::*;
use loupe_core::problem::Problem;
use loupe_core::{Book, Error};
use rust_decimal::Decimal;

fn date(text: &str) -> NaiveDate {
    text.parse().expect("date")
}

fn amount(text: &str) -> Decimal {
    text.parse().expect("decimal")
}

/// Runs a poppler tool; a machine without it fails the test, never skips it.
fn poppler(tool: &str, args: &[&str]) -> String {
    let output = Command::new(tool).args(args).output().unwrap_or_else(|error| {
        panic!("{tool} could not run ({error}): install poppler-utils (.ci/install-deps test does)")
    });
    assert!(output.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("utf-8")
}

/// The text of each page, laid out as on the page.
fn pages(pdf: &Path) -> Vec<String> {
    let text = poppler("pdftotext", &["-layout", pdf.to_str().expect("path"), "-"]);
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    // pdftotext ends every page with a form feed, the last one too.
    assert_eq!(pages.pop().as_deref(), Some(""), "{text}");
    pages
}

/// The page's lines with their text, blank ones left out and spaces around trimmed.
fn lines(page: &str) -> Vec<String> {
    page.lines().map(str::trim).filter(|line| !line.is_empty()).map(str::to_owned).collect()
}

/// "595.276 x 841.89 pts (A4)" from pdfinfo, as the two numbers rounded to a point.
fn page_size(pdf: &Path) -> (i64, i64) {
    let info = poppler("pdfinfo", &[pdf.to_str().expect("path")]);
    let size = info.lines().find_map(|line| line.strip_prefix("Page size:")).expect("page size");
    let numbers: Vec<f64> = size.split_whitespace().filter_map(|word| word.parse().ok()).collect();
    (numbers[0].round() as i64, numbers[1].round() as i64)
}

fn post_consent(status: ConsentStatus) -> Consent {
    Consent { channel: Channel::Post, status, date: Some(date("2026-03-01")), source: "shop counter".into() }
}

fn address(street: &str, city: &str, region: &str, postcode: &str, country: &str) -> AddressEntry {
    AddressEntry {
        street: street.into(),
        city: city.into(),
        region: region.into(),
        postal_code: postcode.into(),
        country: country.into(),
        primary: true,
        ..AddressEntry::default()
    }
}

fn add_post_customer(book: &mut Book, name: &str, address: AddressEntry, status: ConsentStatus) -> i64 {
    book.create_customer(CustomerDraft {
        addresses: vec![address],
        consents: vec![post_consent(status)],
        ..CustomerDraft::named(name)
    })
    .expect("customer")
    .id
}

const LONG_STREET: &str =
    "Apartment 1207, The Old Watchmakers' Guild Residences, 1234 Extraordinarily Long Boulevard of Horology";
/// A name that is typst markup if ever spliced into a template.
const MARKUP_NAME: &str = "#set text(red) ] *Bold* $x$ @ref";

/// Six customers with addresses of every convention and `fillers` more in London, all opted in
/// to post; one more who refused post and one who was never asked.
fn mailing_book(fillers: usize) -> Book {
    let mut book = Book::open_in_memory().expect("book");
    let opted_in = ConsentStatus::OptedIn;
    add_post_customer(
        &mut book,
        "Ann Archer",
        address("1 Bond Street\nFlat 2", "London", "", "W1S 1AA", "GB"),
        opted_in,
    );
    add_post_customer(
        &mut book,
        "Bob Baker",
        address("12 Main St", "Springfield", "IL", "62701", "US"),
        opted_in,
    );
    add_post_customer(
        &mut book,
        "Dieter Müller",
        address("Hauptstraße 5", "Berlin", "", "10115", "DE"),
        opted_in,
    );
    add_post_customer(&mut book, "陈伟", address("南京东路100号", "上海市", "", "200001", "CN"), opted_in);
    add_post_customer(&mut book, "Lena Long", address(LONG_STREET, "Bath", "", "BA1 1AA", "GB"), opted_in);
    add_post_customer(&mut book, MARKUP_NAME, address("2 Quay Road", "Leeds", "", "LS1 1AA", "GB"), opted_in);
    add_post_customer(
        &mut book,
        "Rita Refuser",
        address("9 No Road", "York", "", "YO1 1AA", "GB"),
        ConsentStatus::OptedOut,
    );
    book.create_customer(CustomerDraft {
        addresses: vec![address("8 Silent Lane", "York", "", "YO1 2AA", "GB")],
        ..CustomerDraft::named("Una Unasked")
    })
    .expect("unasked");
    for number in 1..=fillers {
        let street = format!("{number} Filler Row");
        add_post_customer(
            &mut book,
            &format!("Filler {number:02}"),
            address(&street, "London", "", "E1 6AN", "GB"),
            opted_in,
        );
    }
    book
}

fn post_list() -> MailingFilter {
    MailingFilter { channel: MailingChannel::Post, audience: CustomerFilter::default() }
}

fn print_labels(book: &Book, layout: LabelLayout, out: &Path) -> LabelsExport {
    let mut reports = Vec::new();
    let printed = book
        .export_labels(&post_list(), layout, out, &AtomicBool::new(false), |progress| reports.push(progress))
        .expect("labels");
    let total = u64::from(printed.labels);
    assert_eq!(reports.first(), Some(&JobProgress { done: 0, total }));
    assert_eq!(reports.last(), Some(&JobProgress { done: total, total }));
    printed
}

/// How many of `names` each page holds.
fn names_per_page(pages: &[String], names: &[String]) -> Vec<usize> {
    pages.iter().map(|page| names.iter().filter(|name| page.contains(name.as_str())).count()).collect()
}

fn everyone_listed(fillers: usize) -> Vec<String> {
    let mut names: Vec<String> =
        ["Ann Archer", "Bob Baker", "Dieter Müller", "陈伟", "Lena Long", MARKUP_NAME]
            .map(String::from)
            .into();
    names.extend((1..=fillers).map(|number| format!("Filler {number:02}")));
    names
}

#[test]
fn l7160_sheets_hold_21_labels_of_exactly_the_postal_list() {
    let book = mailing_book(16);
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("labels.pdf");
    let printed = print_labels(&book, LabelLayout::L7160, &out);
    assert_eq!((printed.labels, printed.pages), (22, 2));
    assert_eq!((printed.excluded_no_consent, printed.excluded_no_address), (2, 0));
    assert_eq!(page_size(&out), (595, 842), "A4");

    let pages = pages(&out);
    assert_eq!(names_per_page(&pages, &everyone_listed(16)), [21, 1]);
    let all = pages.concat();
    for absent in ["Rita Refuser", "Una Unasked", "9 No Road", "8 Silent Lane"] {
        assert!(!all.contains(absent), "{absent} is not on the postal list");
    }
    assert!(all.contains(MARKUP_NAME), "the name prints as typed:\n{all}");
    assert!(all.contains("南京东路100号") && all.contains("上海市"), "CJK text is embedded");
    // The long street is shrunk, not cut: the whole line is there, on one line.
    let raw = poppler("pdftotext", &[out.to_str().expect("path"), "-"]);
    assert!(raw.lines().any(|line| line.trim() == LONG_STREET), "{raw}");

    // The same list as a CSV: the same people.
    let csv = dir.path().join("list.csv");
    let listed = book
        .export_mailing_list(
            &post_list(),
            &MailingFileOptions::default(),
            &csv,
            &AtomicBool::new(false),
            |_| {},
        )
        .expect("csv");
    assert_eq!(listed.rows, printed.labels);
}

#[test]
fn avery_5160_sheets_hold_30_labels_on_us_letter() {
    let book = mailing_book(25);
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("labels.pdf");
    let printed = print_labels(&book, LabelLayout::Avery5160, &out);
    assert_eq!((printed.labels, printed.pages), (31, 2));
    assert_eq!(page_size(&out), (612, 792), "US Letter");
    assert_eq!(names_per_page(&pages(&out), &everyone_listed(25)), [30, 1]);
}

#[test]
fn envelopes_hold_one_address_each_in_its_countrys_order() {
    let book = mailing_book(0);
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("envelopes.pdf");
    let printed = print_labels(&book, LabelLayout::Envelope, &out);
    assert_eq!((printed.labels, printed.pages), (6, 6));
    assert_eq!(page_size(&out), (624, 312), "DL: 220 × 110 mm");

    let pages: Vec<Vec<String>> = pages(&out).iter().map(|page| lines(page)).collect();
    assert_eq!(pages.len(), 6);
    let page_of = |name: &str| {
        pages
            .iter()
            .find(|page| page.iter().any(|line| line == name))
            .unwrap_or_else(|| panic!("{name}: {pages:?}"))
    };
    // The book's region is GB: no country line at home, the country's name in capitals abroad.
    assert_eq!(page_of("Ann Archer"), &["Ann Archer", "1 Bond Street", "Flat 2", "LONDON", "W1S 1AA"]);
    assert_eq!(page_of("Bob Baker"), &["Bob Baker", "12 Main St", "Springfield, IL 62701", "UNITED STATES"]);
    assert_eq!(page_of("Dieter Müller"), &["Dieter Müller", "Hauptstraße 5", "10115 Berlin", "GERMANY"]);
    // A Chinese address in Chinese order: country, postcode, city, street, the name last.
    assert_eq!(page_of("陈伟"), &["中国", "200001", "上海市", "南京东路100号", "陈伟"]);
    assert_eq!(page_of(MARKUP_NAME), &[MARKUP_NAME, "2 Quay Road", "LEEDS", "LS1 1AA"]);
}

#[test]
fn labels_are_only_for_post() {
    let book = mailing_book(0);
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("labels.pdf");
    let email = MailingFilter { channel: MailingChannel::Email, audience: CustomerFilter::default() };
    let refused = book.export_labels(&email, LabelLayout::L7160, &out, &AtomicBool::new(false), |_| {});
    assert!(
        matches!(&refused, Err(Error::Invalid { field, problem: Problem::LabelsNeedPost }) if field == "channel"),
        "{refused:?}"
    );
    assert!(!out.exists(), "nothing written");
}

/// A sale on `on` of `items`, paid in full by card and collected that day.
fn sale(on: &str, salesperson: &str, items: Vec<PurchaseItem>) -> PurchaseDraft {
    PurchaseDraft {
        purchased_on: date(on),
        currency: String::new(),
        channel: SaleChannel::InStore,
        salesperson: salesperson.into(),
        notes: String::new(),
        items,
        payments: Vec::new(),
        trade_ins: Vec::new(),
        collected_on: None,
        redemption: None,
    }
    .paid_in_full(PaymentMethod::Card)
}

/// A shop with its name, a Silver member buying a watch with her member discount, paid by card.
fn sale_book(language: &str) -> (Book, i64, i64) {
    let mut book = Book::open_in_memory().expect("book");
    let mut settings = book.settings().expect("settings");
    settings.shop_name = "Maison Horlogère".into();
    settings.shop_address = "14 Burlington Arcade\nLondon W1J 0QJ".into();
    settings.shop_phone = "+44 20 7946 0000".into();
    book.update_settings(&settings).expect("settings");
    let customer = book
        .create_customer(CustomerDraft {
            language: language.into(),
            addresses: vec![address("1 Bond Street", "London", "", "W1S 1AA", "GB")],
            ..CustomerDraft::named(if language.starts_with("zh") { "王美玲" } else { "Grace Hall" })
        })
        .expect("customer")
        .id;
    book.add_purchase(customer, sale("2025-11-02", "", vec![PurchaseItem::priced(amount("21000"))]))
        .expect("earlier sale");
    let membership = book.membership(customer).expect("membership").expect("programme on");
    let (tier, percent) = (membership.tier.expect("a member"), membership.discount_percent);
    let watch = PurchaseItem {
        brand: "Rolex".into(),
        model: "Submariner Date".into(),
        reference_number: "126610LN".into(),
        serial_number: "7H2K4591".into(),
        condition: ItemCondition::PreOwned,
        has_box: true,
        has_papers: true,
        discount: loupe_core::member_discount_amount(amount("9150"), percent),
        member_discount: Some(MemberDiscount { tier, percent }),
        ..PurchaseItem::priced(amount("9150"))
    };
    let purchase = book.add_purchase(customer, sale("2026-04-18", "Sam", vec![watch])).expect("sale").id;
    (book, customer, purchase)
}

#[test]
fn a_receipt_certifies_the_piece_with_its_serial_discount_points_and_total() {
    let (book, _, purchase_id) = sale_book("en-GB");
    let purchase = book.purchase(purchase_id).expect("purchase");
    let discount = purchase.sale.items[0].discount;
    assert_eq!(discount, amount("1372.50"), "Silver's 15 %");
    assert_eq!(purchase.points_earned, 7777, "a point a pound paid");
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("receipt.pdf");
    book.print_receipt(purchase_id, None, &out).expect("receipt");
    assert_eq!(page_size(&out), (595, 842), "A4");
    let pages = pages(&out);
    assert_eq!(pages.len(), 1, "one page");
    let text = &pages[0];
    for expected in [
        "Maison Horlogère",
        "14 Burlington Arcade",
        "+44 20 7946 0000",
        "Receipt and certificate of sale",
        "18 April 2026",
        "Grace Hall",
        "Rolex Submariner Date",
        "Ref. 126610LN",
        "Serial no. 7H2K4591",
        "With box and papers",
        "GBP 9,150.00",
        "−GBP 1,372.50",
        "Silver member −15 %",
        "GBP 7,777.50",
        "Points earned with this purchase: 7,777",
        "We certify that the pieces listed above",
    ] {
        assert!(text.contains(expected), "{expected} is missing:\n{text}");
    }
}

#[test]
fn a_chinese_speaking_customer_gets_a_chinese_receipt_unless_asked_otherwise() {
    let (book, _, purchase_id) = sale_book("zh-Hans");
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("receipt.pdf");
    book.print_receipt(purchase_id, None, &out).expect("receipt");
    let text = pages(&out).concat();
    for expected in [
        "销售收据及证明书",
        "2026年4月18日",
        "王美玲",
        "编号 7H2K4591",
        "附原盒及证书",
        "GBP 7,777.50",
        "本次获得积分",
    ] {
        assert!(text.contains(expected), "{expected} is missing:\n{text}");
    }
    book.print_receipt(purchase_id, Some(PrintLanguage::En), &out).expect("receipt in English");
    assert!(pages(&out).concat().contains("Receipt and certificate of sale"));
}

#[test]
fn an_unknown_sale_or_customer_is_named() {
    let (mut book, _, _) = sale_book("en");
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("nothing.pdf");
    assert!(matches!(book.print_receipt(4242, None, &out), Err(Error::NotFound { id: 4242, .. })));
    assert!(matches!(book.print_card(4243, PrintLanguage::En, &out), Err(Error::NotFound { id: 4243, .. })));
    assert!(!out.exists());
}

#[test]
fn a_card_shows_the_pinned_notes_open_wishes_and_last_five_purchases() {
    let (mut book, customer, _) = sale_book("en");
    let note = |body: &str, pinned: bool| NoteDraft {
        category: NoteCategory::PersonalInterest,
        body: body.into(),
        pinned,
        noted_on: date("2026-02-01"),
    };
    book.add_entry(customer, note("Collects chronographs from the 1960s", true)).expect("note");
    book.add_entry(customer, note("Unpinned remark", false)).expect("note");
    let wish = |model: &str, status: WishStatus| WishDraft {
        brand: "Patek Philippe".into(),
        model: model.into(),
        reference_number: String::new(),
        budget_min: None,
        budget_max: Some(amount("60000")),
        currency: String::new(),
        notes: String::new(),
        status,
        requested_on: date("2026-01-10"),
        closed_on: None,
    };
    book.add_entry(customer, wish("Nautilus", WishStatus::Open)).expect("wish");
    book.add_entry(customer, wish("Calatrava", WishStatus::Lost)).expect("wish");
    for (day, model) in [
        ("2024-01-05", "Oldest"),
        ("2024-06-05", "Second"),
        ("2025-01-05", "Third"),
        ("2025-06-05", "Fourth"),
    ] {
        let omega = PurchaseItem {
            brand: "Omega".into(),
            model: model.into(),
            ..PurchaseItem::priced(amount("500"))
        };
        book.add_purchase(customer, sale(day, "", vec![omega])).expect("sale");
    }
    let update =
        CustomerDraft { full_name: MARKUP_NAME.into(), ..book.customer(customer).expect("customer").profile };
    book.update_customer(customer, update).expect("renamed");

    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("card.pdf");
    book.print_card(customer, PrintLanguage::En, &out).expect("card");
    let pages = pages(&out);
    assert_eq!(pages.len(), 1, "one page");
    let text = &pages[0];
    for expected in [
        MARKUP_NAME,
        "Collects chronographs from the 1960s",
        "Patek Philippe Nautilus",
        "Silver",
        "Omega Second",
        "Rolex Submariner Date 126610LN",
        "PINNED NOTES",
        "OPEN WISHES",
    ] {
        assert!(text.contains(expected), "{expected} is missing:\n{text}");
    }
    for absent in ["Unpinned remark", "Calatrava", "Omega Oldest"] {
        assert!(!text.contains(absent), "{absent} is not on the card:\n{text}");
    }

    book.print_card(customer, PrintLanguage::Zh, &out).expect("card in Chinese");
    let text = self::pages(&out).concat();
    for expected in ["置顶备注", "待寻心愿", "最近购买", "Collects chronographs from the 1960s"] {
        assert!(text.contains(expected), "{expected} is missing:\n{text}");
    }
}

#[test]
fn shop_details_are_checked_and_kept() {
    let mut book = Book::open_in_memory().expect("book");
    let mut settings = book.settings().expect("settings");
    assert_eq!((settings.shop_name.as_str(), settings.shop_address.as_str()), ("", ""));
    settings.shop_name = "  Maison Horlogère ".into();
    settings.shop_address = " 14 Burlington Arcade \n\n London W1J 0QJ".into();
    settings.shop_phone = "020 7946 0000".into();
    let saved = book.update_settings(&settings).expect("saved");
    assert_eq!(saved.shop_name, "Maison Horlogère");
    assert_eq!(saved.shop_address, "14 Burlington Arcade\nLondon W1J 0QJ");
    assert_eq!(book.settings().expect("settings").shop_phone, "020 7946 0000");
    settings.shop_name = "x".repeat(101);
    let refused = book.update_settings(&settings);
    assert!(
        matches!(&refused, Err(Error::Invalid { field, problem: Problem::TooLong { max_chars: 100 } }) if field == "shop_name"),
        "{refused:?}"
    );
}

#[test]
fn a_list_of_nobody_prints_one_blank_page() {
    let book = mailing_book(0);
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("labels.pdf");
    let nobody = MailingFilter {
        channel: MailingChannel::Post,
        audience: CustomerFilter { tags: vec!["no such tag".into()], ..CustomerFilter::default() },
    };
    let printed = book
        .export_labels(&nobody, LabelLayout::L7160, &out, &AtomicBool::new(false), |_| {})
        .expect("labels");
    assert_eq!((printed.labels, printed.pages), (0, 1));
    let pages = pages(&out);
    assert_eq!(pages.len(), 1);
    assert_eq!(lines(&pages[0]), Vec::<String>::new());
}
