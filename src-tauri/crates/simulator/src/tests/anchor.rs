//! Contract §6.4: the archive anchor. `X-Archive-Head` on a batch is checked for its shape, the
//! latest one is kept per App Key (and in the store file), and `GET /api/v1/archive-anchor` gives
//! it back, signed like every request. Also §10's configurable `Retry-After` of fault answers.

use super::*;
use crate::FaultKind;

/// Posts `records` signed, with one `X-Archive-Head` for each of `heads`.
async fn post_with_heads(
    client: &Client,
    records: &[Value],
    heads: &[String],
) -> reqwest::Response {
    let body = serde_json::to_vec(&json!({ "records": records })).unwrap_or_default();
    let mut s = client.signed("POST", "/api/v1/records:batch", body);
    s.extra_headers = heads
        .iter()
        .map(|h| ("X-Archive-Head", h.clone()))
        .collect();
    client.send(s).await.expect("the simulator answers")
}

/// Posts `records` signed, with `X-Archive-Head: head` when given.
async fn post_with_head(
    client: &Client,
    records: &[Value],
    head: Option<&str>,
) -> reqwest::Response {
    let heads: Vec<String> = head.map(str::to_owned).into_iter().collect();
    post_with_heads(client, records, &heads).await
}

async fn get_anchor(client: &Client) -> reqwest::Response {
    client
        .send(client.signed("GET", "/api/v1/archive-anchor", Vec::new()))
        .await
        .expect("the simulator answers")
}

fn hash(c: char) -> String {
    c.to_string().repeat(64)
}

#[tokio::test]
async fn the_latest_well_formed_head_is_kept_and_served_per_app_key() {
    let config = SimulatorConfig {
        credentials: vec![
            (PRACTICE_APP_KEY.into(), PRACTICE_APP_SECRET.into()),
            ("second".into(), "second-secret".into()),
        ],
        ..quick_config()
    };
    let sim = start(config).await;
    let client = Client::new(sim.url());
    let mut second = Client::new(sim.url());
    second.app_key = "second".into();
    second.secret = "second-secret".into();

    let none = get_anchor(&client).await;
    assert_eq!(none.status(), 404);
    assert_eq!(problem_type(none).await, "not-found");

    let head = format!("12:{}", hash('a'));
    let resp = post_with_head(&client, &[enterprise(1)], Some(&head)).await;
    assert_eq!(resp.status(), 200);
    let resp = get_anchor(&client).await;
    assert_eq!(resp.status(), 200);
    assert!(resp.headers().contains_key("x-request-id"));
    let body: Value = resp.json().await.expect("JSON");
    assert_eq!(body["entries"], 12);
    assert_eq!(body["hash"], hash('a'));
    let members = |v: &Value| {
        let mut keys: Vec<String> = v
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        keys.sort();
        keys
    };
    assert_eq!(
        members(&body),
        members(&example("archive-anchor.json")),
        "the answer has the members of the contract's example"
    );
    let received = body["receivedAt"].as_str().unwrap_or_default();
    assert!(
        received.ends_with('Z') && received.len() == 20,
        "RFC 3339 UTC: {body}"
    );

    // Kept even when every record of the batch is a duplicate, and the latest wins.
    let head = format!("0:{}", "0".repeat(64));
    assert_eq!(
        post_with_head(&client, &[enterprise(1)], Some(&head))
            .await
            .status(),
        200
    );
    let body: Value = get_anchor(&client).await.json().await.expect("JSON");
    assert_eq!(
        (body["entries"].as_u64(), body["hash"].as_str()),
        (Some(0), Some("0".repeat(64).as_str()))
    );
    // A batch without the header changes nothing.
    assert_eq!(
        post_with_head(&client, &[enterprise(2)], None)
            .await
            .status(),
        200
    );
    let body: Value = get_anchor(&client).await.json().await.expect("JSON");
    assert_eq!(body["entries"], 0);

    // Per App Key.
    assert_eq!(get_anchor(&second).await.status(), 404);
    let resp = post_with_head(&second, &[enterprise(3)], Some(&format!("5:{}", hash('b')))).await;
    assert_eq!(resp.status(), 200);
    let body: Value = get_anchor(&second).await.json().await.expect("JSON");
    assert_eq!(body["entries"], 5);
    let body: Value = get_anchor(&client).await.json().await.expect("JSON");
    assert_eq!(body["entries"], 0, "the first key's anchor is its own");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_malformed_head_is_a_400_and_nothing_is_stored() {
    let sim = start(quick_config()).await;
    let client = Client::new(sim.url());
    let h = hash('c');
    for bad in [
        String::new(),
        h.clone(),
        format!(":{h}"),
        format!("01:{h}"),
        format!("-1:{h}"),
        format!("1.0:{h}"),
        format!("1 :{h}"),
        format!("18446744073709551616:{h}"),
        format!("1:{}", "C".repeat(64)),
        format!("1:{}", "c".repeat(63)),
        format!("1:{h}0"),
        format!("1:{h}:1"),
    ] {
        let resp = post_with_head(&client, &[enterprise(1)], Some(&bad)).await;
        assert_eq!(resp.status(), 400, "{bad:?}");
        assert_eq!(problem_type(resp).await, "malformed", "{bad:?}");
    }
    assert_eq!(sim.stats().accepted, 0, "a refused batch stores no record");
    assert_eq!(get_anchor(&client).await.status(), 404, "and no anchor");

    // Two headers are one too many.
    let heads = [format!("1:{h}"), format!("2:{h}")];
    let resp = post_with_heads(&client, &[enterprise(1)], &heads).await;
    assert_eq!(resp.status(), 400);
    sim.shutdown().await;
}

#[tokio::test]
async fn the_anchor_endpoint_is_signed_and_get_only() {
    let sim = start(quick_config()).await;
    let client = Client::new(sim.url());
    let resp = client
        .http
        .get(format!("{}/api/v1/archive-anchor", client.base))
        .send()
        .await
        .expect("answers");
    assert_eq!(resp.status(), 401);
    assert_eq!(problem_type(resp).await, "bad-signature");
    let resp = client
        .send(client.signed("POST", "/api/v1/archive-anchor", b"{}".to_vec()))
        .await
        .expect("answers");
    assert_eq!(resp.status(), 405);
    sim.shutdown().await;
}

#[tokio::test]
async fn anchors_in_the_store_file_survive_a_restart_and_a_reset_clears_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("store.jsonl");
    let config = SimulatorConfig {
        store_file: Some(file.clone()),
        ..quick_config()
    };
    let sim = start(config.clone()).await;
    let client = Client::new(sim.url());
    for (n, c) in [(3, 'd'), (9, 'e')] {
        let head = format!("{n}:{}", hash(c));
        let resp = post_with_head(&client, &[enterprise(n)], Some(&head)).await;
        assert_eq!(resp.status(), 200);
    }
    sim.shutdown().await;
    let text = std::fs::read_to_string(&file).expect("store file written");
    assert_eq!(
        text.lines().count(),
        4,
        "two records and two anchors, one line each: {text}"
    );

    let sim = start(config.clone()).await;
    let client = Client::new(sim.url());
    assert_eq!(
        sim.stats().accepted,
        2,
        "records reloaded beside the anchors"
    );
    let body: Value = get_anchor(&client).await.json().await.expect("JSON");
    assert_eq!(body["entries"], 9, "the last anchor line wins");
    assert_eq!(body["hash"], hash('e'));
    client.sim_post("reset", json!({})).await;
    assert_eq!(get_anchor(&client).await.status(), 404);
    sim.shutdown().await;
    let sim = start(config).await;
    let client = Client::new(sim.url());
    assert_eq!(
        get_anchor(&client).await.status(),
        404,
        "the file was emptied"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn fault_answers_carry_the_configured_retry_after() {
    for value in ["1", "120", "Sun, 06 Nov 1994 08:49:37 GMT"] {
        let config = SimulatorConfig {
            retry_after: value.into(),
            ..quick_config()
        };
        let sim = start(config).await;
        let client = Client::new(sim.url());
        for fault in [FaultKind::RateLimited, FaultKind::ServerError] {
            sim.force_next(&[fault]);
            let resp = client.post_batch(&[enterprise(1)]).await.expect("answers");
            assert_eq!(
                resp.headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok()),
                Some(value),
                "{fault}"
            );
        }
        sim.shutdown().await;
    }
}
