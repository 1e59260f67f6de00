//! GS1 Digital Link URIs: `https://example.com/01/09520123456788/10/ABC123?17=271231`.
//!
//! Rules (domain.md §A.9, gs1-syntax-engine `dl.c`, BWIPP `gs1processdl.ps.test`):
//! - scheme `http`/`https`, all lower or all upper case; a domain; any stem path before the key;
//! - the path ends with a primary key and an ordered choice of its qualifiers (for (01): 22, 10,
//!   21 in that order, or 235 alone); the rightmost key in the path is the one used;
//! - the query holds data attributes: numeric keys must be AIs flagged as DL attributes, other
//!   keys and singletons are ignored, qualifiers must not be there, no AI may appear twice;
//! - values are percent-encoded; `+` is a space in the query but a plus in the path; malformed
//!   escapes and `%00` are rejected; a trailing `/` is rejected; a `#fragment` is ignored;
//! - the (01) value must have 14 digits; GTIN-8/12/13 are padded only when the caller allows it.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::ai::{self, AiEntry};
use super::element::{Analysis, Element, ElementString, Item};
use super::error::Gs1Error;
use crate::date::YearMonthDay;
use crate::problem::{Problem, Problems, Severity, make_problem};

// Here rather than in `element`, so that `element` (which this module builds on) does not depend
// on this module.
impl ElementString {
    /// The GS1 Digital Link URI for this data (see [`super::digital_link::build`]).
    pub fn to_digital_link(&self, stem: Option<&str>) -> Result<String, Problems> {
        build(self, stem)
    }
}

/// The stem used when none is given (`dl.c`: `CANONICAL_DL_STEM`).
pub const DEFAULT_STEM: &str = "https://id.gs1.org";

/// What to do with a GTIN-8/12/13 in the (01) value of a Digital Link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ShortGtin {
    /// Reject it, as the GS1 Syntax Engine does by default.
    #[default]
    Reject,
    /// Pad it to 14 digits and report a warning (what resolvers and BWIPP accept).
    PadWithWarning,
    /// Pad it to 14 digits, so the fields read can still be looked up, but report an error: the
    /// verdict of the GS1 Syntax Engine (a Digital Link carries all 14 digits), with the padded
    /// value to suggest as the fix.
    PadAsError,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DlOptions {
    pub short_gtin: ShortGtin,
}

/// Characters written as they are: the URI unreserved set `A–Z a–z 0–9 - . _ ~`; everything else
/// is `%XX` with upper-case hex (`dl.c` `URIescape`).
const ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Characters allowed anywhere in a URI (`dl.c` `uriCharacters`).
fn is_uri_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c)
}

/// Characters of `uriCharacters` that may not appear in a domain (`dl.c` `isBadDomainChar`).
fn is_bad_domain_char(c: char) -> bool {
    "_~?#@!$&'()*+,;=%".contains(c)
}

fn scheme_len(uri: &str) -> Option<usize> {
    ["https://", "HTTPS://", "http://", "HTTP://"]
        .iter()
        .find(|s| uri.starts_with(**s))
        .map(|s| s.len())
}

/// A valid GS1 Digital Link URI, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigitalLink {
    /// Scheme, domain and any path before the primary key, without a trailing `/`.
    stem: String,
    /// The path elements (key, then qualifiers) followed by the query attributes.
    elements: ElementString,
    path_len: usize,
    warnings: Vec<Problem>,
}

impl DigitalLink {
    pub fn parse(
        uri: &str,
        today: YearMonthDay,
        options: DlOptions,
    ) -> Result<DigitalLink, Problems> {
        DigitalLink::from_analysis(analyse(uri, today, options, 0))
    }

    pub(crate) fn from_analysis(parsed: DlAnalysis) -> Result<DigitalLink, Problems> {
        let path_len = parsed.path_len;
        let stem = parsed.stem.unwrap_or_default();
        let elements = parsed.analysis.into_result()?;
        let warnings = elements.warnings().to_vec();
        Ok(DigitalLink {
            stem,
            elements,
            path_len,
            warnings,
        })
    }

    /// Scheme, domain and stem path, e.g. `https://example.com/some/stem`.
    pub fn stem(&self) -> &str {
        &self.stem
    }

    /// All the data: path elements first, then the query attributes.
    pub fn element_string(&self) -> &ElementString {
        &self.elements
    }

    /// The primary key and its qualifiers, in path order.
    pub fn path_elements(&self) -> &[Element] {
        &self.elements.elements()[..self.path_len]
    }

    /// The data attributes from the query, in the order given.
    pub fn attributes(&self) -> &[Element] {
        &self.elements.elements()[self.path_len..]
    }

    pub fn warnings(&self) -> &[Problem] {
        &self.warnings
    }

    /// The URI again, in canonical spelling (escapes normalised, ignored query parameters and the
    /// fragment dropped).
    pub fn to_uri(&self) -> String {
        render(&self.stem, self.path_elements(), self.attributes())
    }
}

impl fmt::Display for DigitalLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_uri())
    }
}

pub(crate) fn escape(value: &str, query: bool) -> String {
    if query {
        value
            .split(' ')
            .map(|part| utf8_percent_encode(part, ESCAPED).to_string())
            .collect::<Vec<_>>()
            .join("+")
    } else {
        utf8_percent_encode(value, ESCAPED).to_string()
    }
}

fn render(stem: &str, path: &[Element], query: &[Element]) -> String {
    let mut out = stem.to_owned();
    for e in path {
        out.push('/');
        out.push_str(e.ai());
        out.push('/');
        out.push_str(&escape(e.value(), false));
    }
    for (i, e) in query.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(e.ai());
        out.push('=');
        out.push_str(&escape(e.value(), true));
    }
    out
}

/// Checks a stem for building: `http(s)://host[/path]`, no query, no fragment. Returns it without
/// a trailing `/`.
fn check_stem(stem: &str) -> Result<&str, Problems> {
    let bad = || {
        Problems(vec![make_problem(
            &Gs1Error::DlBadStem {
                stem: stem.to_owned(),
            },
            Severity::Error,
            None,
            None,
        )])
    };
    let scheme = scheme_len(stem).ok_or_else(bad)?;
    let rest = &stem[scheme..];
    let host_end = rest.find('/').unwrap_or(rest.len());
    let (host, path) = rest.split_at(host_end);
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| is_uri_char(c) && !is_bad_domain_char(c) && c != '/');
    let path_ok = path.chars().all(|c| is_uri_char(c) && c != '?' && c != '#');
    if !host_ok || !path_ok {
        return Err(bad());
    }
    Ok(stem.strip_suffix('/').unwrap_or(stem))
}

/// Builds the Digital Link URI for an element string (`dl.c` `gs1_generateDLuri`):
/// - the first AI that is a primary key goes first in the path;
/// - then the longest qualifier sequence the data satisfies (ties: the engine's order);
/// - the remaining AIs become query attributes, predefined-length ones first, each AI once, in
///   the order of the data; an AI that may not be an attribute is an error.
pub fn build(data: &ElementString, stem: Option<&str>) -> Result<String, Problems> {
    let stem = check_stem(stem.unwrap_or(DEFAULT_STEM))?;
    let elements = data.elements();
    let Some(key) = elements.iter().find(|e| e.entry().is_dl_primary_key()) else {
        return Err(Problems(vec![make_problem(
            &Gs1Error::DlNoPrimaryKey,
            Severity::Error,
            None,
            None,
        )]));
    };
    let present = |ai: &str| elements.iter().any(|e| e.ai() == ai);
    let mut best: Vec<&str> = vec![key.ai()];
    for seq in ai::table().dl_sequences_for(key.ai()) {
        if seq.len() > best.len() && seq[1..].iter().all(|q| present(q)) {
            best = seq.to_vec();
        }
    }
    let path: Vec<Element> = best
        .iter()
        .filter_map(|ai| elements.iter().find(|e| e.ai() == *ai))
        .cloned()
        .collect();
    let mut emitted: Vec<&str> = best.clone();
    let mut query: Vec<Element> = Vec::new();
    let mut problems = Vec::new();
    for fixed_pass in [true, false] {
        for e in elements {
            if e.entry().needs_separator == fixed_pass || emitted.contains(&e.ai()) {
                continue;
            }
            emitted.push(e.ai());
            if e.entry().dl_attribute {
                query.push(e.clone());
            } else {
                problems.push(make_problem(
                    &Gs1Error::DlNotAttribute,
                    Severity::Error,
                    Some(e.ai()),
                    None,
                ));
            }
        }
    }
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    Ok(render(stem, &path, &query))
}

/// A Digital Link as read, valid or not.
#[derive(Debug, Clone, Default)]
pub(crate) struct DlAnalysis {
    pub analysis: Analysis,
    pub stem: Option<String>,
    pub path_len: usize,
}

fn fail(analysis: &mut DlAnalysis, fault: Gs1Error, ai: Option<&str>, pos: Option<u32>) {
    analysis
        .analysis
        .problems
        .push(make_problem(&fault, Severity::Error, ai, pos));
}

/// Percent-decodes a path segment or a query value starting at input position `start`.
///
/// Hand-written rather than `percent_encoding::percent_decode`: that one passes malformed escapes
/// through silently, and GS1 needs to reject them (BWIPP `GS1dlBadHexCharacter`) and `%00`, to say
/// where they are, and to read `+` as a space in the query but not in the path (`dl.c`
/// `URIunescape`).
pub(crate) fn decode(
    text: &str,
    start: u32,
    query: bool,
) -> Result<(Vec<char>, Vec<u32>), (Gs1Error, u32)> {
    let bytes = text.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut pos: Vec<u32> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let here = start + i as u32;
        match bytes[i] {
            b'%' => {
                let hex = |k: usize| bytes.get(k).and_then(|b| (*b as char).to_digit(16));
                let (Some(hi), Some(lo)) = (hex(i + 1), hex(i + 2)) else {
                    let seq: String = text.chars().skip(i).take(3).collect();
                    return Err((Gs1Error::DlBadEscape { seq }, here));
                };
                let b = (hi * 16 + lo) as u8;
                if b == 0 {
                    return Err((Gs1Error::DlNul, here));
                }
                out.push(b);
                pos.push(here);
                i += 3;
            }
            b'+' if query => {
                out.push(b' ');
                pos.push(here);
                i += 1;
            }
            b => {
                out.push(b);
                pos.push(here);
                i += 1;
            }
        }
    }
    match String::from_utf8(out) {
        Ok(s) => {
            let chars: Vec<(usize, char)> = s.char_indices().collect();
            let positions = chars
                .iter()
                .map(|(b, _)| pos.get(*b).copied().unwrap_or(start))
                .collect();
            Ok((chars.into_iter().map(|(_, c)| c).collect(), positions))
        }
        Err(e) => {
            // Escaped bytes that are not UTF-8: keep them visible as U+FFFD, which then fails the
            // character-set check at the segment's position.
            let s = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let chars: Vec<char> = s.chars().collect();
            let positions = vec![start; chars.len()];
            Ok((chars, positions))
        }
    }
}

/// Reads one value into `item`, applying the (01) short-GTIN rule.
fn read_value(
    dl: &mut DlAnalysis,
    item: &mut Item,
    raw: &str,
    start: u32,
    query: bool,
    options: DlOptions,
) {
    let entry: Option<&AiEntry> = item.entry;
    let ai = entry.map(|e| e.ai);
    if raw.is_empty() {
        let fault = if query {
            Gs1Error::DlEmptyQueryValue
        } else {
            Gs1Error::DlEmptyPathValue
        };
        fail(dl, fault, ai, Some(start));
        item.value_checked = true;
        return;
    }
    match decode(raw, start, query) {
        Ok((chars, positions)) => {
            for (c, p) in chars.into_iter().zip(positions) {
                item.push(c, p);
            }
        }
        Err((fault, pos)) => {
            fail(dl, fault, ai, Some(pos));
            item.value_checked = true;
            return;
        }
    }
    let len = item.value.len();
    if ai == Some("01") && matches!(len, 8 | 12 | 13) && item.value.iter().all(char::is_ascii_digit)
    {
        let fault = Gs1Error::DlShortGtin { len };
        match options.short_gtin {
            ShortGtin::Reject => {
                fail(dl, fault, ai, Some(start));
                item.value_checked = true;
            }
            ShortGtin::PadWithWarning | ShortGtin::PadAsError => {
                let severity = if options.short_gtin == ShortGtin::PadAsError {
                    Severity::Error
                } else {
                    Severity::Warning
                };
                dl.analysis
                    .problems
                    .push(make_problem(&fault, severity, ai, Some(start)));
                let mut value = vec!['0'; 14 - len];
                value.append(&mut item.value);
                item.value = value;
                let mut positions = vec![start; 14 - len];
                positions.append(&mut item.value_pos);
                item.value_pos = positions;
            }
        }
    }
}

/// Reads a Digital Link URI, reporting as many problems as can be found.
///
/// `offset` is added to every position (the length of a symbology identifier in front).
pub(crate) fn analyse(
    uri: &str,
    today: YearMonthDay,
    options: DlOptions,
    offset: u32,
) -> DlAnalysis {
    let mut dl = DlAnalysis::default();
    // 1-based input position of byte index `i` (the text is ASCII once the first check passed).
    let at = |i: usize| i as u32 + 1 + offset;
    if let Some((i, ch)) = uri.chars().enumerate().find(|(_, c)| !is_uri_char(*c)) {
        fail(&mut dl, Gs1Error::DlIllegalChar { ch }, None, Some(at(i)));
        return dl;
    }
    // From here on the text is ASCII, so byte offsets are character positions.
    let Some(scheme) = scheme_len(uri) else {
        fail(&mut dl, Gs1Error::DlScheme, None, Some(at(0)));
        return dl;
    };
    let rest = &uri[scheme..];
    let domain_len = rest.find('/').unwrap_or(rest.len());
    if let Some(i) = rest[..domain_len].find(is_bad_domain_char) {
        let ch = rest[i..].chars().next().unwrap_or('?');
        fail(
            &mut dl,
            Gs1Error::DlDomainChar { ch },
            None,
            Some(at(scheme + i)),
        );
        return dl;
    }
    if domain_len == 0 || domain_len == rest.len() {
        fail(&mut dl, Gs1Error::DlNoDomainOrPath, None, Some(at(scheme)));
        return dl;
    }
    let path_start = scheme + domain_len; // index of the '/' that starts the path
    let after_path = &uri[path_start..];
    let without_fragment = after_path.split('#').next().unwrap_or_default();
    let (path, query) = match without_fragment.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (without_fragment, None),
    };
    if path.len() > 1 && path.ends_with('/') {
        fail(
            &mut dl,
            Gs1Error::DlTrailingSlash,
            None,
            Some(at(path_start + path.len() - 1)),
        );
        return dl;
    }
    // Path segments after the leading '/', each with the index of its first character.
    let mut segments: Vec<(usize, &str)> = Vec::new();
    let mut next = path_start + 1;
    for seg in path[1..].split('/') {
        segments.push((next, seg));
        next += seg.len() + 1;
    }
    // Walk back pair by pair from the end to the rightmost primary key (dl.c gs1_parseDLuri).
    let mut key_index = None;
    let mut j = segments.len() as isize - 2;
    while j >= 0 {
        let seg = segments[j as usize].1;
        let Some(entry) = ai::lookup(seg) else { break };
        if entry.is_dl_primary_key() {
            key_index = Some(j as usize);
            break;
        }
        j -= 2;
    }
    let Some(key_index) = key_index else {
        match segments
            .iter()
            .find(|(_, s)| s.is_empty())
            .filter(|_| segments.len() > 1)
        {
            Some((i, _)) => fail(&mut dl, Gs1Error::DlEmptyPathValue, None, Some(at(*i))),
            None => fail(&mut dl, Gs1Error::DlNoKey, None, Some(at(path_start))),
        }
        return dl;
    };
    dl.stem = Some(uri[..segments[key_index].0 - 1].to_owned());

    for pair in segments[key_index..].chunks(2) {
        let [(ai_at, ai), (value_at, value)] = pair else {
            continue;
        };
        let mut item = Item::new((*ai).to_owned(), at(*ai_at));
        read_value(&mut dl, &mut item, value, at(*value_at), false, options);
        dl.analysis.items.push(item);
    }
    dl.path_len = dl.analysis.items.len();

    if let Some(query) = query {
        let mut next = path_start + path.len() + 1;
        for param in query.split('&') {
            let param_at = next;
            next += param.len() + 1;
            // Singletons and non-numeric keys are not GS1 data and are ignored.
            let Some((key, value)) = param.split_once('=') else {
                continue;
            };
            if key.is_empty() || !key.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            let Some(entry) = ai::lookup(key) else {
                fail(
                    &mut dl,
                    Gs1Error::DlUnknownQueryAi {
                        key: key.to_owned(),
                    },
                    None,
                    Some(at(param_at)),
                );
                continue;
            };
            let mut item = Item::new(entry.ai.to_owned(), at(param_at));
            let value_at = at(param_at + key.len() + 1);
            read_value(&mut dl, &mut item, value, value_at, true, options);
            dl.analysis.items.push(item);
        }
    }

    let table = ai::table();
    let path_ais: Vec<&str> = dl.analysis.items[..dl.path_len]
        .iter()
        .map(|i| i.ai.as_str())
        .collect();
    if !table.is_dl_sequence(&path_ais) {
        let fault = Gs1Error::DlPathOrder {
            path: format!("/{}", path_ais.join("/…/")),
        };
        let pos = dl.analysis.items.first().and_then(|i| i.ai_pos);
        dl.analysis
            .problems
            .push(make_problem(&fault, Severity::Error, None, pos));
    }
    let mut problems = Vec::new();
    for (n, item) in dl.analysis.items.iter().enumerate() {
        let ai = item.ai.as_str();
        if dl.analysis.items[..n].iter().any(|i| i.ai == item.ai) {
            problems.push(make_problem(
                &Gs1Error::DlDuplicate,
                Severity::Error,
                Some(ai),
                item.ai_pos,
            ));
            continue;
        }
        if n < dl.path_len {
            continue;
        }
        let Some(entry) = item.entry else { continue };
        if !entry.dl_attribute {
            problems.push(make_problem(
                &Gs1Error::DlNotAttribute,
                Severity::Error,
                Some(ai),
                item.ai_pos,
            ));
            continue;
        }
        let fits_path = (1..=path_ais.len()).any(|at| {
            let mut seq = path_ais.clone();
            seq.insert(at, ai);
            table.is_dl_sequence(&seq)
        });
        if fits_path {
            problems.push(make_problem(
                &Gs1Error::DlQualifierInQuery,
                Severity::Error,
                Some(ai),
                item.ai_pos,
            ));
        }
    }
    dl.analysis.problems.extend(problems);
    dl.analysis.validate(today);
    dl
}
