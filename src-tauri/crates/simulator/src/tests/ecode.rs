//! Contract §11: the Ecode (iotroot) shape, path-signed.

use std::time::{SystemTime, UNIX_EPOCH};

use super::*;

fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default()
}

fn ecode_url(base: &str, op: &str, client_id: &str, secret: &str, ts: u128) -> String {
    let ts = ts.to_string();
    let sign = crate::ecode_sign(client_id, &ts, secret);
    format!("{base}/interface/company/{op}/clientId={client_id}/timeStamp={ts}/sign={sign}")
}

/// The JSON answer to `request`.
async fn answer(request: reqwest::RequestBuilder) -> Value {
    request
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("JSON")
}

#[tokio::test]
async fn products_and_code_bindings_upload_with_a_valid_path_signature() {
    let sim = start(SimulatorConfig::default()).await;
    let http = Client::new(sim.url()).http;
    let url = |op: &str| {
        ecode_url(
            sim.url(),
            op,
            PRACTICE_APP_KEY,
            PRACTICE_APP_SECRET,
            now_ms(),
        )
    };

    let templates: Value = answer(http.get(url("queryTemplateInfo"))).await;
    assert_eq!(templates["code"], 0);
    assert!(
        templates["result"][0]["tableList1"][0]["detailList"].is_array(),
        "{templates}"
    );

    let product: Value = answer(
        http.post(url("returnProduct"))
            .json(&example("ecode-return-product.json")),
    )
    .await;
    assert_eq!(product["code"], 0, "{product}");
    assert_eq!(product["result"]["returnId"], "SIMR000001");

    let status: Value = answer(http.get(url("queryProductStatus"))).await;
    assert_eq!(status["result"][0]["code"], "SIMP000001");

    let bound: Value = answer(
        http.post(url("ecodeBatchReturn"))
            .json(&example("ecode-batch-return.json")),
    )
    .await;
    assert_eq!(
        bound,
        json!({"code": 0, "msg": "成功", "result": {"count": 2}})
    );

    let mut unknown_product = example("ecode-batch-return.json");
    unknown_product["code"] = json!("NOPE");
    let refused: Value = answer(http.post(url("ecodeBatchReturn")).json(&unknown_product)).await;
    assert_eq!(refused["code"], 1005);

    let mut old_client = example("ecode-batch-return.json");
    let codes = old_client
        .as_object_mut()
        .and_then(|m| m.remove("ecodeList"))
        .unwrap_or_default();
    old_client["codeList"] = codes;
    let old: Value = answer(http.post(url("ecodeBatchReturn")).json(&old_client)).await;
    assert_eq!(old["code"], 0, "clients before 2024-06-05 send codeList");

    // The oldest client versions (May 2024) call the op returnProductBatch, and the client's own
    // template filter builds moduleList tabs with `list` instead of `detailList`.
    let mut oldest = old_client.clone();
    for tab in oldest["moduleList"].as_array_mut().into_iter().flatten() {
        if let Some(t) = tab.as_object_mut()
            && let Some(list) = t.remove("detailList")
        {
            t.insert("list".to_owned(), list);
        }
    }
    let oldest: Value = answer(http.post(url("returnProductBatch")).json(&oldest)).await;
    assert_eq!(oldest["code"], 0, "{oldest}");

    let dump = Client::new(sim.url()).sim_get("ecode").await;
    assert_eq!(dump["products"].as_array().map(Vec::len), Some(1));
    assert_eq!(dump["batches"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        sim.stats().requests,
        7,
        "Ecode requests are platform requests"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_wrong_sign_or_a_stale_timestamp_is_refused() {
    let sim = start(SimulatorConfig::default()).await;
    let http = Client::new(sim.url()).http;
    let body = example("ecode-return-product.json");

    let wrong_secret = ecode_url(
        sim.url(),
        "returnProduct",
        PRACTICE_APP_KEY,
        "guess",
        now_ms(),
    );
    let r: Value = answer(http.post(wrong_secret).json(&body)).await;
    assert_eq!(r["code"], 1001);
    assert!(r["result"].is_null());

    let ts = now_ms().to_string();
    let lower = crate::ecode_sign(PRACTICE_APP_KEY, &ts, PRACTICE_APP_SECRET).to_lowercase();
    let lower_url = format!(
        "{}/interface/company/returnProduct/clientId={PRACTICE_APP_KEY}/timeStamp={ts}/sign={lower}",
        sim.url()
    );
    let r: Value = answer(http.post(lower_url).json(&body)).await;
    assert_eq!(r["code"], 1001, "the sign is upper-case hex");

    let stale = ecode_url(
        sim.url(),
        "returnProduct",
        PRACTICE_APP_KEY,
        PRACTICE_APP_SECRET,
        now_ms() - 600_000,
    );
    let r: Value = answer(http.post(stale).json(&body)).await;
    assert_eq!(r["code"], 1002);

    let mut bad_body = body.clone();
    bad_body["productTypelist"] = json!("生产");
    let r: Value = http
        .post(ecode_url(
            sim.url(),
            "returnProduct",
            PRACTICE_APP_KEY,
            PRACTICE_APP_SECRET,
            now_ms(),
        ))
        .json(&bad_body)
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(r["code"], 1004);
    assert_eq!(
        Client::new(sim.url()).sim_get("ecode").await["products"],
        json!([])
    );
    sim.shutdown().await;
}
