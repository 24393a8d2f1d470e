//! Merging a book folder into a book that already holds customers.
//!
//! The folder is first restored, exactly and with every check, into a staging book in a
//! temporary file; nothing of the dealer's book is touched until that succeeded. The staging
//! book is then attached, and each of its customers is matched like a row of a contacts
//! import: the same email or the same phone (E.164) as someone already in the book is that
//! person, and the profiles merge by the importer's rules (empty fields filled, emails, phones,
//! addresses, tags and consents added, the book's own values kept). Everyone else is added
//! with a new id. Their purchases, notes, contact history, wishes, scores and reminders are
//! appended with new ids. Settings stay the book's own; saved column mappings and segments
//! whose names are free are added; the folder's import batches, merges and suppressions are
//! not carried over (they describe the other book's imports and salt), nor its customer merges
//! and different-people marks (they name the other book's customer ids). Customers this book
//! erased are left out (`erased_rule`).

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::{Connection, params};

use super::restore::{index_customers, restore, without_foreign_keys};
use super::*;
use crate::customers::{insert_profile, load_customer, update_profile};
use crate::erasure::{Suppressions, erased_identities, identity};
use crate::import::{book_match, merge_profile};
use crate::settings::read_settings;
use crate::store::{Book, StagingFiles, staging_path};
use crate::validate::ValidDraft;

/// The tables of a customer's history, each after the ones it refers to.
const HISTORY_TABLES: &[&str] = &[
    "purchases",
    "purchase_items",
    "sale_payments",
    "sale_trade_ins",
    "notes",
    "interactions",
    "wishes",
    "satisfaction_scores",
    "reminders",
    "standing_changes",
    "tier_changes",
    "points_ledger",
];

impl Book {
    pub(super) fn merge_book(
        &mut self,
        dir: &Path,
        manifest: &BookManifest,
        layouts: &[TableLayout],
        cancel: &AtomicBool,
        progress: &mut dyn FnMut(TransferProgress),
    ) -> Result<BookImportSummary> {
        // Beside the book, not in the system's temporary folder: it holds the folder's people
        // while it exists, and a killed merge's copy is removed when the book is next opened.
        let staging = StagingFiles(staging_path(self.path()));
        let staged_path = staging.0.to_str().ok_or_else(|| Error::Io {
            path: staging.0.display().to_string(),
            source: std::io::Error::other("the book's folder path is not UTF-8"),
        })?;
        // A connection of its own reads the staged profiles (the core's readers use the main
        // schema); the attachment lets SQL copy the history across in bulk.
        let mut source = Book::open_staging(&staging.0)?;
        let rows_read = without_foreign_keys(&mut source.conn, |conn| {
            let tx = conn.transaction()?;
            let rows = restore(&tx, dir, manifest, layouts, cancel, progress)?;
            tx.commit()?;
            Ok(rows)
        })?;
        // ATTACH cannot run inside a transaction; DETACH runs whatever the merge's outcome.
        self.conn.execute("ATTACH DATABASE ?1 AS staged", [staged_path])?;
        let merged = self.merge_attached(&source.conn, dir, cancel, progress);
        let detached = self.conn.execute_batch("DETACH DATABASE staged");
        let mut summary = merged?;
        detached?;
        summary.rows_read = rows_read;
        Ok(summary)
    }

    fn merge_attached(
        &mut self,
        source: &Connection,
        dir: &Path,
        cancel: &AtomicBool,
        progress: &mut dyn FnMut(TransferProgress),
    ) -> Result<BookImportSummary> {
        let now = crate::clock::now();
        let folder_name = dir.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        let tx = crate::store::write_transaction(&mut self.conn)?;
        let book_settings = read_settings(&tx)?;
        tx.execute(
            "INSERT INTO main.import_batches (kind, file_name, imported_at) VALUES ('book', ?1, ?2)",
            params![folder_name, now.to_rfc3339()],
        )?;
        let batch_id = tx.last_insert_rowid();
        // Only people who were in the book before are matched: two customers of the folder
        // stay two even when they share an email.
        let known_up_to: i64 =
            tx.query_row("SELECT coalesce(max(id), 0) FROM main.customers", [], |row| row.get(0))?;
        tx.execute_batch(
            "CREATE TABLE staged.customer_map (
                source_id INTEGER PRIMARY KEY, target_id INTEGER NOT NULL, created INTEGER NOT NULL)",
        )?;
        let source_ids: Vec<i64> = tx
            .prepare("SELECT id FROM staged.customers ORDER BY id")?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let total = source_ids.len() as u64;
        let (mut created, mut merged, mut conflicts, mut erased) = (0_u64, 0_u64, 0_u64, 0_u64);
        let (erased_here, suppressions) = erased_rule(&tx)?;
        for (done, &source_id) in (1_u64..).zip(&source_ids) {
            let mut profile = load_customer(source, source_id)?.profile;
            let created_at: String = source
                .prepare_cached("SELECT created_at FROM customers WHERE id = ?1")?
                .query_row([source_id], |row| row.get(0))?;
            // Someone this book erased does not come back with an old copy of it.
            if erased_here.contains(&identity(source_id, &created_at)) || suppressions.names(&tx, &profile)? {
                erased += 1;
                continue;
            }
            // The referrer's id is the other book's; set once everyone has their new id.
            profile.referred_by = None;
            let found = book_match(&tx, &profile)?.filter(|found| found.certain && found.id <= known_up_to);
            let (target_id, is_new) = match found.map(|found| found.id) {
                Some(id) => {
                    let before = load_customer(&tx, id)?.profile;
                    let (merged_profile, found_conflicts) = merge_profile(&before, &profile);
                    conflicts += found_conflicts.len() as u64;
                    update_profile(&tx, id, &before, &stored(merged_profile), now)?;
                    merged += 1;
                    (id, false)
                }
                None => {
                    let id = insert_profile(&tx, &stored(profile), now, Some(batch_id))?;
                    tx.prepare_cached(
                        "UPDATE main.customers SET (created_at, updated_at) =
                            (SELECT created_at, updated_at FROM staged.customers WHERE id = ?2)
                         WHERE id = ?1",
                    )?
                    .execute(params![id, source_id])?;
                    created += 1;
                    (id, true)
                }
            };
            tx.prepare_cached(
                "INSERT INTO staged.customer_map (source_id, target_id, created) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![source_id, target_id, is_new])?;
            if done.is_multiple_of(PROGRESS_EVERY) {
                if cancel.load(Ordering::Relaxed) {
                    return Err(Error::Cancelled);
                }
                progress(TransferProgress { stage: TransferStage::Merging, done, total });
            }
        }
        // A referrer fills an empty "referred by", never replaces one.
        tx.execute_batch(
            "UPDATE main.customers AS c SET referred_by = referrer.target_id
             FROM staged.customer_map AS m
             JOIN staged.customers AS s ON s.id = m.source_id
             JOIN staged.customer_map AS referrer ON referrer.source_id = s.referred_by
             WHERE c.id = m.target_id AND c.referred_by IS NULL AND referrer.target_id <> m.target_id",
        )?;
        copy_history(&tx)?;
        tx.execute_batch(
            "INSERT OR IGNORE INTO main.settings (key, value)
                SELECT key, value FROM staged.settings WHERE key LIKE 'import_mapping:%' ORDER BY key;
             INSERT OR IGNORE INTO main.segments (name, rules_json, created_at, updated_at)
                SELECT name, rules_json, created_at, updated_at FROM staged.segments ORDER BY id;",
        )?;
        let targets: Vec<(i64, bool)> = tx
            .prepare("SELECT target_id, min(created) FROM staged.customer_map GROUP BY target_id ORDER BY target_id")?
            .query_map([], |row| Ok((row.get(0)?, !row.get::<_, bool>(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for &(id, _) in &targets {
            crate::purchases::refresh_customer_spend(&tx, id, &book_settings.default_currency)?;
        }
        index_customers(&tx, &targets, &book_settings.default_region, cancel, progress)?;
        crate::evaluation::refresh_book(&tx, crate::clock::today(), true)?;
        tx.execute(
            "UPDATE main.import_batches SET created_count = ?2, merged_count = ?3 WHERE id = ?1",
            params![batch_id, created as i64, merged as i64],
        )?;
        tx.commit()?;
        Ok(BookImportSummary {
            merged_into_existing: true,
            customers_created: created,
            customers_merged: merged,
            erased_left_out: erased,
            conflicts,
            rows_read: 0,
            batch_id: Some(batch_id),
            safety_backup: None,
        })
    }
}

/// Who of the folder this book erased: the customers whose identity it recorded, and by email
/// and phone hash, only the suppressions from before identities (legacy) when the folder is an
/// old copy of this book (the same salt, or a recorded identity among its customers), or every
/// suppression when it is not (an outside book, where identities cannot match).
fn erased_rule(tx: &Connection) -> Result<(std::collections::HashSet<String>, Suppressions)> {
    let erased_here = erased_identities(tx)?;
    let same_salt: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM main.settings AS m JOIN staged.settings AS s USING (key, value)
                        WHERE m.key = 'suppression_salt')",
        [],
        |row| row.get(0),
    )?;
    let copy_of_this_book = same_salt || {
        let mut statement = tx.prepare("SELECT id, created_at FROM staged.customers")?;
        let mut rows = statement.query([])?;
        let mut found = false;
        while let Some(row) = rows.next()? {
            if erased_here.contains(&identity(row.get(0)?, &row.get::<_, String>(1)?)) {
                found = true;
                break;
            }
        }
        found
    };
    let suppressions =
        if copy_of_this_book { Suppressions::load_legacy(tx)? } else { Suppressions::load(tx)? };
    Ok((erased_here, suppressions))
}

/// A profile read back from a book, valid already: written as it is.
fn stored(profile: crate::model::CustomerDraft) -> ValidDraft {
    ValidDraft { profile, phone_national_digits: Vec::new(), unverified_phones: Vec::new() }
}

/// Appends the staged customers' history to the customers they now are, with new ids: sales
/// and items keep their relative ids (shifted past the book's) so items and reminders still
/// point at the right ones; notes, contacts, wishes, scores and reminders get fresh ids.
fn copy_history(tx: &Connection) -> Result<()> {
    let offset = |table: &str| -> Result<i64> {
        Ok(tx.query_row(&format!("SELECT coalesce(max(id), 0) FROM main.{table}"), [], |row| row.get(0))?)
    };
    let purchase_offset = offset("purchases")?;
    let item_offset = offset("purchase_items")?;
    for &table in HISTORY_TABLES {
        let columns: Vec<String> = tx
            .prepare(&format!("PRAGMA main.table_info({table})"))?
            .query_map([], |row| row.get(1))?
            .collect::<rusqlite::Result<_>>()?;
        let values: Vec<String> = columns
            .iter()
            .map(|column| match (table, column.as_str()) {
                ("purchases", "id") | (_, "purchase_id") => format!("s.{column} + :purchases"),
                ("purchase_items", "id") | (_, "purchase_item_id") => format!("s.{column} + :items"),
                (_, "id") => "NULL".to_string(),
                (_, "customer_id") => "m.target_id".to_string(),
                // A referral bonus names the customer referred as they are now (none if left out).
                (_, "referred_id") => {
                    "(SELECT r.target_id FROM staged.customer_map AS r WHERE r.source_id = s.referred_id)"
                        .to_string()
                }
                // The other book's import batches do not come along; nor do its arrivals (the
                // shop's stock, not a customer's story: a reminder keeps the piece in its
                // reason), and the contact a done reminder recorded has a new id.
                (_, "import_batch_id" | "arrival_id" | "interaction_id") => "NULL".to_string(),
                _ => format!("s.{column}"),
            })
            .collect();
        // Only the history of customers who came along (an erased one did not).
        let source = if columns.iter().any(|column| column == "customer_id") {
            format!("staged.{table} AS s JOIN staged.customer_map AS m ON m.source_id = s.customer_id")
        } else {
            format!(
                "staged.{table} AS s WHERE s.purchase_id IN
                    (SELECT p.id FROM staged.purchases AS p JOIN staged.customer_map AS m ON m.source_id = p.customer_id)"
            )
        };
        // A reminder this book's rules made already for a customer the folder shares (the same
        // birthday) is one reminder: the book's.
        let or_ignore = if table == "reminders" { "OR IGNORE" } else { "" };
        let mut statement = tx.prepare(&format!(
            "INSERT {or_ignore} INTO main.{table} ({}) SELECT {} FROM {source} ORDER BY s.id",
            columns.join(", "),
            values.join(", ")
        ))?;
        for (name, value) in [(":purchases", purchase_offset), (":items", item_offset)] {
            if let Some(index) = statement.parameter_index(name)? {
                statement.raw_bind_parameter(index, value)?;
            }
        }
        statement.raw_execute()?;
    }
    Ok(())
}
