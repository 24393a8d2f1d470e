//! Where customers stand, on a big book: `cargo bench -p loupe-core --bench standing`. By
//! default the book has 100,000 customers and 1,000,000 purchases (see common/mod.rs to change
//! it or reuse a book).
//!
//! - the whole book's re-evaluation (the daily one, on a new day), against the aggregate it
//!   rests on (spend, count, first and last purchase per customer over the window, into a
//!   TEMP table) run by SQLite alone on a connection of its own, and by the `sqlite3` shell
//!   itself when the machine has one (the yardstick): the target is at most twice as long;
//! - the same after a change of the rules (every customer placed again, many rows rewritten);
//! - a customer's re-evaluation against the last ranking, as after a sale: target well under
//!   5 ms; and the whole sale with it, for scale.

mod common;
#[path = "common/shell.rs"]
mod shell;

use std::time::{Duration, Instant};

use chrono::{Days, Months};
use loupe_core::model::*;
use rust_decimal::Decimal;

fn median(mut timings: Vec<Duration>) -> Duration {
    timings.sort();
    timings[timings.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (mut book, _dir) = common::bench_book(10)?;
    without_follow_up(&mut book)?;
    let stats = book.stats()?;
    println!("book: {} customers, {} purchases", stats.customers, stats.purchases);
    let today = loupe_core::today();
    let window = today.checked_sub_months(Months::new(24)).unwrap_or(today).to_string();
    let currency = book.settings()?.default_currency;

    let sqlite = rusqlite::Connection::open(book.path())?;
    let mut aggregate = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        sqlite.execute_batch("DROP TABLE IF EXISTS temp.window_spend")?;
        sqlite.execute(
            "CREATE TEMP TABLE window_spend AS
             SELECT customer_id, sum(total_units) FILTER (WHERE purchased_on >= ?1 AND currency = ?2) AS spend,
                    count(*) AS purchases, min(purchased_on) AS first_on, max(purchased_on) AS last_on
             FROM purchases GROUP BY customer_id",
            rusqlite::params![window, currency],
        )?;
        aggregate.push(started.elapsed());
    }
    drop(sqlite);
    let aggregate = median(aggregate);
    let shell = shell_aggregate(book.path(), &window, &currency);

    let mut daily = Vec::new();
    let mut moves = 0;
    for day in 1..=3 {
        let started = Instant::now();
        let refreshed = book.refresh_standing_on(today.checked_add_days(Days::new(day)).unwrap_or(today))?;
        daily.push(started.elapsed());
        moves += refreshed.changes;
    }
    book.refresh_standing_on(today)?;
    let daily = median(daily);

    let mut rules = Vec::new();
    for threshold in [15_000, 20_000, 15_000] {
        let mut settings = book.settings()?;
        settings.standing.vip_min_spend = Decimal::from(threshold);
        let started = Instant::now();
        book.update_settings(&settings)?;
        rules.push(started.elapsed());
    }
    let rules = median(rules);

    let ms = |duration: Duration| duration.as_secs_f64() * 1e3;
    println!("aggregate alone (SQLite into a TEMP table), median of 3: {:.0} ms", ms(aggregate));
    println!(
        "whole-book re-evaluation on a new day, median of 3: {:.0} ms = {:.2}x the aggregate ({moves} moves in 3 days)",
        ms(daily),
        daily.as_secs_f64() / aggregate.as_secs_f64()
    );
    println!(
        "whole-book re-evaluation after a change of rules, median of 3: {:.0} ms = {:.2}x the aggregate",
        ms(rules),
        rules.as_secs_f64() / aggregate.as_secs_f64()
    );
    match shell {
        Some(shell) => println!(
            "the same aggregate in the sqlite3 shell (its own SQLite), median of 3: {:.0} ms; the daily re-evaluation is {:.2}x it",
            ms(shell),
            daily.as_secs_f64() / shell.as_secs_f64()
        ),
        None => println!("no sqlite3 shell on this machine: only the in-process aggregate above"),
    }

    let mut rng = fastrand::Rng::with_seed(7);
    let mut timings = Vec::new();
    for _ in 0..1_000 {
        let id = rng.i64(1..=i64::from(stats.customers));
        let sale = PurchaseDraft {
            purchased_on: today,
            currency: String::new(),
            payments: Vec::new(),
            trade_ins: Vec::new(),
            collected_on: None,
            redemption: None,
            channel: SaleChannel::InStore,
            salesperson: String::new(),
            notes: String::new(),
            items: vec![PurchaseItem::priced(Decimal::from(rng.i64(100..30_000)))],
        }
        .paid_in_full(PaymentMethod::Card);
        let started = Instant::now();
        book.add_purchase(id, sale)?;
        timings.push(started.elapsed());
    }
    common::report("a sale with its customer's re-evaluation", &mut timings);

    let mut timings = Vec::new();
    for _ in 0..1_000 {
        let id = rng.i64(1..=i64::from(stats.customers));
        let started = Instant::now();
        book.reevaluate_standing(id)?;
        timings.push(started.elapsed());
    }
    common::report("a customer's re-evaluation alone", &mut timings);
    Ok(())
}

/// The aggregate as the `sqlite3` shell runs it (the yardstick), timed by the shell's own
/// `.timer` (`shell::timed_passes`: median of 3); None when there is no shell.
fn shell_aggregate(book: &std::path::Path, window: &str, currency: &str) -> Option<Duration> {
    let statement = format!(
        "CREATE TEMP TABLE window_spend AS \
         SELECT customer_id, sum(total_units) FILTER (WHERE purchased_on >= '{window}' AND currency = '{currency}') AS spend, \
         count(*) AS purchases, min(purchased_on) AS first_on, max(purchased_on) AS last_on \
         FROM purchases GROUP BY customer_id;"
    );
    shell::timed_passes(book, &[statement])
}

/// Switches every follow-up rule off: they run with the day's evaluation and after each sale,
/// and have a bench of their own (agenda.rs), so the standing's figures stay the standing's.
fn without_follow_up(book: &mut loupe_core::Book) -> Result<(), Box<dyn std::error::Error>> {
    let mut settings = book.settings()?;
    let rules = &mut settings.follow_up;
    for rule in [
        &mut rules.after_sale,
        &mut rules.check_in,
        &mut rules.birthdays,
        &mut rules.anniversaries,
        &mut rules.key_visits,
        &mut rules.re_engagement,
        &mut rules.service,
        &mut rules.care,
        &mut rules.tier_upgrades,
        &mut rules.give_back,
    ] {
        *rule = false;
    }
    book.update_settings(&settings)?;
    Ok(())
}
