//! The Loupe window: a Tauri shell whose commands are one-line adapters over `loupe_core`.
//! No business logic lives here; long work runs off the UI thread.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::{Path, PathBuf};
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
}

/// How the day's backup went, for the backups screen.
#[derive(Debug, Clone, Default, serde::Serialize)]
struct DailyBackup {
    running: bool,
    error: Option<BackupFailure>,
}

/// The backups screen: where the backups are, which there are, and the day's backup.
#[derive(Debug, serde::Serialize)]
struct BackupOverview {
    folder: String,
    backups: Vec<BackupInfo>,
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

/// The file to import, chosen in the system's dialog (`LOUPE_IMPORT_FILE` answers in tests).
/// The dialog's title and filter come in the window's language.
#[tauri::command]
async fn choose_import_file(
    app: tauri::AppHandle,
    title: String,
    filter: String,
) -> CommandResult<Option<String>> {
    choose_file(app, "LOUPE_IMPORT_FILE", title, filter, &["csv", "txt", "tsv", "tab"]).await
}

/// What the dealer chose in a native dialog (None when they closed it), or the test's variable
/// `env` instead: the end-to-end tests cannot drive a native dialog.
async fn ask_dialog(
    env: &str,
    dialog: impl FnOnce() -> Option<tauri_plugin_dialog::FilePath> + Send + 'static,
) -> CommandResult<Option<PathBuf>> {
    if let Some(path) = std::env::var_os(env).filter(|path| !path.is_empty()) {
        return Ok(Some(PathBuf::from(path)));
    }
    let chosen = tauri::async_runtime::spawn_blocking(dialog)
        .await
        .map_err(|error| internal(format!("the dialog failed: {error}")))?;
    Ok(chosen.and_then(|path| path.into_path().ok()))
}

/// A file to open, chosen in the system's dialog (or `env` in tests).
async fn choose_file(
    app: tauri::AppHandle,
    env: &str,
    title: String,
    filter: String,
    extensions: &'static [&'static str],
) -> CommandResult<Option<String>> {
    let chosen = ask_dialog(env, move || {
        app.dialog().file().set_title(title).add_filter(filter, extensions).blocking_pick_file()
    })
    .await?;
    Ok(chosen.map(|path| path.display().to_string()))
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
    path: String,
    options: ImportOptions,
) -> CommandResult<ImportPreview> {
    with_progress::<ImportProgress, _>(app, state, "import-progress", move |book, cancel, progress| {
        book.preview_import(path.as_ref(), &options, cancel, progress)
    })
    .await
}

#[tauri::command]
async fn commit_import(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    path: String,
    options: ImportOptions,
) -> CommandResult<ImportSummary> {
    with_progress::<ImportProgress, _>(app, state, "import-progress", move |book, cancel, progress| {
        book.commit_import(path.as_ref(), &options, cancel, progress)
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

/// Saves the rejected rows of `path` where the dealer chooses (`LOUPE_REJECTED_FILE` in
/// tests), in the window's words and laid out for a spreadsheet; returns where, or None when
/// the dealer cancelled the dialog (titled `title`).
#[tauri::command]
async fn save_rejected_rows(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    path: String,
    options: ImportOptions,
    wording: RejectedRowsWording,
    title: String,
) -> CommandResult<Option<String>> {
    let suggested = PathBuf::from(&path)
        .file_stem()
        .map(|stem| format!("{}-rejected.csv", stem.to_string_lossy()))
        .unwrap_or_else(|| "rejected.csv".into());
    let Some(out) = choose_save_file(app, "LOUPE_REJECTED_FILE", title, suggested).await? else {
        return Ok(None);
    };
    with_book(state, move |book| {
        book.write_rejected_rows(path.as_ref(), &options, &wording, true, &out)?;
        Ok(Some(out.display().to_string()))
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

/// Where to write a mailing list, chosen in the system's save dialog (`LOUPE_EXPORT_FILE`
/// answers in tests).
#[tauri::command]
async fn choose_export_file(
    app: tauri::AppHandle,
    suggested: String,
    title: String,
) -> CommandResult<Option<String>> {
    let chosen = choose_save_file(app, "LOUPE_EXPORT_FILE", title, suggested).await?;
    Ok(chosen.map(|path| path.display().to_string()))
}

/// A CSV file to write, chosen in the system's save dialog (or `env` in tests).
async fn choose_save_file(
    app: tauri::AppHandle,
    env: &str,
    title: String,
    suggested: String,
) -> CommandResult<Option<PathBuf>> {
    ask_dialog(env, move || {
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
    path: String,
) -> CommandResult<MailingExport> {
    with_progress::<JobProgress, _>(app, state, "job-progress", move |book, cancel, progress| {
        book.export_mailing_list(&filter, &options, path.as_ref(), cancel, progress)
    })
    .await
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
    tauri::async_runtime::spawn_blocking(move || {
        Ok(BackupOverview {
            folder: backup::backup_folder(&path).display().to_string(),
            backups: backup::list_backups(&path)?,
            daily_running: daily.running,
            daily_error: daily.error,
        })
    })
    .await
    .map_err(|error| internal(format!("background task failed: {error}")))?
}

#[tauri::command]
async fn back_up_now(app: tauri::AppHandle, state: tauri::State<'_, AppState>) -> CommandResult<BackupInfo> {
    with_progress::<JobProgress, _>(app, state, "job-progress", |book, _cancel, progress| {
        book.back_up(BackupKind::Manual, progress)
    })
    .await
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
    let chosen = ask_dialog("LOUPE_OFFSITE_DIR", move || {
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
) -> CommandResult<BackupContents> {
    let path = state.path.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let copy = offsite::backup_path(&path, &file_name)?;
        backup::inspect_backup(&copy).map_err(CommandError::from)
    })
    .await
    .map_err(|error| internal(format!("background task failed: {error}")))?
}

/// Replaces the book with a copy in the chosen folder, as `restore_backup` does.
#[tauri::command]
async fn restore_offsite_backup(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    file_name: String,
) -> CommandResult<RestoreSummary> {
    let replaced = Arc::clone(&state.replaced);
    with_progress::<JobProgress, _>(app, state, "job-progress", move |book, _cancel, progress| {
        let copy = offsite::backup_path(book.path(), &file_name)?;
        let summary = book.restore_backup(&copy, progress)?;
        replaced.fetch_add(1, Ordering::SeqCst);
        Ok(summary)
    })
    .await
}

/// What a backup file holds, read without changing it (nor needing the book).
#[tauri::command]
async fn inspect_backup(path: String) -> CommandResult<BackupContents> {
    tauri::async_runtime::spawn_blocking(move || {
        backup::inspect_backup(Path::new(&path)).map_err(CommandError::from)
    })
    .await
    .map_err(|error| internal(format!("background task failed: {error}")))?
}

/// A backup file chosen in the system's dialog (`LOUPE_RESTORE_FILE` answers in tests), its
/// title and filter in the window's language.
#[tauri::command]
async fn choose_restore_file(
    app: tauri::AppHandle,
    title: String,
    filter: String,
) -> CommandResult<Option<String>> {
    choose_file(app, "LOUPE_RESTORE_FILE", title, filter, &["sqlite3", "sqlite", "db"]).await
}

/// Replaces the book with a backup; the current book is first kept as a backup itself.
#[tauri::command]
async fn restore_backup(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    path: String,
) -> CommandResult<RestoreSummary> {
    let replaced = Arc::clone(&state.replaced);
    with_progress::<JobProgress, _>(app, state, "job-progress", move |book, _cancel, progress| {
        let summary = book.restore_backup(path.as_ref(), progress)?;
        replaced.fetch_add(1, Ordering::SeqCst);
        Ok(summary)
    })
    .await
}

/// A folder chosen in the system's folder dialog (or `env` in tests).
async fn choose_folder(app: tauri::AppHandle, env: &str, title: String) -> CommandResult<Option<String>> {
    let chosen = ask_dialog(env, move || app.dialog().file().set_title(title).blocking_pick_folder()).await?;
    Ok(chosen.map(|path| path.display().to_string()))
}

/// Where to export the whole book (`LOUPE_EXPORT_DIR` answers in tests); the dialog's title
/// in the window's language.
#[tauri::command]
async fn choose_book_export_dir(app: tauri::AppHandle, title: String) -> CommandResult<Option<String>> {
    choose_folder(app, "LOUPE_EXPORT_DIR", title).await
}

/// A book folder to import (`LOUPE_IMPORT_DIR` answers in tests).
#[tauri::command]
async fn choose_book_import_dir(app: tauri::AppHandle, title: String) -> CommandResult<Option<String>> {
    choose_folder(app, "LOUPE_IMPORT_DIR", title).await
}

/// What a book folder holds, from its manifest alone (nor needing the book).
#[tauri::command]
async fn read_book_manifest(dir: String) -> CommandResult<BookManifest> {
    tauri::async_runtime::spawn_blocking(move || {
        transfer::read_book_manifest(Path::new(&dir)).map_err(CommandError::from)
    })
    .await
    .map_err(|error| internal(format!("background task failed: {error}")))?
}

/// Writes the whole book into `dir` (new or empty): one CSV per table and `manifest.json`.
#[tauri::command]
async fn export_book(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    dir: String,
) -> CommandResult<BookExportSummary> {
    with_progress::<TransferProgress, _>(app, state, "transfer-progress", move |book, cancel, progress| {
        book.export_book(dir.as_ref(), cancel, progress)
    })
    .await
}

/// Imports a book folder: restores an empty book exactly, or with `merge` adds the folder's
/// customers to these (the core backs the book up first, since a merge cannot be undone).
#[tauri::command]
async fn import_book(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    dir: String,
    options: BookImportOptions,
) -> CommandResult<BookImportSummary> {
    let replaced = Arc::clone(&state.replaced);
    with_progress::<TransferProgress, _>(app, state, "transfer-progress", move |book, cancel, progress| {
        let summary = book.import_book(dir.as_ref(), &options, cancel, progress)?;
        replaced.fetch_add(1, Ordering::SeqCst);
        Ok(summary)
    })
    .await
}

/// What opening, or the check after it, found wrong with the book: `None` while it is sound.
#[tauri::command]
fn book_health(state: tauri::State<'_, AppState>) -> Option<DamagedBook> {
    lock(&state.damaged).clone()
}

/// Puts a backup in place of the damaged book (kept in `backups/damaged/`), everyone the damaged
/// book erased erased again, and opens it; the window then carries on as usual.
#[tauri::command]
async fn recover_book(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    backup: String,
) -> CommandResult<RecoverySummary> {
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
        let recovery = backup::recover_from_backup(&path, Path::new(&backup))?;
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
                        let _ = app.emit("book-damaged", damaged);
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
        })
        .setup(move |app| {
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
