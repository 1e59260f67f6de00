//! The first-run wizard: the 统一社会信用代码 checks as the clerk types, the platform step's own
//! validation, the language switch and a finished set-up.

use serde_json::{Value, json};

use super::Recorder;

pub(crate) const VALID_USCC: &str = "91110000600037341L";

/// What the wizard's tests type into the USCC field (and the empty field it starts with).
const TYPED_USCC: [&str; 7] = [
    "",
    VALID_USCC,
    "91110000600037341N",
    "91110000600037342P",
    "91310115A1K3BTP2B",
    "91310115MA1K3BTP2B",
    "   ",
];

pub(crate) fn setup_input(
    prefix: &str,
    granularity: &str,
    platform: serde_json::Value,
) -> serde_json::Value {
    json!({ "input": {
        "enterprise": { "name": "示例食品有限公司", "uscc": VALID_USCC, "address": "", "contact": "", "phone": "",
                        "licenceNo": "", "productionAddress": "" },
        "coding": { "scheme": "gs1", "ccc": true, "granularity": granularity, "gs1CompanyPrefix": prefix, "ecodePrefix": "" },
        "platform": platform,
    } })
}

#[test]
fn golden_setup_wizard() {
    let mut r = Recorder::new();
    let status = r.ok("app_status", json!(null));
    assert_eq!(status["setUp"], false);
    for text in TYPED_USCC {
        r.ok("check_uscc", json!({ "text": text }));
    }
    let wrong = r.ok("check_uscc", json!({ "text": "91110000600037341N" }));
    assert_eq!(wrong["valid"], false);

    // The platform's own rule, under the URL field; nothing is saved.
    let remote = json!({ "mode": "remote", "url": "http://example.com", "appKey": "k-1" });
    let mut remote = setup_input("", "batch", remote);
    remote["input"]["coding"]["ccc"] = json!(false);
    let err = r.err("complete_setup", remote);
    assert_eq!(err.field.as_deref(), Some("platform.url"));
    // A mistyped code is refused on "finish" too, with the field to go back to.
    let mut bad = setup_input(
        "",
        "batch",
        json!({ "mode": "practice", "url": "", "appKey": "" }),
    );
    bad["input"]["enterprise"]["uscc"] = json!("91110000600037341N");
    let err = r.err("complete_setup", bad);
    assert_eq!(err.field.as_deref(), Some("enterprise.uscc"));

    r.ok("set_language", json!({ "language": "en" }));
    r.ok("set_language", json!({ "language": "zh-CN" }));

    let practice = json!({ "mode": "practice", "url": "", "appKey": "" });
    let done = r.ok("complete_setup", setup_input("6901234", "item", practice));
    assert_eq!(done["setUp"], true);
    r.main_window();
    r.save("setup-wizard");
}

/// 设置 on a set-up database: the enterprise profile with the same live USCC check as the
/// wizard, and a mistyped code refused on save.
#[test]
fn golden_settings_enterprise() {
    let mut r = Recorder::new();
    r.set_up();
    r.main_window();
    r.ok("about_info", Value::Null);
    r.ok("catalogue_versions", Value::Null);
    r.ok("check_uscc", json!({ "text": VALID_USCC }));
    r.ok("check_uscc", json!({ "text": "91110000600037341N" }));
    let input = json!({ "input": {
        "name": "示例食品有限公司", "uscc": "91110000600037341N", "address": "", "contact": "", "phone": "",
        "licenceNo": "", "productionAddress": "",
    } });
    let refused = r.err("save_enterprise", input);
    assert_eq!(refused.field.as_deref(), Some("enterprise.uscc"));
    r.save("settings-enterprise");
}

/// The main window on a set-up, empty database: every screen's first requests, and the language
/// switch there and back.
#[test]
fn golden_main_layout() {
    let mut r = Recorder::new();
    r.set_up();
    r.main_window();
    r.ok("set_language", json!({ "language": "en" }));
    r.ok("set_language", json!({ "language": "zh-CN" }));
    let list = super::entries::list_query();
    for command in [
        "list_products",
        "list_parties",
        "list_receipts",
        "list_batches",
        "list_shipments",
    ] {
        r.ok(command, json!({ "query": list }));
    }
    for command in [
        "product_catalogue",
        "entry_hints",
        "coding_products",
        "submission_checklist",
        "recall_drills",
        "about_info",
        "catalogue_versions",
    ] {
        r.ok(command, Value::Null);
    }
    r.ok("import_runs", json!({ "limit": 20 }));
    r.ok(
        "list_outbox",
        json!({ "query": { "search": "", "states": [], "kind": null, "from": null, "to": null, "offset": 0, "limit": 200 } }),
    );
    r.ok(
        "list_archive",
        json!({ "query": { "from": null, "to": null, "direction": null, "search": "", "offset": 0, "limit": 200 } }),
    );
    let mut failed = list;
    failed["inspection"] = json!("fail");
    failed["limit"] = json!(5);
    r.ok("list_receipts", json!({ "query": failed }));
    r.ok("list_batches", json!({ "query": failed }));
    r.save("main-layout");
}
