//! The arguments of `tracedesk label` and the small parsers `code` and `printer` both use: a leaf
//! module, so that the label command (in `code`) can hand printing to `printer` without the two
//! modules depending on each other.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Symbology {
    Qr,
    Datamatrix,
    #[value(name = "gs1-128")]
    Gs1_128,
    Ean13,
    Code128,
}

#[derive(Debug, Args)]
pub struct LabelArgs {
    /// 码清单（code generate 写出的 CSV/文本）the list written by `code generate`
    #[arg(long = "in")]
    pub input: PathBuf,
    /// 码制 symbology
    #[arg(long, value_enum)]
    pub symbology: Symbology,
    /// 输出文件（不写则放在数据目录 exports/）output file (default: a new file in exports/)
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// 输出格式：pdf A4 标签页；pdf-label 每页一张（驱动打印）；zpl 斑马；tspl TSC/芯烨/得力/科诚；
    /// csv/xlsx 给 BarTender/NiceLabel 的标签数据 output: pdf A4 sheets; pdf-label one label per
    /// page; zpl (Zebra); tspl (TSC, Xprinter, Deli, Godex); csv/xlsx label data for BarTender
    #[arg(long, value_enum)]
    pub format: Option<LabelFormat>,
    /// 标签尺寸 宽x高 mm label size WxH in mm (default 50x30)
    #[arg(long)]
    pub label_size: Option<String>,
    /// 每页 列x行 labels per page, columns x rows (pdf)
    #[arg(long, default_value = "3x8")]
    pub grid: String,
    /// 页边距 mm page margin in mm (pdf)
    #[arg(long, default_value_t = 10.0)]
    pub margin: f32,
    /// 字体文件（含中文），集合可写 PATH#序号 a font with Chinese glyphs (PATH#N for face N)
    #[arg(long)]
    pub font: Option<PathBuf>,
    /// 打印机配置名称（printer add 保存的）a saved printer profile
    #[arg(long)]
    pub profile: Option<String>,
    /// 打印头分辨率 203 或 300 print-head resolution, 203 or 300
    #[arg(long)]
    pub dpi: Option<u32>,
    /// 标签间隙 mm（连续纸 0）gap between labels in mm (0: continuous)
    #[arg(long)]
    pub gap: Option<f32>,
    /// 打印偏移 X,Y mm（正数向右/向下）print offset X,Y in mm (right/down)
    #[arg(long, allow_hyphen_values = true)]
    pub offset: Option<String>,
    /// 条码方式：native 打印机指令 / bitmap 图像 barcodes as printer commands or as images
    #[arg(long, value_enum)]
    pub barcode: Option<BarcodeArg>,
    /// 直接发送到系统打印机（CUPS 队列 / Windows 打印机名）send to this OS printer
    #[arg(long)]
    pub printer: Option<String>,
}

impl LabelArgs {
    /// The code list, as the app takes it.
    pub fn input_path(&self) -> Option<String> {
        Some(self.input.display().to_string())
    }

    /// The output file, as the app takes it: empty for a new file in exports/.
    pub fn out_path(&self) -> String {
        self.out
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    }

    /// The font file, as the app takes it.
    pub fn font_path(&self) -> Option<String> {
        self.font.as_ref().map(|p| p.display().to_string())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LabelFormat {
    Pdf,
    #[value(name = "pdf-label")]
    PdfLabel,
    Zpl,
    Tspl,
    Csv,
    Xlsx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BarcodeArg {
    Native,
    Bitmap,
}

pub(crate) fn bad_input(zh: String, en: String) -> app::ApiError {
    app::ApiError::new(app::ErrorCode::InvalidInput, zh, en)
}

/// `50x30` → (50.0, 30.0); also accepts `×` and `*`.
pub(crate) fn pair<T: std::str::FromStr>(
    text: &str,
    what_zh: &str,
    what_en: &str,
) -> app::Result<(T, T)> {
    let parts: Vec<&str> = text.split(['x', 'X', '×', '*']).map(str::trim).collect();
    match parts.as_slice() {
        [a, b] => match (a.parse(), b.parse()) {
            (Ok(a), Ok(b)) => Ok((a, b)),
            _ => Err(bad_input(
                format!("{what_zh}应写成“宽x高”，例如 50x30，当前为“{text}”"),
                format!("{what_en} is written WxH, e.g. 50x30, got {text:?}"),
            )),
        },
        _ => Err(bad_input(
            format!("{what_zh}应写成“宽x高”，例如 50x30，当前为“{text}”"),
            format!("{what_en} is written WxH, e.g. 50x30, got {text:?}"),
        )),
    }
}

pub(crate) fn symbology_of(s: Symbology) -> app::LabelSymbology {
    match s {
        Symbology::Qr => app::LabelSymbology::Qr,
        Symbology::Datamatrix => app::LabelSymbology::Datamatrix,
        Symbology::Gs1_128 => app::LabelSymbology::Gs1_128,
        Symbology::Ean13 => app::LabelSymbology::Ean13,
        Symbology::Code128 => app::LabelSymbology::Code128,
    }
}
