//! `backup --auto`, `diagnostics` and `about` of the real binary, on real files, and the log the
//! binary writes beside the database.

mod common;

use std::io::Read;
use std::path::Path;

use common::{run_ok, temp_db};

#[test]
fn backup_auto_backs_up_once_a_day_and_can_be_turned_off() {
    let (_dir, db) = temp_db();
    let first = run_ok(&db, &["--json", "backup", "--auto"]);
    let path = first["made"]["path"].as_str().expect("made today");
    assert!(path.contains("auto-"), "{path}");
    assert!(Path::new(path).is_file());
    let second = run_ok(&db, &["--json", "backup", "--auto"]);
    assert!(second["made"].is_null(), "{second}");
    let status = run_ok(&db, &["--json", "backup", "--status"]);
    assert_eq!(status["last"]["kind"], "automatic");
    assert_eq!(status["overdue"], false);
    let off = run_ok(&db, &["--json", "backup", "--auto-off"]);
    assert_eq!(off["autoEnabled"], false);

    let log_dir = db.parent().unwrap().join("logs");
    let log: String = std::fs::read_dir(&log_dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(
        log.contains("start") && log.contains("program=\"cli\""),
        "{log}"
    );
    assert!(log.contains("automatic backup made"), "{log}");
    assert!(log.contains("stop"), "{log}");
}

#[test]
fn diagnostics_writes_the_bundle_with_data_only_when_asked() {
    let (dir, db) = temp_db();
    run_ok(&db, &["--json", "backup", "--auto"]);
    for (include, name) in [(false, "plain.zip"), (true, "full.zip")] {
        let out = dir.path().join(name);
        let mut args = vec!["--json", "diagnostics", "--out", out.to_str().unwrap()];
        if include {
            args.push("--include-data");
        }
        let result = run_ok(&db, &args);
        assert_eq!(result["includesData"], include);
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
        let names: Vec<String> = zip.file_names().map(|n| n.unwrap().to_string()).collect();
        assert!(names.iter().any(|n| n == "versions.json"), "{names:?}");
        assert!(names.iter().any(|n| n.starts_with("logs/")), "{names:?}");
        assert_eq!(
            names.iter().any(|n| n == "data/tracedesk.sqlite3"),
            include,
            "{names:?}"
        );
        let mut backups = String::new();
        zip.by_name("backups.json")
            .unwrap()
            .read_to_string(&mut backups)
            .unwrap();
        assert!(backups.contains("\"automatic\""), "{backups}");
    }
    let about = run_ok(&db, &["--json", "about"]);
    assert!(about["sqliteVersion"].as_str().unwrap().starts_with("3."));
}
