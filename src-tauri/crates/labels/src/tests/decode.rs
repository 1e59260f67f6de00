//! Round trips: encode → PNG → rxing → the same data, FNC1 included.

use rxing::BarcodeFormat;

use super::*;
use crate::{Content, RenderOptions, Symbol, SymbolData, Symbology, encode, to_png};

fn png_of(symbol: &Symbol) -> Vec<u8> {
    to_png(symbol, &RenderOptions::default()).expect("png")
}

#[track_caller]
fn check(data: SymbolData, format: BarcodeFormat, gs1: bool, text: &str, identifier: &str) {
    let symbol = encode(&data).expect("encodes");
    assert_eq!(
        symbol.transmitted(),
        text,
        "what the symbol claims to carry"
    );
    assert_eq!(symbol.symbology_identifier(), identifier);
    let decoded = decode_png(&png_of(&symbol), format, gs1);
    // With AssumeGs1 rxing's Code 128 reader puts the identifier in front of the text.
    let decoded_text = decoded.text.strip_prefix("]C1").unwrap_or(&decoded.text);
    assert_eq!(
        decoded_text, text,
        "decoded data must equal the input exactly"
    );
    assert_eq!(
        decoded.symbology_identifier, identifier,
        "the decoder must see the symbology modifier (FNC1 first for GS1)"
    );
    println!(
        "{:?}: decoded {:?} with {} ({} modules wide)",
        data.symbology,
        decoded.text,
        decoded.symbology_identifier,
        symbol.modules().width()
    );
}

#[test]
fn qr_with_a_digital_link_uri_decodes_to_the_uri() {
    check(
        SymbolData::text(Symbology::Qr, DIGITAL_LINK),
        BarcodeFormat::QR_CODE,
        false,
        DIGITAL_LINK,
        "]Q1",
    );
}

#[test]
fn gs1_qr_decodes_with_fnc1_first_and_gs_separators() {
    check(
        SymbolData::gs1(Symbology::Qr, demo_elements()),
        BarcodeFormat::QR_CODE,
        false,
        DEMO_ELEMENT_STRING,
        "]Q3",
    );
}

#[test]
fn gs1_qr_keeps_a_literal_percent_apart_from_fnc1() {
    // In alphanumeric mode under FNC1 a lone % means FNC1, so ours goes in byte mode.
    check(
        SymbolData::gs1(
            Symbology::Qr,
            [("01", GTIN14), ("10", "AB%12CD"), ("21", "X%Y")],
        ),
        BarcodeFormat::QR_CODE,
        false,
        "010952012345678810AB%12CD\x1d21X%Y",
        "]Q3",
    );
}

#[test]
fn qr_with_chinese_text_round_trips_through_utf8_eci() {
    let text = "追溯通 批次ABC123 电动自行车";
    check(
        SymbolData::text(Symbology::Qr, text),
        BarcodeFormat::QR_CODE,
        false,
        text,
        "]Q2",
    );
}

#[test]
fn gs1_datamatrix_decodes_with_fnc1_first_and_gs_separators() {
    check(
        SymbolData::gs1(Symbology::Gs1DataMatrix, demo_elements()),
        BarcodeFormat::DATA_MATRIX,
        false,
        DEMO_ELEMENT_STRING,
        "]d2",
    );
}

#[test]
fn gs1_datamatrix_puts_a_separator_after_every_variable_element_but_the_last() {
    check(
        SymbolData::gs1(
            Symbology::Gs1DataMatrix,
            [("01", GTIN14), ("10", LOT), ("21", SERIAL), ("17", EXPIRY)],
        ),
        BarcodeFormat::DATA_MATRIX,
        false,
        "010952012345678810ABC123\x1d2112345XYZ\x1d17261231",
        "]d2",
    );
}

#[test]
fn gs1_datamatrix_from_an_element_string_matches_the_pairs() {
    let data = SymbolData {
        symbology: Symbology::Gs1DataMatrix,
        content: Content::Gs1ElementString(DEMO_ELEMENT_STRING.to_owned()),
        hri: String::new(),
    };
    check(
        data,
        BarcodeFormat::DATA_MATRIX,
        false,
        DEMO_ELEMENT_STRING,
        "]d2",
    );
}

#[test]
fn gs1_128_decodes_with_fnc1_start_and_fnc1_separators() {
    check(
        SymbolData::gs1(Symbology::Gs1_128, demo_elements()),
        BarcodeFormat::CODE_128,
        true,
        DEMO_ELEMENT_STRING,
        "]C1",
    );
}

#[test]
fn gs1_128_with_a_variable_element_in_the_middle_and_odd_digits() {
    check(
        SymbolData::gs1(
            Symbology::Gs1_128,
            [
                ("01", GTIN14),
                ("21", "123"),
                ("10", "L7"),
                ("3103", "001250"),
            ],
        ),
        BarcodeFormat::CODE_128,
        true,
        "010952012345678821123\x1d10L7\x1d3103001250",
        "]C1",
    );
}

#[test]
fn ean13_decodes_to_the_gtin13() {
    check(
        SymbolData::text(Symbology::Ean13, GTIN13),
        BarcodeFormat::EAN_13,
        false,
        GTIN13,
        "]E0",
    );
}

#[test]
fn ean13_from_a_gtin14_with_leading_zero() {
    check(
        SymbolData::gs1(Symbology::Ean13, [("01", GTIN14)]),
        BarcodeFormat::EAN_13,
        false,
        GTIN13,
        "]E0",
    );
}

#[test]
fn code128_round_trips_ecode_digital_id_and_free_text() {
    for text in [
        // Ecode-like (GB/T 31866): dotted digit groups.
        "10086.1001.2025.000123",
        // 数字身份码-like: letters and a long digit run.
        "SZ2025A00001234567",
        "12345",
        "abcDEF-xyz_09",
        "0123456789012345678901234567890123456789",
    ] {
        check(
            SymbolData::text(Symbology::Code128, text),
            BarcodeFormat::CODE_128,
            false,
            text,
            "]C0",
        );
    }
}

#[test]
fn png_size_is_modules_plus_quiet_zones_times_module_px() {
    let symbol = encode(&SymbolData::text(Symbology::Qr, DIGITAL_LINK)).unwrap();
    let n = symbol.modules().width() as u32;
    for px in [1, 3, 10] {
        let png = to_png(
            &symbol,
            &RenderOptions {
                module_px: px,
                ..RenderOptions::default()
            },
        )
        .unwrap();
        let (_, w, h) = luma_of_png(&png);
        assert_eq!((w, h), ((n + 8) * px, (n + 8) * px));
    }
    let ean = encode(&SymbolData::text(Symbology::Ean13, GTIN13)).unwrap();
    let png = to_png(&ean, &RenderOptions::default()).unwrap();
    let (_, w, h) = luma_of_png(&png);
    assert_eq!((w, h), ((11 + 95 + 7) * 4, (2 + 69 + 2) * 4));
}

#[test]
fn a_png_with_a_larger_quiet_zone_still_decodes() {
    let symbol = encode(&SymbolData::gs1(Symbology::Gs1DataMatrix, demo_elements())).unwrap();
    let png = to_png(
        &symbol,
        &RenderOptions {
            module_px: 6,
            quiet_zone: Some(6),
            ..RenderOptions::default()
        },
    )
    .unwrap();
    let decoded = decode_png(&png, BarcodeFormat::DATA_MATRIX, false);
    assert_eq!(decoded.text, DEMO_ELEMENT_STRING);
}
