//! `loupe backup`, `loupe restore` and `loupe check`: keeping the book safe.

use std::path::{Path, PathBuf};

use loupe_core::backup::BackupKind;
use loupe_core::model::BookStats;
use loupe_core::{Book, Error};
use serde::Serialize;

use crate::output::{Progress, report};

/// `backup --out FILE --json`: where the copy went and its size. The keys are in the order
/// scripts have always received them.
#[derive(Serialize)]
struct BackupCopy {
    bytes: u64,
    path: String,
}

/// `check --json`: whether SQLite found the book sound, and what it found wrong.
#[derive(Serialize)]
struct IntegrityReport<'a> {
    ok: bool,
    problems: &'a [String],
}

/// A snapshot into the backup folder beside the book (answered with the core's `BackupInfo`),
/// or into `out`.
pub fn back_up(book: &Book, out: Option<PathBuf>, json: bool) -> Result<(), Error> {
    let mut progress = Progress::default();
    match out {
        Some(out) => {
            let bytes = book.backup_to(&out, progress.job("backing up"))?;
            progress.finish();
            let copy = BackupCopy { bytes, path: out.display().to_string() };
            report(json, &copy, || backed_up(&copy.path, copy.bytes));
        }
        None => {
            let backup = book.back_up(BackupKind::Manual, progress.job("backing up"))?;
            progress.finish();
            report(json, &backup, || backed_up(&backup.path, backup.bytes));
        }
    }
    Ok(())
}

fn backed_up(path: &str, bytes: u64) -> String {
    format!("backed up to {path} ({bytes} bytes)")
}

/// The backups in the backup folder, newest first.
pub fn list(book: &Book, json: bool) -> Result<(), Error> {
    let backups = book.backups()?;
    report(json, &backups, || {
        backups
            .iter()
            .map(|backup| format!("{}  {:>12} bytes  {}", backup.created_at, backup.bytes, backup.path))
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(())
}

/// `restore --dry-run`: what a backup holds, read without changing anything.
pub fn inspect(file: &Path, json: bool) -> Result<(), Error> {
    let contents = loupe_core::backup::inspect_backup(file)?;
    report(json, &contents, || format!("{} holds {}", file.display(), describe_stats(&contents.stats)));
    Ok(())
}

pub fn restore(book: &mut Book, file: &Path, json: bool) -> Result<(), Error> {
    let mut progress = Progress::default();
    let summary = book.restore_backup(file, progress.job("restoring"))?;
    progress.finish();
    report(json, &summary, || {
        format!(
            "restored {} ({}); the book as it was is kept in {}{}",
            file.display(),
            describe_stats(&summary.restored.stats),
            summary.safety_backup.path,
            if summary.erased_again > 0 {
                format!("; {} customers erased since that backup were erased again", summary.erased_again)
            } else {
                String::new()
            }
        )
    });
    Ok(())
}

/// SQLite's integrity_check of the whole book. The report is printed before the command
/// fails, so that `loupe check --json` of a damaged book still says what is wrong.
pub fn check(book: &Book, path: &Path, json: bool) -> Result<(), Error> {
    let problems = book.integrity_problems(false)?;
    report(json, &IntegrityReport { ok: problems.is_empty(), problems: &problems }, || {
        if problems.is_empty() { "ok".to_string() } else { problems.join("\n") }
    });
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Damaged { path: path.display().to_string(), problem: problems.join("; ") })
    }
}

fn describe_stats(stats: &BookStats) -> String {
    format!(
        "{} customers, {} purchases, {} notes, {} contacts, {} wishes",
        stats.customers, stats.purchases, stats.notes, stats.interactions, stats.wishes
    )
}
