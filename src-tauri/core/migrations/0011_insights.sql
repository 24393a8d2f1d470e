-- Loupe's book, version 11: what marketing costs (insights.rs), for the acquisition cost and
-- each campaign's cost per order (seed 002).

-- A campaign: a mailing, an event, an advert with its day and what it cost in the book's
-- currency. The customers it targeted are those with a contact naming it
-- (`interactions.campaign`), which a mailing list written for it records.
CREATE TABLE campaigns (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (name <> ''),
    channel    TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'post', 'other')),
    run_on     TEXT NOT NULL,
    cost       TEXT NOT NULL DEFAULT '0',
    notes      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX campaigns_day ON campaigns(run_on);

-- Other marketing spend (a fair stand, an advert) counted in the acquisition cost.
CREATE TABLE marketing_expenses (
    id         INTEGER PRIMARY KEY,
    spent_on   TEXT NOT NULL,
    amount     TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX marketing_expenses_day ON marketing_expenses(spent_on);

