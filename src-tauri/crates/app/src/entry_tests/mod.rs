//! Master data, daily entry, trace and recall, through `App` on a real SQLite file in a temp dir.

mod documents;
mod exports;
mod identity;
mod master;
mod rules;
mod supplier_codes;
mod trace;

use std::path::Path;

use crate::dev::sample_product;
use crate::entries::{iso, today};
use crate::testkit::{
    assert_contains, catalogued_product as product, coded_product, set_coding, set_up_app as app,
    xlsx_cells,
};
use crate::*;

fn receipt_input(
    supplier: &str,
    material: &str,
    lot: &str,
    quantity: f64,
    on: &str,
) -> ReceiptInput {
    ReceiptInput {
        supplier_name: supplier.into(),
        material: material.into(),
        spec: "DN15".into(),
        supplier_lot: lot.into(),
        quantity: Some(quantity),
        unit: "个".into(),
        received_on: on.into(),
        inspection_result: InspectionResult::Pass,
        report_no: format!("IQC-{lot}"),
        note: String::new(),
        purchase_order_no: String::new(),
        invoice_no: String::new(),
        delivery_note_no: String::new(),
        supplier_codes: Vec::new(),
        component_ccc: String::new(),
    }
}

/// A receipt of `quantity` valves, lot V1, from 宁波示例阀门有限公司 on 2025-03-02.
fn valve_receipt(quantity: f64) -> ReceiptInput {
    receipt_input(
        "宁波示例阀门有限公司",
        "燃气阀",
        "V1",
        quantity,
        "2025-03-02",
    )
}

fn batch_input(product_id: i64, lot: &str, on: &str, inputs: &[(i64, f64)]) -> BatchInput {
    BatchInput {
        product_id: Some(product_id),
        lot_no: lot.into(),
        produced_on: on.into(),
        quantity: Some(100.0),
        unit: "台".into(),
        inspection_result: InspectionResult::Pass,
        inspector: "赵强".into(),
        report_no: format!("FQC-{lot}"),
        inputs: inputs
            .iter()
            .map(|(r, q)| BatchInputLine {
                receipt_id: *r,
                quantity: Some(*q),
            })
            .collect(),
        inspected_on: String::new(),
        expires_on: String::new(),
        work_order_no: String::new(),
    }
}

fn shipment_input(customer: &str, note: &str, on: &str, lines: &[(i64, f64)]) -> ShipmentInput {
    ShipmentInput {
        customer_name: customer.into(),
        shipped_on: on.into(),
        delivery_note_no: note.into(),
        note: String::new(),
        ship_to: String::new(),
        lines: lines
            .iter()
            .map(|(b, q)| ShipmentLineInput {
                batch_id: Some(*b),
                item_id: None,
                quantity: Some(*q),
            })
            .collect(),
        order_no: String::new(),
        invoice_no: String::new(),
    }
}

fn codes_of(problems: &[FieldProblem]) -> Vec<(String, String)> {
    problems
        .iter()
        .map(|p| (p.field.clone(), p.code.clone()))
        .collect()
}

/// Three lots from two suppliers, one batch using all three, two shipments to two customers.
struct World {
    lots: [Receipt; 3],
    batch: Batch,
}

fn world(app: &App) -> World {
    let gas = product(app, "家用燃气灶", "6901234000016");
    let a = app
        .add_receipt(&receipt_input(
            "宁波示例阀门有限公司",
            "燃气阀",
            "V2503-01",
            500.0,
            "2025-03-02",
        ))
        .unwrap();
    let b = app
        .add_receipt(&receipt_input(
            "宁波示例阀门有限公司",
            "燃气阀",
            "V2503-02",
            300.0,
            "2025-03-03",
        ))
        .unwrap();
    let c = app
        .add_receipt(&receipt_input(
            "杭州示例五金有限公司",
            "不锈钢面板",
            "P-77",
            120.0,
            "2025-03-03",
        ))
        .unwrap();
    let batch = app
        .add_batch(&batch_input(
            gas.id,
            "B20250305-1",
            "2025-03-05",
            &[(a.id, 60.0), (b.id, 40.0), (c.id, 100.0)],
        ))
        .unwrap();
    app.add_shipment(&shipment_input(
        "上海示例厨电销售有限公司",
        "DN-20250310-001",
        "2025-03-10",
        &[(batch.id, 30.0)],
    ))
    .unwrap();
    app.add_shipment(&shipment_input(
        "苏州示例商贸有限公司",
        "DN-20250311-001",
        "2025-03-11",
        &[(batch.id, 50.0)],
    ))
    .unwrap();
    World {
        lots: [a, b, c],
        batch,
    }
}
