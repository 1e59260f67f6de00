//! One symbol as SVG (vector, with HRI text) or PNG (1-bit raster, symbol only).

use std::fmt::Write as _;

use crate::ean13;
use crate::error::{LabelError, MAX_MODULE_PX};
use crate::symbol::{Modules, Symbol, Symbology};

/// Largest PNG side, in pixels; past this a module size is surely a mistake.
const MAX_SIDE_PX: u64 = 20_000;

/// How to render a symbol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    /// Pixels per module in the PNG, and the nominal pixel size of the SVG (whose drawing is in
    /// module units and scales freely).
    pub module_px: u32,
    /// Quiet zone on every side, in modules; `None` for the symbology's own
    /// ([`Symbology::quiet_zone`]).
    pub quiet_zone: Option<u32>,
    /// Bar height of linear symbols, in modules; `None` for 69 (EAN-13's 22.85 mm at its
    /// nominal 0.33 mm module) or 50 (Code 128).
    pub bar_height: Option<u32>,
    /// Print the HRI text (SVG only: a PNG carries the symbol alone, because text needs a font
    /// and the app places the PNG next to its own text).
    pub hri: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self {
            module_px: 4,
            quiet_zone: None,
            bar_height: None,
            hri: true,
        }
    }
}

/// `[top, right, bottom, left]` in modules.
fn quiet(symbol: &Symbol, opts: &RenderOptions) -> [u32; 4] {
    match opts.quiet_zone {
        Some(q) => [q; 4],
        None => symbol.symbology().quiet_zone(),
    }
}

fn bar_height(symbol: &Symbol, opts: &RenderOptions) -> u32 {
    let default = if symbol.symbology() == Symbology::Ean13 {
        69
    } else {
        50
    };
    opts.bar_height.unwrap_or(default).max(1)
}

/// The symbol placed on a canvas with its quiet zones, in modules.
struct Canvas<'a> {
    modules: &'a Modules,
    left: u32,
    top: u32,
    /// Rows the symbol itself covers (the bar height of a linear symbol).
    rows: u32,
    width: u32,
    height: u32,
}

impl Canvas<'_> {
    fn new<'a>(symbol: &'a Symbol, opts: &RenderOptions) -> Canvas<'a> {
        let [t, r, b, l] = quiet(symbol, opts);
        let modules = symbol.modules();
        let (w, h) = match modules {
            Modules::Matrix { width, height, .. } => (*width as u32, *height as u32),
            Modules::Linear { bars } => (bars.len() as u32, bar_height(symbol, opts)),
        };
        Canvas {
            modules,
            left: l,
            top: t,
            rows: h,
            width: l.saturating_add(w).saturating_add(r),
            height: t.saturating_add(h).saturating_add(b),
        }
    }

    /// Whether canvas module (x, y) is dark.
    fn dark(&self, x: u32, y: u32) -> bool {
        let (Some(x), Some(y)) = (x.checked_sub(self.left), y.checked_sub(self.top)) else {
            return false;
        };
        if y >= self.rows {
            return false;
        }
        let (x, y) = (x as usize, y as usize);
        match self.modules {
            Modules::Matrix { width, dark, .. } => x < *width && dark[y * width + x],
            Modules::Linear { bars } => bars.get(x).copied().unwrap_or(false),
        }
    }

    /// The bottom edge of the symbol (of the normal bars of a linear symbol).
    fn symbol_bottom(&self) -> f32 {
        (self.top + self.rows) as f32
    }
}

/// The symbol as a 1-bit greyscale PNG, quiet zones included, no text.
pub fn to_png(symbol: &Symbol, opts: &RenderOptions) -> Result<Vec<u8>, LabelError> {
    let px = opts.module_px;
    if !(1..=MAX_MODULE_PX).contains(&px) {
        return Err(LabelError::BadModuleSize { got: px });
    }
    let canvas = Canvas::new(symbol, opts);
    let width = u64::from(canvas.width) * u64::from(px);
    let height = u64::from(canvas.height) * u64::from(px);
    if width > MAX_SIDE_PX || height > MAX_SIDE_PX || width == 0 || height == 0 {
        return Err(LabelError::ImageTooLarge { width, height });
    }
    let row_bytes = width.div_ceil(8) as usize;
    let mut data = Vec::with_capacity(row_bytes * height as usize);
    let mut row = vec![0u8; row_bytes];
    for y in 0..canvas.height {
        row.fill(0);
        for x in 0..canvas.width {
            // In 1-bit greyscale 1 is white; the quiet zone below linear bars stays white.
            if canvas.dark(x, y) {
                continue;
            }
            for sub in 0..px {
                let bit = (x * px + sub) as usize;
                row[bit / 8] |= 0x80 >> (bit % 8);
            }
        }
        for _ in 0..px {
            data.extend_from_slice(&row);
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width as u32, height as u32);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::One);
    let png_error = |e: png::EncodingError| LabelError::Png(e.to_string());
    let mut writer = encoder.write_header().map_err(png_error)?;
    writer.write_image_data(&data).map_err(png_error)?;
    writer.finish().map_err(png_error)?;
    Ok(out)
}

/// `12`, `12.5`, `12.35`: numbers for SVG attributes.
fn num(value: f32) -> String {
    let s = format!("{:.2}", value);
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Text for XML: escaped, control characters dropped (XML 1.0 cannot carry them).
fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Monospace, so text width is predictable: 0.6 em per character.
const HRI_FONT: &str = "'OCR-B', 'DejaVu Sans Mono', 'Noto Sans Mono', monospace";
const MONO_ADVANCE: f32 = 0.6;

/// The symbol as SVG: a white background, one path for all dark modules (in module units, crisp
/// edges) and the HRI text (under linear symbols; under 2D symbols, one line per HRI line).
pub fn to_svg(symbol: &Symbol, opts: &RenderOptions) -> String {
    let canvas = Canvas::new(symbol, opts);
    let [_, _, bottom, _] = quiet(symbol, opts);
    let (cw, ch) = (canvas.width as f32, canvas.height as f32);
    let mut texts: Vec<(f32, f32, f32, String)> = Vec::new(); // x centre, baseline, size, text
    let mut x_shift = 0.0;
    let mut total_w = cw;
    let mut total_h = ch;
    let mut guard_extension = 0.0;
    let hri_lines: Vec<&str> = if opts.hri {
        symbol
            .hri()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    } else {
        Vec::new()
    };
    match symbol.modules() {
        Modules::Matrix { .. } => {
            // Sized for the usual `(01) 14 digits` line (19 characters) and never below 2
            // modules; longer lines such as a Digital Link URI wrap to the symbol's width.
            if let Some(longest) = hri_lines.iter().map(|l| l.chars().count()).max() {
                let font = (cw * 0.95 / (MONO_ADVANCE * longest.min(22) as f32)).clamp(2.0, 4.0);
                let per_line = ((cw * 0.95 / (MONO_ADVANCE * font)) as usize).max(8);
                let lines: Vec<String> = hri_lines.iter().flat_map(|l| chop(l, per_line)).collect();
                let longest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
                total_w = cw.max(MONO_ADVANCE * font * longest as f32 + 2.0);
                x_shift = (total_w - cw) / 2.0;
                let line_h = font * 1.25;
                for (i, line) in lines.iter().enumerate() {
                    let baseline = ch + line_h * (i as f32 + 1.0) - font * 0.25;
                    texts.push((total_w / 2.0, baseline, font, line.clone()));
                }
                total_h = ch + line_h * lines.len() as f32 + font * 0.3;
            }
        }
        Modules::Linear { bars } => {
            let bars_bottom = canvas.symbol_bottom();
            let left = canvas.left as f32;
            if symbol.symbology() == Symbology::Ean13 && opts.hri {
                // Standard layout: the first digit left of the start guard, six digits under
                // each half, guard bars reaching down between them.
                let digits = symbol.hri();
                let font = 9.0;
                let baseline = bars_bottom + 8.5;
                guard_extension = 5.0;
                let groups = [
                    (left - 4.0, digits.get(..1)),
                    (left + 24.0, digits.get(1..7)),
                    (left + 71.0, digits.get(7..)),
                ];
                for (x, text) in groups {
                    if let Some(text) = text {
                        texts.push((x, baseline, font, text.to_owned()));
                    }
                }
                total_h = baseline + 1.5 + bottom as f32;
            } else if !hri_lines.is_empty() {
                let line = hri_lines.join(" ");
                let chars = line.chars().count() as f32;
                let width = bars.len() as f32;
                let font = (width * 0.98 / (MONO_ADVANCE * chars)).min(9.0);
                let baseline = bars_bottom + font * 1.05;
                texts.push((left + width / 2.0, baseline, font, line));
                total_h = baseline + font * 0.3 + bottom as f32;
            }
        }
    }

    let px = opts.module_px.max(1) as f32;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n<path fill=\"#000\" shape-rendering=\"crispEdges\" d=\"",
        num(total_w * px),
        num(total_h * px),
        num(total_w),
        num(total_h),
    );
    match symbol.modules() {
        Modules::Matrix {
            width,
            height,
            dark,
        } => {
            for y in 0..*height {
                for (start, len) in runs(&dark[y * width..(y + 1) * width]) {
                    let x = x_shift + canvas.left as f32 + start as f32;
                    let top = canvas.top as f32 + y as f32;
                    let _ = write!(svg, "M{} {}h{len}v1h-{len}z", num(x), num(top));
                }
            }
        }
        Modules::Linear { bars } => {
            let top = canvas.top as f32;
            let normal = canvas.rows as f32;
            for (start, len) in runs(bars) {
                let extended = symbol.symbology() == Symbology::Ean13
                    && ean13::GUARDS.iter().any(|g| g.contains(&start));
                let h = if extended {
                    normal + guard_extension
                } else {
                    normal
                };
                let x = canvas.left as f32 + start as f32;
                let _ = write!(svg, "M{} {}h{len}v{}h-{len}z", num(x), num(top), num(h));
            }
        }
    }
    svg.push_str("\"/>\n");
    for (x, baseline, size, text) in texts {
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" font-family=\"{HRI_FONT}\" font-size=\"{}\" text-anchor=\"middle\" fill=\"#000\">{}</text>",
            num(x),
            num(baseline),
            num(size),
            xml_text(&text)
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// `line` in pieces of at most `per_line` characters, cut after the last `/` or space of a
/// piece when there is one in its second half (URIs break between path segments).
fn chop(line: &str, per_line: usize) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    while chars.len() - start > per_line {
        let piece = &chars[start..start + per_line];
        let cut = piece
            .iter()
            .rposition(|&c| c == '/' || c == ' ')
            .filter(|&i| i + 1 >= per_line / 2)
            .map_or(per_line, |i| i + 1);
        out.push(
            piece[..cut]
                .iter()
                .collect::<String>()
                .trim_end()
                .to_owned(),
        );
        start += cut;
    }
    out.push(chars[start..].iter().collect());
    out
}

/// Runs of dark modules as (start, length).
pub(crate) fn runs(modules: &[bool]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, &dark) in modules.iter().enumerate() {
        match (dark, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i - s));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, modules.len() - s));
    }
    out
}
