//! The people an import creates, held back and written a chunk at a time, table by table
//! (`customers::insert_prospects`): one by one, between the merges, notes and matches of the
//! file's other rows, each new customer row landed on pages of its own in the 24 customer
//! indexes, the largest part of an import's time. Until written they are matched as the book's
//! own (`matching::Unwritten`), under the ids they will have.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, params};

use crate::customers::{insert_prospects, next_customer_id};
use crate::error::Result;
use crate::evaluation::FirstEvaluation;
use crate::fold;
use crate::matching::Unwritten;
use crate::search::{self, Document, PendingDocuments};
use crate::validate::ValidDraft;

/// Newcomers held at most before they are written. The 100,000-row visitor log into the
/// 100,000-customer book (`--bench import`): 5,000 took 16.0 / 15.8 s and 121 MB at the peak,
/// 10,000 14.3 / 14.3 s and 132 MB, 20,000 16.1 s and 151 MB; all written one by one, 20–23 s
/// and 114 MB.
const HELD_AT_MOST: usize = 10_000;

/// A note of the file for someone, as written into `notes`.
pub(super) struct Note {
    pub body: String,
    pub noted_on: NaiveDate,
}

struct Newcomer {
    valid: ValidDraft,
    /// Their search document, made with the profile on the file's reading thread; none once a
    /// later row changed the profile. (10,000 held: about 18 MB more at the import's peak.)
    document: Option<Document>,
    notes: Vec<Note>,
}

/// Newcomers not written yet, under consecutive ids from `first_id`, with the keys a match
/// looks them up by, each list in id order.
pub(super) struct Newcomers {
    at_most: usize,
    first_id: i64,
    held: Vec<Newcomer>,
    by_email: HashMap<String, Vec<i64>>,
    by_phone: HashMap<String, Vec<i64>>,
    /// By sort name and company in ASCII lower case; only those with a company.
    by_name_at: HashMap<(String, String), Vec<i64>>,
}

impl Newcomers {
    /// None held; the next one gets the book's next id.
    pub fn new(conn: &Connection) -> Result<Self> {
        Self::holding(conn, HELD_AT_MOST)
    }

    fn holding(conn: &Connection, at_most: usize) -> Result<Self> {
        Ok(Newcomers {
            at_most,
            first_id: next_customer_id(conn)?,
            held: Vec::new(),
            by_email: HashMap::new(),
            by_phone: HashMap::new(),
            by_name_at: HashMap::new(),
        })
    }

    /// Takes a new person with their search document; returns the id they will have.
    pub fn add(&mut self, valid: ValidDraft, document: Document) -> i64 {
        let id = self.first_id + self.held.len() as i64;
        self.index(id, &valid);
        self.held.push(Newcomer { valid, document: Some(document), notes: Vec::new() });
        id
    }

    /// The profile of someone held, when `id` is one.
    pub fn profile(&self, id: i64) -> Option<&ValidDraft> {
        self.position(id).map(|position| &self.held[position].valid)
    }

    /// Gives someone held the profile a later row of the file merged into theirs.
    pub fn replace(&mut self, id: i64, valid: ValidDraft) {
        let Some(position) = self.position(id) else { return };
        let old = keys_of(&self.held[position].valid);
        let unlist = |ids: Option<&mut Vec<i64>>| {
            if let Some(ids) = ids {
                ids.retain(|&other| other != id);
            }
        };
        old.emails.iter().for_each(|key| unlist(self.by_email.get_mut(key)));
        old.phones.iter().for_each(|key| unlist(self.by_phone.get_mut(key)));
        old.name_at.iter().for_each(|key| unlist(self.by_name_at.get_mut(key)));
        self.index(id, &valid);
        let newcomer = &mut self.held[position];
        newcomer.valid = valid;
        newcomer.document = None;
    }

    /// Keeps a note for someone held, to be written with them; gives it back for anyone else.
    pub fn note(&mut self, id: i64, note: Note) -> Option<Note> {
        match self.position(id) {
            Some(position) => {
                self.held[position].notes.push(note);
                None
            }
            None => Some(note),
        }
    }

    /// Whether enough are held to write them.
    pub fn full(&self) -> bool {
        self.held.len() >= self.at_most
    }

    /// Writes everyone held, with their standing, notes and search documents, and adds to
    /// `remembered` those with a day the follow-up rules remember (a birthday, an
    /// anniversary); the next newcomer gets the id after theirs.
    pub fn write(
        &mut self,
        conn: &Connection,
        written: &Written<'_>,
        documents: &mut PendingDocuments,
        remembered: &mut Vec<i64>,
    ) -> Result<()> {
        let people: Vec<&ValidDraft> = self.held.iter().map(|newcomer| &newcomer.valid).collect();
        insert_prospects(
            conn,
            self.first_id,
            &people,
            written.now,
            written.batch_id,
            written.first_evaluation,
        )?;
        for (id, newcomer) in (self.first_id..).zip(&self.held) {
            for note in &newcomer.notes {
                insert_note(conn, id, note, written)?;
            }
            let (birthday, occasions) = crate::agenda::remembered_days(&newcomer.valid.profile);
            if birthday.is_some() || !occasions.is_empty() {
                remembered.push(id);
            }
        }
        for (id, newcomer) in (self.first_id..).zip(&mut self.held) {
            let document =
                newcomer.document.take().unwrap_or_else(|| search::document(&newcomer.valid, String::new()));
            documents.add(conn, id, document, false)?;
        }
        self.first_id += self.held.len() as i64;
        self.held.clear();
        self.by_email.clear();
        self.by_phone.clear();
        self.by_name_at.clear();
        Ok(())
    }

    fn position(&self, id: i64) -> Option<usize> {
        usize::try_from(id - self.first_id).ok().filter(|&position| position < self.held.len())
    }

    /// Lists `id` under each key of `valid`, keeping every list in id order.
    fn index(&mut self, id: i64, valid: &ValidDraft) {
        let keys = keys_of(valid);
        let list = |ids: &mut Vec<i64>| {
            if let Err(at) = ids.binary_search(&id) {
                ids.insert(at, id);
            }
        };
        keys.emails.into_iter().for_each(|key| list(self.by_email.entry(key).or_default()));
        keys.phones.into_iter().for_each(|key| list(self.by_phone.entry(key).or_default()));
        keys.name_at.into_iter().for_each(|key| list(self.by_name_at.entry(key).or_default()));
    }

    fn named(&self, ids: Option<&Vec<i64>>) -> Vec<(i64, String)> {
        ids.into_iter()
            .flatten()
            .filter_map(|&id| self.profile(id).map(|valid| (id, valid.profile.full_name.clone())))
            .collect()
    }
}

impl Unwritten for Newcomers {
    fn with_email(&self, address_key: &str) -> Vec<(i64, String)> {
        self.named(self.by_email.get(address_key))
    }

    fn with_phone(&self, e164: &str) -> Vec<(i64, String)> {
        self.named(self.by_phone.get(e164))
    }

    fn named_at(&self, sort_name: &str, company: &str) -> Option<(i64, String)> {
        let key = (sort_name.to_string(), company.to_ascii_lowercase());
        self.named(self.by_name_at.get(&key)).into_iter().next()
    }
}

/// The keys a match finds someone by, as the book holds them: `customer_emails.address_key`,
/// `customer_phones.e164`, and `sort_name` with the company (compared `COLLATE NOCASE`).
struct Keys {
    emails: Vec<String>,
    phones: Vec<String>,
    name_at: Option<(String, String)>,
}

fn keys_of(valid: &ValidDraft) -> Keys {
    let profile = &valid.profile;
    Keys {
        emails: profile.emails.iter().map(|email| email.address.trim().to_lowercase()).collect(),
        phones: profile.phones.iter().filter_map(|phone| phone.e164.clone()).collect(),
        name_at: (!profile.company.is_empty())
            .then(|| (fold::sort_key(&profile.full_name), profile.company.to_ascii_lowercase())),
    }
}

/// What every row an import writes shares.
pub(super) struct Written<'a> {
    pub batch_id: i64,
    pub file_name: &'a str,
    pub now: DateTime<Utc>,
    pub now_text: &'a str,
    pub first_evaluation: &'a FirstEvaluation,
}

/// A note of the file, on anyone.
pub(super) fn insert_note(
    conn: &Connection,
    customer_id: i64,
    note: &Note,
    written: &Written<'_>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO notes (customer_id, category, body, pinned, noted_on, created_at, updated_at,
            import_batch_id) VALUES (?1, 'internal', ?2, 0, ?3, ?4, ?4, ?5)",
    )?
    .execute(params![
        customer_id,
        format!("From {}:\n{}", written.file_name, note.body),
        note.noted_on.to_string(),
        written.now_text,
        written.batch_id
    ])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::{MatchReason, book_match_with};
    use crate::model::{CustomerDraft, EmailEntry, PhoneEntry};
    use crate::store::Book;
    use crate::validate::{Unverified, normalise_with};

    fn person(name: &str, company: &str, email: &str, phone: &str) -> CustomerDraft {
        let mut draft = CustomerDraft::named(name);
        draft.company = company.into();
        draft.emails = [email]
            .iter()
            .filter(|address| !address.is_empty())
            .map(|address| EmailEntry { label: String::new(), address: (*address).into(), primary: false })
            .collect();
        draft.phones = [phone]
            .iter()
            .filter(|number| !number.is_empty())
            .map(|number| PhoneEntry {
                label: String::new(),
                number: (*number).into(),
                e164: None,
                primary: false,
            })
            .collect();
        draft
    }

    /// Held newcomers are matched as if written, after the book's own, by the keys the book
    /// holds (the email's key, the E.164 phone, the name at a company whatever its ASCII case);
    /// once written they are found in the book under the same ids.
    #[test]
    fn newcomers_match_as_the_book_would_held_or_written() {
        let mut book = Book::open_in_memory().expect("book");
        let settings = book.settings().expect("settings");
        let anna = book.create_customer(person("Anna Smith", "", "home@smith.example", "")).expect("anna").id;
        let tx = book.conn.transaction().expect("transaction");
        tx.execute(
            "INSERT INTO import_batches (kind, file_name, imported_at) VALUES ('contacts', 'a.csv', '')",
            [],
        )
        .expect("batch");
        let batch_id = tx.last_insert_rowid();
        let first_evaluation = FirstEvaluation::on(&tx, prospect_day()).expect("first evaluation");
        let now = crate::clock::now();
        let now_text = now.to_rfc3339();
        let written = Written {
            batch_id,
            file_name: "a.csv",
            now,
            now_text: &now_text,
            first_evaluation: &first_evaluation,
        };
        let valid =
            |draft: CustomerDraft| normalise_with(draft, &settings, Unverified::FromFile).expect("valid");
        let found = |newcomers: &Newcomers, draft: CustomerDraft| {
            book_match_with(&tx, &valid(draft).profile, newcomers)
                .expect("match")
                .map(|found| (found.id, found.certain, found.reason))
        };
        let add = |newcomers: &mut Newcomers, draft: CustomerDraft| {
            let valid = valid(draft);
            let document = search::document(&valid, String::new());
            newcomers.add(valid, document)
        };
        let mut newcomers = Newcomers::holding(&tx, 2).expect("newcomers");

        // The spouse sharing the home email: Anna in the book is listed first, Ben agrees.
        let ben = add(&mut newcomers, person("Ben Smith", "", " HOME@smith.example", "+44 7911 123456"));
        assert_eq!(ben, anna + 1);
        assert_eq!(
            found(&newcomers, person("Ben Smith", "", "home@smith.example", "")),
            Some((ben, true, MatchReason::SameEmail))
        );
        assert_eq!(
            found(&newcomers, person("Cleo Smith", "", "home@smith.example", "")),
            Some((anna, false, MatchReason::SameEmail))
        );
        assert_eq!(
            found(&newcomers, person("B. Smith", "", "", "07911 123456")),
            Some((ben, true, MatchReason::SamePhone))
        );

        // The same name at the same company, the company's ASCII case aside, as NOCASE compares.
        let carl = add(&mut newcomers, person("Carl Jones", "Büro AG", "", ""));
        assert_eq!(
            found(&newcomers, person("carl  jones", "büro ag", "", "")),
            Some((carl, false, MatchReason::SameNameAndCompany))
        );
        assert_eq!(found(&newcomers, person("Carl Jones", "BÜRO AG", "", "")), None);

        // A later row's merge moves the person's keys.
        assert_eq!(newcomers.profile(ben).map(|held| held.profile.emails.len()), Some(1));
        newcomers.replace(ben, valid(person("Ben Smith", "", "", "+44 7911 123457")));
        assert_eq!(
            found(&newcomers, person("Ben Smith", "", "home@smith.example", "")),
            Some((anna, false, MatchReason::SameEmail))
        );
        assert_eq!(
            found(&newcomers, person("Ben Smith", "", "", "+44 7911 123457")),
            Some((ben, true, MatchReason::SamePhone))
        );
        assert_eq!(found(&newcomers, person("Ben Smith", "", "", "+44 7911 123456")), None);
        assert!(
            newcomers.note(carl, Note { body: "met at Basel".into(), noted_on: prospect_day() }).is_none()
        );
        assert!(newcomers.note(anna, Note { body: "not held".into(), noted_on: prospect_day() }).is_some());

        // Written: found in the book, under the same ids, with their notes and documents.
        assert!(newcomers.full());
        let mut documents = PendingDocuments::default();
        newcomers.write(&tx, &written, &mut documents, &mut Vec::new()).expect("write");
        documents.flush(&tx).expect("documents");
        assert!(!newcomers.full());
        assert_eq!(
            found(&newcomers, person("Ben Smith", "", "", "+44 7911 123457")),
            Some((ben, true, MatchReason::SamePhone))
        );
        assert_eq!(found(&newcomers, person("carl jones", "BÜRO AG", "", "")), None);
        assert_eq!(
            found(&newcomers, person("carl jones", "büro ag", "", "")),
            Some((carl, false, MatchReason::SameNameAndCompany))
        );
        let (notes, documents, standings): (i64, i64, i64) = tx
            .query_row(
                "SELECT (SELECT count(*) FROM notes WHERE customer_id = ?1 AND body = 'From a.csv:\nmet at Basel'),
                        (SELECT count(*) FROM customer_search WHERE rowid IN (?1, ?2)),
                        (SELECT count(*) FROM customer_standing s JOIN customers c ON c.id = s.customer_id
                         WHERE s.customer_id IN (?1, ?2) AND c.segment = s.segment AND c.import_batch_id = ?3)",
                params![carl, ben, batch_id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .expect("written");
        assert_eq!((notes, documents, standings), (1, 2, 2));
        // Ben's document is of the profile the later row left, not of the one first read.
        let ben_digits = |digits: &str| -> bool {
            tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM search_digits WHERE digits = ?1 AND customer_id = ?2)",
                params![digits, ben],
                |row| row.get(0),
            )
            .expect("digits")
        };
        assert!(ben_digits("7911123457") && !ben_digits("7911123456"));
        assert_eq!(add(&mut newcomers, person("Dora Lee", "", "", "")), carl + 1);
    }

    fn prospect_day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 6).expect("day")
    }
}
