//! Book settings, stored in the book so they travel with it.

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, Result};
use crate::model::{BookInfo, BookSettings, BookStats};
use crate::problem::Problem;
use crate::store::Book;
use crate::validate::{check_length, is_currency_code, region_code};

impl Book {
    pub fn settings(&self) -> Result<BookSettings> {
        read_settings(&self.conn)
    }

    pub fn update_settings(&mut self, settings: &BookSettings) -> Result<BookSettings> {
        let BookSettings { default_region: region, default_currency: currency, staff, .. } =
            validate_settings(settings)?;
        let currency_changed = currency != self.settings()?.default_currency;
        self.with_tx(|tx| {
            if currency_changed {
                crate::purchases::refresh_all_spend(tx, &currency)?;
            }
            let mut statement = tx.prepare_cached(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?;
            statement.execute(params!["default_region", region])?;
            statement.execute(params!["default_currency", currency])?;
            statement.execute(params!["backups_to_keep", settings.backups_to_keep.to_string()])?;
            statement
                .execute(params!["other_backups_to_keep", settings.other_backups_to_keep.to_string()])?;
            statement
                .execute(params!["offsite_reminder_days", settings.offsite_reminder_days.to_string()])?;
            statement.execute(params![
                "staff",
                serde_json::to_string(&staff)
                    .map_err(|error| rusqlite::Error::ToSqlConversionFailure(error.into()))?
            ])?;
            Ok(())
        })?;
        self.settings()
    }

    pub fn stats(&self) -> Result<BookStats> {
        let count = |sql: &str| -> Result<u32> { Ok(self.conn.query_row(sql, [], |row| row.get(0))?) };
        Ok(BookStats {
            customers: count("SELECT count(*) FROM customers")?,
            emails: count("SELECT count(*) FROM customer_emails")?,
            phones: count("SELECT count(*) FROM customer_phones")?,
            addresses: count("SELECT count(*) FROM customer_addresses")?,
            tags: count("SELECT count(DISTINCT tag COLLATE NOCASE) FROM customer_tags")?,
            purchases: count("SELECT count(*) FROM purchases")?,
            purchase_items: count("SELECT count(*) FROM purchase_items")?,
            notes: count("SELECT count(*) FROM notes")?,
            interactions: count("SELECT count(*) FROM interactions")?,
            wishes: count("SELECT count(*) FROM wishes")?,
            satisfaction_scores: count("SELECT count(*) FROM satisfaction_scores")?,
            reminders: count("SELECT count(*) FROM reminders")?,
            segments: count("SELECT count(*) FROM segments")?,
            import_batches: count("SELECT count(*) FROM import_batches")?,
            suppressions: count("SELECT count(*) FROM suppressions")?,
        })
    }

    pub fn info(&self) -> Result<BookInfo> {
        Ok(BookInfo {
            path: self.path().display().to_string(),
            schema_version: self.schema_version()?,
            customers: self.conn.query_row("SELECT count(*) FROM customers", [], |row| row.get(0))?,
        })
    }
}

/// The checks of the settings form, for every way settings reach a book (the form, a book
/// folder, a backup being restored): the settings as they are stored (codes in upper case),
/// or an error naming the first setting that is wrong.
pub(crate) fn validate_settings(settings: &BookSettings) -> Result<BookSettings> {
    let default_region = region_code("default_region", &settings.default_region)?;
    let default_currency = settings.default_currency.trim().to_ascii_uppercase();
    if !is_currency_code(&default_currency) {
        return Err(Error::invalid(
            "default_currency",
            Problem::NotACurrency { value: default_currency.clone() },
        ));
    }
    if !(1..=365).contains(&settings.backups_to_keep) {
        return Err(Error::invalid("backups_to_keep", Problem::BackupsToKeepOutOfRange));
    }
    if !(1..=365).contains(&settings.other_backups_to_keep) {
        return Err(Error::invalid("other_backups_to_keep", Problem::OtherBackupsToKeepOutOfRange));
    }
    if !(1..=365).contains(&settings.offsite_reminder_days) {
        return Err(Error::invalid("offsite_reminder_days", Problem::OffsiteReminderDaysOutOfRange));
    }
    let mut staff: Vec<String> = Vec::with_capacity(settings.staff.len());
    for (index, name) in settings.staff.iter().enumerate() {
        let name = name.trim();
        check_length(&format!("staff[{index}]"), name, MAX_STAFF_NAME_CHARS)?;
        // Blank rows and the same name twice are tidied away, not refused.
        if !name.is_empty() && !staff.iter().any(|kept| kept.to_lowercase() == name.to_lowercase()) {
            staff.push(name.to_string());
        }
    }
    Ok(BookSettings { default_region, default_currency, staff, ..settings.clone() })
}

/// A salesperson's name, as long as a sale's salesperson may be.
const MAX_STAFF_NAME_CHARS: usize = 100;

/// Why one row of a settings table arriving from elsewhere (a book folder's settings.csv, a
/// backup's settings) is refused by `validate_settings`, naming the setting; None when it
/// passes. Keys the form does not edit (saved mappings, the suppression salt…) pass.
pub(crate) fn stored_setting_refusal(key: &str, value: &str) -> Option<String> {
    let mut settings = BookSettings::default();
    match key {
        "default_region" => settings.default_region = value.to_string(),
        "default_currency" => settings.default_currency = value.to_string(),
        // An unreadable number is out of range, like 0.
        "backups_to_keep" => settings.backups_to_keep = value.parse().unwrap_or(0),
        "other_backups_to_keep" => settings.other_backups_to_keep = value.parse().unwrap_or(0),
        "offsite_reminder_days" => settings.offsite_reminder_days = value.parse().unwrap_or(0),
        "staff" => match serde_json::from_str(value) {
            Ok(staff) => settings.staff = staff,
            Err(_) => return Some(format!("the setting {key} is '{value}': not a list of names")),
        },
        _ => return None,
    }
    let refusal = validate_settings(&settings).err()?;
    let reason = match refusal {
        Error::Invalid { problem, .. } => problem.to_string(),
        other => other.to_string(),
    };
    Some(format!("the setting {key} is '{value}': {reason}"))
}

/// The settings as stored, with the defaults for what is not; also inside a transaction.
pub(crate) fn read_settings(conn: &Connection) -> Result<BookSettings> {
    let mut settings = BookSettings::default();
    let mut statement = conn.prepare_cached("SELECT value FROM settings WHERE key = ?1")?;
    if let Some(region) = statement.query_row(["default_region"], |row| row.get(0)).optional()? {
        settings.default_region = region;
    }
    if let Some(currency) = statement.query_row(["default_currency"], |row| row.get(0)).optional()? {
        settings.default_currency = currency;
    }
    if let Some(keep) = statement.query_row(["backups_to_keep"], |row| row.get::<_, String>(0)).optional()? {
        settings.backups_to_keep = keep.parse().unwrap_or(settings.backups_to_keep);
    }
    if let Some(keep) =
        statement.query_row(["other_backups_to_keep"], |row| row.get::<_, String>(0)).optional()?
    {
        settings.other_backups_to_keep = keep.parse().unwrap_or(settings.other_backups_to_keep);
    }
    if let Some(days) =
        statement.query_row(["offsite_reminder_days"], |row| row.get::<_, String>(0)).optional()?
    {
        settings.offsite_reminder_days = days.parse().unwrap_or(settings.offsite_reminder_days);
    }
    if let Some(staff) = statement.query_row(["staff"], |row| row.get::<_, String>(0)).optional()? {
        settings.staff = serde_json::from_str(&staff).unwrap_or_default();
    }
    Ok(settings)
}
