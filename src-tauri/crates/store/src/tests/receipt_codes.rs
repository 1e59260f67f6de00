//! Migration 0010: the supplier's codes of a receipt and its key component's CCC certificate.

use super::{count, upgraded_from};
use crate::receipts::{self, ReceiptCode, ReceiptFields};
use crate::{Db, parties};

fn code(code: &str, kind: &str, level: &str) -> ReceiptCode {
    ReceiptCode {
        code: code.into(),
        kind: kind.into(),
        level: level.into(),
        note: String::new(),
    }
}

fn receipt(db: &mut Db, lot: &str) -> i64 {
    db.write(|tx| {
        let supplier = parties::insert(
            tx,
            &parties::PartyFields {
                kind: "supplier".into(),
                name: format!("供方{lot}"),
                ..Default::default()
            },
        )?;
        receipts::insert(
            tx,
            &ReceiptFields {
                supplier_id: supplier,
                material: "燃气阀".into(),
                supplier_lot: lot.into(),
                quantity: 10.0,
                unit: "个".into(),
                received_on: "2025-03-03".into(),
                inspection_result: "pass".into(),
                component_ccc: Some("2016010901123456".into()),
                ..Default::default()
            },
        )
    })
    .unwrap()
}

#[test]
fn upgrade_from_frozen_v9_adds_empty_codes_and_no_component_certificates() {
    let (_dir, db) = upgraded_from(9);
    let conn = db.conn();
    assert_eq!(count(conn, "SELECT count(*) FROM receipt_code"), 0);
    assert_eq!(
        count(
            conn,
            "SELECT count(*) FROM receipt WHERE component_ccc IS NOT NULL"
        ),
        0
    );
}

#[test]
fn codes_are_kept_in_order_found_by_exact_code_replaced_audited_and_stamped() {
    let mut db = Db::open_in_memory().unwrap();
    let id = receipt(&mut db, "V1");
    let other = receipt(&mut db, "V2");
    let codes = vec![
        code("(01)06901234567892(10)V1", "gs1-element-string", "lot"),
        code(
            "https://www.iotroot.com/E=10064123456789012345",
            "ecode",
            "item",
        ),
        ReceiptCode {
            note: "无法识别编码类型".into(),
            ..code("ab", "unknown", "item")
        },
    ];
    db.write(|tx| receipts::set_codes(tx, id, &codes)).unwrap();
    db.write(|tx| receipts::set_codes(tx, other, &codes[..1]))
        .unwrap();
    assert_eq!(receipts::codes_of(db.conn(), id).unwrap(), codes);
    assert_eq!(
        receipts::by_code(db.conn(), "(01)06901234567892(10)V1").unwrap(),
        vec![id, other]
    );
    assert_eq!(receipts::by_code(db.conn(), "ab").unwrap(), vec![id]);
    assert!(
        receipts::by_code(db.conn(), "(01)0690123456789")
            .unwrap()
            .is_empty()
    );
    let row = receipts::get(db.conn(), id).unwrap().unwrap();
    assert_eq!(
        row.fields.component_ccc.as_deref(),
        Some("2016010901123456")
    );

    let conn = db.conn();
    let audited = "SELECT count(*) FROM audit_log WHERE table_name = 'receipt_code'";
    assert_eq!(count(conn, audited), 4);
    conn.execute("DELETE FROM outbox_source_change", [])
        .unwrap();
    // The same codes again change nothing: no audit rows, no change stamp.
    db.write(|tx| receipts::set_codes(tx, id, &codes)).unwrap();
    assert_eq!(count(db.conn(), audited), 4);
    assert_eq!(
        count(db.conn(), "SELECT count(*) FROM outbox_source_change"),
        0
    );
    // Other codes replace them, audited, and the receipt's reported content changed.
    db.write(|tx| receipts::set_codes(tx, id, &codes[1..2]))
        .unwrap();
    assert_eq!(receipts::codes_of(db.conn(), id).unwrap(), codes[1..2]);
    assert_eq!(count(db.conn(), audited), 4 + 3 + 1);
    assert_eq!(
        count(
            db.conn(),
            &format!(
                "SELECT count(*) FROM outbox_source_change WHERE source_kind = 'receipt' AND source_id = {id}"
            )
        ),
        1
    );
    db.conn()
        .execute("DELETE FROM outbox_source_change", [])
        .unwrap();
    db.conn()
        .execute(
            "UPDATE receipt SET component_ccc = '2019011234000001' WHERE id = ?1",
            [id],
        )
        .unwrap();
    assert_eq!(
        count(db.conn(), "SELECT count(*) FROM outbox_source_change"),
        1
    );
    // The schema refuses what the app never writes.
    for bad in [
        "INSERT INTO receipt_code VALUES (1, 9, '', 'gtin', 'lot', '')",
        "INSERT INTO receipt_code VALUES (1, 9, 'x', 'barcode', 'lot', '')",
        "INSERT INTO receipt_code VALUES (1, 9, 'x', 'gtin', 'case', '')",
        "INSERT INTO receipt_code VALUES (1, 1, 'y', 'gtin', 'lot', '')",
        "UPDATE receipt SET component_ccc = ' ' WHERE id = 1",
    ] {
        assert!(db.conn().execute(bad, []).is_err(), "{bad}");
    }
    // Deleting the receipt takes its codes.
    db.conn()
        .execute("DELETE FROM receipt WHERE id = ?1", [other])
        .unwrap();
    assert!(
        receipts::by_code(db.conn(), "(01)06901234567892(10)V1")
            .unwrap()
            .is_empty()
    );
}
