//! How a command answers: lines for people or `--json` for scripts on stdout, and, for people
//! only, the progress of long jobs and waits on stderr.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use loupe_core::import::ImportProgress;
use loupe_core::model::JobProgress;
use loupe_core::transfer::{TransferProgress, TransferStage};

/// Prints a line of the command's answer. A reader that stops reading early (`loupe … | head`)
/// gets no more lines and no complaint, as with other Unix tools; the command still ends with
/// its own status (`loupe check` of a damaged book still fails).
macro_rules! say {
    ($($arg:tt)*) => { $crate::output::write_answer_line(format_args!($($arg)*)) };
}
pub(crate) use say;

/// Set once stdout's reader has gone.
static READER_GONE: AtomicBool = AtomicBool::new(false);

pub fn write_answer_line(line: std::fmt::Arguments) {
    if READER_GONE.load(Ordering::Relaxed) {
        return;
    }
    if let Err(error) = writeln!(std::io::stdout().lock(), "{line}") {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            READER_GONE.store(true, Ordering::Relaxed);
            return;
        }
        eprintln!("loupe: cannot write the answer: {error}");
        std::process::exit(1);
    }
}

pub fn print_json(value: &impl serde::Serialize) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => say!("{text}"),
        Err(error) => eprintln!("loupe: cannot write JSON: {error}"),
    }
}

/// JSON of what was written, or one line saying so.
pub fn report(json: bool, value: &impl serde::Serialize, line: impl FnOnce() -> String) {
    if json {
        print_json(value);
    } else {
        say!("{}", line());
    }
}

/// Prints one line to stderr each time the book has been held by another job (the window,
/// another `loupe` command) for a second: the command waits for it rather than fail.
pub fn say_when_waiting() {
    let watch = || {
        let mut said = false;
        loop {
            std::thread::sleep(std::time::Duration::from_millis(250));
            match loupe_core::waiting_for_another_job() {
                Some(waited) if waited >= std::time::Duration::from_secs(1) && !said => {
                    eprintln!(
                        "\rloupe: waiting for another job on this book (the Loupe window or another loupe command)…\x1b[K"
                    );
                    said = true;
                }
                None => said = false,
                Some(_) => {}
            }
        }
    };
    // Without the watcher the command still waits, silently.
    let _ = std::thread::Builder::new().name("waiting".into()).spawn(watch);
}

/// The progress of a long job, rewritten in place on stderr when it is a terminal (so
/// scripts that read stderr see only errors).
pub struct ProgressLine {
    terminal: bool,
    /// The label and percentage on screen: the line is rewritten only when one changes.
    shown: Option<(String, u64)>,
}

pub fn progress_line() -> ProgressLine {
    ProgressLine { terminal: std::io::stderr().is_terminal(), shown: None }
}

impl ProgressLine {
    pub fn show(&mut self, label: &str, done: u64, total: u64) {
        self.write(label, done * 100 / total.max(1), || format!("{done}/{total}"));
    }

    /// An import: how far through the file, and the rows read so far.
    pub fn rows(&mut self, label: &str, progress: ImportProgress) {
        let percent = progress.bytes_read * 100 / progress.file_size.max(1);
        self.write(label, percent, || format!("{} rows", progress.rows));
    }

    fn write(&mut self, label: &str, percent: u64, detail: impl FnOnce() -> String) {
        let unchanged = self.shown.as_ref().is_some_and(|(shown, at)| shown == label && *at == percent);
        if !self.terminal || unchanged {
            return;
        }
        self.shown = Some((label.to_string(), percent));
        let _ = write!(std::io::stderr(), "\r{label}: {percent:>3}% ({})\x1b[K", detail());
    }

    pub fn transfer(&mut self, progress: TransferProgress) {
        let label = match progress.stage {
            TransferStage::BackingUp => "backing up the book first",
            TransferStage::Writing => "writing files",
            TransferStage::Verifying => "checking files",
            TransferStage::Loading => "reading rows",
            TransferStage::Merging => "merging customers",
            TransferStage::Indexing => "indexing for search",
        };
        self.show(label, progress.done, progress.total);
    }

    pub fn job(&mut self, label: &'static str) -> impl FnMut(JobProgress) + '_ {
        move |progress| self.show(label, progress.done, progress.total)
    }

    pub fn finish(&self) {
        if self.terminal && self.shown.is_some() {
            let _ = writeln!(std::io::stderr());
        }
    }
}
