//! A label printer as the app knows it: its command language, resolution and label stock.

use serde::{Deserialize, Serialize};

use crate::error::LabelError;

/// The command language a printer understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PrinterLanguage {
    /// Zebra Programming Language II (Zebra, and the ZPL emulation of many others).
    Zpl,
    /// TSC's TSPL/TSPL2, which TSC prints natively and Xprinter, Deli (得力) and Godex (in their
    /// TSPL emulation) understand too.
    Tspl,
}

impl PrinterLanguage {
    /// The file extension of a job in this language.
    pub fn extension(self) -> &'static str {
        match self {
            PrinterLanguage::Zpl => "zpl",
            PrinterLanguage::Tspl => "tspl",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            PrinterLanguage::Zpl => "ZPL",
            PrinterLanguage::Tspl => "TSPL",
        }
    }
}

/// Print-head resolution. Thermal label printers come in 203 and 300 dpi; their dots are a
/// whole number per millimetre: 8 at 203 dpi (203.2 dpi exactly) and 12 at 300 dpi (304.8 dpi
/// exactly), as the ZPL II guide (^MU: 8 and 12 dots/mm) and the TSPL manual (SIZE: "200 DPI:
/// 1 mm = 8 dots, 300 DPI: 1 mm = 12 dots") both state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub enum Dpi {
    D203,
    D300,
}

impl Dpi {
    pub fn dots_per_mm(self) -> u32 {
        match self {
            Dpi::D203 => 8,
            Dpi::D300 => 12,
        }
    }

    pub fn value(self) -> u32 {
        match self {
            Dpi::D203 => 203,
            Dpi::D300 => 300,
        }
    }

    /// `mm` in whole dots, rounded to the nearest dot.
    pub fn dots(self, mm: f32) -> i32 {
        (mm * self.dots_per_mm() as f32).round() as i32
    }
}

impl From<Dpi> for u32 {
    fn from(d: Dpi) -> u32 {
        d.value()
    }
}

impl TryFrom<u32> for Dpi {
    type Error = LabelError;
    fn try_from(v: u32) -> Result<Dpi, LabelError> {
        match v {
            203 | 200 => Ok(Dpi::D203),
            300 => Ok(Dpi::D300),
            _ => Err(LabelError::BadProfile {
                field: "dpi",
                zh: format!("分辨率只能是 203 或 300 dpi，实为 {v}：请看打印机底部铭牌或自检页"),
                en: format!(
                    "dpi must be 203 or 300, got {v}: see the printer's rating plate or self-test page"
                ),
            }),
        }
    }
}

impl std::fmt::Display for Dpi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.value())
    }
}

/// How a symbol gets onto the label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BarcodeMode {
    /// The printer's own barcode commands (small jobs, printer-exact bars). GS1 QR and data the
    /// language cannot escape safely fall back to a bitmap (see the module notes).
    #[default]
    Native,
    /// Our own encoder's symbol sent as a 1-bit image: exactly what the PDF shows, on any
    /// printer, at the cost of bigger jobs.
    Bitmap,
}

/// A label printer and its label stock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrinterProfile {
    /// What the clerk calls it, e.g. "仓库 TSC 50×30".
    pub name: String,
    pub language: PrinterLanguage,
    pub dpi: Dpi,
    pub label_width_mm: f32,
    pub label_height_mm: f32,
    /// The gap between labels on the roll (0 for continuous stock or black-mark stock).
    pub gap_mm: f32,
    /// Moves everything printed right (x) and down (y) to correct a printer that prints off
    /// centre; negative values move left/up. The content stays inside the label.
    pub offset_x_mm: f32,
    pub offset_y_mm: f32,
    pub barcode: BarcodeMode,
}

/// Label stock sizes the checks accept, in mm: 4-inch printers print up to 104 mm wide; no
/// trace label is longer than a 4×6 inch shipping label.
const MIN_SIDE_MM: f32 = 10.0;
const MAX_WIDTH_MM: f32 = 108.0;
const MAX_HEIGHT_MM: f32 = 300.0;
const MAX_GAP_MM: f32 = 20.0;
const MAX_OFFSET_MM: f32 = 10.0;

impl PrinterProfile {
    /// The profile a new printer of this language starts from: 203 dpi, 50×30 mm labels with a
    /// 2 mm gap, the most common stock in Chinese factory offices.
    pub fn default_for(language: PrinterLanguage) -> Self {
        Self {
            name: format!("{} 203dpi 50×30", language.name()),
            language,
            dpi: Dpi::D203,
            label_width_mm: 50.0,
            label_height_mm: 30.0,
            gap_mm: 2.0,
            offset_x_mm: 0.0,
            offset_y_mm: 0.0,
            barcode: BarcodeMode::Native,
        }
    }

    /// Checks the numbers; the error names the field and says what is allowed.
    pub fn validate(&self) -> Result<(), LabelError> {
        let bad = |field, zh: String, en: String| Err(LabelError::BadProfile { field, zh, en });
        if self.name.trim().is_empty() || self.name.chars().count() > 60 {
            return bad(
                "name",
                "打印机配置名称不能为空，且不超过 60 个字".to_owned(),
                "the printer profile needs a name of 1 to 60 characters".to_owned(),
            );
        }
        let in_range = |v: f32, lo: f32, hi: f32| v.is_finite() && v >= lo && v <= hi;
        if !in_range(self.label_width_mm, MIN_SIDE_MM, MAX_WIDTH_MM) {
            return bad(
                "label_width_mm",
                format!(
                    "标签宽度应为 {MIN_SIDE_MM}–{MAX_WIDTH_MM} mm（4 英寸打印机最宽 104 mm），实为 {}",
                    self.label_width_mm
                ),
                format!(
                    "label width must be {MIN_SIDE_MM} to {MAX_WIDTH_MM} mm (4-inch printers print 104 mm wide), got {}",
                    self.label_width_mm
                ),
            );
        }
        if !in_range(self.label_height_mm, MIN_SIDE_MM, MAX_HEIGHT_MM) {
            return bad(
                "label_height_mm",
                format!(
                    "标签高度应为 {MIN_SIDE_MM}–{MAX_HEIGHT_MM} mm，实为 {}",
                    self.label_height_mm
                ),
                format!(
                    "label height must be {MIN_SIDE_MM} to {MAX_HEIGHT_MM} mm, got {}",
                    self.label_height_mm
                ),
            );
        }
        if !in_range(self.gap_mm, 0.0, MAX_GAP_MM) {
            return bad(
                "gap_mm",
                format!(
                    "标签间隙应为 0–{MAX_GAP_MM} mm（连续纸填 0），实为 {}",
                    self.gap_mm
                ),
                format!(
                    "gap must be 0 to {MAX_GAP_MM} mm (0 for continuous stock), got {}",
                    self.gap_mm
                ),
            );
        }
        for (field, v, w, axis_zh, axis_en) in [
            (
                "offset_x_mm",
                self.offset_x_mm,
                self.label_width_mm,
                "水平",
                "horizontal",
            ),
            (
                "offset_y_mm",
                self.offset_y_mm,
                self.label_height_mm,
                "垂直",
                "vertical",
            ),
        ] {
            if !in_range(v, -MAX_OFFSET_MM, MAX_OFFSET_MM) || v.abs() * 2.0 >= w {
                return bad(
                    field,
                    format!(
                        "{axis_zh}偏移应在 ±{MAX_OFFSET_MM} mm 以内且小于标签尺寸的一半，实为 {v}"
                    ),
                    format!(
                        "{axis_en} offset must be within ±{MAX_OFFSET_MM} mm and under half the label, got {v}"
                    ),
                );
            }
        }
        Ok(())
    }

    /// Label size in dots, `(width, height)`.
    pub fn label_dots(&self) -> (i32, i32) {
        (
            self.dpi.dots(self.label_width_mm),
            self.dpi.dots(self.label_height_mm),
        )
    }
}
