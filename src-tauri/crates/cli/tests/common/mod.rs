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
