//! A calendar date whose year may be unknown: birthdays are often given as "17 May".
//!
//! Written as ISO 8601 `YYYY-MM-DD`, or `--MM-DD` (the vCard/ISO form for a date without a
//! year) when the year is unknown, both in SQLite and on the wire.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, TS)]
#[ts(type = "string")]
pub struct PartialDate {
    year: Option<i32>,
    month: u32,
    day: u32,
}

impl PartialDate {
    pub fn new(year: Option<i32>, month: u32, day: u32) -> Result<Self, String> {
        // 2000 is a leap year, so 29 February is valid without a year.
        let check_year = year.unwrap_or(2000);
        if !(1..=9999).contains(&check_year) {
            return Err(format!("year {check_year} is out of range"));
        }
        NaiveDate::from_ymd_opt(check_year, month, day)
            .ok_or_else(|| format!("{:02}-{:02} is not a calendar date", month, day))?;
        Ok(PartialDate { year, month, day })
    }

    pub fn year(&self) -> Option<i32> {
        self.year
    }
    pub fn month(&self) -> u32 {
        self.month
    }
    pub fn day(&self) -> u32 {
        self.day
    }
}

impl From<NaiveDate> for PartialDate {
    fn from(date: NaiveDate) -> Self {
        use chrono::Datelike;
        PartialDate { year: Some(date.year()), month: date.month(), day: date.day() }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.year {
            Some(year) => write!(f, "{year:04}-{:02}-{:02}", self.month, self.day),
            None => write!(f, "--{:02}-{:02}", self.month, self.day),
        }
    }
}

impl FromStr for PartialDate {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let invalid = || format!("'{text}' is not a date (use YYYY-MM-DD, or --MM-DD without a year)");
        let number = |part: &str| part.parse::<u32>().map_err(|_| invalid());
        if let Some(month_day) = text.strip_prefix("--") {
            let (month, day) = month_day.split_once('-').ok_or_else(invalid)?;
            return PartialDate::new(None, number(month)?, number(day)?);
        }
        let mut parts = text.splitn(3, '-');
        let (Some(year), Some(month), Some(day)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(invalid());
        };
        if year.len() != 4 {
            return Err(invalid());
        }
        let year = year.parse::<i32>().map_err(|_| invalid())?;
        PartialDate::new(Some(year), number(month)?, number(day)?)
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_with_and_without_year() {
        for text in ["1980-05-17", "--05-17", "--02-29", "2024-02-29"] {
            let date: PartialDate = text.parse().expect("valid");
            assert_eq!(date.to_string(), text);
        }
    }

    #[test]
    fn rejects_impossible_dates() {
        for text in ["2023-02-29", "--13-01", "--04-31", "17/05/1980", "", "1980-5", "-05-17"] {
            assert!(text.parse::<PartialDate>().is_err(), "{text} should be rejected");
        }
    }
}
