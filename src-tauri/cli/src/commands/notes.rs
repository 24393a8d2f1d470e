//! `loupe notes`: a customer's relationship notes.

use loupe_core::model::{Note, NoteDraft};
use loupe_core::{Book, Error};
use serde::Serialize;

use crate::args::NotesCommand;
use crate::output::{print_json, report, say};

pub fn run(book: &mut Book, command: NotesCommand) -> Result<(), Error> {
    match command {
        NotesCommand::Add { customer_id, body, category, pinned, date, json } => {
            let noted_on = date.unwrap_or_else(loupe_core::today);
            let note = book.add_entry(customer_id, NoteDraft { category, body, pinned, noted_on })?;
            report(json, &note, || format!("added note {} to customer {customer_id}", note.id));
        }
        NotesCommand::List { customer_id, json } => {
            let notes = book.entries::<NoteDraft>(customer_id)?;
            if json {
                print_json(&notes);
            } else {
                for note in &notes {
                    print_note(note);
                }
            }
        }
        NotesCommand::Delete { note_id, json } => {
            let customer_id = book.delete_entry::<NoteDraft>(note_id)?;
            let deleted = DeletedNote { customer_id, deleted: true, id: note_id };
            report(json, &deleted, || format!("deleted note {note_id} of customer {customer_id}"));
        }
    }
    Ok(())
}

/// `notes delete --json`: which note went, and whose it was. The keys are in the order scripts
/// have always received them.
#[derive(Serialize)]
struct DeletedNote {
    customer_id: i64,
    /// Always true: the answer says what happened without the command beside it.
    deleted: bool,
    id: i64,
}

/// One line per note: its id, day, category, pin, and the first line of its body.
fn print_note(note: &Note) {
    let entry = &note.entry;
    let mut lines = entry.body.lines();
    let first = lines.next().unwrap_or_default();
    let more = if lines.next().is_some() { " …" } else { "" };
    say!(
        "#{:<6} {}  {:<20} {:<6} {first}{more}",
        note.id,
        entry.noted_on,
        entry.category.as_str(),
        if entry.pinned { "pinned" } else { "" }
    );
}
