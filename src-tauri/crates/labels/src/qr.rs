//! QR Code through the `qrcode` crate, which has FNC1-first and ECI mode indicators but leaves
//! segmenting GS1 data to the caller.

use qrcode::bits::Bits;
use qrcode::optimize::{Parser, Segment};
use qrcode::types::{Mode, QrError};
use qrcode::{Color, EcLevel, QrCode, Version};

use crate::error::LabelError;
use crate::symbol::{Modules, Symbology};

/// Level M (15 % recovery): GS1's recommendation for GS1 QR, and a good trade-off for labels
/// that get scuffed.
const EC_LEVEL: EcLevel = EcLevel::M;

/// ECI designator for UTF-8 (AIM ECI 26).
const ECI_UTF8: u32 = 26;

#[derive(Clone, Copy)]
enum Kind {
    /// FNC1 in first position; GS separators travel in byte mode.
    Gs1,
    /// ASCII text, segmented optimally.
    Ascii,
    /// Non-ASCII text: ECI UTF-8 and one byte-mode segment.
    Utf8,
}

/// GS1 QR: `data` is the element string with GS separators.
pub(crate) fn encode_gs1(data: &str) -> Result<Modules, LabelError> {
    encode(data.as_bytes(), Kind::Gs1)
}

/// A plain QR Code of `text` (a Digital Link URI, or any text).
pub(crate) fn encode_text(text: &str) -> Result<Modules, LabelError> {
    if text.is_empty() {
        return Err(LabelError::Empty);
    }
    let kind = if text.is_ascii() {
        Kind::Ascii
    } else {
        Kind::Utf8
    };
    encode(text.as_bytes(), kind)
}

fn encode(data: &[u8], kind: Kind) -> Result<Modules, LabelError> {
    // The smallest version that holds the data: segment costs depend on the version (length
    // fields grow at versions 10 and 27), so each version is tried in turn; 40 tries at most.
    for v in 1..=40 {
        let version = Version::Normal(v);
        match bits_for(data, kind, version) {
            Ok(bits) => {
                let code = QrCode::with_bits(bits, EC_LEVEL).map_err(encoder_error)?;
                let width = code.width();
                let dark = code
                    .to_colors()
                    .into_iter()
                    .map(|c| c == Color::Dark)
                    .collect();
                return Ok(Modules::Matrix {
                    width,
                    height: width,
                    dark,
                });
            }
            Err(QrError::DataTooLong) => continue,
            Err(e) => return Err(encoder_error(e)),
        }
    }
    Err(LabelError::TooLong {
        symbology: Symbology::Qr,
    })
}

fn bits_for(data: &[u8], kind: Kind, version: Version) -> Result<Bits, QrError> {
    let mut bits = Bits::new(version);
    match kind {
        Kind::Gs1 => {
            bits.push_fnc1_first_position()?;
            for segment in gs1_segments(data, version) {
                push(&mut bits, data, segment)?;
            }
        }
        Kind::Ascii => {
            // ASCII never forms Shift JIS pairs, so the parser proposes no Kanji segments.
            bits.push_optimal_data(data)?;
        }
        Kind::Utf8 => {
            // Not the optimiser: it would read UTF-8 byte pairs such as 0xE4 0xB8 as Shift JIS
            // Kanji and the decoder would return other characters.
            bits.push_eci_designator(ECI_UTF8)?;
            bits.push_byte_data(data)?;
        }
    }
    bits.push_terminator(EC_LEVEL)?;
    Ok(bits)
}

/// Optimal segments for GS1 data, with every `%` moved out of alphanumeric segments.
///
/// With FNC1 in effect, `%` in alphanumeric mode means FNC1 and a literal `%` must be written
/// `%%` (ISO/IEC 18004 §7.4.8.1). Several decoders get `%%` wrong (rxing 0.9 fails on it), so a
/// literal `%` goes into byte mode instead, where it is always literal; GS separators are not
/// alphanumeric and land in byte segments by themselves.
fn gs1_segments(data: &[u8], version: Version) -> Vec<Segment> {
    let mut out = Vec::new();
    for segment in Parser::new(data).optimize(version) {
        if segment.mode != Mode::Alphanumeric {
            out.push(segment);
            continue;
        }
        let mut begin = segment.begin;
        let positions = segment.begin..segment.end;
        for (i, &byte) in positions.clone().zip(&data[positions]) {
            if byte == b'%' {
                if begin < i {
                    out.push(Segment {
                        mode: Mode::Alphanumeric,
                        begin,
                        end: i,
                    });
                }
                out.push(Segment {
                    mode: Mode::Byte,
                    begin: i,
                    end: i + 1,
                });
                begin = i + 1;
            }
        }
        if begin < segment.end {
            out.push(Segment {
                mode: Mode::Alphanumeric,
                begin,
                end: segment.end,
            });
        }
    }
    out
}

fn push(bits: &mut Bits, data: &[u8], segment: Segment) -> Result<(), QrError> {
    let slice = &data[segment.begin..segment.end];
    match segment.mode {
        Mode::Numeric => bits.push_numeric_data(slice),
        Mode::Alphanumeric => bits.push_alphanumeric_data(slice),
        // GS1 data is ASCII, so the parser never proposes Kanji; byte mode is right either way.
        Mode::Byte | Mode::Kanji => bits.push_byte_data(slice),
    }
}

fn encoder_error(e: QrError) -> LabelError {
    LabelError::Encoder {
        symbology: Symbology::Qr,
        detail: e.to_string(),
    }
}
