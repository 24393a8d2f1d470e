-- Loupe's book, version 3: an erased person is recorded by who they were in this book, and
-- nothing a write frees stays readable.

-- One row per erased customer: the SHA-256 of their id and immutable created_at (erasure.rs).
-- Every copy of this book (backups, whole-book exports) names them by the same two values,
-- and no other person ever has both; nothing readable is kept.
CREATE TABLE erasures (
    identity  TEXT PRIMARY KEY,
    erased_on TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- FTS5 removes a deleted or replaced document's words from the index at once, instead of
-- adding a delete marker that leaves them in older segments. Kept in customer_search_config.
INSERT INTO customer_search (customer_search, rank) VALUES ('secure-delete', 1);

-- The suppressions made before erasures had identities: only these still re-erase by email
-- and phone hash when an older copy of the book is restored.
INSERT INTO settings (key, value)
    SELECT 'legacy_suppressions', group_concat(hash, ' ' ORDER BY hash) FROM suppressions
    HAVING count(*) > 0;
