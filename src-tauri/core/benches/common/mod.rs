//! What the benchmarks share: the demo book they measure and how they report latencies.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use loupe_core::Book;

/// The book to measure: `LOUPE_BENCH_DB` reuses one built earlier (`loupe demo`), else a demo
/// book of `LOUPE_BENCH_CUSTOMERS` (default 100,000) customers with `LOUPE_BENCH_PURCHASES`
/// purchases (default `purchases_per_customer` each). Building one takes minutes, so the
/// built book is kept under `target/tmp/` by its size, seed and day (the demo dates sales
/// from today) and each run measures a fresh copy of it in a temporary folder, kept alive by
/// the returned guard. Delete `target/tmp/bench-book-*` to build them again.
pub fn bench_book(
    purchases_per_customer: usize,
) -> Result<(Book, tempfile::TempDir), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    if let Some(path) = std::env::var_os("LOUPE_BENCH_DB") {
        return Ok((Book::open_existing(Path::new(&path))?, dir));
    }
    let number = |name: &str, default: usize| {
        std::env::var(name).ok().and_then(|value| value.parse().ok()).unwrap_or(default)
    };
    let customers = number("LOUPE_BENCH_CUSTOMERS", 100_000);
    let purchases = number("LOUPE_BENCH_PURCHASES", customers * purchases_per_customer);
    let seed = 42;
    let cached = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "bench-book-{customers}-customers-{purchases}-purchases-seed-{seed}-on-{}.sqlite3",
        loupe_core::today()
    ));
    if !cached.is_file() {
        let building = dir.path().join("building.sqlite3");
        let mut book = Book::open(&building)?;
        let started = Instant::now();
        book.generate_demo(customers, purchases, seed, |_| {})?;
        println!(
            "demo book of {customers} customers and {purchases} purchases built in {:.1} s, kept as {}",
            started.elapsed().as_secs_f64(),
            cached.display()
        );
        // Closing the last connection folds the write-ahead log into the file.
        drop(book);
        std::fs::create_dir_all(env!("CARGO_TARGET_TMPDIR"))?;
        std::fs::copy(&building, cached.with_extension("partial"))?;
        std::fs::rename(cached.with_extension("partial"), &cached)?;
        std::fs::remove_file(&building)?;
    }
    let path = dir.path().join("bench.sqlite3");
    std::fs::copy(&cached, &path)?;
    Ok((Book::open_existing(&path)?, dir))
}

/// Prints p50, p95, p99 and max of `timings` under `label`.
pub fn report(label: &str, timings: &mut [Duration]) {
    timings.sort();
    let at = |fraction: f64| timings[((timings.len() as f64 * fraction) as usize).min(timings.len() - 1)];
    let ms = |duration: Duration| duration.as_secs_f64() * 1e3;
    println!(
        "{label} ({} runs): p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        timings.len(),
        ms(at(0.50)),
        ms(at(0.95)),
        ms(at(0.99)),
        ms(timings[timings.len() - 1]),
    );
}
