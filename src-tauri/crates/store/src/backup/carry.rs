//! What a restore carries forward from the database it replaces: the serial ledger.
//!
//! A backup is older than the database it replaces, so its ledger is behind: restored as it is,
//! `serial_series.next_seq` would go back and serials already printed on goods would be issued
//! again. Before the restored copy replaces the live database, every series of the live one is
//! raised in the copy to `max(live, restored)` (or added), and every allocation the copy lacks is
//! copied in with its random serials, so reprint, void and export of codes issued after the
//! backup keep working. An allocation needs its product and batch: when the copy lacks them
//! (created after the backup) they are copied too, without their `submitted_at` (the restored
//! outbox does not hold their accepted records; the next submission sends them again and the
//! platform answers `duplicate`).
//!
//! Rows are matched by what identifies them, not by id, since ids of a backup taken elsewhere may
//! differ: a series by `(scope, kind, pattern, fixed)`, an allocation by series, range and
//! creation time, a product by id and creation time, else GTIN, else name and model, a batch by
//! product and lot number. A copied row keeps its id when the restored database does not use it.

use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params};

use crate::Result;

/// A series the restore raised or added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarriedSeries {
    pub scope: String,
    pub kind: String,
    pub pattern: String,
    pub fixed: String,
    /// The next sequence number the restored file had (`None`: it lacked the series).
    pub restored: Option<i64>,
    /// The next sequence number it has now (the replaced database's).
    pub next_seq: i64,
}

/// What a restore carried forward into the restored database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Carried {
    pub series: Vec<CarriedSeries>,
    /// Ids (in the restored database) of the allocations copied in.
    pub allocations: Vec<i64>,
    /// How many serials those allocations hold.
    pub serials: i64,
    /// Random serial rows copied with them.
    pub random_serials: u64,
    /// Products and batches copied because an allocation needs them.
    pub products: Vec<i64>,
    pub batches: Vec<i64>,
}

impl Carried {
    pub fn is_empty(&self) -> bool {
        self.series.is_empty() && self.allocations.is_empty()
    }

    /// The audit log's account of it.
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "series": self.series.iter().map(|s| serde_json::json!({
                "scope": s.scope, "kind": s.kind, "pattern": s.pattern, "fixed": s.fixed,
                "restored_next_seq": s.restored, "next_seq": s.next_seq,
            })).collect::<Vec<_>>(),
            "allocations": self.allocations,
            "serials": self.serials,
            "random_serials": self.random_serials,
            "products": self.products,
            "batches": self.batches,
        })
    }
}

/// Changes only grow the ledger (allocation ids never go back, `next_seq` never falls), so two
/// equal fingerprints taken before and after a read mean no allocation was committed in between.
pub(crate) fn fingerprint(conn: &Connection) -> Result<(i64, i64, i64)> {
    Ok(conn.query_row(
        "SELECT (SELECT COALESCE(max(id), 0) FROM serial_allocation),
                (SELECT count(*) FROM serial_series),
                (SELECT COALESCE(sum(next_seq), 0) FROM serial_series)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?)
}

/// Carries the ledger of `live` into `to` (the restored copy, inside the caller's transaction).
pub(crate) fn carry_forward(live: &Connection, to: &Connection) -> Result<Carried> {
    let mut c = Carrier {
        live,
        to,
        series: HashMap::new(),
        products: HashMap::new(),
        batches: HashMap::new(),
        carried: Carried::default(),
    };
    c.all_series()?;
    c.allocations()?;
    Ok(c.carried)
}

struct Carrier<'a> {
    live: &'a Connection,
    to: &'a Connection,
    /// Live id → id in `to`.
    series: HashMap<i64, i64>,
    products: HashMap<i64, i64>,
    batches: HashMap<i64, i64>,
    carried: Carried,
}

impl Carrier<'_> {
    fn all_series(&mut self) -> Result<()> {
        let rows = self
            .live
            .prepare("SELECT id, scope, kind, pattern, fixed, next_seq, created_at FROM serial_series ORDER BY id")?
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, String>(6)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (id, scope, kind, pattern, fixed, next_seq, created_at) in rows {
            let scope = self.scope(&scope)?;
            let existing: Option<(i64, i64)> = self
                .to
                .prepare_cached(
                    "SELECT id, next_seq FROM serial_series
                     WHERE scope = ?1 AND kind = ?2 AND pattern = ?3 AND fixed = ?4",
                )?
                .query_row(params![scope, kind, pattern, fixed], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            let (to_id, restored) = match existing {
                Some((to_id, restored)) if restored >= next_seq => {
                    self.series.insert(id, to_id);
                    continue;
                }
                Some((to_id, restored)) => {
                    self.to.execute(
                        "UPDATE serial_series SET next_seq = ?2,
                             updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1",
                        params![to_id, next_seq],
                    )?;
                    (to_id, Some(restored))
                }
                None => {
                    self.to.execute(
                        "INSERT INTO serial_series (scope, kind, pattern, fixed, next_seq, created_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        params![scope, kind, pattern, fixed, next_seq, created_at],
                    )?;
                    (self.to.last_insert_rowid(), None)
                }
            };
            self.series.insert(id, to_id);
            self.carried.series.push(CarriedSeries {
                scope,
                kind,
                pattern,
                fixed,
                restored,
                next_seq,
            });
        }
        Ok(())
    }

    /// A series scope in `to`: `product:<id>` names the product by its id there.
    fn scope(&mut self, scope: &str) -> Result<String> {
        let Some(id) = scope
            .strip_prefix("product:")
            .and_then(|id| id.parse::<i64>().ok())
        else {
            return Ok(scope.to_string());
        };
        let exists: bool = self.live.query_row(
            "SELECT EXISTS (SELECT 1 FROM product WHERE id = ?1)",
            [id],
            |r| r.get(0),
        )?;
        if !exists {
            return Ok(scope.to_string());
        }
        Ok(format!("product:{}", self.product(id)?))
    }

    fn allocations(&mut self) -> Result<()> {
        #[allow(clippy::type_complexity)]
        let rows: Vec<(i64, i64, i64, Option<i64>, i64, i64, String)> = self
            .live
            .prepare(
                "SELECT id, series_id, product_id, batch_id, first_seq, count, created_at
                 FROM serial_allocation ORDER BY id",
            )?
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (id, series_id, product_id, batch_id, first_seq, count, created_at) in rows {
            let Some(&series) = self.series.get(&series_id) else {
                continue;
            };
            let present: bool = self
                .to
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM serial_allocation WHERE series_id = ?1
                         AND first_seq = ?2 AND count = ?3 AND created_at = ?4)",
                )?
                .query_row(params![series, first_seq, count, created_at], |r| r.get(0))?;
            if present {
                continue;
            }
            let product = self.product(product_id)?;
            let batch = match batch_id {
                Some(b) => Some(self.batch(b, product)?),
                None => None,
            };
            let to_id = copy_row(
                self.live,
                self.to,
                "serial_allocation",
                "id",
                id,
                &[
                    ("series_id", Value::Integer(series)),
                    ("product_id", Value::Integer(product)),
                    ("batch_id", batch.map_or(Value::Null, Value::Integer)),
                ],
            )?;
            self.carried.allocations.push(to_id);
            self.carried.serials += count;
            self.carried.random_serials += self.random_serials(series_id, id, series, to_id)?;
        }
        Ok(())
    }

    /// Copies the random serials of live allocation `id` to allocation `to_id` of series
    /// `to_series`. A serial the series already holds stays where it is (it is taken either way).
    fn random_serials(&self, series_id: i64, id: i64, to_series: i64, to_id: i64) -> Result<u64> {
        let mut read = self.live.prepare(
            "SELECT serial FROM random_serial WHERE series_id = ?1 AND allocation_id = ?2",
        )?;
        let mut rows = read.query(params![series_id, id])?;
        let mut write = self.to.prepare_cached(
            "INSERT OR IGNORE INTO random_serial (series_id, serial, allocation_id) VALUES (?1, ?2, ?3)",
        )?;
        let mut n = 0;
        while let Some(r) = rows.next()? {
            let serial: String = r.get(0)?;
            n += write.execute(params![to_series, serial, to_id])? as u64;
        }
        Ok(n)
    }

    /// The id in `to` of live product `id`, copying the product (and its coding settings) when
    /// `to` lacks it.
    fn product(&mut self, id: i64) -> Result<i64> {
        if let Some(&to_id) = self.products.get(&id) {
            return Ok(to_id);
        }
        let (name, model, gtin, created_at): (String, String, Option<String>, String) =
            self.live.query_row(
                "SELECT name, model, gtin, created_at FROM product WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )?;
        let (to_id, copied) = self.found_or_copied(
            "SELECT id FROM product
             WHERE (id = ?1 AND created_at = ?4) OR (?3 IS NOT NULL AND gtin = ?3)
                OR (name = ?2 AND model = ?5)
             ORDER BY (id = ?1 AND created_at = ?4) DESC, (gtin IS ?3) DESC, id LIMIT 1",
            params![id, name, gtin, created_at, model],
            "product",
            id,
            &[("submitted_at", Value::Null)],
        )?;
        if copied {
            let has_coding: bool = self.live.query_row(
                "SELECT EXISTS (SELECT 1 FROM product_coding WHERE product_id = ?1)",
                [id],
                |r| r.get(0),
            )?;
            if has_coding {
                copy_row(
                    self.live,
                    self.to,
                    "product_coding",
                    "product_id",
                    id,
                    &[("product_id", Value::Integer(to_id))],
                )?;
            }
            self.carried.products.push(to_id);
        }
        self.products.insert(id, to_id);
        Ok(to_id)
    }

    /// The id in `to` of live batch `id` (of product `product` there), copying it when `to`
    /// lacks it.
    fn batch(&mut self, id: i64, product: i64) -> Result<i64> {
        if let Some(&to_id) = self.batches.get(&id) {
            return Ok(to_id);
        }
        let lot_no: String =
            self.live
                .query_row("SELECT lot_no FROM batch WHERE id = ?1", [id], |r| r.get(0))?;
        let (to_id, copied) = self.found_or_copied(
            "SELECT id FROM batch WHERE product_id = ?1 AND lot_no = ?2",
            params![product, lot_no],
            "batch",
            id,
            &[
                ("product_id", Value::Integer(product)),
                ("submitted_at", Value::Null),
            ],
        )?;
        if copied {
            self.carried.batches.push(to_id);
        }
        self.batches.insert(id, to_id);
        Ok(to_id)
    }

    /// The id of the row of `to` that `find` selects, else of a copy of live `table` row `id`
    /// with `overrides` (see [`copy_row`]); `true` when it was copied.
    fn found_or_copied(
        &self,
        find: &str,
        params: impl rusqlite::Params,
        table: &str,
        id: i64,
        overrides: &[(&str, Value)],
    ) -> Result<(i64, bool)> {
        let found: Option<i64> = self.to.query_row(find, params, |r| r.get(0)).optional()?;
        Ok(match found {
            Some(to_id) => (to_id, false),
            None => (
                copy_row(self.live, self.to, table, "id", id, overrides)?,
                true,
            ),
        })
    }
}

/// The columns of `table`.
fn columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    Ok(conn
        .prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?
        .query_map([table], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Copies the row of `table` whose `key_col` is `key` from `live` into `to`, with `overrides`
/// replacing columns; an `id` key is kept when `to` does not use it, else `to` picks one.
/// Returns the new row's rowid. Every column both schemas have is copied, so columns added by
/// later migrations come along without this code naming them.
fn copy_row(
    live: &Connection,
    to: &Connection,
    table: &str,
    key_col: &str,
    key: i64,
    overrides: &[(&str, Value)],
) -> Result<i64> {
    let theirs = columns(live, table)?;
    let cols: Vec<String> = columns(to, table)?
        .into_iter()
        .filter(|c| theirs.contains(c))
        .collect();
    let list = cols
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let mut values: Vec<Value> = live.query_row(
        &format!("SELECT {list} FROM \"{table}\" WHERE \"{key_col}\" = ?1"),
        [key],
        |r| (0..cols.len()).map(|i| r.get::<_, Value>(i)).collect(),
    )?;
    for (name, value) in overrides {
        if let Some(i) = cols.iter().position(|c| c == name) {
            values[i] = value.clone();
        }
    }
    if key_col == "id"
        && let Some(i) = cols.iter().position(|c| c == "id")
    {
        let taken: bool = to.query_row(
            &format!("SELECT EXISTS (SELECT 1 FROM \"{table}\" WHERE id = ?1)"),
            [key],
            |r| r.get(0),
        )?;
        if taken {
            values[i] = Value::Null;
        }
    }
    let marks = vec!["?"; cols.len()].join(", ");
    to.execute(
        &format!("INSERT INTO \"{table}\" ({list}) VALUES ({marks})"),
        rusqlite::params_from_iter(values),
    )?;
    Ok(to.last_insert_rowid())
}
