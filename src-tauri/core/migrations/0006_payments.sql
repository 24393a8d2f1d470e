-- Loupe's book, version 6: a sale is paid in several payments, may take pieces in trade, and
-- may await collection with a deposit taken.

-- The day the customer took the piece; NULL while the sale awaits collection. Sales written
-- before this version were collected on their sale date (the migration's hook fills it, and
-- gives each of them one payment of its total by its old method on that date).
ALTER TABLE purchases ADD COLUMN collected_on TEXT;
-- `purchases.payment_method` stays, kept by every write as the method of the sale's largest
-- payment ('trade_in' when trade-ins paid it all, 'other' while nothing is paid), for scripts
-- that read the file.

CREATE TABLE sale_payments (
    id          INTEGER PRIMARY KEY,
    purchase_id INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    method      TEXT NOT NULL CHECK (method IN ('cash', 'card', 'bank_transfer', 'trade_in', 'other')),
    amount      TEXT NOT NULL,
    paid_on     TEXT NOT NULL
) STRICT;
CREATE INDEX sale_payments_purchase ON sale_payments(purchase_id, position);

-- Pieces taken in part payment; the allowance counts towards what was paid.
CREATE TABLE sale_trade_ins (
    id               INTEGER PRIMARY KEY,
    purchase_id      INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    category         TEXT NOT NULL CHECK (category IN ('watch', 'ring', 'necklace', 'bracelet', 'earrings', 'pendant', 'other')),
    brand            TEXT NOT NULL DEFAULT '',
    model            TEXT NOT NULL DEFAULT '',
    reference_number TEXT NOT NULL DEFAULT '',
    serial_number    TEXT NOT NULL DEFAULT '',
    condition        TEXT NOT NULL CHECK (condition IN ('new', 'pre_owned', 'vintage')),
    condition_grade  TEXT NOT NULL DEFAULT '',
    description      TEXT NOT NULL DEFAULT '',
    allowance        TEXT NOT NULL
) STRICT;
CREATE INDEX sale_trade_ins_purchase ON sale_trade_ins(purchase_id, position);
