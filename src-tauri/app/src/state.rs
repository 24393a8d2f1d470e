//! What the commands share: the book's session, the files the dealer chose, the running jobs;
//! and how a command runs on the book off the UI thread and fails towards the webview.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use loupe_core::session::Session;
use loupe_core::{Book, ErrorCode, ErrorPayload};
use serde::Serialize;
use tauri::ipc::Channel;

use crate::files::{FileRegistry, FileUse};

/// The state every command may ask for.
pub struct AppState {
    /// The book, opened once; one connection, since SQLite serialises writers anyway and a
    /// counter app issues one request at a time.
    pub session: Arc<Session>,
    /// The files and folders the dealer chose, and the backups listed: the webview names them
    /// by token only.
    pub files: FileRegistry,
    /// The cancel handles of the long jobs running now.
    pub jobs: JobRegistry,
}

/// `tauri::State` of the app's state, as every command takes it.
pub type State<'a> = tauri::State<'a, AppState>;

/// What a failed command returns to the webview: `{code, message, field, problem}`.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct CommandError(pub ErrorPayload);

impl From<loupe_core::Error> for CommandError {
    fn from(error: loupe_core::Error) -> Self {
        CommandError(error.to_payload())
    }
}

pub type CommandResult<T> = Result<T, CommandError>;

/// A failure of the shell itself (a background task that panicked), not of the book.
pub fn internal(message: String) -> CommandError {
    CommandError(ErrorPayload { code: ErrorCode::Storage, message, field: None, problem: None })
}

/// Runs `work` on the blocking pool, so the webview never waits on disk.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> CommandResult<T> + Send + 'static,
) -> CommandResult<T> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|error| internal(format!("background task failed: {error}")))?
}

/// Runs `work` on the blocking pool with the book, after any command already using it.
pub async fn with_book<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&mut Book) -> loupe_core::Result<T> + Send + 'static,
) -> CommandResult<T> {
    let session = Arc::clone(&state.session);
    blocking(move || session.with_book(work).map_err(CommandError::from)).await
}

/// Runs `read` on the blocking pool on a read-only connection of its own
/// (`Session::read_beside`): whole-book summaries that the list's rows and saves never wait for.
pub async fn with_reader<T: Send + 'static>(
    state: &AppState,
    read: impl FnOnce(&Book) -> loupe_core::Result<T> + Send + 'static,
) -> CommandResult<T> {
    let session = Arc::clone(&state.session);
    blocking(move || session.read_beside(read).map_err(CommandError::from)).await
}

/// The path behind a token the shell issued for `used_for`; anything else is refused.
pub fn chosen_path(state: &AppState, token: &str, used_for: FileUse) -> CommandResult<std::path::PathBuf> {
    state.files.resolve(token, used_for).map_err(CommandError)
}

/// The running long jobs (imports, exports, backups, restores), each known by the id of the
/// channel its progress goes over, so the window stops exactly the job it shows.
#[derive(Debug, Default)]
pub struct JobRegistry {
    running: Mutex<HashMap<u32, Arc<AtomicBool>>>,
}

impl JobRegistry {
    /// Asks the job whose progress goes over channel `job` to stop where it can (between rows);
    /// nothing when it has already finished.
    pub fn cancel(&self, job: u32) {
        if let Some(flag) = self.running.lock().unwrap_or_else(PoisonError::into_inner).get(&job) {
            flag.store(true, Ordering::Relaxed);
        }
    }

    fn start(&self, job: u32) -> Arc<AtomicBool> {
        let flag = Arc::new(AtomicBool::new(false));
        self.running.lock().unwrap_or_else(PoisonError::into_inner).insert(job, Arc::clone(&flag));
        flag
    }

    fn finish(&self, job: u32) {
        self.running.lock().unwrap_or_else(PoisonError::into_inner).remove(&job);
    }
}

/// How a long job's work is called: the book, its cancel flag, and where to report progress.
pub type JobWork<P, T> =
    dyn FnOnce(&mut Book, &AtomicBool, &mut dyn FnMut(P)) -> loupe_core::Result<T> + Send + 'static;

/// Runs a long job on the book with its progress sent over `progress` (the call's own channel)
/// and stopped by `cancel_job` with that channel's id, where the core can stop.
pub async fn run_job<P: Serialize + Clone + Send + 'static, T: Send + 'static>(
    state: &AppState,
    progress: Channel<P>,
    work: Box<JobWork<P, T>>,
) -> CommandResult<T> {
    run_job_with(state, progress, false, work).await
}

/// `run_job` for work that replaces what the book holds (restores, whole-book imports): the
/// session notes it, so the check that runs after opening does not condemn the new book.
pub async fn run_replacing_job<P: Serialize + Clone + Send + 'static, T: Send + 'static>(
    state: &AppState,
    progress: Channel<P>,
    work: Box<JobWork<P, T>>,
) -> CommandResult<T> {
    run_job_with(state, progress, true, work).await
}

async fn run_job_with<P: Serialize + Clone + Send + 'static, T: Send + 'static>(
    state: &AppState,
    progress: Channel<P>,
    replaces_book: bool,
    work: Box<JobWork<P, T>>,
) -> CommandResult<T> {
    let job = progress.id();
    let cancel = state.jobs.start(job);
    let session = Arc::clone(&state.session);
    let done = blocking(move || {
        let mut report = move |value: P| {
            // A lost progress message only delays the bar; the job goes on.
            let _ = progress.send(value);
        };
        let work = |book: &mut Book| work(book, &cancel, &mut report);
        let done = if replaces_book { session.replacing(work) } else { session.with_book(work) };
        done.map_err(CommandError::from)
    })
    .await;
    state.jobs.finish(job);
    done
}
