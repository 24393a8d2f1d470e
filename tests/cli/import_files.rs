//! `loupe import contacts` with the files a dealer has besides CSV: a workbook (a sheet chosen
//! with --sheet) and a phone's vCards, each known by its content.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use super::{book, json, loupe, refused, text};

/// A workbook of two sheets: the shop's visitor log first, the fair's list second.
fn workbook(path: &std::path::Path) {
    let mut workbook = Workbook::new();
    let shop = workbook.add_worksheet().set_name("Shop").expect("name");
    shop.write_string(0, 0, "Name").expect("write");
    shop.write_string(0, 1, "Email").expect("write");
    shop.write_string(1, 0, "Carl Shop").expect("write");
    shop.write_string(1, 1, "carl@example.com").expect("write");
    let fair = workbook.add_worksheet().set_name("Visitors").expect("name");
    for (column, title) in ["Visit date", "Name", "Phone"].iter().enumerate() {
        fair.write_string(0, column as u16, *title).expect("write");
    }
    let date = Format::new().set_num_format("d mmm yyyy");
    fair.write_datetime_with_format(1, 0, ExcelDateTime::from_ymd(2024, 6, 13).expect("date"), &date)
        .expect("write");
    fair.write_string(1, 1, "Anna Smith").expect("write");
    fair.write_number(1, 2, 447911123456.0).expect("write");
    fair.write_string(2, 1, "Ben Jones").expect("write");
    fair.write_string(2, 2, "12").expect("write");
    workbook.save(path).expect("save");
}

#[test]
fn a_workbooks_sheet_is_imported_with_its_row_numbers() {
    let book = book();
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("visitors.xlsx");
    workbook(&path);
    let file = path.to_str().expect("path");
    let dry = json(&book, &["import", "contacts", file, "--sheet", "Visitors", "--dry-run", "--json"]);
    assert!(!book.path.exists(), "a dry run creates no book");
    assert_eq!(dry["file_kind"]["kind"], "workbook");
    assert_eq!(dry["file_kind"]["sheet"], "Visitors");
    assert_eq!(dry["file_kind"]["sheets"], serde_json::json!(["Shop", "Visitors"]));
    assert_eq!((dry["created"].as_u64(), dry["warning_count"].as_u64()), (Some(2), Some(1)));
    let said = text(&book, &["import", "contacts", file, "--sheet", "2", "--dry-run"]);
    assert!(said.starts_with("would import visitors.xlsx (sheet 'Visitors'): 2 new"), "{said}");
    assert!(said.contains("warning, row 3: column C 'Phone': '12'"), "{said}");

    let done = json(&book, &["import", "contacts", file, "--sheet", "Visitors", "--json"]);
    assert_eq!(done["created"], 2);
    let found = json(&book, &["customers", "search", "447911123456", "--json"]);
    assert_eq!(found["customers"][0]["full_name"], "Anna Smith", "{found}");
    assert_eq!(found["customers"][0]["phones"][0]["number"], "447911123456", "never 4.47911E+11");
    // The first sheet when none is named.
    let first = json(&book, &["import", "contacts", file, "--dry-run", "--json"]);
    assert_eq!((first["file_kind"]["sheet"].as_str(), first["created"].as_u64()), (Some("Shop"), Some(1)));
    let error = refused(&book, &["import", "contacts", file, "--sheet", "Basel"]);
    assert!(
        error.contains("visitors.xlsx")
            && error.contains("no sheet 'Basel' (its sheets are: Shop, Visitors)"),
        "{error}"
    );
}

#[test]
fn a_phones_vcards_are_imported_and_undone() {
    let book = book();
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("contacts.vcf");
    std::fs::write(
        &path,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Smith;Anna;;;\r\nFN:Anna Smith\r\nEMAIL;TYPE=HOME:anna@example.com\r\n\
         TEL;TYPE=CELL:+44 7911 123456\r\nCATEGORIES:VIP\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:2.1\r\nFN;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:=E6=9D=8E=E7=A7=80=E8=8B=B1\r\n\
         TEL;CELL:+86 138 0013 8000\r\nEND:VCARD\r\n",
    )
    .expect("write");
    let file = path.to_str().expect("path");
    let said = text(&book, &["import", "contacts", file, "--dry-run"]);
    assert!(said.starts_with("would import contacts.vcf (2 vCards): 2 new, 0 merged"), "{said}");
    let done = json(&book, &["import", "contacts", file, "--json"]);
    assert_eq!((done["created"].as_u64(), done["rejected"].as_u64()), (Some(2), Some(0)), "{done}");
    let found = json(&book, &["customers", "search", "李秀英", "--json"]);
    assert_eq!(found["customers"][0]["full_name"], "李秀英", "{found}");
    assert_eq!(found["customers"][0]["phones"][0]["label"], "mobile");
    let batch = done["batch_id"].as_i64().expect("batch").to_string();
    assert_eq!(json(&book, &["import", "undo", &batch, "--json"])["removed"], 2);
    loupe(&book, &["stats"]).assert().success();
}
