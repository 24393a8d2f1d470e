//! Customer profiles: create, read, update, delete and the paged list. A profile spans the
//! `customers` row and its child tables; every write replaces the children and the search
//! document inside one transaction.

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, ToSql, params, params_from_iter};
use rust_decimal::Decimal;

use crate::audience::Lead;
use crate::error::{Error, Result};
use crate::evaluation::FirstEvaluation;
use crate::fold;
use crate::model::*;
use crate::problem::Problem;
use crate::search;
use crate::standing::RowCopies;
use crate::store::Book;
use crate::validate::{self, ValidDraft};

impl Book {
    pub fn create_customer(&mut self, draft: CustomerDraft) -> Result<Customer> {
        let valid = validate::normalise(draft, &self.settings()?)?;
        let now = crate::clock::now();
        let id = self.with_tx(|tx| {
            check_referrer(tx, None, valid.profile.referred_by)?;
            let id = insert_customer(tx, &valid, now)?;
            crate::evaluation::evaluate_customer(tx, id, crate::clock::today())?;
            Ok(id)
        })?;
        self.customer(id)
    }

    /// People in the book that `draft` (a profile being typed, valid or not yet) may duplicate:
    /// who shares an email or phone with it, or has an agreeing name at the same company.
    /// `except` is the customer being edited.
    pub fn possible_duplicates(
        &self,
        draft: &CustomerDraft,
        except: Option<i64>,
    ) -> Result<Vec<crate::matching::PossibleDuplicate>> {
        let region = self.settings()?.default_region;
        Ok(crate::matching::possible_duplicates(&self.conn, draft, &region, except)?)
    }

    pub fn update_customer(&mut self, id: i64, draft: CustomerDraft) -> Result<Customer> {
        // A number an import kept unverified may stay until the dealer corrects it.
        let unverified: Vec<String> = self
            .conn
            .prepare_cached("SELECT number FROM customer_phones WHERE customer_id = ?1 AND e164 IS NULL")?
            .query_map([id], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let valid =
            validate::normalise_with(draft, &self.settings()?, validate::Unverified::Stored(&unverified))?;
        let now = crate::clock::now();
        self.with_tx(|tx| {
            check_referrer(tx, Some(id), valid.profile.referred_by)?;
            // Nothing of the profile feeds the standing (its influence is read from the row):
            // an edit leaves it as it is. Its birthday and anniversaries make reminders.
            replace_customer(tx, id, &valid, now)?;
            crate::agenda::reconcile_customer(tx, id, crate::clock::today())?;
            Ok(())
        })?;
        self.customer(id)
    }

    pub fn delete_customer(&mut self, id: i64) -> Result<()> {
        self.with_tx(|tx| {
            crate::merge::forget_merges_of(tx, id)?;
            crate::points::take_back_referrals(tx, id)?;
            search::unindex_customer(tx, id)?;
            if !delete_customer_row(tx, id)? {
                return Err(Error::NotFound { what: "customer", id });
            }
            Ok(())
        })
    }

    pub fn customer(&self, id: i64) -> Result<Customer> {
        load_customer(&self.conn, id)
    }

    pub fn list_customers(&self, query: &ListQuery) -> Result<ListPage> {
        let region = self.settings()?.default_region;
        let page = self.page_query(query, &region)?;
        let ids = self
            .conn
            .prepare_cached(&page.sql)?
            .query_map(params_from_iter(&page.params), |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        let rows = rows_in_region(&self.conn, &ids, &region)?;
        Ok(ListPage { total: page.total, offset: query.offset, rows })
    }

    /// The query of a list page's ids, and how many customers the filter selects. The page's ids
    /// first, then their rows: a row's email, phone and tags are looked up for the hundred shown
    /// only, not for every customer the filter sorts (a segment of 50,000).
    fn page_query(&self, query: &ListQuery, region: &str) -> Result<PageQuery> {
        self.page_query_gathering(query, region, GATHER_AT_MOST)
    }

    /// `page_query`, gathering a pinned part of at most `gather_at_most` customers: a test on a
    /// small book asks for none, to read the walks a big book takes.
    fn page_query_gathering(
        &self,
        query: &ListQuery,
        region: &str,
        gather_at_most: u32,
    ) -> Result<PageQuery> {
        let order = order_by(query.sort, query.descending);
        let mut params = Vec::new();
        // Only the parts in use become conditions, so that SQLite can drive a tag or segment
        // filter from its index, and walk the sort's index when nothing filters.
        let audience = crate::audience::Audience::compile(&self.conn, &query.filter, region, &mut params)?;
        let filter = audience.where_sql();
        let total: u32 = self
            .conn
            .prepare_cached(&audience.count_sql())?
            .query_row(params_from_iter(&params), |row| row.get(0))?;
        // A part that pins the key leading the order (a segment by segment, gold members by tier)
        // also says so on that key, so that SQLite seeks the part's range of the order's index
        // and reads it in order, instead of walking the index from its start past everyone else.
        // Within one tier, the tier orders are the spend orders.
        let own_lead = pinned_lead(query.sort).filter(|&lead| audience.pins(lead));
        let own_seeks: Vec<&str> = own_lead.map(|lead| audience.seeks(lead).collect()).unwrap_or_default();
        let sought = match own_lead {
            Some(Lead::Tier) if query.sort == ListSort::Spend => audience.pins_one_tier(),
            Some(_) => true,
            None => false,
        };
        // A few tiers, classes or segments in another order that follows the sales are read from
        // their range of their own order's index and sorted there: a walk of the sort's index may
        // pass most of the book before their first member (gold members by segment, after every
        // prospect).
        let gathered = (own_lead.is_none() && total <= gather_at_most)
            .then(|| {
                [Lead::Tier, Lead::ValueClass, Lead::Segment].into_iter().find_map(|lead| {
                    let index = gathered_from(lead, query.sort)?;
                    audience.pins(lead).then(|| (index, audience.seeks(lead).collect::<Vec<_>>()))
                })
            })
            .flatten();
        // A filter that selects many customers is quicker checked along the sort's index, a page
        // and a few rows more, than gathered from its own index and sorted whole (a type or tag
        // of a tenth of a million customers). Not for an audience that follows the sales sorted
        // by spend: it gathers at one end, and `customers_segment_spend` serves a segment. The
        // other orders that follow the sales carry the segment in their index (migration 0017),
        // so that a walk past everyone else to a segment's end reads no customer's row.
        let gathers_at_an_end = audience.follows_sales() && query.sort == ListSort::Spend;
        let (index, seeks) = match gathered {
            Some((index, seeks)) => (Some(index), seeks),
            None if sought => {
                let order_of = if own_lead == Some(Lead::Tier) { ListSort::Tier } else { query.sort };
                (Some(walked_index(order_of, query.descending)), own_seeks)
            }
            None => {
                let walks =
                    !audience.is_everyone() && !gathers_at_an_end && walk_pays(&self.conn, total, query)?;
                if walks {
                    // A part that bounds the key leading the order starts the walk at its bound.
                    let bounds = pinned_lead(query.sort).map(|lead| audience.bounds(lead).collect());
                    (Some(walked_index(query.sort, query.descending)), bounds.unwrap_or_default())
                } else {
                    (None, Vec::new())
                }
            }
        };
        // Every customer a tiers part selects has a rank: the tier order's leading `IS NULL` is
        // left out, as SQLite sorts again what it sought by an expression it is ordered by.
        let order = if own_lead == Some(Lead::Tier) && query.sort == ListSort::Tier {
            order_within_tiers(query.descending)
        } else {
            order
        };
        let tables = match index {
            Some(index) => ROW_TABLES.replacen("customers c", &format!("customers c INDEXED BY {index}"), 1),
            None => ROW_TABLES.to_owned(),
        };
        let seeks: String = seeks.iter().map(|seek| format!(" AND {seek}")).collect();
        let limit = params.len() + 1;
        let sql = format!(
            "SELECT c.id FROM {tables} WHERE {filter}{seeks} ORDER BY {order} LIMIT ?{limit} OFFSET ?{offset}",
            offset = limit + 1
        );
        params.push(Value::from(query.limit.min(1000)));
        params.push(Value::from(query.offset));
        Ok(PageQuery { sql, params, total })
    }

    /// Every tag in the book with how many customers carry it, most used first, then by name
    /// ignoring case; a tag written in several cases is one, in the spelling that sorts first.
    /// The same as `SELECT min(tag), count(DISTINCT customer_id) … GROUP BY tag COLLATE NOCASE`,
    /// folded here from one walk of the tag index in its order, where SQLite fills a temporary
    /// table for each DISTINCT.
    pub fn tags(&self) -> Result<Vec<TagCount>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT tag, customer_id FROM customer_tags ORDER BY tag COLLATE NOCASE, customer_id",
        )?;
        let mut rows = statement.query([])?;
        let mut tags: Vec<TagCount> = Vec::new();
        let mut previous_customer = None;
        while let Some(row) = rows.next()? {
            let (tag, customer): (&str, i64) = (text_at(row, 0)?, row.get(1)?);
            match tags.last_mut() {
                // NOCASE folds ASCII letters only, as `eq_ignore_ascii_case` does; within one
                // tag the index gives the customers in order, so a new one is a different one.
                Some(found) if found.tag.eq_ignore_ascii_case(tag) => {
                    if previous_customer != Some(customer) {
                        found.count += 1;
                    }
                    if tag < found.tag.as_str() {
                        found.tag = tag.to_string();
                    }
                }
                _ => tags.push(TagCount { tag: tag.to_string(), count: 1 }),
            }
            previous_customer = Some(customer);
        }
        let folded = |tag: &str| tag.bytes().map(|byte| byte.to_ascii_lowercase()).collect::<Vec<u8>>();
        tags.sort_by_cached_key(|found| (std::cmp::Reverse(found.count), folded(&found.tag)));
        Ok(tags)
    }

    pub(crate) fn rows_by_ids(&self, ids: &[i64]) -> Result<Vec<CustomerRow>> {
        rows_by_ids(&self.conn, ids)
    }
}

/// A list page's query (`Book::page_query`).
struct PageQuery {
    sql: String,
    params: Vec<Value>,
    total: u32,
}

/// The ranks that lead the segment, value class and influence orders, strongest first, of
/// the column or value `of`: with `of` the row's column, the expressions of the orders' indexes
/// (migrations 0015 and 0017) verbatim, so that SQLite reads the orders from them.
pub(crate) fn segment_rank(of: &str) -> String {
    format!(
        "CASE {of} WHEN 'vip' THEN 0 WHEN 'new' THEN 1 WHEN 'regular' THEN 2 WHEN 'at_risk' THEN 3
         WHEN 'lapsed' THEN 4 ELSE 5 END"
    )
}

pub(crate) fn value_class_rank(of: &str) -> String {
    format!("CASE {of} WHEN 'key' THEN 0 WHEN 'main' THEN 1 WHEN 'ordinary' THEN 2 ELSE 3 END")
}

pub(crate) fn influence_rank(of: &str) -> String {
    format!(
        "CASE {of} WHEN 'public_figure' THEN 0 WHEN 'trade_professional' THEN 1 WHEN 'reviewer' THEN 2
         ELSE 3 END"
    )
}

/// The list's `ORDER BY` for this sort: the column, then the name and id that break its ties.
fn order_by(sort: ListSort, descending: bool) -> String {
    match (sort, descending) {
        (ListSort::Name, false) => "c.sort_name, c.id".into(),
        (ListSort::Name, true) => "c.sort_name DESC, c.id DESC".into(),
        (ListSort::Company, false) => "c.company = '', c.company COLLATE NOCASE, c.sort_name, c.id".into(),
        (ListSort::Company, true) => {
            "c.company = '', c.company COLLATE NOCASE DESC, c.sort_name, c.id".into()
        }
        (ListSort::CustomerType, false) => "c.customer_type, c.sort_name, c.id".into(),
        (ListSort::CustomerType, true) => "c.customer_type DESC, c.sort_name, c.id".into(),
        (ListSort::Created, false) => "c.created_at, c.id".into(),
        (ListSort::Created, true) => "c.created_at DESC, c.id DESC".into(),
        (ListSort::Updated, false) => "c.updated_at, c.id".into(),
        (ListSort::Updated, true) => "c.updated_at DESC, c.id DESC".into(),
        // Biggest spenders first walks the customers_spend index: no sort at 100,000 rows.
        (ListSort::Spend, true) => "c.spend_units DESC, c.sort_name, c.id".into(),
        (ListSort::Spend, false) => "c.spend_units, c.sort_name, c.id".into(),
        (ListSort::LastPurchase, true) => "c.last_purchase_on DESC, c.sort_name, c.id".into(),
        (ListSort::LastPurchase, false) => {
            "c.last_purchase_on IS NULL, c.last_purchase_on, c.sort_name, c.id".into()
        }
        // Standing sorts put the strongest first when descending: VIP, key, 555, public figure.
        // The standing and the tier are read from their copies on the customer row (migration
        // 0017), each order from an index of its own.
        (ListSort::Segment, true) => {
            format!("{}, c.spend_units DESC, c.sort_name, c.id", segment_rank("c.segment"))
        }
        (ListSort::Segment, false) => {
            format!("{} DESC, c.spend_units, c.sort_name, c.id", segment_rank("c.segment"))
        }
        (ListSort::ValueClass, true) => {
            format!("{}, c.window_units DESC, c.sort_name, c.id", value_class_rank("c.value_class"))
        }
        (ListSort::ValueClass, false) => {
            format!("{} DESC, c.window_units, c.sort_name, c.id", value_class_rank("c.value_class"))
        }
        (ListSort::Rfm, true) => "c.rfm_score IS NULL, c.rfm_score DESC, c.sort_name, c.id".into(),
        (ListSort::Rfm, false) => "c.rfm_score IS NULL, c.rfm_score, c.sort_name, c.id".into(),
        (ListSort::Influence, true) => format!("{}, c.sort_name, c.id", influence_rank("c.influence")),
        (ListSort::Influence, false) => format!("{} DESC, c.sort_name, c.id", influence_rank("c.influence")),
        // Highest tier first when descending; customers with no tier last either way.
        (ListSort::Tier, true) => {
            "c.tier_rank IS NULL, c.tier_rank DESC, c.spend_units DESC, c.sort_name, c.id".into()
        }
        (ListSort::Tier, false) => {
            "c.tier_rank IS NULL, c.tier_rank, c.spend_units, c.sort_name, c.id".into()
        }
    }
}

/// A part pinning a few segments, classes or tiers is gathered from its own index
/// (`gathered_from`) when it selects at most this many: each is then sorted, about 0.6 µs a
/// customer on 1,000,000 customers, 30 ms in all.
const GATHER_AT_MOST: u32 = 50_000;

/// The index a part pinning `lead` is gathered from when sorted by another order that follows
/// the sales, where a segment's, class's or tier's members sit together at one end: its own
/// order's, which holds every column those orders sort by (migration 0018), so that no
/// customer row is read. Spend too for classes (key or main customers who are at risk); a
/// segment is read in the spend orders from `customers_segment_spend`, a tier from its own.
fn gathered_from(lead: Lead, sort: ListSort) -> Option<&'static str> {
    let follows_sales = match sort {
        ListSort::Segment
        | ListSort::ValueClass
        | ListSort::Rfm
        | ListSort::LastPurchase
        | ListSort::Tier => true,
        ListSort::Spend => lead == Lead::ValueClass,
        _ => false,
    };
    if !follows_sales || pinned_lead(sort) == Some(lead) {
        return None;
    }
    match lead {
        Lead::Segment => Some("customers_segment_order"),
        Lead::ValueClass => Some("customers_value_class_order"),
        Lead::Tier => Some("customers_tier_order"),
        Lead::Influence => None,
    }
}

/// The tier order for customers who all have a tier: `order_by`'s without its leading
/// `tier_rank IS NULL`.
fn order_within_tiers(descending: bool) -> String {
    if descending {
        "c.tier_rank DESC, c.spend_units DESC, c.sort_name, c.id".into()
    } else {
        "c.tier_rank, c.spend_units, c.sort_name, c.id".into()
    }
}

/// The key leading this sort's order that a filter part may pin (`Audience::seeks`). Spend is
/// led by the tier too: within one tier, the tier's orders are the spend orders.
fn pinned_lead(sort: ListSort) -> Option<Lead> {
    match sort {
        ListSort::Segment => Some(Lead::Segment),
        ListSort::ValueClass => Some(Lead::ValueClass),
        ListSort::Influence => Some(Lead::Influence),
        ListSort::Tier | ListSort::Spend => Some(Lead::Tier),
        _ => None,
    }
}

/// The index whose order is the list's `ORDER BY` for this sort: every sort has one.
fn walked_index(sort: ListSort, descending: bool) -> &'static str {
    match (sort, descending) {
        (ListSort::Name, _) => "customers_sort_name",
        (ListSort::Company, false) => "customers_company_order",
        (ListSort::Company, true) => "customers_company_order_descending",
        (ListSort::CustomerType, false) => "customers_type",
        (ListSort::CustomerType, true) => "customers_type_descending",
        (ListSort::Created, _) => "customers_created",
        (ListSort::Updated, _) => "customers_updated",
        (ListSort::Spend, true) => "customers_spend",
        (ListSort::Spend, false) => "customers_spend_ascending",
        (ListSort::LastPurchase, true) => "customers_last_purchase",
        (ListSort::LastPurchase, false) => "customers_last_purchase_ascending",
        (ListSort::Segment, true) => "customers_segment_order",
        (ListSort::Segment, false) => "customers_segment_order_ascending",
        (ListSort::ValueClass, true) => "customers_value_class_order",
        (ListSort::ValueClass, false) => "customers_value_class_order_ascending",
        (ListSort::Rfm, true) => "customers_rfm_order",
        (ListSort::Rfm, false) => "customers_rfm_order_ascending",
        (ListSort::Influence, true) => "customers_influence_order",
        (ListSort::Influence, false) => "customers_influence_order_ascending",
        (ListSort::Tier, true) => "customers_tier_order",
        (ListSort::Tier, false) => "customers_tier_order_ascending",
    }
}

/// The `customers` columns a bulk load's closing passes write for every new customer: spend
/// and purchase dates (`refresh_spend_after`), standing and tier (`evaluation::refresh_book`).
const REFRESHED_COLUMNS: [&str; 7] =
    ["spend_units", "purchase_on", "segment", "value_class", "window_units", "rfm_score", "tier_rank"];

/// Drops the `customers` indexes over `REFRESHED_COLUMNS` (the list orders by spend, standing
/// and tier) and returns their definitions for `create_indexes`. A load that at least doubles
/// the book writes each new row three or four times after inserting it, and each write moved
/// the row in every one of these indexes; built once at the end, each is one sorted pass.
/// Called inside the load's transaction: a load that fails leaves them as they were.
pub(crate) fn drop_refreshed_indexes(tx: &Connection) -> Result<Vec<String>> {
    let indexes: Vec<(String, String)> = tx
        .prepare(
            "SELECT name, sql FROM sqlite_master
             WHERE type = 'index' AND tbl_name = 'customers' AND sql IS NOT NULL",
        )?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut dropped = Vec::new();
    for (name, definition) in indexes {
        if REFRESHED_COLUMNS.iter().any(|column| definition.contains(column)) {
            tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
            dropped.push(definition);
        }
    }
    Ok(dropped)
}

/// Re-creates indexes `drop_refreshed_indexes` dropped.
pub(crate) fn create_indexes(tx: &Connection, definitions: &[String]) -> Result<()> {
    for definition in definitions {
        tx.execute_batch(definition)?;
    }
    Ok(())
}

/// Whether walking the sort's index reads fewer customers than the filter selects: for
/// `total` of the book's customers spread evenly along it, the page's last row comes about
/// `(offset + limit) × book / total` rows in.
fn walk_pays(conn: &Connection, total: u32, query: &ListQuery) -> Result<bool> {
    // The highest id, read from the end of the table: the book's size give or take the deleted.
    let book: i64 =
        conn.prepare_cached("SELECT coalesce(max(id), 0) FROM customers")?.query_row([], |row| row.get(0))?;
    let page = i128::from(query.offset) + i128::from(query.limit.min(1000));
    Ok(page * i128::from(book) < i128::from(total) * i128::from(total))
}

/// The list rows of these customers, in the order given; ids not in the book are skipped.
pub(crate) fn rows_by_ids(conn: &Connection, ids: &[i64]) -> Result<Vec<CustomerRow>> {
    rows_in_region(conn, ids, &crate::settings::read_region(conn)?)
}

/// `rows_by_ids` for a caller that has read the book's region already.
pub(crate) fn rows_in_region(conn: &Connection, ids: &[i64], region: &str) -> Result<Vec<CustomerRow>> {
    let mut statement =
        conn.prepare_cached(&format!("SELECT {ROW_COLUMNS} FROM {ROW_TABLES} WHERE c.id = ?1"))?;
    let mut rows = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(row) = statement.query_row([id], customer_row(region)).optional()? {
            rows.push(row);
        }
    }
    Ok(rows)
}

/// Rewrites customer `id` with a validated draft, children and search document included.
pub(crate) fn replace_customer(
    conn: &Connection,
    id: i64,
    valid: &ValidDraft,
    now: DateTime<Utc>,
) -> Result<()> {
    replace_profile(conn, id, valid, now)?;
    let items = search::items_document(conn, id)?;
    search::reindex_customer(conn, id, valid, &items)
}

/// Rewrites customer `id` with a validated draft and its children, leaving the search
/// document to the caller (bulk loaders batch them).
pub(crate) fn replace_profile(
    conn: &Connection,
    id: i64,
    valid: &ValidDraft,
    now: DateTime<Utc>,
) -> Result<()> {
    update_own_fields(conn, id, &valid.profile, now)?;
    delete_children(conn, id)?;
    insert_children(conn, id, &valid.profile)
}

/// Writes only what differs between `before` (the profile as the book holds it) and `after`,
/// nothing when they are the same: the `customers` columns that changed (and `updated_at`),
/// and the child tables whose lists changed. A merge of an import usually adds one phone or tag;
/// rewriting every table of the customer, with their indexes, cost ten times as much.
pub(crate) fn update_profile(
    conn: &Connection,
    id: i64,
    before: &CustomerDraft,
    after: &ValidDraft,
    now: DateTime<Utc>,
) -> Result<()> {
    let after = &after.profile;
    if before == after {
        return Ok(());
    }
    update_changed_fields(conn, id, before, after, now)?;
    for part in ProfilePart::ALL {
        if !part.same(before, after) {
            delete_part(conn, id, part)?;
            insert_part(conn, id, after, part)?;
        }
    }
    Ok(())
}

/// Sets only the `customers` columns whose values differ, and `updated_at`: SQLite then
/// leaves alone every index on columns that did not change.
fn update_changed_fields(
    conn: &Connection,
    id: i64,
    before: &CustomerDraft,
    after: &CustomerDraft,
    now: DateTime<Utc>,
) -> Result<()> {
    let (old, new) = (profile_columns(before, now), profile_columns(after, now));
    let updated_at = now.to_rfc3339();
    let mut values: Vec<&dyn ToSql> = vec![&id, &updated_at];
    let mut assignments = vec!["updated_at = ?2".to_string()];
    for ((column, old), new) in PROFILE_COLUMNS.iter().zip(&old).zip(&new) {
        if *column != "updated_at" && old.to_sql()? != new.to_sql()? {
            values.push(new.as_ref());
            assignments.push(format!("{column} = ?{}", values.len()));
        }
    }
    conn.prepare_cached(&format!("UPDATE customers SET {} WHERE id = ?1", assignments.join(", ")))?
        .execute(values.as_slice())?;
    retype(conn, before.customer_type.as_str(), after.customer_type.as_str())
}

fn update_own_fields(conn: &Connection, id: i64, draft: &CustomerDraft, now: DateTime<Utc>) -> Result<()> {
    let was: String = conn
        .prepare_cached("SELECT customer_type FROM customers WHERE id = ?1")?
        .query_row([id], |row| row.get(0))
        .optional()?
        .ok_or(Error::NotFound { what: "customer", id })?;
    conn.prepare_cached(
        "UPDATE customers SET full_name = ?1, given_name = ?2, family_name = ?3, title = ?4,
            sort_name = ?5, customer_type = ?6, company = ?7, job_title = ?8,
            preferred_contact = ?9, language = ?10, birthday = ?11, source = ?12,
            source_detail = ?13, referred_by = ?14, ring_size_system = ?15,
            ring_size_value = ?16, wrist_cm = ?17, price_min = ?18, price_max = ?19,
            price_currency = ?20, influence = ?21, updated_at = ?22
         WHERE id = ?23",
    )?
    .execute(params_from_iter(
        profile_columns(draft, now).into_iter().chain([Box::new(id) as Box<dyn ToSql>]),
    ))?;
    retype(conn, &was, draft.customer_type.as_str())
}

/// Inserts a validated draft with its children and search document; used by create and by
/// bulk loaders (demo, import) inside their own transaction.
pub(crate) fn insert_customer(conn: &Connection, valid: &ValidDraft, now: DateTime<Utc>) -> Result<i64> {
    let id = insert_profile(conn, valid, now, None)?;
    search::index_customer(conn, id, valid, "")?;
    Ok(id)
}

/// Inserts a validated draft with its children but no search document: for bulk loaders that
/// index the customer once its purchases are in. `import_batch` is the import that creates it.
pub(crate) fn insert_profile(
    conn: &Connection,
    valid: &ValidDraft,
    now: DateTime<Utc>,
    import_batch: Option<i64>,
) -> Result<i64> {
    insert_profile_as(conn, None, valid, now, import_batch)
}

/// Who a re-inserted customer was: their id and `created_at` (RFC 3339), the erasure identity.
pub(crate) struct Identity<'a> {
    pub id: i64,
    pub created_at: &'a str,
}

/// Inserts a profile under a new id or, when undoing a merge, under the `identity` it had.
/// A new id is never one a merged-away record had (see migration 0005).
pub(crate) fn insert_profile_as(
    conn: &Connection,
    identity: Option<Identity<'_>>,
    valid: &ValidDraft,
    now: DateTime<Utc>,
    import_batch: Option<i64>,
) -> Result<i64> {
    let id = insert_own_row(conn, identity, valid, now, import_batch, None)?;
    insert_children(conn, id, &valid.profile)?;
    Ok(id)
}

/// The id the next new customer gets: one above every id the book has given, a merged-away
/// record's too (see migration 0005). A macro, to be part of the insert's text.
macro_rules! next_customer_id {
    () => {
        "max(coalesce((SELECT max(id) FROM customers), 0), coalesce((SELECT max(other_id) FROM customer_merges), 0)) + 1"
    };
}

/// Writes people an import creates (their profiles, with ids from `first_id` on) with their
/// first standing and membership (`evaluation::FirstEvaluation`), table by table. The customer
/// rows go in name order: most of their 24 indexes order a prospect by its name after keys every
/// prospect shares, so each index is walked once from end to end instead of landing every row on
/// a page of its own (the rows of an import of 93,000 people into a book of 100,000: 5.6 → 2.4
/// s). Each row is born with the standing's copies (migration 0017), so the standing's trigger
/// finds nothing to rewrite, where it would move the new row's entries in 11 customer indexes.
pub(crate) fn insert_prospects(
    conn: &Connection,
    first_id: i64,
    people: &[&ValidDraft],
    now: DateTime<Utc>,
    import_batch: i64,
    first: &FirstEvaluation,
) -> Result<()> {
    if people.is_empty() {
        return Ok(());
    }
    let last_id = first_id + people.len() as i64 - 1;
    let created_at = now.to_rfc3339();
    let mut by_name: Vec<(String, i64, &ValidDraft)> = (first_id..)
        .zip(people)
        .map(|(id, &valid)| (fold::sort_key(&valid.profile.full_name), id, valid))
        .collect();
    by_name.sort_unstable_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    for (_, id, valid) in by_name {
        let identity = Identity { id, created_at: &created_at };
        insert_own_row(
            conn,
            Some(identity),
            valid,
            now,
            Some(import_batch),
            Some(first.standing.row_copies()),
        )?;
    }
    for part in ProfilePart::ALL {
        for (id, valid) in (first_id..).zip(people) {
            insert_part(conn, id, &valid.profile, part)?;
        }
    }
    first.give_all(conn, first_id..=last_id)
}

/// The `customers` row alone; `copies` are the standing's, when it is written with them.
fn insert_own_row(
    conn: &Connection,
    identity: Option<Identity<'_>>,
    valid: &ValidDraft,
    now: DateTime<Utc>,
    import_batch: Option<i64>,
    copies: Option<RowCopies>,
) -> Result<i64> {
    let draft = &valid.profile;
    let (id, created_at) = identity.map(|identity| (identity.id, identity.created_at)).unzip();
    let mut statement = conn.prepare_cached(concat!(
        "INSERT INTO customers (id, full_name, given_name, family_name, title, sort_name, customer_type,
            company, job_title, preferred_contact, language, birthday, source, source_detail,
            referred_by, ring_size_system, ring_size_value, wrist_cm, price_min, price_max,
            price_currency, influence, created_at, updated_at, import_batch_id,
            segment, value_class, window_units, rfm_score)
         VALUES (coalesce(?24, ",
        next_customer_id!(),
        "), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
            ?19, ?20, ?21, coalesce(?25, ?22), ?22, ?23, ?26, ?27, ?28, ?29)"
    ))?;
    let copies = copies.as_ref();
    statement.execute(params_from_iter(profile_columns(draft, now).into_iter().chain([
        Box::new(import_batch) as Box<dyn ToSql>,
        Box::new(id),
        Box::new(created_at),
        Box::new(copies.map(|copies| copies.segment)),
        Box::new(copies.and_then(|copies| copies.value_class)),
        Box::new(copies.map(|copies| copies.window_units)),
        Box::new(copies.and_then(|copies| copies.rfm_score)),
    ])))?;
    let id = conn.last_insert_rowid();
    count_type(conn, draft.customer_type.as_str(), 1)?;
    Ok(id)
}

/// Deletes customer `id`'s row, its children cascading, and uncounts it: every delete of a
/// customer goes through here. False when the book has no such customer.
pub(crate) fn delete_customer_row(conn: &Connection, id: i64) -> Result<bool> {
    let deleted: Option<String> = conn
        .prepare_cached("DELETE FROM customers WHERE id = ?1 RETURNING customer_type")?
        .query_row([id], |row| row.get(0))
        .optional()?;
    match deleted {
        Some(customer_type) => count_type(conn, &customer_type, -1).map(|()| true),
        None => Ok(false),
    }
}

/// Moves a customer whose type changed from `was` to `is` between the kept counts.
fn retype(conn: &Connection, was: &str, is: &str) -> Result<()> {
    if was != is {
        count_type(conn, was, -1)?;
        count_type(conn, is, 1)?;
    }
    Ok(())
}

/// Adds `by` to the kept count of customers of `customer_type` (migration 0019), which the list
/// reads for everyone or one type instead of counting a whole index. The one insert, the one
/// delete and the two updates of a customer row call it in their transaction, so the counts
/// change with the rows.
fn count_type(conn: &Connection, customer_type: &str, by: i64) -> Result<()> {
    conn.prepare_cached(
        "UPDATE customer_type_counts SET customers = customers + ?2 WHERE customer_type = ?1",
    )?
    .execute(params![customer_type, by])?;
    Ok(())
}

/// Counts every customer again by type: for a book loaded table by table (a move of the book),
/// whose rows come in without this module.
pub(crate) fn recount_types(conn: &Connection) -> Result<()> {
    conn.execute(
        "UPDATE customer_type_counts SET customers =
            (SELECT count(*) FROM customers c WHERE c.customer_type = customer_type_counts.customer_type)",
        [],
    )?;
    Ok(())
}

/// `next_customer_id!`, read: an import gives its newcomers their ids before writing them.
pub(crate) fn next_customer_id(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(concat!("SELECT ", next_customer_id!()), [], |row| row.get(0))?)
}

/// The names of `profile_columns`, in order.
const PROFILE_COLUMNS: [&str; 22] = [
    "full_name",
    "given_name",
    "family_name",
    "title",
    "sort_name",
    "customer_type",
    "company",
    "job_title",
    "preferred_contact",
    "language",
    "birthday",
    "source",
    "source_detail",
    "referred_by",
    "ring_size_system",
    "ring_size_value",
    "wrist_cm",
    "price_min",
    "price_max",
    "price_currency",
    "influence",
    "updated_at",
];

/// The `customers` columns of a profile and the write time (`PROFILE_COLUMNS`), as ?1 to ?22
/// of both the INSERT and the UPDATE.
fn profile_columns(draft: &CustomerDraft, now: DateTime<Utc>) -> Vec<Box<dyn ToSql + '_>> {
    vec![
        Box::new(&draft.full_name),
        Box::new(&draft.given_name),
        Box::new(&draft.family_name),
        Box::new(&draft.title),
        Box::new(fold::sort_key(&draft.full_name)),
        Box::new(draft.customer_type.as_str()),
        Box::new(&draft.company),
        Box::new(&draft.job_title),
        Box::new(draft.preferred_contact.map(ContactMethod::as_str)),
        Box::new(&draft.language),
        Box::new(draft.birthday.map(|date| date.to_string())),
        Box::new(draft.source.map(Source::as_str)),
        Box::new(&draft.source_detail),
        Box::new(draft.referred_by),
        Box::new(draft.ring_size.as_ref().map(|ring| ring.system.as_str())),
        Box::new(draft.ring_size.as_ref().map(|ring| ring.value.as_str())),
        Box::new(draft.wrist_cm.map(|wrist| wrist.to_string())),
        Box::new(draft.preferences.price_min.map(|amount| amount.to_string())),
        Box::new(draft.preferences.price_max.map(|amount| amount.to_string())),
        Box::new(&draft.preferences.currency),
        Box::new(draft.influence.as_str()),
        Box::new(now.to_rfc3339()),
    ]
}

fn check_referrer(conn: &Connection, own_id: Option<i64>, referred_by: Option<i64>) -> Result<()> {
    let Some(referrer) = referred_by else { return Ok(()) };
    if Some(referrer) == own_id {
        return Err(Error::invalid("referred_by", Problem::SelfReferral));
    }
    let exists: bool =
        conn.query_row("SELECT EXISTS (SELECT 1 FROM customers WHERE id = ?1)", [referrer], |row| {
            row.get(0)
        })?;
    if !exists {
        return Err(Error::invalid("referred_by", Problem::NoSuchCustomer { id: referrer }));
    }
    Ok(())
}

/// The lists of a profile, each in a table of its own keyed by `customer_id`.
#[derive(Debug, Clone, Copy)]
enum ProfilePart {
    Emails,
    Phones,
    Addresses,
    Occasions,
    Preferences,
    Tags,
    Consents,
}

impl ProfilePart {
    const ALL: [ProfilePart; 7] = [
        ProfilePart::Emails,
        ProfilePart::Phones,
        ProfilePart::Addresses,
        ProfilePart::Occasions,
        ProfilePart::Preferences,
        ProfilePart::Tags,
        ProfilePart::Consents,
    ];

    fn table(self) -> &'static str {
        match self {
            ProfilePart::Emails => "customer_emails",
            ProfilePart::Phones => "customer_phones",
            ProfilePart::Addresses => "customer_addresses",
            ProfilePart::Occasions => "customer_occasions",
            ProfilePart::Preferences => "customer_preferences",
            ProfilePart::Tags => "customer_tags",
            ProfilePart::Consents => "consents",
        }
    }

    /// Whether both profiles store the same rows in this part's table.
    fn same(self, a: &CustomerDraft, b: &CustomerDraft) -> bool {
        match self {
            ProfilePart::Emails => a.emails == b.emails,
            ProfilePart::Phones => a.phones == b.phones,
            ProfilePart::Addresses => a.addresses == b.addresses,
            ProfilePart::Occasions => a.occasions == b.occasions,
            ProfilePart::Preferences => {
                let (a, b) = (&a.preferences, &b.preferences);
                a.brands == b.brands && a.styles == b.styles && a.materials == b.materials
            }
            ProfilePart::Tags => a.tags == b.tags,
            ProfilePart::Consents => a.consents == b.consents,
        }
    }
}

fn delete_children(conn: &Connection, id: i64) -> Result<()> {
    for part in ProfilePart::ALL {
        delete_part(conn, id, part)?;
    }
    Ok(())
}

fn delete_part(conn: &Connection, id: i64, part: ProfilePart) -> Result<()> {
    conn.prepare_cached(&format!("DELETE FROM {} WHERE customer_id = ?1", part.table()))?.execute([id])?;
    Ok(())
}

fn insert_children(conn: &Connection, id: i64, draft: &CustomerDraft) -> Result<()> {
    for part in ProfilePart::ALL {
        insert_part(conn, id, draft, part)?;
    }
    Ok(())
}

fn insert_part(conn: &Connection, id: i64, draft: &CustomerDraft, part: ProfilePart) -> Result<()> {
    match part {
        ProfilePart::Emails => {
            let mut emails = conn.prepare_cached(
                "INSERT INTO customer_emails (customer_id, position, label, address, address_key, is_primary)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for (position, email) in (0_i64..).zip(draft.emails.iter()) {
                emails.execute(params![
                    id,
                    position,
                    email.label,
                    email.address,
                    email.address.trim().to_lowercase(),
                    email.primary
                ])?;
            }
        }
        ProfilePart::Phones => {
            let mut phones = conn.prepare_cached(
                "INSERT INTO customer_phones (customer_id, position, label, number, e164, is_primary)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for (position, phone) in (0_i64..).zip(draft.phones.iter()) {
                phones.execute(params![
                    id,
                    position,
                    phone.label,
                    phone.number,
                    phone.e164,
                    phone.primary
                ])?;
            }
        }
        ProfilePart::Addresses => {
            let mut addresses = conn.prepare_cached(
                "INSERT INTO customer_addresses (customer_id, position, label, street, city, region,
                postal_code, country, is_primary) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            for (position, address) in (0_i64..).zip(draft.addresses.iter()) {
                addresses.execute(params![
                    id,
                    position,
                    address.label,
                    address.street,
                    address.city,
                    address.region,
                    address.postal_code,
                    address.country,
                    address.primary
                ])?;
            }
        }
        ProfilePart::Occasions => {
            let mut occasions = conn.prepare_cached(
            "INSERT INTO customer_occasions (customer_id, position, kind, label, date) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
            for (position, occasion) in (0_i64..).zip(draft.occasions.iter()) {
                occasions.execute(params![
                    id,
                    position,
                    occasion.kind.as_str(),
                    occasion.label,
                    occasion.date.to_string()
                ])?;
            }
        }
        ProfilePart::Preferences => {
            let mut preferences = conn.prepare_cached(
            "INSERT INTO customer_preferences (customer_id, kind, position, value) VALUES (?1, ?2, ?3, ?4)",
        )?;
            let prefs = &draft.preferences;
            for (kind, values) in
                [("brand", &prefs.brands), ("style", &prefs.styles), ("material", &prefs.materials)]
            {
                for (position, value) in (0_i64..).zip(values.iter()) {
                    preferences.execute(params![id, kind, position, value])?;
                }
            }
        }
        ProfilePart::Tags => {
            let mut tags = conn.prepare_cached(
                "INSERT INTO customer_tags (customer_id, position, tag) VALUES (?1, ?2, ?3)",
            )?;
            for (position, tag) in (0_i64..).zip(draft.tags.iter()) {
                tags.execute(params![id, position, tag])?;
            }
        }
        ProfilePart::Consents => {
            let mut consents = conn.prepare_cached(
            "INSERT INTO consents (customer_id, channel, status, date, source) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
            // Absence means unknown: only answers the customer actually gave are stored.
            for consent in draft.consents.iter().filter(|consent| consent.status != ConsentStatus::Unknown) {
                consents.execute(params![
                    id,
                    consent.channel.as_str(),
                    consent.status.as_str(),
                    consent.date.map(|date| date.to_string()),
                    consent.source
                ])?;
            }
        }
    }
    Ok(())
}

/// The tables a `CustomerRow` is read from: `customers c` with its standing `s` and tier `m`.
pub(crate) const ROW_TABLES: &str = "customers c LEFT JOIN customer_standing s ON s.customer_id = c.id
    LEFT JOIN customer_membership m ON m.customer_id = c.id";

/// Columns of a `CustomerRow`, over `ROW_TABLES`. The primary email and phone, else the first,
/// are two reads of the (customer, position) index each: `ORDER BY is_primary DESC, position`
/// sorted each row's numbers in a temporary table, a tenth of a search's time.
pub(crate) const ROW_COLUMNS: &str = "c.id, c.full_name, c.customer_type, c.company,
    coalesce((SELECT address FROM customer_emails WHERE customer_id = c.id AND is_primary ORDER BY position LIMIT 1),
             (SELECT address FROM customer_emails WHERE customer_id = c.id ORDER BY position LIMIT 1)),
    coalesce((SELECT coalesce(e164, number) FROM customer_phones WHERE customer_id = c.id AND is_primary ORDER BY position LIMIT 1),
             (SELECT coalesce(e164, number) FROM customer_phones WHERE customer_id = c.id ORDER BY position LIMIT 1)),
    (SELECT group_concat(tag, char(31) ORDER BY position) FROM customer_tags WHERE customer_id = c.id),
    c.updated_at, c.spend_units, c.purchase_count, c.last_purchase_on, c.influence,
    s.segment, s.value_class, s.recency, s.frequency, s.monetary, m.tier_json";

/// Reads a `CustomerRow`; its phone is shown one way for the book's `region` (`phone::for_display`).
fn customer_row(region: &str) -> impl Fn(&Row<'_>) -> rusqlite::Result<CustomerRow> + '_ {
    move |row| {
        let tags: Option<String> = row.get(6)?;
        let phone: Option<String> = row.get(5)?;
        Ok(CustomerRow {
            id: row.get(0)?,
            full_name: row.get(1)?,
            customer_type: parse_column(row, 2)?,
            company: row.get(3)?,
            primary_email: row.get(4)?,
            primary_phone: phone.map(|stored| crate::phone::for_display(&stored, region)),
            tags: tags.map(|tags| tags.split('\u{1f}').map(str::to_string).collect()).unwrap_or_default(),
            updated_at: parse_column(row, 7)?,
            lifetime_spend: crate::purchases::from_units(row.get(8)?),
            purchase_count: row.get(9)?,
            last_purchase: parse_optional(row, 10)?,
            influence: parse_column(row, 11)?,
            segment: parse_optional(row, 12)?.unwrap_or(Segment::Prospect),
            value_class: parse_optional(row, 13)?,
            rfm: crate::standing::rfm_columns(row, 14)?,
            tier: row.get::<_, Option<String>>(17)?.and_then(|json| serde_json::from_str(&json).ok()),
        })
    }
}

/// A TEXT column read in place, without copying it.
pub(crate) fn text_at<'row>(row: &'row Row<'_>, index: usize) -> rusqlite::Result<&'row str> {
    row.get_ref(index)?.as_str().map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, error.into())
    })
}

/// Reads a TEXT column through `FromStr`, reporting bad stored text as a conversion error.
pub(crate) fn parse_column<T>(row: &Row<'_>, index: usize) -> rusqlite::Result<T>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let text: String = row.get(index)?;
    text.parse().map_err(|error: T::Err| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            format!("'{text}': {error}").into(),
        )
    })
}

pub(crate) fn parse_optional<T>(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<T>>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let text: Option<String> = row.get(index)?;
    match text {
        None => Ok(None),
        Some(_) => parse_column(row, index).map(Some),
    }
}

pub(crate) fn load_customer(conn: &Connection, id: i64) -> Result<Customer> {
    let mut statement = conn.prepare_cached(
        "SELECT c.full_name, c.given_name, c.family_name, c.title, c.customer_type, c.company,
            c.job_title, c.preferred_contact, c.language, c.birthday, c.source, c.source_detail,
            c.referred_by, c.ring_size_system, c.ring_size_value, c.wrist_cm, c.price_min,
            c.price_max, c.price_currency, c.influence, c.created_at, c.updated_at, r.full_name
         FROM customers c LEFT JOIN customers r ON r.id = c.referred_by WHERE c.id = ?1",
    )?;
    let customer = statement
        .query_row([id], |row| {
            let ring_system: Option<RingSizeSystem> = parse_optional(row, 13)?;
            let ring_value: Option<String> = row.get(14)?;
            Ok(Customer {
                id,
                profile: CustomerDraft {
                    full_name: row.get(0)?,
                    given_name: row.get(1)?,
                    family_name: row.get(2)?,
                    title: row.get(3)?,
                    customer_type: parse_column(row, 4)?,
                    company: row.get(5)?,
                    job_title: row.get(6)?,
                    emails: Vec::new(),
                    phones: Vec::new(),
                    addresses: Vec::new(),
                    preferred_contact: parse_optional(row, 7)?,
                    language: row.get(8)?,
                    birthday: parse_optional(row, 9)?,
                    occasions: Vec::new(),
                    source: parse_optional(row, 10)?,
                    source_detail: row.get(11)?,
                    referred_by: row.get(12)?,
                    ring_size: ring_system.zip(ring_value).map(|(system, value)| RingSize { system, value }),
                    wrist_cm: parse_optional::<Decimal>(row, 15)?,
                    preferences: Preferences {
                        brands: Vec::new(),
                        styles: Vec::new(),
                        materials: Vec::new(),
                        price_min: parse_optional(row, 16)?,
                        price_max: parse_optional(row, 17)?,
                        currency: row.get(18)?,
                    },
                    influence: parse_column(row, 19)?,
                    tags: Vec::new(),
                    consents: Vec::new(),
                },
                created_at: parse_column(row, 20)?,
                updated_at: parse_column(row, 21)?,
                referred_by_name: row.get(22)?,
            })
        })
        .optional()?
        .ok_or(Error::NotFound { what: "customer", id })?;
    let mut customer = customer;
    load_children(conn, &mut customer)?;
    Ok(customer)
}

fn load_children(conn: &Connection, customer: &mut Customer) -> Result<()> {
    let id = customer.id;
    let profile = &mut customer.profile;
    profile.emails = conn
        .prepare_cached(
            "SELECT label, address, is_primary FROM customer_emails WHERE customer_id = ?1 ORDER BY position",
        )?
        .query_map([id], |row| {
            Ok(EmailEntry { label: row.get(0)?, address: row.get(1)?, primary: row.get(2)? })
        })?
        .collect::<rusqlite::Result<_>>()?;
    profile.phones = conn
        .prepare_cached(
            "SELECT label, number, e164, is_primary FROM customer_phones WHERE customer_id = ?1 ORDER BY position",
        )?
        .query_map([id], |row| {
            Ok(PhoneEntry { label: row.get(0)?, number: row.get(1)?, e164: row.get(2)?, primary: row.get(3)? })
        })?
        .collect::<rusqlite::Result<_>>()?;
    profile.addresses = conn
        .prepare_cached(
            "SELECT label, street, city, region, postal_code, country, is_primary
             FROM customer_addresses WHERE customer_id = ?1 ORDER BY position",
        )?
        .query_map([id], |row| {
            Ok(AddressEntry {
                label: row.get(0)?,
                street: row.get(1)?,
                city: row.get(2)?,
                region: row.get(3)?,
                postal_code: row.get(4)?,
                country: row.get(5)?,
                primary: row.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    profile.occasions = conn
        .prepare_cached(
            "SELECT kind, label, date FROM customer_occasions WHERE customer_id = ?1 ORDER BY position",
        )?
        .query_map([id], |row| {
            Ok(Occasion { kind: parse_column(row, 0)?, label: row.get(1)?, date: parse_column(row, 2)? })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut preferences = conn.prepare_cached(
        "SELECT kind, value FROM customer_preferences WHERE customer_id = ?1 ORDER BY kind, position",
    )?;
    let mut rows = preferences.query([id])?;
    while let Some(row) = rows.next()? {
        let kind: String = row.get(0)?;
        let value: String = row.get(1)?;
        match kind.as_str() {
            "brand" => profile.preferences.brands.push(value),
            "style" => profile.preferences.styles.push(value),
            _ => profile.preferences.materials.push(value),
        }
    }
    profile.tags = conn
        .prepare_cached("SELECT tag FROM customer_tags WHERE customer_id = ?1 ORDER BY position")?
        .query_map([id], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut consents: Vec<Consent> = conn
        .prepare_cached("SELECT channel, status, date, source FROM consents WHERE customer_id = ?1")?
        .query_map([id], |row| {
            Ok(Consent {
                channel: parse_column(row, 0)?,
                status: parse_column(row, 1)?,
                date: parse_optional(row, 2)?,
                source: row.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    profile.consents = Channel::ALL
        .iter()
        .map(|&channel| {
            let given = consents.iter().position(|consent| consent.channel == channel);
            given.map(|index| consents.swap_remove(index)).unwrap_or(Consent {
                channel,
                status: ConsentStatus::Unknown,
                date: None,
                source: String::new(),
            })
        })
        .collect();
    Ok(())
}

/// Edits by value, for the `loupe customers edit` command: the dealer names what to remove
/// as they would type it. Each returns whether the profile had it.
impl CustomerDraft {
    /// Removes the email `address`, compared without regard to case.
    pub fn remove_email(&mut self, address: &str) -> bool {
        let key = address.trim().to_lowercase();
        let before = self.emails.len();
        self.emails.retain(|email| email.address.trim().to_lowercase() != key);
        self.emails.len() < before
    }

    /// Removes the phone `typed`: the same number once in E.164 (a national number read in
    /// `region`, so "07911 123456" is "+44 7911 123456"), or the same digits.
    pub fn remove_phone(&mut self, typed: &str, region: &str) -> bool {
        let e164 = crate::phone::parse(typed, region).ok().map(|parsed| parsed.e164);
        let digits = crate::phone::digits(typed);
        let before = self.phones.len();
        self.phones.retain(|entry| {
            let same_number = e164.is_some() && entry.e164 == e164;
            let same_digits = !digits.is_empty()
                && (crate::phone::digits(&entry.number) == digits
                    || entry.e164.as_deref().is_some_and(|stored| crate::phone::digits(stored) == digits));
            !(same_number || same_digits)
        });
        self.phones.len() < before
    }

    /// Removes the tag, compared without regard to case.
    pub fn remove_tag(&mut self, tag: &str) -> bool {
        let key = tag.trim().to_lowercase();
        let before = self.tags.len();
        self.tags.retain(|kept| kept.to_lowercase() != key);
        self.tags.len() < before
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::standing::Prospect;

    /// The plan of the list's first screen for everyone, and along the walked index for a filter.
    fn plans(conn: &Connection, sort: ListSort, descending: bool) -> [String; 2] {
        let order = order_by(sort, descending);
        let index = walked_index(sort, descending);
        [
            format!("SELECT c.id FROM customers c WHERE 1 ORDER BY {order} LIMIT 100"),
            format!(
                "SELECT c.id FROM customers c INDEXED BY {index} WHERE c.customer_type = 'retail'
                 ORDER BY {order} LIMIT 100"
            ),
        ]
        .map(|sql| {
            let mut statement = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).expect("explain");
            let steps = statement
                .query_map([], |row| row.get::<_, String>(3))
                .expect("plan")
                .collect::<rusqlite::Result<Vec<_>>>()
                .expect("steps");
            steps.join("; ")
        })
    }

    #[test]
    fn every_order_is_read_from_its_index_without_a_sort() {
        let book = Book::open_in_memory().expect("book");
        for &sort in ListSort::ALL {
            for descending in [false, true] {
                let index = walked_index(sort, descending);
                for plan in plans(&book.conn, sort, descending) {
                    // One step, no sort after it: the index read whole, or from the filter's type.
                    let step = plan.replace("COVERING ", "");
                    assert!(
                        step == format!("SCAN c USING INDEX {index}")
                            || step.starts_with(&format!("SEARCH c USING INDEX {index} (")),
                        "{sort} descending={descending}: {plan}"
                    );
                }
            }
        }
    }

    /// The plan of a list page's ids, its steps joined by "; ".
    fn page_plan(book: &Book, query: ListQuery) -> String {
        let page = book.page_query(&query, "GB").expect("page query");
        let mut explain = book.conn.prepare(&format!("EXPLAIN QUERY PLAN {}", page.sql)).expect("explain");
        let steps = explain
            .query_map(params_from_iter(&page.params), |row| row.get::<_, String>(3))
            .expect("plan")
            .collect::<rusqlite::Result<Vec<_>>>()
            .expect("steps");
        steps.join("; ")
    }

    /// A part that selects buyers alone (segments without prospects, a value class, a tier)
    /// bounds the segment and value class orders, as everyone who bought has a segment other
    /// than prospect and a class: walked smallest first, they start at the buyers, not at the
    /// prospects (half of a demo book of 1,000,000). The pages are those of the part gathered
    /// from its own index and sorted.
    #[test]
    fn buyers_alone_walk_the_standing_orders_from_the_first_buyer() {
        let mut book = Book::open_in_memory().expect("book");
        book.generate_demo(300, 3_000, 5, |_| {}).expect("demo");
        let ids = |page: &PageQuery| -> Vec<i64> {
            let mut statement = book.conn.prepare(&page.sql).expect("page");
            statement
                .query_map(params_from_iter(&page.params), |row| row.get(0))
                .expect("ids")
                .collect::<rusqlite::Result<_>>()
                .expect("ids")
        };
        let parts = [
            CustomerFilter { segments: vec![Segment::Lapsed], ..CustomerFilter::default() },
            CustomerFilter {
                segments: vec![Segment::Vip, Segment::Regular, Segment::AtRisk, Segment::Lapsed],
                ..CustomerFilter::default()
            },
            CustomerFilter { value_classes: vec![ValueClass::Ordinary], ..CustomerFilter::default() },
            CustomerFilter { tiers: vec!["member".into()], ..CustomerFilter::default() },
        ];
        let mut walks = 0;
        for filter in parts {
            for sort in [ListSort::Segment, ListSort::ValueClass] {
                for descending in [false, true] {
                    for offset in [0, 10] {
                        let query = ListQuery { sort, descending, filter: filter.clone(), limit: 10, offset };
                        let walked = book.page_query_gathering(&query, "GB", 0).expect("walked");
                        let index = walked_index(sort, descending);
                        // A part pinning the order's own key seeks its range instead.
                        if !walked.sql.contains(&format!("INDEXED BY {index}"))
                            || walked.sql.contains("BETWEEN")
                        {
                            continue;
                        }
                        let gathered = book.page_query(&query, "GB").expect("gathered");
                        let case = format!("{filter:?} by {sort} descending={descending} from {offset}");
                        assert_eq!(ids(&walked), ids(&gathered), "{case}");
                        assert_eq!(ids(&walked).len(), 10, "{case}");
                        let mut explain = book
                            .conn
                            .prepare(&format!("EXPLAIN QUERY PLAN {}", walked.sql))
                            .expect("explain");
                        let plan: String = explain
                            .query_row(params_from_iter(&walked.params), |row| row.get(3))
                            .expect("plan");
                        assert!(
                            plan.replace("COVERING ", "")
                                .starts_with(&format!("SEARCH c USING INDEX {index} (<expr><?)")),
                            "{case}: {plan}"
                        );
                        walks += 1;
                    }
                }
            }
        }
        assert_eq!(walks, 20, "every part walked along both orders but its own");
    }

    /// A filter that pins the key leading the order is read from its range of the order's index,
    /// in order (`Audience::seeks`), not walked from the index's start nor gathered through its
    /// own and sorted. Gold members by spend are read from a tier order's: within one tier, it is
    /// the spend order.
    #[test]
    fn a_filter_pinning_the_orders_lead_seeks_its_range_of_the_orders_index() {
        let mut book = Book::open_in_memory().expect("book");
        book.generate_demo(300, 600, 3, |_| {}).expect("demo");
        let gold = || CustomerFilter { tiers: vec!["gold".into()], ..CustomerFilter::default() };
        let cases = [
            (
                CustomerFilter { segments: vec![Segment::Regular], ..CustomerFilter::default() },
                ListSort::Segment,
                false,
                "customers_segment_order_ascending",
            ),
            (
                CustomerFilter { segments: vec![Segment::Lapsed, Segment::Vip], ..CustomerFilter::default() },
                ListSort::Segment,
                true,
                "customers_segment_order",
            ),
            (
                CustomerFilter { value_classes: vec![ValueClass::Key], ..CustomerFilter::default() },
                ListSort::ValueClass,
                false,
                "customers_value_class_order_ascending",
            ),
            (
                CustomerFilter { influence: vec![Influence::Reviewer], ..CustomerFilter::default() },
                ListSort::Influence,
                true,
                "customers_influence_order",
            ),
            (gold(), ListSort::Tier, false, "customers_tier_order_ascending"),
            (gold(), ListSort::Spend, true, "customers_tier_order"),
        ];
        for (filter, sort, descending, index) in cases {
            let plan = page_plan(&book, ListQuery { sort, descending, filter, limit: 100, offset: 0 });
            let plan = plan.replace("COVERING ", "");
            assert!(
                plan.starts_with(&format!("SEARCH c USING INDEX {index}"))
                    && plan.contains(" (<expr>")
                    && !plan.contains("TEMP B-TREE"),
                "{sort} descending={descending}: {plan}"
            );
        }
    }

    /// A few tiers, classes or segments sorted by another order that follows the sales are read
    /// from their range of their own order's index, which holds every column the order sorts
    /// by: no customer row is read.
    #[test]
    fn a_few_tiers_classes_or_segments_are_gathered_from_their_own_index_without_reading_a_row() {
        let mut book = Book::open_in_memory().expect("book");
        book.generate_demo(300, 600, 3, |_| {}).expect("demo");
        let pins = [
            (Lead::Tier, CustomerFilter { tiers: vec!["gold".into()], ..CustomerFilter::default() }),
            (
                Lead::ValueClass,
                CustomerFilter { value_classes: vec![ValueClass::Key], ..CustomerFilter::default() },
            ),
            (Lead::Segment, CustomerFilter { segments: vec![Segment::Regular], ..CustomerFilter::default() }),
        ];
        let mut gathered = 0;
        for (lead, filter) in pins {
            for &sort in ListSort::ALL {
                let Some(index) = gathered_from(lead, sort) else { continue };
                for descending in [false, true] {
                    let query = ListQuery { sort, descending, filter: filter.clone(), limit: 100, offset: 0 };
                    let plan = page_plan(&book, query);
                    assert!(
                        plan.starts_with(&format!("SEARCH c USING COVERING INDEX {index} (<expr>")),
                        "{lead:?} by {sort} descending={descending}: {plan}"
                    );
                    gathered += 1;
                }
            }
        }
        assert_eq!(gathered, 26);
    }

    /// A tier too big to gather is walked along the segment and value class orders, past every
    /// prospect at the start of their ascending indexes, without reading a customer row: the
    /// indexes hold the rank (migration 0018).
    #[test]
    fn a_tier_is_checked_in_the_index_along_the_standing_orders() {
        let book = Book::open_in_memory().expect("book");
        for sort in [ListSort::Segment, ListSort::ValueClass, ListSort::Tier] {
            for descending in [false, true] {
                let index = walked_index(sort, descending);
                let order = order_by(sort, descending);
                let sql = format!(
                    "EXPLAIN QUERY PLAN SELECT c.id FROM customers c INDEXED BY {index}
                     WHERE (c.tier_rank IS NULL) = 0 AND c.tier_rank IN (0, 1) ORDER BY {order} LIMIT 100"
                );
                let plan: String = book.conn.query_row(&sql, [], |row| row.get(3)).expect("plan");
                assert!(
                    plan.contains(&format!("COVERING INDEX {index}")),
                    "{sort} descending={descending}: {plan}"
                );
            }
        }
    }

    /// A prospect an import creates is born with the copies its standing's trigger would write
    /// (migration 0017), so the trigger writes nothing; born without them, the trigger moves
    /// the row. The copies read back are the same either way.
    #[test]
    fn a_prospect_is_born_with_the_copies_its_standing_would_write() {
        let mut book = Book::open_in_memory().expect("book");
        let settings = book.settings().expect("settings");
        let prospect = Prospect::on(chrono::NaiveDate::from_ymd_opt(2026, 12, 6).expect("day"));
        let tx = book.conn.transaction().expect("transaction");
        tx.execute(
            "INSERT INTO import_batches (kind, file_name, imported_at) VALUES ('contacts', 'a.csv', '')",
            [],
        )
        .expect("batch");
        let batch = tx.last_insert_rowid();
        let now = crate::clock::now();
        let copies = |id: i64| -> (Option<String>, Option<String>, Option<i64>, Option<i64>) {
            tx.query_row(
                "SELECT segment, value_class, window_units, rfm_score FROM customers WHERE id = ?1",
                [id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )
            .expect("copies")
        };
        let written_by_give = |copies: Option<RowCopies>| {
            let valid = validate::normalise(CustomerDraft::named("Ada Lovelace"), &settings).expect("valid");
            let id = insert_own_row(&tx, None, &valid, now, Some(batch), copies).expect("row");
            let before = tx.total_changes();
            prospect.give_all(&tx, id..=id).expect("standing");
            (id, tx.total_changes() - before)
        };
        let (born, born_writes) = written_by_give(Some(prospect.row_copies()));
        let (moved, moved_writes) = written_by_give(None);
        assert_eq!(born_writes, 1, "the standing row alone");
        assert_eq!(moved_writes, 2, "the standing row and the trigger's update of the customer row");
        assert_eq!(copies(born), copies(moved));
        assert_eq!(copies(born).0.as_deref(), Some("prospect"));
    }

    fn draft() -> CustomerDraft {
        let mut draft = CustomerDraft::named("Zoë Müller");
        draft.emails = ["Zoe@Example.com", "zoe@work.example"]
            .map(|address| EmailEntry { label: String::new(), address: address.into(), primary: false })
            .into();
        draft.phones = [("+44 7911 123456", "+447911123456"), ("044 668 18 00", "+41446681800")]
            .map(|(number, e164)| PhoneEntry {
                label: String::new(),
                number: number.into(),
                e164: Some(e164.into()),
                primary: false,
            })
            .into();
        draft.tags = vec!["VIP".into(), "Patek".into()];
        draft
    }

    #[test]
    fn removes_emails_phones_and_tags_as_the_dealer_types_them() {
        let mut draft = draft();
        assert!(draft.remove_email(" ZOE@example.COM "));
        assert_eq!(draft.emails.len(), 1);
        assert!(!draft.remove_email("zoe@example.com"), "already gone");
        assert!(draft.remove_phone("07911 123456", "GB"), "national form, read in the region");
        assert!(draft.remove_phone("41446681800", "GB"), "the digits of its E.164, not a GB number");
        assert!(draft.phones.is_empty());
        assert!(!draft.remove_phone("07911 123456", "GB"));
        assert!(draft.remove_tag("vip"));
        assert_eq!(draft.tags, ["Patek"]);
        assert!(!draft.remove_tag("collector"));
    }

    #[test]
    fn a_different_number_removes_nothing() {
        let mut draft = draft();
        assert!(!draft.remove_phone("07911 123457", "GB"));
        assert!(!draft.remove_phone("not a number", "GB"));
        assert_eq!(draft.phones.len(), 2);
    }
}
