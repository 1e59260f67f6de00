//! A stand-in for the traceability platform, served on 127.0.0.1 for tests, demos and the app's
//! practice mode (练习模式).
//!
//! It is written from `src-tauri/contract/submission-api.md` and the examples beside it, and from
//! nothing else: it must not import the client's wire types (`platform::wire`) or any other crate
//! of ours, so that a misreading of the contract in the client cannot be copied into its fake
//! (architecture invariant 6). GTIN and USCC checks are therefore re-implemented in `checks.rs`,
//! as a real platform would check them independently.
//!
//! What it does: the signed JSON API of contract §1–§9 (`POST /api/v1/records:batch`,
//! `GET /api/v1/records/{key}`, the archive anchor `GET /api/v1/archive-anchor`), the Ecode (iotroot) shape of §11 under `/interface`, seeded fault
//! injection (§10), and test endpoints under `/__simulator`. It keeps accepted records and the latest
//! archive anchor per App Key in memory, optionally mirrored to a JSON-lines file.
//!
//! Entry points: [`start`] inside a tokio runtime, [`spawn_blocking_thread`] for callers without
//! one (the desktop shell, the CLI), and [`run_cli`] for the `simulator` binary and the
//! `tracedesk simulator` subcommand.

mod auth;
mod canonical;
mod checks;
mod ecode;
mod faults;
mod http;
mod server;
mod state;
mod store;
mod validate;

#[cfg(test)]
mod tests;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use crate::auth::{canonical_string, ecode_sign, sign};
pub use crate::canonical::{canonical, idempotency_key};
pub use crate::faults::{FaultKind, Faults};
pub use crate::store::StoredAnchor;

/// The practice-mode App Key (contract §10). Documented, not secret.
pub const PRACTICE_APP_KEY: &str = "practice";
/// The practice-mode App Secret (contract §10). Documented, not secret; valid only here.
pub const PRACTICE_APP_SECRET: &str = "practice-secret";

/// How a simulator behaves. `Default` is practice mode: practice credentials, contract limits,
/// no faults, seed 0.
#[derive(Debug, Clone)]
pub struct SimulatorConfig {
    /// Per-request fault probabilities (contract §10).
    pub faults: Faults,
    /// Seed of the fault RNG: same seed and same request sequence give the same faults.
    pub seed: u64,
    /// Accepted `(app_key, app_secret)` pairs; also the Ecode `(clientId, secretKey)` pairs.
    pub credentials: Vec<(String, String)>,
    /// Records per batch before `413` (contract: 500).
    pub max_batch_records: usize,
    /// Body bytes before `413` (contract: 5 MiB).
    pub max_body_bytes: usize,
    /// Delay of the `slow` fault.
    pub slow_ms: u64,
    /// Delay of the `timeout` fault before it answers 503; keep it above the client's timeout.
    pub timeout_ms: u64,
    /// Accepted clock difference for `X-Timestamp` (contract: 300 s).
    pub clock_skew_secs: u64,
    /// Accepted records (and Ecode uploads) kept before answering `E_QUOTA`; bounds memory.
    pub max_stored_records: usize,
    /// Live nonces remembered before answering 429; bounds memory.
    pub max_nonces: usize,
    /// JSON-lines file mirroring accepted records and archive anchors, reloaded at start (CLI
    /// and practice mode).
    pub store_file: Option<PathBuf>,
    /// The `Retry-After` value of the `5xx`, `429` and `timeout` faults' answers (contract §10):
    /// `1` by default; tests set other delay-seconds or an HTTP-date. A value that is not a
    /// valid header value leaves the default.
    pub retry_after: String,
}

impl Default for SimulatorConfig {
    fn default() -> SimulatorConfig {
        SimulatorConfig {
            faults: Faults::none(),
            seed: 0,
            credentials: vec![(PRACTICE_APP_KEY.to_owned(), PRACTICE_APP_SECRET.to_owned())],
            max_batch_records: 500,
            max_body_bytes: 5 * 1024 * 1024,
            slow_ms: 3_000,
            timeout_ms: 30_000,
            clock_skew_secs: 300,
            max_stored_records: 200_000,
            max_nonces: 100_000,
            store_file: None,
            retry_after: "1".to_owned(),
        }
    }
}

impl SimulatorConfig {
    /// Practice mode: the same as `Default`.
    pub fn practice() -> SimulatorConfig {
        SimulatorConfig::default()
    }
}

/// The counters of `GET /__simulator/stats` (contract §10).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Distinct records stored.
    pub accepted: u64,
    /// Record results `rejected` with `retryable: false` (validation and `SIM_REJECT`).
    pub rejected: u64,
    /// Batch results `duplicate`.
    pub duplicates: u64,
    /// Platform requests received (`/api/v1/*`, `/interface/*`), including failed ones.
    pub requests: u64,
    /// Injected faults that took effect, one per affected request.
    pub faults: u64,
}

/// Why a simulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the simulator serves plain http and listens on loopback only, not on {0}")]
    NotLoopback(SocketAddr),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot open the store file {path}: {source}")]
    StoreFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid fault spec: {0}")]
    Faults(String),
    #[error("cannot start the simulator's runtime: {0}")]
    Runtime(std::io::Error),
    #[error("the simulator thread stopped before it was ready")]
    ThreadDied,
}

/// A cheap, cloneable view of a running simulator's state, usable from any thread.
#[derive(Clone)]
pub struct SimulatorHandle {
    shared: Arc<state::Shared>,
}

impl SimulatorHandle {
    /// The counters of `GET /__simulator/stats`.
    pub fn stats(&self) -> Stats {
        self.shared.stats()
    }

    /// The accepted records, as submitted, in acceptance order.
    pub fn accepted_records(&self) -> Vec<serde_json::Value> {
        self.shared.accepted_records()
    }

    /// Replaces the random fault set (as `POST /__simulator/faults`).
    pub fn set_faults(&self, faults: Faults) {
        self.shared.set_faults(faults);
    }

    /// The current random fault set.
    pub fn faults(&self) -> Faults {
        self.shared.faults()
    }

    /// Queues faults forced on the next platform requests, one each, in order.
    pub fn force_next(&self, faults: &[FaultKind]) {
        self.shared.force_next(faults);
    }

    /// Back to the start state (as `POST /__simulator/reset`).
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// The latest archive anchor received from `app_key` (contract §6.4).
    pub fn archive_anchor(&self, app_key: &str) -> Option<StoredAnchor> {
        self.shared.lock().store.anchor(app_key).cloned()
    }
}

/// The accessors a running simulator has however it runs ([`RunningSimulator`] inside the
/// caller's runtime, [`SimulatorThread`] on its own): its URL and its handle's views.
macro_rules! running_simulator_accessors {
    () => {
        pub fn url(&self) -> &str {
            &self.url
        }
        pub fn handle(&self) -> SimulatorHandle {
            self.handle.clone()
        }
        pub fn stats(&self) -> Stats {
            self.handle.stats()
        }
        pub fn accepted_records(&self) -> Vec<serde_json::Value> {
            self.handle.accepted_records()
        }
    };
}

/// A simulator running on the caller's tokio runtime. Dropping it stops the server too, but
/// [`RunningSimulator::shutdown`] waits until every connection is closed.
pub struct RunningSimulator {
    /// `http://127.0.0.1:<port>`, without a trailing slash; the contract's base URL is `{url}/api/v1`.
    pub url: String,
    /// The bound address (useful with port 0).
    pub addr: SocketAddr,
    handle: SimulatorHandle,
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl RunningSimulator {
    running_simulator_accessors!();

    pub fn set_faults(&self, faults: Faults) {
        self.handle.set_faults(faults);
    }
    pub fn force_next(&self, faults: &[FaultKind]) {
        self.handle.force_next(faults);
    }
    pub fn reset(&self) {
        self.handle.reset();
    }

    /// Stops accepting connections, closes open ones (abandoning requests in flight, such as a
    /// `timeout` fault's wait) and waits for the server task to end.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// Starts a simulator on `addr` (use `127.0.0.1:0` for a free port) inside the current tokio
/// runtime. Only loopback addresses are accepted, because the simulator speaks plain http and its
/// practice credentials are public.
pub async fn start(config: SimulatorConfig, addr: SocketAddr) -> Result<RunningSimulator, Error> {
    if !addr.ip().is_loopback() {
        return Err(Error::NotLoopback(addr));
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| Error::Bind { addr, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| Error::Bind { addr, source })?;
    let shared = Arc::new(state::Shared::new(config)?);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(server::serve(listener, shared.clone(), stopped));
    Ok(RunningSimulator {
        url: format!("http://{addr}"),
        addr,
        handle: SimulatorHandle { shared },
        stop,
        task,
    })
}

/// A simulator running on its own thread with its own tokio runtime, for callers that are not
/// async (the desktop shell's practice mode, the CLI). Dropping it stops the server and joins the
/// thread.
pub struct SimulatorThread {
    /// `http://127.0.0.1:<port>`, without a trailing slash.
    pub url: String,
    pub addr: SocketAddr,
    handle: SimulatorHandle,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SimulatorThread {
    running_simulator_accessors!();

    /// Stops the server and waits for its thread.
    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for SimulatorThread {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

/// Starts a simulator on a background thread with its own single-threaded tokio runtime and
/// returns once it is listening.
pub fn spawn_blocking_thread(
    config: SimulatorConfig,
    addr: SocketAddr,
) -> Result<SimulatorThread, Error> {
    type Ready = Result<(String, SocketAddr, SimulatorHandle), Error>;
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Ready>();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("simulator".to_owned())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = ready_tx.send(Err(Error::Runtime(e)));
                    return;
                }
            };
            runtime.block_on(async move {
                match start(config, addr).await {
                    Ok(sim) => {
                        let _ = ready_tx.send(Ok((sim.url.clone(), sim.addr, sim.handle())));
                        // A dropped sender also ends the wait, so an abandoned handle stops the server.
                        let _ = stop_rx.await;
                        sim.shutdown().await;
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                    }
                }
            });
        })
        .map_err(Error::Runtime)?;
    match ready_rx.recv() {
        Ok(Ok((url, addr, handle))) => Ok(SimulatorThread {
            url,
            addr,
            handle,
            stop: Some(stop_tx),
            thread: Some(thread),
        }),
        Ok(Err(e)) => {
            let _ = thread.join();
            Err(e)
        }
        Err(_) => {
            let _ = thread.join();
            Err(Error::ThreadDied)
        }
    }
}

/// Options of the `simulator` binary and of `tracedesk simulator`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CliArgs {
    /// 端口（0 自动选择） port on 127.0.0.1 (0 picks one)
    #[arg(long, default_value_t = 8787)]
    pub port: u16,
    /// 故障概率 fault probabilities, e.g. "5xx=0.1,429=0.05,timeout=0.05,drop-after-store=0.1"
    #[arg(long, default_value = "")]
    pub faults: String,
    /// 故障随机数种子，同一种子重现同样的故障 seed of the fault RNG; the same seed repeats the
    /// same faults
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// 已接收记录的 JSON-lines 存档文件 JSON-lines store of accepted records
    #[arg(long)]
    pub store: Option<PathBuf>,
}

/// The configuration the CLI runs with: practice credentials and contract limits, plus the
/// given faults, seed and store file.
pub fn cli_config(args: &CliArgs) -> Result<SimulatorConfig, Error> {
    Ok(SimulatorConfig {
        faults: Faults::parse(&args.faults).map_err(Error::Faults)?,
        seed: args.seed,
        store_file: args.store.clone(),
        ..SimulatorConfig::practice()
    })
}

/// Runs a simulator on `127.0.0.1:<port>` until Ctrl-C (or SIGTERM), after calling `ready` with
/// its URL.
/// This is the whole of the `simulator` binary, shared with `tracedesk simulator`.
pub fn run_cli(args: &CliArgs, ready: impl FnOnce(&str)) -> Result<(), Error> {
    let config = cli_config(args)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(Error::Runtime)?;
    runtime.block_on(async move {
        let sim = start(config, SocketAddr::from((Ipv4Addr::LOCALHOST, args.port))).await?;
        ready(&sim.url);
        stop_signal().await;
        sim.shutdown().await;
        Ok(())
    })
}

/// Ctrl-C, or SIGTERM on Unix (how scripts and CI stop a background simulator).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
