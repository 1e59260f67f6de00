//! `simulator`: the platform stand-in on 127.0.0.1 for trying tracedesk by hand (contract §10).

use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;

/// Serves the tracedesk submission contract (src-tauri/contract/submission-api.md) on
/// 127.0.0.1 with the practice credentials App Key `practice` / App Secret `practice-secret`.
#[derive(Debug, Parser)]
#[command(name = "simulator", version)]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free port).
    #[arg(long, default_value_t = 8787)]
    port: u16,
    /// Faults per request, e.g. "5xx=0.1,429=0.05,timeout=0.05,drop-after-store=0.1,partial=0.1".
    #[arg(long, default_value = "")]
    faults: String,
    /// Seed of the fault RNG; the same seed repeats the same faults.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// JSON-lines file that keeps accepted records across restarts.
    #[arg(long)]
    store: Option<PathBuf>,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let cli = simulator::CliArgs {
        port: args.port,
        faults: args.faults,
        seed: args.seed,
        store: args.store,
    };
    simulator::run_cli(&cli, |url| {
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
