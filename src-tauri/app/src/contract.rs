//! The one list of what the window may call and hear. Each command is written once, with the
//! `commands!` macro (in `commands/<feature>.rs`), and registered once (`commands::register!`);
//! both its Tauri handler and its TypeScript signature come from that. A test renders the
//! signatures, the window's own types and the events to `ui/src/lib/bindings/shell/` and fails
//! when the committed files differ; a UI test fails when a command has no method in the
//! gateway. A command written but not registered is dead code, which the build refuses.
//!
//! ts-rs, which already renders the core's types, renders the commands' types too, rather than
//! tauri-specta: one generator for every type, no second derive on the ~80 core types, and no
//! release-candidate dependency pinned to an exact specta version.

use std::marker::PhantomData;

use serde::Serialize;
use tauri::Emitter;
use ts_rs::TS;

/// Declares Tauri commands and their signatures. Each command is written as
/// `fn name(injected: Type, …; argument: Type, …; progress: Progress) -> Output { body }`:
/// first what Tauri injects (the app, the state), then what the window sends, then, for a long
/// job, the type of the progress it reports over the call's own channel. The body returns a
/// `CommandResult<Output>`.
macro_rules! commands {
    ($(
        $(#[$meta:meta])*
        fn $name:ident(
            $($injected:ident : $injected_type:ty),* ;
            $($argument:ident : $argument_type:ty),*
            $(; $progress_name:ident : $progress:ty)?
        ) -> $output:ty $body:block
    )*) => {
        $(
            $(#[$meta])*
            #[tauri::command]
            pub async fn $name(
                $($injected: $injected_type,)*
                $($argument: $argument_type,)*
                $($progress_name: tauri::ipc::Channel<$progress>,)?
            ) -> $crate::state::CommandResult<$output> $body
        )*

        /// The signatures of this file's commands, for the TypeScript contract.
        #[cfg(test)]
        pub fn signatures() -> Vec<$crate::contract::typescript::Signature> {
            use $crate::contract::typescript::{Signature, ts_type};
            vec![$(
                Signature {
                    name: stringify!($name),
                    arguments: vec![$((stringify!($argument), ts_type::<$argument_type>())),*],
                    progress: None$(.or(Some(ts_type::<$progress>())))?,
                    output: ts_type::<$output>(),
                }
            ),*]
        }
    };
}
pub(crate) use commands;

/// An event the shell sends to every window, with its payload's type.
pub struct Event<T> {
    pub name: &'static str,
    payload: PhantomData<T>,
}

impl<T: Serialize + Clone + TS + 'static> Event<T> {
    pub const fn named(name: &'static str) -> Self {
        Event { name, payload: PhantomData }
    }

    /// Sends the event; a window that misses it only shows something late.
    pub fn emit(&self, app: &tauri::AppHandle, payload: T) {
        let _ = app.emit(self.name, payload);
    }

    #[cfg(test)]
    fn signature(&self) -> (&'static str, typescript::TsType) {
        (self.name, typescript::ts_type::<T>())
    }
}

pub mod events {
    use loupe_core::backup::BackupFailure;

    use super::Event;
    use crate::window::DamagedBookReport;

    /// The backups folder changed by itself (the day's backup was made).
    pub const BACKUPS_CHANGED: Event<()> = Event::named("backups-changed");
    /// The day's backup failed, with why.
    pub const BACKUP_FAILED: Event<BackupFailure> = Event::named("backup-failed");
    /// The check that runs after the window opens found the book damaged; it is now closed.
    pub const BOOK_DAMAGED: Event<DamagedBookReport> = Event::named("book-damaged");
    /// True when a command has waited a second for another job holding the book (a `loupe`
    /// command, a checkpoint), false when the wait is over.
    pub const BOOK_WAITING: Event<bool> = Event::named("book-waiting");
    /// The whole book's standing was evaluated again by itself (the window opened on a new day,
    /// or the day changed while it stayed open): what the window shows is read again.
    pub const STANDING_CHANGED: Event<()> = Event::named("standing-changed");

    #[cfg(test)]
    pub fn signatures() -> Vec<(&'static str, super::typescript::TsType)> {
        vec![
            BACKUPS_CHANGED.signature(),
            BACKUP_FAILED.signature(),
            BOOK_DAMAGED.signature(),
            BOOK_WAITING.signature(),
            STANDING_CHANGED.signature(),
        ]
    }
}

/// The contract as TypeScript, rendered by the bindings test.
#[cfg(test)]
pub mod typescript {
    use std::collections::BTreeMap;
    use std::fmt::Write as _;

    use ts_rs::{Config, Dependency, TS, TypeVisitor};

    /// A command as the window calls it.
    pub struct Signature {
        pub name: &'static str,
        /// In the order declared, with their Rust names (the window sends them in camelCase).
        pub arguments: Vec<(&'static str, TsType)>,
        /// What a long job reports over the channel it is given.
        pub progress: Option<TsType>,
        pub output: TsType,
    }

    /// A Rust type as TypeScript: its text, and the generated files that text names.
    pub struct TsType {
        pub text: String,
        /// Type name → the file ts-rs writes it to, relative to `ui/src/lib/bindings/`.
        pub imports: BTreeMap<String, String>,
    }

    /// How the shell's types are rendered: ids and counts are numbers in the window (none comes
    /// near 2^53).
    pub fn ts_config() -> Config {
        Config::new().with_large_int("number")
    }

    pub fn ts_type<T: TS + 'static + ?Sized>() -> TsType {
        /// Collects the named types `T` is made of: the type itself when ts-rs writes it to a file
        /// of its own, else (a `Vec`, an `Option`) the types it wraps.
        struct Named<'a>(&'a Config, &'a mut BTreeMap<String, String>);
        impl TypeVisitor for Named<'_> {
            fn visit<U: TS + 'static + ?Sized>(&mut self) {
                match Dependency::from_ty::<U>(self.0) {
                    Some(named) => {
                        self.1.insert(named.ts_name, named.output_path.to_string_lossy().into_owned());
                    }
                    None => U::visit_generics(self),
                }
            }
        }
        let cfg = ts_config();
        let mut imports = BTreeMap::new();
        Named(&cfg, &mut imports).visit::<T>();
        TsType { text: T::name(&cfg), imports }
    }

    /// Where the shell's TypeScript goes, relative to `ui/src/lib/bindings/`.
    pub const SHELL_FOLDER: &str = "shell";

    /// `customer_id` as the window sends it (Tauri's default for command arguments).
    pub(super) fn camel_case(name: &str) -> String {
        let mut parts = name.split('_');
        let mut camel = parts.next().unwrap_or_default().to_owned();
        for part in parts {
            let mut letters = part.chars();
            if let Some(first) = letters.next() {
                camel.extend(first.to_uppercase());
                camel.push_str(letters.as_str());
            }
        }
        camel
    }

    /// `shell/commands.ts`: every command with its arguments, progress and result, every event,
    /// and the error codes a command may reject with.
    pub fn render_contract(commands: &[Signature], events: &[(&'static str, TsType)]) -> String {
        let mut imports = BTreeMap::new();
        let types = commands
            .iter()
            .flat_map(|command| {
                command.arguments.iter().map(|(_, ty)| ty).chain(&command.progress).chain([&command.output])
            })
            .chain(events.iter().map(|(_, ty)| ty));
        for ty in types {
            imports.extend(ty.imports.iter().map(|(name, file)| (name.clone(), file.clone())));
        }
        let mut out = String::from(
            "// Generated from the shell's commands (src-tauri/app/src/commands/); do not edit. Regenerate with\n\
             // LOUPE_UPDATE_BINDINGS=1 cargo test -p loupe-desktop --features e2e-hooks contract\n",
        );
        out.push_str("import type { Channel as ProgressChannel } from '@tauri-apps/api/core';\n");
        for (name, file) in &imports {
            let module = file.trim_end_matches(".ts");
            let from = match module.strip_prefix(&format!("{SHELL_FOLDER}/")) {
                Some(local) => format!("./{local}"),
                None => format!("../{module}"),
            };
            let _ = writeln!(out, "import type {{ {name} }} from '{from}';");
        }
        out.push_str(
            "\n/** Every command the shell registers: the arguments `invoke` takes and what it resolves with. */\n\
             export interface Commands {\n",
        );
        for command in commands {
            let mut arguments: Vec<String> = command
                .arguments
                .iter()
                .map(|(name, ty)| format!("{}: {}", camel_case(name), ty.text))
                .collect();
            if let Some(progress) = &command.progress {
                arguments.push(format!("progress: ProgressChannel<{}>", progress.text));
            }
            let arguments = if arguments.is_empty() {
                "Record<string, never>".into()
            } else {
                format!("{{ {} }}", arguments.join("; "))
            };
            let _ = writeln!(
                out,
                "  {}: {{ args: {arguments}; returns: {} }};",
                command.name, command.output.text
            );
        }
        out.push_str("}\n\n/** The names of the commands, for checking that the gateway calls each. */\nexport const COMMAND_NAMES = [\n");
        for command in commands {
            let _ = writeln!(out, "  '{}',", command.name);
        }
        out.push_str("] as const;\n\n/** Every event the shell sends, with its payload. */\nexport interface Events {\n");
        for (name, ty) in events {
            let _ = writeln!(out, "  '{name}': {};", ty.text);
        }
        out.push_str("}\n\n/** Every `code` a failed command may carry. */\nexport const ERROR_CODES = [\n");
        for code in <loupe_core::ErrorCode as strum::VariantArray>::VARIANTS {
            let code = serde_json::to_string(code).unwrap_or_default().replace('"', "'");
            let _ = writeln!(out, "  {code},");
        }
        out.push_str("] as const;\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::typescript::*;

    #[test]
    fn arguments_are_named_as_the_window_sends_them() {
        assert_eq!(camel_case("customer_id"), "customerId");
        assert_eq!(camel_case("file_name"), "fileName");
        assert_eq!(camel_case("id"), "id");
    }

    #[test]
    fn a_wrapped_type_imports_what_it_wraps() {
        let listed = ts_type::<Option<Vec<loupe_core::model::CustomerRow>>>();
        assert_eq!(listed.text, "Array<CustomerRow> | null");
        assert_eq!(listed.imports.keys().collect::<Vec<_>>(), ["CustomerRow"]);
        assert_eq!(ts_type::<i64>().text, "number");
    }
}
