-- Loupe's book, version 15: the customer list's smallest spenders first walks an index of its own
-- (customers.rs, `walked_index`). `customers_spend` gives the biggest first; read backwards it
-- breaks ties by name the other way round, so the list sorted a third of a book (everyone who
-- has bought nothing) by name to show its first screen.
CREATE INDEX customers_spend_ascending ON customers(spend_units, sort_name, id);
