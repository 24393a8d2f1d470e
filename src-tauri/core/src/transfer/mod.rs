//! Moving the whole book between machines: a folder of CSV files, one per table, and a
//! `manifest.json` with the format and schema versions and each file's columns, row count,
//! size and SHA-256.
//!
//! The export is deterministic (rows in primary-key order, no timestamp in the manifest), so
//! exporting a restored book gives the same bytes. Importing into an empty book restores it
//! exactly, ids included; importing into a book that holds customers is refused unless the
//! dealer merges, and then the contacts importer's rules decide who is who (merge.rs).
//!
//! The CSV convention, stated in every manifest: UTF-8, RFC 4180 quoting, LF between
//! records, a header row of column names. Text is written as stored (newlines, quotes and
//! commas inside quoted cells), decimals as their exact text, integers in decimal. An empty
//! cell in a column the manifest lists as `nullable` is NULL; elsewhere it is the empty text.
//! The schema never stores empty text in a nullable column (the export refuses it rather than
//! lose the difference).

mod export;
mod merge;
mod restore;

use std::path::Path;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

/// The name in every manifest, so a folder of someone else's CSV files is recognised.
pub const BOOK_FORMAT: &str = "loupe-book";
/// The folder layout this build writes; a newer one is refused.
pub const BOOK_FORMAT_VERSION: u32 = 1;
pub const MANIFEST_FILE: &str = "manifest.json";
const CONVENTIONS: &str = "UTF-8 CSV (RFC 4180 quoting, LF line ends), one header row of column names. An empty \
cell in a column listed as nullable is NULL, elsewhere the empty text. Decimals are exact text, \
integers decimal, plain dates YYYY-MM-DD or --MM-DD, instants RFC 3339.";

/// The tables a book folder holds, each table after the ones it refers to.
const TABLES: &[&str] = &[
    "settings",
    "import_batches",
    "customers",
    "customer_emails",
    "customer_phones",
    "customer_addresses",
    "customer_occasions",
    "customer_preferences",
    "customer_tags",
    "consents",
    "purchases",
    "purchase_items",
    "sale_payments",
    "sale_trade_ins",
    "notes",
    "interactions",
    "wishes",
    "satisfaction_scores",
    "arrivals",
    "reminders",
    "standing_changes",
    "tier_changes",
    "points_ledger",
    "segments",
    "campaigns",
    "marketing_expenses",
    "import_merges",
    "customer_merges",
    "distinct_people",
    "suppressions",
    "erasures",
];

/// Settings that describe the file rather than the book (erasure.rs): a book folder leaves
/// them out, and loading one keeps the receiving file's own.
/// The day and boundaries of the last evaluation of standing describe the file's computed rows
/// too (standing.rs): a load computes its own.
const FILE_SETTINGS: &[&str] = &[
    crate::erasure::SCRUBBED_KEY,
    crate::standing::EVALUATED_KEY,
    crate::standing::BOUNDARIES_KEY,
    crate::agenda::RAN_ON_KEY,
];

/// Columns the core computes from others (sort keys, totals kept for the list); they are not
/// exported, and recomputed after a load. The search table is rebuilt the same way.
const DERIVED_COLUMNS: &[(&str, &str)] = &[
    ("customers", "sort_name"),
    ("customers", "spend_units"),
    ("customers", "purchase_count"),
    ("customers", "last_purchase_on"),
    ("customers", "first_purchase_on"),
    ("customers", "second_purchase_on"),
    ("customers", "value_class"),
    ("customers", "window_units"),
    ("customers", "rfm_score"),
    ("customers", "tier_rank"),
    ("purchases", "total_units"),
];

/// What a book folder holds, as its manifest says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BookManifest {
    /// Always "loupe-book".
    pub format: String,
    pub format_version: u32,
    /// The schema version of the book that was exported.
    pub schema_version: u32,
    /// How values are written in the files, for whoever opens them elsewhere.
    pub conventions: String,
    pub files: Vec<ManifestFile>,
}

/// One CSV file of a book folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ManifestFile {
    /// The file name inside the folder: the table's name and ".csv".
    pub name: String,
    pub table: String,
    /// Data rows, the header row not counted.
    #[ts(type = "number")]
    pub rows: u64,
    #[ts(type = "number")]
    pub bytes: u64,
    /// Lower-case hexadecimal SHA-256 of the file's bytes.
    pub sha256: String,
    /// The header row, in order.
    pub columns: Vec<String>,
    /// Columns where an empty cell is NULL.
    pub nullable: Vec<String>,
}

impl BookManifest {
    /// Rows of `table` in the folder (0 when it has no file for it).
    pub fn rows_of(&self, table: &str) -> u64 {
        self.files.iter().find(|file| file.table == table).map_or(0, |file| file.rows)
    }

    pub fn total_rows(&self) -> u64 {
        self.files.iter().map(|file| file.rows).sum()
    }
}

/// Whether an import may merge into a book that already holds customers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BookImportOptions {
    /// Off: only an empty book is filled (exactly). On: customers are matched by email and
    /// phone like a contacts import; the others are added, and everyone's history appended.
    pub merge: bool,
}

/// The step a long export or import is at, for the progress bar's label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TransferStage {
    /// Import, merging: the book backed up first (pages copied), since a merge cannot be undone.
    BackingUp,
    /// Export: rows written.
    Writing,
    /// Import: bytes of the files checked against their checksums.
    Verifying,
    /// Import: rows read into the book (or, when merging, into a staging copy).
    Loading,
    /// Import, merging: customers matched and added or merged, with their history.
    Merging,
    /// Import: customers whose search document is rebuilt.
    Indexing,
}

/// Progress of an export or import: `done` out of `total` in the stage's unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TransferProgress {
    pub stage: TransferStage,
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BookExportSummary {
    /// The folder, as given.
    pub dir: String,
    pub manifest: BookManifest,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BookImportSummary {
    /// Whether it merged into customers already there (else it restored an empty book).
    pub merged_into_existing: bool,
    /// Customers added (with their own ids when restoring, new ones when merging).
    #[ts(type = "number")]
    pub customers_created: u64,
    /// Customers of the folder found in the book by email or phone and merged into them.
    #[ts(type = "number")]
    pub customers_merged: u64,
    /// Customers of the folder this book erased (an email or phone matches an erasure): left
    /// out of a merge, with their whole history.
    #[ts(type = "number")]
    pub erased_left_out: u64,
    /// Fields where a merged customer kept the book's own value over the folder's.
    #[ts(type = "number")]
    pub conflicts: u64,
    /// Rows read from the folder's files, all tables together.
    #[ts(type = "number")]
    pub rows_read: u64,
    /// The import batch recorded for a merge (a restore adds none, so it stays exact).
    #[ts(type = "number | null")]
    pub batch_id: Option<i64>,
    /// The backup of the book made before a merge (a restore into an empty book makes none).
    pub safety_backup: Option<crate::backup::BackupInfo>,
}

/// Rows between two progress reports and cancellation checks.
const PROGRESS_EVERY: u64 = 10_000;

/// A column as the schema declares it.
#[derive(Debug, Clone)]
struct Column {
    name: String,
    integer: bool,
    nullable: bool,
    /// Not null but with a default, so an older folder may leave it out.
    has_default: bool,
}

/// The stored, non-derived columns of a table and its primary key, read from the schema so
/// that a new migration's columns travel without a change here.
#[derive(Debug, Clone)]
struct TableLayout {
    table: &'static str,
    columns: Vec<Column>,
    key: Vec<String>,
}

impl TableLayout {
    fn read(conn: &Connection, table: &'static str) -> Result<TableLayout> {
        // Only names from TABLES are formatted into the pragma.
        let mut statement = conn.prepare(&format!("PRAGMA main.table_info({table})"))?;
        let mut rows = statement.query([])?;
        let mut columns = Vec::new();
        let mut key: Vec<(i64, String)> = Vec::new();
        while let Some(row) = rows.next()? {
            let name: String = row.get(1)?;
            let declared: String = row.get(2)?;
            let not_null: bool = row.get(3)?;
            let default: Option<String> = row.get(4)?;
            let key_position: i64 = row.get(5)?;
            if key_position > 0 {
                key.push((key_position, name.clone()));
            }
            if DERIVED_COLUMNS.contains(&(table, name.as_str())) {
                continue;
            }
            let integer = declared.eq_ignore_ascii_case("INTEGER");
            // An INTEGER PRIMARY KEY is the rowid: never NULL in a stored row.
            let nullable = !not_null && key_position == 0;
            columns.push(Column { name, integer, nullable, has_default: default.is_some() });
        }
        key.sort();
        Ok(TableLayout { table, columns, key: key.into_iter().map(|(_, name)| name).collect() })
    }

    fn file_name(&self) -> String {
        format!("{}.csv", self.table)
    }

    fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|column| column.name == name)
    }
}

fn layouts(conn: &Connection) -> Result<Vec<TableLayout>> {
    TABLES.iter().map(|table| TableLayout::read(conn, table)).collect()
}

/// How a text value is checked on the way in, beyond what the schema's CHECKs say, so that
/// the book never holds a value it cannot read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ValueKind {
    Text,
    /// RFC 3339.
    Instant,
    /// YYYY-MM-DD.
    Date,
    /// YYYY-MM-DD or --MM-DD.
    PartialDate,
    Decimal,
}

const DECIMAL_COLUMNS: &[&str] =
    &["wrist_cm", "price_min", "price_max", "price", "discount", "budget_min", "budget_max", "points_value"];

fn value_kind(table: &str, column: &str) -> ValueKind {
    if matches!((table, column), ("customers", "birthday") | ("customer_occasions", "date")) {
        ValueKind::PartialDate
    } else if DECIMAL_COLUMNS.contains(&column) {
        ValueKind::Decimal
    } else if column.ends_with("_at") {
        ValueKind::Instant
    } else if column.ends_with("_on") || column == "date" {
        ValueKind::Date
    } else {
        ValueKind::Text
    }
}

/// Why `text` is not a value of `kind`, if it is not.
fn check_value(kind: ValueKind, text: &str) -> std::result::Result<(), String> {
    let fits = match kind {
        ValueKind::Text => true,
        ValueKind::Instant => chrono::DateTime::parse_from_rfc3339(text).is_ok(),
        ValueKind::Date => text.parse::<chrono::NaiveDate>().is_ok(),
        ValueKind::PartialDate => text.parse::<crate::PartialDate>().is_ok(),
        ValueKind::Decimal => text.parse::<rust_decimal::Decimal>().is_ok(),
    };
    if fits {
        return Ok(());
    }
    Err(match kind {
        ValueKind::Instant => format!("'{text}' is not a date and time such as 2026-05-17T09:30:00+00:00"),
        ValueKind::Date => format!("'{text}' is not a date such as 2026-05-17"),
        ValueKind::PartialDate => format!("'{text}' is not a date such as 2026-05-17 or --05-17"),
        _ => format!("'{text}' is not a decimal number such as 1234.50"),
    })
}

/// Reads and checks the manifest of a book folder: its format, its versions (a newer one is
/// refused) and the names of its files. Reads nothing else, so the window can show what the
/// folder holds before the dealer decides.
pub fn read_book_manifest(dir: &Path) -> Result<BookManifest> {
    let path = dir.join(MANIFEST_FILE);
    let display = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => Error::ImportFile {
            file: display.clone(),
            problem: "missing: this folder is not a Loupe book export".into(),
        },
        _ => Error::Io { path: display.clone(), source },
    })?;
    let manifest_error =
        |message: String| Error::ImportFile { file: display.clone(), problem: message.into() };
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|error| manifest_error(format!("not valid JSON: {error}")))?;
    // The versions first: a newer Loupe may have changed everything else.
    if value.get("format").and_then(serde_json::Value::as_str) != Some(BOOK_FORMAT) {
        return Err(manifest_error(format!("not a Loupe book (its format is not \"{BOOK_FORMAT}\")")));
    }
    let version = |key: &str| value.get(key).and_then(serde_json::Value::as_u64).unwrap_or(0);
    let known_schema = u64::from(crate::schema_version());
    if version("format_version") > u64::from(BOOK_FORMAT_VERSION) || version("schema_version") > known_schema
    {
        return Err(manifest_error(format!(
            "written by a newer version of Loupe (format {}, schema {}; this version reads format {BOOK_FORMAT_VERSION}, \
             schema {known_schema}); update Loupe to import it",
            version("format_version"),
            version("schema_version"),
        )));
    }
    let manifest: BookManifest =
        serde_json::from_value(value).map_err(|error| manifest_error(format!("unreadable: {error}")))?;
    for file in &manifest.files {
        if !TABLES.contains(&file.table.as_str()) || file.name != format!("{}.csv", file.table) {
            return Err(manifest_error(format!(
                "lists '{}' for table '{}', which this version of Loupe does not know",
                file.name, file.table
            )));
        }
        if manifest.files.iter().filter(|other| other.table == file.table).count() > 1 {
            return Err(manifest_error(format!("lists table '{}' twice", file.table)));
        }
    }
    Ok(manifest)
}

/// Checks that the manifest's columns fit this schema, before anything is read or written.
fn check_columns(manifest: &BookManifest, layouts: &[TableLayout], dir: &Path) -> Result<()> {
    // An older schema may lack a table; a folder of this schema lacking one lost a file.
    if manifest.schema_version == crate::schema_version()
        && let Some(layout) =
            layouts.iter().find(|layout| manifest.files.iter().all(|file| file.table != layout.table))
    {
        return Err(Error::ImportFile {
            file: dir.join(MANIFEST_FILE).display().to_string(),
            problem: format!("lists no file for table {}", layout.table).into(),
        });
    }
    for file in &manifest.files {
        let Some(layout) = layouts.iter().find(|layout| layout.table == file.table) else { continue };
        let error = |message: String| Error::ImportFile {
            file: dir.join(&file.name).display().to_string(),
            problem: message.into(),
        };
        for name in &file.columns {
            if layout.column(name).is_none() {
                return Err(error(format!("column '{name}' is not a column of {}", file.table)));
            }
            if file.columns.iter().filter(|other| *other == name).count() > 1 {
                return Err(error(format!("column '{name}' appears twice")));
            }
        }
        for column in &layout.columns {
            if !file.columns.contains(&column.name) && !column.nullable && !column.has_default {
                return Err(error(format!("column '{}' is missing", column.name)));
            }
        }
    }
    Ok(())
}

/// Lower-case hexadecimal.
fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut text, byte| {
        let _ = write!(text, "{byte:02x}");
        text
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_of_the_schema_travels() {
        let book = crate::Book::open_in_memory().expect("book");
        let mut statement = book
            .conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                 AND name NOT LIKE 'customer_search%' ORDER BY name",
            )
            .expect("tables");
        let mut tables: Vec<String> = statement
            .query_map([], |row| row.get(0))
            .expect("query")
            .map(|name| name.expect("name"))
            .collect();
        // Computed rows never travel: a load computes them (standing.rs), the searched digits
        // with the search documents, and the counts of each type from the customers it loaded.
        tables.retain(|table| {
            !["customer_standing", "customer_membership", "search_digits", "customer_type_counts"]
                .contains(&table.as_str())
        });
        tables.sort();
        let mut listed: Vec<String> = TABLES.iter().map(|table| table.to_string()).collect();
        listed.sort();
        assert_eq!(tables, listed, "a new table needs a place in TABLES (after the tables it refers to)");
        for (table, column) in DERIVED_COLUMNS {
            let layout = TableLayout::read(&book.conn, table).expect("layout");
            assert!(layout.column(column).is_none(), "{table}.{column} is left out");
        }
    }

    #[test]
    fn values_are_checked_by_kind() {
        assert_eq!(value_kind("customers", "birthday"), ValueKind::PartialDate);
        assert_eq!(value_kind("purchases", "purchased_on"), ValueKind::Date);
        assert_eq!(value_kind("purchase_items", "price"), ValueKind::Decimal);
        assert_eq!(value_kind("notes", "created_at"), ValueKind::Instant);
        assert!(check_value(ValueKind::PartialDate, "--05-17").is_ok());
        assert!(check_value(ValueKind::Date, "--05-17").is_err());
        assert!(check_value(ValueKind::Decimal, "0.10").is_ok());
        assert!(check_value(ValueKind::Decimal, "ten").is_err());
        assert!(check_value(ValueKind::Instant, "2026-05-17T09:30:00.5+00:00").is_ok());
    }
}
