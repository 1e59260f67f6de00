//! Behaviour tests for the store: migrations and upgrades from frozen schemas, the audit trail,
//! backups and restores, and the schema's own rules. Crash safety lives in `tests/crash.rs`.

mod audit;
mod backup;
mod crash;
mod documents;
mod enterprise;
mod entries;
mod imports;
mod ledger;
mod licence_and_customers;
mod migrations;
mod receipt_codes;
mod restore_schema;
mod schema_rules;
mod submission;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde_json::{Value, json};

use crate::migrate::{MIGRATIONS, REQUIRED_TABLES};
use crate::{AuditEntry, Db, EnterpriseRow, Error};

/// The frozen schema of every released version, oldest first. Adding migration N means adding
/// `test_data/schema_vN.sql` here; `frozen_schemas_match_what_the_migrations_build` insists.
const FROZEN: &[(u32, &str)] = &[
    (1, include_str!("../../test_data/schema_v1.sql")),
    (2, include_str!("../../test_data/schema_v2.sql")),
    (3, include_str!("../../test_data/schema_v3.sql")),
    (4, include_str!("../../test_data/schema_v4.sql")),
    (5, include_str!("../../test_data/schema_v5.sql")),
    (6, include_str!("../../test_data/schema_v6.sql")),
    (7, include_str!("../../test_data/schema_v7.sql")),
    (8, include_str!("../../test_data/schema_v8.sql")),
    (9, include_str!("../../test_data/schema_v9.sql")),
    (10, include_str!("../../test_data/schema_v10.sql")),
    (11, include_str!("../../test_data/schema_v11.sql")),
    (12, include_str!("../../test_data/schema_v12.sql")),
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
        licence_no: "(浙)XK16-204-00123".to_string(),
        production_address: "浙江省杭州市余杭区工厂路 8 号".to_string(),
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

/// A database written with `version`'s frozen schema and rows in a new temp folder, then opened
/// (so upgraded) and checked: at the latest version, its integrity ok. The folder and the
/// database.
fn upgraded_from(version: u32) -> (tempfile::TempDir, Db) {
    let dir = tempdir();
    let path = dir.path().join("tracedesk.sqlite3");
    write_frozen_db(&path, version);
    let db = Db::open(&path).unwrap();
    assert_eq!(db.schema_version().unwrap(), Db::latest_version());
    assert_eq!(db.integrity_check().unwrap(), ["ok"]);
    (dir, db)
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
