//! Import speed on a 100,000-row × 10-column `item` sheet, generated once into a temp dir:
//! (a) calamine alone streaming every cell, (b) the full `Workbook::read` into a `SheetRead`.
//! Run with `cargo bench -p sheets -- --quick` for a short run.

use std::hint::black_box;
use std::io::Cursor;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook as XlsxWorkbook};
use sheets::{ReadOptions, RecordKind, Workbook};

const ROWS: u32 = 100_000;

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

fn generate(path: &Path) {
    let mut wb = XlsxWorkbook::new();
    let ws = wb.add_worksheet_with_constant_memory().expect("sheet");
    ws.set_name("一物一码").expect("name");
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
    let gtins: Vec<String> = (0..10)
        .map(|i| with_check_digit(&format!("95201234567{i}")))
        .collect();
    for r in 1..=ROWS {
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

/// CPU seconds (user + system) this process has used, from /proc/self/stat: unlike wall time it
/// barely moves when other builds share the two cores.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // After the ")" the fields start at "state" (field 3), so utime (14) and stime (15) are 11, 12.
    (ticks(11) + ticks(12)) / 100.0
}

/// Peak resident memory in MiB since the last reset.
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn reset_peak_rss() {
    // Linux: writing 5 to clear_refs resets VmHWM to the current RSS.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("items.xlsx");
    generate(&path);
    let bytes = std::fs::read(&path).expect("read back");
    eprintln!(
        "generated {} rows × 10 columns, {} bytes",
        ROWS,
        bytes.len()
    );
    let today = time::macros::date!(2025 - 06 - 30);

    let mut group = c.benchmark_group("import_100k_items");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10))
        .warm_up_time(Duration::from_secs(1));
    group.bench_function("calamine_cells", |b| {
        b.iter(|| {
            let mut xlsx: calamine::Xlsx<_> =
                calamine::open_workbook_from_rs(Cursor::new(bytes.clone())).expect("opens");
            let mut reader = xlsx.worksheet_cells_reader("一物一码").expect("sheet");
            let mut n = 0usize;
            while let Some(cell) = reader.next_cell().expect("cell") {
                black_box(cell.get_value());
                n += 1;
            }
            black_box(n)
        })
    });
    group.bench_function("sheets_read", |b| {
        b.iter(|| {
            let mut wb = Workbook::from_bytes(bytes.clone(), "items.xlsx").expect("opens");
            let read = wb
                .read("一物一码", RecordKind::Item, &ReadOptions::new(today))
                .expect("reads");
            assert_eq!(
                read.rows_valid,
                ROWS,
                "{:?}",
                read.all_problems().take(3).collect::<Vec<_>>()
            );
            black_box(read)
        })
    });
    group.finish();

    // CPU time per read and peak memory, printed for the record.
    let runs = 3;
    let start = cpu_seconds();
    for _ in 0..runs {
        let mut xlsx: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(Cursor::new(bytes.clone())).expect("opens");
        let mut reader = xlsx.worksheet_cells_reader("一物一码").expect("sheet");
        while let Some(cell) = reader.next_cell().expect("cell") {
            black_box(cell.get_value());
        }
    }
    let bare = (cpu_seconds() - start) / runs as f64;
    let start = cpu_seconds();
    for _ in 0..runs {
        let mut wb = Workbook::from_bytes(bytes.clone(), "items.xlsx").expect("opens");
        black_box(
            wb.read("一物一码", RecordKind::Item, &ReadOptions::new(today))
                .expect("reads"),
        );
    }
    let full = (cpu_seconds() - start) / runs as f64;
    let before = peak_rss_mib();
    reset_peak_rss();
    let base = peak_rss_mib();
    let mut wb = Workbook::from_bytes(bytes.clone(), "items.xlsx").expect("opens");
    let read = wb
        .read("一物一码", RecordKind::Item, &ReadOptions::new(today))
        .expect("reads");
    let peak = peak_rss_mib();
    black_box(read);
    eprintln!(
        "cpu per read: calamine {bare:.3} s, sheets {full:.3} s, ratio {:.2}; peak RSS during one full read {peak:.0} MiB ({:.0} MiB above the {base:.0} MiB before it; process peak before reset {before:.0} MiB)",
        full / bare,
        peak - base
    );
}

/// Reports go to the workspace's target/criterion, not to a target/ inside this crate.
fn config() -> Criterion {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../target"));
    Criterion::default().output_directory(&target.join("criterion"))
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench
}
criterion_main!(benches);
