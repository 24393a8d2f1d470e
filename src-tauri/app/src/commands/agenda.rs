//! The follow-up agenda: what is due, a customer's reminders, and what the dealer does with
//! them; the pieces that arrive and the customers they suit. The rules run in the core with the
//! day's evaluation and after every change.

use loupe_core::model::{
    Agenda, AgendaCounts, Arrival, ArrivalDraft, ArrivalMatches, Reminder, ReminderClosed, ReminderDone,
    ReminderDraft, ReminderSnooze,
};

use crate::contract::commands;
use crate::state::{State, with_book, with_reader};

commands! {
    /// Open reminders shown up to `days` ahead (overdue ones included), soonest first.
    fn agenda(state: State<'_>; days: u32) -> Agenda {
        with_book(&state, move |book| book.agenda(days)).await
    }

    /// How many reminders are overdue, due today and due this week (the navigation's badge).
    fn agenda_counts(state: State<'_>;) -> AgendaCounts {
        with_reader(&state, |book| book.agenda_counts()).await
    }

    /// Whether anything is overdue or due today: the window then opens on the agenda.
    fn agenda_due(state: State<'_>;) -> bool {
        with_reader(&state, |book| book.agenda_due()).await
    }

    /// Customer `id`'s open reminders, soonest first.
    fn customer_reminders(state: State<'_>; id: i64) -> Vec<Reminder> {
        with_book(&state, move |book| book.reminders_of(id)).await
    }

    /// A reminder typed for customer `id`.
    fn add_reminder(state: State<'_>; id: i64, draft: ReminderDraft) -> Reminder {
        with_book(&state, move |book| book.add_reminder(id, &draft)).await
    }

    /// Changes an open reminder the dealer typed.
    fn update_reminder(state: State<'_>; id: i64, draft: ReminderDraft) -> Reminder {
        with_book(&state, move |book| book.update_reminder(id, &draft)).await
    }

    /// Deletes a reminder the dealer typed.
    fn delete_reminder(state: State<'_>; id: i64) -> i64 {
        with_book(&state, move |book| book.delete_reminder(id)).await
    }

    /// Done: the contact is recorded on the customer's timeline with its outcome.
    fn complete_reminder(state: State<'_>; id: i64, done: ReminderDone) -> ReminderClosed {
        with_book(&state, move |book| book.complete_reminder(id, &done)).await
    }

    /// Shows the reminder again on `until`.
    fn snooze_reminder(state: State<'_>; id: i64, snooze: ReminderSnooze) -> Reminder {
        with_book(&state, move |book| book.snooze_reminder(id, snooze.until)).await
    }

    /// Closes the reminder without a contact.
    fn dismiss_reminder(state: State<'_>; id: i64) -> ReminderClosed {
        with_book(&state, move |book| book.dismiss_reminder(id)).await
    }

    /// Records a piece that came in; the customers it suits, best first.
    fn add_arrival(state: State<'_>; draft: ArrivalDraft) -> ArrivalMatches {
        with_book(&state, move |book| book.add_arrival(&draft)).await
    }

    /// The pieces recorded, newest first.
    fn arrivals(state: State<'_>;) -> Vec<Arrival> {
        with_book(&state, |book| book.arrivals(200)).await
    }

    /// A piece recorded and the customers it suits now.
    fn arrival_matches(state: State<'_>; id: i64) -> ArrivalMatches {
        with_book(&state, move |book| book.arrival_matches(id)).await
    }

    /// "Tell them": a reminder due today for each customer chosen.
    fn remind_arrival(state: State<'_>; id: i64, customers: Vec<i64>) -> Vec<Reminder> {
        with_book(&state, move |book| book.remind_arrival(id, &customers)).await
    }

    /// Deletes a piece recorded and its open "tell them" reminders.
    fn delete_arrival(state: State<'_>; id: i64) -> () {
        with_book(&state, move |book| book.delete_arrival(id)).await
    }
}
