//! File locations and the errors about them.

use crate::messages::Msg;
use std::path::{Path, PathBuf};

use crate::ApiError;

pub const DB_FILE_NAME: &str = "tracedesk.sqlite3";

/// `<data dir>/logs`, where the log files are kept.
pub fn log_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("logs")
}

/// The per-user data directory (`~/.local/share/tracedesk` on Linux, `%APPDATA%\tracedesk\data`
/// on Windows). `TRACEDESK_DATA_DIR` overrides it, so tests and portable installs can point
/// elsewhere.
pub fn default_data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("TRACEDESK_DATA_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    directories::ProjectDirs::from("cn", "tracedesk", "tracedesk")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".tracedesk"))
}

/// The operating-system user, recorded in the audit log.
pub fn os_user() -> String {
    ["USER", "USERNAME"]
        .iter()
        .find_map(|var| std::env::var(var).ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "user".to_string())
}

/// A UTC time stamp safe in file names.
pub fn stamp() -> String {
    let now = time::OffsetDateTime::now_utc();
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]");
    now.format(&format)
        .unwrap_or_else(|_| now.unix_timestamp().to_string())
}

pub fn now_iso() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

pub fn dir_error(dir: &Path, err: std::io::Error) -> ApiError {
    Msg::DataDirUncreatable {
        dir: dir.to_path_buf(),
        error: err.to_string(),
    }
    .err()
}

pub fn open_error(path: &Path, err: store::Error) -> ApiError {
    match err {
        store::Error::NewerSchema { found, supported } => Msg::DatabaseTooNew {
            path: path.to_path_buf(),
            found: found as i64,
            supported: supported as i64,
        }
        .err(),
        store::Error::NotADatabase { reason, .. } => Msg::NotADatabase {
            path: path.to_path_buf(),
            reason: reason.to_string(),
        }
        .err(),
        other => ApiError::storage(other),
    }
}

pub fn restore_error(src: &Path, err: store::Error) -> ApiError {
    match err {
        store::Error::NotADatabase { reason, .. } => Msg::NotABackup {
            src: src.to_path_buf(),
            reason: reason.to_string(),
        }
        .err(),
        other => open_error(src, other),
    }
}
