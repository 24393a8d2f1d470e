//! Reading a book folder: the checks made before anything is written (manifest, columns,
//! sizes and checksums), and the exact restore into an empty book in one transaction.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::Connection;
use rusqlite::types::Null;
use sha2::{Digest, Sha256};

use super::*;
use crate::search::{self, PendingDocuments};
use crate::settings::{read_settings, stored_setting_refusal};
use crate::store::Book;

impl Book {
    /// Imports a book folder. Into a book without customers, segments or suppressions it
    /// restores the exported book exactly (ids, settings and import history included). Into
    /// any other book it is refused unless `options.merge`; a merge first backs the book up
    /// (`BackupKind::BeforeMerge`), since it cannot be undone. Every file is checked against
    /// the manifest before anything is written, and all of it lands in one transaction or none
    /// (on an error or a cancellation).
    pub fn import_book(
        &mut self,
        dir: &Path,
        options: &BookImportOptions,
        cancel: &AtomicBool,
        mut progress: impl FnMut(TransferProgress),
    ) -> Result<BookImportSummary> {
        let manifest = read_book_manifest(dir)?;
        let holds = self.contents()?;
        if let Some(holds) = &holds
            && !options.merge
        {
            return Err(Error::BookNotEmpty { holds: holds.clone() });
        }
        let layouts = layouts(&self.conn)?;
        check_columns(&manifest, &layouts, dir)?;
        verify_files(dir, &manifest, cancel, &mut progress)?;
        if holds.is_some() {
            let safety_backup = self.back_up_before_merge(&mut progress)?;
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
            let mut summary = self.merge_book(dir, &manifest, &layouts, cancel, &mut progress)?;
            summary.safety_backup = safety_backup;
            return Ok(summary);
        }
        let (rows_read, customers) = without_foreign_keys(&mut self.conn, |conn| {
            let tx = crate::store::write_transaction(conn)?;
            let rows_read = restore(&tx, dir, &manifest, &layouts, cancel, &mut progress)?;
            let settings = read_settings(&tx)?;
            let ids: Vec<i64> = tx
                .prepare("SELECT id FROM customers ORDER BY id")?
                .query_map([], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            tx.execute("DELETE FROM customer_search", [])?;
            tx.execute("DELETE FROM search_digits", [])?;
            let targets: Vec<(i64, bool)> = ids.iter().map(|&id| (id, false)).collect();
            index_customers(&tx, &targets, &settings.default_region, cancel, &mut progress)?;
            // Standing is not carried: it is the receiving book's, computed today.
            crate::evaluation::refresh_book(&tx, crate::clock::today(), true)?;
            tx.commit()?;
            Ok((rows_read, ids.len() as u64))
        })?;
        Ok(BookImportSummary {
            merged_into_existing: false,
            customers_created: customers,
            customers_merged: 0,
            erased_left_out: 0,
            conflicts: 0,
            rows_read,
            batch_id: None,
            safety_backup: None,
        })
    }

    /// The backup made before a merge, reported as the `BackingUp` stage (an in-memory book
    /// has no folder to keep one in).
    fn back_up_before_merge(
        &self,
        progress: &mut dyn FnMut(TransferProgress),
    ) -> Result<Option<crate::backup::BackupInfo>> {
        if self.path() == Path::new(":memory:") {
            return Ok(None);
        }
        let made = self.back_up(crate::backup::BackupKind::BeforeMerge, |pages| {
            progress(TransferProgress {
                stage: TransferStage::BackingUp,
                done: pages.done,
                total: pages.total,
            })
        })?;
        Ok(Some(made))
    }

    /// What the book holds that an exact restore would have to overwrite, or None when
    /// empty. Settings and the history of imports that left nobody behind do not count.
    fn contents(&self) -> Result<Option<String>> {
        let mut held = Vec::new();
        for (table, what) in
            [("customers", "customers"), ("segments", "segments"), ("suppressions", "erased people's traces")]
        {
            let count: i64 =
                self.conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| row.get(0))?;
            if count > 0 {
                held.push(format!("{count} {what}"));
            }
        }
        Ok((!held.is_empty()).then(|| held.join(", ")))
    }
}

/// Runs a restore with foreign keys off: a customer may name a referrer who comes later in
/// the file, and with deferred keys every later insert of a customer would then scan for
/// rows referring to it. `restore` checks every reference itself before the commit.
pub(super) fn without_foreign_keys<T>(
    conn: &mut Connection,
    work: impl FnOnce(&mut Connection) -> Result<T>,
) -> Result<T> {
    // Only takes effect outside a transaction, so it is set around the restore's.
    conn.pragma_update(None, "foreign_keys", false)?;
    // The reference checks and totals sort millions of rows: on disk, so memory stays
    // bounded whatever the book's size.
    conn.pragma_update(None, "temp_store", "FILE")?;
    let result = work(conn);
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    result
}

/// The schema version that gave sales their payments and a day of collection: a folder
/// written before it holds sales paid in full by their one method and collected on their day.
const PAYMENTS_SCHEMA: u32 = 6;

/// Loads every file into an empty book inside the caller's transaction (run within
/// `without_foreign_keys`), ids kept, checks every reference, then recomputes the derived
/// columns. The search documents are left to the caller. Returns the rows read.
pub(super) fn restore(
    tx: &Connection,
    dir: &Path,
    manifest: &BookManifest,
    layouts: &[TableLayout],
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(TransferProgress),
) -> Result<u64> {
    // The book holds no customers: its settings and its history of imports (which refers to
    // nobody) give way to the folder's, so the result is exactly the exported book. What the
    // settings say about this file itself stays.
    let kept: Vec<(String, String)> = tx
        .prepare("SELECT key, value FROM settings")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<Vec<(String, String)>>>()?
        .into_iter()
        .filter(|(key, _)| FILE_SETTINGS.contains(&key.as_str()))
        .collect();
    tx.execute_batch("DELETE FROM settings; DELETE FROM import_batches;")?;
    let total = manifest.total_rows();
    let mut done = 0_u64;
    for layout in layouts {
        let Some(file) = manifest.files.iter().find(|file| file.table == layout.table) else { continue };
        done += load_table(tx, dir, file, layout, cancel, &mut |rows| {
            progress(TransferProgress { stage: TransferStage::Loading, done: done + rows, total });
        })?;
    }
    for (key, value) in kept {
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            rusqlite::params![key, value],
        )?;
    }
    check_references(tx, dir)?;
    crate::purchases::recompute_totals(tx).map_err(|error| Error::ImportFile {
        file: dir.join("purchase_items.csv").display().to_string(),
        problem: format!("a sale's total cannot be kept exactly: {error}").into(),
    })?;
    crate::purchases::subtract_redemptions(tx).map_err(|error| Error::ImportFile {
        file: dir.join("purchases.csv").display().to_string(),
        problem: format!("the points redeemed on a sale cannot be kept exactly: {error}").into(),
    })?;
    if manifest.schema_version < PAYMENTS_SCHEMA {
        crate::purchases::backfill_payments(tx)?;
    }
    crate::purchases::refresh_all_spend(tx, &read_settings(tx)?.default_currency)?;
    crate::customers::recount_types(tx)?;
    Ok(done)
}

/// Checks each file's size and SHA-256 against the manifest before a single row is read.
pub(super) fn verify_files(
    dir: &Path,
    manifest: &BookManifest,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(TransferProgress),
) -> Result<()> {
    let total: u64 = manifest.files.iter().map(|file| file.bytes).sum();
    let mut done = 0_u64;
    let mut buffer = vec![0_u8; 1 << 20];
    for file in &manifest.files {
        let path = dir.join(&file.name);
        let display = path.display().to_string();
        let file_error =
            |message: String| Error::ImportFile { file: display.clone(), problem: message.into() };
        let io = |source| Error::Io { path: display.clone(), source };
        let mut reader = match File::open(&path) {
            Ok(reader) => reader,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(file_error("missing (the manifest lists it)".into()));
            }
            Err(source) => return Err(io(source)),
        };
        let size = reader.metadata().map_err(io)?.len();
        if size != file.bytes {
            return Err(file_error(format!(
                "is {size} bytes but the manifest says {}: the folder is incomplete or was changed",
                file.bytes
            )));
        }
        let mut hasher = Sha256::new();
        loop {
            let read = reader.read(&mut buffer).map_err(io)?;
            if read == 0 {
                break;
            }
            hasher.update(&buffer[..read]);
            done += read as u64;
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
            progress(TransferProgress { stage: TransferStage::Verifying, done, total });
        }
        if hex(&hasher.finalize()) != file.sha256 {
            return Err(file_error(
                "its SHA-256 checksum differs from the manifest's: the file was changed or damaged".into(),
            ));
        }
    }
    Ok(())
}

/// Streams one file into its table; every error names the file, the line and the column.
fn load_table(
    tx: &Connection,
    dir: &Path,
    file: &ManifestFile,
    layout: &TableLayout,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(u64),
) -> Result<u64> {
    if cancel.load(Ordering::Relaxed) {
        return Err(Error::Cancelled);
    }
    let path = dir.join(&file.name);
    let display = path.display().to_string();
    let at = |line: u64, column: Option<&str>, message: String| Error::ImportFile {
        file: display.clone(),
        problem: match column {
            Some(column) => format!("line {line}, column '{column}': {message}"),
            None => format!("line {line}: {message}"),
        }
        .into(),
    };
    let read_error = |error: csv::Error| {
        let line = error.position().map_or(0, csv::Position::line);
        match error.into_kind() {
            csv::ErrorKind::Io(source) => Error::Io { path: display.clone(), source },
            csv::ErrorKind::Utf8 { err, .. } => at(line, None, format!("not UTF-8 text ({err})")),
            other => at(line, None, format!("{other:?}")),
        }
    };
    let reader = File::open(&path).map_err(|source| Error::Io { path: display.clone(), source })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(BufReader::with_capacity(1 << 16, reader));
    let mut record = csv::StringRecord::new();
    if !reader.read_record(&mut record).map_err(read_error)? {
        return Err(at(1, None, "the header row is missing".into()));
    }
    if record.iter().ne(file.columns.iter().map(String::as_str)) {
        return Err(at(
            1,
            None,
            format!(
                "the header row ({}) differs from the manifest's columns ({})",
                record.iter().collect::<Vec<_>>().join(","),
                file.columns.join(",")
            ),
        ));
    }
    let columns: Vec<&Column> = file.columns.iter().filter_map(|name| layout.column(name)).collect();
    let kinds: Vec<ValueKind> = columns.iter().map(|column| value_kind(layout.table, &column.name)).collect();
    // The sort key is derived from the name; the other derived columns are refreshed after.
    let full_name = (layout.table == "customers")
        .then(|| file.columns.iter().position(|name| name == "full_name"))
        .flatten();
    let mut names: Vec<&str> = file.columns.iter().map(String::as_str).collect();
    if full_name.is_some() {
        names.push("sort_name");
    }
    let placeholders: Vec<String> = (1..=names.len()).map(|index| format!("?{index}")).collect();
    let mut insert = tx.prepare(&format!(
        "INSERT INTO main.{} ({}) VALUES ({})",
        layout.table,
        names.join(", "),
        placeholders.join(", ")
    ))?;
    // Settings arrive through the settings form's checks, like any the dealer types.
    let setting_cells = (layout.table == "settings")
        .then(|| {
            let position = |name: &str| file.columns.iter().position(|column| column == name);
            position("key").zip(position("value"))
        })
        .flatten();
    let mut rows = 0_u64;
    while reader.read_record(&mut record).map_err(read_error)? {
        let line = record.position().map_or(0, csv::Position::line);
        if record.len() != columns.len() {
            return Err(at(
                line,
                None,
                format!("has {} cells, the header has {}", record.len(), columns.len()),
            ));
        }
        for (index, ((column, kind), cell)) in columns.iter().zip(&kinds).zip(record.iter()).enumerate() {
            let bad = |message: String| at(line, Some(&column.name), message);
            if cell.is_empty() && column.nullable {
                insert.raw_bind_parameter(index + 1, Null)?;
            } else if column.integer {
                let value: i64 = cell.parse().map_err(|_| bad(format!("'{cell}' is not a whole number")))?;
                insert.raw_bind_parameter(index + 1, value)?;
            } else {
                check_value(*kind, cell).map_err(bad)?;
                insert.raw_bind_parameter(index + 1, cell)?;
            }
        }
        if let Some((key, value)) = setting_cells
            && let Some(refusal) = stored_setting_refusal(&record[key], &record[value])
        {
            return Err(at(line, Some("value"), refusal));
        }
        if let Some(position) = full_name {
            insert.raw_bind_parameter(names.len(), crate::fold::sort_key(&record[position]))?;
        }
        insert.raw_execute().map_err(|error| {
            let message = error.to_string();
            at(line, column_named_in(&message, &file.columns), message)
        })?;
        rows += 1;
        if rows.is_multiple_of(PROGRESS_EVERY) {
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
            progress(rows);
        }
    }
    progress(rows);
    if rows != file.rows {
        return Err(Error::ImportFile {
            file: display.clone(),
            problem: format!("holds {rows} rows but the manifest says {}", file.rows).into(),
        });
    }
    Ok(rows)
}

/// The column a constraint message is about: the one named first ("CHECK constraint failed:
/// score BETWEEN 1 AND 5", "NOT NULL constraint failed: customers.full_name").
fn column_named_in<'a>(message: &str, columns: &'a [String]) -> Option<&'a str> {
    let is_word = |ch: char| ch.is_ascii_alphanumeric() || ch == '_';
    columns
        .iter()
        .filter_map(|column| {
            message
                .match_indices(column.as_str())
                .find(|(start, _)| {
                    let before = message[..*start].chars().next_back();
                    let after = message[start + column.len()..].chars().next();
                    !before.is_some_and(is_word) && !after.is_some_and(is_word)
                })
                .map(|(start, _)| (start, column.as_str()))
        })
        .min()
        .map(|(_, column)| column)
}

/// Names the first row whose reference leads nowhere.
fn check_references(tx: &Connection, dir: &Path) -> Result<()> {
    let broken: Option<(String, Option<i64>, String, i64)> = {
        let mut statement = tx.prepare("PRAGMA main.foreign_key_check")?;
        let mut rows = statement.query([])?;
        match rows.next()? {
            Some(row) => Some((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            None => None,
        }
    };
    let Some((table, rowid, parent, key_index)) = broken else { return Ok(()) };
    let column: Option<String> = tx
        .prepare(&format!("PRAGMA main.foreign_key_list({table})"))?
        .query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(3)?)))?
        .filter_map(std::result::Result::ok)
        .find(|(id, _)| *id == key_index)
        .map(|(_, from)| from);
    let row = rowid.map_or_else(|| "a row".to_string(), |id| format!("the row with id {id}"));
    Err(Error::ImportFile {
        file: dir.join(format!("{table}.csv")).display().to_string(),
        problem: format!(
            "{row}, column '{}': refers to a row of {parent} that the folder does not hold",
            column.unwrap_or_default()
        )
        .into(),
    })
}

/// Writes the search documents of `targets` (id, whether one is already indexed), in batches.
pub(super) fn index_customers(
    tx: &Connection,
    targets: &[(i64, bool)],
    region: &str,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(TransferProgress),
) -> Result<()> {
    let total = targets.len() as u64;
    let mut documents = PendingDocuments::default();
    for (done, &(id, indexed)) in (1_u64..).zip(targets) {
        documents.add(tx, id, search::stored_document(tx, id, region)?, indexed)?;
        if done.is_multiple_of(PROGRESS_EVERY) {
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
            progress(TransferProgress { stage: TransferStage::Indexing, done, total });
        }
    }
    documents.flush(tx)?;
    progress(TransferProgress { stage: TransferStage::Indexing, done: total, total });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraint_messages_name_their_column() {
        let columns: Vec<String> = ["id", "customer_id", "score", "scored_on"].map(String::from).to_vec();
        assert_eq!(
            column_named_in("CHECK constraint failed: score BETWEEN 1 AND 5", &columns),
            Some("score")
        );
        assert_eq!(
            column_named_in("NOT NULL constraint failed: satisfaction_scores.scored_on", &columns),
            Some("scored_on")
        );
        assert_eq!(column_named_in("UNIQUE constraint failed: satisfaction_scores.id", &columns), Some("id"));
        assert_eq!(column_named_in("database is locked", &columns), None);
    }
}
