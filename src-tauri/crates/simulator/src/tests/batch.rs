//! Contract §6: batches, per-record results, duplicates, limits, reconcile, corrections.

use super::*;

#[tokio::test]
async fn resubmitting_an_accepted_record_is_a_counted_duplicate() {
    let sim = start(SimulatorConfig::default()).await;
    let client = Client::new(sim.url());
    let record = enterprise(1);

    let first = client.submit(std::slice::from_ref(&record)).await;
    assert_eq!(statuses(&first), ["accepted"]);
    let again = client.submit(std::slice::from_ref(&record)).await;
    assert_eq!(statuses(&again), ["duplicate"]);
    assert_eq!(
        again[0]["receiptId"], first[0]["receiptId"],
        "the platform keeps the first copy"
    );

    // The same key twice in one batch: the second one is a duplicate of the first.
    let other = enterprise(2);
    let within = client.submit(&[other.clone(), other]).await;
    assert_eq!(statuses(&within), ["accepted", "duplicate"]);

    let stats = sim.stats();
    assert_eq!(
        (stats.accepted, stats.duplicates, stats.rejected),
        (2, 2, 0)
    );

    // A GET reconcile of a stored record is not a duplicate submission.
    let resp = client.get_record(&key_of(&record)).await.expect("answers");
    assert_eq!(resp.status(), 200);
    assert_eq!(sim.stats().duplicates, 2);

    let over_http = client.sim_get("stats").await;
    assert_eq!(
        over_http,
        json!({"accepted": 2, "rejected": 0, "duplicates": 2, "requests": 4, "faults": 0}),
        "GET /__simulator/stats has exactly the documented counters"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn rejections_carry_code_reason_pointer_and_are_not_retryable() {
    let sim = start(SimulatorConfig::default()).await;
    let client = Client::new(sim.url());
    let mut bad = example("record-product.json");
    bad["payload"]["productCode"] = json!("09520123456789");
    let bad = with_key(bad);
    let good = enterprise(1);

    let results = client.submit(&[bad.clone(), good]).await;
    assert_eq!(
        statuses(&results),
        ["rejected:E_GTIN", "accepted"],
        "one rejection does not affect the others"
    );
    assert_eq!(results[0]["idempotencyKey"], bad["idempotencyKey"]);
    assert_eq!(results[0]["retryable"], false);
    assert_eq!(results[0]["pointer"], "/payload/productCode");
    assert!(
        results[0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("校验位")),
        "the reason is Chinese and says what is wrong: {}",
        results[0]["reason"]
    );
    assert!(results[0].get("receiptId").is_none());
    assert_eq!(sim.stats().rejected, 1);

    let resp = client.get_record(&key_of(&bad)).await.expect("answers");
    assert_eq!(resp.status(), 404, "rejected records are not kept");
    assert_eq!(problem_type(resp).await, "not-found");
    sim.shutdown().await;
}

#[tokio::test]
async fn records_without_a_usable_key_are_rejected_with_a_null_echo() {
    let sim = start(SimulatorConfig::default()).await;
    let client = Client::new(sim.url());
    let mut no_key = enterprise(1);
    remove(&mut no_key, "idempotencyKey");
    let results = client
        .submit(&[json!("not an object"), no_key, json!({"idempotencyKey": 7})])
        .await;
    assert_eq!(
        statuses(&results),
        ["rejected:E_TYPE", "rejected:E_REQUIRED", "rejected:E_TYPE"]
    );
    assert!(results.iter().all(|r| r["idempotencyKey"].is_null()));
    sim.shutdown().await;
}

#[tokio::test]
async fn more_than_500_records_is_413_and_nothing_is_stored() {
    let sim = start(SimulatorConfig::default()).await;
    let client = Client::new(sim.url());
    let records = vec![enterprise(1); 501];
    let resp = client.post_batch(&records).await.expect("answers");
    assert_eq!(resp.status(), 413);
    assert_eq!(problem_type(resp).await, "too-large");
    assert_eq!(sim.stats().accepted, 0);

    let records = vec![enterprise(1); 500];
    let results = client.submit(&records).await;
    assert_eq!(results.len(), 500, "500 is allowed");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_body_over_5_mib_is_413() {
    let sim = start(SimulatorConfig::default()).await;
    let client = Client::new(sim.url());
    let padding = "x".repeat(5 * 1024 * 1024);
    let body = serde_json::to_vec(&json!({ "records": [enterprise(1)], "padding": padding }))
        .unwrap_or_default();
    let resp = client
        .post_body(body)
        .await
        .expect("the 413 reaches the client");
    assert_eq!(resp.status(), 413);
    assert_eq!(problem_type(resp).await, "too-large");

    let small = SimulatorConfig {
        max_body_bytes: 1_000,
        ..SimulatorConfig::default()
    };
    let sim2 = start(small).await;
    let client2 = Client::new(sim2.url());
    let records: Vec<Value> = (0..10).map(enterprise).collect();
    let resp = client2.post_batch(&records).await.expect("answers");
    assert_eq!(resp.status(), 413, "the limit is configurable");
    sim.shutdown().await;
    sim2.shutdown().await;
}

#[tokio::test]
async fn malformed_requests_are_400_and_store_nothing() {
    let sim = start(SimulatorConfig::default()).await;
    let client = Client::new(sim.url());
    let record = enterprise(1);
    let cases: [(&str, Vec<u8>); 6] = [
        ("not JSON", b"{records: [".to_vec()),
        (
            "top level array",
            serde_json::to_vec(&json!([record])).unwrap_or_default(),
        ),
        ("empty records", br#"{"records":[]}"#.to_vec()),
        ("records not an array", br#"{"records":{}}"#.to_vec()),
        (
            "extra top-level member",
            serde_json::to_vec(&json!({"records": [record], "x": 1})).unwrap_or_default(),
        ),
        (
            "duplicate member names",
            br#"{"records":[],"records":[1]}"#.to_vec(),
        ),
    ];
    for (what, body) in cases {
        let resp = client.post_body(body).await.expect("answers");
        assert_eq!(resp.status(), 400, "{what}");
        assert_eq!(problem_type(resp).await, "malformed", "{what}");
    }
    let mut s = client.signed(
        "POST",
        "/api/v1/records:batch",
        serde_json::to_vec(&json!({"records": [record]})).unwrap_or_default(),
    );
    s.content_type = "text/plain";
    let resp = client.send(s).await.expect("answers");
    assert_eq!(resp.status(), 415);
    assert_eq!(problem_type(resp).await, "unsupported-media-type");
    assert_eq!(sim.stats().accepted, 0);
    sim.shutdown().await;
}

#[tokio::test]
async fn unknown_paths_and_methods_are_problems() {
    let sim = start(SimulatorConfig::default()).await;
    let client = Client::new(sim.url());
    let resp = client
        .send(client.signed("GET", "/api/v1/records:batch", Vec::new()))
        .await
        .expect("answers");
    assert_eq!(resp.status(), 405);
    assert_eq!(problem_type(resp).await, "method-not-allowed");
    let resp = client
        .send(client.signed("GET", "/api/v1/nothing-here", Vec::new()))
        .await
        .expect("answers");
    assert_eq!(resp.status(), 404);
    assert_eq!(problem_type(resp).await, "not-found");
    let resp = client.get_record("NOT-A-KEY").await.expect("answers");
    assert_eq!(resp.status(), 400);
    assert_eq!(problem_type(resp).await, "malformed");
    sim.shutdown().await;
}

#[tokio::test]
async fn get_reconciles_a_stored_record_and_404s_an_unknown_one() {
    let sim = start(SimulatorConfig::default()).await;
    let client = Client::new(sim.url());
    let record = example("record-receiving.json");
    let key = key_of(&record);

    let before = client.get_record(&key).await.expect("answers");
    assert_eq!(before.status(), 404);
    assert!(before.headers().contains_key("x-request-id"));
    assert_eq!(problem_type(before).await, "not-found");

    let results = client.submit(std::slice::from_ref(&record)).await;
    let after = client.get_record(&key).await.expect("answers");
    assert_eq!(after.status(), 200);
    let body: Value = after.json().await.expect("JSON");
    assert_eq!(body["idempotencyKey"], key);
    assert_eq!(body["status"], "accepted");
    assert_eq!(body["receiptId"], results[0]["receiptId"]);
    assert_eq!(body["kind"], "receiving");
    assert!(
        body["acceptedAt"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z'))
    );
    assert!(body.get("errorDeclaredBy").is_none());
    sim.shutdown().await;
}

#[tokio::test]
async fn corrections_follow_the_error_declaration_rules() {
    let sim = start(SimulatorConfig::default()).await;
    let client = Client::new(sim.url());
    let wrong = example("record-shipping-wrong.json");
    let fixed = example("record-shipping-corrected.json");
    let declaration = example("record-error-declaration.json");

    // Nothing of it stored yet: the original is unknown.
    let r = client.submit(std::slice::from_ref(&declaration)).await;
    assert_eq!(statuses(&r), ["rejected:E_ORIGINAL_NOT_FOUND"]);

    // Original stored, corrected record not yet: the declaration must come after it.
    client.submit(std::slice::from_ref(&wrong)).await;
    let r = client.submit(&[declaration.clone(), fixed.clone()]).await;
    assert_eq!(
        statuses(&r),
        ["rejected:E_CORRECTIVE_NOT_FOUND", "accepted"]
    );

    // A corrective record of another kind is refused.
    let mut other_kind = declaration.clone();
    other_kind["payload"]["correctiveKeys"] = json!([key_of(&example("record-enterprise.json"))]);
    let other_kind = with_key(other_kind);
    let r = client
        .submit(&[example("record-enterprise.json"), other_kind])
        .await;
    assert_eq!(statuses(&r), ["accepted", "rejected:E_CORRECTIVE_KIND"]);

    // Scheme and granularity must be the original's.
    let mut mismatch = declaration.clone();
    mismatch["granularity"] = json!("product");
    let r = client.submit(&[with_key(mismatch)]).await;
    assert_eq!(statuses(&r), ["rejected:E_DECLARATION_MISMATCH"]);

    let r = client.submit(std::slice::from_ref(&declaration)).await;
    assert_eq!(statuses(&r), ["accepted"]);

    // A second, different declaration of the same original is refused.
    let mut second = declaration.clone();
    second["payload"]["reasonText"] = json!("再次更正");
    let r = client.submit(&[with_key(second)]).await;
    assert_eq!(statuses(&r), ["rejected:E_ALREADY_DECLARED"]);

    // A declaration cannot target a declaration.
    let mut meta = declaration.clone();
    meta["payload"]["declaredKey"] = json!(key_of(&declaration));
    meta["payload"]["reason"] = json!("did_not_occur");
    meta["payload"]["correctiveKeys"] = json!([]);
    let r = client.submit(&[with_key(meta)]).await;
    assert_eq!(statuses(&r), ["rejected:E_DECLARATION_MISMATCH"]);
    sim.shutdown().await;
}
