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

/// The JSON of a command that must succeed; a failure shows stdout and stderr.
pub fn ok(output: &Output) -> Value {
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
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

/// Adds the GS1 一物一码 gas hob (GTIN 6901234567892) the code and label tests print; returns its id.
pub fn gs1_item_product(db: &Path) -> String {
    let product = ok(&tracedesk(
        db,
        &[
            "--json",
            "product",
            "add",
            "--name",
            "家用燃气灶",
            "--model",
            "JZT-2Q1",
            "--gtin",
            "6901234567892",
            "--scheme",
            "gs1",
            "--granularity",
            "item",
        ],
    ));
    product["id"].as_i64().unwrap().to_string()
}
