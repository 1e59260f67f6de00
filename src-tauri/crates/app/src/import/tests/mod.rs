//! Import end to end, on files the tests write: a messy receipt ledger (merged title, a note
//! row, 序号, an unknown supplier, an impossible date, grouped numbers), re-imports, another file
//! with the same rows, all-or-nothing and valid-only commits, undo, items and shipments, the
//! problem report, hostile files, and the same sheet as xls and ods when LibreOffice is installed.

mod batches_and_items;
mod files_and_rows;
mod paperwork;
mod parties_of_every_kind;
mod receipts;
mod shipments_and_mappings;

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook as XlsxWorkbook, Worksheet, XlsxError};

use crate::testkit::assert_contains;
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

    /// Writes `bytes` as the file `name` and reads it as [`Env::read`] does.
    fn read_new(
        &self,
        name: &str,
        bytes: &[u8],
        kind: ImportKind,
        create_missing: bool,
    ) -> ImportReport {
        self.read(&self.write(name, bytes), kind, create_missing)
    }

    /// Commits the session of `report` in `mode`, with the report's "create missing".
    fn try_commit(
        &self,
        report: &ImportReport,
        mode: ImportMode,
    ) -> crate::Result<crate::ImportCommitResult> {
        self.app.import_commit(
            &ImportCommitInput {
                session_id: report.session_id,
                mode,
                create_missing: report.create_missing,
            },
            &|_| {},
        )
    }

    fn commit(&self, report: &ImportReport, mode: ImportMode) -> crate::ImportCommitResult {
        self.try_commit(report, mode).expect("commit succeeds")
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

/// A sheet named `sheet` holding `rows` from its first row down.
fn table(sheet: &str, rows: &[&[V]]) -> Vec<u8> {
    xlsx(sheet, |ws| {
        for (r, values) in (0..).zip(rows) {
            put(ws, r, values)?;
        }
        Ok(())
    })
}

/// The columns of a production (batch) sheet, as the production form heads them.
const BATCH_HEADER: [V; 7] = [
    V::S("产品名称"),
    V::S("生产批号"),
    V::S("生产日期"),
    V::S("数量"),
    V::S("单位"),
    V::S("消耗原料批号"),
    V::S("出厂检验结果"),
];

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
