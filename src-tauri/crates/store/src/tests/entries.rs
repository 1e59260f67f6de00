//! Migration 0003 and the entry, trace and bulk-write queries built on it.

use rusqlite::Connection;
use serde_json::Value;

use super::{count, files_starting_with, sample_db, upgraded_from};
use crate::batches::{self, BatchFields, InputFields};
use crate::sample::{self, SampleSpec};
use crate::{Db, edit_guard, receipts, shipments, trace};

#[test]
fn upgrade_from_frozen_v2_keeps_rows_and_adds_drills_and_the_bulk_flag() {
    let (dir, db) = upgraded_from(2);
    let conn = db.conn();
    assert_eq!(count(conn, "SELECT count(*) FROM batch_input"), 3);
    assert_eq!(count(conn, "SELECT count(*) FROM import_mapping"), 1);
    assert_eq!(count(conn, "SELECT count(*) FROM attachment"), 1);
    assert_eq!(count(conn, "SELECT count(*) FROM recall_drill"), 0);
    assert_eq!(
        count(conn, "SELECT count(*) FROM product WHERE ccc_models = ''"),
        2,
        "existing products cover no listed models yet"
    );
    assert_eq!(count(conn, "SELECT bulk FROM audit_context"), 0);
    let prefix = format!("pre-migration-v2-to-v{}-", Db::latest_version());
    let backups = files_starting_with(&dir.path().join("backups"), &prefix);
    assert_eq!(
        backups.len(),
        1,
        "a copy is taken before migrating: {backups:?}"
    );

    // The recreated triggers still audit ordinary writes, new column included.
    let before = count(conn, "SELECT count(*) FROM audit_log");
    conn.execute("UPDATE product SET ccc_models = 'JZT-2Q1' WHERE id = 1", [])
        .unwrap();
    conn.execute(
        "INSERT INTO batch (product_id, lot_no, produced_on, quantity, unit) VALUES (1, 'NEW', '2025-04-01', 1, '台')",
        [],
    )
    .unwrap();
    assert_eq!(count(conn, "SELECT count(*) FROM audit_log"), before + 2);
    let new_values: String = conn
        .query_row(
            "SELECT new_values FROM audit_log WHERE table_name = 'product' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        new_values.contains("\"ccc_models\":\"JZT-2Q1\""),
        "{new_values}"
    );
}

fn small_spec() -> SampleSpec {
    SampleSpec {
        items: 600,
        batches: 300,
        receipts: 80,
        shipments: 150,
        suppliers: 5,
        customers: 12,
        products: 10,
        seed: 7,
        end: time::macros::date!(2025 - 06 - 30),
    }
}

#[test]
fn bulk_write_skips_row_audit_and_records_one_summary_per_table() {
    let mut db = Db::open_in_memory().unwrap();
    db.set_actor("generator").unwrap();
    let counts = sample::generate(&mut db, &small_spec()).unwrap();
    assert_eq!(counts.items, 600);
    assert_eq!(counts.batches, 300);
    assert!(counts.batch_inputs >= 300, "every batch consumed a lot");
    let conn = db.conn();
    assert_eq!(db.integrity_check().unwrap(), ["ok"]);
    assert_eq!(count(conn, "SELECT count(*) FROM item"), 600);
    assert_eq!(
        count(conn, "SELECT count(*) FROM audit_log WHERE row_id <> 0"),
        0,
        "no per-row audit entries for a bulk write"
    );
    let summary: Vec<(String, String, String)> = conn
        .prepare("SELECT table_name, actor, new_values FROM audit_log ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let item = summary.iter().find(|(t, _, _)| t == "item").unwrap();
    assert_eq!(item.1, "generator");
    let json: Value = serde_json::from_str(&item.2).unwrap();
    assert_eq!(json["rows"], 600);
    assert_eq!(json["bulk"], true);
    assert_eq!(
        count(conn, "SELECT bulk FROM audit_context"),
        0,
        "the flag is cleared"
    );

    // After the bulk write, rows are audited one by one again.
    db.write(|tx| {
        tx.execute("UPDATE batch SET inspector = 'x' WHERE id = 1", [])?;
        tx.execute("INSERT INTO item (batch_id, serial) VALUES (1, 'LATE')", [])?;
        Ok(())
    })
    .unwrap();
    assert_eq!(
        count(
            db.conn(),
            "SELECT count(*) FROM audit_log WHERE row_id <> 0"
        ),
        2
    );
}

#[test]
fn failed_bulk_write_leaves_nothing_behind_not_even_the_flag() {
    let mut db = Db::open_in_memory().unwrap();
    let err = db
        .bulk_write("doomed", |tx| {
            tx.execute(
                "INSERT INTO party (kind, name) VALUES ('supplier', '甲')",
                [],
            )?;
            tx.execute(
                "INSERT INTO party (kind, name) VALUES ('supplier', '甲')",
                [],
            )?;
            Ok(())
        })
        .unwrap_err();
    assert!(err.to_string().contains("UNIQUE"), "{err}");
    let conn = db.conn();
    assert_eq!(count(conn, "SELECT count(*) FROM party"), 0);
    assert_eq!(count(conn, "SELECT bulk FROM audit_context"), 0);
    assert_eq!(count(conn, "SELECT count(*) FROM audit_log"), 0);
}

#[test]
fn a_record_counts_as_submitted_once_its_submitted_at_is_set() {
    let db = sample_db();
    let conn = db.conn();
    assert_eq!(edit_guard::submitted_at(conn, "receipt", 1).unwrap(), None);
    let has_column = count(
        conn,
        "SELECT count(*) FROM pragma_table_info('receipt') WHERE name = 'submitted_at'",
    );
    if has_column == 0 {
        // Before the submission feature's migration: nothing counts as submitted, and adding
        // the column is all it takes to switch the guard on.
        conn.execute("ALTER TABLE receipt ADD COLUMN submitted_at TEXT", [])
            .unwrap();
    }
    assert_eq!(edit_guard::submitted_at(conn, "receipt", 1).unwrap(), None);
    conn.execute(
        "UPDATE receipt SET submitted_at = '2025-04-01T00:00:00Z' WHERE id = 1",
        [],
    )
    .unwrap();
    assert_eq!(
        edit_guard::submitted_at(conn, "receipt", 1)
            .unwrap()
            .as_deref(),
        Some("2025-04-01T00:00:00Z")
    );
    assert_eq!(edit_guard::submitted_at(conn, "receipt", 2).unwrap(), None);
    assert_eq!(
        edit_guard::submitted_at(conn, "not_a_table", 1).unwrap(),
        None
    );
}

#[test]
fn editing_a_batch_writes_only_the_inputs_that_changed() {
    let mut db = sample_db();
    let fields = BatchFields {
        product_id: 1,
        lot_no: "20250305A".into(),
        produced_on: "2025-03-05".into(),
        quantity: 200.0,
        unit: "台".into(),
        inspection_result: "pass".into(),
        inspector: "赵强".into(),
        report_no: Some("FQC-2025-0001".into()),
        docs: Default::default(),
    };
    let before = count(db.conn(), "SELECT count(*) FROM audit_log");
    // Batch 1 consumed lot 1 (200) and lot 2 (80.25): keep lot 1, change lot 2, nothing added.
    db.write(|tx| {
        batches::update(
            tx,
            1,
            &fields,
            &[
                InputFields {
                    receipt_id: 1,
                    quantity: Some(200.0),
                },
                InputFields {
                    receipt_id: 2,
                    quantity: Some(90.0),
                },
            ],
        )
    })
    .unwrap();
    let conn = db.conn();
    let new: Vec<(String, String)> = conn
        .prepare("SELECT table_name, action FROM audit_log WHERE id > ?1 ORDER BY id")
        .unwrap()
        .query_map([before], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        new,
        [
            ("batch".to_string(), "update".to_string()),
            ("batch_input".to_string(), "update".to_string())
        ]
    );
    let consumed = batches::consumed(conn, &[1, 2], None).unwrap();
    assert_eq!(consumed[&2], 90.0);
    assert_eq!(
        consumed[&1], 200.0,
        "batch 2's unrecorded amount counts as 0"
    );
}

#[test]
fn trace_links_read_both_ways() {
    let db = sample_db();
    let conn = db.conn();
    let up = trace::inputs_of(conn, &[1]).unwrap();
    assert_eq!(
        up.iter().map(|c| c.receipt_id).collect::<Vec<_>>(),
        [1, 2],
        "batch 1 consumed two lots"
    );
    let down = trace::used_by(conn, &[1]).unwrap();
    assert_eq!(down.iter().map(|c| c.batch_id).collect::<Vec<_>>(), [1, 2]);
    let lines = shipments::lines_of_batches(conn, &[1]).unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].serial.as_deref(), Some("0000001"));
    assert_eq!(trace::receipts_by_lot(conn, "V2503-01").unwrap(), [1]);
    let code = trace::trace_code(conn, "EC.1001.KIT-0305")
        .unwrap()
        .unwrap();
    assert_eq!((code.product_id, code.batch_id), (2, Some(2)));
    let (rows, total) = receipts::list(conn, &receipts::ReceiptFilter::default()).unwrap();
    assert_eq!(total, 2);
    assert_eq!(rows[0].id, 2, "newest received first");
    assert_eq!(rows[1].consumed, 200.0);
}

#[test]
fn new_lookups_use_indexes() {
    let db = sample_db();
    let plan = |conn: &Connection, sql: &str| -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt.query_map([], |r| r.get::<_, String>(3)).unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join(" | ")
    };
    for (sql, index) in [
        ("SELECT id FROM item WHERE serial = 'x'", "item_by_serial"),
        (
            "SELECT count(*) FROM receipt WHERE created_at >= '2025'",
            "receipt_by_created_at",
        ),
        (
            "SELECT id FROM batch WHERE inspection_result = 'fail' ORDER BY produced_on DESC",
            "batch_failed",
        ),
        (
            "SELECT id FROM product WHERE ccc_valid_to IS NOT NULL AND ccc_valid_to <= '2026-01-01'",
            "product_by_ccc_valid_to",
        ),
    ] {
        let plan = plan(db.conn(), sql);
        assert!(plan.contains(index), "{sql} should use {index}: {plan}");
    }
}
