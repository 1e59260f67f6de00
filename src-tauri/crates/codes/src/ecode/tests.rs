//! Ecode checks (domain.md §B.2). The per-version rules are unconfirmed, so breaking them is a
//! warning; only structural impossibilities are errors.

use super::*;
use crate::problem::describe_problems;

#[track_caller]
fn check(input: &str, expect: &str) {
    let (value, problems) = analyse(input);
    let problems = describe_problems(&problems);
    let actual = match value {
        Some(e) if !problems.is_empty() => {
            format!("{} {:?}/{:?} {problems}", e.version(), e.nsi(), e.md())
        }
        Some(e) => format!("{} {:?}/{:?}", e.version(), e.nsi(), e.md()),
        None => format!("err {problems}"),
    };
    assert_eq!(actual, expect, "input: {input:?}");
}

#[test]
fn version_table_loads() {
    assert_eq!(version_load_errors(), &[] as &[String]);
    assert_eq!(versions().len(), 10);
    for row in versions() {
        if let (Some(nsi), Some(md), Some(total)) = (row.nsi_len, row.md_max, row.total_max) {
            assert_eq!(
                1 + nsi + md,
                total,
                "version {} lengths add up",
                row.version
            );
        }
    }
}

#[test]
fn codes_that_fit_their_version_row() {
    check(
        "10064123456789012345",
        r#"1 Some("0064")/Some("123456789012345")"#,
    );
    check(
        "20128000012345678",
        r#"2 Some("01280000")/Some("12345678")"#,
    );
    check("300121ABCDEF0001", r#"3 Some("0012")/Some("1ABCDEF0001")"#);
}

#[test]
fn breaking_an_unconfirmed_rule_is_a_warning() {
    check("10064ABC", r#"1 Some("0064")/Some("ABC") w:ecode.char@6"#);
    check(
        "1006412345678901234567890",
        r#"1 Some("0064")/Some("12345678901234567890") "#.trim_end(),
    );
    check(
        "10064123456789012345678901",
        r#"1 Some("0064")/Some("123456789012345678901") w:ecode.length@26"#,
    );
    check("1006", r#"1 None/None w:ecode.length"#);
    check("500123", "5 None/None w:ecode.version@1");
    check("0690123", "0 None/None w:ecode.version@1");
    check("300121abc", r#"3 Some("0012")/Some("1abc") w:ecode.char@7"#);
}

#[test]
fn structural_errors() {
    check("", "err ecode.empty");
    check("A0064123", "err ecode.version@1");
    check("10064 123", "err ecode.char@6");
    check("10064１23", "err ecode.char@6");
    check("10", "err ecode.length");
    check(&"1".repeat(300), "err ecode.length");
}

#[test]
fn parse_keeps_warnings_and_refuses_errors() {
    let e = Ecode::parse("10064ABC").unwrap();
    assert_eq!(e.warnings().len(), 1);
    assert_eq!(e.as_str(), "10064ABC");
    assert!(Ecode::parse("10064 ABC").is_err());
    assert!(fits_exactly("10064123456789012345"));
    assert!(!fits_exactly("10064ABC"));
    assert!(
        !fits_exactly("4ABCDEFGHIJ"),
        "version 4 has no known bounds: never guessed"
    );
}
