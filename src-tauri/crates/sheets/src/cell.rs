//! Typed cells and their coercion into field values. Each failure becomes an [`Issue`] that the
//! row reader turns into a located [`crate::Problem`]; nothing here fails the read.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;
use time::Date;

use crate::columns::{ENUMS, EnumSpec};

mod date;

use crate::problem::{ProblemCode, Severity};
pub use date::excel_serial_to_date;
pub(crate) use date::{
    DateFault, date_to_serial_1900, format_date, parse_date_text, serial_to_date,
};

/// One cell as the workbook stores it. Formula cells carry their cached value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Cell {
    Empty,
    Text(String),
    Float(f64),
    Int(i64),
    Bool(bool),
    /// A date/time cell: the Excel serial number and the workbook's date system.
    DateTime {
        serial: f64,
        epoch_1904: bool,
    },
    /// A formula error such as `#N/A`, as Excel displays it.
    Error(String),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.chars().all(is_blank),
            _ => false,
        }
    }

    /// The content as text, the way a clerk would read it in Excel (dates as `2025-03-04`,
    /// whole numbers without `.0`).
    pub fn raw_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Float(f) => float_text(*f),
            Cell::Int(i) => i.to_string(),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Cell::DateTime { serial, epoch_1904 } => match serial_to_date(*serial, *epoch_1904) {
                Ok(d) => {
                    let base = format_date(d);
                    let secs = (serial.fract() * 86_400.0).round() as i64;
                    if secs > 0 && secs < 86_400 {
                        format!(
                            "{base} {:02}:{:02}:{:02}",
                            secs / 3600,
                            secs / 60 % 60,
                            secs % 60
                        )
                    } else {
                        base
                    }
                }
                Err(_) => float_text(*serial),
            },
            Cell::Error(e) => e.clone(),
        }
    }
}

/// A coercion finding without its location; the row reader adds row, column and header.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Issue {
    pub code: ProblemCode,
    pub severity: Severity,
    pub zh: String,
    pub en: String,
}

impl Issue {
    pub fn error(code: ProblemCode, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Issue {
            code,
            severity: Severity::Error,
            zh: zh.into(),
            en: en.into(),
        }
    }
    pub fn warning(code: ProblemCode, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Issue {
            code,
            severity: Severity::Warning,
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// A decimal quantity kept as canonical text (`1200`, `12.5`), so no binary rounding creeps in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Decimal(String);

impl Decimal {
    /// Parses `1,200`, ` 12 `, `１２.５０`, `+3`: canonical form drops grouping, leading zeros
    /// and trailing fractional zeros. Returns `None` for anything else.
    pub fn parse(input: &str) -> Option<Decimal> {
        let folded: String = fold_width(input)
            .chars()
            .filter(|c| !is_blank(*c))
            .collect();
        let mut s = folded.as_str();
        let negative = s.starts_with('-');
        if s.starts_with('+') || negative {
            s = &s[1..];
        }
        let (int_part, frac_part) = match s.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (s, None),
        };
        let int_digits = if int_part.contains(',') {
            // Grouping must be real thousands grouping: 1,200 or 12,345,678 but not 1,2.
            let groups: Vec<&str> = int_part.split(',').collect();
            let ok = !groups[0].is_empty()
                && groups[0].len() <= 3
                && groups[1..].iter().all(|g| g.len() == 3)
                && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
            if !ok {
                return None;
            }
            groups.concat()
        } else {
            int_part.to_string()
        };
        if !int_digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let frac = frac_part.unwrap_or("");
        if !frac.bytes().all(|b| b.is_ascii_digit()) || (int_digits.is_empty() && frac.is_empty()) {
            return None;
        }
        let int_trim = int_digits.trim_start_matches('0');
        let int_trim = if int_trim.is_empty() { "0" } else { int_trim };
        let frac_trim = frac.trim_end_matches('0');
        let mut out = String::with_capacity(int_trim.len() + frac_trim.len() + 2);
        if negative && (int_trim != "0" || !frac_trim.is_empty()) {
            out.push('-');
        }
        out.push_str(int_trim);
        if !frac_trim.is_empty() {
            out.push('.');
            out.push_str(frac_trim);
        }
        Some(Decimal(out))
    }

    pub fn from_f64(f: f64) -> Option<Decimal> {
        if !f.is_finite() {
            return None;
        }
        Decimal::parse(&float_text(f))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_positive(&self) -> bool {
        !self.0.starts_with('-') && self.0 != "0"
    }

    pub fn to_f64(&self) -> f64 {
        self.0.parse().unwrap_or(0.0)
    }
}

impl std::fmt::Display for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One consumed material lot, with the quantity when the cell gave one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MaterialUse {
    pub lot: String,
    pub quantity: Option<Decimal>,
}

/// Blank for our purposes: Unicode whitespace, NBSP, the ideographic space and zero-width marks.
pub(crate) fn is_blank(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{00A0}'
                | '\u{3000}'
                | '\u{200B}'
                | '\u{200C}'
                | '\u{200D}'
                | '\u{2060}'
                | '\u{FEFF}'
        )
}

fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Full-width ASCII (`１２３ＡＢＣ，`) to half-width, the ideographic space to a space, zero-width
/// marks dropped.
pub(crate) fn fold_width(s: &str) -> String {
    s.chars()
        .filter(|c| !is_zero_width(*c))
        .map(|c| match c {
            '\u{3000}' | '\u{00A0}' => ' ',
            _ => half_width(c),
        })
        .collect()
}

/// A full-width ASCII character (`１`, `Ａ`, `，`) as its half-width twin; any other as it is.
pub(crate) fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// ASCII text with nothing [`clean_text`] or [`clean_folded`] would change: no control
/// whitespace, no blank at either end, no two blanks in a row. Most cells are like this, and are
/// then copied as they are.
fn already_clean(s: &str) -> bool {
    let b = s.as_bytes();
    s.is_ascii()
        && b.first().is_none_or(|c| *c != b' ')
        && b.last().is_none_or(|c| *c != b' ')
        && !b.iter().any(|c| (9..=13).contains(c))
        && !b.windows(2).any(|w| w == b"  ")
}

/// Free text as typed, minus what the clerk cannot see: surrounding blanks, zero-width marks,
/// runs of spaces and line breaks (made one space). Full-width punctuation is kept.
pub(crate) fn clean_text(s: &str) -> String {
    clean_mapped(s, |c| c)
}

/// [`clean_text`] after [`fold_width`], in one pass: for codes, where full-width digits and
/// letters are never meant.
pub(crate) fn clean_folded(s: &str) -> String {
    clean_mapped(s, half_width)
}

/// [`clean_text`] of the text with `map` applied to each character first.
fn clean_mapped(s: &str, map: impl Fn(char) -> char) -> String {
    if already_clean(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars().map(map) {
        if is_zero_width(c) {
            continue;
        }
        if is_blank(c) {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// Whole numbers without `.0`; others with at most 15 significant digits, as Excel shows them.
pub(crate) fn float_text(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{f:.0}");
    }
    let magnitude = if f == 0.0 {
        0
    } else {
        f.abs().log10().floor() as i32
    };
    let decimals = (14 - magnitude).clamp(0, 17) as usize;
    let s = format!("{f:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Context a cell needs: the workbook's date system and the import day.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx {
    pub epoch_1904: bool,
    pub today: Date,
    pub max_chars: usize,
}

const EXCEL_ERRORS: &[&str] = &[
    "#N/A",
    "#VALUE!",
    "#REF!",
    "#DIV/0!",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#GETTING_DATA",
    "#DATA!",
    "#SPILL!",
    "#CALC!",
    "#FIELD!",
    "#BLOCKED!",
    "#CONNECT!",
    "#BUSY!",
    "#UNKNOWN!",
];

/// An error cell, or text that is exactly an Excel error literal (CSV exports write them so).
fn error_issue(cell: &Cell) -> Option<Issue> {
    let text = match cell {
        Cell::Error(e) => e.as_str(),
        Cell::Text(t) => {
            let t = t.trim();
            if !EXCEL_ERRORS.iter().any(|e| e.eq_ignore_ascii_case(t)) {
                return None;
            }
            t
        }
        _ => return None,
    };
    Some(Issue::error(
        ProblemCode::CellError,
        format!(
            "单元格是公式错误值 {text}，没有可导入的内容。请检查该单元格的公式（例如引用的数据是否存在），或直接填写数值"
        ),
        format!("the cell holds the formula error {text}; fix the formula or type the value"),
    ))
}

/// Plain text from any cell; `None` when blank. Pushes an error for error cells.
pub(crate) fn text(cell: &Cell, ctx: &Ctx, issues: &mut Vec<Issue>) -> Option<String> {
    if let Some(issue) = error_issue(cell) {
        issues.push(issue);
        return None;
    }
    let s = match cell {
        Cell::Text(t) => clean_text(crate::safe::restore(t)),
        Cell::Empty => return None,
        other => other.raw_text(),
    };
    finish_text(s, ctx, issues)
}

/// `None` for empty text; text beyond the length limit is cut with a warning.
fn finish_text(mut s: String, ctx: &Ctx, issues: &mut Vec<Issue>) -> Option<String> {
    if s.is_empty() {
        return None;
    }
    if s.len() > ctx.max_chars && s.chars().count() > ctx.max_chars {
        s = s.chars().take(ctx.max_chars).collect();
        issues.push(Issue::warning(
            ProblemCode::CellTooLong,
            format!("内容超过 {} 个字符，已截断", ctx.max_chars),
            format!("text longer than {} characters was cut", ctx.max_chars),
        ));
    }
    Some(s)
}

fn looks_scientific(s: &str) -> bool {
    let s = s.trim();
    let Some((mantissa, exponent)) = s.split_once(['e', 'E']) else {
        return false;
    };
    let mantissa = mantissa.trim_start_matches(['+', '-']);
    let exponent = exponent.trim_start_matches(['+', '-']);
    !mantissa.is_empty()
        && !exponent.is_empty()
        && mantissa.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && mantissa.bytes().filter(|b| *b == b'.').count() <= 1
        && exponent.bytes().all(|b| b.is_ascii_digit())
}

const SCIENTIFIC_FIX_ZH: &str = "Excel 把长数字显示成科学计数法时已丢失了后面的位数，无法恢复。请把该列单元格格式设为“文本”，重新输入或从原系统重新导出后再导入";
const SCIENTIFIC_FIX_EN: &str = "Excel turned the long number into scientific notation and the digits are lost; set the column format to Text and re-enter or re-export the values";

/// An identifier kept as text: numeric cells become their digits, scientific notation and
/// numbers past Excel's 15 significant digits are refused.
pub(crate) fn code(cell: &Cell, ctx: &Ctx, issues: &mut Vec<Issue>) -> Option<String> {
    match cell {
        Cell::Float(f) if f.is_finite() && f.fract() == 0.0 && f.abs() >= 1e15 => {
            issues.push(Issue::error(
                ProblemCode::CodeScientific,
                format!(
                    "编号“{}”超过 15 位且以数字存储，{SCIENTIFIC_FIX_ZH}",
                    float_text(*f)
                ),
                format!(
                    "the code {} has more than 15 digits stored as a number; {SCIENTIFIC_FIX_EN}",
                    float_text(*f)
                ),
            ));
            None
        }
        Cell::Text(t) => {
            if let Some(issue) = error_issue(cell) {
                issues.push(issue);
                return None;
            }
            let s = clean_folded(crate::safe::restore(t));
            if s.contains(['+', '.']) && looks_scientific(&s) {
                issues.push(Issue::error(
                    ProblemCode::CodeScientific,
                    format!("编号“{s}”是科学计数法，{SCIENTIFIC_FIX_ZH}"),
                    format!("the code {s} is in scientific notation; {SCIENTIFIC_FIX_EN}"),
                ));
                return None;
            }
            finish_text(s, ctx, issues)
        }
        other => text(other, ctx, issues),
    }
}

/// GS1 mod-10 check digit (domain.md §A.1), by `codes::gs1`.
pub(crate) fn gs1_check_digit_ok(digits: &str) -> bool {
    digits.len() >= 2 && codes::gs1::check_digit::is_valid(digits)
}

fn expected_check_digit(digits: &str) -> Option<u8> {
    codes::gs1::check_digit::check_digit(digits.get(..digits.len().checked_sub(1)?)?)
}

/// A GTIN-8/12/13/14 as its digits, check digit verified. Numeric cells are restored to digits;
/// a GTIN-8/12 whose one or two leading zeros were dropped is padded back, with a
/// warning, only if its check digit verifies.
pub(crate) fn gtin(cell: &Cell, ctx: &Ctx, issues: &mut Vec<Issue>) -> Option<String> {
    let (raw, numeric) = match cell {
        Cell::Float(f) if f.is_finite() => {
            if f.fract() != 0.0 || *f < 0.0 {
                issues.push(Issue::error(
                    ProblemCode::GtinInvalid,
                    format!("商品条码“{}”不是整数", float_text(*f)),
                    format!("GTIN {} is not a whole number", float_text(*f)),
                ));
                return None;
            }
            if *f >= 1e15 {
                issues.push(Issue::error(
                    ProblemCode::GtinScientific,
                    format!(
                        "商品条码“{}”位数过多且以数字存储，{SCIENTIFIC_FIX_ZH}",
                        float_text(*f)
                    ),
                    format!(
                        "GTIN {} is too long and stored as a number; {SCIENTIFIC_FIX_EN}",
                        float_text(*f)
                    ),
                ));
                return None;
            }
            (format!("{f:.0}"), true)
        }
        Cell::Int(i) if *i >= 0 => (i.to_string(), true),
        Cell::Text(t) => {
            let folded: String = if t.bytes().all(|b| b.is_ascii_digit()) {
                t.clone()
            } else {
                fold_width(t)
                    .chars()
                    .filter(|c| !is_blank(*c) && *c != '-')
                    .collect()
            };
            if folded.is_empty() {
                return None;
            }
            if looks_scientific(&folded) {
                issues.push(Issue::error(
                    ProblemCode::GtinScientific,
                    format!("商品条码“{folded}”是科学计数法，{SCIENTIFIC_FIX_ZH}"),
                    format!("GTIN {folded} is in scientific notation; {SCIENTIFIC_FIX_EN}"),
                ));
                return None;
            }
            // "6901234567892.0" from some exports: a whole number written with a decimal point.
            let trimmed = match folded.split_once('.') {
                Some((int, frac)) if !int.is_empty() && frac.bytes().all(|b| b == b'0') => {
                    int.to_string()
                }
                _ => folded,
            };
            (trimmed, false)
        }
        Cell::Empty => return None,
        other => {
            if let Some(issue) = error_issue(other) {
                issues.push(issue);
                return None;
            }
            let shown = other.raw_text();
            issues.push(Issue::error(
                ProblemCode::GtinInvalid,
                format!("商品条码应为 8、12、13 或 14 位数字，这里是“{shown}”"),
                format!("a GTIN is 8, 12, 13 or 14 digits, got {shown}"),
            ));
            return None;
        }
    };
    let _ = ctx;
    if !raw.bytes().all(|b| b.is_ascii_digit()) {
        issues.push(Issue::error(
            ProblemCode::GtinInvalid,
            format!("商品条码“{raw}”含有非数字字符，只能填写 8、12、13 或 14 位数字"),
            format!("GTIN {raw} contains characters other than digits"),
        ));
        return None;
    }
    let len = raw.len();
    if matches!(len, 8 | 12 | 13 | 14) {
        if gs1_check_digit_ok(&raw) {
            return Some(raw);
        }
        let expected = expected_check_digit(&raw).unwrap_or(0);
        issues.push(Issue::error(
            ProblemCode::GtinCheckDigit,
            format!(
                "商品条码“{raw}”的校验位（最后一位）应为 {expected}，实际为 {}。请对照产品包装上的条码逐位核对",
                &raw[len - 1..]
            ),
            format!("GTIN {raw}: check digit should be {expected}, found {}", &raw[len - 1..]),
        ));
        return None;
    }
    // At most two zeros are restored: a GTIN-8 or GTIN-12 (UPC) starting with 0 or 00. Shorter
    // numbers are too short to be a GTIN with its zeros dropped, whatever their check digit.
    let target = match len {
        6 | 7 => 8,
        10 | 11 => 12,
        _ => 0,
    };
    if target > 0 {
        let padded = format!("{raw:0>target$}");
        if gs1_check_digit_ok(&padded) {
            let why_zh = if numeric {
                "Excel 把它当作数字存储，去掉了开头的 0"
            } else {
                "开头的 0 可能在导出时丢失"
            };
            let why_en = if numeric {
                "Excel stored it as a number and dropped the leading zeros"
            } else {
                "leading zeros were probably lost in an export"
            };
            issues.push(Issue::warning(
                ProblemCode::GtinLeadingZeroRestored,
                format!("商品条码“{raw}”只有 {len} 位，{why_zh}；已补回为 {padded}（校验位正确）。请确认，并把该列设为“文本”格式以免再次丢失"),
                format!("GTIN {raw} has {len} digits ({why_en}); restored to {padded}, whose check digit verifies; please confirm and format the column as Text"),
            ));
            return Some(padded);
        }
    }
    issues.push(Issue::error(
        ProblemCode::GtinLength,
        format!("商品条码“{raw}”有 {len} 位，应为 8、12、13 或 14 位"),
        format!("GTIN {raw} has {len} digits; expected 8, 12, 13 or 14"),
    ));
    None
}

/// 统一社会信用代码 via `codes::Uscc::parse`.
pub(crate) fn uscc(cell: &Cell, ctx: &Ctx, issues: &mut Vec<Issue>) -> Option<String> {
    let raw = code(cell, ctx, issues)?;
    match codes::Uscc::parse(&raw) {
        Ok(u) => {
            if let Some(m) = u.org_check_mismatch() {
                let m = m.message();
                issues.push(Issue::warning(ProblemCode::UsccOrgCheck, m.zh, m.en));
            }
            Some(u.as_str().to_string())
        }
        Err(e) => {
            let m = e.message();
            issues.push(Issue::error(ProblemCode::UsccInvalid, m.zh, m.en));
            None
        }
    }
}

/// A date from a date cell, a serial number, `20250304` as a number, or typed text.
pub(crate) fn date(
    cell: &Cell,
    allow_future: bool,
    ctx: &Ctx,
    issues: &mut Vec<Issue>,
) -> Option<Date> {
    const HOW_ZH: &str =
        "请按“年-月-日”填写，如 2025-03-04（也可写 2025/3/4、2025年3月4日、20250304）";
    const HOW_EN: &str = "write the date year first, e.g. 2025-03-04";
    if let Some(issue) = error_issue(cell) {
        issues.push(issue);
        return None;
    }
    let parsed = match cell {
        Cell::Empty => return None,
        Cell::Text(t) if t.chars().all(is_blank) => return None,
        Cell::DateTime { serial, epoch_1904 } => serial_to_date(*serial, *epoch_1904),
        Cell::Float(f) if f.fract() == 0.0 && (19_000_101.0..=99_991_231.0).contains(f) => {
            parse_date_text(&format!("{f:.0}"))
        }
        Cell::Int(i) if (19_000_101..=99_991_231).contains(i) => parse_date_text(&i.to_string()),
        Cell::Float(f) => serial_to_date(*f, ctx.epoch_1904),
        Cell::Int(i) => serial_to_date(*i as f64, ctx.epoch_1904),
        Cell::Text(t) => parse_date_text(t),
        _ => Err(DateFault::Invalid),
    };
    match parsed {
        Ok(d) if !allow_future && d > ctx.today => {
            issues.push(Issue::error(
                ProblemCode::DateFuture,
                format!(
                    "日期 {} 晚于今天（{}），这里不能填未来的日期。请核对年份和月份",
                    format_date(d),
                    format_date(ctx.today)
                ),
                format!(
                    "date {} is after today ({}); this date cannot be in the future",
                    format_date(d),
                    format_date(ctx.today)
                ),
            ));
            None
        }
        Ok(d) => Some(d),
        Err(DateFault::Impossible(what)) => {
            let shown = cell.raw_text();
            let (zh_what, en_what) = if what == shown {
                (String::new(), String::new())
            } else {
                (format!("（{what}）"), format!(" ({what})"))
            };
            issues.push(Issue::error(
                ProblemCode::DateImpossible,
                format!("“{shown}”不是日历上存在的日期{zh_what}，请核对月份的天数"),
                format!("{shown} is not a calendar date{en_what}"),
            ));
            None
        }
        Err(DateFault::Invalid) => {
            let shown = cell.raw_text();
            issues.push(Issue::error(
                ProblemCode::DateInvalid,
                format!("无法识别日期“{shown}”。{HOW_ZH}"),
                format!("cannot read the date {shown:?}; {HOW_EN}"),
            ));
            None
        }
    }
}

/// A positive quantity from a number cell or text such as `1,200` or `１２`.
pub(crate) fn quantity(cell: &Cell, ctx: &Ctx, issues: &mut Vec<Issue>) -> Option<Decimal> {
    if let Some(issue) = error_issue(cell) {
        issues.push(issue);
        return None;
    }
    let parsed = match cell {
        Cell::Empty => return None,
        Cell::Text(t) if t.chars().all(is_blank) => return None,
        Cell::Float(f) => Decimal::from_f64(*f),
        Cell::Int(i) => Decimal::parse(&i.to_string()),
        Cell::Text(t) => Decimal::parse(t),
        _ => None,
    };
    let _ = ctx;
    match parsed {
        Some(d) if d.is_positive() => Some(d),
        Some(d) => {
            issues.push(Issue::error(
                ProblemCode::NumberNotPositive,
                format!("数量必须大于 0，这里是 {d}"),
                format!("the quantity must be greater than 0, got {d}"),
            ));
            None
        }
        None => {
            let shown = clean_text(&cell.raw_text());
            let has_unit = shown.chars().any(|c| c.is_alphabetic());
            let hint_zh = if has_unit {
                "只填数字，单位请填在“单位”列"
            } else {
                "请填写数字，如 1200 或 12.5"
            };
            issues.push(Issue::error(
                ProblemCode::NumberInvalid,
                format!("“{shown}”不是数字，{hint_zh}"),
                format!(
                    "{shown:?} is not a number; enter digits only, the unit goes in the unit column"
                ),
            ));
            None
        }
    }
}

/// Folds an enum spelling: width, all blanks (so `合 格` is `合格`), case.
pub(crate) fn enum_fold(s: &str) -> String {
    fold_width(s)
        .chars()
        .filter(|c| !is_blank(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Every spelling of every enumeration value, folded once: (enum name, folded spelling) → key.
static ENUM_SPELLINGS: LazyLock<HashMap<(&'static str, String), &'static str>> =
    LazyLock::new(|| {
        let mut map = HashMap::new();
        for spec in ENUMS {
            for value in spec.values {
                for s in value
                    .synonyms
                    .iter()
                    .chain([&value.zh, &value.en, &value.key])
                {
                    map.entry((spec.name, enum_fold(s))).or_insert(value.key);
                }
            }
        }
        map
    });

/// Unit spellings folded once → the Chinese unit: the unit table's words and aliases
/// (`codes::units`), then the ledger vocabulary.
static UNIT_SPELLINGS: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    for u in &codes::units::shipped().units {
        for s in u.aliases.iter().chain([&u.zh]) {
            map.entry(enum_fold(s)).or_insert(u.zh.as_str());
        }
    }
    for u in crate::columns::unit_vocabulary() {
        map.entry(enum_fold(u.text)).or_insert(u.zh);
    }
    map
});

/// The key of the enum value this cell names.
pub(crate) fn enumeration(
    cell: &Cell,
    spec: &'static EnumSpec,
    ctx: &Ctx,
    issues: &mut Vec<Issue>,
) -> Option<&'static str> {
    let raw = text(cell, ctx, issues)?;
    if let Some(key) = ENUM_SPELLINGS.get(&(spec.name, enum_fold(&raw))) {
        return Some(key);
    }
    let allowed = spec
        .values
        .iter()
        .map(|v| v.zh)
        .collect::<Vec<_>>()
        .join("、");
    let allowed_en = spec
        .values
        .iter()
        .map(|v| v.en)
        .collect::<Vec<_>>()
        .join(", ");
    issues.push(Issue::error(
        ProblemCode::EnumInvalid,
        format!("“{raw}”不是可选的值，请填写：{allowed}"),
        format!("{raw:?} is not one of: {allowed_en}"),
    ));
    None
}

/// A unit: known spellings fold to the Chinese unit (`kg` → `千克`), other text is kept.
pub(crate) fn unit(cell: &Cell, ctx: &Ctx, issues: &mut Vec<Issue>) -> Option<String> {
    let raw = text(cell, ctx, issues)?;
    match UNIT_SPELLINGS.get(&enum_fold(&raw)) {
        Some(u) => Some((*u).to_string()),
        None => Some(raw),
    }
}

/// Several codes in one cell (one per line, or separated by `;` `；`), each read as a code, one
/// per line in the result: a line break inside a code cell separates codes, it is never a blank.
pub(crate) fn codes(cell: &Cell, ctx: &Ctx, issues: &mut Vec<Issue>) -> Option<String> {
    let Cell::Text(t) = cell else {
        return code(cell, ctx, issues);
    };
    if let Some(issue) = error_issue(cell) {
        issues.push(issue);
        return None;
    }
    let parts: Vec<String> = crate::safe::restore(t)
        .split(['\n', '\r', ';', '；'])
        .map(clean_folded)
        .filter(|p| !p.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("\n"))
}

/// Splits a multi-lot cell on `,` `，` `;` `；` `、` `/` and line breaks; each part may carry a
/// quantity as `LOT×qty`, `LOT*qty`, `LOTxqty` or `LOT(qty)` / `LOT（qty）`.
pub(crate) fn lots(cell: &Cell, ctx: &Ctx, issues: &mut Vec<Issue>) -> Option<Vec<MaterialUse>> {
    let raw = match cell {
        Cell::Text(t) => {
            if let Some(issue) = error_issue(cell) {
                issues.push(issue);
                return None;
            }
            t.clone()
        }
        other => code(other, ctx, issues)?,
    };
    let mut out: Vec<MaterialUse> = Vec::new();
    let mut bad = Vec::new();
    for part in raw.split([',', '，', ';', '；', '、', '/', '\n', '\r']) {
        let part = clean_text(&fold_width(part));
        if part.is_empty() {
            continue;
        }
        match split_lot_quantity(&part) {
            Ok(m) => {
                if out.iter().any(|o| o.lot == m.lot) {
                    issues.push(Issue::warning(
                        ProblemCode::LotsDuplicate,
                        format!("原料批号 {} 在同一格里出现了多次，已合并为一次", m.lot),
                        format!(
                            "material lot {} is listed more than once in the cell",
                            m.lot
                        ),
                    ));
                    continue;
                }
                out.push(m);
            }
            Err(()) => bad.push(part),
        }
    }
    if !bad.is_empty() {
        issues.push(Issue::error(
            ProblemCode::LotsInvalid,
            format!("无法识别“{}”。每个原料批号可写成 批号、批号×数量 或 批号(数量)，数量须为大于 0 的数字，多个批号用逗号或顿号分隔", bad.join("、")),
            format!("cannot read {:?}; write LOT, LOT×qty or LOT(qty) with a positive quantity, separated by commas", bad.join(", ")),
        ));
        return None;
    }
    if out.is_empty() { None } else { Some(out) }
}

fn split_lot_quantity(part: &str) -> Result<MaterialUse, ()> {
    let positive = |q: &str| Decimal::parse(q).filter(Decimal::is_positive);
    // A lot and a quantity that must both be there.
    let both = |lot: &str, qty: &str| {
        let lot = lot.trim();
        let qty = positive(qty).ok_or(())?;
        if lot.is_empty() {
            Err(())
        } else {
            Ok(MaterialUse {
                lot: lot.to_string(),
                quantity: Some(qty),
            })
        }
    };
    // LOT(qty) or LOT（qty）; full-width brackets were folded to ASCII already.
    if let Some(body) = part.strip_suffix(')') {
        let (lot, qty) = body.rsplit_once('(').ok_or(())?;
        return both(lot, qty);
    }
    // Explicit multiplication signs: whatever follows must be a quantity.
    if let Some((lot, qty)) = part.rsplit_once(['×', '*', '✕', '✖']) {
        return both(lot, qty);
    }
    // A letter x only counts when a number follows it (so BOX1 stays a lot): lower-case x
    // directly, upper-case X only with a space before it.
    if let Some(idx) = part.rfind(['x', 'X']) {
        let (lot, rest) = part.split_at(idx);
        let is_upper = rest.starts_with('X');
        if (!is_upper || lot.ends_with(' '))
            && !lot.trim().is_empty()
            && let Some(qty) = positive(&rest[1..])
        {
            return Ok(MaterialUse {
                lot: lot.trim().to_string(),
                quantity: Some(qty),
            });
        }
    }
    if part.contains(['(', ')']) {
        return Err(());
    }
    Ok(MaterialUse {
        lot: part.to_string(),
        quantity: None,
    })
}
