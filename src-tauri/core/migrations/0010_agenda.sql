-- Loupe's book, version 10: the follow-up agenda (agenda.rs) and the pieces that arrive
-- (arrivals.rs).

-- A piece that came into the shop, recorded to find the customers it suits (seed 001).
CREATE TABLE arrivals (
    id               INTEGER PRIMARY KEY,
    arrived_on       TEXT NOT NULL,
    category         TEXT CHECK (category IN ('watch', 'ring', 'necklace', 'bracelet', 'earrings', 'pendant', 'other')),
    brand            TEXT NOT NULL DEFAULT '',
    model            TEXT NOT NULL DEFAULT '',
    reference_number TEXT NOT NULL DEFAULT '',
    material         TEXT NOT NULL DEFAULT '',
    price            TEXT,
    currency         TEXT NOT NULL,
    notes            TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL
) STRICT;
CREATE INDEX arrivals_day ON arrivals(arrived_on);

-- Version 1's reminders, made again: SQLite cannot widen a CHECK in place. A reminder is typed
-- by the dealer (`rule_key` NULL: `manual`, or `arrival` for a piece that came in) or made by a
-- rule of the `follow_up` setting, once: `rule_key` names its cause within the customer (and
-- the sale, for a sale's follow-up, check-in and service), so running the rules again, after an
-- import, a restore or a merge, finds the row instead of adding one. A done or dismissed row is
-- kept so that its cause never makes it again.
CREATE TABLE reminders_v10 (
    id             INTEGER PRIMARY KEY,
    customer_id    INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('follow_up', 'check_in', 'birthday', 'anniversary', 'key_visit',
                       're_engagement', 'service', 'care', 'tier_change', 'give_back', 'arrival', 'manual')),
    rule_key       TEXT,
    purchase_id    INTEGER REFERENCES purchases(id) ON DELETE CASCADE,
    arrival_id     INTEGER REFERENCES arrivals(id) ON DELETE CASCADE,
    due_on         TEXT NOT NULL,
    -- A birthday's or a quarter's reminder goes by itself after this day, unless snoozed.
    expires_on     TEXT,
    snoozed_until  TEXT,
    title          TEXT NOT NULL DEFAULT '',
    notes          TEXT NOT NULL DEFAULT '',
    -- What the window words in its language (`ReminderReason`).
    reason_json    TEXT NOT NULL DEFAULT '{"kind":"manual"}',
    repeat_every   INTEGER CHECK (repeat_every BETWEEN 1 AND 1000),
    repeat_unit    TEXT CHECK (repeat_unit IN ('days', 'weeks', 'months', 'years')),
    state          TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done', 'dismissed')),
    closed_at      TEXT,
    interaction_id INTEGER REFERENCES interactions(id) ON DELETE SET NULL,
    created_at     TEXT NOT NULL,
    CHECK ((repeat_every IS NULL) = (repeat_unit IS NULL)),
    CHECK ((state = 'open') = (closed_at IS NULL))
) STRICT;

INSERT INTO reminders_v10 (id, customer_id, kind, purchase_id, due_on, title, notes, state, closed_at, created_at)
SELECT r.id, r.customer_id,
       CASE r.kind WHEN 'other' THEN 'manual' ELSE r.kind END,
       (SELECT i.purchase_id FROM purchase_items i WHERE i.id = r.purchase_item_id),
       r.due_on, r.title, r.notes,
       CASE WHEN r.done_at IS NULL THEN 'open' ELSE 'done' END, r.done_at, r.created_at
FROM reminders r;
DROP TABLE reminders;
ALTER TABLE reminders_v10 RENAME TO reminders;

CREATE UNIQUE INDEX reminders_rule ON reminders(customer_id, rule_key, IFNULL(purchase_id, 0)) WHERE rule_key IS NOT NULL;
CREATE UNIQUE INDEX reminders_arrival ON reminders(arrival_id, customer_id) WHERE arrival_id IS NOT NULL;
CREATE INDEX reminders_customer ON reminders(customer_id, due_on);
CREATE INDEX reminders_purchase ON reminders(purchase_id) WHERE purchase_id IS NOT NULL;
-- The agenda and its counts: open reminders by the day they are shown (a snoozed one on its new
-- day), with their kind (the quarter's give-back is counted apart).
CREATE INDEX reminders_open ON reminders(IFNULL(snoozed_until, due_on), kind) WHERE state = 'open';
-- The day's pass: open reminders that may expire.
CREATE INDEX reminders_expiring ON reminders(expires_on) WHERE state = 'open' AND expires_on IS NOT NULL;
