//! One entry point for "what is this code and is it right?": `tracedesk code check <TEXT>`.
//!
//! [`check`] guesses the scheme from the text, [`check_as`] takes it from the caller (a form
//! field that only accepts one scheme). Both return a [`CodeReport`], which serialises as
//!
//! ```json
//! {"valid": true, "scheme": "gs1-element-string",
//!  "fields": {"01": "09520123456788", "10": "ABC123"},
//!  "problems": [{"ai": "10", "position": 9, "code": "gs1.cset82", "severity": "error",
//!                "message": {"zh": "…", "en": "…"}}]}
//! ```
//!
//! `message` is an object with both languages; `ai` and `position` are omitted when absent.
//!
//! Detection order (first match wins):
//! 1. `]xy…` → scanner data; plain data inside a `]Q1`/`]d1`/`]J0` symbol is detected again;
//! 2. `http(s)://` with a GS1 primary key in the path → Digital Link; other URLs → 数字身份码;
//! 3. `(` → GS1 element string (HRI when the first AI is followed by whitespace);
//! 4. a GS (`\x1d`) or a leading `^` → raw GS1 element data;
//! 5. 8/12/13/14 digits → GTIN (12 digits with a wrong check digit and a 19xx/20xx start → CCC
//!    early form); 16 digits starting with a plausible year → CCC certificate number;
//! 6. 18 letters/digits → 统一社会信用代码;
//! 7. digits that read as raw GS1 data without any error → GS1 element string;
//! 8. text that fits an Ecode version row exactly → Ecode;
//! 9. anything else → 数字身份码 (opaque), with a warning that the scheme was assumed.
//!
//! Before detection, surrounding whitespace is removed and full-width ASCII (what a Chinese input
//! method types) is turned half-width with a warning; positions refer to the text as given.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ccc;
use crate::date::YearMonthDay;
use crate::digital_id;
use crate::ecode;
use crate::gs1::check_digit::Gtin;
use crate::gs1::digital_link::{self, DlOptions, ShortGtin};
use crate::gs1::element::{self, Analysis};
use crate::gs1::hri;
use crate::gs1::scan::{self, Body};
use crate::problem::{Fault, Problem, Severity, make_problem};
use crate::uscc::{OrgCheckMismatch, Uscc, UsccError};

/// The kind of code a text was read as (detected, or asked for with [`check_as`]). Not the
/// 追溯码方案 of a product: that is [`crate::Scheme`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CodeKind {
    /// GS1 element string: bracketed, raw (with FNC1/GS) or HRI, or scanner data carrying one.
    Gs1ElementString,
    Gs1DigitalLink,
    Gtin,
    Ecode,
    CccCert,
    Uscc,
    DigitalId,
    Unknown,
}

impl CodeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CodeKind::Gs1ElementString => "gs1-element-string",
            CodeKind::Gs1DigitalLink => "gs1-digital-link",
            CodeKind::Gtin => "gtin",
            CodeKind::Ecode => "ecode",
            CodeKind::CccCert => "ccc-cert",
            CodeKind::Uscc => "uscc",
            CodeKind::DigitalId => "digital-id",
            CodeKind::Unknown => "unknown",
        }
    }
}

/// The outcome of checking one code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeReport {
    /// True when no problem is an error (warnings allowed).
    pub valid: bool,
    pub scheme: CodeKind,
    /// What was read: GS1 AIs → values (`"01"` → the 14-digit GTIN), named fields for other
    /// schemes (`year`, `version`, …). Filled as far as the text could be read, even when invalid.
    pub fields: BTreeMap<String, String>,
    pub problems: Vec<Problem>,
}

impl CodeReport {
    fn new(
        scheme: CodeKind,
        fields: BTreeMap<String, String>,
        problems: Vec<Problem>,
    ) -> CodeReport {
        CodeReport {
            valid: !problems.iter().any(Problem::is_error),
            scheme,
            fields,
            problems,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum InputNote {
    #[error(
        "full-width characters were turned into half-width ones: switch the input method to half-width"
    )]
    FullWidth,
    #[error("the scheme was not recognised, so the text is taken as an opaque 数字身份码")]
    AssumedDigitalId,
    #[error("the text is empty")]
    Empty,
    #[error(
        "the code was not recognised as GS1, Ecode, CCC, USCC or 数字身份码: check it was copied completely"
    )]
    Unrecognised,
}

impl Fault for InputNote {
    fn code(&self) -> &'static str {
        match self {
            InputNote::FullWidth => "input.full-width",
            InputNote::AssumedDigitalId => "digital-id.assumed",
            InputNote::Empty => "input.empty",
            InputNote::Unrecognised => "input.unrecognised",
        }
    }

    fn zh(&self) -> String {
        match self {
            InputNote::FullWidth => "输入中有全角字符，已转为半角：请把输入法切换到半角/英文状态".into(),
            InputNote::AssumedDigitalId => "无法识别编码类型，按不透明的数字身份码处理，请确认编码来源".into(),
            InputNote::Empty => "没有输入编码".into(),
            InputNote::Unrecognised => {
                "无法识别编码类型（GS1、Ecode、CCC、统一社会信用代码或数字身份码），请检查是否复制完整".into()
            }
        }
    }
}

/// Full-width ASCII (U+FF01–U+FF5E) to ASCII and the ideographic space to a space; one character
/// stays one character, so positions do not move.
fn half_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// Checks a code of any scheme; `today` is only used as "now" (CCC years, GS1 century horizon).
pub fn check(text: &str, today: YearMonthDay) -> CodeReport {
    check_as(text, CodeKind::Unknown, today)
}

/// Checks `text` as `scheme`; `CodeKind::Unknown` detects the scheme like [`check`].
pub fn check_as(text: &str, scheme: CodeKind, today: YearMonthDay) -> CodeReport {
    let lead = text.chars().take_while(|c| c.is_whitespace()).count() as u32;
    let trimmed = text.trim_matches(|c: char| c.is_whitespace());
    if trimmed.is_empty() {
        return CodeReport::new(scheme, BTreeMap::new(), vec![InputNote::Empty.problem()]);
    }
    let normal = half_width(trimmed);
    let converted = normal != trimmed;
    let mut report = run(&normal, scheme, today);
    if converted && matches!(report.scheme, CodeKind::DigitalId | CodeKind::Unknown) {
        // Opaque codes are kept exactly as typed.
        report = run(trimmed, scheme, today);
    } else if converted {
        report.problems.insert(
            0,
            make_problem(&InputNote::FullWidth, Severity::Warning, None, None),
        );
    }
    for p in &mut report.problems {
        p.shift(lead);
    }
    report
}

fn run(text: &str, scheme: CodeKind, today: YearMonthDay) -> CodeReport {
    match scheme {
        CodeKind::Unknown => detect_and_check(text, today),
        CodeKind::Gs1ElementString => gs1_text(text, today),
        CodeKind::Gs1DigitalLink => dl_report(text, today, 0),
        CodeKind::Gtin => gtin_report(text),
        CodeKind::Ecode => ecode_report(text),
        CodeKind::CccCert => ccc_report(text, today),
        CodeKind::Uscc => uscc_report(text),
        CodeKind::DigitalId => digital_id_report(text, false),
    }
}

fn is_url(text: &str) -> bool {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

fn plausible_year(text: &str) -> bool {
    matches!(text.get(..2), Some("19" | "20"))
}

fn detect_and_check(text: &str, today: YearMonthDay) -> CodeReport {
    if scan::looks_like_scan_data(text) {
        return scan_report(text, today);
    }
    if is_url(text) {
        let dl = digital_link::analyse(text, today, dl_options(), 0);
        // A key in the path, or a GS1-looking URL whose scheme is spelled wrongly.
        let looks_gs1 = dl.stem.is_some() || has_dl_key_segment(text);
        return if looks_gs1 {
            dl_to_report(dl)
        } else {
            digital_id_report(text, false)
        };
    }
    if text.starts_with('(') || text.contains(element::GS) || text.starts_with('^') {
        return gs1_text(text, today);
    }
    let all_digits = text.bytes().all(|b| b.is_ascii_digit());
    let len = text.len();
    if all_digits {
        match len {
            12 if !crate::gs1::check_digit::is_valid(text) && plausible_year(text) => {
                return ccc_report(text, today);
            }
            8 | 12 | 13 | 14 => return gtin_report(text),
            16 if plausible_year(text) => return ccc_report(text, today),
            _ => {}
        }
    }
    if len == 18 && text.chars().all(|c| c.is_ascii_alphanumeric()) {
        return uscc_report(text);
    }
    if text.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        let raw = element::analyse_raw(text, today, true, 0);
        if !raw.has_errors() && !raw.items.is_empty() {
            return analysis_report(CodeKind::Gs1ElementString, raw);
        }
    }
    if ecode::fits_exactly(text) {
        return ecode_report(text);
    }
    if all_digits && len == 16 {
        return ccc_report(text, today);
    }
    digital_id_report(text, true)
}

/// `/01/…`-style segment pair anywhere in a URL path: enough to call a URL a Digital Link attempt.
fn has_dl_key_segment(text: &str) -> bool {
    let segments: Vec<&str> = text.split(['/', '?', '#']).collect();
    segments.windows(2).any(|w| {
        crate::gs1::ai::lookup(w[0]).is_some_and(|e| e.is_dl_primary_key()) && !w[1].is_empty()
    })
}

/// GTIN-8/12/13 in a Digital Link are padded with a warning: resolvers accept them, and refusing a
/// printed label helps nobody; the warning says how to fix the next print run.
fn dl_options() -> DlOptions {
    DlOptions {
        short_gtin: ShortGtin::PadWithWarning,
    }
}

fn fields_of(analysis: &Analysis) -> BTreeMap<String, String> {
    analysis.fields().into_iter().collect()
}

fn analysis_report(scheme: CodeKind, analysis: Analysis) -> CodeReport {
    CodeReport::new(scheme, fields_of(&analysis), analysis.problems)
}

fn gs1_text(text: &str, today: YearMonthDay) -> CodeReport {
    let analysis = if text.starts_with('(') {
        if hri::looks_like_hri(text) {
            hri::analyse_hri(text, today)
        } else {
            element::analyse_bracketed(text, today)
        }
    } else {
        element::analyse_raw(text, today, true, 0)
    };
    analysis_report(CodeKind::Gs1ElementString, analysis)
}

fn dl_report(text: &str, today: YearMonthDay, offset: u32) -> CodeReport {
    dl_to_report(digital_link::analyse(text, today, dl_options(), offset))
}

fn dl_to_report(dl: digital_link::DlAnalysis) -> CodeReport {
    let mut fields = fields_of(&dl.analysis);
    if let Some(stem) = dl.stem {
        fields.insert("stem".into(), stem);
    }
    CodeReport::new(CodeKind::Gs1DigitalLink, fields, dl.analysis.problems)
}

fn scan_report(text: &str, today: YearMonthDay) -> CodeReport {
    let scan = scan::analyse(text, today, dl_options());
    let mut problems = scan.problems();
    let mut fields = BTreeMap::new();
    if let Some(id) = &scan.symbology_id {
        fields.insert("symbology".to_owned(), id.clone());
    }
    let scheme = match &scan.body {
        Body::Elements(a) => {
            fields.extend(fields_of(a));
            CodeKind::Gs1ElementString
        }
        Body::Gtin { gtin, composite } => {
            if let Ok(g) = Gtin::parse(gtin) {
                fields.insert("01".into(), g.to_gtin14());
                fields.insert("gtin".into(), g.as_str().to_owned());
            }
            if let Some(a) = composite {
                fields.extend(fields_of(a));
            }
            CodeKind::Gtin
        }
        Body::DigitalLink(dl) => {
            fields.extend(fields_of(&dl.analysis));
            if let Some(stem) = &dl.stem {
                fields.insert("stem".into(), stem.clone());
            }
            CodeKind::Gs1DigitalLink
        }
        Body::Text => {
            // Plain data (e.g. an Ecode or a 数字身份码 URL in a QR code): detect what it is.
            let mut inner = detect_and_check(&scan.text, today);
            for p in &mut inner.problems {
                p.shift(3);
            }
            inner.fields.extend(fields);
            return inner;
        }
        Body::None => {
            if problems.is_empty() {
                problems.push(make_problem(&InputNote::Empty, Severity::Error, None, None));
            }
            CodeKind::Unknown
        }
    };
    CodeReport::new(scheme, fields, problems)
}

fn gtin_report(text: &str) -> CodeReport {
    let mut fields = BTreeMap::new();
    match Gtin::parse(text) {
        Ok(g) => {
            fields.insert("01".into(), g.to_gtin14());
            fields.insert("gtin".into(), g.as_str().to_owned());
            fields.insert("kind".into(), g.kind().to_string());
            CodeReport::new(CodeKind::Gtin, fields, Vec::new())
        }
        Err(e) => {
            let problem = e.to_problem(Some("01"), text.chars().count());
            CodeReport::new(CodeKind::Gtin, fields, vec![problem])
        }
    }
}

fn ecode_report(text: &str) -> CodeReport {
    let (value, problems) = ecode::analyse(text);
    let mut fields = BTreeMap::new();
    if let Some(e) = value {
        fields.insert("ecode".into(), e.as_str().to_owned());
        fields.insert("version".into(), e.version().to_string());
        if let (Some(nsi), Some(md)) = (e.nsi(), e.md()) {
            fields.insert("nsi".into(), nsi.to_owned());
            fields.insert("md".into(), md.to_owned());
        }
    }
    CodeReport::new(CodeKind::Ecode, fields, problems)
}

fn ccc_report(text: &str, today: YearMonthDay) -> CodeReport {
    let (value, problems) = ccc::analyse_cert(text, ccc::valid_years(today.year()));
    let mut fields = BTreeMap::new();
    if let Some(v) = value {
        fields.insert("certificate".into(), v.as_str().to_owned());
        let parts = [
            ("year", v.year().map(|y| y.to_string())),
            ("body", v.body_code().map(str::to_owned)),
        ];
        for (name, value) in parts {
            if let Some(value) = value {
                fields.insert(name.into(), value);
            }
        }
        if let Some(code) = v.product_code() {
            fields.insert("product".into(), code.to_owned());
        }
        if let Some(serial) = v.serial() {
            fields.insert("serial".into(), serial.to_owned());
        }
        if let Some(p) = v.product() {
            fields.insert("productName".into(), p.name.to_owned());
        }
        if let Some(name) = v.body_code().and_then(ccc::body_name) {
            fields.insert("bodyName".into(), name.to_owned());
        }
    }
    CodeReport::new(CodeKind::CccCert, fields, problems)
}

fn uscc_report(text: &str) -> CodeReport {
    match Uscc::parse(text) {
        Ok(u) => {
            let code = u.to_string();
            let mut fields = BTreeMap::new();
            let parts = [
                ("authority", 0..1),
                ("entityType", 1..2),
                ("division", 2..8),
                ("organisationCode", 8..17),
            ];
            for (name, range) in parts {
                if let Some(part) = code.get(range) {
                    fields.insert(name.to_owned(), part.to_owned());
                }
            }
            fields.insert("uscc".into(), code);
            let problems = u
                .org_check_mismatch()
                .map(|m| Problem {
                    ai: None,
                    position: Some(OrgCheckMismatch::POSITION as u32),
                    code: "uscc.org-check".to_owned(),
                    severity: Severity::Warning,
                    message: m.message(),
                })
                .into_iter()
                .collect();
            CodeReport::new(CodeKind::Uscc, fields, problems)
        }
        Err(e) => CodeReport::new(CodeKind::Uscc, BTreeMap::new(), vec![uscc_problem(&e)]),
    }
}

fn uscc_problem(e: &UsccError) -> Problem {
    let code = match e {
        UsccError::Empty => "uscc.empty",
        UsccError::Length { .. } => "uscc.length",
        UsccError::NotAllowed { .. } | UsccError::NotADigit { .. } => "uscc.char",
        UsccError::Check { .. } => "uscc.check-char",
    };
    Problem {
        ai: None,
        position: e.position().map(|p| p as u32),
        code: code.to_owned(),
        severity: Severity::Error,
        message: e.message(),
    }
}

fn digital_id_report(text: &str, assumed: bool) -> CodeReport {
    let (value, mut problems) = digital_id::analyse(text);
    let mut fields = BTreeMap::new();
    if let Some(id) = &value {
        fields.insert("value".into(), id.as_str().to_owned());
        if let Some(host) = id.host() {
            fields.insert("host".into(), host.to_owned());
        }
    }
    if problems.iter().any(Problem::is_error) && assumed {
        // Not a 数字身份码 either: say so rather than blame a scheme the user never meant.
        return CodeReport::new(
            CodeKind::Unknown,
            BTreeMap::new(),
            vec![InputNote::Unrecognised.problem()],
        );
    }
    if assumed {
        problems.insert(
            0,
            make_problem(&InputNote::AssumedDigitalId, Severity::Warning, None, None),
        );
    }
    CodeReport::new(CodeKind::DigitalId, fields, problems)
}

#[cfg(test)]
mod tests;
