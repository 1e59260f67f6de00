//! 赋码 on a set-up database: a GS1 一物一码 product with a batch, the preview and its label,
//! a generation with progress, the allocated range and its export, the 码检查 box (GS1 element
//! strings with a GS and Digital Link URIs, valid and invalid), void / reprint and the events,
//! a refused granularity change, and the label printer dialog.

use serde_json::{Value, json};

use super::Recorder;
use crate::{App, Config};

/// What the coding screen's product is coded with.
pub(crate) const GTIN: &str = "06901234567892";
const LOT: &str = "B20250715-1";

/// The job id the screen names a generation with: `gen-<Date.now()>-<Math.random() base 36>`,
/// with the test's clock (PINNED_NOW) and `Math.random()` pinned to 0.5.
pub(crate) const JOB_ID: &str = "gen-1752544800000-i";

/// A recorder whose label printers come from a print server that is not there: the OS printers
/// are then the same on every machine (none), whatever this computer has installed.
fn recorder() -> Recorder {
    let mut r = Recorder::new();
    let config = Config {
        cups_server: Some(r.dir.path().join("no-cups.sock").display().to_string()),
        ..Config::in_dir(r.dir.path())
    };
    // The same folder, opened again with the print server (the first `App` closes).
    r.app = App::open(config).expect("open app");
    r
}

/// The product and its batch; returns (product id, batch id).
fn seed(r: &mut Recorder) -> (i64, i64) {
    let mut input = super::entries::product_input(&GTIN[1..]);
    input["granularity"] = json!("item");
    let product = r.quiet("add_product", json!({ "input": input }));
    let product = product["id"].as_i64().unwrap();
    let batch = r.quiet(
        "add_batch",
        json!({ "input": {
            "productId": product, "lotNo": LOT, "producedOn": "2025-07-15", "quantity": 100,
            "unit": "台", "inspectionResult": "pass", "inspector": "赵强", "reportNo": "FQC-1",
            "inputs": [],
        } }),
    );
    (product, batch["id"].as_i64().unwrap())
}

/// What the screen asks when it opens (and again after a generation).
fn screen(r: &mut Recorder, product: i64, batch: i64) -> Value {
    r.ok("coding_products", Value::Null);
    r.ok("coding_batches", json!({ "productId": product }));
    ledger_and_preview(r, product, batch)
}

/// The product's ranges and events, and the next codes with the first one's label: returns the
/// preview.
fn ledger_and_preview(r: &mut Recorder, product: i64, batch: i64) -> Value {
    r.ok(
        "code_allocations",
        json!({ "productId": product, "batchId": null }),
    );
    r.ok("code_events", json!({ "productId": product }));
    let preview = r.ok(
        "preview_codes",
        json!({ "productId": product, "batchId": batch, "count": 5 }),
    );
    let first = preview["codes"][0]["code"].as_str().unwrap().to_string();
    r.ok(
        "label_preview",
        json!({ "input": { "code": first, "symbology": "datamatrix" } }),
    );
    preview
}

/// Generates the first 100 codes as the screen does (CSV into exports/).
fn generate(r: &mut Recorder, product: i64, batch: i64) -> Value {
    let summary = r.ok(
        "generate_codes",
        json!({ "input": { "productId": product, "batchId": batch, "count": 100, "path": "",
                           "format": "csv", "jobId": JOB_ID }, "target": null }),
    );
    assert_eq!(summary["count"], 100, "{summary}");
    r.ok("coding_products", Value::Null);
    ledger_and_preview(r, product, batch);
    summary
}

#[test]
fn golden_coding() {
    let mut r = recorder();
    r.set_up();
    let (product, batch) = seed(&mut r);
    r.main_window();
    let preview = screen(&mut r, product, batch);
    let first = preview["codes"][0]["code"].as_str().unwrap().to_string();
    assert!(
        first.starts_with(&format!("(01){GTIN}(10){LOT}(21)")),
        "{first}"
    );

    // 码检查: a scan with the scanner's prefix and a GS, whose GTIN has a wrong check digit.
    let scanned = r.ok(
        "check_code",
        json!({ "text": "]d2010690123456789310B1\u{1d}" }),
    );
    assert_eq!(scanned["valid"], false, "{scanned}");
    // The same product as a GS1 Digital Link URI, valid and with a wrong check digit.
    let link = format!("https://id.gs1.org/01/{GTIN}/10/{LOT}");
    assert_eq!(r.ok("check_code", json!({ "text": link }))["valid"], true);
    let bad_link = "https://id.gs1.org/01/06901234567893/10/B1";
    assert_eq!(
        r.ok("check_code", json!({ "text": bad_link }))["valid"],
        false
    );

    // A Digital Link with a 13-digit GTIN is invalid, the padded URI its fix; an iotroot lookup
    // URL is an Ecode; 13 digits with an Ecode header that are also a valid GTIN name both.
    let short = r.ok(
        "check_code",
        json!({ "text": "https://id.gs1.org/01/6901234567892" }),
    );
    assert_eq!(short["valid"], false, "{short}");
    assert_eq!(short["suggestion"], "https://id.gs1.org/01/06901234567892");
    let ecode_url = r.ok(
        "check_code",
        json!({ "text": "https://www.iotroot.com/E=10064123456789012345" }),
    );
    assert_eq!(ecode_url["scheme"], "ecode", "{ecode_url}");
    let both = r.ok("check_code", json!({ "text": "1006412345677" }));
    assert_eq!(both["alternative"], "gtin", "{both}");

    let summary = generate(&mut r, product, batch);
    let allocation = summary["allocationId"].clone();
    r.ok(
        "export_allocation",
        json!({ "allocationId": allocation, "target": null }),
    );

    // The 7th code: valid, voided with a reason, refused the second time; a reprint of the 8th.
    let issued = issued_code(&first, 7);
    assert_eq!(r.ok("check_code", json!({ "text": issued }))["valid"], true);
    let input = json!({ "input": { "code": issued, "reason": "标签印坏" } });
    r.ok("void_code", input.clone());
    r.ok("code_events", json!({ "productId": product }));
    let twice = r.err("void_code", input);
    assert_eq!(twice.code, crate::ErrorCode::InvalidState, "{twice:?}");
    let eighth = issued_code(&first, 8);
    r.ok("check_code", json!({ "text": eighth }));
    r.ok(
        "reprint_code",
        json!({ "input": { "code": eighth, "reason": "标签污损" } }),
    );
    r.ok("code_events", json!({ "productId": product }));

    // Once the product has codes its granularity stays.
    let products = r.ok("coding_products", Value::Null);
    let coding = products[0].clone();
    assert_eq!(coding["granularityLocked"], true, "{coding}");
    let mut change = coding.clone();
    change["granularity"] = json!("batch");
    let keep = [
        "granularity",
        "codeForm",
        "dlStem",
        "serialMode",
        "serialPattern",
        "randomLength",
        "itemWithLot",
        "withProductionDate",
        "shelfLifeDays",
    ];
    let input: serde_json::Map<String, Value> = keep
        .iter()
        .map(|k| (k.to_string(), change[*k].clone()))
        .collect();
    let refused = r.err(
        "save_product_coding",
        json!({ "productId": product, "input": input }),
    );
    assert_eq!(refused.field.as_deref(), Some("granularity"), "{refused:?}");

    print_dialog(&mut r, &allocation);
    r.save("coding");
}

/// The code with serial `n` of the range that starts at `first` (same width).
fn issued_code(first: &str, n: u32) -> String {
    let (head, serial) = first.rsplit_once("(21)").expect("a serial");
    format!("{head}(21){n:0width$}", width = serial.len())
}

/// 标签打印机 on the generated range: the built-in profiles, a job saved as TSPL, an edited
/// (300 dpi) profile, a test label, a refused profile and the BarTender data.
fn print_dialog(r: &mut Recorder, allocation: &Value) {
    let profiles = r.ok("printer_profiles", Value::Null);
    let os = r.call("os_printers", Value::Null);
    assert!(os.is_err(), "no print server: {os:?}");
    let tspl = profiles[0].clone();
    assert_eq!(tspl["name"], "TSPL 203dpi 50×30");
    let job = |custom: Value| {
        json!({ "input": {
            "allocationId": allocation, "inputPath": null, "codes": [], "symbology": "datamatrix",
            "profile": "TSPL 203dpi 50×30", "customProfile": custom, "format": null, "printer": "",
            "path": "", "fontPath": null,
        } })
    };
    let saved = r.ok("print_labels", job(Value::Null));
    assert_eq!(saved["labels"], 100, "{saved}");
    let mut edited = tspl.clone();
    edited["dpi"] = json!(300);
    r.ok("print_labels", job(edited));
    r.ok(
        "print_test_label",
        json!({ "input": { "profile": "TSPL 203dpi 50×30", "format": null, "printer": "",
                           "path": "", "fontPath": null } }),
    );
    let mut narrow = tspl.clone();
    narrow["labelWidthMm"] = json!(0);
    let refused = r.err("save_printer_profile", json!({ "profile": narrow }));
    assert!(refused.field.is_some(), "{refused:?}");
    let data = r.ok(
        "export_label_data",
        json!({ "input": { "allocationId": allocation, "inputPath": null, "codes": [], "path": "",
                           "format": "xlsx" } }),
    );
    assert_eq!(data["rows"], 100, "{data}");
}
