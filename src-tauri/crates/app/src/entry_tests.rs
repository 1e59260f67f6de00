//! Master data, daily entry, trace and recall, through `App` on a real SQLite file in a temp dir.

use std::path::Path;

use crate::entries::{iso, today};
use crate::*;

fn app() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = Config::in_dir(dir.path());
    config.actor = "wang.li".into();
    let app = App::open(config).expect("open app");
    app.complete_setup(&SetupInput {
        enterprise: EnterpriseInput {
            name: "浙江示例燃气具有限公司".into(),
            uscc: "91110000600037341L".into(),
            address: "浙江省宁波市".into(),
            contact: "王丽".into(),
            phone: "0574-88888888".into(),
        },
        coding: CodingSettings {
            scheme: CodeScheme::Gs1,
            ccc: true,
            granularity: Granularity::Batch,
            gs1_company_prefix: "6901234".into(),
            ecode_prefix: String::new(),
        },
        platform: PlatformSettings {
            mode: PlatformMode::Practice,
            url: String::new(),
            app_key: String::new(),
        },
    })
    .expect("setup");
    (dir, app)
}

fn product(app: &App, name: &str, gtin: &str) -> Product {
    app.add_product(&ProductInput {
        name: name.into(),
        model: "JZT-2Q1".into(),
        category: "KP-GAS-03".into(),
        brand: "示例".into(),
        standard: "GB 16410-2020".into(),
        gtin: gtin.into(),
        scheme: None,
        granularity: None,
        ccc_cert_no: String::new(),
        ccc_valid_from: String::new(),
        ccc_valid_to: String::new(),
        ccc_mark_no: String::new(),
        ccc_models: Vec::new(),
    })
    .expect("product saved")
}

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
    }
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
    }
}

fn shipment_input(customer: &str, note: &str, on: &str, lines: &[(i64, f64)]) -> ShipmentInput {
    ShipmentInput {
        customer_name: customer.into(),
        shipped_on: on.into(),
        delivery_note_no: note.into(),
        note: String::new(),
        lines: lines
            .iter()
            .map(|(b, q)| ShipmentLineInput {
                batch_id: Some(*b),
                item_id: None,
                quantity: Some(*q),
            })
            .collect(),
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

// ---------------------------------------------------------------------------------------------
// Entry rules

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
    let input = receipt_input("宁波示例阀门有限公司", "燃气阀", "V1", 10.0, "2025-03-02");
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
    assert!(err.message_zh.contains("已登记"), "{}", err.message_zh);
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
        let mut input = product_input_named(name, "");
        input.scheme = Some(scheme);
        input.granularity = Some(granularity);
        app.add_product(&input).expect("product").id
    };
    let batch_coded = with("一批一码产品", CodeScheme::Gs1, Granularity::Batch);
    let item_with_lot = with("一物一码带批号", CodeScheme::Gs1, Granularity::Item);
    let item_without_lot = with("一物一码不带批号", CodeScheme::Gs1, Granularity::Item);
    let product_coded = with("一品一码产品", CodeScheme::Gs1, Granularity::Product);
    let ecode = with("Ecode 产品", CodeScheme::Ecode, Granularity::Batch);
    let mut coding = app.product_coding(item_without_lot).unwrap();
    coding.item_with_lot = false;
    app.save_product_coding(
        item_without_lot,
        &ProductCodingInput {
            granularity: None,
            code_form: coding.code_form,
            dl_stem: coding.dl_stem.clone(),
            serial_mode: coding.serial_mode,
            serial_pattern: coding.serial_pattern.clone(),
            random_length: coding.random_length,
            item_with_lot: false,
            with_production_date: coding.with_production_date,
            shelf_life_days: coding.shelf_life_days,
        },
    )
    .unwrap();
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
    assert!(
        err.message_en.contains("at position 6"),
        "{}",
        err.message_en
    );
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
    let saved = app
        .add_receipt(&receipt_input(
            "宁波示例阀门有限公司",
            "燃气阀",
            "V1",
            100.0,
            "2025-03-02",
        ))
        .unwrap();
    let mut changed = receipt_input("宁波示例阀门有限公司", "燃气阀", "V1", 120.0, "2025-03-02");
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
    let saved = app
        .add_receipt(&receipt_input(
            "宁波示例阀门有限公司",
            "燃气阀",
            "V1",
            100.0,
            "2025-03-02",
        ))
        .unwrap();
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
        .update_receipt(
            saved.id,
            &receipt_input("宁波示例阀门有限公司", "燃气阀", "V1", 99.0, "2025-03-02"),
        )
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

// ---------------------------------------------------------------------------------------------
// Master data

#[test]
fn a_wrong_gtin_check_digit_says_what_it_should_be() {
    let check = products::check_gtin("6901234567893");
    assert!(!check.valid);
    assert_eq!(check.expected_check_digit, Some(2));
    assert_eq!(check.corrected.as_deref(), Some("6901234567892"));
    assert!(
        check.message_zh.contains("校验位应为 2"),
        "{}",
        check.message_zh
    );
    let ok = products::check_gtin("６９０１２３４５６７８９２");
    assert!(
        ok.valid,
        "full-width digits are read as typed by a Chinese IME"
    );
    assert_eq!(ok.gtin14.as_deref(), Some("06901234567892"));
}

#[test]
fn generated_gtins_take_the_next_item_reference_under_the_company_prefix() {
    let (_dir, app) = app();
    let first = app.suggest_gtin().unwrap();
    assert_eq!(
        (first.gtin.as_str(), first.item_reference.as_str()),
        ("6901234000016", "00001")
    );
    product(&app, "家用燃气灶", &first.gtin);
    product(&app, "燃气软管", "6901234000412");
    assert_eq!(app.suggest_gtin().unwrap().gtin, "6901234000429");
    let err = app
        .add_product(&ProductInput {
            model: "other".into(),
            ..product_input_named("燃气软管", "06901234000412")
        })
        .unwrap_err();
    assert_eq!(
        err.field.as_deref(),
        Some("gtin"),
        "the 14-digit form of a GTIN in use is refused"
    );
}

fn product_input_named(name: &str, gtin: &str) -> ProductInput {
    ProductInput {
        name: name.into(),
        model: String::new(),
        category: String::new(),
        brand: String::new(),
        standard: String::new(),
        gtin: gtin.into(),
        scheme: None,
        granularity: None,
        ccc_cert_no: String::new(),
        ccc_valid_from: String::new(),
        ccc_valid_to: String::new(),
        ccc_mark_no: String::new(),
        ccc_models: Vec::new(),
    }
}

#[test]
fn ccc_certificates_are_checked_and_expiring_ones_show_on_the_dashboard() {
    let (_dir, app) = app();
    let soon = iso(today() + time::Duration::days(20));
    let mut input = product_input_named("插座", "");
    input.category = "CCC-0201".into();
    input.model = "PS-1".into();
    let problems = app.check_product(&input, None).unwrap();
    assert!(codes_of(&problems).contains(&("cccCertNo".into(), "ccc.missing".into())));
    input.ccc_cert_no = "20160109011234".into();
    let err = app.add_product(&input).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("cccCertNo"));
    input.ccc_cert_no = "2016010201123456".into();
    input.ccc_valid_from = "2016-01-01".into();
    input.ccc_valid_to = soon.clone();
    input.ccc_models = vec!["PS-1, PS-2".into()];
    let saved = app.add_product(&input).unwrap();
    assert_eq!(saved.ccc_models, ["PS-1", "PS-2"]);
    assert_eq!(saved.category_name.as_deref(), Some("插头插座"));
    let dashboard = app.dashboard().unwrap();
    assert_eq!(dashboard.expiring_ccc.len(), 1);
    assert_eq!(
        dashboard.expiring_ccc[0].ccc_valid_to.as_deref(),
        Some(soon.as_str())
    );
}

#[test]
fn parties_check_the_uscc_and_refuse_duplicates() {
    let (_dir, app) = app();
    let input = PartyInput {
        kind: PartyKind::Customer,
        name: "上海示例厨电销售有限公司".into(),
        uscc: "91110000600037341N".into(),
        address: String::new(),
        contact: "李经理".into(),
        phone: "021-55550000".into(),
    };
    let err = app.add_party(&input).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("uscc"));
    assert!(err.message_zh.contains("“L”"), "{}", err.message_zh);
    let saved = app
        .add_party(&PartyInput {
            uscc: "91110000600037341l".into(),
            ..input.clone()
        })
        .unwrap();
    assert_eq!(saved.uscc.as_deref(), Some("91110000600037341L"));
    let err = app
        .add_party(&PartyInput {
            name: "别的名字".into(),
            uscc: "91110000600037341L".into(),
            ..input
        })
        .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("uscc"));
}

#[test]
fn lists_search_sort_and_page() {
    let (_dir, app) = app();
    for (i, supplier) in ["甲", "乙", "丙"].iter().enumerate() {
        app.add_receipt(&receipt_input(
            supplier,
            "燃气阀",
            &format!("V{i}"),
            10.0 + i as f64,
            &format!("2025-03-0{}", i + 1),
        ))
        .unwrap();
    }
    let all = app.list_receipts(&ListQuery::default()).unwrap();
    assert_eq!(all.total, 3);
    assert_eq!(all.rows[0].supplier_lot, "V2", "newest received first");
    let page = app
        .list_receipts(&ListQuery {
            sort: Some("quantity".into()),
            limit: 2,
            offset: 1,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        page.rows.iter().map(|r| r.quantity).collect::<Vec<_>>(),
        [11.0, 12.0]
    );
    let found = app
        .list_receipts(&ListQuery {
            search: "乙".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        (found.total, found.rows[0].supplier_lot.as_str()),
        (1, "V1")
    );
    let parties = app
        .list_parties(&ListQuery {
            kind: Some("customer".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(parties.total, 0);
}

// ---------------------------------------------------------------------------------------------
// Trace and recall

fn summary(r: &TraceResult) -> Vec<String> {
    let line = |dir: &str, n: &TraceNode| {
        format!(
            "{dir} {:?} {} {} {}",
            n.kind,
            n.label,
            n.party,
            n.quantity.map(entries::num).unwrap_or_default()
        )
    };
    let mut out = vec![line("root", &r.root)];
    out.extend(r.upstream.iter().map(|n| line("up", n)));
    out.extend(r.downstream.iter().map(|n| line("down", n)));
    let label = |key: &str| {
        std::iter::once(&r.root)
            .chain(&r.upstream)
            .chain(&r.downstream)
            .find(|n| n.key == key)
            .map(|n| n.label.clone())
            .unwrap_or_else(|| key.to_string())
    };
    out.extend(r.edges.iter().map(|e| {
        format!(
            "edge {} -> {} {}",
            label(&e.from),
            label(&e.to),
            e.quantity.map(entries::num).unwrap_or_default()
        )
    }));
    out
}

#[test]
fn a_batch_that_consumed_three_lots_traces_back_to_all_three_and_forward_to_both_customers() {
    let (_dir, app) = app();
    let w = world(&app);
    let r = app.trace("B20250305-1").unwrap();
    assert_eq!(r.root.kind, TraceKind::Batch);
    insta::assert_json_snapshot!(summary(&r), @r#"
    [
      "root Batch B20250305-1  100",
      "up Supplier 宁波示例阀门有限公司  ",
      "up Supplier 杭州示例五金有限公司  ",
      "up MaterialLot V2503-01 宁波示例阀门有限公司 500",
      "up MaterialLot P-77 杭州示例五金有限公司 120",
      "up MaterialLot V2503-02 宁波示例阀门有限公司 300",
      "down Shipment DN-20250310-001 上海示例厨电销售有限公司 30",
      "down Shipment DN-20250311-001 苏州示例商贸有限公司 50",
      "down Customer 上海示例厨电销售有限公司  ",
      "down Customer 苏州示例商贸有限公司  ",
      "edge B20250305-1 -> DN-20250310-001 30",
      "edge B20250305-1 -> DN-20250311-001 50",
      "edge V2503-01 -> B20250305-1 60",
      "edge V2503-02 -> B20250305-1 40",
      "edge P-77 -> B20250305-1 100",
      "edge DN-20250310-001 -> 上海示例厨电销售有限公司 30",
      "edge DN-20250311-001 -> 苏州示例商贸有限公司 50",
      "edge 宁波示例阀门有限公司 -> V2503-01 500",
      "edge 宁波示例阀门有限公司 -> V2503-02 300",
      "edge 杭州示例五金有限公司 -> P-77 120"
    ]
    "#);
    assert_eq!(w.batch.inputs.len(), 3);
}

#[test]
fn a_shipment_traces_back_to_every_supplier_lot() {
    let (_dir, app) = app();
    let w = world(&app);
    let r = app.trace("DN-20250311-001").unwrap();
    assert_eq!(r.root.kind, TraceKind::Shipment);
    let lots: Vec<&str> = r
        .upstream
        .iter()
        .filter(|n| n.kind == TraceKind::MaterialLot)
        .map(|n| n.label.as_str())
        .collect();
    assert_eq!(lots, ["V2503-01", "P-77", "V2503-02"]);
    let customers: Vec<&str> = r.downstream.iter().map(|n| n.label.as_str()).collect();
    assert_eq!(
        customers,
        ["苏州示例商贸有限公司"],
        "only this note's customer"
    );
    // The same by reference, and from a material lot forward to both customers.
    let from_lot = app
        .trace_ref(TraceRef {
            kind: TraceKind::MaterialLot,
            id: w.lots[1].id,
        })
        .unwrap();
    let down: Vec<&str> = from_lot
        .downstream
        .iter()
        .filter(|n| n.kind == TraceKind::Customer)
        .map(|n| n.label.as_str())
        .collect();
    assert_eq!(down, ["上海示例厨电销售有限公司", "苏州示例商贸有限公司"]);
}

#[test]
fn scanned_gs1_codes_name_the_product_and_batch_and_trace_like_the_lot() {
    let (_dir, app) = app();
    world(&app);
    // GS1 DataMatrix as a keyboard wedge sends it: symbology identifier, raw data, GS separator.
    let scanned = "]d20106901234000016\u{1d}10B20250305-1";
    let scan = app.scan_code(scanned).unwrap();
    assert!(scan.valid, "{:?}", scan.problems);
    assert_eq!(scan.gtin.as_deref(), Some("06901234000016"));
    assert_eq!(
        scan.product.as_ref().map(|p| p.name.as_str()),
        Some("家用燃气灶")
    );
    let batch = scan.batch.expect("the lot names a batch");
    assert_eq!(
        (batch.lot_no.as_str(), batch.remaining),
        ("B20250305-1", 20.0)
    );
    assert_eq!(app.trace(scanned).unwrap().root.label, "B20250305-1");
    let dl = app
        .trace("https://id.example.cn/01/06901234000016/10/B20250305-1")
        .unwrap();
    assert_eq!(dl.root.label, "B20250305-1");
    let unknown = app.scan_code("(01)09520123456788(10)X").unwrap();
    assert!(unknown.product.is_none());
    assert!(
        unknown
            .problems
            .iter()
            .any(|p| p.code == "scan.unknown-gtin")
    );
    let err = app.trace("NOPE-404").unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
}

#[test]
fn a_recall_drill_from_a_material_lot_lists_every_customer_with_quantities_and_is_recorded() {
    let (dir, app) = app();
    let w = world(&app);
    let result = app
        .recall(&RecallRequest {
            start: TraceRef {
                kind: TraceKind::MaterialLot,
                id: w.lots[0].id,
            },
            reason: "阀门密封圈疑似不合格".into(),
        })
        .unwrap();
    assert_eq!(result.batches.len(), 1);
    assert_eq!(result.batches[0].lot_quantity, Some(60.0));
    assert_eq!(
        (result.batches[0].shipped, result.batches[0].in_stock),
        (80.0, 20.0)
    );
    let customers: Vec<(&str, f64)> = result
        .customers
        .iter()
        .map(|c| (c.name.as_str(), c.quantity))
        .collect();
    assert_eq!(
        customers,
        [
            ("苏州示例商贸有限公司", 50.0),
            ("上海示例厨电销售有限公司", 30.0)
        ]
    );
    assert!(result.notice_zh.contains("阀门密封圈疑似不合格"));
    assert!(result.notice_zh.contains("B20250305-1"));
    let drills = app.recall_drills().unwrap();
    assert_eq!(drills.len(), 1);
    assert_eq!(
        (
            drills[0].start_label.as_str(),
            drills[0].customers,
            drills[0].actor.as_str()
        ),
        ("V2503-01", 2, "wang.li")
    );
    assert!(drills[0].duration_ms >= 0.0);

    let out = dir.path().join("召回清单");
    let export = app
        .export_recall(&result, Some(out.to_str().unwrap()))
        .unwrap();
    assert!(export.path.ends_with("召回清单.xlsx"), "{}", export.path);
    let bytes = std::fs::read(&export.path).unwrap();
    assert_eq!(&bytes[..2], b"PK", "an xlsx is a zip");
    let trace = app.trace("V2503-01").unwrap();
    let trace_export = app.export_trace(&trace, None).unwrap();
    assert!(Path::new(&trace_export.path).is_file());
    assert!(
        trace_export.path.contains("exports"),
        "without a path it goes to the exports folder: {}",
        trace_export.path
    );
    let list = app
        .export_list(ListKind::Receipts, &ListQuery::default(), None)
        .unwrap();
    assert_eq!(list.rows, 3);
}

#[test]
fn a_recall_from_a_batch_covers_its_items() {
    let (_dir, app) = app();
    let w = world(&app);
    app.db()
        .write(|tx| {
            tx.execute(
                "INSERT INTO item (batch_id, serial) VALUES (?1, 'S001'), (?1, 'S002')",
                [w.batch.id],
            )?;
            Ok(())
        })
        .unwrap();
    let result = app
        .recall(&RecallRequest {
            start: TraceRef {
                kind: TraceKind::Batch,
                id: w.batch.id,
            },
            reason: String::new(),
        })
        .unwrap();
    assert_eq!(result.items.len(), 2);
    assert_eq!(result.shipments.len(), 2);
    assert_eq!(result.quantity_shipped, 80.0);
}

#[test]
fn the_dashboard_counts_real_records() {
    let (_dir, app) = app();
    let gas = product(&app, "家用燃气灶", "");
    let on = iso(today());
    app.add_receipt(&receipt_input("甲", "燃气阀", "V1", 10.0, &on))
        .unwrap();
    let mut failed = batch_input(gas.id, "B1", &on, &[]);
    failed.inspection_result = InspectionResult::Fail;
    app.add_batch(&failed).unwrap();
    let d = app.dashboard().unwrap();
    assert_eq!(
        (d.receipts_today, d.batches_today, d.shipments_today),
        (1, 1, 0)
    );
    assert_eq!((d.failed_batches, d.failed_batch_list.len()), (1, 1));
    assert_eq!(d.last_30_days.len(), 30);
    assert_eq!(d.last_30_days[29].date, on);
    assert_eq!(
        (d.last_30_days[29].receipts, d.last_30_days[29].batches),
        (1, 1)
    );
    assert!(d.submission_available);
    assert_eq!(
        d.pending_submissions, 2,
        "the receipt and the batch are not accepted yet"
    );
}

#[test]
fn a_generated_database_traces_and_recalls() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.sqlite3");
    let report = dev::generate(
        &path,
        &dev::GenerateSpec {
            items: 2_000,
            batches: 400,
            receipts: 100,
            shipments: 200,
            seed: 1,
        },
    )
    .unwrap();
    assert_eq!((report.items, report.batches), (2_000, 400));
    let app = App::open(Config::for_db(&path)).unwrap();
    assert!(
        app.status().unwrap().set_up,
        "the generated database opens on the main window"
    );
    let batch = &app
        .list_batches(&ListQuery {
            limit: 1,
            ..Default::default()
        })
        .unwrap()
        .rows[0];
    let trace = app.trace(&batch.lot_no).unwrap();
    assert!(
        !trace.upstream.is_empty(),
        "every generated batch consumed lots"
    );
    let start = app.recall_start("S").err();
    assert!(start.is_some(), "a partial lot number is not a lot");
    assert!(
        dev::generate(&path, &dev::GenerateSpec::default()).is_err(),
        "never overwrites"
    );
}

// ---------------------------------------------------------------------------------------------
// Hostile text in exports

const LINK: &str = r#"=HYPERLINK("http://x","y")"#;
const SUM: &str = "@SUM(1)";

/// Every cell of the workbook at `path`: (sheet, text) for string cells, and how many formula
/// cells it holds. Read back with calamine, as another program would.
pub(crate) fn xlsx_cells(path: &Path) -> (Vec<(String, String)>, usize) {
    use calamine::{Data, Reader, open_workbook_auto};
    let mut book = open_workbook_auto(path).expect("the export opens");
    let mut strings = Vec::new();
    let mut formulas = 0;
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).expect("sheet");
        for cell in range.used_cells() {
            if let Data::String(s) = cell.2 {
                strings.push((name.clone(), s.clone()));
            }
        }
        formulas += book
            .worksheet_formula(&name)
            .expect("formulas")
            .used_cells()
            .filter(|c| !c.2.is_empty())
            .count();
    }
    (strings, formulas)
}

/// Asserts that `path` holds `hostile` somewhere, and only as neutralised text.
fn assert_text_only(path: &str, hostile: &[&str]) {
    let (cells, formulas) = xlsx_cells(Path::new(path));
    assert_eq!(formulas, 0, "{path}: no formula cell");
    for h in hostile {
        let holding: Vec<&(String, String)> = cells.iter().filter(|(_, s)| s.contains(h)).collect();
        assert!(!holding.is_empty(), "{path}: {h} is exported somewhere");
        for (sheet, text) in holding {
            if text.trim_start_matches('\'').starts_with(h) {
                assert!(
                    text.starts_with('\'') && text[1..].starts_with(h),
                    "{path} [{sheet}]: {text:?} starts with {h} and must be text with a leading '"
                );
            }
        }
    }
    for (sheet, text) in &cells {
        assert!(
            !sheets::safe::could_be_formula(text),
            "{path} [{sheet}]: {text:?} could still run as a formula"
        );
    }
}

#[test]
fn every_list_trace_and_recall_export_writes_formula_like_names_as_text() {
    let (_dir, app) = app();
    let gas = product(&app, LINK, "6901234000016");
    let mut receipt = receipt_input(SUM, LINK, "V1", 500.0, "2025-03-02");
    receipt.note = "＋86 574 8888 8888".into();
    receipt.spec = "-2+3".into();
    let lot = app.add_receipt(&receipt).unwrap();
    let mut batch = batch_input(gas.id, "B20250305-1", "2025-03-05", &[(lot.id, 60.0)]);
    batch.inspector = SUM.into();
    let batch = app.add_batch(&batch).unwrap();
    let mut shipment = shipment_input("=1+1", "DN-1", "2025-03-10", &[(batch.id, 30.0)]);
    shipment.note = SUM.into();
    app.add_shipment(&shipment).unwrap();

    for (kind, hostile) in [
        (ListKind::Products, vec![LINK]),
        (ListKind::Parties, vec![SUM, "=1+1"]),
        (ListKind::Receipts, vec![SUM, LINK, "＋86", "-2+3"]),
        (ListKind::Batches, vec![LINK, SUM]),
        (ListKind::Shipments, vec!["=1+1", SUM]),
    ] {
        let out = app.export_list(kind, &ListQuery::default(), None).unwrap();
        assert_text_only(&out.path, &hostile);
    }
    let trace = app.trace("V1").unwrap();
    let out = app.export_trace(&trace, None).unwrap();
    assert_text_only(&out.path, &[LINK, SUM, "=1+1"]);
    let recall = app
        .recall(&RecallRequest {
            start: TraceRef {
                kind: TraceKind::MaterialLot,
                id: lot.id,
            },
            reason: SUM.into(),
        })
        .unwrap();
    let out = app.export_recall(&recall, None).unwrap();
    assert_text_only(&out.path, &[LINK, "=1+1"]);
    // The numbers stay numbers: the recall list's quantities are not text.
    use calamine::{Data, Reader, open_workbook_auto};
    let mut book = open_workbook_auto(&out.path).unwrap();
    let numbers = book
        .sheet_names()
        .iter()
        .map(|n| book.worksheet_range(n).unwrap())
        .flat_map(|r| r.used_cells().map(|c| c.2.clone()).collect::<Vec<_>>())
        .filter(|d| matches!(d, Data::Float(_) | Data::Int(_)))
        .count();
    assert!(numbers > 0, "quantities are written as numbers");
}
