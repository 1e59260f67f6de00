//! One thing wrong with a code, as data: what, where, how bad, and what to do about it.
//!
//! Bad input is not an `Err` of the checking functions' callers: `check` returns a report with a
//! list of problems. The typed parsers (`Gtin::parse`, `ElementString::parse_bracketed`, …) do
//! return `Err(Problems)`, so that code which needs a valid value cannot forget to look.

use std::fmt;

use serde::Serialize;

use crate::Message;

/// How bad a problem is. An `Error` makes the code invalid; a `Warning` is worth showing but the
/// code may still be used (for example a rule whose source is unconfirmed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One violation.
///
/// Serialised as `{"ai"?, "position"?, "code", "severity", "message": {"zh", "en"}}`; `ai` and
/// `position` are left out when there is none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The GS1 Application Identifier the problem is about, without brackets (`"01"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ai: Option<String>,
    /// 1-based character position in the text that was checked (characters, not bytes, so a
    /// Chinese character counts as one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<u32>,
    /// Stable machine-readable code such as `gs1.check-digit`; the UI switches on this, never on
    /// the message text.
    pub code: String,
    pub severity: Severity,
    /// What is wrong and how to fix it. Already mentions the AI and the position when there are
    /// any, so it can be shown on its own.
    pub message: Message,
}

impl Problem {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Moves the position `by` characters to the right, in the field and in the message text
    /// (for text that was checked without something in front of it, such as leading blanks or a
    /// symbology identifier).
    pub(crate) fn shift(&mut self, by: u32) {
        let Some(pos) = self.position else { return };
        if by == 0 {
            return;
        }
        let new = pos + by;
        self.message.zh =
            self.message
                .zh
                .replacen(&format!("第 {pos} 位："), &format!("第 {new} 位："), 1);
        self.message.en = self.message.en.replacen(
            &format!("at position {pos}: "),
            &format!("at position {new}: "),
            1,
        );
        self.position = Some(new);
    }
}

/// A rule violation that knows its stable code and its Chinese wording. Its `Display` is the
/// English wording: lower case, no trailing period.
pub trait Fault: std::error::Error {
    /// Stable code, e.g. `gs1.check-digit`.
    fn code(&self) -> &'static str;
    /// The Chinese message: what is wrong and how to fix it.
    fn zh(&self) -> String;

    /// The fault as an error problem with no AI and no position.
    fn problem(&self) -> Problem {
        make_problem(self, Severity::Error, None, None)
    }
}

/// Builds a problem, prefixing the message with the AI and position so it reads on its own:
/// `(10) 第 5 位：…` / `(10) at position 5: …`.
pub(crate) fn make_problem<F: Fault + ?Sized>(
    fault: &F,
    severity: Severity,
    ai: Option<&str>,
    position: Option<u32>,
) -> Problem {
    let mut zh_prefix = String::new();
    let mut en_prefix = String::new();
    if let Some(ai) = ai {
        zh_prefix.push_str(&format!("({ai}) "));
        en_prefix.push_str(&format!("({ai}) "));
    }
    if let Some(pos) = position {
        zh_prefix.push_str(&format!("第 {pos} 位："));
        en_prefix.push_str(&format!("at position {pos}: "));
    }
    Problem {
        ai: ai.map(str::to_owned),
        position,
        code: fault.code().to_owned(),
        severity,
        message: Message::new(
            format!("{zh_prefix}{}", fault.zh()),
            format!("{en_prefix}{fault}"),
        ),
    }
}

/// The problems found in one input; an `Err(Problems)` always holds at least one error (and may
/// hold warnings next to it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn iter(&self) -> std::slice::Iter<'_, Problem> {
        self.0.iter()
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Problem::is_error)
    }

    /// The stable codes, in order; handy in tests and logs.
    pub fn codes(&self) -> Vec<&str> {
        self.0.iter().map(|p| p.code.as_str()).collect()
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for p in &self.0 {
            if !first {
                f.write_str("; ")?;
            }
            first = false;
            f.write_str(&p.message.en)?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

impl IntoIterator for Problems {
    type Item = Problem;
    type IntoIter = std::vec::IntoIter<Problem>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// `code(ai)@pos`, prefixed `w:` for a warning: the compact form the test tables use.
#[cfg(test)]
pub(crate) fn describe_problem(p: &Problem) -> String {
    let mut s = String::new();
    if p.severity == Severity::Warning {
        s.push_str("w:");
    }
    s.push_str(&p.code);
    if let Some(ai) = &p.ai {
        s.push_str(&format!("({ai})"));
    }
    if let Some(pos) = p.position {
        s.push_str(&format!("@{pos}"));
    }
    s
}

/// [`describe_problem`] of each problem, space-separated.
#[cfg(test)]
pub(crate) fn describe_problems(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(describe_problem)
        .collect::<Vec<_>>()
        .join(" ")
}
