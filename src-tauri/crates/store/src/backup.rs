//! Copies of the database: on request, before a migration, before a restore; restoring from one;
//! and the health check that decides whether a copy may be trusted.
//!
//! Every copy goes through SQLite's online backup API rather than a file copy, because in WAL mode
//! the newest commits may still sit in the `-wal` file, which a file copy would miss. Copies are
//! written under a temporary name, switched to rollback-journal mode so they are one
//! self-contained file, synced and only then renamed into place: a crash never leaves a
//! half-written file under a backup's name.

use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OpenFlags};

mod carry;

pub use carry::{Carried, CarriedSeries};

use crate::db_copy::{backup_connection, backup_dir, copy, file_stamp, unique_path};
use crate::migrate::{self, foreign_schema_reason, latest_version, user_version};
use crate::{Db, Error, Journal, Result, archive, configure, lease};

/// Every SQLite 3 file starts with these 16 bytes.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

impl Db {
    /// Checks the database with SQLite's `integrity_check` and `foreign_key_check`. Returns
    /// `["ok"]` when both pass, otherwise one line per problem found.
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        Ok(integrity_problems(&self.conn)?)
    }

    /// Copies the live database to `dest` (creating its folder) with the online backup API, so
    /// the copy is consistent even while others write. Returns the size of the copy in bytes.
    /// An existing file at `dest` is replaced, but never the live database itself.
    pub fn backup_to(&self, dest: &Path) -> Result<u64> {
        backup_connection(&self.conn, dest, self.path.as_deref())
    }

    /// Replaces the live database's content with the backup at `src`, refusing a backup whose
    /// schema differs from its version's or whose archive does not verify: [`Db::restore_with`]
    /// with `force` false.
    pub fn restore_from(&mut self, src: &Path) -> Result<RestoreOutcome> {
        self.restore_with(src, false)
    }

    /// Replaces the live database's content with the backup at `src`.
    ///
    /// `src` is first copied to a scratch file and checked there: it must be SQLite, pass the
    /// integrity check, have a schema version between 1 and [`Db::latest_version`], and have the
    /// tracedesk tables. Its whole schema (every table with its columns, index, trigger and view,
    /// by name and normalised SQL) is then compared with the schema of its own version
    /// ([`crate::schema`], built by running migrations 1 to N in memory): a backup with a
    /// missing, extra or changed object (a dropped audit trigger, an added trigger, an index
    /// that lost its uniqueness) is refused ([`RestoreOutcome::Refused`], nothing changed, every
    /// difference named) unless `force`. It is then migrated to the latest version and its
    /// archive is verified ([`archive::verify`]): a backup whose chain or accepted records do
    /// not verify is refused the same way unless `force`.
    ///
    /// Then the current database is copied to `<dir>/backups/pre-restore-{stamp}.sqlite3` (file
    /// databases only), and the scratch copy takes over what must outlive a restore: the serial
    /// ledger of the current database ([`Carried`]: a serial issued before the restore is never
    /// issued again) and the current submission lease (`run_lease` describes the programs
    /// running now, not the backup's: a lease the backup carries is dropped). One audit entry
    /// (table `restore`, in the restored database) records the file, the schema differences and
    /// the archive verdict, whether it was forced past them and what was carried forward. Only
    /// then is the scratch copy written over the live database. If any step before that fails,
    /// the live database is unchanged. `src` itself is only read.
    ///
    /// The ledger is read in a read transaction and read again (a fingerprint) after the scratch
    /// copy took it over; if another process issued codes meanwhile, the step is repeated. What is
    /// left is the instant between that check and the copy taking its write lock.
    ///
    /// Errors: [`Error::NotADatabase`] with the reason for a file that fails the checks,
    /// [`Error::NewerSchema`] for a backup written by a newer build, [`Error::Io`] when `src`
    /// cannot be read.
    pub fn restore_with(&mut self, src: &Path, force: bool) -> Result<RestoreOutcome> {
        check_header(src, false)?;
        let scratch_dir = match &self.path {
            Some(path) => backup_dir(path),
            None => std::env::temp_dir(),
        };
        std::fs::create_dir_all(&scratch_dir).map_err(Error::io(&scratch_dir))?;
        // The scratch file is deleted when this guard drops, whatever happens below.
        let scratch_file = tempfile::Builder::new()
            .prefix(".restore-")
            .suffix(".sqlite3")
            .tempfile_in(&scratch_dir)
            .map_err(Error::io(&scratch_dir))?;
        let mut scratch = Connection::open(scratch_file.path())?;
        configure(&scratch, Journal::Memory)?;

        {
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let source =
                Connection::open_with_flags(src, flags).map_err(|e| not_a_database(src, e))?;
            copy(&source, &mut scratch).map_err(|e| not_a_database(src, e))?;
        }
        check_restorable(&scratch).map_err(|e| match e {
            Error::Sqlite(e) => not_a_database(src, e),
            Error::NotADatabase { reason, .. } => Error::NotADatabase {
                path: src.to_path_buf(),
                reason,
            },
            other => other,
        })?;
        // Compared before anything runs on it, migrations included: an older file is held to its
        // own version's schema.
        let schema_version = user_version(&scratch)?;
        let schema = crate::schema::differences(&scratch, schema_version)?;
        if !schema.is_empty() && !force {
            return Ok(RestoreOutcome::Refused(Box::new(RestoreRefusal {
                schema_version,
                schema,
                archive: None,
            })));
        }
        migrate::upgrade(&mut scratch, None)?;

        let verification = archive::verify(&scratch)?;
        if !verification.ok && !force {
            return Ok(RestoreOutcome::Refused(Box::new(RestoreRefusal {
                schema_version,
                schema,
                archive: Some(verification),
            })));
        }

        // A WAL database (and an in-memory one) only accepts a backup of its own page size, and a
        // backup made by another tool may use a different one; VACUUM rewrites the scratch copy.
        let live_page_size: i64 = self
            .conn
            .pragma_query_value(None, "page_size", |row| row.get(0))?;
        let scratch_page_size: i64 =
            scratch.pragma_query_value(None, "page_size", |row| row.get(0))?;
        if live_page_size != scratch_page_size {
            scratch.pragma_update(None, "page_size", live_page_size)?;
            scratch.execute_batch("VACUUM")?;
        }

        let pre_restore = match &self.path {
            Some(path) => {
                let name = format!("pre-restore-{}.sqlite3", file_stamp());
                let dest = unique_path(&backup_dir(path), &name);
                backup_connection(&self.conn, &dest, Some(path))?;
                Some(dest)
            }
            None => None,
        };
        let forced = !verification.ok || !schema.is_empty();
        let checks = Checks {
            schema_version,
            schema: &schema,
            archive: &verification,
            forced,
        };
        let carried = self.take_over(&mut scratch, src, &checks)?;
        copy(&scratch, &mut self.conn)?;
        // The schema changed under the connection; statements prepared against the old one must go.
        self.conn.flush_prepared_statement_cache();
        configure(
            &self.conn,
            if self.path.is_some() {
                Journal::Wal
            } else {
                Journal::Memory
            },
        )?;
        self.write_actor()?;
        Ok(RestoreOutcome::Restored(Box::new(RestoreReport {
            schema_version,
            schema,
            archive: verification,
            forced,
            carried,
            pre_restore,
        })))
    }

    /// Writes into `scratch` what it takes over from the live database (see
    /// [`Db::restore_with`]), repeating while another process issues codes meanwhile.
    fn take_over(
        &self,
        scratch: &mut Connection,
        src: &Path,
        checks: &Checks<'_>,
    ) -> Result<Carried> {
        for _ in 0..TAKE_OVER_ATTEMPTS {
            let before = carry::fingerprint(&self.conn)?;
            let tx = scratch.transaction()?;
            let carried = {
                let live = self.conn.unchecked_transaction()?;
                crate::audit::write_actor(&tx, &self.actor)?;
                // Copied random serials and products or batches are counted in the one entry below.
                tx.execute("UPDATE audit_context SET bulk = 1 WHERE id = 1", [])?;
                let carried = carry::carry_forward(&live, &tx)?;
                tx.execute("UPDATE audit_context SET bulk = 0 WHERE id = 1", [])?;
                copy_leases(&live, &tx)?;
                live.rollback()?;
                carried
            };
            audit_restore(&tx, src, checks, &carried)?;
            if carry::fingerprint(&self.conn)? != before {
                tx.rollback()?;
                continue;
            }
            tx.commit()?;
            return Ok(carried);
        }
        Err(Error::Sqlite(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            Some(
                "other programs kept issuing codes while the restore read the serial ledger; close them and restore again"
                    .to_string(),
            ),
        )))
    }
}

#[cfg(test)]
mod tests;

/// How often a restore re-reads the ledger while other processes keep issuing codes.
const TAKE_OVER_ATTEMPTS: u32 = 5;

/// What [`Db::restore_with`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestoreOutcome {
    Restored(Box<RestoreReport>),
    /// The backup's schema differs from its version's, or its archive does not verify, and the
    /// restore was not forced: nothing changed.
    Refused(Box<RestoreRefusal>),
}

/// Why a backup was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreRefusal {
    /// The backup's schema version.
    pub schema_version: u32,
    /// How its schema differs from that version's; when not empty, the archive was not looked
    /// at yet.
    pub schema: Vec<crate::SchemaDifference>,
    /// The archive's verdict, when the schema matched and the archive does not verify.
    pub archive: Option<archive::Verification>,
}

/// The checks a backup went through, for the audit entry.
struct Checks<'a> {
    schema_version: u32,
    schema: &'a [crate::SchemaDifference],
    archive: &'a archive::Verification,
    forced: bool,
}

/// A restore that took place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    /// The schema version the backup had (before it was migrated).
    pub schema_version: u32,
    /// How its schema differed from that version's (empty unless forced).
    pub schema: Vec<crate::SchemaDifference>,
    /// The verdict on the restored file's archive.
    pub archive: archive::Verification,
    /// Restored although its schema differs or its archive does not verify.
    pub forced: bool,
    /// The serial ledger taken over from the replaced database.
    pub carried: Carried,
    /// The copy of the replaced database (file databases only).
    pub pre_restore: Option<PathBuf>,
}

/// Replaces the leases in `to` by those of `live`: a lease names a running program, so the
/// backup's (of a run going on when it was taken) means nothing now, while the live one (the
/// restoring program's own, usually) must hold on across the restore.
fn copy_leases(live: &Connection, to: &Connection) -> Result<()> {
    lease::clear(to)?;
    let rows = live
        .prepare(
            "SELECT name, holder, program, pid, host, purpose, acquired_at, heartbeat_at, expires_at
             FROM run_lease",
        )?
        .query_map([], |r| {
            (0..9)
                .map(|i| r.get::<_, rusqlite::types::Value>(i))
                .collect::<rusqlite::Result<Vec<_>>>()
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for row in rows {
        to.execute(
            "INSERT INTO run_lease (name, holder, program, pid, host, purpose, acquired_at,
                 heartbeat_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            rusqlite::params_from_iter(row),
        )?;
    }
    Ok(())
}

/// The one audit entry of a restore: table `restore`, row 0, with the file, the schema
/// differences and the archive verdict, whether the restore was forced past them, and what the
/// ledger carried forward.
fn audit_restore(
    conn: &Connection,
    src: &Path,
    checks: &Checks<'_>,
    carried: &Carried,
) -> Result<()> {
    let verification = checks.archive;
    let differences: Vec<serde_json::Value> = checks
        .schema
        .iter()
        .map(|d| {
            let (zh, en) = d.describe(checks.schema_version);
            serde_json::json!({
                "change": match d.change {
                    crate::Change::Missing => "missing",
                    crate::Change::Extra => "extra",
                    crate::Change::Changed => "changed",
                },
                "object": d.object,
                "name": d.name,
                "table": d.table,
                "expected": d.expected,
                "found": d.found,
                "reason": en,
                "reason_zh": zh,
            })
        })
        .collect();
    let values = serde_json::json!({
        "file": src.display().to_string(),
        "forced": checks.forced,
        "schema": {
            "version": checks.schema_version,
            "ok": checks.schema.is_empty(),
            "differences": differences,
        },
        "archive": {
            "ok": verification.ok,
            "entries": verification.entries,
            "first_bad": verification.first_bad,
            "reason": verification.reason,
            "reason_zh": verification.reason_zh,
            "record_first_bad": verification.records.first_bad,
            "record_reason": verification.records.reason_en,
            "record_reason_zh": verification.records.reason_zh,
            "last_hash": verification.last_hash,
        },
        "carried_forward": carried.json(),
    });
    conn.execute(
        "INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
         VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'restore', 0,
                 'insert', NULL, ?1)",
        [values.to_string()],
    )?;
    Ok(())
}

/// The checks a backup must pass before it may replace the live database.
fn check_restorable(conn: &Connection) -> Result<()> {
    let version = user_version(conn)?;
    let latest = latest_version();
    if version > latest {
        return Err(Error::NewerSchema {
            found: version,
            supported: latest,
        });
    }
    if version == 0 {
        return Err(not_ours(
            "it has schema version 0, so tracedesk did not write it".to_string(),
        ));
    }
    if let Some(reason) = foreign_schema_reason(conn, version)? {
        return Err(not_ours(reason));
    }
    let problems = integrity_problems(conn)?;
    if problems != ["ok"] {
        // The first few problems say enough; a badly damaged file can list thousands.
        let shown: Vec<&str> = problems.iter().take(3).map(String::as_str).collect();
        let more = problems.len().saturating_sub(shown.len());
        let tail = if more > 0 {
            format!(" (and {more} more)")
        } else {
            String::new()
        };
        return Err(not_ours(format!(
            "it fails the integrity check: {}{tail}",
            shown.join("; ")
        )));
    }
    Ok(())
}

/// A `NotADatabase` whose path the caller fills in.
fn not_ours(reason: String) -> Error {
    Error::NotADatabase {
        path: PathBuf::new(),
        reason,
    }
}

/// `["ok"]`, or the problems `integrity_check` and `foreign_key_check` report.
///
/// Damage bad enough that SQLite cannot even run the check (a mangled page header, say) is a
/// finding like any other, not a failure of the check, so it comes back as a problem line.
pub(crate) fn integrity_problems(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    match scan_integrity(conn) {
        Err(e) if is_damage(&e) => Ok(vec![e.to_string()]),
        result => result,
    }
}

fn is_damage(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt)
    )
}

fn scan_integrity(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    for line in stmt.query_map([], |row| row.get::<_, String>(0))? {
        let line = line?;
        if line != "ok" {
            problems.push(line);
        }
    }
    // On a damaged file the foreign-key scan would stumble over the same pages and fail outright,
    // hiding the report above; it only means something once the file itself is sound.
    if !problems.is_empty() {
        return Ok(problems);
    }
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt.query_map([], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, Option<i64>>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, i64>(3)?,
        ))
    })?;
    for row in rows {
        let (table, rowid, parent, fk) = row?;
        let rowid = rowid.map_or_else(|| "?".to_string(), |id| id.to_string());
        problems.push(format!(
            "foreign key violation: {table} row {rowid} refers to a missing {parent} row (key {fk})"
        ));
    }
    if problems.is_empty() {
        problems.push("ok".to_string());
    }
    Ok(problems)
}

/// Refuses a file that exists but does not start with the SQLite header. A missing or empty file
/// is fine when `new_ok` (it is about to become a new database); otherwise it is an error.
pub(crate) fn check_header(path: &Path, new_ok: bool) -> Result<()> {
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if new_ok && e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(Error::Io {
                path: path.to_path_buf(),
                source: e,
            });
        }
    };
    let mut header = Vec::with_capacity(SQLITE_MAGIC.len());
    file.by_ref()
        .take(SQLITE_MAGIC.len() as u64)
        .read_to_end(&mut header)
        .map_err(Error::io(path))?;
    let reason = match header.len() {
        0 if new_ok => return Ok(()),
        0 => "the file is empty",
        _ if header == SQLITE_MAGIC => return Ok(()),
        _ => "the file is not an SQLite database",
    };
    Err(Error::NotADatabase {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    })
}

/// Turns SQLite's "not a database" and "corrupt" failures on `path` into [`Error::NotADatabase`];
/// other failures (disk full, locked) stay what they are.
pub(crate) fn not_a_database(path: &Path, err: rusqlite::Error) -> Error {
    if is_damage(&err) {
        Error::NotADatabase {
            path: path.to_path_buf(),
            reason: err.to_string(),
        }
    } else {
        Error::Sqlite(err)
    }
}
