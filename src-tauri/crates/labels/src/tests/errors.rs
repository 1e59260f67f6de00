//! Errors: typed, English lowercase, and a Chinese message for the UI.

use super::*;
use crate::error::Gs1Problem;
use crate::{
    Content, LabelContent, LabelError, RenderOptions, SheetLayout, SymbolData, Symbology, encode,
    sheet_pdf, to_png,
};

#[test]
fn ean13_with_14_digits_is_too_long() {
    let err = encode(&SymbolData::text(Symbology::Ean13, "95201234567881")).unwrap_err();
    assert_eq!(err, LabelError::Ean13Length { got: 14 });
    assert_eq!(err.to_string(), "ean-13 needs 13 digits, got 14");
    assert_eq!(
        err.message().zh,
        "数据太长：EAN-13 只能容纳 13 位数字，实为 14 位"
    );
}

#[test]
fn ean13_with_a_wrong_check_digit_names_the_right_one() {
    let err = encode(&SymbolData::text(Symbology::Ean13, "9520123456787")).unwrap_err();
    assert_eq!(
        err,
        LabelError::Ean13CheckDigit {
            expected: 8,
            found: 7
        }
    );
    assert_eq!(err.message().zh, "EAN-13 校验位应为 8，实为 7");
}

#[test]
fn ean13_of_a_gtin14_with_indicator_digit_is_refused() {
    let err = encode(&SymbolData::gs1(
        Symbology::Ean13,
        [("01", "19520123456785")],
    ))
    .unwrap_err();
    assert!(matches!(err, LabelError::ContentMismatch { .. }), "{err:?}");
}

#[test]
fn code128_refuses_chinese_with_the_position() {
    let err = encode(&SymbolData::text(Symbology::Code128, "AB批次")).unwrap_err();
    assert_eq!(
        err,
        LabelError::UnsupportedChar {
            symbology: Symbology::Code128,
            ch: '批',
            pos: 2
        }
    );
    assert!(
        err.message()
            .zh
            .starts_with("第 3 个字符“批”不能编入Code 128 条码")
    );
}

#[test]
fn gs1_symbologies_refuse_plain_text_and_code128_refuses_gs1() {
    for symbology in [Symbology::Gs1_128, Symbology::Gs1DataMatrix] {
        let err = encode(&SymbolData::text(symbology, "ABC")).unwrap_err();
        assert_eq!(
            err,
            LabelError::ContentMismatch {
                symbology,
                content: "text"
            }
        );
    }
    let err = encode(&SymbolData::gs1(Symbology::Code128, demo_elements())).unwrap_err();
    assert_eq!(
        err.message().zh,
        "Code 128 条码 不能承载 GS1 数据，请改用 GS1-128"
    );
}

#[test]
fn a_fixed_length_element_with_the_wrong_length_is_refused() {
    let err = encode(&SymbolData::gs1(
        Symbology::Gs1_128,
        [("01", GTIN13), ("10", LOT)],
    ))
    .unwrap_err();
    assert_eq!(
        err,
        LabelError::Gs1Element {
            index: 0,
            ai: "01".to_owned(),
            problem: Gs1Problem::FixedLength {
                expected: 14,
                got: 13
            }
        }
    );
    assert_eq!(
        err.to_string(),
        "gs1 element 0 (01): value must be 14 characters, got 13"
    );
}

#[test]
fn gs1_values_with_spaces_or_chinese_are_refused() {
    for value in ["AB 12", "批次1"] {
        let err = encode(&SymbolData::gs1(
            Symbology::Qr,
            [("01", GTIN14), ("10", value)],
        ))
        .unwrap_err();
        assert!(
            matches!(
                err,
                LabelError::Gs1Element {
                    problem: Gs1Problem::BadChar { .. },
                    ..
                }
            ),
            "{err:?}"
        );
    }
}

#[test]
fn element_strings_with_misplaced_separators_are_refused() {
    for raw in ["\x1d0109520123456788", "10ABC\x1d\x1d21X", "10ABC\x1d", ""] {
        let data = SymbolData {
            symbology: Symbology::Gs1DataMatrix,
            content: Content::Gs1ElementString(raw.to_owned()),
            hri: String::new(),
        };
        assert!(encode(&data).is_err(), "{raw:?} must be refused");
    }
}

#[test]
fn qr_data_over_capacity_is_too_long() {
    let err = encode(&SymbolData::text(Symbology::Qr, "A".repeat(5000))).unwrap_err();
    assert_eq!(
        err,
        LabelError::TooLong {
            symbology: Symbology::Qr
        }
    );
    assert_eq!(
        err.message().zh,
        "数据太长，二维码（QR）放不下，请减少编码内容"
    );
}

#[test]
fn gs1_128_over_48_characters_is_too_long() {
    let err = encode(&SymbolData::gs1(
        Symbology::Gs1_128,
        [
            ("01", GTIN14),
            ("10", "A".repeat(20).as_str()),
            ("21", "B".repeat(20).as_str()),
        ],
    ))
    .unwrap_err();
    assert_eq!(
        err,
        LabelError::TooLong {
            symbology: Symbology::Gs1_128
        }
    );
}

#[test]
fn png_module_size_zero_is_refused() {
    let symbol = encode(&SymbolData::text(Symbology::Code128, "ABC")).unwrap();
    let opts = RenderOptions {
        module_px: 0,
        ..RenderOptions::default()
    };
    assert_eq!(
        to_png(&symbol, &opts),
        Err(LabelError::BadModuleSize { got: 0 })
    );
}

#[test]
fn four_60mm_columns_do_not_fit_a4_and_say_so_in_chinese() {
    let layout = SheetLayout {
        gap_mm: (0.0, 0.0),
        ..SheetLayout::a4(60.0, 40.0, 4, 6)
    };
    let err = layout.validate().unwrap_err();
    assert_eq!(
        err.message().zh,
        "标签尺寸 60×40mm × 4 列超出 A4 可用宽度 190mm，请减少列数或缩小标签"
    );
    assert_eq!(
        err.to_string(),
        "4 columns of 60 mm labels need 240 mm, the page has 190 mm between the margins"
    );
}

#[test]
fn gaps_count_towards_the_width_and_the_message_says_so() {
    // 3 × 62 = 186 fits 190, but not with two 3 mm gaps.
    let layout = SheetLayout {
        gap_mm: (3.0, 2.0),
        ..SheetLayout::a4(62.0, 30.0, 3, 8)
    };
    assert_eq!(
        layout.validate().unwrap_err().message().zh,
        "标签尺寸 62×30mm × 3 列（含列间距共 192mm）超出 A4 可用宽度 190mm，请减少列数或缩小标签"
    );
}

#[test]
fn too_many_rows_do_not_fit() {
    let err = SheetLayout::a4(60.0, 40.0, 3, 7).validate().unwrap_err();
    assert!(
        matches!(err, LabelError::TooTall { rows: 7, .. }),
        "{err:?}"
    );
    assert!(err.message().zh.contains("超出 A4 可用高度 277mm"));
}

#[test]
fn nonsense_layout_numbers_are_refused() {
    let mut layout = SheetLayout::a4(60.0, 40.0, 3, 6);
    layout.label_w_mm = f32::NAN;
    assert_eq!(
        layout.validate(),
        Err(LabelError::BadLayout {
            field: "label_w_mm"
        })
    );
    let mut layout = SheetLayout::a4(60.0, 40.0, 0, 6);
    assert_eq!(
        layout.validate(),
        Err(LabelError::BadLayout { field: "cols" })
    );
    layout.cols = 3;
    layout.margin_mm[1] = -1.0;
    assert_eq!(
        layout.validate(),
        Err(LabelError::BadLayout { field: "margin_mm" })
    );
}

#[test]
fn no_labels_and_unreadable_fonts_are_errors_not_panics() {
    let layout = SheetLayout::a4(60.0, 40.0, 3, 6);
    assert_eq!(
        sheet_pdf(Vec::new(), &layout, b"not a font", 0),
        Err(LabelError::NoLabels)
    );
    let label = LabelContent {
        symbol: SymbolData::text(Symbology::Qr, DIGITAL_LINK),
        title: "电动自行车".to_owned(),
        subtitle: String::new(),
    };
    let err = sheet_pdf([label], &layout, b"not a font", 0).unwrap_err();
    assert_eq!(err, LabelError::Font { index: 0 });
    assert!(err.message().zh.contains("无法读取字体文件"));
}
