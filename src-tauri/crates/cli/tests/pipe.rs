//! A reader that goes away early (`tracedesk outbox list | head -1`): the real `tracedesk`
//! process writes into a pipe whose read end is already closed, and must end quietly with its
//! usual exit code: no panic, no backtrace, nothing on stderr.

mod common;

use std::process::{Command, Stdio};

use common::{INIT_WITH_WRONG_CHECK_CHARACTER, init_enterprise, temp_db, tracedesk};

/// Runs `tracedesk --db DB ARGS…` with stdout a pipe nobody reads (its read end closed before the
/// process starts, so every write fails with EPIPE) and a full backtrace asked for, so a panic
/// could not go unseen. Returns the exit code and stderr.
fn with_closed_stdout(db: &std::path::Path, args: &[&str]) -> (Option<i32>, String) {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let output = Command::new(env!("CARGO_BIN_EXE_tracedesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TRACEDESK_DATA_DIR")
        .env("RUST_BACKTRACE", "full")
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("run tracedesk");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn closing_stdout_early_ends_quietly_with_the_usual_exit_code() {
    let (dir, db) = temp_db();
    // Something to list: a profile, a product and an import run.
    init_enterprise(&db, &[]);
    let ledger = dir.path().join("products.csv");
    std::fs::write(
        &ledger,
        "产品名称,规格型号\n电热水器,DSZF-60\n燃气灶,JZT-2\n",
    )
    .unwrap();
    let ok = tracedesk(
        &db,
        &["import", ledger.to_str().unwrap(), "--kind", "product"],
    );
    assert_eq!(ok.status.code(), Some(0), "{ok:?}");

    let cases: &[(&[&str], i32)] = &[
        (&["outbox", "list"], 0),
        (&["--json", "outbox", "list"], 0),
        (&["outbox"], 0),
        (&["import", "list"], 0),
        (&["--json", "import", "list"], 0),
        (&["product", "list"], 0),
        (&["--json", "db", "check"], 0),
        (
            &["code", "check", "(01)09506000134352(17)201225(10)ABC123"],
            0,
        ),
        (&["--json", "code", "check", "(01)09506000134353"], 1),
        // An error printed as JSON on stdout keeps its exit code too.
        (&["--json", "import", "undo", "999"], 1),
        (INIT_WITH_WRONG_CHECK_CHARACTER, 2),
    ];
    for (args, code) in cases {
        let (status, stderr) = with_closed_stdout(&db, args);
        assert_eq!(status, Some(*code), "{args:?}: stderr {stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("stack backtrace"),
            "{args:?} panicked: {stderr}"
        );
        assert!(
            stderr.trim().is_empty(),
            "{args:?} wrote to stderr: {stderr}"
        );
    }
}

#[test]
fn a_shell_pipe_into_head_gets_the_first_line_and_exit_0() {
    let (_dir, db) = temp_db();
    init_enterprise(&db, &[]);
    // The same as a person types it; pipefail makes the shell report tracedesk's status.
    let script = format!(
        "set -o pipefail; '{}' --db '{}' --json db check | head -1",
        env!("CARGO_BIN_EXE_tracedesk"),
        db.display()
    );
    let output = Command::new("bash")
        .args(["-c", &script])
        .env_remove("TRACEDESK_DATA_DIR")
        .output()
        .expect("run bash");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "{\n");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}
