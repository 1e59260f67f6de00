//! The shapes of the care an admin would otherwise give: automatic backups, the diagnostics
//! bundle and the About box. Exported to TypeScript with ts-rs like `dto.rs`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::BackupInfo;
pub use crate::care::retention::BackupKind;

/// The newest backup in the backup folder, of any kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LastBackup {
    pub file_name: String,
    pub path: String,
    pub kind: BackupKind,
    /// When it was made, RFC 3339 UTC (from the time stamp in its name, else the file's time).
    pub made_at: String,
}

/// Whether backups are being made: for 设置 and 工作台.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupStatus {
    /// The daily automatic backup is on (the default).
    pub auto_enabled: bool,
    pub last: Option<LastBackup>,
    /// No backup, or the newest is more than 2 days old: show a warning.
    pub overdue: bool,
    /// One line to show: when the last backup was made (China time), or the warning with what to do.
    pub message_zh: String,
    pub message_en: String,
}

/// What one automatic-backup round did (at start-up, hourly, `tracedesk backup --auto`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AutoBackupResult {
    /// The backup made; `None` when one was already made today or automatic backup is off.
    pub made: Option<BackupInfo>,
    /// Older automatic backups retention deleted (file names).
    pub removed: Vec<String>,
    pub status: BackupStatus,
    pub message_zh: String,
    pub message_en: String,
}

/// A folder of the data directory, for the About box's "open folder" buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum DataFolder {
    Data,
    Backups,
    Exports,
    Logs,
    Attachments,
}

/// One folder with where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FolderPath {
    pub folder: DataFolder,
    pub path: String,
}

/// 关于: versions and where everything is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AboutInfo {
    pub version: String,
    pub schema_version: u32,
    pub sqlite_version: String,
    /// Operating system and processor, e.g. `windows x86_64`.
    pub os: String,
    pub database: String,
    pub folders: Vec<FolderPath>,
}

/// The diagnostics bundle written (设置 → 导出诊断包, `tracedesk diagnostics`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DiagnosticsResult {
    pub path: String,
    #[ts(type = "number")]
    pub bytes: u64,
    /// The files inside the zip.
    pub files: Vec<String>,
    /// A copy of the database (business data) is inside.
    pub includes_data: bool,
    pub message_zh: String,
    pub message_en: String,
}
