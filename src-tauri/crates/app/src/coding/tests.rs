//! Coding end to end through `App`: generation in every form, the ledger across restarts and
//! crashes, cancel, void and reprint, imported codes, labels.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use super::serials::{SeqSeries, may_overlap, random_shapes};
use super::*;
use crate::ErrorCode;
use crate::{
    CodeEventInput, CodeEventKind, CodingBatch, Config, ImportCodesInput, LabelPreviewInput,
    LabelSheetInput, LabelSymbology, ProductCoding, ProductCodingInput, ProductInput,
};

const GTIN: &str = "06901234567892";
const LOT: &str = "B20250715-1";

fn ymd(y: i32, m: u8, d: u8) -> YearMonthDay {
    YearMonthDay::new(y, m, d).unwrap()
}

fn open(dir: &Path) -> App {
    App::open(Config {
        actor: "wang.li".into(),
        ..Config::in_dir(dir)
    })
    .expect("open app")
}

fn product(app: &App, name: &str, gtin: &str, scheme: CodeScheme, granularity: Granularity) -> i64 {
    app.add_product(&ProductInput {
        name: name.into(),
        model: "JZT-2Q1".into(),
        category: String::new(),
        brand: String::new(),
        standard: String::new(),
        gtin: gtin.into(),
        scheme: Some(scheme),
        granularity: Some(granularity),
        ccc_cert_no: String::new(),
        ccc_valid_from: String::new(),
        ccc_valid_to: String::new(),
        ccc_mark_no: String::new(),
        ccc_models: Vec::new(),
    })
    .expect("add product")
    .id
}

/// A batch produced on 2025-07-15, as the production form would record it.
fn batch(app: &App, product_id: i64, lot: &str) -> CodingBatch {
    let fields = store::batches::BatchFields {
        product_id,
        lot_no: lot.into(),
        produced_on: "2025-07-15".into(),
        quantity: 100.0,
        unit: "台".into(),
        inspection_result: "pass".into(),
        inspector: "陈质检".into(),
        report_no: None,
    };
    app.db()
        .write(|tx| store::batches::insert(tx, &fields, &[]))
        .expect("batch");
    app.coding_batch_by_lot(product_id, lot, None)
        .expect("batch")
        .0
}

/// A data directory with a GS1 一物一码 product and one batch.
fn item_app() -> (tempfile::TempDir, App, i64, i64) {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    let p = product(&app, "家用燃气灶", GTIN, CodeScheme::Gs1, Granularity::Item);
    let b = batch(&app, p, LOT).id;
    (dir, app, p, b)
}

fn input(product_id: i64, batch_id: Option<i64>, count: u64, path: &Path) -> CodeGenerateInput {
    CodeGenerateInput {
        product_id,
        batch_id,
        count,
        path: path.display().to_string(),
        format: None,
        job_id: None,
    }
}

fn generate(app: &App, input: &CodeGenerateInput) -> CodeGenerateSummary {
    app.generate_codes(input, &mut |_| {}).expect("generate")
}

/// The codes of a CSV list, header checked and dropped.
fn read_list(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("code"),
        "the list starts with its header"
    );
    lines.map(str::to_owned).collect()
}

fn serial_of(code: &str) -> String {
    codes::check(code, ymd(2026, 1, 1)).fields["21"].clone()
}

fn set_coding(
    app: &App,
    product_id: i64,
    change: impl FnOnce(&mut ProductCodingInput),
) -> Result<ProductCoding> {
    let c = app.product_coding(product_id).unwrap();
    let mut input = ProductCodingInput {
        granularity: None,
        code_form: c.code_form,
        dl_stem: c.dl_stem,
        serial_mode: c.serial_mode,
        serial_pattern: c.serial_pattern,
        random_length: c.random_length,
        item_with_lot: c.item_with_lot,
        with_production_date: c.with_production_date,
        shelf_life_days: c.shelf_life_days,
    };
    change(&mut input);
    app.save_product_coding(product_id, &input)
}

// ---------------------------------------------------------------------------------------------
// Serial series (pure)

#[test]
fn sequential_series_render_and_read_back_their_serials() {
    let date = Some(ymd(2025, 7, 15));
    for (pattern, seq, serial) in [
        ("{seq:08}", 1, "00000001"),
        ("{seq:08}", 99_999_999, "99999999"),
        ("SN{seq:06}", 42, "SN000042"),
        ("A{yyMMdd}-{seq}", 7, "A250715-7"),
        ("A{yyMMdd}-{seq}", 1234, "A250715-1234"),
        ("{seq}{dd}", 31, "3115"),
        ("{seq:20}", u64::MAX, "18446744073709551615"),
        ("B{yyyyMMdd}", 0, "B20250715"),
    ] {
        let series = SeqSeries::new(pattern, date).unwrap();
        assert_eq!(series.render(seq), serial, "{pattern} #{seq}");
        assert_eq!(
            series.render(seq),
            series.pattern().render(date, seq).unwrap(),
            "the fast path renders what codes::serial renders: {pattern} #{seq}"
        );
        assert_eq!(
            series.seq_of(serial),
            Some(seq),
            "{pattern} reads {serial} back"
        );
        let stored = SeqSeries::from_stored(pattern, &series.fixed()).unwrap();
        assert_eq!(stored, series, "a stored series is the same series");
    }
    let series = SeqSeries::new("A{yyMMdd}-{seq}", date).unwrap();
    for not_ours in [
        "A250716-7",
        "A250715-07",
        "A250715-",
        "B250715-7",
        "A250715-x",
    ] {
        assert_eq!(series.seq_of(not_ours), None, "{not_ours}");
    }
    let padded = SeqSeries::new("{seq:04}", None).unwrap();
    assert!(padded.check_range(1, 9_999).is_ok());
    let err = padded.check_range(1, 10_000).unwrap_err();
    assert_eq!(err.codes(), ["serial.exhausted"]);
    assert!(
        SeqSeries::new("B{yyyyMMdd}", date)
            .unwrap()
            .check_range(0, 2)
            .is_err()
    );
}

#[test]
fn series_that_could_share_a_serial_are_detected() {
    let d1 = Some(ymd(2025, 7, 15));
    let d2 = Some(ymd(2025, 7, 16));
    let shapes = |p: &str, d| SeqSeries::new(p, d).unwrap().shapes();
    let cases = [
        (shapes("{seq:08}", d1), shapes("A{seq:07}", d1), false),
        (shapes("{seq:08}", d1), shapes("1{seq:07}", d1), true),
        (shapes("{seq:08}", d1), shapes("{seq:09}", d1), false),
        (shapes("{seq}", d1), shapes("{seq:05}", d1), true),
        (
            shapes("{yyMMdd}{seq:04}", d1),
            shapes("{yyMMdd}{seq:04}", d2),
            false,
        ),
        (shapes("{yyMMdd}{seq:04}", d1), shapes("{seq:10}", d1), true),
        (shapes("{seq:08}", d1), random_shapes(12), false),
        (shapes("{seq:08}", d1), random_shapes(8), true),
        (shapes("A-{seq:06}", d1), random_shapes(8), false),
        (random_shapes(12), random_shapes(16), false),
    ];
    for (n, (a, b, expected)) in cases.iter().enumerate() {
        assert_eq!(may_overlap(a, b), *expected, "case {n}");
        assert_eq!(may_overlap(b, a), *expected, "case {n}, swapped");
    }
}

// ---------------------------------------------------------------------------------------------
// Generation

#[test]
fn item_codes_are_element_strings_with_consecutive_serials_that_never_repeat() {
    let (dir, app, p, b) = item_app();
    let first = dir.path().join("first.csv");
    let summary = generate(&app, &input(p, Some(b), 1000, &first));
    assert_eq!(summary.count, 1000);
    assert!(!summary.cancelled);
    let codes = read_list(&first);
    assert_eq!(codes.len(), 1000);
    assert_eq!(codes[0], format!("(01){GTIN}(10){LOT}(21)00000001"));
    assert_eq!(codes[999], format!("(01){GTIN}(10){LOT}(21)00001000"));
    assert_eq!(summary.first_code.as_deref(), Some(codes[0].as_str()));
    assert_eq!(summary.last_code.as_deref(), Some(codes[999].as_str()));
    assert_eq!(summary.first_serial.as_deref(), Some("00000001"));
    for code in &codes {
        let report = codes::check(code, ymd(2026, 1, 1));
        assert!(report.valid, "{code}: {:?}", report.problems);
    }

    let second = dir.path().join("second.csv");
    let summary = generate(&app, &input(p, Some(b), 5, &second));
    assert_eq!(summary.first_serial.as_deref(), Some("00001001"));
    assert_eq!(read_list(&second).len(), 5);

    let ranges = app.allocations(Some(p), None).unwrap();
    assert_eq!(ranges.len(), 2);
    assert_eq!(ranges[0].state, AllocationState::Exported);
    assert_eq!(ranges[0].first_serial.as_deref(), Some("00001001"));
    assert_eq!(ranges[1].last_serial.as_deref(), Some("00001000"));
    // Generated serials are not item rows: one allocation row per run is all that was written.
    let conn_items: i64 = app
        .db()
        .conn()
        .query_row("SELECT count(*) FROM item", [], |r| r.get(0))
        .unwrap();
    assert_eq!(conn_items, 0);
}

#[test]
fn digital_link_form_uses_the_products_stem_and_dates() {
    let (dir, app, p, b) = item_app();
    set_coding(&app, p, |c| {
        c.code_form = CodeForm::DigitalLink;
        c.dl_stem = "https://trace.example.cn/gs1/".into();
        c.with_production_date = true;
        c.shelf_life_days = Some(365);
    })
    .unwrap();
    let path = dir.path().join("dl.csv");
    generate(&app, &input(p, Some(b), 3, &path));
    let codes = read_list(&path);
    assert_eq!(
        codes[0],
        format!("https://trace.example.cn/gs1/01/{GTIN}/10/{LOT}/21/00000001?11=250715&17=260715")
    );
    let report = codes::check(&codes[2], ymd(2026, 1, 1));
    assert!(report.valid, "{:?}", report.problems);
    assert_eq!(report.fields["21"], "00000003");
}

#[test]
fn batch_and_product_codes_are_one_code_printed_on_every_label() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    let p = product(
        &app,
        "电线",
        "6901234567892",
        CodeScheme::Gs1,
        Granularity::Batch,
    );
    let b = batch(&app, p, "L2025-07").id;
    let path = dir.path().join("batch.csv");
    let summary = generate(&app, &input(p, Some(b), 3, &path));
    assert_eq!(summary.allocation_id, None);
    assert_eq!(read_list(&path), vec![format!("(01){GTIN}(10)L2025-07"); 3]);
    generate(&app, &input(p, Some(b), 2, &path));
    let trace_codes: i64 = app
        .db()
        .conn()
        .query_row("SELECT count(*) FROM trace_code", [], |r| r.get(0))
        .unwrap();
    assert_eq!(trace_codes, 1, "the batch's code is recorded once");

    let q = product(
        &app,
        "插头",
        "95012345678903",
        CodeScheme::Gs1,
        Granularity::Product,
    );
    generate(&app, &input(q, None, 1, &path));
    assert_eq!(read_list(&path), ["(01)95012345678903"]);
    let err = app
        .generate_codes(&input(p, None, 1, &path), &mut |_| {})
        .unwrap_err();
    assert_eq!(
        err.field.as_deref(),
        Some("batchId"),
        "a batch code needs a batch"
    );
}

#[test]
fn random_serials_are_unique_non_guessable_and_never_reissued() {
    let (dir, app, p, b) = item_app();
    set_coding(&app, p, |c| c.serial_mode = SerialMode::Random).unwrap();
    let mut seen = std::collections::HashSet::new();
    for run in 0..3 {
        let path = dir.path().join(format!("random{run}.csv"));
        let summary = generate(&app, &input(p, Some(b), 2000, &path));
        assert_eq!(summary.count, 2000);
        for code in read_list(&path) {
            let serial = serial_of(&code);
            assert_eq!(serial.len(), 12);
            assert!(
                serial.bytes().all(|c| c.is_ascii_alphanumeric()),
                "{serial}"
            );
            assert!(seen.insert(serial.clone()), "serial {serial} issued twice");
        }
    }
    // A sequential pattern that could produce 12-character alphanumerics is refused next to them.
    let err = set_coding(&app, p, |c| {
        c.serial_mode = SerialMode::Sequential;
        c.serial_pattern = "{seq:12}".into();
    })
    .and_then(|_| {
        app.generate_codes(
            &input(p, Some(b), 1, &dir.path().join("x.csv")),
            &mut |_| {},
        )
        .map(|_| app.product_coding(p).unwrap())
    })
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState);
    assert!(
        err.message_zh.contains("可能与此 GTIN 已发出的序列号"),
        "{}",
        err.message_zh
    );
    // One with a different length is fine.
    set_coding(&app, p, |c| {
        c.serial_mode = SerialMode::Sequential;
        c.serial_pattern = "{seq:08}".into();
    })
    .unwrap();
    generate(&app, &input(p, Some(b), 1, &dir.path().join("y.csv")));
}

#[test]
fn random_serials_are_a_keyed_range_found_again_listed_and_exported_alike() {
    let (dir, app, p, b) = item_app();
    set_coding(&app, p, |c| {
        c.serial_mode = SerialMode::Random;
        c.random_length = 10;
    })
    .unwrap();
    let first = dir.path().join("a.csv");
    let second = dir.path().join("b.csv");
    let s1 = generate(&app, &input(p, Some(b), 3000, &first));
    let s2 = generate(&app, &input(p, Some(b), 500, &second));
    let conn_rows =
        |sql: &str| -> i64 { app.db().conn().query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        conn_rows("SELECT count(*) FROM random_serial"),
        0,
        "nothing stored per serial"
    );
    assert_eq!(
        conn_rows("SELECT count(*) FROM serial_series_key"),
        1,
        "one key for the series"
    );
    let (a1, a2) = {
        let db = app.db();
        (
            ledger::allocation(db.conn(), s1.allocation_id.unwrap())
                .unwrap()
                .unwrap(),
            ledger::allocation(db.conn(), s2.allocation_id.unwrap())
                .unwrap()
                .unwrap(),
        )
    };
    assert_eq!(
        (a1.kind.as_str(), a1.first_seq, a1.count),
        ("keyed", 0, 3000)
    );
    assert_eq!(
        (a2.first_seq, a2.count),
        (3000, 500),
        "ranges follow each other"
    );

    // What submission reads is what the file holds, in the same order.
    let listed: Vec<String> = read_list(&first).iter().map(|c| serial_of(c)).collect();
    assert_eq!(allocation_serials(app.db().conn(), &a1).unwrap(), listed);
    assert_eq!(s1.first_serial.as_deref(), Some(listed[0].as_str()));
    assert_eq!(s1.last_serial.as_deref(), listed.last().map(String::as_str));
    let all: std::collections::HashSet<String> = listed
        .iter()
        .cloned()
        .chain(read_list(&second).iter().map(|c| serial_of(c)))
        .collect();
    assert_eq!(all.len(), 3500, "no serial twice");
    assert!(
        listed
            .iter()
            .all(|s| s.len() == 10 && s.bytes().all(|c| c.is_ascii_alphanumeric()))
    );
    // Not in order: consecutive sequence numbers give unrelated serials.
    let mut sorted = listed.clone();
    sorted.sort();
    assert_ne!(sorted, listed);

    // The range list shows its first and last serial, as for sequential ranges.
    let ranges = app.allocations(Some(p), None).unwrap();
    assert_eq!(ranges[1].serial_mode, SerialMode::Random);
    assert_eq!(ranges[1].first_serial.as_deref(), Some(listed[0].as_str()));

    // A scanned serial leads back to its batch; one never issued does not.
    assert_eq!(
        batch_of_issued_serial(app.db().conn(), GTIN, &listed[1234]).unwrap(),
        Some(b)
    );
    let never = (0..)
        .map(|i| format!("{i:010}"))
        .find(|s| !all.contains(s))
        .unwrap();
    let unissued_seq_is_beyond = {
        let db = app.db();
        let series = ledger::series_in_scope(db.conn(), &format!("gtin:{GTIN}")).unwrap();
        let key = ledger::series_key(db.conn(), series[0].id)
            .unwrap()
            .unwrap();
        KeyedSerials::new(&key, 10).unwrap().seq_of(&never).unwrap() >= 3500
    };
    assert!(unissued_seq_is_beyond);
    assert_eq!(
        batch_of_issued_serial(app.db().conn(), GTIN, &never).unwrap(),
        None
    );
    let void = app
        .void_code(&CodeEventInput {
            code: read_list(&first)[7].clone(),
            reason: "标签印坏".into(),
        })
        .unwrap();
    assert_eq!(void.kind, CodeEventKind::Void);
    let err = app
        .void_code(&CodeEventInput {
            code: format!("(01){GTIN}(10){LOT}(21){never}"),
            reason: "x".into(),
        })
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound, "{err}");

    // Exporting the range again writes the same codes.
    let again = dir.path().join("again.csv");
    app.export_allocation(a1.id, &again.display().to_string(), None)
        .unwrap();
    assert_eq!(read_list(&again), read_list(&first));
    let (_, labels) = app.allocation_codes(a1.id, 5).unwrap();
    assert_eq!(labels, read_list(&first)[..5]);

    // The preview shows the serials the next run will issue, without reserving them.
    let preview = app.preview_codes(p, Some(b), 3).unwrap();
    let third = dir.path().join("c.csv");
    generate(&app, &input(p, Some(b), 3, &third));
    let next: Vec<Option<String>> = read_list(&third)
        .iter()
        .map(|c| Some(serial_of(c)))
        .collect();
    assert_eq!(
        preview
            .codes
            .iter()
            .map(|c| c.serial.clone())
            .collect::<Vec<_>>(),
        next
    );
    assert!(
        preview.note_zh.contains("接下来的号码"),
        "{}",
        preview.note_zh
    );
}

#[test]
fn a_random_series_that_drew_its_serials_before_keys_goes_on_drawing_and_stays_readable() {
    let (dir, app, p, b) = item_app();
    set_coding(&app, p, |c| c.serial_mode = SerialMode::Random).unwrap();
    // As a version-8 database left it: a random series with drawn serials and no key.
    let old = {
        let mut db = app.db();
        db.write_durable(|tx| {
            let series =
                ledger::series_for(tx, &format!("gtin:{GTIN}"), "random", "random:12", "", 0)?;
            let a = ledger::allocate(
                tx,
                &ledger::NewAllocation {
                    series_id: series.id,
                    product_id: p,
                    batch_id: Some(b),
                    pattern_date: Some("2025-07-15"),
                    count: 3,
                    code_form: "element-string",
                    actor: "wang.li",
                },
            )?;
            let mut drawn = ["aZ3kQ9xB2mP7", "Q0w8Ee7Rt6Yu", "000000000007"].into_iter();
            ledger::insert_random_serials(tx, series.id, a.id, 3, || {
                drawn.next().map(str::to_owned)
            })?;
            ledger::set_allocation_state(tx, a.id, "exported", None)?;
            Ok::<_, store::Error>(a)
        })
        .unwrap()
    };
    assert_eq!(old.kind, "random");
    assert_eq!(
        allocation_serials(app.db().conn(), &old).unwrap(),
        ["000000000007", "Q0w8Ee7Rt6Yu", "aZ3kQ9xB2mP7"]
    );
    assert_eq!(
        batch_of_issued_serial(app.db().conn(), GTIN, "Q0w8Ee7Rt6Yu").unwrap(),
        Some(b)
    );
    // The next run on that series draws again: its serials and computed ones never mix.
    let path = dir.path().join("more.csv");
    let more = generate(&app, &input(p, Some(b), 100, &path));
    let a = ledger::allocation(app.db().conn(), more.allocation_id.unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(a.kind, "random");
    let drawn: i64 = app
        .db()
        .conn()
        .query_row("SELECT count(*) FROM random_serial", [], |r| r.get(0))
        .unwrap();
    assert_eq!(drawn, 103);
    let mut listed: Vec<String> = read_list(&path).iter().map(|c| serial_of(c)).collect();
    listed.sort();
    assert_eq!(allocation_serials(app.db().conn(), &a).unwrap(), listed);
    // Another length is a new series, and it is keyed.
    set_coding(&app, p, |c| c.random_length = 14).unwrap();
    let keyed = generate(&app, &input(p, Some(b), 10, &dir.path().join("k.csv")));
    let k = ledger::allocation(app.db().conn(), keyed.allocation_id.unwrap())
        .unwrap()
        .unwrap();
    assert_eq!((k.kind.as_str(), k.first_seq), ("keyed", 0));
}

#[test]
fn sequential_ranges_list_their_serials_for_submission() {
    let (dir, app, p, b) = item_app();
    let path = dir.path().join("seq.csv");
    let s = generate(&app, &input(p, Some(b), 5, &path));
    let a = ledger::allocation(app.db().conn(), s.allocation_id.unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(
        allocation_serials(app.db().conn(), &a).unwrap(),
        ["00000001", "00000002", "00000003", "00000004", "00000005"]
    );
}

#[test]
fn a_reservation_that_never_reached_the_file_is_never_handed_out_again() {
    let dir = tempfile::tempdir().unwrap();
    let (p, b, reserved) = {
        let app = open(dir.path());
        let p = product(&app, "家用燃气灶", GTIN, CodeScheme::Gs1, Granularity::Item);
        let b = batch(&app, p, LOT).id;
        // Reserve as generation does, then "crash": the app goes away before anything is written.
        let coder = Coder::load(app.db().conn(), p, Some(b)).unwrap();
        let never = AtomicBool::new(false);
        let mut ignore = |_: CodeGenerateProgress| {};
        let mut writer = Writer {
            sink: None,
            total: 500,
            done: 0,
            first: None,
            last: String::new(),
            progress: &mut ignore,
            cancel: &never,
        };
        let reserved = app
            .reserve(&coder, 500, ymd(2025, 7, 15), &mut writer)
            .map_err(|_| ())
            .expect("reserve");
        (p, b, reserved)
    };
    let app = open(dir.path());
    let path = dir.path().join("after.csv");
    let summary = generate(&app, &input(p, Some(b), 10, &path));
    assert_eq!(reserved.first_seq, 1);
    assert_eq!(
        summary.first_serial.as_deref(),
        Some("00000501"),
        "the next run starts after the lost reservation"
    );
    let ranges = app.allocations(Some(p), None).unwrap();
    assert_eq!(
        ranges[1].state,
        AllocationState::Allocated,
        "the lost run stays visible"
    );
}

#[test]
fn cancelling_removes_the_file_and_keeps_the_range_used() {
    let (dir, app, p, b) = item_app();
    let path = dir.path().join("cancel.csv");
    let cancel = AtomicBool::new(false);
    let mut calls = 0;
    let summary = app
        .generate_codes_with(
            &input(p, Some(b), 100_000, &path),
            &mut |progress| {
                calls += 1;
                if progress.done >= 16_384 {
                    cancel.store(true, std::sync::atomic::Ordering::SeqCst);
                }
            },
            &cancel,
        )
        .unwrap();
    assert!(summary.cancelled);
    assert!(calls >= 2);
    assert!(!path.exists(), "a cancelled list is removed");
    let ranges = app.allocations(Some(p), None).unwrap();
    assert_eq!(ranges[0].state, AllocationState::Cancelled);
    let next = generate(&app, &input(p, Some(b), 1, &dir.path().join("next.csv")));
    assert_eq!(next.first_serial.as_deref(), Some("00100001"));
}

#[test]
fn cancel_by_job_id_reaches_a_running_generation() {
    let (_dir, app, _, _) = item_app();
    assert!(!app.cancel_generation("nobody"));
    let (_job, flag) = Job::register(&app, Some("job-1"));
    assert!(app.cancel_generation("job-1"));
    assert!(flag.load(std::sync::atomic::Ordering::SeqCst));
    drop(_job);
    assert!(
        !app.cancel_generation("job-1"),
        "a finished job is forgotten"
    );
}

#[test]
fn xlsx_lists_are_written_in_constant_memory() {
    let (dir, app, p, b) = item_app();
    let path = dir.path().join("codes.xlsx");
    let summary = generate(&app, &input(p, Some(b), 20_000, &path));
    assert_eq!(summary.format, ExportFormat::Xlsx);
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"), "an xlsx is a zip");
    assert!(bytes.len() > 50_000);
}

#[test]
fn a_bad_output_path_reserves_nothing() {
    let (dir, app, p, b) = item_app();
    let err = app
        .generate_codes(
            &input(p, Some(b), 10, &dir.path().join("no/such/dir/x.csv")),
            &mut |_| {},
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::UnreadableFile);
    assert!(app.allocations(Some(p), None).unwrap().is_empty());
}

#[test]
fn granularity_is_fixed_once_a_product_has_codes() {
    let (dir, app, p, b) = item_app();
    set_coding(&app, p, |c| c.granularity = Some(Granularity::Batch)).unwrap();
    set_coding(&app, p, |c| c.granularity = Some(Granularity::Item)).unwrap();
    generate(&app, &input(p, Some(b), 1, &dir.path().join("one.csv")));
    let err = set_coding(&app, p, |c| c.granularity = Some(Granularity::Batch)).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState);
    assert!(err.message_zh.contains("不能再改"), "{}", err.message_zh);
    assert!(
        err.message_en.contains("can no longer change"),
        "{}",
        err.message_en
    );
    assert!(app.product_coding(p).unwrap().granularity_locked);
    // The product form's own save path is refused the same way (the migration's trigger).
    let mut product = app.product(p).unwrap();
    product.granularity = Granularity::Batch;
    let err = app
        .update_product(
            p,
            &ProductInput {
                name: product.name,
                model: product.model,
                category: product.category,
                brand: product.brand,
                standard: product.standard,
                gtin: product.gtin.unwrap_or_default(),
                scheme: Some(product.scheme),
                granularity: Some(Granularity::Batch),
                ccc_cert_no: String::new(),
                ccc_valid_from: String::new(),
                ccc_valid_to: String::new(),
                ccc_mark_no: String::new(),
                ccc_models: Vec::new(),
            },
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState, "{err}");
    assert!(check_scheme_change(app.db().conn(), p, CodeScheme::Gs1, Granularity::Item).is_ok());
    assert!(check_scheme_change(app.db().conn(), p, CodeScheme::Ecode, Granularity::Item).is_err());
}

// ---------------------------------------------------------------------------------------------
// Void and reprint

#[test]
fn void_and_reprint_are_logged_with_reason_and_user() {
    let (dir, app, p, b) = item_app();
    let path = dir.path().join("codes.csv");
    set_coding(&app, p, |c| c.code_form = CodeForm::DigitalLink).unwrap();
    generate(&app, &input(p, Some(b), 10, &path));
    let codes = read_list(&path);

    // Scanned from the label: ]Q1 + the Digital Link URI.
    let reprint = app
        .reprint_code(&CodeEventInput {
            code: codes[2].clone(),
            reason: "标签破损".into(),
        })
        .unwrap();
    assert_eq!(reprint.kind, CodeEventKind::Reprint);
    assert_eq!(reprint.actor, "wang.li");
    assert_eq!(reprint.lot_no.as_deref(), Some(LOT));

    let scanned = format!("]d2010690123456789210{LOT}\u{1d}2100000004");
    let void = app
        .void_code(&CodeEventInput {
            code: scanned.clone(),
            reason: "标签印坏".into(),
        })
        .unwrap();
    assert_eq!(void.kind, CodeEventKind::Void);
    let item = store::items::get(app.db().conn(), void.item_id.unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(
        (item.serial.as_str(), item.status.as_str()),
        ("00000004", "void")
    );

    for (code, kind) in [(codes[3].clone(), "void"), (scanned, "reprint")] {
        let input = CodeEventInput {
            code,
            reason: "再试".into(),
        };
        let err = if kind == "void" {
            app.void_code(&input)
        } else {
            app.reprint_code(&input)
        }
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidState, "{kind}: {err}");
        assert!(
            err.message_zh.contains("标签印坏"),
            "names the first reason: {}",
            err.message_zh
        );
    }
    let err = app
        .void_code(&CodeEventInput {
            code: codes[5].clone(),
            reason: "  ".into(),
        })
        .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("reason"));
    let err = app
        .void_code(&CodeEventInput {
            code: format!("(01){GTIN}(21)00000011"),
            reason: "x".into(),
        })
        .unwrap_err();
    assert_eq!(
        err.code,
        ErrorCode::NotFound,
        "serial 11 was never issued: {err}"
    );
    let err = app
        .void_code(&CodeEventInput {
            code: format!("(01){GTIN}(10)OTHER(21)00000001"),
            reason: "x".into(),
        })
        .unwrap_err();
    assert!(err.message_zh.contains("不符"), "{}", err.message_zh);

    let events = app.code_events(Some(p), 10).unwrap();
    assert_eq!(events.len(), 2);
    let audited: i64 = app
        .db()
        .conn()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE table_name = 'code_event' AND actor = 'wang.li'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 2);
}

// ---------------------------------------------------------------------------------------------
// Imported codes (Ecode, 数字身份码)

#[test]
fn ecode_lists_are_imported_all_or_nothing_and_exported_as_issued() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    let p = product(&app, "电动自行车", "", CodeScheme::Ecode, Granularity::Item);
    let b = batch(&app, p, "EB-0715").id;
    let list = dir.path().join("ecodes.csv");
    let good: Vec<String> = (1..=5).map(|n| format!("10064{:020}", 5_000 + n)).collect();
    let mut text = String::from("Ecode\n");
    for code in &good {
        text.push_str(code);
        text.push('\n');
    }
    std::fs::write(&list, format!("{text}{}\nbad!code\n", good[0])).unwrap();
    let import = ImportCodesInput {
        product_id: p,
        batch_id: Some(b),
        path: list.display().to_string(),
    };
    let report = app.import_issued_codes(&import).unwrap();
    assert_eq!(
        report.imported, 0,
        "nothing is imported from a list with errors"
    );
    let lines: Vec<u32> = report.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [7, 8], "{:?}", report.problems);

    std::fs::write(&list, text).unwrap();
    let report = app.import_issued_codes(&import).unwrap();
    assert_eq!(report.imported, 5, "{:?}", report.problems);
    let again = app.import_issued_codes(&import).unwrap();
    assert_eq!(
        again.imported, 0,
        "a second import of the same codes is refused"
    );

    let out = dir.path().join("out.csv");
    generate(&app, &input(p, Some(b), 5, &out));
    assert_eq!(read_list(&out), good);
    let err = app
        .generate_codes(&input(p, Some(b), 6, &out), &mut |_| {})
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState, "only 5 were imported");

    app.void_code(&CodeEventInput {
        code: good[0].clone(),
        reason: "贴错产品".into(),
    })
    .unwrap();
    let preview = app.preview_codes(p, Some(b), 10).unwrap();
    assert_eq!(preview.available, Some(4));
}

// ---------------------------------------------------------------------------------------------
// Checks, previews and labels

#[test]
fn code_check_reports_each_problem_with_ai_and_position() {
    let check = check_code("(01)09520123456788(10)ABC123");
    assert!(check.valid);
    assert_eq!(check.scheme, "gs1-element-string");
    assert_eq!(check.fields["10"], "ABC123");
    let check = check_code("(01)09520123456789(10)ABC123");
    assert!(!check.valid);
    let problem = &check.problems[0];
    assert_eq!(problem.ai.as_deref(), Some("01"));
    assert!(problem.position.is_some());
    assert_eq!(problem.severity, ProblemSeverity::Error);
    assert!(
        problem.message_zh.contains("校验"),
        "{}",
        problem.message_zh
    );
}

#[test]
fn preview_shows_the_next_serials_without_reserving_them() {
    let (dir, app, p, b) = item_app();
    let preview = app.preview_codes(p, Some(b), 3).unwrap();
    assert_eq!(preview.codes[0].serial.as_deref(), Some("00000001"));
    assert_eq!(
        preview.codes[0].hri.lines().count(),
        3,
        "{}",
        preview.codes[0].hri
    );
    generate(&app, &input(p, Some(b), 2, &dir.path().join("a.csv")));
    let preview = app.preview_codes(p, Some(b), 1).unwrap();
    assert_eq!(preview.codes[0].serial.as_deref(), Some("00000003"));
}

#[test]
fn label_preview_and_sheet_carry_the_code_as_a_scanner_reads_it() {
    let (dir, app, p, b) = item_app();
    let list = dir.path().join("codes.csv");
    let summary = generate(&app, &input(p, Some(b), 30, &list));
    let code = summary.first_code.unwrap();
    let preview = app
        .label_preview(&LabelPreviewInput {
            code: code.clone(),
            symbology: LabelSymbology::Datamatrix,
        })
        .unwrap();
    assert!(preview.svg.starts_with("<svg") || preview.svg.starts_with("<?xml"));
    assert_eq!(
        preview.scanned_as,
        format!("]d2010690123456789210{LOT}<GS>2100000001")
    );
    assert_eq!(preview.title, "家用燃气灶");
    assert!(preview.subtitle.contains(LOT));
    let err = app
        .label_preview(&LabelPreviewInput {
            code: code.clone(),
            symbology: LabelSymbology::Ean13,
        })
        .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("symbology"));

    if find_cjk_font(None).is_err() {
        eprintln!("no CJK font on this machine: the PDF part is skipped");
        return;
    }
    for (source, name) in [
        (
            LabelSheetInput {
                allocation_id: summary.allocation_id,
                input_path: None,
                codes: Vec::new(),
                symbology: LabelSymbology::Qr,
                label_width_mm: 50.0,
                label_height_mm: 30.0,
                cols: 3,
                rows: 8,
                margin_mm: 10.0,
                path: String::new(),
                font_path: None,
            },
            "range.pdf",
        ),
        (
            LabelSheetInput {
                allocation_id: None,
                input_path: Some(list.display().to_string()),
                codes: Vec::new(),
                symbology: LabelSymbology::Gs1_128,
                label_width_mm: 90.0,
                label_height_mm: 40.0,
                cols: 2,
                rows: 6,
                margin_mm: 10.0,
                path: String::new(),
                font_path: None,
            },
            "list.pdf",
        ),
    ] {
        let path = dir.path().join(name);
        let result = app
            .label_sheet(&LabelSheetInput {
                path: path.display().to_string(),
                ..source
            })
            .unwrap();
        assert_eq!(result.labels, 30);
        assert_eq!(result.pages, if name == "range.pdf" { 2 } else { 3 });
        assert!(std::fs::read(&path).unwrap().starts_with(b"%PDF"));
    }
}

use crate::labels::find_cjk_font;

// ---------------------------------------------------------------------------------------------
// Crash: a writer killed with SIGKILL after reserving

const CRASH_ENV: &str = "TRACEDESK_CODING_CRASH_DIR";

/// Not a test on its own: the child process of the crash test runs this (it returns at once
/// otherwise). It generates a large list and stops dead half-way through writing it.
#[test]
fn crash_writer_child() {
    let Some(dir) = std::env::var_os(CRASH_ENV) else {
        return;
    };
    let dir = PathBuf::from(dir);
    let app = open(&dir);
    let p = store::products::by_gtin(app.db().conn(), &[GTIN.to_owned()])
        .unwrap()
        .unwrap()
        .id;
    let b = app.coding_batches(p).unwrap()[0].id;
    let marker = dir.join("half-way");
    let _ = app.generate_codes(
        &input(p, Some(b), 200_000, &dir.join("child.csv")),
        &mut |progress| {
            if progress.done >= 50_000 && !marker.exists() {
                std::fs::write(&marker, progress.done.to_string()).unwrap();
                // Wait here to be killed.
                std::thread::sleep(Duration::from_secs(600));
            }
        },
    );
}

#[test]
fn a_writer_killed_mid_export_never_causes_a_serial_to_be_issued_twice() {
    if std::env::var_os(CRASH_ENV).is_some() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    {
        let app = open(dir.path());
        let p = product(&app, "家用燃气灶", GTIN, CodeScheme::Gs1, Granularity::Item);
        batch(&app, p, LOT);
    }
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "coding::tests::crash_writer_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CRASH_ENV, dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let marker = dir.path().join("half-way");
    let deadline = Instant::now() + Duration::from_secs(120);
    while !marker.exists() {
        assert!(Instant::now() < deadline, "the child never got half-way");
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the child exited early: {status}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap(); // SIGKILL on Unix: no destructor, no cleanup.
    child.wait().unwrap();

    let app = open(dir.path());
    let ranges = app.allocations(None, None).unwrap();
    assert_eq!(ranges.len(), 1);
    assert_eq!(ranges[0].count, 200_000);
    assert_eq!(ranges[0].state, AllocationState::Allocated);
    let written = read_list(&dir.path().join("child.csv"));
    assert!(
        !written.is_empty(),
        "the child had written part of its list"
    );
    let p = ranges[0].product_id;
    let b = ranges[0].batch_id;
    let path = dir.path().join("after.csv");
    let summary = generate(&app, &input(p, b, 10, &path));
    assert_eq!(summary.first_serial.as_deref(), Some("00200001"));
    let before: std::collections::HashSet<String> = written.iter().map(|c| serial_of(c)).collect();
    for code in read_list(&path) {
        assert!(
            !before.contains(&serial_of(&code)),
            "{code} was issued twice"
        );
    }
    assert_eq!(app.db_check().unwrap().integrity, ["ok"]);
}

#[test]
fn code_lists_write_formula_like_codes_as_text_in_csv_and_xlsx() {
    use super::export::{Sink, format_of};
    let dir = tempfile::tempdir().unwrap();
    let hostile = [r#"=HYPERLINK("http://x","y")"#, "@SUM(1)", "＝1+1", "a,b"];
    let csv = dir.path().join("codes.csv");
    let mut sink = Sink::create(&csv, format_of(&csv, None)).unwrap();
    for code in hostile {
        sink.write(code).unwrap();
    }
    sink.finish().unwrap();
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap(),
        "code\n\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\n'@SUM(1)\n'＝1+1\n\"a,b\"\n"
    );
    // What was written reads back as the codes themselves.
    let back: Vec<String> = super::read_code_list(&csv)
        .unwrap()
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    assert_eq!(back, hostile);

    let xlsx = dir.path().join("codes.xlsx");
    let mut sink = Sink::create(&xlsx, format_of(&xlsx, None)).unwrap();
    for code in hostile {
        sink.write(code).unwrap();
    }
    sink.finish().unwrap();
    let (cells, formulas) = crate::entry_tests::xlsx_cells(&xlsx);
    assert_eq!(formulas, 0);
    let texts: Vec<&str> = cells.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(
        texts,
        [
            "code",
            r#"'=HYPERLINK("http://x","y")"#,
            "'@SUM(1)",
            "'＝1+1",
            "a,b"
        ]
    );
}
