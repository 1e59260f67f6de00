//! The shapes of coding (赋码): code forms, the serial ledger, generation, labels, void and
//! reprint (coding.rs, labels.rs). Counts of codes are `u64`/`i64` in Rust and `number` in TypeScript: a ledger range
//! stays far below 2^53.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{CodeScheme, Granularity, ProblemSeverity};

/// How a GS1 code is written: a GS1 element string (`(01)…(21)…`) or a GS1 Digital Link URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum CodeForm {
    ElementString,
    DigitalLink,
}

/// How 一物一码 serials are made: counted up from a pattern, or random and non-guessable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum SerialMode {
    Sequential,
    Random,
}

/// A product's coding settings, with what it has issued so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProductCoding {
    #[ts(type = "number")]
    pub product_id: i64,
    pub name: String,
    pub model: String,
    pub gtin: Option<String>,
    pub scheme: CodeScheme,
    pub granularity: Granularity,
    pub code_form: CodeForm,
    /// Digital Link stem (scheme and host, optionally a path), default `https://id.gs1.org`.
    pub dl_stem: String,
    pub serial_mode: SerialMode,
    /// codes::serial pattern of sequential serials, e.g. `{seq:08}` or `A{yyMMdd}{seq:06}`.
    pub serial_pattern: String,
    /// Length of random serials (8–20).
    pub random_length: u32,
    /// 一物一码 codes also carry the lot (10).
    pub item_with_lot: bool,
    /// Batch and item codes carry the production date (11).
    pub with_production_date: bool,
    /// When set, batch and item codes carry an expiry date (17) this many days after production.
    pub shelf_life_days: Option<u32>,
    /// Codes issued so far (ledger serials plus trace codes).
    #[ts(type = "number")]
    pub issued: i64,
    /// True once the product has codes: its scheme and granularity can no longer change.
    pub granularity_locked: bool,
}

/// What the clerk may change in a product's coding settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProductCodingInput {
    /// `None` keeps the granularity; a change is refused once the product has codes.
    #[serde(default)]
    pub granularity: Option<Granularity>,
    pub code_form: CodeForm,
    pub dl_stem: String,
    pub serial_mode: SerialMode,
    pub serial_pattern: String,
    pub random_length: u32,
    pub item_with_lot: bool,
    pub with_production_date: bool,
    #[serde(default)]
    pub shelf_life_days: Option<u32>,
}

/// A batch as the coding screen lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CodingBatch {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub product_id: i64,
    pub lot_no: String,
    pub produced_on: String,
    pub quantity: f64,
    pub unit: String,
    /// Codes issued for this batch so far.
    #[ts(type = "number")]
    pub issued: i64,
}

/// File format of a code list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

/// Generate codes for a product (and batch) and write them to a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CodeGenerateInput {
    #[ts(type = "number")]
    pub product_id: i64,
    /// Required for 一批一码 and 一物一码.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub batch_id: Option<i64>,
    #[ts(type = "number")]
    pub count: u64,
    /// Where to write the list.
    pub path: String,
    /// `None`: from the file extension (`.xlsx`, otherwise CSV).
    #[serde(default)]
    pub format: Option<ExportFormat>,
    /// Names the run for [`App::cancel_generation`](crate::App::cancel_generation).
    #[serde(default)]
    pub job_id: Option<String>,
}

/// Where a generation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum GeneratePhase {
    /// Reserving serials in the ledger (random serials are drawn and recorded here).
    Reserving,
    /// Writing the list.
    Writing,
    Done,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CodeGenerateProgress {
    pub phase: GeneratePhase,
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

/// What a generation did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CodeGenerateSummary {
    /// The ledger range (一物一码 GS1 serials); `None` for codes without serials.
    #[ts(type = "number | null")]
    pub allocation_id: Option<i64>,
    #[ts(type = "number")]
    pub product_id: i64,
    #[ts(type = "number | null")]
    pub batch_id: Option<i64>,
    pub lot_no: Option<String>,
    pub granularity: Granularity,
    pub code_form: CodeForm,
    /// Codes written to the file.
    #[ts(type = "number")]
    pub count: u64,
    pub first_code: Option<String>,
    pub last_code: Option<String>,
    pub first_serial: Option<String>,
    pub last_serial: Option<String>,
    pub path: String,
    pub format: ExportFormat,
    pub elapsed_ms: f64,
    /// The clerk stopped it: the file was removed. Serials already reserved stay used.
    pub cancelled: bool,
}

/// A few codes as they will look, without reserving anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CodePreview {
    pub granularity: Granularity,
    pub scheme: CodeScheme,
    pub code_form: CodeForm,
    pub codes: Vec<PreviewCode>,
    /// For imported schemes (Ecode, 数字身份码): how many codes are available.
    #[ts(type = "number | null")]
    pub available: Option<i64>,
    /// What the preview shows, for the clerk (e.g. "random serials are drawn anew when generating").
    pub note_zh: String,
    pub note_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PreviewCode {
    pub code: String,
    /// Human-readable interpretation, one line per element for GS1.
    pub hri: String,
    pub serial: Option<String>,
}

/// The barcode symbology of a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum LabelSymbology {
    Qr,
    Datamatrix,
    #[serde(rename = "gs1-128")]
    Gs1_128,
    Ean13,
    Code128,
}

/// Preview one code as a label symbol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LabelPreviewInput {
    pub code: String,
    pub symbology: LabelSymbology,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LabelPreview {
    /// A standalone SVG document.
    pub svg: String,
    pub symbology: LabelSymbology,
    /// What a scanner sends: the AIM identifier (`]Q3`, `]d2`, …) and the data, GS shown as `<GS>`.
    pub scanned_as: String,
    pub hri: String,
    /// Product name and model or lot, when the code names one of our products.
    pub title: String,
    pub subtitle: String,
}

/// Print labels as A4 sheets (PDF).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LabelSheetInput {
    /// Codes from a ledger range …
    #[serde(default)]
    #[ts(type = "number | null")]
    pub allocation_id: Option<i64>,
    /// … or from a list written by `code generate` (CSV or text, one code per line) …
    #[serde(default)]
    pub input_path: Option<String>,
    /// … or these codes.
    #[serde(default)]
    pub codes: Vec<String>,
    pub symbology: LabelSymbology,
    pub label_width_mm: f32,
    pub label_height_mm: f32,
    pub cols: u32,
    pub rows: u32,
    pub margin_mm: f32,
    /// The PDF to write.
    pub path: String,
    /// A font with Chinese glyphs; `None` looks for Noto Sans CJK or Microsoft YaHei.
    #[serde(default)]
    pub font_path: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LabelSheetResult {
    pub path: String,
    pub labels: u32,
    pub pages: u32,
    pub font: String,
}

/// The verdict on one typed or scanned code (`codes::check`), for the 码检查 box.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CodeCheck {
    pub valid: bool,
    /// `gs1-element-string`, `gs1-digital-link`, `gtin`, `ecode` (also an Ecode lookup URL, with
    /// `host` and `url`), `ccc-cert`, `uscc`, `digital-id` or `unknown`.
    pub scheme: String,
    /// GS1 AIs (`01`, `10`, `21`, …) or the scheme's named fields, and `symbology` for scans.
    pub fields: std::collections::BTreeMap<String, String>,
    pub problems: Vec<CodeCheckProblem>,
    /// The other kind the text could be when detection had to choose (`gtin` for digits that
    /// start like an Ecode and are also a valid GTIN, `ecode` for a GTIN that fits Ecode V1).
    pub alternative: Option<String>,
    /// The corrected text when the fix is certain (a Digital Link's GTIN padded to 14 digits).
    pub suggestion: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CodeCheckProblem {
    pub ai: Option<String>,
    /// 1-based character position in the text as given.
    pub position: Option<u32>,
    /// Stable code such as `gs1.check-digit`.
    pub code: String,
    pub severity: ProblemSeverity,
    pub message_zh: String,
    pub message_en: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum CodeEventKind {
    Void,
    Reprint,
}

/// Void or reprint one code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CodeEventInput {
    pub code: String,
    pub reason: String,
}

/// A logged void or reprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CodeEvent {
    #[ts(type = "number")]
    pub id: i64,
    pub kind: CodeEventKind,
    pub code: String,
    #[ts(type = "number")]
    pub product_id: i64,
    pub product_name: String,
    #[ts(type = "number | null")]
    pub batch_id: Option<i64>,
    pub lot_no: Option<String>,
    #[ts(type = "number | null")]
    pub item_id: Option<i64>,
    pub reason: String,
    pub actor: String,
    pub at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum AllocationState {
    /// Reserved; the list was being written when the program stopped.
    Allocated,
    Exported,
    Cancelled,
}

/// One ledger range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Allocation {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub product_id: i64,
    #[ts(type = "number | null")]
    pub batch_id: Option<i64>,
    pub lot_no: Option<String>,
    #[ts(type = "number")]
    pub count: i64,
    pub serial_mode: SerialMode,
    /// Sequential ranges only.
    pub first_serial: Option<String>,
    pub last_serial: Option<String>,
    pub code_form: CodeForm,
    pub state: AllocationState,
    pub exported_to: Option<String>,
    pub actor: String,
    pub created_at: String,
}

/// Bind Ecode / 数字身份码 codes issued by their platform to a product, a batch or its items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportCodesInput {
    #[ts(type = "number")]
    pub product_id: i64,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub batch_id: Option<i64>,
    /// A text or CSV file with one code per line (first column; a header line is skipped).
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportCodesReport {
    /// Codes bound; 0 when any line has an error (nothing is imported then).
    #[ts(type = "number")]
    pub imported: u64,
    #[ts(type = "number")]
    pub lines: u64,
    pub problems: Vec<ImportCodeProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportCodeProblem {
    /// 1-based line in the file.
    pub line: u32,
    pub code: String,
    pub severity: ProblemSeverity,
    pub message_zh: String,
    pub message_en: String,
}
