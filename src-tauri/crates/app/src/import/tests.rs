//! Import end to end, on files the tests write: a messy receipt ledger (merged title, a note
//! row, 序号, an unknown supplier, an impossible date, grouped numbers), re-imports, another file
//! with the same rows, all-or-nothing and valid-only commits, undo, items and shipments, the
//! problem report, hostile files, and the same sheet as xls and ods when LibreOffice is installed.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook as XlsxWorkbook, Worksheet, XlsxError};

use crate::{
    App, Config, ErrorCode, ImportColumnChoice, ImportCommitInput, ImportFileOptions, ImportKind,
    ImportMode, ImportPreviewInput, ImportProblem, ImportReadInput, ImportReport, ImportRowFilter,
    ImportRowStatus, ImportRowsQuery, ImportUnknownKind, ImportValue, ProblemSeverity,
};

const SUPPLIER_KNOWN: &str = "宁波钢材有限公司";
const SUPPLIER_NEW: &str = "慈溪铜业有限公司";

struct Env {
    dir: tempfile::TempDir,
    app: App,
}

fn env() -> Env {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = App::open(Config::in_dir(dir.path().join("data"))).expect("open app");
    Env { dir, app }
}

impl Env {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).expect("write test file");
        p
    }

    fn supplier(&self, name: &str, uscc: Option<&str>) -> i64 {
        let mut db = self.app.db();
        db.write(|tx| {
            store::parties::insert(
                tx,
                &store::parties::PartyFields {
                    kind: "supplier".into(),
                    name: name.into(),
                    uscc: uscc.map(str::to_string),
                    ..Default::default()
                },
            )
        })
        .expect("insert supplier")
    }

    fn product(&self, name: &str, gtin: Option<&str>) -> i64 {
        let mut db = self.app.db();
        db.write(|tx| {
            store::products::insert(
                tx,
                &store::products::ProductFields {
                    name: name.into(),
                    gtin: gtin.map(str::to_string),
                    scheme: "gs1".into(),
                    granularity: "item".into(),
                    ..Default::default()
                },
            )
        })
        .expect("insert product")
    }

    /// A product coded `scheme` at `granularity`, carrying the lot on item codes or not.
    fn coded_product(
        &self,
        name: &str,
        gtin: &str,
        scheme: &str,
        granularity: &str,
        item_with_lot: bool,
    ) -> i64 {
        let mut db = self.app.db();
        db.write(|tx| {
            let id = store::products::insert(
                tx,
                &store::products::ProductFields {
                    name: name.into(),
                    gtin: Some(gtin.into()),
                    scheme: scheme.into(),
                    granularity: granularity.into(),
                    ..Default::default()
                },
            )?;
            let mut coding = store::ledger::ProductCodingRow::defaults(id);
            coding.item_with_lot = item_with_lot;
            store::ledger::save_product_coding(tx, &coding)?;
            Ok(id)
        })
        .expect("insert product")
    }

    fn count(&self, sql: &str) -> i64 {
        self.app
            .db()
            .conn()
            .query_row(sql, [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Opens `path` and reads its first sheet as `kind`.
    fn read(&self, path: &Path, kind: ImportKind, create_missing: bool) -> ImportReport {
        let file = self.app.import_open(path).expect("file opens");
        self.app
            .import_read(
                &ImportReadInput {
                    session_id: file.session_id,
                    sheet: file.sheets[0].name.clone(),
                    kind,
                    header_row: None,
                    mapping: Vec::new(),
                    create_missing,
                },
                &|_| {},
            )
            .expect("sheet reads")
    }

    fn commit(&self, report: &ImportReport, mode: ImportMode) -> crate::ImportCommitResult {
        self.app
            .import_commit(
                &ImportCommitInput {
                    session_id: report.session_id,
                    mode,
                    create_missing: report.create_missing,
                },
                &|_| {},
            )
            .expect("commit succeeds")
    }

    fn problems(&self, report: &ImportReport) -> Vec<ImportProblem> {
        self.app
            .import_rows(&ImportRowsQuery {
                session_id: report.session_id,
                filter: ImportRowFilter::Problems,
                offset: 0,
                limit: 5000,
            })
            .expect("rows")
            .rows
            .into_iter()
            .flat_map(|r| r.problems)
            .collect()
    }
}

/// A value to put into a test sheet.
#[derive(Clone, Copy)]
enum V {
    S(&'static str),
    N(f64),
    D(u16, u8, u8),
    Blank,
}

fn put(ws: &mut Worksheet, row: u32, values: &[V]) -> Result<(), XlsxError> {
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, v) in values.iter().enumerate() {
        let c = c as u16;
        match v {
            V::S(s) => {
                ws.write_string(row, c, *s)?;
            }
            V::N(n) => {
                ws.write_number(row, c, *n)?;
            }
            V::D(y, m, d) => {
                ws.write_datetime_with_format(
                    row,
                    c,
                    &ExcelDateTime::from_ymd(*y, *m, *d)?,
                    &date,
                )?;
            }
            V::Blank => {}
        }
    }
    Ok(())
}

fn xlsx(sheet: &str, build: impl FnOnce(&mut Worksheet) -> Result<(), XlsxError>) -> Vec<u8> {
    let mut wb = XlsxWorkbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).expect("sheet name");
    build(ws).expect("sheet builds");
    wb.save_to_buffer().expect("workbook saves")
}

/// The messy ledger: a merged title, a note, a header with 序号 and a unit in brackets, then
/// five receipts: two from a known supplier, two from an unknown one (row 7 with an impossible
/// date), one with a grouped quantity and a spaced enumeration.
fn messy_receipts() -> Vec<u8> {
    use V::*;
    xlsx("2025年3月进货台账", |ws| {
        ws.merge_range(
            0,
            0,
            0,
            8,
            "2025年3月 原料进货查验台账",
            &Format::new().set_bold(),
        )?;
        put(ws, 1, &[S("说明：仓库每日填写，月底交质量部")])?;
        put(
            ws,
            2,
            &[
                S("序号"),
                S("进货日期"),
                S("供应商"),
                S("原料名称"),
                S("规格"),
                S("供应商批号"),
                S("数量（kg）"),
                S("单位"),
                S("检验结果"),
                S("备注"),
            ],
        )?;
        let rows: [[V; 10]; 5] = [
            [
                N(1.0),
                D(2025, 3, 3),
                S(SUPPLIER_KNOWN),
                S("冷轧钢板"),
                S("1.0mm"),
                S("GB2503-01"),
                N(1200.0),
                S("kg"),
                S("合格"),
                Blank,
            ],
            [
                N(2.0),
                S("2025/3/4"),
                S(SUPPLIER_KNOWN),
                S("冷轧钢板"),
                S("1.2mm"),
                S("GB2503-02"),
                S("1,500"),
                S("千克"),
                S("合 格"),
                S("夜班到货"),
            ],
            [
                N(3.0),
                D(2025, 3, 5),
                S(SUPPLIER_NEW),
                S("黄铜棒"),
                S("H59"),
                S("CX-0305"),
                N(300.0),
                S("kg"),
                S("合格"),
                Blank,
            ],
            [
                N(4.0),
                S("2025-02-30"),
                S(SUPPLIER_NEW),
                S("黄铜棒"),
                S("H62"),
                S("CX-0306"),
                N(200.0),
                S("kg"),
                S("不合格"),
                Blank,
            ],
            [
                N(5.0),
                S("2025.3.7"),
                S(SUPPLIER_KNOWN),
                S("镀锌板"),
                Blank,
                S("GB2503-07"),
                N(800.0),
                S("kg"),
                S("PASS"),
                Blank,
            ],
        ];
        for (i, r) in rows.iter().enumerate() {
            put(ws, 3 + i as u32, r)?;
        }
        Ok(())
    })
}

#[test]
fn a_messy_receipt_ledger_is_read_fixed_and_imported_end_to_end() {
    let e = env();
    e.supplier(SUPPLIER_KNOWN, None);
    let path = e.write("进货台账.xlsx", &messy_receipts());

    let file = e.app.import_open(&path).expect("opens");
    assert_eq!(file.format, "xlsx");
    assert_eq!(file.sheets.len(), 1);
    assert_eq!(
        file.sheets[0].guessed_kind,
        Some(ImportKind::Receipt),
        "进货台账 suggests receipts"
    );
    assert!(file.previous_runs.is_empty());
    assert_eq!(file.sha256.len(), 64);

    let preview = e
        .app
        .import_preview(&ImportPreviewInput {
            session_id: file.session_id,
            sheet: file.sheets[0].name.clone(),
            kind: ImportKind::Receipt,
        })
        .expect("preview");
    assert_eq!(
        preview.detected_header_row,
        Some(3),
        "the merged title and the note are passed over"
    );
    assert_eq!(preview.rows[0].row, 1);
    assert_eq!(preview.columns, 10);

    let report = e
        .app
        .import_read(
            &ImportReadInput {
                session_id: file.session_id,
                sheet: file.sheets[0].name.clone(),
                kind: ImportKind::Receipt,
                header_row: None,
                mapping: Vec::new(),
                create_missing: false,
            },
            &|_| {},
        )
        .expect("reads");
    assert_eq!(report.header_row, Some(3));
    assert_eq!(report.rows_total, 5);
    let counter = &report.columns[0];
    assert!(
        counter.row_counter && counter.field.is_none(),
        "序号 is shown as a row counter: {counter:?}"
    );
    assert_eq!(
        report
            .columns
            .iter()
            .find(|c| c.header == "数量（kg）")
            .and_then(|c| c.field.as_deref()),
        Some("quantity")
    );
    assert_eq!(
        report.rows_invalid, 2,
        "row 6 names an unknown supplier, row 7 too and has 2025-02-30"
    );
    assert_eq!(report.rows_new, 3);
    assert!(!report.can_commit_all);
    assert!(report.can_commit_valid);
    assert_eq!(report.unknown.len(), 1);
    assert_eq!(report.unknown[0].kind, ImportUnknownKind::Supplier);
    assert_eq!(report.unknown[0].name, SUPPLIER_NEW);
    assert_eq!(report.unknown[0].rows, 2);

    let problems = e.problems(&report);
    let unknown = problems
        .iter()
        .find(|p| p.code == "party.unknown" && p.row == Some(6))
        .expect("row 6: unknown supplier");
    assert_eq!(unknown.severity, ProblemSeverity::Error);
    assert_eq!(unknown.column.as_deref(), Some("C"));
    assert!(
        unknown.message_zh.starts_with("第 6 行 C 列（供应商）："),
        "{}",
        unknown.message_zh
    );
    assert!(unknown.message_zh.contains(SUPPLIER_NEW));
    let date = problems
        .iter()
        .find(|p| p.row == Some(7) && p.field.as_deref() == Some("received_on"))
        .expect("row 7: the impossible date");
    assert_eq!(date.column.as_deref(), Some("B"));
    assert_eq!(date.value.as_deref(), Some("2025-02-30"));

    // Fix row 7 in the grid: the date only.
    let row7 = e
        .app
        .import_rows(&ImportRowsQuery {
            session_id: report.session_id,
            filter: ImportRowFilter::Errors,
            offset: 0,
            limit: 10,
        })
        .unwrap()
        .rows
        .into_iter()
        .find(|r| r.row == 7)
        .expect("row 7 listed with errors");
    assert_eq!(
        row7.values
            .iter()
            .find(|v| v.field == "received_on")
            .map(|v| v.text.as_str()),
        Some("2025-02-30"),
        "a cell that could not be read shows what the file had"
    );
    let values: Vec<ImportValue> = row7
        .values
        .iter()
        .map(|v| ImportValue {
            field: v.field.clone(),
            text: if v.field == "received_on" {
                "2025-02-28".into()
            } else {
                v.text.clone()
            },
        })
        .collect();
    let fixed = e
        .app
        .import_fix_row(&crate::ImportFixInput {
            session_id: report.session_id,
            row: 7,
            values,
        })
        .expect("fix");
    assert!(fixed.row.edited);
    assert!(
        !fixed
            .row
            .problems
            .iter()
            .any(|p| p.code.starts_with("date.")),
        "the date is fixed: {:?}",
        fixed.row.problems
    );
    assert_eq!(fixed.report.rows_edited, 1);

    // Offer taken: create the unknown supplier on commit.
    let report = e
        .app
        .import_recheck(report.session_id, true, &|_| {})
        .expect("recheck");
    assert_eq!(report.rows_invalid, 0, "{:?}", e.problems(&report));
    assert!(report.can_commit_all);
    let warning = e
        .problems(&report)
        .into_iter()
        .find(|p| p.code == "party.unknown")
        .expect("still said, as a warning");
    assert_eq!(warning.severity, ProblemSeverity::Warning);

    let before_audit = e.count("SELECT count(*) FROM audit_log");
    let result = e.commit(&report, ImportMode::All);
    assert_eq!(result.rows_imported, 5);
    let run = result.run.expect("a run is recorded");
    assert!(run.can_undo);
    assert_eq!(run.mode, ImportMode::All);
    assert_eq!(run.sha256, file.sha256);
    assert_eq!(e.count("SELECT count(*) FROM receipt"), 5);
    assert_eq!(
        e.count(&format!(
            "SELECT count(*) FROM party WHERE name = '{SUPPLIER_NEW}' AND kind = 'supplier'"
        )),
        1
    );
    assert_eq!(
        e.count("SELECT count(*) FROM receipt WHERE received_on = '2025-02-28' AND supplier_lot = 'CX-0306'"),
        1,
        "the corrected value is what was imported"
    );
    assert_eq!(
        e.count("SELECT count(*) FROM receipt WHERE quantity = 1500 AND unit = '千克'"),
        1
    );
    // One audit entry for the run, one summary per table, none per row.
    let added = e.count("SELECT count(*) FROM audit_log") - before_audit;
    assert_eq!(
        e.count("SELECT count(*) FROM audit_log WHERE table_name = 'receipt' AND row_id <> 0"),
        0,
        "no per-row audit JSON for an import"
    );
    assert_eq!(
        e.count("SELECT count(*) FROM audit_log WHERE table_name = 'import_run'"),
        1
    );
    assert!(
        added <= 5,
        "run + party and receipt summaries + mapping, got {added}"
    );
    assert_eq!(
        e.count("SELECT count(*) FROM import_run_record"),
        6,
        "5 receipts and 1 party"
    );
}

#[test]
fn reimporting_the_same_file_creates_nothing_and_names_the_earlier_run() {
    let e = env();
    e.supplier(SUPPLIER_KNOWN, None);
    let path = e.write("a.xlsx", &messy_receipts());
    let first = e.read(&path, ImportKind::Receipt, true);
    let run = e
        .commit(&first, ImportMode::ValidOnly)
        .run
        .expect("first run");
    assert_eq!(run.rows_imported, 4);
    assert_eq!(run.rows_skipped, 1, "row 7's impossible date");

    let again = e.read(&path, ImportKind::Receipt, true);
    assert_eq!(again.previous_runs.len(), 1);
    assert_eq!(again.previous_runs[0].id, run.id);
    assert_eq!(again.rows_existing, 4);
    assert_eq!(again.rows_new, 0);
    assert!(
        e.problems(&again).iter().any(|p| p.code == "record.exists"),
        "the clerk is told why nothing is new"
    );
    let second = e.commit(&again, ImportMode::ValidOnly);
    assert_eq!(second.rows_imported, 0);
    assert!(second.run.is_none(), "nothing new, no run");
    assert_eq!(e.count("SELECT count(*) FROM receipt"), 4);
    assert_eq!(e.count("SELECT count(*) FROM party"), 2);
    assert_eq!(e.count("SELECT count(*) FROM import_run"), 1);
}

#[test]
fn the_same_rows_in_another_file_do_not_duplicate() {
    let e = env();
    e.supplier(SUPPLIER_KNOWN, None);
    let first = e.read(
        &e.write("a.xlsx", &messy_receipts()),
        ImportKind::Receipt,
        true,
    );
    e.commit(&first, ImportMode::ValidOnly);

    // Another layout, another format, other spellings: the same two receipts plus a new one.
    let csv = "供应商,原料名称,供应商批号,进货日期,数量,单位,检验结果\n\
               宁波钢材有限公司,冷轧钢板,GB2503-01,2025-03-03,1200,千克,合格\n\
               宁波钢材有限公司,冷轧钢板,GB2503-02,2025-03-04,1500,千克,合格\n\
               宁波钢材有限公司,冷轧钢板,GB2503-09,2025-03-09,100,千克,合格\n";
    let other = e.read(
        &e.write("b.csv", csv.as_bytes()),
        ImportKind::Receipt,
        false,
    );
    assert_eq!(other.rows_existing, 2);
    assert_eq!(other.rows_new, 1);
    let result = e.commit(&other, ImportMode::All);
    assert_eq!(result.rows_imported, 1);
    assert_eq!(result.rows_existing, 2);
    assert_eq!(
        e.count("SELECT count(*) FROM receipt WHERE supplier_lot LIKE 'GB2503-0%'"),
        4,
        "01, 02 and 07 from the first file, 09 from the second"
    );
}

#[test]
fn all_or_nothing_refuses_rows_with_errors_and_writes_nothing() {
    let e = env();
    e.supplier(SUPPLIER_KNOWN, None);
    let report = e.read(
        &e.write("a.xlsx", &messy_receipts()),
        ImportKind::Receipt,
        false,
    );
    let err = e
        .app
        .import_commit(
            &ImportCommitInput {
                session_id: report.session_id,
                mode: ImportMode::All,
                create_missing: false,
            },
            &|_| {},
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState);
    assert!(err.message_zh.contains("2 行有错误"), "{}", err.message_zh);
    assert_eq!(e.count("SELECT count(*) FROM receipt"), 0);
    assert_eq!(e.count("SELECT count(*) FROM import_run"), 0);

    // Valid-only: the three rows of the known supplier.
    let result = e.commit(&report, ImportMode::ValidOnly);
    assert_eq!(result.rows_imported, 3);
    assert_eq!(result.rows_skipped, 2);
    assert_eq!(e.count("SELECT count(*) FROM receipt"), 3);
    assert_eq!(
        e.count("SELECT count(*) FROM party"),
        1,
        "no supplier created without the option"
    );
}

#[test]
fn undo_reverts_the_run_once_and_is_refused_when_later_records_use_it() {
    let e = env();
    e.supplier(SUPPLIER_KNOWN, None);
    let report = e.read(
        &e.write("a.xlsx", &messy_receipts()),
        ImportKind::Receipt,
        true,
    );
    let run = e.commit(&report, ImportMode::ValidOnly).run.unwrap();
    assert_eq!(e.count("SELECT count(*) FROM receipt"), 4);

    let undone = e.app.import_undo(run.id, &|_| {}).expect("undo");
    assert_eq!(undone.run.status, crate::ImportRunStatus::Undone);
    assert!(!undone.run.can_undo);
    assert_eq!(e.count("SELECT count(*) FROM receipt"), 0);
    assert_eq!(
        e.count("SELECT count(*) FROM party"),
        1,
        "the auto-created supplier went too"
    );
    assert_eq!(
        e.count(
            "SELECT count(*) FROM audit_log WHERE table_name = 'receipt' AND action = 'delete'"
        ),
        4,
        "every deletion is audited"
    );
    let again = e.app.import_undo(run.id, &|_| {}).unwrap_err();
    assert_eq!(again.code, ErrorCode::InvalidState);

    // Import again, then a batch that consumes one of the lots: the receipts may no longer go.
    let report = e.read(
        &e.write("a2.xlsx", &messy_receipts()),
        ImportKind::Receipt,
        true,
    );
    let run = e.commit(&report, ImportMode::ValidOnly).run.unwrap();
    let batch = xlsx("生产", |ws| {
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
                S("消耗原料批号"),
                S("出厂检验结果"),
            ],
        )?;
        put(
            ws,
            1,
            &[
                S("电热水壶"),
                S("B250310"),
                D(2025, 3, 10),
                N(100.0),
                S("台"),
                S("GB2503-01×20"),
                S("合格"),
            ],
        )
    });
    let batches = e.read(&e.write("b.xlsx", &batch), ImportKind::Batch, true);
    assert_eq!(batches.rows_new, 1, "{:?}", e.problems(&batches));
    e.commit(&batches, ImportMode::All);
    let err = e.app.import_undo(run.id, &|_| {}).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState);
    assert!(err.message_zh.contains("GB2503-01"), "{}", err.message_zh);
    assert_eq!(
        e.count("SELECT count(*) FROM receipt"),
        4,
        "a refused undo deletes nothing"
    );
}

#[test]
fn unknown_material_lots_and_products_are_problems_a_batch_cannot_skip() {
    let e = env();
    let batch = xlsx("生产批次", |ws| {
        use V::*;
        put(
            ws,
            0,
            &[
                S("产品名称"),
                S("商品条码"),
                S("生产批号"),
                S("生产日期"),
                S("数量"),
                S("单位"),
                S("消耗原料批号"),
                S("出厂检验结果"),
            ],
        )?;
        put(
            ws,
            1,
            &[
                S("电热水壶"),
                Blank,
                S("B1"),
                D(2025, 3, 10),
                N(10.0),
                S("台"),
                S("NOPE-1"),
                S("合格"),
            ],
        )
    });
    let report = e.read(&e.write("b.xlsx", &batch), ImportKind::Batch, true);
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

fn items(rows: u32, gtin: &'static str) -> Vec<u8> {
    xlsx("一物一码", |ws| {
        use V::*;
        put(
            ws,
            0,
            &[S("商品条码"), S("生产批号"), S("序列号"), S("生产日期")],
        )?;
        for i in 1..=rows {
            ws.write_string(i, 0, gtin)?;
            ws.write_string(i, 1, if i <= rows / 2 { "L1" } else { "L2" })?;
            ws.write_string(i, 2, format!("{i:08}"))?;
            put(ws, i, &[Blank, Blank, Blank, D(2025, 3, 1)])?;
        }
        Ok(())
    })
}

/// `rows` items of one GTIN and one lot.
fn items_of_lot(rows: u32, gtin: &'static str, lot: &'static str) -> Vec<u8> {
    xlsx("一物一码", |ws| {
        use V::*;
        put(
            ws,
            0,
            &[S("商品条码"), S("生产批号"), S("序列号"), S("生产日期")],
        )?;
        for i in 1..=rows {
            put(ws, i, &[S(gtin), S(lot), Blank, D(2025, 3, 1)])?;
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
    let product = e.product("电热水壶", Some("09520123456788"));
    let report = e.read(
        &e.write("items.xlsx", &items(40, "9520123456788")),
        ImportKind::Item,
        true,
    );
    assert_eq!(report.rows_new, 40);
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
    e.product("电热水壶", Some("09520123456788"));
    let report = e.read(
        &e.write("items.xlsx", &items(40, "9520123456788")),
        ImportKind::Item,
        true,
    );
    assert_eq!(report.rows_new, 40);
    e.app
        .db()
        .conn()
        .execute("UPDATE product SET gtin = '09520123456795'", [])
        .expect("GTIN changed by someone else");
    let err = e
        .app
        .import_commit(
            &ImportCommitInput {
                session_id: report.session_id,
                mode: ImportMode::All,
                create_missing: true,
            },
            &|_| {},
        )
        .unwrap_err();
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
    use super::plan::Stamp;
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
    let carried = e.read(
        &e.write("a.xlsx", &items_of_lot(3, "9520123456788", "L 1")),
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
    assert!(
        lot.message_en.contains("at position 2"),
        "{}",
        lot.message_en
    );
    assert_eq!(
        problems.iter().filter(|p| p.code == "gs1.cset82").count(),
        3,
        "every row of the lot"
    );
    let warned = e.read(
        &e.write("b.xlsx", &items_of_lot(3, "9520123456795", "L 1")),
        ImportKind::Item,
        true,
    );
    assert_eq!(warned.rows_new, 3);
    assert!(
        e.problems(&warned)
            .iter()
            .any(|p| p.code == "gs1.cset82" && p.severity == ProblemSeverity::Warning)
    );
    let long = e.read(
        &e.write(
            "c.xlsx",
            &items_of_lot(1, "9520123456788", "L2025030100000000001X"),
        ),
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
    let report = e.read(&e.write("d.xlsx", &batches), ImportKind::Batch, true);
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
        let defaults = super::plan::Defaults {
            scheme: "gs1".into(),
            granularity: "item".into(),
            today: crate::entries::today(),
        };
        let mut planner = super::plan::Planner::new(db.conn(), true, defaults).expect("planner");
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
    let report = e.read(
        &e.write("items.xlsx", &items(4, "9520123456788")),
        ImportKind::Item,
        true,
    );
    assert_eq!(report.rows_invalid, 4);
    assert_eq!(report.unknown.len(), 1);
    assert!(!report.unknown[0].creatable, "a product needs a name");
}

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
                    },
                    &[],
                )?;
            }
            Ok(())
        })
        .unwrap();
    }
    let sheet = xlsx("销售出库", |ws| {
        use V::*;
        put(
            ws,
            0,
            &[
                S("发货日期"),
                S("客户"),
                S("出库单号"),
                S("产品名称"),
                S("生产批号"),
                S("数量"),
                S("单位"),
            ],
        )?;
        put(
            ws,
            1,
            &[
                D(2025, 3, 20),
                S("杭州家电商城"),
                S("CK-001"),
                S("电热水壶"),
                S("B1"),
                N(10.0),
                S("台"),
            ],
        )?;
        put(
            ws,
            2,
            &[
                D(2025, 3, 20),
                S("杭州家电商城"),
                S("CK-001"),
                S("电热水壶"),
                S("B2"),
                N(5.0),
                S("台"),
            ],
        )?;
        put(
            ws,
            3,
            &[
                D(2025, 3, 21),
                S("杭州家电商城"),
                S("CK-002"),
                S("电热水壶"),
                S("B9"),
                N(5.0),
                S("台"),
            ],
        )
    });
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

    let next = e.read(
        &e.write("b.xlsx", &sheet("L-2")),
        ImportKind::Receipt,
        false,
    );
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
    let report = e.read(
        &e.write("a.xlsx", &messy_receipts()),
        ImportKind::Receipt,
        true,
    );
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
    let report = e.read(
        &e.write("a.xlsx", &messy_receipts()),
        ImportKind::Receipt,
        false,
    );
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

#[test]
fn hostile_files_are_refused_as_unreadable_with_the_reason() {
    let e = env();
    let cases: [(&str, &[u8], &str); 3] = [
        (
            "image.xlsx",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
            "file.not-a-spreadsheet",
        ),
        ("empty.xlsx", b"", "file.empty"),
        ("cut.xlsx", &messy_receipts()[..600], "file.truncated"),
    ];
    for (name, bytes, reason) in cases {
        let err = e.app.import_open(&e.write(name, bytes)).unwrap_err();
        assert_eq!(err.code, ErrorCode::UnreadableFile, "{name}");
        assert_eq!(err.exit_code(), 2);
        assert_eq!(
            err.field.as_deref(),
            Some(reason),
            "{name}: {}",
            err.message_zh
        );
    }
    let missing = e.app.import_open(&e.path("nope.xlsx")).unwrap_err();
    assert_eq!(missing.code, ErrorCode::UnreadableFile);
}

#[test]
fn import_file_runs_every_step_and_reports_blocking_errors() {
    let e = env();
    e.supplier(SUPPLIER_KNOWN, None);
    let path = e.write("a.xlsx", &messy_receipts());
    let options = |dry_run, mode, create_missing| ImportFileOptions {
        kind: ImportKind::Receipt,
        sheet: None,
        header_row: None,
        dry_run,
        mode,
        create_missing,
    };
    let blocked = e
        .app
        .import_file(&path, &options(false, ImportMode::All, false), &|_| {})
        .unwrap();
    assert!(blocked.blocked);
    assert_eq!(blocked.rows_imported, 0);
    assert!(blocked.problems.iter().any(|p| p.code == "party.unknown"));
    let dry = e
        .app
        .import_file(&path, &options(true, ImportMode::ValidOnly, false), &|_| {})
        .unwrap();
    assert!(!dry.blocked);
    assert_eq!(dry.rows_imported, 3);
    assert_eq!(
        e.count("SELECT count(*) FROM receipt"),
        0,
        "a dry run writes nothing"
    );
    let done = e
        .app
        .import_file(&path, &options(false, ImportMode::ValidOnly, true), &|_| {})
        .unwrap();
    assert_eq!(done.rows_imported, 4);
    assert!(done.run.is_some());
    assert_eq!(e.app.import_runs(10).unwrap().len(), 1);
}

fn soffice() -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| Path::new(d).join("soffice"))
        .find(|p| p.is_file())
}

#[test]
fn the_ledger_saved_as_xls_and_ods_by_libreoffice_imports_the_same() {
    let Some(soffice) = soffice() else {
        eprintln!(
            "soffice is not on PATH: the xls/ods import test is skipped (apt-get install libreoffice-calc-nogui)"
        );
        return;
    };
    for ext in ["xls", "ods"] {
        let e = env();
        e.supplier(SUPPLIER_KNOWN, None);
        let input = e.write("ledger.xlsx", &messy_receipts());
        let profile = format!(
            "-env:UserInstallation=file://{}",
            e.path("lo-profile").display()
        );
        let status = std::process::Command::new(&soffice)
            .args([
                profile.as_str(),
                "--headless",
                "--convert-to",
                ext,
                "--outdir",
            ])
            .arg(e.dir.path())
            .arg(&input)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .expect("soffice runs");
        assert!(status.success(), "soffice converts to {ext}");
        let report = e.read(&e.path(&format!("ledger.{ext}")), ImportKind::Receipt, true);
        assert_eq!(report.header_row, Some(3), "{ext}");
        assert_eq!(
            (report.rows_total, report.rows_new, report.rows_invalid),
            (5, 4, 1),
            "{ext}"
        );
        assert_eq!(
            e.commit(&report, ImportMode::ValidOnly).rows_imported,
            4,
            "{ext}"
        );
    }
}

#[test]
fn rows_filter_and_page() {
    let e = env();
    e.supplier(SUPPLIER_KNOWN, None);
    let report = e.read(
        &e.write("a.xlsx", &messy_receipts()),
        ImportKind::Receipt,
        false,
    );
    let page = |filter, offset, limit| {
        e.app
            .import_rows(&ImportRowsQuery {
                session_id: report.session_id,
                filter,
                offset,
                limit,
            })
            .unwrap()
    };
    assert_eq!(page(ImportRowFilter::All, 0, 100).total, 5);
    assert_eq!(page(ImportRowFilter::Errors, 0, 100).total, 2);
    let second = page(ImportRowFilter::All, 2, 2);
    assert_eq!(
        second.rows.iter().map(|r| r.row).collect::<Vec<_>>(),
        vec![6, 7]
    );
    assert_eq!(second.rows[0].status, ImportRowStatus::Invalid);
}

#[test]
fn a_row_problem_names_its_row_column_and_header() {
    use super::plan::{ProblemText, RowProblem};
    let problem = |field| RowProblem {
        field,
        severity: ProblemSeverity::Warning,
        code: "batch.unknown".into(),
        text: std::sync::Arc::new(std::sync::OnceLock::from(ProblemText {
            zh: "生产批次 L1 尚未登记".into(),
            en: "batch L1 is not recorded yet".into(),
            value: Some("L1".into()),
        })),
    };
    let mut mapping = sheets::Mapping {
        kind: sheets::RecordKind::Item,
        header_row: 1,
        signature: String::new(),
        columns: vec![sheets::ColumnMapping {
            column_letter: "B".into(),
            header_text: "生产批号".into(),
            field: Some(sheets::FieldKey::LotNo),
            confidence: sheets::Confidence::Exact,
        }],
    };
    let p = problem(Some(sheets::FieldKey::LotNo)).render(7, Some(&mapping));
    assert_eq!(
        p.message_zh,
        "第 7 行 B 列（生产批号）：生产批次 L1 尚未登记"
    );
    assert_eq!(
        p.message_en,
        "row 7, column B (生产批号): batch L1 is not recorded yet"
    );
    assert_eq!(
        (
            p.column.as_deref(),
            p.header.as_deref(),
            p.field.as_deref(),
            p.value.as_deref()
        ),
        (Some("B"), Some("生产批号"), Some("lot_no"), Some("L1"))
    );
    mapping.columns[0].header_text = String::new();
    let p = problem(Some(sheets::FieldKey::LotNo)).render(7, Some(&mapping));
    assert_eq!(p.message_zh, "第 7 行 B 列：生产批次 L1 尚未登记");
    assert_eq!(
        p.message_en,
        "row 7, column B: batch L1 is not recorded yet"
    );
    let p = problem(None).render(12, Some(&mapping));
    assert_eq!(p.message_zh, "第 12 行：生产批次 L1 尚未登记");
    assert_eq!(p.message_en, "row 12: batch L1 is not recorded yet");
    assert_eq!(p.column, None);
}
