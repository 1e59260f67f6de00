//! GS1 element strings: bracketed text `(01)09520123456788(10)ABC123`, raw data with FNC1/GS
//! separators, and the rules over each value and over the whole string.
//!
//! - Bracketed syntax and the `\(` escape: gs1-syntax-engine `ai.c` `gs1_parseAIdata`
//!   (domain.md §A.7).
//! - Raw data and separator placement: `ai.c` `gs1_processAIdata`; a GS follows every element
//!   whose AI has no predefined length, unless it is the last one (domain.md §A.7).
//! - Value rules: the AI's format components, character sets and linters (domain.md §A.4–§A.6).
//! - Whole-string rules: `req=`/`ex=` pairings, repeated AIs, (8030) serial rule (`ai.c`
//!   `validateAI*`; the dictionary header says pairings are evaluated over all the data).

use std::fmt;

use super::ai::{self, AiEntry};
use super::error::Gs1Error;
use super::lint::{self, LintContext};
use crate::date::YearMonthDay;
use crate::problem::{Problem, Problems, Severity, make_problem};

/// The ASCII GS character that stands for FNC1 in transmitted data.
pub const GS: char = '\u{1d}';

/// One AI and its value inside a valid element string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    entry: &'static AiEntry,
    value: String,
}

impl Element {
    pub fn ai(&self) -> &'static str {
        self.entry.ai
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    pub fn entry(&self) -> &'static AiEntry {
        self.entry
    }
}

/// A valid GS1 element string. Invariant: every AI is known, every value passes its format and
/// linters, and the pairing rules hold.
///
/// Two element strings are equal when they hold the same elements in the same order; the
/// warnings (whose positions depend on the form that was read) do not count.
#[derive(Debug, Clone)]
pub struct ElementString {
    elements: Vec<Element>,
    warnings: Vec<Problem>,
}

impl PartialEq for ElementString {
    fn eq(&self, other: &Self) -> bool {
        self.elements == other.elements
    }
}

impl Eq for ElementString {}

impl ElementString {
    /// Parses the bracketed form, e.g. `(01)09520123456788(10)ABC123`. A literal `(` inside a
    /// value is written `\(`.
    pub fn parse_bracketed(text: &str, today: YearMonthDay) -> Result<ElementString, Problems> {
        analyse_bracketed(text, today).into_result()
    }

    /// Parses raw element data: AIs and values back to back, with a GS (`\x1d`) after each value
    /// that has no predefined length and is not last. A leading FNC1 (GS) is optional. `^` is
    /// accepted for FNC1 as well (the notation of the GS1 tools and of domain.md §A.7).
    pub fn parse_raw(text: &str, today: YearMonthDay) -> Result<ElementString, Problems> {
        analyse_raw(text, today, true, 0).into_result()
    }

    /// Builds and validates an element string from AI/value pairs, in the given order.
    pub fn from_pairs(
        pairs: &[(&str, &str)],
        today: YearMonthDay,
    ) -> Result<ElementString, Problems> {
        let items = pairs
            .iter()
            .map(|(ai, value)| Item {
                ai: (*ai).to_owned(),
                value: value.chars().collect(),
                entry: ai::lookup(ai),
                ai_pos: None,
                value_pos: Vec::new(),
                value_checked: false,
            })
            .collect();
        let mut analysis = Analysis {
            items,
            problems: Vec::new(),
        };
        for item in &analysis.items {
            if item.entry.is_none() {
                analysis
                    .problems
                    .push(item.problem(&unknown_or_bad_ai(&item.ai), None));
            }
        }
        analysis.validate(today);
        analysis.into_result()
    }

    pub fn elements(&self) -> &[Element] {
        &self.elements
    }

    /// The value of the first element with this AI.
    pub fn get(&self, ai: &str) -> Option<&str> {
        self.elements
            .iter()
            .find(|e| e.ai() == ai)
            .map(Element::value)
    }

    /// Warnings that do not make the data invalid (e.g. GB/T 33993 characters in a lot).
    pub fn warnings(&self) -> &[Problem] {
        &self.warnings
    }

    /// `(01)09520123456788(10)ABC123`, with `(` in values escaped as `\(`.
    pub fn to_bracketed(&self) -> String {
        let mut out = String::new();
        for e in &self.elements {
            out.push('(');
            out.push_str(e.ai());
            out.push(')');
            for c in e.value.chars() {
                if c == '(' {
                    out.push('\\');
                }
                out.push(c);
            }
        }
        out
    }

    /// The element data as a scanner transmits it after the symbology identifier: no leading
    /// FNC1, a GS (`\x1d`) after each element that needs a separator and is not last.
    pub fn to_raw(&self) -> String {
        self.joined(GS)
    }

    /// The GS1 tools' notation: FNC1 written `^`, including the leading one
    /// (`^010952012345678810ABC123`).
    pub fn to_caret(&self) -> String {
        format!("^{}", self.joined('^'))
    }

    fn joined(&self, separator: char) -> String {
        let mut out = String::new();
        let last = self.elements.len().saturating_sub(1);
        for (i, e) in self.elements.iter().enumerate() {
            out.push_str(e.ai());
            out.push_str(&e.value);
            if e.entry.needs_separator && i != last {
                out.push(separator);
            }
        }
        out
    }

    /// The human-readable interpretation, one `(AI) value` per element (domain.md §A.7).
    pub fn hri_lines(&self) -> Vec<String> {
        self.elements
            .iter()
            .map(|e| format!("({}) {}", e.ai(), e.value))
            .collect()
    }

    /// The HRI lines joined with a space: `(01) 09520123456788 (10) ABC123`.
    pub fn to_hri(&self) -> String {
        self.hri_lines().join(" ")
    }
}

impl fmt::Display for ElementString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_bracketed())
    }
}

/// One AI/value pair as read, before validation; `entry` is `None` for an unknown AI.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub ai: String,
    pub value: Vec<char>,
    pub entry: Option<&'static AiEntry>,
    /// 1-based position of the AI's first digit in the input.
    pub ai_pos: Option<u32>,
    /// 1-based input position of each value character (may be empty when not known).
    pub value_pos: Vec<u32>,
    /// The value was already found wrong while reading (e.g. a missing separator).
    pub value_checked: bool,
}

impl Item {
    pub(crate) fn new(ai: String, ai_pos: u32) -> Item {
        Item {
            entry: ai::lookup(&ai),
            ai,
            value: Vec::new(),
            ai_pos: Some(ai_pos),
            value_pos: Vec::new(),
            value_checked: false,
        }
    }

    pub(crate) fn push(&mut self, c: char, pos: u32) {
        self.value.push(c);
        self.value_pos.push(pos);
    }

    pub(crate) fn value_string(&self) -> String {
        self.value.iter().collect()
    }

    /// Input position of the value character at `offset`, falling back to the value start and
    /// then to the AI.
    fn pos_at(&self, offset: usize) -> Option<u32> {
        self.value_pos
            .get(offset)
            .or(self.value_pos.last())
            .copied()
            .or(self.ai_pos)
    }

    fn problem(&self, fault: &Gs1Error, offset: Option<usize>) -> Problem {
        let pos = match offset {
            Some(o) => self.pos_at(o),
            None => self.ai_pos,
        };
        let ai = self.entry.map(|e| e.ai);
        make_problem(fault, Severity::Error, ai, pos)
    }
}

/// What was read from some text, valid or not.
#[derive(Debug, Clone, Default)]
pub(crate) struct Analysis {
    pub items: Vec<Item>,
    pub problems: Vec<Problem>,
}

impl Analysis {
    pub(crate) fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }

    /// Adds the value and association problems of the items read so far.
    pub(crate) fn validate(&mut self, today: YearMonthDay) {
        let ctx = LintContext {
            current_year: today.year(),
        };
        for item in &self.items {
            let Some(entry) = item.entry else { continue };
            if !item.value_checked
                && let Err((fault, offset)) = check_value(entry, &item.value, &ctx)
            {
                self.problems.push(item.problem(&fault, Some(offset)));
                continue;
            }
            if matches!(entry.ai, "10" | "21")
                && let Some(i) = item.value.iter().position(|c| "%&/<>?".contains(*c))
            {
                let fault = Gs1Error::Gbt33993Char { ch: item.value[i] };
                self.problems.push(make_problem(
                    &fault,
                    Severity::Warning,
                    Some(entry.ai),
                    item.pos_at(i),
                ));
            }
        }
        self.problems.extend(check_associations(&self.items));
    }

    /// The fields read, AI → first value, for a report.
    pub(crate) fn fields(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for item in &self.items {
            if item.entry.is_some() && !out.iter().any(|(ai, _)| *ai == item.ai) {
                out.push((item.ai.clone(), item.value_string()));
            }
        }
        out
    }

    /// The elements read, in order: every item whose AI is known.
    fn elements(&self) -> Vec<Element> {
        self.items
            .iter()
            .filter_map(|i| {
                i.entry.map(|entry| Element {
                    entry,
                    value: i.value_string(),
                })
            })
            .collect()
    }

    pub(crate) fn into_result(self) -> Result<ElementString, Problems> {
        let elements = self.elements();
        if self.has_errors() {
            return Err(Problems(self.problems));
        }
        Ok(ElementString {
            elements,
            warnings: self.problems,
        })
    }
}

pub(crate) fn unknown_or_bad_ai(ai: &str) -> Gs1Error {
    if (2..=4).contains(&ai.chars().count()) && ai.chars().all(|c| c.is_ascii_digit()) {
        Gs1Error::UnknownAi { ai: ai.to_owned() }
    } else {
        Gs1Error::BadAi { ai: ai.to_owned() }
    }
}

/// Checks one value against its AI's format: length first (as the engine does before linting,
/// because a check-digit complaint about a value of the wrong length helps nobody), then each
/// component's character set and linters. Returns the first fault and its offset in the value.
pub(crate) fn check_value(
    entry: &AiEntry,
    value: &[char],
    ctx: &LintContext,
) -> Result<(), (Gs1Error, usize)> {
    let len = value.len();
    if len == 0 {
        return Err((Gs1Error::EmptyValue, 0));
    }
    if len < entry.min_len || len > entry.max_len {
        let offset = if len > entry.max_len {
            entry.max_len
        } else {
            0
        };
        return Err((
            Gs1Error::Length {
                len,
                min: entry.min_len,
                max: entry.max_len,
            },
            offset,
        ));
    }
    let mut p = 0;
    for comp in &entry.components {
        let complen = (len - p).min(comp.max);
        if comp.optional && complen == 0 {
            continue;
        }
        if complen < comp.min {
            return Err((
                Gs1Error::ComponentLength {
                    len,
                    spec: entry.spec,
                },
                p,
            ));
        }
        let part = &value[p..p + complen];
        lint::check_cset(comp.cset, part).map_err(|(f, o)| (f, o + p))?;
        for &linter in &comp.linters {
            lint::run(linter, part, ctx).map_err(|(f, o)| (f, o + p))?;
        }
        p += complen;
    }
    if p < len {
        return Err((
            Gs1Error::Length {
                len,
                min: entry.min_len,
                max: p,
            },
            p,
        ));
    }
    Ok(())
}

/// Rules over the whole element string (ai.c `validateAIrepeats`, `validateAImutex`,
/// `validateAIrequisites`, `validateDigSigRequiresSerialisedKey`).
fn check_associations(items: &[Item]) -> Vec<Problem> {
    let known: Vec<(&Item, &'static AiEntry)> = items
        .iter()
        .filter_map(|i| i.entry.map(|e| (i, e)))
        .collect();
    let mut problems = Vec::new();

    // An AI may repeat only with the same value (data read from several carriers is merged).
    let mut reported: Vec<&str> = Vec::new();
    for (n, (item, entry)) in known.iter().enumerate() {
        if reported.contains(&entry.ai) {
            continue;
        }
        if let Some((later, _)) = known[n + 1..]
            .iter()
            .find(|(o, e)| e.ai == entry.ai && o.value != item.value)
        {
            reported.push(entry.ai);
            problems.push(later.problem(&Gs1Error::RepeatedDiffers, None));
        }
    }

    // ex=: report each offending pair once.
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for (item, entry) in &known {
        for pattern in &entry.excludes {
            let other = known
                .iter()
                .find(|(_, o)| o.ai != entry.ai && ai::matches_pattern(pattern, o.ai));
            if let Some((_, other)) = other {
                let pair = if entry.ai < other.ai {
                    (entry.ai, other.ai)
                } else {
                    (other.ai, entry.ai)
                };
                if !pairs.contains(&pair) {
                    pairs.push(pair);
                    problems.push(item.problem(
                        &Gs1Error::Excludes {
                            other: other.ai.to_owned(),
                        },
                        None,
                    ));
                }
            }
        }
    }

    // req=: every rule needs one alternative whose AIs are all present (not counting itself).
    let mut seen: Vec<&str> = Vec::new();
    for (item, entry) in &known {
        if seen.contains(&entry.ai) {
            continue;
        }
        seen.push(entry.ai);
        for rule in &entry.requires {
            let satisfied = rule.split(',').any(|group| {
                group.split('+').all(|member| {
                    known
                        .iter()
                        .any(|(_, o)| o.ai != entry.ai && ai::matches_pattern(member, o.ai))
                })
            });
            if !satisfied {
                problems.push(item.problem(
                    &Gs1Error::Requires {
                        rule: (*rule).to_owned(),
                    },
                    None,
                ));
            }
        }
    }

    // A (8030) digital signature needs the serial component of (253), (255) and (8003).
    if known.iter().any(|(_, e)| e.ai == "8030") {
        for (item, entry) in &known {
            if matches!(entry.ai, "253" | "255" | "8003") && item.value.len() == entry.min_len {
                problems.push(item.problem(&Gs1Error::DigSigSerial, None));
            }
        }
    }
    problems
}

/// Reads the bracketed form. Keeps going after a bad element so that all problems are reported.
pub(crate) fn analyse_bracketed(text: &str, today: YearMonthDay) -> Analysis {
    let chars: Vec<char> = text.chars().collect();
    let mut analysis = Analysis::default();
    if chars.is_empty() {
        analysis.problems.push(Gs1Error::Empty.problem_at(None));
        return analysis;
    }
    let pos = |i: usize| (i + 1) as u32;
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '(' {
            analysis
                .problems
                .push(Gs1Error::ExpectedOpenBracket { found: chars[i] }.problem_at(Some(pos(i))));
            // Resynchronise on the next unescaped '('.
            while i < chars.len() && !(chars[i] == '(' && (i == 0 || chars[i - 1] != '\\')) {
                i += 1;
            }
            continue;
        }
        let Some(close) = chars[i + 1..]
            .iter()
            .position(|&c| c == ')')
            .map(|j| i + 1 + j)
        else {
            analysis
                .problems
                .push(Gs1Error::UnclosedAi.problem_at(Some(pos(i))));
            break;
        };
        let ai: String = chars[i + 1..close].iter().collect();
        let mut item = Item::new(ai, pos(i + 1));
        let mut k = close + 1;
        while k < chars.len() {
            match chars[k] {
                '\\' if chars.get(k + 1) == Some(&'(') => {
                    item.push('(', pos(k + 1));
                    k += 2;
                }
                '(' => break,
                c => {
                    item.push(c, pos(k));
                    k += 1;
                }
            }
        }
        if item.entry.is_none() {
            analysis
                .problems
                .push(item.problem(&unknown_or_bad_ai(&item.ai), None));
        }
        analysis.items.push(item);
        i = k;
    }
    analysis.validate(today);
    analysis
}

/// Reads raw element data. `caret_is_fnc1` lets `^` stand for FNC1 (not for scanner data, where
/// `^` is plain data). `offset` is added to every position (the length of a symbology
/// identifier in front of the data).
pub(crate) fn analyse_raw(
    text: &str,
    today: YearMonthDay,
    caret_is_fnc1: bool,
    offset: u32,
) -> Analysis {
    let chars: Vec<char> = text.chars().collect();
    let is_fnc1 = |c: char| c == GS || (caret_is_fnc1 && c == '^');
    let pos = |i: usize| i as u32 + 1 + offset;
    let mut analysis = Analysis::default();
    let mut i = 0;
    while i < chars.len() && is_fnc1(chars[i]) {
        i += 1;
    }
    if i == chars.len() {
        analysis
            .problems
            .push(Gs1Error::Empty.problem_at(if chars.is_empty() { None } else { Some(pos(0)) }));
        return analysis;
    }
    let table = ai::table();
    while i < chars.len() {
        let rest = || chars[i..].iter().take(8).collect::<String>();
        let ai_len = match (chars.get(i), chars.get(i + 1)) {
            (Some(&a), Some(&b)) if a.is_ascii_digit() && b.is_ascii_digit() => {
                table.ai_len_for_prefix(a, b)
            }
            (Some(_), None) => {
                analysis
                    .problems
                    .push(Gs1Error::TruncatedAi { rest: rest() }.problem_at(Some(pos(i))));
                break;
            }
            _ => {
                analysis
                    .problems
                    .push(Gs1Error::BadAi { ai: rest() }.problem_at(Some(pos(i))));
                break;
            }
        };
        let ai_len = match ai_len {
            Some(n) if i + n <= chars.len() && chars[i..i + n].iter().all(char::is_ascii_digit) => {
                n
            }
            Some(_) => {
                analysis
                    .problems
                    .push(Gs1Error::TruncatedAi { rest: rest() }.problem_at(Some(pos(i))));
                break;
            }
            // No AI starts with these two digits: we cannot know where the AI ends.
            None => {
                let ai: String = chars[i..i + 2].iter().collect();
                analysis
                    .problems
                    .push(Gs1Error::UnknownAi { ai }.problem_at(Some(pos(i))));
                break;
            }
        };
        let ai: String = chars[i..i + ai_len].iter().collect();
        let mut item = Item::new(ai, pos(i));
        i += ai_len;
        let mut end = chars[i..]
            .iter()
            .position(|&c| is_fnc1(c))
            .map_or(chars.len(), |j| i + j);
        match item.entry {
            Some(entry) if !entry.needs_separator => end = end.min(i + entry.predefined_len()),
            Some(entry) => {
                if end - i > entry.max_len {
                    let fault = Gs1Error::MissingSeparator { max: entry.max_len };
                    analysis.problems.push(make_problem(
                        &fault,
                        Severity::Error,
                        Some(entry.ai),
                        Some(pos(i + entry.max_len)),
                    ));
                    item.value_checked = true;
                }
            }
            None => analysis
                .problems
                .push(item.problem(&unknown_or_bad_ai(&item.ai), None)),
        }
        for (k, &c) in chars.iter().enumerate().take(end).skip(i) {
            item.push(c, pos(k));
        }
        analysis.items.push(item);
        i = end;
        if i < chars.len() && is_fnc1(chars[i]) {
            i += 1;
        }
    }
    analysis.validate(today);
    analysis
}

impl Gs1Error {
    pub(crate) fn problem_at(&self, position: Option<u32>) -> Problem {
        make_problem(self, Severity::Error, None, position)
    }
}

#[cfg(test)]
impl ElementString {
    /// The elements of an analysis whatever its problems: for tests that check rendering the way
    /// the engine's own tests do (values checked, pairings not).
    pub(crate) fn from_analysis_unchecked(analysis: &Analysis) -> ElementString {
        ElementString {
            elements: analysis.elements(),
            warnings: Vec::new(),
        }
    }
}
