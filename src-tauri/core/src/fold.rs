//! Text folding shared by the search index, its queries and the name sort key.
//!
//! SQLite's unicode61 tokenizer treats a run of Han characters as one word, which would make
//! "小明" unfindable inside "王小明"; folding puts each CJK character in a word of its own, so
//! a word-prefix index also answers substring queries on Chinese names.

use pinyin::ToPinyin;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower case, accents removed, compatibility forms unified (full-width digits, ligatures).
/// CJK characters are kept whole: decomposing would split hangul into jamo and strip the
/// voicing marks that tell kana apart (が is not か).
pub fn fold(text: &str) -> String {
    // ASCII has nothing to decompose or strip: lower case is all folding does to it, and most
    // of what is folded (emails, reference and serial numbers, most names) is ASCII.
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
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

/// How a run of Chinese characters among `words` (as `words` splits them, one character a
/// word) is spelled in pinyin without tones, one list of syllables per spelling: every
/// character's usual reading and, when the run's first character (the family name) is read
/// otherwise as a family name, that spelling too (单 is Shan as a family name, Dan elsewhere).
/// A word with no reading (kana, hangul, a Latin word) ends a run; "ü" is written "v", as
/// pinyin keyboards type it.
pub fn pinyin_spellings(words: &[&str]) -> Vec<Vec<String>> {
    let mut spellings = Vec::new();
    let mut run: Vec<(char, &str)> = Vec::new();
    let readings = words.iter().map(|word| {
        let mut chars = word.chars();
        match (chars.next(), chars.next()) {
            (Some(ch), None) => ch.to_pinyin().map(|reading| (ch, reading.plain())),
            _ => None,
        }
    });
    for reading in readings.chain(std::iter::once(None)) {
        match reading {
            Some(reading) => run.push(reading),
            None if !run.is_empty() => {
                let spell = |first: &str| {
                    std::iter::once(first)
                        .chain(run[1..].iter().map(|(_, syllable)| *syllable))
                        .map(|syllable| syllable.replace('ü', "v"))
                        .collect::<Vec<_>>()
                };
                let (family, usual) = run[0];
                spellings.push(spell(usual));
                if let Some(&(_, as_family)) = FAMILY_READINGS.iter().find(|(ch, _)| *ch == family)
                    && as_family != usual
                {
                    spellings.push(spell(as_family));
                }
                run.clear();
            }
            None => {}
        }
    }
    spellings
}

/// Family names read otherwise than their character's usual reading. The pinyin crate reads
/// characters, not names, and lists every reading of a character (王 has a rare "yu"), so
/// indexing them all would find every 王 by "yu"; these are the common family names whose
/// reading differs.
const FAMILY_READINGS: &[(char, &str)] = &[
    ('单', "shan"),
    ('曾', "zeng"),
    ('解', "xie"),
    ('查', "zha"),
    ('仇', "qiu"),
    ('朴', "piao"),
    ('区', "ou"),
    ('盖', "ge"),
    ('乐', "yue"),
    ('覃', "qin"),
    ('缪', "miao"),
    ('翟', "zhai"),
    ('召', "shao"),
    ('种', "chong"),
    ('员', "yun"),
    ('繁', "po"),
    ('尉', "yu"),
    ('秘', "bi"),
    ('柏', "bai"),
    ('藏', "zang"),
];

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
    fn ascii_folds_as_any_other_text() {
        let ascii: String = (0..=127u8).map(char::from).collect();
        let mut folded = String::new();
        fold_latin_and_others(&ascii, &mut folded);
        assert_eq!(fold(&ascii), folded);
        assert_eq!(fold("IW371605 K0010008"), "iw371605 k0010008");
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

    fn spelled(name: &str) -> Vec<String> {
        let folded = fold(name);
        pinyin_spellings(&words(&folded)).iter().map(|syllables| syllables.join(" ")).collect()
    }

    #[test]
    fn chinese_names_are_spelled_in_pinyin() {
        assert_eq!(spelled("王丽"), ["wang li"]);
        assert_eq!(spelled("吕女士"), ["lv nv shi"]);
        // A family name read another way is spelled both ways; elsewhere the usual way only.
        assert_eq!(spelled("单田芳"), ["dan tian fang", "shan tian fang"]);
        assert_eq!(spelled("王单"), ["wang dan"]);
        assert_eq!(spelled("曾"), ["ceng", "zeng"]);
        // Each run of characters on its own; Latin words, kana and hangul have no pinyin.
        assert_eq!(spelled("王小明 (Ming) 李娜"), ["wang xiao ming", "li na"]);
        assert!(spelled("Anna Smith がっこう 김민수").is_empty());
    }

    #[test]
    fn sort_key_ignores_punctuation_and_accents() {
        assert_eq!(sort_key("  Émile   d'Orléans "), "emile d orleans");
    }
}
