//! Shipments of one delivery note, a mapping the clerk chose remembered, a cancelled commit, and
//! the problem report.

use super::*;

#[test]
fn shipment_rows_of_one_delivery_note_become_one_shipment_and_are_not_shipped_twice() {
    let e = env();
    let product = e.product("电热水壶", Some("9520123456788"));
    {
        let mut db = e.app.db();
        db.write(|tx| {
            for lot in ["B1", "B2"] {
                store::batches::insert(
                    tx,
                    &store::batches::BatchFields {
                        product_id: product,
                        lot_no: lot.into(),
                        produced_on: "2025-03-01".into(),
                        quantity: 100.0,
                        unit: "台".into(),
                        inspection_result: "pass".into(),
                        inspector: String::new(),
                        report_no: None,
                        docs: Default::default(),
                    },
                    &[],
                )?;
            }
            Ok(())
        })
        .unwrap();
    }
    use V::*;
    // One line of delivery note `note` on `day` of March: `qty` kettles of batch `lot`.
    let line = |day: u8, note: &'static str, lot: &'static str, qty: f64| {
        [
            D(2025, 3, day),
            S("杭州家电商城"),
            S(note),
            S("电热水壶"),
            S(lot),
            N(qty),
            S("台"),
        ]
    };
    let header = [
        S("发货日期"),
        S("客户"),
        S("出库单号"),
        S("产品名称"),
        S("生产批号"),
        S("数量"),
        S("单位"),
    ];
    let sheet = table(
        "销售出库",
        &[
            &header,
            &line(20, "CK-001", "B1", 10.0),
            &line(20, "CK-001", "B2", 5.0),
            &line(21, "CK-002", "B9", 5.0),
        ],
    );
    let path = e.write("out.xlsx", &sheet);
    let report = e.read(&path, ImportKind::Shipment, true);
    assert_eq!(report.rows_new, 2);
    assert_eq!(report.rows_invalid, 1, "batch B9 was never made");
    assert!(
        report
            .unknown
            .iter()
            .any(|u| u.kind == ImportUnknownKind::Customer)
    );
    e.commit(&report, ImportMode::ValidOnly);
    assert_eq!(e.count("SELECT count(*) FROM shipment"), 1);
    assert_eq!(e.count("SELECT count(*) FROM shipment_line"), 2);
    assert_eq!(
        e.count("SELECT count(*) FROM party WHERE kind = 'customer'"),
        1
    );

    let again = e.read(&path, ImportKind::Shipment, true);
    assert_eq!(again.rows_existing, 2);
    e.commit(&again, ImportMode::ValidOnly);
    assert_eq!(e.count("SELECT count(*) FROM shipment_line"), 2);
}

#[test]
fn a_mapping_chosen_by_the_clerk_is_remembered_for_the_same_headers() {
    let e = env();
    e.supplier(SUPPLIER_KNOWN, None);
    let sheet = |lot: &'static str| {
        xlsx("Sheet1", move |ws| {
            use V::*;
            put(
                ws,
                0,
                &[
                    S("日期"),
                    S("供应商"),
                    S("品名"),
                    S("炉号"),
                    S("重量"),
                    S("单位"),
                    S("检验结果"),
                ],
            )?;
            put(
                ws,
                1,
                &[
                    D(2025, 3, 3),
                    S(SUPPLIER_KNOWN),
                    S("冷轧钢板"),
                    S(lot),
                    N(5.0),
                    S("kg"),
                    S("合格"),
                ],
            )
        })
    };
    let first = e.write("a.xlsx", &sheet("L-1"));
    let file = e.app.import_open(&first).unwrap();
    let input = |mapping: Vec<ImportColumnChoice>| ImportReadInput {
        session_id: file.session_id,
        sheet: "Sheet1".into(),
        kind: ImportKind::Receipt,
        header_row: None,
        mapping,
        create_missing: false,
    };
    let auto = e.app.import_read(&input(Vec::new()), &|_| {}).unwrap();
    assert!(
        auto.sheet_problems
            .iter()
            .any(|p| p.code == "column.missing"),
        "炉号 is not a known name for the supplier lot"
    );
    let choices = vec![
        ImportColumnChoice {
            column: "D".into(),
            field: Some("supplier_lot".into()),
        },
        ImportColumnChoice {
            column: "A".into(),
            field: Some("received_on".into()),
        },
        ImportColumnChoice {
            column: "C".into(),
            field: Some("material".into()),
        },
        ImportColumnChoice {
            column: "E".into(),
            field: Some("quantity".into()),
        },
    ];
    let manual = e.app.import_read(&input(choices), &|_| {}).unwrap();
    assert!(
        manual
            .sheet_problems
            .iter()
            .all(|p| p.severity != ProblemSeverity::Error),
        "{:?}",
        manual.sheet_problems
    );
    assert_eq!(manual.rows_new, 1);
    e.commit(&manual, ImportMode::All);

    let next = e.read_new("b.xlsx", &sheet("L-2"), ImportKind::Receipt, false);
    assert!(
        next.remembered,
        "same headers: the mapping of the first file is used"
    );
    assert_eq!(
        next.columns
            .iter()
            .find(|c| c.column == "D")
            .and_then(|c| c.field.as_deref()),
        Some("supplier_lot")
    );
    assert_eq!(next.rows_new, 1, "{:?}", next.sheet_problems);
}

#[test]
fn cancelling_a_commit_writes_nothing() {
    let e = env();
    e.supplier(SUPPLIER_KNOWN, None);
    let report = e.read_new("a.xlsx", &messy_receipts(), ImportKind::Receipt, true);
    let session = report.session_id;
    let err = e
        .app
        .import_commit(
            &ImportCommitInput {
                session_id: session,
                mode: ImportMode::ValidOnly,
                create_missing: true,
            },
            &|_| {
                let _ = e.app.import_cancel(session);
            },
        )
        .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("import.cancelled"));
    assert_eq!(e.count("SELECT count(*) FROM receipt"), 0);
    assert_eq!(e.count("SELECT count(*) FROM party"), 1);
    assert_eq!(
        e.count("SELECT bulk FROM audit_context"),
        0,
        "the bulk flag is rolled back too"
    );
}

#[test]
fn the_problem_report_marks_database_problems_too() {
    let e = env();
    e.supplier(SUPPLIER_KNOWN, None);
    let report = e.read_new("a.xlsx", &messy_receipts(), ImportKind::Receipt, false);
    let dest = e.path("问题.xlsx");
    e.app
        .import_export_problems(report.session_id, &dest, &|_| {})
        .expect("report written");
    let mut wb = sheets::Workbook::open(&dest).expect("report opens");
    let grid = wb.grid(&wb.sheets()[0].name.clone(), None).unwrap();
    let header = grid.rows.iter().find(|r| r.row == 3).unwrap();
    let col = header
        .cells
        .iter()
        .find(|c| c.value.raw_text() == "问题说明")
        .expect("问题说明 column")
        .column;
    let row6 = grid.rows.iter().find(|r| r.row == 6).unwrap();
    let text = row6
        .cells
        .iter()
        .find(|c| c.column == col)
        .unwrap()
        .value
        .raw_text();
    assert!(
        text.contains(SUPPLIER_NEW) && text.contains("尚未登记"),
        "{text}"
    );
}
