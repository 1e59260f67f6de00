//! CCC (强制性产品认证) certificate numbers (证书编号) and mark numbers (标志编号), domain.md §D.
//!
//! Certificate number, §D.1 [SOURCE: 3rd-party, several agreeing pages]: 16 digits,
//! `YYYY` year first issued + `OO` certification body (`01` = CQC) + `PPPP` product code from the
//! CCC catalogue + `NNNNNN` serial, e.g. `2016010901123456`. Some early certificates have 12
//! characters: accepted with a warning. The product code is checked against
//! `data/ccc_catalogue.tsv`, which is incomplete (§D.3), so an unknown code is a warning only.
//! Validity (有效/暂停/撤销/注销/过期) can only be checked online at cx.cnca.cn.
//!
//! Mark number, §D.2: the format is [NOT FOUND]; free text, trimmed, 1–32 characters.

use std::fmt;
use std::ops::RangeInclusive;
use std::sync::LazyLock;

use serde::Serialize;

use crate::data_table::DataTable;
use crate::problem::{Fault, Problem, Problems, Severity, make_problem};

/// CCC certificates were first issued in 2002 (domain.md "Implications": year 2002..now).
pub const FIRST_YEAR: i32 = 2002;

/// The years a certificate number may start with, given the current year (passed in; the crate
/// reads no clock).
pub fn valid_years(current_year: i32) -> RangeInclusive<i32> {
    FIRST_YEAR..=current_year
}

/// The certification body of code `01`; codes of other bodies are [NOT FOUND] (§D.1).
pub fn body_name(code: &str) -> Option<&'static str> {
    (code == "01").then_some("中国质量认证中心 (CQC)")
}

/// One product of the CCC catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CccProduct {
    pub code: &'static str,
    pub name: &'static str,
    /// 大类 number, two digits.
    pub category: &'static str,
    /// 大类 name, when it was read.
    pub category_name: Option<&'static str>,
    /// `*` self-declaration programme A, `**` programme B.
    pub self_declaration: Option<&'static str>,
    /// False for rows inferred rather than read.
    pub confirmed: bool,
}

static CATALOGUE: LazyLock<DataTable<CccProduct>> =
    LazyLock::new(|| DataTable::load(include_str!("../data/ccc_catalogue.tsv"), parse_product));

fn parse_product(line: &'static str) -> Result<CccProduct, String> {
    let cols: Vec<&'static str> = line.split('\t').collect();
    let [
        code,
        name,
        category,
        category_name,
        self_declaration,
        status,
        _note,
    ] = cols[..]
    else {
        return Err(format!("expected 7 columns: {line:?}"));
    };
    let ok = code.len() == 4
        && code.bytes().all(|b| b.is_ascii_digit())
        && code.starts_with(category)
        && matches!(self_declaration, "-" | "*" | "**")
        && matches!(status, "source" | "unconfirmed");
    if !ok {
        return Err(format!("bad row: {line:?}"));
    }
    let opt = |v: &'static str| (v != "-").then_some(v);
    Ok(CccProduct {
        code,
        name,
        category,
        category_name: opt(category_name),
        self_declaration: opt(self_declaration),
        confirmed: status == "source",
    })
}

/// The shipped (partial) catalogue.
pub fn catalogue() -> &'static [CccProduct] {
    &CATALOGUE.rows
}

#[cfg(test)]
pub(crate) fn catalogue_load_errors() -> &'static [String] {
    &CATALOGUE.load_errors
}

pub fn product(code: &str) -> Option<&'static CccProduct> {
    catalogue().iter().find(|p| p.code == code)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CccError {
    #[error("the certificate number is empty")]
    Empty,
    #[error("a CCC certificate number has 16 digits, got {len} characters")]
    Length { len: usize },
    #[error("character {ch:?} is not a digit: a CCC certificate number is 16 digits")]
    NotDigit { ch: char },
    #[error(
        "the year {year} is outside {first}-{last}: the first four digits are the year the certificate was first issued"
    )]
    Year { year: i32, first: i32, last: i32 },
    #[error("a 12-character certificate number is an early form: check it on cx.cnca.cn")]
    Legacy,
    #[error(
        "character {ch:?} is not allowed in a 12-character certificate number (letters and digits only)"
    )]
    LegacyChar { ch: char },
    #[error(
        "product code {code} is not in the shipped CCC catalogue (which lists only part of it): check the certificate"
    )]
    UnknownProduct { code: String },
    #[error("the mark number is empty")]
    MarkEmpty,
    #[error("the mark number has {len} characters: at most 32 are accepted")]
    MarkTooLong { len: usize },
    #[error("whitespace inside the mark number is not allowed")]
    MarkWhitespace,
    #[error(
        "character {ch:?} is unusual in a mark number (expected letters and digits): check it against the mark"
    )]
    MarkChar { ch: char },
}

impl Fault for CccError {
    fn code(&self) -> &'static str {
        match self {
            CccError::Empty => "ccc.empty",
            CccError::Length { .. } => "ccc.length",
            CccError::NotDigit { .. } | CccError::LegacyChar { .. } => "ccc.char",
            CccError::Year { .. } => "ccc.year",
            CccError::Legacy => "ccc.legacy",
            CccError::UnknownProduct { .. } => "ccc.unknown-category",
            CccError::MarkEmpty => "ccc.mark-empty",
            CccError::MarkTooLong { .. } => "ccc.mark-length",
            CccError::MarkWhitespace | CccError::MarkChar { .. } => "ccc.mark-char",
        }
    }

    fn zh(&self) -> String {
        match self {
            CccError::Empty => "CCC 证书编号不能为空".into(),
            CccError::Length { len } => {
                format!("CCC 证书编号应为 16 位数字，实际为 {len} 位，请对照证书核对")
            }
            CccError::NotDigit { ch } => format!("字符“{ch}”不是数字：CCC 证书编号为 16 位数字"),
            CccError::Year { year, first, last } => format!(
                "年份 {year} 不在 {first}–{last} 之间：证书编号前 4 位是证书首次发证年份，请核对"
            ),
            CccError::Legacy => "12 位证书编号为早期格式，请到 cx.cnca.cn 核实".into(),
            CccError::LegacyChar { ch } => {
                format!("12 位证书编号中不允许字符“{ch}”（只能是字母和数字）")
            }
            CccError::UnknownProduct { code } => format!(
                "产品代码 {code} 不在随软件提供的 CCC 目录中（该目录并不完整），请对照证书核实"
            ),
            CccError::MarkEmpty => "CCC 标志编号不能为空".into(),
            CccError::MarkTooLong { len } => format!("CCC 标志编号有 {len} 位，最多 32 位"),
            CccError::MarkWhitespace => "CCC 标志编号中间不能有空格".into(),
            CccError::MarkChar { ch } => {
                format!("标志编号中出现“{ch}”，通常只含字母和数字，请对照标志核对")
            }
        }
    }
}

/// A CCC certificate number that passed the format checks.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct CccCertNo(String);

impl CccCertNo {
    /// `years` is the range the year part must fall in, normally [`valid_years`] of the current
    /// year.
    pub fn parse(text: &str, years: RangeInclusive<i32>) -> Result<CccCertNo, Problems> {
        let (value, problems) = analyse_cert(text, years);
        match value {
            Some(v) if !problems.iter().any(Problem::is_error) => Ok(v),
            _ => Err(Problems(problems)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The early 12-character form.
    pub fn is_legacy(&self) -> bool {
        self.0.len() == 12
    }

    /// Year the certificate was first issued (16-digit form).
    pub fn year(&self) -> Option<i32> {
        self.part(0, 4)?.parse().ok()
    }

    /// Certification body code (`01` = CQC).
    pub fn body_code(&self) -> Option<&str> {
        self.part(4, 6)
    }

    /// CCC catalogue product code.
    pub fn product_code(&self) -> Option<&str> {
        self.part(6, 10)
    }

    /// The body's serial number.
    pub fn serial(&self) -> Option<&str> {
        self.part(10, 16)
    }

    pub fn product(&self) -> Option<&'static CccProduct> {
        product(self.product_code()?)
    }

    /// The warnings that go with this number (early form, product code not in the catalogue).
    pub fn warnings(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        if self.is_legacy() {
            out.push(make_problem(
                &CccError::Legacy,
                Severity::Warning,
                None,
                None,
            ));
        } else if let Some(code) = self.product_code()
            && product(code).is_none()
        {
            let e = CccError::UnknownProduct {
                code: code.to_owned(),
            };
            out.push(make_problem(&e, Severity::Warning, None, Some(7)));
        }
        out
    }

    fn part(&self, from: usize, to: usize) -> Option<&str> {
        if self.is_legacy() {
            None
        } else {
            self.0.get(from..to)
        }
    }
}

impl fmt::Display for CccCertNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub(crate) fn analyse_cert(
    text: &str,
    years: RangeInclusive<i32>,
) -> (Option<CccCertNo>, Vec<Problem>) {
    let chars: Vec<char> = text.chars().collect();
    let error = |e: CccError, pos: Option<usize>| {
        make_problem(&e, Severity::Error, None, pos.map(|p| p as u32))
    };
    if chars.is_empty() {
        return (None, vec![error(CccError::Empty, None)]);
    }
    if chars.len() == 12 {
        if let Some(i) = chars.iter().position(|c| !c.is_ascii_alphanumeric()) {
            return (
                None,
                vec![error(CccError::LegacyChar { ch: chars[i] }, Some(i + 1))],
            );
        }
        let value = CccCertNo(text.to_owned());
        let warnings = value.warnings();
        return (Some(value), warnings);
    }
    let mut problems = Vec::new();
    if let Some(i) = chars.iter().position(|c| !c.is_ascii_digit()) {
        problems.push(error(CccError::NotDigit { ch: chars[i] }, Some(i + 1)));
    }
    if chars.len() != 16 {
        problems.push(error(CccError::Length { len: chars.len() }, None));
    }
    if !problems.is_empty() {
        return (None, problems);
    }
    let value = CccCertNo(text.to_owned());
    if let Some(year) = value.year()
        && !years.contains(&year)
    {
        problems.push(error(
            CccError::Year {
                year,
                first: *years.start(),
                last: *years.end(),
            },
            Some(1),
        ));
    }
    problems.extend(value.warnings());
    (Some(value), problems)
}

/// A CCC mark number (标志编号): free text, trimmed, 1–32 characters, no whitespace inside.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct CccMarkNo(String);

impl CccMarkNo {
    pub const MAX_LEN: usize = 32;

    /// Trims the text; characters other than letters and digits give a warning only, since the
    /// format is unknown.
    pub fn parse(text: &str) -> Result<(CccMarkNo, Vec<Problem>), Problems> {
        let trimmed = text.trim();
        let lead = text.chars().take_while(|c| c.is_whitespace()).count();
        let chars: Vec<char> = trimmed.chars().collect();
        let at = |i: usize| Some((i + lead + 1) as u32);
        let mut problems = Vec::new();
        if chars.is_empty() {
            problems.push(make_problem(
                &CccError::MarkEmpty,
                Severity::Error,
                None,
                None,
            ));
        } else if chars.len() > Self::MAX_LEN {
            problems.push(make_problem(
                &CccError::MarkTooLong { len: chars.len() },
                Severity::Error,
                None,
                None,
            ));
        }
        if let Some(i) = chars
            .iter()
            .position(|c| c.is_whitespace() || c.is_control())
        {
            problems.push(make_problem(
                &CccError::MarkWhitespace,
                Severity::Error,
                None,
                at(i),
            ));
        } else if let Some(i) = chars.iter().position(|c| !c.is_ascii_alphanumeric()) {
            problems.push(make_problem(
                &CccError::MarkChar { ch: chars[i] },
                Severity::Warning,
                None,
                at(i),
            ));
        }
        if problems.iter().any(Problem::is_error) {
            return Err(Problems(problems));
        }
        Ok((CccMarkNo(trimmed.to_owned()), problems))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CccMarkNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests;
