//! Checks and tidies a draft before it is stored. Every error names the field it is about,
//! in the same path syntax the UI uses to place the message ("phones[1].number").

use std::collections::HashSet;

use email_address::{EmailAddress, Options};
use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::model::{BookSettings, Channel, Consent, ConsentStatus, CustomerDraft, OccasionKind};
use crate::phone;
use crate::problem::Problem;

/// A draft that passed `normalise`, with what validation learnt on the way.
#[derive(Clone)]
pub(crate) struct ValidDraft {
    pub profile: CustomerDraft,
    /// National-form digits of each phone, for the search index (parsing twice is costly).
    pub phone_national_digits: Vec<String>,
    /// Phones kept as typed although they are not valid numbers, by their index among the
    /// draft's phones as given (less empty ones), with what is wrong with each.
    pub unverified_phones: Vec<(usize, Problem)>,
}

/// Which phone numbers that are not valid may be kept as typed, unverified: without an E.164
/// form they are never matched against other people, never texted, and shown as unverified
/// until the dealer corrects them.
pub(crate) enum Unverified<'a> {
    /// None: a number the dealer types must be one.
    Refused,
    /// Those already stored unverified on the customer, as typed, so that a profile holding one
    /// can still be saved; a new one is refused.
    Stored(&'a [String]),
    /// Any, and numbers listed twice are kept once: a file's cell with a typo must not cost
    /// the person (the import warns instead).
    FromFile,
}

/// Returns the draft trimmed and made consistent (one primary per list, phones with E.164,
/// one consent per channel), or the first problem found.
pub(crate) fn normalise(draft: CustomerDraft, settings: &BookSettings) -> Result<ValidDraft> {
    normalise_with(draft, settings, Unverified::Refused)
}

/// `normalise`, keeping the phones `unverified` allows as typed.
pub(crate) fn normalise_with(
    mut draft: CustomerDraft,
    settings: &BookSettings,
    unverified: Unverified<'_>,
) -> Result<ValidDraft> {
    let region = settings.default_region.as_str();
    trim(&mut draft.full_name);
    trim(&mut draft.given_name);
    trim(&mut draft.family_name);
    trim(&mut draft.title);
    trim(&mut draft.company);
    trim(&mut draft.job_title);
    trim(&mut draft.language);
    trim(&mut draft.source_detail);
    if draft.full_name.is_empty() {
        // A name given in parts is still a name.
        draft.full_name = [draft.given_name.as_str(), draft.family_name.as_str()]
            .iter()
            .filter(|part| !part.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
    }
    if draft.full_name.is_empty() {
        return Err(Error::invalid("full_name", Problem::NameMissing));
    }
    check_length("full_name", &draft.full_name, 200)?;
    check_length("company", &draft.company, 200)?;
    if !draft.language.is_empty() && !draft.language.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-')
    {
        return Err(Error::invalid("language", Problem::NotALanguage { value: draft.language.clone() }));
    }

    let mut seen = HashSet::new();
    draft.emails.retain(|email| !email.address.trim().is_empty() || !email.label.trim().is_empty());
    for (index, email) in draft.emails.iter_mut().enumerate() {
        trim(&mut email.label);
        trim(&mut email.address);
        let field = format!("emails[{index}].address");
        if email.address.is_empty() {
            return Err(Error::invalid(field, Problem::EmailEmpty));
        }
        if !is_email(&email.address) {
            return Err(Error::invalid(field, Problem::NotAnEmail { value: email.address.clone() }));
        }
        if !seen.insert(email.address.to_lowercase()) {
            return Err(Error::invalid(field, Problem::ListedTwice { value: email.address.clone() }));
        }
    }
    one_primary(draft.emails.iter_mut().map(|email| &mut email.primary));

    let mut seen = HashSet::new();
    let mut phone_national_digits = Vec::with_capacity(draft.phones.len());
    let mut unverified_phones = Vec::new();
    draft.phones.retain(|entry| !entry.number.trim().is_empty() || !entry.label.trim().is_empty());
    let mut phones = Vec::with_capacity(draft.phones.len());
    for (index, mut entry) in std::mem::take(&mut draft.phones).into_iter().enumerate() {
        trim(&mut entry.label);
        trim(&mut entry.number);
        let field = format!("phones[{index}].number");
        let (key, national_digits) = match phone::parse(&entry.number, region) {
            Ok(parsed) => {
                entry.e164 = Some(parsed.e164.clone());
                (parsed.e164, parsed.national_digits)
            }
            Err(problem) => {
                let kept = match &unverified {
                    Unverified::Refused => false,
                    Unverified::Stored(numbers) => numbers.contains(&entry.number),
                    Unverified::FromFile => true,
                };
                if !kept {
                    return Err(Error::invalid(field, problem));
                }
                entry.e164 = None;
                unverified_phones.push((index, problem));
                let digits = phone::digits(&phone::clean(&entry.number));
                (format!("unverified:{}", entry.number.to_lowercase()), digits)
            }
        };
        if !seen.insert(key) {
            if matches!(unverified, Unverified::FromFile) {
                if entry.e164.is_none() {
                    unverified_phones.pop();
                }
                continue;
            }
            return Err(Error::invalid(field, Problem::ListedTwice { value: entry.number.clone() }));
        }
        phones.push(entry);
        phone_national_digits.push(national_digits);
    }
    draft.phones = phones;
    one_primary(draft.phones.iter_mut().map(|entry| &mut entry.primary));

    draft.addresses.retain(|address| {
        [&address.street, &address.city, &address.region, &address.postal_code, &address.country]
            .iter()
            .any(|part| !part.trim().is_empty())
    });
    for address in &mut draft.addresses {
        for part in [
            &mut address.label,
            &mut address.street,
            &mut address.city,
            &mut address.region,
            &mut address.postal_code,
            &mut address.country,
        ] {
            trim(part);
        }
    }
    one_primary(draft.addresses.iter_mut().map(|address| &mut address.primary));

    for (index, occasion) in draft.occasions.iter_mut().enumerate() {
        trim(&mut occasion.label);
        if occasion.kind == OccasionKind::Other && occasion.label.is_empty() {
            return Err(Error::invalid(format!("occasions[{index}].label"), Problem::OccasionUnnamed));
        }
    }

    if let Some(ring) = &mut draft.ring_size {
        trim(&mut ring.value);
        if ring.value.is_empty() {
            draft.ring_size = None;
        }
    }
    if let Some(wrist) = draft.wrist_cm
        && (wrist < Decimal::from(8) || wrist > Decimal::from(35))
    {
        return Err(Error::invalid("wrist_cm", Problem::NotAWristSize { value: wrist.to_string() }));
    }

    let prefs = &mut draft.preferences;
    for list in [&mut prefs.brands, &mut prefs.styles, &mut prefs.materials] {
        clean_list(list);
    }
    trim(&mut prefs.currency);
    prefs.currency.make_ascii_uppercase();
    if !prefs.currency.is_empty() && !is_currency_code(&prefs.currency) {
        return Err(Error::invalid(
            "preferences.currency",
            Problem::NotACurrency { value: prefs.currency.clone() },
        ));
    }
    for (field, amount) in
        [("preferences.price_min", prefs.price_min), ("preferences.price_max", prefs.price_max)]
    {
        if amount.is_some_and(|amount| amount.is_sign_negative()) {
            return Err(Error::invalid(field, Problem::NegativePrice));
        }
    }
    // A price range means the currency of the day it was typed, even if the book's changes.
    if prefs.currency.is_empty() && (prefs.price_min.is_some() || prefs.price_max.is_some()) {
        prefs.currency = settings.default_currency.clone();
    }
    if let (Some(min), Some(max)) = (prefs.price_min, prefs.price_max)
        && min > max
    {
        return Err(Error::invalid("preferences.price_max", Problem::PriceRangeReversed));
    }

    clean_list(&mut draft.tags);
    for (index, tag) in draft.tags.iter().enumerate() {
        check_length(&format!("tags[{index}]"), tag, 60)?;
    }

    draft.consents = consents_per_channel(std::mem::take(&mut draft.consents))?;
    Ok(ValidDraft { profile: draft, phone_national_digits, unverified_phones })
}

/// A plain address: no display name ("Anna <a@b.com>"), no IP literal, a dotted domain.
pub(crate) fn is_email(address: &str) -> bool {
    let options = Options::default().without_display_text().without_domain_literal();
    EmailAddress::parse_with_options(address, options)
        .is_ok_and(|parsed| parsed.domain().contains('.') && !parsed.domain().ends_with('.'))
}

fn trim(text: &mut String) {
    let trimmed = text.trim();
    if trimmed.len() != text.len() {
        *text = trimmed.to_string();
    }
}

pub(crate) fn check_length(field: &str, text: &str, max_chars: usize) -> Result<()> {
    if text.chars().count() > max_chars {
        return Err(Error::invalid(field, Problem::TooLong { max_chars }));
    }
    Ok(())
}

/// Exactly one primary in a non-empty list: the first marked one, else the first entry.
fn one_primary<'a>(flags: impl Iterator<Item = &'a mut bool>) {
    let mut flags: Vec<&mut bool> = flags.collect();
    let chosen = flags.iter().position(|flag| **flag).unwrap_or(0);
    for (index, flag) in flags.iter_mut().enumerate() {
        **flag = index == chosen;
    }
}

/// Trims, drops empty entries and case-insensitive repeats, keeping the first spelling.
fn clean_list(list: &mut Vec<String>) {
    let mut seen = HashSet::new();
    list.retain_mut(|item| {
        trim(item);
        !item.is_empty() && seen.insert(item.to_lowercase())
    });
}

pub fn is_currency_code(code: &str) -> bool {
    code.len() == 3 && code.chars().all(|ch| ch.is_ascii_uppercase())
}

/// Larger than any single piece a dealer sells; catches a slipped finger (or a pasted serial).
const MAX_AMOUNT: i64 = 1_000_000_000;

/// An ISO country code (the region national phone numbers are read in), in upper case.
pub(crate) fn region_code(field: &str, region: &str) -> Result<String> {
    let region = region.trim().to_ascii_uppercase();
    if region.parse::<phonenumber::country::Id>().is_err() {
        return Err(Error::invalid(field, Problem::NotACountry { value: region }));
    }
    Ok(region)
}

/// An ISO currency code in upper case; empty means the book's currency.
pub(crate) fn currency_or_book(field: &str, currency: &str, settings: &BookSettings) -> Result<String> {
    let currency = currency.trim().to_ascii_uppercase();
    if currency.is_empty() {
        return Ok(settings.default_currency.clone());
    }
    if !is_currency_code(&currency) {
        return Err(Error::invalid(field, Problem::NotACurrency { value: currency.to_string() }));
    }
    Ok(currency)
}

/// A price or budget: not negative, not absurd, at most four decimal places (so that every
/// amount is a whole number of ten-thousandths, see `purchases.total_units`).
pub(crate) fn check_amount(field: &str, amount: Decimal) -> Result<()> {
    if amount.is_sign_negative() || amount > Decimal::from(MAX_AMOUNT) {
        return Err(Error::invalid(field, Problem::AmountOutOfRange { value: amount.to_string() }));
    }
    if amount.scale() > 4 {
        return Err(Error::invalid(field, Problem::TooManyDecimals));
    }
    Ok(())
}

/// One consent per channel in channel order; channels not given are `unknown`.
fn consents_per_channel(given: Vec<Consent>) -> Result<Vec<Consent>> {
    let mut result: Vec<Consent> = Channel::ALL
        .iter()
        .map(|&channel| Consent {
            channel,
            status: ConsentStatus::Unknown,
            date: None,
            source: String::new(),
        })
        .collect();
    let mut seen = HashSet::new();
    for (index, mut consent) in given.into_iter().enumerate() {
        if !seen.insert(consent.channel) {
            return Err(Error::invalid(
                format!("consents[{index}].channel"),
                Problem::ConsentTwice { channel: consent.channel },
            ));
        }
        trim(&mut consent.source);
        if let Some(slot) = result.iter_mut().find(|slot| slot.channel == consent.channel) {
            *slot = consent;
        }
    }
    Ok(result)
}

/// Reads an exact amount as typed on the command line ("25,000", "£9,150.50", "9.150,00"; a
/// single mark before three digits is read the English way), naming `field` when it cannot.
pub fn parse_amount(field: &str, text: &str) -> Result<Decimal> {
    crate::amount::read_amount(text, None).map_err(|problem| Error::invalid(field, problem))
}
