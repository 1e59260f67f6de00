//! Trace, recall and list speed on a realistic database: 1 000 000 items, 100 000 batches, 20 000
//! material receipts and 50 000 shipments, written once by `app::dev::generate` into Cargo's bench
//! scratch folder and reused by later runs (delete `target/tmp/trace-bench-*.sqlite3` to rebuild).
//!
//! Targets: tracing one batch both ways < 50 ms; a recall drill from a material lot < 200 ms;
//! the first page of any list < 300 ms. `TRACEDESK_BENCH_SCALE=0.1` runs on a tenth of the data.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use app::dev::middle_row;
use app::{App, Config, ListQuery, RecallRequest, TraceKind, TraceRef};
use criterion::{Criterion, criterion_group, criterion_main};

fn database() -> PathBuf {
    let scale: f64 = std::env::var("TRACEDESK_BENCH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let spec = app::dev::GenerateSpec::default();
    let scaled = |n: u64| ((n as f64) * scale).round().max(1.0) as u64;
    let spec = app::dev::GenerateSpec {
        items: scaled(spec.items),
        batches: scaled(spec.batches),
        receipts: scaled(spec.receipts),
        shipments: scaled(spec.shipments),
        seed: spec.seed,
    };
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "trace-bench-{}-{}-{}-{}-v{}.sqlite3",
        spec.items,
        spec.batches,
        spec.receipts,
        spec.shipments,
        store::Db::latest_version()
    ));
    if !path.exists() {
        let started = Instant::now();
        let tmp = path.with_extension("partial");
        let _ = std::fs::remove_file(&tmp);
        let report = app::dev::generate(&tmp, &spec).expect("generate the bench database");
        std::fs::rename(&tmp, &path).expect("move the bench database into place");
        eprintln!(
            "generated {} items, {} batches, {} receipts, {} shipments in {:.1} s",
            report.items,
            report.batches,
            report.receipts,
            report.shipments,
            started.elapsed().as_secs_f64()
        );
    }
    path
}

fn benches(c: &mut Criterion) {
    let path = database();
    let app = App::open(Config::for_db(&path)).expect("open the bench database");
    // A batch from the middle of the data, with its lots and its shipments.
    let batch = middle_row(|q| app.list_batches(q))
        .unwrap()
        .expect("a batch");
    let receipt = middle_row(|q| app.list_receipts(q))
        .unwrap()
        .expect("a receipt");

    let once = app.trace(&batch.lot_no).unwrap();
    eprintln!(
        "batch {}: {} upstream, {} downstream",
        batch.lot_no,
        once.upstream.len(),
        once.downstream.len()
    );
    let recall = RecallRequest {
        start: TraceRef {
            kind: TraceKind::MaterialLot,
            id: receipt.id,
        },
        reason: "bench".into(),
    };
    let drill = app.recall(&recall).unwrap();
    eprintln!(
        "lot {}: {} batches, {} items, {} customers",
        receipt.supplier_lot,
        drill.batches.len(),
        drill.items.len(),
        drill.customers.len()
    );

    let mut group = c.benchmark_group("trace");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    group.bench_function("trace one batch both ways", |b| {
        b.iter(|| app.trace(&batch.lot_no).unwrap())
    });
    group.bench_function("recall drill from a material lot", |b| {
        b.iter(|| app.recall(&recall).unwrap())
    });
    let first = ListQuery {
        limit: 100,
        ..Default::default()
    };
    group.bench_function("first page: products", |b| {
        b.iter(|| app.list_products(&first).unwrap())
    });
    group.bench_function("first page: parties", |b| {
        b.iter(|| app.list_parties(&first).unwrap())
    });
    group.bench_function("first page: receipts", |b| {
        b.iter(|| app.list_receipts(&first).unwrap())
    });
    group.bench_function("first page: batches", |b| {
        b.iter(|| app.list_batches(&first).unwrap())
    });
    group.bench_function("first page: shipments", |b| {
        b.iter(|| app.list_shipments(&first).unwrap())
    });
    let search = ListQuery {
        search: batch.lot_no.clone(),
        limit: 100,
        ..Default::default()
    };
    group.bench_function("search batches by lot", |b| {
        b.iter(|| app.list_batches(&search).unwrap())
    });
    group.bench_function("dashboard", |b| b.iter(|| app.dashboard().unwrap()));
    group.finish();
}

criterion_group!(trace, benches);
criterion_main!(trace);
