//! The Loupe window: a Tauri shell whose commands are one-line adapters over `loupe_core`.
//! No business logic lives here; long work runs off the UI thread.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use loupe_core::import::{
    ColumnMapping, ImportBatch, ImportOptions, ImportPreview, ImportProgress, ImportSummary, UndoSummary,
};
use tauri::Emitter;
use tauri_plugin_dialog::DialogExt;

use loupe_core::model::{
    BookInfo, BookSettings, BookStats, Customer, CustomerDraft, CustomerRow, CustomerStory, EntryDraft,
    EntryKind, ListPage, ListQuery, OpenWish, TagCount,
};
use loupe_core::{Book, ErrorCode, ErrorPayload};

/// The open book, shared by the commands. One connection: SQLite serialises writers anyway,
/// and a counter app issues one request at a time.
struct AppState {
    book: Arc<Mutex<Book>>,
    /// Set by `cancel_import`; read by the running import between rows. Outside the book's
    /// lock, which the import holds.
    cancel: Arc<AtomicBool>,
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
    CommandError(ErrorPayload { code: ErrorCode::Storage, message, field: None })
}

type CommandResult<T> = Result<T, CommandError>;

/// Runs `work` on the blocking pool with the book locked, so the webview never waits on disk.
async fn with_book<T: Send + 'static>(
    state: tauri::State<'_, AppState>,
    work: impl FnOnce(&mut Book) -> loupe_core::Result<T> + Send + 'static,
) -> CommandResult<T> {
    let book = Arc::clone(&state.book);
    tauri::async_runtime::spawn_blocking(move || {
        // A panic in an earlier command poisons the lock, but its transaction rolled back when
        // dropped, so the book is consistent and the app carries on.
        let mut book = book.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        work(&mut book).map_err(CommandError::from)
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

/// The file to import, chosen in the system's dialog. `LOUPE_IMPORT_FILE` answers instead
/// (the end-to-end tests cannot drive a native dialog).
#[tauri::command]
async fn choose_import_file(app: tauri::AppHandle) -> CommandResult<Option<String>> {
    if let Some(path) = std::env::var_os("LOUPE_IMPORT_FILE").filter(|path| !path.is_empty()) {
        return Ok(Some(PathBuf::from(path).display().to_string()));
    }
    let chosen = tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_title("Import contacts")
            .add_filter("Contacts (CSV, text)", &["csv", "txt", "tsv", "tab"])
            .blocking_pick_file()
    })
    .await
    .map_err(|error| internal(format!("the file dialog failed: {error}")))?;
    Ok(chosen.and_then(|path| path.into_path().ok()).map(|path| path.display().to_string()))
}

/// Runs an import step on the book with progress sent to the window as `import-progress`
/// events and cancellation through `cancel_import`.
async fn with_import<T: Send + 'static>(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    work: impl FnOnce(&mut Book, &AtomicBool, &mut dyn FnMut(ImportProgress)) -> loupe_core::Result<T>
    + Send
    + 'static,
) -> CommandResult<T> {
    let cancel = Arc::clone(&state.cancel);
    cancel.store(false, Ordering::Relaxed);
    with_book(state, move |book| {
        let mut progress = |progress: ImportProgress| {
            // A lost progress event only delays the bar; the import goes on.
            let _ = app.emit("import-progress", progress);
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
    with_import(app, state, move |book, cancel, progress| {
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
    with_import(app, state, move |book, cancel, progress| {
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
/// tests); returns where, or None when the dealer cancelled the dialog.
#[tauri::command]
async fn save_rejected_rows(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    path: String,
    options: ImportOptions,
) -> CommandResult<Option<String>> {
    let suggested = PathBuf::from(&path)
        .file_stem()
        .map(|stem| format!("{}-rejected.csv", stem.to_string_lossy()))
        .unwrap_or_else(|| "rejected.csv".into());
    let out = match std::env::var_os("LOUPE_REJECTED_FILE").filter(|path| !path.is_empty()) {
        Some(out) => Some(PathBuf::from(out)),
        None => tauri::async_runtime::spawn_blocking(move || {
            app.dialog().file().set_file_name(suggested).add_filter("CSV", &["csv"]).blocking_save_file()
        })
        .await
        .map_err(|error| internal(format!("the file dialog failed: {error}")))?
        .and_then(|path| path.into_path().ok()),
    };
    let Some(out) = out else { return Ok(None) };
    with_book(state, move |book| {
        book.write_rejected_rows(path.as_ref(), &options, &out)?;
        Ok(Some(out.display().to_string()))
    })
    .await
}

/// The book the window opens: `LOUPE_DB` when set (tests, a second book), else the one in
/// the user's data directory, shared with the `loupe` command.
fn book_path() -> loupe_core::Result<PathBuf> {
    match std::env::var_os("LOUPE_DB") {
        Some(path) if !path.is_empty() => Ok(PathBuf::from(path)),
        _ => loupe_core::default_path(),
    }
}

fn main() {
    let book = match book_path().and_then(|path| Book::open(&path)) {
        Ok(book) => book,
        Err(error) => {
            // Nothing to show a window for; say why where the dealer's launcher logs it.
            eprintln!("Loupe cannot open its book: {error}");
            std::process::exit(1);
        }
    };
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState { book: Arc::new(Mutex::new(book)), cancel: Arc::new(AtomicBool::new(false)) })
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
        ])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("Loupe stopped: {error}");
        std::process::exit(1);
    }
}
