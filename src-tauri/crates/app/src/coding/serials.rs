//! Serial series for the ledger: how a series renders its serials fast, reads one back to its
//! sequence number, and whether two series could ever produce the same serial.
//!
//! A sequential series is a codes::serial pattern rendered on one date. Every part of a pattern
//! but the sequence number has a fixed width, so a serial of the series is `prefix + digits +
//! suffix`, where prefix and suffix come from rendering sequence number 0 (`fixed`, stored with
//! the series). Two series may share a scope (a GTIN) only if no serial could belong to both:
//! [`Shape`]s compare them position by position. Serials of one series are unique by
//! construction (distinct sequence numbers), so the ledger only has to hand out each sequence
//! number once.

use std::fmt::Write as _;

use codes::problem::Fault;
use codes::serial::{CodePattern, PatternError};
use codes::{Problems, YearMonthDay};

/// A sequential series: a pattern, laid out around its sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SeqSeries {
    pattern: CodePattern,
    prefix: String,
    suffix: String,
    /// `Some(w)`: the number is zero-padded to exactly w digits; `None`: unpadded, at most
    /// `digits` digits.
    width: Option<usize>,
    /// Room for the number (0: the pattern has no `{seq}` and makes exactly one serial).
    digits: usize,
}

/// A date for laying out date placeholders when only their width matters.
const ANY_DATE: YearMonthDay = match YearMonthDay::new(2000, 1, 1) {
    Some(d) => d,
    None => panic!("valid date"),
};

impl SeqSeries {
    /// The series of `pattern` on `date` (which date placeholders need).
    pub(crate) fn new(pattern: &str, date: Option<YearMonthDay>) -> Result<SeqSeries, Problems> {
        let parsed = CodePattern::parse(pattern)?;
        let fixed = parsed.render(date, 0)?;
        Self::laid_out(parsed, &fixed)
    }

    /// A stored series: its pattern and its `fixed` rendering (sequence number 0).
    pub(crate) fn from_stored(pattern: &str, fixed: &str) -> Result<SeqSeries, Problems> {
        Self::laid_out(CodePattern::parse(pattern)?, fixed)
    }

    fn laid_out(pattern: CodePattern, fixed: &str) -> Result<SeqSeries, Problems> {
        let digits = pattern.seq_digits();
        if digits == 0 {
            return Ok(SeqSeries {
                pattern,
                prefix: fixed.to_owned(),
                suffix: String::new(),
                width: None,
                digits: 0,
            });
        }
        // Where the number sits does not depend on the date (date placeholders have fixed widths):
        // find it by rendering 0 and 1 on any date; the last digit of the number is the one
        // position where they differ.
        let zero = pattern.render(Some(ANY_DATE), 0)?;
        let one = pattern.render(Some(ANY_DATE), 1)?;
        let last = zero
            .bytes()
            .zip(one.bytes())
            .position(|(a, b)| a != b)
            .expect("sequence numbers 0 and 1 render differently");
        let padded = zero.len() == pattern.max_len();
        let width = if padded { digits } else { 1 };
        let start = last + 1 - width;
        let suffix_len = zero.len() - last - 1;
        if fixed.len() != zero.len() || !fixed.is_ascii() {
            // A stored `fixed` that does not fit its pattern: refuse rather than guess.
            return Err(Problems(vec![PatternError::Unclosed.problem()]));
        }
        Ok(SeqSeries {
            prefix: fixed[..start].to_owned(),
            suffix: fixed[fixed.len() - suffix_len..].to_owned(),
            width: padded.then_some(digits),
            digits,
            pattern,
        })
    }

    /// The rendering of sequence number 0: the series' identity next to its pattern.
    pub(crate) fn fixed(&self) -> String {
        let mut out = String::new();
        self.render_into(0, &mut out);
        out
    }

    pub(crate) fn pattern(&self) -> &CodePattern {
        &self.pattern
    }

    /// The first sequence number of a new series: 1 (people count from one), or 0 for a pattern
    /// without a number.
    pub(crate) fn start(&self) -> u64 {
        u64::from(self.digits > 0)
    }

    /// Appends the serial of sequence number `seq` to `out`.
    pub(crate) fn render_into(&self, seq: u64, out: &mut String) {
        out.push_str(&self.prefix);
        if self.digits > 0 {
            // Writing into a String cannot fail.
            let _ = match self.width {
                Some(w) => write!(out, "{seq:0w$}"),
                None => write!(out, "{seq}"),
            };
        }
        out.push_str(&self.suffix);
    }

    pub(crate) fn render(&self, seq: u64) -> String {
        let mut out = String::with_capacity(self.prefix.len() + self.digits + self.suffix.len());
        self.render_into(seq, &mut out);
        out
    }

    /// Whether sequence numbers `first .. first + count` all fit the pattern.
    pub(crate) fn check_range(&self, first: u64, count: u64) -> Result<(), Problems> {
        let exhausted = |seq: u64| {
            Err(Problems(vec![
                PatternError::SeqTooLarge {
                    seq,
                    digits: self.digits,
                }
                .problem(),
            ]))
        };
        let Some(last) = count.checked_sub(1).and_then(|n| first.checked_add(n)) else {
            return exhausted(u64::MAX);
        };
        let fits = match (self.digits, self.width) {
            (0, _) => last == 0,
            (_, Some(w)) => w >= 20 || last < 10u64.pow(w as u32),
            (d, None) => d >= 20 || last < 10u64.pow(d as u32),
        };
        if fits { Ok(()) } else { exhausted(last) }
    }

    /// The sequence number of `serial` in this series, if it is one of its serials.
    pub(crate) fn seq_of(&self, serial: &str) -> Option<u64> {
        let middle = serial
            .strip_prefix(self.prefix.as_str())?
            .strip_suffix(self.suffix.as_str())?;
        if self.digits == 0 {
            return middle.is_empty().then_some(0);
        }
        if middle.is_empty() || !middle.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        match self.width {
            Some(w) if middle.len() != w => return None,
            None if middle.len() > self.digits || (middle.len() > 1 && middle.starts_with('0')) => {
                return None;
            }
            _ => {}
        }
        middle.parse().ok()
    }

    /// Every shape a serial of this series can have.
    pub(crate) fn shapes(&self) -> Vec<Shape> {
        let literal = |s: &str| s.bytes().map(Class::Lit).collect::<Vec<_>>();
        let lengths: Vec<usize> = match (self.digits, self.width) {
            (0, _) => vec![0],
            (_, Some(w)) => vec![w],
            (d, None) => (1..=d).collect(),
        };
        lengths
            .into_iter()
            .map(|n| {
                let mut shape = literal(&self.prefix);
                shape.extend(std::iter::repeat_n(Class::Digit, n));
                shape.extend(literal(&self.suffix));
                Shape(shape)
            })
            .collect()
    }
}

/// What may stand at one position of a serial.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Lit(u8),
    Digit,
    /// A letter or a digit (random serials).
    Alnum,
}

impl Class {
    fn admits(self, other: Class) -> bool {
        match (self, other) {
            (Class::Lit(a), Class::Lit(b)) => a == b,
            (Class::Lit(c), Class::Digit) | (Class::Digit, Class::Lit(c)) => c.is_ascii_digit(),
            (Class::Lit(c), Class::Alnum) | (Class::Alnum, Class::Lit(c)) => {
                c.is_ascii_alphanumeric()
            }
            _ => true,
        }
    }
}

/// The serials of one length a series can make, position by position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shape(Vec<Class>);

impl Shape {
    /// Could one serial fit both shapes?
    pub(crate) fn meets(&self, other: &Shape) -> bool {
        self.0.len() == other.0.len() && self.0.iter().zip(&other.0).all(|(a, b)| a.admits(*b))
    }
}

/// The shapes of random serials of `len` characters.
pub(crate) fn random_shapes(len: usize) -> Vec<Shape> {
    vec![Shape(vec![Class::Alnum; len])]
}

/// Could any serial of one set of shapes also be one of the other's?
pub(crate) fn may_overlap(a: &[Shape], b: &[Shape]) -> bool {
    a.iter().any(|x| b.iter().any(|y| x.meets(y)))
}

/// `random:<len>`, the pattern text of a random series.
pub(crate) fn random_pattern(len: usize) -> String {
    format!("random:{len}")
}

pub(crate) fn random_len_of(pattern: &str) -> Option<usize> {
    pattern.strip_prefix("random:")?.parse().ok()
}

/// Draws random serials from the operating system's generator (`getrandom`), through
/// `codes::serial::random_serial`. Bytes are fetched in blocks so a million serials need only a
/// few hundred system calls.
pub(crate) struct RandomSerials {
    len: usize,
    block: Vec<u8>,
    used: usize,
}

impl RandomSerials {
    pub(crate) fn new(len: usize) -> RandomSerials {
        RandomSerials {
            len,
            block: Vec::new(),
            used: 0,
        }
    }

    /// The next serial; `Err` only when the operating system gives no random bytes.
    pub(crate) fn draw(&mut self) -> Result<String, getrandom::Error> {
        // Twice the length is what random_serial asks for to be safe (it skips bytes ≥ 248).
        let need = self.len * 2;
        loop {
            if self.used + need > self.block.len() {
                self.block.resize(64 * 1024, 0);
                getrandom::fill(&mut self.block)?;
                self.used = 0;
            }
            let bytes = &self.block[self.used..self.used + need];
            self.used += need;
            if let Ok(serial) = codes::serial::random_serial(bytes, self.len) {
                return Ok(serial);
            }
        }
    }
}
