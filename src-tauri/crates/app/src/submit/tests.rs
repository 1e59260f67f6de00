//! Submission end to end against the simulator on loopback: the practice flow (reject, fix,
//! resubmit, correct), the invariant under every fault, offline pause and resume, reconciliation
//! after a crash, and a real `kill -9` of a submitting process.
//!
//! The invariant, precisely. Let A be the set of keys the outbox holds as `accepted`, and S the
//! set of keys the simulator stored. Nothing lost: every record queued ends `accepted` (none is
//! dropped, none is rejected by a fault) and A = S. Nothing accepted twice: |S| =
//! `stats.accepted` = |A| (the platform stores each key once, and no two live outbox versions of
//! one source exist); `stats.duplicates` counts resends of a record the platform already held,
//! which happens only on the contract's "outcome unknown" path (§8.4: a dropped connection, a
//! timeout or an unreadable 200): every outbox row accepted as `duplicate` has `outcome_unknown`
//! set, and the count lies between the number of such rows and the number of their repeated
//! attempts (a record whose outcome stayed unknown twice can arrive again twice). Reconciling
//! after a crash uses `GET` and adds no duplicates at all.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use simulator::{FaultKind, Faults, SimulatorConfig};

use crate::submit::RunOptions;
use crate::{App, SubmitRequest, SubmitStop};

const CUSTOMER_USCC: &str = "91440300MA5KH0N116";

use crate::testkit::SUPPLIER_USCC;
pub(super) use crate::testkit::{loopback, open, practice, quiet, receipts, remote, setup, sql};

/// A product, a supplier, a customer (with or without its USCC), one receipt, one batch that
/// used it, and one shipment of the batch.
pub(super) fn one_of_each(app: &App, customer_uscc: bool) {
    let uscc = if customer_uscc {
        format!("'{CUSTOMER_USCC}'")
    } else {
        "NULL".into()
    };
    sql(
        app,
        &format!(
            "INSERT INTO product (id, name, model, gtin, scheme, granularity) VALUES (1, '示例储水式电热水器', 'DSZF-60', '06901234567892', 'gs1', 'batch');
             INSERT INTO party (id, kind, name, uscc) VALUES (1, 'supplier', '苏州示例线缆材料有限公司', '{SUPPLIER_USCC}');
             INSERT INTO party (id, kind, name, uscc, phone) VALUES (2, 'customer', '深圳示例商贸有限公司', {uscc}, '0755-26660000');
             INSERT INTO receipt (id, supplier_id, material, spec, supplier_lot, quantity, unit, received_on, inspection_result, report_no)
               VALUES (1, 1, '电源线组件', 'H05VV-F', 'S240701', 2000, '个', '2025-07-14', 'pass', 'JY-01');
             INSERT INTO batch (id, product_id, lot_no, produced_on, quantity, unit, inspection_result, inspector)
               VALUES (1, 1, 'B20250715-01', '2025-07-15', 500, '台', 'pass', '陈质检');
             INSERT INTO batch_input (batch_id, receipt_id, quantity) VALUES (1, 1, 500);
             INSERT INTO shipment (id, customer_id, shipped_on, delivery_note_no) VALUES (1, 2, '2025-07-16', 'CK-20250716-003');
             INSERT INTO shipment_line (shipment_id, batch_id, quantity) VALUES (1, 1, 200);"
        ),
    );
}

pub(super) fn options() -> RunOptions {
    RunOptions {
        timeout: Duration::from_millis(700),
        backoff: Duration::from_millis(20),
        max_wait: Duration::from_secs(60),
        batch_size: 25,
    }
}

pub(super) fn accepted_keys(app: &App) -> HashSet<String> {
    let db = app.db();
    let mut stmt = db
        .conn()
        .prepare("SELECT idempotency_key FROM outbox WHERE state = 'accepted'")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

pub(super) fn count(app: &App, sql: &str) -> i64 {
    app.db().conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

pub(super) fn stored_keys(records: &[serde_json::Value]) -> HashSet<String> {
    records
        .iter()
        .map(|r| {
            r.get("idempotencyKey")
                .or_else(|| r.get("record").and_then(|x| x.get("idempotencyKey")))
                .and_then(|k| k.as_str())
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

/// The invariant of the module comment.
#[track_caller]
fn assert_nothing_lost_nothing_twice(
    app: &App,
    stats: simulator::Stats,
    stored: &[serde_json::Value],
    expected: usize,
    rejected_for_content: u64,
) {
    let accepted = accepted_keys(app);
    assert_eq!(
        accepted.len(),
        expected,
        "every record queued ends accepted"
    );
    assert_eq!(
        count(
            app,
            "SELECT count(*) FROM outbox WHERE state IN ('ready','sending','retry_wait','rejected')"
        ),
        0
    );
    assert_eq!(
        stats.accepted as usize, expected,
        "the platform stored each record once: {stats:?}"
    );
    assert_eq!(
        stored_keys(stored),
        accepted,
        "the platform holds exactly the records the outbox holds as accepted"
    );
    // A record whose outcome stayed unknown over several attempts (a dropped connection, then
    // a timeout) can reach the platform again on each of them, so the platform may count more
    // duplicate arrivals than there are rows; never fewer, and never more than the repeats.
    let dup_rows = count(app, "SELECT count(*) FROM outbox WHERE duplicate = 1");
    let repeats = count(
        app,
        "SELECT coalesce(sum(attempts - 1), 0) FROM outbox WHERE outcome_unknown = 1",
    );
    assert!(
        dup_rows <= stats.duplicates as i64 && stats.duplicates as i64 <= repeats,
        "each duplicate arrival is a repeat of a record whose outcome was unknown: \
         {dup_rows} rows, {} arrivals, {repeats} repeats",
        stats.duplicates
    );
    assert_eq!(
        count(
            app,
            "SELECT count(*) FROM outbox WHERE duplicate = 1 AND outcome_unknown = 0"
        ),
        0,
        "a duplicate only follows an attempt whose outcome was unknown"
    );
    assert_eq!(
        stats.rejected, rejected_for_content,
        "only records with missing content are rejected; no fault turns into a rejection"
    );
    let v = app.verify_archive().unwrap();
    assert!(v.ok, "{v:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn practice_flow_reject_fix_resubmit_and_correct() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    setup(&app, practice());
    one_of_each(&app, false);

    let checklist = app.submission_checklist().unwrap();
    assert_eq!(checklist.pending, 5, "{checklist:?}");
    let item = &checklist.items[0];
    assert_eq!(item.kind, "shipping");
    assert_eq!(item.problems[0].code, "missing-uscc");
    assert_eq!(item.problems[0].fix.screen, "parties");
    assert_eq!(item.problems[0].fix.id, Some(2));

    let summary = app
        .submit(&SubmitRequest::default(), quiet())
        .await
        .unwrap();
    assert!(summary.practice);
    assert_eq!(summary.stop, SubmitStop::Done, "{summary:?}");
    assert_eq!((summary.accepted, summary.rejected), (4, 1), "{summary:?}");
    let rejected = summary
        .results
        .iter()
        .find(|r| r.state == "rejected")
        .unwrap();
    assert_eq!(rejected.code.as_deref(), Some("E_REQUIRED"));
    assert_eq!(rejected.pointer.as_deref(), Some("/payload/customer/uscc"));
    let fix = rejected.fix.clone().unwrap();
    assert_eq!((fix.screen.as_str(), fix.id), ("parties", Some(2)));
    assert_eq!(
        store::edit_guard::submitted_at(app.db().conn(), "receipt", 1).unwrap(),
        None,
        "what the practice platform accepts does not count, so it locks nothing"
    );
    assert_eq!(
        store::edit_guard::submitted_at(app.db().conn(), "shipment", 1).unwrap(),
        None
    );

    // Fix the customer, resubmit: the rejected version is superseded by the fixed one.
    sql(
        &app,
        &format!("UPDATE party SET uscc = '{CUSTOMER_USCC}' WHERE id = 2"),
    );
    assert!(app.submission_checklist().unwrap().items.is_empty());
    let again = app
        .submit(&SubmitRequest::default(), quiet())
        .await
        .unwrap();
    assert_eq!(
        (again.queued, again.accepted, again.rejected),
        (1, 1, 0),
        "{again:?}"
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM outbox WHERE state = 'superseded'"
        ),
        1
    );

    // Correct an accepted receipt: the quantity was wrong. The practice platform locked
    // nothing, so the edit is made directly and goes out as a correction by itself.
    sql(&app, "UPDATE receipt SET quantity = 2100 WHERE id = 1");
    let corrected = app
        .submit(&SubmitRequest::default(), quiet())
        .await
        .unwrap();
    // The corrected receiving record and its declaration; the batch still names the lot it used.
    assert_eq!(corrected.accepted, 2, "{corrected:?}");
    let handle = app.practice_handle().unwrap();
    let stats = handle.stats();
    assert_eq!(stats.accepted, 7);
    assert_eq!(stats.duplicates, 0);
    assert!(
        handle
            .accepted_records()
            .iter()
            .any(|r| r.to_string().contains("errorDeclaration")),
        "the platform received the declaration"
    );
    assert_nothing_lost_nothing_twice(&app, stats, &handle.accepted_records(), 7, 1);

    // Reports and exports of the period.
    let report = app
        .export_report("2025-07-01", "2025-07-31", &dir.path().join("r.xlsx"))
        .unwrap();
    assert!(report.records >= 6 && report.bytes > 1000);
    let pack = app
        .export_evidence_pack("2025-07-01", "2025-07-31", &dir.path().join("e.zip"))
        .unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&pack.path).unwrap()).unwrap();
    let mut manifest = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("manifest-sha256.txt").unwrap(),
        &mut manifest,
    )
    .unwrap();
    for name in [
        "report.xlsx",
        "payloads/records.jsonl",
        "archive/entries.jsonl",
        "epcis.jsonld",
        "verification.json",
    ] {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut zip.by_name(name).unwrap(), &mut bytes).unwrap();
        let line = format!("{}  {name}", platform::canonical::sha256_hex(&bytes));
        assert!(manifest.contains(&line), "{name} hash in manifest");
    }
    let epcis = app
        .export_epcis(&dir.path().join("x.jsonld"), None, None)
        .unwrap();
    assert!(epcis.records >= 5);
    let archive = app.list_archive(&crate::ArchiveQuery::default()).unwrap();
    assert!(archive.total >= 6);
    assert!(
        !archive
            .rows
            .iter()
            .any(|e| e.body.contains("practice-secret")
                || e.headers.contains("practice-secret")
                || e.headers.contains("X-Signature")),
        "no secret and no signature in the archive"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_is_lost_or_accepted_twice_under_random_faults() {
    let mut config = SimulatorConfig::practice();
    config.faults = Faults::parse("5xx=0.1,429=0.05,timeout=0.05,slow=0.05,partial=0.1,drop-after-store=0.1,auth-expired=0.02,malformed=0.02").unwrap();
    config.seed = 7;
    config.timeout_ms = 1_500;
    config.slow_ms = 150;
    let sim = simulator::start(config, loopback()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    remote(&app, &sim.url);
    receipts(&app, 150);
    let mut auth_stops = 0;
    for _ in 0..30 {
        let s = app
            .submit_with(&SubmitRequest::default(), options(), quiet())
            .await
            .unwrap();
        match s.stop {
            SubmitStop::Done => break,
            // The simulator's random `auth-expired`: a person renews the credentials and submits again.
            SubmitStop::AuthFailed => auth_stops += 1,
            other => panic!("unexpected stop {other:?}: {s:?}"),
        }
    }
    let stats = sim.stats();
    assert!(stats.faults > 5, "faults were injected: {stats:?}");
    println!("random faults: {stats:?}, auth stops {auth_stops}");
    assert_nothing_lost_nothing_twice(&app, stats, &sim.accepted_records(), 151, 0);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_is_lost_or_accepted_twice_under_each_forced_fault() {
    for fault in [
        FaultKind::ServerError,
        FaultKind::RateLimited,
        FaultKind::Timeout,
        FaultKind::Slow,
        FaultKind::Partial,
        FaultKind::DropAfterStore,
        FaultKind::AuthExpired,
        FaultKind::Malformed,
    ] {
        let mut config = SimulatorConfig::practice();
        config.timeout_ms = 1_500;
        config.slow_ms = 200;
        let sim = simulator::start(config, loopback()).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let app = open(dir.path());
        remote(&app, &sim.url);
        receipts(&app, 60);
        // The fault hits the first three requests in a row.
        sim.force_next(&[fault, fault, fault]);
        let mut stops = Vec::new();
        for _ in 0..10 {
            let s = app
                .submit_with(&SubmitRequest::default(), options(), quiet())
                .await
                .unwrap();
            stops.push(s.stop);
            if s.stop == SubmitStop::Done {
                break;
            }
        }
        assert_eq!(stops.last(), Some(&SubmitStop::Done), "{fault}: {stops:?}");
        if fault == FaultKind::AuthExpired {
            assert_eq!(
                stops[0],
                SubmitStop::AuthFailed,
                "auth-expired pauses the run"
            );
        }
        let stats = sim.stats();
        assert_nothing_lost_nothing_twice(&app, stats, &sim.accepted_records(), 61, 0);
        if matches!(fault, FaultKind::DropAfterStore | FaultKind::Malformed) {
            assert!(
                stats.duplicates > 0,
                "{fault}: the stored batch came back as duplicates: {stats:?}"
            );
        }
        sim.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offline_run_waits_and_resumes_when_the_platform_returns() {
    // The platform comes back on the port the run was given, so that port must stay free while
    // it is away: one below Linux's ephemeral range (32768–60999), which the other tests' servers
    // on port 0 never get.
    let port = (20_000 + (std::process::id() % 10_000) as u16..30_000)
        .find(|p| std::net::TcpListener::bind(("127.0.0.1", *p)).is_ok())
        .expect("a free port below the ephemeral range");
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let dir = tempfile::tempdir().unwrap();
    let app = std::sync::Arc::new(open(dir.path()));
    remote(&app, &format!("http://127.0.0.1:{port}"));
    receipts(&app, 30);
    let runner = app.clone();
    let run = tokio::spawn(async move {
        let phases = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = phases.clone();
        let mut opts = options();
        opts.max_wait = Duration::from_secs(30);
        let s = runner
            .submit_with(&SubmitRequest::default(), opts, move |p| {
                seen.lock().unwrap().push(p.phase)
            })
            .await
            .unwrap();
        (s, phases.lock().unwrap().clone())
    });
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert_eq!(
        count(&app, "SELECT count(*) FROM outbox WHERE state = 'accepted'"),
        0
    );
    let sim = simulator::start(SimulatorConfig::practice(), addr)
        .await
        .unwrap();
    let (summary, phases) = run.await.unwrap();
    assert_eq!(summary.stop, SubmitStop::Done, "{summary:?}");
    assert!(
        phases.iter().any(|p| p == "offline"),
        "the run reported being offline: {phases:?}"
    );
    assert_nothing_lost_nothing_twice(&app, sim.stats(), &sim.accepted_records(), 31, 0);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_left_sending_are_reconciled_by_key_before_any_resend() {
    let sim = simulator::start(SimulatorConfig::practice(), loopback())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    remote(&app, &sim.url);
    receipts(&app, 20);
    app.prepare_submission().unwrap();
    // A run that died: half of the records reached the platform, all were left `sending`.
    let client = platform::Client::new(
        &format!("{}/api/v1", sim.url),
        platform::Credentials {
            app_key: "practice".into(),
            app_secret: "practice-secret".into(),
        },
        Duration::from_secs(5),
    )
    .unwrap();
    let rows: Vec<(i64, String, String)> = {
        let db = app.db();
        let mut stmt = db
            .conn()
            .prepare(
                "SELECT o.id, o.idempotency_key, b.body FROM outbox o
                 JOIN outbox_body b ON b.outbox_id = o.id ORDER BY o.id LIMIT 10",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let keys: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    let bodies: Vec<&str> = rows.iter().map(|r| r.2.as_str()).collect();
    // Like every run, the dead one recorded its attempt and archived its request before sending.
    let prepared = client.prepare_batch(&bodies);
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let target = app.settings_target().unwrap();
    app.db()
        .write(|tx| {
            let at = crate::submit::now();
            let attempt = store::outbox::insert_attempt(
                tx,
                &target,
                "dead",
                "batch",
                &prepared.endpoint,
                10,
                &at,
            )?;
            store::outbox::mark_sending(tx, &ids, attempt, &at)?;
            store::archive::append(
                tx,
                &store::archive::NewEntry {
                    at,
                    direction: "request".into(),
                    attempt_id: Some(attempt),
                    method: prepared.method.clone(),
                    endpoint: prepared.endpoint.clone(),
                    record_keys: keys.iter().map(|k| k.to_string()).collect(),
                    headers: prepared.headers_json(),
                    body: prepared.body.clone(),
                    ..Default::default()
                },
            )?;
            Ok(())
        })
        .unwrap();
    client.send_batch(prepared, &keys).await.1.unwrap();
    sql(&app, "UPDATE outbox SET state = 'sending', attempts = 1");

    let s = app
        .submit_with(&SubmitRequest::default(), options(), quiet())
        .await
        .unwrap();
    assert_eq!(s.stop, SubmitStop::Done);
    assert_eq!(s.reconciled, 21, "{s:?}");
    assert_eq!(
        sim.stats().duplicates,
        0,
        "reconciling asks, it does not resend"
    );
    assert_nothing_lost_nothing_twice(&app, sim.stats(), &sim.accepted_records(), 21, 0);
    sim.shutdown().await;
}

/// The child half of `kill_9_mid_batch_loses_nothing`: submits, until it is killed. Does nothing
/// when run on its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill9_child() {
    let (Ok(dir), Ok(url)) = (
        std::env::var("TRACEDESK_KILL9_DIR"),
        std::env::var("TRACEDESK_KILL9_URL"),
    ) else {
        return;
    };
    let app = open(Path::new(&dir));
    let mut opts = options();
    opts.batch_size = 10;
    opts.timeout = Duration::from_secs(10);
    let _ = app
        .submit_with(
            &SubmitRequest {
                platform: Some(format!("{url}/api/v1")),
                ..Default::default()
            },
            opts,
            quiet(),
        )
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_batch_loses_nothing_and_accepts_nothing_twice() {
    let mut config = SimulatorConfig::practice();
    config.faults = Faults::parse("slow=1").unwrap();
    config.slow_ms = 150;
    let sim = simulator::start(config, loopback()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    {
        let app = open(dir.path());
        remote(&app, &sim.url);
        receipts(&app, 200);
    }
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "submit::tests::kill9_child",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env("TRACEDESK_KILL9_DIR", dir.path())
        .env("TRACEDESK_KILL9_URL", &sim.url)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while sim.stats().accepted < 60 {
        assert!(
            std::time::Instant::now() < deadline,
            "the child never got going: {:?}",
            sim.stats()
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the child ended before it was killed"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // SIGKILL, mid-batch: the next request is usually in the simulator's 150 ms wait right now.
    child.kill().unwrap();
    child.wait().unwrap();
    let at_kill = sim.stats();
    assert!(at_kill.accepted < 201, "killed before the end: {at_kill:?}");
    // Whatever the platform does with a request already received is over after its delay.
    tokio::time::sleep(Duration::from_millis(400)).await;

    let app = open(dir.path());
    let left_sending = count(&app, "SELECT count(*) FROM outbox WHERE state = 'sending'");
    sim.set_faults(Faults::none());
    let s = app
        .submit_with(&SubmitRequest::default(), options(), quiet())
        .await
        .unwrap();
    assert_eq!(s.stop, SubmitStop::Done, "{s:?}");
    assert_eq!(
        s.reconciled as i64, left_sending,
        "every record left sending was reconciled"
    );
    println!("kill -9 at {at_kill:?}: {left_sending} left sending, reconciled by GET");
    let stats = sim.stats();
    assert_eq!(
        stats.duplicates, 0,
        "the restart reconciled by key instead of resending"
    );
    assert_nothing_lost_nothing_twice(&app, stats, &sim.accepted_records(), 201, 0);
    sim.shutdown().await;
}

#[test]
fn the_secret_file_fallback_is_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = crate::credentials::save(dir.path(), "key-1", "s3cret", false).unwrap();
    assert_eq!(store, crate::credentials::Store::File);
    let (secret, _) = crate::credentials::load(dir.path(), "key-1", false).unwrap();
    assert_eq!(secret, "s3cret");
    assert!(crate::credentials::load(dir.path(), "other-key", false).is_none());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("platform-secret.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let status = crate::credentials::status("key-1", Some(store), false);
    assert_eq!(status.store, "file");
    assert!(status.warning_zh.unwrap().contains("钥匙串"));
}

#[test]
fn report_cells_snapshot_and_formula_neutralising() {
    let row = |id: i64, state: &str, label: &str, day: &str, product: Option<&str>| {
        store::outbox::OutboxRow {
            id,
            kind: "shipping".into(),
            state: state.into(),
            label: label.into(),
            event_date: Some(day.into()),
            product_name: product.map(str::to_string),
            key: format!("{id:064x}"),
            receipt_id: (state == "accepted").then(|| format!("SIM-{id:012}")),
            accepted_at: (state == "accepted").then(|| "2025-07-16T08:00:00.000Z".into()),
            reject_code: (state == "rejected").then(|| "E_REQUIRED".into()),
            reject_reason: (state == "rejected")
                .then(|| "缺少必填字段：/payload/customer/uscc".into()),
            reject_pointer: (state == "rejected").then(|| "/payload/customer/uscc".into()),
            attempts: 1,
            created_at: "2025-07-16T08:00:00.000Z".into(),
            ..Default::default()
        }
    };
    let rows = vec![
        row(
            1,
            "accepted",
            "出库单 CK-1（深圳示例）",
            "2025-07-15",
            Some("电热水器"),
        ),
        row(
            2,
            "rejected",
            "=HYPERLINK(\"http://x\",\"点我\")",
            "2025-07-16",
            Some("电热水器"),
        ),
        row(3, "retry_wait", "+86 出库单", "2025-07-16", None),
    ];
    let sheets = crate::report::report_cells(&rows, "2025-07-01", "2025-07-31");
    insta::assert_json_snapshot!("report_cells", sheets);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.xlsx");
    crate::report::write_report(&sheets, &path).unwrap();
    // Read the sheet XML back: the formula-like label is stored as text with a leading quote.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut strings = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/sharedStrings.xml").unwrap(),
        &mut strings,
    )
    .unwrap();
    assert!(
        strings.contains("&apos;=HYPERLINK") || strings.contains("'=HYPERLINK"),
        "{strings}"
    );
    assert!(strings.contains("'+86") || strings.contains("&apos;+86"));
    let mut sheet2 = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet2.xml").unwrap(),
        &mut sheet2,
    )
    .unwrap();
    assert!(!sheet2.contains("<f>"), "no formula cells from user data");
    assert!(
        zip.by_name("xl/charts/chart1.xml").is_ok(),
        "the summary has a native chart"
    );
}

#[test]
fn a_run_keeps_every_rejection_and_the_newest_acceptances_within_its_bound() {
    use super::{RESULTS_KEPT, Tally};
    let result = |id: i64, state: &str| crate::SubmitRecordResult {
        outbox_id: id,
        idempotency_key: format!("{id:064x}"),
        kind: "commissioning".into(),
        label: format!("item {id}"),
        state: state.into(),
        receipt_id: None,
        duplicate: false,
        code: None,
        reason: None,
        pointer: None,
        fix: None,
    };
    let mut tally = Tally::default();
    // Record 1 waits first and is accepted at the very end; 2..=11 are rejected; then a long run
    // of acceptances.
    tally.record(result(1, "retry_wait"));
    for id in 2..=11 {
        tally.record(result(id, "rejected"));
    }
    let last = 11 + 3 * RESULTS_KEPT as i64;
    for id in 12..=last {
        tally.record(result(id, "accepted"));
    }
    tally.record(result(1, "accepted"));
    let (results, omitted) = tally.into_results();
    let ids: Vec<i64> = results.iter().map(|r| r.outbox_id).collect();
    assert_eq!(
        results.len(),
        RESULTS_KEPT + 10,
        "the bound plus every rejection"
    );
    assert_eq!(&ids[..11], &(1..=11).collect::<Vec<_>>()[..], "queue order");
    assert!(results[1..11].iter().all(|r| r.state == "rejected"));
    assert_eq!(
        results[0].state, "accepted",
        "a newer result replaces the older"
    );
    assert_eq!(ids.last(), Some(&last), "the newest acceptance is kept");
    assert_eq!(
        omitted as usize,
        last as usize - results.len(),
        "every record has a result or is counted as omitted"
    );
}
