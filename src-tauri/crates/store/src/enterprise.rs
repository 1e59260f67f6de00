//! Our own company's profile: the single `enterprise` row.

use rusqlite::OptionalExtension;

use crate::{Db, Result};

/// The `enterprise` row as the app reads and writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnterpriseRow {
    pub name: String,
    /// 统一社会信用代码, as the user typed it.
    pub uscc: String,
    pub address: String,
    pub contact: String,
    pub phone: String,
    /// 生产许可证编号, as kept by the app (shape checked there, only warned about).
    pub licence_no: String,
    /// 生产地址, when it differs from the registered `address`.
    pub production_address: String,
    /// When the profile was last saved. The caller supplies it (the app owns its clock); an empty
    /// string lets the store stamp the current time instead.
    pub updated_at: String,
}

impl Db {
    /// The enterprise profile, or `None` before the first-run wizard has saved one.
    pub fn enterprise(&self) -> Result<Option<EnterpriseRow>> {
        let row = self
            .conn
            .prepare_cached("SELECT name, uscc, address, contact, phone, updated_at, licence_no, production_address
                 FROM enterprise WHERE id = 1")?
            .query_row([], |row| {
                Ok(EnterpriseRow {
                    name: row.get(0)?,
                    uscc: row.get(1)?,
                    address: row.get(2)?,
                    contact: row.get(3)?,
                    phone: row.get(4)?,
                    updated_at: row.get(5)?,
                    licence_no: row.get(6)?,
                    production_address: row.get(7)?,
                })
            })
            .optional()?;
        Ok(row)
    }

    /// Creates or replaces the enterprise profile in one transaction. `created_at` is set on the
    /// first save and kept afterwards.
    pub fn save_enterprise(&mut self, row: &EnterpriseRow) -> Result<()> {
        self.write(|tx| {
            tx.prepare_cached(
                "INSERT INTO enterprise (id, name, uscc, address, contact, phone, updated_at, licence_no,
                                         production_address)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5,
                         COALESCE(NULLIF(?6, ''), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), ?7, ?8)
                 ON CONFLICT (id) DO UPDATE SET
                     name = excluded.name, uscc = excluded.uscc, address = excluded.address,
                     contact = excluded.contact, phone = excluded.phone, updated_at = excluded.updated_at,
                     licence_no = excluded.licence_no, production_address = excluded.production_address",
            )?
            .execute((
                &row.name,
                &row.uscc,
                &row.address,
                &row.contact,
                &row.phone,
                &row.updated_at,
                &row.licence_no,
                &row.production_address,
            ))?;
            Ok(())
        })
    }
}
