//! `tracedesk attachment` of the real binary, on real files: a program renamed `.pdf` is refused
//! with nothing attached, a real PDF is attached, and the size limit is a setting.

mod common;

use common::{add_product, assert_exit, json, ok, temp_db, tracedesk};

#[test]
fn attachment_add_refuses_a_disguised_program_and_attaches_nothing_then_attaches_a_real_pdf() {
    let (dir, db) = temp_db();
    let product = ok(&add_product(&db, "家用燃气灶", "JZT-2Q1", &[]));
    let id = product["id"].as_i64().unwrap().to_string();

    let report = dir.path().join("检验报告.pdf");
    std::fs::write(&report, b"%PDF-1.4\n%%EOF\n").unwrap();
    let program = dir.path().join("合格证.pdf");
    // The start of a real program (the whole one is over the size limit).
    let exe = std::fs::read(env!("CARGO_BIN_EXE_tracedesk")).unwrap();
    std::fs::write(&program, &exe[..64 * 1024]).unwrap();

    let args = |files: &[&std::path::Path]| {
        let mut a = vec!["--json", "attachment", "add", "product", id.as_str()];
        a.extend(files.iter().map(|f| f.to_str().unwrap()));
        a.extend(["--purpose", "inspection-report"]);
        a.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let run = |files: &[&std::path::Path]| {
        let a = args(files);
        tracedesk(&db, &a.iter().map(String::as_str).collect::<Vec<_>>())
    };

    let out = run(&[&report, &program]);
    assert_eq!(out.status.code(), Some(2), "refused input");
    let e = &json(&out)["error"];
    assert_eq!(e["field"], "attachments");
    let zh = e["messageZh"].as_str().unwrap();
    assert!(
        zh.contains("附件 合格证.pdf 名为 .pdf，内容却是可执行程序"),
        "{zh}"
    );
    assert!(zh.contains("本次选择的附件均未添加"), "{zh}");

    let out = run(&[&report]);
    assert_exit(&out, 0);
    let list = json(&out);
    assert_eq!(list.as_array().unwrap().len(), 1, "only the PDF: {list}");
    assert_eq!(list[0]["fileName"], "检验报告.pdf");
    assert_eq!(list[0]["mediaType"], "application/pdf");

    let limit = json(&tracedesk(&db, &["--json", "attachment", "limit"]));
    assert_eq!(limit["maxMb"], 20);
    let limit = json(&tracedesk(&db, &["--json", "attachment", "limit", "30"]));
    assert_eq!(limit["maxMb"], 30);
    let out = tracedesk(&db, &["attachment", "limit", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("超出允许范围"));
}
