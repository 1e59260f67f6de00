//! What a submission run reads besides the outbox (`outbox.rs`): the ids of the sources it builds
//! records from, the few fields a builder or a fix link needs that no other row shape carries,
//! and how the last attempt ended.

use rusqlite::{Connection, OptionalExtension};

use crate::Result;

/// The sources a record is built from, by their table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Product,
    Party,
    Receipt,
    Batch,
    Shipment,
}

impl Source {
    fn ids_sql(self) -> &'static str {
        match self {
            Source::Product => "SELECT id FROM product ORDER BY id",
            Source::Party => "SELECT id FROM party ORDER BY id",
            Source::Receipt => "SELECT id FROM receipt ORDER BY id",
            Source::Batch => "SELECT id FROM batch ORDER BY id",
            Source::Shipment => "SELECT id FROM shipment ORDER BY id",
        }
    }
}

fn ids(conn: &Connection, sql: &str) -> Result<Vec<i64>> {
    Ok(conn
        .prepare_cached(sql)?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Every row id of `source`'s table, ascending.
pub fn source_ids(conn: &Connection, source: Source) -> Result<Vec<i64>> {
    ids(conn, source.ids_sql())
}

/// The serial allocations completely issued (state `exported`), ascending: each is reported as
/// 赋码 records.
pub fn exported_allocation_ids(conn: &Connection) -> Result<Vec<i64>> {
    ids(
        conn,
        "SELECT id FROM serial_allocation WHERE state = 'exported' ORDER BY id",
    )
}

/// Platform-issued product-level codes (Ecode, 数字身份码) recorded as active trace codes, as
/// `(product id, code)` in the order they were recorded.
pub fn product_level_codes(conn: &Connection) -> Result<Vec<(i64, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT product_id, code FROM trace_code WHERE granularity = 'product' AND status = 'active'
             AND scheme <> 'gs1' ORDER BY id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The production date of batch `id`; `None` when there is no such batch.
pub fn batch_produced_on(conn: &Connection, id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT produced_on FROM batch WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// The customer of shipment `id`; `None` when there is no such shipment.
pub fn shipment_customer(conn: &Connection, id: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT customer_id FROM shipment WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// The supplier of receipt `id`; `None` when there is no such receipt.
pub fn receipt_supplier(conn: &Connection, id: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT supplier_id FROM receipt WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// How the newest submission attempt (to any platform) ended: `None` when there is none, or it
/// has not ended.
pub fn last_attempt_outcome(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT outcome FROM submission_attempt ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| r.get::<_, Option<String>>(0))
        .optional()?
        .flatten())
}

#[cfg(test)]
mod tests;
