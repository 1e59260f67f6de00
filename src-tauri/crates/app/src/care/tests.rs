//! Automatic backups, the log and the diagnostics bundle through `App`, on real files.

use std::io::Read;
use std::path::Path;

use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use crate::care::retention::BackupKind;
use crate::testkit::{assert_contains, open};
use crate::{App, Config, PlatformMode, PlatformSettings};

const KEY: &str = "acme-works-2025";
const SECRET: &str = "s3cret-of-acme-works-7f9c2e";
const WRONG_SECRET: &str = "wrong-secret-of-acme-41d8aa";

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("backups"))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".sqlite3"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// A backup named as `prefix` + the UTC stamp of `at`, made by the real backup code.
fn backup_at(app: &App, dir: &Path, prefix: &str, at: OffsetDateTime) {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]");
    let name = format!("{prefix}{}.sqlite3", at.format(&format).unwrap());
    app.backup(Some(&dir.join("backups").join(name))).unwrap();
}

#[test]
fn an_automatic_backup_is_made_once_a_day_and_retention_spares_other_kinds() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    let now = datetime!(2026-12-07 02:00:00 UTC); // 10:00 in China
    // Forty days of automatic backups at 01:00 UTC, and one old copy of every other kind.
    for day in 1..=40 {
        backup_at(
            &app,
            dir.path(),
            "auto-",
            now - Duration::days(day) - Duration::hours(1),
        );
    }
    let old = now - Duration::days(300);
    backup_at(&app, dir.path(), "tracedesk-", old);
    backup_at(&app, dir.path(), "pre-restore-", old);
    backup_at(&app, dir.path(), "pre-migration-v1-to-v9-", old);

    let result = app.auto_backup_at(now).unwrap();
    let made = result.made.as_ref().expect("none was made today");
    assert!(
        made.path.ends_with("auto-20261207T020000.sqlite3"),
        "{}",
        made.path
    );
    // Kept: today and the 6 days before (this week and last week's Sunday), and the newest of
    // each of the 2 weeks before those: 4 weeks in all.
    assert_eq!(result.removed.len(), 41 - 9, "{:?}", result.removed);
    let left = names(dir.path());
    assert_eq!(left.len(), 9 + 3, "{left:?}");
    for kept in [
        "tracedesk-20260210T020000.sqlite3",
        "pre-restore-20260210T020000.sqlite3",
        "pre-migration-v1-to-v9-20260210T020000.sqlite3",
        "auto-20261207T020000.sqlite3",
        "auto-20261201T010000.sqlite3",
        // Sundays: the newest of their ISO weeks.
        "auto-20261129T010000.sqlite3",
        "auto-20261122T010000.sqlite3",
    ] {
        assert!(left.iter().any(|n| n == kept), "{kept} kept: {left:?}");
    }
    assert!(
        !left.iter().any(|n| n == "auto-20261130T010000.sqlite3"),
        "a Monday"
    );
    assert!(!result.status.overdue);
    assert_eq!(
        result.status.last.as_ref().unwrap().kind,
        BackupKind::Automatic
    );

    let again = app.auto_backup_at(now + Duration::hours(5)).unwrap();
    assert!(again.made.is_none(), "one a day: {again:?}");
    assert!(again.removed.is_empty());
    assert_eq!(names(dir.path()), left, "nothing changed");

    // The next China day (00:30 on 12-08 in China is 16:30 UTC on 12-07).
    let tomorrow = app
        .auto_backup_at(datetime!(2026-12-07 16:30:00 UTC))
        .unwrap();
    assert!(tomorrow.made.is_some(), "a new China day");
}

#[test]
fn a_manual_backup_today_makes_the_automatic_one_wait_until_tomorrow() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    app.backup(None).unwrap();
    let result = app.auto_backup().unwrap();
    assert!(result.made.is_none(), "{result:?}");
    assert_contains(&result.message_zh, "今天已有备份");
}

#[test]
fn automatic_backup_can_be_turned_off_and_the_status_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    let now = datetime!(2026-12-07 02:00:00 UTC);
    let none = app.backup_status_at(now).unwrap();
    assert!(none.auto_enabled && none.overdue && none.last.is_none());
    assert_contains(&none.message_zh, "还没有任何备份");

    let off = app.set_auto_backup(false).unwrap();
    assert!(!off.auto_enabled);
    let result = app.auto_backup_at(now).unwrap();
    assert!(result.made.is_none());
    assert!(names(dir.path()).is_empty(), "nothing written while off");
    assert_contains(&result.message_zh, "自动备份已关闭");
    let status = app.backup_status_at(now).unwrap();
    assert!(
        status.message_zh.ends_with("自动备份已关闭"),
        "{}",
        status.message_zh
    );

    let on = app.set_auto_backup(true).unwrap();
    assert!(on.auto_enabled);
    let made = app.auto_backup_at(now).unwrap();
    assert!(made.made.is_some());
    assert!(
        made.status.message_zh.contains("2026-12-07 10:00"),
        "China time: {}",
        made.status.message_zh
    );

    let later = app.backup_status_at(now + Duration::days(3)).unwrap();
    assert!(later.overdue);
    assert_contains(&later.message_zh, "3 天前");
    assert_contains(&later.message_en, "3 days ago");
}

#[test]
fn the_about_box_names_the_versions_and_every_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    let about = app.about().unwrap();
    assert_eq!(about.schema_version, store::Db::latest_version());
    assert!(
        about.sqlite_version.starts_with("3."),
        "{}",
        about.sqlite_version
    );
    assert_eq!(about.version, env!("CARGO_PKG_VERSION"));
    let folders: Vec<String> = about.folders.iter().map(|f| f.path.clone()).collect();
    for sub in ["backups", "exports", "logs", "attachments"] {
        let want = dir.path().join(sub).display().to_string();
        assert!(folders.contains(&want), "{want} in {folders:?}");
    }
    let logs = app.data_folder(crate::DataFolder::Logs).unwrap();
    assert!(logs.is_dir(), "opening a folder creates it");
    assert!(about.os.ends_with(std::env::consts::ARCH), "{}", about.os);
}

/// Every file in the zip at `path`, by name.
fn unzip(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut file = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).unwrap();
            (file.name().unwrap().to_string(), bytes)
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn the_diagnostics_bundle_holds_versions_checks_settings_backups_and_logs_and_data_only_when_asked()
{
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    app.set_platform(&PlatformSettings {
        mode: PlatformMode::Remote,
        url: "https://platform.example.cn/api/v1".into(),
        app_key: KEY.into(),
    })
    .unwrap();
    crate::credentials::save(&app.config().data_dir, KEY, SECRET, false).unwrap();
    // A setting named like a secret, as a later build might write.
    app.db()
        .set_setting(
            "platform.extra",
            r#"{"accessToken":"tok-123-abc","url":"x"}"#,
        )
        .unwrap();
    app.backup(None).unwrap();
    std::fs::create_dir_all(dir.path().join("logs")).unwrap();
    std::fs::write(
        dir.path().join("logs/tracedesk.2026-12-07.log"),
        "INFO start\n",
    )
    .unwrap();

    let plain = app.diagnostics(None, false).unwrap();
    assert_contains(&plain.path, "exports");
    assert!(!plain.includes_data);
    let files = unzip(Path::new(&plain.path));
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    for want in [
        "README.txt",
        "versions.json",
        "checks.json",
        "settings.json",
        "backups.json",
        "logs/tracedesk.2026-12-07.log",
    ] {
        assert!(names.contains(&want), "{want} in {names:?}");
    }
    assert!(
        !names.iter().any(|n| n.starts_with("data/")),
        "no data unless asked: {names:?}"
    );
    let get = |name: &str| -> serde_json::Value {
        serde_json::from_slice(&files.iter().find(|(n, _)| n == name).unwrap().1).unwrap()
    };
    assert_eq!(
        get("versions.json")["schemaVersion"],
        store::Db::latest_version()
    );
    assert_eq!(get("checks.json")["integrityOk"], true);
    assert_eq!(get("checks.json")["archive"]["ok"], true);
    assert_eq!(get("settings.json")["platform"]["appKey"], KEY);
    assert_eq!(
        get("settings.json")["platform.extra"]["accessToken"],
        "<removed>"
    );
    assert_eq!(get("backups.json")[0]["kind"], "manual");
    for (name, bytes) in &files {
        assert!(!contains(bytes, SECRET), "{name} holds the secret");
        assert!(!contains(bytes, "tok-123-abc"), "{name} holds the token");
    }
    let with_data = app.diagnostics(None, true).unwrap();
    assert!(with_data.includes_data);

    let out = dir.path().join("elsewhere/bundle.zip");
    let full = app.diagnostics(Some(&out), true).unwrap();
    assert!(full.includes_data);
    let files = unzip(&out);
    let (_, db) = files
        .iter()
        .find(|(n, _)| n == "data/tracedesk.sqlite3")
        .expect("the data, asked for");
    assert!(db.starts_with(b"SQLite format 3\0"));
    let copy = dir.path().join("copy.sqlite3");
    std::fs::write(&copy, db).unwrap();
    let copy = App::open(Config::for_db(&copy)).unwrap();
    assert_eq!(copy.status().unwrap().platform.unwrap().app_key, KEY);
    for (name, bytes) in &files {
        assert!(!contains(bytes, SECRET), "{name} holds the secret");
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("elsewhere"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "the scratch copy is gone: {leftovers:?}"
    );
}

fn logs_text(dir: &Path) -> String {
    let mut text = String::new();
    for entry in std::fs::read_dir(crate::paths::log_dir(dir)).unwrap() {
        text.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    text
}

/// Refuses the secret typed before the App Key, tests the connection with the right and the
/// wrong secret, makes the automatic backup and a bundle with data; returns the bundle's path.
async fn flow(dir: &Path, url: &str) -> String {
    let app = open(dir);
    // The secret typed before the App Key: refused.
    let refused = app.save_platform_secret(SECRET).unwrap_err();
    assert_eq!(refused.code, crate::ErrorCode::InvalidInput);
    app.set_platform(&PlatformSettings {
        mode: PlatformMode::Remote,
        url: url.to_owned(),
        app_key: KEY.into(),
    })
    .unwrap();
    crate::credentials::save(&app.config().data_dir, KEY, SECRET, false).unwrap();
    let ok = app.test_platform(None).await.unwrap();
    assert!(ok.ok, "{ok:?}");
    crate::credentials::save(&app.config().data_dir, KEY, WRONG_SECRET, false).unwrap();
    let bad = app.test_platform(None).await.unwrap();
    assert!(!bad.ok);
    app.auto_backup().unwrap();
    app.diagnostics(None, true).unwrap().path
}

const CHILD_DIR: &str = "TRACEDESK_LOG_TEST_DIR";
const CHILD_URL: &str = "TRACEDESK_LOG_TEST_URL";

/// Run only by [`the_log_records_failures_and_connection_tests_but_never_the_app_secret`], in a
/// process of its own, with the directory and the platform's URL in the environment.
#[tokio::test]
#[ignore = "run as a child process by the log test"]
async fn logged_flow_in_a_child_process() {
    let dir = std::path::PathBuf::from(std::env::var(CHILD_DIR).expect("run by the log test"));
    let url = std::env::var(CHILD_URL).unwrap();
    let subscriber = crate::logging::log_subscriber(&dir).unwrap();
    tracing::subscriber::set_global_default(subscriber).unwrap();
    let bundle = flow(&dir, &url).await;
    std::fs::write(dir.join("bundle-path"), bundle).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_records_failures_and_connection_tests_but_never_the_app_secret() {
    let dir = tempfile::tempdir().unwrap();
    let sim = simulator::start(
        simulator::SimulatorConfig {
            credentials: vec![(KEY.into(), SECRET.into())],
            ..simulator::SimulatorConfig::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let url = format!("http://{}/api/v1", sim.addr);
    // The logged flow runs in a child process of this test binary with the log as its only,
    // global subscriber: in this process the parallel tests race tracing's per-call-site cache
    // of who listens, and an event could be lost for that reason alone.
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "--nocapture"])
        .arg("care::tests::logged_flow_in_a_child_process")
        .env(CHILD_DIR, dir.path())
        .env(CHILD_URL, &url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the child failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let bundle_path = std::fs::read_to_string(dir.path().join("bundle-path")).unwrap();
    sim.shutdown().await;

    let log = logs_text(dir.path());
    assert_contains(&log, "database opened");
    assert!(
        log.contains("code=InvalidInput"),
        "the refusal is logged by its code: {log}"
    );
    assert!(
        log.contains("care/tests.rs") || log.contains("archive.rs"),
        "with where it was raised: {log}"
    );
    assert_contains(&log, "platform connection tested ok=true");
    assert_contains(&log, "outcome=BadSignature");
    assert_contains(&log, "automatic backup made");
    assert_contains(&log, "diagnostics bundle written");
    for secret in [SECRET, WRONG_SECRET] {
        assert!(!log.contains(secret), "the log holds a secret: {log}");
    }
    for (name, bytes) in unzip(Path::new(&bundle_path)) {
        for secret in [SECRET, WRONG_SECRET] {
            assert!(!contains(&bytes, secret), "{name} holds a secret");
        }
    }
}
