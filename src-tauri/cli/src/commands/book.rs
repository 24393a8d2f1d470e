//! `loupe export book` and `loupe import book`: the whole book as a folder of CSV files, to
//! move it to another machine or merge it into another book.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use loupe_core::transfer::{BookImportOptions, TransferProgress, TransferStage};
use loupe_core::{Book, Error};

use crate::output::{Progress, report};

pub fn export(book: &Book, out: &Path, json: bool) -> Result<(), Error> {
    let mut progress = Progress::default();
    let summary = book.export_book(out, &AtomicBool::new(false), |step| show_step(&mut progress, step));
    progress.finish();
    let summary = summary?;
    report(json, &summary, || {
        format!(
            "exported {} customers ({} rows in {} files) to {}",
            summary.manifest.rows_of("customers"),
            summary.manifest.total_rows(),
            summary.manifest.files.len(),
            out.display()
        )
    });
    Ok(())
}

pub fn import(book: &mut Book, dir: &Path, merge: bool, json: bool) -> Result<(), Error> {
    let mut progress = Progress::default();
    let options = BookImportOptions { merge };
    let summary =
        book.import_book(dir, &options, &AtomicBool::new(false), |step| show_step(&mut progress, step));
    progress.finish();
    let summary = summary?;
    report(json, &summary, || {
        if summary.merged_into_existing {
            format!(
                "merged {}: {} new customers, {} merged into customers already here, {} erased people left out ({} fields kept the book's value; batch {}); the book as it was is backed up in {}",
                dir.display(),
                summary.customers_created,
                summary.customers_merged,
                summary.erased_left_out,
                summary.conflicts,
                summary.batch_id.unwrap_or_default(),
                summary.safety_backup.as_ref().map(|backup| backup.path.as_str()).unwrap_or_default()
            )
        } else {
            format!(
                "restored {} customers ({} rows) from {} into {}",
                summary.customers_created,
                summary.rows_read,
                dir.display(),
                book.path().display()
            )
        }
    });
    Ok(())
}

/// A move goes through stages, each counted in its own unit; the line says which one it is in.
fn show_step(progress: &mut Progress, step: TransferProgress) {
    let label = match step.stage {
        TransferStage::BackingUp => "backing up the book first",
        TransferStage::Writing => "writing files",
        TransferStage::Verifying => "checking files",
        TransferStage::Loading => "reading rows",
        TransferStage::Merging => "merging customers",
        TransferStage::Indexing => "indexing for search",
    };
    progress.show(label, step.done, step.total);
}
