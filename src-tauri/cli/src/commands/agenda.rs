//! `loupe agenda`, `loupe reminders`, `loupe arrivals`: who to contact and why, what was done
//! with it, and the customers a piece that came in suits.

use loupe_core::model::{
    AgendaItem, AgendaSection, Arrival, ArrivalDraft, ArrivalMatches, ArrivalReason, ChannelConsent,
    ContactMethod, Reminder, ReminderDone, ReminderDraft, ReminderKind,
};
use loupe_core::{Book, Error, money, reminder_title};
use serde::Serialize;

use crate::args::{ArrivalsCommand, RemindersCommand};
use crate::output::{print_json, say};

/// One line of `loupe agenda --json`.
#[derive(Serialize)]
struct AgendaLine {
    id: i64,
    customer_id: i64,
    customer_name: String,
    kind: ReminderKind,
    due_on: chrono::NaiveDate,
    /// The day it shows, when snoozed.
    shown_on: chrono::NaiveDate,
    title: String,
    overdue: bool,
    section: AgendaSection,
    channel: ContactMethod,
    consent: ChannelConsent,
    /// Other channels, when the suggested one was refused.
    alternatives: Vec<ContactMethod>,
}

impl AgendaLine {
    fn of(item: &AgendaItem) -> Self {
        AgendaLine {
            id: item.reminder.id,
            customer_id: item.reminder.customer_id,
            customer_name: item.customer_name.clone(),
            kind: item.reminder.kind,
            due_on: item.reminder.due_on,
            shown_on: item.reminder.shown_on(),
            title: reminder_title(&item.reminder),
            overdue: item.section == AgendaSection::Overdue,
            section: item.section,
            channel: item.channel,
            consent: item.consent,
            alternatives: item.alternatives.clone(),
        }
    }
}

pub fn agenda(book: &mut Book, days: u32, json: bool) -> Result<(), Error> {
    let agenda = book.agenda(days)?;
    let lines: Vec<AgendaLine> = agenda.items.iter().map(AgendaLine::of).collect();
    if json {
        print_json(&lines);
        return Ok(());
    }
    let counts = agenda.counts;
    say!(
        "{} overdue, {} today, {} this week{} (up to {})",
        counts.overdue,
        counts.today,
        counts.week,
        if counts.quarter > 0 {
            format!(", {} to thank this quarter", counts.quarter)
        } else {
            String::new()
        },
        agenda.until
    );
    for line in &lines {
        let refused = match line.consent {
            ChannelConsent::OptedOut => {
                let others: Vec<&str> = line.alternatives.iter().map(|method| method.as_str()).collect();
                format!(" (said no to {}; try {})", line.channel, others.join(", "))
            }
            _ => String::new(),
        };
        say!(
            "#{:<6} {}  {:<8} {} (#{}): {}  [{}{}]",
            line.id,
            line.shown_on,
            line.section.as_str(),
            line.customer_name,
            line.customer_id,
            line.title,
            line.channel,
            refused
        );
    }
    if agenda.truncated {
        say!("(the first {} shown)", lines.len());
    }
    Ok(())
}

fn said(reminder: &Reminder, json: bool, what: &str) {
    if json {
        print_json(reminder);
    } else {
        say!("reminder #{} {what}: {} on {}", reminder.id, reminder_title(reminder), reminder.shown_on());
    }
}

pub fn reminders(book: &mut Book, command: RemindersCommand) -> Result<(), Error> {
    match command {
        RemindersCommand::List { customer_id, json } => {
            let reminders = book.reminders_of(customer_id)?;
            if json {
                print_json(&reminders);
            } else {
                for reminder in &reminders {
                    say!(
                        "#{:<6} {}  {:<13} {}",
                        reminder.id,
                        reminder.shown_on(),
                        reminder.kind.as_str(),
                        reminder_title(reminder)
                    );
                }
            }
        }
        RemindersCommand::Add { customer_id, on, title, notes, every, json } => {
            let reminder =
                book.add_reminder(customer_id, &ReminderDraft { due_on: on, title, notes, repeat: every })?;
            said(&reminder, json, "added");
        }
        RemindersCommand::Done { id, outcome, channel, json } => {
            let reminder = book.reminder(id)?;
            let channel = match channel {
                Some(channel) => channel,
                None => book.suggested_channel(reminder.customer_id)?,
            };
            let done = ReminderDone { channel, summary: reminder_title(&reminder), outcome };
            let closed = book.complete_reminder(id, &done)?;
            if json {
                print_json(&closed);
            } else {
                say!(
                    "reminder #{id} done: contact #{} recorded ({channel})",
                    closed.interaction_id.unwrap_or_default()
                );
                if let Some(next) = closed.next {
                    say!("next on {} (#{})", next.due_on, next.id);
                }
            }
        }
        RemindersCommand::Snooze { id, until, json } => {
            let reminder = book.snooze_reminder(id, until)?;
            said(&reminder, json, "snoozed");
        }
        RemindersCommand::Dismiss { id, json } => {
            let closed = book.dismiss_reminder(id)?;
            if json {
                print_json(&closed);
            } else {
                say!("reminder #{id} dismissed");
                if let Some(next) = closed.next {
                    say!("next on {} (#{})", next.due_on, next.id);
                }
            }
        }
    }
    Ok(())
}

/// Why a piece suits a customer, in a few words.
fn reason_text(reason: &ArrivalReason) -> String {
    match reason {
        ArrivalReason::Wish { wish_id, reference, within_budget, .. } => {
            let what = if *reference { "wishes for this reference" } else { "wishes for this brand" };
            let budget = match within_budget {
                Some(true) => ", within budget",
                Some(false) => ", over budget",
                None => "",
            };
            format!("{what} (wish #{wish_id}{budget})")
        }
        ArrivalReason::BoughtBrand { brand, count } => format!("bought {brand} ×{count}"),
        ArrivalReason::PrefersBrand { brand } => format!("prefers {brand}"),
        ArrivalReason::BoughtCategory { category, count } => format!("bought {} ×{count}", category.as_str()),
        ArrivalReason::PrefersMaterial { material } => format!("prefers {material}"),
        ArrivalReason::BoughtMaterial { material, count } => format!("bought {material} ×{count}"),
    }
}

/// `loupe arrivals add|show --json`: the piece, and each customer it suits with the strongest
/// reason in words beside every reason as data.
#[derive(Serialize)]
struct ArrivalJson<'a> {
    arrival: &'a Arrival,
    matches: Vec<MatchJson<'a>>,
}

#[derive(Serialize)]
struct MatchJson<'a> {
    customer_id: i64,
    customer_name: &'a str,
    score: u32,
    reason: String,
    reasons: &'a [ArrivalReason],
    wish_id: Option<i64>,
    told: bool,
}

fn show_matches(found: &ArrivalMatches, json: bool) {
    if json {
        let matches = found
            .matches
            .iter()
            .map(|found| MatchJson {
                customer_id: found.customer_id,
                customer_name: &found.customer_name,
                score: found.score,
                reason: found.reasons.iter().map(reason_text).collect::<Vec<_>>().join("; "),
                reasons: &found.reasons,
                wish_id: found.wish_id,
                told: found.told,
            })
            .collect();
        print_json(&ArrivalJson { arrival: &found.arrival, matches });
        return;
    }
    let piece = &found.arrival.piece;
    let price = piece.price.map(|price| format!(", {} {}", money(price), piece.currency)).unwrap_or_default();
    say!(
        "arrival #{}: {} {} {}{price} — {} customers it suits",
        found.arrival.id,
        piece.brand,
        piece.model,
        piece.reference_number,
        found.matches.len()
    );
    for found in &found.matches {
        let reasons: Vec<String> = found.reasons.iter().map(reason_text).collect();
        let told = if found.told { " [told]" } else { "" };
        say!("  {} (#{}): {}{told}", found.customer_name, found.customer_id, reasons.join("; "));
    }
}

pub fn arrivals(book: &mut Book, command: ArrivalsCommand) -> Result<(), Error> {
    match command {
        ArrivalsCommand::Add {
            brand,
            model,
            reference,
            category,
            material,
            price,
            currency,
            on,
            notes,
            json,
        } => {
            let draft = ArrivalDraft {
                arrived_on: on.unwrap_or_else(loupe_core::today),
                category,
                brand,
                model,
                reference_number: reference,
                material,
                price,
                currency,
                notes,
            };
            show_matches(&book.add_arrival(&draft)?, json);
        }
        ArrivalsCommand::List { json } => {
            let arrivals = book.arrivals(200)?;
            if json {
                print_json(&arrivals);
            } else {
                for arrival in &arrivals {
                    let piece = &arrival.piece;
                    say!(
                        "#{:<5} {}  {} {} {}  ({} told)",
                        arrival.id,
                        piece.arrived_on,
                        piece.brand,
                        piece.model,
                        piece.reference_number,
                        arrival.told
                    );
                }
            }
        }
        ArrivalsCommand::Show { arrival_id, json } => show_matches(&book.arrival_matches(arrival_id)?, json),
        ArrivalsCommand::Remind { arrival_id, customers, json } => {
            let made = book.remind_arrival(arrival_id, &customers)?;
            if json {
                print_json(&made);
            } else {
                say!(
                    "{} reminders added to the agenda ({} already told)",
                    made.len(),
                    customers.len() - made.len()
                );
            }
        }
    }
    Ok(())
}
