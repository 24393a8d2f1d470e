//! Understanding the values of a contacts file: dates in any of the usual orders (decided per
//! column from the evidence), Excel serial dates, year-less birthdays, several values in one
//! cell, consent flags, and full names split where the culture splits them.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::PartialDate;
use crate::model::ConsentStatus;
use crate::problem::Problem;

/// How a column writes its day and month when both are numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// 17/05/1990, as in Britain, Europe and most of the world.
    DayFirst,
    /// 05/17/1990, as in the United States.
    MonthFirst,
}

/// What a column's values say about their order: how many can only be day-first, how many
/// only month-first, and how many read differently in the two orders ("03/04").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateEvidence {
    pub day_first: u32,
    pub month_first: u32,
    pub either: u32,
}

impl DateEvidence {
    pub fn add(&mut self, value: &str) {
        if let Some((first, second, _)) = numeric_parts(value) {
            if first > 12 && second <= 12 {
                self.day_first += 1;
            } else if second > 12 && first <= 12 {
                self.month_first += 1;
            } else if first != second {
                self.either += 1;
            }
        }
    }

    /// Whether any value reads differently day-first and month-first: a column of ISO dates,
    /// Excel's date cells or vCard birthdays ("1990-05-17", "--05-17") never does, so nobody
    /// is asked about it.
    pub fn order_matters(self) -> bool {
        self.day_first + self.month_first + self.either > 0
    }

    /// The order the values show, or None when nothing tells (every day was 12 or less).
    pub fn order(self) -> Option<DateOrder> {
        match (self.day_first, self.month_first) {
            (0, 0) => None,
            (day, month) if day >= month => Some(DateOrder::DayFirst),
            _ => Some(DateOrder::MonthFirst),
        }
    }
}

/// "17/05/1990", "5-17-90", "17.05." as (first, second, year) numbers; None for other shapes.
fn numeric_parts(value: &str) -> Option<(u32, u32, Option<i32>)> {
    let value = value.trim().trim_end_matches('.');
    let parts: Vec<&str> = value.split(['/', '.', '-']).collect();
    if !(2..=3).contains(&parts.len()) || parts[0].len() > 2 || parts[1].len() > 2 {
        return None;
    }
    let first = parts[0].parse().ok()?;
    let second = parts[1].parse().ok()?;
    let year = match parts.get(2) {
        None => None,
        Some(year) if year.len() == 4 => Some(year.parse().ok()?),
        Some(year) if year.len() == 2 => Some(two_digit_year(year.parse().ok()?)),
        Some(_) => return None,
    };
    Some((first, second, year))
}

/// A birthday written "63" is 1963; "05" is 2005 (people are not born in the future).
fn two_digit_year(year: i32) -> i32 {
    let this_year = crate::clock::today().year() % 100;
    if year > this_year { 1900 + year } else { 2000 + year }
}

/// Reads a date (or a year-less birthday) as people and programs write them: ISO
/// (`1990-05-17`, with a time after it or not), `--05-17`, `17/05/1990` or `05/17/1990` in
/// `order`, `17.05.1990`, `1990年5月17日`, `5月17日`, an Excel serial number, or a month and
/// day alone (Mailchimp's birthdays, in `order`). Empty is None; anything else an error.
pub fn parse_date(value: &str, order: DateOrder) -> Result<Option<PartialDate>, Problem> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let invalid = || Problem::NotADate { value: value.to_string() };
    if let Ok(date) = value.parse::<PartialDate>() {
        return Ok(Some(date));
    }
    // ISO with a time, or with slashes: 1990-05-17T00:00:00, 1990/05/17.
    let head = value.split(['T', ' ']).next().unwrap_or(value);
    if let Ok(date) =
        NaiveDate::parse_from_str(head, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(head, "%Y/%m/%d"))
    {
        return Ok(Some(PartialDate::from(date)));
    }
    if let Some(date) = chinese_date(value) {
        return date.map(Some).ok_or_else(invalid);
    }
    if !value.is_empty() && value.len() <= 5 && value.chars().all(|ch| ch.is_ascii_digit()) {
        let serial: i64 = value.parse().map_err(|_| invalid())?;
        // Excel counts days from 1899-12-30 (its 1900 leap-year bug included).
        let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).ok_or_else(invalid)?;
        return match epoch.checked_add_signed(Duration::days(serial)) {
            Some(date) if serial > 0 && date.year() <= 2100 => Ok(Some(PartialDate::from(date))),
            _ => Err(invalid()),
        };
    }
    let (first, second, year) = numeric_parts(value).ok_or_else(invalid)?;
    let (day, month) = match order {
        DateOrder::DayFirst => (first, second),
        DateOrder::MonthFirst => (second, first),
    };
    PartialDate::new(year, month, day)
        .map(Some)
        .map_err(|_| Problem::NotADateInOrder { value: value.to_string(), order })
}

/// `1990年5月17日` or `5月17日`; None when the value has no 月.
fn chinese_date(value: &str) -> Option<Option<PartialDate>> {
    let (before, after) = value.split_once('月')?;
    let day: u32 = after.trim_end_matches(['日', '号']).trim().parse().ok()?;
    let (year, month) = match before.split_once('年') {
        Some((year, month)) => (Some(year.trim().parse().ok()?), month),
        None => (None, before),
    };
    Some(PartialDate::new(year, month.trim().parse().ok()?, day).ok())
}

/// The values of one cell: Google's " ::: " always separates values; for emails and phones,
/// so do ";", "," (emails) and " / " (phones).
pub fn split_values(value: &str, separators: &[&str]) -> Vec<String> {
    let mut parts = vec![value.to_string()];
    for separator in std::iter::once(&" ::: ").chain(separators) {
        parts = parts
            .iter()
            .flat_map(|part| part.split(separator).map(str::to_string).collect::<Vec<_>>())
            .collect();
    }
    parts.into_iter().map(|part| part.trim().to_string()).filter(|part| !part.is_empty()).collect()
}

/// An explicit answer to marketing: yes/no, true/false, 1/0, subscribed, opted in … in
/// English, German, French and Chinese. Empty is no answer; anything else an error.
pub fn parse_consent(value: &str) -> Result<Option<ConsentStatus>, Problem> {
    let folded = crate::fold::fold(value.trim());
    let folded = folded.replace(['-', '_'], " ");
    Ok(match folded.trim() {
        "" => None,
        "yes" | "y" | "true" | "1" | "x" | "subscribed" | "opted in" | "opt in" | "optin" | "ja" | "oui"
        | "是" | "同意" | "订阅" | "已订阅" => Some(ConsentStatus::OptedIn),
        "no" | "n" | "false" | "0" | "unsubscribed" | "opted out" | "opt out" | "optout" | "nein" | "non"
        | "否" | "不同意" | "退订" | "未订阅" | "已退订" => Some(ConsentStatus::OptedOut),
        _ => return Err(Problem::NotYesOrNo { value: value.trim().to_string() }),
    })
}

/// Chinese compound family names; every other Chinese name has a one-character family name.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯",
    "令狐", "端木", "西门", "南宫", "独孤",
];

/// A full name as (given, family), split where the culture splits names: "Family, Given";
/// "Given Family" on the last space; a Chinese name after its family name (王小明: 王 and
/// 小明). Names it cannot split (one word, Japanese) come back unsplit, as None.
pub fn split_name(full: &str) -> Option<(String, String)> {
    let full = full.trim();
    if let Some((family, given)) = full.split_once(',') {
        let (family, given) = (family.trim(), given.trim());
        return (!family.is_empty() && !given.is_empty()).then(|| (given.to_string(), family.to_string()));
    }
    let chars: Vec<char> = full.chars().collect();
    let han = |ch: &char| ('\u{4e00}'..='\u{9fff}').contains(ch) || ('\u{3400}'..='\u{4dbf}').contains(ch);
    if (2..=4).contains(&chars.len()) && chars.iter().all(han) {
        let family_len =
            if COMPOUND_SURNAMES.iter().any(|surname| full.starts_with(surname)) && chars.len() > 2 {
                2
            } else {
                1
            };
        let family: String = chars[..family_len].iter().collect();
        let given: String = chars[family_len..].iter().collect();
        return Some((given, family));
    }
    if chars.iter().any(|ch| han(ch) || ('\u{3040}'..='\u{30ff}').contains(ch)) {
        return None;
    }
    let (given, family) = full.rsplit_once(' ')?;
    Some((given.trim().to_string(), family.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(value: &str, order: DateOrder) -> String {
        parse_date(value, order)
            .map(|date| date.map(|date| date.to_string()).unwrap_or_default())
            .unwrap_or_else(|problem| problem.to_string())
    }

    #[test]
    fn dates_in_every_usual_form() {
        use DateOrder::*;
        for (value, order, expected) in [
            ("1990-05-17", DayFirst, "1990-05-17"),
            ("1990-05-17T00:00:00Z", DayFirst, "1990-05-17"),
            ("1990/05/17", MonthFirst, "1990-05-17"),
            ("17/05/1990", DayFirst, "1990-05-17"),
            ("05/17/1990", MonthFirst, "1990-05-17"),
            ("17.05.1990", DayFirst, "1990-05-17"),
            ("17-5-63", DayFirst, "1963-05-17"),
            ("--05-17", MonthFirst, "--05-17"),
            ("05/17", MonthFirst, "--05-17"),
            ("17.05.", DayFirst, "--05-17"),
            ("1990年5月17日", DayFirst, "1990-05-17"),
            ("5月17日", DayFirst, "--05-17"),
            ("33010", DayFirst, "1990-05-17"),
            ("", DayFirst, ""),
        ] {
            assert_eq!(date(value, order), expected, "{value}");
        }
        assert!(date("05/17/1990", DayFirst).contains("day/month/year"));
        assert!(date("31/02/1990", DayFirst).contains("not a date"));
        assert!(date("soon", DayFirst).contains("not a date"));
    }

    #[test]
    fn evidence_decides_the_order() {
        let mut evidence = DateEvidence::default();
        for value in ["01/02/1990", "03/04/1985"] {
            evidence.add(value);
        }
        assert_eq!(evidence.order(), None, "ambiguous");
        assert!(evidence.order_matters());
        evidence.add("25/12/1970");
        assert_eq!(evidence.order(), Some(DateOrder::DayFirst));
        let mut evidence = DateEvidence::default();
        evidence.add("12/25/1970");
        assert_eq!(evidence.order(), Some(DateOrder::MonthFirst));
        let mut evidence = DateEvidence::default();
        for value in ["1990-05-17", "--05-17", "05/05/1990", "1990年5月17日", ""] {
            evidence.add(value);
        }
        assert!(!evidence.order_matters(), "no value reads two ways");
    }

    #[test]
    fn cells_with_several_values_and_consent_flags() {
        assert_eq!(split_values("a@x.com ::: b@y.com", &[";", ","]), ["a@x.com", "b@y.com"]);
        assert_eq!(split_values("a@x.com; b@y.com", &[";", ","]), ["a@x.com", "b@y.com"]);
        assert_eq!(
            split_values("+44 20 7123 4567 / 07911 123456", &[";", " / "]),
            ["+44 20 7123 4567", "07911 123456"]
        );
        for (value, expected) in [
            ("yes", Some(ConsentStatus::OptedIn)),
            ("TRUE", Some(ConsentStatus::OptedIn)),
            ("subscribed", Some(ConsentStatus::OptedIn)),
            ("是", Some(ConsentStatus::OptedIn)),
            ("0", Some(ConsentStatus::OptedOut)),
            ("Opted-Out", Some(ConsentStatus::OptedOut)),
            (" ", None),
        ] {
            assert_eq!(parse_consent(value), Ok(expected), "{value}");
        }
        assert!(parse_consent("maybe").is_err());
    }

    #[test]
    fn names_split_where_the_culture_splits_them() {
        let split = |name: &str| split_name(name).map(|(given, family)| format!("{given}|{family}"));
        assert_eq!(split("Anna Maria Smith").as_deref(), Some("Anna Maria|Smith"));
        assert_eq!(split("Smith, Anna").as_deref(), Some("Anna|Smith"));
        assert_eq!(split("王小明").as_deref(), Some("小明|王"));
        assert_eq!(split("欧阳娜娜").as_deref(), Some("娜娜|欧阳"));
        assert_eq!(split("Madonna"), None);
        assert_eq!(split("さくら"), None);
    }
}
