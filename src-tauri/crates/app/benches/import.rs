//! A 100,000-row × 10-column 一物一码 item sheet imported end to end through the app: open (read and
//! hash the file), read the sheet (header, mapping, coercion), check every row against the
//! database, and commit in one transaction (1,010 batches created on the way, 100,000 items,
//! bulk-audited, linked to the run for undo), with "create missing" on.
//!
//! Measured against the physical floor in the same run: calamine streaming the same cells, the
//! same row checks written as plainly as possible, and the same rows inserted into the same
//! schema (indexes, triggers, bulk flag) in one transaction with multi-row inserts (see
//! [`floor`]). The ratio import / floor (median of back-to-back pairs, and as CPU time) is
//! printed, and the bench panics with the figures when it passes [`MAX_RATIO`] or when the
//! import's peak RSS passes [`MAX_RSS_MIB`]. Also printed: what "create missing" costs (the same
//! items into batches already on record), and what migration 0008's per-item
//! `item_source_insert` trigger costs the floor.
//!
//! Peak memory is measured in a child process per case (this binary run again with
//! `TRACEDESK_IMPORT_BENCH_CHILD`), so the figure is the import's own, not criterion's or the
//! generator's. A 1,000,000-row sheet is generated too and must be refused (above
//! `app::import::MAX_ROWS`) with bounded memory; `TRACEDESK_BENCH_SKIP_1M=1` skips it.
//! `make bench` runs this with the other benches; `cargo bench -p app --bench import` alone.

use std::collections::{HashMap, HashSet};
use std::hint::black_box;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use rust_xlsxwriter::Workbook;

mod common;
use common::item_sheet::{SHEET, generate_items, gtins};
use common::{cpu_seconds, peak_rss_kib};

const ROWS: u32 = 100_000;
const CHILD: &str = "TRACEDESK_IMPORT_BENCH_CHILD";
/// The import may take at most this many times the floor.
const MAX_RATIO: f64 = 1.5;
/// Peak RSS of one import in a fresh process.
const MAX_RSS_MIB: u64 = 250;
/// Interleaved floor/import pairs timed for the ratio.
const PAIRS: usize = 9;
/// Rows per INSERT statement in the floor.
const FLOOR_CHUNK: usize = 256;

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

/// The import being measured: what `tracedesk import FILE --kind item --create-missing` does.
fn import(app: &app::App, items: &Path) -> u32 {
    let done = app
        .import_file(items, &options(app::ImportKind::Item), &|_| {})
        .expect("imports");
    assert_eq!(done.rows_imported, ROWS);
    done.rows_imported
}

/// One item row as the floor keeps it.
struct FloorRow {
    gtin: String,
    lot: String,
    serial: String,
    day: f64,
}

/// The physical floor: what any importer of this sheet has to do, written as plainly as
/// possible. calamine streams the cells of the file read from disk; each row is checked the way
/// the import checks an item row (GTIN check digit, the lot within GS1 (10), a serial, a real
/// date, no repeat in the file, a registered product); the batches are created and the items
/// inserted into the same database (same schema, indexes and triggers, bulk flag on,
/// temporary files in memory) in one IMMEDIATE transaction, items 256 to a multi-row INSERT.
/// Not included, because the floor
/// has no use for them: header detection and column mapping, problems located for the clerk,
/// the undo links of the run, the run's audit entries.
fn floor(items: &Path, db: &mut store::Db) -> usize {
    floor_with(items, db, false)
}

/// [`floor`]; with `without_source_trigger`, migration 0008's per-item `item_source_insert`
/// trigger is dropped first (in this scratch database), to see what it costs.
fn floor_with(items: &Path, db: &mut store::Db, without_source_trigger: bool) -> usize {
    let bytes = std::fs::read(items).expect("read");
    let mut xlsx: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("opens");
    let products: HashMap<String, i64> = db
        .conn()
        .prepare("SELECT gtin, id FROM product WHERE gtin IS NOT NULL")
        .expect("prepare")
        .query_map([], |r| {
            Ok((format!("{:0>14}", r.get::<_, String>(0)?), r.get(1)?))
        })
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("products");
    let mut reader = xlsx.worksheet_cells_reader(SHEET).expect("sheet");
    let mut rows: Vec<FloorRow> = Vec::with_capacity(ROWS as usize);
    let mut current = (
        0u32,
        FloorRow {
            gtin: String::new(),
            lot: String::new(),
            serial: String::new(),
            day: 0.0,
        },
    );
    let flush = |row: u32, r: FloorRow, rows: &mut Vec<FloorRow>| {
        if row > 0 {
            rows.push(r);
        }
    };
    while let Some(cell) = reader.next_cell().expect("cell") {
        let (r, c) = cell.get_position();
        if r != current.0 {
            let done = std::mem::replace(
                &mut current,
                (
                    r,
                    FloorRow {
                        gtin: String::new(),
                        lot: String::new(),
                        serial: String::new(),
                        day: 0.0,
                    },
                ),
            );
            flush(done.0, done.1, &mut rows);
        }
        let v = cell.get_value();
        let text = || match v {
            calamine::DataRef::String(s) => s.trim().to_string(),
            calamine::DataRef::SharedString(s) => s.trim().to_string(),
            _ => String::new(),
        };
        match c {
            0 => current.1.gtin = text(),
            1 => current.1.lot = text(),
            2 => current.1.serial = text(),
            3 => {
                if let calamine::DataRef::DateTime(d) = v {
                    current.1.day = d.as_f64();
                }
            }
            _ => {}
        }
    }
    flush(current.0, current.1, &mut rows);

    let mut seen: HashSet<(&str, &str, &str)> = HashSet::with_capacity(rows.len());
    let mut lots: HashMap<(i64, &str), u32> = HashMap::new();
    let mut checked = Vec::with_capacity(rows.len());
    for r in &rows {
        assert!(codes::gs1::check_digit::is_valid(&r.gtin), "{}", r.gtin);
        assert!(codes::gs1::check_lot(&r.lot, true).is_empty(), "{}", r.lot);
        assert!(!r.serial.is_empty());
        assert!(sheets::excel_serial_to_date(r.day, false).is_some());
        assert!(seen.insert((&r.gtin, &r.lot, &r.serial)), "repeat");
        let product = products[&format!("{:0>14}", r.gtin)];
        *lots.entry((product, &r.lot)).or_default() += 1;
        checked.push((product, r));
    }
    let mut db_rows = 0;
    // As the import does: statement journals in memory (see store::imports::temp_in_memory).
    db.conn()
        .pragma_update(None, "temp_store", "MEMORY")
        .expect("temp_store");
    db.write(|tx| {
        if without_source_trigger {
            tx.execute("DROP TRIGGER item_source_insert", [])?;
        }
        tx.execute("UPDATE audit_context SET bulk = 1 WHERE id = 1", [])?;
        let mut batch = tx.prepare(
            "INSERT INTO batch (product_id, lot_no, produced_on, quantity, unit, inspection_result)
             VALUES (?1, ?2, ?3, ?4, '个', 'pending')",
        )?;
        // Items a few hundred to a statement, the cheapest way SQLite takes many rows.
        let values = |n: usize| {
            format!(
                "INSERT INTO item (batch_id, serial) VALUES {}",
                vec!["(?, ?)"; n].join(", ")
            )
        };
        let mut full = tx.prepare(&values(FLOOR_CHUNK))?;
        let mut pending: Vec<(i64, &str)> = Vec::with_capacity(FLOOR_CHUNK);
        let insert = |items: &[(i64, &str)], stmt: &mut rusqlite::Statement<'_>| {
            let params: Vec<&dyn rusqlite::ToSql> = items
                .iter()
                .flat_map(|(b, s)| [b as &dyn rusqlite::ToSql, s])
                .collect();
            stmt.execute(params.as_slice()).map(|_| ())
        };
        let mut batches: HashMap<(i64, &str), i64> = HashMap::new();
        for (product, r) in &checked {
            let batch_id = match batches.get(&(*product, r.lot.as_str())) {
                Some(id) => *id,
                None => {
                    let day = sheets::excel_serial_to_date(r.day, false).expect("date");
                    batch.execute(rusqlite::params![
                        product,
                        r.lot,
                        day.to_string(),
                        lots[&(*product, r.lot.as_str())]
                    ])?;
                    let id = tx.last_insert_rowid();
                    batches.insert((*product, r.lot.as_str()), id);
                    id
                }
            };
            pending.push((batch_id, r.serial.as_str()));
            if pending.len() == FLOOR_CHUNK {
                insert(&pending, &mut full)?;
                pending.clear();
            }
            db_rows += 1;
        }
        if !pending.is_empty() {
            insert(&pending, &mut tx.prepare(&values(pending.len()))?)?;
        }
        tx.execute("UPDATE audit_context SET bulk = 0 WHERE id = 1", [])?;
        Ok(())
    })
    .expect("floor commit");
    assert_eq!(db_rows, ROWS as usize);
    db_rows
}

fn floor_db(app: &app::App) -> store::Db {
    store::Db::open(Path::new(&app.paths().database)).expect("db")
}

/// One timed run in this process, phase by phase for the import: what the child prints.
/// What the child prints when the import refuses the sheet.
fn refused(e: &app::ApiError, start: Instant) {
    println!(
        "refused {} after {:.0} ms: {}  VmHWM {} KiB",
        e.field.as_deref().unwrap_or_default(),
        start.elapsed().as_secs_f64() * 1000.0,
        e.message_zh,
        peak_rss_kib()
    );
}

fn child(what: &str, items: &Path, products: &Path) {
    let (_dir, app) = prepared(products);
    if what == "floor" {
        let mut db = floor_db(&app);
        let start = Instant::now();
        let n = floor(items, &mut db);
        println!(
            "floor {n} rows: {:.0} ms  VmHWM {} KiB",
            start.elapsed().as_secs_f64() * 1000.0,
            peak_rss_kib()
        );
        return;
    }
    if what == "import_file" {
        // What `tracedesk import FILE --kind item --create-missing` does, problems listed.
        let start = Instant::now();
        let n = import(&app, items);
        println!(
            "import_file {n} rows: {:.0} ms  VmHWM {} KiB",
            start.elapsed().as_secs_f64() * 1000.0,
            peak_rss_kib()
        );
        return;
    }
    let start = Instant::now();
    let file = match app.import_open(items) {
        Ok(f) => f,
        Err(e) => return refused(&e, start),
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
        Err(e) => return refused(&e, start),
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
fn in_child(what: &str, items: &Path, products: &Path) -> String {
    let out = std::process::Command::new(std::env::current_exe().expect("own path"))
        .env(
            CHILD,
            format!("{what}\n{}\n{}", items.display(), products.display()),
        )
        .output()
        .expect("child runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find(|l| {
            ["imported", "refused", "floor", "import_file"]
                .iter()
                .any(|w| l.starts_with(w))
        })
        .map(str::to_string)
        .unwrap_or_else(|| format!("child failed: {}", String::from_utf8_lossy(&out.stderr)))
}

/// `VmHWM N KiB` of a child's line, in MiB.
fn vmhwm_mib(line: &str) -> Option<u64> {
    let kib: u64 = line
        .split("VmHWM ")
        .nth(1)?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    Some(kib / 1024)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Wall and CPU seconds of `f`.
fn timed<T>(f: impl FnOnce() -> T) -> (f64, f64) {
    let (wall, cpu) = (Instant::now(), cpu_seconds());
    black_box(f());
    (wall.elapsed().as_secs_f64(), cpu_seconds() - cpu)
}

/// What the ratio run found.
struct Ratio {
    floor: f64,
    import: f64,
    /// Median of the pairs' ratios (each pair ran back to back, under the same load).
    ratio: f64,
    /// Best import over best floor.
    best: f64,
    /// CPU time ratio (medians): the import parses on a second thread.
    cpu: f64,
}

/// Floor and import timed alternately in this process, each on a fresh database, so both see
/// the same machine.
fn ratio(items: &Path, products: &Path) -> Ratio {
    let (mut floors, mut imports, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    let (mut floor_cpu, mut import_cpu) = (Vec::new(), Vec::new());
    for _ in 0..PAIRS {
        let (_d1, a1) = prepared(products);
        let mut db = floor_db(&a1);
        let (f, fc) = timed(|| floor(items, &mut db));
        drop(db);
        let (_d2, a2) = prepared(products);
        let (i, ic) = timed(|| import(&a2, items));
        floors.push(f);
        imports.push(i);
        ratios.push(i / f);
        floor_cpu.push(fc);
        import_cpu.push(ic);
    }
    let best = imports.iter().copied().fold(f64::MAX, f64::min)
        / floors.iter().copied().fold(f64::MAX, f64::min);
    Ratio {
        floor: median(floors),
        import: median(imports),
        ratio: median(ratios),
        best,
        cpu: median(import_cpu) / median(floor_cpu).max(0.01),
    }
}

/// The same products with every batch the item sheet names already recorded: importing the
/// items then creates nothing else.
fn prepared_with_batches(products: &Path) -> (tempfile::TempDir, app::App) {
    let (dir, app) = prepared(products);
    let mut db = floor_db(&app);
    db.write(|tx| {
        tx.execute(
            "INSERT INTO batch (product_id, lot_no, produced_on, quantity, unit, inspection_result)
             SELECT p.id, printf('2025%04d', l.n), '2025-03-01', 100, '个', 'pending'
             FROM product p, (WITH RECURSIVE l(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM l WHERE n < 100)
                              SELECT n FROM l) l",
            [],
        )?;
        Ok(())
    })
    .expect("batches");
    (dir, app)
}

/// Runs of each side of the comparisons below, interleaved.
const COMPARE_RUNS: usize = 5;

/// Medians of (wall, CPU) seconds.
fn medians(runs: Vec<(f64, f64)>) -> (f64, f64) {
    let (wall, cpu): (Vec<f64>, Vec<f64>) = runs.into_iter().unzip();
    (median(wall), median(cpu))
}

/// What "create missing" costs: the same items into batches on record vs. batches the import
/// creates (1,010 batches, and a warning on every row, listed, that its batch will be created).
/// (wall, CPU) medians of the two.
fn create_missing_cost(items: &Path, products: &Path) -> ((f64, f64), (f64, f64)) {
    let (mut existing, mut creating) = (Vec::new(), Vec::new());
    for _ in 0..COMPARE_RUNS {
        let (_d1, a1) = prepared_with_batches(products);
        let mut options = options(app::ImportKind::Item);
        options.create_missing = false;
        existing.push(timed(|| {
            let done = a1.import_file(items, &options, &|_| {}).expect("imports");
            assert_eq!(done.rows_imported, ROWS);
        }));
        let (_d2, a2) = prepared(products);
        creating.push(timed(|| import(&a2, items)));
    }
    (medians(existing), medians(creating))
}

/// The floor with and without migration 0008's per-item trigger: (wall, CPU) medians.
fn source_trigger_cost(items: &Path, products: &Path) -> ((f64, f64), (f64, f64)) {
    let (mut with, mut without) = (Vec::new(), Vec::new());
    for _ in 0..COMPARE_RUNS {
        for (drop_it, into) in [(false, &mut with), (true, &mut without)] {
            let (_d, a) = prepared(products);
            let mut db = floor_db(&a);
            into.push(timed(|| floor_with(items, &mut db, drop_it)));
        }
    }
    (medians(with), medians(without))
}

fn bench(c: &mut Criterion) {
    if let Ok(args) = std::env::var(CHILD) {
        let mut parts = args.lines();
        let what = parts.next().unwrap_or_default().to_string();
        let items = PathBuf::from(parts.next().unwrap_or_default());
        let products = PathBuf::from(parts.next().unwrap_or_default());
        child(&what, &items, &products);
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
        .measurement_time(Duration::from_secs(15))
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
    group.bench_function("floor", |b| {
        b.iter_batched(
            || {
                let (dir, app) = prepared(&products);
                let db = floor_db(&app);
                (dir, app, db)
            },
            |(dir, app, mut db)| {
                black_box(floor(&items, &mut db));
                (dir, app, db)
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("app_import_end_to_end", |b| {
        b.iter_batched(
            || prepared(&products),
            |(dir, app)| {
                black_box(import(&app, &items));
                (dir, app)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();

    let r = ratio(&items, &products);
    let import_line = in_child("import", &items, &products);
    let file_line = in_child("import_file", &items, &products);
    let floor_line = in_child("floor", &items, &products);
    let rss = vmhwm_mib(&import_line)
        .max(vmhwm_mib(&file_line))
        .unwrap_or(u64::MAX);
    eprintln!("one import in a fresh process: {import_line}");
    eprintln!("the same through import_file:  {file_line}");
    eprintln!("the floor in a fresh process:  {floor_line}");
    eprintln!(
        "ratio (median of {PAIRS} back-to-back pairs): {:.2}× (limit {MAX_RATIO}×): import {:.0} ms / floor {:.0} ms (medians); best against best {:.2}×; CPU time {:.2}×",
        r.ratio,
        r.import * 1000.0,
        r.floor * 1000.0,
        r.best,
        r.cpu
    );
    eprintln!("import peak RSS {rss} MiB (limit {MAX_RSS_MIB} MiB)");
    let (existing, creating) = create_missing_cost(&items, &products);
    eprintln!(
        "create missing: {:.0} ms creating the 1,010 batches vs {:.0} ms into batches on record ({:+.1} %; CPU {:+.1} %)",
        creating.0 * 1000.0,
        existing.0 * 1000.0,
        (creating.0 / existing.0 - 1.0) * 100.0,
        (creating.1 / existing.1.max(0.01) - 1.0) * 100.0
    );
    let (with, without) = source_trigger_cost(&items, &products);
    eprintln!(
        "migration 0008's item_source_insert trigger: floor {:.0} ms with it, {:.0} ms without ({:.0} % of the floor; CPU {:.2} s vs {:.2} s, {:.0} %)",
        with.0 * 1000.0,
        without.0 * 1000.0,
        (1.0 - without.0 / with.0) * 100.0,
        with.1,
        without.1,
        (1.0 - without.1 / with.1.max(0.01)) * 100.0
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
            in_child("import", &million, &products)
        );
    }

    assert!(
        r.ratio <= MAX_RATIO,
        "IMPORT TOO SLOW: import {:.0} ms is {:.2}× the floor {:.0} ms (limit {MAX_RATIO}×)",
        r.import * 1000.0,
        r.ratio,
        r.floor * 1000.0
    );
    assert!(
        rss <= MAX_RSS_MIB,
        "IMPORT USES TOO MUCH MEMORY: peak RSS {rss} MiB (limit {MAX_RSS_MIB} MiB): {import_line}"
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
