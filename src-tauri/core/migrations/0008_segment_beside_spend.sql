-- Loupe's book, version 8: each customer's segment kept on the customer row too, beside the
-- spend and the name, so that the list filtered by a segment walks one index in the order it
-- shows (a segment of 35,000 prospects sorted by spend reads a hundred index entries, not
-- 35,000 rows). `customer_standing` stays the segment's source: these triggers copy it on every
-- write, whichever code writes it; nothing else writes this column.
ALTER TABLE customers ADD COLUMN segment TEXT;
UPDATE customers SET segment = (SELECT segment FROM customer_standing s WHERE s.customer_id = customers.id);
CREATE INDEX customers_segment_spend ON customers(segment, spend_units DESC, sort_name, id);

CREATE TRIGGER customer_standing_segment_added AFTER INSERT ON customer_standing
BEGIN
    UPDATE customers SET segment = NEW.segment WHERE id = NEW.customer_id;
END;

CREATE TRIGGER customer_standing_segment_moved AFTER UPDATE OF segment ON customer_standing
WHEN NEW.segment IS NOT OLD.segment
BEGIN
    UPDATE customers SET segment = NEW.segment WHERE id = NEW.customer_id;
END;
