//! What the dealer prints: address labels for a postal mailing list, a receipt and certificate
//! of sale, a customer's card. Each is a typst template (`*.typ` beside this file, compiled in
//! from memory) laid out by an embedded typst with the data as JSON (see `world.rs`): every
//! word, date and amount is made here, in the chosen language, and the templates only place
//! them. The PDF is written beside its target and renamed into place when whole.

mod address;
mod fonts;
mod words;
mod world;

use std::path::Path;
use std::sync::atomic::AtomicBool;

use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::model::*;
use crate::problem::Problem;
use crate::store::Book;
use address::{PostalAddress, address_lines};
use words::{Words, long_date, partial_date};

const LABELS: &str = include_str!("labels.typ");
const RECEIPT: &str = include_str!("receipt.typ");
const CARD: &str = include_str!("card.typ");

/// Purchases a customer's card lists, newest first.
const CARD_PURCHASES: usize = 5;

impl Book {
    /// Prints the postal mailing list of `filter` as address labels on `layout`: exactly the
    /// people the CSV list of the same filter holds (opted in to post, with an address), in
    /// its order, each address laid out by its country's convention (`address.rs`).
    pub fn export_labels(
        &self,
        filter: &MailingFilter,
        layout: LabelLayout,
        out: &Path,
        cancel: &AtomicBool,
        mut progress: impl FnMut(JobProgress),
    ) -> Result<LabelsExport> {
        if filter.channel != MailingChannel::Post {
            return Err(Error::invalid("channel", Problem::LabelsNeedPost));
        }
        let home = self.settings()?.default_region;
        let mut labels: Vec<Vec<String>> = Vec::new();
        let counts = self.walk_mailing_list(filter, cancel, &mut progress, &mut |row| {
            let address = PostalAddress {
                name: &row.full_name,
                street: &row.street,
                city: &row.city,
                region: &row.region,
                postal_code: &row.postal_code,
                country: &row.country,
            };
            labels.push(address_lines(&address, &home));
            Ok(())
        })?;
        let sheet = Sheet::of(layout);
        // No one to print is still a document: one blank page.
        let pages = labels.len().div_ceil(sheet.per_page).max(1) as u32;
        let data = json!({ "sheet": sheet.json(), "labels": labels });
        write_pdf(out, &world::render_pdf(LABELS, &data)?)?;
        let total = u64::from(counts.rows);
        progress(JobProgress { done: total, total });
        Ok(LabelsExport {
            file: out.display().to_string(),
            labels: counts.rows,
            pages,
            excluded_no_consent: counts.excluded_no_consent,
            excluded_no_address: counts.excluded_no_address,
        })
    }

    /// Prints sale `purchase_id` as a receipt that also certifies the pieces (serials, box
    /// and papers), in `language` or else the customer's own (Chinese or English).
    pub fn print_receipt(&self, purchase_id: i64, language: Option<PrintLanguage>, out: &Path) -> Result<()> {
        let purchase = self.purchase(purchase_id)?;
        let customer = self.customer(purchase.customer_id)?;
        let settings = self.settings()?;
        let language = language.unwrap_or_else(|| PrintLanguage::of_customer(&customer.profile.language));
        let data = receipt_data(&purchase, &customer, &settings, Words::of(language));
        write_pdf(out, &world::render_pdf(RECEIPT, &data)?)
    }

    /// Prints a one-page summary of customer `customer_id` for the dealer, in the dealer's
    /// `language`.
    pub fn print_card(&mut self, customer_id: i64, language: PrintLanguage, out: &Path) -> Result<()> {
        let story = self.customer_story(customer_id)?;
        let settings = self.settings()?;
        let data = card_data(&story, &settings, Words::of(language));
        write_pdf(out, &world::render_pdf(CARD, &data)?)
    }
}

/// A sheet's geometry, in millimetres.
struct Sheet {
    width: f64,
    height: f64,
    top: f64,
    left: f64,
    label_width: f64,
    label_height: f64,
    pitch_x: f64,
    pitch_y: f64,
    columns: usize,
    per_page: usize,
    /// The text's largest size, in points; longer lines get smaller.
    font_size: f64,
}

const INCH: f64 = 25.4;

impl Sheet {
    fn of(layout: LabelLayout) -> Sheet {
        match layout {
            LabelLayout::L7160 => Sheet {
                width: 210.0,
                height: 297.0,
                top: 15.15,
                left: 7.25,
                label_width: 63.5,
                label_height: 38.1,
                pitch_x: 66.0,
                pitch_y: 38.1,
                columns: 3,
                per_page: 21,
                font_size: 10.0,
            },
            LabelLayout::Avery5160 => Sheet {
                width: 8.5 * INCH,
                height: 11.0 * INCH,
                top: 0.5 * INCH,
                left: 0.1875 * INCH,
                label_width: 2.625 * INCH,
                label_height: INCH,
                pitch_x: 2.75 * INCH,
                pitch_y: INCH,
                columns: 3,
                per_page: 30,
                font_size: 9.0,
            },
            // The address in the lower right of a DL envelope, clear of the stamp and the
            // sender's corner.
            LabelLayout::Envelope => Sheet {
                width: 220.0,
                height: 110.0,
                top: 48.0,
                left: 100.0,
                label_width: 105.0,
                label_height: 52.0,
                pitch_x: 0.0,
                pitch_y: 0.0,
                columns: 1,
                per_page: 1,
                font_size: 12.0,
            },
        }
    }

    fn json(&self) -> Value {
        json!({
            "width": self.width, "height": self.height, "top": self.top, "left": self.left,
            "label_width": self.label_width, "label_height": self.label_height,
            "pitch_x": self.pitch_x, "pitch_y": self.pitch_y,
            "columns": self.columns, "per_page": self.per_page, "font_size": self.font_size,
        })
    }
}

fn receipt_data(purchase: &Purchase, customer: &Customer, settings: &BookSettings, words: Words) -> Value {
    let sale = &purchase.sale;
    let currency = if sale.currency.is_empty() { settings.default_currency.as_str() } else { &sale.currency };
    let money = |amount: Decimal| amount_text(amount, currency);
    let profile = &customer.profile;
    let address = profile.addresses.iter().find(|address| address.primary).or(profile.addresses.first());
    let mut customer_lines = match address {
        Some(address) => address_lines(
            &PostalAddress {
                name: &profile.full_name,
                street: &address.street,
                city: &address.city,
                region: &address.region,
                postal_code: &address.postal_code,
                country: &address.country,
            },
            &settings.default_region,
        ),
        None => vec![profile.full_name.clone()],
    };
    if let Some(phone) = profile.phones.iter().find(|phone| phone.primary).or(profile.phones.first()) {
        customer_lines.push(phone_text(phone, &settings.default_region));
    }
    if let Some(email) = profile.emails.iter().find(|email| email.primary).or(profile.emails.first()) {
        customer_lines.push(email.address.clone());
    }
    let items: Vec<Value> = sale
        .items
        .iter()
        .map(|item| {
            let mut details = Vec::new();
            if !item.reference_number.is_empty() {
                details.push(format!("{} {}", words.reference, item.reference_number));
            }
            if !item.serial_number.is_empty() {
                details.push(format!("{} {}", words.serial, item.serial_number));
            }
            details.push(words.box_and_papers(item.has_box, item.has_papers).to_string());
            let mut condition = words.condition(item.condition).to_string();
            if !item.condition_grade.is_empty() {
                condition = format!("{condition} ({})", item.condition_grade);
            }
            details.push(condition);
            if !item.material.is_empty() {
                details.push(item.material.clone());
            }
            if !item.description.is_empty() {
                details.push(item.description.clone());
            }
            let discount_note = match &item.member_discount {
                Some(member) => words.member_discount(&member.tier.name, member.percent),
                None if item.discount > Decimal::ZERO => words.discount.to_string(),
                None => String::new(),
            };
            json!({
                "title": piece_title(item.category, &item.brand, &item.model, words),
                "details": details,
                "price": money(item.price),
                "discount": if item.discount > Decimal::ZERO { format!("−{}", money(item.discount)) } else { String::new() },
                "discount_note": discount_note,
                "amount": money(item.amount()),
            })
        })
        .collect();
    let mut totals = Vec::new();
    let discounts: Decimal = sale.items.iter().map(|item| item.discount).sum();
    if discounts > Decimal::ZERO || sale.redemption.is_some() {
        totals.push(json!([words.subtotal, money(sale.items.iter().map(|item| item.price).sum())]));
    }
    if discounts > Decimal::ZERO {
        totals.push(json!([words.discounts, format!("−{}", money(discounts))]));
    }
    if let Some(redeemed) = &sale.redemption {
        totals.push(json!([words.points_redeemed(redeemed.points), format!("−{}", money(redeemed.value))]));
    }
    let payments: Vec<Value> = sale
        .payments
        .iter()
        .map(|payment| {
            json!([
                format!("{} · {}", words.payment(payment.method), long_date(payment.paid_on, words)),
                money(payment.amount)
            ])
        })
        .chain(sale.trade_ins.iter().map(|trade_in| {
            let piece = piece_title(trade_in.category, &trade_in.brand, &trade_in.model, words);
            let serial = if trade_in.serial_number.is_empty() {
                String::new()
            } else {
                format!(", {} {}", words.serial, trade_in.serial_number)
            };
            json!([format!("{}: {piece}{serial}", words.trade_in), money(trade_in.allowance)])
        }))
        .collect();
    let shop_name = if settings.shop_name.is_empty() { words.the_dealer } else { &settings.shop_name };
    json!({
        "lang": words.lang,
        "words": {
            "title": words.receipt_title, "number": format!("{} {}", words.receipt_number, purchase.id),
            "date": words.date, "sold_to": words.sold_to, "item": words.item, "price": words.price,
            "discount": words.discount, "amount": words.amount, "total": words.total,
            "payments": words.payments, "balance": words.balance_due, "signature": words.signature,
            "salesperson": words.salesperson,
        },
        "shop": {
            "name": settings.shop_name,
            "address": settings.shop_address.lines().collect::<Vec<_>>(),
            "phone": settings.shop_phone,
        },
        "date": long_date(sale.purchased_on, words),
        "salesperson": sale.salesperson,
        "customer": customer_lines,
        "items": items,
        "totals": totals,
        "total": money(purchase.total),
        "payments": payments,
        "balance": if purchase.balance_due > Decimal::ZERO { money(purchase.balance_due) } else { String::new() },
        "points": if purchase.points_earned > 0 { words.points_earned(purchase.points_earned) } else { String::new() },
        "certificate": words.certificate(shop_name, &profile.full_name, &long_date(sale.purchased_on, words)),
    })
}

fn card_data(story: &CustomerStory, settings: &BookSettings, words: Words) -> Value {
    let profile = &story.customer.profile;
    let region = &settings.default_region;
    let mut contacts: Vec<Value> = Vec::new();
    for phone in &profile.phones {
        contacts.push(json!([labelled(words.phone, &phone.label), phone_text(phone, region)]));
    }
    for email in &profile.emails {
        contacts.push(json!([labelled(words.email, &email.label), email.address]));
    }
    for address in &profile.addresses {
        let lines = address_lines(
            &PostalAddress {
                name: "",
                street: &address.street,
                city: &address.city,
                region: &address.region,
                postal_code: &address.postal_code,
                country: &address.country,
            },
            region,
        );
        contacts.push(json!([labelled(words.address, &address.label), lines.join("\n")]));
    }
    let mut profile_rows: Vec<Value> = Vec::new();
    if let Some(birthday) = &profile.birthday {
        profile_rows.push(json!([words.birthday, partial_date(birthday, words)]));
    }
    for occasion in &profile.occasions {
        profile_rows.push(json!([occasion.label, partial_date(&occasion.date, words)]));
    }
    if let Some(method) = profile.preferred_contact {
        profile_rows.push(json!([words.prefers, words.contact_method(method)]));
    }
    let preferences = &profile.preferences;
    for (label, values) in [
        (words.brands, &preferences.brands),
        (words.styles, &preferences.styles),
        (words.materials, &preferences.materials),
    ] {
        if !values.is_empty() {
            profile_rows.push(json!([label, values.join(", ")]));
        }
    }
    let budget_currency = if preferences.currency.is_empty() {
        settings.default_currency.as_str()
    } else {
        &preferences.currency
    };
    if let Some(budget) = range_text(preferences.price_min, preferences.price_max, budget_currency) {
        profile_rows.push(json!([words.budget, budget]));
    }
    if let Some(ring) = &profile.ring_size {
        profile_rows.push(json!([
            words.ring_size,
            format!("{} ({})", ring.value, ring.system.as_str().to_uppercase())
        ]));
    }
    if let Some(wrist) = profile.wrist_cm {
        profile_rows.push(json!([words.wrist, format!("{} cm", wrist.normalize())]));
    }
    if !profile.tags.is_empty() {
        profile_rows.push(json!([words.tags, profile.tags.join(", ")]));
    }

    let mut standing: Vec<Value> = vec![json!([words.segment, words.segment_name(story.standing.segment)])];
    if let Some(class) = story.standing.value_class {
        standing.push(json!([words.value_class, words.value_class_name(class)]));
    }
    if let Some(membership) = &story.membership {
        let tier = membership
            .tier
            .as_ref()
            .map_or(words.not_a_member.to_string(), |tier| words.tier_name(&tier.name));
        standing.push(json!([words.tier, tier]));
        standing.push(json!([words.points, points_text(membership.points)]));
    }
    if let Some(spend) = story.totals.by_currency.first() {
        standing.push(json!([words.lifetime_spend, amount_text(spend.lifetime_spend, &spend.currency)]));
        standing.push(json!([words.purchases, spend.purchases.to_string()]));
    }

    let purchases: Vec<Value> = story
        .purchases
        .iter()
        .take(CARD_PURCHASES)
        .map(|purchase| {
            let pieces: Vec<String> = purchase
                .sale
                .items
                .iter()
                .map(|item| {
                    let title = piece_title(item.category, &item.brand, &item.model, words);
                    if item.reference_number.is_empty() {
                        title
                    } else {
                        format!("{title} {}", item.reference_number)
                    }
                })
                .collect();
            let currency = if purchase.sale.currency.is_empty() {
                settings.default_currency.as_str()
            } else {
                &purchase.sale.currency
            };
            json!([
                long_date(purchase.sale.purchased_on, words),
                pieces.join("; "),
                amount_text(purchase.total, currency)
            ])
        })
        .collect();
    let wishes: Vec<Value> = story
        .wishes
        .iter()
        .filter(|wish| wish.entry.status.is_open())
        .map(|wish| {
            let draft = &wish.entry;
            let piece = [draft.brand.as_str(), &draft.model, &draft.reference_number]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let currency =
                if draft.currency.is_empty() { settings.default_currency.as_str() } else { &draft.currency };
            let mut details =
                vec![words.wish_status(draft.status).to_string(), long_date(draft.requested_on, words)];
            if let Some(budget) = range_text(draft.budget_min, draft.budget_max, currency) {
                details.push(budget);
            }
            json!({ "piece": piece, "details": details.join(" · "), "notes": draft.notes })
        })
        .collect();
    let notes: Vec<Value> = story
        .notes
        .iter()
        .filter(|note| note.entry.pinned)
        .map(|note| {
            json!({
                "heading": format!("{} · {}", words.note_category(note.entry.category), long_date(note.entry.noted_on, words)),
                "body": note.entry.body,
            })
        })
        .collect();
    let mut subtitle: Vec<String> = vec![words.customer_type(profile.customer_type).to_string()];
    subtitle
        .extend([&profile.job_title, &profile.company].into_iter().filter(|part| !part.is_empty()).cloned());
    let name = if profile.title.is_empty() {
        profile.full_name.clone()
    } else if profile.title.chars().any(crate::fold::is_cjk) {
        format!("{}{}", profile.full_name, profile.title)
    } else {
        format!("{} {}", profile.title, profile.full_name)
    };
    json!({
        "lang": words.lang,
        "words": {
            "contacts": words.contacts, "profile": words.profile, "standing": words.standing,
            "purchases": words.last_purchases, "wishes": words.open_wishes, "notes": words.pinned_notes,
            "none": words.none, "printed": format!("{} {}", words.printed, long_date(crate::clock::today(), words)),
            "shop": settings.shop_name,
        },
        "name": name,
        "subtitle": subtitle.join(" · "),
        "contacts": contacts,
        "profile": profile_rows,
        "standing": standing,
        "purchases": purchases,
        "wishes": wishes,
        "notes": notes,
    })
}

/// "Brand Model", or the category when neither is known.
fn piece_title(category: ItemCategory, brand: &str, model: &str, words: Words) -> String {
    let title = [brand, model].into_iter().filter(|part| !part.is_empty()).collect::<Vec<_>>().join(" ");
    if title.is_empty() { words.category(category).to_string() } else { title }
}

fn labelled(kind: &str, label: &str) -> String {
    if label.is_empty() { kind.to_string() } else { format!("{kind} ({label})") }
}

fn phone_text(phone: &PhoneEntry, region: &str) -> String {
    phone.e164.as_deref().map_or_else(|| phone.number.clone(), |e164| crate::phone::for_display(e164, region))
}

fn range_text(min: Option<Decimal>, max: Option<Decimal>, currency: &str) -> Option<String> {
    match (min, max) {
        (Some(min), Some(max)) => Some(format!("{currency} {} – {}", crate::money(min), crate::money(max))),
        (Some(min), None) => Some(format!("≥ {currency} {}", crate::money(min))),
        (None, Some(max)) => Some(format!("≤ {currency} {}", crate::money(max))),
        (None, None) => None,
    }
}

/// "GBP 12,500.00": a receipt shows the cents.
fn amount_text(amount: Decimal, currency: &str) -> String {
    let rounded = amount.round_dp(2);
    let whole = crate::money(rounded.trunc().abs());
    let cents = (rounded.fract().abs() * Decimal::ONE_HUNDRED).trunc();
    let sign = if rounded < Decimal::ZERO { "-" } else { "" };
    format!("{currency} {sign}{whole}.{cents:0>2}")
}

fn points_text(points: i64) -> String {
    crate::money(Decimal::from(points))
}

/// Writes `bytes` to `out` through a private temporary file beside it, renamed into place
/// once complete: a failed or killed print never leaves a PDF that looks whole.
fn write_pdf(out: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let io_error = |source| Error::Io { path: out.display().to_string(), source };
    let folder = out.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."));
    // tempfile creates it 0600 on Unix, and the rename keeps that: only the dealer reads it.
    let mut file = tempfile::NamedTempFile::new_in(folder).map_err(io_error)?;
    file.write_all(bytes).map_err(io_error)?;
    file.as_file().sync_all().map_err(io_error)?;
    file.persist(out).map_err(|error| io_error(error.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_show_cents_and_groups() {
        assert_eq!(amount_text(Decimal::new(1_250_000, 2), "GBP"), "GBP 12,500.00");
        assert_eq!(amount_text(Decimal::new(99_995, 1), "EUR"), "EUR 9,999.50");
        assert_eq!(amount_text(Decimal::new(5, 3), "CHF"), "CHF 0.00");
        assert_eq!(amount_text(Decimal::new(-1_234_567, 2), "USD"), "USD -12,345.67");
        assert_eq!(amount_text(Decimal::new(-50, 2), "USD"), "USD -0.50");
    }
}
