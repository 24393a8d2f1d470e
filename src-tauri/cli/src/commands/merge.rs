//! `loupe customers merge | unmerge | duplicates | different`: one person, one customer.

use loupe_core::matching::MatchReason;
use loupe_core::merge::{MergeCounts, MergePlan, MergeRecord};
use loupe_core::{Book, Error};

use crate::output::{print_json, report, say};

pub fn merge(book: &mut Book, keep: i64, other: i64, dry_run: bool, json: bool) -> Result<(), Error> {
    let plan = book.plan_merge(keep, other)?;
    if dry_run {
        if json {
            print_json(&plan);
        } else {
            print_plan(&plan, "would move");
        }
        return Ok(());
    }
    let record = book.merge_customers(keep, other)?;
    if json {
        print_json(&record);
    } else {
        print_plan(&plan, "moved");
        say!("merge {} done; `loupe customers unmerge {}` takes it back", record.id, record.id);
    }
    Ok(())
}

pub fn unmerge(book: &mut Book, merge_id: i64, json: bool) -> Result<(), Error> {
    let summary = book.undo_merge(merge_id)?;
    report(json, &summary, || {
        format!(
            "customer {} ({}) is back, with {} of what had moved to customer {}",
            summary.restored_id,
            summary.restored_name,
            counted(&summary.moved_back),
            summary.kept_id
        )
    });
    Ok(())
}

pub fn duplicates(book: &Book, limit: u32, json: bool) -> Result<(), Error> {
    let found = book.duplicate_pairs(limit)?;
    if json {
        print_json(&found);
        return Ok(());
    }
    for pair in &found.pairs {
        let reasons: Vec<&str> = pair.reasons.iter().map(|reason| reason_text(*reason)).collect();
        say!(
            "{:>7} {:<28} {:>7} {:<28} {}{}",
            pair.first.id,
            pair.first.full_name,
            pair.second.id,
            pair.second.full_name,
            reasons.join(", "),
            if pair.certain { " (same person by the import's rule)" } else { "" }
        );
    }
    if found.total == 0 {
        say!("no possible duplicates");
    } else {
        say!("{} of {} pairs shown", found.pairs.len(), found.total);
    }
    Ok(())
}

pub fn different(book: &mut Book, first: i64, second: i64, undo: bool) -> Result<(), Error> {
    if undo {
        book.unmark_distinct(first, second)?;
        say!("customers {first} and {second} may be one person again");
    } else {
        book.mark_distinct(first, second)?;
        say!("customers {first} and {second} are different people: no longer listed as duplicates");
    }
    Ok(())
}

fn reason_text(reason: MatchReason) -> &'static str {
    match reason {
        MatchReason::SameEmail => "same email",
        MatchReason::SamePhone => "same phone",
        MatchReason::SameNameAndCompany => "same name and company",
        MatchReason::SimilarName => "similar name",
    }
}

/// The line of `customers show` for a merge into the customer.
pub fn merge_line(merge: &MergeRecord) -> String {
    let undone = match merge.undone_at {
        Some(when) => format!(" (undone {})", when.date_naive()),
        None => String::new(),
    };
    format!(
        "merge {}: {} (#{}) merged in, {}{undone}",
        merge.id,
        merge.other_name,
        merge.other_id,
        counted(&merge.moved)
    )
}

fn print_plan(plan: &MergePlan, verb: &str) {
    say!(
        "{} (#{}) into {} (#{}): {verb} {}",
        plan.other.full_name,
        plan.other.id,
        plan.kept.full_name,
        plan.kept.id,
        counted(&plan.moved)
    );
    if !plan.filled.is_empty() {
        say!("  filled or added: {}", plan.filled.join(", "));
    }
    for apart in &plan.kept_apart {
        say!("  {}: keeps '{}' (the other had '{}')", apart.field, apart.kept, apart.other);
    }
    for outcome in &plan.consents {
        say!(
            "  consent {}: {} + {} -> {}",
            outcome.channel,
            outcome.kept,
            outcome.other,
            outcome.merged.status
        );
    }
}

fn counted(counts: &MergeCounts) -> String {
    let parts: Vec<String> = [
        (counts.purchases, "sale", "sales"),
        (counts.notes, "note", "notes"),
        (counts.interactions, "contact", "contacts"),
        (counts.wishes, "wish", "wishes"),
        (counts.scores, "score", "scores"),
        (counts.reminders, "reminder", "reminders"),
    ]
    .into_iter()
    .filter(|(count, ..)| *count > 0)
    .map(|(count, one, many)| format!("{count} {}", if count == 1 { one } else { many }))
    .collect();
    if parts.is_empty() { "no entries".into() } else { parts.join(", ") }
}
