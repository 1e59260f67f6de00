//! `verify`: one snapshot, and accepted outbox records against the requests that sent them.

use rusqlite::Connection;

use super::{NewEntry, append, verify, verify_with};
use crate::Db;
use crate::outbox::{self, NewRecord};

const AT: &str = "2025-07-16T08:00:00.000Z";

fn key(n: i64) -> String {
    format!("{n:064x}")
}

fn body(n: i64) -> String {
    format!(r#"{{"kind":"receiving","n":{n},"lot":"L-{n}"}}"#)
}

fn queue(conn: &Connection, n: i64) -> i64 {
    outbox::insert(
        conn,
        &NewRecord {
            source_kind: "receipt".into(),
            source_id: n,
            kind: "receiving".into(),
            scheme: "gs1".into(),
            granularity: "batch".into(),
            key: key(n),
            body: body(n),
            label: format!("L{n}"),
            event_date: Some("2025-07-16".into()),
            ..NewRecord::default()
        },
    )
    .unwrap()
}

/// The request and response of one attempt, archived as a run archives them.
fn archive_exchange(conn: &Connection, attempt: i64, method: &str, keys: &[String], body: &str) {
    for (direction, body) in [("request", body), ("response", "{}")] {
        append(
            conn,
            &NewEntry {
                at: AT.into(),
                direction: direction.into(),
                attempt_id: Some(attempt),
                method: method.into(),
                endpoint: if method == "GET" {
                    format!("/api/v1/records/{}", keys[0])
                } else {
                    "/api/v1/records:batch".into()
                },
                status: (direction == "response").then_some(200),
                record_keys: keys.to_vec(),
                headers: "{}".into(),
                body: body.into(),
                ..NewEntry::default()
            },
        )
        .unwrap();
    }
}

/// Sends records `ns` in one batch (the body is built as the client builds it: the stored bodies
/// joined) and, when `accept`, marks them accepted. Returns the outbox ids.
fn send_batch(db: &mut Db, ns: &[i64], accept: bool) -> Vec<i64> {
    db.write(|tx| {
        let ids: Vec<i64> = ns.iter().map(|&n| queue(tx, n)).collect();
        let attempt = outbox::insert_attempt(
            tx,
            "practice",
            "run",
            "batch",
            "/records:batch",
            ids.len() as i64,
            AT,
        )?;
        outbox::mark_sending(tx, &ids, attempt, AT)?;
        let bodies: Vec<String> = ns.iter().map(|&n| body(n)).collect();
        let keys: Vec<String> = ns.iter().map(|&n| key(n)).collect();
        archive_exchange(
            tx,
            attempt,
            "POST",
            &keys,
            &format!(r#"{{"records":[{}]}}"#, bodies.join(",")),
        );
        if accept {
            for id in &ids {
                outbox::mark_accepted(tx, *id, &format!("R{id}"), AT, false)?;
            }
        }
        Ok(ids)
    })
    .unwrap()
}

/// Settles row `id` (key of record `n`) with a status query, as a run does after a crash; the
/// query's attempt becomes the row's last one.
fn accept_by_status(db: &mut Db, id: i64, n: i64) {
    db.write(|tx| {
        let attempt =
            outbox::insert_attempt(tx, "practice", "run2", "reconcile", "/records/k", 1, AT)?;
        outbox::mark_sending(tx, &[id], attempt, AT)?;
        archive_exchange(tx, attempt, "GET", &[key(n)], "");
        outbox::mark_accepted(tx, id, &format!("R{id}"), AT, false)?;
        Ok(())
    })
    .unwrap();
}

/// Lifts the no-update trigger of the bodies and runs `sql`, as someone editing the file would.
fn tamper(conn: &Connection, sql: &str) {
    conn.execute_batch("DROP TRIGGER IF EXISTS outbox_body_no_update;")
        .unwrap();
    conn.execute_batch(sql).unwrap();
}

#[test]
fn verify_reads_one_snapshot_while_another_connection_appends() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    let mut db = Db::open(&path).unwrap();
    send_batch(&mut db, &[1, 2], true);
    let other = Connection::open(&path).unwrap();
    other
        .busy_timeout(std::time::Duration::from_secs(5))
        .unwrap();

    // A run appends a whole exchange and accepts its records between the moment the entries
    // were read and the moment the head is read: the check must not see half of it.
    let v = verify_with(db.conn(), || {
        let tx = other.unchecked_transaction()?;
        let ids = [queue(&tx, 3)];
        let attempt =
            outbox::insert_attempt(&tx, "practice", "run", "batch", "/records:batch", 1, AT)?;
        outbox::mark_sending(&tx, &ids, attempt, AT)?;
        archive_exchange(
            &tx,
            attempt,
            "POST",
            &[key(3)],
            &format!(r#"{{"records":[{}]}}"#, body(3)),
        );
        outbox::mark_accepted(&tx, ids[0], "R3", AT, false)?;
        tx.commit()?;
        Ok(())
    })
    .unwrap();
    assert!(v.ok, "{v:?}");
    assert_eq!(v.entries, 2, "the snapshot of the start: one exchange");
    assert_eq!(v.records.checked, 2);

    let v = verify(db.conn()).unwrap();
    assert!(v.ok, "{v:?}");
    assert_eq!(
        (v.entries, v.records.checked),
        (4, 3),
        "the append is seen afterwards"
    );
}

#[test]
fn verify_inside_the_callers_transaction_reads_that_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    let mut db = Db::open(&path).unwrap();
    send_batch(&mut db, &[1], true);
    let other = Connection::open(&path).unwrap();
    other
        .busy_timeout(std::time::Duration::from_secs(5))
        .unwrap();
    let tx = db.conn().unchecked_transaction().unwrap();
    let _: i64 = tx
        .query_row("SELECT count(*) FROM archive_entry", [], |r| r.get(0))
        .unwrap();
    let v = verify_with(&tx, || {
        archive_exchange(&other, 9, "POST", &[key(9)], r#"{"records":[{}]}"#);
        Ok(())
    })
    .unwrap();
    assert!(v.ok, "{v:?}");
    assert_eq!(v.entries, 2);
}

#[test]
fn accepted_records_that_hold_what_was_sent_verify() {
    let mut db = Db::open_in_memory().unwrap();
    send_batch(&mut db, &[1, 2, 3], true);
    // Sent but not answered yet, and sent then refused: only accepted rows are checked.
    send_batch(&mut db, &[4], false);
    let v = verify(db.conn()).unwrap();
    assert!(v.ok, "{v:?}");
    assert_eq!(v.records.checked, 3);
    assert_eq!(v.records.first_bad, None);
    assert_eq!(v.problem(), None);
}

#[test]
fn a_changed_accepted_record_is_named_with_its_outbox_id_and_why() {
    // (change, first bad outbox id or none, words in the Chinese reason, words in the English)
    let cases: &[(&str, Option<i64>, &str, &str)] = &[
        (
            r#"UPDATE outbox_body SET body = '{"kind":"receiving","n":2,"lot":"L-FAKE"}' WHERE outbox_id = 2"#,
            Some(2),
            "与档案第 1 条请求中实际发送的记录不同",
            "differs from the record sent in archive entry 1",
        ),
        (
            // The same JSON, members reordered and spaced: the same record.
            r#"UPDATE outbox_body SET body = '{ "lot": "L-2", "n": 2, "kind": "receiving" }' WHERE outbox_id = 2"#,
            None,
            "",
            "",
        ),
        (
            "UPDATE outbox SET idempotency_key = printf('%064x', 77) WHERE id = 3",
            Some(3),
            "不在档案第 1 条请求所发送的记录中",
            "is not among the records sent in archive entry 1",
        ),
        (
            "UPDATE outbox SET last_attempt_id = NULL WHERE id = 1",
            Some(1),
            "没有任何报送请求的记录",
            "no request of it is recorded",
        ),
        (
            "INSERT INTO submission_attempt (run_id, purpose, endpoint, record_count, started_at)
                 VALUES ('x', 'batch', '/records:batch', 1, '2025-07-16');
             UPDATE outbox SET last_attempt_id = last_insert_rowid() WHERE id = 2",
            Some(2),
            "不在档案中",
            "is not in the archive",
        ),
        (
            // Two records changed: the lower id is named, both are counted.
            r#"UPDATE outbox_body SET body = '{"n":0}' WHERE outbox_id IN (2, 3)"#,
            Some(2),
            "报送队列第 2 条",
            "outbox record 2",
        ),
    ];
    for (sql, first_bad, zh, en) in cases {
        let mut db = Db::open_in_memory().unwrap();
        send_batch(&mut db, &[1, 2, 3], true);
        tamper(db.conn(), sql);
        let v = verify(db.conn()).unwrap();
        assert_eq!(v.records.first_bad, *first_bad, "{sql}: {v:?}");
        assert_eq!(v.ok, first_bad.is_none(), "{sql}");
        assert!(v.chain_ok(), "the chain itself is untouched: {sql}");
        if first_bad.is_some() {
            let (got_zh, got_en) = v.problem().unwrap();
            assert!(got_zh.contains(zh), "{sql}: {got_zh}");
            assert!(got_en.contains(en), "{sql}: {got_en}");
        }
    }
    let mut db = Db::open_in_memory().unwrap();
    send_batch(&mut db, &[1, 2, 3], true);
    tamper(
        db.conn(),
        r#"UPDATE outbox_body SET body = '{"n":0}' WHERE outbox_id IN (2, 3)"#,
    );
    assert_eq!(verify(db.conn()).unwrap().records.mismatches, 2);
}

#[test]
fn a_record_accepted_by_a_status_query_is_checked_against_the_batch_that_sent_it() {
    let mut db = Db::open_in_memory().unwrap();
    // The run died after sending; the next one settled both records with GET /records/{key}.
    let ids = send_batch(&mut db, &[1, 2], false);
    accept_by_status(&mut db, ids[0], 1);
    accept_by_status(&mut db, ids[1], 2);
    let v = verify(db.conn()).unwrap();
    assert!(v.ok, "{v:?}");
    assert_eq!(v.records.checked, 2);

    tamper(
        db.conn(),
        &format!(
            r#"UPDATE outbox_body SET body = '{{"n":5}}' WHERE outbox_id = {}"#,
            ids[1]
        ),
    );
    let v = verify(db.conn()).unwrap();
    assert_eq!(v.records.first_bad, Some(ids[1]), "{v:?}");
    assert!(v.records.reason_en.unwrap().contains("archive entry 1"));
}

#[test]
fn a_status_acceptance_whose_key_no_batch_ever_sent_is_named() {
    let mut db = Db::open_in_memory().unwrap();
    let id = db.write(|tx| Ok(queue(tx, 7))).unwrap();
    accept_by_status(&mut db, id, 7);
    let v = verify(db.conn()).unwrap();
    assert!(!v.ok);
    assert!(v.chain_ok());
    assert_eq!(v.records.first_bad, Some(id));
    let (zh, en) = v.problem().unwrap();
    assert!(zh.contains("此前没有任何报送请求发送过它的键"), "{zh}");
    assert!(en.contains("no earlier request sent its key"), "{en}");
}

#[test]
fn a_broken_chain_is_reported_in_both_languages_before_the_records() {
    let mut db = Db::open_in_memory().unwrap();
    send_batch(&mut db, &[1], true);
    db.conn()
        .execute_batch(
            "DROP TRIGGER archive_entry_no_update;
             UPDATE archive_entry SET outcome = 'edited' WHERE id = 2;",
        )
        .unwrap();
    let v = verify(db.conn()).unwrap();
    assert!(!v.ok);
    assert_eq!(v.first_bad, Some(2));
    let (zh, en) = v.problem().unwrap();
    assert!(zh.contains("档案第 2 条的字段被改动"), "{zh}");
    assert!(en.contains("entry 2: its fields were changed"), "{en}");
}

#[test]
fn an_archive_search_takes_percent_and_underscore_literally() {
    let db = Db::open_in_memory().unwrap();
    let entries = [
        ("req_1", "partial: 50% accepted"),
        ("reqX1", "partial: 500 accepted"),
        ("req-2", "accepted 5 of 10"),
        ("req\\3", "rejected"),
    ];
    for (request_id, outcome) in entries {
        append(
            db.conn(),
            &NewEntry {
                at: AT.into(),
                direction: "response".into(),
                method: "POST".into(),
                endpoint: "/api/v1/records:batch".into(),
                status: Some(200),
                request_id: Some(request_id.into()),
                headers: "{}".into(),
                body: "{}".into(),
                outcome: outcome.into(),
                ..NewEntry::default()
            },
        )
        .unwrap();
    }
    let found = |search: &str| -> Vec<String> {
        let filter = super::ArchiveFilter {
            search: search.into(),
            ..Default::default()
        };
        let (rows, total) = super::list(db.conn(), &filter, 100).unwrap();
        assert_eq!(rows.len() as u32, total, "{search}");
        let mut ids: Vec<String> = rows.into_iter().filter_map(|e| e.request_id).collect();
        ids.sort();
        ids
    };
    assert_eq!(
        found("50%"),
        ["req_1"],
        "a % is a percent sign, not 'anything'"
    );
    assert_eq!(
        found("req_1"),
        ["req_1"],
        "an _ is an underscore, not 'any character'"
    );
    assert_eq!(found("_"), ["req_1"]);
    assert_eq!(found("%"), ["req_1"]);
    assert_eq!(found("req\\3"), ["req\\3"], "a backslash is itself");
    assert_eq!(
        found(" 50 "),
        ["reqX1", "req_1"],
        "the text is trimmed, then a substring"
    );
    assert_eq!(found("").len(), 4);
}
