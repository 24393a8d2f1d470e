-- Loupe's book, version 9: the loyalty programme (membership.rs, points.rs).

-- What the book computes of each customer's tier from their sales and the `membership`
-- setting: never typed, never moved between books (a load computes it), kept so that the
-- list can filter and sort by tier. `tier_rank` is the tier's place in the rules (0 lowest),
-- `tier_json` the tier as named when written (`TierLabel`), for the change its next move records.
CREATE TABLE customer_membership (
    customer_id   INTEGER PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
    tier          TEXT,
    tier_rank     INTEGER,
    tier_json     TEXT,
    since         TEXT,
    keeps_until   TEXT,
    evaluated_on  TEXT NOT NULL
) STRICT;
CREATE INDEX customer_membership_tier ON customer_membership(tier);
-- The day's evaluation looks up whose kept tier ran out.
CREATE INDEX customer_membership_keeps_until ON customer_membership(keeps_until) WHERE keeps_until IS NOT NULL;

-- A rise or fall of a customer's tier, dated the day the rules say it happened; the tiers as
-- they were named then (`TierLabel` as JSON). Part of the customer's story: moved with the
-- book and with merges, erased with the customer.
CREATE TABLE tier_changes (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    changed_on   TEXT NOT NULL,
    from_json    TEXT,
    to_json      TEXT,
    upgrade      INTEGER NOT NULL CHECK (upgrade IN (0, 1)),
    reason_json  TEXT NOT NULL,
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX tier_changes_customer ON tier_changes(customer_id, changed_on);
CREATE INDEX tier_changes_day ON tier_changes(changed_on);

-- Every move of a customer's points. A sale's earn and redeem lines go with the sale; a
-- referral bonus names the customer referred, and survives their erasure without their name;
-- expiry lines are recomputed from the others.
CREATE TABLE points_ledger (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    entry_on     TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('earn', 'redeem', 'adjust', 'expire', 'referral')),
    points       INTEGER NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    purchase_id  INTEGER REFERENCES purchases(id) ON DELETE CASCADE,
    referred_id  INTEGER REFERENCES customers(id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX points_ledger_customer ON points_ledger(customer_id, entry_on);
CREATE INDEX points_ledger_purchase ON points_ledger(purchase_id) WHERE purchase_id IS NOT NULL;
CREATE INDEX points_ledger_referred ON points_ledger(referred_id) WHERE referred_id IS NOT NULL;

-- Points redeemed on a sale (taken off its total) and the member discount of an item (JSON of
-- `MemberDiscount`: the tier as named then and its percentage).
ALTER TABLE purchases ADD COLUMN points_redeemed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE purchases ADD COLUMN points_value TEXT NOT NULL DEFAULT '0';
ALTER TABLE purchase_items ADD COLUMN member_discount_json TEXT;
