//! The files and folders the webview may name. The dealer chooses them in native dialogs (or
//! they are the book's own backups); the shell keeps their paths and hands the webview an
//! unguessable token and a name to show instead. Every command that reads or writes a file
//! takes a token and the use the file was chosen for, so a script injected into the webview can
//! neither name a path of its own nor write to a file the dealer only chose to read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use loupe_core::{ErrorCode, ErrorPayload};

/// What the dealer chose a path for; a token works only for that.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileUse {
    /// A file to read: chosen in an open dialog, or a backup listed from the book's folder.
    Open,
    /// A file to write: chosen in a save dialog.
    Save,
    /// A folder to read a whole book from.
    OpenFolder,
    /// A folder to write a whole book into.
    SaveFolder,
}

/// A chosen file as the webview knows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export_to = "shell/")]
pub struct FileToken {
    /// 128 random bits in hexadecimal.
    pub token: String,
    /// What the screen shows: the name of a file to read (the screen says what it holds), the
    /// whole path of a file written or a folder (the dealer needs to find it).
    pub name: String,
}

/// The paths behind the tokens the shell issued, for as long as the window runs.
#[derive(Debug, Default)]
pub struct FileRegistry {
    chosen: Mutex<HashMap<String, Chosen>>,
}

#[derive(Debug)]
struct Chosen {
    path: PathBuf,
    used_for: FileUse,
}

impl FileRegistry {
    /// A token for `path`, usable only for `used_for`. The same file for the same use keeps its
    /// token, so listing the backups again and again does not grow the registry.
    pub fn issue(&self, path: PathBuf, used_for: FileUse) -> Result<FileToken, ErrorPayload> {
        let name = display_name(&path, used_for);
        let mut chosen = self.chosen.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(token) = chosen
            .iter()
            .find(|(_, known)| known.path == path && known.used_for == used_for)
            .map(|(token, _)| token.clone())
        {
            return Ok(FileToken { token, name });
        }
        let token = random_token()?;
        chosen.insert(token.clone(), Chosen { path, used_for });
        Ok(FileToken { token, name })
    }

    /// The path behind `token`, when the shell issued it for `used_for`; anything else (a path,
    /// a made-up token, a file chosen to be read given to a command that writes) is refused.
    pub fn resolve(&self, token: &str, used_for: FileUse) -> Result<PathBuf, ErrorPayload> {
        let chosen = self.chosen.lock().unwrap_or_else(PoisonError::into_inner);
        match chosen.get(token) {
            Some(known) if known.used_for == used_for => Ok(known.path.clone()),
            Some(known) => Err(refused(format!(
                "this file was chosen {}, not {}: choose it again",
                purpose(known.used_for),
                purpose(used_for)
            ))),
            None => Err(refused(
                "Loupe acts only on files and folders chosen in its own dialogs or listed as its backups: \
                 choose the file again"
                    .into(),
            )),
        }
    }
}

fn purpose(used_for: FileUse) -> &'static str {
    match used_for {
        FileUse::Open => "to be read",
        FileUse::Save => "to be written",
        FileUse::OpenFolder => "as a folder to read",
        FileUse::SaveFolder => "as a folder to write into",
    }
}

fn refused(message: String) -> ErrorPayload {
    ErrorPayload { code: ErrorCode::InvalidInput, message, field: None, problem: None }
}

fn display_name(path: &Path, used_for: FileUse) -> String {
    match (used_for, path.file_name()) {
        (FileUse::Open, Some(name)) => name.to_string_lossy().into_owned(),
        _ => path.display().to_string(),
    }
}

fn random_token() -> Result<String, ErrorPayload> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|error| ErrorPayload {
        code: ErrorCode::Storage,
        message: format!("the system gave no random numbers for a file token: {error}"),
        field: None,
        problem: None,
    })?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_gives_back_the_chosen_path_for_its_use() {
        let files = FileRegistry::default();
        let chosen = files.issue(PathBuf::from("/home/dealer/list.csv"), FileUse::Save).expect("issued");
        assert_eq!(chosen.token.len(), 32);
        assert!(chosen.token.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(chosen.name, "/home/dealer/list.csv");
        assert_eq!(
            files.resolve(&chosen.token, FileUse::Save).expect("issued"),
            PathBuf::from("/home/dealer/list.csv")
        );
    }

    #[test]
    fn a_file_to_read_shows_its_name_only() {
        let files = FileRegistry::default();
        let chosen = files.issue(PathBuf::from("/home/dealer/contacts.csv"), FileUse::Open).expect("issued");
        assert_eq!(chosen.name, "contacts.csv");
    }

    #[test]
    fn anything_the_shell_did_not_issue_is_refused() {
        let files = FileRegistry::default();
        let issued = files.issue(PathBuf::from("/home/dealer/list.csv"), FileUse::Save).expect("issued");
        for given in ["/home/dealer/list.csv", "/home/dealer/.bashrc", "", "00000000000000000000000000000000"]
        {
            let refused = files.resolve(given, FileUse::Save).expect_err("refused");
            assert_eq!(refused.code, ErrorCode::InvalidInput, "{given}");
            assert!(refused.message.contains("chosen in its own dialogs"), "{}", refused.message);
        }
        // A token is exact: one character changed is another token.
        let mut altered = issued.token.clone();
        altered.replace_range(0..1, if altered.starts_with('0') { "1" } else { "0" });
        assert!(files.resolve(&altered, FileUse::Save).is_err());
    }

    #[test]
    fn a_token_works_only_for_what_the_file_was_chosen_for() {
        let files = FileRegistry::default();
        let read = files.issue(PathBuf::from("/home/dealer/contacts.csv"), FileUse::Open).expect("issued");
        let refused = files.resolve(&read.token, FileUse::Save).expect_err("refused");
        assert_eq!(refused.code, ErrorCode::InvalidInput);
        assert!(refused.message.contains("chosen to be read, not to be written"), "{}", refused.message);
        let folder =
            files.issue(PathBuf::from("/home/dealer/old-book"), FileUse::OpenFolder).expect("issued");
        assert!(files.resolve(&folder.token, FileUse::SaveFolder).is_err());
        assert!(files.resolve(&folder.token, FileUse::Open).is_err());
        let export = files.issue(PathBuf::from("/media/usb/export"), FileUse::SaveFolder).expect("issued");
        assert!(files.resolve(&export.token, FileUse::OpenFolder).is_err());
        assert_eq!(
            files.resolve(&export.token, FileUse::SaveFolder).expect("issued"),
            PathBuf::from("/media/usb/export")
        );
    }

    #[test]
    fn the_same_file_for_the_same_use_keeps_its_token_and_another_use_gets_its_own() {
        let files = FileRegistry::default();
        let path = PathBuf::from("/home/dealer/backups/loupe-2026-01-02.sqlite3");
        let first = files.issue(path.clone(), FileUse::Open).expect("issued");
        assert_eq!(files.issue(path.clone(), FileUse::Open).expect("issued"), first);
        let other = files.issue(PathBuf::from("/home/dealer/other.sqlite3"), FileUse::Open).expect("issued");
        assert_ne!(other.token, first.token);
        let to_write = files.issue(path, FileUse::Save).expect("issued");
        assert_ne!(to_write.token, first.token);
    }
}
