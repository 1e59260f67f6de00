//! `tracedesk import`, `import undo|list` and `template`, run as real processes against a real
//! database file: exit codes, the JSON shape, idempotent re-imports, undo, and hostile files that
//! must end with exit 2 and change nothing.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use common::{assert_exit as exit, json, tracedesk};

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn db(&self) -> PathBuf {
        self.dir.path().join("data").join("tracedesk.sqlite3")
    }
    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
    fn run(&self, args: &[&str]) -> Output {
        tracedesk(&self.db(), args)
    }
    /// `--json import FILE --kind receipt EXTRA…`.
    fn import(&self, file: &str, extra: &[&str]) -> Output {
        self.run(&[&["--json", "import", file, "--kind", "receipt"], extra].concat())
    }
    /// The runs `import list` shows.
    fn runs(&self) -> Value {
        json(&self.run(&["--json", "import", "list"]))
    }
    /// Writes the receipt template to `path`.
    fn template(&self, path: &Path) {
        exit(
            &self.run(&[
                "template",
                "--kind",
                "receipt",
                "--out",
                path.to_str().unwrap(),
            ]),
            0,
        );
    }
}

/// `--json import FILE --kind receipt --create-missing EXTRA…`: unknown suppliers are registered.
fn import_args<'a>(file: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    [
        &[
            "--json",
            "import",
            file,
            "--kind",
            "receipt",
            "--create-missing",
        ],
        extra,
    ]
    .concat()
}

/// The JSON of an import refused with exit 2 because `file` cannot be read as a ledger.
#[track_caller]
fn unreadable(out: &Output, file: &Path) -> Value {
    exit(out, 2);
    let body = json(out);
    assert_eq!(
        body["error"]["code"],
        "unreadableFile",
        "{}",
        file.display()
    );
    body
}

/// Imports only the valid rows, registering unknown suppliers.
const SKIP: &[&str] = &["--create-missing", "--on-error", "skip"];

/// A receipt ledger as WPS exports it: a title line, 序号, a grouped number, a spaced result, an
/// impossible date on row 5, and a supplier nobody registered.
const LEDGER: &str = "2025年3月进货台账\n\
序号,进货日期,供应商,原料名称,供应商批号,数量,单位,检验结果\n\
1,2025-03-03,宁波钢材有限公司,冷轧钢板,GB2503-01,\"1,200\",kg,合格\n\
2,2025/3/4,宁波钢材有限公司,冷轧钢板,GB2503-02,1500,千克,合 格\n\
3,2025-02-30,宁波钢材有限公司,镀锌板,GB2503-03,800,kg,合格\n";

#[test]
fn import_json_has_the_mapping_counts_and_problems_located_as_excel_shows_them() {
    let e = Env::new();
    let file = e.file("ledger.csv", LEDGER.as_bytes());
    let out = e.import(file.to_str().unwrap(), &["--dry-run"]);
    exit(&out, 1);
    let body = json(&out);
    assert_eq!(body["sheet"], "ledger");
    assert_eq!(body["header_row"], 2, "the title line is passed over");
    assert_eq!(body["mapping"]["供应商批号"], "supplier_lot");
    assert_eq!(body["mapping"]["数量"], "quantity");
    assert!(
        body["mapping"].get("序号").is_none(),
        "序号 is never mapped"
    );
    assert_eq!(body["rows_total"], 3);
    assert_eq!(
        body["rows_valid"], 0,
        "the supplier is unknown on every row"
    );
    assert_eq!(body["rows_imported"], 0);
    let problems = body["problems"].as_array().unwrap();
    let date = problems
        .iter()
        .find(|p| p["field"] == "received_on")
        .expect("the impossible date is reported");
    assert_eq!(date["row"], 5);
    assert_eq!(date["column"], "B");
    assert_eq!(date["severity"], "error");
    assert_eq!(date["value"], "2025-02-30");
    assert!(
        date["message"]
            .as_str()
            .unwrap()
            .starts_with("第 5 行 B 列（进货日期）")
    );
    let party = problems
        .iter()
        .find(|p| p["code"] == "party.unknown")
        .expect("the unknown supplier is offered for creation");
    assert_eq!(party["column"], "C");
    assert_eq!(body["unknown"][0]["name"], "宁波钢材有限公司");
}

#[test]
fn exit_codes_follow_what_happened_and_reimport_creates_nothing() {
    let e = Env::new();
    let file = e.file("ledger.csv", LEDGER.as_bytes());
    let path = file.to_str().unwrap();

    // Errors block an all-or-nothing import: exit 1, nothing written.
    let blocked = e.import(path, &["--create-missing"]);
    exit(&blocked, 1);
    assert_eq!(json(&blocked)["rows_imported"], 0);
    let list = e.run(&["--json", "import", "list"]);
    exit(&list, 0);
    assert_eq!(json(&list), Value::Array(Vec::new()));

    // A dry run of the valid rows says what would happen and writes nothing.
    let dry = e.import(path, &[SKIP, &["--dry-run"]].concat());
    exit(&dry, 0);
    assert_eq!(json(&dry)["rows_imported"], 2);
    assert_eq!(e.runs(), Value::Array(Vec::new()));

    // Only the valid rows.
    let done = e.import(path, SKIP);
    exit(&done, 0);
    let body = json(&done);
    assert_eq!(body["rows_imported"], 2);
    let run_id = body["run_id"].as_i64().expect("a run id");

    // The same file again: nothing new, and that is not an error.
    let again = e.import(path, SKIP);
    exit(&again, 0);
    let body = json(&again);
    assert_eq!(body["rows_imported"], 0);
    assert_eq!(body["rows_existing"], 2);
    assert!(body["run_id"].is_null());

    let runs = e.runs();
    assert_eq!(runs.as_array().unwrap().len(), 1);
    assert_eq!(runs[0]["id"], run_id);
    assert_eq!(runs[0]["status"], "committed");
    assert_eq!(runs[0]["canUndo"], true);

    // Undo, once.
    let undo = e.run(&["--json", "import", "undo", &run_id.to_string()]);
    exit(&undo, 0);
    assert_eq!(json(&undo)["run"]["status"], "undone");
    let twice = e.run(&["--json", "import", "undo", &run_id.to_string()]);
    exit(&twice, 1);
    assert_eq!(json(&twice)["error"]["code"], "invalidState");

    // After undo the rows import again.
    let redo = e.import(path, SKIP);
    exit(&redo, 0);
    assert_eq!(json(&redo)["rows_imported"], 2);
}

#[test]
fn the_template_is_written_and_its_example_row_imports() {
    let e = Env::new();
    let out_path = e.dir.path().join("模板.xlsx");
    let out = e.run(&[
        "--json",
        "template",
        "--kind",
        "batch",
        "--out",
        out_path.to_str().unwrap(),
    ]);
    exit(&out, 0);
    assert!(out_path.is_file());
    assert_eq!(json(&out)["kind"], "batch");

    // The receipt template's example row names a supplier and a lot: it imports once created.
    let receipt = e.dir.path().join("receipt.xlsx");
    e.template(&receipt);
    let imported = e.import(receipt.to_str().unwrap(), &["--create-missing"]);
    exit(&imported, 0);
    assert_eq!(json(&imported)["rows_imported"], 1);
}

/// Office saves a password-protected xlsx as an OLE compound file holding these two streams.
fn encrypted_xlsx() -> Vec<u8> {
    use std::io::Write;
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).expect("cfb");
    for name in ["/EncryptionInfo", "/EncryptedPackage"] {
        let mut stream = file.create_stream(name).expect("stream");
        stream.write_all(&[4, 0, 4, 0]).expect("write");
    }
    file.flush().expect("flush");
    file.into_inner().into_inner()
}

#[test]
fn hostile_files_end_with_exit_2_and_change_nothing() {
    let e = Env::new();
    // A valid workbook to damage: the template.
    let template = e.dir.path().join("t.xlsx");
    e.template(&template);
    let good = std::fs::read(&template).unwrap();
    let cases: Vec<(PathBuf, &str)> = vec![
        (
            e.file("photo.xlsx", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01"),
            "file.not-a-spreadsheet",
        ),
        (e.file("empty.xlsx", b""), "file.empty"),
        (
            e.file("cut.xlsx", &good[..good.len() / 3]),
            "file.truncated",
        ),
        (
            e.file(
                "page.xls",
                b"<html><body><table><tr><td>1</td></tr></table></body></html>",
            ),
            "file.disguised",
        ),
        (e.file("locked.xlsx", &encrypted_xlsx()), "file.encrypted"),
        (e.dir.path().join("missing.xlsx"), "file.unreadable"),
    ];
    for (path, reason) in &cases {
        let out = e.import(path.to_str().unwrap(), SKIP);
        let body = unreadable(&out, path);
        assert_eq!(body["error"]["field"], *reason, "{}", path.display());
        assert!(
            !body["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .is_empty(),
            "a message for the clerk"
        );
    }
    // An unknown sheet is bad input too.
    let out = e.import(template.to_str().unwrap(), &["--sheet", "没有这张表"]);
    exit(&out, 2);
    assert_eq!(json(&out)["error"]["field"], "sheet.not-found");

    // Nothing was written: no run, and the template's example row is still new.
    assert_eq!(e.runs(), Value::Array(Vec::new()));
    let dry = e.import(
        template.to_str().unwrap(),
        &["--create-missing", "--dry-run"],
    );
    exit(&dry, 0);
    assert_eq!(json(&dry)["rows_imported"], 1);
    assert_eq!(json(&dry)["rows_existing"], 0);
}

#[test]
fn text_output_tells_the_clerk_what_happened() {
    let e = Env::new();
    let file = e.file("ledger.csv", LEDGER.as_bytes());
    let out = e.run(&["import", file.to_str().unwrap(), "--kind", "receipt"]);
    exit(&out, 1);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("第 5 行 B 列（进货日期）"), "{text}");
    assert!(text.contains("没有导入任何数据"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// Column choices on the command line: --map, --mapping-file, and the remembered mapping

/// A WPS-made receipt ledger whose inspection column has a house name no vocabulary knows.
const WPS_LEDGER: &str = "\u{feff}来料登记表（WPS）\n\
序号,到货日期,供货单位,物料名称,进货批号,数目,计量单位,来料IQC,备注\n\
1,2025-03-03,宁波钢材有限公司,冷轧钢板,GB2503-01,1200,kg,合格,\n\
2,2025-03-04,宁波钢材有限公司,冷轧钢板,GB2503-02,1500,千克,合格,复检\n";

/// The same headers, other rows: a second month of the same ledger.
const WPS_LEDGER_APRIL: &str = "\u{feff}来料登记表（WPS）\n\
序号,到货日期,供货单位,物料名称,进货批号,数目,计量单位,来料IQC,备注\n\
1,2025-04-01,宁波钢材有限公司,镀锌板,GB2504-01,300,kg,不合格,退货\n";

#[test]
fn an_unknown_inspection_header_imports_with_map_and_is_remembered_for_the_next_file() {
    let e = Env::new();
    let march = e.file("march.csv", WPS_LEDGER.as_bytes());
    let march = march.to_str().unwrap();

    // Without a choice the required column is missing; the message names the near headers.
    let out = e.run(&import_args(march, &[]));
    exit(&out, 1);
    let body = json(&out);
    let missing = body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "column.missing")
        .unwrap_or_else(|| panic!("{body}"));
    assert_eq!(missing["field"], "inspection_result", "{body}");
    assert!(
        body["unmapped"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h == "来料IQC"),
        "{body}"
    );

    let out = e.run(&import_args(march, &["--map", "来料IQC=inspection_result"]));
    exit(&out, 0);
    let body = json(&out);
    assert_eq!(body["mapping"]["来料IQC"], "inspection_result", "{body}");
    assert_eq!(body["mapping"]["供货单位"], "supplier", "{body}");
    assert_eq!(body["mapping"]["进货批号"], "supplier_lot", "{body}");
    assert_eq!(body["mapping"]["数目"], "quantity", "{body}");
    assert_eq!(body["rows_imported"], 2, "{body}");
    assert_eq!(body["remembered"], false);
    assert!(
        !body["unmapped"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h == "来料IQC"),
        "{body}"
    );

    // The next month's file has the same headers: the choice applies without --map.
    let april = e.file("april.csv", WPS_LEDGER_APRIL.as_bytes());
    let out = e.run(&import_args(april.to_str().unwrap(), &[]));
    exit(&out, 0);
    let body = json(&out);
    assert_eq!(body["remembered"], true, "{body}");
    assert_eq!(body["mapping"]["来料IQC"], "inspection_result", "{body}");
    assert_eq!(body["rows_imported"], 1, "{body}");
}

#[test]
fn a_mapping_file_chooses_columns_and_can_leave_one_out() {
    let e = Env::new();
    let file = e.file("march.csv", WPS_LEDGER.as_bytes());
    let mapping = e.file(
        "mapping.json",
        r#"{"来料IQC": "inspection_result", "备注": null, "数目": "数量"}"#.as_bytes(),
    );
    let out = e.run(&import_args(
        file.to_str().unwrap(),
        &["--mapping-file", mapping.to_str().unwrap()],
    ));
    exit(&out, 0);
    let body = json(&out);
    assert_eq!(body["mapping"]["来料IQC"], "inspection_result", "{body}");
    assert_eq!(
        body["mapping"]["数目"], "quantity",
        "a field named by its header"
    );
    assert!(body["mapping"].get("备注").is_none(), "{body}");
    assert!(
        body["unmapped"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h == "备注"),
        "{body}"
    );
    assert_eq!(body["rows_imported"], 2, "{body}");
}

#[test]
fn bad_column_choices_exit_2_and_list_what_is_valid() {
    let e = Env::new();
    let file = e.file("march.csv", WPS_LEDGER.as_bytes());
    let file = file.to_str().unwrap();
    let not_json = e.file("bad.json", b"[\"inspection_result\"]");
    let cases: &[(&[&str], &str)] = &[
        (&["--map", "来料IQC=verdict"], "inspection_result"),
        (&["--map", "检验员签字=inspection_result"], "来料IQC"),
        (&["--map", "inspection_result"], "HEADER=FIELD"),
        (&["--mapping-file", not_json.to_str().unwrap()], "JSON"),
        (&["--mapping-file", "/no/such/mapping.json"], "mapping file"),
    ];
    for (extra, named) in cases {
        let out = e.run(&import_args(file, extra));
        exit(&out, 2);
        let body = json(&out);
        assert_eq!(body["error"]["code"], "invalidInput", "{extra:?}: {body}");
        assert_eq!(body["error"]["field"], "mapping", "{extra:?}: {body}");
        assert!(
            body["error"]["message"].as_str().unwrap().contains(named),
            "{extra:?} should name {named}: {body}"
        );
    }
    // Nothing was imported by any of them.
    assert_eq!(e.runs(), Value::Array(Vec::new()));
}

/// A BIFF8 workbook (.xls) whose `entries` sheet entries all name one sheet with numbers in A1
/// and GR5000: a million cells for every entry once calamine has built its grid.
fn xls_with_entries_over_one_sheet(entries: usize) -> Vec<u8> {
    use std::io::Write;
    fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
        out.extend_from_slice(&typ.to_le_bytes());
        out.extend_from_slice(&(data.len() as u16).to_le_bytes());
        out.extend_from_slice(data);
    }
    let bof = |kind: u16| [&0x0600u16.to_le_bytes()[..], &kind.to_le_bytes(), &[0; 12]].concat();
    let number = |row: u16, col: u16| {
        [
            &row.to_le_bytes()[..],
            &col.to_le_bytes(),
            &[0, 0],
            &1f64.to_le_bytes(),
        ]
        .concat()
    };
    let globals = |sheet_at: u32| {
        let mut g = Vec::new();
        record(&mut g, 0x0809, &bof(0x0005));
        for i in 0..entries {
            let name = format!("S{i}");
            let head = [&sheet_at.to_le_bytes()[..], &[0, 0, name.len() as u8, 0]].concat();
            record(&mut g, 0x0085, &[&head[..], name.as_bytes()].concat());
        }
        record(&mut g, 0x000A, &[]);
        g
    };
    let mut stream = globals(globals(0).len() as u32);
    record(&mut stream, 0x0809, &bof(0x0010));
    record(&mut stream, 0x0203, &number(0, 0));
    record(&mut stream, 0x0203, &number(4_999, 199));
    record(&mut stream, 0x000A, &[]);
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).expect("cfb");
    file.create_stream("/Workbook")
        .expect("stream")
        .write_all(&stream)
        .expect("write");
    file.flush().expect("flush");
    file.into_inner().into_inner()
}

/// An .ods of `tables` tables, each one number repeated over 1,000 × 1,000 cells.
fn ods_with_repeated_tables(tables: usize) -> Vec<u8> {
    use std::io::Write;
    let body: String = (0..tables)
        .map(|i| {
            format!(
                r#"<table:table table:name="T{i}"><table:table-row table:number-rows-repeated="1000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="1000"/></table:table-row></table:table>"#
            )
        })
        .collect();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, text) in [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet".to_string()),
        (
            "META-INF/manifest.xml",
            r#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>"#.to_string(),
        ),
        (
            "content.xml",
            format!(
                r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"#
            ),
        ),
    ] {
        zip.start_file(name, options).expect("entry");
        zip.write_all(text.as_bytes()).expect("write");
    }
    zip.finish().expect("zip").into_inner()
}

#[test]
fn legacy_workbooks_whose_sheets_multiply_one_grid_end_with_exit_2_in_bounded_memory() {
    let e = Env::new();
    // 200 entries × 1,000,000 cells: 6.4 GB of grids if calamine were let open the file. The
    // process runs with its address space capped at 1 GiB, so an attempt aborts instead of
    // answering with exit 2.
    let files = [
        e.file("副本.xls", &xls_with_entries_over_one_sheet(200)),
        e.file("副本.ods", &ods_with_repeated_tables(200)),
    ];
    for file in &files {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(r#"ulimit -v 1048576 && exec "$@""#)
            .arg("sh")
            .arg(env!("CARGO_BIN_EXE_tracedesk"))
            .arg("--db")
            .arg(e.db())
            .args(["--json", "import"])
            .arg(file)
            .args(["--kind", "item", "--create-missing"])
            .env_remove("TRACEDESK_DATA_DIR")
            .output()
            .expect("run tracedesk");
        let body = unreadable(&out, file);
        assert_eq!(
            body["error"]["field"],
            "file.too-many-cells",
            "{}",
            file.display()
        );
    }
    assert_eq!(e.runs(), Value::Array(Vec::new()));
}
