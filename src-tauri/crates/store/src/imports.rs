//! Spreadsheet imports: remembered column mappings (`import_mapping`, migration 0002), committed
//! runs and the records each created (`import_run`, `import_run_record`, migration 0005), undo,
//! and the few lookups and inserts an import needs that the entry queries do not offer.
//!
//! An import is written in one transaction with the bulk flag of 0003 on, so the record tables'
//! insert triggers skip their per-row JSON; [`audit_summary`] then writes one entry per table and
//! the `import_run` row (always audited) says what the import did. Undo deletes row by row through
//! the ordinary triggers, so every removed record is in the audit trail with its last values.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::Result;

/// The record tables an import creates rows in, in the order undo deletes them (children first).
pub const RUN_TABLES: &[&str] = &["shipment", "item", "batch", "receipt", "product", "party"];

/// Master data an undo keeps when later records use it (the run's own records are gone by then).
const KEPT_WHEN_USED: &[&str] = &["product", "party"];

// ---------------------------------------------------------------------------------------------
// Remembered mappings.

/// The mapping remembered for `kind` and a header `signature`, as the JSON the app wrote.
pub fn remembered_mapping(
    conn: &Connection,
    kind: &str,
    signature: &str,
) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT mapping FROM import_mapping WHERE kind = ?1 AND header_signature = ?2",
        )?
        .query_row(params![kind, signature], |r| r.get(0))
        .optional()?)
}

/// Remembers `mapping` (a JSON object) for `kind` and `signature`, replacing what was there and
/// counting the use.
pub fn remember_mapping(
    conn: &Connection,
    kind: &str,
    signature: &str,
    mapping: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO import_mapping (kind, header_signature, mapping, use_count, last_used_at)
         VALUES (?1, ?2, ?3, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
         ON CONFLICT (kind, header_signature) DO UPDATE SET
             mapping = excluded.mapping,
             use_count = use_count + 1,
             last_used_at = excluded.last_used_at,
             updated_at = excluded.last_used_at",
    )?
    .execute(params![kind, signature, mapping])?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Runs.

/// What a committed import did, as the app records it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewRun {
    pub kind: String,
    pub file_name: String,
    /// Lower-case hex.
    pub file_sha256: String,
    pub file_bytes: u64,
    pub sheet: String,
    pub header_row: Option<u32>,
    /// `all` or `valid-only`.
    pub mode: String,
    pub rows_total: u32,
    pub rows_imported: u32,
    pub rows_existing: u32,
    pub rows_skipped: u32,
    /// JSON object: table name -> records created.
    pub created: String,
    pub actor: String,
    pub duration_ms: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RunRow {
    pub id: i64,
    pub run: NewRun,
    /// `committed` or `undone`.
    pub status: String,
    pub undone_at: Option<String>,
    pub undone_by: Option<String>,
    pub created_at: String,
}

const RUN_COLUMNS: &str = "id, kind, file_name, file_sha256, file_bytes, sheet, header_row, mode,
    rows_total, rows_imported, rows_existing, rows_skipped, created, actor, duration_ms, status,
    undone_at, undone_by, created_at";

fn run_from_row(row: &Row<'_>) -> rusqlite::Result<RunRow> {
    Ok(RunRow {
        id: row.get(0)?,
        run: NewRun {
            kind: row.get(1)?,
            file_name: row.get(2)?,
            file_sha256: row.get(3)?,
            file_bytes: row.get::<_, i64>(4)?.max(0) as u64,
            sheet: row.get(5)?,
            header_row: row.get(6)?,
            mode: row.get(7)?,
            rows_total: row.get(8)?,
            rows_imported: row.get(9)?,
            rows_existing: row.get(10)?,
            rows_skipped: row.get(11)?,
            created: row.get(12)?,
            actor: row.get(13)?,
            duration_ms: row.get(14)?,
        },
        status: row.get(15)?,
        undone_at: row.get(16)?,
        undone_by: row.get(17)?,
        created_at: row.get(18)?,
    })
}

/// Records a committed import; returns its id.
pub fn insert_run(conn: &Connection, run: &NewRun) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO import_run (kind, file_name, file_sha256, file_bytes, sheet, header_row, mode,
             rows_total, rows_imported, rows_existing, rows_skipped, created, actor, duration_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        run.kind,
        run.file_name,
        run.file_sha256,
        run.file_bytes as i64,
        run.sheet,
        run.header_row,
        run.mode,
        run.rows_total,
        run.rows_imported,
        run.rows_existing,
        run.rows_skipped,
        run.created,
        run.actor,
        run.duration_ms
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Rows a multi-row `VALUES` statement takes at a time. SQLite allows 32,766 parameters per
/// statement; a few hundred rows per statement already make the per-statement cost negligible.
const CHUNK: usize = 256;

/// `INSERT … VALUES (…), (…), …` for `rows` rows of `columns` placeholders each.
fn values_sql(head: &str, columns: usize, rows: usize) -> String {
    let one = format!("({})", vec!["?"; columns].join(", "));
    format!("{head} VALUES {}", vec![one; rows].join(", "))
}

/// Runs `head VALUES (…), (…), …` with `values`, `columns` to a row; the SQL of a full chunk of
/// [`CHUNK`] rows is built once, into `full`.
fn execute_values(
    conn: &Connection,
    full: &std::sync::OnceLock<String>,
    head: &str,
    columns: usize,
    values: &[&dyn rusqlite::ToSql],
) -> Result<()> {
    let rows = values.len() / columns;
    let tail;
    let sql = if rows == CHUNK {
        full.get_or_init(|| values_sql(head, columns, CHUNK))
    } else {
        tail = values_sql(head, columns, rows);
        &tail
    };
    conn.prepare_cached(sql)?.execute(values)?;
    Ok(())
}

/// Links the records `ids` of `table` to run `run_id`.
pub fn link(conn: &Connection, run_id: i64, table: &str, ids: &[i64]) -> Result<()> {
    static FULL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    const HEAD: &str = "INSERT OR IGNORE INTO import_run_record (run_id, table_name, row_id)";
    for chunk in ids.chunks(CHUNK) {
        let mut values: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(chunk.len() * 3);
        for id in chunk {
            values.extend([&run_id as &dyn rusqlite::ToSql, &table, id]);
        }
        execute_values(conn, &FULL, HEAD, 3, &values)?;
    }
    Ok(())
}

pub fn get_run(conn: &Connection, id: i64) -> Result<Option<RunRow>> {
    let sql = format!("SELECT {RUN_COLUMNS} FROM import_run WHERE id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], run_from_row)
        .optional()?)
}

/// The newest `limit` runs, newest first.
pub fn list_runs(conn: &Connection, limit: u32) -> Result<Vec<RunRow>> {
    let sql = format!("SELECT {RUN_COLUMNS} FROM import_run ORDER BY id DESC LIMIT ?1");
    let rows = conn
        .prepare_cached(&sql)?
        .query_map([limit], run_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Committed (not undone) runs of the file with this SHA-256, newest first.
pub fn runs_of_file(conn: &Connection, sha256: &str) -> Result<Vec<RunRow>> {
    let sql = format!(
        "SELECT {RUN_COLUMNS} FROM import_run WHERE file_sha256 = ?1 AND status = 'committed'
         ORDER BY id DESC"
    );
    let rows = conn
        .prepare_cached(&sql)?
        .query_map([sha256], run_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// How many records of `table` run `run_id` created.
pub fn run_record_count(conn: &Connection, run_id: i64, table: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM import_run_record WHERE run_id = ?1 AND table_name = ?2",
        )?
        .query_row(params![run_id, table], |r| r.get(0))?)
}

/// The first table in which a record of run `run_id` has been submitted to the platform, with how
/// many. A table counts as submitted-aware once the submission feature gives it a `submitted_at`
/// column (see `edit_guard`); until then nothing of it is submitted.
pub fn submitted_records(conn: &Connection, run_id: i64) -> Result<Option<(String, i64)>> {
    for table in RUN_TABLES {
        let has_column: i64 = conn
            .prepare_cached(
                "SELECT count(*) FROM pragma_table_info(?1) WHERE name = 'submitted_at'",
            )?
            .query_row([table], |r| r.get(0))?;
        if has_column == 0 {
            continue;
        }
        let n: i64 = conn.query_row(
            &format!(
                "SELECT count(*) FROM import_run_record r JOIN {table} t ON t.id = r.row_id
                 WHERE r.run_id = ?1 AND r.table_name = ?2 AND t.submitted_at IS NOT NULL"
            ),
            params![run_id, table],
            |r| r.get(0),
        )?;
        if n > 0 {
            return Ok(Some(((*table).to_string(), n)));
        }
    }
    Ok(None)
}

/// What an undo removed and kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UndoCounts {
    /// (table, rows deleted), in deletion order.
    pub deleted: Vec<(String, i64)>,
    /// (table, rows kept because later records use them).
    pub kept: Vec<(String, i64)>,
}

/// Why an undo cannot go ahead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UndoRefusal {
    NotFound,
    AlreadyUndone {
        at: String,
    },
    Submitted {
        table: String,
        count: i64,
    },
    /// A record of the run is used by a record the run did not create (a later shipment of an
    /// imported batch, a trace code of an imported item…).
    InUse {
        table: String,
        detail: String,
    },
}

/// Deletes every record run `run_id` created (children first; a record that later records use
/// aborts the whole undo, except master data, which is kept) and marks the run undone by `actor`.
/// Must run inside a write transaction: on `Err` or `Ok(Err(_))` the caller rolls back.
pub fn undo_run(
    conn: &Connection,
    run_id: i64,
    actor: &str,
) -> Result<std::result::Result<UndoCounts, UndoRefusal>> {
    let Some(run) = get_run(conn, run_id)? else {
        return Ok(Err(UndoRefusal::NotFound));
    };
    if run.status == "undone" {
        return Ok(Err(UndoRefusal::AlreadyUndone {
            at: run.undone_at.unwrap_or_default(),
        }));
    }
    if let Some((table, count)) = submitted_records(conn, run_id)? {
        return Ok(Err(UndoRefusal::Submitted { table, count }));
    }
    let mut counts = UndoCounts::default();
    for table in RUN_TABLES {
        let ids: Vec<i64> = conn
            .prepare_cached(
                "SELECT row_id FROM import_run_record WHERE run_id = ?1 AND table_name = ?2
                 ORDER BY row_id DESC",
            )?
            .query_map(params![run_id, table], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if ids.is_empty() {
            continue;
        }
        let mut stmt = conn.prepare_cached(&format!("DELETE FROM {table} WHERE id = ?1"))?;
        let (mut deleted, mut kept) = (0i64, 0i64);
        for id in ids {
            // Deleting a record that another one points to fails at once (ON DELETE RESTRICT), and
            // the failed statement changes nothing, so the loop may go on or stop cleanly.
            match stmt.execute([id]) {
                Ok(n) => deleted += n as i64,
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    if KEPT_WHEN_USED.contains(table) {
                        kept += 1;
                    } else {
                        return Ok(Err(UndoRefusal::InUse {
                            table: (*table).to_string(),
                            detail: describe(conn, table, id)?,
                        }));
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
        counts.deleted.push(((*table).to_string(), deleted));
        if kept > 0 {
            counts.kept.push(((*table).to_string(), kept));
        }
    }
    conn.prepare_cached(
        "UPDATE import_run SET status = 'undone', undone_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
             undone_by = ?2
         WHERE id = ?1",
    )?
    .execute(params![run_id, actor])?;
    Ok(Ok(counts))
}

/// A short name of a record, for "in use" messages: a batch's lot, an item's serial….
fn describe(conn: &Connection, table: &str, id: i64) -> Result<String> {
    let sql = match table {
        "shipment" => "SELECT delivery_note_no FROM shipment WHERE id = ?1",
        "item" => "SELECT serial FROM item WHERE id = ?1",
        "batch" => "SELECT lot_no FROM batch WHERE id = ?1",
        "receipt" => "SELECT supplier_lot FROM receipt WHERE id = ?1",
        "product" => "SELECT name FROM product WHERE id = ?1",
        _ => "SELECT name FROM party WHERE id = ?1",
    };
    Ok(conn
        .prepare_cached(sql)?
        .query_row([id], |r| r.get::<_, String>(0))
        .optional()?
        .unwrap_or_else(|| format!("#{id}")))
}

// ---------------------------------------------------------------------------------------------
// The bulk flag and the summary audit entries.

/// Keeps SQLite's temporary files in memory (`on`) or where the build puts them (`off`). Every
/// insert into a table with triggers keeps a statement journal so a failing statement can be
/// undone alone; in a long import these journals would otherwise be written to a temporary file
/// and truncated again statement after statement. Takes effect for transactions begun after it;
/// call it outside a transaction.
pub fn temp_in_memory(conn: &Connection, on: bool) -> Result<()> {
    conn.pragma_update(None, "temp_store", if on { "MEMORY" } else { "DEFAULT" })?;
    Ok(())
}

/// Turns the per-row insert auditing of the record tables off (`true`) or on again. Only inside a
/// write transaction, which must turn it back on before committing (a rollback undoes it anyway).
pub fn set_bulk(conn: &Connection, on: bool) -> Result<()> {
    conn.prepare_cached("UPDATE audit_context SET bulk = ?1 WHERE id = 1")?
        .execute([on as i64])?;
    Ok(())
}

/// One audit entry standing for `rows` rows a bulk write added to `table`, in the form
/// `Db::bulk_write` uses: action `insert`, `row_id` 0, `{"bulk": true, "rows": N, "note": …}`.
pub fn audit_summary(conn: &Connection, table: &str, rows: i64, note: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
         VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), ?1, 0,
                 'insert', NULL, json_object('bulk', json('true'), 'rows', ?2, 'note', ?3))",
    )?
    .execute(params![table, rows, note])?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Lookups and inserts for the row planner.

/// The natural keys of one master-data row: (id, kind or name, name or model, USCC or GTIN).
pub type MasterKey = (i64, String, String, Option<String>);

/// Every party: (id, kind, name, uscc).
pub fn party_keys(conn: &Connection) -> Result<Vec<MasterKey>> {
    master_keys(conn, "SELECT id, kind, name, uscc FROM party")
}

/// Every product: (id, name, model, gtin).
pub fn product_keys(conn: &Connection) -> Result<Vec<MasterKey>> {
    master_keys(conn, "SELECT id, name, model, gtin FROM product")
}

/// The rows of `sql`, which selects the four columns of a [`MasterKey`].
fn master_keys(conn: &Connection, sql: &str) -> Result<Vec<MasterKey>> {
    let rows = conn
        .prepare_cached(sql)?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The receipts of a supplier lot number, whatever the supplier: (id, supplier name, material).
pub fn receipts_of_lot(
    conn: &Connection,
    supplier_lot: &str,
) -> Result<Vec<(i64, String, String)>> {
    let rows = conn
        .prepare_cached(
            "SELECT r.id, p.name, r.material FROM receipt r JOIN party p ON p.id = r.supplier_id
             WHERE r.supplier_lot = ?1 ORDER BY r.id",
        )?
        .query_map([supplier_lot], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The serials of batch `batch_id`'s items.
pub fn item_serials(conn: &Connection, batch_id: i64) -> Result<Vec<String>> {
    let rows = conn
        .prepare_cached("SELECT serial FROM item WHERE batch_id = ?1")?
        .query_map([batch_id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Adds serialised item `serial` to batch `batch_id`; returns its id.
pub fn insert_item(conn: &Connection, batch_id: i64, serial: &str) -> Result<i64> {
    conn.prepare_cached("INSERT INTO item (batch_id, serial) VALUES (?1, ?2)")?
        .execute(params![batch_id, serial])?;
    Ok(conn.last_insert_rowid())
}

/// Adds the serialised items `(batch_id, serial)`, a few hundred to a statement; returns their
/// ids in the same order. The ids are given (each chunk after the table's largest), so the
/// rows need not be read back (`RETURNING` makes SQLite keep every returned row aside first).
/// Inside a write transaction only, where nobody else can add items meanwhile.
pub fn insert_items(conn: &Connection, items: &[(i64, &str)]) -> Result<Vec<i64>> {
    static FULL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    const HEAD: &str = "INSERT INTO item (id, batch_id, serial)";
    let mut ids = Vec::with_capacity(items.len());
    for chunk in items.chunks(CHUNK) {
        let last: i64 = conn
            .prepare_cached("SELECT COALESCE(max(id), 0) FROM item")?
            .query_row([], |r| r.get(0))?;
        let first = last
            .checked_add(1)
            .ok_or_else(|| rusqlite::Error::IntegralValueOutOfRange(0, last))?;
        let chunk_ids: Vec<i64> = (first..).take(chunk.len()).collect();
        let mut values: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(chunk.len() * 3);
        for ((batch, serial), id) in chunk.iter().zip(&chunk_ids) {
            values.extend([id as &dyn rusqlite::ToSql, batch, serial]);
        }
        execute_values(conn, &FULL, HEAD, 3, &values)?;
        ids.extend(chunk_ids);
    }
    Ok(ids)
}

/// Every product's coding as far as its lot goes: (id, scheme, granularity, item_with_lot), a
/// product without a `product_coding` row taking the column's default.
pub fn product_lot_coding(conn: &Connection) -> Result<Vec<(i64, String, String, bool)>> {
    let rows = conn
        .prepare_cached(
            "SELECT p.id, p.scheme, p.granularity, COALESCE(c.item_with_lot, 1)
             FROM product p LEFT JOIN product_coding c ON c.product_id = p.id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

// ---------------------------------------------------------------------------------------------
// Change stamps.

/// How far the database has changed, cheaply: the newest audit entry's id, and the largest
/// rowid of each of `tables` (0 when empty). Every insert, update and delete of an audited table
/// adds an audit entry (a bulk write one summary entry per table), so an import can tell whether
/// the tables its plan read have changed since, without reading them again.
pub fn change_stamp(conn: &Connection, tables: &[&str]) -> Result<(i64, Vec<i64>)> {
    // One statement for all of them: each max() reads one end of one b-tree.
    let sql = std::iter::once("(SELECT COALESCE(max(id), 0) FROM audit_log)".to_string())
        .chain(
            tables
                .iter()
                .map(|t| format!("(SELECT COALESCE(max(rowid), 0) FROM {t})")),
        )
        .collect::<Vec<_>>()
        .join(", ");
    let values = conn
        .prepare_cached(&format!("SELECT {sql}"))?
        .query_row([], |r| {
            (0..=tables.len())
                .map(|i| r.get::<_, i64>(i))
                .collect::<rusqlite::Result<Vec<i64>>>()
        })?;
    Ok((values[0], values[1..].to_vec()))
}

/// Whether an audit entry about any of `tables` came after audit entry `since`.
pub fn audited_since(conn: &Connection, since: i64, tables: &[&str]) -> Result<bool> {
    let mut stmt =
        conn.prepare_cached("SELECT DISTINCT table_name FROM audit_log WHERE id > ?1")?;
    let names = stmt
        .query_map([since], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(names.iter().any(|n| tables.contains(&n.as_str())))
}

/// Adds a line to shipment `shipment_id` (a later row of the same delivery note); returns its id.
pub fn insert_shipment_line(
    conn: &Connection,
    shipment_id: i64,
    line: &crate::shipments::LineFields,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO shipment_line (shipment_id, batch_id, item_id, quantity) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![shipment_id, line.batch_id, line.item_id, line.quantity])?;
    Ok(conn.last_insert_rowid())
}
