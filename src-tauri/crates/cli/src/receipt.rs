//! `tracedesk receipt add`: a 进货查验 record from the command line, with the supplier's codes of
//! the goods (`--supplier-code`, repeatable, or several in one value separated by `;`) and the
//! key component's CCC certificate (`--component-ccc`) and the paperwork (`--po`, `--invoice`,
//! `--delivery-note`), checked like the window's form.

use clap::{Args, Subcommand, ValueEnum};

use crate::output::Out;
use crate::{Cli, open};

#[derive(Debug, Subcommand)]
pub enum ReceiptCommand {
    /// 添加进货查验记录 add a material receipt with its incoming inspection
    Add(Box<ReceiptAddArgs>),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Inspection {
    Pass,
    Fail,
    Pending,
}

#[derive(Debug, Args)]
pub struct ReceiptAddArgs {
    /// 供应商 supplier (a new name is added to the parties)
    #[arg(long)]
    supplier: String,
    /// 原料名称 material
    #[arg(long)]
    material: String,
    /// 规格 spec
    #[arg(long, default_value = "")]
    spec: String,
    /// 供应商批号 supplier lot
    #[arg(long)]
    lot: String,
    /// 数量 quantity
    #[arg(long)]
    quantity: f64,
    /// 单位 unit
    #[arg(long)]
    unit: String,
    /// 到货日期 received on (YYYY-MM-DD)
    #[arg(long)]
    received_on: String,
    /// 查验结果 inspection result
    #[arg(long, value_enum, default_value = "pending")]
    inspection: Inspection,
    /// 检验报告编号 report or certificate number
    #[arg(long, default_value = "")]
    report_no: String,
    /// 备注 note
    #[arg(long, default_value = "")]
    note: String,
    /// 供方追溯码 a supplier's code of the goods, any scheme, as scanned (repeat the flag, or
    /// separate several with ;)
    #[arg(long = "supplier-code", value_name = "CODE")]
    supplier_codes: Vec<String>,
    /// 关键部件 CCC 证书编号 the CCC certificate number of a key component
    #[arg(long, default_value = "")]
    component_ccc: String,
    /// 采购订单号 purchase order number
    #[arg(long = "po", value_name = "NO", default_value = "")]
    purchase_order_no: String,
    /// 发票号 invoice number
    #[arg(long = "invoice", value_name = "NO", default_value = "")]
    invoice_no: String,
    /// 送货单号 the supplier's delivery note number
    #[arg(long = "delivery-note", value_name = "NO", default_value = "")]
    delivery_note_no: String,
}

pub fn run(cli: &Cli, out: &Out, command: &ReceiptCommand) -> app::Result<i32> {
    let app = open(cli)?;
    match command {
        ReceiptCommand::Add(a) => {
            let input = app::ReceiptInput {
                supplier_name: a.supplier.clone(),
                material: a.material.clone(),
                spec: a.spec.clone(),
                supplier_lot: a.lot.clone(),
                quantity: Some(a.quantity),
                unit: a.unit.clone(),
                received_on: a.received_on.clone(),
                inspection_result: match a.inspection {
                    Inspection::Pass => app::InspectionResult::Pass,
                    Inspection::Fail => app::InspectionResult::Fail,
                    Inspection::Pending => app::InspectionResult::Pending,
                },
                report_no: a.report_no.clone(),
                note: a.note.clone(),
                supplier_codes: a.supplier_codes.clone(),
                component_ccc: a.component_ccc.clone(),
                purchase_order_no: a.purchase_order_no.clone(),
                invoice_no: a.invoice_no.clone(),
                delivery_note_no: a.delivery_note_no.clone(),
            };
            let warnings: Vec<app::FieldProblem> = app
                .check_receipt(&input, None)?
                .into_iter()
                .filter(|p| p.severity == app::ProblemSeverity::Warning)
                .collect();
            let receipt = app.add_receipt(&input)?;
            out.value(&receipt, || {
                let mut text = format!(
                    "已添加进货记录 Receipt added: {} {} 批号 lot {}（编号 id {}）",
                    receipt.supplier_name, receipt.material, receipt.supplier_lot, receipt.id
                );
                if let Some(ccc) = &receipt.component_ccc {
                    text.push_str(&format!("\n  关键部件 CCC 证书 component CCC: {ccc}"));
                }
                for c in &receipt.supplier_codes {
                    text.push_str(&format!(
                        "\n  供方追溯码 supplier code [{}] {}",
                        c.kind, c.code
                    ));
                }
                for w in &warnings {
                    text.push_str(&format!("\n  提示 note: {}", w.message_zh));
                }
                text
            });
            Ok(0)
        }
    }
}
