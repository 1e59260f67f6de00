//! The upload workbook (for platforms that take a spreadsheet by hand). Every cell goes through
//! `sheets::safe`, the one rule every tracedesk workbook follows for text (formula
//! neutralisation).

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use sheets::safe::{write_text, write_text_with_format};

use crate::convert;
use crate::model::unit_name_zh;
use crate::wire;

/// How many rows each sheet got.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UploadSummary {
    pub records: usize,
    pub rows: usize,
    pub skipped: usize,
}

struct Sheet<'a> {
    sheet: &'a mut Worksheet,
    row: u32,
}

impl Sheet<'_> {
    fn row(&mut self, cells: &[&str]) -> Result<(), XlsxError> {
        self.row += 1;
        for (c, text) in cells.iter().enumerate() {
            write_text(self.sheet, self.row, c as u16, text)?;
        }
        Ok(())
    }

    /// A row whose middle is the five cells every sheet with goods lines has for one: 产品编码,
    /// 批号, 数量, 单位, 单品码.
    fn line_row(
        &mut self,
        before: &[&str],
        line: &wire::Line,
        after: &[&str],
    ) -> Result<(), XlsxError> {
        let unit = unit(&line.unit);
        let items = line.items.clone().unwrap_or_default().join(" ");
        let cells = [
            s(&line.product_code),
            s(&line.lot),
            s(&line.quantity),
            &unit,
            &items,
        ];
        self.row(&[before, &cells[..], after].concat())
    }
}

fn s(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("")
}

const SHEETS: &[(&str, &str, &[&str])] = &[
    (
        "enterprise",
        "企业主体",
        &[
            "幂等键",
            "统一社会信用代码",
            "企业名称",
            "地址",
            "联系人",
            "联系电话",
            "厂商识别代码",
            "生产许可证编号",
        ],
    ),
    (
        "product",
        "产品",
        &[
            "幂等键",
            "编码体系",
            "赋码粒度",
            "产品编码",
            "产品名称",
            "规格型号",
            "品牌",
            "类别",
            "执行标准",
            "CCC证书编号",
            "CCC有效期起",
            "CCC有效期止",
        ],
    ),
    (
        "commissioning",
        "赋码",
        &[
            "幂等键",
            "编码体系",
            "赋码粒度",
            "赋码时间",
            "产品编码",
            "批号",
            "数量",
            "单位",
            "单品码",
            "生产日期",
            "有效期",
        ],
    ),
    (
        "receiving",
        "进货查验",
        &[
            "幂等键",
            "编码体系",
            "进货时间",
            "供应商",
            "供应商统一社会信用代码",
            "原料名称",
            "规格型号",
            "原料编码",
            "供应商批号",
            "数量",
            "单位",
            "查验结论",
            "报告编号",
            "查验人",
            "采购单号",
            "发票号",
            "送货单号",
        ],
    ),
    (
        "transformation",
        "生产",
        &[
            "幂等键",
            "编码体系",
            "赋码粒度",
            "完工时间",
            "产品编码",
            "批号",
            "数量",
            "单位",
            "单品码",
            "生产日期",
            "出厂检验结论",
            "报告编号",
            "检验员",
            "投入原料",
            "工单号",
        ],
    ),
    (
        "shipping",
        "销售出库",
        &[
            "幂等键",
            "编码体系",
            "赋码粒度",
            "出库时间",
            "客户",
            "客户统一社会信用代码",
            "产品编码",
            "批号",
            "数量",
            "单位",
            "单品码",
            "出库单号",
            "订单号",
            "发票号",
        ],
    ),
    (
        "errorDeclaration",
        "更正声明",
        &[
            "幂等键",
            "被更正记录",
            "声明时间",
            "原因",
            "更正说明",
            "更正记录",
        ],
    ),
];

fn inspection_zh(result: &Option<String>) -> &'static str {
    match result.as_deref() {
        Some("pass") => "合格",
        Some("fail") => "不合格",
        _ => "待检",
    }
}

fn unit(u: &Option<String>) -> String {
    match u.as_deref() {
        Some(code) => {
            let zh = unit_name_zh(code);
            if zh.is_empty() {
                code.to_string()
            } else {
                format!("{code} {zh}")
            }
        }
        None => String::new(),
    }
}

/// The upload workbook of `bodies` (stored record texts): one sheet per record kind, Chinese
/// headers, one row per goods line. Records that cannot be read are counted in `skipped`.
pub fn upload_workbook(bodies: &[&str]) -> Result<(Workbook, UploadSummary), XlsxError> {
    let mut workbook = Workbook::new();
    let header = Format::new().set_bold().set_background_color("#E8EEF7");
    let mut summary = UploadSummary::default();
    let mut parsed: Vec<wire::Record> = Vec::new();
    for body in bodies {
        match convert::parse(body) {
            Some(r) => parsed.push(r),
            None => summary.skipped += 1,
        }
    }
    for (kind, title, columns) in SHEETS {
        let sheet = workbook.add_worksheet();
        sheet.set_name(*title)?;
        for (c, name) in columns.iter().enumerate() {
            write_text_with_format(sheet, 0, c as u16, name, &header)?;
            sheet.set_column_width(c as u16, 16)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        let mut out = Sheet { sheet, row: 0 };
        for r in parsed.iter().filter(|r| r.kind == *kind) {
            summary.records += 1;
            let key = s(&r.idempotency_key);
            let (sc, gr) = (r.scheme.as_str(), r.granularity.as_str());
            let p = r.payload.clone();
            match *kind {
                "enterprise" => {
                    let e: wire::Enterprise = serde_json::from_value(p).unwrap_or_default();
                    out.row(&[
                        key,
                        s(&e.uscc),
                        s(&e.name),
                        s(&e.address),
                        s(&e.contact_name),
                        s(&e.contact_phone),
                        s(&e.gcp),
                        s(&e.production_licence_no),
                    ])?;
                }
                "product" => {
                    let x: wire::Product = serde_json::from_value(p).unwrap_or_default();
                    let ccc = x.ccc.clone().unwrap_or_default();
                    out.row(&[
                        key,
                        sc,
                        gr,
                        s(&x.product_code),
                        s(&x.name),
                        s(&x.model),
                        s(&x.brand),
                        s(&x.category),
                        s(&x.standard),
                        s(&ccc.certificate_no),
                        s(&ccc.valid_from),
                        s(&ccc.valid_to),
                    ])?;
                }
                "commissioning" => {
                    let x: wire::Commissioning = serde_json::from_value(p).unwrap_or_default();
                    out.line_row(
                        &[key, sc, gr, s(&x.event_time)],
                        &x.line,
                        &[s(&x.production_date), s(&x.expiry_date)],
                    )?;
                }
                "receiving" => {
                    let x: wire::Receiving = serde_json::from_value(p).unwrap_or_default();
                    let m = &x.material;
                    out.row(&[
                        key,
                        sc,
                        s(&x.event_time),
                        s(&x.supplier.name),
                        s(&x.supplier.uscc),
                        s(&m.name),
                        s(&m.model),
                        s(&m.code),
                        s(&m.lot),
                        s(&m.quantity),
                        &unit(&m.unit),
                        inspection_zh(&x.inspection.result),
                        s(&x.inspection.report_no),
                        s(&x.inspection.inspector),
                        s(&x.purchase_order),
                        s(&x.invoice_no),
                        s(&x.delivery_note),
                    ])?;
                }
                "transformation" => {
                    let x: wire::Transformation = serde_json::from_value(p).unwrap_or_default();
                    let inputs = x
                        .inputs
                        .iter()
                        .map(|i| {
                            format!(
                                "{} {} {}{}",
                                s(&i.name),
                                s(&i.lot),
                                s(&i.quantity),
                                unit(&i.unit)
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("；");
                    out.line_row(
                        &[key, sc, gr, s(&x.event_time)],
                        &x.output,
                        &[
                            s(&x.production_date),
                            inspection_zh(&x.inspection.result),
                            s(&x.inspection.report_no),
                            s(&x.inspection.inspector),
                            &inputs,
                            s(&x.work_order),
                        ],
                    )?;
                }
                "shipping" => {
                    let x: wire::Shipping = serde_json::from_value(p).unwrap_or_default();
                    for l in &x.lines {
                        out.line_row(
                            &[
                                key,
                                sc,
                                gr,
                                s(&x.event_time),
                                s(&x.customer.name),
                                s(&x.customer.uscc),
                            ],
                            l,
                            &[s(&x.delivery_note), s(&x.order_no), s(&x.invoice_no)],
                        )?;
                    }
                }
                _ => {
                    let x: wire::ErrorDeclaration = serde_json::from_value(p).unwrap_or_default();
                    let reason = match x.reason.as_deref() {
                        Some("incorrect_data") => "数据有误",
                        Some("did_not_occur") => "事件未发生",
                        _ => "",
                    };
                    out.row(&[
                        key,
                        s(&x.declared_key),
                        s(&x.declaration_time),
                        reason,
                        s(&x.reason_text),
                        &x.corrective_keys.join(" "),
                    ])?;
                }
            }
        }
        summary.rows += out.row as usize;
    }
    Ok((workbook, summary))
}
