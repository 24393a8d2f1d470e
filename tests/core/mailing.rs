//! Mailing lists: only explicit opt-ins, one row per person with their address for the
//! channel, the filters, the file formats, and exactly the rows the preview counted.

use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;
use loupe_core::model::*;
use loupe_core::{Book, Error};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn date(text: &str) -> NaiveDate {
    text.parse().expect("date")
}

fn consent(channel: Channel, status: ConsentStatus) -> Consent {
    Consent { channel, status, date: Some(date("2026-03-01")), source: "shop counter".into() }
}

fn email(address: &str, primary: bool) -> EmailEntry {
    EmailEntry { label: String::new(), address: address.into(), primary }
}

fn phone(number: &str) -> PhoneEntry {
    PhoneEntry { label: "mobile".into(), number: number.into(), e164: None, primary: true }
}

fn person(name: &str, consents: Vec<Consent>) -> CustomerDraft {
    let mut slug: String =
        name.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_lowercase();
    if slug.is_empty() {
        slug = format!("u{:x}", name.chars().map(u32::from).sum::<u32>());
    }
    CustomerDraft {
        emails: vec![email(&format!("{slug}@example.com"), true)],
        consents,
        ..CustomerDraft::named(name)
    }
}

fn sale(on: &str, brand: &str, price: &str) -> PurchaseDraft {
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
            ..PurchaseItem::priced(price.parse().expect("price"))
        }],
    }
}

fn filter(channel: MailingChannel) -> MailingFilter {
    MailingFilter { channel, audience: CustomerFilter::default() }
}

fn export(book: &Book, filter: &MailingFilter, options: &MailingFileOptions) -> (MailingExport, Vec<u8>) {
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("list.csv");
    let written =
        book.export_mailing_list(filter, options, &out, &AtomicBool::new(false), |_| {}).expect("export");
    (written, std::fs::read(&out).expect("read"))
}

fn records(bytes: &[u8], delimiter: u8) -> Vec<Vec<String>> {
    let text = String::from_utf8(bytes.to_vec()).expect("utf-8");
    let text = text.trim_start_matches('\u{feff}');
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|record| record.expect("record").iter().map(str::to_owned).collect())
        .collect()
}

/// Ann: opted in to email; Bob: opted out; Chen: never asked; Dora: opted in, no email.
fn small_book() -> Book {
    let mut book = Book::open_in_memory().expect("book");
    let ann = book
        .create_customer(CustomerDraft {
            title: "Ms".into(),
            given_name: "Ann".into(),
            family_name: "Archer".into(),
            tags: vec!["VIP".into(), "Rolex".into()],
            language: "en".into(),
            phones: vec![phone("+44 20 7946 0958")],
            addresses: vec![AddressEntry {
                street: "1 Bond Street\nFlat 2".into(),
                city: "London".into(),
                postal_code: "W1S 1AA".into(),
                country: "GB".into(),
                primary: true,
                ..AddressEntry::default()
            }],
            emails: vec![email("ann.other@example.com", false), email("Ann@Example.com", true)],
            consents: vec![
                consent(Channel::Email, ConsentStatus::OptedIn),
                consent(Channel::Sms, ConsentStatus::OptedIn),
                consent(Channel::Post, ConsentStatus::OptedIn),
            ],
            ..CustomerDraft::named("Ann Archer")
        })
        .expect("ann");
    book.add_purchase(ann.id, sale("2026-05-01", "Rolex", "9150.00")).expect("sale");
    book.create_customer(person("Bob Baker", vec![consent(Channel::Email, ConsentStatus::OptedOut)]))
        .expect("bob");
    book.create_customer(CustomerDraft { language: "zh-Hans".into(), ..person("陈伟", Vec::new()) })
        .expect("chen");
    book.create_customer(CustomerDraft {
        emails: Vec::new(),
        ..person("Dora Diaz", vec![consent(Channel::Email, ConsentStatus::OptedIn)])
    })
    .expect("dora");
    book
}

#[test]
fn only_explicit_opt_ins_with_an_address_are_written() {
    let book = small_book();
    let preview = book.preview_mailing_list(&filter(MailingChannel::Email)).expect("preview");
    assert_eq!(
        (preview.matching, preview.rows, preview.excluded_unknown, preview.excluded_opted_out),
        (4, 1, 1, 1)
    );
    assert_eq!((preview.excluded_no_consent, preview.excluded_no_address), (2, 1));
    assert_eq!(preview.sample.len(), 1);
    assert_eq!(preview.sample[0].address, "Ann@Example.com", "the primary email, not the first");
    assert_eq!(preview.sample[0].salutation, "Ms Archer");

    let (written, bytes) = export(&book, &filter(MailingChannel::Email), &MailingFileOptions::default());
    assert_eq!((written.rows, written.excluded_no_consent, written.excluded_no_address), (1, 2, 1));
    let rows = records(&bytes, b',');
    assert_eq!(
        rows,
        vec![
            vec!["Salutation", "First name", "Last name", "Full name", "Email", "Language", "Type", "Tags"],
            vec!["Ms Archer", "Ann", "Archer", "Ann Archer", "Ann@Example.com", "en", "retail", "VIP, Rolex"],
        ]
    );
    assert!(!bytes.starts_with("\u{feff}".as_bytes()), "a plain CSV has no byte order mark");
}

#[test]
fn sms_and_post_use_their_own_consent_and_address() {
    let book = small_book();
    let (sms, bytes) = export(&book, &filter(MailingChannel::Sms), &MailingFileOptions::default());
    assert_eq!(sms.rows, 1);
    assert_eq!(records(&bytes, b',')[1][4], "+442079460958");

    let (post, bytes) = export(&book, &filter(MailingChannel::Post), &MailingFileOptions::default());
    assert_eq!(post.rows, 1);
    let rows = records(&bytes, b',');
    assert_eq!(rows[0][4..10], ["Address", "Street", "City", "Region", "Postal code", "Country"]);
    assert_eq!(rows[1][4], "1 Bond Street\nFlat 2\nLondon\nW1S 1AA\nGB");
    assert_eq!(rows[1][6], "London");
}

#[test]
fn an_unverified_number_is_never_texted() {
    let mut book = small_book();
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("cards.csv");
    std::fs::write(&path, "Name,Mobile,SMS consent\nCarl Brown,0791 12,yes\n").expect("write");
    let summary = book
        .commit_import(&path, &loupe_core::import::ImportOptions::default(), &AtomicBool::new(false), |_| {})
        .expect("import");
    assert_eq!((summary.created, summary.warnings.len()), (1, 1), "kept as typed, with a warning");
    let (sms, bytes) = export(&book, &filter(MailingChannel::Sms), &MailingFileOptions::default());
    assert_eq!(sms.rows, 1, "only the valid number of the book");
    assert!(!String::from_utf8_lossy(&bytes).contains("0791 12"));
}

#[test]
fn filters_narrow_the_list() {
    let mut book = small_book();
    let mut everyone_opted_in = |name: &str, tweak: fn(CustomerDraft) -> CustomerDraft| {
        let draft = tweak(person(name, vec![consent(Channel::Email, ConsentStatus::OptedIn)]));
        book.create_customer(draft).expect("customer").id
    };
    let eve = everyone_opted_in("Eve Evans", |draft| CustomerDraft {
        customer_type: CustomerType::Collector,
        ..draft
    });
    let fei = everyone_opted_in("Fei Fang", |draft| CustomerDraft { language: "zh-CN".into(), ..draft });
    let gus = everyone_opted_in("Gus Grant", |draft| CustomerDraft { tags: vec!["vip".into()], ..draft });
    book.add_purchase(eve, sale("2024-01-10", "Patek Philippe", "52000")).expect("sale");
    book.add_purchase(fei, sale("2026-02-01", "Cartier", "800")).expect("sale");
    book.add_entry(
        gus,
        WishDraft {
            brand: "patek philippe".into(),
            model: "Nautilus".into(),
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

    let names = |filter: MailingFilter| -> Vec<String> {
        let preview = book.preview_mailing_list(&filter).expect("preview");
        preview.sample.into_iter().map(|row| row.full_name).collect()
    };
    let email = || filter(MailingChannel::Email);
    assert_eq!(names(email()), ["Ann Archer", "Eve Evans", "Fei Fang", "Gus Grant"]);
    assert_eq!(
        names(MailingFilter {
            audience: CustomerFilter { customer_type: Some(CustomerType::Collector), ..email().audience },
            ..email()
        }),
        ["Eve Evans"]
    );
    assert_eq!(
        names(MailingFilter {
            audience: CustomerFilter { tags: vec!["VIP".into()], ..email().audience },
            ..email()
        }),
        ["Ann Archer", "Gus Grant"]
    );
    assert_eq!(
        names(MailingFilter {
            audience: CustomerFilter { tags: vec!["vip".into(), "rolex".into()], ..email().audience },
            ..email()
        }),
        ["Ann Archer"]
    );
    assert_eq!(
        names(MailingFilter {
            audience: CustomerFilter { language: Some("zh".into()), ..email().audience },
            ..email()
        }),
        ["Fei Fang"]
    );
    for wildcard in ["z_", "%", "_h", "zh%"] {
        let nobody: [&str; 0] = [];
        assert_eq!(
            names(MailingFilter {
                audience: CustomerFilter { language: Some(wildcard.into()), ..email().audience },
                ..email()
            }),
            nobody,
            "{wildcard}"
        );
    }
    let spend = |text: &str| Some(text.parse::<Decimal>().expect("amount"));
    assert_eq!(
        names(MailingFilter {
            audience: CustomerFilter { min_spend: spend("9150"), ..email().audience },
            ..email()
        }),
        ["Ann Archer", "Eve Evans"]
    );
    assert_eq!(
        names(MailingFilter {
            audience: CustomerFilter {
                min_spend: spend("100"),
                max_spend: spend("9150.00"),
                ..email().audience
            },
            ..email()
        }),
        ["Ann Archer", "Fei Fang"]
    );
    assert_eq!(
        names(MailingFilter {
            audience: CustomerFilter { bought_since: Some(date("2026-01-01")), ..email().audience },
            ..email()
        }),
        ["Ann Archer", "Fei Fang"]
    );
    assert_eq!(
        names(MailingFilter {
            audience: CustomerFilter { not_bought_since: Some(date("2026-01-01")), ..email().audience },
            ..email()
        }),
        ["Eve Evans", "Gus Grant"],
        "lapsed buyers and people who never bought"
    );
    assert_eq!(
        names(MailingFilter {
            audience: CustomerFilter { brand: Some("PATEK PHILIPPE".into()), ..email().audience },
            ..email()
        }),
        ["Eve Evans", "Gus Grant"],
        "bought it or wished for it"
    );
    let backwards = MailingFilter {
        audience: CustomerFilter { min_spend: spend("10"), max_spend: spend("5"), ..email().audience },
        ..email()
    };
    assert!(
        matches!(book.preview_mailing_list(&backwards), Err(Error::Invalid { field, .. }) if field == "max_spend")
    );
}

#[test]
fn spreadsheet_files_open_in_excel_and_run_nothing() {
    let mut book = Book::open_in_memory().expect("book");
    book.create_customer(CustomerDraft {
        phones: vec![phone("+44 20 7946 0958")],
        tags: vec!["=HYPERLINK(\"http://evil\")".into()],
        ..person("-Zoë Ünal", vec![consent(Channel::Sms, ConsentStatus::OptedIn)])
    })
    .expect("customer");
    let options =
        MailingFileOptions { format: MailingFormat::Generic, spreadsheet: true, delimiter: ";".into() };
    let (written, bytes) = export(&book, &filter(MailingChannel::Sms), &options);
    assert_eq!(written.rows, 1);
    assert!(bytes.starts_with("\u{feff}Salutation;".as_bytes()), "UTF-8 byte order mark, semicolons");
    assert!(bytes.windows(2).any(|pair| pair == b"\r\n"), "CRLF line ends");
    let rows = records(&bytes, b';');
    let row = &rows[1];
    assert_eq!(row[3], "'-Zoë Ünal");
    assert_eq!(row[4], "'+442079460958", "the number stays readable, as text");
    assert_eq!(row[7], "'=HYPERLINK(\"http://evil\")");
    for cell in row {
        assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{cell}");
    }
}

#[test]
fn mailchimp_lists_carry_the_columns_its_importer_maps() {
    let book = small_book();
    let options = MailingFileOptions { format: MailingFormat::Mailchimp, ..MailingFileOptions::default() };
    let (_, bytes) = export(&book, &filter(MailingChannel::Email), &options);
    assert_eq!(
        records(&bytes, b','),
        vec![
            vec!["Email Address", "First Name", "Last Name", "Tags"],
            vec!["Ann@Example.com", "Ann", "Archer", "VIP, Rolex"],
        ]
    );
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("sms.csv");
    let refused = book.export_mailing_list(
        &filter(MailingChannel::Sms),
        &options,
        &out,
        &AtomicBool::new(false),
        |_| {},
    );
    assert!(matches!(refused, Err(Error::Invalid { field, .. }) if field == "format"));
    assert!(!out.exists(), "nothing written");
    let bad = MailingFileOptions { delimiter: "|".into(), ..MailingFileOptions::default() };
    let refused =
        book.export_mailing_list(&filter(MailingChannel::Email), &bad, &out, &AtomicBool::new(false), |_| {});
    assert!(matches!(refused, Err(Error::Invalid { field, .. }) if field == "delimiter"));
}

#[test]
fn a_cancelled_export_leaves_no_file() {
    let mut book = Book::open_in_memory().expect("book");
    for index in 0..4_100 {
        book.create_customer(person(
            &format!("Person {index}"),
            vec![consent(Channel::Email, ConsentStatus::OptedIn)],
        ))
        .expect("customer");
    }
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("list.csv");
    let cancelled = book.export_mailing_list(
        &filter(MailingChannel::Email),
        &MailingFileOptions::default(),
        &out,
        &AtomicBool::new(true),
        |_| {},
    );
    assert!(matches!(cancelled, Err(Error::Cancelled)));
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0, "no list, no partial file");
}

fn any_status() -> impl Strategy<Value = Option<ConsentStatus>> {
    prop_oneof![Just(None), Just(Some(ConsentStatus::OptedIn)), Just(Some(ConsentStatus::OptedOut))]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// For any book and any filter, no written row lacks an opt-in for the channel, and the
    /// file holds exactly the rows the preview counted.
    #[test]
    fn no_exported_row_lacks_an_opt_in(
        people in proptest::collection::vec(
            (any_status(), any_status(), any_status(), any::<bool>(), any::<bool>(), 0u8..3, 0u32..4),
            1..40,
        ),
        channel in prop_oneof![Just(MailingChannel::Email), Just(MailingChannel::Sms), Just(MailingChannel::Post)],
        tag in proptest::option::of(prop_oneof![Just("VIP"), Just("rolex")]),
        min_spend in proptest::option::of(0u32..3),
        spreadsheet in any::<bool>(),
    ) {
        let mut book = Book::open_in_memory().expect("book");
        let mut opted_in = std::collections::HashSet::new();
        for (index, (email_status, sms_status, post_status, has_phone, has_address, kind, sales)) in people.iter().enumerate() {
            let name = format!("Person {index:03}");
            let consents = [(Channel::Email, email_status), (Channel::Sms, sms_status), (Channel::Post, post_status)]
                .into_iter()
                .filter_map(|(channel, status)| status.map(|status| consent(channel, status)))
                .collect();
            let draft = CustomerDraft {
                phones: if *has_phone { vec![phone(&format!("+44 7911 123{index:03}"))] } else { Vec::new() },
                addresses: if *has_address {
                    vec![AddressEntry { city: "London".into(), primary: true, ..AddressEntry::default() }]
                } else {
                    Vec::new()
                },
                customer_type: CustomerType::ALL[usize::from(*kind)],
                tags: if index % 2 == 0 { vec!["VIP".into()] } else { vec!["Rolex".into()] },
                ..person(&name, consents)
            };
            let id = book.create_customer(draft).expect("customer").id;
            for sale_index in 0..*sales {
                book.add_purchase(id, sale(&format!("2026-0{}-01", sale_index + 1), "Rolex", "1000")).expect("sale");
            }
            let status = match channel {
                MailingChannel::Email => email_status,
                MailingChannel::Sms => sms_status,
                MailingChannel::Post => post_status,
            };
            if *status == Some(ConsentStatus::OptedIn) {
                opted_in.insert(name);
            }
        }
        let filter = MailingFilter {
            audience: CustomerFilter {
                tags: tag.into_iter().map(str::to_owned).collect(),
                min_spend: min_spend.map(|sales| Decimal::from(sales * 1000)),
                ..CustomerFilter::default()
            },
            ..filter(channel)
        };
        let preview = book.preview_mailing_list(&filter).expect("preview");
        let options = MailingFileOptions { spreadsheet, ..MailingFileOptions::default() };
        let (written, bytes) = export(&book, &filter, &options);
        let rows = records(&bytes, b',');
        prop_assert_eq!(written.rows, preview.rows);
        prop_assert_eq!(rows.len() as u32, preview.rows + 1, "header plus the counted rows");
        prop_assert_eq!(preview.matching, preview.rows + preview.excluded_no_consent + preview.excluded_no_address);
        for row in &rows[1..] {
            prop_assert!(opted_in.contains(&row[3]), "{} has no opt-in for {}", row[3], channel);
        }
    }
}

fn export_as(
    book: &mut Book,
    filter: &MailingFilter,
    campaign: &str,
    out: &std::path::Path,
    cancel: bool,
) -> loupe_core::Result<MailingExport> {
    book.export_mailing_list_as_campaign(
        filter,
        &MailingFileOptions::default(),
        campaign,
        out,
        &AtomicBool::new(cancel),
        |_| {},
    )
}

/// Every customer with a contact naming `campaign` (case ignored), with their contacts of it.
fn contacted(book: &mut Book, campaign: &str) -> Vec<(String, Vec<Interaction>)> {
    let ids: Vec<i64> =
        book.list_customers(&ListQuery::default()).expect("list").rows.iter().map(|row| row.id).collect();
    let mut found = Vec::new();
    for id in ids {
        let story = book.customer_story(id).expect("story");
        let of_it: Vec<Interaction> = story
            .interactions
            .into_iter()
            .filter(|contact| contact.entry.campaign.eq_ignore_ascii_case(campaign))
            .collect();
        if !of_it.is_empty() {
            found.push((story.customer.profile.full_name, of_it));
        }
    }
    found
}

#[test]
fn a_list_recorded_as_a_campaign_gives_everyone_written_one_contact() {
    let mut book = small_book();
    let eve = book
        .create_customer(person("Eve Evans", vec![consent(Channel::Email, ConsentStatus::OptedIn)]))
        .expect("eve")
        .id;
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("list.csv");
    let today = loupe_core::today();

    let written = export_as(&mut book, &filter(MailingChannel::Email), " Spring letters ", &out, false)
        .expect("written and recorded");
    assert_eq!(written.rows, 2);
    assert_eq!(
        written.campaign,
        Some(CampaignContacts {
            campaign: "Spring letters".into(),
            created: true,
            recorded: 2,
            already_recorded: 0
        })
    );
    assert_eq!(records(&std::fs::read(&out).expect("file"), b',').len(), 3, "the header and Ann and Eve");
    // Only the two written: not Bob (opted out), Chen (never asked) nor Dora (no email).
    let found = contacted(&mut book, "Spring letters");
    let names: Vec<&str> = found.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["Ann Archer", "Eve Evans"]);
    let contact = &found[1].1[0];
    assert_eq!(contact.customer_id, eve);
    assert_eq!(
        contact.entry,
        InteractionDraft {
            kind: InteractionKind::Email,
            direction: Direction::Outbound,
            occurred_on: today,
            summary: "Mailing list (email): Spring letters".into(),
            outcome: String::new(),
            campaign: "Spring letters".into(),
            response: None,
        }
    );
    let campaigns = book.campaigns().expect("campaigns");
    assert_eq!(campaigns.len(), 1);
    let draft = &campaigns[0].draft;
    assert_eq!(
        (draft.name.as_str(), draft.channel, draft.run_on, draft.cost),
        ("Spring letters", CampaignChannel::Email, today, Decimal::ZERO)
    );
    assert_eq!(draft.notes, format!("Recorded from the email mailing list written on {today}."));
    assert_eq!(book.campaign_results().expect("results")[0].targeted, 2);

    // Written again the same day, under the name in other letters: nobody twice, and a new
    // customer since gets theirs.
    book.create_customer(person("Finn Fox", vec![consent(Channel::Email, ConsentStatus::OptedIn)]))
        .expect("finn");
    let again =
        export_as(&mut book, &filter(MailingChannel::Email), "SPRING LETTERS", &out, false).expect("again");
    assert_eq!(
        again.campaign,
        Some(CampaignContacts {
            campaign: "Spring letters".into(),
            created: false,
            recorded: 1,
            already_recorded: 2
        })
    );
    let counts: Vec<(String, usize)> = contacted(&mut book, "Spring letters")
        .into_iter()
        .map(|(name, contacts)| (name, contacts.len()))
        .collect();
    assert_eq!(counts, [("Ann Archer".into(), 1), ("Eve Evans".into(), 1), ("Finn Fox".into(), 1)]);
    assert_eq!(book.campaigns().expect("campaigns").len(), 1, "found, not made again");
}

#[test]
fn a_campaign_found_by_name_keeps_its_own_and_contacts_follow_the_lists_channel() {
    let mut book = small_book();
    let autumn = CampaignDraft {
        name: "Autumn Letters".into(),
        channel: CampaignChannel::Post,
        run_on: date("2026-09-01"),
        cost: "450".parse().expect("cost"),
        notes: "Printed".into(),
    };
    let autumn = book.add_campaign(&autumn).expect("campaign");
    let dir = tempfile::tempdir().expect("dir");
    let written = export_as(
        &mut book,
        &filter(MailingChannel::Sms),
        "autumn letters",
        &dir.path().join("sms.csv"),
        false,
    )
    .expect("written");
    assert_eq!(
        written.campaign,
        Some(CampaignContacts {
            campaign: "Autumn Letters".into(),
            created: false,
            recorded: 1,
            already_recorded: 0
        })
    );
    assert_eq!(book.campaigns().expect("campaigns"), [autumn], "the campaign as it was");
    let found = contacted(&mut book, "Autumn Letters");
    assert_eq!(found.len(), 1);
    let contact = &found[0].1[0].entry;
    assert_eq!(
        (contact.kind, contact.summary.as_str(), contact.campaign.as_str()),
        (InteractionKind::Message, "Mailing list (sms): Autumn Letters", "Autumn Letters")
    );
}

#[test]
fn a_list_that_is_not_written_whole_records_nothing() {
    let mut book = small_book();
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("list.csv");
    for (name, field) in [("  ", "campaign"), (&*"x".repeat(121), "campaign")] {
        let refused = export_as(&mut book, &filter(MailingChannel::Email), name, &out, false);
        assert!(
            matches!(&refused, Err(Error::Invalid { field: named, .. }) if named == field),
            "{refused:?}"
        );
    }
    assert!(!out.exists(), "a name no campaign may have is refused before the file is written");
    let nowhere = dir.path().join("no such folder").join("list.csv");
    assert!(export_as(&mut book, &filter(MailingChannel::Email), "Spring", &nowhere, false).is_err());
    let sms_mailchimp = book.export_mailing_list_as_campaign(
        &filter(MailingChannel::Sms),
        &MailingFileOptions { format: MailingFormat::Mailchimp, ..MailingFileOptions::default() },
        "Spring",
        &out,
        &AtomicBool::new(false),
        |_| {},
    );
    assert!(matches!(sms_mailchimp, Err(Error::Invalid { field, .. }) if field == "format"));
    assert!(book.campaigns().expect("campaigns").is_empty());
    assert_eq!(book.stats().expect("stats").interactions, 0);
}

#[test]
fn a_cancelled_list_records_no_campaign() {
    let mut book = Book::open_in_memory().expect("book");
    for index in 0..4_100 {
        book.create_customer(person(
            &format!("Person {index}"),
            vec![consent(Channel::Email, ConsentStatus::OptedIn)],
        ))
        .expect("customer");
    }
    let dir = tempfile::tempdir().expect("dir");
    let cancelled =
        export_as(&mut book, &filter(MailingChannel::Email), "Spring", &dir.path().join("list.csv"), true);
    assert!(matches!(cancelled, Err(Error::Cancelled)));
    assert!(book.campaigns().expect("campaigns").is_empty());
    assert_eq!(book.stats().expect("stats").interactions, 0);
}

#[test]
fn contacts_are_recorded_for_exactly_the_customers_given_who_are_still_in_the_book() {
    let mut book = small_book();
    let ids: Vec<i64> =
        book.list_customers(&ListQuery::default()).expect("list").rows.iter().map(|row| row.id).collect();
    let (first, second) = (ids[0], ids[1]);
    let recorded = book
        .record_campaign_contacts("Fair invitation", MailingChannel::Post, &[second, 4242, second])
        .expect("recorded");
    assert_eq!(
        recorded,
        CampaignContacts {
            campaign: "Fair invitation".into(),
            created: true,
            recorded: 1,
            already_recorded: 1
        }
    );
    assert!(book.customer_story(first).expect("story").interactions.is_empty());
    assert_eq!(book.customer_story(second).expect("story").interactions.len(), 1);
    assert_eq!(book.campaigns().expect("campaigns")[0].draft.channel, CampaignChannel::Post);
    let refused = book.record_campaign_contacts("", MailingChannel::Post, &[first]);
    assert!(matches!(refused, Err(Error::Invalid { field, .. }) if field == "campaign"));
}
