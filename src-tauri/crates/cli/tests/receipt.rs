//! `tracedesk receipt add` with the supplier's codes and a key component's CCC certificate, as a
//! real process, and `tracedesk trace` by one of those codes.

mod common;

use common::{assert_exit, init_enterprise, run_ok, temp_db, tracedesk};

const BASE: &[&str] = &[
    "--json",
    "receipt",
    "add",
    "--supplier",
    "宁波示例阀门有限公司",
    "--material",
    "燃气阀",
    "--lot",
    "V2503-01",
    "--quantity",
    "500",
    "--unit",
    "个",
    "--received-on",
    "2025-03-02",
    "--inspection",
    "pass",
    "--report-no",
    "IQC-1",
];

#[test]
fn receipt_add_stores_the_supplier_codes_with_their_kind_and_trace_finds_the_lot_by_one() {
    let (_dir, db) = temp_db();
    init_enterprise(&db, &[]);
    // A GS1 code with a wrong check digit is refused (exit 2 with the position), nothing saved.
    let mut bad = BASE.to_vec();
    bad.extend(["--supplier-code", "(01)06901234567893(10)V2503-01"]);
    let out = tracedesk(&db, &bad);
    assert_ne!(out.status.code(), Some(0));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("第 18 位"), "{text}");

    let mut args = BASE.to_vec();
    args.extend([
        "--supplier-code",
        "(01)06901234567892(10)V2503-01;1006412345677",
        "--supplier-code",
        "https://www.iotroot.com/E=10064123456789012345",
        "--component-ccc",
        "2016010901123456",
        "--po",
        "PO-2025-0311",
        "--invoice",
        "04403250",
        "--delivery-note",
        "SH-0311-07",
    ]);
    let saved = run_ok(&db, &args);
    let kinds: Vec<&str> = saved["supplierCodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["gs1-element-string", "ecode", "ecode"], "{saved}");
    assert_eq!(saved["componentCcc"], "2016010901123456");
    assert_eq!(
        [
            &saved["purchaseOrderNo"],
            &saved["invoiceNo"],
            &saved["deliveryNoteNo"]
        ],
        ["PO-2025-0311", "04403250", "SH-0311-07"],
        "{saved}"
    );

    let traced = run_ok(
        &db,
        &[
            "--json",
            "trace",
            "https://www.iotroot.com/E=10064123456789012345",
        ],
    );
    assert_eq!(traced["root"]["label"], "V2503-01", "{traced}");
    assert_eq!(traced["root"]["codes"].as_array().unwrap().len(), 3);

    // The human form lists the codes with their kinds.
    let mut again = BASE.to_vec();
    again.retain(|a| *a != "--json");
    let again: Vec<&str> = again
        .into_iter()
        .map(|a| if a == "V2503-01" { "V2503-02" } else { a })
        .chain(["--supplier-code", "ab"])
        .collect();
    let out = tracedesk(&db, &again);
    assert_exit(&out, 0);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("供方追溯码 supplier code [unknown] ab"),
        "{text}"
    );
    assert!(text.contains("提示 note"), "{text}");
}
