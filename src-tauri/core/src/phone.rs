//! Phone numbers: kept as typed, and as E.164 through libphonenumber's metadata (the
//! `phonenumber` crate), with the book's default region for national numbers.

use std::sync::{LazyLock, Mutex, Once};

use phonenumber::{Mode, country};
use rustc_hash::FxHashMap;

use crate::problem::Problem;

/// A number the dealer typed, understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedPhone {
    pub e164: String,
    /// Digits of the national form with its trunk prefix ("07911123456"), for search.
    pub national_digits: String,
}

/// phonenumber compiles its metadata's regular expressions lazily into an LRU cache of only
/// 100 entries; numbers from a dozen countries (any demo book or visitor log) thrash it and
/// every parse recompiles regexes (about 3 ms each). A larger cache keeps each compiled once.
fn enlarge_regex_cache() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if let Ok(mut cache) = phonenumber::metadata::DATABASE.cache().lock() {
            *cache = regex_cache::RegexCache::new(REGEX_CACHE_CAPACITY);
        }
    });
}

/// Enough for the patterns of every region a book is likely to see.
const REGEX_CACHE_CAPACITY: usize = 4096;

/// Parses `typed` as a phone number; national numbers are read in `region` (ISO 3166 alpha-2).
pub fn parse(typed: &str, region: &str) -> Result<ParsedPhone, Problem> {
    // Reading one takes about 30 µs, most of it in phonenumber's regular expression cache, one
    // lock for every thread; and the same numbers come back: a profile's on each save, a file
    // row's when the import merges it (its reading thread read them first).
    static PARSED: LazyLock<Mutex<RegionMemo<Result<ParsedPhone, Problem>>>> =
        LazyLock::new(Default::default);
    RegionMemo::get_or_work_out(&PARSED, typed, region, || parse_uncached(typed, region))
}

/// Answers worked out for a text in one region, 20,000 at most (about 2 MB), then it starts
/// again: a region changed starts again too.
struct RegionMemo<T> {
    region: String,
    by_text: FxHashMap<String, T>,
}

impl<T> Default for RegionMemo<T> {
    fn default() -> Self {
        RegionMemo { region: String::new(), by_text: FxHashMap::default() }
    }
}

impl<T: Clone> RegionMemo<T> {
    const CAPACITY: usize = 20_000;

    fn get_or_work_out(memo: &Mutex<Self>, text: &str, region: &str, work_out: impl FnOnce() -> T) -> T {
        if let Ok(mut memo) = memo.lock() {
            if memo.region != region || memo.by_text.len() >= Self::CAPACITY {
                memo.region = region.to_string();
                memo.by_text.clear();
            }
            if let Some(known) = memo.by_text.get(text) {
                return known.clone();
            }
        }
        // Not held while working: an import's reading and writing threads parse at once.
        let answer = work_out();
        if let Ok(mut memo) = memo.lock()
            && memo.region == region
        {
            memo.by_text.insert(text.to_string(), answer.clone());
        }
        answer
    }
}

fn parse_uncached(typed: &str, region: &str) -> Result<ParsedPhone, Problem> {
    enlarge_regex_cache();
    let cleaned = clean(typed);
    if cleaned.chars().filter(char::is_ascii_digit).count() < 3 {
        return Err(Problem::NotAPhone { value: typed.to_string() });
    }
    let region_id: Option<country::Id> = region.trim().to_ascii_uppercase().parse().ok();
    let number = phonenumber::parse(region_id, &cleaned)
        .map_err(|_| Problem::NotAPhone { value: typed.to_string() })?;
    if !phonenumber::is_valid(&number) {
        return Err(match region_id {
            Some(_) if !cleaned.starts_with('+') => {
                Problem::PhoneNotInRegion { value: typed.to_string(), region: region.to_ascii_uppercase() }
            }
            _ => Problem::NotAPhone { value: typed.to_string() },
        });
    }
    let e164 = number.format().mode(Mode::E164).to_string();
    let national_digits = digits(&number.format().mode(Mode::National).to_string());
    Ok(ParsedPhone { e164, national_digits })
}

/// A stored number as the book's lists show it: national format for a number of the book's
/// `region`'s calling code ("07400 997207"), international otherwise ("+41 44 668 18 00"), so every row reads
/// one way whatever was typed. `stored` is the E.164 form, or the typed text when the number
/// was never verified: that is shown as it is.
pub fn for_display(stored: &str, region: &str) -> String {
    // Parsing, validating and formatting a number through the metadata's patterns takes about
    // 20 µs, a fifth of a search's time, and a list or the search box shows the same customers
    // keystroke after keystroke.
    static SHOWN: LazyLock<Mutex<RegionMemo<String>>> = LazyLock::new(Default::default);
    RegionMemo::get_or_work_out(&SHOWN, stored, region, || format_for_display(stored, region))
}

fn format_for_display(stored: &str, region: &str) -> String {
    enlarge_regex_cache();
    let Some(number) = stored
        .starts_with('+')
        .then(|| phonenumber::parse(None, stored).ok())
        .flatten()
        .filter(phonenumber::is_valid)
    else {
        return stored.to_string();
    };
    // Home is the region's calling code: a Jersey number in a British book is dialled as 07797…
    let home_code = phonenumber::metadata::DATABASE
        .by_id(region.trim().to_ascii_uppercase().as_str())
        .map(|metadata| metadata.country_code());
    let home = home_code == Some(number.country().code());
    let mode = if home { Mode::National } else { Mode::International };
    number.format().mode(mode).to_string()
}

/// Removes what people add around numbers: a leading apostrophe (Excel), "(0)" after the
/// country code, and turns an international "00" prefix into "+".
pub fn clean(typed: &str) -> String {
    let mut text = typed.trim().trim_start_matches('\'').replace("(0)", "");
    if let Some(rest) = text.strip_prefix("00") {
        text = format!("+{rest}");
    }
    text
}

pub fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// Whether a search query looks like (part of) a phone number rather than words.
pub fn looks_like_phone(query: &str) -> bool {
    let query = query.trim();
    query.chars().filter(char::is_ascii_digit).count() >= 3
        && query.chars().all(|ch| ch.is_ascii_digit() || " +-().'/".contains(ch))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_read_before_in_another_region_is_read_anew() {
        for _ in 0..2 {
            assert_eq!(parse("020 7946 0018", "GB").map(|parsed| parsed.e164), Ok("+442079460018".into()));
            assert_eq!(
                parse("020 7946 0018", "US"),
                Err(Problem::PhoneNotInRegion { value: "020 7946 0018".into(), region: "US".into() })
            );
        }
    }

    #[test]
    fn national_and_international_forms_agree() {
        let forms = ["07911 123456", "+44 7911 123456", "0044 (0)7911-123-456", "'+447911123456"];
        for typed in forms {
            let parsed = parse(typed, "GB").expect(typed);
            assert_eq!(parsed.e164, "+447911123456", "{typed}");
            assert_eq!(parsed.national_digits, "07911123456");
        }
    }

    #[test]
    fn region_decides_national_numbers() {
        assert_eq!(parse("044 668 18 00", "CH").expect("swiss").e164, "+41446681800");
        assert_eq!(parse("138 0013 8000", "CN").expect("chinese mobile").e164, "+8613800138000");
    }

    #[test]
    fn numbers_display_nationally_at_home_and_internationally_abroad() {
        assert_eq!(for_display("+447911123456", "GB"), "07911 123456");
        assert_eq!(for_display("+447911123456", "gb "), "07911 123456");
        assert_eq!(for_display("+41446681800", "GB"), "+41 44 668 18 00");
        assert_eq!(for_display("+41446681800", "CH"), "044 668 18 00");
        // A number kept unverified (an import's typo) is shown as it was typed.
        assert_eq!(for_display("0044 12", "GB"), "0044 12");
        assert_eq!(for_display("+44 12", "GB"), "+44 12");
    }

    #[test]
    fn a_number_shown_before_follows_the_region_when_the_book_changes_it() {
        for _ in 0..2 {
            assert_eq!(for_display("+41446681800", "CH"), "044 668 18 00");
        }
        assert_eq!(for_display("+41446681800", "GB"), "+41 44 668 18 00");
        assert_eq!(for_display("+41446681800", "CH"), "044 668 18 00");
    }

    #[test]
    fn rejects_what_is_not_a_number() {
        for typed in ["", "12", "call me", "+44 12"] {
            assert!(parse(typed, "GB").is_err(), "{typed}");
        }
    }

    #[test]
    fn recognises_phone_like_queries() {
        assert!(looks_like_phone("7700 900"));
        assert!(looks_like_phone("+44 (0)20"));
        assert!(!looks_like_phone("12"));
        assert!(!looks_like_phone("flat 12b"));
    }
}
