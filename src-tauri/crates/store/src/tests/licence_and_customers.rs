//! Migration 0010: licence and production site, 委托生产, customers of every kind, ship-to.

use serde_json::Value;

use super::{count, enterprise, upgraded_from};
use crate::parties::{self, PartyFields};
use crate::products::{self, ProductFields};
use crate::shipments::{self, LineFields, ShipmentFields};
use crate::{Db, batches};

#[test]
fn upgrade_from_frozen_v9_keeps_parties_as_organisations_and_audits_the_new_columns() {
    let (_dir, db) = upgraded_from(9);
    let conn = db.conn();
    assert_eq!(
        count(
            conn,
            "SELECT count(*) FROM party WHERE party_type = 'organisation'"
        ),
        3,
        "every party of v9 is an organisation"
    );
    assert_eq!(
        count(conn, "SELECT count(*) FROM shipment WHERE ship_to = ''"),
        1
    );
    conn.execute("UPDATE party SET id_masked = '110***********002X', party_type = 'individual', phone = '', uscc = NULL WHERE id = 2", [])
        .unwrap();
    let new: String = conn
        .query_row(
            "SELECT new_values FROM audit_log WHERE table_name = 'party' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let new: Value = serde_json::from_str(&new).unwrap();
    assert_eq!(new["party_type"], "individual");
    assert_eq!(new["id_masked"], "110***********002X");
    // A reported column of the product marks it changed for the outbox.
    conn.execute(
        "UPDATE product SET licence_no = 'XK16-204-00123' WHERE id = 1",
        [],
    )
    .unwrap();
    assert_eq!(
        count(
            conn,
            "SELECT count(*) FROM outbox_source_change WHERE source_kind = 'product' AND source_id = 1"
        ),
        1
    );
}

#[test]
fn the_new_fields_round_trip_through_the_store() {
    let mut db = Db::open_in_memory().unwrap();
    let mut ent = enterprise("浙江示例燃气具有限公司");
    db.save_enterprise(&ent).unwrap();
    assert_eq!(db.enterprise().unwrap().as_ref(), Some(&ent));
    ent.licence_no = "XK16-204-00124".into();
    ent.production_address = "另一个工厂".into();
    db.save_enterprise(&ent).unwrap();
    assert_eq!(db.enterprise().unwrap().as_ref(), Some(&ent));

    let conn = db.conn();
    let product = ProductFields {
        name: "家用燃气灶".into(),
        scheme: "gs1".into(),
        granularity: "batch".into(),
        licence_no: "(粤)XK16-204-00001".into(),
        production_address: "广东省佛山市顺德区".into(),
        oem_role: "manufacturer".into(),
        oem_name: "示例品牌有限公司".into(),
        oem_uscc: "91330100MA2XXXXXXQ".into(),
        ..Default::default()
    };
    let pid = products::insert(conn, &product).unwrap();
    assert_eq!(products::get(conn, pid).unwrap().unwrap().fields, product);

    let person = PartyFields {
        kind: "customer".into(),
        name: "张三".into(),
        phone: "138****5678".into(),
        party_type: "individual".into(),
        id_masked: "110***********002X".into(),
        consent_at: Some("2025-03-11T02:00:00Z".into()),
        ..Default::default()
    };
    let person_id = parties::insert(conn, &person).unwrap();
    assert_eq!(
        parties::get(conn, person_id).unwrap().unwrap().fields,
        person
    );
    let foreign = PartyFields {
        kind: "customer".into(),
        name: "Example Trading GmbH".into(),
        party_type: "foreign".into(),
        country: "DE".into(),
        foreign_reg_no: "HRB 123456".into(),
        ..Default::default()
    };
    let foreign_id = parties::insert(conn, &foreign).unwrap();
    assert_eq!(
        parties::get(conn, foreign_id).unwrap().unwrap().fields,
        foreign
    );
    // An empty type is an organisation.
    let org = PartyFields {
        kind: "supplier".into(),
        name: "宁波示例阀门有限公司".into(),
        ..Default::default()
    };
    let org_id = parties::insert(conn, &org).unwrap();
    assert_eq!(
        parties::get(conn, org_id)
            .unwrap()
            .unwrap()
            .fields
            .party_type,
        "organisation"
    );

    let batch = batches::insert(
        conn,
        &batches::BatchFields {
            product_id: pid,
            lot_no: "L1".into(),
            produced_on: "2025-03-05".into(),
            quantity: 10.0,
            unit: "台".into(),
            inspection_result: "pass".into(),
            ..Default::default()
        },
        &[],
    )
    .unwrap();
    let ship = ShipmentFields {
        customer_id: person_id,
        shipped_on: "2025-03-12".into(),
        delivery_note_no: "DN-1".into(),
        ship_to: "浙江省杭州市西湖区文三路 1 号".into(),
        ..Default::default()
    };
    let line = LineFields {
        batch_id: batch,
        item_id: None,
        quantity: 1.0,
    };
    let sid = shipments::insert(conn, &ship, &[line]).unwrap();
    assert_eq!(shipments::get(conn, sid).unwrap().unwrap().fields, ship);
}

#[test]
fn the_schema_keeps_full_personal_numbers_out() {
    let db = Db::open_in_memory().unwrap();
    let conn = db.conn();
    let person = |phone: &str, id: &str| PartyFields {
        kind: "customer".into(),
        name: format!("客户{phone}{id}"),
        phone: phone.into(),
        party_type: "individual".into(),
        id_masked: id.into(),
        ..Default::default()
    };
    // (phone, id, accepted)
    let cases = [
        ("138****5678", "110***********002X", true),
        ("", "", true),
        ("13812345678", "", false),
        ("", "11010519491231002X", false),
        ("", "110**********1002X", false),
    ];
    for (phone, id, accepted) in cases {
        let got = parties::insert(conn, &person(phone, id));
        assert_eq!(got.is_ok(), accepted, "{phone} {id}: {got:?}");
    }
    // An organisation's phone is its office number, as before.
    let org = PartyFields {
        kind: "customer".into(),
        name: "上海示例".into(),
        phone: "021-55550000".into(),
        ..Default::default()
    };
    parties::insert(conn, &org).unwrap();
}
