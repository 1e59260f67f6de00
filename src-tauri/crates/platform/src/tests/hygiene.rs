//! Client hygiene against real servers on loopback: a redirect is refused and nothing reaches the
//! host it names; `Retry-After` in every form a server may send, bounded; the archive anchor of
//! contract §6.4 goes out with a batch, into the archived headers, and comes back from the
//! simulator.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};
use simulator::SimulatorConfig;

use crate::anchor::ArchiveAnchor;
use crate::client::{MAX_RETRY_AFTER, parse_retry_after};
use crate::{Client, Credentials, Disposition, Error, seal};

fn practice() -> Credentials {
    Credentials {
        app_key: simulator::PRACTICE_APP_KEY.into(),
        app_secret: simulator::PRACTICE_APP_SECRET.into(),
    }
}

/// A client of the API at `api` with the practice credentials and a 5 s timeout.
fn practice_client(api: &str) -> Client {
    Client::new(api, practice(), Duration::from_secs(5)).unwrap()
}

/// Serves `router` on 127.0.0.1:0 for the rest of the test; returns `http://127.0.0.1:<port>`.
async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{addr}")
}

fn one_record() -> (String, String) {
    let sealed = seal(&super::all_examples()[0].1).unwrap();
    (sealed.key, sealed.body)
}

async fn post_one(c: &Client) -> (crate::Exchange, Result<Vec<crate::RecordOutcome>, Error>) {
    let (key, body) = one_record();
    c.submit_batch(&[key.as_str()], &[body.as_str()]).await
}

/// The error of posting one record to the API under `platform`, which must refuse it.
async fn post_error(platform: &str) -> Error {
    let (_, result) = post_one(&practice_client(&format!("{platform}/api/v1"))).await;
    result.unwrap_err()
}

// ---- redirects ----

/// A server that counts every request it receives, whatever the path or method.
async fn counting_server() -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let router = Router::new().fallback(any(move || {
        let counter = counter.clone();
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            (StatusCode::OK, "{\"results\":[]}")
        }
    }));
    (serve(router).await, hits)
}

/// A server that answers every request with `status` and `Location: location`.
async fn redirecting_server(status: u16, location: String) -> String {
    let router = Router::new().fallback(any(move || {
        let location = location.clone();
        async move {
            let mut resp = (StatusCode::from_u16(status).unwrap(), "moved").into_response();
            resp.headers_mut()
                .insert(header::LOCATION, HeaderValue::from_str(&location).unwrap());
            resp
        }
    }));
    serve(router).await
}

#[tokio::test]
async fn a_redirect_is_refused_and_the_location_host_receives_nothing() {
    let (elsewhere, hits) = counting_server().await;
    for status in [301u16, 302, 303, 307, 308] {
        let location = format!("{elsewhere}/api/v1/records:batch");
        let platform = redirecting_server(status, location.clone()).await;
        let c = practice_client(&format!("{platform}/api/v1"));
        let (exchange, result) = post_one(&c).await;
        let err = result.expect_err("a redirect is an error");
        assert_eq!(
            err,
            Error::Redirected {
                status,
                location: location.clone()
            },
            "HTTP {status}"
        );
        assert_eq!(err.disposition(), Disposition::Defect, "HTTP {status}");
        assert_eq!(err.code(), "redirected");
        assert_eq!(exchange.status, Some(status), "the 3xx is archived as is");
        let (zh, en) = err.messages();
        assert!(
            zh.contains("重定向") && zh.contains(&location) && zh.contains("设置 → 平台连接"),
            "{zh}"
        );
        assert!(
            en.contains("redirects") && en.contains(&location) && en.contains("Settings"),
            "{en}"
        );
        let shown = err.to_string();
        assert!(
            shown.contains("重定向") && shown.contains("redirects"),
            "{shown}"
        );
        // The GET requests go through the same door.
        let (_, status_result) = c.record_status(&"0".repeat(64)).await;
        assert!(matches!(status_result, Err(Error::Redirected { .. })));
        let (_, anchor_result) = c.archive_anchor().await;
        assert!(matches!(anchor_result, Err(Error::Redirected { .. })));
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "no request, and so no signed header, ever reached the host the redirect named"
    );
}

#[tokio::test]
async fn a_relative_or_missing_location_is_named_in_full() {
    let platform = redirecting_server(302, "/gateway/api/v1/records:batch".into()).await;
    assert_eq!(
        post_error(&platform).await,
        Error::Redirected {
            status: 302,
            location: format!("{platform}/gateway/api/v1/records:batch"),
        }
    );

    let router = Router::new().fallback(any(|| async { StatusCode::MOVED_PERMANENTLY }));
    let platform = serve(router).await;
    assert_eq!(
        post_error(&platform).await,
        Error::Redirected {
            status: 301,
            location: "(none)".into(),
        }
    );
}

// ---- Retry-After ----

/// Sun, 06 Nov 1994 08:49:37 GMT, RFC 9110's example date.
fn example_now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(784_111_777)
}

#[test]
fn retry_after_reads_seconds_and_http_dates_and_is_bounded() {
    let secs = |n: u64| Some(Duration::from_secs(n));
    let cases: &[(&str, Option<Duration>)] = &[
        ("0", secs(0)),
        ("1", secs(1)),
        ("120", secs(120)),
        (" 7 ", secs(7)),
        ("3600", secs(3600)),
        ("3601", secs(3600)),
        ("1000000000000", secs(3600)),
        ("18446744073709551615", secs(3600)),
        ("99999999999999999999999999999999", secs(3600)),
        // IMF-fixdate, two minutes ahead.
        ("Sun, 06 Nov 1994 08:51:37 GMT", secs(120)),
        // The two obsolete forms a recipient must accept (RFC 9110 §5.6.7).
        ("Sunday, 06-Nov-94 08:51:37 GMT", secs(120)),
        ("Sun Nov  6 08:51:37 1994", secs(120)),
        // Now, and in the past: no wait.
        ("Sun, 06 Nov 1994 08:49:37 GMT", secs(0)),
        ("Sat, 05 Nov 1994 08:49:37 GMT", secs(0)),
        ("Thu, 01 Jan 1970 00:00:00 GMT", secs(0)),
        // Far ahead: bounded.
        ("Fri, 31 Dec 9999 23:59:59 GMT", secs(3600)),
        ("Mon, 07 Nov 1994 08:49:37 GMT", secs(3600)),
        // Garbage.
        ("", None),
        ("   ", None),
        ("soon", None),
        ("-5", None),
        ("+5", None),
        ("1.5", None),
        ("0x10", None),
        ("1e3", None),
        ("５", None),
        ("Sun, 06 Nov 1994 08:51:37 PST", None),
        ("Sun, 32 Nov 1994 08:51:37 GMT", None),
        ("2025-07-16T07:00:03Z", None),
    ];
    for (value, expected) in cases {
        assert_eq!(
            parse_retry_after(value, example_now()),
            *expected,
            "Retry-After: {value:?}"
        );
    }
    // Whatever a server sends, adding it to a clock never overflows.
    for (value, _) in cases {
        if let Some(d) = parse_retry_after(value, example_now()) {
            assert!(d <= MAX_RETRY_AFTER);
            let _ = std::time::Instant::now() + d;
            let _ = time::OffsetDateTime::now_utc() + d;
            let _ = d + d.mul_f64(0.5);
        }
    }
}

#[tokio::test]
async fn retry_after_from_a_real_server_in_each_form() {
    // `/ra/{case}/api/v1/records:batch` answers 429 with the case's Retry-After; the HTTP-date
    // case is computed when the request arrives.
    let router = Router::new().route(
        "/ra/{case}/api/v1/records:batch",
        post(|Path(case): Path<String>| async move {
            let value = match case.as_str() {
                "seconds" => "120".to_string(),
                "date" => httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120)),
                "past" => httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(3600)),
                "garbage" => "after lunch".to_string(),
                _ => "1000000000000".to_string(),
            };
            let mut resp: Response = (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::CONTENT_TYPE, "application/problem+json")],
                "{\"type\":\"https://tracedesk.invalid/problems/rate-limited\",\"title\":\"请求过于频繁\",\"status\":429,\"detail\":\"稍后重试\"}",
            )
                .into_response();
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_str(&value).unwrap());
            resp
        }),
    );
    let base = serve(router).await;
    let wait = |case: &'static str| {
        let base = base.clone();
        async move {
            let c = practice_client(&format!("{base}/ra/{case}/api/v1"));
            let (_, result) = post_one(&c).await;
            match result.unwrap_err().disposition() {
                Disposition::NotStored { retry_after } => retry_after,
                other => panic!("{case}: {other:?}"),
            }
        }
    };
    assert_eq!(wait("seconds").await, Some(Duration::from_secs(120)));
    let dated = wait("date").await.expect("an HTTP-date is read");
    assert!(
        (Duration::from_secs(118)..=Duration::from_secs(120)).contains(&dated),
        "{dated:?}"
    );
    assert_eq!(wait("past").await, Some(Duration::ZERO));
    assert_eq!(wait("garbage").await, None, "garbage leaves the backoff");
    assert_eq!(wait("huge").await, Some(MAX_RETRY_AFTER));
}

#[tokio::test]
async fn the_simulators_retry_after_reaches_the_client_bounded() {
    let config = SimulatorConfig {
        retry_after: "Fri, 31 Dec 9999 23:59:59 GMT".into(),
        ..SimulatorConfig::practice()
    };
    let sim = simulator::start(config, SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let c = practice_client(&format!("{}/api/v1", sim.url));
    for fault in [
        simulator::FaultKind::RateLimited,
        simulator::FaultKind::ServerError,
    ] {
        sim.force_next(&[fault]);
        let (_, result) = post_one(&c).await;
        assert_eq!(
            result.unwrap_err().disposition(),
            Disposition::NotStored {
                retry_after: Some(MAX_RETRY_AFTER)
            },
            "{fault}"
        );
    }
    sim.shutdown().await;
}

// ---- the archive anchor (§6.4) ----

#[test]
fn anchor_header_values_read_only_in_the_contracts_shape() {
    let h = "a".repeat(64);
    let good: &[(String, u64)] = &[
        (format!("0:{}", "0".repeat(64)), 0),
        (format!("1:{h}"), 1),
        (format!("12:{h}"), 12),
        (format!("18446744073709551615:{h}"), u64::MAX),
    ];
    for (value, entries) in good {
        let anchor = ArchiveAnchor::parse(value).unwrap_or_else(|| panic!("{value}"));
        assert_eq!(anchor.entries, *entries);
        assert_eq!(&anchor.header_value(), value, "round trip");
    }
    for bad in [
        String::new(),
        h.clone(),
        format!(":{h}"),
        format!("01:{h}"),
        format!("-1:{h}"),
        format!("+1:{h}"),
        format!("1 :{h}"),
        format!("18446744073709551616:{h}"),
        format!("1:{}", "A".repeat(64)),
        format!("1:{}", "a".repeat(63)),
        format!("1:{}", "a".repeat(65)),
        format!("1:{}g", "a".repeat(63)),
        format!("1:{h}:2"),
        "1".to_string(),
    ] {
        assert_eq!(ArchiveAnchor::parse(&bad), None, "{bad:?}");
    }
}

#[test]
fn the_contracts_anchor_example_reads_as_a_status() {
    let text = super::example("archive-anchor.json").to_string();
    let status = serde_json::from_str::<crate::anchor::AnchorBody>(&text)
        .unwrap()
        .checked()
        .unwrap();
    assert_eq!(status.entries, 412);
    assert_eq!(status.received_at, "2025-07-16T07:00:03Z");
    let bad = serde_json::json!({"entries": 1, "hash": "ABC", "receivedAt": "x"}).to_string();
    assert!(
        serde_json::from_str::<crate::anchor::AnchorBody>(&bad)
            .unwrap()
            .checked()
            .is_err()
    );
}

fn anchor(entries: u64, fill: char) -> ArchiveAnchor {
    ArchiveAnchor {
        entries,
        hash: fill.to_string().repeat(64),
    }
}

#[tokio::test]
async fn a_batch_with_an_anchor_leaves_it_on_the_platform_per_app_key() {
    let config = SimulatorConfig {
        credentials: vec![
            ("practice".into(), "practice-secret".into()),
            ("other".into(), "other-secret".into()),
        ],
        ..SimulatorConfig::practice()
    };
    let sim = simulator::start(config, SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let base = format!("{}/api/v1", sim.url);
    let c = practice_client(&base);
    let other = Client::new(
        &base,
        Credentials {
            app_key: "other".into(),
            app_secret: "other-secret".into(),
        },
        Duration::from_secs(5),
    )
    .unwrap();
    let (exchange, none) = c.archive_anchor().await;
    assert_eq!(none.unwrap(), None, "no batch carried an anchor yet");
    assert_eq!(exchange.endpoint, "/api/v1/archive-anchor");

    let (key, body) = one_record();
    let prepared = c
        .prepare_batch(&[body.as_str()])
        .with_anchor(&anchor(7, 'b'));
    let headers: serde_json::Value = serde_json::from_str(&prepared.headers_json()).unwrap();
    assert_eq!(
        headers["X-Archive-Head"],
        format!("7:{}", "b".repeat(64)),
        "the anchor is archived with the request"
    );
    assert!(headers.get("X-Signature").is_none());
    let (_, outcomes) = c.send_batch(prepared, &[key.as_str()]).await;
    outcomes.unwrap();
    let (_, got) = c.archive_anchor().await;
    let got = got.unwrap().expect("the platform keeps the anchor");
    assert_eq!(
        (got.entries, got.hash.as_str()),
        (7, "b".repeat(64).as_str())
    );
    assert!(
        time::OffsetDateTime::parse(
            &got.received_at,
            &time::format_description::well_known::Rfc3339
        )
        .is_ok(),
        "{got:?}"
    );

    // The latest wins, even when it covers fewer entries (a restored archive says so itself).
    let prepared = c
        .prepare_batch(&[body.as_str()])
        .with_anchor(&anchor(3, 'c'));
    c.send_batch(prepared, &[key.as_str()]).await.1.unwrap();
    let (_, got) = c.archive_anchor().await;
    assert_eq!(got.unwrap().unwrap().entries, 3);
    // A batch without the header leaves the anchor as it was.
    c.send_batch(c.prepare_batch(&[body.as_str()]), &[key.as_str()])
        .await
        .1
        .unwrap();
    assert_eq!(c.archive_anchor().await.1.unwrap().unwrap().entries, 3);
    // Per App Key.
    assert_eq!(other.archive_anchor().await.1.unwrap(), None);
    assert_eq!(
        sim.handle()
            .archive_anchor("practice")
            .map(|a| (a.entries, a.hash)),
        Some((3, "c".repeat(64)))
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_malformed_anchor_refuses_the_whole_batch() {
    let sim = simulator::start(
        SimulatorConfig::practice(),
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .unwrap();
    let c = practice_client(&format!("{}/api/v1", sim.url));
    let (key, body) = one_record();
    for hash in ["B".repeat(64), "b".repeat(63), String::new()] {
        let bad = ArchiveAnchor { entries: 1, hash };
        let prepared = c.prepare_batch(&[body.as_str()]).with_anchor(&bad);
        let (exchange, result) = c.send_batch(prepared, &[key.as_str()]).await;
        let err = result.unwrap_err();
        assert!(
            matches!(&err, Error::Problem { status: 400, name, .. } if name == "malformed"),
            "{err:?}"
        );
        assert_eq!(err.disposition(), Disposition::Defect);
        assert!(
            exchange
                .response_body
                .unwrap_or_default()
                .contains("X-Archive-Head")
        );
    }
    assert_eq!(sim.stats().accepted, 0, "nothing was stored");
    assert_eq!(c.archive_anchor().await.1.unwrap(), None);
    sim.shutdown().await;
}
