//! One line of the file made into a customer draft, following the mapping, with a note of
//! which column each email and phone came from so that an error can name it.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::mapping::{AddressPart, ColumnMapping, Target, is_notes_column};
use super::values::{DateOrder, parse_consent, parse_date, split_name, split_values};
use crate::model::*;
use crate::problem::Problem;

/// What the whole file shares: its mapping and per-column decisions.
pub(crate) struct RowPlan {
    pub mapping: Vec<ColumnMapping>,
    /// Date order per column index (birthday and anniversary columns).
    pub date_orders: HashMap<usize, DateOrder>,
    pub file_name: String,
    pub today: NaiveDate,
    /// Consent stated by the file as a whole (a Mailchimp "subscribed" export).
    pub file_consent: Option<ConsentStatus>,
}

/// A row as a draft, before validation.
pub(crate) struct RowDraft {
    pub draft: CustomerDraft,
    /// Lines of the note the import adds, if any.
    pub note: Vec<String>,
    /// The column each of `draft.emails` and `draft.phones` came from.
    pub email_columns: Vec<usize>,
    pub phone_columns: Vec<usize>,
}

/// Google's system labels, which are not the dealer's tags.
const SYSTEM_LABELS: &[&str] = &["myContacts", "starred", "Imported on"];

impl RowPlan {
    pub fn column(&self, index: usize) -> &str {
        self.mapping.get(index).map_or("?", |column| column.column.as_str())
    }

    /// Builds the draft; an error is (column index, message).
    pub fn draft(&self, fields: &csv::StringRecord) -> Result<RowDraft, (usize, Problem)> {
        let mut draft = CustomerDraft::named("");
        draft.source = Some(Source::Import);
        draft.source_detail = self.file_name.clone();
        let mut note = Vec::new();
        let (mut full, mut given, mut middle, mut family, mut suffix) =
            (String::new(), String::new(), String::new(), String::new(), String::new());
        let mut email_labels: HashMap<&str, String> = HashMap::new();
        let mut phone_labels: HashMap<&str, String> = HashMap::new();
        let mut emails: Vec<(&str, String, usize)> = Vec::new();
        let mut phones: Vec<(&str, String, usize)> = Vec::new();
        let mut addresses: Vec<(&str, AddressEntry)> = Vec::new();
        let mut consent_columns = false;
        for (index, (column, value)) in self.mapping.iter().zip(fields.iter()).enumerate() {
            let value = crate::csv_file::unguarded(value.trim());
            if let Target::Consent { .. } = column.target {
                consent_columns = true;
            }
            if value.is_empty() {
                continue;
            }
            match &column.target {
                Target::Ignore => {}
                Target::Note if is_notes_column(&column.column) => note.push(value.to_string()),
                Target::Note => note.push(format!("{}: {value}", column.column)),
                Target::FullName => full = value.to_string(),
                Target::GivenName => given = value.to_string(),
                Target::MiddleName => middle = value.to_string(),
                Target::FamilyName => family = value.to_string(),
                Target::Title => draft.title = value.to_string(),
                Target::Suffix => suffix = value.to_string(),
                Target::Company => draft.company = value.to_string(),
                Target::JobTitle => draft.job_title = value.to_string(),
                Target::Language => match language_code(value) {
                    Some(code) => draft.language = code,
                    None => note.push(format!("{}: {value}", column.column)),
                },
                Target::Email { group } => {
                    for address in split_values(value, &[";", ",", " "]) {
                        emails.push((group, address, index));
                    }
                }
                Target::EmailLabel { group } => {
                    email_labels.insert(group, label(value));
                }
                Target::Phone { group } => {
                    for number in split_values(value, &[";", " / "]) {
                        phones.push((group, number, index));
                    }
                }
                Target::PhoneLabel { group } => {
                    phone_labels.insert(group, label(value));
                }
                Target::Address { group, part } => {
                    let position = match addresses.iter().position(|(existing, _)| existing == group) {
                        Some(position) => position,
                        None => {
                            let entry = AddressEntry {
                                label: group_label(group),
                                street: String::new(),
                                city: String::new(),
                                region: String::new(),
                                postal_code: String::new(),
                                country: String::new(),
                                primary: addresses.is_empty(),
                            };
                            addresses.push((group, entry));
                            addresses.len() - 1
                        }
                    };
                    let address = &mut addresses[position].1;
                    let slot = match part {
                        AddressPart::Street => &mut address.street,
                        AddressPart::City => &mut address.city,
                        AddressPart::Region => &mut address.region,
                        AddressPart::PostalCode => &mut address.postal_code,
                        AddressPart::Country => &mut address.country,
                    };
                    if !slot.is_empty() {
                        slot.push_str(", ");
                    }
                    slot.push_str(value);
                }
                Target::Birthday | Target::Anniversary => {
                    let order = self.date_orders.get(&index).copied().unwrap_or(DateOrder::DayFirst);
                    let date = parse_date(value, order).map_err(|problem| (index, problem))?;
                    if let Some(date) = date {
                        if column.target == Target::Birthday {
                            draft.birthday = Some(date);
                        } else {
                            draft.occasions.push(Occasion {
                                kind: OccasionKind::Anniversary,
                                label: "Anniversary".into(),
                                date,
                            });
                        }
                    }
                }
                Target::Tags => {
                    for tag in split_values(value, &[",", ";"]) {
                        let tag = tag.trim_start_matches('*').trim();
                        if !tag.is_empty() && !SYSTEM_LABELS.iter().any(|system| tag.starts_with(system)) {
                            draft.tags.push(tag.to_string());
                        }
                    }
                }
                Target::SourceDetail => draft.source_detail = value.to_string(),
                Target::Consent { channel } => {
                    let status = parse_consent(value).map_err(|problem| (index, problem))?;
                    if let Some(status) = status {
                        draft.consents.push(self.consent(*channel, status));
                    }
                }
            }
        }
        if !consent_columns && let Some(status) = self.file_consent {
            draft.consents.push(self.consent(Channel::Email, status));
        }

        let mut seen_emails = Vec::new();
        let mut email_columns = Vec::new();
        for (group, address, column) in emails {
            let key = address.to_lowercase();
            if seen_emails.contains(&key) {
                continue;
            }
            seen_emails.push(key);
            let label = email_labels.get(group).cloned().unwrap_or_else(|| group_label(group));
            draft.emails.push(EmailEntry { label, address, primary: draft.emails.is_empty() });
            email_columns.push(column);
        }
        let mut seen_phones = Vec::new();
        let mut phone_columns = Vec::new();
        for (group, number, column) in phones {
            let digits = crate::phone::digits(&number);
            if seen_phones.contains(&digits) {
                continue;
            }
            seen_phones.push(digits);
            let label = phone_labels.get(group).cloned().unwrap_or_else(|| group_label(group));
            draft.phones.push(PhoneEntry { label, number, e164: None, primary: draft.phones.is_empty() });
            phone_columns.push(column);
        }
        draft.addresses = addresses.into_iter().map(|(_, address)| address).collect();

        if full.is_empty() {
            full = [given.as_str(), middle.as_str(), family.as_str()]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
        } else if given.is_empty()
            && family.is_empty()
            && let Some((split_given, split_family)) = split_name(&full)
        {
            given = split_given;
            family = split_family;
            // "Smith, Anna" reads better as "Anna Smith".
            if full.contains(',') {
                full = format!("{given} {family}");
            }
        }
        if !suffix.is_empty() && !full.is_empty() {
            full = format!("{full} {suffix}");
        }
        if full.is_empty() {
            // Without a name, what identifies the person stands in for one.
            full = draft.emails.first().map(|email| email.address.clone()).unwrap_or_default();
        }
        if full.is_empty() {
            full = draft.phones.first().map(|phone| phone.number.clone()).unwrap_or_default();
        }
        if full.is_empty() {
            return Err((usize::MAX, Problem::NoNameEmailOrPhone));
        }
        draft.full_name = full;
        draft.given_name = given;
        draft.family_name = family;
        Ok(RowDraft { draft, note, email_columns, phone_columns })
    }

    fn consent(&self, channel: Channel, status: ConsentStatus) -> Consent {
        Consent { channel, status, date: Some(self.today), source: format!("import of {}", self.file_name) }
    }
}

/// Google writes labels as "* Home" or "Work"; Loupe keeps them lower case.
fn label(value: &str) -> String {
    value.trim_start_matches('*').trim().to_lowercase()
}

/// The label a column group implies: "mobile", "home", "work", "other"; numbers imply none.
fn group_label(group: &str) -> String {
    let word: String = group.chars().take_while(|ch| ch.is_alphabetic()).collect();
    word
}

/// A language code from what people write in a Language column.
fn language_code(value: &str) -> Option<String> {
    let folded = crate::fold::fold(value);
    let code = match folded.trim() {
        "english" | "englisch" | "anglais" | "英语" | "英文" => "en",
        "chinese" | "mandarin" | "中文" | "汉语" | "普通话" | "chinois" | "chinesisch" => "zh",
        "cantonese" | "粤语" | "广东话" => "yue",
        "german" | "deutsch" | "allemand" | "德语" => "de",
        "french" | "francais" | "franzosisch" | "法语" => "fr",
        "italian" | "italiano" | "意大利语" => "it",
        "japanese" | "日本語" | "日语" => "ja",
        "spanish" | "espanol" | "西班牙语" => "es",
        other if other.len() <= 8 && other.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-') => {
            return Some(value.trim().to_string());
        }
        _ => return None,
    };
    Some(code.to_string())
}
