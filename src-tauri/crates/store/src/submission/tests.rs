//! The submission run's reads, on a real (in-memory) database built here.

use super::{Source, *};
use crate::Db;
use crate::ledger::{self, NewAllocation, NewTraceCode};
use crate::outbox;

/// Two suppliers-and-customers, two products, receipts, batches and a shipment, inserted in an
/// order that differs from their ids where the schema lets it.
fn seeded() -> Db {
    let mut db = Db::open_in_memory().unwrap();
    db.write(|tx| {
        tx.execute_batch(
            "INSERT INTO party (id, kind, name) VALUES (7, 'supplier', '甲钢材'), (3, 'both', '乙机电');
             INSERT INTO product (id, name, scheme, granularity) VALUES
                 (5, '断路器', 'gs1', 'item'), (2, '插座', 'ecode', 'product');
             INSERT INTO receipt (id, supplier_id, material, supplier_lot, quantity, unit, received_on)
                 VALUES (9, 7, '铜排', 'L-9', 10, 'kg', '2025-07-01'),
                        (4, 3, '外壳', 'L-4', 200, '个', '2025-07-02');
             INSERT INTO batch (id, product_id, lot_no, produced_on, quantity, unit) VALUES
                 (8, 5, 'B-8', '2025-07-10', 100, '台'), (1, 2, 'B-1', '2025-07-11', 50, '个');
             INSERT INTO shipment (id, customer_id, shipped_on, delivery_note_no) VALUES
                 (6, 3, '2025-07-20', 'D-6');",
        )?;
        Ok(())
    })
    .unwrap();
    db
}

#[test]
fn source_ids_are_every_row_of_the_table_ascending() {
    let db = seeded();
    let conn = db.conn();
    let cases = [
        (Source::Party, vec![3, 7]),
        (Source::Product, vec![2, 5]),
        (Source::Receipt, vec![4, 9]),
        (Source::Batch, vec![1, 8]),
        (Source::Shipment, vec![6]),
    ];
    for (source, want) in cases {
        assert_eq!(source_ids(conn, source).unwrap(), want, "{source:?}");
    }
    let empty = Db::open_in_memory().unwrap();
    assert!(
        source_ids(empty.conn(), Source::Receipt)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn only_exported_allocations_are_reported() {
    let mut db = seeded();
    let ids = db
        .write(|tx| {
            let series = ledger::series_for(tx, "5", "sequential", "{seq:08}", "00000000", 1)?;
            let mut ids = Vec::new();
            for state in ["exported", "allocated", "cancelled", "exported"] {
                let a = ledger::allocate(
                    tx,
                    &NewAllocation {
                        series_id: series.id,
                        product_id: 5,
                        batch_id: Some(8),
                        pattern_date: None,
                        count: 10,
                        code_form: "element-string",
                        actor: "test",
                    },
                )?;
                ledger::set_allocation_state(tx, a.id, state, None)?;
                ids.push(a.id);
            }
            Ok(ids)
        })
        .unwrap();
    assert_eq!(
        exported_allocation_ids(db.conn()).unwrap(),
        vec![ids[0], ids[3]]
    );
}

#[test]
fn product_level_codes_are_the_active_platform_issued_ones_in_recorded_order() {
    let mut db = seeded();
    db.write(|tx| {
        // (code, scheme, granularity, product, status): only active, non-GS1, product-level.
        let rows = [
            ("E-2-new", "ecode", "product", 2, "active"),
            ("G-5", "gs1", "product", 5, "active"),
            ("E-2-void", "ecode", "product", 2, "void"),
            ("D-5", "digital-id", "product", 5, "active"),
            ("E-1-batch", "ecode", "batch", 2, "active"),
        ];
        for (code, scheme, granularity, product_id, status) in rows {
            ledger::insert_trace_code(
                tx,
                &NewTraceCode {
                    code,
                    scheme,
                    granularity,
                    product_id,
                    batch_id: (granularity == "batch").then_some(1),
                    item_id: None,
                    status,
                },
            )?;
        }
        Ok(())
    })
    .unwrap();
    assert_eq!(
        product_level_codes(db.conn()).unwrap(),
        vec![(2, "E-2-new".to_string()), (5, "D-5".to_string())]
    );
}

#[test]
fn single_fields_are_read_by_id_and_missing_rows_are_none() {
    let db = seeded();
    let conn = db.conn();
    assert_eq!(
        batch_produced_on(conn, 8).unwrap().as_deref(),
        Some("2025-07-10")
    );
    assert_eq!(batch_produced_on(conn, 99).unwrap(), None);
    assert_eq!(shipment_customer(conn, 6).unwrap(), Some(3));
    assert_eq!(shipment_customer(conn, 99).unwrap(), None);
    assert_eq!(receipt_supplier(conn, 9).unwrap(), Some(7));
    assert_eq!(receipt_supplier(conn, 4).unwrap(), Some(3));
    assert_eq!(receipt_supplier(conn, 99).unwrap(), None);
}

#[test]
fn last_attempt_outcome_is_the_newest_attempts_once_it_ended() {
    let mut db = Db::open_in_memory().unwrap();
    assert_eq!(last_attempt_outcome(db.conn()).unwrap(), None, "no attempt");
    let at = "2025-07-16T08:00:00.000Z";
    db.write(|tx| {
        let first = outbox::insert_attempt(tx, "practice", "r1", "batch", "/records:batch", 3, at)?;
        outbox::finish_attempt(tx, first, at, "offline", None, None, Some("refused"))?;
        Ok(())
    })
    .unwrap();
    assert_eq!(
        last_attempt_outcome(db.conn()).unwrap().as_deref(),
        Some("offline")
    );
    db.write(|tx| {
        let second =
            outbox::insert_attempt(tx, "practice", "r2", "batch", "/records:batch", 1, at)?;
        outbox::finish_attempt(tx, second, at, "ok", Some(200), Some("req-1"), None)?;
        outbox::insert_attempt(tx, "practice", "r3", "batch", "/records:batch", 1, at)?;
        Ok(())
    })
    .unwrap();
    assert_eq!(
        last_attempt_outcome(db.conn()).unwrap(),
        None,
        "the newest has not ended yet"
    );
}
