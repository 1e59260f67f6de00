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
//! 2. `http(s)://` on an Ecode resolver (iotroot.com) → Ecode, the code after `/E=` checked; with a
//!    GS1 primary key in the path → Digital Link (a GTIN of fewer than 14 digits is invalid, the
//!    padded URI is the `suggestion`); another host with an `/E=` segment that fits an Ecode
//!    version exactly → Ecode with a warning; other URLs → 数字身份码;
//! 3. `(` → GS1 element string (HRI when the first AI is followed by whitespace);
//! 4. a GS (`\x1d`) or a leading `^` → raw GS1 element data;
//! 5. 8/12/13/14 digits → GTIN (12 digits with a wrong check digit and a 19xx/20xx start → CCC
//!    early form), except digits that start with a known Ecode header (`data/ecode_headers.tsv`)
//!    and fit that version: those are an Ecode, with `alternative: gtin` and a warning when the
//!    check digit also makes them a valid GTIN; a GTIN of 13/14 digits that could be an Ecode V1
//!    (starts with 1, fits the V1 row) names `alternative: ecode`. Plain Code 128 scanner data
//!    (`]C0`) that fits an Ecode version is an Ecode (a GTIN is never carried in plain Code 128);
//!    16 digits starting with a plausible year → CCC certificate number;
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
    /// The other kind the text could be, when the detection had to choose (a valid GTIN that
    /// starts like an Ecode); left out when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alternative: Option<CodeKind>,
    /// The corrected text, when the fix is certain (a Digital Link with its GTIN padded to 14
    /// digits); left out when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
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
            alternative: None,
            suggestion: None,
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
    #[error(
        "read as an Ecode: it starts with the Ecode header {header} and fits version {version}, but it is also a valid {gtin_kind} (check digit correct): if the label shows an EAN/UPC or ITF-14 barcode it is the GTIN, check the label or ask the supplier"
    )]
    EcodeOrGtin {
        header: &'static str,
        version: u8,
        gtin_kind: String,
    },
}

impl Fault for InputNote {
    fn code(&self) -> &'static str {
        match self {
            InputNote::FullWidth => "input.full-width",
            InputNote::AssumedDigitalId => "digital-id.assumed",
            InputNote::Empty => "input.empty",
            InputNote::Unrecognised => "input.unrecognised",
            InputNote::EcodeOrGtin { .. } => "code.ambiguous",
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
            InputNote::EcodeOrGtin {
                header,
                version,
                gtin_kind,
            } => format!(
                "按 Ecode 识读：以 Ecode 头 {header} 开头且符合 V{version} 结构；它同时是有效的 {gtin_kind}（校验位正确）。如标签上是 EAN/UPC 或 ITF-14 条码，则应为商品条码 GTIN，请核对标签或向供方确认"
            ),
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
        let ecode_url = ecode::find_in_url(text);
        if let Some(url) = ecode_url.as_ref().filter(|u| u.known_host) {
            return ecode_url_report(text, url);
        }
        let dl = digital_link::analyse(text, today, dl_options(), 0);
        // A key in the path, or a GS1-looking URL whose scheme is spelled wrongly.
        if dl.stem.is_some() || has_dl_key_segment(text) {
            return dl_to_report(text, dl, 0);
        }
        if let Some(url) = ecode_url.filter(|u| {
            u.code
                .as_ref()
                .is_some_and(|(code, _)| ecode::fits_exactly(code))
        }) {
            return ecode_url_report(text, &url);
        }
        return digital_id_report(text, false);
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
            8 | 12 | 13 | 14 => return digits_report(text),
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

/// GTIN-8/12/13 in a Digital Link make it invalid, as the GS1 Syntax Engine says (a Digital Link
/// carries all 14 digits); the value is still padded, so that what the code names can be looked
/// up (a scanned label names its product), and the padded URI is the suggested fix.
fn dl_options() -> DlOptions {
    DlOptions {
        short_gtin: ShortGtin::PadAsError,
    }
}

/// `uri` with the short GTIN padded to 14 digits, when the only way it is wrong is that.
/// `offset` is what stands in front of `uri` in the positions (a symbology identifier).
fn padded_uri(uri: &str, problems: &[Problem], offset: u32) -> Option<String> {
    let short = problems.iter().find(|p| p.code == "gs1.dl.short-gtin")?;
    if problems.iter().filter(|p| p.is_error()).count() != 1 || !short.is_error() {
        return None;
    }
    let at = (short.position? - 1).checked_sub(offset)? as usize;
    let value: String = uri
        .chars()
        .skip(at)
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let zeros = "0".repeat(14usize.checked_sub(value.len())?);
    let byte = uri.char_indices().nth(at)?.0;
    Some(format!("{}{zeros}{}", &uri[..byte], &uri[byte..]))
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
    dl_to_report(
        text,
        digital_link::analyse(text, today, dl_options(), offset),
        offset,
    )
}

fn dl_to_report(uri: &str, dl: digital_link::DlAnalysis, offset: u32) -> CodeReport {
    let mut fields = fields_of(&dl.analysis);
    if let Some(stem) = dl.stem {
        fields.insert("stem".into(), stem);
    }
    let suggestion = padded_uri(uri, &dl.analysis.problems, offset);
    let mut report = CodeReport::new(CodeKind::Gs1DigitalLink, fields, dl.analysis.problems);
    report.suggestion = suggestion;
    report
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
            let mut report = dl_to_report(&scan.text, dl.clone(), 3);
            report.problems = problems;
            report.fields.extend(fields);
            return report;
        }
        Body::Text => {
            // Plain data (e.g. an Ecode or a 数字身份码 URL in a QR code): detect what it is. Plain
            // Code 128 never carries a GTIN (EAN/UPC, ITF-14 and GS1-128 do), so there digits that
            // fit an Ecode version are the Ecode.
            let code128 = scan.symbology == Some(scan::Symbology::Code128);
            let mut inner = if code128 && ecode::fits_exactly(&scan.text) {
                ecode_report(&scan.text)
            } else {
                detect_and_check(&scan.text, today)
            };
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

/// 8/12/13/14 digits: a GTIN, unless a known Ecode header says Ecode (module doc, step 5).
fn digits_report(text: &str) -> CodeReport {
    let gtin = gtin_report(text);
    if let Some(header) = ecode::known_header(text) {
        let mut report = ecode_report(text);
        if gtin.valid {
            report.alternative = Some(CodeKind::Gtin);
            let note = InputNote::EcodeOrGtin {
                header: header.header,
                version: header.version,
                gtin_kind: gtin.fields.get("kind").cloned().unwrap_or_default(),
            };
            report
                .problems
                .insert(0, make_problem(&note, Severity::Warning, None, None));
        }
        return report;
    }
    let mut gtin = gtin;
    if matches!(text.len(), 13 | 14) && ecode::plausible_v1(text) {
        gtin.alternative = Some(CodeKind::Ecode);
    }
    gtin
}

/// An Ecode lookup URL: the Ecode after `/E=` checked, positions in the URL.
fn ecode_url_report(url: &str, found: &ecode::EcodeUrl) -> CodeReport {
    let Some((code, start)) = &found.code else {
        let fault = ecode::EcodeError::UrlWithoutCode {
            host: found.host.clone(),
        };
        let mut fields = BTreeMap::new();
        fields.insert("host".into(), found.host.clone());
        fields.insert("url".into(), url.to_owned());
        return CodeReport::new(CodeKind::Ecode, fields, vec![fault.problem()]);
    };
    let mut report = ecode_report(code);
    for p in &mut report.problems {
        p.shift(*start as u32);
    }
    if !found.known_host {
        let fault = ecode::EcodeError::UnknownResolver {
            host: found.host.clone(),
        };
        report
            .problems
            .insert(0, make_problem(&fault, Severity::Warning, None, None));
    }
    report.fields.insert("host".into(), found.host.clone());
    report.fields.insert("url".into(), url.to_owned());
    report
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
