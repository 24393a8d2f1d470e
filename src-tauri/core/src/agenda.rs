//! The follow-up agenda: reminders the rules of `BookSettings.follow_up` make by themselves,
//! reminders the dealer types, and what is done with them (done, snoozed, dismissed).
//!
//! A rule reads the causes (sales, birthdays, anniversaries, the standing, tier changes) and
//! says which reminders should exist: a `Wanted` each, named by its `rule_key` within the
//! customer (and the sale). `reconcile` brings the stored rows in line: it adds what is wanted
//! and missing (a key already stored, whatever its state, is never added again, so done and
//! dismissed reminders stay done), moves an open one whose cause moved, and removes an open one
//! whose cause went. A reminder is made only while it is *live*: at most `LOOKAHEAD_DAYS` before
//! its day and not past its expiry (`OVERDUE_LIMIT_DAYS` after its day unless it has its own),
//! so history typed in after the fact never floods the agenda. One customer is reconciled after
//! each change of theirs; the whole book once a day (`refresh_book`), reading only the causes
//! whose reminders can be live, which is also what catches up after days closed.

use std::collections::HashMap;

use chrono::{Datelike, Days, Months, NaiveDate};
use rusqlite::{Connection, OptionalExtension, Row, params};
use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::model::{
    Agenda, AgendaCounts, AgendaItem, AgendaRefresh, AgendaSection, BookSettings, ChannelConsent,
    ContactMethod, CustomerDraft, Direction, FollowUpRules, InteractionDraft, InteractionKind, ItemCategory,
    LeapDayRule, Occasion, PieceLabel, Reminder, ReminderClosed, ReminderDone, ReminderDraft, ReminderKind,
    ReminderReason, ReminderState, Repeat, RepeatUnit, Segment, TierLabel, ValueClass,
};
use crate::partial_date::PartialDate;
use crate::problem::Problem;
use crate::standing::parse_day;
use crate::store::Book;

/// A rule's reminder exists from this many days before its day…
pub const LOOKAHEAD_DAYS: u64 = 92;
/// …and is not made once it is more than this many days overdue (a birthday's goes then).
pub const OVERDUE_LIMIT_DAYS: u64 = 30;
/// The most items the agenda lists in each of its parts (overdue, today, this week, later, the
/// quarter's give-back); its counts are always whole.
const AGENDA_ITEMS_PER_PART: u32 = 100;
/// The setting that holds the day the rules last ran over the whole book (anacron's stamp).
pub(crate) const RAN_ON_KEY: &str = "agenda_ran_on";
/// The setting that holds the rules, as JSON.
pub(crate) const RULES_KEY: &str = "follow_up";
const MAX_TITLE_CHARS: usize = 200;
const MAX_NOTES_CHARS: usize = 4000;

/// The reminders a customer's key visit, re-engagement and care are: one at a time, replaced
/// when their cause moves, so they are reconciled whatever their age.
const ONE_AT_A_TIME: &[ReminderKind] =
    &[ReminderKind::KeyVisit, ReminderKind::ReEngagement, ReminderKind::Care];

/// Whose reminders are reconciled.
#[derive(Debug, Clone, Copy)]
enum Scope {
    Book,
    Customer(i64),
}

impl Scope {
    /// A fixed SQL condition on `column` (a customer id) and its parameter.
    fn condition(self, column: &str) -> (String, Option<i64>) {
        match self {
            Scope::Book => ("1".to_string(), None),
            Scope::Customer(id) => (format!("{column} = :customer"), Some(id)),
        }
    }
}

/// A reminder a rule says should exist.
#[derive(Debug, Clone, PartialEq)]
struct Wanted {
    customer_id: i64,
    kind: ReminderKind,
    rule_key: String,
    purchase_id: Option<i64>,
    due_on: NaiveDate,
    expires_on: Option<NaiveDate>,
    reason: ReminderReason,
}

/// The days a reminder of the rules may be made on: live from `LOOKAHEAD_DAYS` before its day
/// until its expiry, or `OVERDUE_LIMIT_DAYS` after its day.
fn live(due_on: NaiveDate, expires_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    due_on <= today + Days::new(LOOKAHEAD_DAYS)
        && expires_on.unwrap_or(due_on + Days::new(OVERDUE_LIMIT_DAYS)) >= today
}

/// The days of a profile the rules remember: the birthday and the occasions (anniversaries).
/// Of a profile, they read nothing else.
pub(crate) fn remembered_days(profile: &CustomerDraft) -> (Option<&PartialDate>, &[Occasion]) {
    (profile.birthday.as_ref(), &profile.occasions)
}

/// Makes, moves and removes customer `customer_id`'s rule-made reminders after a change of
/// theirs (a sale, a contact, a profile edit, a merge), in the caller's transaction.
pub(crate) fn reconcile_customer(
    conn: &Connection,
    customer_id: i64,
    today: NaiveDate,
) -> Result<AgendaRefresh> {
    let settings = crate::settings::read_settings(conn)?;
    reconcile(conn, Scope::Customer(customer_id), today, &settings)
}

/// After contacts written for many customers at once (a mailing list recorded as a campaign):
/// `reconcile_customer` for each, or the day's pass over the whole book once they are a sixth of
/// it or more. One customer alone costs about six times a customer of the pass (in release:
/// 5,000 one by one 0.3 s, the pass over 100,000 customers 1.0 s), so neither takes longer than
/// the pass (50,000 contacts recorded in a book of 100,000: 3.1 s with it, 4.6 s one by one).
pub(crate) fn reconcile_customers(conn: &Connection, customer_ids: &[i64], today: NaiveDate) -> Result<()> {
    if customer_ids.is_empty() {
        return Ok(());
    }
    let customers: i64 = conn.query_row("SELECT count(*) FROM customers", [], |row| row.get(0))?;
    if customer_ids.len() as i64 * 6 >= customers {
        refresh_book(conn, today)?;
        return Ok(());
    }
    let settings = crate::settings::read_settings(conn)?;
    for &customer_id in customer_ids {
        reconcile(conn, Scope::Customer(customer_id), today, &settings)?;
    }
    Ok(())
}

/// The day's pass over the whole book, in the caller's transaction; records the day.
pub(crate) fn refresh_book(conn: &Connection, today: NaiveDate) -> Result<AgendaRefresh> {
    let settings = crate::settings::read_settings(conn)?;
    let refresh = reconcile(conn, Scope::Book, today, &settings)?;
    conn.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![RAN_ON_KEY, today.to_string()])?;
    Ok(refresh)
}

/// The day the rules last ran over the whole book.
pub(crate) fn last_ran(conn: &Connection) -> Result<Option<NaiveDate>> {
    let day: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([RAN_ON_KEY], |row| row.get(0))
        .optional()?;
    Ok(day.and_then(|day| day.parse().ok()))
}

fn reconcile(
    conn: &Connection,
    scope: Scope,
    today: NaiveDate,
    settings: &BookSettings,
) -> Result<AgendaRefresh> {
    let rules = &settings.follow_up;
    let stored = stored_reminders(conn, scope, today)?;
    let mut wanted = Wants { stored: &stored, today, kept: Vec::new() };
    sale_reminders(conn, scope, today, settings, &mut wanted)?;
    if rules.birthdays || rules.anniversaries {
        day_reminders(conn, scope, today, rules, &mut wanted)?;
    }
    if rules.key_visits || rules.give_back {
        key_customer_reminders(conn, scope, today, rules, &mut wanted)?;
    }
    if rules.re_engagement {
        re_engagement_reminders(conn, scope, &mut wanted)?;
    }
    if settings.membership.enabled {
        if rules.tier_upgrades {
            let entry_tier = settings.membership.tiers.first().map(|tier| tier.key.as_str());
            tier_reminders(conn, scope, today, entry_tier, &mut wanted)?;
        }
        if rules.care {
            care_reminders(conn, scope, today, settings, &mut wanted)?;
        }
    }
    let wanted = wanted.kept;
    write(conn, scope, today, stored, wanted)
}

/// An open rule-made reminder as stored, to compare with what is wanted.
struct Stored {
    id: i64,
    due_on: String,
    reason_json: String,
    snoozed: bool,
}

type Key = (i64, String, Option<i64>);

/// The reminders the rules want, kept as the rules read their causes: only those live today or
/// already stored open. Most causes read are neither (every customer's birthday), and a whole
/// book's would fill memory (60 MB at 100,000 customers) for `write` to skip them.
struct Wants<'stored> {
    stored: &'stored HashMap<Key, Stored>,
    today: NaiveDate,
    kept: Vec<Wanted>,
}

impl Wants<'_> {
    fn push(&mut self, wanted: Wanted) {
        if live(wanted.due_on, wanted.expires_on, self.today)
            || self.stored.contains_key(&(wanted.customer_id, wanted.rule_key.clone(), wanted.purchase_id))
        {
            self.kept.push(wanted);
        }
    }
}

/// The open reminders the rules made that they may change: those live (their cause was read)
/// and those of which a customer has one at a time (their cause is always read).
fn stored_reminders(conn: &Connection, scope: Scope, today: NaiveDate) -> Result<HashMap<Key, Stored>> {
    let (condition, customer) = scope.condition("customer_id");
    let sql = format!(
        "SELECT id, customer_id, rule_key, purchase_id, due_on, expires_on, reason_json, snoozed_until IS NOT NULL, kind
         FROM reminders
         WHERE state = 'open' AND rule_key IS NOT NULL AND {condition}"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let mut rows = match customer {
        Some(id) => statement.query(rusqlite::named_params! { ":customer": id })?,
        None => statement.query([])?,
    };
    let mut stored = HashMap::new();
    while let Some(row) = rows.next()? {
        let due_on: String = row.get(4)?;
        let expires_on: Option<String> = row.get(5)?;
        let kind: ReminderKind = crate::customers::parse_column(row, 8)?;
        let reconcilable = ONE_AT_A_TIME.contains(&kind)
            || live(parse_day(&due_on)?, expires_on.as_deref().map(parse_day).transpose()?, today);
        if reconcilable {
            stored.insert(
                (row.get(1)?, row.get(2)?, row.get(3)?),
                Stored { id: row.get(0)?, due_on, reason_json: row.get(6)?, snoozed: row.get(7)? },
            );
        }
    }
    Ok(stored)
}

fn write(
    conn: &Connection,
    scope: Scope,
    today: NaiveDate,
    mut stored: HashMap<Key, Stored>,
    wanted: Vec<Wanted>,
) -> Result<AgendaRefresh> {
    let mut refresh = AgendaRefresh::default();
    let (condition, customer) = scope.condition("customer_id");
    let now = crate::clock::now().to_rfc3339();
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO reminders
            (customer_id, kind, rule_key, purchase_id, due_on, expires_on, reason_json, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let mut update = conn.prepare_cached(
        "UPDATE reminders SET due_on = ?2, expires_on = CASE WHEN snoozed_until IS NULL THEN ?3 ELSE NULL END,
            reason_json = ?4 WHERE id = ?1",
    )?;
    let reason_json = |reason: &ReminderReason| {
        serde_json::to_string(reason).map_err(|error| rusqlite::Error::ToSqlConversionFailure(error.into()))
    };
    for reminder in wanted {
        let is_live = live(reminder.due_on, reminder.expires_on, today);
        let key = (reminder.customer_id, reminder.rule_key.clone(), reminder.purchase_id);
        // Neither live nor stored any more (a second cause of one key, its row matched already).
        if !is_live && !stored.contains_key(&key) {
            continue;
        }
        let reason_json = reason_json(&reminder.reason)?;
        let due_on = reminder.due_on.to_string();
        let expires_on = reminder.expires_on.map(|day| day.to_string());
        match stored.remove(&key) {
            Some(found) if is_live || ONE_AT_A_TIME.contains(&reminder.kind) => {
                // A key visit's day is the one it was made with: later days only find it overdue.
                let keeps_day = reminder.kind == ReminderKind::KeyVisit || found.snoozed;
                let due_on = if keeps_day { found.due_on.clone() } else { due_on };
                if due_on != found.due_on || reason_json != found.reason_json {
                    update.execute(params![found.id, due_on, expires_on, reason_json])?;
                    refresh.updated += 1;
                }
            }
            // Its cause moved out of the agenda's days (a sale redated years back): it goes.
            Some(found) => {
                stored.insert(key, found);
            }
            // Made only while live: never for history typed in after the fact.
            None if is_live => {
                refresh.created += insert.execute(params![
                    reminder.customer_id,
                    reminder.kind.as_str(),
                    reminder.rule_key,
                    reminder.purchase_id,
                    due_on,
                    expires_on,
                    reason_json,
                    now,
                ])? as u32;
            }
            None => {}
        }
    }
    let mut delete = conn.prepare_cached("DELETE FROM reminders WHERE id = ?1")?;
    for gone in stored.into_values() {
        refresh.removed += delete.execute([gone.id])? as u32;
    }
    let sql = format!(
        "DELETE FROM reminders WHERE state = 'open' AND expires_on < :today AND snoozed_until IS NULL AND {condition}"
    );
    let mut expire = conn.prepare_cached(&sql)?;
    let today_text = today.to_string();
    refresh.expired = match customer {
        Some(id) => expire.execute(rusqlite::named_params! { ":today": today_text, ":customer": id })?,
        None => expire.execute(rusqlite::named_params! { ":today": today_text })?,
    } as u32;
    Ok(refresh)
}

// --- The rules ---------------------------------------------------------------------------------

/// One sale as the rules read it.
struct Sale {
    id: i64,
    customer_id: i64,
    purchased_on: NaiveDate,
    currency: String,
    total: Decimal,
    items: Vec<PieceLabel>,
}

/// A sale's follow-up and check-in, and the service of each watch in it.
fn sale_reminders(
    conn: &Connection,
    scope: Scope,
    today: NaiveDate,
    settings: &BookSettings,
    wanted: &mut Wants<'_>,
) -> Result<()> {
    let rules = &settings.follow_up;
    let interval = |brand: &str| -> u32 {
        rules
            .service_brands
            .iter()
            .find(|interval| crate::fold::fold(&interval.brand) == crate::fold::fold(brand))
            .map_or(rules.service_years, |interval| interval.years)
    };
    // The days of the sales whose reminders can be live, per rule (the whole book), or all of
    // one customer's sales.
    let mut windows: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    let days_back = |days: u32| {
        let days = Days::new(u64::from(days));
        (today - Days::new(OVERDUE_LIMIT_DAYS) - days, today + Days::new(LOOKAHEAD_DAYS) - days)
    };
    let years_back = |years: u32| {
        let months = Months::new(years * 12);
        (
            (today - Days::new(OVERDUE_LIMIT_DAYS)).checked_sub_months(months).unwrap_or(NaiveDate::MIN),
            (today + Days::new(LOOKAHEAD_DAYS + 1)).checked_sub_months(months).unwrap_or(NaiveDate::MIN),
        )
    };
    if rules.after_sale {
        windows.push(days_back(rules.after_sale_days));
    }
    if rules.check_in {
        windows.push(days_back(rules.check_in_days));
    }
    if rules.service {
        let mut years: Vec<u32> = rules.service_brands.iter().map(|interval| interval.years).collect();
        years.push(rules.service_years);
        years.sort_unstable();
        years.dedup();
        windows.extend(years.into_iter().map(years_back));
    }
    if windows.is_empty() {
        return Ok(());
    }
    let sales = match scope {
        Scope::Customer(id) => read_sales(conn, "p.customer_id = ?1", params![id])?,
        Scope::Book => {
            windows.sort();
            let mut merged: Vec<(NaiveDate, NaiveDate)> = Vec::new();
            for (from, to) in windows {
                match merged.last_mut() {
                    Some(last) if from <= last.1 => last.1 = last.1.max(to),
                    _ => merged.push((from, to)),
                }
            }
            let mut sales = Vec::new();
            for (from, to) in merged {
                sales.extend(read_sales(
                    conn,
                    "p.purchased_on BETWEEN ?1 AND ?2",
                    params![from.to_string(), to.to_string()],
                )?);
            }
            sales
        }
    };
    for sale in sales {
        let base = |kind: ReminderKind, rule_key: String, due_on: NaiveDate, reason: ReminderReason| Wanted {
            customer_id: sale.customer_id,
            kind,
            rule_key,
            purchase_id: Some(sale.id),
            due_on,
            expires_on: None,
            reason,
        };
        let sale_reason = || ReminderReason::Sale {
            purchased_on: sale.purchased_on,
            pieces: sale.items.clone(),
            total: sale.total,
            currency: sale.currency.clone(),
        };
        if rules.after_sale {
            let due = sale.purchased_on + Days::new(u64::from(rules.after_sale_days));
            wanted.push(base(ReminderKind::FollowUp, "follow_up".into(), due, sale_reason()));
        }
        if rules.check_in
            && sale.currency == settings.default_currency
            && sale.total >= rules.check_in_min_total
        {
            let due = sale.purchased_on + Days::new(u64::from(rules.check_in_days));
            wanted.push(base(ReminderKind::CheckIn, "check_in".into(), due, sale_reason()));
        }
        if rules.service {
            for (position, piece) in sale.items.iter().enumerate() {
                if piece.category != ItemCategory::Watch || piece.brand.trim().is_empty() {
                    continue;
                }
                let years = interval(&piece.brand);
                let Some(due) = add_years(sale.purchased_on, years, LeapDayRule::March1) else { continue };
                let reason =
                    ReminderReason::Service { purchased_on: sale.purchased_on, piece: piece.clone(), years };
                wanted.push(base(ReminderKind::Service, format!("service:{position}"), due, reason));
            }
        }
    }
    Ok(())
}

fn read_sales(conn: &Connection, condition: &str, values: impl rusqlite::Params) -> Result<Vec<Sale>> {
    let sql = format!(
        "SELECT p.id, p.customer_id, p.purchased_on, p.currency, p.total_units, i.category, i.brand, i.model
         FROM purchases p JOIN purchase_items i ON i.purchase_id = p.id
         WHERE {condition} ORDER BY p.id, i.position"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let mut rows = statement.query(values)?;
    let mut sales: Vec<Sale> = Vec::new();
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let piece = PieceLabel {
            category: crate::customers::parse_column(row, 5)?,
            brand: row.get(6)?,
            model: row.get(7)?,
        };
        match sales.last_mut() {
            Some(sale) if sale.id == id => sale.items.push(piece),
            _ => sales.push(Sale {
                id,
                customer_id: row.get(1)?,
                purchased_on: parse_day(&row.get::<_, String>(2)?)?,
                currency: row.get(3)?,
                total: crate::purchases::from_units(row.get(4)?),
                items: vec![piece],
            }),
        }
    }
    Ok(sales)
}

/// `day` `years` later; 29 February falls by `leap_day` in a year without one.
pub(crate) fn add_years(day: NaiveDate, years: u32, leap_day: LeapDayRule) -> Option<NaiveDate> {
    let year = day.year().checked_add(i32::try_from(years).ok()?)?;
    on_in_year(day.month(), day.day(), year, leap_day)
}

/// The day of `month`-`day` in `year`; 29 February falls by `leap_day` in a year without one.
pub(crate) fn on_in_year(month: u32, day: u32, year: i32, leap_day: LeapDayRule) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day).or_else(|| match (month, day, leap_day) {
        (2, 29, LeapDayRule::February28) => NaiveDate::from_ymd_opt(year, 2, 28),
        (2, 29, LeapDayRule::March1) => NaiveDate::from_ymd_opt(year, 3, 1),
        _ => None,
    })
}

/// The days a yearly date (`--MM-DD` or `YYYY-MM-DD`) falls on whose reminders can be live
/// today, with the year each falls in.
fn yearly_days(text: &str, today: NaiveDate, leap_day: LeapDayRule) -> Vec<(NaiveDate, Option<u32>)> {
    let Ok(date) = text.parse::<PartialDate>() else { return Vec::new() };
    let first = (today - Days::new(OVERDUE_LIMIT_DAYS)).year();
    let last = (today + Days::new(LOOKAHEAD_DAYS)).year();
    (first..=last)
        .filter_map(|year| {
            let day = on_in_year(date.month(), date.day(), year, leap_day)?;
            let count = match date.year() {
                Some(born) if year > born => Some(u32::try_from(year - born).ok()?),
                Some(_) => return None,
                None => None,
            };
            Some((day, count))
        })
        .collect()
}

/// Birthdays and anniversaries: on the day, gone 30 days after.
fn day_reminders(
    conn: &Connection,
    scope: Scope,
    today: NaiveDate,
    rules: &FollowUpRules,
    wanted: &mut Wants<'_>,
) -> Result<()> {
    let expiring = |day: NaiveDate| Some(day + Days::new(OVERDUE_LIMIT_DAYS));
    if rules.birthdays {
        let (condition, customer) = scope.condition("id");
        let sql = format!("SELECT id, birthday FROM customers WHERE birthday IS NOT NULL AND {condition}");
        let mut statement = conn.prepare_cached(&sql)?;
        let mut rows = bind_customer(&mut statement, customer)?;
        while let Some(row) = rows.next()? {
            let customer_id: i64 = row.get(0)?;
            for (day, age) in yearly_days(&row.get::<_, String>(1)?, today, rules.leap_day) {
                wanted.push(Wanted {
                    customer_id,
                    kind: ReminderKind::Birthday,
                    rule_key: format!("birthday:{day}"),
                    purchase_id: None,
                    due_on: day,
                    expires_on: expiring(day),
                    reason: ReminderReason::Birthday { age },
                });
            }
        }
    }
    if rules.anniversaries {
        let (condition, customer) = scope.condition("customer_id");
        let sql = format!(
            "SELECT customer_id, label, date FROM customer_occasions
             WHERE kind = 'anniversary' AND {condition} ORDER BY customer_id, position"
        );
        let mut statement = conn.prepare_cached(&sql)?;
        let mut rows = bind_customer(&mut statement, customer)?;
        // Two anniversaries on one day are one reminder.
        let mut seen = std::collections::HashSet::new();
        while let Some(row) = rows.next()? {
            let customer_id: i64 = row.get(0)?;
            let label: String = row.get(1)?;
            for (day, years) in yearly_days(&row.get::<_, String>(2)?, today, rules.leap_day) {
                if !seen.insert((customer_id, day)) {
                    continue;
                }
                wanted.push(Wanted {
                    customer_id,
                    kind: ReminderKind::Anniversary,
                    rule_key: format!("anniversary:{day}"),
                    purchase_id: None,
                    due_on: day,
                    expires_on: expiring(day),
                    reason: ReminderReason::Anniversary { label: label.clone(), years },
                });
            }
        }
    }
    Ok(())
}

fn bind_customer<'s>(
    statement: &'s mut rusqlite::CachedStatement<'_>,
    customer: Option<i64>,
) -> Result<rusqlite::Rows<'s>> {
    Ok(match customer {
        Some(id) => statement.query(rusqlite::named_params! { ":customer": id })?,
        None => statement.query([])?,
    })
}

/// The first and last day of `today`'s quarter, and its name ("2026-Q4").
pub(crate) fn quarter_of(today: NaiveDate) -> (NaiveDate, NaiveDate, String) {
    let quarter = (today.month0() / 3) + 1;
    let first = NaiveDate::from_ymd_opt(today.year(), (quarter - 1) * 3 + 1, 1).unwrap_or(today);
    let last = first.checked_add_months(Months::new(3)).map_or(today, |next| next - Days::new(1));
    (first, last, format!("{}-Q{quarter}", today.year()))
}

/// VIP and key customers: a visit every `key_visit_days` after the last contact or sale, and
/// the quarter's give-back.
fn key_customer_reminders(
    conn: &Connection,
    scope: Scope,
    today: NaiveDate,
    rules: &FollowUpRules,
    wanted: &mut Wants<'_>,
) -> Result<()> {
    let (condition, customer) = scope.condition("s.customer_id");
    // A campaign going out (a newsletter to the whole book) is no visit; a reply to it is.
    let sql = format!(
        "SELECT s.customer_id, substr(c.created_at, 1, 10), c.last_purchase_on,
                (SELECT max(i.occurred_on) FROM interactions i WHERE i.customer_id = s.customer_id
                 AND NOT (i.campaign <> '' AND i.direction = 'outbound'))
         FROM customer_standing s JOIN customers c ON c.id = s.customer_id
         WHERE (s.segment = 'vip' OR s.value_class = 'key') AND {condition}"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let mut rows = bind_customer(&mut statement, customer)?;
    let (quarter_first, quarter_last, quarter) = quarter_of(today);
    while let Some(row) = rows.next()? {
        let customer_id: i64 = row.get(0)?;
        if rules.key_visits {
            let since = parse_day(&row.get::<_, String>(1)?)?;
            let last_purchase: Option<String> = row.get(2)?;
            let last_contact: Option<String> = row.get(3)?;
            let last = last_purchase.max(last_contact).map(|day| parse_day(&day)).transpose()?;
            let from = last.unwrap_or(since);
            // A key customer is never left out for having waited long: the visit is due today.
            let due_on = (from + Days::new(u64::from(rules.key_visit_days))).max(today);
            wanted.push(Wanted {
                customer_id,
                kind: ReminderKind::KeyVisit,
                rule_key: format!("key_visit:{from}"),
                purchase_id: None,
                due_on,
                expires_on: None,
                reason: ReminderReason::KeyVisit {
                    last_contact: last,
                    since,
                    every_days: rules.key_visit_days,
                },
            });
        }
        if rules.give_back {
            wanted.push(Wanted {
                customer_id,
                kind: ReminderKind::GiveBack,
                rule_key: format!("give_back:{quarter}"),
                purchase_id: None,
                due_on: quarter_first,
                expires_on: Some(quarter_last),
                reason: ReminderReason::GiveBack { quarter: quarter.clone() },
            });
        }
    }
    Ok(())
}

/// A customer at risk: re-engage them, once per move to at risk.
fn re_engagement_reminders(conn: &Connection, scope: Scope, wanted: &mut Wants<'_>) -> Result<()> {
    let (condition, customer) = scope.condition("s.customer_id");
    let sql = format!(
        "SELECT s.customer_id, c.last_purchase_on,
                (SELECT max(g.changed_on) FROM standing_changes g
                 WHERE g.customer_id = s.customer_id AND g.kind = 'segment' AND g.to_value = 'at_risk')
         FROM customer_standing s JOIN customers c ON c.id = s.customer_id
         WHERE s.segment = 'at_risk' AND {condition}"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let mut rows = bind_customer(&mut statement, customer)?;
    while let Some(row) = rows.next()? {
        let Some(since) = row.get::<_, Option<String>>(2)? else { continue };
        let since = parse_day(&since)?;
        let last_purchase = row.get::<_, Option<String>>(1)?.map(|day| parse_day(&day)).transpose()?;
        wanted.push(Wanted {
            customer_id: row.get(0)?,
            kind: ReminderKind::ReEngagement,
            rule_key: format!("re_engagement:{since}"),
            purchase_id: None,
            due_on: since,
            expires_on: None,
            reason: ReminderReason::ReEngagement { since, last_purchase },
        });
    }
    Ok(())
}

/// Congratulations on each tier upgrade above the entry tier (reaching the lowest comes with a
/// first purchase, which has its follow-up).
fn tier_reminders(
    conn: &Connection,
    scope: Scope,
    today: NaiveDate,
    entry_tier: Option<&str>,
    wanted: &mut Wants<'_>,
) -> Result<()> {
    let (condition, customer) = scope.condition("customer_id");
    let earliest = (today - Days::new(OVERDUE_LIMIT_DAYS)).to_string();
    let sql = format!(
        "SELECT customer_id, changed_on, from_json, to_json FROM tier_changes
         WHERE upgrade = 1 AND to_json IS NOT NULL AND changed_on >= :earliest AND {condition}"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let mut rows = match customer {
        Some(id) => statement.query(rusqlite::named_params! { ":earliest": earliest, ":customer": id })?,
        None => statement.query(rusqlite::named_params! { ":earliest": earliest })?,
    };
    while let Some(row) = rows.next()? {
        let changed_on = parse_day(&row.get::<_, String>(1)?)?;
        let label = |index: usize| -> Result<Option<TierLabel>> {
            Ok(row.get::<_, Option<String>>(index)?.and_then(|text| serde_json::from_str(&text).ok()))
        };
        let (from, Some(to)) = (label(2)?, label(3)?) else { continue };
        if Some(to.key.as_str()) == entry_tier {
            continue;
        }
        wanted.push(Wanted {
            customer_id: row.get(0)?,
            kind: ReminderKind::TierChange,
            rule_key: format!("tier_change:{changed_on}:{}", to.key),
            purchase_id: None,
            due_on: changed_on,
            expires_on: None,
            reason: ReminderReason::TierUpgrade { from, to },
        });
    }
    Ok(())
}

/// Members whose tier includes care: the yearly cleaning and check of their jewellery, on the
/// day of their first jewellery purchase, each year after it.
fn care_reminders(
    conn: &Connection,
    scope: Scope,
    today: NaiveDate,
    settings: &BookSettings,
    wanted: &mut Wants<'_>,
) -> Result<()> {
    let caring: Vec<&crate::model::Tier> =
        settings.membership.tiers.iter().filter(|tier| tier.free_care).collect();
    if caring.is_empty() {
        return Ok(());
    }
    let (condition, customer) = scope.condition("m.customer_id");
    let sql = format!(
        "SELECT m.customer_id, m.tier,
                (SELECT min(p.purchased_on) FROM purchases p
                 WHERE p.customer_id = m.customer_id
                   AND EXISTS (SELECT 1 FROM purchase_items i WHERE i.purchase_id = p.id AND i.category <> 'watch'))
         FROM customer_membership m WHERE m.tier IS NOT NULL AND {condition}"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let mut rows = bind_customer(&mut statement, customer)?;
    while let Some(row) = rows.next()? {
        let key: String = row.get(1)?;
        let Some(tier) = caring.iter().find(|tier| tier.key == key) else { continue };
        let Some(since) = row.get::<_, Option<String>>(2)? else { continue };
        let since = parse_day(&since)?;
        for (day, years) in yearly_days(&since.to_string(), today, LeapDayRule::March1) {
            if years.is_none() {
                continue;
            }
            wanted.push(Wanted {
                customer_id: row.get(0)?,
                kind: ReminderKind::Care,
                rule_key: format!("care:{day}"),
                purchase_id: None,
                due_on: day,
                expires_on: Some(day + Days::new(OVERDUE_LIMIT_DAYS)),
                reason: ReminderReason::Care {
                    tier: TierLabel { key: tier.key.clone(), name: tier.name.clone() },
                    since,
                },
            });
        }
    }
    Ok(())
}

// --- Reading and acting on reminders ----------------------------------------------------------

const REMINDER_COLUMNS: &str = "r.id, r.customer_id, r.kind, r.due_on, r.snoozed_until, r.expires_on, r.title, r.notes,
    r.reason_json, r.repeat_every, r.repeat_unit, r.rule_key IS NOT NULL, r.state, r.closed_at, r.interaction_id,
    r.purchase_id, r.arrival_id, r.created_at";
const REMINDER_COLUMN_COUNT: usize = 18;

fn read_reminder(row: &Row<'_>) -> rusqlite::Result<Reminder> {
    use crate::customers::parse_column;
    let optional_day = |index: usize| -> rusqlite::Result<Option<NaiveDate>> {
        row.get::<_, Option<String>>(index)?
            .map(|text| {
                text.parse().map_err(|_| {
                    rusqlite::Error::FromSqlConversionFailure(
                        index,
                        rusqlite::types::Type::Text,
                        "not a day".into(),
                    )
                })
            })
            .transpose()
    };
    let repeat = match (row.get::<_, Option<u32>>(9)?, row.get::<_, Option<String>>(10)?) {
        (Some(every), Some(unit)) => unit.parse::<RepeatUnit>().ok().map(|unit| Repeat { every, unit }),
        _ => None,
    };
    Ok(Reminder {
        id: row.get(0)?,
        customer_id: row.get(1)?,
        kind: parse_column(row, 2)?,
        due_on: parse_column(row, 3)?,
        snoozed_until: optional_day(4)?,
        expires_on: optional_day(5)?,
        title: row.get(6)?,
        notes: row.get(7)?,
        reason: serde_json::from_str(&row.get::<_, String>(8)?).unwrap_or(ReminderReason::Manual),
        repeat,
        rule_made: row.get(11)?,
        state: parse_column(row, 12)?,
        closed_at: row
            .get::<_, Option<String>>(13)?
            .and_then(|text| chrono::DateTime::parse_from_rfc3339(&text).ok())
            .map(|at| at.to_utc()),
        interaction_id: row.get(14)?,
        purchase_id: row.get(15)?,
        arrival_id: row.get(16)?,
        created_at: parse_column(row, 17)?,
    })
}

pub(crate) fn load_reminder(conn: &Connection, id: i64) -> Result<Reminder> {
    let sql = format!("SELECT {REMINDER_COLUMNS} FROM reminders r WHERE r.id = ?1");
    conn.prepare_cached(&sql)?
        .query_row([id], read_reminder)
        .optional()?
        .ok_or(Error::NotFound { what: "reminder", id })
}

/// A customer's open reminders, soonest first (the customer page).
pub(crate) fn open_reminders_of(conn: &Connection, customer_id: i64) -> Result<Vec<Reminder>> {
    let sql = format!(
        "SELECT {REMINDER_COLUMNS} FROM reminders r WHERE r.customer_id = ?1 AND r.state = 'open'
         ORDER BY IFNULL(r.snoozed_until, r.due_on), r.id"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let reminders = statement.query_map([customer_id], read_reminder)?.collect::<rusqlite::Result<_>>()?;
    Ok(reminders)
}

/// Where a reminder shown on `day` falls on the agenda of `today`.
fn section(kind: ReminderKind, day: NaiveDate, today: NaiveDate) -> AgendaSection {
    if kind == ReminderKind::GiveBack {
        AgendaSection::Quarter
    } else if day < today {
        AgendaSection::Overdue
    } else if day == today {
        AgendaSection::Today
    } else if day <= today + Days::new(6) {
        AgendaSection::Week
    } else {
        AgendaSection::Later
    }
}

/// The channel to suggest, the customer's answer for it, and the others when it was refused.
struct Reach {
    channel: ContactMethod,
    consent: ChannelConsent,
    alternatives: Vec<ContactMethod>,
}

/// `consents` as "email:opted_in,phone:opted_out"; `means` which of phone, email, post the
/// customer can be reached on.
fn reach(
    preferred: Option<ContactMethod>,
    consents: &str,
    has_phone: bool,
    has_email: bool,
    has_address: bool,
) -> Reach {
    let answer = |method: ContactMethod| -> ChannelConsent {
        let channel = match method {
            ContactMethod::Email => "email",
            ContactMethod::Phone => "phone",
            ContactMethod::Sms => "sms",
            ContactMethod::Post => "post",
            ContactMethod::InPerson => return ChannelConsent::NotNeeded,
        };
        consents.split(',').filter_map(|pair| pair.split_once(':')).find(|(name, _)| *name == channel).map_or(
            ChannelConsent::Unknown,
            |(_, status)| match status {
                "opted_in" => ChannelConsent::OptedIn,
                "opted_out" => ChannelConsent::OptedOut,
                _ => ChannelConsent::Unknown,
            },
        )
    };
    let reachable = |method: ContactMethod| match method {
        ContactMethod::Phone | ContactMethod::Sms => has_phone,
        ContactMethod::Email => has_email,
        ContactMethod::Post => has_address,
        ContactMethod::InPerson => true,
    };
    const ORDER: [ContactMethod; 5] = [
        ContactMethod::Phone,
        ContactMethod::Email,
        ContactMethod::Sms,
        ContactMethod::Post,
        ContactMethod::InPerson,
    ];
    let channel = preferred
        .or_else(|| ORDER.into_iter().find(|&method| reachable(method)))
        .unwrap_or(ContactMethod::InPerson);
    let consent = answer(channel);
    let alternatives = if consent == ChannelConsent::OptedOut {
        ORDER
            .into_iter()
            .filter(|&method| {
                method != channel && reachable(method) && answer(method) != ChannelConsent::OptedOut
            })
            .collect()
    } else {
        Vec::new()
    };
    Reach { channel, consent, alternatives }
}

/// What `reach` reads of customer `c`: their preferred channel, their answers per channel, and
/// whether they have a phone, an email, an address.
const REACH_COLUMNS: &str = "c.preferred_contact,
    (SELECT group_concat(n.channel || ':' || n.status) FROM consents n WHERE n.customer_id = c.id),
    EXISTS (SELECT 1 FROM customer_phones p WHERE p.customer_id = c.id),
    EXISTS (SELECT 1 FROM customer_emails e WHERE e.customer_id = c.id),
    EXISTS (SELECT 1 FROM customer_addresses a WHERE a.customer_id = c.id)";

/// `reach` from the `REACH_COLUMNS` starting at column `at`.
fn read_reach(row: &Row<'_>, at: usize) -> rusqlite::Result<Reach> {
    let preferred: Option<String> = row.get(at)?;
    let consents: Option<String> = row.get(at + 1)?;
    Ok(reach(
        preferred.and_then(|text| text.parse().ok()),
        consents.as_deref().unwrap_or(""),
        row.get(at + 2)?,
        row.get(at + 3)?,
        row.get(at + 4)?,
    ))
}

/// The interaction a reminder done on `channel` records.
fn interaction_kind(channel: ContactMethod) -> InteractionKind {
    match channel {
        ContactMethod::Phone => InteractionKind::Call,
        ContactMethod::Email => InteractionKind::Email,
        ContactMethod::Sms | ContactMethod::Post => InteractionKind::Message,
        ContactMethod::InPerson => InteractionKind::Meeting,
    }
}

/// `day` moved on by one repetition.
fn repeat_after(day: NaiveDate, repeat: Repeat) -> Option<NaiveDate> {
    match repeat.unit {
        RepeatUnit::Days => day.checked_add_days(Days::new(u64::from(repeat.every))),
        RepeatUnit::Weeks => day.checked_add_days(Days::new(u64::from(repeat.every) * 7)),
        RepeatUnit::Months => day.checked_add_months(Months::new(repeat.every)),
        RepeatUnit::Years => day.checked_add_months(Months::new(repeat.every.checked_mul(12)?)),
    }
}

/// A repeating reminder's next day: one repetition after its day, and on until after today
/// (a monthly call done late comes back next month, not for every month missed).
fn next_day(due_on: NaiveDate, repeat: Repeat, today: NaiveDate) -> Option<NaiveDate> {
    let mut day = repeat_after(due_on, repeat)?;
    while day <= today {
        day = repeat_after(day, repeat)?;
    }
    Some(day)
}

fn check_draft(draft: &ReminderDraft) -> Result<ReminderDraft> {
    let title = draft.title.trim().to_string();
    if title.is_empty() {
        return Err(Error::invalid("title", Problem::ReminderTitleMissing));
    }
    crate::validate::check_length("title", &title, MAX_TITLE_CHARS)?;
    let notes = draft.notes.trim().to_string();
    crate::validate::check_length("notes", &notes, MAX_NOTES_CHARS)?;
    if let Some(repeat) = draft.repeat
        && !(1..=1000).contains(&repeat.every)
    {
        return Err(Error::invalid("repeat.every", Problem::FollowUpNumberOutOfRange { min: 1, max: 1000 }));
    }
    Ok(ReminderDraft { due_on: draft.due_on, title, notes, repeat: draft.repeat })
}

fn insert_typed(
    conn: &Connection,
    customer_id: i64,
    kind: ReminderKind,
    draft: &ReminderDraft,
    reason: &ReminderReason,
    arrival_id: Option<i64>,
) -> Result<Option<i64>> {
    let reason_json = serde_json::to_string(reason)
        .map_err(|error| rusqlite::Error::ToSqlConversionFailure(error.into()))?;
    let inserted = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO reminders
                (customer_id, kind, arrival_id, due_on, title, notes, reason_json, repeat_every, repeat_unit, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            customer_id,
            kind.as_str(),
            arrival_id,
            draft.due_on.to_string(),
            draft.title,
            draft.notes,
            reason_json,
            draft.repeat.map(|repeat| repeat.every),
            draft.repeat.map(|repeat| repeat.unit.as_str()),
            crate::clock::now().to_rfc3339(),
        ])?;
    Ok((inserted > 0).then(|| conn.last_insert_rowid()))
}

/// Adds "tell them" reminders for an arrival, due today, in the caller's transaction; returns
/// the ids of those made (a customer already told is left as they are).
pub(crate) fn insert_arrival_reminders(
    conn: &Connection,
    arrival_id: i64,
    told: &[(i64, ReminderReason)],
    today: NaiveDate,
) -> Result<Vec<i64>> {
    let mut made = Vec::new();
    for (customer_id, reason) in told {
        crate::history::require_customer(conn, *customer_id)?;
        let draft = ReminderDraft { due_on: today, title: String::new(), notes: String::new(), repeat: None };
        if let Some(id) =
            insert_typed(conn, *customer_id, ReminderKind::Arrival, &draft, reason, Some(arrival_id))?
        {
            made.push(id);
        }
    }
    Ok(made)
}

/// Before customer `other` is merged into `kept`: their rule-made reminders that `kept` has
/// too (the same birthday, the same quarter) are one reminder, `kept`'s.
pub(crate) fn drop_shared_before_merge(conn: &Connection, kept: i64, other: i64) -> Result<()> {
    conn.prepare_cached(
        "DELETE FROM reminders AS o WHERE o.customer_id = ?2 AND (
            (o.rule_key IS NOT NULL AND EXISTS (SELECT 1 FROM reminders k WHERE k.customer_id = ?1
                AND k.rule_key = o.rule_key AND IFNULL(k.purchase_id, 0) = IFNULL(o.purchase_id, 0)))
            OR (o.arrival_id IS NOT NULL AND EXISTS (SELECT 1 FROM reminders k WHERE k.customer_id = ?1
                AND k.arrival_id = o.arrival_id)))",
    )?
    .execute(params![kept, other])?;
    Ok(())
}

impl Book {
    /// The agenda of today: every open reminder shown up to `days` ahead (overdue ones
    /// included), soonest first, with whose it is and how to reach them.
    pub fn agenda(&mut self, days: u32) -> Result<Agenda> {
        self.agenda_on(crate::clock::today(), days)
    }

    /// The agenda as it stands on `today` (tests of days the app was closed).
    pub fn agenda_on(&mut self, today: NaiveDate, days: u32) -> Result<Agenda> {
        if u64::from(days) > LOOKAHEAD_DAYS {
            return Err(Error::invalid("days", Problem::AgendaDaysOutOfRange { max: LOOKAHEAD_DAYS as i64 }));
        }
        let until = today + Days::new(u64::from(days));
        let tx = self.conn.transaction()?;
        let counts = agenda_counts(&tx, today, until)?;
        // Each part of the agenda is read apart, soonest first, by the open reminders' index of
        // their day and kind: the first items of each come at once however many are overdue.
        let sql = format!(
            "SELECT {REMINDER_COLUMNS}, c.full_name, s.segment, s.value_class, m.tier_json,
                    max(IFNULL(c.last_purchase_on, ''), IFNULL((SELECT max(i.occurred_on) FROM interactions i
                        WHERE i.customer_id = r.customer_id), '')),
                    {REACH_COLUMNS}
             FROM reminders r JOIN customers c ON c.id = r.customer_id
             LEFT JOIN customer_standing s ON s.customer_id = r.customer_id
             LEFT JOIN customer_membership m ON m.customer_id = r.customer_id
             WHERE r.state = 'open' AND IFNULL(r.snoozed_until, r.due_on) BETWEEN ?1 AND ?2
               AND (r.kind = 'give_back') = ?3
             ORDER BY IFNULL(r.snoozed_until, r.due_on), r.kind, r.id LIMIT ?4"
        );
        let mut statement = tx.prepare_cached(&sql)?;
        let at = REMINDER_COLUMN_COUNT;
        let day = |offset: u64| (today + Days::new(offset)).to_string();
        let yesterday = today.pred_opt().unwrap_or(today).to_string();
        let parts = [
            (NaiveDate::MIN.to_string(), yesterday, false),
            (day(0), day(0), false),
            (day(1), day(6).min(until.to_string()), false),
            (day(7), until.to_string(), false),
            (NaiveDate::MIN.to_string(), until.to_string(), true),
        ];
        let mut items = Vec::new();
        for (from, to, give_back) in parts {
            if from > to {
                continue;
            }
            let part = statement.query_map(params![from, to, give_back, AGENDA_ITEMS_PER_PART], |row| {
                let reminder = read_reminder(row)?;
                let last_contact: String = row.get(at + 4)?;
                let reach = read_reach(row, at + 5)?;
                Ok(AgendaItem {
                    section: section(reminder.kind, reminder.shown_on(), today),
                    reminder,
                    customer_name: row.get(at)?,
                    segment: row
                        .get::<_, Option<String>>(at + 1)?
                        .and_then(|text| text.parse::<Segment>().ok()),
                    value_class: row
                        .get::<_, Option<String>>(at + 2)?
                        .and_then(|text| text.parse::<ValueClass>().ok()),
                    tier: row
                        .get::<_, Option<String>>(at + 3)?
                        .and_then(|text| serde_json::from_str(&text).ok()),
                    last_contact: last_contact.get(..10).and_then(|day| day.parse().ok()),
                    channel: reach.channel,
                    consent: reach.consent,
                    alternatives: reach.alternatives,
                })
            })?;
            items.extend(part.collect::<rusqlite::Result<Vec<_>>>()?);
        }
        drop(statement);
        tx.finish()?;
        let listed = counts.overdue + counts.today + counts.week + counts.later + counts.quarter;
        Ok(Agenda { today, until, truncated: items.len() < listed as usize, items, counts })
    }

    /// How many open reminders fall in each part of the next week's agenda (the badge).
    pub fn agenda_counts(&self) -> Result<AgendaCounts> {
        let today = crate::clock::today();
        agenda_counts(&self.conn, today, today + Days::new(6))
    }

    /// Whether anything is overdue or due today: the window then opens on the agenda.
    pub fn agenda_due(&self) -> Result<bool> {
        self.agenda_due_on(crate::clock::today())
    }

    /// `agenda_due` on `today`. The window decides its first screen with it before showing one,
    /// so it stops at the first reminder that counts (the partial index `reminders_open`), where
    /// `agenda_counts` counts every open one up to a week ahead: 50–300 ms at 1,000,000 customers.
    pub fn agenda_due_on(&self, today: NaiveDate) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM reminders WHERE state = 'open'
                    AND IFNULL(snoozed_until, due_on) <= ?1 AND kind <> 'give_back')",
            )?
            .query_row([today.to_string()], |row| row.get(0))?)
    }

    /// The channel to reach customer `customer_id` on: their preferred one, else the first
    /// they can be reached on; when they refused it, the first other they did not refuse.
    pub fn suggested_channel(&self, customer_id: i64) -> Result<ContactMethod> {
        let reach = self
            .conn
            .prepare_cached(&format!("SELECT {REACH_COLUMNS} FROM customers c WHERE c.id = ?1"))?
            .query_row([customer_id], |row| read_reach(row, 0))
            .optional()?
            .ok_or(Error::NotFound { what: "customer", id: customer_id })?;
        Ok(match reach.consent {
            ChannelConsent::OptedOut => {
                reach.alternatives.first().copied().unwrap_or(ContactMethod::InPerson)
            }
            _ => reach.channel,
        })
    }

    /// Customer `customer_id`'s open reminders, soonest first.
    pub fn reminders_of(&self, customer_id: i64) -> Result<Vec<Reminder>> {
        crate::history::require_customer(&self.conn, customer_id)?;
        open_reminders_of(&self.conn, customer_id)
    }

    pub fn reminder(&self, id: i64) -> Result<Reminder> {
        load_reminder(&self.conn, id)
    }

    /// A reminder the dealer types for a customer.
    pub fn add_reminder(&mut self, customer_id: i64, draft: &ReminderDraft) -> Result<Reminder> {
        let draft = check_draft(draft)?;
        let id = self.with_tx(|tx| {
            crate::history::require_customer(tx, customer_id)?;
            let id =
                insert_typed(tx, customer_id, ReminderKind::Manual, &draft, &ReminderReason::Manual, None)?;
            Ok(id.unwrap_or_default())
        })?;
        load_reminder(&self.conn, id)
    }

    /// Changes an open reminder the dealer typed.
    pub fn update_reminder(&mut self, id: i64, draft: &ReminderDraft) -> Result<Reminder> {
        let draft = check_draft(draft)?;
        self.with_tx(|tx| {
            let reminder = open_typed(tx, id)?;
            tx.prepare_cached(
                "UPDATE reminders SET due_on = ?2, title = ?3, notes = ?4, repeat_every = ?5, repeat_unit = ?6,
                    snoozed_until = NULL WHERE id = ?1",
            )?
            .execute(params![
                reminder.id,
                draft.due_on.to_string(),
                draft.title,
                draft.notes,
                draft.repeat.map(|repeat| repeat.every),
                draft.repeat.map(|repeat| repeat.unit.as_str()),
            ])?;
            Ok(())
        })?;
        load_reminder(&self.conn, id)
    }

    /// Deletes a reminder the dealer typed (a rule's is dismissed instead).
    pub fn delete_reminder(&mut self, id: i64) -> Result<i64> {
        self.with_tx(|tx| {
            let reminder = load_reminder(tx, id)?;
            if reminder.rule_made {
                return Err(Error::invalid("id", Problem::ReminderRuleMade));
            }
            tx.prepare_cached("DELETE FROM reminders WHERE id = ?1")?.execute([id])?;
            Ok(reminder.customer_id)
        })
    }

    /// Marks an open reminder done: records the contact on the customer's timeline (today, on
    /// `done.channel`, with the outcome typed), and makes the next one of a repeating reminder.
    pub fn complete_reminder(&mut self, id: i64, done: &ReminderDone) -> Result<ReminderClosed> {
        let summary = done.summary.trim().to_string();
        let draft = InteractionDraft {
            kind: interaction_kind(done.channel),
            direction: Direction::Outbound,
            occurred_on: crate::clock::today(),
            summary,
            outcome: done.outcome.trim().to_string(),
            campaign: String::new(),
            response: None,
        };
        let draft = crate::history::TimelineEntry::checked(draft, &self.settings()?)?;
        let (interaction_id, next) = self.with_tx(|tx| {
            let reminder = open(tx, id)?;
            let now = crate::clock::now().to_rfc3339();
            let interaction_id = crate::history::insert_entry(tx, reminder.customer_id, &draft, &now)?;
            tx.prepare_cached(
                "UPDATE reminders SET state = 'done', closed_at = ?2, interaction_id = ?3 WHERE id = ?1",
            )?
            .execute(params![id, now, interaction_id])?;
            let next = make_next(tx, &reminder)?;
            reconcile_customer(tx, reminder.customer_id, crate::clock::today())?;
            Ok((interaction_id, next))
        })?;
        Ok(ReminderClosed {
            reminder: load_reminder(&self.conn, id)?,
            interaction_id: Some(interaction_id),
            next: next.map(|next| load_reminder(&self.conn, next)).transpose()?,
        })
    }

    /// Shows an open reminder again on `until` (after today).
    pub fn snooze_reminder(&mut self, id: i64, until: NaiveDate) -> Result<Reminder> {
        if until <= crate::clock::today() {
            return Err(Error::invalid("until", Problem::SnoozeNotAfterToday));
        }
        self.with_tx(|tx| {
            open(tx, id)?;
            // Snoozed, a birthday's reminder no longer goes by itself: the dealer chose its day.
            tx.prepare_cached("UPDATE reminders SET snoozed_until = ?2, expires_on = NULL WHERE id = ?1")?
                .execute(params![id, until.to_string()])?;
            Ok(())
        })?;
        load_reminder(&self.conn, id)
    }

    /// Closes an open reminder without a contact; a repeating one comes back at its next day.
    pub fn dismiss_reminder(&mut self, id: i64) -> Result<ReminderClosed> {
        let next = self.with_tx(|tx| {
            let reminder = open(tx, id)?;
            tx.prepare_cached("UPDATE reminders SET state = 'dismissed', closed_at = ?2 WHERE id = ?1")?
                .execute(params![id, crate::clock::now().to_rfc3339()])?;
            make_next(tx, &reminder)
        })?;
        Ok(ReminderClosed {
            reminder: load_reminder(&self.conn, id)?,
            interaction_id: None,
            next: next.map(|next| load_reminder(&self.conn, next)).transpose()?,
        })
    }

    /// Runs the rules over the whole book now (the day's pass runs by itself with the day's
    /// evaluation; this is for `loupe agenda --refresh` and tests).
    pub fn refresh_agenda(&mut self) -> Result<AgendaRefresh> {
        self.refresh_agenda_on(crate::clock::today())
    }

    /// The rules over the whole book as on `today` (tests of days the app was closed).
    pub fn refresh_agenda_on(&mut self, today: NaiveDate) -> Result<AgendaRefresh> {
        self.with_tx(|tx| refresh_book(tx, today))
    }

    /// The day the rules last ran over the whole book.
    pub fn agenda_ran_on(&self) -> Result<Option<NaiveDate>> {
        last_ran(&self.conn)
    }
}

/// A piece as the CLI names it: "Rolex Submariner", else its category ("ring").
fn piece_name(piece: &PieceLabel) -> String {
    let name = [piece.brand.trim(), piece.model.trim()]
        .iter()
        .filter(|part| !part.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    if name.is_empty() { piece.category.as_str().replace('_', " ") } else { name }
}

/// A reminder's title in English (the CLI's, and the contact's summary when none is given);
/// the window words the same reasons in its language.
pub fn reminder_title(reminder: &Reminder) -> String {
    let pieces = |pieces: &[PieceLabel]| pieces.iter().map(piece_name).collect::<Vec<_>>().join(", ");
    let day = |day: NaiveDate| day.format("%-d %b %Y").to_string();
    match &reminder.reason {
        ReminderReason::Sale { purchased_on, pieces: bought, .. }
            if reminder.kind == ReminderKind::CheckIn =>
        {
            format!("Check in after the sale of {}: {}", day(*purchased_on), pieces(bought))
        }
        ReminderReason::Sale { purchased_on, pieces: bought, .. } => {
            format!("Follow up the sale of {}: {}", day(*purchased_on), pieces(bought))
        }
        ReminderReason::Service { purchased_on, piece, years } => {
            format!("Service due: {}, sold {} ({years}-year interval)", piece_name(piece), day(*purchased_on))
        }
        ReminderReason::Care { tier, since } => format!(
            "Yearly cleaning and check of their jewellery ({} member, since {})",
            if tier.name.en.is_empty() { &tier.name.zh } else { &tier.name.en },
            day(*since)
        ),
        ReminderReason::Birthday { age: Some(age) } => format!("Birthday: turns {age}"),
        ReminderReason::Birthday { age: None } => "Birthday".to_string(),
        ReminderReason::Anniversary { label, years } => {
            let what = if label.trim().is_empty() {
                "Anniversary".to_string()
            } else {
                format!("Anniversary: {}", label.trim())
            };
            match years {
                Some(years) => format!("{what} ({years} years)"),
                None => what,
            }
        }
        ReminderReason::KeyVisit { last_contact: Some(last), .. } => {
            format!("Key customer: visit or call (last contact {})", day(*last))
        }
        ReminderReason::KeyVisit { last_contact: None, since, .. } => {
            format!("Key customer: visit or call (no contact since added on {})", day(*since))
        }
        ReminderReason::ReEngagement { since, .. } => format!("At risk since {}: win them back", day(*since)),
        ReminderReason::TierUpgrade { to, .. } => {
            format!("Congratulate on {}", if to.name.en.is_empty() { &to.name.zh } else { &to.name.en })
        }
        ReminderReason::GiveBack { quarter } => format!("Thank them this quarter ({quarter})"),
        ReminderReason::Arrival { piece, .. } if reminder.title.is_empty() => {
            format!("Tell them: {} arrived", piece_name(piece))
        }
        ReminderReason::Arrival { .. } | ReminderReason::Manual => reminder.title.clone(),
    }
}

fn open(conn: &Connection, id: i64) -> Result<Reminder> {
    let reminder = load_reminder(conn, id)?;
    if reminder.state != ReminderState::Open {
        return Err(Error::invalid("id", Problem::ReminderNotOpen));
    }
    Ok(reminder)
}

fn open_typed(conn: &Connection, id: i64) -> Result<Reminder> {
    let reminder = open(conn, id)?;
    if reminder.rule_made {
        return Err(Error::invalid("id", Problem::ReminderRuleMade));
    }
    Ok(reminder)
}

/// The next of a repeating reminder just closed.
fn make_next(conn: &Connection, closed: &Reminder) -> Result<Option<i64>> {
    let Some(repeat) = closed.repeat else { return Ok(None) };
    let Some(due_on) = next_day(closed.due_on, repeat, crate::clock::today()) else { return Ok(None) };
    let draft = ReminderDraft {
        due_on,
        title: closed.title.clone(),
        notes: closed.notes.clone(),
        repeat: Some(repeat),
    };
    insert_typed(conn, closed.customer_id, closed.kind, &draft, &closed.reason, closed.arrival_id)
}

fn agenda_counts(conn: &Connection, today: NaiveDate, until: NaiveDate) -> Result<AgendaCounts> {
    let week_end = today + Days::new(6);
    let row = conn
        .prepare_cached(
            "SELECT
                count(*) FILTER (WHERE kind <> 'give_back' AND IFNULL(snoozed_until, due_on) < ?1),
                count(*) FILTER (WHERE kind <> 'give_back' AND IFNULL(snoozed_until, due_on) = ?1),
                count(*) FILTER (WHERE kind <> 'give_back' AND IFNULL(snoozed_until, due_on) > ?1
                                 AND IFNULL(snoozed_until, due_on) <= ?2),
                count(*) FILTER (WHERE kind <> 'give_back' AND IFNULL(snoozed_until, due_on) > ?2),
                count(*) FILTER (WHERE kind = 'give_back')
             FROM reminders WHERE state = 'open' AND IFNULL(snoozed_until, due_on) <= ?3",
        )?
        .query_row(params![today.to_string(), week_end.to_string(), until.to_string()], |row| {
            Ok(AgendaCounts {
                overdue: row.get(0)?,
                today: row.get(1)?,
                week: row.get(2)?,
                later: row.get(3)?,
                quarter: row.get(4)?,
            })
        })?;
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("day")
    }

    #[test]
    fn the_29th_of_february_falls_by_the_rule_in_other_years() {
        assert_eq!(on_in_year(2, 29, 2027, LeapDayRule::February28), Some(day("2027-02-28")));
        assert_eq!(on_in_year(2, 29, 2027, LeapDayRule::March1), Some(day("2027-03-01")));
        assert_eq!(on_in_year(2, 29, 2028, LeapDayRule::March1), Some(day("2028-02-29")));
        assert_eq!(add_years(day("2024-02-29"), 10, LeapDayRule::March1), Some(day("2034-03-01")));
    }

    #[test]
    fn a_reminder_is_live_from_the_lookahead_to_thirty_days_overdue() {
        let today = day("2026-06-15");
        assert!(live(day("2026-09-15"), None, today));
        assert!(!live(day("2026-09-16"), None, today));
        assert!(live(day("2026-05-16"), None, today));
        assert!(!live(day("2026-05-15"), None, today));
        assert!(live(day("2026-04-01"), Some(day("2026-06-30")), today));
    }

    #[test]
    fn a_repeating_reminder_done_late_comes_back_after_today() {
        let monthly = Repeat { every: 1, unit: RepeatUnit::Months };
        assert_eq!(next_day(day("2026-01-31"), monthly, day("2026-02-01")), Some(day("2026-02-28")));
        assert_eq!(next_day(day("2026-01-10"), monthly, day("2026-04-20")), Some(day("2026-05-10")));
        let weekly = Repeat { every: 2, unit: RepeatUnit::Weeks };
        assert_eq!(next_day(day("2026-06-01"), weekly, day("2026-06-01")), Some(day("2026-06-15")));
    }

    #[test]
    fn quarters_run_from_their_first_to_their_last_day() {
        assert_eq!(
            quarter_of(day("2026-12-04")),
            (day("2026-10-01"), day("2026-12-31"), "2026-Q4".to_string())
        );
        assert_eq!(
            quarter_of(day("2026-02-10")),
            (day("2026-01-01"), day("2026-03-31"), "2026-Q1".to_string())
        );
    }

    #[test]
    fn a_refused_channel_offers_the_others_the_customer_can_be_reached_on() {
        let called = reach(None, "phone:opted_out,email:opted_in", true, true, false);
        assert_eq!(called.channel, ContactMethod::Phone);
        assert_eq!(called.consent, ChannelConsent::OptedOut);
        assert_eq!(called.alternatives, [ContactMethod::Email, ContactMethod::Sms, ContactMethod::InPerson]);
        let visited = reach(Some(ContactMethod::InPerson), "", false, false, false);
        assert_eq!((visited.consent, visited.alternatives.len()), (ChannelConsent::NotNeeded, 0));
        let unknown = reach(None, "", false, true, false);
        assert_eq!((unknown.channel, unknown.consent), (ContactMethod::Email, ChannelConsent::Unknown));
    }
}
