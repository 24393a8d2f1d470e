//! Amounts as dealers type them: "9,150", "£9,150", "9 150", "9150.00", and in a German or
//! Swiss book "9.150,00" and "9'150". The window reads them the same way (`ui/src/lib/money.ts`);
//! `tests/fixtures/amounts.json` holds the cases both test suites check.
//!
//! Spaces and apostrophes only ever group thousands. When a comma and a point both appear, the
//! last one is the decimal mark. A single mark followed by exactly three digits is read as the
//! book's region writes it ("9,150" is 9150 in a British book and 9.150 in a German one); any
//! other single mark is the decimal mark. Groups of digits must come in threes, so "12,34,567"
//! is refused rather than guessed at. No library reads amounts this way: ICU's number parsing
//! needs one locale and refuses the other styles a dealer's spreadsheet exports.

use std::str::FromStr;

use rust_decimal::Decimal;

use crate::problem::Problem;

/// Regions that write a decimal comma ("9,15"); the others write a decimal point.
const DECIMAL_COMMA_REGIONS: &[&str] = &[
    "AT", "BE", "BR", "CZ", "DE", "DK", "ES", "FI", "FR", "ID", "IT", "NL", "NO", "PL", "PT", "RU", "SE",
    "TR",
];

/// Currency signs and codes a dealer may type before or after the digits.
const CURRENCY_MARKS: &[&str] = &[
    "HK$", "US$", "S$", "CHF", "Fr.", "GBP", "EUR", "USD", "HKD", "CNY", "RMB", "JPY", "SGD", "AED", "£",
    "$", "€", "¥", "￥",
];

/// Characters that only ever group thousands.
const GROUP_SPACES: &[char] = &[' ', '\u{a0}', '\u{202f}', '\'', '’'];

fn strip_currency(mut text: &str) -> &str {
    loop {
        let trimmed = text.trim();
        let stripped = CURRENCY_MARKS
            .iter()
            .find_map(|mark| trimmed.strip_prefix(mark).or_else(|| trimmed.strip_suffix(mark)));
        match stripped {
            Some(rest) => text = rest,
            None => return trimmed,
        }
    }
}

/// The amount `text` stands for, read as a book in `region` writes amounts (None: the English
/// way, a decimal point, as the command line reads them).
pub fn read_amount(text: &str, region: Option<&str>) -> Result<Decimal, Problem> {
    let not_an_amount = || Problem::NotAnAmount { value: text.to_string() };
    let body = strip_currency(text);
    let (negative, body) = match body.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, body),
    };
    if !body.chars().any(|c| c.is_ascii_digit())
        || body.chars().any(|c| !c.is_ascii_digit() && c != ',' && c != '.' && !GROUP_SPACES.contains(&c))
    {
        return Err(not_an_amount());
    }
    let region_mark =
        if region.is_some_and(|region| DECIMAL_COMMA_REGIONS.contains(&region)) { ',' } else { '.' };
    let last_comma = body.rfind(',');
    let last_point = body.rfind('.');
    let decimal_at = match (last_comma, last_point) {
        (Some(comma), Some(point)) => Some(comma.max(point)),
        (None, None) => None,
        (Some(at), None) | (None, Some(at)) => {
            let mark = body[at..].chars().next().unwrap_or('.');
            let once = body.matches(mark).count() == 1;
            let digits_after = body[at + 1..].chars().filter(char::is_ascii_digit).count();
            let only_digits_after = body[at + 1..].chars().all(|c| c.is_ascii_digit());
            match (once, digits_after == 3 && only_digits_after) {
                (false, _) => None,
                (true, true) => (mark == region_mark).then_some(at),
                (true, false) => Some(at),
            }
        }
    };
    let (whole, fraction) = match decimal_at {
        Some(at) => (&body[..at], &body[at + 1..]),
        None => (body, ""),
    };
    if !fraction.chars().all(|c| c.is_ascii_digit()) {
        return Err(not_an_amount());
    }
    let decimal_mark = decimal_at.and_then(|at| body[at..].chars().next());
    if decimal_mark.is_some_and(|mark| whole.contains(mark)) {
        return Err(not_an_amount());
    }
    let groups: Vec<&str> =
        whole.split(|c: char| c == ',' || c == '.' || GROUP_SPACES.contains(&c)).collect();
    let grouped_in_threes = groups.len() == 1
        || (matches!(groups[0].len(), 1..=3) && groups[1..].iter().all(|group| group.len() == 3));
    if !grouped_in_threes || groups.iter().any(|group| !group.chars().all(|c| c.is_ascii_digit())) {
        return Err(Problem::AmountGroups { value: text.to_string() });
    }
    let digits: String = groups.concat();
    let canonical = format!(
        "{}{}{}",
        if negative { "-" } else { "" },
        if digits.is_empty() { "0" } else { &digits },
        if fraction.is_empty() { String::new() } else { format!(".{fraction}") }
    );
    Decimal::from_str(&canonical).map_err(|_| not_an_amount())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Cases {
        cases: Vec<Case>,
    }

    #[derive(serde::Deserialize)]
    struct Case {
        text: String,
        region: Option<String>,
        amount: Option<String>,
    }

    #[test]
    fn amounts_are_read_as_dealers_type_them_the_cases_the_window_shares() {
        let cases: Cases =
            serde_json::from_str(include_str!("../../../tests/fixtures/amounts.json")).expect("the cases");
        assert!(cases.cases.len() > 30);
        for case in cases.cases {
            let read = read_amount(&case.text, case.region.as_deref()).ok().map(|amount| amount.to_string());
            assert_eq!(read, case.amount, "{:?} in {:?}", case.text, case.region);
        }
    }

    #[test]
    fn a_refusal_says_why() {
        assert_eq!(
            read_amount("12,34,567", Some("GB")),
            Err(Problem::AmountGroups { value: "12,34,567".into() })
        );
        assert_eq!(read_amount("nine", Some("GB")), Err(Problem::NotAnAmount { value: "nine".into() }));
    }
}
