//! Restores that carry the serial ledger forward, refuse an altered archive, and drop the
//! backup's lease: real files, real SQLite.

use std::path::Path;

use rusqlite::{Connection, params};

use super::{RestoreOutcome, RestoreReport};
use crate::ledger::{self, NewAllocation};
use crate::{Db, lease};

const GTIN: &str = "gtin:06901234567892";

fn product(db: &mut Db, name: &str, gtin: Option<&str>) -> i64 {
    db.write(|tx| {
        tx.execute(
            "INSERT INTO product (name, model, gtin, scheme, granularity) VALUES (?1, 'M1', ?2, 'gs1', 'item')",
            params![name, gtin],
        )?;
        Ok(tx.last_insert_rowid())
    })
    .unwrap()
}

fn batch(db: &mut Db, product_id: i64, lot: &str) -> i64 {
    db.write(|tx| {
        tx.execute(
            "INSERT INTO batch (product_id, lot_no, produced_on, quantity, unit) VALUES (?1, ?2, '2025-07-15', 10, '台')",
            params![product_id, lot],
        )?;
        Ok(tx.last_insert_rowid())
    })
    .unwrap()
}

/// Issues `count` sequential serials of `scope` for a product and batch, as coding does.
fn issue(
    db: &mut Db,
    scope: &str,
    product_id: i64,
    batch_id: i64,
    count: i64,
) -> ledger::AllocationRow {
    db.write_durable::<_, crate::Error>(|tx| {
        let series = ledger::series_for(tx, scope, "sequential", "{seq:08}", "00000000", 1)?;
        ledger::allocate(
            tx,
            &NewAllocation {
                series_id: series.id,
                product_id,
                batch_id: Some(batch_id),
                pattern_date: Some("2025-07-15"),
                count,
                code_form: "element-string",
                actor: "wang.li",
            },
        )
    })
    .unwrap()
}

/// Issues random serials `serials` of `scope` (the row-per-serial way).
fn issue_random(
    db: &mut Db,
    scope: &str,
    product_id: i64,
    serials: &[&str],
) -> ledger::AllocationRow {
    db.write_durable(|tx| {
        let series = ledger::series_for(tx, scope, "random", "random:12", "", 0)?;
        let a = ledger::allocate(
            tx,
            &NewAllocation {
                series_id: series.id,
                product_id,
                batch_id: None,
                pattern_date: None,
                count: serials.len() as i64,
                code_form: "element-string",
                actor: "wang.li",
            },
        )?;
        let mut it = serials.iter().map(|s| s.to_string());
        ledger::insert_random_serials(tx, series.id, a.id, serials.len() as u64, || it.next())?;
        Ok::<_, crate::Error>(a)
    })
    .unwrap()
}

fn restored(outcome: RestoreOutcome) -> RestoreReport {
    match outcome {
        RestoreOutcome::Restored(r) => *r,
        RestoreOutcome::Refused(v) => panic!("refused: {v:?}"),
    }
}

/// `(first_seq, count, created_at)` of every allocation of `scope`'s sequential series.
fn ranges(conn: &Connection, scope: &str) -> Vec<(i64, i64, String)> {
    conn.prepare(
        "SELECT a.first_seq, a.count, a.created_at FROM serial_allocation a
         JOIN serial_series s ON s.id = a.series_id WHERE s.scope = ?1 AND s.kind = 'sequential'
         ORDER BY a.first_seq",
    )
    .unwrap()
    .query_map([scope], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

fn random_serials(conn: &Connection, scope: &str) -> Vec<String> {
    conn.prepare(
        "SELECT r.serial FROM random_serial r JOIN serial_series s ON s.id = r.series_id
         WHERE s.scope = ?1 ORDER BY r.serial",
    )
    .unwrap()
    .query_map([scope], |r| r.get(0))
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

fn restore_entries(db: &Db) -> Vec<serde_json::Value> {
    db.conn()
        .prepare("SELECT new_values FROM audit_log WHERE table_name = 'restore' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|v| serde_json::from_str(&v.unwrap()).unwrap())
        .collect()
}

#[test]
fn a_restore_never_issues_a_serial_again_and_keeps_the_ranges_issued_since_the_backup() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open(&dir.path().join("tracedesk.sqlite3")).unwrap();
    let p = product(&mut db, "燃气灶", Some("06901234567892"));
    let b = batch(&mut db, p, "B1");
    issue(&mut db, GTIN, p, b, 10);
    issue_random(&mut db, GTIN, p, &["AAAA0000AAAA", "BBBB0000BBBB"]);
    let backup = dir.path().join("saved.sqlite3");
    db.backup_to(&backup).unwrap();

    // After the backup: more serials of the same series, a new product with its own batch and
    // series, and more random serials.
    let later = issue(&mut db, GTIN, p, b, 5);
    assert_eq!(later.first_seq, 11);
    let p2 = product(&mut db, "热水器", Some("06901234567885"));
    let b2 = batch(&mut db, p2, "H7");
    issue(&mut db, "gtin:06901234567885", p2, b2, 3);
    issue_random(&mut db, GTIN, p, &["CCCC0000CCCC"]);
    db.set_setting("after.backup", "1").unwrap();
    let before = ranges(db.conn(), GTIN);

    let report = restored(db.restore_from(&backup).unwrap());

    // The data is the backup's…
    assert_eq!(db.setting("after.backup").unwrap(), None);
    // …except the ledger, which is the replaced database's.
    assert_eq!(
        ranges(db.conn(), GTIN),
        before,
        "every issued range is still there"
    );
    assert_eq!(
        random_serials(db.conn(), GTIN),
        ["AAAA0000AAAA", "BBBB0000BBBB", "CCCC0000CCCC"]
    );
    assert_eq!(ranges(db.conn(), "gtin:06901234567885").len(), 1);
    let (p2_after, b2_submitted): (i64, Option<String>) = db
        .conn()
        .query_row(
            "SELECT p.id, b.submitted_at FROM product p JOIN batch b ON b.product_id = p.id
             WHERE p.name = '热水器' AND b.lot_no = 'H7'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(p2_after, p2, "a free id is kept");
    assert_eq!(b2_submitted, None);

    let c = &report.carried;
    assert_eq!(c.allocations.len(), 3, "{c:?}");
    assert_eq!(c.serials, 5 + 3 + 1);
    assert_eq!(c.random_serials, 1);
    assert_eq!((c.products.len(), c.batches.len()), (1, 1));
    assert_eq!(c.series.len(), 2, "one raised, one added: {c:?}");
    assert!(
        c.series
            .iter()
            .any(|s| s.scope == GTIN && s.restored == Some(11) && s.next_seq == 16),
        "{c:?}"
    );

    // Issuing again continues after the last serial issued before the restore.
    let next = issue(&mut db, GTIN, p, b, 4);
    assert_eq!(
        next.first_seq, 16,
        "serials 11–15 were issued before the restore"
    );
    let all = ranges(db.conn(), GTIN);
    for w in all.windows(2) {
        assert!(w[0].0 + w[0].1 <= w[1].0, "ranges overlap: {all:?}");
    }
    // A random serial issued before the restore is refused again.
    db.write(|tx| {
        let series = ledger::series_for(tx, GTIN, "random", "random:12", "", 0)?;
        let a = ledger::allocate(
            tx,
            &NewAllocation {
                series_id: series.id,
                product_id: p,
                batch_id: None,
                pattern_date: None,
                count: 1,
                code_form: "element-string",
                actor: "x",
            },
        )?;
        let mut it = ["CCCC0000CCCC".to_string(), "DDDD0000DDDD".to_string()].into_iter();
        let n = ledger::insert_random_serials(tx, series.id, a.id, 1, || it.next())?;
        assert_eq!(n, 1);
        Ok(())
    })
    .unwrap();
    assert_eq!(random_serials(db.conn(), GTIN).len(), 4);

    // One audit entry says what was carried forward.
    let entries = restore_entries(&db);
    assert_eq!(entries.len(), 1, "{entries:?}");
    let e = &entries[0];
    assert_eq!(e["forced"], false);
    assert_eq!(e["archive"]["ok"], true);
    assert_eq!(
        e["carried_forward"]["allocations"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(e["carried_forward"]["serials"], 9);

    // The restored database survives a reopen with all of it.
    drop(db);
    let db = Db::open(&dir.path().join("tracedesk.sqlite3")).unwrap();
    assert_eq!(ranges(db.conn(), GTIN).len(), 3, "1–10, 11–15 and 16–19");
}

#[test]
fn restoring_the_same_backup_twice_keeps_each_range_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open(&dir.path().join("tracedesk.sqlite3")).unwrap();
    let p = product(&mut db, "燃气灶", Some("06901234567892"));
    let b = batch(&mut db, p, "B1");
    let backup = dir.path().join("saved.sqlite3");
    db.backup_to(&backup).unwrap();
    issue(&mut db, GTIN, p, b, 10);
    let first = restored(db.restore_from(&backup).unwrap());
    assert_eq!(first.carried.allocations.len(), 1);
    let second = restored(db.restore_from(&backup).unwrap());
    assert_eq!(
        second.carried.allocations.len(),
        1,
        "the backup still lacks it"
    );
    assert_eq!(ranges(db.conn(), GTIN).len(), 1, "never copied twice");
}

#[test]
fn an_allocation_whose_product_id_the_backup_gave_another_product_comes_under_a_new_id() {
    let dir = tempfile::tempdir().unwrap();
    // A backup from elsewhere whose product 1 is another product.
    let other_path = dir.path().join("other.sqlite3");
    let mut other = Db::open(&other_path).unwrap();
    product(&mut other, "别的产品", None);
    drop(other);

    let mut db = Db::open(&dir.path().join("tracedesk.sqlite3")).unwrap();
    let p = product(&mut db, "燃气灶", Some("06901234567892"));
    let b = batch(&mut db, p, "B1");
    issue(&mut db, GTIN, p, b, 10);
    let report = restored(db.restore_from(&other_path).unwrap());
    assert_eq!(report.carried.products.len(), 1);
    let (id, name): (i64, String) = db
        .conn()
        .query_row(
            "SELECT p.id, p.name FROM serial_allocation a JOIN product p ON p.id = a.product_id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(name, "燃气灶");
    assert_ne!(id, p, "id {p} belongs to the backup's own product");
    let other: String = db
        .conn()
        .query_row("SELECT name FROM product WHERE id = ?1", [p], |r| r.get(0))
        .unwrap();
    assert_eq!(other, "别的产品");
    assert_eq!(db.integrity_check().unwrap(), ["ok"]);
}

/// A backup with one archived exchange, whose archive is then altered in the file itself.
fn tampered_backup(dir: &Path) -> (Db, std::path::PathBuf) {
    let mut db = Db::open(&dir.join("tracedesk.sqlite3")).unwrap();
    db.write(|tx| crate::sample::archive_exchange(tx, "2025-07-16T08:00:00.000Z"))
        .unwrap();
    let backup = dir.join("saved.sqlite3");
    db.backup_to(&backup).unwrap();
    let file = Connection::open(&backup).unwrap();
    // A careful hand puts the trigger back, so the schema matches and only the archive tells.
    let trigger: String = file
        .query_row(
            "SELECT sql FROM sqlite_master WHERE name = 'archive_entry_no_update'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    file.execute_batch(
        "DROP TRIGGER archive_entry_no_update;
         UPDATE archive_entry SET status = 500 WHERE id = 2;",
    )
    .unwrap();
    file.execute_batch(&trigger).unwrap();
    drop(file);
    db.set_setting("current", "yes").unwrap();
    (db, backup)
}

#[test]
fn a_backup_whose_archive_was_altered_is_refused_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let (mut db, backup) = tampered_backup(dir.path());

    let RestoreOutcome::Refused(refusal) = db.restore_from(&backup).unwrap() else {
        panic!("an altered archive must be refused");
    };
    assert!(refusal.schema.is_empty(), "{:?}", refusal.schema);
    let v = refusal.archive.expect("the archive verdict");
    assert_eq!(v.first_bad, Some(2));
    assert!(
        v.reason_zh.as_deref().unwrap().contains("档案第 2 条"),
        "{v:?}"
    );
    assert!(v.reason.as_deref().unwrap().contains("entry 2"), "{v:?}");
    assert_eq!(
        db.setting("current").unwrap().as_deref(),
        Some("yes"),
        "nothing changed"
    );
    assert!(
        !dir.path()
            .join("backups")
            .read_dir()
            .map(|mut d| d.any(|e| {
                e.unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with("pre-restore-")
            }))
            .unwrap_or(false),
        "not even a pre-restore copy is made"
    );

    let report = restored(db.restore_with(&backup, true).unwrap());
    assert!(report.forced);
    assert_eq!(report.archive.first_bad, Some(2));
    assert_eq!(db.setting("current").unwrap(), None, "restored");
    let entries = restore_entries(&db);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["forced"], true);
    assert_eq!(entries[0]["archive"]["first_bad"], 2);
    assert!(
        entries[0]["archive"]["reason"]
            .as_str()
            .unwrap()
            .contains("entry 2"),
        "the audit entry names the failure: {}",
        entries[0]
    );
}

#[test]
fn a_restore_drops_the_backups_lease_and_keeps_the_current_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open(&dir.path().join("tracedesk.sqlite3")).unwrap();
    let holder = |token: &str, pid: u32| lease::Holder {
        token: token.into(),
        program: "cli".into(),
        pid,
        host: "desk-1".into(),
        purpose: "submit".into(),
    };
    let take = |db: &mut Db, h: &lease::Holder| {
        db.write(|tx| {
            lease::acquire(
                tx,
                h,
                "2025-07-16T08:00:00.000Z",
                "2999-01-01T00:00:00.000Z",
                |_| false,
            )
        })
        .unwrap();
    };
    // The backup is taken while a submission run holds the lease.
    take(&mut db, &holder("run-at-backup", 4242));
    let backup = dir.path().join("saved.sqlite3");
    db.backup_to(&backup).unwrap();
    db.write(|tx| lease::release(tx, "run-at-backup")).unwrap();
    // Now the restoring program holds it.
    take(&mut db, &holder("restorer", 777));

    restored(db.restore_from(&backup).unwrap());
    let now = lease::current(db.conn())
        .unwrap()
        .expect("the current lease stays");
    assert_eq!(now.holder.token, "restorer");
    let n: i64 = db
        .conn()
        .query_row("SELECT count(*) FROM run_lease", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1, "the backup's lease is gone");
}
