//! A messy receipt ledger read, fixed and imported; re-imports of it and of the same rows in
//! another file; all-or-nothing and valid-only commits; undo.

use super::*;

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
    let first = e.read_new("a.xlsx", &messy_receipts(), ImportKind::Receipt, true);
    e.commit(&first, ImportMode::ValidOnly);

    // Another layout, another format, other spellings: the same two receipts plus a new one.
    let csv = "供应商,原料名称,供应商批号,进货日期,数量,单位,检验结果\n\
               宁波钢材有限公司,冷轧钢板,GB2503-01,2025-03-03,1200,千克,合格\n\
               宁波钢材有限公司,冷轧钢板,GB2503-02,2025-03-04,1500,千克,合格\n\
               宁波钢材有限公司,冷轧钢板,GB2503-09,2025-03-09,100,千克,合格\n";
    let other = e.read_new("b.csv", csv.as_bytes(), ImportKind::Receipt, false);
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
    let report = e.read_new("a.xlsx", &messy_receipts(), ImportKind::Receipt, false);
    let err = e.try_commit(&report, ImportMode::All).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState);
    assert_contains(&err.message_zh, "2 行有错误");
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
    let report = e.read_new("a.xlsx", &messy_receipts(), ImportKind::Receipt, true);
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
    let report = e.read_new("a2.xlsx", &messy_receipts(), ImportKind::Receipt, true);
    let run = e.commit(&report, ImportMode::ValidOnly).run.unwrap();
    let consuming = [
        V::S("电热水壶"),
        V::S("B250310"),
        V::D(2025, 3, 10),
        V::N(100.0),
        V::S("台"),
        V::S("GB2503-01×20"),
        V::S("合格"),
    ];
    let batch = table("生产", &[&BATCH_HEADER, &consuming]);
    let batches = e.read_new("b.xlsx", &batch, ImportKind::Batch, true);
    assert_eq!(batches.rows_new, 1, "{:?}", e.problems(&batches));
    e.commit(&batches, ImportMode::All);
    let err = e.app.import_undo(run.id, &|_| {}).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState);
    assert_contains(&err.message_zh, "GB2503-01");
    assert_eq!(
        e.count("SELECT count(*) FROM receipt"),
        4,
        "a refused undo deletes nothing"
    );
}

/// 供方追溯码 (several codes in one cell, by `;` and line breaks) and 部件CCC证书编号 columns,
/// in a real workbook: stored with their kinds; a wrong GS1 check digit is a located error, an
/// unknown CCC product code a warning.
#[test]
fn supplier_codes_and_the_component_ccc_are_imported_from_their_columns() {
    let e = env();
    e.supplier(SUPPLIER_KNOWN, None);
    let header = [
        V::S("进货日期"),
        V::S("供应商"),
        V::S("原料名称"),
        V::S("供应商批号"),
        V::S("数量"),
        V::S("单位"),
        V::S("检验结果"),
        V::S("供方追溯码"),
        V::S("部件CCC证书编号"),
    ];
    let row = |lot: &'static str, codes: &'static str, ccc: &'static str| {
        [
            V::D(2025, 3, 2),
            V::S(SUPPLIER_KNOWN),
            V::S("燃气阀"),
            V::S(lot),
            V::N(500.0),
            V::S("个"),
            V::S("合格"),
            V::S(codes),
            V::S(ccc),
        ]
    };
    let good = row(
        "V1",
        "(01)06901234567892(10)V1; https://www.iotroot.com/E=10064123456789012345\nHGZ-2025-0001",
        "2016019999123456",
    );
    let bad = row("V2", "(01)06901234567893(10)V2", "");
    let plain = row("V3", "", "");
    let report = e.read_new(
        "进货台账.xlsx",
        &table("进货", &[&header, &good, &bad, &plain]),
        ImportKind::Receipt,
        false,
    );
    let problems: Vec<String> = e
        .problems(&report)
        .into_iter()
        .filter(|p| matches!(p.field.as_deref(), Some("supplier_codes" | "component_ccc")))
        .map(|p| {
            format!(
                "row {} {} {:?} {}",
                p.row.unwrap_or(0),
                p.code,
                p.severity,
                p.header.unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        problems,
        [
            "row 2 digital-id.assumed Warning 供方追溯码",
            "row 2 ccc.unknown-category Warning 部件CCC证书编号",
            "row 3 gs1.check-digit Error 供方追溯码",
        ]
    );
    e.commit(&report, ImportMode::ValidOnly);
    let db = e.app.db();
    let conn = db.conn();
    let stored: Vec<(String, String)> = conn
        .prepare(
            "SELECT c.code, c.kind FROM receipt_code c JOIN receipt r ON r.id = c.receipt_id
             WHERE r.supplier_lot = 'V1' ORDER BY c.seq",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        stored,
        [
            (
                "(01)06901234567892(10)V1".to_string(),
                "gs1-element-string".to_string()
            ),
            (
                "https://www.iotroot.com/E=10064123456789012345".to_string(),
                "ecode".to_string()
            ),
            ("HGZ-2025-0001".to_string(), "digital-id".to_string()),
        ]
    );
    let ccc: Option<String> = conn
        .query_row(
            "SELECT component_ccc FROM receipt WHERE supplier_lot = 'V1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(ccc.as_deref(), Some("2016019999123456"));
    drop(db);
    assert_eq!(
        e.count("SELECT count(*) FROM receipt WHERE supplier_lot = 'V2'"),
        0,
        "the row with the malformed GS1 code is not imported"
    );
    assert_eq!(
        e.count("SELECT count(*) FROM receipt WHERE supplier_lot = 'V3'"),
        1
    );
}
