//! Trace and recall: back to every supplier lot, forward to every customer, from scanned
//! codes, recall drills, the dashboard, and a generated database.

use super::*;

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
