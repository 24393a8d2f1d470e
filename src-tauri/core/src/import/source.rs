//! What kind of file a contacts file is, told by its content and never by its name (a workbook
//! saved as `visitors.csv` or a phone's export renamed `.txt` is still what it is), and one
//! reader over the three: text (read.rs), workbooks (sheet.rs) and vCards (vcard.rs), each
//! giving a header and rows of text cells with the line or row the dealer looks up.

use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::read::{Reader, Record};
use crate::error::{Error, Result};

/// The start of a zip archive: an `.xlsx` or `.ods` workbook (they are zipped XML).
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// The start of an OLE2 compound file: an `.xls` workbook, or an `.xlsx` locked with a password.
const OLE2_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The file as Loupe read it, for the preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FileKind {
    /// Delimited text (CSV, TSV): `encoding` and `delimiter` in the preview say how.
    Text,
    /// One sheet of a workbook; `sheets` lists every sheet in the workbook's order.
    Workbook { format: WorkbookFormat, sheet: String, sheets: Vec<String> },
    /// vCards, one row per card.
    Vcard {
        #[ts(type = "number")]
        cards: u64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WorkbookFormat {
    /// Excel 2007 and later (`.xlsx`, `.xlsm`, `.xlsb`).
    Excel,
    /// Excel 97–2003 (`.xls`).
    ExcelLegacy,
    /// OpenDocument (`.ods`: LibreOffice, Numbers' export).
    OpenDocument,
}

/// What is left to choose about reading a file: the text's encoding and delimiter, a
/// workbook's sheet (its name, or its number from 1).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SourceChoice<'a> {
    pub encoding: Option<&'a str>,
    pub delimiter: Option<char>,
    pub sheet: Option<&'a str>,
}

/// A contacts file being read, whatever its kind.
pub(crate) enum Source {
    Text(Box<Reader>),
    Table(Table),
}

impl Source {
    pub fn open(path: &Path, choice: SourceChoice) -> Result<Source> {
        let io_error = |source| Error::Io { path: path.display().to_string(), source };
        let mut start = Vec::with_capacity(1024);
        std::fs::File::open(path).map_err(io_error)?.take(1024).read_to_end(&mut start).map_err(io_error)?;
        if start.starts_with(ZIP_MAGIC) || start.starts_with(OLE2_MAGIC) {
            return super::sheet::read_workbook(path, choice.sheet).map(Source::Table);
        }
        if super::vcard::is_vcard(&start) {
            return super::vcard::read_cards(path).map(Source::Table);
        }
        Reader::open(path, choice.encoding, choice.delimiter).map(|reader| Source::Text(Box::new(reader)))
    }

    pub fn headers(&self) -> &[String] {
        match self {
            Source::Text(reader) => reader.headers(),
            Source::Table(table) => &table.headers,
        }
    }

    pub fn kind(&self) -> FileKind {
        match self {
            Source::Text(_) => FileKind::Text,
            Source::Table(table) => table.kind.clone(),
        }
    }

    /// For a workbook, the index of the sheet's first column (0 is column A): errors then name
    /// a column by its letter as well as its header.
    pub fn first_column(&self) -> Option<u32> {
        match self {
            Source::Text(_) => None,
            Source::Table(table) => table.first_column,
        }
    }

    /// The text's encoding and delimiter as detected; a workbook or vCard has none.
    pub fn text_format(&self) -> Option<super::read::TextFormat> {
        match self {
            Source::Text(reader) => Some(reader.format()),
            Source::Table(_) => None,
        }
    }

    pub fn file_size(&self) -> u64 {
        match self {
            Source::Text(reader) => reader.file_size(),
            Source::Table(table) => table.file_size,
        }
    }

    pub fn bytes_read(&self) -> u64 {
        match self {
            Source::Text(reader) => reader.bytes_read(),
            Source::Table(table) => table.bytes_read(),
        }
    }

    pub fn next_record(&mut self) -> Result<Option<Record>> {
        match self {
            Source::Text(reader) => reader.next_record(),
            Source::Table(table) => Ok(table.next_record()),
        }
    }
}

/// A file read whole into rows of text (a sheet, a file of vCards): small beside what a CSV
/// may hold, and a workbook can only be read whole.
pub(crate) struct Table {
    pub kind: FileKind,
    pub headers: Vec<String>,
    pub rows: std::collections::VecDeque<Record>,
    pub first_column: Option<u32>,
    pub file_size: u64,
    total_rows: usize,
}

impl Table {
    pub fn new(kind: FileKind, headers: Vec<String>, rows: Vec<Record>, file_size: u64) -> Table {
        Table { kind, headers, total_rows: rows.len(), rows: rows.into(), first_column: None, file_size }
    }

    fn next_record(&mut self) -> Option<Record> {
        self.rows.pop_front()
    }

    /// Progress as the share of rows given, in the file's bytes.
    fn bytes_read(&self) -> u64 {
        let given = self.total_rows - self.rows.len();
        if self.total_rows == 0 {
            self.file_size
        } else {
            self.file_size * given as u64 / self.total_rows as u64
        }
    }
}

/// A spreadsheet's name for column `index` (0 is A, 26 is AA).
pub(crate) fn column_letter(index: u32) -> String {
    let mut letters = Vec::new();
    let mut rest = index + 1;
    while rest > 0 {
        let digit = (rest - 1) % 26;
        letters.push(char::from(b'A' + digit as u8));
        rest = (rest - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_as_a_spreadsheet_names_them() {
        for (index, letter) in
            [(0, "A"), (2, "C"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")]
        {
            assert_eq!(column_letter(index), letter, "{index}");
        }
    }
}
