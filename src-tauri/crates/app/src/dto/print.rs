//! The shapes of label printing (标签打印机): printer profiles, OS printers, print jobs and the
//! label-data export for BarTender / NiceLabel.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{ExportFormat, LabelSymbology};

/// The command language of a label printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum PrinterLanguageDto {
    /// Zebra (ZPL II).
    Zpl,
    /// TSC, and Xprinter / Deli / Godex in TSPL emulation.
    Tspl,
}

/// How symbols are sent: the printer's barcode commands, or our symbol as an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum BarcodeModeDto {
    Native,
    Bitmap,
}

/// A label printer and its label stock, saved by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PrinterProfileDto {
    pub name: String,
    pub language: PrinterLanguageDto,
    /// 203 or 300.
    pub dpi: u32,
    pub label_width_mm: f32,
    pub label_height_mm: f32,
    /// Gap between labels; 0 for continuous stock.
    pub gap_mm: f32,
    /// Moves the print right / down (negative: left / up), to correct an off-centre printer.
    pub offset_x_mm: f32,
    pub offset_y_mm: f32,
    pub barcode: BarcodeModeDto,
    /// The OS printer (CUPS queue / Windows printer name) this profile prints to by default;
    /// empty for none.
    #[serde(default)]
    pub printer: String,
    /// A built-in default (one per language), shown until a profile of that language is saved;
    /// ignored when saving.
    #[serde(default)]
    pub built_in: bool,
}

/// What `print_labels` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum PrintFormat {
    Zpl,
    Tspl,
    /// One label per page, the page exactly the label (for the printer's system driver).
    PdfLabel,
}

/// Print labels on a label printer: codes from a ledger range, a code list or the given codes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PrintLabelsInput {
    #[serde(default)]
    #[ts(type = "number | null")]
    pub allocation_id: Option<i64>,
    #[serde(default)]
    pub input_path: Option<String>,
    #[serde(default)]
    pub codes: Vec<String>,
    pub symbology: LabelSymbology,
    /// The profile's name …
    #[serde(default)]
    pub profile: String,
    /// … or a profile as given, not saved (the CLI's `--dpi`, `--label-size`, … flags).
    #[serde(default)]
    pub custom_profile: Option<PrinterProfileDto>,
    /// `None`: the profile's language.
    #[serde(default)]
    pub format: Option<PrintFormat>,
    /// Send to this OS printer; `None` uses the profile's printer; empty string saves only.
    #[serde(default)]
    pub printer: Option<String>,
    /// The file to write; empty for a new file in the data folder's `exports/`.
    #[serde(default)]
    pub path: String,
    /// A font with Chinese glyphs (the product name is drawn from it, also in ZPL/TSPL jobs);
    /// `None` looks for Noto Sans CJK / YaHei.
    #[serde(default)]
    pub font_path: Option<String>,
}

/// One sample label for a profile, to check size, position and darkness.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TestLabelInput {
    pub profile: String,
    #[serde(default)]
    pub format: Option<PrintFormat>,
    #[serde(default)]
    pub printer: Option<String>,
    #[serde(default)]
    pub path: String,
    #[serde(default)]
    pub font_path: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PrintLabelsResult {
    /// The job file that was written (and sent, when `printer` is set).
    pub path: String,
    pub format: PrintFormat,
    pub labels: u32,
    #[ts(type = "number")]
    pub bytes: u64,
    /// Text lines (the Chinese product name) left out of a ZPL/TSPL job because no font with
    /// Chinese glyphs was found to draw them (printer fonts have none).
    pub omitted_text_lines: u32,
    /// Symbols sent as images in native mode (GS1 QR; data the language cannot escape).
    pub bitmap_fallbacks: u32,
    /// The OS printer it was sent to.
    pub printer: Option<String>,
    /// What the system said (CUPS: `request id is …`).
    pub printer_reply: Option<String>,
}

/// Label data for BarTender / NiceLabel / 中琅 and the like: one row per code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LabelDataExportInput {
    #[serde(default)]
    #[ts(type = "number | null")]
    pub allocation_id: Option<i64>,
    #[serde(default)]
    pub input_path: Option<String>,
    #[serde(default)]
    pub codes: Vec<String>,
    /// Empty for a new file in `exports/`.
    #[serde(default)]
    pub path: String,
    /// `None`: from the extension (`.xlsx`, otherwise CSV).
    #[serde(default)]
    pub format: Option<ExportFormat>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LabelDataExportResult {
    pub path: String,
    pub format: ExportFormat,
    pub rows: u32,
    /// The column headers, in order.
    pub columns: Vec<String>,
}
