//! 工业产品生产许可证编号 (industrial-product production licence number).
//!
//! What is public about the format comes from third-party pages only (domain.md §F.2 lists the
//! format as not found in an official source): a licence issued by SAMR reads `XK` + two digits
//! (industry) + `-` + three digits (product unit) + `-` + five digits (the enterprise's number),
//! e.g. `XK06-014-00057`; one issued by a province since 2018 puts the province's one-character
//! abbreviation before it, often in brackets: `(粤)XK16-204-00123`, `粤XK16-204-00123`. Older
//! certificates are said to carry four digits at the end. None of this is confirmed by an
//! official text, so this module **recognises** these shapes and never refuses another plausible
//! number: an unrecognised one is a warning ([`LicenceNote::Unrecognised`]); only what the
//! contract cannot carry (over 50 characters, control characters) is an error.

use crate::Message;

/// The longest number the contract carries (`text(50)`, contract §4.5).
pub const MAX_LEN: usize = 50;

/// The one-character abbreviations of the 31 provincial-level divisions of the mainland.
const PROVINCES: &str = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川蜀贵黔云滇藏陕秦甘陇青宁新";

/// Why a licence number cannot be kept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LicenceError {
    #[error("the production licence number has {len} characters, at most 50 fit")]
    TooLong { len: usize },
    #[error("the production licence number contains a control character (line break or tab)")]
    Control,
}

impl LicenceError {
    pub fn message(&self) -> Message {
        let en = format!("{self}; copy the number as printed on the licence");
        let zh = match self {
            LicenceError::TooLong { len } => {
                format!("生产许可证编号有 {len} 个字符，最多 50 个，请只填写证书上的编号")
            }
            LicenceError::Control => {
                "生产许可证编号含有换行、制表符等控制字符，请按证书重新输入".to_string()
            }
        };
        Message::new(zh, en)
    }
}

/// What a kept number may still need a look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LicenceNote {
    /// Not of the recognised `(省)XK00-000-00000` shape: kept, but worth a second look.
    Unrecognised,
}

impl LicenceNote {
    pub fn message(&self) -> Message {
        Message::new(
            "生产许可证编号不是常见的“XK××-×××-×××××”（或前加省份简称）格式，已保留；请对照证书核对。此格式来自公开资料，未经官方确认",
            "The production licence number is not of the usual \"XK00-000-00000\" form (optionally after a province abbreviation); it is kept, check it against the certificate. The form is from public pages and not officially confirmed",
        )
    }
}

/// A production licence number as kept: trimmed, ASCII letters upper-cased, full-width
/// brackets and hyphens folded to ASCII.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenceNo {
    pub value: String,
    /// The province abbreviation of a provincially issued number, when recognised.
    pub province: Option<char>,
    /// Whether the shape is the recognised one.
    pub recognised: bool,
}

impl LicenceNo {
    /// The problems worth a warning; empty when the number has the recognised shape.
    pub fn notes(&self) -> Vec<LicenceNote> {
        if self.recognised {
            Vec::new()
        } else {
            vec![LicenceNote::Unrecognised]
        }
    }
}

fn fold(input: &str) -> String {
    input
        .trim()
        .chars()
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '－' | '—' | '–' | '‐' => '-',
            c if ('Ａ'..='Ｚ').contains(&c)
                || ('ａ'..='ｚ').contains(&c)
                || ('０'..='９').contains(&c) =>
            {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

/// `XK` + 2 digits + `-` + 3 digits + `-` + 5 (or the older 4) digits.
fn national_shape(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    (b.len() == 14 || b.len() == 13)
        && b.starts_with(b"XK")
        && digits(2..4)
        && b[4] == b'-'
        && digits(5..8)
        && b[8] == b'-'
        && digits(9..b.len())
}

/// Parses a licence number; `Ok(None)` for an empty one.
pub fn parse(input: &str) -> Result<Option<LicenceNo>, LicenceError> {
    let value = fold(input);
    if value.is_empty() {
        return Ok(None);
    }
    if value.chars().any(char::is_control) {
        return Err(LicenceError::Control);
    }
    let len = value.chars().count();
    if len > MAX_LEN {
        return Err(LicenceError::TooLong { len });
    }
    let (province, rest) = split_province(&value);
    let recognised = national_shape(rest);
    Ok(Some(LicenceNo {
        province: if recognised { province } else { None },
        recognised,
        value,
    }))
}

/// `(粤)XK…`, `粤XK…` → (`Some('粤')`, `XK…`); anything else unchanged.
fn split_province(s: &str) -> (Option<char>, &str) {
    let mut chars = s.char_indices();
    match chars.next() {
        Some((_, '(')) => match (chars.next(), chars.next()) {
            (Some((_, p)), Some((i, ')'))) if PROVINCES.contains(p) => (Some(p), &s[i + 1..]),
            _ => (None, s),
        },
        Some((_, p)) if PROVINCES.contains(p) => (Some(p), &s[p.len_utf8()..]),
        _ => (None, s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (kept value, recognised, province); `None` = nothing kept.
    type Want = Option<(&'static str, bool, Option<char>)>;

    #[test]
    fn licence_numbers_are_recognised_kept_or_refused() {
        // (input, kept value, recognised, province); None = refused
        let cases: &[(&str, Want)] = &[
            ("XK06-014-00057", Some(("XK06-014-00057", true, None))),
            (" xk06-014-00057 ", Some(("XK06-014-00057", true, None))),
            (
                "(粤)XK16-204-00123",
                Some(("(粤)XK16-204-00123", true, Some('粤'))),
            ),
            (
                "（浙）XK06－001－00012",
                Some(("(浙)XK06-001-00012", true, Some('浙'))),
            ),
            (
                "苏XK13-217-00001",
                Some(("苏XK13-217-00001", true, Some('苏'))),
            ),
            ("XK06-014-0057", Some(("XK06-014-0057", true, None))),
            // Plausible but not the recognised shape: kept, with a warning.
            ("XK0601400057", Some(("XK0601400057", false, None))),
            (
                "(港)XK06-014-00057",
                Some(("(港)XK06-014-00057", false, None)),
            ),
            ("SC10644030500123", Some(("SC10644030500123", false, None))),
            (
                "全XK06-014-00057-A",
                Some(("全XK06-014-00057-A", false, None)),
            ),
            ("", None),
        ];
        for (input, want) in cases {
            let got = parse(input).unwrap();
            match want {
                None => assert!(got.is_none(), "{input}"),
                Some((value, recognised, province)) => {
                    let got = got.unwrap();
                    assert_eq!(got.value, *value, "{input}");
                    assert_eq!(got.recognised, *recognised, "{input}");
                    assert_eq!(got.province, *province, "{input}");
                    assert_eq!(got.notes().is_empty(), *recognised, "{input}");
                }
            }
        }
    }

    #[test]
    fn only_what_the_contract_cannot_carry_is_refused() {
        assert_eq!(
            parse(&"X".repeat(51)),
            Err(LicenceError::TooLong { len: 51 })
        );
        assert_eq!(parse("XK06\n014"), Err(LicenceError::Control));
        assert!(parse(&"X".repeat(50)).unwrap().is_some());
    }
}
