//! Membership tiers on a big book: `cargo bench -p loupe-core --bench membership`. By default
//! the book has 100,000 customers and 1,000,000 purchases (see common/mod.rs to change it or
//! reuse a book).
//!
//! - every customer's tier replayed from their sales (after a load, or a change of the rules),
//!   against what it rests on: the purchases read and grouped by customer in the order of their
//!   days, run by SQLite alone into a TEMP table (a floor no replay can beat);
//! - the day's evaluation of tiers, which replays only those time may have moved (a kept tier
//!   run out, a sale typed in ahead of its day), a month, two and three after the last;
//! - a change of the rules (Gold's threshold) through the settings, every tier written again;
//! - a sale for a member with the tier's discount, their points and their tier re-evaluated;
//! - a customer's membership as the customer page reads it.

mod common;

use std::time::{Duration, Instant};

use chrono::Days;
use loupe_core::model::*;
use rust_decimal::Decimal;

fn median(mut timings: Vec<Duration>) -> Duration {
    timings.sort();
    timings[timings.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (mut book, _dir) = common::bench_book(10)?;
    let stats = book.stats()?;
    println!("book: {} customers, {} purchases", stats.customers, stats.purchases);
    let today = loupe_core::today();

    let sqlite = rusqlite::Connection::open(book.path())?;
    let mut floor = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        sqlite.execute_batch(
            "DROP TABLE IF EXISTS temp.sales_by_customer;
             CREATE TEMP TABLE sales_by_customer AS
             SELECT customer_id, purchased_on, currency, total_units FROM purchases
             ORDER BY customer_id, purchased_on",
        )?;
        floor.push(started.elapsed());
    }
    drop(sqlite);
    let floor = median(floor);

    let later = |months: u64| today.checked_add_days(Days::new(months * 30)).unwrap_or(today);
    let mut everyone = Vec::new();
    for months in 1..=3 {
        let started = Instant::now();
        book.replay_every_tier_on(later(months))?;
        everyone.push(started.elapsed());
    }
    book.replay_every_tier_on(today)?;
    let everyone = median(everyone);

    let mut daily = Vec::new();
    let mut changes = 0;
    for months in 1..=3 {
        let started = Instant::now();
        changes += book.refresh_tiers_on(later(months))?;
        daily.push(started.elapsed());
        book.replay_every_tier_on(today)?;
    }
    let daily = median(daily);

    let mut rules = Vec::new();
    for threshold in [40_000, 50_000, 40_000] {
        let mut settings = book.settings()?;
        settings.membership.tiers[2].min_spend = Some(Decimal::from(threshold));
        let started = Instant::now();
        book.update_settings(&settings)?;
        rules.push(started.elapsed());
    }
    let rules = median(rules);
    let overview = book.membership_overview()?;

    let ms = |duration: Duration| duration.as_secs_f64() * 1e3;
    println!(
        "the sales read and grouped by SQLite alone (into a TEMP table), median of 3: {:.0} ms",
        ms(floor)
    );
    println!(
        "every customer's tier replayed on a later day, median of 3: {:.0} ms = {:.2}x that",
        ms(everyone),
        everyone.as_secs_f64() / floor.as_secs_f64()
    );
    println!(
        "the day's evaluation of tiers a month, two and three later, median of 3: {:.0} ms ({changes} changes in 3 runs)",
        ms(daily)
    );
    println!(
        "the same after a change of the rules, median of 3: {:.0} ms = {:.2}x ({} of them evaluated)",
        ms(rules),
        rules.as_secs_f64() / floor.as_secs_f64(),
        stats.customers
    );
    let members: Vec<String> =
        overview.tiers.iter().map(|tier| format!("{} {}", tier.tier.name.en, tier.count)).collect();
    println!("members: {}; not members {}", members.join(", "), overview.non_members);

    let mut rng = fastrand::Rng::with_seed(7);
    let mut timings = Vec::new();
    for _ in 0..1_000 {
        let id = rng.i64(1..=i64::from(stats.customers));
        let membership = book.membership(id)?;
        let price = Decimal::from(rng.i64(100..30_000));
        let item =
            match membership.and_then(|membership| Some((membership.tier?, membership.discount_percent))) {
                Some((tier, percent)) => PurchaseItem {
                    discount: loupe_core::member_discount_amount(price, percent),
                    member_discount: Some(MemberDiscount { tier, percent }),
                    ..PurchaseItem::priced(price)
                },
                None => PurchaseItem::priced(price),
            };
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
            items: vec![item],
        }
        .paid_in_full(PaymentMethod::Card);
        let started = Instant::now();
        book.add_purchase(id, sale)?;
        timings.push(started.elapsed());
    }
    common::report("a member's sale with the discount, points, standing and tier", &mut timings);

    let mut timings = Vec::new();
    for _ in 0..1_000 {
        let id = rng.i64(1..=i64::from(stats.customers));
        let started = Instant::now();
        book.membership(id)?;
        timings.push(started.elapsed());
    }
    common::report("a customer's membership as the page reads it", &mut timings);
    Ok(())
}
