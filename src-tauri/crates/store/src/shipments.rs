//! Shipments (销售出库): one delivery note to one customer, with its lines of batch quantities or
//! serialised items.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::Result;
use crate::list::{ListParams, Table, Where, order_by};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShipmentFields {
    pub customer_id: i64,
    /// ISO date.
    pub shipped_on: String,
    pub delivery_note_no: String,
    pub note: String,
    /// 收货地址; empty means the customer's address.
    pub ship_to: String,
    /// The sales order and invoice (migration 0011).
    pub docs: ShipmentDocs,
}

/// 销售订单号 and 发票号, `""` when not recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShipmentDocs {
    pub order_no: String,
    pub invoice_no: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineFields {
    pub batch_id: i64,
    pub item_id: Option<i64>,
    pub quantity: f64,
}

/// A line with what a person needs to read it.
#[derive(Debug, Clone, PartialEq)]
pub struct LineRow {
    pub id: i64,
    pub shipment_id: i64,
    pub line: LineFields,
    pub lot_no: String,
    pub product_id: i64,
    pub product_name: String,
    pub product_model: String,
    pub unit: String,
    pub serial: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ShipmentRow {
    pub id: i64,
    pub fields: ShipmentFields,
    pub customer_name: String,
    pub line_count: i64,
    pub total_quantity: f64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default)]
pub struct ShipmentFilter {
    pub params: ListParams,
    pub customer_id: Option<i64>,
    pub from: Option<String>,
    pub to: Option<String>,
}

const COLUMNS: &str = "s.id, s.customer_id, s.shipped_on, s.delivery_note_no, s.note, c.name,
    (SELECT count(*) FROM shipment_line sl WHERE sl.shipment_id = s.id),
    (SELECT COALESCE(sum(sl.quantity), 0) FROM shipment_line sl WHERE sl.shipment_id = s.id),
    s.created_at, s.updated_at, s.ship_to, s.order_no, s.invoice_no";
const TABLE: Table<ShipmentRow> = Table {
    columns: COLUMNS,
    from: "FROM shipment s JOIN party c ON c.id = s.customer_id",
    bare: "FROM shipment s",
    from_row,
};

fn from_row(row: &Row<'_>) -> rusqlite::Result<ShipmentRow> {
    Ok(ShipmentRow {
        id: row.get(0)?,
        fields: ShipmentFields {
            customer_id: row.get(1)?,
            shipped_on: row.get(2)?,
            delivery_note_no: row.get(3)?,
            note: row.get(4)?,
            ship_to: row.get(10)?,
            docs: ShipmentDocs {
                order_no: row.get(11)?,
                invoice_no: row.get(12)?,
            },
        },
        customer_name: row.get(5)?,
        line_count: row.get(6)?,
        total_quantity: row.get(7)?,
        created_at: row.get(8)?,
        updated_at: row.get(9)?,
    })
}

fn insert_lines(conn: &Connection, id: i64, lines: &[LineFields]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO shipment_line (shipment_id, batch_id, item_id, quantity) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for line in lines {
        stmt.execute(params![id, line.batch_id, line.item_id, line.quantity])?;
    }
    Ok(())
}

pub fn insert(conn: &Connection, f: &ShipmentFields, lines: &[LineFields]) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO shipment (customer_id, shipped_on, delivery_note_no, note, ship_to, order_no,
             invoice_no)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        f.customer_id,
        f.shipped_on,
        f.delivery_note_no,
        f.note,
        f.ship_to,
        f.docs.order_no,
        f.docs.invoice_no
    ])?;
    let id = conn.last_insert_rowid();
    insert_lines(conn, id, lines)?;
    Ok(id)
}

/// Replaces shipment `id` and its lines. Lines that stay the same are kept; the others are
/// deleted and inserted, so the audit trail shows what changed.
pub fn update(
    conn: &Connection,
    id: i64,
    f: &ShipmentFields,
    lines: &[LineFields],
) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE shipment SET customer_id = ?2, shipped_on = ?3, delivery_note_no = ?4, note = ?5,
                 ship_to = ?6, order_no = ?7, invoice_no = ?8, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE id = ?1",
        )?
        .execute(params![
            id,
            f.customer_id,
            f.shipped_on,
            f.delivery_note_no,
            f.note,
            f.ship_to,
            f.docs.order_no,
            f.docs.invoice_no
        ])?;
    if n == 0 {
        return Ok(false);
    }
    let mut wanted: Vec<LineFields> = lines.to_vec();
    for old in lines_of(conn, id)? {
        if let Some(i) = wanted.iter().position(|l| *l == old.line) {
            wanted.remove(i);
        } else {
            conn.prepare_cached("DELETE FROM shipment_line WHERE id = ?1")?
                .execute([old.id])?;
        }
    }
    insert_lines(conn, id, &wanted)?;
    Ok(true)
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<ShipmentRow>> {
    Ok(TABLE.one(conn, "s.id = ?1", [id])?)
}

pub fn get_many(conn: &Connection, ids: &[i64]) -> Result<Vec<ShipmentRow>> {
    Ok(TABLE.many(conn, "s.id", ids, "s.shipped_on, s.id")?)
}

const LINE_COLUMNS: &str = "sl.id, sl.shipment_id, sl.batch_id, sl.item_id, sl.quantity, b.lot_no,
    b.product_id, p.name, p.model, b.unit, i.serial";
const LINE_FROM: &str = "FROM shipment_line sl JOIN batch b ON b.id = sl.batch_id
    JOIN product p ON p.id = b.product_id LEFT JOIN item i ON i.id = sl.item_id";
const LINES: Table<LineRow> = Table {
    columns: LINE_COLUMNS,
    from: LINE_FROM,
    bare: "FROM shipment_line sl",
    from_row: line_from_row,
};

fn line_from_row(row: &Row<'_>) -> rusqlite::Result<LineRow> {
    Ok(LineRow {
        id: row.get(0)?,
        shipment_id: row.get(1)?,
        line: LineFields {
            batch_id: row.get(2)?,
            item_id: row.get(3)?,
            quantity: row.get(4)?,
        },
        lot_no: row.get(5)?,
        product_id: row.get(6)?,
        product_name: row.get(7)?,
        product_model: row.get(8)?,
        unit: row.get(9)?,
        serial: row.get(10)?,
    })
}

pub fn lines_of(conn: &Connection, id: i64) -> Result<Vec<LineRow>> {
    Ok(LINES.all(conn, "sl.shipment_id = ?1 ORDER BY sl.id", [id])?)
}

/// The lines that carried any of `batch_ids`.
pub fn lines_of_batches(conn: &Connection, batch_ids: &[i64]) -> Result<Vec<LineRow>> {
    Ok(LINES.many(conn, "sl.batch_id", batch_ids, "sl.id")?)
}

/// The lines of any of `shipment_ids`.
pub fn lines_of_shipments(conn: &Connection, shipment_ids: &[i64]) -> Result<Vec<LineRow>> {
    Ok(LINES.many(conn, "sl.shipment_id", shipment_ids, "sl.id")?)
}

/// The id of the shipment with delivery note `no`, other than `except`.
pub fn by_note(conn: &Connection, no: &str, except: Option<i64>) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM shipment WHERE delivery_note_no = ?1 AND id IS NOT ?2")?
        .query_row(params![no, except], |r| r.get(0))
        .optional()?)
}

/// Delivery notes (other than shipment `except`) that already carried item `item_id`.
pub fn notes_with_item(
    conn: &Connection,
    item_id: i64,
    except: Option<i64>,
) -> Result<Vec<String>> {
    let rows = conn
        .prepare_cached(
            "SELECT s.delivery_note_no FROM shipment_line sl JOIN shipment s ON s.id = sl.shipment_id
             WHERE sl.item_id = ?1 AND sl.shipment_id IS NOT ?2 ORDER BY s.id",
        )?
        .query_map(params![item_id, except], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// How many delivery notes start with `prefix`, which holds no GLOB wildcards (for numbering the
/// next one).
pub fn count_with_prefix(conn: &Connection, prefix: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM shipment WHERE delivery_note_no GLOB ?1 || '*'")?
        .query_row([prefix], |r| r.get(0))?)
}

fn filter_where(filter: &ShipmentFilter) -> Where {
    let mut w = Where::default();
    w.search(
        &filter.params.search,
        &["s.delivery_note_no", "c.name", "s.note"],
    );
    w.equals_id("s.customer_id", filter.customer_id);
    w.dates("s.shipped_on", filter.from.as_deref(), filter.to.as_deref());
    w
}

pub fn list(conn: &Connection, filter: &ShipmentFilter) -> Result<(Vec<ShipmentRow>, u32)> {
    let w = filter_where(filter);
    let order = order_by(
        &filter.params,
        &[
            ("shippedOn", "s.shipped_on"),
            ("deliveryNoteNo", "s.delivery_note_no"),
            ("customerName", "c.name"),
        ],
        "s.shipped_on DESC, s.id DESC",
        "s.id",
    );
    Ok(TABLE.page(conn, &w, &order, &filter.params)?)
}
