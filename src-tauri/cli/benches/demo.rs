//! The demo book against its floor, side by side on this machine:
//! `cargo bench -p loupe-cli --bench demo`.
//!
//! 1. `loupe demo --customers 100000 --seed 42` into a new book, as a process, with its peak
//!    memory (`/usr/bin/time`'s maximum RSS).
//! 2. The floor under any writer of that book: SQLite itself (Loupe's own, bundled, through
//!    rusqlite) copying every row the demo wrote into a new, empty book, table by table with
//!    every index, trigger and foreign key in place, then its search documents; nothing drawn,
//!    checked, formatted or evaluated. One transaction, the book's page cache and durability,
//!    statement by statement, so opening and attaching are not counted. Foreign keys stay on,
//!    as in the book: off, SQLite copies a table into an empty one record by record and each
//!    index in its own order (its transfer optimisation), which no writer of new rows can do
//!    (13 s instead of 32 s on the development machine).
//!
//! Needs `/usr/bin/time`.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

type Outcome<T> = Result<T, Box<dyn std::error::Error>>;

const CUSTOMERS: &str = "100000";

fn main() -> Outcome<()> {
    let loupe = env!("CARGO_BIN_EXE_loupe");
    let dir = tempfile::tempdir()?;
    let demo = dir.path().join("demo.sqlite3");
    let started = Instant::now();
    let timed = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(loupe)
        .arg("--db")
        .arg(&demo)
        .args(["demo", "--customers", CUSTOMERS, "--seed", "42"])
        .output()?;
    let demo_seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&timed.stderr);
    if !timed.status.success() {
        return Err(format!("loupe demo failed: {stderr}").into());
    }
    let peak_kb: f64 = stderr.lines().last().unwrap_or("").trim().parse().unwrap_or(f64::NAN);

    // A new book as Loupe makes it: its schema, settings and search configuration.
    let empty = dir.path().join("empty.sqlite3");
    drop(loupe_core::Book::open(&empty)?);
    let floor = copy_every_row(&empty, &demo)?;
    let floor_seconds = floor.tables + floor.search + floor.commit;
    println!(
        "demo book of {CUSTOMERS} customers: {demo_seconds:.1} s, peak memory {:.0} MB",
        peak_kb / 1024.0
    );
    println!(
        "its {} rows and {} search documents copied by SQLite itself into an empty book: tables {:.1} s \
         (slowest: {}), search index {:.1} s, commit {:.1} s, together {floor_seconds:.1} s; loupe demo is \
         {:.1}x that floor",
        floor.rows,
        floor.documents,
        floor.tables,
        floor.slowest.join(", "),
        floor.search,
        floor.commit,
        demo_seconds / floor_seconds,
    );
    Ok(())
}

struct Floor {
    rows: usize,
    documents: usize,
    tables: f64,
    search: f64,
    /// Writing the transaction's pages out, for tables and search index alike.
    commit: f64,
    /// The tables that took longest, with their seconds.
    slowest: Vec<String>,
}

/// Copies every table of `source` (but the search index's own) into `book`, in the order the
/// schema created them (parents before children), then the search documents, which FTS5
/// indexes as it would any.
fn copy_every_row(book: &Path, source: &Path) -> Outcome<Floor> {
    let conn = rusqlite::Connection::open(book)?;
    conn.execute_batch(
        "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;",
    )?;
    conn.execute("ATTACH DATABASE ?1 AS source", [source.display().to_string()])?;
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM main.sqlite_master WHERE type = 'table'
             AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'customer\\_search%' ESCAPE '\\'
             ORDER BY rowid",
        )?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    conn.execute_batch("BEGIN")?;
    // A new book holds its settings already: the demo's replace them.
    conn.execute_batch("DELETE FROM main.settings")?;
    let mut rows = 0;
    let mut tables_seconds = 0.0;
    let mut timings = Vec::new();
    for table in &tables {
        let started = Instant::now();
        rows +=
            conn.execute(&format!("INSERT INTO main.\"{table}\" SELECT * FROM source.\"{table}\""), [])?;
        let seconds = started.elapsed().as_secs_f64();
        tables_seconds += seconds;
        timings.push((seconds, table.clone()));
    }
    let started = Instant::now();
    let documents = conn.execute(
        "INSERT INTO main.customer_search (rowid, name, other, items, digits)
         SELECT rowid, name, other, items, digits FROM source.customer_search",
        [],
    )?;
    let search = started.elapsed().as_secs_f64();
    let started = Instant::now();
    conn.execute_batch("COMMIT")?;
    let commit = started.elapsed().as_secs_f64();
    timings.sort_by(|a, b| b.0.total_cmp(&a.0));
    let slowest = timings.iter().take(4).map(|(seconds, table)| format!("{table} {seconds:.2} s")).collect();
    Ok(Floor { rows, documents, tables: tables_seconds, search, commit, slowest })
}
