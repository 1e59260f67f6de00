//! tracedesk's storage: one SQLite file holding the trace records, the settings and the audit log.
//!
//! This crate is the only place that knows SQL. It owns the schema (append-only migrations in
//! `migrations/`, versioned by `PRAGMA user_version`), the connection settings, backups (before
//! every migration and every restore, and on request), the audit trail (SQL triggers that record
//! who changed what), and the row shapes of the tables it reads. It is an IO adapter, so it may
//! read the clock for time stamps. It must not depend on tauri, on reqwest or on any other
//! tracedesk crate: the application layer (`app`) composes it with the others.

pub mod archive;
pub mod attachments;
pub mod audit;
mod backup;
pub mod batches;
mod bulk;
pub mod dashboard;
mod db_copy;
pub mod edit_guard;
mod enterprise;
pub mod imports;
pub mod items;
pub mod lease;
pub mod ledger;
pub mod list;
mod migrate;
pub mod outbox;
pub mod parties;
pub mod products;
pub mod recall_drills;
pub mod receipts;
pub mod sample;
pub mod schema;
mod settings;
pub mod shipments;
pub mod submission;
pub mod trace;
mod transact;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Transaction, TransactionBehavior};

pub use audit::AuditEntry;
pub use backup::{Carried, CarriedSeries, RestoreOutcome, RestoreRefusal, RestoreReport};
pub use bulk::BULK_TABLES;
pub use enterprise::EnterpriseRow;
pub use list::{ListParams, like_pattern};
/// The connection type the query modules take, so callers need no rusqlite of their own.
pub use rusqlite::Connection;
pub use schema::{Change, SchemaDifference};

pub type Result<T> = std::result::Result<T, Error>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    /// Migration 0004's trigger refused to change the scheme or granularity of a product that
    /// already has trace codes.
    #[error("product has trace codes: its scheme and granularity cannot change")]
    ProductHasCodes,
    #[error("schema migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("cannot access {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file exists but is not a tracedesk database we can use; `reason` says why, without
    /// repeating the path.
    #[error("{} is not a usable tracedesk database: {reason}", .path.display())]
    NotADatabase { path: PathBuf, reason: String },
    /// The file was written by a newer tracedesk. It is left untouched.
    #[error("database schema version {found} is newer than this build supports ({supported})")]
    NewerSchema { found: u32, supported: u32 },
    /// A backup was asked to overwrite the live database file.
    #[error("cannot back up onto the live database {}", .path.display())]
    BackupOntoLive { path: PathBuf },
}

/// The message of migration 0004's trigger `product_coded_keeps_scheme_and_granularity` (`RAISE(ABORT, …)`): SQLite
/// reports a trigger's refusal only by its text, so this is the one place that reads it.
const PRODUCT_HAS_CODES: &str = "product has trace codes";

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        match &e {
            rusqlite::Error::SqliteFailure(f, Some(msg))
                if f.code == rusqlite::ErrorCode::ConstraintViolation
                    && msg.starts_with(PRODUCT_HAS_CODES) =>
            {
                Error::ProductHasCodes
            }
            _ => Error::Sqlite(e),
        }
    }
}

impl Error {
    fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
        move |source| Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// The version of the SQLite library this build links (for the log and the support bundle).
pub fn sqlite_version() -> &'static str {
    rusqlite::version()
}

/// The actor recorded in the audit log until [`Db::set_actor`] names someone.
pub const DEFAULT_ACTOR: &str = "system";

/// SQLite waits this long for another connection's lock before giving up with "database is
/// locked". Five seconds covers a backup or a large import in another process.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// An open tracedesk database.
pub struct Db {
    conn: Connection,
    /// `None` for an in-memory database.
    path: Option<PathBuf>,
    /// Who the audit log names for changes made through this connection.
    actor: String,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("path", &self.path)
            .field("actor", &self.actor)
            .finish()
    }
}

/// How a connection journals. File databases use WAL; scratch copies and in-memory databases
/// cannot or need not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Journal {
    Wal,
    Memory,
}

/// The connection settings, in one place, for every connection this crate opens onto a database it
/// will write.
fn configure(conn: &Connection, journal: Journal) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // WAL lets readers (a backup, the CLI) run while the app writes, and a crash mid-transaction
    // leaves uncommitted frames that the next open simply ignores. Some file systems (network
    // shares) refuse WAL; SQLite then keeps its rollback journal, which is slower but just as safe,
    // so the mode SQLite reports is not treated as an error.
    let mode = match journal {
        Journal::Wal => "WAL",
        Journal::Memory => "MEMORY",
    };
    let _: String = conn.pragma_update_and_check(None, "journal_mode", mode, |row| row.get(0))?;
    // With WAL, NORMAL never corrupts the database; a power cut may lose the last commits, which
    // is the usual trade for a desktop app that commits on every save.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(())
}

impl Db {
    /// Opens the database at `path`, creating the file and its folder if needed, and brings its
    /// schema up to date. An existing database is copied to `<dir>/backups/` before any
    /// migration runs. Refuses files that are not SQLite, SQLite files that are not ours, and
    /// databases written by a newer build, leaving all of them untouched.
    pub fn open(path: &Path) -> Result<Db> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(Error::io(dir))?;
        }
        // Everything up to `configure` only reads: a file this build must refuse (not SQLite, not
        // ours, or from a newer build) is left exactly as it was, not even switched to WAL.
        backup::check_header(path, true)?;
        let conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        migrate::check_ours(&conn, Some(path)).map_err(|e| match e {
            Error::Sqlite(e) => backup::not_a_database(path, e),
            other => other,
        })?;
        configure(&conn, Journal::Wal)?;
        let mut db = Db {
            conn,
            path: Some(path.to_path_buf()),
            actor: DEFAULT_ACTOR.to_string(),
        };
        migrate::upgrade(&mut db.conn, Some(path))?;
        db.write_actor()?;
        Ok(db)
    }

    /// A fresh database in memory, at the latest schema. For tests and dry runs.
    pub fn open_in_memory() -> Result<Db> {
        let conn = Connection::open_in_memory()?;
        configure(&conn, Journal::Memory)?;
        let mut db = Db {
            conn,
            path: None,
            actor: DEFAULT_ACTOR.to_string(),
        };
        migrate::upgrade(&mut db.conn, None)?;
        db.write_actor()?;
        Ok(db)
    }

    /// The database file, or `None` for an in-memory database.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The schema version this build creates and upgrades to.
    pub fn latest_version() -> u32 {
        migrate::latest_version()
    }

    /// The schema version of the open database (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<u32> {
        migrate::user_version(&self.conn)
    }

    /// Names who the audit log records for the changes that follow (for example the OS user).
    pub fn set_actor(&mut self, actor: &str) -> Result<()> {
        self.actor = actor.to_string();
        self.write_actor()
    }

    /// The actor set by [`Db::set_actor`], or [`DEFAULT_ACTOR`].
    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// Runs `f` in one write transaction and commits it if `f` succeeds.
    ///
    /// The transaction starts IMMEDIATE, taking the write lock up front: a deferred transaction
    /// that reads first and writes later can fail with "database is locked" in WAL mode even with
    /// a busy timeout. It also re-writes this connection's actor first, so the audit log names the
    /// right person even if another process wrote its own actor in the meantime.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        audit::write_actor(&tx, &self.actor)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// The raw connection, for queries this crate does not wrap yet.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The raw connection, for writes this crate does not wrap yet. Prefer [`Db::write`], which
    /// keeps the audit actor right when several processes share the file.
    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    fn write_actor(&self) -> Result<()> {
        audit::write_actor(&self.conn, &self.actor)
    }
}

#[cfg(test)]
mod tests;
