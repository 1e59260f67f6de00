//! The submission report (报送报表), an xlsx in Chinese for any date range:
//!
//! - 汇总 summary: counts by status, by product and by day (the record's business date), with a
//!   native Excel column chart of the days;
//! - 明细 detail: one row per record version in the range;
//! - 拒收原因 rejections: every rejected record with the platform's code, reason and field.
//!
//! Every cell that comes from user data goes through `sheets::safe::neutralise`, so a name such
//! as `=HYPERLINK(…)` stays text. The cell contents are built by [`report_cells`] (pure, snapshot
//! tested) and written by [`write_report`].

use crate::messages::Msg;
use std::collections::BTreeMap;
use std::path::Path;

use rust_xlsxwriter::{Chart, ChartType, Format, Workbook, XlsxError};
use store::outbox::{self, OutboxRow};

use crate::{ApiError, App, ExportedFile, Result};

/// One sheet's cells: a header row and text rows (numbers are written as numbers when the
/// column says so).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SheetCells {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Columns holding counts (written as numbers).
    pub numeric: Vec<usize>,
}

pub(crate) fn state_zh(state: &str) -> &'static str {
    match state {
        "ready" => "待报送",
        "sending" => "发送中",
        "retry_wait" => "等待重试",
        "accepted" => "已接收",
        "rejected" => "已拒收",
        "superseded" => "已被新版本取代",
        _ => "未知",
    }
}

pub(crate) fn kind_zh(kind: &str) -> &'static str {
    platform::Kind::parse(kind)
        .map(|k| k.label_zh())
        .unwrap_or("记录")
}

/// The three sheets of the report of `rows` (every version in the range, superseded ones too).
pub fn report_cells(rows: &[OutboxRow], from: &str, to: &str) -> Vec<SheetCells> {
    const STATES: [&str; 6] = [
        "accepted",
        "rejected",
        "retry_wait",
        "ready",
        "sending",
        "superseded",
    ];
    let mut by_state: BTreeMap<&str, u32> = BTreeMap::new();
    let mut by_product: BTreeMap<String, [u32; 3]> = BTreeMap::new();
    let mut by_day: BTreeMap<String, [u32; 3]> = BTreeMap::new();
    let idx = |state: &str| match state {
        "accepted" => 0,
        "rejected" => 1,
        _ => 2,
    };
    for r in rows {
        *by_state.entry(r.state.as_str()).or_default() += 1;
        if r.state == "superseded" {
            continue;
        }
        let product = r
            .product_name
            .clone()
            .unwrap_or_else(|| "（无产品：企业、进货或更正）".into());
        by_product.entry(product).or_default()[idx(&r.state)] += 1;
        let day = r
            .event_date
            .clone()
            .or_else(|| crate::entries::china_day(&r.created_at))
            .unwrap_or_default();
        by_day.entry(day).or_default()[idx(&r.state)] += 1;
    }
    let mut summary = vec![
        vec!["报表期间".to_string(), format!("{from} 至 {to}")],
        vec!["记录版本总数".to_string(), rows.len().to_string()],
        vec![String::new(), String::new()],
        vec!["状态".to_string(), "条数".to_string()],
    ];
    for s in STATES {
        summary.push(vec![
            state_zh(s).to_string(),
            by_state.get(s).copied().unwrap_or(0).to_string(),
        ]);
    }
    for (by, counts) in [("产品", &by_product), ("日期", &by_day)] {
        summary.push(vec![String::new(), String::new()]);
        summary.push(vec![
            by.into(),
            "已接收".into(),
            "已拒收".into(),
            "待报送/重试".into(),
        ]);
        for (name, c) in counts {
            summary.push(vec![
                name.clone(),
                c[0].to_string(),
                c[1].to_string(),
                c[2].to_string(),
            ]);
        }
    }
    let detail_header = [
        "序号",
        "记录类型",
        "业务日期",
        "记录",
        "产品",
        "状态",
        "平台回执号",
        "接收时间",
        "是否重复提交已接收",
        "尝试次数",
        "拒收代码",
        "拒收原因",
        "幂等键",
        "更正关系",
    ];
    let detail: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.id.to_string(),
                kind_zh(&r.kind).to_string(),
                r.event_date.clone().unwrap_or_default(),
                r.label.clone(),
                r.product_name.clone().unwrap_or_default(),
                state_zh(&r.state).to_string(),
                r.receipt_id.clone().unwrap_or_default(),
                r.accepted_at.clone().unwrap_or_default(),
                if r.duplicate { "是" } else { "" }.to_string(),
                r.attempts.to_string(),
                r.reject_code.clone().unwrap_or_default(),
                r.reject_reason.clone().unwrap_or_default(),
                r.key.clone(),
                match (r.corrects, r.supersedes) {
                    (Some(c), _) => format!("更正第 {c} 条"),
                    (None, Some(s)) => format!("取代第 {s} 条"),
                    _ => String::new(),
                },
            ]
        })
        .collect();
    let rejections: Vec<Vec<String>> = rows
        .iter()
        .filter(|r| r.state == "rejected" || (r.state == "superseded" && r.reject_code.is_some()))
        .map(|r| {
            vec![
                r.id.to_string(),
                kind_zh(&r.kind).to_string(),
                r.label.clone(),
                r.event_date.clone().unwrap_or_default(),
                r.reject_code.clone().unwrap_or_default(),
                r.reject_reason.clone().unwrap_or_default(),
                r.reject_pointer.clone().unwrap_or_default(),
                r.rejected_at.clone().unwrap_or_default(),
                if r.state == "superseded" {
                    "已修改后重新报送"
                } else {
                    "待修改"
                }
                .to_string(),
            ]
        })
        .collect();
    vec![
        SheetCells {
            name: "汇总".into(),
            header: vec!["项目".into(), "数值".into()],
            rows: summary,
            numeric: vec![1, 2, 3],
        },
        SheetCells {
            name: "明细".into(),
            header: detail_header.iter().map(|s| s.to_string()).collect(),
            rows: detail,
            numeric: vec![0, 9],
        },
        SheetCells {
            name: "拒收原因".into(),
            header: [
                "序号",
                "记录类型",
                "记录",
                "业务日期",
                "拒收代码",
                "平台给出的原因",
                "字段",
                "拒收时间",
                "处理",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            rows: rejections,
            numeric: vec![0],
        },
    ]
}

/// Writes `sheets` to `path`, with a column chart of the per-day counts on the summary.
pub fn write_report(sheets: &[SheetCells], path: &Path) -> std::result::Result<(), XlsxError> {
    workbook(sheets)?.save(path)
}

/// The report as xlsx bytes.
pub fn report_bytes(sheets: &[SheetCells]) -> std::result::Result<Vec<u8>, XlsxError> {
    workbook(sheets)?.save_to_buffer()
}

fn workbook(sheets: &[SheetCells]) -> std::result::Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold().set_background_color("#E8EEF7");
    for sheet in sheets {
        let ws = workbook.add_worksheet();
        ws.set_name(&sheet.name)?;
        for (c, h) in sheet.header.iter().enumerate() {
            sheets::safe::write_text_with_format(ws, 0, c as u16, h, &bold)?;
            ws.set_column_width(c as u16, if c == 0 { 14 } else { 18 })?;
        }
        ws.set_freeze_panes(1, 0)?;
        for (r, row) in sheet.rows.iter().enumerate() {
            let rr = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let number = sheet
                    .numeric
                    .contains(&c)
                    .then(|| cell.parse::<f64>().ok())
                    .flatten();
                match number {
                    Some(n) => {
                        ws.write_number(rr, c as u16, n)?;
                    }
                    None => sheets::safe::write_text(ws, rr, c as u16, cell)?,
                }
            }
        }
        if sheet.name == "汇总" {
            // The per-day block is the last one: its header row says 日期.
            if let Some(start) = sheet
                .rows
                .iter()
                .position(|r| r.first().is_some_and(|c| c == "日期"))
            {
                let first = start as u32 + 2;
                let last = sheet.rows.len() as u32;
                if last >= first {
                    let mut chart = Chart::new(ChartType::Column);
                    for (col, name) in [(1u16, "已接收"), (2, "已拒收"), (3, "待报送/重试")]
                    {
                        chart
                            .add_series()
                            .set_name(name)
                            .set_categories((sheet.name.as_str(), first, 0, last, 0))
                            .set_values((sheet.name.as_str(), first, col, last, col));
                    }
                    chart.title().set_name("按日期统计的报送记录");
                    chart.x_axis().set_name("业务日期");
                    chart.y_axis().set_name("条数");
                    ws.insert_chart(1, 5, &chart)?;
                }
            }
        }
    }
    Ok(workbook)
}

pub(crate) fn file_info(path: &Path, records: u32, notes: Vec<String>) -> Result<ExportedFile> {
    let bytes = std::fs::read(path).map_err(|e| {
        Msg::CannotReadBack {
            path: path.to_path_buf(),
            error: e.to_string(),
        }
        .err()
    })?;
    Ok(ExportedFile {
        path: path.display().to_string(),
        records,
        bytes: bytes.len() as u64,
        sha256: platform::canonical::sha256_hex(&bytes),
        notes,
    })
}

pub(crate) fn check_dates(from: &str, to: &str) -> Result<()> {
    let ok = |d: &str| {
        d.len() == 10
            && time::Date::parse(
                d,
                &time::macros::format_description!("[year]-[month]-[day]"),
            )
            .is_ok()
    };
    if !ok(from) || !ok(to) || from > to {
        return Err(Msg::DateRangeInvalid {
            from: from.to_string(),
            to: to.to_string(),
        }
        .err());
    }
    Ok(())
}

impl App {
    /// The rows of the report: every record version whose business date is in `[from, to]`.
    pub(crate) fn report_rows(&self, from: &str, to: &str) -> Result<Vec<OutboxRow>> {
        check_dates(from, to)?;
        let filter = outbox::OutboxFilter {
            // The platform of the settings: what another platform (practice) accepted does not count.
            target: Some(self.settings_target()?),
            from: Some(from.into()),
            to: Some(to.into()),
            include_superseded: true,
            ..Default::default()
        };
        let mut rows = outbox::list(self.db().conn(), &filter)?.0;
        rows.sort_by_key(|r| r.id);
        Ok(rows)
    }

    /// Writes the submission report for `[from, to]` (business dates) to `path`.
    pub fn export_report(&self, from: &str, to: &str, path: &Path) -> Result<ExportedFile> {
        let rows = self.report_rows(from, to)?;
        let sheets = report_cells(&rows, from, to);
        write_report(&sheets, path).map_err(|e| ApiError::cannot_write(path, e))?;
        file_info(path, rows.len() as u32, Vec::new())
    }
}
