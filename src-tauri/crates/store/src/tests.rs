//! Behaviour tests for the store: migrations and upgrades from frozen schemas, the audit trail,
//! backups and restores, and the schema's own rules. Crash safety lives in `tests/crash.rs`.

mod crash;
mod entries;
mod imports;
mod ledger;
mod restore_schema;
mod submission;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde_json::{Value, json};

use crate::migrate::{MIGRATIONS, REQUIRED_TABLES};
use crate::{AuditEntry, Db, EnterpriseRow, Error};

/// The frozen schema of every released version, oldest first. Adding migration N means adding
/// `test_data/schema_vN.sql` here; `frozen_schemas_match_what_the_migrations_build` insists.
const FROZEN: &[(u32, &str)] = &[
    (1, include_str!("../test_data/schema_v1.sql")),
    (2, include_str!("../test_data/schema_v2.sql")),
    (3, include_str!("../test_data/schema_v3.sql")),
    (4, include_str!("../test_data/schema_v4.sql")),
    (5, include_str!("../test_data/schema_v5.sql")),
    (6, include_str!("../test_data/schema_v6.sql")),
    (7, include_str!("../test_data/schema_v7.sql")),
    (8, include_str!("../test_data/schema_v8.sql")),
    (9, include_str!("../test_data/schema_v9.sql")),
];

fn frozen(version: u32) -> &'static str {
    FROZEN
        .iter()
        .find(|(v, _)| *v == version)
        .map(|(_, sql)| *sql)
        .expect("frozen schema exists")
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn enterprise(name: &str) -> EnterpriseRow {
    EnterpriseRow {
        name: name.to_string(),
        uscc: "91330100MA2XXXXXXQ".to_string(),
        address: "浙江省杭州市".to_string(),
        contact: "王丽".to_string(),
        phone: "0571-88880000".to_string(),
        updated_at: "2025-03-01T08:00:00Z".to_string(),
    }
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |row| row.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Writes a database at `path` as an older build left it: the frozen schema and rows of
/// `version`, with `user_version` set to match.
fn write_frozen_db(path: &Path, version: u32) {
    let mut conn = Connection::open(path).unwrap();
    // One transaction, not one fsync per statement: the test is about the result, not the writing.
    let tx = conn.transaction().unwrap();
    tx.execute_batch(frozen(version)).unwrap();
    tx.pragma_update(None, "user_version", version).unwrap();
    tx.commit().unwrap();
    conn.close().unwrap();
}

/// Files in `dir` whose name starts with `prefix`.
fn files_starting_with(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    files.sort();
    files
}

fn open_read_only(path: &Path) -> Connection {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

/// The DDL of every schema object, sorted, as SQLite stores it.
fn schema_of(conn: &Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare(
            "SELECT type || ' ' || name || ': ' || sql FROM sqlite_master
             WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name",
        )
        .unwrap();
    stmt.query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn insert_party(db: &mut Db, name: &str) -> i64 {
    db.write(|tx| {
        tx.execute(
            "INSERT INTO party (kind, name, phone) VALUES ('supplier', ?1, '110')",
            [name],
        )?;
        Ok(tx.last_insert_rowid())
    })
    .unwrap()
}

fn json(text: &Option<String>) -> Value {
    serde_json::from_str(text.as_deref().expect("values present")).expect("valid JSON")
}

// ---------------------------------------------------------------------------------------------
// Migrations

#[test]
fn migrations_validate() {
    MIGRATIONS.validate().unwrap();
}

#[test]
fn fresh_file_database_reaches_latest_version_with_connection_settings() {
    let dir = tempdir();
    let path = dir.path().join("nested/folder/tracedesk.sqlite3");
    let db = Db::open(&path).unwrap();

    assert_eq!(db.schema_version().unwrap(), Db::latest_version());
    assert_eq!(db.path(), Some(path.as_path()));
    assert_eq!(db.integrity_check().unwrap(), ["ok"]);
    let conn = db.conn();
    let pragma = |name: &str| -> String {
        conn.pragma_query_value(None, name, |row| row.get::<_, rusqlite::types::Value>(0))
            .map(|v| match v {
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Text(t) => t,
                other => format!("{other:?}"),
            })
            .unwrap()
    };
    assert_eq!(pragma("journal_mode"), "wal");
    assert_eq!(pragma("foreign_keys"), "1");
    assert_eq!(pragma("busy_timeout"), "5000");
    assert_eq!(pragma("synchronous"), "1", "1 is NORMAL");
    assert!(
        files_starting_with(&dir.path().join("nested/folder/backups"), "").is_empty(),
        "a new database has nothing to back up"
    );
}

#[test]
fn fresh_in_memory_database_reaches_latest_version() {
    let db = Db::open_in_memory().unwrap();
    assert_eq!(db.schema_version().unwrap(), Db::latest_version());
    assert_eq!(db.path(), None);
    for table in REQUIRED_TABLES
        .iter()
        .chain(&["import_mapping", "attachment", "recall_drill"])
    {
        let sql =
            format!("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'");
        assert_eq!(count(db.conn(), &sql), 1, "table {table} exists");
    }
}

#[test]
fn frozen_schemas_match_what_the_migrations_build() {
    assert_eq!(
        FROZEN.iter().map(|(v, _)| *v).collect::<Vec<_>>(),
        (1..=Db::latest_version()).collect::<Vec<_>>(),
        "every schema version needs a frozen test_data/schema_vN.sql"
    );
    for &(version, sql) in FROZEN {
        let mut migrated = Connection::open_in_memory().unwrap();
        MIGRATIONS
            .to_version(&mut migrated, version as usize)
            .unwrap();
        let loaded = Connection::open_in_memory().unwrap();
        loaded.execute_batch(sql).unwrap();
        assert_eq!(
            schema_of(&loaded),
            schema_of(&migrated),
            "schema_v{version}.sql differs from what the migrations build: a shipped migration was \
             edited, or the frozen file was"
        );
    }
}

#[test]
fn upgrade_from_frozen_v1_keeps_rows_and_backs_up_first() {
    let dir = tempdir();
    let path = dir.path().join("tracedesk.sqlite3");
    write_frozen_db(&path, 1);

    let db = Db::open(&path).unwrap();

    assert_eq!(db.schema_version().unwrap(), Db::latest_version());
    assert_eq!(db.integrity_check().unwrap(), ["ok"]);
    assert_eq!(
        db.enterprise().unwrap().unwrap().name,
        "浙江示例燃气具有限公司"
    );
    let conn = db.conn();
    assert_eq!(count(conn, "SELECT count(*) FROM party"), 3);
    assert_eq!(count(conn, "SELECT count(*) FROM batch_input"), 3);
    assert_eq!(count(conn, "SELECT count(*) FROM trace_code"), 3);
    assert_eq!(
        count(conn, "SELECT count(*) FROM import_mapping"),
        0,
        "0002's table exists and is empty"
    );
    let frozen_audit = count(
        conn,
        "SELECT count(*) FROM audit_log WHERE actor = 'wang.li'",
    );
    assert!(
        frozen_audit > 20,
        "the v1 audit trail survives the upgrade, got {frozen_audit}"
    );

    let prefix = format!("pre-migration-v1-to-v{}-", Db::latest_version());
    let backups = files_starting_with(&dir.path().join("backups"), &prefix);
    assert_eq!(
        backups.len(),
        1,
        "exactly one pre-migration backup: {backups:?}"
    );
    let name = backups[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let stamp = name
        .trim_start_matches(&prefix)
        .trim_end_matches(".sqlite3");
    assert!(
        stamp.len() == 15
            && stamp.as_bytes()[8] == b'T'
            && stamp.replace('T', "").bytes().all(|b| b.is_ascii_digit()),
        "stamp is YYYYMMDDTHHMMSS, got {stamp}"
    );
    let backup = open_read_only(&backups[0]);
    assert_eq!(
        count(&backup, "PRAGMA user_version"),
        1,
        "the backup is the database before migrating"
    );
    assert_eq!(count(&backup, "SELECT count(*) FROM party"), 3);
    assert_eq!(
        count(
            &backup,
            "SELECT count(*) FROM sqlite_master WHERE name = 'import_mapping'"
        ),
        0
    );
    assert_eq!(
        backup
            .query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))
            .unwrap(),
        "ok"
    );
}

#[test]
fn reopening_a_current_database_makes_no_backup() {
    let dir = tempdir();
    let path = dir.path().join("tracedesk.sqlite3");
    Db::open(&path)
        .unwrap()
        .save_enterprise(&enterprise("甲"))
        .unwrap();
    let db = Db::open(&path).unwrap();
    assert_eq!(db.enterprise().unwrap().unwrap().name, "甲");
    assert!(files_starting_with(&dir.path().join("backups"), "").is_empty());
}

#[test]
fn newer_schema_is_refused_and_left_untouched() {
    let dir = tempdir();
    let path = dir.path().join("tracedesk.sqlite3");
    write_frozen_db(&path, 2);
    let newer = Db::latest_version() + 1;
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", newer)
        .unwrap();
    let before = std::fs::read(&path).unwrap();

    let err = Db::open(&path).unwrap_err();

    assert!(
        matches!(err, Error::NewerSchema { found, supported } if (found, supported) == (newer, newer - 1)),
        "got {err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!(
            "database schema version {newer} is newer than this build supports ({})",
            Db::latest_version()
        )
    );
    assert!(
        std::fs::read(&path).unwrap() == before,
        "the newer database is not modified, not even switched to WAL"
    );
    assert!(files_starting_with(&dir.path().join("backups"), "").is_empty());
}

#[test]
fn non_sqlite_file_is_refused_and_left_untouched() {
    let dir = tempdir();
    let path = dir.path().join("notes.sqlite3");
    std::fs::write(&path, "供应商,批号\n宁波示例阀门,V1\n").unwrap();

    let err = Db::open(&path).unwrap_err();

    assert!(
        matches!(&err, Error::NotADatabase { reason, .. } if reason.ends_with("not an SQLite database"))
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "供应商,批号\n宁波示例阀门,V1\n"
    );
}

#[test]
fn sqlite_database_of_another_program_is_refused_and_left_untouched() {
    let dir = tempdir();
    let path = dir.path().join("other.sqlite3");
    Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x');")
        .unwrap();
    let before = std::fs::read(&path).unwrap();

    let err = Db::open(&path).unwrap_err();

    assert!(
        matches!(&err, Error::NotADatabase { reason, .. } if reason.contains("another program")),
        "got {err:?}"
    );
    assert!(
        std::fs::read(&path).unwrap() == before,
        "another program's database is not modified"
    );
}

#[test]
fn db_and_error_can_cross_threads() {
    // The app keeps the Db in a Mutex shared across Tauri's threads, and callers box errors.
    fn assert_send<T: Send>() {}
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send::<Db>();
    assert_send_sync::<Error>();
}

// ---------------------------------------------------------------------------------------------
// Audit trail

#[test]
fn insert_records_new_values_with_actor() {
    let mut db = Db::open_in_memory().unwrap();
    db.set_actor("li.na").unwrap();
    let id = insert_party(&mut db, "宁波示例阀门有限公司");

    let [entry]: [AuditEntry; 1] = db.audit_log(1).unwrap().try_into().unwrap();
    assert_eq!(
        (
            entry.actor.as_str(),
            entry.table_name.as_str(),
            entry.row_id
        ),
        ("li.na", "party", id)
    );
    assert_eq!(entry.action, "insert");
    assert_eq!(entry.old_values, None);
    let new = json(&entry.new_values);
    assert_eq!(new["name"], "宁波示例阀门有限公司");
    assert_eq!(
        new["uscc"],
        Value::Null,
        "NULL columns are recorded as JSON null"
    );
    assert!(
        entry.at.ends_with('Z') && entry.at.len() == "2025-03-01T08:00:00.123Z".len(),
        "at = {}",
        entry.at
    );
}

#[test]
fn update_records_old_and_new_values_with_actor() {
    let mut db = Db::open_in_memory().unwrap();
    db.set_actor("li.na").unwrap();
    let id = insert_party(&mut db, "宁波示例阀门有限公司");
    db.set_actor("zhao.qiang").unwrap();

    db.write(|tx| {
        Ok(tx.execute(
            "UPDATE party SET phone = '0574-66660000' WHERE id = ?1",
            [id],
        )?)
    })
    .unwrap();

    let [entry]: [AuditEntry; 1] = db.audit_log(1).unwrap().try_into().unwrap();
    assert_eq!(entry.action, "update");
    assert_eq!(
        entry.actor, "zhao.qiang",
        "the actor at the time of the update, not of the insert"
    );
    assert_eq!(entry.row_id, id);
    let (old, new) = (json(&entry.old_values), json(&entry.new_values));
    assert_eq!(old["phone"], "110");
    assert_eq!(new["phone"], "0574-66660000");
    assert_eq!(
        old["name"], new["name"],
        "unchanged columns are recorded too"
    );
}

#[test]
fn delete_records_old_values() {
    let mut db = Db::open_in_memory().unwrap();
    let id = insert_party(&mut db, "宁波示例阀门有限公司");
    db.write(|tx| Ok(tx.execute("DELETE FROM party WHERE id = ?1", [id])?))
        .unwrap();

    let [entry]: [AuditEntry; 1] = db.audit_log(1).unwrap().try_into().unwrap();
    assert_eq!(
        (entry.action.as_str(), entry.actor.as_str()),
        ("delete", "system")
    );
    assert_eq!(json(&entry.old_values)["name"], "宁波示例阀门有限公司");
    assert_eq!(entry.new_values, None);
}

#[test]
fn raw_connection_writes_are_audited_too() {
    let mut db = Db::open_in_memory().unwrap();
    db.set_actor("admin").unwrap();
    db.conn_mut()
        .execute("INSERT INTO setting (key, value) VALUES ('k', 'v')", [])
        .unwrap();
    let entry = &db.audit_log(1).unwrap()[0];
    assert_eq!(
        (entry.table_name.as_str(), entry.actor.as_str()),
        ("setting", "admin")
    );
    assert_eq!(
        json(&entry.new_values),
        json!({"key": "k", "value": "v", "updated_at": json(&entry.new_values)["updated_at"]})
    );
}

#[test]
fn every_business_table_has_audit_triggers_covering_every_column() {
    let db = Db::open_in_memory().unwrap();
    let conn = db.conn();
    let mut stmt = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
             AND name NOT IN ('audit_log', 'audit_context', 'outbox', 'outbox_body', 'submission_attempt',
                              'archive_entry', 'archive_head', 'outbox_source_change', 'run_lease')
             ORDER BY name",
        )
        .unwrap();
    let tables: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    // 14 through 0003, 5 from 0004 (coding ledger), 2 from 0005 (import runs), 1 from 0009
    // (series keys). 0006's outbox, attempts and archive (and 0007's outbox bodies) are left out
    // above: the hash-chained archive is the evidence itself. 0008's source-change marks and run
    // lease are the submission machinery's bookkeeping, written without audit triggers.
    assert_eq!(tables.len(), 22, "{tables:?}");
    for table in &tables {
        let mut cols = conn
            .prepare("SELECT name FROM pragma_table_info(?1)")
            .unwrap();
        let columns: Vec<String> = cols
            .query_map([table], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for (action, sides) in [
            ("insert", &["NEW"][..]),
            ("update", &["OLD", "NEW"][..]),
            ("delete", &["OLD"][..]),
        ] {
            let trigger = format!("{table}_audit_{action}");
            let sql: String = conn
                .query_row(
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
                    [&trigger],
                    |r| r.get(0),
                )
                .unwrap_or_else(|_| panic!("trigger {trigger} is missing"));
            for side in sides {
                // A series key is a secret: its audit rows name the series, never the key.
                for column in columns
                    .iter()
                    .filter(|c| !(table == "serial_series_key" && *c == "key"))
                {
                    assert!(
                        sql.contains(&format!("'{column}', {side}.{column}")),
                        "{trigger} does not record {side}.{column}; recreate the table's triggers when adding a column"
                    );
                }
            }
        }
    }
}

#[test]
fn audit_log_is_append_only() {
    let mut db = Db::open_in_memory().unwrap();
    insert_party(&mut db, "甲");
    let conn = db.conn();
    for sql in [
        "UPDATE audit_log SET actor = 'someone else'",
        "DELETE FROM audit_log",
    ] {
        let err = conn.execute(sql, []).unwrap_err();
        assert!(
            err.to_string().contains("audit_log is append-only"),
            "{sql}: {err}"
        );
    }
}

#[test]
fn actor_defaults_to_system_and_is_reset_on_open() {
    let dir = tempdir();
    let path = dir.path().join("tracedesk.sqlite3");
    {
        let mut db = Db::open(&path).unwrap();
        assert_eq!(db.actor(), "system");
        db.set_actor("li.na").unwrap();
        db.set_setting("a", "1").unwrap();
    }
    let mut db = Db::open(&path).unwrap();
    db.set_setting("b", "2").unwrap();
    let actors: Vec<String> = db
        .audit_log(2)
        .unwrap()
        .into_iter()
        .map(|e| e.actor)
        .collect();
    assert_eq!(
        actors,
        ["system", "li.na"],
        "a new session does not inherit the last session's actor"
    );
}

#[test]
fn write_reasserts_this_connections_actor() {
    let dir = tempdir();
    let path = dir.path().join("tracedesk.sqlite3");
    let mut mine = Db::open(&path).unwrap();
    mine.set_actor("li.na").unwrap();
    // Another process names its own actor in the shared table.
    let mut other = Db::open(&path).unwrap();
    other.set_actor("cli-admin").unwrap();

    mine.set_setting("k", "v").unwrap();

    assert_eq!(mine.audit_log(1).unwrap()[0].actor, "li.na");
}

#[test]
fn audit_log_is_newest_first_and_limited() {
    let mut db = Db::open_in_memory().unwrap();
    for name in ["甲", "乙", "丙"] {
        insert_party(&mut db, name);
    }
    let entries = db.audit_log(2).unwrap();
    let names: Vec<Value> = entries
        .iter()
        .map(|e| json(&e.new_values)["name"].clone())
        .collect();
    assert_eq!(names, [json!("丙"), json!("乙")]);
    assert!(entries[0].id > entries[1].id);
}

// ---------------------------------------------------------------------------------------------
// Enterprise and settings

#[test]
fn enterprise_is_none_until_saved_then_replaced_in_place() {
    let mut db = Db::open_in_memory().unwrap();
    assert_eq!(db.enterprise().unwrap(), None);

    db.save_enterprise(&enterprise("甲公司")).unwrap();
    let created: String = db
        .conn()
        .query_row("SELECT created_at FROM enterprise", [], |r| r.get(0))
        .unwrap();
    let changed = EnterpriseRow {
        phone: "0571-1".into(),
        updated_at: "2025-04-01T00:00:00Z".into(),
        ..enterprise("乙公司")
    };
    db.save_enterprise(&changed).unwrap();

    assert_eq!(db.enterprise().unwrap(), Some(changed));
    assert_eq!(count(db.conn(), "SELECT count(*) FROM enterprise"), 1);
    let created_after: String = db
        .conn()
        .query_row("SELECT created_at FROM enterprise", [], |r| r.get(0))
        .unwrap();
    assert_eq!(created_after, created, "created_at is kept on update");
    let actions: Vec<String> = db
        .audit_log(10)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        ["update", "insert"],
        "an upsert is audited as what it did"
    );
}

#[test]
fn save_enterprise_stamps_the_time_when_none_is_given() {
    let mut db = Db::open_in_memory().unwrap();
    db.save_enterprise(&EnterpriseRow {
        updated_at: String::new(),
        ..enterprise("甲公司")
    })
    .unwrap();
    let saved = db.enterprise().unwrap().unwrap().updated_at;
    assert!(
        saved.starts_with("20") && saved.ends_with('Z'),
        "got {saved:?}"
    );
}

#[test]
fn settings_round_trip_and_overwrite() {
    let mut db = Db::open_in_memory().unwrap();
    assert_eq!(db.setting("ui.language").unwrap(), None);
    db.set_setting("ui.language", "\"zh-CN\"").unwrap();
    db.set_setting("ui.language", "\"en\"").unwrap();
    assert_eq!(
        db.setting("ui.language").unwrap().as_deref(),
        Some("\"en\"")
    );
    assert!(db.delete_setting("ui.language").unwrap());
    assert!(!db.delete_setting("ui.language").unwrap());
    assert_eq!(db.setting("ui.language").unwrap(), None);
}

// ---------------------------------------------------------------------------------------------
// The schema's own rules

/// A database with the frozen v2 sample rows (a product, batches, items, shipments, codes).
fn sample_db() -> Db {
    let db = Db::open_in_memory().unwrap();
    // The frozen file's DDL already ran (as migrations); replay only its rows.
    let sql = frozen(2);
    db.conn()
        .execute_batch(
            &sql[sql.find("\n-- Representative data").unwrap()..].replace(
                "INSERT INTO audit_context (id, actor) VALUES (1, 'system');",
                "",
            ),
        )
        .unwrap();
    db
}

#[test]
fn schema_refuses_inconsistent_trace_data() {
    let db = sample_db();
    let refused = [
        (
            "quantity must be positive",
            "UPDATE receipt SET quantity = 0 WHERE id = 1",
        ),
        (
            "dates must exist",
            "UPDATE receipt SET received_on = '2025-02-30' WHERE id = 1",
        ),
        (
            "dates are YYYY-MM-DD",
            "UPDATE batch SET produced_on = '2025/03/05' WHERE id = 1",
        ),
        (
            "result is pass, fail or pending",
            "UPDATE batch SET inspection_result = 'ok' WHERE id = 1",
        ),
        (
            "one lot number per product",
            "INSERT INTO batch (product_id, lot_no, produced_on, quantity, unit) VALUES (1, '20250305A', '2025-03-06', 1, '台')",
        ),
        (
            "a GTIN is digits",
            "UPDATE product SET gtin = '0690123456789X' WHERE id = 1",
        ),
        (
            "an item code names the item's own batch",
            "INSERT INTO trace_code (code, scheme, granularity, product_id, batch_id, item_id) VALUES ('X1', 'gs1', 'item', 2, 2, 1)",
        ),
        (
            "a batch code names the batch's own product",
            "INSERT INTO trace_code (code, scheme, granularity, product_id, batch_id) VALUES ('X2', 'ecode', 'batch', 2, 1)",
        ),
        (
            "a batch code has a batch",
            "INSERT INTO trace_code (code, scheme, granularity, product_id) VALUES ('X3', 'gs1', 'batch', 1)",
        ),
        (
            "a shipped item belongs to the shipped batch",
            "INSERT INTO shipment_line (shipment_id, batch_id, item_id, quantity) VALUES (1, 2, 1, 1)",
        ),
        (
            "a consumed lot cannot be deleted",
            "DELETE FROM receipt WHERE id = 1",
        ),
        (
            "a batch with items cannot be deleted",
            "DELETE FROM batch WHERE id = 1",
        ),
        (
            "the enterprise row is id 1",
            "INSERT INTO enterprise (id, name, uscc) VALUES (2, 'x', 'y')",
        ),
        (
            "an attachment has exactly one owner",
            "INSERT INTO attachment (product_id, receipt_id, file_name, sha256, size_bytes) VALUES (1, 1, 'a.pdf', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 0)",
        ),
    ];
    for (rule, sql) in refused {
        assert!(
            db.conn().execute(sql, []).is_err(),
            "{rule}: {sql} should be refused"
        );
    }
    assert_eq!(db.integrity_check().unwrap(), ["ok"]);
}

#[test]
fn deleting_a_shipment_takes_its_lines_and_audits_them() {
    let mut db = sample_db();
    db.write(|tx| Ok(tx.execute("DELETE FROM shipment WHERE id = 1", [])?))
        .unwrap();
    assert_eq!(count(db.conn(), "SELECT count(*) FROM shipment_line"), 0);
    let deleted = count(
        db.conn(),
        "SELECT count(*) FROM audit_log WHERE table_name = 'shipment_line' AND action = 'delete'",
    );
    assert_eq!(deleted, 2, "cascaded deletes are audited like any other");
}

#[test]
fn trace_queries_in_both_directions_use_indexes() {
    let db = sample_db();
    let plan = |sql: &str| -> String {
        let mut stmt = db
            .conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        let rows = stmt.query_map([], |r| r.get::<_, String>(3)).unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join(" | ")
    };
    let cases = [
        // Backward: from a product batch to the lots that went into it.
        (
            "SELECT receipt_id FROM batch_input WHERE batch_id = 1",
            "sqlite_autoindex_batch_input_1",
        ),
        (
            "SELECT id FROM batch WHERE lot_no = '20250305A'",
            "batch_by_lot_no",
        ),
        (
            "SELECT id FROM trace_code WHERE code = 'x'",
            "sqlite_autoindex_trace_code_1",
        ),
        // Forward (recall): from a supplier lot to batches, shipments and customers.
        (
            "SELECT id FROM receipt WHERE supplier_lot = 'V2503-01'",
            "receipt_by_supplier_lot",
        ),
        (
            "SELECT batch_id FROM batch_input WHERE receipt_id = 1",
            "batch_input_by_receipt",
        ),
        (
            "SELECT shipment_id FROM shipment_line WHERE batch_id = 1",
            "shipment_line_by_batch",
        ),
        (
            "SELECT id FROM trace_code WHERE batch_id = 1",
            "trace_code_by_batch",
        ),
        (
            "SELECT id FROM item WHERE batch_id = 1",
            "sqlite_autoindex_item_1",
        ),
    ];
    for (sql, index) in cases {
        let plan = plan(sql);
        assert!(
            plan.contains(index),
            "{sql} should use {index}, plan: {plan}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Backup and restore

/// What a test compares to tell whether the live database changed.
fn fingerprint(db: &Db) -> (Option<EnterpriseRow>, i64, u32) {
    (
        db.enterprise().unwrap(),
        count(db.conn(), "SELECT count(*) FROM audit_log"),
        db.schema_version().unwrap(),
    )
}

fn live_db(dir: &Path) -> Db {
    let mut db = Db::open(&dir.join("data/tracedesk.sqlite3")).unwrap();
    db.save_enterprise(&enterprise("原来的公司")).unwrap();
    db
}

#[test]
fn backup_restore_round_trip_brings_back_the_original() {
    let dir = tempdir();
    let mut db = live_db(dir.path());
    let dest = dir.path().join("usb/tracedesk-backup.sqlite3");

    let bytes = db.backup_to(&dest).unwrap();
    assert_eq!(bytes, std::fs::metadata(&dest).unwrap().len());
    assert!(bytes > 0);
    let copy = open_read_only(&dest);
    assert_eq!(
        copy.query_row("PRAGMA journal_mode", [], |r| r.get::<_, String>(0))
            .unwrap(),
        "delete",
        "a backup is one self-contained file"
    );
    drop(copy);
    assert!(
        files_starting_with(&dir.path().join("usb"), ".").is_empty(),
        "no temporary files are left behind"
    );

    db.save_enterprise(&enterprise("改过的公司")).unwrap();
    db.restore_from(&dest).unwrap();

    assert_eq!(db.enterprise().unwrap().unwrap().name, "原来的公司");
    assert_eq!(db.integrity_check().unwrap(), ["ok"]);
    let backups = dir.path().join("data/backups");
    let pre_restore = files_starting_with(&backups, "pre-restore-");
    assert_eq!(
        pre_restore.len(),
        1,
        "the replaced data is kept: {pre_restore:?}"
    );
    assert_eq!(
        open_read_only(&pre_restore[0])
            .query_row("SELECT name FROM enterprise", [], |r| r.get::<_, String>(0))
            .unwrap(),
        "改过的公司"
    );
    assert!(
        files_starting_with(&backups, ".").is_empty(),
        "the scratch copy is removed"
    );

    // The restored database is fully usable, audit actor included, and survives a reopen.
    db.set_actor("li.na").unwrap();
    db.set_setting("after.restore", "1").unwrap();
    assert_eq!(db.audit_log(1).unwrap()[0].actor, "li.na");
    drop(db);
    let reopened = Db::open(&dir.path().join("data/tracedesk.sqlite3")).unwrap();
    assert_eq!(
        reopened.setting("after.restore").unwrap().as_deref(),
        Some("1")
    );
    assert_eq!(
        reopened
            .conn()
            .query_row("PRAGMA journal_mode", [], |r| r.get::<_, String>(0))
            .unwrap(),
        "wal"
    );
}

#[test]
fn backup_onto_the_live_file_is_refused() {
    let dir = tempdir();
    let db = live_db(dir.path());
    let err = db
        .backup_to(&dir.path().join("data/../data/tracedesk.sqlite3"))
        .unwrap_err();
    assert!(matches!(err, Error::BackupOntoLive { .. }), "got {err:?}");
    assert_eq!(db.integrity_check().unwrap(), ["ok"]);
}

#[test]
fn two_backups_in_the_same_second_do_not_overwrite_each_other() {
    let dir = tempdir();
    let first = crate::db_copy::unique_path(dir.path(), "pre-restore-20250101T000000.sqlite3");
    std::fs::write(&first, "x").unwrap();
    let second = crate::db_copy::unique_path(dir.path(), "pre-restore-20250101T000000.sqlite3");
    assert_eq!(
        second.file_name().unwrap(),
        "pre-restore-20250101T000000-2.sqlite3"
    );
}

/// Where `table`'s root page starts in the database file at `path`.
fn page_offset(path: &Path, table: &str) -> usize {
    let conn = open_read_only(path);
    let page_size = count(&conn, "PRAGMA page_size");
    let sql =
        format!("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = '{table}'");
    usize::try_from((count(&conn, &sql) - 1) * page_size).unwrap()
}

/// Restoring `src` must fail with `NotADatabase` and leave the live database as it was.
#[track_caller]
fn check_restore_refused(src: &Path, reason_contains: &str) {
    let dir = tempdir();
    let mut db = live_db(dir.path());
    let before = fingerprint(&db);

    let err = db.restore_from(src).unwrap_err();

    match &err {
        Error::NotADatabase { path, reason } => {
            assert_eq!(path, src);
            assert!(
                reason.contains(reason_contains),
                "reason {reason:?} should mention {reason_contains:?}"
            );
        }
        other => panic!("expected NotADatabase, got {other:?}"),
    }
    assert_eq!(
        fingerprint(&db),
        before,
        "a refused restore changes nothing"
    );
    assert_eq!(db.integrity_check().unwrap(), ["ok"]);
    let backups = dir.path().join("data/backups");
    assert!(
        files_starting_with(&backups, "").is_empty(),
        "nothing is written before the checks pass"
    );
}

#[test]
fn restore_refuses_a_non_database_file_and_changes_nothing() {
    let dir = tempdir();
    let src = dir.path().join("report.pdf");
    std::fs::write(
        &src,
        b"%PDF-1.7 not a database at all, but long enough to have a header",
    )
    .unwrap();
    check_restore_refused(&src, "not an SQLite database");
}

#[test]
fn restore_refuses_an_empty_file_and_changes_nothing() {
    let dir = tempdir();
    let src = dir.path().join("empty.sqlite3");
    std::fs::write(&src, b"").unwrap();
    check_restore_refused(&src, "empty");
}

#[test]
fn restore_refuses_an_sqlite_file_without_our_tables_and_changes_nothing() {
    let dir = tempdir();
    let src = dir.path().join("other.sqlite3");
    let conn = Connection::open(&src).unwrap();
    conn.execute_batch("CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x');")
        .unwrap();
    drop(conn);
    check_restore_refused(&src, "schema version 0");

    // Claiming a version is not enough either: the tables must be there.
    Connection::open(&src)
        .unwrap()
        .pragma_update(None, "user_version", 1)
        .unwrap();
    check_restore_refused(&src, "tracedesk tables");
}

#[test]
fn restore_refuses_a_damaged_backup_and_changes_nothing() {
    let dir = tempdir();
    let good = dir.path().join("good.sqlite3");
    let mut source = live_db(&dir.path().join("other"));
    for n in 0..200 {
        insert_party(&mut source, &format!("供应商{n}"));
    }
    source.backup_to(&good).unwrap();
    let bytes = std::fs::read(&good).unwrap();
    // Two kinds of damage, each aimed at a table's root page, which is always a B-tree page
    // whatever later migrations add. Garbage over party's page header makes SQLite fail to read
    // the page at all ("malformed"). Zeroing audit_log's cell-content offset (header bytes 5-6)
    // is subtler: everything still reads, and only the integrity check notices.
    for (name, offset, garbage, expect) in [
        (
            "schema.sqlite3",
            page_offset(&good, "party"),
            &[0xA5; 8][..],
            "malformed",
        ),
        (
            "rows.sqlite3",
            page_offset(&good, "audit_log") + 5,
            &[0, 0][..],
            "integrity check",
        ),
    ] {
        let mut damaged = bytes.clone();
        damaged[offset..offset + garbage.len()].copy_from_slice(garbage);
        let src = dir.path().join(name);
        std::fs::write(&src, damaged).unwrap();
        check_restore_refused(&src, expect);
    }
}

#[test]
fn restore_refuses_a_backup_from_a_newer_build() {
    let dir = tempdir();
    let src = dir.path().join("newer.sqlite3");
    write_frozen_db(&src, 2);
    Connection::open(&src)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let mut db = live_db(dir.path());
    let before = fingerprint(&db);

    let err = db.restore_from(&src).unwrap_err();

    assert!(
        matches!(err, Error::NewerSchema { found: 99, .. }),
        "got {err:?}"
    );
    assert_eq!(fingerprint(&db), before);
}

#[test]
fn restore_of_a_v1_backup_migrates_it() {
    let dir = tempdir();
    let src = dir.path().join("old-backup.sqlite3");
    write_frozen_db(&src, 1);
    let src_bytes = std::fs::read(&src).unwrap();
    let mut db = live_db(dir.path());

    db.restore_from(&src).unwrap();

    assert_eq!(db.schema_version().unwrap(), Db::latest_version());
    assert_eq!(
        db.enterprise().unwrap().unwrap().name,
        "浙江示例燃气具有限公司"
    );
    assert_eq!(count(db.conn(), "SELECT count(*) FROM import_mapping"), 0);
    assert_eq!(
        std::fs::read(&src).unwrap(),
        src_bytes,
        "the backup being restored is only read"
    );
}

#[test]
fn restore_accepts_a_backup_with_another_page_size() {
    let dir = tempdir();
    let src = dir.path().join("small-pages.sqlite3");
    let mut conn = Connection::open(&src).unwrap();
    conn.pragma_update(None, "page_size", 1024).unwrap();
    MIGRATIONS.to_latest(&mut conn).unwrap();
    conn.execute(
        "INSERT INTO enterprise (id, name, uscc) VALUES (1, '小页公司', 'x')",
        [],
    )
    .unwrap();
    drop(conn);
    let mut db = live_db(dir.path());

    db.restore_from(&src).unwrap();

    assert_eq!(db.enterprise().unwrap().unwrap().name, "小页公司");
    assert_eq!(count(db.conn(), "PRAGMA page_size"), 4096);
    assert_eq!(db.integrity_check().unwrap(), ["ok"]);
}

#[test]
fn in_memory_database_backs_up_and_restores() {
    let dir = tempdir();
    let mut db = Db::open_in_memory().unwrap();
    db.save_enterprise(&enterprise("内存公司")).unwrap();
    let dest = dir.path().join("mem.sqlite3");
    db.backup_to(&dest).unwrap();
    db.save_enterprise(&enterprise("别的公司")).unwrap();

    db.restore_from(&dest).unwrap();

    assert_eq!(db.enterprise().unwrap().unwrap().name, "内存公司");
}

#[test]
fn integrity_check_reports_damage_instead_of_failing() {
    let dir = tempdir();
    let path = dir.path().join("damaged.sqlite3");
    let mut db = live_db(&dir.path().join("other"));
    for n in 0..200 {
        insert_party(&mut db, &format!("供应商{n}"));
    }
    db.backup_to(&path).unwrap();
    // Garbage over the header of party's root page: reading it fails outright.
    let mut bytes = std::fs::read(&path).unwrap();
    let at = page_offset(&path, "party");
    bytes[at..at + 8].fill(0xA5);
    std::fs::write(&path, bytes).unwrap();
    let damaged = Db {
        conn: Connection::open(&path).unwrap(),
        path: Some(path),
        actor: crate::DEFAULT_ACTOR.to_string(),
    };

    let problems = damaged
        .integrity_check()
        .expect("damage is a finding, not an error");

    assert_ne!(problems, ["ok"]);
    assert!(problems[0].contains("malformed"), "{problems:?}");
}

#[test]
fn integrity_check_reports_foreign_key_violations() {
    let db = sample_db();
    db.conn()
        .pragma_update(None, "foreign_keys", false)
        .unwrap();
    db.conn()
        .execute(
            "INSERT INTO batch_input (batch_id, receipt_id) VALUES (1, 999)",
            [],
        )
        .unwrap();
    let problems = db.integrity_check().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("foreign key violation: batch_input row"),
        "{problems:?}"
    );
}
