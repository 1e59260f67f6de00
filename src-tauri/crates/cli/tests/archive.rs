//! `tracedesk archive verify --against-platform`, run as a real process against a real database
//! and the practice platform (which the CLI starts in-process on the data folder's store file).
//! The anchors the platform holds are put there the way a submission puts them: a signed batch
//! carrying `X-Archive-Head`, sent by the platform client to a simulator on the same store file.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{init_enterprise, json, temp_db, tracedesk};
use serde_json::Value;

/// Sends one signed batch carrying `X-Archive-Head: entries:hash` to the practice platform of
/// `data_dir`, as the submit loop does, and stops it again.
fn anchor_on_practice_platform(data_dir: &Path, entries: u64, hash: &str) {
    let config = simulator::SimulatorConfig {
        store_file: Some(data_dir.join("practice-platform.jsonl")),
        ..simulator::SimulatorConfig::practice()
    };
    let sim = simulator::spawn_blocking_thread(config, ([127, 0, 0, 1], 0).into()).unwrap();
    let client = platform::Client::new(
        &format!("{}/api/v1", sim.url),
        platform::Credentials {
            app_key: simulator::PRACTICE_APP_KEY.into(),
            app_secret: simulator::PRACTICE_APP_SECRET.into(),
        },
        Duration::from_secs(10),
    )
    .unwrap();
    let record = platform::Record {
        scheme: platform::Scheme::Gs1,
        granularity: platform::Granularity::Batch,
        payload: platform::model::Payload::Enterprise(platform::model::Enterprise {
            uscc: "91310115MA1K3BTP2B".into(),
            name: "宁波示例电器有限公司".into(),
            address: "浙江省宁波市示例路1号".into(),
            ..Default::default()
        }),
    };
    let sealed = platform::seal(&record).unwrap();
    let anchor = platform::ArchiveAnchor {
        entries,
        hash: hash.to_string(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (_, result) = runtime.block_on(
        client.send_batch(
            client
                .prepare_batch(&[sealed.body.as_str()])
                .with_anchor(&anchor),
            &[sealed.key.as_str()],
        ),
    );
    result.unwrap();
    sim.shutdown();
}

fn verify_against(db: &Path, extra: &[&str]) -> (Option<i32>, Value) {
    let mut args = vec![
        "--json",
        "archive",
        "verify",
        "--against-platform",
        "--platform",
        "practice",
    ];
    args.extend_from_slice(extra);
    let out = tracedesk(db, &args);
    (out.status.code(), json(&out))
}

#[test]
fn archive_verify_against_the_platform_exits_0_only_when_its_anchor_matches() {
    let (_dir, db) = temp_db();
    let data_dir = db.parent().unwrap().to_path_buf();
    init_enterprise(&db, &[]);

    // 1. The platform holds no anchor yet: not a verdict either way, so not ok.
    let (code, body) = verify_against(&db, &[]);
    assert_eq!(code, Some(1), "{body}");
    assert_eq!(body["status"], "no-anchor");
    assert_eq!(body["ok"], false);
    assert_eq!(body["practice"], true);
    assert_eq!(body["localEntries"], 0);
    assert!(body["anchorEntries"].is_null());
    assert!(body["messageZh"].as_str().unwrap().contains("尚未保存"));

    // The check archived its request and answer: a chain of 2 entries now.
    let out = tracedesk(&db, &["--json", "archive", "verify"]);
    assert_eq!(out.status.code(), Some(0));
    let chain = json(&out);
    assert_eq!(chain["entries"], 2);
    let head = chain["last_hash"].as_str().unwrap().to_string();

    // 2. A batch carried that head: the archive matches it.
    anchor_on_practice_platform(&data_dir, 2, &head);
    let (code, body) = verify_against(&db, &[]);
    assert_eq!(code, Some(0), "{body}");
    assert_eq!(body["status"], "ok");
    assert_eq!(body["ok"], true);
    assert_eq!(body["anchorEntries"], 2);
    assert_eq!(body["anchorHash"], head.as_str());
    assert_eq!(body["localHash"], head.as_str());
    assert_eq!(body["chain"]["ok"], true);
    let text = tracedesk(
        &db,
        &[
            "archive",
            "verify",
            "--against-platform",
            "--platform",
            "practice",
        ],
    );
    assert_eq!(text.status.code(), Some(0));
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("一致") && text.contains("matches") && text.contains(&head),
        "{text}"
    );

    // 3. The platform saw another head after 2 entries: the local archive was rewritten.
    let theirs = "f".repeat(64);
    anchor_on_practice_platform(&data_dir, 2, &theirs);
    let (code, body) = verify_against(&db, &[]);
    assert_eq!(code, Some(1), "{body}");
    assert_eq!(body["status"], "mismatch");
    assert_eq!(body["localHash"], head.as_str());
    for lang in ["messageZh", "messageEn"] {
        let message = body[lang].as_str().unwrap();
        assert!(
            message.contains(&theirs) && message.contains(&head),
            "both hashes named: {message}"
        );
    }

    // 4. The platform saw more entries than there are: truncated or an older copy.
    anchor_on_practice_platform(&data_dir, 1_000_000, &theirs);
    let (code, body) = verify_against(&db, &[]);
    assert_eq!(code, Some(1), "{body}");
    assert_eq!(body["status"], "platform-ahead");
    assert!(body["localHash"].is_null());
    assert!(
        body["messageEn"]
            .as_str()
            .unwrap()
            .contains("1000000 entries")
    );
}

#[test]
fn archive_verify_against_the_platform_refuses_bad_input_with_exit_2() {
    let (_dir, db) = temp_db();
    let out = tracedesk(
        &db,
        &[
            "--json",
            "archive",
            "verify",
            "--against-platform",
            "--platform",
            "ftp://127.0.0.1/api/v1",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&out)["error"]["code"], "invalidInput");
    let out = tracedesk(&db, &["archive", "verify", "--platform", "practice"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "--platform needs --against-platform"
    );
    let out = tracedesk(&db, &["--json", "archive", "verify"]);
    assert_eq!(out.status.code(), Some(0), "plain verify is unchanged");
    assert_eq!(json(&out)["ok"], true);
}
