//! 报送 and 档案: the checklist with its click-to-fix link, a run on the built-in practice
//! platform with a rejection, the resubmission once fixed, a correction, the archive's check and
//! report, and a run to a real platform (the simulator on 127.0.0.1).

use serde_json::{Value, json};

use super::Recorder;

/// What 报送 asks for its outbox (`Submission.tsx`).
pub(crate) fn outbox_query() -> Value {
    json!({ "query": { "search": "", "states": [], "kind": null, "from": null, "to": null, "offset": 0, "limit": 200 } })
}

/// What 档案 asks for its first page (`Archive.tsx`).
fn archive_query() -> Value {
    json!({ "query": { "from": null, "to": null, "direction": null, "search": "", "offset": 0, "limit": 200 } })
}

/// A run as 报送 starts it.
fn submit() -> Value {
    json!({ "request": { "platform": null, "maxWaitSecs": null } })
}

/// 报送's reload: the checklist, then the outbox.
fn reload(r: &mut Recorder) -> (Value, Value) {
    let checklist = r.ok("submission_checklist", Value::Null);
    let outbox = r.ok("list_outbox", outbox_query());
    (checklist, outbox)
}

/// What a submission run makes anew each time: its id, the records' keys, the archive's hashes,
/// the platform's request and receipt ids.
const RUN_VALUES: [&str; 9] = [
    "runId",
    "idempotencyKey",
    "recordKeys",
    "hash",
    "prevHash",
    "last_hash",
    "requestId",
    "receiptId",
    "sha256",
];

/// Values that differ on every run (random keys, ids and the hashes over them) read as
/// `<key>-1`, `<key>-2`, … in the order they first appear.
pub(crate) fn pin_values(r: &mut Recorder, keys: &[&str]) {
    /// `value` reads `<prefix>-<n>`, numbered per prefix in the order first seen.
    fn number(found: &mut Vec<(String, String)>, value: &str, prefix: &str) {
        if value.is_empty() || found.iter().any(|(from, _)| from == value) {
            return;
        }
        let tag = format!("{prefix}-");
        let n = found.iter().filter(|(_, to)| to.starts_with(&tag)).count();
        found.push((value.to_string(), format!("{tag}{}", n + 1)));
    }
    fn walk(v: &Value, keys: &[&str], found: &mut Vec<(String, String)>) {
        match v {
            Value::Array(items) => items.iter().for_each(|i| walk(i, keys, found)),
            Value::Object(map) => {
                for (k, v) in map {
                    match v {
                        // A request's signed headers: a fresh nonce and the clock.
                        Value::String(s) if k == "headers" => {
                            let headers: Value = serde_json::from_str(s).unwrap_or(Value::Null);
                            if let Some(nonce) = headers["X-Nonce"].as_str() {
                                number(found, nonce, "nonce");
                            }
                            if let Some(at) = headers["X-Timestamp"].as_str()
                                && !found.iter().any(|(from, _)| from == at)
                            {
                                // The pinned day's 08:00 UTC, in Unix seconds.
                                found.push((at.to_string(), "1752566400".into()));
                            }
                        }
                        Value::String(s) if keys.contains(&k.as_str()) => number(found, s, k),
                        Value::Array(items) if keys.contains(&k.as_str()) => {
                            for item in items.iter().filter_map(Value::as_str) {
                                number(found, item, k);
                            }
                        }
                        _ => walk(v, keys, found),
                    }
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    // The built-in practice platform listens on a port of its own choosing.
    for exchange in &r.exchanges {
        if let Some(origin) = exchange["ok"]["platform"]
            .as_str()
            .and_then(|url| url.strip_suffix("/api/v1"))
            && origin.starts_with("http://127.0.0.1:")
            && !found.iter().any(|(f, _)| f == origin)
        {
            found.push((origin.to_string(), "http://127.0.0.1:8443".to_string()));
        }
    }
    for exchange in &r.exchanges {
        walk(exchange, keys, &mut found);
    }
    r.pinned.extend(found);
    pin_sizes(r);
}

/// Zip and xlsx files hold their own time stamps, so their size varies by a few bytes: pinned.
pub(crate) fn pin_sizes(r: &mut Recorder) {
    const FILES: [&str; 5] = [
        "export_diagnostics",
        "export_submission_report",
        "export_evidence_pack",
        "export_epcis",
        "export_upload_workbook",
    ];
    for exchange in r.exchanges.iter_mut() {
        let command = exchange["command"].as_str().unwrap_or_default().to_string();
        if let Some(ok) = exchange.get_mut("ok").and_then(Value::as_object_mut)
            && FILES.contains(&command.as_str())
            && ok.contains_key("bytes")
        {
            ok.insert("bytes".into(), json!(4096));
        }
    }
}

/// The seeded chain, whose customer has no 统一社会信用代码 yet: returns the customer's id.
fn seed(r: &mut Recorder) -> i64 {
    super::entries::seed(r);
    let parties = r.quiet(
        "list_parties",
        json!({ "query": super::entries::list_query() }),
    );
    let customer = parties["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "customer")
        .unwrap_or_else(|| panic!("a customer in {parties}"));
    customer["id"].as_i64().unwrap()
}

/// 报送 on the practice platform: a record refused, fixed and resubmitted; a correction; 档案.
#[test]
fn golden_submission_practice() {
    let mut r = Recorder::new();
    r.set_up();
    let customer = seed(&mut r);
    r.main_window();
    let (checklist, _) = reload(&mut r);
    assert!(
        checklist["items"].as_array().is_some_and(|i| !i.is_empty()),
        "{checklist}"
    );

    // A problem's link opens 往来单位.
    r.ok(
        "list_parties",
        json!({ "query": super::entries::list_query() }),
    );
    let run = r.ok("submit_records", submit());
    assert!(run["rejected"].as_u64() > Some(0), "{run}");
    reload(&mut r);

    // The clerk gives the customer its code on 往来单位.
    let mut party = r.quiet("get_party", json!({ "id": customer }));
    if let Some(map) = party.as_object_mut() {
        for key in ["id", "createdAt", "updatedAt", "submittedAt"] {
            map.remove(key);
        }
    }
    party["uscc"] = json!("91310115MA1K3BTP2B");
    r.quiet("update_party", json!({ "id": customer, "input": party }));
    let (fixed, outbox) = reload(&mut r);
    assert!(fixed["pending"].as_u64() > Some(0), "{fixed}");
    let again = r.ok("submit_records", submit());
    assert_eq!(again["rejected"], 0, "{again}");
    reload(&mut r);

    // 更正: an accepted record is opened for correction.
    let accepted = outbox["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["state"] == "accepted")
        .unwrap_or_else(|| panic!("an accepted record in {outbox}"))["id"]
        .clone();
    r.ok("open_correction", json!({ "id": accepted }));
    reload(&mut r);

    // 档案: the chain checks out; the report is written into exports/.
    r.ok("list_archive", archive_query());
    let verified = r.ok("verify_archive", Value::Null);
    assert_eq!(verified["ok"], true, "{verified}");
    r.ok(
        "export_submission_report",
        json!({ "from": "2024-01-01", "to": "2025-07-15", "target": null }),
    );
    pin_values(&mut r, &RUN_VALUES);
    r.save("submission-practice");
}

/// 报送 to a real platform (the simulator on 127.0.0.1, with its own app key and secret).
#[test]
fn golden_submission_remote() {
    let mut r = Recorder::new();
    r.set_up_remote();
    super::entries::coded_supplier_receipt(&mut r);
    r.main_window();
    reload(&mut r);
    let run = r.ok("submit_records", submit());
    assert_eq!(run["accepted"], 2, "the enterprise and the receipt: {run}");
    assert_eq!(run["practice"], false, "{run}");
    reload(&mut r);
    pin_values(&mut r, &RUN_VALUES);
    r.save("submission-remote");
}
