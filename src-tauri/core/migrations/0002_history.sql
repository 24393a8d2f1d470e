-- Loupe's book, version 2: exact spend kept beside each customer so that the list can sort by
-- it, and column names that say what they hold. A hook in store.rs fills the new columns of
-- books that already hold purchases.

-- Interactions are dated like every other entry of the timeline: a plain date, on purpose.
ALTER TABLE interactions RENAME COLUMN occurred_at TO occurred_on;
DROP INDEX interactions_customer;
CREATE INDEX interactions_customer ON interactions(customer_id, occurred_on);

ALTER TABLE satisfaction_scores ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
UPDATE satisfaction_scores SET updated_at = created_at;

-- A sale's total in ten-thousandths of its currency. Amounts have at most four decimal
-- places, so this integer is exact and SQLite sums it exactly (or fails on overflow).
ALTER TABLE purchases ADD COLUMN total_units INTEGER NOT NULL DEFAULT 0;

-- Kept by every purchase write (purchases.rs): lifetime spend in the book's currency, in
-- ten-thousandths, and the count and last date of purchases in any currency.
ALTER TABLE customers ADD COLUMN spend_units INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN purchase_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN last_purchase_on TEXT;
CREATE INDEX customers_spend ON customers(spend_units DESC, sort_name, id);
CREATE INDEX customers_last_purchase ON customers(last_purchase_on DESC, sort_name, id);

-- The list of open wishes, newest first, across the book.
DROP INDEX wishes_status;
CREATE INDEX wishes_status ON wishes(status, requested_on DESC, id DESC);

-- A note an import added to a customer who was already in the book, so that undoing the
-- import removes it with the rest.
ALTER TABLE notes ADD COLUMN import_batch_id INTEGER REFERENCES import_batches(id) ON DELETE SET NULL;
