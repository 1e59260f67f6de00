//! A user-facing message in both languages.

use serde::Serialize;

/// A message for a person: Chinese first, English second.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub zh: String,
    pub en: String,
}

impl Message {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// `中文（English）`, the form used where only one line of text fits.
    pub fn both(&self) -> String {
        format!("{}（{}）", self.zh, self.en)
    }
}

/// What breaks the message rule in a message, one line each; empty when none. The rule, which
/// every crate that builds messages tests its messages against:
///
/// - both languages say something;
/// - every parameter is filled: no `{name}` is left in either text;
/// - the Chinese text names no term twice in a row (`GTIN GTIN 应为…`);
/// - the Chinese text holds no English connective (`or`, `and`, `must`, `should`) outside a
///   quoted identifier or value (`“…”`, `"…"`, `` `…` ``): lists are joined with `、` and `或`.
pub fn rule_breaks(zh: &str, en: &str) -> Vec<String> {
    let mut breaks = Vec::new();
    if zh.trim().is_empty() {
        breaks.push("the Chinese text is empty".to_string());
    }
    if en.trim().is_empty() {
        breaks.push("the English text is empty".to_string());
    }
    for (lang, text) in [("Chinese", zh), ("English", en)] {
        if let Some(hole) = placeholder(text) {
            breaks.push(format!("the {lang} text has an unfilled parameter {hole}"));
        }
    }
    let bare = unquoted(zh);
    let words = ascii_words(&bare);
    if let Some(w) = words.windows(2).find(|w| w[0].eq_ignore_ascii_case(w[1])) {
        breaks.push(format!("the Chinese text says {:?} twice in a row", w[0]));
    }
    if let Some(term) = repeated_han(&bare) {
        breaks.push(format!("the Chinese text says {term:?} twice in a row"));
    }
    for w in &words {
        if ["or", "and", "must", "should"].contains(&w.to_ascii_lowercase().as_str()) {
            breaks.push(format!("the Chinese text uses the English word {w:?}"));
        }
    }
    breaks
}

/// A `{name}` (a format parameter left in), if any.
fn placeholder(text: &str) -> Option<&str> {
    let start = text.find('{')?;
    let len = text[start..].find('}')?;
    let inner = &text[start + 1..start + len];
    (!inner.is_empty() && inner.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then(|| &text[start..=start + len])
}

/// `text` with every quoted part (`“…”`, `"…"`, `` `…` ``) blanked out.
fn unquoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut closing: Option<char> = None;
    for c in text.chars() {
        match closing {
            Some(close) if c == close => {
                closing = None;
                out.push(' ');
            }
            Some(_) => {}
            None => match c {
                '“' => closing = Some('”'),
                '"' => closing = Some('"'),
                '`' => closing = Some('`'),
                c => out.push(c),
            },
        }
    }
    out
}

/// The runs of ASCII letters in `text`, in order, with an empty entry between two runs that more
/// than spaces separates (so only words with nothing but spaces between them are "in a row").
fn ascii_words(text: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut last_end = 0;
    for part in text.split(|c: char| !c.is_ascii_alphabetic()) {
        if part.is_empty() {
            continue;
        }
        let start = part.as_ptr() as usize - text.as_ptr() as usize;
        if !text[last_end..start].trim().is_empty() {
            words.push("");
        }
        words.push(part);
        last_end = start + part.len();
    }
    words
}

/// A run of two to four Chinese characters written twice in a row (`产品产品`), if any.
fn repeated_han(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let han = |c: &char| ('\u{4e00}'..='\u{9fff}').contains(c);
    for len in 2..=4 {
        for i in 0..chars.len().saturating_sub(2 * len - 1) {
            let (a, b) = (&chars[i..i + len], &chars[i + len..i + 2 * len]);
            if a == b && a.iter().all(han) {
                return Some(a.iter().collect());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::rule_breaks;

    #[test]
    fn the_message_rule_catches_each_kind_of_slip() {
        let cases: &[(&str, &str, usize)] = &[
            (
                "GTIN 应为 8、12、13 或 14 位数字",
                "a GTIN has 8, 12, 13 or 14 digits",
                0,
            ),
            ("GTIN GTIN 应为 8 位", "x", 1),
            ("应为 8, 12, 13 or 14 位", "x", 1),
            ("名称必须填写 must", "x", 1),
            ("字段“name or id”不能为空", "x", 0),
            ("", "x", 1),
            ("好", "", 1),
            ("应为 {expected} 位", "got {len}", 2),
            ("产品产品不存在", "x", 1),
            ("一品一码", "per product", 0),
        ];
        for (zh, en, n) in cases {
            assert_eq!(
                rule_breaks(zh, en).len(),
                *n,
                "{zh} / {en}: {:?}",
                rule_breaks(zh, en)
            );
        }
    }
}
