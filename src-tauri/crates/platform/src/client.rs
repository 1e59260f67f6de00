//! The signed HTTP client of the submission contract (§1, §2, §6, §7, §8).
//!
//! One [`Client`] keeps one connection pool, so the batches of a run reuse their connection.
//! Every call returns the [`Exchange`] (what was sent and what came back, for the archive) along
//! with its typed result, whatever happened. The App Secret is only ever an HMAC key: it is not in
//! any `Debug` output, any `Exchange` or any error.

use std::time::{Duration, Instant, SystemTime};

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::anchor::{ARCHIVE_HEAD_HEADER, AnchorBody, AnchorStatus, ArchiveAnchor};
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
    /// A 3xx answer. The client never follows redirects: the signed headers (and the records)
    /// must not travel to an address the user did not enter.
    #[error(
        "平台地址发生了重定向（HTTP {status}），转向 {location}。为保证签名请求不被发往其他地址，追溯通不跟随重定向：请在“设置 → 平台连接”中填写最终地址。 \
         The platform address redirects (HTTP {status}) to {location}; tracedesk does not follow redirects, so that signed requests never go to another address: enter the final address under Settings → Platform."
    )]
    Redirected {
        status: u16,
        /// The `Location` answered, resolved against the request URL (`(none)` when absent).
        location: String,
    },
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
            // The address is wrong: nothing was stored, and resending cannot help.
            Error::Config(_) | Error::Redirected { .. } => Disposition::Defect,
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
            Error::Redirected { .. } => "redirected".into(),
        }
    }

    /// What to tell the clerk: what went wrong and what to do, in Chinese and in English.
    pub fn messages(&self) -> (String, String) {
        match self {
            Error::Offline(e) => (
                format!("无法连接平台：{e}。请检查网络，或在“设置 → 平台连接”中核对平台地址"),
                format!(
                    "cannot reach the platform: {e}; check the network, or the platform address under Settings → Platform"
                ),
            ),
            Error::Timeout => (
                "平台未在规定时间内答复，请稍后重试".into(),
                "the platform did not answer in time; try again later".into(),
            ),
            Error::Dropped(e) => (
                format!("平台答复前连接中断：{e}。请稍后重试"),
                format!(
                    "the connection was lost before the platform answered: {e}; try again later"
                ),
            ),
            Error::Malformed { status, detail } => (
                format!("平台的答复无法识别（HTTP {status}）：{detail}"),
                format!("the platform's answer cannot be read (HTTP {status}): {detail}"),
            ),
            Error::Problem {
                status,
                name,
                title,
                detail,
                ..
            } => {
                let (zh, en) = match name.as_str() {
                    "bad-signature" | "auth-expired" => (
                        "请在“设置 → 平台连接”中核对或更新 AppKey/AppSecret",
                        "check or renew the App Key/Secret under Settings → Platform",
                    ),
                    "clock-skew" => ("请校准电脑时间", "correct this computer's clock"),
                    "rate-limited" | "unavailable" | "replay" => ("请稍后重试", "try again later"),
                    _ => ("请核对平台地址", "check the platform address"),
                };
                (
                    format!("平台答复 {title}（HTTP {status} {name}）：{detail}。{zh}"),
                    format!("the platform answered {name} (HTTP {status}): {detail}; {en}"),
                )
            }
            Error::Status { status, .. } => (
                format!("平台答复 HTTP {status}，请核对平台地址或稍后重试"),
                format!(
                    "the platform answered HTTP {status}; check the platform address or try again later"
                ),
            ),
            Error::Config(e) => (
                format!("平台连接设置有误：{e}。请在“设置 → 平台连接”中修改"),
                format!("invalid platform settings: {e}; correct them under Settings → Platform"),
            ),
            Error::Redirected { status, location } => (
                format!(
                    "平台地址发生了重定向（HTTP {status}），转向 {location}。为保证签名请求不被发往其他地址，追溯通不跟随重定向：请在“设置 → 平台连接”中填写最终地址"
                ),
                format!(
                    "the platform address redirects (HTTP {status}) to {location}; tracedesk does not follow redirects, so that signed requests never go to another address: enter the final address under Settings → Platform"
                ),
            ),
        }
    }
}

const PROBLEM_PREFIX: &str = "https://tracedesk.invalid/problems/";

fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// The longest wait a `Retry-After` may ask for. Longer answers are cut to this, so that no
/// caller ever adds an absurd duration to a clock (which panics on overflow), and a run that
/// waits is never parked for days by one header.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// Reads a `Retry-After` value (RFC 9110 §10.2.3) at time `now`: delay-seconds (any number of
/// digits; more than fits a `u64` is simply very long) or an HTTP-date (IMF-fixdate, and the
/// obsolete RFC 850 and asctime forms recipients must accept), parsed by the `httpdate` crate. A
/// date in the past means 0; every answer is at most [`MAX_RETRY_AFTER`]. Anything else (empty,
/// negative, fractional, garbage) is `None`: the caller backs off on its own.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        let secs = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(secs).min(MAX_RETRY_AFTER));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(now)
            .unwrap_or(Duration::ZERO)
            .min(MAX_RETRY_AFTER),
    )
}

fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    parse_retry_after(value, SystemTime::now())
}

/// The `Location` of a 3xx answer, resolved against the request URL, for the message.
fn redirect_target(request: &reqwest::Url, headers: &reqwest::header::HeaderMap) -> String {
    let Some(raw) = headers
        .get(reqwest::header::LOCATION)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    else {
        return "(none)".into();
    };
    let resolved = request
        .join(raw.trim())
        .map(|u| u.to_string())
        .unwrap_or(raw);
    // A hostile server may send anything: keep the message readable.
    const MAX: usize = 300;
    if resolved.chars().count() > MAX {
        format!("{}…", resolved.chars().take(MAX).collect::<String>())
    } else {
        resolved
    }
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
            // Never follow a redirect: reqwest would resend the X-App-Key/X-Signature headers
            // (and a 307/308 the records too) to whatever host the answer names. A 3xx comes
            // back as `Error::Redirected` instead.
            .redirect(reqwest::redirect::Policy::none())
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
            anchor: None,
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
            .request(method.clone(), parsed.clone())
            .header("X-App-Key", &prepared.app_key)
            .header("X-Timestamp", &prepared.timestamp)
            .header("X-Nonce", &prepared.nonce)
            .header("X-Signature", signature);
        if let Some(anchor) = &prepared.anchor {
            request = request.header(ARCHIVE_HEAD_HEADER, anchor.header_value());
        }
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
                let redirect = (300..400)
                    .contains(&status)
                    .then(|| redirect_target(&parsed, response.headers()));
                match response.text().await {
                    Err(e) => Err(classify(&e)),
                    Ok(text) => {
                        exchange.response_body = Some(text.clone());
                        if let Some(location) = redirect {
                            Err(Error::Redirected { status, location })
                        } else if (200..300).contains(&status) {
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
            Err(e) => none_if_not_found(e),
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

    /// The `GET /archive-anchor` request (contract §6.4).
    pub fn prepare_anchor(&self) -> Prepared {
        self.prepare("GET", "/archive-anchor", String::new())
    }

    /// Sends a prepared anchor request: `Some` with the latest anchor the platform received for
    /// this App Key, `None` on `404 not-found` (it has received none).
    pub async fn send_anchor(
        &self,
        prepared: Prepared,
    ) -> (Exchange, Result<Option<AnchorStatus>, Error>) {
        let (exchange, result) = self.execute(prepared).await;
        let result = match result {
            Ok((status, text)) => serde_json::from_str::<AnchorBody>(&text)
                .map_err(|e| e.to_string())
                .and_then(AnchorBody::checked)
                .map(Some)
                .map_err(|detail| Error::Malformed { status, detail }),
            Err(e) => none_if_not_found(e),
        };
        (exchange, result)
    }

    /// `GET /archive-anchor` in one call.
    pub async fn archive_anchor(&self) -> (Exchange, Result<Option<AnchorStatus>, Error>) {
        let prepared = self.prepare_anchor();
        self.send_anchor(prepared).await
    }
}

/// `Ok(None)` on the platform's `404 not-found` (it holds no such thing), else `Err(e)`.
fn none_if_not_found<T>(e: Error) -> Result<Option<T>, Error> {
    match e {
        Error::Problem {
            status: 404,
            ref name,
            ..
        } if name == "not-found" => Ok(None),
        e => Err(e),
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
    /// The archive head sent as `X-Archive-Head` (§6.4), if any.
    pub anchor: Option<ArchiveAnchor>,
}

impl Prepared {
    /// The non-secret headers, as a JSON object text, for the archive.
    pub fn headers_json(&self) -> String {
        let mut headers = serde_json::json!({
            "X-App-Key": self.app_key,
            "X-Timestamp": self.timestamp,
            "X-Nonce": self.nonce,
        });
        if let Some(anchor) = &self.anchor {
            headers[ARCHIVE_HEAD_HEADER] = serde_json::Value::from(anchor.header_value());
        }
        headers.to_string()
    }

    /// The same request carrying the client's archive head as `X-Archive-Head` (§6.4). Take the
    /// head before the request itself is archived: the anchor witnesses the archive as it was
    /// when the request was prepared. The header is not part of the signature (§2).
    pub fn with_anchor(mut self, anchor: &ArchiveAnchor) -> Prepared {
        self.anchor = Some(anchor.clone());
        self
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
