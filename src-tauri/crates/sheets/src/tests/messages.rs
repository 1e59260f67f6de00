//! Every message this crate builds keeps the message rule (`codes::message::rule_breaks`): each
//! file-level error, the limits text, every field's format hint, and the problems of rows of
//! every kind filled with wrong values of every sort.

use codes::message::rule_breaks;

use super::TODAY;
use crate::limits::describe_limits;
use crate::*;

fn breaks(what: &str, zh: &str, en: &str, out: &mut Vec<String>) {
    for b in rule_breaks(zh, en) {
        out.push(format!("{what}: {b}: {zh} / {en}"));
    }
}

#[test]
fn every_file_error_message_keeps_the_message_rule() {
    let errors = [
        ReadError::Io(std::io::Error::other("busy")),
        ReadError::Empty,
        ReadError::TooLarge {
            size: 9 << 20,
            limit: 8 << 20,
        },
        ReadError::NotASpreadsheet {
            detected: "PDF 文档".into(),
        },
        ReadError::Disguised {
            detected: "网页".into(),
        },
        ReadError::Encrypted,
        ReadError::Truncated {
            detail: "eof".into(),
        },
        ReadError::Corrupt {
            detail: "bad xml".into(),
        },
        ReadError::ZipBomb {
            entry: "xl/worksheets/sheet1.xml".into(),
            declared: 1 << 34,
            compressed: 1 << 10,
        },
        ReadError::SheetNotFound {
            name: "产品".into(),
            available: vec!["Sheet1".into(), "Sheet2".into()],
        },
        ReadError::TooManyRows {
            sheet: "产品".into(),
            limit: 100_000,
        },
        ReadError::SheetTooLarge {
            sheet: "产品".into(),
            cells: 1 << 30,
            last_cell: "XFD1048576".into(),
            limit: 1 << 24,
        },
        ReadError::TooManyCells {
            sheets: 40,
            cells: 1 << 30,
            limit: 1 << 26,
        },
        ReadError::TooMuchText {
            bytes: 1 << 31,
            limit: 1 << 28,
        },
    ];
    let mut out = Vec::new();
    for e in &errors {
        let m = e.message();
        breaks(e.code(), &m.zh, &m.en, &mut out);
    }
    let limits = describe_limits(&Limits::default());
    breaks("limits", &limits.zh, &limits.en, &mut out);
    for kind in RecordKind::ALL {
        for spec in kind.fields() {
            let (zh, en) = spec.ty.format_hint();
            breaks(spec.key.as_str(), &zh, &en, &mut out);
            breaks(
                spec.key.as_str(),
                spec.explain_zh,
                spec.explain_en,
                &mut out,
            );
        }
    }
    assert!(out.is_empty(), "{}", out.join("\n"));
}

#[test]
fn every_row_problem_of_every_kind_keeps_the_message_rule() {
    // Each row fills every column with one sort of wrong value.
    let wrong = [
        "",
        "x!x",
        "12345",
        "6901234567890",
        "2025-13-45",
        "-3",
        "一二三",
        "1e30",
        "ABC",
        "是",
        "0",
        "99999999999999999999999",
    ];
    let mut out = Vec::new();
    let mut codes_seen = std::collections::BTreeSet::new();
    for kind in RecordKind::ALL {
        let fields = kind.fields();
        let mut csv: Vec<String> = vec![fields.iter().map(|f| f.zh).collect::<Vec<_>>().join(",")];
        for w in wrong {
            csv.push(vec![w; fields.len()].join(","));
        }
        let bytes = csv.join("\r\n").into_bytes();
        let mut wb = Workbook::from_bytes(bytes, "messages.csv").expect("a CSV opens");
        let sheet = wb.sheets()[0].name.clone();
        let read = wb
            .read(&sheet, kind, &ReadOptions::new(TODAY))
            .expect("the sheet reads");
        let problems = read
            .problems
            .iter()
            .chain(read.rows.iter().flat_map(|r| &r.problems));
        for p in problems {
            codes_seen.insert(p.code.as_str());
            breaks(p.code.as_str(), &p.message.zh, &p.message.en, &mut out);
        }
    }
    assert!(
        codes_seen.len() >= 5,
        "too few problems exercised: {codes_seen:?}"
    );
    assert!(out.is_empty(), "{}", out.join("\n"));
}
