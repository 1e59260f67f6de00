//! Migration 0011: the document numbers and dates of receipts, batches and shipments.

use super::{count, sample_db, upgraded_from};
use crate::batches::{self, BatchDocs};
use crate::receipts::{self, ReceiptDocs};
use crate::shipments::{self, ShipmentDocs};

#[test]
fn upgrade_from_frozen_v9_leaves_the_documents_empty() {
    let (_dir, db) = upgraded_from(9);
    let conn = db.conn();
    let r = receipts::get(conn, 1).unwrap().unwrap();
    assert_eq!(r.fields.docs, ReceiptDocs::default());
    let b = batches::get(conn, 1).unwrap().unwrap();
    assert_eq!(b.fields.docs, BatchDocs::default());
    let s = shipments::get(conn, 1).unwrap().unwrap();
    assert_eq!(s.fields.docs, ShipmentDocs::default());
}

#[test]
fn documents_round_trip_through_insert_update_and_the_audit_trail() {
    let mut db = sample_db();
    let mut receipt = receipts::get(db.conn(), 1).unwrap().unwrap().fields;
    receipt.supplier_lot = "V2503-99".into();
    receipt.docs = ReceiptDocs {
        purchase_order_no: "PO-2025-0311".into(),
        invoice_no: "04403250".into(),
        delivery_note_no: "SH-0311-07".into(),
    };
    let mut batch = batches::get(db.conn(), 1).unwrap().unwrap().fields;
    batch.docs = BatchDocs {
        inspected_on: Some("2025-03-06".into()),
        expires_on: Some("2027-03-31".into()),
        work_order_no: "WO-2503-05".into(),
    };
    let mut shipment = shipments::get(db.conn(), 1).unwrap().unwrap().fields;
    shipment.docs = ShipmentDocs {
        order_no: "SO-2025-118".into(),
        invoice_no: "04403311".into(),
    };
    let new_receipt = db
        .write(|tx| {
            let id = receipts::insert(tx, &receipt)?;
            batches::update(tx, 1, &batch, &batches::inputs_of(tx, 1)?)?;
            shipments::update(tx, 1, &shipment, &[])?;
            Ok(id)
        })
        .unwrap();
    let conn = db.conn();
    assert_eq!(
        receipts::get(conn, new_receipt).unwrap().unwrap().fields,
        receipt
    );
    assert_eq!(batches::get(conn, 1).unwrap().unwrap().fields, batch);
    assert_eq!(shipments::get(conn, 1).unwrap().unwrap().fields, shipment);

    let audited: String = conn
        .query_row(
            "SELECT new_values FROM audit_log WHERE table_name = 'batch' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let audited: serde_json::Value = serde_json::from_str(&audited).unwrap();
    assert_eq!(audited["work_order_no"], "WO-2503-05");
    assert_eq!(audited["expires_on"], "2027-03-31");
    assert_eq!(audited["inspected_on"], "2025-03-06");
}

#[test]
fn a_document_change_counts_as_a_change_of_the_reported_record() {
    let db = sample_db();
    let conn = db.conn();
    for (sql, kind) in [
        (
            "UPDATE receipt SET invoice_no = 'INV-1' WHERE id = 1",
            "receipt",
        ),
        (
            "UPDATE batch SET expires_on = '2027-01-01' WHERE id = 1",
            "batch",
        ),
        (
            "UPDATE shipment SET order_no = 'SO-1' WHERE id = 1",
            "shipment",
        ),
    ] {
        conn.execute(sql, []).unwrap();
        assert_eq!(
            count(
                conn,
                &format!(
                    "SELECT count(*) FROM outbox_source_change WHERE source_kind = '{kind}' AND source_id = 1"
                )
            ),
            1,
            "{sql}"
        );
    }
}

#[test]
fn the_schema_refuses_long_numbers_and_dates_that_are_not_dates() {
    let db = sample_db();
    let conn = db.conn();
    let long = "X".repeat(51);
    for sql in [
        format!("UPDATE receipt SET purchase_order_no = '{long}' WHERE id = 1"),
        format!("UPDATE shipment SET invoice_no = '{long}' WHERE id = 1"),
        format!("UPDATE batch SET work_order_no = '{long}' WHERE id = 1"),
        "UPDATE batch SET inspected_on = '2025-02-30' WHERE id = 1".to_string(),
        "UPDATE batch SET expires_on = '31.03.2027' WHERE id = 1".to_string(),
    ] {
        let err = conn.execute(&sql, []).unwrap_err();
        assert!(err.to_string().contains("CHECK"), "{sql}: {err}");
    }
    conn.execute(
        &format!(
            "UPDATE receipt SET purchase_order_no = '{}' WHERE id = 1",
            "采".repeat(50)
        ),
        [],
    )
    .unwrap();
}
