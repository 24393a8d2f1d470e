//! A customer's right to be forgotten. Erasing removes the person from every table and from
//! the search index, overwrites the freed pages, and leaves only a suppression entry per email
//! and phone: a salted SHA-256, nothing readable, so that an old file imported later cannot
//! quietly bring them back (the import preview reports such rows).

use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::search;
use crate::store::Book;

/// The settings key of the book's suppression salt (random, made at the first erasure). It
/// travels with the book, so suppressions keep working in an exported or restored book.
const SALT_KEY: &str = "suppression_salt";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SuppressionKind {
    Email,
    Phone,
}

impl SuppressionKind {
    fn as_str(self) -> &'static str {
        match self {
            SuppressionKind::Email => "email",
            SuppressionKind::Phone => "phone",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ErasureSummary {
    #[ts(type = "number")]
    pub customer_id: i64,
    /// Who was erased, for the confirmation; nothing of them is kept.
    pub name: String,
    pub suppressed_emails: u32,
    pub suppressed_phones: u32,
}

impl Book {
    /// Erases customer `id` and everything about them, in one transaction.
    pub fn erase_customer(&mut self, id: i64) -> Result<ErasureSummary> {
        // Freed pages are zeroed rather than left readable in the file.
        self.conn.pragma_update(None, "secure_delete", "ON")?;
        let result = self.with_tx(|tx| {
            let name: String = tx
                .query_row("SELECT full_name FROM customers WHERE id = ?1", [id], |row| row.get(0))
                .optional()?
                .ok_or(Error::NotFound { what: "customer", id })?;
            let salt = salt(tx)?;
            let emails = column_values(tx, "SELECT address_key FROM customer_emails WHERE customer_id = ?1", id)?;
            let phones =
                column_values(tx, "SELECT e164 FROM customer_phones WHERE customer_id = ?1 AND e164 IS NOT NULL", id)?;
            let erased_on = Utc::now().date_naive().to_string();
            let mut insert = tx.prepare_cached(
                "INSERT INTO suppressions (hash, kind, erased_on) VALUES (?1, ?2, ?3) ON CONFLICT (hash) DO NOTHING",
            )?;
            for (kind, values) in [(SuppressionKind::Email, &emails), (SuppressionKind::Phone, &phones)] {
                for value in values {
                    insert.execute(params![suppression_hash(&salt, kind, value), kind.as_str(), erased_on])?;
                }
            }
            // FTS5 normally only marks a deleted document; with its secure-delete option on, the
            // words leave the index at once (without rewriting the whole index, as 'optimize'
            // would on a big book).
            tx.execute("INSERT INTO customer_search (customer_search, rank) VALUES ('secure-delete', 1)", [])?;
            search::unindex_customer(tx, id)?;
            tx.execute("INSERT INTO customer_search (customer_search, rank) VALUES ('secure-delete', 0)", [])?;
            // Every other table refers to the customer with ON DELETE CASCADE (or SET NULL for
            // "referred by"), so this one statement removes their whole story.
            tx.execute("DELETE FROM customers WHERE id = ?1", [id])?;
            Ok(ErasureSummary {
                customer_id: id,
                name,
                suppressed_emails: emails.len() as u32,
                suppressed_phones: phones.len() as u32,
            })
        });
        self.conn.pragma_update(None, "secure_delete", "OFF")?;
        let summary = result?;
        // The write-ahead log still holds the old pages: copy the book back and empty it. A
        // long read on another connection (the window's check of the book, the day's backup)
        // can hold it; that job clears it again when it ends.
        self.clear_write_ahead_log()?;
        Ok(summary)
    }

    /// Copies the write-ahead log into the book and empties it, so pages an erasure replaced
    /// are gone from the log too. False when another connection's read kept part of it.
    pub fn clear_write_ahead_log(&self) -> Result<bool> {
        let busy: i64 = self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0))?;
        Ok(busy == 0)
    }
}

fn column_values(conn: &Connection, sql: &str, id: i64) -> Result<Vec<String>> {
    let mut statement = conn.prepare_cached(sql)?;
    let values = statement.query_map([id], |row| row.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(values)
}

/// The book's salt, made on first use.
fn salt(conn: &Connection) -> Result<String> {
    if let Some(salt) = existing_salt(conn)? {
        return Ok(salt);
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|error| Error::Io {
        path: "<system random source>".into(),
        source: std::io::Error::other(error.to_string()),
    })?;
    let salt: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    conn.execute("INSERT INTO settings (key, value) VALUES (?1, ?2)", params![SALT_KEY, salt])?;
    Ok(salt)
}

fn existing_salt(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [SALT_KEY], |row| row.get(0))
        .optional()?)
}

/// `value` is an email key (trimmed, lower case) or an E.164 number.
fn suppression_hash(salt: &str, kind: SuppressionKind, value: &str) -> String {
    let digest = Sha256::new()
        .chain_update(salt.as_bytes())
        .chain_update([0])
        .chain_update(kind.as_str().as_bytes())
        .chain_update([0])
        .chain_update(value.as_bytes())
        .finalize();
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Answers "was this person erased?" for a whole import with one salt lookup.
pub(crate) struct Suppressions {
    salt: Option<String>,
}

impl Suppressions {
    pub(crate) fn load(conn: &Connection) -> Result<Suppressions> {
        let any: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM suppressions)", [], |row| row.get(0))?;
        Ok(Suppressions { salt: if any { existing_salt(conn)? } else { None } })
    }

    /// True when an erased customer had one of this profile's emails or phone numbers.
    pub(crate) fn names(&self, conn: &Connection, profile: &crate::model::CustomerDraft) -> Result<bool> {
        let Some(salt) = &self.salt else { return Ok(false) };
        let mut known = conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM suppressions WHERE hash = ?1)")?;
        let emails =
            profile.emails.iter().map(|email| (SuppressionKind::Email, email.address.trim().to_lowercase()));
        let phones = profile
            .phones
            .iter()
            .filter_map(|phone| phone.e164.clone())
            .map(|e164| (SuppressionKind::Phone, e164));
        for (kind, value) in emails.chain(phones) {
            if known.query_row([suppression_hash(salt, kind, &value)], |row| row.get::<_, bool>(0))? {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// The erasures of a book, carried over when a restore puts an older copy in its place.
pub(crate) struct Erasures {
    salt: Option<String>,
    /// (hash, kind, erased on)
    entries: Vec<(String, String, String)>,
}

impl Erasures {
    pub(crate) fn read(conn: &Connection) -> Result<Erasures> {
        let mut statement = conn.prepare("SELECT hash, kind, erased_on FROM suppressions")?;
        let entries = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Erasures { salt: existing_salt(conn)?, entries })
    }

    /// Records these erasures in `book` and erases again everyone in it they name. Returns how
    /// many customers were erased again.
    pub(crate) fn apply(&self, book: &mut Book) -> Result<u32> {
        let Some(salt) = &self.salt else { return Ok(0) };
        if self.entries.is_empty() {
            return Ok(0);
        }
        // A book from another lineage salts differently: its hashes cannot be compared.
        if existing_salt(&book.conn)?.is_some_and(|theirs| &theirs != salt) {
            return Ok(0);
        }
        let erased: std::collections::HashSet<&str> =
            self.entries.iter().map(|(hash, ..)| hash.as_str()).collect();
        let named = book.with_tx(|tx| {
            tx.execute("INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING", params![SALT_KEY, salt])?;
            let mut insert = tx.prepare(
                "INSERT INTO suppressions (hash, kind, erased_on) VALUES (?1, ?2, ?3) ON CONFLICT (hash) DO NOTHING",
            )?;
            for (hash, kind, erased_on) in &self.entries {
                insert.execute(params![hash, kind, erased_on])?;
            }
            let mut named = std::collections::BTreeSet::new();
            for (kind, sql) in [
                (SuppressionKind::Email, "SELECT customer_id, address_key FROM customer_emails"),
                (SuppressionKind::Phone, "SELECT customer_id, e164 FROM customer_phones WHERE e164 IS NOT NULL"),
            ] {
                let mut statement = tx.prepare(sql)?;
                let mut rows = statement.query([])?;
                while let Some(row) = rows.next()? {
                    let value: String = row.get(1)?;
                    if erased.contains(suppression_hash(salt, kind, &value).as_str()) {
                        named.insert(row.get::<_, i64>(0)?);
                    }
                }
            }
            Ok(named)
        })?;
        for &id in &named {
            book.erase_customer(id)?;
        }
        Ok(named.len() as u32)
    }
}
