//! Migration 0005 and the import queries: runs own the records they created, undo removes exactly
//! those (and keeps used master data), the link rows stay as history, and mappings are remembered.

use super::{count, upgraded_from};
use crate::imports::{self, NewRun, UndoRefusal};
use crate::{Db, parties, receipts};

#[test]
fn upgrade_from_frozen_v4_adds_import_runs_and_keeps_every_row() {
    let (_dir, mut db) = upgraded_from(4);
    let conn = db.conn();
    assert_eq!(
        count(conn, "SELECT count(*) FROM receipt"),
        2,
        "v4's receipts survive"
    );
    assert_eq!(count(conn, "SELECT count(*) FROM item"), 2);
    assert_eq!(count(conn, "SELECT count(*) FROM import_mapping"), 1);
    assert_eq!(count(conn, "SELECT count(*) FROM import_run"), 0);
    assert_eq!(count(conn, "SELECT count(*) FROM import_run_record"), 0);
    assert_eq!(
        count(
            conn,
            "SELECT count(*) FROM import_run r JOIN import_run_record l ON l.run_id = r.id"
        ),
        0
    );
    // The remembered mapping of v4 is still found under its signature.
    let sig: String = conn
        .query_row("SELECT header_signature FROM import_mapping", [], |r| {
            r.get(0)
        })
        .unwrap();
    let kind: String = conn
        .query_row("SELECT kind FROM import_mapping", [], |r| r.get(0))
        .unwrap();
    assert!(
        imports::remembered_mapping(conn, &kind, &sig)
            .unwrap()
            .is_some()
    );

    // And a run can be recorded against the upgraded database.
    db.write(|tx| {
        let id = imports::insert_run(tx, &run("receipt"))?;
        imports::link(tx, id, "receipt", &[1])
    })
    .unwrap();
    assert_eq!(
        count(db.conn(), "SELECT count(*) FROM import_run_record"),
        1
    );
}

fn run(kind: &str) -> NewRun {
    NewRun {
        kind: kind.into(),
        file_name: "进货台账.xlsx".into(),
        file_sha256: "ab".repeat(32),
        file_bytes: 4096,
        sheet: "Sheet1".into(),
        header_row: Some(3),
        mode: "all".into(),
        rows_total: 2,
        rows_imported: 2,
        rows_existing: 0,
        rows_skipped: 0,
        created: r#"{"party":1,"receipt":2}"#.into(),
        actor: "wang.li".into(),
        duration_ms: 12.5,
    }
}

/// A supplier and two receipts written as one bulk import run; returns (run id, supplier id).
fn imported(db: &mut Db) -> (i64, i64) {
    db.write(|tx| {
        imports::set_bulk(tx, true)?;
        let supplier = parties::insert(
            tx,
            &parties::PartyFields {
                kind: "supplier".into(),
                name: "宁波钢材有限公司".into(),
                ..Default::default()
            },
        )?;
        let mut ids = Vec::new();
        for lot in ["L1", "L2"] {
            ids.push(receipts::insert(
                tx,
                &receipts::ReceiptFields {
                    supplier_id: supplier,
                    material: "冷轧钢板".into(),
                    supplier_lot: lot.into(),
                    quantity: 10.0,
                    unit: "千克".into(),
                    received_on: "2025-03-03".into(),
                    inspection_result: "pass".into(),
                    ..Default::default()
                },
            )?);
        }
        let id = imports::insert_run(tx, &run("receipt"))?;
        imports::link(tx, id, "party", &[supplier])?;
        imports::link(tx, id, "receipt", &ids)?;
        imports::set_bulk(tx, false)?;
        imports::audit_summary(tx, "receipt", 2, "import run")?;
        Ok((id, supplier))
    })
    .unwrap()
}

#[test]
fn an_import_run_is_audited_once_and_its_records_not_row_by_row() {
    let mut db = Db::open_in_memory().unwrap();
    imported(&mut db);
    let conn = db.conn();
    assert_eq!(
        count(
            conn,
            "SELECT count(*) FROM audit_log WHERE table_name = 'import_run'"
        ),
        1
    );
    assert_eq!(
        count(
            conn,
            "SELECT count(*) FROM audit_log WHERE table_name IN ('receipt', 'party', 'import_run_record') AND row_id <> 0"
        ),
        0
    );
    assert_eq!(
        count(
            conn,
            "SELECT count(*) FROM audit_log WHERE table_name = 'receipt' AND row_id = 0 AND json_extract(new_values, '$.rows') = 2"
        ),
        1
    );
    let runs = imports::list_runs(conn, 10).unwrap();
    assert_eq!(runs[0].run.created, r#"{"party":1,"receipt":2}"#);
    assert_eq!(
        imports::runs_of_file(conn, &"ab".repeat(32)).unwrap().len(),
        1
    );
}

#[test]
fn undo_deletes_exactly_the_run_records_once_and_audits_each_deletion() {
    let mut db = Db::open_in_memory().unwrap();
    let (run_id, _) = imported(&mut db);
    // A receipt entered by hand afterwards is not the run's.
    db.write(|tx| {
        receipts::insert(
            tx,
            &receipts::ReceiptFields {
                supplier_id: 1,
                material: "镀锌板".into(),
                supplier_lot: "L9".into(),
                quantity: 1.0,
                unit: "千克".into(),
                received_on: "2025-03-09".into(),
                inspection_result: "pass".into(),
                ..Default::default()
            },
        )
    })
    .unwrap();

    let counts = db
        .write(|tx| imports::undo_run(tx, run_id, "li.si"))
        .unwrap()
        .expect("undo goes ahead");
    assert_eq!(
        counts.deleted,
        vec![("receipt".to_string(), 2), ("party".to_string(), 0)]
    );
    assert_eq!(
        counts.kept,
        vec![("party".to_string(), 1)],
        "the supplier is used by the hand-entered receipt"
    );
    let conn = db.conn();
    assert_eq!(count(conn, "SELECT count(*) FROM receipt"), 1);
    assert_eq!(count(conn, "SELECT count(*) FROM party"), 1);
    assert_eq!(
        count(
            conn,
            "SELECT count(*) FROM audit_log WHERE table_name = 'receipt' AND action = 'delete'"
        ),
        2
    );
    assert_eq!(
        count(conn, "SELECT count(*) FROM import_run_record"),
        3,
        "the links stay as history"
    );
    let run = imports::get_run(conn, run_id).unwrap().unwrap();
    assert_eq!(run.status, "undone");
    assert_eq!(run.undone_by.as_deref(), Some("li.si"));

    let again = db
        .write(|tx| imports::undo_run(tx, run_id, "li.si"))
        .unwrap();
    assert!(matches!(again, Err(UndoRefusal::AlreadyUndone { .. })));
    let missing = db.write(|tx| imports::undo_run(tx, 999, "li.si")).unwrap();
    assert_eq!(missing, Err(UndoRefusal::NotFound));
}

#[test]
fn undo_is_refused_when_a_later_record_uses_an_imported_one() {
    let mut db = Db::open_in_memory().unwrap();
    let (run_id, _) = imported(&mut db);
    db.write(|tx| {
        tx.execute_batch(
            "INSERT INTO product (id, name, scheme, granularity) VALUES (1, '水壶', 'gs1', 'batch');
             INSERT INTO batch (id, product_id, lot_no, produced_on, quantity, unit) VALUES (1, 1, 'B1', '2025-03-10', 5, '台');
             INSERT INTO batch_input (batch_id, receipt_id) VALUES (1, 1);",
        )?;
        Ok(())
    })
    .unwrap();
    let mut refused = None;
    let rolled_back = db.transact(|tx| -> crate::Result<()> {
        if let Err(r) = imports::undo_run(tx, run_id, "li.si")? {
            refused = Some(r);
            // What the app does with a refusal: roll the transaction back.
            return Err(crate::Error::Sqlite(rusqlite::Error::InvalidQuery));
        }
        Ok(())
    });
    assert!(rolled_back.is_err());
    assert_eq!(
        count(db.conn(), "SELECT count(*) FROM receipt"),
        2,
        "nothing was deleted"
    );
    match refused {
        Some(UndoRefusal::InUse { table, detail }) => {
            assert_eq!(table, "receipt");
            assert_eq!(detail, "L1");
        }
        other => panic!("expected InUse, got {other:?}"),
    }
}

#[test]
fn mappings_are_remembered_per_kind_and_signature_and_counted() {
    let mut db = Db::open_in_memory().unwrap();
    db.write(|tx| {
        imports::remember_mapping(tx, "receipt", "0123456789abcdef", r#"{"columns":[]}"#)?;
        imports::remember_mapping(tx, "receipt", "0123456789abcdef", r#"{"columns":[1]}"#)
    })
    .unwrap();
    let conn = db.conn();
    assert_eq!(
        imports::remembered_mapping(conn, "receipt", "0123456789abcdef")
            .unwrap()
            .as_deref(),
        Some(r#"{"columns":[1]}"#)
    );
    assert_eq!(
        imports::remembered_mapping(conn, "batch", "0123456789abcdef").unwrap(),
        None
    );
    assert_eq!(count(conn, "SELECT use_count FROM import_mapping"), 2);
}
