//! The files a dealer has besides CSV: Excel and OpenDocument workbooks and a phone's vCards,
//! read by their content through the same preview, matching, warnings and undo as a CSV.
//! Workbooks are written here with rust_xlsxwriter; the .ods and .xls fixtures were saved by
//! LibreOffice (tests/fixtures/import/README.md).

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use loupe_core::import::{
    FileKind, ImportOptions, ImportPreview, ImportSummary, RowOutcome, WarningAction, WorkbookFormat,
};
use loupe_core::model::*;
use loupe_core::problem::Problem;
use loupe_core::{Book, Error};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/import").join(name)
}

fn preview(book: &mut Book, path: &Path, options: &ImportOptions) -> ImportPreview {
    book.preview_import(path, options, &AtomicBool::new(false), |_| {})
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn commit(book: &mut Book, path: &Path, options: &ImportOptions) -> ImportSummary {
    book.commit_import(path, options, &AtomicBool::new(false), |_| {})
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn find(book: &Book, text: &str) -> Customer {
    let rows = book.search_customers(text, 5).expect("search");
    let row = rows.first().unwrap_or_else(|| panic!("nobody found for {text}"));
    book.customer(row.id).expect("customer")
}

fn sheet(name: &str) -> ImportOptions {
    ImportOptions { sheet: Some(name.into()), ..ImportOptions::default() }
}

/// A visitor log kept in Excel: a date column, a phone typed as a number, a leading-zero phone
/// stored as text, an empty row, a `#N/A`, a tick box; and a second sheet from a fair.
fn visitor_workbook(path: &Path) {
    let mut workbook = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let visitors = workbook.add_worksheet().set_name("Visitors").expect("name");
    for (column, title) in ["Date", "Name", "Phone", "Email", "Newsletter"].iter().enumerate() {
        visitors.write_string(0, column as u16, *title).expect("write");
    }
    let day = |d: u8| ExcelDateTime::from_ymd(2024, 3, d).expect("date");
    visitors.write_datetime_with_format(1, 0, day(15), &date).expect("write");
    visitors.write_string(1, 1, "Anna Smith").expect("write");
    visitors.write_number(1, 2, 447911123456.0).expect("write");
    visitors.write_string(1, 3, "anna@example.com").expect("write");
    visitors.write_boolean(1, 4, true).expect("write");
    // Row 3 is left empty, as dealers leave them.
    visitors.write_datetime_with_format(3, 0, day(16), &date).expect("write");
    visitors.write_string(3, 1, "Zoë Müller").expect("write");
    visitors.write_string(3, 2, "07911 123457").expect("write");
    visitors.write_formula(3, 3, Formula::new("=NA()").set_result("#N/A")).expect("write");
    visitors.write_boolean(3, 4, false).expect("write");
    let moment = ExcelDateTime::from_ymd(2024, 3, 17).expect("date").and_hms(10, 30, 0).expect("time");
    visitors
        .write_datetime_with_format(4, 0, moment, &Format::new().set_num_format("dd/mm/yyyy hh:mm"))
        .expect("write");
    visitors.write_string(4, 1, "王小明").expect("write");
    visitors.write_number(4, 2, 8613812345678.0).expect("write");
    visitors.write_string(4, 3, "wang@example.cn").expect("write");
    let fair = workbook.add_worksheet().set_name("Basel 2024").expect("name");
    // This sheet starts at B2: its columns are named by their own letters.
    for (column, title) in ["Name", "Mobile", "Birthday"].iter().enumerate() {
        fair.write_string(1, column as u16 + 1, *title).expect("write");
    }
    fair.write_string(2, 1, "Ben Jones").expect("write");
    fair.write_string(2, 2, "not a phone").expect("write");
    fair.write_datetime_with_format(2, 3, ExcelDateTime::from_ymd(1980, 3, 15).expect("date"), &date)
        .expect("write");
    workbook.save(path).expect("save");
}

#[test]
fn an_excel_visitor_log_reads_as_the_spreadsheet_shows_it() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("visitors.xlsx");
    visitor_workbook(&path);
    let mut book = Book::open_in_memory().expect("book");
    let shown = preview(&mut book, &path, &ImportOptions::default());
    assert_eq!(
        shown.file_kind,
        FileKind::Workbook {
            format: WorkbookFormat::Excel,
            sheet: "Visitors".into(),
            sheets: vec!["Visitors".into(), "Basel 2024".into()],
        }
    );
    assert_eq!((shown.encoding.as_str(), shown.delimiter.as_str()), ("", ""));
    assert_eq!(shown.headers, ["Date", "Name", "Phone", "Email", "Newsletter"]);
    assert_eq!(shown.samples[0], ["2024-03-15", "2024-03-16", "2024-03-17 10:30"], "dates, never serials");
    assert_eq!(shown.samples[2], ["447911123456", "07911 123457", "8613812345678"], "never 4.47911E+11");
    assert_eq!(shown.samples[4], ["TRUE", "FALSE"]);
    let lines: Vec<u64> = shown.rows.iter().map(|row| row.line).collect();
    assert_eq!(lines, [2, 4, 5], "the sheet's own row numbers, the empty row 3 skipped");
    assert_eq!(shown.counts.new, 3);
    assert_eq!(shown.warnings.len(), 2, "{:?}", shown.warnings);
    let warning = &shown.warnings[0];
    assert_eq!(
        (warning.line, warning.column.as_str(), warning.column_letter.as_deref()),
        (4, "Email", Some("D"))
    );
    assert_eq!(
        (&warning.problem, warning.action),
        (&Problem::SpreadsheetError { value: "#N/A".into() }, WarningAction::LeftEmpty)
    );
    assert_eq!(warning.reason, "column D 'Email': the cell holds the spreadsheet error #N/A; read as empty");
    // A Chinese mobile typed without its +, in a British book: kept, unverified, in column C.
    let unverified = &shown.warnings[1];
    assert_eq!(
        (unverified.line, unverified.column_letter.as_deref(), unverified.action),
        (5, Some("C"), WarningAction::PhoneUnverified)
    );

    let summary = commit(&mut book, &path, &ImportOptions::default());
    assert_eq!((summary.created, summary.rejected, summary.warning_count), (3, 0, 2));
    let anna = find(&book, "anna@example.com");
    assert_eq!(anna.profile.phones[0].number, "447911123456");
    let consent =
        anna.profile.consents.iter().find(|consent| consent.channel == Channel::Email).expect("email");
    assert_eq!(consent.status, ConsentStatus::OptedIn, "TRUE is a yes");
    assert_eq!(
        consent.date.map(|date| date.to_string()).as_deref(),
        Some("2024-03-15"),
        "dated by the visit"
    );
    let zoe = find(&book, "Zoë");
    assert_eq!(zoe.profile.phones[0].number, "07911 123457", "a phone stored as text keeps its 0");
    assert!(zoe.profile.emails.is_empty());
    let zoe_consent =
        zoe.profile.consents.iter().find(|consent| consent.channel == Channel::Email).expect("email");
    assert_eq!(zoe_consent.status, ConsentStatus::OptedOut, "FALSE is a no");
    assert_eq!(find(&book, "王小明").profile.phones[0].number, "8613812345678");

    // Undo takes the workbook's people back like a CSV's.
    let undone = book.undo_import(summary.batch_id).expect("undo");
    assert_eq!((undone.removed, undone.restored), (3, 0));
    assert_eq!(book.stats().expect("stats").customers, 0);
}

#[test]
fn another_sheet_is_chosen_by_name_or_number_and_names_its_columns_by_letter() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("visitors.xlsx");
    visitor_workbook(&path);
    let mut book = Book::open_in_memory().expect("book");
    for choice in ["Basel 2024", "2"] {
        let shown = preview(&mut book, &path, &sheet(choice));
        assert!(
            matches!(&shown.file_kind, FileKind::Workbook { sheet, .. } if sheet == "Basel 2024"),
            "{choice}"
        );
        assert_eq!(shown.headers, ["Name", "Mobile", "Birthday"]);
        assert_eq!(shown.rows.iter().map(|row| row.line).collect::<Vec<_>>(), [3], "its header on row 2");
        assert_eq!(shown.warnings.len(), 1);
        assert_eq!(shown.warnings[0].column_letter.as_deref(), Some("C"), "Mobile is in column C");
        assert!(shown.warnings[0].reason.starts_with("column C 'Mobile': "), "{}", shown.warnings[0].reason);
    }
    let summary = commit(&mut book, &path, &sheet("2"));
    assert_eq!(summary.created, 1);
    let ben = find(&book, "Ben Jones");
    assert_eq!(ben.profile.birthday.map(|date| date.to_string()).as_deref(), Some("1980-03-15"));

    for wanted in ["Paris", "3", "0"] {
        let error =
            book.preview_import(&path, &sheet(wanted), &AtomicBool::new(false), |_| {}).expect_err(wanted);
        assert!(
            matches!(&error, Error::ImportFile { problem: Problem::NoSuchSheet { sheet, sheets }, .. }
                if sheet == wanted && sheets == "Visitors, Basel 2024"),
            "{error:?}"
        );
    }
}

#[test]
fn a_workbook_is_known_by_its_content_whatever_its_name() {
    let dir = tempfile::tempdir().expect("dir");
    let renamed = dir.path().join("visitors.csv");
    visitor_workbook(&renamed);
    let mut book = Book::open_in_memory().expect("book");
    let shown = preview(&mut book, &renamed, &ImportOptions::default());
    assert!(matches!(shown.file_kind, FileKind::Workbook { format: WorkbookFormat::Excel, .. }));
    assert_eq!(shown.counts.new, 3);

    // LibreOffice's own saves of one visitor log (a CSV it opened: dates and numbers typed).
    for (name, format) in
        [("visitors.ods", WorkbookFormat::OpenDocument), ("visitors.xls", WorkbookFormat::ExcelLegacy)]
    {
        let shown = preview(&mut book, &fixture(name), &ImportOptions::default());
        assert!(
            matches!(&shown.file_kind, FileKind::Workbook { format: found, sheet, .. } if *found == format && sheet == "visitors"),
            "{name}: {:?}",
            shown.file_kind
        );
        assert_eq!(shown.headers, ["Date", "Name", "Phone", "Email", "Company"], "{name}");
        assert_eq!(shown.samples[0], ["2024-03-15", "2024-03-16", "2024-03-18"], "{name}");
        assert_eq!(shown.samples[2], ["447911123456", "07911 123457", "8613812345678"], "{name}");
        assert_eq!(shown.rows.iter().map(|row| row.line).collect::<Vec<_>>(), [2, 3, 5], "{name}");
        assert_eq!((shown.counts.new, shown.counts.rejected), (3, 0), "{name}");
    }
}

#[test]
fn a_damaged_or_locked_workbook_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().expect("dir");
    let whole = dir.path().join("whole.xlsx");
    visitor_workbook(&whole);
    let bytes = std::fs::read(&whole).expect("read");
    let cut = dir.path().join("cut.xlsx");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).expect("write");
    // Excel saves a workbook locked with a password as an OLE2 file holding the encrypted
    // package: its header and the stream's name are what a reader meets.
    let mut locked = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    locked.resize(512, 0);
    locked.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    locked.resize(2048, 0);
    let locked_path = dir.path().join("locked.xlsx");
    std::fs::write(&locked_path, &locked).expect("write");
    let mut book = Book::open_in_memory().expect("book");
    for (path, expected) in [(&cut, "the workbook cannot be read"), (&locked_path, "locked with a password")]
    {
        let error = book
            .preview_import(path, &ImportOptions::default(), &AtomicBool::new(false), |_| {})
            .expect_err("refused");
        let text = error.to_string();
        assert!(text.contains(expected) && text.contains(&path.display().to_string()), "{text}");
    }
    let mut problem = |path: &Path| match book.preview_import(
        path,
        &ImportOptions::default(),
        &AtomicBool::new(false),
        |_| {},
    ) {
        Err(Error::ImportFile { problem, .. }) => problem,
        other => panic!("{other:?}"),
    };
    assert_eq!(problem(&locked_path), Problem::WorkbookLocked);
}

const PHONE_EXPORT: &str = "BEGIN:VCARD\r
VERSION:2.1\r
N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E7=8E=8B;=E5=B0=8F=E6=98=8E;;;\r
FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E7=8E=8B=E5=B0=8F=E6=98=8E\r
TEL;CELL;PREF:+86 138 1234 5678\r
TEL;HOME:+86 10 6552 9988\r
NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=96=9C=E6=AC=A2=E6=BC=A2=E7=B1=B3=E5=B0=94=E9=A1=BF=\r
Khaki=EF=BC=8C=E6=83=B3=E8=A6=81=E9=87=91=E8=89=B2\r
PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD\r
 /2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIx\r
\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
N:Wilson;Grace;;Mrs;\r
FN:Grace Wilson\r
ORG:Wilson & Partners;Buying\r
TITLE:Head buyer\r
EMAIL;TYPE=INTERNET,WORK:grace@wilson.example\r
EMAIL;TYPE=INTERNET,HOME,PREF:grace.w@home.example\r
TEL;TYPE=WORK,VOICE:+44 20 7946 0018\r
ADR;TYPE=WORK:;;12 Bond Street;London;;W1S 1SR;United Kingdom\r
ADR;TYPE=HOME:;;3 Elm Row\\, Flat 2;Edinburgh;;EH7 4AA;United Kingdom\r
NOTE:Prefers appointments\\nafter 4 pm\\; \r
 call first\r
CATEGORIES:VIP,Patek waitlist\r
URL:https://wilson.example\r
BDAY:1975-12-25\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:4.0\r
FN:Ben Jones\r
N:Jones;Ben;;;\r
EMAIL;PREF=1:ben@example.com\r
BDAY:--0315\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
ORG:Front desk\r
NOTE:no name\\, no number\r
END:VCARD\r
";

fn vcard_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn a_phones_vcards_come_in_with_every_version_folding_and_quoted_printable() {
    let dir = tempfile::tempdir().expect("dir");
    // Renamed: a vCard saved as contacts.csv is still read as vCards.
    let path = vcard_file(dir.path(), "contacts.csv", PHONE_EXPORT);
    let mut book = Book::open_in_memory().expect("book");
    let shown = preview(&mut book, &path, &ImportOptions::default());
    assert_eq!(shown.file_kind, FileKind::Vcard { cards: 4 });
    assert!(shown.mapping.iter().all(|column| column.recognised), "{:?}", shown.mapping);
    assert_eq!((shown.counts.new, shown.counts.rejected), (3, 1));
    // The card that names no one is rejected with its number, on the line its BEGIN is.
    assert_eq!(shown.rejected_rows.len(), 1);
    assert_eq!(shown.rejected_rows[0].line, 37);
    assert_eq!(shown.rejected_rows[0].problem, Problem::CardNamesNoOne { card: 4 });
    assert_eq!(shown.rejected_rows[0].reason, "card 4 has no name, email or phone");
    // The URL has no field: it goes into the note, and the preview says so.
    assert_eq!(shown.warnings.len(), 1, "{:?}", shown.warnings);
    assert_eq!(shown.warnings[0].line, 13);
    assert_eq!(shown.warnings[0].problem, Problem::NoFieldForProperty { property: "URL".into() });
    assert_eq!(shown.warnings[0].action, WarningAction::KeptInNote);

    let summary = commit(&mut book, &path, &ImportOptions::default());
    assert_eq!((summary.created, summary.rejected), (3, 1));
    let wang = find(&book, "王小明").profile;
    assert_eq!(
        (wang.full_name.as_str(), wang.family_name.as_str(), wang.given_name.as_str()),
        ("王小明", "王", "小明")
    );
    assert_eq!(
        wang.phones
            .iter()
            .map(|phone| (phone.number.as_str(), phone.label.as_str(), phone.primary))
            .collect::<Vec<_>>(),
        [("+86 138 1234 5678", "mobile", true), ("+86 10 6552 9988", "home", false)]
    );
    let wang_id = find(&book, "王小明").id;
    let notes = book.customer_story(wang_id).expect("story").notes;
    assert!(notes[0].entry.body.ends_with("喜欢漢米尔顿Khaki，想要金色"), "{}", notes[0].entry.body);

    let grace = find(&book, "grace@wilson.example");
    let profile = &grace.profile;
    assert_eq!((profile.full_name.as_str(), profile.title.as_str()), ("Grace Wilson", "Mrs"));
    assert_eq!((profile.company.as_str(), profile.job_title.as_str()), ("Wilson & Partners", "Head buyer"));
    assert_eq!(
        profile.emails.iter().map(|email| (email.address.as_str(), email.label.as_str())).collect::<Vec<_>>(),
        [("grace.w@home.example", "home"), ("grace@wilson.example", "work")],
        "the preferred one is the primary"
    );
    assert_eq!(profile.phones[0].e164.as_deref(), Some("+442079460018"));
    let addresses: Vec<(&str, &str, &str)> =
        profile.addresses.iter().map(|a| (a.label.as_str(), a.street.as_str(), a.city.as_str())).collect();
    assert_eq!(addresses, [("home", "3 Elm Row, Flat 2", "Edinburgh"), ("work", "12 Bond Street", "London")]);
    assert_eq!(profile.tags, ["VIP", "Patek waitlist"]);
    assert_eq!(profile.birthday.map(|date| date.to_string()).as_deref(), Some("1975-12-25"));
    let body = &book.customer_story(grace.id).expect("story").notes[0].entry.body;
    for line in [
        "Prefers appointments\nafter 4 pm; call first",
        "Department: Buying",
        "Website: https://wilson.example",
    ] {
        assert!(body.contains(line), "{line:?} in {body}");
    }

    let ben = find(&book, "ben@example.com");
    assert_eq!(ben.profile.birthday.map(|date| date.to_string()).as_deref(), Some("--03-15"), "no year");
}

#[test]
fn a_vcard_of_someone_in_the_book_merges_and_undo_gives_back_the_profile() {
    let dir = tempfile::tempdir().expect("dir");
    let mut book = Book::open_in_memory().expect("book");
    let mut draft = CustomerDraft::named("Ben Jones");
    draft.emails.push(EmailEntry { label: String::new(), address: "ben@example.com".into(), primary: true });
    let ben_id = book.create_customer(draft).expect("create").id;
    let path = vcard_file(
        dir.path(),
        "ben.vcf",
        "BEGIN:VCARD\nVERSION:4.0\nFN:Ben Jones\nEMAIL:ben@example.com\nTEL;TYPE=cell:07700 900123\nBDAY:--03-15\nEND:VCARD\n",
    );
    let shown = preview(&mut book, &path, &ImportOptions::default());
    assert!(
        matches!(&shown.rows[0].outcome, RowOutcome::Merge { customer_id, .. } if *customer_id == ben_id)
    );
    let summary = commit(&mut book, &path, &ImportOptions::default());
    assert_eq!((summary.created, summary.merged), (0, 1));
    let merged = book.customer(ben_id).expect("ben").profile;
    assert_eq!(merged.phones.len(), 1);
    assert_eq!(merged.birthday.map(|date| date.to_string()).as_deref(), Some("--03-15"));
    book.undo_import(summary.batch_id).expect("undo");
    let undone = book.customer(ben_id).expect("ben").profile;
    assert!(undone.phones.is_empty() && undone.birthday.is_none(), "{undone:?}");
}

#[test]
fn a_file_that_starts_as_a_vcard_but_holds_none_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let path = vcard_file(dir.path(), "contacts.vcf", "BEGIN:VCARDS\nnothing here\n");
    let mut book = Book::open_in_memory().expect("book");
    let error = book
        .preview_import(&path, &ImportOptions::default(), &AtomicBool::new(false), |_| {})
        .expect_err("refused");
    assert!(matches!(error, Error::ImportFile { problem: Problem::NoCards, .. }), "{error:?}");
}
