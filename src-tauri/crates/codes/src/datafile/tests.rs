//! The catalogue file format: header, column line, rows, located errors in both languages.

use super::*;

const COLS: [&str; 2] = ["code", "name"];

fn read_test(text: &str) -> Result<DataFile, FileErrors> {
    read(text, "test_table", &COLS)
}

/// `code@line[:column]` for every error, in order.
fn errors_of(text: &str) -> String {
    match read_test(text) {
        Ok(_) => "ok".into(),
        Err(errors) => errors
            .0
            .iter()
            .map(|e| match e.column {
                Some(col) => format!("{}@{}:{}", e.code(), e.line, col),
                None => format!("{}@{}", e.code(), e.line),
            })
            .collect::<Vec<_>>()
            .join(" "),
    }
}

const GOOD: &str = "\u{feff}# name: test_table\n# source: a source, with: a colon\n# version: 2026-12-08\n# a comment\n\ncode\tname\n01\tone\r\n02\t two \n";

#[test]
fn a_good_file_gives_its_header_and_rows_with_their_lines() {
    let file = read_test(GOOD).expect("valid");
    assert_eq!(file.header.name, "test_table");
    assert_eq!(file.header.source, "a source, with: a colon");
    assert_eq!(file.header.version, YearMonthDay::new(2026, 12, 8).unwrap());
    let rows: Vec<(usize, Vec<String>)> =
        file.rows.into_iter().map(|r| (r.line, r.cells)).collect();
    assert_eq!(
        rows,
        [
            (7, vec!["01".to_string(), "one".to_string()]),
            (8, vec!["02".to_string(), "two".to_string()]),
        ]
    );
}

#[test]
fn each_kind_of_bad_line_is_reported_with_its_line() {
    let head = "# name: test_table\n# source: s\n# version: 2026-12-08\n";
    for (text, expect) in [
        (String::new(), "catalogue.empty@0"),
        ("   \n".to_string(), "catalogue.empty@0"),
        (
            "# source: s\n# version: 2026-12-08\ncode\tname\n1\ta\n".to_string(),
            "catalogue.header@0",
        ),
        (
            "# name: test_table\n# name: test_table\n# source: s\n# version: 2026-12-08\ncode\tname\n1\ta\n"
                .to_string(),
            "catalogue.header@2",
        ),
        (
            "# name: other_table\n# source: s\n# version: 2026-12-08\ncode\tname\n1\ta\n".to_string(),
            "catalogue.name@1",
        ),
        (
            "# name: test_table\n# source: s\n# version: 2026-13-01\ncode\tname\n1\ta\n".to_string(),
            "catalogue.version@3",
        ),
        (
            "# name: test_table\n# source: s\n# version: 8.12.2026\ncode\tname\n1\ta\n".to_string(),
            "catalogue.version@3",
        ),
        (format!("{head}name\tcode\n1\ta\n"), "catalogue.columns@4"),
        (head.to_string(), "catalogue.columns@0"),
        (format!("{head}code\tname\n"), "catalogue.empty@0"),
        (
            format!("{head}code\tname\n1\ta\n2\n3\ta\tb\n"),
            "catalogue.cells@6 catalogue.cells@7",
        ),
        (format!("{head}code\tname\n1\t\n"), "catalogue.value@5:2"),
    ] {
        assert_eq!(errors_of(&text), expect, "{text:?}");
    }
}

#[test]
fn messages_name_the_line_and_column_in_both_languages() {
    let head = "# name: test_table\n# source: s\n# version: 2026-12-08\ncode\tname\n";
    let errors = read_test(&format!("{head}1\t\n2\n")).unwrap_err();
    let messages: Vec<Message> = errors.0.iter().map(FileError::message).collect();
    assert_eq!(
        messages[0].zh,
        "第 5 行第 2 列：单元格为空：没有值时请填“-”"
    );
    assert_eq!(
        messages[0].en,
        "line 5, column 2: the cell is empty: write \"-\" for no value"
    );
    assert_eq!(
        messages[1].zh,
        "第 6 行：本行有 1 个用制表符分隔的单元格，应为 2 个"
    );
    assert!(messages[1].en.starts_with("line 6: the line has 1 cells"));
}

#[test]
fn an_older_or_equal_version_is_refused_with_both_dates() {
    let d = |s| parse_date(s).expect("a date");
    assert!(check_newer(d("2027-01-01"), d("2026-12-08")).is_ok());
    for found in ["2026-12-08", "2025-01-01"] {
        let errors = check_newer(d(found), d("2026-12-08")).unwrap_err();
        let err = &errors.0[0];
        assert_eq!(err.code(), "catalogue.not-newer");
        let m = err.message();
        assert_eq!(
            m.zh,
            format!(
                "此文件的版本为 {found}，不比正在使用的版本 2026-12-08 新，请从来源处取得更新的文件"
            )
        );
        assert!(m.en.contains(&format!(
            "version {found}, not newer than version 2026-12-08"
        )));
    }
}

#[test]
fn dates_are_written_yyyy_mm_dd() {
    for (text, ok) in [
        ("2026-12-08", true),
        ("2024-02-29", true),
        ("2023-02-29", false),
        ("2026-1-08", false),
        ("2026/12/08", false),
        ("２026-12-08", false),
        ("", false),
    ] {
        assert_eq!(parse_date(text).is_some(), ok, "{text}");
    }
}
