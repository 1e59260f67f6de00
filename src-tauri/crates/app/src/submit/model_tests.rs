//! The submission invariant as a model-based test: random sequences of what clerks do (edits,
//! 更正 and reverts, runs against the practice platform and a real one, platform faults of every
//! kind that answers, a second process holding the lease, switching platforms), checked after
//! every step and once everything has settled:
//!
//! for every platform and every record, the version the platform holds equals the record's
//! current content, or the record is visibly pending or rejected; the platform stores each key
//! once (nothing accepted twice: its accepted count equals the keys it holds, and equals the
//! outbox's accepted rows for that platform), and nothing the outbox holds as accepted is missing
//! from the platform (nothing lost).
//!
//! `TRACEDESK_MODEL_CASES` sets the number of cases (default 6 in `cargo test`; `make model` runs
//! 200), `TRACEDESK_MODEL_SEED` the seed (default 20261207), so a failure is replayed exactly.
//! Item lists the coder printed are imported between runs, and a submitting child process is
//! killed with `kill -9` at a random moment. Restoring an older backup is not in the model: it
//! takes the database back to before versions the platform already holds, which no client can
//! undo by itself; `archive verify --against-platform` reports it (`platform-ahead`), and the
//! restore tests cover what a restore must keep (the serial ledger, the lease).

use std::collections::HashMap;

use proptest::prelude::*;
use proptest::test_runner::{Config as PtConfig, RngAlgorithm, TestRng, TestRunner};
use simulator::{FaultKind, RunningSimulator, SimulatorConfig, SimulatorHandle};

use super::tests::{loopback, open, options, practice, quiet, receipts, remote, setup, sql};
use crate::{App, SubmitRequest};

const RECEIPTS: usize = 3;

#[derive(Debug, Clone)]
enum Op {
    /// The clerk changes a receipt's quantity (opening it for 更正 first when it is locked).
    Edit { receipt: usize, quantity: u16 },
    /// The clerk puts back the quantity the receipt was first reported with.
    Revert { receipt: usize },
    /// A run against the platform of the settings, with faults forced on its first requests.
    Submit { faults: Vec<FaultKind> },
    /// Settings → 平台连接: practice or the real platform.
    Switch { real: bool },
    /// Another process holds the lease while this one tries to submit: refused, nothing sent.
    Contend,
    /// An item list of `n` new serials arrives from the coder and is imported.
    Import { n: usize },
    /// A scheduled `submit` child process is killed with SIGKILL after `after_ms`.
    Kill { after_ms: u64 },
}

fn fault() -> impl Strategy<Value = FaultKind> {
    prop_oneof![
        Just(FaultKind::ServerError),
        Just(FaultKind::RateLimited),
        Just(FaultKind::Partial),
        Just(FaultKind::Reject),
        Just(FaultKind::DropAfterStore),
        Just(FaultKind::Malformed),
        Just(FaultKind::AuthExpired),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..RECEIPTS, 1u16..500).prop_map(|(receipt, quantity)| Op::Edit { receipt, quantity }),
        1 => (0..RECEIPTS).prop_map(|receipt| Op::Revert { receipt }),
        4 => prop::collection::vec(fault(), 0..3).prop_map(|faults| Op::Submit { faults }),
        1 => any::<bool>().prop_map(|real| Op::Switch { real }),
        1 => Just(Op::Contend),
        1 => (1usize..40).prop_map(|n| Op::Import { n }),
        1 => (0u64..250).prop_map(|after_ms| Op::Kill { after_ms }),
    ]
}

struct World {
    _dir: tempfile::TempDir,
    app: App,
    real: RunningSimulator,
    real_target: String,
    on_real: bool,
    /// Serials imported so far (serials 0 .. imported).
    imported: usize,
}

impl World {
    fn platform(&self, real: bool) -> Option<SimulatorHandle> {
        if real {
            Some(self.real.handle())
        } else {
            self.app.practice_handle()
        }
    }

    fn target(&self, real: bool) -> &str {
        if real { &self.real_target } else { "practice" }
    }
}

fn quantity(app: &App, receipt: usize) -> f64 {
    app.db()
        .conn()
        .query_row(
            "SELECT quantity FROM receipt WHERE id = ?1",
            [receipt as i64 + 1],
            |r| r.get(0),
        )
        .unwrap()
}

/// Makes receipt `receipt` editable the way the window does: a record the real platform accepted
/// is opened for 更正 on its current version first.
fn unlock(app: &App, receipt: usize, target: &str) {
    if store::edit_guard::submitted_at(app.db().conn(), "receipt", receipt as i64 + 1)
        .unwrap()
        .is_none()
    {
        return;
    }
    let current: i64 = app
        .db()
        .conn()
        .query_row(
            "SELECT max(id) FROM outbox WHERE target = ?1 AND source_kind = 'receipt'
               AND source_id = ?2 AND superseded = 0 AND kind <> 'errorDeclaration'",
            rusqlite::params![target, receipt as i64 + 1],
            |r| r.get(0),
        )
        .unwrap();
    app.open_correction(current).unwrap();
}

/// After every step: each platform stores each key once, and holds every key the outbox holds
/// as accepted for it.
fn check_step(w: &World) {
    for real in [false, true] {
        let Some(p) = w.platform(real) else { continue };
        let stored = super::tests::stored_keys(&p.accepted_records());
        assert_eq!(
            stored.len() as u64,
            p.stats().accepted,
            "the platform stores each record once"
        );
        let keys = |sql: &str| -> Vec<String> {
            let db = w.app.db();
            let mut stmt = db.conn().prepare(sql).unwrap();
            stmt.query_map([w.target(real)], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        let accepted =
            keys("SELECT idempotency_key FROM outbox WHERE state = 'accepted' AND target = ?1");
        for key in &accepted {
            assert!(
                stored.contains(key),
                "accepted locally, missing on the platform: {key}"
            );
        }
        // The platform may hold more: records whose answer was lost (outcome unknown), or that
        // a killed process was sending, which the outbox keeps in flight until a resend or a
        // reconcile settles them.
        let unknown: std::collections::HashSet<String> = keys(
            "SELECT idempotency_key FROM outbox WHERE target = ?1
               AND (state = 'sending' OR (state = 'retry_wait' AND outcome_unknown = 1))",
        )
        .into_iter()
        .collect();
        for key in &stored {
            assert!(
                accepted.contains(key) || unknown.contains(key),
                "the platform holds {key}, which the outbox neither accepted nor has in flight"
            );
        }
    }
}

/// Once settled: the newest receiving record each platform holds for a receipt carries the
/// receipt's current quantity, unless the record is visibly rejected; and every imported serial
/// reached every platform that was reported to.
fn check_settled(w: &World) {
    for real in [false, true] {
        let Some(p) = w.platform(real) else { continue };
        let records = p.accepted_records();
        let item_rejected: i64 = w
            .app
            .db()
            .conn()
            .query_row(
                "SELECT count(*) FROM outbox WHERE target = ?1 AND kind = 'commissioning'
                   AND state = 'rejected' AND superseded = 0",
                [w.target(real)],
                |r| r.get(0),
            )
            .unwrap();
        // A list the platform rejected is visibly rejected, which the invariant allows.
        if w.imported > 0 && !records.is_empty() && item_rejected == 0 {
            let serials: std::collections::HashSet<String> = records
                .iter()
                .map(|r| r.get("record").cloned().unwrap_or_else(|| r.clone()))
                .filter(|r| {
                    r["kind"] == "commissioning"
                        && r["payload"]["clientRef"]
                            .as_str()
                            .is_some_and(|c| c.starts_with("batch-"))
                })
                .flat_map(|r| {
                    r["payload"]["line"]["items"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default()
                })
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            assert_eq!(
                serials.len(),
                w.imported,
                "every imported serial was reported"
            );
        }
        let mut latest: HashMap<i64, f64> = HashMap::new();
        for r in p.accepted_records() {
            let r = r.get("record").cloned().unwrap_or(r);
            let payload = &r["payload"];
            if r["kind"] != "receiving" {
                continue;
            }
            let client_ref = payload["clientRef"].as_str().unwrap_or_default();
            let id: i64 = client_ref
                .trim_start_matches("receipt-")
                .split('/')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            let q: f64 = payload["material"]["quantity"]
                .as_str()
                .and_then(|q| q.parse().ok())
                .unwrap_or(-1.0);
            latest.insert(id, q);
        }
        for receipt in 0..RECEIPTS {
            let id = receipt as i64 + 1;
            let rejected: i64 = w
                .app
                .db()
                .conn()
                .query_row(
                    "SELECT count(*) FROM outbox WHERE target = ?1 AND source_kind = 'receipt'
                       AND source_id = ?2 AND state = 'rejected' AND superseded = 0",
                    rusqlite::params![w.target(real), id],
                    |r| r.get(0),
                )
                .unwrap();
            if rejected > 0 {
                continue;
            }
            let Some(held) = latest.get(&id) else {
                // Never sent to this platform: only a platform the clerk reported to holds it.
                continue;
            };
            assert_eq!(
                *held,
                quantity(&w.app, receipt),
                "platform {} holds receipt {id} in its latest content",
                if real { "real" } else { "practice" }
            );
        }
    }
}

async fn run_case(ops: Vec<Op>) {
    let real = simulator::start(SimulatorConfig::practice(), loopback())
        .await
        .unwrap();
    let (dir, app) = super::workflow_tests::kettle_app("item");
    receipts(&app, RECEIPTS);
    let mut w = World {
        real_target: format!("{}/api/v1|practice", real.url),
        _dir: dir,
        app,
        real,
        on_real: false,
        imported: 0,
    };
    let first: Vec<f64> = (0..RECEIPTS).map(|r| quantity(&w.app, r)).collect();
    let mut opts = options();
    opts.max_wait = std::time::Duration::from_millis(400);
    for op in ops {
        match op {
            Op::Edit { receipt, quantity } => {
                unlock(&w.app, receipt, w.target(w.on_real));
                sql(
                    &w.app,
                    &format!(
                        "UPDATE receipt SET quantity = {quantity} WHERE id = {}",
                        receipt + 1
                    ),
                );
            }
            Op::Revert { receipt } => {
                unlock(&w.app, receipt, w.target(w.on_real));
                sql(
                    &w.app,
                    &format!(
                        "UPDATE receipt SET quantity = {} WHERE id = {}",
                        first[receipt],
                        receipt + 1
                    ),
                );
            }
            Op::Submit { faults } => {
                if !w.on_real {
                    // Start the practice platform so its faults can be forced.
                    w.app.practice_platform().unwrap();
                }
                if let Some(p) = w.platform(w.on_real) {
                    p.force_next(&faults);
                }
                // Credentials refused stop the run; it is not an error of the app.
                let _ = w
                    .app
                    .submit_with(&SubmitRequest::default(), opts, quiet())
                    .await
                    .unwrap();
            }
            Op::Switch { real } => {
                if real {
                    remote(&w.app, &w.real.url);
                } else {
                    setup(&w.app, practice());
                }
                w.on_real = real;
            }
            Op::Import { n } => {
                let sheet = w
                    .app
                    .config()
                    .data_dir
                    .join(format!("items-{}.csv", w.imported));
                super::workflow_tests::item_sheet(&sheet, w.imported, w.imported + n);
                super::workflow_tests::import_items(&w.app, &sheet);
                w.imported += n;
            }
            Op::Kill { after_ms } => {
                // Only against the real platform: a child's practice platform would be its own.
                if w.on_real {
                    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
                        .args([
                            "--exact",
                            "submit::tests::kill9_child",
                            "--test-threads",
                            "1",
                        ])
                        .env("TRACEDESK_KILL9_DIR", w.app.config().data_dir.as_os_str())
                        .env("TRACEDESK_KILL9_URL", &w.real.url)
                        .stdout(std::process::Stdio::null())
                        .stderr(std::process::Stdio::null())
                        .spawn()
                        .unwrap();
                    tokio::time::sleep(std::time::Duration::from_millis(after_ms)).await;
                    child.kill().unwrap();
                    child.wait().unwrap();
                }
            }
            Op::Contend => {
                let other = open(w.app.config().data_dir.as_path());
                let held = other.take_lease("submit").unwrap();
                let refused = w.app.submit(&SubmitRequest::default(), quiet()).await;
                assert!(refused.is_err(), "a second process cannot submit meanwhile");
                drop(held);
            }
        }
        check_step(&w);
    }
    // Settle: both platforms answer normally now; every platform the clerk reported to gets the
    // current content of every record.
    for real in [false, true] {
        if real {
            remote(&w.app, &w.real.url);
        } else {
            setup(&w.app, practice());
        }
        w.on_real = real;
        if let Some(p) = w.platform(real) {
            p.force_next(&[]);
        }
        let mut settle = options();
        settle.max_wait = std::time::Duration::from_secs(20);
        for _ in 0..3 {
            let s = w
                .app
                .submit_with(&SubmitRequest::default(), settle, quiet())
                .await
                .unwrap();
            if s.stop == crate::SubmitStop::Done && s.waiting == 0 {
                break;
            }
        }
        check_step(&w);
    }
    check_settled(&w);
    for real in [false, true] {
        if let Some(p) = w.platform(real) {
            let unknown: i64 = w
                .app
                .db()
                .conn()
                .query_row(
                    "SELECT count(*) FROM outbox WHERE target = ?1 AND state IN ('sending', 'retry_wait', 'ready')",
                    [w.target(real)],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(unknown, 0, "settled: nothing pending");
            let _ = p;
        }
    }
    w.real.shutdown().await;
}

#[test]
fn every_platform_ends_with_the_latest_version_of_every_record() {
    let cases: u32 = std::env::var("TRACEDESK_MODEL_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6);
    let seed: u64 = std::env::var("TRACEDESK_MODEL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_261_207);
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        PtConfig {
            cases,
            failure_persistence: None,
            ..PtConfig::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runner
        .run(&prop::collection::vec(op(), 1..14), |ops| {
            rt.block_on(run_case(ops));
            Ok(())
        })
        .unwrap();
}
