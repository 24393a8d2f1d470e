//! Contacts import against the `sqlite3` shell's `.import`, side by side on this machine:
//! `cargo bench -p loupe-cli --bench import`.
//!
//! 1. A demo book of 100,000 customers (`LOUPE_BENCH_DB` reuses a copy of one built earlier).
//! 2. A 100,000-row visitor log (names, emails, phones in every usual format, companies,
//!    notes; one row in twenty is someone the book already has, one in fifty a repeat).
//! 3. `sqlite3 bare.db .import` of that file into a bare table, then `loupe import contacts`
//!    of it into a copy of the book; both as processes, timed the same way.
//! 4. The floor under any import into this book: SQLite itself (Loupe's own, bundled) writing
//!    the rows that import created (INSERT … SELECT from the imported book into a copy of the
//!    book as it was, nothing read, checked or matched), the tables and the search index timed
//!    apart. Steps 3 and 4 take turns for three rounds; the ratio is of their medians.
//! 5. Peak memory (`/usr/bin/time`'s maximum RSS) of `loupe import contacts` with a
//!    1,000,000-row file into an empty book.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

type Outcome<T> = Result<T, Box<dyn std::error::Error>>;

fn main() -> Outcome<()> {
    let loupe = PathBuf::from(env!("CARGO_BIN_EXE_loupe"));
    let dir = tempfile::tempdir()?;
    let book = dir.path().join("book.sqlite3");
    match std::env::var_os("LOUPE_BENCH_DB") {
        Some(source) => copy_to_disk(Path::new(&source), &book)?,
        None => {
            let started = Instant::now();
            run(Command::new(&loupe).arg("--db").arg(&book).args([
                "demo",
                "--customers",
                "100000",
                "--seed",
                "42",
            ]))?;
            println!("demo book of 100,000 customers built in {:.1} s", started.elapsed().as_secs_f64());
        }
    }
    // Opened once, so that a book of an older version is migrated before anything is timed
    // and the floor's copies have the same schema; every import goes into a copy.
    run(Command::new(&loupe).arg("--db").arg(&book).arg("stats"))?;
    // Customers who come back give their own name with their email: the same email under
    // another name would only be a likely match, not a merge.
    let listed = run(Command::new("sqlite3").arg("-separator").arg("\t").arg(&book).arg(
        "SELECT c.full_name, e.address FROM customer_emails e JOIN customers c ON c.id = e.customer_id
         WHERE e.is_primary = 1",
    ))?;
    let known: Vec<(String, String)> = String::from_utf8(listed)?
        .lines()
        .filter_map(|line| line.split_once('\t'))
        .map(|(name, email)| (name.to_string(), email.to_string()))
        .collect();
    let visitors = dir.path().join("visitors.csv");
    write_visitor_log(&visitors, 100_000, 7, &known)?;
    let megabytes = std::fs::metadata(&visitors)?.len() as f64 / 1e6;

    let bare = dir.path().join("bare.sqlite3");
    let started = Instant::now();
    run(Command::new("sqlite3")
        .arg(&bare)
        .args([".mode csv", &format!(".import {} visitors", visitors.display())]))?;
    let sqlite_seconds = started.elapsed().as_secs_f64();

    // Rounds of the import and its floor in turn, each on a fresh copy of the book, with
    // everything written before on disk: the kernel writing back one run's pages during the
    // next made the floor alone range from 6.7 to 11.3 s between runs of this bench.
    let mut imports = Vec::with_capacity(ROUNDS);
    let mut floors = Vec::with_capacity(ROUNDS);
    let mut summary = serde_json::Value::Null;
    for round in 1..=ROUNDS {
        let imported = dir.path().join("imported.sqlite3");
        copy_to_disk(&book, &imported)?;
        flush_everything()?;
        let started = Instant::now();
        let output = run(Command::new(&loupe)
            .arg("--db")
            .arg(&imported)
            .args(["import", "contacts"])
            .arg(&visitors)
            .arg("--json"))?;
        let loupe_seconds = started.elapsed().as_secs_f64();
        summary = serde_json::from_slice(&output)?;
        let batch = summary["batch_id"].as_i64().ok_or("the import printed no batch_id")?;
        let floor_book = dir.path().join("floor.sqlite3");
        copy_to_disk(&book, &floor_book)?;
        flush_everything()?;
        let floor = write_created_rows(&floor_book, &imported, batch)?;
        let floor_seconds = floor.tables + floor.search;
        println!(
            "round {round}: loupe import {loupe_seconds:.2} s; the same {} new people written by SQLite itself: \
             tables {:.2} s (standing and tier rows {:.2} s of it), search index {:.2} s, together \
             {floor_seconds:.2} s; {:.2}x",
            summary["created"],
            floor.tables,
            floor.standing_and_tier,
            floor.search,
            loupe_seconds / floor_seconds,
        );
        imports.push(loupe_seconds);
        floors.push(floor_seconds);
    }
    let (loupe_seconds, floor_seconds) = (median(&mut imports), median(&mut floors));
    println!(
        "100,000-row visitor log ({megabytes:.1} MB) into a 100,000-customer book, medians of {ROUNDS} rounds: \
         sqlite3 .import {sqlite_seconds:.2} s, loupe import {loupe_seconds:.2} s ({:.1}x .import), \
         the floor {floor_seconds:.2} s ({:.1}x .import); loupe import is {:.2}x that floor \
         (created {}, merged {}, duplicates {}, rejected {})",
        loupe_seconds / sqlite_seconds,
        floor_seconds / sqlite_seconds,
        loupe_seconds / floor_seconds,
        summary["created"],
        summary["merged"],
        summary["duplicates_in_file"],
        summary["rejected"],
    );

    let million = dir.path().join("million.csv");
    write_visitor_log(&million, 1_000_000, 8, &[])?;
    let empty = dir.path().join("empty.sqlite3");
    let started = Instant::now();
    let timed = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(&loupe)
        .arg("--db")
        .arg(&empty)
        .args(["import", "contacts"])
        .arg(&million)
        .output()?;
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&timed.stderr);
    let peak_kb: f64 = stderr.lines().last().unwrap_or("").trim().parse().unwrap_or(f64::NAN);
    if !timed.status.success() {
        return Err(format!("1,000,000-row import failed: {stderr}").into());
    }
    println!("1,000,000-row file into an empty book: {seconds:.1} s, peak memory {:.0} MB", peak_kb / 1024.0);
    Ok(())
}

/// How many times the import and its floor are timed, in turn.
const ROUNDS: usize = 3;

fn median(seconds: &mut [f64]) -> f64 {
    seconds.sort_by(f64::total_cmp);
    seconds[seconds.len() / 2]
}

/// Waits until every file written so far is on disk (`sync`), so that no timed step pays for
/// the pages of the one before.
fn flush_everything() -> Outcome<()> {
    run(&mut Command::new("sync")).map(drop)
}

/// Copies a book and waits until the copy is on disk: the kernel writing back a gigabyte of
/// copies during the timed import (and not during the floor, later) cost it 14.8 s against
/// 11.9 s in two runs one after the other.
fn copy_to_disk(from: &Path, to: &Path) -> Outcome<()> {
    std::fs::copy(from, to)?;
    std::fs::File::open(to)?.sync_all()?;
    Ok(())
}

fn run(command: &mut Command) -> Outcome<Vec<u8>> {
    let output = command.output()?;
    if !output.status.success() {
        return Err(format!("{command:?} failed: {}", String::from_utf8_lossy(&output.stderr)).into());
    }
    Ok(output.stdout)
}

/// Times SQLite itself (the same bundled SQLite as Loupe's, through rusqlite) copying what
/// import `batch` created in `imported` (its people with their emails, phones, consents, tags
/// and the rest, their standing and tier, its notes, then their search documents and searched
/// digits) into `before`, the same book as it
/// was, with the import's page cache and durability: statement by statement, so opening and
/// attaching are not counted. (The `sqlite3` shell of the system may be too old to read the
/// search index: FTS5's secure delete writes a newer format.)
fn write_created_rows(before: &Path, imported: &Path, batch: i64) -> Outcome<Floor> {
    // Each new person's rows, their standing and tier (computed, not read from the file) among
    // them: every customer has both.
    const CHILD_TABLES: &[&str] = &[
        "customer_emails",
        "customer_phones",
        "customer_addresses",
        "customer_occasions",
        "customer_preferences",
        "customer_tags",
        "consents",
        "customer_standing",
        "customer_membership",
    ];
    let created = "SELECT id FROM temp.created";
    let mut tables = vec![
        "BEGIN".to_string(),
        format!("INSERT INTO import_batches SELECT * FROM imported.import_batches WHERE id = {batch}"),
        format!("INSERT INTO customers SELECT * FROM imported.customers WHERE id IN ({created})"),
        format!(
            "UPDATE customer_type_counts SET customers = customers + (SELECT count(*) FROM imported.customers i
                WHERE i.id IN ({created}) AND i.customer_type = customer_type_counts.customer_type)"
        ),
    ];
    tables.extend(CHILD_TABLES.iter().map(|table| {
        format!("INSERT INTO {table} SELECT * FROM imported.{table} WHERE customer_id IN ({created})")
    }));
    tables.push(format!("INSERT INTO notes SELECT * FROM imported.notes WHERE import_batch_id = {batch}"));
    tables.push("COMMIT".to_string());
    let search = [
        "BEGIN".to_string(),
        format!(
            "INSERT INTO customer_search (rowid, name, other, items, digits)
             SELECT rowid, name, other, items, digits FROM imported.customer_search WHERE rowid IN ({created})"
        ),
        format!(
            "INSERT INTO search_digits SELECT * FROM imported.search_digits WHERE customer_id IN ({created})"
        ),
        "COMMIT".to_string(),
    ];
    let conn = rusqlite::Connection::open(before)?;
    conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768; PRAGMA foreign_keys = ON;")?;
    conn.execute("ATTACH DATABASE ?1 AS imported", [imported.display().to_string()])?;
    conn.execute(
        "CREATE TEMP TABLE created AS SELECT id FROM imported.customers WHERE import_batch_id = ?1",
        [batch],
    )?;
    let timed = |statements: &[String]| -> Outcome<Vec<f64>> {
        statements
            .iter()
            .map(|statement| {
                let started = Instant::now();
                conn.execute_batch(statement)?;
                Ok(started.elapsed().as_secs_f64())
            })
            .collect()
    };
    let tables_seconds = timed(&tables)?;
    let computed = tables.iter().zip(&tables_seconds).filter(|(statement, _)| {
        statement.contains("INSERT INTO customer_standing")
            || statement.contains("INSERT INTO customer_membership")
    });
    Ok(Floor {
        tables: tables_seconds.iter().sum(),
        standing_and_tier: computed.map(|(_, seconds)| seconds).sum(),
        search: timed(&search)?.iter().sum(),
    })
}

/// Seconds SQLite took to write what an import created.
struct Floor {
    tables: f64,
    /// Of `tables`: the standing and tier rows.
    standing_and_tier: f64,
    search: f64,
}

/// A fair's visitor log as a dealer's spreadsheet has it.
fn write_visitor_log(path: &Path, rows: usize, seed: u64, known: &[(String, String)]) -> Outcome<()> {
    const GIVEN: &[&str] =
        &["James", "Olivia", "Zoë", "Jürgen", "François", "Mei Ling", "Aarav", "Chiara", "Reto", "Sophie"];
    const FAMILY: &[&str] =
        &["Smith", "Müller", "Lefèvre", "Chan", "Patel", "Rossi", "Keller", "O'Brien", "Wong", "Taylor"];
    const COMPANIES: &[&str] =
        &["", "", "", "Barclays", "Hatton Garden Watches Ltd", "周大福珠宝", "Self-employed", "Nestlé"];
    const NOTES: &[&str] = &[
        "",
        "",
        "interested in a Daytona",
        "wants the Christmas catalogue",
        "bought a strap, \"very happy\"",
        "collects vintage Omega",
    ];
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut writer = csv::Writer::from_path(path)?;
    writer.write_record(["Name", "Email", "Phone", "Company", "Notes", "Newsletter"])?;
    for index in 0..rows {
        // One row in twenty is someone the book already has (by email);
        // one in fifty repeats an earlier visitor.
        let id = match rng.u8(0..100) {
            0..=4 if !known.is_empty() => None,
            5..=6 if index > 0 => Some(rng.usize(0..index)),
            _ => Some(index),
        };
        let (name, email) = match id {
            None => known[rng.usize(..known.len())].clone(),
            Some(person) => {
                let given = GIVEN[person % GIVEN.len()];
                let family = FAMILY[(person / GIVEN.len()) % FAMILY.len()];
                (format!("{given} {family}"), format!("visitor{person}@example.com"))
            }
        };
        let digits = 100_000 + id.unwrap_or(index) % 900_000;
        let phone = match rng.u8(0..4) {
            0 => format!("07400 {digits}"),
            1 => format!("+44 7400 {digits}"),
            2 => format!("0044 (0)7400 {digits}"),
            _ => format!("'+447400{digits}"),
        };
        writer.write_record([
            name.as_str(),
            email.as_str(),
            phone.as_str(),
            COMPANIES[rng.usize(..COMPANIES.len())],
            NOTES[rng.usize(..NOTES.len())],
            if rng.bool() { "yes" } else { "" },
        ])?;
    }
    writer.flush()?;
    Ok(())
}
