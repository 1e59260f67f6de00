//! GS1 element strings as the symbols carry them (domain notes §A.7).
//!
//! Full GS1 validation (AI table, check digits, dates, CSET 82) is `codes`' job. Here we only
//! check what the encoding itself needs: that every character can be put in a symbol, and that
//! AIs whose value length is predefined have exactly that length, because those are the AIs that
//! get no separator and a wrong length would make the scanned data parse differently.

use crate::error::{Gs1Problem, LabelError};
use crate::symbol::{Content, SymbolData, Symbology};

/// The ASCII group separator a scanner transmits for a separator FNC1.
pub const GS: char = '\x1d';

/// Value length of AIs whose two-digit prefix has a predefined length, with the length of the AI
/// itself. GS1 General Specifications Figure 7.8.5-2 (domain notes §A.7): 00:18, 01–04, 11–20,
/// 31nn–36nn, 41n.
fn predefined(ai: &str) -> Option<(usize, usize)> {
    let prefix = ai.get(..2)?;
    let (ai_len, value_len) = match prefix {
        "00" => (2, 18),
        "01" | "02" | "03" => (2, 14),
        "04" => (2, 16),
        "11" | "12" | "13" | "14" | "15" | "16" | "17" | "18" | "19" => (2, 6),
        "20" => (2, 2),
        "31" | "32" | "33" | "34" | "35" | "36" => (4, 6),
        "41" => (3, 13),
        _ => return None,
    };
    Some((ai_len, value_len))
}

/// Whether an element with this AI is followed by no separator.
pub fn is_predefined_length(ai: &str) -> bool {
    predefined(ai).is_some()
}

/// Characters allowed in an element value: printable ASCII without space. This is wider than
/// CSET 82 on purpose (`codes` narrows it); it is exactly what every symbology here can carry.
fn is_value_char(c: char) -> bool {
    c.is_ascii_graphic()
}

/// The element string with GS separators and without a leading FNC1, e.g.
/// `010952012345678810ABC123\x1d2112345XYZ` for `(01)…(10)ABC123(21)12345XYZ`.
pub fn element_string(elements: &[(String, String)]) -> Result<String, LabelError> {
    if elements.is_empty() {
        return Err(LabelError::Empty);
    }
    let mut out = String::new();
    for (index, (ai, value)) in elements.iter().enumerate() {
        let problem = |problem| LabelError::Gs1Element {
            index,
            ai: ai.clone(),
            problem,
        };
        if !(2..=4).contains(&ai.len()) || !ai.bytes().all(|b| b.is_ascii_digit()) {
            return Err(problem(Gs1Problem::BadAi));
        }
        if value.is_empty() {
            return Err(problem(Gs1Problem::EmptyValue));
        }
        if let Some((pos, ch)) = value.chars().enumerate().find(|(_, c)| !is_value_char(*c)) {
            return Err(problem(Gs1Problem::BadChar { ch, pos }));
        }
        if let Some((ai_len, value_len)) = predefined(ai) {
            if ai.len() != ai_len {
                return Err(problem(Gs1Problem::BadAi));
            }
            if value.len() != value_len {
                return Err(problem(Gs1Problem::FixedLength {
                    expected: value_len,
                    got: value.len(),
                }));
            }
        }
        out.push_str(ai);
        out.push_str(value);
        if predefined(ai).is_none() && index + 1 < elements.len() {
            out.push(GS);
        }
    }
    Ok(out)
}

/// Checks an element string given as one string (GS separators, no leading FNC1) and returns it.
pub fn check_element_string(raw: &str) -> Result<String, LabelError> {
    if raw.is_empty() {
        return Err(LabelError::Empty);
    }
    let mut previous_gs = true; // a leading GS is as wrong as a doubled one
    for (pos, ch) in raw.chars().enumerate() {
        if ch == GS {
            if previous_gs {
                return Err(LabelError::BadElementString { pos });
            }
            previous_gs = true;
        } else if is_value_char(ch) {
            previous_gs = false;
        } else {
            return Err(LabelError::BadElementString { pos });
        }
    }
    if previous_gs {
        return Err(LabelError::BadElementString {
            pos: raw.chars().count() - 1,
        });
    }
    Ok(raw.to_owned())
}

/// The HRI lines for GS1 data, `(AI) value` each, joined by `\n` (the form the GS1 syntax
/// engine's `getHRI` gives, domain notes §A.7).
pub fn hri(elements: &[(String, String)]) -> String {
    elements
        .iter()
        .map(|(ai, value)| format!("({ai}) {value}"))
        .collect::<Vec<_>>()
        .join("\n")
}

// Here rather than in `symbol`, which is the vocabulary this module and the error type build on.
impl SymbolData {
    /// GS1 data with the HRI derived from the elements (`(01) 09520123456788`, one per line).
    pub fn gs1<A, V>(symbology: Symbology, elements: impl IntoIterator<Item = (A, V)>) -> Self
    where
        A: Into<String>,
        V: Into<String>,
    {
        let elements: Vec<(String, String)> = elements
            .into_iter()
            .map(|(ai, value)| (ai.into(), value.into()))
            .collect();
        let hri = hri(&elements);
        Self {
            symbology,
            content: Content::Gs1 { elements },
            hri,
        }
    }
}
