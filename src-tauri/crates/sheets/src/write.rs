//! Writing xlsx: import templates built from the column table, and problem reports that copy the
//! sheet that was read with the bad cells marked.

use std::collections::HashMap;
use std::io::Write;
use std::ops::ControlFlow;
use std::path::Path;

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, ExcelDateTime, Format, FormatBorder,
    FormatPattern, Note, Workbook as XlsxWorkbook, Worksheet, XlsxError,
};

use crate::cell::{Cell, serial_to_date};
use crate::columns::{FieldType, Need, RecordKind, TEMPLATE_UNITS};
use crate::place::column_letter;
use crate::problem::{Problem, ReadError, Severity};
use crate::process::SheetRead;
use crate::safe;
use crate::workbook::Workbook;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot write the workbook: {0}")]
    Xlsx(#[from] XlsxError),
    #[error(transparent)]
    Read(#[from] ReadError),
}

impl WriteError {
    pub fn code(&self) -> &'static str {
        match self {
            WriteError::Xlsx(_) => "file.write-failed",
            WriteError::Read(e) => e.code(),
        }
    }

    pub fn message(&self) -> codes::Message {
        match self {
            WriteError::Xlsx(e) => codes::Message::new(
                format!(
                    "无法写出 Excel 文件（{e}）。请确认目标文件没有在 Excel 中打开、磁盘有空间，然后重试"
                ),
                format!("cannot write the workbook: {e}"),
            ),
            WriteError::Read(e) => e.message(),
        }
    }
}

const AUTHOR: &str = "追溯通";
/// Rows the template's dropdowns and formats cover (Excel's last row, 0-based).
const LAST_ROW: u32 = 1_048_575;

/// Writes the import template for `kind`: a header row with a note on every header, dropdowns
/// for enumerations and units, text format on code columns, one example row, a frozen header,
/// and a 填表说明 sheet describing every column.
pub fn template<W: Write + Send>(kind: RecordKind, out: W) -> Result<(), WriteError> {
    let mut wb = build_template(kind)?;
    wb.save_to_writer(out)?;
    Ok(())
}

pub fn template_to_path(kind: RecordKind, path: impl AsRef<Path>) -> Result<(), WriteError> {
    let mut wb = build_template(kind)?;
    wb.save(path.as_ref())?;
    Ok(())
}

/// The template file's suggested name, e.g. `生产批次导入模板.xlsx`.
pub fn template_file_name(kind: RecordKind) -> String {
    format!("{}导入模板.xlsx", kind.zh())
}

fn build_template(kind: RecordKind) -> Result<XlsxWorkbook, XlsxError> {
    let mut wb = XlsxWorkbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_border(FormatBorder::Thin)
        .set_text_wrap();
    let header_required = header.clone().set_font_color(Color::RGB(0xC00000));
    // Built-in format 49 is "@", Text: Excel keeps what is typed, leading zeros and all.
    let text = Format::new().set_num_format_index(49);
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let example_text = Format::new()
        .set_num_format_index(49)
        .set_font_color(Color::Gray)
        .set_italic();
    let example_date = Format::new()
        .set_num_format("yyyy-mm-dd")
        .set_font_color(Color::Gray)
        .set_italic();
    let example_plain = Format::new().set_font_color(Color::Gray).set_italic();

    let ws = wb.add_worksheet();
    ws.set_name(kind.zh())?;
    for (i, f) in kind.fields().iter().enumerate() {
        let col = i as u16;
        let (fmt_zh, _) = f.ty.format_hint();
        let fmt = if f.required() || matches!(f.need, Need::EitherOr(_)) {
            &header_required
        } else {
            &header
        };
        safe::write_text_with_format(ws, 0, col, f.zh, fmt)?;
        let note = Note::new(format!("{}\n【{}】{}", f.explain_zh, f.need_zh(), fmt_zh))
            .set_author(AUTHOR)
            .add_author_prefix(false)
            .set_width(260)
            .set_height(110);
        ws.insert_note(0, col, &note)?;
        let width = (f.zh.chars().count() as f64 * 2.2 + 4.0).max(14.0);
        ws.set_column_width(col, width)?;
        match f.ty {
            t if t.is_code() => {
                ws.set_column_format(col, &text)?;
            }
            FieldType::Date { .. } => {
                ws.set_column_format(col, &date)?;
            }
            _ => {}
        }
        let list: Option<(Vec<&str>, bool)> = match f.ty {
            FieldType::Enum(spec) => Some((spec.values.iter().map(|v| v.zh).collect(), true)),
            FieldType::Unit => Some((TEMPLATE_UNITS.to_vec(), false)),
            _ => None,
        };
        if let Some((values, strict)) = list {
            let mut dv = DataValidation::new()
                .allow_list_strings(&values)?
                .set_input_title(f.zh)?
                .set_input_message(if strict {
                    "请从下拉列表中选择"
                } else {
                    "可从下拉列表选择，也可填写其他单位"
                })?;
            if strict {
                dv = dv
                    .set_error_title("无效的值")?
                    .set_error_message(format!("请从下拉列表中选择：{}", values.join("、")))?;
            } else {
                dv = dv.set_error_style(DataValidationErrorStyle::Information);
            }
            ws.add_data_validation(1, col, LAST_ROW, col, &dv)?;
        }
        // The example row.
        match f.ty {
            FieldType::Date { .. } if !f.example.is_empty() => {
                if let Some(dt) = example_date_of(f.example) {
                    ws.write_datetime_with_format(1, col, &dt, &example_date)?;
                }
            }
            FieldType::Quantity => {
                if let Ok(n) = f.example.parse::<f64>() {
                    ws.write_number_with_format(1, col, n, &example_plain)?;
                }
            }
            t if t.is_code() => {
                safe::write_text_with_format(ws, 1, col, f.example, &example_text)?;
            }
            _ if !f.example.is_empty() => {
                safe::write_text_with_format(ws, 1, col, f.example, &example_plain)?;
            }
            _ => {}
        }
    }
    let example_note = Note::new("这一行是填写示例（灰色斜体），导入前请删除或直接覆盖。")
        .set_author(AUTHOR)
        .add_author_prefix(false);
    ws.insert_note(1, 0, &example_note)?;
    ws.set_freeze_panes(1, 0)?;

    let guide = wb.add_worksheet();
    write_guide(guide, kind)?;
    Ok(wb)
}

fn example_date_of(s: &str) -> Option<ExcelDateTime> {
    let d = crate::cell::parse_date_text(s).ok()?;
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day()).ok()
}

fn write_guide(ws: &mut Worksheet, kind: RecordKind) -> Result<(), XlsxError> {
    let title = Format::new().set_bold().set_font_size(14);
    let head = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_border(FormatBorder::Thin);
    let wrap = Format::new().set_text_wrap().set_border(FormatBorder::Thin);
    ws.set_name("填表说明")?;
    safe::write_text_with_format(ws, 0, 0, &format!("{}导入模板 填表说明", kind.zh()), &title)?;
    let general = [
        "1. 第一张表的第 1 行是表头，请勿修改列名；列的顺序可以调整，也可以在表头上方加标题行（表头须在前 30 行内）。",
        "2. 红色列名为必填列；灰色斜体的第 2 行是示例，导入前请删除或覆盖。",
        "3. 商品条码、统一社会信用代码、批号、序列号、单号等编号列已设为“文本”格式，请保持，以免 Excel 去掉开头的 0 或变成科学计数法。",
        "4. 日期请写成 2025-03-04（也可写 2025/3/4、2025年3月4日、20250304）；数量只填数字，单位填在“单位”列。",
        "5. 可以在表格右侧增加自己的备注列，导入时不会读取；“合计”行会被自动跳过。",
    ];
    for (i, line) in general.iter().enumerate() {
        safe::write_text(ws, 1 + i as u32, 0, line)?;
    }
    let start = 2 + general.len() as u32;
    let headers = [
        "列名",
        "英文名",
        "是否必填",
        "填写格式",
        "说明",
        "示例",
        "也可识别的列名",
    ];
    for (c, h) in headers.iter().enumerate() {
        safe::write_text_with_format(ws, start, c as u16, h, &head)?;
    }
    for (i, f) in kind.fields().iter().enumerate() {
        let r = start + 1 + i as u32;
        let (fmt_zh, _) = f.ty.format_hint();
        safe::write_text_with_format(ws, r, 0, f.zh, &wrap)?;
        safe::write_text_with_format(ws, r, 1, f.en, &wrap)?;
        safe::write_text_with_format(ws, r, 2, &f.need_zh(), &wrap)?;
        safe::write_text_with_format(ws, r, 3, &fmt_zh, &wrap)?;
        safe::write_text_with_format(ws, r, 4, f.explain_zh, &wrap)?;
        safe::write_text_with_format(ws, r, 5, f.example, &wrap)?;
        let synonyms: Vec<&str> = f.synonyms.iter().copied().filter(|s| *s != f.zh).collect();
        safe::write_text_with_format(ws, r, 6, &synonyms.join("、"), &wrap)?;
    }
    for (c, w) in [16.0, 18.0, 14.0, 36.0, 44.0, 22.0, 40.0]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
    }
    Ok(())
}

/// Writes a copy of the sheet `read` came from, with every cell that has a problem filled red
/// (error) or yellow (warning) and the message as its note, plus a 问题说明 column listing each
/// row's problems, and a 问题列表 sheet with every problem. Rows are streamed from `workbook`
/// into a constant-memory worksheet, so large sheets do not build up in memory.
pub fn problem_report<W: Write + Send>(
    workbook: &mut Workbook,
    read: &SheetRead,
    out: W,
) -> Result<(), WriteError> {
    let mut wb = build_problem_report(workbook, read)?;
    wb.save_to_writer(out)?;
    Ok(())
}

pub fn problem_report_to_path(
    workbook: &mut Workbook,
    read: &SheetRead,
    path: impl AsRef<Path>,
) -> Result<(), WriteError> {
    let mut wb = build_problem_report(workbook, read)?;
    wb.save(path.as_ref())?;
    Ok(())
}

fn build_problem_report(
    workbook: &mut Workbook,
    read: &SheetRead,
) -> Result<XlsxWorkbook, WriteError> {
    // Problems by row, and by (row, column).
    let mut by_row: HashMap<u32, Vec<&Problem>> = HashMap::new();
    for p in read.all_problems() {
        if let Some(r) = p.row {
            by_row.entry(r).or_default().push(p);
        }
    }
    let mut wb = XlsxWorkbook::new();
    let mut ws = wb.new_worksheet_with_constant_memory()?;
    let sheet_name: String = read
        .sheet
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    ws.set_name(if sheet_name.is_empty() {
        "Sheet1".to_string()
    } else {
        sheet_name
    })?;

    let red = Format::new()
        .set_pattern(FormatPattern::Solid)
        .set_background_color(Color::RGB(0xFFC7CE));
    let yellow = Format::new()
        .set_pattern(FormatPattern::Solid)
        .set_background_color(Color::RGB(0xFFEB9C));
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    let red_date = red.clone().set_num_format("yyyy-mm-dd");
    let yellow_date = yellow.clone().set_num_format("yyyy-mm-dd");
    let wrap = Format::new().set_text_wrap();
    let header_fmt = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xFFC7CE))
        .set_border(FormatBorder::Thin);

    // The 问题说明 column goes right of the widest mapped or header column we know of.
    let mut last_col: u16 = read
        .mapping
        .as_ref()
        .map_or(0, |m| m.columns.len().saturating_sub(1) as u16);
    workbook.stream_rows(&read.sheet, None, &mut |raw| {
        if let Some((c, _)) = raw.cells.last() {
            last_col = last_col.max(*c);
        }
        ControlFlow::Break(())
    })?;
    let problem_col = last_col.saturating_add(1).max(1);
    let header_row = read.header_row;

    let mut write_error: Option<XlsxError> = None;
    workbook.stream_rows(&read.sheet, None, &mut |raw| {
        let r = raw.row - 1;
        let problems = by_row.get(&raw.row);
        let result = (|| -> Result<(), XlsxError> {
            // Cells, marked where a problem points at them.
            for (col, cell) in &raw.cells {
                let letter = column_letter(*col);
                let here: Vec<&&Problem> = problems
                    .map(|ps| {
                        ps.iter()
                            .filter(|p| p.column.as_deref() == Some(letter.as_str()))
                            .collect()
                    })
                    .unwrap_or_default();
                let severity = here.iter().map(|p| p.severity).min();
                let (fmt, dfmt) = match severity {
                    Some(Severity::Error) => (Some(&red), &red_date),
                    Some(Severity::Warning) => (Some(&yellow), &yellow_date),
                    None => (None, &date_fmt),
                };
                write_cell(&mut ws, r, *col, cell, fmt, dfmt)?;
                if !here.is_empty() {
                    let text = here
                        .iter()
                        .map(|p| p.message.zh.as_str())
                        .collect::<Vec<_>>()
                        .join("\n");
                    ws.insert_note(
                        r,
                        *col,
                        &Note::new(text)
                            .set_author(AUTHOR)
                            .add_author_prefix(false)
                            .set_width(300)
                            .set_height(120),
                    )?;
                }
            }
            // Problems on cells the row does not have (blank required cells) get a marked blank.
            if let Some(ps) = problems {
                for p in ps.iter() {
                    let Some(col) = p.column.as_deref().and_then(crate::place::column_index) else {
                        continue;
                    };
                    if raw.cells.iter().any(|(c, _)| *c == col) {
                        continue;
                    }
                    let fmt = if p.is_error() { &red } else { &yellow };
                    ws.write_blank(r, col, fmt)?;
                    ws.insert_note(
                        r,
                        col,
                        &Note::new(p.message.zh.clone())
                            .set_author(AUTHOR)
                            .add_author_prefix(false),
                    )?;
                }
                let text = ps
                    .iter()
                    .map(|p| p.message.zh.as_str())
                    .collect::<Vec<_>>()
                    .join("\n");
                safe::write_text_with_format(&mut ws, r, problem_col, &text, &wrap)?;
            }
            if Some(raw.row) == header_row {
                safe::write_text_with_format(&mut ws, r, problem_col, "问题说明", &header_fmt)?;
            }
            Ok(())
        })();
        match result {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                write_error = Some(e);
                ControlFlow::Break(())
            }
        }
    })?;
    if let Some(e) = write_error {
        return Err(e.into());
    }
    ws.set_column_width(problem_col, 60)?;
    if let Some(h) = header_row {
        ws.set_freeze_panes(h, 0)?;
    }
    wb.push_worksheet(ws);

    // Every problem in one list, sheet-level first.
    let mut list = wb.new_worksheet_with_constant_memory()?;
    list.set_name("问题列表")?;
    let head = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7));
    for (c, h) in ["级别", "行", "列", "列名", "问题代码", "原始内容", "说明"]
        .iter()
        .enumerate()
    {
        safe::write_text_with_format(&mut list, 0, c as u16, h, &head)?;
    }
    let mut all: Vec<&Problem> = read.all_problems().collect();
    all.sort_by_key(|p| (p.row.unwrap_or(0), p.severity));
    for (i, p) in all.iter().enumerate() {
        let r = 1 + i as u32;
        safe::write_text(&mut list, r, 0, if p.is_error() { "错误" } else { "提示" })?;
        if let Some(row) = p.row {
            list.write_number(r, 1, row)?;
        }
        safe::write_text(&mut list, r, 2, p.column.as_deref().unwrap_or_default())?;
        safe::write_text(&mut list, r, 3, p.header.as_deref().unwrap_or_default())?;
        safe::write_text(&mut list, r, 4, p.code.as_str())?;
        safe::write_text(&mut list, r, 5, p.value.as_deref().unwrap_or_default())?;
        safe::write_text(&mut list, r, 6, p.message.zh.as_str())?;
    }
    for (c, w) in [6.0, 8.0, 6.0, 16.0, 24.0, 20.0, 90.0].iter().enumerate() {
        list.set_column_width(c as u16, *w)?;
    }
    wb.push_worksheet(list);
    Ok(wb)
}

fn write_cell(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    cell: &Cell,
    fmt: Option<&Format>,
    date_fmt: &Format,
) -> Result<(), XlsxError> {
    match (cell, fmt) {
        (Cell::Text(s) | Cell::Error(s), Some(f)) => safe::write_text_with_format(ws, r, c, s, f),
        (Cell::Text(s) | Cell::Error(s), None) => safe::write_text(ws, r, c, s),
        (Cell::Float(n), Some(f)) => ws.write_number_with_format(r, c, *n, f).map(drop),
        (Cell::Float(n), None) => ws.write_number(r, c, *n).map(drop),
        (Cell::Int(n), Some(f)) => ws.write_number_with_format(r, c, *n as f64, f).map(drop),
        (Cell::Int(n), None) => ws.write_number(r, c, *n as f64).map(drop),
        (Cell::Bool(b), Some(f)) => ws.write_boolean_with_format(r, c, *b, f).map(drop),
        (Cell::Bool(b), None) => ws.write_boolean(r, c, *b).map(drop),
        (Cell::DateTime { serial, epoch_1904 }, _) => {
            // Re-based to the 1900 system the new workbook uses.
            let serial_1900 = if *epoch_1904 {
                serial + 1462.0
            } else {
                *serial
            };
            if serial_to_date(*serial, *epoch_1904).is_ok() {
                ws.write_number_with_format(r, c, serial_1900, date_fmt)
                    .map(drop)
            } else {
                ws.write_number_with_format(r, c, *serial, fmt.unwrap_or(date_fmt))
                    .map(drop)
            }
        }
        (Cell::Empty, Some(f)) => ws.write_blank(r, c, f).map(drop),
        (Cell::Empty, None) => Ok(()),
    }
}
