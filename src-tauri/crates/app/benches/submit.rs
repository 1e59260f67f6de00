//! 100 000 item-level records submitted end to end to the in-process simulator: the outbox, the
//! signed batches of 500, the simulator's validation, the per-record outcomes and the archive.
//! Each record is a commissioning record (一物一码) of one item serial. Prints records/s and the
//! process's peak memory (VmHWM); `make bench` runs it.

use std::time::{Duration, Instant};

use app::submit::RunOptions;
use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use platform::model::{Commissioning, Granularity, Line, Payload, Record, Scheme};

mod common;
use common::peak_rss_kib;

const RECORDS: usize = 100_000;

/// A fresh data folder with `RECORDS` records queued, set up for the simulator at `url`.
fn prepare(url: &str) -> (tempfile::TempDir, app::App) {
    let dir = tempfile::tempdir().unwrap();
    let app = app::App::open(app::Config::in_dir(dir.path())).unwrap();
    // The sample enterprise, coding items, reporting to the simulator with the practice key.
    let mut input = app::dev::sample_setup();
    input.coding.ccc = false;
    input.coding.granularity = app::Granularity::Item;
    input.platform = app::PlatformSettings {
        mode: app::PlatformMode::Remote,
        url: format!("{url}/api/v1"),
        app_key: "practice".into(),
    };
    app.complete_setup(&input).unwrap();
    std::fs::write(
        dir.path().join("platform-secret.json"),
        r#"{"app_key":"practice","app_secret":"practice-secret"}"#,
    )
    .unwrap();
    // The rows go into the queue of the platform just set up, as a run would file them.
    let target = app.queue_target().unwrap().key();
    let mut db = store::Db::open(&dir.path().join(app::DB_FILE_NAME)).unwrap();
    db.write(|tx| {
        for i in 0..RECORDS {
            let record = Record {
                scheme: Scheme::Gs1,
                granularity: Granularity::Item,
                payload: Payload::Commissioning(Commissioning {
                    enterprise_uscc: input.enterprise.uscc.clone(),
                    event_time: "2025-07-15T10:20:00+08:00".into(),
                    line: Line {
                        product_code: "06901234567892".into(),
                        lot: "B20250715-01".into(),
                        items: vec![format!("{i:08}")],
                        ..Line::default()
                    },
                    production_date: "2025-07-15".into(),
                    client_ref: format!("bench-{i}"),
                    ..Commissioning::default()
                }),
            };
            let s = platform::seal(&record).unwrap();
            store::outbox::insert(
                tx,
                &store::outbox::NewRecord {
                    target: target.clone(),
                    source_kind: "allocation".into(),
                    source_id: 1,
                    part: i as i64,
                    kind: "commissioning".into(),
                    scheme: "gs1".into(),
                    granularity: "item".into(),
                    key: s.key,
                    body: s.body,
                    label: format!("item {i}"),
                    event_date: Some("2025-07-15".into()),
                    ..Default::default()
                },
            )?;
        }
        Ok(())
    })
    .unwrap();
    (dir, app)
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut group = c.benchmark_group("submit");
    // One run per sample: a linear sampling plan would repeat the 100 000 records 55 times.
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(60));
    group.bench_function("100k_item_records_end_to_end", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let sim = rt
                    .block_on(simulator::start(
                        simulator::SimulatorConfig::practice(),
                        "127.0.0.1:0".parse().unwrap(),
                    ))
                    .unwrap();
                let (_dir, app) = prepare(&sim.url);
                let started = Instant::now();
                let summary = rt
                    .block_on(app.submit_with(
                        &app::SubmitRequest::default(),
                        RunOptions::default(),
                        |_| {},
                    ))
                    .unwrap();
                let elapsed = started.elapsed();
                total += elapsed;
                assert_eq!(summary.accepted as usize, RECORDS + 1, "{}", summary.message_en);
                assert_eq!(sim.stats().accepted as usize, RECORDS + 1);
                println!(
                    "100k end to end: {:.2} s, {:.0} records/s, {} requests of up to {} records, peak RSS {} MiB",
                    elapsed.as_secs_f64(),
                    RECORDS as f64 / elapsed.as_secs_f64(),
                    summary.requests,
                    app::submit::BATCH_SIZE,
                    peak_rss_kib() / 1024
                );
                rt.block_on(sim.shutdown());
            }
            total
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
