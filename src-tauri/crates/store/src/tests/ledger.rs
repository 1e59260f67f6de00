//! Migration 0004 and the serial ledger: ranges never overlap, never shrink, never vanish; a
//! product with codes keeps its scheme and granularity.

use rusqlite::Connection;

use super::{count, files_starting_with, upgraded_from};
use crate::Db;
use crate::ledger::{self, NewAllocation, NewCodeEvent, NewTraceCode, ProductCodingRow};

const SCOPE: &str = "gtin:06901234567892";

/// A database with one GS1 product (id 1) and one batch (id 1).
fn coded_db() -> Db {
    let mut db = Db::open_in_memory().unwrap();
    db.write(|tx| {
        tx.execute_batch(
            "INSERT INTO product (id, name, model, gtin, scheme, granularity)
                 VALUES (1, '家用燃气灶', 'JZT-2Q1', '06901234567892', 'gs1', 'item');
             INSERT INTO product (id, name, model, gtin, scheme, granularity)
                 VALUES (2, '电线', 'BV-2.5', NULL, 'ecode', 'batch');
             INSERT INTO batch (id, product_id, lot_no, produced_on, quantity, unit)
                 VALUES (1, 1, 'B20250715-1', '2025-07-15', 100, '台');",
        )?;
        Ok(())
    })
    .unwrap();
    db
}

fn allocate(db: &mut Db, series_id: i64, count: i64) -> ledger::AllocationRow {
    db.write_durable(|tx| {
        ledger::allocate(
            tx,
            &NewAllocation {
                series_id,
                product_id: 1,
                batch_id: Some(1),
                pattern_date: Some("2025-07-15"),
                count,
                code_form: "element-string",
                actor: "wang.li",
            },
        )
    })
    .map_err(|e: crate::Error| e)
    .unwrap()
}

fn sequential_series(conn: &Connection) -> ledger::SeriesRow {
    ledger::series_for(conn, SCOPE, "sequential", "{seq:08}", "00000000", 1).unwrap()
}

#[test]
fn upgrade_from_frozen_v3_adds_the_ledger_and_keeps_every_row() {
    let (dir, mut db) = upgraded_from(3);
    let conn = db.conn();
    assert_eq!(count(conn, "SELECT count(*) FROM trace_code"), 3);
    assert_eq!(count(conn, "SELECT count(*) FROM item"), 2);
    for table in [
        "product_coding",
        "serial_series",
        "serial_allocation",
        "random_serial",
        "code_event",
    ] {
        assert_eq!(
            count(conn, &format!("SELECT count(*) FROM {table}")),
            0,
            "{table} starts empty"
        );
    }
    let prefix = format!("pre-migration-v3-to-v{}-", Db::latest_version());
    assert_eq!(
        files_starting_with(&dir.path().join("backups"), &prefix).len(),
        1,
        "a copy is taken before migrating"
    );
    // Existing products get the default settings without a row.
    assert_eq!(
        ledger::product_coding(conn, 1).unwrap(),
        ProductCodingRow::defaults(1)
    );
    // The v3 product already has items and trace codes: its granularity is now fixed.
    let err = db
        .write(|tx| {
            tx.execute("UPDATE product SET granularity = 'batch' WHERE id = 1", [])?;
            Ok(())
        })
        .unwrap_err();
    assert!(
        matches!(err, crate::Error::ProductHasCodes),
        "the trigger's refusal is its own variant: {err}"
    );
    assert!(err.to_string().contains("product has trace codes"), "{err}");
    // The new tables are audited.
    let before = count(db.conn(), "SELECT count(*) FROM audit_log");
    let series = sequential_series(db.conn());
    allocate(&mut db, series.id, 10);
    assert!(count(db.conn(), "SELECT count(*) FROM audit_log") >= before + 3);
}

#[test]
fn sequential_allocations_follow_each_other_and_never_overlap() {
    let mut db = coded_db();
    let series = sequential_series(db.conn());
    assert_eq!(series.next_seq, 1);

    let a = allocate(&mut db, series.id, 1000);
    let b = allocate(&mut db, series.id, 5);
    let c = allocate(&mut db, series.id, 1_000_000);

    assert_eq!((a.first_seq, a.count), (1, 1000));
    assert_eq!((b.first_seq, b.count), (1001, 5));
    assert_eq!(c.first_seq, 1006);
    assert_eq!(c.lot_no.as_deref(), Some("B20250715-1"));
    assert_eq!(c.state, "allocated");
    let series = sequential_series(db.conn());
    assert_eq!(series.next_seq, 1_001_006);
    // The same series is found again rather than created twice.
    assert_eq!(
        ledger::series_in_scope(db.conn(), SCOPE).unwrap().len(),
        1,
        "one series per (scope, pattern, fixed)"
    );

    let conn = db.conn();
    assert_eq!(
        ledger::allocation_with_seq(conn, series.id, 1000)
            .unwrap()
            .map(|a| a.id),
        Some(a.id)
    );
    assert_eq!(
        ledger::allocation_with_seq(conn, series.id, 1001)
            .unwrap()
            .map(|a| a.id),
        Some(b.id)
    );
    assert_eq!(
        ledger::allocation_with_seq(conn, series.id, 1_001_005)
            .unwrap()
            .map(|a| a.id),
        Some(c.id)
    );
    assert_eq!(
        ledger::allocation_with_seq(conn, series.id, 1_001_006).unwrap(),
        None,
        "past the last range: never issued"
    );
    assert_eq!(
        ledger::allocation_with_seq(conn, series.id, 0).unwrap(),
        None
    );
    assert_eq!(ledger::issued_count(conn, 1).unwrap(), 1_001_005);
}

#[test]
fn an_allocation_that_is_rolled_back_leaves_the_series_where_it_was() {
    let mut db = coded_db();
    let series = sequential_series(db.conn());
    allocate(&mut db, series.id, 10);

    let failed: crate::Result<()> = db.write_durable(|tx| {
        ledger::allocate(
            tx,
            &NewAllocation {
                series_id: series.id,
                product_id: 1,
                batch_id: Some(1),
                pattern_date: None,
                count: 10,
                code_form: "element-string",
                actor: "wang.li",
            },
        )?;
        // Something after the allocation fails: the whole transaction goes.
        tx.execute("INSERT INTO no_such_table VALUES (1)", [])?;
        Ok(())
    });

    assert!(failed.is_err());
    assert_eq!(sequential_series(db.conn()).next_seq, 11);
    assert_eq!(
        count(db.conn(), "SELECT count(*) FROM serial_allocation"),
        1
    );
    let sync: i64 = db
        .conn()
        .pragma_query_value(None, "synchronous", |r| r.get(0))
        .unwrap();
    assert_eq!(
        sync, 1,
        "the connection is back to NORMAL after a durable write"
    );
}

#[test]
fn issued_ranges_and_series_cannot_be_changed_or_deleted() {
    let mut db = coded_db();
    let series = sequential_series(db.conn());
    let a = allocate(&mut db, series.id, 10);
    let conn = db.conn();
    for sql in [
        format!(
            "UPDATE serial_series SET next_seq = 1 WHERE id = {}",
            series.id
        ),
        format!(
            "UPDATE serial_series SET pattern = 'X{{seq:07}}' WHERE id = {}",
            series.id
        ),
        format!("DELETE FROM serial_series WHERE id = {}", series.id),
        format!("UPDATE serial_allocation SET count = 5 WHERE id = {}", a.id),
        format!(
            "UPDATE serial_allocation SET first_seq = 0 WHERE id = {}",
            a.id
        ),
        format!("DELETE FROM serial_allocation WHERE id = {}", a.id),
    ] {
        let err = conn.execute(&sql, []).unwrap_err();
        assert!(err.to_string().contains("serial ledger"), "{sql}: {err}");
    }
    // What may change: the export state.
    ledger::set_allocation_state(conn, a.id, "exported", Some("/tmp/x.csv")).unwrap();
    let a = ledger::allocation(conn, a.id).unwrap().unwrap();
    assert_eq!(
        (a.state.as_str(), a.exported_to.as_deref()),
        ("exported", Some("/tmp/x.csv"))
    );
}

#[test]
fn random_serials_are_unique_per_series_and_repeats_are_skipped() {
    let mut db = coded_db();
    let series = ledger::series_for(db.conn(), SCOPE, "random", "random:12", "", 0).unwrap();
    let first = allocate(&mut db, series.id, 3);
    assert_eq!(first.first_seq, 0, "a random range has no sequence numbers");
    let mut candidates = ["AAAA", "BBBB", "AAAA", "CCCC"]
        .into_iter()
        .map(String::from);
    let n = db
        .write(|tx| ledger::insert_random_serials(tx, series.id, first.id, 3, || candidates.next()))
        .unwrap();
    assert_eq!(n, 3, "the repeated AAAA was skipped and CCCC drawn instead");

    let second = allocate(&mut db, series.id, 2);
    let mut candidates = ["BBBB", "DDDD", "EEEE"].into_iter().map(String::from);
    let n = db
        .write(|tx| {
            ledger::insert_random_serials(tx, series.id, second.id, 2, || candidates.next())
        })
        .unwrap();
    assert_eq!(n, 2, "BBBB belongs to the first range already");

    let conn = db.conn();
    let mut serials = Vec::new();
    ledger::each_random_serial::<crate::Error>(conn, second.id, |s| {
        serials.push(s.to_owned());
        Ok(())
    })
    .unwrap();
    assert_eq!(serials, ["DDDD", "EEEE"]);
    assert_eq!(
        ledger::allocation_with_random(conn, series.id, "BBBB")
            .unwrap()
            .map(|a| a.id),
        Some(first.id)
    );
    assert_eq!(
        ledger::allocation_with_random(conn, series.id, "ZZZZ").unwrap(),
        None
    );
    // Serials are not audited one by one (the audited allocation row counts them), and the bulk
    // flag is off again afterwards.
    assert_eq!(
        count(
            conn,
            "SELECT count(*) FROM audit_log WHERE table_name = 'random_serial'"
        ),
        0
    );
    assert_eq!(count(conn, "SELECT bulk FROM audit_context"), 0);
    assert_eq!(
        count(
            conn,
            "SELECT count(*) FROM audit_log WHERE table_name = 'serial_allocation'"
        ),
        2
    );
}

#[test]
fn a_nearly_full_random_space_stops_after_a_thousand_fruitless_draws() {
    let mut db = coded_db();
    let series = ledger::series_for(db.conn(), SCOPE, "random", "random:8", "", 0).unwrap();
    let a = allocate(&mut db, series.id, 5);
    let mut drawn = 0u32;
    let n = db
        .write(|tx| {
            ledger::insert_random_serials(tx, series.id, a.id, 5, || {
                drawn += 1;
                Some(if drawn <= 3 {
                    format!("S{drawn}")
                } else {
                    "S1".into()
                })
            })
        })
        .unwrap();
    assert_eq!(n, 3, "only three distinct serials exist");
    assert!(
        (1000..1100).contains(&drawn),
        "gives up after 1,000 fruitless draws, not before and not long after: {drawn}"
    );
}

#[test]
fn a_product_with_codes_keeps_its_scheme_and_granularity() {
    let mut db = coded_db();
    // No codes yet: both may change.
    db.write(|tx| {
        tx.execute(
            "UPDATE product SET granularity = 'batch', scheme = 'gs1' WHERE id = 1",
            [],
        )?;
        Ok(())
    })
    .unwrap();
    assert!(!ledger::has_codes(db.conn(), 1).unwrap());

    db.write(|tx| {
        ledger::insert_trace_code(
            tx,
            &NewTraceCode {
                code: "(01)06901234567892(10)B20250715-1",
                scheme: "gs1",
                granularity: "batch",
                product_id: 1,
                batch_id: Some(1),
                item_id: None,
                status: "active",
            },
        )?;
        Ok(())
    })
    .unwrap();
    assert!(ledger::has_codes(db.conn(), 1).unwrap());

    for change in ["granularity = 'item'", "scheme = 'ecode'"] {
        let err = db
            .write(|tx| {
                tx.execute(&format!("UPDATE product SET {change} WHERE id = 1"), [])?;
                Ok(())
            })
            .unwrap_err();
        assert!(
            err.to_string().contains("product has trace codes"),
            "{change}: {err}"
        );
    }
    // Other edits are fine.
    db.write(|tx| {
        tx.execute(
            "UPDATE product SET name = '家用燃气灶（新款）' WHERE id = 1",
            [],
        )?;
        Ok(())
    })
    .unwrap();
}

#[test]
fn void_events_are_append_only_and_name_the_product_and_batch() {
    let mut db = coded_db();
    let event = db
        .write(|tx| {
            ledger::insert_code_event(
                tx,
                &NewCodeEvent {
                    kind: "void",
                    code: "(01)06901234567892(21)00000001",
                    product_id: 1,
                    batch_id: Some(1),
                    item_id: None,
                    trace_code_id: None,
                    reason: "标签印坏",
                    actor: "wang.li",
                },
            )
        })
        .unwrap();
    assert_eq!(event.product_name, "家用燃气灶");
    assert_eq!(event.lot_no.as_deref(), Some("B20250715-1"));
    let conn = db.conn();
    for sql in [
        "UPDATE code_event SET reason = 'x'",
        "DELETE FROM code_event",
    ] {
        assert!(conn.execute(sql, []).is_err(), "{sql}");
    }
    assert!(
        conn.execute(
            "INSERT INTO code_event (kind, code, product_id, reason, actor) VALUES ('void', 'x', 1, '  ', 'a')",
            []
        )
        .is_err(),
        "a reason is required"
    );
}

#[test]
fn coding_settings_round_trip_and_are_validated_by_the_schema() {
    let mut db = coded_db();
    let mut row = ProductCodingRow::defaults(1);
    row.code_form = "digital-link".into();
    row.dl_stem = "https://example.com/gs1".into();
    row.serial_mode = "random".into();
    row.random_length = 16;
    row.shelf_life_days = Some(365);
    db.write(|tx| ledger::save_product_coding(tx, &row))
        .unwrap();
    assert_eq!(ledger::product_coding(db.conn(), 1).unwrap(), row);

    row.dl_stem = "ftp://example.com".into();
    assert!(
        db.write(|tx| ledger::save_product_coding(tx, &row))
            .is_err(),
        "only http(s) stems"
    );
}

// ---------------------------------------------------------------------------------------------
// Keyed random series (migration 0009)

const KEY: [u8; 32] = [7; 32];

fn random_series(conn: &Connection, len: u32) -> ledger::SeriesRow {
    ledger::series_for(conn, SCOPE, "random", &format!("random:{len}"), "", 0).unwrap()
}

#[test]
fn a_keyed_series_issues_ranges_that_follow_each_other_and_stores_no_serial() {
    let mut db = coded_db();
    let series = random_series(db.conn(), 12);
    assert_eq!(series.kind, "random");
    assert!(ledger::key_new_series(db.conn(), series.id, &KEY).unwrap());
    let series = random_series(db.conn(), 12);
    assert_eq!(series.kind, "keyed");
    assert_eq!(ledger::series_key(db.conn(), series.id).unwrap(), Some(KEY));

    let a = allocate(&mut db, series.id, 1_000_000);
    let b = allocate(&mut db, series.id, 5);

    assert_eq!(
        (a.kind.as_str(), a.first_seq, a.count),
        ("keyed", 0, 1_000_000)
    );
    assert_eq!((b.first_seq, b.count), (1_000_000, 5));
    assert_eq!(random_series(db.conn(), 12).next_seq, 1_000_005);
    let conn = db.conn();
    assert_eq!(count(conn, "SELECT count(*) FROM random_serial"), 0);
    assert_eq!(
        ledger::allocation_with_seq(conn, series.id, 999_999)
            .unwrap()
            .map(|r| r.id),
        Some(a.id)
    );
    assert_eq!(
        ledger::allocation_with_seq(conn, series.id, 1_000_004)
            .unwrap()
            .map(|r| r.id),
        Some(b.id)
    );
    assert_eq!(ledger::issued_count(conn, 1).unwrap(), 1_000_005);
    // The key is audited by its series, never by its value.
    let audited: String = conn
        .query_row(
            "SELECT new_values FROM audit_log WHERE table_name = 'serial_series_key'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(audited.contains("\"series_id\""), "{audited}");
    assert!(!audited.contains("key\""), "{audited}");
}

#[test]
fn a_key_goes_only_to_a_random_series_that_has_issued_nothing() {
    let mut db = coded_db();
    // An old-style random series that already issued serials stays unkeyed.
    let old = random_series(db.conn(), 10);
    let a = allocate(&mut db, old.id, 2);
    db.write(|tx| {
        ledger::insert_random_serials(tx, old.id, a.id, 2, {
            let mut n = 0;
            move || {
                n += 1;
                Some(format!("AAAAAAAAA{n}"))
            }
        })
    })
    .unwrap();
    assert!(!ledger::key_new_series(db.conn(), old.id, &KEY).unwrap());
    assert_eq!(random_series(db.conn(), 10).kind, "random");
    // The schema refuses it too, and a key for a sequential series.
    let seq = sequential_series(db.conn());
    for (series_id, what) in [(old.id, "issued"), (seq.id, "sequential")] {
        let err = db
            .conn()
            .execute(
                "INSERT INTO serial_series_key (series_id, key) VALUES (?1, zeroblob(32))",
                [series_id],
            )
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("only a random series that has issued nothing"),
            "{what}: {err}"
        );
    }
    // A keyed series is keyed once: a second key is not taken, and the first never changes.
    let new = random_series(db.conn(), 14);
    assert!(ledger::key_new_series(db.conn(), new.id, &KEY).unwrap());
    assert!(!ledger::key_new_series(db.conn(), new.id, &[9; 32]).unwrap());
    assert_eq!(ledger::series_key(db.conn(), new.id).unwrap(), Some(KEY));
    for sql in [
        "UPDATE serial_series_key SET key = zeroblob(32)",
        "DELETE FROM serial_series_key",
    ] {
        let err = db.conn().execute(sql, []).unwrap_err();
        assert!(
            err.to_string().contains("serial ledger: a series key"),
            "{sql}: {err}"
        );
    }
    // A key must be 32 bytes.
    let other = random_series(db.conn(), 16);
    let err = db
        .conn()
        .execute(
            "INSERT INTO serial_series_key (series_id, key) VALUES (?1, zeroblob(16))",
            [other.id],
        )
        .unwrap_err();
    assert!(err.to_string().contains("CHECK"), "{err}");
    // A keyed series stores no drawn serial, and never goes back.
    let b = allocate(&mut db, new.id, 3);
    let err = db
        .conn()
        .execute(
            "INSERT INTO random_serial (series_id, serial, allocation_id) VALUES (?1, 'x', ?2)",
            [new.id, b.id],
        )
        .unwrap_err();
    assert!(
        err.to_string().contains("a keyed series stores no serials"),
        "{err}"
    );
    let err = db
        .conn()
        .execute(
            "UPDATE serial_series SET next_seq = 1 WHERE id = ?1",
            [new.id],
        )
        .unwrap_err();
    assert!(
        err.to_string().contains("a series never goes back"),
        "{err}"
    );
}

#[test]
fn upgrade_from_frozen_v8_keeps_drawn_serials_and_adds_series_keys() {
    let (dir, mut db) = upgraded_from(8);
    let prefix = format!("pre-migration-v8-to-v{}-", Db::latest_version());
    assert_eq!(
        files_starting_with(&dir.path().join("backups"), &prefix).len(),
        1
    );
    let conn = db.conn();
    assert_eq!(count(conn, "SELECT count(*) FROM serial_series_key"), 0);
    // The v8 random series and its drawn serials read as before.
    let series = ledger::series_in_scope(conn, SCOPE).unwrap();
    assert_eq!(
        series.iter().map(|s| s.kind.as_str()).collect::<Vec<_>>(),
        ["sequential", "random"]
    );
    let found = ledger::allocation_with_random(conn, 2, "aZ3kQ9xB2mP7")
        .unwrap()
        .expect("the drawn serial is found");
    assert_eq!((found.id, found.kind.as_str()), (2, "random"));
    let mut serials = Vec::new();
    ledger::each_random_serial::<crate::Error>(conn, 2, |s| {
        serials.push(s.to_owned());
        Ok(())
    })
    .unwrap();
    assert_eq!(serials, ["Q0w8Ee7Rt6Yu", "aZ3kQ9xB2mP7"]);
    // It cannot be keyed now; a new random series can, and issues a range.
    assert!(!ledger::key_new_series(conn, 2, &KEY).unwrap());
    let keyed = random_series(conn, 9);
    assert!(ledger::key_new_series(conn, keyed.id, &KEY).unwrap());
    let a = db
        .write_durable(|tx| {
            ledger::allocate(
                tx,
                &NewAllocation {
                    series_id: keyed.id,
                    product_id: 1,
                    batch_id: Some(1),
                    pattern_date: Some("2025-07-15"),
                    count: 100,
                    code_form: "element-string",
                    actor: "wang.li",
                },
            )
        })
        .map_err(|e: crate::Error| e)
        .unwrap();
    assert_eq!((a.kind.as_str(), a.first_seq, a.count), ("keyed", 0, 100));
}
