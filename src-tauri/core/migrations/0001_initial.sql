-- Loupe's book, version 1. Append-only: never edit a migration after it has landed; add the next.
-- Money is TEXT holding an exact decimal ("1234.50") beside an ISO 4217 currency code.
-- Dates are TEXT: plain dates as YYYY-MM-DD (or --MM-DD without a year), instants as RFC 3339 UTC.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE import_batches (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('contacts', 'book')),
    file_name     TEXT NOT NULL,
    imported_at   TEXT NOT NULL,
    created_count INTEGER NOT NULL DEFAULT 0,
    merged_count  INTEGER NOT NULL DEFAULT 0,
    duplicate_count INTEGER NOT NULL DEFAULT 0,
    rejected_count INTEGER NOT NULL DEFAULT 0,
    mapping_json  TEXT NOT NULL DEFAULT '{}',
    undone_at     TEXT
) STRICT;

CREATE TABLE customers (
    id                INTEGER PRIMARY KEY,
    full_name         TEXT NOT NULL CHECK (full_name <> ''),
    given_name        TEXT NOT NULL DEFAULT '',
    family_name       TEXT NOT NULL DEFAULT '',
    title             TEXT NOT NULL DEFAULT '',
    -- Accent- and case-folded name, for sorting and one-letter type-ahead.
    sort_name         TEXT NOT NULL,
    customer_type     TEXT NOT NULL CHECK (customer_type IN ('retail', 'trade', 'collector')),
    company           TEXT NOT NULL DEFAULT '',
    job_title         TEXT NOT NULL DEFAULT '',
    preferred_contact TEXT CHECK (preferred_contact IN ('email', 'phone', 'sms', 'post', 'in_person')),
    language          TEXT NOT NULL DEFAULT '',
    birthday          TEXT,
    source            TEXT CHECK (source IN ('walk_in', 'fair', 'referral', 'website', 'business_card', 'import', 'other')),
    source_detail     TEXT NOT NULL DEFAULT '',
    referred_by       INTEGER REFERENCES customers(id) ON DELETE SET NULL,
    ring_size_system  TEXT CHECK (ring_size_system IN ('uk', 'us', 'eu', 'cn_jp')),
    ring_size_value   TEXT,
    wrist_cm          TEXT,
    price_min         TEXT,
    price_max         TEXT,
    price_currency    TEXT NOT NULL DEFAULT '',
    influence         TEXT NOT NULL DEFAULT 'none' CHECK (influence IN ('none', 'reviewer', 'trade_professional', 'public_figure')),
    import_batch_id   INTEGER REFERENCES import_batches(id) ON DELETE SET NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
) STRICT;
CREATE INDEX customers_sort_name ON customers(sort_name, id);
CREATE INDEX customers_company ON customers(company COLLATE NOCASE, sort_name);
CREATE INDEX customers_type ON customers(customer_type, sort_name);
CREATE INDEX customers_created ON customers(created_at);
CREATE INDEX customers_updated ON customers(updated_at);

CREATE TABLE customer_emails (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    label       TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL,
    -- Lower-cased, trimmed: emails match case-insensitively.
    address_key TEXT NOT NULL,
    is_primary  INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1))
) STRICT;
CREATE INDEX customer_emails_customer ON customer_emails(customer_id, position);
CREATE INDEX customer_emails_key ON customer_emails(address_key);

CREATE TABLE customer_phones (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    label       TEXT NOT NULL DEFAULT '',
    number      TEXT NOT NULL,
    e164        TEXT,
    is_primary  INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1))
) STRICT;
CREATE INDEX customer_phones_customer ON customer_phones(customer_id, position);
CREATE INDEX customer_phones_e164 ON customer_phones(e164);

CREATE TABLE customer_addresses (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    label       TEXT NOT NULL DEFAULT '',
    street      TEXT NOT NULL DEFAULT '',
    city        TEXT NOT NULL DEFAULT '',
    region      TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    country     TEXT NOT NULL DEFAULT '',
    is_primary  INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1))
) STRICT;
CREATE INDEX customer_addresses_customer ON customer_addresses(customer_id, position);

CREATE TABLE customer_occasions (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('anniversary', 'other')),
    label       TEXT NOT NULL DEFAULT '',
    date        TEXT NOT NULL
) STRICT;
CREATE INDEX customer_occasions_customer ON customer_occasions(customer_id, position);

-- Preferred brands, styles and materials, one row each, so segments can query them.
CREATE TABLE customer_preferences (
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('brand', 'style', 'material')),
    position    INTEGER NOT NULL,
    value       TEXT NOT NULL,
    PRIMARY KEY (customer_id, kind, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX customer_preferences_value ON customer_preferences(kind, value COLLATE NOCASE);

CREATE TABLE customer_tags (
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    tag         TEXT NOT NULL,
    PRIMARY KEY (customer_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX customer_tags_tag ON customer_tags(tag COLLATE NOCASE, customer_id);

-- Answers a customer gave, per channel; a channel without a row is unknown (never mailed).
CREATE TABLE consents (
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    channel     TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'phone', 'post')),
    status      TEXT NOT NULL CHECK (status IN ('opted_in', 'opted_out')),
    date        TEXT,
    source      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (customer_id, channel)
) STRICT, WITHOUT ROWID;
CREATE INDEX consents_channel_status ON consents(channel, status);

-- Purchases: a sale with one or more items; amounts are exact decimal text.
CREATE TABLE purchases (
    id             INTEGER PRIMARY KEY,
    customer_id    INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    purchased_on   TEXT NOT NULL,
    currency       TEXT NOT NULL,
    payment_method TEXT NOT NULL CHECK (payment_method IN ('cash', 'card', 'bank_transfer', 'trade_in', 'other')),
    channel        TEXT NOT NULL CHECK (channel IN ('in_store', 'phone', 'online', 'fair', 'other')),
    salesperson    TEXT NOT NULL DEFAULT '',
    notes          TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX purchases_customer ON purchases(customer_id, purchased_on);
CREATE INDEX purchases_date ON purchases(purchased_on);

CREATE TABLE purchase_items (
    id               INTEGER PRIMARY KEY,
    purchase_id      INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    category         TEXT NOT NULL CHECK (category IN ('watch', 'ring', 'necklace', 'bracelet', 'earrings', 'pendant', 'other')),
    brand            TEXT NOT NULL DEFAULT '',
    model            TEXT NOT NULL DEFAULT '',
    reference_number TEXT NOT NULL DEFAULT '',
    serial_number    TEXT NOT NULL DEFAULT '',
    material         TEXT NOT NULL DEFAULT '',
    condition        TEXT NOT NULL CHECK (condition IN ('new', 'pre_owned', 'vintage')),
    condition_grade  TEXT NOT NULL DEFAULT '',
    box              INTEGER NOT NULL DEFAULT 0 CHECK (box IN (0, 1)),
    papers           INTEGER NOT NULL DEFAULT 0 CHECK (papers IN (0, 1)),
    description      TEXT NOT NULL DEFAULT '',
    price            TEXT NOT NULL,
    discount         TEXT NOT NULL DEFAULT '0'
) STRICT;
CREATE INDEX purchase_items_purchase ON purchase_items(purchase_id, position);
CREATE INDEX purchase_items_reference ON purchase_items(reference_number COLLATE NOCASE);
CREATE INDEX purchase_items_serial ON purchase_items(serial_number COLLATE NOCASE);
CREATE INDEX purchase_items_brand ON purchase_items(brand COLLATE NOCASE);

CREATE TABLE notes (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    category    TEXT NOT NULL CHECK (category IN ('personal_interest', 'occasion', 'relationship_history', 'special_requirement', 'internal')),
    body        TEXT NOT NULL,
    pinned      INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    noted_on    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX notes_customer ON notes(customer_id, noted_on);

CREATE TABLE interactions (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('call', 'email', 'meeting', 'shop_visit', 'message', 'event')),
    direction   TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    occurred_at TEXT NOT NULL,
    summary     TEXT NOT NULL DEFAULT '',
    outcome     TEXT NOT NULL DEFAULT '',
    campaign    TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX interactions_customer ON interactions(customer_id, occurred_at);
CREATE INDEX interactions_campaign ON interactions(campaign) WHERE campaign <> '';

CREATE TABLE wishes (
    id               INTEGER PRIMARY KEY,
    customer_id      INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    brand            TEXT NOT NULL DEFAULT '',
    model            TEXT NOT NULL DEFAULT '',
    reference_number TEXT NOT NULL DEFAULT '',
    budget_min       TEXT,
    budget_max       TEXT,
    currency         TEXT NOT NULL,
    notes            TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL CHECK (status IN ('open', 'sourcing', 'offered', 'won', 'lost')),
    requested_on     TEXT NOT NULL,
    closed_on        TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX wishes_customer ON wishes(customer_id, requested_on);
CREATE INDEX wishes_status ON wishes(status, requested_on);

CREATE TABLE satisfaction_scores (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    score       INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    scored_on   TEXT NOT NULL,
    comment     TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX satisfaction_scores_customer ON satisfaction_scores(customer_id, scored_on);

CREATE TABLE reminders (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('follow_up', 'check_in', 'birthday', 'anniversary', 're_engagement', 'service', 'other')),
    due_on      TEXT NOT NULL,
    title       TEXT NOT NULL,
    notes       TEXT NOT NULL DEFAULT '',
    purchase_item_id INTEGER REFERENCES purchase_items(id) ON DELETE SET NULL,
    done_at     TEXT,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX reminders_due ON reminders(done_at, due_on);
CREATE INDEX reminders_customer ON reminders(customer_id);

-- Saved segments: visible, adjustable rules stored as JSON.
CREATE TABLE segments (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    rules_json  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

-- What an import did to customers that already existed, so that the batch can be undone.
CREATE TABLE import_merges (
    batch_id      INTEGER NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
    customer_id   INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    before_json   TEXT NOT NULL,
    PRIMARY KEY (batch_id, customer_id)
) STRICT, WITHOUT ROWID;

-- Erased people: salted hashes of their emails and phones, nothing readable.
CREATE TABLE suppressions (
    hash        TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('email', 'phone')),
    erased_on   TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Type-ahead search. Documents are folded in Rust (lower case, accents removed, each CJK
-- character a token, phone digit suffixes) so that a word-prefix query finds parts of names,
-- Chinese names, emails and phone digits whatever their formatting. `items` holds the brands,
-- models, reference and serial numbers the customer bought, so a watch finds its owner.
CREATE VIRTUAL TABLE customer_search USING fts5(
    name,
    other,
    items,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3',
    -- Ranking happens in Rust (search.rs), so FTS5 need not store column sizes for bm25.
    columnsize = 0
);
