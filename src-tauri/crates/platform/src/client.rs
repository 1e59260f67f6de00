//! The signed HTTP client of the submission contract (§1, §2, §6, §7, §8).
//!
//! One [`Client`] keeps one connection pool, so the batches of a run reuse their connection.
//! Every call returns the [`Exchange`] (what was sent and what came back, for the archive) along
//! with its typed result, whatever happened. The App Secret is only ever an HMAC key: it is not in
//! any `Debug` output, any `Exchange` or any error.

use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::canonical::sha256_hex;
use crate::wire;

/// App Key and App Secret (§2). `Debug` shows the key only.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub app_key: String,
    pub app_secret: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("app_key", &self.app_key)
            .field("app_secret", &"<redacted>")
            .finish()
    }
}

/// The §2 canonical string: method, path, timestamp, nonce and body hash joined by LF.
pub fn canonical_string(
    method: &str,
    path: &str,
    timestamp: &str,
    nonce: &str,
    body: &[u8],
) -> String {
    format!(
        "{method}\n{path}\n{timestamp}\n{nonce}\n{}",
        sha256_hex(body)
    )
}

/// Lower-case hex HMAC-SHA256 of the canonical string, keyed with the App Secret (§2).
pub fn sign(
    secret: &str,
    method: &str,
    path: &str,
    timestamp: &str,
    nonce: &str,
    body: &[u8],
) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(canonical_string(method, path, timestamp, nonce, body).as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// 32 random characters from `[0-9a-f]` (128 bits), new for every request (§2).
pub fn nonce() -> String {
    let mut bytes = [0u8; 16];
    // The OS random source does not fail on the platforms we ship to; if it ever did, a nonce
    // from the clock still differs per request, and the platform would say `replay` otherwise.
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        bytes = nanos.to_le_bytes();
    }
    hex::encode(bytes)
}

/// Whether `url` may be used: https anywhere, plain http only on loopback (§1).
pub fn check_url(url: &str) -> Result<reqwest::Url, Error> {
    let parsed = reqwest::Url::parse(url).map_err(|e| Error::Config(format!("{url}: {e}")))?;
    let host = parsed.host_str().unwrap_or("");
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if loopback => Ok(parsed),
        _ => Err(Error::Config(format!(
            "{url}: the platform must be reached over https (plain http only on this computer)"
        ))),
    }
}

/// What was sent and what came back: one archive entry. Never holds the App Secret or the
/// signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    pub method: String,
    /// The request target as signed, e.g. `/api/v1/records:batch`.
    pub endpoint: String,
    pub app_key: String,
    pub timestamp: String,
    pub nonce: String,
    pub request_body: String,
    /// RFC 3339 UTC.
    pub sent_at: String,
    pub received_at: String,
    pub duration_ms: u64,
    /// `None` when no HTTP status arrived (offline, timeout, dropped connection).
    pub status: Option<u16>,
    pub request_id: Option<String>,
    pub response_body: Option<String>,
    /// The response's `Date` header as sent (an HTTP-date), when there was one: the platform's
    /// clock, to compare with this computer's (contract §7 `clock-skew`).
    pub date: Option<String>,
}

/// A record's answer in a batch (§6.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordOutcome {
    /// Stored now.
    Accepted { receipt_id: String },
    /// Stored earlier (or earlier in the same batch): a success; the platform kept the first copy.
    Duplicate { receipt_id: String },
    /// Not stored. `retryable`: send the same record again later; otherwise the content must change.
    Rejected {
        code: String,
        reason: String,
        retryable: bool,
        pointer: Option<String>,
    },
}

/// `GET /records/{key}` when the platform holds the record (§6.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordStatus {
    pub receipt_id: String,
    pub accepted_at: Option<String>,
    pub error_declared_by: Option<String>,
}

/// What to do after a failed call, per contract §8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    /// Nothing was stored: send the same records again after `retry_after` (or a backoff).
    NotStored { retry_after: Option<Duration> },
    /// The platform could not be reached; nothing was sent. Wait for the network.
    Offline,
    /// The platform may or may not have stored the records: never a rejection; resend the same
    /// records (stored ones come back `duplicate`) or reconcile their keys.
    Unknown,
    /// Stop all submission until the user acts.
    Paused(PauseReason),
    /// More than the platform takes in one request: split the batch.
    TooLarge,
    /// The request itself is wrong (400/404/405/415): a client defect or a wrong address.
    Defect,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PauseReason {
    /// `401 auth-expired`: credentials expired or revoked.
    AuthExpired,
    /// `401 bad-signature`: wrong App Key or Secret.
    BadSignature,
    /// `401 clock-skew`: this computer's clock is off by more than 300 s.
    ClockSkew,
}

/// A failed call (§7, §8).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("cannot reach the platform: {0}")]
    Offline(String),
    #[error("the platform did not answer in time")]
    Timeout,
    #[error("the connection was lost before an answer arrived: {0}")]
    Dropped(String),
    #[error("unreadable answer (HTTP {status}): {detail}")]
    Malformed { status: u16, detail: String },
    #[error("platform problem {name} (HTTP {status}): {detail}")]
    Problem {
        status: u16,
        /// The last segment of the problem `type`, e.g. `rate-limited`.
        name: String,
        title: String,
        detail: String,
        retry_after: Option<Duration>,
    },
    #[error("HTTP {status} without a problem body")]
    Status {
        status: u16,
        retry_after: Option<Duration>,
    },
    #[error("invalid platform configuration: {0}")]
    Config(String),
}

fn by_status(status: u16, retry_after: Option<Duration>) -> Disposition {
    match status {
        429 | 503 => Disposition::NotStored { retry_after },
        401 => Disposition::Paused(PauseReason::BadSignature),
        413 => Disposition::TooLarge,
        500..=599 => Disposition::Unknown,
        _ => Disposition::Defect,
    }
}

impl Error {
    pub fn disposition(&self) -> Disposition {
        match self {
            Error::Offline(_) => Disposition::Offline,
            Error::Timeout | Error::Dropped(_) | Error::Malformed { .. } => Disposition::Unknown,
            Error::Problem {
                status,
                name,
                retry_after,
                ..
            } => match name.as_str() {
                "rate-limited" | "unavailable" => Disposition::NotStored {
                    retry_after: *retry_after,
                },
                // A fresh nonce is all a retry needs (§7).
                "replay" => Disposition::NotStored {
                    retry_after: Some(Duration::ZERO),
                },
                "auth-expired" => Disposition::Paused(PauseReason::AuthExpired),
                "bad-signature" => Disposition::Paused(PauseReason::BadSignature),
                "clock-skew" => Disposition::Paused(PauseReason::ClockSkew),
                "too-large" => Disposition::TooLarge,
                "malformed" | "unsupported-media-type" | "method-not-allowed" | "not-found" => {
                    Disposition::Defect
                }
                _ => by_status(*status, *retry_after),
            },
            Error::Status {
                status,
                retry_after,
            } => by_status(*status, *retry_after),
            Error::Config(_) => Disposition::Defect,
        }
    }

    /// The problem `type` name or a short word for the failure, for the archive and the UI.
    pub fn code(&self) -> String {
        match self {
            Error::Offline(_) => "offline".into(),
            Error::Timeout => "timeout".into(),
            Error::Dropped(_) => "connection-dropped".into(),
            Error::Malformed { .. } => "malformed-response".into(),
            Error::Problem { name, .. } => name.clone(),
            Error::Status { status, .. } => format!("http-{status}"),
            Error::Config(_) => "config".into(),
        }
    }
}

const PROBLEM_PREFIX: &str = "https://tracedesk.invalid/problems/";

fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

fn classify(err: &reqwest::Error) -> Error {
    if err.is_connect() {
        Error::Offline(err.to_string())
    } else if err.is_timeout() {
        Error::Timeout
    } else {
        Error::Dropped(err.to_string())
    }
}

/// The contract client.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    /// The base URL without a trailing slash, e.g. `https://host/api/v1`.
    base: String,
    credentials: Credentials,
}

impl Client {
    /// A client for the platform at `base_url` (the full base, e.g. `https://host/api/v1`).
    /// `timeout` bounds each request from connect to the last byte (the contract suggests 30 s).
    pub fn new(
        base_url: &str,
        credentials: Credentials,
        timeout: Duration,
    ) -> Result<Client, Error> {
        let base = base_url.trim_end_matches('/').to_string();
        check_url(&base)?;
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .pool_idle_timeout(Duration::from_secs(60))
            .user_agent(concat!("tracedesk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Config(e.to_string()))?;
        Ok(Client {
            http,
            base,
            credentials,
        })
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// `{"records":[…]}` from the records' stored JSON texts, without re-encoding them.
    pub fn batch_body(records: &[&str]) -> String {
        let len = records.iter().map(|r| r.len() + 1).sum::<usize>() + 16;
        let mut body = String::with_capacity(len);
        body.push_str("{\"records\":[");
        for (i, record) in records.iter().enumerate() {
            if i > 0 {
                body.push(',');
            }
            body.push_str(record);
        }
        body.push_str("]}");
        body
    }

    /// Everything about a request that is fixed before it leaves: the target as signed, the time
    /// stamp, the nonce and the body. The caller archives it, then [`Client::execute`]s it.
    pub fn prepare(&self, method: &str, suffix: &str, body: String) -> Prepared {
        let url = format!("{}{suffix}", self.base);
        let endpoint = match reqwest::Url::parse(&url) {
            Ok(parsed) => match parsed.query() {
                Some(q) => format!("{}?{q}", parsed.path()),
                None => parsed.path().to_string(),
            },
            Err(_) => suffix.to_string(),
        };
        Prepared {
            method: method.to_string(),
            url,
            endpoint,
            app_key: self.credentials.app_key.clone(),
            timestamp: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or_default()
                .to_string(),
            nonce: nonce(),
            body,
        }
    }

    /// Sends a prepared request, signed now, and returns what came back.
    pub async fn execute(&self, prepared: Prepared) -> (Exchange, Result<(u16, String), Error>) {
        let started = Instant::now();
        let mut exchange = Exchange {
            method: prepared.method.clone(),
            endpoint: prepared.endpoint.clone(),
            app_key: prepared.app_key.clone(),
            timestamp: prepared.timestamp.clone(),
            nonce: prepared.nonce.clone(),
            request_body: String::new(),
            sent_at: now_rfc3339(),
            received_at: String::new(),
            duration_ms: 0,
            status: None,
            request_id: None,
            response_body: None,
            date: None,
        };
        let method = match reqwest::Method::from_bytes(prepared.method.as_bytes()) {
            Ok(m) => m,
            Err(e) => return (exchange, Err(Error::Config(e.to_string()))),
        };
        let parsed = match reqwest::Url::parse(&prepared.url) {
            Ok(u) => u,
            Err(e) => return (exchange, Err(Error::Config(e.to_string()))),
        };
        // Sign the request target exactly as it goes on the request line (§2).
        let signature = sign(
            &self.credentials.app_secret,
            method.as_str(),
            &prepared.endpoint,
            &prepared.timestamp,
            &prepared.nonce,
            prepared.body.as_bytes(),
        );
        let mut request = self
            .http
            .request(method.clone(), parsed)
            .header("X-App-Key", &prepared.app_key)
            .header("X-Timestamp", &prepared.timestamp)
            .header("X-Nonce", &prepared.nonce)
            .header("X-Signature", signature);
        if method == reqwest::Method::POST {
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(prepared.body.clone());
        }
        exchange.request_body = prepared.body;
        let result = match request.send().await {
            Err(e) => Err(classify(&e)),
            Ok(response) => {
                let status = response.status().as_u16();
                exchange.status = Some(status);
                exchange.request_id = response
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                exchange.date = response
                    .headers()
                    .get(reqwest::header::DATE)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                let after = retry_after(response.headers());
                match response.text().await {
                    Err(e) => Err(classify(&e)),
                    Ok(text) => {
                        exchange.response_body = Some(text.clone());
                        if (200..300).contains(&status) {
                            Ok((status, text))
                        } else {
                            Err(problem(status, &text, after))
                        }
                    }
                }
            }
        };
        exchange.received_at = now_rfc3339();
        exchange.duration_ms = started.elapsed().as_millis() as u64;
        (exchange, result)
    }

    /// The `POST /records:batch` request for the records' stored texts.
    pub fn prepare_batch(&self, records: &[&str]) -> Prepared {
        self.prepare("POST", "/records:batch", Client::batch_body(records))
    }

    /// Sends a prepared batch; the results come back in request order, checked against the
    /// keys sent (`keys[i]` is the key of record `i`).
    pub async fn send_batch(
        &self,
        prepared: Prepared,
        keys: &[&str],
    ) -> (Exchange, Result<Vec<RecordOutcome>, Error>) {
        let (exchange, result) = self.execute(prepared).await;
        let result = result.and_then(|(status, text)| parse_batch(status, &text, keys));
        (exchange, result)
    }

    /// `POST /records:batch` in one call.
    pub async fn submit_batch(
        &self,
        keys: &[&str],
        records: &[&str],
    ) -> (Exchange, Result<Vec<RecordOutcome>, Error>) {
        let prepared = self.prepare_batch(records);
        self.send_batch(prepared, keys).await
    }

    /// The `GET /records/{key}` request.
    pub fn prepare_status(&self, key: &str) -> Prepared {
        self.prepare("GET", &format!("/records/{key}"), String::new())
    }

    /// Sends a prepared status request: `Some` when the platform holds the record, `None` on 404.
    pub async fn send_status(
        &self,
        prepared: Prepared,
        key: &str,
    ) -> (Exchange, Result<Option<RecordStatus>, Error>) {
        let (exchange, result) = self.execute(prepared).await;
        let result = match result {
            Ok((status, text)) => match serde_json::from_str::<wire::RecordStatus>(&text) {
                Ok(s) if s.idempotency_key == key && s.status == "accepted" => {
                    Ok(Some(RecordStatus {
                        receipt_id: s.receipt_id,
                        accepted_at: s.accepted_at,
                        error_declared_by: s.error_declared_by,
                    }))
                }
                Ok(_) => Err(Error::Malformed {
                    status,
                    detail: "the status names another record".into(),
                }),
                Err(e) => Err(Error::Malformed {
                    status,
                    detail: e.to_string(),
                }),
            },
            Err(Error::Problem {
                status: 404,
                ref name,
                ..
            }) if name == "not-found" => Ok(None),
            Err(e) => Err(e),
        };
        (exchange, result)
    }

    /// `GET /records/{key}` in one call.
    pub async fn record_status(
        &self,
        key: &str,
    ) -> (Exchange, Result<Option<RecordStatus>, Error>) {
        let prepared = self.prepare_status(key);
        self.send_status(prepared, key).await
    }
}

/// A request ready to go: what the archive records before it is sent. Holds no secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    pub method: String,
    pub url: String,
    /// The request target as signed (`/api/v1/records:batch`).
    pub endpoint: String,
    pub app_key: String,
    pub timestamp: String,
    pub nonce: String,
    pub body: String,
}

impl Prepared {
    /// The non-secret headers, as a JSON object text, for the archive.
    pub fn headers_json(&self) -> String {
        serde_json::json!({
            "X-App-Key": self.app_key,
            "X-Timestamp": self.timestamp,
            "X-Nonce": self.nonce,
        })
        .to_string()
    }
}

fn problem(status: u16, text: &str, retry_after: Option<Duration>) -> Error {
    match serde_json::from_str::<wire::Problem>(text) {
        Ok(p) => Error::Problem {
            status,
            name: p
                .type_uri
                .strip_prefix(PROBLEM_PREFIX)
                .unwrap_or(&p.type_uri)
                .to_string(),
            title: p.title.unwrap_or_default(),
            detail: p.detail.unwrap_or_default(),
            retry_after,
        },
        Err(_) => Error::Status {
            status,
            retry_after,
        },
    }
}

fn parse_batch(status: u16, text: &str, keys: &[&str]) -> Result<Vec<RecordOutcome>, Error> {
    let malformed = |detail: String| Error::Malformed { status, detail };
    let response: wire::BatchResponse =
        serde_json::from_str(text).map_err(|e| malformed(e.to_string()))?;
    if response.results.len() != keys.len() {
        return Err(malformed(format!(
            "{} results for {} records",
            response.results.len(),
            keys.len()
        )));
    }
    response
        .results
        .into_iter()
        .zip(keys)
        .enumerate()
        .map(|(i, (r, key))| {
            if r.idempotency_key.as_deref() != Some(*key) {
                return Err(malformed(format!("result {i} answers another record")));
            }
            let receipt = || {
                r.receipt_id
                    .clone()
                    .filter(|id| !id.is_empty())
                    .ok_or_else(|| malformed(format!("result {i} has no receiptId")))
            };
            match r.status.as_str() {
                "accepted" => Ok(RecordOutcome::Accepted {
                    receipt_id: receipt()?,
                }),
                "duplicate" => Ok(RecordOutcome::Duplicate {
                    receipt_id: receipt()?,
                }),
                "rejected" => Ok(RecordOutcome::Rejected {
                    code: r.code.clone().unwrap_or_default(),
                    reason: r.reason.clone().unwrap_or_default(),
                    retryable: r.retryable.unwrap_or(false),
                    pointer: r.pointer.clone(),
                }),
                other => Err(malformed(format!("result {i} has status {other:?}"))),
            }
        })
        .collect()
}
