//! Serialised items (一物一码单品). Issuing them belongs to coding (赋码); entry and trace only
//! look them up.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::Result;
use crate::list::{chunked, placeholders};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRow {
    pub id: i64,
    pub batch_id: i64,
    pub serial: String,
    /// `active` or `void`.
    pub status: String,
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<ItemRow> {
    Ok(ItemRow {
        id: row.get(0)?,
        batch_id: row.get(1)?,
        serial: row.get(2)?,
        status: row.get(3)?,
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<ItemRow>> {
    Ok(conn
        .prepare_cached("SELECT id, batch_id, serial, status FROM item WHERE id = ?1")?
        .query_row([id], from_row)
        .optional()?)
}

/// Items with `serial` whose batch belongs to product `product_id` (or any product when `None`).
pub fn by_serial(conn: &Connection, serial: &str, product_id: Option<i64>) -> Result<Vec<ItemRow>> {
    let rows = conn
        .prepare_cached(
            "SELECT i.id, i.batch_id, i.serial, i.status FROM item i JOIN batch b ON b.id = i.batch_id
             WHERE i.serial = ?1 AND (?2 IS NULL OR b.product_id = ?2) ORDER BY i.id LIMIT 20",
        )?
        .query_map(params![serial, product_id], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The items of any of `batch_ids`.
pub fn of_batches(conn: &Connection, batch_ids: &[i64]) -> Result<Vec<ItemRow>> {
    whose(conn, "batch_id", batch_ids, "batch_id, serial")
}

pub fn get_many(conn: &Connection, ids: &[i64]) -> Result<Vec<ItemRow>> {
    whose(conn, "id", ids, "id")
}

/// The items whose `column` is one of `values`, in the order `order_by`.
fn whose(conn: &Connection, column: &str, values: &[i64], order_by: &str) -> Result<Vec<ItemRow>> {
    Ok(chunked(values, |chunk| {
        let sql = format!(
            "SELECT id, batch_id, serial, status FROM item WHERE {column} IN ({}) ORDER BY {order_by}",
            placeholders(chunk.len())
        );
        conn.prepare(&sql)?
            .query_map(rusqlite::params_from_iter(chunk), from_row)?
            .collect()
    })?)
}

/// How many items an import brought into each batch (items the serial ledger issued are
/// reported with their allocation instead): `(batch_id, count)`, by batch.
pub fn imported_counts(conn: &Connection) -> Result<Vec<(i64, i64)>> {
    let rows = conn
        .prepare(
            "SELECT i.batch_id, count(*) FROM item i
             WHERE i.id IN (SELECT row_id FROM import_run_record WHERE table_name = 'item')
             GROUP BY i.batch_id ORDER BY i.batch_id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The serials an import brought into batch `batch_id`, in the order they were imported (so a
/// later import only adds to the end, and earlier chunks of the list keep their content).
pub fn imported_serials(conn: &Connection, batch_id: i64) -> Result<Vec<String>> {
    let rows = conn
        .prepare_cached(
            "SELECT i.serial FROM item i
             WHERE i.batch_id = ?1
               AND i.id IN (SELECT row_id FROM import_run_record WHERE table_name = 'item')
             ORDER BY i.id",
        )?
        .query_map([batch_id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
