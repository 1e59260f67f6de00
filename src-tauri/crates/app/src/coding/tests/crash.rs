//! A writer killed with SIGKILL after reserving: no serial is ever issued twice.

use super::*;

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
        item_product(&app);
    }
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "coding::tests::crash::crash_writer_child",
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
