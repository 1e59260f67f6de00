//! Restore through `App`, on real files: codes issued before a restore are never issued again,
//! an altered archive is refused unless confirmed, and a running submission blocks it.

use std::collections::HashSet;
use std::path::Path;

use crate::testkit::{
    LOT, assert_contains, generate_list, item_product, open, restore_audit, set_coding,
};
use crate::{App, CodeEventInput, ErrorCode, SerialMode};

/// Generates `count` codes into `dir/name.csv` and returns them.
fn generate(app: &App, dir: &Path, name: &str, p: i64, b: i64, count: u64) -> Vec<String> {
    generate_list(app, &dir.join(format!("{name}.csv")), p, b, count).1
}

fn serials(codes: &[String]) -> Vec<String> {
    codes
        .iter()
        .map(|c| {
            codes::check(c, codes::YearMonthDay::new(2026, 1, 1).unwrap()).fields["21"].clone()
        })
        .collect()
}

fn assert_all_distinct(lists: &[&[String]]) {
    let mut seen = HashSet::new();
    for list in lists {
        for s in serials(list) {
            assert!(seen.insert(s.clone()), "serial {s} issued twice");
        }
    }
}

#[test]
fn codes_issued_before_a_restore_are_never_issued_again_and_can_still_be_reprinted() {
    for random in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let app = open(dir.path());
        let (p, b) = item_product(&app);
        if random {
            set_coding(&app, p, |c| c.serial_mode = SerialMode::Random).unwrap();
        }
        let first = generate(&app, dir.path(), "first", p, b, 20);
        let backup = app.backup(None).unwrap();
        let after_backup = generate(&app, dir.path(), "after-backup", p, b, 15);

        let result = app.restore(Path::new(&backup.path), false).unwrap();
        assert!(!result.forced);
        assert_eq!(result.carried.allocations, 1, "random {random}: {result:?}");
        assert_eq!(result.carried.serials, 15);
        assert_contains(&result.message_zh, "恢复前已发出的序列号继续保留");
        assert!(result.pre_restore.is_some());

        let after_restore = generate(&app, dir.path(), "after-restore", p, b, 15);
        assert_all_distinct(&[&first, &after_backup, &after_restore]);
        if !random {
            assert_eq!(
                serials(&after_restore)[0],
                "00000036",
                "the series continues after the last serial issued before the restore"
            );
        }
        // A code printed after the backup is still known to the ledger: its reprint is logged
        // against its batch.
        let reprint = app
            .reprint_code(&CodeEventInput {
                code: after_backup[3].clone(),
                reason: "标签破损".into(),
            })
            .unwrap();
        assert_eq!(reprint.lot_no.as_deref(), Some(LOT), "random {random}");
    }
}

/// A data directory whose backup holds an archive that was then altered in the backup file.
fn tampered_backup(dir: &Path) -> (App, std::path::PathBuf) {
    let app = open(dir);
    crate::testkit::archive_one_exchange(&app, "2025-07-16T08:00:00.000Z");
    let backup = dir.join("saved.sqlite3");
    app.backup(Some(&backup)).unwrap();
    crate::testkit::alter_archive_in_backup(&backup);
    (app, backup)
}

#[test]
fn a_backup_with_an_altered_archive_is_refused_unless_the_clerk_confirms() {
    let dir = tempfile::tempdir().unwrap();
    let (app, backup) = tampered_backup(dir.path());
    let (p, b) = item_product(&app);
    generate(&app, dir.path(), "codes", p, b, 5);

    let err = app.restore(&backup, false).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState);
    assert_eq!(err.field.as_deref(), Some("restore.archive"));
    assert_contains(&err.message_zh, "报送档案校验未通过");
    assert_contains(&err.message_zh, "仍然恢复");
    assert_contains(&err.message_en, "--force");
    assert!(
        err.message_en.contains("head says entry 2"),
        "names the first bad entry: {}",
        err.message_en
    );
    let entries = |app: &App| -> i64 {
        app.db()
            .conn()
            .query_row("SELECT count(*) FROM archive_entry", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(entries(&app), 2, "nothing changed");

    let result = app.restore(&backup, true).unwrap();
    assert!(result.forced);
    assert!(!result.archive.ok);
    assert_eq!(result.archive.first_bad, Some(2));
    assert_eq!(
        entries(&app),
        1,
        "the backup's (altered) archive is the live one now"
    );
    assert_contains(&result.message_zh, "已按确认强制恢复");
    let audit = restore_audit(&app);
    assert_contains(&audit, r#""forced":true"#);
    assert_contains(&audit, "head says entry 2");
    // The codes issued before the forced restore are kept even so.
    assert_eq!(result.carried.allocations, 1);
}

#[test]
fn a_restore_is_refused_while_another_app_submits_and_works_once_it_is_done() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    let backup = app.backup(None).unwrap();
    let other = open(dir.path());
    let lease = other.take_lease("submit").unwrap();

    let err = app.restore(Path::new(&backup.path), false).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState);
    assert_eq!(err.field.as_deref(), Some("submission.lease"));
    assert_contains(&err.message_zh, "正在报送");
    assert_contains(&err.message_en, "submitting");
    let backups_before = app.list_backups().unwrap().len();
    assert_eq!(backups_before, 1, "not even a pre-restore copy was made");

    drop(lease);
    let result = app.restore(Path::new(&backup.path), false).unwrap();
    assert!(!result.forced);
    assert_eq!(
        app.submission_lease().unwrap(),
        None,
        "the restore gave its lease back and the backup's is gone"
    );
    // And the other app can submit again.
    drop(other.take_lease("submit").unwrap());
}

#[test]
fn a_backup_with_a_dropped_guard_trigger_is_refused_naming_it_and_restores_when_confirmed() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    let backup = dir.path().join("no-guard.sqlite3");
    app.backup(Some(&backup)).unwrap();
    let file = rusqlite::Connection::open(&backup).unwrap();
    file.execute_batch(
        "DROP TRIGGER code_event_no_delete;
         CREATE TRIGGER quiet AFTER INSERT ON product BEGIN SELECT 1; END;",
    )
    .unwrap();
    drop(file);
    let (p, b) = item_product(&app);
    generate(&app, dir.path(), "codes", p, b, 5);

    let err = app.restore(&backup, false).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState);
    assert_eq!(err.field.as_deref(), Some("restore.schema"));
    let latest = store::Db::latest_version();
    assert_contains(
        &err.message_zh,
        &format!("数据库结构与第 {latest} 版不符，共 2 处"),
    );
    assert_contains(
        &err.message_zh,
        "缺少只追加保护触发器 code_event_no_delete（表 code_event）",
    );
    assert_contains(&err.message_zh, "多出触发器 quiet（表 product）");
    assert_contains(&err.message_zh, "仍然恢复");
    assert_contains(
        &err.message_en,
        "the append-only guard trigger code_event_no_delete (table code_event) is missing",
    );
    assert_contains(&err.message_en, "--force");
    let objects = |app: &App| -> (i64, i64) {
        let conn = app.db();
        let count = |name: &str| {
            conn.conn()
                .query_row(
                    "SELECT count(*) FROM sqlite_master WHERE name = ?1",
                    [name],
                    |r| r.get(0),
                )
                .unwrap()
        };
        (count("code_event_no_delete"), count("quiet"))
    };
    assert_eq!(objects(&app), (1, 0), "nothing changed");

    let result = app.restore(&backup, true).unwrap();
    assert!(result.forced);
    assert!(result.archive.ok);
    assert_eq!(result.schema_version, latest);
    let names: Vec<&str> = result
        .schema_problems
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, ["code_event_no_delete", "quiet"]);
    assert_eq!(objects(&app), (0, 1), "imported as it is, as confirmed");
    assert_contains(&result.message_zh, "数据库结构与第");
    let audit = restore_audit(&app);
    let audit: serde_json::Value = serde_json::from_str(&audit).unwrap();
    assert_eq!(audit["forced"], true);
    assert_eq!(audit["schema"]["ok"], false);
    assert_eq!(audit["schema"]["differences"][1]["name"], "quiet");
    assert_eq!(
        result.carried.allocations, 1,
        "codes issued before stay issued"
    );
}
