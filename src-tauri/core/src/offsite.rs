//! "Back up to…": copies of the book in a folder the dealer chose on another disk or a USB
//! drive, since backups only beside the book die with the laptop.
//!
//! The folder belongs to this laptop, not to the book (a book restored on another computer
//! must not write to a path that means nothing there), so it is remembered in a small
//! per-laptop file beside the book, `<book>.this-computer.json`, with the newest copy made
//! there: the reminder still knows it when the drive is unplugged. A copy counts as outside
//! the book's disk when the folder is on another device than the book (Unix device ids).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::backup::{BackupInfo, BackupKind, list_backups_in};
use crate::error::{Error, Result};
use crate::model::{BookSettings, JobProgress};
use crate::private_files::create_private_file;
use crate::problem::Problem;
use crate::store::Book;

/// What this laptop remembers about "Back up to…" for one book.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaptopSettings {
    /// The folder chosen in the system's folder dialog.
    pub offsite_folder: Option<PathBuf>,
    /// The newest copy made there.
    pub last_copy: Option<OffsiteCopy>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffsiteCopy {
    pub created_at: DateTime<Utc>,
    /// The folder was on another disk than the book when the copy was made.
    pub other_disk: bool,
}

/// "Back up to…" as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OffsiteStatus {
    /// The chosen folder's name (its last part), for display; none chosen yet when null.
    pub folder_name: Option<String>,
    /// The chosen folder in full, for display.
    pub folder: Option<String>,
    /// The folder is there and can be written to.
    pub reachable: bool,
    /// Why not, when it is chosen but not reachable (a drive not plugged in).
    pub problem: Option<Problem>,
    /// The folder is on the book's own disk: copies there die with the laptop.
    pub same_disk: bool,
    /// This book's backups found in the folder, newest first (none while it is unreachable).
    pub backups: Vec<BackupInfo>,
    /// The newest copy known on another disk than the book's.
    #[ts(type = "string | null")]
    pub newest_outside: Option<DateTime<Utc>>,
    /// No copy outside the book's disk is newer than `reminder_days`.
    pub reminder_due: bool,
    pub reminder_days: u32,
}

/// Where this laptop's settings for the book at `book_path` are kept.
pub fn laptop_settings_path(book_path: &Path) -> PathBuf {
    let name = book_path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    let folder = book_path.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."));
    folder.join(format!("{name}.this-computer.json"))
}

impl LaptopSettings {
    /// The settings for the book at `book_path`; none yet is the default.
    pub fn load(book_path: &Path) -> Result<LaptopSettings> {
        let path = laptop_settings_path(book_path);
        let io = |source| Error::Io { path: path.display().to_string(), source };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(LaptopSettings::default());
            }
            Err(error) => return Err(io(error)),
        };
        serde_json::from_str(&text).map_err(|error| io(error.into()))
    }

    /// Written beside the file and renamed, private like the book.
    pub fn save(&self, book_path: &Path) -> Result<()> {
        let path = laptop_settings_path(book_path);
        let io = |source| Error::Io { path: path.display().to_string(), source };
        let mut partial = path.clone().into_os_string();
        partial.push(format!(".partial-{}", std::process::id()));
        let partial = PathBuf::from(partial);
        let json = serde_json::to_string_pretty(self).map_err(|error| io(error.into()))?;
        {
            use std::io::Write;
            let mut file = create_private_file(&partial).map_err(io)?;
            file.write_all(json.as_bytes()).map_err(io)?;
            file.sync_all().map_err(io)?;
        }
        std::fs::rename(&partial, &path).map_err(io)
    }
}

/// Refuses a folder that is not there (a drive not plugged in) or cannot be written to.
pub fn check_folder(folder: &Path) -> Result<()> {
    let shown = folder.display().to_string();
    if !folder.is_dir() {
        return Err(Error::invalid("offsite_folder", Problem::OffsiteFolderMissing { folder: shown }));
    }
    // Writing is the only sure test (permissions, a read-only drive, a full one).
    tempfile::tempfile_in(folder)
        .map(drop)
        .map_err(|_| Error::invalid("offsite_folder", Problem::OffsiteFolderNotWritable { folder: shown }))
}

/// Remembers `folder` (checked) as where "Back up to…" writes copies of the book at `book_path`.
pub fn choose_folder(book_path: &Path, folder: &Path) -> Result<()> {
    check_folder(folder)?;
    let mut settings = LaptopSettings::load(book_path)?;
    if settings.offsite_folder.as_deref() != Some(folder) {
        settings.offsite_folder = Some(folder.to_path_buf());
        settings.last_copy = None;
    }
    settings.save(book_path)
}

/// Whether `folder` is on the same device as the book at `book_path` (Unix; elsewhere unknown,
/// taken as another disk).
pub fn same_disk(folder: &Path, book_path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let book = std::fs::metadata(book_path).or_else(|_| {
            std::fs::metadata(
                book_path.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new(".")),
            )
        });
        match (std::fs::metadata(folder), book) {
            (Ok(folder), Ok(book)) => folder.dev() == book.dev(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (folder, book_path);
        false
    }
}

/// The reminder's rule: due when no copy outside the book's disk is newer than `days` days
/// (a copy dated in the future, by a wrong clock, does not count).
pub fn reminder_due(newest_outside: Option<DateTime<Utc>>, now: DateTime<Utc>, days: u32) -> bool {
    newest_outside
        .is_none_or(|newest| newest > now || now - newest >= chrono::Duration::days(i64::from(days)))
}

/// "Back up to…" for the book at `book_path`: the folder, whether it can be reached, the
/// copies there and whether to remind the dealer.
pub fn status(book_path: &Path, settings: &BookSettings) -> Result<OffsiteStatus> {
    status_at(book_path, settings, crate::clock::now())
}

/// [`status`] as it is at `now`.
pub fn status_at(book_path: &Path, settings: &BookSettings, now: DateTime<Utc>) -> Result<OffsiteStatus> {
    let laptop = LaptopSettings::load(book_path)?;
    let remembered = laptop.last_copy.filter(|copy| copy.other_disk).map(|copy| copy.created_at);
    let mut status = OffsiteStatus {
        folder_name: None,
        folder: None,
        reachable: false,
        problem: None,
        same_disk: false,
        backups: Vec::new(),
        newest_outside: remembered,
        reminder_due: false,
        reminder_days: settings.offsite_reminder_days,
    };
    if let Some(folder) = &laptop.offsite_folder {
        status.folder_name = Some(
            folder
                .file_name()
                .map_or_else(|| folder.display().to_string(), |name| name.to_string_lossy().into_owned()),
        );
        status.folder = Some(folder.display().to_string());
        match check_folder(folder) {
            Ok(()) => {
                status.reachable = true;
                status.same_disk = same_disk(folder, book_path);
                status.backups = list_backups_in(folder, book_path)?;
                if !status.same_disk {
                    let listed =
                        status.backups.iter().map(|backup| backup.created_at).filter(|&at| at <= now).max();
                    status.newest_outside = status.newest_outside.max(listed);
                }
            }
            Err(Error::Invalid { problem, .. }) => status.problem = Some(problem),
            Err(error) => return Err(error),
        }
    }
    status.reminder_due = reminder_due(status.newest_outside, now, settings.offsite_reminder_days);
    Ok(status)
}

/// The backup named `file_name` in the chosen folder, only when it is one of this book's
/// backups listed there: a name from the window never reaches another file.
pub fn backup_path(book_path: &Path, file_name: &str) -> Result<PathBuf> {
    let folder = LaptopSettings::load(book_path)?
        .offsite_folder
        .ok_or_else(|| Error::invalid("offsite_folder", Problem::OffsiteFolderNotChosen))?;
    check_folder(&folder)?;
    list_backups_in(&folder, book_path)?
        .into_iter()
        .find(|backup| backup.file_name == file_name)
        .map(|backup| PathBuf::from(backup.path))
        .ok_or_else(|| Error::NoBook { path: folder.join(file_name).display().to_string() })
}

impl Book {
    /// A copy of the book in the folder chosen for "Back up to…" (checked first), keeping the
    /// newest `other_backups_to_keep` copies there; remembered for the reminder.
    pub fn back_up_offsite(&self, mut progress: impl FnMut(JobProgress)) -> Result<BackupInfo> {
        let mut laptop = LaptopSettings::load(self.path())?;
        let folder = laptop
            .offsite_folder
            .clone()
            .ok_or_else(|| Error::invalid("offsite_folder", Problem::OffsiteFolderNotChosen))?;
        check_folder(&folder)?;
        let made = self.back_up_into(&folder, BackupKind::Offsite, None, &mut progress)?;
        laptop.last_copy =
            Some(OffsiteCopy { created_at: made.created_at, other_disk: !same_disk(&folder, self.path()) });
        laptop.save(self.path())?;
        Ok(made)
    }
}
