//! The HTTP side: our own accept loop (so that a handler can drop its connection without an
//! answer, contract §10 `drop-after-store`), the routes of contract §6 and §10 and batch
//! processing. Request plumbing and authentication are in `http`, the state in `state`.

// Early exits are whole `Response`s; their size does not matter on these paths.
#![allow(clippy::result_large_err)]

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{any, get, post};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use serde::Serialize;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tokio::net::TcpListener;
use tokio::sync::{Notify, Semaphore, watch};
use tokio::task::JoinSet;
use tower_service::Service;

use crate::canonical;
use crate::ecode;
use crate::faults::{self, FaultKind, Faults};
use crate::http::{
    PlatformRequest, authenticate, begin, drop_connection, json_response, malformed, problem,
    with_request_id,
};
use crate::state::{ConnCtl, Inner, Shared};
use crate::store::{Store, Stored, StoredAnchor};
use crate::validate::{self, Reject};

/// Most connections served at once; further ones wait in the kernel's accept queue. With the 5 MiB
/// body limit this bounds buffered request bodies to about 320 MiB.
const MAX_CONNECTIONS: usize = 64;

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
