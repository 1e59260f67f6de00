//! The paperwork columns of receipts and batches (采购订单号, 发票号, 送货单号; 检验日期, 有效期至,
//! 生产工单号): read from a real .xlsx, checked like the forms (documents.rs) and placed at their
//! column when wrong.

use super::*;

fn located(e: &Env, report: &ImportReport) -> Vec<String> {
    e.problems(report)
        .into_iter()
        .filter(|p| p.severity == ProblemSeverity::Error || p.code.starts_with("expiry"))
        .map(|p| {
            format!(
                "row {} {} {}",
                p.row.unwrap_or(0),
                p.code,
                p.header.unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn receipt_paperwork_is_imported_and_a_long_number_is_refused_at_its_column() {
    let e = env();
    e.supplier(SUPPLIER_KNOWN, None);
    let long = "PO-".to_string() + &"9".repeat(50);
    let long: &'static str = Box::leak(long.into_boxed_str());
    let header = [
        V::S("进货日期"),
        V::S("供应商"),
        V::S("原料名称"),
        V::S("供应商批号"),
        V::S("数量"),
        V::S("单位"),
        V::S("检验结果"),
        V::S("采购订单号"),
        V::S("发票号"),
        V::S("送货单号"),
    ];
    let row = |lot: &'static str, po: &'static str| {
        [
            V::D(2025, 3, 2),
            V::S(SUPPLIER_KNOWN),
            V::S("燃气阀"),
            V::S(lot),
            V::N(500.0),
            V::S("个"),
            V::S("合格"),
            V::S(po),
            V::N(4403250.0),
            V::S("SH-0311-07"),
        ]
    };
    let report = e.read_new(
        "进货台账.xlsx",
        &table(
            "进货",
            &[&header, &row("V1", "PO-2025-0311"), &row("V2", long)],
        ),
        ImportKind::Receipt,
        false,
    );
    assert_eq!(located(&e, &report), ["row 3 doc-no.too-long 采购订单号"]);
    e.commit(&report, ImportMode::ValidOnly);
    let db = e.app.db();
    let stored: (String, String, String) = db
        .conn()
        .query_row(
            "SELECT purchase_order_no, invoice_no, delivery_note_no FROM receipt WHERE supplier_lot = 'V1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        stored,
        ("PO-2025-0311".into(), "4403250".into(), "SH-0311-07".into()),
        "a numeric invoice cell keeps its digits"
    );
}

#[test]
fn batch_dates_and_work_order_are_imported_and_checked_against_the_production_date() {
    let e = env();
    e.coded_product("燃气灶", "09520123456801", "gs1", "batch", true);
    let header = [
        V::S("产品名称"),
        V::S("生产批号"),
        V::S("生产日期"),
        V::S("数量"),
        V::S("单位"),
        V::S("出厂检验结果"),
        V::S("检验日期"),
        V::S("有效期至"),
        V::S("生产工单号"),
    ];
    let row = |lot: &'static str, inspected: V, expires: V| {
        [
            V::S("燃气灶"),
            V::S(lot),
            V::D(2025, 3, 10),
            V::N(10.0),
            V::S("台"),
            V::S("合格"),
            inspected,
            expires,
            V::S("WO-2503-05"),
        ]
    };
    let good = row("B1", V::D(2025, 3, 11), V::D(2035, 3, 10));
    let early = row("B2", V::D(2025, 3, 9), V::Blank);
    let expired_first = row("B3", V::Blank, V::D(2025, 3, 10));
    let report = e.read_new(
        "生产台账.xlsx",
        &table("生产", &[&header, &good, &early, &expired_first]),
        ImportKind::Batch,
        false,
    );
    assert_eq!(
        located(&e, &report),
        [
            "row 3 inspection.before-production 检验日期",
            "row 4 expiry.not-after-production 有效期至",
        ]
    );
    e.commit(&report, ImportMode::ValidOnly);
    let db = e.app.db();
    let stored: (String, String, String) = db
        .conn()
        .query_row(
            "SELECT inspected_on, expires_on, work_order_no FROM batch WHERE lot_no = 'B1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        stored,
        (
            "2025-03-11".into(),
            "2035-03-10".into(),
            "WO-2503-05".into()
        )
    );
    drop(db);
    assert_eq!(e.count("SELECT count(*) FROM batch"), 1);
}
