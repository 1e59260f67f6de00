//! The platform settings and the connection test, against real simulators on 127.0.0.1: the
//! built-in practice platform, and simulators on other ports standing in for a real platform
//! with credentials of their own.

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use simulator::{FaultKind, SimulatorConfig};

use super::{clock_skew, confirmed_outcome, failure_outcome};
use crate::{App, ErrorCode, PlatformMode, PlatformSettings, PlatformTest, PlatformTestOutcome};

const KEY: &str = "acme-works-2025";
const SECRET: &str = "s3cret-of-acme-works";

use crate::testkit::{assert_contains, loopback, open};

/// A platform that knows only `KEY`/`SECRET`, not the practice credentials.
fn own_credentials() -> SimulatorConfig {
    SimulatorConfig {
        credentials: vec![(KEY.into(), SECRET.into())],
        ..SimulatorConfig::default()
    }
}

async fn platform(config: SimulatorConfig) -> simulator::RunningSimulator {
    simulator::start(config, loopback()).await.unwrap()
}

fn remote(url: &str, app_key: &str) -> PlatformSettings {
    PlatformSettings {
        mode: PlatformMode::Remote,
        url: url.into(),
        app_key: app_key.into(),
    }
}

/// Points `app` at `url` with `KEY` and saves `secret` for it (in the 0600 file: tests do not
/// touch the keychain of the machine they run on).
fn configure(app: &App, url: &str, secret: &str) {
    app.set_platform(&remote(url, KEY)).unwrap();
    crate::credentials::save(&app.config().data_dir, KEY, secret, false).unwrap();
}

fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_practice_platform_answers_and_accepts_the_practice_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    let test = app.test_platform(None).await.unwrap();
    assert!(test.ok, "{test:?}");
    assert_eq!(test.outcome, PlatformTestOutcome::Ok);
    assert!(test.practice);
    assert_eq!(test.app_key, simulator::PRACTICE_APP_KEY);
    assert!(test.reachable);
    assert_eq!(test.credentials_accepted, Some(true));
    assert_eq!(test.http_status, Some(404), "the key cannot exist");
    assert_eq!(test.problem.as_deref(), Some("not-found"));
    assert!(test.problem_detail.is_some(), "the platform's own words");
    assert!(test.request_id.is_some());
    assert!(test.round_trip_ms.is_some());
    let skew = test
        .clock_skew_secs
        .expect("the simulator's answers carry a Date header");
    assert!(skew.abs() <= 1, "same machine, same clock: {skew}");
    assert!(
        test.message_zh.starts_with("连接成功"),
        "{}",
        test.message_zh
    );
    assert!(
        test.message_en.starts_with("Connected"),
        "{}",
        test.message_en
    );
    let stats = app.practice_handle().unwrap().stats();
    assert_eq!(
        stats.requests, 2,
        "the probe and the wrong-signature confirmation"
    );
    assert_eq!(stats.accepted, 0, "a test stores nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_platform_on_another_port_accepts_its_own_credentials() {
    let sim = platform(own_credentials()).await;
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    let url = format!("{}/api/v1", sim.url);
    configure(&app, &url, SECRET);

    let info = app.platform_info().unwrap();
    assert_eq!(info.mode, PlatformMode::Remote);
    assert_eq!(info.url, url);
    assert_eq!(info.app_key, KEY);
    assert!(info.has_secret);
    assert_eq!(info.secret_store, "file");
    let file = PathBuf::from(info.secret_file.clone().unwrap());
    assert_eq!(file, dir.path().join("platform-secret.json"));
    assert!(info.warning_zh.is_some() && info.warning_en.is_some());
    assert!(
        !serde_json::to_string(&info).unwrap().contains(SECRET),
        "the secret is never shown"
    );

    let test = app.test_platform(None).await.unwrap();
    assert!(test.ok, "{test:?}");
    assert!(!test.practice);
    assert_eq!(test.url, url);
    assert_eq!(test.app_key, KEY);
    assert_contains(&test.message_zh, KEY);
    assert!(!serde_json::to_string(&test).unwrap().contains(SECRET));
    assert_eq!(sim.stats().requests, 2);

    let practice = app.test_platform(Some("practice".into())).await.unwrap();
    assert!(practice.ok && practice.practice, "{practice:?}");
    assert_eq!(sim.stats().requests, 2, "practice went elsewhere");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_secret_is_named_as_the_credentials_with_the_platforms_answer() {
    let sim = platform(own_credentials()).await;
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    configure(&app, &format!("{}/api/v1", sim.url), "not-the-secret");
    let test = app.test_platform(None).await.unwrap();
    assert!(!test.ok);
    assert_eq!(test.outcome, PlatformTestOutcome::BadSignature);
    assert!(test.reachable);
    assert_eq!(test.credentials_accepted, Some(false));
    assert_eq!(test.http_status, Some(401));
    assert_eq!(test.problem.as_deref(), Some("bad-signature"));
    let detail = test.problem_detail.clone().unwrap();
    assert_contains(&detail, "App Secret");
    assert_contains(&test.message_zh, "AppSecret");
    assert!(
        test.message_zh.contains(&detail),
        "the platform's answer is quoted"
    );
    assert_contains(&test.message_en, "App Secret");
    assert_eq!(sim.stats().requests, 1, "no confirmation after a refusal");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_refusal_of_the_platform_is_told_apart() {
    type Case = (FaultKind, PlatformTestOutcome, Option<u16>, Option<bool>);
    let cases: [Case; 4] = [
        (
            FaultKind::AuthExpired,
            PlatformTestOutcome::AuthExpired,
            Some(401),
            Some(false),
        ),
        (
            FaultKind::ServerError,
            PlatformTestOutcome::Unavailable,
            Some(503),
            None,
        ),
        (
            FaultKind::RateLimited,
            PlatformTestOutcome::Unavailable,
            Some(429),
            None,
        ),
        (FaultKind::Timeout, PlatformTestOutcome::Timeout, None, None),
    ];
    let sim = platform(SimulatorConfig {
        timeout_ms: 3_000,
        ..own_credentials()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    configure(&app, &format!("{}/api/v1", sim.url), SECRET);
    for (fault, outcome, status, accepted) in cases {
        sim.handle().force_next(&[fault]);
        let test = app
            .test_platform_with(None, Duration::from_millis(800))
            .await
            .unwrap();
        assert_eq!(test.outcome, outcome, "{fault}: {test:?}");
        assert!(!test.ok);
        assert_eq!(test.http_status, status, "{fault}");
        assert_eq!(test.credentials_accepted, accepted, "{fault}");
        assert!(!test.message_zh.is_empty() && !test.message_en.is_empty());
    }
    let after = app.test_platform(None).await.unwrap();
    assert!(after.ok, "the faults were one-off: {after:?}");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clock_the_platform_refuses_is_named_with_the_measured_skew() {
    // A platform that allows no difference at all, and answers 1.5 s late: by the time it
    // checks, the request's time stamp is at least a second old.
    let sim = platform(SimulatorConfig {
        clock_skew_secs: 0,
        slow_ms: 1_500,
        ..own_credentials()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    configure(&app, &format!("{}/api/v1", sim.url), SECRET);
    sim.handle().force_next(&[FaultKind::Slow]);
    let test = app.test_platform(None).await.unwrap();
    assert_eq!(test.outcome, PlatformTestOutcome::ClockSkew, "{test:?}");
    assert_eq!(test.http_status, Some(401));
    assert_eq!(test.problem.as_deref(), Some("clock-skew"));
    assert_eq!(test.credentials_accepted, None);
    assert!(test.clock_skew_secs.is_some(), "read from the Date header");
    assert_contains(&test.message_zh, "校准电脑时间");
    assert!(test.message_zh.contains("按平台的 Date 时间"));
    assert_contains(&test.message_en, "clock");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_that_checks_no_signature_is_a_wrong_address() {
    let sim = platform(own_credentials()).await;
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    // The platform's host, but an interface version it does not have: every path there
    // answers 404 whatever the signature.
    configure(&app, &format!("{}/api/v2", sim.url), SECRET);
    let test = app.test_platform(None).await.unwrap();
    assert_eq!(test.outcome, PlatformTestOutcome::WrongAddress, "{test:?}");
    assert!(!test.ok && test.reachable);
    assert_eq!(test.http_status, Some(404));
    assert_eq!(test.credentials_accepted, None);
    assert_contains(&test.message_zh, "/api/v1");
    assert_eq!(sim.stats().requests, 2, "the 404 was checked unsigned");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_port_is_offline() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    let url = format!("http://127.0.0.1:{}/api/v1", closed_port());
    configure(&app, &url, SECRET);
    let test = app.test_platform(None).await.unwrap();
    assert_eq!(test.outcome, PlatformTestOutcome::Offline, "{test:?}");
    assert!(!test.ok && !test.reachable);
    assert_eq!(test.http_status, None);
    assert_eq!(test.round_trip_ms, None);
    assert_eq!(test.clock_skew_secs, None);
    assert!(
        test.message_zh.starts_with("无法连接平台"),
        "{}",
        test.message_zh
    );
    assert!(
        test.message_en.starts_with("Cannot reach"),
        "{}",
        test.message_en
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_is_sent_without_a_saved_secret() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    app.set_platform(&remote("https://platform.example.cn/api/v1", KEY))
        .unwrap();
    let info = app.platform_info().unwrap();
    assert!(!info.has_secret);
    assert_eq!(info.secret_store, "none");
    assert_eq!(info.secret_file, None);
    let err = app.test_platform(None).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState);
    assert_contains(&err.message_zh, "AppSecret");
}

#[test]
fn the_test_runs_on_any_thread_as_the_desktop_shells_async_commands_need() {
    fn send<T: Send>(t: T) -> T {
        t
    }
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let test = runtime.block_on(send(app.test_platform(None))).unwrap();
    assert!(test.ok, "{test:?}");
}

#[test]
fn platform_set_checks_the_address_with_the_clients_rule() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    let good = "https://platform.example.cn/api/v1";
    app.set_platform(&remote(&format!("{good}/"), KEY)).unwrap();
    assert_eq!(app.platform_info().unwrap().url, good, "trailing / dropped");
    // (address, accepted, text the refusal contains)
    let cases = [
        ("http://example.com/api/v1", false, "https://"),
        ("ftp://platform.example.cn/api/v1", false, "https://"),
        ("platform.example.cn/api/v1", false, "https://"),
        ("http://127.0.0.1.example.com/api/v1", false, "https://"),
        ("https://", false, "https://"),
        ("https://platform example.cn/api/v1", false, "格式不正确"),
        ("http://127.0.0.1:8787/api/v1", true, ""),
        ("http://localhost:8787/api/v1", true, ""),
        ("http://[::1]:8787/api/v1", true, ""),
        ("https://10.0.0.8:8443/api/v1", true, ""),
    ];
    for (url, accepted, text) in cases {
        let result = app.set_platform(&remote(url, KEY));
        match result {
            Ok(info) => {
                assert!(accepted, "{url} should be refused");
                assert_eq!(info.url, url);
            }
            Err(err) => {
                assert!(!accepted, "{url} should be accepted: {err:?}");
                assert_eq!(err.code, ErrorCode::InvalidInput, "{url}");
                assert_eq!(err.field.as_deref(), Some("platform.url"), "{url}");
                assert!(err.message_zh.contains(text), "{url}: {}", err.message_zh);
                assert!(err.message_en.contains(url), "{url}: {}", err.message_en);
                let kept = app.platform_info().unwrap();
                assert_ne!(kept.url, url, "a refused address is not saved");
            }
        }
    }
    let err = app
        .set_platform(&remote("https://platform.example.cn/api/v1", "  "))
        .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("platform.appKey"));

    let info = app
        .set_platform(&PlatformSettings {
            mode: PlatformMode::Practice,
            url: "https://ignored.example.cn".into(),
            app_key: "ignored".into(),
        })
        .unwrap();
    assert_eq!(info.mode, PlatformMode::Practice);
    assert_eq!(info.url, "");
    assert_eq!(info.app_key, simulator::PRACTICE_APP_KEY);
    assert_eq!(info.secret_store, "practice");
    assert!(info.has_secret);
}

#[test]
fn clock_skew_reads_the_http_date_against_the_middle_of_the_request() {
    // Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110's example) is 784111777 s after the epoch.
    let at = |secs: f64| UNIX_EPOCH + Duration::from_secs_f64(secs);
    let imf = "Sun, 06 Nov 1994 08:49:37 GMT";
    // (date, sent, received, skew): the platform's second is taken at its middle, .5.
    let cases: [(&str, f64, f64, Option<i32>); 7] = [
        (imf, 784111777.0, 784111777.2, Some(0)),
        (imf, 784111776.9, 784111778.1, Some(0)),
        (imf, 784111837.5, 784111837.5, Some(-60)),
        (imf, 784111477.0, 784111478.0, Some(300)),
        (
            "Sunday, 06-Nov-94 08:49:37 GMT",
            784111777.5,
            784111777.5,
            Some(0),
        ),
        (
            "Sun Nov  6 08:49:37 1994",
            784111767.5,
            784111767.5,
            Some(10),
        ),
        ("yesterday", 784111777.0, 784111777.0, None),
    ];
    for (date, sent, received, skew) in cases {
        assert_eq!(
            clock_skew(date, at(sent), at(received)),
            skew,
            "{date} / {sent} / {received}"
        );
    }
    let now = SystemTime::now();
    let skew = clock_skew(&httpdate::fmt_http_date(now), now, now).unwrap();
    assert!(
        skew.abs() <= 1,
        "a date written now reads as no skew: {skew}"
    );
}

#[test]
fn failures_map_to_what_the_clerk_must_do() {
    use PlatformTestOutcome as O;
    use platform::Error as E;
    let problem = |status: u16, name: &str| E::Problem {
        status,
        name: name.into(),
        title: String::new(),
        detail: String::new(),
        retry_after: None,
    };
    let status = |status: u16| E::Status {
        status,
        retry_after: None,
    };
    let cases: Vec<(E, O)> = vec![
        (E::Offline("connection refused".into()), O::Offline),
        (E::Timeout, O::Timeout),
        (E::Dropped("reset".into()), O::Unexpected),
        (
            E::Malformed {
                status: 200,
                detail: "<html>".into(),
            },
            O::WrongAddress,
        ),
        (problem(401, "bad-signature"), O::BadSignature),
        (problem(401, "auth-expired"), O::AuthExpired),
        (problem(401, "clock-skew"), O::ClockSkew),
        (problem(401, "replay"), O::Unexpected),
        (status(401), O::BadSignature),
        (problem(404, "not-found"), O::WrongAddress),
        (status(404), O::WrongAddress),
        (problem(405, "method-not-allowed"), O::WrongAddress),
        (problem(400, "malformed"), O::WrongAddress),
        (problem(429, "rate-limited"), O::Unavailable),
        (problem(503, "unavailable"), O::Unavailable),
        (status(502), O::Unavailable),
        (status(418), O::WrongAddress),
    ];
    for (err, outcome) in cases {
        assert_eq!(failure_outcome(&err), outcome, "{err:?}");
    }
    // The confirmation signed with a wrong secret.
    assert_eq!(
        confirmed_outcome(&Err(problem(401, "bad-signature"))),
        O::Ok
    );
    assert_eq!(confirmed_outcome(&Err(status(401))), O::Ok);
    assert_eq!(confirmed_outcome(&Ok(None)), O::WrongAddress);
    assert_eq!(
        confirmed_outcome(&Err(E::Offline("gone".into()))),
        O::Offline
    );
}

/// Writes what the settings screen's tests replay (`ui/src/api/golden/`): the JSON the DTO
/// serialises for real tests, one against the practice platform and one with a wrong secret, and
/// the error when no secret is saved.
/// The values that differ on every run (the port, the times, the request id) are pinned, so a
/// recording changes only when the shape or the wording does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_the_answers_the_settings_screen_replays() {
    fn pinned(mut test: PlatformTest) -> PlatformTest {
        if test.url.starts_with("http://127.0.0.1:") {
            test.url = "http://127.0.0.1:8787/api/v1".into();
        }
        test.round_trip_ms = test.round_trip_ms.map(|_| 12);
        test.clock_skew_secs = test.clock_skew_secs.map(|_| 0);
        test.request_id = test.request_id.map(|_| "req-1".into());
        test.tested_at = "2025-07-16T08:00:00Z".into();
        test
    }
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    let ok = pinned(app.test_platform(None).await.unwrap());
    assert!(ok.ok);

    let sim = platform(own_credentials()).await;
    configure(&app, &format!("{}/api/v1", sim.url), "not-the-secret");
    let refused = pinned(app.test_platform(None).await.unwrap());
    assert_eq!(refused.outcome, PlatformTestOutcome::BadSignature);
    sim.shutdown().await;

    let empty = tempfile::tempdir().unwrap();
    let unsaved = open(empty.path());
    unsaved
        .set_platform(&remote("https://platform.example.cn/api/v1", KEY))
        .unwrap();
    let no_secret = unsaved.test_platform(None).await.unwrap_err();
    assert!(
        no_secret.message_en.to_lowercase().contains("secret"),
        "{}",
        no_secret.message_en
    );
}
