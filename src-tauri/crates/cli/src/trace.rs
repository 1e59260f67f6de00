//! `tracedesk trace` and `tracedesk recall`.

use std::path::PathBuf;

use clap::Args;

use crate::output::Out;
use crate::{Cli, open};

#[derive(Debug, Args)]
pub struct TraceArgs {
    /// 追溯码、生产批号、原料批号或送货单号 a trace code, batch lot, material lot or delivery note
    code: String,
    /// 同时导出 xlsx also export the chain to this xlsx file
    #[arg(long, value_name = "FILE.xlsx")]
    out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RecallArgs {
    /// 原料批号（或生产批号） the material lot (or batch lot) to recall from
    #[arg(long, required_unless_present = "batch")]
    lot: Option<String>,
    /// 生产批号 a production batch lot to recall from
    #[arg(long, conflicts_with = "lot")]
    batch: Option<String>,
    /// 召回清单 xlsx the recall list to write
    #[arg(long, value_name = "FILE.xlsx")]
    out: Option<PathBuf>,
    /// 召回原因 reason
    #[arg(long, default_value = "")]
    reason: String,
}

fn node_line(n: &app::TraceNode) -> String {
    let mut s = format!("{} {}", n.kind.zh(), n.label);
    if !n.detail.is_empty() {
        s.push_str(&format!("  {}", n.detail));
    }
    if !n.party.is_empty() {
        s.push_str(&format!("  {}", n.party));
    }
    if let Some(d) = &n.date {
        s.push_str(&format!("  {d}"));
    }
    if let Some(q) = n.quantity {
        s.push_str(&format!("  {} {}", app::entries::num(q), n.unit));
    }
    if !n.phone.is_empty() {
        s.push_str(&format!("  {} {}", n.contact, n.phone));
    }
    if !n.codes.is_empty() {
        s.push_str(&format!(
            "  供方追溯码 supplier codes: {}",
            n.codes.join(" ; ")
        ));
    }
    s
}

pub fn trace(cli: &Cli, out: &Out, args: &TraceArgs) -> app::Result<i32> {
    let app = open(cli)?;
    let result = app.trace(&args.code)?;
    let export = match &args.out {
        Some(path) => Some(app.export_trace(&result, path.to_str())?),
        None => None,
    };
    out.value(&result, || {
        let mut text = format!("追溯 Trace: {}\n", node_line(&result.root));
        text.push_str(&format!("上游 upstream ({}):\n", result.upstream.len()));
        for n in &result.upstream {
            text.push_str(&format!("  {}\n", node_line(n)));
        }
        text.push_str(&format!("下游 downstream ({}):\n", result.downstream.len()));
        for n in &result.downstream {
            text.push_str(&format!("  {}\n", node_line(n)));
        }
        if !result.alternatives.is_empty() {
            text.push_str("也可能是 also matches:\n");
            for n in &result.alternatives {
                text.push_str(&format!("  {}\n", node_line(n)));
            }
        }
        if let Some(e) = &export {
            text.push_str(&format!("已导出 exported: {}\n", e.path));
        }
        text.push_str(&format!("用时 {:.1} ms", result.elapsed_ms));
        text
    });
    Ok(0)
}

pub fn recall(cli: &Cli, out: &Out, args: &RecallArgs) -> app::Result<i32> {
    let app = open(cli)?;
    let start = match (&args.lot, &args.batch) {
        (Some(lot), _) => app.recall_start(lot)?,
        (None, Some(batch)) => {
            let trace = app.trace(batch)?;
            app::TraceRef {
                kind: trace.root.kind,
                id: trace.root.id,
            }
        }
        (None, None) => unreachable!("clap requires --lot or --batch"),
    };
    let result = app.recall(&app::RecallRequest {
        start,
        reason: args.reason.clone(),
    })?;
    let export = match &args.out {
        Some(path) => Some(app.export_recall(&result, path.to_str())?),
        None => None,
    };
    out.value(&result, || {
        let mut text = format!(
            "模拟召回 Recall drill #{}: {} {}（用时 {:.1} ms）\n",
            result.drill_id,
            result.start.kind.zh(),
            result.start.label,
            result.duration_ms
        );
        text.push_str(&format!(
            "  批次 batches {}，单品 items {}，客户 customers {}，已发 shipped {}，库存 in stock {}\n",
            result.batches.len(),
            result.items.len(),
            result.customers.len(),
            app::entries::num(result.quantity_shipped),
            app::entries::num(result.quantity_in_stock)
        ));
        for c in &result.customers {
            text.push_str(&format!(
                "  {}  {} {}  {} {}  送货单 {}\n",
                c.name,
                c.contact,
                c.phone,
                app::entries::num(c.quantity),
                c.unit,
                c.delivery_notes.join("、")
            ));
        }
        if let Some(e) = &export {
            text.push_str(&format!("已导出召回清单 recall list: {}", e.path));
        }
        text.trim_end().to_string()
    });
    Ok(0)
}
