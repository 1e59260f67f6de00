//! Key-value application settings. The store keeps the text; what it means (usually JSON) is the
//! app layer's business.

use rusqlite::OptionalExtension;

use crate::{Db, Result};

impl Db {
    /// The value stored under `key`, if any.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        let value = self
            .conn
            .prepare_cached("SELECT value FROM setting WHERE key = ?1")?
            .query_row([key], |row| row.get(0))
            .optional()?;
        Ok(value)
    }

    /// Every setting as `(key, value)`, by key.
    pub fn settings(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key, value FROM setting ORDER BY key")?;
        let rows = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Stores `value` under `key`, replacing any earlier value.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.write(|tx| {
            tx.prepare_cached(
                "INSERT INTO setting (key, value, updated_at)
                 VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            )?
            .execute([key, value])?;
            Ok(())
        })
    }

    /// Removes `key`; returns whether it was there.
    pub fn delete_setting(&mut self, key: &str) -> Result<bool> {
        self.write(|tx| {
            Ok(tx
                .prepare_cached("DELETE FROM setting WHERE key = ?1")?
                .execute([key])?
                > 0)
        })
    }
}
