//! Tests. The decode tests read what we print with `rxing` (a port of ZXing), which shares no
//! code with the encoders (`qrcode`, `datamatrix`, `barcoders` and our Code 128 planner).
//!
//! Test data is GS1's demo prefix 952 (domain notes §A.8–A.9).

mod code128;
mod decode;
mod errors;
mod printer;
mod sheet;
mod svg;

use rxing::{BarcodeFormat, DecodeHints, RXingResultMetadataType, RXingResultMetadataValue};

pub(crate) const GTIN14: &str = "09520123456788";
pub(crate) const GTIN13: &str = "9520123456788";
pub(crate) const LOT: &str = "ABC123";
pub(crate) const SERIAL: &str = "12345XYZ";
pub(crate) const EXPIRY: &str = "261231";
pub(crate) const DIGITAL_LINK: &str = "https://id.gs1.org/01/09520123456788/10/ABC123/21/12345XYZ";

/// (01)(17)(10)(21): the fixed-length elements first, so one separator is enough.
pub(crate) fn demo_elements() -> Vec<(&'static str, &'static str)> {
    vec![("01", GTIN14), ("17", EXPIRY), ("10", LOT), ("21", SERIAL)]
}

/// What a scanner must transmit for [`demo_elements`], written out by hand: FNC1 after the
/// variable-length (10) only, as GS.
pub(crate) const DEMO_ELEMENT_STRING: &str = concat!(
    "01",
    "09520123456788",
    "17",
    "261231",
    "10",
    "ABC123",
    "\x1d",
    "21",
    "12345XYZ"
);

/// What a decoder returned.
#[derive(Debug)]
pub(crate) struct Decoded {
    pub text: String,
    pub symbology_identifier: String,
}

/// Greyscale pixels of a PNG (any colour type and depth).
pub(crate) fn luma_of_png(bytes: &[u8]) -> (Vec<u8>, u32, u32) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("png size")];
    let info = reader.next_frame(&mut buf).expect("png data");
    let (w, h) = (info.width, info.height);
    let channels = info.color_type.samples();
    let luma = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|px| match channels {
            1 | 2 => px[0],
            _ => {
                ((u32::from(px[0]) * 299 + u32::from(px[1]) * 587 + u32::from(px[2]) * 114) / 1000)
                    as u8
            }
        })
        .collect();
    (luma, w, h)
}

/// Decodes greyscale pixels with rxing, looking only for `format`. `gs1` asks the Code 128
/// reader to report FNC1 (as `]C1` first and GS after), as a GS1 scanner does.
pub(crate) fn decode_luma(
    luma: Vec<u8>,
    width: u32,
    height: u32,
    format: BarcodeFormat,
    gs1: bool,
) -> Result<Decoded, String> {
    let mut hints = DecodeHints {
        TryHarder: Some(true),
        AssumeGs1: Some(gs1),
        ..DecodeHints::default()
    };
    let result =
        rxing::helpers::detect_in_luma_with_hints(luma, width, height, Some(format), &mut hints)
            .map_err(|e| format!("{format:?} not decoded: {e:?}"))?;
    let symbology_identifier = match result
        .getRXingResultMetadata()
        .get(&RXingResultMetadataType::SYMBOLOGY_IDENTIFIER)
    {
        Some(RXingResultMetadataValue::SymbologyIdentifier(id)) => id.clone(),
        _ => String::new(),
    };
    Ok(Decoded {
        text: result.getText().to_owned(),
        symbology_identifier,
    })
}

pub(crate) fn decode_png(bytes: &[u8], format: BarcodeFormat, gs1: bool) -> Decoded {
    let (luma, w, h) = luma_of_png(bytes);
    decode_luma(luma, w, h, format, gs1).unwrap_or_else(|e| panic!("{e}"))
}
