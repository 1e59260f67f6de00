//! 导入: the import wizard on a set-up database that knows one supplier. Each scenario writes a
//! real workbook into its folder (the March receipt ledger: a title, a note, the header on row
//! 3 with 序号, five receipts of which row 7 has an impossible date and two come from a supplier
//! not yet registered) and goes through the steps as the screen calls them.

use std::path::PathBuf;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
use serde_json::{Value, json};

use super::Recorder;

pub(crate) const LEDGER: &str = "2025年3月进货台账.xlsx";
const SHEET: &str = "2025年3月进货台账";
const KNOWN: &str = "宁波钢材有限公司";
const UNKNOWN: &str = "慈溪铜业有限公司";

/// The ledger's cells from row 1; `""` is left blank.
const ROWS: [&[&str]; 8] = [
    &["2025年3月 原料进货查验台账"],
    &["说明：仓库每日填写，月底交质量部"],
    &[
        "序号",
        "进货日期",
        "供应商",
        "原料名称",
        "规格",
        "供应商批号",
        "数量（kg）",
        "单位",
        "检验结果",
        "备注",
    ],
    &[
        "1",
        "2025-03-03",
        KNOWN,
        "冷轧钢板",
        "1.0mm",
        "GB2503-01",
        "1200",
        "kg",
        "合格",
        "",
    ],
    &[
        "2",
        "2025/3/4",
        KNOWN,
        "冷轧钢板",
        "1.2mm",
        "GB2503-02",
        "1,500",
        "千克",
        "合 格",
        "夜班到货",
    ],
    &[
        "3",
        "2025-03-05",
        UNKNOWN,
        "黄铜棒",
        "H59",
        "CX-0305",
        "300",
        "kg",
        "合格",
        "",
    ],
    &[
        "4",
        "2025-02-30",
        UNKNOWN,
        "黄铜棒",
        "H62",
        "CX-0306",
        "200",
        "kg",
        "不合格",
        "",
    ],
    &[
        "5",
        "2025.3.7",
        KNOWN,
        "镀锌板",
        "",
        "GB2503-07",
        "800",
        "kg",
        "PASS",
        "",
    ],
];

/// Writes the ledger as `name` into the recorder's folder. Numbers are numbers and the title is
/// merged, as a clerk's Excel file has them; the workbook's creation time is fixed so the file
/// (and its SHA-256, which the screen shows) is the same on every run.
fn write_ledger(r: &Recorder, name: &str) -> PathBuf {
    let mut wb = Workbook::new();
    let when = ExcelDateTime::from_ymd(2025, 3, 31).expect("date");
    wb.set_properties(&DocProperties::new().set_creation_datetime(&when));
    let ws = wb.add_worksheet();
    ws.set_name(SHEET).expect("sheet name");
    ws.merge_range(0, 0, 0, 8, ROWS[0][0], &Format::new().set_bold())
        .expect("title");
    for (r, cells) in ROWS.iter().enumerate().skip(1) {
        for (c, text) in cells.iter().enumerate() {
            let (row, col) = (r as u32, c as u16);
            match text.parse::<f64>() {
                _ if text.is_empty() => {}
                Ok(n) => {
                    ws.write_number(row, col, n).expect("number");
                }
                Err(_) => {
                    ws.write_string(row, col, *text).expect("text");
                }
            }
        }
    }
    let path = r.dir.path().join(name);
    wb.save(&path).expect("ledger saved");
    path
}

/// A set-up database that knows the supplier 宁波钢材有限公司, the main window and 导入.
fn recorder() -> Recorder {
    let mut r = Recorder::new();
    r.set_up();
    r.quiet(
        "add_party",
        json!({ "input": { "kind": "supplier", "name": KNOWN, "uscc": "91310115MA1K3BTP2B",
                           "address": "", "contact": "", "phone": "" } }),
    );
    r.main_window();
    r.ok("import_runs", json!({ "limit": 20 }));
    r
}

fn open_dialog() -> Value {
    json!({ "dialog": { "kind": "spreadsheet", "title": "选择要导入的表格文件", "filterName": "表格文件" } })
}

/// The clerk chooses `path` in the 选择文件 dialog; the wizard opens it.
fn choose(r: &mut Recorder, path: PathBuf) -> std::result::Result<Value, crate::ApiError> {
    r.will_pick(Some(path));
    let picked = r.ok("pick_open_file", open_dialog());
    r.call("import_open", json!({ "source": picked["token"] }))
}

/// A recorder whose clerk has opened the ledger: the ledger's path and what opening it answered.
fn ledger_opened() -> (Recorder, PathBuf, Value) {
    let mut r = recorder();
    let path = write_ledger(&r, LEDGER);
    let file = choose(&mut r, path.clone()).expect("the ledger opens");
    (r, path, file)
}

/// 下一步 from the sheet step: the preview, then the sheet read with what was detected.
fn read(r: &mut Recorder, session: &Value) -> Value {
    let preview = r.ok(
        "import_preview",
        json!({ "input": { "sessionId": session, "sheet": SHEET, "kind": "receipt" } }),
    );
    assert_eq!(preview["detectedHeaderRow"], 3, "{preview}");
    r.ok(
        "import_read",
        json!({ "input": { "sessionId": session, "sheet": SHEET, "kind": "receipt",
                           "headerRow": null, "mapping": [], "createMissing": false } }),
    )
}

/// The problem grid's first page, as the grid asks for it.
fn rows(r: &mut Recorder, report: &Value) -> Value {
    let problems =
        report["rowsInvalid"].as_u64().unwrap() + report["rowsWarning"].as_u64().unwrap();
    let filter = if problems > 0 { "problems" } else { "all" };
    r.ok(
        "import_rows",
        json!({ "query": { "sessionId": report["sessionId"], "filter": filter, "offset": 0, "limit": 1000 } }),
    )
}

fn recheck(r: &mut Recorder, report: &Value, create: bool) -> Value {
    let checked = r.ok(
        "import_recheck",
        json!({ "sessionId": report["sessionId"], "createMissing": create }),
    );
    rows(r, &checked);
    checked
}

fn commit(r: &mut Recorder, report: &Value, mode: &str) -> Value {
    let done = r.ok(
        "import_commit",
        json!({ "input": { "sessionId": report["sessionId"], "mode": mode,
                           "createMissing": report["createMissing"] } }),
    );
    r.ok("import_runs", json!({ "limit": 20 }));
    done
}

/// The first step: templates, the history, and a file that is not a spreadsheet.
#[test]
fn golden_import_start() {
    let mut r = recorder();
    r.will_pick(Some(r.dir.path().join("生产批次导入模板.xlsx")));
    let target = r.ok(
        "pick_save_file",
        json!({ "dialog": { "kind": "xlsx", "title": "保存导入模板", "filterName": "表格文件",
                            "defaultName": "生产批次导入模板.xlsx" } }),
    );
    r.ok(
        "import_template",
        json!({ "kind": "batch", "target": target["token"] }),
    );
    // A photo chosen by mistake: PNG bytes under a .png name.
    let photo = r.dir.path().join("photo.png");
    std::fs::write(
        &photo,
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0",
    )
    .unwrap();
    let refused = choose(&mut r, photo).expect_err("a photo is not a spreadsheet");
    assert_eq!(
        refused.code,
        crate::ErrorCode::UnreadableFile,
        "{refused:?}"
    );
    r.save("import-start");
}

/// The ledger end to end: header under the title, 序号 as a row counter, row 7's date fixed
/// inline, the unknown supplier created on commit, everything imported.
#[test]
fn golden_import_fix_and_commit() {
    let (mut r, _, file) = ledger_opened();
    let session = file["sessionId"].clone();
    let report = read(&mut r, &session);
    assert_eq!(report["rowsInvalid"], 2, "{report}");
    let page = rows(&mut r, &report);
    let row7 = page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["row"] == 7)
        .expect("row 7 has a problem")
        .clone();
    let values: Vec<Value> = row7["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            if v["field"] == "received_on" {
                json!({ "field": "received_on", "text": "2025-02-28" })
            } else {
                v.clone()
            }
        })
        .collect();
    let fixed = r.ok(
        "import_fix_row",
        json!({ "input": { "sessionId": session, "row": 7, "values": values } }),
    );
    let report = fixed["report"].clone();
    assert_eq!(report["rowsEdited"], 1, "{report}");
    let report = recheck(&mut r, &report, true);
    assert_eq!(report["rowsInvalid"], 0, "{report}");
    let done = commit(&mut r, &report, "all");
    assert_eq!(done["rowsImported"], 5, "{done}");
    r.save("import-fix-and-commit");
}

/// Only the valid rows, then the same file again: it was imported before, nothing is new.
#[test]
fn golden_import_again() {
    let (mut r, path, file) = ledger_opened();
    let report = read(&mut r, &file["sessionId"]);
    rows(&mut r, &report);
    let report = recheck(&mut r, &report, true);
    assert_eq!(report["rowsInvalid"], 1, "{report}");
    let done = commit(&mut r, &report, "valid-only");
    assert_eq!(done["rowsImported"], 4, "{done}");
    r.ok("import_close", json!({ "sessionId": file["sessionId"] }));
    let again = choose(&mut r, path).expect("the ledger opens again");
    assert!(
        !again["previousRuns"].as_array().unwrap().is_empty(),
        "{again}"
    );
    let report = read(&mut r, &again["sessionId"]);
    assert_eq!(report["rowsNew"], 0, "{report}");
    assert_eq!(report["rowsExisting"], 4, "{report}");
    rows(&mut r, &report);
    r.save("import-again");
}

/// The valid rows imported, then undone from the summary.
#[test]
fn golden_import_undo() {
    let (mut r, _, file) = ledger_opened();
    let report = read(&mut r, &file["sessionId"]);
    rows(&mut r, &report);
    let done = commit(&mut r, &report, "valid-only");
    let run = done["run"]["id"].clone();
    let undone = r.ok("import_undo", json!({ "runId": run }));
    assert_eq!(undone["run"]["status"], "undone", "{undone}");
    r.ok("import_runs", json!({ "limit": 20 }));
    r.ok("import_close", json!({ "sessionId": file["sessionId"] }));
    r.ok("import_runs", json!({ "limit": 20 }));
    r.save("import-undo");
}

/// The clerk takes column J (备注) off the mapping: the sheet is read again with that choice.
#[test]
fn golden_import_mapping() {
    let (mut r, _, file) = ledger_opened();
    let session = file["sessionId"].clone();
    read(&mut r, &session);
    let report = r.ok(
        "import_read",
        json!({ "input": { "sessionId": session, "sheet": SHEET, "kind": "receipt",
                           "headerRow": null, "mapping": [ { "column": "J", "field": null } ],
                           "createMissing": false } }),
    );
    let j = report["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["column"] == "J")
        .unwrap();
    assert!(j["field"].is_null(), "{j}");
    r.save("import-mapping");
}

/// A workbook dropped on the window: Rust hands the window a token for it (files.rs `dropped`).
#[test]
fn golden_import_drop() {
    let mut r = recorder();
    let path = write_ledger(&r, "拖进来的.xlsx");
    let dropped = r.files.dropped(&[path]);
    let file = r.ok("import_open", json!({ "source": dropped[0]["token"] }));
    assert_eq!(file["fileName"], "拖进来的.xlsx");
    r.save("import-drop");
}
