//! Backup and restore: the round trip, refused targets and sources that change nothing, older
//! and odd backups, and the integrity check.

use super::*;

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
