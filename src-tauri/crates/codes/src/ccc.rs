//! CCC (强制性产品认证) certificate numbers (证书编号) and mark numbers (标志编号), domain.md §D.
//!
//! Certificate number, §D.1 [SOURCE: 3rd-party, several agreeing pages]: 16 digits,
//! `YYYY` year first issued + `OO` certification body (`01` = CQC) + `PPPP` product code from the
//! CCC catalogue + `NNNNNN` serial, e.g. `2016010901123456`. Some early certificates have 12
//! characters: accepted with a warning. The product code is checked against
//! a [`CccCatalogue`] (the shipped `data/ccc_catalogue.tsv`, or a newer file loaded by the app),
//! which may be incomplete (§D.3), so an unknown code is a warning only, and a row that is not
//! confirmed by a source adds a note.
//! Validity (有效/暂停/撤销/注销/过期) can only be checked online at cx.cnca.cn.
//!
//! Mark number, §D.2: the format is [NOT FOUND]; free text, trimmed, 1–32 characters.

use std::fmt;
use std::ops::RangeInclusive;
use std::sync::LazyLock;

use serde::Serialize;

use crate::datafile::{self, FileErrors, FileHeader, RowCheck};
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
    pub code: String,
    pub name: String,
    /// The first two digits of the code.
    pub category: String,
    /// 大类 name, when it is known.
    pub category_name: Option<String>,
    /// `*` self-declaration programme A, `**` programme B.
    pub self_declaration: Option<String>,
    /// False for rows that were not read in a source.
    pub confirmed: bool,
    /// Where the row comes from, or what of it is unconfirmed.
    pub note: Option<String>,
}

/// The CCC catalogue in use: the shipped one ([`shipped`]) or a newer file an administrator
/// loaded ([`CccCatalogue::parse`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CccCatalogue {
    pub header: FileHeader,
    pub products: Vec<CccProduct>,
}

/// The file name and `# name:` of the CCC catalogue.
pub const CATALOGUE_NAME: &str = "ccc_catalogue";

pub const COLUMNS: [&str; 7] = [
    "code",
    "name",
    "category",
    "category_name",
    "self_declaration",
    "status",
    "note",
];

impl CccCatalogue {
    /// Reads a catalogue file (see `data/ccc_catalogue.tsv`); every problem is returned with its
    /// line and column.
    pub fn parse(text: &str) -> Result<CccCatalogue, FileErrors> {
        let file = datafile::read(text, CATALOGUE_NAME, &COLUMNS)?;
        let mut check = RowCheck::default();
        let mut products: Vec<CccProduct> = Vec::new();
        let mut first_line = std::collections::HashMap::new();
        for row in &file.rows {
            let c = &row.cells;
            let mut ok = true;
            if !(c[0].len() == 4 && c[0].bytes().all(|b| b.is_ascii_digit())) {
                check.bad(
                    row,
                    0,
                    ("产品代码", "product code"),
                    ("应为 4 位数字，如 0101", "4 digits such as 0101"),
                );
                ok = false;
            } else if let Some(first) = first_line.insert(c[0].clone(), row.line) {
                check.duplicate(row, 0, first);
            }
            if ok && !c[0].starts_with(c[2].as_str()) {
                check.bad(
                    row,
                    2,
                    ("类别号", "category"),
                    ("应为产品代码的前两位", "the first two digits of the code"),
                );
            }
            if !matches!(c[4].as_str(), "-" | "*" | "**") {
                check.bad(
                    row,
                    4,
                    ("自我声明标记", "self-declaration mark"),
                    ("应为 *、** 或 -", "*, ** or -"),
                );
            }
            if !matches!(c[5].as_str(), "source" | "unconfirmed") {
                check.bad(
                    row,
                    5,
                    ("状态", "status"),
                    ("应为 source 或 unconfirmed", "source or unconfirmed"),
                );
            }
            if c[5] == "unconfirmed" && c[6] == "-" {
                check.bad(
                    row,
                    6,
                    ("说明", "note"),
                    (
                        "未核实的行须说明来源",
                        "an unconfirmed row says where it comes from",
                    ),
                );
            }
            products.push(CccProduct {
                code: c[0].clone(),
                name: c[1].clone(),
                category: c[2].clone(),
                category_name: datafile::optional(&c[3]),
                self_declaration: datafile::optional(&c[4]),
                confirmed: c[5] == "source",
                note: datafile::optional(&c[6]),
            });
        }
        check.finish(CccCatalogue {
            header: file.header,
            products,
        })
    }

    pub fn product(&self, code: &str) -> Option<&CccProduct> {
        self.products.iter().find(|p| p.code == code)
    }
}

/// The text of the catalogue shipped with this version.
pub const SHIPPED_TEXT: &str = include_str!("../data/ccc_catalogue.tsv");

static SHIPPED: LazyLock<CccCatalogue> = LazyLock::new(|| {
    // A test parses the shipped text and fails on any error; an empty catalogue only makes every
    // product code a warning.
    CccCatalogue::parse(SHIPPED_TEXT).unwrap_or_else(|_| CccCatalogue {
        header: FileHeader {
            name: CATALOGUE_NAME.to_owned(),
            source: String::new(),
            version: crate::YearMonthDay::new(2000, 1, 1).expect("a real date"),
        },
        products: Vec::new(),
    })
});

/// The catalogue shipped with this version.
pub fn shipped() -> &'static CccCatalogue {
    &SHIPPED
}

/// The shipped catalogue's products.
pub fn catalogue() -> &'static [CccProduct] {
    &SHIPPED.products
}

/// A product of the shipped catalogue.
pub fn product(code: &str) -> Option<&'static CccProduct> {
    SHIPPED.product(code)
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
    #[error(
        "product code {code} ({name}) is in the catalogue, but its row is not confirmed by a source: check the certificate on cx.cnca.cn"
    )]
    UnconfirmedProduct { code: String, name: String },
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
            CccError::UnconfirmedProduct { .. } => "ccc.unconfirmed-category",
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
            CccError::UnconfirmedProduct { code, name } => format!(
                "产品代码 {code}（{name}）在目录中，但该行未经来源核实，请到 cx.cnca.cn 核对证书"
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
        self.product_in(shipped())
    }

    /// The product of `catalogue` this number names.
    pub fn product_in<'c>(&self, catalogue: &'c CccCatalogue) -> Option<&'c CccProduct> {
        catalogue.product(self.product_code()?)
    }

    /// The warnings that go with this number against the shipped catalogue.
    pub fn warnings(&self) -> Vec<Problem> {
        self.warnings_in(shipped())
    }

    /// The warnings that go with this number (early form, product code not in `catalogue`, or
    /// in it on an unconfirmed row).
    pub fn warnings_in(&self, catalogue: &CccCatalogue) -> Vec<Problem> {
        let mut out = Vec::new();
        if self.is_legacy() {
            out.push(make_problem(
                &CccError::Legacy,
                Severity::Warning,
                None,
                None,
            ));
        } else if let Some(code) = self.product_code() {
            match catalogue.product(code) {
                None => {
                    let e = CccError::UnknownProduct {
                        code: code.to_owned(),
                    };
                    out.push(make_problem(&e, Severity::Warning, None, Some(7)));
                }
                Some(p) if !p.confirmed => {
                    let e = CccError::UnconfirmedProduct {
                        code: code.to_owned(),
                        name: p.name.clone(),
                    };
                    out.push(make_problem(&e, Severity::Warning, None, Some(7)));
                }
                Some(_) => {}
            }
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
    analyse_cert_in(text, years, shipped())
}

/// Reads a certificate number and lists its problems, checking its product code against
/// `catalogue`.
pub fn analyse_cert_in(
    text: &str,
    years: RangeInclusive<i32>,
    catalogue: &CccCatalogue,
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
        let warnings = value.warnings_in(catalogue);
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
    problems.extend(value.warnings_in(catalogue));
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
