//! A 100,000-row × 10-column 一物一码 item sheet imported end to end through the app: open (read and
//! hash the file), read the sheet (header, mapping, coercion), check every row against the
//! database, and commit in one transaction (1,010 batches created on the way, 100,000 items,
//! bulk-audited). Compared with calamine alone streaming every cell of the same file.
//!
//! Peak memory is measured in a child process per case (this binary run again with
//! `TRACEDESK_IMPORT_BENCH_CHILD`), so the figure is the import's own, not criterion's or the
//! generator's. A 1,000,000-row sheet is generated too and must be refused (above
//! `app::import::MAX_ROWS`) with bounded memory; `TRACEDESK_BENCH_SKIP_1M=1` skips it.
//! `make bench` runs this with the other benches; `cargo bench -p app --bench import` alone.

use std::hint::black_box;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

const ROWS: u32 = 100_000;
const SHEET: &str = "一物一码";
const CHILD: &str = "TRACEDESK_IMPORT_BENCH_CHILD";

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// GS1 check digit for a body of digits.
fn with_check_digit(body: &str) -> String {
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

fn gtins() -> Vec<String> {
    (0..10)
        .map(|i| with_check_digit(&format!("95201234567{i}")))
        .collect()
}

/// The item sheet: GTIN, lot, serial, date and six columns the import does not need.
fn generate_items(path: &Path, rows: u32) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory().expect("sheet");
    ws.set_name(SHEET).expect("name");
    let headers = [
        "商品条码",
        "生产批号",
        "序列号",
        "生产日期",
        "产品名称",
        "规格型号",
        "颜色",
        "操作员",
        "工位",
        "备注",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let gtins = gtins();
    for r in 1..=rows {
        let i = r as usize;
        ws.write_string(r, 0, &gtins[i % 10]).expect("gtin");
        ws.write_string(r, 1, format!("2025{:04}", i / 1000))
            .expect("lot");
        ws.write_string(r, 2, format!("{i:08}")).expect("serial");
        let day = ExcelDateTime::from_ymd(2025, 3, (i % 28 + 1) as u8).expect("date");
        ws.write_datetime_with_format(r, 3, &day, &date)
            .expect("date");
        ws.write_string(r, 4, "电热水壶").expect("name");
        ws.write_string(r, 5, "SWF-17E").expect("model");
        ws.write_string(
            r,
            6,
            if i.is_multiple_of(2) {
                "白色"
            } else {
                "黑色"
            },
        )
        .expect("colour");
        ws.write_string(r, 7, format!("操作员{}", i % 7))
            .expect("operator");
        ws.write_number(r, 8, (i % 12) as f64).expect("station");
        ws.write_string(r, 9, "").expect("note");
    }
    wb.save(path).expect("save");
}

/// The ten products the items belong to, as a product sheet.
fn generate_products(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["产品名称", "规格型号", "商品条码"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    for (i, g) in gtins().iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, "电热水壶").expect("name");
        ws.write_string(r, 1, format!("SWF-17E-{i}"))
            .expect("model");
        ws.write_string(r, 2, g).expect("gtin");
    }
    wb.save(path).expect("save");
}

fn options(kind: app::ImportKind) -> app::ImportFileOptions {
    app::ImportFileOptions {
        kind,
        sheet: None,
        header_row: None,
        dry_run: false,
        mode: app::ImportMode::All,
        create_missing: true,
    }
}

/// A fresh data folder with the products registered.
fn prepared(products: &Path) -> (tempfile::TempDir, app::App) {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app::App::open(app::Config::in_dir(dir.path())).expect("app opens");
    let done = app
        .import_file(products, &options(app::ImportKind::Product), &|_| {})
        .expect("products import");
    assert_eq!(done.rows_imported, 10);
    (dir, app)
}

/// One timed import in this process, phase by phase: what the child prints.
fn child(items: &Path, products: &Path) {
    let (_dir, app) = prepared(products);
    let start = Instant::now();
    let file = match app.import_open(items) {
        Ok(f) => f,
        Err(e) => {
            println!(
                "refused {} after {:.0} ms: {}  VmHWM {} KiB",
                e.field.unwrap_or_default(),
                start.elapsed().as_secs_f64() * 1000.0,
                e.message_zh,
                peak_rss_kib()
            );
            return;
        }
    };
    let opened = start.elapsed();
    let read = app.import_read(
        &app::ImportReadInput {
            session_id: file.session_id,
            sheet: SHEET.into(),
            kind: app::ImportKind::Item,
            header_row: None,
            mapping: Vec::new(),
            create_missing: true,
        },
        &|_| {},
    );
    let report = match read {
        Ok(r) => r,
        Err(e) => {
            println!(
                "refused {} after {:.0} ms: {}  VmHWM {} KiB",
                e.field.unwrap_or_default(),
                start.elapsed().as_secs_f64() * 1000.0,
                e.message_zh,
                peak_rss_kib()
            );
            return;
        }
    };
    let checked = start.elapsed();
    let result = app
        .import_commit(
            &app::ImportCommitInput {
                session_id: file.session_id,
                mode: app::ImportMode::All,
                create_missing: true,
            },
            &|_| {},
        )
        .expect("commit");
    let committed = start.elapsed();
    assert_eq!(report.rows_new, ROWS);
    assert_eq!(result.rows_imported, ROWS);
    println!(
        "imported {} rows: open {:.0} ms, read+check {:.0} ms, commit {:.0} ms, total {:.0} ms  VmHWM {} KiB",
        result.rows_imported,
        opened.as_secs_f64() * 1000.0,
        (checked - opened).as_secs_f64() * 1000.0,
        (committed - checked).as_secs_f64() * 1000.0,
        committed.as_secs_f64() * 1000.0,
        peak_rss_kib()
    );
}

/// Runs `child` in a fresh process and returns what it printed.
fn in_child(items: &Path, products: &Path) -> String {
    let out = std::process::Command::new(std::env::current_exe().expect("own path"))
        .env(
            CHILD,
            format!("{}\n{}", items.display(), products.display()),
        )
        .output()
        .expect("child runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find(|l| l.starts_with("imported") || l.starts_with("refused"))
        .map(str::to_string)
        .unwrap_or_else(|| format!("child failed: {}", String::from_utf8_lossy(&out.stderr)))
}

fn bench(c: &mut Criterion) {
    if let Ok(paths) = std::env::var(CHILD) {
        let mut parts = paths.lines();
        let items = PathBuf::from(parts.next().unwrap_or_default());
        let products = PathBuf::from(parts.next().unwrap_or_default());
        child(&items, &products);
        std::process::exit(0);
    }

    let dir = tempfile::tempdir().expect("tempdir");
    let items = dir.path().join("items.xlsx");
    let products = dir.path().join("products.xlsx");
    generate_items(&items, ROWS);
    generate_products(&products);
    let bytes = std::fs::read(&items).expect("read back");
    eprintln!("generated {ROWS} rows × 10 columns, {} bytes", bytes.len());

    let mut group = c.benchmark_group("import_100k_items");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .warm_up_time(Duration::from_secs(1));
    group.bench_function("calamine_cells", |b| {
        b.iter(|| {
            let mut xlsx: calamine::Xlsx<_> =
                calamine::open_workbook_from_rs(Cursor::new(bytes.clone())).expect("opens");
            let mut reader = xlsx.worksheet_cells_reader(SHEET).expect("sheet");
            let mut n = 0usize;
            while let Some(cell) = reader.next_cell().expect("cell") {
                black_box(cell.get_value());
                n += 1;
            }
            black_box(n)
        })
    });
    group.bench_function("app_import_end_to_end", |b| {
        b.iter_batched(
            || prepared(&products),
            |(dir, app)| {
                let done = app
                    .import_file(&items, &options(app::ImportKind::Item), &|_| {})
                    .expect("imports");
                assert_eq!(done.rows_imported, ROWS);
                (dir, app)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();

    eprintln!(
        "one import in a fresh process: {}",
        in_child(&items, &products)
    );

    if std::env::var_os("TRACEDESK_BENCH_SKIP_1M").is_none() {
        let million = dir.path().join("items-1m.xlsx");
        let start = Instant::now();
        generate_items(&million, 1_000_000);
        eprintln!(
            "generated 1,000,000 rows in {:.1} s, {} bytes",
            start.elapsed().as_secs_f64(),
            std::fs::metadata(&million).map(|m| m.len()).unwrap_or(0)
        );
        eprintln!(
            "1,000,000 rows in a fresh process: {}",
            in_child(&million, &products)
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
