//! Production batches (生产批次) with their factory inspection, and the material lots each one
//! consumed (`batch_input`).

use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, ToSql, params};

use crate::Result;
use crate::list::{ListParams, Table, Where, chunked, order_by, placeholders, with_id};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct BatchFields {
    pub product_id: i64,
    pub lot_no: String,
    /// ISO date.
    pub produced_on: String,
    pub quantity: f64,
    pub unit: String,
    /// `pass`, `fail` or `pending`.
    pub inspection_result: String,
    pub inspector: String,
    pub report_no: Option<String>,
    /// Inspection date, expiry and work order (migration 0011).
    pub docs: BatchDocs,
}

/// 检验日期, 有效期至 (ISO dates, `None` when not recorded) and 生产工单号 (`""` when none).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BatchDocs {
    pub inspected_on: Option<String>,
    pub expires_on: Option<String>,
    pub work_order_no: String,
}

/// One material lot a batch consumed. `None`: used, amount not recorded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InputFields {
    pub receipt_id: i64,
    pub quantity: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BatchRow {
    pub id: i64,
    pub fields: BatchFields,
    pub product_name: String,
    pub product_model: String,
    pub product_gtin: Option<String>,
    pub granularity: String,
    pub input_count: i64,
    /// The sum of shipped quantities.
    pub shipped: f64,
    pub item_count: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default)]
pub struct BatchFilter {
    pub params: ListParams,
    pub inspection_result: Option<String>,
    pub product_id: Option<i64>,
    pub from: Option<String>,
    pub to: Option<String>,
}

const COLUMNS: &str = "b.id, b.product_id, b.lot_no, b.produced_on, b.quantity, b.unit,
    b.inspection_result, b.inspector, b.report_no, p.name, p.model, p.gtin, p.granularity,
    (SELECT count(*) FROM batch_input bi WHERE bi.batch_id = b.id),
    (SELECT COALESCE(sum(sl.quantity), 0) FROM shipment_line sl WHERE sl.batch_id = b.id),
    (SELECT count(*) FROM item i WHERE i.batch_id = b.id),
    b.created_at, b.updated_at, b.inspected_on, b.expires_on, b.work_order_no";
const TABLE: Table<BatchRow> = Table {
    columns: COLUMNS,
    from: "FROM batch b JOIN product p ON p.id = b.product_id",
    bare: "FROM batch b",
    from_row,
};

fn from_row(row: &Row<'_>) -> rusqlite::Result<BatchRow> {
    Ok(BatchRow {
        id: row.get(0)?,
        fields: BatchFields {
            product_id: row.get(1)?,
            lot_no: row.get(2)?,
            produced_on: row.get(3)?,
            quantity: row.get(4)?,
            unit: row.get(5)?,
            inspection_result: row.get(6)?,
            inspector: row.get(7)?,
            report_no: row.get(8)?,
            docs: BatchDocs {
                inspected_on: row.get(18)?,
                expires_on: row.get(19)?,
                work_order_no: row.get(20)?,
            },
        },
        product_name: row.get(9)?,
        product_model: row.get(10)?,
        product_gtin: row.get(11)?,
        granularity: row.get(12)?,
        input_count: row.get(13)?,
        shipped: row.get(14)?,
        item_count: row.get(15)?,
        created_at: row.get(16)?,
        updated_at: row.get(17)?,
    })
}

/// The editable columns in the order INSERT and UPDATE bind them.
fn values(f: &BatchFields) -> [&dyn ToSql; 11] {
    [
        &f.product_id,
        &f.lot_no,
        &f.produced_on,
        &f.quantity,
        &f.unit,
        &f.inspection_result,
        &f.inspector,
        &f.report_no,
        &f.docs.inspected_on,
        &f.docs.expires_on,
        &f.docs.work_order_no,
    ]
}

pub fn insert(conn: &Connection, f: &BatchFields, inputs: &[InputFields]) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO batch (product_id, lot_no, produced_on, quantity, unit, inspection_result,
             inspector, report_no, inspected_on, expires_on, work_order_no)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(values(f))?;
    let id = conn.last_insert_rowid();
    let mut stmt = conn.prepare_cached(
        "INSERT INTO batch_input (batch_id, receipt_id, quantity) VALUES (?1, ?2, ?3)",
    )?;
    for input in inputs {
        stmt.execute(params![id, input.receipt_id, input.quantity])?;
    }
    Ok(id)
}

/// Replaces batch `id`'s columns and inputs. Only inputs that changed are written, so the audit
/// trail shows exactly what the edit did.
pub fn update(conn: &Connection, id: i64, f: &BatchFields, inputs: &[InputFields]) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE batch SET product_id = ?2, lot_no = ?3, produced_on = ?4, quantity = ?5,
                 unit = ?6, inspection_result = ?7, inspector = ?8, report_no = ?9,
                 inspected_on = ?10, expires_on = ?11, work_order_no = ?12,
                 updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE id = ?1",
        )?
        .execute(&*with_id(&id, &values(f)))?;
    if n == 0 {
        return Ok(false);
    }
    let old: HashMap<i64, Option<f64>> = inputs_of(conn, id)?
        .into_iter()
        .map(|i| (i.receipt_id, i.quantity))
        .collect();
    let new: HashMap<i64, Option<f64>> =
        inputs.iter().map(|i| (i.receipt_id, i.quantity)).collect();
    for (receipt_id, _) in old.iter().filter(|(r, _)| !new.contains_key(r)) {
        conn.prepare_cached("DELETE FROM batch_input WHERE batch_id = ?1 AND receipt_id = ?2")?
            .execute(params![id, receipt_id])?;
    }
    for input in inputs {
        match old.get(&input.receipt_id) {
            None => {
                conn.prepare_cached(
                    "INSERT INTO batch_input (batch_id, receipt_id, quantity) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![id, input.receipt_id, input.quantity])?;
            }
            Some(q) if *q != input.quantity => {
                conn.prepare_cached(
                    "UPDATE batch_input SET quantity = ?3 WHERE batch_id = ?1 AND receipt_id = ?2",
                )?
                .execute(params![id, input.receipt_id, input.quantity])?;
            }
            Some(_) => {}
        }
    }
    Ok(true)
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<BatchRow>> {
    Ok(TABLE.one(conn, "b.id = ?1", [id])?)
}

pub fn get_many(conn: &Connection, ids: &[i64]) -> Result<Vec<BatchRow>> {
    Ok(TABLE.many(conn, "b.id", ids, "b.produced_on, b.id")?)
}

/// The lots batch `id` consumed, in the order they were recorded.
pub fn inputs_of(conn: &Connection, id: i64) -> Result<Vec<InputFields>> {
    let rows = conn
        .prepare_cached(
            "SELECT receipt_id, quantity FROM batch_input WHERE batch_id = ?1 ORDER BY rowid",
        )?
        .query_map([id], |r| {
            Ok(InputFields {
                receipt_id: r.get(0)?,
                quantity: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The id of product `product_id`'s batch `lot_no`, other than `except`.
pub fn duplicate(
    conn: &Connection,
    product_id: i64,
    lot_no: &str,
    except: Option<i64>,
) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM batch WHERE product_id = ?1 AND lot_no = ?2 AND id IS NOT ?3",
        )?
        .query_row(params![product_id, lot_no, except], |r| r.get(0))
        .optional()?)
}

/// Whether any batch (of any product) has lot number `lot_no`.
pub fn lot_taken(conn: &Connection, lot_no: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM batch WHERE lot_no = ?1 LIMIT 1")?
        .query_row([lot_no], |_| Ok(()))
        .optional()?
        .is_some())
}

/// How many batches were produced on `date`.
pub fn count_produced_on(conn: &Connection, date: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM batch WHERE produced_on = ?1")?
        .query_row([date], |r| r.get(0))?)
}

/// Recorded consumption of each of `receipt_ids`, leaving out batch `except` (the batch being
/// edited, whose own consumption is being replaced).
pub fn consumed(
    conn: &Connection,
    receipt_ids: &[i64],
    except: Option<i64>,
) -> Result<HashMap<i64, f64>> {
    sums(
        conn,
        "batch_input",
        "receipt_id",
        "batch_id",
        receipt_ids,
        except,
    )
}

/// Shipped quantity of each of `batch_ids`, leaving out shipment `except`.
pub fn shipped(
    conn: &Connection,
    batch_ids: &[i64],
    except: Option<i64>,
) -> Result<HashMap<i64, f64>> {
    sums(
        conn,
        "shipment_line",
        "batch_id",
        "shipment_id",
        batch_ids,
        except,
    )
}

/// The summed `quantity` of the rows of `table` per `key` in `ids`, leaving out the rows whose
/// `parent` is `except`.
fn sums(
    conn: &Connection,
    table: &str,
    key: &str,
    parent: &str,
    ids: &[i64],
    except: Option<i64>,
) -> Result<HashMap<i64, f64>> {
    let rows = chunked(ids, |chunk| {
        let sql = format!(
            "SELECT {key}, COALESCE(sum(quantity), 0) FROM {table}
             WHERE {key} IN ({}) AND {parent} IS NOT ? GROUP BY {key}",
            placeholders(chunk.len())
        );
        let mut args: Vec<Value> = chunk.iter().map(|id| Value::Integer(*id)).collect();
        args.push(except.map(Value::Integer).unwrap_or(Value::Null));
        conn.prepare(&sql)?
            .query_map(rusqlite::params_from_iter(args), |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, f64>(1)?))
            })?
            .collect()
    })?;
    Ok(rows.into_iter().collect())
}

fn filter_where(filter: &BatchFilter) -> Where {
    let mut w = Where::default();
    w.search(
        &filter.params.search,
        &[
            "b.lot_no",
            "p.name",
            "p.model",
            "b.report_no",
            "b.inspector",
        ],
    );
    w.equals("b.inspection_result", filter.inspection_result.as_deref());
    w.equals_id("b.product_id", filter.product_id);
    w.dates(
        "b.produced_on",
        filter.from.as_deref(),
        filter.to.as_deref(),
    );
    w
}

pub fn list(conn: &Connection, filter: &BatchFilter) -> Result<(Vec<BatchRow>, u32)> {
    let w = filter_where(filter);
    let order = order_by(
        &filter.params,
        &[
            ("producedOn", "b.produced_on"),
            ("lotNo", "b.lot_no"),
            ("productName", "p.name"),
            ("quantity", "b.quantity"),
            ("inspectionResult", "b.inspection_result"),
        ],
        "b.produced_on DESC, b.id DESC",
        "b.id",
    );
    Ok(TABLE.page(conn, &w, &order, &filter.params)?)
}

/// Batches whose lot number or product matches `search`, newest first: the batch picker of the
/// shipment form.
pub fn search(conn: &Connection, search: &str, limit: u32) -> Result<Vec<BatchRow>> {
    let filter = BatchFilter {
        params: ListParams {
            search: search.to_string(),
            limit,
            ..ListParams::default()
        },
        ..BatchFilter::default()
    };
    Ok(list(conn, &filter)?.0)
}

/// Inspectors named before, most recent first.
pub fn inspectors(conn: &Connection) -> Result<Vec<String>> {
    let rows = conn
        .prepare_cached(
            "SELECT inspector FROM (SELECT inspector, id FROM batch ORDER BY id DESC LIMIT 2000)
             WHERE inspector <> '' GROUP BY inspector ORDER BY max(id) DESC LIMIT 30",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
