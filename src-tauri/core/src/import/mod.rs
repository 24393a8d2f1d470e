//! Importing contacts from any CSV, workbook or vCard file a dealer has: telling the kind by
//! the content (source.rs), reading text (read.rs), a workbook's sheet (sheet.rs) or vCards
//! (vcard.rs) into one header and rows, recognising columns (mapping.rs), understanding values
//! (values.rs), making rows into drafts (rows.rs), and here the preview, the all-or-nothing
//! commit, the batches and their undo.
//!
//! Preview and commit run the same classification over the same stream, so what the preview
//! counts is what the commit does: each row is new, a merge into someone in the book, a
//! duplicate of an earlier row, a likely match the dealer confirms (or not), or rejected.

mod mapping;
mod newcomers;
mod read;
mod rows;
mod sheet;
mod source;
mod values;
mod vcard;

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use mapping::{AddressPart, ColumnMapping, Target};
pub use source::{FileKind, WorkbookFormat};
pub use values::DateOrder;

use crate::csv_file::{CsvLayout, csv_error, spreadsheet_safe, write_csv_file};
use crate::customers::{delete_customer_row, load_customer, replace_customer, update_profile};
use crate::erasure::Suppressions;
use crate::error::{Error, Result};
pub use crate::matching::MatchReason;
pub(crate) use crate::matching::book_match;
use crate::matching::book_match_with;
use crate::model::*;
use crate::problem::Problem;
use crate::search;
use crate::store::Book;
use crate::validate::{self, Unverified, ValidDraft};
use newcomers::{Newcomers, Note, Written, insert_note};
use read::{CellNote, Record};
use rows::RowPlan;
use source::{Source, SourceChoice};
use values::DateEvidence;

/// What the dealer (or the command line) chose; everything left empty is detected.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportOptions {
    /// An encoding label ("utf-8", "windows-1252", "gb18030", "utf-16le").
    pub encoding: Option<String>,
    /// One character: "," ";" "\t" "|".
    pub delimiter: Option<String>,
    pub mapping: Option<Vec<ColumnMapping>>,
    /// ISO country for national phone numbers; the book's region when empty.
    pub region: Option<String>,
    /// Date order per column name, where the dealer decided.
    pub date_orders: Vec<DateColumn>,
    /// Columns Loupe does not recognise go into a note (true) or are ignored.
    pub unknown_columns_to_note: bool,
    /// Lines the dealer confirmed: a likely match is the same person, a row naming someone
    /// erased is to be imported all the same.
    #[ts(type = "Array<number>")]
    pub confirmed_matches: Vec<u64>,
    /// A workbook's sheet, by name or by number from 1; the first sheet when empty.
    #[serde(default)]
    pub sheet: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DateColumn {
    pub column: String,
    pub order: DateOrder,
    #[serde(default)]
    pub decided_by: DateDecision,
}

/// How a date column's order was decided.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DateDecision {
    /// A day over 12 showed it.
    Evidence,
    /// The dealer chose it.
    #[default]
    Chosen,
    /// Nothing showed it: the region's custom, for the dealer to confirm.
    Assumed,
}

/// What happens to one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RowOutcome {
    New,
    Merge {
        #[ts(type = "number")]
        customer_id: i64,
        customer_name: String,
    },
    DuplicateInFile {
        #[ts(type = "number")]
        first_line: u64,
    },
    /// Shares an email or phone with someone in the book under another name, or has the same
    /// name at the same company: merged only when the dealer confirms (else a new customer).
    LikelyMatch {
        #[ts(type = "number")]
        customer_id: i64,
        customer_name: String,
        reason: MatchReason,
    },
    Rejected {
        /// The whole reason in English: "column 'Phone': '12' is not a phone number".
        reason: String,
        /// The file's column the problem is in, when it is one column's.
        column: Option<String>,
        /// That column's letter, in a workbook.
        column_letter: Option<String>,
        /// The profile field, when the problem is in one no single column holds.
        field: Option<String>,
        problem: Problem,
    },
    /// Someone erased from the book (an email or phone matches an erasure): left out unless
    /// the dealer confirms the line.
    Erased,
}

/// A field where the file and the book disagree; the book's value is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Conflict {
    pub field: String,
    pub book_value: String,
    pub file_value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PreviewRow {
    #[ts(type = "number")]
    pub line: u64,
    pub outcome: RowOutcome,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub company: String,
    pub conflicts: Vec<Conflict>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RejectedRow {
    #[ts(type = "number")]
    pub line: u64,
    /// The whole reason in English, as the `loupe` command gives it.
    pub reason: String,
    /// The file's column the problem is in, when it is one column's.
    pub column: Option<String>,
    /// That column's letter, in a workbook.
    pub column_letter: Option<String>,
    /// The profile field, when the problem is in one no single column holds.
    pub field: Option<String>,
    /// The reason as data, for the window to word in the dealer's language.
    pub problem: Problem,
}

/// A cell of an imported row that could not be used as the mapping says: the person is
/// imported all the same and the cell kept as typed (`action`), for the dealer to correct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportWarning {
    #[ts(type = "number")]
    pub line: u64,
    pub column: String,
    /// That column's letter, in a workbook.
    pub column_letter: Option<String>,
    /// The whole warning in English, as the `loupe` command gives it.
    pub reason: String,
    /// What is wrong with the cell, for the window to word in the dealer's language.
    pub problem: Problem,
    pub action: WarningAction,
}

/// Where a cell the import could not use went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WarningAction {
    /// A phone number that is not valid, kept as typed on the profile and marked unverified:
    /// not used to recognise people or for text messages until it is corrected.
    PhoneUnverified,
    /// Kept as typed in the note the import adds to the customer.
    KeptInNote,
    /// A spreadsheet's error (`#N/A`) read as an empty cell.
    LeftEmpty,
}

impl CellWarning {
    fn into_warning(self, line: u64) -> ImportWarning {
        let kept = match self.action {
            WarningAction::PhoneUnverified => {
                "kept as typed, unverified (not used for texts or to recognise people)"
            }
            WarningAction::KeptInNote => "kept as typed in the customer's import note",
            WarningAction::LeftEmpty => "read as empty",
        };
        ImportWarning {
            line,
            reason: format!(
                "{}: {}; {kept}",
                column_words(&self.column, self.letter.as_deref()),
                self.problem
            ),
            column: self.column,
            column_letter: self.letter,
            problem: self.problem,
            action: self.action,
        }
    }
}

/// A saved rejected-rows file in the dealer's language: the titles of its first two columns
/// and the reason of each line, worded by the window (which words every problem already). A
/// line it does not word gets the English reason, as the `loupe` command writes it. Importing
/// the corrected file ignores the two columns (`mapping::recognise` knows their titles).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RejectedRowsWording {
    pub line_title: String,
    pub reason_title: String,
    #[ts(type = "Record<number, string>")]
    pub reasons: HashMap<u64, String>,
}

impl Default for RejectedRowsWording {
    fn default() -> Self {
        Self {
            line_title: "Line in file".into(),
            reason_title: "Reason left out".into(),
            reasons: HashMap::new(),
        }
    }
}

/// Why a row is left out.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rejection {
    /// The file's column, when the problem is in one.
    column: Option<String>,
    /// That column's letter, in a workbook (boxed: a row's result stays small).
    letter: Option<Box<str>>,
    /// The profile field, when the problem is in one that no single column holds.
    field: Option<String>,
    problem: Problem,
}

impl Rejection {
    fn of_row(problem: Problem) -> Self {
        Rejection { column: None, letter: None, field: None, problem }
    }

    fn reason(&self) -> String {
        match (&self.column, &self.field) {
            (Some(column), _) => {
                format!("{}: {}", column_words(column, self.letter.as_deref()), self.problem)
            }
            (None, Some(field)) => format!("{field}: {}", self.problem),
            (None, None) => self.problem.to_string(),
        }
    }

    fn into_row(self, line: u64) -> RejectedRow {
        RejectedRow {
            line,
            reason: self.reason(),
            column: self.column,
            column_letter: self.letter.map(String::from),
            field: self.field,
            problem: self.problem,
        }
    }
}

/// A column as errors name it: `column 'Phone'`, or in a workbook `column C 'Phone'`.
fn column_words(column: &str, letter: Option<&str>) -> String {
    match letter {
        Some(letter) => format!("column {letter} '{column}'"),
        None => format!("column '{column}'"),
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportCounts {
    pub rows: u32,
    pub new: u32,
    pub merge: u32,
    pub duplicates_in_file: u32,
    pub likely_matches: u32,
    pub rejected: u32,
    /// Rows naming someone erased from the book, left out.
    pub erased: u32,
    /// Cells of imported rows kept as typed rather than used (`ImportWarning`; the first
    /// 10,000 are listed).
    pub warnings: u32,
}

/// Everything the dealer sees before committing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportPreview {
    pub file_name: String,
    /// What the file is (text, which sheet of which workbook, how many vCards).
    pub file_kind: FileKind,
    /// A text file's encoding and delimiter; empty for a workbook or vCards.
    pub encoding: String,
    pub delimiter: String,
    pub headers: Vec<String>,
    /// A few different values of each column (in the order of `headers`), from its first rows,
    /// so the dealer sees what a column holds while choosing where it goes.
    pub samples: Vec<Vec<String>>,
    pub mapping: Vec<ColumnMapping>,
    /// Whether the mapping is one the dealer saved for files with these headers.
    pub saved_mapping: bool,
    pub dates: Vec<DateColumn>,
    pub counts: ImportCounts,
    /// The first rows of the file, every likely match and every merge with conflicts.
    pub rows: Vec<PreviewRow>,
    pub rejected_rows: Vec<RejectedRow>,
    pub warnings: Vec<ImportWarning>,
}

/// What a commit did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportSummary {
    #[ts(type = "number")]
    pub batch_id: i64,
    pub file_name: String,
    pub file_kind: FileKind,
    pub created: u32,
    pub merged: u32,
    pub duplicates_in_file: u32,
    pub likely_matches: u32,
    pub rejected: u32,
    /// Rows naming someone erased from the book, left out.
    pub erased: u32,
    pub rejected_rows: Vec<RejectedRow>,
    /// Cells of imported rows kept as typed rather than used: how many, and the first 10,000.
    pub warning_count: u32,
    pub warnings: Vec<ImportWarning>,
    /// Merges where the book kept its own value.
    pub conflicts: Vec<PreviewRow>,
}

/// A past import, undoable until undone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportBatch {
    #[ts(type = "number")]
    pub id: i64,
    pub file_name: String,
    pub imported_at: String,
    pub created: u32,
    pub merged: u32,
    pub duplicates_in_file: u32,
    pub rejected: u32,
    pub undone_at: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UndoSummary {
    pub removed: u32,
    pub restored: u32,
}

/// Progress of a long import, for the bar: bytes of the (decoded) file read so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportProgress {
    #[ts(type = "number")]
    pub bytes_read: u64,
    #[ts(type = "number")]
    pub file_size: u64,
    pub rows: u32,
}

/// Rows read for example values, values kept per column, and characters kept per value.
const SAMPLE_SCAN_ROWS: u32 = 200;
const SAMPLES_PER_COLUMN: usize = 3;
const SAMPLE_CHARS: usize = 60;
/// Warnings listed with their line (all are counted): a file of a hundred thousand numbers
/// read in the wrong country is one mistake, not a list to send to the window.
const WARNINGS_LISTED: usize = 10_000;
/// How many rows the preview shows besides likely matches and conflicts.
const PREVIEW_ROWS: usize = 300;
/// SQLite's page cache during an import, in KiB (negative): 32 MiB.
const IMPORT_CACHE_SIZE: i64 = -32768;
/// Rows between two progress reports and cancellation checks.
const PROGRESS_EVERY: u32 = 2000;

/// Everything a pass over the file needs, decided before the first row.
struct Plan {
    rows: RowPlan,
    settings: BookSettings,
    dates: Vec<DateColumn>,
    saved_mapping: bool,
    /// The text's encoding and delimiter as detected or chosen, for every later pass.
    text: Option<read::TextFormat>,
    /// The sheet read, for every later pass.
    sheet: Option<String>,
    file_kind: FileKind,
    headers: Vec<String>,
    samples: Vec<Vec<String>>,
    confirmed: std::collections::HashSet<u64>,
}

/// The people an import created and the line each came from: 4 bytes a person, as the ids
/// a transaction gives one after the other are consecutive (a map takes any that are not).
#[derive(Default)]
struct CreatedPeople {
    first_id: i64,
    lines: Vec<u32>,
    others: HashMap<i64, u64>,
}

impl CreatedPeople {
    fn add(&mut self, id: i64, line: u64) {
        if self.lines.is_empty() && self.others.is_empty() {
            self.first_id = id;
        }
        match u32::try_from(line) {
            Ok(line) if id == self.first_id + self.lines.len() as i64 => self.lines.push(line),
            _ => {
                self.others.insert(id, line);
            }
        }
    }

    fn line_of(&self, id: i64) -> Option<u64> {
        let index = usize::try_from(id - self.first_id).ok();
        match index.and_then(|index| self.lines.get(index)) {
            Some(&line) => Some(u64::from(line)),
            None => self.others.get(&id).copied(),
        }
    }
}

/// What one run over the file found (and, when committed, did).
#[derive(Default)]
struct Run {
    batch_id: i64,
    counts: ImportCounts,
    rows: Vec<PreviewRow>,
    rejected_rows: Vec<RejectedRow>,
    warnings: Vec<ImportWarning>,
    conflicts: Vec<PreviewRow>,
}

impl Book {
    /// Says what an import of the file would do: it is the import itself, rolled back, so
    /// the preview cannot differ from the commit and needs no memory of its own per row.
    pub fn preview_import(
        &mut self,
        path: &Path,
        options: &ImportOptions,
        cancel: &AtomicBool,
        mut progress: impl FnMut(ImportProgress),
    ) -> Result<ImportPreview> {
        let plan = self.plan(path, options, cancel, &mut progress)?;
        let run = self.run_import(path, &plan, cancel, &mut progress, false)?;
        Ok(ImportPreview {
            file_name: plan.rows.file_name.clone(),
            file_kind: plan.file_kind.clone(),
            encoding: plan.text.map(|text| text.encoding.name().to_string()).unwrap_or_default(),
            delimiter: plan.text.map(|text| (text.delimiter as char).to_string()).unwrap_or_default(),
            headers: plan.headers,
            samples: plan.samples,
            mapping: plan.rows.mapping,
            saved_mapping: plan.saved_mapping,
            dates: plan.dates,
            counts: run.counts,
            rows: run.rows,
            rejected_rows: run.rejected_rows,
            warnings: run.warnings,
        })
    }

    /// Imports the file in one transaction: everything lands, or (on an error or a
    /// cancellation) nothing does. The batch can be undone later.
    pub fn commit_import(
        &mut self,
        path: &Path,
        options: &ImportOptions,
        cancel: &AtomicBool,
        mut progress: impl FnMut(ImportProgress),
    ) -> Result<ImportSummary> {
        let plan = self.plan(path, options, cancel, &mut progress)?;
        let run = self.run_import(path, &plan, cancel, &mut progress, true)?;
        let counts = run.counts;
        Ok(ImportSummary {
            batch_id: run.batch_id,
            file_name: plan.rows.file_name,
            file_kind: plan.file_kind,
            created: counts.new + counts.likely_matches,
            merged: counts.merge,
            duplicates_in_file: counts.duplicates_in_file,
            likely_matches: counts.likely_matches,
            rejected: counts.rejected,
            erased: counts.erased,
            rejected_rows: run.rejected_rows,
            warning_count: counts.warnings,
            warnings: run.warnings,
            conflicts: run.conflicts,
        })
    }

    /// Classifies and writes every row in one transaction, committed when `keep`, else
    /// rolled back. The book, with the newcomers not written yet, is the index of who is who: a
    /// row whose email or phone belongs to someone this import created is a duplicate in the
    /// file.
    fn run_import(
        &mut self,
        path: &Path,
        plan: &Plan,
        cancel: &AtomicBool,
        progress: &mut dyn FnMut(ImportProgress),
        keep: bool,
    ) -> Result<Run> {
        // Half the usual page cache while a big file streams in: memory stays bounded.
        let cache_size: i64 = self.conn.query_row("PRAGMA cache_size", [], |row| row.get(0))?;
        self.conn.pragma_update(None, "cache_size", IMPORT_CACHE_SIZE)?;
        let result = self.run_import_with_cache(path, plan, cancel, progress, keep);
        self.conn.pragma_update(None, "cache_size", cache_size)?;
        result
    }

    fn run_import_with_cache(
        &mut self,
        path: &Path,
        plan: &Plan,
        cancel: &AtomicBool,
        progress: &mut dyn FnMut(ImportProgress),
        keep: bool,
    ) -> Result<Run> {
        let now = crate::clock::now();
        let now_text = now.to_rfc3339();
        let mapping_json = serde_json::to_string(&plan.rows.mapping).unwrap_or_default();
        let tx = crate::store::write_transaction(&mut self.conn)?;
        tx.execute(
            "INSERT INTO import_batches (kind, file_name, imported_at, mapping_json) VALUES ('contacts', ?1, ?2, ?3)",
            params![plan.rows.file_name, now_text, mapping_json],
        )?;
        let batch_id = tx.last_insert_rowid();
        let mut run = Run { batch_id, ..Run::default() };
        let mut documents = search::PendingDocuments::default();
        let indexing = search::start_bulk_indexing(&tx)?;
        // People this import created and people of the book it merged into, each with the
        // first line that reached them.
        let mut created = CreatedPeople::default();
        let mut merged_into: HashMap<i64, u64> = HashMap::new();
        let mut conflicted = std::collections::HashSet::new();
        // Who the file gave a birthday or anniversary, or changed theirs: all it can move of
        // what the follow-up rules read (`evaluation::evaluate_imported`).
        let mut days_moved: Vec<i64> = Vec::new();
        let suppressions = Suppressions::load(&tx)?;
        let first_evaluation = crate::evaluation::FirstEvaluation::on(&tx, plan.rows.today)?;
        let written = Written {
            batch_id,
            file_name: &plan.rows.file_name,
            now,
            now_text: &now_text,
            first_evaluation: &first_evaluation,
        };
        let mut newcomers = Newcomers::new(&tx)?;
        classify_file(path, plan, cancel, progress, |line, row| {
            if newcomers.full() {
                newcomers.write(&tx, &written, &mut documents, &mut days_moved)?;
            }
            let ValidRow { valid, document, note, date, warnings } = match row {
                Ok(found) => found,
                Err(rejection) => {
                    let rejected = rejection.into_row(line);
                    let outcome = RowOutcome::Rejected {
                        reason: rejected.reason.clone(),
                        column: rejected.column.clone(),
                        column_letter: rejected.column_letter.clone(),
                        field: rejected.field.clone(),
                        problem: rejected.problem.clone(),
                    };
                    count(&mut run.counts, &outcome);
                    if run.rows.len() < PREVIEW_ROWS {
                        run.rows.push(preview_row(line, &outcome, None, Vec::new()));
                    }
                    run.rejected_rows.push(rejected);
                    return Ok(());
                }
            };
            let confirmed = plan.confirmed.contains(&line);
            // An old file must not quietly bring back someone who asked to be forgotten.
            if !confirmed && suppressions.names(&tx, &valid.profile)? {
                let outcome = RowOutcome::Erased;
                count(&mut run.counts, &outcome);
                if run.rows.len() < 10 * PREVIEW_ROWS {
                    run.rows.push(preview_row(line, &outcome, Some(&valid), Vec::new()));
                }
                return Ok(());
            }
            let first_line_of = |id: i64| created.line_of(id).or_else(|| merged_into.get(&id).copied());
            let found = book_match_with(&tx, &valid.profile, &newcomers)?;
            let found_id = found.as_ref().map(|found| found.id);
            let outcome = match found {
                Some(found) if found.certain || confirmed => match first_line_of(found.id) {
                    Some(first_line) => RowOutcome::DuplicateInFile { first_line },
                    None => RowOutcome::Merge { customer_id: found.id, customer_name: found.name },
                },
                Some(found) => RowOutcome::LikelyMatch {
                    customer_id: found.id,
                    customer_name: found.name,
                    reason: found.reason,
                },
                None => RowOutcome::New,
            };
            count(&mut run.counts, &outcome);
            let (customer_id, conflicts) = match (&outcome, found_id) {
                (RowOutcome::DuplicateInFile { .. }, Some(id)) if let Some(held) = newcomers.profile(id) => {
                    let before = held.profile.clone();
                    let (merged, conflicts) = merge_profile(&before, &valid.profile);
                    if merged != before {
                        newcomers.replace(
                            id,
                            validate::normalise_with(merged, &plan.settings, Unverified::FromFile)?,
                        );
                    }
                    (id, conflicts)
                }
                (RowOutcome::Merge { .. } | RowOutcome::DuplicateInFile { .. }, Some(id)) => {
                    let before = load_customer(&tx, id)?;
                    let (merged, conflicts) = merge_profile(&before.profile, &valid.profile);
                    let left = if merged != before.profile {
                        let merged = validate::normalise_with(merged, &plan.settings, Unverified::FromFile)?;
                        let remembered = crate::agenda::remembered_days;
                        if remembered(&merged.profile) != remembered(&before.profile) {
                            days_moved.push(id);
                        }
                        update_profile(&tx, id, &before.profile, &merged, now)?;
                        let items = search::indexed_items(&tx, id)?;
                        documents.add(&tx, id, search::document(&merged, items), true)?;
                        Some(merged.profile)
                    } else {
                        None
                    };
                    // The profile each merge left, after every row of the file that reached it:
                    // an undo takes back only what is still as the import left it.
                    let as_json =
                        |profile: &CustomerDraft| serde_json::to_string(profile).unwrap_or_default();
                    if first_line_of(id).is_none() {
                        merged_into.insert(id, line);
                        let before_json = as_json(&before.profile);
                        let after_json = left.as_ref().map_or_else(|| before_json.clone(), as_json);
                        tx.prepare_cached(
                            "INSERT OR IGNORE INTO import_merges (batch_id, customer_id, before_json, after_json)
                             VALUES (?1, ?2, ?3, ?4)",
                        )?
                        .execute(params![batch_id, id, before_json, after_json])?;
                    } else if let Some(left) = left.as_ref().filter(|_| merged_into.contains_key(&id)) {
                        tx.prepare_cached(
                            "UPDATE import_merges SET after_json = ?3 WHERE batch_id = ?1 AND customer_id = ?2",
                        )?
                        .execute(params![batch_id, id, as_json(left)])?;
                    }
                    (id, conflicts)
                }
                _ => {
                    let id = newcomers.add(valid.clone(), document);
                    created.add(id, line);
                    (id, Vec::new())
                }
            };
            for warning in warnings {
                run.counts.warnings += 1;
                if run.warnings.len() < WARNINGS_LISTED {
                    run.warnings.push(warning.into_warning(line));
                }
            }
            if !note.is_empty() {
                let note = Note { body: note.join("\n"), noted_on: date.unwrap_or(plan.rows.today) };
                if let Some(note) = newcomers.note(customer_id, note) {
                    insert_note(&tx, customer_id, &note, &written)?;
                }
            }
            // Conflicts are listed once per person, however many rows reach them.
            let first_conflict = !conflicts.is_empty() && conflicted.insert(customer_id);
            if first_conflict {
                run.conflicts.push(preview_row(line, &outcome, Some(&valid), conflicts.clone()));
            }
            let wanted = run.rows.len() < PREVIEW_ROWS
                || matches!(outcome, RowOutcome::LikelyMatch { .. })
                || first_conflict;
            if wanted && run.rows.len() < 10 * PREVIEW_ROWS {
                run.rows.push(preview_row(line, &outcome, Some(&valid), conflicts));
            }
            Ok(())
        })?;
        newcomers.write(&tx, &written, &mut documents, &mut days_moved)?;
        documents.flush(&tx)?;
        if keep {
            search::finish_bulk_indexing(&tx, indexing, &documents)?;
            days_moved.sort_unstable();
            days_moved.dedup();
            crate::evaluation::evaluate_imported(&tx, &days_moved, crate::clock::today())?;
            let counts = run.counts;
            tx.execute(
                "UPDATE import_batches SET created_count = ?2, merged_count = ?3, duplicate_count = ?4,
                    rejected_count = ?5 WHERE id = ?1",
                params![
                    batch_id,
                    counts.new + counts.likely_matches,
                    counts.merge,
                    counts.duplicates_in_file,
                    counts.rejected
                ],
            )?;
            tx.commit()?;
        } else {
            tx.rollback()?;
        }
        Ok(run)
    }

    /// Undoes an import: the people it created are removed, the people it merged into get
    /// back the profile they had, and its notes go.
    pub fn undo_import(&mut self, batch_id: i64) -> Result<UndoSummary> {
        let settings = self.settings()?;
        let now = crate::clock::now();
        self.with_tx(|tx| {
            let batch: Option<(String, Option<String>)> = tx
                .query_row("SELECT kind, undone_at FROM import_batches WHERE id = ?1", [batch_id], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })
                .optional()?;
            match batch.map(|(kind, undone)| (kind == "book", undone)) {
                None => return Err(Error::NotFound { what: "import", id: batch_id }),
                // A merged book appended sales and history to people already in the book;
                // taking it back is not a matter of removing what it created.
                Some((true, _)) => {
                    return Err(Error::invalid("batch_id", Problem::ImportIsBookMerge { batch_id }));
                }
                Some((false, Some(when))) => {
                    return Err(Error::invalid("batch_id", Problem::ImportAlreadyUndone { batch_id, when }));
                }
                Some((false, None)) => {}
            }
            tx.execute("DELETE FROM notes WHERE import_batch_id = ?1", [batch_id])?;
            let merges: Vec<(i64, String, Option<String>)> = tx
                .prepare(
                    "SELECT customer_id, before_json, after_json FROM import_merges WHERE batch_id = ?1",
                )?
                .query_map([batch_id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let saved = |json: &str| -> Result<CustomerDraft> {
                serde_json::from_str(json).map_err(|error| {
                    Error::invalid("batch_id", format!("the saved profile is unreadable: {error}"))
                })
            };
            for (customer_id, before, after) in &merges {
                let after = after.as_deref().map(saved).transpose()?;
                let current = load_customer(tx, *customer_id)?.profile;
                let draft = undone_profile(saved(before)?, after.as_ref(), &current)?;
                replace_customer(
                    tx,
                    *customer_id,
                    &validate::normalise_with(draft, &settings, Unverified::FromFile)?,
                    now,
                )?;
            }
            let created: Vec<i64> = tx
                .prepare("SELECT id FROM customers WHERE import_batch_id = ?1")?
                .query_map([batch_id], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for id in &created {
                crate::points::take_back_referrals(tx, *id)?;
                search::unindex_customer(tx, *id)?;
                delete_customer_row(tx, *id)?;
            }
            tx.execute(
                "UPDATE import_batches SET undone_at = ?2 WHERE id = ?1",
                params![batch_id, now.to_rfc3339()],
            )?;
            Ok(UndoSummary { removed: created.len() as u32, restored: merges.len() as u32 })
        })
    }

    /// Past imports, newest first.
    pub fn import_batches(&self) -> Result<Vec<ImportBatch>> {
        let mut statement = self.conn.prepare(
            "SELECT id, file_name, imported_at, created_count, merged_count, duplicate_count, rejected_count,
                undone_at FROM import_batches WHERE kind = 'contacts' ORDER BY id DESC",
        )?;
        let batches = statement
            .query_map([], |row| {
                Ok(ImportBatch {
                    id: row.get(0)?,
                    file_name: row.get(1)?,
                    imported_at: row.get(2)?,
                    created: row.get(3)?,
                    merged: row.get(4)?,
                    duplicates_in_file: row.get(5)?,
                    rejected: row.get(6)?,
                    undone_at: row.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(batches)
    }

    /// Remembers `mapping` for files with the same headers.
    pub fn save_import_mapping(&mut self, mapping: &[ColumnMapping]) -> Result<()> {
        let headers: Vec<String> = mapping.iter().map(|column| column.column.clone()).collect();
        let json = serde_json::to_string(mapping).unwrap_or_default();
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![mapping_key(&headers), json],
        )?;
        Ok(())
    }

    /// Writes the rejected rows of `path` as CSV, each with its line and reason first, in the
    /// words of `wording`; with `spreadsheet`, laid out for the spreadsheet the dealer corrects
    /// them in (its cells guarded, which the import of the corrected file undoes).
    pub fn write_rejected_rows(
        &mut self,
        path: &Path,
        options: &ImportOptions,
        wording: &RejectedRowsWording,
        spreadsheet: bool,
        out: &Path,
    ) -> Result<u32> {
        let cancel = AtomicBool::new(false);
        let plan = self.plan(path, options, &cancel, &mut |_| {})?;
        let mut reader = Source::open(path, plan.choice())?;
        let mut reasons: HashMap<u64, String> = HashMap::new();
        classify_file(path, &plan, &cancel, &mut |_| {}, |line, row| {
            if let Err(rejection) = row {
                let reason = wording.reasons.get(&line).cloned().unwrap_or_else(|| rejection.reason());
                reasons.insert(line, reason);
            }
            Ok(())
        })?;
        write_csv_file(out, &CsvLayout { delimiter: b',', spreadsheet }, |writer| {
            let mut header = vec![wording.line_title.clone(), wording.reason_title.clone()];
            header.extend(plan.headers.iter().cloned());
            if spreadsheet {
                // A header cell is the file's text like any other: `=HYPERLINK(…)` there runs too.
                header = header.iter().map(|cell| spreadsheet_safe(cell).into_owned()).collect();
            }
            writer.write_record(&header).map_err(csv_error(out))?;
            let mut written = 0;
            while let Some(record) = reader.next_record()? {
                let (line, fields) = match record {
                    Record::Fields { line, fields, .. } => {
                        (line, fields.iter().map(str::to_string).collect::<Vec<_>>())
                    }
                    Record::Broken { line, .. } => (line, Vec::new()),
                };
                if let Some(reason) = reasons.get(&line) {
                    let mut out_row = vec![line.to_string(), reason.clone()];
                    out_row.extend(fields);
                    out_row.resize(header.len(), String::new());
                    if spreadsheet {
                        out_row = out_row.iter().map(|cell| spreadsheet_safe(cell).into_owned()).collect();
                    }
                    writer.write_record(&out_row).map_err(csv_error(out))?;
                    written += 1;
                }
            }
            Ok(written)
        })
    }

    /// Reads the header, settles the mapping and, with a first pass, each date column's order.
    fn plan(
        &self,
        path: &Path,
        options: &ImportOptions,
        cancel: &AtomicBool,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<Plan> {
        let file_name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        let choice = SourceChoice {
            encoding: plan_encoding(options),
            delimiter: plan_delimiter(options)?,
            sheet: options.sheet.as_deref(),
        };
        let mut reader = Source::open(path, choice)?;
        let headers = reader.headers().to_vec();
        let saved: Option<Vec<ColumnMapping>> = self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [mapping_key(&headers)], |row| {
                row.get::<_, String>(0)
            })
            .optional()?
            .and_then(|json| serde_json::from_str(&json).ok());
        let unknown = if options.unknown_columns_to_note { Target::Note } else { Target::Ignore };
        let (mapping, saved_mapping) = match (&options.mapping, saved) {
            (Some(mapping), _) => (mapping.clone(), false),
            (None, Some(saved)) => (saved, true),
            (None, None) => (mapping::propose(&headers, unknown), false),
        };
        let file_error = |problem: Problem| Error::ImportFile { file: path.display().to_string(), problem };
        if mapping.len() != headers.len()
            || mapping.iter().zip(&headers).any(|(column, header)| &column.column != header)
        {
            return Err(file_error(Problem::MappingDoesNotFit { columns: headers.join(", ") }));
        }
        if !mapping::identifies_people(&mapping) {
            return Err(file_error(Problem::NoIdentifyingColumn { columns: headers.join(", ") }));
        }
        let mut settings = self.settings()?;
        if let Some(region) = options.region.as_deref().filter(|region| !region.trim().is_empty()) {
            settings.default_region = validate::region_code("region", region)?;
        }

        let date_columns: Vec<usize> = mapping
            .iter()
            .enumerate()
            .filter(|(_, column)| {
                matches!(
                    column.target,
                    Target::Birthday
                        | Target::Anniversary
                        | Target::ContactDate
                        | Target::EmailUnsubscribed
                        | Target::EmailBounced
                )
            })
            .map(|(index, _)| index)
            .collect();
        let mut evidence = vec![DateEvidence::default(); date_columns.len()];
        let undecided = date_columns
            .iter()
            .any(|index| !options.date_orders.iter().any(|chosen| chosen.column == headers[*index]));
        // Date evidence needs the whole file; example values only its first rows.
        let mut samples: Vec<Vec<String>> = vec![Vec::new(); headers.len()];
        let mut rows = 0_u32;
        while undecided || rows < SAMPLE_SCAN_ROWS {
            let Some(record) = reader.next_record()? else { break };
            if let Record::Fields { fields, .. } = record {
                for (slot, &index) in evidence.iter_mut().zip(&date_columns) {
                    slot.add(fields.get(index).unwrap_or(""));
                }
                if rows < SAMPLE_SCAN_ROWS {
                    for (column, value) in samples.iter_mut().zip(fields.iter()) {
                        let value = value.trim();
                        if !value.is_empty()
                            && column.len() < SAMPLES_PER_COLUMN
                            && !column.iter().any(|seen| seen == value)
                        {
                            column.push(value.chars().take(SAMPLE_CHARS).collect());
                        }
                    }
                }
            }
            rows += 1;
            if rows.is_multiple_of(PROGRESS_EVERY) {
                if cancel.load(Ordering::Relaxed) {
                    return Err(Error::Cancelled);
                }
                progress(ImportProgress {
                    bytes_read: reader.bytes_read(),
                    file_size: reader.file_size(),
                    rows,
                });
            }
        }
        let custom = if matches!(settings.default_region.as_str(), "US" | "PH" | "FM" | "MH") {
            DateOrder::MonthFirst
        } else {
            DateOrder::DayFirst
        };
        let mut dates = Vec::new();
        let mut date_orders = HashMap::new();
        for (slot, &index) in evidence.iter().zip(&date_columns) {
            let column = headers[index].clone();
            let (order, decided_by) = match options.date_orders.iter().find(|chosen| chosen.column == column)
            {
                Some(chosen) => (chosen.order, DateDecision::Chosen),
                None => match slot.order() {
                    Some(order) => (order, DateDecision::Evidence),
                    None => (custom, DateDecision::Assumed),
                },
            };
            date_orders.insert(index, order);
            if slot.order_matters() || decided_by == DateDecision::Chosen {
                dates.push(DateColumn { column, order, decided_by });
            }
        }
        let file_consent =
            mapping::subscribed_export(&headers).map(|column| (ConsentStatus::OptedIn, column.to_string()));
        let file_kind = reader.kind();
        let sheet = match &file_kind {
            FileKind::Workbook { sheet, .. } => Some(sheet.clone()),
            _ => None,
        };
        Ok(Plan {
            rows: RowPlan {
                mapping,
                date_orders,
                file_name,
                today: crate::clock::today(),
                file_consent,
                first_column: reader.first_column(),
            },
            settings,
            dates,
            saved_mapping,
            text: reader.text_format(),
            sheet,
            file_kind,
            headers,
            samples,
            confirmed: options.confirmed_matches.iter().copied().collect(),
        })
    }
}

impl Plan {
    /// How every pass after the plan reads the file: as the plan found it.
    fn choice(&self) -> SourceChoice<'_> {
        SourceChoice {
            encoding: self.text.map(|text| text.encoding.name()),
            delimiter: self.text.map(|text| text.delimiter as char),
            sheet: self.sheet.as_deref(),
        }
    }
}

fn plan_encoding(options: &ImportOptions) -> Option<&str> {
    options.encoding.as_deref().map(str::trim).filter(|name| !name.is_empty())
}

fn plan_delimiter(options: &ImportOptions) -> Result<Option<char>> {
    match options.delimiter.as_deref().filter(|text| !text.is_empty()) {
        None => Ok(None),
        Some("\\t") | Some("tab") => Ok(Some('\t')),
        Some(text) if text.chars().count() == 1 => Ok(text.chars().next()),
        Some(text) => Err(Error::invalid("delimiter", Problem::NotOneCharacter { value: text.to_string() })),
    }
}

fn mapping_key(headers: &[String]) -> String {
    format!("import_mapping:{}", headers.join("\u{1f}"))
}

fn count(counts: &mut ImportCounts, outcome: &RowOutcome) {
    counts.rows += 1;
    match outcome {
        RowOutcome::New => counts.new += 1,
        RowOutcome::Merge { .. } => counts.merge += 1,
        RowOutcome::DuplicateInFile { .. } => counts.duplicates_in_file += 1,
        RowOutcome::LikelyMatch { .. } => counts.likely_matches += 1,
        RowOutcome::Rejected { .. } => counts.rejected += 1,
        RowOutcome::Erased => counts.erased += 1,
    }
}

fn preview_row(
    line: u64,
    outcome: &RowOutcome,
    valid: Option<&ValidDraft>,
    conflicts: Vec<Conflict>,
) -> PreviewRow {
    let profile = valid.map(|valid| &valid.profile);
    PreviewRow {
        line,
        outcome: outcome.clone(),
        name: profile.map(|profile| profile.full_name.clone()).unwrap_or_default(),
        email: profile
            .and_then(|profile| profile.emails.first())
            .map(|email| email.address.clone())
            .unwrap_or_default(),
        phone: profile
            .and_then(|profile| profile.phones.first())
            .map(|phone| phone.number.clone())
            .unwrap_or_default(),
        company: profile.map(|profile| profile.company.clone()).unwrap_or_default(),
        conflicts,
    }
}

/// Streams the file's rows, each validated (or why not), to `apply` in file order, with
/// progress reports and cancellation between them.
fn classify_file(
    path: &Path,
    plan: &Plan,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(ImportProgress),
    mut apply: impl FnMut(u64, ValidatedRow) -> Result<()>,
) -> Result<()> {
    let file_size = std::fs::metadata(path)
        .map_err(|source| Error::Io { path: path.display().to_string(), source })?
        .len();
    std::thread::scope(|scope| {
        // Reading and validating (phone numbers above all) run on a second thread while this
        // one matches and writes; the order of rows, and so every outcome, stays the same.
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Parsed>>(CHANNEL_BATCHES);
        scope.spawn(move || read_and_validate(path, plan, &sender));
        let mut rows = 0_u32;
        for message in receiver.into_iter().flatten() {
            let (line, row, bytes_read) = match message {
                Parsed::Row { line, row, bytes_read } => (line, row, bytes_read),
                Parsed::Failed(error) => return Err(error),
            };
            rows += 1;
            if rows.is_multiple_of(PROGRESS_EVERY) {
                if cancel.load(Ordering::Relaxed) {
                    return Err(Error::Cancelled);
                }
                progress(ImportProgress { bytes_read, file_size, rows });
            }
            apply(line, *row)?;
        }
        progress(ImportProgress { bytes_read: file_size, file_size, rows });
        Ok(())
    })
}

/// A row that names a person: its validated draft, the lines of its note, and the cells it
/// could not use where the mapping sends them.
struct ValidRow {
    valid: ValidDraft,
    /// Its search document if it is someone new, made here on the reading thread: the writing
    /// one is the import's bottleneck.
    document: search::Document,
    note: Vec<String>,
    /// The day of the visit or sign-up the row records, for its note.
    date: Option<chrono::NaiveDate>,
    warnings: Vec<CellWarning>,
}

/// A cell of a row that is imported all the same, and what became of it.
struct CellWarning {
    column: String,
    /// The column's letter, in a workbook.
    letter: Option<String>,
    problem: Problem,
    action: WarningAction,
}

/// A row as a validated draft with what comes with it, or why it is rejected.
type ValidatedRow = std::result::Result<ValidRow, Rejection>;

/// One row read and validated on the reading thread, or what stopped the reading.
enum Parsed {
    // Boxed: a validated draft is large, and the channel holds a thousand of them.
    Row { line: u64, row: Box<ValidatedRow>, bytes_read: u64 },
    Failed(Error),
}

/// Rows handed from the reading thread to the writing one at a time: one hand-over (and
/// thread wake-up) per row cost more than the reading itself.
const CHANNEL_BATCH: usize = 128;
/// Batches waiting in the channel: bounds memory whatever the file's size.
const CHANNEL_BATCHES: usize = 8;

fn read_and_validate(path: &Path, plan: &Plan, sender: &std::sync::mpsc::SyncSender<Vec<Parsed>>) {
    let mut reader = match Source::open(path, plan.choice()) {
        Ok(reader) => reader,
        Err(error) => {
            let _ = sender.send(vec![Parsed::Failed(error)]);
            return;
        }
    };
    let mut batch = Vec::with_capacity(CHANNEL_BATCH);
    loop {
        let message = match reader.next_record() {
            Ok(None) => {
                let _ = sender.send(batch);
                return;
            }
            Ok(Some(Record::Broken { line, problem })) => Parsed::Row {
                line,
                row: Box::new(Err(Rejection::of_row(problem))),
                bytes_read: reader.bytes_read(),
            },
            Ok(Some(Record::Fields { line, fields, cells })) => Parsed::Row {
                line,
                row: Box::new(validated(plan, &fields, cells)),
                bytes_read: reader.bytes_read(),
            },
            Err(error) => Parsed::Failed(error),
        };
        let failed = matches!(message, Parsed::Failed(_));
        batch.push(message);
        if failed || batch.len() == CHANNEL_BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(CHANNEL_BATCH));
            // A closed channel means the writer stopped (an error or a cancellation).
            if sender.send(full).is_err() || failed {
                return;
            }
        }
    }
}

/// The row as a validated draft with its note and the cells it could not use, or why it is
/// rejected, naming the column.
fn validated(plan: &Plan, fields: &csv::StringRecord, cells: Vec<CellNote>) -> ValidatedRow {
    let warning = |column: usize, problem: Problem, action: WarningAction| CellWarning {
        column: plan.rows.column(column).to_string(),
        letter: plan.rows.letter(column),
        problem,
        action,
    };
    let row = plan.rows.draft(fields).map_err(|(column, problem)| {
        let known = column != usize::MAX;
        Rejection {
            column: known.then(|| plan.rows.column(column).to_string()),
            letter: if known { plan.rows.letter(column).map(Box::from) } else { None },
            field: None,
            problem,
        }
    })?;
    match validate::normalise_with(row.draft, &plan.settings, Unverified::FromFile) {
        Ok(valid) => {
            // What the reading could not give matters only where the mapping takes the column.
            let read = cells
                .into_iter()
                .filter(|cell| plan.rows.mapping.get(cell.column).is_some_and(|m| m.target != Target::Ignore))
                .map(|cell| warning(cell.column, cell.problem, cell.action));
            let in_note = row
                .cells_in_note
                .into_iter()
                .map(|(column, problem)| warning(column, problem, WarningAction::KeptInNote));
            let unverified =
                valid.unverified_phones.iter().map(|(index, problem)| match row.phone_columns.get(*index) {
                    Some(&column) => warning(column, problem.clone(), WarningAction::PhoneUnverified),
                    None => CellWarning {
                        column: "?".into(),
                        letter: None,
                        problem: problem.clone(),
                        action: WarningAction::PhoneUnverified,
                    },
                });
            let warnings = read.chain(in_note).chain(unverified).collect();
            let document = search::document(&valid, String::new());
            Ok(ValidRow { valid, document, note: row.note, date: row.date, warnings })
        }
        Err(Error::Invalid { field, problem }) => {
            let index = |prefix: &str| -> Option<usize> {
                field.strip_prefix(prefix)?.split(']').next()?.parse().ok()
            };
            let column = if let Some(index) = index("emails[") {
                row.email_columns.get(index).copied()
            } else if let Some(index) = index("phones[") {
                row.phone_columns.get(index).copied()
            } else {
                None
            };
            Err(Rejection {
                column: column.map(|column| plan.rows.column(column).to_string()),
                letter: column.and_then(|column| plan.rows.letter(column)).map(Box::from),
                field: column.is_none().then_some(field),
                problem,
            })
        }
        Err(other) => Err(Rejection::of_row(Problem::Other { message: other.to_string() })),
    }
}

/// The profile an undo gives back: the one from before the import, except what changed since
/// the import left it (`after`). A channel's consent, or a field (a list such as the emails or
/// phones as a whole), whose current value differs from what the import left keeps the current
/// one: a consent withdrawn or given later, a phone corrected later, is never reverted. Without
/// `after` (an import made before Loupe kept it) only consents are spared: a channel opted out
/// now stays opted out, since the import never changed a consent the book held.
pub(crate) fn undone_profile(
    before: CustomerDraft,
    after: Option<&CustomerDraft>,
    current: &CustomerDraft,
) -> Result<CustomerDraft> {
    let consents: Vec<Consent> = Channel::ALL
        .iter()
        .map(|&channel| {
            let of = |profile: &CustomerDraft| {
                profile.consents.iter().find(|consent| consent.channel == channel).cloned()
            };
            let now = of(current);
            let changed_since = match after {
                Some(after) => of(after) != now,
                None => now.as_ref().is_some_and(|consent| consent.status == ConsentStatus::OptedOut),
            };
            let kept = if changed_since { now } else { of(&before) };
            kept.unwrap_or(Consent {
                channel,
                status: ConsentStatus::Unknown,
                date: None,
                source: String::new(),
            })
        })
        .collect();
    let Some(after) = after else { return Ok(CustomerDraft { consents, ..before }) };
    let unreadable = |error: serde_json::Error| {
        Error::invalid("batch_id", format!("the saved profile is unreadable: {error}"))
    };
    let (after, current) = (
        serde_json::to_value(after).map_err(unreadable)?,
        serde_json::to_value(current).map_err(unreadable)?,
    );
    let mut undone = serde_json::to_value(before).map_err(unreadable)?;
    if let (Some(fields), Some(after), Some(current)) =
        (undone.as_object_mut(), after.as_object(), current.as_object())
    {
        for (name, value) in fields.iter_mut() {
            if let Some(now) = current.get(name)
                && after.get(name) != Some(now)
            {
                *value = now.clone();
            }
        }
    }
    let undone: CustomerDraft = serde_json::from_value(undone).map_err(unreadable)?;
    Ok(CustomerDraft { consents, ..undone })
}

/// The book's profile with what the file adds: empty fields filled, new emails, phones,
/// addresses, tags and occasions added, consents the book lacks recorded. Where both hold a
/// different value the book's stays and the difference is listed.
pub(crate) fn merge_profile(book: &CustomerDraft, file: &CustomerDraft) -> (CustomerDraft, Vec<Conflict>) {
    let mut merged = book.clone();
    let mut conflicts = Vec::new();
    let same = |a: &str, b: &str| crate::fold::fold(a).trim() == crate::fold::fold(b).trim();
    for (field, mine, theirs) in [
        ("given_name", &mut merged.given_name, &file.given_name),
        ("family_name", &mut merged.family_name, &file.family_name),
        ("title", &mut merged.title, &file.title),
        ("company", &mut merged.company, &file.company),
        ("job_title", &mut merged.job_title, &file.job_title),
        ("language", &mut merged.language, &file.language),
    ] {
        if theirs.is_empty() || same(mine, theirs) {
            continue;
        }
        if mine.is_empty() {
            mine.clone_from(theirs);
        } else {
            conflicts.push(Conflict {
                field: field.into(),
                book_value: mine.clone(),
                file_value: theirs.clone(),
            });
        }
    }
    if !same(&book.full_name, &file.full_name)
        && !file.emails.iter().any(|email| email.address == file.full_name)
    {
        conflicts.push(Conflict {
            field: "full_name".into(),
            book_value: book.full_name.clone(),
            file_value: file.full_name.clone(),
        });
    }
    match (book.birthday, file.birthday) {
        (None, Some(date)) => merged.birthday = Some(date),
        (Some(mine), Some(theirs)) if mine != theirs => conflicts.push(Conflict {
            field: "birthday".into(),
            book_value: mine.to_string(),
            file_value: theirs.to_string(),
        }),
        _ => {}
    }
    for email in &file.emails {
        if !merged.emails.iter().any(|existing| existing.address.eq_ignore_ascii_case(&email.address)) {
            merged.emails.push(EmailEntry { primary: merged.emails.is_empty(), ..email.clone() });
        }
    }
    // Unverified numbers (no E.164) are the same when their digits are.
    let same_phone = |a: &PhoneEntry, b: &PhoneEntry| match (&a.e164, &b.e164) {
        (Some(a), Some(b)) => a == b,
        _ => crate::phone::digits(&a.number) == crate::phone::digits(&b.number),
    };
    for phone in &file.phones {
        if !merged.phones.iter().any(|existing| same_phone(existing, phone)) {
            merged.phones.push(PhoneEntry { primary: merged.phones.is_empty(), ..phone.clone() });
        }
    }
    for address in &file.addresses {
        let known = merged.addresses.iter().any(|existing| {
            same(&existing.street, &address.street) && same(&existing.postal_code, &address.postal_code)
        });
        if !known {
            merged.addresses.push(AddressEntry { primary: merged.addresses.is_empty(), ..address.clone() });
        }
    }
    for tag in &file.tags {
        if !merged.tags.iter().any(|existing| existing.eq_ignore_ascii_case(tag)) {
            merged.tags.push(tag.clone());
        }
    }
    for occasion in &file.occasions {
        if !merged.occasions.contains(occasion) {
            merged.occasions.push(occasion.clone());
        }
    }
    for consent in file.consents.iter().filter(|consent| consent.status != ConsentStatus::Unknown) {
        match merged.consents.iter_mut().find(|existing| existing.channel == consent.channel) {
            Some(existing) if existing.status == ConsentStatus::Unknown => *existing = consent.clone(),
            Some(existing) if existing.status != consent.status => conflicts.push(Conflict {
                field: format!("consents.{}", consent.channel),
                book_value: existing.status.to_string(),
                file_value: consent.status.to_string(),
            }),
            Some(_) => {}
            None => merged.consents.push(consent.clone()),
        }
    }
    (merged, conflicts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::membership::Replay;

    fn search_config(book: &Book) -> Vec<(String, i64)> {
        let mut statement =
            book.conn.prepare("SELECT k, v FROM customer_search_config ORDER BY k").expect("config");
        statement
            .query_map([], |row| Ok((row.get(0)?, row.get::<_, i64>(1).unwrap_or(-1))))
            .expect("config")
            .collect::<rusqlite::Result<_>>()
            .expect("config")
    }

    fn segments(book: &Book) -> i64 {
        book.conn
            .query_row("SELECT count(DISTINCT segid) FROM customer_search_idx", [], |row| row.get(0))
            .expect("segments")
    }

    /// The bulk indexing of an import (batches in rowid order, merging paused and done once)
    /// leaves exactly the index that documents written one by one would: FTS5's integrity check
    /// compares the index with the documents, and every search answers as after a rebuild.
    #[test]
    fn bulk_indexing_leaves_the_same_index_and_settings() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut book = Book::open(&dir.path().join("book.sqlite3")).expect("book");
        book.generate_demo(300, 300, 7, |_| {}).expect("demo");
        let before = search_config(&book);
        // Returning customers come back under their own name: the same email with another name
        // would only be a likely match.
        let emails: Vec<(String, String)> = book
            .conn
            .prepare(
                "SELECT c.full_name, e.address FROM customer_emails e JOIN customers c ON c.id = e.customer_id
                 WHERE e.is_primary = 1 ORDER BY e.customer_id",
            )
            .expect("emails")
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .expect("emails")
            .collect::<rusqlite::Result<_>>()
            .expect("emails");
        // New people, merges into the book's people between them (so each batch holds rowids
        // out of order) and repeats, over more than one batch of documents.
        let path = dir.path().join("visitors.csv");
        let mut writer = csv::Writer::from_path(&path).expect("csv");
        writer.write_record(["Name", "Email", "Phone", "Company"]).expect("csv");
        for index in 0..(search::DOCUMENT_BATCH + 700) {
            let (name, email) = match index % 10 {
                3 => emails[index % emails.len()].clone(),
                7 => (format!("Zoë Müller{}", index - 4), format!("visitor{}@example.com", index - 4)),
                _ => (format!("Zoë Müller{index}"), format!("visitor{index}@example.com")),
            };
            let phone = format!("07400 {}", 100_000 + index);
            writer.write_record([name.as_str(), email.as_str(), phone.as_str(), "Nestlé"]).expect("csv");
        }
        writer.flush().expect("csv");

        let cancel = AtomicBool::new(false);
        let preview =
            book.preview_import(&path, &ImportOptions::default(), &cancel, |_| {}).expect("preview");
        assert_eq!(search_config(&book), before, "a preview leaves the settings as they were");
        let summary = book.commit_import(&path, &ImportOptions::default(), &cancel, |_| {}).expect("commit");
        assert_eq!(summary.created, preview.counts.new + preview.counts.likely_matches);
        assert!(summary.merged >= 25 && summary.duplicates_in_file > 200, "{:?}", preview.counts);
        let after = search_config(&book);
        for (key, value) in &before {
            assert!(after.contains(&(key.clone(), *value)), "{key} restored: {after:?}");
        }
        assert!(
            after.iter().all(|(key, value)| before.iter().any(|(known, _)| known == key)
                || start_settings_default(key) == Some(*value)),
            "only default values added: {after:?}"
        );
        assert!(segments(&book) < 20, "merged once at the end: {} segments", segments(&book));
        book.conn
            .execute("INSERT INTO customer_search (customer_search) VALUES ('integrity-check')", [])
            .expect("the index holds exactly the documents");

        let queries =
            ["zoe", "müller12", "mul", "visitor1", "07400 100123", "100456", "nestle", "visitor2", "example"];
        let answers = |book: &Book| -> Vec<Vec<i64>> {
            queries
                .iter()
                .map(|query| {
                    book.search_customers(query, 50).expect("search").iter().map(|row| row.id).collect()
                })
                .collect()
        };
        let found = answers(&book);
        assert!(found.iter().all(|ids| !ids.is_empty()), "{found:?}");
        book.conn
            .execute("INSERT INTO customer_search (customer_search) VALUES ('rebuild')", [])
            .expect("rebuild");
        assert_eq!(answers(&book), found, "search answers as from an index built from scratch");
    }

    fn start_settings_default(key: &str) -> Option<i64> {
        match key {
            "automerge" => Some(4),
            "crisismerge" => Some(16),
            "hashsize" => Some(1 << 20),
            _ => None,
        }
    }

    /// Every tier row of the book: (customer, tier, rank, since, kept until, evaluated on).
    type TierRow = (i64, Option<String>, Option<i64>, Option<String>, Option<String>, String);

    fn tier_rows(book: &Book) -> Vec<TierRow> {
        book.conn
            .prepare(
                "SELECT customer_id, tier, tier_rank, since, keeps_until, evaluated_on FROM customer_membership
                 ORDER BY customer_id",
            )
            .expect("tiers")
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?)))
            .expect("tiers")
            .collect::<rusqlite::Result<_>>()
            .expect("tiers")
    }

    /// Every standing row of the book, its columns as one JSON array.
    fn standing_rows(book: &Book) -> Vec<(i64, String)> {
        book.conn
            .prepare(
                "SELECT customer_id, json_array(segment, value_class, recency, frequency, monetary, rfm_group,
                    window_units, bought_most_json, reasons_json, evaluated_on)
                 FROM customer_standing ORDER BY customer_id",
            )
            .expect("standing")
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .expect("standing")
            .collect::<rusqlite::Result<_>>()
            .expect("standing")
    }

    fn customer_count(book: &Book) -> usize {
        let count: i64 =
            book.conn.query_row("SELECT count(*) FROM customers", [], |row| row.get(0)).expect("count");
        count as usize
    }

    /// What each merge left (`after_json`), a person two rows reached among them, is the profile
    /// the book reads back: an undo compares the one with the other.
    #[test]
    fn what_a_merge_left_is_the_profile_the_book_reads_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut book = Book::open_in_memory().expect("book");
        book.generate_demo(80, 300, 11, |_| {}).expect("demo");
        let known: Vec<(String, String)> = book
            .conn
            .prepare(
                "SELECT c.full_name, e.address FROM customer_emails e JOIN customers c ON c.id = e.customer_id
                 WHERE e.position = 0 ORDER BY c.id LIMIT 6",
            )
            .and_then(|mut statement| {
                statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<rusqlite::Result<_>>()
            })
            .expect("demo people with an email");
        let mut file = String::from("Name,Email,Phone,Job Title,Birthday,Newsletter,Notes\n");
        for (n, (name, email)) in known.iter().enumerate() {
            file +=
                &format!("{name},{email},07911 2000{n:02},Buyer,1970-0{}-1{n},yes,met at the fair\n", n + 1);
        }
        // The first again, with a second number: what it left is after both rows.
        let (name, email) = &known[0];
        file += &format!("{name},{},+41 44 668 18 00,,,,\n", email.to_uppercase());
        let path = dir.path().join("fair.csv");
        std::fs::write(&path, file).expect("write");
        let cancel = AtomicBool::new(false);
        let summary = book.commit_import(&path, &ImportOptions::default(), &cancel, |_| {}).expect("commit");
        assert_eq!((summary.merged, summary.duplicates_in_file), (6, 1));
        let left: Vec<(i64, String)> = book
            .conn
            .prepare("SELECT customer_id, after_json FROM import_merges WHERE batch_id = ?1")
            .and_then(|mut statement| {
                statement
                    .query_map([summary.batch_id], |row| Ok((row.get(0)?, row.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()
            })
            .expect("merges");
        assert_eq!(left.len(), 6);
        for (id, after_json) in &left {
            let read_back = load_customer(&book.conn, *id).expect("customer").profile;
            let after: CustomerDraft = serde_json::from_str(after_json).expect("after_json");
            assert_eq!(after, read_back, "customer {id}");
        }
        let first = load_customer(&book.conn, left[0].0).expect("first").profile;
        assert!(first.phones.iter().any(|phone| phone.e164.as_deref() == Some("+41446681800")));
    }

    /// An import's new people are given the standing and tier rows their first evaluation
    /// would (none bought yet), with their customer rows: the book's rows are then what an
    /// evaluation of everyone stores. With the programme off, they get no tier, as nobody has one.
    #[test]
    fn an_imports_new_people_hold_the_rows_an_evaluation_of_everyone_would_give() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut book = Book::open_in_memory().expect("book");
        book.generate_demo(60, 200, 7, |_| {}).expect("demo");
        let (returning, email): (String, String) = book
            .conn
            .query_row(
                "SELECT c.full_name, e.address FROM customer_emails e JOIN customers c ON c.id = e.customer_id
                 JOIN customer_membership m ON m.customer_id = c.id WHERE m.tier IS NOT NULL LIMIT 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .expect("a member with an email");
        let path = dir.path().join("cards.csv");
        std::fs::write(
            &path,
            format!(
                "Name,Email,Birthday\nIvy Newcomer,ivy@example.com,1980-03-04\n{returning},{email},\n\
                 Jo Newcomer,jo@example.com,\n"
            ),
        )
        .expect("write");
        let cancel = AtomicBool::new(false);
        let summary = book.commit_import(&path, &ImportOptions::default(), &cancel, |_| {}).expect("commit");
        assert_eq!((summary.created, summary.merged), (2, 1));
        let imported = tier_rows(&book);
        assert_eq!(imported.len(), customer_count(&book), "everyone has a tier row");
        let standings = standing_rows(&book);
        assert_eq!(standings.len(), customer_count(&book), "everyone has a standing");
        let today = crate::clock::today().to_string();
        let newcomers: Vec<&TierRow> = imported.iter().rev().take(2).collect();
        assert!(newcomers.iter().all(|row| row.1.is_none() && row.5 == today), "{newcomers:?}");
        let moved = crate::membership::refresh_book(
            &book.conn,
            crate::clock::today(),
            Replay::Everyone { rules_changed: false },
        )
        .expect("replay");
        assert_eq!((moved, tier_rows(&book)), (0, imported), "a replay of everyone changes nothing");
        let evaluated =
            crate::standing::refresh_book(&book.conn, crate::clock::today(), true).expect("evaluation");
        assert_eq!(
            (evaluated.changes, standing_rows(&book)),
            (0, standings),
            "nor an evaluation of everyone"
        );

        let mut settings = book.settings().expect("settings");
        settings.membership.enabled = false;
        book.update_settings(&settings).expect("programme off");
        std::fs::write(&path, "Name,Email\nKim Offseason,kim@example.com\n").expect("write");
        book.commit_import(&path, &ImportOptions::default(), &cancel, |_| {}).expect("commit");
        assert_eq!(tier_rows(&book), Vec::new(), "the programme off keeps no tier");
    }
}
