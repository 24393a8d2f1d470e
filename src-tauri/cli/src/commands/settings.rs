//! `loupe settings`: the book's settings and standing rules, and `settings set KEY VALUE`.

use loupe_core::model::{BookSettings, StandingRules};
use loupe_core::{Book, Error};
use serde_json::Value;

use crate::args::SettingsCommand;
use crate::output::{print_json, say};

pub fn run(book: &mut Book, command: Option<SettingsCommand>, json: bool) -> Result<(), Error> {
    let (settings, json) = match command {
        None => (book.settings()?, json),
        Some(SettingsCommand::Set { key, value, json: set_json }) => {
            let changed = book.update_settings(&with_setting(book.settings()?, &key, &value)?)?;
            if !(json || set_json) {
                let now = setting_lines(&changed).into_iter().find(|(name, _)| *name == key);
                say!("{key} is now {}", now.map_or(value, |(_, value)| value));
                return Ok(());
            }
            (changed, true)
        }
    };
    if json {
        print_json(&settings);
    } else {
        for (key, value) in setting_lines(&settings) {
            say!("{key:<34} {value}");
        }
    }
    Ok(())
}

/// Every setting `settings set` takes, as `KEY VALUE` (lists comma-separated).
fn setting_lines(settings: &BookSettings) -> Vec<(String, String)> {
    let mut lines = vec![
        ("default_region".to_string(), settings.default_region.clone()),
        ("default_currency".to_string(), settings.default_currency.clone()),
        ("backups_to_keep".to_string(), settings.backups_to_keep.to_string()),
        ("other_backups_to_keep".to_string(), settings.other_backups_to_keep.to_string()),
        ("offsite_reminder_days".to_string(), settings.offsite_reminder_days.to_string()),
    ];
    if let Ok(Value::Object(rules)) = serde_json::to_value(&settings.standing) {
        for (field, value) in rules {
            lines.push((format!("standing.{field}"), plain(&value)));
        }
    }
    lines
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Array(values) => values.iter().map(plain).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// The settings with KEY set to VALUE as typed; checked by the core when saved.
fn with_setting(mut settings: BookSettings, key: &str, value: &str) -> Result<BookSettings, Error> {
    let number = |value: &str| -> Result<u32, Error> {
        value.trim().parse().map_err(|_| Error::invalid(key, format!("'{value}' is not a whole number")))
    };
    match key {
        "default_region" => settings.default_region = value.to_string(),
        "default_currency" => settings.default_currency = value.to_string(),
        "backups_to_keep" => settings.backups_to_keep = number(value)?,
        "other_backups_to_keep" => settings.other_backups_to_keep = number(value)?,
        "offsite_reminder_days" => settings.offsite_reminder_days = number(value)?,
        _ => match key.strip_prefix("standing.") {
            Some(field) => settings.standing = with_rule(&settings.standing, key, field, value)?,
            None => {
                return Err(Error::invalid(
                    "KEY",
                    format!(
                        "'{key}' is not a setting (default_region, default_currency, backups_to_keep, \
                         other_backups_to_keep, offsite_reminder_days, standing.FIELD)"
                    ),
                ));
            }
        },
    }
    Ok(settings)
}

/// One standing rule set from its text: each value is read as the rule's current value is
/// written (a number, a text such as an amount, or a comma-separated list of either).
fn with_rule(rules: &StandingRules, key: &str, field: &str, value: &str) -> Result<StandingRules, Error> {
    let Ok(Value::Object(mut fields)) = serde_json::to_value(rules) else {
        return Err(Error::invalid(key, "the standing rules cannot be read"));
    };
    let Some(current) = fields.get(field) else {
        let names: Vec<&str> = fields.keys().map(String::as_str).collect();
        return Err(Error::invalid(
            key,
            format!("'{field}' is not a standing rule (one of: {})", names.join(", ")),
        ));
    };
    let typed = |like: &Value, text: &str| -> Result<Value, Error> {
        let text = text.trim();
        match like {
            Value::Number(_) => text
                .parse::<u64>()
                .map(Value::from)
                .map_err(|_| Error::invalid(key, format!("'{text}' is not a whole number"))),
            _ => Ok(Value::String(text.to_string())),
        }
    };
    let new = match current {
        Value::Array(limits) => {
            let parts: Vec<&str> = value.split(',').collect();
            if parts.len() != limits.len() {
                return Err(Error::invalid(key, format!("give {} limits separated by commas", limits.len())));
            }
            Value::Array(
                limits.iter().zip(parts).map(|(like, part)| typed(like, part)).collect::<Result<_, _>>()?,
            )
        }
        like => typed(like, value)?,
    };
    fields.insert(field.to_string(), new);
    serde_json::from_value(Value::Object(fields))
        .map_err(|error| Error::invalid(key, format!("'{value}': {error}")))
}
