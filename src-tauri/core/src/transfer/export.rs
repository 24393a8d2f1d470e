//! Writing the book into a folder: one CSV per table from one snapshot, then the manifest.
//! Everything goes into a hidden sibling folder first, renamed into place once complete, so an
//! interrupted export never leaves a folder that looks like a book.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::Connection;
use rusqlite::types::ValueRef;
use sha2::{Digest, Sha256};

use super::*;
use crate::private_files::{create_private_dir, create_private_file};
use crate::problem::Problem;
use crate::store::Book;

impl Book {
    /// Writes the whole book into `dir`, which must be new or empty: one CSV per table and
    /// `manifest.json`. The same book always gives the same bytes.
    pub fn export_book(
        &self,
        dir: &Path,
        cancel: &AtomicBool,
        mut progress: impl FnMut(TransferProgress),
    ) -> Result<BookExportSummary> {
        check_target(dir)?;
        let staging = StagingDir::create(dir)?;
        // One read transaction: every file shows the book at the same moment.
        let snapshot = self.conn.unchecked_transaction()?;
        let layouts = layouts(&snapshot)?;
        let mut total = 0_u64;
        for layout in &layouts {
            let rows: i64 =
                snapshot.query_row(&format!("SELECT count(*) FROM main.{}", layout.table), [], |row| {
                    row.get(0)
                })?;
            total += rows.unsigned_abs();
        }
        let mut done = 0_u64;
        let mut files = Vec::with_capacity(layouts.len());
        for layout in &layouts {
            let file = write_table(&snapshot, layout, &staging.path, cancel, &mut |rows| {
                progress(TransferProgress { stage: TransferStage::Writing, done: done + rows, total });
            })?;
            done += file.rows;
            files.push(file);
        }
        drop(snapshot);
        let manifest = BookManifest {
            format: BOOK_FORMAT.to_string(),
            format_version: BOOK_FORMAT_VERSION,
            schema_version: self.schema_version()?,
            conventions: CONVENTIONS.to_string(),
            files,
        };
        let manifest_path = staging.path.join(MANIFEST_FILE);
        let io = |source| Error::Io { path: manifest_path.display().to_string(), source };
        let mut json = serde_json::to_string_pretty(&manifest).map_err(|error| io(error.into()))?;
        json.push('\n');
        let mut file = create_private_file(&manifest_path).map_err(io)?;
        file.write_all(json.as_bytes()).map_err(io)?;
        file.sync_all().map_err(io)?;
        staging.finish(dir)?;
        progress(TransferProgress { stage: TransferStage::Writing, done: total, total });
        Ok(BookExportSummary { dir: dir.display().to_string(), manifest })
    }
}

/// Refuses a target that exists and holds anything: an export never mixes with other files.
fn check_target(dir: &Path) -> Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(_) if dir.exists() && !dir.is_dir() => {
            return Err(Error::invalid("dir", Problem::NotAFolder { path: dir.display().to_string() }));
        }
        Err(source) => return Err(Error::Io { path: dir.display().to_string(), source }),
    };
    if entries.count() > 0 {
        return Err(Error::invalid("dir", Problem::FolderNotEmpty { path: dir.display().to_string() }));
    }
    Ok(())
}

/// The hidden folder an export is written into, removed unless the export completes.
struct StagingDir {
    path: PathBuf,
    finished: bool,
}

impl StagingDir {
    fn create(dir: &Path) -> Result<StagingDir> {
        let name = dir
            .file_name()
            .ok_or_else(|| Error::invalid("dir", format!("{} does not name a folder", dir.display())))?;
        let parent = dir.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)
            .map_err(|source| Error::Io { path: parent.display().to_string(), source })?;
        let path = parent.join(format!(".{}.exporting-{}", name.to_string_lossy(), std::process::id()));
        // A leftover of an export this process started and lost.
        let _ = std::fs::remove_dir_all(&path);
        // Private, as the files in it: renamed, it is the export folder.
        create_private_dir(&path).map_err(|source| Error::Io { path: path.display().to_string(), source })?;
        Ok(StagingDir { path, finished: false })
    }

    fn finish(mut self, dir: &Path) -> Result<()> {
        if dir.exists() {
            // Checked empty before the export began.
            std::fs::remove_dir(dir)
                .map_err(|source| Error::Io { path: dir.display().to_string(), source })?;
        }
        std::fs::rename(&self.path, dir)
            .map_err(|source| Error::Io { path: dir.display().to_string(), source })?;
        self.finished = true;
        if let Some(parent) = dir.parent().filter(|parent| !parent.as_os_str().is_empty()) {
            // Makes the rename itself durable; not every system can open a folder for it.
            let _ = File::open(parent).and_then(|folder| folder.sync_all());
        }
        Ok(())
    }
}

impl Drop for StagingDir {
    fn drop(&mut self) {
        if !self.finished {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Passes bytes through while counting and hashing them, for the manifest.
struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.hasher.update(&buf[..written]);
        self.bytes += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn write_table(
    conn: &Connection,
    layout: &TableLayout,
    folder: &Path,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(u64),
) -> Result<ManifestFile> {
    // Checked per file too, so that even a small book stops at once.
    if cancel.load(Ordering::Relaxed) {
        return Err(Error::Cancelled);
    }
    let name = layout.file_name();
    let path = folder.join(&name);
    let io = |source: std::io::Error| Error::Io { path: path.display().to_string(), source };
    let csv_io = |error: csv::Error| io(error.into());
    let file = create_private_file(&path).map_err(io)?;
    let hashing =
        HashingWriter { inner: BufWriter::with_capacity(1 << 16, file), hasher: Sha256::new(), bytes: 0 };
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(hashing);
    let names: Vec<&str> = layout.columns.iter().map(|column| column.name.as_str()).collect();
    writer.write_record(&names).map_err(csv_io)?;
    // Only the fixed names of FILE_SETTINGS are formatted in, as SQL string literals.
    let filter = if layout.table == "settings" {
        let names: Vec<String> = FILE_SETTINGS.iter().map(|key| format!("'{key}'")).collect();
        format!(" WHERE key NOT IN ({})", names.join(", "))
    } else {
        String::new()
    };
    let sql = format!(
        "SELECT {} FROM main.{}{filter} ORDER BY {}",
        names.join(", "),
        layout.table,
        layout.key.join(", ")
    );
    let mut statement = conn.prepare(&sql)?;
    let mut rows = statement.query([])?;
    let mut record = csv::ByteRecord::new();
    let mut number = String::new();
    let mut count = 0_u64;
    while let Some(row) = rows.next()? {
        record.clear();
        for (index, column) in layout.columns.iter().enumerate() {
            let unexportable = |what: &str| {
                Error::invalid(
                    format!("{}.{}", layout.table, column.name),
                    format!("row {} holds {what}, which a book folder cannot carry", count + 1),
                )
            };
            match row.get_ref(index)? {
                ValueRef::Null => record.push_field(b""),
                ValueRef::Integer(value) => {
                    number.clear();
                    let _ = write!(number, "{value}");
                    record.push_field(number.as_bytes());
                }
                ValueRef::Text(text) => {
                    if text.is_empty() && column.nullable {
                        return Err(unexportable("empty text in a column where an empty cell means NULL"));
                    }
                    if std::str::from_utf8(text).is_err() {
                        return Err(unexportable("text that is not UTF-8"));
                    }
                    record.push_field(text);
                }
                ValueRef::Real(_) | ValueRef::Blob(_) => return Err(unexportable("a number or blob")),
            }
        }
        writer.write_byte_record(&record).map_err(csv_io)?;
        count += 1;
        if count.is_multiple_of(PROGRESS_EVERY) {
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
            progress(count);
        }
    }
    let hashing = writer.into_inner().map_err(|error| io(error.into_error()))?;
    let HashingWriter { inner, hasher, bytes } = hashing;
    let file = inner.into_inner().map_err(|error| io(error.into_error()))?;
    file.sync_all().map_err(io)?;
    Ok(ManifestFile {
        name,
        table: layout.table.to_string(),
        rows: count,
        bytes,
        sha256: hex(&hasher.finalize()),
        columns: names.iter().map(|name| name.to_string()).collect(),
        nullable: layout
            .columns
            .iter()
            .filter(|column| column.nullable)
            .map(|column| column.name.clone())
            .collect(),
    })
}
