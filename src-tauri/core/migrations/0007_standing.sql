-- Loupe's book, version 7: where each customer stands (standing.rs).

-- What the book computes about each customer: segment, value class, RFM scores and group,
-- what they buy most and why (`reasons_json`), from purchases, scores and the standing rules
-- (the `standing` setting). Never typed and never moved between books: rebuilt for the whole
-- book once a day and for one customer after each change to them. Kept so that the list can
-- filter and sort by it.
CREATE TABLE customer_standing (
    customer_id   INTEGER PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
    segment       TEXT NOT NULL CHECK (segment IN ('prospect', 'lapsed', 'at_risk', 'vip', 'new', 'regular')),
    value_class   TEXT CHECK (value_class IN ('key', 'main', 'ordinary')),
    recency       INTEGER CHECK (recency BETWEEN 1 AND 5),
    frequency     INTEGER CHECK (frequency BETWEEN 1 AND 5),
    monetary      INTEGER CHECK (monetary BETWEEN 1 AND 5),
    rfm_group     TEXT,
    -- The spend in the value window, in the book's currency's units (for the value class).
    window_units  INTEGER NOT NULL DEFAULT 0,
    bought_most_json TEXT NOT NULL DEFAULT '{}',
    reasons_json  TEXT NOT NULL DEFAULT '[]',
    evaluated_on  TEXT NOT NULL
) STRICT;
CREATE INDEX customer_standing_segment ON customer_standing(segment);
CREATE INDEX customer_standing_value_class ON customer_standing(value_class);

-- A customer's segment or value class moved (seed 003's dynamic management): the day it was
-- seen, what it was and what it became. Part of the customer's story: moved with the book,
-- erased with the customer.
CREATE TABLE standing_changes (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    changed_on   TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('segment', 'value_class')),
    from_value   TEXT,
    to_value     TEXT,
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX standing_changes_customer ON standing_changes(customer_id, changed_on);
CREATE INDEX standing_changes_day ON standing_changes(changed_on);
