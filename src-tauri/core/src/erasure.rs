//! A customer's right to be forgotten. Erasing removes the person from every table and from
//! the search index and leaves nothing readable: every connection to the book zeroes what a
//! write frees (`secure_delete`, FTS5's `secure-delete`), a book written before that is scrubbed
//! once, and the write-ahead log is emptied after.
//!
//! Two records stay, neither readable. The erasure record names the customer as this book knows
//! them: a SHA-256 of their id and their immutable `created_at`, the same in every copy of the
//! book and never another person's. A restore, a recovery or a merge of an older copy erases
//! exactly those customers again. Salted SHA-256 suppressions of their emails and phones let the
//! contacts importer recognise them in outside files (the import preview reports such rows).

use std::collections::{BTreeSet, HashSet};

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
/// The settings key listing (space-separated) the suppressions made before erasure records
/// existed (migration 0003): only they still re-erase by email and phone on a restore.
const LEGACY_KEY: &str = "legacy_suppressions";
/// The settings key saying since when every write to this file zeroed what it freed, so no
/// earlier value can be left in it. A property of the file, not of the book's contents: a
/// whole-book export leaves it out (`transfer`).
pub(crate) const SCRUBBED_KEY: &str = "scrubbed_on";
/// Versions the identity hash: a later scheme would use another tag.
const IDENTITY_TAG: &str = "loupe-erasure-v1";
/// How many times an erasure tries to empty the write-ahead log (each try waits up to the busy
/// timeout, 5 s, for other connections' reads to end).
const LOG_ATTEMPTS: u32 = 2;

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
    /// Backups in the book's backup folder (damaged copies included) that still hold them;
    /// restoring one erases them again.
    pub backups_holding: u32,
}

impl Book {
    /// Erases customer `id` and everything about them, in one transaction, then scrubs a book
    /// written before freed space was zeroed and empties the write-ahead log.
    pub fn erase_customer(&mut self, id: i64) -> Result<ErasureSummary> {
        let backups_holding = self.backups_holding_customer(id)?;
        let erased_on = crate::clock::now().date_naive().to_string();
        let (name, suppressed_emails, suppressed_phones) = self.with_tx(|tx| erase_in(tx, id, &erased_on))?;
        self.scrub_if_needed()?;
        // The write-ahead log still holds the pages the erasure replaced. A long read on another
        // connection (the window's check of the book, the day's backup) can hold it: wait for
        // it a while; past that, that job empties the log when it ends.
        self.settle_write_ahead_log()?;
        Ok(ErasureSummary { customer_id: id, name, suppressed_emails, suppressed_phones, backups_holding })
    }

    /// How many backups of this book (damaged copies included) still hold customer `id`, for
    /// the erase dialog to say before the dealer confirms.
    pub fn backups_holding_customer(&self, id: i64) -> Result<u32> {
        let created_at: String = self
            .conn
            .query_row("SELECT created_at FROM customers WHERE id = ?1", [id], |row| row.get(0))
            .optional()?
            .ok_or(Error::NotFound { what: "customer", id })?;
        crate::backup::copies_holding(self.path(), id, &created_at)
    }

    /// Copies the write-ahead log into the book and empties it, so pages an erasure replaced
    /// are gone from the log too. False when another connection's read kept part of it.
    pub fn clear_write_ahead_log(&self) -> Result<bool> {
        // A checkpoint waits for other connections' reads only briefly (it is tried again
        // later), not the long wait the book's writes have for other jobs.
        self.conn.busy_timeout(crate::store::BUSY_TIMEOUT)?;
        let busy = self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get::<_, i64>(0));
        crate::store::wait_long(&self.conn);
        Ok(busy? == 0)
    }

    /// `clear_write_ahead_log`, tried `LOG_ATTEMPTS` times: each try waits up to the busy
    /// timeout for other connections' reads of older pages to end.
    pub(crate) fn settle_write_ahead_log(&self) -> Result<bool> {
        for _ in 1..LOG_ATTEMPTS {
            if self.clear_write_ahead_log()? {
                return Ok(true);
            }
        }
        self.clear_write_ahead_log()
    }

    /// A book written before every write zeroed what it freed may hold old values in free
    /// pages, in the unused space of pages and in the search index's older segments. Rewrites
    /// it once: the index from its documents, then the whole file (VACUUM). Returns whether it
    /// had to.
    pub(crate) fn scrub_if_needed(&mut self) -> Result<bool> {
        if is_scrubbed(&self.conn)? {
            return Ok(false);
        }
        self.conn
            .execute("INSERT INTO customer_search (customer_search, rank) VALUES ('secure-delete', 1)", [])?;
        self.conn.execute("INSERT INTO customer_search (customer_search) VALUES ('rebuild')", [])?;
        // VACUUM cannot run in a transaction; it is one by itself. The mark comes after it, so
        // a scrub that is killed runs again.
        self.conn.execute_batch("VACUUM")?;
        mark_scrubbed(&self.conn)?;
        Ok(true)
    }
}

/// Records that every write to this file zeroes what it frees from now on: a new book, or one
/// just scrubbed.
pub(crate) fn mark_scrubbed(conn: &Connection) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![SCRUBBED_KEY, crate::clock::now().date_naive().to_string()],
    )?;
    Ok(())
}

/// Records that this file may again hold freed or replaced values (a bulk load replaced search
/// documents without FTS5's secure delete): the next erasure scrubs it first.
pub(crate) fn mark_unscrubbed(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM settings WHERE key = ?1", [SCRUBBED_KEY])?;
    Ok(())
}

fn is_scrubbed(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM settings WHERE key = ?1)", [SCRUBBED_KEY], |row| {
        row.get(0)
    })?)
}

/// Deletes customer `id` inside the caller's transaction, recording the erasure and the
/// suppressions. Returns their name and how many emails and phones were suppressed.
fn erase_in(tx: &Connection, id: i64, erased_on: &str) -> Result<(String, u32, u32)> {
    let (name, created_at): (String, String) = tx
        .query_row("SELECT full_name, created_at FROM customers WHERE id = ?1", [id], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?
        .ok_or(Error::NotFound { what: "customer", id })?;
    let salt = salt(tx)?;
    let emails = column_values(tx, "SELECT address_key FROM customer_emails WHERE customer_id = ?1", id)?;
    let phones = column_values(
        tx,
        "SELECT e164 FROM customer_phones WHERE customer_id = ?1 AND e164 IS NOT NULL",
        id,
    )?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO suppressions (hash, kind, erased_on) VALUES (?1, ?2, ?3) ON CONFLICT (hash) DO NOTHING",
    )?;
    for (kind, values) in [(SuppressionKind::Email, &emails), (SuppressionKind::Phone, &phones)] {
        for value in values {
            insert.execute(params![suppression_hash(&salt, kind, value), kind.as_str(), erased_on])?;
        }
    }
    let mut record = tx.prepare_cached(
        "INSERT INTO erasures (identity, erased_on) VALUES (?1, ?2) ON CONFLICT (identity) DO NOTHING",
    )?;
    record.execute(params![identity(id, &created_at), erased_on])?;
    // The records merged into them were them too: a copy of the book from before a merge
    // holds them apart, and must be erased of them as well.
    for (merged_id, merged_created_at) in crate::merge::forget_merges_of(tx, id)? {
        record.execute(params![identity(merged_id, &merged_created_at), erased_on])?;
    }
    // Migration 0003 keeps FTS5's secure-delete on; set again so that this document's words
    // leave the index at once whatever changed the index's configuration.
    tx.execute("INSERT INTO customer_search (customer_search, rank) VALUES ('secure-delete', 1)", [])?;
    search::unindex_customer(tx, id)?;
    // Every other table refers to the customer with ON DELETE CASCADE (or SET NULL for
    // "referred by"), so this one statement removes their whole story.
    crate::customers::delete_customer_row(tx, id)?;
    Ok((name, emails.len() as u32, phones.len() as u32))
}

/// The erasure record of the customer with this id and `created_at`. No salt: any copy of
/// the book, whatever its settings, recognises them.
pub(crate) fn identity(id: i64, created_at: &str) -> String {
    let digest = Sha256::new()
        .chain_update(IDENTITY_TAG.as_bytes())
        .chain_update([0])
        .chain_update(id.to_string().as_bytes())
        .chain_update([0])
        .chain_update(created_at.as_bytes())
        .finalize();
    hex(&digest)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
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
    let salt = hex(&bytes);
    conn.execute("INSERT INTO settings (key, value) VALUES (?1, ?2)", params![SALT_KEY, salt])?;
    Ok(salt)
}

fn existing_salt(conn: &Connection) -> Result<Option<String>> {
    setting(conn, SALT_KEY)
}

fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| row.get(0)).optional()?)
}

fn legacy_hashes(conn: &Connection) -> Result<BTreeSet<String>> {
    Ok(setting(conn, LEGACY_KEY)?
        .map(|list| list.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default())
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
    hex(&digest)
}

/// Answers "was this person erased?" for a whole import with one salt lookup.
pub(crate) struct Suppressions {
    salt: Option<String>,
    /// When set, only these hashes count (the legacy ones, for an old copy of this book).
    only: Option<HashSet<String>>,
}

impl Suppressions {
    pub(crate) fn load(conn: &Connection) -> Result<Suppressions> {
        let any: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM suppressions)", [], |row| row.get(0))?;
        Ok(Suppressions { salt: if any { existing_salt(conn)? } else { None }, only: None })
    }

    /// Only the suppressions made before erasure records existed: an older copy of this book
    /// names everyone erased since by identity, and sharing a phone with them is no reason to
    /// leave someone out.
    pub(crate) fn load_legacy(conn: &Connection) -> Result<Suppressions> {
        let legacy = legacy_hashes(conn)?;
        let salt = if legacy.is_empty() { None } else { existing_salt(conn)? };
        Ok(Suppressions { salt, only: Some(legacy.into_iter().collect()) })
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
            let hash = suppression_hash(salt, kind, &value);
            let named = match &self.only {
                Some(only) => only.contains(&hash),
                None => known.query_row([hash], |row| row.get::<_, bool>(0))?,
            };
            if named {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// The identities of everyone this book erased (the `main` schema's, when another is attached).
pub(crate) fn erased_identities(conn: &Connection) -> Result<HashSet<String>> {
    let mut statement = conn.prepare("SELECT identity FROM main.erasures")?;
    let identities = statement.query_map([], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(identities)
}

/// The erasures of a book, carried over when a restore or a recovery puts an older copy of it
/// in its place.
pub(crate) struct ErasureRecords {
    /// (identity, erased on)
    identities: Vec<(String, String)>,
    /// (hash, kind, erased on)
    suppressions: Vec<(String, String, String)>,
    salt: Option<String>,
    legacy: BTreeSet<String>,
}

impl ErasureRecords {
    /// Reads them from a book, migrated or not (a damaged book is read as it is: one from
    /// before erasure records has only legacy suppressions).
    pub(crate) fn read(conn: &Connection) -> Result<ErasureRecords> {
        let has_records: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'erasures')",
            [],
            |row| row.get(0),
        )?;
        let identities = if has_records {
            let mut statement = conn.prepare("SELECT identity, erased_on FROM erasures")?;
            statement
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?
        } else {
            Vec::new()
        };
        let mut statement = conn.prepare("SELECT hash, kind, erased_on FROM suppressions")?;
        let suppressions = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
            .collect::<rusqlite::Result<Vec<(String, String, String)>>>()?;
        let legacy = if has_records {
            legacy_hashes(conn)?
        } else {
            suppressions.iter().map(|(hash, ..)| hash.clone()).collect()
        };
        Ok(ErasureRecords { identities, suppressions, salt: existing_salt(conn)?, legacy })
    }

    /// Records these erasures in `book` (an older copy of the book they were read from) and
    /// erases again, in one transaction, exactly its customers whose identity they record,
    /// plus, for legacy suppressions the copy does not hold yet (made after it), those with a
    /// suppressed email or phone. Returns how many customers were erased again.
    pub(crate) fn apply(&self, book: &mut Book) -> Result<u32> {
        let erased_on = crate::clock::now().date_naive().to_string();
        book.with_tx(|tx| {
            let held: HashSet<String> = tx
                .prepare("SELECT hash FROM suppressions")?
                .query_map([], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            // This book's salt wins: the suppressions carried over are hashed with it (a copy
            // from another lineage keeps its own suppressions, which then match nothing).
            if let Some(salt) = &self.salt {
                tx.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    params![SALT_KEY, salt],
                )?;
            }
            let mut insert = tx.prepare(
                "INSERT INTO erasures (identity, erased_on) VALUES (?1, ?2) ON CONFLICT (identity) DO NOTHING",
            )?;
            for (identity, erased_on) in &self.identities {
                insert.execute(params![identity, erased_on])?;
            }
            let mut insert = tx.prepare(
                "INSERT INTO suppressions (hash, kind, erased_on) VALUES (?1, ?2, ?3) ON CONFLICT (hash) DO NOTHING",
            )?;
            for (hash, kind, erased_on) in &self.suppressions {
                insert.execute(params![hash, kind, erased_on])?;
            }
            let mut legacy = legacy_hashes(tx)?;
            legacy.extend(self.legacy.iter().cloned());
            if !legacy.is_empty() {
                let list = legacy.into_iter().collect::<Vec<_>>().join(" ");
                tx.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    params![LEGACY_KEY, list],
                )?;
            }

            let identities: HashSet<&str> = self.identities.iter().map(|(identity, _)| identity.as_str()).collect();
            let mut named = BTreeSet::new();
            let mut statement = tx.prepare("SELECT id, created_at FROM customers")?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let id: i64 = row.get(0)?;
                if identities.contains(identity(id, &row.get::<_, String>(1)?).as_str()) {
                    named.insert(id);
                }
            }
            let legacy_since: HashSet<&str> =
                self.legacy.iter().map(String::as_str).filter(|hash| !held.contains(*hash)).collect();
            if let (Some(salt), false) = (&self.salt, legacy_since.is_empty()) {
                for (kind, sql) in [
                    (SuppressionKind::Email, "SELECT customer_id, address_key FROM customer_emails"),
                    (SuppressionKind::Phone, "SELECT customer_id, e164 FROM customer_phones WHERE e164 IS NOT NULL"),
                ] {
                    let mut statement = tx.prepare(sql)?;
                    let mut rows = statement.query([])?;
                    while let Some(row) = rows.next()? {
                        if legacy_since.contains(suppression_hash(salt, kind, &row.get::<_, String>(1)?).as_str()) {
                            named.insert(row.get::<_, i64>(0)?);
                        }
                    }
                }
            }
            for &id in &named {
                erase_in(tx, id, &erased_on)?;
            }
            Ok(named.len() as u32)
        })
    }
}
