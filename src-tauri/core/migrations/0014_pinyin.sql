-- Loupe's book, version 14: Chinese names are found by their pinyin ("wang li", "wangli", "wl"
-- for 王丽). The search documents are written in Rust (search.rs, `name_words`), so the
-- migration's hook rewrites the name of every document whose name holds Chinese characters;
-- the schema itself does not change.
SELECT 1;
