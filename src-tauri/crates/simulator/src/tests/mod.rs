//! Behaviour tests. Most talk real HTTP to a simulator on 127.0.0.1:0 through a tiny signing
//! client written here from contract §2, and use the contract's own example files.

mod anchor;
mod auth;
mod batch;
mod contract;
mod ecode;
mod faults;
mod robustness;
mod validation;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::{PRACTICE_APP_KEY, PRACTICE_APP_SECRET, RunningSimulator, SimulatorConfig};

pub(crate) fn loopback() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

/// Delays short enough to keep the suite fast.
pub(crate) fn quick_config() -> SimulatorConfig {
    SimulatorConfig {
        slow_ms: 300,
        timeout_ms: 1_500,
        ..SimulatorConfig::default()
    }
}

pub(crate) async fn start(config: SimulatorConfig) -> RunningSimulator {
    crate::start(config, loopback())
        .await
        .expect("a simulator must start on 127.0.0.1:0")
}

pub(crate) fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// A fresh nonce per call: unique within the process, 16–64 chars of `[A-Za-z0-9_-]`.
pub(crate) fn nonce() -> String {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let n = SEQ.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!("tn-{n:08}-{nanos:09}")
}

/// The contract's example directory.
pub(crate) fn examples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../contract/examples")
}

/// Every record example of the contract.
pub(crate) const RECORD_EXAMPLES: [&str; 13] = [
    "record-enterprise.json",
    "record-product.json",
    "record-commissioning.json",
    "record-receiving.json",
    "record-receiving-supplier-codes.json",
    "record-transformation.json",
    "record-shipping.json",
    "record-shipping-wrong.json",
    "record-shipping-corrected.json",
    "record-error-declaration.json",
    "record-shipping-individual.json",
    "record-shipping-foreign.json",
    "record-product-entrusted.json",
];

pub(crate) fn example(name: &str) -> Value {
    let path = examples_dir().join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("contract example {} must be readable: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name} must be JSON: {e}"))
}

/// Sets a record's `idempotencyKey` from its content, as a client does (contract §3).
pub(crate) fn with_key(mut record: Value) -> Value {
    let key = crate::idempotency_key(record.as_object().expect("records are objects"))
        .expect("test records are canonicalisable");
    record["idempotencyKey"] = Value::String(key);
    record
}

/// A valid enterprise record, distinct per `n`.
pub(crate) fn enterprise(n: usize) -> Value {
    with_key(json!({
        "kind": "enterprise", "scheme": "gs1", "granularity": "batch",
        "payload": {
            "uscc": "91350100MA2TRACE0G",
            "name": format!("福州示例电器有限公司{n}"),
            "address": "福建省福州市鼓楼区示例路1号",
        }
    }))
}

/// Removes a member from an object value (no-op otherwise).
pub(crate) fn remove(v: &mut Value, name: &str) {
    if let Some(map) = v.as_object_mut() {
        map.remove(name);
    }
}

pub(crate) fn key_of(record: &Value) -> String {
    record["idempotencyKey"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// A signing client written from contract §2.
pub(crate) struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub app_key: String,
    pub secret: String,
}

/// One signed request's parts, so tests can bend each of them.
pub(crate) struct Signed<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub body: Vec<u8>,
    pub timestamp: String,
    pub nonce: String,
    pub secret: String,
    pub content_type: &'a str,
    /// Headers sent besides the signed ones (such as `X-Archive-Head`), in order.
    pub extra_headers: Vec<(&'a str, String)>,
}

impl Client {
    pub fn new(url: &str) -> Client {
        Client::with_timeout(url, Duration::from_secs(20))
    }

    pub fn with_timeout(url: &str, timeout: Duration) -> Client {
        Client {
            http: reqwest::Client::builder()
                .no_proxy()
                .timeout(timeout)
                .build()
                .expect("reqwest client builds"),
            base: url.to_owned(),
            app_key: PRACTICE_APP_KEY.to_owned(),
            secret: PRACTICE_APP_SECRET.to_owned(),
        }
    }

    pub fn signed<'a>(&self, method: &'a str, path: &'a str, body: Vec<u8>) -> Signed<'a> {
        Signed {
            method,
            path,
            body,
            timestamp: now_secs().to_string(),
            nonce: nonce(),
            secret: self.secret.clone(),
            content_type: "application/json",
            extra_headers: Vec::new(),
        }
    }

    /// Sends `s`, signing exactly its parts.
    pub async fn send(&self, s: Signed<'_>) -> reqwest::Result<reqwest::Response> {
        let signature = crate::sign(&s.secret, s.method, s.path, &s.timestamp, &s.nonce, &s.body);
        self.send_raw(s, &signature).await
    }

    /// Sends `s` with a given signature (for tampering tests).
    pub async fn send_raw(
        &self,
        s: Signed<'_>,
        signature: &str,
    ) -> reqwest::Result<reqwest::Response> {
        let method =
            reqwest::Method::from_bytes(s.method.as_bytes()).unwrap_or(reqwest::Method::POST);
        let mut req = self
            .http
            .request(method, format!("{}{}", self.base, s.path))
            .header("X-App-Key", &self.app_key)
            .header("X-Timestamp", &s.timestamp)
            .header("X-Nonce", &s.nonce)
            .header("X-Signature", signature);
        for (name, value) in &s.extra_headers {
            req = req.header(*name, value);
        }
        if !s.body.is_empty() {
            req = req.header("Content-Type", s.content_type).body(s.body);
        }
        req.send().await
    }

    pub async fn post_body(&self, body: Vec<u8>) -> reqwest::Result<reqwest::Response> {
        self.send(self.signed("POST", "/api/v1/records:batch", body))
            .await
    }

    pub async fn post_batch(&self, records: &[Value]) -> reqwest::Result<reqwest::Response> {
        let body = serde_json::to_vec(&json!({ "records": records })).unwrap_or_default();
        self.post_body(body).await
    }

    /// Posts and returns the `results` array of a 200 answer.
    pub async fn submit(&self, records: &[Value]) -> Vec<Value> {
        let resp = self
            .post_batch(records)
            .await
            .expect("the simulator answers");
        assert_eq!(resp.status(), 200, "a batch is answered 200");
        let body: Value = resp.json().await.expect("results are JSON");
        body["results"].as_array().cloned().unwrap_or_default()
    }

    pub async fn get_record(&self, key: &str) -> reqwest::Result<reqwest::Response> {
        let path = format!("/api/v1/records/{key}");
        self.send(self.signed("GET", &path, Vec::new())).await
    }

    /// `GET /__simulator/<what>` (unsigned).
    pub async fn sim_get(&self, what: &str) -> Value {
        self.http
            .get(format!("{}/__simulator/{what}", self.base))
            .send()
            .await
            .expect("simulator endpoint answers")
            .json()
            .await
            .expect("simulator endpoint answers JSON")
    }

    pub async fn sim_post(&self, what: &str, body: Value) -> reqwest::Response {
        self.http
            .post(format!("{}/__simulator/{what}", self.base))
            .json(&body)
            .send()
            .await
            .expect("simulator endpoint answers")
    }
}

/// The `type` of a problem answer, shortened to its name.
pub(crate) async fn problem_type(resp: reqwest::Response) -> String {
    let content_type = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        content_type, "application/problem+json",
        "errors are RFC 7807 problems"
    );
    let body: Value = resp.json().await.expect("a problem is JSON");
    for member in ["type", "title", "status", "detail"] {
        assert!(body.get(member).is_some(), "a problem has {member}: {body}");
    }
    body["type"]
        .as_str()
        .unwrap_or_default()
        .trim_start_matches("https://tracedesk.invalid/problems/")
        .to_owned()
}

pub(crate) fn statuses(results: &[Value]) -> Vec<String> {
    results
        .iter()
        .map(|r| {
            let status = r["status"].as_str().unwrap_or_default();
            match r["code"].as_str() {
                Some(code) => format!("{status}:{code}"),
                None => status.to_owned(),
            }
        })
        .collect()
}
