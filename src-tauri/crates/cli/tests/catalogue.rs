//! `tracedesk catalogue …` as a real process: list, check (valid and invalid files, exit codes),
//! load, revert, and `code check` using the loaded CCC catalogue.

mod common;

use common::{assert_exit, json, ok, temp_db, tracedesk};

/// The shipped CCC catalogue as a newer version with one more row.
fn newer_ccc() -> String {
    let shipped = include_str!("../../codes/data/ccc_catalogue.tsv");
    shipped.replace("# version: 2026-12-08", "# version: 2099-01-01")
        + "1699\t试验用新产品\t16\t电子产品及安全附件\t-\tsource\t-\n"
}

#[test]
fn catalogue_list_check_load_and_revert() {
    let (dir, db) = temp_db();
    let list = ok(&tracedesk(&db, &["--json", "catalogue", "list"]));
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ccc_catalogue", "product_catalogue", "rec20_units"]);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|v| v["origin"] == "shipped")
    );

    // The gas-cooker certificate is in the shipped catalogue: no not-found warning.
    let check = ok(&tracedesk(
        &db,
        &["--json", "code", "check", "2024012401000123"],
    ));
    assert_eq!(check["fields"]["productName"], "家用燃气灶具");
    assert!(
        !check
            .to_string()
            .contains("not in the shipped CCC catalogue")
    );
    let before = ok(&tracedesk(
        &db,
        &["--json", "code", "check", "2020011699000001"],
    ));
    assert!(
        before
            .to_string()
            .contains("not in the shipped CCC catalogue")
    );

    let bad = dir.path().join("bad.tsv");
    std::fs::write(&bad, newer_ccc() + "1700\t缺列\n").unwrap();
    let out = tracedesk(
        &db,
        &["--json", "catalogue", "check", bad.to_str().unwrap()],
    );
    assert_exit(&out, 1);
    let preview = json(&out);
    assert_eq!(preview["valid"], false);
    assert_eq!(preview["errors"][0]["code"], "catalogue.cells");
    assert!(preview["errors"][0]["line"].as_u64().unwrap() > 90);
    let out = tracedesk(&db, &["catalogue", "load", bad.to_str().unwrap()]);
    assert_ne!(out.status.code(), Some(0));

    let good = dir.path().join("ccc.tsv");
    std::fs::write(&good, newer_ccc()).unwrap();
    let preview = ok(&tracedesk(
        &db,
        &["--json", "catalogue", "check", good.to_str().unwrap()],
    ));
    assert_eq!(
        (preview["valid"].as_bool(), preview["added"].as_u64()),
        (Some(true), Some(1))
    );
    let loaded = ok(&tracedesk(
        &db,
        &["--json", "catalogue", "load", good.to_str().unwrap()],
    ));
    assert_eq!(
        (loaded["origin"].as_str(), loaded["version"].as_str()),
        (Some("loaded"), Some("2099-01-01"))
    );
    let after = ok(&tracedesk(
        &db,
        &["--json", "code", "check", "2020011699000001"],
    ));
    assert_eq!(after["fields"]["productName"], "试验用新产品");
    assert!(after["problems"].as_array().unwrap().is_empty());

    let reverted = ok(&tracedesk(
        &db,
        &["--json", "catalogue", "revert", "ccc_catalogue"],
    ));
    assert_eq!(reverted["origin"], "shipped");
    let again = ok(&tracedesk(
        &db,
        &["--json", "code", "check", "2020011699000001"],
    ));
    assert!(
        again
            .to_string()
            .contains("not in the shipped CCC catalogue")
    );
    let out = tracedesk(&db, &["catalogue", "revert", "prices"]);
    assert_ne!(out.status.code(), Some(0));
}
