//! Suppliers and customers (往来单位 / 交易主体).

use rusqlite::types::Value;
use rusqlite::{Connection, Row, params};

use crate::Result;
use crate::list::{ListParams, Table, Where, order_by};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartyFields {
    /// `supplier`, `customer` or `both`.
    pub kind: String,
    pub name: String,
    /// Canonical USCC, already checked by the caller.
    pub uscc: Option<String>,
    pub address: String,
    pub contact: String,
    /// For a person, only the masked mobile number (`138****5678`): the schema refuses more.
    pub phone: String,
    /// `organisation` (or empty: the same), `individual` or `foreign`.
    pub party_type: String,
    /// A person's masked ID card number (`110***********002X`), never the full one.
    pub id_masked: String,
    /// When a person consented to their masked numbers being kept and reported.
    pub consent_at: Option<String>,
    /// A foreign buyer's country, ISO 3166-1 alpha-2.
    pub country: String,
    /// A foreign buyer's registration number, free text.
    pub foreign_reg_no: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyRow {
    pub id: i64,
    pub fields: PartyFields,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default)]
pub struct PartyFilter {
    pub params: ListParams,
    /// `supplier` lists suppliers and `both`; `customer` lists customers and `both`.
    pub role: Option<String>,
}

const COLUMNS: &str = "id, kind, name, uscc, address, contact, phone, created_at, updated_at,
    party_type, id_masked, consent_at, country, foreign_reg_no";

const TABLE: Table<PartyRow> = Table {
    columns: COLUMNS,
    from: "FROM party",
    bare: "FROM party",
    from_row,
};

fn from_row(row: &Row<'_>) -> rusqlite::Result<PartyRow> {
    Ok(PartyRow {
        id: row.get(0)?,
        fields: PartyFields {
            kind: row.get(1)?,
            name: row.get(2)?,
            uscc: row.get(3)?,
            address: row.get(4)?,
            contact: row.get(5)?,
            phone: row.get(6)?,
            party_type: row.get(9)?,
            id_masked: row.get(10)?,
            consent_at: row.get(11)?,
            country: row.get(12)?,
            foreign_reg_no: row.get(13)?,
        },
        created_at: row.get(7)?,
        updated_at: row.get(8)?,
    })
}

pub fn insert(conn: &Connection, f: &PartyFields) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO party (kind, name, uscc, address, contact, phone, party_type, id_masked, consent_at,
             country, foreign_reg_no)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, COALESCE(NULLIF(?7, ''), 'organisation'), ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        f.kind,
        f.name,
        f.uscc,
        f.address,
        f.contact,
        f.phone,
        f.party_type,
        f.id_masked,
        f.consent_at,
        f.country,
        f.foreign_reg_no
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn update(conn: &Connection, id: i64, f: &PartyFields) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE party SET kind = ?2, name = ?3, uscc = ?4, address = ?5, contact = ?6, phone = ?7,
                 party_type = COALESCE(NULLIF(?8, ''), 'organisation'), id_masked = ?9,
                 consent_at = ?10, country = ?11, foreign_reg_no = ?12,
                 updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE id = ?1",
        )?
        .execute(params![
            id,
            f.kind,
            f.name,
            f.uscc,
            f.address,
            f.contact,
            f.phone,
            f.party_type,
            f.id_masked,
            f.consent_at,
            f.country,
            f.foreign_reg_no
        ])?;
    Ok(n > 0)
}

/// Makes party `id` also play `role` (`supplier` or `customer`): a supplier that is now a
/// customer becomes `both`. Does nothing when it already plays the role.
pub fn add_role(conn: &Connection, id: i64, role: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE party SET kind = 'both', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE id = ?1 AND kind <> 'both' AND kind <> ?2",
    )?
    .execute(params![id, role])?;
    Ok(())
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<PartyRow>> {
    Ok(TABLE.one(conn, "id = ?1", [id])?)
}

/// The parties among `ids`, by name.
pub fn get_many(conn: &Connection, ids: &[i64]) -> Result<Vec<PartyRow>> {
    Ok(TABLE.many(conn, "id", ids, "name, id")?)
}

pub fn by_name(conn: &Connection, name: &str) -> Result<Option<PartyRow>> {
    Ok(TABLE.one(conn, "name = ?1", [name])?)
}

pub fn by_uscc(conn: &Connection, uscc: &str) -> Result<Option<PartyRow>> {
    Ok(TABLE.one(conn, "uscc = ?1", [uscc])?)
}

fn role_clause(w: &mut Where, role: Option<&str>) {
    match role {
        Some("supplier") => w.and("kind IN ('supplier', 'both')", []),
        Some("customer") => w.and("kind IN ('customer', 'both')", []),
        Some(other) if !other.is_empty() => w.and("kind = ?", [Value::Text(other.to_string())]),
        _ => {}
    }
}

pub fn list(conn: &Connection, filter: &PartyFilter) -> Result<(Vec<PartyRow>, u32)> {
    let mut w = Where::default();
    w.search(
        &filter.params.search,
        &["name", "uscc", "contact", "phone", "address"],
    );
    role_clause(&mut w, filter.role.as_deref());
    let order = order_by(
        &filter.params,
        &[
            ("name", "name"),
            ("kind", "kind"),
            ("uscc", "uscc"),
            ("contact", "contact"),
            ("updatedAt", "updated_at"),
        ],
        "name, id",
        "id",
    );
    Ok(TABLE.page(conn, &w, &order, &filter.params)?)
}

/// Every party playing `role`, by name: the autocomplete list of a form.
pub fn options(conn: &Connection, role: &str) -> Result<Vec<PartyRow>> {
    let filter = PartyFilter {
        params: ListParams::default(),
        role: Some(role.to_string()),
    };
    Ok(list(conn, &filter)?.0)
}
