//! Text folding shared by the search index, its queries and the name sort key.
//!
//! SQLite's unicode61 tokenizer treats a run of Han characters as one word, which would make
//! "小明" unfindable inside "王小明"; folding puts each CJK character in a word of its own, so
//! a word-prefix index also answers substring queries on Chinese names.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower case, accents removed, compatibility forms unified (full-width digits, ligatures).
/// CJK characters are kept whole: decomposing would split hangul into jamo and strip the
/// voicing marks that tell kana apart (が is not か).
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(is_cjk) {
        fold_latin_and_others(&rest[..start], &mut folded);
        let cjk_len = rest[start..].find(|ch: char| !is_cjk(ch)).unwrap_or(rest.len() - start);
        folded.push_str(&rest[start..start + cjk_len]);
        rest = &rest[start + cjk_len..];
    }
    fold_latin_and_others(rest, &mut folded);
    folded
}

fn fold_latin_and_others(text: &str, folded: &mut String) {
    for ch in text.nfkd().filter(|ch| !is_combining_mark(*ch)) {
        match ch {
            'ß' => folded.push_str("ss"),
            'ø' | 'Ø' => folded.push('o'),
            'ł' | 'Ł' => folded.push('l'),
            'đ' | 'Đ' => folded.push('d'),
            'æ' | 'Æ' => folded.push_str("ae"),
            'œ' | 'Œ' => folded.push_str("oe"),
            _ => folded.extend(ch.to_lowercase()),
        }
    }
}

/// Han, kana and hangul: scripts written without spaces between words.
pub fn is_cjk(ch: char) -> bool {
    matches!(ch as u32,
        0x3040..=0x30FF      // hiragana, katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xAC00..=0xD7AF    // hangul syllables
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0x20000..=0x3134F) // CJK extensions B to G
}

/// Splits folded text into index words: runs of letters and digits, each CJK character alone.
pub fn words(folded: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = None;
    for (index, ch) in folded.char_indices() {
        if is_cjk(ch) {
            if let Some(begin) = start.take() {
                words.push(&folded[begin..index]);
            }
            words.push(&folded[index..index + ch.len_utf8()]);
        } else if ch.is_alphanumeric() {
            start.get_or_insert(index);
        } else if let Some(begin) = start.take() {
            words.push(&folded[begin..index]);
        }
    }
    if let Some(begin) = start {
        words.push(&folded[begin..]);
    }
    words
}

/// The key the customer list sorts names by: folded, words joined by single spaces.
pub fn sort_key(name: &str) -> String {
    words(&fold(name)).join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_and_case() {
        assert_eq!(fold("Zoë MÜLLER-Łukasz Ørsted Straße"), "zoe muller-lukasz orsted strasse");
        assert_eq!(fold("ＡＢＣ１２３"), "abc123");
    }

    #[test]
    fn splits_cjk_characters_into_words() {
        assert_eq!(
            words(&fold("王小明 (Ming) li.wang@x.cn")),
            ["王", "小", "明", "ming", "li", "wang", "x", "cn"]
        );
    }

    #[test]
    fn keeps_hangul_and_kana_whole() {
        assert_eq!(fold("김민수 がっこう"), "김민수 がっこう");
        assert_eq!(words(&fold("김민수")), ["김", "민", "수"]);
    }

    #[test]
    fn sort_key_ignores_punctuation_and_accents() {
        assert_eq!(sort_key("  Émile   d'Orléans "), "emile d orleans");
    }
}
