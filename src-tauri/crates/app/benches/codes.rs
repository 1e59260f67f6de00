//! 一物一码 at scale: 1,000,000 item codes for one batch, end to end through `App` — the ledger
//! reservation committed durably, then every code composed and written (CSV, or xlsx in
//! constant-memory mode). Each iteration is a new range of the same batch, as in real use.
//! `random_csv` is random serials as a new product gets them: a keyed permutation of the sequence
//! number (its series gets its key on the first run), so each iteration is a range, like
//! `sequential_csv`, with every serial computed through the Feistel network.
//!
//! `cargo bench -p app --bench codes` (or `make bench`). Figures are in README.md.

use std::time::{Duration, Instant};

use app::{App, CodeGenerateInput, CodeScheme, Config, ExportFormat, Granularity, ProductInput};
use criterion::{Bencher, Criterion, criterion_group, criterion_main};

const COUNT: u64 = 1_000_000;

fn setup(dir: &std::path::Path) -> (App, i64, i64) {
    let app = App::open(Config::in_dir(dir)).expect("open app");
    let product = app
        .add_product(&ProductInput {
            scheme: Some(CodeScheme::Gs1),
            granularity: Some(Granularity::Item),
            ..app::dev::sample_product("家用燃气灶", "06901234567892")
        })
        .expect("product")
        .id;
    let batch = app
        .coding_batch_by_lot(product, "B20250715-1", Some(COUNT as f64))
        .expect("batch")
        .0
        .id;
    (app, product, batch)
}

fn run(
    app: &App,
    product: i64,
    batch: i64,
    dir: &std::path::Path,
    format: ExportFormat,
) -> Duration {
    let ext = match format {
        ExportFormat::Csv => "csv",
        ExportFormat::Xlsx => "xlsx",
    };
    let path = dir.join(format!("codes.{ext}"));
    let started = Instant::now();
    let summary = app
        .generate_codes(
            &CodeGenerateInput {
                product_id: product,
                batch_id: Some(batch),
                count: COUNT,
                path: path.display().to_string(),
                format: Some(format),
                job_id: None,
            },
            &mut |_| {},
        )
        .expect("generate");
    let took = started.elapsed();
    assert_eq!(summary.count, COUNT);
    took
}

/// What criterion times: each iteration a new range of the same batch, timed by [`run`].
fn runs<'a>(
    app: &'a App,
    product: i64,
    batch: i64,
    dir: &'a std::path::Path,
    format: ExportFormat,
) -> impl FnMut(&mut Bencher) + 'a {
    move |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| run(app, product, batch, dir, format))
                .sum()
        })
    }
}

fn coding(serial_mode: app::SerialMode) -> app::ProductCodingInput {
    app::ProductCodingInput {
        granularity: None,
        code_form: app::CodeForm::ElementString,
        dl_stem: "https://id.gs1.org".into(),
        serial_mode,
        serial_pattern: "{seq:12}".into(),
        random_length: 12,
        item_with_lot: true,
        with_production_date: false,
        shelf_life_days: None,
    }
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("generate_1m_item_codes");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));

    let dir = tempfile::tempdir().unwrap();
    let (app, product, batch) = setup(dir.path());
    // Twelve digits: the benchmark issues a million serials per iteration, for hundreds of them.
    app.save_product_coding(product, &coding(app::SerialMode::Sequential))
        .unwrap();
    group.bench_function(
        "sequential_csv",
        runs(&app, product, batch, dir.path(), ExportFormat::Csv),
    );
    group.bench_function(
        "sequential_xlsx",
        runs(&app, product, batch, dir.path(), ExportFormat::Xlsx),
    );

    let random_dir = tempfile::tempdir().unwrap();
    let (app, product, batch) = setup(random_dir.path());
    app.save_product_coding(product, &coding(app::SerialMode::Random))
        .unwrap();
    group.bench_function(
        "random_csv",
        runs(&app, product, batch, random_dir.path(), ExportFormat::Csv),
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
