//! [`Db::transact`]: a write transaction whose closure may fail with the caller's own error type.

use rusqlite::{Transaction, TransactionBehavior};

use crate::{Db, Error, audit};

impl Db {
    /// Like [`Db::write`], but `f` returns the caller's error type, so a use-case can refuse
    /// half-way (a record that may no longer be edited, a rule checked against what the
    /// transaction sees) with its own error and have everything rolled back.
    pub fn transact<T, E: From<Error>>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(Error::from)?;
        audit::write_actor(&tx, &self.actor)?;
        let value = f(&tx)?;
        tx.commit().map_err(Error::from)?;
        Ok(value)
    }
}
