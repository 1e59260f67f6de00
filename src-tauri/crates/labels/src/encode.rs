//! Encoding one symbol: the dispatch from [`SymbolData`] to the symbology's encoder.

use crate::error::LabelError;
use crate::symbol::{Content, Symbol, SymbolData, Symbology};
use crate::{code128, data_matrix, ean13, gs1, qr};

/// Encodes one symbol.
pub fn encode(data: &SymbolData) -> Result<Symbol, LabelError> {
    let symbology = data.symbology;
    let gs1_string = match &data.content {
        Content::Gs1 { elements } => Some(gs1::element_string(elements)?),
        Content::Gs1ElementString(raw) => Some(gs1::check_element_string(raw)?),
        Content::Text(_) => None,
    };
    let mismatch = || LabelError::ContentMismatch {
        symbology,
        content: data.content.kind(),
    };
    let (modules, transmitted, identifier) = match (symbology, &data.content, gs1_string) {
        (Symbology::Qr, _, Some(gs1)) => (qr::encode_gs1(&gs1)?, gs1, "]Q3"),
        (Symbology::Qr, Content::Text(text), None) => {
            let eci = !text.is_ascii();
            let modules = qr::encode_text(text)?;
            (modules, text.clone(), if eci { "]Q2" } else { "]Q1" })
        }
        (Symbology::Gs1DataMatrix, _, Some(gs1)) => (data_matrix::encode_gs1(&gs1)?, gs1, "]d2"),
        (Symbology::Gs1_128, _, Some(gs1)) => (code128::encode_gs1(&gs1)?, gs1, "]C1"),
        (Symbology::Code128, Content::Text(text), None) => {
            (code128::encode_text(text)?, text.clone(), "]C0")
        }
        (Symbology::Ean13, content, _) => {
            let digits = ean13::digits_from(content)?;
            let modules = ean13::encode(&digits)?;
            return Ok(Symbol {
                symbology,
                modules,
                hri: digits.clone(),
                transmitted: digits,
                identifier: "]E0",
            });
        }
        _ => return Err(mismatch()),
    };
    Ok(Symbol {
        symbology,
        modules,
        hri: data.hri.clone(),
        transmitted,
        identifier,
    })
}
