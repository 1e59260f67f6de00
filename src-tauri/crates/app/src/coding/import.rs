//! Ecode and 数字身份码 are issued by their platforms (domain.md §B, §C): the clerk downloads the
//! list of issued codes and imports it here, bound to the product (一品一码), a batch (一批一码) or,
//! one code per item, to the items of a batch (一物一码). All or nothing: a list with any wrong
//! line imports nothing and says which lines to fix.

use crate::messages::Msg;
use std::collections::HashSet;
use std::path::Path;

use codes::CodeKind;
use store::ledger::{self, NewTraceCode};

use super::{Coder, read_code_list, scheme_zh};
use crate::entries::{to_ymd, today};
use crate::{
    App, CodeScheme, Granularity, ImportCodeProblem, ImportCodesInput, ImportCodesReport,
    ProblemSeverity, Result,
};

/// Most codes one list may hold.
const MAX_CODES: usize = 1_000_000;

fn problem(
    line: u32,
    code: &str,
    zh: impl Into<String>,
    en: impl Into<String>,
) -> ImportCodeProblem {
    ImportCodeProblem {
        line,
        code: code.to_owned(),
        severity: ProblemSeverity::Error,
        message_zh: zh.into(),
        message_en: en.into(),
    }
}

impl App {
    /// Imports a list of Ecodes or 数字身份码 issued by the platform and binds them per the
    /// product's granularity.
    pub fn import_issued_codes(&self, input: &ImportCodesInput) -> Result<ImportCodesReport> {
        let coder = Coder::load(self.db().conn(), input.product_id, input.batch_id)?;
        let scheme = match coder.scheme {
            CodeScheme::Gs1 => {
                return Err(Msg::Gs1CodesNotImported.err());
            }
            CodeScheme::Ecode => CodeKind::Ecode,
            CodeScheme::DigitalId => CodeKind::DigitalId,
        };
        let lines = read_code_list(Path::new(input.path.trim()))?;
        let today = to_ymd(today());
        let mut problems = Vec::new();
        let mut seen = HashSet::new();
        let batch_id = coder.batch.as_ref().map(|b| b.id);
        if lines.len() > MAX_CODES {
            problems.push(problem(
                0,
                "",
                format!("一次最多导入 {MAX_CODES} 个码，请拆分文件"),
                format!("at most {MAX_CODES} codes per list; split the file"),
            ));
        }
        let expected = match coder.granularity {
            Granularity::Item => None,
            _ => Some(1usize),
        };
        if let Some(n) = expected
            && lines.len() != n
        {
            problems.push(problem(
                0,
                "",
                format!(
                    "“{}”按{}赋码，应导入正好 1 个码，文件中有 {} 个",
                    coder.product.fields.name,
                    super::granularity_zh(coder.granularity),
                    lines.len()
                ),
                format!(
                    "{:?} is coded per {}: import exactly 1 code, the file has {}",
                    coder.product.fields.name,
                    coder.granularity.as_str(),
                    lines.len()
                ),
            ));
        }
        {
            let db = self.db();
            let conn = db.conn();
            if expected.is_some()
                && ledger::count_trace_codes(conn, coder.product.id, batch_id)? > 0
            {
                problems.push(problem(
                    0,
                    "",
                    format!(
                        "此{}已有追溯码，不能再导入",
                        if batch_id.is_some() {
                            "批次"
                        } else {
                            "产品"
                        }
                    ),
                    format!(
                        "this {} already has its code",
                        if batch_id.is_some() {
                            "batch"
                        } else {
                            "product"
                        }
                    ),
                ));
            }
            for (line, code) in &lines {
                let report = codes::check_as(code, scheme, today);
                if let Some(p) = report.problems.iter().find(|p| p.is_error()) {
                    problems.push(problem(
                        *line,
                        code,
                        p.message.zh.clone(),
                        p.message.en.clone(),
                    ));
                    continue;
                }
                if !seen.insert(code.clone()) {
                    problems.push(problem(
                        *line,
                        code,
                        format!("第 {line} 行的码在文件中重复出现"),
                        format!("line {line}: the code appears twice in the file"),
                    ));
                    continue;
                }
                if let Some(existing) = ledger::trace_code_by_text(conn, code)? {
                    problems.push(problem(
                        *line,
                        code,
                        format!("第 {line} 行的码已导入过（追溯码编号 {}）", existing.id),
                        format!(
                            "line {line}: the code was imported before (trace code #{})",
                            existing.id
                        ),
                    ));
                }
            }
        }
        if lines.is_empty() && problems.is_empty() {
            problems.push(problem(
                0,
                "",
                format!("文件中没有{}", scheme_zh(coder.scheme)),
                "the file holds no codes",
            ));
        }
        if !problems.is_empty() {
            return Ok(ImportCodesReport {
                imported: 0,
                lines: lines.len() as u64,
                problems,
            });
        }
        let note = format!(
            "导入 {} 个{}（{}）",
            lines.len(),
            scheme_zh(coder.scheme),
            input.path.trim()
        );
        let granularity = coder.granularity;
        let scheme_text = coder.scheme.as_str();
        let product_id = coder.product.id;
        self.db().bulk_write(&note, |tx| {
            for (_, code) in &lines {
                let item_id = match (granularity, batch_id) {
                    (Granularity::Item, Some(batch)) => {
                        Some(ledger::insert_item(tx, batch, code, "active")?)
                    }
                    _ => None,
                };
                ledger::insert_trace_code(
                    tx,
                    &NewTraceCode {
                        code,
                        scheme: scheme_text,
                        granularity: granularity.as_str(),
                        product_id,
                        batch_id,
                        item_id,
                        status: "active",
                    },
                )?;
            }
            Ok(())
        })?;
        Ok(ImportCodesReport {
            imported: lines.len() as u64,
            lines: lines.len() as u64,
            problems: Vec::new(),
        })
    }
}
