//! Points (seed 000's loyalty programme): earned on each sale by what was paid, redeemed as a
//! discount on a sale or by hand, adjusted with a reason, expired after the months the rules
//! say, and a referral bonus for whoever referred a customer to their first purchase. One
//! ledger (`points_ledger`); the balance is its sum. A sale's lines are rewritten with the
//! sale, and go with it; expiry lines are recomputed from the others.

use chrono::{Months, NaiveDate};
use rusqlite::{Connection, OptionalExtension, params};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::customers::parse_column;
use crate::error::{Error, Result};
use crate::model::*;
use crate::problem::Problem;
use crate::settings::read_settings;
use crate::store::Book;

/// What `points` are worth redeemed, in the book's currency: to the cent, rounded down (the
/// value a sale's redemption must carry).
pub fn redemption_value(points: i64, rules: &MembershipRules) -> Decimal {
    (Decimal::from(points) / Decimal::from(rules.points_for_one_unit.max(1)))
        .round_dp_with_strategy(2, RoundingStrategy::ToZero)
}

/// Points a sale of `total_units` in `currency` earns: `points_per_unit` per whole unit of the
/// book's currency paid (other currencies at their rate; none without one).
fn earned(total_units: i64, currency: &str, book_currency: &str, rules: &MembershipRules) -> i64 {
    if !rules.enabled {
        return 0;
    }
    crate::membership::counted_units(total_units, currency, book_currency, rules)
        .map_or(0, |units| units / 10_000 * i64::from(rules.points_per_unit))
}

pub(crate) fn balance(conn: &Connection, customer_id: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT coalesce(sum(points), 0) FROM points_ledger WHERE customer_id = ?1")?
        .query_row([customer_id], |row| row.get(0))?)
}

/// Checks the points a sale redeems for `customer_id`: the programme is on, the value is the
/// book's rate (or unchanged from the sale being edited, `purchase_id`), it leaves the sale at
/// zero or more, and the customer has them (the sale's own earlier redemption given back).
pub(crate) fn check_redemption(
    conn: &Connection,
    customer_id: i64,
    purchase_id: Option<i64>,
    draft: &PurchaseDraft,
    today: NaiveDate,
) -> Result<()> {
    let Some(redeemed) = &draft.redemption else { return Ok(()) };
    let settings = read_settings(conn)?;
    let rules = settings.membership;
    if !rules.enabled {
        return Err(Error::invalid("redemption.points", Problem::MembershipOff));
    }
    if draft.currency != settings.default_currency {
        return Err(Error::invalid(
            "redemption.points",
            Problem::RedemptionInOtherCurrency { currency: draft.currency.clone() },
        ));
    }
    if redeemed.points == 0 {
        return Err(Error::invalid("redemption.points", Problem::PointsZero));
    }
    let stored: Option<(i64, String)> = match purchase_id {
        Some(id) => conn
            .prepare_cached("SELECT points_redeemed, points_value FROM purchases WHERE id = ?1")?
            .query_row([id], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?,
        None => None,
    };
    let unchanged = stored.as_ref().is_some_and(|(points, value)| {
        *points == i64::from(redeemed.points)
            && value.parse::<Decimal>().is_ok_and(|value| value == redeemed.value)
    });
    let expected = redemption_value(i64::from(redeemed.points), &rules);
    if !unchanged && redeemed.value != expected {
        return Err(Error::invalid(
            "redemption.value",
            Problem::RedemptionValueWrong { points: redeemed.points, expected: expected.to_string() },
        ));
    }
    let items = draft.items_total();
    if redeemed.value > items {
        return Err(Error::invalid(
            "redemption.points",
            Problem::RedemptionAboveTotal { total: items.to_string() },
        ));
    }
    expire_customer(conn, customer_id, &rules, today)?;
    let given_back = stored.map_or(0, |(points, _)| points);
    let available = balance(conn, customer_id)? + given_back;
    if i64::from(redeemed.points) > available {
        return Err(Error::invalid(
            "redemption.points",
            Problem::PointsShort { balance: available.max(0), asked: i64::from(redeemed.points) },
        ));
    }
    Ok(())
}

/// Rewrites the points lines of sale `purchase_id` (what it earned and redeemed), dated the
/// sale's day.
pub(crate) fn write_sale_points(
    conn: &Connection,
    customer_id: i64,
    purchase_id: i64,
    draft: &PurchaseDraft,
    book_currency: &str,
    rules: &MembershipRules,
) -> Result<()> {
    conn.prepare_cached("DELETE FROM points_ledger WHERE purchase_id = ?1 AND kind IN ('earn', 'redeem')")?
        .execute([purchase_id])?;
    let now = crate::clock::now().to_rfc3339();
    let day = draft.purchased_on.to_string();
    let mut insert = conn.prepare_cached(
        "INSERT INTO points_ledger (customer_id, entry_on, kind, points, purchase_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    if let Some(redeemed) = &draft.redemption {
        insert.execute(params![customer_id, day, "redeem", -i64::from(redeemed.points), purchase_id, now])?;
    }
    let total = crate::purchases::units(draft.total()).unwrap_or(0);
    let points = earned(total, &draft.currency, book_currency, rules);
    if points > 0 {
        insert.execute(params![customer_id, day, "earn", points, purchase_id, now])?;
    }
    Ok(())
}

/// Gives every sale without points lines what it earned (a demo book's sales): the book's
/// currency in one statement, the few sales in other currencies one by one at their rate.
pub(crate) fn earn_for_every_sale(conn: &Connection) -> Result<()> {
    let settings = read_settings(conn)?;
    let rules = &settings.membership;
    if !rules.enabled {
        return Ok(());
    }
    let now = crate::clock::now().to_rfc3339();
    conn.execute(
        "INSERT INTO points_ledger (customer_id, entry_on, kind, points, purchase_id, created_at)
         SELECT customer_id, purchased_on, 'earn', total_units / 10000 * ?1, id, ?2 FROM purchases p
         WHERE currency = ?3 AND total_units >= 10000 AND ?1 > 0
           AND NOT EXISTS (SELECT 1 FROM points_ledger l WHERE l.purchase_id = p.id)",
        params![rules.points_per_unit, now, settings.default_currency],
    )?;
    let sales: Vec<(i64, i64, String, String, i64)> = conn
        .prepare(
            "SELECT id, customer_id, purchased_on, currency, total_units FROM purchases p
             WHERE currency <> ?1 AND NOT EXISTS (SELECT 1 FROM points_ledger l WHERE l.purchase_id = p.id)",
        )?
        .query_map([&settings.default_currency], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut insert = conn.prepare(
        "INSERT INTO points_ledger (customer_id, entry_on, kind, points, purchase_id, created_at)
         VALUES (?1, ?2, 'earn', ?3, ?4, ?5)",
    )?;
    for (id, customer_id, day, currency, total) in sales {
        let points = earned(total, &currency, &settings.default_currency, rules);
        if points > 0 {
            insert.execute(params![customer_id, day, points, id, now])?;
        }
    }
    Ok(())
}

/// After a sale of `customer_id` was added (`added`), changed or removed: the referral bonus
/// their referrer earned by their first purchase follows it. Their first sale with something
/// paid earns it (once, on its day); it moves to the day of whichever sale is first now, and is
/// taken back when no sale is left.
pub(crate) fn follow_referral(conn: &Connection, customer_id: i64, added: Option<i64>) -> Result<()> {
    let first: Option<(i64, String)> = conn
        .prepare_cached(
            "SELECT id, purchased_on FROM purchases WHERE customer_id = ?1 AND total_units > 0
             ORDER BY purchased_on, id LIMIT 1",
        )?
        .query_row([customer_id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let bonus: Option<i64> = conn
        .prepare_cached("SELECT id FROM points_ledger WHERE kind = 'referral' AND referred_id = ?1 LIMIT 1")?
        .query_row([customer_id], |row| row.get(0))
        .optional()?;
    match (bonus, first) {
        (Some(_), None) => {
            conn.prepare_cached("DELETE FROM points_ledger WHERE kind = 'referral' AND referred_id = ?1")?
                .execute([customer_id])?;
        }
        (Some(_), Some((_, day))) => {
            conn.prepare_cached(
                "UPDATE points_ledger SET entry_on = ?2 WHERE kind = 'referral' AND referred_id = ?1",
            )?
            .execute(params![customer_id, day])?;
        }
        (None, Some((first_id, day))) if added == Some(first_id) => {
            let paid_sales: i64 = conn
                .prepare_cached("SELECT count(*) FROM purchases WHERE customer_id = ?1 AND total_units > 0")?
                .query_row([customer_id], |row| row.get(0))?;
            let rules = read_settings(conn)?.membership;
            let referrer: Option<i64> = conn
                .prepare_cached("SELECT referred_by FROM customers WHERE id = ?1")?
                .query_row([customer_id], |row| row.get(0))?;
            if let (1, true, true, Some(referrer)) =
                (paid_sales, rules.enabled, rules.referral_bonus > 0, referrer)
            {
                conn.prepare_cached(
                    "INSERT INTO points_ledger (customer_id, entry_on, kind, points, referred_id, created_at)
                     VALUES (?1, ?2, 'referral', ?3, ?4, ?5)",
                )?
                .execute(params![
                    referrer,
                    day,
                    i64::from(rules.referral_bonus),
                    customer_id,
                    crate::clock::now().to_rfc3339()
                ])?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// The bonuses earned by referring `customer_id` are taken back: they are being removed as if
/// they had never been in the book (an import undone, a customer deleted). An erasure keeps
/// them: the sale happened, only the person is forgotten.
pub(crate) fn take_back_referrals(conn: &Connection, customer_id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM points_ledger WHERE kind = 'referral' AND referred_id = ?1")?
        .execute([customer_id])?;
    Ok(())
}

/// A ledger line as the expiry replay reads it.
struct Line {
    day: NaiveDate,
    points: i64,
}

/// Points expiring: the day, and how many.
type Expiry = (NaiveDate, i64);

/// The expiry lines the other lines call for on `today` (oldest points spent first), and the
/// points that expire next with their day.
fn expiries(lines: &[Line], months: u32, today: NaiveDate) -> (Vec<Expiry>, Option<(i64, NaiveDate)>) {
    let expires = |day: NaiveDate| day.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX);
    // Unspent lots (expiry day, points left), oldest first; `owed` is spent before any lot.
    let mut lots: std::collections::VecDeque<(NaiveDate, i64)> = std::collections::VecDeque::new();
    let mut owed = 0_i64;
    let mut expired: Vec<(NaiveDate, i64)> = Vec::new();
    let expire_until = |day: NaiveDate,
                        lots: &mut std::collections::VecDeque<(NaiveDate, i64)>,
                        out: &mut Vec<(NaiveDate, i64)>| {
        while let Some(&(ends, left)) = lots.front() {
            if ends > day {
                break;
            }
            lots.pop_front();
            match out.last_mut() {
                Some((last, points)) if *last == ends => *points += left,
                _ => out.push((ends, left)),
            }
        }
    };
    for line in lines {
        expire_until(line.day, &mut lots, &mut expired);
        if line.points > 0 {
            let paid = owed.min(line.points);
            owed -= paid;
            if line.points > paid {
                lots.push_back((expires(line.day), line.points - paid));
            }
        } else {
            let mut spend = -line.points;
            while spend > 0 {
                let Some(front) = lots.front_mut() else {
                    owed += spend;
                    break;
                };
                let used = spend.min(front.1);
                front.1 -= used;
                spend -= used;
                if front.1 == 0 {
                    lots.pop_front();
                }
            }
        }
    }
    expire_until(today, &mut lots, &mut expired);
    let next = lots.front().map(|&(day, _)| {
        let points = lots.iter().take_while(|(ends, _)| *ends == day).map(|(_, left)| left).sum();
        (points, day)
    });
    (expired, next)
}

fn lines_of(conn: &Connection, customer_id: i64) -> Result<Vec<Line>> {
    let lines = conn
        .prepare_cached(
            "SELECT entry_on, points FROM points_ledger WHERE customer_id = ?1 AND kind <> 'expire'
             ORDER BY entry_on, id",
        )?
        .query_map([customer_id], |row| Ok(Line { day: parse_column(row, 0)?, points: row.get(1)? }))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lines)
}

/// Rewrites the expiry lines of `customer_id` as of `today` when they differ from the ones
/// stored; without an expiry in the rules, removes them.
pub(crate) fn expire_customer(
    conn: &Connection,
    customer_id: i64,
    rules: &MembershipRules,
    today: NaiveDate,
) -> Result<()> {
    let wanted = match rules.points_expire_months {
        Some(months) => expiries(&lines_of(conn, customer_id)?, months, today).0,
        None => Vec::new(),
    };
    let stored: Vec<(NaiveDate, i64)> = conn
        .prepare_cached(
            "SELECT entry_on, -points FROM points_ledger WHERE customer_id = ?1 AND kind = 'expire' ORDER BY entry_on, id",
        )?
        .query_map([customer_id], |row| Ok((parse_column(row, 0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if stored == wanted {
        return Ok(());
    }
    conn.prepare_cached("DELETE FROM points_ledger WHERE customer_id = ?1 AND kind = 'expire'")?
        .execute([customer_id])?;
    let now = crate::clock::now().to_rfc3339();
    let mut insert = conn.prepare_cached(
        "INSERT INTO points_ledger (customer_id, entry_on, kind, points, created_at) VALUES (?1, ?2, 'expire', ?3, ?4)",
    )?;
    for (day, points) in wanted {
        insert.execute(params![customer_id, day.to_string(), -points, now])?;
    }
    Ok(())
}

/// The whole book's expiry lines as of `today` (the daily evaluation).
pub(crate) fn expire_book(conn: &Connection, rules: &MembershipRules, today: NaiveDate) -> Result<()> {
    if rules.points_expire_months.is_none() {
        conn.execute("DELETE FROM points_ledger WHERE kind = 'expire'", [])?;
        return Ok(());
    }
    let customers: Vec<i64> = conn
        .prepare("SELECT DISTINCT customer_id FROM points_ledger")?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in customers {
        expire_customer(conn, id, rules, today)?;
    }
    Ok(())
}

/// The balance and the points that expire next (with an expiry in the rules).
pub(crate) fn balance_and_expiry(
    conn: &Connection,
    customer_id: i64,
    rules: &MembershipRules,
    today: NaiveDate,
) -> Result<(i64, Option<(i64, NaiveDate)>)> {
    let next = match rules.points_expire_months {
        Some(months) => expiries(&lines_of(conn, customer_id)?, months, today).1,
        None => None,
    };
    Ok((balance(conn, customer_id)?, next))
}

/// The ledger, newest first, each line with the balance after it.
pub(crate) fn ledger_of(conn: &Connection, customer_id: i64) -> Result<Vec<PointsEntry>> {
    let mut entries = conn
        .prepare_cached(
            "SELECT l.id, l.customer_id, l.entry_on, l.kind, l.points, l.reason, l.purchase_id, l.referred_id, r.full_name
             FROM points_ledger l LEFT JOIN customers r ON r.id = l.referred_id
             WHERE l.customer_id = ?1 ORDER BY l.entry_on, l.id",
        )?
        .query_map([customer_id], |row| {
            Ok(PointsEntry {
                id: row.get(0)?,
                customer_id: row.get(1)?,
                entry_on: parse_column(row, 2)?,
                kind: parse_column(row, 3)?,
                points: row.get(4)?,
                reason: row.get(5)?,
                purchase_id: row.get(6)?,
                referred_id: row.get(7)?,
                referred_name: row.get(8)?,
                balance: 0,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut balance = 0;
    for entry in &mut entries {
        balance += entry.points;
        entry.balance = balance;
    }
    entries.reverse();
    Ok(entries)
}

/// The most points one adjustment or redemption moves.
const MAX_POINTS: i64 = 100_000_000;
const MAX_REASON_CHARS: usize = 500;

impl Book {
    /// Customer `id`'s points ledger, newest first.
    pub fn points(&self, id: i64) -> Result<PointsLedger> {
        crate::history::require_customer(&self.conn, id)?;
        let entries = ledger_of(&self.conn, id)?;
        Ok(PointsLedger {
            customer_id: id,
            balance: entries.first().map_or(0, |entry| entry.balance),
            entries,
        })
    }

    /// Adds points to or takes them off customer `id` by hand, with the dealer's reason; never
    /// below zero.
    pub fn adjust_points(&mut self, id: i64, draft: PointsDraft) -> Result<PointsLedger> {
        self.write_points(id, draft, PointsKind::Adjust)
    }

    /// Redeems `draft.points` of customer `id` outside a sale (a gift, a service); refused when
    /// the balance is short.
    pub fn redeem_points(&mut self, id: i64, draft: PointsDraft) -> Result<PointsLedger> {
        if draft.points <= 0 {
            return Err(Error::invalid("points", Problem::PointsZero));
        }
        self.write_points(id, PointsDraft { points: -draft.points, reason: draft.reason }, PointsKind::Redeem)
    }

    fn write_points(&mut self, id: i64, draft: PointsDraft, kind: PointsKind) -> Result<PointsLedger> {
        let reason = draft.reason.trim().to_string();
        crate::validate::check_length("reason", &reason, MAX_REASON_CHARS)?;
        if draft.points == 0 {
            return Err(Error::invalid("points", Problem::PointsZero));
        }
        if draft.points.abs() > MAX_POINTS {
            return Err(Error::invalid(
                "points",
                Problem::MembershipNumberOutOfRange { min: -MAX_POINTS, max: MAX_POINTS },
            ));
        }
        if kind == PointsKind::Adjust && reason.is_empty() {
            return Err(Error::invalid("reason", Problem::PointsReasonMissing));
        }
        let rules = self.settings()?.membership;
        if !rules.enabled {
            return Err(Error::invalid("points", Problem::MembershipOff));
        }
        let today = crate::clock::today();
        self.with_tx(|tx| {
            crate::history::require_customer(tx, id)?;
            expire_customer(tx, id, &rules, today)?;
            let available = balance(tx, id)?;
            if draft.points < 0 && available + draft.points < 0 {
                return Err(Error::invalid(
                    "points",
                    Problem::PointsShort { balance: available.max(0), asked: -draft.points },
                ));
            }
            tx.prepare_cached(
                "INSERT INTO points_ledger (customer_id, entry_on, kind, points, reason, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                id,
                today.to_string(),
                kind.as_str(),
                draft.points,
                reason,
                crate::clock::now().to_rfc3339()
            ])?;
            expire_customer(tx, id, &rules, today)
        })?;
        self.points(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(day: &str, points: i64) -> Line {
        Line { day: day.parse().expect("a day"), points }
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("a day")
    }

    #[test]
    fn the_oldest_points_are_spent_first_and_the_rest_expire() {
        let lines = [line("2025-01-10", 300), line("2025-06-01", 200), line("2025-07-01", -350)];
        let (expired, next) = expiries(&lines, 12, day("2026-03-01"));
        // 300 spent first, then 50 of the 200: nothing of January is left to expire.
        assert_eq!(expired, vec![]);
        assert_eq!(next, Some((150, day("2026-06-01"))));
        let (expired, next) = expiries(&lines, 12, day("2026-06-01"));
        assert_eq!(expired, vec![(day("2026-06-01"), 150)]);
        assert_eq!(next, None);
    }

    #[test]
    fn points_spent_before_any_were_earned_are_owed_first() {
        let lines = [line("2025-01-10", -100), line("2025-02-01", 300)];
        let (expired, _) = expiries(&lines, 6, day("2025-09-01"));
        assert_eq!(expired, vec![(day("2025-08-01"), 200)]);
    }

    #[test]
    fn a_redemption_is_worth_its_points_at_the_rate_rounded_down() {
        let rules = MembershipRules::default();
        assert_eq!(redemption_value(5_000, &rules), Decimal::new(50, 0));
        assert_eq!(redemption_value(1_999, &rules), Decimal::new(1_999, 2));
        let thirds = MembershipRules { points_for_one_unit: 3, ..MembershipRules::default() };
        assert_eq!(redemption_value(10, &thirds), Decimal::new(333, 2));
    }

    #[test]
    fn points_are_earned_per_whole_unit_paid() {
        let rules = MembershipRules::default();
        assert_eq!(earned(91_509_900, "GBP", "GBP", &rules), 9_150);
        assert_eq!(earned(10_000_000, "USD", "GBP", &rules), 0);
        let with_rate = MembershipRules {
            rates: vec![ExchangeRate { currency: "USD".into(), rate: Decimal::new(79, 2) }],
            ..MembershipRules::default()
        };
        assert_eq!(earned(10_000_000, "USD", "GBP", &with_rate), 790);
        let off = MembershipRules { enabled: false, ..MembershipRules::default() };
        assert_eq!(earned(10_000_000, "GBP", "GBP", &off), 0);
    }
}
