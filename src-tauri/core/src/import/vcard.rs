//! vCard files (2.1, 3.0 and 4.0; a phone's or a mail program's export, many cards in one
//! file) made into the header and rows the contacts import takes: one row per card, its
//! columns named as the mapping already recognises them ("Email 2", "Phone 1 - Label",
//! "Home Street", "Categories"), so preview, matching, warnings and undo are a CSV's.
//!
//! Parsed here by hand rather than with a crate: `ical`'s vCard parser unfolds lines but does
//! not decode 2.1's quoted-printable (with its soft line breaks and CHARSET), `vcard4` reads
//! only 4.0, and `calcard`, which reads all three, brings a mail parser, a mail builder and the
//! time-zone database with it. Unfolding, quoted-printable, charsets (encoding_rs), escapes and
//! parameters take a few dozen lines.

use std::path::Path;

use encoding_rs::{Encoding, WINDOWS_1252};

use super::WarningAction;
use super::read::{CellNote, Record};
use super::source::{FileKind, Table};
use crate::error::{Error, Result};
use crate::problem::Problem;

/// Whether the file starts as a vCard (after a byte-order mark and blank lines).
pub(crate) fn is_vcard(start: &[u8]) -> bool {
    let start = start.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(start);
    let first = start.iter().position(|byte| !byte.is_ascii_whitespace()).unwrap_or(start.len());
    start[first..].len() >= 11 && start[first..first + 11].eq_ignore_ascii_case(b"BEGIN:VCARD")
}

/// One property of a card: `NAME;PARAM=VALUE:value`, its value decoded to text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Property {
    name: String,
    /// Parameters as (upper-case name, value); 2.1's bare `CELL` or `QUOTED-PRINTABLE` has the
    /// name `TYPE` or `ENCODING`.
    params: Vec<(String, String)>,
    value: String,
}

impl Property {
    fn types(&self) -> Vec<String> {
        self.params
            .iter()
            .filter(|(name, _)| name == "TYPE")
            .flat_map(|(_, value)| value.split(',').map(|kind| kind.trim().to_lowercase()))
            .collect()
    }

    /// Preferred: `TYPE=pref` (2.1, 3.0) or `PREF=1` (4.0).
    fn preferred(&self) -> bool {
        self.types().iter().any(|kind| kind == "pref") || self.params.iter().any(|(name, _)| name == "PREF")
    }

    /// The label the book shows: mobile, home, work, fax … or nothing.
    fn label(&self) -> String {
        let types = self.types();
        let has = |wanted: &str| types.iter().any(|kind| kind == wanted);
        if has("cell") || has("mobile") || has("iphone") {
            "mobile".into()
        } else if has("fax") {
            "fax".into()
        } else if has("work") {
            "work".into()
        } else if has("home") {
            "home".into()
        } else {
            types
                .into_iter()
                .find(|kind| {
                    !matches!(kind.as_str(), "pref" | "voice" | "internet" | "x400" | "other" | "main")
                })
                .unwrap_or_default()
        }
    }
}

/// A card: the line its BEGIN is on and its properties in order.
struct Card {
    line: u64,
    properties: Vec<Property>,
}

/// Reads every card of the file at `path` into a table.
pub(crate) fn read_cards(path: &Path) -> Result<Table> {
    let bytes =
        std::fs::read(path).map_err(|source| Error::Io { path: path.display().to_string(), source })?;
    let cards = parse(&bytes);
    if cards.is_empty() {
        return Err(Error::ImportFile { file: path.display().to_string(), problem: Problem::NoCards });
    }
    Ok(table(&cards, bytes.len() as u64))
}

/// The file's cards; anything outside BEGIN:VCARD … END:VCARD is ignored, and a card an
/// AGENT property nests inside another is left out (it is that person's assistant).
fn parse(bytes: &[u8]) -> Vec<Card> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut cards = Vec::new();
    let mut current: Option<Card> = None;
    let mut depth = 0;
    for (line, text) in logical_lines(bytes) {
        let Some(property) = property(&text) else { continue };
        match (property.name.as_str(), property.value.trim().to_ascii_uppercase().as_str()) {
            ("BEGIN", "VCARD") => {
                depth += 1;
                if depth == 1 {
                    current = Some(Card { line, properties: Vec::new() });
                }
            }
            ("END", "VCARD") => {
                depth -= 1;
                if depth == 0 {
                    cards.extend(current.take());
                }
            }
            _ if depth == 1 => {
                if let Some(card) = current.as_mut() {
                    card.properties.push(property);
                }
            }
            _ => {}
        }
    }
    // A file cut short still gives its last card.
    cards.extend(current);
    cards
}

/// The file's logical lines, each with the line it starts on: a line starting with a space
/// or tab continues the one before (folding), and in a quoted-printable value a line ending
/// with `=` continues on the next (a soft line break).
fn logical_lines(bytes: &[u8]) -> Vec<(u64, Vec<u8>)> {
    let mut lines: Vec<(u64, Vec<u8>)> = Vec::new();
    let mut soft_break = false;
    for (index, raw) in bytes.split(|&byte| byte == b'\n').enumerate() {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        match lines.last_mut() {
            Some((_, last)) if soft_break => last.extend_from_slice(raw),
            Some((_, last)) if matches!(raw.first(), Some(b' ' | b'\t')) => last.extend_from_slice(&raw[1..]),
            _ if raw.iter().all(u8::is_ascii_whitespace) => continue,
            _ => lines.push((index as u64 + 1, raw.to_vec())),
        }
        let Some((_, last)) = lines.last_mut() else { continue };
        soft_break = is_quoted_printable(last) && last.ends_with(b"=");
        if soft_break {
            last.pop();
        }
    }
    lines
}

/// Whether the property on `line` is quoted-printable (its name and parameters say so).
fn is_quoted_printable(line: &[u8]) -> bool {
    let head = line.split(|&byte| byte == b':').next().unwrap_or(line);
    head.to_ascii_uppercase().windows(16).any(|window| window == b"QUOTED-PRINTABLE")
}

/// One logical line as a property, its value decoded (quoted-printable, charset); None for a
/// line with no colon.
fn property(line: &[u8]) -> Option<Property> {
    let colon = colon_outside_quotes(line)?;
    let head = String::from_utf8_lossy(&line[..colon]);
    let mut parts = split_unquoted(&head, ';').into_iter();
    let name = parts.next()?;
    // "item1.EMAIL" (Apple's groups): the group says nothing the import uses.
    let name = name.rsplit('.').next().unwrap_or(&name).trim().to_ascii_uppercase();
    let params: Vec<(String, String)> = parts
        .map(|param| match param.split_once('=') {
            Some((key, value)) => {
                (key.trim().to_ascii_uppercase(), value.trim().trim_matches('"').to_string())
            }
            None => {
                let value = param.trim().to_string();
                let key = match value.to_ascii_uppercase().as_str() {
                    "QUOTED-PRINTABLE" | "BASE64" | "8BIT" | "7BIT" | "B" => "ENCODING",
                    _ => "TYPE",
                };
                (key.to_string(), value)
            }
        })
        .collect();
    let param = |wanted: &str| params.iter().find(|(key, _)| key == wanted).map(|(_, value)| value.as_str());
    let raw = &line[colon + 1..];
    let decoded = match param("ENCODING").map(str::to_ascii_uppercase).as_deref() {
        Some("QUOTED-PRINTABLE") => quoted_printable(raw),
        Some("BASE64" | "B") => Vec::new(),
        _ => raw.to_vec(),
    };
    let encoding = param("CHARSET").and_then(|label| Encoding::for_label(label.as_bytes()));
    let value = match encoding {
        Some(encoding) => encoding.decode_without_bom_handling(&decoded).0.into_owned(),
        None => match std::str::from_utf8(&decoded) {
            Ok(text) => text.to_string(),
            // Old phones wrote 8-bit text in the computer's code page with no CHARSET.
            Err(_) => WINDOWS_1252.decode_without_bom_handling(&decoded).0.into_owned(),
        },
    };
    Some(Property { name, params, value })
}

fn colon_outside_quotes(line: &[u8]) -> Option<usize> {
    let mut quoted = false;
    for (index, &byte) in line.iter().enumerate() {
        match byte {
            b'"' => quoted = !quoted,
            b':' if !quoted => return Some(index),
            _ => {}
        }
    }
    None
}

fn split_unquoted(text: &str, separator: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut quoted = false;
    for ch in text.chars() {
        if ch == '"' {
            quoted = !quoted;
        }
        match parts.last_mut() {
            Some(_) if ch == separator && !quoted => parts.push(String::new()),
            Some(part) => part.push(ch),
            None => {}
        }
    }
    parts
}

/// `=C3=A9` as its bytes; a `=` not followed by two hex digits is kept as it is.
fn quoted_printable(raw: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(raw.len());
    let mut index = 0;
    while index < raw.len() {
        let hex = |at: usize| raw.get(at).and_then(|&byte| (byte as char).to_digit(16));
        match (raw[index], hex(index + 1), hex(index + 2)) {
            (b'=', Some(high), Some(low)) => {
                bytes.push((high * 16 + low) as u8);
                index += 3;
            }
            (byte, _, _) => {
                bytes.push(byte);
                index += 1;
            }
        }
    }
    bytes
}

/// The components of a structured value (N, ADR, ORG) split on unescaped `;`, each unescaped.
fn components(value: &str) -> Vec<String> {
    split_escaped(value, ';').into_iter().map(|part| unescape(&part)).collect()
}

/// Splits on `separator` where it is not escaped with a backslash; escapes are left in.
fn split_escaped(value: &str, separator: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut escaped = false;
    for ch in value.chars() {
        match parts.last_mut() {
            Some(_) if ch == separator && !escaped => parts.push(String::new()),
            Some(part) => part.push(ch),
            None => {}
        }
        escaped = ch == '\\' && !escaped;
    }
    parts
}

/// `\n` `\,` `\;` `\\` as what they stand for.
fn unescape(value: &str) -> String {
    let mut text = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(ch) = chars.next() {
        if ch != '\\' {
            text.push(ch);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => text.push('\n'),
            Some(other) => text.push(other),
            None => text.push('\\'),
        }
    }
    text.trim().to_string()
}

/// A vCard birthday as the import's dates read it: `--0315` and `19800315` written with
/// hyphens; every other form (`--03-15`, `1980-03-15`, with a time) as it is.
fn birthday(value: &str) -> String {
    let value = value.trim();
    let digits = |text: &str| text.chars().all(|ch| ch.is_ascii_digit());
    if let Some(month_day) = value.strip_prefix("--")
        && month_day.len() == 4
        && digits(month_day)
    {
        return format!("--{}-{}", &month_day[..2], &month_day[2..]);
    }
    let date = value.split('T').next().unwrap_or(value);
    if date.len() == 8 && digits(date) {
        return format!("{}-{}-{}", &date[..4], &date[4..6], &date[6..]);
    }
    value.to_string()
}

/// Properties that say nothing about the person (versions, ids, pictures, keys, the printed
/// address label that repeats ADR, phones' own bookkeeping): left out without a word.
const TECHNICAL: &[&str] = &[
    "VERSION",
    "PRODID",
    "UID",
    "REV",
    "PHOTO",
    "LOGO",
    "SOUND",
    "KEY",
    "LABEL",
    "KIND",
    "SOURCE",
    "CLIENTPIDMAP",
    "XML",
    "MAILER",
    "SORT-STRING",
    "CLASS",
    "NAME",
    "PROFILE",
    "TZ",
    "GEO",
];

/// The address kinds a card's addresses go to, in order: the mapping's "Home …", "Business …"
/// and "Other …" columns.
const ADDRESS_GROUPS: [(&str, &str); 3] = [("home", "Home"), ("work", "Business"), ("other", "Other")];
const ADDRESS_PARTS: [&str; 5] = ["Street", "City", "State", "Postal Code", "Country"];

/// What one card gives, column by column.
#[derive(Default)]
struct CardRow {
    name: String,
    given: String,
    middle: String,
    family: String,
    prefix: String,
    suffix: String,
    company: String,
    job_title: String,
    birthday: String,
    anniversary: String,
    categories: Vec<String>,
    /// (address, label), the preferred one first.
    emails: Vec<(String, String)>,
    phones: Vec<(String, String)>,
    /// Per address group, its five parts.
    addresses: [Option<[String; 5]>; 3],
    notes: Vec<String>,
    /// Properties kept in the note for want of a field.
    kept: Vec<String>,
}

fn card_row(card: &Card) -> CardRow {
    let mut row = CardRow::default();
    let mut roles = Vec::new();
    let mut emails: Vec<&Property> =
        card.properties.iter().filter(|property| property.name == "EMAIL").collect();
    let mut phones: Vec<&Property> =
        card.properties.iter().filter(|property| property.name == "TEL").collect();
    // The preferred first (it becomes the primary), the others in the card's order.
    emails.sort_by_key(|property| !property.preferred());
    phones.sort_by_key(|property| !property.preferred());
    row.emails = emails
        .iter()
        .map(|email| (unescape(&email.value), email.label()))
        .filter(|(address, _)| !address.is_empty())
        .collect();
    row.phones = phones
        .iter()
        .map(|phone| (unescape(phone.value.trim_start_matches("tel:")), phone.label()))
        .filter(|(number, _)| !number.is_empty())
        .collect();
    for property in &card.properties {
        let value = property.value.trim();
        if value.is_empty() {
            continue;
        }
        match property.name.as_str() {
            "FN" => row.name = unescape(value),
            "N" => {
                let mut parts = components(value).into_iter();
                let mut next = || parts.next().unwrap_or_default();
                (row.family, row.given, row.middle, row.prefix, row.suffix) =
                    (next(), next(), next(), next(), next());
            }
            "ORG" => {
                let mut parts = components(value).into_iter().filter(|part| !part.is_empty());
                row.company = parts.next().unwrap_or_default();
                let departments: Vec<String> = parts.collect();
                if !departments.is_empty() {
                    row.notes.push(format!("Department: {}", departments.join(", ")));
                }
            }
            "TITLE" => row.job_title = unescape(value),
            "ROLE" => roles.push(unescape(value)),
            "BDAY" => row.birthday = birthday(value),
            "ANNIVERSARY" | "X-ANNIVERSARY" => row.anniversary = birthday(value),
            "NOTE" => row.notes.push(unescape(value)),
            "CATEGORIES" => row.categories.extend(split_escaped(value, ',').iter().map(|tag| unescape(tag))),
            "ADR" => {
                let parts = components(value);
                let part = |index: usize| parts.get(index).cloned().unwrap_or_default();
                // Post office box, extended address and street make the one street line.
                let street: Vec<String> = (0..3).map(part).filter(|line| !line.is_empty()).collect();
                let address = [street.join(", "), part(3), part(4), part(5), part(6)];
                let wanted = match property.label().as_str() {
                    "home" => 0,
                    "work" => 1,
                    _ => 2,
                };
                let free = (wanted..3).chain(0..wanted).find(|&group| row.addresses[group].is_none());
                match free {
                    Some(group) => row.addresses[group] = Some(address),
                    None => {
                        let text: Vec<&str> =
                            address.iter().map(String::as_str).filter(|p| !p.is_empty()).collect();
                        row.kept.push("ADR".into());
                        row.notes.push(format!("Address: {}", text.join(", ")));
                    }
                }
            }
            "EMAIL" | "TEL" | "BEGIN" | "END" => {}
            name if TECHNICAL.contains(&name)
                || name.starts_with("X-ANDROID")
                || name.starts_with("X-AB") => {}
            name => {
                let label = match name {
                    "URL" => "Website".to_string(),
                    "NICKNAME" => "Nickname".to_string(),
                    "IMPP" => "Messaging".to_string(),
                    other => other.trim_start_matches("X-").to_string(),
                };
                row.kept.push(name.to_string());
                row.notes.push(format!("{label}: {}", unescape(value)));
            }
        }
    }
    // A role is the job title when the card has no TITLE.
    if row.job_title.is_empty() && !roles.is_empty() {
        row.job_title = roles.remove(0);
    }
    for role in roles {
        row.notes.push(format!("Role: {role}"));
    }
    // FN usually holds the suffix already ("John Smith Jr."); the import would add it again.
    if row.name.contains(&row.suffix) {
        row.suffix.clear();
    }
    row
}

/// The cards as a table whose columns are the ones any card fills.
fn table(cards: &[Card], file_size: u64) -> Table {
    let rows: Vec<CardRow> = cards.iter().map(card_row).collect();
    let emails = rows.iter().map(|row| row.emails.len()).max().unwrap_or(0);
    let phones = rows.iter().map(|row| row.phones.len()).max().unwrap_or(0);
    type Column = (String, Box<dyn Fn(&CardRow) -> String>);
    let mut columns: Vec<Column> = vec![
        ("Name".into(), Box::new(|row: &CardRow| row.name.clone())),
        ("Given Name".into(), Box::new(|row: &CardRow| row.given.clone())),
        ("Middle Name".into(), Box::new(|row: &CardRow| row.middle.clone())),
        ("Family Name".into(), Box::new(|row: &CardRow| row.family.clone())),
        ("Name Prefix".into(), Box::new(|row: &CardRow| row.prefix.clone())),
        ("Name Suffix".into(), Box::new(|row: &CardRow| row.suffix.clone())),
        ("Company".into(), Box::new(|row: &CardRow| row.company.clone())),
        ("Job Title".into(), Box::new(|row: &CardRow| row.job_title.clone())),
    ];
    for index in 0..emails {
        let number = index + 1;
        columns.push((format!("Email {number}"), Box::new(move |row| entry(&row.emails, index).0)));
        columns.push((format!("Email {number} - Label"), Box::new(move |row| entry(&row.emails, index).1)));
    }
    for index in 0..phones {
        let number = index + 1;
        columns.push((format!("Phone {number}"), Box::new(move |row| entry(&row.phones, index).0)));
        columns.push((format!("Phone {number} - Label"), Box::new(move |row| entry(&row.phones, index).1)));
    }
    for (group, (_, title)) in ADDRESS_GROUPS.iter().enumerate() {
        for (part, part_title) in ADDRESS_PARTS.iter().enumerate() {
            columns.push((
                format!("{title} {part_title}"),
                Box::new(move |row| {
                    row.addresses[group].as_ref().map(|address| address[part].clone()).unwrap_or_default()
                }),
            ));
        }
    }
    columns.push(("Birthday".into(), Box::new(|row: &CardRow| row.birthday.clone())));
    columns.push(("Anniversary".into(), Box::new(|row: &CardRow| row.anniversary.clone())));
    columns.push(("Categories".into(), Box::new(|row: &CardRow| row.categories.join(", "))));
    columns.push(("Notes".into(), Box::new(|row: &CardRow| row.notes.join("\n"))));
    // Only the columns some card fills; the name stays, so a file of nameless cards still
    // says what it lacks.
    columns.retain(|(title, value)| title == "Name" || rows.iter().any(|row| !value(row).is_empty()));
    let notes_column = columns.iter().position(|(title, _)| title == "Notes");
    let headers = columns.iter().map(|(title, _)| title.clone()).collect();
    let records = cards
        .iter()
        .zip(&rows)
        .enumerate()
        .map(|(index, (card, row))| {
            let names_someone = !row.name.is_empty()
                || !row.given.is_empty()
                || !row.family.is_empty()
                || !row.emails.is_empty()
                || !row.phones.is_empty();
            if !names_someone {
                return Record::Broken {
                    line: card.line,
                    problem: Problem::CardNamesNoOne { card: index as u64 + 1 },
                };
            }
            let mut fields = csv::StringRecord::new();
            for (_, value) in &columns {
                fields.push_field(&value(row));
            }
            let cells = row
                .kept
                .iter()
                .filter_map(|property| {
                    Some(CellNote {
                        column: notes_column?,
                        problem: Problem::NoFieldForProperty { property: property.clone() },
                        action: WarningAction::KeptInNote,
                    })
                })
                .collect();
            Record::Fields { line: card.line, fields, cells }
        })
        .collect();
    Table::new(FileKind::Vcard { cards: cards.len() as u64 }, headers, records, file_size)
}

fn entry(entries: &[(String, String)], index: usize) -> (String, String) {
    entries.get(index).cloned().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn properties(text: &str) -> Vec<Vec<(String, String)>> {
        parse(text.as_bytes())
            .into_iter()
            .map(|card| card.properties.into_iter().map(|property| (property.name, property.value)).collect())
            .collect()
    }

    #[test]
    fn unfolds_lines_and_decodes_quoted_printable_with_soft_breaks() {
        let text = "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E7=8E=8B;=E5=B0=8F=\r\n=E6=98=8E;;;\r\nNOTE:first\r\n  and folded\r\nEND:VCARD\r\n";
        let found = properties(text);
        assert_eq!(found[0][1], ("N".to_string(), "王;小明;;;".to_string()));
        assert_eq!(found[0][2], ("NOTE".to_string(), "first and folded".to_string()));
    }

    #[test]
    fn charsets_escapes_and_birthdays() {
        let text = "BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Zo=EB M=FCller\nEND:VCARD\n";
        assert_eq!(properties(text)[0][1].1, "Zoë Müller");
        assert_eq!(components("Smith\\, Jr.;Anna\\;Maria;;"), ["Smith, Jr.", "Anna;Maria", "", ""]);
        assert_eq!(unescape("line one\\nline two"), "line one\nline two");
        for (value, expected) in [
            ("--0315", "--03-15"),
            ("--03-15", "--03-15"),
            ("19800315", "1980-03-15"),
            ("1980-03-15", "1980-03-15"),
            ("19800315T000000Z", "1980-03-15"),
        ] {
            assert_eq!(birthday(value), expected, "{value}");
        }
        assert!(is_vcard(b"\xEF\xBB\xBF\r\nbegin:vcard\r\n"));
        assert!(!is_vcard(b"Name,Email\n"));
    }
}
