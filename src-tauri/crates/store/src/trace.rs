//! The links a trace walks: which lots went into which batches, and which shipments carried them.
//! Every query here is served by an index (see `trace_queries_in_both_directions_use_indexes`).

use rusqlite::{Connection, OptionalExtension, params};

use crate::Result;
use crate::list::{chunked, placeholders};
use crate::parties::PartyRow;

/// One `batch_input` row: batch `batch_id` consumed `quantity` of lot `receipt_id`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Consumption {
    pub batch_id: i64,
    pub receipt_id: i64,
    pub quantity: Option<f64>,
}

/// What an issued trace code names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeTarget {
    pub product_id: i64,
    pub batch_id: Option<i64>,
    pub item_id: Option<i64>,
}

pub fn trace_code(conn: &Connection, code: &str) -> Result<Option<CodeTarget>> {
    Ok(conn
        .prepare_cached("SELECT product_id, batch_id, item_id FROM trace_code WHERE code = ?1")?
        .query_row([code], |r| {
            Ok(CodeTarget {
                product_id: r.get(0)?,
                batch_id: r.get(1)?,
                item_id: r.get(2)?,
            })
        })
        .optional()?)
}

/// Receipts whose supplier lot is `lot`.
pub fn receipts_by_lot(conn: &Connection, lot: &str) -> Result<Vec<i64>> {
    let rows = conn
        .prepare_cached("SELECT id FROM receipt WHERE supplier_lot = ?1 ORDER BY id LIMIT 50")?
        .query_map([lot], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Batches with lot number `lot`, of product `product_id` when given.
pub fn batches_by_lot(conn: &Connection, lot: &str, product_id: Option<i64>) -> Result<Vec<i64>> {
    let rows = conn
        .prepare_cached(
            "SELECT id FROM batch WHERE lot_no = ?1 AND (?2 IS NULL OR product_id = ?2)
             ORDER BY id LIMIT 50",
        )?
        .query_map(params![lot, product_id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn consumption(conn: &Connection, column: &str, ids: &[i64]) -> rusqlite::Result<Vec<Consumption>> {
    chunked(ids, |chunk| {
        let sql = format!(
            "SELECT batch_id, receipt_id, quantity FROM batch_input WHERE {column} IN ({})
             ORDER BY batch_id, receipt_id",
            placeholders(chunk.len())
        );
        conn.prepare(&sql)?
            .query_map(rusqlite::params_from_iter(chunk), |r| {
                Ok(Consumption {
                    batch_id: r.get(0)?,
                    receipt_id: r.get(1)?,
                    quantity: r.get(2)?,
                })
            })?
            .collect()
    })
}

/// Upstream: the lots each of `batch_ids` consumed.
pub fn inputs_of(conn: &Connection, batch_ids: &[i64]) -> Result<Vec<Consumption>> {
    Ok(consumption(conn, "batch_id", batch_ids)?)
}

/// Downstream: the batches that consumed any of `receipt_ids`.
pub fn used_by(conn: &Connection, receipt_ids: &[i64]) -> Result<Vec<Consumption>> {
    Ok(consumption(conn, "receipt_id", receipt_ids)?)
}

pub fn parties(conn: &Connection, ids: &[i64]) -> Result<Vec<PartyRow>> {
    crate::parties::get_many(conn, ids)
}
