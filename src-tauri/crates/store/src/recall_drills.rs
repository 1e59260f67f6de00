//! 模拟召回 drills: what each one started from, what it found and how long it took.

use rusqlite::{Connection, Row, params};

use crate::Result;

#[derive(Debug, Clone, PartialEq)]
pub struct DrillFields {
    /// `material-lot` or `batch`.
    pub start_kind: String,
    pub receipt_id: Option<i64>,
    pub batch_id: Option<i64>,
    pub start_label: String,
    pub reason: String,
    /// UTC ISO-8601.
    pub started_at: String,
    pub duration_ms: f64,
    pub batches: i64,
    pub items: i64,
    pub shipments: i64,
    pub customers: i64,
    pub quantity_shipped: f64,
    pub actor: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DrillRow {
    pub id: i64,
    pub fields: DrillFields,
}

pub fn insert(conn: &Connection, d: &DrillFields) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO recall_drill (start_kind, receipt_id, batch_id, start_label, reason, started_at,
             duration_ms, batches, items, shipments, customers, quantity_shipped, actor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        d.start_kind,
        d.receipt_id,
        d.batch_id,
        d.start_label,
        d.reason,
        d.started_at,
        d.duration_ms,
        d.batches,
        d.items,
        d.shipments,
        d.customers,
        d.quantity_shipped,
        d.actor
    ])?;
    Ok(conn.last_insert_rowid())
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<DrillRow> {
    Ok(DrillRow {
        id: row.get(0)?,
        fields: DrillFields {
            start_kind: row.get(1)?,
            receipt_id: row.get(2)?,
            batch_id: row.get(3)?,
            start_label: row.get(4)?,
            reason: row.get(5)?,
            started_at: row.get(6)?,
            duration_ms: row.get(7)?,
            batches: row.get(8)?,
            items: row.get(9)?,
            shipments: row.get(10)?,
            customers: row.get(11)?,
            quantity_shipped: row.get(12)?,
            actor: row.get(13)?,
        },
    })
}

/// The newest `limit` drills, newest first.
pub fn list(conn: &Connection, limit: u32) -> Result<Vec<DrillRow>> {
    let rows = conn
        .prepare_cached(
            "SELECT id, start_kind, receipt_id, batch_id, start_label, reason, started_at, duration_ms,
                 batches, items, shipments, customers, quantity_shipped, actor
             FROM recall_drill ORDER BY started_at DESC, id DESC LIMIT ?1",
        )?
        .query_map([limit], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
