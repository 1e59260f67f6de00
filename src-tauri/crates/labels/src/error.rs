//! Errors, with a Chinese and English message for the UI.

use std::fmt;

use codes::Message;

use crate::symbol::Symbology;

/// Largest module size [`to_png`](crate::to_png) accepts, in pixels: the renderer's limit, kept
/// here with the error that names it so that this module does not depend on the renderer.
pub const MAX_MODULE_PX: u32 = 100;

/// What is wrong with one GS1 element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gs1Problem {
    /// The AI is not 2–4 digits, or not the length its prefix requires.
    BadAi,
    EmptyValue,
    /// A character no symbol here can carry as GS1 data (space, control, non-ASCII).
    BadChar {
        ch: char,
        pos: usize,
    },
    /// A predefined-length AI with a value of another length.
    FixedLength {
        expected: usize,
        got: usize,
    },
}

impl fmt::Display for Gs1Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Gs1Problem::BadAi => f.write_str("not a valid application identifier"),
            Gs1Problem::EmptyValue => f.write_str("empty value"),
            Gs1Problem::BadChar { ch, pos } => {
                write!(f, "character {ch:?} at position {pos} cannot be encoded")
            }
            Gs1Problem::FixedLength { expected, got } => {
                write!(f, "value must be {expected} characters, got {got}")
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LabelError {
    #[error("no data to encode")]
    Empty,
    #[error("{symbology} cannot carry {content} content")]
    ContentMismatch {
        symbology: Symbology,
        content: &'static str,
    },
    #[error("gs1 element {index} ({ai}): {problem}")]
    Gs1Element {
        index: usize,
        ai: String,
        problem: Gs1Problem,
    },
    #[error("gs1 element string has a misplaced separator or bad character at position {pos}")]
    BadElementString { pos: usize },
    #[error("character {ch:?} at position {pos} cannot be encoded in {symbology}")]
    UnsupportedChar {
        symbology: Symbology,
        ch: char,
        pos: usize,
    },
    #[error("ean-13 needs 13 digits, got {got}")]
    Ean13Length { got: usize },
    #[error("ean-13 check digit is {found}, expected {expected}")]
    Ean13CheckDigit { expected: u8, found: u8 },
    #[error("data too long for {symbology}")]
    TooLong { symbology: Symbology },
    #[error("module size must be 1 to {max} px, got {got}", max = MAX_MODULE_PX)]
    BadModuleSize { got: u32 },
    #[error("image would be {width}×{height} px, over the limit")]
    ImageTooLarge { width: u64, height: u64 },
    #[error("png encoding failed: {0}")]
    Png(String),
    #[error("layout {field} must be a finite number in range")]
    BadLayout { field: &'static str },
    #[error(
        "{cols} columns of {w} mm labels need {n} mm, the page has {a} mm between the margins",
        w = mm(.label_w_mm), n = mm(.needed_mm), a = mm(.available_mm)
    )]
    TooWide {
        label_w_mm: f32,
        label_h_mm: f32,
        cols: u32,
        needed_mm: f32,
        available_mm: f32,
    },
    #[error(
        "{rows} rows of {h} mm labels need {n} mm, the page has {a} mm between the margins",
        h = mm(.label_h_mm), n = mm(.needed_mm), a = mm(.available_mm)
    )]
    TooTall {
        label_w_mm: f32,
        label_h_mm: f32,
        rows: u32,
        needed_mm: f32,
        available_mm: f32,
    },
    #[error(
        "a {w}×{h} mm label is too small for this {symbology}",
        w = mm(.label_w_mm), h = mm(.label_h_mm)
    )]
    LabelTooSmall {
        label_w_mm: f32,
        label_h_mm: f32,
        symbology: Symbology,
    },
    #[error("font {index} cannot be read from the font data")]
    Font { index: u32 },
    #[error("no labels to print")]
    NoLabels,
    #[error("label {number}: {source}")]
    Label {
        /// 1-based, as the user counts.
        number: usize,
        source: Box<LabelError>,
    },
    #[error("pdf writing failed: {0}")]
    Pdf(String),
    #[error("printer profile {field}: {en}")]
    BadProfile {
        field: &'static str,
        zh: String,
        en: String,
    },
    #[error("{symbology} encoder failed: {detail}")]
    Encoder {
        symbology: Symbology,
        detail: String,
    },
}

/// `60`, `62.5`: millimetres as people write them.
pub(crate) fn mm(value: &f32) -> String {
    let rounded = (*value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

impl LabelError {
    /// The message for a person, in Chinese and English.
    pub fn message(&self) -> Message {
        let en = self.to_string();
        let zh = match self {
            LabelError::Empty => "没有要编码的数据".to_owned(),
            LabelError::ContentMismatch { symbology, content } => match *content {
                "gs1" => format!("{} 不能承载 GS1 数据，请改用 GS1-128", symbology.name_zh()),
                _ => format!(
                    "{} 只能承载 GS1 数据（应用标识符 + 值）",
                    symbology.name_zh()
                ),
            },
            LabelError::Gs1Element { index, ai, problem } => {
                let what = match problem {
                    Gs1Problem::BadAi => "不是有效的应用标识符".to_owned(),
                    Gs1Problem::EmptyValue => "值为空".to_owned(),
                    Gs1Problem::BadChar { ch, pos } => {
                        format!("第 {} 个字符“{ch}”不能编入条码", pos + 1)
                    }
                    Gs1Problem::FixedLength { expected, got } => {
                        format!("值应为 {expected} 位，实为 {got} 位")
                    }
                };
                format!("第 {} 个 GS1 数据元（{ai}）：{what}", index + 1)
            }
            LabelError::BadElementString { pos } => {
                format!("GS1 数据串第 {} 个字符处的分隔符或字符有误", pos + 1)
            }
            LabelError::UnsupportedChar { symbology, ch, pos } => format!(
                "第 {} 个字符“{ch}”不能编入{}，请只使用英文字母、数字和常用符号",
                pos + 1,
                symbology.name_zh()
            ),
            LabelError::Ean13Length { got } if *got > 13 => {
                format!("数据太长：EAN-13 只能容纳 13 位数字，实为 {got} 位")
            }
            LabelError::Ean13Length { got } => {
                format!("EAN-13 需要 13 位数字（GTIN-13），实为 {got} 位")
            }
            LabelError::Ean13CheckDigit { expected, found } => {
                format!("EAN-13 校验位应为 {expected}，实为 {found}")
            }
            LabelError::TooLong { symbology } => {
                format!("数据太长，{}放不下，请减少编码内容", symbology.name_zh())
            }
            LabelError::BadModuleSize { got } => {
                format!("模块大小应为 1–{} 像素，实为 {got}", MAX_MODULE_PX)
            }
            LabelError::ImageTooLarge { width, height } => {
                format!("图片将达 {width}×{height} 像素，超出上限，请减小模块大小")
            }
            LabelError::Png(_) => "生成 PNG 图片失败".to_owned(),
            LabelError::BadLayout { field } => format!("标签版式中的“{field}”数值无效"),
            LabelError::TooWide {
                label_w_mm,
                label_h_mm,
                cols,
                needed_mm,
                available_mm,
            } => {
                let gaps = if (needed_mm - label_w_mm * *cols as f32).abs() > 0.05 {
                    format!("（含列间距共 {}mm）", mm(needed_mm))
                } else {
                    String::new()
                };
                format!(
                    "标签尺寸 {}×{}mm × {cols} 列{gaps}超出 A4 可用宽度 {}mm，请减少列数或缩小标签",
                    mm(label_w_mm),
                    mm(label_h_mm),
                    mm(available_mm)
                )
            }
            LabelError::TooTall {
                label_w_mm,
                label_h_mm,
                rows,
                needed_mm,
                available_mm,
            } => {
                let gaps = if (needed_mm - label_h_mm * *rows as f32).abs() > 0.05 {
                    format!("（含行间距共 {}mm）", mm(needed_mm))
                } else {
                    String::new()
                };
                format!(
                    "标签尺寸 {}×{}mm × {rows} 行{gaps}超出 A4 可用高度 {}mm，请减少行数或缩小标签",
                    mm(label_w_mm),
                    mm(label_h_mm),
                    mm(available_mm)
                )
            }
            LabelError::LabelTooSmall {
                label_w_mm,
                label_h_mm,
                symbology,
            } => format!(
                "标签 {}×{}mm 太小，放不下可扫描的{}，请加大标签或减少编码内容",
                mm(label_w_mm),
                mm(label_h_mm),
                symbology.name_zh()
            ),
            LabelError::Font { index } => {
                format!("无法读取字体文件（第 {index} 个字体），请选择其他中文字体")
            }
            LabelError::NoLabels => "没有要打印的标签".to_owned(),
            LabelError::Label { number, source } => {
                format!("第 {number} 个标签：{}", source.message().zh)
            }
            LabelError::Pdf(_) => "生成 PDF 失败".to_owned(),
            LabelError::BadProfile { zh, .. } => zh.clone(),
            LabelError::Encoder { symbology, .. } => {
                format!("{}生成失败", symbology.name_zh())
            }
        };
        Message { zh, en }
    }
}
