//! 统一社会信用代码 (unified social credit code), GB 32100-2015.
//!
//! Structure (18 characters): position 1 registration authority, 2 entity type, 3–8 administrative
//! division code (GB/T 2260, digits), 9–17 organisation code (GB 11714: 8 body characters and its
//! own check character), 18 the check character over positions 1–17 (mod 31).
//!
//! Only the outer mod-31 check (position 18) refuses a code. The inner GB 11714 check of the
//! organisation code (position 17) is a warning ([`Uscc::org_check_mismatch`]): the algorithm is
//! reconstructed from published examples, not confirmed for every kind of issuer, and the
//! reference library (python-stdnum) does not apply it, so a real business licence must never be
//! refused by it.

use std::fmt;

use serde::Serialize;

use crate::Message;

/// The 31 characters GB 32100 allows, in value order (0–30). I, O, S, V and Z are excluded.
const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weights for positions 1–17: 3^(i-1) mod 31 (GB 32100 §5).
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
/// Weights of the organisation code body, GB 11714.
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// A valid 统一社会信用代码. Invariant: 18 characters from [`CHARSET`], digits at 3–8, the check
/// character at position 18 right (the inner one at 17 may not be: see [`Uscc::org_check_mismatch`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Uscc(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsccError {
    #[error("the code is empty")]
    Empty,
    #[error("expected 18 characters, got {len}")]
    Length { len: usize },
    #[error(
        "character {ch:?} at position {pos} is not allowed (I, O, S, V, Z and symbols are never used)"
    )]
    NotAllowed { pos: usize, ch: char },
    #[error(
        "character {ch:?} at position {pos} must be a digit (positions 3-8 are the division code)"
    )]
    NotADigit { pos: usize, ch: char },
    #[error("check character at position 18 is {found:?}, expected {expected:?}")]
    Check { expected: char, found: char },
}

impl UsccError {
    /// What is wrong, where, and how to fix it, in Chinese and English.
    pub fn message(&self) -> Message {
        let en = format!("Unified social credit code: {self}");
        let zh = match self {
            UsccError::Empty => {
                "统一社会信用代码不能为空，请输入营业执照上的 18 位代码".to_string()
            }
            UsccError::Length { len } => {
                format!("统一社会信用代码应为 18 位，当前为 {len} 位，请对照营业执照核对")
            }
            UsccError::NotAllowed { pos, ch } => format!(
                "第 {pos} 位字符“{ch}”不合法：代码只含数字和大写字母，且不含 I、O、S、V、Z，请核对是否把 0 写成了 O、1 写成了 I"
            ),
            UsccError::NotADigit { pos, ch } => {
                format!("第 {pos} 位字符“{ch}”应为数字：第 3–8 位是登记管理机关行政区划码")
            }
            UsccError::Check { expected, found } => {
                format!("第 18 位校验码应为“{expected}”，实际为“{found}”，请核对整个代码是否抄错")
            }
        };
        Message::new(zh, en)
    }

    /// The 1-based character position the error points at, when there is one.
    pub fn position(&self) -> Option<usize> {
        match self {
            UsccError::NotAllowed { pos, .. } | UsccError::NotADigit { pos, .. } => Some(*pos),
            UsccError::Check { .. } => Some(18),
            UsccError::Empty | UsccError::Length { .. } => None,
        }
    }
}

fn value(ch: char) -> Option<u32> {
    CHARSET.find(ch).map(|i| i as u32)
}

fn char_of(value: u32) -> char {
    CHARSET.as_bytes()[value as usize] as char
}

/// Folds what a clerk may type into the canonical form: surrounding blanks dropped, full-width
/// letters and digits made half-width, lower case made upper case.
pub fn normalise(input: &str) -> String {
    input
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
        .chars()
        .map(|c| match c {
            '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            _ => c,
        })
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The check character over the first 17 characters, or `None` if one is outside the charset.
pub fn check_char(body: &str) -> Option<char> {
    let mut sum = 0;
    for (i, ch) in body.chars().take(17).enumerate() {
        sum += value(ch)? * WEIGHTS[i];
    }
    Some(char_of((31 - sum % 31) % 31))
}

/// The GB 11714 check character of an 8-character organisation code body.
fn org_check_char(body: &[char]) -> Option<char> {
    let mut sum = 0;
    for (ch, w) in body.iter().zip(ORG_WEIGHTS) {
        let v = ch.to_digit(36)?;
        sum += v * w;
    }
    Some(match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        r => char::from_digit(r, 10).unwrap_or('0'),
    })
}

impl Uscc {
    pub fn parse(input: &str) -> Result<Uscc, UsccError> {
        let code = normalise(input);
        let chars: Vec<char> = code.chars().collect();
        if chars.is_empty() {
            return Err(UsccError::Empty);
        }
        if chars.len() != 18 {
            return Err(UsccError::Length { len: chars.len() });
        }
        for (i, &ch) in chars.iter().enumerate() {
            let pos = i + 1;
            if value(ch).is_none() {
                return Err(UsccError::NotAllowed { pos, ch });
            }
            if (3..=8).contains(&pos) && !ch.is_ascii_digit() {
                return Err(UsccError::NotADigit { pos, ch });
            }
        }
        let expected = check_char(&code).unwrap_or('?');
        if expected != chars[17] {
            return Err(UsccError::Check {
                expected,
                found: chars[17],
            });
        }
        Ok(Uscc(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Where position 17 differs from the GB 11714 check character of positions 9–16: a warning,
    /// never a refusal (see the module documentation).
    pub fn org_check_mismatch(&self) -> Option<OrgCheckMismatch> {
        let chars: Vec<char> = self.0.chars().collect();
        let expected = org_check_char(&chars[8..16])?;
        (expected != chars[16]).then_some(OrgCheckMismatch {
            expected,
            found: chars[16],
        })
    }
}

/// Position 17 of a [`Uscc`] is not the GB 11714 check character of positions 9–16.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrgCheckMismatch {
    pub expected: char,
    pub found: char,
}

impl OrgCheckMismatch {
    /// The 1-based position the warning points at.
    pub const POSITION: usize = 17;

    /// The warning, in Chinese and English: what differs, that the code is kept, and what to check.
    pub fn message(&self) -> Message {
        let OrgCheckMismatch { expected, found } = *self;
        Message::new(
            format!(
                "提示：第 17 位（组织机构代码校验码）按 GB 11714 算应为“{expected}”，实际为“{found}”。这项内层校验并非对所有登记机关都适用，代码照常保存；如与营业执照不一致，请核对第 9–17 位"
            ),
            format!(
                "Unified social credit code: position 17 (the organisation code check character) is {found:?}, GB 11714 gives {expected:?}. This inner check does not hold for every issuer, so the code is kept; if it differs from the business licence, check positions 9-17"
            ),
        )
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(input: &str, expect: &str) {
        let actual = match Uscc::parse(input) {
            Ok(code) => format!("ok {code}"),
            Err(err) => format!("err {err}"),
        };
        assert_eq!(actual, expect, "input: {input:?}");
    }

    /// The vectors of domain research §E (python-stdnum's doctest and the GB 32100 example).
    #[test]
    fn published_valid_codes_pass() {
        for code in [
            "91110000600037341L",
            "91110000710926094P",
            "121200004013590816",
            "91320214745555318W",
            "91310115MA1K3BTP2B",
            "9144030071526726XG",
            "91350100M000100Y43",
        ] {
            check(code, &format!("ok {code}"));
        }
    }

    #[test]
    fn wrong_check_character_names_the_right_one() {
        check(
            "91110000600037341N",
            "err check character at position 18 is 'N', expected 'L'",
        );
    }

    #[test]
    fn authority_letter_is_allowed_but_checked() {
        // GB 32100 allows letters such as A or Y at position 1; the check character then decides.
        check(
            "A1110000600037341L",
            "err check character at position 18 is 'L', expected 'K'",
        );
    }

    #[test]
    fn excluded_letters_are_named_with_their_position() {
        check(
            "9111000060003IOZSV",
            "err character 'I' at position 14 is not allowed (I, O, S, V, Z and symbols are never used)",
        );
    }

    #[test]
    fn division_code_must_be_digits() {
        check(
            "91AB0000600037341L",
            "err character 'A' at position 3 must be a digit (positions 3-8 are the division code)",
        );
    }

    #[test]
    fn wrong_length_is_reported() {
        check("9111000060003734", "err expected 18 characters, got 16");
        check("   ", "err the code is empty");
    }

    /// A code whose position 17 breaks the inner check but whose position 18 is right.
    fn with_wrong_org_check() -> String {
        let body = "91110000600037342";
        format!("{body}{}", check_char(body).unwrap())
    }

    #[test]
    fn a_wrong_organisation_check_character_is_accepted_with_a_warning() {
        let code = with_wrong_org_check();
        check(&code, &format!("ok {code}"));
        let mismatch = Uscc::parse(&code).unwrap().org_check_mismatch().unwrap();
        assert_eq!(
            mismatch,
            OrgCheckMismatch {
                expected: '1',
                found: '2'
            }
        );
        assert!(mismatch.message().zh.contains("照常保存"));
        assert!(mismatch.message().en.contains("the code is kept"));
    }

    #[test]
    fn published_codes_satisfy_the_inner_check() {
        for code in [
            "91110000600037341L",
            "91320214745555318W",
            "91350100M000100Y43",
        ] {
            assert_eq!(
                Uscc::parse(code).unwrap().org_check_mismatch(),
                None,
                "{code}"
            );
        }
    }

    #[test]
    fn a_wrong_position_17_that_also_breaks_position_18_is_refused_at_18() {
        check(
            "91110000600037342L",
            "err check character at position 18 is 'L', expected 'P'",
        );
    }

    #[test]
    fn lower_case_and_full_width_input_is_accepted() {
        check("９１１１0000600037341l", "ok 91110000600037341L");
        check(" 91310115ma1k3btp2b ", "ok 91310115MA1K3BTP2B");
    }

    #[test]
    fn messages_say_what_to_fix_in_chinese() {
        let err = Uscc::parse("91110000600037341N").unwrap_err();
        assert_eq!(
            err.message().zh,
            "第 18 位校验码应为“L”，实际为“N”，请核对整个代码是否抄错"
        );
        assert_eq!(err.position(), Some(18));
    }
}
