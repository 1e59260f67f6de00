//! Restoring a backup (恢复): the whole database is replaced by an older copy, except what must
//! outlive it.
//!
//! - The restore holds the submission lease (`lease.rs`), so it never runs while this or another
//!   program is submitting; the lease the backup may carry (of a run going on when it was taken)
//!   is dropped.
//! - The backup's whole schema must be that of its version (`store::schema`: every table and
//!   column, index, trigger and view, compared by name and normalised SQL with what migrations
//!   1 to N build): a file with a dropped audit trigger, an added trigger or an altered index is
//!   refused with every difference named, unless the clerk confirms (`force`).
//! - The backup's archive must verify (`store::archive::verify` on the checked copy): a file whose
//!   chain or accepted records were altered is refused with the first bad entry or record, unless
//!   the clerk confirms (`force`). A forced restore is recorded in the audit log of the restored
//!   database, with what it was forced past.
//! - The serial ledger of the replaced data is carried forward (`store::Carried`): every series
//!   keeps its highest next number and every range issued since the backup stays, so a serial
//!   printed before the restore is never issued again and its reprint, void and export still work.

use crate::messages::Msg;
use std::path::Path;

use store::{RestoreOutcome, RestoreRefusal};

use crate::archive::verification_dto;
use crate::{ApiError, App, CarriedForward, RestoreResult, Result, SchemaProblem, paths};

/// How many schema differences a message lists; the audit log and `schema_problems` have all.
const SHOWN_DIFFERENCES: usize = 5;

fn schema_problems(version: u32, differences: &[store::SchemaDifference]) -> Vec<SchemaProblem> {
    differences
        .iter()
        .map(|d| {
            let (zh, en) = d.describe(version);
            SchemaProblem {
                change: match d.change {
                    store::Change::Missing => "missing",
                    store::Change::Extra => "extra",
                    store::Change::Changed => "changed",
                }
                .into(),
                object: d.object.clone(),
                name: d.name.clone(),
                table: d.table.clone(),
                message_zh: zh,
                message_en: en,
            }
        })
        .collect()
}

/// The differences as one Chinese and one English list, the first few of them.
fn listed(problems: &[SchemaProblem]) -> (String, String) {
    let shown = &problems[..problems.len().min(SHOWN_DIFFERENCES)];
    let mut zh = shown
        .iter()
        .map(|p| p.message_zh.as_str())
        .collect::<Vec<_>>()
        .join("；");
    let mut en = shown
        .iter()
        .map(|p| p.message_en.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    let more = problems.len() - shown.len();
    if more > 0 {
        zh.push_str(&format!("；另有 {more} 处"));
        en.push_str(&format!("; and {more} more"));
    }
    (zh, en)
}

/// The refusal of a backup whose schema differs from the schema of its version.
fn schema_refused(src: &Path, refusal: &RestoreRefusal) -> ApiError {
    let problems = schema_problems(refusal.schema_version, &refusal.schema);
    let (zh, en) = listed(&problems);
    Msg::BackupSchemaDiffers {
        src: src.to_path_buf(),
        schema_version: refusal.schema_version as i64,
        differences: problems.len(),
        zh,
        en,
    }
    .err()
}

/// The refusal of a backup whose archive does not verify.
fn archive_refused(src: &Path, v: &store::archive::Verification) -> ApiError {
    let (zh, en) = v.problem().unwrap_or_default();
    Msg::BackupArchiveUnverified {
        src: src.to_path_buf(),
        zh,
        en,
    }
    .err()
}

impl App {
    /// Replaces the live database with the backup at `src` (see the module comment). The current
    /// data is copied aside first, and nothing changes if `src` is not a healthy tracedesk
    /// database, if its archive does not verify and `force` is false, or if a submission is
    /// running.
    pub fn restore(&self, src: &Path, force: bool) -> Result<RestoreResult> {
        if !src.is_file() {
            return Err(Msg::BackupMissing {
                src: src.to_path_buf(),
            }
            .err());
        }
        let _lease = self.take_lease("restore")?;
        let outcome = self
            .db()
            .restore_with(src, force)
            .map_err(|e| paths::restore_error(src, e))?;
        let report = match outcome {
            RestoreOutcome::Refused(refusal) => {
                tracing::warn!(
                    schema_differences = refusal.schema.len(),
                    archive_ok = refusal.archive.as_ref().map(|v| v.ok),
                    "restore refused"
                );
                return Err(match &refusal.archive {
                    Some(v) if refusal.schema.is_empty() => archive_refused(src, v),
                    _ => schema_refused(src, &refusal),
                });
            }
            RestoreOutcome::Restored(report) => report,
        };
        let c = &report.carried;
        tracing::info!(
            forced = report.forced,
            schema = report.schema_version,
            series = c.series.len(),
            allocations = c.allocations.len(),
            "restored from a backup"
        );
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
        let problems = schema_problems(report.schema_version, &report.schema);
        if !problems.is_empty() {
            let (why_zh, why_en) = listed(&problems);
            zh.push_str(&format!(
                "。注意：该备份的数据库结构与第 {} 版不符（{why_zh}），已按确认强制恢复并记入审计日志",
                report.schema_version
            ));
            en.push_str(&format!(
                ". Warning: the backup's database schema does not match schema version {} ({why_en}); it was restored as confirmed, and the audit log records it",
                report.schema_version
            ));
        }
        if let Some((why_zh, why_en)) = report.archive.problem() {
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
            schema_version: report.schema_version,
            schema_problems: problems,
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
