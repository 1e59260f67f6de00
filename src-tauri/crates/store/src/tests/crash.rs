//! Crash safety: a writer process killed with SIGKILL must leave a database that opens, passes
//! the integrity check and holds each transaction entirely or not at all.
//!
//! The test binary re-executes itself (`std::env::current_exe()`) with [`MODE_ENV`] set, running
//! only [`writer_process_entry`], which then acts as the writer. It signals the point to kill at by
//! creating a marker file; the parent waits for the marker, kills the child (`Child::kill` sends
//! SIGKILL on Unix, so no destructor, no rollback and no checkpoint runs) and inspects the file.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use rusqlite::TransactionBehavior;

use super::{count, tempdir};
use crate::Db;

const MODE_ENV: &str = "TRACEDESK_STORE_CRASH_WRITER";
const DB_ENV: &str = "TRACEDESK_STORE_CRASH_DB";
const MARKER_ENV: &str = "TRACEDESK_STORE_CRASH_MARKER";

/// Rows the writer inserts in its big transaction, in chunks of [`CHUNK`].
const ROWS: i64 = 5000;
const CHUNK: i64 = 500;
/// Rows committed by the parent before the writer starts; they must all survive every crash.
const COMMITTED: i64 = 100;

/// Where the writer stops for the kill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Half of the rows inserted, transaction open.
    MidTransaction,
    /// All rows inserted, commit not yet called.
    BeforeCommit,
    /// The transaction committed.
    AfterCommit,
    /// Committing chunk after chunk without pause; the kill lands wherever the writer is,
    /// mid-commit included.
    RepeatedCommits,
}

impl Mode {
    const ALL: [Mode; 4] = [
        Mode::MidTransaction,
        Mode::BeforeCommit,
        Mode::AfterCommit,
        Mode::RepeatedCommits,
    ];

    fn name(self) -> String {
        format!("{self:?}")
    }

    fn parse(name: &str) -> Mode {
        Mode::ALL
            .into_iter()
            .find(|m| m.name() == name)
            .unwrap_or_else(|| panic!("unknown crash mode {name}"))
    }
}

fn insert_chunk(conn: &rusqlite::Connection, from: i64) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached("INSERT INTO party (kind, name) VALUES ('supplier', ?1)")?;
    for n in from..from + CHUNK {
        stmt.execute([format!("crash-{n:07}")])?;
    }
    Ok(())
}

/// The writer's side. In an ordinary test run [`MODE_ENV`] is unset and this returns at once.
#[test]
fn writer_process_entry() {
    let Ok(mode) = std::env::var(MODE_ENV) else {
        return;
    };
    let mode = Mode::parse(&mode);
    let db_path = PathBuf::from(std::env::var_os(DB_ENV).expect("db path"));
    let marker = PathBuf::from(std::env::var_os(MARKER_ENV).expect("marker path"));
    let signal = || std::fs::write(&marker, mode.name()).expect("write marker");

    let mut db = Db::open(&db_path).expect("writer opens the database");
    db.set_actor("crash-writer").unwrap();
    // A small page cache (100 pages, far less than the transaction touches) makes SQLite spill
    // uncommitted pages into the WAL long before the commit, so a kill leaves uncommitted frames on
    // disk that the next open must ignore: the hard case. The kill tests assert that it happened.
    db.conn().pragma_update(None, "cache_size", 100).unwrap();
    let conn = db.conn_mut();

    if mode == Mode::RepeatedCommits {
        // Bounded, so a parent that failed to kill does not leave a writer filling the disk.
        for chunk in 0..1000 {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .unwrap();
            insert_chunk(&tx, chunk * CHUNK).unwrap();
            tx.commit().unwrap();
            if chunk == 0 {
                signal();
            }
        }
    } else {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .unwrap();
        let stop_at = if mode == Mode::MidTransaction {
            ROWS / 2
        } else {
            ROWS
        };
        for from in (0..stop_at).step_by(CHUNK as usize) {
            insert_chunk(&tx, from).unwrap();
        }
        if mode == Mode::AfterCommit {
            tx.commit().unwrap();
            signal();
        } else {
            signal();
            // Holding `tx` open: the kill must come while the transaction is in flight.
            thread::sleep(Duration::from_secs(60));
            drop(tx);
        }
    }
    thread::sleep(Duration::from_secs(60));
    panic!("the crash writer was not killed");
}

/// Kills the child if the test fails before it does, so no writer outlives the test.
struct Writer(Child);

impl Drop for Writer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Prepares a database with [`COMMITTED`] rows, runs the writer in `mode`, kills it `delay` after
/// its marker appears, and returns the database path and the size of the WAL at the kill.
fn crash_writer(dir: &Path, mode: Mode, delay: Duration) -> (PathBuf, u64) {
    let db_path = dir.join("tracedesk.sqlite3");
    let marker = dir.join("writer-reached-kill-point");
    {
        let mut db = Db::open(&db_path).unwrap();
        db.write(|tx| {
            for n in 0..COMMITTED {
                tx.execute(
                    "INSERT INTO party (kind, name) VALUES ('customer', ?1)",
                    [format!("committed-{n}")],
                )?;
            }
            Ok(())
        })
        .unwrap();
        // Closing the last connection checkpoints and deletes the WAL, so whatever is in the WAL
        // at the kill was written by the writer.
    }

    let child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "tests::crash::writer_process_entry",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(MODE_ENV, mode.name())
        .env(DB_ENV, &db_path)
        .env(MARKER_ENV, &marker)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut writer = Writer(child);

    // Generous, because other builds may share the machine; a healthy run takes a fraction of a
    // second.
    let deadline = Instant::now() + Duration::from_secs(30);
    while !marker.exists() {
        if let Some(status) = writer.0.try_wait().unwrap() {
            let mut stderr = String::new();
            std::io::Read::read_to_string(writer.0.stderr.as_mut().unwrap(), &mut stderr).unwrap();
            panic!("writer exited ({status}) before reaching the kill point:\n{stderr}");
        }
        assert!(
            Instant::now() < deadline,
            "writer did not reach the kill point in time"
        );
        thread::sleep(Duration::from_millis(2));
    }
    thread::sleep(delay);
    let wal_len = std::fs::metadata(dir.join("tracedesk.sqlite3-wal"))
        .map(|m| m.len())
        .unwrap_or(0);
    writer.0.kill().unwrap();
    writer.0.wait().unwrap();
    (db_path, wal_len)
}

/// Opens the database after the crash, checks its health and the committed rows, and returns how
/// many of the writer's rows survived.
fn survivors(db_path: &Path) -> i64 {
    let db = Db::open(db_path).expect("the database opens after the crash");
    assert_eq!(
        db.integrity_check().unwrap(),
        ["ok"],
        "the database is healthy after the crash"
    );
    let conn = db.conn();
    assert_eq!(
        count(
            conn,
            "SELECT count(*) FROM party WHERE name LIKE 'committed-%'"
        ),
        COMMITTED,
        "rows committed before the crash are all there"
    );
    let rows = count(conn, "SELECT count(*) FROM party WHERE name LIKE 'crash-%'");
    let audited = count(
        conn,
        "SELECT count(*) FROM audit_log WHERE table_name = 'party' AND actor = 'crash-writer'
         AND json_extract(new_values, '$.name') LIKE 'crash-%'",
    );
    assert_eq!(
        audited, rows,
        "audit rows commit or vanish with the rows they describe"
    );
    rows
}

#[test]
fn kill_mid_transaction_keeps_none_of_it() {
    let dir = tempdir();
    let (db_path, wal_len) = crash_writer(dir.path(), Mode::MidTransaction, Duration::ZERO);
    assert!(
        wal_len > 0,
        "the writer spilled uncommitted pages to the WAL, so recovery had work to do"
    );
    assert_eq!(survivors(&db_path), 0);
}

#[test]
fn kill_before_commit_keeps_none_of_it() {
    let dir = tempdir();
    let (db_path, wal_len) = crash_writer(dir.path(), Mode::BeforeCommit, Duration::ZERO);
    assert!(
        wal_len > 0,
        "the writer spilled uncommitted pages to the WAL, so recovery had work to do"
    );
    assert_eq!(survivors(&db_path), 0);
}

#[test]
fn kill_after_commit_keeps_all_of_it() {
    let dir = tempdir();
    let (db_path, _) = crash_writer(dir.path(), Mode::AfterCommit, Duration::ZERO);
    assert_eq!(survivors(&db_path), ROWS);
}

#[test]
fn kill_during_repeated_commits_keeps_whole_transactions() {
    let dir = tempdir();
    let (db_path, _) = crash_writer(dir.path(), Mode::RepeatedCommits, Duration::from_millis(40));
    let rows = survivors(&db_path);
    assert!(
        rows >= CHUNK,
        "the first commit, signalled before the kill, survives; got {rows}"
    );
    assert_eq!(
        rows % CHUNK,
        0,
        "only whole transactions of {CHUNK} rows survive; got {rows}"
    );
}
