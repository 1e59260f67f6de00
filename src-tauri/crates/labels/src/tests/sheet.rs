//! Label sheets: a real CJK font, page counts, subsetting, and scanning the rendered page.
//!
//! The font is Noto Sans CJK (Debian `fonts-noto-cjk`); page rendering uses `pdftoppm`
//! (Debian `poppler-utils`). Without them the tests say so and skip those parts.

use std::path::{Path, PathBuf};
use std::process::Command;

use rxing::BarcodeFormat;

use super::*;
use crate::{LabelContent, LabelError, SheetLayout, SymbolData, Symbology, sheet_pdf};

const NOTO_CJK: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
/// Face 2 of the collection is Noto Sans CJK SC (Simplified Chinese glyph forms).
const NOTO_SC: u32 = 2;

fn noto() -> Option<Vec<u8>> {
    match std::fs::read(NOTO_CJK) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            println!(
                "SKIPPED: no CJK font at {NOTO_CJK} ({e}); install fonts-noto-cjk to run this test"
            );
            None
        }
    }
}

/// A 3 × 7 grid of 60 × 37 mm labels: 21 per page.
fn layout() -> SheetLayout {
    SheetLayout {
        gap_mm: (5.0, 2.0),
        ..SheetLayout::a4(60.0, 37.0, 3, 7)
    }
}

struct Expected {
    label: LabelContent,
    format: BarcodeFormat,
    gs1: bool,
    /// What a scanner must transmit, written out independently of the encoder.
    text: String,
    /// The symbology identifier it must report.
    id: &'static str,
}

const TITLES: [&str; 6] = [
    "电动自行车用锂离子蓄电池",
    "家用燃气灶具",
    "儿童自行车（12 英寸）",
    "电线电缆 BV-2.5mm²",
    "安全帽",
    "储水式电热水器 60L",
];

/// Every symbology in turn, with Chinese names.
fn mixed_labels(n: usize) -> Vec<Expected> {
    (0..n)
        .map(|i| {
            let serial = format!("S{i:05}");
            let (symbol, format, gs1, text, id) = match i % 6 {
                0 => (
                    SymbolData::gs1(
                        Symbology::Qr,
                        [
                            ("01", GTIN14),
                            ("17", EXPIRY),
                            ("10", LOT),
                            ("21", serial.as_str()),
                        ],
                    ),
                    BarcodeFormat::QR_CODE,
                    false,
                    format!("01095201234567881726123110ABC123\x1d21{serial}"),
                    "]Q3",
                ),
                1 => {
                    let uri = format!("https://id.gs1.org/01/{GTIN14}/10/{LOT}/21/{serial}");
                    (
                        SymbolData::text(Symbology::Qr, uri.clone()),
                        BarcodeFormat::QR_CODE,
                        false,
                        uri,
                        "]Q1",
                    )
                }
                2 => (
                    SymbolData::gs1(
                        Symbology::Gs1DataMatrix,
                        [
                            ("01", GTIN14),
                            ("17", EXPIRY),
                            ("10", LOT),
                            ("21", serial.as_str()),
                        ],
                    ),
                    BarcodeFormat::DATA_MATRIX,
                    false,
                    format!("01095201234567881726123110ABC123\x1d21{serial}"),
                    "]d2",
                ),
                3 => (
                    SymbolData::gs1(
                        Symbology::Gs1_128,
                        [("01", GTIN14), ("17", EXPIRY), ("10", LOT)],
                    ),
                    BarcodeFormat::CODE_128,
                    true,
                    "]C101095201234567881726123110ABC123".to_owned(),
                    "]C1",
                ),
                4 => (
                    SymbolData::text(Symbology::Ean13, GTIN13),
                    BarcodeFormat::EAN_13,
                    false,
                    GTIN13.to_owned(),
                    "]E0",
                ),
                _ => {
                    let ecode = format!("10086.1001.2025.{i:06}");
                    (
                        SymbolData::text(Symbology::Code128, ecode.clone()),
                        BarcodeFormat::CODE_128,
                        false,
                        ecode,
                        "]C0",
                    )
                }
            };
            Expected {
                label: LabelContent {
                    symbol,
                    title: TITLES[i % TITLES.len()].to_owned(),
                    subtitle: format!("型号 XD-{} · 批次 {LOT}", 48 + i),
                },
                format,
                gs1,
                text,
                id,
            }
        })
        .collect()
}

fn page_count(pdf: &[u8]) -> usize {
    lopdf::Document::load_mem(pdf)
        .expect("lopdf parses the PDF")
        .get_pages()
        .len()
}

/// Bytes of every embedded font program (FontFile, FontFile2, FontFile3).
fn embedded_font_bytes(pdf: &[u8]) -> usize {
    let doc = lopdf::Document::load_mem(pdf).expect("lopdf parses the PDF");
    let mut total = 0;
    for object in doc.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        if !matches!(
            dict.get(b"Type").and_then(|t| t.as_name()),
            Ok(b"FontDescriptor")
        ) {
            continue;
        }
        for key in [&b"FontFile"[..], b"FontFile2", b"FontFile3"] {
            if let Ok(id) = dict.get(key).and_then(|r| r.as_reference())
                && let Ok(stream) = doc.get_object(id).and_then(|o| o.as_stream())
            {
                total += stream.content.len();
            }
        }
    }
    total
}

/// Where to keep the PDF and page image for a person to look at: `$LABELS_TEST_OUTPUT`, or a
/// temporary directory that is removed afterwards.
fn output_dir() -> (PathBuf, Option<tempfile::TempDir>) {
    match std::env::var_os("LABELS_TEST_OUTPUT") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            std::fs::create_dir_all(&dir).expect("output dir");
            (dir, None)
        }
        None => {
            let tmp = tempfile::tempdir().expect("temp dir");
            (tmp.path().to_owned(), Some(tmp))
        }
    }
}

/// Page 1 rendered to greyscale PNG at `dpi`, or `None` without pdftoppm.
fn render_page1(pdf_path: &Path, dpi: u32) -> Option<PathBuf> {
    let prefix = pdf_path.with_extension("");
    let status = Command::new("pdftoppm")
        .args([
            "-r",
            &dpi.to_string(),
            "-f",
            "1",
            "-l",
            "1",
            "-gray",
            "-png",
            "-singlefile",
        ])
        .arg(pdf_path)
        .arg(&prefix)
        .status();
    match status {
        Ok(s) if s.success() => Some(prefix.with_extension("png")),
        Ok(s) => panic!("pdftoppm failed: {s}"),
        Err(e) => {
            println!(
                "SKIPPED the page scan: pdftoppm not runnable ({e}); install poppler-utils to run it"
            );
            None
        }
    }
}

#[test]
fn two_pages_of_chinese_labels_are_small_and_scan_back() {
    let Some(font) = noto() else { return };
    let layout = layout();
    let expected = mixed_labels(30);
    let pdf = sheet_pdf(
        expected.iter().map(|e| e.label.clone()),
        &layout,
        &font,
        NOTO_SC,
    )
    .expect("sheet");

    assert!(pdf.starts_with(b"%PDF-"), "a PDF header");
    assert_eq!(page_count(&pdf), 2, "30 labels at 21 per page");
    let font_bytes = embedded_font_bytes(&pdf);
    println!(
        "2-page sheet: {} bytes in total, {font_bytes} bytes of embedded (subset) font",
        pdf.len()
    );
    assert!(font_bytes > 0, "the font is embedded");
    assert!(
        font_bytes < 200_000,
        "the 20 MB font must be subset, got {font_bytes} bytes"
    );
    assert!(pdf.len() < 1_000_000, "two pages well under 1 MB");

    let (dir, _keep) = output_dir();
    let pdf_path = dir.join("labels-sheet.pdf");
    std::fs::write(&pdf_path, &pdf).expect("write pdf");
    let Some(png_path) = render_page1(&pdf_path, 300) else {
        return;
    };
    println!("page 1 rendered to {}", png_path.display());
    let (luma, width, height) = luma_of_png(&std::fs::read(&png_path).expect("page png"));
    let px = |mm: f32| (mm / 25.4 * 300.0).round() as u32;
    for (slot, e) in expected.iter().take(layout.per_page() as usize).enumerate() {
        let (x, y, w, h) = layout.label_rect_mm(slot as u32);
        let (x0, y0) = (px(x), px(y));
        let (cw, ch) = (px(w).min(width - x0), px(h).min(height - y0));
        let crop: Vec<u8> = (y0..y0 + ch)
            .flat_map(|row| {
                let start = (row * width + x0) as usize;
                luma[start..start + cw as usize].iter().copied()
            })
            .collect();
        let decoded = decode_luma(crop, cw, ch, e.format, e.gs1)
            .unwrap_or_else(|err| panic!("label {slot} ({:?}): {err}", e.label.symbol.symbology));
        assert_eq!(
            decoded.text, e.text,
            "label {slot} ({:?}) must scan back to its data",
            e.label.symbol.symbology
        );
        assert_eq!(decoded.symbology_identifier, e.id, "label {slot}");
        println!(
            "page 1 label {slot:2} {:?}: scanned {:?} ({})",
            e.label.symbol.symbology, decoded.text, decoded.symbology_identifier
        );
    }
}

#[test]
fn a_thousand_labels_make_a_42_page_pdf() {
    let Some(font) = noto() else { return };
    let layout = SheetLayout::a4(60.0, 32.0, 3, 8);
    let labels = (0..1000).map(|i| LabelContent {
        symbol: SymbolData::gs1(
            Symbology::Qr,
            [
                ("01", GTIN14.to_owned()),
                ("10", LOT.to_owned()),
                ("21", format!("{i:08}")),
            ],
        ),
        title: "电动自行车用锂离子蓄电池".to_owned(),
        subtitle: format!("序列号 {i:08}"),
    });
    let pdf = sheet_pdf(labels, &layout, &font, NOTO_SC).expect("sheet");
    println!("1000 labels: {} bytes", pdf.len());
    assert_eq!(page_count(&pdf), 42, "1000 labels at 24 per page");
}

#[test]
fn a_gs1_128_too_wide_for_its_label_is_refused_not_printed_unreadable() {
    let Some(font) = noto() else { return };
    let ok = mixed_labels(1).remove(0).label;
    let too_wide = LabelContent {
        symbol: SymbolData::gs1(Symbology::Gs1_128, demo_elements()),
        title: "家用燃气灶具".to_owned(),
        subtitle: String::new(),
    };
    let err = sheet_pdf([ok, too_wide], &layout(), &font, NOTO_SC).unwrap_err();
    assert_eq!(
        err,
        LabelError::Label {
            number: 2,
            source: Box::new(LabelError::LabelTooSmall {
                label_w_mm: 60.0,
                label_h_mm: 37.0,
                symbology: Symbology::Gs1_128
            })
        }
    );
    assert_eq!(
        err.message().zh,
        "第 2 个标签：标签 60×37mm 太小，放不下可扫描的GS1-128 条码，请加大标签或减少编码内容"
    );
}

#[test]
fn label_slots_run_row_by_row() {
    let layout = layout();
    assert_eq!(layout.label_rect_mm(0), (10.0, 10.0, 60.0, 37.0));
    assert_eq!(layout.label_rect_mm(2), (140.0, 10.0, 60.0, 37.0));
    assert_eq!(layout.label_rect_mm(3), (10.0, 49.0, 60.0, 37.0));
    assert_eq!(layout.per_page(), 21);
    assert_eq!(layout.validate(), Ok(()));
}
