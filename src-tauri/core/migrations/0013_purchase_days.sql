-- Loupe's book, version 13: the days insights read without walking every sale (insights.rs).
--
-- Each customer's first and second purchase, kept on the customer row beside the last one and
-- the count (purchases.rs, `refresh_customer_spend`): whether someone had bought, or bought
-- twice, by any day is a comparison with these, so a period's new, returning and repeat
-- customers need only the period's own sales. Whatever the currency, like the count.
ALTER TABLE customers ADD COLUMN first_purchase_on TEXT;
ALTER TABLE customers ADD COLUMN second_purchase_on TEXT;
UPDATE customers SET
    first_purchase_on = (SELECT min(p.purchased_on) FROM purchases p WHERE p.customer_id = customers.id),
    second_purchase_on = (SELECT p.purchased_on FROM purchases p WHERE p.customer_id = customers.id
                          ORDER BY p.purchased_on LIMIT 1 OFFSET 1);
CREATE INDEX customers_purchase_days
    ON customers(first_purchase_on, second_purchase_on, last_purchase_on)
    WHERE first_purchase_on IS NOT NULL;

-- A period's sales by their day, with what insights add up, read from the index alone.
DROP INDEX purchases_date;
CREATE INDEX purchases_date ON purchases(purchased_on, customer_id, currency, total_units);

-- A period's satisfaction scores by their day.
CREATE INDEX satisfaction_scores_day ON satisfaction_scores(scored_on);

-- A sale's pieces in their order, with what insights add up by brand and category, read from the
-- index alone.
DROP INDEX purchase_items_purchase;
CREATE INDEX purchase_items_purchase ON purchase_items(purchase_id, position, category, brand, price, discount);
