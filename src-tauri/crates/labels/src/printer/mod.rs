//! Jobs for thermal label printers in their own command languages: ZPL (Zebra) and TSPL (TSC,
//! and Xprinter, Deli and Godex in TSPL emulation). Pure: labels and a [`PrinterProfile`] in,
//! job bytes out; sending them to a printer is the app's business.
//!
//! Each label shows what the PDF label shows: the symbol, the HRI and the product name and
//! second line, placed on the printer's dot grid ([`layout`]), at 8 dots/mm (203 dpi) or
//! 12 dots/mm (300 dpi).
//!
//! Symbols: in [`BarcodeMode::Native`] the printer draws them with its own barcode commands
//! (ZPL ^BX, ^BQ, ^BC, ^BE; TSPL DMATRIX, QRCODE, BARCODE); in [`BarcodeMode::Bitmap`] our own
//! encoder's modules go as a 1-bit image (ZPL ^GFA, TSPL BITMAP). Native mode still sends a
//! bitmap for what a language cannot say exactly:
//! - GS1 QR (FNC1 in first position) and QR of non-ASCII text: neither ^BQ nor QRCODE documents
//!   FNC1 or an ECI, so the printer would print a plain QR that scans without `]Q3`;
//! - in TSPL, Code 128 data containing `!` (the 128M escape character, which has no documented
//!   escape for itself) or control characters; in ZPL, control characters.
//!
//! Text: printer fonts have Latin glyphs only (a Chinese font would have to be downloaded to the
//! printer, which many Xprinter/Deli models cannot store). ASCII lines use the printer's font;
//! lines with Chinese text — usually the product name — are drawn from the caller's CJK font as
//! 1-bit images ([`printer_job_with_font`], module `glyphs`), or without a font left out and
//! counted in [`PrinterJob::omitted_text_lines`] (the lot, serial and expiry are still on the
//! label in the HRI).

mod bitmap;
pub(crate) mod glyphs;
mod layout;
mod profile;
mod tspl;
mod zpl;

pub use profile::{BarcodeMode, Dpi, PrinterLanguage, PrinterProfile};

use bitmap::{Bitmap, symbol_bitmap};
use layout::{FontSize, Mark};

use crate::code128::{self, Item, Op};
use crate::error::LabelError;
use crate::gs1::GS;
use crate::sheet::LabelContent;
use crate::symbol::{Symbol, Symbology};

/// A job for a printer, and what the clerk should know about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrinterJob {
    /// The bytes to send to the printer as they are (raw). ZPL jobs are ASCII text; TSPL jobs
    /// are ASCII text with binary BITMAP data when there are bitmaps.
    pub bytes: Vec<u8>,
    pub labels: usize,
    /// Text lines left out because printer fonts have no Chinese glyphs.
    pub omitted_text_lines: usize,
    /// Symbols sent as bitmaps although native mode was asked for.
    pub bitmap_fallbacks: usize,
}

/// The printer-native form of a symbol's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Native {
    /// GS1 DataMatrix: the element string, GS for each separator.
    DataMatrix(String),
    /// Plain QR of ASCII text.
    Qr(String),
    /// Code 128 / GS1-128 as our code-set plan (start, switches, FNC1, data).
    Code128(Vec<Op>),
    /// EAN-13: the first 12 digits (printers add the check digit).
    Ean13(String),
}

/// What the printer can draw itself, before language-specific limits.
pub(crate) fn native_of(symbol: &Symbol) -> Option<Native> {
    let data = symbol.transmitted();
    match symbol.symbology() {
        Symbology::Gs1DataMatrix => Some(Native::DataMatrix(data.to_owned())),
        Symbology::Qr if symbol.symbology_identifier() == "]Q1" && data.is_ascii() => {
            Some(Native::Qr(data.to_owned()))
        }
        Symbology::Qr => None,
        Symbology::Gs1_128 => {
            let items: Vec<Item> = std::iter::once(Item::Fnc1)
                .chain(data.chars().map(|c| {
                    if c == GS {
                        Item::Fnc1
                    } else {
                        Item::Char(c as u8)
                    }
                }))
                .collect();
            code128::plan(&items).map(Native::Code128)
        }
        Symbology::Code128 => {
            let items: Vec<Item> = data.bytes().map(Item::Char).collect();
            code128::plan(&items).map(Native::Code128)
        }
        Symbology::Ean13 => data.get(..12).map(|d| Native::Ean13(d.to_owned())),
    }
}

/// Where a symbol goes on the dot grid: the top-left corner of its first module, its module
/// (narrow bar) and the bar height of a linear symbol, all in dots (see [`Mark::Symbol`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct SymbolAt {
    pub x: i32,
    pub y: i32,
    pub module: i32,
    pub bar_h: i32,
}

/// What a printer language writes for each mark of a label.
pub(crate) trait Language {
    /// A 1-bit image with its top-left corner at (x, y).
    fn image(&mut self, x: i32, y: i32, bitmap: &Bitmap);
    /// A line of ASCII text in the printer's font.
    fn text(&mut self, x: i32, y: i32, size: &FontSize, text: &str);
    /// The language's own command drawing `native` at `at`, or `None` when it cannot say the
    /// symbol exactly (the symbol then goes as an image).
    fn native(&self, native: Native, symbol: &Symbol, at: SymbolAt) -> Option<String>;
    /// Writes a command [`Language::native`] made.
    fn symbol(&mut self, at: SymbolAt, command: &str);
}

/// Writes the marks of one label in `language`: symbols with the printer's own commands in
/// native mode where the language can say them, as images otherwise. Returns how many symbols
/// fell back to an image although native mode was asked for.
pub(crate) fn write_marks(
    language: &mut impl Language,
    profile: &PrinterProfile,
    marks: &[Mark],
) -> usize {
    let mut fallbacks = 0;
    for mark in marks {
        match mark {
            Mark::Image { x, y, bitmap } => language.image(*x, *y, bitmap),
            Mark::Text { x, y, size, text } => language.text(*x, *y, size, text),
            Mark::Symbol {
                symbol,
                x,
                y,
                module,
                bar_h,
            } => {
                let at = SymbolAt {
                    x: *x,
                    y: *y,
                    module: *module,
                    bar_h: *bar_h,
                };
                let native = match profile.barcode {
                    BarcodeMode::Native => {
                        native_of(symbol).and_then(|n| language.native(n, symbol, at))
                    }
                    BarcodeMode::Bitmap => None,
                };
                match native {
                    Some(command) => language.symbol(at, &command),
                    None => {
                        if profile.barcode == BarcodeMode::Native {
                            fallbacks += 1;
                        }
                        let bitmap = symbol_bitmap(symbol, *module as usize, *bar_h as usize);
                        language.image(*x, *y, &bitmap);
                    }
                }
            }
        }
    }
    fallbacks
}

/// A job printing each label once, in order. Chinese text is left out (see the module notes);
/// [`printer_job_with_font`] draws it.
pub fn printer_job(
    labels: impl IntoIterator<Item = LabelContent>,
    profile: &PrinterProfile,
) -> Result<PrinterJob, LabelError> {
    job(labels, profile, None)
}

/// [`printer_job`] with Chinese text drawn as images from `font` (a TrueType/OpenType font or
/// collection with Chinese glyphs, face `font_index`), the font the PDF labels use.
pub fn printer_job_with_font(
    labels: impl IntoIterator<Item = LabelContent>,
    profile: &PrinterProfile,
    font: &[u8],
    font_index: u32,
) -> Result<PrinterJob, LabelError> {
    let glyphs =
        glyphs::GlyphRaster::new(font, font_index).ok_or(LabelError::Font { index: font_index })?;
    job(labels, profile, Some(&glyphs))
}

fn job(
    labels: impl IntoIterator<Item = LabelContent>,
    profile: &PrinterProfile,
    glyphs: Option<&glyphs::GlyphRaster<'_>>,
) -> Result<PrinterJob, LabelError> {
    profile.validate()?;
    let mut job = PrinterJob {
        bytes: Vec::new(),
        labels: 0,
        omitted_text_lines: 0,
        bitmap_fallbacks: 0,
    };
    if profile.language == PrinterLanguage::Tspl {
        tspl::header(&mut job.bytes, profile);
    }
    for (index, label) in labels.into_iter().enumerate() {
        let placed = layout::place(&label, profile, glyphs).map_err(|e| LabelError::Label {
            number: index + 1,
            source: Box::new(e),
        })?;
        job.omitted_text_lines += placed.omitted_lines;
        job.bitmap_fallbacks += match profile.language {
            PrinterLanguage::Zpl => zpl::label(&mut job.bytes, profile, &placed.marks),
            PrinterLanguage::Tspl => tspl::label(&mut job.bytes, profile, &placed.marks),
        };
        job.labels += 1;
    }
    if job.labels == 0 {
        return Err(LabelError::NoLabels);
    }
    Ok(job)
}
