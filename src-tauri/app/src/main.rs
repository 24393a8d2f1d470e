//! The Loupe window: a Tauri shell whose commands are one-line adapters over `loupe_core`.
//! No business logic lives here; long work runs off the UI thread.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use loupe_core::model::{
    BookInfo, BookSettings, BookStats, Customer, CustomerDraft, CustomerRow, CustomerStory, EntryDraft,
    EntryKind, ListPage, ListQuery, OpenWish, TagCount,
};
use loupe_core::{Book, ErrorCode, ErrorPayload};

/// The open book, shared by the commands. One connection: SQLite serialises writers anyway,
/// and a counter app issues one request at a time.
struct AppState {
    book: Arc<Mutex<Book>>,
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
        .manage(AppState { book: Arc::new(Mutex::new(book)) })
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
        ])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("Loupe stopped: {error}");
        std::process::exit(1);
    }
}
