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
    /// Email consent stated by the file as a whole (Mailchimp's export of subscribed members,
    /// known by its columns), with the column that shows it.
    pub file_consent: Option<(ConsentStatus, String)>,
    /// In a workbook, the sheet's first column (0 is A), so that a column is named by its
    /// letter too.
    pub first_column: Option<u32>,
}

/// A row as a draft, before validation.
pub(crate) struct RowDraft {
    pub draft: CustomerDraft,
    /// Lines of the note the import adds, if any.
    pub note: Vec<String>,
    /// The column each of `draft.emails` and `draft.phones` came from.
    pub email_columns: Vec<usize>,
    pub phone_columns: Vec<usize>,
    /// The day of the visit or sign-up the row records (its contact-date column): the date of
    /// the consents it states and of its note.
    pub date: Option<NaiveDate>,
    /// Cells whose value could not be used where the mapping sends it, with what is wrong:
    /// each is kept as typed in the note instead, so a typo in one cell never costs the person.
    pub cells_in_note: Vec<(usize, Problem)>,
}

/// Longest name, company and tag the book stores (as `validate` checks them).
const MAX_NAME_CHARS: usize = 200;
const MAX_TAG_CHARS: usize = 60;

/// Google's system labels, which are not the dealer's tags.
const SYSTEM_LABELS: &[&str] = &["myContacts", "starred", "Imported on"];

impl RowPlan {
    pub fn column(&self, index: usize) -> &str {
        self.mapping.get(index).map_or("?", |column| column.column.as_str())
    }

    /// The column's letter in the workbook ("C"); None for a text file or vCards.
    pub fn letter(&self, index: usize) -> Option<String> {
        let first = self.first_column?;
        Some(super::source::column_letter(first + u32::try_from(index).ok()?))
    }

    /// Builds the draft; an error is (column index, message), only when nothing in the row
    /// names a person (`usize::MAX` when no single column is to blame).
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
        let mut date = None;
        // The consents the row states, each with its own date if it has one and its column;
        // the first answer per channel counts.
        let mut stated: Vec<(Channel, ConsentStatus, Option<NaiveDate>, &str)> = Vec::new();
        let mut bounced = false;
        let mut cells_in_note: Vec<(usize, Problem)> = Vec::new();
        let mut name_column = None;
        // A cell that cannot go where the mapping sends it goes to the note, as typed.
        let mut keep_in_note = |note: &mut Vec<String>, index: usize, column: &str, value: &str, problem| {
            note.push(format!("{column}: {value}"));
            cells_in_note.push((index, problem));
        };
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
                Target::FullName | Target::GivenName | Target::MiddleName | Target::FamilyName
                    if value.chars().count() > MAX_NAME_CHARS =>
                {
                    let problem = Problem::TooLong { max_chars: MAX_NAME_CHARS };
                    keep_in_note(&mut note, index, &column.column, value, problem);
                }
                Target::FullName => (full, name_column) = (value.to_string(), Some(index)),
                Target::GivenName => (given, name_column) = (value.to_string(), name_column.or(Some(index))),
                Target::MiddleName => middle = value.to_string(),
                Target::FamilyName => {
                    (family, name_column) = (value.to_string(), name_column.or(Some(index)))
                }
                Target::Title => draft.title = value.to_string(),
                Target::Suffix => suffix = value.to_string(),
                Target::Company if value.chars().count() > MAX_NAME_CHARS => {
                    let problem = Problem::TooLong { max_chars: MAX_NAME_CHARS };
                    keep_in_note(&mut note, index, &column.column, value, problem);
                }
                Target::Company => draft.company = value.to_string(),
                Target::JobTitle => draft.job_title = value.to_string(),
                Target::Language => match language_code(value) {
                    Some(code) => draft.language = code,
                    None => note.push(format!("{}: {value}", column.column)),
                },
                Target::Email { group } => {
                    for address in split_values(value, &[";", ",", " "]) {
                        if crate::validate::is_email(&address) {
                            emails.push((group, address, index));
                        } else {
                            let problem = Problem::NotAnEmail { value: address.clone() };
                            keep_in_note(&mut note, index, &column.column, &address, problem);
                        }
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
                    let date = match parse_date(value, order) {
                        Ok(date) => date,
                        Err(problem) => {
                            keep_in_note(&mut note, index, &column.column, value, problem);
                            None
                        }
                    };
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
                        if tag.chars().count() > MAX_TAG_CHARS {
                            let problem = Problem::TooLong { max_chars: MAX_TAG_CHARS };
                            keep_in_note(&mut note, index, &column.column, tag, problem);
                        } else if !tag.is_empty()
                            && !SYSTEM_LABELS.iter().any(|system| tag.starts_with(system))
                        {
                            draft.tags.push(tag.to_string());
                        }
                    }
                }
                Target::SourceDetail => draft.source_detail = value.to_string(),
                Target::ContactDate => match self.day(index, value) {
                    Ok(day) => date = Some(day),
                    Err(problem) => keep_in_note(&mut note, index, &column.column, value, problem),
                },
                // A date in Mailchimp's UNSUB_TIME: the address was unsubscribed then.
                Target::EmailUnsubscribed => {
                    let day = self.day(index, value).map_err(|problem| {
                        keep_in_note(&mut note, index, &column.column, value, problem);
                    });
                    stated.push((Channel::Email, ConsentStatus::OptedOut, day.ok(), &column.column));
                }
                // Mailchimp's CLEAN_TIME: the address bounced; that is no answer from the person.
                Target::EmailBounced => {
                    bounced = true;
                    note.push(format!("{}: {value} (the email address bounced)", column.column));
                }
                Target::Consent { channel } => match parse_consent(value) {
                    Ok(Some(status)) => stated.push((*channel, status, None, &column.column)),
                    Ok(None) => {}
                    Err(problem) => keep_in_note(&mut note, index, &column.column, value, problem),
                },
            }
        }
        if !consent_columns
            && !bounced
            && !stated.iter().any(|(channel, ..)| *channel == Channel::Email)
            && let Some((status, column)) = &self.file_consent
        {
            stated.push((Channel::Email, *status, None, column));
        }
        for (channel, status, day, column) in stated {
            if !draft.consents.iter().any(|consent| consent.channel == channel) {
                draft.consents.push(self.consent(channel, status, day.or(date), column));
            }
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
            // What cost the row its last way to name the person is the better reason.
            return Err(cells_in_note
                .into_iter()
                .next()
                .unwrap_or((usize::MAX, Problem::NoNameEmailOrPhone)));
        }
        if full.chars().count() > MAX_NAME_CHARS {
            // Parts that fit may make a name that does not.
            let problem = Problem::TooLong { max_chars: MAX_NAME_CHARS };
            let column = name_column.unwrap_or(usize::MAX);
            note.push(format!("{}: {full}", self.column(column)));
            cells_in_note.push((column, problem));
            full = draft.emails.first().map(|email| email.address.clone()).unwrap_or_default();
            if full.is_empty() {
                full = draft.phones.first().map(|phone| phone.number.clone()).unwrap_or_default();
            }
            if full.is_empty() {
                return Err(cells_in_note.pop().unwrap_or((usize::MAX, Problem::NoNameEmailOrPhone)));
            }
            (given, family) = (String::new(), String::new());
        }
        draft.full_name = full;
        draft.given_name = given;
        draft.family_name = family;
        Ok(RowDraft { draft, note, email_columns, phone_columns, date, cells_in_note })
    }

    /// A consent the row states in `column`, given on `day` (else the row's date, else the day of
    /// the import).
    fn consent(
        &self,
        channel: Channel,
        status: ConsentStatus,
        day: Option<NaiveDate>,
        column: &str,
    ) -> Consent {
        Consent {
            channel,
            status,
            date: Some(day.unwrap_or(self.today)),
            source: format!("import of {}, column '{column}'", self.file_name),
        }
    }

    /// A whole day (a visit, a sign-up, an opt-out) in column `index`, in its date order.
    fn day(&self, index: usize, value: &str) -> Result<NaiveDate, Problem> {
        let order = self.date_orders.get(&index).copied().unwrap_or(DateOrder::DayFirst);
        let date = parse_date(value, order)?;
        date.and_then(|date| NaiveDate::from_ymd_opt(date.year()?, date.month(), date.day()))
            .ok_or_else(|| Problem::NotADate { value: value.to_string() })
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
