//! `tracedesk code …` and `tracedesk label` as real processes: table-driven checks with the GS1
//! vectors of domain.md §A.8–A.10, and the generate → void → label flow on a real database.

mod common;

use serde_json::json;

use common::{add_product, db_in, generate_codes, gs1_item_product, json, ok, temp_db, tracedesk};

/// One `code check --json` case: the text, whether it is valid, its scheme, fields that must be
/// there, and for invalid codes the AI of the first problem.
struct Case {
    text: &'static str,
    valid: bool,
    scheme: &'static str,
    fields: &'static [(&'static str, &'static str)],
    problem_ai: Option<&'static str>,
}

const CASES: &[Case] = &[
    Case {
        text: "(01)09520123456788(10)ABC123",
        valid: true,
        scheme: "gs1-element-string",
        fields: &[("01", "09520123456788"), ("10", "ABC123")],
        problem_ai: None,
    },
    Case {
        // A bad check digit: 8 is right.
        text: "(01)09520123456789(10)ABC123",
        valid: false,
        scheme: "gs1-element-string",
        fields: &[],
        problem_ai: Some("01"),
    },
    Case {
        text: "(01)06901234567892(10)B20250715-01(11)250715",
        valid: true,
        scheme: "gs1-element-string",
        fields: &[("11", "250715")],
        problem_ai: None,
    },
    Case {
        text: "(01)06901234567892(11)250732",
        valid: false,
        scheme: "gs1-element-string",
        fields: &[],
        problem_ai: Some("11"),
    },
    Case {
        text: "(01)06901234567892(21)SN 0001",
        valid: false,
        scheme: "gs1-element-string",
        fields: &[],
        problem_ai: Some("21"),
    },
    Case {
        text: "https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426",
        valid: true,
        scheme: "gs1-digital-link",
        fields: &[("01", "09520123456788"), ("21", "12345"), ("17", "180426")],
        problem_ai: None,
    },
    Case {
        text: "https://example.com/01/09520123456788?10=ABC123",
        valid: false,
        scheme: "gs1-digital-link",
        fields: &[],
        problem_ai: None,
    },
    Case {
        // As a USB scanner sends a GS1 DataMatrix: ]d2, then GS after the variable-length (10).
        text: "]d2010952012345678810ABC123\u{1d}2112345",
        valid: true,
        scheme: "gs1-element-string",
        fields: &[("symbology", "]d2"), ("10", "ABC123"), ("21", "12345")],
        problem_ai: None,
    },
    Case {
        text: "6901234567892",
        valid: true,
        scheme: "gtin",
        fields: &[("01", "06901234567892")],
        problem_ai: None,
    },
];

#[test]
fn code_check_json_reports_scheme_fields_and_every_problem() {
    let (_dir, db) = temp_db();
    for case in CASES {
        let out = tracedesk(&db, &["code", "check", case.text, "--json"]);
        let body = json(&out);
        let expected_exit = if case.valid { 0 } else { 1 };
        assert_eq!(
            out.status.code(),
            Some(expected_exit),
            "{}: {body}",
            case.text
        );
        assert_eq!(body["valid"], json!(case.valid), "{}", case.text);
        assert_eq!(body["scheme"], json!(case.scheme), "{}", case.text);
        // Exactly the documented shape.
        let mut keys: Vec<&str> = body
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.retain(|k| !["alternative", "suggestion"].contains(k));
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["fields", "problems", "scheme", "valid"],
            "{}",
            case.text
        );
        for (key, value) in case.fields {
            assert_eq!(
                body["fields"][key],
                json!(value),
                "{}: field {key}",
                case.text
            );
        }
        let problems = body["problems"].as_array().unwrap();
        for p in problems {
            let o = p.as_object().unwrap();
            assert!(
                o.keys()
                    .all(|k| ["ai", "position", "message"].contains(&k.as_str())),
                "{}: problem keys {p}",
                case.text
            );
            let message = o["message"].as_str().unwrap();
            assert!(
                message.contains('（') && message.ends_with('）'),
                "one bilingual string, 中文（English）: {message}"
            );
        }
        if case.valid {
            assert!(
                problems
                    .iter()
                    .all(|p| !p["message"].as_str().unwrap().is_empty()),
                "{}",
                case.text
            );
        } else {
            assert!(
                !problems.is_empty(),
                "{}: an invalid code names a problem",
                case.text
            );
            if let Some(ai) = case.problem_ai {
                assert_eq!(problems[0]["ai"], json!(ai), "{}: {body}", case.text);
                assert!(problems[0]["position"].is_u64(), "{}: {body}", case.text);
            }
        }
    }
    assert!(!db.exists(), "checking a code needs no database");
}

/// The kinds detection had to choose between, and the certain fix of a short-GTIN Digital Link
/// (`codes` tests hold the full tables).
#[test]
fn code_check_names_the_alternative_kind_and_the_suggested_fix() {
    let (_dir, db) = temp_db();
    /// (text, exit, scheme, alternative, suggestion)
    type Case<'a> = (&'a str, i32, &'a str, Option<&'a str>, Option<&'a str>);
    let table: &[Case] = &[
        (
            "https://example.com/01/6901234567892",
            1,
            "gs1-digital-link",
            None,
            Some("https://example.com/01/06901234567892"),
        ),
        (
            "https://www.iotroot.com/E=10064123456789012345",
            0,
            "ecode",
            None,
            None,
        ),
        ("1006412345677", 0, "ecode", Some("gtin"), None),
        ("1006412345678", 0, "ecode", None, None),
        ("19520123456785", 0, "gtin", Some("ecode"), None),
    ];
    for (text, exit, scheme, alternative, suggestion) in table {
        let out = tracedesk(&db, &["code", "check", text, "--json"]);
        let body = json(&out);
        assert_eq!(out.status.code(), Some(*exit), "{text}: {body}");
        assert_eq!(body["scheme"], json!(scheme), "{text}");
        assert_eq!(
            body.get("alternative"),
            alternative.map(|a| json!(a)).as_ref(),
            "{text}"
        );
        assert_eq!(
            body.get("suggestion"),
            suggestion.map(|s| json!(s)).as_ref(),
            "{text}"
        );
    }
    let out = tracedesk(
        &db,
        &["code", "check", "https://example.com/01/6901234567892"],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("建议改为 suggested fix: https://example.com/01/06901234567892"),
        "{text}"
    );
    let out = tracedesk(&db, &["code", "check", "1006412345677"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("也可能是 could also be: gtin"), "{text}");
}

#[test]
fn code_check_text_lists_fields_or_problems_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let out = tracedesk(
        &db_in(&dir),
        &["code", "check", "(01)09520123456789(10)ABC123"],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("无效 INVALID"), "{text}");
    assert!(text.contains("校验"), "{text}");
    assert!(text.contains("check digit"), "{text}");
    let out = tracedesk(
        &db_in(&dir),
        &["code", "check", "(01)09520123456788(10)ABC123"],
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("(10)") && text.contains("ABC123"), "{text}");
}

#[test]
fn generate_void_reprint_and_label_on_a_real_database() {
    let (dir, db) = temp_db();
    let id = gs1_item_product(&db);

    let list = dir.path().join("codes.csv");
    let list_arg = list.display().to_string();
    let summary = ok(&generate_codes(
        &db,
        &id,
        Some("B20250715-1"),
        "50",
        &list_arg,
    ));
    assert_eq!(summary["count"], 50);
    let text = std::fs::read_to_string(&list).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 51);
    assert_eq!(lines[0], "code");
    assert_eq!(lines[1], "(01)06901234567892(10)B20250715-1(21)00000001");

    // By GTIN, a second run continues the serials.
    let second = dir.path().join("more.xlsx");
    let summary = ok(&generate_codes(
        &db,
        "06901234567892",
        Some("B20250715-1"),
        "5",
        &second.display().to_string(),
    ));
    assert_eq!(summary["firstSerial"], "00000051");
    assert!(std::fs::read(&second).unwrap().starts_with(b"PK"));

    let void = ok(&tracedesk(
        &db,
        &["--json", "code", "void", lines[3], "--reason", "标签印坏"],
    ));
    assert_eq!(void["kind"], "void");
    assert_eq!(void["reason"], "标签印坏");
    let again = tracedesk(
        &db,
        &["--json", "code", "reprint", lines[3], "--reason", "补"],
    );
    assert_eq!(
        again.status.code(),
        Some(1),
        "a void code cannot be reprinted"
    );
    assert_eq!(json(&again)["error"]["code"], "invalidState");
    let reprint = ok(&tracedesk(
        &db,
        &[
            "--json",
            "code",
            "reprint",
            lines[4],
            "--reason",
            "标签破损",
        ],
    ));
    assert_eq!(reprint["kind"], "reprint");

    // Granularity is fixed now.
    let settings = ok(&tracedesk(
        &db,
        &["--json", "code", "settings", "--product", &id],
    ));
    assert_eq!(settings["granularityLocked"], true);

    let pdf = dir.path().join("labels.pdf");
    let out = tracedesk(
        &db,
        &[
            "--json",
            "label",
            "--in",
            &list_arg,
            "--symbology",
            "datamatrix",
            "--out",
            &pdf.display().to_string(),
            "--label-size",
            "50x30",
            "--grid",
            "3x8",
            "--margin",
            "10",
        ],
    );
    if out.status.code() == Some(1)
        && String::from_utf8_lossy(&out.stdout).contains("fonts-noto-cjk")
    {
        eprintln!("no CJK font on this machine: the label part is skipped");
        return;
    }
    let sheet = ok(&out);
    assert_eq!(sheet["labels"], 50);
    assert_eq!(sheet["pages"], 3);
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));

    let out = tracedesk(
        &db,
        &[
            "label",
            "--in",
            &list_arg,
            "--symbology",
            "qr",
            "--out",
            &pdf.display().to_string(),
            "--font",
            "/no/such/font.ttc",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("无法读取字体文件") && err.contains("cannot read the font file"),
        "{err}"
    );
}

#[test]
fn generating_for_a_batch_coded_product_without_a_batch_says_what_is_missing() {
    let (dir, db) = temp_db();
    let product = ok(&add_product(
        &db,
        "电线",
        "BV-2.5",
        &[
            "--gtin",
            "95012345678903",
            "--scheme",
            "gs1",
            "--granularity",
            "batch",
        ],
    ));
    let id = product["id"].as_i64().unwrap().to_string();
    let out = generate_codes(
        &db,
        &id,
        None,
        "3",
        &dir.path().join("x.csv").display().to_string(),
    );
    assert_eq!(out.status.code(), Some(2));
    let body = json(&out);
    assert_eq!(body["error"]["field"], "batchId");
    assert!(body["error"]["message"].as_str().unwrap().contains("批次"));
}
