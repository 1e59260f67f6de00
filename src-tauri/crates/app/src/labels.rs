//! Labels: a code as a barcode symbol (SVG preview) and A4 label sheets (PDF) with the product's
//! Chinese name, through the `labels` crate. This module picks the symbol for a code, finds a
//! font with Chinese glyphs, and reads and writes the files; `labels` does the encoding and the
//! layout without any IO.

use crate::messages::Msg;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ::labels::{Content, LabelContent, RenderOptions, SheetLayout, SymbolData, Symbology};
use codes::{CodeKind, CodeReport};

use crate::coding::read_code_list;
use crate::entries::{to_ymd, today};
use crate::products::gtin_forms;
use crate::{
    ApiError, App, LabelPreview, LabelPreviewInput, LabelSheetInput, LabelSheetResult,
    LabelSymbology, Result,
};

/// Most labels one PDF holds: a print run is split beyond this (the PDF is built in memory).
pub const MAX_LABELS: usize = 10_000;

/// Fonts with Chinese glyphs, in the order they are tried, with the face index of Simplified
/// Chinese in a collection.
const FONT_CANDIDATES: &[(&str, u32)] = &[
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
    (
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
        2,
    ),
    (
        "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
        0,
    ),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("C:\\Windows\\Fonts\\msyh.ttc", 0),
    ("C:\\Windows\\Fonts\\msyh.ttf", 0),
    ("C:\\Windows\\Fonts\\simhei.ttf", 0),
    ("C:\\Windows\\Fonts\\simsun.ttc", 0),
    ("/System/Library/Fonts/PingFang.ttc", 0),
    ("/System/Library/Fonts/STHeiti Medium.ttc", 0),
];

/// A font file with Chinese glyphs, read into memory.
pub struct CjkFont {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    pub index: u32,
}

/// The font for label text: `explicit` when given (face 0, or `path#N` for face N of a
/// collection), otherwise the first of Noto Sans CJK, Microsoft YaHei and the like that exists.
pub fn find_cjk_font(explicit: Option<&Path>) -> Result<CjkFont> {
    if let Some(path) = explicit {
        let text = path.to_string_lossy();
        let (file, index) = match text.rsplit_once('#') {
            Some((file, n)) if n.parse::<u32>().is_ok() => {
                (PathBuf::from(file), n.parse().unwrap_or(0))
            }
            _ => (path.to_path_buf(), 0),
        };
        let bytes = std::fs::read(&file).map_err(|e| {
            Msg::FontUnreadable {
                file: file.to_path_buf(),
                error: e.to_string(),
            }
            .err()
        })?;
        return Ok(CjkFont {
            path: file,
            bytes,
            index,
        });
    }
    for (candidate, index) in FONT_CANDIDATES {
        let path = Path::new(candidate);
        if let Ok(bytes) = std::fs::read(path) {
            return Ok(CjkFont {
                path: path.to_path_buf(),
                bytes,
                index: *index,
            });
        }
    }
    Err(Msg::NoChineseFont.err())
}

fn label_error(err: &::labels::LabelError, field: &str) -> ApiError {
    ApiError::invalid(field, &err.message())
}

fn symbology_of(s: LabelSymbology) -> Symbology {
    match s {
        LabelSymbology::Qr => Symbology::Qr,
        LabelSymbology::Datamatrix => Symbology::Gs1DataMatrix,
        LabelSymbology::Gs1_128 => Symbology::Gs1_128,
        LabelSymbology::Ean13 => Symbology::Ean13,
        LabelSymbology::Code128 => Symbology::Code128,
    }
}

/// The GS1 elements of a report, predefined-length AIs first (they need no separator), each
/// group in AI order: `(01)(11)(17)(10)(21)`, as codes::gs1::compose orders them.
pub(crate) fn gs1_elements(report: &CodeReport) -> Vec<(String, String)> {
    let mut elements: Vec<(String, String)> = report
        .fields
        .iter()
        .filter(|(k, _)| {
            (2..=4).contains(&k.len())
                && k.bytes().all(|b| b.is_ascii_digit())
                && codes::gs1::ai::lookup(k).is_some()
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    elements.sort_by_key(|(ai, _)| !::labels::gs1::is_predefined_length(ai));
    elements
}

/// The first error a code check found, for a message about an invalid code.
pub(crate) fn first_error(report: &CodeReport) -> codes::Message {
    report
        .problems
        .iter()
        .find(|p| p.is_error())
        .map(|p| p.message.clone())
        .unwrap_or_else(|| codes::Message::new("编码有误", "the code is not valid"))
}

/// What to print for `text` in `symbology`.
fn symbol_data(text: &str, symbology: LabelSymbology) -> Result<(SymbolData, CodeReport)> {
    let text = text.trim();
    let report = codes::check(text, to_ymd(today()));
    if !report.valid {
        return Err(ApiError::invalid("code", &first_error(&report)));
    }
    let sym = symbology_of(symbology);
    let data = match report.scheme {
        CodeKind::Gs1ElementString | CodeKind::Gs1DigitalLink | CodeKind::Gtin => {
            let elements = gs1_elements(&report);
            if elements.is_empty() {
                return Err(Msg::LabelNoGs1Data.err());
            }
            match symbology {
                LabelSymbology::Qr
                    if report.scheme == CodeKind::Gs1DigitalLink
                        && text
                            .get(..4)
                            .is_some_and(|h| h.eq_ignore_ascii_case("http")) =>
                {
                    SymbolData {
                        symbology: Symbology::Qr,
                        content: Content::Text(text.to_owned()),
                        hri: ::labels::gs1::hri(&elements),
                    }
                }
                LabelSymbology::Qr | LabelSymbology::Datamatrix | LabelSymbology::Gs1_128 => {
                    SymbolData::gs1(sym, elements)
                }
                LabelSymbology::Ean13 => {
                    let gtin13 = elements
                        .iter()
                        .find(|(ai, _)| ai == "01")
                        .and_then(|(_, v)| v.strip_prefix('0'))
                        .filter(|_| elements.len() == 1);
                    match gtin13 {
                        Some(g) => SymbolData::text(Symbology::Ean13, g),
                        None => {
                            return Err(Msg::Ean13OnlyGtin.err());
                        }
                    }
                }
                LabelSymbology::Code128 => {
                    return Err(Msg::Gs1NeedsGs1_128.err());
                }
            }
        }
        CodeKind::Ecode | CodeKind::DigitalId => match symbology {
            LabelSymbology::Qr | LabelSymbology::Code128 => SymbolData::text(sym, text),
            _ => {
                return Err(Msg::EcodeNeedsQrOrCode128.err());
            }
        },
        _ => {
            return Err(Msg::NotATraceCode.err());
        }
    };
    Ok((data, report))
}

/// The product name and the model / lot line for a code, when it names one of our products.
struct Titles {
    cache: HashMap<String, Option<(String, String)>>,
}

impl Titles {
    fn new() -> Titles {
        Titles {
            cache: HashMap::new(),
        }
    }

    fn of(
        &mut self,
        conn: &store::Connection,
        code: &str,
        report: &CodeReport,
    ) -> Result<(String, String)> {
        let key = report
            .fields
            .get("01")
            .cloned()
            .unwrap_or_else(|| code.trim().to_owned());
        if !self.cache.contains_key(&key) {
            let product = match report.fields.get("01") {
                Some(g) => store::products::by_gtin(conn, &gtin_forms(g))?,
                None => match store::ledger::trace_code_by_text(conn, code.trim())? {
                    Some(t) => store::products::get(conn, t.product_id)?,
                    None => None,
                },
            };
            self.cache.insert(
                key.clone(),
                product.map(|p| (p.fields.name, p.fields.model)),
            );
        }
        let (name, model) = self.cache[&key].clone().unwrap_or_default();
        let mut subtitle = model;
        if let Some(lot) = report.fields.get("10") {
            if !subtitle.is_empty() {
                subtitle.push_str("  ");
            }
            subtitle.push_str(&format!("批号 {lot}"));
        }
        Ok((name, subtitle))
    }
}

impl App {
    /// One code as a symbol: an SVG with the human-readable text, and what a scanner will send.
    pub fn label_preview(&self, input: &LabelPreviewInput) -> Result<LabelPreview> {
        let (data, report) = symbol_data(&input.code, input.symbology)?;
        let symbol = ::labels::encode(&data).map_err(|e| label_error(&e, "code"))?;
        let svg = ::labels::to_svg(&symbol, &RenderOptions::default());
        let (title, subtitle) = Titles::new().of(self.db().conn(), &input.code, &report)?;
        Ok(LabelPreview {
            svg,
            symbology: input.symbology,
            scanned_as: format!(
                "{}{}",
                symbol.symbology_identifier(),
                symbol.transmitted().replace('\u{1d}', "<GS>")
            ),
            hri: symbol.hri().to_owned(),
            title,
            subtitle,
        })
    }

    /// The codes to label: a ledger range, a code list file, or the given codes; with the file
    /// stem for what is written. At most [`MAX_LABELS`].
    pub(crate) fn codes_to_label(
        &self,
        allocation_id: Option<i64>,
        input_path: Option<&str>,
        given: &[String],
    ) -> Result<(String, Vec<String>)> {
        let mut stem = "标签".to_owned();
        let codes: Vec<String> = if let Some(id) = allocation_id {
            let (coder, codes) = self.allocation_codes(id, MAX_LABELS as u64 + 1)?;
            stem = coder.file_stem("标签");
            codes
        } else if let Some(path) = input_path.filter(|p| !p.trim().is_empty()) {
            read_code_list(Path::new(path.trim()))?
                .into_iter()
                .map(|(_, code)| code)
                .collect()
        } else {
            given.to_vec()
        };
        if codes.is_empty() {
            return Err(Msg::NothingToPrint.err());
        }
        if codes.len() > MAX_LABELS {
            return Err(Msg::TooManyLabels { max: MAX_LABELS }.err());
        }
        Ok((stem, codes))
    }

    /// What each label shows: the symbol for the code, the product name and model / lot.
    pub(crate) fn label_contents(
        &self,
        codes: &[String],
        symbology: LabelSymbology,
    ) -> Result<Vec<LabelContent>> {
        let mut contents = Vec::with_capacity(codes.len());
        let db = self.db();
        let mut titles = Titles::new();
        for (n, code) in codes.iter().enumerate() {
            let (symbol, report) = symbol_data(code, symbology).map_err(|e| ApiError {
                message_zh: format!("第 {} 个码 {code}：{}", n + 1, e.message_zh),
                message_en: format!("code {} ({code}): {}", n + 1, e.message_en),
                ..e
            })?;
            let (title, subtitle) = titles.of(db.conn(), code, &report)?;
            contents.push(LabelContent {
                symbol,
                title,
                subtitle,
            });
        }
        Ok(contents)
    }

    /// Writes an A4 PDF of labels for a ledger range, a code list file, or the given codes.
    pub fn label_sheet(&self, input: &LabelSheetInput) -> Result<LabelSheetResult> {
        let (stem, codes) = self.codes_to_label(
            input.allocation_id,
            input.input_path.as_deref(),
            &input.codes,
        )?;
        let layout = SheetLayout {
            margin_mm: [input.margin_mm; 4],
            ..SheetLayout::a4(
                input.label_width_mm,
                input.label_height_mm,
                input.cols,
                input.rows,
            )
        };
        layout.validate().map_err(|e| label_error(&e, "layout"))?;
        let contents = self.label_contents(&codes, input.symbology)?;
        let font = find_cjk_font(
            input
                .font_path
                .as_deref()
                .filter(|p| !p.trim().is_empty())
                .map(Path::new),
        )?;
        let pdf = ::labels::sheet_pdf(contents, &layout, &font.bytes, font.index)
            .map_err(|e| label_error(&e, "layout"))?;
        let path = match input.path.trim() {
            "" => self.new_export_file(&stem, "pdf")?,
            given => PathBuf::from(given),
        };
        std::fs::write(&path, pdf).map_err(|e| crate::ApiError::cannot_write(&path, e))?;
        let per_page = layout.per_page() as usize;
        Ok(LabelSheetResult {
            path: path.display().to_string(),
            labels: codes.len() as u32,
            pages: codes.len().div_ceil(per_page) as u32,
            font: font.path.display().to_string(),
        })
    }
}
