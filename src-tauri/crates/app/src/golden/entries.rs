//! Daily entry, master data, trace, recall and the dashboard, on a set-up database.

use serde_json::{Value, json};

use super::Recorder;

/// The list screens' first page (`EMPTY_QUERY` in ui/src/features/entry/RecordList.tsx).
pub(crate) fn list_query() -> Value {
    json!({ "search": "", "sort": null, "descending": false, "offset": 0, "limit": 100,
            "inspection": null, "kind": null, "from": null, "to": null })
}

/// The failed inspections the trace screen lists.
fn failed_query() -> Value {
    let mut q = list_query();
    q["inspection"] = json!("fail");
    q["limit"] = json!(5);
    q
}

pub(crate) fn receipt(lot: &str, quantity: u32, supplier: &str) -> Value {
    json!({
        "supplierName": supplier, "material": "燃气阀", "spec": "DN15", "supplierLot": lot,
        "quantity": quantity, "unit": "个", "receivedOn": "2025-03-02", "inspectionResult": "pass",
        "reportNo": format!("IQC-{lot}"), "note": "",
        "purchaseOrderNo": "", "invoiceNo": "", "deliveryNoteNo": "", "supplierCodes": [], "componentCcc": "",
    })
}

/// A supplier with its 统一社会信用代码 (a real platform requires it) and one receipt from it, made
/// directly: what the screens find already entered.
pub(crate) fn coded_supplier_receipt(r: &mut Recorder) {
    r.quiet(
        "add_party",
        json!({ "input": { "kind": "supplier", "name": "宁波示例阀门有限公司", "uscc": "91310115MA1K3BTP2B",
                           "address": "", "contact": "", "phone": "" } }),
    );
    r.quiet(
        "add_receipt",
        json!({ "input": receipt("V9", 10, "宁波示例阀门有限公司") }),
    );
}

pub(crate) fn product_input(gtin: &str) -> Value {
    json!({
        "name": "家用燃气灶", "model": "JZT-2Q1", "category": "KP-GAS-03", "brand": "", "standard": "",
        "gtin": gtin, "scheme": "gs1", "granularity": "batch", "cccCertNo": "", "cccValidFrom": "",
        "cccValidTo": "", "cccMarkNo": "", "cccModels": [], "licenceNo": "", "productionAddress": "",
        "oemRole": "none", "oemName": "", "oemUscc": "",
    })
}

/// Two lots, a product, a batch consuming both and a shipment of it: the chain a trace walks.
/// Returns (receipt a, receipt b, product, batch) ids.
pub(crate) fn seed(r: &mut Recorder) -> (i64, i64, i64, i64) {
    let a = r.quiet(
        "add_receipt",
        json!({ "input": receipt("L-A1", 500, "宁波示例阀门有限公司") }),
    );
    let b = r.quiet(
        "add_receipt",
        json!({ "input": receipt("L-B1", 200, "杭州示例五金有限公司") }),
    );
    let product = r.quiet(
        "add_product",
        json!({ "input": product_input("6901234000016") }),
    );
    let batch = r.quiet(
        "add_batch",
        json!({ "input": {
            "productId": product["id"], "lotNo": "B20250305-1", "producedOn": "2025-03-05",
            "quantity": 100, "unit": "台", "inspectionResult": "pass", "inspector": "赵强",
            "reportNo": "FQC-1",
            "inputs": [ { "receiptId": a["id"], "quantity": 60 }, { "receiptId": b["id"], "quantity": 40 } ],
        } }),
    );
    r.quiet(
        "add_shipment",
        json!({ "input": {
            "customerName": "上海示例厨电销售有限公司", "shippedOn": "2025-03-10",
            "deliveryNoteNo": "DN-20250310-001", "note": "",
            "lines": [ { "batchId": batch["id"], "itemId": null, "quantity": 30 } ],
        } }),
    );
    let id = |v: &Value| v["id"].as_i64().unwrap();
    (id(&a), id(&b), id(&product), id(&batch))
}

/// 进货查验 on an empty database: the missing fields, a new supplier, a saved receipt.
#[test]
fn golden_entries_receipts() {
    let mut r = Recorder::new();
    r.set_up();
    r.main_window();
    let empty = r.ok("list_receipts", json!({ "query": list_query() }));
    assert_eq!(empty["total"], 0);
    r.ok("entry_hints", Value::Null);
    // The blank form as it opens, and saved blank: each missing field, in both languages.
    let blank = json!({
        "supplierName": "", "material": "", "spec": "", "supplierLot": "", "quantity": null,
        "unit": "", "receivedOn": "2025-07-15", "inspectionResult": "pass", "reportNo": "", "note": "",
        "purchaseOrderNo": "", "invoiceNo": "", "deliveryNoteNo": "", "supplierCodes": [], "componentCcc": "",
    });
    r.ok("check_receipt", json!({ "input": blank, "id": null }));
    let refused = r.err("add_receipt", json!({ "input": blank }));
    assert_eq!(refused.code, crate::ErrorCode::InvalidInput);
    // Typed in: the supplier is new; Ctrl+S saves it.
    let typed = json!({
        "supplierName": "宁波示例阀门有限公司", "material": "燃气阀", "spec": "", "supplierLot": "V2503-01",
        "quantity": 500, "unit": "个", "receivedOn": "2025-07-15", "inspectionResult": "pass",
        "reportNo": "IQC-1", "note": "",
        "purchaseOrderNo": "", "invoiceNo": "", "deliveryNoteNo": "", "supplierCodes": [], "componentCcc": "",
    });
    let hint = r.ok("check_receipt", json!({ "input": typed, "id": null }));
    assert!(hint.to_string().contains("新供应商"), "{hint}");
    r.ok("add_receipt", json!({ "input": typed }));
    let listed = r.ok("list_receipts", json!({ "query": list_query() }));
    assert_eq!(listed["total"], 1);
    r.ok("entry_hints", Value::Null);
    r.ok("dashboard", Value::Null);
    r.save("entries-receipts");
}

/// 往来单位: a person as a customer. Their ID card number is masked as typed (a warning says the
/// full number is not kept) and keeping it needs their consent.
#[test]
fn golden_entries_parties() {
    let mut r = Recorder::new();
    r.set_up();
    r.main_window();
    r.ok("list_parties", json!({ "query": list_query() }));
    let person = |id: &str, consent: bool| {
        json!({
            "kind": "supplier", "name": "", "uscc": "", "address": "", "contact": "", "phone": "",
            "partyType": "individual", "idNumber": id, "consent": consent, "country": "",
            "foreignRegNo": "",
        })
    };
    let blank = json!({
        "kind": "supplier", "name": "", "uscc": "", "address": "", "contact": "", "phone": "",
        "partyType": "organisation", "idNumber": "", "consent": false, "country": "", "foreignRegNo": "",
    });
    r.ok("check_party", json!({ "input": blank, "id": null }));
    r.ok(
        "check_party",
        json!({ "input": person("", false), "id": null }),
    );
    let typed = r.ok(
        "check_party",
        json!({ "input": person("11010519491231002X", false), "id": null }),
    );
    assert!(
        typed.to_string().contains("person.consent-required"),
        "{typed}"
    );
    let agreed = r.ok(
        "check_party",
        json!({ "input": person("11010519491231002X", true), "id": null }),
    );
    assert!(agreed.to_string().contains("person.masked"), "{agreed}");
    r.save("entries-parties");
}

/// The supplier's codes scanned into 进货查验, one per line, each shown with its kind; a GS1 code
/// with a wrong check digit refused with its position; the key component's CCC certificate.
#[test]
fn golden_entries_receipt_codes() {
    let mut r = Recorder::new();
    r.set_up();
    r.main_window();
    r.ok("list_receipts", json!({ "query": list_query() }));
    r.ok("entry_hints", Value::Null);
    let blank = json!({
        "supplierName": "", "material": "", "spec": "", "supplierLot": "", "quantity": null,
        "unit": "", "receivedOn": "2025-07-15", "inspectionResult": "pass", "reportNo": "", "note": "",
        "supplierCodes": [], "componentCcc": "", "purchaseOrderNo": "", "invoiceNo": "", "deliveryNoteNo": "",
    });
    r.ok("check_receipt", json!({ "input": blank, "id": null }));
    let codes = [
        "(01)06901234567892(10)V2503-01",
        "1006412345677",
        "https://www.iotroot.com/E=10064123456789012345",
        "HGZ-2025-0001",
    ];
    let kinds: Vec<Value> = codes
        .iter()
        .map(|c| r.ok("check_code", json!({ "text": c }))["scheme"].clone())
        .collect();
    assert_eq!(
        kinds,
        ["gs1-element-string", "ecode", "ecode", "digital-id"]
    );
    let mut input = json!({
        "supplierName": "宁波示例阀门有限公司", "material": "燃气阀", "spec": "", "supplierLot": "V2503-01",
        "quantity": 500, "unit": "个", "receivedOn": "2025-07-15", "inspectionResult": "pass",
        "reportNo": "IQC-1", "note": "", "supplierCodes": ["(01)06901234567893(10)V2503-01"],
        "componentCcc": "2016010901123456", "purchaseOrderNo": "", "invoiceNo": "", "deliveryNoteNo": "",
    });
    r.ok(
        "check_code",
        json!({ "text": "(01)06901234567893(10)V2503-01" }),
    );
    let refused = r.ok("check_receipt", json!({ "input": input, "id": null }));
    assert!(
        refused.to_string().contains("第 18 位"),
        "the position of the wrong check digit: {refused}"
    );
    input["supplierCodes"] = json!(codes);
    let checked = r.ok("check_receipt", json!({ "input": input, "id": null }));
    assert!(
        !checked.to_string().contains("\"severity\":\"error\""),
        "{checked}"
    );
    let saved = r.ok("add_receipt", json!({ "input": input }));
    assert_eq!(
        saved["supplierCodes"].as_array().unwrap().len(),
        4,
        "{saved}"
    );
    assert_eq!(saved["componentCcc"], "2016010901123456");
    r.ok("list_receipts", json!({ "query": list_query() }));
    r.ok("entry_hints", Value::Null);
    r.ok("dashboard", Value::Null);
    r.save("entries-receipt-codes");
}

/// The seeded chain: production, products, trace, recall and the dashboard.
#[test]
fn golden_entries_chain() {
    let mut r = Recorder::new();
    r.set_up();
    let (a, _b, product, _batch) = seed(&mut r);
    r.main_window();

    // 追溯: the drills and failed inspections it lists, a delivery note, a lot, a recall.
    r.ok("recall_drills", Value::Null);
    r.ok("list_receipts", json!({ "query": failed_query() }));
    r.ok("list_batches", json!({ "query": failed_query() }));
    let by_note = r.ok("trace", json!({ "text": "DN-20250310-001" }));
    assert!(by_note.to_string().contains("L-B1"), "{by_note}");
    r.ok("trace", json!({ "text": "L-A1" }));
    let recall = r.ok(
        "recall",
        json!({ "request": { "start": { "kind": "material-lot", "id": a }, "reason": "模拟召回演练" } }),
    );
    r.ok("export_recall", json!({ "result": recall, "target": null }));
    r.ok("recall_drills", Value::Null);
    let nothing = r.err("trace", json!({ "text": "NOPE" }));
    assert!(nothing.message_zh.contains("NOPE"), "{nothing:?}");

    // 生产批次: the suggested lot number, a lot consumed beyond what is left, a lot search.
    r.ok("list_batches", json!({ "query": list_query() }));
    r.ok("entry_hints", Value::Null);
    r.ok("suggest_lot", json!({ "producedOn": "2025-07-15" }));
    let over = r.ok(
        "check_batch",
        json!({ "input": {
            "productId": product, "lotNo": "B20250320-1", "producedOn": "2025-03-06",
            "quantity": 10, "unit": "台", "inspectionResult": "pass", "inspector": "赵强",
            "reportNo": "F", "inputs": [ { "receiptId": a, "quantity": 900 } ],
            "inspectedOn": "", "expiresOn": "", "workOrderNo": "",
        }, "id": null }),
    );
    assert!(over.to_string().contains("lot.over-consumed"), "{over}");
    r.ok(
        "search_lots",
        json!({ "search": "L-B1", "exceptBatch": null }),
    );
    r.ok(
        "search_lots",
        json!({ "search": "L-A1", "exceptBatch": null }),
    );
    // The blank batch form, checked as it opens: before and after the lot number is suggested.
    for lot in ["", "B20250715-1"] {
        r.ok(
            "check_batch",
            json!({ "input": {
                "productId": null, "lotNo": lot, "producedOn": "2025-07-15", "quantity": null,
                "unit": "", "inspectionResult": "pass", "inspector": "", "reportNo": "", "inputs": [],
                "inspectedOn": "", "expiresOn": "", "workOrderNo": "",
            }, "id": null }),
        );
    }

    // 产品: a wrong check digit, a GTIN made from the company prefix.
    r.ok("list_products", json!({ "query": list_query() }));
    r.ok("product_catalogue", Value::Null);
    let mut blank = product_input("");
    for key in ["name", "model", "category"] {
        blank[key] = json!("");
    }
    blank["scheme"] = Value::Null;
    blank["granularity"] = Value::Null;
    r.ok("check_product", json!({ "input": blank, "id": null }));
    blank["gtin"] = json!("6901234567893");
    r.ok("check_product", json!({ "input": blank, "id": null }));
    r.ok("check_gtin", json!({ "text": "6901234567893" }));
    let suggested = r.ok("suggest_gtin", Value::Null);
    let gtin = suggested["gtin"].as_str().expect("a GTIN").to_string();
    blank["gtin"] = json!(gtin);
    r.ok("check_product", json!({ "input": blank, "id": null }));
    r.ok("check_gtin", json!({ "text": gtin }));
    r.save("entries-chain");
}

/// A receipt already submitted to the platform: read-only, with its history.
#[test]
fn golden_entries_submitted() {
    let mut r = Recorder::new();
    r.set_up_remote();
    coded_supplier_receipt(&mut r);
    let run = r.quiet(
        "submit_records",
        json!({ "request": { "platform": null, "maxWaitSecs": 30 } }),
    );
    assert_eq!(run["accepted"], 2, "the enterprise and the receipt: {run}");
    r.main_window();
    let listed = r.ok("list_receipts", json!({ "query": list_query() }));
    let id = listed["rows"][0]["id"].clone();
    let got = r.ok("get_receipt", json!({ "id": id }));
    assert!(!got["submittedAt"].is_null(), "{got}");
    r.ok("entry_hints", Value::Null);
    r.ok(
        "check_receipt",
        json!({ "input": receipt("V9", 10, "宁波示例阀门有限公司"), "id": id }),
    );
    r.ok("record_history", json!({ "kind": "receipt", "id": id }));
    r.save("entries-submitted");
}

/// What `npm run dev` shows in a plain browser: a set-up database with the seeded chain, the
/// first page of every list and a trace.
#[test]
fn golden_demo() {
    let mut r = Recorder::new();
    r.set_up();
    seed(&mut r);
    r.main_window();
    for command in [
        "list_receipts",
        "list_batches",
        "list_shipments",
        "list_products",
        "list_parties",
    ] {
        r.ok(command, json!({ "query": list_query() }));
    }
    for command in [
        "entry_hints",
        "product_catalogue",
        "recall_drills",
        "about_info",
        "catalogue_versions",
        "suggest_gtin",
    ] {
        r.ok(command, Value::Null);
    }
    r.ok("list_receipts", json!({ "query": failed_query() }));
    r.ok("list_batches", json!({ "query": failed_query() }));
    r.ok("trace", json!({ "text": "DN-20250310-001" }));
    r.ok("trace", json!({ "text": "L-A1" }));
    r.ok("suggest_lot", json!({ "producedOn": "2025-07-15" }));
    r.ok(
        "suggest_delivery_note",
        json!({ "shippedOn": "2025-07-15" }),
    );
    r.save("demo");
}
