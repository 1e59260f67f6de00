//! The unit table: the shipped file, lookups, and a bad file's located errors.

use super::*;

#[test]
fn the_shipped_table_parses_without_errors() {
    let units = Units::parse(SHIPPED_TEXT).map_err(|e| e.to_string());
    let units = units.expect("the shipped unit table is valid");
    assert_eq!(units.header.name, "rec20_units");
    assert_eq!(units.header.version.to_string(), "2026-12-08");
    assert_eq!(shipped().units.len(), units.units.len());
}

#[test]
fn the_units_these_factories_use_have_their_codes() {
    for (word, code, kind) in [
        ("个", "PCE", UnitKind::Count),
        ("台", "PCE", UnitKind::Count),
        ("件", "PCE", UnitKind::Count),
        ("套", "SET", UnitKind::Count),
        ("辆", "PCE", UnitKind::Count),
        ("根", "PCE", UnitKind::Count),
        ("组", "10", UnitKind::Count),
        ("对", "PR", UnitKind::Count),
        ("箱", "XBX", UnitKind::Package),
        ("托", "XPX", UnitKind::Package),
        ("卷", "XRO", UnitKind::Package),
        ("盘", "XRO", UnitKind::Package),
        ("包", "XPK", UnitKind::Package),
        ("米", "MTR", UnitKind::Length),
        ("千米", "KMT", UnitKind::Length),
        ("千克", "KGM", UnitKind::Mass),
        ("克", "GRM", UnitKind::Mass),
        ("吨", "TNE", UnitKind::Mass),
        ("升", "LTR", UnitKind::Volume),
        ("立方米", "MTQ", UnitKind::Volume),
        ("平方米", "MTK", UnitKind::Area),
    ] {
        let unit = shipped().unit(word).unwrap_or_else(|| panic!("{word}"));
        assert_eq!((unit.code.as_str(), unit.kind), (code, kind), "{word}");
        assert_eq!(shipped().code_of(word), Some(code), "{word}");
    }
}

#[test]
fn codes_words_and_aliases_give_the_code_and_a_code_wins_over_an_alias() {
    for (word, code) in [
        ("只", Some("PCE")),
        (" 卷 ", Some("XRO")),
        ("KG", Some("KGM")),
        ("kgm", Some("KGM")),
        ("H87", Some("PCE")),
        ("set", Some("SET")),
        ("unit", Some("PCE")),
        ("栈板", Some("XPX")),
        ("坨", None),
        ("", None),
    ] {
        assert_eq!(shipped().code_of(word), code, "{word:?}");
    }
    assert_eq!(shipped().name_zh("PCE"), Some("个"));
    assert_eq!(shipped().name_zh("XBX"), Some("箱"));
    assert_eq!(shipped().name_zh("PR"), Some("双"));
    assert_eq!(shipped().name_zh("ZZZ"), None);
}

const HEAD: &str = "# name: rec20_units\n# source: test\n# version: 2027-01-01\ncode\tzh\ten\taliases\tkind\tnote\n";

#[test]
fn bad_rows_are_reported_with_line_and_column() {
    for (rows, expect) in [
        // Line 5 is the first row (four header lines before it).
        ("pce\t个\tpiece\t-\tcount\t-\n", "catalogue.value@5:1"),
        ("PCE\t个\tpiece\t-\tweight\t-\n", "catalogue.value@5:5"),
        ("PCE\t个\tpiece\ta,,b\tcount\t-\n", "catalogue.value@5:4"),
        (
            "PCE\t个\tpiece\tpcs\tcount\t-\nPCE\t台\tpiece\tPCS\tcount\t-\n",
            "catalogue.duplicate@6:4",
        ),
        (
            "PCE\t个\tpiece\t-\tcount\t-\nSET\t个\tset\t-\tcount\t-\n",
            "catalogue.duplicate@6:2",
        ),
    ] {
        let errors = Units::parse(&format!("{HEAD}{rows}")).unwrap_err();
        let found: Vec<String> = errors
            .0
            .iter()
            .map(|e| format!("{}@{}:{}", e.code(), e.line, e.column.unwrap_or(0)))
            .collect();
        assert_eq!(found.join(" "), expect, "{rows:?}");
    }
}
