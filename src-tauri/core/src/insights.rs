//! Insights: seed 000's numbers (lifetime value, acquisition cost, retention, satisfaction) and
//! seed 004's share of returning customers over a period, narrowed by any audience; the months,
//! cohorts, brands and categories behind them. Definitions in ARCHITECTURE.md, "Insights".
//!
//! The sales up to the period's end are read once, in storage order, and folded here: per
//! customer their first and last purchase and how many (as of the period's end and of the
//! previous period's), and per period what was paid, by whom, by month. The same as grouping
//! them in SQL, without a sort of a million rows.

use std::collections::{BTreeMap, HashMap, HashSet};

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
    by_buyer: HashMap<i64, i64>,
    other: BTreeMap<String, (i64, u32)>,
}

/// A customer's purchases in the book's currency up to a day.
#[derive(Clone, Copy)]
struct Bought {
    first: NaiveDate,
    last: NaiveDate,
    count: u32,
}

impl Bought {
    fn add(slot: &mut Option<Bought>, day: NaiveDate) {
        match slot {
            Some(bought) => {
                bought.first = bought.first.min(day);
                bought.last = bought.last.max(day);
                bought.count += 1;
            }
            None => *slot = Some(Bought { first: day, last: day, count: 1 }),
        }
    }
}

/// Per customer: as of the period's end, and as of the previous period's end.
#[derive(Default)]
struct Facts {
    by_end: Option<Bought>,
    by_previous_end: Option<Bought>,
    /// The months of the period (from its first) in which they bought, as bits.
    months: u128,
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
fn audience_ids(conn: &Connection, query: &InsightsQuery, region: &str) -> Result<Option<HashSet<i64>>> {
    let mut params: Vec<Value> = Vec::new();
    let audience = Audience::compile(conn, &query.filter, region, &mut params)?;
    if audience.is_everyone() {
        return Ok(None);
    }
    let sql = format!("SELECT c.id FROM customers c WHERE {}", audience.where_sql());
    let ids = conn
        .prepare_cached(&sql)?
        .query_map(params_from_iter(&params), |row| row.get(0))?
        .collect::<rusqlite::Result<HashSet<i64>>>()?;
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
    audience: Option<&HashSet<i64>>,
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

/// A period's figures from its takings and the customers' facts.
fn figures(
    period: Period,
    takings: &Takings,
    before: &HashSet<i64>,
    bought: impl Fn(&Facts) -> Option<Bought>,
    facts: &HashMap<i64, Facts>,
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
    let (
        mut span_days,
        mut lifespan_customers,
        mut customers_bought,
        mut repeat_customers,
        mut new_customers,
    ) = (0_i64, 0_u32, 0_u32, 0_u32, 0_u32);
    for bought in facts.values().filter_map(&bought) {
        customers_bought += 1;
        if bought.count >= 2 {
            repeat_customers += 1;
            lifespan_customers += 1;
            span_days += (bought.last - bought.first).num_days();
        }
        if period.holds(bought.first) {
            new_customers += 1;
        }
    }
    let lifespan_years = ratio(Decimal::from(span_days), Decimal::from(lifespan_customers) * DAYS_IN_A_YEAR);
    let clv = match (aov, frequency, lifespan_years) {
        (Some(aov), Some(frequency), Some(years)) => Some(aov * frequency * years),
        _ => None,
    };
    let returning_buyers = takings
        .by_buyer
        .keys()
        .filter(|id| facts.get(id).and_then(&bought).is_some_and(|bought| bought.first < period.from))
        .count() as u32;
    let retained = before.iter().filter(|id| takings.by_buyer.contains_key(id)).count() as u32;
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
        lifespan_customers,
        clv,
        new_customers,
        marketing_cost,
        cac: ratio(marketing_cost, Decimal::from(new_customers)),
        retention_rate: percent(retained, before.len() as u32),
        retention_base: before.len() as u32,
        retained,
        returning_share: percent(returning_buyers, buyers),
        returning_buyers,
        repeat_rate: percent(repeat_customers, customers_bought),
        repeat_customers,
        customers_bought,
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

        let mut facts: HashMap<i64, Facts> = HashMap::new();
        let (mut now, mut then) = (Takings::default(), Takings::default());
        let mut earlier_buyers: HashSet<i64> = HashSet::new();
        let months = month_index(period.from, period.to) + 1;
        let mut monthly: Vec<(i64, u32, HashSet<i64>)> = vec![(0, 0, HashSet::new()); months];
        let mut statement = tx.prepare_cached(
            "SELECT customer_id, purchased_on, currency, total_units FROM purchases WHERE purchased_on <= ?1",
        )?;
        let mut rows = statement.query([period.to.to_string()])?;
        while let Some(row) = rows.next()? {
            let customer: i64 = row.get(0)?;
            if audience.as_ref().is_some_and(|ids| !ids.contains(&customer)) {
                continue;
            }
            let day = crate::standing::parse_day(&row.get::<_, String>(1)?)?;
            let sale_currency: String = row.get(2)?;
            let units: i64 = row.get(3)?;
            if sale_currency != currency {
                for (takings, within) in [(&mut now, period), (&mut then, previous)] {
                    if within.holds(day) {
                        let entry = takings.other.entry(sale_currency.clone()).or_default();
                        entry.0 += units;
                        entry.1 += 1;
                    }
                }
                continue;
            }
            let customer_facts = facts.entry(customer).or_default();
            Bought::add(&mut customer_facts.by_end, day);
            if day <= previous.to {
                Bought::add(&mut customer_facts.by_previous_end, day);
            }
            if period.holds(day) {
                let month = month_index(period.from, day);
                if month < MONTHS_FOLLOWED {
                    customer_facts.months |= 1 << month;
                }
                let (revenue, purchases, buyers) = &mut monthly[month];
                *revenue += units;
                *purchases += 1;
                buyers.insert(customer);
            }
            for (takings, within) in [(&mut now, period), (&mut then, previous)] {
                if within.holds(day) {
                    takings.units += units;
                    takings.purchases += 1;
                    *takings.by_buyer.entry(customer).or_default() += units;
                }
            }
            if earlier.holds(day) {
                earlier_buyers.insert(customer);
            }
        }
        drop(rows);
        drop(statement);

        let scores_now = scores(&tx, period, audience.as_ref())?;
        let scores_then = scores(&tx, previous, audience.as_ref())?;
        let previous_buyers: HashSet<i64> = then.by_buyer.keys().copied().collect();
        let period_figures = figures(
            period,
            &now,
            &previous_buyers,
            |facts| facts.by_end,
            &facts,
            marketing_cost(&tx, period)?,
            &scores_now,
        );
        let previous_figures = figures(
            previous,
            &then,
            &earlier_buyers,
            |facts| facts.by_previous_end,
            &facts,
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
        for customer_facts in facts.values() {
            let Some(bought) = customer_facts.by_end else { continue };
            if !period.holds(bought.first) {
                continue;
            }
            let start = month_index(period.from, bought.first);
            if start >= COHORT_MONTHS {
                continue;
            }
            let followed = months.min(MONTHS_FOLLOWED) - start;
            let (customers, active) = cohorts.entry(start).or_insert_with(|| (0, vec![0; followed]));
            *customers += 1;
            for (offset, slot) in active.iter_mut().enumerate() {
                if customer_facts.months & (1 << (start + offset)) != 0 {
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
    audience: Option<&HashSet<i64>>,
) -> Result<(Vec<RankedTotal>, Vec<RankedTotal>)> {
    let mut statement = conn.prepare_cached(
        "SELECT p.customer_id, i.brand, i.category, i.price, i.discount
         FROM purchases p JOIN purchase_items i ON i.purchase_id = p.id
         WHERE p.purchased_on BETWEEN ?1 AND ?2 AND p.currency = ?3",
    )?;
    let mut rows = statement.query([period.from.to_string(), period.to.to_string(), currency.to_string()])?;
    let mut brands: HashMap<String, (String, Decimal, u32)> = HashMap::new();
    let mut categories: HashMap<String, (Decimal, u32)> = HashMap::new();
    while let Some(row) = rows.next()? {
        let customer: i64 = row.get(0)?;
        if audience.is_some_and(|ids| !ids.contains(&customer)) {
            continue;
        }
        let amount = |index: usize| -> rusqlite::Result<Decimal> {
            Ok(row.get::<_, String>(index)?.parse().unwrap_or_default())
        };
        let paid = amount(3)? - amount(4)?;
        let brand: String = row.get(1)?;
        let brand = brand.trim();
        if !brand.is_empty() {
            // One brand however it was typed; named as first seen.
            let entry = brands
                .entry(crate::fold::fold(brand))
                .or_insert_with(|| (brand.to_string(), Decimal::ZERO, 0));
            entry.1 += paid;
            entry.2 += 1;
        }
        let category = categories.entry(row.get(2)?).or_default();
        category.0 += paid;
        category.1 += 1;
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
    let sql = format!(
        "SELECT m.tier, count(*) FROM customers c JOIN customer_membership m ON m.customer_id = c.id
         WHERE m.tier IS NOT NULL AND {} GROUP BY m.tier",
        audience.where_sql()
    );
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
