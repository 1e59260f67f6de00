//! Serial and lot patterns.

use super::*;

fn date() -> YearMonthDay {
    YearMonthDay::new(2025, 7, 15).unwrap()
}

#[track_caller]
fn check_render(pattern: &str, seq: u64, expect: &str) {
    let actual = match CodePattern::parse(pattern).and_then(|p| p.render(Some(date()), seq)) {
        Ok(s) => s,
        Err(p) => format!("err {}", p.codes().join(" ")),
    };
    assert_eq!(actual, expect, "pattern {pattern:?} seq {seq}");
}

#[test]
fn sequential_patterns() {
    check_render("{seq:08}", 1, "00000001");
    check_render("SN{seq:8}", 42, "SN00000042");
    check_render("SN{seq:3}", 999, "SN999");
    check_render("SN{seq:3}", 1000, "err serial.exhausted");
    check_render("{yyMMdd}{seq:06}", 7, "250715000007");
    check_render("{seq}", 12345, "12345");
    check_render("{seq}", u64::MAX, "18446744073709551615");
    check_render("B{yyyyMMdd}-{seq}", 1, "B20250715-1");
    check_render("B{yyyyMMdd}-{seq}", 12_345_678_901, "err serial.exhausted");
    check_render("L{yyyy}{MM}{dd}", 0, "L20250715");
    check_render("{yy}-{seq:2}", 5, "25-05");
}

#[test]
fn patterns_that_could_exceed_twenty_characters_are_refused() {
    check_render("{seq:21}", 1, "err serial.pattern");
    check_render("{seq:0}", 1, "err serial.pattern");
    check_render("ABCDEFGHIJKL{seq:09}", 1, "err serial.too-long");
    check_render("ABCDEFGHIJKL{seq:08}", 1, "ABCDEFGHIJKL00000001");
    check_render("ABCDEFGHIJKLMNOPQRST{seq}", 1, "err serial.too-long");
    check_render("{yyyyMMdd}{yyyyMMdd}{yyyyMMdd}", 1, "err serial.too-long");
    let p = CodePattern::parse("SN{seq}").unwrap();
    assert_eq!((p.seq_digits(), p.max_len()), (18, 20));
    assert_eq!(p.capacity(), Some(1_000_000_000_000_000_000));
    let p = CodePattern::parse("{seq:20}").unwrap();
    assert_eq!(p.capacity(), None, "10^20 does not fit in u64");
    assert_eq!(CodePattern::parse("LOT").unwrap().capacity(), Some(1));
}

#[test]
fn pattern_syntax_errors() {
    check_render("", 1, "err serial.pattern");
    check_render("SN {seq:4}", 1, "err serial.pattern");
    check_render("SN/{seq:4}", 1, "err serial.pattern");
    check_render("批{seq:4}", 1, "err serial.pattern");
    check_render("SN{seq:4", 1, "err serial.pattern");
    check_render("SN{day}", 1, "err serial.pattern");
    check_render("{seq}{seq}", 1, "err serial.pattern");
    check_render("{seq:x}", 1, "err serial.pattern");
    check_render("SN}", 1, "err serial.pattern");
    let p = CodePattern::parse("{yyyy}{seq:2}").unwrap();
    assert_eq!(p.render(None, 1).unwrap_err().codes(), ["serial.no-date"]);
    assert!(p.uses_date());
    assert_eq!(p.to_string(), "{yyyy}{seq:2}");
}

#[test]
fn sequences_and_lot_suggestions() {
    let p = CodePattern::parse("SN{seq:04}").unwrap();
    assert_eq!(
        sequential_serials(&p, None, 9998, 2).unwrap(),
        ["SN9998", "SN9999"]
    );
    assert_eq!(
        sequential_serials(&p, None, 9999, 2).unwrap_err().codes(),
        ["serial.exhausted"]
    );
    assert_eq!(
        sequential_serials(&p, None, u64::MAX, 2)
            .unwrap_err()
            .codes(),
        ["serial.exhausted"]
    );
    assert_eq!(
        suggest_lot("B{yyyyMMdd}-{seq:2}", date(), 1).unwrap(),
        "B20250715-01"
    );
    assert_eq!(
        suggest_lot("B{yyyyMMdd}-{seq}", date(), 12).unwrap(),
        "B20250715-12"
    );
}

#[test]
fn random_serials_use_caller_bytes_without_bias() {
    let bytes: Vec<u8> = (0u8..=255).collect();
    // 0..=61 map to the alphabet in order, 248..=255 are skipped.
    assert_eq!(random_serial(&bytes, 12).unwrap(), "0123456789AB");
    assert_eq!(
        random_serial(&[61, 62, 123, 124, 247, 248, 255, 0], 6).unwrap(),
        "z0z0z0"
    );
    assert_eq!(
        random_serial(&[250, 251, 1], 2).unwrap_err().codes(),
        ["serial.random"]
    );
    assert_eq!(
        random_serial(&bytes, 0).unwrap_err().codes(),
        ["serial.length"]
    );
    assert_eq!(
        random_serial(&bytes, 21).unwrap_err().codes(),
        ["serial.length"]
    );
    assert_eq!(random_serial(&bytes, 20).unwrap().len(), 20);
    assert!(random_serial_bits(12) > 71.0 && random_serial_bits(12) < 72.0);
}

#[test]
fn typed_values_against_the_safe_set() {
    assert!(check_safe_value("B20250715-01").is_empty());
    let codes = |v: &str| {
        check_safe_value(v)
            .into_iter()
            .map(|p| p.code)
            .collect::<Vec<_>>()
    };
    assert_eq!(codes(""), ["serial.pattern"]);
    assert_eq!(codes("AB/12"), ["serial.pattern"]);
    assert_eq!(codes(&"A".repeat(21)), ["serial.too-long"]);
}
