//! `tracedesk platform set | show | test` as real processes, against a simulator on another
//! 127.0.0.1 port that stands in for a real platform with credentials of its own.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{json, temp_db};
use simulator::{SimulatorConfig, SimulatorThread};

const KEY: &str = "acme-works-2025";
const SECRET: &str = "s3cret-of-acme-works";

/// `tracedesk --db DB ARGS…` with `stdin` piped in. The keychain is skipped, so the secret goes
/// to the 0600 file and the tests never touch the keychain of the machine they run on.
fn tracedesk(db: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tracedesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TRACEDESK_DATA_DIR")
        .env("TRACEDESK_NO_KEYCHAIN", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tracedesk");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn run(db: &Path, args: &[&str]) -> Output {
    tracedesk(db, args, "")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A platform on its own port that knows only `KEY`/`SECRET`.
fn real_platform() -> SimulatorThread {
    let config = SimulatorConfig {
        credentials: vec![(KEY.into(), SECRET.into())],
        ..SimulatorConfig::default()
    };
    simulator::spawn_blocking_thread(config, "127.0.0.1:0".parse().unwrap()).unwrap()
}

/// `platform set --url URL --app-key KEY`, with `--json` when `json`.
fn set_remote(db: &Path, url: &str, json: bool) -> Output {
    let args = ["platform", "set", "--url", url, "--app-key", KEY];
    if json {
        run(db, &[&["--json"][..], &args].concat())
    } else {
        run(db, &args)
    }
}

/// `platform set` to `url` with `KEY`, then `secret` from stdin.
fn configure(db: &Path, url: &str, secret: &str) {
    let set = set_remote(db, url, true);
    assert_eq!(set.status.code(), Some(0), "{}", text(&set));
    let saved = tracedesk(db, &["--json", "secret"], secret);
    assert_eq!(saved.status.code(), Some(0), "{}", text(&saved));
}

/// `body` (of `platform set` or `show`) names the remote platform at `url` with `KEY`, whether a
/// secret is saved, and where.
#[track_caller]
fn assert_remote(body: &serde_json::Value, url: &str, has_secret: bool, secret_store: &str) {
    assert_eq!(body["mode"], "remote");
    assert_eq!(body["url"], url);
    assert_eq!(body["appKey"], KEY);
    assert_eq!(body["hasSecret"], has_secret);
    assert_eq!(body["secretStore"], secret_store);
}

#[test]
fn set_show_and_test_a_real_platform_on_another_port() {
    let sim = real_platform();
    let (_dir, db) = temp_db();
    let url = format!("{}/api/v1", sim.url);

    let fresh = json(&run(&db, &["--json", "platform", "show"]));
    assert_eq!(fresh["mode"], "practice");
    assert_eq!(fresh["secretStore"], "practice");

    let set = set_remote(&db, &url, true);
    assert_eq!(set.status.code(), Some(0), "{}", text(&set));
    assert_remote(&json(&set), &url, false, "none");

    let saved = tracedesk(&db, &["secret"], &format!("{SECRET}\n"));
    assert_eq!(saved.status.code(), Some(0), "{}", text(&saved));

    let shown = run(&db, &["--json", "platform", "show"]);
    assert_eq!(shown.status.code(), Some(0));
    assert!(!text(&shown).contains(SECRET), "the secret is never shown");
    let shown = json(&shown);
    assert_remote(&shown, &url, true, "file");
    let file = shown["secretFile"].as_str().unwrap();
    assert!(Path::new(file).is_file(), "{file}");
    assert!(shown["warningZh"].as_str().unwrap().contains("0600"));
    let human = run(&db, &["platform", "show"]);
    assert!(!text(&human).contains(SECRET));
    assert!(text(&human).contains("0600"), "{}", text(&human));

    let test = run(&db, &["--json", "platform", "test"]);
    assert_eq!(test.status.code(), Some(0), "{}", text(&test));
    let test = json(&test);
    assert_eq!(test["ok"], true);
    assert_eq!(test["outcome"], "ok");
    assert_eq!(test["practice"], false);
    assert_eq!(test["url"], url.as_str());
    assert_eq!(test["reachable"], true);
    assert_eq!(test["credentialsAccepted"], true);
    assert_eq!(test["httpStatus"], 404);
    assert_eq!(test["problem"], "not-found");
    assert!(test["roundTripMs"].is_u64(), "{test}");
    assert!(test["clockSkewSecs"].as_i64().unwrap().abs() <= 1, "{test}");
    assert!(test["messageZh"].as_str().unwrap().starts_with("连接成功"));
    assert_eq!(sim.handle().stats().accepted, 0, "a test stores nothing");

    let human = run(&db, &["platform", "test"]);
    assert_eq!(human.status.code(), Some(0), "{}", text(&human));
    for words in [
        "连接成功",
        "HTTP 404 not-found",
        "往返时间 round trip",
        "时钟偏差 clock skew",
        "有效 accepted",
    ] {
        assert!(text(&human).contains(words), "{words}: {}", text(&human));
    }

    let practice = run(
        &db,
        &["--json", "platform", "test", "--platform", "practice"],
    );
    assert_eq!(practice.status.code(), Some(0), "{}", text(&practice));
    assert_eq!(json(&practice)["practice"], true);

    let back = run(&db, &["--json", "platform", "set", "--practice"]);
    assert_eq!(back.status.code(), Some(0), "{}", text(&back));
    assert_eq!(json(&back)["mode"], "practice");
    assert_eq!(json(&run(&db, &["--json", "platform", "show"]))["url"], "");
}

#[test]
fn a_wrong_secret_exits_1_with_the_credentials_message() {
    let sim = real_platform();
    let (_dir, db) = temp_db();
    configure(&db, &format!("{}/api/v1", sim.url), "not-the-secret");

    let test = run(&db, &["--json", "platform", "test"]);
    assert_eq!(test.status.code(), Some(1), "{}", text(&test));
    let test = json(&test);
    assert_eq!(test["ok"], false);
    assert_eq!(test["outcome"], "bad-signature");
    assert_eq!(test["httpStatus"], 401);
    assert_eq!(test["problem"], "bad-signature");
    assert_eq!(test["credentialsAccepted"], false);
    assert!(
        test["messageZh"]
            .as_str()
            .unwrap()
            .contains("平台拒绝了接入凭证")
    );
    assert!(
        test["messageEn"]
            .as_str()
            .unwrap()
            .contains("refused the credentials")
    );

    let human = run(&db, &["platform", "test"]);
    assert_eq!(human.status.code(), Some(1));
    for words in [
        "平台拒绝了接入凭证",
        "tracedesk secret",
        "HTTP 401 bad-signature",
        "被拒绝 refused",
    ] {
        assert!(text(&human).contains(words), "{words}: {}", text(&human));
    }
}

#[test]
fn an_unreachable_port_exits_1_offline() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (_dir, db) = temp_db();
    configure(&db, &format!("http://127.0.0.1:{port}/api/v1"), SECRET);
    let test = run(&db, &["--json", "platform", "test"]);
    assert_eq!(test.status.code(), Some(1), "{}", text(&test));
    let test = json(&test);
    assert_eq!(test["outcome"], "offline");
    assert_eq!(test["reachable"], false);
    assert_eq!(test["httpStatus"], serde_json::Value::Null);
    assert!(
        test["messageZh"]
            .as_str()
            .unwrap()
            .starts_with("无法连接平台")
    );
}

#[test]
fn plain_http_to_another_host_exits_2_with_the_https_message() {
    let (_dir, db) = temp_db();
    let set = set_remote(&db, "http://example.com", true);
    assert_eq!(set.status.code(), Some(2), "{}", text(&set));
    let error = &json(&set)["error"];
    assert_eq!(error["code"], "invalidInput");
    assert_eq!(error["field"], "platform.url");
    assert!(
        error["messageZh"]
            .as_str()
            .unwrap()
            .contains("必须以 https:// 开头"),
        "{error}"
    );
    assert!(
        error["messageEn"].as_str().unwrap().contains("https://"),
        "{error}"
    );
    let human = set_remote(&db, "http://example.com", false);
    assert_eq!(human.status.code(), Some(2));
    assert!(text(&human).contains("https://"), "{}", text(&human));
    assert_eq!(
        json(&run(&db, &["--json", "platform", "show"]))["mode"],
        "practice",
        "nothing saved"
    );

    let test = run(
        &db,
        &[
            "--json",
            "platform",
            "test",
            "--platform",
            "http://example.com/api/v1",
        ],
    );
    assert_eq!(test.status.code(), Some(2), "{}", text(&test));
}

#[test]
fn the_secret_is_never_an_argument_and_set_needs_a_whole_platform() {
    let (_dir, db) = temp_db();
    let cases: [&[&str]; 4] = [
        &[
            "platform",
            "set",
            "--url",
            "https://platform.example.cn/api/v1",
            "--app-key",
            KEY,
            "--app-secret",
            SECRET,
        ],
        &[
            "platform",
            "set",
            "--url",
            "https://platform.example.cn/api/v1",
        ],
        &["platform", "set"],
        &[
            "platform",
            "set",
            "--practice",
            "--url",
            "https://platform.example.cn/api/v1",
        ],
    ];
    for args in cases {
        let output = run(&db, args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", text(&output));
    }
    assert_eq!(
        json(&run(&db, &["--json", "platform", "show"]))["mode"],
        "practice"
    );
}

#[test]
fn testing_without_a_saved_secret_exits_1_and_says_how_to_save_one() {
    let (_dir, db) = temp_db();
    let set = set_remote(&db, "https://platform.example.cn/api/v1", false);
    assert_eq!(set.status.code(), Some(0), "{}", text(&set));
    assert!(
        text(&set).contains("tracedesk secret"),
        "the next step is named"
    );
    let test = run(&db, &["--json", "platform", "test"]);
    assert_eq!(test.status.code(), Some(1), "{}", text(&test));
    let error = &json(&test)["error"];
    assert_eq!(error["code"], "invalidState");
    assert!(
        error["messageZh"].as_str().unwrap().contains("AppSecret"),
        "{error}"
    );
}
