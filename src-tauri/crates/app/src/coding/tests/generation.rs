//! Generation in every form: element strings and Digital Links, batch and product codes,
//! sequential and random serials, reservations, cancel, xlsx, bad paths, fixed granularity, and
//! lists that keep formula-like codes as text.

use super::*;

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
    assert_contains(&err.message_zh, "可能与此 GTIN 已发出的序列号");
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
    assert_contains(&preview.note_zh, "接下来的号码");
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
        let (p, b) = item_product(&app);
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
    assert_contains(&err.message_zh, "不能再改");
    assert_contains(&err.message_en, "can no longer change");
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
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState, "{err}");
    assert!(check_scheme_change(app.db().conn(), p, CodeScheme::Gs1, Granularity::Item).is_ok());
    assert!(check_scheme_change(app.db().conn(), p, CodeScheme::Ecode, Granularity::Item).is_err());
}

#[test]
fn code_lists_write_formula_like_codes_as_text_in_csv_and_xlsx() {
    use crate::coding::export::{Sink, format_of};
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
    let back: Vec<String> = crate::coding::read_code_list(&csv)
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
    let (cells, formulas) = crate::testkit::xlsx_cells(&xlsx);
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
