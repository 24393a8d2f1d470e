//! Importing the contact files dealers really have (fixtures in tests/fixtures/import, written
//! from each tool's documented headers, in their encodings and line endings).

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use loupe_core::import::{
    DateColumn, DateDecision, DateOrder, ImportOptions, ImportSummary, MatchReason, RejectedRowsWording,
    RowOutcome, Target, WarningAction,
};
use loupe_core::model::*;
use loupe_core::problem::Problem;
use loupe_core::{Book, Error};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/import").join(name)
}

fn import(book: &mut Book, name: &str) -> ImportSummary {
    book.commit_import(&fixture(name), &ImportOptions::default(), &AtomicBool::new(false), |_| {})
        .unwrap_or_else(|error| panic!("{name}: {error}"))
}

fn find(book: &Book, text: &str) -> Customer {
    let rows = book.search_customers(text, 5).expect("search");
    let row = rows.first().unwrap_or_else(|| panic!("nobody found for {text}"));
    book.customer(row.id).expect("customer")
}

fn consent(customer: &Customer, channel: Channel) -> ConsentStatus {
    customer
        .profile
        .consents
        .iter()
        .find(|consent| consent.channel == channel)
        .map_or(ConsentStatus::Unknown, |c| c.status)
}

#[test]
fn google_contacts_keep_accents_labels_numbered_columns_and_year_less_birthdays() {
    let mut book = Book::open_in_memory().expect("book");
    let summary = import(&mut book, "google-contacts.csv");
    assert_eq!((summary.created, summary.rejected), (2, 0), "{:?}", summary.rejected_rows);
    let zoe = find(&book, "zoe.muller@example.ch");
    let profile = &zoe.profile;
    assert_eq!((profile.full_name.as_str(), profile.title.as_str()), ("Zoë Müller", "Dr"));
    assert_eq!((profile.company.as_str(), profile.job_title.as_str()), ("Genève Horlogerie SA", "Buyer"));
    assert_eq!(profile.emails.len(), 2);
    assert_eq!(profile.emails[0].label, "work");
    assert_eq!(profile.phones[1].e164.as_deref(), Some("+41227001234"), "the (0) is dropped");
    assert_eq!(profile.tags, ["VIP", "Patek waitlist"], "Google's own labels are not tags");
    assert_eq!(profile.addresses[0].city, "Genève");
    assert_eq!(profile.birthday.map(|date| date.to_string()).as_deref(), Some("1971-03-08"));
    let story = book.customer_story(zoe.id).expect("story");
    assert!(story.notes[0].entry.body.contains("5196 when one comes in"), "multi-line note kept");
    let james = find(&book, "j.obrien@example.com");
    assert_eq!(james.profile.emails.len(), 2, "' ::: ' splits values");
    assert_eq!(james.profile.birthday.map(|date| date.to_string()).as_deref(), Some("--06-14"));
    assert_eq!(consent(&james, Channel::Email), ConsentStatus::Unknown, "no consent unless the file says so");
}

#[test]
fn outlook_shopify_and_mailchimp_layouts() {
    let mut book = Book::open_in_memory().expect("book");
    for name in ["outlook.csv", "shopify-customers.csv", "subscribed_members_export_8a1b2c.csv"] {
        let summary = import(&mut book, name);
        assert_eq!(summary.rejected, 0, "{name}: {:?}", summary.rejected_rows);
    }
    let charlotte = find(&book, "charlotte@burlington.example");
    assert_eq!(charlotte.profile.title, "Mrs");
    assert_eq!(charlotte.profile.birthday.map(|date| date.to_string()).as_deref(), Some("1975-12-25"));
    assert_eq!(charlotte.profile.tags, ["VIP", "Rolex"]);
    assert_eq!(
        charlotte.profile.occasions[0].date.to_string(),
        "1998-06-12",
        "day first, as the column shows"
    );
    assert_eq!(charlotte.profile.phones.len(), 2);

    let amelia = find(&book, "amelia.evans@example.com");
    assert_eq!(consent(&amelia, Channel::Email), ConsentStatus::OptedIn);
    assert_eq!(consent(&amelia, Channel::Sms), ConsentStatus::OptedOut);
    let opt_in =
        amelia.profile.consents.iter().find(|consent| consent.channel == Channel::Email).expect("email");
    assert_eq!(opt_in.source, "import of shopify-customers.csv, column 'Accepts Email Marketing'");
    assert_eq!(amelia.profile.phones[0].e164.as_deref(), Some("+447400654321"), "leading apostrophe dropped");
    assert_eq!(amelia.profile.addresses[0].street, "12 King Street, Flat 3");
    assert_eq!(amelia.profile.tags, ["online", "newsletter"]);
    let lea = find(&book, "lea.moreau@example.fr");
    assert_eq!(lea.profile.emails[0].address, "LEA.MOREAU@example.fr", "kept as written");

    let grace = find(&book, "grace.williams@example.com");
    assert_eq!(consent(&grace, Channel::Email), ConsentStatus::OptedIn, "a subscribed export says so");
    let opt_in =
        grace.profile.consents.iter().find(|consent| consent.channel == Channel::Email).expect("email");
    assert_eq!(opt_in.date.map(|date| date.to_string()).as_deref(), Some("2025-03-01"), "its OPTIN_TIME");
    assert_eq!(opt_in.source, "import of subscribed_members_export_8a1b2c.csv, column 'OPTIN_TIME'");
    assert_eq!(grace.profile.birthday.map(|date| date.to_string()).as_deref(), Some("--05-17"));
    let oliver = find(&book, "oliver@example.com");
    assert_eq!(oliver.profile.full_name, "oliver@example.com", "no name: the email stands in");
}

#[test]
fn chinese_european_and_unicode_text_files_from_excel() {
    let mut book = Book::open_in_memory().expect("book");
    for name in ["business-cards-gbk.csv", "excel-european.csv", "excel-unicode-text.txt"] {
        // Business cards from a Chinese fair: national numbers are Chinese.
        let region = (name == "business-cards-gbk.csv").then(|| "CN".to_string());
        let options = ImportOptions { region, ..ImportOptions::default() };
        let preview =
            book.preview_import(&fixture(name), &options, &AtomicBool::new(false), |_| {}).expect(name);
        assert_eq!(preview.counts.rejected, 0, "{name}: {:?}", preview.rejected_rows);
        let expected = match name {
            "business-cards-gbk.csv" => ("gb18030", ","),
            "excel-european.csv" => ("windows-1252", ";"),
            _ => ("UTF-16LE", "\t"),
        };
        assert_eq!((preview.encoding.as_str(), preview.delimiter.as_str()), expected, "{name}");
        let summary =
            book.commit_import(&fixture(name), &options, &AtomicBool::new(false), |_| {}).expect(name);
        assert_eq!(summary.created, preview.counts.new);
    }
    let wang = find(&book, "王小明");
    assert_eq!((wang.profile.family_name.as_str(), wang.profile.given_name.as_str()), ("王", "小明"));
    assert_eq!((wang.profile.company.as_str(), wang.profile.job_title.as_str()), ("周大福珠宝", "采购经理"));
    assert_eq!(wang.profile.phones[0].e164.as_deref(), Some("+8613800138000"));
    let story = book.customer_story(wang.id).expect("story");
    assert!(story.notes[0].entry.body.contains("微信: wxm_2026"), "{}", story.notes[0].entry.body);
    let nana = find(&book, "欧阳娜娜");
    assert_eq!(nana.profile.family_name, "欧阳");

    let jurgen = find(&book, "Groß");
    assert_eq!(jurgen.profile.company, "Zürich Uhren AG");
    assert_eq!(jurgen.profile.birthday.map(|date| date.to_string()).as_deref(), Some("1963-05-17"));
    assert_eq!(consent(&jurgen, Channel::Email), ConsentStatus::OptedIn);
    let kathe = find(&book, "Schäfer");
    assert_eq!(consent(&kathe, Channel::Email), ConsentStatus::OptedOut);
    assert_eq!(kathe.profile.phones[0].e164.as_deref(), Some("+4915123456790"));

    let meiling = find(&book, "陈美玲");
    assert_eq!(meiling.profile.phones[0].e164.as_deref(), Some("+85251234567"));
}

#[test]
fn a_bad_cell_never_costs_the_person_and_unreadable_rows_are_rejected_with_their_line() {
    let mut book = Book::open_in_memory().expect("book");
    let preview = book
        .preview_import(
            &fixture("fair-visitors-with-problems.csv"),
            &ImportOptions::default(),
            &AtomicBool::new(false),
            |_| {},
        )
        .expect("preview");
    // Only rows that cannot be read as a row are left out.
    let reasons: Vec<(u64, &str)> =
        preview.rejected_rows.iter().map(|row| (row.line, row.reason.as_str())).collect();
    assert_eq!(reasons.len(), 2, "{reasons:#?}");
    assert!(reasons[0].0 == 5 && reasons[0].1.contains("quoted field is not closed"), "{reasons:?}");
    assert!(reasons[1].0 == 7 && reasons[1].1.contains("8 fields where the header has 6"), "{reasons:?}");
    let rejected = &preview.rejected_rows;
    assert_eq!((rejected[0].column.as_deref(), &rejected[0].problem), (None, &Problem::UnclosedQuote));
    assert_eq!(rejected[1].problem, Problem::FieldCount { found: 8, expected: 6 });
    // A typo in one cell: the person comes in, the cell is kept as typed and listed.
    let warnings: Vec<(u64, &str, WarningAction)> = preview
        .warnings
        .iter()
        .map(|warning| (warning.line, warning.column.as_str(), warning.action))
        .collect();
    assert_eq!(
        warnings,
        [
            (3, "Email", WarningAction::KeptInNote),
            (4, "Phone", WarningAction::PhoneUnverified),
            (9, "Birthday", WarningAction::KeptInNote),
        ]
    );
    assert!(matches!(preview.warnings[0].problem, Problem::NotAnEmail { .. }));
    assert!(matches!(
        preview.warnings[1].problem,
        Problem::NotAPhone { .. } | Problem::PhoneNotInRegion { .. }
    ));
    assert!(
        preview.warnings[2].reason.starts_with("column 'Birthday': '31/02/1990'"),
        "{:?}",
        preview.warnings[2]
    );
    assert_eq!(preview.counts.warnings, 3);
    assert_eq!(preview.counts.duplicates_in_file, 1, "Anna came back: same email, other case and spaces");
    assert_eq!(preview.counts.new, 6);
    assert_eq!(preview.dates[0].order, DateOrder::DayFirst);
    assert_eq!(preview.dates[0].decided_by, DateDecision::Evidence);

    let summary = import(&mut book, "fair-visitors-with-problems.csv");
    assert_eq!((summary.created, summary.duplicates_in_file, summary.rejected), (6, 1, 2));
    assert_eq!(summary.rejected_rows, preview.rejected_rows, "the preview said exactly this");
    assert_eq!(summary.warnings, preview.warnings);
    let anna = find(&book, "anna@example.com");
    let story = book.customer_story(anna.id).expect("story");
    let notes: Vec<&str> = story.notes.iter().map(|note| note.entry.body.as_str()).collect();
    assert_eq!(notes.len(), 2, "both visits' notes: {notes:?}");
    let ben = find(&book, "Ben Jones");
    assert!(ben.profile.emails.is_empty());
    assert_eq!(ben.profile.phones[0].e164.as_deref(), Some("+447911100201"));
    let ben_notes = book.customer_story(ben.id).expect("story").notes;
    assert!(ben_notes[0].entry.body.contains("Email: not-an-email"), "{:?}", ben_notes[0].entry.body);
    // An unverified number: kept as typed, matched with nobody, and the profile still saves.
    let carl = find(&book, "Carl Brown");
    assert_eq!(
        (carl.profile.phones[0].number.as_str(), carl.profile.phones[0].e164.as_deref()),
        ("12", None)
    );
    let mut edited = carl.profile.clone();
    edited.company = "Brown & Sons".into();
    let saved = book.update_customer(carl.id, edited.clone()).expect("a stored unverified number may stay");
    assert_eq!(saved.profile.phones[0].number, "12");
    edited.phones.push(PhoneEntry { label: String::new(), number: "13".into(), e164: None, primary: false });
    let error = book.update_customer(carl.id, edited).expect_err("a new number must be one");
    assert!(matches!(error, Error::Invalid { ref field, .. } if field == "phones[1].number"), "{error}");
    let gill = find(&book, "Gill Hart");
    assert_eq!(gill.profile.birthday, None);

    // As the `loupe` command writes it: English, plain CSV.
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("rejected.csv");
    let problems = fixture("fair-visitors-with-problems.csv");
    let written = book
        .write_rejected_rows(
            &problems,
            &ImportOptions::default(),
            &RejectedRowsWording::default(),
            false,
            &out,
        )
        .expect("rejected rows");
    assert_eq!(written, 2);
    let text = std::fs::read_to_string(&out).expect("read");
    assert!(
        text.starts_with("Line in file,Reason left out,Name,Email,Phone,Company,Birthday,Notes\n"),
        "{text}"
    );
    let english = &summary.rejected_rows[1];
    assert!(text.contains("\n7,8 fields where the header has 6") && text.contains(&english.reason), "{text}");

    // As the window writes it: its titles, its reason where it gave one, English where not,
    // laid out for Excel (without the byte-order mark Excel reads UTF-8 in the computer's code
    // page, and garbles accents and Chinese).
    let worded = &summary.rejected_rows[0];
    let wording = RejectedRowsWording {
        line_title: "原文件行号".into(),
        reason_title: "未导入原因".into(),
        reasons: [(worded.line, "引号没有闭合。".to_string())].into(),
    };
    let written = book
        .write_rejected_rows(&problems, &ImportOptions::default(), &wording, true, &out)
        .expect("in Chinese");
    assert_eq!(written, 2);
    let text = std::fs::read_to_string(&out).expect("read");
    assert!(text.starts_with("\u{feff}原文件行号,未导入原因,Name,Email"), "{text}");
    assert!(text.contains(&format!("{},引号没有闭合。,", worded.line)), "{text}");
    assert!(
        !text.contains(&worded.reason) && text.contains(&english.reason) && text.contains("\r\n"),
        "{text}"
    );

    // Corrected in the spreadsheet and imported again: Loupe's two columns are left out, and
    // the cells it guarded for the spreadsheet read back as they were.
    let corrected = text + "99,,Ivy Lane,ivy@example.com,'07911100299,'=Lane Holdings,,\r\n";
    std::fs::write(&out, corrected).expect("write the corrected file");
    let again =
        book.preview_import(&out, &ImportOptions::default(), &AtomicBool::new(false), |_| {}).expect("again");
    let targets: Vec<&Target> = again.mapping.iter().map(|column| &column.target).collect();
    assert_eq!(targets[..2], [&Target::Ignore, &Target::Ignore], "{:?}", again.mapping);
    let ivy = again.rows.iter().find(|row| row.name == "Ivy Lane").expect("Ivy");
    assert_eq!((ivy.phone.as_str(), ivy.company.as_str()), ("07911100299", "=Lane Holdings"));
}

#[test]
fn merges_fill_gaps_never_overwrite_and_undo_restores_everything() {
    let mut book = Book::open_in_memory().expect("book");
    let mut draft = CustomerDraft::named("Anna Smith");
    draft.company = "Smith & Co".into();
    draft.emails.push(EmailEntry { label: String::new(), address: "Anna@Example.com".into(), primary: true });
    draft.consents.push(Consent::given_today(
        Channel::Email,
        ConsentStatus::OptedOut,
        "asked at the counter",
    ));
    let anna = book.create_customer(draft).expect("anna");
    let mut harry = CustomerDraft::named("Harry Day");
    harry.company = "Day Watches".into();
    let harry = book.create_customer(harry).expect("harry");
    let before = book.customer(anna.id).expect("anna").profile;

    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("visitors.csv");
    std::fs::write(
        &file,
        "Name,Email,Phone,Company,Job Title,Newsletter\n\
         Anna Smith, anna@example.com ,07911 100200,Smith and Sons,Buyer,yes\n\
         Harry Day,,,Day Watches,,\n\
         Ivy New,ivy@example.com,,,,yes\n\
         Anna Smith,ANNA@EXAMPLE.COM,,,,\n",
    )
    .expect("write");
    let preview = book
        .preview_import(&file, &ImportOptions::default(), &AtomicBool::new(false), |_| {})
        .expect("preview");
    assert!(
        matches!(preview.rows[0].outcome, RowOutcome::Merge { customer_id, .. } if customer_id == anna.id)
    );
    let conflicts: Vec<&str> =
        preview.rows[0].conflicts.iter().map(|conflict| conflict.field.as_str()).collect();
    assert_eq!(conflicts, ["company", "consents.email"]);
    assert!(
        matches!(preview.rows[1].outcome, RowOutcome::LikelyMatch { customer_id, .. } if customer_id == harry.id)
    );

    let options = ImportOptions { confirmed_matches: vec![3], ..ImportOptions::default() };
    let summary = book.commit_import(&file, &options, &AtomicBool::new(false), |_| {}).expect("commit");
    assert_eq!((summary.created, summary.merged, summary.duplicates_in_file), (1, 2, 1));
    let anna_now = book.customer(anna.id).expect("anna");
    assert!(anna_now.updated_at > anna.updated_at, "the merge counts as a change");
    let merged = anna_now.profile;
    assert_eq!(merged.company, "Smith & Co", "never overwritten");
    assert_eq!(merged.job_title, "Buyer", "an empty field is filled");
    assert_eq!(merged.emails, before.emails, "the email the book had is kept as it was");
    let listed = book.list_customers(&ListQuery::default()).expect("list");
    let row = listed.rows.iter().find(|row| row.id == anna.id).expect("anna is listed");
    assert_eq!(row.primary_phone.as_deref(), Some("07911 100200"), "the list shows the added phone");
    let harry_now = book.customer(harry.id).expect("harry").profile;
    assert_eq!((harry_now.given_name.as_str(), harry_now.family_name.as_str()), ("Harry", "Day"));
    assert_eq!(harry_now.company, "Day Watches");
    assert_eq!(consent(&book.customer(anna.id).expect("anna"), Channel::Email), ConsentStatus::OptedOut);
    assert_eq!(merged.phones[0].e164.as_deref(), Some("+447911100200"), "the new phone was added");
    let by_phone = book.search_customers("07911 100200", 5).expect("search");
    assert_eq!(by_phone.first().map(|row| row.id), Some(anna.id), "and is searchable");
    assert_eq!(book.stats().expect("stats").customers, 3);

    let batches = book.import_batches().expect("batches");
    assert_eq!((batches[0].id, batches[0].created, batches[0].merged), (summary.batch_id, 1, 2));
    let undone = book.undo_import(summary.batch_id).expect("undo");
    assert_eq!((undone.removed, undone.restored), (1, 2));
    assert_eq!(book.customer(anna.id).expect("anna").profile, before);
    assert_eq!(book.stats().expect("stats").customers, 2);
    assert_eq!(book.stats().expect("stats").notes, 0);
    assert!(book.search_customers("ivy", 5).expect("search").is_empty(), "gone from search too");
    assert!(matches!(book.undo_import(summary.batch_id), Err(Error::Invalid { .. })), "only once");
}

#[test]
fn undoing_an_import_never_reverts_what_changed_since_and_never_grants_a_withdrawn_consent() {
    let mut book = Book::open_in_memory().expect("book");
    let email = |address: &str| EmailEntry { label: String::new(), address: address.into(), primary: true };
    let anna = book
        .create_customer(CustomerDraft {
            emails: vec![email("anna@example.com")],
            ..CustomerDraft::named("Anna Smith")
        })
        .expect("anna");
    let ben = book
        .create_customer(CustomerDraft {
            emails: vec![email("ben@example.com")],
            ..CustomerDraft::named("Ben Mueller")
        })
        .expect("ben");
    let (anna_before, ben_before) =
        (book.customer(anna.id).expect("anna").profile, book.customer(ben.id).expect("ben").profile);
    let dir = tempfile::tempdir().expect("dir");
    let path = file_in(
        dir.path(),
        "fair.csv",
        "Name,Email,Phone,Job Title,Newsletter\n\
         Anna Smith,anna@example.com,07911 100200,Buyer,yes\n\
         Ben Mueller,ben@example.com,07911 100300,Collector,yes\n",
    );
    let summary = commit(&mut book, &path, &ImportOptions::default());
    assert_eq!(summary.merged, 2);
    assert_eq!(consent(&book.customer(anna.id).expect("anna"), Channel::Email), ConsentStatus::OptedIn);

    // Later, Anna asks to hear no more, and the dealer corrects the number the file gave.
    let mut later = book.customer(anna.id).expect("anna").profile;
    later.consents.retain(|consent| consent.channel != Channel::Email);
    later.consents.push(Consent::given_today(
        Channel::Email,
        ConsentStatus::OptedOut,
        "asked at the counter",
    ));
    later.phones[0].number = "07911 100201".into();
    later.phones[0].e164 = None;
    let later = book.update_customer(anna.id, later).expect("opt-out").profile;

    let undone = book.undo_import(summary.batch_id).expect("undo");
    assert_eq!((undone.removed, undone.restored), (0, 2));
    let anna_now = book.customer(anna.id).expect("anna");
    assert_eq!(consent(&anna_now, Channel::Email), ConsentStatus::OptedOut, "the withdrawal stands");
    assert_eq!(anna_now.profile.phones, later.phones, "the corrected phone stays");
    assert_eq!(
        anna_now.profile.job_title, anna_before.job_title,
        "what the import filled and nobody touched goes"
    );
    // Nothing changed Ben since: he is as before the import, consent and all.
    assert_eq!(book.customer(ben.id).expect("ben").profile, ben_before);
    assert_eq!(consent(&book.customer(ben.id).expect("ben"), Channel::Email), ConsentStatus::Unknown);
}

#[test]
fn undoing_an_import_made_before_loupe_kept_its_result_still_leaves_opt_outs_standing() {
    let dir = tempfile::tempdir().expect("dir");
    let book_path = dir.path().join("book.sqlite3");
    let mut book = Book::open(&book_path).expect("book");
    let email = |address: &str| EmailEntry { label: String::new(), address: address.into(), primary: true };
    let anna = book
        .create_customer(CustomerDraft {
            emails: vec![email("anna@example.com")],
            ..CustomerDraft::named("Anna Smith")
        })
        .expect("anna");
    let ben = book
        .create_customer(CustomerDraft {
            emails: vec![email("ben@example.com")],
            ..CustomerDraft::named("Ben Mueller")
        })
        .expect("ben");
    let path = file_in(
        dir.path(),
        "fair.csv",
        "Name,Email,Newsletter\nAnna Smith,anna@example.com,yes\nBen Mueller,ben@example.com,yes\n",
    );
    let summary = commit(&mut book, &path, &ImportOptions::default());
    // As an import made by an earlier version left it: no profile after the merge.
    rusqlite::Connection::open(&book_path)
        .expect("open")
        .execute("UPDATE import_merges SET after_json = NULL", [])
        .expect("forget");
    let mut later = book.customer(anna.id).expect("anna").profile;
    later.consents.retain(|consent| consent.channel != Channel::Email);
    later.consents.push(Consent::given_today(
        Channel::Email,
        ConsentStatus::OptedOut,
        "asked at the counter",
    ));
    book.update_customer(anna.id, later).expect("opt-out");

    book.undo_import(summary.batch_id).expect("undo");
    assert_eq!(consent(&book.customer(anna.id).expect("anna"), Channel::Email), ConsentStatus::OptedOut);
    assert_eq!(consent(&book.customer(ben.id).expect("ben"), Channel::Email), ConsentStatus::Unknown);
}

#[test]
fn files_that_are_not_contact_tables_write_nothing() {
    let mut book = Book::open_in_memory().expect("book");
    let dir = tempfile::tempdir().expect("dir");
    let cases: [(&str, &[u8], &str); 5] = [
        ("empty.csv", b"", "empty"),
        ("header-only.csv", b"Name,Email\n", "no data rows"),
        (
            "photo.jpg",
            &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1],
            "not a text file",
        ),
        ("prices.csv", b"Reference,Price\n116500LN,25000\n", "no column holds a name"),
        ("bad-utf8.csv", b"Name\n\xC3\x28bad\n", "encoding"),
    ];
    for (name, bytes, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let options = if name == "bad-utf8.csv" {
            ImportOptions { encoding: Some("utf-8".into()), ..ImportOptions::default() }
        } else {
            ImportOptions::default()
        };
        let result = book.commit_import(&path, &options, &AtomicBool::new(false), |_| {});
        match (name, result) {
            ("header-only.csv", Ok(summary)) => {
                assert_eq!(summary.created + summary.merged + summary.rejected, 0);
            }
            ("bad-utf8.csv", Ok(summary)) => assert_eq!(summary.rejected, 1, "{summary:?}"),
            (_, Err(error)) => {
                assert!(error.to_string().contains(expected), "{name}: {error}");
                // The window words it in the dealer's language, beside the file's name.
                let payload = error.to_payload();
                assert!(
                    matches!(&error, Error::ImportFile { problem, .. } if !matches!(problem, Problem::Other { .. }))
                        && payload.problem.is_some()
                        && payload.field.is_none(),
                    "{name}: {error:?}"
                );
            }
            (_, Ok(summary)) => panic!("{name} imported: {summary:?}"),
        }
    }
    assert_eq!(book.stats().expect("stats").customers, 0);
}

#[test]
fn a_cancelled_import_writes_nothing_and_mappings_can_be_saved() {
    let mut book = Book::open_in_memory().expect("book");
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("big.csv");
    let mut text = String::from("Name,Email\n");
    for index in 0..5000 {
        text.push_str(&format!("Person {index},p{index}@example.com\n"));
    }
    std::fs::write(&path, text).expect("write");
    let cancel = AtomicBool::new(false);
    let mut reports = 0;
    let result = book.commit_import(&path, &ImportOptions::default(), &cancel, |progress| {
        reports += 1;
        assert!(progress.bytes_read <= progress.file_size);
        cancel.store(true, std::sync::atomic::Ordering::Relaxed);
    });
    assert!(matches!(result, Err(Error::Cancelled)), "{result:?}");
    assert!(reports >= 1);
    assert_eq!(book.stats().expect("stats").customers, 0);
    assert!(book.import_batches().expect("batches").is_empty());

    let preview = book
        .preview_import(&path, &ImportOptions::default(), &AtomicBool::new(false), |_| {})
        .expect("preview");
    let mut mapping = preview.mapping.clone();
    mapping[0].target = Target::Note;
    mapping[1].target = Target::Email { group: String::new() };
    book.save_import_mapping(&mapping).expect("save");
    let again = book
        .preview_import(&path, &ImportOptions::default(), &AtomicBool::new(false), |_| {})
        .expect("again");
    assert!(again.saved_mapping);
    assert_eq!(again.mapping, mapping);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Any bytes at all: a clear refusal or a result whose counts add up, never a panic or a
    /// storage error, and a refused or previewed file writes nothing.
    fn import_anything(bytes: &[u8]) {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("anything.csv");
        std::fs::write(&path, bytes).expect("write");
        let mut book = Book::open_in_memory().expect("book");
        match book.preview_import(&path, &ImportOptions::default(), &AtomicBool::new(false), |_| {}) {
            Ok(preview) => {
                let counts = preview.counts;
                assert_eq!(
                    counts.rows,
                    counts.new
                        + counts.merge
                        + counts.duplicates_in_file
                        + counts.likely_matches
                        + counts.rejected
                );
                assert_eq!(book.stats().expect("stats").customers, 0, "a preview writes nothing");
                let summary = book
                    .commit_import(&path, &ImportOptions::default(), &AtomicBool::new(false), |_| {})
                    .expect("what previewed also commits");
                assert_eq!(
                    (summary.created, summary.rejected),
                    (counts.new + counts.likely_matches, counts.rejected)
                );
                assert_eq!(book.stats().expect("stats").customers, summary.created);
            }
            Err(error) => {
                assert!(matches!(error, Error::ImportFile { .. }), "unclear refusal: {error:?}");
                assert_eq!(book.stats().expect("stats").customers, 0);
            }
        }
    }

    /// Text that looks like a contacts file: quotes, delimiters, newlines, accents, CJK.
    fn csvish() -> impl Strategy<Value = String> {
        let cell = prop_oneof![
            "[A-Za-zéüß王小明 ]{0,12}",
            "[a-z]{1,6}@[a-z]{1,5}\\.com",
            "\\+?[0-9 ()-]{0,14}",
            "[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}",
            Just("\"".to_string()),
            Just("\"quoted, \"\"text\"\"\nwith newline\"".to_string()),
            Just(String::new()),
        ];
        let row = prop::collection::vec(cell, 1..6);
        let header = prop::sample::subsequence(
            vec!["Name", "Email", "Phone", "Birthday", "Company", "Notes", "Tags"],
            1..6,
        );
        (header, prop::collection::vec(row, 0..12), prop::sample::select(vec![",", ";", "\t"]), any::<bool>())
            .prop_map(|(header, rows, delimiter, crlf)| {
                let newline = if crlf { "\r\n" } else { "\n" };
                let mut text = header.join(delimiter);
                for row in rows {
                    text.push_str(newline);
                    text.push_str(&row.join(delimiter));
                }
                text
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        #[test]
        fn any_bytes_are_refused_clearly_or_imported(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
            import_anything(&bytes);
        }

        #[test]
        fn any_contacts_like_text_is_refused_clearly_or_imported(text in csvish()) {
            import_anything(text.as_bytes());
        }
    }
}

#[test]
fn the_preview_shows_a_few_values_of_each_column() {
    let mut book = Book::open_in_memory().expect("book");
    let preview = book
        .preview_import(
            &fixture("google-contacts.csv"),
            &ImportOptions::default(),
            &AtomicBool::new(false),
            |_| {},
        )
        .expect("preview");
    assert_eq!(preview.samples.len(), preview.headers.len(), "one list per column");
    let of = |header: &str| {
        let index = preview.headers.iter().position(|name| name == header).expect(header);
        preview.samples[index].clone()
    };
    assert_eq!(of("First Name")[..2], ["Zoë", "James"]);
    assert_eq!(of("Birthday")[..2], ["1971-03-08", "--06-14"]);
    assert!(of("Middle Name").is_empty(), "an empty column has no examples");
    assert!(preview.samples.iter().all(|values| values.len() <= 3));
}

#[test]
fn the_rejected_rows_file_guards_its_header_cells_for_spreadsheets() {
    let dir = tempfile::tempdir().expect("dir");
    let formula = "=HYPERLINK(\"http://evil.example\",\"open\")";
    let path = file_in(
        dir.path(),
        "fair.csv",
        &format!(
            "Name,Email,\"{}\"\nAnn Archer,ann@example.com,x\n,,nobody named\n",
            formula.replace('"', "\"\"")
        ),
    );
    let mut book = Book::open_in_memory().expect("book");
    let out = dir.path().join("rejected.csv");
    let wording = RejectedRowsWording { line_title: "@line".into(), ..RejectedRowsWording::default() };
    let written = book
        .write_rejected_rows(&path, &ImportOptions::default(), &wording, true, &out)
        .expect("rejected rows");
    assert_eq!(written, 1);
    let text = std::fs::read_to_string(&out).expect("read");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.records().next().expect("a header").expect("readable");
    assert_eq!(header.get(0), Some("'@line"), "{text}");
    assert_eq!(header.get(4), Some(format!("'{formula}").as_str()), "{text}");
    // Read again, the header is the file's own.
    let again = preview_of(&mut book, &out, &ImportOptions::default());
    assert_eq!(again.mapping[4].column, formula, "{:?}", again.mapping);
}

/// Writes `text` as a file called `name` in `dir` and returns its path.
fn file_in(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the file");
    path
}

fn preview_of(book: &mut Book, path: &Path, options: &ImportOptions) -> loupe_core::import::ImportPreview {
    book.preview_import(path, options, &AtomicBool::new(false), |_| {}).expect("preview")
}

fn commit(book: &mut Book, path: &Path, options: &ImportOptions) -> ImportSummary {
    book.commit_import(path, options, &AtomicBool::new(false), |_| {}).expect("commit")
}

fn outcome_of(preview: &loupe_core::import::ImportPreview, line: u64) -> &RowOutcome {
    &preview.rows.iter().find(|row| row.line == line).expect("the line is in the preview").outcome
}

#[test]
fn colleagues_sharing_a_switchboard_stay_two_people_each_with_the_number() {
    let dir = tempfile::tempdir().expect("dir");
    let path = file_in(
        dir.path(),
        "fair-cards.csv",
        "Name,Company,Email,Phone\n\
         Anna Smith,Acme Ltd,anna@acme.example,+44 20 7946 0000\n\
         Ben Mueller,Acme Ltd,ben@acme.example,+44 20 7946 0000\n",
    );
    let mut book = Book::open_in_memory().expect("book");
    let preview = preview_of(&mut book, &path, &ImportOptions::default());
    assert_eq!(
        (preview.counts.new, preview.counts.likely_matches, preview.counts.duplicates_in_file),
        (1, 1, 0)
    );
    assert!(
        matches!(outcome_of(&preview, 3), RowOutcome::LikelyMatch { customer_name, reason: MatchReason::SamePhone, .. } if customer_name == "Anna Smith"),
        "{:?}",
        outcome_of(&preview, 3)
    );
    let summary = commit(&mut book, &path, &ImportOptions::default());
    assert_eq!(summary.created, 2, "unconfirmed, a likely match is a new customer");
    for (name, email) in [("Anna Smith", "anna@acme.example"), ("Ben Mueller", "ben@acme.example")] {
        let person = find(&book, name);
        assert_eq!(person.profile.full_name, name);
        let emails: Vec<&str> = person.profile.emails.iter().map(|email| email.address.as_str()).collect();
        assert_eq!(emails, [email]);
        assert_eq!(
            person.profile.phones[0].e164.as_deref(),
            Some("+442079460000"),
            "the number stays on both"
        );
    }
}

#[test]
fn a_shared_email_under_another_name_is_a_likely_match_and_an_initial_is_the_same_person() {
    let mut book = Book::open_in_memory().expect("book");
    let mut ben = CustomerDraft::named("Ben Smith");
    ben.emails.push(EmailEntry {
        label: "home".into(),
        address: "smiths@home.example".into(),
        primary: true,
    });
    let ben = book.create_customer(ben).expect("ben");
    let mut grace = CustomerDraft::named("Grace Wilson");
    grace.emails.push(EmailEntry {
        label: String::new(),
        address: "grace@wilson.example".into(),
        primary: true,
    });
    grace.phones.push(PhoneEntry {
        label: String::new(),
        number: "07911 123456".into(),
        e164: None,
        primary: true,
    });
    let grace = book.create_customer(grace).expect("grace");
    let dir = tempfile::tempdir().expect("dir");
    let path = file_in(
        dir.path(),
        "visitors.csv",
        "Name,Email,Phone\n\
         Anna Smith,smiths@home.example,\n\
         G. Wilson,GRACE@wilson.example,+44 7911 123456\n\
         Mrs Smith,,\n",
    );
    let preview = preview_of(&mut book, &path, &ImportOptions::default());
    assert_eq!(
        outcome_of(&preview, 2),
        &RowOutcome::LikelyMatch {
            customer_id: ben.id,
            customer_name: "Ben Smith".into(),
            reason: MatchReason::SameEmail
        }
    );
    assert_eq!(
        outcome_of(&preview, 3),
        &RowOutcome::Merge { customer_id: grace.id, customer_name: "Grace Wilson".into() },
        "an initial and the same email and phone: the same person"
    );
    assert_eq!(outcome_of(&preview, 4), &RowOutcome::New);
    // Unconfirmed, the spouse is a customer of her own who shares the address.
    let summary = commit(&mut book, &path, &ImportOptions::default());
    assert_eq!((summary.created, summary.merged), (2, 1));
    let anna = find(&book, "Anna Smith");
    assert_ne!(anna.id, ben.id);
    assert_eq!(anna.profile.emails[0].address, "smiths@home.example");
    assert_eq!(book.customer(ben.id).expect("ben").profile.full_name, "Ben Smith");
    assert_eq!(book.customer(grace.id).expect("grace").profile.full_name, "Grace Wilson");

    // Confirmed by the dealer, the same row merges.
    let mut other = Book::open_in_memory().expect("book");
    let mut ben = CustomerDraft::named("Ben Smith");
    ben.emails.push(EmailEntry {
        label: "home".into(),
        address: "smiths@home.example".into(),
        primary: true,
    });
    let ben = other.create_customer(ben).expect("ben");
    let options = ImportOptions { confirmed_matches: vec![2], ..ImportOptions::default() };
    let preview = preview_of(&mut other, &path, &options);
    assert!(
        matches!(outcome_of(&preview, 2), RowOutcome::Merge { customer_id, .. } if *customer_id == ben.id)
    );
}

#[test]
fn mailchimp_exports_are_known_by_their_columns_and_dated_by_their_times() {
    let dir = tempfile::tempdir().expect("dir");
    // The subscribed export, renamed as a dealer would.
    let renamed = dir.path().join("march-newsletter-list.csv");
    std::fs::copy(fixture("subscribed_members_export_8a1b2c.csv"), &renamed).expect("copy");
    let unsubscribed = file_in(
        dir.path(),
        "export-2.csv",
        "Email Address,First Name,Last Name,OPTIN_TIME,CONFIRM_TIME,UNSUB_TIME,UNSUB_CAMPAIGN_TITLE\n\
         paul@example.com,Paul,Reid,2024-01-10 09:00:00,2024-01-10 09:01:00,2025-06-30 18:45:00,Summer\n",
    );
    let cleaned = file_in(
        dir.path(),
        "export-3.csv",
        "Email Address,First Name,Last Name,OPTIN_TIME,CONFIRM_TIME,CLEAN_TIME,CLEAN_CAMPAIGN_TITLE\n\
         rita@example.com,Rita,Ora,2024-01-10 09:00:00,2024-01-10 09:01:00,2025-02-03 07:00:00,Winter\n",
    );
    // A name alone says nothing about consent.
    let not_mailchimp =
        file_in(dir.path(), "subscribed_members_export_1.csv", "Name,Email\nSam Lee,sam@example.com\n");
    let mut book = Book::open_in_memory().expect("book");
    for path in [&renamed, &unsubscribed, &cleaned, &not_mailchimp] {
        let summary = commit(&mut book, path, &ImportOptions::default());
        assert_eq!(summary.rejected, 0, "{:?}", summary.rejected_rows);
    }
    let email_consent = |customer: &Customer| {
        customer
            .profile
            .consents
            .iter()
            .find(|consent| consent.channel == Channel::Email)
            .cloned()
            .expect("email")
    };
    let grace = email_consent(&find(&book, "grace.williams@example.com"));
    assert_eq!(
        (grace.status, grace.date.map(|date| date.to_string())),
        (ConsentStatus::OptedIn, Some("2025-03-01".into()))
    );
    assert_eq!(grace.source, "import of march-newsletter-list.csv, column 'OPTIN_TIME'");
    let paul = email_consent(&find(&book, "paul@example.com"));
    assert_eq!(
        (paul.status, paul.date.map(|date| date.to_string())),
        (ConsentStatus::OptedOut, Some("2025-06-30".into()))
    );
    assert_eq!(paul.source, "import of export-2.csv, column 'UNSUB_TIME'");
    let rita = find(&book, "rita@example.com");
    assert_eq!(
        consent(&rita, Channel::Email),
        ConsentStatus::Unknown,
        "a bounce is no answer from the person"
    );
    let rita_notes = book.customer_story(rita.id).expect("story").notes;
    assert!(rita_notes[0].entry.body.contains("CLEAN_TIME: 2025-02-03 07:00:00 (the email address bounced)"));
    assert_eq!(consent(&find(&book, "sam@example.com"), Channel::Email), ConsentStatus::Unknown);
}

#[test]
fn a_visit_date_column_dates_the_consent_and_the_note() {
    let dir = tempfile::tempdir().expect("dir");
    let path = file_in(
        dir.path(),
        "fair-log.csv",
        "Name,Email,Date,Newsletter,Notes\n\
         Anna Smith,anna@example.com,14/11/2026,yes,Liked the Reverso\n\
         Ben Jones,ben@example.com,not yet,no,\n",
    );
    let mut book = Book::open_in_memory().expect("book");
    let summary = commit(&mut book, &path, &ImportOptions::default());
    assert_eq!((summary.created, summary.rejected), (2, 0));
    let anna = find(&book, "anna@example.com");
    let consent =
        anna.profile.consents.iter().find(|consent| consent.channel == Channel::Email).expect("email");
    assert_eq!(consent.date.map(|date| date.to_string()).as_deref(), Some("2026-11-14"));
    assert_eq!(consent.source, "import of fair-log.csv, column 'Newsletter'");
    let notes = book.customer_story(anna.id).expect("story").notes;
    assert_eq!(notes[0].entry.noted_on.to_string(), "2026-11-14", "the note is of the day of the visit");
    // A date that is not one: the row comes in dated by the import, the cell kept in the note.
    assert_eq!(summary.warnings.len(), 1, "{:?}", summary.warnings);
    assert_eq!((summary.warnings[0].line, summary.warnings[0].column.as_str()), (3, "Date"));
    let ben = find(&book, "ben@example.com");
    let ben_consent =
        ben.profile.consents.iter().find(|consent| consent.channel == Channel::Email).expect("email");
    assert_eq!(ben_consent.date, Some(loupe_core::today()));
}

#[test]
fn only_a_date_that_reads_two_ways_asks_for_the_order() {
    let dir = tempfile::tempdir().expect("dir");
    let path = file_in(
        dir.path(),
        "fair-log.csv",
        "Name,Email,Visit date,Birthday\n\
         Anna Smith,anna@example.com,2026-11-14,--05-17\n\
         Ben Jones,ben@example.com,05/05/2026,03/04/1981\n",
    );
    let mut book = Book::open_in_memory().expect("book");
    let preview = preview_of(&mut book, &path, &ImportOptions::default());
    let asked: Vec<(&str, DateDecision)> =
        preview.dates.iter().map(|date| (date.column.as_str(), date.decided_by)).collect();
    assert_eq!(asked, [("Birthday", DateDecision::Assumed)], "ISO dates and 05/05 read one way only");

    let chosen = ImportOptions {
        date_orders: vec![DateColumn {
            column: "Visit date".into(),
            order: DateOrder::MonthFirst,
            decided_by: DateDecision::Chosen,
        }],
        ..ImportOptions::default()
    };
    let preview = preview_of(&mut book, &path, &chosen);
    let asked: Vec<&str> = preview.dates.iter().map(|date| date.column.as_str()).collect();
    assert_eq!(asked, ["Visit date", "Birthday"], "a choice the dealer made stays on screen");
}
