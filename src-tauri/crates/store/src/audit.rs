//! Reading the audit trail, and naming who writes.
//!
//! The trail itself is written by SQL triggers (see `migrations/0001_init.sql`), so every change
//! is recorded whichever code path made it, including raw SQL through [`crate::Db::conn_mut`].
//! The triggers read the actor from the one-row `audit_context` table.

use rusqlite::Connection;

use crate::{Db, Result};

/// One recorded change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    /// UTC, ISO-8601 with milliseconds, e.g. `2025-03-01T08:00:00.123Z`.
    pub at: String,
    pub actor: String,
    pub table_name: String,
    /// The changed row's rowid (its `id` column for every table keyed by one).
    pub row_id: i64,
    /// `insert`, `update` or `delete`.
    pub action: String,
    /// The whole row before the change as a JSON object; `None` for an insert.
    pub old_values: Option<String>,
    /// The whole row after the change as a JSON object; `None` for a delete.
    pub new_values: Option<String>,
}

/// The columns [`entry_from_row`] reads.
const ENTRY_COLUMNS: &str = "id, at, actor, table_name, row_id, action, old_values, new_values";

fn entry_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        id: row.get(0)?,
        at: row.get(1)?,
        actor: row.get(2)?,
        table_name: row.get(3)?,
        row_id: row.get(4)?,
        action: row.get(5)?,
        old_values: row.get(6)?,
        new_values: row.get(7)?,
    })
}

/// The audit entries `sql` (`SELECT {ENTRY_COLUMNS} FROM audit_log …`) finds with `args`.
fn entries(conn: &Connection, sql: &str, args: impl rusqlite::Params) -> Result<Vec<AuditEntry>> {
    Ok(conn
        .prepare_cached(sql)?
        .query_map(args, entry_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

impl Db {
    /// The newest `limit` audit entries, newest first.
    pub fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        entries(
            &self.conn,
            &format!("SELECT {ENTRY_COLUMNS} FROM audit_log ORDER BY id DESC LIMIT ?1"),
            [limit],
        )
    }
}

/// Makes `actor` the name the audit triggers record. An upsert, so a database whose row was
/// deleted by hand heals itself.
pub(crate) fn write_actor(conn: &Connection, actor: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit_context (id, actor) VALUES (1, ?1)
         ON CONFLICT (id) DO UPDATE SET actor = excluded.actor",
    )?
    .execute([actor])?;
    Ok(())
}

/// The history of one row, oldest first, at most `limit` entries.
pub fn of_row(conn: &Connection, table: &str, row_id: i64, limit: u32) -> Result<Vec<AuditEntry>> {
    entries(
        conn,
        &format!(
            "SELECT {ENTRY_COLUMNS} FROM audit_log
             WHERE table_name = ?1 AND row_id = ?2 ORDER BY id LIMIT ?3"
        ),
        rusqlite::params![table, row_id, limit],
    )
}

/// The history of the detail rows (`batch_input`, `shipment_line`) of parent `parent_id`, found
/// through the parent key inside the recorded JSON, oldest first.
pub fn of_children(
    conn: &Connection,
    table: &str,
    parent_key: &str,
    parent_id: i64,
    limit: u32,
) -> Result<Vec<AuditEntry>> {
    entries(
        conn,
        &format!(
            "SELECT {ENTRY_COLUMNS} FROM audit_log WHERE table_name = ?1 AND row_id <> 0
               AND json_extract(COALESCE(new_values, old_values), '$.' || ?2) = ?3
             ORDER BY id LIMIT ?4"
        ),
        rusqlite::params![table, parent_key, parent_id, limit],
    )
}
