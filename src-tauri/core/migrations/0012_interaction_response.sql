-- Loupe's book, version 12: what the customer answered to a contact, recorded by hand (seed 002).
-- A reply, a visit or a purchase answers the campaign the contact names (insights.rs); an
-- unsubscribe is counted apart. NULL: nothing recorded.
ALTER TABLE interactions ADD COLUMN response TEXT
    CHECK (response IN ('replied', 'visited', 'bought', 'unsubscribed'));
