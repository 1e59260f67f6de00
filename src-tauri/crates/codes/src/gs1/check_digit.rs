//! The GS1 mod-10 check digit and the fixed-length GS1 keys that carry it: GTIN-8/12/13/14,
//! GLN (13 digits) and SSCC (18 digits).
//!
//! Algorithm (domain.md §A.1, gs1-syntax-engine `lint_csum.c`): walk the digits left of the
//! check digit from the right with weights 3, 1, 3, 1…; the check digit is
//! `(10 − sum mod 10) mod 10`.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::problem::{Fault, Problem, Severity, make_problem};

/// The check digit for `body` (all digits, without the check digit), or `None` if `body` is
/// empty or holds a non-digit.
pub fn check_digit(body: &str) -> Option<u8> {
    if body.is_empty() {
        return None;
    }
    let chars: Vec<char> = body.chars().collect();
    super::lint::mod10_check_digit(&chars)
}

/// `body` followed by its check digit, or `None` if `body` is not all digits.
pub fn complete(body: &str) -> Option<String> {
    check_digit(body).map(|d| format!("{body}{d}"))
}

/// Is `code` (digits, the last one the check digit) correct?
pub fn is_valid(code: &str) -> bool {
    verify_digits(code).is_ok()
}

/// Why a GS1 key is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("the {kind} is empty")]
    Empty { kind: &'static str },
    #[error(
        "a {kind} has {} digits, got {len}",
        alternatives(expected, ", ", " or ")
    )]
    Length {
        kind: &'static str,
        /// The lengths it may have.
        expected: &'static [usize],
        len: usize,
    },
    #[error("character {ch:?} at position {pos} is not a digit")]
    NotADigit { ch: char, pos: usize },
    #[error(
        "check digit should be {expected}, found {found}: re-check the digits, one was probably mistyped"
    )]
    CheckDigit { expected: u8, found: u8 },
}

impl Fault for KeyError {
    fn code(&self) -> &'static str {
        match self {
            KeyError::Empty { .. } => "gs1.empty",
            KeyError::Length { .. } => "gs1.length",
            KeyError::NotADigit { .. } => "gs1.non-digit",
            KeyError::CheckDigit { .. } => "gs1.check-digit",
        }
    }

    fn zh(&self) -> String {
        match self {
            KeyError::Empty { kind } => format!("{} 不能为空", kind_zh(kind)),
            KeyError::Length {
                kind,
                expected,
                len,
            } => format!(
                "{} 应为 {} 位数字，实际为 {len} 位，请核对是否多写或漏写",
                kind_zh(kind),
                alternatives(expected, "、", " 或 ")
            ),
            KeyError::NotADigit { ch, .. } => {
                format!("字符“{ch}”不是数字（注意不要用全角数字或字母 O）")
            }
            KeyError::CheckDigit { expected, found } => {
                format!("校验位应为 {expected}，实际为 {found}，请核对是否有数字抄错")
            }
        }
    }
}

/// The Chinese name of a key kind (`KeyError::kind` is the English one).
fn kind_zh(kind: &str) -> &str {
    match kind {
        "GTIN body" => "GTIN 前段（不含校验位）",
        "code" => "编码",
        other => other,
    }
}

/// `[8, 12, 13, 14]` → `8, 12, 13 or 14` (or `8、12、13 或 14` with the Chinese joiners).
fn alternatives(values: &[usize], comma: &str, or: &str) -> String {
    let texts: Vec<String> = values.iter().map(usize::to_string).collect();
    match texts.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{}{or}{last}", rest.join(comma)),
    }
}

impl KeyError {
    /// The 1-based character position the error points at, when there is one.
    pub fn position(&self) -> Option<usize> {
        match self {
            KeyError::NotADigit { pos, .. } => Some(*pos),
            _ => None,
        }
    }

    /// As a report problem; `at_end` is the position of the check digit.
    pub(crate) fn to_problem(&self, ai: Option<&str>, check_digit_pos: usize) -> Problem {
        let pos = match self {
            KeyError::CheckDigit { .. } => Some(check_digit_pos as u32),
            other => other.position().map(|p| p as u32),
        };
        make_problem(self, Severity::Error, ai, pos)
    }
}

/// Digits only, check digit right; the length is the caller's business.
fn verify_digits(code: &str) -> Result<(), KeyError> {
    if let Some((i, ch)) = code.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
        return Err(KeyError::NotADigit { ch, pos: i + 1 });
    }
    // All ASCII digits from here: one byte each.
    let Some((last, body)) = code.as_bytes().split_last() else {
        return Err(KeyError::Empty { kind: "code" });
    };
    let mut sum = 0u32;
    for (i, b) in body.iter().rev().enumerate() {
        sum += u32::from(b - b'0') * if i.is_multiple_of(2) { 3 } else { 1 };
    }
    let expected = ((10 - sum % 10) % 10) as u8;
    let found = last - b'0';
    if expected == found {
        Ok(())
    } else {
        Err(KeyError::CheckDigit { expected, found })
    }
}

fn parse_key(text: &str, kind: &'static str, lengths: &'static [usize]) -> Result<(), KeyError> {
    if text.is_empty() {
        return Err(KeyError::Empty { kind });
    }
    let chars: Vec<char> = text.chars().collect();
    // A non-digit is the more useful message even when the length is also wrong.
    if let Some(i) = chars.iter().position(|c| !c.is_ascii_digit()) {
        return Err(KeyError::NotADigit {
            ch: chars[i],
            pos: i + 1,
        });
    }
    if !lengths.contains(&chars.len()) {
        return Err(KeyError::Length {
            kind,
            expected: lengths,
            len: chars.len(),
        });
    }
    verify_digits(text)
}

/// GTIN-8, GTIN-12, GTIN-13 or GTIN-14.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum GtinKind {
    #[serde(rename = "GTIN-8")]
    Gtin8,
    #[serde(rename = "GTIN-12")]
    Gtin12,
    #[serde(rename = "GTIN-13")]
    Gtin13,
    #[serde(rename = "GTIN-14")]
    Gtin14,
}

impl fmt::Display for GtinKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            GtinKind::Gtin8 => "GTIN-8",
            GtinKind::Gtin12 => "GTIN-12",
            GtinKind::Gtin13 => "GTIN-13",
            GtinKind::Gtin14 => "GTIN-14",
        })
    }
}

/// A valid GTIN as it was written (8, 12, 13 or 14 digits, check digit right).
///
/// The printed form is kept for display; [`Gtin::to_gtin14`] is the form for storage and for
/// AI (01), left-padded with zeros (domain.md §A.1). Two `Gtin`s are equal when their printed
/// forms are; compare `to_gtin14()` to compare the numbers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Gtin(String);

impl Gtin {
    pub fn parse(text: &str) -> Result<Gtin, KeyError> {
        parse_key(text, "GTIN", &[8, 12, 13, 14])?;
        Ok(Gtin(text.to_owned()))
    }

    /// The GTIN whose digits before the check digit are `body` (7, 11, 12 or 13 digits), e.g.
    /// from a 厂商识别代码 and an item reference.
    pub fn from_body(body: &str) -> Result<Gtin, KeyError> {
        if let Some((i, ch)) = body.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
            return Err(KeyError::NotADigit { ch, pos: i + 1 });
        }
        let len = body.chars().count();
        if ![7, 11, 12, 13].contains(&len) {
            return Err(KeyError::Length {
                kind: "GTIN body",
                expected: &[7, 11, 12, 13],
                len,
            });
        }
        let full = complete(body).ok_or(KeyError::Empty { kind: "GTIN" })?;
        Ok(Gtin(full))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn kind(&self) -> GtinKind {
        match self.0.len() {
            8 => GtinKind::Gtin8,
            12 => GtinKind::Gtin12,
            13 => GtinKind::Gtin13,
            _ => GtinKind::Gtin14,
        }
    }

    /// The 14-digit form used in AI (01), left-padded with zeros.
    pub fn to_gtin14(&self) -> String {
        format!("{:0>14}", self.0)
    }
}

impl fmt::Display for Gtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Gtin {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Gtin::parse(s)
    }
}

/// A valid GLN (Global Location Number, 13 digits, AIs 410–417).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Gln(String);

impl Gln {
    pub fn parse(text: &str) -> Result<Gln, KeyError> {
        parse_key(text, "GLN", &[13])?;
        Ok(Gln(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Gln {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A valid SSCC (Serial Shipping Container Code, 18 digits, AI 00).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Sscc(String);

impl Sscc {
    pub fn parse(text: &str) -> Result<Sscc, KeyError> {
        parse_key(text, "SSCC", &[18])?;
        Ok(Sscc(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Sscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
