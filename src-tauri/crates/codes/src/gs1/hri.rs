//! Human-readable interpretation (HRI, 供人识读): each element is printed as `(AI) value`
//! (domain.md §A.7: `gs1_encoder_getHRI` gives `["(01) 06901234567892", "(10) B20250715-01"]`).
//!
//! Writing is [`super::ElementString::hri_lines`] / [`super::ElementString::to_hri`]. Reading
//! accepts the lines joined by spaces or newlines, `(01) 09520123456788 (10) ABC123`. An AI
//! starts at `(` followed by 2–4 digits and `)` at the start of the text or after whitespace; its
//! value is everything up to the next such AI, without the surrounding whitespace. HRI is
//! ambiguous by nature (a lot written `(12)` would read as an AI): store the bracketed form.

use super::element::{Analysis, ElementString, Item, unknown_or_bad_ai};
use super::error::Gs1Error;
use crate::date::YearMonthDay;
use crate::problem::{Problems, Severity, make_problem};

// Here rather than in `element`, so that `element` (which this module builds on) does not depend
// on this module.
impl ElementString {
    /// Parses human-readable text, `(01) 09520123456788 (10) ABC123` (see [`super::hri`]).
    pub fn parse_hri(text: &str, today: YearMonthDay) -> Result<ElementString, Problems> {
        analyse_hri(text, today).into_result()
    }
}

/// Index just past the `)` when an HRI AI such as `(01)` starts at `i`.
fn ai_token_end(chars: &[char], i: usize) -> Option<usize> {
    if chars.get(i) != Some(&'(') || (i > 0 && !chars[i - 1].is_whitespace()) {
        return None;
    }
    let digits = chars[i + 1..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    ((2..=4).contains(&digits) && chars.get(i + 1 + digits) == Some(&')')).then_some(i + 2 + digits)
}

/// Does this text look like HRI rather than the bracketed form, i.e. is the first AI followed by
/// whitespace?
pub fn looks_like_hri(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    ai_token_end(&chars, 0).is_some_and(|end| chars.get(end).is_some_and(|c| c.is_whitespace()))
}

pub(crate) fn analyse_hri(text: &str, today: YearMonthDay) -> Analysis {
    let chars: Vec<char> = text.chars().collect();
    let mut analysis = Analysis::default();
    let starts: Vec<usize> = (0..chars.len())
        .filter(|&i| ai_token_end(&chars, i).is_some())
        .collect();
    let first = starts.first().copied().unwrap_or(chars.len());
    if let Some(i) = chars[..first].iter().position(|c| !c.is_whitespace()) {
        let fault = Gs1Error::ExpectedOpenBracket { found: chars[i] };
        analysis.problems.push(make_problem(
            &fault,
            Severity::Error,
            None,
            Some(i as u32 + 1),
        ));
    }
    if starts.is_empty() {
        if chars.iter().all(|c| c.is_whitespace()) {
            analysis
                .problems
                .push(make_problem(&Gs1Error::Empty, Severity::Error, None, None));
        }
        return analysis;
    }
    for (n, &start) in starts.iter().enumerate() {
        let close = ai_token_end(&chars, start).unwrap_or(start + 1);
        let next = starts.get(n + 1).copied().unwrap_or(chars.len());
        let ai: String = chars[start + 1..close - 1].iter().collect();
        let mut item = Item::new(ai, start as u32 + 2);
        let mut from = close;
        while from < next && chars[from].is_whitespace() {
            from += 1;
        }
        let mut to = next;
        while to > from && chars[to - 1].is_whitespace() {
            to -= 1;
        }
        for (k, &c) in chars.iter().enumerate().take(to).skip(from) {
            item.push(c, k as u32 + 1);
        }
        if item.entry.is_none() {
            let fault = unknown_or_bad_ai(&item.ai);
            analysis.problems.push(make_problem(
                &fault,
                Severity::Error,
                None,
                Some(start as u32 + 2),
            ));
        }
        analysis.items.push(item);
    }
    analysis.validate(today);
    analysis
}
