//! GS1 DataMatrix through the `datamatrix` crate: its GS1 mode writes FNC1 in first position;
//! separators are GS (ASCII 29) in the data, which GS1 accepts in place of a separator FNC1
//! and scanners transmit the same way.

use datamatrix::data::DataEncodingError;
use datamatrix::{DataMatrixBuilder, SymbolList};

use crate::error::LabelError;
use crate::symbol::{Modules, Symbology};

/// `data` is the element string with GS separators.
pub(crate) fn encode_gs1(data: &str) -> Result<Modules, LabelError> {
    // Square sizes only: GS1 DataMatrix allows rectangles, but labels and most printed guidance
    // use squares, and a square reads from any angle with any scanner.
    let code = DataMatrixBuilder::new()
        .with_symbol_list(SymbolList::default().enforce_square())
        .with_fnc1_start(true)
        .encode(data.as_bytes())
        .map_err(|e| match e {
            DataEncodingError::TooMuchOrIllegalData => LabelError::TooLong {
                symbology: Symbology::Gs1DataMatrix,
            },
            DataEncodingError::SymbolListEmpty => LabelError::Encoder {
                symbology: Symbology::Gs1DataMatrix,
                detail: "no symbol size allowed".to_owned(),
            },
        })?;
    let bitmap = code.bitmap();
    let (width, height) = (bitmap.width(), bitmap.height());
    let mut dark = vec![false; width * height];
    for (x, y) in bitmap.pixels() {
        dark[y * width + x] = true;
    }
    Ok(Modules::Matrix {
        width,
        height,
        dark,
    })
}
