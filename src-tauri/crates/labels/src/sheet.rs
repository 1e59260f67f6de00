//! A4 label sheets as PDF, through `krilla`.
//!
//! Why krilla: it is the PDF writer of the typst authors, kept up with typst; it subsets fonts
//! itself (CFF-based OpenType such as Noto Sans CJK and TrueType alike), reads one face of a TTC
//! collection by index, and writes only the glyphs used, so a sheet of Chinese labels carries a
//! few kilobytes of font instead of 20 MB. Symbols are drawn as vector rectangles, so they print
//! crisp at any printer resolution.
//!
//! Coordinates: krilla's origin is the page's top-left corner, y grows downwards, units are PDF
//! points; the layout is in millimetres and converted at the last moment.

use std::sync::Arc;

use krilla::color::luma;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::Font;
use krilla::{Data, Document, SerializeSettings};

use crate::encode::encode;
use crate::error::LabelError;
use crate::render::runs;
use crate::symbol::{Modules, Symbol, SymbolData, Symbology};
use crate::text::{ASCENT, LINE_HEIGHT, TextFont};
use crate::{Result, ean13};

const PT_PER_MM: f32 = 72.0 / 25.4;

/// Inner padding of a label for text, in mm.
const PAD: f32 = 1.5;

/// Smallest module printed, in mm. Below about 0.2 mm the common 203/300 dpi thermal and office
/// laser printers cannot hold bar and space widths (under 2.4 dots at 300 dpi), and scans fail.
const MIN_MODULE_MM: f32 = 0.2;

/// Largest module for linear symbols, in mm: 0.5 mm is 150 % of EAN-13's nominal size; wider
/// bars only waste label space.
const MAX_LINEAR_MODULE_MM: f32 = 0.5;

/// Shortest bars, in mm; shorter ones are hard to hit with a hand scanner's line.
const MIN_BAR_MM: f32 = 5.0;

/// Text sizes (em, in mm): largest and smallest.
const TITLE: (f32, f32) = (4.0, 2.2);
const SUBTITLE: (f32, f32) = (3.0, 2.0);
const HRI: (f32, f32) = (2.6, 1.6);

/// A page size: A4 for sheets of labels, or exactly one label for label printers driven by
/// their system driver (one label per page, see [`label_pdf`]).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum PageSize {
    /// 210 × 297 mm, portrait.
    #[default]
    A4,
    /// Any size in mm, `(width, height)`.
    Custom { width_mm: f32, height_mm: f32 },
}

impl PageSize {
    /// (width, height) in mm.
    pub fn size_mm(self) -> (f32, f32) {
        match self {
            PageSize::A4 => (210.0, 297.0),
            PageSize::Custom {
                width_mm,
                height_mm,
            } => (width_mm, height_mm),
        }
    }
}

/// The grid of labels on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetLayout {
    pub page: PageSize,
    pub label_w_mm: f32,
    pub label_h_mm: f32,
    pub cols: u32,
    pub rows: u32,
    /// Page margins in mm: `[top, right, bottom, left]` (the CSS order).
    pub margin_mm: [f32; 4],
    /// Gaps in mm: `(between columns, between rows)`.
    pub gap_mm: (f32, f32),
    /// Draw a thin grey outline around each label, for cutting labels from plain paper. Leave
    /// it off on die-cut label stock.
    pub outline: bool,
}

impl SheetLayout {
    /// An A4 grid with 10 mm margins, 2 mm gaps and outlines.
    pub fn a4(label_w_mm: f32, label_h_mm: f32, cols: u32, rows: u32) -> Self {
        Self {
            page: PageSize::A4,
            label_w_mm,
            label_h_mm,
            cols,
            rows,
            margin_mm: [10.0; 4],
            gap_mm: (2.0, 2.0),
            outline: true,
        }
    }

    /// One label per page, the page exactly the label: what a label printer's system driver
    /// (TSC, Zebra, Godex, Deli, Xprinter on Windows or CUPS) expects when its paper size is set
    /// to the label size. No margins, no outline (the stock is die-cut).
    pub fn single_label(label_w_mm: f32, label_h_mm: f32) -> Self {
        Self {
            page: PageSize::Custom {
                width_mm: label_w_mm,
                height_mm: label_h_mm,
            },
            label_w_mm,
            label_h_mm,
            cols: 1,
            rows: 1,
            margin_mm: [0.0; 4],
            gap_mm: (0.0, 0.0),
            outline: false,
        }
    }

    /// Labels per page.
    pub fn per_page(&self) -> u32 {
        self.cols * self.rows
    }

    /// Checks that the numbers make sense and the grid fits the page.
    pub fn validate(&self) -> Result<()> {
        let finite = |v: f32| v.is_finite();
        let [top, right, bottom, left] = self.margin_mm;
        let checks: [(&'static str, bool); 6] = [
            (
                "label_w_mm",
                finite(self.label_w_mm) && self.label_w_mm >= 5.0,
            ),
            (
                "label_h_mm",
                finite(self.label_h_mm) && self.label_h_mm >= 5.0,
            ),
            ("cols", (1..=100).contains(&self.cols)),
            ("rows", (1..=100).contains(&self.rows)),
            (
                "margin_mm",
                self.margin_mm.iter().all(|&m| finite(m) && m >= 0.0),
            ),
            (
                "gap_mm",
                finite(self.gap_mm.0)
                    && finite(self.gap_mm.1)
                    && self.gap_mm.0 >= 0.0
                    && self.gap_mm.1 >= 0.0,
            ),
        ];
        if let Some((field, _)) = checks.iter().find(|(_, ok)| !ok) {
            return Err(LabelError::BadLayout { field });
        }
        let (page_w, page_h) = self.page.size_mm();
        let available_w = page_w - left - right;
        let available_h = page_h - top - bottom;
        if available_w <= 0.0 || available_h <= 0.0 {
            return Err(LabelError::BadLayout { field: "margin_mm" });
        }
        if let Some(needed_mm) = overflow(self.cols, self.label_w_mm, self.gap_mm.0, available_w) {
            return Err(LabelError::TooWide {
                label_w_mm: self.label_w_mm,
                label_h_mm: self.label_h_mm,
                cols: self.cols,
                needed_mm,
                available_mm: available_w,
            });
        }
        if let Some(needed_mm) = overflow(self.rows, self.label_h_mm, self.gap_mm.1, available_h) {
            return Err(LabelError::TooTall {
                label_w_mm: self.label_w_mm,
                label_h_mm: self.label_h_mm,
                rows: self.rows,
                needed_mm,
                available_mm: available_h,
            });
        }
        Ok(())
    }

    /// The label in slot `slot` of a page (row by row, left to right), as
    /// `(x, y, width, height)` in mm from the page's top-left corner.
    pub fn label_rect_mm(&self, slot: u32) -> (f32, f32, f32, f32) {
        let cols = self.cols.max(1);
        let (col, row) = (slot % cols, slot / cols);
        let [top, _, _, left] = self.margin_mm;
        (
            left + col as f32 * (self.label_w_mm + self.gap_mm.0),
            top + row as f32 * (self.label_h_mm + self.gap_mm.1),
            self.label_w_mm,
            self.label_h_mm,
        )
    }
}

/// The room `count` labels of `size` mm with `gap` mm between them need, when it is more than
/// `available` mm (a hundredth of a millimetre of slack for float sums such as 3 × 63.33).
fn overflow(count: u32, size: f32, gap: f32, available: f32) -> Option<f32> {
    let needed = count as f32 * size + (count - 1) as f32 * gap;
    (needed > available + 0.01).then_some(needed)
}

/// One label: its symbol, the product name and a second line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelContent {
    pub symbol: SymbolData,
    /// Product name, usually Chinese (产品名称).
    pub title: String,
    /// Optional second line such as model or batch (型号 / 批次); empty for none.
    pub subtitle: String,
}

/// A PDF of label sheets: labels fill each page row by row, as many pages as needed.
///
/// `font` is a TrueType/OpenType font or collection with Chinese glyphs (e.g. Noto Sans CJK's
/// `.ttc` with `font_index` 2 for Simplified Chinese, or Microsoft YaHei's `msyh.ttc` with 0);
/// only the glyphs used are embedded. The data is copied once per call.
pub fn sheet_pdf(
    labels: impl IntoIterator<Item = LabelContent>,
    layout: &SheetLayout,
    font: &[u8],
    font_index: u32,
) -> Result<Vec<u8>> {
    layout.validate()?;
    let mut labels = labels.into_iter().enumerate().peekable();
    if labels.peek().is_none() {
        return Err(LabelError::NoLabels);
    }
    let data = Arc::new(font.to_vec());
    let measure = TextFont::new(&data, font_index).ok_or(LabelError::Font { index: font_index })?;
    let pdf_font = Font::new(Data::from(Arc::clone(&data)), font_index)
        .ok_or(LabelError::Font { index: font_index })?;
    let fonts = Fonts {
        measure,
        pdf: pdf_font,
    };

    let (page_w, page_h) = layout.page.size_mm();
    let page_settings = PageSettings::from_wh(page_w * PT_PER_MM, page_h * PT_PER_MM)
        .ok_or(LabelError::Pdf("page size".to_owned()))?;
    let mut document = Document::new_with(SerializeSettings {
        // Labels need neither XMP metadata nor a structure tree; both only add bytes.
        xmp_metadata: false,
        enable_tagging: false,
        ..SerializeSettings::default()
    });
    let per_page = layout.per_page() as usize;
    while labels.peek().is_some() {
        let mut page = document.start_page_with(page_settings.clone());
        let mut surface = page.surface();
        for (slot, (index, label)) in labels.by_ref().take(per_page).enumerate() {
            let (x, y, w, h) = layout.label_rect_mm(slot as u32);
            let cell = Cell { x, y, w, h };
            draw_label(&mut surface, &fonts, &label, cell, layout.outline).map_err(|e| {
                LabelError::Label {
                    number: index + 1,
                    source: Box::new(e),
                }
            })?;
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| LabelError::Pdf(format!("{e:?}")))
}

/// A PDF with one label per page, each page exactly `label_w_mm` × `label_h_mm`: the same
/// drawing as [`sheet_pdf`] (symbol, product name, second line, HRI), laid out by
/// [`SheetLayout::single_label`].
pub fn label_pdf(
    labels: impl IntoIterator<Item = LabelContent>,
    label_w_mm: f32,
    label_h_mm: f32,
    font: &[u8],
    font_index: u32,
) -> Result<Vec<u8>> {
    sheet_pdf(
        labels,
        &SheetLayout::single_label(label_w_mm, label_h_mm),
        font,
        font_index,
    )
}

struct Fonts<'a> {
    measure: TextFont<'a>,
    pdf: Font,
}

/// A label's rectangle on the page, in mm.
#[derive(Debug, Clone, Copy)]
struct Cell {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

fn rect_mm(x: f32, y: f32, w: f32, h: f32) -> Option<Rect> {
    Rect::from_xywh(x * PT_PER_MM, y * PT_PER_MM, w * PT_PER_MM, h * PT_PER_MM)
}

fn draw_label(
    surface: &mut krilla::surface::Surface<'_>,
    fonts: &Fonts<'_>,
    label: &LabelContent,
    cell: Cell,
    outline: bool,
) -> Result<()> {
    let symbol = encode(&label.symbol)?;
    if outline && let Some(rect) = rect_mm(cell.x, cell.y, cell.w, cell.h) {
        let mut pb = PathBuilder::new();
        pb.push_rect(rect);
        if let Some(path) = pb.finish() {
            surface.set_fill(None);
            surface.set_stroke(Some(Stroke {
                paint: luma::Color::new(190).into(),
                width: 0.3,
                ..Stroke::default()
            }));
            surface.draw_path(&path);
            surface.set_stroke(None);
        }
    }
    surface.set_fill(Some(Fill::default()));
    if symbol.symbology().is_matrix() {
        draw_matrix_label(surface, fonts, label, &symbol, cell)
    } else {
        draw_linear_label(surface, fonts, label, &symbol, cell)
    }
}

fn too_small(cell: Cell, symbology: Symbology) -> LabelError {
    LabelError::LabelTooSmall {
        label_w_mm: cell.w,
        label_h_mm: cell.h,
        symbology,
    }
}

/// Text at (x, top of line) in mm, size in mm.
fn draw_text(
    surface: &mut krilla::surface::Surface<'_>,
    fonts: &Fonts<'_>,
    text: &str,
    x: f32,
    top: f32,
    size: f32,
) {
    if text.is_empty() {
        return;
    }
    let glyphs = fonts.measure.glyphs(text);
    let baseline = top + size * ASCENT;
    surface.draw_glyphs(
        Point::from_xy(x * PT_PER_MM, baseline * PT_PER_MM),
        &glyphs,
        fonts.pdf.clone(),
        text,
        size * PT_PER_MM,
        false,
    );
}

/// Lines from `top` down; returns the y under the last line.
fn draw_lines(
    surface: &mut krilla::surface::Surface<'_>,
    fonts: &Fonts<'_>,
    lines: &[String],
    x: f32,
    top: f32,
    size: f32,
) -> f32 {
    let mut y = top;
    for line in lines {
        draw_text(surface, fonts, line, x, y, size);
        y += size * LINE_HEIGHT;
    }
    y
}

/// A matrix symbol's modules as rectangles, one per horizontal run, `module` mm each, the
/// symbol's top-left corner at (x, y).
fn matrix_path(modules: &Modules, x: f32, y: f32, module: f32) -> Option<krilla::geom::Path> {
    let Modules::Matrix {
        width,
        height,
        dark,
    } = modules
    else {
        return None;
    };
    let mut pb = PathBuilder::new();
    for row in 0..*height {
        for (start, len) in runs(&dark[row * width..(row + 1) * width]) {
            if let Some(rect) = rect_mm(
                x + start as f32 * module,
                y + row as f32 * module,
                len as f32 * module,
                module,
            ) {
                pb.push_rect(rect);
            }
        }
    }
    pb.finish()
}

/// 2D symbol on the left (its quiet zone inside the label), text on the right: product name
/// (up to two lines), second line, then the HRI lines.
fn draw_matrix_label(
    surface: &mut krilla::surface::Surface<'_>,
    fonts: &Fonts<'_>,
    label: &LabelContent,
    symbol: &Symbol,
    cell: Cell,
) -> Result<()> {
    let Modules::Matrix { width, height, .. } = symbol.modules() else {
        return Err(too_small(cell, symbol.symbology()));
    };
    let [q, ..] = symbol.symbology().quiet_zone();
    let span = (*width).max(*height) as f32 + 2.0 * q as f32;
    let side = cell.h.min(cell.w * 0.5);
    let module = side / span;
    if module < MIN_MODULE_MM {
        return Err(too_small(cell, symbol.symbology()));
    }
    let box_top = cell.y + (cell.h - side) / 2.0;
    let origin_x = cell.x + q as f32 * module;
    let origin_y = box_top + q as f32 * module;
    if let Some(path) = matrix_path(symbol.modules(), origin_x, origin_y, module) {
        surface.draw_path(&path);
    }

    let text_x = cell.x + side;
    let text_w = cell.w - side - PAD;
    let bottom = cell.y + cell.h - PAD;
    let mut y = cell.y + PAD;
    let m = &fonts.measure;
    let (size, lines) = m.fit(&label.title, TITLE.0, TITLE.1, text_w, 2);
    y = draw_lines(surface, fonts, &lines, text_x, y, size);
    let (size, lines) = m.fit(&label.subtitle, SUBTITLE.0, SUBTITLE.1, text_w, 2);
    y = draw_lines(surface, fonts, &lines, text_x, y, size);
    y += 0.8;
    // HRI: the largest size at which every line fits in what is left; at the smallest size,
    // as many lines as fit.
    let hri: Vec<&str> = symbol
        .hri()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    let room = bottom - y;
    let mut size = HRI.0;
    loop {
        let wrapped: Vec<String> = hri
            .iter()
            .flat_map(|l| m.fit(l, size, size, text_w, usize::MAX).1)
            .collect();
        let fits = wrapped.len() as f32 * size * LINE_HEIGHT <= room;
        if fits || size <= HRI.1 {
            let max_lines = (room / (size * LINE_HEIGHT)).floor().max(0.0) as usize;
            let mut shown = wrapped;
            if shown.len() > max_lines {
                shown.truncate(max_lines);
                if let Some(last) = shown.last_mut() {
                    *last = m.ellipsize(last, size, text_w);
                }
            }
            draw_lines(surface, fonts, &shown, text_x, y, size);
            break;
        }
        size = (size * 0.92).max(HRI.1);
    }
    Ok(())
}

/// Linear symbol: product name on top, second line under it, bars across the label, HRI under
/// the bars (EAN-13 in its standard digit layout).
fn draw_linear_label(
    surface: &mut krilla::surface::Surface<'_>,
    fonts: &Fonts<'_>,
    label: &LabelContent,
    symbol: &Symbol,
    cell: Cell,
) -> Result<()> {
    let Modules::Linear { bars } = symbol.modules() else {
        return Err(too_small(cell, symbol.symbology()));
    };
    let [_, q_right, _, q_left] = symbol.symbology().quiet_zone();
    let total = (q_left as usize + bars.len() + q_right as usize) as f32;
    let module = (cell.w / total).min(MAX_LINEAR_MODULE_MM);
    if module < MIN_MODULE_MM {
        return Err(too_small(cell, symbol.symbology()));
    }
    let m = &fonts.measure;
    let text_w = cell.w - 2.0 * PAD;
    let mut y = cell.y + PAD;
    let (size, lines) = m.fit(&label.title, TITLE.0, TITLE.1, text_w, 1);
    y = draw_lines(surface, fonts, &lines, cell.x + PAD, y, size);
    let (size, lines) = m.fit(&label.subtitle, SUBTITLE.0, SUBTITLE.1, text_w, 1);
    y = draw_lines(surface, fonts, &lines, cell.x + PAD, y, size);
    let bars_top = y + 0.8;

    let symbol_x = cell.x + (cell.w - total * module) / 2.0;
    let bars_x = symbol_x + q_left as f32 * module;
    let bars_w = bars.len() as f32 * module;
    let is_ean = symbol.symbology() == Symbology::Ean13;
    // HRI size: EAN-13 digits fill each 42-module half; other HRI fits the bar width.
    let (hri_size, hri_line) = if is_ean {
        let six = m.width("000000").max(0.1);
        ((40.0 * module / six).min(HRI.0 * 1.3), Vec::new())
    } else {
        let line = symbol
            .hri()
            .lines()
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(" ");
        m.fit(&line, HRI.0, HRI.1, cell.w - 2.0 * PAD, 1)
    };
    let bars_bottom = cell.y + cell.h - PAD - hri_size * LINE_HEIGHT;
    let bar_h = bars_bottom - bars_top;
    if bar_h < MIN_BAR_MM {
        return Err(too_small(cell, symbol.symbology()));
    }
    let guard_extra = if is_ean { hri_size * 0.55 } else { 0.0 };
    let mut pb = PathBuilder::new();
    for (start, len) in runs(bars) {
        let guard = is_ean && ean13::GUARDS.iter().any(|g| g.contains(&start));
        let h = if guard { bar_h + guard_extra } else { bar_h };
        if let Some(rect) = rect_mm(
            bars_x + start as f32 * module,
            bars_top,
            len as f32 * module,
            h,
        ) {
            pb.push_rect(rect);
        }
    }
    if let Some(path) = pb.finish() {
        surface.draw_path(&path);
    }

    let text_top = bars_bottom + hri_size * 0.15;
    let centred = |surface: &mut krilla::surface::Surface<'_>, text: &str, cx: f32, size: f32| {
        let w = m.width(text) * size;
        draw_text(surface, fonts, text, cx - w / 2.0, text_top, size);
    };
    if is_ean {
        let digits = symbol.hri();
        let at = |modules: f32| bars_x + modules * module;
        if let (Some(first), Some(left), Some(right)) =
            (digits.get(..1), digits.get(1..7), digits.get(7..))
        {
            centred(surface, first, at(-5.0), hri_size);
            centred(surface, left, at(24.0), hri_size);
            centred(surface, right, at(71.0), hri_size);
        }
    } else if let Some(line) = hri_line.first() {
        centred(surface, line, bars_x + bars_w / 2.0, hri_size);
    }
    Ok(())
}
