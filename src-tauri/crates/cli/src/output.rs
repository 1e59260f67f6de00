//! Printing results: text for people, JSON for scripts.
//!
//! Everything the CLI prints goes through [`line`] and [`error_line`] here, which never panic:
//! when the reader of stdout has gone (`tracedesk outbox list | head -1`), the write fails with
//! `BrokenPipe`, the rest of the output is dropped, and the command ends with the exit code it
//! would have had. `println!` would panic there instead (Rust ignores SIGPIPE, so the closed
//! pipe shows up as a write error).

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

/// Set once stdout's reader has gone: nothing more is written to it.
static STDOUT_GONE: AtomicBool = AtomicBool::new(false);

/// Writes `text` and a newline to stdout. A closed pipe ends the output quietly; any other write
/// error is reported once on stderr.
pub fn line(text: &str) {
    to_stdout(|out| {
        out.write_all(text.as_bytes())?;
        out.write_all(b"\n")
    });
}

/// Runs `write` on stdout (buffered) and flushes. A closed pipe ends the output quietly; any other
/// write error is reported once on stderr; after either, nothing more is written.
fn to_stdout(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) {
    if STDOUT_GONE.load(Ordering::Relaxed) {
        return;
    }
    let mut out = io::BufWriter::new(io::stdout().lock());
    let written = write(&mut out).and_then(|()| out.flush());
    if let Err(e) = written {
        STDOUT_GONE.store(true, Ordering::Relaxed);
        if e.kind() != io::ErrorKind::BrokenPipe {
            error_line(&format!(
                "无法写出结果：{e}\nError: the output could not be written: {e}"
            ));
        }
    }
}

/// Writes `text` and a newline to stderr, ignoring a closed stderr.
pub fn error_line(text: &str) {
    let mut err = io::stderr().lock();
    let _ = err
        .write_all(text.as_bytes())
        .and_then(|()| err.write_all(b"\n"));
}

/// Writes `text` to stderr without a newline (progress lines), ignoring a closed stderr.
pub fn progress(text: &str) {
    let mut err = io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

pub struct Out {
    json: bool,
}

impl Out {
    pub fn new(json: bool) -> Out {
        Out { json }
    }

    /// Whether `--json` was given.
    pub fn json(&self) -> bool {
        self.json
    }

    /// Prints `value` as JSON, or the text `human` builds.
    pub fn value<T: Serialize>(&self, value: &T, human: impl FnOnce() -> String) {
        self.lazy(|| value, human);
    }

    /// [`Out::value`] for a result that is costly to build: `value` is called only with `--json`,
    /// and its JSON is streamed to stdout rather than built as one string first (an import's
    /// 100,000 row problems are tens of megabytes of text).
    pub fn lazy<T: Serialize>(&self, value: impl FnOnce() -> T, human: impl FnOnce() -> String) {
        if !self.json {
            line(&human());
            return;
        }
        to_stdout(|out| {
            serde_json::to_writer_pretty(&mut *out, &value())?;
            out.write_all(b"\n")
        });
    }

    /// Reports `err` on stderr (or as `{"error": {...}}` on stdout with `--json`) and returns the exit code.
    pub fn error(&self, err: &app::ApiError) -> i32 {
        if self.json {
            let body = serde_json::json!({
                "error": {
                    "code": err.code,
                    "message": format!("{}（{}）", err.message_zh, err.message_en),
                    "messageZh": err.message_zh,
                    "messageEn": err.message_en,
                    "field": err.field,
                }
            });
            line(&serde_json::to_string_pretty(&body).unwrap_or_default());
        } else {
            error_line(&format!(
                "错误：{}\nError: {}",
                err.message_zh, err.message_en
            ));
        }
        err.exit_code()
    }
}
