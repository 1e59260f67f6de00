//! Copying a database file: the one copy routine behind every backup (on request, before a
//! migration, before a restore), and where copies go and are named. A leaf module: `backup` and
//! `migrate` both use it, and it uses neither.

use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};

use crate::{Error, Result};

/// How often a copy retries when another connection holds a lock, and how long it waits between.
const COPY_ATTEMPTS: u32 = 50;
const COPY_PAUSE: Duration = Duration::from_millis(100);

/// `<folder of the database>/backups`.
pub(crate) fn backup_dir(db_path: &Path) -> PathBuf {
    db_path.parent().unwrap_or(Path::new("")).join("backups")
}

/// A UTC time stamp for file names: `YYYYMMDDTHHMMSS`.
pub(crate) fn file_stamp() -> String {
    let now = time::OffsetDateTime::now_utc();
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]");
    now.format(&format)
        .unwrap_or_else(|_| now.unix_timestamp().to_string())
}

/// `dir/name`, or `dir/name-2`, `-3`… (before the extension) if that is taken: two copies made in
/// the same second must not overwrite each other.
pub(crate) fn unique_path(dir: &Path, name: &str) -> PathBuf {
    let first = dir.join(name);
    if !first.exists() {
        return first;
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) => (stem, format!(".{ext}")),
        None => (name, String::new()),
    };
    (2..)
        .map(|n| dir.join(format!("{stem}-{n}{ext}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

/// Copies the database on `src` to the file `dest`, returning its size. `live` is the file `src`
/// is open on, which must not be overwritten.
pub(crate) fn backup_connection(src: &Connection, dest: &Path, live: Option<&Path>) -> Result<u64> {
    if live.is_some_and(|live| same_file(live, dest)) {
        return Err(Error::BackupOntoLive {
            path: dest.to_path_buf(),
        });
    }
    let dir = dest
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(Error::io(dir))?;
    let file_name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let partial = dir.join(format!(".{file_name}.partial"));
    // A leftover from a crashed earlier attempt would be copied over page by page; start clean.
    for stale in [
        partial.clone(),
        dir.join(format!(".{file_name}.partial-journal")),
    ] {
        match std::fs::remove_file(&stale) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(Error::io(&stale)(e)),
            _ => {}
        }
    }

    let mut out = Connection::open(&partial)?;
    out.busy_timeout(crate::BUSY_TIMEOUT)?;
    copy(src, &mut out)?;
    // The backup API copies the source's header, WAL flag included; a backup is meant to be one
    // self-contained file that can be mailed or put on a USB stick, so it uses a rollback journal.
    let _: String =
        out.pragma_update_and_check(None, "journal_mode", "DELETE", |row| row.get(0))?;
    out.close().map_err(|(_, e)| e)?;
    std::fs::File::open(&partial)
        .and_then(|f| f.sync_all())
        .map_err(Error::io(&partial))?;
    std::fs::rename(&partial, dest).map_err(Error::io(dest))?;
    Ok(std::fs::metadata(dest).map_err(Error::io(dest))?.len())
}

/// Copies every page of `from` onto `to` in one step, which reads one consistent snapshot of the
/// source. Retries for a while if another connection holds a lock the copy needs.
pub(crate) fn copy(from: &Connection, to: &mut Connection) -> rusqlite::Result<()> {
    let backup = Backup::new(from, to)?;
    for _ in 0..COPY_ATTEMPTS {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            // More cannot follow a step of -1 pages; Busy and Locked clear when the other
            // connection finishes.
            _ => thread::sleep(COPY_PAUSE),
        }
    }
    Err(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
        Some("backup gave up waiting for another connection's lock".to_string()),
    ))
}

/// Whether `a` and `b` name the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
