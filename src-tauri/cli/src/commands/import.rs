//! `loupe import contacts`, `import undo` and `import list`: contacts from a CSV file, and
//! taking an import back.

use std::sync::atomic::AtomicBool;

use loupe_core::import::{
    DateColumn, DateDecision, DateOrder, ImportOptions, ImportProgress, RejectedRowsWording, RowOutcome,
};
use loupe_core::{Book, Error};

use crate::args::ImportContactsArgs;
use crate::output::{print_json, progress_line, report, say};

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
    };
    let cancel = AtomicBool::new(false);
    let mut line = progress_line();
    let reading = format!("reading {}", args.file.display());
    let mut show = |progress: ImportProgress| line.rows(&reading, progress);
    if let Some(order) = order {
        // The order applies to every date column the file has.
        let preview = book.preview_import(&args.file, &options, &cancel, |_| {})?;
        options.date_orders = preview
            .dates
            .into_iter()
            .map(|date| DateColumn { order, decided_by: DateDecision::Chosen, ..date })
            .collect();
    }
    let output = if args.dry_run {
        let preview = book.preview_import(&args.file, &options, &cancel, &mut show)?;
        line.finish();
        let counts = preview.counts;
        serde_json::json!({
            "dry_run": true,
            "file": preview.file_name,
            "encoding": preview.encoding,
            "delimiter": preview.delimiter,
            "mapping": preview.mapping,
            "dates": preview.dates,
            "rows": counts.rows,
            "created": counts.new + counts.likely_matches,
            "merged": counts.merge,
            "duplicates_in_file": counts.duplicates_in_file,
            "likely_matches": preview.rows.iter().filter(|row| matches!(row.outcome, RowOutcome::LikelyMatch { .. })).collect::<Vec<_>>(),
            "rejected": counts.rejected,
            "erased": counts.erased,
            "batch_id": null,
            "rejected_rows": preview.rejected_rows,
            "warning_count": counts.warnings,
            "warnings": preview.warnings,
        })
    } else {
        let summary = book.commit_import(&args.file, &options, &cancel, &mut show)?;
        line.finish();
        serde_json::json!({
            "dry_run": false,
            "file": summary.file_name,
            "created": summary.created,
            "merged": summary.merged,
            "duplicates_in_file": summary.duplicates_in_file,
            "likely_matches": summary.likely_matches,
            "rejected": summary.rejected,
            "erased": summary.erased,
            "batch_id": summary.batch_id,
            "rejected_rows": summary.rejected_rows,
            "warning_count": summary.warning_count,
            "warnings": summary.warnings,
            "conflicts": summary.conflicts,
        })
    };
    if let Some(out) = &args.rejected_out {
        book.write_rejected_rows(&args.file, &options, &RejectedRowsWording::default(), false, out)?;
    }
    if args.json {
        print_json(&output);
    } else {
        let verb = if args.dry_run { "would import" } else { "imported" };
        say!(
            "{verb} {}: {} new, {} merged, {} duplicates in the file, {} rejected, {} erased people left out{}",
            output["file"].as_str().unwrap_or_default(),
            output["created"],
            output["merged"],
            output["duplicates_in_file"],
            output["rejected"],
            output["erased"],
            output["batch_id"]
                .as_i64()
                .map(|id| format!(" (batch {id}; undo with `loupe import undo {id}`)"))
                .unwrap_or_default()
        );
        for rejected in output["rejected_rows"].as_array().into_iter().flatten() {
            say!("  rejected line {}: {}", rejected["line"], rejected["reason"].as_str().unwrap_or_default());
        }
        let warnings = output["warnings"].as_array().map_or(&[][..], Vec::as_slice);
        for warning in warnings {
            say!("  warning, line {}: {}", warning["line"], warning["reason"].as_str().unwrap_or_default());
        }
        let unlisted = output["warning_count"].as_u64().unwrap_or(0).saturating_sub(warnings.len() as u64);
        if unlisted > 0 {
            say!("  … and {unlisted} more warnings");
        }
    }
    Ok(())
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
