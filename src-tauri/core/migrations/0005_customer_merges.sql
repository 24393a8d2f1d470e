-- Loupe's book, version 5: two records of one person are merged, and a merge can be taken back.

-- One row per merge of customer `other_id` into `kept_id`. The other record is deleted by the
-- merge; `undo_json` holds what taking it back needs (its profile, the rows moved, the kept
-- one's profile before and after), and becomes NULL once undone. No foreign key on the ids:
-- the record outlives the other customer on purpose, and is removed, with those of every
-- record merged into the kept one before, when the kept one is erased or deleted
-- (merge.rs, erasure.rs). `other_created_at` keeps the other record's erasure identity.
CREATE TABLE customer_merges (
    id               INTEGER PRIMARY KEY,
    kept_id          INTEGER NOT NULL,
    other_id         INTEGER NOT NULL,
    other_created_at TEXT NOT NULL,
    other_name       TEXT NOT NULL,
    merged_at        TEXT NOT NULL,
    summary_json     TEXT NOT NULL,
    undo_json        TEXT,
    undone_at        TEXT
) STRICT;
CREATE INDEX customer_merges_kept ON customer_merges(kept_id);
-- New customers never take the id of a merged-away record (customers.rs), so that undoing
-- the merge gives the record back under its own id and erasure identity.
CREATE INDEX customer_merges_other ON customer_merges(other_id);

-- Pairs the dealer said are different people: the possible-duplicates view no longer lists them.
CREATE TABLE distinct_people (
    first_id   INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    second_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    marked_at  TEXT NOT NULL,
    PRIMARY KEY (first_id, second_id),
    CHECK (first_id < second_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX distinct_people_second ON distinct_people(second_id);
