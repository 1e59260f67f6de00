//! Ecode (物联网标识编码, GB/T 31866): `V` (version, 1 digit) + `NSI` (编码体系标识) + `MD` (主码)
//! (domain.md §B.2).
//!
//! Only the three-part structure is sourced; the per-version lengths and character sets are
//! unconfirmed recollections, so they live in `data/ecode_versions.tsv` with a status per row.
//! Breaking a rule of an `unconfirmed` row is a warning: a code the platform issued must never be
//! refused because of a guess. No check character is known (§B.2: [NOT FOUND]). Ecodes are issued
//! by iotroot.com; the app stores them verbatim and never makes them up.

use std::fmt;
use std::sync::LazyLock;

use serde::Serialize;

use crate::data_table::DataTable;
use crate::problem::{Fault, Problem, Problems, Severity, make_problem};

/// Longest text accepted at all: far beyond every known version, short of absurd.
pub const MAX_LEN: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionStatus {
    Confirmed,
    Unconfirmed,
    /// No such version (5–9 per the unconfirmed table).
    Reserved,
    /// V0: GS1 compatibility; the GS1 code itself is what to check.
    Gs1,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EcodeCharset {
    Digits,
    DigitsUpper,
    Printable,
}

impl EcodeCharset {
    fn allows(self, c: char) -> bool {
        match self {
            EcodeCharset::Digits => c.is_ascii_digit(),
            EcodeCharset::DigitsUpper => c.is_ascii_digit() || c.is_ascii_uppercase(),
            EcodeCharset::Printable => c.is_ascii_graphic(),
        }
    }

    fn describe(self) -> (&'static str, &'static str) {
        match self {
            EcodeCharset::Digits => ("数字", "digits"),
            EcodeCharset::DigitsUpper => ("数字和大写字母", "digits and upper-case letters"),
            EcodeCharset::Printable => ("可打印 ASCII 字符", "printable ASCII characters"),
        }
    }
}

/// One row of `data/ecode_versions.tsv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcodeVersion {
    pub version: u8,
    pub status: VersionStatus,
    pub nsi_len: Option<usize>,
    pub md_max: Option<usize>,
    pub total_max: Option<usize>,
    pub charset: Option<EcodeCharset>,
    pub note: &'static str,
}

impl EcodeVersion {
    fn severity(&self) -> Severity {
        if self.status == VersionStatus::Confirmed {
            Severity::Error
        } else {
            Severity::Warning
        }
    }
}

static VERSIONS: LazyLock<DataTable<EcodeVersion>> =
    LazyLock::new(|| DataTable::load(include_str!("../data/ecode_versions.tsv"), parse_row));

fn parse_row(line: &'static str) -> Result<EcodeVersion, String> {
    let cols: Vec<&'static str> = line.split('\t').collect();
    let [version, status, nsi_len, md_max, total_max, charset, note] = cols[..] else {
        return Err(format!("expected 7 columns: {line:?}"));
    };
    let number = |v: &str| -> Result<Option<usize>, String> {
        if v == "-" {
            Ok(None)
        } else {
            v.parse().map(Some).map_err(|_| format!("bad number {v:?}"))
        }
    };
    Ok(EcodeVersion {
        version: version
            .parse()
            .map_err(|_| format!("bad version {version:?}"))?,
        status: match status {
            "confirmed" => VersionStatus::Confirmed,
            "unconfirmed" => VersionStatus::Unconfirmed,
            "reserved" => VersionStatus::Reserved,
            "gs1" => VersionStatus::Gs1,
            other => return Err(format!("bad status {other:?}")),
        },
        nsi_len: number(nsi_len)?,
        md_max: number(md_max)?,
        total_max: number(total_max)?,
        charset: match charset {
            "digits" => Some(EcodeCharset::Digits),
            "digits-upper" => Some(EcodeCharset::DigitsUpper),
            "printable" => Some(EcodeCharset::Printable),
            "-" => None,
            other => return Err(format!("bad charset {other:?}")),
        },
        note,
    })
}

/// The version table as shipped.
pub fn versions() -> &'static [EcodeVersion] {
    &VERSIONS.rows
}

#[cfg(test)]
pub(crate) fn version_load_errors() -> &'static [String] {
    &VERSIONS.load_errors
}

fn version_row(v: u8) -> Option<&'static EcodeVersion> {
    versions().iter().find(|r| r.version == v)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EcodeError {
    #[error("the Ecode is empty")]
    Empty,
    #[error("the Ecode is {len} characters long: at most {MAX_LEN} are accepted")]
    TooLong { len: usize },
    #[error(
        "character {ch:?} is not allowed: an Ecode has no spaces, control or non-ASCII characters"
    )]
    BadChar { ch: char },
    #[error("an Ecode starts with its version digit, found {ch:?}")]
    VersionNotDigit { ch: char },
    #[error("the Ecode is too short: it needs a version digit, an NSI and a master data code")]
    TooShort,
    #[error(
        "Ecode version {version} is reserved (per the unconfirmed version table): check the code"
    )]
    Reserved { version: u8 },
    #[error(
        "Ecode version 0 is the GS1-compatible form: check the GS1 code (GTIN or element string) itself"
    )]
    Gs1Version,
    #[error(
        "version {version} has a {nsi_len}-digit NSI and at least one MD character, but the code has only {len} characters"
    )]
    TooShortForVersion {
        version: u8,
        nsi_len: usize,
        len: usize,
    },
    #[error("version {version} allows at most {max} MD characters, got {len}")]
    MdTooLong { version: u8, max: usize, len: usize },
    #[error("character {ch:?} is not allowed in a version {version} Ecode ({})", charset.describe().1)]
    Charset {
        version: u8,
        ch: char,
        charset: EcodeCharset,
    },
    #[error(
        "the {host} address holds no Ecode: an Ecode lookup address ends in /E= followed by the code, scan the label again"
    )]
    UrlWithoutCode { host: String },
    #[error(
        "{host} is not a known Ecode resolver (known: iotroot.com): the Ecode after /E= was read, confirm the label's issuer"
    )]
    UnknownResolver { host: String },
}

impl Fault for EcodeError {
    fn code(&self) -> &'static str {
        match self {
            EcodeError::Empty => "ecode.empty",
            EcodeError::TooLong { .. } | EcodeError::TooShort => "ecode.length",
            EcodeError::BadChar { .. } | EcodeError::Charset { .. } => "ecode.char",
            EcodeError::VersionNotDigit { .. }
            | EcodeError::Reserved { .. }
            | EcodeError::Gs1Version => "ecode.version",
            EcodeError::TooShortForVersion { .. } | EcodeError::MdTooLong { .. } => "ecode.length",
            EcodeError::UrlWithoutCode { .. } => "ecode.url-no-code",
            EcodeError::UnknownResolver { .. } => "ecode.url-host",
        }
    }

    fn zh(&self) -> String {
        match self {
            EcodeError::Empty => "Ecode 不能为空".into(),
            EcodeError::TooLong { len } => {
                format!("Ecode 长 {len} 位，超过上限 {MAX_LEN} 位，请核对")
            }
            EcodeError::BadChar { ch } => {
                format!("字符“{ch}”不允许：Ecode 中不能有空格、控制字符或汉字/全角字符")
            }
            EcodeError::VersionNotDigit { ch } => {
                format!("Ecode 以 1 位版本号数字开头，此处为“{ch}”")
            }
            EcodeError::TooShort => {
                "Ecode 太短：应由版本号、编码体系标识 (NSI) 和主码 (MD) 组成".into()
            }
            EcodeError::Reserved { version } => {
                format!("Ecode 版本 {version} 为保留版本（依据未经核实的版本表），请核对编码")
            }
            EcodeError::Gs1Version => {
                "Ecode V0 用于兼容 GS1：请直接按 GS1 编码（GTIN 或元素串）核对".into()
            }
            EcodeError::TooShortForVersion {
                version,
                nsi_len,
                len,
            } => format!(
                "版本 {version} 的 NSI 为 {nsi_len} 位，加上主码至少 {} 位，但编码只有 {len} 位",
                nsi_len + 2
            ),
            EcodeError::MdTooLong { version, max, len } => {
                format!("版本 {version} 的主码 (MD) 最多 {max} 位，实际为 {len} 位")
            }
            EcodeError::Charset {
                version,
                ch,
                charset,
            } => {
                format!(
                    "版本 {version} 的 Ecode 只能包含{}，此处为“{ch}”",
                    charset.describe().0
                )
            }
            EcodeError::UrlWithoutCode { host } => format!(
                "{host} 的网址中没有 Ecode：Ecode 查询网址以“/E=”加编码结尾，请重新扫描标签"
            ),
            EcodeError::UnknownResolver { host } => format!(
                "{host} 不是已知的 Ecode 解析网址（已知：iotroot.com）：已读出“/E=”后的 Ecode，请向供方确认标签的发码机构"
            ),
        }
    }
}

/// An Ecode that passed the checks (it may still carry warnings from unconfirmed rules).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ecode {
    text: String,
    version: u8,
    #[serde(skip)]
    nsi_len: Option<usize>,
    #[serde(skip)]
    warnings: Vec<Problem>,
}

impl Ecode {
    pub fn parse(text: &str) -> Result<Ecode, Problems> {
        match analyse(text) {
            (Some(mut ecode), problems) if !problems.iter().any(Problem::is_error) => {
                ecode.warnings = problems;
                Ok(ecode)
            }
            (_, problems) => Err(Problems(problems)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn version(&self) -> u8 {
        self.version
    }

    /// The 编码体系标识, when the version's NSI length is known.
    pub fn nsi(&self) -> Option<&str> {
        let n = self.nsi_len?;
        self.text.get(1..1 + n)
    }

    /// The 主码, when the version's NSI length is known.
    pub fn md(&self) -> Option<&str> {
        let n = self.nsi_len?;
        self.text.get(1 + n..)
    }

    /// Warnings from rules whose source is unconfirmed.
    pub fn warnings(&self) -> &[Problem] {
        &self.warnings
    }
}

impl fmt::Display for Ecode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Reads an Ecode: the value when its structure could be read, and every problem found.
pub(crate) fn analyse(text: &str) -> (Option<Ecode>, Vec<Problem>) {
    let chars: Vec<char> = text.chars().collect();
    let mut problems = Vec::new();
    let problem = |e: &EcodeError, severity: Severity, pos: Option<usize>| {
        make_problem(e, severity, None, pos.map(|p| p as u32))
    };
    let Some(&first) = chars.first() else {
        return (
            None,
            vec![problem(&EcodeError::Empty, Severity::Error, None)],
        );
    };
    if chars.len() > MAX_LEN {
        return (
            None,
            vec![problem(
                &EcodeError::TooLong { len: chars.len() },
                Severity::Error,
                None,
            )],
        );
    }
    if let Some(i) = chars.iter().position(|c| !c.is_ascii_graphic()) {
        problems.push(problem(
            &EcodeError::BadChar { ch: chars[i] },
            Severity::Error,
            Some(i + 1),
        ));
        return (None, problems);
    }
    let Some(version) = first.to_digit(10).map(|d| d as u8) else {
        return (
            None,
            vec![problem(
                &EcodeError::VersionNotDigit { ch: first },
                Severity::Error,
                Some(1),
            )],
        );
    };
    if chars.len() < 3 {
        return (
            None,
            vec![problem(&EcodeError::TooShort, Severity::Error, None)],
        );
    }
    let row = version_row(version);
    let mut nsi_len = None;
    match row {
        None => problems.push(problem(
            &EcodeError::Reserved { version },
            Severity::Warning,
            Some(1),
        )),
        Some(row) => match row.status {
            VersionStatus::Reserved => {
                problems.push(problem(
                    &EcodeError::Reserved { version },
                    Severity::Warning,
                    Some(1),
                ));
            }
            VersionStatus::Gs1 => {
                problems.push(problem(&EcodeError::Gs1Version, Severity::Warning, Some(1)))
            }
            VersionStatus::Confirmed | VersionStatus::Unconfirmed => {
                let severity = row.severity();
                if let Some(n) = row.nsi_len {
                    if chars.len() < n + 2 {
                        let e = EcodeError::TooShortForVersion {
                            version,
                            nsi_len: n,
                            len: chars.len(),
                        };
                        problems.push(problem(&e, severity, None));
                    } else {
                        nsi_len = Some(n);
                        let md_len = chars.len() - 1 - n;
                        if let Some(max) = row.md_max
                            && md_len > max
                        {
                            let e = EcodeError::MdTooLong {
                                version,
                                max,
                                len: md_len,
                            };
                            problems.push(problem(&e, severity, Some(2 + n + max)));
                        }
                    }
                }
                if let Some(charset) = row.charset
                    && let Some(i) = chars.iter().skip(1).position(|&c| !charset.allows(c))
                {
                    let e = EcodeError::Charset {
                        version,
                        ch: chars[i + 1],
                        charset,
                    };
                    problems.push(problem(&e, severity, Some(i + 2)));
                }
            }
        },
    }
    (
        Some(Ecode {
            text: text.to_owned(),
            version,
            nsi_len,
            warnings: Vec::new(),
        }),
        problems,
    )
}

/// Does the text fit a confirmed or unconfirmed version row exactly, with no warning at all?
/// Used by scheme detection, where a guess must be conservative.
pub(crate) fn fits_exactly(text: &str) -> bool {
    let (ecode, problems) = analyse(text);
    ecode.is_some_and(|e| {
        problems.is_empty()
            && version_row(e.version).is_some_and(|r| {
                matches!(
                    r.status,
                    VersionStatus::Confirmed | VersionStatus::Unconfirmed
                ) && r.nsi_len.is_some()
                    && r.md_max.is_some()
            })
    })
}

/// One row of `data/ecode_headers.tsv`: leading digits seen on real Ecodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcodeHeader {
    pub header: &'static str,
    pub version: u8,
    pub source: &'static str,
}

static HEADERS: LazyLock<DataTable<EcodeHeader>> = LazyLock::new(|| {
    DataTable::load(include_str!("../data/ecode_headers.tsv"), |line| {
        let [header, version, source] = line.split('\t').collect::<Vec<_>>()[..] else {
            return Err(format!("expected 3 columns: {line:?}"));
        };
        let version: u8 = version
            .parse()
            .map_err(|_| format!("bad version {version:?}"))?;
        if !header.bytes().all(|b| b.is_ascii_digit()) || !header.starts_with(&version.to_string())
        {
            return Err(format!(
                "header {header:?} does not start with version {version}"
            ));
        }
        Ok(EcodeHeader {
            header,
            version,
            source,
        })
    })
});

/// The Ecode headers as shipped.
pub fn headers() -> &'static [EcodeHeader] {
    &HEADERS.rows
}

#[cfg(test)]
pub(crate) fn header_load_errors() -> &'static [String] {
    &HEADERS.load_errors
}

/// The known Ecode header `text` starts with, when it also fits that version's row exactly: the
/// evidence that a digit string which could be a GTIN is an Ecode.
pub(crate) fn known_header(text: &str) -> Option<&'static EcodeHeader> {
    headers()
        .iter()
        .find(|h| text.starts_with(h.header) && text.len() > h.header.len())
        .filter(|_| fits_exactly(text))
}

/// Could this digit string be an Ecode V1 at all (version digit 1 and the V1 row fits), header
/// known or not?
pub(crate) fn plausible_v1(text: &str) -> bool {
    text.starts_with('1') && fits_exactly(text)
}

mod url;
pub(crate) use url::{EcodeUrl, find_in_url};

#[cfg(test)]
mod tests;
