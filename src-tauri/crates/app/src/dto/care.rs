//! The shapes of the care an admin would otherwise give: the database check, backups and
//! restore, automatic backups, the diagnostics bundle and the About box.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::AppStatus;

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

/// Result of `db check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DbCheck {
    pub ok: bool,
    /// `ok`, or each problem SQLite's integrity and foreign-key checks reported.
    pub integrity: Vec<String>,
    pub schema_version: u32,
    pub database: String,
}

/// Result of a backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupInfo {
    pub path: String,
    #[ts(type = "number")]
    pub bytes: u64,
    pub schema_version: u32,
}

/// A backup file found in the backup folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupFile {
    pub path: String,
    pub file_name: String,
    #[ts(type = "number")]
    pub bytes: u64,
    /// Last modified, RFC 3339 UTC.
    pub modified: String,
}

/// What a restore did. The status of the restored data comes first (flattened, so a caller that
/// only wants the new [`AppStatus`] reads it as one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RestoreResult {
    #[serde(flatten)]
    pub status: AppStatus,
    /// Restored although the backup's schema differs from its version's or its archive does not
    /// verify (the clerk confirmed it; the audit log names what failed).
    pub forced: bool,
    /// The schema version the backup had, before it was migrated.
    pub schema_version: u32,
    /// How the backup's schema differed from its version's (empty unless forced).
    pub schema_problems: Vec<SchemaProblem>,
    /// The verdict on the restored file's archive.
    pub archive: crate::ArchiveVerification,
    /// The serial ledger taken over from the replaced data.
    pub carried: CarriedForward,
    /// Where the replaced data was copied first.
    pub pre_restore: Option<String>,
    /// One sentence for the clerk: restored, what was kept, any warning.
    pub message_zh: String,
    pub message_en: String,
}

/// One way a backup's schema differs from the schema of its version: a missing, extra or changed
/// table, column, index, trigger or view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SchemaProblem {
    /// `missing`, `extra` or `changed`.
    pub change: String,
    /// `table`, `column`, `index`, `trigger` or `view`.
    pub object: String,
    /// The object's name (`table.column` for a column).
    pub name: String,
    pub table: String,
    pub message_zh: String,
    pub message_en: String,
}

/// The serial ledger a restore carried forward from the data it replaced, so that no serial
/// issued before the restore is issued again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CarriedForward {
    /// Serial series raised to (or added at) the replaced data's next number.
    pub series: u32,
    /// Allocations (issued ranges) the backup lacked, copied in.
    pub allocations: u32,
    /// Serials those allocations hold.
    #[ts(type = "number")]
    pub serials: i64,
    /// Random serials copied with them.
    #[ts(type = "number")]
    pub random_serials: u64,
    /// Products and batches copied because such an allocation needs them.
    pub products: u32,
    pub batches: u32,
}
