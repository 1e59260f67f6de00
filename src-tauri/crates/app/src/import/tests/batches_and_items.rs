//! Batches and 一物一码 items: unknown lots and products, changes between check and commit, plans
//! that hold until a table changes, lots the codes carry, repeated rows, missing batches created.

use super::*;

#[test]
fn unknown_material_lots_and_products_are_problems_a_batch_cannot_skip() {
    let e = env();
    use V::*;
    let unknown = [
        S("电热水壶"),
        S("B1"),
        D(2025, 3, 10),
        N(10.0),
        S("台"),
        S("NOPE-1"),
        S("合格"),
    ];
    let batch = table("生产批次", &[&BATCH_HEADER, &unknown]);
    let report = e.read_new("b.xlsx", &batch, ImportKind::Batch, true);
    let problems = e.problems(&report);
    assert!(
        problems
            .iter()
            .any(|p| p.code == "material-lot.unknown" && p.severity == ProblemSeverity::Error)
    );
    assert!(
        problems
            .iter()
            .any(|p| p.code == "product.unknown" && p.severity == ProblemSeverity::Warning)
    );
    assert_eq!(report.rows_invalid, 1);
}

/// A kettle (GTIN 09520123456788) and a file of 40 of its items, read, every row new: the
/// product's id and the report.
fn kettle_items(e: &Env) -> (i64, ImportReport) {
    let product = e.product("电热水壶", Some("09520123456788"));
    let report = e.read_new(
        "items.xlsx",
        &items(40, "9520123456788"),
        ImportKind::Item,
        true,
    );
    assert_eq!(report.rows_new, 40);
    (product, report)
}

/// `rows` items of one GTIN, the first half of lot L1 and the rest of L2.
fn items(rows: u32, gtin: &'static str) -> Vec<u8> {
    items_by_lot(rows, gtin, |i| if i <= rows / 2 { "L1" } else { "L2" })
}

/// `rows` items of one GTIN and one lot.
fn items_of_lot(rows: u32, gtin: &'static str, lot: &'static str) -> Vec<u8> {
    items_by_lot(rows, gtin, |_| lot)
}

/// `rows` items of one GTIN with serials 00000001…, item `i` of lot `lot(i)`.
fn items_by_lot(rows: u32, gtin: &'static str, lot: impl Fn(u32) -> &'static str) -> Vec<u8> {
    xlsx("一物一码", |ws| {
        use V::*;
        put(
            ws,
            0,
            &[S("商品条码"), S("生产批号"), S("序列号"), S("生产日期")],
        )?;
        for i in 1..=rows {
            put(ws, i, &[S(gtin), S(lot(i)), Blank, D(2025, 3, 1)])?;
            ws.write_string(i, 2, format!("{i:08}"))?;
        }
        Ok(())
    })
}

#[test]
fn a_change_between_check_and_commit_is_caught_not_overwritten() {
    // Someone records one of the file's items after the check: the commit sees it and skips
    // that row instead of failing on it or writing it twice.
    let e = env();
    let (product, report) = kettle_items(&e);
    e.app
        .db()
        .write(|tx| {
            let batch = store::batches::insert(
                tx,
                &store::batches::BatchFields {
                    product_id: product,
                    lot_no: "L1".into(),
                    produced_on: "2025-03-01".into(),
                    quantity: 20.0,
                    unit: "台".into(),
                    inspection_result: "pass".into(),
                    inspector: "王丽".into(),
                    report_no: None,
                    docs: Default::default(),
                },
                &[],
            )?;
            store::imports::insert_item(tx, batch, "00000001")
        })
        .expect("recorded by hand");
    let done = e.commit(&report, ImportMode::All);
    assert_eq!((done.rows_imported, done.rows_existing), (39, 1));
    assert_eq!(e.count("SELECT count(*) FROM item"), 40);
    assert_eq!(
        e.count("SELECT count(*) FROM batch"),
        2,
        "L1 is not made twice"
    );
    let created: Vec<(String, u32)> = done
        .run
        .expect("a run")
        .created
        .into_iter()
        .map(|c| (c.table, c.count))
        .collect();
    assert_eq!(
        created,
        [("batch".to_string(), 1), ("item".to_string(), 39)],
        "only what the import itself made is its own (and undone with it)"
    );

    // A change that makes checked rows wrong: all-or-nothing refuses and writes nothing; valid
    // rows only leaves them out.
    let e = env();
    let (_, report) = kettle_items(&e);
    e.app
        .db()
        .conn()
        .execute("UPDATE product SET gtin = '09520123456795'", [])
        .expect("GTIN changed by someone else");
    let err = e.try_commit(&report, ImportMode::All).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState);
    assert!(
        err.message_zh.starts_with("检查之后数据库有了变化")
            && err.message_zh.contains("9520123456788"),
        "{}",
        err.message_zh
    );
    assert_eq!(e.count("SELECT count(*) FROM item"), 0);
    assert_eq!(e.count("SELECT count(*) FROM batch"), 0);
    assert_eq!(e.count("SELECT count(*) FROM import_run"), 0);
    let done = e.commit(&report, ImportMode::ValidOnly);
    assert_eq!((done.rows_imported, done.rows_skipped), (0, 40));
    assert!(done.run.is_none());
    assert_eq!(e.count("SELECT count(*) FROM item"), 0);
}

#[test]
fn a_plan_holds_until_a_table_it_read_changes() {
    use crate::import::plan::Stamp;
    let e = env();
    let product = e.product("电热水壶", Some("09520123456788"));
    let stamp = |e: &Env| Stamp::take(e.app.db().conn()).expect("stamp");
    let holds = |e: &Env, s: &Stamp| s.holds(e.app.db().conn()).expect("holds");
    // (what someone does, whether a plan made before still holds)
    let changes: [(&str, bool); 7] = [
        (
            "INSERT INTO import_mapping (kind, header_signature, mapping) VALUES ('item', 's', '{}')",
            true,
        ),
        (
            "INSERT INTO recall_drill (start_kind, start_label, started_at, duration_ms, batches, items, shipments, customers, actor)
             VALUES ('batch', 'x', '2025-03-01', 1, 0, 0, 0, 0, 'a')",
            true,
        ),
        ("UPDATE product SET model = 'SWF-17E'", false),
        (
            "INSERT INTO party (kind, name) VALUES ('supplier', '宁波钢材有限公司')",
            false,
        ),
        ("DELETE FROM party", false),
        ("UPDATE product_coding SET item_with_lot = 0", false),
        (
            "INSERT INTO setting (key, value) VALUES ('lotPattern', '\"B{seq}\"')",
            false,
        ),
    ];
    e.app
        .db()
        .write(|tx| {
            store::ledger::save_product_coding(
                tx,
                &store::ledger::ProductCodingRow::defaults(product),
            )
        })
        .expect("coding row");
    for (sql, still) in changes {
        let before = stamp(&e);
        assert!(holds(&e, &before));
        e.app
            .db()
            .conn()
            .execute(sql, [])
            .unwrap_or_else(|err| panic!("{sql}: {err}"));
        assert_eq!(holds(&e, &before), still, "{sql}");
    }
    // A bulk write is seen through its summary entry.
    let before = stamp(&e);
    e.app
        .db()
        .bulk_write("test", |tx| {
            let batch = store::batches::insert(
                tx,
                &store::batches::BatchFields {
                    product_id: product,
                    lot_no: "L9".into(),
                    produced_on: "2025-03-01".into(),
                    quantity: 1.0,
                    unit: "台".into(),
                    inspection_result: "pending".into(),
                    inspector: String::new(),
                    report_no: None,
                    docs: Default::default(),
                },
                &[],
            )?;
            store::imports::insert_item(tx, batch, "1")
        })
        .expect("bulk");
    assert!(!holds(&e, &before));
}

#[test]
fn lots_the_codes_carry_are_refused_at_import_and_other_lots_warned_about() {
    let e = env();
    // Items creating their batch: GS1 item codes that carry the lot refuse a lot outside CSET 82,
    // naming the character and its place; codes without the lot only warn.
    e.coded_product("带批号的单品", "09520123456788", "gs1", "item", true);
    e.coded_product("不带批号的单品", "09520123456795", "gs1", "item", false);
    let carried = e.read_new(
        "a.xlsx",
        &items_of_lot(3, "9520123456788", "L 1"),
        ImportKind::Item,
        true,
    );
    assert_eq!(carried.rows_invalid, 3);
    let problems = e.problems(&carried);
    let lot = problems
        .iter()
        .find(|p| p.code == "gs1.cset82")
        .expect("a lot problem");
    assert_eq!(lot.severity, ProblemSeverity::Error);
    assert_eq!(lot.field.as_deref(), Some("lot_no"));
    assert_eq!(lot.column.as_deref(), Some("B"));
    assert!(
        lot.message_zh.contains("第 2 位") && lot.message_zh.contains("字符“ ”"),
        "{}",
        lot.message_zh
    );
    assert_contains(&lot.message_en, "at position 2");
    assert_eq!(
        problems.iter().filter(|p| p.code == "gs1.cset82").count(),
        3,
        "every row of the lot"
    );
    let warned = e.read_new(
        "b.xlsx",
        &items_of_lot(3, "9520123456795", "L 1"),
        ImportKind::Item,
        true,
    );
    assert_eq!(warned.rows_new, 3);
    assert!(
        e.problems(&warned)
            .iter()
            .any(|p| p.code == "gs1.cset82" && p.severity == ProblemSeverity::Warning)
    );
    let long = e.read_new(
        "c.xlsx",
        &items_of_lot(1, "9520123456788", "L2025030100000000001X"),
        ImportKind::Item,
        true,
    );
    assert_eq!(long.rows_invalid, 1);
    assert!(e.problems(&long).iter().any(|p| p.code == "gs1.too-long"));

    // Batch rows: a GS1 batch code carries the lot, a product code does not.
    e.coded_product("一批一码产品", "09520123456801", "gs1", "batch", true);
    e.coded_product("一品一码产品", "09520123456818", "gs1", "product", true);
    let batches = xlsx("生产批次", |ws| {
        use V::*;
        put(
            ws,
            0,
            &[
                S("产品名称"),
                S("生产批号"),
                S("生产日期"),
                S("数量"),
                S("单位"),
                S("出厂检验结果"),
            ],
        )?;
        for (r, name) in [(1, "一批一码产品"), (2, "一品一码产品")] {
            put(
                ws,
                r,
                &[
                    S(name),
                    S("批次#7"),
                    D(2025, 3, 10),
                    N(10.0),
                    S("台"),
                    S("合格"),
                ],
            )?;
        }
        Ok(())
    });
    let report = e.read_new("d.xlsx", &batches, ImportKind::Batch, true);
    assert_eq!((report.rows_invalid, report.rows_new), (1, 1));
    let lot: Vec<(u32, ProblemSeverity)> = e
        .problems(&report)
        .into_iter()
        .filter(|p| p.code == "gs1.cset82")
        .map(|p| (p.row.unwrap_or(0), p.severity))
        .collect();
    assert_eq!(
        lot,
        [(2, ProblemSeverity::Error), (3, ProblemSeverity::Warning)]
    );
}

#[test]
fn repeated_rows_are_found_even_when_their_keys_share_a_hash() {
    // Rows 3 and 6 are the same item (the GTIN once with its leading zero); row 5 repeats row 2.
    let e = env();
    e.product("电热水壶", Some("09520123456788"));
    let file = xlsx("一物一码", |ws| {
        use V::*;
        put(ws, 0, &[S("商品条码"), S("生产批号"), S("序列号")])?;
        let rows = [
            ("9520123456788", "L1", "1"),
            ("9520123456788", "L1", "2"),
            ("9520123456788", "L2", "1"),
            ("9520123456788", "L1", "2"),
            ("09520123456788", "L2", "1"),
        ];
        for (i, (g, l, s)) in rows.iter().enumerate() {
            put(ws, i as u32 + 1, &[S(g), S(l), S(s)])?;
        }
        Ok(())
    });
    let mut book = sheets::Workbook::from_bytes(file, "a.xlsx").expect("opens");
    let read = book
        .read(
            "一物一码",
            sheets::RecordKind::Item,
            &sheets::ReadOptions::new(crate::entries::today()),
        )
        .expect("reads");
    let plan = |same_hashes: bool| -> Vec<(ImportRowStatus, Vec<String>)> {
        let db = e.app.db();
        let defaults = crate::import::plan::Defaults {
            scheme: "gs1".into(),
            granularity: "item".into(),
            today: crate::entries::today(),
            ccc: std::sync::Arc::new(codes::ccc::shipped().clone()),
        };
        let mut planner =
            crate::import::plan::Planner::new(db.conn(), true, defaults).expect("planner");
        planner.same_hashes = same_hashes;
        (0..read.rows.len())
            .map(|i| {
                let (problems, status) = planner.row(i, &read.rows).expect("row");
                let codes = problems.iter().map(|p| p.code.to_string()).collect();
                (status, codes)
            })
            .collect()
    };
    let normal = plan(false);
    assert_eq!(
        normal.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
        [
            ImportRowStatus::New,
            ImportRowStatus::New,
            ImportRowStatus::New,
            ImportRowStatus::Invalid,
            ImportRowStatus::Exists,
        ],
        "{normal:?}"
    );
    assert!(normal[4].1.contains(&"record.repeated".to_string()));
    assert_eq!(
        plan(true),
        normal,
        "the same answer when every key shares one hash"
    );
}

#[test]
fn items_create_their_missing_batches_and_reimport_is_idempotent() {
    let e = env();
    e.product("电热水壶", Some("09520123456788"));
    let path = e.write("items.xlsx", &items(40, "9520123456788"));

    let without = e.read(&path, ImportKind::Item, false);
    assert_eq!(without.rows_invalid, 40, "the batches are unknown");
    assert_eq!(without.unknown.len(), 2);
    assert!(
        without
            .unknown
            .iter()
            .all(|u| u.kind == ImportUnknownKind::Batch && u.creatable)
    );

    let with = e.read(&path, ImportKind::Item, true);
    assert_eq!(with.rows_new, 40);
    let warnings = e.problems(&with);
    assert_eq!(
        warnings.len(),
        40,
        "every row says its batch will be created"
    );
    assert!(
        warnings[0]
            .message_zh
            .ends_with("生产批次 L1 尚未登记，导入时将新建（20 个单品，检验结论“待检”）"),
        "{}",
        warnings[0].message_zh
    );
    let run = e.commit(&with, ImportMode::All).run.unwrap();
    assert_eq!(e.count("SELECT count(*) FROM item"), 40);
    assert_eq!(
        e.count("SELECT count(*) FROM batch WHERE quantity = 20 AND inspection_result = 'pending'"),
        2
    );
    assert!(
        run.created
            .iter()
            .any(|c| c.table == "batch" && c.count == 2)
    );

    let again = e.read(&path, ImportKind::Item, true);
    assert_eq!(again.rows_existing, 40);
    assert!(e.commit(&again, ImportMode::All).run.is_none());
    assert_eq!(e.count("SELECT count(*) FROM item"), 40);
}

#[test]
fn an_item_of_an_unregistered_gtin_cannot_be_created_from_the_gtin_alone() {
    let e = env();
    let report = e.read_new(
        "items.xlsx",
        &items(4, "9520123456788"),
        ImportKind::Item,
        true,
    );
    assert_eq!(report.rows_invalid, 4);
    assert_eq!(report.unknown.len(), 1);
    assert!(!report.unknown[0].creatable, "a product needs a name");
}
