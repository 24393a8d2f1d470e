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
