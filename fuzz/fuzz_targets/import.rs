//! Any bytes as a contacts file: the reader, the header mapper, the value parsers and the
//! classification must refuse clearly or preview, never panic or hang.
#![no_main]

use std::sync::atomic::AtomicBool;
use std::sync::{Mutex, OnceLock};

use libfuzzer_sys::fuzz_target;
use loupe_core::import::ImportOptions;
use loupe_core::{Book, Error};

struct Bench {
    book: Book,
    dir: tempfile::TempDir,
}

fn bench() -> &'static Mutex<Bench> {
    static BENCH: OnceLock<Mutex<Bench>> = OnceLock::new();
    BENCH.get_or_init(|| {
        let mut book = Book::open_in_memory().expect("book");
        // Someone to match against, so merges and likely matches are exercised too.
        book.generate_demo(50, 50, 1, |_| {}).expect("demo");
        Mutex::new(Bench { book, dir: tempfile::tempdir().expect("dir") })
    })
}

fuzz_target!(|bytes: &[u8]| {
    let mut bench = bench().lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let path = bench.dir.path().join("input.csv");
    std::fs::write(&path, bytes).expect("write");
    match bench.book.preview_import(&path, &ImportOptions::default(), &AtomicBool::new(false), |_| {}) {
        Ok(preview) => {
            let counts = preview.counts;
            assert_eq!(
                counts.rows,
                counts.new + counts.merge + counts.duplicates_in_file + counts.likely_matches + counts.rejected
            );
        }
        Err(Error::ImportFile { .. }) => {}
        Err(other) => panic!("unclear refusal: {other:?}"),
    }
});
