//! `restore` and `archive verify` of the real binary, on real files: a backup whose archive was
//! altered is refused unless `--force`, and `archive verify` names a record changed after the
//! platform accepted it.

mod common;

use common::{db_in, init_enterprise, json, run_ok, tracedesk};

/// A database whose enterprise record went to the practice platform, so the archive holds one
/// exchange and the outbox one accepted record.
fn submitted(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let db = db_in(dir);
    init_enterprise(
        &db,
        &[
            "--address",
            "宁波市示例路1号",
            "--contact",
            "王丽",
            "--phone",
            "0574-88880000",
        ],
    );
    let summary = run_ok(&db, &["--json", "submit", "--platform", "practice"]);
    assert!(summary["accepted"].as_u64().unwrap() >= 1, "{summary}");
    db
}

#[test]
fn archive_verify_checks_the_accepted_records_and_names_a_changed_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = submitted(&dir);
    let v = run_ok(&db, &["--json", "archive", "verify"]);
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["chain_ok"], true);
    assert!(v["records_checked"].as_i64().unwrap() >= 1, "{v}");

    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER outbox_body_no_update;
         UPDATE outbox_body SET body = replace(body, '宁波', '杭州')
         WHERE outbox_id = (SELECT min(id) FROM outbox WHERE state = 'accepted');",
    )
    .unwrap();
    drop(conn);
    let out = tracedesk(&db, &["archive", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("已接收记录与档案不符"), "{text}");
    assert!(
        text.contains("differs from the record sent in archive entry"),
        "{text}"
    );
    let v = json(&tracedesk(&db, &["--json", "archive", "verify"]));
    assert_eq!(
        (v["ok"].as_bool(), v["chain_ok"].as_bool()),
        (Some(false), Some(true))
    );
    assert!(v["record_first_bad"].as_i64().is_some(), "{v}");
}

#[test]
fn restore_refuses_a_backup_with_an_altered_archive_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let db = submitted(&dir);
    let backup = dir.path().join("saved.sqlite3");
    run_ok(&db, &["--json", "backup", backup.to_str().unwrap()]);
    let file = rusqlite::Connection::open(&backup).unwrap();
    // The trigger is put back afterwards, so the schema matches and only the archive tells.
    let trigger: String = file
        .query_row(
            "SELECT sql FROM sqlite_master WHERE name = 'archive_entry_no_update'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    file.execute_batch(
        "DROP TRIGGER archive_entry_no_update;
         UPDATE archive_entry SET outcome = 'rejected' WHERE id = 2;",
    )
    .unwrap();
    file.execute_batch(&trigger).unwrap();
    drop(file);
    run_ok(
        &db,
        &[
            "--json",
            "init",
            "--name",
            "改过的名称",
            "--uscc",
            "91310115MA1K3BTP2B",
        ],
    );

    let out = tracedesk(&db, &["--json", "restore", backup.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "refused: valid input, wrong state"
    );
    let e = &json(&out)["error"];
    assert_eq!(e["field"], "restore.archive", "{e}");
    let message = e["message"].as_str().unwrap();
    assert!(message.contains("档案第 2 条"), "{message}");
    assert!(message.contains("--force"), "{message}");
    let status = run_ok(&db, &["--json", "db", "check"]);
    assert_eq!(status["ok"], true);

    let out = tracedesk(&db, &["restore", backup.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("仍然恢复"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let r = run_ok(
        &db,
        &["--json", "restore", backup.to_str().unwrap(), "--force"],
    );
    assert_eq!(r["forced"], true);
    assert_eq!(r["archive"]["first_bad"], 2);
    assert_eq!(r["enterprise"]["name"], "宁波示例电器有限公司", "{r}");
    let out = tracedesk(&db, &["restore", backup.to_str().unwrap(), "--force"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("已强制恢复并记入审计日志"), "{text}");
}
