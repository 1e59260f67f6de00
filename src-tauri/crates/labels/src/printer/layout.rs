//! Where things go on one label, in whole printer dots: the same arrangement as the PDF labels
//! (2D symbol left with the text to its right; linear symbols across with text above and the
//! HRI under), but on the dot grid, so every module is a whole number of dots and the printer
//! never has to round a bar.

use crate::encode::encode;
use crate::error::LabelError;
use crate::sheet::LabelContent;
use crate::symbol::{Modules, Symbol, Symbology};

use super::bitmap::Bitmap;
use super::glyphs::GlyphRaster;
use super::profile::{PrinterLanguage, PrinterProfile};

/// Smallest module, in mm: the same limit as the PDF (under 0.2 mm, 203/300 dpi heads cannot
/// hold bar widths); on the dot grid it becomes 2 dots at 203 dpi and 3 at 300 dpi.
const MIN_MODULE_MM: f32 = 0.2;
/// Widest module of linear symbols, in mm (150 % of EAN-13's nominal 0.33 mm).
const MAX_LINEAR_MODULE_MM: f32 = 0.5;
/// Shortest bars, in mm.
const MIN_BAR_MM: f32 = 5.0;
/// Padding inside the label, in mm.
const PAD_MM: f32 = 1.0;

/// A printer font size: the printer's built-in Latin font, so ASCII only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FontSize {
    /// TSPL font name ("1" … "4"); unused in ZPL.
    pub tspl_font: &'static str,
    /// Character cell, dots: the advance we plan with and the height.
    pub char_w: i32,
    pub char_h: i32,
}

/// Sizes from largest to smallest. TSPL's bitmap fonts 1–4 are 8×12, 12×20, 16×24 and 24×32
/// dots whatever the resolution (TSPL manual, TEXT). ZPL's scalable font 0 is drawn at any
/// height; its widest characters (digits, capitals) advance about 0.6 of the height, which is
/// the width we plan with.
pub(crate) fn font_sizes(language: PrinterLanguage, dots_per_mm: i32) -> Vec<FontSize> {
    match language {
        PrinterLanguage::Tspl => vec![
            FontSize {
                tspl_font: "4",
                char_w: 24,
                char_h: 32,
            },
            FontSize {
                tspl_font: "3",
                char_w: 16,
                char_h: 24,
            },
            FontSize {
                tspl_font: "2",
                char_w: 12,
                char_h: 20,
            },
            FontSize {
                tspl_font: "1",
                char_w: 8,
                char_h: 12,
            },
        ],
        PrinterLanguage::Zpl => [3.0, 2.5, 2.0, 1.5]
            .iter()
            .map(|mm| {
                let h = (mm * dots_per_mm as f32).round() as i32;
                FontSize {
                    tspl_font: "",
                    char_w: (h * 3 + 4) / 5,
                    char_h: h,
                }
            })
            .collect(),
    }
}

/// One thing on a label.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Mark {
    /// A symbol; (x, y) is the top-left corner of its first module (quiet zones are left free
    /// around it), `module` its module (narrow bar) in dots, `bar_h` the bar height of a
    /// linear symbol in dots.
    Symbol {
        symbol: Symbol,
        x: i32,
        y: i32,
        module: i32,
        bar_h: i32,
    },
    /// Text drawn from the caller's font (Chinese), as an image; (x, y) its top-left corner.
    Image { x: i32, y: i32, bitmap: Bitmap },
    /// ASCII text; (x, y) is the top-left corner of the first character cell.
    Text {
        x: i32,
        y: i32,
        size: FontSize,
        text: String,
    },
}

/// The marks of one label, and how many text lines were left out because printer fonts have
/// no Chinese glyphs and no font was given to draw them.
pub(crate) struct Placed {
    pub marks: Vec<Mark>,
    pub omitted_lines: usize,
}

/// Printer fonts carry ASCII only: lines with other characters are left out.
fn printable(line: &str) -> bool {
    line.chars().all(|c| c.is_ascii_graphic() || c == ' ')
}

fn too_small(profile: &PrinterProfile, symbology: Symbology) -> LabelError {
    LabelError::LabelTooSmall {
        label_w_mm: profile.label_width_mm,
        label_h_mm: profile.label_height_mm,
        symbology,
    }
}

/// The largest font at which every line fits in `width` dots and all of them in `height`
/// dots (line pitch 1.2 × char height); else the smallest, with the lines that fit.
fn fit_text(lines: &[Line], sizes: &[FontSize], width: i32, height: i32) -> (FontSize, usize) {
    // Drawn lines shrink themselves to the width; only ASCII lines pick the size.
    let longest = lines
        .iter()
        .filter_map(Line::ascii_len)
        .map(|l| l as i32)
        .max()
        .unwrap_or(0);
    for size in sizes {
        let pitch = size.char_h * 6 / 5;
        if longest * size.char_w <= width && lines.len() as i32 * pitch <= height {
            return (*size, lines.len());
        }
    }
    let smallest = sizes[sizes.len() - 1];
    let pitch = smallest.char_h * 6 / 5;
    (smallest, (height / pitch.max(1)).max(0) as usize)
}

/// Cuts a line to `chars` characters (the HRI is also in the symbol; cutting beats printing
/// over the label edge).
fn cut(line: &str, chars: usize) -> String {
    line.chars().take(chars).collect()
}

/// A line of label text: printer font (ASCII) or drawn from the caller's font.
enum Line {
    Ascii(String),
    Drawn(String),
}

impl Line {
    fn ascii_len(&self) -> Option<usize> {
        match self {
            Line::Ascii(t) => Some(t.len()),
            Line::Drawn(_) => None,
        }
    }
}

pub(crate) fn place(
    label: &LabelContent,
    profile: &PrinterProfile,
    glyphs: Option<&GlyphRaster<'_>>,
) -> Result<Placed, LabelError> {
    let symbol = encode(&label.symbol)?;
    let dpmm = profile.dpi.dots_per_mm() as i32;
    let (label_w, label_h) = profile.label_dots();
    let (off_x, off_y) = (
        profile.dpi.dots(profile.offset_x_mm),
        profile.dpi.dots(profile.offset_y_mm),
    );
    // The usable area: the label less the offset, moved by it.
    let area_x = off_x.max(0);
    let area_y = off_y.max(0);
    let area_w = label_w - off_x.abs();
    let area_h = label_h - off_y.abs();
    let pad = profile.dpi.dots(PAD_MM);
    let min_module = (MIN_MODULE_MM * dpmm as f32).ceil() as i32;
    let sizes = font_sizes(profile.language, dpmm);
    let mut omitted = 0;
    let mut text_line = |text: &str| -> Option<Line> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        if printable(text) {
            return Some(Line::Ascii(text.to_owned()));
        }
        if glyphs.is_none() {
            omitted += 1;
            return None;
        }
        Some(Line::Drawn(text.to_owned()))
    };
    let title = text_line(&label.title);
    let subtitle = text_line(&label.subtitle);
    // A line at (x, y) in `size`, at most `width` dots wide.
    let line_mark = |line: &Line, x: i32, y: i32, size: FontSize, width: i32| -> Mark {
        match (line, glyphs) {
            (Line::Drawn(text), Some(g)) => {
                // Chinese at the height of the Latin capitals' cell, smaller if too wide, and
                // cut at the smallest size (1.5 mm).
                let min = 1.5 * dpmm as f32;
                let mut em = (size.char_h as f32).max(min);
                let w = g.width(text, em);
                if w > width as f32 {
                    em = (em * width as f32 / w).max(min);
                }
                let mut shown: String = text.clone();
                while !shown.is_empty() && g.width(&shown, em) > width as f32 {
                    shown.pop();
                }
                Mark::Image {
                    x,
                    y,
                    bitmap: g.render(&shown, em.floor()),
                }
            }
            (Line::Ascii(text) | Line::Drawn(text), _) => Mark::Text {
                x,
                y,
                size,
                text: cut(text, (width / size.char_w).max(1) as usize),
            },
        }
    };
    let mut marks = Vec::new();
    match symbol.modules() {
        Modules::Matrix { width, height, .. } => {
            let [q, ..] = symbol.symbology().quiet_zone();
            let span = (*width).max(*height) as i32 + 2 * q as i32;
            let side = area_h.min(area_w / 2);
            let module = side / span;
            if module < min_module {
                return Err(too_small(profile, symbol.symbology()));
            }
            let box_y = area_y + (area_h - span * module) / 2;
            let sym_x = area_x + q as i32 * module;
            let sym_y = box_y + q as i32 * module;
            let text_x = area_x + span * module;
            let text_w = area_x + area_w - pad - text_x;
            let mut lines: Vec<Line> = title.into_iter().chain(subtitle).collect();
            lines.extend(
                symbol
                    .hri()
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && printable(l))
                    .map(|l| Line::Ascii(l.to_owned())),
            );
            marks.push(Mark::Symbol {
                symbol: symbol.clone(),
                x: sym_x,
                y: sym_y,
                module,
                bar_h: 0,
            });
            let (size, shown) = fit_text(&lines, &sizes, text_w, area_h - 2 * pad);
            let pitch = size.char_h * 6 / 5;
            for (i, line) in lines.iter().take(shown).enumerate() {
                marks.push(line_mark(
                    line,
                    text_x,
                    area_y + pad + i as i32 * pitch,
                    size,
                    text_w,
                ));
            }
        }
        Modules::Linear { bars } => {
            let [_, q_right, _, q_left] = symbol.symbology().quiet_zone();
            let total = (q_left as usize + bars.len() + q_right as usize) as i32;
            let max_module = (MAX_LINEAR_MODULE_MM * dpmm as f32).floor() as i32;
            let module = (area_w / total).min(max_module);
            if module < min_module {
                return Err(too_small(profile, symbol.symbology()));
            }
            let text_w = area_w - 2 * pad;
            let mut y = area_y + pad;
            let hri = symbol
                .hri()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let above: Vec<Line> = title.into_iter().chain(subtitle).collect();
            // Text above the bars at the size the HRI line needs, so the label reads as one.
            let (size, _) = fit_text(&[Line::Ascii(hri.clone())], &sizes, text_w, area_h);
            let pitch = size.char_h * 6 / 5;
            let chars = (text_w / size.char_w).max(1) as usize;
            for line in &above {
                marks.push(line_mark(line, area_x + pad, y, size, text_w));
                y += pitch;
            }
            let bars_top = y + pad / 2;
            let hri_top = area_y + area_h - pad - size.char_h;
            let bar_h = hri_top - pad / 2 - bars_top;
            if bar_h < profile.dpi.dots(MIN_BAR_MM) {
                return Err(too_small(profile, symbol.symbology()));
            }
            let sym_w = total * module;
            let sym_x = area_x + (area_w - sym_w) / 2 + q_left as i32 * module;
            marks.push(Mark::Symbol {
                symbol: symbol.clone(),
                x: sym_x,
                y: bars_top,
                module,
                bar_h,
            });
            let line = cut(&hri, chars);
            let line_w = line.len() as i32 * size.char_w;
            marks.push(Mark::Text {
                x: (sym_x + (bars.len() as i32 * module - line_w) / 2).max(area_x + pad),
                y: hri_top,
                size,
                text: line,
            });
        }
    }
    Ok(Placed {
        marks,
        omitted_lines: omitted,
    })
}
