//! `loupe customers`: add, search, edit, show and erase customers.

use chrono::NaiveDate;
use loupe_core::merge::MergeRecord;
use loupe_core::model::{
    BoughtMost, Channel, Consent, ConsentStatus, Customer, CustomerDraft, CustomerRow, CustomerStory,
    CustomerTotals, EmailEntry, Influence, Interaction, ListPage, ListQuery, Membership, NextTier, Note,
    PhoneEntry, PieceField, PieceMatch, PointsEntry, Purchase, Rfm, RfmGroup, SatisfactionScore, Segment,
    Standing, StandingChange, StandingMove, TierChange, ValueClass, Wish,
};
use loupe_core::{Book, Error, money};
use rust_decimal::Decimal;
use serde::Serialize;

use super::purchases::print_purchases;
use super::tiers::{label_name, percent, plural};
use super::wishes::wish_text;
use crate::args::{AddCustomerArgs, Birthday, CustomersCommand, EditCustomerArgs};
use crate::output::{print_json, report, say};

pub fn run(book: &mut Book, command: CustomersCommand) -> Result<(), Error> {
    match command {
        CustomersCommand::Add(args) => {
            let json = args.json;
            let customer = book.create_customer(draft_from_args(args))?;
            if json {
                print_json(&customer);
            } else {
                say!("added customer {}: {}", customer.id, customer.profile.full_name);
            }
        }
        CustomersCommand::List { audience, sort, desc, limit, json } => {
            let filter = super::segments::audience_filter(book, audience)?;
            let page =
                book.list_customers(&ListQuery { sort, descending: desc, filter, offset: 0, limit })?;
            print_list(&page, book.settings()?.membership.enabled, json);
        }
        CustomersCommand::Search { query, limit, json } => {
            let found = book.search(&query, usize::from(limit))?;
            let total = if found.more {
                book.count_matches(&query)?
            } else {
                u32::try_from(found.customers.len()).unwrap_or(u32::MAX)
            };
            if json {
                let customers =
                    found.customers.iter().map(|row| book.customer(row.id)).collect::<Result<_, _>>()?;
                print_json(&SearchFile { total, customers, pieces: found.pieces });
            } else {
                for row in &found.customers {
                    say!(
                        "{:>7}  {:<32} {:<9} {:<28} {}",
                        row.id,
                        row.full_name,
                        row.customer_type,
                        row.primary_email.as_deref().unwrap_or_default(),
                        row.primary_phone.as_deref().unwrap_or_default()
                    );
                }
                say!("{}", match_count(total, found.customers.len()));
                if !found.pieces.is_empty() {
                    say!("pieces:");
                    for piece in &found.pieces {
                        say!("{}", piece_line(piece));
                    }
                }
            }
        }
        CustomersCommand::Edit(args) => {
            let json = args.json;
            let customer = edit_customer(book, args)?;
            if json {
                print_json(&customer);
            } else {
                print_profile(&customer);
            }
        }
        CustomersCommand::Show { id, json } => {
            let story = book.customer_story(id)?;
            if json {
                print_json(&CustomerFile::from(&story));
            } else {
                print_profile(&story.customer);
                print_standing(&story.standing);
                if let Some(membership) = &story.membership {
                    print_membership(membership);
                }
                print_purchases(&story.purchases, &story.totals);
                print_history(&story);
            }
        }
        CustomersCommand::Merge { keep, other, dry_run, json } => {
            super::merge::merge(book, keep, other, dry_run, json)?;
        }
        CustomersCommand::Unmerge { merge_id, json } => super::merge::unmerge(book, merge_id, json)?,
        CustomersCommand::Duplicates { limit, json } => super::merge::duplicates(book, limit, json)?,
        CustomersCommand::Different { first, second, undo } => {
            super::merge::different(book, first, second, undo)?;
        }
        CustomersCommand::Erase { id, json } => {
            let summary = book.erase_customer(id)?;
            report(json, &summary, || {
                let backups = match summary.backups_holding {
                    0 => String::new(),
                    1 => "; 1 earlier backup still holds them (restoring it erases them again)".to_string(),
                    n => format!("; {n} earlier backups still hold them (restoring one erases them again)"),
                };
                format!(
                    "erased customer {id} ({}); kept as hashes: {} emails, {} phones{backups}",
                    summary.name, summary.suppressed_emails, summary.suppressed_phones
                )
            });
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct ListFile<'a> {
    total: u32,
    rows: &'a [CustomerRow],
}

/// The list as the window shows it: name, segment, value class, RFM, membership tier (while
/// the programme is on), spend and last purchase.
fn print_list(page: &ListPage, membership_on: bool, json: bool) {
    if json {
        print_json(&ListFile { total: page.total, rows: &page.rows });
        return;
    }
    // A Chinese or Japanese character takes two columns of a terminal: pad by those columns.
    let columns = |text: &str| unicode_width::UnicodeWidthStr::width(text);
    let width = page.rows.iter().map(|row| columns(&row.full_name)).max().unwrap_or(0).clamp(4, 40);
    let pad = |text: &str, width: usize| format!("{text}{}", " ".repeat(width.saturating_sub(columns(text))));
    let tier = |row: &CustomerRow| row.tier.as_ref().map_or("-", label_name).to_string();
    let tier_width = page.rows.iter().map(|row| columns(&tier(row))).max().unwrap_or(0).clamp(4, 20);
    // No tier shows anywhere while the programme is off.
    let tier_column =
        |text: &str| if membership_on { format!("{} ", pad(text, tier_width)) } else { String::new() };
    say!(
        "{:>7}  {}  {:<9} {:<8} {:<3} {}{:>14}  LAST PURCHASE",
        "ID",
        pad("NAME", width),
        "SEGMENT",
        "VALUE",
        "RFM",
        tier_column("TIER"),
        "SPEND"
    );
    for row in &page.rows {
        say!(
            "{:>7}  {}  {:<9} {:<8} {:<3} {}{:>14}  {}",
            row.id,
            pad(&row.full_name, width),
            row.segment.as_str(),
            row.value_class.map(|class| class.as_str()).unwrap_or("-"),
            row.rfm.map(|rfm| format!("{}{}{}", rfm.r, rfm.f, rfm.m)).unwrap_or_else(|| "-".into()),
            tier_column(&tier(row)),
            row.lifetime_spend,
            row.last_purchase.map(|day| day.to_string()).unwrap_or_else(|| "-".into())
        );
    }
    say!("{}", match_count(page.total, page.rows.len()));
}

fn draft_from_args(args: AddCustomerArgs) -> CustomerDraft {
    let mut draft = CustomerDraft::named(args.name);
    draft.customer_type = args.customer_type;
    draft.company = args.company.unwrap_or_default();
    draft.emails = args
        .emails
        .into_iter()
        .enumerate()
        .map(|(index, address)| EmailEntry { label: String::new(), address, primary: index == 0 })
        .collect();
    draft.phones = args
        .phones
        .into_iter()
        .enumerate()
        .map(|(index, number)| PhoneEntry { label: String::new(), number, e164: None, primary: index == 0 })
        .collect();
    draft.tags = args.tags;
    if let Some(source) = args.email_opt_in {
        draft.consents.push(Consent::given_today(Channel::Email, ConsentStatus::OptedIn, source));
    }
    draft
}

/// Applies the flags to the customer's profile and saves it through the same checks as the
/// window. Removals come first, so that `--remove-email a@x.com --add-email A@x.com` recases.
fn edit_customer(book: &mut Book, args: EditCustomerArgs) -> Result<Customer, Error> {
    let id = args.id;
    let region = book.settings()?.default_region;
    let mut draft = book.customer(id)?.profile;
    let missing = |flag: &str, what: &str, value: &str| {
        Error::invalid(flag, format!("customer {id} has no {what} '{value}'"))
    };
    for address in &args.remove_emails {
        if !draft.remove_email(address) {
            return Err(missing("--remove-email", "email", address));
        }
    }
    for number in &args.remove_phones {
        if !draft.remove_phone(number, &region) {
            return Err(missing("--remove-phone", "phone", number));
        }
    }
    for tag in &args.remove_tags {
        if !draft.remove_tag(tag) {
            return Err(missing("--remove-tag", "tag", tag));
        }
    }
    let fields = [
        (args.name, &mut draft.full_name),
        (args.given_name, &mut draft.given_name),
        (args.family_name, &mut draft.family_name),
        (args.company, &mut draft.company),
        (args.job_title, &mut draft.job_title),
        (args.language, &mut draft.language),
    ];
    for (value, field) in fields {
        if let Some(value) = value {
            *field = value;
        }
    }
    if let Some(customer_type) = args.customer_type {
        draft.customer_type = customer_type;
    }
    if let Some(influence) = args.influence {
        draft.influence = influence;
    }
    if let Some(Birthday(birthday)) = args.birthday {
        draft.birthday = birthday;
    }
    if let Some(referrer) = args.referrer {
        draft.referred_by = (referrer != 0).then_some(referrer);
    }
    for (channel, status) in args.consents {
        draft.consents.retain(|consent| consent.channel != channel);
        if status != ConsentStatus::Unknown {
            draft.consents.push(Consent::given_today(channel, status, "loupe customers edit"));
        }
    }
    draft.emails.extend(args.add_emails.into_iter().map(|address| EmailEntry {
        label: String::new(),
        address,
        primary: false,
    }));
    draft.phones.extend(args.add_phones.into_iter().map(|number| PhoneEntry {
        label: String::new(),
        number,
        e164: None,
        primary: false,
    }));
    draft.tags.extend(args.add_tags);
    book.update_customer(id, draft)
}

/// `customers search --json`: how many customers match, the best of them with their whole
/// profile, and the sold pieces whose reference or serial number matches.
#[derive(serde::Serialize)]
struct SearchFile {
    total: u32,
    customers: Vec<Customer>,
    pieces: Vec<PieceMatch>,
}

/// "19 customers match, 8 shown", as the window's "See all 19".
fn match_count(total: u32, shown: usize) -> String {
    let customers = if total == 1 { "customer matches" } else { "customers match" };
    if usize::try_from(total).is_ok_and(|total| total > shown) {
        format!("{total} {customers}, {shown} shown (--limit for more)")
    } else {
        format!("{total} {customers}")
    }
}

/// "  Royal Oak · K0010008 · sold 2025-06-16 · Grace Wilson (customer 12, sale 45)"
fn piece_line(piece: &PieceMatch) -> String {
    let name = [piece.brand.as_str(), piece.model.as_str()].join(" ");
    let number = match piece.matched {
        PieceField::Serial => format!("serial {}", piece.serial_number),
        PieceField::Reference => format!("ref {}", piece.reference_number),
    };
    format!(
        "  {} · {number} · sold {} · {} (customer {}, sale {})",
        name.trim(),
        piece.sold_on,
        piece.owner,
        piece.customer_id,
        piece.purchase_id
    )
}

/// `customers show --json`: the profile with its totals and whole history.
#[derive(serde::Serialize)]
struct CustomerFile<'a> {
    #[serde(flatten)]
    customer: &'a Customer,
    totals: &'a CustomerTotals,
    purchases: &'a [Purchase],
    notes: &'a [Note],
    interactions: &'a [Interaction],
    wishes: &'a [Wish],
    satisfaction: &'a [SatisfactionScore],
    merges: &'a [MergeRecord],
    standing: StandingFile<'a>,
    standing_changes: &'a [StandingChange],
    /// Null while the membership programme is off.
    membership: Option<&'a Membership>,
    tier_changes: &'a [TierChange],
    /// Newest first, each line with the balance after it.
    points_ledger: &'a [PointsEntry],
}

/// Where the customer stands, with the reasons in English.
#[derive(serde::Serialize)]
struct StandingFile<'a> {
    segment: Segment,
    value_class: Option<ValueClass>,
    rfm: Option<Rfm>,
    rfm_group: Option<RfmGroup>,
    influence: Influence,
    bought_most: &'a BoughtMost,
    reasons: Vec<String>,
    evaluated_on: NaiveDate,
}

impl<'a> From<&'a Standing> for StandingFile<'a> {
    fn from(standing: &'a Standing) -> Self {
        StandingFile {
            segment: standing.segment,
            value_class: standing.value_class,
            rfm: standing.rfm,
            rfm_group: standing.rfm_group,
            influence: standing.influence,
            bought_most: &standing.bought_most,
            reasons: standing.reasons.iter().map(ToString::to_string).collect(),
            evaluated_on: standing.evaluated_on,
        }
    }
}

impl<'a> From<&'a CustomerStory> for CustomerFile<'a> {
    fn from(story: &'a CustomerStory) -> Self {
        CustomerFile {
            customer: &story.customer,
            totals: &story.totals,
            purchases: &story.purchases,
            notes: &story.notes,
            interactions: &story.interactions,
            wishes: &story.wishes,
            satisfaction: &story.satisfaction,
            merges: &story.merges,
            standing: StandingFile::from(&story.standing),
            standing_changes: &story.standing_changes,
            membership: story.membership.as_ref(),
            tier_changes: &story.tier_changes,
            points_ledger: &story.points,
        }
    }
}

fn print_profile(customer: &Customer) {
    let profile = &customer.profile;
    say!("{} (#{}), {}", profile.full_name, customer.id, profile.customer_type);
    if !profile.company.is_empty() || !profile.job_title.is_empty() {
        say!("  company:  {}", format!("{} {}", profile.company, profile.job_title).trim());
    }
    if !profile.language.is_empty() {
        say!("  language: {}", profile.language);
    }
    for email in &profile.emails {
        say!("  email:    {}{}", email.address, if email.primary { " (primary)" } else { "" });
    }
    for phone in &profile.phones {
        say!(
            "  phone:    {} [{}]{}",
            phone.number,
            phone.e164.as_deref().unwrap_or("?"),
            if phone.primary { " (primary)" } else { "" }
        );
    }
    if let Some(birthday) = profile.birthday {
        say!("  birthday: {birthday}");
    }
    if !profile.tags.is_empty() {
        say!("  tags:     {}", profile.tags.join(", "));
    }
    for consent in &profile.consents {
        say!("  consent:  {} {}", consent.channel, consent.status);
    }
    say!("  created {} / updated {}", customer.created_at, customer.updated_at);
}

/// "  standing: vip, key, RFM 545 (champions), influence trade_professional", then each reason.
fn print_standing(standing: &Standing) {
    let mut parts = vec![standing.segment.to_string()];
    parts.extend(standing.value_class.map(|class| class.to_string()));
    if let Some(rfm) = standing.rfm {
        let group = standing.rfm_group.map(|group| format!(" ({group})")).unwrap_or_default();
        parts.push(format!("RFM {}{}{}{group}", rfm.r, rfm.f, rfm.m));
    }
    parts.push(format!("influence {}", standing.influence));
    say!("  standing: {} (as of {})", parts.join(", "), standing.evaluated_on);
    for reason in &standing.reasons {
        say!("    {reason}");
    }
}

/// "  tier:     Silver, 15 % off, since 2026-06-10, kept until 2028-01-09", why, what the next
/// tier asks, what is not counted, and the points.
fn print_membership(membership: &Membership) {
    match &membership.tier {
        Some(tier) => {
            let mut parts =
                vec![format!("{}, {} % off", label_name(tier), percent(membership.discount_percent))];
            parts.extend(membership.since.map(|since| format!("since {since}")));
            parts.extend(membership.keeps_until.map(|until| format!("kept until {until}")));
            if membership.free_care {
                parts.push("free care".to_string());
            }
            say!("  tier:     {}", parts.join(", "));
        }
        None => say!("  tier:     none yet"),
    }
    if let Some(reason) = &membership.reason {
        say!("            {}", super::tiers::reason(reason));
    }
    if let Some(next) = &membership.next_tier {
        say!("            {}", next_tier_words(next));
    }
    for spend in &membership.uncounted {
        say!(
            "            not counted: {} in {} ({}), no rate set (loupe settings set membership.rate.{} RATE)",
            plural(spend.purchases, "sale", "sales"),
            spend.currency,
            money(spend.amount),
            spend.currency
        );
    }
    let expiring = match (membership.points_expiring, membership.points_expire_on) {
        (Some(points), Some(day)) if points > 0 => {
            format!(" ({} expire on {day})", money(Decimal::from(points)))
        }
        _ => String::new(),
    };
    say!("  points:   {}{expiring}", money(Decimal::from(membership.points)));
}

/// "7,600 more by 2027-04-04 for Gold", "1 more purchase for Member".
fn next_tier_words(next: &NextTier) -> String {
    let mut missing = Vec::new();
    if let Some(spend) = next.spend_needed {
        missing.push(format!("{} more", money(spend)));
    }
    if let Some(purchases) = next.purchases_needed {
        missing.push(format!("{} more", plural(purchases, "purchase", "purchases")));
    }
    let by = next.before.map(|day| format!(" by {day}")).unwrap_or_default();
    format!("{}{by} for {}", missing.join(" or "), label_name(&next.tier))
}

/// A rise or fall of the tier, for the history: "tier: Silver -> Gold (qualified: …)".
fn tier_change_line(change: &TierChange) -> String {
    let name =
        |label: &Option<loupe_core::model::TierLabel>| label.as_ref().map_or("none", label_name).to_string();
    let direction = if change.upgrade { "up" } else { "down" };
    format!(
        "tier {direction}: {} -> {} ({})",
        name(&change.from),
        name(&change.to),
        super::tiers::reason(&change.reason)
    )
}

/// Notes, contact history, wishes and scores in one list, newest first.
fn print_history(story: &CustomerStory) {
    let mut lines: Vec<(NaiveDate, String)> = Vec::new();
    for note in &story.notes {
        let pin = if note.entry.pinned { " (pinned)" } else { "" };
        lines.push((note.entry.noted_on, format!("note, {}{pin}: {}", note.entry.category, note.entry.body)));
    }
    for contact in &story.interactions {
        let entry = &contact.entry;
        let outcome = if entry.outcome.is_empty() { String::new() } else { format!(" -> {}", entry.outcome) };
        lines.push((
            entry.occurred_on,
            format!("{} {}: {}{outcome}", entry.direction, entry.kind, entry.summary),
        ));
    }
    for wish in &story.wishes {
        lines.push((
            wish.entry.requested_on,
            format!("wish ({}): {}", wish.entry.status, wish_text(&wish.entry)),
        ));
    }
    for score in &story.satisfaction {
        lines.push((
            score.entry.scored_on,
            format!("satisfaction {}/5 {}", score.entry.score, score.entry.comment),
        ));
    }
    for merge in &story.merges {
        lines.push((merge.merged_at.date_naive(), super::merge::merge_line(merge)));
    }
    for change in &story.standing_changes {
        let (what, from, to) = match change.change {
            StandingMove::Segment { from, to } => {
                ("segment", from.map(|from| from.to_string()), Some(to.to_string()))
            }
            StandingMove::ValueClass { from, to } => {
                ("value class", from.map(|from| from.to_string()), to.map(|to| to.to_string()))
            }
        };
        let name = |value: Option<String>| value.unwrap_or_else(|| "none".to_string());
        lines.push((change.changed_on, format!("{what}: {} -> {}", name(from), name(to))));
    }
    for change in &story.tier_changes {
        lines.push((change.changed_on, tier_change_line(change)));
    }
    lines.sort_by_key(|(date, _)| std::cmp::Reverse(*date));
    for (date, line) in lines {
        say!("  {date}  {line}");
    }
}
