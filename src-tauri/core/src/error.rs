//! One error type for the core. The UI receives it as `{code, message, field, problem}`,
//! switches on `code` and words `problem` in the dealer's language; the CLI prints `message`
//! and turns user errors into exit status 2.

use serde::Serialize;
use ts_rs::TS;

use crate::problem::Problem;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value the dealer typed is wrong; `field` names it ("emails[1].address").
    #[error("{field}: {problem}")]
    Invalid { field: String, problem: Problem },
    #[error("{what} {id} does not exist")]
    NotFound { what: &'static str, id: i64 },
    #[error(
        "the book at {path} was written by a newer version of Loupe (schema {found}, this version knows {known}); it was left untouched"
    )]
    NewerDatabase { path: String, found: u32, known: u32 },
    #[error("{path} is not a Loupe book{reason}")]
    NotABook { path: String, reason: &'static str },
    #[error("there is no book at {path}")]
    NoBook { path: String },
    #[error("cannot open the book at {path}: {source}")]
    Open { path: String, source: Box<Error> },
    #[error("file {path}: {source}")]
    Io { path: String, source: std::io::Error },
    /// A file to import cannot be read as a contacts table (or a book folder) at all; nothing
    /// was written.
    #[error("{file}: {problem}")]
    ImportFile { file: String, problem: Problem },
    /// The book or a backup fails SQLite's integrity check.
    #[error("{path} is damaged: {problem}")]
    Damaged { path: String, problem: String },
    /// A whole book was to be imported without merging into a book that already holds one.
    #[error(
        "the book is not empty (it holds {holds}); import into an empty book, or merge to add the folder's customers to these; nothing was written"
    )]
    BookNotEmpty { holds: String },
    /// The book was found damaged and closed; only recovering a backup opens it again.
    #[error("the book is damaged and not open: restore a backup first")]
    BookClosed,
    /// A recovery was asked of a book that is open and sound.
    #[error("the book is open and sound: restore backups from the Backups screen")]
    BookNotDamaged,
    /// The dealer cancelled a long job; nothing was written.
    #[error("cancelled; nothing was changed")]
    Cancelled,
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
}

impl Error {
    /// SQLite refused for now because another connection writes or wrote meanwhile.
    pub(crate) fn is_busy(&self) -> bool {
        matches!(self, Error::Sqlite(error) if error.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy))
    }

    /// `problem` is a [`Problem`], or an English sentence for problems the window shows as they are.
    pub fn invalid(field: impl Into<String>, problem: impl Into<Problem>) -> Self {
        Error::Invalid { field: field.into(), problem: problem.into() }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Invalid { .. } | Error::ImportFile { .. } | Error::BookNotDamaged => {
                ErrorCode::InvalidInput
            }
            Error::Cancelled => ErrorCode::Cancelled,
            Error::BookNotEmpty { .. } => ErrorCode::BookNotEmpty,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::NewerDatabase { .. } => ErrorCode::NewerDatabase,
            Error::NotABook { .. } | Error::NoBook { .. } => ErrorCode::NotABook,
            Error::Open { source, .. } => source.code(),
            Error::Io { .. } => ErrorCode::Io,
            Error::Damaged { .. } | Error::BookClosed => ErrorCode::Damaged,
            Error::Sqlite(_) | Error::Migration(_) => ErrorCode::Storage,
        }
    }

    /// Errors caused by what the user asked for, as opposed to the machine failing.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self.code(),
            ErrorCode::InvalidInput
                | ErrorCode::NotFound
                | ErrorCode::NewerDatabase
                | ErrorCode::NotABook
                | ErrorCode::Cancelled
                | ErrorCode::Damaged
                | ErrorCode::BookNotEmpty
        )
    }

    pub fn to_payload(&self) -> ErrorPayload {
        match self {
            Error::Invalid { field, problem } => ErrorPayload {
                code: self.code(),
                message: problem.to_string(),
                field: Some(field.clone()),
                problem: Some(problem.clone()),
            },
            // The window names the file itself and words the problem; one it has no words for
            // is shown as the message, file and all.
            Error::ImportFile { problem, .. } if !matches!(problem, Problem::Other { .. }) => ErrorPayload {
                code: self.code(),
                message: self.to_string(),
                field: None,
                problem: Some(problem.clone()),
            },
            other => {
                ErrorPayload { code: self.code(), message: other.to_string(), field: None, problem: None }
            }
        }
    }
}

/// Every code, in order, is listed for the window by `strum::VariantArray` (the shell renders
/// them into its TypeScript contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS, strum::VariantArray)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidInput,
    NotFound,
    NewerDatabase,
    NotABook,
    Io,
    Storage,
    Cancelled,
    Damaged,
    BookNotEmpty,
}

/// What the webview receives when a command fails.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ErrorPayload {
    pub code: ErrorCode,
    pub message: String,
    /// The profile field the message is about, for showing it next to that field.
    pub field: Option<String>,
    /// The message as data, for the window to word in the dealer's language.
    pub problem: Option<Problem>,
}
