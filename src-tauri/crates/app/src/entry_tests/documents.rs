//! The document numbers and dates of receipts, batches and shipments (migration 0011): what each
//! form says about them, and that they are kept.

use super::*;

fn problems_of(problems: &[FieldProblem], field: &str) -> Vec<(ProblemSeverity, String)> {
    problems
        .iter()
        .filter(|p| p.field == field)
        .map(|p| (p.severity, p.code.clone()))
        .collect()
}

#[test]
fn document_numbers_are_optional_at_most_50_characters_and_free_of_control_characters() {
    let (_dir, app) = app();
    let cases: &[(&str, &[(ProblemSeverity, &str)])] = &[
        ("", &[]),
        ("  PO-2025-0311  ", &[]),
        ("采购2025第0311号", &[]),
        (&*"号".repeat(50), &[]),
        (
            &*"X".repeat(51),
            &[(ProblemSeverity::Error, "doc-no.too-long")],
        ),
        ("PO\n0311", &[(ProblemSeverity::Error, "doc-no.control")]),
        ("PO\t0311", &[(ProblemSeverity::Error, "doc-no.control")]),
    ];
    for (value, expected) in cases {
        let expected: Vec<(ProblemSeverity, String)> =
            expected.iter().map(|(s, c)| (*s, c.to_string())).collect();
        let mut receipt = valve_receipt(10.0);
        receipt.purchase_order_no = value.to_string();
        receipt.invoice_no = value.to_string();
        receipt.delivery_note_no = value.to_string();
        let problems = app.check_receipt(&receipt, None).unwrap();
        for field in ["purchaseOrderNo", "invoiceNo", "deliveryNoteNo"] {
            assert_eq!(problems_of(&problems, field), expected, "{field} {value:?}");
        }
        let mut shipment = shipment_input("客户", "DN-1", "2025-03-10", &[]);
        shipment.order_no = value.to_string();
        shipment.invoice_no = value.to_string();
        let problems = app.check_shipment(&shipment, None).unwrap();
        for field in ["orderNo", "invoiceNo"] {
            assert_eq!(problems_of(&problems, field), expected, "{field} {value:?}");
        }
        let mut batch = batch_input(1, "B1", "2025-03-05", &[]);
        batch.work_order_no = value.to_string();
        let problems = app.check_batch(&batch, None).unwrap().problems;
        assert_eq!(problems_of(&problems, "workOrderNo"), expected, "{value:?}");
    }
    let mut receipt = valve_receipt(10.0);
    receipt.invoice_no = "X".repeat(51);
    let problems = app.check_receipt(&receipt, None).unwrap();
    let p = problems.iter().find(|p| p.field == "invoiceNo").unwrap();
    assert_eq!(
        p.message_zh,
        "发票号有 51 个字符，超过上限 50 个；请对照单据删去多余的部分"
    );
    assert!(p.message_en.contains("invoice no."), "{}", p.message_en);
}

#[test]
fn inspection_and_expiry_dates_are_checked_against_the_production_date_and_today() {
    let (_dir, app) = app();
    let tomorrow = iso(today() + time::Duration::days(1));
    let next_year = iso(today() + time::Duration::days(365));
    type Case<'a> = (&'a str, &'a str, &'a [(&'a str, ProblemSeverity, &'a str)]);
    let cases: &[Case<'_>] = &[
        ("", "", &[]),
        ("2025-03-05", &next_year, &[]),
        ("2025-03-06", &next_year, &[]),
        ("2025/03/07", "", &[]),
        (
            "2025-03-04",
            "",
            &[(
                "inspectedOn",
                ProblemSeverity::Error,
                "inspection.before-production",
            )],
        ),
        (
            &tomorrow,
            "",
            &[("inspectedOn", ProblemSeverity::Error, "date.future")],
        ),
        (
            "2025-02-30",
            "",
            &[("inspectedOn", ProblemSeverity::Error, "date.invalid")],
        ),
        (
            "",
            "2025-03-05",
            &[(
                "expiresOn",
                ProblemSeverity::Error,
                "expiry.not-after-production",
            )],
        ),
        (
            "",
            "2025-01-01",
            &[(
                "expiresOn",
                ProblemSeverity::Error,
                "expiry.not-after-production",
            )],
        ),
        (
            "",
            "2025-09-01",
            &[("expiresOn", ProblemSeverity::Warning, "expiry.passed")],
        ),
        (
            "",
            "2125-01-01",
            &[("expiresOn", ProblemSeverity::Error, "date.out-of-range")],
        ),
        (
            "",
            "明年",
            &[("expiresOn", ProblemSeverity::Error, "date.invalid")],
        ),
    ];
    for (inspected, expires, expected) in cases {
        let mut batch = batch_input(1, "B1", "2025-03-05", &[]);
        batch.inspected_on = inspected.to_string();
        batch.expires_on = expires.to_string();
        let problems = app.check_batch(&batch, None).unwrap().problems;
        let found: Vec<(String, ProblemSeverity, String)> = problems
            .iter()
            .filter(|p| p.field == "inspectedOn" || p.field == "expiresOn")
            .map(|p| (p.field.clone(), p.severity, p.code.clone()))
            .collect();
        let expected: Vec<(String, ProblemSeverity, String)> = expected
            .iter()
            .map(|(f, s, c)| (f.to_string(), *s, c.to_string()))
            .collect();
        assert_eq!(
            found, expected,
            "inspected {inspected:?}, expires {expires:?}"
        );
    }
    let mut batch = batch_input(1, "B1", "2025-03-05", &[]);
    batch.inspected_on = "2025-03-04".into();
    let problems = app.check_batch(&batch, None).unwrap().problems;
    let p = problems.iter().find(|p| p.field == "inspectedOn").unwrap();
    assert_eq!(
        p.message_zh,
        "检验日期 2025-03-04 早于生产日期 2025-03-05：出厂检验在生产之后，请核对这两个日期"
    );
    assert!(p.message_en.contains("inspection date"), "{}", p.message_en);
}

#[test]
fn the_documents_are_kept_and_shown_on_the_records() {
    let (_dir, app) = app();
    let mut receipt = valve_receipt(500.0);
    receipt.purchase_order_no = " PO-2025-0311 ".into();
    receipt.invoice_no = "04403250".into();
    receipt.delivery_note_no = "SH-0311-07".into();
    let r = app.add_receipt(&receipt).unwrap();
    assert_eq!(
        (
            r.purchase_order_no.as_str(),
            r.invoice_no.as_str(),
            r.delivery_note_no.as_str()
        ),
        ("PO-2025-0311", "04403250", "SH-0311-07")
    );
    let pid = product(&app, "家用燃气灶", "").id;
    // A lot with no amount is a valid material line.
    let mut batch = batch_input(pid, "B1", "2025-03-05", &[]);
    batch.inputs = vec![BatchInputLine {
        receipt_id: r.id,
        quantity: None,
    }];
    batch.inspected_on = "2025-03-06".into();
    batch.expires_on = "2099-03-04".into();
    batch.work_order_no = "WO-2503-05".into();
    let problems = app.check_batch(&batch, None).unwrap().problems;
    assert!(
        problems.iter().all(|p| !p.field.starts_with("inputs")),
        "{problems:?}"
    );
    let b = app.add_batch(&batch).unwrap();
    let b = app.batch(b.id).unwrap();
    assert_eq!(b.inspected_on.as_deref(), Some("2025-03-06"));
    assert_eq!(b.expires_on.as_deref(), Some("2099-03-04"));
    assert_eq!(b.work_order_no, "WO-2503-05");
    assert_eq!(b.inputs[0].quantity, None);
    let mut shipment = shipment_input("客户甲", "DN-1", "2025-03-10", &[(b.id, 10.0)]);
    shipment.order_no = "SO-2025-118".into();
    shipment.invoice_no = "04403311".into();
    let s = app.add_shipment(&shipment).unwrap();
    assert_eq!(
        (s.order_no.as_str(), s.invoice_no.as_str()),
        ("SO-2025-118", "04403311")
    );
}
