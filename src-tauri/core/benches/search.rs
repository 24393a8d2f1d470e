//! Type-ahead search latency on a demo book: `cargo bench -p loupe-core --bench search`.
//! Prints p50/p95/p99 over realistic keystroke sequences (each prefix of names, companies,
//! emails and phone numbers, as a dealer types them). Set LOUPE_BENCH_CUSTOMERS to change the
//! book size (default 100,000).

use std::time::{Duration, Instant};

use loupe_core::Book;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let customers: usize =
        std::env::var("LOUPE_BENCH_CUSTOMERS").ok().and_then(|n| n.parse().ok()).unwrap_or(100_000);
    // LOUPE_BENCH_DB reuses a book built earlier (`loupe demo`), to iterate on search alone.
    let dir = tempfile::tempdir()?;
    let book = match std::env::var_os("LOUPE_BENCH_DB") {
        Some(path) => Book::open(std::path::Path::new(&path))?,
        None => {
            let mut book = Book::open(&dir.path().join("bench.sqlite3"))?;
            let started = Instant::now();
            book.generate_demo(customers, 42, |_| {})?;
            println!("demo book of {customers} customers built in {:.1} s", started.elapsed().as_secs_f64());
            book
        }
    };

    let typed = [
        "Wang",
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
        "+44 7700 900",
        "07700 900 5",
        "0044 7700",
        "7946 0",
        "138 0013",
        "+41 79",
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
        book.search_customers(query, 20)?;
    }
    let mut timings: Vec<Duration> = Vec::new();
    let mut per_query: Vec<(Duration, &str)> = Vec::new();
    let mut results = 0;
    for _ in 0..5 {
        for query in &queries {
            let started = Instant::now();
            results += book.search_customers(query, 20)?.len();
            let elapsed = started.elapsed();
            timings.push(elapsed);
            per_query.push((elapsed, query));
        }
    }
    if std::env::var_os("LOUPE_BENCH_SLOWEST").is_some() {
        per_query.sort();
        for (elapsed, query) in per_query.iter().rev().take(25) {
            println!("{:>8.2} ms  {query}", elapsed.as_secs_f64() * 1e3);
        }
    }
    timings.sort();
    let at = |fraction: f64| timings[((timings.len() as f64 * fraction) as usize).min(timings.len() - 1)];
    println!(
        "{} searches ({} results): p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        timings.len(),
        results,
        at(0.50).as_secs_f64() * 1e3,
        at(0.95).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        timings[timings.len() - 1].as_secs_f64() * 1e3,
    );
    Ok(())
}
