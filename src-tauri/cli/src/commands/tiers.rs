//! `loupe tiers`: the membership programme at a glance (its tiers lowest first with how one
//! qualifies, the discount, benefits and members of each, and the points rules), and `tiers
//! set`, `remove` and `move`, which change the tiers through the settings, checked by the core.
//! Also how the other commands name a tier and read one named on the command line.

use chrono::NaiveDate;
use loupe_core::model::{BookSettings, ExchangeRate, MembershipRules, Tier, TierLabel, TierName, TierReason};
use loupe_core::{Book, Error, money};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::args::{OrOff, TierSetArgs, TiersCommand};
use crate::output::{print_json, say};

pub fn run(book: &mut Book, command: Option<TiersCommand>, json: bool) -> Result<(), Error> {
    match command {
        None => show(book, json),
        Some(TiersCommand::Set(args)) => set(book, args),
        Some(TiersCommand::Remove { tier, json }) => {
            let mut settings = book.settings()?;
            let index = find_or_refuse(&settings.membership, "tier", &tier)?;
            let removed = settings.membership.tiers.remove(index);
            book.update_settings(&settings)?;
            answer(book, json, || {
                format!(
                    "removed tier {} ({}); every customer was placed again in the {} left",
                    removed.key,
                    name(&removed.name),
                    tier_count(settings.membership.tiers.len())
                )
            })
        }
        Some(TiersCommand::Move { tier, to, json }) => {
            let mut settings = book.settings()?;
            let index = find_or_refuse(&settings.membership, "tier", &tier)?;
            let tiers = &mut settings.membership.tiers;
            if !(1..=tiers.len()).contains(&to) {
                return Err(Error::invalid("--to", format!("use a position from 1 to {}", tiers.len())));
            }
            let moved = tiers.remove(index);
            tiers.insert(to - 1, moved);
            let order: Vec<&str> = tiers.iter().map(|tier| tier.key.as_str()).collect();
            let line = format!(
                "moved tier {} to position {to} of {}; lowest first: {}",
                tiers[to - 1].key,
                tiers.len(),
                order.join(", ")
            );
            book.update_settings(&settings)?;
            answer(book, json, || line)
        }
    }
}

/// `tiers --json`: the rules, with each tier's members and how one qualifies in words.
#[derive(Serialize)]
struct TiersFile<'a> {
    enabled: bool,
    /// Lowest first.
    tiers: Vec<TierFile<'a>>,
    non_members: u32,
    grace_months: u32,
    points_per_unit: u32,
    points_for_one_unit: u32,
    points_expire_months: Option<u32>,
    referral_bonus: u32,
    rates: &'a [ExchangeRate],
    currency: &'a str,
    points_outstanding: i64,
    points_liability: Decimal,
    upgrades_this_month: u32,
    downgrades_this_month: u32,
    evaluated_on: NaiveDate,
}

#[derive(Serialize)]
struct TierFile<'a> {
    #[serde(flatten)]
    tier: &'a Tier,
    qualifies: String,
    members: u32,
}

fn show(book: &Book, json: bool) -> Result<(), Error> {
    let settings = book.settings()?;
    let overview = book.membership_overview()?;
    let rules = &settings.membership;
    let members = |tier: &Tier| {
        overview.tiers.iter().find(|count| count.tier.key == tier.key).map_or(0, |count| count.count)
    };
    if json {
        print_json(&TiersFile {
            enabled: rules.enabled,
            tiers: rules
                .tiers
                .iter()
                .map(|tier| TierFile { tier, qualifies: qualifies(tier), members: members(tier) })
                .collect(),
            non_members: overview.non_members,
            grace_months: rules.grace_months,
            points_per_unit: rules.points_per_unit,
            points_for_one_unit: rules.points_for_one_unit,
            points_expire_months: rules.points_expire_months,
            referral_bonus: rules.referral_bonus,
            rates: &rules.rates,
            currency: &settings.default_currency,
            points_outstanding: overview.points_outstanding,
            points_liability: overview.points_liability,
            upgrades_this_month: overview.upgrades_this_month,
            downgrades_this_month: overview.downgrades_this_month,
            evaluated_on: overview.evaluated_on,
        });
        return Ok(());
    }
    if rules.enabled {
        say!(
            "membership on: a tier is kept {} after the customer last qualified for it, then they step down one tier",
            months(rules.grace_months)
        );
    } else {
        say!(
            "membership off: no tier, discount or points show, and sales earn no points (loupe settings set membership.enabled true)"
        );
    }
    for (position, tier) in rules.tiers.iter().enumerate() {
        let count = if rules.enabled {
            format!(", {}", plural(members(tier), "member", "members"))
        } else {
            String::new()
        };
        say!(
            "{:>3}. {} [{}]: {} % off{count}",
            position + 1,
            both_names(&tier.name),
            tier.key,
            percent(tier.discount_percent)
        );
        say!("      qualifies: {}", qualifies(tier));
        let mut benefits: Vec<&str> = Vec::new();
        if !tier.benefits.is_empty() {
            benefits.push(&tier.benefits);
        }
        if tier.free_care {
            benefits.push("free care (the agenda reminds of the yearly cleaning and check)");
        }
        if !benefits.is_empty() {
            say!("      benefits:  {}", benefits.join("; "));
        }
    }
    if !rules.enabled {
        return Ok(());
    }
    let currency = &settings.default_currency;
    say!("not members: {}", overview.non_members);
    say!("points: {}", points_rules(rules, currency));
    let rates: Vec<String> = rules
        .rates
        .iter()
        .map(|rate| format!("1 {} = {} {currency}", rate.currency, rate.rate.normalize()))
        .collect();
    if rates.is_empty() {
        say!("rates: none; sales in other currencies than {currency} are not counted");
    } else {
        say!("rates: {}; sales in other currencies are not counted", rates.join(", "));
    }
    say!(
        "outstanding: {} points, worth {} {currency}",
        money(Decimal::from(overview.points_outstanding)),
        money(overview.points_liability)
    );
    say!(
        "this month: {}, {}",
        plural(overview.upgrades_this_month, "upgrade", "upgrades"),
        plural(overview.downgrades_this_month, "downgrade", "downgrades")
    );
    Ok(())
}

fn points_rules(rules: &MembershipRules, currency: &str) -> String {
    let earned = match rules.points_per_unit {
        0 => "sales earn none".to_string(),
        1 => format!("1 per {currency} paid"),
        n => format!("{n} per {currency} paid"),
    };
    let expiry = match rules.points_expire_months {
        Some(months_kept) => format!("they expire {} after they were earned", months(months_kept)),
        None => "they never expire".to_string(),
    };
    format!(
        "{earned}; {} points are worth 1 {currency}; {expiry}; referral bonus {}",
        money(Decimal::from(rules.points_for_one_unit)),
        money(Decimal::from(rules.referral_bonus))
    )
}

/// `tiers set`: changes the tier the flags name, or adds it as the highest.
fn set(book: &mut Book, args: TierSetArgs) -> Result<(), Error> {
    let mut settings = book.settings()?;
    let tiers = &mut settings.membership.tiers;
    let found = find(tiers, &args.key);
    let index = found.unwrap_or_else(|| {
        tiers.push(Tier {
            key: args.key.trim().to_string(),
            name: TierName::default(),
            min_spend: None,
            min_purchases: None,
            window_months: Some(12),
            discount_percent: Decimal::ZERO,
            benefits: String::new(),
            free_care: false,
        });
        tiers.len() - 1
    });
    let tier = &mut tiers[index];
    if let Some(name_en) = args.name_en {
        tier.name.en = name_en;
    }
    if let Some(name_zh) = args.name_zh {
        tier.name.zh = name_zh;
    }
    if let Some(OrOff(spend)) = args.min_spend {
        tier.min_spend = spend;
    }
    if let Some(OrOff(purchases)) = args.min_purchases {
        tier.min_purchases = purchases;
    }
    if args.ever {
        tier.window_months = None;
    }
    if let Some(window) = args.window_months {
        tier.window_months = Some(window);
    }
    if let Some(discount) = args.discount {
        tier.discount_percent = discount;
    }
    if let Some(benefits) = args.benefits {
        tier.benefits = benefits;
    }
    if let Some(free_care) = args.free_care {
        tier.free_care = free_care;
    }
    let saved = book.update_settings(&settings)?;
    let tier = &saved.membership.tiers[index];
    let line = match found {
        Some(_) => format!("changed tier {}: {}", tier.key, tier_summary(tier)),
        None => format!(
            "added tier {} as the highest ({} of {}): {}",
            tier.key,
            index + 1,
            saved.membership.tiers.len(),
            tier_summary(tier)
        ),
    };
    answer(book, args.json, || line)
}

/// After a change: the whole programme as `tiers --json` gives it, or one line.
fn answer(book: &Book, json: bool, line: impl FnOnce() -> String) -> Result<(), Error> {
    if json {
        show(book, true)
    } else {
        say!("{}", line());
        Ok(())
    }
}

/// "Gold (金卡), 20 % off, at least 50,000 spent in the last 12 months"
fn tier_summary(tier: &Tier) -> String {
    format!("{}, {} % off, {}", both_names(&tier.name), percent(tier.discount_percent), qualifies(tier))
}

/// How one qualifies for `tier`: "at least 20,000 spent in the last 12 months".
pub fn qualifies(tier: &Tier) -> String {
    let mut ways = Vec::new();
    if let Some(spend) = tier.min_spend {
        ways.push(format!("{} spent", money(spend)));
    }
    if let Some(purchases) = tier.min_purchases {
        ways.push(plural(purchases, "purchase", "purchases"));
    }
    format!("at least {} {}", ways.join(" or "), window(tier.window_months))
}

fn window(window_months: Option<u32>) -> String {
    match window_months {
        Some(count) => format!("in the last {}", months(count)),
        None => "ever".to_string(),
    }
}

/// Why a customer holds their tier, or why it moved, in words.
pub fn reason(reason: &TierReason) -> String {
    match reason {
        // A tier of purchases alone counts no spend: "qualified: 1 purchase ever".
        TierReason::Qualified { spend, purchases, window_months } if spend.is_zero() => {
            format!("qualified: {} {}", plural(*purchases, "purchase", "purchases"), window(*window_months))
        }
        TierReason::Qualified { spend, purchases, window_months } => format!(
            "qualified: {} spent in {} {}",
            money(*spend),
            plural(*purchases, "purchase", "purchases"),
            window(*window_months)
        ),
        TierReason::Kept { last_qualified, keeps_until } => {
            format!("kept: last qualified on {last_qualified}, kept until {keeps_until}")
        }
        TierReason::GraceEnded { kept_until } => {
            format!("stepped down: kept until {kept_until} without qualifying again")
        }
        TierReason::Corrected => "corrected: a sale or the rules changed".to_string(),
    }
}

/// The name the CLI shows: the English one, else the Chinese.
pub fn name(name: &TierName) -> &str {
    if name.en.is_empty() { &name.zh } else { &name.en }
}

pub fn label_name(label: &TierLabel) -> &str {
    name(&label.name)
}

/// "Gold (金卡)", or the one name given.
fn both_names(name: &TierName) -> String {
    match (name.en.is_empty(), name.zh.is_empty()) {
        (false, false) => format!("{} ({})", name.en, name.zh),
        (true, _) => name.zh.clone(),
        (false, true) => name.en.clone(),
    }
}

/// A percentage as typed: 15, 12.5.
pub fn percent(value: Decimal) -> String {
    value.normalize().to_string()
}

/// The tier named `text`: its key or its English or Chinese name, case ignored.
fn find(tiers: &[Tier], text: &str) -> Option<usize> {
    let wanted = text.trim().to_lowercase();
    tiers.iter().position(|tier| {
        [&tier.key, &tier.name.en, &tier.name.zh].iter().any(|known| known.to_lowercase() == wanted)
    })
}

/// The key of the tier named `text`, or an error naming `field` that lists the tiers.
pub fn find_or_refuse(rules: &MembershipRules, field: &str, text: &str) -> Result<usize, Error> {
    find(&rules.tiers, text).ok_or_else(|| {
        let known: Vec<String> = rules
            .tiers
            .iter()
            .map(|tier| {
                let names: Vec<&str> = [&tier.name.en, &tier.name.zh]
                    .into_iter()
                    .filter(|name| !name.is_empty())
                    .map(String::as_str)
                    .collect();
                format!("{} ({})", tier.key, names.join(", "))
            })
            .collect();
        let known = if known.is_empty() { "none".to_string() } else { known.join(", ") };
        Error::invalid(field, format!("'{}' is not a tier (the tiers are: {known})", text.trim()))
    })
}

/// The tiers of the book's settings the audience flag names, as keys.
pub fn keys_named(settings: &BookSettings, names: &[String]) -> Result<Vec<String>, Error> {
    let rules = &settings.membership;
    if !names.is_empty() && !rules.enabled {
        return Err(Error::invalid("--tier", loupe_core::problem::Problem::MembershipOff));
    }
    names
        .iter()
        .map(|text| find_or_refuse(rules, "--tier", text).map(|index| rules.tiers[index].key.clone()))
        .collect()
}

fn months(count: u32) -> String {
    plural(count, "month", "months")
}

fn tier_count(count: usize) -> String {
    if count == 1 { "1 tier".to_string() } else { format!("{count} tiers") }
}

/// "1 purchase", "3 purchases", with thousands grouped.
pub fn plural(count: impl Into<i64>, one: &str, other: &str) -> String {
    let count = count.into();
    format!("{} {}", money(Decimal::from(count)), if count == 1 { one } else { other })
}
