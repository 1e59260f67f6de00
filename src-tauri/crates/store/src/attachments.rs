//! Files that back a record (inspection reports, certificates, photos). The file lives under the
//! data directory, named by its SHA-256; the row says whose it is and how to show it.

use rusqlite::{Connection, Row, params};

use crate::Result;

/// Which record an attachment documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Product(i64),
    Receipt(i64),
    Batch(i64),
    Shipment(i64),
}

impl Owner {
    fn column(self) -> (&'static str, i64) {
        match self {
            Owner::Product(id) => ("product_id", id),
            Owner::Receipt(id) => ("receipt_id", id),
            Owner::Batch(id) => ("batch_id", id),
            Owner::Shipment(id) => ("shipment_id", id),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttachment {
    /// `inspection-report`, `certificate`, `photo`, `delivery-note` or `other`.
    pub purpose: String,
    pub file_name: String,
    pub media_type: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentRow {
    pub id: i64,
    pub attachment: NewAttachment,
    pub created_at: String,
}

pub fn insert(conn: &Connection, owner: Owner, a: &NewAttachment) -> Result<i64> {
    let (column, id) = owner.column();
    conn.prepare_cached(&format!(
        "INSERT INTO attachment ({column}, purpose, file_name, media_type, sha256, size_bytes, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    ))?
    .execute(params![
        id,
        a.purpose,
        a.file_name,
        a.media_type,
        a.sha256,
        a.size_bytes,
        a.note
    ])?;
    Ok(conn.last_insert_rowid())
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<AttachmentRow> {
    Ok(AttachmentRow {
        id: row.get(0)?,
        attachment: NewAttachment {
            purpose: row.get(1)?,
            file_name: row.get(2)?,
            media_type: row.get(3)?,
            sha256: row.get(4)?,
            size_bytes: row.get(5)?,
            note: row.get(6)?,
        },
        created_at: row.get(7)?,
    })
}

pub fn of(conn: &Connection, owner: Owner) -> Result<Vec<AttachmentRow>> {
    let (column, id) = owner.column();
    let rows = conn
        .prepare_cached(&format!(
            "SELECT id, purpose, file_name, media_type, sha256, size_bytes, note, created_at
             FROM attachment WHERE {column} = ?1 ORDER BY id"
        ))?
        .query_map([id], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
