//! A symbol as a 1-bit image on the dot grid, for bitmap mode and for the symbols a printer
//! language cannot carry natively.

use crate::symbol::{Modules, Symbol};

/// Rows of packed bits, most significant bit first, `true` = dark (the printer burns a dot).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Bitmap {
    pub width: usize,
    pub height: usize,
    pub rows: Vec<Vec<u8>>,
}

impl Bitmap {
    pub fn row_bytes(&self) -> usize {
        self.width.div_ceil(8)
    }
}

/// The symbol's modules (no quiet zone: the label around it is blank), `module` dots each;
/// linear symbols `bar_h` dots tall.
pub(crate) fn symbol_bitmap(symbol: &Symbol, module: usize, bar_h: usize) -> Bitmap {
    type Dark<'a> = Box<dyn Fn(usize, usize) -> bool + 'a>;
    let (cols, rows, dark): (usize, usize, Dark<'_>) = match symbol.modules() {
        Modules::Matrix {
            width,
            height,
            dark,
        } => (*width, *height, Box::new(move |x, y| dark[y * width + x])),
        Modules::Linear { bars } => (bars.len(), 1, Box::new(move |x, _| bars[x])),
    };
    let width = cols * module;
    let row_bytes = width.div_ceil(8);
    let mut out = Vec::new();
    for y in 0..rows {
        let mut row = vec![0u8; row_bytes];
        for x in 0..cols {
            if dark(x, y) {
                for sub in 0..module {
                    let bit = x * module + sub;
                    row[bit / 8] |= 0x80 >> (bit % 8);
                }
            }
        }
        let repeat = if bar_h > 0 { bar_h } else { module };
        for _ in 0..repeat {
            out.push(row.clone());
        }
    }
    Bitmap {
        width,
        height: out.len(),
        rows: out,
    }
}
