-- Loupe's book, version 18: indexes that let the customer list filtered by a segment, a value
-- class, a tier or a type read no customer row, whatever the order (customers.rs,
-- `page_query`).

-- The membership's tier index holds each member's rank beside the tier, so that the ranks a
-- filter's tiers have are read from the index alone.
DROP INDEX customer_membership_tier;
CREATE INDEX customer_membership_tier ON customer_membership(tier, tier_rank);

-- The segment, value class and tier orders' indexes (one of each pair) hold every column the
-- orders that follow the sales sort by (segment, value class, RFM, last purchase, tier), so that
-- the members of a few segments, classes or tiers are read from their range of it and sorted
-- there in any of those orders, without reading a customer row: gold members by segment, not
-- walked past every prospect first.
DROP INDEX customers_segment_order;
CREATE INDEX customers_segment_order ON customers(
    CASE segment WHEN 'vip' THEN 0 WHEN 'new' THEN 1 WHEN 'regular' THEN 2 WHEN 'at_risk' THEN 3
        WHEN 'lapsed' THEN 4 ELSE 5 END, spend_units DESC, sort_name, id, segment,
    value_class, window_units, rfm_score, last_purchase_on, tier_rank);
DROP INDEX customers_value_class_order;
CREATE INDEX customers_value_class_order ON customers(
    CASE value_class WHEN 'key' THEN 0 WHEN 'main' THEN 1 WHEN 'ordinary' THEN 2 ELSE 3 END,
    window_units DESC, sort_name, id, segment, spend_units, rfm_score, last_purchase_on, tier_rank);
DROP INDEX customers_tier_order;
CREATE INDEX customers_tier_order ON customers(tier_rank IS NULL, tier_rank DESC, spend_units DESC,
    sort_name, id, segment, value_class, window_units, rfm_score, last_purchase_on);

-- The other two hold the tier rank, for a tier too big to gather, walked past every prospect
-- (who sort first in them) without reading a customer row.
DROP INDEX customers_segment_order_ascending;
CREATE INDEX customers_segment_order_ascending ON customers(
    CASE segment WHEN 'vip' THEN 0 WHEN 'new' THEN 1 WHEN 'regular' THEN 2 WHEN 'at_risk' THEN 3
        WHEN 'lapsed' THEN 4 ELSE 5 END DESC, spend_units, sort_name, id, segment, tier_rank);
DROP INDEX customers_value_class_order_ascending;
CREATE INDEX customers_value_class_order_ascending ON customers(
    CASE value_class WHEN 'key' THEN 0 WHEN 'main' THEN 1 WHEN 'ordinary' THEN 2 ELSE 3 END DESC,
    window_units, sort_name, id, segment, tier_rank);

-- The company orders' indexes hold the customer's type, so that a type's customers are found
-- along them without reading a customer row (retail customers, mostly with no company, come
-- after every company).
DROP INDEX customers_company_order;
CREATE INDEX customers_company_order ON customers(company = '', company COLLATE NOCASE, sort_name, id, customer_type);
DROP INDEX customers_company_order_descending;
CREATE INDEX customers_company_order_descending ON customers(
    company = '', company COLLATE NOCASE DESC, sort_name, id, customer_type);
