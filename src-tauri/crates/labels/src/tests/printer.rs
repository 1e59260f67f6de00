//! Label-printer jobs: golden ZPL/TSPL files, an independent reader of the jobs that undoes the
//! FNC1 and escape conventions, bitmap symbols rasterised and scanned with rxing, and
//! exact-size per-label PDFs rendered with pdftoppm and scanned.
//!
//! Golden files are insta snapshots under `src/tests/snapshots/`; after an intended change,
//! rerun with `INSTA_UPDATE=always` and review the diff.

use std::process::Command;

use rxing::BarcodeFormat;

use super::*;
use crate::printer::PrinterJob;
use crate::{
    BarcodeMode, Dpi, LabelContent, LabelError, PrinterLanguage, PrinterProfile, SymbolData,
    Symbology, label_pdf, printer_job,
};

// ---------------------------------------------------------------------------------------------
// An independent reader of ZPL and TSPL jobs. It knows the languages from their manuals, not
// from our emitters: what a printer would take from each field.

/// A symbol field read back from a job.
#[derive(Debug, Clone, PartialEq)]
struct Field {
    /// "datamatrix", "qr", "code128", "ean13".
    kind: &'static str,
    /// FNC1 in first position (GS1).
    fnc1_first: bool,
    /// The data as a scanner transmits it: separator FNC1 as GS.
    data: String,
}

/// A 1-bit image read back from a job: top-left corner, width in dots, rows of dark flags.
struct Image {
    x: usize,
    y: usize,
    dark: Vec<Vec<bool>>,
}

#[derive(Default)]
struct Parsed {
    labels: usize,
    fields: Vec<Field>,
    images: Vec<Image>,
    texts: Vec<String>,
}

fn ean_check(d12: &str) -> char {
    let sum: u32 = d12
        .bytes()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    char::from(b'0' + ((10 - sum % 10) % 10) as u8)
}

/// Undo ^FH\ hex escapes.
fn unhex(data: &str, indicator: char) -> String {
    let mut out = Vec::new();
    let bytes = data.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == indicator as u8 && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ascii");
            out.push(u8::from_str_radix(hex, 16).expect("two hex digits after the ^FH indicator"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("utf-8")
}

/// Undo an escape-character FNC1 convention (`E1` is FNC1, `EE` is E).
fn undo_escape(data: &str, escape: char) -> (bool, String) {
    let mut out = String::new();
    let mut first = false;
    let mut chars = data.chars().peekable();
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if c == escape {
            match chars.next() {
                Some('1') if at_start => first = true,
                Some('1') => out.push('\x1d'),
                Some(e) if e == escape => out.push(escape),
                other => panic!("unexpected escape {escape}{other:?}"),
            }
        } else {
            out.push(c);
        }
        at_start = false;
    }
    (first, out)
}

fn parse_zpl(job: &[u8]) -> Parsed {
    let text = std::str::from_utf8(job).expect("ZPL is text");
    assert!(text.is_ascii(), "ZPL job is plain ASCII");
    let mut parsed = Parsed::default();
    let (mut x, mut y) = (0usize, 0usize);
    let mut kind: Option<&'static str> = None;
    let mut bx_escape = '~';
    let mut fh: Option<char> = None;
    for token in text.split('^').skip(1) {
        let token = token.trim_end_matches('\n');
        let (cmd, rest) = token.split_at(2.min(token.len()));
        match cmd {
            "XA" => {
                kind = None;
                fh = None;
            }
            "XZ" => parsed.labels += 1,
            "FO" => {
                let mut p = rest
                    .split(',')
                    .map(|v| v.parse::<usize>().expect("FO number"));
                x = p.next().expect("x");
                y = p.next().expect("y");
            }
            "BX" => {
                let params: Vec<&str> = rest.split(',').collect();
                assert_eq!(params[2], "200", "ECC 200");
                bx_escape = params.get(6).and_then(|e| e.chars().next()).unwrap_or('~');
                kind = Some("datamatrix");
            }
            "BQ" => kind = Some("qr"),
            "BC" => {
                assert!(rest.ends_with(",N"), "mode N: {rest}");
                kind = Some("code128");
            }
            "BE" => kind = Some("ean13"),
            "A0" => kind = Some("text"),
            "FH" => fh = Some(rest.chars().next().unwrap_or('_')),
            "GF" => {
                let params: Vec<&str> = rest.splitn(5, ',').collect();
                assert_eq!(params[0], "A", "ASCII hex");
                let row_bytes: usize = params[3].parse().expect("row bytes");
                let total: usize = params[1].parse().expect("byte count");
                let hex = params[4];
                assert_eq!(hex.len(), total * 2);
                let bytes: Vec<u8> = (0..total)
                    .map(|i| u8::from_str_radix(&hex[i * 2..i * 2 + 2], 16).expect("hex"))
                    .collect();
                parsed.images.push(Image {
                    x,
                    y,
                    dark: bytes
                        .chunks(row_bytes)
                        .map(|row| {
                            (0..row_bytes * 8)
                                .map(|bit| row[bit / 8] & (0x80 >> (bit % 8)) != 0)
                                .collect()
                        })
                        .collect(),
                });
            }
            "FD" => {
                let raw = match fh.take() {
                    Some(indicator) => unhex(rest, indicator),
                    None => rest.to_owned(),
                };
                let field = match kind.take() {
                    Some("datamatrix") => {
                        let (first, data) = undo_escape(&raw, bx_escape);
                        Field {
                            kind: "datamatrix",
                            fnc1_first: first,
                            data,
                        }
                    }
                    Some("qr") => Field {
                        kind: "qr",
                        fnc1_first: false,
                        data: raw
                            .strip_prefix("MA,")
                            .expect("error correction M, automatic input")
                            .to_owned(),
                    },
                    Some("code128") => {
                        let mut data = String::new();
                        let mut first = false;
                        let mut chars = raw.chars().peekable();
                        let mut position = 0;
                        while let Some(c) = chars.next() {
                            if c == '>' {
                                match chars.next().expect("invocation code") {
                                    '<' => data.push('>'),
                                    '8' if position == 0 => first = true,
                                    '8' => data.push('\x1d'),
                                    '9' | ':' | ';' | '5' | '6' | '7' => continue,
                                    other => panic!("unexpected >{other}"),
                                }
                            } else {
                                data.push(c);
                            }
                            position += 1;
                        }
                        Field {
                            kind: "code128",
                            fnc1_first: first,
                            data,
                        }
                    }
                    Some("ean13") => {
                        assert_eq!(raw.len(), 12, "12 digits, the printer adds the check");
                        Field {
                            kind: "ean13",
                            fnc1_first: false,
                            data: format!("{raw}{}", ean_check(&raw)),
                        }
                    }
                    Some("text") => {
                        parsed.texts.push(raw);
                        continue;
                    }
                    other => panic!("^FD without a field type: {other:?}"),
                };
                parsed.fields.push(field);
            }
            _ => {}
        }
    }
    parsed
}

/// The strings in double quotes of a TSPL command line.
fn quoted(line: &str) -> Vec<String> {
    line.split('"')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s.to_owned())
        .collect()
}

fn parse_tspl(job: &[u8]) -> Parsed {
    let mut parsed = Parsed::default();
    let mut i = 0;
    while i < job.len() {
        if job[i..].starts_with(b"BITMAP ") {
            // BITMAP x,y,width_bytes,height,mode,<binary>
            let mut commas = 0;
            let mut j = i;
            while commas < 5 {
                if job[j] == b',' {
                    commas += 1;
                }
                j += 1;
            }
            let head = std::str::from_utf8(&job[i + 7..j - 1]).expect("ascii");
            let p: Vec<usize> = head
                .split(',')
                .map(|v| v.parse().expect("number"))
                .collect();
            let (x, y, row_bytes, height, mode) = (p[0], p[1], p[2], p[3], p[4]);
            assert_eq!(mode, 0, "overwrite");
            let data = &job[j..j + row_bytes * height];
            parsed.images.push(Image {
                x,
                y,
                dark: data
                    .chunks(row_bytes)
                    .map(|row| {
                        // TSPL: a 0 bit prints.
                        (0..row_bytes * 8)
                            .map(|bit| row[bit / 8] & (0x80 >> (bit % 8)) == 0)
                            .collect()
                    })
                    .collect(),
            });
            i = j + row_bytes * height;
            assert!(job[i..].starts_with(b"\r\n"), "BITMAP ends with CR LF");
            i += 2;
            continue;
        }
        let end = job[i..]
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("TSPL lines end in CR LF");
        let line = std::str::from_utf8(&job[i..i + end]).expect("command lines are text");
        i += end + 2;
        let q = quoted(line);
        if line.starts_with("PRINT ") {
            parsed.labels += 1;
        } else if line.starts_with("TEXT ") {
            parsed.texts.push(q[1].clone());
        } else if line.starts_with("DMATRIX ") {
            assert!(line.contains(",c126,"), "~ is the escape character");
            let (first, data) = undo_escape(&q[0], '~');
            parsed.fields.push(Field {
                kind: "datamatrix",
                fnc1_first: first,
                data,
            });
        } else if line.starts_with("QRCODE ") {
            parsed.fields.push(Field {
                kind: "qr",
                fnc1_first: false,
                data: q[0].clone(),
            });
        } else if line.starts_with("BARCODE ") {
            let data = &q[1];
            match q[0].as_str() {
                "128M" => {
                    let mut out = String::new();
                    let mut first = false;
                    let mut rest = data.as_str();
                    let mut position = 0;
                    while let Some(c) = rest.chars().next() {
                        if c == '!' {
                            let code: u32 = rest[1..4].parse().expect("!NNN");
                            match code {
                                102 if position == 0 => first = true,
                                102 => out.push('\x1d'),
                                99..=101 | 103..=105 => {}
                                other => panic!("unexpected !{other}"),
                            }
                            rest = &rest[4..];
                            if !(99..=101).contains(&code) && !(103..=105).contains(&code) {
                                position += 1;
                            }
                        } else {
                            out.push(c);
                            rest = &rest[1..];
                            position += 1;
                        }
                    }
                    parsed.fields.push(Field {
                        kind: "code128",
                        fnc1_first: first,
                        data: out,
                    });
                }
                "EAN13" => {
                    assert_eq!(data.len(), 12);
                    parsed.fields.push(Field {
                        kind: "ean13",
                        fnc1_first: false,
                        data: format!("{data}{}", ean_check(data)),
                    });
                }
                other => panic!("unexpected barcode type {other}"),
            }
        }
    }
    parsed
}

fn parse(language: PrinterLanguage, job: &[u8]) -> Parsed {
    match language {
        PrinterLanguage::Zpl => parse_zpl(job),
        PrinterLanguage::Tspl => parse_tspl(job),
    }
}

/// The label as a greyscale image with every bitmap of the job drawn on it.
fn rasterise(parsed: &Parsed, w: usize, h: usize) -> Vec<u8> {
    let mut luma = vec![255u8; w * h];
    for image in &parsed.images {
        for (dy, row) in image.dark.iter().enumerate() {
            for (dx, dark) in row.iter().enumerate() {
                let (x, y) = (image.x + dx, image.y + dy);
                if *dark && x < w && y < h {
                    luma[y * w + x] = 0;
                }
            }
        }
    }
    luma
}

// ---------------------------------------------------------------------------------------------

struct Case {
    name: &'static str,
    label: LabelContent,
    size: (f32, f32),
    format: BarcodeFormat,
    gs1: bool,
    /// What a scanner must transmit, written out by hand.
    data: &'static str,
    kind: &'static str,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "gs1_datamatrix",
            label: LabelContent {
                symbol: SymbolData::gs1(Symbology::Gs1DataMatrix, demo_elements()),
                title: "电动自行车用锂离子蓄电池".to_owned(),
                subtitle: "EB-48V".to_owned(),
            },
            size: (50.0, 30.0),
            format: BarcodeFormat::DATA_MATRIX,
            gs1: true,
            data: DEMO_ELEMENT_STRING,
            kind: "datamatrix",
        },
        Case {
            name: "qr_digital_link",
            label: LabelContent {
                symbol: SymbolData {
                    symbology: Symbology::Qr,
                    content: crate::Content::Text(DIGITAL_LINK.to_owned()),
                    hri: crate::gs1::hri(
                        &demo_elements()
                            .iter()
                            .map(|(a, v)| (a.to_string(), v.to_string()))
                            .collect::<Vec<_>>(),
                    ),
                },
                title: "安全帽".to_owned(),
                subtitle: String::new(),
            },
            size: (60.0, 40.0),
            format: BarcodeFormat::QR_CODE,
            gs1: false,
            data: DIGITAL_LINK,
            kind: "qr",
        },
        Case {
            name: "gs1_128",
            label: LabelContent {
                symbol: SymbolData::gs1(
                    Symbology::Gs1_128,
                    [("01", GTIN14), ("10", LOT), ("21", "A_B~1")],
                ),
                title: "Helmet".to_owned(),
                subtitle: String::new(),
            },
            size: (100.0, 50.0),
            format: BarcodeFormat::CODE_128,
            gs1: true,
            data: "010952012345678810ABC123\x1d21A_B~1",
            kind: "code128",
        },
        Case {
            name: "ean13",
            label: LabelContent {
                symbol: SymbolData::text(Symbology::Ean13, GTIN13),
                title: "家用燃气灶具".to_owned(),
                subtitle: String::new(),
            },
            size: (50.0, 30.0),
            format: BarcodeFormat::EAN_13,
            gs1: false,
            data: GTIN13,
            kind: "ean13",
        },
    ]
}

fn profile(
    language: PrinterLanguage,
    dpi: Dpi,
    size: (f32, f32),
    mode: BarcodeMode,
) -> PrinterProfile {
    PrinterProfile {
        name: "test".to_owned(),
        language,
        dpi,
        label_width_mm: size.0,
        label_height_mm: size.1,
        gap_mm: 2.0,
        offset_x_mm: 0.0,
        offset_y_mm: 0.0,
        barcode: mode,
    }
}

const LANGUAGES: [PrinterLanguage; 2] = [PrinterLanguage::Zpl, PrinterLanguage::Tspl];
const DPIS: [Dpi; 2] = [Dpi::D203, Dpi::D300];

fn job(case: &Case, language: PrinterLanguage, dpi: Dpi, mode: BarcodeMode) -> PrinterJob {
    printer_job(
        [case.label.clone()],
        &profile(language, dpi, case.size, mode),
    )
    .unwrap_or_else(|e| panic!("{} {language:?} {dpi}: {e}", case.name))
}

#[test]
fn native_jobs_match_their_golden_files() {
    for case in cases() {
        for language in LANGUAGES {
            for dpi in DPIS {
                let job = job(&case, language, dpi, BarcodeMode::Native);
                let text = String::from_utf8(job.bytes).expect("native jobs are text");
                insta::assert_snapshot!(
                    format!("{}_{}_{}", case.name, language.extension(), dpi),
                    text.replace("\r\n", "⏎\n")
                );
            }
        }
    }
}

#[test]
fn native_fields_read_back_as_the_element_strings_with_fnc1_first() {
    for case in cases() {
        for language in LANGUAGES {
            for dpi in DPIS {
                let job = job(&case, language, dpi, BarcodeMode::Native);
                assert_eq!(job.bitmap_fallbacks, 0, "{}: all native", case.name);
                let parsed = parse(language, &job.bytes);
                assert_eq!(parsed.labels, 1);
                assert_eq!(
                    parsed.fields,
                    vec![Field {
                        kind: case.kind,
                        fnc1_first: case.gs1,
                        data: case.data.to_owned()
                    }],
                    "{} {language:?} {dpi}",
                    case.name
                );
            }
        }
    }
}

#[test]
fn bitmap_symbols_rasterised_from_the_job_scan_back() {
    for case in cases() {
        for language in LANGUAGES {
            for dpi in DPIS {
                let job = job(&case, language, dpi, BarcodeMode::Bitmap);
                let parsed = parse(language, &job.bytes);
                assert!(parsed.fields.is_empty(), "no native symbol in bitmap mode");
                assert_eq!(parsed.images.len(), 1);
                let p = profile(language, dpi, case.size, BarcodeMode::Bitmap);
                let (w, h) = p.label_dots();
                let luma = rasterise(&parsed, w as usize, h as usize);
                let decoded = decode_luma(luma, w as u32, h as u32, case.format, case.gs1)
                    .unwrap_or_else(|e| panic!("{} {language:?} {dpi}: {e}", case.name));
                let text = decoded.text.strip_prefix("]C1").unwrap_or(&decoded.text);
                assert_eq!(text, case.data, "{} {language:?} {dpi}", case.name);
                if case.gs1 {
                    assert!(
                        decoded.symbology_identifier.ends_with('1')
                            || decoded.symbology_identifier.ends_with('2'),
                        "FNC1 first: {}",
                        decoded.symbology_identifier
                    );
                }
            }
        }
    }
}

#[test]
fn gs1_qr_in_native_mode_goes_as_a_bitmap_that_keeps_fnc1_first() {
    let label = LabelContent {
        symbol: SymbolData::gs1(Symbology::Qr, demo_elements()),
        title: String::new(),
        subtitle: String::new(),
    };
    for language in LANGUAGES {
        let p = profile(language, Dpi::D203, (60.0, 40.0), BarcodeMode::Native);
        let job = printer_job([label.clone()], &p).expect("job");
        assert_eq!(job.bitmap_fallbacks, 1);
        let parsed = parse(language, &job.bytes);
        let (w, h) = p.label_dots();
        let luma = rasterise(&parsed, w as usize, h as usize);
        let decoded =
            decode_luma(luma, w as u32, h as u32, BarcodeFormat::QR_CODE, false).expect("scans");
        assert_eq!(decoded.text, DEMO_ELEMENT_STRING);
        assert_eq!(decoded.symbology_identifier, "]Q3");
    }
}

#[test]
fn chinese_text_is_left_out_of_printer_jobs_and_counted_and_ascii_text_kept() {
    let case = &cases()[0];
    for language in LANGUAGES {
        let job = job(case, language, Dpi::D203, BarcodeMode::Native);
        assert_eq!(job.omitted_text_lines, 1, "the Chinese product name");
        let parsed = parse(language, &job.bytes);
        assert!(parsed.texts.iter().all(|t| t.is_ascii()));
        assert!(
            parsed.texts.contains(&"EB-48V".to_owned()),
            "{:?}",
            parsed.texts
        );
        assert!(
            parsed.texts.contains(&"(10) ABC123".to_owned()),
            "{:?}",
            parsed.texts
        );
    }
}

#[test]
fn many_labels_make_one_job_with_one_print_per_label() {
    let labels: Vec<LabelContent> = (0..25).map(|_| cases()[3].label.clone()).collect();
    for language in LANGUAGES {
        let p = profile(language, Dpi::D203, (50.0, 30.0), BarcodeMode::Native);
        let job = printer_job(labels.clone(), &p).expect("job");
        assert_eq!(job.labels, 25);
        assert_eq!(parse(language, &job.bytes).labels, 25);
    }
}

#[test]
fn dots_per_millimetre_are_whole_at_both_resolutions() {
    for (dpi, per_mm, label, dots) in [
        (Dpi::D203, 8, (50.0, 30.0), (400, 240)),
        (Dpi::D300, 12, (50.0, 30.0), (600, 360)),
        (Dpi::D203, 8, (100.0, 70.0), (800, 560)),
        (Dpi::D300, 12, (60.0, 40.0), (720, 480)),
    ] {
        assert_eq!(dpi.dots_per_mm(), per_mm);
        let p = profile(PrinterLanguage::Zpl, dpi, label, BarcodeMode::Native);
        assert_eq!(p.label_dots(), dots);
    }
}

#[test]
fn profiles_with_impossible_numbers_are_refused_naming_the_field() {
    let base = profile(
        PrinterLanguage::Tspl,
        Dpi::D203,
        (50.0, 30.0),
        BarcodeMode::Native,
    );
    let cases: Vec<(&str, PrinterProfile)> = vec![
        (
            "name",
            PrinterProfile {
                name: " ".into(),
                ..base.clone()
            },
        ),
        (
            "label_width_mm",
            PrinterProfile {
                label_width_mm: 120.0,
                ..base.clone()
            },
        ),
        (
            "label_width_mm",
            PrinterProfile {
                label_width_mm: f32::NAN,
                ..base.clone()
            },
        ),
        (
            "label_height_mm",
            PrinterProfile {
                label_height_mm: 5.0,
                ..base.clone()
            },
        ),
        (
            "gap_mm",
            PrinterProfile {
                gap_mm: -1.0,
                ..base.clone()
            },
        ),
        (
            "offset_x_mm",
            PrinterProfile {
                offset_x_mm: 11.0,
                ..base.clone()
            },
        ),
        (
            "offset_y_mm",
            PrinterProfile {
                offset_y_mm: -15.0,
                ..base.clone()
            },
        ),
    ];
    for (field, p) in cases {
        match p.validate() {
            Err(LabelError::BadProfile { field: f, zh, en }) => {
                assert_eq!(f, field);
                assert!(!zh.is_empty() && !en.is_empty());
            }
            other => panic!("{field}: {other:?}"),
        }
    }
    assert!(base.validate().is_ok());
}

#[test]
fn dpi_other_than_203_or_300_is_refused_when_read_from_json() {
    let json = |dpi: u32| {
        format!(
            r#"{{"name":"x","language":"zpl","dpi":{dpi},"label_width_mm":50,"label_height_mm":30,"gap_mm":2,"offset_x_mm":0,"offset_y_mm":0,"barcode":"native"}}"#
        )
    };
    let ok: PrinterProfile = serde_json::from_str(&json(300)).expect("300 dpi");
    assert_eq!(ok.dpi, Dpi::D300);
    let err = serde_json::from_str::<PrinterProfile>(&json(600)).unwrap_err();
    assert!(err.to_string().contains("203 or 300"), "{err}");
}

#[test]
fn a_label_too_small_for_its_symbol_is_refused_not_printed_unreadable() {
    let case = &cases()[2]; // GS1-128 needs a wide label
    let p = profile(
        PrinterLanguage::Zpl,
        Dpi::D203,
        (50.0, 30.0),
        BarcodeMode::Native,
    );
    let err = printer_job([case.label.clone()], &p).unwrap_err();
    assert!(
        matches!(err, LabelError::Label { number: 1, .. }),
        "{err:?}"
    );
    assert!(err.message().zh.contains("太小"));
}

#[test]
fn the_offset_moves_everything_and_keeps_it_on_the_label() {
    let case = &cases()[0];
    let base = profile(
        PrinterLanguage::Zpl,
        Dpi::D203,
        case.size,
        BarcodeMode::Bitmap,
    );
    let moved = PrinterProfile {
        offset_x_mm: 1.0,
        offset_y_mm: -1.0,
        ..base.clone()
    };
    let a = parse_zpl(&printer_job([case.label.clone()], &base).expect("job").bytes);
    let b = parse_zpl(
        &printer_job([case.label.clone()], &moved)
            .expect("job")
            .bytes,
    );
    assert!(b.images[0].x > a.images[0].x, "moved right");
    let (w, h) = moved.label_dots();
    let luma = rasterise(&b, w as usize, h as usize);
    decode_luma(luma, w as u32, h as u32, case.format, true).expect("still scans");
}

// ---------------------------------------------------------------------------------------------
// Per-label PDF

const NOTO_CJK: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

#[test]
fn label_pdf_pages_are_exactly_the_label_and_each_page_scans() {
    let font = std::fs::read(NOTO_CJK).unwrap_or_else(|e| {
        panic!("this test needs Noto Sans CJK at {NOTO_CJK} (apt install fonts-noto-cjk): {e}")
    });
    let tmp = tempfile::tempdir().expect("temp dir");
    for case in cases() {
        let labels = vec![case.label.clone(), case.label.clone()];
        let pdf = label_pdf(labels, case.size.0, case.size.1, &font, 2)
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let doc = lopdf::Document::load_mem(&pdf).expect("lopdf parses");
        let pages = doc.get_pages();
        assert_eq!(pages.len(), 2, "one label per page");
        for (_, id) in pages {
            let page = doc.get_dictionary(id).expect("page");
            let media = page
                .get(b"MediaBox")
                .and_then(|m| m.as_array())
                .expect("MediaBox on the page");
            let nums: Vec<f32> = media
                .iter()
                .map(|n| n.as_float().expect("number"))
                .collect();
            let pt = |mm: f32| mm * 72.0 / 25.4;
            assert!(
                (nums[2] - nums[0] - pt(case.size.0)).abs() < 0.01,
                "{nums:?}"
            );
            assert!(
                (nums[3] - nums[1] - pt(case.size.1)).abs() < 0.01,
                "{nums:?}"
            );
        }
        let path = tmp.path().join(format!("{}.pdf", case.name));
        std::fs::write(&path, &pdf).expect("write");
        for page in 1..=2 {
            let prefix = tmp.path().join(format!("{}-{page}", case.name));
            let status = Command::new("pdftoppm")
                .args(["-r", "300", "-gray", "-png", "-singlefile"])
                .args(["-f", &page.to_string(), "-l", &page.to_string()])
                .arg(&path)
                .arg(&prefix)
                .status()
                .unwrap_or_else(|e| {
                    panic!("pdftoppm is needed to render the page (apt install poppler-utils): {e}")
                });
            assert!(status.success(), "pdftoppm failed");
            let png = std::fs::read(prefix.with_extension("png")).expect("page image");
            let decoded = decode_png(&png, case.format, case.gs1);
            let text = decoded.text.strip_prefix("]C1").unwrap_or(&decoded.text);
            assert_eq!(text, case.data, "{} page {page}", case.name);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Chinese text drawn from the CJK font

fn noto() -> Vec<u8> {
    std::fs::read(NOTO_CJK).unwrap_or_else(|e| {
        panic!("this test needs Noto Sans CJK at {NOTO_CJK} (apt install fonts-noto-cjk): {e}")
    })
}

#[test]
fn a_drawn_glyph_is_where_its_outline_is() {
    let font = noto();
    let glyphs = crate::printer::glyphs::GlyphRaster::new(&font, 2).expect("font");
    // 一 is one horizontal stroke: one band of dark rows, thin, across most of the em.
    let one = glyphs.render("一", 48.0);
    assert_eq!((one.width, one.height), (48, 48));
    let dark_rows: Vec<usize> = (0..one.height)
        .filter(|&y| one.rows[y].iter().any(|b| *b != 0))
        .collect();
    assert!(!dark_rows.is_empty());
    let (top, bottom) = (dark_rows[0], *dark_rows.last().unwrap());
    assert_eq!(bottom - top + 1, dark_rows.len(), "one band");
    assert!(dark_rows.len() <= 8, "a thin stroke: {dark_rows:?}");
    assert!((18..=30).contains(&top), "near the middle of the em: {top}");
    let widest = one.rows[top..=bottom]
        .iter()
        .map(|r| r.iter().map(|b| b.count_ones()).sum::<u32>())
        .max()
        .unwrap();
    assert!(widest >= 36, "across most of the em: {widest}");
    // 丨 is one vertical stroke: dark in many rows, few columns.
    let bar = glyphs.render("丨", 48.0);
    let rows_with_ink = bar
        .rows
        .iter()
        .filter(|r| r.iter().any(|b| *b != 0))
        .count();
    assert!(rows_with_ink >= 36, "{rows_with_ink}");
}

#[test]
fn chinese_product_names_are_drawn_as_images_when_a_font_is_given() {
    let font = noto();
    for case in cases() {
        for language in LANGUAGES {
            for dpi in DPIS {
                let p = profile(language, dpi, case.size, BarcodeMode::Native);
                let job = crate::printer_job_with_font([case.label.clone()], &p, &font, 2)
                    .unwrap_or_else(|e| panic!("{}: {e}", case.name));
                assert_eq!(job.omitted_text_lines, 0);
                let parsed = parse(language, &job.bytes);
                let chinese = !case.label.title.is_ascii();
                assert_eq!(parsed.images.len(), usize::from(chinese), "{}", case.name);
                assert_eq!(parsed.fields.len(), 1, "the symbol is still native");
                if let Some(image) = parsed.images.first() {
                    let dark: usize = image
                        .dark
                        .iter()
                        .map(|r| r.iter().filter(|d| **d).count())
                        .sum();
                    let area = image.dark.len() * image.dark[0].len();
                    assert!(
                        dark * 20 > area && dark * 2 < area,
                        "{}: ink covers {dark} of {area} dots",
                        case.name
                    );
                    let (w, _) = p.label_dots();
                    assert!(
                        image.x + image.dark[0].len() <= w as usize + 8,
                        "on the label"
                    );
                }
            }
        }
    }
}
