-- Loupe's book, version 16: what is searched by digits leaves the FTS5 index for a table of
-- its own.
--
-- A phone was found by any run of its digits because every digit suffix of the number was a
-- word of the FTS5 index, under the three prefix indexes too: about 80 postings a phone, most
-- of the index's writes on an import, and a prefix longer than three digits ("07400") merged
-- the postings of every number it began. Here each run is one row of a B-tree, beside the words
-- of the document that begin with a digit (a reference, a serial, an email), so digits typed
-- are one range read in order, and counting the customers they find is counting that range.
--
-- `shared` is how many leading characters the row has in common with the customer's previous
-- row in order (0 for their first). A customer's rows beginning with what was typed are next
-- to each other in that order, and only the first of them shares fewer characters than were
-- typed with the row before: counting the rows with `shared < length(typed)` counts each
-- customer once (search.rs, `digits_count`).
CREATE TABLE search_digits (
    digits      TEXT NOT NULL,
    customer_id INTEGER NOT NULL,
    shared      INTEGER NOT NULL,
    PRIMARY KEY (digits, customer_id)
) STRICT, WITHOUT ROWID;

-- The documents are written again without the phone runs: made anew rather than updated one
-- by one, which with secure delete would rewrite every posting of every document. Dropping
-- the old index zeroes its pages (secure_delete is on). The hook writes every document.
-- `digits` (not indexed) lists the customer's `search_digits` rows, which are deleted by it
-- with the document: an index of the table by customer would double the cost of writing it.
DROP TABLE customer_search;
CREATE VIRTUAL TABLE customer_search USING fts5(
    name,
    other,
    items,
    digits UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3',
    columnsize = 0
);
INSERT INTO customer_search (customer_search, rank) VALUES ('secure-delete', 1);
