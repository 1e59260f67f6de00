//! The audit trail: inserts, updates and deletes with their values and the actor, on every
//! business table, append-only and newest first.

use super::*;

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
    // (series keys), 1 from 0010 (a receipt's supplier codes). 0006's outbox, attempts and archive (and 0007's outbox bodies) are left out
    // above: the hash-chained archive is the evidence itself. 0008's source-change marks and run
    // lease are the submission machinery's bookkeeping, written without audit triggers.
    assert_eq!(tables.len(), 23, "{tables:?}");
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
