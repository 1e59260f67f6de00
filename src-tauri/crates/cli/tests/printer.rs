//! `tracedesk printer …` and `tracedesk label --format zpl|tspl|pdf-label|csv|xlsx` as real
//! processes on a real database, and `--printer` through a real CUPS scheduler to a network
//! label printer played by the test.

mod common;

use std::path::Path;
use std::process::Command;

use common::{generate_codes, gs1_item_product, json, ok, temp_db, tracedesk};

/// A GS1 一物一码 product and `n` codes in a list; returns the list's path.
fn codes(db: &Path, dir: &Path, n: u32) -> String {
    let id = gs1_item_product(db);
    let list = dir.join("codes.csv").display().to_string();
    ok(&generate_codes(
        db,
        &id,
        Some("B20250715-1"),
        &n.to_string(),
        &list,
    ));
    list
}

/// Runs `tracedesk --json label --in LIST --symbology SYMBOLOGY EXTRA…`.
fn label(db: &Path, list: &str, symbology: &str, extra: &[&str]) -> std::process::Output {
    let args = ["--json", "label", "--in", list, "--symbology", symbology];
    tracedesk(db, &[&args[..], extra].concat())
}

#[test]
fn printer_profiles_are_added_listed_and_removed() {
    let (_dir, db) = temp_db();
    let saved = ok(&tracedesk(
        &db,
        &[
            "--json",
            "printer",
            "add",
            "仓库 TSC",
            "--language",
            "tspl",
            "--dpi",
            "300",
            "--label-size",
            "60x40",
            "--gap",
            "3",
            "--offset",
            "0.5,-1",
            "--barcode",
            "bitmap",
        ],
    ));
    assert_eq!(saved["dpi"], 300);
    assert_eq!(saved["offsetYMm"], -1.0);
    let list = ok(&tracedesk(&db, &["--json", "printer", "list"]));
    let names: Vec<&str> = list["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["仓库 TSC", "ZPL 203dpi 50×30"]);
    assert!(
        list["printers"].is_array() || list["printersError"]["messageZh"].is_string(),
        "the OS printers or why there are none: {list}"
    );
    ok(&tracedesk(
        &db,
        &["--json", "printer", "remove", "仓库 TSC"],
    ));
    let again = tracedesk(&db, &["--json", "printer", "remove", "仓库 TSC"]);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(json(&again)["error"]["code"], "notFound");
}

#[test]
fn a_profile_with_600_dpi_is_refused_in_both_languages() {
    let (_dir, db) = temp_db();
    let out = tracedesk(
        &db,
        &[
            "--json",
            "printer",
            "add",
            "x",
            "--language",
            "zpl",
            "--dpi",
            "600",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "bad input");
    let err = &json(&out)["error"];
    assert_eq!(err["field"], "dpi");
    assert!(err["messageZh"].as_str().unwrap().contains("203 或 300"));
    assert!(err["messageEn"].as_str().unwrap().contains("203 or 300"));
}

#[test]
fn label_writes_zpl_and_tspl_at_the_size_resolution_gap_and_offset_asked() {
    let (dir, db) = temp_db();
    let list = codes(&db, dir.path(), 7);
    for (format, extra, expect) in [
        (
            "zpl",
            vec!["--dpi", "300", "--label-size", "60x40"],
            vec!["^PW720", "^LL480", "^BXN,"],
        ),
        (
            "tspl",
            vec!["--gap", "3", "--offset", "1,-1", "--label-size", "50x30"],
            vec!["SIZE 50 mm,30 mm", "GAP 3 mm,0 mm", "DMATRIX "],
        ),
        (
            "tspl",
            vec!["--barcode", "bitmap"],
            vec!["SIZE 50 mm,30 mm", "BITMAP "],
        ),
    ] {
        let path = dir.path().join(format!("labels.{format}"));
        let path_arg = path.display().to_string();
        let mut args = vec!["--format", format, "--out", &path_arg];
        args.extend(extra.iter().copied());
        let result = ok(&label(&db, &list, "datamatrix", &args));
        assert_eq!(result["labels"], 7);
        assert_eq!(
            result["omittedTextLines"], 0,
            "the Chinese name and lot lines are drawn as images"
        );
        let job = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        for e in expect {
            assert!(job.contains(e), "{format}: {e} in\n{job}");
        }
        let per_label = if format == "zpl" { "^XZ" } else { "PRINT 1,1" };
        assert_eq!(job.matches(per_label).count(), 7);
        assert!(job.contains("00000007"), "the last serial is printed");
    }
}

#[test]
fn label_data_for_bartender_and_a_test_label_are_written() {
    let (dir, db) = temp_db();
    let list = codes(&db, dir.path(), 3);
    let csv = dir.path().join("data.csv");
    let result = ok(&label(
        &db,
        &list,
        "datamatrix",
        &["--format", "csv", "--out", &csv.display().to_string()],
    ));
    assert_eq!(result["rows"], 3);
    let text = std::fs::read_to_string(&csv).unwrap();
    let second = text.lines().nth(1).unwrap();
    assert!(
        second.starts_with("010690123456789210B20250715-1\u{1d}2100000001,(01)06901234567892(10)B20250715-1(21)00000001,"),
        "{second}"
    );

    let test = dir.path().join("test.tspl");
    let result = ok(&tracedesk(
        &db,
        &[
            "--json",
            "printer",
            "test",
            "TSPL 203dpi 50×30",
            "--out",
            &test.display().to_string(),
        ],
    ));
    assert_eq!(result["labels"], 1);
    assert!(String::from_utf8_lossy(&std::fs::read(&test).unwrap()).contains("TEST0001"));

    let out = label(&db, &list, "qr", &["--profile", "没有这台"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        json(&out)["error"]["messageZh"]
            .as_str()
            .unwrap()
            .contains("没有这台")
    );
}

#[test]
fn label_printer_flag_sends_the_job_through_cups_to_the_printer() {
    let cupsd = match rawprint::testing::start_cupsd() {
        Ok(c) => c,
        Err(why) => {
            println!("SKIPPED the real CUPS part: {why}");
            return;
        }
    };
    let (port, printer) = rawprint::testing::fake_network_printer();
    cupsd.add_socket_queue("Zebra-ZD421", port);
    let (dir, db) = temp_db();
    let list = codes(&db, dir.path(), 4);
    let path = dir.path().join("sent.zpl");
    let out = Command::new(env!("CARGO_BIN_EXE_tracedesk"))
        .arg("--db")
        .arg(&db)
        .args([
            "--json",
            "label",
            "--in",
            &list,
            "--symbology",
            "gs1-128",
            "--format",
            "zpl",
            "--label-size",
            "100x50",
            "--printer",
            "Zebra-ZD421",
            "--out",
        ])
        .arg(&path)
        .env_remove("TRACEDESK_DATA_DIR")
        .env("CUPS_SERVER", cupsd.server())
        .output()
        .unwrap();
    let result = ok(&out);
    assert_eq!(result["printer"], "Zebra-ZD421");
    let received = printer.join().unwrap();
    assert_eq!(
        received,
        std::fs::read(&path).unwrap(),
        "the printer got the job as written"
    );
    assert_eq!(String::from_utf8_lossy(&received).matches("^XA").count(), 4);
}
