//! The HTTP side: our own accept loop (so that a handler can drop its connection without an
//! answer, contract §10 `drop-after-store`), the routes of contract §6 and §10, authentication,
//! fault injection and batch processing.

// Early exits are whole `Response`s; their size does not matter on these paths.
#![allow(clippy::result_large_err)]

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
use serde::Serialize;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tokio::net::TcpListener;
use tokio::sync::{Notify, Semaphore, watch};
use tokio::task::JoinSet;
use tower_service::Service;

use crate::auth::{self, NonceCache, NonceCheck};
use crate::canonical;
use crate::ecode::{self, EcodeState};
use crate::faults::{self, FaultKind, Faults};
use crate::store::{Store, Stored, StoredAnchor};
use crate::validate::{self, Reject};
use crate::{Error, SimulatorConfig, Stats};

/// Most connections served at once; further ones wait in the kernel's accept queue. With the 5 MiB
/// body limit this bounds buffered request bodies to about 320 MiB.
const MAX_CONNECTIONS: usize = 64;
/// Bodies larger than this are not even drained before the 413.
const DRAIN_LIMIT: u64 = 64 * 1024 * 1024;
/// How long a client may take to send its body.
const BODY_TIMEOUT: Duration = Duration::from_secs(30);
const PROBLEM_BASE: &str = "https://tracedesk.invalid/problems/";

/// Lets a handler close its own connection without answering.
#[derive(Clone)]
pub(crate) struct ConnCtl(Arc<Notify>);

impl ConnCtl {
    fn drop_connection(&self) {
        self.0.notify_one();
    }
}

/// Counters other than `accepted`, which is the store's size.
#[derive(Debug, Default)]
struct Counters {
    rejected: u64,
    duplicates: u64,
    faults: u64,
}

pub(crate) struct Inner {
    faults: Faults,
    rng: ChaCha8Rng,
    forced: VecDeque<FaultKind>,
    pub(crate) store: Store,
    nonces: NonceCache,
    counters: Counters,
    pub(crate) ecode: EcodeState,
}

pub(crate) struct Shared {
    pub(crate) config: SimulatorConfig,
    secrets: HashMap<String, String>,
    requests: AtomicU64,
    state: Mutex<Inner>,
}

impl Shared {
    pub(crate) fn new(config: SimulatorConfig) -> Result<Shared, Error> {
        let store =
            Store::open(config.store_file.as_deref()).map_err(|source| Error::StoreFile {
                path: config.store_file.clone().unwrap_or_default(),
                source,
            })?;
        let secrets = config.credentials.iter().cloned().collect();
        let state = Inner {
            faults: config.faults.clone(),
            rng: ChaCha8Rng::seed_from_u64(config.seed),
            forced: VecDeque::new(),
            store,
            nonces: NonceCache::new(2 * config.clock_skew_secs as i64, config.max_nonces),
            counters: Counters::default(),
            ecode: EcodeState::default(),
        };
        Ok(Shared {
            config,
            secrets,
            requests: AtomicU64::new(0),
            state: Mutex::new(state),
        })
    }

    /// The state lock. No `.await` happens while it is held. A panic while holding it cannot
    /// leave a half-written record (stores are single pushes), so a poisoned lock is used as is.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn secret(&self, app_key: &str) -> Option<&str> {
        self.secrets.get(app_key).map(String::as_str)
    }

    pub(crate) fn stats(&self) -> Stats {
        let st = self.lock();
        Stats {
            accepted: st.store.len() as u64,
            rejected: st.counters.rejected,
            duplicates: st.counters.duplicates,
            requests: self.requests.load(Ordering::Relaxed),
            faults: st.counters.faults,
        }
    }

    pub(crate) fn accepted_records(&self) -> Vec<Value> {
        self.lock()
            .store
            .records()
            .iter()
            .map(|r| serde_json::from_str(&r.record).unwrap_or(Value::Null))
            .collect()
    }

    pub(crate) fn set_faults(&self, faults: Faults) {
        self.lock().faults = faults;
    }

    pub(crate) fn faults(&self) -> Faults {
        self.lock().faults.clone()
    }

    pub(crate) fn force_next(&self, kinds: &[FaultKind]) {
        self.lock().forced.extend(kinds.iter().copied());
    }

    pub(crate) fn reset(&self) {
        let mut st = self.lock();
        st.faults = self.config.faults.clone();
        st.rng = ChaCha8Rng::seed_from_u64(self.config.seed);
        st.forced.clear();
        st.store.clear();
        st.nonces.clear();
        st.counters = Counters::default();
        st.ecode = EcodeState::default();
        self.requests.store(0, Ordering::Relaxed);
    }

    /// Counts a platform request and returns its id.
    pub(crate) fn next_request(&self) -> u64 {
        self.requests.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// At most one fault for this request: a queued forced fault, else one draw (contract §10).
    pub(crate) fn draw_fault(&self) -> Option<FaultKind> {
        let mut st = self.lock();
        if let Some(kind) = st.forced.pop_front() {
            return Some(kind);
        }
        if st.faults.is_none() {
            return None;
        }
        let u = faults::unit(&mut st.rng);
        st.faults.pick(u)
    }

    pub(crate) fn count_fault(&self) {
        self.lock().counters.faults += 1;
    }
}

// ---- accept loop ----

pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<bool>,
) {
    let router = router(shared);
    let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut connections = JoinSet::new();
    loop {
        while connections.try_join_next().is_some() {}
        let permit = tokio::select! {
            _ = stop.changed() => break,
            permit = permits.clone().acquire_owned() => match permit {
                Ok(p) => p,
                Err(_) => break,
            },
        };
        let stream = tokio::select! {
            _ = stop.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Usually "too many open files": back off instead of spinning.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
        };
        let router = router.clone();
        let mut stop = stop.clone();
        connections.spawn(async move {
            let _permit = permit;
            let kill = Arc::new(Notify::new());
            let ctl = ConnCtl(kill.clone());
            let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
                req.extensions_mut().insert(ctl.clone());
                let mut router = router.clone();
                async move { router.call(req).await }
            });
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(Duration::from_secs(10));
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            // Dropping the connection future closes the socket without a response.
            tokio::select! {
                _ = connection => {}
                _ = kill.notified() => {}
                _ = stop.changed() => {}
            }
        });
    }
    connections.shutdown().await;
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(
            "/api/v1/records:batch",
            post(batch).fallback(platform_method_not_allowed),
        )
        .route(
            "/api/v1/records/{key}",
            get(get_record).fallback(platform_method_not_allowed),
        )
        .route(
            "/api/v1/archive-anchor",
            get(get_anchor).fallback(platform_method_not_allowed),
        )
        .route("/interface/company/{*rest}", any(ecode::handle))
        .route("/__simulator/stats", get(sim_stats))
        .route("/__simulator/records", get(sim_records))
        .route("/__simulator/reset", post(sim_reset))
        .route(
            "/__simulator/faults",
            post(sim_set_faults).get(sim_get_faults),
        )
        .route("/__simulator/ecode", get(ecode::dump))
        .fallback(not_found)
        .with_state(shared)
}

// ---- responses ----

/// An RFC 7807 problem (contract §7).
pub(crate) fn problem(
    status: StatusCode,
    name: &str,
    title: &str,
    detail: &str,
    instance: &str,
) -> Response {
    let body = json!({
        "type": format!("{PROBLEM_BASE}{name}"),
        "title": title,
        "status": status.as_u16(),
        "detail": detail,
        "instance": instance,
    });
    let mut resp = (status, body.to_string()).into_response();
    resp.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    if matches!(
        status,
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
    ) {
        resp.headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from_static("1"));
    }
    resp
}

pub(crate) fn json_response(status: StatusCode, body: &impl Serialize) -> Response {
    let text = serde_json::to_string(body).unwrap_or_else(|_| "{}".to_owned());
    let mut resp = (status, text).into_response();
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

pub(crate) fn with_request_id(mut resp: Response, id: u64) -> Response {
    if let Ok(v) = HeaderValue::from_str(&format!("req-{id}")) {
        resp.headers_mut().insert("x-request-id", v);
    }
    resp
}

/// A 200 whose body is the first half of the real answer: a JSON object cut short never parses.
pub(crate) fn malformed(full: &[u8]) -> Response {
    let cut = full.len() / 2;
    let mut resp = (StatusCode::OK, Bytes::copy_from_slice(&full[..cut])).into_response();
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

/// Closes the connection of this request without answering (`drop-after-store`).
pub(crate) async fn drop_connection(ctl: Option<ConnCtl>, instance: &str) -> Response {
    match ctl {
        Some(ctl) => {
            ctl.drop_connection();
            // The connection task drops this future; nothing is ever sent.
            std::future::pending::<Response>().await
        }
        // Only reachable when the router is served by something other than `serve`.
        None => problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "平台暂时不可用",
            "drop-after-store needs the simulator's own server",
            instance,
        ),
    }
}

// ---- request plumbing shared by /api/v1 and /interface ----

/// What every platform request goes through before its endpoint logic.
pub(crate) struct PlatformRequest {
    pub id: u64,
    pub method: Method,
    pub headers: HeaderMap,
    /// Request target as sent (path and query), for signatures.
    pub target: String,
    pub instance: String,
    pub body: Bytes,
    pub ctl: Option<ConnCtl>,
    pub fault: Option<FaultKind>,
}

pub(crate) enum BodyError {
    TooLarge,
    Timeout,
    Broken(String),
}

/// Reads a body up to `limit` bytes. Past the limit it keeps draining (without storing) up to
/// `DRAIN_LIMIT`, so that the client is reading when the 413 arrives instead of still writing
/// into a closed socket.
async fn read_body(mut body: Body, headers: &HeaderMap, limit: usize) -> Result<Bytes, BodyError> {
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|s| s.parse::<u64>().ok());
    if declared.is_some_and(|n| n > DRAIN_LIMIT) {
        return Err(BodyError::TooLarge);
    }
    let mut too_large = declared.is_some_and(|n| n > limit as u64);
    let read = async {
        let mut buf: Vec<u8> = Vec::new();
        let mut total: u64 = 0;
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| BodyError::Broken(e.to_string()))?;
            if let Ok(data) = frame.into_data() {
                total += data.len() as u64;
                if total > limit as u64 {
                    too_large = true;
                    buf = Vec::new();
                }
                if !too_large {
                    buf.extend_from_slice(&data);
                }
                if total > DRAIN_LIMIT {
                    break;
                }
            }
        }
        if too_large {
            Err(BodyError::TooLarge)
        } else {
            Ok(Bytes::from(buf))
        }
    };
    tokio::time::timeout(BODY_TIMEOUT, read)
        .await
        .unwrap_or(Err(BodyError::Timeout))
}

/// Counts the request, reads the body and draws the fault. Returns a finished response when the
/// request ends here (413, or a fault that answers before anything else). `envelope` builds the
/// body of fault answers for the Ecode shape; `None` means RFC 7807 problems.
pub(crate) async fn begin(
    shared: &Shared,
    req: Request,
    ecode_envelope: bool,
) -> Result<PlatformRequest, Response> {
    let id = shared.next_request();
    let (parts, body) = req.into_parts();
    let target = parts
        .uri
        .path_and_query()
        .map(|pq| pq.as_str().to_owned())
        .unwrap_or_else(|| parts.uri.path().to_owned());
    let instance = format!("{}#req-{id}", parts.uri.path());
    let ctl = parts.extensions.get::<ConnCtl>().cloned();
    let finish = |resp: Response| with_request_id(resp, id);
    let body = match read_body(body, &parts.headers, shared.config.max_body_bytes).await {
        Ok(b) => b,
        Err(BodyError::TooLarge) => {
            let detail = format!(
                "每批最多 {} 条记录、{} 字节；本次请求体超过 {} 字节",
                shared.config.max_batch_records,
                shared.config.max_body_bytes,
                shared.config.max_body_bytes
            );
            return Err(finish(problem(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                "请求过大",
                &detail,
                &instance,
            )));
        }
        Err(BodyError::Timeout) => {
            return Err(finish(problem(
                StatusCode::BAD_REQUEST,
                "malformed",
                "请求格式错误",
                "请求体读取超时",
                &instance,
            )));
        }
        Err(BodyError::Broken(e)) => {
            return Err(finish(problem(
                StatusCode::BAD_REQUEST,
                "malformed",
                "请求格式错误",
                &format!("请求体读取失败：{e}"),
                &instance,
            )));
        }
    };
    let fault = shared.draw_fault();
    if matches!(
        fault,
        Some(
            FaultKind::ServerError
                | FaultKind::RateLimited
                | FaultKind::AuthExpired
                | FaultKind::Timeout
                | FaultKind::Slow
        )
    ) {
        shared.count_fault();
    }
    let early = match fault {
        Some(FaultKind::ServerError) => Some(unavailable(ecode_envelope, &instance)),
        Some(FaultKind::RateLimited) => {
            let resp = if ecode_envelope {
                ecode::envelope_status(
                    StatusCode::TOO_MANY_REQUESTS,
                    429,
                    "请求过于频繁，请稍后重试",
                )
            } else {
                problem(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate-limited",
                    "请求过于频繁",
                    "请在 Retry-After 指定的秒数后重试",
                    &instance,
                )
            };
            Some(resp)
        }
        Some(FaultKind::AuthExpired) => Some(if ecode_envelope {
            ecode::envelope_error(1003, "认证已过期，请重新获取接入凭证")
        } else {
            auth_expired(&instance)
        }),
        Some(FaultKind::Timeout) => {
            tokio::time::sleep(Duration::from_millis(shared.config.timeout_ms)).await;
            Some(unavailable(ecode_envelope, &instance))
        }
        Some(FaultKind::Slow) => {
            tokio::time::sleep(Duration::from_millis(shared.config.slow_ms)).await;
            None
        }
        _ => None,
    };
    if let Some(mut resp) = early {
        if resp.headers().contains_key(RETRY_AFTER)
            && let Ok(value) = HeaderValue::from_str(&shared.config.retry_after)
        {
            resp.headers_mut().insert(RETRY_AFTER, value);
        }
        return Err(finish(resp));
    }
    Ok(PlatformRequest {
        id,
        method: parts.method,
        headers: parts.headers,
        target,
        instance,
        body,
        ctl,
        fault,
    })
}

fn unavailable(ecode_envelope: bool, instance: &str) -> Response {
    if ecode_envelope {
        ecode::envelope_status(
            StatusCode::SERVICE_UNAVAILABLE,
            503,
            "平台暂时不可用，请稍后重试",
        )
    } else {
        problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "平台暂时不可用",
            "平台维护或繁忙，未保存任何记录，请稍后重试",
            instance,
        )
    }
}

fn auth_expired(instance: &str) -> Response {
    problem(
        StatusCode::UNAUTHORIZED,
        "auth-expired",
        "接入凭证已过期",
        "App Key 已过期或被停用，请在平台重新获取接入凭证",
        instance,
    )
}

/// Contract §2, checks in order: headers and signature, clock, nonce.
fn authenticate(shared: &Shared, req: &PlatformRequest) -> Result<(), Response> {
    let bad = |detail: &str| {
        problem(
            StatusCode::UNAUTHORIZED,
            "bad-signature",
            "签名验证失败",
            detail,
            &req.instance,
        )
    };
    let header = |name: &str| -> Result<&str, Response> {
        match req.headers.get(name) {
            None => Err(bad(&format!("缺少请求头 {name}"))),
            Some(v) => v
                .to_str()
                .map_err(|_| bad(&format!("请求头 {name} 含非 ASCII 字符"))),
        }
    };
    let app_key = header("X-App-Key")?;
    let timestamp = header("X-Timestamp")?;
    let nonce = header("X-Nonce")?;
    let signature = header("X-Signature")?;
    let Some(ts) = auth::parse_timestamp(timestamp) else {
        return Err(bad("X-Timestamp 应为 Unix 秒数（纯数字）"));
    };
    if !auth::nonce_is_well_formed(nonce) {
        return Err(bad("X-Nonce 应为 16–64 位字母、数字、- 或 _"));
    }
    let Some(secret) = shared.secret(app_key) else {
        return Err(bad("未知的 App Key，请检查接入凭证"));
    };
    let canonical = auth::canonical_string(
        req.method.as_str(),
        &req.target,
        timestamp,
        nonce,
        &req.body,
    );
    if !auth::verify(secret, &canonical, signature) {
        return Err(bad(
            "X-Signature 与请求内容不符，请检查 App Secret 是否正确",
        ));
    }
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let skew = (now - ts).abs();
    if skew > shared.config.clock_skew_secs as i64 {
        return Err(problem(
            StatusCode::UNAUTHORIZED,
            "clock-skew",
            "请求时间戳超出允许范围",
            &format!(
                "X-Timestamp 与平台时间相差 {skew} 秒（允许 ±{} 秒），请校准电脑时间",
                shared.config.clock_skew_secs
            ),
            &req.instance,
        ));
    }
    let check = shared.lock().nonces.check_and_insert(app_key, nonce, now);
    match check {
        NonceCheck::Fresh => Ok(()),
        NonceCheck::Replayed => Err(problem(
            StatusCode::UNAUTHORIZED,
            "replay",
            "重复的请求",
            &format!(
                "X-Nonce 在 {} 秒内已使用过",
                2 * shared.config.clock_skew_secs
            ),
            &req.instance,
        )),
        NonceCheck::Full => Err(problem(
            StatusCode::TOO_MANY_REQUESTS,
            "rate-limited",
            "请求过于频繁",
            "请求过多，请在 Retry-After 指定的秒数后重试",
            &req.instance,
        )),
    }
}

// ---- /api/v1 ----

/// One entry of `results` (contract §6.1).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RecordResult {
    idempotency_key: Option<String>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    receipt_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retryable: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pointer: Option<String>,
}

impl RecordResult {
    fn accepted(key: String, receipt: String, status: &'static str) -> RecordResult {
        RecordResult {
            idempotency_key: Some(key),
            status,
            receipt_id: Some(receipt),
            code: None,
            reason: None,
            retryable: None,
            pointer: None,
        }
    }

    fn rejected(
        key: Option<String>,
        code: &'static str,
        reason: String,
        retryable: bool,
        pointer: Option<String>,
    ) -> RecordResult {
        RecordResult {
            idempotency_key: key,
            status: "rejected",
            receipt_id: None,
            code: Some(code),
            reason: Some(reason),
            retryable: Some(retryable),
            pointer,
        }
    }
}

async fn batch(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let req = match begin(&shared, req, false).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let id = req.id;
    with_request_id(batch_inner(&shared, req).await, id)
}

async fn batch_inner(shared: &Shared, req: PlatformRequest) -> Response {
    if let Err(resp) = authenticate(shared, &req) {
        return resp;
    }
    let malformed_request = |detail: &str| {
        problem(
            StatusCode::BAD_REQUEST,
            "malformed",
            "请求格式错误",
            detail,
            &req.instance,
        )
    };
    let anchor = match archive_head(&req.headers) {
        Ok(anchor) => anchor,
        Err(detail) => return malformed_request(&detail),
    };
    if !is_json_content_type(&req.headers) {
        return problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "不支持的内容类型",
            "Content-Type 应为 application/json（UTF-8）",
            &req.instance,
        );
    }
    let body = match canonical::parse_strict(&req.body) {
        Ok(v) => v,
        Err(e) => return malformed_request(&format!("请求体不是合法的 JSON：{e}")),
    };
    let Some(top) = body.as_object() else {
        return malformed_request("请求体应为 JSON 对象 {\"records\": [...]}");
    };
    if let Some(other) = top.keys().find(|k| k.as_str() != "records") {
        return malformed_request(&format!("请求体只允许 records 字段，发现 {other:?}"));
    }
    let Some(records) = top.get("records").and_then(Value::as_array) else {
        return malformed_request("缺少 records 数组");
    };
    if records.is_empty() {
        return malformed_request("records 不能为空");
    }
    if records.len() > shared.config.max_batch_records {
        return problem(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            "请求过大",
            &format!(
                "每批最多 {} 条记录、{} 字节；本批 {} 条",
                shared.config.max_batch_records,
                shared.config.max_body_bytes,
                records.len()
            ),
            &req.instance,
        );
    }
    let now = OffsetDateTime::now_utc();
    let results = process_batch(shared, records, req.fault, now);
    if let Some((entries, hash)) = anchor {
        let received_at = now
            .replace_nanosecond(0)
            .unwrap_or(now)
            .format(&Rfc3339)
            .unwrap_or_default();
        let app_key = req
            .headers
            .get("X-App-Key")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        shared.lock().store.set_anchor(
            app_key,
            StoredAnchor {
                entries,
                hash,
                received_at,
            },
        );
    }
    let body = json!({ "results": results });
    match req.fault {
        Some(FaultKind::DropAfterStore) => {
            shared.count_fault();
            drop_connection(req.ctl, &req.instance).await
        }
        Some(FaultKind::Malformed) => {
            shared.count_fault();
            malformed(body.to_string().as_bytes())
        }
        _ => json_response(StatusCode::OK, &body),
    }
}

/// The `X-Archive-Head` of a batch (contract §6.4): absent, or exactly one well-formed value;
/// anything else is the detail of a `400 malformed`.
fn archive_head(headers: &HeaderMap) -> Result<Option<(u64, String)>, String> {
    let mut values = headers.get_all("X-Archive-Head").iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err("X-Archive-Head 只能出现一次".to_owned());
    }
    value
        .to_str()
        .ok()
        .and_then(crate::checks::archive_head)
        .map(|(entries, hash)| Some((entries, hash.to_owned())))
        .ok_or_else(|| {
            format!(
                "X-Archive-Head 格式错误：应为“条目数:64 位小写十六进制哈希”，如 12:{}，实为 {:?}",
                "0".repeat(64),
                String::from_utf8_lossy(value.as_bytes())
            )
        })
}

fn is_json_content_type(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let mut parts = value.split(';');
    let media = parts.next().unwrap_or_default().trim();
    if !media.eq_ignore_ascii_case("application/json") {
        return false;
    }
    parts.all(|param| match param.split_once('=') {
        Some((name, value)) if name.trim().eq_ignore_ascii_case("charset") => {
            value.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
        }
        _ => true,
    })
}

/// Judges every record in order under one lock, storing accepted ones as it goes, so that later
/// records of the batch see earlier ones (duplicates, corrections).
fn process_batch(
    shared: &Shared,
    records: &[Value],
    fault: Option<FaultKind>,
    now: OffsetDateTime,
) -> Vec<RecordResult> {
    let mut st = shared.lock();
    let st = &mut *st;
    let n = records.len();
    // Which records the fault takes away from normal processing.
    let mut skipped = vec![false; n];
    let mut rejected_by_fault = None;
    match fault {
        Some(FaultKind::Partial) => {
            for s in skipped.iter_mut() {
                *s = faults::coin(&mut st.rng);
            }
            if !skipped.contains(&true) {
                skipped[faults::index(&mut st.rng, n)] = true;
            }
            st.counters.faults += 1;
        }
        Some(FaultKind::Reject) => {
            rejected_by_fault = Some(faults::index(&mut st.rng, n));
            st.counters.faults += 1;
        }
        _ => {}
    }
    let accepted_at = now
        .replace_nanosecond(0)
        .unwrap_or(now)
        .format(&Rfc3339)
        .unwrap_or_default();
    let mut results = Vec::with_capacity(n);
    for (i, record) in records.iter().enumerate() {
        let echoed = record
            .get("idempotencyKey")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if skipped[i] {
            results.push(RecordResult::rejected(
                echoed,
                "SIM_PARTIAL",
                "平台繁忙，部分记录未处理，请重试".to_owned(),
                true,
                None,
            ));
            continue;
        }
        // A record the platform already stores is answered `duplicate`, whatever the fault: a
        // platform never rejects what it holds (contract §8).
        let stored = echoed.as_deref().is_some_and(|k| st.store.get(k).is_some());
        if rejected_by_fault == Some(i) && !stored {
            st.counters.rejected += 1;
            results.push(RecordResult::rejected(
                echoed,
                "SIM_REJECT",
                "练习模式：模拟平台拒收该记录（故障注入），请修改后作为更正重新报送".to_owned(),
                false,
                None,
            ));
            continue;
        }
        let result = judge(shared, st, record, now, &accepted_at);
        match result.status {
            "rejected" => st.counters.rejected += 1,
            "duplicate" => st.counters.duplicates += 1,
            _ => {}
        }
        results.push(result);
    }
    results
}

fn judge(
    shared: &Shared,
    st: &mut Inner,
    record: &Value,
    now: OffsetDateTime,
    accepted_at: &str,
) -> RecordResult {
    let reject = |key: Option<String>, r: Reject| {
        RecordResult::rejected(key, r.code, r.reason, false, r.pointer)
    };
    let (map, key) = match validate::check_key(record) {
        Ok(ok) => ok,
        Err((key, r)) => return reject(key, r),
    };
    if let Some(stored) = st.store.get(&key) {
        return RecordResult::accepted(key, stored.receipt_id.clone(), "duplicate");
    }
    let checked = match validate::check_content(map, now) {
        Ok(c) => c,
        Err(r) => return reject(Some(key), r),
    };
    if let Some(declaration) = &checked.declaration
        && let Err(r) = check_declaration(&st.store, declaration, &checked)
    {
        return reject(Some(key), r);
    }
    if st.store.len() >= shared.config.max_stored_records {
        return reject(
            Some(key),
            Reject {
                code: "E_QUOTA",
                reason: "平台存储配额已满".to_owned(),
                pointer: None,
            },
        );
    }
    let receipt = st.store.next_receipt();
    st.store.insert(Stored {
        key: key.clone(),
        kind: checked.kind,
        scheme: checked.scheme,
        granularity: checked.granularity,
        receipt_id: receipt.clone(),
        accepted_at: accepted_at.to_owned(),
        record: record.to_string().into_boxed_str(),
        error_declared_by: None,
    });
    RecordResult::accepted(key, receipt, "accepted")
}

/// The store-dependent rules of contract §5.
fn check_declaration(
    store: &Store,
    d: &validate::Declaration,
    checked: &validate::Checked,
) -> Result<(), Reject> {
    let Some(original) = store.get(&d.declared_key) else {
        return Err(Reject::new(
            "E_ORIGINAL_NOT_FOUND",
            "被更正的记录在平台上不存在（未报送或已被拒收）",
            "/payload/declaredKey",
        ));
    };
    if original.kind == "errorDeclaration" {
        return Err(Reject::new(
            "E_DECLARATION_MISMATCH",
            "更正声明不能指向另一条更正声明",
            "/payload/declaredKey",
        ));
    }
    if original.error_declared_by.is_some() {
        return Err(Reject::new(
            "E_ALREADY_DECLARED",
            "该记录已被另一条更正声明更正过",
            "/payload/declaredKey",
        ));
    }
    if original.scheme != checked.scheme || original.granularity != checked.granularity {
        return Err(Reject::new(
            "E_DECLARATION_MISMATCH",
            format!(
                "更正声明的编码体系/赋码粒度应与原记录一致：{}/{}",
                original.scheme, original.granularity
            ),
            "/scheme",
        ));
    }
    for (i, k) in d.corrective_keys.iter().enumerate() {
        let pointer = format!("/payload/correctiveKeys/{i}");
        let Some(corrective) = store.get(k) else {
            return Err(Reject::new(
                "E_CORRECTIVE_NOT_FOUND",
                "更正后的记录须先于更正声明报送（可放在同一批次的前面）",
                pointer,
            ));
        };
        if corrective.kind != original.kind {
            return Err(Reject::new(
                "E_CORRECTIVE_KIND",
                format!(
                    "更正后的记录类型 {} 与原记录类型 {} 不一致",
                    corrective.kind, original.kind
                ),
                pointer,
            ));
        }
    }
    Ok(())
}

async fn get_record(
    State(shared): State<Arc<Shared>>,
    key: Result<Path<String>, PathRejection>,
    req: Request,
) -> Response {
    let req = match begin(&shared, req, false).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let id = req.id;
    // A segment that does not percent-decode to UTF-8 is simply not a key: 400 after authentication.
    let key = key.map(|Path(k)| k).unwrap_or_default();
    with_request_id(get_record_inner(&shared, req, &key).await, id)
}

async fn get_record_inner(shared: &Shared, req: PlatformRequest, key: &str) -> Response {
    if let Err(resp) = authenticate(shared, &req) {
        return resp;
    }
    if !crate::checks::key(key) {
        return problem(
            StatusCode::BAD_REQUEST,
            "malformed",
            "请求格式错误",
            "幂等键应为 64 位小写十六进制",
            &req.instance,
        );
    }
    let found = shared.lock().store.get(key).map(|s| {
        let mut body = json!({
            "idempotencyKey": s.key,
            "status": "accepted",
            "receiptId": s.receipt_id,
            "kind": s.kind,
            "acceptedAt": s.accepted_at,
        });
        if let Some(by) = &s.error_declared_by {
            body["errorDeclaredBy"] = Value::String(by.clone());
        }
        body
    });
    let resp = match found {
        Some(body) => json_response(StatusCode::OK, &body),
        None => problem(
            StatusCode::NOT_FOUND,
            "not-found",
            "记录不存在",
            "平台没有保存该幂等键对应的记录",
            &req.instance,
        ),
    };
    answer_get(shared, req.fault, req.ctl, &req.instance, resp).await
}

async fn get_anchor(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let req = match begin(&shared, req, false).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let id = req.id;
    with_request_id(get_anchor_inner(&shared, req).await, id)
}

/// `GET /api/v1/archive-anchor` (contract §6.4): the latest anchor of the caller's App Key.
async fn get_anchor_inner(shared: &Shared, req: PlatformRequest) -> Response {
    if let Err(resp) = authenticate(shared, &req) {
        return resp;
    }
    let app_key = req
        .headers
        .get("X-App-Key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let found = shared.lock().store.anchor(app_key).cloned();
    let resp = match found {
        Some(anchor) => json_response(StatusCode::OK, &anchor),
        None => problem(
            StatusCode::NOT_FOUND,
            "not-found",
            "没有档案锚点",
            "平台尚未收到该 App Key 的档案锚点（X-Archive-Head）",
            &req.instance,
        ),
    };
    answer_get(shared, req.fault, req.ctl, &req.instance, resp).await
}

/// A GET's answer under its fault: `drop-after-store` closes the connection, `malformed` cuts the
/// body; the others have no effect here (contract §10).
async fn answer_get(
    shared: &Shared,
    fault: Option<FaultKind>,
    ctl: Option<ConnCtl>,
    instance: &str,
    resp: Response,
) -> Response {
    match fault {
        Some(FaultKind::DropAfterStore) => {
            shared.count_fault();
            drop_connection(ctl, instance).await
        }
        Some(FaultKind::Malformed) => {
            shared.count_fault();
            let bytes = resp
                .into_body()
                .collect()
                .await
                .map(|c| c.to_bytes())
                .unwrap_or_default();
            malformed(&bytes)
        }
        _ => resp,
    }
}

async fn platform_method_not_allowed(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let id = shared.next_request();
    let instance = format!("{}#req-{id}", req.uri().path());
    with_request_id(
        problem(
            StatusCode::METHOD_NOT_ALLOWED,
            "method-not-allowed",
            "不支持的请求方法",
            &format!("{} 不支持 {}", req.uri().path(), req.method()),
            &instance,
        ),
        id,
    )
}

async fn not_found(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let path = req.uri().path().to_owned();
    let id = if path.starts_with("/api/") || path.starts_with("/interface/") {
        shared.next_request()
    } else {
        0
    };
    let instance = format!("{path}#req-{id}");
    with_request_id(
        problem(
            StatusCode::NOT_FOUND,
            "not-found",
            "接口不存在",
            &format!("没有 {path} 这个接口"),
            &instance,
        ),
        id,
    )
}

// ---- /__simulator (contract §10) ----

async fn sim_stats(State(shared): State<Arc<Shared>>) -> Response {
    json_response(StatusCode::OK, &shared.stats())
}

async fn sim_records(State(shared): State<Arc<Shared>>) -> Response {
    json_response(
        StatusCode::OK,
        &json!({ "records": shared.accepted_records() }),
    )
}

async fn sim_reset(State(shared): State<Arc<Shared>>) -> Response {
    shared.reset();
    json_response(StatusCode::OK, &json!({ "reset": true }))
}

fn faults_state(shared: &Shared) -> Value {
    let st = shared.lock();
    json!({
        "faults": st.faults.to_string(),
        "next": st.forced.iter().map(|k| k.name()).collect::<Vec<_>>(),
    })
}

async fn sim_get_faults(State(shared): State<Arc<Shared>>) -> Response {
    json_response(StatusCode::OK, &faults_state(&shared))
}

async fn sim_set_faults(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let bad = |detail: String| {
        problem(
            StatusCode::BAD_REQUEST,
            "malformed",
            "请求格式错误",
            &detail,
            "/__simulator/faults",
        )
    };
    let value = if body.is_empty() {
        json!({})
    } else {
        match canonical::parse_strict(&body) {
            Ok(v) => v,
            Err(e) => return bad(format!("not JSON: {e}")),
        }
    };
    let Some(obj) = value.as_object() else {
        return bad("expected {\"faults\": \"…\", \"next\": [...]}".to_owned());
    };
    let faults = match obj.get("faults") {
        None => None,
        Some(Value::String(spec)) => match Faults::parse(spec) {
            Ok(f) => Some(f),
            Err(e) => return bad(e),
        },
        Some(_) => return bad("faults must be a spec string".to_owned()),
    };
    let mut next = Vec::new();
    match obj.get("next") {
        None => {}
        Some(Value::Array(items)) => {
            for item in items {
                match item.as_str().and_then(FaultKind::from_name) {
                    Some(k) => next.push(k),
                    None => return bad(format!("unknown fault in next: {item}")),
                }
            }
        }
        Some(_) => return bad("next must be an array of fault names".to_owned()),
    }
    if let Some(faults) = faults {
        shared.set_faults(faults);
    }
    shared.force_next(&next);
    json_response(StatusCode::OK, &faults_state(&shared))
}
