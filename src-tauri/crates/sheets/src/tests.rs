//! Tests on real files the tests make: xlsx through rust_xlsxwriter, CSV through encoding_rs,
//! xls/ods through LibreOffice when `soffice` is installed, hostile files by hand.

mod hostile;
mod messages;
mod vocabulary;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rust_xlsxwriter::{
    ExcelDateTime, Format, Formula, Workbook as XlsxWorkbook, Worksheet, XlsxError,
};
use time::Date;
use time::macros::date;

use crate::cell::{self, Cell, Ctx, Decimal};
use crate::columns::{FieldKey, INSPECTION_RESULT, RecordKind};
use crate::header::{self, Confidence, Matcher};
use crate::stream::RawRow;
use crate::*;

const TODAY: Date = date!(2025 - 06 - 30);

fn ctx() -> Ctx {
    Ctx {
        epoch_1904: false,
        today: TODAY,
        max_chars: 32_767,
    }
}

/// A value to put into a test sheet.
#[derive(Clone)]
enum V {
    S(&'static str),
    N(f64),
    D(u16, u8, u8),
    F(&'static str, &'static str),
    Blank,
}

fn put(ws: &mut Worksheet, row: u32, values: &[V]) -> Result<(), XlsxError> {
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    for (c, v) in values.iter().enumerate() {
        let c = c as u16;
        match v {
            V::S(s) => {
                ws.write_string(row, c, *s)?;
            }
            V::N(n) => {
                ws.write_number(row, c, *n)?;
            }
            V::D(y, m, d) => {
                ws.write_datetime_with_format(
                    row,
                    c,
                    &ExcelDateTime::from_ymd(*y, *m, *d)?,
                    &date_fmt,
                )?;
            }
            V::F(f, result) => {
                ws.write_formula(row, c, Formula::new(*f).set_result(*result))?;
            }
            V::Blank => {}
        }
    }
    Ok(())
}

fn xlsx(build: impl FnOnce(&mut Worksheet) -> Result<(), XlsxError>) -> Vec<u8> {
    let mut wb = XlsxWorkbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Sheet1").expect("valid sheet name");
    build(ws).expect("test sheet builds");
    wb.save_to_buffer().expect("test workbook saves")
}

fn open(bytes: Vec<u8>, name: &str) -> Workbook {
    Workbook::from_bytes(bytes, name).unwrap_or_else(|e| panic!("{name} should open: {e}"))
}

fn read_first(wb: &mut Workbook, kind: RecordKind) -> SheetRead {
    let sheet = wb.sheets()[0].name.clone();
    wb.read(&sheet, kind, &ReadOptions::new(TODAY))
        .expect("sheet reads")
}

/// One line per problem: severity, cell, code, raw value.
fn summary(read: &SheetRead) -> Vec<String> {
    read.all_problems()
        .map(|p| {
            format!(
                "{} {}{} {} {}",
                if p.is_error() { "E" } else { "W" },
                p.column.as_deref().unwrap_or("-"),
                p.row.map_or("-".into(), |r| r.to_string()),
                p.code,
                p.value.as_deref().unwrap_or("")
            )
        })
        .collect()
}

fn messy_batch_sheet() -> Vec<u8> {
    use V::*;
    xlsx(|ws| {
        let title = Format::new().set_bold();
        ws.merge_range(0, 0, 0, 9, "2025年3月 生产批次台账", &title)?;
        put(ws, 1, &[S("说明：本表由生产部填写，每月底汇总")])?;
        put(
            ws,
            2,
            &[
                S("序号"),
                S("产品名称"),
                S("商品条码"),
                S("生产批号"),
                S("生产日期(年/月/日)"),
                S("数量（台）"),
                S("单位"),
                S("消耗原料批号"),
                S("出厂检验结果"),
                S("检验员"),
                Blank,
                S("车间备注"),
            ],
        )?;
        let rows: Vec<Vec<V>> = vec![
            // 4: GTIN as a number, date as a serial, multi-lot with quantities.
            vec![
                N(1.0),
                S("电热水壶"),
                N(9520123456788.0),
                S("20250304A"),
                D(2025, 3, 4),
                N(1200.0),
                S("台"),
                S("S1×50、S2(20)"),
                S("合格"),
                S("李四"),
                Blank,
                S("夜班"),
            ],
            // 5: GTIN destroyed by scientific notation, Chinese date text, grouped number, spaced enum.
            vec![
                N(2.0),
                S("电热水壶"),
                S("9.52012E+12"),
                S("20250304B"),
                S("2025年3月4日"),
                S("1,200"),
                S("台"),
                S("S1"),
                S("合 格"),
                S("李四"),
            ],
            // 6: blank (skipped silently)
            vec![],
            // 7: dotted date, full-width digits, English enum.
            vec![
                N(3.0),
                S("电热水壶"),
                S("9520123456788"),
                S("20250305A"),
                S("2025.3.5"),
                S("１２０"),
                S("台"),
                Blank,
                S("PASS"),
                Blank,
            ],
            // 8: compact date, lower-case x quantity and slash separator, tick mark.
            vec![
                N(4.0),
                S("电热水壶"),
                S("9520123456788"),
                S("20250306A"),
                S("20250306"),
                N(50.0),
                S("台"),
                S("S3x10/S4"),
                S("✓"),
            ],
            // 9: impossible date.
            vec![
                N(5.0),
                S("电热水壶"),
                S("9520123456788"),
                S("20250307A"),
                S("2025-02-30"),
                N(10.0),
                S("台"),
                Blank,
                S("不合格"),
            ],
            // 10: #N/A from a formula with a cached error.
            vec![
                N(6.0),
                S("电热水壶"),
                F("=NA()", "#N/A"),
                S("20250308A"),
                D(2025, 3, 8),
                N(10.0),
                S("台"),
                Blank,
                S("合格"),
            ],
            // 11: duplicate lot of row 4's product, future date, negative quantity, bad lot quantity.
            vec![
                N(7.0),
                S("电热水壶"),
                S("9520123456788"),
                S("20250304A"),
                S("2025-07-01"),
                N(-5.0),
                S("台"),
                S("S1×abc"),
                S("待检"),
            ],
            // 12: GTIN-8 02345673 stored as the number 2345673.
            vec![
                N(8.0),
                Blank,
                N(2345673.0),
                S("20250309A"),
                D(2025, 3, 9),
                N(5.0),
                S("箱"),
                Blank,
                S("合格"),
            ],
            // 13: wrong check digit, missing lot, unknown enum.
            vec![
                N(9.0),
                S("电热水壶"),
                S("9520123456789"),
                Blank,
                D(2025, 3, 10),
                N(5.0),
                S("台"),
                Blank,
                S("还行"),
            ],
            // 14: totals row.
            vec![S("合计"), Blank, Blank, Blank, Blank, N(1380.0)],
        ];
        for (i, r) in rows.iter().enumerate() {
            put(ws, 3 + i as u32, r)?;
        }
        Ok(())
    })
}

#[test]
fn messy_batch_sheet_is_read_with_every_problem_located() {
    let mut wb = open(messy_batch_sheet(), "messy.xlsx");
    assert_eq!(wb.format(), FileFormat::Xlsx);
    let read = read_first(&mut wb, RecordKind::Batch);
    assert_eq!(
        read.header_row,
        Some(3),
        "the merged title and the note row above the header are passed over"
    );
    let mapping = read.mapping.as_ref().expect("mapped");
    let fields: Vec<String> = mapping
        .columns
        .iter()
        .map(|c| {
            format!(
                "{}:{}:{:?}",
                c.column_letter,
                c.field.map_or("-", |f| f.as_str()),
                c.confidence
            )
        })
        .collect();
    insta::assert_json_snapshot!("messy_batch_mapping", fields);
    insta::assert_json_snapshot!("messy_batch_problems", summary(&read));
    insta::assert_json_snapshot!(
        "messy_batch_drafts",
        read.rows
            .iter()
            .map(|r| (&r.row, &r.record))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        read.rows_total, 9,
        "blank row and totals row are not data rows"
    );
    assert!(read.importable());
}

#[test]
fn problem_messages_say_where_what_and_how_to_fix() {
    let mut wb = open(messy_batch_sheet(), "messy.xlsx");
    let read = read_first(&mut wb, RecordKind::Batch);
    let date = read
        .all_problems()
        .find(|p| p.code == ProblemCode::DateImpossible)
        .expect("2025-02-30 is reported");
    assert_eq!(date.row, Some(9));
    assert_eq!(date.column.as_deref(), Some("E"));
    assert!(
        date.message
            .zh
            .starts_with("第 9 行 E 列（生产日期(年/月/日)）："),
        "{}",
        date.message.zh
    );
    let sci = read
        .all_problems()
        .find(|p| p.code == ProblemCode::GtinScientific)
        .expect("scientific GTIN reported");
    assert!(
        sci.message.zh.contains("文本"),
        "the fix names the Text format: {}",
        sci.message.zh
    );
    insta::assert_json_snapshot!(
        "messy_batch_full_problems_rows_9_to_11",
        read.all_problems()
            .filter(|p| matches!(p.row, Some(9..=11)))
            .collect::<Vec<_>>()
    );
}

#[track_caller]
fn check_date(cell: Cell, expect: &str) {
    let mut issues = Vec::new();
    let got = cell::date(&cell, false, &ctx(), &mut issues);
    let actual = match got {
        Some(d) => format!("ok {}", cell::format_date(d)),
        None => issues
            .first()
            .map_or("none".into(), |i| format!("err {}", i.code)),
    };
    assert_eq!(actual, expect, "cell: {cell:?}");
}

#[test]
fn dates_are_read_from_serials_and_the_usual_typed_forms() {
    use Cell::*;
    let t = |s: &str| Text(s.to_string());
    check_date(
        DateTime {
            serial: 45720.0,
            epoch_1904: false,
        },
        "ok 2025-03-04",
    );
    check_date(
        DateTime {
            serial: 45720.75,
            epoch_1904: false,
        },
        "ok 2025-03-04",
    );
    check_date(
        DateTime {
            serial: 44258.0,
            epoch_1904: true,
        },
        "ok 2025-03-04",
    );
    check_date(Float(45720.0), "ok 2025-03-04");
    check_date(Int(20250304), "ok 2025-03-04");
    check_date(
        DateTime {
            serial: 59.0,
            epoch_1904: false,
        },
        "ok 1900-02-28",
    );
    check_date(
        DateTime {
            serial: 60.0,
            epoch_1904: false,
        },
        "err date.impossible",
    );
    check_date(
        DateTime {
            serial: 61.0,
            epoch_1904: false,
        },
        "ok 1900-03-01",
    );
    check_date(
        DateTime {
            serial: 1.0,
            epoch_1904: false,
        },
        "ok 1900-01-01",
    );
    check_date(t("2025/3/4"), "ok 2025-03-04");
    check_date(t("2025-03-04"), "ok 2025-03-04");
    check_date(t("2025年3月4日"), "ok 2025-03-04");
    check_date(t("20250304"), "ok 2025-03-04");
    check_date(t("2025.3.4"), "ok 2025-03-04");
    check_date(t(" 2025-03-04 10:30:00 "), "ok 2025-03-04");
    check_date(t("２０２５－０３－０４"), "ok 2025-03-04");
    check_date(t("2025-02-30"), "err date.impossible");
    check_date(t("2024-02-29"), "ok 2024-02-29");
    check_date(t("2025-13-01"), "err date.invalid");
    check_date(t("3/4/2025"), "err date.invalid");
    check_date(t("昨天"), "err date.invalid");
    check_date(t("2025-07-01"), "err date.future");
    check_date(t("#N/A"), "err cell.error");
    check_date(Error("#VALUE!".into()), "err cell.error");
    check_date(Bool(true), "err date.invalid");
    check_date(t("   "), "none");
}

#[test]
fn future_dates_are_allowed_where_the_field_expects_them() {
    let mut issues = Vec::new();
    let d = cell::date(&Cell::Text("2027-12-31".into()), true, &ctx(), &mut issues);
    assert_eq!(d, Some(date!(2027 - 12 - 31)));
    assert!(issues.is_empty());
}

#[track_caller]
fn check_gtin(cell: Cell, expect: &str) {
    let mut issues = Vec::new();
    let got = cell::gtin(&cell, &ctx(), &mut issues);
    let mut actual = got.map_or("none".to_string(), |g| format!("ok {g}"));
    for i in &issues {
        actual.push_str(&format!(
            " {}{}",
            if i.severity == Severity::Error {
                "E:"
            } else {
                "W:"
            },
            i.code
        ));
    }
    assert_eq!(actual, expect, "cell: {cell:?}");
}

#[test]
fn gtins_are_restored_from_numbers_and_check_verified() {
    use Cell::*;
    let t = |s: &str| Text(s.to_string());
    check_gtin(Float(9520123456788.0), "ok 9520123456788");
    check_gtin(Int(9520123456788), "ok 9520123456788");
    check_gtin(t("9520123456788"), "ok 9520123456788");
    check_gtin(t("09520123456788"), "ok 09520123456788");
    check_gtin(t(" 952 0123 456788 "), "ok 9520123456788");
    check_gtin(t("９５２０１２３４５６７８８"), "ok 9520123456788");
    check_gtin(t("9520123456788.0"), "ok 9520123456788");
    check_gtin(Float(2345673.0), "ok 02345673 W:gtin.leading-zero-restored");
    check_gtin(
        Float(1234567895.0),
        "ok 001234567895 W:gtin.leading-zero-restored",
    );
    check_gtin(Float(2345674.0), "none E:gtin.length");
    check_gtin(t("9520123456789"), "none E:gtin.check-digit");
    check_gtin(t("6.90123E+12"), "none E:gtin.scientific");
    check_gtin(t("9.52012e12"), "none E:gtin.scientific");
    check_gtin(Float(1.2345678901234567e17), "none E:gtin.scientific");
    check_gtin(Float(952012345678.5), "none E:gtin.invalid");
    check_gtin(t("95201234567X8"), "none E:gtin.invalid");
    check_gtin(t("123"), "none E:gtin.length");
    check_gtin(Error("#N/A".into()), "none E:cell.error");
    check_gtin(Empty, "none");
    for valid in [
        "02345673",
        "416000336108",
        "1234567890128",
        "12345678901231",
        "6901234567892",
        "16901234567899",
    ] {
        assert!(
            cell::gs1_check_digit_ok(valid),
            "{valid} is valid per GS1 test vectors"
        );
    }
    for invalid in [
        "12345673",
        "416000336109",
        "1234567890129",
        "12345678901232",
        "12345678 012345675",
    ] {
        assert!(
            !cell::gs1_check_digit_ok(invalid),
            "{invalid} is invalid per GS1 test vectors"
        );
    }
}

#[test]
fn codes_from_numeric_cells_keep_their_digits_and_refuse_lost_precision() {
    let mut issues = Vec::new();
    assert_eq!(
        cell::code(&Cell::Float(20250304.0), &ctx(), &mut issues).as_deref(),
        Some("20250304")
    );
    assert_eq!(
        cell::code(&Cell::Text(" L-001\u{200B} ".into()), &ctx(), &mut issues).as_deref(),
        Some("L-001")
    );
    assert!(issues.is_empty());
    assert_eq!(
        cell::code(
            &Cell::Float(1.234_567_890_123_456_8e17),
            &ctx(),
            &mut issues
        ),
        None
    );
    assert_eq!(
        issues.pop().map(|i| i.code),
        Some(ProblemCode::CodeScientific)
    );
    assert_eq!(
        cell::code(&Cell::Text("1.23457E+17".into()), &ctx(), &mut issues),
        None
    );
    assert_eq!(
        issues.pop().map(|i| i.code),
        Some(ProblemCode::CodeScientific)
    );
}

#[test]
fn quantities_accept_grouping_blanks_and_full_width_digits() {
    let cases: &[(&str, Option<&str>)] = &[
        ("1,200", Some("1200")),
        (" 12 ", Some("12")),
        ("１２", Some("12")),
        ("１，２００．５０", Some("1200.5")),
        ("12,345,678", Some("12345678")),
        ("0012.500", Some("12.5")),
        ("+3", Some("3")),
        ("1,2", None),
        ("12kg", None),
        ("十二", None),
        ("1.2.3", None),
        ("", None),
        (".", None),
    ];
    for (input, expect) in cases {
        assert_eq!(
            Decimal::parse(input).as_ref().map(Decimal::as_str),
            *expect,
            "input {input:?}"
        );
    }
    assert_eq!(
        Decimal::from_f64(0.1 + 0.2)
            .map(|d| d.to_string())
            .as_deref(),
        Some("0.3"),
        "Excel shows 15 significant digits"
    );
    let mut issues = Vec::new();
    assert_eq!(cell::quantity(&Cell::Float(0.0), &ctx(), &mut issues), None);
    assert_eq!(
        issues.pop().map(|i| i.code),
        Some(ProblemCode::NumberNotPositive)
    );
    assert_eq!(
        cell::quantity(&Cell::Text("12kg".into()), &ctx(), &mut issues),
        None
    );
    let issue = issues.pop().expect("12kg is refused");
    assert!(
        issue.zh.contains("单位"),
        "the message points to the unit column: {}",
        issue.zh
    );
}

#[test]
fn enumerations_match_through_synonyms_blanks_and_width() {
    let cases: &[(&str, Option<&str>)] = &[
        ("合格", Some("pass")),
        ("合 格", Some("pass")),
        ("\u{3000}合格\u{00A0}", Some("pass")),
        ("PASS", Some("pass")),
        ("ｐａｓｓ", Some("pass")),
        ("Y", Some("pass")),
        ("✓", Some("pass")),
        ("√", Some("pass")),
        ("不合格", Some("fail")),
        ("FAIL", Some("fail")),
        ("NG", Some("fail")),
        ("待检", Some("pending")),
        ("还行", None),
    ];
    for (input, expect) in cases {
        let mut issues = Vec::new();
        let got = cell::enumeration(
            &Cell::Text(input.to_string()),
            &INSPECTION_RESULT,
            &ctx(),
            &mut issues,
        );
        assert_eq!(got, *expect, "input {input:?}");
        assert_eq!(issues.is_empty(), expect.is_some());
    }
}

#[test]
fn multi_lot_cells_split_on_every_separator_and_read_quantities() {
    let cases: &[(&str, &str)] = &[
        ("S1,S2，S3;S4；S5、S6/S7\nS8", "S1 S2 S3 S4 S5 S6 S7 S8"),
        ("S1×50、S2(20)、S3（5.5）", "S1=50 S2=20 S3=5.5"),
        ("S1*3, S2x4, BOX1, S3 X 2", "S1=3 S2=4 BOX1 S3=2"),
        ("AX12", "AX12"),
        ("S1, S1", "S1"),
        ("S1×abc", "err lots.invalid"),
        ("S1(0)", "err lots.invalid"),
        ("×5", "err lots.invalid"),
        (" , ", "none"),
    ];
    for (input, expect) in cases {
        let mut issues = Vec::new();
        let got = cell::lots(&Cell::Text(input.to_string()), &ctx(), &mut issues);
        let actual = match got {
            Some(lots) => lots
                .iter()
                .map(|m| match &m.quantity {
                    Some(q) => format!("{}={q}", m.lot),
                    None => m.lot.clone(),
                })
                .collect::<Vec<_>>()
                .join(" "),
            None => issues
                .iter()
                .find(|i| i.severity == Severity::Error)
                .map_or("none".into(), |i| format!("err {}", i.code)),
        };
        assert_eq!(actual, *expect, "input {input:?}");
    }
}

fn header_row(texts: &[&str]) -> RawRow {
    RawRow {
        row: 1,
        cells: texts
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.is_empty())
            .map(|(i, t)| (i as u16, Cell::Text(t.to_string())))
            .collect(),
    }
}

#[track_caller]
fn check_mapping(kind: RecordKind, texts: &[&str], expect: &str) {
    let m = header::map_header(&Matcher::new(kind), &header_row(texts));
    let actual = m
        .columns
        .iter()
        .map(|c| {
            let conf = match c.confidence {
                Confidence::Exact => "",
                Confidence::Normalised => "~",
                Confidence::Fuzzy => "?",
                Confidence::Manual => "!",
                Confidence::Unmapped => "",
            };
            format!(
                "{}:{}{conf}",
                c.column_letter,
                c.field.map_or("-", |f| f.as_str())
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(actual, expect, "headers {texts:?}");
}

#[test]
fn headers_map_exactly_normalised_and_fuzzily_avoiding_the_traps() {
    use RecordKind::*;
    // 序号 / No. / # count rows and are never the serial.
    check_mapping(
        Item,
        &["序号", "商品条码", "批号", "序列号"],
        "A:- B:gtin C:lot_no D:serial",
    );
    check_mapping(
        Item,
        &["No.", "GTIN", "Lot No.", "Serial No."],
        "A:- B:gtin C:lot_no~ D:serial~",
    );
    check_mapping(
        Item,
        &["#", "gtin", "LOT", "SN"],
        "A:- B:gtin~ C:lot_no~ D:serial",
    );
    // 数量 and 单位 stay apart, even with units in brackets.
    check_mapping(
        Batch,
        &["产品名称", "批号", "数量(kg)", "单位", "生产日期"],
        "A:product B:lot_no C:quantity~ D:unit E:produced_on",
    );
    // 生产日期 vs 发货日期: in a shipment sheet the production date is not the ship date.
    check_mapping(
        Shipment,
        &["生产日期", "发货日期", "客户", "出库单号"],
        "A:- B:shipped_on C:customer D:delivery_note_no",
    );
    // Full-width, blanks, asterisks and brackets.
    check_mapping(
        Receipt,
        &["*进货日期", "供 应 商", "原料名称（必填）", "ＵＳＣＣ"],
        "A:received_on~ B:supplier~ C:material~ D:supplier_uscc~",
    );
    // Fuzzy: a typo in a long English header.
    check_mapping(
        Batch,
        &["Produciton Date", "Lot Number", "Product Name"],
        "A:produced_on? B:lot_no C:product",
    );
    // Each field once: the second 批号 column stays unmapped.
    check_mapping(
        Batch,
        &["产品名称", "批号", "生产批号"],
        "A:product B:- C:lot_no",
    );
    // Nothing matches.
    check_mapping(Item, &["甲", "乙"], "A:- B:-");
}

#[test]
fn header_signature_is_stable_and_ignores_formatting_noise() {
    let a = header::signature(["产品名称", "生产批号", "数量(kg)"].into_iter());
    let b = header::signature(["产品名称 ", "生产批号", "数量（KG）", "", ""].into_iter());
    let c = header::signature(["产品名称", "数量", "生产批号"].into_iter());
    assert_eq!(
        a, b,
        "blanks, width, case, units and trailing empty headers do not change the signature"
    );
    assert_ne!(a, c, "column order does");
    assert_eq!(
        a, "32ed7c80e3b5df21",
        "the hash is fixed forever: remembered mappings depend on it"
    );
}

#[test]
fn a_manual_mapping_overrides_detection_and_is_remembered_by_signature() {
    use V::*;
    let bytes = xlsx(|ws| {
        put(ws, 0, &[S("代码"), S("批"), S("编号"), S("日期")])?;
        put(
            ws,
            1,
            &[S("9520123456788"), S("L1"), S("0001"), S("2025-03-04")],
        )?;
        Ok(())
    });
    let mut wb = open(bytes, "odd.xlsx");
    let first = read_first(&mut wb, RecordKind::Item);
    assert_eq!(first.header_row, None, "nothing here names two item fields");
    assert_eq!(summary(&first), vec!["E -- header.not-found "]);

    let grid = wb.grid("Sheet1", Some(5)).expect("grid");
    let mut mapping = header::map_row(RecordKind::Item, &grid.rows[0]);
    mapping
        .assign("A", Some(FieldKey::Gtin))
        .expect("A is a column");
    mapping
        .assign("B", Some(FieldKey::LotNo))
        .expect("B is a column");
    mapping
        .assign("C", Some(FieldKey::Serial))
        .expect("C is a column");
    mapping
        .assign("D", Some(FieldKey::ProducedOn))
        .expect("D is a column");
    assert_eq!(
        mapping.assign("C", Some(FieldKey::Customer)),
        Err(MappingError::WrongKind {
            field: FieldKey::Customer,
            kind: RecordKind::Item
        })
    );
    assert!(matches!(
        mapping.assign("1A", None),
        Err(MappingError::BadColumn { .. })
    ));

    let read = wb
        .read(
            "Sheet1",
            RecordKind::Item,
            &ReadOptions::new(TODAY).with_mapping(mapping.clone()),
        )
        .expect("reads");
    assert_eq!(read.rows_valid, 1, "{:?}", summary(&read));
    match &read.rows[0].record {
        RecordDraft::Item(item) => {
            assert_eq!(
                item.serial.as_deref(),
                Some("0001"),
                "leading zeros of a text serial survive"
            );
        }
        other => panic!("expected an item, got {other:?}"),
    }

    // Next file with the same headers: detection fails, the remembered mapping applies.
    let mut detected = header::map_row(RecordKind::Item, &grid.rows[0]);
    assert!(detected.apply_remembered(&mapping));
    assert_eq!(
        detected
            .columns
            .iter()
            .filter(|c| c.confidence == Confidence::Manual)
            .count(),
        4
    );
    let mut other = detected.clone();
    other.signature = "0".into();
    assert!(
        !detected.clone().apply_remembered(&other),
        "a different signature is not applied"
    );
}

#[test]
fn each_mapped_field_is_used_once_and_duplicates_are_reported() {
    use V::*;
    let bytes = xlsx(|ws| {
        put(ws, 0, &[S("商品条码"), S("批号"), S("序列号"), S("序列码")])?;
        put(ws, 1, &[S("9520123456788"), S("L1"), S("1"), S("x")])?;
        Ok(())
    });
    let read = read_first(&mut open(bytes, "d.xlsx"), RecordKind::Item);
    assert_eq!(summary(&read), vec!["W D1 header.duplicate-field 序列码"]);
}

#[test]
fn duplicates_across_rows_are_errors_on_the_later_row() {
    duplicates_found();
}

#[test]
fn duplicates_are_found_even_when_their_keys_share_a_hash() {
    crate::process::SAME_HASHES.with(|same| same.set(true));
    duplicates_found();
}

fn duplicates_found() {
    use V::*;
    let items = xlsx(|ws| {
        put(ws, 0, &[S("商品条码"), S("批号"), S("序列号")])?;
        put(ws, 1, &[S("9520123456788"), S("L1"), S("0001")])?;
        put(ws, 2, &[S("9520123456788"), S("L1"), S("0002")])?;
        put(ws, 3, &[N(9520123456788.0), S("L1"), S("0001")])?;
        put(ws, 4, &[S("9520123456788"), S("L2"), S("0001")])?;
        Ok(())
    });
    let read = read_first(&mut open(items, "items.xlsx"), RecordKind::Item);
    assert_eq!(summary(&read), vec!["E C4 duplicate.in-file 0001"]);
    assert!(
        read.all_problems()
            .next()
            .is_some_and(|p| p.message.zh.contains("第 2 行")),
        "names the first row"
    );

    let shipments = xlsx(|ws| {
        put(
            ws,
            0,
            &[
                S("发货日期"),
                S("客户"),
                S("出库单号"),
                S("产品名称"),
                S("批号"),
                S("数量"),
                S("单位"),
            ],
        )?;
        put(
            ws,
            1,
            &[
                S("2025-03-05"),
                S("甲公司"),
                S("CK1"),
                S("水壶"),
                S("L1"),
                N(10.0),
                S("台"),
            ],
        )?;
        put(
            ws,
            2,
            &[
                S("2025-03-05"),
                S("甲公司"),
                S("CK1"),
                S("水壶"),
                S("L2"),
                N(10.0),
                S("台"),
            ],
        )?;
        put(
            ws,
            3,
            &[
                S("2025-03-05"),
                S("甲公司"),
                S("CK1"),
                S("水壶"),
                S("L1"),
                N(5.0),
                S("台"),
            ],
        )?;
        put(
            ws,
            4,
            &[
                S("2025-03-06"),
                S("乙公司"),
                S("CK1"),
                S("水壶"),
                S("L3"),
                N(5.0),
                S("pcs"),
            ],
        )?;
        Ok(())
    });
    let read = read_first(&mut open(shipments, "ship.xlsx"), RecordKind::Shipment);
    assert_eq!(
        summary(&read),
        vec![
            "E C4 duplicate.in-file CK1",
            "E C5 delivery-note.conflict CK1"
        ]
    );
    match &read.rows[3].record {
        RecordDraft::Shipment(s) => assert_eq!(s.unit.as_deref(), Some("个"), "pcs folds to 个"),
        other => panic!("expected a shipment, got {other:?}"),
    }
}

#[test]
fn parties_are_checked_with_the_codes_crate() {
    use V::*;
    let bytes = xlsx(|ws| {
        put(
            ws,
            0,
            &[
                S("类型"),
                S("企业名称"),
                S("统一社会信用代码"),
                S("联系电话"),
            ],
        )?;
        put(
            ws,
            1,
            &[
                S("供应商"),
                S("甲公司"),
                S("91350100M000100Y43"),
                N(13800138000.0),
            ],
        )?;
        put(
            ws,
            2,
            &[
                S("客户"),
                S("乙公司"),
                S("91110000600037341N"),
                S("010-1234"),
            ],
        )?;
        put(
            ws,
            3,
            &[S("经销商"), S("丙公司"), S("9111000060003741L"), Blank],
        )?;
        Ok(())
    });
    let read = read_first(&mut open(bytes, "p.xlsx"), RecordKind::Party);
    assert_eq!(
        summary(&read),
        vec![
            "E C3 uscc.invalid 91110000600037341N",
            "E C4 uscc.invalid 9111000060003741L"
        ]
    );
    let p = read.all_problems().next().expect("problem");
    assert!(
        p.message.zh.contains("第 18 位校验码应为“L”"),
        "{}",
        p.message.zh
    );
    match &read.rows[0].record {
        RecordDraft::Party(p) => {
            assert_eq!(p.phone.as_deref(), Some("13800138000"));
            assert_eq!(p.kind, Some(PartyKind::Supplier));
        }
        other => panic!("expected a party, got {other:?}"),
    }
    match &read.rows[2].record {
        RecordDraft::Party(p) => {
            assert_eq!(p.kind, Some(PartyKind::Customer), "经销商 is a customer")
        }
        other => panic!("expected a party, got {other:?}"),
    }
}

#[test]
fn a_missing_required_column_blocks_the_sheet_once() {
    use V::*;
    let bytes = xlsx(|ws| {
        put(ws, 0, &[S("商品条码"), S("批号")])?;
        put(ws, 1, &[S("9520123456788"), S("L1")])?;
        put(ws, 2, &[S("9520123456788"), S("L2")])?;
        Ok(())
    });
    let read = read_first(&mut open(bytes, "m.xlsx"), RecordKind::Item);
    assert_eq!(summary(&read), vec!["E -- column.missing "]);
    assert_eq!(read.rows_total, 2);
    assert_eq!(
        read.rows_valid, 0,
        "nothing is importable while a required column is missing"
    );
    assert!(!read.importable());
}

#[test]
fn product_or_gtin_is_enough_for_a_batch() {
    use V::*;
    let bytes = xlsx(|ws| {
        put(
            ws,
            0,
            &[
                S("商品条码"),
                S("批号"),
                S("生产日期"),
                S("数量"),
                S("单位"),
                S("检验结果"),
            ],
        )?;
        put(
            ws,
            1,
            &[
                S("9520123456788"),
                S("L1"),
                S("2025-03-04"),
                N(1.0),
                S("台"),
                S("合格"),
            ],
        )?;
        put(
            ws,
            2,
            &[Blank, S("L2"), S("2025-03-04"), N(1.0), S("台"), S("合格")],
        )?;
        Ok(())
    });
    let read = read_first(&mut open(bytes, "g.xlsx"), RecordKind::Batch);
    assert_eq!(summary(&read), vec!["E A3 required.missing "]);
}

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, had_errors) = encoding_rs::GBK.encode(text);
    assert!(!had_errors);
    bytes.into_owned()
}

fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut out = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for unit in text.encode_utf16() {
        out.extend(if little_endian {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    out
}

const ITEM_CSV: &str = "商品条码,批号,序列号,生产日期\r\n9520123456788,L1,0001,2025/3/4\r\n9520123456788,L1,\"0002\",2025年3月4日\r\n,,,\r\n6.90123E+12,L1,0003,2025-03-04\r\n";

#[test]
fn csv_is_read_in_every_encoding_excel_and_wps_write() {
    let cases: Vec<(&str, Vec<u8>, &str, FileFormat)> = vec![
        (
            "utf8.csv",
            ITEM_CSV.as_bytes().to_vec(),
            "UTF-8",
            FileFormat::Csv,
        ),
        (
            "bom.csv",
            [b"\xEF\xBB\xBF".as_slice(), ITEM_CSV.as_bytes()].concat(),
            "UTF-8",
            FileFormat::Csv,
        ),
        ("gbk.csv", gbk(ITEM_CSV), "gb18030", FileFormat::Csv),
        (
            "utf16le.txt",
            utf16(&ITEM_CSV.replace(',', "\t"), true),
            "UTF-16LE",
            FileFormat::Tsv,
        ),
        (
            "utf16be.csv",
            utf16(ITEM_CSV, false),
            "UTF-16BE",
            FileFormat::Csv,
        ),
        (
            "semi.csv",
            ITEM_CSV.replace(',', ";").into_bytes(),
            "UTF-8",
            FileFormat::Csv,
        ),
    ];
    for (name, bytes, encoding, format) in cases {
        let mut wb = open(bytes, name);
        assert_eq!(
            wb.text_encoding().map(str::to_ascii_lowercase),
            Some(encoding.to_ascii_lowercase()),
            "{name}"
        );
        assert_eq!(wb.format(), format, "{name}");
        assert_eq!(
            wb.sheets()[0].name,
            Path::new(name)
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
        );
        let read = read_first(&mut wb, RecordKind::Item);
        assert_eq!(read.rows_total, 3, "{name}: the blank record is skipped");
        assert_eq!(
            summary(&read),
            vec!["E A5 gtin.scientific 6.90123E+12"],
            "{name}: row numbers count records"
        );
    }
}

#[test]
fn csv_delimiter_sniffing_ignores_quoted_commas() {
    assert_eq!(
        crate::csv::sniff_delimiter("a;b;c\n\"1,5\";2;3\n", "csv"),
        b';'
    );
    assert_eq!(crate::csv::sniff_delimiter("a\tb\n1,5\t2\n", "csv"), b'\t');
    assert_eq!(crate::csv::sniff_delimiter("a,b\n1,2\n", "tsv"), b',');
    assert_eq!(crate::csv::sniff_delimiter("single\n", "tsv"), b'\t');
}

fn soffice() -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| Path::new(d).join("soffice"))
        .find(|p| p.is_file())
}

/// Converts an xlsx with LibreOffice; `None` (and a note on stderr) when soffice is missing.
fn convert(xlsx_bytes: &[u8], to: &str) -> Option<Vec<u8>> {
    let Some(soffice) = soffice() else {
        eprintln!(
            "soffice is not on PATH: skipping the .{to} part (apt-get install libreoffice-calc-nogui)"
        );
        return None;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in.xlsx");
    std::fs::write(&input, xlsx_bytes).expect("write input");
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.path().join("profile").display()
    );
    let status = std::process::Command::new(soffice)
        .args([
            profile.as_str(),
            "--headless",
            "--convert-to",
            to,
            "--outdir",
        ])
        .arg(dir.path())
        .arg(&input)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("soffice runs");
    assert!(status.success(), "soffice converts to {to}");
    Some(std::fs::read(dir.path().join(format!("in.{to}"))).expect("converted file exists"))
}

fn small_batch_sheet() -> Vec<u8> {
    use V::*;
    xlsx(|ws| {
        ws.merge_range(0, 0, 0, 5, "生产批次", &Format::new())?;
        put(
            ws,
            1,
            &[
                S("产品名称"),
                S("商品条码"),
                S("批号"),
                S("生产日期"),
                S("数量"),
                S("单位"),
                S("消耗原料批号"),
                S("检验结果"),
            ],
        )?;
        put(
            ws,
            2,
            &[
                S("水壶"),
                N(9520123456788.0),
                S("L1"),
                D(2025, 3, 4),
                N(12.5),
                S("台"),
                S("S1×2、S2"),
                S("合格"),
            ],
        )?;
        put(
            ws,
            3,
            &[
                S("水壶"),
                S("9520123456788"),
                N(20250305.0),
                S("2025/3/5"),
                S("1,200"),
                S("台"),
                S("S3"),
                S("不合格"),
            ],
        )?;
        put(
            ws,
            4,
            &[
                S("水壶"),
                S("9520123456789"),
                S("L3"),
                S("2025-02-30"),
                N(1.0),
                S("台"),
                Blank,
                S("合格"),
            ],
        )?;
        Ok(())
    })
}

#[test]
fn xls_and_ods_made_by_libreoffice_read_like_the_xlsx() {
    let original = small_batch_sheet();
    let expected = read_first(&mut open(original.clone(), "b.xlsx"), RecordKind::Batch);
    assert_eq!(expected.rows_total, 3);
    for (ext, format) in [("xls", FileFormat::Xls), ("ods", FileFormat::Ods)] {
        let Some(bytes) = convert(&original, ext) else {
            continue;
        };
        let mut wb = open(bytes, &format!("b.{ext}"));
        assert_eq!(wb.format(), format);
        let read = read_first(&mut wb, RecordKind::Batch);
        assert_eq!(read.header_row, expected.header_row, "{ext}");
        assert_eq!(
            read.rows, expected.rows,
            "{ext}: same drafts and problems as the xlsx"
        );
    }
}

#[test]
fn templates_read_back_with_exact_headers_and_a_valid_example_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    for kind in RecordKind::ALL {
        let mut bytes = Vec::new();
        write::template(kind, &mut bytes).expect("template writes");
        let path = dir.path().join(write::template_file_name(kind));
        write::template_to_path(kind, &path).expect("template writes to a path");
        let mut wb = Workbook::open(&path).expect("template opens");
        let names: Vec<&str> = wb.sheets().iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, vec![kind.zh(), "填表说明"]);
        let read = read_first(&mut wb, kind);
        assert_eq!(read.header_row, Some(1), "{kind:?}");
        let mapping = read.mapping.as_ref().expect("mapped");
        assert!(
            mapping
                .columns
                .iter()
                .all(|c| c.confidence == Confidence::Exact),
            "{kind:?}: {mapping:?}"
        );
        assert_eq!(mapping.columns.len(), kind.fields().len());
        assert_eq!(read.rows_total, 1, "{kind:?}: the example row");
        assert_eq!(
            summary(&read),
            Vec::<String>::new(),
            "{kind:?}: the example row is valid"
        );
        let guide = wb.grid("填表说明", None).expect("guide");
        let text: String = guide
            .rows
            .iter()
            .flat_map(|r| r.cells.iter().map(|c| c.value.raw_text()))
            .collect();
        for f in kind.fields() {
            assert!(
                text.contains(f.explain_zh),
                "{kind:?}: the guide explains {}",
                f.zh
            );
        }
    }
}

#[test]
fn template_keeps_code_columns_as_text_with_notes_and_dropdowns() {
    let mut bytes = Vec::new();
    write::template(RecordKind::Batch, &mut bytes).expect("template writes");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("xlsx is a zip");
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").expect("sheet1"),
        &mut sheet,
    )
    .expect("utf-8");
    assert!(sheet.contains("<pane ySplit=\"1\""), "header row frozen");
    assert!(sheet.contains("合格,不合格,待检"), "inspection dropdown");
    assert!(sheet.contains("个,台,套,件,米,千克,吨,箱"), "unit dropdown");
    let mut styles = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/styles.xml").expect("styles"),
        &mut styles,
    )
    .expect("utf-8");
    assert!(
        styles.contains("numFmtId=\"49\""),
        "text (@) format used for code columns"
    );
    assert!(
        zip.by_name("xl/comments1.xml").is_ok(),
        "header notes exist"
    );
    let mut wb = Workbook::from_bytes(
        {
            let mut b = Vec::new();
            write::template(RecordKind::Batch, &mut b).expect("template writes");
            b
        },
        "t.xlsx",
    )
    .expect("opens");
    let read = read_first(&mut wb, RecordKind::Batch);
    match &read.rows[0].record {
        RecordDraft::Batch(b) => {
            assert_eq!(b.gtin.as_deref(), Some("9520123456788"));
            assert_eq!(b.materials.len(), 2);
        }
        other => panic!("expected a batch, got {other:?}"),
    }
}

#[test]
fn problem_report_marks_cells_and_lists_row_problems() {
    let bytes = messy_batch_sheet();
    let mut wb = open(bytes, "messy.xlsx");
    let read = read_first(&mut wb, RecordKind::Batch);
    let mut out = Vec::new();
    write::problem_report(&mut wb, &read, &mut out).expect("report writes");
    let mut report = open(out.clone(), "report.xlsx");
    let names: Vec<String> = report.sheets().iter().map(|s| s.name.clone()).collect();
    assert_eq!(names, vec!["Sheet1", "问题列表"]);
    let grid = report.grid("Sheet1", None).expect("grid");
    let cell_text = |row: u32, col: &str| {
        let col = column_index(col).expect("column");
        grid.rows
            .iter()
            .find(|r| r.row == row)
            .and_then(|r| r.cells.iter().find(|c| c.column == col))
            .map(|c| c.value.raw_text())
    };
    assert_eq!(
        cell_text(3, "M").as_deref(),
        Some("问题说明"),
        "column after the notes column"
    );
    assert!(
        cell_text(9, "M").is_some_and(|t| t.contains("2025-02-30")),
        "{:?}",
        cell_text(9, "M")
    );
    assert_eq!(cell_text(4, "M"), None, "row 4 has no problems");
    assert_eq!(
        cell_text(4, "C").as_deref(),
        Some("9520123456788"),
        "values are copied"
    );
    assert_eq!(
        cell_text(4, "E").as_deref(),
        Some("2025-03-04"),
        "dates stay dates"
    );
    let list = report.grid("问题列表", None).expect("list");
    assert_eq!(list.rows.len(), read.all_problems().count() + 1);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(out)).expect("zip");
    let mut styles = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/styles.xml").expect("styles"),
        &mut styles,
    )
    .expect("utf-8");
    assert!(
        styles.contains("FFFFC7CE") && styles.contains("FFFFEB9C"),
        "red and yellow fills exist"
    );
    assert!(
        zip.by_name("xl/comments1.xml").is_ok(),
        "messages are cell notes"
    );
}

#[test]
fn a_problem_report_keeps_formula_like_cells_as_text_and_reads_back_as_they_were() {
    let link = r#"=HYPERLINK("http://x","y")"#;
    let csv = format!(
        "进货日期,供应商,原料名称,供应商批号,数量,单位,检验结果\n\
         2025-03-02,@SUM(1),\"{}\",L1,100,个,合格\n\
         2025-02-30,＋86 阀门,阀门,L2,-5,个,合格\n",
        link.replace('"', "\"\"")
    );
    let mut wb = open(csv.into_bytes(), "ledger.csv");
    let read = read_first(&mut wb, RecordKind::Receipt);
    assert!(
        read.all_problems().any(|p| p.is_error()),
        "row 3 has errors"
    );
    let mut out = Vec::new();
    write::problem_report(&mut wb, &read, &mut out).expect("report writes");

    // As Excel would see it: every such cell is a string starting with an apostrophe.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(out.clone())).expect("zip");
    let mut xml = String::new();
    for name in ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"] {
        std::io::Read::read_to_string(&mut zip.by_name(name).expect("sheet"), &mut xml)
            .expect("utf-8");
    }
    assert!(!xml.contains("<f>"), "no formula cell");
    for text in ["'@SUM(1)", r#"'=HYPERLINK("http://x","y")"#, "'＋86 阀门"] {
        assert!(xml.contains(text), "{text} is an inline string: {xml}");
    }
    for raw in [">@SUM(1)<", ">=HYPERLINK(", ">＋86 阀门<"] {
        assert!(!xml.contains(raw), "{raw} is never written bare");
    }

    // Fixed in Excel and imported again, the names are what the clerk typed.
    let mut report = open(out, "report.xlsx");
    let again = read_first(&mut report, RecordKind::Receipt);
    let suppliers: Vec<Option<String>> = again
        .rows
        .iter()
        .map(|r| match &r.record {
            RecordDraft::Receipt(d) => d.supplier.clone(),
            other => panic!("a receipt, got {other:?}"),
        })
        .collect();
    assert_eq!(
        suppliers,
        [Some("@SUM(1)".to_string()), Some("＋86 阀门".to_string())]
    );
    let materials: Vec<Option<String>> = again
        .rows
        .iter()
        .map(|r| match &r.record {
            RecordDraft::Receipt(d) => d.material.clone(),
            _ => None,
        })
        .collect();
    assert_eq!(materials[0].as_deref(), Some(link));
}

// ---- hostile files -------------------------------------------------------------------------

fn open_err(bytes: Vec<u8>, name: &str) -> ReadError {
    match Workbook::from_bytes(bytes, name) {
        Ok(wb) => panic!("{name} should not open, got {wb:?}"),
        Err(e) => e,
    }
}

#[test]
fn hostile_and_foreign_files_end_in_typed_errors() {
    let good = small_batch_sheet();
    let png =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    let truncated = good[..good.len() / 2].to_vec();
    let mut docx = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    docx.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .expect("zip entry");
    docx.write_all(b"<w:document/>").expect("zip write");
    let docx = docx.finish().expect("zip").into_inner();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("image.xlsx", png, "file.not-a-spreadsheet"),
        ("half.xlsx", truncated, "file.truncated"),
        ("empty.xlsx", Vec::new(), "file.empty"),
        (
            "page.xls",
            b"<html><body><table><tr><td>1</td></tr></table></body></html>".to_vec(),
            "file.disguised",
        ),
        ("report.xlsx", docx, "file.not-a-spreadsheet"),
        (
            "doc.pdf",
            b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec(),
            "file.not-a-spreadsheet",
        ),
        (
            "bin.xlsx",
            (0..4096u32).map(|i| (i * 7 % 256) as u8).collect(),
            "file.not-a-spreadsheet",
        ),
    ];
    for (name, bytes, code) in cases {
        let err = open_err(bytes, name);
        assert_eq!(err.code(), code, "{name}: {err}");
        assert!(!err.message().zh.is_empty());
    }
}

fn ole(streams: &[&str]) -> Vec<u8> {
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).expect("cfb");
    for s in streams {
        let mut stream = file.create_stream(s).expect("stream");
        stream.write_all(&[1, 2, 3, 4]).expect("write");
    }
    file.flush().expect("flush");
    file.into_inner().into_inner()
}

#[test]
fn encrypted_workbooks_ask_for_the_password_to_be_removed() {
    // Office stores a password-protected xlsx as an OLE file with these two streams.
    let err = open_err(
        ole(&["/EncryptionInfo", "/EncryptedPackage"]),
        "secret.xlsx",
    );
    assert_eq!(err.code(), "file.encrypted");
    assert_eq!(
        err.message().zh,
        "文件已加密，请先在 Excel 中取消密码后另存，再导入"
    );
    let err = open_err(ole(&["/WordDocument"]), "old.xls");
    assert_eq!(err.code(), "file.not-a-spreadsheet");
    assert!(err.message().zh.contains("Word"), "{}", err.message().zh);
    let err = open_err(ole(&["/Other"]), "odd.xls");
    assert_eq!(err.code(), "file.not-a-spreadsheet");
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_inflated() {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/workbook.xml", options).expect("entry");
    zip.write_all(b"<workbook/>").expect("write");
    zip.start_file("xl/worksheets/sheet1.xml", options)
        .expect("entry");
    let block = vec![b' '; 1 << 20];
    for _ in 0..64 {
        zip.write_all(&block).expect("write");
    }
    let bytes = zip.finish().expect("zip").into_inner();
    assert!(
        bytes.len() < 1 << 20,
        "64 MiB of blanks packs into {} bytes",
        bytes.len()
    );
    let started = Instant::now();
    let err = open_err(bytes, "bomb.xlsx");
    assert_eq!(err.code(), "file.zip-bomb", "{err}");
    assert!(err.message().zh.contains("xl/worksheets/sheet1.xml"));
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "refused from the declared sizes alone"
    );
}

#[test]
fn a_stray_value_in_the_last_cell_costs_nothing_and_is_reported() {
    use V::*;
    let bytes = xlsx(|ws| {
        put(ws, 0, &[S("商品条码"), S("批号"), S("序列号")])?;
        put(ws, 1, &[S("9520123456788"), S("L1"), S("1")])?;
        ws.write_string(1_048_575, 16_383, "stray")?;
        ws.write_string(60_000, 0, "far below")?;
        Ok(())
    });
    let started = Instant::now();
    let mut wb = open(bytes, "stray.xlsx");
    let read = read_first(&mut wb, RecordKind::Item);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(read.rows_total, 1);
    assert_eq!(
        summary(&read),
        vec![
            "W A60001 sheet.stray-cells ",
            "W XFD1048576 sheet.columns-beyond-limit "
        ]
    );
}

#[test]
fn a_stray_value_in_an_xls_or_ods_is_refused_before_calamine_allocates() {
    use V::*;
    let bytes = xlsx(|ws| {
        put(ws, 0, &[S("商品条码"), S("批号"), S("序列号")])?;
        ws.write_string(65_535, 255, "stray")?;
        Ok(())
    });
    for ext in ["xls", "ods"] {
        let Some(converted) = convert(&bytes, ext) else {
            continue;
        };
        let limits = Limits {
            max_dense_cells: 1_000_000,
            ..Limits::default()
        };
        let err = Workbook::from_bytes_with(converted, &format!("s.{ext}"), limits)
            .expect_err("too large");
        assert_eq!(err.code(), "sheet.too-large", "{ext}: {err}");
        assert!(
            err.message().zh.contains("IV65536"),
            "{ext}: {}",
            err.message().zh
        );
    }
}

#[test]
fn too_many_rows_and_too_large_files_are_refused_with_the_limit_named() {
    let mut csv = String::from("商品条码,批号,序列号\n");
    for i in 0..50 {
        csv.push_str(&format!("9520123456788,L1,{i}\n"));
    }
    let limits = Limits {
        max_rows: 20,
        ..Limits::default()
    };
    let mut wb = Workbook::from_bytes_with(csv.clone().into_bytes(), "big.csv", limits.clone())
        .expect("opens");
    let err = wb
        .read("big", RecordKind::Item, &ReadOptions::new(TODAY))
        .expect_err("too many rows");
    assert_eq!(err.code(), "sheet.too-many-rows");
    assert!(err.message().zh.contains("20 行"), "{}", err.message().zh);

    let xlsx_bytes = xlsx(|ws| {
        for i in 0..50 {
            ws.write_string(i, 0, format!("v{i}"))?;
        }
        Ok(())
    });
    let mut wb = Workbook::from_bytes_with(xlsx_bytes, "big.xlsx", limits).expect("opens");
    assert_eq!(
        wb.grid("Sheet1", None).expect_err("too many").code(),
        "sheet.too-many-rows"
    );

    let limits = Limits {
        max_file_bytes: 100,
        ..Limits::default()
    };
    let err = Workbook::from_bytes_with(csv.into_bytes(), "big.csv", limits.clone())
        .expect_err("too large");
    assert_eq!(err.code(), "file.too-large");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("big.xlsx");
    std::fs::write(&path, vec![0u8; 1000]).expect("write");
    assert_eq!(
        Workbook::open_with(&path, limits)
            .expect_err("too large")
            .code(),
        "file.too-large"
    );
    assert_eq!(
        Workbook::open(dir.path().join("missing.xlsx"))
            .expect_err("missing")
            .code(),
        "file.unreadable"
    );
}

#[test]
fn an_unknown_sheet_lists_the_ones_there_are() {
    let mut wb = open(small_batch_sheet(), "b.xlsx");
    let err = wb
        .read("进货", RecordKind::Batch, &ReadOptions::new(TODAY))
        .expect_err("no such sheet");
    assert_eq!(err.code(), "sheet.not-found");
    assert!(err.message().zh.contains("Sheet1"));
}

/// xorshift: deterministic noise without a dependency.
struct Noise(u64);
impl Noise {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn string(&mut self) -> String {
        const PIECES: &[&str] = &[
            "2025",
            "-",
            "/",
            ".",
            "年",
            "月",
            "日",
            "0",
            "9",
            "E+",
            "e",
            "×",
            "x",
            "(",
            ")",
            "（",
            "）",
            "，",
            "、",
            ",",
            " ",
            "\u{3000}",
            "\u{200B}",
            "合",
            "格",
            "#N/A",
            "１",
            "Ａ",
            "序号",
            "批号",
            "数量",
            "kg",
            "*",
            "\n",
            "💥",
            "\u{FEFF}",
            "-0",
            ".5",
            "99999999999999999999",
            "X",
            ";",
        ];
        (0..self.next() % 12)
            .map(|_| PIECES[(self.next() % PIECES.len() as u64) as usize])
            .collect()
    }
}

#[test]
fn random_cells_and_bytes_never_panic() {
    let started = Instant::now();
    let mut noise = Noise(0x9E37_79B9_7F4A_7C15);
    let matcher = Matcher::new(RecordKind::Batch);
    for _ in 0..5_000 {
        let s = noise.string();
        let cells = [
            Cell::Text(s.clone()),
            Cell::Float(f64::from_bits(noise.next())),
            Cell::Int(noise.next() as i64),
            Cell::DateTime {
                serial: f64::from_bits(noise.next()),
                epoch_1904: noise.next().is_multiple_of(2),
            },
        ];
        for c in &cells {
            let mut issues = Vec::new();
            let ctx = ctx();
            let _ = cell::text(c, &ctx, &mut issues);
            let _ = cell::code(c, &ctx, &mut issues);
            let _ = cell::gtin(c, &ctx, &mut issues);
            let _ = cell::uscc(c, &ctx, &mut issues);
            let _ = cell::date(c, false, &ctx, &mut issues);
            let _ = cell::quantity(c, &ctx, &mut issues);
            let _ = cell::enumeration(c, &INSPECTION_RESULT, &ctx, &mut issues);
            let _ = cell::unit(c, &ctx, &mut issues);
            let _ = cell::lots(c, &ctx, &mut issues);
            let _ = c.raw_text();
        }
        let _ = header::normalise_header(&s);
        let _ = matcher.classify(&s);
        let _ = Decimal::parse(&s);
    }
    let good = small_batch_sheet();
    for i in 0..300 {
        let len = (noise.next() % 3000) as usize;
        let mut bytes: Vec<u8> = (0..len).map(|_| noise.next() as u8).collect();
        if i % 3 == 0 {
            // Damage a real workbook instead of starting from noise.
            bytes = good.clone();
            for _ in 0..8 {
                let at = (noise.next() as usize) % bytes.len();
                bytes[at] = noise.next() as u8;
            }
        }
        let name = ["x.xlsx", "x.xls", "x.csv", "x.ods", "x"][i % 5];
        if let Ok(mut wb) = Workbook::from_bytes(bytes, name) {
            let sheets: Vec<String> = wb.sheets().iter().map(|s| s.name.clone()).collect();
            for s in sheets {
                let _ = wb.read(&s, RecordKind::Batch, &ReadOptions::new(TODAY));
            }
        }
    }
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "fuzzing took {:?}",
        started.elapsed()
    );
}

#[test]
fn footer_note_and_repeated_header_rows_are_skipped_with_a_warning() {
    use V::*;
    let bytes = xlsx(|ws| {
        put(
            ws,
            0,
            &[S("商品条码"), S("批号"), S("序列号"), Blank, S("备注")],
        )?;
        put(
            ws,
            1,
            &[S("9520123456788"), S("L1"), S("1"), Blank, S("抽检")],
        )?;
        put(ws, 2, &[Blank, Blank, Blank, Blank, S("只有备注的行")])?;
        put(ws, 3, &[S("商品条码"), S("批号"), S("序列号")])?;
        put(ws, 4, &[S("9520123456788"), S("L1"), S("2")])?;
        put(ws, 5, &[S("注：序列号由系统生成")])?;
        put(ws, 6, &[S("Total"), Blank, N(2.0)])?;
        Ok(())
    });
    let read = read_first(&mut open(bytes, "f.xlsx"), RecordKind::Item);
    assert_eq!(
        summary(&read),
        vec![
            "W A4 row.repeated-header 商品条码",
            "W A6 row.note 注：序列号由系统生成",
            "W A7 row.footer Total"
        ]
    );
    assert_eq!(
        read.rows.iter().map(|r| r.row).collect::<Vec<_>>(),
        vec![2, 5]
    );
}

#[test]
fn column_letters_round_trip() {
    for (i, l) in [
        (0u16, "A"),
        (25, "Z"),
        (26, "AA"),
        (51, "AZ"),
        (52, "BA"),
        (701, "ZZ"),
        (702, "AAA"),
        (16_383, "XFD"),
    ] {
        assert_eq!(column_letter(i), l);
        assert_eq!(column_index(l), Some(i));
    }
    assert_eq!(column_index("XFE"), None);
    assert_eq!(column_index("A1"), None);
    assert_eq!(column_index(""), None);
}

#[test]
fn every_field_table_entry_is_consistent() {
    for kind in RecordKind::ALL {
        let fields = kind.fields();
        for (i, f) in fields.iter().enumerate() {
            assert!(
                fields[i + 1..].iter().all(|g| g.key != f.key),
                "{kind:?}: {:?} twice",
                f.key
            );
            assert!(!f.explain_zh.is_empty() && !f.explain_en.is_empty());
            let matcher = Matcher::new(kind);
            assert_eq!(
                matcher.classify(f.zh).map(|(j, c, _)| (j, c)),
                Some((i, Confidence::Exact)),
                "{kind:?}: {} maps to itself",
                f.zh
            );
            for s in f.synonyms {
                let got = matcher.classify(s).map(|(j, _, _)| fields[j].key);
                assert_eq!(
                    got,
                    Some(f.key),
                    "{kind:?}: synonym {s} of {} is claimed by another field",
                    f.zh
                );
            }
            if let Need::EitherOr(other) = f.need {
                assert!(
                    kind.field(other).is_some(),
                    "{kind:?}: {:?} pairs with a field of the same kind",
                    f.key
                );
            }
        }
    }
}

#[test]
fn cleaning_copies_clean_text_and_tidies_the_rest() {
    // (typed, clean_text, clean_folded)
    let cases = [
        ("B2025-01", "B2025-01", "B2025-01"),
        ("a b c", "a b c", "a b c"),
        ("", "", ""),
        (" lead", "lead", "lead"),
        ("trail ", "trail", "trail"),
        ("two  spaces", "two spaces", "two spaces"),
        ("tab\there", "tab here", "tab here"),
        ("line\r\nbreak", "line break", "line break"),
        ("ＡＢ１２", "ＡＢ１２", "AB12"),
        ("\u{200B}零宽", "零宽", "零宽"),
        ("全角\u{3000}空格", "全角 空格", "全角 空格"),
    ];
    for (typed, text, folded) in cases {
        assert_eq!(cell::clean_text(typed), text, "{typed:?}");
        assert_eq!(cell::clean_folded(typed), folded, "{typed:?}");
    }
}

#[test]
fn a_sheet_read_on_two_threads_is_read_exactly_as_on_one() {
    use V::*;
    let limits = Limits {
        max_columns: 6,
        ..Limits::default()
    };
    let messy = messy_batch_sheet();
    let wide = xlsx(|ws| {
        put(ws, 0, &[S("商品条码"), S("批号"), S("序列号")])?;
        for i in 1..=3000u32 {
            put(ws, i, &[S("9520123456788"), S("L1"), N(f64::from(i))])?;
            ws.write_string(i, 9, "beyond the columns read")?;
        }
        put(ws, 3001, &[S("9520123456788"), S("L1"), N(1.0)])?;
        ws.write_string(9000, 0, "stray")?;
        Ok(())
    });
    for (bytes, kind) in [(messy, RecordKind::Batch), (wide, RecordKind::Item)] {
        let mut reads = Vec::new();
        for one in [true, false] {
            crate::workbook::ONE_THREAD.with(|c| c.set(one));
            let mut wb =
                Workbook::from_bytes_with(bytes.clone(), "a.xlsx", limits.clone()).expect("opens");
            let sheet = wb.sheets()[0].name.clone();
            reads.push(
                wb.read(&sheet, kind, &ReadOptions::new(TODAY))
                    .expect("reads"),
            );
        }
        assert_eq!(reads[0], reads[1]);
        assert!(reads[0].rows_total > 0);
    }
    // A limit passed on the way is the same error.
    let many = xlsx(|ws| {
        put(ws, 0, &[S("商品条码"), S("批号"), S("序列号")])?;
        for i in 1..=50u32 {
            put(ws, i, &[S("9520123456788"), S("L1"), N(f64::from(i))])?;
        }
        Ok(())
    });
    let limits = Limits {
        max_rows: 20,
        ..Limits::default()
    };
    for one in [true, false] {
        crate::workbook::ONE_THREAD.with(|c| c.set(one));
        let mut wb =
            Workbook::from_bytes_with(many.clone(), "a.xlsx", limits.clone()).expect("opens");
        let err = wb
            .read("Sheet1", RecordKind::Item, &ReadOptions::new(TODAY))
            .expect_err("too many rows");
        assert_eq!(err.code(), "sheet.too-many-rows");
    }
}
