//! Label text: glyph lookup, measuring, wrapping and shrinking to fit, with the font the caller
//! passed.
//!
//! No shaping engine: product names are Chinese, Latin letters and digits, which need one glyph
//! per character from the cmap and its advance, nothing else (no ligatures, no bidi). That keeps
//! the measured width and the drawn width the same numbers.

use krilla::text::{GlyphId, KrillaGlyph};
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider};

/// Ascent and descent in em. CJK fonts (Noto Sans CJK, Source Han, Microsoft YaHei) put the
/// ideographic em box at 0.88 / 0.12; using fixed values keeps layouts the same across fonts.
pub(crate) const ASCENT: f32 = 0.88;
pub(crate) const LINE_HEIGHT: f32 = 1.2;

const ELLIPSIS: char = '…';

pub(crate) struct TextFont<'a> {
    charmap: skrifa::charmap::Charmap<'a>,
    metrics: GlyphMetrics<'a>,
}

impl<'a> TextFont<'a> {
    pub(crate) fn new(data: &'a [u8], index: u32) -> Option<Self> {
        let font = FontRef::from_index(data, index).ok()?;
        Some(Self {
            charmap: font.charmap(),
            // Size 1: advances come out in em.
            metrics: font.glyph_metrics(Size::new(1.0), LocationRef::default()),
        })
    }

    pub(crate) fn advance(&self, c: char) -> (u32, f32) {
        let gid = self.charmap.map(c).unwrap_or_default();
        let advance = self.metrics.advance_width(gid).unwrap_or(0.5);
        (gid.to_u32(), advance)
    }

    /// Width of `text` in em.
    pub(crate) fn width(&self, text: &str) -> f32 {
        text.chars().map(|c| self.advance(c).1).sum()
    }

    /// Glyphs for krilla, advances in em, one per character.
    pub(crate) fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        text.char_indices()
            .map(|(i, c)| {
                let (gid, advance) = self.advance(c);
                KrillaGlyph::new(
                    GlyphId::new(gid),
                    advance,
                    0.0,
                    0.0,
                    0.0,
                    i..i + c.len_utf8(),
                    None,
                )
            })
            .collect()
    }

    /// Breaks `text` into lines no wider than `width` at font size `size` (same unit). Breaks
    /// after a space or `/` when one is in the second half of the line, else between any two
    /// characters (right for Chinese, acceptable for codes). `None` if it takes more than
    /// `max_lines`.
    fn wrap(&self, text: &str, size: f32, width: f32, max_lines: usize) -> Option<Vec<String>> {
        let mut lines = Vec::new();
        let mut line = String::new();
        let mut line_w = 0.0;
        for c in text.chars() {
            if line.is_empty() && !lines.is_empty() && c == ' ' {
                continue; // a wrapped line does not start with the space it broke at
            }
            let w = self.advance(c).1 * size;
            if !line.is_empty() && line_w + w > width {
                let carry = match line.rfind([' ', '/']) {
                    Some(at) if at + 1 < line.len() && at >= line.len() / 2 => {
                        line.split_off(at + 1)
                    }
                    _ => String::new(),
                };
                lines.push(line.trim_end().to_owned());
                if lines.len() >= max_lines {
                    return None;
                }
                line_w = self.width(&carry) * size;
                line = carry;
                if line.is_empty() && c == ' ' {
                    continue;
                }
            }
            line.push(c);
            line_w += w;
        }
        if !line.is_empty() {
            lines.push(line);
        }
        (lines.len() <= max_lines).then_some(lines)
    }

    /// The largest size from `max` down to `min` (steps of 8 %) at which `text` wraps into at
    /// most `max_lines` lines of `width`; at `min` the overflow is cut and the last line ends in
    /// an ellipsis.
    pub(crate) fn fit(
        &self,
        text: &str,
        max: f32,
        min: f32,
        width: f32,
        max_lines: usize,
    ) -> (f32, Vec<String>) {
        let text = text.trim();
        if text.is_empty() || max_lines == 0 || width <= 0.0 {
            return (max, Vec::new());
        }
        let mut size = max;
        loop {
            if let Some(lines) = self.wrap(text, size, width, max_lines) {
                return (size, lines);
            }
            if size <= min {
                break;
            }
            size = (size * 0.92).max(min);
        }
        let mut lines = self.wrap(text, min, width, usize::MAX).unwrap_or_default();
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            *last = self.ellipsize(last, min, width);
        }
        (min, lines)
    }

    /// `text` shortened as needed and ended with an ellipsis, to say more text was cut.
    pub(crate) fn ellipsize(&self, text: &str, size: f32, width: f32) -> String {
        let ellipsis = self.advance(ELLIPSIS).1 * size;
        let mut out = text.to_owned();
        while !out.is_empty() && self.width(&out) * size + ellipsis > width {
            out.pop();
        }
        out.push(ELLIPSIS);
        out
    }
}
