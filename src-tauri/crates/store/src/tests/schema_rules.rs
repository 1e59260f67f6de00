//! The schema's own rules: inconsistent trace data refused, deletions audited, trace queries
//! on indexes.

use super::*;

#[test]
fn schema_refuses_inconsistent_trace_data() {
    let db = sample_db();
    let refused = [
        (
            "quantity must be positive",
            "UPDATE receipt SET quantity = 0 WHERE id = 1",
        ),
        (
            "dates must exist",
            "UPDATE receipt SET received_on = '2025-02-30' WHERE id = 1",
        ),
        (
            "dates are YYYY-MM-DD",
            "UPDATE batch SET produced_on = '2025/03/05' WHERE id = 1",
        ),
        (
            "result is pass, fail or pending",
            "UPDATE batch SET inspection_result = 'ok' WHERE id = 1",
        ),
        (
            "one lot number per product",
            "INSERT INTO batch (product_id, lot_no, produced_on, quantity, unit) VALUES (1, '20250305A', '2025-03-06', 1, '台')",
        ),
        (
            "a GTIN is digits",
            "UPDATE product SET gtin = '0690123456789X' WHERE id = 1",
        ),
        (
            "an item code names the item's own batch",
            "INSERT INTO trace_code (code, scheme, granularity, product_id, batch_id, item_id) VALUES ('X1', 'gs1', 'item', 2, 2, 1)",
        ),
        (
            "a batch code names the batch's own product",
            "INSERT INTO trace_code (code, scheme, granularity, product_id, batch_id) VALUES ('X2', 'ecode', 'batch', 2, 1)",
        ),
        (
            "a batch code has a batch",
            "INSERT INTO trace_code (code, scheme, granularity, product_id) VALUES ('X3', 'gs1', 'batch', 1)",
        ),
        (
            "a shipped item belongs to the shipped batch",
            "INSERT INTO shipment_line (shipment_id, batch_id, item_id, quantity) VALUES (1, 2, 1, 1)",
        ),
        (
            "a consumed lot cannot be deleted",
            "DELETE FROM receipt WHERE id = 1",
        ),
        (
            "a batch with items cannot be deleted",
            "DELETE FROM batch WHERE id = 1",
        ),
        (
            "the enterprise row is id 1",
            "INSERT INTO enterprise (id, name, uscc) VALUES (2, 'x', 'y')",
        ),
        (
            "an attachment has exactly one owner",
            "INSERT INTO attachment (product_id, receipt_id, file_name, sha256, size_bytes) VALUES (1, 1, 'a.pdf', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 0)",
        ),
    ];
    for (rule, sql) in refused {
        assert!(
            db.conn().execute(sql, []).is_err(),
            "{rule}: {sql} should be refused"
        );
    }
    assert_eq!(db.integrity_check().unwrap(), ["ok"]);
}

#[test]
fn deleting_a_shipment_takes_its_lines_and_audits_them() {
    let mut db = sample_db();
    db.write(|tx| Ok(tx.execute("DELETE FROM shipment WHERE id = 1", [])?))
        .unwrap();
    assert_eq!(count(db.conn(), "SELECT count(*) FROM shipment_line"), 0);
    let deleted = count(
        db.conn(),
        "SELECT count(*) FROM audit_log WHERE table_name = 'shipment_line' AND action = 'delete'",
    );
    assert_eq!(deleted, 2, "cascaded deletes are audited like any other");
}

#[test]
fn trace_queries_in_both_directions_use_indexes() {
    let db = sample_db();
    let plan = |sql: &str| -> String {
        let mut stmt = db
            .conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        let rows = stmt.query_map([], |r| r.get::<_, String>(3)).unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join(" | ")
    };
    let cases = [
        // Backward: from a product batch to the lots that went into it.
        (
            "SELECT receipt_id FROM batch_input WHERE batch_id = 1",
            "sqlite_autoindex_batch_input_1",
        ),
        (
            "SELECT id FROM batch WHERE lot_no = '20250305A'",
            "batch_by_lot_no",
        ),
        (
            "SELECT id FROM trace_code WHERE code = 'x'",
            "sqlite_autoindex_trace_code_1",
        ),
        // Forward (recall): from a supplier lot to batches, shipments and customers.
        (
            "SELECT id FROM receipt WHERE supplier_lot = 'V2503-01'",
            "receipt_by_supplier_lot",
        ),
        (
            "SELECT batch_id FROM batch_input WHERE receipt_id = 1",
            "batch_input_by_receipt",
        ),
        (
            "SELECT shipment_id FROM shipment_line WHERE batch_id = 1",
            "shipment_line_by_batch",
        ),
        (
            "SELECT id FROM trace_code WHERE batch_id = 1",
            "trace_code_by_batch",
        ),
        (
            "SELECT id FROM item WHERE batch_id = 1",
            "sqlite_autoindex_item_1",
        ),
    ];
    for (sql, index) in cases {
        let plan = plan(sql);
        assert!(
            plan.contains(index),
            "{sql} should use {index}, plan: {plan}"
        );
    }
}
