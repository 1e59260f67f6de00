//! The client against the simulator on loopback: every answer of contract §6–§7 maps to the
//! typed outcome §8 asks for.

use std::net::SocketAddr;
use std::time::Duration;

use simulator::{FaultKind, SimulatorConfig};

use crate::{Client, Credentials, Disposition, Error, PauseReason, RecordOutcome, seal};

fn practice() -> Credentials {
    Credentials {
        app_key: simulator::PRACTICE_APP_KEY.into(),
        app_secret: simulator::PRACTICE_APP_SECRET.into(),
    }
}

fn loopback() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

async fn sim(config: SimulatorConfig) -> simulator::RunningSimulator {
    simulator::start(config, loopback()).await.unwrap()
}

fn client(url: &str, timeout: Duration) -> Client {
    Client::new(&format!("{url}/api/v1"), practice(), timeout).unwrap()
}

fn records() -> Vec<crate::Sealed> {
    super::all_examples()
        .into_iter()
        .take(6)
        .map(|(_, r)| seal(&r).unwrap())
        .collect()
}

async fn submit(
    c: &Client,
    recs: &[crate::Sealed],
) -> (crate::Exchange, Result<Vec<RecordOutcome>, Error>) {
    let keys: Vec<&str> = recs.iter().map(|r| r.key.as_str()).collect();
    let bodies: Vec<&str> = recs.iter().map(|r| r.body.as_str()).collect();
    c.submit_batch(&keys, &bodies).await
}

#[tokio::test]
async fn accepted_then_duplicate_then_reconciled_by_key() {
    let sim = sim(SimulatorConfig::practice()).await;
    let c = client(&sim.url, Duration::from_secs(10));
    let recs = records();
    let (exchange, result) = submit(&c, &recs).await;
    let outcomes = result.unwrap();
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, RecordOutcome::Accepted { .. })),
        "{outcomes:?}"
    );
    assert_eq!(exchange.status, Some(200));
    assert_eq!(exchange.endpoint, "/api/v1/records:batch");
    assert!(
        exchange.request_id.is_some(),
        "X-Request-Id is kept for the archive"
    );
    assert!(!exchange.request_body.contains("practice-secret"));

    let (_, again) = submit(&c, &recs[..2]).await;
    assert!(
        again
            .unwrap()
            .iter()
            .all(|o| matches!(o, RecordOutcome::Duplicate { .. }))
    );
    assert_eq!(sim.stats().accepted, 6);
    assert_eq!(sim.stats().duplicates, 2);

    let (_, status) = c.record_status(&recs[0].key).await;
    assert!(status.unwrap().unwrap().receipt_id.starts_with("SIM-"));
    let unknown = "0".repeat(64);
    let (_, none) = c.record_status(&unknown).await;
    assert_eq!(
        none.unwrap(),
        None,
        "404 means the platform holds no such record"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn every_failure_maps_to_its_contract_disposition() {
    let mut config = SimulatorConfig::practice();
    config.timeout_ms = 3_000;
    let sim = sim(config).await;
    let c = client(&sim.url, Duration::from_millis(800));
    let recs = records();
    type Case = (FaultKind, fn(&Error) -> bool, Disposition);
    let cases: [Case; 6] = [
        (
            FaultKind::ServerError,
            |e| matches!(e, Error::Problem { status: 503, .. }),
            Disposition::NotStored {
                retry_after: Some(Duration::from_secs(1)),
            },
        ),
        (
            FaultKind::RateLimited,
            |e| matches!(e, Error::Problem { status: 429, .. }),
            Disposition::NotStored {
                retry_after: Some(Duration::from_secs(1)),
            },
        ),
        (
            FaultKind::AuthExpired,
            |e| matches!(e, Error::Problem { status: 401, .. }),
            Disposition::Paused(PauseReason::AuthExpired),
        ),
        (
            FaultKind::Timeout,
            |e| matches!(e, Error::Timeout),
            Disposition::Unknown,
        ),
        (
            FaultKind::DropAfterStore,
            |e| matches!(e, Error::Dropped(_)),
            Disposition::Unknown,
        ),
        (
            FaultKind::Malformed,
            |e| matches!(e, Error::Malformed { .. }),
            Disposition::Unknown,
        ),
    ];
    for (fault, is, disposition) in cases {
        sim.force_next(&[fault]);
        let (exchange, result) = submit(&c, &recs[..1]).await;
        let err = result.expect_err(fault.name());
        assert!(is(&err), "{fault}: {err:?}");
        assert_eq!(err.disposition(), disposition, "{fault}");
        assert!(!exchange.sent_at.is_empty());
    }
    // A partial batch: retryable rejections for the records not processed.
    sim.force_next(&[FaultKind::Partial]);
    let (_, result) = submit(&c, &recs[1..]).await;
    let outcomes = result.unwrap();
    assert!(outcomes.iter().any(|o| matches!(
        o,
        RecordOutcome::Rejected {
            retryable: true,
            ..
        }
    )));
    sim.shutdown().await;
}

#[tokio::test]
async fn wrong_secret_pauses_and_too_many_records_split() {
    let sim = sim(SimulatorConfig::practice()).await;
    let wrong = Client::new(
        &format!("{}/api/v1", sim.url),
        Credentials {
            app_key: "practice".into(),
            app_secret: "wrong".into(),
        },
        Duration::from_secs(5),
    )
    .unwrap();
    let (_, result) = submit(&wrong, &records()[..1]).await;
    assert_eq!(
        result.unwrap_err().disposition(),
        Disposition::Paused(PauseReason::BadSignature)
    );

    let c = client(&sim.url, Duration::from_secs(10));
    let one = &records()[0];
    let keys = vec![one.key.as_str(); 501];
    let bodies = vec![one.body.as_str(); 501];
    let (_, result) = c.submit_batch(&keys, &bodies).await;
    assert_eq!(result.unwrap_err().disposition(), Disposition::TooLarge);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_closed_port_is_offline_not_unknown() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = client(&format!("http://127.0.0.1:{port}"), Duration::from_secs(2));
    let (exchange, result) = submit(&c, &records()[..1]).await;
    assert_eq!(result.unwrap_err().disposition(), Disposition::Offline);
    assert_eq!(exchange.status, None);
}

#[tokio::test]
async fn the_ecode_adapter_signs_its_path_as_the_simulator_expects() {
    let sim = sim(SimulatorConfig::practice()).await;
    let c = crate::ecode::EcodeClient::new(
        &format!("{}/interface", sim.url),
        practice(),
        Duration::from_secs(5),
    )
    .unwrap();
    let templates = c.query_template_info().await.unwrap();
    assert!(templates.is_array(), "{templates}");
    let wrong = crate::ecode::EcodeClient::new(
        &format!("{}/interface", sim.url),
        Credentials {
            app_key: "practice".into(),
            app_secret: "nope".into(),
        },
        Duration::from_secs(5),
    )
    .unwrap();
    let err = wrong.query_template_info().await.unwrap_err();
    assert!(err.code().starts_with("ecode-100"), "{err:?}");
    sim.shutdown().await;
}

#[tokio::test]
async fn the_platforms_date_header_comes_back_in_the_exchange() {
    let sim = sim(SimulatorConfig::practice()).await;
    let c = client(&sim.url, Duration::from_secs(10));
    let before = time::OffsetDateTime::now_utc().unix_timestamp();
    let (exchange, _) = c.record_status(&"0".repeat(64)).await;
    let after = time::OffsetDateTime::now_utc().unix_timestamp();
    let date = exchange
        .date
        .expect("the simulator's answer carries a Date header");
    let platform =
        time::OffsetDateTime::parse(&date, &time::format_description::well_known::Rfc2822)
            .unwrap_or_else(|e| panic!("{date:?} is not an HTTP-date: {e}"))
            .unix_timestamp();
    assert!(
        (before - 1..=after + 1).contains(&platform),
        "{date} is the platform's clock, read during the request"
    );

    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let closed = client(&format!("http://127.0.0.1:{port}"), Duration::from_secs(2));
    let (exchange, _) = closed.record_status(&"0".repeat(64)).await;
    assert_eq!(exchange.date, None, "no answer, no platform clock");
    sim.shutdown().await;
}
