//! Files and folders only the dealer can read. Everything Loupe writes about customers (the
//! book and its -wal/-shm, backups, exports, lists, rejected rows, staging books) is created
//! 0600 and the folders Loupe creates for them 0700, whatever the process's umask: on a shared
//! laptop another account must not read the book. Folders the dealer made (a USB stick's root,
//! the parent of an export) are left as they are. Elsewhere than Unix these are plain creates.

use std::fs::{DirBuilder, File, OpenOptions};
use std::path::Path;

#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};

/// Read and write for the owner only.
#[cfg(unix)]
pub(crate) const FILE_MODE: u32 = 0o600;
/// Read, write and enter for the owner only.
#[cfg(unix)]
pub(crate) const FOLDER_MODE: u32 = 0o700;

/// Creates `folder` and the missing folders above it, each one created private; folders that
/// already exist keep their permissions.
pub(crate) fn create_private_dir_all(folder: &Path) -> std::io::Result<()> {
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(FOLDER_MODE);
    builder.create(folder)
}

/// Creates the folder `folder` (its parent must exist) private; fails when it exists.
pub(crate) fn create_private_dir(folder: &Path) -> std::io::Result<()> {
    let mut builder = DirBuilder::new();
    #[cfg(unix)]
    builder.mode(FOLDER_MODE);
    builder.create(folder)
}

/// Creates (or truncates) the file at `path` for writing; a file it creates is private.
pub(crate) fn create_private_file(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    options.mode(FILE_MODE);
    options.open(path)
}

/// Creates an empty private file at `path` unless something is there already, so that SQLite,
/// which creates a database file world-readable and its -wal/-shm with the database file's
/// permissions, finds a private file to open.
pub(crate) fn ensure_private_file(path: &Path) -> std::io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(FILE_MODE);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(error),
    }
}

/// Takes away the group's and others' access to a file of Loupe's (a book written by an
/// earlier version, a damaged book set aside). Best effort: a read-only disk keeps what it has.
pub(crate) fn make_private(path: &Path) {
    #[cfg(unix)]
    if let Ok(metadata) = std::fs::metadata(path)
        && metadata.is_file()
        && metadata.permissions().mode() & 0o077 != 0
    {
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(FILE_MODE));
    }
    #[cfg(not(unix))]
    let _ = path;
}
