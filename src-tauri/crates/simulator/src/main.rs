//! `simulator`: the platform stand-in on 127.0.0.1 for trying tracedesk by hand (contract §10).

use anyhow::Context;
use clap::Parser;

/// Serves the tracedesk submission contract (src-tauri/contract/submission-api.md) on
/// 127.0.0.1 with the practice credentials App Key `practice` / App Secret `practice-secret`.
#[derive(Debug, Parser)]
#[command(name = "simulator", version)]
struct Args {
    #[command(flatten)]
    cli: simulator::CliArgs,
}

fn main() -> anyhow::Result<()> {
    simulator::run_cli(&Args::parse().cli, |url| {
        println!(
            "simulator listening on {url}  (base URL {url}/api/v1, Ecode shape {url}/interface)"
        );
        println!(
            "credentials: App Key {} / App Secret {}",
            simulator::PRACTICE_APP_KEY,
            simulator::PRACTICE_APP_SECRET
        );
        println!("press Ctrl-C to stop");
    })
    .context("simulator failed")
}
