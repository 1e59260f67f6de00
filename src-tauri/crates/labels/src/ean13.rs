//! EAN-13 through `barcoders`, after our own length and check-digit checks so the user gets a
//! typed error with the expected digit.

use barcoders::sym::ean13::EAN13;

use crate::error::LabelError;
use crate::symbol::{Content, Modules, Symbology};

/// The 13 digits to encode: a GTIN-13 as text, or GS1 data holding only an AI (01) GTIN-14
/// with a leading zero (the GTIN-13 in 14-digit form).
pub(crate) fn digits_from(content: &Content) -> Result<String, LabelError> {
    let text = match content {
        Content::Text(text) => text.as_str(),
        Content::Gs1 { elements } => match elements.as_slice() {
            [(ai, gtin)] if ai == "01" && gtin.len() == 14 && gtin.starts_with('0') => &gtin[1..],
            _ => {
                return Err(LabelError::ContentMismatch {
                    symbology: Symbology::Ean13,
                    content: "gs1",
                });
            }
        },
        Content::Gs1ElementString(_) => {
            return Err(LabelError::ContentMismatch {
                symbology: Symbology::Ean13,
                content: "gs1",
            });
        }
    };
    if let Some((pos, ch)) = text.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
        return Err(LabelError::UnsupportedChar {
            symbology: Symbology::Ean13,
            ch,
            pos,
        });
    }
    if text.len() != 13 {
        return Err(LabelError::Ean13Length { got: text.len() });
    }
    let digits: Vec<u8> = text.bytes().map(|b| b - b'0').collect();
    let expected = check_digit(&digits[..12]);
    if digits[12] != expected {
        return Err(LabelError::Ean13CheckDigit {
            expected,
            found: digits[12],
        });
    }
    Ok(text.to_owned())
}

/// GS1 mod-10 check digit: weights 3 and 1 from the right (domain notes §A.1).
fn check_digit(body: &[u8]) -> u8 {
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| u32::from(d) * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// The 95 modules of an EAN-13 symbol (guards included, quiet zones not).
pub(crate) fn encode(digits: &str) -> Result<Modules, LabelError> {
    let code = EAN13::new(digits).map_err(|e| LabelError::Encoder {
        symbology: Symbology::Ean13,
        detail: e.to_string(),
    })?;
    let bars = code.encode().into_iter().map(|m| m == 1).collect();
    Ok(Modules::Linear { bars })
}

/// Module ranges of the start, centre and end guard bars, which extend below the others.
pub(crate) const GUARDS: [std::ops::Range<usize>; 3] = [0..3, 45..50, 92..95];
