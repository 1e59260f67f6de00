//! Material receipts with their incoming inspection (原料采购 / 进货查验). One row is one supplier
//! lot: the unit production consumes and a recall starts from.

use rusqlite::{Connection, OptionalExtension, Row, ToSql, params};

use crate::Result;
use crate::list::{ListParams, Table, Where, order_by, with_id};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReceiptFields {
    pub supplier_id: i64,
    pub material: String,
    pub spec: String,
    pub supplier_lot: String,
    pub quantity: f64,
    pub unit: String,
    /// ISO date.
    pub received_on: String,
    /// `pass`, `fail` or `pending`.
    pub inspection_result: String,
    pub report_no: Option<String>,
    pub note: String,
    /// The paperwork the goods came with (migration 0011).
    pub docs: ReceiptDocs,
    /// The CCC 证书编号 of a key component of the received goods (migration 0012).
    pub component_ccc: Option<String>,
}

/// 进货单据: the numbers of the purchase order, the invoice and the supplier's delivery note, `""`
/// when not recorded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReceiptDocs {
    pub purchase_order_no: String,
    pub invoice_no: String,
    pub delivery_note_no: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReceiptRow {
    pub id: i64,
    pub fields: ReceiptFields,
    pub supplier_name: String,
    /// The sum of the recorded quantities production took from this lot.
    pub consumed: f64,
    /// How many batches used it.
    pub batch_count: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default)]
pub struct ReceiptFilter {
    pub params: ListParams,
    pub inspection_result: Option<String>,
    pub supplier_id: Option<i64>,
    /// Inclusive ISO dates.
    pub from: Option<String>,
    pub to: Option<String>,
}

const COLUMNS: &str = "r.id, r.supplier_id, r.material, r.spec, r.supplier_lot, r.quantity, r.unit,
    r.received_on, r.inspection_result, r.report_no, r.note, p.name,
    (SELECT COALESCE(sum(bi.quantity), 0) FROM batch_input bi WHERE bi.receipt_id = r.id),
    (SELECT count(*) FROM batch_input bi WHERE bi.receipt_id = r.id),
    r.created_at, r.updated_at, r.purchase_order_no, r.invoice_no, r.delivery_note_no,
    r.component_ccc";
const TABLE: Table<ReceiptRow> = Table {
    columns: COLUMNS,
    from: "FROM receipt r JOIN party p ON p.id = r.supplier_id",
    bare: "FROM receipt r",
    from_row,
};

fn from_row(row: &Row<'_>) -> rusqlite::Result<ReceiptRow> {
    Ok(ReceiptRow {
        id: row.get(0)?,
        fields: ReceiptFields {
            supplier_id: row.get(1)?,
            material: row.get(2)?,
            spec: row.get(3)?,
            supplier_lot: row.get(4)?,
            quantity: row.get(5)?,
            unit: row.get(6)?,
            received_on: row.get(7)?,
            inspection_result: row.get(8)?,
            report_no: row.get(9)?,
            note: row.get(10)?,
            docs: ReceiptDocs {
                purchase_order_no: row.get(16)?,
                invoice_no: row.get(17)?,
                delivery_note_no: row.get(18)?,
            },
            component_ccc: row.get(19)?,
        },
        supplier_name: row.get(11)?,
        consumed: row.get(12)?,
        batch_count: row.get(13)?,
        created_at: row.get(14)?,
        updated_at: row.get(15)?,
    })
}

/// The editable columns in the order INSERT and UPDATE bind them.
fn values(f: &ReceiptFields) -> [&dyn ToSql; 14] {
    [
        &f.supplier_id,
        &f.material,
        &f.spec,
        &f.supplier_lot,
        &f.quantity,
        &f.unit,
        &f.received_on,
        &f.inspection_result,
        &f.report_no,
        &f.note,
        &f.docs.purchase_order_no,
        &f.docs.invoice_no,
        &f.docs.delivery_note_no,
        &f.component_ccc,
    ]
}

pub fn insert(conn: &Connection, f: &ReceiptFields) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO receipt (supplier_id, material, spec, supplier_lot, quantity, unit, received_on,
             inspection_result, report_no, note, purchase_order_no, invoice_no, delivery_note_no,
             component_ccc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(values(f))?;
    Ok(conn.last_insert_rowid())
}

pub fn update(conn: &Connection, id: i64, f: &ReceiptFields) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE receipt SET supplier_id = ?2, material = ?3, spec = ?4, supplier_lot = ?5,
                 quantity = ?6, unit = ?7, received_on = ?8, inspection_result = ?9, report_no = ?10,
                 note = ?11, purchase_order_no = ?12, invoice_no = ?13, delivery_note_no = ?14,
                 component_ccc = ?15,
                 updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE id = ?1",
        )?
        .execute(&*with_id(&id, &values(f)))?;
    Ok(n > 0)
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<ReceiptRow>> {
    Ok(TABLE.one(conn, "r.id = ?1", [id])?)
}

pub fn get_many(conn: &Connection, ids: &[i64]) -> Result<Vec<ReceiptRow>> {
    Ok(TABLE.many(conn, "r.id", ids, "r.received_on, r.id")?)
}

/// The id of the receipt of `supplier_lot` of `material` from `supplier_id`, other than `except`
/// (the schema's unique key).
pub fn duplicate(
    conn: &Connection,
    supplier_id: i64,
    supplier_lot: &str,
    material: &str,
    except: Option<i64>,
) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM receipt WHERE supplier_id = ?1 AND supplier_lot = ?2 AND material = ?3
             AND id IS NOT ?4",
        )?
        .query_row(params![supplier_id, supplier_lot, material, except], |r| {
            r.get(0)
        })
        .optional()?)
}

fn filter_where(filter: &ReceiptFilter) -> Where {
    let mut w = Where::default();
    w.search(
        &filter.params.search,
        &[
            "r.supplier_lot",
            "r.material",
            "r.spec",
            "p.name",
            "r.report_no",
        ],
    );
    w.equals("r.inspection_result", filter.inspection_result.as_deref());
    w.equals_id("r.supplier_id", filter.supplier_id);
    w.dates(
        "r.received_on",
        filter.from.as_deref(),
        filter.to.as_deref(),
    );
    w
}

pub fn list(conn: &Connection, filter: &ReceiptFilter) -> Result<(Vec<ReceiptRow>, u32)> {
    let w = filter_where(filter);
    let order = order_by(
        &filter.params,
        &[
            ("receivedOn", "r.received_on"),
            ("supplierName", "p.name"),
            ("material", "r.material"),
            ("supplierLot", "r.supplier_lot"),
            ("quantity", "r.quantity"),
            ("inspectionResult", "r.inspection_result"),
        ],
        "r.received_on DESC, r.id DESC",
        "r.id",
    );
    Ok(TABLE.page(conn, &w, &order, &filter.params)?)
}

/// Receipts whose supplier lot, material or supplier matches `search` (all when blank), newest
/// first: the lot picker of the production form.
pub fn search(conn: &Connection, search: &str, limit: u32) -> Result<Vec<ReceiptRow>> {
    let filter = ReceiptFilter {
        params: ListParams {
            search: search.to_string(),
            limit,
            ..ListParams::default()
        },
        ..ReceiptFilter::default()
    };
    Ok(list(conn, &filter)?.0)
}

/// Materials received before, most recent first: `(material, spec, unit, last supplier id)`.
pub fn material_hints(conn: &Connection, limit: u32) -> Result<Vec<(String, String, String, i64)>> {
    let rows = conn
        .prepare_cached(
            "SELECT material, spec, unit, supplier_id FROM receipt
             WHERE id IN (SELECT max(id) FROM receipt GROUP BY material, spec)
             ORDER BY id DESC LIMIT ?1",
        )?
        .query_map([limit], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Units used before in receipts and batches, most used first.
pub fn units(conn: &Connection) -> Result<Vec<String>> {
    let rows = conn
        .prepare_cached(
            "SELECT unit FROM (SELECT unit FROM receipt UNION ALL SELECT unit FROM batch)
             GROUP BY unit ORDER BY count(*) DESC, unit LIMIT 50",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// One of the supplier's codes of a receipt (`receipt_code`, migration 0012), as scanned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptCode {
    pub code: String,
    /// What the code check detected (`codes::CodeKind`, kebab-case).
    pub kind: String,
    /// `lot` or `item`.
    pub level: String,
    /// What the check said about a code it could not recognise; empty otherwise.
    pub note: String,
}

/// Replaces the supplier's codes of `receipt_id` with `codes`, in their order.
pub fn set_codes(conn: &Connection, receipt_id: i64, codes: &[ReceiptCode]) -> Result<()> {
    let current = codes_of(conn, receipt_id)?;
    if current == codes {
        // Unchanged: no audit rows, no change stamp for the submission.
        return Ok(());
    }
    conn.prepare_cached("DELETE FROM receipt_code WHERE receipt_id = ?1")?
        .execute([receipt_id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO receipt_code (receipt_id, seq, code, kind, level, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, c) in codes.iter().enumerate() {
        insert.execute(params![
            receipt_id,
            i as i64 + 1,
            c.code,
            c.kind,
            c.level,
            c.note
        ])?;
    }
    Ok(())
}

fn code_from_row(r: &Row<'_>) -> rusqlite::Result<ReceiptCode> {
    Ok(ReceiptCode {
        code: r.get(0)?,
        kind: r.get(1)?,
        level: r.get(2)?,
        note: r.get(3)?,
    })
}

/// The supplier's codes of `receipt_id`, in the order they were given.
pub fn codes_of(conn: &Connection, receipt_id: i64) -> Result<Vec<ReceiptCode>> {
    Ok(codes_of_many(conn, &[receipt_id])?
        .remove(&receipt_id)
        .unwrap_or_default())
}

/// The supplier's codes of each of `ids` (receipts without codes are absent).
pub fn codes_of_many(
    conn: &Connection,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, Vec<ReceiptCode>>> {
    let mut out: std::collections::HashMap<i64, Vec<ReceiptCode>> = Default::default();
    let mut stmt = conn.prepare_cached(
        "SELECT code, kind, level, note FROM receipt_code WHERE receipt_id = ?1 ORDER BY seq",
    )?;
    for &id in ids {
        let codes = stmt
            .query_map([id], code_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if !codes.is_empty() {
            out.insert(id, codes);
        }
    }
    Ok(out)
}

/// The receipts one of whose supplier's codes is exactly `code`, oldest first.
pub fn by_code(conn: &Connection, code: &str) -> Result<Vec<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT DISTINCT receipt_id FROM receipt_code WHERE code = ?1 ORDER BY receipt_id",
        )?
        .query_map([code], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}
