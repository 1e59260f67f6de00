//! xlsx exports of the lists, a trace and a recall drill. Headers are Chinese (the file goes to
//! Excel/WPS users and to the regulator); codes and numbers a person typed stay text so leading
//! zeros survive. Every text cell goes through `sheets::safe` (formula neutralisation), numbers
//! are written as numbers.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, XlsxError};
use sheets::safe::{write_text, write_text_with_format};

use crate::entries::num;
use crate::{ApiError, App, ExportResult, ListKind, ListQuery, Result};

/// One cell.
pub(crate) enum Cell {
    Text(String),
    Num(f64),
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<Option<String>> for Cell {
    fn from(s: Option<String>) -> Cell {
        s.map(Cell::Text).unwrap_or(Cell::Empty)
    }
}

impl From<f64> for Cell {
    fn from(n: f64) -> Cell {
        Cell::Num(n)
    }
}

impl From<Option<f64>> for Cell {
    fn from(n: Option<f64>) -> Cell {
        n.map(Cell::Num).unwrap_or(Cell::Empty)
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        Cell::Num(n as f64)
    }
}

/// Display width of text in Excel's units: CJK characters take two.
fn width(text: &str) -> f64 {
    text.chars()
        .map(|c| if (c as u32) > 0x2E80 { 2.1 } else { 1.1 })
        .sum()
}

/// A workbook being written.
pub(crate) struct Book {
    workbook: Workbook,
    header: Format,
    wrap: Format,
    rows: u32,
}

impl Book {
    pub fn new() -> Book {
        Book {
            workbook: Workbook::new(),
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xE8F0FE))
                .set_border_bottom(FormatBorder::Thin),
            wrap: Format::new().set_text_wrap(),
            rows: 0,
        }
    }

    /// Adds a sheet with a bold, frozen header row; returns the number of data rows.
    pub fn sheet(
        &mut self,
        name: &str,
        headers: &[&str],
        rows: impl IntoIterator<Item = Vec<Cell>>,
    ) -> std::result::Result<u32, XlsxError> {
        let ws = self.workbook.add_worksheet();
        ws.set_name(name)?;
        let mut widths: Vec<f64> = headers.iter().map(|h| width(h) + 2.0).collect();
        for (c, h) in headers.iter().enumerate() {
            write_text_with_format(ws, 0, c as u16, h, &self.header)?;
        }
        let mut r = 0u32;
        for row in rows {
            r += 1;
            for (c, cell) in row.into_iter().enumerate() {
                let col = c as u16;
                let shown = match cell {
                    Cell::Text(t) => {
                        write_text(ws, r, col, &t)?;
                        t
                    }
                    Cell::Num(n) => {
                        ws.write_number(r, col, n)?;
                        num(n)
                    }
                    Cell::Empty => String::new(),
                };
                if r <= 500 && c < widths.len() {
                    widths[c] = widths[c].max(width(&shown) + 2.0);
                }
            }
        }
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, w.min(60.0))?;
        }
        ws.set_freeze_panes(1, 0)?;
        self.rows += r;
        Ok(r)
    }

    /// A sheet of text lines (a notice), one per row, wrapped in a wide column.
    pub fn text_sheet(
        &mut self,
        name: &str,
        lines: &[String],
    ) -> std::result::Result<(), XlsxError> {
        let ws = self.workbook.add_worksheet();
        ws.set_name(name)?;
        ws.set_column_width(0, 100)?;
        for (r, line) in lines.iter().enumerate() {
            write_text_with_format(ws, r as u32, 0, line, &self.wrap)?;
        }
        Ok(())
    }

    pub fn save(mut self, path: &Path) -> Result<ExportResult> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| crate::paths::dir_error(dir, e))?;
        }
        self.workbook
            .save(path)
            .map_err(|e| ApiError::cannot_write(path, e))?;
        Ok(ExportResult {
            path: path.display().to_string(),
            rows: self.rows,
        })
    }
}

/// `path`, with `.xlsx` added when it has another extension or none.
pub(crate) fn xlsx_path(path: &Path) -> PathBuf {
    match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("xlsx") => path.to_path_buf(),
        _ => {
            let mut p = path.as_os_str().to_owned();
            p.push(".xlsx");
            PathBuf::from(p)
        }
    }
}

pub(crate) fn write_err(path: &Path) -> impl Fn(XlsxError) -> ApiError + '_ {
    move |e| ApiError::cannot_write(path, e)
}

/// A workbook of one sheet (see [`Book::sheet`]) saved as `path` with `.xlsx` added.
fn save_sheet(
    path: &Path,
    name: &str,
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<Cell>>,
) -> Result<ExportResult> {
    let path = xlsx_path(path);
    let mut book = Book::new();
    book.sheet(name, headers, rows).map_err(write_err(&path))?;
    book.save(&path)
}

fn all(query: &ListQuery) -> ListQuery {
    ListQuery {
        offset: 0,
        limit: 0,
        ..query.clone()
    }
}

impl App {
    /// Exports the list `kind`, every row matching `query`, to `path` (`.xlsx` is added), or into
    /// `<data dir>/exports/` when no path is given.
    pub fn export_list(
        &self,
        kind: ListKind,
        query: &ListQuery,
        path: Option<&str>,
    ) -> Result<ExportResult> {
        let stem = match kind {
            ListKind::Products => "产品清单",
            ListKind::Parties => "往来单位",
            ListKind::Receipts => "进货查验",
            ListKind::Batches => "生产批次",
            ListKind::Shipments => "销售出库",
        };
        let path = self.export_path(path, stem, "xlsx")?;
        match kind {
            ListKind::Products => self.export_products(query, &path),
            ListKind::Parties => self.export_parties(query, &path),
            ListKind::Receipts => self.export_receipts(query, &path),
            ListKind::Batches => self.export_batches(query, &path),
            ListKind::Shipments => self.export_shipments(query, &path),
        }
    }

    /// The product list (every row matching `query`) as xlsx.
    pub fn export_products(&self, query: &ListQuery, path: &Path) -> Result<ExportResult> {
        let page = self.list_products(&all(query))?;
        save_sheet(
            path,
            "产品",
            &[
                "产品名称",
                "规格型号",
                "类别",
                "品牌",
                "执行标准",
                "GTIN",
                "追溯码方案",
                "赋码粒度",
                "CCC 证书编号",
                "证书有效期自",
                "证书有效期至",
                "证书覆盖型号",
                "CCC 标志编号",
            ],
            page.rows.into_iter().map(|p| {
                vec![
                    p.name.into(),
                    p.model.into(),
                    p.category_name.unwrap_or(p.category).into(),
                    p.brand.into(),
                    p.standard.into(),
                    p.gtin.into(),
                    p.scheme.as_str().into(),
                    p.granularity.as_str().into(),
                    p.ccc_cert_no.into(),
                    p.ccc_valid_from.into(),
                    p.ccc_valid_to.into(),
                    p.ccc_models.join("、").into(),
                    p.ccc_mark_no.into(),
                ]
            }),
        )
    }

    pub fn export_parties(&self, query: &ListQuery, path: &Path) -> Result<ExportResult> {
        let page = self.list_parties(&all(query))?;
        save_sheet(
            path,
            "往来单位",
            &[
                "单位名称",
                "类型",
                "统一社会信用代码",
                "地址",
                "联系人",
                "电话",
            ],
            page.rows.into_iter().map(|p| {
                vec![
                    p.name.into(),
                    match p.kind {
                        crate::PartyKind::Supplier => "供应商",
                        crate::PartyKind::Customer => "客户",
                        crate::PartyKind::Both => "供应商/客户",
                    }
                    .into(),
                    p.uscc.into(),
                    p.address.into(),
                    p.contact.into(),
                    p.phone.into(),
                ]
            }),
        )
    }

    pub fn export_receipts(&self, query: &ListQuery, path: &Path) -> Result<ExportResult> {
        let page = self.list_receipts(&all(query))?;
        save_sheet(
            path,
            "进货查验",
            &[
                "到货日期",
                "供应商",
                "原料名称",
                "规格",
                "供应商批号",
                "数量",
                "单位",
                "查验结论",
                "报告/合格证编号",
                "已用于生产",
                "剩余",
                "备注",
            ],
            page.rows.into_iter().map(|r| {
                vec![
                    r.received_on.into(),
                    r.supplier_name.into(),
                    r.material.into(),
                    r.spec.into(),
                    r.supplier_lot.into(),
                    r.quantity.into(),
                    r.unit.into(),
                    r.inspection_result.zh().into(),
                    r.report_no.into(),
                    r.consumed.into(),
                    r.remaining.into(),
                    r.note.into(),
                ]
            }),
        )
    }

    pub fn export_batches(&self, query: &ListQuery, path: &Path) -> Result<ExportResult> {
        let page = self.list_batches(&all(query))?;
        save_sheet(
            path,
            "生产批次",
            &[
                "生产日期",
                "批号",
                "产品名称",
                "规格型号",
                "数量",
                "单位",
                "出厂检验",
                "检验员",
                "检验报告编号",
                "原料批次数",
                "已发货",
            ],
            page.rows.into_iter().map(|b| {
                vec![
                    b.produced_on.into(),
                    b.lot_no.into(),
                    b.product_name.into(),
                    b.product_model.into(),
                    b.quantity.into(),
                    b.unit.into(),
                    b.inspection_result.zh().into(),
                    b.inspector.into(),
                    b.report_no.into(),
                    b.input_count.into(),
                    b.shipped.into(),
                ]
            }),
        )
    }

    pub fn export_shipments(&self, query: &ListQuery, path: &Path) -> Result<ExportResult> {
        let page = self.list_shipments(&all(query))?;
        save_sheet(
            path,
            "销售出库",
            &[
                "发货日期",
                "送货单号",
                "客户",
                "明细行数",
                "数量合计",
                "备注",
            ],
            page.rows.into_iter().map(|s| {
                vec![
                    s.shipped_on.into(),
                    s.delivery_note_no.into(),
                    s.customer_name.into(),
                    s.line_count.into(),
                    s.total_quantity.into(),
                    s.note.into(),
                ]
            }),
        )
    }
}
