//! 赋码: the coding settings of products, the serial ledger of 一物一码, the trace codes and items
//! that coding issues, and the void / reprint log (migration 0004).
//!
//! The ledger keeps ranges, not codes: a series (`serial_series`) is one stream of serials in one
//! scope (a GTIN, or a product for the schemes without one), and every allocation
//! (`serial_allocation`) is a committed range of it. The app writes the allocation with
//! [`Db::write_durable`] before a single code leaves the program, so a crash after the commit can
//! only waste serials, never issue one twice.
//!
//! Random serials come in two kinds of series. A keyed series (migration 0009, `kind` reads
//! `keyed` here) has a secret key in `serial_series_key`; its serials are a keyed permutation of
//! the sequence number (`codes::serial::keyed`), so its allocations are ranges like sequential
//! ones. A random series created before that keeps one row per drawn serial in `random_serial`,
//! whose primary key refuses a repeat; it is still read (export, check, void, submission) and
//! still issues the old way, since drawn and computed serials must never mix in one series.
//!
//! This module knows nothing of patterns or GS1: the app renders serials and codes.

use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use crate::{Db, Error, Result};

// ---------------------------------------------------------------------------------------------
// Durable writes

impl Db {
    /// Like [`Db::transact`], with the commit forced to disk: `synchronous = FULL` for this
    /// transaction, so not even a power cut right after it returns can lose it. Used for the
    /// serial ledger, whose commit must be durable before codes are handed out. The connection
    /// goes back to `NORMAL` afterwards, whatever happened.
    pub fn write_durable<T, E: From<Error>>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        self.conn()
            .pragma_update(None, "synchronous", "FULL")
            .map_err(Error::from)?;
        let result = self.transact(f);
        let reset = self
            .conn()
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(Error::from);
        let value = result?;
        reset?;
        Ok(value)
    }
}

// ---------------------------------------------------------------------------------------------
// Coding settings of a product

/// A `product_coding` row. Strings use the vocabulary of the CHECK constraints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductCodingRow {
    pub product_id: i64,
    /// `element-string` or `digital-link`.
    pub code_form: String,
    pub dl_stem: String,
    /// `sequential` or `random`.
    pub serial_mode: String,
    pub serial_pattern: String,
    pub random_length: u32,
    pub item_with_lot: bool,
    pub with_production_date: bool,
    pub shelf_life_days: Option<u32>,
}

impl ProductCodingRow {
    /// The settings of a product that has no row: the column defaults of migration 0004.
    pub fn defaults(product_id: i64) -> ProductCodingRow {
        ProductCodingRow {
            product_id,
            code_form: "element-string".into(),
            dl_stem: "https://id.gs1.org".into(),
            serial_mode: "sequential".into(),
            serial_pattern: "{seq:08}".into(),
            random_length: 12,
            item_with_lot: true,
            with_production_date: false,
            shelf_life_days: None,
        }
    }
}

/// The coding settings of `product_id`, or the defaults when it has none saved.
pub fn product_coding(conn: &Connection, product_id: i64) -> Result<ProductCodingRow> {
    let row = conn
        .prepare_cached(
            "SELECT product_id, code_form, dl_stem, serial_mode, serial_pattern, random_length,
                    item_with_lot, with_production_date, shelf_life_days
             FROM product_coding WHERE product_id = ?1",
        )?
        .query_row([product_id], |r| {
            Ok(ProductCodingRow {
                product_id: r.get(0)?,
                code_form: r.get(1)?,
                dl_stem: r.get(2)?,
                serial_mode: r.get(3)?,
                serial_pattern: r.get(4)?,
                random_length: r.get(5)?,
                item_with_lot: r.get(6)?,
                with_production_date: r.get(7)?,
                shelf_life_days: r.get(8)?,
            })
        })
        .optional()?;
    Ok(row.unwrap_or_else(|| ProductCodingRow::defaults(product_id)))
}

/// Inserts or replaces the coding settings of a product.
pub fn save_product_coding(conn: &Connection, row: &ProductCodingRow) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO product_coding (product_id, code_form, dl_stem, serial_mode, serial_pattern,
             random_length, item_with_lot, with_production_date, shelf_life_days)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (product_id) DO UPDATE SET code_form = excluded.code_form,
             dl_stem = excluded.dl_stem, serial_mode = excluded.serial_mode,
             serial_pattern = excluded.serial_pattern, random_length = excluded.random_length,
             item_with_lot = excluded.item_with_lot,
             with_production_date = excluded.with_production_date,
             shelf_life_days = excluded.shelf_life_days,
             updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
    )?
    .execute(params![
        row.product_id,
        row.code_form,
        row.dl_stem,
        row.serial_mode,
        row.serial_pattern,
        row.random_length,
        row.item_with_lot,
        row.with_production_date,
        row.shelf_life_days
    ])?;
    Ok(())
}

/// Whether the product has codes: trace codes, ledger ranges, or serialised items. Such a
/// product keeps its scheme and granularity (the trigger of migration 0004 enforces it).
pub fn has_codes(conn: &Connection, product_id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM trace_code WHERE product_id = ?1)
                 OR EXISTS (SELECT 1 FROM serial_allocation WHERE product_id = ?1)
                 OR EXISTS (SELECT 1 FROM item i JOIN batch b ON b.id = i.batch_id
                            WHERE b.product_id = ?1)",
        )?
        .query_row([product_id], |r| r.get(0))?)
}

/// How many codes the product has: serials in the ledger plus the trace codes outside it (GS1
/// item codes are materialised ledger serials, so they are not counted twice).
pub fn issued_count(conn: &Connection, product_id: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT (SELECT COALESCE(sum(count), 0) FROM serial_allocation WHERE product_id = ?1)
                  + (SELECT count(*) FROM trace_code WHERE product_id = ?1
                     AND NOT (scheme = 'gs1' AND granularity = 'item'))",
        )?
        .query_row([product_id], |r| r.get(0))?)
}

// ---------------------------------------------------------------------------------------------
// Series and allocations

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesRow {
    pub id: i64,
    pub scope: String,
    /// `sequential`, `keyed` (random serials computed from the sequence number under the
    /// series key) or `random` (drawn serials stored one by one, series made before version 9).
    pub kind: String,
    pub pattern: String,
    pub fixed: String,
    pub next_seq: i64,
}

fn series_from_row(r: &Row<'_>) -> rusqlite::Result<SeriesRow> {
    Ok(SeriesRow {
        id: r.get(0)?,
        scope: r.get(1)?,
        kind: r.get(2)?,
        pattern: r.get(3)?,
        fixed: r.get(4)?,
        next_seq: r.get(5)?,
    })
}

/// The series' kind as [`SeriesRow::kind`] names it: the stored kind, or `keyed` for a random
/// series with a key. `s` is the `serial_series` row.
const SERIES_KIND: &str = "CASE WHEN s.kind = 'random' AND EXISTS
    (SELECT 1 FROM serial_series_key k WHERE k.series_id = s.id) THEN 'keyed' ELSE s.kind END";

/// Every series of `scope`, oldest first.
pub fn series_in_scope(conn: &Connection, scope: &str) -> Result<Vec<SeriesRow>> {
    let sql = format!(
        "SELECT s.id, s.scope, {SERIES_KIND}, s.pattern, s.fixed, s.next_seq FROM serial_series s
         WHERE s.scope = ?1 ORDER BY s.id"
    );
    let rows = conn
        .prepare_cached(&sql)?
        .query_map([scope], series_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The series `(scope, kind, pattern, fixed)`, created with `next_seq = start` if it is new.
pub fn series_for(
    conn: &Connection,
    scope: &str,
    kind: &str,
    pattern: &str,
    fixed: &str,
    start: i64,
) -> Result<SeriesRow> {
    conn.prepare_cached(
        "INSERT INTO serial_series (scope, kind, pattern, fixed, next_seq) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (scope, kind, pattern, fixed) DO NOTHING",
    )?
    .execute(params![scope, kind, pattern, fixed, start])?;
    let sql = format!(
        "SELECT s.id, s.scope, {SERIES_KIND}, s.pattern, s.fixed, s.next_seq FROM serial_series s
         WHERE s.scope = ?1 AND s.kind = ?2 AND s.pattern = ?3 AND s.fixed = ?4"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![scope, kind, pattern, fixed], series_from_row)?)
}

/// Gives random series `series_id` its key, if it has issued nothing and has none yet; true when
/// the key went in. From then on the series is `keyed`: its serials are computed from the
/// sequence number under this key and its allocations are ranges. The migration's trigger refuses
/// a key for a series that has issued serials, so drawn and computed serials never mix.
pub fn key_new_series(conn: &Connection, series_id: i64, key: &[u8; 32]) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "INSERT INTO serial_series_key (series_id, key)
             SELECT ?1, ?2 WHERE NOT EXISTS (SELECT 1 FROM serial_allocation WHERE series_id = ?1)
                             AND NOT EXISTS (SELECT 1 FROM serial_series_key WHERE series_id = ?1)",
        )?
        .execute(params![series_id, &key[..]])?;
    Ok(n == 1)
}

/// The key of a keyed series (`None` for any other series).
pub fn series_key(conn: &Connection, series_id: i64) -> Result<Option<[u8; 32]>> {
    let key: Option<Vec<u8>> = conn
        .prepare_cached("SELECT key FROM serial_series_key WHERE series_id = ?1")?
        .query_row([series_id], |r| r.get(0))
        .optional()?;
    Ok(key.and_then(|k| <[u8; 32]>::try_from(k.as_slice()).ok()))
}

/// What to allocate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAllocation<'a> {
    pub series_id: i64,
    pub product_id: i64,
    pub batch_id: Option<i64>,
    /// ISO date the pattern's date placeholders were rendered with.
    pub pattern_date: Option<&'a str>,
    pub count: i64,
    pub code_form: &'a str,
    pub actor: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocationRow {
    pub id: i64,
    pub series_id: i64,
    pub scope: String,
    /// `sequential`, `keyed` or `random` (the series' kind, see [`SeriesRow::kind`]).
    pub kind: String,
    pub pattern: String,
    /// The series' rendering of sequence number 0.
    pub fixed: String,
    pub product_id: i64,
    pub batch_id: Option<i64>,
    pub lot_no: Option<String>,
    pub pattern_date: Option<String>,
    pub first_seq: i64,
    pub count: i64,
    pub code_form: String,
    /// `allocated`, `exported` or `cancelled`.
    pub state: String,
    pub exported_to: Option<String>,
    pub actor: String,
    pub created_at: String,
}

const ALLOCATION_COLUMNS: &str =
    "a.id, a.series_id, s.scope, CASE WHEN s.kind = 'random' AND EXISTS
        (SELECT 1 FROM serial_series_key k WHERE k.series_id = s.id) THEN 'keyed' ELSE s.kind END,
    s.pattern, s.fixed, a.product_id,
    a.batch_id, b.lot_no, a.pattern_date, a.first_seq, a.count, a.code_form, a.state,
    a.exported_to, a.actor, a.created_at";
const ALLOCATION_FROM: &str = "FROM serial_allocation a JOIN serial_series s ON s.id = a.series_id
    LEFT JOIN batch b ON b.id = a.batch_id";

fn allocation_from_row(r: &Row<'_>) -> rusqlite::Result<AllocationRow> {
    Ok(AllocationRow {
        id: r.get(0)?,
        series_id: r.get(1)?,
        scope: r.get(2)?,
        kind: r.get(3)?,
        pattern: r.get(4)?,
        fixed: r.get(5)?,
        product_id: r.get(6)?,
        batch_id: r.get(7)?,
        lot_no: r.get(8)?,
        pattern_date: r.get(9)?,
        first_seq: r.get(10)?,
        count: r.get(11)?,
        code_form: r.get(12)?,
        state: r.get(13)?,
        exported_to: r.get(14)?,
        actor: r.get(15)?,
        created_at: r.get(16)?,
    })
}

/// Reserves `count` serials of series `series_id`: a sequential or keyed series hands out the
/// range `next_seq .. next_seq + count` and moves on; an old (unkeyed) random series records an
/// allocation whose serials the caller then adds with [`insert_random_serials`]. Call it inside
/// one transaction with whatever else must be atomic with it; make the commit durable
/// ([`Db::write_durable`]).
pub fn allocate(conn: &Connection, new: &NewAllocation<'_>) -> Result<AllocationRow> {
    let sql = format!("SELECT {SERIES_KIND}, s.next_seq FROM serial_series s WHERE s.id = ?1");
    let (kind, next_seq): (String, i64) = conn
        .prepare_cached(&sql)?
        .query_row([new.series_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let ranged = kind != "random";
    let first_seq = if ranged { next_seq } else { 0 };
    conn.prepare_cached(
        "INSERT INTO serial_allocation (series_id, product_id, batch_id, pattern_date, first_seq,
             count, code_form, actor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        new.series_id,
        new.product_id,
        new.batch_id,
        new.pattern_date,
        first_seq,
        new.count,
        new.code_form,
        new.actor
    ])?;
    let id = conn.last_insert_rowid();
    if ranged {
        conn.prepare_cached(
            "UPDATE serial_series SET next_seq = ?2,
                 updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1",
        )?
        .execute(params![new.series_id, next_seq + new.count])?;
    }
    Ok(allocation(conn, id)?.expect("the allocation was just inserted"))
}

/// Adds random serials to allocation `allocation_id` of series `series_id` until `count` are in,
/// drawing candidates from `next`. A candidate the series already holds is skipped (the primary
/// key refuses it) and another is drawn. Returns how many went in: fewer than `count` only when
/// `next` runs dry (returns `None`) or 1,000 candidates drawn in a row added none, which means the
/// serial space is nearly full.
///
/// Candidates are drawn in rounds of up to [`RANDOM_ROUND`] and inserted in sorted order: random
/// keys inserted one by one land on a random page of the growing index each time, so a million of
/// them read and rewrite pages all over the file; a sorted round walks the index once.
pub fn insert_random_serials(
    conn: &Connection,
    series_id: i64,
    allocation_id: i64,
    count: u64,
    mut next: impl FnMut() -> Option<String>,
) -> Result<u64> {
    // Like `Db::bulk_write`, scoped to these inserts: one JSON audit row per serial would double
    // the ledger, and the allocation row (always audited) already says how many there are. The
    // flag is part of the caller's transaction, so a failure rolls it back with the serials.
    conn.execute("UPDATE audit_context SET bulk = 1 WHERE id = 1", [])?;
    let inserted = insert_rounds(conn, series_id, allocation_id, count, &mut next)?;
    conn.execute("UPDATE audit_context SET bulk = 0 WHERE id = 1", [])?;
    Ok(inserted)
}

/// Random serial candidates drawn per sorted round of [`insert_random_serials`] (a few MiB).
pub const RANDOM_ROUND: usize = 1 << 18;

fn insert_rounds(
    conn: &Connection,
    series_id: i64,
    allocation_id: i64,
    count: u64,
    next: &mut impl FnMut() -> Option<String>,
) -> Result<u64> {
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO random_serial (series_id, serial, allocation_id) VALUES (?1, ?2, ?3)",
    )?;
    let mut inserted = 0u64;
    let mut fruitless = 0usize;
    let mut round: Vec<String> = Vec::new();
    while inserted < count && fruitless < 1000 {
        let want = usize::try_from(count - inserted).unwrap_or(usize::MAX);
        round.clear();
        let mut dry = false;
        while round.len() < want.min(RANDOM_ROUND) {
            match next() {
                Some(serial) => round.push(serial),
                None => {
                    dry = true;
                    break;
                }
            }
        }
        let drawn = round.len();
        round.sort_unstable();
        round.dedup();
        let mut added = 0u64;
        for serial in &round {
            added += stmt.execute(params![series_id, serial, allocation_id])? as u64;
        }
        inserted += added;
        fruitless = if added == 0 { fruitless + drawn } else { 0 };
        if dry {
            break;
        }
    }
    Ok(inserted)
}

/// Marks what became of an allocation's export; the range itself never changes.
pub fn set_allocation_state(
    conn: &Connection,
    id: i64,
    state: &str,
    exported_to: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE serial_allocation SET state = ?2, exported_to = COALESCE(?3, exported_to),
             updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1",
    )?
    .execute(params![id, state, exported_to])?;
    Ok(())
}

pub fn allocation(conn: &Connection, id: i64) -> Result<Option<AllocationRow>> {
    let sql = format!("SELECT {ALLOCATION_COLUMNS} {ALLOCATION_FROM} WHERE a.id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], allocation_from_row)
        .optional()?)
}

/// Allocations, newest first, of a product and/or a batch when given.
pub fn allocations(
    conn: &Connection,
    product_id: Option<i64>,
    batch_id: Option<i64>,
    limit: u32,
) -> Result<Vec<AllocationRow>> {
    let sql = format!(
        "SELECT {ALLOCATION_COLUMNS} {ALLOCATION_FROM}
         WHERE (?1 IS NULL OR a.product_id = ?1) AND (?2 IS NULL OR a.batch_id = ?2)
         ORDER BY a.id DESC LIMIT ?3"
    );
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(params![product_id, batch_id, limit], allocation_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The allocation of sequential or keyed series `series_id` whose range holds `seq`.
pub fn allocation_with_seq(
    conn: &Connection,
    series_id: i64,
    seq: i64,
) -> Result<Option<AllocationRow>> {
    // Ranges of one series never overlap, so the last range starting at or before `seq` is the
    // only candidate (and the index on (series_id, first_seq) finds it directly).
    let sql = format!(
        "SELECT {ALLOCATION_COLUMNS} {ALLOCATION_FROM}
         WHERE a.id = (SELECT id FROM serial_allocation WHERE series_id = ?1 AND first_seq <= ?2
                       ORDER BY first_seq DESC LIMIT 1)
           AND ?2 < a.first_seq + a.count"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![series_id, seq], allocation_from_row)
        .optional()?)
}

/// The allocation that issued random serial `serial` of series `series_id`.
pub fn allocation_with_random(
    conn: &Connection,
    series_id: i64,
    serial: &str,
) -> Result<Option<AllocationRow>> {
    let id: Option<i64> = conn
        .prepare_cached(
            "SELECT allocation_id FROM random_serial WHERE series_id = ?1 AND serial = ?2",
        )?
        .query_row(params![series_id, serial], |r| r.get(0))
        .optional()?;
    match id {
        Some(id) => allocation(conn, id),
        None => Ok(None),
    }
}

/// Calls `f` with every random serial of an allocation, in serial order.
pub fn each_random_serial<E: From<Error>>(
    conn: &Connection,
    allocation_id: i64,
    mut f: impl FnMut(&str) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    let series_id: i64 = conn
        .prepare_cached("SELECT series_id FROM serial_allocation WHERE id = ?1")
        .and_then(|mut s| s.query_row([allocation_id], |r| r.get(0)))
        .map_err(Error::from)?;
    let mut stmt = conn
        .prepare_cached(
            "SELECT serial FROM random_serial WHERE series_id = ?1 AND allocation_id = ?2
             ORDER BY serial",
        )
        .map_err(Error::from)?;
    let mut rows = stmt
        .query(params![series_id, allocation_id])
        .map_err(Error::from)?;
    while let Some(row) = rows.next().map_err(Error::from)? {
        let serial = row
            .get_ref(0)
            .and_then(|v| v.as_str().map_err(rusqlite::Error::from))
            .map_err(Error::from)?;
        f(serial)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Trace codes and items issued by coding

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceCodeRow {
    pub id: i64,
    pub code: String,
    pub scheme: String,
    pub granularity: String,
    pub product_id: i64,
    pub batch_id: Option<i64>,
    pub item_id: Option<i64>,
    pub status: String,
}

const TRACE_CODE_COLUMNS: &str =
    "id, code, scheme, granularity, product_id, batch_id, item_id, status";

fn trace_code_from_row(r: &Row<'_>) -> rusqlite::Result<TraceCodeRow> {
    Ok(TraceCodeRow {
        id: r.get(0)?,
        code: r.get(1)?,
        scheme: r.get(2)?,
        granularity: r.get(3)?,
        product_id: r.get(4)?,
        batch_id: r.get(5)?,
        item_id: r.get(6)?,
        status: r.get(7)?,
    })
}

pub fn trace_code_by_text(conn: &Connection, code: &str) -> Result<Option<TraceCodeRow>> {
    let sql = format!("SELECT {TRACE_CODE_COLUMNS} FROM trace_code WHERE code = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([code], trace_code_from_row)
        .optional()?)
}

/// The trace code of a product (`batch_id`, `item_id` both `None`), a batch, or an item.
pub fn trace_code_of(
    conn: &Connection,
    product_id: i64,
    batch_id: Option<i64>,
    item_id: Option<i64>,
) -> Result<Option<TraceCodeRow>> {
    let sql = format!(
        "SELECT {TRACE_CODE_COLUMNS} FROM trace_code
         WHERE product_id = ?1 AND batch_id IS ?2 AND item_id IS ?3 ORDER BY id LIMIT 1"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![product_id, batch_id, item_id], trace_code_from_row)
        .optional()?)
}

/// Calls `f` with the trace codes of a product's batch (or of the product itself when
/// `batch_id` is `None`), oldest first, at most `limit` of them.
pub fn each_trace_code<E: From<Error>>(
    conn: &Connection,
    product_id: i64,
    batch_id: Option<i64>,
    limit: u64,
    mut f: impl FnMut(&TraceCodeRow) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    let sql = format!(
        "SELECT {TRACE_CODE_COLUMNS} FROM trace_code
         WHERE product_id = ?1 AND batch_id IS ?2 AND status = 'active' ORDER BY id LIMIT ?3"
    );
    let mut stmt = conn.prepare_cached(&sql).map_err(Error::from)?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut rows = stmt
        .query(params![product_id, batch_id, limit])
        .map_err(Error::from)?;
    while let Some(row) = rows.next().map_err(Error::from)? {
        f(&trace_code_from_row(row).map_err(Error::from)?)?;
    }
    Ok(())
}

/// Active trace codes of a product's batch (or of the product when `batch_id` is `None`).
pub fn count_trace_codes(conn: &Connection, product_id: i64, batch_id: Option<i64>) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM trace_code WHERE product_id = ?1 AND batch_id IS ?2
             AND status = 'active'",
        )?
        .query_row(params![product_id, batch_id], |r| r.get(0))?)
}

/// What a new trace code row holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTraceCode<'a> {
    pub code: &'a str,
    pub scheme: &'a str,
    pub granularity: &'a str,
    pub product_id: i64,
    pub batch_id: Option<i64>,
    pub item_id: Option<i64>,
    pub status: &'a str,
}

pub fn insert_trace_code(conn: &Connection, new: &NewTraceCode<'_>) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO trace_code (code, scheme, granularity, product_id, batch_id, item_id, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        new.code,
        new.scheme,
        new.granularity,
        new.product_id,
        new.batch_id,
        new.item_id,
        new.status
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn set_trace_code_status(conn: &Connection, id: i64, status: &str) -> Result<()> {
    conn.prepare_cached("UPDATE trace_code SET status = ?2 WHERE id = ?1")?
        .execute(params![id, status])?;
    Ok(())
}

/// `(id, status)` of the item with `serial` in batch `batch_id`.
pub fn item_in_batch(
    conn: &Connection,
    batch_id: i64,
    serial: &str,
) -> Result<Option<(i64, String)>> {
    Ok(conn
        .prepare_cached("SELECT id, status FROM item WHERE batch_id = ?1 AND serial = ?2")?
        .query_row(params![batch_id, serial], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

pub fn insert_item(conn: &Connection, batch_id: i64, serial: &str, status: &str) -> Result<i64> {
    conn.prepare_cached("INSERT INTO item (batch_id, serial, status) VALUES (?1, ?2, ?3)")?
        .execute(params![batch_id, serial, status])?;
    Ok(conn.last_insert_rowid())
}

pub fn set_item_status(conn: &Connection, id: i64, status: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE item SET status = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE id = ?1",
    )?
    .execute(params![id, status])?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Void and reprint

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCodeEvent<'a> {
    /// `void` or `reprint`.
    pub kind: &'a str,
    pub code: &'a str,
    pub product_id: i64,
    pub batch_id: Option<i64>,
    pub item_id: Option<i64>,
    pub trace_code_id: Option<i64>,
    pub reason: &'a str,
    pub actor: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeEventRow {
    pub id: i64,
    pub kind: String,
    pub code: String,
    pub product_id: i64,
    pub product_name: String,
    pub batch_id: Option<i64>,
    pub lot_no: Option<String>,
    pub item_id: Option<i64>,
    pub trace_code_id: Option<i64>,
    pub reason: String,
    pub actor: String,
    pub at: String,
}

pub fn insert_code_event(conn: &Connection, new: &NewCodeEvent<'_>) -> Result<CodeEventRow> {
    conn.prepare_cached(
        "INSERT INTO code_event (kind, code, product_id, batch_id, item_id, trace_code_id, reason, actor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        new.kind,
        new.code,
        new.product_id,
        new.batch_id,
        new.item_id,
        new.trace_code_id,
        new.reason,
        new.actor
    ])?;
    let id = conn.last_insert_rowid();
    Ok(code_events(conn, Some(id), None, 1)?
        .pop()
        .expect("the event was just inserted"))
}

/// Void and reprint events, newest first: one by id, those of a product, or all.
pub fn code_events(
    conn: &Connection,
    id: Option<i64>,
    product_id: Option<i64>,
    limit: u32,
) -> Result<Vec<CodeEventRow>> {
    let rows = conn
        .prepare_cached(
            "SELECT e.id, e.kind, e.code, e.product_id, p.name, e.batch_id, b.lot_no, e.item_id,
                    e.trace_code_id, e.reason, e.actor, e.at
             FROM code_event e JOIN product p ON p.id = e.product_id
             LEFT JOIN batch b ON b.id = e.batch_id
             WHERE (?1 IS NULL OR e.id = ?1) AND (?2 IS NULL OR e.product_id = ?2)
             ORDER BY e.id DESC LIMIT ?3",
        )?
        .query_map(params![id, product_id, limit], |r| {
            Ok(CodeEventRow {
                id: r.get(0)?,
                kind: r.get(1)?,
                code: r.get(2)?,
                product_id: r.get(3)?,
                product_name: r.get(4)?,
                batch_id: r.get(5)?,
                lot_no: r.get(6)?,
                item_id: r.get(7)?,
                trace_code_id: r.get(8)?,
                reason: r.get(9)?,
                actor: r.get(10)?,
                at: r.get(11)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
