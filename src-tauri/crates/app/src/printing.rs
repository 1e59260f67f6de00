//! Label printers (标签打印机): profiles kept in the settings (key `printer_profiles`, a JSON
//! list), the OS printers, print jobs in the printer's language (ZPL / TSPL) or as a per-label
//! PDF, written to a file and optionally sent raw to an OS printer through `rawprint`, a test
//! label per profile, and the label data for BarTender / NiceLabel as CSV or xlsx.
//!
//! The jobs themselves come from `labels::printer_job` / `labels::label_pdf` (no IO); this
//! module picks the codes and the profile and does the file and printer IO.

use crate::messages::Msg;
use std::path::{Path, PathBuf};

use ::labels::{
    BarcodeMode, Dpi, LabelContent, PrinterLanguage, PrinterProfile, SymbolData, Symbology,
};
use rust_xlsxwriter::{Format, Workbook};
use sheets::safe::{CsvOut, write_text, write_text_with_format};

use crate::coding::format_of;
use crate::entries::{to_ymd, today};
use crate::labels::find_cjk_font;
use crate::{
    ApiError, App, BarcodeModeDto, ErrorCode, ExportFormat, LabelDataExportInput,
    LabelDataExportResult, PrintFormat, PrintLabelsInput, PrintLabelsResult, PrinterLanguageDto,
    PrinterProfileDto, Result, TestLabelInput,
};

/// The settings key of the saved profiles.
pub const KEY_PROFILES: &str = "printer_profiles";

/// Most profiles kept: a factory office has a handful of printers and label sizes.
const MAX_PROFILES: usize = 50;

fn language_of(l: PrinterLanguageDto) -> PrinterLanguage {
    match l {
        PrinterLanguageDto::Zpl => PrinterLanguage::Zpl,
        PrinterLanguageDto::Tspl => PrinterLanguage::Tspl,
    }
}

fn language_dto(l: PrinterLanguage) -> PrinterLanguageDto {
    match l {
        PrinterLanguage::Zpl => PrinterLanguageDto::Zpl,
        PrinterLanguage::Tspl => PrinterLanguageDto::Tspl,
    }
}

fn profile_error(e: &::labels::LabelError) -> ApiError {
    let field = match e {
        ::labels::LabelError::BadProfile { field, .. } => *field,
        _ => "profile",
    };
    ApiError::invalid(field, &e.message())
}

/// The labels crate's profile for a DTO, checked.
pub fn profile_of(dto: &PrinterProfileDto) -> Result<PrinterProfile> {
    let dpi = Dpi::try_from(dto.dpi).map_err(|e| profile_error(&e))?;
    let profile = PrinterProfile {
        name: dto.name.trim().to_owned(),
        language: language_of(dto.language),
        dpi,
        label_width_mm: dto.label_width_mm,
        label_height_mm: dto.label_height_mm,
        gap_mm: dto.gap_mm,
        offset_x_mm: dto.offset_x_mm,
        offset_y_mm: dto.offset_y_mm,
        barcode: match dto.barcode {
            BarcodeModeDto::Native => BarcodeMode::Native,
            BarcodeModeDto::Bitmap => BarcodeMode::Bitmap,
        },
    };
    profile.validate().map_err(|e| profile_error(&e))?;
    Ok(profile)
}

fn dto_of(p: &PrinterProfile, printer: &str, built_in: bool) -> PrinterProfileDto {
    PrinterProfileDto {
        name: p.name.clone(),
        language: language_dto(p.language),
        dpi: p.dpi.value(),
        label_width_mm: p.label_width_mm,
        label_height_mm: p.label_height_mm,
        gap_mm: p.gap_mm,
        offset_x_mm: p.offset_x_mm,
        offset_y_mm: p.offset_y_mm,
        barcode: match p.barcode {
            BarcodeMode::Native => BarcodeModeDto::Native,
            BarcodeMode::Bitmap => BarcodeModeDto::Bitmap,
        },
        printer: printer.to_owned(),
        built_in,
    }
}

/// The message for a printer that cannot be listed or sent to.
fn print_error(e: &rawprint::PrintError) -> ApiError {
    Msg::Relayed {
        code: ErrorCode::InvalidState,
        field: Some("printer".to_owned()),
        zh: e.message_zh().to_string(),
        en: e.to_string(),
    }
    .err()
}

/// The sample label of [`App::print_test_label`]: GS1's demo GTIN with a serial, so scanning it
/// proves the printer prints readable GS1 DataMatrix, and the size and resolution in text to
/// check position and scale.
pub fn test_label(profile: &PrinterProfile) -> LabelContent {
    LabelContent {
        symbol: SymbolData::gs1(
            Symbology::Gs1DataMatrix,
            [("01", "09520123456788"), ("21", "TEST0001")],
        ),
        title: "测试标签 TEST".to_owned(),
        subtitle: format!(
            "{}x{}mm {}dpi",
            profile.label_width_mm, profile.label_height_mm, profile.dpi
        ),
    }
}

/// Where a print job goes: its format (`None`: the profile's language), the OS printer
/// (`None`: the profile's; empty: none), the file (empty: a new one in `exports/`), the font for
/// PDF labels and the file name stem.
struct Target<'a> {
    format: Option<PrintFormat>,
    printer: Option<&'a str>,
    path: &'a str,
    font_path: Option<&'a str>,
    stem: &'a str,
}

impl App {
    fn stored_profiles(&self) -> Result<Vec<PrinterProfileDto>> {
        let Some(raw) = self.db().setting(KEY_PROFILES)? else {
            return Ok(Vec::new());
        };
        serde_json::from_str(&raw).map_err(|e| {
            Msg::PrinterProfilesUnreadable {
                error: e.to_string(),
            }
            .err()
        })
    }

    fn store_profiles(&self, list: &[PrinterProfileDto]) -> Result<()> {
        let json = serde_json::to_string(list).map_err(|e| {
            Msg::PrinterProfilesUnsaved {
                error: e.to_string(),
            }
            .err()
        })?;
        self.db().set_setting(KEY_PROFILES, &json)?;
        Ok(())
    }

    /// The saved profiles, then a built-in default for each language that has none saved.
    pub fn printer_profiles(&self) -> Result<Vec<PrinterProfileDto>> {
        let mut list = self.stored_profiles()?;
        for language in [PrinterLanguage::Tspl, PrinterLanguage::Zpl] {
            if !list.iter().any(|p| language_of(p.language) == language) {
                list.push(dto_of(&PrinterProfile::default_for(language), "", true));
            }
        }
        Ok(list)
    }

    /// One profile by name (saved or built-in).
    pub fn printer_profile(&self, name: &str) -> Result<PrinterProfileDto> {
        let list = self.printer_profiles()?;
        let name = name.trim();
        list.iter()
            .find(|p| p.name == name)
            .cloned()
            .ok_or_else(|| {
                let names: Vec<&str> = list.iter().map(|p| p.name.as_str()).collect();
                Msg::PrinterProfileUnknown {
                    name: name.to_string(),
                    names_zh: names.join("、"),
                    names_en: names.join(", "),
                }
                .err()
            })
    }

    /// Saves a profile (replacing one of the same name) after checking it.
    pub fn save_printer_profile(&self, dto: &PrinterProfileDto) -> Result<PrinterProfileDto> {
        let profile = profile_of(dto)?;
        let saved = dto_of(&profile, dto.printer.trim(), false);
        let mut list = self.stored_profiles()?;
        match list.iter_mut().find(|p| p.name == saved.name) {
            Some(existing) => *existing = saved.clone(),
            None => {
                if list.len() >= MAX_PROFILES {
                    return Err(Msg::TooManyPrinterProfiles { max: MAX_PROFILES }.err());
                }
                list.push(saved.clone());
            }
        }
        self.store_profiles(&list)?;
        Ok(saved)
    }

    /// Deletes a saved profile.
    pub fn delete_printer_profile(&self, name: &str) -> Result<()> {
        let mut list = self.stored_profiles()?;
        let before = list.len();
        list.retain(|p| p.name != name.trim());
        if list.len() == before {
            return Err(Msg::PrinterProfileNotSaved {
                name: name.trim().to_string(),
            }
            .err());
        }
        self.store_profiles(&list)
    }

    fn spooler(&self) -> rawprint::Spooler {
        match &self.config().cups_server {
            Some(server) => rawprint::Spooler::cups_server(server.clone()),
            None => rawprint::Spooler::system(),
        }
    }

    /// The printers of this computer (CUPS queues, Windows printers).
    pub fn os_printers(&self) -> Result<Vec<String>> {
        self.spooler().printers().map_err(|e| print_error(&e))
    }

    /// Renders labels for a profile and writes the job; sends it when a printer is given.
    fn print_contents(
        &self,
        contents: Vec<LabelContent>,
        dto: &PrinterProfileDto,
        target: Target<'_>,
    ) -> Result<PrintLabelsResult> {
        let Target {
            format,
            printer,
            path,
            font_path,
            stem,
        } = target;
        let mut profile = profile_of(dto)?;
        let format = format.unwrap_or(match profile.language {
            PrinterLanguage::Zpl => PrintFormat::Zpl,
            PrinterLanguage::Tspl => PrintFormat::Tspl,
        });
        let labels = contents.len() as u32;
        let (bytes, ext, omitted, fallbacks) = match format {
            PrintFormat::Zpl | PrintFormat::Tspl => {
                profile.language = if format == PrintFormat::Zpl {
                    PrinterLanguage::Zpl
                } else {
                    PrinterLanguage::Tspl
                };
                // Chinese text is drawn from the CJK font the PDF labels use; without one it is
                // left out (and counted), the symbol and HRI still print.
                let font = match font_path.filter(|p| !p.trim().is_empty()) {
                    Some(p) => Some(find_cjk_font(Some(Path::new(p)))?),
                    None => find_cjk_font(None).ok(),
                };
                let job = match &font {
                    Some(f) => {
                        ::labels::printer_job_with_font(contents, &profile, &f.bytes, f.index)
                    }
                    None => ::labels::printer_job(contents, &profile),
                }
                .map_err(|e| ApiError::invalid("profile", &e.message()))?;
                (
                    job.bytes,
                    profile.language.extension(),
                    job.omitted_text_lines as u32,
                    job.bitmap_fallbacks as u32,
                )
            }
            PrintFormat::PdfLabel => {
                let font =
                    find_cjk_font(font_path.filter(|p| !p.trim().is_empty()).map(Path::new))?;
                let pdf = ::labels::label_pdf(
                    contents,
                    profile.label_width_mm,
                    profile.label_height_mm,
                    &font.bytes,
                    font.index,
                )
                .map_err(|e| ApiError::invalid("profile", &e.message()))?;
                (pdf, "pdf", 0, 0)
            }
        };
        let path = match path.trim() {
            "" => self.new_export_file(stem, ext)?,
            given => PathBuf::from(given),
        };
        std::fs::write(&path, &bytes).map_err(|e| ApiError::cannot_write(&path, e))?;
        let printer = match printer {
            Some(p) => p.trim().to_owned(),
            None => dto.printer.trim().to_owned(),
        };
        let reply = if printer.is_empty() {
            None
        } else {
            let title = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| stem.to_owned());
            let raw = format != PrintFormat::PdfLabel;
            Some(
                self.spooler()
                    .send(&printer, &path, &title, raw)
                    .map_err(|e| print_error(&e))?,
            )
        };
        Ok(PrintLabelsResult {
            path: path.display().to_string(),
            format,
            labels,
            bytes: bytes.len() as u64,
            omitted_text_lines: omitted,
            bitmap_fallbacks: fallbacks,
            printer: reply.as_ref().map(|_| printer),
            printer_reply: reply,
        })
    }

    /// Prints labels for a ledger range, a code list or the given codes with a saved profile:
    /// writes the ZPL / TSPL / per-label PDF job (into `exports/` unless a path is given) and
    /// sends it raw to the OS printer when one is given (or set in the profile).
    pub fn print_labels(&self, input: &PrintLabelsInput) -> Result<PrintLabelsResult> {
        let dto = match &input.custom_profile {
            Some(custom) => custom.clone(),
            None => self.printer_profile(&input.profile)?,
        };
        let (stem, codes) = self.codes_to_label(
            input.allocation_id,
            input.input_path.as_deref(),
            &input.codes,
        )?;
        let contents = self.label_contents(&codes, input.symbology)?;
        self.print_contents(
            contents,
            &dto,
            Target {
                format: input.format,
                printer: input.printer.as_deref(),
                path: &input.path,
                font_path: input.font_path.as_deref(),
                stem: &stem,
            },
        )
    }

    /// One sample label ([`test_label`]) for a profile.
    pub fn print_test_label(&self, input: &TestLabelInput) -> Result<PrintLabelsResult> {
        let dto = self.printer_profile(&input.profile)?;
        let profile = profile_of(&dto)?;
        self.print_contents(
            vec![test_label(&profile)],
            &dto,
            Target {
                format: input.format,
                printer: input.printer.as_deref(),
                path: &input.path,
                font_path: input.font_path.as_deref(),
                stem: "测试标签",
            },
        )
    }

    /// The label data for BarTender / NiceLabel: one row per code with the data as scanned (GS
    /// for each separator FNC1), the HRI with parentheses, GTIN, lot, serial, expiry, product
    /// name and Digital Link URI. Text cells go through `sheets::safe` like every export.
    pub fn export_label_data(&self, input: &LabelDataExportInput) -> Result<LabelDataExportResult> {
        let (stem, codes) = self.codes_to_label(
            input.allocation_id,
            input.input_path.as_deref(),
            &input.codes,
        )?;
        let rows = self.label_data_rows(&codes)?;
        let (path, format) = match input.path.trim() {
            "" => {
                let format = input.format.unwrap_or(ExportFormat::Csv);
                let ext = match format {
                    ExportFormat::Csv => "csv",
                    ExportFormat::Xlsx => "xlsx",
                };
                (self.new_export_file(&format!("{stem}-数据"), ext)?, format)
            }
            given => {
                let path = PathBuf::from(given);
                let format = format_of(&path, input.format);
                (path, format)
            }
        };
        write_rows(&path, format, &rows)?;
        Ok(LabelDataExportResult {
            path: path.display().to_string(),
            format,
            rows: rows.len() as u32,
            columns: LABEL_DATA_COLUMNS.iter().map(|c| (*c).to_owned()).collect(),
        })
    }

    fn label_data_rows(&self, codes: &[String]) -> Result<Vec<[String; 9]>> {
        let today = to_ymd(today());
        let db = self.db();
        let mut rows = Vec::with_capacity(codes.len());
        for (n, code) in codes.iter().enumerate() {
            let text = code.trim();
            let report = codes::check(text, today);
            if !report.valid {
                let first = crate::labels::first_error(&report);
                return Err(ApiError {
                    message_zh: format!("第 {} 个码 {text}：{}", n + 1, first.zh),
                    message_en: format!("code {} ({text}): {}", n + 1, first.en),
                    ..ApiError::invalid("code", &first)
                });
            }
            let field = |ai: &str| report.fields.get(ai).cloned().unwrap_or_default();
            let gs1 = matches!(
                report.scheme,
                codes::CodeKind::Gs1ElementString
                    | codes::CodeKind::Gs1DigitalLink
                    | codes::CodeKind::Gtin
            );
            let (scanned, hri, link) = if gs1 {
                let elements = crate::labels::gs1_elements(&report);
                let scanned = ::labels::gs1::element_string(&elements)
                    .map_err(|e| ApiError::invalid("code", &e.message()))?;
                let hri: String = elements
                    .iter()
                    .map(|(ai, v)| format!("({ai}){v}"))
                    .collect();
                let link = if report.scheme == codes::CodeKind::Gs1DigitalLink
                    && text
                        .get(..4)
                        .is_some_and(|h| h.eq_ignore_ascii_case("http"))
                {
                    text.to_owned()
                } else {
                    let pairs: Vec<(&str, &str)> = elements
                        .iter()
                        .map(|(a, v)| (a.as_str(), v.as_str()))
                        .collect();
                    codes::gs1::element::ElementString::from_pairs(&pairs, today)
                        .ok()
                        .and_then(|es| codes::gs1::digital_link::build(&es, None).ok())
                        .unwrap_or_default()
                };
                (scanned, hri, link)
            } else {
                (text.to_owned(), text.to_owned(), String::new())
            };
            let product = match report.fields.get("01") {
                Some(g) => store::products::by_gtin(db.conn(), &crate::products::gtin_forms(g))?,
                None => match store::ledger::trace_code_by_text(db.conn(), text)? {
                    Some(t) => store::products::get(db.conn(), t.product_id)?,
                    None => None,
                },
            };
            rows.push([
                scanned,
                hri,
                field("01"),
                field("10"),
                field("21"),
                field("17"),
                product.map(|p| p.fields.name).unwrap_or_default(),
                link,
                text.to_owned(),
            ]);
        }
        Ok(rows)
    }
}

/// The columns of the label-data export, in English so label software binds them by name
/// (BarTender and NiceLabel database fields): the data as scanned, the HRI, GTIN, lot (10),
/// serial (21), expiry (17, YYMMDD), product name, Digital Link URI, and the code as stored.
pub const LABEL_DATA_COLUMNS: [&str; 9] = [
    "data",
    "hri",
    "gtin",
    "lot",
    "serial",
    "expiry",
    "product_name",
    "digital_link",
    "code",
];

fn write_rows(path: &Path, format: ExportFormat, rows: &[[String; 9]]) -> Result<()> {
    match format {
        ExportFormat::Csv => {
            let file = std::fs::File::create(path).map_err(|e| ApiError::cannot_write(path, e))?;
            let mut out = CsvOut::new(file, 64 * 1024);
            let io = |e: std::io::Error| ApiError::cannot_write(path, e);
            out.text_record(&LABEL_DATA_COLUMNS).map_err(io)?;
            for row in rows {
                let fields: Vec<&str> = row.iter().map(String::as_str).collect();
                out.text_record(&fields).map_err(io)?;
            }
            out.finish().and_then(|f| f.sync_all()).map_err(io)
        }
        ExportFormat::Xlsx => {
            let xlsx = |e: rust_xlsxwriter::XlsxError| ApiError::cannot_write(path, e);
            let mut workbook = Workbook::new();
            let bold = Format::new().set_bold();
            let ws = workbook.add_worksheet();
            ws.set_name("标签数据").map_err(xlsx)?;
            for (col, name) in LABEL_DATA_COLUMNS.iter().enumerate() {
                write_text_with_format(ws, 0, col as u16, name, &bold).map_err(xlsx)?;
                ws.set_column_width(col as u16, if col < 2 { 40 } else { 18 })
                    .map_err(xlsx)?;
            }
            for (r, row) in rows.iter().enumerate() {
                for (col, value) in row.iter().enumerate() {
                    write_text(ws, r as u32 + 1, col as u16, value).map_err(xlsx)?;
                }
            }
            workbook.save(path).map_err(xlsx)
        }
    }
}

#[cfg(test)]
#[path = "printing_tests.rs"]
mod tests;
