//! Garbage in, answers out; lifecycle: loopback only, own thread, shutdown, store file.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};

use super::*;
use crate::{Error, FaultKind};

/// Signed garbage of many shapes: every answer is a status from the contract, and the server
/// keeps serving afterwards.
#[tokio::test]
async fn garbage_bodies_get_answers_and_never_break_the_server() {
    let sim = start(SimulatorConfig::default()).await;
    let client = Client::new(sim.url());
    let valid = serde_json::to_vec(&json!({"records": [example("record-transformation.json")]}))
        .unwrap_or_default();
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut bodies: Vec<Vec<u8>> = vec![
        b"[".repeat(100_000),
        format!(
            "{{\"records\":{}1{}}}",
            "[".repeat(5_000),
            "]".repeat(5_000)
        )
        .into_bytes(),
        b"{\"records\":[1e400]}".to_vec(),
        b"{\"records\":[\"\\ud800\"]}".to_vec(),
        b"{\"records\":[{\"idempotencyKey\":\"\\u0000\"}]}".to_vec(),
        vec![0xff, 0xfe, 0x00, 0x7b],
        b"null".to_vec(),
        b"{\"records\":[null,true,[],{},\"x\",-0,18446744073709551616]}".to_vec(),
    ];
    for i in 0..120 {
        let mut body = valid.clone();
        match i % 3 {
            0 => body.truncate(rng.next_u64() as usize % body.len()),
            1 => {
                for _ in 0..4 {
                    let at = rng.next_u64() as usize % body.len();
                    body[at] = rng.next_u64() as u8;
                }
            }
            _ => {
                body = vec![0u8; rng.next_u64() as usize % 2_000];
                rng.fill_bytes(&mut body);
            }
        }
        bodies.push(body);
    }
    for body in bodies {
        let resp = client
            .post_body(body)
            .await
            .expect("every request gets an answer");
        let status = resp.status().as_u16();
        assert!(
            [200, 400, 413].contains(&status),
            "unexpected status {status}"
        );
        let text = resp.text().await.unwrap_or_default();
        assert!(
            serde_json::from_str::<Value>(&text).is_ok(),
            "answers are JSON: {text}"
        );
    }
    // Non-ASCII goes percent-encoded on the wire, and the signature covers the path as sent.
    for key in [
        "%00",
        "%FF%FE",
        "..%2F..%2Fetc",
        &"a".repeat(5_000),
        "%E5%90%8D%E5%AD%97",
    ] {
        let resp = client.get_record(key).await.expect("answers");
        assert_eq!(resp.status(), 400, "GET {key}");
        assert_eq!(problem_type(resp).await, "malformed", "GET {key}");
    }
    let results = client
        .submit(&[example("record-transformation.json")])
        .await;
    assert!(["accepted", "duplicate"].contains(&results[0]["status"].as_str().unwrap_or_default()));
    sim.shutdown().await;
}

#[tokio::test]
async fn only_loopback_addresses_are_accepted() {
    let err = crate::start(
        SimulatorConfig::default(),
        SocketAddr::from(([0, 0, 0, 0], 0)),
    )
    .await
    .err()
    .expect("0.0.0.0 is refused");
    assert!(matches!(err, Error::NotLoopback(_)), "{err}");
    let v6 = crate::start(SimulatorConfig::default(), "[::1]:0".parse().expect("addr")).await;
    if let Ok(sim) = v6 {
        // ::1 is loopback; some CI hosts have no IPv6, which is fine too.
        sim.shutdown().await;
    }
}

fn raw_get(addr: SocketAddr, path: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )?;
    let mut out = String::new();
    stream.read_to_string(&mut out)?;
    Ok(out)
}

#[test]
fn a_caller_without_a_runtime_can_run_the_simulator_on_its_own_thread() {
    let sim =
        crate::spawn_blocking_thread(SimulatorConfig::practice(), loopback()).expect("starts");
    assert!(sim.url().starts_with("http://127.0.0.1:"));
    let answer = raw_get(sim.addr, "/__simulator/stats").expect("answers over plain TCP");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"accepted\":0"), "{answer}");
    assert_eq!(sim.stats().accepted, 0);
    let addr = sim.addr;
    sim.shutdown();
    assert!(
        raw_get(addr, "/__simulator/stats").is_err(),
        "the port is closed after shutdown"
    );
}

#[tokio::test]
async fn shutdown_closes_open_connections_promptly() {
    let config = SimulatorConfig {
        timeout_ms: 30_000,
        ..SimulatorConfig::default()
    };
    let sim = start(config).await;
    sim.force_next(&[FaultKind::Timeout]);
    let client = Client::new(sim.url());
    let pending = tokio::spawn(async move {
        client
            .post_batch(&[enterprise(1)])
            .await
            .map(|r| r.status())
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    sim.shutdown().await;
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "shutdown does not wait for the 30 s fault"
    );
    let outcome = pending.await.expect("client task ends");
    assert!(
        outcome.is_err(),
        "the abandoned request ends in a connection error: {outcome:?}"
    );
}

#[tokio::test]
async fn records_in_the_store_file_survive_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("store.jsonl");
    let config = SimulatorConfig {
        store_file: Some(file.clone()),
        ..SimulatorConfig::default()
    };
    let wrong = example("record-shipping-wrong.json");
    let correction = example("batch-request-correction.json");
    let correction = correction["records"]
        .as_array()
        .cloned()
        .unwrap_or_default();

    let sim = start(config.clone()).await;
    let client = Client::new(sim.url());
    client.submit(std::slice::from_ref(&wrong)).await;
    client.submit(&correction).await;
    sim.shutdown().await;
    let lines = std::fs::read_to_string(&file).expect("store file written");
    assert_eq!(
        lines.lines().count(),
        3,
        "one JSON line per accepted record"
    );

    let sim = start(config).await;
    let client = Client::new(sim.url());
    assert_eq!(sim.stats().accepted, 3, "reloaded");
    assert_eq!(
        statuses(&client.submit(std::slice::from_ref(&wrong)).await),
        ["duplicate"]
    );
    let status: Value = client
        .get_record(&key_of(&wrong))
        .await
        .expect("answers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        status["errorDeclaredBy"], correction[1]["idempotencyKey"],
        "declarations are re-linked on load"
    );
    let next = client.submit(&[enterprise(1)]).await;
    assert_eq!(
        next[0]["receiptId"], "SIM-000000000004",
        "receipt numbers continue"
    );
    sim.shutdown().await;
}

#[test]
fn the_cli_config_uses_practice_credentials_and_rejects_bad_faults() {
    let args = crate::CliArgs {
        port: 0,
        faults: "5xx=0.1".to_owned(),
        seed: 9,
        store: None,
    };
    let config = crate::cli_config(&args).expect("valid");
    assert_eq!(config.seed, 9);
    assert_eq!(
        config.credentials,
        vec![("practice".to_owned(), "practice-secret".to_owned())]
    );
    assert_eq!(
        (config.max_batch_records, config.max_body_bytes),
        (500, 5 * 1024 * 1024)
    );
    let bad = crate::CliArgs {
        faults: "5xx=2".to_owned(),
        ..args
    };
    assert!(matches!(crate::cli_config(&bad), Err(Error::Faults(_))));
}
