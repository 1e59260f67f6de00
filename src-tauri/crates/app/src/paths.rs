//! File locations and the errors about them.

use std::path::{Path, PathBuf};

use crate::{ApiError, ErrorCode};

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
    ApiError::new(
        ErrorCode::UnreadableFile,
        format!(
            "无法创建数据目录 {}：{err}。请检查磁盘空间和写入权限",
            dir.display()
        ),
        format!(
            "cannot create the data directory {}: {err}; check disk space and permissions",
            dir.display()
        ),
    )
}

pub fn open_error(path: &Path, err: store::Error) -> ApiError {
    match err {
        store::Error::NewerSchema { found, supported } => ApiError::new(
            ErrorCode::InvalidState,
            format!(
                "数据库 {} 由更新版本的追溯通创建（结构版本 {found}，本程序支持到 {supported}），请升级追溯通后再打开",
                path.display()
            ),
            format!(
                "database {} was written by a newer tracedesk (schema {found}, this build supports {supported}); upgrade tracedesk",
                path.display()
            ),
        ),
        store::Error::NotADatabase { reason, .. } => ApiError::new(
            ErrorCode::UnreadableFile,
            format!("{} 不是可用的追溯通数据库：{reason}", path.display()),
            format!(
                "{} is not a usable tracedesk database: {reason}",
                path.display()
            ),
        ),
        other => ApiError::storage(other),
    }
}

pub fn restore_error(src: &Path, err: store::Error) -> ApiError {
    match err {
        store::Error::NotADatabase { reason, .. } => ApiError::new(
            ErrorCode::UnreadableFile,
            format!(
                "无法从 {} 恢复：该文件不是完好的追溯通备份（{reason}）。当前数据未被修改",
                src.display()
            ),
            format!(
                "cannot restore from {}: not a healthy tracedesk backup ({reason}); current data unchanged",
                src.display()
            ),
        ),
        other => open_error(src, other),
    }
}
