//! Every message this crate builds keeps the message rule ([`crate::message::rule_breaks`]):
//! one value of each variant of each fault, with its parameters filled. A new variant belongs in
//! this table.

use crate::YearMonthDay;
use crate::message::rule_breaks;
use crate::problem::Fault;
use crate::uscc::OrgCheckMismatch;

use crate::ccc::CccError;
use crate::check::InputNote;
use crate::datafile::FileFault;
use crate::digital_id::DigitalIdError;
use crate::ecode::EcodeError;
use crate::gs1::check_digit::KeyError;
use crate::gs1::compose::ComposeError;
use crate::gs1::error::Gs1Error;
use crate::serial::PatternError;
use crate::uscc::UsccError;

fn ymd() -> YearMonthDay {
    YearMonthDay::new(2026, 12, 7).expect("a real date")
}

fn faults() -> Vec<Box<dyn Fault>> {
    vec![
        Box::new(Gs1Error::Empty),
        Box::new(Gs1Error::UnclosedAi),
        Box::new(Gs1Error::BadAi { ai: "AB".into() }),
        Box::new(Gs1Error::UnknownAi { ai: "AB".into() }),
        Box::new(Gs1Error::EmptyValue),
        Box::new(Gs1Error::Length {
            len: 3,
            min: 3,
            max: 3,
        }),
        Box::new(Gs1Error::ComponentLength {
            len: 3,
            spec: "GTIN",
        }),
        Box::new(Gs1Error::MissingSeparator { max: 3 }),
        Box::new(Gs1Error::TruncatedAi { rest: "AB".into() }),
        Box::new(Gs1Error::NotDigit { ch: 'Ö' }),
        Box::new(Gs1Error::NotCset82 { ch: 'Ö' }),
        Box::new(Gs1Error::NotCset39 { ch: 'Ö' }),
        Box::new(Gs1Error::NotCset64 { ch: 'Ö' }),
        Box::new(Gs1Error::Cset64Padding),
        Box::new(Gs1Error::Gbt33993Char { ch: 'Ö' }),
        Box::new(Gs1Error::CheckDigit {
            expected: 2,
            found: 'Ö',
        }),
        Box::new(Gs1Error::CheckPair {
            expected: "AB".into(),
            found: "AB".into(),
        }),
        Box::new(Gs1Error::CheckPairTooShort),
        Box::new(Gs1Error::GcpTooShort),
        Box::new(Gs1Error::GcpNotDigits { ch: 'Ö' }),
        Box::new(Gs1Error::Month { month: "AB".into() }),
        Box::new(Gs1Error::Day {
            day: "AB".into(),
            max: 2,
        }),
        Box::new(Gs1Error::DayZero),
        Box::new(Gs1Error::Hour { hour: "AB".into() }),
        Box::new(Gs1Error::Minute {
            minute: "AB".into(),
        }),
        Box::new(Gs1Error::Second {
            second: "AB".into(),
        }),
        Box::new(Gs1Error::NotIso3166 { code: "AB".into() }),
        Box::new(Gs1Error::NotIso3166Or999 { code: "AB".into() }),
        Box::new(Gs1Error::NotIso3166Alpha2 { code: "AB".into() }),
        Box::new(Gs1Error::NotIso4217 { code: "AB".into() }),
        Box::new(Gs1Error::NotZero),
        Box::new(Gs1Error::NotZeroOrOne),
        Box::new(Gs1Error::ZeroValue),
        Box::new(Gs1Error::ZeroPrefix),
        Box::new(Gs1Error::Winding),
        Box::new(Gs1Error::NeedsNonDigit),
        Box::new(Gs1Error::NotHyphen),
        Box::new(Gs1Error::BiologicalSex),
        Box::new(Gs1Error::PositionInSequence),
        Box::new(Gs1Error::PositionExceedsEnd),
        Box::new(Gs1Error::ZeroPieceNumber),
        Box::new(Gs1Error::ZeroTotalPieces),
        Box::new(Gs1Error::PieceExceedsTotal),
        Box::new(Gs1Error::ImporterIndex { ch: 'Ö' }),
        Box::new(Gs1Error::PercentSequence),
        Box::new(Gs1Error::Latitude),
        Box::new(Gs1Error::Longitude),
        Box::new(Gs1Error::IbanTooShort),
        Box::new(Gs1Error::IbanTooLong),
        Box::new(Gs1Error::IbanChar { ch: 'Ö' }),
        Box::new(Gs1Error::IbanCountry { code: "AB".into() }),
        Box::new(Gs1Error::IbanChecksum),
        Box::new(Gs1Error::MediaType { code: "AB".into() }),
        Box::new(Gs1Error::Requires { rule: "AB".into() }),
        Box::new(Gs1Error::Excludes { other: "AB".into() }),
        Box::new(Gs1Error::RepeatedDiffers),
        Box::new(Gs1Error::DigSigSerial),
        Box::new(Gs1Error::DlIllegalChar { ch: 'Ö' }),
        Box::new(Gs1Error::DlScheme),
        Box::new(Gs1Error::DlDomainChar { ch: 'Ö' }),
        Box::new(Gs1Error::DlNoDomainOrPath),
        Box::new(Gs1Error::DlNoKey),
        Box::new(Gs1Error::DlTrailingSlash),
        Box::new(Gs1Error::DlEmptyPathValue),
        Box::new(Gs1Error::DlEmptyQueryValue),
        Box::new(Gs1Error::DlBadEscape { seq: "AB".into() }),
        Box::new(Gs1Error::DlNul),
        Box::new(Gs1Error::DlPathOrder { path: "AB".into() }),
        Box::new(Gs1Error::DlQualifierInQuery),
        Box::new(Gs1Error::DlNotAttribute),
        Box::new(Gs1Error::DlUnknownQueryAi { key: "AB".into() }),
        Box::new(Gs1Error::DlDuplicate),
        Box::new(Gs1Error::DlShortGtin { len: 3 }),
        Box::new(Gs1Error::DlBadStem { stem: "AB".into() }),
        Box::new(Gs1Error::DlNoPrimaryKey),
        Box::new(Gs1Error::ScanNoSymbologyId),
        Box::new(Gs1Error::ScanUnknownSymbology { id: "AB".into() }),
        Box::new(Gs1Error::ScanEmpty),
        Box::new(Gs1Error::ScanPrimaryLength {
            symbology: "GTIN",
            expected: 3,
            len: 3,
        }),
        Box::new(KeyError::Empty { kind: "GTIN" }),
        Box::new(KeyError::Length {
            kind: "GTIN",
            expected: &[8, 12, 13, 14],
            len: 3,
        }),
        Box::new(KeyError::NotADigit { ch: 'Ö', pos: 3 }),
        Box::new(KeyError::CheckDigit {
            expected: 2,
            found: 2,
        }),
        Box::new(ComposeError::MissingLot),
        Box::new(ComposeError::MissingSerial),
        Box::new(ComposeError::NotForProduct { what: "GTIN" }),
        Box::new(ComposeError::SerialInBatch),
        Box::new(ComposeError::ExpiryBeforeProduction {
            production: ymd(),
            expiry: ymd(),
        }),
        Box::new(ComposeError::ProductionInFuture {
            production: ymd(),
            today: ymd(),
        }),
        Box::new(PatternError::Empty),
        Box::new(PatternError::Char { ch: 'Ö' }),
        Box::new(PatternError::Unclosed),
        Box::new(PatternError::UnknownPlaceholder { name: "AB".into() }),
        Box::new(PatternError::TwoSequences),
        Box::new(PatternError::SeqWidth { width: "AB".into() }),
        Box::new(PatternError::TooLong { len: 3 }),
        Box::new(PatternError::NoDate),
        Box::new(PatternError::SeqTooLarge { seq: 99, digits: 3 }),
        Box::new(PatternError::BadLength { len: 3 }),
        Box::new(PatternError::NotEnoughRandom { needed: 3 }),
        Box::new(DigitalIdError::Empty),
        Box::new(DigitalIdError::TooShort { len: 3 }),
        Box::new(DigitalIdError::TooLong { len: 3 }),
        Box::new(DigitalIdError::Whitespace),
        Box::new(DigitalIdError::Control { ch: 'Ö' }),
        Box::new(DigitalIdError::Scheme {
            scheme: "AB".into(),
        }),
        Box::new(DigitalIdError::NoHost),
        Box::new(DigitalIdError::HostChar { ch: 'Ö' }),
        Box::new(DigitalIdError::NonAscii { ch: 'Ö' }),
        Box::new(EcodeError::Empty),
        Box::new(EcodeError::TooLong { len: 3 }),
        Box::new(EcodeError::BadChar { ch: 'Ö' }),
        Box::new(EcodeError::VersionNotDigit { ch: 'Ö' }),
        Box::new(EcodeError::TooShort),
        Box::new(EcodeError::Reserved { version: 2 }),
        Box::new(EcodeError::Gs1Version),
        Box::new(EcodeError::TooShortForVersion {
            version: 2,
            nsi_len: 3,
            len: 3,
        }),
        Box::new(EcodeError::MdTooLong {
            version: 2,
            max: 3,
            len: 3,
        }),
        Box::new(EcodeError::Charset {
            version: 2,
            ch: 'Ö',
            charset: crate::ecode::EcodeCharset::DigitsUpper,
        }),
        Box::new(EcodeError::UrlWithoutCode { host: "AB".into() }),
        Box::new(EcodeError::UnknownResolver { host: "AB".into() }),
        Box::new(CccError::Empty),
        Box::new(CccError::UnconfirmedProduct {
            code: "2401".into(),
            name: "家用燃气灶具".into(),
        }),
        Box::new(FileFault::Empty),
        Box::new(FileFault::MissingHeader { key: "version" }),
        Box::new(FileFault::DuplicateHeader { key: "version" }),
        Box::new(FileFault::WrongName {
            expected: "ccc_catalogue".into(),
            found: "rec20_units".into(),
        }),
        Box::new(FileFault::BadVersion { value: "AB".into() }),
        Box::new(FileFault::MissingColumns),
        Box::new(FileFault::WrongColumns {
            expected: "code name".into(),
            found: "name code".into(),
        }),
        Box::new(FileFault::CellCount {
            expected: 7,
            found: 3,
        }),
        Box::new(FileFault::EmptyCell),
        Box::new(FileFault::BadValue {
            value: "AB".into(),
            what: "product code",
            hint: "4 digits such as 0101".into(),
            what_zh: "产品代码",
            hint_zh: "应为 4 位数字，如 0101".into(),
        }),
        Box::new(FileFault::Duplicate {
            value: "AB".into(),
            first: 5,
        }),
        Box::new(FileFault::NoRows),
        Box::new(FileFault::NotNewer {
            found: ymd(),
            current: ymd(),
        }),
        Box::new(CccError::Length { len: 3 }),
        Box::new(CccError::NotDigit { ch: 'Ö' }),
        Box::new(CccError::Year {
            year: 2019,
            first: 2019,
            last: 2019,
        }),
        Box::new(CccError::Legacy),
        Box::new(CccError::LegacyChar { ch: 'Ö' }),
        Box::new(CccError::UnknownProduct { code: "AB".into() }),
        Box::new(CccError::MarkEmpty),
        Box::new(CccError::MarkTooLong { len: 3 }),
        Box::new(CccError::MarkWhitespace),
        Box::new(CccError::MarkChar { ch: 'Ö' }),
        Box::new(InputNote::FullWidth),
        Box::new(InputNote::AssumedDigitalId),
        Box::new(InputNote::Empty),
        Box::new(InputNote::Unrecognised),
        Box::new(InputNote::EcodeOrGtin {
            header: "10064",
            version: 2,
            gtin_kind: "GTIN-13".into(),
        }),
    ]
}

/// `text` without the placeholders of the serial pattern syntax (and `{AB}`, the unknown
/// placeholder of the table).
fn pattern_syntax_out(text: &str) -> String {
    let mut out = text.to_string();
    for p in [
        "{seq:N}",
        "{seq}",
        "{yyyyMMdd}",
        "{yyMMdd}",
        "{yyyy}",
        "{yy}",
        "{MM}",
        "{dd}",
        "{AB}",
    ] {
        out = out.replace(p, "");
    }
    out
}

#[test]
fn every_fault_message_keeps_the_message_rule() {
    let mut broken = Vec::new();
    for fault in faults() {
        let p = fault.problem();
        assert!(!p.code.is_empty());
        // Serial patterns are written with `{…}` placeholders: naming them is not a hole.
        let (zh, en) = if p.code == "serial.pattern" {
            (
                pattern_syntax_out(&p.message.zh),
                pattern_syntax_out(&p.message.en),
            )
        } else {
            (p.message.zh.clone(), p.message.en.clone())
        };
        for b in rule_breaks(&zh, &en) {
            broken.push(format!(
                "{}: {b}: {} / {}",
                p.code, p.message.zh, p.message.en
            ));
        }
    }
    let uscc = [
        UsccError::Empty,
        UsccError::Length { len: 3 },
        UsccError::NotAllowed { pos: 3, ch: 'Ö' },
        UsccError::NotADigit { pos: 3, ch: 'Ö' },
        UsccError::Check {
            expected: 'Ö',
            found: 'Ö',
        },
    ];
    let mut messages: Vec<crate::Message> = uscc.iter().map(UsccError::message).collect();
    messages.push(
        OrgCheckMismatch {
            expected: 'A',
            found: 'B',
        }
        .message(),
    );
    for m in messages {
        for b in rule_breaks(&m.zh, &m.en) {
            broken.push(format!("uscc: {b}: {} / {}", m.zh, m.en));
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn a_wrong_length_gtin_is_named_once_with_chinese_joiners() {
    let e = crate::Gtin::parse("12345").unwrap_err();
    assert_eq!(
        e.zh(),
        "GTIN 应为 8、12、13 或 14 位数字，实际为 5 位，请核对是否多写或漏写"
    );
    assert_eq!(e.to_string(), "a GTIN has 8, 12, 13 or 14 digits, got 5");
}
