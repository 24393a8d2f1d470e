//! One person, one customer: two records of the same person merged into one
//! ([`Book::merge_customers`]) and taken apart again ([`Book::undo_merge`]), the pairs in the
//! book that may be one person ([`Book::duplicate_pairs`]) and those the dealer said are not
//! ([`Book::mark_distinct`]). ARCHITECTURE.md states the rules in words.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::customers::{Identity, delete_customer_row, insert_profile_as, load_customer, replace_customer};
use crate::error::{Error, Result};
use crate::fold;
use crate::matching::{MatchReason, is_stand_in, names_agree, words_agree};
use crate::model::*;
use crate::problem::Problem;
use crate::purchases::refresh_customer_spend;
use crate::search;
use crate::store::Book;
use crate::validate::{self, Unverified};

/// How many entries of each kind a merge moved to the kept customer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MergeCounts {
    pub purchases: u32,
    pub notes: u32,
    pub interactions: u32,
    pub wishes: u32,
    pub scores: u32,
    pub reminders: u32,
}

/// A field both records fill differently: the kept customer's value stays, and the other's is
/// shown on the merge's line of the timeline so that it is not lost from sight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KeptApart {
    /// The profile field, as the draft names it ("company", "full_name").
    pub field: String,
    pub kept: String,
    pub other: String,
}

/// One channel's consent before and after a merge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConsentOutcome {
    pub channel: Channel,
    pub kept: ConsentStatus,
    pub other: ConsentStatus,
    pub merged: Consent,
}

/// What merging `other` into `kept` does, worked out before anything is written: the window
/// shows it for the dealer to confirm, and the merge writes exactly it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MergePlan {
    pub kept: CustomerRow,
    pub other: CustomerRow,
    pub moved: MergeCounts,
    /// Profile fields of the kept customer that the other fills or adds to ("emails", "birthday").
    pub filled: Vec<String>,
    pub kept_apart: Vec<KeptApart>,
    /// Every channel either record answered.
    pub consents: Vec<ConsentOutcome>,
}

/// A merge as the kept customer's timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MergeRecord {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub kept_id: i64,
    /// The merged-away record's id (its own again once the merge is undone).
    #[ts(type = "number")]
    pub other_id: i64,
    pub other_name: String,
    #[ts(type = "string")]
    pub merged_at: DateTime<Utc>,
    pub moved: MergeCounts,
    pub filled: Vec<String>,
    pub kept_apart: Vec<KeptApart>,
    #[ts(type = "string | null")]
    pub undone_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UndoMergeSummary {
    #[ts(type = "number")]
    pub kept_id: i64,
    /// The record given back, under its own id.
    #[ts(type = "number")]
    pub restored_id: i64,
    pub restored_name: String,
    /// Entries moved back (those deleted since the merge are not counted).
    pub moved_back: MergeCounts,
}

/// Two customers who may be one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DuplicatePair {
    pub first: CustomerRow,
    pub second: CustomerRow,
    /// What they share, strongest first.
    pub reasons: Vec<MatchReason>,
    /// They share an email or a phone and their names agree: one person by the import's rule.
    pub certain: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DuplicatePairs {
    /// Every pair found, of which `pairs` holds the first `limit`.
    pub total: u32,
    pub pairs: Vec<DuplicatePair>,
}

/// The tables of a customer's story that a merge moves, with the count each adds to.
type CountOf = fn(&mut MergeCounts) -> &mut u32;
const MOVED_TABLES: [(&str, CountOf); 6] = [
    ("purchases", |counts| &mut counts.purchases),
    ("notes", |counts| &mut counts.notes),
    ("interactions", |counts| &mut counts.interactions),
    ("wishes", |counts| &mut counts.wishes),
    ("satisfaction_scores", |counts| &mut counts.scores),
    ("reminders", |counts| &mut counts.reminders),
];

/// Moved like the tables above (and back by id and `created_at`), but not counted: a move of
/// standing or tier is the book's observation, and points follow their sales.
const UNCOUNTED_TABLES: [&str; 3] = ["standing_changes", "tier_changes", "points_ledger"];

/// The key in `UndoData::moved` of the referral bonuses that named the other as referred.
const REFERRED: &str = "points_ledger.referred_id";

/// What the merge's record shows.
#[derive(Serialize, Deserialize)]
struct MergeSummary {
    moved: MergeCounts,
    filled: Vec<String>,
    kept_apart: Vec<KeptApart>,
}

/// Everything undoing a merge needs; dropped once it is undone.
#[derive(Serialize, Deserialize)]
struct UndoData {
    other: CustomerDraft,
    other_import_batch: Option<i64>,
    kept_before: CustomerDraft,
    kept_after: CustomerDraft,
    /// Rows moved, per table of `MOVED_TABLES`, as (id, created_at): SQLite may give a deleted
    /// row's id to a later one, which must stay with the kept customer.
    moved: BTreeMap<String, Vec<(i64, String)>>,
    /// Customers the other had referred, now referred by the kept one.
    referrals: Vec<i64>,
    /// The other's rows of `import_merges`: (batch, before, after).
    import_merges: Vec<(i64, String, Option<String>)>,
    /// Customers the dealer had marked as a different person from the other.
    distinct_from: Vec<i64>,
}

impl Book {
    /// What merging `other_id` into `kept_id` would do; nothing is written.
    pub fn plan_merge(&mut self, kept_id: i64, other_id: i64) -> Result<MergePlan> {
        let tx = self.conn.transaction()?;
        let plan = plan(&tx, kept_id, other_id)?.plan;
        tx.finish()?;
        Ok(plan)
    }

    /// Merges customer `other_id` into `kept_id`: the other's sales, notes, contacts, wishes,
    /// scores and reminders move to the kept one, its emails, phones, addresses, tags and
    /// occasions are added, the fields the kept one lacks are filled, consents follow the
    /// stricter answer, and the other record goes. Recorded for [`Book::undo_merge`].
    pub fn merge_customers(&mut self, kept_id: i64, other_id: i64) -> Result<MergeRecord> {
        let settings = self.settings()?;
        let now = crate::clock::now();
        let merge_id = self.with_tx(|tx| {
            let Planned { plan, kept_before, other, other_created_at, other_import_batch, merged } =
                plan(tx, kept_id, other_id)?;
            let merged = validate::normalise_with(merged, &settings, Unverified::FromFile)?;
            crate::agenda::drop_shared_before_merge(tx, kept_id, other_id)?;
            let mut moved = BTreeMap::new();
            for (table, _) in MOVED_TABLES {
                let rows = tx
                    .prepare(&format!(
                        "UPDATE {table} SET customer_id = ?1 WHERE customer_id = ?2 RETURNING id, created_at"
                    ))?
                    .query_map(params![kept_id, other_id], |row| Ok((row.get(0)?, row.get(1)?)))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                moved.insert(table.to_string(), rows);
            }
            // The other's moves of standing and tier and their points are the kept one's now.
            for table in UNCOUNTED_TABLES {
                let rows = tx
                    .prepare(&format!(
                        "UPDATE {table} SET customer_id = ?1 WHERE customer_id = ?2 RETURNING id, created_at"
                    ))?
                    .query_map(params![kept_id, other_id], |row| Ok((row.get(0)?, row.get(1)?)))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                moved.insert(table.to_string(), rows);
            }
            let rows = tx
                .prepare("UPDATE points_ledger SET referred_id = ?1 WHERE referred_id = ?2 RETURNING id, created_at")?
                .query_map(params![kept_id, other_id], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            moved.insert(REFERRED.to_string(), rows);
            let referrals = ids_of(
                tx,
                "UPDATE customers SET referred_by = ?1 WHERE referred_by = ?2 AND id <> ?1 RETURNING id",
                params![kept_id, other_id],
            )?;
            let import_merges = tx
                .prepare(
                    "SELECT batch_id, before_json, after_json FROM import_merges WHERE customer_id = ?1",
                )?
                .query_map([other_id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let distinct_from = ids_of(
                tx,
                "SELECT CASE WHEN first_id = ?1 THEN second_id ELSE first_id END FROM distinct_people
                 WHERE (first_id = ?1 OR second_id = ?1) AND first_id <> ?2 AND second_id <> ?2",
                params![other_id, kept_id],
            )?;
            search::unindex_customer(tx, other_id)?;
            delete_customer_row(tx, other_id)?;
            replace_customer(tx, kept_id, &merged, now)?;
            refresh_customer_spend(tx, kept_id, &settings.default_currency)?;
            crate::evaluation::evaluate_customer(tx, kept_id, crate::clock::today())?;
            let undo = UndoData {
                other,
                other_import_batch,
                kept_before,
                kept_after: merged.profile,
                moved,
                referrals,
                import_merges,
                distinct_from,
            };
            let summary =
                MergeSummary { moved: plan.moved, filled: plan.filled, kept_apart: plan.kept_apart };
            tx.execute(
                "INSERT INTO customer_merges (kept_id, other_id, other_created_at, other_name, merged_at,
                    summary_json, undo_json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    kept_id,
                    other_id,
                    other_created_at,
                    plan.other.full_name,
                    now.to_rfc3339(),
                    to_json(&summary)?,
                    to_json(&undo)?,
                ],
            )?;
            Ok(tx.last_insert_rowid())
        })?;
        self.merge_record(merge_id)
    }

    /// Takes merge `merge_id` back: the other record returns under its own id with its own
    /// profile, the entries that moved go back to it, and the kept customer gets back the
    /// profile it had before, except the fields (and each channel's consent) changed since
    /// the merge, which keep their current value.
    pub fn undo_merge(&mut self, merge_id: i64) -> Result<UndoMergeSummary> {
        let settings = self.settings()?;
        let now = crate::clock::now();
        self.with_tx(|tx| {
            let (kept_id, other_id, other_created_at, undo, undone_at): (
                i64,
                i64,
                String,
                Option<String>,
                Option<String>,
            ) = tx
                .query_row(
                    "SELECT kept_id, other_id, other_created_at, undo_json, undone_at
                     FROM customer_merges WHERE id = ?1",
                    [merge_id],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)),
                )
                .optional()?
                .ok_or(Error::NotFound { what: "merge", id: merge_id })?;
            let (Some(undo), None) = (undo, undone_at.clone()) else {
                let when = undone_at.unwrap_or_default();
                return Err(Error::invalid("merge_id", Problem::MergeAlreadyUndone { merge_id, when }));
            };
            let undo: UndoData = serde_json::from_str(&undo).map_err(|error| {
                Error::invalid("merge_id", format!("the merge's saved record is unreadable: {error}"))
            })?;
            let current = match load_customer(tx, kept_id) {
                Ok(customer) => customer.profile,
                Err(Error::NotFound { .. }) => {
                    return Err(Error::invalid("merge_id", Problem::MergeKeptGone { merge_id, kept_id }));
                }
                Err(other) => return Err(other),
            };

            let restored = validate::normalise_with(undo.other, &settings, Unverified::FromFile)?;
            let identity = Identity { id: other_id, created_at: &other_created_at };
            insert_profile_as(tx, Some(identity), &restored, now, undo.other_import_batch)?;
            let mut moved_back = MergeCounts::default();
            for (table, count) in MOVED_TABLES {
                let sql = format!(
                    "UPDATE {table} SET customer_id = ?1 WHERE id = ?2 AND created_at = ?3 AND customer_id = ?4"
                );
                let mut statement = tx.prepare(&sql)?;
                for (id, created_at) in undo.moved.get(table).into_iter().flatten() {
                    *count(&mut moved_back) += statement.execute(params![other_id, id, created_at, kept_id])? as u32;
                }
            }
            for table in UNCOUNTED_TABLES {
                let mut statement = tx.prepare(&format!(
                    "UPDATE {table} SET customer_id = ?1 WHERE id = ?2 AND created_at = ?3 AND customer_id = ?4"
                ))?;
                for (id, created_at) in undo.moved.get(table).into_iter().flatten() {
                    statement.execute(params![other_id, id, created_at, kept_id])?;
                }
            }
            let mut statement = tx.prepare(
                "UPDATE points_ledger SET referred_id = ?1 WHERE id = ?2 AND created_at = ?3 AND referred_id = ?4",
            )?;
            for (id, created_at) in undo.moved.get(REFERRED).into_iter().flatten() {
                statement.execute(params![other_id, id, created_at, kept_id])?;
            }
            let mut statement =
                tx.prepare("UPDATE customers SET referred_by = ?1 WHERE id = ?2 AND referred_by = ?3")?;
            for id in &undo.referrals {
                statement.execute(params![other_id, id, kept_id])?;
            }
            let mut statement = tx.prepare(
                "INSERT INTO import_merges (batch_id, customer_id, before_json, after_json)
                 SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM import_batches WHERE id = ?1)",
            )?;
            for (batch, before, after) in &undo.import_merges {
                statement.execute(params![batch, other_id, before, after])?;
            }
            let mut statement = tx.prepare(
                "INSERT OR IGNORE INTO distinct_people (first_id, second_id, marked_at)
                 SELECT min(?1, ?2), max(?1, ?2), ?3 WHERE EXISTS (SELECT 1 FROM customers WHERE id = ?2)",
            )?;
            for id in &undo.distinct_from {
                statement.execute(params![other_id, id, now.to_rfc3339()])?;
            }

            let kept = crate::import::undone_profile(undo.kept_before, Some(&undo.kept_after), &current)?;
            // The kept customer may have referred the other: that referral is theirs again.
            replace_customer(tx, kept_id, &validate::normalise_with(kept, &settings, Unverified::FromFile)?, now)?;
            let items = search::items_document(tx, other_id)?;
            search::index_customer(tx, other_id, &restored, &items)?;
            for id in [kept_id, other_id] {
                refresh_customer_spend(tx, id, &settings.default_currency)?;
                crate::evaluation::evaluate_customer(tx, id, crate::clock::today())?;
            }
            tx.execute(
                "UPDATE customer_merges SET undone_at = ?2, undo_json = NULL WHERE id = ?1",
                params![merge_id, now.to_rfc3339()],
            )?;
            Ok(UndoMergeSummary {
                kept_id,
                restored_id: other_id,
                restored_name: restored.profile.full_name,
                moved_back,
            })
        })
    }

    pub fn merge_record(&self, merge_id: i64) -> Result<MergeRecord> {
        merge_records(&self.conn, "id", merge_id)?
            .pop()
            .ok_or(Error::NotFound { what: "merge", id: merge_id })
    }

    /// The merges into customer `kept_id`, newest first: the lines of their timeline.
    pub fn merges_into(&self, kept_id: i64) -> Result<Vec<MergeRecord>> {
        merges_of(&self.conn, kept_id)
    }

    /// Says that customers `a` and `b` are different people: the possible-duplicates view
    /// stops listing them.
    pub fn mark_distinct(&mut self, a: i64, b: i64) -> Result<()> {
        if a == b {
            return Err(Error::invalid("second_id", Problem::MergeWithItself { id: a }));
        }
        let now = crate::clock::now().to_rfc3339();
        self.with_tx(|tx| {
            for id in [a, b] {
                crate::history::require_customer(tx, id)?;
            }
            tx.execute(
                "INSERT OR IGNORE INTO distinct_people (first_id, second_id, marked_at) VALUES (?1, ?2, ?3)",
                params![a.min(b), a.max(b), now],
            )?;
            Ok(())
        })
    }

    /// Takes back [`Book::mark_distinct`].
    pub fn unmark_distinct(&mut self, a: i64, b: i64) -> Result<()> {
        self.conn.execute(
            "DELETE FROM distinct_people WHERE first_id = ?1 AND second_id = ?2",
            params![a.min(b), a.max(b)],
        )?;
        Ok(())
    }

    /// Pairs of customers who may be one person, strongest first: those who share an email or
    /// a valid phone (certain when their names agree), then those with near-identical names
    /// (the same number of words, each the same, its initial or a short form: "G. Wilson" and
    /// "Grace Wilson"). Pairs marked as different people are left out. `total` counts them all;
    /// only the first `limit` are read in full.
    pub fn duplicate_pairs(&self, limit: u32) -> Result<DuplicatePairs> {
        let people = People::read(&self.conn)?;
        let mut found: HashMap<(i64, i64), u8> = HashMap::new();
        for (reason, sql) in [
            (
                MatchReason::SameEmail,
                "SELECT DISTINCT a.customer_id, b.customer_id FROM customer_emails a
                 JOIN customer_emails b ON b.address_key = a.address_key AND b.customer_id > a.customer_id",
            ),
            (
                MatchReason::SamePhone,
                "SELECT DISTINCT a.customer_id, b.customer_id FROM customer_phones a
                 JOIN customer_phones b ON b.e164 = a.e164 AND b.customer_id > a.customer_id
                 WHERE a.e164 IS NOT NULL",
            ),
        ] {
            let mut statement = self.conn.prepare(sql)?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                *found.entry((row.get(0)?, row.get(1)?)).or_default() |= reason_bit(reason);
            }
        }
        for pair in people.similar_names() {
            *found.entry(pair).or_default() |= reason_bit(MatchReason::SimilarName);
        }
        let mut distinct = self.conn.prepare("SELECT first_id, second_id FROM distinct_people")?;
        let mut rows = distinct.query([])?;
        while let Some(row) = rows.next()? {
            found.remove(&(row.get(0)?, row.get(1)?));
        }

        let similar = reason_bit(MatchReason::SimilarName);
        let mut ranked: Vec<Ranked<'_>> = found
            .into_iter()
            .map(|((first, second), reasons)| {
                let shares_contact = reasons & !similar != 0;
                // Names found similar agree by construction; only a shared contact needs the check.
                let certain = shares_contact
                    && (reasons & similar != 0 || names_agree(people.name(first), people.name(second)));
                // Certain first, then a shared email, a shared phone, names alone; then by name.
                (!certain, reasons.trailing_zeros(), people.sort_name(first), (first, second), reasons)
            })
            .collect();
        let total = ranked.len() as u32;
        let limit = (limit as usize).min(ranked.len());
        if limit < ranked.len() {
            ranked.select_nth_unstable(limit);
            ranked.truncate(limit);
        }
        ranked.sort_unstable();
        let pairs = ranked
            .into_iter()
            .map(|(not_certain, _, _, (first, second), reasons)| {
                let mut rows = self.rows_by_ids(&[first, second])?;
                let (Some(second), Some(first)) = (rows.pop(), rows.pop()) else {
                    return Err(Error::NotFound { what: "customer", id: first });
                };
                let reasons =
                    REASONS.into_iter().filter(|reason| reasons & reason_bit(*reason) != 0).collect();
                Ok(DuplicatePair { first, second, reasons, certain: !not_certain })
            })
            .collect::<Result<_>>()?;
        Ok(DuplicatePairs { total, pairs })
    }
}

/// A pair found, by what lists it first: not certain (false first), its strongest reason, the
/// first one's sort name, the pair itself; then its reasons as bits.
type Ranked<'a> = (bool, u32, &'a str, (i64, i64), u8);

/// The reasons a pair is listed for, strongest first.
const REASONS: [MatchReason; 4] = [
    MatchReason::SameEmail,
    MatchReason::SamePhone,
    MatchReason::SameNameAndCompany,
    MatchReason::SimilarName,
];

/// A reason as one bit, stronger reasons in lower bits.
fn reason_bit(reason: MatchReason) -> u8 {
    1 << REASONS.iter().position(|known| *known == reason).unwrap_or(REASONS.len() - 1)
}

/// Every customer's name, read once for the possible-duplicates list.
struct People {
    /// id → (full name, sort key)
    names: HashMap<i64, (String, String)>,
}

impl People {
    fn read(conn: &Connection) -> Result<People> {
        let mut statement = conn.prepare("SELECT id, full_name, sort_name FROM customers")?;
        let names = statement
            .query_map([], |row| Ok((row.get(0)?, (row.get(1)?, row.get(2)?))))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(People { names })
    }

    fn name(&self, id: i64) -> &str {
        self.names.get(&id).map_or("", |(name, _)| name.as_str())
    }

    fn sort_name(&self, id: i64) -> &str {
        self.names.get(&id).map_or("", |(_, sort)| sort.as_str())
    }

    /// Pairs (lower id first) whose names have two or more words and agree word for word
    /// (`matching::words_agree`). Names are grouped by their words' sorted initials, which such
    /// pairs share, so that only names that could agree are compared.
    fn similar_names(&self) -> Vec<(i64, i64)> {
        // Sorted initials → folded name → the ids bearing it: the same folded name is compared once.
        let mut groups: HashMap<String, HashMap<String, Vec<i64>>> = HashMap::new();
        for (&id, (name, _)) in &self.names {
            if is_stand_in(name) {
                continue;
            }
            let folded = fold::fold(name);
            let words = fold::words(&folded);
            if words.len() < 2 {
                continue;
            }
            let mut initials: Vec<char> = words.iter().filter_map(|word| word.chars().next()).collect();
            initials.sort_unstable();
            groups.entry(initials.into_iter().collect()).or_default().entry(folded).or_default().push(id);
        }
        let mut pairs = Vec::new();
        let mut add = |a: &[i64], b: &[i64]| {
            for &x in a {
                for &y in b {
                    if x != y {
                        pairs.push((x.min(y), x.max(y)));
                    }
                }
            }
        };
        for names in groups.values() {
            let names: Vec<(Vec<&str>, &Vec<i64>)> =
                names.iter().map(|(folded, ids)| (fold::words(folded), ids)).collect();
            for (index, (first_words, first_ids)) in names.iter().enumerate() {
                for (first_index, &x) in first_ids.iter().enumerate() {
                    add(&[x], &first_ids[first_index + 1..]);
                }
                for (second_words, second_ids) in &names[index + 1..] {
                    if words_agree(first_words, second_words) {
                        add(first_ids, second_ids);
                    }
                }
            }
        }
        pairs
    }
}

/// A merge worked out: the plan shown, and what the merge writes.
struct Planned {
    plan: MergePlan,
    kept_before: CustomerDraft,
    other: CustomerDraft,
    other_created_at: String,
    other_import_batch: Option<i64>,
    merged: CustomerDraft,
}

fn plan(tx: &Transaction<'_>, kept_id: i64, other_id: i64) -> Result<Planned> {
    if kept_id == other_id {
        return Err(Error::invalid("other_id", Problem::MergeWithItself { id: kept_id }));
    }
    let kept = load_customer(tx, kept_id)?.profile;
    let other = load_customer(tx, other_id)?.profile;
    let (other_created_at, other_import_batch): (String, Option<i64>) =
        tx.query_row("SELECT created_at, import_batch_id FROM customers WHERE id = ?1", [other_id], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?;
    let (mut merged, conflicts) = crate::import::merge_profile(&kept, &other);
    let mut kept_apart: Vec<KeptApart> = conflicts
        .into_iter()
        .filter(|conflict| !conflict.field.starts_with("consents."))
        .map(|conflict| KeptApart {
            field: conflict.field,
            kept: conflict.book_value,
            other: conflict.file_value,
        })
        .collect();
    fill_the_rest(&mut merged, &other, &mut kept_apart);
    if merged.referred_by.is_some_and(|referrer| referrer == kept_id || referrer == other_id) {
        merged.referred_by = None;
    }
    let consents = merged_consents(&kept, &other);
    merged.consents = consents.iter().map(|outcome| outcome.merged.clone()).collect();
    let filled = changed_fields(&kept, &merged)?;

    let mut moved = MergeCounts::default();
    for (table, count) in MOVED_TABLES {
        *count(&mut moved) = tx.query_row(
            &format!("SELECT count(*) FROM {table} WHERE customer_id = ?1"),
            [other_id],
            |row| row.get(0),
        )?;
    }
    let rows = crate::customers::rows_by_ids(tx, &[kept_id, other_id])?;
    let [kept_row, other_row]: [CustomerRow; 2] =
        rows.try_into().map_err(|_| Error::NotFound { what: "customer", id: other_id })?;
    Ok(Planned {
        plan: MergePlan { kept: kept_row, other: other_row, moved, filled, kept_apart, consents },
        kept_before: kept,
        other,
        other_created_at,
        other_import_batch,
        merged,
    })
}

/// The fields the import's merge leaves alone: each one the kept customer lacks is filled
/// from the other; where both differ the kept one's stays and the other's is kept apart.
fn fill_the_rest(merged: &mut CustomerDraft, other: &CustomerDraft, kept_apart: &mut Vec<KeptApart>) {
    fn fill<T: Clone + PartialEq + std::fmt::Debug>(
        field: &str,
        mine: &mut Option<T>,
        theirs: &Option<T>,
        kept_apart: &mut Vec<KeptApart>,
        show: impl Fn(&T) -> String,
    ) {
        match (mine.as_ref(), theirs) {
            (None, Some(value)) => *mine = Some(value.clone()),
            (Some(a), Some(b)) if a != b => {
                kept_apart.push(KeptApart { field: field.into(), kept: show(a), other: show(b) });
            }
            _ => {}
        }
    }
    fill("preferred_contact", &mut merged.preferred_contact, &other.preferred_contact, kept_apart, |v| {
        v.as_str().into()
    });
    let had_source = merged.source.is_some();
    fill("source", &mut merged.source, &other.source, kept_apart, |v| v.as_str().into());
    if !had_source && merged.source.is_some() && merged.source_detail.is_empty() {
        merged.source_detail.clone_from(&other.source_detail);
    }
    fill("referred_by", &mut merged.referred_by, &other.referred_by, &mut Vec::new(), i64::to_string);
    fill("ring_size", &mut merged.ring_size, &other.ring_size, kept_apart, |ring| {
        format!("{} {}", ring.value, ring.system.as_str())
    });
    fill("wrist_cm", &mut merged.wrist_cm, &other.wrist_cm, kept_apart, ToString::to_string);
    let preferences = &mut merged.preferences;
    for (mine, theirs) in [
        (&mut preferences.brands, &other.preferences.brands),
        (&mut preferences.styles, &other.preferences.styles),
        (&mut preferences.materials, &other.preferences.materials),
    ] {
        for value in theirs {
            if !mine.iter().any(|known| known.eq_ignore_ascii_case(value)) {
                mine.push(value.clone());
            }
        }
    }
    if preferences.price_min.is_none() && preferences.price_max.is_none() {
        preferences.price_min = other.preferences.price_min;
        preferences.price_max = other.preferences.price_max;
        preferences.currency.clone_from(&other.preferences.currency);
    }
    if merged.influence == Influence::None {
        merged.influence = other.influence;
    } else if other.influence != Influence::None && other.influence != merged.influence {
        kept_apart.push(KeptApart {
            field: "influence".into(),
            kept: merged.influence.as_str().into(),
            other: other.influence.as_str().into(),
        });
    }
    if other.customer_type != merged.customer_type {
        kept_apart.push(KeptApart {
            field: "customer_type".into(),
            kept: merged.customer_type.as_str().into(),
            other: other.customer_type.as_str().into(),
        });
    }
}

/// Each channel's consent after a merge: the stricter answer wins (opted out over opted in
/// over unknown), and between two equal answers the later dated one, with its source.
fn merged_consents(kept: &CustomerDraft, other: &CustomerDraft) -> Vec<ConsentOutcome> {
    let strictness = |status: ConsentStatus| match status {
        ConsentStatus::Unknown => 0,
        ConsentStatus::OptedIn => 1,
        ConsentStatus::OptedOut => 2,
    };
    let unknown =
        |channel| Consent { channel, status: ConsentStatus::Unknown, date: None, source: String::new() };
    Channel::ALL
        .iter()
        .filter_map(|&channel| {
            let of = |profile: &CustomerDraft| {
                profile
                    .consents
                    .iter()
                    .find(|consent| consent.channel == channel)
                    .cloned()
                    .unwrap_or(unknown(channel))
            };
            let (mine, theirs) = (of(kept), of(other));
            if mine.status == ConsentStatus::Unknown && theirs.status == ConsentStatus::Unknown {
                return None;
            }
            // A missing date is older than any date.
            let rank = |consent: &Consent| (strictness(consent.status), consent.date);
            let merged = if rank(&theirs) > rank(&mine) { theirs.clone() } else { mine.clone() };
            Some(ConsentOutcome { channel, kept: mine.status, other: theirs.status, merged })
        })
        .collect()
}

/// The draft's fields (as named in JSON) whose values differ between `before` and `after`.
fn changed_fields(before: &CustomerDraft, after: &CustomerDraft) -> Result<Vec<String>> {
    let (before, after) = (to_value(before)?, to_value(after)?);
    let (Some(before), Some(after)) = (before.as_object(), after.as_object()) else { return Ok(Vec::new()) };
    Ok(after
        .iter()
        .filter(|(field, value)| field.as_str() != "consents" && before.get(*field) != Some(*value))
        .map(|(field, _)| field.clone())
        .collect())
}

/// The merges into customer `kept_id`, newest first.
pub(crate) fn merges_of(conn: &Connection, kept_id: i64) -> Result<Vec<MergeRecord>> {
    merge_records(conn, "kept_id", kept_id)
}

fn merge_records(conn: &Connection, key_column: &str, key: i64) -> Result<Vec<MergeRecord>> {
    let sql = format!(
        "SELECT id, kept_id, other_id, other_name, merged_at, summary_json, undone_at FROM customer_merges
         WHERE {key_column} = ?1 ORDER BY merged_at DESC, id DESC"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement
        .query_map([key], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, i64>(2)?,
                row.get::<_, String>(3)?,
                crate::customers::parse_column::<DateTime<Utc>>(row, 4)?,
                row.get::<_, String>(5)?,
                crate::customers::parse_optional::<DateTime<Utc>>(row, 6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(id, kept_id, other_id, other_name, merged_at, summary, undone_at)| {
            let summary: MergeSummary = serde_json::from_str(&summary).map_err(|error| {
                Error::invalid("merge_id", format!("merge {id}'s record is unreadable: {error}"))
            })?;
            Ok(MergeRecord {
                id,
                kept_id,
                other_id,
                other_name,
                merged_at,
                moved: summary.moved,
                filled: summary.filled,
                kept_apart: summary.kept_apart,
                undone_at,
            })
        })
        .collect()
}

/// Called before customer `id` is erased or deleted: forgets every merge into them, and into
/// the records merged into those (each merge's record holds that person's data), and every
/// undone merge of them. Returns the records merged into them and not undone, as (id,
/// created_at): an erasure records their identities too, so that a copy of the book from
/// before the merge is erased of them as well.
pub(crate) fn forget_merges_of(tx: &Connection, id: i64) -> Result<Vec<(i64, String)>> {
    let mut merged_away = Vec::new();
    let mut pending = vec![id];
    let mut seen = HashSet::from([id]);
    let mut statement = tx.prepare(
        "SELECT other_id, other_created_at FROM customer_merges WHERE kept_id = ?1 AND undone_at IS NULL",
    )?;
    while let Some(kept) = pending.pop() {
        let others = statement
            .query_map([kept], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (other, created_at) in others {
            if seen.insert(other) {
                pending.push(other);
                merged_away.push((other, created_at));
            }
        }
    }
    let mut forget = tx.prepare(
        "DELETE FROM customer_merges WHERE kept_id = ?1 OR (other_id = ?1 AND undone_at IS NOT NULL)",
    )?;
    for id in seen {
        forget.execute([id])?;
    }
    Ok(merged_away)
}

fn ids_of(tx: &Connection, sql: &str, values: impl rusqlite::Params) -> Result<Vec<i64>> {
    Ok(tx.prepare(sql)?.query_map(values, |row| row.get(0))?.collect::<rusqlite::Result<_>>()?)
}

fn to_value(value: &impl Serialize) -> Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|error| Error::invalid("merge", error.to_string()))
}

fn to_json(value: &impl Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(|error| Error::invalid("merge", error.to_string()))
}
