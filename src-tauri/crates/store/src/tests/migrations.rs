//! Migrations: a fresh database, the frozen schemas, upgrades from them (backed up first), and
//! files that are refused and left untouched.

use super::*;

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
    let (dir, db) = upgraded_from(1);
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
