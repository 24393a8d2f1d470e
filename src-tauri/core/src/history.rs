//! The customer's story besides purchases: relationship notes, interactions, wishes and
//! satisfaction scores. The four kinds share one code path (add, update, delete, list)
//! through [`TimelineEntry`]; each kind says only its table, its columns and its checks.

use rusqlite::{Connection, OptionalExtension, Row, ToSql, params_from_iter};

use crate::customers::{parse_column, parse_optional};
use crate::error::{Error, Result};
use crate::model::*;
use crate::problem::Problem;
use crate::store::Book;
use crate::validate::{check_amount, check_length, currency_or_book};

/// A draft of one kind of timeline entry, and how it is stored.
pub trait TimelineEntry: Sized {
    type Stored;
    /// Table and noun ("note") for messages; fixed text, never user input.
    const TABLE: &'static str;
    const WHAT: &'static str;
    /// The draft's columns, in the order of `values` and `read`.
    const COLUMNS: &'static [&'static str];
    /// Newest first; ties in insertion order, newest first.
    const ORDER: &'static str;
    /// Whether the customer's standing reads this kind (satisfaction scores: a low one puts
    /// them at risk), so that a write re-evaluates it.
    const AFFECTS_STANDING: bool = false;

    /// The draft trimmed and made consistent, or the first problem, naming its field.
    fn checked(self, settings: &BookSettings) -> Result<Self>;
    fn values(&self) -> Vec<Box<dyn ToSql + '_>>;
    /// Reads the draft from `row`, its first column at `first`.
    fn read(row: &Row<'_>, first: usize) -> rusqlite::Result<Self>;
    fn stored(stamp: Stamp, entry: Self) -> Self::Stored;
}

impl TimelineEntry for NoteDraft {
    type Stored = Note;
    const TABLE: &'static str = "notes";
    const WHAT: &'static str = "note";
    const COLUMNS: &'static [&'static str] = &["category", "body", "pinned", "noted_on"];
    const ORDER: &'static str = "noted_on DESC, id DESC";

    fn checked(mut self, _: &BookSettings) -> Result<Self> {
        self.body = self.body.trim().to_string();
        if self.body.is_empty() {
            return Err(Error::invalid("body", Problem::NoteEmpty));
        }
        check_length("body", &self.body, 20_000)?;
        Ok(self)
    }

    fn values(&self) -> Vec<Box<dyn ToSql + '_>> {
        vec![
            Box::new(self.category.as_str()),
            Box::new(&self.body),
            Box::new(self.pinned),
            Box::new(self.noted_on.to_string()),
        ]
    }

    fn read(row: &Row<'_>, first: usize) -> rusqlite::Result<Self> {
        Ok(NoteDraft {
            category: parse_column(row, first)?,
            body: row.get(first + 1)?,
            pinned: row.get(first + 2)?,
            noted_on: parse_column(row, first + 3)?,
        })
    }

    fn stored(stamp: Stamp, entry: Self) -> Note {
        Note::from_stamp(stamp, entry)
    }
}

impl TimelineEntry for InteractionDraft {
    type Stored = Interaction;
    const TABLE: &'static str = "interactions";
    const WHAT: &'static str = "interaction";
    const COLUMNS: &'static [&'static str] =
        &["kind", "direction", "occurred_on", "summary", "outcome", "campaign", "response"];
    const ORDER: &'static str = "occurred_on DESC, id DESC";

    fn checked(mut self, _: &BookSettings) -> Result<Self> {
        for text in [&mut self.summary, &mut self.outcome, &mut self.campaign] {
            *text = text.trim().to_string();
        }
        if self.summary.is_empty() {
            return Err(Error::invalid("summary", Problem::InteractionUnsummarised));
        }
        check_length("summary", &self.summary, 5_000)?;
        check_length("outcome", &self.outcome, 5_000)?;
        check_length("campaign", &self.campaign, 200)?;
        Ok(self)
    }

    fn values(&self) -> Vec<Box<dyn ToSql + '_>> {
        vec![
            Box::new(self.kind.as_str()),
            Box::new(self.direction.as_str()),
            Box::new(self.occurred_on.to_string()),
            Box::new(&self.summary),
            Box::new(&self.outcome),
            Box::new(&self.campaign),
            Box::new(self.response.map(InteractionResponse::as_str)),
        ]
    }

    fn read(row: &Row<'_>, first: usize) -> rusqlite::Result<Self> {
        Ok(InteractionDraft {
            kind: parse_column(row, first)?,
            direction: parse_column(row, first + 1)?,
            occurred_on: parse_column(row, first + 2)?,
            summary: row.get(first + 3)?,
            outcome: row.get(first + 4)?,
            campaign: row.get(first + 5)?,
            response: parse_optional(row, first + 6)?,
        })
    }

    fn stored(stamp: Stamp, entry: Self) -> Interaction {
        Interaction::from_stamp(stamp, entry)
    }
}

impl TimelineEntry for WishDraft {
    type Stored = Wish;
    const TABLE: &'static str = "wishes";
    const WHAT: &'static str = "wish";
    const COLUMNS: &'static [&'static str] = &[
        "brand",
        "model",
        "reference_number",
        "budget_min",
        "budget_max",
        "currency",
        "notes",
        "status",
        "requested_on",
        "closed_on",
    ];
    const ORDER: &'static str = "requested_on DESC, id DESC";

    fn checked(mut self, settings: &BookSettings) -> Result<Self> {
        for text in [&mut self.brand, &mut self.model, &mut self.reference_number, &mut self.notes] {
            *text = text.trim().to_string();
        }
        if [&self.brand, &self.model, &self.reference_number, &self.notes].iter().all(|text| text.is_empty())
        {
            return Err(Error::invalid("brand", Problem::WishUnnamed));
        }
        check_length("notes", &self.notes, 5_000)?;
        self.currency = currency_or_book("currency", &self.currency, settings)?;
        if let Some(min) = self.budget_min {
            check_amount("budget_min", min)?;
        }
        if let Some(max) = self.budget_max {
            check_amount("budget_max", max)?;
        }
        if let (Some(min), Some(max)) = (self.budget_min, self.budget_max)
            && min > max
        {
            return Err(Error::invalid("budget_max", Problem::PriceRangeReversed));
        }
        if self.status.is_open() {
            self.closed_on = None;
        } else {
            let closed_on = *self.closed_on.get_or_insert_with(crate::clock::today);
            if closed_on < self.requested_on {
                return Err(Error::invalid("closed_on", Problem::WishClosedBeforeMade));
            }
        }
        Ok(self)
    }

    fn values(&self) -> Vec<Box<dyn ToSql + '_>> {
        vec![
            Box::new(&self.brand),
            Box::new(&self.model),
            Box::new(&self.reference_number),
            Box::new(self.budget_min.map(|amount| amount.to_string())),
            Box::new(self.budget_max.map(|amount| amount.to_string())),
            Box::new(&self.currency),
            Box::new(&self.notes),
            Box::new(self.status.as_str()),
            Box::new(self.requested_on.to_string()),
            Box::new(self.closed_on.map(|date| date.to_string())),
        ]
    }

    fn read(row: &Row<'_>, first: usize) -> rusqlite::Result<Self> {
        Ok(WishDraft {
            brand: row.get(first)?,
            model: row.get(first + 1)?,
            reference_number: row.get(first + 2)?,
            budget_min: parse_optional(row, first + 3)?,
            budget_max: parse_optional(row, first + 4)?,
            currency: row.get(first + 5)?,
            notes: row.get(first + 6)?,
            status: parse_column(row, first + 7)?,
            requested_on: parse_column(row, first + 8)?,
            closed_on: parse_optional(row, first + 9)?,
        })
    }

    fn stored(stamp: Stamp, entry: Self) -> Wish {
        Wish::from_stamp(stamp, entry)
    }
}

impl TimelineEntry for SatisfactionDraft {
    type Stored = SatisfactionScore;
    const TABLE: &'static str = "satisfaction_scores";
    const WHAT: &'static str = "satisfaction score";
    const COLUMNS: &'static [&'static str] = &["score", "scored_on", "comment"];
    const ORDER: &'static str = "scored_on DESC, id DESC";
    const AFFECTS_STANDING: bool = true;

    fn checked(mut self, _: &BookSettings) -> Result<Self> {
        if !(1..=5).contains(&self.score) {
            return Err(Error::invalid("score", Problem::NotAScore { value: self.score }));
        }
        self.comment = self.comment.trim().to_string();
        check_length("comment", &self.comment, 5_000)?;
        Ok(self)
    }

    fn values(&self) -> Vec<Box<dyn ToSql + '_>> {
        vec![Box::new(self.score), Box::new(self.scored_on.to_string()), Box::new(&self.comment)]
    }

    fn read(row: &Row<'_>, first: usize) -> rusqlite::Result<Self> {
        Ok(SatisfactionDraft {
            score: row.get(first)?,
            scored_on: parse_column(row, first + 1)?,
            comment: row.get(first + 2)?,
        })
    }

    fn stored(stamp: Stamp, entry: Self) -> SatisfactionScore {
        SatisfactionScore::from_stamp(stamp, entry)
    }
}

impl Book {
    pub fn add_entry<E: TimelineEntry>(&mut self, customer_id: i64, draft: E) -> Result<E::Stored> {
        let draft = draft.checked(&self.settings()?)?;
        let now = crate::clock::now().to_rfc3339();
        let id = self.with_tx(|tx| {
            require_customer(tx, customer_id)?;
            let id = insert_entry(tx, customer_id, &draft, &now)?;
            after_entry::<E>(tx, customer_id)?;
            Ok(id)
        })?;
        self.entry::<E>(id)
    }

    pub fn update_entry<E: TimelineEntry>(&mut self, id: i64, draft: E) -> Result<E::Stored> {
        let draft = draft.checked(&self.settings()?)?;
        let now = crate::clock::now().to_rfc3339();
        let count = E::COLUMNS.len();
        let assignments: Vec<String> =
            E::COLUMNS.iter().zip(1..).map(|(column, index)| format!("{column} = ?{index}")).collect();
        let sql = format!(
            "UPDATE {table} SET {assignments}, updated_at = ?{now} WHERE id = ?{id}",
            table = E::TABLE,
            assignments = assignments.join(", "),
            now = count + 1,
            id = count + 2,
        );
        let values = draft
            .values()
            .into_iter()
            .chain([Box::new(now.as_str()) as Box<dyn ToSql>, Box::new(id) as Box<dyn ToSql>]);
        self.with_tx(|tx| {
            if tx.prepare_cached(&sql)?.execute(params_from_iter(values))? == 0 {
                return Err(Error::NotFound { what: E::WHAT, id });
            }
            let customer_id =
                tx.query_row(&format!("SELECT customer_id FROM {} WHERE id = ?1", E::TABLE), [id], |row| {
                    row.get(0)
                })?;
            after_entry::<E>(tx, customer_id)
        })?;
        self.entry::<E>(id)
    }

    /// Deletes the entry; returns whose it was.
    pub fn delete_entry<E: TimelineEntry>(&mut self, id: i64) -> Result<i64> {
        let sql = format!("DELETE FROM {} WHERE id = ?1 RETURNING customer_id", E::TABLE);
        self.with_tx(|tx| {
            let customer_id = tx
                .prepare_cached(&sql)?
                .query_row([id], |row| row.get(0))
                .optional()?
                .ok_or(Error::NotFound { what: E::WHAT, id })?;
            after_entry::<E>(tx, customer_id)?;
            Ok(customer_id)
        })
    }

    /// Adds an entry of any kind to a customer's story; returns the new entry's id.
    pub fn add_story_entry(&mut self, customer_id: i64, draft: EntryDraft) -> Result<i64> {
        Ok(match draft {
            EntryDraft::Purchase(draft) => self.add_purchase(customer_id, draft)?.id,
            EntryDraft::Note(draft) => self.add_entry(customer_id, draft)?.id,
            EntryDraft::Interaction(draft) => self.add_entry(customer_id, draft)?.id,
            EntryDraft::Wish(draft) => self.add_entry(customer_id, draft)?.id,
            EntryDraft::Satisfaction(draft) => self.add_entry(customer_id, draft)?.id,
        })
    }

    /// Replaces entry `id` of the draft's kind; returns whose it is.
    pub fn update_story_entry(&mut self, id: i64, draft: EntryDraft) -> Result<i64> {
        Ok(match draft {
            EntryDraft::Purchase(draft) => self.update_purchase(id, draft)?.customer_id,
            EntryDraft::Note(draft) => self.update_entry(id, draft)?.customer_id,
            EntryDraft::Interaction(draft) => self.update_entry(id, draft)?.customer_id,
            EntryDraft::Wish(draft) => self.update_entry(id, draft)?.customer_id,
            EntryDraft::Satisfaction(draft) => self.update_entry(id, draft)?.customer_id,
        })
    }

    /// Deletes entry `id` of `kind`; returns whose it was.
    pub fn delete_story_entry(&mut self, kind: EntryKind, id: i64) -> Result<i64> {
        match kind {
            EntryKind::Purchase => self.delete_purchase(id),
            EntryKind::Note => self.delete_entry::<NoteDraft>(id),
            EntryKind::Interaction => self.delete_entry::<InteractionDraft>(id),
            EntryKind::Wish => self.delete_entry::<WishDraft>(id),
            EntryKind::Satisfaction => self.delete_entry::<SatisfactionDraft>(id),
        }
    }

    /// A customer's entries of one kind, newest first.
    pub fn entries<E: TimelineEntry>(&self, customer_id: i64) -> Result<Vec<E::Stored>> {
        require_customer(&self.conn, customer_id)?;
        load_entries::<E>(&self.conn, "customer_id", customer_id)
    }

    pub fn entry<E: TimelineEntry>(&self, id: i64) -> Result<E::Stored> {
        load_entries::<E>(&self.conn, "id", id)?.pop().ok_or(Error::NotFound { what: E::WHAT, id })
    }

    /// Everything the customer page shows, read in one transaction so that the totals and
    /// the entries agree.
    pub fn customer_story(&mut self, id: i64) -> Result<CustomerStory> {
        let book_currency = self.settings()?.default_currency;
        let tx = self.conn.transaction()?;
        let customer = crate::customers::load_customer(&tx, id)?;
        let purchases = crate::purchases::load_purchases(&tx, "p.customer_id = ?1", id)?;
        let story = CustomerStory {
            totals: crate::purchases::totals_of(&purchases, &book_currency),
            customer,
            purchases,
            notes: load_entries::<NoteDraft>(&tx, "customer_id", id)?,
            interactions: load_entries::<InteractionDraft>(&tx, "customer_id", id)?,
            wishes: load_entries::<WishDraft>(&tx, "customer_id", id)?,
            satisfaction: load_entries::<SatisfactionDraft>(&tx, "customer_id", id)?,
            merges: crate::merge::merges_of(&tx, id)?,
            standing: crate::standing::stored_standing(&tx, id)?,
            standing_changes: crate::standing::changes_of(&tx, id)?,
            membership: crate::membership::membership_of(&tx, id, crate::clock::today())?,
            tier_changes: crate::membership::changes_of(&tx, id)?,
            points: crate::points::ledger_of(&tx, id)?,
            reminders: crate::agenda::open_reminders_of(&tx, id)?,
        };
        tx.finish()?;
        Ok(story)
    }

    /// Wishes still open (open, sourcing, offered) across the book, newest first, with their
    /// customer's name; `filter` keeps those whose brand, model, reference or notes contain it.
    pub fn open_wishes(&self, filter: &str, limit: u32) -> Result<Vec<OpenWish>> {
        let filter = filter.trim();
        let pattern = format!("%{}%", filter.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        let columns = WishDraft::COLUMNS.iter().map(|column| format!("w.{column}")).collect::<Vec<_>>();
        let sql = format!(
            "SELECT w.id, w.customer_id, w.created_at, w.updated_at, {columns}, c.full_name
             FROM wishes w JOIN customers c ON c.id = w.customer_id
             WHERE w.status IN ('open', 'sourcing', 'offered')
               AND (?1 = '' OR w.brand LIKE ?2 ESCAPE '\\' OR w.model LIKE ?2 ESCAPE '\\'
                    OR w.reference_number LIKE ?2 ESCAPE '\\' OR w.notes LIKE ?2 ESCAPE '\\')
             ORDER BY w.requested_on DESC, w.id DESC LIMIT ?3",
            columns = columns.join(", "),
        );
        let name_column = 4 + WishDraft::COLUMNS.len();
        let mut statement = self.conn.prepare_cached(&sql)?;
        let wishes = statement
            .query_map(rusqlite::params![filter, pattern, limit.clamp(1, 5000)], |row| {
                Ok(OpenWish {
                    wish: WishDraft::stored(read_stamp(row)?, WishDraft::read(row, 4)?),
                    customer_name: row.get(name_column)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(wishes)
    }
}

/// What an entry written for a customer changes: their standing (a score), and the reminders
/// made from their contacts and standing (a contact moves a key customer's next visit).
fn after_entry<E: TimelineEntry>(conn: &Connection, customer_id: i64) -> Result<()> {
    let today = crate::clock::today();
    if E::AFFECTS_STANDING {
        crate::standing::evaluate_customer(conn, customer_id, today)?;
    }
    crate::agenda::reconcile_customer(conn, customer_id, today)?;
    Ok(())
}

/// Writes a checked entry; also used by bulk loaders inside their own transaction.
pub(crate) fn insert_entry<E: TimelineEntry>(
    conn: &Connection,
    customer_id: i64,
    draft: &E,
    now: &str,
) -> Result<i64> {
    let count = E::COLUMNS.len();
    let placeholders: Vec<String> = (1..=count).map(|index| format!("?{index}")).collect();
    let sql = format!(
        "INSERT INTO {table} ({columns}, customer_id, created_at, updated_at)
         VALUES ({placeholders}, ?{customer}, ?{now}, ?{now})",
        table = E::TABLE,
        columns = E::COLUMNS.join(", "),
        placeholders = placeholders.join(", "),
        customer = count + 1,
        now = count + 2,
    );
    let values = draft
        .values()
        .into_iter()
        .chain([Box::new(customer_id) as Box<dyn ToSql>, Box::new(now) as Box<dyn ToSql>]);
    conn.prepare_cached(&sql)?.execute(params_from_iter(values))?;
    Ok(conn.last_insert_rowid())
}

fn load_entries<E: TimelineEntry>(conn: &Connection, key_column: &str, key: i64) -> Result<Vec<E::Stored>> {
    let sql = format!(
        "SELECT id, customer_id, created_at, updated_at, {columns} FROM {table}
         WHERE {key_column} = ?1 ORDER BY {order}",
        columns = E::COLUMNS.join(", "),
        table = E::TABLE,
        order = E::ORDER,
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let entries = statement
        .query_map([key], |row| Ok(E::stored(read_stamp(row)?, E::read(row, 4)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(entries)
}

fn read_stamp(row: &Row<'_>) -> rusqlite::Result<Stamp> {
    Ok(Stamp {
        id: row.get(0)?,
        customer_id: row.get(1)?,
        created_at: parse_column(row, 2)?,
        updated_at: parse_column(row, 3)?,
    })
}

pub(crate) fn require_customer(conn: &Connection, customer_id: i64) -> Result<()> {
    let exists = conn
        .prepare_cached("SELECT 1 FROM customers WHERE id = ?1")?
        .query_row([customer_id], |_| Ok(()))
        .optional()?
        .is_some();
    if exists { Ok(()) } else { Err(Error::NotFound { what: "customer", id: customer_id }) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(body: &str, noted_on: &str) -> NoteDraft {
        NoteDraft {
            category: NoteCategory::PersonalInterest,
            body: body.into(),
            pinned: false,
            noted_on: noted_on.parse().expect("date"),
        }
    }

    #[test]
    fn entries_lists_one_customers_kind_newest_first() {
        let mut book = Book::open_in_memory().expect("book");
        let anna = book.create_customer(CustomerDraft::named("Anna")).expect("anna").id;
        let bob = book.create_customer(CustomerDraft::named("Bob")).expect("bob").id;
        let old = book.add_entry(anna, note("Likes Calatrava", "2025-03-01")).expect("note").id;
        let new = book.add_entry(anna, note("Daughter born", "2026-01-10")).expect("note").id;
        book.add_entry(bob, note("Bob's", "2026-02-01")).expect("note");
        let listed: Vec<i64> = book.entries::<NoteDraft>(anna).expect("list").iter().map(|n| n.id).collect();
        assert_eq!(listed, [new, old]);
        assert!(book.entries::<NoteDraft>(999).is_err_and(|error| matches!(error, Error::NotFound { .. })));
    }
}
