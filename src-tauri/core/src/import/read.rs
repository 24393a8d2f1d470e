//! Reading a contacts file whatever wrote it: the encoding (BOM, UTF-8, UTF-16, Windows-1252,
//! GBK/GB18030 guessed by chardetng), Excel's `sep=` line, the delimiter, and records with
//! their line numbers, streamed with bounded memory.
//!
//! The csv crate parses; what no library does is recover from a quote that is never closed.
//! csv would swallow the rest of the file into one field, so a guard caps how far one record
//! may run, and a record that spans lines with the wrong number of fields is rejected on its
//! own while reading resumes on its next line.

use std::cell::{Cell, RefCell};
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use encoding_rs_io::DecodeReaderBytesBuilder;

use crate::error::{Error, Result};
use crate::problem::Problem;

/// How much of the file the detection reads: enough lines for the delimiter, and enough
/// accented or Chinese text for the encoding guess.
const SAMPLE_BYTES: usize = 64 * 1024;
/// A record longer than this is a quote left open, not a contact.
const MAX_RECORD_BYTES: u64 = 1024 * 1024;
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// What was detected (or chosen) about the file's text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextFormat {
    pub encoding: &'static Encoding,
    pub delimiter: u8,
}

/// One line of the file made into fields, or why it could not be.
pub(crate) enum Record {
    /// `cells`: what the reading itself could not use in the row's cells (a workbook's
    /// `#N/A`, a vCard's property the book has no field for); a CSV's cells are always text.
    Fields {
        line: u64,
        fields: csv::StringRecord,
        cells: Vec<CellNote>,
    },
    Broken {
        line: u64,
        problem: Problem,
    },
}

/// A cell of a row that the reading could not give as it was, and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CellNote {
    pub column: usize,
    pub problem: Problem,
    pub action: super::WarningAction,
}

pub(crate) struct Reader {
    path: PathBuf,
    file_size: u64,
    format: TextFormat,
    csv: csv::Reader<Guarded>,
    tape: Rc<RefCell<Tape>>,
    /// Bytes of the file itself read so far (the decoded text may be longer or shorter).
    raw_read: Rc<Cell<u64>>,
    /// Decoded bytes before the current csv reader's start (after a resume).
    byte_offset: u64,
    /// The file's line at the decoded offset where csv reads on.
    line: u64,
    headers: Vec<String>,
    record: csv::StringRecord,
    /// Where `record` lies.
    span: Span,
}

/// Where the record read last lies in the decoded text, and the file's line it starts on.
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    line: u64,
    /// Decoded offset of its first byte, after the line ends csv skipped before it.
    first: u64,
    /// Decoded offset just past it, its line end included.
    end: u64,
}

/// The decoded text csv has been given since the start of the record being read: to check a
/// record's quotes and to read again after a broken one. Never more than one record plus
/// csv's read-ahead, as the guard refuses to run further.
#[derive(Default)]
struct Tape {
    kept: Vec<u8>,
    /// Decoded offset of `kept[0]`.
    kept_from: u64,
    /// Decoded offset of the next byte csv receives: inside `kept` after a resume.
    cursor: u64,
    limit: u64,
}

impl Tape {
    /// Forgets what lies before decoded offset `start` and lets one record run from there.
    fn start_record(&mut self, start: u64) {
        let drop = (start.saturating_sub(self.kept_from) as usize).min(self.kept.len());
        self.kept.drain(..drop);
        self.kept_from += drop as u64;
        self.limit = start + MAX_RECORD_BYTES;
    }

    fn kept_end(&self) -> u64 {
        self.kept_from + self.kept.len() as u64
    }

    fn text(&self, from: u64, to: u64) -> &[u8] {
        let start = (from.saturating_sub(self.kept_from) as usize).min(self.kept.len());
        let end = (to.saturating_sub(self.kept_from) as usize).clamp(start, self.kept.len());
        &self.kept[start..end]
    }
}

impl Reader {
    /// Opens `path`, detecting what `encoding` and `delimiter` leave open, and reads the
    /// header line. A file that cannot be a contacts table is one clear error.
    pub fn open(path: &Path, encoding: Option<&str>, delimiter: Option<char>) -> Result<Reader> {
        let file_error = |problem: Problem| Error::ImportFile { file: path.display().to_string(), problem };
        let io_error = |source| Error::Io { path: path.display().to_string(), source };
        let mut file = File::open(path).map_err(io_error)?;
        let file_size = file.metadata().map_err(io_error)?.len();
        if file_size == 0 {
            return Err(file_error(Problem::FileEmpty));
        }
        let mut sample = vec![0; SAMPLE_BYTES.min(file_size as usize)];
        file.read_exact(&mut sample).map_err(io_error)?;
        let encoding = match encoding {
            Some(name) => Encoding::for_label(name.trim().as_bytes())
                .ok_or_else(|| file_error(Problem::UnknownEncoding { name: name.to_string() }))?,
            None => detect_encoding(&sample, &mut file).map_err(|error| match error {
                Detection::Binary => file_error(Problem::NotText),
                Detection::Io(source) => io_error(source),
            })?,
        };
        let text = decode_sample(encoding, &sample, sample.len() as u64 == file_size)
            .ok_or_else(|| file_error(Problem::Undecodable { encoding: encoding.name().to_string() }))?;
        if text.chars().any(|ch| ch == '\0' || (ch.is_control() && !matches!(ch, '\t' | '\n' | '\r'))) {
            return Err(file_error(Problem::NotText));
        }
        let (sep_line, sep) = sep_line(&text);
        let delimiter = match delimiter.or(sep) {
            Some(ch) if ch.is_ascii() && ch != '"' && ch != '\n' => ch as u8,
            Some(ch) => return Err(file_error(Problem::NotAColumnSeparator { value: ch.to_string() })),
            None => sniff_delimiter(if sep_line {
                text.split_once('\n').map_or("", |(_, rest)| rest)
            } else {
                &text
            }),
        };
        let format = TextFormat { encoding, delimiter };
        let tape = Rc::new(RefCell::new(Tape { limit: MAX_RECORD_BYTES, ..Tape::default() }));
        let raw_read = Rc::new(Cell::new(0));
        let file = Counted { file: File::open(path).map_err(io_error)?, count: Rc::clone(&raw_read) };
        let decoded = DecodeReaderBytesBuilder::new().encoding(Some(encoding)).strip_bom(true).build(file);
        let guarded = Guarded { inner: Box::new(decoded), tape: Rc::clone(&tape) };
        let mut reader = Reader {
            path: path.to_path_buf(),
            file_size,
            format,
            csv: csv_reader(format.delimiter, guarded),
            tape,
            raw_read,
            byte_offset: 0,
            line: 1,
            headers: Vec::new(),
            record: csv::StringRecord::new(),
            span: Span::default(),
        };
        if sep_line {
            reader.read_raw()?;
        }
        let header = loop {
            match reader.read_raw()? {
                None => return Err(file_error(Problem::NoHeaderLine)),
                Some(()) if reader.record.iter().all(|field| field.trim().is_empty()) => continue,
                Some(()) => break reader.record.clone(),
            }
        };
        reader.headers = header
            .iter()
            .enumerate()
            .map(|(index, name)| {
                // A header Loupe guarded for a spreadsheet (rejected rows) reads back as it was.
                let name = crate::csv_file::unguarded(name.trim().trim_start_matches('\u{feff}').trim());
                if name.is_empty() { format!("Column {}", index + 1) } else { name.to_string() }
            })
            .collect();
        Ok(reader)
    }

    pub fn format(&self) -> TextFormat {
        self.format
    }

    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    pub fn file_size(&self) -> u64 {
        self.file_size
    }

    /// Bytes of the file read so far, for progress against `file_size`.
    pub fn bytes_read(&self) -> u64 {
        self.raw_read.get().min(self.file_size)
    }

    /// The next data record; blank lines are skipped.
    pub fn next_record(&mut self) -> Result<Option<Record>> {
        loop {
            let read = self.read_raw();
            let Span { line, first, end } = self.span;
            let (spans_lines, unclosed) = match read {
                Ok(Some(())) => {
                    let tape = self.tape.borrow();
                    let text = tape.text(first, end);
                    let body = text.strip_suffix(b"\n").unwrap_or(text);
                    let body = body.strip_suffix(b"\r").unwrap_or(body);
                    let spans = body.contains(&b'\n');
                    // Quotes come in pairs ("" inside a field is a pair too); an odd count
                    // means one was never closed and csv ran on into the next lines.
                    (spans, spans && text.iter().filter(|&&byte| byte == b'"').count() % 2 == 1)
                }
                Ok(None) => (false, false),
                Err(Error::ImportFile { .. }) => (true, true),
                Err(error) => return Err(error),
            };
            let width = self.headers.len();
            if unclosed || (spans_lines && self.record.len() != width) {
                self.resume_after(line, first)?;
                return Ok(Some(Record::Broken { line, problem: Problem::UnclosedQuote }));
            }
            match read {
                Ok(None) => return Ok(None),
                Ok(Some(())) if self.record.iter().all(|field| field.trim().is_empty()) => continue,
                _ => {}
            }
            let extra_empty = self.record.iter().skip(width).all(|field| field.trim().is_empty());
            if self.record.len() == width || (self.record.len() > width && extra_empty) {
                self.record.truncate(width);
                return Ok(Some(Record::Fields { line, fields: self.record.clone(), cells: Vec::new() }));
            }
            return Ok(Some(Record::Broken {
                line,
                problem: Problem::FieldCount { found: self.record.len(), expected: width },
            }));
        }
    }

    fn read_raw(&mut self) -> Result<Option<()>> {
        let start = self.byte_offset + self.csv.position().byte();
        self.tape.borrow_mut().start_record(start);
        let read = self.csv.read_record(&mut self.record);
        self.locate(start, self.byte_offset + self.csv.position().byte());
        match read {
            Ok(true) => Ok(Some(())),
            Ok(false) => Ok(None),
            Err(error) => match error.kind() {
                csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::FileTooLarge => {
                    Err(Error::ImportFile {
                        file: self.path.display().to_string(),
                        problem: Problem::RecordTooLong,
                    })
                }
                csv::ErrorKind::Io(io) => Err(Error::Io {
                    path: self.path.display().to_string(),
                    source: io::Error::new(io.kind(), io.to_string()),
                }),
                // The decoder hands csv valid UTF-8, so no other error can arise.
                _ => Err(Error::ImportFile {
                    file: self.path.display().to_string(),
                    problem: error.to_string().into(),
                }),
            },
        }
    }

    /// Sets `span` for the record csv read from decoded offset `start` to `end`, counting
    /// lines on the text csv was given. csv's own count is where it stopped, which is before
    /// the LF of a CRLF (it ends the record at the CR) and before the blank lines it skips at
    /// the start of the next record: a line low after either.
    fn locate(&mut self, start: u64, end: u64) {
        let tape = self.tape.borrow();
        let taken = tape.text(start, tape.kept_end());
        let skipped = taken.iter().take_while(|&&byte| byte == b'\r' || byte == b'\n').count();
        let line = self.line + line_ends(&taken[..skipped]);
        self.line += line_ends(tape.text(start, end));
        self.span = Span { line, first: start + skipped as u64, end };
    }

    /// Reads on from the line after `line`, whose record began at decoded offset `start`:
    /// the text csv already took is on the tape, the rest still in the decoder.
    fn resume_after(&mut self, line: u64, start: u64) -> Result<()> {
        let placeholder = Guarded { inner: Box::new(io::empty()), tape: Rc::clone(&self.tape) };
        let guarded =
            std::mem::replace(&mut self.csv, csv_reader(self.format.delimiter, placeholder)).into_inner();
        let mut tape = self.tape.borrow_mut();
        let kept_end = tape.kept_end();
        let next_line = match tape.text(start, kept_end).iter().position(|&byte| byte == b'\n') {
            Some(newline) => start + newline as u64 + 1,
            None => kept_end,
        };
        tape.cursor = next_line;
        tape.start_record(next_line);
        drop(tape);
        self.byte_offset = next_line;
        self.line = line + 1;
        self.csv = csv_reader(self.format.delimiter, guarded);
        Ok(())
    }
}

/// Line ends in `text`: each LF, alone or after a CR.
fn line_ends(text: &[u8]) -> u64 {
    text.iter().filter(|&&byte| byte == b'\n').count() as u64
}

fn csv_reader(delimiter: u8, input: Guarded) -> csv::Reader<Guarded> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .double_quote(true)
        .from_reader(input)
}

/// The decoded text for csv: from the tape after a resume, else from the decoder (and then
/// kept on the tape); refused (as `FileTooLarge`) once a record runs past the tape's limit.
struct Guarded {
    inner: Box<dyn Read>,
    tape: Rc<RefCell<Tape>>,
}

impl Read for Guarded {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut tape = self.tape.borrow_mut();
        if tape.cursor > tape.limit {
            return Err(io::Error::new(io::ErrorKind::FileTooLarge, "record too long"));
        }
        let count = if tape.cursor < tape.kept_end() {
            let given = tape.text(tape.cursor, tape.kept_end());
            let count = given.len().min(buf.len());
            buf[..count].copy_from_slice(&given[..count]);
            count
        } else {
            let count = self.inner.read(buf)?;
            tape.kept.extend_from_slice(&buf[..count]);
            count
        };
        tape.cursor += count as u64;
        Ok(count)
    }
}

/// The file, counting the bytes read from it.
struct Counted {
    file: File,
    count: Rc<Cell<u64>>,
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let count = self.file.read(buf)?;
        self.count.set(self.count.get() + count as u64);
        Ok(count)
    }
}

enum Detection {
    Binary,
    Io(io::Error),
}

/// BOM first; then NUL bytes (UTF-16 without BOM, or binary); then UTF-8 if every byte up to
/// the first stretch of non-ASCII text is valid UTF-8; else chardetng's guess.
fn detect_encoding(sample: &[u8], file: &mut File) -> std::result::Result<&'static Encoding, Detection> {
    if let Some((encoding, _)) = Encoding::for_bom(sample) {
        return Ok(encoding);
    }
    if sample.contains(&0) {
        let pairs = sample.len() / 2;
        let even_zeros = sample.iter().step_by(2).filter(|&&byte| byte == 0).count();
        let odd_zeros = sample.iter().skip(1).step_by(2).filter(|&&byte| byte == 0).count();
        return match (even_zeros * 3 > pairs, odd_zeros * 3 > pairs) {
            (false, true) if even_zeros == 0 => Ok(UTF_16LE),
            (true, false) if odd_zeros == 0 => Ok(UTF_16BE),
            _ => Err(Detection::Binary),
        };
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let mut utf8 = UTF_8.new_decoder_without_bom_handling();
    let mut scratch = String::with_capacity(SAMPLE_BYTES * 3);
    let mut valid_utf8 = true;
    let mut non_ascii_seen = 0;
    let mut chunk = sample.to_vec();
    // An all-ASCII start says nothing: read on until some accented or Chinese text appears.
    loop {
        let last = chunk.is_empty();
        if !chunk.is_ascii() {
            non_ascii_seen += chunk.len();
        }
        detector.feed(&chunk, last);
        scratch.clear();
        let (result, _) = utf8.decode_to_string_without_replacement(&chunk, &mut scratch, last);
        if matches!(result, encoding_rs::DecoderResult::Malformed(..)) {
            valid_utf8 = false;
        }
        if last || non_ascii_seen >= SAMPLE_BYTES || !valid_utf8 {
            break;
        }
        chunk.resize(SAMPLE_BYTES, 0);
        let count = file.read(&mut chunk).map_err(Detection::Io)?;
        chunk.truncate(count);
    }
    if valid_utf8 {
        return Ok(UTF_8);
    }
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    // GBK is decoded as GB18030, its superset, which Excel on Chinese Windows also writes.
    Ok(if guess == encoding_rs::GBK {
        GB18030
    } else if guess == UTF_8 {
        WINDOWS_1252
    } else {
        guess
    })
}

/// The sample as text, or None when it is not valid in `encoding`. A sample that stops
/// mid-file may end inside a character, which is not an error.
fn decode_sample(encoding: &'static Encoding, sample: &[u8], whole_file: bool) -> Option<String> {
    let mut decoder = encoding.new_decoder_with_bom_removal();
    let mut text = String::with_capacity(decoder.max_utf8_buffer_length(sample.len())?);
    let (result, read) = decoder.decode_to_string_without_replacement(sample, &mut text, whole_file);
    match result {
        encoding_rs::DecoderResult::InputEmpty => Some(text),
        encoding_rs::DecoderResult::Malformed(..) if !whole_file && sample.len() - read < 4 => Some(text),
        _ => None,
    }
}

/// Excel's `sep=X` first line.
fn sep_line(text: &str) -> (bool, Option<char>) {
    let first = text.lines().next().unwrap_or("").trim_start_matches('\u{feff}').trim();
    let mut chars = first.strip_prefix("sep=").unwrap_or("").chars();
    match (chars.next(), chars.next()) {
        (Some(ch), None) => (true, Some(ch)),
        _ => (false, None),
    }
}

/// The delimiter that splits the first lines into the most columns, the same number on most
/// lines.
fn sniff_delimiter(text: &str) -> u8 {
    // Whole lines only: the sample may stop mid-line.
    let text = match text.rfind('\n') {
        Some(end) if end + 1 < text.len() => &text[..=end],
        _ => text,
    };
    let mut best = (b',', 0_usize);
    for delimiter in DELIMITERS {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let widths: Vec<usize> =
            reader.records().take(50).filter_map(|record| record.ok()).map(|record| record.len()).collect();
        let Some(&header_width) = widths.first() else { continue };
        let consistent = widths.iter().filter(|&&width| width == header_width).count();
        // Columns that agree across lines; a lone header line still counts its columns.
        let score = if header_width > 1 { consistent * header_width } else { 0 };
        if score > best.1 {
            best = (delimiter, score);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("contacts.csv");
        std::fs::write(&path, bytes).expect("write");
        (dir, path)
    }

    fn rows(path: &Path) -> Vec<(u64, Vec<String>)> {
        let mut reader = Reader::open(path, None, None).expect("open");
        let mut rows = Vec::new();
        while let Some(record) = reader.next_record().expect("read") {
            match record {
                Record::Fields { line, fields, .. } => {
                    rows.push((line, fields.iter().map(str::to_string).collect()))
                }
                Record::Broken { line, problem } => rows.push((line, vec![format!("BROKEN: {problem}")])),
            }
        }
        rows
    }

    #[test]
    fn detects_delimiters_and_the_sep_line() {
        for (text, delimiter) in [
            ("Name,Email\nAnna,a@x.com\n", b','),
            ("Name;Email;Phone\r\nMüller, Jörg;j@x.de;+49 1512 3456789\r\n", b';'),
            ("Name\tEmail\nAnna\ta@x.com\n", b'\t'),
            ("Name|Email\nAnna|a@x.com\n", b'|'),
            ("sep=;\nName;Email\nAnna;a@x.com\n", b';'),
        ] {
            let (_dir, path) = write(text.as_bytes());
            let reader = Reader::open(&path, None, None).expect(text);
            assert_eq!(reader.format().delimiter, delimiter, "{text}");
            assert_eq!(reader.headers()[0], "Name");
        }
    }

    #[test]
    fn detects_encodings() {
        let mut utf16le = vec![0xFF, 0xFE];
        "Name\tCity\nZoë\tZürich\n".encode_utf16().for_each(|unit| utf16le.extend(unit.to_le_bytes()));
        let mut utf16be = vec![0xFE, 0xFF];
        "Name\tCity\nZoë\tZürich\n".encode_utf16().for_each(|unit| utf16be.extend(unit.to_be_bytes()));
        let (gbk, _, _) = GB18030.encode("姓名,公司\n王小明,周大福珠宝\n李秀英,华为技术有限公司\n");
        let (latin, _, _) = WINDOWS_1252.encode("Name;City\nZoë Müller;Zürich\nFrançois Lefèvre;Genève\n");
        for (bytes, name, city) in [
            (utf16le, "Zoë", "Zürich"),
            (utf16be, "Zoë", "Zürich"),
            (gbk.into_owned(), "王小明", "周大福珠宝"),
            (latin.into_owned(), "Zoë Müller", "Zürich"),
            ("\u{feff}Name,City\nZoë,Zürich\n".as_bytes().to_vec(), "Zoë", "Zürich"),
        ] {
            let (_dir, path) = write(&bytes);
            let found = rows(&path);
            assert_eq!(
                found[0].1,
                [name, city],
                "{:?}",
                Reader::open(&path, None, None).map(|r| r.format().encoding.name()).ok()
            );
        }
    }

    #[test]
    fn quoted_newlines_and_doubled_quotes_survive_and_broken_rows_are_isolated() {
        let text = "Name,Note\n\"Smith, Anna\",\"line one\nline \"\"two\"\"\"\nBob,\"never closed\nCarl,fine\nDora,ok,extra\nEve,\n";
        let (_dir, path) = write(text.as_bytes());
        let found = rows(&path);
        assert_eq!(found[0], (2, vec!["Smith, Anna".to_string(), "line one\nline \"two\"".to_string()]));
        assert_eq!(found[1].0, 4);
        assert!(found[1].1[0].starts_with("BROKEN: a quoted field is not closed"), "{found:?}");
        assert_eq!(found[2], (5, vec!["Carl".to_string(), "fine".to_string()]));
        assert_eq!(found[3].0, 6);
        assert!(found[3].1[0].contains("3 fields where the header has 2"), "{found:?}");
        assert_eq!(found[4], (7, vec!["Eve".to_string(), String::new()]));
    }

    /// What an editor shows: the same file saved with LF and with CRLF (as Excel saves) gives
    /// every record the same line, before and after a broken record, across quoted fields
    /// that span lines, a `sep=` line and blank lines.
    #[test]
    fn line_numbers_are_the_files_own_with_lf_and_crlf() {
        let lines = [
            "sep=,",
            "Name,Note",
            "",
            "Anna,first",
            "\"Smith, Bob\",\"two",
            "lines\"",
            "",
            "",
            "Finn,\"three",
            "",
            "lines\"",
            ",,",
            "Carl,\"never closed",
            "Dora,after the broken one",
            "",
            "Eve,ok,extra",
            "Gus,last",
        ];
        let expected = [
            (4, "Anna"),
            (5, "Smith, Bob"),
            (9, "Finn"),
            (13, "BROKEN: a quoted field is not closed"),
            (14, "Dora"),
            (16, "BROKEN: 3 fields where the header has 2"),
            (17, "Gus"),
        ];
        for ending in ["\n", "\r\n"] {
            let (_dir, path) = write(format!("{}{ending}", lines.join(ending)).as_bytes());
            let found: Vec<(u64, String)> = rows(&path)
                .into_iter()
                .map(|(line, fields)| (line, fields[0].split(" (").next().unwrap_or_default().to_string()))
                .collect();
            let expected: Vec<(u64, String)> =
                expected.iter().map(|&(line, first)| (line, first.to_string())).collect();
            assert_eq!(found, expected, "line ends {ending:?}");
        }
    }

    #[test]
    fn refuses_files_that_are_not_contact_tables() {
        let (_dir, empty) = write(b"");
        let (_dir2, binary) = write(&[0x89, b'P', b'N', b'G', 0, 0, 0, 13, 1, 2, 3, 0, 0, 0xFF, 0x00, 0x10]);
        let (_dir3, blank) = write(b"\n\n,,\n");
        for (path, expected) in [(&empty, "empty"), (&binary, "not a text file"), (&blank, "no header")] {
            let error = Reader::open(path, None, None).err().expect("refused");
            assert!(error.to_string().contains(expected), "{error}");
        }
        let (_dir4, latin) = write(&WINDOWS_1252.encode("Name\nZoë\n").0);
        let error = Reader::open(&latin, Some("utf-8"), None).err().expect("refused");
        assert!(error.to_string().contains("cannot be read as UTF-8"), "{error}");
    }
}
