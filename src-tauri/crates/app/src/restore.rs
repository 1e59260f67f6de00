//! Restoring a backup (恢复): the whole database is replaced by an older copy, except what must
//! outlive it.
//!
//! - The restore holds the submission lease (`lease.rs`), so it never runs while this or another
//!   program is submitting; the lease the backup may carry (of a run going on when it was taken)
//!   is dropped.
//! - The backup's archive must verify (`store::archive::verify` on the checked copy): a file whose
//!   chain or accepted records were altered is refused with the first bad entry or record, unless
//!   the clerk confirms (`force`), which the audit log records.
//! - The serial ledger of the replaced data is carried forward (`store::Carried`): every series
//!   keeps its highest next number and every range issued since the backup stays, so a serial
//!   printed before the restore is never issued again and its reprint, void and export still work.

use std::path::Path;

use store::RestoreOutcome;

use crate::archive::verification_dto;
use crate::{ApiError, App, CarriedForward, ErrorCode, RestoreResult, Result, paths};

/// The refusal of a backup whose archive does not verify.
fn archive_refused(src: &Path, v: &store::archive::Verification) -> ApiError {
    let (zh, en) = v.problem().unwrap_or_default();
    let mut e = ApiError::new(
        ErrorCode::InvalidState,
        format!(
            "备份 {} 的报送档案校验未通过：{zh}。该备份可能被改动过，恢复后报表和证据包将不可信。当前数据未被修改；如确需恢复，请选择“仍然恢复”（命令行加 --force），此操作会记入审计日志",
            src.display()
        ),
        format!(
            "the submission archive of backup {} does not verify: {en}; the backup may have been altered, and reports and evidence packs built from it could not be trusted; current data unchanged; to restore it anyway, choose \"Restore anyway\" (--force on the command line), which the audit log records",
            src.display()
        ),
    );
    e.field = Some("restore.archive".into());
    e
}

impl App {
    /// Replaces the live database with the backup at `src` (see the module comment). The current
    /// data is copied aside first, and nothing changes if `src` is not a healthy tracedesk
    /// database, if its archive does not verify and `force` is false, or if a submission is
    /// running.
    pub fn restore(&self, src: &Path, force: bool) -> Result<RestoreResult> {
        if !src.is_file() {
            return Err(ApiError::new(
                ErrorCode::UnreadableFile,
                format!("找不到备份文件 {}，请确认路径", src.display()),
                format!("backup file {} not found; check the path", src.display()),
            ));
        }
        let _lease = self.take_lease("restore")?;
        let outcome = self
            .db()
            .restore_with(src, force)
            .map_err(|e| paths::restore_error(src, e))?;
        let report = match outcome {
            RestoreOutcome::Refused(v) => return Err(archive_refused(src, &v)),
            RestoreOutcome::Restored(report) => report,
        };
        let c = &report.carried;
        let carried = CarriedForward {
            series: c.series.len() as u32,
            allocations: c.allocations.len() as u32,
            serials: c.serials,
            random_serials: c.random_serials,
            products: c.products.len() as u32,
            batches: c.batches.len() as u32,
        };
        let (mut zh, mut en) = (
            format!("已从 {} 恢复", src.display()),
            format!("restored from {}", src.display()),
        );
        if let Some(p) = &report.pre_restore {
            zh.push_str(&format!("；原数据已另存为 {}", p.display()));
            en.push_str(&format!("; the previous data was kept as {}", p.display()));
        }
        if !c.is_empty() {
            zh.push_str(&format!(
                "；恢复前已发出的序列号继续保留：{} 个序列号规则接续编号，补回 {} 段共 {} 个序列号",
                carried.series, carried.allocations, carried.serials
            ));
            en.push_str(&format!(
                "; serials issued before the restore stay issued: {} series continue from their last number, {} ranges ({} serials) were kept",
                carried.series, carried.allocations, carried.serials
            ));
        }
        if report.forced {
            let (why_zh, why_en) = report.archive.problem().unwrap_or_default();
            zh.push_str(&format!(
                "。注意：该备份的报送档案校验未通过（{why_zh}），已按确认强制恢复并记入审计日志"
            ));
            en.push_str(&format!(
                ". Warning: the backup's submission archive does not verify ({why_en}); it was restored as confirmed, and the audit log records it"
            ));
        }
        Ok(RestoreResult {
            status: self.status()?,
            forced: report.forced,
            archive: verification_dto(&report.archive),
            carried,
            pre_restore: report.pre_restore.map(|p| p.display().to_string()),
            message_zh: zh,
            message_en: en,
        })
    }
}

#[cfg(test)]
mod tests;
