//! Schema migrations: append-only SQL files, versioned by `PRAGMA user_version`.
//!
//! Version N means the first N files of `migrations/` have run. A shipped file is never edited;
//! a change is a new file, a new entry in [`MIGRATION_LIST`] and a frozen `test_data/schema_vN.sql`.
//! The migrations run in one transaction with foreign keys on, so a migration that has to rebuild a
//! table must not rely on `PRAGMA foreign_keys = OFF` (it is ignored inside a transaction).

use std::path::Path;

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

use crate::db_copy::{backup_connection, backup_dir, file_stamp, unique_path};
use crate::{Error, Result};

const MIGRATION_LIST: &[M<'static>] = &[
    M::up(include_str!("../migrations/0001_init.sql")),
    M::up(include_str!(
        "../migrations/0002_import_and_attachments.sql"
    )),
    M::up(include_str!("../migrations/0003_entry_trace_recall.sql")),
    M::up(include_str!("../migrations/0004_coding_ledger.sql")),
    M::up(include_str!("../migrations/0005_import_run.sql")),
    M::up(include_str!(
        "../migrations/0006_submission_outbox_archive.sql"
    )),
    M::up(include_str!("../migrations/0007_outbox_lean_rows.sql")),
    M::up(include_str!(
        "../migrations/0008_submission_targets_and_lease.sql"
    )),
    M::up(include_str!("../migrations/0009_serial_permutation.sql")),
    M::up(include_str!("../migrations/0010_licence_and_customers.sql")),
    M::up(include_str!("../migrations/0011_document_fields.sql")),
    M::up(include_str!("../migrations/0012_receipt_codes.sql")),
    // The upgrade drill's stand-in for the next release's migration (feature `upgrade-drill`, off in
    // every release; see the file). Always the last entry, and never a file of migrations/.
    #[cfg(feature = "upgrade-drill")]
    M::up(include_str!("../upgrade-drill/upgrade_drill.sql")),
];

pub(crate) const MIGRATIONS: Migrations<'static> = Migrations::from_slice(MIGRATION_LIST);

/// Tables every tracedesk database has had since version 1. Their presence is how a file is
/// recognised as ours before anything is changed in it.
pub(crate) const REQUIRED_TABLES: &[&str] = &[
    "audit_context",
    "audit_log",
    "enterprise",
    "setting",
    "party",
    "product",
    "receipt",
    "batch",
    "batch_input",
    "item",
    "shipment",
    "shipment_line",
    "trace_code",
];

pub(crate) fn latest_version() -> u32 {
    // A handful of migrations; the conversion cannot truncate.
    MIGRATION_LIST.len() as u32
}

pub(crate) fn user_version(conn: &Connection) -> Result<u32> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    // user_version is a signed 32-bit field; a negative value was not written by us and is
    // reported as "newer than supported" rather than wrapped.
    Ok(u32::try_from(version).unwrap_or(u32::MAX))
}

/// Why `conn` is not a tracedesk database at `version`, or `None` if it looks like one.
///
/// A version-0 file must be empty: tables there belong to some other program, and migrating would
/// mix our schema into its data. From version 1 on, our core tables must all be present.
pub(crate) fn foreign_schema_reason(conn: &Connection, version: u32) -> Result<Option<String>> {
    let mut stmt = conn.prepare(
        // SQLite reserves `sqlite_` (its own tables are lower case), so GLOB's case-sensitive
        // prefix match is exact here.
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT GLOB 'sqlite_*'",
    )?;
    let tables = stmt
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if version == 0 {
        if tables.is_empty() {
            return Ok(None);
        }
        return Ok(Some(format!(
            "it is an SQLite database of another program (schema version 0 with {} table(s), e.g. {})",
            tables.len(),
            tables[0]
        )));
    }
    let missing: Vec<&str> = REQUIRED_TABLES
        .iter()
        .copied()
        .filter(|t| !tables.iter().any(|have| have == t))
        .collect();
    if missing.is_empty() {
        Ok(None)
    } else {
        Ok(Some(format!(
            "schema version {version} but the tracedesk tables {} are missing",
            missing.join(", ")
        )))
    }
}

/// The schema version of the database on `conn`, after making sure this build may touch it: it is
/// not newer than this build and it is ours (or empty). Only reads, so a refused file stays
/// byte-for-byte as it was.
pub(crate) fn check_ours(conn: &Connection, file: Option<&Path>) -> Result<u32> {
    let found = user_version(conn)?;
    let latest = latest_version();
    if found > latest {
        return Err(Error::NewerSchema {
            found,
            supported: latest,
        });
    }
    if let Some(reason) = foreign_schema_reason(conn, found)? {
        let path = file.map(Path::to_path_buf).unwrap_or_default();
        return Err(Error::NotADatabase { path, reason });
    }
    Ok(found)
}

/// Brings the database on `conn` to the latest version.
///
/// With `file` set (a database on disk), a database that has data and needs migrating is first
/// copied to `<dir>/backups/pre-migration-v{old}-to-v{new}-{stamp}.sqlite3`. Nothing is written
/// when the database is newer than this build or not ours.
pub(crate) fn upgrade(conn: &mut Connection, file: Option<&Path>) -> Result<()> {
    let found = check_ours(conn, file)?;
    let latest = latest_version();
    if found == latest {
        return Ok(());
    }
    // Version 0 passed the check above, so it has no tables and nothing worth a copy.
    if let Some(path) = file.filter(|_| found >= 1) {
        let name = format!(
            "pre-migration-v{found}-to-v{latest}-{}.sqlite3",
            file_stamp()
        );
        backup_connection(conn, &unique_path(&backup_dir(path), &name), Some(path))?;
    }
    match MIGRATIONS.to_latest(conn) {
        Ok(()) => Ok(()),
        // Two processes opening an old database at once both see the old version; the second to
        // take the write lock then fails re-running a migration. If the other one has finished
        // the job, there is nothing left to do.
        Err(_) if user_version(conn)? == latest => Ok(()),
        Err(e) => Err(e.into()),
    }
}
