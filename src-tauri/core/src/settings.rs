//! Book settings, stored in the book so they travel with it.

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, Result};
use rust_decimal::Decimal;

use crate::model::{
    AboutLoupe, BookInfo, BookSettings, BookStats, FollowUpRules, MembershipRules, StandingRules,
};
use crate::problem::Problem;
use crate::store::Book;
use crate::validate::{check_amount, check_length, is_currency_code, region_code};

impl Book {
    pub fn settings(&self) -> Result<BookSettings> {
        read_settings(&self.conn)
    }

    pub fn update_settings(&mut self, settings: &BookSettings) -> Result<BookSettings> {
        let BookSettings {
            default_region: region,
            default_currency: currency,
            staff,
            standing,
            membership,
            follow_up,
            shop_name,
            shop_address,
            shop_phone,
            ..
        } = validate_settings(settings)?;
        let before = self.settings()?;
        let currency_changed = currency != before.default_currency;
        let standing_changed = currency_changed || standing != before.standing;
        let membership_changed = currency_changed || membership != before.membership;
        let follow_up_changed = standing_changed || membership_changed || follow_up != before.follow_up;
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
            statement
                .execute(params!["campaign_response_days", settings.campaign_response_days.to_string()])?;
            statement.execute(params!["shop_name", shop_name])?;
            statement.execute(params!["shop_address", shop_address])?;
            statement.execute(params!["shop_phone", shop_phone])?;
            statement.execute(params![
                "staff",
                serde_json::to_string(&staff)
                    .map_err(|error| rusqlite::Error::ToSqlConversionFailure(error.into()))?
            ])?;
            statement.execute(params![
                STANDING_KEY,
                serde_json::to_string(&standing)
                    .map_err(|error| rusqlite::Error::ToSqlConversionFailure(error.into()))?
            ])?;
            statement.execute(params![
                MEMBERSHIP_KEY,
                serde_json::to_string(&membership)
                    .map_err(|error| rusqlite::Error::ToSqlConversionFailure(error.into()))?
            ])?;
            statement.execute(params![
                crate::agenda::RULES_KEY,
                serde_json::to_string(&follow_up)
                    .map_err(|error| rusqlite::Error::ToSqlConversionFailure(error.into()))?
            ])?;
            // New rules (or spend counted in another currency) place everyone again, at once.
            if standing_changed {
                crate::standing::refresh_book(tx, crate::clock::today(), false)?;
            }
            if membership_changed {
                crate::membership::refresh_book(
                    tx,
                    crate::clock::today(),
                    crate::membership::Replay::Everyone { rules_changed: true },
                )?;
            }
            // Reminders follow at once: a rule switched off takes its open ones away.
            if follow_up_changed {
                crate::agenda::refresh_book(tx, crate::clock::today())?;
            }
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

    /// Loupe's version and the book's path, size and schema. A file not there counts 0 bytes:
    /// the WAL is gone after a clean close, and a book in memory has neither.
    pub fn about(&self) -> Result<AboutLoupe> {
        let bytes = |suffix: &str| {
            let mut file = self.path().as_os_str().to_owned();
            file.push(suffix);
            std::fs::metadata(file).map_or(0, |metadata| metadata.len())
        };
        Ok(AboutLoupe {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            book_path: self.path().display().to_string(),
            book_bytes: bytes(""),
            wal_bytes: bytes("-wal"),
            schema_version: self.schema_version()?,
            latest_schema_version: crate::store::schema_version(),
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
    if !(1..=365).contains(&settings.campaign_response_days) {
        return Err(Error::invalid(
            "campaign_response_days",
            Problem::FollowUpNumberOutOfRange { min: 1, max: 365 },
        ));
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
    let shop_name = settings.shop_name.trim().to_string();
    check_length("shop_name", &shop_name, MAX_SHOP_LINE_CHARS)?;
    // Each line trimmed and blank ones dropped: the receipt prints the lines as they are.
    let shop_address = settings
        .shop_address
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    check_length("shop_address", &shop_address, MAX_SHOP_ADDRESS_CHARS)?;
    let shop_phone = settings.shop_phone.trim().to_string();
    check_length("shop_phone", &shop_phone, MAX_SHOP_LINE_CHARS)?;
    validate_standing(&settings.standing)?;
    let membership = validate_membership(&settings.membership, &default_currency)?;
    let follow_up = validate_follow_up(&settings.follow_up)?;
    Ok(BookSettings {
        default_region,
        default_currency,
        staff,
        membership,
        follow_up,
        shop_name,
        shop_address,
        shop_phone,
        ..settings.clone()
    })
}

/// The setting that holds the standing rules, as JSON.
const STANDING_KEY: &str = "standing";
/// The setting that holds the membership rules, as JSON.
const MEMBERSHIP_KEY: &str = "membership";

/// The follow-up rules tidied (brands trimmed, blank rows dropped) and checked, each error
/// naming its field (`follow_up.service_brands[2].years`).
fn validate_follow_up(rules: &FollowUpRules) -> Result<FollowUpRules> {
    let in_range = |name: &str, value: u32, min: i64, max: i64| -> Result<()> {
        if (min..=max).contains(&i64::from(value)) {
            Ok(())
        } else {
            Err(Error::invalid(format!("follow_up.{name}"), Problem::FollowUpNumberOutOfRange { min, max }))
        }
    };
    in_range("after_sale_days", rules.after_sale_days, 1, 60)?;
    in_range("check_in_days", rules.check_in_days, 1, 730)?;
    in_range("key_visit_days", rules.key_visit_days, 7, 730)?;
    in_range("service_years", rules.service_years, 1, 50)?;
    check_amount("follow_up.check_in_min_total", rules.check_in_min_total)?;
    let mut tidy = rules.clone();
    tidy.service_brands.clear();
    for (index, interval) in rules.service_brands.iter().enumerate() {
        let brand = interval.brand.trim();
        if brand.is_empty() {
            return Err(Error::invalid(
                format!("follow_up.service_brands[{index}].brand"),
                Problem::ServiceBrandMissing,
            ));
        }
        check_length(&format!("follow_up.service_brands[{index}].brand"), brand, 80)?;
        in_range(&format!("service_brands[{index}].years"), interval.years, 1, 50)?;
        let folded = crate::fold::fold(brand);
        if tidy.service_brands.iter().any(|kept| crate::fold::fold(&kept.brand) == folded) {
            return Err(Error::invalid(
                format!("follow_up.service_brands[{index}].brand"),
                Problem::ListedTwice { value: brand.to_string() },
            ));
        }
        tidy.service_brands
            .push(crate::model::ServiceInterval { brand: brand.to_string(), years: interval.years });
    }
    Ok(tidy)
}

/// The membership rules tidied (names and benefits trimmed, currency codes in upper case) and
/// checked, each error naming its field (`membership.tiers[1].min_spend`).
fn validate_membership(rules: &MembershipRules, book_currency: &str) -> Result<MembershipRules> {
    let field = |name: &str| format!("membership.{name}");
    let in_range = |name: &str, value: i64, min: i64, max: i64| -> Result<()> {
        if (min..=max).contains(&value) {
            Ok(())
        } else {
            Err(Error::invalid(field(name), Problem::MembershipNumberOutOfRange { min, max }))
        }
    };
    let mut tidy = rules.clone();
    for (index, tier) in tidy.tiers.iter_mut().enumerate() {
        let at = |name: &str| format!("tiers[{index}].{name}");
        tier.key = tier.key.trim().to_string();
        let key_fits = !tier.key.is_empty()
            && tier.key.len() <= 40
            && tier.key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !key_fits {
            return Err(Error::invalid(
                field(&at("key")),
                Problem::TierKeyInvalid { value: tier.key.clone() },
            ));
        }
        tier.name.en = tier.name.en.trim().to_string();
        tier.name.zh = tier.name.zh.trim().to_string();
        tier.benefits = tier.benefits.trim().to_string();
        if tier.name.en.is_empty() && tier.name.zh.is_empty() {
            return Err(Error::invalid(field(&at("name.en")), Problem::TierNameMissing));
        }
        check_length(&field(&at("name.en")), &tier.name.en, MAX_STAFF_NAME_CHARS)?;
        check_length(&field(&at("name.zh")), &tier.name.zh, MAX_STAFF_NAME_CHARS)?;
        check_length(&field(&at("benefits")), &tier.benefits, 500)?;
        if tier.min_spend.is_none() && tier.min_purchases.is_none() {
            return Err(Error::invalid(field(&at("min_spend")), Problem::TierWithoutThreshold));
        }
        if let Some(spend) = tier.min_spend {
            check_amount(&field(&at("min_spend")), spend)?;
        }
        if let Some(purchases) = tier.min_purchases {
            in_range(&at("min_purchases"), i64::from(purchases), 1, 10_000)?;
        }
        if let Some(months) = tier.window_months {
            in_range(&at("window_months"), i64::from(months), 1, i64::from(MAX_MONTHS))?;
        }
        if tier.discount_percent < Decimal::ZERO || tier.discount_percent > Decimal::ONE_HUNDRED {
            return Err(Error::invalid(field(&at("discount_percent")), Problem::PercentOutOfRange));
        }
    }
    for (index, tier) in tidy.tiers.iter().enumerate() {
        if tidy.tiers[..index].iter().any(|earlier| earlier.key == tier.key) {
            return Err(Error::invalid(
                field(&format!("tiers[{index}].key")),
                Problem::ListedTwice { value: tier.key.clone() },
            ));
        }
    }
    in_range("grace_months", i64::from(tidy.grace_months), 0, i64::from(MAX_MONTHS))?;
    for (index, rate) in tidy.rates.iter_mut().enumerate() {
        let at = |name: &str| field(&format!("rates[{index}].{name}"));
        rate.currency = rate.currency.trim().to_ascii_uppercase();
        if !is_currency_code(&rate.currency) {
            return Err(Error::invalid(
                at("currency"),
                Problem::NotACurrency { value: rate.currency.clone() },
            ));
        }
        if rate.currency == book_currency {
            return Err(Error::invalid(at("currency"), Problem::RateForBookCurrency));
        }
        if rate.rate <= Decimal::ZERO || rate.rate.scale() > 8 || rate.rate > Decimal::new(1_000_000, 0) {
            return Err(Error::invalid(at("rate"), Problem::RateNotPositive));
        }
    }
    for (index, rate) in tidy.rates.iter().enumerate() {
        if tidy.rates[..index].iter().any(|earlier| earlier.currency == rate.currency) {
            return Err(Error::invalid(
                field(&format!("rates[{index}].currency")),
                Problem::ListedTwice { value: rate.currency.clone() },
            ));
        }
    }
    in_range("points_per_unit", i64::from(tidy.points_per_unit), 0, 1_000)?;
    in_range("points_for_one_unit", i64::from(tidy.points_for_one_unit), 1, 1_000_000)?;
    if let Some(months) = tidy.points_expire_months {
        in_range("points_expire_months", i64::from(months), 1, i64::from(MAX_MONTHS))?;
    }
    in_range("referral_bonus", i64::from(tidy.referral_bonus), 0, 10_000_000)?;
    Ok(tidy)
}

/// The standing rules' checks, each error naming its field (`standing.recency_months[2]`).
fn validate_standing(rules: &StandingRules) -> Result<()> {
    let field = |name: &str| format!("standing.{name}");
    let in_range = |name: &str, value: u32, min: u32, max: u32| -> Result<()> {
        if (min..=max).contains(&value) {
            Ok(())
        } else {
            Err(Error::invalid(field(name), Problem::StandingNumberOutOfRange { min, max }))
        }
    };
    in_range("lapsed_after_months", rules.lapsed_after_months, 1, MAX_MONTHS)?;
    in_range("at_risk_after_months", rules.at_risk_after_months, 1, MAX_MONTHS)?;
    if rules.lapsed_after_months <= rules.at_risk_after_months {
        return Err(Error::invalid(field("lapsed_after_months"), Problem::StandingLapsedNotAfterAtRisk));
    }
    // 0 turns the satisfaction rule off; 5 would put every scored customer at risk.
    in_range("low_score_max", u32::from(rules.low_score_max), 0, 4)?;
    in_range("low_score_months", rules.low_score_months, 1, MAX_MONTHS)?;
    check_amount(&field("vip_min_spend"), rules.vip_min_spend)?;
    in_range("vip_min_purchases", rules.vip_min_purchases, 1, 1_000)?;
    in_range("vip_months", rules.vip_months, 1, MAX_MONTHS)?;
    in_range("new_within_days", rules.new_within_days, 1, 3_650)?;
    in_range("value_months", rules.value_months, 1, MAX_MONTHS)?;
    in_range("key_percent", rules.key_percent, 1, 100)?;
    in_range("main_percent", rules.main_percent, 1, 100)?;
    if rules.key_percent >= rules.main_percent {
        return Err(Error::invalid(field("key_percent"), Problem::StandingKeyNotBelowMain));
    }
    for (index, &months) in rules.recency_months.iter().enumerate() {
        in_range(&format!("recency_months[{index}]"), months, 1, MAX_MONTHS)?;
    }
    for (index, &purchases) in rules.frequency_purchases.iter().enumerate() {
        in_range(&format!("frequency_purchases[{index}]"), purchases, 1, 100_000)?;
    }
    for (index, &spend) in rules.monetary_spend.iter().enumerate() {
        check_amount(&field(&format!("monetary_spend[{index}]")), spend)?;
    }
    let ascending = |name: &str, limits: &[Decimal]| -> Result<()> {
        match limits.windows(2).position(|pair| pair[1] <= pair[0]) {
            Some(index) => Err(Error::invalid(
                field(&format!("{name}[{}]", index + 1)),
                Problem::StandingLimitsNotAscending,
            )),
            None => Ok(()),
        }
    };
    ascending("recency_months", &rules.recency_months.map(Decimal::from))?;
    ascending("frequency_purchases", &rules.frequency_purchases.map(Decimal::from))?;
    ascending("monetary_spend", &rules.monetary_spend)
}

/// The longest window a standing rule may look back over: 50 years.
const MAX_MONTHS: u32 = 600;

/// A salesperson's name, as long as a sale's salesperson may be.
const MAX_STAFF_NAME_CHARS: usize = 100;

/// The shop's name or phone: one line at the head of a receipt.
const MAX_SHOP_LINE_CHARS: usize = 100;
/// The shop's address: a few lines.
const MAX_SHOP_ADDRESS_CHARS: usize = 300;

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
        "campaign_response_days" => settings.campaign_response_days = value.parse().unwrap_or(0),
        "shop_name" => settings.shop_name = value.to_string(),
        "shop_address" => settings.shop_address = value.to_string(),
        "shop_phone" => settings.shop_phone = value.to_string(),
        crate::agenda::RULES_KEY => match serde_json::from_str::<FollowUpRules>(value) {
            Ok(follow_up) => return refusal_of(key, value, validate_follow_up(&follow_up).err()?),
            Err(error) => {
                return Some(format!("the setting {key} is '{value}': not follow-up rules ({error})"));
            }
        },
        "staff" => match serde_json::from_str(value) {
            Ok(staff) => settings.staff = staff,
            Err(_) => return Some(format!("the setting {key} is '{value}': not a list of names")),
        },
        STANDING_KEY => match serde_json::from_str(value) {
            Ok(standing) => settings.standing = standing,
            Err(error) => {
                return Some(format!("the setting {key} is '{value}': not standing rules ({error})"));
            }
        },
        // Checked without the book's currency, which another row of the table gives.
        MEMBERSHIP_KEY => match serde_json::from_str::<MembershipRules>(value) {
            Ok(membership) => return refusal_of(key, value, validate_membership(&membership, "").err()?),
            Err(error) => {
                return Some(format!("the setting {key} is '{value}': not membership rules ({error})"));
            }
        },
        _ => return None,
    }
    refusal_of(key, value, validate_settings(&settings).err()?)
}

fn refusal_of(key: &str, value: &str, refusal: Error) -> Option<String> {
    let reason = match refusal {
        Error::Invalid { problem, .. } => problem.to_string(),
        other => other.to_string(),
    };
    Some(format!("the setting {key} is '{value}': {reason}"))
}

/// The settings as stored, with the defaults for what is not; also inside a transaction.
/// The book's region alone: what reading a phone number needs, on every keystroke of a search.
pub(crate) fn read_region(conn: &Connection) -> Result<String> {
    let region = conn
        .prepare_cached("SELECT value FROM settings WHERE key = 'default_region'")?
        .query_row([], |row| row.get(0))
        .optional()?;
    Ok(region.unwrap_or_else(|| BookSettings::default().default_region))
}

pub(crate) fn read_settings(conn: &Connection) -> Result<BookSettings> {
    let mut settings = BookSettings { default_region: read_region(conn)?, ..BookSettings::default() };
    let mut statement = conn.prepare_cached("SELECT value FROM settings WHERE key = ?1")?;
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
    if let Some(days) =
        statement.query_row(["campaign_response_days"], |row| row.get::<_, String>(0)).optional()?
    {
        settings.campaign_response_days = days.parse().unwrap_or(settings.campaign_response_days);
    }
    for (key, field) in [
        ("shop_name", &mut settings.shop_name),
        ("shop_address", &mut settings.shop_address),
        ("shop_phone", &mut settings.shop_phone),
    ] {
        if let Some(value) = statement.query_row([key], |row| row.get::<_, String>(0)).optional()? {
            *field = value;
        }
    }
    if let Some(staff) = statement.query_row(["staff"], |row| row.get::<_, String>(0)).optional()? {
        settings.staff = serde_json::from_str(&staff).unwrap_or_default();
    }
    // Checked when written and when loaded from elsewhere; rules missing a field take its default.
    if let Some(standing) = statement.query_row([STANDING_KEY], |row| row.get::<_, String>(0)).optional()? {
        settings.standing = serde_json::from_str(&standing).unwrap_or_default();
    }
    if let Some(membership) =
        statement.query_row([MEMBERSHIP_KEY], |row| row.get::<_, String>(0)).optional()?
    {
        settings.membership = serde_json::from_str(&membership).unwrap_or_default();
    }
    if let Some(follow_up) =
        statement.query_row([crate::agenda::RULES_KEY], |row| row.get::<_, String>(0)).optional()?
    {
        settings.follow_up = serde_json::from_str(&follow_up).unwrap_or_default();
    }
    Ok(settings)
}
