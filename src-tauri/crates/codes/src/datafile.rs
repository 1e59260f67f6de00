//! The catalogue files tracedesk ships and that an administrator may replace with a newer one
//! (`data/ccc_catalogue.tsv`, `data/rec20_units.tsv`, the app's product catalogue): tab-separated
//! text with a machine-readable header.
//!
//! ```text
//! # name: ccc_catalogue
//! # source: SAMR 公告2023年第36号 …
//! # version: 2026-12-08
//! # any other comment line      ← the header is the `# key:` lines the file starts with
//! code→name→…             ← the column line (→ is a tab), exactly as the file kind expects
//! 0101→电线组件→…         ← one row per line, exactly as many cells as columns
//! ```
//!
//! Parsing is pure (text in, value out): the caller reads the file. Every problem is reported at
//! once with its line and column (1-based), in Chinese and English, so an administrator can fix a
//! file in one go. A hand-written reader rather than the `csv` crate: the format is one split on
//! tabs per line, and the errors must name the line of the original text, comments included.

use std::fmt;

use serde::Serialize;

use crate::date::YearMonthDay;
use crate::message::Message;
use crate::problem::Fault;

/// The header of a catalogue file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileHeader {
    /// `ccc_catalogue`, `rec20_units`, `product_catalogue`: which catalogue the file replaces.
    pub name: String,
    /// Where the rows come from.
    pub source: String,
    /// The date of this version of the file: a newer one replaces an older one.
    pub version: YearMonthDay,
}

/// One row: its line in the file (1-based) and its cells, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    pub line: usize,
    pub cells: Vec<String>,
}

/// A catalogue file whose header and shape are right; the rows are not checked yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataFile {
    pub header: FileHeader,
    pub rows: Vec<FileRow>,
}

/// What is wrong with a line of a catalogue file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileFault {
    #[error("the file is empty")]
    Empty,
    #[error("the header line \"# {key}: …\" is missing: add it before the column line")]
    MissingHeader { key: &'static str },
    #[error("the header line \"# {key}: …\" appears twice: keep one")]
    DuplicateHeader { key: &'static str },
    #[error(
        "the file is a \"{found}\" catalogue, not \"{expected}\": choose the file of the catalogue to replace"
    )]
    WrongName { expected: String, found: String },
    #[error("the version {value:?} is not a date written YYYY-MM-DD, such as 2026-12-08")]
    BadVersion { value: String },
    #[error("the column line is missing: after the header, the first line names the columns")]
    MissingColumns,
    #[error("the columns are {found:?}, expected {expected:?} in this order")]
    WrongColumns { expected: String, found: String },
    #[error("the line has {found} cells separated by tabs, expected {expected}")]
    CellCount { expected: usize, found: usize },
    #[error("the cell is empty: write \"-\" for no value")]
    EmptyCell,
    #[error("{value:?} is not a valid {what}: {hint}")]
    BadValue {
        value: String,
        what: &'static str,
        hint: String,
        what_zh: &'static str,
        hint_zh: String,
    },
    #[error("{value:?} is listed twice (first on line {first}): keep one row for it")]
    Duplicate { value: String, first: usize },
    #[error("the file has no rows")]
    NoRows,
    #[error(
        "this file is version {found}, not newer than version {current} in use: get the newer file from the source"
    )]
    NotNewer {
        found: YearMonthDay,
        current: YearMonthDay,
    },
}

impl Fault for FileFault {
    fn code(&self) -> &'static str {
        match self {
            FileFault::Empty | FileFault::NoRows => "catalogue.empty",
            FileFault::MissingHeader { .. } | FileFault::DuplicateHeader { .. } => {
                "catalogue.header"
            }
            FileFault::WrongName { .. } => "catalogue.name",
            FileFault::BadVersion { .. } => "catalogue.version",
            FileFault::MissingColumns | FileFault::WrongColumns { .. } => "catalogue.columns",
            FileFault::CellCount { .. } => "catalogue.cells",
            FileFault::EmptyCell | FileFault::BadValue { .. } => "catalogue.value",
            FileFault::Duplicate { .. } => "catalogue.duplicate",
            FileFault::NotNewer { .. } => "catalogue.not-newer",
        }
    }

    fn zh(&self) -> String {
        match self {
            FileFault::Empty => "文件是空的".into(),
            FileFault::MissingHeader { key } => {
                format!("缺少表头行“# {key}: …”，请加在列名行之前")
            }
            FileFault::DuplicateHeader { key } => {
                format!("表头行“# {key}: …”出现了两次，请只保留一行")
            }
            FileFault::WrongName { expected, found } => {
                format!("这是“{found}”目录的文件，不是“{expected}”：请选择要替换的那个目录的文件")
            }
            FileFault::BadVersion { value } => {
                format!("版本“{value}”不是 YYYY-MM-DD 格式的日期（如 2026-12-08），请改正")
            }
            FileFault::MissingColumns => "缺少列名行：表头之后的第一行应写出各列的名称".into(),
            FileFault::WrongColumns { expected, found } => {
                format!("列名为“{found}”，应按顺序为“{expected}”")
            }
            FileFault::CellCount { expected, found } => {
                format!("本行有 {found} 个用制表符分隔的单元格，应为 {expected} 个")
            }
            FileFault::EmptyCell => "单元格为空：没有值时请填“-”".into(),
            FileFault::BadValue {
                value,
                what_zh,
                hint_zh,
                ..
            } => format!("“{value}”不是有效的{what_zh}：{hint_zh}"),
            FileFault::Duplicate { value, first } => {
                format!("“{value}”重复出现（第一次在第 {first} 行），请只保留一行")
            }
            FileFault::NoRows => "文件中没有数据行".into(),
            FileFault::NotNewer { found, current } => format!(
                "此文件的版本为 {found}，不比正在使用的版本 {current} 新，请从来源处取得更新的文件"
            ),
        }
    }
}

/// A problem of a catalogue file, where it is: line and column are 1-based; `line` 0 means the
/// file as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub line: usize,
    pub column: Option<usize>,
    pub fault: FileFault,
}

impl FileError {
    pub fn new(line: usize, column: Option<usize>, fault: FileFault) -> FileError {
        FileError {
            line,
            column,
            fault,
        }
    }

    /// The stable code, such as `catalogue.cells`.
    pub fn code(&self) -> &'static str {
        self.fault.code()
    }

    /// The message with its place in front: `第 3 行第 2 列：…` / `line 3, column 2: …`.
    pub fn message(&self) -> Message {
        let (zh, en) = match (self.line, self.column) {
            (0, _) => (String::new(), String::new()),
            (line, None) => (format!("第 {line} 行："), format!("line {line}: ")),
            (line, Some(col)) => (
                format!("第 {line} 行第 {col} 列："),
                format!("line {line}, column {col}: "),
            ),
        };
        Message::new(zh + &self.fault.zh(), en + &self.fault.to_string())
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message().en)
    }
}

/// Every problem of a file, in line order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileErrors(pub Vec<FileError>);

impl fmt::Display for FileErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.0.iter().map(FileError::to_string).collect();
        f.write_str(&lines.join("; "))
    }
}

impl std::error::Error for FileErrors {}

const HEADER_KEYS: [&str; 3] = ["name", "source", "version"];

/// Reads the header, the column line and the rows of `text`, a file of catalogue `name` with
/// `columns`. Rows with the wrong number of cells, or an empty cell, are errors; the values are
/// the caller's to check (see [`RowCheck`]).
pub fn read(text: &str, name: &str, columns: &[&str]) -> Result<DataFile, FileErrors> {
    let mut errors = Vec::new();
    let mut keys: [Option<(usize, String)>; 3] = [None, None, None];
    let mut column_line = None;
    let mut rows = Vec::new();
    // Header lines are the `# key: value` lines the file starts with; later comments (such as
    // a description of the columns) are only comments.
    let mut in_header = true;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let raw = raw.trim_end_matches('\r');
        if raw.trim().is_empty() {
            in_header = false;
            continue;
        }
        if let Some(comment) = raw.strip_prefix('#') {
            let key = comment.split_once(':').and_then(|(key, value)| {
                Some((HEADER_KEYS.iter().position(|h| *h == key.trim())?, value))
            });
            in_header &= key.is_some();
            if in_header && let Some((k, value)) = key {
                if keys[k].is_some() {
                    let key = HEADER_KEYS[k];
                    errors.push(FileError::new(
                        line,
                        None,
                        FileFault::DuplicateHeader { key },
                    ));
                } else {
                    keys[k] = Some((line, value.trim().to_owned()));
                }
            }
            continue;
        }
        in_header = false;
        let cells: Vec<String> = raw.split('\t').map(|c| c.trim().to_owned()).collect();
        if column_line.is_none() {
            column_line = Some(line);
            if cells != columns {
                errors.push(FileError::new(
                    line,
                    None,
                    FileFault::WrongColumns {
                        expected: columns.join(" "),
                        found: cells.join(" "),
                    },
                ));
            }
            continue;
        }
        if cells.len() != columns.len() {
            errors.push(FileError::new(
                line,
                None,
                FileFault::CellCount {
                    expected: columns.len(),
                    found: cells.len(),
                },
            ));
            continue;
        }
        if let Some(col) = cells.iter().position(String::is_empty) {
            errors.push(FileError::new(line, Some(col + 1), FileFault::EmptyCell));
            continue;
        }
        rows.push(FileRow { line, cells });
    }
    if text.trim().is_empty() {
        return Err(FileErrors(vec![FileError::new(0, None, FileFault::Empty)]));
    }
    let [found_name, source, version] = keys;
    for (k, value) in [&found_name, &source, &version].into_iter().enumerate() {
        if value.is_none() {
            let key = HEADER_KEYS[k];
            errors.push(FileError::new(0, None, FileFault::MissingHeader { key }));
        }
    }
    if let Some((line, found)) = &found_name
        && found != name
    {
        errors.push(FileError::new(
            *line,
            None,
            FileFault::WrongName {
                expected: name.to_owned(),
                found: found.clone(),
            },
        ));
    }
    let version = version.and_then(|(line, value)| match parse_date(&value) {
        Some(v) => Some(v),
        None => {
            errors.push(FileError::new(line, None, FileFault::BadVersion { value }));
            None
        }
    });
    if column_line.is_none() {
        errors.push(FileError::new(0, None, FileFault::MissingColumns));
    } else if rows.is_empty() && errors.is_empty() {
        errors.push(FileError::new(0, None, FileFault::NoRows));
    }
    match (found_name, source, version) {
        (Some((_, name)), Some((_, source)), Some(version)) if errors.is_empty() => Ok(DataFile {
            header: FileHeader {
                name,
                source,
                version,
            },
            rows,
        }),
        _ => {
            errors.sort_by_key(|e| e.line);
            Err(FileErrors(errors))
        }
    }
}

/// `YYYY-MM-DD`, a real date.
pub fn parse_date(text: &str) -> Option<YearMonthDay> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .filter(|s| s.iter().all(u8::is_ascii_digit))
            .and_then(|_| text[r].parse::<u32>().ok())
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    YearMonthDay::new(
        digits(0..4)? as i32,
        digits(5..7)? as u8,
        digits(8..10)? as u8,
    )
}

/// Refuses a file that is not newer than the one in use.
pub fn check_newer(found: YearMonthDay, current: YearMonthDay) -> Result<(), FileErrors> {
    if found > current {
        Ok(())
    } else {
        Err(FileErrors(vec![FileError::new(
            0,
            None,
            FileFault::NotNewer { found, current },
        )]))
    }
}

/// Collects the value errors of the rows of a file: one per bad cell, located.
#[derive(Default)]
pub struct RowCheck {
    pub errors: Vec<FileError>,
}

impl RowCheck {
    /// Records that cell `col` (0-based) of `row` is not a valid `what`.
    pub fn bad(
        &mut self,
        row: &FileRow,
        col: usize,
        (what_zh, what): (&'static str, &'static str),
        (hint_zh, hint): (&str, &str),
    ) {
        self.errors.push(FileError::new(
            row.line,
            Some(col + 1),
            FileFault::BadValue {
                value: row.cells[col].clone(),
                what,
                hint: hint.to_owned(),
                what_zh,
                hint_zh: hint_zh.to_owned(),
            },
        ));
    }

    /// Records a second row for the same key (`first` is the line of the first).
    pub fn duplicate(&mut self, row: &FileRow, col: usize, first: usize) {
        self.errors.push(FileError::new(
            row.line,
            Some(col + 1),
            FileFault::Duplicate {
                value: row.cells[col].clone(),
                first,
            },
        ));
    }

    /// The rows' value, or every error found.
    pub fn finish<T>(self, value: T) -> Result<T, FileErrors> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(FileErrors(self.errors))
        }
    }
}

/// `-` means "no value" in a cell.
pub fn optional(cell: &str) -> Option<String> {
    (cell != "-").then(|| cell.to_owned())
}

#[cfg(test)]
mod tests;
