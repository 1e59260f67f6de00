//! CCC certificate and mark numbers (domain.md §D).

use super::*;
use crate::problem::{describe_problem, describe_problems};

#[track_caller]
fn check(input: &str, current_year: i32, expect: &str) {
    let (value, problems) = analyse_cert(input, valid_years(current_year));
    let problems = describe_problems(&problems);
    let actual = match value {
        Some(v) => {
            let parts = format!(
                "{:?} {:?} {:?} {:?}",
                v.year(),
                v.body_code(),
                v.product_code(),
                v.serial()
            );
            if problems.is_empty() {
                format!("ok {parts}")
            } else {
                format!("{parts} {problems}")
            }
        }
        None => format!("err {problems}"),
    };
    assert_eq!(actual, expect, "input: {input:?}");
}

#[test]
fn catalogue_loads() {
    assert_eq!(catalogue_load_errors(), &[] as &[String]);
    assert_eq!(product("0901").map(|p| p.name), Some("微型计算机"));
    assert_eq!(product("0205").and_then(|p| p.self_declaration), Some("**"));
    assert_eq!(product("0501").and_then(|p| p.self_declaration), Some("*"));
    assert_eq!(product("0715").map(|p| p.confirmed), Some(false));
    assert_eq!(product("0302").map(|p| p.name), Some("低压元器件"));
    assert_eq!(product("0309").map(|p| p.name), Some("低压元器件"));
    assert_eq!(product("0310"), None);
}

#[test]
fn the_example_of_domain_md_d1() {
    check(
        "2016010901123456",
        2025,
        r#"ok Some(2016) Some("01") Some("0901") Some("123456")"#,
    );
    let cert = CccCertNo::parse("2016010901123456", valid_years(2025)).unwrap();
    assert_eq!(cert.product().map(|p| p.name), Some("微型计算机"));
    assert_eq!(
        body_name(cert.body_code().unwrap()),
        Some("中国质量认证中心 (CQC)")
    );
}

#[test]
fn year_must_be_in_the_given_range() {
    check(
        "2002010101000001",
        2025,
        r#"ok Some(2002) Some("01") Some("0101") Some("000001")"#,
    );
    check(
        "2025010101000001",
        2025,
        r#"ok Some(2025) Some("01") Some("0101") Some("000001")"#,
    );
    check(
        "2026010101000001",
        2025,
        r#"Some(2026) Some("01") Some("0101") Some("000001") ccc.year@1"#,
    );
    check(
        "2026010101000001",
        2026,
        r#"ok Some(2026) Some("01") Some("0101") Some("000001")"#,
    );
    check(
        "2001010101000001",
        2025,
        r#"Some(2001) Some("01") Some("0101") Some("000001") ccc.year@1"#,
    );
}

#[test]
fn unknown_product_code_is_a_warning_only() {
    check(
        "2020011699000001",
        2025,
        r#"Some(2020) Some("01") Some("1699") Some("000001") w:ccc.unknown-category@7"#,
    );
    let cert = CccCertNo::parse("2020011699000001", valid_years(2025)).unwrap();
    assert_eq!(cert.warnings().len(), 1);
}

#[test]
fn legacy_twelve_character_numbers_are_a_warning() {
    check("200101A12345", 2025, "None None None None w:ccc.legacy");
    check("2001-1A12345", 2025, "err ccc.char@5");
    assert!(
        CccCertNo::parse("200101A12345", valid_years(2025))
            .unwrap()
            .is_legacy()
    );
}

#[test]
fn malformed_numbers() {
    check("", 2025, "err ccc.empty");
    check("201601090112345", 2025, "err ccc.length");
    check("20160109011234567", 2025, "err ccc.length");
    check("2016O10901123456", 2025, "err ccc.char@5");
    check("２016010901123456", 2025, "err ccc.char@1");
}

#[test]
fn mark_numbers_are_trimmed_free_text() {
    let (mark, warnings) = CccMarkNo::parse("  A1234567 ").unwrap();
    assert_eq!(mark.as_str(), "A1234567");
    assert!(warnings.is_empty());
    let (_, warnings) = CccMarkNo::parse("A-123").unwrap();
    assert_eq!(
        warnings.iter().map(describe_problem).collect::<Vec<_>>(),
        ["w:ccc.mark-char@2"]
    );
    assert_eq!(
        CccMarkNo::parse("   ").unwrap_err().codes(),
        ["ccc.mark-empty"]
    );
    assert_eq!(
        CccMarkNo::parse(&"A".repeat(33)).unwrap_err().codes(),
        ["ccc.mark-length"]
    );
    assert_eq!(
        CccMarkNo::parse("A1 23").unwrap_err().codes(),
        ["ccc.mark-char"]
    );
    assert!(CccMarkNo::parse(&"A".repeat(32)).is_ok());
}
