//! What can be wrong: [`Problem`] for bad input (data, never an `Err`) and [`ReadError`] for a file
//! that cannot be read at all.

use codes::Message;
use serde::Serialize;

use crate::columns::FieldKey;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The row (or, at sheet level, the whole sheet) cannot be imported as it is.
    Error,
    /// Imported, but the clerk should look: something was repaired or skipped.
    Warning,
}

/// Stable problem codes. The UI switches on these, never on message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ProblemCode {
    #[serde(rename = "header.not-found")]
    HeaderNotFound,
    #[serde(rename = "header.duplicate-field")]
    HeaderDuplicateField,
    #[serde(rename = "header.changed")]
    HeaderChanged,
    #[serde(rename = "column.missing")]
    ColumnMissing,
    #[serde(rename = "sheet.columns-beyond-limit")]
    ColumnsBeyondLimit,
    #[serde(rename = "sheet.stray-cells")]
    StrayCells,
    #[serde(rename = "row.footer")]
    RowFooter,
    #[serde(rename = "row.note")]
    RowNote,
    #[serde(rename = "row.repeated-header")]
    RowRepeatedHeader,
    #[serde(rename = "cell.error")]
    CellError,
    #[serde(rename = "cell.too-long")]
    CellTooLong,
    #[serde(rename = "required.missing")]
    RequiredMissing,
    #[serde(rename = "date.invalid")]
    DateInvalid,
    #[serde(rename = "date.impossible")]
    DateImpossible,
    #[serde(rename = "date.future")]
    DateFuture,
    #[serde(rename = "number.invalid")]
    NumberInvalid,
    #[serde(rename = "number.not-positive")]
    NumberNotPositive,
    #[serde(rename = "gtin.invalid")]
    GtinInvalid,
    #[serde(rename = "gtin.length")]
    GtinLength,
    #[serde(rename = "gtin.check-digit")]
    GtinCheckDigit,
    #[serde(rename = "gtin.scientific")]
    GtinScientific,
    #[serde(rename = "gtin.leading-zero-restored")]
    GtinLeadingZeroRestored,
    #[serde(rename = "code.scientific")]
    CodeScientific,
    #[serde(rename = "uscc.invalid")]
    UsccInvalid,
    #[serde(rename = "uscc.org-check")]
    UsccOrgCheck,
    #[serde(rename = "enum.invalid")]
    EnumInvalid,
    #[serde(rename = "lots.invalid")]
    LotsInvalid,
    #[serde(rename = "lots.duplicate")]
    LotsDuplicate,
    #[serde(rename = "duplicate.in-file")]
    DuplicateInFile,
    #[serde(rename = "delivery-note.conflict")]
    DeliveryNoteConflict,
    /// A check against the records already in the database, made by the app after reading (an
    /// unknown supplier, a batch already on record…); the message says which. Never produced by
    /// this crate; it exists so the problem report can carry the app's findings too.
    #[serde(rename = "record.check")]
    Record,
}

impl ProblemCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemCode::HeaderNotFound => "header.not-found",
            ProblemCode::HeaderDuplicateField => "header.duplicate-field",
            ProblemCode::HeaderChanged => "header.changed",
            ProblemCode::ColumnMissing => "column.missing",
            ProblemCode::ColumnsBeyondLimit => "sheet.columns-beyond-limit",
            ProblemCode::StrayCells => "sheet.stray-cells",
            ProblemCode::RowFooter => "row.footer",
            ProblemCode::RowNote => "row.note",
            ProblemCode::RowRepeatedHeader => "row.repeated-header",
            ProblemCode::CellError => "cell.error",
            ProblemCode::CellTooLong => "cell.too-long",
            ProblemCode::RequiredMissing => "required.missing",
            ProblemCode::DateInvalid => "date.invalid",
            ProblemCode::DateImpossible => "date.impossible",
            ProblemCode::DateFuture => "date.future",
            ProblemCode::NumberInvalid => "number.invalid",
            ProblemCode::NumberNotPositive => "number.not-positive",
            ProblemCode::GtinInvalid => "gtin.invalid",
            ProblemCode::GtinLength => "gtin.length",
            ProblemCode::GtinCheckDigit => "gtin.check-digit",
            ProblemCode::GtinScientific => "gtin.scientific",
            ProblemCode::GtinLeadingZeroRestored => "gtin.leading-zero-restored",
            ProblemCode::CodeScientific => "code.scientific",
            ProblemCode::UsccInvalid => "uscc.invalid",
            ProblemCode::UsccOrgCheck => "uscc.org-check",
            ProblemCode::EnumInvalid => "enum.invalid",
            ProblemCode::LotsInvalid => "lots.invalid",
            ProblemCode::LotsDuplicate => "lots.duplicate",
            ProblemCode::DuplicateInFile => "duplicate.in-file",
            ProblemCode::DeliveryNoteConflict => "delivery-note.conflict",
            ProblemCode::Record => "record.check",
        }
    }
}

impl std::fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing wrong with the input, located as Excel shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub severity: Severity,
    pub sheet: String,
    /// Excel row number (1-based); `None` for sheet-wide problems such as a missing column.
    pub row: Option<u32>,
    /// Column letter (`A`, `AB`); `None` for whole-row or sheet-wide problems.
    pub column: Option<String>,
    /// The header text of that column as the file has it.
    pub header: Option<String>,
    pub field: Option<FieldKey>,
    pub code: ProblemCode,
    /// The raw cell content as text, so the clerk sees what was there.
    pub value: Option<String>,
    pub message: Message,
}

impl Problem {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Where a cell is, for the start of a message: `第 5 行 D 列（生产日期）`.
pub(crate) fn place(row: u32, column: &str, header: &str) -> (String, String) {
    if header.is_empty() {
        (
            format!("第 {row} 行 {column} 列"),
            format!("row {row}, column {column}"),
        )
    } else {
        (
            format!("第 {row} 行 {column} 列（{header}）"),
            format!("row {row}, column {column} ({header})"),
        )
    }
}

/// A file that cannot be read at all. Everything else is a [`Problem`].
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    #[error("the file is empty")]
    Empty,
    #[error("the file is {size} bytes, more than the limit of {limit} bytes")]
    TooLarge { size: u64, limit: u64 },
    #[error("the file is not a spreadsheet ({detected})")]
    NotASpreadsheet { detected: String },
    #[error("the file is a web page or xml saved with a spreadsheet extension ({detected})")]
    Disguised { detected: String },
    #[error("the workbook is password protected")]
    Encrypted,
    #[error("the file is truncated or damaged ({detail})")]
    Truncated { detail: String },
    #[error("the workbook is damaged ({detail})")]
    Corrupt { detail: String },
    #[error(
        "entry {entry} declares {declared} bytes uncompressed from {compressed}, beyond the limits"
    )]
    ZipBomb {
        entry: String,
        declared: u64,
        compressed: u64,
    },
    #[error("sheet {name:?} not found")]
    SheetNotFound {
        name: String,
        available: Vec<String>,
    },
    #[error("sheet {sheet:?} has more than {limit} rows")]
    TooManyRows { sheet: String, limit: u32 },
    #[error(
        "sheet {sheet:?} spans {cells} cells up to {last_cell}, more than {limit} can be loaded"
    )]
    SheetTooLarge {
        sheet: String,
        cells: u64,
        last_cell: String,
        limit: u64,
    },
    #[error(
        "the workbook's {sheets} sheet entries would expand to more than {limit} cells when opened ({cells} so far)"
    )]
    TooManyCells {
        sheets: usize,
        cells: u64,
        limit: u64,
    },
    #[error("the workbook would expand to more than {limit} bytes of cell text when opened")]
    TooMuchText { bytes: u64, limit: u64 },
}

pub type Result<T, E = ReadError> = std::result::Result<T, E>;

impl ReadError {
    /// Stable code for the UI.
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::Io(_) => "file.unreadable",
            ReadError::Empty => "file.empty",
            ReadError::TooLarge { .. } => "file.too-large",
            ReadError::NotASpreadsheet { .. } => "file.not-a-spreadsheet",
            ReadError::Disguised { .. } => "file.disguised",
            ReadError::Encrypted => "file.encrypted",
            ReadError::Truncated { .. } => "file.truncated",
            ReadError::Corrupt { .. } => "file.corrupt",
            ReadError::ZipBomb { .. } => "file.zip-bomb",
            ReadError::SheetNotFound { .. } => "sheet.not-found",
            ReadError::TooManyRows { .. } => "sheet.too-many-rows",
            ReadError::SheetTooLarge { .. } => "sheet.too-large",
            ReadError::TooManyCells { .. } => "file.too-many-cells",
            ReadError::TooMuchText { .. } => "file.too-much-text",
        }
    }

    /// What went wrong and what to do, in Chinese and English.
    pub fn message(&self) -> Message {
        let en = format!("{self}");
        let zh = match self {
            ReadError::Io(e) => format!("无法读取文件（{e}）。请确认文件存在、未被其他程序独占打开，然后重试"),
            ReadError::Empty => "文件是空的（0 字节）。请确认选对了文件，或在 Excel 中重新保存后再导入".into(),
            ReadError::TooLarge { size, limit } => format!(
                "文件大小为 {}，超过了 {} 的上限。请把数据拆分成几个较小的文件分别导入",
                human_bytes(*size),
                human_bytes(*limit)
            ),
            ReadError::NotASpreadsheet { detected } => format!(
                "这不是表格文件（看起来是{detected}）。请选择 Excel/WPS 表格（xlsx、xlsm、xlsb、xls）、ods 或 CSV 文件"
            ),
            ReadError::Disguised { detected } => format!(
                "这个文件虽然扩展名是表格，实际上是{detected}。请用 Excel 或 WPS 打开它，再“另存为”Excel 工作簿（.xlsx）后导入"
            ),
            ReadError::Encrypted => "文件已加密，请先在 Excel 中取消密码后另存，再导入".into(),
            ReadError::Truncated { .. } => {
                "文件不完整或已损坏（可能下载或复制时中断）。请重新获取文件，或用 Excel 打开后另存为 .xlsx 再导入".into()
            }
            ReadError::Corrupt { .. } => {
                "无法解析这个工作簿，文件可能已损坏。请用 Excel 或 WPS 打开后“另存为”.xlsx 再导入".into()
            }
            ReadError::ZipBomb { entry, declared, .. } => format!(
                "文件内部的“{entry}”解压后达 {}，超出安全上限，已拒绝打开。正常的表格不会这样；如确是数据，请拆分后再导入",
                human_bytes(*declared)
            ),
            ReadError::SheetNotFound { name, available } => format!(
                "找不到名为“{name}”的工作表。文件中的工作表有：{}",
                available.join("、")
            ),
            ReadError::TooManyRows { sheet, limit } => format!(
                "工作表“{sheet}”超过 {limit} 行数据，超出一次导入的上限。请按日期或批次拆分成多个文件分别导入"
            ),
            ReadError::SheetTooLarge { sheet, last_cell, .. } => format!(
                "工作表“{sheet}”的使用范围一直延伸到 {last_cell} 单元格，无法安全载入。通常是远处有一个多余的值：请删除 {last_cell} 附近多余的内容，或另存为 .xlsx 后再导入"
            ),
            ReadError::TooManyCells { sheets, limit, .. } => format!(
                "这个工作簿有 {sheets} 个工作表（包括指向同一份数据的重复工作表），打开时要展开超过 {limit} 个单元格，超出安全上限，已拒绝打开。请删除不需要的工作表，或在 Excel/WPS 中把要导入的工作表单独另存为 .xlsx 后再导入"
            ),
            ReadError::TooMuchText { limit, .. } => format!(
                "这个工作簿打开时单元格中的文字要展开超过 {}（例如大量重复的长文字或空格），超出安全上限，已拒绝打开。请在 Excel/WPS 中另存为 .xlsx 后再导入",
                human_bytes(*limit)
            ),
        };
        Message::new(zh, en)
    }
}

pub(crate) fn human_bytes(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if n >= 1024 * MIB {
        format!("{:.1} GB", n as f64 / (1024 * MIB) as f64)
    } else if n >= MIB {
        format!("{:.1} MB", n as f64 / MIB as f64)
    } else if n >= 1024 {
        format!("{:.1} KB", n as f64 / 1024.0)
    } else {
        format!("{n} 字节")
    }
}
