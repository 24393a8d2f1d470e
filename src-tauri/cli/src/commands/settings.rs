//! `loupe settings`: the book's settings, standing rules and membership programme, and
//! `settings set KEY VALUE`.

use loupe_core::model::{BookSettings, ExchangeRate, FollowUpRules, MembershipRules, ServiceInterval};
use loupe_core::{Book, Error};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::args::SettingsCommand;
use crate::output::{print_json, say};

pub fn run(book: &mut Book, command: Option<SettingsCommand>, json: bool) -> Result<(), Error> {
    let (settings, json) = match command {
        None => (book.settings()?, json),
        Some(SettingsCommand::Set { key, value, json: set_json }) => {
            let changed = book.update_settings(&with_setting(book.settings()?, &key, &value)?)?;
            if !(json || set_json) {
                // As listed: `membership.rate.usd` is the rate of USD.
                let (key, value) = setting_lines(&changed)
                    .into_iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case(&key))
                    .unwrap_or((key, value));
                say!("{key} is now {value}");
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
        ("campaign_response_days".to_string(), settings.campaign_response_days.to_string()),
        ("shop_name".to_string(), settings.shop_name.clone()),
        // Its lines on one: `settings set shop_address` takes them with real newlines.
        ("shop_address".to_string(), settings.shop_address.replace('\n', " / ")),
        ("shop_phone".to_string(), settings.shop_phone.clone()),
    ];
    if let Ok(Value::Object(rules)) = serde_json::to_value(&settings.standing) {
        for (field, value) in rules {
            lines.push((format!("standing.{field}"), plain(&value)));
        }
    }
    let membership = &settings.membership;
    let expiry =
        membership.points_expire_months.map_or_else(|| "off".to_string(), |months| months.to_string());
    lines.extend([
        ("membership.enabled".to_string(), membership.enabled.to_string()),
        ("membership.grace_months".to_string(), membership.grace_months.to_string()),
        ("membership.points_per_unit".to_string(), membership.points_per_unit.to_string()),
        ("membership.points_for_one_unit".to_string(), membership.points_for_one_unit.to_string()),
        ("membership.points_expire_months".to_string(), expiry),
        ("membership.referral_bonus".to_string(), membership.referral_bonus.to_string()),
    ]);
    for rate in &membership.rates {
        lines.push((format!("membership.rate.{}", rate.currency), rate.rate.normalize().to_string()));
    }
    if let Ok(Value::Object(rules)) = serde_json::to_value(&settings.follow_up) {
        for (field, value) in rules.into_iter().filter(|(field, _)| field != "service_brands") {
            lines.push((format!("follow_up.{field}"), plain(&value)));
        }
    }
    for interval in &settings.follow_up.service_brands {
        lines.push((format!("follow_up.service.{}", interval.brand), interval.years.to_string()));
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
        "campaign_response_days" => settings.campaign_response_days = number(value)?,
        "shop_name" => settings.shop_name = value.to_string(),
        "shop_address" => settings.shop_address = value.to_string(),
        "shop_phone" => settings.shop_phone = value.to_string(),
        _ => {
            if let Some(field) = key.strip_prefix("standing.") {
                settings.standing = with_rule(&settings.standing, "standing", key, field, value)?;
            } else if let Some(brand) = key.strip_prefix("follow_up.service.") {
                with_service_interval(&mut settings.follow_up, key, brand, value)?;
            } else if let Some(field) = key.strip_prefix("follow_up.") {
                settings.follow_up = with_rule(&settings.follow_up, "follow-up", key, field, value)?;
            } else if let Some(field) = key.strip_prefix("membership.") {
                with_membership(&mut settings.membership, key, field, value)?;
            } else {
                return Err(Error::invalid(
                    "KEY",
                    format!(
                        "'{key}' is not a setting (default_region, default_currency, backups_to_keep, \
                         other_backups_to_keep, offsite_reminder_days, campaign_response_days, shop_name, shop_address, \
                         shop_phone, standing.FIELD, membership.FIELD, \
                         follow_up.FIELD, follow_up.service.BRAND)"
                    ),
                ));
            }
        }
    }
    Ok(settings)
}

/// A brand's service interval in years (`follow_up.service.Omega 8`), or `off` to use the
/// interval of any other brand.
fn with_service_interval(
    rules: &mut FollowUpRules,
    key: &str,
    brand: &str,
    value: &str,
) -> Result<(), Error> {
    let text = value.trim();
    let at =
        rules.service_brands.iter().position(|interval| interval.brand.eq_ignore_ascii_case(brand.trim()));
    if matches!(text.to_ascii_lowercase().as_str(), "off" | "none") {
        let Some(at) = at else {
            return Err(Error::invalid(key, format!("{brand} has no interval of its own")));
        };
        rules.service_brands.remove(at);
        return Ok(());
    }
    let years =
        text.parse().map_err(|_| Error::invalid(key, format!("'{text}' is not a whole number of years")))?;
    match at {
        Some(at) => rules.service_brands[at].years = years,
        None => rules.service_brands.push(ServiceInterval { brand: brand.trim().to_string(), years }),
    }
    Ok(())
}

/// One setting of the membership programme set from its text; the tiers are `loupe tiers`'.
fn with_membership(rules: &mut MembershipRules, key: &str, field: &str, value: &str) -> Result<(), Error> {
    let text = value.trim();
    let off = matches!(text.to_ascii_lowercase().as_str(), "off" | "none");
    let number = || -> Result<u32, Error> {
        text.parse().map_err(|_| Error::invalid(key, format!("'{text}' is not a whole number")))
    };
    match field {
        "enabled" => {
            rules.enabled = match text.to_ascii_lowercase().as_str() {
                "true" | "on" | "yes" => true,
                "false" | "off" | "no" => false,
                _ => return Err(Error::invalid(key, format!("'{text}' is not true or false"))),
            }
        }
        "grace_months" => rules.grace_months = number()?,
        "points_per_unit" => rules.points_per_unit = number()?,
        "points_for_one_unit" => rules.points_for_one_unit = number()?,
        "points_expire_months" => rules.points_expire_months = if off { None } else { Some(number()?) },
        "referral_bonus" => rules.referral_bonus = number()?,
        _ => {
            let Some(currency) = field.strip_prefix("rate.") else {
                return Err(Error::invalid(
                    key,
                    format!(
                        "'{field}' is not a membership setting (enabled, grace_months, points_per_unit, \
                         points_for_one_unit, points_expire_months, referral_bonus, rate.CUR; the tiers: loupe tiers set)"
                    ),
                ));
            };
            let currency = currency.trim().to_ascii_uppercase();
            let at = rules.rates.iter().position(|rate| rate.currency == currency);
            match (at, off) {
                (Some(at), true) => {
                    rules.rates.remove(at);
                }
                (None, true) => {
                    return Err(Error::invalid(key, format!("there is no rate for {currency} to remove")));
                }
                (at, false) => {
                    let rate = text
                        .parse()
                        .map_err(|_| Error::invalid(key, format!("'{text}' is not a rate such as 0.79")))?;
                    match at {
                        Some(at) => rules.rates[at].rate = rate,
                        None => rules.rates.push(ExchangeRate { currency, rate }),
                    }
                }
            }
        }
    }
    Ok(())
}

/// One standing rule set from its text: each value is read as the rule's current value is
/// written (a number, a text such as an amount, or a comma-separated list of either).
/// One field of a set of rules (standing, follow-up) set from its text, by its JSON name.
fn with_rule<T: Serialize + DeserializeOwned>(
    rules: &T,
    what: &str,
    key: &str,
    field: &str,
    value: &str,
) -> Result<T, Error> {
    let Ok(Value::Object(mut fields)) = serde_json::to_value(rules) else {
        return Err(Error::invalid(key, format!("the {what} rules cannot be read")));
    };
    let Some(current) = fields
        .get(field)
        .filter(|current| !matches!(current, Value::Array(items) if items.iter().any(Value::is_object)))
    else {
        let names: Vec<&str> = fields
            .iter()
            .filter(
                |(_, current)| !matches!(current, Value::Array(items) if items.iter().any(Value::is_object)),
            )
            .map(|(name, _)| name.as_str())
            .collect();
        return Err(Error::invalid(
            key,
            format!("'{field}' is not a {what} rule (one of: {})", names.join(", ")),
        ));
    };
    let typed = |like: &Value, text: &str| -> Result<Value, Error> {
        let text = text.trim();
        match like {
            Value::Number(_) => text
                .parse::<u64>()
                .map(Value::from)
                .map_err(|_| Error::invalid(key, format!("'{text}' is not a whole number"))),
            Value::Bool(_) => match text.to_ascii_lowercase().as_str() {
                "true" | "on" | "yes" => Ok(Value::Bool(true)),
                "false" | "off" | "no" => Ok(Value::Bool(false)),
                _ => Err(Error::invalid(key, format!("'{text}' is not on or off"))),
            },
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
