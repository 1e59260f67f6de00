//! 供方追溯码 and the key component's CCC certificate at receipt: checked as the clerk types,
//! stored with the detected kind, traced and recalled from.

use super::*;

fn with_codes(lot: &str, codes: &[&str], ccc: &str) -> ReceiptInput {
    ReceiptInput {
        supplier_codes: codes.iter().map(|c| c.to_string()).collect(),
        component_ccc: ccc.into(),
        ..receipt_input("宁波示例阀门有限公司", "燃气阀", lot, 500.0, "2025-03-02")
    }
}

/// Problems under the two new fields, as `field code severity`.
fn new_field_problems(problems: &[FieldProblem]) -> Vec<String> {
    problems
        .iter()
        .filter(|p| p.field == "supplierCodes" || p.field == "componentCcc")
        .map(|p| format!("{} {} {:?}", p.field, p.code, p.severity))
        .collect()
}

#[test]
fn each_supplier_code_is_checked_and_a_malformed_gs1_code_is_refused_at_its_position() {
    let (_dir, app) = app();
    // (codes, component CCC, expected problems under the two fields)
    let table: &[(&[&str], &str, &[&str])] = &[
        (&["(01)06901234567892(10)V1"], "", &[]),
        (
            &["(01)06901234567893(10)V1"],
            "",
            &["supplierCodes gs1.check-digit Error"],
        ),
        (
            &["https://example.com/01/6901234567892"],
            "",
            &[
                "supplierCodes gs1.dl.short-gtin Error",
                "supplierCodes supplier-code.fix Warning",
            ],
        ),
        // A valid GTIN that starts like an Ecode: stored as an Ecode, the doubt said.
        (
            &["1006412345677"],
            "",
            &["supplierCodes code.ambiguous Warning"],
        ),
        (&["https://www.iotroot.com/E=10064123456789012345"], "", &[]),
        // Not recognised: kept verbatim, with a note; an opaque 数字身份码 is assumed with a warning.
        (&["ab"], "", &["supplierCodes input.unrecognised Warning"]),
        (
            &["HGZ-2025-0001"],
            "",
            &["supplierCodes digital-id.assumed Warning"],
        ),
        // An Ecode with a space: the supplier's code, kept, with the problem as a warning.
        (
            &["https://www.iotroot.com/E=10064%20123"],
            "",
            &["supplierCodes ecode.char Warning"],
        ),
        (&[], "2016010901123456", &[]),
        (
            &[],
            "2016019999123456",
            &["componentCcc ccc.unknown-category Warning"],
        ),
        (
            &[],
            "2016-0109",
            &[
                "componentCcc ccc.char Error",
                "componentCcc ccc.length Error",
            ],
        ),
    ];
    for (codes, ccc, expect) in table {
        let input = with_codes("V1", codes, ccc);
        let problems = app.check_receipt(&input, None).unwrap();
        assert_eq!(
            new_field_problems(&problems),
            *expect,
            "{codes:?} {ccc:?}: {problems:?}"
        );
    }
    let problems = app
        .check_receipt(&with_codes("V1", &["(01)06901234567893(10)V1"], ""), None)
        .unwrap();
    let message = &problems
        .iter()
        .find(|p| p.field == "supplierCodes")
        .unwrap();
    assert_contains(
        &message.message_zh,
        "第 1 个供方追溯码 (01)06901234567893(10)V1：(01) 第 18 位",
    );
    assert_contains(&message.message_en, "at position 18");
    let refused = app
        .add_receipt(&with_codes("V1", &["(01)06901234567893(10)V1"], ""))
        .unwrap_err();
    assert_eq!(refused.field.as_deref(), Some("supplierCodes"));
}

#[test]
fn supplier_codes_are_stored_in_order_with_their_kind_level_and_note_and_replaced_on_edit() {
    let (_dir, app) = app();
    let codes = [
        "(01)06901234567892(10)V1",
        "(01)06901234567892(21)S1",
        "1006412345677",
        "https://www.iotroot.com/E=10064123456789012345",
        "ab",
        "(01)06901234567892(10)V1",
    ];
    let saved = app
        .add_receipt(&with_codes("V1", &codes, "2016010901123456"))
        .unwrap();
    let stored: Vec<String> = saved
        .supplier_codes
        .iter()
        .map(|c| format!("{} {} {:?} {}", c.code, c.kind, c.level, !c.note.is_empty()))
        .collect();
    assert_eq!(
        stored,
        [
            "(01)06901234567892(10)V1 gs1-element-string Lot false",
            "(01)06901234567892(21)S1 gs1-element-string Item false",
            "1006412345677 ecode Item false",
            "https://www.iotroot.com/E=10064123456789012345 ecode Item false",
            "ab unknown Item true",
        ],
        "in order, the repeated code once"
    );
    assert_eq!(saved.component_ccc.as_deref(), Some("2016010901123456"));
    let reread = app.receipt(saved.id).unwrap();
    assert_eq!(reread.supplier_codes, {
        let mut s = saved.supplier_codes.clone();
        s.iter_mut().for_each(|c| c.alternative = None);
        s
    });
    let edited = app
        .update_receipt(saved.id, &with_codes("V1", &["ab"], ""))
        .unwrap();
    assert_eq!(edited.supplier_codes.len(), 1);
    assert_eq!(edited.component_ccc, None);
}

#[test]
fn a_supplier_code_traces_to_its_lot_and_down_to_batches_and_customers_and_starts_a_recall() {
    let (_dir, app) = app();
    let w = world(&app);
    let code = "https://www.iotroot.com/E=10064123456789012345";
    app.update_receipt(
        w.lots[0].id,
        &ReceiptInput {
            supplier_codes: vec![code.into(), "(01)06901234567892(10)V2503-01".into()],
            ..receipt_input(
                "宁波示例阀门有限公司",
                "燃气阀",
                "V2503-01",
                500.0,
                "2025-03-02",
            )
        },
    )
    .unwrap();
    let t = app.trace(code).unwrap();
    assert_eq!(t.root.kind, TraceKind::MaterialLot);
    assert_eq!(t.root.label, "V2503-01");
    assert_eq!(t.root.codes.len(), 2, "{:?}", t.root.codes);
    let down: Vec<String> = t.downstream.iter().map(|n| n.label.clone()).collect();
    for expected in [
        "B20250305-1",
        "DN-20250310-001",
        "上海示例厨电销售有限公司",
        "苏州示例商贸有限公司",
    ] {
        assert!(down.iter().any(|d| d == expected), "{expected}: {down:?}");
    }
    // The trace of our batch shows each input lot's supplier codes.
    let batch = app
        .trace_ref(TraceRef {
            kind: TraceKind::Batch,
            id: w.batch.id,
        })
        .unwrap();
    let lot = batch
        .upstream
        .iter()
        .find(|n| n.kind == TraceKind::MaterialLot && n.label == "V2503-01")
        .unwrap();
    assert_eq!(lot.codes[0], code);
    let other = batch
        .upstream
        .iter()
        .find(|n| n.kind == TraceKind::MaterialLot && n.label == "P-77")
        .unwrap();
    assert!(other.codes.is_empty());
    // Recall from the supplier's code.
    let start = app.recall_start(code).unwrap();
    assert_eq!(start.kind, TraceKind::MaterialLot);
    assert_eq!(start.id, w.lots[0].id);
    let recall = app
        .recall(&RecallRequest {
            start,
            reason: "供方通报阀门缺陷".into(),
        })
        .unwrap();
    assert_eq!(recall.batches.len(), 1, "{recall:?}");
    assert_eq!(recall.customers.len(), 2, "{recall:?}");
}
