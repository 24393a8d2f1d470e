//! A mailing list export against the `sqlite3` shell writing the equivalent SELECT to CSV,
//! side by side on the same book: `LOUPE_BENCH_DB=<book> cargo bench -p loupe-cli --bench mailing`.
//!
//! The book is only read. Without `LOUPE_BENCH_DB` a demo book of 100,000 customers is built
//! first; the figure is for 1,000,000 (`loupe demo --customers 1000000`). Each side runs
//! three times as a process; the best time of each is compared.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

type Outcome<T> = Result<T, Box<dyn std::error::Error>>;

/// What `loupe export mailing-list --channel email` selects and writes, as one SELECT: the
/// opted-in customers with their primary email and tags, in name order.
const EQUIVALENT_SELECT: &str = "
SELECT CASE WHEN c.title <> '' AND c.family_name <> '' THEN c.title || ' ' || c.family_name
            WHEN c.given_name <> '' THEN c.given_name ELSE c.full_name END AS Salutation,
       c.given_name AS \"First name\", c.family_name AS \"Last name\", c.full_name AS \"Full name\",
       e.address AS Email, c.language AS Language, c.customer_type AS Type,
       (SELECT group_concat(tag, ', ') FROM
           (SELECT tag FROM customer_tags WHERE customer_id = c.id ORDER BY position)) AS Tags
FROM customers c
JOIN customer_emails e ON e.id =
     (SELECT id FROM customer_emails WHERE customer_id = c.id ORDER BY is_primary DESC, position LIMIT 1)
WHERE (SELECT status FROM consents WHERE customer_id = c.id AND channel = 'email') = 'opted_in'
ORDER BY c.sort_name, c.id;";

fn main() -> Outcome<()> {
    let loupe = PathBuf::from(env!("CARGO_BIN_EXE_loupe"));
    let dir = tempfile::tempdir()?;
    let book = match std::env::var_os("LOUPE_BENCH_DB") {
        Some(book) => PathBuf::from(book),
        None => {
            let book = dir.path().join("book.sqlite3");
            run(Command::new(&loupe).arg("--db").arg(&book).args([
                "demo",
                "--customers",
                "100000",
                "--seed",
                "42",
            ]))?;
            book
        }
    };
    let customers =
        String::from_utf8(run(Command::new("sqlite3").arg(&book).arg("SELECT count(*) FROM customers"))?)?;
    let sqlite_out = dir.path().join("sqlite3.csv");
    let loupe_out = dir.path().join("loupe.csv");

    let sqlite_seconds = best_of_three(|| {
        let file = std::fs::File::create(&sqlite_out)?;
        let status = Command::new("sqlite3")
            .args(["-readonly", "-csv", "-header"])
            .arg(&book)
            .arg(EQUIVALENT_SELECT)
            .stdout(file)
            .status()?;
        if !status.success() {
            return Err("sqlite3 failed".into());
        }
        Ok(())
    })?;
    let loupe_seconds = best_of_three(|| {
        run(Command::new(&loupe)
            .arg("--db")
            .arg(&book)
            .args(["export", "mailing-list", "--channel", "email", "--out"])
            .arg(&loupe_out)
            .stderr(Stdio::null()))
        .map(drop)
    })?;
    let rows = |path: &Path| -> Outcome<usize> { Ok(csv::Reader::from_path(path)?.records().count()) };
    let (sqlite_rows, loupe_rows) = (rows(&sqlite_out)?, rows(&loupe_out)?);
    if sqlite_rows != loupe_rows {
        return Err(format!("the two lists differ: sqlite3 {sqlite_rows} rows, loupe {loupe_rows}").into());
    }
    println!(
        "email list from a book of {} customers ({loupe_rows} rows): sqlite3 SELECT to CSV {sqlite_seconds:.2} s, \
         loupe export {loupe_seconds:.2} s, ratio {:.2}x",
        customers.trim(),
        loupe_seconds / sqlite_seconds
    );
    Ok(())
}

fn best_of_three(mut once: impl FnMut() -> Outcome<()>) -> Outcome<f64> {
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let started = Instant::now();
        once()?;
        best = best.min(started.elapsed().as_secs_f64());
    }
    Ok(best)
}

fn run(command: &mut Command) -> Outcome<Vec<u8>> {
    let output = command.output()?;
    if !output.status.success() {
        return Err(format!("{command:?} failed: {}", String::from_utf8_lossy(&output.stderr)).into());
    }
    Ok(output.stdout)
}
