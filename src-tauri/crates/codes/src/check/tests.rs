//! `check()`: scheme detection and the report, one line per case.

use super::*;
use crate::problem::describe_problem;

const TODAY: YearMonthDay = match YearMonthDay::new(2025, 7, 15) {
    Some(d) => d,
    None => panic!("valid date"),
};

fn describe(report: &CodeReport) -> String {
    let fields = report
        .fields
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",");
    let mut s = format!(
        "{} {} {{{fields}}}",
        report.scheme.as_str(),
        if report.valid { "valid" } else { "invalid" }
    );
    for p in &report.problems {
        s.push(' ');
        s.push_str(&describe_problem(p));
    }
    if let Some(alt) = report.alternative {
        s.push_str(&format!(" alt={}", alt.as_str()));
    }
    if let Some(fix) = &report.suggestion {
        s.push_str(&format!(" fix={fix}"));
    }
    s
}

/// Runs a table of `(input, expected description)`.
#[track_caller]
fn check_table(table: &[(&str, &str)]) {
    for (input, expect) in table {
        check_text(input, expect);
    }
}

#[track_caller]
fn check_text(input: &str, expect: &str) {
    assert_eq!(describe(&check(input, TODAY)), expect, "input: {input:?}");
}

#[test]
fn gs1_element_strings() {
    check_text(
        "(01)09520123456788(10)ABC123",
        "gs1-element-string valid {01=09520123456788,10=ABC123}",
    );
    check_text(
        "(01) 09520123456788 (10) ABC123",
        "gs1-element-string valid {01=09520123456788,10=ABC123}",
    );
    check_text(
        "(01)09520123456789",
        "gs1-element-string invalid {01=09520123456789} gs1.check-digit(01)@18",
    );
    check_text(
        "^010952012345678810ABC123",
        "gs1-element-string valid {01=09520123456788,10=ABC123}",
    );
    check_text(
        "010952012345678810ABC123\u{1d}17271231",
        "gs1-element-string valid {01=09520123456788,10=ABC123,17=271231}",
    );
    check_text(
        "010952012345678810ABC123",
        "gs1-element-string valid {01=09520123456788,10=ABC123}",
    );
    check_text(
        "(10)LOT1",
        "gs1-element-string invalid {10=LOT1} gs1.requires(10)@2",
    );
}

#[test]
fn scanner_data() {
    check_text(
        "]d2010952012345678810ABC123\u{1d}17271231",
        "gs1-element-string valid {01=09520123456788,10=ABC123,17=271231,symbology=]d2}",
    );
    check_text(
        "]C1010952012345678810ABC123\r\n",
        "gs1-element-string valid {01=09520123456788,10=ABC123,symbology=]C1}",
    );
    check_text(
        "]E09520123456788",
        "gtin valid {01=09520123456788,gtin=9520123456788,symbology=]E0}",
    );
    check_text(
        "]Q1https://example.com/01/09520123456788/10/ABC123",
        "gs1-digital-link valid {01=09520123456788,10=ABC123,stem=https://example.com,symbology=]Q1}",
    );
    check_text(
        "]Q1https://www.hgzcloud.com/q/ABC123",
        "digital-id valid {host=www.hgzcloud.com,symbology=]Q1,value=https://www.hgzcloud.com/q/ABC123}",
    );
    check_text(
        "]Q110064123456789012345",
        "ecode valid {ecode=10064123456789012345,md=123456789012345,nsi=0064,symbology=]Q1,version=1}",
    );
    check_text("]Z9abc", "unknown invalid {} gs1.scan.symbology@1");
}

#[test]
fn digital_links() {
    check_text(
        "https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426",
        "gs1-digital-link valid {01=09520123456788,10=ABC1,17=180426,21=12345,stem=https://id.gs1.org}",
    );
    check_text(
        "HtTp://a/b/00/006141411234567890",
        "gs1-digital-link invalid {} gs1.dl.scheme@1",
    );
    check_text(
        "https://example.com/01/09520123456788?10=ABC123",
        "gs1-digital-link invalid {01=09520123456788,10=ABC123,stem=https://example.com} gs1.dl.qualifier-in-query(10)@39",
    );
}

#[test]
fn plain_gtins() {
    check_text(
        "6901234567892",
        "gtin valid {01=06901234567892,gtin=6901234567892,kind=GTIN-13}",
    );
    check_text(
        "02345673",
        "gtin valid {01=00000002345673,gtin=02345673,kind=GTIN-8}",
    );
    check_text("6901234567893", "gtin invalid {} gs1.check-digit(01)@13");
    check_text(" 6901234567893", "gtin invalid {} gs1.check-digit(01)@14");
    check_text(
        "６９０１２３４５６７８９２",
        "gtin valid {01=06901234567892,gtin=6901234567892,kind=GTIN-13} w:input.full-width",
    );
}

#[test]
fn other_schemes() {
    check_text(
        "2016010901123456",
        "ccc-cert valid {body=01,bodyName=中国质量认证中心 (CQC),certificate=2016010901123456,product=0901,productName=微型计算机,serial=123456,year=2016}",
    );
    check_text(
        "2030010901123456",
        "ccc-cert invalid {body=01,bodyName=中国质量认证中心 (CQC),certificate=2030010901123456,product=0901,productName=微型计算机,serial=123456,year=2030} ccc.year@1",
    );
    check_text(
        "200101234567",
        "ccc-cert valid {certificate=200101234567} w:ccc.legacy",
    );
    check_text(
        "91350100M000100Y43",
        "uscc valid {authority=9,division=350100,entityType=1,organisationCode=M000100Y4,uscc=91350100M000100Y43}",
    );
    check_text("91350100M000100Y44", "uscc invalid {} uscc.check-char@18");
    check_text(
        "10064123456789012345",
        "ecode valid {ecode=10064123456789012345,md=123456789012345,nsi=0064,version=1}",
    );
    check_text(
        "https://www.hgzcloud.com/q/ABC123",
        "digital-id valid {host=www.hgzcloud.com,value=https://www.hgzcloud.com/q/ABC123}",
    );
    check_text(
        "HGZ-2025-ABC",
        "digital-id valid {value=HGZ-2025-ABC} w:digital-id.assumed",
    );
    check_text("ab", "unknown invalid {} input.unrecognised");
    check_text("   ", "unknown invalid {} input.empty");
}

#[test]
fn check_as_uses_the_given_scheme() {
    let r = check_as("10064ABC", CodeKind::Ecode, TODAY);
    assert_eq!(
        describe(&r),
        "ecode valid {ecode=10064ABC,md=ABC,nsi=0064,version=1} w:ecode.char@6"
    );
    let r = check_as("6901234567892", CodeKind::DigitalId, TODAY);
    assert_eq!(describe(&r), "digital-id valid {value=6901234567892}");
    let r = check_as("(01)09520123456788", CodeKind::Gs1ElementString, TODAY);
    assert!(r.valid);
    let r = check_as(
        "https://example.com/01/09520123456788",
        CodeKind::Gs1DigitalLink,
        TODAY,
    );
    assert!(r.valid);
    let r = check_as("2016010901123456", CodeKind::CccCert, TODAY);
    assert!(r.valid);
    let r = check_as("6901234567892", CodeKind::Gtin, TODAY);
    assert!(r.valid);
    let r = check_as("91350100M000100Y43", CodeKind::Uscc, TODAY);
    assert!(r.valid);
}

#[test]
fn report_serialises_as_the_cli_prints_it() {
    let report = check("(01)06901234567893(10)AB/1", TODAY);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "valid": false,
            "scheme": "gs1-element-string",
            "fields": {"01": "06901234567893", "10": "AB/1"},
            "problems": [
                {
                    "ai": "01",
                    "position": 18,
                    "code": "gs1.check-digit",
                    "severity": "error",
                    "message": {
                        "zh": "(01) 第 18 位：校验位应为 2，实际为 3，请核对是否有数字抄错",
                        "en": "(01) at position 18: check digit should be 2, found 3: re-check the digits, one was probably mistyped"
                    }
                },
                {
                    "ai": "10",
                    "position": 25,
                    "code": "gs1.gbt33993-char",
                    "severity": "warning",
                    "message": {
                        "zh": "(10) 第 25 位：字符“/”虽为 GS1 允许，但 GB/T 33993 商品二维码的批号/序列号不允许 % & / < > ?，建议只用字母、数字和“-”",
                        "en": "(10) at position 25: character '/' is allowed by GS1 but excluded by GB/T 33993 (% & / < > ?): prefer letters, digits and '-'"
                    }
                }
            ]
        })
    );
    let empty = serde_json::to_value(check("ab", TODAY)).unwrap();
    assert_eq!(
        empty["problems"][0].get("ai"),
        None,
        "absent ai and position are left out"
    );
    assert_eq!(empty["problems"][0].get("position"), None);
}

#[test]
fn positions_count_from_the_text_as_given_in_field_and_message() {
    let report = check("\u{3000} (01)06901234567893", TODAY);
    assert_eq!(report.problems[0].position, Some(20));
    assert!(
        report.problems[0].message.zh.starts_with("(01) 第 20 位："),
        "{}",
        report.problems[0].message.zh
    );
    assert!(
        report.problems[0]
            .message
            .en
            .starts_with("(01) at position 20: "),
        "{}",
        report.problems[0].message.en
    );
    let report = check("]Q1https://exa_mple.com/x", TODAY);
    assert_eq!(
        describe(&report),
        "digital-id invalid {host=exa_mple.com,symbology=]Q1,value=https://exa_mple.com/x} digital-id.url@15"
    );
    assert!(
        report.problems[0]
            .message
            .en
            .starts_with("at position 15: "),
        "{}",
        report.problems[0].message.en
    );
}

/// A Digital Link carries all 14 digits of a GTIN: the GS1 Syntax Engine calls
/// `https://example.com/01/6901234567892` invalid ("value is too short", domain.md §A.9, `dl.c`).
/// The padded URI is the fix, and the padded GTIN is still read (lookups of a scanned label keep
/// working).
#[test]
fn a_digital_link_with_a_short_gtin_is_invalid_and_the_padded_uri_is_the_fix() {
    check_table(&[
        (
            "https://example.com/01/6901234567892",
            "gs1-digital-link invalid {01=06901234567892,stem=https://example.com} gs1.dl.short-gtin(01)@24 fix=https://example.com/01/06901234567892",
        ),
        (
            "https://example.com/01/9520123456788",
            "gs1-digital-link invalid {01=09520123456788,stem=https://example.com} gs1.dl.short-gtin(01)@24 fix=https://example.com/01/09520123456788",
        ),
        (
            "https://id.gs1.org/01/614141123452/10/ABC1?17=180426",
            "gs1-digital-link invalid {01=00614141123452,10=ABC1,17=180426,stem=https://id.gs1.org} gs1.dl.short-gtin(01)@23 fix=https://id.gs1.org/01/00614141123452/10/ABC1?17=180426",
        ),
        (
            "https://id.gs1.org/01/02345673",
            "gs1-digital-link invalid {01=00000002345673,stem=https://id.gs1.org} gs1.dl.short-gtin(01)@23 fix=https://id.gs1.org/01/00000002345673",
        ),
        (
            "]Q1https://example.com/01/9520123456788",
            "gs1-digital-link invalid {01=09520123456788,stem=https://example.com,symbology=]Q1} gs1.dl.short-gtin(01)@27 fix=https://example.com/01/09520123456788",
        ),
        (
            "  https://example.com/01/9520123456788",
            "gs1-digital-link invalid {01=09520123456788,stem=https://example.com} gs1.dl.short-gtin(01)@26 fix=https://example.com/01/09520123456788",
        ),
        // Two things wrong: no single certain fix.
        (
            "https://example.com/01/9520123456788?10=ABC123",
            "gs1-digital-link invalid {01=09520123456788,10=ABC123,stem=https://example.com} gs1.dl.short-gtin(01)@24 gs1.dl.qualifier-in-query(10)@38",
        ),
        // The 14-digit form is valid (domain.md §A.10 #23).
        (
            "https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426",
            "gs1-digital-link valid {01=09520123456788,10=ABC1,17=180426,21=12345,stem=https://id.gs1.org}",
        ),
    ]);
}

/// Ecode lookup URLs of iotroot (domain.md §B.3: `https://www.iotroot.com/E={Ecode}` and
/// `…/api/query/search/E={Ecode}`, `http://www.iotroot.com/E=` in a front-end config).
#[test]
fn an_iotroot_url_is_an_ecode_and_the_ecode_inside_is_checked() {
    check_table(&[
        (
            "https://www.iotroot.com/E=10064123456789012345",
            "ecode valid {ecode=10064123456789012345,host=www.iotroot.com,md=123456789012345,nsi=0064,url=https://www.iotroot.com/E=10064123456789012345,version=1}",
        ),
        (
            "http://www.iotroot.com/E=10064123456789012345",
            "ecode valid {ecode=10064123456789012345,host=www.iotroot.com,md=123456789012345,nsi=0064,url=http://www.iotroot.com/E=10064123456789012345,version=1}",
        ),
        (
            "https://www.iotroot.com/api/query/search/E=10096000000000000001",
            "ecode valid {ecode=10096000000000000001,host=www.iotroot.com,md=000000000000001,nsi=0096,url=https://www.iotroot.com/api/query/search/E=10096000000000000001,version=1}",
        ),
        (
            "]Q1https://www.iotroot.com/E=10064123456789012345",
            "ecode valid {ecode=10064123456789012345,host=www.iotroot.com,md=123456789012345,nsi=0064,symbology=]Q1,url=https://www.iotroot.com/E=10064123456789012345,version=1}",
        ),
        // The code inside is checked, positions counted in the URL.
        (
            "https://www.iotroot.com/E=10064%20123",
            "ecode invalid {host=www.iotroot.com,url=https://www.iotroot.com/E=10064%20123} ecode.char@32",
        ),
        (
            "https://www.iotroot.com/E=A0064123",
            "ecode invalid {host=www.iotroot.com,url=https://www.iotroot.com/E=A0064123} ecode.version@27",
        ),
        (
            "https://www.iotroot.com/E=10064ABC",
            "ecode valid {ecode=10064ABC,host=www.iotroot.com,md=ABC,nsi=0064,url=https://www.iotroot.com/E=10064ABC,version=1} w:ecode.char@32",
        ),
        (
            "https://www.iotroot.com/",
            "ecode invalid {host=www.iotroot.com,url=https://www.iotroot.com/} ecode.url-no-code",
        ),
        // Another host: an Ecode only when the code after /E= fits a version exactly, and then
        // with a warning naming the host.
        (
            "https://e.example.cn/E=10064123456789012345",
            "ecode valid {ecode=10064123456789012345,host=e.example.cn,md=123456789012345,nsi=0064,url=https://e.example.cn/E=10064123456789012345,version=1} w:ecode.url-host",
        ),
        (
            "https://e.example.cn/E=hello",
            "digital-id valid {host=e.example.cn,value=https://e.example.cn/E=hello}",
        ),
        // Not an Ecode host: stays a 数字身份码; a lookalike host is not iotroot.
        (
            "https://www.hgzcloud.com/q/ABC123",
            "digital-id valid {host=www.hgzcloud.com,value=https://www.hgzcloud.com/q/ABC123}",
        ),
        (
            "https://notiotroot.com/x",
            "digital-id valid {host=notiotroot.com,value=https://notiotroot.com/x}",
        ),
    ]);
}

/// 13/14-digit Ecodes: a known Ecode header (`data/ecode_headers.tsv`) and the version row make
/// the text an Ecode; when the digits are also a valid GTIN the answer says so (`alt=gtin` and
/// a warning). A GTIN that could be an Ecode V1 names the alternative.
#[test]
fn numeric_ecodes_are_told_from_gtins_by_their_header() {
    check_table(&[
        // Valid GTIN-13 check digit and an Ecode header: Ecode, GTIN named.
        (
            "1006412345677",
            "ecode valid {ecode=1006412345677,md=12345677,nsi=0064,version=1} w:code.ambiguous alt=gtin",
        ),
        // Not a GTIN (check digit): unambiguous Ecode.
        (
            "1006412345678",
            "ecode valid {ecode=1006412345678,md=12345678,nsi=0064,version=1}",
        ),
        (
            "10064123456783",
            "ecode valid {ecode=10064123456783,md=123456783,nsi=0064,version=1} w:code.ambiguous alt=gtin",
        ),
        (
            "10064123456780",
            "ecode valid {ecode=10064123456780,md=123456780,nsi=0064,version=1}",
        ),
        (
            "2012800012349",
            "ecode valid {ecode=2012800012349,md=2349,nsi=01280001,version=2}",
        ),
        // Plain Code 128 never carries a GTIN: the Ecode, no alternative.
        (
            "]C01006412345677",
            "ecode valid {ecode=1006412345677,md=12345677,nsi=0064,symbology=]C0,version=1}",
        ),
        // An EAN-13 symbol carries a GTIN.
        (
            "]E01006412345677",
            "gtin valid {01=01006412345677,gtin=1006412345677,symbology=]E0}",
        ),
        // No known header: a GTIN, the Ecode V1 reading named.
        (
            "19520123456785",
            "gtin valid {01=19520123456785,gtin=19520123456785,kind=GTIN-14} alt=ecode",
        ),
        (
            "19520123456786",
            "gtin invalid {} gs1.check-digit(01)@14 alt=ecode",
        ),
        // Chinese GTIN-13: no Ecode reading.
        (
            "6901234567892",
            "gtin valid {01=06901234567892,gtin=6901234567892,kind=GTIN-13}",
        ),
        // Longer than any GTIN: Ecode as before.
        (
            "10064123456789012345",
            "ecode valid {ecode=10064123456789012345,md=123456789012345,nsi=0064,version=1}",
        ),
    ]);
}

#[test]
fn the_ecode_header_table_loads_and_each_header_fits_its_version() {
    assert_eq!(ecode::header_load_errors(), &[] as &[String]);
    assert_eq!(ecode::headers().len(), 4);
    for h in ecode::headers() {
        let sample = format!("{}{}", h.header, "1".repeat(8));
        assert!(
            ecode::known_header(&sample).is_some(),
            "{} fits version {}",
            h.header,
            h.version
        );
    }
}

#[test]
fn alternative_and_suggestion_serialise_only_when_present() {
    let json = serde_json::to_value(check("1006412345677", TODAY)).unwrap();
    assert_eq!(json["alternative"], "gtin");
    assert_eq!(json.get("suggestion"), None);
    let json = serde_json::to_value(check("https://example.com/01/6901234567892", TODAY)).unwrap();
    assert_eq!(json["suggestion"], "https://example.com/01/06901234567892");
    assert_eq!(json["valid"], false);
    let json = serde_json::to_value(check("6901234567892", TODAY)).unwrap();
    assert_eq!(json.get("alternative"), None);
}
