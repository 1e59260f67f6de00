//! Value checks of contract §4.2–4.3. They are written here on purpose instead of being taken
//! from our `codes` crate: a platform checks GTINs and USCCs independently of the client, so a
//! bug in our own code rules must not be able to hide in both the client and its stand-in.

use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime};

/// GS1 mod-10 check of a GTIN-14 (domain.md §A.1: weights 3,1,3,… from the right of the body).
/// Returns `Err(Some((expected, found)))` for a wrong check digit, `Err(None)` for a wrong form.
pub fn gtin14(s: &str) -> Result<(), Option<(u8, u8)>> {
    let bytes = s.as_bytes();
    if bytes.len() != 14 || !bytes.iter().all(u8::is_ascii_digit) {
        return Err(None);
    }
    let expected = gs1_check_digit(&bytes[..13]);
    let found = bytes[13] - b'0';
    if expected == found {
        Ok(())
    } else {
        Err(Some((expected, found)))
    }
}

/// The GS1 check digit for a body of ASCII digits.
pub fn gs1_check_digit(body: &[u8]) -> u8 {
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| u32::from(d - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

const USCC_CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Problems with a 统一社会信用代码 (GB 32100-2015, domain.md §E).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsccProblem {
    Length(usize),
    Char { pos: usize, ch: char },
    RegionNotDigits,
    Check { expected: char, found: char },
}

impl UsccProblem {
    pub fn zh(&self) -> String {
        match self {
            UsccProblem::Length(n) => format!("应为 18 位，实为 {n} 位"),
            UsccProblem::Char { pos, ch } => {
                format!("第 {pos} 位字符 {ch:?} 不允许（不含 I、O、S、V、Z 及小写字母）")
            }
            UsccProblem::RegionNotDigits => "第 3–8 位（行政区划码）应为数字".to_owned(),
            UsccProblem::Check { expected, found } => {
                format!("校验码错误：应为 {expected}，实为 {found}")
            }
        }
    }
}

/// Checks a USCC: 18 characters of the GB 32100 charset, positions 3–8 digits, mod-31 check
/// character at position 18. Positions 1–2 may be any charset character (the standard allows
/// letters such as `Y1`), and the inner organisation-code check is not applied because its
/// algorithm is unconfirmed (domain.md §E).
pub fn uscc(s: &str) -> Result<(), UsccProblem> {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() != 18 {
        return Err(UsccProblem::Length(chars.len()));
    }
    let mut sum = 0u32;
    for (i, ch) in chars.iter().enumerate() {
        let Some(value) = USCC_CHARSET.find(*ch) else {
            return Err(UsccProblem::Char {
                pos: i + 1,
                ch: *ch,
            });
        };
        if (2..8).contains(&i) && !ch.is_ascii_digit() {
            return Err(UsccProblem::RegionNotDigits);
        }
        if i < 17 {
            sum += value as u32 * USCC_WEIGHTS[i];
        }
    }
    let check = ((31 - sum % 31) % 31) as usize;
    let expected = USCC_CHARSET.as_bytes()[check] as char;
    if chars[17] == expected {
        Ok(())
    } else {
        Err(UsccProblem::Check {
            expected,
            found: chars[17],
        })
    }
}

/// GS1 CSET 82 (domain.md §A.6): the characters allowed in AI 10 (lot) and AI 21 (serial).
pub fn is_cset82(s: &str) -> bool {
    s.bytes().all(|b| {
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'!' | b'"'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b'-'
                    | b'.'
                    | b'/'
                    | b':'
                    | b';'
                    | b'<'
                    | b'='
                    | b'>'
                    | b'?'
                    | b'_'
            )
    })
}

/// Printable ASCII without spaces (`!`..`~`): the light rule for Ecode values.
pub fn is_printable_ascii(s: &str) -> bool {
    s.bytes().all(|b| (b'!'..=b'~').contains(&b))
}

/// No whitespace and no control characters: the light rule for 数字身份码 values and lots of
/// non-GS1 schemes.
pub fn has_no_space_or_control(s: &str) -> bool {
    s.chars().all(|c| !c.is_whitespace() && !c.is_control())
}

/// True for a control character as the contract's `text` type defines it (U+0000–U+001F, U+007F).
pub fn is_text_control(c: char) -> bool {
    (c as u32) < 0x20 || c == '\u{7f}'
}

/// `YYYY-MM-DD`, a real calendar date, year 2000–2099.
pub fn date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &b[r];
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if !(2000..=2099).contains(&year) {
        return None;
    }
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(year as i32, month, u8::try_from(day).ok()?).ok()
}

/// RFC 3339 date-time with seconds and an explicit offset, upper-case `T`/`Z`, year 2000–2099.
pub fn date_time(s: &str) -> Option<OffsetDateTime> {
    let b = s.as_bytes();
    if b.len() < 20 || b.len() > 40 || b[10] != b'T' || s.ends_with('z') {
        return None;
    }
    // Seconds are required: "YYYY-MM-DDTHH:MM:SS" has its second colon at index 16.
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let t = OffsetDateTime::parse(s, &Rfc3339).ok()?;
    (2000..=2099).contains(&t.year()).then_some(t)
}

/// A decimal quantity string `^(0|[1-9][0-9]{0,11})(\.[0-9]{1,6})?$`, strictly greater than 0.
pub fn quantity(s: &str) -> bool {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let int_ok = int == "0"
        || (!int.is_empty()
            && int.len() <= 12
            && !int.starts_with('0')
            && int.bytes().all(|b| b.is_ascii_digit()));
    let frac_ok = match frac {
        None => true,
        Some(f) => (1..=6).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()),
    };
    let positive = s.bytes().any(|b| matches!(b, b'1'..=b'9'));
    int_ok && frac_ok && positive
}

/// The UN/ECE Rec 20 unit codes of contract §4.2, with their Chinese names.
pub const UNITS: [(&str, &str); 21] = [
    ("PCE", "个/件"),
    ("SET", "套"),
    ("PR", "双/对"),
    ("DZN", "打"),
    ("KGM", "千克"),
    ("GRM", "克"),
    ("TNE", "吨"),
    ("MTR", "米"),
    ("KMT", "千米"),
    ("MTK", "平方米"),
    ("MTQ", "立方米"),
    ("LTR", "升"),
    ("MLT", "毫升"),
    ("XBX", "箱/盒"),
    ("XCT", "纸箱"),
    ("XRO", "卷"),
    ("XPK", "包"),
    ("XBG", "袋"),
    ("XDR", "桶"),
    ("10", "组"),
    ("XPX", "托"),
];

pub fn unit(s: &str) -> bool {
    UNITS.iter().any(|(code, _)| *code == s)
}

/// `^[0-9+() -]{3,30}$`.
pub fn phone(s: &str) -> bool {
    (3..=30).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'(' | b')' | b' ' | b'-'))
}

/// 64 lowercase hex characters.
pub fn key(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// `X-Archive-Head` (contract §6.4): `<entries>:<hash>`, where `entries` is 1–20 ASCII digits
/// without a leading zero (a lone `0` is fine) that fit in a `u64`, and `hash` is 64 lowercase
/// hex characters.
pub fn archive_head(s: &str) -> Option<(u64, &str)> {
    let (entries, hash) = s.split_once(':')?;
    if entries.is_empty()
        || entries.len() > 20
        || !entries.bytes().all(|b| b.is_ascii_digit())
        || (entries.len() > 1 && entries.starts_with('0'))
        || !key(hash)
    {
        return None;
    }
    Some((entries.parse().ok()?, hash))
}

/// A masked resident ID card number (contract §4.4, 1.2): 3 digits, 11 `*`, 3 digits and a digit
/// or `X`. A full number is never accepted.
pub fn masked_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 18
        && b[..3].iter().all(u8::is_ascii_digit)
        && b[3..14].iter().all(|&c| c == b'*')
        && b[14..17].iter().all(u8::is_ascii_digit)
        && (b[17].is_ascii_digit() || b[17] == b'X')
}

/// A masked mainland mobile number (contract §4.4, 1.2): `1`, a digit 3–9, a digit, 4 `*`,
/// 4 digits.
pub fn masked_mobile(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b[2].is_ascii_digit()
        && b[3..7].iter().all(|&c| c == b'*')
        && b[7..].iter().all(u8::is_ascii_digit)
}

/// The ISO 3166-1 alpha-2 codes: the same public list tracedesk's `codes` crate embeds (data,
/// not code: the simulator still reads the contract on its own).
static COUNTRIES: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| {
        include_str!("../../codes/data/iso3166_alpha2.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    });

/// An ISO 3166-1 alpha-2 country code, upper case.
pub fn country(s: &str) -> bool {
    COUNTRIES.contains(s)
}
