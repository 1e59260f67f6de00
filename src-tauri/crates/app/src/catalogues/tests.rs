//! Loading newer catalogues from the data folder: on open, preview, install, revert, and the
//! checks that use them.

use std::path::{Path, PathBuf};

use super::*;
use crate::testkit::{self, set_up_app};

/// The shipped CCC catalogue with its version set to `version`, `extra` rows added and the row
/// of `drop` left out.
fn ccc_file(version: &str, extra: &str, drop: Option<&str>) -> String {
    let mut out = String::new();
    for line in codes::ccc::SHIPPED_TEXT.lines() {
        if line.starts_with("# version:") {
            out.push_str(&format!("# version: {version}\n"));
        } else if drop.is_some_and(|code| line.starts_with(&format!("{code}\t"))) {
            continue;
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out + extra
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the test file");
    path
}

const NEW_ROW: &str = "1699\t试验用新产品\t16\t电子产品及安全附件\t-\tsource\t-\n";

fn version_of(app: &App, name: &str) -> CatalogueVersion {
    app.catalogue_versions()
        .into_iter()
        .find(|v| v.name == name)
        .expect("a catalogue of that name")
}

#[test]
fn a_new_app_uses_the_shipped_catalogues() {
    let (_dir, app) = testkit::temp_app();
    let versions = app.catalogue_versions();
    let names: Vec<&str> = versions.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["ccc_catalogue", "product_catalogue", "rec20_units"]);
    for v in &versions {
        assert_eq!(v.origin, "shipped");
        assert_eq!(v.version, v.shipped_version);
        assert!(v.rows > 10, "{}", v.name);
        assert!(!v.source.is_empty());
        assert_eq!((v.path.as_ref(), v.ignored_zh.as_ref()), (None, None));
    }
}

#[test]
fn a_valid_newer_file_in_the_data_folder_is_used_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(data.join(FOLDER)).unwrap();
    write(
        &data.join(FOLDER),
        "ccc_catalogue.tsv",
        &ccc_file("2099-01-01", NEW_ROW, None),
    );
    let app = testkit::open(&data);
    let v = version_of(&app, "ccc_catalogue");
    assert_eq!(
        (v.origin.as_str(), v.version.as_str()),
        ("loaded", "2099-01-01")
    );
    let check = app.check_code("2020011699000001");
    assert!(check.problems.is_empty(), "{:?}", check.problems);
    // Without the app, the CLI's code check reads the same folder.
    let check = crate::coding::check_code_in(&Catalogues::load(&data), "2020011699000001");
    assert!(check.problems.is_empty());
    // The shipped one still warns.
    let shipped = crate::coding::check_code("2020011699000001");
    assert_eq!(shipped.problems.len(), 1);
}

#[test]
fn an_older_or_invalid_file_in_the_data_folder_falls_back_to_the_shipped_one_and_says_why() {
    for (text, why_en) in [
        (
            ccc_file("2001-01-01", NEW_ROW, None),
            "this file is version 2001-01-01, not newer than version 2026-12-08 in use",
        ),
        (
            ccc_file("2099-01-01", "1699\t缺列\n", None),
            "the line has 2 cells separated by tabs, expected 7",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir_all(data.join(FOLDER)).unwrap();
        write(&data.join(FOLDER), "ccc_catalogue.tsv", &text);
        let app = testkit::open(&data);
        let v = version_of(&app, "ccc_catalogue");
        assert_eq!(v.origin, "shipped");
        let why = v.ignored_en.expect("the reason");
        assert!(why.contains(why_en), "{why}");
        assert!(v.ignored_zh.is_some());
        assert_eq!(app.check_code("2020011699000001").problems.len(), 1);
    }
}

#[test]
fn preview_shows_the_rows_a_file_adds_removes_and_changes() {
    let (dir, app) = set_up_app();
    let changed = ccc_file("2099-01-01", NEW_ROW, Some("0702")).replace(
        "0701\t家用电冰箱和食品冷冻箱",
        "0701\t家用电冰箱和食品冷冻箱（新名称）",
    );
    let path = write(dir.path(), "新目录.tsv", &changed);
    let p = app.preview_catalogue(&path).unwrap();
    assert!(p.valid, "{:?}", p.errors);
    assert_eq!(p.name, "ccc_catalogue");
    assert_eq!(p.version.as_deref(), Some("2099-01-01"));
    assert_eq!(p.current_version.as_deref(), Some("2026-12-08"));
    assert_eq!((p.added, p.removed, p.changed), (1, 1, 1));
    let examples: Vec<(&str, &str)> = p
        .examples
        .iter()
        .map(|e| (e.change.as_str(), e.key.as_str()))
        .collect();
    assert_eq!(
        examples,
        [("added", "1699"), ("removed", "0702"), ("changed", "0701")]
    );
    let changed = &p.examples[2];
    assert!(
        changed
            .before
            .as_deref()
            .unwrap()
            .contains("家用电冰箱和食品冷冻箱 |")
    );
    assert!(changed.after.as_deref().unwrap().contains("（新名称）"));
    // A preview changes nothing.
    assert_eq!(version_of(&app, "ccc_catalogue").origin, "shipped");
}

#[test]
fn preview_lists_every_error_with_its_line_and_an_older_version() {
    let (dir, app) = set_up_app();
    let bad = ccc_file(
        "2099-01-01",
        "16AB\t坏代码\t16\t-\t-\tsource\n1699\t缺列\n",
        None,
    );
    let lines = bad.lines().count() as u32;
    let path = write(dir.path(), "bad.tsv", &bad);
    let p = app.preview_catalogue(&path).unwrap();
    assert!(!p.valid);
    let found: Vec<(u32, Option<u32>, &str)> = p
        .errors
        .iter()
        .map(|e| (e.line, e.column, e.code.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (lines - 1, None, "catalogue.cells"),
            (lines, None, "catalogue.cells")
        ]
    );
    assert!(
        p.errors[0]
            .message_zh
            .starts_with(&format!("第 {} 行：", lines - 1))
    );
    let old = write(dir.path(), "old.tsv", &ccc_file("2026-12-08", "", None));
    let p = app.preview_catalogue(&old).unwrap();
    assert!(!p.valid);
    assert_eq!(p.errors[0].code, "catalogue.not-newer");
    assert_eq!(
        p.errors[0].message_zh,
        "此文件的版本为 2026-12-08，不比正在使用的版本 2026-12-08 新，请从来源处取得更新的文件"
    );
    let unknown = write(dir.path(), "other.tsv", "# name: prices\ncode\n1\n");
    let p = app.preview_catalogue(&unknown).unwrap();
    assert_eq!(
        (p.valid, p.errors[0].code.as_str()),
        (false, "catalogue.name")
    );
    let install = app.install_catalogue(&path).unwrap_err();
    assert!(
        install.message_zh.contains("共 2 处问题"),
        "{}",
        install.message_zh
    );
    assert_eq!(version_of(&app, "ccc_catalogue").origin, "shipped");
}

#[test]
fn install_takes_effect_at_once_survives_a_reopen_and_revert_goes_back() {
    let (dir, app) = set_up_app();
    let path = write(
        dir.path(),
        "ccc.tsv",
        &ccc_file("2099-01-01", NEW_ROW, None),
    );
    assert_eq!(app.check_code("2020011699000001").problems.len(), 1);
    let v = app.install_catalogue(&path).unwrap();
    assert_eq!(
        (v.origin.as_str(), v.version.as_str()),
        ("loaded", "2099-01-01")
    );
    let installed = app.config().data_dir.join(FOLDER).join("ccc_catalogue.tsv");
    assert_eq!(
        v.path.as_deref(),
        Some(installed.display().to_string().as_str())
    );
    assert!(app.check_code("2020011699000001").problems.is_empty());
    let entry = app
        .product_catalogue()
        .into_iter()
        .find(|e| e.code == "CCC-1699")
        .expect("the new row is offered as a category");
    assert_eq!(entry.name, "试验用新产品");
    // The same version again is refused: it is not newer.
    assert!(app.install_catalogue(&path).is_err());

    let again = testkit::open(&app.config().data_dir);
    assert_eq!(version_of(&again, "ccc_catalogue").version, "2099-01-01");

    let v = app.revert_catalogue("ccc_catalogue").unwrap();
    assert_eq!(
        (v.origin.as_str(), v.version.as_str()),
        ("shipped", "2026-12-08")
    );
    assert!(!installed.exists());
    assert_eq!(app.check_code("2020011699000001").problems.len(), 1);
    let unknown = app.revert_catalogue("units").unwrap_err();
    assert!(unknown.message_zh.contains("rec20_units"));
}

#[test]
fn a_loaded_unit_table_and_product_catalogue_are_used() {
    let (dir, app) = set_up_app();
    let units = codes::units::SHIPPED_TEXT
        .replace("# version: 2026-12-08", "# version: 2099-01-01")
        + "PCE\t坨\tlump\t-\tcount\t-\n";
    let path = write(dir.path(), "units.tsv", &units);
    let p = app.preview_catalogue(&path).unwrap();
    assert_eq!((p.valid, p.added, p.removed, p.changed), (true, 1, 0, 0));
    app.install_catalogue(&path).unwrap();
    assert_eq!(app.catalogues().units().code_of("坨"), Some("PCE"));

    let products = crate::catalogue::SHIPPED_TEXT
        .replace("# version: 2026-12-08", "# version: 2099-01-01")
        + "KP-TEST\t试验类别\t试验\tunconfirmed\ttest row\n";
    let path = write(dir.path(), "products.tsv", &products);
    app.install_catalogue(&path).unwrap();
    let entry = app
        .product_catalogue()
        .into_iter()
        .find(|e| e.code == "KP-TEST")
        .expect("the new category");
    assert!(!entry.confirmed);
    let mut input = testkit::catalogued_input("试验品", "06901234567892");
    input.category = "KP-TEST".into();
    let product = app.add_product(&input).unwrap();
    assert_eq!(product.category_name.as_deref(), Some("试验类别"));
}
