//! `tracedesk platform set | show | test`: which platform submissions go to, and whether it
//! answers. The App Secret is not an argument of any of them: it comes from stdin
//! (`tracedesk secret`) or is already in the keychain or the 0600 file.

use clap::{Args, Subcommand};

use crate::output::Out;
use crate::{Cli, open, runtime};

#[derive(Debug, Subcommand)]
pub enum PlatformCommand {
    /// 设置报送平台：真实平台（--url 与 --app-key）或内置练习平台（--practice）
    /// point submissions at a real platform (--url, --app-key) or the practice one (--practice)
    Set(SetArgs),
    /// 显示平台设置与密钥保存位置（不显示密钥） show the platform, its App Key and where the secret is kept
    Show,
    /// 测试连接：可达性、往返时间、时钟偏差、凭证是否有效 test the connection: reachable, round trip, clock skew, credentials
    Test(TestArgs),
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// 平台接口地址 base URL, e.g. https://platform.example.cn/api/v1 (http only on this computer)
    #[arg(long, value_name = "URL", required_unless_present = "practice")]
    url: Option<String>,
    /// 平台分配的 AppKey the App Key issued by the platform; the App Secret goes in with `tracedesk secret`
    #[arg(long, value_name = "KEY", required_unless_present = "practice")]
    app_key: Option<String>,
    /// 改回内置练习平台 back to the built-in practice platform
    #[arg(long, conflicts_with_all = ["url", "app_key"])]
    practice: bool,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// practice（内置练习平台）或平台地址 URL；默认取设置 `practice` or a base URL; default: the settings
    #[arg(long, value_name = "practice|URL")]
    platform: Option<String>,
}

fn store_line(info: &app::PlatformInfo) -> String {
    match info.secret_store.as_str() {
        "practice" => {
            "练习凭证（公开，仅练习平台有效） practice credentials (documented, valid only there)"
                .into()
        }
        "keychain" => "已保存在系统钥匙串 stored in the system keychain".into(),
        "file" => format!(
            "已保存在仅本用户可读的文件（0600） stored in an owner-only file (0600): {}",
            info.secret_file.clone().unwrap_or_default()
        ),
        _ => "未保存 not stored — printf '%s' \"$SECRET\" | tracedesk secret".into(),
    }
}

fn show(info: &app::PlatformInfo) -> String {
    let mut s = match info.mode {
        app::PlatformMode::Practice => {
            "平台 platform: 内置练习平台 built-in practice platform".to_string()
        }
        app::PlatformMode::Remote => format!(
            "平台 platform: 真实平台 real platform\n  地址 URL: {}",
            info.url
        ),
    };
    s.push_str(&format!("\n  AppKey: {}", info.app_key));
    s.push_str(&format!("\n  AppSecret: {}", store_line(info)));
    if let (Some(zh), Some(en)) = (&info.warning_zh, &info.warning_en) {
        s.push_str(&format!("\n警告：{zh}\nWarning: {en}"));
    }
    s
}

fn test_text(t: &app::PlatformTest) -> String {
    let mut s = format!("{}\n{}", t.message_zh, t.message_en);
    s.push_str(&format!(
        "\n  平台 platform: {}{}",
        t.url,
        if t.practice {
            "（练习模式 practice）"
        } else {
            ""
        }
    ));
    s.push_str(&format!("\n  AppKey: {}", t.app_key));
    match t.http_status {
        Some(status) => {
            let mut answer = format!("HTTP {status}");
            if let Some(problem) = &t.problem {
                answer.push_str(&format!(" {problem}"));
            }
            let words: Vec<&str> = [t.problem_title.as_deref(), t.problem_detail.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            if !words.is_empty() {
                answer.push_str(&format!(" — {}", words.join("：")));
            }
            s.push_str(&format!("\n  平台答复 answer: {answer}"));
        }
        None => s.push_str("\n  平台答复 answer: 无 none"),
    }
    if let Some(ms) = t.round_trip_ms {
        s.push_str(&format!("\n  往返时间 round trip: {ms} ms"));
    }
    if let Some(skew) = t.clock_skew_secs {
        s.push_str(&format!(
            "\n  时钟偏差 clock skew: {skew:+} s（平台减本机 platform minus this computer；允许 ±300 s）"
        ));
    }
    s.push_str(&format!(
        "\n  凭证 credentials: {}",
        match t.credentials_accepted {
            Some(true) => "有效 accepted",
            Some(false) => "被拒绝 refused",
            None => "未知 not known",
        }
    ));
    s
}

pub fn run(cli: &Cli, out: &Out, command: &PlatformCommand) -> app::Result<i32> {
    match command {
        PlatformCommand::Set(args) => {
            let settings = if args.practice {
                app::PlatformSettings {
                    mode: app::PlatformMode::Practice,
                    url: String::new(),
                    app_key: String::new(),
                }
            } else {
                app::PlatformSettings {
                    mode: app::PlatformMode::Remote,
                    url: args.url.clone().unwrap_or_default(),
                    app_key: args.app_key.clone().unwrap_or_default(),
                }
            };
            let info = open(cli)?.set_platform(&settings)?;
            out.value(&info, || {
                let mut s = format!("已保存 Saved\n{}", show(&info));
                if info.mode == app::PlatformMode::Remote && !info.has_secret {
                    s.push_str(
                        "\n下一步：printf '%s' \"$SECRET\" | tracedesk secret，然后 tracedesk platform test\nNext: printf '%s' \"$SECRET\" | tracedesk secret, then tracedesk platform test",
                    );
                }
                s
            });
            Ok(0)
        }
        PlatformCommand::Show => {
            let info = open(cli)?.platform_info()?;
            out.value(&info, || show(&info));
            Ok(0)
        }
        PlatformCommand::Test(args) => {
            let app = open(cli)?;
            let runtime = runtime(None)?;
            let test = runtime.block_on(app.test_platform(args.platform.clone()))?;
            out.value(&test, || test_text(&test));
            Ok(if test.ok { 0 } else { 1 })
        }
    }
}
