//! The Loupe window: a Tauri shell whose commands are thin adapters over `loupe_core`.
//! No business logic lives here; long work runs off the UI thread. See ARCHITECTURE.md.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod background;
mod commands;
mod contract;
mod dialogs;
#[cfg(feature = "e2e-hooks")]
mod e2e_hooks;
mod files;
mod state;
mod webview;
mod window;

use std::path::PathBuf;
use std::sync::Arc;

use loupe_core::session::Session;
use tauri::Manager;
use tauri_plugin_log::{RotationStrategy, Target, TargetKind};

use crate::files::FileRegistry;
use crate::state::{AppState, JobRegistry};

/// The book the window opens: `LOUPE_DB` when set (tests, a second book), else the one in
/// the user's data directory, shared with the `loupe` command.
fn book_path() -> loupe_core::Result<PathBuf> {
    match std::env::var_os("LOUPE_DB") {
        Some(path) if !path.is_empty() => Ok(PathBuf::from(path)),
        _ => loupe_core::default_path(),
    }
}

/// The app's own log, for support: `loupe.log` in the platform's log folder
/// (`~/.local/share/app.loupe.desktop/logs` on Linux), also on stderr, rotated at 1 MB with
/// the last five kept. It holds events and ids, never a customer's name, email, phone or note.
fn log_plugin() -> tauri::plugin::TauriPlugin<tauri::Wry> {
    tauri_plugin_log::Builder::new()
        .clear_targets()
        .target(Target::new(TargetKind::LogDir { file_name: Some("loupe".into()) }))
        .target(Target::new(TargetKind::Stderr))
        .level(log::LevelFilter::Info)
        .max_file_size(1_000_000)
        .rotation_strategy(RotationStrategy::KeepSome(5))
        .build()
}

/// Opens the book; a book too damaged to open still opens the window, on the recovery screen.
fn open_session() -> loupe_core::Result<Session> {
    loupe_core::clock::check_today_override()?;
    let session = Session::open(&book_path()?)?;
    if let Some(damaged) = session.damaged() {
        log::error!("found the book damaged when opening it: {}", damaged.problem);
    }
    Ok(session)
}

fn main() {
    let result = tauri::Builder::default()
        .plugin(log_plugin())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            // First: the webview has begun loading the page, and the setting must reach it early.
            if let Some(window) = app.get_webview_window("main") {
                webview::draw_without_compositing(&window)?;
            }
            let session = open_session().inspect_err(|error| log::error!("cannot open the book: {error}"))?;
            let opened = session.is_open();
            app.manage(AppState {
                session: Arc::new(session),
                files: FileRegistry::default(),
                jobs: JobRegistry::default(),
            });
            log::info!("Loupe {} started", env!("CARGO_PKG_VERSION"));
            background::start_wait_watch(app.handle().clone());
            if opened {
                background::start_reading_first_screen(app.handle());
                background::start_book_check(app.handle().clone());
            }
            background::start_standing_watch(app.handle().clone());
            Ok(())
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!());
    if let Err(error) = result {
        // Also where the dealer's launcher logs it, when the log itself could not start.
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
        let mut folders = vec![sources.clone()];
        let mut paths = Vec::new();
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).expect("the shell's sources") {
                let path = entry.expect("a source file").path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|ext| ext == "rs") && !path.ends_with("e2e_hooks.rs") {
                    paths.push(path);
                }
            }
        }
        // The book's path, and the bindings test's update switch (compiled into tests only).
        let allowed = [concat!("\"LOUPE", "_DB\""), concat!("\"LOUPE", "_UPDATE_BINDINGS\"")];
        let mut files = 0;
        for path in paths {
            files += 1;
            let text = std::fs::read_to_string(&path).expect("a readable source file");
            let lines: Vec<&str> = text.lines().collect();
            for (index, line) in lines.iter().enumerate() {
                let place = format!("{}:{}", path.display(), index + 1);
                for (at, _) in line.match_indices(variable) {
                    assert!(
                        allowed.iter().any(|name| line[at..].starts_with(name)),
                        "{place} names a LOUPE_ variable outside e2e_hooks.rs: {line}"
                    );
                }
                if line.contains(env_read) {
                    assert!(
                        allowed.iter().any(|name| line.contains(name)),
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
        assert!(files >= 10, "found too few sources in {}", sources.display());
        let main = std::fs::read_to_string(sources.join("main.rs")).expect("main.rs");
        assert!(
            main.contains(&format!("{guard}\nmod e2e{}", "_hooks;")),
            "main.rs does not declare the hooks under {guard}"
        );
    }
}
