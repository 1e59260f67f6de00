//! The archive against the platform's archive anchor (contract §6.4), with the simulator on
//! loopback and real SQLite: consistent, no anchor yet, rewritten in place (a valid chain of
//! other entries, which the chain check alone cannot see), replaced by an older backup. Also: the
//! chain hash after n entries, and a run that meets an absurd `Retry-After` stops without panic.

use std::time::Duration;

use simulator::{FaultKind, SimulatorConfig};
use store::archive::{self as chain, GENESIS, NewEntry};

use crate::submit::RunOptions;
use crate::testkit::{assert_contains, loopback, open, quiet, receipts, remote, sql};
use crate::{AnchorCheckStatus, App, SubmitRequest, SubmitStop};

fn options() -> RunOptions {
    RunOptions {
        timeout: Duration::from_secs(5),
        backoff: Duration::from_millis(20),
        max_wait: Duration::from_secs(5),
        ..RunOptions::default()
    }
}

/// The archive's newest entry.
fn newest_entry(app: &App) -> chain::Entry {
    let (mut newest, _) = chain::list(
        app.db().conn(),
        &chain::ArchiveFilter {
            limit: 1,
            ..Default::default()
        },
        1000,
    )
    .unwrap();
    newest.remove(0)
}

fn entry(n: usize) -> NewEntry {
    NewEntry {
        at: format!("2025-07-16T07:00:{n:02}.000Z"),
        direction: "request".into(),
        method: "POST".into(),
        endpoint: "/api/v1/records:batch".into(),
        headers: "{}".into(),
        body: format!("{{\"n\":{n}}}"),
        ..Default::default()
    }
}

/// Sends one batch carrying the app's archive head, exactly as the submit loop does:
/// `client.prepare_batch(&bodies).with_anchor(&local_anchor(conn)?)`.
async fn send_anchored_batch(app: &App, base: &str) -> platform::ArchiveAnchor {
    let client = platform::Client::new(
        base,
        platform::Credentials {
            app_key: "practice".into(),
            app_secret: "practice-secret".into(),
        },
        Duration::from_secs(5),
    )
    .unwrap();
    let head = crate::submit::local_anchor(app.db().conn()).unwrap();
    let mut sent = None;
    store::outbox::for_each_with_body(
        app.db().conn(),
        &store::outbox::OutboxFilter::default(),
        |row, body| {
            sent.get_or_insert((row.key.clone(), body));
            Ok(())
        },
    )
    .unwrap();
    let (key, body) = sent.expect("a submitted record");
    let prepared = client.prepare_batch(&[body.as_str()]).with_anchor(&head);
    let (_, result) = client.send_batch(prepared, &[key.as_str()]).await;
    assert!(result.is_ok(), "{result:?}");
    head
}

#[test]
fn the_chain_hash_after_n_entries_is_that_entrys_hash() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    assert_eq!(
        chain::hash_after(app.db().conn(), 0).unwrap().as_deref(),
        Some(GENESIS)
    );
    assert_eq!(chain::hash_after(app.db().conn(), 1).unwrap(), None);
    let empty = crate::submit::local_anchor(app.db().conn()).unwrap();
    assert_eq!((empty.entries, empty.hash.as_str()), (0, GENESIS));
    let ids: Vec<i64> = (1..=3)
        .map(|n| app.db().write(|tx| chain::append(tx, &entry(n))).unwrap())
        .collect();
    for (n, id) in ids.iter().enumerate() {
        let stored = chain::get(app.db().conn(), *id).unwrap().unwrap();
        assert_eq!(
            chain::hash_after(app.db().conn(), n as u64 + 1).unwrap(),
            Some(stored.hash),
            "after {} entries",
            n + 1
        );
    }
    assert_eq!(chain::hash_after(app.db().conn(), 4).unwrap(), None);
    assert_eq!(chain::hash_after(app.db().conn(), u64::MAX).unwrap(), None);
    let head = crate::submit::local_anchor(app.db().conn()).unwrap();
    assert_eq!(head.entries, 3);
    assert_eq!(
        Some(head.hash),
        chain::hash_after(app.db().conn(), 3).unwrap()
    );
    assert_eq!(
        app.verify_archive().unwrap().last_hash,
        chain::hash_after(app.db().conn(), 3).unwrap().unwrap()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_archive_is_checked_against_the_platforms_anchor() {
    let sim = simulator::start(SimulatorConfig::practice(), loopback())
        .await
        .unwrap();
    let base = format!("{}/api/v1", sim.url);
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    remote(&app, &sim.url);
    receipts(&app, 2);

    // 1. No batch carried an anchor yet.
    let check = app.verify_archive_against_platform(None).await.unwrap();
    assert_eq!(check.status, AnchorCheckStatus::NoAnchor);
    assert!(!check.ok);
    assert_eq!(check.local_entries, 0);
    assert_eq!(check.platform, base);
    assert!(!check.practice);
    assert!(check.chain.ok);
    assert!(
        check.message_zh.contains("尚未保存") && check.message_en.contains("no archive anchor"),
        "{check:?}"
    );

    // Every batch of a run carries the archive's head: right after it the anchor matches.
    let summary = app
        .submit_with(&SubmitRequest::default(), options(), quiet())
        .await
        .unwrap();
    assert_eq!(summary.stop, SubmitStop::Done, "{}", summary.message_en);
    let submitted = crate::submit::local_anchor(app.db().conn())
        .unwrap()
        .entries;
    assert!(submitted >= 4);
    let backup = dir.path().join("older.sqlite3");
    app.backup(Some(&backup)).unwrap();
    let check = app.verify_archive_against_platform(None).await.unwrap();
    assert_eq!(check.status, AnchorCheckStatus::Ok, "{}", check.message_en);
    assert!(check.ok);
    assert_eq!(check.local_entries, submitted);
    // The check's own exchange is archived like every request: a request and its answer.
    let (newest, total) = chain::list(
        app.db().conn(),
        &chain::ArchiveFilter {
            limit: 2,
            ..Default::default()
        },
        1000,
    )
    .unwrap();
    assert_eq!(u64::from(total), submitted + 2);
    assert_eq!(newest[1].direction, "request");
    assert_eq!(newest[1].endpoint, "/api/v1/archive-anchor");
    assert_eq!(newest[0].direction, "response");
    assert_eq!(newest[0].status, Some(200));
    assert_eq!(newest[0].outcome, "anchor");

    // 2. A batch carries the head; the archive still matches it after growing further.
    let head = send_anchored_batch(&app, &base).await;
    assert_eq!(head.entries, submitted + 2);
    let check = app
        .verify_archive_against_platform(Some(base.clone()))
        .await
        .unwrap();
    assert_eq!(check.status, AnchorCheckStatus::Ok, "{}", check.message_en);
    assert!(check.ok);
    assert_eq!(check.anchor_entries, Some(head.entries));
    assert_eq!(check.anchor_hash.as_deref(), Some(head.hash.as_str()));
    assert_eq!(check.local_hash.as_deref(), Some(head.hash.as_str()));
    assert!(check.anchor_received_at.is_some());
    // This test's own batch was not archived (the submit loop archives its batches).
    assert_eq!(check.local_entries, head.entries);
    let newest = newest_entry(&app);
    assert_eq!(newest.outcome, "anchor");
    assert!(newest.body.contains(&head.hash), "the answer is archived");

    // 3. Rewritten in place: a valid chain of as many entries, but other ones. The chain check
    //    cannot see it; the anchor does.
    let now = crate::submit::local_anchor(app.db().conn())
        .unwrap()
        .entries;
    sql(
        &app,
        "DROP TRIGGER IF EXISTS archive_entry_no_update; DROP TRIGGER IF EXISTS archive_entry_no_delete;
         DELETE FROM archive_entry; DELETE FROM archive_head;",
    );
    for n in 0..now as usize {
        app.db()
            .write(|tx| chain::append(tx, &entry(n % 60)))
            .unwrap();
    }
    assert!(
        app.verify_archive().unwrap().chain_ok,
        "the forged chain is valid as a chain"
    );
    let check = app.verify_archive_against_platform(None).await.unwrap();
    assert_eq!(check.status, AnchorCheckStatus::Mismatch);
    assert!(!check.ok);
    let ours = check.local_hash.clone().unwrap();
    assert_ne!(ours, head.hash);
    for text in [&check.message_zh, &check.message_en] {
        assert!(
            text.contains(&head.hash)
                && text.contains(&ours)
                && text.contains(&head.entries.to_string()),
            "names the entries and both hashes: {text}"
        );
    }
    assert_contains(&check.message_zh, "改写");
    assert_contains(&check.message_en, "rewritten");

    // 4. Replaced by an older copy: the backup taken before the anchored batch.
    app.restore(&backup, false).unwrap();
    let check = app.verify_archive_against_platform(None).await.unwrap();
    assert_eq!(check.status, AnchorCheckStatus::PlatformAhead);
    assert!(!check.ok);
    assert_eq!(check.local_entries, submitted);
    assert_eq!(check.local_hash, None);
    assert!(
        check.message_zh.contains("截断") && check.message_en.contains("older copy"),
        "{check:?}"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_platform_or_a_bad_address_is_an_error_not_a_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    remote(&app, &format!("http://127.0.0.1:{port}"));
    let err = app.verify_archive_against_platform(None).await.unwrap_err();
    assert_eq!(err.code, crate::ErrorCode::InvalidState);
    assert!(err.message_zh.contains("无法连接平台"), "{err:?}");
    // The attempt is archived all the same.
    let newest = newest_entry(&app);
    assert_eq!(newest.outcome, "offline");
    let err = app
        .verify_archive_against_platform(Some("ftp://127.0.0.1/api/v1".into()))
        .await
        .unwrap_err();
    assert_eq!(err.code, crate::ErrorCode::InvalidInput, "{err:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_absurd_retry_after_stops_the_run_without_panicking() {
    for value in [
        "99999999999999999999999999",
        "1000000000000",
        "Fri, 31 Dec 9999 23:59:59 GMT",
    ] {
        let config = SimulatorConfig {
            retry_after: value.into(),
            ..SimulatorConfig::practice()
        };
        let sim = simulator::start(config, loopback()).await.unwrap();
        sim.force_next(&[FaultKind::RateLimited; 4]);
        let dir = tempfile::tempdir().unwrap();
        let app = open(dir.path());
        remote(&app, &sim.url);
        receipts(&app, 2);
        let started = std::time::Instant::now();
        let summary = app
            .submit_with(&SubmitRequest::default(), options(), quiet())
            .await
            .unwrap();
        assert_eq!(
            summary.stop,
            SubmitStop::GaveUp,
            "{value}: {}",
            summary.message_en
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{value}: the hour-long wait is not slept through"
        );
        assert_eq!(summary.accepted, 0);
        sim.shutdown().await;
    }
}
