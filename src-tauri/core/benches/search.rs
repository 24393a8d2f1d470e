//! Type-ahead search latency on a demo book: `cargo bench -p loupe-core --bench search`.
//! Prints p50/p95/p99 over realistic keystroke sequences (each prefix of names, companies,
//! emails, phone numbers and serial numbers, as a dealer types them). See common/mod.rs for
//! the book's size and LOUPE_BENCH_DB.

mod common;

use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (book, _dir) = common::bench_book(3)?;

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
    common::report(&format!("search, {results} results"), &mut timings);
    Ok(())
}
