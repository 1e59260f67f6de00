//! The log file: `<data dir>/logs/tracedesk.YYYY-MM-DD.log`, one file a day, the newest 14 kept
//! (tracing-appender's daily rotation deletes older ones).
//!
//! What is logged: start and stop with the versions, command failures (the error code, field and
//! the source line that raised it, never the message, which can quote business data), imports,
//! submissions, backups, restores and migrations, as counts and outcomes. What is never logged:
//! the App Secret, tokens, passwords, and record contents. Events are written as they happen (no
//! background thread), so a crash loses nothing already logged.

use crate::messages::Msg;
use std::path::Path;

use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::fmt::time::UtcTime;

use crate::Result;

/// How many daily log files are kept.
pub const KEEP_LOG_FILES: usize = 14;

/// The subscriber that writes the log file of `data_dir`. [`init_logging`] installs it for the
/// process; tests install it for one thread with `tracing::subscriber::with_default`.
pub fn log_subscriber(data_dir: &Path) -> Result<impl tracing::Subscriber + Send + Sync + 'static> {
    let dir = crate::paths::log_dir(data_dir);
    std::fs::create_dir_all(&dir).map_err(|e| crate::paths::dir_error(&dir, e))?;
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("tracedesk")
        .filename_suffix("log")
        .max_log_files(KEEP_LOG_FILES)
        .build(&dir)
        .map_err(|e| {
            Msg::LogFileUncreatable {
                dir: dir.to_path_buf(),
                error: e.to_string(),
            }
            .err()
        })?;
    Ok(tracing_subscriber::fmt()
        .with_writer(appender)
        .with_ansi(false)
        .with_target(false)
        .with_timer(UtcTime::rfc_3339())
        .with_max_level(tracing::Level::INFO)
        .finish())
}

/// Logs "stop" when dropped: keep it for the life of the program.
#[must_use = "the log records the stop when this is dropped"]
pub struct LogSession {
    program: &'static str,
}

impl Drop for LogSession {
    fn drop(&mut self) {
        tracing::info!(program = self.program, "stop");
    }
}

/// Sends this process's log to `<data_dir>/logs/` and logs the start with the versions.
/// `program`: `desktop` or `cli`. The desktop main and the CLI call it once at start; a second
/// call keeps the first log. A log that cannot be opened is an error the caller may ignore: the
/// program works without it.
pub fn init_logging(data_dir: &Path, program: &'static str) -> Result<LogSession> {
    let subscriber = log_subscriber(data_dir)?;
    // Already set (a second call in one process): the first log stays.
    let _ = tracing::subscriber::set_global_default(subscriber);
    tracing::info!(
        program,
        version = env!("CARGO_PKG_VERSION"),
        schema = store::Db::latest_version(),
        sqlite = store::sqlite_version(),
        os = %crate::care::os_description(),
        "start"
    );
    Ok(LogSession { program })
}
