//! `tracedesk dev …`: tools for developers and benchmarks.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::output::Out;

#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// 生成演示/基准数据库 write a realistic database for demos and benchmarks
    Generate(GenerateArgs),
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// 一物一码单品数 serialised items
    #[arg(long, default_value_t = 1_000_000)]
    items: u64,
    /// 生产批次数 production batches
    #[arg(long, default_value_t = 100_000)]
    batches: u64,
    /// 进货记录数 material receipts
    #[arg(long, default_value_t = 20_000)]
    receipts: u64,
    /// 销售出库数 shipments
    #[arg(long, default_value_t = 50_000)]
    shipments: u64,
    /// 随机种子 random seed
    #[arg(long, default_value_t = 20_250_301)]
    seed: u64,
    /// 新数据库文件 the new database file
    #[arg(long, value_name = "DB")]
    out: PathBuf,
}

pub fn run(out: &Out, command: &DevCommand) -> app::Result<i32> {
    match command {
        DevCommand::Generate(a) => {
            let report = app::dev::generate(
                &a.out,
                &app::dev::GenerateSpec {
                    items: a.items,
                    batches: a.batches,
                    receipts: a.receipts,
                    shipments: a.shipments,
                    seed: a.seed,
                },
            )?;
            out.value(&report, || {
                format!(
                    "已生成 Generated {} in {:.1} s\n  往来单位 parties {}，产品 products {}，进货 receipts {}，批次 batches {}（投料 inputs {}），单品 items {}，出库 shipments {}（明细 lines {}）\n  试一试 try: tracedesk --db {} trace {}    tracedesk --db {} recall --lot {}",
                    report.path,
                    report.elapsed_ms / 1000.0,
                    report.parties,
                    report.products,
                    report.receipts,
                    report.batches,
                    report.batch_inputs,
                    report.items,
                    report.shipments,
                    report.shipment_lines,
                    report.path,
                    report.sample_batch_lot,
                    report.path,
                    report.sample_material_lot
                )
            });
            Ok(0)
        }
    }
}
