//! Submission workflows as real processes: practice first and then a real platform (the simulator
//! started as its own process), an item list imported and reported, and two `submit` processes at
//! once on one database.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{json, temp_db, tracedesk};

/// `tracedesk simulator` on a port of its own; killed when dropped.
struct Platform {
    child: Child,
    url: String,
}

impl Drop for Platform {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn platform(faults: &str) -> Platform {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tracedesk"))
        .args(["--json", "simulator", "--port", "0", "--faults", faults])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = serde_json::from_str::<serde_json::Value>(&line).unwrap()["url"]
        .as_str()
        .unwrap()
        .to_string();
    Platform { child, url }
}

fn ok(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn init(db: &Path) {
    ok(&tracedesk(
        db,
        &[
            "init",
            "--name",
            "福州示例电器有限公司",
            "--uscc",
            "91350100MA2TRACE2N",
            "--address",
            "福建省福州市鼓楼区示例路1号",
            "--contact",
            "林示例",
        ],
    ));
}

/// `n` complete receipts through the import, as a clerk's ledger.
fn import_receipts(db: &Path, dir: &Path, n: usize) {
    let mut text = String::from(
        "供应商,供应商统一社会信用代码,物料名称,供应商批号,数量,单位,到货日期,检验结果\n",
    );
    for i in 0..n {
        text.push_str(&format!(
            "苏州示例线缆材料有限公司,91320500MA1GYH0A7F,钢板,L{i:04},{},kg,2025-07-14,合格\n",
            10 + i
        ));
    }
    let file = dir.join("receipts.csv");
    std::fs::write(&file, text).unwrap();
    ok(&tracedesk(
        db,
        &[
            "import",
            file.to_str().unwrap(),
            "--kind",
            "receipt",
            "--create-missing",
        ],
    ));
}

fn go_live(db: &Path, url: &str) {
    ok(&tracedesk(
        db,
        &[
            "platform",
            "set",
            "--url",
            &format!("{url}/api/v1"),
            "--app-key",
            "practice",
        ],
    ));
    let mut secret = Command::new(env!("CARGO_BIN_EXE_tracedesk"))
        .arg("--db")
        .arg(db)
        .arg("secret")
        .env_remove("TRACEDESK_DATA_DIR")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    secret
        .stdin
        .take()
        .unwrap()
        .write_all(b"practice-secret")
        .unwrap();
    assert!(secret.wait().unwrap().success());
}

#[test]
fn practice_then_real_sends_everything_again_to_the_real_platform() {
    let (dir, db) = temp_db();
    init(&db);
    import_receipts(&db, dir.path(), 3);
    let practice = json(&tracedesk(
        &db,
        &["--json", "submit", "--platform", "practice"],
    ));
    assert_eq!(practice["accepted"], 4, "{practice}");
    assert_eq!(practice["practice"], true);

    let real = platform("");
    go_live(&db, &real.url);
    let live = tracedesk(&db, &["--json", "submit"]);
    ok(&live);
    let live = json(&live);
    assert_eq!(live["practice"], false, "{live}");
    assert_eq!(
        (live["queued"].as_u64(), live["accepted"].as_u64()),
        (Some(4), Some(4)),
        "the real platform received what the practice platform had: {live}"
    );
    let again = json(&tracedesk(&db, &["--json", "submit"]));
    assert_eq!(again["requests"], 0, "{again}");
}

#[test]
fn an_imported_item_list_is_reported_to_the_platform() {
    let (dir, db) = temp_db();
    init(&db);
    ok(&tracedesk(
        &db,
        &[
            "product",
            "add",
            "--name",
            "电热水壶",
            "--gtin",
            "09520123456788",
            "--model",
            "K1",
            "--granularity",
            "item",
        ],
    ));
    let mut text = String::from("商品条码,生产批号,序列号,生产日期\n");
    for i in 0..250 {
        text.push_str(&format!("09520123456788,L7,{i:08},2025-03-01\n"));
    }
    let file = dir.path().join("items.csv");
    std::fs::write(&file, text).unwrap();
    ok(&tracedesk(
        &db,
        &[
            "import",
            file.to_str().unwrap(),
            "--kind",
            "item",
            "--create-missing",
        ],
    ));
    // The batch the import created records no material inputs, which the platform requires, so
    // that one record is rejected (exit 1); the item codes are what this is about.
    let s = json(&tracedesk(
        &db,
        &["--json", "submit", "--platform", "practice"],
    ));
    assert_eq!(s["rejected"], 1, "{s}");
    // The practice platform keeps what it accepted beside the database.
    let kept =
        std::fs::read_to_string(db.parent().unwrap().join("practice-platform.jsonl")).unwrap();
    let serials: usize = kept
        .lines()
        .filter(|l| l.contains("\"commissioning\""))
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let r = v.get("record").unwrap_or(&v);
            r["payload"]["line"]["items"].as_array().map_or(0, Vec::len)
        })
        .sum();
    assert_eq!(serials, 250, "every imported serial was reported");
}

#[test]
fn a_second_submit_process_is_refused_while_one_runs() {
    let (dir, db) = temp_db();
    init(&db);
    import_receipts(&db, dir.path(), 2);
    // Every request takes seconds: the first run is still going when the second starts.
    let real = platform("slow=1");
    go_live(&db, &real.url);
    let first = Command::new(env!("CARGO_BIN_EXE_tracedesk"))
        .arg("--db")
        .arg(&db)
        .args(["--json", "submit"])
        .env_remove("TRACEDESK_DATA_DIR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let held: i64 = conn
            .query_row("SELECT count(*) FROM run_lease", [], |r| r.get(0))
            .unwrap();
        if held > 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the first run never took the lease"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let second = tracedesk(&db, &["--json", "submit"]);
    assert_eq!(second.status.code(), Some(1), "{second:?}");
    let err = json(&second);
    let message = err["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("另一个程序正在报送"), "{err}");
    let first = first.wait_with_output().unwrap();
    ok(&first);
    assert_eq!(json(&first)["accepted"], 3);
    // Once the first is done, the lease is free again.
    let third = json(&tracedesk(&db, &["--json", "submit"]));
    assert_eq!(third["requests"], 0, "{third}");
}
