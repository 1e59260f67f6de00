use super::*;

use crate::testkit::{setup_input, temp_app as app};

#[test]
fn fresh_database_is_not_set_up_and_speaks_chinese() {
    let (_dir, app) = app();
    let status = app.status().unwrap();
    assert!(!status.set_up, "a new database must open the wizard");
    assert_eq!(status.language, Language::ZhCn);
    assert!(status.paths.database.ends_with(DB_FILE_NAME));
}

#[test]
fn wizard_with_wrong_check_character_names_the_field_and_the_right_character() {
    let (_dir, app) = app();
    let err = app
        .complete_setup(&setup_input("91110000600037341N"))
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert_eq!(err.field.as_deref(), Some("enterprise.uscc"));
    assert!(
        err.message_zh.contains("应为“L”"),
        "message must name the expected check character: {}",
        err.message_zh
    );
    assert!(
        !app.status().unwrap().set_up,
        "nothing may be saved when validation fails"
    );
    assert!(app.enterprise().unwrap().is_none());
}

#[test]
fn completed_wizard_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    {
        let app = App::open(Config::in_dir(dir.path())).unwrap();
        app.complete_setup(&setup_input("91110000600037341l"))
            .unwrap();
    }
    let app = App::open(Config::in_dir(dir.path())).unwrap();
    let status = app.status().unwrap();
    assert!(status.set_up);
    let enterprise = status.enterprise.unwrap();
    assert_eq!(
        enterprise.uscc, "91110000600037341L",
        "the code is stored in its canonical form"
    );
    assert_eq!(status.coding.unwrap().granularity, Granularity::Batch);
    assert_eq!(status.platform.unwrap().mode, PlatformMode::Practice);
}

#[test]
fn remote_platform_must_use_tls() {
    let (_dir, app) = app();
    let mut input = setup_input("91110000600037341L");
    input.platform = PlatformSettings {
        mode: PlatformMode::Remote,
        url: "http://example.com".into(),
        app_key: "k".into(),
    };
    let err = app.complete_setup(&input).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("platform.url"));
    input.platform.url = "http://127.0.0.1:8080".into();
    app.complete_setup(&input)
        .expect("loopback may use plain http");
}

#[test]
fn company_prefix_must_be_digits() {
    let (_dir, app) = app();
    let mut input = setup_input("91110000600037341L");
    input.coding.gs1_company_prefix = "69O1234".into();
    let err = app.complete_setup(&input).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("coding.gs1CompanyPrefix"));
}

#[test]
fn uscc_check_reports_position_for_forbidden_letter() {
    let check = setup::check_uscc("9111000060003IOZSV");
    assert!(!check.valid);
    assert_eq!(check.position, Some(14));
    assert!(check.message_zh.contains("第 14 位"));
}

#[test]
fn uscc_check_warns_but_accepts_a_wrong_inner_check_character() {
    let check = setup::check_uscc("91110000600037342P");
    assert!(check.valid && check.warning, "{check:?}");
    assert_eq!(check.position, Some(17));
    assert!(check.message_zh.contains("照常保存"), "{check:?}");
}

/// The UI's fake back end answers `check_uscc` (and the USCC part of saving an enterprise or a
/// party) from this recording, never from a TypeScript copy of GB 32100. It holds every code the
/// screen tests type and each prefix of it (what the debounced check sees while the clerk types).
/// `make test` fails when the recording is stale.
#[test]
fn uscc_checks_are_recorded_for_the_ui() {
    let typed = [
        "91110000600037341L",
        "91110000600037341N",
        "91110000600037342L",
        "91110000600037342P",
        "91110000710926094P",
        "91310115MA1K3BTP2B",
        "91310115mA1K3BTP2B",
        "91310115ma1k3btp2b",
        " 91310115ma1k3btp2b ",
        " 91110000600037341l ",
        "９１１１0000600037341l",
        "91310115A1K3BTP2B",
        "A1110000600037341L",
        "91AB0000600037341L",
        "9144030071526726XG",
        "91350100M000100Y43",
        "91320214745555318W",
        "9111000060003IOZSV",
        "121200004013590816",
        "   ",
    ];
    let mut answers = std::collections::BTreeMap::new();
    for code in typed {
        for n in 0..=code.chars().count() {
            let prefix: String = code.chars().take(n).collect();
            let check = setup::check_uscc(&prefix);
            answers.insert(prefix, check);
        }
    }
}

#[test]
fn backup_and_restore_round_trip_through_the_app() {
    let (dir, app) = app();
    app.complete_setup(&setup_input("91110000600037341L"))
        .unwrap();
    let backup = app.backup(None).unwrap();
    assert!(backup.bytes > 0);
    let mut changed = setup_input("91110000710926094P").enterprise;
    changed.name = "改过的名称".into();
    app.save_enterprise(&changed).unwrap();
    let restored = app
        .restore(std::path::Path::new(&backup.path), false)
        .unwrap();
    assert_eq!(
        restored.status.enterprise.unwrap().name,
        "浙江示例燃气具有限公司"
    );
    let not_a_db = dir.path().join("notes.txt");
    std::fs::write(&not_a_db, "hello").unwrap();
    let err = app.restore(&not_a_db, false).unwrap_err();
    assert_eq!(err.code, ErrorCode::UnreadableFile);
    assert_eq!(
        app.enterprise().unwrap().unwrap().name,
        "浙江示例燃气具有限公司",
        "a failed restore changes nothing"
    );
}

#[test]
fn database_check_is_healthy_on_a_new_database() {
    let (_dir, app) = app();
    let check = app.db_check().unwrap();
    assert!(check.ok, "{:?}", check.integrity);
    assert_eq!(check.schema_version, store::Db::latest_version());
}
