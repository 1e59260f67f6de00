//! The counts the 工作台 shows.

use std::collections::BTreeMap;

use rusqlite::Connection;

use crate::Result;

/// Records entered (created) at or after `since` (UTC ISO-8601): receipts, batches, shipments.
pub fn entered_since(conn: &Connection, since: &str) -> Result<(i64, i64, i64)> {
    let count = |table: &str| -> rusqlite::Result<i64> {
        conn.prepare_cached(&format!(
            "SELECT count(*) FROM {table} WHERE created_at >= ?1"
        ))?
        .query_row([since], |r| r.get(0))
    };
    Ok((count("receipt")?, count("batch")?, count("shipment")?))
}

/// Per business date from `from` to `to` (inclusive ISO dates): `(receipts, batches, shipments)`.
pub fn per_day(
    conn: &Connection,
    from: &str,
    to: &str,
) -> Result<BTreeMap<String, (i64, i64, i64)>> {
    let mut days: BTreeMap<String, (i64, i64, i64)> = BTreeMap::new();
    for (i, (table, column)) in [
        ("receipt", "received_on"),
        ("batch", "produced_on"),
        ("shipment", "shipped_on"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {column}, count(*) FROM {table} WHERE {column} BETWEEN ?1 AND ?2 GROUP BY {column}"
        ))?;
        let rows = stmt.query_map([from, to], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?;
        for row in rows {
            let (day, n) = row?;
            let entry = days.entry(day).or_default();
            match i {
                0 => entry.0 = n,
                1 => entry.1 = n,
                _ => entry.2 = n,
            }
        }
    }
    Ok(days)
}

/// How many receipts and batches failed their inspection.
pub fn failed_counts(conn: &Connection) -> Result<(i64, i64)> {
    let receipts = conn
        .prepare_cached("SELECT count(*) FROM receipt WHERE inspection_result = 'fail'")?
        .query_row([], |r| r.get(0))?;
    let batches = conn
        .prepare_cached("SELECT count(*) FROM batch WHERE inspection_result = 'fail'")?
        .query_row([], |r| r.get(0))?;
    Ok((receipts, batches))
}

/// The newest `limit` failed batches' ids.
pub fn failed_batches(conn: &Connection, limit: u32) -> Result<Vec<i64>> {
    let rows = conn
        .prepare_cached(
            "SELECT id FROM batch WHERE inspection_result = 'fail' ORDER BY produced_on DESC, id DESC LIMIT ?1",
        )?
        .query_map([limit], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The newest `limit` failed receipts' ids.
pub fn failed_receipts(conn: &Connection, limit: u32) -> Result<Vec<i64>> {
    let rows = conn
        .prepare_cached(
            "SELECT id FROM receipt WHERE inspection_result = 'fail' ORDER BY received_on DESC, id DESC LIMIT ?1",
        )?
        .query_map([limit], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Records the platform has not accepted yet (`submitted_at` still empty): receipts, batches and
/// shipments, the three kinds of trace event. `None` before the submission migration added the
/// column.
pub fn unsubmitted(conn: &Connection) -> Result<Option<i64>> {
    let mut total = 0;
    for table in ["receipt", "batch", "shipment"] {
        let has: i64 = conn
            .prepare_cached(
                "SELECT count(*) FROM pragma_table_info(?1) WHERE name = 'submitted_at'",
            )?
            .query_row([table], |r| r.get(0))?;
        if has == 0 {
            return Ok(None);
        }
        let n: i64 = conn
            .prepare_cached(&format!(
                "SELECT count(*) FROM {table} WHERE submitted_at IS NULL"
            ))?
            .query_row([], |r| r.get(0))?;
        total += n;
    }
    Ok(Some(total))
}
