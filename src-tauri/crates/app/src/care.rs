//! What an IT admin would otherwise look after: a daily automatic backup with retention, the
//! last-backup warning, the About box's versions and folders, and the diagnostics bundle
//! (`care/diagnostics.rs`). The rules are pure (`care/retention.rs`); this file reads the backup
//! folder and writes and deletes the files.

pub(crate) mod diagnostics;
pub mod retention;

use std::path::PathBuf;

use time::OffsetDateTime;

use crate::care::retention::{BackupKind, Made};
use crate::{
    AboutInfo, App, AutoBackupResult, BackupInfo, BackupStatus, DataFolder, FolderPath, LastBackup,
    Result, paths,
};

/// Setting key: automatic backups on (`true`, the default) or off.
pub const KEY_AUTO_BACKUP: &str = "backup.auto";

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// `2026-12-07 18:05` in China time, for messages.
fn china_minute(at: OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    at.to_offset(retention::china())
        .format(&format)
        .unwrap_or_default()
}

impl App {
    /// Every `.sqlite3` file of the backup folder with its kind and time (the stamp in its name,
    /// else the file's modification time), and its path.
    fn backups_made(&self) -> Result<Vec<(Made, PathBuf)>> {
        Ok(self
            .list_backups()?
            .into_iter()
            .filter_map(|f| {
                let at = retention::stamp_in_name(&f.file_name).or_else(|| {
                    OffsetDateTime::parse(
                        &f.modified,
                        &time::format_description::well_known::Rfc3339,
                    )
                    .ok()
                })?;
                Some((
                    Made {
                        kind: BackupKind::of(&f.file_name),
                        file_name: f.file_name,
                        at,
                    },
                    PathBuf::from(f.path),
                ))
            })
            .collect())
    }

    pub fn auto_backup_enabled(&self) -> Result<bool> {
        Ok(self.db().setting(KEY_AUTO_BACKUP)?.as_deref() != Some("false"))
    }

    /// Turns the daily automatic backup on or off (设置, `tracedesk backup --auto-off/--auto-on`).
    pub fn set_auto_backup(&self, enabled: bool) -> Result<BackupStatus> {
        self.db()
            .set_setting(KEY_AUTO_BACKUP, if enabled { "true" } else { "false" })?;
        tracing::info!(enabled, "automatic backup setting changed");
        self.backup_status()
    }

    /// When the last backup was made, and whether that is too long ago.
    pub fn backup_status(&self) -> Result<BackupStatus> {
        self.backup_status_at(OffsetDateTime::now_utc())
    }

    pub(crate) fn backup_status_at(&self, now: OffsetDateTime) -> Result<BackupStatus> {
        let made = self.backups_made()?;
        let all: Vec<Made> = made.iter().map(|(m, _)| m.clone()).collect();
        let last = retention::last_backup(&all).map(|m| {
            let path = made
                .iter()
                .find(|(x, _)| x.file_name == m.file_name)
                .map(|(_, p)| p.display().to_string())
                .unwrap_or_default();
            (m.clone(), path)
        });
        let auto_enabled = self.auto_backup_enabled()?;
        let overdue = retention::overdue(last.as_ref().map(|(m, _)| m.at), now);
        let (mut zh, mut en) = match &last {
            None => (
                "还没有任何备份。请点击“立即备份”，并把备份另存到U盘或其他电脑".to_string(),
                "there is no backup yet; click \"Back up now\", and save a copy to a USB stick or another computer".to_string(),
            ),
            Some((m, _)) => {
                let (kind_zh, kind_en) = m.kind.label();
                let when = china_minute(m.at);
                if overdue {
                    let days = (now - m.at).whole_days();
                    (
                        format!(
                            "最近一次备份是 {days} 天前（{when}，{kind_zh}）。请点击“立即备份”；如自动备份已开启，请确认追溯通每天都会打开"
                        ),
                        format!(
                            "the last backup was made {days} days ago ({when} China time, {kind_en}); click \"Back up now\", and if automatic backup is on, make sure tracedesk is opened every day"
                        ),
                    )
                } else {
                    (
                        format!("最近一次备份：{when}（{kind_zh}）"),
                        format!("last backup: {when} China time ({kind_en})"),
                    )
                }
            }
        };
        if !auto_enabled {
            zh.push_str("。自动备份已关闭");
            en.push_str("; automatic backup is off");
        }
        Ok(BackupStatus {
            auto_enabled,
            last: last.map(|(m, path)| LastBackup {
                file_name: m.file_name,
                path,
                kind: m.kind,
                made_at: rfc3339(m.at),
            }),
            overdue,
            message_zh: zh,
            message_en: en,
        })
    }

    /// One automatic-backup round: when automatic backup is on and no automatic or manual backup
    /// was made today (China time), the database is copied to `backups/auto-<UTC stamp>.sqlite3`
    /// and retention deletes the automatic backups beyond 7 days and 4 weeks
    /// ([`retention::to_delete`]). Manual, pre-migration and pre-restore copies are never deleted.
    /// The desktop shell calls this at start-up and hourly; `tracedesk backup --auto` calls it
    /// from a scheduled task.
    pub fn auto_backup(&self) -> Result<AutoBackupResult> {
        self.auto_backup_at(OffsetDateTime::now_utc())
    }

    pub(crate) fn auto_backup_at(&self, now: OffsetDateTime) -> Result<AutoBackupResult> {
        // No backup made, and why.
        let none_made = |zh: &str, en: &str| -> Result<AutoBackupResult> {
            Ok(AutoBackupResult {
                made: None,
                removed: Vec::new(),
                status: self.backup_status_at(now)?,
                message_zh: zh.into(),
                message_en: en.into(),
            })
        };
        if !self.auto_backup_enabled()? {
            return none_made(
                "自动备份已关闭，未备份。可在“设置 → 备份与恢复”中开启",
                "automatic backup is off; nothing was backed up (turn it on in Settings → Backup and restore)",
            );
        }
        let before: Vec<Made> = self.backups_made()?.into_iter().map(|(m, _)| m).collect();
        if !retention::auto_backup_due(&before, now) {
            return none_made(
                "今天已有备份，无需再备份",
                "a backup was already made today; nothing to do",
            );
        }
        let made = self.write_backup(&retention_name(now))?;
        tracing::info!(bytes = made.bytes, "automatic backup made");
        let after: Vec<(Made, PathBuf)> = self.backups_made()?;
        let doomed =
            retention::to_delete(&after.iter().map(|(m, _)| m.clone()).collect::<Vec<_>>());
        let mut removed = Vec::new();
        for (m, path) in &after {
            if !doomed.contains(&m.file_name) || m.kind != BackupKind::Automatic {
                continue;
            }
            match std::fs::remove_file(path) {
                Ok(()) => removed.push(m.file_name.clone()),
                // A copy that cannot be deleted now (open in another program) is tried next time.
                Err(e) => tracing::warn!(kind = ?e.kind(), "old automatic backup not deleted"),
            }
        }
        if !removed.is_empty() {
            tracing::info!(count = removed.len(), "old automatic backups deleted");
        }
        let mut zh = format!("已自动备份到 {}", made.path);
        let mut en = format!("automatic backup written to {}", made.path);
        if !removed.is_empty() {
            zh.push_str(&format!(
                "；按保留规则删除了 {} 个较早的自动备份",
                removed.len()
            ));
            en.push_str(&format!(
                "; {} older automatic backup(s) deleted by the retention rule",
                removed.len()
            ));
        }
        Ok(AutoBackupResult {
            made: Some(made),
            removed,
            status: self.backup_status_at(now)?,
            message_zh: zh,
            message_en: en,
        })
    }

    /// Copies the live database to `backups/<name>` (a free name if taken).
    fn write_backup(&self, name: &str) -> Result<BackupInfo> {
        let dir = self.backup_dir();
        let mut dest = dir.join(name);
        let mut n = 2;
        while dest.exists() {
            dest = dir.join(name.replace(".sqlite3", &format!("-{n}.sqlite3")));
            n += 1;
        }
        self.backup(Some(&dest))
    }

    /// The folder `folder` of the data directory, created if it does not exist yet.
    pub fn data_folder(&self, folder: DataFolder) -> Result<PathBuf> {
        let dir = self.folder_path(folder);
        std::fs::create_dir_all(&dir).map_err(|e| paths::dir_error(&dir, e))?;
        Ok(dir)
    }

    fn folder_path(&self, folder: DataFolder) -> PathBuf {
        let data = &self.config().data_dir;
        match folder {
            DataFolder::Data => data.clone(),
            DataFolder::Backups => self.backup_dir(),
            DataFolder::Exports => data.join("exports"),
            DataFolder::Logs => crate::paths::log_dir(data),
            DataFolder::Attachments => data.join("attachments"),
        }
    }

    /// 关于: versions and the data folders.
    pub fn about(&self) -> Result<AboutInfo> {
        let folders = [
            DataFolder::Data,
            DataFolder::Backups,
            DataFolder::Exports,
            DataFolder::Logs,
            DataFolder::Attachments,
        ]
        .into_iter()
        .map(|folder| FolderPath {
            folder,
            path: self.folder_path(folder).display().to_string(),
        })
        .collect();
        Ok(AboutInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            schema_version: self.db().schema_version()?,
            sqlite_version: store::sqlite_version().to_string(),
            os: os_description(),
            database: self.config().db_path.display().to_string(),
            folders,
        })
    }
}

/// The operating system with its version and the processor, e.g. `Windows 10 (19045) [64-bit],
/// x86_64`.
pub(crate) fn os_description() -> String {
    format!("{}, {}", os_info::get(), std::env::consts::ARCH)
}

/// `auto-<UTC stamp>.sqlite3`.
fn retention_name(now: OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]");
    format!(
        "{}{}.sqlite3",
        retention::AUTO_PREFIX,
        now.to_offset(time::UtcOffset::UTC)
            .format(&format)
            .unwrap_or_default()
    )
}

#[cfg(test)]
mod tests;
