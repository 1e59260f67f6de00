//! Request plumbing shared by /api/v1 and the Ecode interface: reading bodies, authentication,
//! fault injection before a request is processed, and the response shapes (RFC 7807 problems and
//! the Ecode envelope). Uses the state, never the routes.

// Early exits are whole `Response`s; their size does not matter on these paths.
#![allow(clippy::result_large_err)]

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use serde::Serialize;
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::auth::{self, NonceCheck};
use crate::faults::FaultKind;
use crate::state::{ConnCtl, Shared};

/// Bodies larger than this are not even drained before the 413.
const DRAIN_LIMIT: u64 = 64 * 1024 * 1024;
/// How long a client may take to send its body.
const BODY_TIMEOUT: Duration = Duration::from_secs(30);
const PROBLEM_BASE: &str = "https://tracedesk.invalid/problems/";

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
                envelope_status(
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
            envelope_error(1003, "认证已过期，请重新获取接入凭证")
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
        envelope_status(
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
pub(crate) fn authenticate(shared: &Shared, req: &PlatformRequest) -> Result<(), Response> {
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

// ---- the Ecode envelope [inferred] ----

/// `{"code": 0, "msg": "成功", "result": …}` [inferred].
pub(crate) fn envelope_ok(result: Value) -> Response {
    json_response(
        StatusCode::OK,
        &json!({ "code": 0, "msg": "成功", "result": result }),
    )
}

/// A business or signature error: HTTP 200 with a non-zero `code` [inferred].
pub(crate) fn envelope_error(code: u32, msg: &str) -> Response {
    json_response(
        StatusCode::OK,
        &json!({ "code": code, "msg": msg, "result": null }),
    )
}

/// A transport-level error (503, 429) carrying the same envelope, with `Retry-After: 1`.
pub(crate) fn envelope_status(status: StatusCode, code: u32, msg: &str) -> Response {
    let mut resp = json_response(status, &json!({ "code": code, "msg": msg, "result": null }));
    resp.headers_mut().insert(
        axum::http::header::RETRY_AFTER,
        axum::http::HeaderValue::from_static("1"),
    );
    resp
}
