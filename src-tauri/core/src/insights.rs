//! Insights: seed 000's numbers (lifetime value, acquisition cost, retention, satisfaction) and
//! seed 004's share of returning customers over a period, narrowed by any audience; the months,
//! cohorts, brands and categories behind them. Definitions in ARCHITECTURE.md, "Insights".
//!
//! Only the sales of the three periods compared (the period, the one before, and the one before
//! that, for the previous retention) are read, by the day's index, and folded here: what was
//! paid, by whom, by month. Whether a customer had bought by a period's end, once or twice, and
//! when first, is on their row (`first_purchase_on`, `second_purchase_on`, migration 13), so the
//! years of sales before are never walked; a repeat customer's last sale by an end that they
//! bought after is among the sales read, or one look in their index away.

use std::collections::{BTreeMap, HashMap};

use rustc_hash::{FxHashMap, FxHashSet};

use chrono::{Datelike, Days, Months, NaiveDate};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params_from_iter};
use rust_decimal::Decimal;

use crate::audience::Audience;
use crate::error::{Error, Result};
use crate::history::TimelineEntry;
use crate::model::{
    Campaign, CampaignChannel, CampaignContacts, CampaignDraft, CampaignResult, Cohort, CsvTable,
    CurrencyTotal, Direction, Expense, ExpenseDraft, Insights, InsightsQuery, InteractionDraft,
    InteractionKind, MailingChannel, MonthFigures, PeriodFigures, RankedTotal, TierCount, TierLabel,
};
use crate::problem::Problem;
use crate::purchases::from_units;
use crate::store::Book;
use crate::validate::{check_amount, check_length};

/// Cohorts are kept for the first this many months of a period…
const COHORT_MONTHS: usize = 36;
/// …and followed this many months from the period's first (a bit each).
const MONTHS_FOLLOWED: usize = 128;
/// The brands listed, by revenue.
const TOP_BRANDS: usize = 10;
/// Years of days, for frequencies per year and lifespans in years.
const DAYS_IN_A_YEAR: Decimal = Decimal::from_parts(36525, 0, 0, false, 2);
const MAX_CAMPAIGN_NAME_CHARS: usize = 120;
const MAX_NOTE_CHARS: usize = 2000;

/// The days of a period, both ends included.
#[derive(Debug, Clone, Copy)]
struct Period {
    from: NaiveDate,
    to: NaiveDate,
}

impl Period {
    fn days(self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    fn holds(self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// The period of the same length just before.
    fn before(self) -> Period {
        let to = self.from.pred_opt().unwrap_or(self.from);
        Period { from: to - Days::new(u64::try_from(self.days() - 1).unwrap_or(0)), to }
    }
}

/// What one period's sales in the book's currency came to.
#[derive(Default)]
struct Takings {
    units: i64,
    purchases: u32,
    /// What each buyer paid in the period, in ten-thousandths.
    by_buyer: FxHashMap<i64, i64>,
    other: BTreeMap<String, (i64, u32)>,
}

/// A customer's purchase days as kept on their row (`first_purchase_on`, `second_purchase_on`,
/// `last_purchase_on`): whether they had bought by a day, and twice, is a comparison.
#[derive(Clone, Copy)]
struct PurchaseDays {
    first: NaiveDate,
    second: Option<NaiveDate>,
    last: NaiveDate,
}

/// Per customer, from the sales read (those from the earliest period on).
#[derive(Default)]
struct Recent {
    /// Their last sale read by the period's end, and by the previous period's end.
    last_by_end: Option<NaiveDate>,
    last_by_previous_end: Option<NaiveDate>,
    /// The months of the period (from its first) in which they bought, as bits.
    months: u128,
    /// The periods they bought in whatever the currency, as bits (`NOW`, `THEN`, `EARLIER`).
    bought: u8,
    /// What they paid in the book's currency in the period and the one before, when they did.
    paid_now: Option<i64>,
    paid_then: Option<i64>,
}

const NOW: u8 = 1;
const THEN: u8 = 2;
const EARLIER: u8 = 4;

/// Of the customers who bought in one period, how many bought again in the next.
struct Retention {
    base: u32,
    retained: u32,
}

impl Retention {
    fn of(recent: &FxHashMap<i64, Recent>, before: u8, after: u8) -> Retention {
        let bought_before = recent.values().filter(|recent| recent.bought & before != 0);
        let (mut base, mut retained) = (0, 0);
        for recent in bought_before {
            base += 1;
            retained += u32::from(recent.bought & after != 0);
        }
        Retention { base, retained }
    }
}

/// Customers who had bought by a period's end, as a period's figures count them.
#[derive(Default)]
struct Customers {
    bought: u32,
    repeat: u32,
    new: u32,
    span_days: i64,
}

/// Which end of the two periods read.
#[derive(Clone, Copy)]
enum End {
    Period,
    Previous,
}

/// Counts the customers who had bought by `end` (the day `which` names): once, twice or more
/// (with the days from their first sale to their last by then), first in `period`. A repeat
/// customer's last sale by the end is on their row unless they bought after it; then it is among
/// the sales read, or before them (`read_from`), where the customer's index finds it.
fn customers_by(
    conn: &Connection,
    period: Period,
    which: End,
    read_from: NaiveDate,
    days: &FxHashMap<i64, PurchaseDays>,
    recent: &FxHashMap<i64, Recent>,
) -> Result<Customers> {
    let end = period.to;
    let mut counted = Customers::default();
    let mut last_before = conn.prepare_cached(
        "SELECT max(purchased_on) FROM purchases WHERE customer_id = ?1 AND purchased_on < ?2",
    )?;
    for (id, bought) in days {
        if bought.first > end {
            continue;
        }
        counted.bought += 1;
        if period.holds(bought.first) {
            counted.new += 1;
        }
        if bought.second.is_none_or(|second| second > end) {
            continue;
        }
        counted.repeat += 1;
        let last = if bought.last <= end {
            bought.last
        } else {
            let read = recent.get(id).and_then(|recent| match which {
                End::Period => recent.last_by_end,
                End::Previous => recent.last_by_previous_end,
            });
            match read {
                Some(day) => day,
                None => {
                    let before: Option<String> = last_before
                        .query_row(rusqlite::params![id, read_from.to_string()], |row| row.get(0))?;
                    // Twice by the end and nothing read by then: a sale before `read_from` exists.
                    before.map(|day| crate::standing::parse_day(&day)).transpose()?.unwrap_or(bought.first)
                }
            }
        };
        counted.span_days += (last - bought.first).num_days();
    }
    Ok(counted)
}

fn percent(part: u32, whole: u32) -> Option<Decimal> {
    (whole > 0).then(|| Decimal::from(part) * Decimal::ONE_HUNDRED / Decimal::from(whole))
}

fn ratio(numerator: Decimal, denominator: Decimal) -> Option<Decimal> {
    numerator.checked_div(denominator).filter(|_| !denominator.is_zero())
}

/// Months from `from`'s to `day`'s.
fn month_index(from: NaiveDate, day: NaiveDate) -> usize {
    let months = (day.year() - from.year()) * 12 + day.month0() as i32 - from.month0() as i32;
    usize::try_from(months).unwrap_or(0)
}

fn month_name(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

/// The customers of the audience, or None for everyone.
fn audience_ids(conn: &Connection, query: &InsightsQuery, region: &str) -> Result<Option<FxHashSet<i64>>> {
    let mut params: Vec<Value> = Vec::new();
    let audience = Audience::compile(conn, &query.filter, region, &mut params)?;
    if audience.is_everyone() {
        return Ok(None);
    }
    let sql = format!("SELECT c.id FROM customers c WHERE {}", audience.where_sql());
    let ids = conn
        .prepare_cached(&sql)?
        .query_map(params_from_iter(&params), |row| row.get(0))?
        .collect::<rusqlite::Result<FxHashSet<i64>>>()?;
    Ok(Some(ids))
}

/// Campaigns and other marketing expenses dated in the period.
fn marketing_cost(conn: &Connection, period: Period) -> Result<Decimal> {
    let mut total = Decimal::ZERO;
    for sql in [
        "SELECT cost FROM campaigns WHERE run_on BETWEEN ?1 AND ?2",
        "SELECT amount FROM marketing_expenses WHERE spent_on BETWEEN ?1 AND ?2",
    ] {
        let mut statement = conn.prepare_cached(sql)?;
        let mut rows = statement.query([period.from.to_string(), period.to.to_string()])?;
        while let Some(row) = rows.next()? {
            total += row.get::<_, String>(0)?.parse::<Decimal>().unwrap_or_default();
        }
    }
    Ok(total)
}

/// Satisfaction scores given in the period by the audience, with their day.
fn scores(
    conn: &Connection,
    period: Period,
    audience: Option<&FxHashSet<i64>>,
) -> Result<Vec<(NaiveDate, u32)>> {
    let mut statement = conn.prepare_cached(
        "SELECT customer_id, scored_on, score FROM satisfaction_scores WHERE scored_on BETWEEN ?1 AND ?2",
    )?;
    let mut rows = statement.query([period.from.to_string(), period.to.to_string()])?;
    let mut found = Vec::new();
    while let Some(row) = rows.next()? {
        let customer: i64 = row.get(0)?;
        if audience.is_some_and(|ids| !ids.contains(&customer)) {
            continue;
        }
        found.push((crate::standing::parse_day(&row.get::<_, String>(1)?)?, row.get(2)?));
    }
    Ok(found)
}

fn csat_of(scores: &[(NaiveDate, u32)]) -> (Option<Decimal>, Option<Decimal>, u32) {
    let count = scores.len() as u32;
    let sum: u32 = scores.iter().map(|(_, score)| score).sum();
    let satisfied = scores.iter().filter(|(_, score)| *score >= 4).count() as u32;
    (ratio(Decimal::from(sum), Decimal::from(count)), percent(satisfied, count), count)
}

/// A period's figures from its takings (sales in the book's currency), the retention of the
/// period before's buyers, and the customers who had bought by its end.
#[allow(clippy::too_many_arguments)]
fn figures(
    period: Period,
    takings: &Takings,
    retention: &Retention,
    customers: &Customers,
    days: &FxHashMap<i64, PurchaseDays>,
    marketing_cost: Decimal,
    scores: &[(NaiveDate, u32)],
) -> PeriodFigures {
    let revenue = from_units(takings.units);
    let purchases = takings.purchases;
    let buyers = takings.by_buyer.len() as u32;
    let aov = ratio(revenue, Decimal::from(purchases));
    // One division each, so that a figure is as exact as a decimal can hold it.
    let frequency = ratio(
        Decimal::from(purchases) * DAYS_IN_A_YEAR,
        Decimal::from(buyers) * Decimal::from(period.days()),
    );
    let lifespan_years =
        ratio(Decimal::from(customers.span_days), Decimal::from(customers.repeat) * DAYS_IN_A_YEAR);
    let clv = match (aov, frequency, lifespan_years) {
        (Some(aov), Some(frequency), Some(years)) => Some(aov * frequency * years),
        _ => None,
    };
    let returning_buyers = takings
        .by_buyer
        .keys()
        .filter(|id| days.get(id).is_some_and(|bought| bought.first < period.from))
        .count() as u32;
    let mut spends: Vec<i64> = takings.by_buyer.values().copied().collect();
    spends.sort_unstable_by(|a, b| b.cmp(a));
    let top20_buyers = (buyers as usize).div_ceil(5);
    let top20_units: i64 = spends.iter().take(top20_buyers).sum();
    let (csat, csat_satisfied_share, csat_scores) = csat_of(scores);
    PeriodFigures {
        from: period.from,
        to: period.to,
        revenue,
        purchases,
        buyers,
        aov,
        frequency,
        lifespan_years,
        lifespan_customers: customers.repeat,
        clv,
        new_customers: customers.new,
        marketing_cost,
        cac: ratio(marketing_cost, Decimal::from(customers.new)),
        retention_rate: percent(retention.retained, retention.base),
        retention_base: retention.base,
        retained: retention.retained,
        returning_share: percent(returning_buyers, buyers),
        returning_buyers,
        repeat_rate: percent(customers.repeat, customers.bought),
        repeat_customers: customers.repeat,
        customers_bought: customers.bought,
        csat,
        csat_satisfied_share,
        csat_scores,
        top20_share: ratio(from_units(top20_units) * Decimal::ONE_HUNDRED, revenue),
        top20_buyers: top20_buyers as u32,
        other_currencies: takings
            .other
            .iter()
            .map(|(currency, (units, purchases))| CurrencyTotal {
                currency: currency.clone(),
                revenue: from_units(*units),
                purchases: *purchases,
            })
            .collect(),
    }
}

/// A text column read in place, without copying it.
fn text<'row>(row: &'row rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Option<&'row str>> {
    row.get_ref(index)?.as_str_or_null().map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(error))
    })
}

/// The purchase days of the audience's customers who have bought.
fn purchase_days(
    conn: &Connection,
    audience: Option<&FxHashSet<i64>>,
) -> Result<FxHashMap<i64, PurchaseDays>> {
    let mut statement = conn.prepare_cached(
        "SELECT id, first_purchase_on, second_purchase_on, last_purchase_on FROM customers
         WHERE first_purchase_on IS NOT NULL",
    )?;
    let mut rows = statement.query([])?;
    let mut days = FxHashMap::default();
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        if audience.is_some_and(|ids| !ids.contains(&id)) {
            continue;
        }
        let day = |index: usize| -> Result<Option<NaiveDate>> {
            text(row, index)?.map(crate::standing::parse_day).transpose()
        };
        let (Some(first), Some(last)) = (day(1)?, day(3)?) else { continue };
        days.insert(id, PurchaseDays { first, second: day(2)?, last });
    }
    Ok(days)
}

impl Book {
    /// The insights of a period for an audience: its numbers, the previous period's, and the
    /// months, cohorts, brands and categories behind them.
    pub fn insights(&self, query: &InsightsQuery) -> Result<Insights> {
        if query.to < query.from {
            return Err(Error::invalid("to", Problem::PeriodReversed));
        }
        let settings = self.settings()?;
        let currency = settings.default_currency.clone();
        let tx = self.conn.unchecked_transaction()?;
        let audience = audience_ids(&tx, query, &settings.default_region)?;
        let period = Period { from: query.from, to: query.to };
        let previous = period.before();
        let earlier = previous.before();
        let days = purchase_days(&tx, audience.as_ref())?;

        let mut recent: FxHashMap<i64, Recent> = FxHashMap::default();
        let (mut now, mut then) = (Takings::default(), Takings::default());
        let months = month_index(period.from, period.to) + 1;
        let mut monthly: Vec<(i64, u32, FxHashSet<i64>)> = vec![(0, 0, FxHashSet::default()); months];
        let mut statement = tx.prepare_cached(
            "SELECT customer_id, purchased_on, currency, total_units FROM purchases
             WHERE purchased_on >= ?1 ORDER BY purchased_on",
        )?;
        let mut rows = statement.query([earlier.from.to_string()])?;
        // In day order, so a day's text is parsed once.
        let (mut day_text, mut day) = (String::new(), earlier.from);
        while let Some(row) = rows.next()? {
            let customer: i64 = row.get(0)?;
            if audience.as_ref().is_some_and(|ids| !ids.contains(&customer)) {
                continue;
            }
            let sale_day = text(row, 1)?.unwrap_or_default();
            if sale_day != day_text {
                day = crate::standing::parse_day(sale_day)?;
                day_text = sale_day.to_string();
            }
            let customer_recent = recent.entry(customer).or_default();
            if day <= period.to {
                customer_recent.last_by_end = customer_recent.last_by_end.max(Some(day));
            }
            if day <= previous.to {
                customer_recent.last_by_previous_end = customer_recent.last_by_previous_end.max(Some(day));
            }
            let units: i64 = row.get(3)?;
            let in_book_currency = text(row, 2)?.unwrap_or_default() == currency;
            let (takings, paid) = if period.holds(day) {
                customer_recent.bought |= NOW;
                let month = month_index(period.from, day);
                if month < MONTHS_FOLLOWED {
                    customer_recent.months |= 1 << month;
                }
                if in_book_currency {
                    let (revenue, purchases, buyers) = &mut monthly[month];
                    *revenue += units;
                    *purchases += 1;
                    buyers.insert(customer);
                }
                (&mut now, &mut customer_recent.paid_now)
            } else if previous.holds(day) {
                customer_recent.bought |= THEN;
                (&mut then, &mut customer_recent.paid_then)
            } else {
                if earlier.holds(day) {
                    customer_recent.bought |= EARLIER;
                }
                continue;
            };
            if in_book_currency {
                takings.units += units;
                takings.purchases += 1;
                *paid.get_or_insert(0) += units;
            } else {
                let other = takings.other.entry(text(row, 2)?.unwrap_or_default().to_string()).or_default();
                other.0 += units;
                other.1 += 1;
            }
        }
        drop(rows);
        drop(statement);
        for (id, customer_recent) in &recent {
            if let Some(units) = customer_recent.paid_now {
                now.by_buyer.insert(*id, units);
            }
            if let Some(units) = customer_recent.paid_then {
                then.by_buyer.insert(*id, units);
            }
        }

        let scores_now = scores(&tx, period, audience.as_ref())?;
        let scores_then = scores(&tx, previous, audience.as_ref())?;
        let period_figures = figures(
            period,
            &now,
            &Retention::of(&recent, THEN, NOW),
            &customers_by(&tx, period, End::Period, earlier.from, &days, &recent)?,
            &days,
            marketing_cost(&tx, period)?,
            &scores_now,
        );
        let previous_figures = figures(
            previous,
            &then,
            &Retention::of(&recent, EARLIER, THEN),
            &customers_by(&tx, previous, End::Previous, earlier.from, &days, &recent)?,
            &days,
            marketing_cost(&tx, previous)?,
            &scores_then,
        );

        let monthly = monthly
            .into_iter()
            .enumerate()
            .map(|(index, (units, purchases, buyers))| {
                let first = period.from.with_day(1).unwrap_or(period.from);
                let month = first.checked_add_months(Months::new(index as u32)).unwrap_or(first);
                let in_month: Vec<(NaiveDate, u32)> = scores_now
                    .iter()
                    .filter(|(day, _)| day.year() == month.year() && day.month() == month.month())
                    .copied()
                    .collect();
                let (csat, _, csat_scores) = csat_of(&in_month);
                MonthFigures {
                    month: month_name(month),
                    revenue: from_units(units),
                    purchases,
                    buyers: buyers.len() as u32,
                    csat,
                    csat_scores,
                }
            })
            .collect();

        let mut cohorts: BTreeMap<usize, (u32, Vec<u32>)> = BTreeMap::new();
        for (id, bought) in &days {
            if !period.holds(bought.first) {
                continue;
            }
            let start = month_index(period.from, bought.first);
            if start >= COHORT_MONTHS {
                continue;
            }
            let active_months = recent.get(id).map_or(0, |recent| recent.months);
            let followed = months.min(MONTHS_FOLLOWED) - start;
            let (customers, active) = cohorts.entry(start).or_insert_with(|| (0, vec![0; followed]));
            *customers += 1;
            for (offset, slot) in active.iter_mut().enumerate() {
                if active_months & (1 << (start + offset)) != 0 {
                    *slot += 1;
                }
            }
        }
        let first_month = period.from.with_day(1).unwrap_or(period.from);
        let cohorts = cohorts
            .into_iter()
            .map(|(start, (customers, active))| Cohort {
                cohort: month_name(
                    first_month.checked_add_months(Months::new(start as u32)).unwrap_or(first_month),
                ),
                customers,
                active,
            })
            .collect();

        let (brands, categories) = pieces(&tx, period, &currency, audience.as_ref())?;
        let insights = Insights {
            currency,
            period: period_figures,
            previous: previous_figures,
            monthly,
            segments: self.segment_counts(&query.filter)?,
            tiers: tier_counts(&tx, query, &settings)?,
            cohorts,
            brands,
            categories,
        };
        tx.finish()?;
        Ok(insights)
    }
}

impl Book {
    /// Records a campaign; its name is its own (case ignored).
    pub fn add_campaign(&mut self, draft: &CampaignDraft) -> Result<Campaign> {
        let name = campaign_name("name", &draft.name)?;
        let notes = draft.notes.trim().to_string();
        check_length("notes", &notes, MAX_NOTE_CHARS)?;
        check_cost("cost", draft.cost)?;
        let id = self.with_tx(|tx| {
            let taken: bool =
                tx.query_row("SELECT EXISTS (SELECT 1 FROM campaigns WHERE name = ?1)", [&name], |row| row.get(0))?;
            if taken {
                return Err(Error::invalid("name", Problem::ListedTwice { value: name.clone() }));
            }
            tx.execute(
                "INSERT INTO campaigns (name, channel, run_on, cost, notes, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![
                    name,
                    draft.channel.as_str(),
                    draft.run_on.to_string(),
                    draft.cost.normalize().to_string(),
                    notes,
                    crate::clock::now().to_rfc3339()
                ],
            )?;
            Ok(tx.last_insert_rowid())
        })?;
        Ok(Campaign {
            id,
            draft: CampaignDraft { name, notes, cost: draft.cost.normalize(), ..draft.clone() },
        })
    }

    /// Records a mailing list written on `channel` as the campaign `name`, in one transaction:
    /// the campaign is found by its name (case ignored) or created (today, no cost), and each
    /// of `customer_ids` gets a contact naming it, today, outbound, of the channel's kind;
    /// except a customer who already has a contact of it today (the same list recorded twice)
    /// or is no longer in the book. Their reminders follow, as after any contact.
    pub fn record_campaign_contacts(
        &mut self,
        name: &str,
        channel: MailingChannel,
        customer_ids: &[i64],
    ) -> Result<CampaignContacts> {
        let name = campaign_name("campaign", name)?;
        let settings = self.settings()?;
        let today = crate::clock::today();
        let now = crate::clock::now().to_rfc3339();
        let (kind, campaign_channel) = match channel {
            MailingChannel::Email => (InteractionKind::Email, CampaignChannel::Email),
            MailingChannel::Sms => (InteractionKind::Message, CampaignChannel::Sms),
            MailingChannel::Post => (InteractionKind::Message, CampaignChannel::Post),
        };
        self.with_tx(|tx| {
            let found: Option<String> = tx
                .query_row("SELECT name FROM campaigns WHERE name = ?1", [&name], |row| row.get(0))
                .optional()?;
            let created = found.is_none();
            let campaign = match found {
                Some(stored) => stored,
                None => {
                    tx.execute(
                        "INSERT INTO campaigns (name, channel, run_on, cost, notes, created_at)
                         VALUES (?1, ?2, ?3, '0', ?4, ?5)",
                        rusqlite::params![
                            name,
                            campaign_channel.as_str(),
                            today.to_string(),
                            format!("Recorded from the {channel} mailing list written on {today}."),
                            now
                        ],
                    )?;
                    name.clone()
                }
            };
            let contact = InteractionDraft {
                kind,
                direction: Direction::Outbound,
                occurred_on: today,
                summary: format!("Mailing list ({channel}): {campaign}"),
                outcome: String::new(),
                campaign: campaign.clone(),
                response: None,
            }
            .checked(&settings)?;
            let mut in_book = tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM customers WHERE id = ?1)")?;
            let mut contacted = tx.prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM interactions
                                WHERE customer_id = ?1 AND occurred_on = ?2 AND campaign = ?3 COLLATE NOCASE)",
            )?;
            let mut recorded = Vec::new();
            let mut already_recorded = 0;
            for &customer_id in customer_ids {
                if !in_book.query_row([customer_id], |row| row.get::<_, bool>(0))? {
                    continue;
                }
                if contacted.query_row(
                    rusqlite::params![customer_id, today.to_string(), campaign],
                    |row| row.get::<_, bool>(0),
                )? {
                    already_recorded += 1;
                    continue;
                }
                crate::history::insert_entry(tx, customer_id, &contact, &now)?;
                recorded.push(customer_id);
            }
            crate::agenda::reconcile_customers(tx, &recorded, today)?;
            Ok(CampaignContacts { campaign, created, recorded: recorded.len() as u32, already_recorded })
        })
    }

    /// Every campaign, newest first.
    pub fn campaigns(&self) -> Result<Vec<Campaign>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT id, name, channel, run_on, cost, notes FROM campaigns ORDER BY run_on DESC, id DESC",
        )?;
        let campaigns = statement
            .query_map([], |row| {
                use crate::customers::parse_column;
                Ok(Campaign {
                    id: row.get(0)?,
                    draft: CampaignDraft {
                        name: row.get(1)?,
                        channel: parse_column(row, 2)?,
                        run_on: parse_column(row, 3)?,
                        cost: parse_column(row, 4)?,
                        notes: row.get(5)?,
                    },
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(campaigns)
    }

    /// Records other marketing spend.
    pub fn add_expense(&mut self, draft: &ExpenseDraft) -> Result<Expense> {
        let note = draft.note.trim().to_string();
        check_length("note", &note, MAX_NOTE_CHARS)?;
        check_cost("amount", draft.amount)?;
        let id = self.with_tx(|tx| {
            tx.execute(
                "INSERT INTO marketing_expenses (spent_on, amount, note, created_at) VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![
                    draft.spent_on.to_string(),
                    draft.amount.normalize().to_string(),
                    note,
                    crate::clock::now().to_rfc3339()
                ],
            )?;
            Ok(tx.last_insert_rowid())
        })?;
        Ok(Expense { id, draft: ExpenseDraft { note, amount: draft.amount.normalize(), ..draft.clone() } })
    }

    /// Every other marketing expense, newest first (the day, then the order entered).
    pub fn expenses(&self) -> Result<Vec<Expense>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT id, spent_on, amount, note FROM marketing_expenses ORDER BY spent_on DESC, id DESC",
        )?;
        let expenses = statement
            .query_map([], |row| {
                use crate::customers::parse_column;
                Ok(Expense {
                    id: row.get(0)?,
                    draft: ExpenseDraft {
                        spent_on: parse_column(row, 1)?,
                        amount: parse_column(row, 2)?,
                        note: row.get(3)?,
                    },
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(expenses)
    }
}

impl Book {
    /// What each campaign brought, newest first: the customers a contact names it for (case
    /// ignored); those who answered it, by buying within the book's `campaign_response_days` of
    /// its day or by a response recorded on a contact of it (replied, visited, bought), each
    /// counted once; those who unsubscribed; their orders and revenue in the book's currency
    /// (purchases only), and the cost per order.
    pub fn campaign_results(&self) -> Result<Vec<CampaignResult>> {
        let settings = self.settings()?;
        let days = u64::from(settings.campaign_response_days);
        let mut statement = self.conn.prepare_cached(
            "WITH contacts AS (SELECT customer_id, response FROM interactions WHERE campaign = ?1 COLLATE NOCASE),
                  targeted AS (SELECT DISTINCT customer_id FROM contacts),
                  bought AS (SELECT p.customer_id, p.currency, p.total_units FROM purchases p
                             JOIN targeted t ON t.customer_id = p.customer_id
                             WHERE p.purchased_on BETWEEN ?2 AND ?3)
             SELECT (SELECT count(*) FROM targeted),
                    (SELECT count(*) FROM (SELECT customer_id FROM bought
                                           UNION
                                           SELECT customer_id FROM contacts
                                           WHERE response IN ('replied', 'visited', 'bought'))),
                    (SELECT count(DISTINCT customer_id) FROM contacts WHERE response = 'unsubscribed'),
                    (SELECT count(*) FROM bought WHERE currency = ?4),
                    (SELECT coalesce(sum(total_units), 0) FROM bought WHERE currency = ?4)",
        )?;
        let mut results = Vec::new();
        for campaign in self.campaigns()? {
            let day = campaign.draft.run_on;
            let until = day.checked_add_days(Days::new(days)).unwrap_or(day);
            let (targeted, responded, unsubscribed, orders, units): (u32, u32, u32, u32, i64) = statement
                .query_row(
                    rusqlite::params![
                        campaign.draft.name,
                        day.to_string(),
                        until.to_string(),
                        settings.default_currency
                    ],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)),
                )?;
            results.push(CampaignResult {
                response_rate: percent(responded, targeted),
                cost_per_order: ratio(campaign.draft.cost, Decimal::from(orders)),
                campaign,
                targeted,
                responded,
                unsubscribed,
                orders,
                revenue: from_units(units),
            });
        }
        Ok(results)
    }
}

/// Writes a table the window shows (a chart's numbers) to `out` for a spreadsheet: a UTF-8
/// byte-order mark, CRLF, cells a spreadsheet would run as formulas made inert; whole or not at
/// all.
pub fn write_table_csv(out: &std::path::Path, table: &CsvTable) -> Result<()> {
    use crate::csv_file::{CsvLayout, csv_error, spreadsheet_safe, write_csv_file};
    write_csv_file(out, &CsvLayout { delimiter: b',', spreadsheet: true }, |writer| {
        writer
            .write_record(
                table.columns.iter().map(|cell| spreadsheet_safe(cell).into_owned()).collect::<Vec<_>>(),
            )
            .map_err(csv_error(out))?;
        for row in &table.rows {
            writer
                .write_record(row.iter().map(|cell| spreadsheet_safe(cell).into_owned()).collect::<Vec<_>>())
                .map_err(csv_error(out))?;
        }
        Ok(())
    })
}

/// A campaign's name, trimmed: not empty, not too long; problems name `field`.
pub(crate) fn campaign_name(field: &str, text: &str) -> Result<String> {
    let name = text.trim().to_string();
    if name.is_empty() {
        return Err(Error::invalid(field, Problem::CampaignNameMissing));
    }
    check_length(field, &name, MAX_CAMPAIGN_NAME_CHARS)?;
    Ok(name)
}

/// A cost: an amount the book can hold, not below zero.
fn check_cost(field: &str, amount: Decimal) -> Result<()> {
    check_amount(field, amount)?;
    if amount.is_sign_negative() {
        return Err(Error::invalid(field, Problem::NegativePrice));
    }
    Ok(())
}

/// Brands and categories of the pieces sold in the period, by what they brought in.
fn pieces(
    conn: &Connection,
    period: Period,
    currency: &str,
    audience: Option<&FxHashSet<i64>>,
) -> Result<(Vec<RankedTotal>, Vec<RankedTotal>)> {
    let mut statement = conn.prepare_cached(
        "SELECT p.customer_id, i.brand, i.category, i.price, i.discount
         FROM purchases p JOIN purchase_items i ON i.purchase_id = p.id
         WHERE p.purchased_on BETWEEN ?1 AND ?2 AND p.currency = ?3",
    )?;
    let mut rows = statement.query([period.from.to_string(), period.to.to_string(), currency.to_string()])?;
    let mut brands: HashMap<String, (String, Decimal, u32)> = HashMap::new();
    let mut categories: HashMap<String, (Decimal, u32)> = HashMap::new();
    // A brand as typed to its folded key: a few dozen spellings, folded once each.
    let mut folded: HashMap<String, String> = HashMap::new();
    while let Some(row) = rows.next()? {
        let customer: i64 = row.get(0)?;
        if audience.is_some_and(|ids| !ids.contains(&customer)) {
            continue;
        }
        let amount = |index: usize| -> rusqlite::Result<Decimal> {
            Ok(text(row, index)?.unwrap_or_default().parse().unwrap_or_default())
        };
        let paid = amount(3)? - amount(4)?;
        let brand = text(row, 1)?.unwrap_or_default().trim();
        if !brand.is_empty() {
            if !folded.contains_key(brand) {
                folded.insert(brand.to_string(), crate::fold::fold(brand));
            }
            let key = &folded[brand];
            // One brand however it was typed; named as first seen.
            if !brands.contains_key(key) {
                brands.insert(key.clone(), (brand.to_string(), Decimal::ZERO, 0));
            }
            let entry = brands.get_mut(key).expect("inserted above");
            entry.1 += paid;
            entry.2 += 1;
        }
        let category = text(row, 2)?.unwrap_or_default();
        if !categories.contains_key(category) {
            categories.insert(category.to_string(), (Decimal::ZERO, 0));
        }
        let entry = categories.get_mut(category).expect("inserted above");
        entry.0 += paid;
        entry.1 += 1;
    }
    let ranked = |mut totals: Vec<RankedTotal>| {
        totals.sort_by(|a, b| b.revenue.cmp(&a.revenue).then(a.name.cmp(&b.name)));
        totals
    };
    let mut brands = ranked(
        brands.into_values().map(|(name, revenue, pieces)| RankedTotal { name, revenue, pieces }).collect(),
    );
    brands.truncate(TOP_BRANDS);
    let categories = ranked(
        categories
            .into_iter()
            .map(|(name, (revenue, pieces))| RankedTotal { name, revenue, pieces })
            .collect(),
    );
    Ok((brands, categories))
}

/// The audience per tier of the rules, lowest first (none while the programme is off).
fn tier_counts(
    conn: &Connection,
    query: &InsightsQuery,
    settings: &crate::model::BookSettings,
) -> Result<Vec<TierCount>> {
    if !settings.membership.enabled {
        return Ok(Vec::new());
    }
    let mut params: Vec<Value> = Vec::new();
    let audience = Audience::compile(conn, &query.filter, &settings.default_region, &mut params)?;
    // Everyone's counts come from the tier index alone.
    let sql = if audience.is_everyone() {
        "SELECT tier, count(*) FROM customer_membership WHERE tier IS NOT NULL GROUP BY tier".to_string()
    } else {
        format!(
            "SELECT m.tier, count(*) FROM customers c JOIN customer_membership m ON m.customer_id = c.id
             WHERE m.tier IS NOT NULL AND {} GROUP BY m.tier",
            audience.where_sql()
        )
    };
    let counts: HashMap<String, u32> = conn
        .prepare_cached(&sql)?
        .query_map(params_from_iter(&params), |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(settings
        .membership
        .tiers
        .iter()
        .map(|tier| TierCount {
            tier: TierLabel { key: tier.key.clone(), name: tier.name.clone() },
            count: counts.get(&tier.key).copied().unwrap_or(0),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("day")
    }

    #[test]
    fn the_period_before_has_the_same_number_of_days() {
        let year = Period { from: day("2026-01-01"), to: day("2026-12-31") };
        let before = year.before();
        assert_eq!((before.from, before.to, before.days()), (day("2025-01-01"), day("2025-12-31"), 365));
        let march = Period { from: day("2024-03-01"), to: day("2024-03-31") };
        assert_eq!((march.before().from, march.before().to), (day("2024-01-30"), day("2024-02-29")));
    }

    #[test]
    fn a_table_is_written_for_a_spreadsheet_with_formulas_inert() {
        let dir = tempfile::tempdir().expect("dir");
        let out = dir.path().join("brands.csv");
        let table = CsvTable {
            columns: vec!["Brand".into(), "Revenue".into()],
            rows: vec![
                vec!["=HYPERLINK(\"x\")".into(), "7000".into()],
                vec!["Müller, \"Uhren\"".into(), "1.5".into()],
            ],
        };
        write_table_csv(&out, &table).expect("written");
        let text = std::fs::read_to_string(&out).expect("read");
        assert_eq!(
            text,
            "\u{feff}Brand,Revenue\r\n\"'=HYPERLINK(\"\"x\"\")\",7000\r\n\"Müller, \"\"Uhren\"\"\",1.5\r\n"
        );
    }

    #[test]
    fn months_count_from_the_periods_first() {
        assert_eq!(month_index(day("2025-11-15"), day("2026-02-01")), 3);
        assert_eq!(month_index(day("2025-11-15"), day("2025-11-30")), 0);
    }
}
