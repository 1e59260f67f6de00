//! Whether a record may still be edited in place.
//!
//! A record that has been submitted (报送) to the platform must not change silently: a change
//! goes to the platform as a correction instead. The submission feature owns that state. Until
//! it adds a `submitted_at` column to a record table, no record of that table counts as
//! submitted; once the column exists, a non-NULL value makes the record read-only, with no
//! change needed here or in the entry code that calls [`submitted_at`].

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};

use crate::Result;

/// The record tables entry may edit.
const TABLES: &[&str] = &["receipt", "batch", "shipment", "product", "party"];

/// When record `id` of `table` was submitted, if it was. Unknown tables count as never submitted.
pub fn submitted_at(conn: &Connection, table: &str, id: i64) -> Result<Option<String>> {
    if !TABLES.contains(&table) {
        return Ok(None);
    }
    let has_column: i64 = conn
        .prepare_cached("SELECT count(*) FROM pragma_table_info(?1) WHERE name = 'submitted_at'")?
        .query_row([table], |r| r.get(0))?;
    if has_column == 0 {
        return Ok(None);
    }
    // Whatever type the submission feature chooses for the column (text time stamp, integer), any
    // value but NULL means "submitted".
    let value: Option<Value> = conn
        .prepare_cached(&format!("SELECT submitted_at FROM {table} WHERE id = ?1"))?
        .query_row([id], |r| r.get(0))
        .optional()?;
    Ok(match value {
        None | Some(Value::Null) => None,
        Some(Value::Text(t)) => Some(t),
        Some(Value::Integer(i)) => Some(i.to_string()),
        Some(Value::Real(r)) => Some(r.to_string()),
        Some(Value::Blob(_)) => Some(String::new()),
    })
}
