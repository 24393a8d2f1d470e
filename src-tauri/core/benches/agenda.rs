//! The follow-up agenda on a big book: `cargo bench -p loupe-core --bench agenda`. By default
//! the book has 100,000 customers and 1,000,000 purchases (see common/mod.rs to change it or
//! reuse one with `LOUPE_BENCH_DB`).
//!
//! - the day's pass of the rules over the whole book, on three later days, against the
//!   `sqlite3` shell reading the same causes into TEMP tables (the sales whose reminders can be
//!   due, birthdays, anniversaries, key customers with their last contact, customers at risk
//!   with their move, upgrades, members with care, the open reminders): target at most 2x;
//! - opening the agenda (a week ahead, with whose each reminder is and how to reach them) and
//!   the navigation's counts: target p95 under 50 ms;
//! - a sale with its customer's reminders reconciled, for scale.

mod common;
#[path = "common/shell.rs"]
mod shell;

use std::time::{Duration, Instant};

use chrono::{Days, Months, NaiveDate};
use loupe_core::model::*;
use rust_decimal::Decimal;

fn median(mut timings: Vec<Duration>) -> Duration {
    timings.sort();
    timings[timings.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (mut book, _dir) = common::bench_book(10)?;
    let stats = book.stats()?;
    let today = loupe_core::today();
    // The book as the window opens it: today's pass done.
    book.refresh_standing_if_due()?;
    println!(
        "book: {} customers, {} purchases, {} reminders",
        stats.customers,
        stats.purchases,
        book.stats()?.reminders
    );

    let mut passes = Vec::new();
    let mut made = 0;
    for days in 1..=3 {
        let day = today + Days::new(days);
        let started = Instant::now();
        let refresh = book.refresh_agenda_on(day)?;
        passes.push(started.elapsed());
        made += refresh.created;
    }
    let pass = median(passes);
    let ms = |duration: Duration| duration.as_secs_f64() * 1e3;
    println!(
        "the day's pass of the rules over the whole book, three later days, median: {:.0} ms ({made} reminders made)",
        ms(pass)
    );
    match shell_causes(book.path(), today + Days::new(2), &book.settings()?.follow_up) {
        Some(shell) => println!(
            "the same causes read by the sqlite3 shell into TEMP tables, median of 3: {:.0} ms; the pass is {:.2}x it",
            ms(shell),
            pass.as_secs_f64() / shell.as_secs_f64()
        ),
        None => println!("no sqlite3 shell on this machine: the pass alone above"),
    }
    book.refresh_agenda_on(today)?;

    let agenda = book.agenda(7)?;
    println!(
        "the agenda of today: {} overdue, {} today, {} this week, {} to thank this quarter ({} listed)",
        agenda.counts.overdue,
        agenda.counts.today,
        agenda.counts.week,
        agenda.counts.quarter,
        agenda.items.len()
    );
    let mut timings = Vec::new();
    for _ in 0..200 {
        let started = Instant::now();
        book.agenda(7)?;
        timings.push(started.elapsed());
    }
    common::report("the agenda opened, a week ahead", &mut timings);
    let mut timings = Vec::new();
    for _ in 0..1_000 {
        let started = Instant::now();
        book.agenda_counts()?;
        timings.push(started.elapsed());
    }
    common::report("the navigation's counts", &mut timings);

    let mut rng = fastrand::Rng::with_seed(11);
    let mut timings = Vec::new();
    for _ in 0..500 {
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
            items: vec![PurchaseItem {
                brand: "Omega".into(),
                ..PurchaseItem::priced(Decimal::from(rng.i64(100..9_000)))
            }],
        }
        .paid_in_full(PaymentMethod::Card);
        let started = Instant::now();
        book.add_purchase(id, sale)?;
        timings.push(started.elapsed());
    }
    common::report("a sale with its standing, tier and reminders", &mut timings);
    Ok(())
}

/// What the day's pass reads, as the `sqlite3` shell runs it (the yardstick), timed by
/// the shell's own `.timer` (the statements of a pass added up), median of 3; None when there
/// is no shell.
fn shell_causes(book: &std::path::Path, today: NaiveDate, rules: &FollowUpRules) -> Option<Duration> {
    let back = |days: u64| today - Days::new(days);
    let ahead = |days: u64| today + Days::new(days);
    let years_back =
        |day: NaiveDate, years: u32| day.checked_sub_months(Months::new(years * 12)).unwrap_or(day);
    let mut windows =
        vec![(back(30 + u64::from(rules.check_in_days)), ahead(92 - u64::from(rules.after_sale_days)))];
    let mut years: Vec<u32> = rules.service_brands.iter().map(|interval| interval.years).collect();
    years.push(rules.service_years);
    years.sort_unstable();
    years.dedup();
    windows
        .extend(years.into_iter().map(|years| (years_back(back(30), years), years_back(ahead(93), years))));
    let mut statements: Vec<String> = windows
        .iter()
        .enumerate()
        .map(|(index, (from, to))| {
            format!(
                "CREATE TEMP TABLE sales_{index} AS SELECT p.id, p.customer_id, p.purchased_on, p.currency, p.total_units, \
                 i.category, i.brand, i.model FROM purchases p JOIN purchase_items i ON i.purchase_id = p.id \
                 WHERE p.purchased_on BETWEEN '{from}' AND '{to}' ORDER BY p.id, i.position;"
            )
        })
        .collect();
    let since = back(30);
    statements.extend([
        "CREATE TEMP TABLE birthdays AS SELECT id, birthday FROM customers WHERE birthday IS NOT NULL;".to_string(),
        "CREATE TEMP TABLE occasions AS SELECT customer_id, label, date FROM customer_occasions WHERE kind = 'anniversary';"
            .to_string(),
        "CREATE TEMP TABLE key_customers AS SELECT s.customer_id, substr(c.created_at, 1, 10), c.last_purchase_on, \
         (SELECT max(i.occurred_on) FROM interactions i WHERE i.customer_id = s.customer_id) \
         FROM customer_standing s JOIN customers c ON c.id = s.customer_id WHERE s.segment = 'vip' OR s.value_class = 'key';"
            .to_string(),
        "CREATE TEMP TABLE at_risk AS SELECT s.customer_id, c.last_purchase_on, (SELECT max(g.changed_on) FROM standing_changes g \
         WHERE g.customer_id = s.customer_id AND g.kind = 'segment' AND g.to_value = 'at_risk') \
         FROM customer_standing s JOIN customers c ON c.id = s.customer_id WHERE s.segment = 'at_risk';"
            .to_string(),
        format!(
            "CREATE TEMP TABLE upgrades AS SELECT customer_id, changed_on, from_json, to_json FROM tier_changes \
             WHERE upgrade = 1 AND to_json IS NOT NULL AND changed_on >= '{since}';"
        ),
        "CREATE TEMP TABLE caring AS SELECT m.customer_id, m.tier, (SELECT min(p.purchased_on) FROM purchases p \
         WHERE p.customer_id = m.customer_id AND EXISTS (SELECT 1 FROM purchase_items i WHERE i.purchase_id = p.id AND i.category <> 'watch')) \
         FROM customer_membership m WHERE m.tier = 'gold';"
            .to_string(),
        "CREATE TEMP TABLE open_reminders AS SELECT id, customer_id, rule_key, purchase_id, due_on, expires_on, reason_json, \
         snoozed_until IS NOT NULL, kind FROM reminders WHERE state = 'open' AND rule_key IS NOT NULL;"
            .to_string(),
    ]);
    shell::timed_passes(book, &statements)
}
