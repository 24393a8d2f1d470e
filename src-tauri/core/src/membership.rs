//! Membership tiers (seed 001): which tier each customer holds, computed from their sales by
//! the `membership` rules and kept in `customer_membership` for the list; rises and falls
//! recorded in `tier_changes`. The rule, replayed over a customer's sales from the first:
//! on each day they hold the highest tier they qualify for; a tier once reached is kept until
//! `grace_months` after the last day they qualified for it (or a higher one), then they step
//! down one tier, which is kept as long again unless they qualify for it.

use std::ops::RangeInclusive;

use chrono::{Datelike, Months, NaiveDate};
use rusqlite::{Connection, OptionalExtension, params};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::customers::parse_column;
use crate::error::Result;
use crate::model::*;
use crate::purchases::{from_units, units};
use crate::settings::read_settings;
use crate::store::Book;

/// One sale as tiers count it: its day, its amount in the book's currency in units (None: a
/// currency without a rate), and whether it is a purchase at all (a sale of nothing is not).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Counted {
    pub day: NaiveDate,
    pub units: Option<i64>,
}

/// How a sale's total in `currency` counts in the book's currency, in units: itself, at the
/// dealer's rate, or not at all.
pub(crate) fn counted_units(
    units: i64,
    currency: &str,
    book_currency: &str,
    rules: &MembershipRules,
) -> Option<i64> {
    if currency == book_currency {
        return Some(units);
    }
    let rate = rules.rates.iter().find(|rate| rate.currency == currency)?.rate;
    let converted = (Decimal::new(units, 4) * rate).round_dp_with_strategy(4, RoundingStrategy::ToZero);
    crate::purchases::units(converted)
}

/// The spend (units) and purchases within `tier`'s window on `day`: sales on or before it and,
/// with a window, after the day `window_months` before it.
fn measure(sales: &[Counted], tier: &Tier, day: NaiveDate) -> (i64, u32) {
    let after = tier.window_months.map(|months| before(day, months));
    let mut spend = 0_i64;
    let mut purchases = 0_u32;
    for sale in sales.iter().filter(|sale| sale.day <= day && after.is_none_or(|after| sale.day > after)) {
        purchases += 1;
        spend = spend.saturating_add(sale.units.unwrap_or(0));
    }
    (spend, purchases)
}

fn before(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_sub_months(Months::new(months)).unwrap_or(NaiveDate::MIN)
}

fn after(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

fn qualifies(tier: &Tier, (spend, purchases): (i64, u32)) -> bool {
    tier.min_spend.and_then(units).is_some_and(|min| spend >= min)
        || tier.min_purchases.is_some_and(|min| purchases >= min)
}

/// The highest tier (its index) qualified for on `day`.
fn highest(sales: &[Counted], tiers: &[Tier], day: NaiveDate) -> Option<usize> {
    tiers.iter().rposition(|tier| qualifies(tier, measure(sales, tier, day)))
}

/// A move of the held tier in the replay.
#[derive(Debug, Clone, PartialEq)]
struct Transition {
    day: NaiveDate,
    to: Option<usize>,
    upgrade: bool,
    reason: TierReason,
}

/// Where the replay of a customer's sales leaves them on `today`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Held {
    tier: Option<usize>,
    since: Option<NaiveDate>,
    /// The last day the tier is kept without a new sale; None for a tier kept for ever.
    keeps_until: Option<NaiveDate>,
    reason: Option<TierReason>,
    last: Option<Transition>,
}

/// The days the highest tier qualified for may change: each sale's day and the day it leaves
/// each window.
fn turning_days(sales: &[Counted], tiers: &[Tier]) -> Vec<NaiveDate> {
    let mut windows: Vec<u32> = tiers.iter().filter_map(|tier| tier.window_months).collect();
    windows.sort_unstable();
    windows.dedup();
    let mut days: Vec<NaiveDate> = Vec::with_capacity(sales.len() * (1 + windows.len()));
    for sale in sales {
        days.push(sale.day);
        days.extend(windows.iter().map(|&months| after(sale.day, months)));
    }
    days.sort_unstable();
    days.dedup();
    days
}

/// Replays `sales` (in any order) under `rules` up to `today`.
pub(crate) fn replay(sales: &[Counted], rules: &MembershipRules, today: NaiveDate) -> Held {
    let tiers = &rules.tiers;
    let grace = |day: NaiveDate| after(day, rules.grace_months);
    let days = turning_days(sales, tiers);
    let mut held: Option<usize> = None;
    let mut since: Option<NaiveDate> = None;
    // The last day the held tier is kept, while it is not qualified for.
    let mut kept_until: Option<NaiveDate> = None;
    let mut last: Option<Transition> = None;
    // For each tier, the last day they qualified for it or a higher one.
    let mut last_qualified: Vec<Option<NaiveDate>> = vec![None; tiers.len()];
    let past: Vec<NaiveDate> = days.iter().copied().filter(|day| *day <= today).collect();
    for (index, &day) in past.iter().enumerate() {
        // The highest tier qualified for is the same from `day` to `end`.
        let end = past.get(index + 1).map_or(today, |next| next.pred_opt().unwrap_or(*next));
        let qualified = highest(sales, tiers, day);
        for slot in last_qualified.iter_mut().take(qualified.map_or(0, |index| index + 1)) {
            *slot = Some(end);
        }
        if qualified > held {
            let tier = &tiers[qualified.unwrap_or_default()];
            let (spend, purchases) = measure(sales, tier, day);
            last = Some(Transition {
                day,
                to: qualified,
                upgrade: true,
                reason: TierReason::Qualified {
                    spend: from_units(spend),
                    purchases,
                    window_months: tier.window_months,
                },
            });
            held = qualified;
            since = Some(day);
        }
        if held.is_some() && qualified >= held {
            kept_until = Some(grace(end));
            continue;
        }
        // Not qualified for the held tier: step down once its grace runs out, one tier at a time.
        while let (Some(tier), Some(until)) = (held, kept_until) {
            if until >= end {
                break;
            }
            let Some(step_day) = until.succ_opt() else { break };
            let lower = tier.checked_sub(1);
            last = Some(Transition {
                day: step_day,
                to: lower,
                upgrade: false,
                reason: TierReason::GraceEnded { kept_until: until },
            });
            held = lower;
            since = lower.map(|_| step_day);
            kept_until =
                if lower.is_some() && qualified >= lower { Some(grace(end)) } else { Some(grace(until)) };
        }
    }
    let Some(tier_index) = held else {
        return Held { tier: None, since: None, keeps_until: None, reason: None, last };
    };
    let tier = &tiers[tier_index];
    let qualified_today = highest(sales, tiers, today) >= held;
    if !qualified_today {
        let until = kept_until.unwrap_or(today);
        let last_qualified = last_qualified[tier_index].unwrap_or(today);
        return Held {
            tier: held,
            since,
            keeps_until: Some(until),
            reason: Some(TierReason::Kept { last_qualified, keeps_until: until }),
            last,
        };
    }
    // Qualified today: kept until the grace after the first day, with no new sale, they no
    // longer would be.
    let stops = days.iter().copied().find(|&day| day > today && highest(sales, tiers, day) < held);
    let keeps_until = stops.map(|day| grace(day.pred_opt().unwrap_or(day)));
    let (spend, purchases) = measure(sales, tier, today);
    Held {
        tier: held,
        since,
        keeps_until,
        reason: Some(TierReason::Qualified {
            spend: from_units(spend),
            purchases,
            window_months: tier.window_months,
        }),
        last,
    }
}

/// What the tier above the held one still asks on `today`.
fn next_tier(
    sales: &[Counted],
    rules: &MembershipRules,
    held: Option<usize>,
    today: NaiveDate,
) -> Option<NextTier> {
    let index = held.map_or(0, |held| held + 1);
    let tier = rules.tiers.get(index)?;
    let (spend, purchases) = measure(sales, tier, today);
    let spend_needed = tier.min_spend.and_then(units).map(|min| from_units((min - spend).max(0)));
    let purchases_needed = tier.min_purchases.map(|min| min.saturating_sub(purchases));
    let before_day = tier.window_months.and_then(|months| {
        let start = before(today, months);
        sales
            .iter()
            .filter(|sale| sale.day > start && sale.day <= today)
            .map(|sale| after(sale.day, months))
            .min()
    });
    Some(NextTier { tier: label(tier), spend_needed, purchases_needed, before: before_day })
}

pub(crate) fn label(tier: &Tier) -> TierLabel {
    TierLabel { key: tier.key.clone(), name: tier.name.clone() }
}

/// A customer's sales as tiers count them, and those in currencies without a rate.
fn customer_sales(
    conn: &Connection,
    customer_id: i64,
    book_currency: &str,
    rules: &MembershipRules,
) -> Result<(Vec<Counted>, Vec<UncountedSpend>)> {
    let mut sales = Vec::new();
    let mut uncounted: Vec<UncountedSpend> = Vec::new();
    let mut statement = conn.prepare_cached(
        "SELECT purchased_on, currency, total_units FROM purchases WHERE customer_id = ?1 ORDER BY purchased_on, id",
    )?;
    let mut rows = statement.query([customer_id])?;
    while let Some(row) = rows.next()? {
        let day: NaiveDate = parse_column(row, 0)?;
        let currency: String = row.get(1)?;
        let total: i64 = row.get(2)?;
        let counted = counted_units(total, &currency, book_currency, rules);
        if counted.is_none() {
            match uncounted.iter_mut().find(|spend| spend.currency == currency) {
                Some(spend) => {
                    spend.purchases += 1;
                    spend.amount += from_units(total);
                }
                None => uncounted.push(UncountedSpend { currency, purchases: 1, amount: from_units(total) }),
            }
        }
        sales.push(Counted { day, units: counted });
    }
    Ok((sales, uncounted))
}

/// What is stored of a customer's tier.
#[derive(Debug, Clone, PartialEq)]
struct Stored {
    tier: Option<String>,
    label: Option<TierLabel>,
    since: Option<String>,
    keeps_until: Option<String>,
}

impl Stored {
    /// Columns `first..first + 4` of a row: tier, tier_json, since, keeps_until.
    fn read(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Stored> {
        Ok(Stored {
            tier: row.get(first)?,
            label: json_option(row.get(first + 1)?),
            since: row.get(first + 2)?,
            keeps_until: row.get(first + 3)?,
        })
    }

    /// Whether the row already says what `held` says: nothing to write.
    fn holds(&self, held: &Held, rules: &MembershipRules) -> bool {
        let new_label = held.tier.map(|index| label(&rules.tiers[index]));
        self.tier.as_deref() == new_label.as_ref().map(|label| label.key.as_str())
            && self.label == new_label
            && self.since == held.since.map(|day| day.to_string())
            && self.keeps_until == held.keeps_until.map(|day| day.to_string())
    }
}

fn stored_row(conn: &Connection, customer_id: i64) -> Result<Option<Stored>> {
    Ok(conn
        .prepare_cached(
            "SELECT tier, tier_json, since, keeps_until FROM customer_membership WHERE customer_id = ?1",
        )?
        .query_row([customer_id], |row| Stored::read(row, 0))
        .optional()?)
}

fn json_option<T: serde::de::DeserializeOwned>(json: Option<String>) -> Option<T> {
    json.and_then(|json| serde_json::from_str(&json).ok())
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Writes the held tier of a customer and, when it moved from a stored one, the change:
/// dated and explained by the replay's last move when that move goes the same way, else a
/// correction dated `today` (a sale edited away, rules changed). Returns whether a change was
/// recorded.
fn write(
    conn: &Connection,
    customer_id: i64,
    old: Option<&Stored>,
    held: &Held,
    rules: &MembershipRules,
    today: NaiveDate,
    rules_changed: bool,
) -> Result<bool> {
    let tier = held.tier.map(|index| &rules.tiers[index]);
    let new_label = tier.map(label);
    conn.prepare_cached(
        "INSERT INTO customer_membership (customer_id, tier, tier_rank, tier_json, since, keeps_until, evaluated_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (customer_id) DO UPDATE SET tier = excluded.tier, tier_rank = excluded.tier_rank,
            tier_json = excluded.tier_json, since = excluded.since, keeps_until = excluded.keeps_until,
            evaluated_on = excluded.evaluated_on",
    )?
    .execute(params![
        customer_id,
        tier.map(|tier| &tier.key),
        held.tier.map(|index| index as i64),
        new_label.as_ref().map(to_json),
        held.since.map(|day| day.to_string()),
        held.keeps_until.map(|day| day.to_string()),
        today.to_string(),
    ])?;
    let Some(old) = old else { return Ok(false) };
    if old.tier.as_deref() == tier.map(|tier| tier.key.as_str()) {
        return Ok(false);
    }
    let old_rank = old.tier.as_ref().and_then(|key| rules.tiers.iter().position(|tier| &tier.key == key));
    // A tier removed from the rules ranks below every tier kept.
    let upgrade = match (old.tier.is_some(), held.tier) {
        (_, None) => false,
        (false, Some(_)) => true,
        (true, Some(new)) => old_rank.is_none_or(|old| new > old),
    };
    let (day, reason) = match &held.last {
        Some(last) if !rules_changed && last.upgrade == upgrade && last.to == held.tier => {
            (last.day, last.reason.clone())
        }
        _ => (today, TierReason::Corrected),
    };
    conn.prepare_cached(
        "INSERT INTO tier_changes (customer_id, changed_on, from_json, to_json, upgrade, reason_json, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        customer_id,
        day.to_string(),
        old.label.as_ref().map(to_json),
        new_label.as_ref().map(to_json),
        upgrade,
        to_json(&reason),
        crate::clock::now().to_rfc3339(),
    ])?;
    Ok(true)
}

/// Re-evaluates one customer's tier on `today` in the caller's transaction (after a sale of
/// theirs, a merge, their creation). With the programme off, nothing is kept.
pub(crate) fn evaluate_customer(conn: &Connection, customer_id: i64, today: NaiveDate) -> Result<()> {
    let settings = read_settings(conn)?;
    let rules = &settings.membership;
    crate::points::expire_customer(conn, customer_id, rules, today)?;
    if !rules.enabled {
        return Ok(());
    }
    let (sales, _) = customer_sales(conn, customer_id, &settings.default_currency, rules)?;
    let held = replay(&sales, rules, today);
    let old = stored_row(conn, customer_id)?;
    write(conn, customer_id, old.as_ref(), &held, rules, today, false)?;
    Ok(())
}

/// Every customer's sales as tiers count them, grouped by customer in id order, from one pass
/// over the purchases sorted here.
fn book_sales(
    conn: &Connection,
    book_currency: &str,
    rules: &MembershipRules,
) -> Result<Vec<(i64, Vec<Counted>)>> {
    let mut all: Vec<(i64, Counted)> = Vec::new();
    let mut statement =
        conn.prepare("SELECT customer_id, purchased_on, currency, total_units FROM purchases")?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let currency = row.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
        let units = counted_units(row.get(3)?, currency, book_currency, rules);
        // Read in place: a million days are not copied into strings first.
        let day = crate::standing::parse_day(row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?)?;
        all.push((row.get(0)?, Counted { day, units }));
    }
    all.sort_unstable_by_key(|(id, sale)| (*id, sale.day));
    let mut grouped: Vec<(i64, Vec<Counted>)> = Vec::new();
    for (id, sale) in all {
        match grouped.last_mut() {
            Some((last, sales)) if *last == id => sales.push(sale),
            _ => grouped.push((id, vec![sale])),
        }
    }
    Ok(grouped)
}

/// How much of the book a whole-book evaluation must replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Replay {
    /// Every customer: the rules or the sales changed in bulk, or the book has no earlier day.
    Everyone { rules_changed: bool },
    /// A later day than `since`, the day of the last whole-book evaluation, with nothing changed
    /// but time. Every sale, merge and creation evaluated its customer when it was written, so
    /// time alone moves only those whose kept tier ran out (`keeps_until` before today) and those
    /// with a sale dated after `since` (typed in ahead of its day).
    Since(NaiveDate),
}

/// The customers a day's evaluation may move (`Replay::Since`), by the indexes on
/// `keeps_until` and on the sales' days.
fn moved_by_time(conn: &Connection, since: NaiveDate, today: NaiveDate) -> Result<Vec<i64>> {
    let mut ids: Vec<i64> = conn
        .prepare(
            "SELECT customer_id FROM customer_membership WHERE keeps_until < ?1
             UNION SELECT customer_id FROM purchases WHERE purchased_on > ?2 AND purchased_on <= ?1",
        )?
        .query_map(params![today.to_string(), since.to_string()], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.sort_unstable();
    Ok(ids)
}

/// Re-evaluates the customers' tiers on `today` in the caller's transaction, everyone's or
/// those time may have moved (`Replay`), writing the rows that differ; a change of rules dates
/// the changes it finds today (they are the rules', not the customer's). With the programme
/// off, every stored tier is removed. Returns the changes recorded.
pub(crate) fn refresh_book(conn: &Connection, today: NaiveDate, replay_of: Replay) -> Result<u32> {
    let settings = read_settings(conn)?;
    let rules = &settings.membership;
    crate::points::expire_book(conn, rules, today)?;
    if !rules.enabled {
        conn.execute("DELETE FROM customer_membership", [])?;
        return Ok(0);
    }
    let rules_changed = match replay_of {
        Replay::Everyone { rules_changed } => rules_changed,
        // A clock set back (or a day replayed in a test) is not time passing: replay everyone.
        Replay::Since(since) if since > today => false,
        Replay::Since(since) => {
            let mut changes = 0;
            for id in moved_by_time(conn, since, today)? {
                let (sales, _) = customer_sales(conn, id, &settings.default_currency, rules)?;
                let held = replay(&sales, rules, today);
                let old = stored_row(conn, id)?;
                if !old.as_ref().is_some_and(|old| old.holds(&held, rules)) {
                    changes += u32::from(write(conn, id, old.as_ref(), &held, rules, today, false)?);
                }
            }
            return Ok(changes);
        }
    };
    let sales = book_sales(conn, &settings.default_currency, rules)?;
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM customers ORDER BY id")?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let stored: Vec<(i64, Stored)> = conn
        .prepare(
            "SELECT customer_id, tier, tier_json, since, keeps_until FROM customer_membership ORDER BY customer_id",
        )?
        .query_map([], |row| Ok((row.get(0)?, Stored::read(row, 1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let (mut next_sales, mut next_stored) = (0, 0);
    let mut changes = 0;
    for id in ids {
        while next_sales < sales.len() && sales[next_sales].0 < id {
            next_sales += 1;
        }
        while next_stored < stored.len() && stored[next_stored].0 < id {
            next_stored += 1;
        }
        let customer_sales = match sales.get(next_sales) {
            Some((found, sales)) if *found == id => sales.as_slice(),
            _ => &[],
        };
        let held = replay(customer_sales, rules, today);
        let old = stored.get(next_stored).filter(|row| row.0 == id).map(|(_, old)| old);
        if old.is_some_and(|old| old.holds(&held, rules)) {
            continue;
        }
        if write(conn, id, old, &held, rules, today, rules_changed)? {
            changes += 1;
        }
    }
    Ok(changes)
}

/// The membership of someone who has never bought, replayed once for a contacts import to give
/// the people it creates with their rows (`evaluation::FirstEvaluation`), as their first
/// evaluation would. A pass after the import looking for customers without a tier row read the
/// whole book twice.
pub(crate) struct FirstMembership {
    rules: MembershipRules,
    held: Held,
    today: NaiveDate,
}

impl FirstMembership {
    /// None with the programme off: nothing is kept then.
    pub(crate) fn on(conn: &Connection, today: NaiveDate) -> Result<Option<Self>> {
        let rules = read_settings(conn)?.membership;
        Ok(rules.enabled.then(|| FirstMembership { held: replay(&[], &rules, today), rules, today }))
    }

    /// Writes the tier row of the customers `ids` (consecutive) as their first evaluation's
    /// `write` would, in one statement. A row already there is an error, not replaced.
    pub(crate) fn give_all(&self, conn: &Connection, ids: RangeInclusive<i64>) -> Result<()> {
        let held = &self.held;
        let tier = held.tier.map(|index| &self.rules.tiers[index]);
        conn.prepare_cached(
            "WITH RECURSIVE newcomer(id) AS (SELECT ?1 UNION ALL SELECT id + 1 FROM newcomer WHERE id < ?2)
             INSERT INTO customer_membership (customer_id, tier, tier_rank, tier_json, since, keeps_until, evaluated_on)
             SELECT id, ?3, ?4, ?5, ?6, ?7, ?8 FROM newcomer",
        )?
        .execute(params![
            ids.start(),
            ids.end(),
            tier.map(|tier| &tier.key),
            held.tier.map(|index| index as i64),
            tier.map(label).as_ref().map(to_json),
            held.since.map(|day| day.to_string()),
            held.keeps_until.map(|day| day.to_string()),
            self.today.to_string(),
        ])?;
        Ok(())
    }
}

/// A customer's membership on `today`, replayed from their sales (what the next evaluation
/// stores); None with the programme off.
pub(crate) fn membership_of(
    conn: &Connection,
    customer_id: i64,
    today: NaiveDate,
) -> Result<Option<Membership>> {
    let settings = read_settings(conn)?;
    let rules = &settings.membership;
    if !rules.enabled {
        return Ok(None);
    }
    let (sales, uncounted) = customer_sales(conn, customer_id, &settings.default_currency, rules)?;
    let held = replay(&sales, rules, today);
    let tier = held.tier.map(|index| &rules.tiers[index]);
    let (points, expiring) = crate::points::balance_and_expiry(conn, customer_id, rules, today)?;
    Ok(Some(Membership {
        tier: tier.map(label),
        discount_percent: tier.map_or(Decimal::ZERO, |tier| tier.discount_percent),
        free_care: tier.is_some_and(|tier| tier.free_care),
        since: held.since,
        keeps_until: held.keeps_until,
        reason: held.reason.clone(),
        next_tier: next_tier(&sales, rules, held.tier, today),
        uncounted,
        points,
        points_expiring: expiring.map(|(points, _)| points),
        points_expire_on: expiring.map(|(_, day)| day),
        evaluated_on: today,
    }))
}

pub(crate) fn changes_of(conn: &Connection, customer_id: i64) -> Result<Vec<TierChange>> {
    let mut statement = conn.prepare_cached(
        "SELECT id, customer_id, changed_on, from_json, to_json, upgrade, reason_json FROM tier_changes
         WHERE customer_id = ?1 ORDER BY changed_on DESC, id DESC",
    )?;
    let changes = statement.query_map([customer_id], change_row)?.collect::<rusqlite::Result<_>>()?;
    Ok(changes)
}

fn change_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<TierChange> {
    Ok(TierChange {
        id: row.get(0)?,
        customer_id: row.get(1)?,
        changed_on: parse_column(row, 2)?,
        from: json_option(row.get(3)?),
        to: json_option(row.get(4)?),
        upgrade: row.get(5)?,
        reason: json_option(row.get(6)?).unwrap_or(TierReason::Corrected),
    })
}

/// The item discount a tier of `percent` gives on `price`: to the cent, half to even (the
/// window's `membership.ts` computes it the same way).
pub fn member_discount_amount(price: Decimal, percent: Decimal) -> Decimal {
    (price * percent / Decimal::ONE_HUNDRED).round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven)
}

impl Book {
    /// Customer `id`'s membership today (None with the programme off).
    pub fn membership(&self, id: i64) -> Result<Option<Membership>> {
        self.membership_on(id, crate::clock::today())
    }

    /// Customer `id`'s membership as their sales make it on `day` (the tier a later day brings
    /// once a grace runs out).
    pub fn membership_on(&self, id: i64, day: NaiveDate) -> Result<Option<Membership>> {
        crate::history::require_customer(&self.conn, id)?;
        membership_of(&self.conn, id, day)
    }

    /// Every customer's tier as their sales make it on `day`, without standing (the
    /// benchmark's measure; the daily evaluation runs both). Returns the changes recorded.
    pub fn refresh_tiers_on(&mut self, day: NaiveDate) -> Result<u32> {
        let since = crate::standing::last_evaluated(&self.conn)?;
        let replay_of = since.map_or(Replay::Everyone { rules_changed: false }, Replay::Since);
        self.with_tx(|tx| refresh_book(tx, day, replay_of))
    }

    /// Every customer's tier replayed on `day`, whatever time alone could have moved (the
    /// benchmark's measure of a change of rules or a book loaded).
    pub fn replay_every_tier_on(&mut self, day: NaiveDate) -> Result<u32> {
        self.with_tx(|tx| refresh_book(tx, day, Replay::Everyone { rules_changed: false }))
    }

    /// Customer `id`'s tier changes, newest first.
    pub fn tier_changes(&self, id: i64) -> Result<Vec<TierChange>> {
        crate::history::require_customer(&self.conn, id)?;
        changes_of(&self.conn, id)
    }

    /// The programme at a glance: members per tier, this month's moves, points outstanding.
    pub fn membership_overview(&self) -> Result<MembershipOverview> {
        let settings = self.settings()?;
        let rules = &settings.membership;
        let today = crate::clock::today();
        let mut tiers = Vec::with_capacity(rules.tiers.len());
        let mut count =
            self.conn.prepare_cached("SELECT count(*) FROM customer_membership WHERE tier = ?1")?;
        for tier in &rules.tiers {
            tiers.push(TierCount {
                tier: label(tier),
                count: count.query_row([&tier.key], |row| row.get(0))?,
            });
        }
        let customers: u32 = self.conn.query_row("SELECT count(*) FROM customers", [], |row| row.get(0))?;
        let members: u32 = tiers.iter().map(|tier| tier.count).sum();
        let month_start = today.with_day0(0).unwrap_or(today).to_string();
        let (upgrades, downgrades): (u32, u32) = self.conn.query_row(
            "SELECT coalesce(sum(upgrade), 0), coalesce(sum(1 - upgrade), 0) FROM tier_changes WHERE changed_on >= ?1",
            [&month_start],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        let recent_changes = self
            .conn
            .prepare_cached(
                "SELECT t.id, t.customer_id, t.changed_on, t.from_json, t.to_json, t.upgrade, t.reason_json, c.full_name
                 FROM tier_changes t JOIN customers c ON c.id = t.customer_id
                 ORDER BY t.changed_on DESC, t.id DESC LIMIT 20",
            )?
            .query_map([], |row| Ok(NamedTierChange { change: change_row(row)?, customer_name: row.get(7)? }))?
            .collect::<rusqlite::Result<_>>()?;
        let points_outstanding: i64 = self.conn.query_row(
            "SELECT coalesce(sum(balance), 0) FROM
               (SELECT sum(points) AS balance FROM points_ledger GROUP BY customer_id HAVING balance > 0)",
            [],
            |row| row.get(0),
        )?;
        Ok(MembershipOverview {
            enabled: rules.enabled,
            tiers,
            non_members: customers.saturating_sub(members),
            upgrades_this_month: upgrades,
            downgrades_this_month: downgrades,
            recent_changes,
            points_outstanding,
            points_liability: crate::points::redemption_value(points_outstanding, rules),
            evaluated_on: today,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("a day")
    }

    fn sale(on: &str, amount: i64) -> Counted {
        Counted { day: day(on), units: Some(amount * 10_000) }
    }

    fn key(held: &Held, rules: &MembershipRules) -> Option<String> {
        held.tier.map(|index| rules.tiers[index].key.clone())
    }

    #[test]
    fn the_highest_tier_qualified_for_is_held() {
        let rules = MembershipRules::default();
        let sales = [sale("2026-01-10", 12_000), sale("2026-06-01", 9_000)];
        let held = replay(&sales, &rules, day("2026-12-04"));
        assert_eq!(key(&held, &rules).as_deref(), Some("silver"));
        assert_eq!(held.since, Some(day("2026-06-01")));
        // The January sale leaves the window on 2027-01-10: 9,000 alone is not Silver; kept
        // twelve months from the day before.
        assert_eq!(held.keeps_until, Some(day("2028-01-09")));
    }

    #[test]
    fn a_tier_is_kept_through_the_grace_then_steps_down_one_at_a_time() {
        let rules = MembershipRules::default();
        let sales = [sale("2024-03-01", 60_000)];
        // Gold while the sale is in the window (to 2025-02-28), kept to 2026-02-28.
        assert_eq!(key(&replay(&sales, &rules, day("2026-02-28")), &rules).as_deref(), Some("gold"));
        let stepped = replay(&sales, &rules, day("2026-03-01"));
        assert_eq!(key(&stepped, &rules).as_deref(), Some("silver"));
        assert_eq!(stepped.since, Some(day("2026-03-01")));
        assert_eq!(
            stepped.reason,
            Some(TierReason::Kept { last_qualified: day("2025-02-28"), keeps_until: day("2027-02-28") })
        );
        // Silver is kept one more grace, then Member (any purchase, ever) stays.
        assert_eq!(key(&replay(&sales, &rules, day("2027-02-28")), &rules).as_deref(), Some("silver"));
        let member = replay(&sales, &rules, day("2027-03-01"));
        assert_eq!(key(&member, &rules).as_deref(), Some("member"));
        assert_eq!(member.keeps_until, None);
    }

    #[test]
    fn a_sale_in_the_grace_renews_the_tier() {
        let rules = MembershipRules::default();
        let sales = [sale("2024-03-01", 60_000), sale("2025-12-01", 55_000)];
        let held = replay(&sales, &rules, day("2026-12-04"));
        assert_eq!(key(&held, &rules).as_deref(), Some("gold"));
        assert_eq!(held.since, Some(day("2024-03-01")));
    }

    #[test]
    fn the_next_tier_says_what_is_missing_and_until_when() {
        let rules = MembershipRules::default();
        let sales = [sale("2026-08-04", 30_000), sale("2026-11-20", 12_400)];
        let next = next_tier(&sales, &rules, Some(1), day("2026-12-04")).expect("a tier above Silver");
        assert_eq!(next.tier.key, "gold");
        assert_eq!(next.spend_needed, Some(Decimal::new(7_600, 0)));
        assert_eq!(next.before, Some(day("2027-08-04")));
    }

    #[test]
    fn member_discounts_round_to_the_cent_half_to_even() {
        assert_eq!(
            member_discount_amount(Decimal::new(9_150, 0), Decimal::new(15, 0)),
            Decimal::new(137_250, 2)
        );
        assert_eq!(
            member_discount_amount(Decimal::new(123_457, 2), Decimal::new(15, 0)),
            Decimal::new(18_519, 2)
        );
        assert_eq!(member_discount_amount(Decimal::new(1_050, 2), Decimal::new(10, 0)), Decimal::new(105, 2));
    }
}
