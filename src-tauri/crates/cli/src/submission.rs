//! `tracedesk submit`, `outbox`, `archive verify`, `export`, `report`, `evidence`, `secret` and
//! `simulator`: submission to the traceability platform, its archive and its reports.

use std::io::Read;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::output::{self, Out};
use crate::{Cli, open, runtime};

#[derive(Debug, Subcommand)]
pub enum SubmissionCommand {
    /// 报送：发送所有未被平台接收的记录（运行中自动重试） submit every record not yet accepted, retrying within the run
    Submit(SubmitArgs),
    /// 报送队列各状态的数量 outbox counts by state
    Outbox {
        #[command(subcommand)]
        command: Option<OutboxCommand>,
    },
    /// 报送档案 the hash-chained submission archive
    Archive {
        #[command(subcommand)]
        command: ArchiveCommand,
    },
    /// 导出供手工上传的文件 export files for manual upload
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// 报送报表（xlsx，中文） the submission report for a date range
    Report(RangeArgs),
    /// 证据包（zip：报表、报文、档案与 SHA-256 清单） the evidence pack for a date range
    Evidence(RangeArgs),
    /// 从标准输入读取平台 AppSecret 并保存到系统钥匙串 read the platform App Secret from stdin and store it
    Secret,
    /// 运行模拟平台（练习/测试用） run the platform simulator on 127.0.0.1
    Simulator(simulator::CliArgs),
}

#[derive(Debug, Args)]
pub struct SubmitArgs {
    /// practice（内置练习平台）或平台地址 URL；默认取设置 `practice` or a base URL; default: the settings
    #[arg(long, value_name = "practice|URL")]
    platform: Option<String>,
    /// 网络不可用或平台繁忙时最多等待的秒数 seconds to keep retrying before stopping (records stay queued)
    #[arg(long, value_name = "SECONDS")]
    max_wait: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// 列出记录 list records (newest first)
    List {
        /// 只列此状态 only this state (ready, sending, retry_wait, accepted, rejected)
        #[arg(long)]
        state: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// 原样重发被拒收的记录 resend rejected records unchanged
    Retry { ids: Vec<i64> },
    /// 打开已接收记录以便更正 open an accepted record for correction
    Correct { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum ArchiveCommand {
    /// 校验哈希链和已接收记录 verify the hash chain and the accepted records; names the first
    /// edited, deleted or reordered entry and the first record that no longer matches what was sent
    Verify(VerifyArgs),
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// 同时与平台保存的档案锚点对照（发现整体改写、截断或旧副本） also compare with the archive anchor the platform holds (catches a rewritten, truncated or replaced archive)
    #[arg(long)]
    against_platform: bool,
    /// practice（内置练习平台）或平台地址 URL；默认取设置 `practice` or a base URL; default: the settings
    #[arg(long, value_name = "practice|URL", requires = "against_platform")]
    platform: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// EPCIS 2.0 JSON-LD 文档 an EPCIS 2.0 JSON-LD document
    Epcis {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// 上传用 xlsx（每类记录一个工作表） the upload workbook
    Xlsx {
        #[arg(long, value_name = "FILE.xlsx")]
        out: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct RangeArgs {
    /// 开始日期 first business date, YYYY-MM-DD
    #[arg(long)]
    from: String,
    /// 结束日期 last business date, YYYY-MM-DD
    #[arg(long)]
    to: String,
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

fn state_zh(state: &str) -> &'static str {
    match state {
        "accepted" => "已接收",
        "rejected" => "已拒收",
        "retry_wait" => "等待重试",
        "ready" => "待报送",
        "sending" => "发送中",
        _ => "",
    }
}

fn file_line(f: &app::ExportedFile) -> String {
    let mut s = format!(
        "已写入 Written: {}\n  记录 records: {}  字节 bytes: {}\n  SHA-256: {}",
        f.path, f.records, f.bytes, f.sha256
    );
    for n in &f.notes {
        s.push_str(&format!("\n  注 note: {n}"));
    }
    s
}

pub fn run(cli: &Cli, out: &Out, command: &SubmissionCommand) -> app::Result<i32> {
    match command {
        SubmissionCommand::Submit(args) => {
            let app = open(cli)?;
            let runtime = runtime(Some(2))?;
            let request = app::SubmitRequest {
                platform: args.platform.clone(),
                max_wait_secs: args.max_wait,
            };
            let json = cli.json;
            let summary = runtime.block_on(app.submit(&request, move |p| {
                if !json && p.phase != "sending" && p.phase != "done" {
                    output::error_line(&format!("… {}（{}）", p.message_zh, p.message_en));
                }
            }))?;
            let code = if summary.stop == app::SubmitStop::Done && summary.rejected == 0 {
                0
            } else {
                1
            };
            out.value(&summary, || {
                let mut s = String::new();
                for r in &summary.results {
                    let detail = match r.state.as_str() {
                        "accepted" => format!(
                            "{}{}",
                            r.receipt_id.clone().unwrap_or_default(),
                            if r.duplicate {
                                "（平台已有，重复提交）"
                            } else {
                                ""
                            }
                        ),
                        "rejected" => format!(
                            "{} {} {}",
                            r.code.clone().unwrap_or_default(),
                            r.reason.clone().unwrap_or_default(),
                            r.pointer.clone().unwrap_or_default()
                        ),
                        _ => String::new(),
                    };
                    s.push_str(&format!(
                        "{:<6} {:<16} {}  {detail}\n",
                        state_zh(&r.state),
                        r.kind,
                        r.label
                    ));
                }
                if summary.results_omitted > 0 {
                    s.push_str(&format!(
                        "…另有 {n} 条记录的结果未逐条列出，用 tracedesk outbox list 查看 \
                         (results of {n} more records not listed; see tracedesk outbox list)\n",
                        n = summary.results_omitted
                    ));
                }
                s.push_str(&format!(
                    "平台 platform: {}{}\n{}\n{}",
                    summary.platform,
                    if summary.practice {
                        "（练习模式 practice）"
                    } else {
                        ""
                    },
                    summary.message_zh,
                    summary.message_en
                ));
                s
            });
            Ok(code)
        }
        SubmissionCommand::Outbox { command } => {
            let app = open(cli)?;
            match command {
                None => {
                    let counts = app.outbox_counts()?;
                    out.value(&counts, || {
                        format!(
                            "待报送 ready: {}\n发送中 sending: {}\n等待重试 retry_wait: {}\n已接收 accepted: {}\n已拒收 rejected: {}",
                            counts.ready, counts.sending, counts.retry_wait, counts.accepted, counts.rejected
                        )
                    });
                }
                Some(OutboxCommand::List { state, limit }) => {
                    let page = app.list_outbox(&app::OutboxQuery {
                        states: state.iter().cloned().collect(),
                        limit: *limit,
                        ..Default::default()
                    })?;
                    out.value(&page, || {
                        page.rows
                            .iter()
                            .map(|r| {
                                format!(
                                    "{:>6} {:<8} {:<16} {}  {}",
                                    r.id,
                                    state_zh(&r.state),
                                    r.kind,
                                    r.label,
                                    r.reject_reason
                                        .clone()
                                        .or(r.receipt_id.clone())
                                        .unwrap_or_default()
                                )
                            })
                            .collect::<Vec<_>>()
                            .join("\n")
                    });
                }
                Some(OutboxCommand::Retry { ids }) => {
                    let n = app.retry_rejected(ids)?;
                    out.value(&serde_json::json!({"requeued": n}), || {
                        format!("已重新排队 requeued: {n}")
                    });
                }
                Some(OutboxCommand::Correct { id }) => {
                    let entry = app.open_correction(*id)?;
                    out.value(&entry, || format!("已打开更正 opened for correction: {} — 修改后再次 submit 即作为更正报送 edit it, then submit again", entry.label));
                }
            }
            Ok(0)
        }
        SubmissionCommand::Archive {
            command:
                ArchiveCommand::Verify(VerifyArgs {
                    against_platform: true,
                    platform,
                }),
        } => {
            let app = open(cli)?;
            let runtime = runtime(None)?;
            let check = runtime.block_on(app.verify_archive_against_platform(platform.clone()))?;
            out.value(&check, || {
                let mut s = format!(
                    "{}\n{}\n  平台 platform: {}{}\n  本地档案 local archive: {} 条 entries",
                    check.message_zh,
                    check.message_en,
                    check.platform,
                    if check.practice {
                        "（练习模式 practice）"
                    } else {
                        ""
                    },
                    check.local_entries
                );
                if let (Some(n), Some(h)) = (check.anchor_entries, &check.anchor_hash) {
                    s.push_str(&format!(
                        "\n  平台锚点 platform anchor: 前 {n} 条 first {n} entries, {h}（{}）\n  本地对应 local: {}",
                        check.anchor_received_at.clone().unwrap_or_default(),
                        check
                            .local_hash
                            .clone()
                            .unwrap_or_else(|| "（本地档案不足 shorter）".into())
                    ));
                }
                s
            });
            Ok(if check.ok { 0 } else { 1 })
        }
        SubmissionCommand::Archive {
            command: ArchiveCommand::Verify(_),
        } => {
            let v = open(cli)?.verify_archive()?;
            out.value(&v, || {
                let chain = if v.chain_ok {
                    format!(
                        "哈希链完好 Chain intact: {} 条 entries\n  末条哈希 head: {}",
                        v.entries, v.last_hash
                    )
                } else {
                    format!(
                        "档案已被改动 Archive altered: 第 {} 条起 first bad entry {}\n  {}\n  {}",
                        v.first_bad.unwrap_or_default(),
                        v.first_bad.unwrap_or_default(),
                        v.reason_zh.clone().unwrap_or_default(),
                        v.reason.clone().unwrap_or_default()
                    )
                };
                let records = match v.record_first_bad {
                    None => format!(
                        "已接收记录与档案一致 Accepted records match the archive: {} 条 records",
                        v.records_checked
                    ),
                    Some(id) => format!(
                        "已接收记录与档案不符 Accepted records differ from the archive: {} / {} 条，首条 first: 报送队列 outbox #{id}\n  {}\n  {}",
                        v.records_mismatched,
                        v.records_checked,
                        v.record_reason_zh.clone().unwrap_or_default(),
                        v.record_reason_en.clone().unwrap_or_default()
                    ),
                };
                format!("{chain}\n{records}")
            });
            Ok(if v.ok { 0 } else { 1 })
        }
        SubmissionCommand::Export { command } => {
            let app = open(cli)?;
            let file = match command {
                ExportCommand::Epcis { out } => app.export_epcis(out, None, None)?,
                ExportCommand::Xlsx { out } => app.export_upload_workbook(out, None, None)?,
            };
            out.value(&file, || file_line(&file));
            Ok(0)
        }
        SubmissionCommand::Report(r) => {
            let file = open(cli)?.export_report(&r.from, &r.to, &r.out)?;
            out.value(&file, || file_line(&file));
            Ok(0)
        }
        SubmissionCommand::Evidence(r) => {
            let file = open(cli)?.export_evidence_pack(&r.from, &r.to, &r.out)?;
            out.value(&file, || file_line(&file));
            Ok(0)
        }
        SubmissionCommand::Secret => {
            let mut secret = String::new();
            std::io::stdin().read_to_string(&mut secret).map_err(|e| {
                app::ApiError::new(
                    app::ErrorCode::UnreadableFile,
                    format!("无法读取标准输入：{e}"),
                    format!("cannot read stdin: {e}"),
                )
            })?;
            let status = open(cli)?.save_platform_secret(secret.trim())?;
            out.value(&status, || match &status.warning_zh {
                Some(w) => format!(
                    "已保存 Saved (file)\n警告：{w}\nWarning: {}",
                    status.warning_en.clone().unwrap_or_default()
                ),
                None => "已保存到系统钥匙串 Saved in the system keychain".to_string(),
            });
            Ok(0)
        }
        SubmissionCommand::Simulator(args) => {
            let json = cli.json;
            simulator::run_cli(args, |url| {
                if json {
                    output::line(&serde_json::json!({"url": url, "baseUrl": format!("{url}/api/v1"), "appKey": simulator::PRACTICE_APP_KEY}).to_string());
                } else {
                    output::line(&format!(
                        "模拟平台已启动 Simulator listening: {url}\n  接口 base URL: {url}/api/v1\n  练习凭证 practice credentials: {} / {}\n  Ctrl-C 停止 to stop",
                        simulator::PRACTICE_APP_KEY,
                        simulator::PRACTICE_APP_SECRET
                    ));
                }
            })
            .map_err(|e| app::ApiError::new(app::ErrorCode::InvalidInput, format!("模拟平台无法启动：{e}"), format!("the simulator cannot start: {e}")))?;
            Ok(0)
        }
    }
}
