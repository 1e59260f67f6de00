//! `tracedesk code …` (check, generate, void, reprint, import, settings) and `tracedesk label`:
//! trace codes and label sheets from the command line.

use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, Subcommand, ValueEnum};
use serde_json::{Map, Value, json};

use crate::label_args::{LabelArgs, LabelFormat, pair, symbology_of};
use crate::output::{self, Out};
use crate::{Cli, open};

#[derive(Debug, Subcommand)]
pub enum CodeCommand {
    /// 检查一个码：识别方案，列出字段或每一处错误（有效退出 0，无效退出 1）
    /// check a code: its scheme and fields, or every problem (exit 0 valid, 1 invalid)
    Check {
        /// 码，可含扫码枪发送的 ]d2 前缀和 GS 分隔符 the code, scanner prefix and GS included
        text: String,
    },
    /// 按产品的方案和粒度生成追溯码清单（CSV 或 xlsx）
    /// generate codes into a list (CSV or xlsx) in the product's scheme, granularity and form
    Generate(GenerateArgs),
    /// 作废一个码 void a code
    Void(EventArgs),
    /// 登记补打一个码 log a reprint of a code
    Reprint(EventArgs),
    /// 导入平台发放的 Ecode / 数字身份码清单 import codes issued by the Ecode / 数字身份码 platform
    Import(ImportArgs),
    /// 查看或修改产品的赋码设置 show or change a product's coding settings
    Settings(SettingsArgs),
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// 产品编号或 GTIN product id or GTIN
    #[arg(long)]
    product: String,
    /// 批号（没有则按今天新建该批次）lot number (a missing batch is created, produced today)
    #[arg(long)]
    batch: Option<String>,
    /// 数量 how many codes
    #[arg(long)]
    count: u64,
    /// 输出文件 .csv 或 .xlsx output file
    #[arg(long)]
    out: PathBuf,
}

#[derive(Debug, Args)]
pub struct EventArgs {
    /// 码 the code (any form: element string, Digital Link, scanner data)
    code: String,
    /// 原因 reason
    #[arg(long)]
    reason: String,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// 产品编号 product id
    #[arg(long)]
    product: String,
    /// 批号 lot number (一批一码 / 一物一码)
    #[arg(long)]
    batch: Option<String>,
    /// 码清单：文本或 CSV，每行一个码 a text or CSV file, one code per line
    file: PathBuf,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Form {
    ElementString,
    DigitalLink,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Serials {
    Sequential,
    Random,
}

#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// 产品编号或 GTIN product id or GTIN
    #[arg(long)]
    product: String,
    /// 码的写法 how GS1 codes are written
    #[arg(long, value_enum)]
    form: Option<Form>,
    /// Digital Link 域名 stem, e.g. https://id.gs1.org
    #[arg(long)]
    stem: Option<String>,
    /// 序列号方式 serials
    #[arg(long, value_enum)]
    serials: Option<Serials>,
    /// 顺序序列号规则 pattern, e.g. "{seq:08}" or "A{yyMMdd}{seq:06}"
    #[arg(long)]
    pattern: Option<String>,
    /// 随机序列号长度 random serial length (8-20)
    #[arg(long)]
    random_length: Option<u32>,
    /// 一物一码也带批号 (10): yes/no
    #[arg(long)]
    item_with_lot: Option<bool>,
    /// 带生产日期 (11): yes/no
    #[arg(long)]
    production_date: Option<bool>,
}

/// `tracedesk code check --json`: `{"valid", "scheme", "fields", "problems": [{"ai"?,
/// "position"?, "message"}], "alternative"?, "suggestion"?}`, the message in both languages on
/// one line; `alternative` and `suggestion` only when there is one.
fn check_json(check: &app::CodeCheck) -> Value {
    let problems: Vec<Value> = check
        .problems
        .iter()
        .map(|p| {
            let mut o = Map::new();
            if let Some(ai) = &p.ai {
                o.insert("ai".into(), json!(ai));
            }
            if let Some(position) = p.position {
                o.insert("position".into(), json!(position));
            }
            o.insert(
                "message".into(),
                json!(format!("{}（{}）", p.message_zh, p.message_en)),
            );
            Value::Object(o)
        })
        .collect();
    let mut body = json!({
        "valid": check.valid,
        "scheme": check.scheme,
        "fields": check.fields,
        "problems": problems,
    });
    for (key, value) in [
        ("alternative", &check.alternative),
        ("suggestion", &check.suggestion),
    ] {
        if let Some(value) = value {
            body[key] = json!(value);
        }
    }
    body
}

fn check_text(text: &str, check: &app::CodeCheck) -> String {
    let shown = text.replace('\u{1d}', "<GS>");
    let mut out = format!(
        "{}  {}\n  方案 scheme: {}",
        if check.valid {
            "有效 VALID"
        } else {
            "无效 INVALID"
        },
        shown,
        check.scheme
    );
    for (key, value) in &check.fields {
        let label = if key.bytes().all(|b| b.is_ascii_digit()) {
            format!("({key})")
        } else {
            key.clone()
        };
        out.push_str(&format!("\n  {label:<10} {value}"));
    }
    for p in &check.problems {
        let tag = match p.severity {
            app::ProblemSeverity::Error => "错误 error",
            app::ProblemSeverity::Warning => "提示 warning",
        };
        out.push_str(&format!(
            "\n  - {tag}: {}\n    {}",
            p.message_zh, p.message_en
        ));
    }
    if let Some(alternative) = &check.alternative {
        out.push_str(&format!("\n  也可能是 could also be: {alternative}"));
    }
    if let Some(suggestion) = &check.suggestion {
        out.push_str(&format!("\n  建议改为 suggested fix: {suggestion}"));
    }
    out
}

/// A product given as an id or a GTIN.
fn product_id(app: &app::App, reference: &str) -> app::Result<i64> {
    Ok(app.find_product(reference)?.product_id)
}

pub fn run(cli: &Cli, out: &Out, command: &CodeCommand) -> app::Result<i32> {
    match command {
        CodeCommand::Check { text } => {
            let catalogues = app::catalogues::Catalogues::load(&crate::config(cli).data_dir);
            let check = app::coding::check_code_in(&catalogues, text);
            if out.json() {
                output::line(
                    &serde_json::to_string_pretty(&check_json(&check)).unwrap_or_default(),
                );
            } else {
                output::line(&check_text(text, &check));
            }
            Ok(if check.valid { 0 } else { 1 })
        }
        CodeCommand::Generate(a) => {
            let app = open(cli)?;
            let product = app.find_product(&a.product)?;
            let mut created = false;
            let batch_id = match &a.batch {
                Some(lot) => {
                    let (batch, new) =
                        app.coding_batch_by_lot(product.product_id, lot, Some(a.count as f64))?;
                    created = new;
                    Some(batch.id)
                }
                None => None,
            };
            let input = app::CodeGenerateInput {
                product_id: product.product_id,
                batch_id,
                count: a.count,
                path: a.out.display().to_string(),
                format: None,
                job_id: None,
            };
            let started = Instant::now();
            let mut last_shown = Instant::now();
            let interactive = !out.json() && std::io::IsTerminal::is_terminal(&std::io::stderr());
            let summary = app.generate_codes(&input, &mut |p| {
                if interactive && last_shown.elapsed().as_millis() > 250 {
                    last_shown = Instant::now();
                    output::progress(&format!("\r  {} / {}", p.done, p.total));
                }
            })?;
            if interactive {
                output::progress("\r");
            }
            out.value(&summary, || {
                let mut text = String::new();
                if created {
                    text.push_str(&format!(
                        "批次 {} 不存在，已按今天的日期新建（数量 {}，检验待定）Batch created\n",
                        a.batch.as_deref().unwrap_or(""),
                        a.count
                    ));
                }
                text.push_str(&format!(
                    "已生成 {} 个码 Generated {} codes → {}\n  产品 product: {} ({})",
                    summary.count,
                    summary.count,
                    summary.path,
                    product.name,
                    granularity_text(summary.granularity)
                ));
                if let Some(first) = &summary.first_code {
                    text.push_str(&format!("\n  第一个 first: {first}"));
                }
                if let Some(last) = &summary.last_code {
                    text.push_str(&format!("\n  最后一个 last:  {last}"));
                }
                text.push_str(&format!(
                    "\n  用时 took {:.0} ms",
                    started.elapsed().as_secs_f64() * 1000.0
                ));
                text
            });
            Ok(0)
        }
        CodeCommand::Void(a) | CodeCommand::Reprint(a) => {
            let app = open(cli)?;
            let input = app::CodeEventInput {
                code: a.code.clone(),
                reason: a.reason.clone(),
            };
            let event = if matches!(command, CodeCommand::Void(_)) {
                app.void_code(&input)?
            } else {
                app.reprint_code(&input)?
            };
            out.value(&event, || {
                format!(
                    "{} {}\n  产品 product: {}{}\n  原因 reason: {}\n  操作人 by: {}  {}",
                    match event.kind {
                        app::CodeEventKind::Void => "已作废 Voided",
                        app::CodeEventKind::Reprint => "已登记补打 Reprint logged",
                    },
                    event.code.replace('\u{1d}', "<GS>"),
                    event.product_name,
                    event
                        .lot_no
                        .as_deref()
                        .map(|l| format!("  批号 lot: {l}"))
                        .unwrap_or_default(),
                    event.reason,
                    event.actor,
                    event.at
                )
            });
            Ok(0)
        }
        CodeCommand::Import(a) => {
            let app = open(cli)?;
            let product = product_id(&app, &a.product)?;
            let batch_id = match &a.batch {
                Some(lot) => Some(app.coding_batch_by_lot(product, lot, None)?.0.id),
                None => None,
            };
            let report = app.import_issued_codes(&app::ImportCodesInput {
                product_id: product,
                batch_id,
                path: a.file.display().to_string(),
            })?;
            out.value(&report, || {
                let mut text = if report.problems.is_empty() {
                    format!(
                        "已导入 {} 个码 Imported {} codes",
                        report.imported, report.imported
                    )
                } else {
                    format!(
                        "未导入：{} 处问题，请改正后重新导入 Nothing imported: {} problems",
                        report.problems.len(),
                        report.problems.len()
                    )
                };
                for p in &report.problems {
                    text.push_str(&format!(
                        "\n  第 {} 行 line {}: {} / {}",
                        p.line, p.line, p.message_zh, p.message_en
                    ));
                }
                text
            });
            Ok(if report.problems.is_empty() { 0 } else { 1 })
        }
        CodeCommand::Settings(a) => {
            let app = open(cli)?;
            let current = app.find_product(&a.product)?;
            let changed = a.form.is_some()
                || a.stem.is_some()
                || a.serials.is_some()
                || a.pattern.is_some()
                || a.random_length.is_some()
                || a.item_with_lot.is_some()
                || a.production_date.is_some();
            let coding = if changed {
                app.save_product_coding(
                    current.product_id,
                    &app::ProductCodingInput {
                        granularity: None,
                        code_form: match a.form {
                            Some(Form::ElementString) => app::CodeForm::ElementString,
                            Some(Form::DigitalLink) => app::CodeForm::DigitalLink,
                            None => current.code_form,
                        },
                        dl_stem: a.stem.clone().unwrap_or(current.dl_stem.clone()),
                        serial_mode: match a.serials {
                            Some(Serials::Sequential) => app::SerialMode::Sequential,
                            Some(Serials::Random) => app::SerialMode::Random,
                            None => current.serial_mode,
                        },
                        serial_pattern: a.pattern.clone().unwrap_or(current.serial_pattern.clone()),
                        random_length: a.random_length.unwrap_or(current.random_length),
                        item_with_lot: a.item_with_lot.unwrap_or(current.item_with_lot),
                        with_production_date: a
                            .production_date
                            .unwrap_or(current.with_production_date),
                        shelf_life_days: current.shelf_life_days,
                    },
                )?
            } else {
                current
            };
            out.value(&coding, || {
                format!(
                    "{} {}  GTIN {}\n  方案 scheme: {}  粒度 granularity: {}\n  写法 form: {}  Digital Link: {}\n  序列号 serials: {}  规则 pattern: {}  随机长度 random length: {}\n  已发码 issued: {}",
                    coding.name,
                    coding.model,
                    coding.gtin.as_deref().unwrap_or("-"),
                    coding.scheme.as_str(),
                    granularity_text(coding.granularity),
                    coding.code_form.as_str(),
                    coding.dl_stem,
                    coding.serial_mode.as_str(),
                    coding.serial_pattern,
                    coding.random_length,
                    coding.issued
                )
            });
            Ok(0)
        }
    }
}

fn granularity_text(g: app::Granularity) -> String {
    format!("{} {}", g.zh(), g.en())
}

pub fn label(cli: &Cli, out: &Out, a: &LabelArgs) -> app::Result<i32> {
    let printing = a.profile.is_some() || a.printer.is_some() || a.dpi.is_some();
    let format = a.format.unwrap_or(if printing {
        LabelFormat::Zpl // replaced by the profile's language below
    } else {
        LabelFormat::Pdf
    });
    match (a.format, format) {
        (_, LabelFormat::Csv | LabelFormat::Xlsx) => {
            return crate::printer::label_data(cli, out, a);
        }
        (None, _) if printing => return crate::printer::print(cli, out, a, None),
        (_, LabelFormat::PdfLabel | LabelFormat::Zpl | LabelFormat::Tspl) => {
            return crate::printer::print(cli, out, a, Some(format));
        }
        _ => {}
    }
    let (label_width_mm, label_height_mm) = pair::<f32>(
        a.label_size.as_deref().unwrap_or("50x30"),
        "标签尺寸",
        "the label size",
    )?;
    let (cols, rows) = pair::<u32>(&a.grid, "每页标签数", "the grid")?;
    // The font is looked for first, so a machine without one fails with that message, not later.
    app::labels::find_cjk_font(a.font.as_deref())?;
    let app = open(cli)?;
    let result = app.label_sheet(&app::LabelSheetInput {
        allocation_id: None,
        input_path: a.input_path(),
        codes: Vec::new(),
        symbology: symbology_of(a.symbology),
        label_width_mm,
        label_height_mm,
        cols,
        rows,
        margin_mm: a.margin,
        path: a.out_path(),
        font_path: a.font_path(),
    })?;
    out.value(&result, || {
        format!(
            "已写出 {} 张标签，共 {} 页 Wrote {} labels on {} pages → {}\n  字体 font: {}",
            result.labels, result.pages, result.labels, result.pages, result.path, result.font
        )
    });
    Ok(0)
}
