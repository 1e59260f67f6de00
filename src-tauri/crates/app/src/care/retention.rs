//! Which backups are automatic, when each was made, whether one is due, and which automatic ones
//! retention keeps. Pure: names and times in, decisions out; the files are read and deleted in
//! `care.rs`.
//!
//! A backup's kind is its file name's prefix (the names `App::backup`, `App::auto_backup` and the
//! store's migration and restore copies give): `auto-…` automatic, `tracedesk-…` manual,
//! `pre-migration-…` and `pre-restore-…` the copies made before a migration or a restore.
//! Anything else in the folder (a file the clerk put there) is `Other`. Only automatic backups are
//! ever deleted.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, UtcOffset};
use ts_rs::TS;

/// The prefix of an automatic backup's file name.
pub const AUTO_PREFIX: &str = "auto-";
/// The prefix of a manual backup's file name (立即备份, `tracedesk backup`).
pub const MANUAL_PREFIX: &str = "tracedesk-";

/// How many days, and then weeks, of automatic backups retention keeps.
pub const KEEP_DAILY: usize = 7;
pub const KEEP_WEEKLY: usize = 4;
/// A last backup older than this is warned about in 设置 and on 工作台.
pub const OVERDUE_AFTER: Duration = Duration::days(2);

/// What made a backup, read from its file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum BackupKind {
    Automatic,
    Manual,
    PreMigration,
    PreRestore,
    Other,
}

impl BackupKind {
    pub fn of(file_name: &str) -> BackupKind {
        if file_name.starts_with(AUTO_PREFIX) {
            BackupKind::Automatic
        } else if file_name.starts_with(MANUAL_PREFIX) {
            BackupKind::Manual
        } else if file_name.starts_with("pre-migration-") {
            BackupKind::PreMigration
        } else if file_name.starts_with("pre-restore-") {
            BackupKind::PreRestore
        } else {
            BackupKind::Other
        }
    }

    /// (中文, English) for messages.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            BackupKind::Automatic => ("自动备份", "automatic backup"),
            BackupKind::Manual => ("手动备份", "manual backup"),
            BackupKind::PreMigration => ("升级前备份", "pre-upgrade copy"),
            BackupKind::PreRestore => ("恢复前备份", "pre-restore copy"),
            BackupKind::Other => ("其他备份文件", "other backup file"),
        }
    }
}

/// China Standard Time, the offset "today" is counted in (as `entries::today`).
pub fn china() -> UtcOffset {
    UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC)
}

/// The UTC time stamp (`YYYYMMDDTHHMMSS`) a backup's file name carries, wherever it stands in the
/// name (`pre-migration-v1-to-v2-20261207T101500-2.sqlite3`).
pub fn stamp_in_name(file_name: &str) -> Option<OffsetDateTime> {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]");
    let bytes = file_name.as_bytes();
    (0..bytes.len().saturating_sub(14)).find_map(|i| {
        let candidate = file_name.get(i..i + 15)?;
        let shape = candidate.bytes().enumerate().all(|(j, b)| {
            if j == 8 {
                b == b'T'
            } else {
                b.is_ascii_digit()
            }
        });
        if !shape {
            return None;
        }
        PrimitiveDateTime::parse(candidate, &format)
            .ok()
            .map(PrimitiveDateTime::assume_utc)
    })
}

/// One backup as the rules see it: its file name, kind and when it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Made {
    pub file_name: String,
    pub kind: BackupKind,
    pub at: OffsetDateTime,
}

/// An automatic backup is due when no automatic or manual backup was made today (China time).
/// The copies made before a migration or a restore do not count: they hold the data as it was
/// before a change, not as it is now.
pub fn auto_backup_due(backups: &[Made], now: OffsetDateTime) -> bool {
    let today = now.to_offset(china()).date();
    !backups.iter().any(|b| {
        matches!(b.kind, BackupKind::Automatic | BackupKind::Manual)
            && b.at.to_offset(china()).date() == today
    })
}

/// The newest backup of any kind.
pub fn last_backup(backups: &[Made]) -> Option<&Made> {
    backups
        .iter()
        .max_by(|a, b| a.at.cmp(&b.at).then_with(|| a.file_name.cmp(&b.file_name)))
}

/// True when there is no backup or the newest is older than [`OVERDUE_AFTER`].
pub fn overdue(last: Option<OffsetDateTime>, now: OffsetDateTime) -> bool {
    last.is_none_or(|at| now - at > OVERDUE_AFTER)
}

/// The automatic backups retention deletes, by file name: of the automatic backups, the newest of
/// each of the [`KEEP_DAILY`] most recent days that have one is kept, and the newest of each of
/// the [`KEEP_WEEKLY`] most recent ISO weeks that have one (days and weeks in China time); every
/// other automatic backup goes. Days without a backup (the computer was off) do not use up the
/// count, so a long break never deletes the last good copies. Backups of any other kind are
/// never returned.
pub fn to_delete(backups: &[Made]) -> Vec<String> {
    let mut auto: Vec<&Made> = backups
        .iter()
        .filter(|b| b.kind == BackupKind::Automatic)
        .collect();
    // Newest first; of two made in the same second, the later name (`-2`) first.
    auto.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| b.file_name.cmp(&a.file_name)));
    let mut keep = BTreeSet::new();
    let mut days: BTreeSet<Date> = BTreeSet::new();
    let mut weeks: BTreeSet<(i32, u8)> = BTreeSet::new();
    for b in &auto {
        let local = b.at.to_offset(china());
        let day = local.date();
        if days.len() < KEEP_DAILY && days.insert(day) {
            keep.insert(b.file_name.as_str());
        }
        let (year, week, _) = day.to_iso_week_date();
        if weeks.len() < KEEP_WEEKLY && weeks.insert((year, week)) {
            keep.insert(b.file_name.as_str());
        }
    }
    auto.iter()
        .filter(|b| !keep.contains(b.file_name.as_str()))
        .map(|b| b.file_name.clone())
        .collect()
}

#[cfg(test)]
mod tests;
