//! CSV files for the dealer: written beside their target and renamed into place when complete,
//! so a killed or failed job never leaves a file that looks whole.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use crate::error::{Error, Result};

/// How a CSV file is laid out.
pub(crate) struct CsvLayout {
    pub delimiter: u8,
    /// For spreadsheets: a UTF-8 byte-order mark, without which Excel reads the file in the
    /// computer's own code page (accents and Chinese garbled), and CRLF line ends.
    pub spreadsheet: bool,
}

pub(crate) type CsvWriter<'a> = csv::Writer<BufWriter<&'a mut File>>;

/// Writes `out` through `write`, which fills the file; nothing appears at `out` unless it
/// succeeds.
pub(crate) fn write_csv_file<T>(
    out: &Path,
    layout: &CsvLayout,
    write: impl FnOnce(&mut CsvWriter<'_>) -> Result<T>,
) -> Result<T> {
    let io_error = |source| Error::Io { path: out.display().to_string(), source };
    let folder = out.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."));
    // tempfile creates it 0600 on Unix, and the rename keeps that: only the dealer reads it.
    let mut file = tempfile::NamedTempFile::new_in(folder).map_err(io_error)?;
    let written = {
        let mut buffered = BufWriter::with_capacity(1 << 16, file.as_file_mut());
        let mut builder = csv::WriterBuilder::new();
        builder.delimiter(layout.delimiter);
        if layout.spreadsheet {
            buffered.write_all("\u{feff}".as_bytes()).map_err(io_error)?;
            builder.terminator(csv::Terminator::CRLF);
        }
        let mut writer = builder.from_writer(buffered);
        let written = write(&mut writer)?;
        writer.flush().map_err(io_error)?;
        written
    };
    file.as_file().sync_all().map_err(io_error)?;
    file.persist(out).map_err(|error| io_error(error.error))?;
    Ok(written)
}

/// A CSV error while writing `out`, naming the file (an I/O error keeps its kind: disk full,
/// permission denied).
pub(crate) fn csv_error(out: &Path) -> impl Fn(csv::Error) -> Error + '_ {
    move |error| Error::Io { path: out.display().to_string(), source: error.into() }
}

/// A cell a spreadsheet would run as a formula (OWASP "CSV injection": a leading `=`, `+`,
/// `-`, `@`, tab or carriage return) or read as a number and strip (a phone number's leading
/// zero) gets a leading apostrophe, which Excel, LibreOffice and Sheets take as "this is text"
/// and do not show: `+44 20 7946 0958` stays readable and runs nothing.
pub(crate) fn spreadsheet_safe(cell: &str) -> Cow<'_, str> {
    if needs_guard(cell) { Cow::Owned(format!("'{cell}")) } else { Cow::Borrowed(cell) }
}

fn needs_guard(cell: &str) -> bool {
    let formula_like = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let leading_zero_number =
        cell.len() > 1 && cell.starts_with('0') && cell.bytes().all(|byte| byte.is_ascii_digit());
    formula_like || leading_zero_number
}

/// A cell as it was before `spreadsheet_safe` guarded it, so that a file Loupe wrote for a
/// spreadsheet (rejected import rows, corrected and imported again) reads back as written.
pub(crate) fn unguarded(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_cells_are_inert_and_phone_numbers_readable() {
        for (cell, expected) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+44 20 7946 0958", "'+44 20 7946 0958"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            ("02079460958", "'02079460958"),
            ("Ann", "Ann"),
            ("0", "0"),
            ("", ""),
            ("陈", "陈"),
        ] {
            assert_eq!(spreadsheet_safe(cell), expected, "{cell}");
            assert_eq!(unguarded(&spreadsheet_safe(cell)), cell, "{cell} reads back");
        }
    }
}
