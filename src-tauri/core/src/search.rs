//! One-box type-ahead search over names, companies, tags, emails and phone digits.
//!
//! Documents are folded in Rust (see `fold`) and stored in an FTS5 table with prefix indexes,
//! so every query is a word-prefix lookup: "mül" finds "Müller", "小明" finds "王小明". Digits
//! are a range of `search_digits`, which holds every digit suffix of each number (and the
//! words beginning with a digit), so "123456" finds "+44 7911 123456".
//! Ranking happens in Rust on a bounded candidate set, which keeps a keystroke cheap however
//! many customers the book holds.

use std::cmp::Reverse;
use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::Result;
use crate::fold;
use crate::model::{
    CustomerDraft, CustomerRow, EmailEntry, PhoneEntry, PieceField, PieceMatch, SearchResults,
};
use crate::phone;
use crate::store::Book;
use crate::validate::ValidDraft;

/// Candidates ranked per query; past this many matches the query is too broad to rank all.
const CANDIDATE_LIMIT: usize = 400;
/// The most results one search returns; type-ahead shows far fewer.
pub const MAX_RESULTS: usize = 200;
/// Shortest digit suffix of a phone number that is indexed.
const MIN_PHONE_SUFFIX: usize = 3;
/// Customers whose sold items one search reads to find the pieces it matches.
const PIECE_CANDIDATE_LIMIT: usize = 40;
/// Shortest query that looks for pieces: no dealer finds a watch by two characters of its number.
const MIN_PIECE_QUERY: usize = 3;

/// Adds the search document of a customer who has none.
/// `items` is the folded text of what they bought (`items_document`), empty for a new customer.
pub(crate) fn index_customer(conn: &Connection, id: i64, valid: &ValidDraft, items: &str) -> Result<()> {
    write_document(conn, id, valid, items, false)
}

/// Replaces the search document of a customer who has one.
pub(crate) fn reindex_customer(conn: &Connection, id: i64, valid: &ValidDraft, items: &str) -> Result<()> {
    write_document(conn, id, valid, items, true)
}

fn write_document(conn: &Connection, id: i64, valid: &ValidDraft, items: &str, replaces: bool) -> Result<()> {
    let mut pending = PendingDocuments::default();
    pending.add(conn, id, document(valid, items.to_string()), replaces)?;
    pending.flush(conn)
}

/// A customer's search document, ready to insert: the text for FTS5, and what is searched by
/// digits for `search_digits`.
pub(crate) struct Document {
    name: String,
    other: String,
    items: String,
    digits: Vec<DigitsRow>,
}

/// One row of `search_digits`: a run of digits a phone ends with (or its whole national or
/// typed form), or a word of the document beginning with a digit; and how many leading
/// characters it shares with the customer's previous row in order (see migration 16).
struct DigitsRow {
    digits: String,
    shared: usize,
}

impl Document {
    /// The digits of its `search_digits` rows, kept in the document's unindexed `digits`
    /// column: what deletes them again.
    fn digits_text(&self) -> String {
        self.digits.iter().map(|row| row.digits.as_str()).collect::<Vec<_>>().join(" ")
    }
}

pub(crate) fn document(valid: &ValidDraft, items: String) -> Document {
    let draft = &valid.profile;
    let name = folded_name(&draft.full_name, &draft.given_name, &draft.family_name);
    let mut other = fold::fold(&draft.company);
    for tag in &draft.tags {
        other.push(' ');
        other.push_str(&fold::fold(tag));
    }
    for email in &draft.emails {
        other.push(' ');
        other.push_str(&fold::fold(&email.address));
    }
    let (name, other) = (name_words(&name), spaced(&other));
    let mut runs = Vec::new();
    for (entry, national) in draft.phones.iter().zip(&valid.phone_national_digits) {
        runs.extend(phone_runs(&entry.number, national, entry.e164.as_deref()));
    }
    for text in [&name, &other, &items] {
        let words = text.split(' ').filter(|word| word.starts_with(|ch: char| ch.is_ascii_digit()));
        runs.extend(words.map(str::to_string));
    }
    Document { name, other, items, digits: digits_rows(runs) }
}

/// The `search_digits` rows of a customer: each run once, in order, with the characters it
/// shares with the one before.
fn digits_rows(mut runs: Vec<String>) -> Vec<DigitsRow> {
    runs.sort_unstable();
    runs.dedup();
    let mut rows: Vec<DigitsRow> = Vec::with_capacity(runs.len());
    for digits in runs {
        let shared = rows.last().map_or(0, |previous| {
            previous.digits.bytes().zip(digits.bytes()).take_while(|(a, b)| a == b).count()
        });
        rows.push(DigitsRow { digits, shared });
    }
    rows
}

/// The full name folded, with the given and family names where they add a word to it (they are
/// usually inside the full name already).
fn folded_name(full_name: &str, given_name: &str, family_name: &str) -> String {
    let mut name = fold::fold(full_name);
    for part in [given_name, family_name] {
        if !part.is_empty() && !full_name.contains(part) {
            name.push(' ');
            name.push_str(&fold::fold(part));
        }
    }
    name
}

/// Adds the pinyin of Chinese names to the search documents of a book indexed before names
/// were spelled in pinyin (migration 14): only the names holding Chinese characters change.
pub(crate) fn index_pinyin_of_names(conn: &Connection) -> rusqlite::Result<()> {
    let mut customers = conn.prepare("SELECT id, full_name, given_name, family_name FROM customers")?;
    let mut update = conn.prepare("UPDATE customer_search SET name = ?2 WHERE rowid = ?1")?;
    let mut rows = customers.query([])?;
    while let Some(row) = rows.next()? {
        let name =
            folded_name(&row.get::<_, String>(1)?, &row.get::<_, String>(2)?, &row.get::<_, String>(3)?);
        if !fold::pinyin_spellings(&fold::words(&name)).is_empty() {
            update.execute(params![row.get::<_, i64>(0)?, name_words(&name)])?;
        }
    }
    Ok(())
}

/// The `name` column: the folded name's words, then each spelling of its Chinese characters in
/// pinyin, so "wang li", "wangli" and "wl" all find 王丽: the syllables, the whole name joined,
/// the given name joined ("xiaoming" for 王小明) and the initials. The syllables come after
/// the characters, so a phrase of characters is still a phrase.
fn name_words(folded_name: &str) -> String {
    let words = fold::words(folded_name);
    let mut document = words.join(" ");
    for syllables in fold::pinyin_spellings(&words) {
        for word in pinyin_words(&syllables) {
            document.push(' ');
            document.push_str(&word);
        }
    }
    document
}

fn initials(syllables: &[String]) -> String {
    syllables.iter().filter_map(|syllable| syllable.get(..1)).collect()
}

/// The index words of one pinyin spelling, as `name_words` describes them.
fn pinyin_words(syllables: &[String]) -> Vec<String> {
    let mut words = syllables.to_vec();
    if syllables.len() > 1 {
        words.push(syllables.concat());
        words.push(initials(syllables));
    }
    if syllables.len() > 2 {
        words.push(syllables[1..].concat());
    }
    words
}

/// Search documents of a bulk load, written a few thousand at a time: FTS5 flushes its
/// pending postings whenever another statement opens a savepoint, so documents written
/// between other writes each cost a flush and a merge. A document that replaces one already
/// indexed (a merge) deletes the old one when the batch is written.
#[derive(Default)]
pub(crate) struct PendingDocuments {
    documents: Vec<(i64, Document, bool)>,
    positions: HashMap<i64, usize>,
    /// Whether a document already in the index was replaced.
    replaced: bool,
}

pub(crate) const DOCUMENT_BATCH: usize = 2000;

impl PendingDocuments {
    pub fn add(&mut self, conn: &Connection, id: i64, document: Document, replaces: bool) -> Result<()> {
        match self.positions.get(&id) {
            Some(&position) => {
                let replaces = replaces || self.documents[position].2;
                self.documents[position] = (id, document, replaces);
            }
            None => {
                self.positions.insert(id, self.documents.len());
                self.documents.push((id, document, replaces));
            }
        }
        if self.documents.len() >= DOCUMENT_BATCH { self.flush(conn) } else { Ok(()) }
    }

    pub fn flush(&mut self, conn: &Connection) -> Result<()> {
        // In rowid order, each replaced document deleted just before its new one: FTS5 writes
        // out its pending postings as a new segment whenever a rowid is lower than the one
        // before, so a batch in any other order (merges into older customers between new ones)
        // becomes dozens of tiny segments, each merged again later.
        self.documents.sort_unstable_by_key(|(id, _, _)| *id);
        let mut insert = conn.prepare_cached(
            "INSERT INTO customer_search (rowid, name, other, items, digits) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut digits_rows = Vec::new();
        for (id, document, replaces) in &self.documents {
            if *replaces {
                update_digits(conn, *id, &document.digits)?;
                conn.prepare_cached("DELETE FROM customer_search WHERE rowid = ?1")?.execute([id])?;
                self.replaced = true;
            } else {
                digits_rows.extend(document.digits.iter().map(|row| (row.digits.as_str(), *id, row.shared)));
            }
            insert.execute(params![
                id,
                document.name,
                document.other,
                document.items,
                document.digits_text()
            ])?;
        }
        // In the table's order: each row lands beside the one before.
        digits_rows.sort_unstable();
        insert_digits(conn, digits_rows)?;
        self.documents.clear();
        self.positions.clear();
        Ok(())
    }
}

/// The document of a customer as stored: the profile is valid already, so only the national
/// digits of each phone are worked out again, from its E.164 form (whatever region it was
/// typed in). For bulk loads that index customers once everything is in, and for migrations:
/// it reads only the columns a document holds, which every schema since the first has.
pub(crate) fn stored_document(conn: &Connection, id: i64, region: &str) -> Result<Document> {
    let mut profile = conn
        .prepare_cached("SELECT full_name, given_name, family_name, company FROM customers WHERE id = ?1")?
        .query_row([id], |row| {
            Ok(CustomerDraft {
                given_name: row.get(1)?,
                family_name: row.get(2)?,
                company: row.get(3)?,
                ..CustomerDraft::named(row.get::<_, String>(0)?)
            })
        })?;
    let mut tags =
        conn.prepare_cached("SELECT tag FROM customer_tags WHERE customer_id = ?1 ORDER BY position")?;
    profile.tags = tags.query_map([id], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?;
    let mut emails =
        conn.prepare_cached("SELECT address FROM customer_emails WHERE customer_id = ?1 ORDER BY position")?;
    profile.emails = emails
        .query_map([id], |row| Ok(EmailEntry { label: String::new(), address: row.get(0)?, primary: false }))?
        .collect::<rusqlite::Result<_>>()?;
    let mut phones = conn.prepare_cached(
        "SELECT number, e164 FROM customer_phones WHERE customer_id = ?1 ORDER BY position",
    )?;
    profile.phones = phones
        .query_map([id], |row| {
            Ok(PhoneEntry { label: String::new(), number: row.get(0)?, e164: row.get(1)?, primary: false })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let phone_national_digits = profile
        .phones
        .iter()
        .map(|entry| {
            let international = entry.e164.as_deref().unwrap_or(&entry.number);
            phone::parse(international, region)
                .map(|parsed| parsed.national_digits)
                .unwrap_or_else(|_| phone::digits(&entry.number))
        })
        .collect();
    let items = items_document(conn, id)?;
    Ok(document(&ValidDraft { profile, phone_national_digits, unverified_phones: Vec::new() }, items))
}

/// Writes the search document of every customer anew, in bulk (migration 16's hook, into an
/// index made empty).
pub(crate) fn index_book(conn: &Connection) -> Result<()> {
    let region = crate::settings::read_region(conn)?;
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM customers ORDER BY id")?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let indexing = start_bulk_indexing(conn)?;
    let mut documents = PendingDocuments::default();
    for id in ids {
        documents.add(conn, id, stored_document(conn, id, &region)?, false)?;
    }
    documents.flush(conn)?;
    finish_bulk_indexing(conn, indexing, &documents)
}

/// FTS5 merges its small segments as it goes (`automerge`): a bulk load that writes its
/// documents a batch at a time would merge the same postings again and again. A bulk load
/// pauses that in its transaction and merges what it wrote once, at the end
/// (`finish_bulk_indexing`); a rollback restores the settings with everything else. Its batches
/// also get a pending-postings table big enough to make one segment each.
pub(crate) fn start_bulk_indexing(conn: &Connection) -> Result<BulkIndexing> {
    let mut previous = BulkIndexing(Vec::with_capacity(BULK_SETTINGS.len()));
    for &(key, bulk_value, default) in BULK_SETTINGS {
        let value: Option<i64> = conn
            .query_row("SELECT v FROM customer_search_config WHERE k = ?1", [key], |row| row.get(0))
            .optional()?;
        previous.0.push((key, value.unwrap_or(default)));
        set_search_config(conn, key, bulk_value)?;
    }
    Ok(previous)
}

/// FTS5 settings a bulk load changes: (name, value during the load, SQLite's default).
const BULK_SETTINGS: &[(&str, i64, i64)] = &[
    ("automerge", 0, 4),
    // Segments on one level past which FTS5 merges them anyway. FTS5 refuses to write more
    // than 2,000 segments in all, so a million-row load must still merge now and then: 64
    // segments of a few thousand documents at a time is cheap.
    ("crisismerge", 64, 16),
    // Bytes of pending postings kept in memory before they are written as a segment: a batch
    // of documents (`DOCUMENT_BATCH`) fits.
    ("hashsize", 8 << 20, 1 << 20),
    // FTS5's secure delete finds and rewrites every posting of a replaced document, in doclists
    // that span the whole book (one-letter prefixes): it made an import's merges into the book's
    // customers four times slower. A bulk load replaces without it, and `finish_bulk_indexing`
    // then says the book must be scrubbed before its next erasure.
    ("secure-delete", 0, 0),
];

/// FTS5's settings of a book before a bulk load, to restore.
pub(crate) struct BulkIndexing(Vec<(&'static str, i64)>);

/// Restores the settings and merges the segments the bulk load wrote, so that type-ahead reads
/// as few segments after a big import as before it. When `documents` replaced any (without
/// FTS5's secure delete, see `BULK_SETTINGS`), the old words may stay in older segments: the
/// book is no longer scrubbed, and its next erasure scrubs it first.
pub(crate) fn finish_bulk_indexing(
    conn: &Connection,
    previous: BulkIndexing,
    documents: &PendingDocuments,
) -> Result<()> {
    for (key, value) in previous.0 {
        set_search_config(conn, key, value)?;
    }
    if documents.replaced {
        crate::erasure::mark_unscrubbed(conn)?;
    }
    // A positive budget merges every level holding `usermerge` (4) segments or more, as
    // automerge would have, until none is left; the budget (pages written) is never reached.
    conn.execute(
        "INSERT INTO customer_search (customer_search, rank) VALUES ('merge', ?1)",
        [i64::from(i32::MAX)],
    )?;
    Ok(())
}

fn set_search_config(conn: &Connection, key: &str, value: i64) -> Result<()> {
    conn.prepare_cached("INSERT INTO customer_search (customer_search, rank) VALUES (?1, ?2)")?
        .execute(params![key, value])?;
    Ok(())
}

/// The searchable text of everything a customer bought (brand, model, reference and serial)
/// and of the pieces they traded in (reference and serial: the piece in hand finds its owner).
pub(crate) fn items_document(conn: &Connection, customer_id: i64) -> Result<String> {
    let mut statement = conn.prepare_cached(
        "SELECT i.brand, i.model, i.reference_number, i.serial_number
         FROM purchase_items i JOIN purchases p ON p.id = i.purchase_id WHERE p.customer_id = ?1
         UNION ALL
         SELECT '', '', t.reference_number, t.serial_number
         FROM sale_trade_ins t JOIN purchases p ON p.id = t.purchase_id WHERE p.customer_id = ?1",
    )?;
    let mut texts = Vec::new();
    let mut rows = statement.query([customer_id])?;
    while let Some(row) = rows.next()? {
        for column in 0..4 {
            texts.push(row.get::<_, String>(column)?);
        }
    }
    Ok(items_text(texts.iter().map(String::as_str)))
}

/// `items_document` as the customer's indexed document holds it, read without going through
/// their purchases again: for an import of contacts, which never changes what anyone bought.
pub(crate) fn indexed_items(conn: &Connection, customer_id: i64) -> Result<String> {
    let indexed = conn
        .prepare_cached("SELECT items FROM customer_search WHERE rowid = ?1")?
        .query_row([customer_id], |row| row.get::<_, Option<String>>(0))
        .optional()?
        .flatten();
    match indexed {
        Some(items) => Ok(items),
        None => items_document(conn, customer_id),
    }
}

/// The `items` column from the brands, models, reference and serial numbers of the pieces.
pub(crate) fn items_text<'a>(texts: impl Iterator<Item = &'a str>) -> String {
    let mut document = String::new();
    for text in texts {
        document.push(' ');
        document.push_str(&fold::fold(text));
    }
    spaced(&document)
}

/// Refreshes the purchased-items part of a customer's document after a sale changes, and what
/// is searched by digits (a reference or serial bought).
pub(crate) fn reindex_items(conn: &Connection, customer_id: i64) -> Result<()> {
    let document = stored_document(conn, customer_id, &crate::settings::read_region(conn)?)?;
    unindex_digits(conn, customer_id)?;
    conn.prepare_cached("UPDATE customer_search SET items = ?2, digits = ?3 WHERE rowid = ?1")?
        .execute(params![customer_id, document.items, document.digits_text()])?;
    insert_digits(conn, document.digits.iter().map(|row| (row.digits.as_str(), customer_id, row.shared)))
}

pub(crate) fn unindex_customer(conn: &Connection, id: i64) -> Result<()> {
    unindex_digits(conn, id)?;
    conn.prepare_cached("DELETE FROM customer_search WHERE rowid = ?1")?.execute([id])?;
    Ok(())
}

/// Deletes the customer's `search_digits` rows, named by their document's `digits` column:
/// the table has no index by customer, which would double the cost of writing it.
fn unindex_digits(conn: &Connection, id: i64) -> Result<()> {
    let mut delete =
        conn.prepare_cached("DELETE FROM search_digits WHERE digits = ?1 AND customer_id = ?2")?;
    for digits in stored_digits(conn, id)?.split_whitespace() {
        delete.execute(params![digits, id])?;
    }
    Ok(())
}

/// Brings a customer's `search_digits` rows from those their stored document lists to `rows`,
/// writing only what changed: a merge or an edit keeps most runs of a customer, and a row
/// deleted and written again is two B-tree writes (the delete zeroed, secure delete is on).
fn update_digits(conn: &Connection, id: i64, rows: &[DigitsRow]) -> Result<()> {
    let stored = stored_digits(conn, id)?;
    let before = digits_rows(stored.split_whitespace().map(str::to_string).collect());
    let mut gone: HashMap<&str, usize> = before.iter().map(|row| (row.digits.as_str(), row.shared)).collect();
    let mut added = Vec::new();
    for row in rows {
        match gone.remove(row.digits.as_str()) {
            Some(shared) if shared == row.shared => {}
            Some(_) => {
                conn.prepare_cached(
                    "UPDATE search_digits SET shared = ?3 WHERE digits = ?1 AND customer_id = ?2",
                )?
                .execute(params![row.digits, id, row.shared as i64])?;
            }
            None => added.push((row.digits.as_str(), id, row.shared)),
        }
    }
    let mut delete =
        conn.prepare_cached("DELETE FROM search_digits WHERE digits = ?1 AND customer_id = ?2")?;
    for digits in gone.keys() {
        delete.execute(params![digits, id])?;
    }
    insert_digits(conn, added)
}

/// The `digits` column of a customer's document: their `search_digits` rows' digits.
fn stored_digits(conn: &Connection, id: i64) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT digits FROM customer_search WHERE rowid = ?1")?
        .query_row([id], |row| row.get::<_, Option<String>>(0))
        .optional()?
        .flatten()
        .unwrap_or_default())
}

/// Writes `search_digits` rows: (digits, customer, shared).
fn insert_digits<'a>(conn: &Connection, rows: impl IntoIterator<Item = (&'a str, i64, usize)>) -> Result<()> {
    let mut insert =
        conn.prepare_cached("INSERT INTO search_digits (digits, customer_id, shared) VALUES (?1, ?2, ?3)")?;
    for (digits, id, shared) in rows {
        insert.execute(params![digits, id, shared as i64])?;
    }
    Ok(())
}

/// Folded text with every word separated by a space (CJK characters become words).
fn spaced(folded: &str) -> String {
    fold::words(folded).join(" ")
}

/// The digit runs of one phone: the digits as typed, the national form, and every suffix of
/// the E.164 digits, so that any part of the number or the whole of it in any format begins
/// one of them.
fn phone_runs(typed: &str, national_digits: &str, e164: Option<&str>) -> Vec<String> {
    // The national form too ("020 7123…" for "+44 20 7123…"), whichever way it was typed.
    let mut tokens = vec![phone::digits(&phone::clean(typed)), national_digits.to_string()];
    if let Some(e164) = e164 {
        let digits = phone::digits(e164);
        for start in 0..=digits.len().saturating_sub(MIN_PHONE_SUFFIX) {
            tokens.push(digits[start..].to_string());
        }
    }
    tokens.sort();
    tokens.dedup();
    tokens
}

/// A parsed query: what a customer must match, and what ranking compares against.
struct Query {
    /// The FTS5 expression of the words typed; none when every chunk is digits.
    fts: Option<String>,
    /// Chunks of digits, each found in `search_digits`.
    digit_terms: Vec<DigitTerm>,
    folded_words: Vec<String>,
    /// The words joined by spaces ("anna smith"), sorted ("anna smith" for "smith anna") and
    /// joined without spaces ("wangli", how pinyin is compared): worked out once per query,
    /// not for each candidate ranked.
    joined: String,
    sorted_words: Vec<String>,
    unspaced: String,
}

/// A chunk of digits: a customer matches it when one of their `search_digits` rows (a run of a
/// phone's digits, a reference, a serial, an email beginning with a digit) begins with one of
/// its forms: the digits as typed and, for a whole phone number, its E.164 digits.
struct DigitTerm {
    forms: Vec<String>,
}

impl Query {
    fn new(fts: Option<String>, digit_terms: Vec<DigitTerm>, folded_words: Vec<String>) -> Query {
        let mut sorted_words = folded_words.clone();
        sorted_words.sort_unstable();
        Query {
            fts,
            digit_terms,
            joined: folded_words.join(" "),
            unspaced: folded_words.concat(),
            sorted_words,
            folded_words,
        }
    }

    /// Conditions on `c.id` that hold exactly for the customers this query matches, each
    /// text bound with `bind` (which returns its placeholder).
    fn conditions(&self, bind: &mut dyn FnMut(&str) -> String) -> Vec<String> {
        let mut conditions = Vec::new();
        if let Some(fts) = &self.fts {
            let at = bind(fts);
            conditions.push(format!(
                "c.id IN (SELECT rowid FROM customer_search WHERE customer_search MATCH {at})"
            ));
        }
        for term in &self.digit_terms {
            let sets: Vec<String> = term
                .forms
                .iter()
                .map(|digits| {
                    let at = bind(digits);
                    format!("SELECT customer_id FROM search_digits WHERE digits >= {at} AND digits < {at} || char(1114111)")
                })
                .collect();
            conditions.push(format!("c.id IN ({})", sets.join(" UNION ")));
        }
        conditions
    }

    /// `conditions` as one `WHERE` clause, with the texts to bind to its placeholders in order.
    fn where_clause(&self) -> (String, Vec<String>) {
        let mut texts = Vec::new();
        let conditions = self.conditions(&mut |text| {
            texts.push(text.to_string());
            format!("?{}", texts.len())
        });
        (conditions.join(" AND "), texts)
    }
}

/// Whether a chunk typed is digits enough to be part of a phone, searched in `search_digits`:
/// a phone is found by any three of its digits or more (`MIN_PHONE_SUFFIX`); fewer find the
/// words that begin with them, as any other chunk does.
fn is_phone_digits(word: &str) -> bool {
    word.len() >= MIN_PHONE_SUFFIX && word.bytes().all(|byte| byte.is_ascii_digit())
}

fn build_query(text: &str, region: &str) -> Option<Query> {
    if phone::looks_like_phone(text) {
        let mut alternatives = vec![phone::digits(&phone::clean(text))];
        // A national number typed in full ("07911 123456") also matches its E.164 form.
        if let Ok(parsed) = phone::parse(text, region) {
            alternatives.push(phone::digits(&parsed.e164));
        }
        alternatives.dedup();
        // Digits are phone numbers, or reference and serial numbers of pieces bought. ("004"
        // is "+4", too short: the chunk is read as typed below.)
        if alternatives.iter().all(|digits| is_phone_digits(digits)) {
            return Some(Query::new(None, vec![DigitTerm { forms: alternatives }], Vec::new()));
        }
    }
    // Words typed together ("o'brien", "anna@example.com", "王小明") must stay together, as a
    // phrase; chunks separated by spaces may come in any order ("smith anna").
    let mut parts = Vec::new();
    let mut digit_terms = Vec::new();
    let mut words = Vec::new();
    for chunk in text.split_whitespace() {
        let folded = fold::fold(chunk);
        let chunk_words = fold::words(&folded);
        match chunk_words.as_slice() {
            [] => continue,
            [digits] if is_phone_digits(digits) => {
                digit_terms.push(DigitTerm { forms: vec![(*digits).to_string()] });
            }
            _ => parts.push(format!("\"{}\"*", chunk_words.join(" "))),
        }
        words.extend(chunk_words.into_iter().map(str::to_string));
    }
    if words.is_empty() {
        return None;
    }
    let fts = (!parts.is_empty()).then(|| parts.join(" AND "));
    Some(Query::new(fts, digit_terms, words))
}

/// Conditions on `c.id` holding for exactly the customers a search matches, for filters that
/// must hold the customers it counts (the customer list); `None` when the text holds nothing
/// to search for.
pub(crate) fn match_conditions(
    text: &str,
    region: &str,
    bind: &mut dyn FnMut(&str) -> String,
) -> Option<Vec<String>> {
    build_query(text, region).map(|query| query.conditions(bind))
}

/// What a piece's numbers must hold: each chunk typed between spaces, as folded words (the
/// last one a prefix), and the FTS5 expression that finds the customers who bought one.
struct PieceQuery {
    chunks: Vec<Vec<String>>,
    fts: String,
}

fn piece_query(text: &str) -> Option<PieceQuery> {
    let chunks: Vec<Vec<String>> = text
        .split_whitespace()
        .map(|chunk| fold::words(&fold::fold(chunk)).into_iter().map(str::to_string).collect::<Vec<_>>())
        .filter(|words| !words.is_empty())
        .collect();
    let typed: usize = chunks.iter().flatten().map(|word| word.chars().count()).sum();
    // Reference and serial numbers carry digits, names and brands seldom do: without one there
    // is no piece to look for, and the items of hundreds of customers are not read in vain.
    let has_digit = chunks.iter().flatten().any(|word| word.chars().any(|ch| ch.is_ascii_digit()));
    if !has_digit || typed < MIN_PIECE_QUERY {
        return None;
    }
    let phrases = chunks.iter().map(|words| format!("\"{}\"*", words.join(" "))).collect::<Vec<_>>();
    Some(PieceQuery { fts: format!("{{items}} : ({})", phrases.join(" AND ")), chunks })
}

/// Whether `phrase` appears in `words` as FTS5 reads `"a b"*`: the words in a row, the last a prefix.
fn phrase_in(words: &[&str], phrase: &[String]) -> bool {
    let Some((last, exact)) = phrase.split_last() else { return false };
    words.windows(phrase.len()).any(|window| {
        window.iter().zip(exact).all(|(word, wanted)| word == wanted)
            && window[exact.len()].starts_with(last.as_str())
    })
}

/// Which number of a piece the query matched: every chunk must be in its serial, reference,
/// brand or model ("rolex 1165"), at least one in a number; a serial wins over a reference.
/// Brand and model are read only for a piece whose numbers matched: most candidates' do not.
fn piece_field(
    query: &PieceQuery,
    brand: &str,
    model: &str,
    reference: &str,
    serial: &str,
) -> Option<PieceField> {
    let (serial, reference) = (fold::fold(serial), fold::fold(reference));
    let (serial, reference) = (fold::words(&serial), fold::words(&reference));
    let in_serial: Vec<bool> = query.chunks.iter().map(|chunk| phrase_in(&serial, chunk)).collect();
    let in_reference: Vec<bool> = query.chunks.iter().map(|chunk| phrase_in(&reference, chunk)).collect();
    let matched = if in_serial.contains(&true) {
        PieceField::Serial
    } else if in_reference.contains(&true) {
        PieceField::Reference
    } else {
        return None;
    };
    let (brand, model) = (fold::fold(brand), fold::fold(model));
    let (brand, model) = (fold::words(&brand), fold::words(&model));
    let rest_named = query
        .chunks
        .iter()
        .enumerate()
        .filter(|(index, _)| !in_serial[*index] && !in_reference[*index])
        .all(|(_, chunk)| phrase_in(&brand, chunk) || phrase_in(&model, chunk));
    rest_named.then_some(matched)
}

/// How well a candidate's name answers the query: lower is better. What the name's own
/// characters match comes first, then its pinyin (a Latin "Wang" before 王丽 for "wang"), then
/// a match elsewhere (company, tag, email, phone).
fn name_rank(sort_name: &str, query: &Query) -> u8 {
    const ELSEWHERE: u8 = 8;
    if query.folded_words.is_empty() {
        return ELSEWHERE; // a phone match
    }
    let joined = &query.joined;
    let name_words: Vec<&str> = sort_name.split(' ').collect();
    let starts_a_word =
        |words: &[&str], word: &str| words.iter().any(|name_word| name_word.starts_with(word));
    let same_words = |name_words: &[&str]| {
        let mut named = name_words.to_vec();
        named.sort_unstable();
        named.len() == query.sorted_words.len() && named.iter().zip(&query.sorted_words).all(|(a, b)| a == b)
    };
    if sort_name == joined {
        0
    } else if sort_name.starts_with(joined.as_str()) {
        1
    } else if same_words(&name_words) {
        2 // "smith olivia" for Olivia Smith, before Olivia A. Smith
    } else if query.folded_words.iter().all(|word| starts_a_word(&name_words, word)) {
        3
    } else if query.folded_words.iter().any(|word| sort_name.contains(word.as_str())) {
        4
    } else {
        pinyin_rank(&name_words, query).unwrap_or(ELSEWHERE)
    }
}

/// How well the pinyin of a name's Chinese characters answers the query, spaces and tones
/// ignored: the whole name (5), its beginning or initials (6), or each word typed starting one
/// of its syllables or the given name (7).
fn pinyin_rank(name_words: &[&str], query: &Query) -> Option<u8> {
    let typed = &query.unspaced;
    fold::pinyin_spellings(name_words)
        .iter()
        .filter_map(|syllables| {
            let words = pinyin_words(syllables);
            let whole = syllables.concat();
            if &whole == typed {
                Some(5)
            } else if whole.starts_with(typed.as_str())
                || (syllables.len() > 1 && initials(syllables).starts_with(typed.as_str()))
            {
                Some(6)
            } else if query
                .folded_words
                .iter()
                .all(|word| words.iter().any(|spelled| spelled.starts_with(word.as_str())))
            {
                Some(7)
            } else {
                None
            }
        })
        .min()
}

impl Book {
    /// The best `limit` customers for what the dealer has typed so far.
    pub fn search_customers(&self, text: &str, limit: usize) -> Result<Vec<CustomerRow>> {
        let limit = limit.clamp(1, MAX_RESULTS);
        self.reading(|| {
            let region = crate::settings::read_region(&self.conn)?;
            let Some(query) = build_query(text, &region) else { return Ok(Vec::new()) };
            Ok(self.ranked_customers(&query, limit, &region)?.0)
        })
    }

    /// What the search box shows as the dealer types: the best `limit` customers, whether more
    /// than those match, and up to `limit` sold pieces whose serial or reference number
    /// matches, serial numbers first, newest sale first. How many match in all ("See all N")
    /// is `count_matches`, asked for after: counting walks every match (84,628 customers for
    /// "c" in a 100,000-customer book), and the rows need not wait for it.
    pub fn search(&self, text: &str, limit: usize) -> Result<SearchResults> {
        let limit = limit.clamp(1, MAX_RESULTS);
        self.reading(|| {
            let region = crate::settings::read_region(&self.conn)?;
            let Some(query) = build_query(text, &region) else {
                return Ok(SearchResults { customers: Vec::new(), more: false, pieces: Vec::new() });
            };
            let (customers, matched) = self.ranked_customers(&query, limit, &region)?;
            Ok(SearchResults {
                more: matched > customers.len(),
                customers,
                pieces: self.pieces(text, limit)?,
            })
        })
    }

    /// How many customers match `text`, counted exactly: the search box's "See all N". The
    /// customer list filtered by the same text holds exactly those.
    pub fn count_matches(&self, text: &str) -> Result<u32> {
        self.reading(|| {
            let region = crate::settings::read_region(&self.conn)?;
            let Some(query) = build_query(text, &region) else { return Ok(0) };
            let matched = match (&query.fts, query.digit_terms.as_slice()) {
                (Some(fts), []) => self
                    .conn
                    .prepare_cached("SELECT count(*) FROM customer_search WHERE customer_search MATCH ?1")?
                    .query_row([fts], |row| row.get::<_, i64>(0))?,
                (None, [term]) => i64::try_from(self.digit_candidates(term, true)?.1).unwrap_or(i64::MAX),
                _ => {
                    let (conditions, texts) = query.where_clause();
                    self.conn
                        .prepare_cached(&format!("SELECT count(*) FROM customers c WHERE {conditions}"))?
                        .query_row(rusqlite::params_from_iter(&texts), |row| row.get::<_, i64>(0))?
                }
            };
            Ok(u32::try_from(matched).unwrap_or(u32::MAX))
        })
    }

    /// Sold pieces whose numbers match `text`. Read from the items of the first customers whose
    /// bought items hold the words (`PIECE_CANDIDATE_LIMIT`), which keeps a keystroke bounded:
    /// a reference sold to more customers than that shows pieces of some of them.
    fn pieces(&self, text: &str, limit: usize) -> Result<Vec<PieceMatch>> {
        let Some(query) = piece_query(text) else { return Ok(Vec::new()) };
        let mut statement = self.conn.prepare_cached(
            "SELECT i.id, p.id, c.id, c.full_name, p.purchased_on,
                    i.brand, i.model, i.reference_number, i.serial_number
             FROM customers c
             JOIN purchases p ON p.customer_id = c.id
             JOIN purchase_items i ON i.purchase_id = p.id
             WHERE c.id IN (SELECT rowid FROM customer_search WHERE customer_search MATCH ?1 LIMIT ?2)
               AND (i.reference_number <> '' OR i.serial_number <> '')",
        )?;
        let mut pieces = Vec::new();
        let mut rows = statement.query(params![query.fts, PIECE_CANDIDATE_LIMIT as i64])?;
        while let Some(row) = rows.next()? {
            let (brand, model): (String, String) = (row.get(5)?, row.get(6)?);
            let (reference_number, serial_number): (String, String) = (row.get(7)?, row.get(8)?);
            let Some(matched) = piece_field(&query, &brand, &model, &reference_number, &serial_number) else {
                continue;
            };
            pieces.push(PieceMatch {
                item_id: row.get(0)?,
                purchase_id: row.get(1)?,
                customer_id: row.get(2)?,
                owner: row.get(3)?,
                sold_on: crate::customers::parse_column(row, 4)?,
                brand,
                model,
                reference_number,
                serial_number,
                matched,
            });
        }
        pieces.sort_by_key(|piece| {
            (piece.matched != PieceField::Serial, Reverse(piece.sold_on), Reverse(piece.item_id))
        });
        pieces.truncate(limit);
        Ok(pieces)
    }

    /// The best `limit` customers for a parsed query, and how many customers match, counted
    /// only as far as `CANDIDATE_LIMIT + 1`.
    fn ranked_customers(
        &self,
        query: &Query,
        limit: usize,
        region: &str,
    ) -> Result<(Vec<CustomerRow>, usize)> {
        let (mut candidates, matched) = match (&query.fts, query.digit_terms.as_slice()) {
            (Some(fts), []) => self.candidates(fts)?,
            (None, [term]) => self.digit_candidates(term, false)?,
            _ => self.matching_candidates(query)?,
        };
        if candidates.len() > CANDIDATE_LIMIT && !query.folded_words.is_empty() {
            // Too broad to rank everything: names that start with the query come first, in
            // alphabetical order, straight from the sort index.
            let prefix = &query.joined;
            let mut by_name = self.conn.prepare_cached(
                "SELECT id, sort_name FROM customers WHERE sort_name >= ?1 AND sort_name < ?1 || char(1114111)
                 ORDER BY sort_name, id LIMIT ?2",
            )?;
            let starts_with = by_name
                .query_map(params![prefix, limit as i64], |row| {
                    Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            candidates.extend(starts_with);
            // And the Chinese names spelled exactly so in pinyin ("wang li" for 王丽), whose
            // joined spelling is an index word: the first candidates may hold none of them.
            if query.unspaced.bytes().all(|byte| byte.is_ascii_lowercase()) {
                let spelled = format!("{{name}} : \"{}\"", query.unspaced);
                candidates.extend(self.candidates(&spelled)?.0.into_iter().take(limit));
            }
        }
        // Each candidate ranked once, not at every comparison of the sort; a customer found
        // twice (by the text and by the name index) is the same key twice, side by side.
        let mut ranked: Vec<(u8, String, Reverse<i64>)> =
            candidates.into_iter().map(|(id, name)| (name_rank(&name, query), name, Reverse(id))).collect();
        ranked.sort_unstable();
        ranked.dedup();
        let ids: Vec<i64> = ranked.into_iter().take(limit).map(|(_, _, Reverse(id))| id).collect();
        Ok((crate::customers::rows_in_region(&self.conn, &ids, region)?, matched))
    }

    /// The first `CANDIDATE_LIMIT + 1` customers matching `fts` (in rowid order) with their
    /// sort names, and how many of them there are.
    fn candidates(&self, fts: &str) -> Result<(Vec<(i64, String)>, usize)> {
        let mut scan = self
            .conn
            .prepare_cached("SELECT rowid FROM customer_search WHERE customer_search MATCH ?1 LIMIT ?2")?;
        let ids = scan
            .query_map(params![fts, CANDIDATE_LIMIT as i64 + 1], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        let matched = ids.len();
        Ok((self.with_sort_names(ids)?, matched))
    }

    /// The first `CANDIDATE_LIMIT + 1` of `ids` with their sort names.
    fn with_sort_names(&self, ids: impl IntoIterator<Item = i64>) -> Result<Vec<(i64, String)>> {
        let mut name = self.conn.prepare_cached("SELECT sort_name FROM customers WHERE id = ?1")?;
        let mut candidates = Vec::with_capacity(CANDIDATE_LIMIT + 1);
        for id in ids.into_iter().take(CANDIDATE_LIMIT + 1) {
            if let Some(sort_name) = name.query_row([id], |row| row.get(0)).optional()? {
                candidates.push((id, sort_name));
            }
        }
        Ok(candidates)
    }

    /// The customers one chunk of digits matches. Its widest form's customers are counted
    /// from its rows (`digits_count`), never read one by one ("074" is every British mobile);
    /// a whole number's second form (few customers) is read, and counted where the first form
    /// does not hold them already.
    fn digit_candidates(&self, term: &DigitTerm, count_all: bool) -> Result<(Vec<(i64, String)>, usize)> {
        if let ([digits], false) = (term.forms.as_slice(), count_all) {
            let ids = self.digits_matches(digits, CANDIDATE_LIMIT + 1)?;
            let matched = ids.len();
            return Ok((self.with_sort_names(ids)?, matched));
        }
        let mut forms = term
            .forms
            .iter()
            .map(|digits| Ok((self.digits_count(digits)?, digits.as_str())))
            .collect::<Result<Vec<_>>>()?;
        forms.sort_unstable_by_key(|&(count, _)| Reverse(count));
        let Some((&(mut matched, widest), narrower)) = forms.split_first() else {
            return Ok((Vec::new(), 0));
        };
        let mut ids = self.digits_matches(widest, CANDIDATE_LIMIT + 1)?;
        let read_limit = if count_all { usize::MAX } else { CANDIDATE_LIMIT + 1 };
        let mut others = Vec::new();
        for &(_, digits) in narrower {
            others.extend(self.digits_matches(digits, read_limit)?);
        }
        others.sort_unstable();
        others.dedup();
        for id in others {
            if !stored_digits(&self.conn, id)?.split_whitespace().any(|digits| digits.starts_with(widest)) {
                matched += 1;
                ids.push(id);
            }
        }
        Ok((self.with_sort_names(ids)?, matched))
    }

    /// How many customers have a row beginning with `digits`: each customer's rows beginning
    /// with them are counted once, by the first of them (see migration 16).
    fn digits_count(&self, digits: &str) -> Result<usize> {
        let count: i64 = self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM search_digits
                 WHERE digits >= ?1 AND digits < ?1 || char(1114111) AND shared < ?2",
            )?
            .query_row(params![digits, digits.len() as i64], |row| row.get(0))?;
        Ok(usize::try_from(count).unwrap_or_default())
    }

    /// Up to `limit` customers with a row beginning with `digits`, each once, in id order (read
    /// in digit order, they are scattered over the book: in id order their rows are read in
    /// the order they are stored).
    fn digits_matches(&self, digits: &str, limit: usize) -> Result<Vec<i64>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT customer_id FROM search_digits
             WHERE digits >= ?1 AND digits < ?1 || char(1114111) AND shared < ?2 LIMIT ?3",
        )?;
        let limit = i64::try_from(limit).unwrap_or(-1);
        let mut ids = statement
            .query_map(params![digits, digits.len() as i64, limit], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        ids.sort_unstable();
        Ok(ids)
    }

    /// Any other query (words and digits, or several chunks of digits), through the same
    /// conditions as the customer list's filter: the first `CANDIDATE_LIMIT + 1` matches.
    fn matching_candidates(&self, query: &Query) -> Result<(Vec<(i64, String)>, usize)> {
        let (conditions, texts) = query.where_clause();
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT c.id, c.sort_name FROM customers c WHERE {conditions} LIMIT {}",
            CANDIDATE_LIMIT + 1
        ))?;
        let candidates = statement
            .query_map(rusqlite::params_from_iter(&texts), |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<Vec<(i64, String)>>>()?;
        let matched = candidates.len();
        Ok((candidates, matched))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_runs_cover_every_suffix() {
        let tokens = phone_runs("+44 7911 123456", "07911123456", Some("+447911123456"));
        for expected in ["07911123456", "447911123456", "7911123456", "123456", "456"] {
            assert!(tokens.iter().any(|token| token == expected), "{expected} in {tokens:?}");
        }
        assert!(!tokens.iter().any(|token| token == "56"));
    }

    #[test]
    fn each_phone_row_knows_the_digits_it_shares_with_the_one_before() {
        let runs = ["447123", "447", "7447123", "447123", "123", "4471"].map(String::from).to_vec();
        let rows = digits_rows(runs);
        let rows: Vec<(&str, usize)> = rows.iter().map(|row| (row.digits.as_str(), row.shared)).collect();
        // Each run once; of the runs beginning "447", only the first shares fewer than 3 digits.
        assert_eq!(rows, [("123", 0), ("447", 0), ("4471", 3), ("447123", 4), ("7447123", 0)]);
    }

    /// A customer's search document and `search_digits` rows, as (digits, shared).
    fn indexed(book: &Book, id: i64) -> (Vec<String>, Vec<(String, i64)>) {
        let document = book
            .conn
            .query_row(
                "SELECT name, other, items, digits FROM customer_search WHERE rowid = ?1",
                [id],
                |row| (0..4).map(|column| row.get(column)).collect::<rusqlite::Result<Vec<String>>>(),
            )
            .expect("document");
        let rows = book
            .conn
            .prepare("SELECT digits, shared FROM search_digits WHERE customer_id = ?1 ORDER BY digits")
            .and_then(|mut statement| {
                statement
                    .query_map([id], |row| Ok((row.get(0)?, row.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()
            })
            .expect("digits rows");
        (document, rows)
    }

    #[test]
    fn an_edit_leaves_the_index_a_fresh_one_would_hold() {
        let mut book = Book::open_in_memory().expect("book");
        let phones = |numbers: &[&str]| -> Vec<crate::model::PhoneEntry> {
            numbers
                .iter()
                .map(|number| crate::model::PhoneEntry {
                    label: String::new(),
                    number: number.to_string(),
                    e164: None,
                    primary: false,
                })
                .collect()
        };
        let mut draft = CustomerDraft::named("Zoë Müller");
        draft.company = "Atelier 42".into();
        draft.phones = phones(&["07911 123456", "020 7946 0018"]);
        let id = book.create_customer(draft.clone()).expect("created").id;
        let (_, before) = indexed(&book, id);
        // A number kept, one gone, one new beside the kept one's runs; a word with digits changed.
        draft.company = "Atelier 43".into();
        draft.phones = phones(&["07911 123456", "07911 123999"]);
        book.update_customer(id, draft).expect("saved");
        let edited = indexed(&book, id);
        let kept_moved = edited.1.iter().any(|(digits, shared)| {
            before.iter().any(|(was, was_shared)| was == digits && was_shared != shared)
        });
        assert!(kept_moved, "a kept run shares another count with the one now before it");
        assert!(
            before.iter().any(|row| !edited.1.contains(row))
                && edited.1.iter().any(|row| !before.contains(row))
        );
        book.conn.execute_batch("DELETE FROM search_digits; DELETE FROM customer_search;").expect("emptied");
        index_book(&book.conn).expect("indexed anew");
        assert_eq!(edited, indexed(&book, id));
        let found = book.search_customers("123999", 5).expect("search");
        assert_eq!(found.iter().map(|row| row.id).collect::<Vec<_>>(), [id]);
        assert!(book.search_customers("79460018", 5).expect("search").is_empty(), "the old number is gone");
    }

    #[test]
    fn indexed_items_are_read_from_the_document_or_made_without_one() {
        let mut book = Book::open_in_memory().expect("book");
        book.generate_demo(12, 40, 3, |_| {}).expect("demo");
        let buyer: i64 = book
            .conn
            .query_row(
                "SELECT customer_id FROM purchases p JOIN purchase_items i ON i.purchase_id = p.id LIMIT 1",
                [],
                |row| row.get(0),
            )
            .expect("someone who bought a piece");
        let words = |items: String| {
            let mut words: Vec<String> = items.split_whitespace().map(str::to_string).collect();
            words.sort();
            words
        };
        let made = items_document(&book.conn, buyer).expect("made");
        assert!(!made.is_empty());
        assert_eq!(words(indexed_items(&book.conn, buyer).expect("indexed")), words(made.clone()));
        book.conn.execute("DELETE FROM customer_search WHERE rowid = ?1", [buyer]).expect("unindexed");
        assert_eq!(indexed_items(&book.conn, buyer).expect("without a document"), made);
    }

    #[test]
    fn words_typed_together_are_phrases() {
        let query = build_query("王小 Ming", "GB").expect("query");
        assert_eq!(query.fts.as_deref(), Some("\"王 小\"* AND \"ming\"*"));
        let query = build_query("Zoë \"o'brien anna@example.com", "GB").expect("query");
        assert_eq!(query.fts.as_deref(), Some("\"zoe\"* AND \"o brien\"* AND \"anna example com\"*"));
        assert!(query.digit_terms.is_empty());
        assert!(build_query(" -- ", "GB").is_none());
        // Digits among words may be a phone's; digits joined to letters are a word.
        let query = build_query("anna 7400 k0010", "GB").expect("query");
        assert_eq!(query.fts.as_deref(), Some("\"anna\"* AND \"k0010\"*"));
        assert_eq!(query.digit_terms.len(), 1);
        assert_eq!(query.digit_terms[0].forms, ["7400"]);
    }

    #[test]
    fn phone_queries_search_digits() {
        let query = build_query("07911 123456", "GB").expect("query");
        assert_eq!(query.fts, None);
        let [term] = query.digit_terms.as_slice() else { panic!("one term: {}", query.digit_terms.len()) };
        assert_eq!(term.forms, ["07911123456", "447911123456"]);
        // "004" on its way to "0044": "+4" is too short for a phone, the digits are read as typed.
        let query = build_query("004", "GB").expect("query");
        assert_eq!((query.fts, query.digit_terms[0].forms.as_slice()), (None, &["004".to_string()][..]));
        let query = build_query("12", "GB").expect("query");
        assert_eq!((query.fts.as_deref(), query.digit_terms.len()), (Some("\"12\"*"), 0));
    }

    #[test]
    fn exact_and_prefix_names_rank_first() {
        let query = build_query("anna", "GB").expect("query");
        let mut names = vec!["joanna smith", "smith anna", "annabel lee", "anna", "zed"];
        names.sort_by_key(|name| (name_rank(name, &query), *name));
        assert_eq!(names, ["anna", "annabel lee", "smith anna", "joanna smith", "zed"]);
        // The same words in another order before a name holding more words.
        let query = build_query("smith olivia", "GB").expect("query");
        let mut names = vec!["olivia a smith", "olivia smithson", "olivia smith", "smith olivia"];
        names.sort_by_key(|name| (name_rank(name, &query), *name));
        assert_eq!(names, ["smith olivia", "olivia smith", "olivia a smith", "olivia smithson"]);
    }
}
