//! The audience: one `CustomerFilter` compiled into one parameterised WHERE clause over
//! `customers c`, used by every screen that selects customers (the list, mailing lists, saved
//! segments, the counts per segment). Values only ever travel as parameters; the SQL text holds
//! fixed fragments and placeholders. A part left empty adds no condition at all, so that SQLite
//! plans each query from the parts in use (a tag filter drives from the tag index, a segment
//! from the standing's segment index, an unfiltered list walks its sort's index).
//!
//! Saved segments (the `segments` table) hold a `CustomerFilter` as JSON; a filter may name one
//! (`saved_segment`) to add its parts. A saved segment's own filter may name none, so there is
//! never a cycle, and it holds no search (what was typed in the search box is transient).

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};
use rust_decimal::Decimal;

use crate::customers::{influence_rank, parse_column, segment_rank, value_class_rank};
use crate::error::{Error, Result};
use crate::model::*;
use crate::problem::Problem;
use crate::purchases::units;
use crate::store::Book;

/// Every customer, counted from the counts kept per type (migration 0019).
const KEPT_COUNT: &str = "SELECT coalesce(sum(customers), 0) FROM customer_type_counts";

/// A saved segment's name is at most this long.
const SEGMENT_NAME_MAX_CHARS: usize = 100;

/// A filter as SQL: conditions over `customers c`, ANDed, with their parameters. Placeholders
/// are numbered (`?N`) and follow whatever the caller bound before, so a query may bind its own
/// values first and use `where_sql` more than once.
pub(crate) struct Audience {
    conditions: Vec<String>,
    /// For each condition that can be counted without reading `customers` (a type, a tag, the
    /// tiers, the standing's value class or RFM): the query counting it alone.
    counts_alone: Vec<String>,
    /// Whether a part follows from what the customers bought (spend, purchase days, standing,
    /// tier): such an audience gathers at one end of the spend and last-purchase orders.
    follows_sales: bool,
    /// For each part that pins a key leading some of the list's orders: a condition on that key
    /// as the orders' indexes hold it, implied by the part's own condition, or none when the
    /// part's condition is that already (tiers). The list adds it when it sorts by that key, so
    /// that it seeks the part's range of the index.
    pins: Vec<(Lead, Option<String>)>,
    /// For each part that does not pin a key leading some of the list's orders but bounds it: a
    /// condition on that key as the orders' indexes hold it, implied by the part's own. The list
    /// adds it when it walks that key's order, to start at the bound instead of walking past
    /// everyone outside it.
    bounds: Vec<(Lead, String)>,
    /// Whether a tiers part names one tier: every customer selected then has the same rank.
    one_tier: bool,
}

/// A key leading some of the list's orders that a filter part may pin to a few values.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Lead {
    Segment,
    ValueClass,
    Influence,
    Tier,
}

impl Audience {
    /// Compiles `filter`, appending its values to `params`. `region` reads a search as the
    /// search box does.
    pub(crate) fn compile(
        conn: &Connection,
        filter: &CustomerFilter,
        region: &str,
        params: &mut Vec<Value>,
    ) -> Result<Audience> {
        let mut audience = Audience {
            conditions: Vec::new(),
            counts_alone: Vec::new(),
            follows_sales: false,
            pins: Vec::new(),
            bounds: Vec::new(),
            one_tier: false,
        };
        audience.add(filter, region, params)?;
        if let Some(id) = filter.saved_segment {
            audience.add(&saved_filter(conn, id)?, region, params)?;
        }
        Ok(audience)
    }

    /// True when no part is in use: every customer is selected.
    pub(crate) fn is_everyone(&self) -> bool {
        self.conditions.is_empty()
    }

    pub(crate) fn follows_sales(&self) -> bool {
        self.follows_sales
    }

    /// Whether a part pins `lead`.
    pub(crate) fn pins(&self, lead: Lead) -> bool {
        self.pins.iter().any(|(pinned, _)| *pinned == lead)
    }

    /// The conditions on `lead` implied by the parts that pin it.
    pub(crate) fn seeks(&self, lead: Lead) -> impl Iterator<Item = &str> {
        self.pins.iter().filter(move |(pinned, _)| *pinned == lead).filter_map(|(_, seek)| seek.as_deref())
    }

    /// The conditions on `lead` implied by the parts that bound it.
    pub(crate) fn bounds(&self, lead: Lead) -> impl Iterator<Item = &str> {
        self.bounds.iter().filter(move |(bounded, _)| *bounded == lead).map(|(_, bound)| bound.as_str())
    }

    pub(crate) fn pins_one_tier(&self) -> bool {
        self.one_tier
    }

    /// Adds the seek that the rank `rank` gives the row's `column` lies between the lowest and
    /// highest rank of the values bound at `placeholders` (the part's own: a count binds no
    /// more than it reads). A range, not the ranks themselves: SQLite sorts what an equality on
    /// an indexed expression finds, where a range keeps the index's order.
    fn add_rank_seek(&mut self, lead: Lead, rank: fn(&str) -> String, column: &str, placeholders: &[String]) {
        let ranks: Vec<String> = placeholders.iter().map(|at| rank(at)).collect();
        let (lowest, highest) = match ranks.as_slice() {
            [] => return,
            [only] => (only.clone(), only.clone()),
            several => (format!("min({})", several.join(", ")), format!("max({})", several.join(", "))),
        };
        self.pins.push((lead, Some(format!("{} BETWEEN {lowest} AND {highest}", rank(column)))));
    }

    /// The conditions ANDed, or `1` (true) when the filter selects everyone.
    pub(crate) fn where_sql(&self) -> String {
        if self.is_everyone() { "1".to_owned() } else { self.conditions.join(" AND ") }
    }

    /// A query counting the customers selected. Everyone, or one type alone, is read from the
    /// counts the writers of customer rows keep (migration 0019): SQLite counts by reading a
    /// whole index (1,000,000 customers: 7,500 scattered pages, 0.7 s read cold at start;
    /// 700,000 of one type, 25 ms on every page). An audience of one part that is a set of ids
    /// (a tag, a standing part) or of tiers alone is counted in that part's own table, whose
    /// rows cascade from `customers`: counting through `customers` seeks every member in that
    /// table (a tag of 107,000 customers in a book of 1,000,000: 140 ms against 8), or reads
    /// the tier order's wide index (the first tier, 448,000 members: 21 ms against 15).
    pub(crate) fn count_sql(&self) -> String {
        match (self.conditions.len(), self.counts_alone.as_slice()) {
            (0, _) => KEPT_COUNT.to_owned(),
            (1, [alone]) => alone.clone(),
            _ => format!("SELECT count(*) FROM customers c WHERE {}", self.where_sql()),
        }
    }

    /// Adds the condition that a customer is in the set of ids `members` lists, each once.
    fn add_id_set(&mut self, members: String) {
        self.conditions.push(format!("c.id IN ({members})"));
        self.counts_alone.push(format!("SELECT count(*) FROM ({members})"));
    }

    fn add(&mut self, filter: &CustomerFilter, region: &str, params: &mut Vec<Value>) -> Result<()> {
        self.follows_sales |= filter.min_spend.is_some()
            || filter.max_spend.is_some()
            || filter.bought_since.is_some()
            || filter.bought_until.is_some()
            || filter.not_bought_since.is_some()
            || !filter.segments.is_empty()
            || !filter.value_classes.is_empty()
            || !filter.rfm_groups.is_empty()
            || filter.min_rfm.is_some()
            || !filter.tiers.is_empty();
        if let Some(customer_type) = filter.customer_type {
            let at = bind_text(params, customer_type.as_str());
            self.conditions.push(format!("c.customer_type = {at}"));
            self.counts_alone.push(format!("{KEPT_COUNT} WHERE customer_type = {at}"));
        }
        for tag in filter.tags.iter().map(|tag| tag.trim()).filter(|tag| !tag.is_empty()) {
            let at = bind_text(params, tag);
            // DISTINCT: one customer may carry the tag twice, written in two cases.
            self.add_id_set(format!(
                "SELECT DISTINCT customer_id FROM customer_tags WHERE tag = {at} COLLATE NOCASE"
            ));
        }
        let tiers = bind_each(params, filter.tiers.iter().map(String::as_str));
        if !tiers.is_empty() {
            // By the rank copied on the row (migration 0017), which the tier orders' indexes lead
            // with: a tier has one rank in a book, as every member's tier and rank are written
            // together under the book's rules, and new rules place everyone again at once. Each
            // tier's rank is read from one entry of `customer_membership_tier` (migration 0018);
            // a tier nobody holds has none and selects nobody. The `IS NULL` term, implied, lets
            // SQLite seek those indexes.
            let ranks: Vec<String> = tiers
                .iter()
                .map(|at| format!("(SELECT tier_rank FROM customer_membership WHERE tier = {at} LIMIT 1)"))
                .collect();
            // One tier an equality, so that its members are read in the index's order.
            let (ranks, names) = match (ranks.as_slice(), tiers.as_slice()) {
                ([rank], [name]) => (format!("= {rank}"), format!("= {name}")),
                _ => (format!("IN ({})", ranks.join(", ")), format!("IN ({})", tiers.join(", "))),
            };
            self.conditions.push(format!("(c.tier_rank IS NULL) = 0 AND c.tier_rank {ranks}"));
            // The same members: a row's tier and rank are written together, and copied together.
            self.counts_alone.push(format!("SELECT count(*) FROM customer_membership WHERE tier {names}"));
            self.pins.push((Lead::Tier, None));
            self.one_tier |= tiers.len() == 1;
        }
        if let Some(language) = non_empty(&filter.language) {
            let at = bind_text(params, language);
            // The prefix is matched with LIKE: its own `%` and `_` must match only themselves.
            let prefix = bind_text(params, &format!("{}-%", like_escaped(language)));
            self.conditions
                .push(format!("(c.language = {at} COLLATE NOCASE OR c.language LIKE {prefix} ESCAPE '\\')"));
        }
        let min = spend_units("min_spend", filter.min_spend)?;
        let max = spend_units("max_spend", filter.max_spend)?;
        if let (Some(min), Some(max)) = (min, max)
            && min > max
        {
            return Err(Error::invalid("max_spend", Problem::SpendRangeReversed));
        }
        if let Some(min) = min {
            let at = bind(params, Value::Integer(min));
            self.conditions.push(format!("c.spend_units >= {at}"));
        }
        if let Some(max) = max {
            let at = bind(params, Value::Integer(max));
            self.conditions.push(format!("c.spend_units <= {at}"));
        }
        if let Some(since) = filter.bought_since {
            let at = bind_text(params, &since.to_string());
            self.conditions.push(format!("c.last_purchase_on >= {at}"));
        }
        if let Some(until) = filter.bought_until {
            let at = bind_text(params, &until.to_string());
            match filter.bought_since {
                Some(since) if until < since => {
                    return Err(Error::invalid("bought_until", Problem::PeriodReversed));
                }
                // A sale between the two days, by the customer's index of their sales.
                Some(since) => {
                    let from = bind_text(params, &since.to_string());
                    self.conditions.push(format!(
                        "EXISTS (SELECT 1 FROM purchases p WHERE p.customer_id = c.id
                                 AND p.purchased_on BETWEEN {from} AND {at})"
                    ));
                }
                None => self.conditions.push(format!("c.first_purchase_on <= {at}")),
            }
        }
        if let Some(since) = filter.not_bought_since {
            let at = bind_text(params, &since.to_string());
            self.conditions.push(format!("(c.last_purchase_on IS NULL OR c.last_purchase_on < {at})"));
        }
        if let Some(brand) = non_empty(&filter.brand) {
            let at = bind_text(params, brand);
            self.conditions.push(format!(
                "c.id IN (SELECT p.customer_id FROM purchase_items i JOIN purchases p ON p.id = i.purchase_id
                          WHERE i.brand = {at} COLLATE NOCASE
                          UNION SELECT customer_id FROM wishes WHERE brand = {at} COLLATE NOCASE)"
            ));
        }
        let standing = standing_conditions(filter, params)?;
        self.conditions.extend(standing.segment);
        if let Some(members) = standing.rest {
            self.add_id_set(members);
        }
        // The value class is copied on the row as the segment is (migration 0017).
        self.add_rank_seek(Lead::Segment, segment_rank, "c.segment", &standing.segments);
        self.add_rank_seek(Lead::ValueClass, value_class_rank, "c.value_class", &standing.value_classes);
        // Everyone who has bought has a segment other than prospect and a value class; a
        // prospect, who never bought, has neither class nor RFM score (one evaluation writes
        // them, the row holds their copies: migration 0017), and no tier, which only past sales
        // earn (`membership::replay`, run with the standing by `evaluation.rs`). A part that
        // selects buyers alone bounds the segment and value class orders to their ranks before
        // a prospect's, where the smallest-first walks would start: at the half of a demo book
        // that never bought.
        let buyers_alone = (!filter.segments.is_empty() && !filter.segments.contains(&Segment::Prospect))
            || !filter.value_classes.is_empty()
            || !filter.rfm_groups.is_empty()
            || filter.min_rfm.is_some()
            || !filter.tiers.is_empty();
        if buyers_alone {
            // 5 and 3: the ranks of a prospect's segment and of no class, the orders' last.
            self.bounds.push((Lead::Segment, format!("{} < 5", segment_rank("c.segment"))));
            self.bounds.push((Lead::ValueClass, format!("{} < 3", value_class_rank("c.value_class"))));
        }
        let influences = bind_each(params, filter.influence.iter().map(|influence| influence.as_str()));
        if !influences.is_empty() {
            self.conditions.push(format!("c.influence IN ({})", influences.join(", ")));
            self.add_rank_seek(Lead::Influence, influence_rank, "c.influence", &influences);
        }
        if let Some(likes) = non_empty(&filter.likes) {
            // Said they like, or bought most, something whose name holds the text ("pearl" finds
            // "Pearls", "gold" finds "rose gold"); LIKE ignores the case of Latin letters.
            let at = bind_text(params, &format!("%{}%", like_escaped(likes)));
            self.conditions.push(format!(
                "c.id IN (SELECT customer_id FROM customer_preferences WHERE value LIKE {at} ESCAPE '\\'
                          UNION SELECT customer_id FROM customer_standing
                          WHERE json_extract(bought_most_json, '$.brand') LIKE {at} ESCAPE '\\'
                             OR json_extract(bought_most_json, '$.material') LIKE {at} ESCAPE '\\'
                             OR json_extract(bought_most_json, '$.category') LIKE {at} ESCAPE '\\')"
            ));
        }
        if let Some(text) = non_empty(&filter.search) {
            // The search box's own query, so that the list holds exactly the customers it
            // counted; text that can match nobody selects nobody.
            match crate::search::match_conditions(text, region, &mut |text| bind_text(params, text)) {
                Some(matching) => self.conditions.extend(matching),
                None => self.conditions.push("0".to_owned()),
            }
        }
        Ok(())
    }
}

/// The standing parts of a filter as SQL (`standing_conditions`).
struct StandingConditions {
    /// A condition on the segment, read from the customer row.
    segment: Option<String>,
    /// A query of `customer_standing` listing the customers whose standing has the other parts.
    rest: Option<String>,
    /// Where the segments and the value classes are bound.
    segments: Vec<String>,
    value_classes: Vec<String>,
}

/// The standing parts: a condition on the segment, read from the customer row, and a query of
/// `customer_standing` listing the customers whose standing has the others (value class, RFM).
/// A customer not evaluated yet has no standing and matches none of them.
fn standing_conditions(filter: &CustomerFilter, params: &mut Vec<Value>) -> Result<StandingConditions> {
    let mut parts = Vec::new();
    // The segment is read from the customer row (kept there by migration 0008's triggers), so
    // that the list filtered by one segment walks `customers_segment_spend` in its order.
    let segments = bind_each(params, filter.segments.iter().map(|segment| segment.as_str()));
    let segment = (!segments.is_empty()).then(|| format!("c.segment IN ({})", segments.join(", ")));
    let value_classes = bind_each(params, filter.value_classes.iter().map(|class| class.as_str()));
    if !value_classes.is_empty() {
        parts.push(format!("value_class IN ({})", value_classes.join(", ")));
    }
    if !filter.rfm_groups.is_empty() {
        let list = bind_all(params, filter.rfm_groups.iter().map(|group| group.as_str()));
        parts.push(format!("rfm_group IN ({list})"));
    }
    if let Some(least) = filter.min_rfm {
        for score in [least.r, least.f, least.m] {
            if !(1..=5).contains(&score) {
                return Err(Error::invalid("min_rfm", Problem::NotAScore { value: score }));
            }
        }
        let (r, f, m) = (
            bind(params, Value::Integer(least.r.into())),
            bind(params, Value::Integer(least.f.into())),
            bind(params, Value::Integer(least.m.into())),
        );
        parts.push(format!("recency >= {r} AND frequency >= {f} AND monetary >= {m}"));
    }
    let rest = (!parts.is_empty())
        .then(|| format!("SELECT customer_id FROM customer_standing WHERE {}", parts.join(" AND ")));
    Ok(StandingConditions { segment, rest, segments, value_classes })
}

/// Binds `value` as the next parameter and returns its placeholder.
fn bind(params: &mut Vec<Value>, value: Value) -> String {
    params.push(value);
    format!("?{}", params.len())
}

fn bind_text(params: &mut Vec<Value>, text: &str) -> String {
    bind(params, Value::Text(text.to_owned()))
}

/// Binds every value and returns their placeholders, comma separated (for `IN (…)`).
fn bind_all<'a>(params: &mut Vec<Value>, values: impl Iterator<Item = &'a str>) -> String {
    bind_each(params, values).join(", ")
}

/// Binds each value and returns their placeholders.
fn bind_each<'a>(params: &mut Vec<Value>, values: impl Iterator<Item = &'a str>) -> Vec<String> {
    values.map(|value| bind_text(params, value)).collect()
}

fn non_empty(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|text| !text.is_empty())
}

/// A spend bound in the book's units, refused when it cannot be counted exactly.
fn spend_units(field: &str, amount: Option<Decimal>) -> Result<Option<i64>> {
    amount
        .map(|amount| {
            units(amount).ok_or_else(|| {
                let problem = if amount.scale() > 4 {
                    Problem::TooManyDecimals
                } else {
                    Problem::AmountTooLarge { value: amount.to_string() }
                };
                Error::invalid(field, problem)
            })
        })
        .transpose()
}

/// `text` for a LIKE pattern with `ESCAPE '\\'`: its `%`, `_` and `\\` match only themselves.
fn like_escaped(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(ch);
    }
    escaped
}

/// The filter saved as segment `id`.
fn saved_filter(conn: &Connection, id: i64) -> Result<CustomerFilter> {
    let rules: Option<String> = conn
        .prepare_cached("SELECT rules_json FROM segments WHERE id = ?1")?
        .query_row([id], |row| row.get(0))
        .optional()?;
    let rules = rules.ok_or_else(|| Error::invalid("saved_segment", Problem::NoSuchSavedSegment { id }))?;
    let filter = stored_filter(&rules)?;
    if filter.saved_segment.is_some() {
        // Never written (`save_segment` refuses it); a book edited by hand is refused too
        // rather than followed into a cycle.
        return Err(Error::invalid("saved_segment", Problem::SegmentInSegment));
    }
    Ok(filter)
}

fn stored_filter(rules: &str) -> Result<CustomerFilter> {
    serde_json::from_str(rules).map_err(|error| {
        Error::invalid(
            "saved_segment",
            Problem::Other { message: format!("a saved segment cannot be read: {error}") },
        )
    })
}

/// How many customers `filter` selects.
fn count(conn: &Connection, filter: &CustomerFilter, region: &str) -> Result<u32> {
    let mut params = Vec::new();
    let audience = Audience::compile(conn, filter, region, &mut params)?;
    let sql = format!("SELECT count(*) FROM customers c WHERE {}", audience.where_sql());
    Ok(conn.prepare_cached(&sql)?.query_row(params_from_iter(&params), |row| row.get(0))?)
}

impl Book {
    /// How many customers of the audience are in each segment, whatever segments it names
    /// itself: every segment in the rules' order, zeros included (the list's counts at its top).
    pub fn segment_counts(&self, filter: &CustomerFilter) -> Result<Vec<SegmentCount>> {
        let region = self.settings()?.default_region;
        let mut params = Vec::new();
        let audience = Audience::compile(
            &self.conn,
            &CustomerFilter { segments: Vec::new(), ..filter.clone() },
            &region,
            &mut params,
        )?;
        let sql = format!(
            "SELECT c.segment, count(*) FROM customers c WHERE c.segment IS NOT NULL AND {} GROUP BY c.segment",
            audience.where_sql()
        );
        let mut found = std::collections::HashMap::new();
        let mut statement = self.conn.prepare_cached(&sql)?;
        let mut rows = statement.query(params_from_iter(&params))?;
        while let Some(row) = rows.next()? {
            let segment: Segment = parse_column(row, 0)?;
            found.insert(segment, row.get::<_, u32>(1)?);
        }
        Ok(Segment::ALL
            .iter()
            .map(|&segment| SegmentCount { segment, count: found.get(&segment).copied().unwrap_or(0) })
            .collect())
    }

    /// Every saved segment, by name, with how many customers it selects now.
    pub fn saved_segments(&self) -> Result<Vec<SavedSegment>> {
        let region = self.settings()?.default_region;
        let stored: Vec<(i64, String, String, DateTime<Utc>)> = self
            .conn
            .prepare_cached(
                "SELECT id, name, rules_json, updated_at FROM segments ORDER BY name COLLATE NOCASE, id",
            )?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, parse_column(row, 3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        stored
            .into_iter()
            .map(|(id, name, rules, updated_at)| {
                let filter = stored_filter(&rules)?;
                let count = count(&self.conn, &filter, &region)?;
                Ok(SavedSegment { id, name, filter, count, updated_at })
            })
            .collect()
    }

    /// Saves `filter` under `name`: a new segment when `id` is None, else segment `id` renamed
    /// and given the filter. The name is trimmed, required, at most 100 characters and unlike
    /// any other segment's, built-in ones included (case ignored). The filter may not name a
    /// saved segment (no segment is made of another) nor hold a search (what was typed in the
    /// search box is not an audience to keep).
    pub fn save_segment(
        &mut self,
        id: Option<i64>,
        name: &str,
        filter: &CustomerFilter,
    ) -> Result<SavedSegment> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::invalid("name", Problem::SegmentNameMissing));
        }
        if name.chars().count() > SEGMENT_NAME_MAX_CHARS {
            return Err(Error::invalid("name", Problem::TooLong { max_chars: SEGMENT_NAME_MAX_CHARS }));
        }
        if name.parse::<Segment>().is_ok() {
            return Err(Error::invalid("name", Problem::SegmentNameTaken { name: name.to_owned() }));
        }
        if filter.saved_segment.is_some() {
            return Err(Error::invalid("saved_segment", Problem::SegmentInSegment));
        }
        if non_empty(&filter.search).is_some() {
            return Err(Error::invalid("search", Problem::SegmentHoldsSearch));
        }
        let filter = CustomerFilter { search: None, ..filter.clone() };
        // Compiled once before it is kept, so that a filter that cannot run is never saved.
        let region = self.settings()?.default_region;
        Audience::compile(&self.conn, &filter, &region, &mut Vec::new())?;
        let rules =
            serde_json::to_string(&filter).map_err(|error| Error::invalid("filter", error.to_string()))?;
        let now = crate::clock::now();
        let stamp = now.to_rfc3339();
        let saved_id = self.with_tx(|tx| {
            let clash: Option<i64> = tx
                .prepare_cached("SELECT id FROM segments WHERE name = ?1 COLLATE NOCASE AND id IS NOT ?2")?
                .query_row(params![name, id], |row| row.get(0))
                .optional()?;
            if clash.is_some() {
                return Err(Error::invalid("name", Problem::SegmentNameTaken { name: name.to_owned() }));
            }
            match id {
                Some(id) => {
                    let changed = tx.execute(
                        "UPDATE segments SET name = ?1, rules_json = ?2, updated_at = ?3 WHERE id = ?4",
                        params![name, rules, stamp, id],
                    )?;
                    if changed == 0 {
                        return Err(Error::NotFound { what: "saved segment", id });
                    }
                    Ok(id)
                }
                None => {
                    tx.execute(
                        "INSERT INTO segments (name, rules_json, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
                        params![name, rules, stamp],
                    )?;
                    Ok(tx.last_insert_rowid())
                }
            }
        })?;
        let count = count(&self.conn, &filter, &region)?;
        Ok(SavedSegment { id: saved_id, name: name.to_owned(), filter, count, updated_at: now })
    }

    pub fn delete_segment(&mut self, id: i64) -> Result<()> {
        self.with_tx(|tx| {
            if tx.execute("DELETE FROM segments WHERE id = ?1", [id])? == 0 {
                return Err(Error::NotFound { what: "saved segment", id });
            }
            Ok(())
        })
    }

    /// The audience a segment's name stands for, as scripts name segments: a built-in segment
    /// ("vip", "at risk", "at_risk") or a saved segment's name (case ignored).
    pub fn segment_named(&self, name: &str) -> Result<CustomerFilter> {
        if let Ok(segment) = name.parse::<Segment>() {
            return Ok(CustomerFilter { segments: vec![segment], ..CustomerFilter::default() });
        }
        let saved: Option<i64> = self
            .conn
            .prepare_cached("SELECT id FROM segments WHERE name = ?1 COLLATE NOCASE")?
            .query_row([name.trim()], |row| row.get(0))
            .optional()?;
        match saved {
            Some(id) => Ok(CustomerFilter { saved_segment: Some(id), ..CustomerFilter::default() }),
            None => {
                let mut known: Vec<String> =
                    Segment::ALL.iter().map(|segment| segment.as_str().to_owned()).collect();
                known.extend(self.saved_segments()?.into_iter().map(|saved| saved.name));
                Err(Error::invalid(
                    "segment",
                    Problem::NoSuchSegment { name: name.trim().to_owned(), known: known.join(", ") },
                ))
            }
        }
    }
}
