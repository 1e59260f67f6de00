//! The outbox and the hash-chained archive of migration 0006.

use rusqlite::Connection;

use crate::archive::{self, NewEntry};
use crate::outbox::{self, NewRecord};
use crate::{Db, edit_guard};

fn entry(n: usize) -> NewEntry {
    NewEntry {
        at: format!("2025-07-16T08:00:{n:02}.000Z"),
        direction: if n.is_multiple_of(2) {
            "request"
        } else {
            "response"
        }
        .into(),
        attempt_id: Some(n as i64 / 2 + 1),
        method: "POST".into(),
        endpoint: "/api/v1/records:batch".into(),
        status: (n % 2 == 1).then_some(200),
        request_id: None,
        record_keys: vec![format!("{n:064x}")],
        headers: r#"{"X-App-Key":"practice"}"#.into(),
        body: format!("{{\"n\":{n}}}"),
        outcome: if n % 2 == 1 { "ok" } else { "" }.into(),
    }
}

fn chain(len: usize) -> Db {
    let mut db = Db::open_in_memory().unwrap();
    db.write(|tx| {
        for n in 0..len {
            archive::append(tx, &entry(n))?;
        }
        Ok(())
    })
    .unwrap();
    db
}

/// Lifts the append-only triggers, as someone editing the file by hand would.
fn tamper(conn: &Connection, sql: &str) {
    conn.execute_batch(
        "DROP TRIGGER IF EXISTS archive_entry_no_update; DROP TRIGGER IF EXISTS archive_entry_no_delete;",
    )
    .unwrap();
    conn.execute_batch(sql).unwrap();
}

#[test]
fn an_untouched_archive_verifies() {
    let db = chain(6);
    let v = archive::verify(db.conn()).unwrap();
    assert!(v.ok, "{v:?}");
    assert_eq!(v.entries, 6);
    assert_eq!(v.first_bad, None);
    let empty = Db::open_in_memory().unwrap();
    assert!(archive::verify(empty.conn()).unwrap().ok);
}

#[test]
fn the_archive_refuses_plain_updates_and_deletes() {
    let db = chain(2);
    for sql in [
        "UPDATE archive_entry SET body = 'x'",
        "DELETE FROM archive_entry",
    ] {
        let err = db.conn().execute(sql, []).unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
}

#[track_caller]
fn check(sql: &str, first_bad: i64, reason: &str) {
    let db = chain(6);
    tamper(db.conn(), sql);
    let v = archive::verify(db.conn()).unwrap();
    assert!(!v.ok, "{sql}: {v:?}");
    assert_eq!(v.first_bad, Some(first_bad), "{sql}: {v:?}");
    let why = v.reason.unwrap();
    assert!(why.contains(reason), "{sql}: {why}");
}

#[test]
fn verify_names_the_first_edited_deleted_or_reordered_entry() {
    check(
        "UPDATE archive_entry SET body = '{\"n\":99}' WHERE id = 3",
        3,
        "body was changed",
    );
    check(
        "UPDATE archive_entry SET outcome = 'rejected' WHERE id = 4",
        4,
        "fields were changed",
    );
    check(
        "UPDATE archive_entry SET status = 500 WHERE id = 2",
        2,
        "fields were changed",
    );
    check(
        "UPDATE archive_entry SET body = '{\"n\":9}', body_sha256 = 'ab' WHERE id = 5",
        5,
        "body was changed",
    );
    check("DELETE FROM archive_entry WHERE id = 3", 4, "were deleted");
    check(
        "UPDATE archive_entry SET id = 100 WHERE id = 2; UPDATE archive_entry SET id = 2 WHERE id = 3;
         UPDATE archive_entry SET id = 3 WHERE id = 100;",
        2,
        "does not follow",
    );
    check(
        "DELETE FROM archive_entry WHERE id = 6",
        6,
        "last entries were removed",
    );
    check("DELETE FROM archive_head", 6, "head is missing");
}

fn record(n: i64) -> NewRecord {
    NewRecord {
        target: outbox::PRACTICE.into(),
        source_kind: "receipt".into(),
        source_id: n,
        kind: "receiving".into(),
        scheme: "gs1".into(),
        granularity: "batch".into(),
        key: format!("{n:064x}"),
        body: format!("{{\"n\":{n}}}"),
        label: format!("L{n}"),
        event_date: Some("2025-07-16".into()),
        ..NewRecord::default()
    }
}

#[test]
fn an_outbox_row_walks_its_states_and_counts_follow() {
    let mut db = Db::open_in_memory().unwrap();
    let now = "2025-07-16T08:00:00.000Z";
    let ids: Vec<i64> = db
        .write(|tx| (1..=3).map(|n| outbox::insert(tx, &record(n))).collect())
        .unwrap();
    assert_eq!(outbox::counts(db.conn(), "practice").unwrap().ready, 3);
    let due = outbox::due(db.conn(), "practice", now, 0, 10).unwrap();
    assert_eq!(due.iter().map(|d| d.id).collect::<Vec<_>>(), ids);
    db.write(|tx| {
        let attempt = outbox::insert_attempt(
            tx,
            "practice",
            "run",
            "batch",
            "/api/v1/records:batch",
            3,
            now,
        )?;
        outbox::mark_sending(tx, &ids, attempt, now)?;
        outbox::mark_accepted(tx, ids[0], "SIM-1", now, false)?;
        outbox::mark_rejected(
            tx,
            ids[1],
            "E_USCC",
            "统一社会信用代码错误",
            Some("/payload/supplier/uscc"),
            now,
        )?;
        outbox::mark_retry(tx, ids[2], "2025-07-16T08:00:05.000Z", true, "timeout", now)?;
        outbox::finish_attempt(tx, attempt, now, "ok", Some(200), None, None)
    })
    .unwrap();
    let c = outbox::counts(db.conn(), "practice").unwrap();
    assert_eq!(
        (c.accepted, c.rejected, c.retry_wait, c.ready),
        (1, 1, 1, 0)
    );
    assert!(
        outbox::due(db.conn(), "practice", now, 0, 10)
            .unwrap()
            .is_empty(),
        "not due before its time"
    );
    assert_eq!(
        outbox::due(db.conn(), "practice", "2025-07-16T08:00:06.000Z", 0, 10)
            .unwrap()
            .len(),
        1
    );
    let row = outbox::get(db.conn(), ids[2]).unwrap().unwrap();
    assert!(row.outcome_unknown && row.attempts == 1);
    // An unknown outcome is never superseded: the platform may hold that version.
    db.write(|tx| outbox::mark_superseded(tx, ids[1], now))
        .unwrap();
    assert_eq!(
        outbox::state(db.conn(), ids[1]).unwrap().unwrap(),
        "superseded"
    );
    // The same key may come back once its row is superseded.
    db.write(|tx| outbox::insert(tx, &record(2))).unwrap();
}

#[test]
fn submitted_at_makes_the_source_read_only_for_entry() {
    let mut db = Db::open_in_memory().unwrap();
    db.write(|tx| {
        tx.execute_batch(
            "INSERT INTO party (id, kind, name) VALUES (1, 'supplier', '甲');
             INSERT INTO receipt (id, supplier_id, material, supplier_lot, quantity, unit, received_on)
             VALUES (1, 1, '钢板', 'L1', 5, 'kg', '2025-07-01');",
        )?;
        Ok(())
    })
    .unwrap();
    assert_eq!(
        edit_guard::submitted_at(db.conn(), "receipt", 1).unwrap(),
        None
    );
    db.write(|tx| outbox::set_submitted_at(tx, "receipt", 1, Some("2025-07-16T08:00:00.000Z")))
        .unwrap();
    assert_eq!(
        edit_guard::submitted_at(db.conn(), "receipt", 1)
            .unwrap()
            .as_deref(),
        Some("2025-07-16T08:00:00.000Z")
    );
    let audit = crate::audit::of_row(db.conn(), "receipt", 1, 10).unwrap();
    assert!(
        audit
            .last()
            .unwrap()
            .new_values
            .as_deref()
            .unwrap()
            .contains("submitted_at"),
        "the audit trail records the submission mark"
    );
}

#[test]
fn upgrade_from_frozen_v5_keeps_rows_and_adds_the_outbox_and_archive() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tracedesk.sqlite3");
    {
        let mut conn = Connection::open(&path).unwrap();
        let tx = conn.transaction().unwrap();
        tx.execute_batch(include_str!("../../test_data/schema_v5.sql"))
            .unwrap();
        tx.pragma_update(None, "user_version", 5).unwrap();
        tx.commit().unwrap();
    }
    let db = Db::open(&path).unwrap();
    assert_eq!(db.schema_version().unwrap(), Db::latest_version());
    let conn = db.conn();
    let n = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(n("SELECT count(*) FROM party"), 3, "rows survive");
    assert_eq!(
        n("SELECT count(*) FROM receipt WHERE submitted_at IS NULL"),
        n("SELECT count(*) FROM receipt")
    );
    assert_eq!(n("SELECT count(*) FROM outbox"), 0);
    assert!(
        archive::verify(conn).unwrap().ok,
        "an empty archive verifies"
    );
    assert_eq!(edit_guard::submitted_at(conn, "batch", 1).unwrap(), None);
}

#[test]
fn upgrade_from_frozen_v6_moves_bodies_aside_and_keeps_one_live_key_per_record() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tracedesk.sqlite3");
    let key = "5b0d3c7f1a2e4d6b8c9a0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4";
    {
        let mut conn = Connection::open(&path).unwrap();
        let tx = conn.transaction().unwrap();
        tx.execute_batch(include_str!("../../test_data/schema_v6.sql"))
            .unwrap();
        // Version 6 rows: a version superseded before the platform stored it, and the newer
        // version with the same key.
        tx.execute_batch(&format!(
            "INSERT INTO outbox (id, source_kind, source_id, kind, scheme, granularity,
                 idempotency_key, body, state, reject_code)
             VALUES (2, 'receipt', 1, 'receiving', 'gs1', 'batch', '{key}', '{{}}', 'superseded', 'X');
             INSERT INTO outbox (id, source_kind, source_id, kind, scheme, granularity,
                 idempotency_key, body, supersedes)
             VALUES (3, 'receipt', 1, 'receiving', 'gs1', 'batch', '{key}', '{{}}', 2);"
        ))
        .unwrap();
        tx.pragma_update(None, "user_version", 6).unwrap();
        tx.commit().unwrap();
    }
    let mut db = Db::open(&path).unwrap();
    assert_eq!(db.schema_version().unwrap(), Db::latest_version());
    let flags: Vec<(i64, String, i64)> = db
        .conn()
        .prepare("SELECT id, state, superseded FROM outbox ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        flags,
        vec![
            (1, "accepted".to_string(), 0),
            (2, "superseded".to_string(), 1),
            (3, "ready".to_string(), 0)
        ]
    );
    assert_eq!(
        outbox::by_key(db.conn(), "practice", key)
            .unwrap()
            .unwrap()
            .id,
        3
    );
    assert_eq!(
        outbox::body(db.conn(), 3).unwrap().as_deref(),
        Some("{}"),
        "bodies move beside the queue"
    );
    let rewrite = db.write(|tx| {
        tx.execute("UPDATE outbox_body SET body = '[]' WHERE outbox_id = 3", [])?;
        Ok(())
    });
    assert!(rewrite.is_err(), "a queued body never changes");
    // A second live row with the same key is refused; the flag cannot drift from the state.
    let second_live = db.write(|tx| {
        tx.execute(
            &format!(
                "INSERT INTO outbox (source_kind, source_id, kind, scheme, granularity,
                     idempotency_key) VALUES ('receipt', 2, 'receiving', 'gs1', 'batch', '{key}')"
            ),
            [],
        )?;
        Ok(())
    });
    assert!(second_live.is_err(), "one live row per key");
    let drift = db.write(|tx| {
        tx.execute("UPDATE outbox SET state = 'superseded' WHERE id = 3", [])?;
        Ok(())
    });
    assert!(
        drift.is_err(),
        "state superseded without the flag is refused"
    );
    db.write(|tx| outbox::mark_superseded(tx, 3, "2025-04-03T00:00:00.000Z"))
        .unwrap();
    assert_eq!(outbox::by_key(db.conn(), "practice", key).unwrap(), None);
}

#[test]
fn upgrade_from_frozen_v7_gives_every_row_its_platform_and_notices_later_edits() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tracedesk.sqlite3");
    {
        let mut conn = Connection::open(&path).unwrap();
        let tx = conn.transaction().unwrap();
        tx.execute_batch(include_str!("../../test_data/schema_v7.sql"))
            .unwrap();
        // A real platform in the settings, and a request to it carrying its App Key.
        tx.execute_batch(
            r#"INSERT INTO setting (key, value) VALUES
                   ('platform', '{"mode":"remote","url":"https://platform.example.cn/api/v1/","appKey":"AK-7"}');
               INSERT INTO submission_attempt (id, run_id, purpose, endpoint, record_count, started_at)
                   VALUES (2, 'r2', 'batch', '/api/v1/records:batch', 1, '2025-04-03T09:00:00.000Z');
               INSERT INTO archive_entry (at, direction, attempt_id, method, endpoint, record_keys, headers,
                   body, body_sha256, prev_hash, hash)
                   VALUES ('2025-04-03T09:00:00.000Z', 'request', 2, 'POST', '/api/v1/records:batch', '[]',
                   '{"X-App-Key":"AK-7"}', '{}', 'x', 'p', 'h2');
               UPDATE outbox SET last_attempt_id = 2 WHERE id = 1;"#,
        )
        .unwrap();
        tx.pragma_update(None, "user_version", 7).unwrap();
        tx.commit().unwrap();
    }
    let mut db = Db::open(&path).unwrap();
    assert_eq!(db.schema_version().unwrap(), Db::latest_version());
    let targets: Vec<(i64, String, i64)> = db
        .conn()
        .prepare("SELECT id, target, revision FROM outbox ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let real = "https://platform.example.cn/api/v1|AK-7";
    assert_eq!(
        targets,
        vec![
            (1, real.to_string(), 0),
            (2, real.to_string(), 0),
            (3, real.to_string(), 0)
        ],
        "a sent row takes its request's platform; an unsent one the platform of the settings"
    );
    // The same key may now be live once per platform.
    let key = "ba7ae0e12e1e05861b296ad090abe009b0f813f5d674eafb647224485a40e413";
    db.write(|tx| {
        outbox::insert(
            tx,
            &NewRecord {
                target: outbox::PRACTICE.into(),
                key: key.into(),
                body: "{}".into(),
                source_kind: "enterprise".into(),
                source_id: 1,
                kind: "enterprise".into(),
                scheme: "gs1".into(),
                granularity: "batch".into(),
                ..NewRecord::default()
            },
        )
    })
    .unwrap();
    assert!(outbox::by_key(db.conn(), real, key).unwrap().is_some());
    assert!(
        outbox::by_key(db.conn(), "practice", key)
            .unwrap()
            .is_some()
    );
    // A content edit is noticed; stamping submitted_at is not a content edit.
    db.write(|tx| outbox::set_submitted_at(tx, "receipt", 1, Some("2025-04-04T00:00:00.000Z")))
        .unwrap();
    assert!(!outbox::changed_since(db.conn(), "2000-01-01").unwrap());
    db.write(|tx| {
        tx.execute(
            "UPDATE receipt SET quantity = quantity + 1 WHERE id = 1",
            [],
        )?;
        Ok(())
    })
    .unwrap();
    assert!(outbox::changed_since(db.conn(), "2000-01-01").unwrap());
    assert_eq!(outbox::source_changes(db.conn()).unwrap().len(), 1);
}

#[test]
fn the_lease_goes_to_one_holder_until_it_expires_or_its_process_is_gone() {
    use crate::lease::{self, Acquired, Holder};
    let mut db = Db::open_in_memory().unwrap();
    let holder = |token: &str, pid: u32| Holder {
        token: token.into(),
        program: "tracedesk".into(),
        pid,
        host: "office-pc".into(),
        purpose: "submit".into(),
    };
    let t0 = "2025-07-16T08:00:00.000Z";
    let t0_exp = "2025-07-16T08:02:00.000Z";
    let alive = |_: &Holder| false;
    let got = db
        .write(|tx| lease::acquire(tx, &holder("a", 1), t0, t0_exp, alive))
        .unwrap();
    assert_eq!(got, Acquired::Granted { took_over: None });
    // Another process while the first renews: busy, with who holds it.
    let busy = db
        .write(|tx| lease::acquire(tx, &holder("b", 2), "2025-07-16T08:01:00.000Z", "x", alive))
        .unwrap();
    assert!(matches!(busy, Acquired::Busy(l) if l.holder.pid == 1));
    assert!(
        db.write(|tx| lease::renew(
            tx,
            "a",
            "2025-07-16T08:01:00.000Z",
            "2025-07-16T08:03:00.000Z"
        ))
        .unwrap()
    );
    // Its process is gone (kill -9): taken over at once.
    let gone = |h: &Holder| h.pid == 1;
    let took = db
        .write(|tx| {
            lease::acquire(
                tx,
                &holder("b", 2),
                "2025-07-16T08:01:30.000Z",
                "2025-07-16T08:03:30.000Z",
                gone,
            )
        })
        .unwrap();
    assert!(matches!(took, Acquired::Granted { took_over: Some(l) } if l.holder.token == "a"));
    // The old holder can neither renew nor release the new holder's lease.
    assert!(
        !db.write(|tx| lease::renew(
            tx,
            "a",
            "2025-07-16T08:01:40.000Z",
            "2025-07-16T08:04:00.000Z"
        ))
        .unwrap()
    );
    db.write(|tx| lease::release(tx, "a")).unwrap();
    assert!(lease::holds(db.conn(), "b").unwrap());
    // Expired: anyone may take it.
    let later = db
        .write(|tx| {
            lease::acquire(
                tx,
                &holder("c", 3),
                "2025-07-16T09:00:00.000Z",
                "2025-07-16T09:02:00.000Z",
                alive,
            )
        })
        .unwrap();
    assert!(matches!(later, Acquired::Granted { took_over: Some(_) }));
    db.write(|tx| lease::release(tx, "c")).unwrap();
    assert_eq!(lease::current(db.conn()).unwrap(), None);
}
