//! Who is the same person: the one rule behind the contacts import, the whole-book merge and
//! (later) duplicate warnings in the profile form. ARCHITECTURE.md states it in words.
//!
//! An email address or a phone number is not a person: colleagues share a company's
//! switchboard, spouses share a home address and a landline. So a shared email or phone makes
//! two records the same person only when their names agree as well; with different names it is
//! a likely match for the dealer to confirm, never a silent merge. The same name at the same
//! company is a likely match too. Phones that are not valid numbers (kept as typed,
//! unverified) never match anyone.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::fold;
use crate::model::CustomerDraft;

/// What two records have in common that made them a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MatchReason {
    SameEmail,
    SamePhone,
    SameNameAndCompany,
    /// Near-identical names ("G. Wilson", "Grace Wilson"): only the possible-duplicates view
    /// lists pairs for this alone.
    SimilarName,
}

/// Someone in the book who is (`certain`) or may be this person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BookMatch {
    pub id: i64,
    pub name: String,
    pub certain: bool,
    pub reason: MatchReason,
}

/// Whether two names can be one person's: the same after folding, or one side has no name
/// (an email or number standing in for it), or every word of the shorter name is a word of
/// the longer one, its initial ("G." for Grace) or a short form of at least three letters
/// ("Chris" for Christopher), in any order. "Anna Smith" and "Ben Mueller" do not agree, nor
/// do "Anna Smith" and "Ben Smith", nor "Mr Smith" and "Mrs Smith".
pub fn names_agree(a: &str, b: &str) -> bool {
    if is_stand_in(a) || is_stand_in(b) {
        return true;
    }
    let (folded_a, folded_b) = (fold::fold(a), fold::fold(b));
    words_agree(&fold::words(&folded_a), &fold::words(&folded_b))
}

/// `names_agree` on names already folded and split into words (`fold::words`).
pub(crate) fn words_agree(words_a: &[&str], words_b: &[&str]) -> bool {
    if words_a.is_empty() || words_b.is_empty() {
        return true;
    }
    let (shorter, longer) =
        if words_a.len() <= words_b.len() { (words_a, words_b) } else { (words_b, words_a) };
    // Which words of the longer name are spent, and which of the shorter were matched exactly:
    // bit sets, since this runs for every pair of similar names in a book. Text of more than 64
    // words is no name and agrees with none.
    if longer.len() > 64 {
        return false;
    }
    let mut used = 0_u64;
    let mut exact = 0_u64;
    // Exact words first, so that "Anna A." against "Anna Andrews" does not spend "anna" on "A.".
    for (mine, word) in shorter.iter().enumerate() {
        if let Some(index) =
            longer.iter().enumerate().position(|(index, other)| used & (1 << index) == 0 && other == word)
        {
            used |= 1 << index;
            exact |= 1 << mine;
        }
    }
    shorter.iter().enumerate().filter(|(mine, _)| exact & (1 << mine) == 0).all(|(_, word)| {
        let found = longer
            .iter()
            .enumerate()
            .position(|(index, other)| used & (1 << index) == 0 && same_word(word, other));
        if let Some(index) = found {
            used |= 1 << index;
        }
        found.is_some()
    })
}

/// One word written out and its initial or short form.
fn same_word(a: &str, b: &str) -> bool {
    let (short, long) = if a.chars().count() <= b.chars().count() { (a, b) } else { (b, a) };
    let short_len = short.chars().count();
    let initial = short_len == 1 && !short.chars().all(fold::is_cjk);
    (initial || short_len >= 3) && long.starts_with(short)
}

/// A name that is really an email address or a phone number: what the importer puts in when
/// a row has no name.
pub(crate) fn is_stand_in(name: &str) -> bool {
    name.contains('@') || crate::phone::looks_like_phone(name)
}

/// People a match weighs who are not written into the book yet: an import's newcomers, held
/// back to be written a chunk at a time. Their ids are above every id in the book, so listing
/// them after the book's own keeps the order `ORDER BY id` gives.
pub(crate) trait Unwritten {
    /// Who has this email (`customer_emails.address_key`), by id.
    fn with_email(&self, address_key: &str) -> Vec<(i64, String)>;
    /// Who has this valid phone (its E.164 form), by id.
    fn with_phone(&self, e164: &str) -> Vec<(i64, String)>;
    /// The first with this sort name at this company, its case in ASCII aside (SQLite's NOCASE).
    fn named_at(&self, sort_name: &str, company: &str) -> Option<(i64, String)>;
}

/// No one waiting: a match against the book alone.
struct Nobody;

impl Unwritten for Nobody {
    fn with_email(&self, _: &str) -> Vec<(i64, String)> {
        Vec::new()
    }
    fn with_phone(&self, _: &str) -> Vec<(i64, String)> {
        Vec::new()
    }
    fn named_at(&self, _: &str, _: &str) -> Option<(i64, String)> {
        None
    }
}

/// Someone in the book who is this person, or may be (see the module's rule). The first
/// customer whose email or phone is shared and whose name agrees is certain; otherwise the
/// first who shares one is likely; otherwise the first with the same name at the same company.
pub(crate) fn book_match(conn: &Connection, profile: &CustomerDraft) -> rusqlite::Result<Option<BookMatch>> {
    book_match_with(conn, profile, &Nobody)
}

/// `book_match` over the book and the people `unwritten` holds, as if they were written.
pub(crate) fn book_match_with(
    conn: &Connection,
    profile: &CustomerDraft,
    unwritten: &dyn Unwritten,
) -> rusqlite::Result<Option<BookMatch>> {
    let mut likely: Option<BookMatch> = None;
    let mut by_email = conn.prepare_cached(
        "SELECT c.id, c.full_name FROM customer_emails e JOIN customers c ON c.id = e.customer_id
         WHERE e.address_key = ?1 ORDER BY c.id",
    )?;
    let mut by_phone = conn.prepare_cached(
        "SELECT c.id, c.full_name FROM customer_phones p JOIN customers c ON c.id = p.customer_id
         WHERE p.e164 = ?1 ORDER BY c.id",
    )?;
    let emails =
        profile.emails.iter().map(|email| (MatchReason::SameEmail, email.address.trim().to_lowercase()));
    let phones = profile
        .phones
        .iter()
        .filter_map(|phone| phone.e164.clone())
        .map(|e164| (MatchReason::SamePhone, e164));
    for (reason, key) in emails.chain(phones) {
        let (statement, waiting) = if reason == MatchReason::SameEmail {
            (&mut by_email, unwritten.with_email(&key))
        } else {
            (&mut by_phone, unwritten.with_phone(&key))
        };
        let mut found = statement
            .query_map([key], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        found.extend(waiting);
        for (id, name) in found {
            if names_agree(&name, &profile.full_name) {
                return Ok(Some(BookMatch { id, name, certain: true, reason }));
            }
            likely.get_or_insert(BookMatch { id, name, certain: false, reason });
        }
    }
    if likely.is_some() || profile.company.trim().is_empty() {
        return Ok(likely);
    }
    let (sort_name, company) = (fold::sort_key(&profile.full_name), profile.company.trim());
    let found = conn
        .prepare_cached(
            "SELECT id, full_name FROM customers WHERE sort_name = ?1 AND company = ?2 COLLATE NOCASE
             ORDER BY id LIMIT 1",
        )?
        .query_row(params![sort_name, company], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?
        .or_else(|| unwritten.named_at(&sort_name, company));
    Ok(found.map(|(id, name)| BookMatch {
        id,
        name,
        certain: false,
        reason: MatchReason::SameNameAndCompany,
    }))
}

/// Someone in the book that a profile being typed may duplicate, for the form's warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PossibleDuplicate {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub company: String,
    /// What they share with the profile typed.
    pub reason: MatchReason,
    /// The names agree as well: by the import's rule this is the same person.
    pub certain: bool,
}

/// How many people the form's warning names at most.
const DUPLICATES_SHOWN: usize = 5;

/// Everyone in the book who shares an email or a valid phone with `profile`, or whose name
/// agrees with its name at the same company, certain ones first (the import's rule, applied to
/// a profile being typed: its phones need only parse, the rest of it need not be valid yet).
/// `except` is the customer being edited.
pub(crate) fn possible_duplicates(
    conn: &Connection,
    profile: &CustomerDraft,
    region: &str,
    except: Option<i64>,
) -> rusqlite::Result<Vec<PossibleDuplicate>> {
    let mut found: Vec<PossibleDuplicate> = Vec::new();
    let mut add = |id: i64, name: String, company: String, reason: MatchReason, certain: bool| {
        if Some(id) != except && !found.iter().any(|known| known.id == id) {
            found.push(PossibleDuplicate { id, name, company, reason, certain });
        }
    };
    let emails = profile
        .emails
        .iter()
        .map(|email| email.address.trim().to_lowercase())
        .filter(|address| address.contains('@'))
        .map(|address| (MatchReason::SameEmail, address));
    let phones = profile
        .phones
        .iter()
        .filter_map(|phone| crate::phone::parse(&phone.number, region).ok())
        .map(|parsed| (MatchReason::SamePhone, parsed.e164));
    let mut by_email = conn.prepare_cached(
        "SELECT c.id, c.full_name, c.company FROM customer_emails e JOIN customers c ON c.id = e.customer_id
         WHERE e.address_key = ?1 ORDER BY c.id LIMIT 20",
    )?;
    let mut by_phone = conn.prepare_cached(
        "SELECT c.id, c.full_name, c.company FROM customer_phones p JOIN customers c ON c.id = p.customer_id
         WHERE p.e164 = ?1 ORDER BY c.id LIMIT 20",
    )?;
    for (reason, key) in emails.chain(phones) {
        let statement = if reason == MatchReason::SameEmail { &mut by_email } else { &mut by_phone };
        let rows = statement.query_map([key], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
        for row in rows {
            let (id, name, company): (i64, String, String) = row?;
            let certain = names_agree(&name, &profile.full_name);
            add(id, name, company, reason, certain);
        }
    }
    let (name, company) = (profile.full_name.trim(), profile.company.trim());
    if !name.is_empty() && !company.is_empty() {
        let mut same_company = conn.prepare_cached(
            "SELECT id, full_name, company FROM customers WHERE company = ?1 COLLATE NOCASE ORDER BY id LIMIT 200",
        )?;
        let rows = same_company.query_map([company], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
        for row in rows {
            let (id, other, company): (i64, String, String) = row?;
            if !is_stand_in(&other) && names_agree(&other, name) {
                add(id, other, company, MatchReason::SameNameAndCompany, false);
            }
        }
    }
    // Certain ones first; otherwise in the order found (email, phone, name at the company).
    found.sort_by_key(|duplicate| !duplicate.certain);
    found.truncate(DUPLICATES_SHOWN);
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_agree_at_their_boundaries() {
        let agree = [
            ("Anna Smith", "anna smith"),
            ("Zoë Müller", "Zoe MULLER"),
            ("G. Wilson", "Grace Wilson"),
            ("Grace Wilson", "Wilson, Grace"),
            ("Chris Evans", "Christopher Evans"),
            ("Anna", "Anna Smith"),
            ("Dr Anna-Lena Müller", "Anna-Lena Müller"),
            ("王小明", "小明"),
            ("anna@acme.example", "Ben Mueller"),
            ("+44 20 7946 0000", "Ben Mueller"),
            ("Anna A.", "Anna Andrews"),
        ];
        for (a, b) in agree {
            assert!(names_agree(a, b), "{a} / {b}");
            assert!(names_agree(b, a), "{b} / {a}");
        }
        let differ = [
            ("Anna Smith", "Ben Mueller"),
            ("Anna Smith", "Ben Smith"),
            ("Mr Smith", "Mrs Smith"),
            ("Anna Smith", "Anna Jones"),
            ("Jo Smith", "John Smith"),
            ("王小明", "王大明"),
            ("王小明", "Wang Xiaoming"),
            ("A. Smith", "B. Smith"),
        ];
        for (a, b) in differ {
            assert!(!names_agree(a, b), "{a} / {b}");
            assert!(!names_agree(b, a), "{b} / {a}");
        }
    }
}
