//! `tracedesk import`, `tracedesk import undo|list` and `tracedesk template`.
//!
//! Exit codes of `import FILE`: 0 when rows were imported (or, with `--dry-run`, would be; also
//! when every row was already on record), 1 when errors kept the rows from being imported, 2 when
//! the file cannot be read (not a spreadsheet, damaged, password-protected, over the limits), or
//! a `--map` / `--mapping-file` names a header the sheet does not have or a field the kind does
//! not have.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use serde_json::Value;

use crate::output::Out;
use crate::{Cli, open};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Kind {
    /// 产品信息
    Product,
    /// 供应商与客户
    Party,
    /// 进货查验
    Receipt,
    /// 生产批次
    Batch,
    /// 一物一码单品
    Item,
    /// 销售出库
    Shipment,
}

impl From<Kind> for app::ImportKind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::Product => app::ImportKind::Product,
            Kind::Party => app::ImportKind::Party,
            Kind::Receipt => app::ImportKind::Receipt,
            Kind::Batch => app::ImportKind::Batch,
            Kind::Item => app::ImportKind::Item,
            Kind::Shipment => app::ImportKind::Shipment,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OnError {
    /// 有任何错误就不导入 import nothing if any row has an error
    Abort,
    /// 只导入没有错误的行 import only the rows without errors
    Skip,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ImportArgs {
    #[command(subcommand)]
    command: Option<ImportCommand>,
    /// 要导入的 Excel/WPS/CSV 文件 the xlsx/xlsm/xlsb/xls/ods/csv file
    #[arg(required = true)]
    file: Option<PathBuf>,
    /// 记录类型 record kind
    #[arg(long, value_enum, required = true)]
    kind: Option<Kind>,
    /// 工作表名称 [默认：第一个可见的工作表] sheet name [default: the first visible sheet]
    #[arg(long)]
    sheet: Option<String>,
    /// 表头所在行（Excel 行号） [默认：自动识别] the header's Excel row [default: found automatically]
    #[arg(long, value_name = "N")]
    header_row: Option<u32>,
    /// 只检查，不写入 check only, write nothing
    #[arg(long)]
    dry_run: bool,
    /// 有错误的行如何处理 what rows with errors do
    #[arg(long, value_enum, default_value = "abort")]
    on_error: OnError,
    /// 自动新建未登记的供应商、客户、产品（一物一码：还有批次） create unknown suppliers, customers, products (items: batches)
    #[arg(long)]
    create_missing: bool,
    /// 指定列对应“表头=栏目”，可重复；栏目留空则该列不导入 map a header to a field, e.g. '判定=inspection_result' (repeatable; an empty field leaves the column out)
    #[arg(long = "map", value_name = "HEADER=FIELD")]
    map: Vec<String>,
    /// 列对应文件：JSON 对象 {"表头": "栏目"} a JSON object header → field (null: not imported)
    #[arg(long, value_name = "M.json")]
    mapping_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum ImportCommand {
    /// 撤销一次导入（删除它新建的全部记录） undo an import: delete every record it created
    Undo {
        /// 导入编号（见 import list） the run id (see `import list`)
        run_id: i64,
    },
    /// 最近的导入 recent imports, newest first
    List {
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// 记录类型 record kind
    #[arg(long, value_enum)]
    kind: Kind,
    /// 保存到 [默认：当前目录下的“…导入模板.xlsx”] where to write [default: the template's name in the current folder]
    #[arg(long, value_name = "FILE.xlsx")]
    out: Option<PathBuf>,
}

fn bad_mapping(zh: String, en: String) -> app::ApiError {
    let mut e = app::ApiError::new(app::ErrorCode::InvalidInput, zh, en);
    e.field = Some("mapping".into());
    e
}

/// The column choices of `--mapping-file` then `--map` (a later choice for the same header wins).
fn column_choices(args: &ImportArgs) -> app::Result<Vec<(String, Option<String>)>> {
    let mut choices: Vec<(String, Option<String>)> = Vec::new();
    let mut choose = |header: &str, field: Option<&str>| {
        let field = field
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(str::to_owned);
        choices.retain(|(h, _)| h != header);
        choices.push((header.to_owned(), field));
    };
    if let Some(path) = &args.mapping_file {
        let text = std::fs::read_to_string(path).map_err(|e| {
            bad_mapping(
                format!("无法读取列对应文件 {}：{e}", path.display()),
                format!("cannot read the mapping file {}: {e}", path.display()),
            )
        })?;
        let not_object = || {
            bad_mapping(
                format!(
                    "列对应文件 {} 应为 JSON 对象，如 {{\"判定\": \"inspection_result\"}}（表头 → 栏目，null 表示不导入）",
                    path.display()
                ),
                format!(
                    "the mapping file {} must be a JSON object such as {{\"判定\": \"inspection_result\"}} (header → field, null: not imported)",
                    path.display()
                ),
            )
        };
        let value: Value = serde_json::from_str(&text).map_err(|_| not_object())?;
        for (header, field) in value.as_object().ok_or_else(not_object)? {
            match field {
                Value::String(f) => choose(header, Some(f)),
                Value::Null => choose(header, None),
                _ => return Err(not_object()),
            }
        }
    }
    for pair in &args.map {
        let Some((header, field)) = pair.rsplit_once('=') else {
            return Err(bad_mapping(
                format!(
                    "--map 应写成“表头=栏目”，如 --map '判定=inspection_result'，实际为“{pair}”"
                ),
                format!(
                    "--map takes HEADER=FIELD, e.g. --map '判定=inspection_result'; got {pair:?}"
                ),
            ));
        };
        if header.trim().is_empty() {
            return Err(bad_mapping(
                format!("--map “{pair}”缺少表头"),
                format!("--map {pair:?} has no header"),
            ));
        }
        choose(header.trim(), Some(field));
    }
    Ok(choices)
}

/// What `import FILE --json` prints, borrowed from the outcome.
#[derive(serde::Serialize)]
struct ImportJson<'a> {
    sheet: &'a str,
    header_row: Option<u32>,
    mapping: &'a serde_json::Map<String, Value>,
    unmapped: &'a [&'a str],
    remembered: bool,
    rows_total: u32,
    rows_valid: u32,
    rows_imported: u32,
    rows_existing: u32,
    rows_invalid: u32,
    dry_run: bool,
    blocked: bool,
    run_id: Option<i64>,
    unknown: &'a [app::ImportUnknown],
    problems: Vec<ProblemJson<'a>>,
}

/// One row problem as `--json` prints it, borrowed from the outcome.
#[derive(serde::Serialize)]
struct ProblemJson<'a> {
    row: Option<u32>,
    column: &'a Option<String>,
    field: &'a Option<String>,
    severity: app::ProblemSeverity,
    code: &'a str,
    message: &'a str,
    message_en: &'a str,
    value: &'a Option<String>,
}

fn problem_json(p: &app::ImportProblem) -> ProblemJson<'_> {
    ProblemJson {
        row: p.row,
        column: &p.column,
        field: &p.field,
        severity: p.severity,
        code: &p.code,
        message: &p.message_zh,
        message_en: &p.message_en,
        value: &p.value,
    }
}

fn run_line(r: &app::ImportRun) -> String {
    let created: Vec<String> = r
        .created
        .iter()
        .map(|c| format!("{} {}", c.table, c.count))
        .collect();
    format!(
        "#{:<4} {}  {}  {} / {}  新增 imported {}，已存在 existing {}，跳过 skipped {}  [{}]  {}{}",
        r.id,
        r.created_at,
        r.kind.as_str(),
        r.file_name,
        r.sheet,
        r.rows_imported,
        r.rows_existing,
        r.rows_skipped,
        created.join(", "),
        match r.status {
            app::ImportRunStatus::Committed => "已导入 committed",
            app::ImportRunStatus::Undone => "已撤销 undone",
        },
        if r.can_undo {
            ""
        } else {
            "（不可撤销 cannot undo）"
        },
    )
}

pub fn import(cli: &Cli, out: &Out, args: &ImportArgs) -> app::Result<i32> {
    match &args.command {
        Some(ImportCommand::List { limit }) => {
            let runs = open(cli)?.import_runs(*limit)?;
            out.value(&runs, || {
                if runs.is_empty() {
                    "还没有导入记录 No imports yet".to_string()
                } else {
                    runs.iter().map(run_line).collect::<Vec<_>>().join("\n")
                }
            });
            Ok(0)
        }
        Some(ImportCommand::Undo { run_id }) => {
            let result = open(cli)?.import_undo(*run_id, &|_| {})?;
            out.value(&result, || {
                let deleted: Vec<String> = result
                    .deleted
                    .iter()
                    .map(|c| format!("{} {}", c.table, c.count))
                    .collect();
                let mut text = format!(
                    "已撤销第 {} 次导入 Import run {} undone; 删除 deleted: {}",
                    run_id,
                    run_id,
                    deleted.join(", ")
                );
                if !result.kept.is_empty() {
                    let kept: Vec<String> = result
                        .kept
                        .iter()
                        .map(|c| format!("{} {}", c.table, c.count))
                        .collect();
                    text.push_str(&format!(
                        "\n保留了已被其他记录使用的 kept, used by other records: {}",
                        kept.join(", ")
                    ));
                }
                text
            });
            Ok(0)
        }
        None => import_file(cli, out, args),
    }
}

fn import_file(cli: &Cli, out: &Out, args: &ImportArgs) -> app::Result<i32> {
    let (Some(file), Some(kind)) = (&args.file, args.kind) else {
        return Err(app::ApiError::new(
            app::ErrorCode::InvalidInput,
            "请给出要导入的文件和 --kind",
            "give the file to import and --kind",
        ));
    };
    let columns = column_choices(args)?;
    let app = open(cli)?;
    let options = app::ImportFileOptions {
        kind: kind.into(),
        sheet: args.sheet.clone(),
        header_row: args.header_row,
        dry_run: args.dry_run,
        mode: match args.on_error {
            OnError::Abort => app::ImportMode::All,
            OnError::Skip => app::ImportMode::ValidOnly,
        },
        create_missing: args.create_missing,
    };
    let outcome = app.import_file_mapped(file, &options, &columns, &|_| {})?;
    let report = &outcome.report;
    let mapping: serde_json::Map<String, Value> = report
        .columns
        .iter()
        .filter_map(|c| {
            let field = c.field.as_ref()?;
            let header = if c.header.is_empty() {
                c.column.clone()
            } else {
                c.header.clone()
            };
            Some((header, Value::String(field.clone())))
        })
        .collect();
    let unmapped: Vec<&str> = report
        .columns
        .iter()
        .filter(|c| c.field.is_none() && !c.header.is_empty())
        .map(|c| c.header.as_str())
        .collect();
    let body = || ImportJson {
        sheet: &report.sheet,
        header_row: report.header_row,
        mapping: &mapping,
        unmapped: &unmapped,
        remembered: report.remembered,
        rows_total: report.rows_total,
        rows_valid: report.rows_valid,
        rows_imported: outcome.rows_imported,
        rows_existing: report.rows_existing,
        rows_invalid: report.rows_invalid,
        dry_run: args.dry_run,
        blocked: outcome.blocked,
        run_id: outcome.run.as_ref().map(|r| r.id),
        unknown: &report.unknown,
        problems: outcome.problems.iter().map(problem_json).collect(),
    };
    out.lazy(body, || {
        let mut lines = vec![format!(
            "{} / {}：表头在第 {} 行 header row {}；共 {} 行 rows，无错误 valid {}，已存在 existing {}，有错误 invalid {}",
            report.file_name,
            report.sheet,
            report.header_row.map_or("-".into(), |r| r.to_string()),
            report.header_row.map_or("-".into(), |r| r.to_string()),
            report.rows_total,
            report.rows_valid,
            report.rows_existing,
            report.rows_invalid,
        )];
        if report.remembered {
            lines.push("  沿用上次的列对应 Mapping remembered from an earlier import".to_string());
        }
        if !unmapped.is_empty() {
            lines.push(format!(
                "  未导入的列 Columns not imported: {}",
                unmapped.join("、")
            ));
        }
        let errors: Vec<&app::ImportProblem> = outcome
            .problems
            .iter()
            .filter(|p| p.severity == app::ProblemSeverity::Error)
            .collect();
        for p in errors.iter().take(20) {
            lines.push(format!("  错误 {}", p.message_zh));
        }
        if errors.len() > 20 {
            lines.push(format!("  …… 另有 {} 个错误 more errors", errors.len() - 20));
        }
        lines.push(if outcome.blocked {
            "有错误，没有导入任何数据 Errors: nothing was imported (fix them, or use --on-error skip)".to_string()
        } else if args.dry_run {
            format!("试运行：将导入 {} 行 Dry run: {} rows would be imported", outcome.rows_imported, outcome.rows_imported)
        } else {
            match &outcome.run {
                Some(run) => format!(
                    "已导入 {} 行（导入编号 {}，可用 `tracedesk import undo {}` 撤销） Imported {} rows as run {}",
                    outcome.rows_imported, run.id, run.id, outcome.rows_imported, run.id
                ),
                None => "没有新数据：所有行都已在系统中 Nothing new: every row is already recorded".to_string(),
            }
        });
        lines.join("\n")
    });
    Ok(if outcome.blocked { 1 } else { 0 })
}

pub fn template(out: &Out, args: &TemplateArgs) -> app::Result<i32> {
    let kind: app::ImportKind = args.kind.into();
    let path = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(app::App::import_template_name(kind)));
    let written = app::App::import_template(kind, &path)?;
    out.value(&written, || {
        format!("已写出导入模板 Template written: {}", written.path)
    });
    Ok(0)
}
