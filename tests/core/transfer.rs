//! Moving the whole book: export to a folder, import into an empty book (exactly) or merge
//! into a book that holds customers; every bad folder refused with nothing written.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::AtomicBool;

use loupe_core::model::*;
use loupe_core::problem::Problem;
use loupe_core::transfer::{
    BookImportOptions, BookImportSummary, TransferProgress, TransferStage, read_book_manifest,
};
use loupe_core::{Book, Error, PartialDate};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

fn date(text: &str) -> chrono::NaiveDate {
    text.parse().expect("date")
}

fn amount(text: &str) -> Decimal {
    Decimal::from_str(text).expect("amount")
}

fn export(book: &Book, dir: &Path) {
    book.export_book(dir, &AtomicBool::new(false), |_| {}).expect("export");
}

fn import(book: &mut Book, dir: &Path, merge: bool) -> loupe_core::Result<BookImportSummary> {
    book.import_book(dir, &BookImportOptions { merge }, &AtomicBool::new(false), |_| {})
}

/// Every file of a folder with its bytes, by name.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("folder")
        .map(|entry| {
            let entry = entry.expect("entry");
            (entry.file_name().to_string_lossy().into_owned(), std::fs::read(entry.path()).expect("read"))
        })
        .collect();
    files.sort();
    files
}

fn assert_same_folders(first: &Path, second: &Path) {
    let (first, second) = (files(first), files(second));
    assert_eq!(
        first.iter().map(|(name, _)| name).collect::<Vec<_>>(),
        second.iter().map(|(name, _)| name).collect::<Vec<_>>()
    );
    for ((name, a), (_, b)) in first.iter().zip(&second) {
        assert!(a == b, "{name} differs after the round trip");
    }
}

#[test]
fn a_large_demo_book_round_trips_byte_for_byte() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut original = Book::open(&dir.path().join("original.sqlite3")).expect("book");
    original.generate_demo(3000, 9000, 42, |_| {}).expect("demo");
    let first = dir.path().join("first");
    let mut stages = Vec::new();
    original
        .export_book(&first, &AtomicBool::new(false), |progress: TransferProgress| {
            stages.push(progress.stage)
        })
        .expect("export");
    assert!(stages.contains(&TransferStage::Writing));

    let mut restored = Book::open(&dir.path().join("restored.sqlite3")).expect("book");
    let mut seen = Vec::new();
    let summary = restored
        .import_book(&first, &BookImportOptions::default(), &AtomicBool::new(false), |progress| {
            if seen.last() != Some(&progress.stage) {
                seen.push(progress.stage);
            }
        })
        .expect("import");
    assert_eq!(seen, [TransferStage::Verifying, TransferStage::Loading, TransferStage::Indexing]);
    assert_eq!((summary.customers_created, summary.batch_id), (3000, None));
    let second = dir.path().join("second");
    export(&restored, &second);
    assert_same_folders(&first, &second);

    assert_eq!(original.stats().expect("stats"), restored.stats().expect("stats"));
    let by_spend = ListQuery { sort: ListSort::Spend, descending: true, ..ListQuery::default() };
    assert_eq!(
        original.list_customers(&by_spend).expect("list"),
        restored.list_customers(&by_spend).expect("list"),
        "spend, counts and last purchases recomputed"
    );
    for id in [1, 2, 1500, 3000] {
        assert_eq!(original.customer_story(id).expect("story"), restored.customer_story(id).expect("story"));
    }
    let someone = original.customer(1234).expect("customer");
    for text in [someone.profile.full_name.as_str(), someone.profile.phones[0].number.as_str()] {
        assert_eq!(
            original.search_customers(text, 20).expect("search"),
            restored.search_customers(text, 20).expect("search"),
            "search finds the same after a restore: {text}"
        );
    }
}

/// A book holding every value that is easy to lose on the way.
fn tricky_book(path: &Path) -> Book {
    let mut book = Book::open(path).expect("book");
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/import/google-contacts.csv");
    let options = loupe_core::import::ImportOptions::default();
    let imported =
        book.commit_import(&fixture, &options, &AtomicBool::new(false), |_| {}).expect("contacts import");
    assert_eq!(imported.created, 2);
    book.update_settings(&BookSettings {
        default_region: "CH".into(),
        default_currency: "CHF".into(),
        membership: MembershipRules {
            rates: vec![ExchangeRate { currency: "JPY".into(), rate: amount("0.0058") }],
            ..MembershipRules::default()
        },
        ..Default::default()
    })
    .expect("settings");

    let mut wang = CustomerDraft::named("王小明");
    wang.family_name = "王".into();
    wang.given_name = "小明".into();
    wang.birthday = Some(PartialDate::from_str("--05-17").expect("year-less"));
    wang.emails =
        vec![EmailEntry { label: "工作".into(), address: "xiaoming@example.cn".into(), primary: true }];
    wang.phones = vec![PhoneEntry {
        label: String::new(),
        number: "+86 131 2345 6789".into(),
        e164: None,
        primary: true,
    }];
    wang.wrist_cm = Some(amount("17.5"));
    wang.tags = vec!["VIP".into(), "Zürich, \"Bahnhofstrasse\"".into()];
    wang.consents = vec![
        Consent {
            channel: Channel::Email,
            status: ConsentStatus::OptedIn,
            date: Some(date("2024-03-01")),
            source: "Baselworld 2024 card, stand 3".into(),
        },
        Consent { channel: Channel::Sms, status: ConsentStatus::OptedOut, date: None, source: String::new() },
    ];
    let wang = book.create_customer(wang).expect("wang");
    let mut zoe = CustomerDraft::named("Zoë Müller-Lüdenscheidt");
    zoe.referred_by = Some(wang.id);
    zoe.preferences.price_min = Some(amount("0.10"));
    zoe.preferences.currency = "EUR".into();
    zoe.occasions = vec![Occasion {
        kind: OccasionKind::Anniversary,
        label: String::new(),
        date: PartialDate::from_str("2001-09-08").expect("date"),
    }];
    let zoe = book.create_customer(zoe).expect("zoe");
    // A referrer later in the file than the customer they referred.
    let mut referred = wang.profile.clone();
    referred.referred_by = Some(zoe.id);
    book.update_customer(wang.id, referred).expect("referrer");

    for (currency, price) in [("GBP", "0.10"), ("CHF", "9500.05"), ("JPY", "1200000")] {
        let sale = PurchaseDraft {
            purchased_on: date("2025-06-30"),
            currency: currency.into(),
            payments: Vec::new(),
            trade_ins: Vec::new(),
            collected_on: None,
            redemption: None,
            channel: SaleChannel::InStore,
            salesperson: String::new(),
            notes: "Paid in two parts,\nthe second \"later\"".into(),
            items: vec![PurchaseItem {
                brand: "Patek Philippe".into(),
                reference_number: "5196G-001".into(),
                ..PurchaseItem::priced(amount(price))
            }],
        };
        book.add_purchase(zoe.id, sale).expect("sale");
    }
    // A member's sale with the tier's discount and points redeemed, and points given by hand.
    let member = book.membership(zoe.id).expect("membership").expect("on").tier.expect("a member");
    let discounted = PurchaseDraft {
        purchased_on: date("2025-07-01"),
        currency: String::new(),
        payments: Vec::new(),
        trade_ins: Vec::new(),
        collected_on: None,
        redemption: Some(PointsRedemption { points: 250, value: amount("2.50") }),
        channel: SaleChannel::InStore,
        salesperson: String::new(),
        notes: String::new(),
        items: vec![PurchaseItem {
            discount: amount("123.45"),
            member_discount: Some(MemberDiscount { tier: member, percent: amount("10") }),
            ..PurchaseItem::priced(amount("1234.50"))
        }],
    };
    book.add_purchase(zoe.id, discounted).expect("member sale");
    book.adjust_points(wang.id, PointsDraft { points: 75, reason: "Welcome, \"gift\", 欢迎".into() })
        .expect("points");
    book.add_entry(
        wang.id,
        NoteDraft {
            category: NoteCategory::PersonalInterest,
            body: "Collects moon phases.\r\nLine two, with \"quotes\", commas\nand 中文".into(),
            pinned: true,
            noted_on: date("2025-01-02"),
        },
    )
    .expect("note");
    book.add_entry(
        zoe.id,
        WishDraft {
            brand: "Rolex".into(),
            model: "Daytona".into(),
            reference_number: "116500LN".into(),
            budget_min: None,
            budget_max: Some(amount("25000.00")),
            currency: "EUR".into(),
            notes: String::new(),
            status: WishStatus::Open,
            requested_on: date("2025-02-03"),
            closed_on: None,
        },
    )
    .expect("wish");
    // A reminder typed with a repeat and a snooze, one done with its contact, and a piece that
    // came in with the customer told about it.
    let reminder = ReminderDraft {
        due_on: date("2027-06-30"),
        title: "Service the 5196, «call first»".into(),
        notes: "Line one\nline two, \"quoted\"".into(),
        repeat: Some(Repeat { every: 3, unit: RepeatUnit::Months }),
    };
    let typed = book.add_reminder(zoe.id, &reminder).expect("reminder");
    book.snooze_reminder(typed.id, date("2099-01-02")).expect("snooze");
    let done = book.add_reminder(zoe.id, &ReminderDraft { repeat: None, ..reminder }).expect("reminder");
    let channel =
        ReminderDone { channel: ContactMethod::Phone, summary: "Called".into(), outcome: "Loves it".into() };
    book.complete_reminder(done.id, &channel).expect("done");
    let arrival = ArrivalDraft {
        arrived_on: date("2025-04-05"),
        category: Some(ItemCategory::Watch),
        brand: "Patek Philippe".into(),
        model: "Calatrava".into(),
        reference_number: "5196G".into(),
        material: "white gold".into(),
        price: Some("23500.50".parse().expect("price")),
        currency: String::new(),
        notes: "Box, papers".into(),
    };
    let arrival = book.add_arrival(&arrival).expect("arrival").arrival;
    book.remind_arrival(arrival.id, &[zoe.id]).expect("told");
    let campaign = CampaignDraft {
        name: "Letters, «spring»".into(),
        channel: CampaignChannel::Post,
        run_on: date("2025-03-01"),
        cost: "612.5".parse().expect("cost"),
        notes: "Printed by Müller & Co".into(),
    };
    book.add_campaign(&campaign).expect("campaign");
    let reply = InteractionDraft {
        kind: InteractionKind::Message,
        direction: Direction::Inbound,
        occurred_on: date("2025-03-04"),
        summary: "Answered the letter, \"by hand\"".into(),
        outcome: String::new(),
        campaign: "letters, «SPRING»".into(),
        response: Some(InteractionResponse::Replied),
    };
    book.add_entry(zoe.id, reply).expect("reply");
    let stand = ExpenseDraft {
        spent_on: date("2025-03-20"),
        amount: "1200".parse().expect("amount"),
        note: "Fair stand".into(),
    };
    book.add_expense(&stand).expect("expense");
    drop(book);
    // Tables without an operation of their own yet.
    let conn = rusqlite::Connection::open(path).expect("sqlite");
    conn.execute_batch(
        "INSERT INTO suppressions (hash, kind, erased_on) VALUES ('9f86d081884c7d65', 'email', '2025-03-04');
         INSERT INTO segments (name, rules_json, created_at, updated_at)
            VALUES ('Patek, gold', '{\"brand\":\"Patek\"}', '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00');",
    )
    .expect("extra rows");
    drop(conn);
    Book::open(path).expect("reopen")
}

#[test]
fn tricky_values_come_back_exactly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut original = tricky_book(&dir.path().join("original.sqlite3"));
    let folder = dir.path().join("folder");
    export(&original, &folder);
    let manifest = read_book_manifest(&folder).expect("manifest");
    assert_eq!((manifest.rows_of("customers"), manifest.rows_of("suppressions")), (4, 1));
    let customers_csv = std::fs::read_to_string(folder.join("customers.csv")).expect("csv");
    assert!(customers_csv.contains("--05-17") && customers_csv.contains("王小明"), "{customers_csv}");

    let mut restored = Book::open(&dir.path().join("restored.sqlite3")).expect("book");
    import(&mut restored, &folder, false).expect("import");
    assert_eq!(restored.settings().expect("settings").default_currency, "CHF", "the folder's settings");
    assert_eq!(original.stats().expect("stats"), restored.stats().expect("stats"));
    for id in 1..=4 {
        assert_eq!(original.customer_story(id).expect("story"), restored.customer_story(id).expect("story"));
    }
    let wang = restored.customer(3).expect("wang");
    assert_eq!(wang.profile.referred_by, Some(4));
    assert_eq!(wang.profile.birthday.map(|day| day.to_string()).as_deref(), Some("--05-17"));
    let email = &wang.profile.consents[0];
    assert_eq!(
        (email.date, email.source.as_str()),
        (Some(date("2024-03-01")), "Baselworld 2024 card, stand 3")
    );
    let story = restored.customer_story(3).expect("story");
    assert!(story.notes[0].entry.body.contains("\r\nLine two, with \"quotes\", commas\nand 中文"));
    let zoe = restored.customer_story(4).expect("story");
    assert_eq!(zoe.customer.profile.referred_by, Some(3));
    let responses: Vec<Option<InteractionResponse>> =
        zoe.interactions.iter().map(|contact| contact.entry.response).collect();
    assert_eq!(
        responses,
        [None, Some(InteractionResponse::Replied)],
        "the reminder's call today, then the reply"
    );
    assert_eq!(
        restored.campaign_results().expect("results")[0].responded,
        1,
        "the reply answers the campaign in the restored book"
    );
    assert_eq!(zoe.customer.profile.preferences.price_min.map(|p| p.to_string()).as_deref(), Some("0.10"));
    let currencies: Vec<String> =
        zoe.totals.by_currency.iter().map(|s| format!("{} {}", s.currency, s.lifetime_spend)).collect();
    assert_eq!(currencies, ["CHF 10608.60", "GBP 0.10", "JPY 1200000"]);
    let sale = zoe.purchases.iter().find(|sale| sale.sale.redemption.is_some()).expect("the member's sale");
    assert_eq!((sale.total, sale.points_earned), (amount("1108.55"), 1108));
    assert_eq!(sale.sale.items[0].member_discount.as_ref().map(|member| member.percent), Some(amount("10")));
    // 9,500 CHF + 1,200,000 JPY at 0.0058 (6,960) earned, 250 redeemed, 1,108 earned.
    assert_eq!(zoe.membership.as_ref().map(|membership| membership.points), Some(9500 + 6960 - 250 + 1108));
    let wang_points = restored.points(3).expect("points");
    assert_eq!(wang_points.balance, 500 + 75, "the referral bonus and the gift");
    assert_eq!(wang_points.entries[1].referred_name.as_deref(), Some("Zoë Müller-Lüdenscheidt"));
    assert_eq!(restored.search_customers("小明", 5).expect("search")[0].id, 3);
    assert_eq!(restored.search_customers("5196g", 5).expect("search")[0].id, 4, "items indexed");
    assert_eq!(restored.import_batches().expect("batches"), original.import_batches().expect("batches"));
    let again = dir.path().join("again");
    export(&restored, &again);
    assert_same_folders(&folder, &again);
}

#[test]
fn a_folder_from_before_responses_loads_with_none_recorded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let original = tricky_book(&dir.path().join("original.sqlite3"));
    let folder = dir.path().join("folder");
    export(&original, &folder);
    // What version 11 wrote: interactions without the response column.
    rewrite(&folder, "interactions.csv", |text| {
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
        let mut writer =
            csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
        for record in reader.records() {
            let record = record.expect("record");
            assert_eq!(record.len(), 11);
            writer.write_record(record.iter().take(10)).expect("write");
        }
        String::from_utf8(writer.into_inner().expect("flush")).expect("utf-8")
    });
    let manifest_path = folder.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).expect("manifest")).expect("json");
    manifest["schema_version"] = 11.into();
    for file in manifest["files"].as_array_mut().expect("files") {
        if file["name"] == "interactions.csv" {
            let columns = file["columns"].as_array_mut().expect("columns");
            assert_eq!(columns.pop(), Some("response".into()));
            file["nullable"].as_array_mut().expect("nullable").retain(|column| column != "response");
        }
    }
    std::fs::write(&manifest_path, serde_json::to_string_pretty(&manifest).expect("json")).expect("write");

    let mut restored = Book::open(&dir.path().join("restored.sqlite3")).expect("book");
    import(&mut restored, &folder, false).expect("an older folder loads");
    let zoe = restored.customer_story(4).expect("story");
    let contacts: Vec<(&str, Option<InteractionResponse>)> = zoe
        .interactions
        .iter()
        .map(|contact| (contact.entry.campaign.as_str(), contact.entry.response))
        .collect();
    assert_eq!(contacts, [("", None), ("letters, «SPRING»", None)]);
}

/// A small exported book to break in various ways.
fn small_folder(dir: &Path) -> PathBuf {
    let mut book = Book::open(&dir.join("small.sqlite3")).expect("book");
    book.generate_demo(20, 40, 7, |_| {}).expect("demo");
    let folder = dir.join("small");
    export(&book, &folder);
    folder
}

/// Replaces a file of the folder and updates the manifest to match, so that only the content
/// is wrong.
fn rewrite(folder: &Path, name: &str, change: impl FnOnce(String) -> String) {
    let path = folder.join(name);
    let text = change(std::fs::read_to_string(&path).expect("read"));
    std::fs::write(&path, &text).expect("write");
    let manifest_path = folder.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).expect("manifest")).expect("json");
    for file in manifest["files"].as_array_mut().expect("files") {
        if file["name"] == name {
            file["bytes"] = text.len().into();
            let digest = Sha256::digest(text.as_bytes());
            file["sha256"] = digest.iter().map(|byte| format!("{byte:02x}")).collect::<String>().into();
        }
    }
    std::fs::write(&manifest_path, serde_json::to_string_pretty(&manifest).expect("json")).expect("write");
}

fn refused(folder: &Path) -> Error {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut book = Book::open(&dir.path().join("target.sqlite3")).expect("book");
    let error = import(&mut book, folder, false).expect_err("must refuse");
    assert!(error.is_user_error(), "{error}");
    let stats = book.stats().expect("stats");
    assert_eq!((stats.customers, stats.purchases, stats.import_batches), (0, 0, 0), "nothing written");
    error
}

#[test]
fn damaged_folders_are_refused_naming_file_line_and_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = small_folder(dir.path());

    let tampered = dir.path().join("tampered");
    std::fs::create_dir(&tampered).expect("dir");
    for (name, bytes) in files(&folder) {
        std::fs::write(tampered.join(name), bytes).expect("copy");
    }
    let copy = |name: &str| -> PathBuf {
        let target = dir.path().join(name);
        std::fs::create_dir(&target).expect("dir");
        for (file, bytes) in files(&folder) {
            std::fs::write(target.join(file), bytes).expect("copy");
        }
        target
    };
    let text = std::fs::read_to_string(tampered.join("notes.csv")).expect("notes");
    std::fs::write(tampered.join("notes.csv"), text.replacen("a", "b", 1)).expect("tamper");
    let message = refused(&tampered).to_string();
    assert!(message.contains("notes.csv") && message.contains("checksum"), "{message}");

    let ragged = copy("ragged");
    rewrite(&ragged, "customer_emails.csv", |text| {
        let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
        lines[2] = lines[2].rsplit_once(',').expect("cells").0.to_string();
        lines.join("\n")
    });
    let message = refused(&ragged).to_string();
    assert!(message.contains("customer_emails.csv: line 3: has 6 cells, the header has 7"), "{message}");

    let unchecked = copy("unchecked");
    rewrite(&unchecked, "customers.csv", |text| text.replacen(",retail,", ",royal,", 1));
    let message = refused(&unchecked).to_string();
    assert!(
        message.contains("customers.csv: line ") && message.contains("column 'customer_type'"),
        "{message}"
    );
    assert!(message.contains("CHECK constraint failed"), "{message}");

    let bad_date = copy("bad_date");
    rewrite(&bad_date, "purchases.csv", |text| {
        let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
        let mut cells: Vec<String> = lines[1].split(',').map(str::to_string).collect();
        cells[2] = "31/12/2024".into();
        lines[1] = cells.join(",");
        lines.join("\n")
    });
    let message = refused(&bad_date).to_string();
    assert!(
        message.contains("purchases.csv: line 2, column 'purchased_on': '31/12/2024' is not a date"),
        "{message}"
    );

    let dangling = copy("dangling");
    rewrite(&dangling, "notes.csv", |text| {
        let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
        let (_, rest) = lines[1].split_once(',').expect("id");
        let (_, rest) = rest.split_once(',').expect("customer");
        lines[1] = format!("1,999,{rest}");
        lines.join("\n")
    });
    let message = refused(&dangling).to_string();
    assert!(message.contains("notes.csv") && message.contains("column 'customer_id'"), "{message}");

    let missing = copy("missing");
    std::fs::remove_file(missing.join("wishes.csv")).expect("remove");
    let message = refused(&missing).to_string();
    assert!(message.contains("wishes.csv: missing"), "{message}");

    let newer = copy("newer");
    let manifest = std::fs::read_to_string(newer.join("manifest.json")).expect("manifest");
    std::fs::write(
        newer.join("manifest.json"),
        manifest.replace("\"format_version\": 1", "\"format_version\": 2"),
    )
    .expect("write");
    let message = refused(&newer).to_string();
    assert!(message.contains("manifest.json") && message.contains("newer version of Loupe"), "{message}");

    let not_a_book = dir.path().join("empty");
    std::fs::create_dir(&not_a_book).expect("dir");
    assert!(refused(&not_a_book).to_string().contains("not a Loupe book export"));
}

#[test]
fn a_folders_settings_pass_the_settings_forms_checks() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut book = Book::open(&dir.path().join("source.sqlite3")).expect("book");
    book.create_customer(CustomerDraft::named("Anna Keller")).expect("anna");
    book.update_settings(&BookSettings { backups_to_keep: 20, ..book.settings().expect("settings") })
        .expect("settings");
    let folder = dir.path().join("folder");
    export(&book, &folder);
    let settings_text = std::fs::read_to_string(folder.join("settings.csv")).expect("settings.csv");
    let line = settings_text.lines().position(|row| row == "backups_to_keep,20").expect("the row") + 1;
    for (case, row, expected) in [
        ("none", "backups_to_keep,0", "the setting backups_to_keep is '0': keep between 1 and 365"),
        ("many", "backups_to_keep,5000", "the setting backups_to_keep is '5000': keep between 1 and 365"),
        ("words", "backups_to_keep,lots", "the setting backups_to_keep is 'lots'"),
    ] {
        let bad = dir.path().join(case);
        std::fs::create_dir(&bad).expect("dir");
        for (name, bytes) in files(&folder) {
            std::fs::write(bad.join(name), bytes).expect("copy");
        }
        rewrite(&bad, "settings.csv", |text| text.replace("backups_to_keep,20", row));
        let message = refused(&bad).to_string();
        let place = format!("settings.csv: line {line}, column 'value': {expected}");
        assert!(message.contains(&place), "{message}");
        // Merged into a book that holds customers: refused the same way, nothing written.
        let mut target = Book::open(&dir.path().join(format!("{case}.sqlite3"))).expect("target");
        target.create_customer(CustomerDraft::named("Ben Mueller")).expect("ben");
        let message = import(&mut target, &bad, true).expect_err("refused").to_string();
        assert!(message.contains(&place), "{message}");
        let stats = target.stats().expect("stats");
        assert_eq!((stats.customers, stats.import_batches), (1, 0), "nothing written");
    }
    let region = dir.path().join("region");
    std::fs::create_dir(&region).expect("dir");
    for (name, bytes) in files(&folder) {
        std::fs::write(region.join(name), bytes).expect("copy");
    }
    rewrite(&region, "settings.csv", |text| text.replace("default_region,GB", "default_region,Narnia"));
    let message = refused(&region).to_string();
    assert!(message.contains("the setting default_region is 'Narnia'"), "{message}");
}

#[test]
fn a_book_with_customers_is_refused_unless_merging() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = small_folder(dir.path());
    let mut book = Book::open(&dir.path().join("target.sqlite3")).expect("book");
    book.create_customer(CustomerDraft::named("Anna Keller")).expect("anna");
    let error = import(&mut book, &folder, false).expect_err("refused");
    assert!(matches!(error, Error::BookNotEmpty { .. }), "{error}");
    assert!(error.to_string().contains("1 customers"), "{error}");
    assert_eq!(book.stats().expect("stats").customers, 1, "nothing written");
}

#[test]
fn merging_matches_by_email_and_phone_and_appends_history() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut other = Book::open(&dir.path().join("other.sqlite3")).expect("book");
    let mut anna = CustomerDraft::named("Anna Keller");
    anna.emails =
        vec![EmailEntry { label: String::new(), address: "ANNA@example.com".into(), primary: true }];
    anna.phones = vec![PhoneEntry {
        label: String::new(),
        number: "+41 44 668 18 00".into(),
        e164: None,
        primary: true,
    }];
    anna.company = "Keller AG".into();
    let anna_there = other.create_customer(anna).expect("anna");
    let mut bob = CustomerDraft::named("Bob Stone");
    bob.referred_by = Some(anna_there.id);
    let bob = other.create_customer(bob).expect("bob");
    let watch = |price: &str| PurchaseDraft {
        purchased_on: date("2025-04-01"),
        currency: "GBP".into(),
        payments: Vec::new(),
        trade_ins: Vec::new(),
        collected_on: None,
        redemption: None,
        channel: SaleChannel::InStore,
        salesperson: String::new(),
        notes: String::new(),
        items: vec![PurchaseItem { brand: "Omega".into(), ..PurchaseItem::priced(amount(price)) }],
    };
    other.add_purchase(anna_there.id, watch("100.50")).expect("sale");
    other.add_purchase(bob.id, watch("200")).expect("sale");
    other
        .add_entry(
            anna_there.id,
            NoteDraft {
                category: NoteCategory::Internal,
                body: "Met at the fair".into(),
                pinned: false,
                noted_on: date("2025-04-01"),
            },
        )
        .expect("note");
    let visit = InteractionDraft {
        kind: InteractionKind::ShopVisit,
        direction: Direction::Inbound,
        occurred_on: date("2025-04-02"),
        summary: "Came in with the letter".into(),
        outcome: String::new(),
        campaign: "Spring letters".into(),
        response: Some(InteractionResponse::Visited),
    };
    other.add_entry(anna_there.id, visit).expect("visit");
    let folder = dir.path().join("other");
    export(&other, &folder);

    let mut book = Book::open(&dir.path().join("book.sqlite3")).expect("book");
    book.generate_demo(5, 5, 3, |_| {}).expect("demo");
    let mut anna_here = CustomerDraft::named("Anna Keller");
    anna_here.emails =
        vec![EmailEntry { label: String::new(), address: "anna@example.com".into(), primary: true }];
    let anna_here = book.create_customer(anna_here).expect("anna");
    book.add_purchase(anna_here.id, watch("50")).expect("sale");
    let before = book.stats().expect("stats");

    let summary = import(&mut book, &folder, true).expect("merge");
    assert!(summary.merged_into_existing);
    assert_eq!((summary.customers_created, summary.customers_merged), (1, 1));
    let after = book.stats().expect("stats");
    assert_eq!(after.customers, before.customers + 1);
    assert_eq!(after.purchases, before.purchases + 2);
    let story = book.customer_story(anna_here.id).expect("story");
    assert_eq!(story.customer.profile.company, "Keller AG", "an empty field filled");
    assert_eq!(story.customer.profile.emails.len(), 1, "the same email, not added twice");
    assert_eq!(story.customer.profile.phones[0].e164.as_deref(), Some("+41446681800"), "the phone added");
    assert_eq!(story.purchases.len(), 2);
    assert_eq!(story.totals.by_currency[0].lifetime_spend.to_string(), "150.50");
    assert_eq!(story.notes[0].entry.body, "Met at the fair");
    let visits: Vec<(&str, Option<InteractionResponse>)> = story
        .interactions
        .iter()
        .map(|contact| (contact.entry.summary.as_str(), contact.entry.response))
        .collect();
    assert_eq!(visits, [("Came in with the letter", Some(InteractionResponse::Visited))]);
    let bob_here = book.search_customers("Bob Stone", 5).expect("search")[0].id;
    let bob_story = book.customer_story(bob_here).expect("story");
    assert_eq!(bob_story.customer.profile.referred_by, Some(anna_here.id), "the referrer's new id");
    assert_eq!(bob_story.purchases[0].sale.items[0].price.to_string(), "200");
    let omega: Vec<i64> =
        book.search_customers("omega", 50).expect("search").iter().map(|row| row.id).collect();
    assert!(omega.contains(&anna_here.id) && omega.contains(&bob_here), "items indexed: {omega:?}");
    let batch = summary.batch_id.expect("a batch");
    let error = book.undo_import(batch).expect_err("a merged book is not undone");
    assert!(error.to_string().contains("merged a whole book"), "{error}");
}

#[test]
fn exports_refuse_a_folder_that_holds_files_and_cancelled_jobs_leave_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut book = Book::open(&dir.path().join("book.sqlite3")).expect("book");
    book.generate_demo(30, 60, 9, |_| {}).expect("demo");
    let occupied = dir.path().join("occupied");
    std::fs::create_dir(&occupied).expect("dir");
    std::fs::write(occupied.join("keep.txt"), "mine").expect("write");
    let error = book.export_book(&occupied, &AtomicBool::new(false), |_| {}).expect_err("refused");
    assert!(error.to_string().contains("already holds files"), "{error}");
    assert!(
        matches!(&error, Error::Invalid { problem: Problem::FolderNotEmpty { path }, .. } if path.ends_with("occupied")),
        "{error:?}"
    );
    assert_eq!(files(&occupied).len(), 1);

    let cancelled = dir.path().join("cancelled");
    let error = book.export_book(&cancelled, &AtomicBool::new(true), |_| {}).expect_err("cancelled");
    assert!(matches!(error, Error::Cancelled), "{error}");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("folder")
        .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|name| name.contains("cancelled") || name.contains("exporting")), "{names:?}");

    let folder = dir.path().join("folder");
    export(&book, &folder);
    let mut target = Book::open(&dir.path().join("target.sqlite3")).expect("book");
    let error = target
        .import_book(&folder, &BookImportOptions::default(), &AtomicBool::new(true), |_| {})
        .expect_err("cancelled");
    assert!(matches!(error, Error::Cancelled), "{error}");
    assert_eq!(target.stats().expect("stats").customers, 0);
}
