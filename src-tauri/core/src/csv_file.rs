//! CSV files for the dealer: written beside their target and renamed into place when complete,
//! so a killed or failed job never leaves a file that looks whole.

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

/// A CSV error while writing `out`, naming the file.
pub(crate) fn csv_error(out: &Path) -> impl Fn(csv::Error) -> Error + '_ {
    move |error| Error::Io { path: out.display().to_string(), source: std::io::Error::other(error) }
}
