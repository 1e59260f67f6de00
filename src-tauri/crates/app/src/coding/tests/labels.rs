//! Code checks, previews that reserve nothing, and labels that carry the code as a scanner
//! reads it.

use super::*;
use crate::labels::find_cjk_font;

#[test]
fn code_check_reports_each_problem_with_ai_and_position() {
    let check = check_code("(01)09520123456788(10)ABC123");
    assert!(check.valid);
    assert_eq!(check.scheme, "gs1-element-string");
    assert_eq!(check.fields["10"], "ABC123");
    let check = check_code("(01)09520123456789(10)ABC123");
    assert!(!check.valid);
    let problem = &check.problems[0];
    assert_eq!(problem.ai.as_deref(), Some("01"));
    assert!(problem.position.is_some());
    assert_eq!(problem.severity, ProblemSeverity::Error);
    assert_contains(&problem.message_zh, "校验");
}

#[test]
fn preview_shows_the_next_serials_without_reserving_them() {
    let (dir, app, p, b) = item_app();
    let preview = app.preview_codes(p, Some(b), 3).unwrap();
    assert_eq!(preview.codes[0].serial.as_deref(), Some("00000001"));
    assert_eq!(
        preview.codes[0].hri.lines().count(),
        3,
        "{}",
        preview.codes[0].hri
    );
    generate(&app, &input(p, Some(b), 2, &dir.path().join("a.csv")));
    let preview = app.preview_codes(p, Some(b), 1).unwrap();
    assert_eq!(preview.codes[0].serial.as_deref(), Some("00000003"));
}

#[test]
fn label_preview_and_sheet_carry_the_code_as_a_scanner_reads_it() {
    let (dir, app, p, b) = item_app();
    let list = dir.path().join("codes.csv");
    let summary = generate(&app, &input(p, Some(b), 30, &list));
    let code = summary.first_code.unwrap();
    let preview = app
        .label_preview(&LabelPreviewInput {
            code: code.clone(),
            symbology: LabelSymbology::Datamatrix,
        })
        .unwrap();
    assert!(preview.svg.starts_with("<svg") || preview.svg.starts_with("<?xml"));
    assert_eq!(
        preview.scanned_as,
        format!("]d2010690123456789210{LOT}<GS>2100000001")
    );
    assert_eq!(preview.title, "家用燃气灶");
    assert!(preview.subtitle.contains(LOT));
    let err = app
        .label_preview(&LabelPreviewInput {
            code: code.clone(),
            symbology: LabelSymbology::Ean13,
        })
        .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("symbology"));

    if find_cjk_font(None).is_err() {
        eprintln!("no CJK font on this machine: the PDF part is skipped");
        return;
    }
    for (source, name) in [
        (
            LabelSheetInput {
                allocation_id: summary.allocation_id,
                input_path: None,
                codes: Vec::new(),
                symbology: LabelSymbology::Qr,
                label_width_mm: 50.0,
                label_height_mm: 30.0,
                cols: 3,
                rows: 8,
                margin_mm: 10.0,
                path: String::new(),
                font_path: None,
            },
            "range.pdf",
        ),
        (
            LabelSheetInput {
                allocation_id: None,
                input_path: Some(list.display().to_string()),
                codes: Vec::new(),
                symbology: LabelSymbology::Gs1_128,
                label_width_mm: 90.0,
                label_height_mm: 40.0,
                cols: 2,
                rows: 6,
                margin_mm: 10.0,
                path: String::new(),
                font_path: None,
            },
            "list.pdf",
        ),
    ] {
        let path = dir.path().join(name);
        let result = app
            .label_sheet(&LabelSheetInput {
                path: path.display().to_string(),
                ..source
            })
            .unwrap();
        assert_eq!(result.labels, 30);
        assert_eq!(result.pages, if name == "range.pdf" { 2 } else { 3 });
        assert!(std::fs::read(&path).unwrap().starts_with(b"%PDF"));
    }
}
