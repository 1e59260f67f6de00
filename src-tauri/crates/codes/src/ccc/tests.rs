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
fn the_shipped_catalogue_parses_without_errors() {
    let parsed = CccCatalogue::parse(SHIPPED_TEXT).map_err(|e| e.to_string());
    let parsed = parsed.expect("the shipped catalogue is valid");
    assert_eq!(parsed.header.name, "ccc_catalogue");
    assert_eq!(parsed.header.version.to_string(), "2026-12-08");
    assert_eq!(catalogue().len(), parsed.products.len());
}

#[test]
fn catalogue_rows() {
    let name = |code: &str| product(code).map(|p| p.name.as_str());
    let mark = |code: &str| product(code).and_then(|p| p.self_declaration.as_deref());
    let confirmed = |code: &str| product(code).map(|p| p.confirmed);
    assert_eq!(name("0901"), Some("微型计算机"));
    assert_eq!(mark("0205"), Some("**"));
    assert_eq!(mark("0501"), Some("*"));
    assert_eq!(confirmed("0715"), Some(false));
    assert_eq!(name("0302"), Some("低压元器件"));
    assert_eq!(name("0309"), Some("低压元器件"));
    assert_eq!(name("0310"), None);
    // 家用燃气器具, read in a 3rd-party copy of a market regulator's notice.
    for (code, expect) in [
        ("2401", "家用燃气灶具"),
        ("2402", "家用燃气快速热水器"),
        ("2403", "燃气采暖热水炉"),
    ] {
        assert_eq!((name(code), confirmed(code)), (Some(expect), Some(true)));
    }
    // Shipped, but not read in a source: each says where it comes from.
    for (code, expect) in [
        ("1125", "电动自行车"),
        ("1126", "电动自行车用锂离子蓄电池"),
        ("1127", "电动自行车用充电器"),
        ("0913", "锂离子电池和电池组"),
        ("0914", "移动电源"),
        ("0915", "电信终端配套电源适配器/充电器"),
    ] {
        assert_eq!((name(code), confirmed(code)), (Some(expect), Some(false)));
        assert!(product(code).and_then(|p| p.note.as_ref()).is_some());
    }
    assert!(
        catalogue().iter().all(|p| p.confirmed || p.note.is_some()),
        "every unconfirmed row has a note"
    );
}

#[test]
fn a_gas_cooker_certificate_is_found_and_a_guessed_row_adds_a_note() {
    check(
        "2024012401000123",
        2026,
        r#"ok Some(2024) Some("01") Some("2401") Some("000123")"#,
    );
    check(
        "2020011125000001",
        2026,
        r#"Some(2020) Some("01") Some("1125") Some("000001") w:ccc.unconfirmed-category@7"#,
    );
}

const HEAD: &str = "# name: ccc_catalogue\n# source: test\n# version: 2027-01-01\ncode\tname\tcategory\tcategory_name\tself_declaration\tstatus\tnote\n";

#[test]
fn bad_catalogue_rows_are_reported_with_line_and_column() {
    for (rows, expect) in [
        (
            "101\t电线组件\t01\t-\t-\tsource\t-\n",
            "catalogue.value@5:1",
        ),
        (
            "0101\t电线组件\t02\t-\t-\tsource\t-\n",
            "catalogue.value@5:3",
        ),
        (
            "0101\t电线组件\t01\t-\t***\tsource\t-\n",
            "catalogue.value@5:5",
        ),
        ("0101\t电线组件\t01\t-\t-\tread\t-\n", "catalogue.value@5:6"),
        (
            "0101\t电线组件\t01\t-\t-\tunconfirmed\t-\n",
            "catalogue.value@5:7",
        ),
        (
            "0101\t电线组件\t01\t-\t-\tsource\t-\n0101\t又一个\t01\t-\t-\tsource\t-\n",
            "catalogue.duplicate@6:1",
        ),
        ("0101\t电线组件\t01\t-\n", "catalogue.cells@5"),
    ] {
        let errors = CccCatalogue::parse(&format!("{HEAD}{rows}")).unwrap_err();
        let found: Vec<String> = errors
            .0
            .iter()
            .map(|e| match e.column {
                Some(c) => format!("{}@{}:{}", e.code(), e.line, c),
                None => format!("{}@{}", e.code(), e.line),
            })
            .collect();
        assert_eq!(found.join(" "), expect, "{rows:?}");
    }
}

#[test]
fn a_loaded_catalogue_decides_the_warning() {
    let cat = CccCatalogue::parse(&format!("{HEAD}1699\t试验品\t16\t-\t-\tsource\t-\n")).unwrap();
    let (value, problems) = analyse_cert_in("2020011699000001", valid_years(2025), &cat);
    assert!(problems.is_empty());
    assert_eq!(
        value.unwrap().product_in(&cat).map(|p| p.name.as_str()),
        Some("试验品")
    );
    let (_, problems) = analyse_cert_in("2016010901123456", valid_years(2025), &cat);
    assert_eq!(describe_problems(&problems), "w:ccc.unknown-category@7");
}

#[test]
fn the_example_of_domain_md_d1() {
    check(
        "2016010901123456",
        2025,
        r#"ok Some(2016) Some("01") Some("0901") Some("123456")"#,
    );
    let cert = CccCertNo::parse("2016010901123456", valid_years(2025)).unwrap();
    assert_eq!(cert.product().map(|p| p.name.as_str()), Some("微型计算机"));
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
