//! Submission as clerks work: practice first and then a real platform, edits made while a
//! version is in flight, corrections of old versions and reverts, items imported from the coder's
//! lists, and a second process that wants to submit meanwhile. Every platform here is the
//! simulator on 127.0.0.1; a "real" platform is one started on its own port.

use simulator::{FaultKind, SimulatorConfig};

use super::tests::{
    count, loopback, one_of_each, open, options, practice, quiet, receipts, remote, setup, sql,
    stored_keys,
};
use crate::testkit::assert_contains;
use crate::{SubmitRequest, SubmitStop};

/// A real platform (the simulator on a port of its own), and an app set up to report `n`
/// receipts to it.
async fn live(n: usize) -> (simulator::RunningSimulator, tempfile::TempDir, crate::App) {
    let real = simulator::start(SimulatorConfig::practice(), loopback())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    remote(&app, &real.url);
    receipts(&app, n);
    (real, dir, app)
}

/// The keys the outbox holds as accepted for `target`.
fn accepted_for(app: &crate::App, target: &str) -> std::collections::HashSet<String> {
    let db = app.db();
    let mut stmt = db
        .conn()
        .prepare("SELECT idempotency_key FROM outbox WHERE state = 'accepted' AND target = ?1")
        .unwrap();
    stmt.query_map([target], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn practice_acceptances_do_not_count_and_a_real_platform_gets_everything() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    setup(&app, practice());
    one_of_each(&app, true);
    let s = app
        .submit(&SubmitRequest::default(), quiet())
        .await
        .unwrap();
    assert!(s.practice);
    assert_eq!((s.accepted, s.stop), (5, SubmitStop::Done), "{s:?}");
    let page = app.list_outbox(&Default::default()).unwrap();
    assert!(page.target.practice);
    assert!(page.target.message_zh.contains("不计入正式报送"));

    // The clerk goes live: the real platform has received nothing, so everything goes to it.
    let real = simulator::start(SimulatorConfig::practice(), loopback())
        .await
        .unwrap();
    remote(&app, &real.url);
    let page = app.list_outbox(&Default::default()).unwrap();
    assert!(!page.target.practice);
    assert_eq!(
        page.counts.accepted, 0,
        "practice results are not this queue's"
    );
    let checklist = app.submission_checklist().unwrap();
    assert_eq!(checklist.pending, 5, "{checklist:?}");
    let live = app
        .submit_with(&SubmitRequest::default(), options(), quiet())
        .await
        .unwrap();
    assert!(!live.practice);
    assert_eq!((live.queued, live.accepted), (5, 5), "{live:?}");
    assert_eq!(real.stats().accepted, 5);
    let name = format!("{}/api/v1|practice", real.url);
    assert_eq!(
        accepted_for(&app, &name),
        stored_keys(&real.accepted_records())
    );
    // The same content has the same key on both platforms, each held once per platform.
    assert_eq!(accepted_for(&app, &name), accepted_for(&app, "practice"));
    assert!(
        store::edit_guard::submitted_at(app.db().conn(), "receipt", 1)
            .unwrap()
            .is_some(),
        "a real platform's acceptance makes the record read-only in entry"
    );
    // Every batch carried the archive's head: the real platform's anchor matches the archive.
    let anchor = app.verify_archive_against_platform(None).await.unwrap();
    assert!(anchor.ok, "{anchor:?}");
    // Nothing changed: a second run sends nothing.
    let again = app
        .submit_with(&SubmitRequest::default(), options(), quiet())
        .await
        .unwrap();
    assert_eq!((again.queued, again.requests), (0, 0), "{again:?}");
    real.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_made_while_a_version_is_in_flight_reaches_the_platform() {
    let (real, _dir, app) = live(1).await;
    // The platform stores the record but the answer is lost, again and again; the run has no
    // patience to wait and stops after its first request, with the version in flight (outcome
    // unknown), as before a day offline. The next two requests lose their answers too.
    real.force_next(&[FaultKind::DropAfterStore; 3]);
    let mut opts = options();
    opts.max_wait = std::time::Duration::ZERO;
    let first = app
        .submit_with(&SubmitRequest::default(), opts, quiet())
        .await
        .unwrap();
    assert_ne!(first.stop, SubmitStop::Done, "{first:?}");
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM outbox WHERE outcome_unknown = 1 AND state IN ('retry_wait', 'sending')"
        ),
        2,
        "the enterprise and the receipt are in flight"
    );
    // Meanwhile the clerk fixes the quantity; the record is not locked (nothing answered yet).
    assert_eq!(
        store::edit_guard::submitted_at(app.db().conn(), "receipt", 1).unwrap(),
        None
    );
    sql(&app, "UPDATE receipt SET quantity = 999 WHERE id = 1");
    let second = app
        .submit_with(&SubmitRequest::default(), options(), quiet())
        .await
        .unwrap();
    assert_eq!(second.stop, SubmitStop::Done, "{second:?}");
    // The old version was accepted (as a duplicate); the edit followed as a correction.
    let records = real.accepted_records();
    let last_receiving = records
        .iter()
        .rfind(|r| r.to_string().contains("\"receiving\""))
        .unwrap()
        .to_string();
    assert_contains(&last_receiving, "999");
    assert!(
        records
            .iter()
            .any(|r| r.to_string().contains("errorDeclaration")),
        "the old version is declared erroneous"
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM outbox WHERE state NOT IN ('accepted', 'superseded')"
        ),
        0,
        "nothing pending"
    );
    // Idempotent from here on.
    let third = app
        .submit_with(&SubmitRequest::default(), options(), quiet())
        .await
        .unwrap();
    assert_eq!(third.requests, 0, "{third:?}");
    real.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_current_version_can_be_corrected_and_a_revert_is_a_new_version() {
    let (real, _dir, app) = live(1).await;
    let request = SubmitRequest::default();
    let run = || app.submit_with(&request, options(), quiet());
    assert_eq!(
        run().await.unwrap().accepted,
        2,
        "the enterprise and the receipt"
    );
    let original = count(&app, "SELECT id FROM outbox WHERE kind = 'receiving'");
    let original_key: String = app
        .db()
        .conn()
        .query_row(
            "SELECT idempotency_key FROM outbox WHERE id = ?1",
            [original],
            |r| r.get(0),
        )
        .unwrap();

    app.open_correction(original).unwrap();
    sql(&app, "UPDATE receipt SET quantity = 12.5 WHERE id = 1");
    let corrected = run().await.unwrap();
    assert_eq!(
        corrected.accepted, 2,
        "correction + declaration: {corrected:?}"
    );

    // The first version is history now: 更正 on it is refused and changes nothing.
    let err = app.open_correction(original).unwrap_err();
    assert!(err.message_zh.contains("旧版本"), "{err:?}");
    assert!(
        store::edit_guard::submitted_at(app.db().conn(), "receipt", 1)
            .unwrap()
            .is_some(),
        "the record stays locked"
    );

    // Revert to the first content: a third version with a key of its own.
    let current = count(
        &app,
        "SELECT max(id) FROM outbox WHERE kind = 'receiving' AND state = 'accepted'",
    );
    app.open_correction(current).unwrap();
    sql(&app, "UPDATE receipt SET quantity = 11 WHERE id = 1");
    let reverted = run().await.unwrap();
    assert_eq!(reverted.stop, SubmitStop::Done, "{reverted:?}");
    assert_eq!(reverted.accepted, 2, "{reverted:?}");
    let versions: Vec<(String, i64)> = {
        let db = app.db();
        let mut stmt = db
            .conn()
            .prepare(
                "SELECT idempotency_key, revision FROM outbox WHERE kind = 'receiving' ORDER BY id",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(versions.len(), 3, "{versions:?}");
    assert_eq!(versions[0].0, original_key);
    assert_ne!(
        versions[2].0, original_key,
        "the revert is not a key collision"
    );
    assert_eq!(versions.iter().map(|v| v.1).collect::<Vec<_>>(), [0, 1, 2]);
    // And later runs keep working.
    assert_eq!(run().await.unwrap().stop, SubmitStop::Done);
    real.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_process_cannot_submit_while_one_holds_the_lease() {
    let dir = tempfile::tempdir().unwrap();
    let first = open(dir.path());
    setup(&first, practice());
    one_of_each(&first, true);
    let other = open(dir.path());
    let held = other.take_lease("submit").unwrap();
    let err = first
        .submit(&SubmitRequest::default(), quiet())
        .await
        .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("submission.lease"), "{err:?}");
    assert!(err.message_zh.contains("另一个程序正在报送"), "{err:?}");
    let page = first.list_outbox(&Default::default()).unwrap();
    assert!(page.lease.is_some(), "the window shows who is submitting");
    drop(held);
    assert!(
        first
            .list_outbox(&Default::default())
            .unwrap()
            .lease
            .is_none()
    );
    let s = first
        .submit(&SubmitRequest::default(), quiet())
        .await
        .unwrap();
    assert_eq!(s.accepted, 5, "{s:?}");
}

/// The UI's tests show what Rust answers, never a copy of it: the practice queue's target as
/// `list_outbox` returns it is recorded into `ui/src/api/golden/`, and `make test` fails when the
/// recording is stale.
#[test]
fn the_practice_queue_target_is_recorded_for_the_ui() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    setup(&app, practice());
    let target = app.queue_target().unwrap();
    assert!(target.practice);
}

/// Writes an item list as the factory's coder exports it: GTIN, lot, serial, production date.
pub(super) fn item_sheet(path: &std::path::Path, from: usize, to: usize) {
    let mut text = String::from("商品条码,生产批号,序列号,生产日期\n");
    for i in from..to {
        text.push_str(&format!("09520123456788,L7,{i:08},2025-03-01\n"));
    }
    std::fs::write(path, text).unwrap();
}

/// A practice set-up with one kettle (GTIN 09520123456788) coded at `granularity`.
pub(super) fn kettle_app(granularity: &str) -> (tempfile::TempDir, crate::App) {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    setup(&app, practice());
    sql(
        &app,
        &format!(
            "INSERT INTO product (id, name, model, gtin, scheme, granularity)
             VALUES (1, '电热水壶', 'K1', '09520123456788', 'gs1', '{granularity}');"
        ),
    );
    (dir, app)
}

/// An item list imported with "create missing", all or nothing; checked only with `dry_run`.
fn item_options(dry_run: bool) -> crate::ImportFileOptions {
    crate::ImportFileOptions {
        kind: crate::ImportKind::Item,
        sheet: None,
        header_row: None,
        dry_run,
        mode: crate::ImportMode::All,
        create_missing: true,
    }
}

pub(super) fn import_items(app: &crate::App, path: &std::path::Path) {
    let outcome = app
        .import_file(path, &item_options(false), &|_| {})
        .unwrap();
    assert!(outcome.run.is_some(), "{:?}", outcome.problems);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imported_item_codes_are_reported_in_commissioning_records() {
    let (dir, app) = kettle_app("item");
    // 10 050 serials the coder already printed: two commissioning records of the batch.
    let sheet = dir.path().join("items.csv");
    item_sheet(&sheet, 0, 10_050);
    import_items(&app, &sheet);
    let s = app
        .submit(&SubmitRequest::default(), quiet())
        .await
        .unwrap();
    assert_eq!(s.stop, SubmitStop::Done, "{s:?}");
    let platform = app.practice_handle().unwrap();
    let serials: usize = platform
        .accepted_records()
        .iter()
        .filter(|r| r.to_string().contains("\"commissioning\""))
        .map(|r| {
            let r = r.get("record").unwrap_or(r);
            r["payload"]["line"]["items"].as_array().map_or(0, Vec::len)
        })
        .sum();
    assert_eq!(
        serials, 10_050,
        "every imported serial reached the platform"
    );

    // A later list adds ten to the same batch: the last record of the batch is corrected.
    let more = dir.path().join("more.csv");
    item_sheet(&more, 10_050, 10_060);
    import_items(&app, &more);
    let again = app
        .submit(&SubmitRequest::default(), quiet())
        .await
        .unwrap();
    assert_eq!(again.stop, SubmitStop::Done, "{again:?}");
    let last = platform
        .accepted_records()
        .iter()
        .rfind(|r| r.to_string().contains("\"commissioning\""))
        .unwrap()
        .clone();
    let last = last.get("record").unwrap_or(&last).clone();
    assert_eq!(
        last["payload"]["line"]["items"].as_array().unwrap().len(),
        60
    );
    assert!(
        platform
            .accepted_records()
            .iter()
            .any(|r| r.to_string().contains("errorDeclaration")),
        "the earlier list is declared superseded by the longer one"
    );
}

#[test]
fn an_item_list_for_a_product_not_coded_per_item_is_warned_about_once() {
    let (dir, app) = kettle_app("batch");
    let sheet = dir.path().join("items.csv");
    item_sheet(&sheet, 0, 30);
    let outcome = app
        .import_file(&sheet, &item_options(true), &|_| {})
        .unwrap();
    let warned: Vec<_> = outcome
        .problems
        .iter()
        .filter(|p| p.code == "item.product-not-item")
        .collect();
    assert_eq!(warned.len(), 1, "{:?}", outcome.problems);
    assert!(
        warned[0]
            .message_zh
            .contains("仍会导入，并作为所属批次的赋码记录报送")
    );
    assert!(!outcome.blocked, "a warning, not an error");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_whose_lots_have_no_amount_and_the_document_numbers_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    setup(&app, practice());
    one_of_each(&app, true);
    sql(
        &app,
        "UPDATE batch_input SET quantity = NULL;
         UPDATE receipt SET purchase_order_no = 'PO-2025-0311', invoice_no = '04403250', delivery_note_no = 'SH-0311-07';
         UPDATE batch SET inspected_on = '2025-07-15', expires_on = '2027-07-14', work_order_no = 'WO-0715-A';
         UPDATE shipment SET order_no = 'SO-2025-118', invoice_no = '04403311';",
    );
    let check = app.submission_checklist().unwrap();
    assert!(
        !format!("{check:?}").contains("未记录数量"),
        "an input without an amount is no gap: {check:?}"
    );
    let s = app
        .submit(&SubmitRequest::default(), quiet())
        .await
        .unwrap();
    assert_eq!(
        (s.accepted, s.rejected, s.stop),
        (5, 0, SubmitStop::Done),
        "{s:?}"
    );
    let db = app.db();
    let bodies: Vec<String> = db
        .conn()
        .prepare("SELECT body FROM outbox_body")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let all = bodies.join("\n");
    for expected in [
        r#""purchaseOrder":"PO-2025-0311""#,
        r#""deliveryNote":"SH-0311-07""#,
        r#""workOrder":"WO-0715-A""#,
        r#""expiryDate":"2027-07-14""#,
        r#""date":"2025-07-15""#,
        r#""orderNo":"SO-2025-118""#,
        r#""invoiceNo":"04403311""#,
    ] {
        assert!(all.contains(expected), "{expected} in {all}");
    }
    let transformation = bodies
        .iter()
        .find(|b| b.contains(r#""kind":"transformation""#))
        .unwrap();
    let value: serde_json::Value = serde_json::from_str(transformation).unwrap();
    let input = value["payload"]["inputs"][0].as_object().unwrap();
    assert!(
        !input.contains_key("quantity") && !input.contains_key("unit"),
        "{input:?}"
    );
}
