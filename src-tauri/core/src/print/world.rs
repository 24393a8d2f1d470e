//! A typst world holding one template and its data, nothing else: the template is compiled
//! from memory, the data is the file `data.json` the template reads with `json(...)`, fonts are
//! [`super::fonts`], and any other file or package is "not found" (nothing is read from disk
//! or fetched). User text only ever reaches typst as JSON strings, never as markup, so a name
//! like `#set` or `]` prints as it is written.

use std::path::PathBuf;

use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use super::fonts::{Fonts, fonts};
use crate::error::{Error, Result};

/// The path the templates read their data from.
const DATA_FILE: &str = "/data.json";

struct PrintWorld {
    library: LazyHash<Library>,
    fonts: &'static Fonts,
    main: Source,
    data_id: FileId,
    data: Bytes,
}

fn project_file(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("a constant absolute path");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

impl World for PrintWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(not_found(id)) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if id == self.main.id() {
            Ok(Bytes::from_string(self.main.text().to_owned()))
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.faces.get(index).cloned()
    }

    /// Templates print the dates they are given; none asks typst for today.
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(PathBuf::from(id.vpath().get_with_slash()))
}

/// Lays out `template` with `data` and returns the PDF's bytes.
pub(crate) fn render_pdf(template: &'static str, data: &serde_json::Value) -> Result<Vec<u8>> {
    let data = serde_json::to_vec(data).map_err(|error| internal(error.to_string()))?;
    let world = PrintWorld {
        library: LazyHash::new(Library::default()),
        fonts: fonts()?,
        main: Source::new(project_file("/main.typ"), template.to_owned()),
        data_id: project_file(DATA_FILE),
        data: Bytes::new(data),
    };
    let document: PagedDocument =
        typst::compile(&world).output.map_err(|errors| internal(messages(&errors)))?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|errors| internal(messages(&errors)))
}

fn messages(errors: &[SourceDiagnostic]) -> String {
    errors.iter().map(|error| error.message.as_str()).collect::<Vec<_>>().join("; ")
}

/// A template that fails to lay out is Loupe's fault, never the dealer's data.
fn internal(message: String) -> Error {
    Error::Io { path: "print template".into(), source: std::io::Error::other(message) }
}
