//! The shapes of spreadsheet import (`crate::import`) that the UI and the CLI see. Row numbers
//! and column letters are as Excel shows them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Page, ProblemSeverity};

/// What one spreadsheet row describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum ImportKind {
    /// 产品信息
    Product,
    /// 供应商与客户
    Party,
    /// 进货查验
    Receipt,
    /// 生产批次
    Batch,
    /// 一物一码单品
    Item,
    /// 销售出库 (one row per shipment line; rows with the same delivery note form one shipment)
    Shipment,
}

/// A spreadsheet opened for import. The session keeps the file in memory until it is closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportFileInfo {
    pub session_id: u32,
    pub path: String,
    pub file_name: String,
    /// `xlsx`, `xlsm`, `xlsb`, `xls`, `ods`, `csv` or `tsv`, from the content.
    pub format: String,
    /// For CSV/TSV: the detected text encoding (`UTF-8`, `GB18030`, …).
    pub encoding: Option<String>,
    #[ts(type = "number")]
    pub bytes: u64,
    /// Lower-case hex SHA-256 of the file.
    pub sha256: String,
    pub sheets: Vec<ImportSheetInfo>,
    /// Earlier imports of exactly this file that have not been undone, newest first.
    pub previous_runs: Vec<ImportRun>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportSheetInfo {
    pub name: String,
    /// Hidden sheets are listed too.
    pub visible: bool,
    /// The record kind the sheet's name suggests (`进货台账` → receipt), if any.
    pub guessed_kind: Option<ImportKind>,
}

/// Which sheet to preview for which kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportPreviewInput {
    pub session_id: u32,
    pub sheet: String,
    pub kind: ImportKind,
}

/// The first rows of a sheet, for confirming the header row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportPreview {
    pub sheet: String,
    /// Non-blank rows only, each with its cells from column A to the last used column.
    pub rows: Vec<ImportPreviewRow>,
    /// How many columns the widest row uses.
    pub columns: u32,
    /// The header row found automatically, `None` when no row names at least two fields.
    pub detected_header_row: Option<u32>,
    /// True when the sheet has more rows than shown.
    pub truncated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportPreviewRow {
    /// Excel row number.
    pub row: u32,
    /// Cell texts as Excel shows them (dates as `2025-03-04`), `""` for blank cells.
    pub cells: Vec<String>,
}

/// The clerk's choice for one column: a field key (`lot_no`), or `None` for "do not import".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportColumnChoice {
    /// Column letter, `A`…
    pub column: String,
    pub field: Option<String>,
}

/// Reads a sheet of the open file as records of one kind and checks them against the database.
/// Nothing is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportReadInput {
    pub session_id: u32,
    pub sheet: String,
    pub kind: ImportKind,
    /// The header row as the clerk confirmed it; `None` finds it automatically.
    #[serde(default)]
    pub header_row: Option<u32>,
    /// Changes to the automatic (or remembered) column mapping.
    #[serde(default)]
    pub mapping: Vec<ImportColumnChoice>,
    /// Create unknown suppliers, customers, products (and, for items, batches) on commit.
    #[serde(default)]
    pub create_missing: bool,
}

/// How a column was matched to its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ImportConfidence {
    /// The header is the field's name or a listed synonym.
    Exact,
    /// Equal after folding width, case, blanks, punctuation and bracketed units.
    Normalised,
    /// Similar spelling: the clerk should confirm.
    Fuzzy,
    /// Chosen by the clerk (now or for an earlier file with the same headers).
    Manual,
    Unmapped,
}

/// One column of the sheet and the field it is imported into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportColumn {
    pub column: String,
    pub header: String,
    /// Field key, e.g. `lot_no`; `None` when the column is not imported.
    pub field: Option<String>,
    pub confidence: ImportConfidence,
    /// A row counter such as 序号 or No.: never imported (shown as "忽略（行号）").
    pub row_counter: bool,
}

/// One field of a record kind, for the mapping dropdowns and the grid's columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportFieldInfo {
    pub key: String,
    /// The template's header, e.g. 生产批号.
    pub zh: String,
    pub en: String,
    pub required: bool,
    /// 必填 / 选填 / 与“商品条码”至少填一项.
    pub need_zh: String,
    /// How to fill it, from the template's 填表说明.
    pub hint_zh: String,
    pub hint_en: String,
}

/// One problem, located as Excel shows it. Codes come from the sheet reader (`date.invalid`,
/// `gtin.check-digit`, …) or from the checks against the database (`party.unknown`,
/// `record.exists`, …); the UI branches on `code`, never on the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportProblem {
    /// Excel row number; `None` for sheet-wide problems.
    pub row: Option<u32>,
    /// Column letter; `None` for whole-row or sheet-wide problems.
    pub column: Option<String>,
    /// The column's header as the file has it.
    pub header: Option<String>,
    /// Field key.
    pub field: Option<String>,
    pub severity: ProblemSeverity,
    pub code: String,
    pub message_zh: String,
    pub message_en: String,
    /// The cell's content as text.
    pub value: Option<String>,
}

/// What kind of record a row names that the database does not have yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ImportUnknownKind {
    Supplier,
    Customer,
    Product,
    Batch,
}

/// A supplier, customer, product or batch the sheet names and the database lacks. With
/// `createMissing` it is created on commit; `creatable` is false when the sheet lacks what
/// creating it needs (a product known only by its GTIN).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportUnknown {
    pub kind: ImportUnknownKind,
    pub name: String,
    /// How many rows name it.
    pub rows: u32,
    pub creatable: bool,
}

/// A sheet read and checked: the mapping, the counts and the sheet-wide problems. The rows are
/// fetched page by page with `import_rows`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportReport {
    pub session_id: u32,
    pub file_name: String,
    pub sheet: String,
    pub kind: ImportKind,
    /// `None` when no header was found (see `sheetProblems`).
    pub header_row: Option<u32>,
    /// Hash of the normalised headers: the key under which the mapping is remembered.
    pub signature: String,
    /// True when a mapping remembered for these headers was applied.
    pub remembered: bool,
    pub columns: Vec<ImportColumn>,
    pub fields: Vec<ImportFieldInfo>,
    pub rows_total: u32,
    /// Rows without errors: `rowsNew + rowsExisting`.
    pub rows_valid: u32,
    /// Valid rows that will create their record.
    pub rows_new: u32,
    /// Valid rows whose record is already in the database: skipped, never duplicated.
    pub rows_existing: u32,
    pub rows_invalid: u32,
    /// Rows with warnings (they are imported).
    pub rows_warning: u32,
    /// Rows changed in the problem grid.
    pub rows_edited: u32,
    pub sheet_problems: Vec<ImportProblem>,
    pub unknown: Vec<ImportUnknown>,
    pub create_missing: bool,
    /// Everything can be committed all-or-nothing: no errors anywhere.
    pub can_commit_all: bool,
    /// Some rows can be committed with "only the valid rows".
    pub can_commit_valid: bool,
    pub previous_runs: Vec<ImportRun>,
}

/// Which rows the grid lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ImportRowFilter {
    All,
    /// Rows with errors or warnings.
    Problems,
    Errors,
    Warnings,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportRowsQuery {
    pub session_id: u32,
    pub filter: ImportRowFilter,
    pub offset: u32,
    /// At most 5,000 rows per page.
    pub limit: u32,
}

/// What committing will do with a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ImportRowStatus {
    /// Creates its record.
    New,
    /// Its record is already in the database; skipped.
    Exists,
    /// Has errors; not imported.
    Invalid,
}

/// One field's value in a row, as text the clerk can edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportValue {
    pub field: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportRow {
    pub row: u32,
    pub status: ImportRowStatus,
    /// The mapped fields in template order: what was read, or the raw cell where it could not be.
    pub values: Vec<ImportValue>,
    pub problems: Vec<ImportProblem>,
    pub edited: bool,
}

/// A row as the clerk corrected it in the grid: every mapped field's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportFixInput {
    pub session_id: u32,
    pub row: u32,
    pub values: Vec<ImportValue>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportFixResult {
    pub row: ImportRow,
    pub report: ImportReport,
}

/// All-or-nothing, or only the rows without errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum ImportMode {
    All,
    ValidOnly,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportCommitInput {
    pub session_id: u32,
    pub mode: ImportMode,
    pub create_missing: bool,
}

/// What a commit did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportCommitResult {
    /// The recorded run; `None` when nothing was new (every row already on record).
    pub run: Option<ImportRun>,
    pub rows_imported: u32,
    pub rows_existing: u32,
    pub rows_skipped: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ImportRunStatus {
    Committed,
    Undone,
}

/// How many records of one table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportTableCount {
    /// `party`, `product`, `receipt`, `batch`, `item` or `shipment`.
    pub table: String,
    pub count: u32,
}

/// A committed import, undoable as a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportRun {
    #[ts(type = "number")]
    pub id: i64,
    pub kind: ImportKind,
    pub file_name: String,
    pub sha256: String,
    pub sheet: String,
    pub header_row: Option<u32>,
    pub mode: ImportMode,
    pub rows_total: u32,
    /// Rows that created their record.
    pub rows_imported: u32,
    /// Rows whose record already existed.
    pub rows_existing: u32,
    /// Rows left out for errors (valid-only mode).
    pub rows_skipped: u32,
    /// Records created, auto-created parties, products and batches included.
    pub created: Vec<ImportTableCount>,
    pub actor: String,
    pub duration_ms: u32,
    pub status: ImportRunStatus,
    /// UTC, ISO-8601.
    pub created_at: String,
    pub undone_at: Option<String>,
    pub undone_by: Option<String>,
    /// False once undone or once a record of it has been submitted.
    pub can_undo: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportUndoResult {
    pub run: ImportRun,
    pub deleted: Vec<ImportTableCount>,
    /// Suppliers, customers and products the import created that later records use: kept.
    pub kept: Vec<ImportTableCount>,
}

/// The step a long operation is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ImportStage {
    Open,
    Read,
    Check,
    Commit,
    Undo,
    Export,
}

/// Progress of a long import step, sent through a Tauri channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportProgress {
    pub stage: ImportStage,
    pub done: u32,
    /// 0 when not known yet.
    pub total: u32,
}

/// An import template written to disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportTemplate {
    pub kind: ImportKind,
    pub path: String,
}

/// A page of rows of the problem grid.
pub type ImportRowsPage = Page<ImportRow>;
