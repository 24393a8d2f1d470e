-- Loupe's book, version 4: an import keeps, beside each merged customer's profile before it,
-- the profile it left, so that undoing it takes back only what nobody changed since (a
-- consent withdrawn after the import stays withdrawn). NULL for imports made before.
ALTER TABLE import_merges ADD COLUMN after_json TEXT;
