//! The one clock of the book: every "today" (a new entry's date, a two-digit year in an
//! imported file, and the standing, agenda and insights built on them) and every "now" (when a
//! row was written, a backup made) is read here, so a test or a demo can fix the day.

use std::sync::LazyLock;

use chrono::{DateTime, Local, NaiveDate, Utc};

use crate::{Error, Result};

/// Set to `YYYY-MM-DD` to make that day "today" (tests, demos, screenshots).
pub const TODAY_VARIABLE: &str = "LOUPE_TODAY";

static TODAY_OVERRIDE: LazyLock<std::result::Result<Option<NaiveDate>, String>> =
    LazyLock::new(|| match std::env::var(TODAY_VARIABLE) {
        Ok(text) if !text.trim().is_empty() => parse_day(&text).map(Some),
        _ => Ok(None),
    });

fn parse_day(text: &str) -> std::result::Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("'{text}' is not a day written YYYY-MM-DD"))
}

/// Fails when `LOUPE_TODAY` is set but is not a day: the window and the CLI call it when they
/// start, so a mistyped day stops them instead of silently using the laptop's date.
pub fn check_today_override() -> Result<()> {
    match &*TODAY_OVERRIDE {
        Ok(_) => Ok(()),
        Err(problem) => Err(Error::invalid(TODAY_VARIABLE, problem.clone())),
    }
}

/// The day `LOUPE_TODAY` names, if it is set: the window takes its "today" from here too.
pub fn fixed_today() -> Option<NaiveDate> {
    TODAY_OVERRIDE.as_ref().ok().copied().flatten()
}

/// Today on the dealer's laptop (its time zone), or the day `LOUPE_TODAY` names.
pub fn today() -> NaiveDate {
    match &*TODAY_OVERRIDE {
        Ok(Some(day)) => *day,
        _ => Local::now().date_naive(),
    }
}

/// This instant, for timestamps of what is written (rows, backups, erasures). Not moved by
/// `LOUPE_TODAY`: backups and their ages must follow the real clock.
pub fn now() -> DateTime<Utc> {
    Utc::now()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_override_is_read_strictly() {
        assert_eq!(parse_day(" 2026-02-28 "), Ok(NaiveDate::from_ymd_opt(2026, 2, 28).expect("day")));
        assert!(parse_day("2026-02-30").is_err());
        assert!(parse_day("28/02/2026").is_err());
        assert!(parse_day("2026-2-8x").is_err());
    }
}
