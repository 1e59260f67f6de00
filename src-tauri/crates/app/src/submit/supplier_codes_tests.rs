//! The supplier's codes and a key component's CCC certificate in the receiving record (contract
//! 1.2, §4.4.1), sent to the practice platform, which validates them as the contract says.

use super::tests::{practice, quiet, receipts, setup, sql};
use crate::SubmitRequest;
use crate::SubmitStop;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receipt_reports_the_suppliers_codes_and_the_component_ccc_and_the_platform_accepts_it() {
    let dir = tempfile::tempdir().unwrap();
    let app = crate::testkit::open(dir.path());
    setup(&app, practice());
    receipts(&app, 2);
    // Receipt 1: three valves, each scanned (Ecode, one read from its lookup URL), a component
    // certificate. Receipt 2: a GS1 lot code and two serials of 12 kg of steel (not pieces).
    sql(
        &app,
        "UPDATE receipt SET quantity = 3, unit = '个', component_ccc = '2016010901123456' WHERE id = 1;
         INSERT INTO receipt_code (receipt_id, seq, code, kind, level, note) VALUES
           (1, 1, 'https://www.iotroot.com/E=10064123456789012345', 'ecode', 'item', ''),
           (1, 2, '10064123456789012346', 'ecode', 'item', ''),
           (1, 3, '10064123456789012347', 'ecode', 'item', ''),
           (1, 4, 'ab', 'unknown', 'item', '无法识别编码类型'),
           (2, 1, '(01)09520123456795(10)L00002', 'gs1-element-string', 'lot', ''),
           (2, 2, '(01)09520123456795(21)A1', 'gs1-element-string', 'item', '');",
    );
    let s = app
        .submit(&SubmitRequest::default(), quiet())
        .await
        .unwrap();
    assert_eq!(s.stop, SubmitStop::Done, "{s:?}");
    let platform = app.practice_handle().unwrap();
    let mut receiving: Vec<serde_json::Value> = platform
        .accepted_records()
        .into_iter()
        .map(|r| r.get("record").cloned().unwrap_or(r))
        .filter(|r| r["kind"] == "receiving")
        .collect();
    receiving.sort_by_key(|r| r["payload"]["clientRef"].as_str().unwrap_or("").to_string());
    assert_eq!(receiving.len(), 2, "both accepted: {receiving:?}");
    insta::assert_json_snapshot!("receiving_with_supplier_codes", receiving);
}
