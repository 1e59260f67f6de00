//! Contract §2: signature, clock window, replay.

use super::*;

fn batch_body(records: &[Value]) -> Vec<u8> {
    serde_json::to_vec(&json!({ "records": records })).unwrap_or_default()
}

#[tokio::test]
async fn wrong_secret_is_rejected_as_bad_signature_and_stores_nothing() {
    let sim = start(SimulatorConfig::default()).await;
    let mut client = Client::new(sim.url());
    client.secret = "not-the-secret".to_owned();
    let resp = client.post_batch(&[enterprise(1)]).await.expect("answers");
    assert_eq!(resp.status(), 401);
    assert_eq!(problem_type(resp).await, "bad-signature");
    assert_eq!(sim.stats().accepted, 0);
    assert_eq!(sim.stats().requests, 1, "failed requests are counted too");
    sim.shutdown().await;
}

#[tokio::test]
async fn missing_or_malformed_auth_headers_are_bad_signatures() {
    let sim = start(SimulatorConfig::default()).await;
    let client = Client::new(sim.url());
    let body = batch_body(&[enterprise(1)]);

    let mut unknown_key = Client::new(sim.url());
    unknown_key.app_key = "nobody".to_owned();
    let resp = unknown_key.post_body(body.clone()).await.expect("answers");
    assert_eq!(problem_type(resp).await, "bad-signature", "unknown App Key");

    let mut s = client.signed("POST", "/api/v1/records:batch", body.clone());
    s.nonce = "short".to_owned();
    let resp = client.send(s).await.expect("answers");
    assert_eq!(
        problem_type(resp).await,
        "bad-signature",
        "nonce under 16 characters"
    );

    let mut s = client.signed("POST", "/api/v1/records:batch", body.clone());
    s.timestamp = "1752543000000x".to_owned();
    let resp = client.send(s).await.expect("answers");
    assert_eq!(
        problem_type(resp).await,
        "bad-signature",
        "timestamp not digits"
    );

    let resp = client
        .http
        .post(format!("{}/api/v1/records:batch", sim.url()))
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .expect("answers");
    assert_eq!(resp.status(), 401);
    assert_eq!(
        problem_type(resp).await,
        "bad-signature",
        "no auth headers at all"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_body_changed_after_signing_fails_the_signature() {
    let sim = start(SimulatorConfig::default()).await;
    let client = Client::new(sim.url());
    let signed_body = batch_body(&[enterprise(1)]);
    let sent_body = batch_body(&[enterprise(2)]);
    let s = client.signed("POST", "/api/v1/records:batch", signed_body.clone());
    let signature = crate::sign(
        &s.secret,
        s.method,
        s.path,
        &s.timestamp,
        &s.nonce,
        &signed_body,
    );
    let s = Signed {
        body: sent_body,
        ..s
    };
    let resp = client.send_raw(s, &signature).await.expect("answers");
    assert_eq!(problem_type(resp).await, "bad-signature");
    assert_eq!(sim.stats().accepted, 0);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_reused_nonce_is_rejected_as_replay() {
    let sim = start(SimulatorConfig::default()).await;
    let client = Client::new(sim.url());
    let body = batch_body(&[enterprise(1)]);
    let nonce = super::nonce();

    // A request that fails its signature does not use up the nonce.
    let mut s = client.signed("POST", "/api/v1/records:batch", body.clone());
    s.nonce = nonce.clone();
    let resp = client.send_raw(s, &"0".repeat(64)).await.expect("answers");
    assert_eq!(problem_type(resp).await, "bad-signature");

    let mut s = client.signed("POST", "/api/v1/records:batch", body.clone());
    s.nonce = nonce.clone();
    let first = client.send(s).await.expect("answers");
    assert_eq!(first.status(), 200, "first use of the nonce is fine");

    let mut s = client.signed("POST", "/api/v1/records:batch", body);
    s.nonce = nonce;
    let replay = client.send(s).await.expect("answers");
    assert_eq!(replay.status(), 401);
    assert_eq!(problem_type(replay).await, "replay");
    assert_eq!(
        sim.stats().duplicates,
        0,
        "a replayed request is refused before its records are judged"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_timestamp_outside_five_minutes_is_clock_skew() {
    let sim = start(SimulatorConfig::default()).await;
    let client = Client::new(sim.url());
    for (offset, expect) in [
        (-400, Some("clock-skew")),
        (400, Some("clock-skew")),
        (-250, None),
        (250, None),
    ] {
        let mut s = client.signed(
            "POST",
            "/api/v1/records:batch",
            batch_body(&[enterprise(1)]),
        );
        s.timestamp = (now_secs() + offset).to_string();
        let resp = client.send(s).await.expect("answers");
        match expect {
            Some(kind) => {
                assert_eq!(resp.status(), 401, "offset {offset}");
                assert_eq!(problem_type(resp).await, kind, "offset {offset}");
            }
            None => assert_eq!(resp.status(), 200, "offset {offset} is inside the window"),
        }
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn get_requests_are_signed_over_an_empty_body() {
    let sim = start(SimulatorConfig::default()).await;
    let client = Client::new(sim.url());
    let record = enterprise(1);
    client.submit(std::slice::from_ref(&record)).await;
    let path = format!("/api/v1/records/{}", key_of(&record));
    let s = client.signed("GET", &path, Vec::new());
    // Signed as if the path were different: must fail.
    let signature = crate::sign(
        &s.secret,
        "GET",
        "/api/v1/records/other",
        &s.timestamp,
        &s.nonce,
        b"",
    );
    let resp = client.send_raw(s, &signature).await.expect("answers");
    assert_eq!(
        problem_type(resp).await,
        "bad-signature",
        "the path is signed"
    );
    let resp = client.get_record(&key_of(&record)).await.expect("answers");
    assert_eq!(resp.status(), 200);
    sim.shutdown().await;
}
