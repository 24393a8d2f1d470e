-- Loupe's book, version 19: how many customers each type has, so that the list counts everyone,
-- or one type alone, without reading a whole index (1,000,000 customers: 7,500 to 12,000 index
-- pages scattered over the file, 0.7 to 0.8 s read cold at start; 700,000 retail customers,
-- about 25 ms on every page of the list filtered by them).
--
-- Kept by the code that writes customer rows (customers.rs: its one insert, its one delete, a
-- change of type), not by triggers: a trigger makes every insert a statement of several writes,
-- which SQLite journals page by page, and an import of 100,000 rows took a quarter longer.
-- Derived, never exported: a moved book counts its customers again.
CREATE TABLE customer_type_counts (
    customer_type TEXT PRIMARY KEY CHECK (customer_type IN ('retail', 'trade', 'collector')),
    customers     INTEGER NOT NULL CHECK (customers >= 0)
) STRICT, WITHOUT ROWID;
INSERT INTO customer_type_counts (customer_type, customers)
SELECT kind.customer_type, (SELECT count(*) FROM customers WHERE customer_type = kind.customer_type)
FROM (SELECT 'retail' AS customer_type UNION ALL SELECT 'trade' UNION ALL SELECT 'collector') AS kind;
