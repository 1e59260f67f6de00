//! Contract §10: each fault behaves as documented, and seeded runs repeat.

use std::time::{Duration, Instant};

use super::*;
use crate::{FaultKind, Faults};

#[test]
fn fault_specs_parse_print_back_and_explain_errors() {
    let spec = "5xx=0.1,429=0.05,timeout=0.05,drop-after-store=0.1,partial=0.1,auth-expired=0.02,malformed=0.02";
    let faults = Faults::parse(spec).expect("the contract's example spec parses");
    assert_eq!(faults.probability(FaultKind::DropAfterStore), 0.1);
    assert_eq!(faults.probability(FaultKind::Slow), 0.0);
    let printed = faults.to_string();
    assert_eq!(
        printed,
        "5xx=0.1,429=0.05,auth-expired=0.02,timeout=0.05,partial=0.1,drop-after-store=0.1,malformed=0.02",
        "printed in the fixed order"
    );
    assert_eq!(Faults::parse(&printed), Ok(faults));
    assert_eq!(
        Faults::parse(" slow = 1 , "),
        Ok(Faults::only(FaultKind::Slow, 1.0))
    );
    assert!(Faults::parse("").expect("empty is none").is_none());

    for (bad, mentions) in [
        ("teapot=0.1", "unknown fault"),
        ("5xx=1.5", "between 0 and 1"),
        ("5xx=-0.1", "between 0 and 1"),
        ("5xx=NaN", "between 0 and 1"),
        ("5xx=lots", "not a number"),
        ("5xx", "name=probability"),
        ("5xx=0.1,5xx=0.2", "twice"),
        ("5xx=0.6,429=0.6", "more than 1"),
    ] {
        let err = Faults::parse(bad).expect_err(bad);
        assert!(err.contains(mentions), "{bad}: {err}");
    }
}

#[test]
fn one_draw_picks_at_most_one_fault_in_the_fixed_order() {
    let faults = Faults::parse("malformed=0.25,5xx=0.25").expect("parses");
    assert_eq!(
        faults.pick(0.0),
        Some(FaultKind::ServerError),
        "5xx comes first in the order"
    );
    assert_eq!(faults.pick(0.3), Some(FaultKind::Malformed));
    assert_eq!(faults.pick(0.5), None);
    assert_eq!(Faults::none().pick(0.0), None);
}

async fn one_fault(kind: FaultKind) -> (RunningSimulator, Client) {
    let sim = start(quick_config()).await;
    sim.force_next(&[kind]);
    let client = Client::new(sim.url());
    (sim, client)
}

#[tokio::test]
async fn server_error_answers_503_and_stores_nothing() {
    let (sim, client) = one_fault(FaultKind::ServerError).await;
    let resp = client.post_batch(&[enterprise(1)]).await.expect("answers");
    assert_eq!(resp.status(), 503);
    assert_eq!(
        resp.headers().get("retry-after").map(|v| v.as_bytes()),
        Some(&b"1"[..])
    );
    assert_eq!(problem_type(resp).await, "unavailable");
    assert_eq!(sim.stats().accepted, 0);
    assert_eq!(sim.stats().faults, 1);
    // The fault was for one request only.
    assert_eq!(
        statuses(&client.submit(&[enterprise(1)]).await),
        ["accepted"]
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after_1() {
    let (sim, client) = one_fault(FaultKind::RateLimited).await;
    let resp = client.post_batch(&[enterprise(1)]).await.expect("answers");
    assert_eq!(resp.status(), 429);
    assert_eq!(
        resp.headers().get("retry-after").map(|v| v.as_bytes()),
        Some(&b"1"[..])
    );
    assert_eq!(problem_type(resp).await, "rate-limited");
    assert_eq!(sim.stats().accepted, 0);
    sim.shutdown().await;
}

#[tokio::test]
async fn auth_expired_answers_401_whatever_the_signature() {
    let (sim, client) = one_fault(FaultKind::AuthExpired).await;
    let resp = client.post_batch(&[enterprise(1)]).await.expect("answers");
    assert_eq!(resp.status(), 401);
    assert_eq!(problem_type(resp).await, "auth-expired");
    assert_eq!(sim.stats().accepted, 0);
    sim.shutdown().await;
}

#[tokio::test]
async fn timeout_outlasts_the_client_and_stores_nothing() {
    let (sim, _) = one_fault(FaultKind::Timeout).await;
    let client = Client::with_timeout(sim.url(), Duration::from_millis(300));
    let err = client
        .post_batch(&[enterprise(1)])
        .await
        .expect_err("the client gives up before the simulator answers");
    assert!(err.is_timeout(), "a timeout, not a status: {err}");
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert_eq!(
        sim.stats().accepted,
        0,
        "nothing stored, even after the simulator's wait"
    );
    assert_eq!(sim.stats().faults, 1);

    // A patient client gets the 503 at the end of the wait.
    sim.force_next(&[FaultKind::Timeout]);
    let patient = Client::new(sim.url());
    let started = Instant::now();
    let resp = patient
        .post_batch(&[enterprise(1)])
        .await
        .expect("answers eventually");
    assert!(started.elapsed() >= Duration::from_millis(1_400));
    assert_eq!(resp.status(), 503);
    sim.shutdown().await;
}

#[tokio::test]
async fn slow_answers_correctly_after_the_delay() {
    let (sim, client) = one_fault(FaultKind::Slow).await;
    let started = Instant::now();
    let results = client.submit(&[enterprise(1)]).await;
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "slow waits slow_ms"
    );
    assert_eq!(statuses(&results), ["accepted"]);
    assert_eq!(sim.stats().faults, 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn partial_leaves_a_retryable_subset_that_a_resubmission_completes() {
    let (sim, client) = one_fault(FaultKind::Partial).await;
    let records: Vec<Value> = (0..20).map(enterprise).collect();
    let first = client.submit(&records).await;
    let not_processed: Vec<usize> = first
        .iter()
        .enumerate()
        .filter(|(_, r)| r["code"] == "SIM_PARTIAL")
        .map(|(i, _)| i)
        .collect();
    assert!(
        !not_processed.is_empty(),
        "partial leaves at least one record unprocessed"
    );
    for &i in &not_processed {
        assert_eq!(first[i]["retryable"], true);
        assert_eq!(first[i]["reason"], "平台繁忙，部分记录未处理，请重试");
        assert_eq!(first[i]["idempotencyKey"], records[i]["idempotencyKey"]);
    }
    let stored = sim.stats().accepted as usize;
    assert_eq!(stored, 20 - not_processed.len());
    assert_eq!(
        sim.stats().rejected,
        0,
        "unprocessed records are not rejections"
    );

    // The client resends the same records: processed ones come back as duplicates.
    let second = client.submit(&records).await;
    for (i, r) in second.iter().enumerate() {
        let expect = if not_processed.contains(&i) {
            "accepted"
        } else {
            "duplicate"
        };
        assert_eq!(r["status"], expect, "record {i}");
    }
    assert_eq!(sim.stats().accepted, 20);
    sim.shutdown().await;
}

#[tokio::test]
async fn reject_answers_one_record_sim_reject_not_retryable() {
    let (sim, client) = one_fault(FaultKind::Reject).await;
    let records: Vec<Value> = (0..5).map(enterprise).collect();
    let results = client.submit(&records).await;
    let rejected: Vec<&Value> = results
        .iter()
        .filter(|r| r["status"] == "rejected")
        .collect();
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0]["code"], "SIM_REJECT");
    assert_eq!(rejected[0]["retryable"], false);
    assert_eq!(sim.stats().accepted, 4);
    assert_eq!(sim.stats().rejected, 1, "SIM_REJECT counts as a rejection");
    sim.shutdown().await;
}

#[tokio::test]
async fn drop_after_store_closes_the_connection_but_keeps_the_records() {
    let (sim, client) = one_fault(FaultKind::DropAfterStore).await;
    let record = enterprise(1);
    let err = client
        .post_batch(std::slice::from_ref(&record))
        .await
        .expect_err("the client sees a connection error");
    assert!(
        err.status().is_none(),
        "no HTTP status reached the client: {err}"
    );
    assert!(
        !err.is_timeout(),
        "the connection was closed, not left hanging: {err}"
    );
    assert_eq!(
        sim.stats().accepted,
        1,
        "the batch was stored before the drop"
    );

    // Reconciling the in-flight record finds it; resubmitting is a duplicate.
    let resp = client.get_record(&key_of(&record)).await.expect("answers");
    assert_eq!(resp.status(), 200);
    assert_eq!(
        statuses(&client.submit(std::slice::from_ref(&record)).await),
        ["duplicate"]
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn malformed_stores_then_answers_unparseable_json() {
    let (sim, client) = one_fault(FaultKind::Malformed).await;
    let record = enterprise(1);
    let resp = client
        .post_batch(std::slice::from_ref(&record))
        .await
        .expect("answers");
    assert_eq!(resp.status(), 200);
    let text = resp.text().await.expect("a body arrives");
    assert!(
        serde_json::from_str::<Value>(&text).is_err(),
        "the body must not parse: {text}"
    );
    assert_eq!(sim.stats().accepted, 1, "malformed stores first");
    let resp = client.get_record(&key_of(&record)).await.expect("answers");
    assert_eq!(resp.status(), 200);
    sim.shutdown().await;
}

/// One request's outcome as a string: status and per-record results, or "dropped".
async fn outcome(client: &Client, records: &[Value]) -> String {
    match client.post_batch(records).await {
        Err(_) => "dropped".to_owned(),
        Ok(resp) => {
            let status = resp.status().as_u16();
            let text = resp.text().await.unwrap_or_default();
            match serde_json::from_str::<Value>(&text) {
                Ok(body) if status == 200 => {
                    format!(
                        "200 {:?}",
                        statuses(body["results"].as_array().map_or(&[][..], |v| v))
                    )
                }
                Ok(_) => status.to_string(),
                Err(_) => format!("{status} unparseable"),
            }
        }
    }
}

async fn run_with_seed(seed: u64) -> Vec<String> {
    let config = SimulatorConfig {
        seed,
        faults: Faults::parse("5xx=0.15,429=0.1,auth-expired=0.05,partial=0.15,reject=0.1,drop-after-store=0.1,malformed=0.1")
            .expect("parses"),
        ..quick_config()
    };
    let sim = start(config).await;
    let client = Client::new(sim.url());
    let mut outcomes = Vec::new();
    for i in 0..40 {
        let records: Vec<Value> = (0..4).map(|j| enterprise(i * 10 + j)).collect();
        outcomes.push(outcome(&client, &records).await);
    }
    sim.shutdown().await;
    outcomes
}

#[tokio::test]
async fn the_same_seed_repeats_the_same_fault_sequence() {
    let a = run_with_seed(42).await;
    let b = run_with_seed(42).await;
    assert_eq!(a, b, "same seed, same requests, same outcomes");
    assert!(
        a.iter().any(|o| o == "dropped") && a.iter().any(|o| o.contains("SIM_PARTIAL")),
        "{a:#?}"
    );
    let c = run_with_seed(43).await;
    assert_ne!(a, c, "another seed gives another sequence");
}

#[tokio::test]
async fn faults_can_be_set_and_forced_over_http() {
    let sim = start(quick_config()).await;
    let client = Client::new(sim.url());
    let resp = client
        .sim_post(
            "faults",
            json!({"faults": "429=0.5", "next": ["reject", "5xx"]}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let state: Value = resp.json().await.expect("JSON");
    assert_eq!(
        state,
        json!({"faults": "429=0.5", "next": ["reject", "5xx"]})
    );

    let r = client.submit(&[enterprise(1)]).await;
    assert_eq!(statuses(&r), ["rejected:SIM_REJECT"], "first forced fault");
    let resp = client.post_batch(&[enterprise(1)]).await.expect("answers");
    assert_eq!(resp.status(), 503, "second forced fault");

    let resp = client
        .sim_post("faults", json!({"faults": "teapot=1"}))
        .await;
    assert_eq!(resp.status(), 400, "a bad spec is refused");
    let resp = client.sim_post("faults", json!({"faults": ""})).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        statuses(&client.submit(&[enterprise(1)]).await),
        ["accepted"]
    );
    assert_eq!(
        client.sim_get("faults").await,
        json!({"faults": "", "next": []})
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn reset_returns_to_the_start_state() {
    let config = SimulatorConfig {
        faults: Faults::parse("slow=0.0001").expect("parses"),
        ..quick_config()
    };
    let sim = start(config).await;
    let client = Client::new(sim.url());
    client.submit(&[enterprise(1), enterprise(2)]).await;
    client
        .sim_post("faults", json!({"faults": "5xx=1", "next": ["429"]}))
        .await;
    let resp = client.sim_post("reset", json!({})).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        client.sim_get("stats").await,
        json!({"accepted": 0, "rejected": 0, "duplicates": 0, "requests": 0, "faults": 0})
    );
    assert_eq!(client.sim_get("records").await, json!({"records": []}));
    assert_eq!(
        client.sim_get("faults").await,
        json!({"faults": "slow=0.0001", "next": []})
    );
    let r = client.submit(&[enterprise(1)]).await;
    assert_eq!(
        r[0]["receiptId"], "SIM-000000000001",
        "receipts start again"
    );
    sim.shutdown().await;
}
