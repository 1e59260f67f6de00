//! A restore compares the backup's whole schema with the schema of its version, on real files: a
//! dropped trigger, an extra trigger, an index that lost its uniqueness or an added column is
//! refused with the object named; a forced restore is recorded in the restored audit log; genuine
//! backups of every released version restore.

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde_json::Value;

use super::{FROZEN, fingerprint, live_db, tempdir, write_frozen_db};
use crate::schema::normalise;
use crate::{Change, Db, RestoreOutcome, RestoreRefusal, SchemaDifference};

/// A backup of `db` at `dir/name`, then changed by `sql` in the file itself.
fn altered_backup(db: &Db, dir: &Path, name: &str, sql: &str) -> PathBuf {
    let path = dir.join(name);
    db.backup_to(&path).unwrap();
    let file = Connection::open(&path).unwrap();
    file.execute_batch(sql).unwrap();
    drop(file);
    path
}

fn refused(db: &mut Db, path: &Path) -> RestoreRefusal {
    let before = fingerprint(db);
    match db.restore_from(path).unwrap() {
        RestoreOutcome::Refused(r) => {
            assert_eq!(fingerprint(db), before, "a refused restore changes nothing");
            *r
        }
        RestoreOutcome::Restored(_) => panic!("{} must be refused", path.display()),
    }
}

fn only(refusal: &RestoreRefusal) -> &SchemaDifference {
    assert_eq!(refusal.schema.len(), 1, "{:#?}", refusal.schema);
    assert!(
        refusal.archive.is_none(),
        "the archive is not looked at yet"
    );
    &refusal.schema[0]
}

/// The refusal of restoring, into a live database, its own backup `name` changed by `sql`.
fn refusal_of_backup_changed_by(name: &str, sql: &str) -> RestoreRefusal {
    let dir = tempdir();
    let mut db = live_db(dir.path());
    let path = altered_backup(&db, dir.path(), name, sql);
    refused(&mut db, &path)
}

/// What a difference is about: the change, and the kind, name and table of the object.
fn named(d: &SchemaDifference) -> (&Change, &str, &str, &str) {
    (&d.change, &d.object, &d.name, &d.table)
}

fn index_sql(db: &Db, name: &str) -> String {
    db.conn()
        .query_row(
            "SELECT sql FROM sqlite_master WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn a_backup_without_the_audit_logs_append_only_trigger_is_refused_naming_it() {
    let refusal =
        refusal_of_backup_changed_by("no-guard.sqlite3", "DROP TRIGGER audit_log_no_delete;");
    let d = only(&refusal);
    assert_eq!(
        named(d),
        (
            &Change::Missing,
            "trigger",
            "audit_log_no_delete",
            "audit_log"
        )
    );
    let (zh, en) = d.describe(refusal.schema_version);
    assert_eq!(
        zh,
        "缺少只追加保护触发器 audit_log_no_delete（表 audit_log）"
    );
    assert_eq!(
        en,
        "the append-only guard trigger audit_log_no_delete (table audit_log) is missing"
    );
}

#[test]
fn a_backup_without_an_audit_trigger_is_refused_naming_it() {
    let refusal =
        refusal_of_backup_changed_by("no-audit.sqlite3", "DROP TRIGGER product_audit_update;");
    let (zh, _) = only(&refusal).describe(refusal.schema_version);
    assert_eq!(zh, "缺少审计触发器 product_audit_update（表 product）");
}

#[test]
fn a_backup_with_an_extra_trigger_is_refused_naming_it() {
    let refusal = refusal_of_backup_changed_by(
        "extra.sqlite3",
        "CREATE TRIGGER tidy_up AFTER INSERT ON product BEGIN
             DELETE FROM audit_log WHERE table_name = 'product' AND row_id = NEW.id;
         END;",
    );
    let d = only(&refusal);
    assert_eq!(named(d), (&Change::Extra, "trigger", "tidy_up", "product"));
    assert!(
        d.found
            .as_deref()
            .unwrap()
            .contains("delete from audit_log"),
        "{d:?}"
    );
    let (zh, en) = d.describe(refusal.schema_version);
    let latest = Db::latest_version();
    assert_eq!(
        zh,
        format!("多出触发器 tidy_up（表 product），第 {latest} 版结构中没有")
    );
    assert!(
        en.contains("an extra trigger tidy_up (table product)"),
        "{en}"
    );
}

#[test]
fn a_backup_whose_unique_index_lost_its_uniqueness_is_refused_naming_it() {
    let dir = tempdir();
    let mut db = live_db(dir.path());
    let original = index_sql(&db, "outbox_live_key");
    assert!(original.starts_with("CREATE UNIQUE INDEX"), "{original}");
    let weakened = original.replacen("CREATE UNIQUE INDEX", "CREATE INDEX", 1);
    let path = altered_backup(
        &db,
        dir.path(),
        "index.sqlite3",
        &format!("DROP INDEX outbox_live_key; {weakened};"),
    );
    let refusal = refused(&mut db, &path);
    let d = only(&refusal);
    assert_eq!(
        named(d),
        (&Change::Changed, "index", "outbox_live_key", "outbox")
    );
    assert!(
        d.expected
            .as_deref()
            .unwrap()
            .starts_with("create unique index"),
        "{d:?}"
    );
    assert!(
        d.found.as_deref().unwrap().starts_with("create index"),
        "{d:?}"
    );
    let (zh, en) = d.describe(refusal.schema_version);
    assert!(
        zh.starts_with("索引 outbox_live_key（表 outbox）与第"),
        "{zh}"
    );
    assert!(en.contains("(expected `create unique index"), "{en}");
}

#[test]
fn a_backup_with_an_added_column_is_refused_naming_the_column() {
    let refusal = refusal_of_backup_changed_by(
        "column.sqlite3",
        "ALTER TABLE receipt ADD COLUMN secret TEXT;",
    );
    let d = only(&refusal);
    assert_eq!(
        (&d.change, d.object.as_str(), d.name.as_str()),
        (&Change::Extra, "column", "receipt.secret")
    );
}

#[test]
fn a_trigger_put_back_with_other_spacing_case_and_quotes_is_the_same_trigger() {
    let dir = tempdir();
    let mut db = live_db(dir.path());
    let original = index_sql(&db, "audit_log_no_update");
    let respelled = original
        .replace(
            "CREATE TRIGGER audit_log_no_update",
            "create   trigger \"audit_log_no_update\"",
        )
        .replace('\n', "\n   -- a comment\n  ");
    let path = altered_backup(
        &db,
        dir.path(),
        "respelled.sqlite3",
        &format!("DROP TRIGGER audit_log_no_update; {respelled};"),
    );
    let outcome = db.restore_from(&path).unwrap();
    assert!(
        matches!(outcome, RestoreOutcome::Restored(_)),
        "{outcome:?}"
    );
}

#[test]
fn normalised_sql_keeps_what_matters_and_drops_what_does_not() {
    let cases: &[(&str, &str)] = &[
        ("CREATE TABLE t (a INT)", "create table t(a int)"),
        ("create table \"T\" ( a  int ) ;", "create table t(a int)"),
        ("CREATE TABLE [t] (a INT) -- note", "create table t(a int)"),
        ("CREATE TABLE t (a INT /* x */)", "create table t(a int)"),
        (
            "CHECK (s IN ('Pass', 'it''s'))",
            "check(s in('Pass','it''s'))",
        ),
        ("WHERE a.b = 'X  Y'", "where a.b='X  Y'"),
    ];
    for (sql, want) in cases {
        assert_eq!(normalise(sql), *want, "{sql}");
    }
    assert_ne!(
        normalise("CHECK (s IN ('pass'))"),
        normalise("CHECK (s IN ('PASS'))"),
        "text in quotes is data"
    );
}

#[test]
fn a_forced_restore_past_a_schema_difference_is_recorded_in_the_restored_audit_log() {
    let dir = tempdir();
    let mut db = live_db(dir.path());
    let path = altered_backup(
        &db,
        dir.path(),
        "forced.sqlite3",
        "DROP TRIGGER archive_entry_no_delete;",
    );
    db.save_enterprise(&super::enterprise("恢复前的公司"))
        .unwrap();
    let RestoreOutcome::Restored(report) = db.restore_with(&path, true).unwrap() else {
        panic!("forced");
    };
    assert!(report.forced);
    assert_eq!(report.schema.len(), 1);
    assert!(report.archive.ok);
    assert_eq!(
        db.enterprise().unwrap().unwrap().name,
        "原来的公司",
        "restored"
    );
    let entry: String = db
        .conn()
        .query_row(
            "SELECT new_values FROM audit_log WHERE table_name = 'restore'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let entry: Value = serde_json::from_str(&entry).unwrap();
    assert_eq!(entry["forced"], true);
    assert_eq!(entry["schema"]["ok"], false);
    assert_eq!(entry["schema"]["version"], Db::latest_version());
    let d = &entry["schema"]["differences"][0];
    assert_eq!(d["change"], "missing");
    assert_eq!(d["name"], "archive_entry_no_delete");
    assert_eq!(
        d["reason_zh"],
        "缺少只追加保护触发器 archive_entry_no_delete（表 archive_entry）"
    );
    assert!(
        d["expected"]
            .as_str()
            .unwrap()
            .starts_with("create trigger archive_entry_no_delete")
    );
}

/// A database with only the schema of frozen `version` (its CREATE statements, none of its rows),
/// as a build of that version leaves a fresh file.
fn write_frozen_schema(path: &Path, version: u32) {
    let conn = Connection::open(path).unwrap();
    let sql = super::frozen(version);
    use rusqlite::fallible_iterator::FallibleIterator;
    let mut batch = rusqlite::Batch::new(&conn, sql);
    while let Some(mut stmt) = batch.next().unwrap() {
        // The text starts where the last statement ended, comments included.
        if normalise(&stmt.expanded_sql().unwrap_or_default()).starts_with("create") {
            stmt.raw_execute().unwrap();
        }
    }
    conn.pragma_update(None, "user_version", version).unwrap();
}

#[test]
fn genuine_backups_of_every_released_version_have_the_schema_of_their_version() {
    for &(version, _) in FROZEN {
        let dir = tempdir();
        let mut db = live_db(dir.path());
        let src = dir.path().join(format!("v{version}.sqlite3"));
        write_frozen_db(&src, version);
        // The frozen rows of v6 and later hold an accepted record whose request is not archived,
        // which the archive check rightly reports; the schema must match either way.
        let report = match db.restore_with(&src, true).unwrap() {
            RestoreOutcome::Restored(report) => report,
            RestoreOutcome::Refused(r) => panic!("v{version} refused although forced: {r:#?}"),
        };
        assert_eq!(report.schema_version, version);
        assert!(report.schema.is_empty(), "v{version}: {:#?}", report.schema);
        assert_eq!(report.forced, !report.archive.ok, "v{version}");
        assert_eq!(db.schema_version().unwrap(), Db::latest_version());
    }
}

#[test]
fn a_genuine_v7_backup_restores_without_being_forced() {
    let dir = tempdir();
    let mut db = live_db(dir.path());
    let src = dir.path().join("v7.sqlite3");
    write_frozen_schema(&src, 7);
    let RestoreOutcome::Restored(report) = db.restore_from(&src).unwrap() else {
        panic!("a genuine v7 backup restores");
    };
    assert_eq!(report.schema_version, 7);
    assert!(report.schema.is_empty() && !report.forced, "{report:?}");
    assert_eq!(db.schema_version().unwrap(), Db::latest_version());
    assert_eq!(
        db.enterprise().unwrap(),
        None,
        "the backup's (empty) data is the live data"
    );
}

#[test]
fn an_older_backup_is_held_to_its_own_versions_schema() {
    let dir = tempdir();
    let mut db = live_db(dir.path());
    let src = dir.path().join("v7.sqlite3");
    write_frozen_db(&src, 7);
    let file = Connection::open(&src).unwrap();
    file.execute_batch("DROP TRIGGER serial_allocation_no_delete;")
        .unwrap();
    drop(file);
    let refusal = refused(&mut db, &src);
    assert_eq!(refusal.schema_version, 7);
    let d = only(&refusal);
    assert_eq!(d.name, "serial_allocation_no_delete");
    let (zh, _) = d.describe(7);
    assert!(zh.contains("serial_allocation_no_delete"), "{zh}");
}

#[test]
fn planner_statistics_and_autoincrement_counters_are_not_schema() {
    let dir = tempdir();
    let mut db = live_db(dir.path());
    // The sample data runs ANALYZE; the audit log's AUTOINCREMENT keeps sqlite_sequence.
    let path = altered_backup(&db, dir.path(), "analyzed.sqlite3", "ANALYZE;");
    let file = Connection::open(&path).unwrap();
    let stats: i64 = file
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name IN ('sqlite_stat1', 'sqlite_sequence')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stats, 2);
    drop(file);
    let outcome = db.restore_from(&path).unwrap();
    assert!(
        matches!(outcome, RestoreOutcome::Restored(_)),
        "{outcome:?}"
    );
}
