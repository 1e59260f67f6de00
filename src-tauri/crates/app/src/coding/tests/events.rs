//! Void and reprint, logged with reason and user; imported code lists (Ecode, 数字身份码).

use super::*;

#[test]
fn void_and_reprint_are_logged_with_reason_and_user() {
    let (dir, app, p, b) = item_app();
    let path = dir.path().join("codes.csv");
    set_coding(&app, p, |c| c.code_form = CodeForm::DigitalLink).unwrap();
    generate(&app, &input(p, Some(b), 10, &path));
    let codes = read_list(&path);

    // Scanned from the label: ]Q1 + the Digital Link URI.
    let reprint = app
        .reprint_code(&CodeEventInput {
            code: codes[2].clone(),
            reason: "标签破损".into(),
        })
        .unwrap();
    assert_eq!(reprint.kind, CodeEventKind::Reprint);
    assert_eq!(reprint.actor, "wang.li");
    assert_eq!(reprint.lot_no.as_deref(), Some(LOT));

    let scanned = format!("]d2010690123456789210{LOT}\u{1d}2100000004");
    let void = app
        .void_code(&CodeEventInput {
            code: scanned.clone(),
            reason: "标签印坏".into(),
        })
        .unwrap();
    assert_eq!(void.kind, CodeEventKind::Void);
    let item = store::items::get(app.db().conn(), void.item_id.unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(
        (item.serial.as_str(), item.status.as_str()),
        ("00000004", "void")
    );

    for (code, kind) in [(codes[3].clone(), "void"), (scanned, "reprint")] {
        let input = CodeEventInput {
            code,
            reason: "再试".into(),
        };
        let err = if kind == "void" {
            app.void_code(&input)
        } else {
            app.reprint_code(&input)
        }
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidState, "{kind}: {err}");
        assert!(
            err.message_zh.contains("标签印坏"),
            "names the first reason: {}",
            err.message_zh
        );
    }
    let err = app
        .void_code(&CodeEventInput {
            code: codes[5].clone(),
            reason: "  ".into(),
        })
        .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("reason"));
    let err = app
        .void_code(&CodeEventInput {
            code: format!("(01){GTIN}(21)00000011"),
            reason: "x".into(),
        })
        .unwrap_err();
    assert_eq!(
        err.code,
        ErrorCode::NotFound,
        "serial 11 was never issued: {err}"
    );
    let err = app
        .void_code(&CodeEventInput {
            code: format!("(01){GTIN}(10)OTHER(21)00000001"),
            reason: "x".into(),
        })
        .unwrap_err();
    assert_contains(&err.message_zh, "不符");

    let events = app.code_events(Some(p), 10).unwrap();
    assert_eq!(events.len(), 2);
    let audited: i64 = app
        .db()
        .conn()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE table_name = 'code_event' AND actor = 'wang.li'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 2);
}

#[test]
fn ecode_lists_are_imported_all_or_nothing_and_exported_as_issued() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    let p = product(&app, "电动自行车", "", CodeScheme::Ecode, Granularity::Item);
    let b = batch(&app, p, "EB-0715").id;
    let list = dir.path().join("ecodes.csv");
    let good: Vec<String> = (1..=5).map(|n| format!("10064{:020}", 5_000 + n)).collect();
    let mut text = String::from("Ecode\n");
    for code in &good {
        text.push_str(code);
        text.push('\n');
    }
    std::fs::write(&list, format!("{text}{}\nbad!code\n", good[0])).unwrap();
    let import = ImportCodesInput {
        product_id: p,
        batch_id: Some(b),
        path: list.display().to_string(),
    };
    let report = app.import_issued_codes(&import).unwrap();
    assert_eq!(
        report.imported, 0,
        "nothing is imported from a list with errors"
    );
    let lines: Vec<u32> = report.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [7, 8], "{:?}", report.problems);

    std::fs::write(&list, text).unwrap();
    let report = app.import_issued_codes(&import).unwrap();
    assert_eq!(report.imported, 5, "{:?}", report.problems);
    let again = app.import_issued_codes(&import).unwrap();
    assert_eq!(
        again.imported, 0,
        "a second import of the same codes is refused"
    );

    let out = dir.path().join("out.csv");
    generate(&app, &input(p, Some(b), 5, &out));
    assert_eq!(read_list(&out), good);
    let err = app
        .generate_codes(&input(p, Some(b), 6, &out), &mut |_| {})
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState, "only 5 were imported");

    app.void_code(&CodeEventInput {
        code: good[0].clone(),
        reason: "贴错产品".into(),
    })
    .unwrap();
    let preview = app.preview_codes(p, Some(b), 10).unwrap();
    assert_eq!(preview.available, Some(4));
}
