//! Type-ahead search latency on a demo book: `cargo bench -p loupe-core --bench search`.
//! Prints p50/p95/p99 over realistic keystroke sequences (each prefix of names, companies,
//! emails, phone numbers and serial numbers, as a dealer types them): the search box's answer
//! (`search`: the best customers and the pieces), the exact count it asks for after when more
//! match (`count_matches`, "See all N"), and the customers alone (`search_customers`, the
//! form's "referred by"), measured in turn on the same book.
//! See common/mod.rs for the book's size and LOUPE_BENCH_DB. Before timing, it checks that the
//! expected customer comes first for a fixed list of queries (`ranking`), and fails if not.

mod common;

use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (book, _dir) = common::bench_book(3)?;

    ranking(&book)?;

    let typed = [
        "Wang",
        "wang xiaoming",
        "wxm",
        "王小明",
        "小明",
        "Müller",
        "muller",
        "Zoë Schmidt",
        "O'Brien",
        "Patel",
        "Chan Wing",
        "Sophie",
        "佐藤",
        "Hatton Garden",
        "Nestlé",
        "vip",
        "patek",
        "gmail",
        "olivia.smith",
        "+44 7400 12",
        "07400 123 4",
        "0044 7400",
        "7946 0",
        "138 0013",
        "+41 78",
        "116500LN",
        "A0012",
        "xyzzy",
        "a",
    ];
    let mut queries = Vec::new();
    for text in typed {
        let chars: Vec<char> = text.chars().collect();
        for end in 1..=chars.len() {
            queries.push(chars[..end].iter().collect::<String>());
        }
    }
    // Warm the page cache and statement cache as a running app would be.
    for query in &queries {
        book.search(query, 20)?;
    }
    let mut answers = Timings::default();
    let mut counts = Timings::default();
    let mut customers = Timings::default();
    let (mut results, mut pieces, mut counted) = (0, 0, 0u64);
    for _ in 0..5 {
        for query in &queries {
            let started = Instant::now();
            let found = book.search(query, 20)?;
            answers.add(started.elapsed(), query);
            results += found.customers.len();
            pieces += found.pieces.len();

            if found.more {
                let started = Instant::now();
                counted += u64::from(book.count_matches(query)?);
                counts.add(started.elapsed(), query);
            } else {
                counted += found.customers.len() as u64;
            }

            let started = Instant::now();
            book.search_customers(query, 20)?;
            customers.add(started.elapsed(), query);
        }
    }
    answers.report(&format!("search box (customers, pieces), {results} results, {pieces} pieces"));
    counts.report(&format!("\"See all N\" (count_matches, when more match), {counted} counted in all"));
    customers.report("customers alone (search_customers)");
    Ok(())
}

/// The customer a dealer expects first for each query: names as written, in pinyin with and
/// without spaces and tones, by initials, and an email address typed in full.
fn ranking(book: &loupe_core::Book) -> Result<(), Box<dyn std::error::Error>> {
    let mut expected: Vec<(String, String)> = [
        ("王小明", "王小明"),
        ("wangxiaoming", "王小明"),
        ("wang xiaoming", "王小明"),
        ("wáng xiǎo míng", "王小明"),
        ("zhang wei", "张伟"),
        ("chenjing", "陈静"),
        ("liuzihan", "刘子涵"),
        ("Olivia Smith", "Olivia Smith"),
        ("smith olivia", "Olivia Smith"),
        ("Zoë Schmidt", "Zoë Schmidt"),
    ]
    .map(|(query, name)| (query.to_string(), name.to_string()))
    .to_vec();
    // A customer's own address finds them first, whoever shares their name.
    for id in [1, 4_242, 77_777] {
        if let Ok(customer) = book.customer(id)
            && let Some(email) = customer.profile.emails.first()
        {
            expected.push((email.address.clone(), customer.profile.full_name.clone()));
        }
    }
    let mut wrong = Vec::new();
    for (query, name) in &expected {
        let first = book.search(query, 20)?.customers.into_iter().next().map(|row| row.full_name);
        if first.as_deref() != Some(name.as_str()) {
            wrong.push(format!("{query:?}: expected {name}, first was {first:?}"));
        }
    }
    println!(
        "ranking: {} of {} queries put the expected customer first",
        expected.len() - wrong.len(),
        expected.len()
    );
    if wrong.is_empty() { Ok(()) } else { Err(wrong.join("; ").into()) }
}

#[derive(Default)]
struct Timings<'a> {
    all: Vec<Duration>,
    per_query: Vec<(Duration, &'a str)>,
}

impl<'a> Timings<'a> {
    fn add(&mut self, elapsed: Duration, query: &'a str) {
        self.all.push(elapsed);
        self.per_query.push((elapsed, query));
    }

    fn report(mut self, label: &str) {
        if let Some(path) = std::env::var_os("LOUPE_BENCH_EACH") {
            self.write_medians(label, std::path::Path::new(&path));
        }
        if std::env::var_os("LOUPE_BENCH_SLOWEST").is_some() {
            self.per_query.sort();
            println!("{label}, slowest:");
            for (elapsed, query) in self.per_query.iter().rev().take(25) {
                println!("{:>8.2} ms  {query}", elapsed.as_secs_f64() * 1e3);
            }
        }
        common::report(label, &mut self.all);
    }

    /// Appends each query's median to `path` (label, query, ms), to compare two builds query by
    /// query.
    fn write_medians(&self, label: &str, path: &std::path::Path) {
        let mut by_query: std::collections::BTreeMap<&str, Vec<Duration>> = std::collections::BTreeMap::new();
        for (elapsed, query) in &self.per_query {
            by_query.entry(query).or_default().push(*elapsed);
        }
        let mut lines = String::new();
        for (query, mut times) in by_query {
            times.sort();
            let median = times[times.len() / 2];
            lines.push_str(&format!("{label}\t{query}\t{:.3}\n", median.as_secs_f64() * 1e3));
        }
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .and_then(|mut file| std::io::Write::write_all(&mut file, lines.as_bytes()));
        if let Err(error) = written {
            eprintln!("could not write each query's median to {}: {error}", path.display());
        }
    }
}
