//! Import speed on a 100,000-row × 10-column `item` sheet, generated once into a temp dir:
//! (a) calamine alone streaming every cell, (b) the full `Workbook::read` into a `SheetRead`.
//! Run with `cargo bench -p sheets -- --quick` for a short run.

use std::hint::black_box;
use std::io::Cursor;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use sheets::{ReadOptions, RecordKind, Workbook};

// The item sheet and the process measurements of app's import benchmark: both crates measure the
// same file the same way.
#[path = "../../app/benches/common/mod.rs"]
mod common;
use common::cpu_seconds;
use common::item_sheet::{SHEET, generate_items};

const ROWS: u32 = 100_000;

/// Peak resident memory in MiB since the last reset.
fn peak_rss_mib() -> f64 {
    common::peak_rss_kib() as f64 / 1024.0
}

fn reset_peak_rss() {
    // Linux: writing 5 to clear_refs resets VmHWM to the current RSS.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("items.xlsx");
    generate_items(&path, ROWS);
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
            let mut reader = xlsx.worksheet_cells_reader(SHEET).expect("sheet");
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
                .read(SHEET, RecordKind::Item, &ReadOptions::new(today))
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
        let mut reader = xlsx.worksheet_cells_reader(SHEET).expect("sheet");
        while let Some(cell) = reader.next_cell().expect("cell") {
            black_box(cell.get_value());
        }
    }
    let bare = (cpu_seconds() - start) / runs as f64;
    let start = cpu_seconds();
    for _ in 0..runs {
        let mut wb = Workbook::from_bytes(bytes.clone(), "items.xlsx").expect("opens");
        black_box(
            wb.read(SHEET, RecordKind::Item, &ReadOptions::new(today))
                .expect("reads"),
        );
    }
    let full = (cpu_seconds() - start) / runs as f64;
    let before = peak_rss_mib();
    reset_peak_rss();
    let base = peak_rss_mib();
    let mut wb = Workbook::from_bytes(bytes.clone(), "items.xlsx").expect("opens");
    let read = wb
        .read(SHEET, RecordKind::Item, &ReadOptions::new(today))
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
