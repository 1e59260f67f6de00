//! The enterprise row and the settings.

use super::*;

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
