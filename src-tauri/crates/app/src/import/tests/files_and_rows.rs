//! Hostile files, `import_file` in one call, the same ledger as xls and ods when LibreOffice is
//! installed, and the rows of a session filtered, paged and named.

use super::*;

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
    let report = e.read_new("a.xlsx", &messy_receipts(), ImportKind::Receipt, false);
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
    use crate::import::plan::{ProblemText, RowProblem};
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
