//! Where each customer stands: segment, value class, RFM scores and group, what they buy
//! most, each with its reasons. Computed from the book by the standing rules (a setting),
//! kept in `customer_standing` so that the list can filter and sort by it, and its moves
//! recorded in `standing_changes`.

use std::collections::HashMap;
use std::ops::RangeInclusive;

use chrono::{Datelike, Days, Months, NaiveDate};
use rusqlite::{Connection, OptionalExtension, Row, ToSql, params};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::customers::{parse_column, parse_optional, text_at};
use crate::error::Result;
use crate::model::*;
use crate::purchases::{from_units, units};
use crate::settings::read_settings;
use crate::store::Book;

/// The RFM scores from three columns starting at `first` (recency, frequency, monetary), None
/// when they are NULL (a prospect, or a customer not evaluated yet).
pub(crate) fn rfm_columns(row: &Row<'_>, first: usize) -> rusqlite::Result<Option<Rfm>> {
    let r: Option<u8> = row.get(first)?;
    let f: Option<u8> = row.get(first + 1)?;
    let m: Option<u8> = row.get(first + 2)?;
    Ok(match (r, f, m) {
        (Some(r), Some(f), Some(m)) => Some(Rfm { r, f, m }),
        _ => None,
    })
}

/// The customer's standing as last evaluated. A whole-book evaluation rewrites only the rows
/// that changed, so the day is the later of the row's and the whole book's.
pub(crate) fn stored_standing(conn: &Connection, customer_id: i64) -> Result<Standing> {
    let stored = conn
        .prepare_cached(
            "SELECT s.segment, s.value_class, s.recency, s.frequency, s.monetary, s.rfm_group,
                    s.bought_most_json, s.reasons_json,
                    max(s.evaluated_on, coalesce((SELECT value FROM settings WHERE key = 'standing_evaluated_on'), '')),
                    c.influence
             FROM customers c JOIN customer_standing s ON s.customer_id = c.id WHERE c.id = ?1",
        )?
        .query_row([customer_id], |row| {
            Ok(Standing {
                segment: parse_column(row, 0)?,
                value_class: parse_optional(row, 1)?,
                rfm: rfm_columns(row, 2)?,
                rfm_group: parse_optional(row, 5)?,
                bought_most: json_column(row, 6)?,
                reasons: json_column(row, 7)?,
                evaluated_on: parse_column(row, 8)?,
                influence: parse_column(row, 9)?,
            })
        })
        .optional()?;
    match stored {
        Some(standing) => Ok(standing),
        None => Err(crate::Error::NotFound { what: "customer", id: customer_id }),
    }
}

/// The customer's segment and value-class moves, newest first.
pub(crate) fn changes_of(conn: &Connection, customer_id: i64) -> Result<Vec<StandingChange>> {
    let mut statement = conn.prepare_cached(
        "SELECT id, customer_id, changed_on, kind, from_value, to_value FROM standing_changes
         WHERE customer_id = ?1 ORDER BY changed_on DESC, id DESC",
    )?;
    let changes = statement
        .query_map([customer_id], |row| {
            let kind: String = row.get(3)?;
            let change = if kind == "segment" {
                StandingMove::Segment { from: parse_optional(row, 4)?, to: parse_column(row, 5)? }
            } else {
                StandingMove::ValueClass { from: parse_optional(row, 4)?, to: parse_optional(row, 5)? }
            };
            Ok(StandingChange {
                id: row.get(0)?,
                customer_id: row.get(1)?,
                changed_on: parse_column(row, 2)?,
                change,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(changes)
}

fn json_column<T: serde::de::DeserializeOwned>(row: &Row<'_>, index: usize) -> rusqlite::Result<T> {
    let text: String = row.get(index)?;
    serde_json::from_str(&text).map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, error.into())
    })
}

// ---------------------------------------------------------------------------------------------
// Computing the standing.

/// The day of the last whole-book evaluation (`refresh_standing_if_due`). Describes the file's
/// derived rows, not the book: a book folder leaves it out (transfer's `FILE_SETTINGS`).
pub(crate) const EVALUATED_KEY: &str = "standing_evaluated_on";
/// Where the last whole-book evaluation put the value-class and quintile boundaries
/// (`Boundaries`, JSON), against which one customer is placed between evaluations.
pub(crate) const BOUNDARIES_KEY: &str = "standing_boundaries";

/// What the rules read about one customer.
#[derive(Debug, Clone, Default)]
struct Facts {
    id: i64,
    /// Purchases in any currency.
    purchases: u32,
    /// Lifetime spend in the book's currency, in units (ten-thousandths).
    lifetime_units: i64,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    /// Purchases (any currency) and spend (book currency) within `vip_months`.
    vip_purchases: u32,
    vip_units: i64,
    /// Spend (book currency) within `value_months`: the value class's ranking.
    window_units: i64,
    /// The latest satisfaction score within `low_score_months`, with its day.
    latest_score: Option<(u8, NaiveDate)>,
}

/// The rules' dates for one day.
struct Cutoffs {
    lapsed: NaiveDate,
    at_risk: NaiveDate,
    low_score: NaiveDate,
    vip: NaiveDate,
    new: NaiveDate,
    value: NaiveDate,
}

/// `today` minus `months` calendar months (the 31st becomes the month's last day).
fn months_before(today: NaiveDate, months: u32) -> NaiveDate {
    today.checked_sub_months(Months::new(months)).unwrap_or(NaiveDate::MIN)
}

impl Cutoffs {
    fn of(rules: &StandingRules, today: NaiveDate) -> Cutoffs {
        Cutoffs {
            lapsed: months_before(today, rules.lapsed_after_months),
            at_risk: months_before(today, rules.at_risk_after_months),
            low_score: months_before(today, rules.low_score_months),
            vip: months_before(today, rules.vip_months),
            new: today
                .checked_sub_days(Days::new(u64::from(rules.new_within_days)))
                .unwrap_or(NaiveDate::MIN),
            value: months_before(today, rules.value_months),
        }
    }
}

/// Whole calendar months from `since` to `today` (0 for a day in the future).
fn months_since(since: NaiveDate, today: NaiveDate) -> u32 {
    if since >= today {
        return 0;
    }
    let months = (today.year() - since.year()) * 12 + today.month() as i32 - since.month() as i32;
    let months = u32::try_from(months).unwrap_or(0);
    if months > 0 && months_before(today, months) < since { months - 1 } else { months }
}

/// Where the last whole-book ranking put its boundaries, so that one customer can be placed
/// exactly as the ranking would have placed them without ranking the book again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Boundaries {
    /// The window's total spend, in units.
    total_units: i64,
    /// For each whole percent p from 0 to 100, the rank (window units, id) of the first buyer
    /// whose predecessors spent at least p % of the total; None when nobody did. A buyer
    /// ranked at or after `share_cuts[p]` has at least p % before them.
    share_cuts: Vec<Option<(i64, i64)>>,
    /// The RFM method used: quintiles only with enough buyers.
    rfm_method: RfmMethod,
    /// Quintile cuts (the highest value of each of the lower four fifths), as "goodness"
    /// (recency negated: fewer months is better), for recency, frequency and monetary.
    quintile_cuts: [[i64; 4]; 3],
}

/// Ranked before: more window spend, then the lower id.
fn ranks_at_or_after(units: i64, id: i64, cut: (i64, i64)) -> bool {
    units < cut.0 || (units == cut.0 && id >= cut.1)
}

impl Boundaries {
    /// Ranks every buyer with window spend (sorted in place) and finds the quintile cuts.
    fn rank(facts: &[Facts], rules: &StandingRules, today: NaiveDate) -> Boundaries {
        let mut ranked: Vec<(i64, i64)> =
            facts.iter().filter(|f| f.window_units > 0).map(|f| (f.window_units, f.id)).collect();
        ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let total: i128 = ranked.iter().map(|&(units, _)| i128::from(units)).sum();
        let mut share_cuts = vec![None; 101];
        let mut percent = 0_usize;
        let mut before: i128 = 0;
        for &(units, id) in &ranked {
            while percent <= 100 && before * 100 >= percent as i128 * total {
                share_cuts[percent] = Some((units, id));
                percent += 1;
            }
            before += i128::from(units);
        }
        // Everyone ranked after the last buyer has the whole total before them.
        if let Some(&(units, id)) = ranked.last() {
            while percent <= 100 {
                share_cuts[percent] = Some((units, id.saturating_add(1)));
                percent += 1;
            }
        }
        let buyers: Vec<&Facts> = facts.iter().filter(|f| f.purchases > 0).collect();
        let quintiles =
            rules.rfm_method == RfmMethod::Quintiles && buyers.len() >= QUINTILES_MIN_BUYERS as usize;
        let mut quintile_cuts = [[0_i64; 4]; 3];
        if quintiles {
            let goodness: [Vec<i64>; 3] = [
                buyers
                    .iter()
                    .map(|f| -i64::from(f.last.map_or(0, |last| months_since(last, today))))
                    .collect(),
                buyers.iter().map(|f| i64::from(f.purchases)).collect(),
                buyers.iter().map(|f| f.lifetime_units).collect(),
            ];
            for (cuts, mut values) in quintile_cuts.iter_mut().zip(goodness) {
                values.sort_unstable();
                for (k, cut) in cuts.iter_mut().enumerate() {
                    // The highest value of the lowest (k + 1) fifths.
                    *cut = values[(values.len() * (k + 1)) / 5 - 1];
                }
            }
        }
        Boundaries {
            total_units: i64::try_from(total).unwrap_or(i64::MAX),
            share_cuts,
            rfm_method: if quintiles { RfmMethod::Quintiles } else { RfmMethod::Bands },
            quintile_cuts,
        }
    }

    /// The whole percent of the window's spend ranked before this buyer.
    fn share_before(&self, units: i64, id: i64) -> u32 {
        self.share_cuts
            .iter()
            .rposition(|cut| cut.is_some_and(|cut| ranks_at_or_after(units, id, cut)))
            .map_or(0, |percent| percent as u32)
    }
}

/// A score 1–5: one more for each cut the value is above.
fn quintile_score(goodness: i64, cuts: &[i64; 4]) -> u8 {
    1 + cuts.iter().filter(|&&cut| goodness > cut).count() as u8
}

fn rfm_of(facts: &Facts, rules: &StandingRules, boundaries: &Boundaries, months: u32) -> Rfm {
    if boundaries.rfm_method == RfmMethod::Quintiles {
        let [recency, frequency, monetary] = &boundaries.quintile_cuts;
        return Rfm {
            r: quintile_score(-i64::from(months), recency),
            f: quintile_score(i64::from(facts.purchases), frequency),
            m: quintile_score(facts.lifetime_units, monetary),
        };
    }
    let r = 5 - rules.recency_months.iter().filter(|&&limit| months >= limit).count() as u8;
    let f = 1 + rules.frequency_purchases.iter().filter(|&&limit| facts.purchases >= limit).count() as u8;
    let m = 1 + rules
        .monetary_spend
        .iter()
        .filter(|&&limit| units(limit).is_some_and(|limit| facts.lifetime_units >= limit))
        .count() as u8;
    Rfm { r, f, m }
}

/// The named group of an RFM score, the first that matches in this order:
/// champions (R, F and M all 4+), loyal (R 3+, F 4+), can't lose them (R 1–2 with F or M 4+),
/// potential loyalist (R 4+, F 2+), recent (R 4+), promising (R 3, M 3+), need attention (R 3),
/// about to sleep (R 2), hibernating (R 1, F 2+), lost (the rest).
pub(crate) fn rfm_group(rfm: Rfm) -> RfmGroup {
    let Rfm { r, f, m } = rfm;
    match () {
        _ if r >= 4 && f >= 4 && m >= 4 => RfmGroup::Champions,
        _ if r >= 3 && f >= 4 => RfmGroup::Loyal,
        _ if r <= 2 && (f >= 4 || m >= 4) => RfmGroup::CantLoseThem,
        _ if r >= 4 && f >= 2 => RfmGroup::PotentialLoyalist,
        _ if r >= 4 => RfmGroup::Recent,
        _ if r == 3 && m >= 3 => RfmGroup::Promising,
        _ if r == 3 => RfmGroup::NeedAttention,
        _ if r == 2 => RfmGroup::AboutToSleep,
        _ if f >= 2 => RfmGroup::Hibernating,
        _ => RfmGroup::Lost,
    }
}

/// One customer's computed standing, as its row holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Evaluation {
    segment: Segment,
    value_class: Option<ValueClass>,
    rfm: Option<Rfm>,
    rfm_group: Option<RfmGroup>,
    window_units: i64,
    reasons_json: String,
}

fn evaluate(
    facts: &Facts,
    rules: &StandingRules,
    cutoffs: &Cutoffs,
    boundaries: &Boundaries,
    today: NaiveDate,
) -> Evaluation {
    let (Some(first), Some(last)) = (facts.first, facts.last) else {
        return Evaluation {
            segment: Segment::Prospect,
            value_class: None,
            rfm: None,
            rfm_group: None,
            window_units: 0,
            reasons_json: to_json(&[StandingReason::NeverBought]),
        };
    };
    let mut reasons = Vec::with_capacity(3);
    let segment = if last < cutoffs.lapsed {
        reasons.push(StandingReason::NoPurchaseFor {
            segment: Segment::Lapsed,
            last_purchase: last,
            months: rules.lapsed_after_months,
        });
        Segment::Lapsed
    } else {
        if last < cutoffs.at_risk {
            reasons.push(StandingReason::NoPurchaseFor {
                segment: Segment::AtRisk,
                last_purchase: last,
                months: rules.at_risk_after_months,
            });
        }
        if let Some((score, scored_on)) = facts.latest_score
            && score <= rules.low_score_max
            && scored_on >= cutoffs.low_score
        {
            reasons.push(StandingReason::LowSatisfaction {
                score,
                scored_on,
                max_score: rules.low_score_max,
                months: rules.low_score_months,
            });
        }
        if !reasons.is_empty() {
            Segment::AtRisk
        } else {
            if units(rules.vip_min_spend).is_some_and(|threshold| facts.vip_units >= threshold) {
                reasons.push(StandingReason::SpentAtLeast {
                    spent: from_units(facts.vip_units),
                    threshold: rules.vip_min_spend,
                    months: rules.vip_months,
                });
            }
            if facts.vip_purchases >= rules.vip_min_purchases {
                reasons.push(StandingReason::BoughtAtLeast {
                    purchases: facts.vip_purchases,
                    threshold: rules.vip_min_purchases,
                    months: rules.vip_months,
                });
            }
            if !reasons.is_empty() {
                Segment::Vip
            } else if first >= cutoffs.new {
                reasons.push(StandingReason::FirstPurchaseWithin {
                    first_purchase: first,
                    days: rules.new_within_days,
                });
                Segment::New
            } else {
                reasons.push(StandingReason::Regular {
                    last_purchase: last,
                    spent: from_units(facts.vip_units),
                    purchases: facts.vip_purchases,
                    months: rules.vip_months,
                });
                Segment::Regular
            }
        }
    };
    let value_class = if facts.window_units > 0 {
        let share = boundaries.share_before(facts.window_units, facts.id);
        let class = if share < rules.key_percent {
            ValueClass::Key
        } else if share < rules.main_percent {
            ValueClass::Main
        } else {
            ValueClass::Ordinary
        };
        reasons.push(StandingReason::ValueShare {
            class,
            spent: from_units(facts.window_units),
            months: rules.value_months,
            share_before_percent: share,
            key_percent: rules.key_percent,
            main_percent: rules.main_percent,
        });
        class
    } else {
        reasons.push(StandingReason::NothingInWindow { months: rules.value_months });
        ValueClass::Ordinary
    };
    let months = months_since(last, today);
    let rfm = rfm_of(facts, rules, boundaries, months);
    reasons.push(StandingReason::RfmScores {
        rfm,
        method: boundaries.rfm_method,
        months_since_last: months,
        purchases: facts.purchases,
        spent: from_units(facts.lifetime_units),
    });
    Evaluation {
        segment,
        value_class: Some(value_class),
        rfm: Some(rfm),
        rfm_group: Some(rfm_group(rfm)),
        window_units: facts.window_units,
        reasons_json: to_json(&reasons),
    }
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    // Plain data of our own types: serialising cannot fail.
    serde_json::to_string(value).unwrap_or_default()
}

fn day_column(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<NaiveDate>> {
    parse_optional(row, index)
}

/// The per-customer aggregate of purchases, over the whole book (`customer_id IS NOT NULL`)
/// or one customer: count, book-currency spend, first and last purchase, and the counts and
/// spend within the VIP and value windows.
const FACTS_SQL: &str = "SELECT customer_id, count(*),
        coalesce(sum(total_units) FILTER (WHERE currency = :currency), 0),
        min(purchased_on), max(purchased_on),
        count(*) FILTER (WHERE purchased_on >= :vip),
        coalesce(sum(total_units) FILTER (WHERE purchased_on >= :vip AND currency = :currency), 0),
        coalesce(sum(total_units) FILTER (WHERE purchased_on >= :value AND currency = :currency), 0)
    FROM purchases";

fn facts_row(row: &Row<'_>) -> rusqlite::Result<Facts> {
    Ok(Facts {
        // NULL for one customer without purchases.
        id: row.get::<_, Option<i64>>(0)?.unwrap_or_default(),
        purchases: row.get(1)?,
        lifetime_units: row.get(2)?,
        first: day_column(row, 3)?,
        last: day_column(row, 4)?,
        vip_purchases: row.get(5)?,
        vip_units: row.get(6)?,
        window_units: row.get(7)?,
        latest_score: None,
    })
}

/// The values of `FACTS_SQL`'s parameters.
struct FactsParams {
    currency: String,
    vip: String,
    value: String,
}

impl FactsParams {
    fn new(currency: &str, cutoffs: &Cutoffs) -> FactsParams {
        FactsParams {
            currency: currency.to_string(),
            vip: cutoffs.vip.to_string(),
            value: cutoffs.value.to_string(),
        }
    }

    fn named(&self) -> Vec<(&'static str, &dyn ToSql)> {
        vec![(":currency", &self.currency), (":vip", &self.vip), (":value", &self.value)]
    }
}

/// What the customer bought most: category, material and brand, by the number of pieces
/// (material and brand ignoring case, shown in the spelling that sorts first); ties go to the
/// name that sorts first.
#[derive(Default)]
struct Tally {
    categories: HashMap<ItemCategory, u32>,
    materials: HashMap<String, (u32, String)>,
    brands: HashMap<String, (u32, String)>,
}

impl Tally {
    fn add(&mut self, category: ItemCategory, material: &str, brand: &str) {
        *self.categories.entry(category).or_default() += 1;
        for (map, text) in [(&mut self.materials, material), (&mut self.brands, brand)] {
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            let entry = map.entry(text.to_lowercase()).or_insert((0, text.to_string()));
            entry.0 += 1;
            if text < entry.1.as_str() {
                entry.1 = text.to_string();
            }
        }
    }

    fn most(&self) -> BoughtMost {
        fn top(map: &HashMap<String, (u32, String)>) -> Option<String> {
            map.iter()
                .max_by(|(a_key, a), (b_key, b)| a.0.cmp(&b.0).then_with(|| b_key.cmp(a_key)))
                .map(|(_, (_, spelling))| spelling.clone())
        }
        BoughtMost {
            category: self
                .categories
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.as_str().cmp(a.0.as_str())))
                .map(|(category, _)| *category),
            material: top(&self.materials),
            brand: top(&self.brands),
        }
    }
}

fn bought_most_of(conn: &Connection, customer_id: i64) -> Result<String> {
    let mut tally = Tally::default();
    let mut statement = conn.prepare_cached(
        "SELECT i.category, i.material, i.brand FROM purchases p
         JOIN purchase_items i ON i.purchase_id = p.id WHERE p.customer_id = ?1",
    )?;
    let mut rows = statement.query([customer_id])?;
    while let Some(row) = rows.next()? {
        tally.add(parse_column(row, 0)?, text_at(row, 1)?, text_at(row, 2)?);
    }
    Ok(to_json(&tally.most()))
}

/// Every buyer's `bought_most_json`, in one pass over the items.
fn bought_most_all(conn: &Connection) -> Result<HashMap<i64, String>> {
    let mut statement = conn.prepare(
        "SELECT p.customer_id, i.category, i.material, i.brand FROM purchases p
         JOIN purchase_items i ON i.purchase_id = p.id ORDER BY p.customer_id",
    )?;
    let mut all = HashMap::new();
    let mut current: Option<(i64, Tally)> = None;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        if current.as_ref().is_none_or(|(current_id, _)| *current_id != id)
            && let Some((done, tally)) = current.replace((id, Tally::default()))
        {
            all.insert(done, to_json(&tally.most()));
        }
        if let Some((_, tally)) = current.as_mut() {
            tally.add(parse_column(row, 1)?, text_at(row, 2)?, text_at(row, 3)?);
        }
    }
    if let Some((done, tally)) = current {
        all.insert(done, to_json(&tally.most()));
    }
    Ok(all)
}

/// What a move is recorded against: the segment and value class a customer had.
type Previous = (Segment, Option<ValueClass>);

/// Writes `new` for the customer, with what they bought most when given (None keeps the stored
/// one, or none for a new row), and records the moves of segment and value class from
/// `old`; the first evaluation of a customer records none (they did not move, they arrived).
/// Returns the moves recorded.
fn write(
    conn: &Connection,
    id: i64,
    old: Option<Previous>,
    new: &Evaluation,
    bought_most_json: Option<&str>,
    today: &str,
    now: &str,
) -> Result<u32> {
    conn.prepare_cached(
        "INSERT INTO customer_standing (customer_id, segment, value_class, recency, frequency, monetary,
            rfm_group, window_units, bought_most_json, reasons_json, evaluated_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, coalesce(?9, '{}'), ?10, ?11)
         ON CONFLICT (customer_id) DO UPDATE SET segment = excluded.segment,
            value_class = excluded.value_class, recency = excluded.recency,
            frequency = excluded.frequency, monetary = excluded.monetary,
            rfm_group = excluded.rfm_group, window_units = excluded.window_units,
            bought_most_json = coalesce(?9, bought_most_json), reasons_json = excluded.reasons_json,
            evaluated_on = excluded.evaluated_on",
    )?
    .execute(params![
        id,
        new.segment.as_str(),
        new.value_class.map(ValueClass::as_str),
        new.rfm.map(|rfm| rfm.r),
        new.rfm.map(|rfm| rfm.f),
        new.rfm.map(|rfm| rfm.m),
        new.rfm_group.map(RfmGroup::as_str),
        new.window_units,
        bought_most_json,
        new.reasons_json,
        today,
    ])?;
    let Some((old_segment, old_class)) = old else { return Ok(0) };
    let mut moves = 0;
    let mut record = conn.prepare_cached(
        "INSERT INTO standing_changes (customer_id, changed_on, kind, from_value, to_value, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    if old_segment != new.segment {
        record.execute(params![id, today, "segment", old_segment.as_str(), new.segment.as_str(), now])?;
        moves += 1;
    }
    if old_class != new.value_class {
        record.execute(params![
            id,
            today,
            "value_class",
            old_class.map(ValueClass::as_str),
            new.value_class.map(ValueClass::as_str),
            now
        ])?;
        moves += 1;
    }
    Ok(moves)
}

fn store_setting(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

/// The day of the last whole-book evaluation.
pub(crate) fn last_evaluated(conn: &Connection) -> Result<Option<NaiveDate>> {
    let day: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([EVALUATED_KEY], |row| row.get(0))
        .optional()?;
    Ok(day.and_then(|day| day.parse().ok()))
}

/// Every customer's facts, in id order, from one pass over the purchases in the order they
/// are stored, folded here: the same as `FACTS_SQL` grouped by customer (dates compared as
/// the text SQL compares), without its index lookups of a million rows.
fn book_facts(conn: &Connection, currency: &str, cutoffs: &Cutoffs) -> Result<Vec<Facts>> {
    let mut facts: Vec<Facts> = conn
        .prepare("SELECT id FROM customers ORDER BY id")?
        .query_map([], |row| Ok(Facts { id: row.get(0)?, ..Facts::default() }))?
        .collect::<rusqlite::Result<_>>()?;
    // The first and last purchase's text per customer, parsed once at the end.
    let mut days: Vec<(String, String)> = vec![(String::new(), String::new()); facts.len()];
    let (vip, value) = (cutoffs.vip.to_string(), cutoffs.value.to_string());
    let mut statement =
        conn.prepare("SELECT customer_id, purchased_on, currency, total_units FROM purchases")?;
    let mut rows = statement.query([])?;
    // A customer's purchases mostly follow one another in the table: look the last one's
    // customer up again before searching.
    let mut index = 0;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        if facts.get(index).is_none_or(|found| found.id != id) {
            let Ok(found) = facts.binary_search_by_key(&id, |found| found.id) else { continue };
            index = found;
        }
        let (found, (first, last)) = (&mut facts[index], &mut days[index]);
        let day = text_at(row, 1)?;
        // Compared as bytes: a currency code needs no UTF-8 check.
        let in_currency = row.get_ref(2)?.as_bytes().is_ok_and(|code| code == currency.as_bytes());
        let total: i64 = row.get(3)?;
        found.purchases += 1;
        if first.is_empty() || day < first.as_str() {
            first.clear();
            first.push_str(day);
        }
        if day > last.as_str() {
            last.clear();
            last.push_str(day);
        }
        if in_currency {
            found.lifetime_units = found.lifetime_units.saturating_add(total);
        }
        if day >= vip.as_str() {
            found.vip_purchases += 1;
            if in_currency {
                found.vip_units = found.vip_units.saturating_add(total);
            }
        }
        if in_currency && day >= value.as_str() {
            found.window_units = found.window_units.saturating_add(total);
        }
    }
    for (found, (first, last)) in facts.iter_mut().zip(&days) {
        if found.purchases > 0 {
            found.first = Some(parse_day(first)?);
            found.last = Some(parse_day(last)?);
        }
    }
    Ok(facts)
}

pub(crate) fn parse_day(text: &str) -> Result<NaiveDate> {
    stored_day(text).or_else(|| text.parse().ok()).ok_or_else(|| {
        crate::Error::Sqlite(rusqlite::Error::FromSqlConversionFailure(
            1,
            rusqlite::types::Type::Text,
            format!("not a day: {text:?}").into(),
        ))
    })
}

/// A day as the book stores it, `YYYY-MM-DD`, read digit by digit: chrono's general parser was
/// most of the cost of reading a year of sales (insights.rs). None for any other shape.
fn stored_day(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0_u32, |value, digit| {
            digit.is_ascii_digit().then(|| value * 10 + u32::from(digit - b'0'))
        })
    };
    let year = i32::try_from(number(&bytes[..4])?).ok()?;
    NaiveDate::from_ymd_opt(year, number(&bytes[5..7])?, number(&bytes[8..])?)
}

/// Re-evaluates every customer on `today` by the book's rules, in the caller's transaction:
/// ranks the window's spend, finds the quintiles, writes the rows that differ, records the
/// moves and stores the boundaries and the day. `items_changed` recomputes what each customer
/// bought most (after bulk loads); otherwise it is kept from the stored row, since only a
/// sale changes it and each sale re-evaluates its customer.
pub(crate) fn refresh_book(
    conn: &Connection,
    today: NaiveDate,
    items_changed: bool,
) -> Result<StandingRefresh> {
    let settings = read_settings(conn)?;
    let rules = &settings.standing;
    let cutoffs = Cutoffs::of(rules, today);
    let mut facts = book_facts(conn, &settings.default_currency, &cutoffs)?;
    {
        let mut statement = conn.prepare(
            "SELECT customer_id, score, scored_on FROM satisfaction_scores WHERE scored_on >= ?1
             ORDER BY customer_id, scored_on DESC, id DESC",
        )?;
        let mut rows = statement.query([cutoffs.low_score.to_string()])?;
        let mut index = 0;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            while index < facts.len() && facts[index].id < id {
                index += 1;
            }
            if let Some(found) =
                facts.get_mut(index).filter(|found| found.id == id && found.latest_score.is_none())
                && let Some(day) = day_column(row, 2)?
            {
                found.latest_score = Some((row.get(1)?, day));
            }
        }
    }
    let stored_rows: i64 = conn.query_row("SELECT count(*) FROM customer_standing", [], |row| row.get(0))?;
    let bought_most =
        if items_changed || stored_rows < facts.len() as i64 { Some(bought_most_all(conn)?) } else { None };
    let boundaries = Boundaries::rank(&facts, rules, today);
    let empty = to_json(&BoughtMost::default());
    // The rows that differ from their stored one, written once the stored rows are read.
    let mut pending: Vec<(i64, Option<Previous>, Evaluation, Option<&str>)> = Vec::new();
    {
        let mut statement = conn.prepare(
            "SELECT customer_id, segment, value_class, recency, frequency, monetary, rfm_group, window_units,
                    reasons_json, bought_most_json
             FROM customer_standing ORDER BY customer_id",
        )?;
        let mut rows = statement.query([])?;
        let mut next = rows.next()?;
        for found in &facts {
            while let Some(row) = next
                && row.get::<_, i64>(0)? < found.id
            {
                next = rows.next()?;
            }
            let new = evaluate(found, rules, &cutoffs, &boundaries, today);
            let most =
                bought_most.as_ref().map(|all| all.get(&found.id).map_or(empty.as_str(), String::as_str));
            let stored = match next {
                Some(row) if row.get::<_, i64>(0)? == found.id => Some(row),
                _ => None,
            };
            let old = match stored {
                Some(row) if same_row(row, &new, most)? => continue,
                Some(row) => Some((parse_column(row, 1)?, parse_optional(row, 2)?)),
                None => None,
            };
            pending.push((found.id, old, new, most));
        }
    }
    let (today_text, now) = (today.to_string(), crate::clock::now().to_rfc3339());
    let mut changes = 0;
    for (id, old, new, most) in &pending {
        changes += write(conn, *id, *old, new, *most, &today_text, &now)?;
    }
    store_setting(conn, BOUNDARIES_KEY, &to_json(&boundaries))?;
    store_setting(conn, EVALUATED_KEY, &today_text)?;
    Ok(StandingRefresh {
        customers: facts.len() as u32,
        changes,
        tier_changes: 0,
        agenda: AgendaRefresh::default(),
        evaluated_on: today,
    })
}

/// Whether the stored row (columns as `refresh_book` selects them) already holds `new`, and
/// `bought_most_json` when it is recomputed; read in place, without copying the row.
fn same_row(row: &Row<'_>, new: &Evaluation, bought_most_json: Option<&str>) -> rusqlite::Result<bool> {
    let text = |index: usize| -> rusqlite::Result<Option<&str>> {
        let value = row.get_ref(index)?;
        if value == rusqlite::types::ValueRef::Null { Ok(None) } else { text_at(row, index).map(Some) }
    };
    Ok(text(1)? == Some(new.segment.as_str())
        && text(2)? == new.value_class.map(ValueClass::as_str)
        && rfm_columns(row, 3)? == new.rfm
        && text(6)? == new.rfm_group.map(RfmGroup::as_str)
        && row.get::<_, i64>(7)? == new.window_units
        && text(8)? == Some(new.reasons_json.as_str())
        && match bought_most_json {
            Some(most) => text(9)? == Some(most),
            None => true,
        })
}

/// Re-evaluates one customer on `today` against the boundaries of the last whole-book
/// evaluation (the whole book is ranked when there are none yet), in the caller's transaction.
pub(crate) fn evaluate_customer(conn: &Connection, customer_id: i64, today: NaiveDate) -> Result<()> {
    let boundaries: Option<Boundaries> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([BOUNDARIES_KEY], |row| row.get::<_, String>(0))
        .optional()?
        .and_then(|json| serde_json::from_str(&json).ok());
    let Some(boundaries) = boundaries else {
        refresh_book(conn, today, true)?;
        return Ok(());
    };
    let settings = read_settings(conn)?;
    let rules = &settings.standing;
    let cutoffs = Cutoffs::of(rules, today);
    let values = FactsParams::new(&settings.default_currency, &cutoffs);
    let mut named = values.named();
    named.push((":customer", &customer_id));
    let mut facts = conn
        .prepare_cached(&format!("{FACTS_SQL} WHERE customer_id = :customer"))?
        .query_row(named.as_slice(), facts_row)?;
    facts.id = customer_id;
    facts.latest_score = conn
        .prepare_cached(
            "SELECT score, scored_on FROM satisfaction_scores WHERE customer_id = ?1 AND scored_on >= ?2
             ORDER BY scored_on DESC, id DESC LIMIT 1",
        )?
        .query_row(params![customer_id, cutoffs.low_score.to_string()], |row| {
            Ok((row.get(0)?, day_column(row, 1)?))
        })
        .optional()?
        .and_then(|(score, day): (u8, Option<NaiveDate>)| day.map(|day| (score, day)));
    let old: Option<Previous> = conn
        .prepare_cached("SELECT segment, value_class FROM customer_standing WHERE customer_id = ?1")?
        .query_row([customer_id], |row| Ok((parse_column(row, 0)?, parse_optional(row, 1)?)))
        .optional()?;
    let new = evaluate(&facts, rules, &cutoffs, &boundaries, today);
    let most = bought_most_of(conn, customer_id)?;
    write(conn, customer_id, old, &new, Some(&most), &today.to_string(), &crate::clock::now().to_rfc3339())?;
    Ok(())
}

/// The standing of someone who has never bought, for a contacts import to give the people it
/// creates right after their rows, a chunk at a time. Given to every new person in one statement
/// at the end, that statement kept a copy of every customer index page its trigger rewrote (the
/// segment copied onto the row) until it ended: SQLite's statement journal, in memory here,
/// 820 MB for a million people. The rows are now born with those copies (`row_copies`).
pub(crate) struct Prospect {
    standing: Evaluation,
    bought_most_json: String,
    evaluated_on: String,
}

/// What the standing's triggers copy onto the customer row (migration 0017).
pub(crate) struct RowCopies {
    pub segment: &'static str,
    pub value_class: Option<&'static str>,
    pub window_units: i64,
    pub rfm_score: Option<i64>,
}

impl Prospect {
    pub(crate) fn on(today: NaiveDate) -> Self {
        let rules = StandingRules::default();
        let standing = evaluate(
            &Facts::default(),
            &rules,
            &Cutoffs::of(&rules, today),
            &Boundaries::rank(&[], &rules, today),
            today,
        );
        Prospect {
            standing,
            bought_most_json: to_json(&BoughtMost::default()),
            evaluated_on: today.to_string(),
        }
    }

    /// The copies this standing's trigger would write onto the customer row, for a row inserted
    /// with them already (`customers::insert_prospects`): the trigger then finds them equal and
    /// rewrites none of the 11 customer indexes that hold them. It still compares, so a copy
    /// that drifted from the trigger's would be mended, not kept.
    pub(crate) fn row_copies(&self) -> RowCopies {
        let standing = &self.standing;
        RowCopies {
            segment: standing.segment.as_str(),
            value_class: standing.value_class.map(ValueClass::as_str),
            window_units: standing.window_units,
            rfm_score: standing
                .rfm
                .map(|rfm| i64::from(rfm.r) * 100 + i64::from(rfm.f) * 10 + i64::from(rfm.m)),
        }
    }

    /// Writes the standing of the customers `ids` (an import's newcomers, who get consecutive
    /// ids) as their first evaluation's `write` would, in one statement: a statement each took
    /// twice as long as the rows themselves. A row already there is an error, not replaced.
    pub(crate) fn give_all(&self, conn: &Connection, ids: RangeInclusive<i64>) -> Result<()> {
        let standing = &self.standing;
        conn.prepare_cached(
            "WITH RECURSIVE newcomer(id) AS (SELECT ?1 UNION ALL SELECT id + 1 FROM newcomer WHERE id < ?2)
             INSERT INTO customer_standing (customer_id, segment, value_class, recency, frequency, monetary,
                rfm_group, window_units, bought_most_json, reasons_json, evaluated_on)
             SELECT id, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12 FROM newcomer",
        )?
        .execute(params![
            ids.start(),
            ids.end(),
            standing.segment.as_str(),
            standing.value_class.map(ValueClass::as_str),
            standing.rfm.map(|rfm| rfm.r),
            standing.rfm.map(|rfm| rfm.f),
            standing.rfm.map(|rfm| rfm.m),
            standing.rfm_group.map(RfmGroup::as_str),
            standing.window_units,
            self.bought_most_json,
            standing.reasons_json,
            self.evaluated_on,
        ])?;
        Ok(())
    }
}

/// Whether the day's evaluation has anything to do on `today`.
fn refresh_due(conn: &Connection, today: NaiveDate) -> Result<bool> {
    Ok(last_evaluated(conn)? != Some(today) || crate::agenda::last_ran(conn)? != Some(today))
}

/// The day's evaluation on `today`, in the caller's transaction: the whole book when it was
/// last evaluated on another day; only the agenda's rules when the book was evaluated today but
/// they did not run with it (a clock moved between the two); None when both ran today.
fn refresh_if_due(conn: &Connection, today: NaiveDate) -> Result<Option<StandingRefresh>> {
    if last_evaluated(conn)? != Some(today) {
        return crate::evaluation::refresh_book(conn, today, false).map(Some);
    }
    if crate::agenda::last_ran(conn)? != Some(today) {
        let agenda = crate::agenda::refresh_book(conn, today)?;
        return Ok(Some(StandingRefresh {
            customers: 0,
            changes: 0,
            tier_changes: 0,
            agenda,
            evaluated_on: today,
        }));
    }
    Ok(None)
}

impl Book {
    /// Re-evaluates the whole book's standing today (after a change of rules, or on demand).
    pub fn refresh_standing(&mut self) -> Result<StandingRefresh> {
        self.refresh_standing_on(crate::clock::today())
    }

    /// Re-evaluates the whole book's standing as on `today` (tests and the daily refresh).
    pub fn refresh_standing_on(&mut self, today: NaiveDate) -> Result<StandingRefresh> {
        self.with_tx(|tx| crate::evaluation::refresh_book(tx, today, false))
    }

    /// The daily re-evaluation, with the agenda's rules: runs when the whole book was last
    /// evaluated on another day than today (time alone moves people to at risk and brings
    /// birthdays near); None when it was done today. A book evaluated today takes no write lock.
    pub fn refresh_standing_if_due(&mut self) -> Result<Option<StandingRefresh>> {
        let today = crate::clock::today();
        if !refresh_due(&self.conn, today)? {
            return Ok(None);
        }
        self.with_tx(|tx| refresh_if_due(tx, today))
    }

    /// `refresh_standing_if_due` on a connection beside the book's own, in a deferred
    /// transaction: its reading (the whole book) takes no lock, so the book's own connection
    /// reads and saves meanwhile, and it takes the write lock at its first write. A save that
    /// landed during the reading makes that write fail busy (SQLite will not write from an
    /// older snapshot), and nothing was written: the caller reads again.
    pub(crate) fn refresh_standing_if_due_beside(&mut self) -> Result<Option<StandingRefresh>> {
        let today = crate::clock::today();
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Deferred)?;
        let done = refresh_if_due(&tx, today)?;
        tx.commit()?;
        Ok(done)
    }

    /// Re-evaluates customer `id` today against the last whole-book ranking, as a sale, score or
    /// edit of theirs does, and returns where they stand now.
    pub fn reevaluate_standing(&mut self, id: i64) -> Result<Standing> {
        let today = crate::clock::today();
        self.with_tx(|tx| {
            crate::history::require_customer(tx, id)?;
            evaluate_customer(tx, id, today)
        })?;
        stored_standing(&self.conn, id)
    }

    /// Where customer `id` stands, as last evaluated.
    pub fn standing(&self, id: i64) -> Result<Standing> {
        stored_standing(&self.conn, id)
    }

    /// The customer's segment and value-class moves, newest first.
    pub fn standing_changes(&self, id: i64) -> Result<Vec<StandingChange>> {
        crate::history::require_customer(&self.conn, id)?;
        changes_of(&self.conn, id)
    }
}

/// An amount as the dealer reads it: thousands grouped with commas, no ".00" (reasons here,
/// and the CLI's membership lines).
pub fn money(amount: Decimal) -> String {
    let text = amount.normalize().to_string();
    let (sign, text) = text.strip_prefix('-').map_or(("", text.as_str()), |rest| ("-", rest));
    let (whole, fraction) =
        text.split_once('.').map_or((text, None), |(whole, fraction)| (whole, Some(fraction)));
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    match fraction {
        // One decimal is money's tenths: 12.5 reads 12.50.
        Some(fraction) if fraction.len() == 1 => format!("{sign}{grouped}.{fraction}0"),
        Some(fraction) => format!("{sign}{grouped}.{fraction}"),
        None => format!("{sign}{grouped}"),
    }
}

fn plural(count: u32, one: &str, other: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { other })
}

fn segment_name(segment: Segment) -> &'static str {
    match segment {
        Segment::Prospect => "Prospect",
        Segment::Lapsed => "Lapsed",
        Segment::AtRisk => "At risk",
        Segment::Vip => "VIP",
        Segment::New => "New",
        Segment::Regular => "Regular",
    }
}

fn class_name(class: ValueClass) -> &'static str {
    match class {
        ValueClass::Key => "Key customer",
        ValueClass::Main => "Main customer",
        ValueClass::Ordinary => "Ordinary customer",
    }
}

/// The reason in the dealer's English, for the CLI and the logs; the window words the same
/// data in its language.
impl std::fmt::Display for StandingReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let months = |count: u32| plural(count, "month", "months");
        match self {
            StandingReason::NeverBought => write!(f, "Prospect: nothing bought yet"),
            StandingReason::NoPurchaseFor { segment, last_purchase, months: limit } => write!(
                f,
                "{}: last purchase on {last_purchase}, more than {} ago",
                segment_name(*segment),
                months(*limit)
            ),
            StandingReason::LowSatisfaction { score, scored_on, max_score, months: limit } => write!(
                f,
                "At risk: satisfaction score {score} on {scored_on}, {max_score} or lower within the last {}",
                months(*limit)
            ),
            StandingReason::SpentAtLeast { spent, threshold, months: limit } => write!(
                f,
                "VIP: {} spent in the last {}, threshold {}",
                money(*spent),
                months(*limit),
                money(*threshold)
            ),
            StandingReason::BoughtAtLeast { purchases, threshold, months: limit } => write!(
                f,
                "VIP: {} in the last {}, threshold {threshold}",
                plural(*purchases, "purchase", "purchases"),
                months(*limit)
            ),
            StandingReason::FirstPurchaseWithin { first_purchase, days } => write!(
                f,
                "New: first purchase on {first_purchase}, within the last {}",
                plural(*days, "day", "days")
            ),
            StandingReason::Regular { last_purchase, spent, purchases, months: limit } => write!(
                f,
                "Regular: {} spent and {} in the last {}, last on {last_purchase}",
                money(*spent),
                plural(*purchases, "purchase", "purchases"),
                months(*limit)
            ),
            StandingReason::ValueShare {
                class,
                spent,
                months: limit,
                share_before_percent,
                key_percent,
                main_percent,
            } => {
                write!(
                    f,
                    "{}: {} spent in the last {}; customers ranked above spent {share_before_percent}% of the total \
                     (key below {key_percent}%, main below {main_percent}%)",
                    class_name(*class),
                    money(*spent),
                    months(*limit)
                )
            }
            StandingReason::NothingInWindow { months: limit } => {
                write!(f, "Ordinary customer: nothing spent in the last {}", months(*limit))
            }
            StandingReason::RfmScores { rfm, method, months_since_last, purchases, spent } => write!(
                f,
                "RFM {}{}{} ({}): {} since the last purchase, {}, {} spent in all",
                rfm.r,
                rfm.f,
                rfm.m,
                match method {
                    RfmMethod::Bands => "bands",
                    RfmMethod::Quintiles => "quintiles",
                },
                months(*months_since_last),
                plural(*purchases, "purchase", "purchases"),
                money(*spent)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("day")
    }

    #[test]
    fn a_stored_day_reads_as_chrono_reads_it_and_nothing_else_passes() {
        let mut day_of_year = day("2023-12-25");
        while day_of_year < day("2025-01-05") {
            let text = day_of_year.to_string();
            assert_eq!(stored_day(&text), Some(day_of_year), "{text}");
            day_of_year = day_of_year.succ_opt().expect("next");
        }
        for wrong in [
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-1-01",
            "2026-01-1x",
            "2026/01/01",
            "",
            "+2026-01-01",
        ] {
            assert_eq!(stored_day(wrong), None, "{wrong}");
        }
        assert!(parse_day("2026-02-30").is_err());
        assert_eq!(parse_day("2024-02-29").expect("leap day"), day("2024-02-29"));
    }

    #[test]
    fn months_since_counts_whole_calendar_months() {
        assert_eq!(months_since(day("2025-03-15"), day("2026-03-15")), 12);
        assert_eq!(months_since(day("2025-03-16"), day("2026-03-15")), 11);
        // As the segment rules count: 28 February less a month is 28 January, before the 31st.
        assert_eq!(months_since(day("2026-01-31"), day("2026-02-28")), 0);
        assert_eq!(months_since(day("2026-01-28"), day("2026-02-28")), 1);
        assert_eq!(months_since(day("2026-02-28"), day("2026-03-30")), 1);
        assert_eq!(months_since(day("2026-03-01"), day("2026-03-31")), 0);
        assert_eq!(months_since(day("2027-01-01"), day("2026-03-31")), 0);
    }

    #[test]
    fn amounts_read_as_a_dealer_writes_them() {
        assert_eq!(money(Decimal::new(3_240_000, 2)), "32,400");
        assert_eq!(money(Decimal::new(1_999_999, 2)), "19,999.99");
        assert_eq!(money(Decimal::new(125, 1)), "12.50");
        assert_eq!(money(Decimal::new(1_000_000, 0)), "1,000,000");
        assert_eq!(money(Decimal::new(999, 0)), "999");
    }

    #[test]
    fn every_score_has_a_group() {
        for r in 1..=5 {
            for f in 1..=5 {
                for m in 1..=5 {
                    rfm_group(Rfm { r, f, m });
                }
            }
        }
        assert_eq!(rfm_group(Rfm { r: 5, f: 5, m: 5 }), RfmGroup::Champions);
        assert_eq!(rfm_group(Rfm { r: 1, f: 5, m: 5 }), RfmGroup::CantLoseThem);
        assert_eq!(rfm_group(Rfm { r: 5, f: 1, m: 1 }), RfmGroup::Recent);
        assert_eq!(rfm_group(Rfm { r: 1, f: 1, m: 1 }), RfmGroup::Lost);
    }

    #[test]
    fn the_reason_reads_as_the_issue_says() {
        let reason = StandingReason::SpentAtLeast {
            spent: Decimal::new(32_400, 0),
            threshold: Decimal::new(20_000, 0),
            months: 24,
        };
        assert_eq!(reason.to_string(), "VIP: 32,400 spent in the last 24 months, threshold 20,000");
    }
}
