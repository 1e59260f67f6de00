//! GS1 tests. The vectors come from the standards' own tests (domain.md §A.1, §A.5, §A.7,
//! §A.8, §A.10: gs1-syntax-engine `ai.c`, `dl.c`, `scandata.c`, `lint_*.c`, and BWIPP); the long
//! tables live in `test_data/gs1_*.txt`.

use std::path::Path;

use super::ai::{self, Linter, NOT_CHECKED_LINTERS};
use super::check_digit::{self, Gln, Gtin, Sscc};
use super::compose::{Granularity, TraceCodeSpec, compose};
use super::digital_link::{self, DigitalLink, DlOptions, ShortGtin};
use super::element::{self, ElementString};
use super::scan::{ScanContent, ScanData};
use crate::date::YearMonthDay;
use crate::problem::{Problem, Problems, describe_problems};

const TODAY: YearMonthDay = match YearMonthDay::new(2025, 7, 15) {
    Some(d) => d,
    None => panic!("valid date"),
};

fn describe(result: Result<ElementString, Problems>) -> String {
    match result {
        Ok(es) if es.warnings().is_empty() => format!("ok {}", es.to_caret()),
        Ok(es) => format!("ok {} {}", es.to_caret(), describe_problems(es.warnings())),
        Err(p) => format!("err {}", describe_problems(&p.0)),
    }
}

/// Runs a `input<TAB>expect` table; reports every mismatching line at once.
fn run_table(name: &str, text: &str, f: impl Fn(&str) -> String) {
    let mut failures = Vec::new();
    let mut cases = 0;
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let Some((input, expect)) = line.split_once('\t') else {
            panic!("{name}:{}: no tab in {line:?}", n + 1);
        };
        let input = input.replace("{GS}", "\u{1d}").replace("{SP}", " ");
        cases += 1;
        let actual = f(&input);
        if actual != expect {
            failures.push(format!(
                "{name}:{}: {input:?}\n    expected: {expect}\n    actual:   {actual}",
                n + 1
            ));
        }
    }
    assert!(cases > 0, "{name} has no cases");
    assert!(
        failures.is_empty(),
        "{} of {cases} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ----- check digits (domain.md §A.1) -----

#[track_caller]
fn check_gtin(input: &str, expect: &str) {
    let actual = match Gtin::parse(input) {
        Ok(g) => format!("ok {} {} {}", g.kind(), g.as_str(), g.to_gtin14()),
        Err(e) => format!("err {e}"),
    };
    assert_eq!(actual, expect, "input: {input:?}");
}

#[test]
fn gtin8_from_lint_csum() {
    check_gtin("02345673", "ok GTIN-8 02345673 00000002345673");
    check_gtin(
        "12345673",
        "err check digit should be 0, found 3: re-check the digits, one was probably mistyped",
    );
}

#[test]
fn gtin12_from_lint_csum() {
    check_gtin("416000336108", "ok GTIN-12 416000336108 00416000336108");
    check_gtin(
        "416000336109",
        "err check digit should be 8, found 9: re-check the digits, one was probably mistyped",
    );
}

#[test]
fn gtin13_from_lint_csum() {
    check_gtin("1234567890128", "ok GTIN-13 1234567890128 01234567890128");
    check_gtin(
        "1234567890129",
        "err check digit should be 8, found 9: re-check the digits, one was probably mistyped",
    );
}

#[test]
fn gtin14_from_lint_csum() {
    check_gtin("12345678901231", "ok GTIN-14 12345678901231 12345678901231");
    check_gtin(
        "12345678901232",
        "err check digit should be 1, found 2: re-check the digits, one was probably mistyped",
    );
}

#[test]
fn gtins_computed_in_domain_md() {
    check_gtin("6901234567892", "ok GTIN-13 6901234567892 06901234567892");
    check_gtin("06901234567892", "ok GTIN-14 06901234567892 06901234567892");
    check_gtin("16901234567899", "ok GTIN-14 16901234567899 16901234567899");
    check_gtin("9520123456788", "ok GTIN-13 9520123456788 09520123456788");
    check_gtin("6921734976505", "ok GTIN-13 6921734976505 06921734976505");
}

#[test]
fn gtin_input_mistakes() {
    check_gtin("", "err the GTIN is empty");
    check_gtin(
        "690123456789",
        "err check digit should be 7, found 9: re-check the digits, one was probably mistyped",
    );
    check_gtin(
        "69012345678",
        "err a GTIN has 8, 12, 13 or 14 digits, got 11",
    );
    check_gtin(
        "６901234567892",
        "err character '６' at position 1 is not a digit",
    );
    check_gtin(
        "690123456789２",
        "err character '２' at position 13 is not a digit",
    );
    check_gtin(
        "12345678 012345675",
        "err character ' ' at position 9 is not a digit",
    );
}

#[test]
fn gtin_from_company_prefix_and_item_reference() {
    assert_eq!(
        Gtin::from_body("690123456789").map(|g| g.to_string()),
        Ok("6901234567892".to_owned())
    );
    assert_eq!(
        Gtin::from_body("0690123456789").map(|g| g.to_string()),
        Ok("06901234567892".to_owned())
    );
    assert_eq!(
        Gtin::from_body("1690123456789").map(|g| g.to_string()),
        Ok("16901234567899".to_owned())
    );
    assert_eq!(
        Gtin::from_body("952012345678").map(|g| g.to_string()),
        Ok("9520123456788".to_owned())
    );
    assert!(Gtin::from_body("69012345678X").is_err());
    assert!(Gtin::from_body("69012").is_err());
}

#[test]
fn gln_and_sscc_check_digits() {
    assert_eq!(check_digit::check_digit("690123400000"), Some(9));
    assert!(Gln::parse("6901234000009").is_ok());
    assert!(Gln::parse("6901234000008").is_err());
    assert_eq!(
        check_digit::complete("06901234000000001").as_deref(),
        Some("069012340000000016")
    );
    assert!(Sscc::parse("069012340000000016").is_ok());
    assert!(Sscc::parse("123456789012345675").is_ok());
    assert!(Sscc::parse("123456789012345670").is_err());
    assert_eq!(check_digit::check_digit(""), None);
    assert_eq!(check_digit::check_digit("12a"), None);
    assert!(!check_digit::is_valid("12345678 012345675"));
}

#[test]
fn check_digit_problem_names_the_expected_digit_in_both_languages() {
    let problems = ElementString::parse_bracketed("(01)06901234567893", TODAY).unwrap_err();
    let p = &problems.0[0];
    assert_eq!(
        p.message.zh,
        "(01) 第 18 位：校验位应为 2，实际为 3，请核对是否有数字抄错"
    );
    assert_eq!(
        p.message.en,
        "(01) at position 18: check digit should be 2, found 3: re-check the digits, one was probably mistyped"
    );
}

// ----- the AI table -----

#[test]
fn shipped_ai_table_loads_without_errors() {
    let table = ai::table();
    assert_eq!(table.load_errors, Vec::<String>::new());
    assert!(
        table.entries().len() > 500,
        "ranges are expanded: {}",
        table.entries().len()
    );
    let (numeric, alpha2, currency) = super::lint::code_list_sizes();
    assert_eq!((numeric, alpha2, currency), (249, 249, 179));
}

#[test]
fn traceability_ais_have_the_facts_of_domain_md_a4() {
    let e = |ai: &str| ai::lookup(ai).unwrap_or_else(|| panic!("({ai}) missing"));
    assert_eq!((e("01").needs_separator, e("01").max_len), (false, 14));
    assert_eq!(
        e("01").dl_key,
        Some(vec![vec!["22", "10", "21"], vec!["235"]])
    );
    assert_eq!(e("01").excludes, vec!["255", "37"]);
    assert_eq!(
        (e("10").needs_separator, e("10").min_len, e("10").max_len),
        (true, 1, 20)
    );
    assert_eq!(e("10").requires, vec!["01,02,03,8006,8026"]);
    assert_eq!(e("11").components[0].linters, vec![Linter::Yymmd0]);
    assert_eq!(e("7003").components[0].linters, vec![Linter::Yymmdd]);
    assert!(
        !e("21").dl_attribute,
        "serial is never a query attribute (§A.4 note)"
    );
    assert_eq!(e("250").requires, vec!["01,8006", "21"]);
    assert_eq!(e("37").requires, vec!["00", "02,8026"]);
    assert_eq!(e("422").components[0].linters, vec![Linter::Iso3166]);
    assert!(!e("8200").dl_attribute);
    assert_eq!(e("3103").title, "NET WEIGHT (kg)");
}

/// domain.md §A.7 (`ai.c` `fixedAIprefixLengths`): the predefined-length prefixes and value
/// lengths. Every AI with such a prefix must need no separator and have that length; every other
/// AI must need one.
#[test]
fn separator_flags_agree_with_the_predefined_length_prefixes() {
    let predefined: &[(&str, usize)] = &[
        ("00", 18),
        ("01", 14),
        ("02", 14),
        ("03", 14),
        ("04", 16),
        ("11", 6),
        ("12", 6),
        ("13", 6),
        ("14", 6),
        ("15", 6),
        ("16", 6),
        ("17", 6),
        ("18", 6),
        ("19", 6),
        ("20", 2),
        ("31", 6),
        ("32", 6),
        ("33", 6),
        ("34", 6),
        ("35", 6),
        ("36", 6),
        ("41", 13),
    ];
    for entry in ai::table().entries() {
        let fixed = predefined.iter().find(|(p, _)| entry.ai.starts_with(p));
        match fixed {
            Some((_, len)) => {
                assert!(
                    !entry.needs_separator,
                    "({}) has a predefined length",
                    entry.ai
                );
                assert_eq!(entry.max_len, *len, "({})", entry.ai);
            }
            None => assert!(entry.needs_separator, "({}) is not predefined", entry.ai),
        }
    }
}

#[test]
fn digital_link_path_sequences_are_those_of_dl_c() {
    // dl.c test_dl_testValidateDLpathAIseq
    let valid: &[&[&str]] = &[
        &["00"],
        &["01"],
        &["01", "21"],
        &["01", "10"],
        &["01", "10", "21"],
        &["01", "22"],
        &["01", "22", "21"],
        &["01", "22", "10"],
        &["01", "22", "10", "21"],
        &["01", "235"],
        &["253"],
        &["255"],
        &["401"],
        &["402"],
        &["414"],
        &["414", "254"],
        &["414", "7040"],
        &["417"],
        &["417", "7040"],
        &["8003"],
        &["8004"],
        &["8004", "7040"],
        &["8006"],
        &["8006", "21"],
        &["8006", "10"],
        &["8006", "10", "21"],
        &["8006", "22"],
        &["8006", "22", "21"],
        &["8006", "22", "10"],
        &["8006", "22", "10", "21"],
        &["8010"],
        &["8010", "8011"],
        &["8013"],
        &["8017"],
        &["8017", "8019"],
        &["8018"],
        &["8018", "8019"],
    ];
    let table = ai::table();
    for seq in valid {
        assert!(table.is_dl_sequence(seq), "{seq:?} should be valid");
    }
    let invalid: &[&[&str]] = &[
        &["01", "21", "10"],
        &["01", "10", "22"],
        &["01", "22", "235"],
        &["01", "99"],
        &["10"],
        &["01", "235", "21"],
    ];
    for seq in invalid {
        assert!(!table.is_dl_sequence(seq), "{seq:?} should be invalid");
    }
}

/// Reads the GS1 Barcode Syntax Dictionary from `../shared/standards/` (relative to the repository
/// root) and checks that every fact of every AI made it into `data/gs1_ai.tsv`.
#[test]
fn ai_table_matches_the_gs1_syntax_dictionary() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../../shared/standards/gs1-syntax-dictionary.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!(
            "SKIPPED: {} is absent, so the AI table was not cross-checked",
            path.display()
        );
        return;
    };
    let table = ai::table();
    let mut count = 0;
    for line in text.lines() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let (body, title) = line.split_once('#').unwrap_or((line, ""));
        let mut tokens: Vec<&str> = body.split_whitespace().collect();
        let ais = tokens.remove(0);
        let flags = if tokens[0].starts_with(['N', 'X', 'Y', 'Z', '[']) {
            ""
        } else {
            tokens.remove(0)
        };
        let spec: Vec<&str> = tokens
            .iter()
            .copied()
            .filter(|t| !t.contains('=') && *t != "dlpkey")
            .collect();
        let attr = |key: &str| -> Vec<&str> {
            tokens.iter().filter_map(|t| t.strip_prefix(key)).collect()
        };
        let (lo, hi) = match ais.split_once('-') {
            Some((lo, hi)) => (lo, hi),
            None => (ais, ais),
        };
        let width = lo.len();
        let (lo, hi): (u32, u32) = (lo.parse().unwrap(), hi.parse().unwrap());
        for n in lo..=hi {
            count += 1;
            let ai = format!("{n:0width$}");
            let e = table
                .get(&ai)
                .unwrap_or_else(|| panic!("({ai}) missing from gs1_ai.tsv"));
            assert_eq!(e.needs_separator, !flags.contains('*'), "({ai}) separator");
            assert_eq!(e.dl_attribute, flags.contains('?'), "({ai}) DL attribute");
            assert_eq!(e.spec, spec.join(" "), "({ai}) spec");
            assert_eq!(e.requires, attr("req="), "({ai}) req");
            let ex: Vec<&str> = attr("ex=").iter().flat_map(|r| r.split(',')).collect();
            assert_eq!(e.excludes, ex, "({ai}) ex");
            let dl: Option<Vec<Vec<&str>>> = if tokens.contains(&"dlpkey") {
                Some(vec![vec![]])
            } else {
                attr("dlpkey=")
                    .first()
                    .map(|v| v.split('|').map(|alt| alt.split(',').collect()).collect())
            };
            assert_eq!(e.dl_key, dl, "({ai}) dlpkey");
            assert_eq!(e.title, title.trim(), "({ai}) title");
        }
    }
    assert_eq!(
        count,
        table.entries().len(),
        "the table has AIs the dictionary does not"
    );
}

#[test]
fn every_linter_in_the_table_is_implemented_or_listed_as_not_checked() {
    for entry in ai::table().entries() {
        for c in &entry.components {
            for l in &c.linters {
                if let Linter::NotChecked(name) = l {
                    assert!(NOT_CHECKED_LINTERS.contains(name), "({}) {name}", entry.ai);
                }
            }
        }
    }
}

// ----- element strings -----

#[test]
fn element_strings_checked_in_full() {
    run_table(
        "gs1_element_strings.txt",
        include_str!("../../test_data/gs1_element_strings.txt"),
        |input| describe(ElementString::parse_bracketed(input, TODAY)),
    );
}

const ASSOCIATIONS: [&str; 4] = [
    "gs1.requires",
    "gs1.excludes",
    "gs1.repeated-ai",
    "gs1.digsig-serial",
];

/// Values only, the way the engine's parse tests work (they check pairings separately).
fn describe_values(input: &str) -> String {
    let analysis =
        if input.starts_with('^') || input.starts_with('\u{1d}') || input.starts_with('0') {
            element::analyse_raw(input, TODAY, true, 0)
        } else {
            element::analyse_bracketed(input, TODAY)
        };
    let problems: Vec<Problem> = analysis
        .problems
        .iter()
        .filter(|p| !ASSOCIATIONS.contains(&p.code.as_str()))
        .cloned()
        .collect();
    if problems.iter().any(Problem::is_error) {
        format!("err {}", describe_problems(&problems))
    } else {
        format!(
            "ok {}",
            ElementString::from_analysis_unchecked(&analysis).to_caret()
        )
    }
}

#[test]
fn element_values_like_the_engine_parse_tests() {
    run_table(
        "gs1_values.txt",
        include_str!("../../test_data/gs1_values.txt"),
        describe_values,
    );
}

#[test]
fn value_of_ninety_characters_is_the_limit() {
    let ok = format!("(99){}", "A".repeat(90));
    assert_eq!(describe_values(&ok), format!("ok ^99{}", "A".repeat(90)));
    let long = format!("(99){}", "A".repeat(91));
    assert_eq!(describe_values(&long), "err gs1.too-long(99)@95");
}

#[test]
fn raw_data_puts_gs_only_after_variable_length_elements_that_are_not_last() {
    let es = ElementString::parse_bracketed("(01)06901234567892(10)B20250715-01(11)250715", TODAY)
        .unwrap();
    assert_eq!(es.to_raw(), "010690123456789210B20250715-01\u{1d}11250715");
    let es =
        ElementString::parse_bracketed("(01)06901234567892(17)271231(10)X1(21)A1", TODAY).unwrap();
    assert_eq!(es.to_raw(), "01069012345678921727123110X1\u{1d}21A1");
    let es = ElementString::parse_bracketed("(01)06901234567892(21)A1", TODAY).unwrap();
    assert_eq!(
        es.to_raw(),
        "010690123456789221A1",
        "no GS after the last element"
    );
    // and back
    let again = ElementString::parse_raw(&es.to_raw(), TODAY).unwrap();
    assert_eq!(again, es);
}

#[test]
fn bracketed_form_round_trips_with_escaped_brackets() {
    let text = "(01)12345678901231(10)AB\\(C)(21)X\\(1";
    let es = ElementString::parse_bracketed(text, TODAY).unwrap();
    assert_eq!(es.get("10"), Some("AB(C)"));
    assert_eq!(es.get("21"), Some("X(1"));
    assert_eq!(es.to_bracketed(), text);
    assert_eq!(es.to_string(), text);
}

#[test]
fn several_problems_are_reported_together() {
    let problems =
        ElementString::parse_bracketed("(01)06901234567893(11)251301(10)批次(21)SN 1", TODAY)
            .unwrap_err();
    assert_eq!(
        describe_problems(&problems.0),
        "gs1.check-digit(01)@18 gs1.month(11)@25 gs1.cset82(10)@33 gs1.cset82(21)@41"
    );
}

#[test]
fn from_pairs_validates_like_parsing() {
    let es =
        ElementString::from_pairs(&[("01", "09520123456788"), ("10", "ABC123")], TODAY).unwrap();
    assert_eq!(es.to_bracketed(), "(01)09520123456788(10)ABC123");
    let err = ElementString::from_pairs(&[("10", "ABC123"), ("999", "x")], TODAY).unwrap_err();
    assert_eq!(describe_problems(&err.0), "gs1.unknown-ai gs1.requires(10)");
}

// ----- domain.md §A.8 worked examples: element string, raw data and Digital Link -----

#[track_caller]
fn check_worked(bracketed: &str, data: &str, dl: &str) {
    let es = ElementString::parse_bracketed(bracketed, TODAY)
        .unwrap_or_else(|p| panic!("{bracketed}: {p}"));
    assert_eq!(es.to_caret(), data, "{bracketed}");
    assert_eq!(
        es.to_digital_link(Some("https://example.com")).as_deref(),
        Ok(dl),
        "{bracketed}"
    );
    // and the link reads back to the same data
    let back =
        DigitalLink::parse(dl, TODAY, DlOptions::default()).unwrap_or_else(|p| panic!("{dl}: {p}"));
    assert_eq!(back.to_uri(), dl);
    assert_eq!(back.stem(), "https://example.com");
}

#[test]
fn worked_examples_of_domain_md_a8() {
    check_worked(
        "(01)06901234567892(10)B20250715-01(11)250715",
        "^010690123456789210B20250715-01^11250715",
        "https://example.com/01/06901234567892/10/B20250715-01?11=250715",
    );
    check_worked(
        "(01)06901234567892(17)271231(10)X1(21)A1",
        "^01069012345678921727123110X1^21A1",
        "https://example.com/01/06901234567892/10/X1/21/A1?17=271231",
    );
    check_worked(
        "(01)06901234567892(10)AB/12(21)0000123",
        "^010690123456789210AB/12^210000123",
        "https://example.com/01/06901234567892/10/AB%2F12/21/0000123",
    );
    check_worked(
        "(00)069012340000000016(02)06901234567892(37)120",
        "^00069012340000000016020690123456789237120",
        "https://example.com/00/069012340000000016?02=06901234567892&37=120",
    );
    check_worked(
        "(01)06901234567892(240)ABC-123(241)CUST/9",
        "^0106901234567892240ABC-123^241CUST/9",
        "https://example.com/01/06901234567892?240=ABC-123&241=CUST%2F9",
    );
    check_worked(
        "(414)6901234000009",
        "^4146901234000009",
        "https://example.com/414/6901234000009",
    );
}

#[test]
fn hri_is_ai_in_brackets_then_a_space_then_the_value() {
    let es = ElementString::parse_bracketed("(01)06901234567892(10)B20250715-01(11)250715", TODAY)
        .unwrap();
    assert_eq!(
        es.hri_lines(),
        ["(01) 06901234567892", "(10) B20250715-01", "(11) 250715"]
    );
    assert_eq!(
        es.to_hri(),
        "(01) 06901234567892 (10) B20250715-01 (11) 250715"
    );
    assert_eq!(
        ElementString::parse_hri(&es.to_hri(), TODAY),
        Ok(es.clone())
    );
    assert_eq!(
        ElementString::parse_hri(&es.hri_lines().join("\n"), TODAY),
        Ok(es)
    );
}

#[test]
fn hri_reading_reports_problems_at_their_positions() {
    let err = ElementString::parse_hri("(01) 09520123456788 (21) SN 0001", TODAY).unwrap_err();
    assert_eq!(describe_problems(&err.0), "gs1.cset82(21)@28");
    let err = ElementString::parse_hri("x (01) 09520123456788", TODAY).unwrap_err();
    assert_eq!(describe_problems(&err.0), "gs1.syntax@1");
    let err = ElementString::parse_hri("  ", TODAY).unwrap_err();
    assert_eq!(describe_problems(&err.0), "gs1.empty");
    assert!(super::hri::looks_like_hri("(01) 09520123456788"));
    assert!(!super::hri::looks_like_hri("(01)09520123456788"));
}

// ----- GS1 Digital Link -----

#[test]
fn digital_links_parsed_like_the_engine() {
    run_table(
        "gs1_digital_link.txt",
        include_str!("../../test_data/gs1_digital_link.txt"),
        |input| match DigitalLink::parse(input, TODAY, DlOptions::default()) {
            Ok(dl) => describe(Ok(dl.element_string().clone())),
            Err(p) => format!("err {}", describe_problems(&p.0)),
        },
    );
}

#[test]
fn short_gtins_in_a_digital_link_are_padded_when_allowed() {
    let options = DlOptions {
        short_gtin: ShortGtin::PadWithWarning,
    };
    // dl.c test_dl_parseDLuri with permitZeroSuppressedGTINinDLuris
    for (uri, data) in [
        ("https://a/01/2112345678900", "^0102112345678900"),
        ("https://a/01/416000336108", "^0100416000336108"),
        ("https://a/01/02345673", "^0100000002345673"),
        (
            "https://a/8004/9520614141234567?01=02345673",
            "^80049520614141234567^0100000002345673",
        ),
        (
            "https://brand.example.com/some-extra/pathinfo/01/9520123456788",
            "^0109520123456788",
        ),
        (
            "https://example.com/01/9520123456788?3103=000195&3922=0299&17=201225",
            "^0109520123456788310300019539220299^17201225",
        ),
    ] {
        let dl = DigitalLink::parse(uri, TODAY, options).unwrap_or_else(|p| panic!("{uri}: {p}"));
        assert_eq!(dl.element_string().to_caret(), data, "{uri}");
        assert_eq!(
            dl.warnings()
                .iter()
                .map(|p| p.code.as_str())
                .collect::<Vec<_>>(),
            ["gs1.dl.short-gtin"]
        );
    }
}

#[test]
fn digital_link_parts() {
    let dl = DigitalLink::parse(
        "https://example.com/some/stem/01/09520123456788/10/ABC%2F1?17=271231&x=y#frag",
        TODAY,
        DlOptions::default(),
    )
    .unwrap();
    assert_eq!(dl.stem(), "https://example.com/some/stem");
    assert_eq!(
        dl.path_elements()
            .iter()
            .map(|e| e.ai())
            .collect::<Vec<_>>(),
        ["01", "10"]
    );
    assert_eq!(dl.path_elements()[1].value(), "ABC/1");
    assert_eq!(
        dl.attributes()
            .iter()
            .map(|e| (e.ai(), e.value()))
            .collect::<Vec<_>>(),
        [("17", "271231")]
    );
    assert_eq!(
        dl.to_string(),
        "https://example.com/some/stem/01/09520123456788/10/ABC%2F1?17=271231"
    );
}

#[track_caller]
fn check_build(stem: Option<&str>, bracketed: &str, expect: &str) {
    let analysis = element::analyse_bracketed(bracketed, TODAY);
    let values_ok = analysis
        .problems
        .iter()
        .all(|p| ASSOCIATIONS.contains(&p.code.as_str()));
    assert!(
        values_ok,
        "{bracketed}: {}",
        describe_problems(&analysis.problems)
    );
    let es = ElementString::from_analysis_unchecked(&analysis);
    let actual = match digital_link::build(&es, stem) {
        Ok(uri) => uri,
        Err(p) => format!("err {}", describe_problems(&p.0)),
    };
    assert_eq!(actual, expect, "{bracketed}");
}

/// dl.c test_dl_generateDLuri
#[test]
fn digital_links_built_like_the_engine() {
    let ex = Some("https://example.com");
    check_build(
        None,
        "(01)12312312312326(21)abc123",
        "https://id.gs1.org/01/12312312312326/21/abc123",
    );
    check_build(
        ex,
        "(01)12312312312326(21)abc123",
        "https://example.com/01/12312312312326/21/abc123",
    );
    check_build(
        ex,
        "(01)12312312312326(22)ABC(10)DEF(21)GHI",
        "https://example.com/01/12312312312326/22/ABC/10/DEF/21/GHI",
    );
    check_build(
        ex,
        "(01)12312312312326(22)ABC(10)DEF(21)GHI(95)INT",
        "https://example.com/01/12312312312326/22/ABC/10/DEF/21/GHI?95=INT",
    );
    check_build(
        ex,
        "(21)XYZ(01)12312312312333(10)ABC123(99)XYZ",
        "https://example.com/01/12312312312333/10/ABC123/21/XYZ?99=XYZ",
    );
    check_build(ex, "(99)XYZ789", "err gs1.dl.no-key");
    check_build(
        ex,
        "(01)12312312312333(10)ABC+123(99)XYZ+QWERTY",
        "https://example.com/01/12312312312333/10/ABC%2B123?99=XYZ%2BQWERTY",
    );
    check_build(
        ex,
        "(8017)795260646688514634(99)000001(253)9526064000028000001",
        "https://example.com/8017/795260646688514634?99=000001&253=9526064000028000001",
    );
    check_build(
        ex,
        "(253)9526064000028000001(99)000001(8017)795260646688514634",
        "https://example.com/253/9526064000028000001?99=000001&8017=795260646688514634",
    );
    check_build(
        ex,
        "(253)9526064000028000001(99)000001(01)12312312312326(10)DEF(95)INT",
        "https://example.com/253/9526064000028000001?01=12312312312326&99=000001&10=DEF&95=INT",
    );
    check_build(
        ex,
        "(01)12312312312326(01)12312312312326(10)ABC123(99)XYZ789",
        "https://example.com/01/12312312312326/10/ABC123?99=XYZ789",
    );
    check_build(
        ex,
        "(8010)0200(3133)333333(3300)000000(99)57(3133)333333(3300)000000(01)04065093955756(10)0(3133)333333(3300)000000(01)04065093955756",
        "https://example.com/8010/0200?3133=333333&3300=000000&01=04065093955756&99=57&10=0",
    );
    check_build(
        ex,
        "(01)12312312312326(99)000001(8200)http://example.com(95)INT",
        "err gs1.dl.not-attribute(8200)",
    );
    check_build(
        ex,
        "(01)12312312312326(235)TPX9526064(99)000001(22)ABC(95)INT",
        "err gs1.dl.not-attribute(235)",
    );
    check_build(
        ex,
        "(01)12312312312326(22)ABC(10)DEF(99)000001(235)TPX9526064(95)INT",
        "err gs1.dl.not-attribute(235)",
    );
    check_build(
        ex,
        "(01)12312312312326(235)ABC(10)DEF",
        "err gs1.dl.not-attribute(235)",
    );
    check_build(
        Some("https://example.com/"),
        "(01)12312312312326",
        "https://example.com/01/12312312312326",
    );
    check_build(
        Some("https://example.com/my/stem"),
        "(01)12312312312326",
        "https://example.com/my/stem/01/12312312312326",
    );
    check_build(
        Some("ftp://example.com"),
        "(01)12312312312326",
        "err gs1.dl.stem",
    );
    check_build(Some("https://"), "(01)12312312312326", "err gs1.dl.stem");
    check_build(
        Some("https://a.com/x?y=1"),
        "(01)12312312312326",
        "err gs1.dl.stem",
    );
}

#[test]
fn percent_encoding_of_all_cset82_specials() {
    // dl.c test_dl_URIescape: unreserved characters stay, the rest is %XX in upper case
    let es = ElementString::from_pairs(
        &[("01", "12312312312326"), ("10", "!\"%&'()*+,/:;<=>?")],
        TODAY,
    );
    let es = es.unwrap_or_else(|p| panic!("{p}"));
    assert_eq!(
        es.to_digital_link(None).as_deref(),
        Ok(
            "https://id.gs1.org/01/12312312312326/10/%21%22%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3C%3D%3E%3F"
        )
    );
    let es = ElementString::parse_bracketed("(01)12312312312326(99)-._AZaz09", TODAY).unwrap();
    assert_eq!(
        es.to_digital_link(None).as_deref(),
        Ok("https://id.gs1.org/01/12312312312326?99=-._AZaz09")
    );
}

/// dl.c test_dl_URIescape
#[test]
fn uri_escaping_in_path_and_query() {
    let check = |input: &str, path: &str, query: &str| {
        assert_eq!(digital_link::escape(input, false), path, "path {input:?}");
        assert_eq!(digital_link::escape(input, true), query, "query {input:?}");
    };
    check(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    );
    check(
        "abcdefghijklmnopqrstuvwxyz",
        "abcdefghijklmnopqrstuvwxyz",
        "abcdefghijklmnopqrstuvwxyz",
    );
    check("0123456789-._~", "0123456789-._~", "0123456789-._~");
    let specials = "%21%22%23%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3C%3D%3E%3F";
    check("!\"#%&'()*+,/:;<=>?", specials, specials);
    check(" ", "%20", "+");
    check(" AB", "%20AB", "+AB");
    check("A B", "A%20B", "A+B");
    check("AB ", "AB%20", "AB+");
    check("A  B", "A%20%20B", "A++B");
}

/// dl.c test_dl_URIunescape, except that a malformed escape is an error (BWIPP
/// GS1dlBadHexCharacter) where the engine keeps it as text.
#[test]
fn uri_unescaping_in_path_and_query() {
    let check = |input: &str, path: &str, query: &str| {
        let decode = |q| match digital_link::decode(input, 1, q) {
            Ok((chars, _)) => chars.into_iter().collect::<String>(),
            Err((e, pos)) => format!("err {} @{pos}", crate::problem::Fault::code(&e)),
        };
        assert_eq!(decode(false), path, "path {input:?}");
        assert_eq!(decode(true), query, "query {input:?}");
    };
    check("", "", "");
    check("test", "test", "test");
    check("+", "+", " ");
    check("%20", " ", " ");
    check("A%20%20B", "A  B", "A  B");
    check("A%4FB", "AOB", "AOB");
    check("A%4fB", "AOB", "AOB");
    check("A%01B", "A\u{1}B", "A\u{1}B");
    check(
        "ABC%2",
        "err gs1.dl.bad-escape @4",
        "err gs1.dl.bad-escape @4",
    );
    check(
        "ABCD%",
        "err gs1.dl.bad-escape @5",
        "err gs1.dl.bad-escape @5",
    );
    check(
        "A%4gB",
        "err gs1.dl.bad-escape @2",
        "err gs1.dl.bad-escape @2",
    );
    check(
        "A%G4B",
        "err gs1.dl.bad-escape @2",
        "err gs1.dl.bad-escape @2",
    );
    check(
        "A%00B",
        "err gs1.dl.bad-escape @2",
        "err gs1.dl.bad-escape @2",
    );
    check("%E6%89%B9", "批", "批");
    check("A%FFB", "A\u{fffd}B", "A\u{fffd}B");
}

// ----- scanner data (scandata.c test_scandata_processScanData) -----

fn describe_scan(input: &str) -> String {
    match ScanData::parse(input, TODAY, DlOptions::default()) {
        Ok(scan) => {
            let content = match scan.content {
                ScanContent::Elements(es) => es.to_caret(),
                ScanContent::Gtin {
                    gtin,
                    composite: None,
                } => format!("gtin {gtin}"),
                ScanContent::Gtin {
                    gtin,
                    composite: Some(c),
                } => format!("gtin {gtin} | {}", c.to_caret()),
                ScanContent::DigitalLink(dl) => format!("dl {}", dl.element_string().to_caret()),
                ScanContent::Text(t) => format!("text {t}"),
            };
            format!(
                "ok {} {} {content}",
                scan.symbology_id,
                scan.symbology.name()
            )
        }
        Err(p) => format!("err {}", describe_problems(&p.0)),
    }
}

#[track_caller]
fn check_scan(input: &str, expect: &str) {
    assert_eq!(describe_scan(input), expect, "input: {input:?}");
}

#[test]
fn scan_data_needs_a_known_symbology_identifier() {
    check_scan("", "err gs1.scan.symbology@1");
    check_scan("ABC", "err gs1.scan.symbology@1");
    check_scan("]", "err gs1.scan.symbology@1");
    check_scan("]X", "err gs1.scan.symbology@1");
    check_scan("]XX", "err gs1.scan.symbology@1");
    check_scan("]e0", "err gs1.scan.empty@3");
    check_scan("]C1", "err gs1.scan.empty@3");
    check_scan("]d2", "err gs1.scan.empty@3");
    check_scan("]Q3", "err gs1.scan.empty@3");
}

#[test]
fn gs1_scan_data_with_gs_separators() {
    check_scan(
        "]Q3011231231231233310ABC123\u{1d}99TESTING",
        "ok ]Q3 QR Code ^011231231231233310ABC123^99TESTING",
    );
    check_scan(
        "]d2011231231231233310ABC123\u{1d}99TESTING",
        "ok ]d2 Data Matrix ^011231231231233310ABC123^99TESTING",
    );
    check_scan(
        "]J1011231231231233310ABC123\u{1d}99TESTING",
        "ok ]J1 DotCode ^011231231231233310ABC123^99TESTING",
    );
    check_scan(
        "]C1011231231231233310ABC123\u{1d}99TESTING",
        "ok ]C1 GS1-128 ^011231231231233310ABC123^99TESTING",
    );
    check_scan(
        "]e0011231231231233310ABC123\u{1d}99TESTING\u{1d}98XYZ",
        "ok ]e0 GS1 DataBar ^011231231231233310ABC123^99TESTING^98XYZ",
    );
    check_scan(
        "]e0011231231231233310ABC123\u{1d}1199122598TESTING\u{1d}97XYZ",
        "ok ]e0 GS1 DataBar ^011231231231233310ABC123^1199122598TESTING^97XYZ",
    );
    check_scan(
        "]e00112312312312333235XYZ\u{1d}10ABC",
        "ok ]e0 GS1 DataBar ^0112312312312333235XYZ^10ABC",
    );
    check_scan(
        "]C10112312312312333235XYZ",
        "ok ]C1 GS1-128 ^0112312312312333235XYZ",
    );
    check_scan(
        "]d2010952012345678810ABC123\u{1d}",
        "ok ]d2 Data Matrix ^010952012345678810ABC123",
    );
}

#[test]
fn caret_is_data_not_fnc1_in_scan_data() {
    // scandata.c: "^" is refused in scan data; here it is a data character, so (01) swallows it.
    check_scan(
        "]C101123123123133^10ABC",
        "err gs1.bad-ai@20 gs1.non-digit(01)@18",
    );
}

#[test]
fn plain_scan_data_and_digital_links() {
    check_scan("]Q1", "ok ]Q1 QR Code text ");
    check_scan("]Q1TESTING", "ok ]Q1 QR Code text TESTING");
    check_scan("]d1TESTING", "ok ]d1 Data Matrix text TESTING");
    check_scan("]J0TESTING", "ok ]J0 DotCode text TESTING");
    check_scan(
        "]Q1https://example.com/01/12312312312333?99=TEST",
        "ok ]Q1 QR Code dl ^011231231231233399TEST",
    );
    check_scan(
        "]Q1HTTPS://example.com/01/12312312312333?99=TEST",
        "ok ]Q1 QR Code dl ^011231231231233399TEST",
    );
    check_scan(
        "]d1https://example.com/01/12312312312333?99=TEST",
        "ok ]d1 Data Matrix dl ^011231231231233399TEST",
    );
    check_scan(
        "]Q1HtTps://example.com/01/12312312312333?99=TEST",
        "ok ]Q1 QR Code text HtTps://example.com/01/12312312312333?99=TEST",
    );
    check_scan(
        "]Q1https://a/NOPRIMARYAI",
        "ok ]Q1 QR Code text https://a/NOPRIMARYAI",
    );
    check_scan(
        "]Q1https://example.com/01/12312312312334",
        "err gs1.check-digit(01)@40",
    );
}

#[test]
fn ean_scan_data() {
    check_scan("]E0", "err gs1.scan.length@4");
    check_scan("]E0123456789012", "err gs1.scan.length@4");
    check_scan("]E012345678901234", "err gs1.scan.length@4");
    check_scan("]E01234ABC890123", "err gs1.non-digit@8");
    check_scan("]E02112345678901", "err gs1.check-digit@16");
    check_scan("]E02112345678900", "ok ]E0 EAN-13 gtin 2112345678900");
    check_scan(
        "]E02112345678900|]e099COMPOSITE\u{1d}98XYZ",
        "ok ]E0 EAN-13 gtin 2112345678900 | ^99COMPOSITE^98XYZ",
    );
    check_scan("]E4", "err gs1.scan.length@4");
    check_scan("]E41234567", "err gs1.scan.length@4");
    check_scan("]E412ABC678", "err gs1.non-digit@6");
    check_scan("]E402345674", "err gs1.check-digit@11");
    check_scan("]E402345673", "ok ]E4 EAN-8 gtin 02345673");
    check_scan("]E06901234567892", "ok ]E0 EAN-13 gtin 6901234567892");
}

// ----- composing trace codes (domain.md §A.3) -----

fn gtin() -> Gtin {
    Gtin::parse("6901234567892").unwrap()
}

fn date(y: i32, m: u8, d: u8) -> YearMonthDay {
    YearMonthDay::new(y, m, d).unwrap()
}

#[test]
fn product_code_is_the_gtin_alone() {
    let g = gtin();
    let spec = TraceCodeSpec {
        gtin: &g,
        granularity: Granularity::Product,
        lot: None,
        production_date: None,
        expiry_date: None,
        serial: None,
    };
    let code = compose(&spec, Some("https://example.com"), TODAY).unwrap();
    assert_eq!(code.bracketed, "(01)06901234567892");
    assert_eq!(code.raw, "0106901234567892");
    assert_eq!(code.hri, "(01) 06901234567892");
    assert_eq!(code.digital_link, "https://example.com/01/06901234567892");
}

#[test]
fn batch_code_has_the_lot_and_dates() {
    let g = gtin();
    let spec = TraceCodeSpec {
        gtin: &g,
        granularity: Granularity::Batch,
        lot: Some("B20250715-01"),
        production_date: Some(date(2025, 7, 15)),
        expiry_date: Some(date(2027, 12, 31)),
        serial: None,
    };
    let code = compose(&spec, None, TODAY).unwrap();
    assert_eq!(
        code.bracketed,
        "(01)06901234567892(11)250715(17)271231(10)B20250715-01"
    );
    assert_eq!(code.raw, "0106901234567892112507151727123110B20250715-01");
    assert_eq!(
        code.hri,
        "(01) 06901234567892 (11) 250715 (17) 271231 (10) B20250715-01"
    );
    assert_eq!(
        code.digital_link,
        "https://id.gs1.org/01/06901234567892/10/B20250715-01?11=250715&17=271231"
    );
    assert!(code.warnings.is_empty());
}

#[test]
fn item_code_has_the_serial_and_optionally_the_lot() {
    let g = gtin();
    let mut spec = TraceCodeSpec {
        gtin: &g,
        granularity: Granularity::Item,
        lot: Some("X1"),
        production_date: None,
        expiry_date: Some(date(2027, 12, 31)),
        serial: Some("A1"),
    };
    let code = compose(&spec, Some("https://example.com"), TODAY).unwrap();
    assert_eq!(code.bracketed, "(01)06901234567892(17)271231(10)X1(21)A1");
    assert_eq!(code.raw, "01069012345678921727123110X1\u{1d}21A1");
    assert_eq!(
        code.digital_link,
        "https://example.com/01/06901234567892/10/X1/21/A1?17=271231"
    );
    spec.lot = None;
    let code = compose(&spec, Some("https://example.com"), TODAY).unwrap();
    assert_eq!(
        code.digital_link,
        "https://example.com/01/06901234567892/21/A1?17=271231"
    );
}

#[test]
fn composition_checks_the_granularity_and_the_values() {
    let g = gtin();
    let base = TraceCodeSpec {
        gtin: &g,
        granularity: Granularity::Batch,
        lot: None,
        production_date: None,
        expiry_date: None,
        serial: None,
    };
    let codes = |spec: TraceCodeSpec<'_>| match compose(&spec, None, TODAY) {
        Ok(c) => format!("ok {} {}", c.bracketed, describe_problems(&c.warnings)),
        Err(p) => format!("err {}", describe_problems(&p.0)),
    };
    assert_eq!(codes(base), "err compose.missing-lot");
    assert_eq!(
        codes(TraceCodeSpec {
            lot: Some(""),
            ..base
        }),
        "err compose.missing-lot"
    );
    assert_eq!(
        codes(TraceCodeSpec {
            lot: Some("L1"),
            serial: Some("S"),
            ..base
        }),
        "err compose.granularity"
    );
    assert_eq!(
        codes(TraceCodeSpec {
            granularity: Granularity::Item,
            ..base
        }),
        "err compose.missing-serial"
    );
    assert_eq!(
        codes(TraceCodeSpec {
            granularity: Granularity::Product,
            lot: Some("L1"),
            serial: Some("S1"),
            ..base
        }),
        "err compose.granularity compose.granularity"
    );
    assert_eq!(
        codes(TraceCodeSpec {
            lot: Some("L1"),
            production_date: Some(date(2025, 7, 1)),
            expiry_date: Some(date(2025, 6, 30)),
            ..base
        }),
        "err compose.expiry-before-production"
    );
    assert_eq!(
        codes(TraceCodeSpec {
            lot: Some("L1"),
            production_date: Some(date(2025, 7, 16)),
            ..base
        }),
        "err compose.production-in-future"
    );
    assert_eq!(
        codes(TraceCodeSpec {
            lot: Some("批次1"),
            ..base
        }),
        "err gs1.cset82(10)"
    );
    assert_eq!(
        codes(TraceCodeSpec {
            lot: Some("123456789012345678901"),
            ..base
        }),
        "err gs1.too-long(10)"
    );
    assert_eq!(
        codes(TraceCodeSpec {
            lot: Some("L/1"),
            ..base
        }),
        "ok (01)06901234567892(10)L/1 w:gs1.gbt33993-char(10)"
    );
}

#[test]
fn lots_a_code_carries_must_fit_gs1_ai_10() {
    use super::compose::check_lot;
    // (lot, problems when the product's codes carry the lot)
    let cases = [
        ("B20250715-01", ""),
        ("LOT/2025(A)_x:1", ""),
        ("ABCDEFGHIJKLMNOPQRST", ""),
        ("批次01", "gs1.cset82(10)@1"),
        ("B2025 01", "gs1.cset82(10)@6"),
        ("B#1", "gs1.cset82(10)@2"),
        ("Ｂ2025", "gs1.cset82(10)@1"),
        ("ABCDEFGHIJKLMNOPQRSTU", "gs1.too-long(10)@21"),
        (
            "ABCDEFGHIJKLMNOPQRST批",
            "gs1.too-long(10)@21 gs1.cset82(10)@21",
        ),
    ];
    for (lot, expect) in cases {
        let carried = check_lot(lot, true);
        assert_eq!(describe_problems(&carried), expect, "{lot}");
        assert!(carried.iter().all(Problem::is_error), "{lot}");
        // Codes that do not carry the lot: the same findings, as warnings.
        let later = check_lot(lot, false);
        let warned: Vec<String> = expect
            .split_whitespace()
            .map(|p| format!("w:{p}"))
            .collect();
        assert_eq!(describe_problems(&later), warned.join(" "), "{lot}");
    }
    let p = &check_lot("B2025 01", true)[0];
    assert_eq!(p.position, Some(6));
    assert!(
        p.message.zh.contains("第 6 位") && p.message.zh.contains("字符“ ”"),
        "{}",
        p.message.zh
    );
    assert!(p.message.en.contains("at position 6"), "{}", p.message.en);
    let w = &check_lot("批次01", false)[0];
    assert!(
        w.message.zh.contains("以后若要把批号写进 GS1 码"),
        "{}",
        w.message.zh
    );
    assert!(w.message.zh.contains("字符“批”"), "{}", w.message.zh);
}

#[test]
fn batch_codes_always_and_item_codes_when_set_carry_the_lot() {
    assert!(Granularity::Batch.carries_lot(false));
    assert!(Granularity::Item.carries_lot(true));
    assert!(!Granularity::Item.carries_lot(false));
    assert!(!Granularity::Product.carries_lot(true));
}
