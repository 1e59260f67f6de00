//! 数字身份码 sanity checks (domain.md §C).

use super::*;
use crate::problem::describe_problems;

#[track_caller]
fn check(input: &str, expect: &str) {
    let (value, problems) = analyse(input);
    let problems = describe_problems(&problems);
    let actual = match value {
        Some(id) if problems.is_empty() => format!("ok {id}"),
        Some(id) => format!("{id} {problems}"),
        None => format!("err {problems}"),
    };
    assert_eq!(actual, expect, "input: {input:?}");
}

#[test]
fn opaque_codes_and_urls() {
    check("HGZ2025000123", "ok HGZ2025000123");
    check("  HGZ2025000123\n", "ok HGZ2025000123");
    check(
        "https://www.hgzcloud.com/q/ABC123",
        "ok https://www.hgzcloud.com/q/ABC123",
    );
    check(
        "HTTP://example.com:8080/x?id=1",
        "ok HTTP://example.com:8080/x?id=1",
    );
}

#[test]
fn sanity_checks() {
    check("", "err digital-id.empty");
    check("   ", "err digital-id.empty");
    check("AB1", "AB1 digital-id.length");
    check(
        &"A".repeat(513),
        &format!("{} digital-id.length", "A".repeat(513)),
    );
    check("HGZ 2025", "HGZ 2025 digital-id.char@4");
    check(
        " HGZ\t2025",
        "HGZ\t2025 digital-id.char@5 digital-id.char@5",
    );
    check(
        "ftp://example.com/x",
        "ftp://example.com/x digital-id.url@1",
    );
    check("https:///x", "https:///x digital-id.url@9");
    check(
        "https://exa_mple.com/x",
        "https://exa_mple.com/x digital-id.url@12",
    );
    check("编码ABC123", "编码ABC123 w:digital-id.char@1");
}

#[test]
fn parse_gives_the_value_or_all_problems() {
    let id = DigitalId::parse("https://www.hgzcloud.com/q/ABC123").unwrap();
    assert!(id.is_url());
    assert_eq!(id.host(), Some("www.hgzcloud.com"));
    assert_eq!(
        DigitalId::parse("ABC 1").unwrap_err().codes(),
        ["digital-id.char"]
    );
    let id = DigitalId::parse("HGZ2025000123").unwrap();
    assert!(!id.is_url());
    assert_eq!(id.host(), None);
}
