//! Workbooks (`.xlsx`, `.xls`, `.ods`) read with calamine into the same header and rows of
//! text a CSV gives, each cell as the spreadsheet holds it: a date as an ISO date (never an
//! Excel serial number), a whole number without `.0` and never in exponent form (a phone typed
//! as a number stays 447911123456), a boolean as TRUE or FALSE, an error (`#N/A`) as an empty
//! cell with a warning. Rows keep the sheet's own numbers, the ones the dealer sees in Excel.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Ods, OdsError, Range, Reader as _, Xls, XlsError, Xlsb, XlsbError, Xlsx, XlsxError};

use super::WarningAction;
use super::read::{CellNote, Record};
use super::source::{FileKind, Table, WorkbookFormat, column_letter};
use crate::error::{Error, Result};
use crate::problem::Problem;

/// Significant digits a spreadsheet shows of a fraction (Excel keeps 15).
const SIGNIFICANT_DIGITS: i32 = 15;

/// Reads `sheet` (a name, or a number from 1) of the workbook at `path`, the first sheet when
/// none is chosen.
pub(crate) fn read_workbook(path: &Path, sheet: Option<&str>) -> Result<Table> {
    let file_error = |problem: Problem| Error::ImportFile { file: path.display().to_string(), problem };
    let bytes =
        std::fs::read(path).map_err(|source| Error::Io { path: path.display().to_string(), source })?;
    let file_size = bytes.len() as u64;
    let mut workbook = open(bytes).map_err(file_error)?;
    let sheets = workbook.sheet_names();
    let chosen = match sheet.map(str::trim).filter(|sheet| !sheet.is_empty()) {
        None => sheets.first().cloned(),
        Some(wanted) => sheets.iter().find(|name| name.as_str() == wanted).cloned().or_else(|| {
            let number: usize = wanted.parse().ok()?;
            sheets.get(number.checked_sub(1)?).cloned()
        }),
    };
    let Some(chosen) = chosen else {
        let problem = match sheet {
            None => Problem::SheetEmpty { sheet: String::new() },
            Some(wanted) => Problem::NoSuchSheet { sheet: wanted.to_string(), sheets: sheets.join(", ") },
        };
        return Err(file_error(problem));
    };
    let range = workbook.range(&chosen).map_err(file_error)?;
    let kind = FileKind::Workbook { format: workbook.format(), sheet: chosen.clone(), sheets };
    table(kind, &range, file_size).ok_or_else(|| file_error(Problem::SheetEmpty { sheet: chosen }))
}

/// The workbook kinds calamine reads, told apart by content: an OLE2 file is `.xls` (or an
/// `.xlsx` locked with a password), a zip is `.xlsx`, `.xlsb` or `.ods`.
enum Workbook {
    Xlsx(Xlsx<Cursor<Vec<u8>>>),
    Xlsb(Xlsb<Cursor<Vec<u8>>>),
    Xls(Xls<Cursor<Vec<u8>>>),
    Ods(Ods<Cursor<Vec<u8>>>),
}

fn open(bytes: Vec<u8>) -> std::result::Result<Workbook, Problem> {
    if bytes.starts_with(b"PK") {
        return match Xlsx::new(Cursor::new(bytes.clone())) {
            Ok(workbook) => Ok(Workbook::Xlsx(workbook)),
            Err(xlsx_error) => {
                if let Ok(workbook) = Xlsb::new(Cursor::new(bytes.clone())) {
                    return Ok(Workbook::Xlsb(workbook));
                }
                match Ods::new(Cursor::new(bytes)) {
                    Ok(workbook) => Ok(Workbook::Ods(workbook)),
                    Err(OdsError::Password) => Err(Problem::WorkbookLocked),
                    // None of them: the Excel reader's complaint says most about a damaged file.
                    Err(_) => Err(unreadable(xlsx_error)),
                }
            }
        };
    }
    // The bytes stay for the password check below.
    match Xls::new(Cursor::new(bytes.clone())) {
        Ok(workbook) => Ok(Workbook::Xls(workbook)),
        Err(XlsError::Password) => Err(Problem::WorkbookLocked),
        // Excel locks an .xlsx by encrypting it into an OLE2 file with this stream.
        Err(_) if contains_utf16(&bytes, "EncryptedPackage") => Err(Problem::WorkbookLocked),
        Err(error) => Err(unreadable(error)),
    }
}

fn unreadable(error: impl std::fmt::Display) -> Problem {
    Problem::WorkbookUnreadable { reason: error.to_string() }
}

fn contains_utf16(bytes: &[u8], text: &str) -> bool {
    let wanted: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(wanted.len()).any(|window| window == wanted.as_slice())
}

impl Workbook {
    fn sheet_names(&self) -> Vec<String> {
        match self {
            Workbook::Xlsx(workbook) => workbook.sheet_names(),
            Workbook::Xlsb(workbook) => workbook.sheet_names(),
            Workbook::Xls(workbook) => workbook.sheet_names(),
            Workbook::Ods(workbook) => workbook.sheet_names(),
        }
    }

    fn format(&self) -> WorkbookFormat {
        match self {
            Workbook::Xlsx(_) | Workbook::Xlsb(_) => WorkbookFormat::Excel,
            Workbook::Xls(_) => WorkbookFormat::ExcelLegacy,
            Workbook::Ods(_) => WorkbookFormat::OpenDocument,
        }
    }

    fn range(&mut self, sheet: &str) -> std::result::Result<Range<Data>, Problem> {
        match self {
            Workbook::Xlsx(workbook) => workbook.worksheet_range(sheet).map_err(|error| match error {
                XlsxError::Password => Problem::WorkbookLocked,
                other => unreadable(other),
            }),
            Workbook::Xlsb(workbook) => workbook.worksheet_range(sheet).map_err(|error| match error {
                XlsbError::Password => Problem::WorkbookLocked,
                other => unreadable(other),
            }),
            Workbook::Xls(workbook) => workbook.worksheet_range(sheet).map_err(|error| match error {
                XlsError::Password => Problem::WorkbookLocked,
                other => unreadable(other),
            }),
            Workbook::Ods(workbook) => workbook.worksheet_range(sheet).map_err(|error| match error {
                OdsError::Password => Problem::WorkbookLocked,
                other => unreadable(other),
            }),
        }
    }
}

/// The sheet as a header and rows: the first row holding anything is the header, empty rows
/// are skipped, and columns after the last one holding anything are left out. None when the
/// sheet holds nothing.
fn table(kind: FileKind, range: &Range<Data>, file_size: u64) -> Option<Table> {
    let (first_row, first_column) = range.start()?;
    let cells: Vec<Vec<(String, Option<Problem>)>> =
        range.rows().map(|row| row.iter().map(cell_text).collect()).collect();
    let width = cells
        .iter()
        .map(|row| row.iter().rposition(|(text, problem)| !text.trim().is_empty() || problem.is_some()))
        .filter_map(|last| last.map(|last| last + 1))
        .max()?;
    let mut rows = cells
        .into_iter()
        .enumerate()
        .filter(|(_, row)| row.iter().any(|(text, problem)| !text.trim().is_empty() || problem.is_some()));
    let (_, header) = rows.next()?;
    let headers = (0..width)
        .map(|index| match header.get(index).map(|(text, _)| text.trim()) {
            Some(name) if !name.is_empty() => name.to_string(),
            _ => format!("Column {}", column_letter(first_column + index as u32)),
        })
        .collect();
    let records = rows
        .map(|(index, row)| {
            let mut fields = csv::StringRecord::new();
            let mut notes = Vec::new();
            for (column, (text, problem)) in row.into_iter().take(width).enumerate() {
                fields.push_field(&text);
                if let Some(problem) = problem {
                    notes.push(CellNote { column, problem, action: WarningAction::LeftEmpty });
                }
            }
            while fields.len() < width {
                fields.push_field("");
            }
            Record::Fields { line: u64::from(first_row) + index as u64 + 1, fields, cells: notes }
        })
        .collect();
    let mut table = Table::new(kind, headers, records, file_size);
    table.first_column = Some(first_column);
    Some(table)
}

/// A cell as the spreadsheet shows it, or empty with what is wrong.
fn cell_text(cell: &Data) -> (String, Option<Problem>) {
    let text = match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Int(number) => number.to_string(),
        Data::Float(number) => number_text(*number),
        Data::Bool(true) => "TRUE".into(),
        Data::Bool(false) => "FALSE".into(),
        Data::DateTime(value) if value.is_duration() => number_text(value.as_f64()),
        Data::DateTime(value) => match value.as_datetime() {
            // A time alone is a fraction of a day, dated Excel's day zero.
            Some(moment) if value.as_f64() < 1.0 => time_text(moment.time()),
            Some(moment) if moment.time() == chrono::NaiveTime::MIN => moment.date().to_string(),
            Some(moment) => format!("{} {}", moment.date(), time_text(moment.time())),
            None => number_text(value.as_f64()),
        },
        Data::DateTimeIso(text) => text.strip_suffix("T00:00:00").unwrap_or(text).replacen('T', " ", 1),
        Data::DurationIso(text) => text.clone(),
        Data::Error(error) => {
            return (String::new(), Some(Problem::SpreadsheetError { value: error.to_string() }));
        }
    };
    (text, None)
}

fn time_text(time: chrono::NaiveTime) -> String {
    use chrono::Timelike;
    if time.second() == 0 { time.format("%H:%M").to_string() } else { time.format("%H:%M:%S").to_string() }
}

/// A number as a spreadsheet shows it in General format, without its exponent form: whole
/// numbers in full, fractions to 15 significant digits with no trailing zeros.
pub(crate) fn number_text(number: f64) -> String {
    if !number.is_finite() {
        return String::new();
    }
    if number.fract() == 0.0 {
        // f64's Display never uses an exponent and gives no ".0".
        return format!("{number}");
    }
    let whole_digits = if number.abs() >= 1.0 { number.abs().log10().floor() as i32 + 1 } else { 0 };
    let decimals = (SIGNIFICANT_DIGITS - whole_digits).clamp(0, 20) as usize;
    let text = format!("{number:.decimals$}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_a_spreadsheet_shows_them() {
        for (number, text) in [
            (447911123456.0, "447911123456"),
            (7.0, "7"),
            (-3.0, "-3"),
            (0.1 + 0.2, "0.3"),
            (9150.5, "9150.5"),
            (1e20, "100000000000000000000"),
            (0.000125, "0.000125"),
            (12.75, "12.75"),
        ] {
            assert_eq!(number_text(number), text, "{number}");
        }
    }
}
