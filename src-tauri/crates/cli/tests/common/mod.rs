//! What the process tests share: running the real `tracedesk` binary on a database file, and
//! reading its JSON.

#![allow(dead_code)] // each test binary uses its own subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// Runs `tracedesk --db DB ARGS…` as a real process, ignoring any `TRACEDESK_DATA_DIR` of the
/// environment that runs the tests.
pub fn tracedesk(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tracedesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TRACEDESK_DATA_DIR")
        .output()
        .expect("run tracedesk")
}

/// The JSON on stdout; a failure shows stdout and stderr.
pub fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// A database path inside `dir`, in a folder that does not exist yet.
pub fn db_in(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("data").join("tracedesk.sqlite3")
}

/// A new temp folder and a database path in it ([`db_in`]).
pub fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = db_in(&dir);
    (dir, db)
}

/// Asserts that the command ended with exit code `code`; a failure shows stdout and stderr.
#[track_caller]
pub fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The JSON of a command that must succeed; a failure shows stdout and stderr.
#[track_caller]
pub fn ok(output: &Output) -> Value {
    assert_exit(output, 0);
    json(output)
}

/// Runs `tracedesk --db DB ARGS…`, which must succeed, and returns its JSON; a failure shows
/// the arguments, stdout and stderr.
pub fn run_ok(db: &Path, args: &[&str]) -> Value {
    let out = tracedesk(db, args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    json(&out)
}

/// The enterprise the tests register.
pub const ENTERPRISE_NAME: &str = "宁波示例电器有限公司";
pub const ENTERPRISE_USCC: &str = "91310115MA1K3BTP2B";

/// An `init` refused with exit 2: its USCC's check character is wrong (`N`, not `L`).
pub const INIT_WITH_WRONG_CHECK_CHARACTER: &[&str] = &[
    "--json",
    "init",
    "--name",
    "X",
    "--uscc",
    "91110000600037341N",
];

/// Registers the enterprise (`init`, with `extra` arguments such as `--address`); it must succeed.
pub fn init_enterprise(db: &Path, extra: &[&str]) {
    let mut args = vec!["init", "--name", ENTERPRISE_NAME, "--uscc", ENTERPRISE_USCC];
    args.extend_from_slice(extra);
    assert_exit(&tracedesk(db, &args), 0);
}

/// Runs `tracedesk --json product add --name NAME --model MODEL EXTRA…`.
pub fn add_product(db: &Path, name: &str, model: &str, extra: &[&str]) -> Output {
    let mut args = vec!["--json", "product", "add", "--name", name, "--model", model];
    args.extend_from_slice(extra);
    tracedesk(db, &args)
}

/// `product add` arguments of a GS1 一物一码 product with GTIN 6901234567892.
pub const GS1_ITEM: &[&str] = &[
    "--gtin",
    "6901234567892",
    "--scheme",
    "gs1",
    "--granularity",
    "item",
];

/// Adds the GS1 一物一码 gas hob (GTIN 6901234567892) the code and label tests print; returns its id.
pub fn gs1_item_product(db: &Path) -> String {
    let product = ok(&add_product(db, "家用燃气灶", "JZT-2Q1", GS1_ITEM));
    product["id"].as_i64().unwrap().to_string()
}

/// Runs `tracedesk --json code generate` of `count` codes of `product` (an id or a GTIN), of
/// batch `batch` when given, into the list file `out`.
pub fn generate_codes(
    db: &Path,
    product: &str,
    batch: Option<&str>,
    count: &str,
    out: &str,
) -> Output {
    let mut args = vec!["--json", "code", "generate", "--product", product];
    if let Some(batch) = batch {
        args.extend(["--batch", batch]);
    }
    args.extend(["--count", count, "--out", out]);
    tracedesk(db, &args)
}
