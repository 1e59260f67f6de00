//! `verify_archive` after a real submission to the practice platform: the chain and every
//! accepted record check out, and a record changed afterwards is named.

use crate::testkit::{assert_contains, open, practice, receipts, setup};
use crate::{App, SubmitRequest, SubmitStop};

/// A practice set-up with three receipts to submit.
fn practice_app(dir: &std::path::Path) -> App {
    let app = open(dir);
    setup(&app, practice());
    receipts(&app, 3);
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_changed_after_the_platform_accepted_it_is_named_by_verify() {
    let dir = tempfile::tempdir().unwrap();
    let app = practice_app(dir.path());
    let summary = app.submit(&SubmitRequest::default(), |_| {}).await.unwrap();
    assert_eq!(summary.stop, SubmitStop::Done, "{summary:?}");
    assert!(summary.accepted >= 3, "{summary:?}");

    let v = app.verify_archive().unwrap();
    assert!(v.ok && v.chain_ok, "{v:?}");
    assert_eq!(v.records_checked, i64::from(summary.accepted));
    assert_eq!(v.record_first_bad, None);

    // Someone edits an accepted receipt's stored record in the file (past the no-update trigger).
    let id: i64 = app
        .db()
        .conn()
        .query_row(
            "SELECT max(id) FROM outbox WHERE state = 'accepted' AND kind = 'receiving'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    app.db()
        .conn()
        .execute_batch(&format!(
            "DROP TRIGGER outbox_body_no_update;
             UPDATE outbox_body SET body = replace(body, '钢板', '不锈钢板') WHERE outbox_id = {id};"
        ))
        .unwrap();
    let v = app.verify_archive().unwrap();
    assert!(!v.ok, "{v:?}");
    assert!(v.chain_ok, "the archive itself is untouched");
    assert_eq!(v.record_first_bad, Some(id));
    assert_eq!(v.records_mismatched, 1);
    let zh = v.record_reason_zh.unwrap();
    let en = v.record_reason_en.unwrap();
    assert_contains(&zh, &format!("报送队列第 {id} 条"));
    assert_contains(&en, "differs from the record sent in archive entry");
}
