//! 设置's care of the data and the connection: backups (into the folder, saved elsewhere,
//! cancelled), the backup status and automatic backup, the database check, diagnostics, About,
//! restore (from the list, refused unless confirmed when the archive or the schema was altered,
//! a missing file), the platform's connection test, and updates as far as the app layer answers
//! them.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use super::Recorder;

/// The save dialog 另存备份 opens (DataCard.tsx), with the UI clock's file name.
fn save_dialog() -> Value {
    json!({ "dialog": { "kind": "backup-save", "title": "另存备份", "filterName": "追溯通数据库",
                        "defaultName": "tracedesk-backup-20250715-0200.sqlite3" } })
}

/// The open dialog of 恢复 (RestoreDialog.tsx).
fn open_dialog() -> Value {
    json!({ "dialog": { "kind": "backup", "title": "选择要恢复的备份文件", "filterName": "追溯通数据库" } })
}

fn renamed() -> Value {
    json!({ "input": { "name": "改名后的公司", "uscc": super::setup::VALID_USCC, "address": "", "contact": "", "phone": "",
                       "licenceNo": "", "productionAddress": "" } })
}

/// Connection tests measure this run: the round trip, the clock difference and the platform's
/// request id are pinned in the recorded answers.
fn pin_connection_tests(r: &mut Recorder) {
    let mut ports = Vec::new();
    for exchange in r.exchanges.iter_mut() {
        if exchange["command"] != "test_platform" {
            continue;
        }
        if let Some(ok) = exchange.get_mut("ok").and_then(Value::as_object_mut) {
            // The built-in practice platform listens on a port of its own choosing.
            if let Some(origin) = ok["url"].as_str().and_then(|u| u.strip_suffix("/api/v1"))
                && origin.starts_with("http://127.0.0.1:")
            {
                ports.push((origin.to_string(), "http://127.0.0.1:8443".to_string()));
            }
            for (key, pinned) in [("roundTripMs", json!(12)), ("clockSkewSecs", json!(0))] {
                if ok.get(key).is_some_and(|v| !v.is_null()) {
                    ok.insert(key.into(), pinned);
                }
            }
            if ok.get("requestId").is_some_and(|v| !v.is_null()) {
                ok.insert("requestId".into(), json!("req-1"));
            }
        }
    }
    r.pinned.extend(ports);
}

/// 设置 on a set-up database with no backup yet: where the data lives, backups, the check,
/// automatic backup, diagnostics and About.
#[test]
fn golden_care_settings() {
    let mut r = Recorder::new();
    r.set_up();
    settings_open(&mut r);
    let made = r.ok("backup_database", json!({ "target": null }));
    assert!(made["path"].as_str().unwrap().contains("backups"), "{made}");
    r.ok("backup_status", Value::Null);
    // 另存为: a file the clerk chooses; then the dialog cancelled.
    let usb = r.dir.path().join("U盘");
    std::fs::create_dir_all(&usb).unwrap();
    r.will_pick(Some(usb.join("追溯通.sqlite3")));
    r.ok("pick_save_file", save_dialog());
    r.ok("backup_database", json!({ "target": "file-1" }));
    r.ok("backup_status", Value::Null);
    r.will_pick(None);
    r.ok("pick_save_file", save_dialog());
    r.ok("db_check", Value::Null);
    let off = r.ok("set_auto_backup", json!({ "enabled": false }));
    assert_eq!(off["autoEnabled"], false);
    r.ok("export_diagnostics", json!({ "includeData": false }));
    r.ok("export_diagnostics", json!({ "includeData": true }));
    r.ok("open_data_folder", json!({ "folder": "exports" }));
    r.ok("open_data_folder", json!({ "folder": "backups" }));
    // 恢复 → 选择文件…: a file that is no longer there.
    r.will_pick(Some(PathBuf::from("/media/usb/missing.sqlite3")));
    r.ok("list_backups", Value::Null);
    r.ok("pick_open_file", open_dialog());
    let missing = r.err(
        "restore_database",
        json!({ "source": "file-2", "force": false }),
    );
    assert!(
        missing.message_zh.contains("missing.sqlite3"),
        "{missing:?}"
    );
    super::submission::pin_sizes(&mut r);
    r.save("care-settings");
}

/// The last backup is 3 days old: the warning when the window opens, gone once the automatic
/// backup at start-up has made today's.
#[test]
fn golden_care_backup_overdue() {
    let mut r = Recorder::new();
    r.set_up();
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]");
    let then = OffsetDateTime::now_utc() - Duration::days(3);
    let name = format!("tracedesk-{}.sqlite3", then.format(&format).unwrap());
    let old = r.dir.path().join("backups").join(name);
    r.app.backup(Some(&old)).expect("an old backup");
    settings_open(&mut r);
    r.save("care-backup-overdue");
}

/// A backup made, the profile renamed, the backup restored from the list.
#[test]
fn golden_care_restore() {
    let mut r = Recorder::new();
    r.set_up();
    restore_flow(r, |_| {}, "care-restore");
}

/// The backup's archive was altered after it was made: refused, then restored when confirmed.
#[test]
fn golden_care_restore_archive_altered() {
    let mut r = Recorder::new();
    r.set_up();
    crate::testkit::archive_one_exchange(&r.app, "2025-07-15T08:00:00.000Z");
    restore_flow(
        r,
        crate::testkit::alter_archive_in_backup,
        "care-restore-archive-altered",
    );
}

/// The backup's schema was altered (a guard trigger dropped, one added): refused naming both,
/// then restored when confirmed.
#[test]
fn golden_care_restore_schema_altered() {
    let mut r = Recorder::new();
    r.set_up();
    restore_flow(
        r,
        |backup| {
            let file = rusqlite::Connection::open(backup).unwrap();
            file.execute_batch(
                "DROP TRIGGER code_event_no_delete;
                 CREATE TRIGGER quiet AFTER INSERT ON product BEGIN SELECT 1; END;",
            )
            .unwrap();
        },
        "care-restore-schema-altered",
    );
}

/// 立即备份, `alter` the file, rename the enterprise, 恢复 the backup from the list (and, when
/// refused, confirm it).
fn restore_flow(mut r: Recorder, alter: impl Fn(&Path), name: &str) {
    settings_open(&mut r);
    let made = r.ok("backup_database", json!({ "target": null }));
    let path = made["path"].as_str().unwrap().to_string();
    alter(Path::new(&path));
    r.ok("backup_status", Value::Null);
    r.ok("save_enterprise", renamed());
    r.ok("list_backups", Value::Null);
    let args = json!({ "path": path, "force": false });
    if r.call("restore_backup", args).is_err() {
        r.ok("restore_backup", json!({ "path": path, "force": true }));
    }
    r.save(name);
}

/// 测试连接 against the built-in practice platform.
#[test]
fn golden_platform_test_practice() {
    let mut r = Recorder::new();
    r.set_up();
    settings_open(&mut r);
    let ok = r.ok("test_platform", json!({ "platform": null }));
    assert_eq!(ok["outcome"], "ok", "{ok}");
    pin_connection_tests(&mut r);
    r.save("platform-test-practice");
}

/// 测试连接 against a real platform (the simulator) with a wrong App Secret, in Chinese and in
/// English.
#[test]
fn golden_platform_test_refused() {
    for (language, name) in [
        ("zh-CN", "platform-test-refused"),
        ("en", "platform-test-refused-en"),
    ] {
        let mut r = Recorder::new();
        r.set_up_remote();
        crate::credentials::save(r.dir.path(), "practice", "not-the-secret", false)
            .expect("secret");
        r.quiet("set_language", json!({ "language": language }));
        settings_open(&mut r);
        let refused = r.ok("test_platform", json!({ "platform": null }));
        assert_eq!(refused["outcome"], "bad-signature", "{refused}");
        pin_connection_tests(&mut r);
        r.save(name);
    }
}

/// 测试连接 with a real platform configured but no App Secret saved for its key.
#[test]
fn golden_platform_test_no_secret() {
    let mut r = Recorder::new();
    r.set_up();
    let remote: crate::PlatformSettings = serde_json::from_value(json!({
        "mode": "remote", "url": "https://platform.example.cn/api/v1", "appKey": "k-unsaved",
    }))
    .unwrap();
    r.app.set_platform(&remote).expect("platform");
    settings_open(&mut r);
    let err = r.err("test_platform", json!({ "platform": null }));
    assert!(err.message_zh.contains("AppSecret") || !err.message_zh.is_empty());
    r.save("platform-test-no-secret");
}

/// What the release server offers in the update scenarios (test data: the release server and the
/// updater plugin are the desktop shell's, see `dispatch::Release`).
fn offer() -> crate::updates::UpdateOffer {
    crate::updates::UpdateOffer {
        current_version: crate::updates::current_version().into(),
        version: "9.0.0".into(),
        date: Some("2025-07-10T08:00:00Z".into()),
        notes: "新增：标签打印机（ZPL/TSPL）\n修复：导入大文件更快".into(),
    }
}

fn settings_open(r: &mut Recorder) {
    r.main_window();
    r.ok("about_info", Value::Null);
    r.ok("backup_status", Value::Null);
    r.ok("credential_status", Value::Null);
    r.ok("check_uscc", json!({ "text": super::setup::VALID_USCC }));
    r.ok("catalogue_versions", Value::Null);
}

/// 软件更新 when the release server offers nothing newer.
#[test]
fn golden_updates_none() {
    let mut r = Recorder::new();
    r.set_up();
    settings_open(&mut r);
    let none = r.ok("check_update", Value::Null);
    assert!(none.is_null());
    r.save("updates-none");
}

/// 软件更新 with a newer release: its notes, the verified download and the install; a package
/// whose signature does not verify; a download while an import file is open.
#[test]
fn golden_updates_offered() {
    for name in ["updates-offered", "updates-tampered", "updates-busy-import"] {
        let mut r = Recorder::new();
        r.set_up();
        r.files.release.offer = Some(offer());
        r.files.release.verifies = name != "updates-tampered";
        if name == "updates-busy-import" {
            let sheet = r.dir.path().join("进货.csv");
            std::fs::write(&sheet, "供应商,物料名称,批号,数量,单位,到货日期\n").unwrap();
            r.app.import_open(&sheet).expect("import open");
        }
        settings_open(&mut r);
        let offered = r.ok("check_update", Value::Null);
        assert_eq!(offered["version"], "9.0.0");
        match name {
            "updates-offered" => {
                let ready = r.ok("download_update", Value::Null);
                assert_eq!(ready["version"], "9.0.0");
                r.ok("install_update", Value::Null);
            }
            "updates-tampered" => {
                let refused = r.err("download_update", Value::Null);
                assert!(refused.message_zh.contains("签名无效"), "{refused:?}");
            }
            _ => {
                let busy = r.err("download_update", Value::Null);
                assert!(busy.message_zh.starts_with("导入尚未结束"), "{busy:?}");
            }
        }
        r.save(name);
    }
}

/// 设置 → 目录与数据: the versions in use, a file with errors (line numbers), a newer CCC
/// catalogue previewed (rows added, removed, changed) and installed, then reverted.
#[test]
fn golden_catalogues() {
    let mut r = Recorder::new();
    r.set_up();
    settings_open(&mut r);
    let shipped =
        codes::ccc::SHIPPED_TEXT.replace("# version: 2026-12-08", "# version: 2027-03-01");
    let bad = r.dir.path().join("ccc_bad.tsv");
    std::fs::write(&bad, format!("{shipped}16AB\t坏代码\n")).unwrap();
    let good = r.dir.path().join("ccc_catalogue.tsv");
    let newer = shipped.replace("0702\t电风扇", "0702\t电风扇（含落地扇）")
        + "1699\t试验用新产品\t16\t电子产品及安全附件\t-\tsource\t-\n";
    std::fs::write(&good, newer).unwrap();
    let dialog = json!({ "dialog": { "kind": "catalogue", "title": "选择目录文件", "filterName": "目录文件" } });
    r.will_pick(Some(bad));
    let picked = r.ok("pick_open_file", dialog.clone());
    r.ok("preview_catalogue", json!({ "source": picked["token"] }));
    r.will_pick(Some(good));
    let picked = r.ok("pick_open_file", dialog);
    r.ok("preview_catalogue", json!({ "source": picked["token"] }));
    r.ok("install_catalogue", json!({ "source": picked["token"] }));
    r.ok("catalogue_versions", Value::Null);
    r.ok("check_code", json!({ "text": "2020011699000001" }));
    r.ok("revert_catalogue", json!({ "name": "ccc_catalogue" }));
    r.ok("catalogue_versions", Value::Null);
    r.save("catalogues");
}
