//! Label printers through `App`: profiles in the settings, jobs for a ledger range written into
//! exports/, a real CUPS scheduler receiving them byte for byte, the test label, and the label
//! data for BarTender / NiceLabel.

use std::path::Path;

use calamine::Reader;

use super::*;
use crate::testkit::{GTIN, LOT, assert_contains, generate_list, item_product, open_with};
use crate::{Config, LabelSymbology};

const GS: char = '\u{1d}';

fn open(dir: &Path, cups_server: Option<String>) -> App {
    open_with(Config {
        actor: "wang.li".into(),
        cups_server,
        ..Config::in_dir(dir)
    })
}

/// A GS1 一物一码 product with a batch and `n` generated codes; returns the allocation id and
/// the codes.
fn with_codes(app: &App, dir: &Path, n: u64) -> (i64, Vec<String>) {
    let (product_id, batch_id) = item_product(app);
    let (summary, codes) = generate_list(app, &dir.join("codes.csv"), product_id, batch_id, n);
    (summary.allocation_id.expect("allocation"), codes)
}

fn serial(code: &str) -> String {
    code.rsplit("(21)").next().expect("serial").to_owned()
}

fn profile(name: &str, language: PrinterLanguageDto, printer: &str) -> PrinterProfileDto {
    PrinterProfileDto {
        name: name.into(),
        language,
        dpi: 203,
        label_width_mm: 60.0,
        label_height_mm: 40.0,
        gap_mm: 2.0,
        offset_x_mm: 0.0,
        offset_y_mm: 0.0,
        barcode: BarcodeModeDto::Native,
        printer: printer.into(),
        built_in: false,
    }
}

fn print_input(allocation_id: i64, profile: &str) -> PrintLabelsInput {
    PrintLabelsInput {
        allocation_id: Some(allocation_id),
        input_path: None,
        codes: Vec::new(),
        symbology: LabelSymbology::Datamatrix,
        profile: profile.into(),
        custom_profile: None,
        format: None,
        printer: None,
        path: String::new(),
        font_path: None,
    }
}

#[test]
fn profiles_are_listed_with_a_default_per_language_saved_replaced_and_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path(), None);
    let list = app.printer_profiles().unwrap();
    assert_eq!(list.len(), 2, "one built-in default per language");
    assert!(list.iter().all(|p| p.built_in && p.dpi == 203));
    assert_eq!(
        list.iter().map(|p| p.language).collect::<Vec<_>>(),
        vec![PrinterLanguageDto::Tspl, PrinterLanguageDto::Zpl]
    );

    let saved = app
        .save_printer_profile(&profile("仓库 TSC", PrinterLanguageDto::Tspl, "TSC-TE244"))
        .unwrap();
    assert!(!saved.built_in);
    let names: Vec<String> = app
        .printer_profiles()
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(
        names,
        vec!["仓库 TSC".to_owned(), "ZPL 203dpi 50×30".to_owned()]
    );

    app.save_printer_profile(&PrinterProfileDto {
        dpi: 300,
        ..profile("仓库 TSC", PrinterLanguageDto::Tspl, "TSC-TE244")
    })
    .unwrap();
    let reopened = open(dir.path(), None);
    let p = reopened.printer_profile("仓库 TSC").unwrap();
    assert_eq!(p.dpi, 300, "replaced by name and kept in the database");
    assert_eq!(p.printer, "TSC-TE244");

    reopened.delete_printer_profile("仓库 TSC").unwrap();
    let err = reopened.delete_printer_profile("仓库 TSC").unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    assert!(err.message_zh.contains("仓库 TSC"));
    assert_eq!(reopened.printer_profiles().unwrap().len(), 2);
}

#[test]
fn a_profile_with_an_impossible_dpi_or_size_is_refused_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path(), None);
    let base = profile("p", PrinterLanguageDto::Zpl, "");
    for (field, bad) in [
        (
            "dpi",
            PrinterProfileDto {
                dpi: 600,
                ..base.clone()
            },
        ),
        (
            "label_width_mm",
            PrinterProfileDto {
                label_width_mm: 150.0,
                ..base.clone()
            },
        ),
        (
            "gap_mm",
            PrinterProfileDto {
                gap_mm: -2.0,
                ..base.clone()
            },
        ),
        (
            "name",
            PrinterProfileDto {
                name: "  ".into(),
                ..base.clone()
            },
        ),
    ] {
        let err = app.save_printer_profile(&bad).unwrap_err();
        assert_eq!(err.field.as_deref(), Some(field), "{err:?}");
        assert!(!err.message_zh.is_empty() && !err.message_en.is_empty());
    }
    assert!(app.printer_profiles().unwrap().iter().all(|p| p.built_in));
}

#[test]
fn labels_of_a_ledger_range_print_as_zpl_and_tspl_into_exports_with_every_serial() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path(), None);
    let (allocation, codes) = with_codes(&app, dir.path(), 12);
    for (language, name, marker) in [
        (PrinterLanguageDto::Zpl, "斑马", "^XA"),
        (PrinterLanguageDto::Tspl, "TSC", "PRINT 1,1"),
    ] {
        app.save_printer_profile(&profile(name, language, ""))
            .unwrap();
        let result = app.print_labels(&print_input(allocation, name)).unwrap();
        assert_eq!(result.labels, 12);
        assert!(result.printer.is_none(), "no printer: saved only");
        let path = Path::new(&result.path);
        assert!(
            path.starts_with(dir.path().join("exports")),
            "{}",
            result.path
        );
        let job = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
        assert_eq!(job.matches(marker).count(), 12);
        for code in &codes {
            assert!(job.contains(&serial(code)), "{code} is in the job");
        }
        // The product name and the "批号" line are Chinese: drawn from the CJK font as images.
        assert!(
            find_cjk_font(None).is_ok(),
            "this test needs fonts-noto-cjk"
        );
        assert_eq!(result.omitted_text_lines, 0);
        let image = if language == PrinterLanguageDto::Zpl {
            "^GFA"
        } else {
            "BITMAP "
        };
        assert_eq!(job.matches(image).count(), 24, "two drawn lines per label");
        assert_eq!(result.bitmap_fallbacks, 0);
    }
}

#[test]
fn a_test_label_prints_for_each_built_in_profile_and_as_an_exact_size_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path(), None);
    for p in app.printer_profiles().unwrap() {
        let out = dir.path().join(format!("test-{}.job", p.dpi));
        let result = app
            .print_test_label(&TestLabelInput {
                profile: p.name.clone(),
                format: None,
                printer: Some(String::new()),
                path: out.display().to_string(),
                font_path: None,
            })
            .unwrap();
        assert_eq!(result.labels, 1);
        // TSPL carries binary BITMAP data (the drawn 测试标签).
        let job = String::from_utf8_lossy(&std::fs::read(&out).unwrap()).into_owned();
        assert_contains(&job, "TEST0001");
        assert_contains(&job, "50x30mm 203dpi");
    }
    if find_cjk_font(None).is_err() {
        panic!("this test needs a CJK font (apt install fonts-noto-cjk)");
    }
    let result = app
        .print_test_label(&TestLabelInput {
            profile: "TSPL 203dpi 50×30".into(),
            format: Some(PrintFormat::PdfLabel),
            printer: None,
            path: String::new(),
            font_path: None,
        })
        .unwrap();
    assert_eq!(result.format, PrintFormat::PdfLabel);
    assert!(std::fs::read(&result.path).unwrap().starts_with(b"%PDF"));
}

#[test]
fn labels_are_sent_raw_to_a_cups_printer_byte_for_byte_and_an_unknown_printer_is_named() {
    let cupsd = match rawprint::testing::start_cupsd() {
        Ok(c) => c,
        Err(why) => {
            println!("SKIPPED the real CUPS part: {why}");
            return;
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path(), Some(cupsd.server()));
    let (allocation, _) = with_codes(&app, dir.path(), 5);
    let (port, printer) = rawprint::testing::fake_network_printer();
    cupsd.add_socket_queue("TSC-TE244", port);
    assert_eq!(app.os_printers().unwrap(), vec!["TSC-TE244".to_owned()]);

    app.save_printer_profile(&profile("仓库 TSC", PrinterLanguageDto::Tspl, "TSC-TE244"))
        .unwrap();
    let result = app
        .print_labels(&print_input(allocation, "仓库 TSC"))
        .unwrap();
    assert_eq!(
        result.printer.as_deref(),
        Some("TSC-TE244"),
        "the profile's printer"
    );
    assert!(
        result
            .printer_reply
            .unwrap()
            .contains("request id is TSC-TE244-")
    );
    let received = printer.join().unwrap();
    assert_eq!(
        received,
        std::fs::read(&result.path).unwrap(),
        "byte for byte"
    );

    let err = app
        .print_labels(&PrintLabelsInput {
            printer: Some("Zebra-ZD421".into()),
            ..print_input(allocation, "仓库 TSC")
        })
        .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("printer"));
    assert!(err.message_zh.contains("Zebra-ZD421") && err.message_zh.contains("TSC-TE244"));
    assert!(err.message_en.contains("Zebra-ZD421"));
}

#[test]
fn without_a_cups_scheduler_the_message_says_how_to_start_it() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(
        dir.path(),
        Some(dir.path().join("no-cups.sock").display().to_string()),
    );
    let err = app.os_printers().unwrap_err();
    assert_eq!(err.field.as_deref(), Some("printer"));
    assert!(
        err.message_zh.contains("systemctl start cups")
            || err.message_zh.contains("apt install cups"),
        "{}",
        err.message_zh
    );
}

#[test]
fn label_data_for_bartender_has_one_row_per_code_with_gs_hri_and_digital_link() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path(), None);
    let (allocation, codes) = with_codes(&app, dir.path(), 4);
    let expected: Vec<Vec<String>> = codes
        .iter()
        .map(|code| {
            let s = serial(code);
            vec![
                format!("01{GTIN}10{LOT}{GS}21{s}"),
                format!("(01){GTIN}(10){LOT}(21){s}"),
                GTIN.to_owned(),
                LOT.to_owned(),
                s.clone(),
                String::new(),
                "家用燃气灶".to_owned(),
                format!("https://id.gs1.org/01/{GTIN}/10/{LOT}/21/{s}"),
                code.clone(),
            ]
        })
        .collect();
    let header: Vec<String> = LABEL_DATA_COLUMNS.iter().map(|c| c.to_string()).collect();

    let csv = app
        .export_label_data(&LabelDataExportInput {
            allocation_id: Some(allocation),
            input_path: None,
            codes: Vec::new(),
            path: String::new(),
            format: None,
        })
        .unwrap();
    assert_eq!(csv.rows, 4);
    assert!(csv.path.ends_with(".csv"));
    let text = std::fs::read_to_string(&csv.path).unwrap();
    let rows: Vec<Vec<String>> = text
        .trim_start_matches('\u{feff}')
        .lines()
        .map(|l| {
            l.split(',')
                .map(|f| f.trim_matches('"').to_owned())
                .collect()
        })
        .collect();
    assert_eq!(rows[0], header);
    assert_eq!(rows[1..], expected[..]);

    let xlsx_path = dir.path().join("labels.xlsx");
    let xlsx = app
        .export_label_data(&LabelDataExportInput {
            allocation_id: Some(allocation),
            input_path: None,
            codes: Vec::new(),
            path: xlsx_path.display().to_string(),
            format: None,
        })
        .unwrap();
    assert_eq!(xlsx.format, ExportFormat::Xlsx);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx_path).unwrap();
    let range = book.worksheet_range("标签数据").unwrap();
    let cells: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(cells[0], header);
    assert_eq!(cells[1..], expected[..], "the GS survives in xlsx too");
}
