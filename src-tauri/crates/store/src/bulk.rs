//! Bulk writes without per-row audit JSON.
//!
//! A million-row import or generated data set would double in size and take several times as
//! long if every row were copied into `audit_log` as JSON. Inside [`Db::bulk_write`] the insert
//! triggers of the record tables are switched off through `audit_context.bulk` (their `WHEN`
//! clause, migration 0003), and one summary entry per table says how many rows the bulk write
//! added, who did it and why. Updates and deletes stay audited row by row even then.

use rusqlite::{Connection, Transaction};

use crate::{Db, Result};

/// The tables whose insert triggers honour the bulk flag.
pub const BULK_TABLES: &[&str] = &[
    "party",
    "product",
    "receipt",
    "batch",
    "batch_input",
    "item",
    "shipment",
    "shipment_line",
    "trace_code",
    "recall_drill",
];

fn counts(conn: &Connection) -> rusqlite::Result<Vec<i64>> {
    BULK_TABLES
        .iter()
        .map(|t| conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0)))
        .collect()
}

impl Db {
    /// Runs `f` in one write transaction like [`Db::write`], with per-row insert auditing off,
    /// and records one `audit_log` entry per table that gained rows: action `insert`, `row_id` 0,
    /// `new_values` `{"bulk": true, "rows": N, "note": note}`. If `f` fails, nothing is written,
    /// the flag included.
    pub fn bulk_write<T>(
        &mut self,
        note: &str,
        f: impl FnOnce(&Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        self.write(|tx| {
            let before = counts(tx)?;
            tx.execute("UPDATE audit_context SET bulk = 1 WHERE id = 1", [])?;
            let value = f(tx)?;
            tx.execute("UPDATE audit_context SET bulk = 0 WHERE id = 1", [])?;
            let after = counts(tx)?;
            let mut stmt = tx.prepare_cached(
                "INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
                 VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), ?1, 0,
                         'insert', NULL, json_object('bulk', json('true'), 'rows', ?2, 'note', ?3))",
            )?;
            for ((table, b), a) in BULK_TABLES.iter().zip(before).zip(after) {
                if a > b {
                    stmt.execute(rusqlite::params![table, a - b, note])?;
                }
            }
            Ok(value)
        })
    }
}
