//! Serial numbers for 一物一码 and lot-number suggestions, from patterns. Pure: the sequence
//! number, the date and the random bytes all come from the caller.
//!
//! Generated values use only `[0-9A-Za-z-]` and at most 20 characters: safe in GS1 CSET 82 for
//! (10) and (21) (X..20), in URLs, and outside the GB/T 33993 exclusions `% & / < > ?`
//! (domain.md §A.6, "Recommendation").
//!
//! Pattern syntax: literal `[0-9A-Za-z-]` text and placeholders
//! - `{seq:N}` / `{seq:0N}`: the sequence number zero-padded to exactly N digits (1–20); numbers
//!   that need more digits are refused;
//! - `{seq}`: the sequence number unpadded, using at most the room left up to 20 characters;
//! - `{yyyy}`, `{yy}`, `{MM}`, `{dd}`, `{yyyyMMdd}`, `{yyMMdd}`: the given date.
//!
//! Every pattern that parses can never produce more than 20 characters.

use std::fmt;

use crate::date::YearMonthDay;
use crate::problem::{Fault, Problem, Problems};

pub mod keyed;

pub use keyed::KeyedSerials;

/// GS1 (10) and (21) are X..20.
pub const MAX_LEN: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateToken {
    Yyyy,
    Yy,
    Mm,
    Dd,
    YyyyMmDd,
    YyMmDd,
}

impl DateToken {
    fn width(self) -> usize {
        match self {
            DateToken::Yyyy => 4,
            DateToken::Yy | DateToken::Mm | DateToken::Dd => 2,
            DateToken::YyyyMmDd => 8,
            DateToken::YyMmDd => 6,
        }
    }

    fn render(self, d: YearMonthDay) -> String {
        let yyyy = format!("{:04}", d.year().rem_euclid(10_000));
        let yy = format!("{:02}", d.year().rem_euclid(100));
        let (mm, dd) = (format!("{:02}", d.month()), format!("{:02}", d.day()));
        match self {
            DateToken::Yyyy => yyyy,
            DateToken::Yy => yy,
            DateToken::Mm => mm,
            DateToken::Dd => dd,
            DateToken::YyyyMmDd => format!("{yyyy}{mm}{dd}"),
            DateToken::YyMmDd => format!("{yy}{mm}{dd}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Date(DateToken),
    /// `Some(n)`: padded to n digits; `None`: unpadded.
    Seq(Option<usize>),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    #[error("the pattern is empty")]
    Empty,
    #[error("character {ch:?} is not allowed: use letters, digits and '-' only")]
    Char { ch: char },
    #[error("'{{' is not closed with '}}'")]
    Unclosed,
    #[error(
        "unknown placeholder {{{name}}}: use {{seq}}, {{seq:N}}, {{yyyy}}, {{yy}}, {{MM}}, {{dd}}, {{yyyyMMdd}} or {{yyMMdd}}"
    )]
    UnknownPlaceholder { name: String },
    #[error("the pattern has more than one {{seq}}")]
    TwoSequences,
    #[error("the sequence width must be 1 to 20 digits, got {width:?}")]
    SeqWidth { width: String },
    #[error("the pattern can produce {len} characters: at most {MAX_LEN} are allowed")]
    TooLong { len: usize },
    #[error("the pattern has a date placeholder but no date was given")]
    NoDate,
    #[error("sequence number {seq} does not fit in the pattern's {digits} digits")]
    SeqTooLarge { seq: u64, digits: usize },
    #[error("{len} characters were asked for: a serial has 1 to {MAX_LEN}")]
    BadLength { len: usize },
    #[error("not enough random bytes: give at least {needed}")]
    NotEnoughRandom { needed: usize },
}

impl Fault for PatternError {
    fn code(&self) -> &'static str {
        match self {
            PatternError::Empty
            | PatternError::Char { .. }
            | PatternError::Unclosed
            | PatternError::UnknownPlaceholder { .. }
            | PatternError::TwoSequences
            | PatternError::SeqWidth { .. } => "serial.pattern",
            PatternError::TooLong { .. } => "serial.too-long",
            PatternError::NoDate => "serial.no-date",
            PatternError::SeqTooLarge { .. } => "serial.exhausted",
            PatternError::BadLength { .. } => "serial.length",
            PatternError::NotEnoughRandom { .. } => "serial.random",
        }
    }

    fn zh(&self) -> String {
        match self {
            PatternError::Empty => "规则不能为空".into(),
            PatternError::Char { ch } => format!("字符“{ch}”不允许：只能用字母、数字和“-”"),
            PatternError::Unclosed => "“{”没有对应的“}”".into(),
            PatternError::UnknownPlaceholder { name } => format!(
                "未知的占位符 {{{name}}}：可用 {{seq}}、{{seq:N}}、{{yyyy}}、{{yy}}、{{MM}}、{{dd}}、{{yyyyMMdd}}、{{yyMMdd}}"
            ),
            PatternError::TwoSequences => "规则中只能有一个 {seq}".into(),
            PatternError::SeqWidth { width } => format!("序号位数应为 1–20，实际为“{width}”"),
            PatternError::TooLong { len } => {
                format!("按此规则生成的编码可达 {len} 位，超过上限 {MAX_LEN} 位")
            }
            PatternError::NoDate => "规则中含日期占位符，但没有提供日期".into(),
            PatternError::SeqTooLarge { seq, digits } => {
                format!("序号 {seq} 超出了规则的 {digits} 位，请加大位数或换用新规则")
            }
            PatternError::BadLength { len } => format!("要求 {len} 位：序列号应为 1–{MAX_LEN} 位"),
            PatternError::NotEnoughRandom { needed } => {
                format!("随机字节不够，至少需要 {needed} 个")
            }
        }
    }
}

impl PatternError {
    fn fail<T>(self) -> Result<T, Problems> {
        Err(Problems(vec![self.problem()]))
    }
}

fn is_allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}

/// A parsed pattern. Invariant: no value it renders is longer than [`MAX_LEN`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodePattern {
    parts: Vec<Part>,
    source: String,
}

impl CodePattern {
    pub fn parse(pattern: &str) -> Result<CodePattern, Problems> {
        if pattern.is_empty() {
            return PatternError::Empty.fail();
        }
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = pattern.chars();
        while let Some(c) = chars.next() {
            if c != '{' {
                if !is_allowed(c) {
                    return PatternError::Char { ch: c }.fail();
                }
                literal.push(c);
                continue;
            }
            let mut name = String::new();
            let mut closed = false;
            for c in chars.by_ref() {
                if c == '}' {
                    closed = true;
                    break;
                }
                name.push(c);
            }
            if !closed {
                return PatternError::Unclosed.fail();
            }
            if !literal.is_empty() {
                parts.push(Part::Literal(std::mem::take(&mut literal)));
            }
            let part = match name.as_str() {
                "seq" => Part::Seq(None),
                "yyyy" => Part::Date(DateToken::Yyyy),
                "yy" => Part::Date(DateToken::Yy),
                "MM" => Part::Date(DateToken::Mm),
                "dd" => Part::Date(DateToken::Dd),
                "yyyyMMdd" => Part::Date(DateToken::YyyyMmDd),
                "yyMMdd" => Part::Date(DateToken::YyMmDd),
                other => match other.strip_prefix("seq:") {
                    Some(width) => match width.parse::<usize>() {
                        Ok(n)
                            if (1..=MAX_LEN).contains(&n)
                                && width.bytes().all(|b| b.is_ascii_digit()) =>
                        {
                            Part::Seq(Some(n))
                        }
                        _ => {
                            return PatternError::SeqWidth {
                                width: width.to_owned(),
                            }
                            .fail();
                        }
                    },
                    None => {
                        return PatternError::UnknownPlaceholder {
                            name: other.to_owned(),
                        }
                        .fail();
                    }
                },
            };
            parts.push(part);
        }
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        if parts.iter().filter(|p| matches!(p, Part::Seq(_))).count() > 1 {
            return PatternError::TwoSequences.fail();
        }
        let pattern = CodePattern {
            parts,
            source: pattern.to_owned(),
        };
        let min = pattern.fixed_len()
            + pattern
                .seq_width()
                .unwrap_or(0)
                .max(usize::from(pattern.has_seq()));
        if min > MAX_LEN {
            return PatternError::TooLong { len: min }.fail();
        }
        Ok(pattern)
    }

    /// Length of everything but the sequence number.
    fn fixed_len(&self) -> usize {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Literal(s) => s.len(),
                Part::Date(d) => d.width(),
                Part::Seq(_) => 0,
            })
            .sum()
    }

    fn has_seq(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Seq(_)))
    }

    fn seq_width(&self) -> Option<usize> {
        self.parts.iter().find_map(|p| match p {
            Part::Seq(w) => *w,
            _ => None,
        })
    }

    /// How many digits the sequence number may use (0 when there is no `{seq}`).
    pub fn seq_digits(&self) -> usize {
        match self.parts.iter().find(|p| matches!(p, Part::Seq(_))) {
            Some(Part::Seq(Some(n))) => *n,
            Some(_) => MAX_LEN - self.fixed_len(),
            None => 0,
        }
    }

    /// The longest value the pattern can produce; never more than [`MAX_LEN`].
    pub fn max_len(&self) -> usize {
        self.fixed_len() + self.seq_digits()
    }

    /// How many distinct sequence numbers fit (`None`: more than `u64` can count).
    pub fn capacity(&self) -> Option<u64> {
        match self.seq_digits() {
            0 => Some(1),
            n => 10u64.checked_pow(n as u32),
        }
    }

    pub fn uses_date(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Date(_)))
    }

    /// The value for sequence number `seq` on `date`.
    pub fn render(&self, date: Option<YearMonthDay>, seq: u64) -> Result<String, Problems> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(s) => out.push_str(s),
                Part::Date(token) => match date {
                    Some(d) => out.push_str(&token.render(d)),
                    None => return PatternError::NoDate.fail(),
                },
                Part::Seq(width) => {
                    let digits = self.seq_digits();
                    let text = match width {
                        Some(n) => format!("{seq:0n$}", n = *n),
                        None => seq.to_string(),
                    };
                    if text.len() > digits {
                        return PatternError::SeqTooLarge { seq, digits }.fail();
                    }
                    out.push_str(&text);
                }
            }
        }
        Ok(out)
    }
}

impl fmt::Display for CodePattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// `count` consecutive serials from `start` (e.g. `SN{seq:08}` → `SN00000001`, `SN00000002`, …).
pub fn sequential_serials(
    pattern: &CodePattern,
    date: Option<YearMonthDay>,
    start: u64,
    count: usize,
) -> Result<Vec<String>, Problems> {
    (0..count as u64)
        .map(|i| match start.checked_add(i) {
            Some(seq) => pattern.render(date, seq),
            None => PatternError::SeqTooLarge {
                seq: u64::MAX,
                digits: pattern.seq_digits(),
            }
            .fail(),
        })
        .collect()
}

/// A lot number from a pattern such as `B{yyyyMMdd}-{seq}` for `date` and sequence number `seq`
/// (e.g. `B20250715-1`).
pub fn suggest_lot(pattern: &str, date: YearMonthDay, seq: u64) -> Result<String, Problems> {
    CodePattern::parse(pattern)?.render(Some(date), seq)
}

/// The alphabet of random serials (drawn or keyed): letters and digits, in this order (digit
/// value 0–61 of a keyed serial). `-` is allowed in serials but left out
/// here so a random serial never starts or ends with it.
const RANDOM_ALPHABET: &[u8; 62] =
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A non-guessable serial of `len` characters from caller-supplied random bytes (use an OS
/// CSPRNG). Each byte below 248 (= 4 × 62) gives one character, the others are skipped, so every
/// character is uniform. Expect to need about `len × 1.04` bytes; pass `2 × len` to be safe.
/// `len = 12` gives about 71 bits.
pub fn random_serial(random: &[u8], len: usize) -> Result<String, Problems> {
    if !(1..=MAX_LEN).contains(&len) {
        return PatternError::BadLength { len }.fail();
    }
    let out: String = random
        .iter()
        .filter(|&&b| b < 248)
        .take(len)
        .map(|&b| RANDOM_ALPHABET[usize::from(b) % 62] as char)
        .collect();
    if out.len() < len {
        return PatternError::NotEnoughRandom { needed: len * 2 }.fail();
    }
    Ok(out)
}

/// Bits of entropy in a random serial of `len` characters.
pub fn random_serial_bits(len: usize) -> f64 {
    len as f64 * 62f64.log2()
}

/// Warnings and errors for a serial or lot the user typed, against the same safe set.
pub fn check_safe_value(value: &str) -> Vec<Problem> {
    let mut out = Vec::new();
    if value.is_empty() {
        out.push(PatternError::Empty.problem());
    } else if value.chars().count() > MAX_LEN {
        out.push(
            PatternError::TooLong {
                len: value.chars().count(),
            }
            .problem(),
        );
    }
    if let Some(ch) = value.chars().find(|c| !is_allowed(*c)) {
        out.push(PatternError::Char { ch }.problem());
    }
    out
}

#[cfg(test)]
mod tests;
