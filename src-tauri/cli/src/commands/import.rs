//! `loupe import contacts`, `import undo` and `import list`: contacts from a CSV file, a
//! workbook or vCards, and taking an import back.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use loupe_core::import::{
    ColumnMapping, DateColumn, DateDecision, DateOrder, FileKind, ImportOptions, ImportPreview,
    ImportProgress, ImportSummary, ImportWarning, PreviewRow, RejectedRow, RejectedRowsWording, RowOutcome,
};
use loupe_core::{Book, Error};
use serde::Serialize;

use crate::args::ImportContactsArgs;
use crate::output::{Progress, print_json, report, say};

pub fn contacts(book: &mut Book, args: ImportContactsArgs) -> Result<(), Error> {
    let mapping = match &args.mapping {
        None => None,
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|source| Error::Io { path: path.display().to_string(), source })?;
            Some(serde_json::from_str(&text).map_err(|error| Error::ImportFile {
                file: path.display().to_string(),
                problem: format!("not a column mapping: {error}").into(),
            })?)
        }
    };
    let order = match args.date_order.as_deref() {
        None => None,
        Some("day-first" | "dmy") => Some(DateOrder::DayFirst),
        Some("month-first" | "mdy") => Some(DateOrder::MonthFirst),
        Some(other) => {
            return Err(Error::invalid("--date-order", format!("'{other}' is not day-first or month-first")));
        }
    };
    let mut options = ImportOptions {
        encoding: args.encoding,
        delimiter: args.delimiter,
        mapping,
        region: args.region,
        date_orders: Vec::new(),
        unknown_columns_to_note: args.unknown_to_note,
        confirmed_matches: args.confirm,
        sheet: args.sheet,
    };
    let cancel = AtomicBool::new(false);
    let mut progress = Progress::default();
    let reading = format!("reading {}", args.file.display());
    let mut show = |read: ImportProgress| progress.rows(&reading, read);
    if let Some(order) = order {
        // The order applies to every date column the file has.
        let preview = book.preview_import(&args.file, &options, &cancel, |_| {})?;
        options.date_orders = preview
            .dates
            .into_iter()
            .map(|date| DateColumn { order, decided_by: DateDecision::Chosen, ..date })
            .collect();
    }
    if args.dry_run {
        let preview = book.preview_import(&args.file, &options, &cancel, &mut show)?;
        progress.finish();
        save_rejected_rows(book, &args.file, &options, args.rejected_out.as_deref())?;
        let answer = ContactsPreview::from(&preview);
        answer_with(args.json, &answer, "would import", &answer.outcome);
    } else {
        let summary = book.commit_import(&args.file, &options, &cancel, &mut show)?;
        progress.finish();
        save_rejected_rows(book, &args.file, &options, args.rejected_out.as_deref())?;
        let answer = ContactsImported::from(&summary);
        answer_with(args.json, &answer, "imported", &answer.outcome);
    }
    Ok(())
}

/// `--rejected-out FILE`: the rejected rows with their line and reason, to correct and import
/// again.
fn save_rejected_rows(
    book: &mut Book,
    file: &Path,
    options: &ImportOptions,
    out: Option<&Path>,
) -> Result<(), Error> {
    if let Some(out) = out {
        book.write_rejected_rows(file, options, &RejectedRowsWording::default(), false, out)?;
    }
    Ok(())
}

/// What `import contacts` says in both modes: the counts, and the rows it rejected or warns about.
#[derive(Serialize)]
struct ImportOutcome<'a> {
    file: &'a str,
    /// What the file was read as: text, a workbook's sheet, vCards.
    file_kind: &'a FileKind,
    created: u32,
    merged: u32,
    duplicates_in_file: u32,
    rejected: u32,
    erased: u32,
    /// The batch to undo; null for a dry run, which writes none.
    batch_id: Option<i64>,
    rejected_rows: &'a [RejectedRow],
    warning_count: u32,
    /// The first warnings (all are counted in `warning_count`).
    warnings: &'a [ImportWarning],
}

/// `import contacts --dry-run --json`: the outcome, and how the file was read.
#[derive(Serialize)]
struct ContactsPreview<'a> {
    /// Always true here: the answer says which mode it comes from.
    dry_run: bool,
    #[serde(flatten)]
    outcome: ImportOutcome<'a>,
    encoding: &'a str,
    delimiter: &'a str,
    mapping: &'a [ColumnMapping],
    dates: &'a [DateColumn],
    /// Rows in the file.
    rows: u32,
    /// The rows that are merged only when confirmed (`--confirm LINE`); otherwise new customers.
    likely_matches: Vec<&'a PreviewRow>,
}

impl<'a> From<&'a ImportPreview> for ContactsPreview<'a> {
    fn from(preview: &'a ImportPreview) -> Self {
        let counts = preview.counts;
        ContactsPreview {
            dry_run: true,
            outcome: ImportOutcome {
                file: &preview.file_name,
                file_kind: &preview.file_kind,
                created: counts.new + counts.likely_matches,
                merged: counts.merge,
                duplicates_in_file: counts.duplicates_in_file,
                rejected: counts.rejected,
                erased: counts.erased,
                batch_id: None,
                rejected_rows: &preview.rejected_rows,
                warning_count: counts.warnings,
                warnings: &preview.warnings,
            },
            encoding: &preview.encoding,
            delimiter: &preview.delimiter,
            mapping: &preview.mapping,
            dates: &preview.dates,
            rows: counts.rows,
            likely_matches: preview
                .rows
                .iter()
                .filter(|row| matches!(row.outcome, RowOutcome::LikelyMatch { .. }))
                .collect(),
        }
    }
}

/// `import contacts --json`: the outcome of an import that was written.
#[derive(Serialize)]
struct ContactsImported<'a> {
    /// Always false here: the answer says which mode it comes from.
    dry_run: bool,
    #[serde(flatten)]
    outcome: ImportOutcome<'a>,
    likely_matches: u32,
    /// Merges where the book kept its own value.
    conflicts: &'a [PreviewRow],
}

impl<'a> From<&'a ImportSummary> for ContactsImported<'a> {
    fn from(summary: &'a ImportSummary) -> Self {
        ContactsImported {
            dry_run: false,
            outcome: ImportOutcome {
                file: &summary.file_name,
                file_kind: &summary.file_kind,
                created: summary.created,
                merged: summary.merged,
                duplicates_in_file: summary.duplicates_in_file,
                rejected: summary.rejected,
                erased: summary.erased,
                batch_id: Some(summary.batch_id),
                rejected_rows: &summary.rejected_rows,
                warning_count: summary.warning_count,
                warnings: &summary.warnings,
            },
            likely_matches: summary.likely_matches,
            conflicts: &summary.conflicts,
        }
    }
}

/// The whole answer as JSON, or for people one line of counts and one per rejected row and
/// listed warning.
fn answer_with(json: bool, answer: &impl Serialize, verb: &str, outcome: &ImportOutcome) {
    if json {
        print_json(answer);
        return;
    }
    let (read_as, place) = match outcome.file_kind {
        FileKind::Text => (String::new(), "line"),
        FileKind::Workbook { sheet, .. } => (format!(" (sheet '{sheet}')"), "row"),
        FileKind::Vcard { cards } => (format!(" ({cards} vCards)"), "line"),
    };
    say!(
        "{verb} {}{read_as}: {} new, {} merged, {} duplicates in the file, {} rejected, {} erased people left out{}",
        outcome.file,
        outcome.created,
        outcome.merged,
        outcome.duplicates_in_file,
        outcome.rejected,
        outcome.erased,
        outcome
            .batch_id
            .map(|id| format!(" (batch {id}; undo with `loupe import undo {id}`)"))
            .unwrap_or_default()
    );
    for rejected in outcome.rejected_rows {
        say!("  rejected {place} {}: {}", rejected.line, rejected.reason);
    }
    for warning in outcome.warnings {
        say!("  warning, {place} {}: {}", warning.line, warning.reason);
    }
    let unlisted = u64::from(outcome.warning_count).saturating_sub(outcome.warnings.len() as u64);
    if unlisted > 0 {
        say!("  … and {unlisted} more warnings");
    }
}

pub fn undo(book: &mut Book, batch_id: i64, json: bool) -> Result<(), Error> {
    let undone = book.undo_import(batch_id)?;
    report(json, &undone, || {
        format!("undid import {batch_id}: {} removed, {} restored", undone.removed, undone.restored)
    });
    Ok(())
}

pub fn list(book: &Book, json: bool) -> Result<(), Error> {
    let batches = book.import_batches()?;
    if json {
        print_json(&batches);
    } else {
        for batch in batches {
            say!(
                "#{:<5} {}  {:<40} created {}, merged {}, duplicates {}, rejected {}{}",
                batch.id,
                batch.imported_at,
                batch.file_name,
                batch.created,
                batch.merged,
                batch.duplicates_in_file,
                batch.rejected,
                batch.undone_at.map(|when| format!(", undone {when}")).unwrap_or_default()
            );
        }
    }
    Ok(())
}
