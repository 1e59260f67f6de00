//! The Ecode (iotroot) interface shape of contract §11 — 待与官方接口文档核对. Paths, the
//! signature and request bodies follow third-party code (domain.md §B.4); the response envelope
//! and error codes are the contract's inferences, marked there.

// Early exits are whole `Response`s; their size does not matter on these paths.
#![allow(clippy::result_large_err)]

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use crate::auth;
use crate::canonical;
use crate::faults::FaultKind;
use crate::http::{
    self, PlatformRequest, envelope_error, envelope_ok, envelope_status, json_response, malformed,
    with_request_id,
};
use crate::state::{EcodeProduct, Shared};

/// `{base}/company/{op}/clientId={clientId}/timeStamp={ms}/sign={SIGN}`.
pub(crate) async fn handle(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let req = match http::begin(&shared, req, true).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let id = req.id;
    let resp = handle_inner(&shared, &req);
    let resp = match (resp, req.fault) {
        (Ok(resp), Some(FaultKind::DropAfterStore)) => {
            drop(resp);
            shared.count_fault();
            http::drop_connection(req.ctl.clone(), &req.instance).await
        }
        (Ok(resp), Some(FaultKind::Malformed)) => {
            shared.count_fault();
            let bytes = http_body_util::BodyExt::collect(resp.into_body())
                .await
                .map(|c| c.to_bytes())
                .unwrap_or_default();
            malformed(&bytes)
        }
        (Ok(resp), _) | (Err(resp), _) => resp,
    };
    with_request_id(resp, id)
}

/// Returns `Ok` for answers after which `drop-after-store` and `malformed` apply, `Err` for
/// answers that end the request as they are (routing and signature errors).
fn handle_inner(shared: &Shared, req: &PlatformRequest) -> Result<Response, Response> {
    let path = req.target.split('?').next().unwrap_or_default();
    let rest = path.strip_prefix("/interface/company/").unwrap_or_default();
    let parts: Vec<&str> = rest.split('/').collect();
    let [op, client, ts, sign] = parts.as_slice() else {
        return Err(envelope_status(StatusCode::NOT_FOUND, 404, "接口不存在"));
    };
    let (Some(client_id), Some(timestamp), Some(sign)) = (
        client.strip_prefix("clientId="),
        ts.strip_prefix("timeStamp="),
        sign.strip_prefix("sign="),
    ) else {
        return Err(envelope_status(
            StatusCode::NOT_FOUND,
            404,
            "接口路径格式错误",
        ));
    };
    let expected_method = match *op {
        "queryTemplateInfo" | "queryProductStatus" => Method::GET,
        // `returnProductBatch` is the name before the third-party client's 2.0 (2024-06-03).
        "returnProduct" | "ecodeBatchReturn" | "returnProductBatch" => Method::POST,
        _ => return Err(envelope_status(StatusCode::NOT_FOUND, 404, "接口不存在")),
    };
    if req.method != expected_method {
        return Err(envelope_status(
            StatusCode::METHOD_NOT_ALLOWED,
            405,
            "请求方法错误",
        ));
    }
    let Some(secret) = shared.secret(client_id) else {
        return Err(envelope_error(1001, "签名错误：未知的 clientId"));
    };
    if timestamp.len() != 13 || !timestamp.bytes().all(|b| b.is_ascii_digit()) {
        return Err(envelope_error(
            1001,
            "签名错误：timeStamp 应为 13 位毫秒时间戳",
        ));
    }
    if *sign != auth::ecode_sign(client_id, timestamp, secret) {
        return Err(envelope_error(1001, "签名错误"));
    }
    let now_ms = (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64;
    let ts_ms: i64 = timestamp.parse().unwrap_or_default();
    if (now_ms - ts_ms).abs() > shared.config.clock_skew_secs as i64 * 1000 {
        return Err(envelope_error(1002, "时间戳超出允许范围，请校准电脑时间"));
    }
    Ok(match *op {
        "queryTemplateInfo" => envelope_ok(template()),
        "queryProductStatus" => {
            let st = shared.lock();
            let list: Vec<Value> = st
                .ecode
                .products
                .iter()
                .map(|p| {
                    json!({
                        "returnId": p.return_id,
                        "productName": p.product_name,
                        "code": p.code,
                        "status": p.status,
                    })
                })
                .collect();
            envelope_ok(Value::Array(list))
        }
        "returnProduct" => return_product(shared, &req.body),
        // ecodeBatchReturn, or its older name returnProductBatch.
        _ => batch_return(shared, &req.body),
    })
}

fn body_object(body: &[u8]) -> Result<Map<String, Value>, Response> {
    match canonical::parse_strict(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(envelope_error(1004, "参数错误：请求体应为 JSON 对象")),
    }
}

fn non_empty_str<'a>(map: &'a Map<String, Value>, name: &str) -> Result<&'a str, Response> {
    match map.get(name) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s),
        // Some clients send numeric ids.
        Some(Value::Number(_)) => Ok(""),
        _ => Err(envelope_error(1004, &format!("参数错误：缺少 {name}"))),
    }
}

/// `[{type, <list_name>: [{name, info}]}]`. `alt_list_name`, if given, is accepted instead: the
/// third-party client's README writes `moduleList` tabs with `detailList`, its own template filter
/// builds them with `list` (contract §11).
fn check_tabs(
    map: &Map<String, Value>,
    field: &str,
    list_name: &str,
    alt_list_name: Option<&str>,
) -> Result<(), Response> {
    let bad = || {
        envelope_error(
            1004,
            &format!("参数错误：{field} 应为 [{{type, {list_name}: [{{name, info}}]}}]"),
        )
    };
    let Some(tabs) = map.get(field).and_then(Value::as_array) else {
        return Err(bad());
    };
    for tab in tabs {
        let Some(tab) = tab.as_object() else {
            return Err(bad());
        };
        if !tab.get("type").is_some_and(Value::is_string) {
            return Err(bad());
        }
        let list = tab
            .get(list_name)
            .or_else(|| alt_list_name.and_then(|alt| tab.get(alt)))
            .and_then(Value::as_array);
        let Some(list) = list else {
            return Err(bad());
        };
        let entries_ok = list.iter().all(|e| {
            e.get("name").is_some_and(Value::is_string)
                && e.get("info").is_some_and(Value::is_string)
        });
        if !entries_ok {
            return Err(bad());
        }
    }
    Ok(())
}

fn return_product(shared: &Shared, body: &[u8]) -> Response {
    let map = match body_object(body) {
        Ok(m) => m,
        Err(resp) => return resp,
    };
    let checks = (|| {
        let name = non_empty_str(&map, "productName")?;
        non_empty_str(&map, "productTypeNumber")?;
        non_empty_str(&map, "templeteId")?;
        let photos_ok = map
            .get("photos")
            .and_then(Value::as_array)
            .is_some_and(|p| p.iter().all(Value::is_string));
        if !photos_ok {
            return Err(envelope_error(
                1004,
                "参数错误：photos 应为 base64 字符串数组",
            ));
        }
        if map.get("ifLogo").is_some_and(|v| !v.is_boolean()) {
            return Err(envelope_error(1004, "参数错误：ifLogo 应为布尔值"));
        }
        check_tabs(&map, "productTypelist", "list", None)?;
        Ok(name.to_owned())
    })();
    let name = match checks {
        Ok(n) => n,
        Err(resp) => return resp,
    };
    let mut st = shared.lock();
    if st.ecode.products.len() + st.ecode.batches.len() >= shared.config.max_stored_records {
        return envelope_error(1006, "平台存储配额已满");
    }
    let n = st.ecode.products.len() + 1;
    let product = EcodeProduct {
        return_id: format!("SIMR{n:06}"),
        code: format!("SIMP{n:06}"),
        product_name: name,
        // The simulator approves at once; a real platform reviews (审核) first.
        status: "审核通过",
        body: Value::Object(map),
    };
    let return_id = product.return_id.clone();
    st.ecode.products.push(product);
    envelope_ok(json!({ "returnId": return_id }))
}

fn batch_return(shared: &Shared, body: &[u8]) -> Response {
    let map = match body_object(body) {
        Ok(m) => m,
        Err(resp) => return resp,
    };
    let code = match non_empty_str(&map, "code") {
        Ok(c) => c.to_owned(),
        Err(resp) => return resp,
    };
    // `ecodeList` in current clients, `codeList` before 2024-06-05 (contract §11).
    let codes = map.get("ecodeList").or_else(|| map.get("codeList"));
    let codes_ok = codes.and_then(Value::as_array).is_some_and(|c| {
        !c.is_empty() && c.iter().all(|e| e.as_str().is_some_and(|s| !s.is_empty()))
    });
    if !codes_ok {
        return envelope_error(1004, "参数错误：ecodeList 应为非空的编码数组");
    }
    let count = codes.and_then(Value::as_array).map_or(0, Vec::len);
    if let Err(resp) = check_tabs(&map, "moduleList", "detailList", Some("list")) {
        return resp;
    }
    let mut st = shared.lock();
    if !st.ecode.products.iter().any(|p| p.code == code) {
        return envelope_error(1005, "产品不存在：code 应为产品审核状态中返回的产品编码");
    }
    if st.ecode.products.len() + st.ecode.batches.len() >= shared.config.max_stored_records {
        return envelope_error(1006, "平台存储配额已满");
    }
    st.ecode.batches.push(Value::Object(map));
    envelope_ok(json!({ "count": count }))
}

/// One practice template in the shape the third-party client filters (contract §11); field
/// names from domain.md §B.4. The `id` member is inferred.
fn template() -> Value {
    let field = |name: &str, required: bool| json!({ "name": name, "isProduct": "1", "required": if required { "1" } else { "0" } });
    let batch_field = |name: &str, required: bool| json!({ "name": name, "isProduct": "0", "required": if required { "1" } else { "0" } });
    json!([{
        "id": "1001",
        "tableList1": [{
            "type": "生产",
            "isProduct": "1",
            "detailList": [
                field("产品名称", true), field("产品型号", true), field("额定电压", false),
                field("产品规格", false), field("监管类别", true), field("生产企业名称", true),
                field("生产企业地址", true), field("证书编号", false), field("制造设备编码", false),
                field("委托企业名称", false), field("委托企业地址", false),
            ],
        }],
        "tableList2": [{
            "type": "检验检测信息",
            "isProduct": "0",
            "detailList": [batch_field("检测日期", true), batch_field("检测结论", true)],
        }],
    }])
}

/// `GET /__simulator/ecode`.
pub(crate) async fn dump(State(shared): State<Arc<Shared>>) -> Response {
    let st = shared.lock();
    json_response(StatusCode::OK, &st.ecode)
}
