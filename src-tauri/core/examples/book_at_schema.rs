//! Makes a book at an older schema, as an older Loupe left it: `book_at_schema PATH VERSION`.
//! The package test (`make test`) upgrades Loupe over such a book. Not the sqlite3 shell: the
//! migrations use SQL newer than the SQLite of Debian 12 (FTS5 secure-delete,
//! `group_concat(… ORDER BY …)`); this runs them on Loupe's own bundled SQLite.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path, version] = args.as_slice() else {
        eprintln!("usage: book_at_schema PATH VERSION");
        return ExitCode::from(2);
    };
    let Ok(version) = version.parse::<u32>() else {
        eprintln!("book_at_schema: VERSION is a number of migrations, not {version:?}");
        return ExitCode::from(2);
    };
    match loupe_core::create_book_at_schema(&PathBuf::from(path), version) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("book_at_schema: {error}");
            ExitCode::FAILURE
        }
    }
}
