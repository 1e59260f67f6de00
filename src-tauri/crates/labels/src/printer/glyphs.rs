//! Text as a 1-bit image for printer jobs: printer fonts have no Chinese glyphs, so a Chinese
//! product name is drawn from the caller's CJK font (the one the PDF labels use) and sent as an
//! image like a bitmap symbol.
//!
//! Hand-written rasteriser: the glyph outlines come from `skrifa` (the font reader krilla
//! uses), flattened to line segments and filled with the non-zero rule at 4 sub-rows per dot,
//! then thresholded at half coverage. The workspace has no rasteriser crate, and this is the
//! whole of what 1-bit label text needs (no hinting, no anti-aliasing, no shaping — the same
//! one-glyph-per-character model as the PDF text, see `text.rs`).

use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::{FontRef, GlyphId, MetadataProvider};

use super::bitmap::Bitmap;
use crate::text::{ASCENT, TextFont};

/// Sub-rows sampled per dot row.
const SUBROWS: usize = 4;

pub struct GlyphRaster<'a> {
    measure: TextFont<'a>,
    font: FontRef<'a>,
}

/// Collects a glyph's outline as line segments in dots, y down.
struct Edges {
    edges: Vec<[f32; 4]>,
    start: (f32, f32),
    at: (f32, f32),
    dx: f32,
    baseline: f32,
}

impl Edges {
    fn point(&self, x: f32, y: f32) -> (f32, f32) {
        (self.dx + x, self.baseline - y)
    }

    fn segment_to(&mut self, p: (f32, f32)) {
        if p != self.at {
            self.edges.push([self.at.0, self.at.1, p.0, p.1]);
        }
        self.at = p;
    }
}

impl OutlinePen for Edges {
    fn move_to(&mut self, x: f32, y: f32) {
        let p = self.point(x, y);
        self.start = p;
        self.at = p;
    }

    fn line_to(&mut self, x: f32, y: f32) {
        let p = self.point(x, y);
        self.segment_to(p);
    }

    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        let (p0, c, p1) = (self.at, self.point(cx0, cy0), self.point(x, y));
        const N: usize = 8;
        for i in 1..=N {
            let t = i as f32 / N as f32;
            let u = 1.0 - t;
            self.segment_to((
                u * u * p0.0 + 2.0 * u * t * c.0 + t * t * p1.0,
                u * u * p0.1 + 2.0 * u * t * c.1 + t * t * p1.1,
            ));
        }
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        let (p0, c0, c1, p1) = (
            self.at,
            self.point(cx0, cy0),
            self.point(cx1, cy1),
            self.point(x, y),
        );
        const N: usize = 12;
        for i in 1..=N {
            let t = i as f32 / N as f32;
            let u = 1.0 - t;
            let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
            self.segment_to((
                a * p0.0 + b * c0.0 + c * c1.0 + d * p1.0,
                a * p0.1 + b * c0.1 + c * c1.1 + d * p1.1,
            ));
        }
    }

    fn close(&mut self) {
        let start = self.start;
        self.segment_to(start);
    }
}

impl<'a> GlyphRaster<'a> {
    pub fn new(data: &'a [u8], index: u32) -> Option<Self> {
        Some(Self {
            measure: TextFont::new(data, index)?,
            font: FontRef::from_index(data, index).ok()?,
        })
    }

    /// Width of `text` at `size` dots per em.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        self.measure.width(text) * size
    }

    /// `text` at `size` dots per em: one em tall, as wide as its advances.
    pub fn render(&self, text: &str, size: f32) -> Bitmap {
        let width = self.width(text, size).ceil().max(1.0) as usize;
        let height = size.ceil().max(1.0) as usize;
        let outlines = self.font.outline_glyphs();
        let mut pen = Edges {
            edges: Vec::new(),
            start: (0.0, 0.0),
            at: (0.0, 0.0),
            dx: 0.0,
            baseline: ASCENT * size,
        };
        for c in text.chars() {
            let (gid, advance) = self.measure.advance(c);
            if let Some(glyph) = outlines.get(GlyphId::new(gid)) {
                // A glyph that cannot be drawn is left blank rather than failing the label.
                let _ = glyph.draw(
                    DrawSettings::unhinted(Size::new(size), LocationRef::default()),
                    &mut pen,
                );
            }
            pen.dx += advance * size;
        }
        fill(&pen.edges, width, height)
    }
}

/// Non-zero fill of closed polygons given as edges; a dot is dark at half coverage or more.
fn fill(edges: &[[f32; 4]], width: usize, height: usize) -> Bitmap {
    let mut coverage = vec![0f32; width * height];
    let mut crossings: Vec<(f32, i32)> = Vec::new();
    for row in 0..height {
        for sub in 0..SUBROWS {
            let y = row as f32 + (sub as f32 + 0.5) / SUBROWS as f32;
            crossings.clear();
            for &[x0, y0, x1, y1] in edges {
                if (y0 <= y && y < y1) || (y1 <= y && y < y0) {
                    let x = x0 + (y - y0) * (x1 - x0) / (y1 - y0);
                    crossings.push((x, if y1 > y0 { 1 } else { -1 }));
                }
            }
            crossings.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut winding = 0;
            for pair in crossings.windows(2) {
                winding += pair[0].1;
                if winding == 0 {
                    continue;
                }
                let (xa, xb) = (pair[0].0.max(0.0), pair[1].0.min(width as f32));
                if xb <= xa {
                    continue;
                }
                for px in (xa.floor() as usize)..(xb.ceil() as usize).min(width) {
                    let overlap = xb.min(px as f32 + 1.0) - xa.max(px as f32);
                    if overlap > 0.0 {
                        coverage[row * width + px] += overlap / SUBROWS as f32;
                    }
                }
            }
        }
    }
    let row_bytes = width.div_ceil(8);
    let rows = (0..height)
        .map(|row| {
            let mut bytes = vec![0u8; row_bytes];
            for px in 0..width {
                if coverage[row * width + px] >= 0.5 {
                    bytes[px / 8] |= 0x80 >> (px % 8);
                }
            }
            bytes
        })
        .collect();
    Bitmap {
        width,
        height,
        rows,
    }
}
