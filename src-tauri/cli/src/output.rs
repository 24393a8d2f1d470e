//! How a command answers: lines for people or `--json` for scripts on stdout, and, for people
//! only, the progress of long jobs and waits on stderr.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressFinish, ProgressStyle};
use loupe_core::import::ImportProgress;
use loupe_core::model::JobProgress;

/// Prints a line of the command's answer. A reader that stops reading early (`loupe … | head`)
/// gets no more lines and no complaint, as with other Unix tools; the command still ends with
/// its own status (`loupe check` of a damaged book still fails).
macro_rules! say {
    ($($arg:tt)*) => { $crate::output::write_answer_line(format_args!($($arg)*)) };
}
pub(crate) use say;

/// Set once stdout's reader has gone.
static READER_GONE: AtomicBool = AtomicBool::new(false);

/// What `say!` expands to; public so that the macro works in every command's module.
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

/// The `--json` answer, pretty-printed as scripts have always received it.
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

/// A job counted in its own units: "backing up:  40% (1200/3000)".
const COUNTED: &str = "{prefix}: {percent:>3}% ({pos}/{len})";
/// A file read row by row, as far as its bytes go: "reading visitors.csv:  40% (6000 rows)".
const READING_ROWS: &str = "{prefix}: {percent:>3}% ({msg} rows)";

/// The progress of a long job on one line of stderr, for people. indicatif's stderr target
/// draws nothing when stderr is not a terminal, so scripts that read stderr see only errors.
#[derive(Default)]
pub struct Progress {
    /// Made at the first report, so that a job that reports nothing shows nothing.
    bar: Option<ProgressBar>,
}

impl Progress {
    /// `done` of `total` units of the job, or of its current stage, called `label`.
    pub fn show(&mut self, label: &str, done: u64, total: u64) {
        self.bar(COUNTED, label).update(|state| {
            state.set_len(total);
            state.set_pos(done);
        });
    }

    /// An import: how far through the file's bytes, and the rows read so far.
    pub fn rows(&mut self, label: &str, progress: ImportProgress) {
        let bar = self.bar(READING_ROWS, label);
        bar.set_message(progress.rows.to_string());
        bar.update(|state| {
            state.set_len(progress.file_size);
            state.set_pos(progress.bytes_read);
        });
    }

    /// For the core's jobs that report `JobProgress` (backup, restore, mailing list).
    pub fn job(&mut self, label: &'static str) -> impl FnMut(JobProgress) + '_ {
        move |progress| self.show(label, progress.done, progress.total)
    }

    /// Draws the last report and leaves it on screen, before the answer is printed.
    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.abandon();
        }
    }

    /// The bar for this report: made at the first report, and anew when the label changes (a
    /// new stage), so that no line ever shows one stage's name with another's numbers.
    fn bar(&mut self, template: &str, label: &str) -> &ProgressBar {
        if let Some(last_stage) = self.bar.take_if(|bar| bar.prefix() != label) {
            last_stage.finish_and_clear();
        }
        self.bar.get_or_insert_with(|| {
            // The templates are constants; should one not parse, a plain bar is better than a panic.
            let style =
                ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar());
            // A job that fails leaves its line as it stood, rather than shown at 100%.
            ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
                .with_style(style)
                .with_prefix(label.to_string())
                .with_finish(ProgressFinish::Abandon)
        })
    }
}
