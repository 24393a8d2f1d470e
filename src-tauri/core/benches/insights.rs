//! Insights on a big book: `cargo bench -p loupe-core --bench insights`. By default the book has
//! 100,000 customers and 1,000,000 purchases (see common/mod.rs to change it or reuse one with
//! `LOUPE_BENCH_DB`).
//!
//! - every number of the last 12 months, the 12 before, the months, cohorts, brands and
//!   categories, for everyone and for one segment, on a read-only connection as the window
//!   reads them: target under 300 ms, and at most 2x the `sqlite3` shell running the equivalent
//!   queries into TEMP tables (the customers' purchase days, the last purchase by each end of
//!   those who bought after it, the three periods' sales by customer, the months, the scores,
//!   brands and categories, the segment and tier counts).

mod common;
#[path = "common/shell.rs"]
mod shell;

use std::time::{Duration, Instant};

use chrono::{Days, Months};
use loupe_core::Book;
use loupe_core::model::*;

fn median(mut timings: Vec<Duration>) -> Duration {
    timings.sort();
    timings[timings.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (mut book, _dir) = common::bench_book(10)?;
    book.refresh_standing_if_due()?;
    let stats = book.stats()?;
    println!("book: {} customers, {} purchases", stats.customers, stats.purchases);
    let today = loupe_core::today();
    let from = today.checked_sub_months(Months::new(12)).map_or(today, |day| day + Days::new(1));
    let reader = Book::open_reader(book.path())?;

    let measure = |label: &str, filter: CustomerFilter| -> Result<Duration, Box<dyn std::error::Error>> {
        let query = InsightsQuery { from, to: today, filter };
        let insights = reader.insights(&query)?;
        let mut timings = Vec::new();
        for _ in 0..20 {
            let started = Instant::now();
            reader.insights(&query)?;
            timings.push(started.elapsed());
        }
        let took = median(timings.clone());
        common::report(
            &format!(
                "{label}, the last 12 months ({} buyers, {} purchases, {} cohorts)",
                insights.period.buyers,
                insights.period.purchases,
                insights.cohorts.len()
            ),
            &mut timings,
        );
        Ok(took)
    };
    let everyone = measure("every number for everyone", CustomerFilter::default())?;
    measure(
        "for the VIP segment",
        CustomerFilter { segments: vec![Segment::Vip], ..CustomerFilter::default() },
    )?;

    let currency = book.settings()?.default_currency;
    match shell_equivalent(book.path(), &from.to_string(), &today.to_string(), &currency) {
        Some(shell) => println!(
            "the equivalent queries in the sqlite3 shell (into TEMP tables), median of 3: {:.0} ms; insights (median) are {:.2}x it",
            shell.as_secs_f64() * 1e3,
            everyone.as_secs_f64() / shell.as_secs_f64()
        ),
        None => println!("no sqlite3 shell on this machine: insights alone above"),
    }
    Ok(())
}

/// The same reads as the `sqlite3` shell runs them, timed by its `.timer` (a pass's statements
/// added up), median of 3; None when there is no shell.
fn shell_equivalent(book: &std::path::Path, from: &str, to: &str, currency: &str) -> Option<Duration> {
    let day = |text: &str| text.parse::<chrono::NaiveDate>().ok();
    let (first, last) = (day(from)?, day(to)?);
    let days = (last - first).num_days() + 1;
    let previous_to = first - Days::new(1);
    let previous_from = previous_to - Days::new(u64::try_from(days - 1).ok()?);
    let earlier_to = previous_from - Days::new(1);
    let earlier_from = earlier_to - Days::new(u64::try_from(days - 1).ok()?);
    let statements = [
        "CREATE TEMP TABLE days AS SELECT id, first_purchase_on, second_purchase_on, last_purchase_on \
         FROM customers WHERE first_purchase_on IS NOT NULL;"
            .to_string(),
        format!(
            "CREATE TEMP TABLE last_by_ends AS SELECT c.id, \
             (SELECT max(p.purchased_on) FROM purchases p WHERE p.customer_id = c.id AND p.purchased_on <= '{to}'), \
             (SELECT max(p.purchased_on) FROM purchases p WHERE p.customer_id = c.id AND p.purchased_on <= '{previous_to}') \
             FROM customers c WHERE c.second_purchase_on <= '{to}' AND c.last_purchase_on > '{previous_to}';"
        ),
        format!(
            "CREATE TEMP TABLE period AS SELECT customer_id, sum(total_units), count(*) FROM purchases \
             WHERE purchased_on BETWEEN '{from}' AND '{to}' AND currency = '{currency}' GROUP BY customer_id;"
        ),
        format!(
            "CREATE TEMP TABLE previous AS SELECT customer_id, sum(total_units), count(*) FROM purchases \
             WHERE purchased_on BETWEEN '{previous_from}' AND '{previous_to}' AND currency = '{currency}' GROUP BY customer_id;"
        ),
        format!(
            "CREATE TEMP TABLE earlier AS SELECT DISTINCT customer_id FROM purchases \
             WHERE purchased_on BETWEEN '{earlier_from}' AND '{earlier_to}' AND currency = '{currency}';"
        ),
        format!(
            "CREATE TEMP TABLE months AS SELECT substr(purchased_on, 1, 7), sum(total_units), count(*), count(DISTINCT customer_id) \
             FROM purchases WHERE purchased_on BETWEEN '{from}' AND '{to}' AND currency = '{currency}' GROUP BY 1;"
        ),
        format!(
            "CREATE TEMP TABLE scores AS SELECT customer_id, scored_on, score FROM satisfaction_scores \
             WHERE scored_on BETWEEN '{previous_from}' AND '{to}';"
        ),
        format!(
            "CREATE TEMP TABLE pieces AS SELECT i.brand, i.category, count(*), sum(i.price - i.discount) \
             FROM purchases p JOIN purchase_items i ON i.purchase_id = p.id \
             WHERE p.purchased_on BETWEEN '{from}' AND '{to}' AND p.currency = '{currency}' GROUP BY i.brand, i.category;"
        ),
        "CREATE TEMP TABLE segment_counts AS SELECT segment, count(*) FROM customers GROUP BY segment;"
            .to_string(),
        "CREATE TEMP TABLE tier_counts AS SELECT tier, count(*) FROM customer_membership GROUP BY tier;"
            .to_string(),
    ];
    shell::timed_passes(book, &statements)
}
