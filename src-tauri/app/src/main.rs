//! The Loupe window: a Tauri shell whose commands are one-line adapters over `loupe_core`.
//! No business logic lives here; long work runs off the UI thread.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

#[cfg(feature = "e2e-hooks")]
mod e2e_hooks;
mod files;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use loupe_core::backup::{
    self, BackupContents, BackupFailure, BackupInfo, BackupKind, DamagedBook, RecoverySummary, RestoreSummary,
};
use loupe_core::erasure::ErasureSummary;
use loupe_core::import::{
    ColumnMapping, ImportBatch, ImportOptions, ImportPreview, ImportProgress, ImportSummary,
    RejectedRowsWording, UndoSummary,
};
use tauri::{Emitter, Manager};
use tauri_plugin_dialog::DialogExt;

use loupe_core::offsite::{self, OffsiteStatus};
use loupe_core::transfer::{
    self, BookExportSummary, BookImportOptions, BookImportSummary, BookManifest, TransferProgress,
};

use loupe_core::model::{
    BookInfo, BookSettings, BookStats, Customer, CustomerDraft, CustomerRow, CustomerStory, EntryDraft,
    EntryKind, JobProgress, ListPage, ListQuery, MailingExport, MailingFileOptions, MailingFilter,
    MailingPreview, OpenWish, TagCount,
};
use loupe_core::{Book, ErrorCode, ErrorPayload};

use files::{FileRegistry, FileToken, FileUse};
use serde_json::{Map, Value};

/// The book, shared by the commands. One connection: SQLite serialises writers anyway,
/// and a counter app issues one request at a time. `None` while the book is damaged and the
/// window shows the recovery screen: every command on the book then answers `damaged`.
struct AppState {
    book: Arc<Mutex<Option<Book>>>,
    /// Where the book lives (its backups are in `backups/` beside it).
    path: PathBuf,
    /// What opening found wrong, until a backup replaces the book.
    damaged: Mutex<Option<DamagedBook>>,
    /// Set by `cancel_import` / `cancel_job`; read by the running job between rows. Outside the
    /// book's lock, which the job holds.
    cancel: Arc<AtomicBool>,
    /// The day's backup, made in the background on a second connection.
    daily: Arc<Mutex<DailyBackup>>,
    /// Counts the times a restore or a whole-book import replaced what the book holds, so the
    /// check that runs after opening knows whether what it read is still the book.
    replaced: Arc<AtomicU64>,
    /// The files and folders the dealer chose, and the backups listed: the webview names them
    /// by token only.
    files: FileRegistry,
}

/// How the day's backup went, for the backups screen.
#[derive(Debug, Clone, Default, serde::Serialize)]
struct DailyBackup {
    running: bool,
    error: Option<BackupFailure>,
}

/// The backups screen: where the backups are, which there are (each as `listed_backup` gives
/// it), and the day's backup.
#[derive(Debug, serde::Serialize)]
struct BackupOverview {
    folder: String,
    backups: Vec<Value>,
    daily_running: bool,
    /// Why the day's backup failed, when it did (also sent as `backup-failed`).
    daily_error: Option<BackupFailure>,
}

/// Locks ignoring poison: a panic in an earlier command rolled its transaction back when
/// dropped, so what the lock guards is consistent and the app carries on.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// What a failed command returns to the webview: `{code, message, field}`.
#[derive(Debug, serde::Serialize)]
#[serde(transparent)]
struct CommandError(ErrorPayload);

impl From<loupe_core::Error> for CommandError {
    fn from(error: loupe_core::Error) -> Self {
        CommandError(error.to_payload())
    }
}

fn internal(message: String) -> CommandError {
    CommandError(ErrorPayload { code: ErrorCode::Storage, message, field: None, problem: None })
}

/// Every command on the book while it is damaged and not yet replaced by a backup.
fn not_open() -> CommandError {
    CommandError(ErrorPayload {
        code: ErrorCode::Damaged,
        message: "the book is damaged and not open: restore a backup first".into(),
        field: None,
        problem: None,
    })
}

type CommandResult<T> = Result<T, CommandError>;

/// Runs `work` on the blocking pool with the book locked, so the webview never waits on disk.
async fn with_book<T: Send + 'static>(
    state: tauri::State<'_, AppState>,
    work: impl FnOnce(&mut Book) -> loupe_core::Result<T> + Send + 'static,
) -> CommandResult<T> {
    let book = Arc::clone(&state.book);
    tauri::async_runtime::spawn_blocking(move || {
        let mut book = lock(&book);
        let book = book.as_mut().ok_or_else(not_open)?;
        work(book).map_err(CommandError::from)
    })
    .await
    .map_err(|error| internal(format!("background task failed: {error}")))?
}

#[tauri::command]
async fn book_info(state: tauri::State<'_, AppState>) -> CommandResult<BookInfo> {
    with_book(state, |book| book.info()).await
}

#[tauri::command]
async fn book_stats(state: tauri::State<'_, AppState>) -> CommandResult<BookStats> {
    with_book(state, |book| book.stats()).await
}

#[tauri::command]
async fn get_settings(state: tauri::State<'_, AppState>) -> CommandResult<BookSettings> {
    with_book(state, |book| book.settings()).await
}

#[tauri::command]
async fn update_settings(
    state: tauri::State<'_, AppState>,
    settings: BookSettings,
) -> CommandResult<BookSettings> {
    with_book(state, move |book| book.update_settings(&settings)).await
}

#[tauri::command]
async fn list_customers(state: tauri::State<'_, AppState>, query: ListQuery) -> CommandResult<ListPage> {
    with_book(state, move |book| book.list_customers(&query)).await
}

#[tauri::command]
async fn search_customers(
    state: tauri::State<'_, AppState>,
    text: String,
    limit: usize,
) -> CommandResult<Vec<CustomerRow>> {
    with_book(state, move |book| book.search_customers(&text, limit)).await
}

#[tauri::command]
async fn get_customer(state: tauri::State<'_, AppState>, id: i64) -> CommandResult<Customer> {
    with_book(state, move |book| book.customer(id)).await
}

#[tauri::command]
async fn create_customer(state: tauri::State<'_, AppState>, draft: CustomerDraft) -> CommandResult<Customer> {
    with_book(state, move |book| book.create_customer(draft)).await
}

#[tauri::command]
async fn update_customer(
    state: tauri::State<'_, AppState>,
    id: i64,
    draft: CustomerDraft,
) -> CommandResult<Customer> {
    with_book(state, move |book| book.update_customer(id, draft)).await
}

#[tauri::command]
async fn delete_customer(state: tauri::State<'_, AppState>, id: i64) -> CommandResult<()> {
    with_book(state, move |book| book.delete_customer(id)).await
}

#[tauri::command]
async fn list_tags(state: tauri::State<'_, AppState>) -> CommandResult<Vec<TagCount>> {
    with_book(state, |book| book.tags()).await
}

/// The customer page: profile, totals and every timeline entry.
#[tauri::command]
async fn get_customer_story(state: tauri::State<'_, AppState>, id: i64) -> CommandResult<CustomerStory> {
    with_book(state, move |book| book.customer_story(id)).await
}

/// Adds a purchase, note, interaction, wish or score; returns the refreshed page.
#[tauri::command]
async fn add_entry(
    state: tauri::State<'_, AppState>,
    customer_id: i64,
    entry: EntryDraft,
) -> CommandResult<CustomerStory> {
    with_book(state, move |book| {
        book.add_story_entry(customer_id, entry)?;
        book.customer_story(customer_id)
    })
    .await
}

#[tauri::command]
async fn update_entry(
    state: tauri::State<'_, AppState>,
    id: i64,
    entry: EntryDraft,
) -> CommandResult<CustomerStory> {
    with_book(state, move |book| {
        let customer_id = book.update_story_entry(id, entry)?;
        book.customer_story(customer_id)
    })
    .await
}

#[tauri::command]
async fn delete_entry(
    state: tauri::State<'_, AppState>,
    kind: EntryKind,
    id: i64,
) -> CommandResult<CustomerStory> {
    with_book(state, move |book| {
        let customer_id = book.delete_story_entry(kind, id)?;
        book.customer_story(customer_id)
    })
    .await
}

#[tauri::command]
async fn open_wishes(
    state: tauri::State<'_, AppState>,
    filter: String,
    limit: u32,
) -> CommandResult<Vec<OpenWish>> {
    with_book(state, move |book| book.open_wishes(&filter, limit)).await
}

/// The file to import, chosen in the system's dialog. The dialog's title and filter come in
/// the window's language.
#[tauri::command]
async fn choose_import_file(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    title: String,
    filter: String,
) -> CommandResult<Option<FileToken>> {
    choose_file(app, &state, Dialog::ImportFile, title, filter, &["csv", "txt", "tsv", "tab"]).await
}

/// The native dialogs, each choosing a path for one use.
#[derive(Debug, Clone, Copy)]
enum Dialog {
    ImportFile,
    RejectedRowsFile,
    MailingListFile,
    RestoreFile,
    BookExportFolder,
    BookImportFolder,
    /// "Back up to…": remembered by the shell itself, never handed to the webview.
    OffsiteFolder,
}

impl Dialog {
    fn used_for(self) -> FileUse {
        match self {
            Dialog::ImportFile | Dialog::RestoreFile => FileUse::Open,
            Dialog::RejectedRowsFile | Dialog::MailingListFile => FileUse::Save,
            Dialog::BookExportFolder | Dialog::OffsiteFolder => FileUse::SaveFolder,
            Dialog::BookImportFolder => FileUse::OpenFolder,
        }
    }
}

/// What the dealer chose in `dialog` (None when they closed it), kept by the shell: the webview
/// gets its token. In a test build a `LOUPE_*` variable may answer instead (`e2e_hooks`).
async fn ask_dialog(
    state: &AppState,
    dialog: Dialog,
    show: impl FnOnce() -> Option<tauri_plugin_dialog::FilePath> + Send + 'static,
) -> CommandResult<Option<FileToken>> {
    let chosen = dialog_path(dialog, show).await?;
    chosen.map(|path| state.files.issue(path, dialog.used_for()).map_err(CommandError)).transpose()
}

/// The path chosen in `dialog`, for the shell's own use (None when the dealer closed it). In
/// a test build a `LOUPE_*` variable may answer instead (`e2e_hooks`).
async fn dialog_path(
    dialog: Dialog,
    show: impl FnOnce() -> Option<tauri_plugin_dialog::FilePath> + Send + 'static,
) -> CommandResult<Option<PathBuf>> {
    #[cfg(feature = "e2e-hooks")]
    let answered = e2e_hooks::dialog_answer(dialog);
    #[cfg(not(feature = "e2e-hooks"))]
    let answered = {
        let _ = dialog;
        None
    };
    Ok(match answered {
        Some(path) => Some(path),
        None => tauri::async_runtime::spawn_blocking(show)
            .await
            .map_err(|error| internal(format!("the dialog failed: {error}")))?
            .and_then(|path| path.into_path().ok()),
    })
}

/// A file to open, chosen in the system's dialog.
async fn choose_file(
    app: tauri::AppHandle,
    state: &AppState,
    dialog: Dialog,
    title: String,
    filter: String,
    extensions: &'static [&'static str],
) -> CommandResult<Option<FileToken>> {
    ask_dialog(state, dialog, move || {
        app.dialog().file().set_title(title).add_filter(filter, extensions).blocking_pick_file()
    })
    .await
}

/// The path behind a token the shell issued for `used_for`; anything else is refused.
fn chosen_path(state: &AppState, token: &str, used_for: FileUse) -> CommandResult<PathBuf> {
    state.files.resolve(token, used_for).map_err(CommandError)
}

/// A core value that names a file, as the webview gets it: its fields, `path_field` left out.
fn without_path(value: &impl serde::Serialize, path_field: &str) -> CommandResult<Map<String, Value>> {
    match serde_json::to_value(value) {
        Ok(Value::Object(mut fields)) => {
            fields.remove(path_field);
            Ok(fields)
        }
        Ok(_) => Err(internal(format!("expected an object with a {path_field} to send to the window"))),
        Err(error) => Err(internal(format!("could not send to the window: {error}"))),
    }
}

/// A backup of the book as the window lists it: the core's `BackupInfo` with a token (for
/// inspecting and restoring it) in place of its path.
fn listed_backup(files: &FileRegistry, info: &BackupInfo) -> CommandResult<Value> {
    let token = files.issue(PathBuf::from(&info.path), FileUse::Open).map_err(CommandError)?;
    let mut fields = without_path(info, "path")?;
    fields.insert("token".into(), Value::String(token.token));
    Ok(Value::Object(fields))
}

/// What a backup holds, for the window: no path (it already has the backup's token).
fn backup_contents(contents: &BackupContents) -> CommandResult<Value> {
    without_path(contents, "path").map(Value::Object)
}

/// A damaged book for the recovery screen: its newest good backup listed with a token.
fn damaged_for_window(files: &FileRegistry, damaged: &DamagedBook) -> CommandResult<Value> {
    let mut fields = without_path(damaged, "newest_good_backup")?;
    let backup = damaged.newest_good_backup.as_ref().map(|info| listed_backup(files, info)).transpose()?;
    fields.insert("newest_good_backup".into(), backup.unwrap_or(Value::Null));
    let contents = damaged.backup_contents.as_ref().map(backup_contents).transpose()?;
    fields.insert("backup_contents".into(), contents.unwrap_or(Value::Null));
    Ok(Value::Object(fields))
}

/// Runs a long job on the book with its progress sent to the window as `event` events and
/// cancellation through `cancel_import` / `cancel_job` (where the core can stop).
async fn with_progress<P: serde::Serialize + Clone, T: Send + 'static>(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    event: &'static str,
    work: impl FnOnce(&mut Book, &AtomicBool, &mut dyn FnMut(P)) -> loupe_core::Result<T> + Send + 'static,
) -> CommandResult<T> {
    let cancel = Arc::clone(&state.cancel);
    cancel.store(false, Ordering::Relaxed);
    with_book(state, move |book| {
        let mut progress = |progress: P| {
            // A lost progress event only delays the bar; the job goes on.
            let _ = app.emit(event, progress);
        };
        work(book, &cancel, &mut progress)
    })
    .await
}

#[tauri::command]
async fn preview_import(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    file: String,
    options: ImportOptions,
) -> CommandResult<ImportPreview> {
    let path = chosen_path(&state, &file, FileUse::Open)?;
    with_progress::<ImportProgress, _>(app, state, "import-progress", move |book, cancel, progress| {
        book.preview_import(&path, &options, cancel, progress)
    })
    .await
}

#[tauri::command]
async fn commit_import(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    file: String,
    options: ImportOptions,
) -> CommandResult<ImportSummary> {
    let path = chosen_path(&state, &file, FileUse::Open)?;
    with_progress::<ImportProgress, _>(app, state, "import-progress", move |book, cancel, progress| {
        book.commit_import(&path, &options, cancel, progress)
    })
    .await
}

#[tauri::command]
fn cancel_import(state: tauri::State<'_, AppState>) {
    state.cancel.store(true, Ordering::Relaxed);
}

#[tauri::command]
async fn undo_import(state: tauri::State<'_, AppState>, batch_id: i64) -> CommandResult<UndoSummary> {
    with_book(state, move |book| book.undo_import(batch_id)).await
}

#[tauri::command]
async fn import_batches(state: tauri::State<'_, AppState>) -> CommandResult<Vec<ImportBatch>> {
    with_book(state, |book| book.import_batches()).await
}

#[tauri::command]
async fn save_import_mapping(
    state: tauri::State<'_, AppState>,
    mapping: Vec<ColumnMapping>,
) -> CommandResult<()> {
    with_book(state, move |book| book.save_import_mapping(&mapping)).await
}

/// Saves the rejected rows of the imported `file` where the dealer chooses, in the window's
/// words and laid out for a spreadsheet; returns where (to show), or None when the dealer
/// cancelled the dialog (titled `title`).
#[tauri::command]
async fn save_rejected_rows(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    file: String,
    options: ImportOptions,
    wording: RejectedRowsWording,
    title: String,
) -> CommandResult<Option<String>> {
    let path = chosen_path(&state, &file, FileUse::Open)?;
    let suggested = path
        .file_stem()
        .map(|stem| format!("{}-rejected.csv", stem.to_string_lossy()))
        .unwrap_or_else(|| "rejected.csv".into());
    let Some(chosen) = choose_save_file(app, &state, Dialog::RejectedRowsFile, title, suggested).await?
    else {
        return Ok(None);
    };
    let out = chosen_path(&state, &chosen.token, FileUse::Save)?;
    with_book(state, move |book| {
        book.write_rejected_rows(&path, &options, &wording, true, &out)?;
        Ok(Some(chosen.name))
    })
    .await
}

#[tauri::command]
fn cancel_job(state: tauri::State<'_, AppState>) {
    state.cancel.store(true, Ordering::Relaxed);
}

/// Who a mailing list would reach and who it leaves out, before anything is written.
#[tauri::command]
async fn preview_mailing_list(
    state: tauri::State<'_, AppState>,
    filter: MailingFilter,
) -> CommandResult<MailingPreview> {
    with_book(state, move |book| book.preview_mailing_list(&filter)).await
}

/// Where to write a mailing list, chosen in the system's save dialog.
#[tauri::command]
async fn choose_export_file(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    suggested: String,
    title: String,
) -> CommandResult<Option<FileToken>> {
    choose_save_file(app, &state, Dialog::MailingListFile, title, suggested).await
}

/// A CSV file to write, chosen in the system's save dialog.
async fn choose_save_file(
    app: tauri::AppHandle,
    state: &AppState,
    dialog: Dialog,
    title: String,
    suggested: String,
) -> CommandResult<Option<FileToken>> {
    ask_dialog(state, dialog, move || {
        app.dialog()
            .file()
            .set_title(title)
            .set_file_name(suggested)
            .add_filter("CSV", &["csv"])
            .blocking_save_file()
    })
    .await
}

#[tauri::command]
async fn export_mailing_list(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    filter: MailingFilter,
    options: MailingFileOptions,
    file: String,
) -> CommandResult<MailingExport> {
    let path = chosen_path(&state, &file, FileUse::Save)?;
    let shown = state.files.issue(path.clone(), FileUse::Save).map_err(CommandError)?.name;
    let written =
        with_progress::<JobProgress, _>(app, state, "job-progress", move |book, cancel, progress| {
            book.export_mailing_list(&filter, &options, &path, cancel, progress)
        })
        .await?;
    Ok(MailingExport { file: shown, ..written })
}

/// Erases a customer and everything about them (the right to be forgotten).
#[tauri::command]
async fn erase_customer(state: tauri::State<'_, AppState>, id: i64) -> CommandResult<ErasureSummary> {
    with_book(state, move |book| book.erase_customer(id)).await
}

/// How many backups (damaged copies included) still hold a customer: the erase dialog says it
/// before the dealer confirms.
#[tauri::command]
async fn backups_holding_customer(state: tauri::State<'_, AppState>, id: i64) -> CommandResult<u32> {
    with_book(state, move |book| book.backups_holding_customer(id)).await
}

/// The backups beside the book, newest first, and how the day's backup went. Reads the folder
/// only, so it answers while a backup runs and on a damaged book too.
#[tauri::command]
async fn backup_overview(state: tauri::State<'_, AppState>) -> CommandResult<BackupOverview> {
    let path = state.path.clone();
    let daily = lock(&state.daily).clone();
    let backups = tauri::async_runtime::spawn_blocking(move || backup::list_backups(&path))
        .await
        .map_err(|error| internal(format!("background task failed: {error}")))??;
    Ok(BackupOverview {
        folder: backup::backup_folder(&state.path).display().to_string(),
        backups: backups
            .iter()
            .map(|info| listed_backup(&state.files, info))
            .collect::<CommandResult<_>>()?,
        daily_running: daily.running,
        daily_error: daily.error,
    })
}

#[tauri::command]
async fn back_up_now(app: tauri::AppHandle, state: tauri::State<'_, AppState>) -> CommandResult<Value> {
    let made =
        with_progress::<JobProgress, _>(app, state.clone(), "job-progress", |book, _cancel, progress| {
            book.back_up(BackupKind::Manual, progress)
        })
        .await?;
    listed_backup(&state.files, &made)
}

/// What a backup file (a listed backup's token, or one chosen to restore) holds, read without
/// changing it (nor needing the book).
#[tauri::command]
async fn inspect_backup(state: tauri::State<'_, AppState>, file: String) -> CommandResult<Value> {
    let path = chosen_path(&state, &file, FileUse::Open)?;
    let contents = tauri::async_runtime::spawn_blocking(move || backup::inspect_backup(&path))
        .await
        .map_err(|error| internal(format!("background task failed: {error}")))??;
    backup_contents(&contents)
}

/// "Back up to…": the folder chosen on this laptop, whether it can be reached now, the copies
/// there and whether to remind the dealer. Reads files only, so it answers while a job runs.
#[tauri::command]
async fn offsite_status(state: tauri::State<'_, AppState>) -> CommandResult<OffsiteStatus> {
    let path = state.path.clone();
    let book = Arc::clone(&state.book);
    tauri::async_runtime::spawn_blocking(move || {
        // The reminder's days are a book setting; a book busy with a long job answers later.
        let settings = lock(&book).as_ref().map(Book::settings).transpose()?.unwrap_or_default();
        offsite::status(&path, &settings).map_err(CommandError::from)
    })
    .await
    .map_err(|error| internal(format!("background task failed: {error}")))?
}

/// Opens the system's folder dialog for "Back up to…" (`LOUPE_OFFSITE_DIR` answers in tests)
/// and remembers the folder chosen, once checked. The path stays in the shell: the window only
/// sees the folder's name in the status. `None` when the dealer closed the dialog.
#[tauri::command]
async fn choose_offsite_folder(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    title: String,
) -> CommandResult<Option<OffsiteStatus>> {
    let dialog = app.clone();
    let chosen = dialog_path(Dialog::OffsiteFolder, move || {
        dialog.dialog().file().set_title(title).blocking_pick_folder()
    })
    .await?;
    let Some(folder) = chosen else { return Ok(None) };
    let path = state.path.clone();
    tauri::async_runtime::spawn_blocking(move || offsite::choose_folder(&path, &folder))
        .await
        .map_err(|error| internal(format!("background task failed: {error}")))??;
    offsite_status(state).await.map(Some)
}

/// Writes a copy of the book to the folder chosen for "Back up to…".
#[tauri::command]
async fn back_up_offsite(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
) -> CommandResult<BackupInfo> {
    with_progress::<JobProgress, _>(app, state, "job-progress", |book, _cancel, progress| {
        book.back_up_offsite(progress)
    })
    .await
}

/// What a copy in the chosen folder holds, named by its file name as `offsite_status` listed it.
#[tauri::command]
async fn inspect_offsite_backup(
    state: tauri::State<'_, AppState>,
    file_name: String,
) -> CommandResult<Value> {
    let path = state.path.clone();
    let contents = tauri::async_runtime::spawn_blocking(move || {
        let copy = offsite::backup_path(&path, &file_name)?;
        backup::inspect_backup(&copy).map_err(CommandError::from)
    })
    .await
    .map_err(|error| internal(format!("background task failed: {error}")))??;
    backup_contents(&contents)
}

/// Replaces the book with a copy in the chosen folder, as `restore_backup` does.
#[tauri::command]
async fn restore_offsite_backup(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    file_name: String,
) -> CommandResult<Value> {
    let replaced = Arc::clone(&state.replaced);
    let summary = with_progress::<JobProgress, _>(
        app,
        state.clone(),
        "job-progress",
        move |book, _cancel, progress| {
            let copy = offsite::backup_path(book.path(), &file_name)?;
            let summary = book.restore_backup(&copy, progress)?;
            replaced.fetch_add(1, Ordering::SeqCst);
            Ok(summary)
        },
    )
    .await?;
    restore_outcome(&state, &summary)
}

/// A backup file chosen in the system's dialog, its title and filter in the window's language.
#[tauri::command]
async fn choose_restore_file(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    title: String,
    filter: String,
) -> CommandResult<Option<FileToken>> {
    choose_file(app, &state, Dialog::RestoreFile, title, filter, &["sqlite3", "sqlite", "db"]).await
}

/// Replaces the book with a backup (a listed backup's token, or a file chosen to restore); the
/// current book is first kept as a backup itself.
#[tauri::command]
async fn restore_backup(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    file: String,
) -> CommandResult<Value> {
    let path = chosen_path(&state, &file, FileUse::Open)?;
    let replaced = Arc::clone(&state.replaced);
    let summary = with_progress::<JobProgress, _>(
        app,
        state.clone(),
        "job-progress",
        move |book, _cancel, progress| {
            let summary = book.restore_backup(&path, progress)?;
            replaced.fetch_add(1, Ordering::SeqCst);
            Ok(summary)
        },
    )
    .await?;
    restore_outcome(&state, &summary)
}

/// A restore's summary as the webview gets it: the safety backup listed with a token, the
/// restored file's contents without its path.
fn restore_outcome(state: &AppState, summary: &RestoreSummary) -> CommandResult<Value> {
    let mut fields = without_path(summary, "safety_backup")?;
    fields.insert("safety_backup".into(), listed_backup(&state.files, &summary.safety_backup)?);
    fields.insert("restored".into(), backup_contents(&summary.restored)?);
    Ok(Value::Object(fields))
}

/// A folder chosen in the system's folder dialog.
async fn choose_folder(
    app: tauri::AppHandle,
    state: &AppState,
    dialog: Dialog,
    title: String,
) -> CommandResult<Option<FileToken>> {
    ask_dialog(state, dialog, move || app.dialog().file().set_title(title).blocking_pick_folder()).await
}

/// Where to export the whole book; the dialog's title in the window's language.
#[tauri::command]
async fn choose_book_export_dir(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    title: String,
) -> CommandResult<Option<FileToken>> {
    choose_folder(app, &state, Dialog::BookExportFolder, title).await
}

/// A book folder to import.
#[tauri::command]
async fn choose_book_import_dir(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    title: String,
) -> CommandResult<Option<FileToken>> {
    choose_folder(app, &state, Dialog::BookImportFolder, title).await
}

/// What a book folder chosen to import holds, from its manifest alone (nor needing the book).
#[tauri::command]
async fn read_book_manifest(
    state: tauri::State<'_, AppState>,
    folder: String,
) -> CommandResult<BookManifest> {
    let dir = chosen_path(&state, &folder, FileUse::OpenFolder)?;
    tauri::async_runtime::spawn_blocking(move || {
        transfer::read_book_manifest(&dir).map_err(CommandError::from)
    })
    .await
    .map_err(|error| internal(format!("background task failed: {error}")))?
}

/// Writes the whole book into the chosen `folder` (new or empty): one CSV per table and
/// `manifest.json`. The window already shows the folder, so the summary goes without it.
#[tauri::command]
async fn export_book(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    folder: String,
) -> CommandResult<Value> {
    let dir = chosen_path(&state, &folder, FileUse::SaveFolder)?;
    let summary: BookExportSummary = with_progress::<TransferProgress, _>(
        app,
        state,
        "transfer-progress",
        move |book, cancel, progress| book.export_book(&dir, cancel, progress),
    )
    .await?;
    without_path(&summary, "dir").map(Value::Object)
}

/// Imports a book folder: restores an empty book exactly, or with `merge` adds the folder's
/// customers to these (the core backs the book up first, since a merge cannot be undone).
#[tauri::command]
async fn import_book(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    folder: String,
    options: BookImportOptions,
) -> CommandResult<Value> {
    let dir = chosen_path(&state, &folder, FileUse::OpenFolder)?;
    let replaced = Arc::clone(&state.replaced);
    let summary: BookImportSummary = with_progress::<TransferProgress, _>(
        app,
        state.clone(),
        "transfer-progress",
        move |book, cancel, progress| {
            let summary = book.import_book(&dir, &options, cancel, progress)?;
            replaced.fetch_add(1, Ordering::SeqCst);
            Ok(summary)
        },
    )
    .await?;
    // The backup the core made before a merge, as the Backups screen lists it: a token in
    // place of its path.
    let mut fields = without_path(&summary, "safety_backup")?;
    let safety_backup =
        summary.safety_backup.as_ref().map(|info| listed_backup(&state.files, info)).transpose()?;
    fields.insert("safety_backup".into(), safety_backup.unwrap_or(Value::Null));
    Ok(Value::Object(fields))
}

/// What opening, or the check after it, found wrong with the book: `None` while it is sound.
#[tauri::command]
fn book_health(state: tauri::State<'_, AppState>) -> CommandResult<Option<Value>> {
    let damaged = lock(&state.damaged).clone();
    damaged.map(|damaged| damaged_for_window(&state.files, &damaged)).transpose()
}

/// Puts a backup in place of the damaged book (kept in `backups/damaged/`), everyone the damaged
/// book erased erased again, and opens it; the window then carries on as usual.
#[tauri::command]
async fn recover_book(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    backup: String,
) -> CommandResult<RecoverySummary> {
    let backup = chosen_path(&state, &backup, FileUse::Open)?;
    let slot = Arc::clone(&state.book);
    let path = state.path.clone();
    let summary = tauri::async_runtime::spawn_blocking(move || -> CommandResult<RecoverySummary> {
        let mut slot = lock(&slot);
        if slot.is_some() {
            return Err(CommandError(ErrorPayload {
                code: ErrorCode::InvalidInput,
                message: "the book is open and sound: restore backups from the Backups screen".into(),
                field: None,
                problem: None,
            }));
        }
        let recovery = backup::recover_from_backup(&path, &backup)?;
        if let Some(unread) = &recovery.erasures_unread {
            eprintln!("Loupe recovered {} from a backup, but {unread}", path.display());
        }
        let summary = RecoverySummary {
            book: recovery.book.info()?,
            erased_again: recovery.erased_again,
            erasures_unread: recovery.erasures_unread.is_some(),
        };
        *slot = Some(recovery.book);
        Ok(summary)
    })
    .await
    .map_err(|error| internal(format!("background task failed: {error}")))??;
    *lock(&state.damaged) = None;
    start_daily_backup(app, state.path.clone(), Arc::clone(&state.daily));
    Ok(summary)
}

/// Makes the day's backup (when no daily one is less than a day old) and prunes old ones, on a
/// thread of its own with a second connection (WAL lets it read while the window works), so
/// the window never waits for it. Tells the window with a `backups-changed` event, and with
/// `backup-failed` (why, for the notice bar) when it failed.
fn start_daily_backup(app: tauri::AppHandle, path: PathBuf, daily: Arc<Mutex<DailyBackup>>) {
    {
        let mut daily = lock(&daily);
        if daily.running {
            return;
        }
        daily.running = true;
    }
    let spawned = std::thread::Builder::new().name("daily-backup".into()).spawn({
        let daily = Arc::clone(&daily);
        move || {
            let result = Book::open(&path).and_then(|book| {
                let made = book.daily_backup_if_due()?;
                // An erasure during a long read (the check, this backup) could not empty the
                // write-ahead log of the pages it replaced; now nothing holds it.
                book.clear_write_ahead_log()?;
                Ok(made)
            });
            let failure = result.as_ref().err().map(BackupFailure::of);
            {
                let mut daily = lock(&daily);
                daily.running = false;
                daily.error = failure.clone();
            }
            let _ = app.emit("backups-changed", ());
            if let Some(failure) = failure {
                eprintln!("Loupe could not make the day's backup: {}", failure.detail);
                let _ = app.emit("backup-failed", failure);
            }
        }
    });
    if let Err(error) = spawned {
        let mut daily = lock(&daily);
        daily.running = false;
        let error = loupe_core::Error::Io { path: "<daily backup thread>".into(), source: error };
        daily.error = Some(BackupFailure::of(&error));
    }
}

/// The book the window opens: `LOUPE_DB` when set (tests, a second book), else the one in
/// the user's data directory, shared with the `loupe` command.
fn book_path() -> loupe_core::Result<PathBuf> {
    match std::env::var_os("LOUPE_DB") {
        Some(path) if !path.is_empty() => Ok(PathBuf::from(path)),
        _ => loupe_core::default_path(),
    }
}

/// Reads every page of the book on a thread and a connection of its own once the window is
/// up (a minute on a book of gigabytes). Sound: the day's backup follows. Damaged: the book's
/// connection is closed and the window is sent to the recovery screen (`book-damaged`).
fn start_book_check(app: tauri::AppHandle) {
    let spawned = std::thread::Builder::new().name("book-check".into()).spawn({
        let app = app.clone();
        move || {
            let state = app.state::<AppState>();
            loop {
                let seen = state.replaced.load(Ordering::SeqCst);
                match backup::check_book(&state.path) {
                    Ok(None) => {}
                    Ok(Some(damaged)) => {
                        // Waits for a command already running on the book; none starts after.
                        let mut book = lock(&state.book);
                        if state.replaced.load(Ordering::SeqCst) != seen {
                            // A restore or a whole-book import replaced what was read: check
                            // the book as it is now.
                            continue;
                        }
                        eprintln!("Loupe found its book damaged ({}): {}", damaged.path, damaged.problem);
                        *book = None;
                        drop(book);
                        *lock(&state.damaged) = Some(damaged.clone());
                        match damaged_for_window(&state.files, &damaged) {
                            Ok(damaged) => {
                                let _ = app.emit("book-damaged", damaged);
                            }
                            Err(error) => eprintln!("Loupe could not tell the window: {}", error.0.message),
                        }
                        return;
                    }
                    // Not damage (the disk, permissions): the book stays open, and the day's
                    // backup is still tried; its own error, if any, shows on the Backups screen.
                    Err(error) => eprintln!("Loupe could not check its book: {error}"),
                }
                start_daily_backup(app.clone(), state.path.clone(), Arc::clone(&state.daily));
                return;
            }
        }
    });
    if let Err(error) = spawned {
        eprintln!("Loupe could not start checking its book: {error}");
    }
}

/// Tells the window when a command has waited a second for another job holding the book (a
/// `loupe` import in a terminal, a checkpoint), and when the wait is over (`book-waiting`):
/// the command keeps waiting rather than fail, and the window says why it seems slow.
fn start_wait_watch(app: tauri::AppHandle) {
    let watch = move || {
        let mut shown = false;
        loop {
            std::thread::sleep(std::time::Duration::from_millis(250));
            let waiting = loupe_core::waiting_for_another_job()
                .is_some_and(|waited| waited >= std::time::Duration::from_secs(1));
            if waiting != shown {
                shown = waiting;
                let _ = app.emit("book-waiting", waiting);
            }
        }
    };
    if let Err(error) = std::thread::Builder::new().name("book-waiting".into()).spawn(watch) {
        eprintln!("Loupe could not start watching for waits on its book: {error}");
    }
}

fn main() {
    let opened = book_path().and_then(|path| {
        let opened = backup::open_unchecked(&path)?;
        Ok((path, opened))
    });
    let (path, book, damaged) = match opened {
        Ok((path, Ok(book))) => (path, Some(book), None),
        // The window still opens, on the recovery screen.
        Ok((path, Err(damaged))) => {
            eprintln!("Loupe found its book damaged ({}): {}", damaged.path, damaged.problem);
            (path, None, Some(damaged))
        }
        Err(error) => {
            // Nothing to show a window for; say why where the dealer's launcher logs it.
            eprintln!("Loupe cannot open its book: {error}");
            std::process::exit(1);
        }
    };
    let book_opened = book.is_some();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState {
            book: Arc::new(Mutex::new(book)),
            path,
            damaged: Mutex::new(damaged),
            cancel: Arc::new(AtomicBool::new(false)),
            daily: Arc::new(Mutex::new(DailyBackup::default())),
            replaced: Arc::new(AtomicU64::new(0)),
            files: FileRegistry::default(),
        })
        .setup(move |app| {
            start_wait_watch(app.handle().clone());
            if book_opened {
                start_book_check(app.handle().clone());
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            book_info,
            book_stats,
            get_settings,
            update_settings,
            list_customers,
            search_customers,
            get_customer,
            create_customer,
            update_customer,
            delete_customer,
            list_tags,
            get_customer_story,
            add_entry,
            update_entry,
            delete_entry,
            open_wishes,
            choose_import_file,
            preview_import,
            commit_import,
            cancel_import,
            undo_import,
            import_batches,
            save_import_mapping,
            save_rejected_rows,
            cancel_job,
            preview_mailing_list,
            choose_export_file,
            export_mailing_list,
            erase_customer,
            backups_holding_customer,
            backup_overview,
            back_up_now,
            offsite_status,
            choose_offsite_folder,
            back_up_offsite,
            inspect_offsite_backup,
            restore_offsite_backup,
            inspect_backup,
            choose_restore_file,
            restore_backup,
            choose_book_export_dir,
            choose_book_import_dir,
            read_book_manifest,
            export_book,
            import_book,
            book_health,
            recover_book,
        ])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("Loupe stopped: {error}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The variables that answer the dialogs in end-to-end tests are read in `e2e_hooks` alone,
    /// and that module is compiled only with the `e2e-hooks` feature: a release build (no
    /// feature) cannot read them. Fails when a variable is read anywhere else in the shell, or the
    /// module or a use of it loses its `cfg`. The needles are split so this test does not find
    /// itself.
    #[test]
    fn dialog_stand_in_variables_are_compiled_only_into_test_builds() {
        let sources = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/app/src");
        let variable = concat!("\"LOUPE", "_");
        let env_read = concat!("env::", "var");
        let hooks = concat!("e2e_hooks", "::");
        let guard = concat!("#[cfg(feature = \"e2e", "-hooks\")]");
        let mut files = 0;
        for entry in std::fs::read_dir(&sources).expect("the shell's sources") {
            let path = entry.expect("a source file").path();
            if path.extension().is_none_or(|ext| ext != "rs") || path.ends_with("e2e_hooks.rs") {
                continue;
            }
            files += 1;
            let text = std::fs::read_to_string(&path).expect("a readable source file");
            let lines: Vec<&str> = text.lines().collect();
            for (index, line) in lines.iter().enumerate() {
                let place = format!("{}:{}", path.display(), index + 1);
                for (at, _) in line.match_indices(variable) {
                    assert!(
                        line[at..].starts_with(concat!("\"LOUPE", "_DB\"")),
                        "{place} names a LOUPE_ variable outside e2e_hooks.rs: {line}"
                    );
                }
                if line.contains(env_read) {
                    assert!(
                        line.contains(concat!("\"LOUPE", "_DB\"")),
                        "{place} reads the environment: {line}"
                    );
                }
                if line.contains(hooks) || line.trim() == concat!("mod e2e", "_hooks;") {
                    let previous = lines[..index].iter().rev().find(|l| !l.trim().is_empty());
                    assert_eq!(
                        previous.map(|l| l.trim()),
                        Some(guard),
                        "{place} uses the test hooks without {guard}"
                    );
                }
            }
        }
        assert!(files >= 2, "found no sources in {}", sources.display());
        let main = std::fs::read_to_string(sources.join("main.rs")).expect("main.rs");
        assert!(
            main.contains(&format!("{guard}\nmod e2e{}", "_hooks;")),
            "main.rs does not declare the hooks under {guard}"
        );
    }
}
