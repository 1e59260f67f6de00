//! 数字身份码 (digital identity code) as issued by hgzcloud.com.
//!
//! No public specification of its format exists (domain.md §C: [NOT FOUND]), so it is an opaque
//! string or URL that the app stores verbatim and never makes up. Only sanity checks apply:
//! length bounds, printable characters, no whitespace inside, and for a URL an `http(s)` scheme
//! with a host. No checksum is assumed.

use std::fmt;

use serde::Serialize;

use crate::problem::{Fault, Problem, Problems, Severity, make_problem};

/// Shorter than this is not a plausible issued code.
pub const MIN_LEN: usize = 4;
/// §C: "≤ a few hundred chars; it may be a URL".
pub const MAX_LEN: usize = 512;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DigitalIdError {
    #[error("the digital identity code is empty")]
    Empty,
    #[error("the code has {len} characters: at least {MIN_LEN} are expected")]
    TooShort { len: usize },
    #[error("the code has {len} characters: at most {MAX_LEN} are accepted")]
    TooLong { len: usize },
    #[error("whitespace inside the code is not allowed: copy the code exactly as issued")]
    Whitespace,
    #[error("control character {ch:?} is not allowed")]
    Control { ch: char },
    #[error("a URL code must use http or https, not {scheme:?}")]
    Scheme { scheme: String },
    #[error("the URL has no host")]
    NoHost,
    #[error("character {ch:?} is not allowed in a host name")]
    HostChar { ch: char },
    #[error(
        "character {ch:?} is not ASCII: check that the input method did not change it (full-width characters)"
    )]
    NonAscii { ch: char },
}

impl Fault for DigitalIdError {
    fn code(&self) -> &'static str {
        match self {
            DigitalIdError::Empty => "digital-id.empty",
            DigitalIdError::TooShort { .. } | DigitalIdError::TooLong { .. } => "digital-id.length",
            DigitalIdError::Whitespace
            | DigitalIdError::Control { .. }
            | DigitalIdError::NonAscii { .. } => "digital-id.char",
            DigitalIdError::Scheme { .. }
            | DigitalIdError::NoHost
            | DigitalIdError::HostChar { .. } => "digital-id.url",
        }
    }

    fn zh(&self) -> String {
        match self {
            DigitalIdError::Empty => "数字身份码不能为空".into(),
            DigitalIdError::TooShort { len } => {
                format!("编码只有 {len} 位，至少应有 {MIN_LEN} 位，请核对是否完整")
            }
            DigitalIdError::TooLong { len } => {
                format!("编码有 {len} 位，超过上限 {MAX_LEN} 位，请核对")
            }
            DigitalIdError::Whitespace => "编码中间不能有空格或换行，请按发放的原样复制".into(),
            DigitalIdError::Control { ch } => format!("不允许控制字符 {ch:?}"),
            DigitalIdError::Scheme { scheme } => {
                format!("网址形式的编码应以 http 或 https 开头，而不是“{scheme}”")
            }
            DigitalIdError::NoHost => "网址缺少域名".into(),
            DigitalIdError::HostChar { ch } => format!("域名中不允许字符“{ch}”"),
            DigitalIdError::NonAscii { ch } => {
                format!("字符“{ch}”不是英文半角字符：请检查输入法是否改成了全角或中文标点")
            }
        }
    }
}

/// A 数字身份码 that passed the sanity checks, stored as given (outer whitespace removed).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct DigitalId(String);

impl DigitalId {
    pub fn parse(text: &str) -> Result<DigitalId, Problems> {
        let (value, problems) = analyse(text);
        match value {
            Some(id) if !problems.iter().any(Problem::is_error) => Ok(id),
            _ => Err(Problems(problems)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Is it a URL (`scheme://…`)?
    pub fn is_url(&self) -> bool {
        self.0.contains("://")
    }

    /// The host of a URL code.
    pub fn host(&self) -> Option<&str> {
        url_host(&self.0)
    }
}

impl fmt::Display for DigitalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn url_host(text: &str) -> Option<&str> {
    let (_, rest) = text.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(&rest[..end])
}

/// Reads a 数字身份码: the value unless it is unusable, and every problem (warnings included).
pub(crate) fn analyse(text: &str) -> (Option<DigitalId>, Vec<Problem>) {
    let trimmed = text.trim_matches(|c: char| c.is_whitespace());
    let lead = text.chars().take_while(|c| c.is_whitespace()).count();
    let chars: Vec<char> = trimmed.chars().collect();
    let error = |e: DigitalIdError, pos: Option<usize>| {
        make_problem(
            &e,
            Severity::Error,
            None,
            pos.map(|p| (p + lead + 1) as u32),
        )
    };
    if chars.is_empty() {
        return (None, vec![error(DigitalIdError::Empty, None)]);
    }
    let mut problems = Vec::new();
    if chars.len() < MIN_LEN {
        problems.push(error(DigitalIdError::TooShort { len: chars.len() }, None));
    }
    if chars.len() > MAX_LEN {
        problems.push(error(DigitalIdError::TooLong { len: chars.len() }, None));
    }
    if let Some(i) = chars.iter().position(|c| c.is_whitespace()) {
        problems.push(error(DigitalIdError::Whitespace, Some(i)));
    }
    if let Some(i) = chars.iter().position(|c| c.is_control()) {
        problems.push(error(DigitalIdError::Control { ch: chars[i] }, Some(i)));
    }
    if let Some(i) = chars
        .iter()
        .position(|c| !c.is_ascii() && !c.is_whitespace())
    {
        let e = DigitalIdError::NonAscii { ch: chars[i] };
        problems.push(make_problem(
            &e,
            Severity::Warning,
            None,
            Some((i + lead + 1) as u32),
        ));
    }
    if let Some((scheme, _)) = trimmed.split_once("://") {
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            problems.push(error(
                DigitalIdError::Scheme {
                    scheme: scheme.to_owned(),
                },
                Some(0),
            ));
        }
        let host_start = scheme.chars().count() + 3;
        let host = url_host(trimmed).unwrap_or_default();
        let host_ok = |c: char| c.is_ascii_alphanumeric() || "-.:[]".contains(c);
        if !host.chars().any(|c| c.is_alphanumeric()) {
            problems.push(error(DigitalIdError::NoHost, Some(host_start)));
        } else if let Some((i, ch)) = host.chars().enumerate().find(|(_, c)| !host_ok(*c)) {
            problems.push(error(DigitalIdError::HostChar { ch }, Some(host_start + i)));
        }
    }
    (Some(DigitalId(trimmed.to_owned())), problems)
}

#[cfg(test)]
mod tests;
