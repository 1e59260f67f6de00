//! Products (一品): what the enterprise makes.

use rusqlite::{Connection, OptionalExtension, Row, ToSql, params};

use crate::Result;
use crate::list::{ListParams, Table, Where, order_by, placeholders, with_id};

/// The columns a person edits.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProductFields {
    pub name: String,
    pub model: String,
    /// A catalogue code (e.g. `CCC-0101`, `KP-GAS-03`) or free text.
    pub category: String,
    pub brand: String,
    pub standard: String,
    /// Digits as typed (8, 12, 13 or 14), already checked by the caller.
    pub gtin: Option<String>,
    /// `gs1`, `ecode` or `digital-id`.
    pub scheme: String,
    /// `product`, `batch` or `item`.
    pub granularity: String,
    pub ccc_cert_no: Option<String>,
    pub ccc_valid_from: Option<String>,
    pub ccc_valid_to: Option<String>,
    pub ccc_mark_no: Option<String>,
    /// The models the CCC certificate covers, one per line.
    pub ccc_models: String,
    /// 生产许可证编号 of this product, when it differs from the enterprise's.
    pub licence_no: String,
    /// 生产地址 of this product, when it differs from the enterprise's.
    pub production_address: String,
    /// 委托生产: `` (not entrusted), `manufacturer` (we make it for the 委托方 named below) or
    /// `principal` (we are the 委托方; the entrusted manufacturer is named below).
    pub oem_role: String,
    pub oem_name: String,
    /// The other party's USCC, canonical, checked by the caller.
    pub oem_uscc: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProductRow {
    pub id: i64,
    pub fields: ProductFields,
    pub created_at: String,
    pub updated_at: String,
    /// How many production batches name this product.
    pub batch_count: i64,
}

/// Filters of the product list.
#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    pub params: ListParams,
    pub category: Option<String>,
    pub scheme: Option<String>,
}

const COLUMNS: &str = "p.id, p.name, p.model, p.category, p.brand, p.standard, p.gtin, p.scheme,
    p.granularity, p.ccc_cert_no, p.ccc_valid_from, p.ccc_valid_to, p.ccc_mark_no, p.ccc_models,
    p.created_at, p.updated_at, (SELECT count(*) FROM batch b WHERE b.product_id = p.id),
    p.licence_no, p.production_address, p.oem_role, p.oem_name, p.oem_uscc";

const TABLE: Table<ProductRow> = Table {
    columns: COLUMNS,
    from: "FROM product p",
    bare: "FROM product p",
    from_row,
};

fn from_row(row: &Row<'_>) -> rusqlite::Result<ProductRow> {
    Ok(ProductRow {
        id: row.get(0)?,
        fields: ProductFields {
            name: row.get(1)?,
            model: row.get(2)?,
            category: row.get(3)?,
            brand: row.get(4)?,
            standard: row.get(5)?,
            gtin: row.get(6)?,
            scheme: row.get(7)?,
            granularity: row.get(8)?,
            ccc_cert_no: row.get(9)?,
            ccc_valid_from: row.get(10)?,
            ccc_valid_to: row.get(11)?,
            ccc_mark_no: row.get(12)?,
            ccc_models: row.get(13)?,
            licence_no: row.get(17)?,
            production_address: row.get(18)?,
            oem_role: row.get(19)?,
            oem_name: row.get(20)?,
            oem_uscc: row.get(21)?,
        },
        created_at: row.get(14)?,
        updated_at: row.get(15)?,
        batch_count: row.get(16)?,
    })
}

/// The editable columns in the order INSERT and UPDATE bind them.
fn values(f: &ProductFields) -> [&dyn ToSql; 18] {
    [
        &f.name,
        &f.model,
        &f.category,
        &f.brand,
        &f.standard,
        &f.gtin,
        &f.scheme,
        &f.granularity,
        &f.ccc_cert_no,
        &f.ccc_valid_from,
        &f.ccc_valid_to,
        &f.ccc_mark_no,
        &f.ccc_models,
        &f.licence_no,
        &f.production_address,
        &f.oem_role,
        &f.oem_name,
        &f.oem_uscc,
    ]
}

pub fn insert(conn: &Connection, f: &ProductFields) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO product (name, model, category, brand, standard, gtin, scheme, granularity,
             ccc_cert_no, ccc_valid_from, ccc_valid_to, ccc_mark_no, ccc_models, licence_no,
             production_address, oem_role, oem_name, oem_uscc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?
    .execute(values(f))?;
    Ok(conn.last_insert_rowid())
}

/// Replaces the editable columns of product `id`; returns whether it exists.
pub fn update(conn: &Connection, id: i64, f: &ProductFields) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE product SET name = ?2, model = ?3, category = ?4, brand = ?5, standard = ?6,
                 gtin = ?7, scheme = ?8, granularity = ?9, ccc_cert_no = ?10, ccc_valid_from = ?11,
                 ccc_valid_to = ?12, ccc_mark_no = ?13, ccc_models = ?14,
                 licence_no = ?15, production_address = ?16, oem_role = ?17, oem_name = ?18,
                 oem_uscc = ?19,
                 updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE id = ?1",
        )?
        .execute(&*with_id(&id, &values(f)))?;
    Ok(n > 0)
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<ProductRow>> {
    Ok(TABLE.one(conn, "p.id = ?1", [id])?)
}

/// The product whose GTIN is any of `gtins` (the printed form and its zero-padded forms).
pub fn by_gtin(conn: &Connection, gtins: &[String]) -> Result<Option<ProductRow>> {
    if gtins.is_empty() {
        return Ok(None);
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM product p WHERE p.gtin IN ({}) ORDER BY p.id LIMIT 1",
        placeholders(gtins.len())
    );
    Ok(conn
        .prepare(&sql)?
        .query_row(rusqlite::params_from_iter(gtins), from_row)
        .optional()?)
}

/// The id of the product called `name` with model `model`, other than `except`.
pub fn id_by_name_model(
    conn: &Connection,
    name: &str,
    model: &str,
    except: Option<i64>,
) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM product WHERE name = ?1 AND model = ?2 AND id IS NOT ?3 LIMIT 1",
        )?
        .query_row(params![name, model, except], |r| r.get(0))
        .optional()?)
}

/// Every GTIN in use, as stored.
pub fn gtins(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT gtin FROM product WHERE gtin IS NOT NULL")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn list(conn: &Connection, filter: &ProductFilter) -> Result<(Vec<ProductRow>, u32)> {
    let mut w = Where::default();
    w.search(
        &filter.params.search,
        &[
            "p.name",
            "p.model",
            "p.gtin",
            "p.brand",
            "p.ccc_cert_no",
            "p.standard",
        ],
    );
    w.equals("p.category", filter.category.as_deref());
    w.equals("p.scheme", filter.scheme.as_deref());
    let order = order_by(
        &filter.params,
        &[
            ("name", "p.name"),
            ("model", "p.model"),
            ("gtin", "p.gtin"),
            ("category", "p.category"),
            ("cccValidTo", "p.ccc_valid_to"),
            ("updatedAt", "p.updated_at"),
        ],
        "p.name, p.model, p.id",
        "p.id",
    );
    Ok(TABLE.page(conn, &w, &order, &filter.params)?)
}

/// Products whose CCC certificate ends on or before `until` (ISO date), soonest first.
pub fn ccc_expiring(conn: &Connection, until: &str) -> Result<Vec<ProductRow>> {
    Ok(TABLE.all(
        conn,
        "p.ccc_valid_to IS NOT NULL AND p.ccc_valid_to <= ?1 ORDER BY p.ccc_valid_to, p.id",
        [until],
    )?)
}
