//! The `tracedesk` command line. It parses arguments, calls the app layer and prints the result,
//! as text for people or as JSON (`--json`) for scripts. It holds no business rules: every
//! command is a call into `app`, the same one the desktop window makes.

mod attachment;
mod catalogue;
mod code;
mod dev;
mod import;
mod label_args;
mod master;
mod output;
mod platform;
mod printer;
mod receipt;
mod submission;
mod trace;

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use output::Out;

const EXIT_CODES: &str = "\
退出码 Exit codes:
  0  成功 ok
  1  输入有效但被拒绝，或操作未完成 valid input refused, or the operation failed
  2  输入错误或文件无法读取 bad input or an unreadable file";

/// The version `--version` prints: the workspace version, except in an upgrade drill build, which
/// plays the next release and takes its version from TRACEDESK_DRILL_VERSION at build time.
#[cfg(not(feature = "upgrade-drill"))]
const VERSION: &str = env!("CARGO_PKG_VERSION");
#[cfg(feature = "upgrade-drill")]
const VERSION: &str = match option_env!("TRACEDESK_DRILL_VERSION") {
    Some(version) => version,
    None => concat!(env!("CARGO_PKG_VERSION"), "+upgrade-drill"),
};

/// 追溯通 tracedesk: 重点工业产品质量安全追溯 — trace data for key industrial products.
#[derive(Debug, Parser)]
#[command(name = "tracedesk", version = VERSION, about, after_help = EXIT_CODES)]
pub struct Cli {
    /// 数据库文件 database file [default: the desktop app's database]
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    /// 以 JSON 输出 print JSON
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 设置企业信息 set the enterprise profile
    Init(InitArgs),
    /// 数据库维护 database maintenance
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// 备份数据库到文件（不给文件则存入备份文件夹）；--auto 为计划任务用的每日自动备份
    /// back the database up to FILE (default: the backup folder); --auto: the daily automatic
    /// backup, for a scheduled task
    Backup {
        #[arg(required_unless_present_any = ["auto", "auto_on", "auto_off", "status"])]
        file: Option<PathBuf>,
        /// 今天还没有备份时才备份，并按保留规则清理旧的自动备份（7 天、4 周）
        /// back up only if no backup was made today, then apply retention (7 days, 4 weeks)
        #[arg(long, conflicts_with_all = ["file", "auto_on", "auto_off", "status"])]
        auto: bool,
        /// 开启自动备份 turn automatic backup on
        #[arg(long, conflicts_with_all = ["file", "auto_off", "status"])]
        auto_on: bool,
        /// 关闭自动备份 turn automatic backup off
        #[arg(long, conflicts_with_all = ["file", "status"])]
        auto_off: bool,
        /// 显示最近一次备份 show the last backup
        #[arg(long, conflicts_with = "file")]
        status: bool,
    },
    /// 导出诊断包（日志、版本、检查结果、设置、备份列表；不含密钥）
    /// write the diagnostics bundle (logs, versions, checks, settings, backups; no secrets)
    Diagnostics {
        /// 诊断包 zip 文件 the zip to write [default: exports/diagnostics-<time>.zip]
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// 同时包含业务数据（数据库副本） include the business data (a copy of the database)
        #[arg(long)]
        include_data: bool,
    },
    /// 版本与数据位置 versions and where the data is
    About,
    /// 从备份恢复（当前数据先另存，已发出的序列号继续保留） restore from a backup (the current data is
    /// copied aside first; serials already issued stay issued)
    Restore {
        file: PathBuf,
        /// 备份的报送档案校验未通过时仍然恢复（记入审计日志） restore even if the backup's archive
        /// does not verify (the audit log records it)
        #[arg(long)]
        force: bool,
    },
    /// 产品 products
    Product {
        #[command(subcommand)]
        command: master::ProductCommand,
    },
    /// 往来单位 suppliers and customers
    Party {
        #[command(subcommand)]
        command: master::PartyCommand,
    },
    /// 进货查验 material receipts
    Receipt {
        #[command(subcommand)]
        command: receipt::ReceiptCommand,
    },
    /// 追溯：上游原料与供应商、下游客户 trace a code, lot or delivery note both ways
    Trace(trace::TraceArgs),
    /// 模拟召回 recall drill from a material lot or a batch
    Recall(trace::RecallArgs),
    /// 开发与基准工具 developer tools
    Dev {
        #[command(subcommand)]
        command: dev::DevCommand,
    },
    #[command(flatten)]
    Submission(submission::SubmissionCommand),
    /// 报送平台：设置、查看、测试连接 the platform submissions go to: set, show, test
    Platform {
        #[command(subcommand)]
        command: platform::PlatformCommand,
    },
    /// 导入 Excel/WPS/CSV 台账；undo 撤销一次导入，list 列出导入 import a spreadsheet; `undo`, `list`
    Import(import::ImportArgs),
    /// 写出导入模板 write the import template of a record kind
    Template(import::TemplateArgs),
    /// 追溯码：检查、生成、作废、补打、导入 trace codes: check, generate, void, reprint, import
    Code {
        #[command(subcommand)]
        command: code::CodeCommand,
    },
    /// 打印标签：A4 标签页 PDF、每页一张的 PDF、ZPL/TSPL 标签打印机、BarTender 数据 print labels: A4
    /// sheets, one-label PDF pages, ZPL/TSPL for label printers, data for BarTender
    Label(label_args::LabelArgs),
    /// 标签打印机：列出、添加、删除配置，打印测试标签 label printers: list, add, remove profiles,
    /// print a test label
    Printer {
        #[command(subcommand)]
        command: printer::PrinterCommand,
    },
    /// 附件：添加（检查大小、类型与文件名），大小上限 attachments: add (size, type and name
    /// checked), the size limit
    Attachment {
        #[command(subcommand)]
        command: attachment::AttachmentCommand,
    },
    /// 目录与数据：CCC 目录、重点工业产品目录、计量单位的版本，加载更新版本
    /// catalogues: versions of the CCC catalogue, key products and units; load a newer one
    Catalogue {
        #[command(subcommand)]
        command: catalogue::CatalogueCommand,
    },
}

#[derive(Debug, Args)]
struct InitArgs {
    /// 企业名称 enterprise name
    #[arg(long)]
    name: String,
    /// 统一社会信用代码 unified social credit code (18 characters)
    #[arg(long)]
    uscc: String,
    /// 地址 address
    #[arg(long, default_value = "")]
    address: String,
    /// 联系人 contact person
    #[arg(long, default_value = "")]
    contact: String,
    /// 电话 phone
    #[arg(long, default_value = "")]
    phone: String,
    /// 生产许可证编号 production licence number (XK00-000-00000; an unusual form is only warned about)
    #[arg(long, default_value = "")]
    licence_no: String,
    /// 生产地址 production site, when it differs from the address
    #[arg(long, default_value = "")]
    production_address: String,
}

#[derive(Debug, Subcommand)]
enum DbCommand {
    /// 完整性检查并显示结构版本 integrity check and schema version
    Check,
}

/// Runs the CLI and returns the process exit code.
pub fn run(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> i32 {
    run_with(args, false)
}

/// [`run`], logging to the data directory's `logs/` (`app::init_logging`): what `main` calls.
/// Tests call [`run`], which leaves the log of the process alone.
pub fn run_logged(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> i32 {
    run_with(args, true)
}

fn run_with(args: impl IntoIterator<Item = impl Into<OsString> + Clone>, log: bool) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() { 2 } else { 0 };
        }
    };
    // The program works without its log (a read-only data folder): a failure here is ignored.
    let _log = log
        .then(|| app::init_logging(&config(&cli).data_dir, "cli").ok())
        .flatten();
    let out = Out::new(cli.json);
    match execute(&cli, &out) {
        Ok(code) => code,
        Err(err) => out.error(&err),
    }
}

fn config(cli: &Cli) -> app::Config {
    match &cli.db {
        Some(path) => app::Config::for_db(path),
        None => app::Config::in_dir(app::default_data_dir()),
    }
}

fn open(cli: &Cli) -> app::Result<app::App> {
    app::App::open(config(cli))
}

/// The runtime a call to the platform runs on: `workers` threads, or this thread alone.
fn runtime(workers: Option<usize>) -> app::Result<tokio::runtime::Runtime> {
    let mut builder = match workers {
        Some(n) => {
            let mut builder = tokio::runtime::Builder::new_multi_thread();
            builder.worker_threads(n);
            builder
        }
        None => tokio::runtime::Builder::new_current_thread(),
    };
    builder.enable_all().build().map_err(|e| {
        app::ApiError::new(
            app::ErrorCode::Internal,
            format!("无法启动：{e}"),
            format!("cannot start: {e}"),
        )
    })
}

fn execute(cli: &Cli, out: &Out) -> app::Result<i32> {
    match &cli.command {
        Command::Product { command } => master::product(cli, out, command),
        Command::Party { command } => master::party(cli, out, command),
        Command::Receipt { command } => receipt::run(cli, out, command),
        Command::Trace(args) => trace::trace(cli, out, args),
        Command::Recall(args) => trace::recall(cli, out, args),
        Command::Dev { command } => dev::run(out, command),
        Command::Submission(command) => submission::run(cli, out, command),
        Command::Platform { command } => platform::run(cli, out, command),
        Command::Import(args) => import::import(cli, out, args),
        Command::Template(args) => import::template(out, args),
        Command::Code { command } => code::run(cli, out, command),
        Command::Label(args) => code::label(cli, out, args),
        Command::Printer { command } => printer::run(cli, out, command),
        Command::Attachment { command } => attachment::run(cli, out, command),
        Command::Catalogue { command } => catalogue::run(cli, out, command),
        Command::Init(args) => {
            let app = open(cli)?;
            let input = app::EnterpriseInput {
                name: args.name.clone(),
                uscc: args.uscc.clone(),
                address: args.address.clone(),
                contact: args.contact.clone(),
                phone: args.phone.clone(),
                licence_no: args.licence_no.clone(),
                production_address: args.production_address.clone(),
            };
            let warnings = app.check_enterprise(&input)?;
            let enterprise = app.save_enterprise(&input)?;
            out.value(&enterprise, || {
                let mut text = format!(
                    "已保存企业信息 Enterprise profile saved\n  名称 name: {}\n  统一社会信用代码 USCC: {}\n  数据库 database: {}",
                    enterprise.name,
                    enterprise.uscc,
                    app.config().db_path.display()
                );
                if !enterprise.licence_no.is_empty() {
                    text.push_str(&format!("\n  生产许可证编号 licence: {}", enterprise.licence_no));
                }
                for w in &warnings {
                    text.push_str(&format!("\n  提示 note: {}", w.message_zh));
                }
                text
            });
            Ok(0)
        }
        Command::Db {
            command: DbCommand::Check,
        } => {
            let check = open(cli)?.db_check()?;
            out.value(&check, || {
                format!(
                    "{}\n  完整性 integrity: {}\n  结构版本 schema version: {}\n  数据库 database: {}",
                    if check.ok { "数据库完好 Database is healthy" } else { "数据库有问题 Database has problems" },
                    check.integrity.join("; "),
                    check.schema_version,
                    check.database
                )
            });
            Ok(if check.ok { 0 } else { 1 })
        }
        Command::Backup { auto: true, .. } => {
            let result = open(cli)?.auto_backup()?;
            out.value(&result, || {
                format!("{}\n  {}", result.message_zh, result.message_en)
            });
            Ok(0)
        }
        Command::Backup {
            auto_on,
            auto_off,
            status,
            file: None,
            ..
        } => {
            let app = open(cli)?;
            let st = if *auto_on || *auto_off {
                app.set_auto_backup(*auto_on)?
            } else {
                debug_assert!(*status);
                app.backup_status()?
            };
            out.value(&st, || format!("{}\n  {}", st.message_zh, st.message_en));
            Ok(if st.overdue { 1 } else { 0 })
        }
        Command::Diagnostics {
            out: file,
            include_data,
        } => {
            let result = open(cli)?.diagnostics(file.as_deref(), *include_data)?;
            out.value(&result, || {
                format!(
                    "{}\n  {}\n  {}",
                    result.message_zh,
                    result.message_en,
                    result.files.join(", ")
                )
            });
            Ok(0)
        }
        Command::About => {
            let about = open(cli)?.about()?;
            out.value(&about, || {
                let mut text = format!(
                    "追溯通 tracedesk {}\n  数据库结构 schema: v{}\n  SQLite: {}\n  系统 OS: {}\n  数据库 database: {}",
                    about.version, about.schema_version, about.sqlite_version, about.os, about.database
                );
                for f in &about.folders {
                    let name = match f.folder {
                        app::DataFolder::Data => "数据目录 data",
                        app::DataFolder::Backups => "备份 backups",
                        app::DataFolder::Exports => "导出 exports",
                        app::DataFolder::Logs => "日志 logs",
                        app::DataFolder::Attachments => "附件 attachments",
                    };
                    text.push_str(&format!("\n  {name}: {}", f.path));
                }
                text
            });
            Ok(0)
        }
        Command::Backup {
            file: Some(file), ..
        } => {
            let info = open(cli)?.backup(Some(file))?;
            out.value(&info, || {
                format!(
                    "已备份 Backed up: {} ({} 字节 bytes, 结构版本 schema v{})",
                    info.path, info.bytes, info.schema_version
                )
            });
            Ok(0)
        }
        Command::Restore { file, force } => {
            let app = open(cli)?;
            let result = app.restore(file, *force)?;
            out.value(&result, || {
                let c = &result.carried;
                let mut text = format!(
                    "已从 {} 恢复 Restored from {}\n  原数据另存为 previous data kept as: {}\n  接续的序列号规则 series carried forward: {}\n  补回的已发序列号段 issued ranges kept: {} ({} 个序列号 serials)",
                    file.display(),
                    file.display(),
                    result.pre_restore.as_deref().unwrap_or("-"),
                    c.series,
                    c.allocations,
                    c.serials
                );
                for p in &result.schema_problems {
                    text.push_str(&format!(
                        "\n  警告 warning: 数据库结构不符，已强制恢复 schema differs, restored as forced: {} / {}",
                        p.message_zh, p.message_en
                    ));
                }
                if result.forced && !result.archive.ok {
                    text.push_str(&format!(
                        "\n  警告 warning: 报送档案校验未通过，已强制恢复并记入审计日志 the archive does not verify; restored as forced, recorded in the audit log\n  {}\n  {}",
                        result.archive.reason_zh.as_deref().or(result.archive.record_reason_zh.as_deref()).unwrap_or_default(),
                        result.archive.reason.as_deref().or(result.archive.record_reason_en.as_deref()).unwrap_or_default()
                    ));
                }
                text
            });
            Ok(0)
        }
    }
}
