//! The entry rules: problems named by field, new suppliers, balances, lot numbers, warnings
//! on shipping, audited edits, and submitted records kept as they were.

use super::*;

#[test]
fn receipt_problems_name_their_fields_in_chinese_and_block_saving() {
    let (_dir, app) = app();
    let tomorrow = iso(today() + time::Duration::days(1));
    let mut input = receipt_input("", "", "L1", 0.0, &tomorrow);
    input.report_no.clear();
    let problems = app.check_receipt(&input, None).unwrap();
    let lines: Vec<String> = problems
        .iter()
        .map(|p| format!("{} {:?} {}: {}", p.field, p.severity, p.code, p.message_zh))
        .collect();
    assert_eq!(
        lines,
        [
            "supplierName Error required: 请填写供应商".to_string(),
            "material Error required: 请填写原料名称".to_string(),
            "quantity Error quantity.not-positive: 数量必须大于 0".to_string(),
            format!("receivedOn Error date.future: 到货日期不能晚于今天（{}）", iso(today())),
            "reportNo Warning report.missing: 查验合格，建议填写检验报告或合格证编号，以便追溯时出示".to_string(),
        ]
    );
    let err = app.add_receipt(&input).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert_eq!(
        err.field.as_deref(),
        Some("supplierName"),
        "the first error names its field"
    );
    assert_eq!(app.list_receipts(&ListQuery::default()).unwrap().total, 0);
}

#[test]
fn a_new_supplier_is_a_warning_and_is_added_on_saving() {
    let (_dir, app) = app();
    let input = valve_receipt(10.0);
    let problems = app.check_receipt(&input, None).unwrap();
    assert_eq!(
        codes_of(&problems),
        [("supplierName".into(), "party.new".into())]
    );
    let saved = app.add_receipt(&input).unwrap();
    let supplier = app.party(saved.supplier_id).unwrap();
    assert_eq!(
        (supplier.name.as_str(), supplier.kind),
        ("宁波示例阀门有限公司", PartyKind::Supplier)
    );
    assert!(
        app.check_receipt(
            &receipt_input("宁波示例阀门有限公司", "燃气阀", "V2", 1.0, "2025-03-02"),
            None
        )
        .unwrap()
        .is_empty(),
        "a known supplier raises nothing"
    );
    // The same company as a customer becomes both.
    app.add_receipt(&receipt_input(
        "宁波示例阀门有限公司",
        "燃气阀",
        "V3",
        1.0,
        "2025-03-02",
    ))
    .unwrap();
    let err = app
        .add_receipt(&receipt_input(
            "宁波示例阀门有限公司",
            "燃气阀",
            "V3",
            1.0,
            "2025-03-02",
        ))
        .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("supplierLot"));
    assert_contains(&err.message_zh, "已登记");
}

#[test]
fn consuming_more_than_received_is_a_warning_that_shows_the_balance() {
    let (_dir, app) = app();
    let gas = product(&app, "家用燃气灶", "");
    let lot = app
        .add_receipt(&receipt_input(
            "宁波示例阀门有限公司",
            "燃气阀",
            "V2503-01",
            100.0,
            "2025-03-02",
        ))
        .unwrap();
    app.add_batch(&batch_input(gas.id, "B1", "2025-03-05", &[(lot.id, 70.0)]))
        .unwrap();
    let second = batch_input(gas.id, "B2", "2025-03-06", &[(lot.id, 50.0)]);
    let check = app.check_batch(&second, None).unwrap();
    let over: Vec<&FieldProblem> = check
        .problems
        .iter()
        .filter(|p| p.code == "lot.over-consumed")
        .collect();
    assert_eq!(over.len(), 1, "{:?}", check.problems);
    assert_eq!(over[0].field, "inputs.0.quantity");
    assert_eq!(
        over[0].severity,
        ProblemSeverity::Warning,
        "over-consumption warns, never blocks"
    );
    assert_eq!(
        over[0].message_zh,
        "超出原料批次 V2503-01 的剩余数量：到货 100 个，已用 70 个，剩余 30 个，本次 50 个"
    );
    assert_eq!(check.lots[0].remaining, 30.0);
    let saved = app.add_batch(&second).unwrap();
    assert_eq!(
        saved.inputs[0].lot.remaining, -20.0,
        "the lot now shows its deficit"
    );
    assert_eq!(app.receipt(lot.id).unwrap().consumed, 120.0);
    // Editing the second batch does not count its own consumption against itself.
    let check = app.check_batch(&second, Some(saved.id)).unwrap();
    assert_eq!(check.lots[0].consumed, 70.0);
}

#[test]
fn batch_lot_numbers_follow_the_pattern_and_are_unique_per_product() {
    let (_dir, app) = app();
    let gas = product(&app, "家用燃气灶", "");
    assert_eq!(app.suggest_lot("2025-03-05").unwrap(), "B20250305-1");
    app.add_batch(&batch_input(gas.id, "B20250305-1", "2025-03-05", &[]))
        .unwrap();
    assert_eq!(app.suggest_lot("2025-03-05").unwrap(), "B20250305-2");
    let err = app
        .add_batch(&batch_input(gas.id, "B20250305-1", "2025-03-05", &[]))
        .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("lotNo"));
    // A lot this GS1 batch product's codes carry goes into (10): CSET 82, at most 20.
    let err = app
        .add_batch(&batch_input(gas.id, "批次/01", "2025-03-05", &[]))
        .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("lotNo"));
    app.set_lot_pattern("L{yyMMdd}{seq:03}").unwrap();
    assert_eq!(app.suggest_lot("2025-03-05").unwrap(), "L250305002");
}

#[test]
fn a_lot_the_codes_carry_must_fit_gs1_10_and_other_lots_are_warned_about() {
    let (_dir, app) = app();
    let with = |name: &str, scheme: CodeScheme, granularity: Granularity| {
        coded_product(&app, name, "", scheme, granularity)
    };
    let batch_coded = with("一批一码产品", CodeScheme::Gs1, Granularity::Batch);
    let item_with_lot = with("一物一码带批号", CodeScheme::Gs1, Granularity::Item);
    let item_without_lot = with("一物一码不带批号", CodeScheme::Gs1, Granularity::Item);
    let product_coded = with("一品一码产品", CodeScheme::Gs1, Granularity::Product);
    let ecode = with("Ecode 产品", CodeScheme::Ecode, Granularity::Batch);
    set_coding(&app, item_without_lot, |c| c.item_with_lot = false).unwrap();
    let lot_problems = |product: i64, lot: &str| -> Vec<String> {
        app.check_batch(&batch_input(product, lot, "2025-03-05", &[]), None)
            .unwrap()
            .problems
            .into_iter()
            .filter(|p| p.field == "lotNo")
            .map(|p| {
                let s = if p.severity == ProblemSeverity::Error {
                    "E"
                } else {
                    "W"
                };
                format!("{s} {}", p.code)
            })
            .collect()
    };
    let too_long = "B20250305-0000000001";
    let too_long = format!("{too_long}X");
    // (lot, problems for: batch code, item code with lot, item code without, product code, Ecode)
    let cases: [(&str, [&str; 5]); 4] = [
        ("B2025/03(A)", ["", "", "", "", ""]),
        (
            "批次01",
            [
                "E gs1.cset82",
                "E gs1.cset82",
                "W gs1.cset82",
                "W gs1.cset82",
                "W gs1.cset82",
            ],
        ),
        (
            "B2025 03#1",
            [
                "E gs1.cset82",
                "E gs1.cset82",
                "W gs1.cset82",
                "W gs1.cset82",
                "W gs1.cset82",
            ],
        ),
        (
            &too_long,
            [
                "E gs1.too-long",
                "E gs1.too-long",
                "W gs1.too-long",
                "W gs1.too-long",
                "W gs1.too-long",
            ],
        ),
    ];
    let products = [
        batch_coded,
        item_with_lot,
        item_without_lot,
        product_coded,
        ecode,
    ];
    for (lot, expected) in cases {
        for (product, expect) in products.iter().zip(expected) {
            let got = lot_problems(*product, lot);
            let want: Vec<String> = if expect.is_empty() {
                Vec::new()
            } else {
                vec![expect.to_string()]
            };
            assert_eq!(got, want, "lot {lot:?}, product #{product}");
        }
    }
    // The error names the character and its place, in both languages, and blocks the save.
    let err = app
        .add_batch(&batch_input(batch_coded, "B2025 03#1", "2025-03-05", &[]))
        .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("lotNo"));
    assert!(
        err.message_zh.contains("第 6 位") && err.message_zh.contains("字符“ ”"),
        "{}",
        err.message_zh
    );
    assert_contains(&err.message_en, "at position 6");
    // A warning does not: the lot is saved for a product whose codes do not carry it.
    let saved = app
        .add_batch(&batch_input(item_without_lot, "批次01", "2025-03-05", &[]))
        .unwrap();
    assert_eq!(saved.lot_no, "批次01");
}

#[test]
fn shipping_beyond_the_batch_warns_and_a_failed_batch_warns() {
    let (_dir, app) = app();
    let gas = product(&app, "家用燃气灶", "");
    let mut input = batch_input(gas.id, "B1", "2025-03-05", &[]);
    input.inspection_result = InspectionResult::Fail;
    let batch = app.add_batch(&input).unwrap();
    let problems = app
        .check_shipment(
            &shipment_input("客户甲", "DN-1", "2025-03-10", &[(batch.id, 150.0)]),
            None,
        )
        .unwrap();
    assert_eq!(
        codes_of(&problems),
        [
            ("customerName".into(), "party.new".into()),
            ("lines.0.batchId".into(), "batch.failed".into()),
            ("lines.0.quantity".into(), "batch.over-shipped".into()),
        ]
    );
    let empty = app
        .check_shipment(&shipment_input("客户甲", "", "2025-03-10", &[]), None)
        .unwrap();
    assert_eq!(
        codes_of(&empty)[1..],
        [
            ("deliveryNoteNo".into(), "required".into()),
            ("lines".into(), "lines.missing".into())
        ]
    );
    assert_eq!(
        app.suggest_delivery_note("2025-03-10").unwrap(),
        "D20250310-001"
    );
}

#[test]
fn edits_are_audited_with_old_and_new_values_and_the_actor() {
    let (_dir, app) = app();
    let saved = app.add_receipt(&valve_receipt(100.0)).unwrap();
    let mut changed = valve_receipt(120.0);
    changed.inspection_result = InspectionResult::Fail;
    app.update_receipt(saved.id, &changed).unwrap();
    let history = app.record_history(RecordKind::Receipt, saved.id).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(
        (history[1].action.as_str(), history[1].actor.as_str()),
        ("update", "wang.li")
    );
    let changes: Vec<(String, Option<String>, Option<String>)> = history[1]
        .changes
        .iter()
        .map(|c| (c.field.clone(), c.old.clone(), c.new.clone()))
        .collect();
    assert_eq!(
        changes,
        [
            (
                "inspection_result".into(),
                Some("pass".into()),
                Some("fail".into())
            ),
            ("quantity".into(), Some("100".into()), Some("120".into())),
        ]
    );
}

#[test]
fn a_submitted_record_cannot_be_edited_in_place() {
    let (_dir, app) = app();
    let saved = app.add_receipt(&valve_receipt(100.0)).unwrap();
    // What the submission feature does when the platform accepts the record.
    app.db()
        .conn()
        .execute(
            "UPDATE receipt SET submitted_at = '2025-03-03T08:00:00Z' WHERE id = ?1",
            [saved.id],
        )
        .unwrap();
    assert_eq!(
        app.receipt(saved.id).unwrap().submitted_at.as_deref(),
        Some("2025-03-03T08:00:00Z")
    );
    let err = app
        .update_receipt(saved.id, &valve_receipt(99.0))
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState);
    assert!(
        err.message_zh
            .starts_with("已报送的记录不能直接修改，请作为更正重新报送"),
        "{}",
        err.message_zh
    );
    assert_eq!(
        app.receipt(saved.id).unwrap().quantity,
        100.0,
        "nothing changed"
    );
    assert!(app.ensure_editable(RecordKind::Receipt, saved.id).is_err());
}
