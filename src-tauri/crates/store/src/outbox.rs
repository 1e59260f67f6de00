//! The submission outbox (报送队列): one row per version of a record to report, and the attempts
//! that carried them (migration 0006).
//!
//! The state machine lives in the app layer; this module only reads and writes rows, and every
//! write is meant to run inside the caller's transaction (`Db::write`). Times are UTC text in one
//! fixed-width form (`YYYY-MM-DDTHH:MM:SS.mmmZ`) so that they compare as strings.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::Result;
use crate::list::{ListParams, Where, limit_offset};

/// The outbox states.
pub const READY: &str = "ready";
pub const SENDING: &str = "sending";
pub const RETRY_WAIT: &str = "retry_wait";
pub const ACCEPTED: &str = "accepted";
pub const REJECTED: &str = "rejected";
pub const SUPERSEDED: &str = "superseded";

/// The practice platform's target name; a real platform's is `<base URL>|<App Key>`.
pub const PRACTICE: &str = "practice";

/// A record version to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRecord {
    /// The platform it is queued for (see [`PRACTICE`]).
    pub target: String,
    /// How many versions of the source the target had accepted when this one was built.
    pub revision: i64,
    pub source_kind: String,
    pub source_id: i64,
    pub part: i64,
    pub kind: String,
    pub scheme: String,
    pub granularity: String,
    pub key: String,
    pub body: String,
    pub label: String,
    pub product_id: Option<i64>,
    pub event_date: Option<String>,
    pub supersedes: Option<i64>,
    pub corrects: Option<i64>,
    pub depends_on: Option<i64>,
}

/// Empty fields queued for the practice platform (the fields a caller sets come with `..`).
impl Default for NewRecord {
    fn default() -> Self {
        NewRecord {
            target: PRACTICE.into(),
            revision: 0,
            source_kind: String::new(),
            source_id: 0,
            part: 0,
            kind: String::new(),
            scheme: String::new(),
            granularity: String::new(),
            key: String::new(),
            body: String::new(),
            label: String::new(),
            product_id: None,
            event_date: None,
            supersedes: None,
            corrects: None,
            depends_on: None,
        }
    }
}

/// An outbox row without its (possibly large) body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboxRow {
    pub id: i64,
    pub target: String,
    pub revision: i64,
    pub source_kind: String,
    pub source_id: i64,
    pub part: i64,
    pub kind: String,
    pub scheme: String,
    pub granularity: String,
    pub key: String,
    pub label: String,
    pub product_id: Option<i64>,
    pub product_name: Option<String>,
    pub event_date: Option<String>,
    pub state: String,
    pub attempts: i64,
    pub last_attempt_id: Option<i64>,
    pub next_attempt_at: Option<String>,
    pub outcome_unknown: bool,
    pub receipt_id: Option<String>,
    pub accepted_at: Option<String>,
    pub duplicate: bool,
    pub reject_code: Option<String>,
    pub reject_reason: Option<String>,
    pub reject_pointer: Option<String>,
    pub rejected_at: Option<String>,
    pub last_error: Option<String>,
    pub supersedes: Option<i64>,
    pub corrects: Option<i64>,
    pub depends_on: Option<i64>,
    pub correction_open: bool,
    pub created_at: String,
    pub updated_at: String,
}

const COLUMNS: &str = "o.id, o.source_kind, o.source_id, o.part, o.kind, o.scheme, o.granularity,
    o.idempotency_key, o.label, o.product_id, p.name, o.event_date, o.state, o.attempts,
    o.last_attempt_id, o.next_attempt_at, o.outcome_unknown, o.receipt_id, o.accepted_at,
    o.duplicate, o.reject_code, o.reject_reason, o.reject_pointer, o.rejected_at, o.last_error,
    o.supersedes, o.corrects, o.depends_on, o.correction_open, o.created_at, o.updated_at,
    o.target, o.revision";
const FROM: &str = "FROM outbox o LEFT JOIN product p ON p.id = o.product_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<OutboxRow> {
    Ok(OutboxRow {
        id: r.get(0)?,
        source_kind: r.get(1)?,
        source_id: r.get(2)?,
        part: r.get(3)?,
        kind: r.get(4)?,
        scheme: r.get(5)?,
        granularity: r.get(6)?,
        key: r.get(7)?,
        label: r.get(8)?,
        product_id: r.get(9)?,
        product_name: r.get(10)?,
        event_date: r.get(11)?,
        state: r.get(12)?,
        attempts: r.get(13)?,
        last_attempt_id: r.get(14)?,
        next_attempt_at: r.get(15)?,
        outcome_unknown: r.get(16)?,
        receipt_id: r.get(17)?,
        accepted_at: r.get(18)?,
        duplicate: r.get(19)?,
        reject_code: r.get(20)?,
        reject_reason: r.get(21)?,
        reject_pointer: r.get(22)?,
        rejected_at: r.get(23)?,
        last_error: r.get(24)?,
        supersedes: r.get(25)?,
        corrects: r.get(26)?,
        depends_on: r.get(27)?,
        correction_open: r.get(28)?,
        created_at: r.get(29)?,
        updated_at: r.get(30)?,
        target: r.get(31)?,
        revision: r.get(32)?,
    })
}

/// Adds a version: its queue row, and its body beside it (`outbox_body`, never changed).
pub fn insert(conn: &Connection, r: &NewRecord) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO outbox (source_kind, source_id, part, kind, scheme, granularity, idempotency_key,
             label, product_id, event_date, supersedes, corrects, depends_on, target, revision)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        r.source_kind,
        r.source_id,
        r.part,
        r.kind,
        r.scheme,
        r.granularity,
        r.key,
        r.label,
        r.product_id,
        r.event_date,
        r.supersedes,
        r.corrects,
        r.depends_on,
        r.target,
        r.revision
    ])?;
    let id = conn.last_insert_rowid();
    conn.prepare_cached("INSERT INTO outbox_body (outbox_id, body) VALUES (?1, ?2)")?
        .execute(params![id, r.body])?;
    Ok(id)
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<OutboxRow>> {
    let sql = format!("SELECT {COLUMNS} {FROM} WHERE o.id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], from_row)
        .optional()?)
}

/// The live row holding `key` for `target`, if any.
pub fn by_key(conn: &Connection, target: &str, key: &str) -> Result<Option<OutboxRow>> {
    let sql = format!(
        "SELECT {COLUMNS} {FROM} WHERE o.target = ?1 AND o.idempotency_key = ?2 AND o.superseded = 0"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([target, key], from_row)
        .optional()?)
}

pub fn body(conn: &Connection, id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT body FROM outbox_body WHERE outbox_id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// The current version of every source for `target`: the newest row per (source_kind,
/// source_id, part) that is not superseded and not an error declaration.
pub fn current_versions(conn: &Connection, target: &str) -> Result<Vec<OutboxRow>> {
    let sql = format!(
        "SELECT {COLUMNS} {FROM} WHERE o.id IN (
             SELECT max(id) FROM outbox WHERE target = ?1 AND superseded = 0
                 AND kind <> 'errorDeclaration'
             GROUP BY source_kind, source_id, part)
         ORDER BY o.id"
    );
    let rows = conn
        .prepare(&sql)?
        .query_map([target], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The current version of one source for `target` (see [`current_versions`]).
pub fn current_version(
    conn: &Connection,
    target: &str,
    source: (&str, i64, i64),
) -> Result<Option<OutboxRow>> {
    let sql = format!(
        "SELECT {COLUMNS} {FROM} WHERE o.target = ?1 AND o.source_kind = ?2 AND o.source_id = ?3
           AND o.part = ?4 AND o.superseded = 0 AND o.kind <> 'errorDeclaration'
         ORDER BY o.id DESC LIMIT 1"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![target, source.0, source.1, source.2], from_row)
        .optional()?)
}

/// How many versions of one source `target` has accepted (corrections included, declarations
/// not): the revision the next version of the source is built with.
pub fn accepted_versions(conn: &Connection, target: &str, source: (&str, i64, i64)) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM outbox WHERE target = ?1 AND source_kind = ?2 AND source_id = ?3
               AND part = ?4 AND state = 'accepted' AND kind <> 'errorDeclaration'",
        )?
        .query_row(params![target, source.0, source.1, source.2], |r| r.get(0))?)
}

/// When each source's reported content last changed (migration 0008), for the sources with an
/// accepted current version: `(source_kind, source_id) → changed_at`.
pub fn source_changes(conn: &Connection) -> Result<Vec<((String, i64), String)>> {
    let rows = conn
        .prepare("SELECT source_kind, source_id, changed_at FROM outbox_source_change")?
        .query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Whether any source changed at or after `at` (an edit made during a run).
pub fn changed_since(conn: &Connection, at: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM outbox_source_change WHERE changed_at >= ?1)",
        )?
        .query_row([at], |r| r.get(0))?)
}

/// The newest live error declaration naming `corrects` (the accepted original), if any. The
/// original's id names its target.
pub fn open_declaration(conn: &Connection, corrects: i64) -> Result<Option<OutboxRow>> {
    let sql = format!(
        "SELECT {COLUMNS} {FROM} WHERE o.kind = 'errorDeclaration' AND o.corrects = ?1
           AND o.state <> 'superseded' ORDER BY o.id DESC LIMIT 1"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([corrects], from_row)
        .optional()?)
}

/// A row due for sending, with what the request needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueRecord {
    pub id: i64,
    pub key: String,
    pub body: String,
    pub depends_on: Option<i64>,
    pub kind: String,
}

/// Up to `limit` rows for `target` that may be sent at `now`: `ready`, or `retry_wait` whose
/// time has come, oldest first, starting after row `after` (so one run walks the queue once per
/// pass).
pub fn due(
    conn: &Connection,
    target: &str,
    now: &str,
    after: i64,
    limit: u32,
) -> Result<Vec<DueRecord>> {
    let rows = conn
        .prepare_cached(
            // Each state is its own range of the (state, id) index, already in id order, and only
            // the ids that make the page are looked up. The plain `state = 'ready' OR …` form
            // made SQLite gather and sort every remaining row on each call.
            "SELECT o.id, o.idempotency_key, b.body, o.depends_on, o.kind
             FROM outbox o JOIN outbox_body b ON b.outbox_id = o.id WHERE o.id IN (
                 SELECT id FROM (SELECT id FROM outbox
                                 WHERE target = ?4 AND state = 'ready' AND id > ?3
                                 ORDER BY id LIMIT ?2)
                 UNION ALL
                 SELECT id FROM (SELECT id FROM outbox
                                 WHERE target = ?4 AND state = 'retry_wait' AND id > ?3
                                   AND next_attempt_at <= ?1
                                 ORDER BY id LIMIT ?2))
             ORDER BY o.id LIMIT ?2",
        )?
        .query_map(params![now, limit, after, target], |r| {
            Ok(DueRecord {
                id: r.get(0)?,
                key: r.get(1)?,
                body: r.get(2)?,
                depends_on: r.get(3)?,
                kind: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The state of row `id`.
pub fn state(conn: &Connection, id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT state FROM outbox WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// The earliest time a `retry_wait` row of `target` becomes due.
pub fn next_wake(conn: &Connection, target: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT min(next_attempt_at) FROM outbox WHERE target = ?1 AND state = 'retry_wait'",
        )?
        .query_row([target], |r| r.get(0))?)
}

/// Rows of `target` left in `sending` (by a run that died): `(id, key)`, oldest first.
pub fn sending(conn: &Connection, target: &str, limit: u32) -> Result<Vec<(i64, String)>> {
    let rows = conn
        .prepare_cached(
            "SELECT id, idempotency_key FROM outbox WHERE target = ?1 AND state = 'sending'
             ORDER BY id LIMIT ?2",
        )?
        .query_map(params![target, limit], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// How many rows are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub ready: i64,
    pub sending: i64,
    pub retry_wait: i64,
    pub accepted: i64,
    pub rejected: i64,
    pub superseded: i64,
    /// Accepted rows the platform answered `duplicate` for.
    pub duplicates: i64,
}

/// How many rows of `target` are in each state.
pub fn counts(conn: &Connection, target: &str) -> Result<Counts> {
    let mut c = Counts::default();
    let mut stmt = conn.prepare_cached(
        "SELECT state, count(*), sum(duplicate) FROM outbox WHERE target = ?1 GROUP BY state",
    )?;
    let rows = stmt.query_map([target], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    for row in rows {
        let (state, n, dup) = row?;
        match state.as_str() {
            READY => c.ready = n,
            SENDING => c.sending = n,
            RETRY_WAIT => c.retry_wait = n,
            ACCEPTED => {
                c.accepted = n;
                c.duplicates = dup;
            }
            REJECTED => c.rejected = n,
            _ => c.superseded = n,
        }
    }
    Ok(c)
}

/// How many rows of `target` are in `state`: a range of the `(target, state, id)` index, so it
/// stays cheap while a run reports after every request over a large queue.
pub fn count_in(conn: &Connection, target: &str, state: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM outbox WHERE target = ?1 AND state = ?2")?
        .query_row([target, state], |r| r.get(0))?)
}

/// Rejected rows of every target (the 工作台 counts what needs the clerk).
pub fn rejected_everywhere(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM outbox WHERE state = 'rejected'")?
        .query_row([], |r| r.get(0))?)
}

/// Marks rows `ids` as being sent by attempt `attempt_id`; returns the ids that were due (in
/// `ready` or `retry_wait`) and are now `sending`. A row another process moved meanwhile is left
/// alone and not returned, so it is not sent.
pub fn mark_sending(
    conn: &Connection,
    ids: &[i64],
    attempt_id: i64,
    now: &str,
) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "UPDATE outbox SET state = 'sending', attempts = attempts + 1, last_attempt_id = ?2,
             next_attempt_at = NULL, updated_at = ?3
         WHERE id = ?1 AND state IN ('ready', 'retry_wait')",
    )?;
    let mut marked = Vec::with_capacity(ids.len());
    for id in ids {
        if stmt.execute(params![id, attempt_id, now])? == 1 {
            marked.push(*id);
        }
    }
    Ok(marked)
}

pub fn mark_accepted(
    conn: &Connection,
    id: i64,
    receipt_id: &str,
    at: &str,
    duplicate: bool,
) -> Result<bool> {
    let n = conn.prepare_cached(
        "UPDATE outbox SET state = 'accepted', receipt_id = ?2, accepted_at = ?3, duplicate = ?4,
             next_attempt_at = NULL, last_error = NULL, updated_at = ?3
         WHERE id = ?1 AND state = 'sending'",
    )?
    .execute(params![id, receipt_id, at, duplicate])?;
    Ok(n == 1)
}

pub fn mark_rejected(
    conn: &Connection,
    id: i64,
    code: &str,
    reason: &str,
    pointer: Option<&str>,
    at: &str,
) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE outbox SET state = 'rejected', reject_code = ?2, reject_reason = ?3,
             reject_pointer = ?4, rejected_at = ?5, next_attempt_at = NULL, updated_at = ?5
         WHERE id = ?1 AND state = 'sending'",
        )?
        .execute(params![id, code, reason, pointer, at])?;
    Ok(n == 1)
}

/// Back to the queue, not before `next_at`. `unknown` records that the platform may hold it.
pub fn mark_retry(
    conn: &Connection,
    id: i64,
    next_at: &str,
    unknown: bool,
    error: &str,
    now: &str,
) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE outbox SET state = 'retry_wait', next_attempt_at = ?2,
             outcome_unknown = max(outcome_unknown, ?3), last_error = ?4, updated_at = ?5
         WHERE id = ?1 AND state = 'sending'",
        )?
        .execute(params![id, next_at, unknown, error, now])?;
    Ok(n == 1)
}

/// Ready to send again (a reconcile found nothing stored: from `sending`; or the clerk asked to
/// retry a rejection unchanged: from `rejected`). Clears the rejection and the unknown-outcome
/// mark when `known_absent`.
pub fn mark_ready(conn: &Connection, id: i64, known_absent: bool, now: &str) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE outbox SET state = 'ready', next_attempt_at = NULL,
             outcome_unknown = CASE WHEN ?2 THEN 0 ELSE outcome_unknown END,
             reject_code = NULL, reject_reason = NULL, reject_pointer = NULL, rejected_at = NULL,
             updated_at = ?3
         WHERE id = ?1 AND state IN ('sending', 'rejected')",
        )?
        .execute(params![id, known_absent, now])?;
    Ok(n == 1)
}

/// Superseded by a newer version: only a row the platform cannot hold (never sent, rejected, or
/// refused with nothing stored). False when the row was not in such a state.
pub fn mark_superseded(conn: &Connection, id: i64, now: &str) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE outbox SET state = 'superseded', superseded = 1, updated_at = ?2
         WHERE id = ?1 AND (state IN ('ready', 'rejected')
                            OR (state = 'retry_wait' AND outcome_unknown = 0))",
        )?
        .execute(params![id, now])?;
    Ok(n == 1)
}

pub fn set_correction_open(conn: &Connection, id: i64, open: bool, now: &str) -> Result<()> {
    conn.prepare_cached("UPDATE outbox SET correction_open = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, open, now])?;
    Ok(())
}

/// The record table a source kind stamps `submitted_at` on, if any.
fn source_table(source_kind: &str) -> Option<&'static str> {
    match source_kind {
        "product" => Some("product"),
        "receipt" => Some("receipt"),
        "batch" => Some("batch"),
        "shipment" => Some("shipment"),
        _ => None,
    }
}

/// Sets (or with `None` clears) `submitted_at` of the source record, so that entry treats it
/// as submitted (read-only, corrections only) or editable again.
pub fn set_submitted_at(
    conn: &Connection,
    source_kind: &str,
    source_id: i64,
    at: Option<&str>,
) -> Result<()> {
    if let Some(table) = source_table(source_kind) {
        conn.prepare_cached(&format!(
            "UPDATE {table} SET submitted_at = ?2 WHERE id = ?1 AND submitted_at IS NOT ?2"
        ))?
        .execute(params![source_id, at])?;
    }
    Ok(())
}

/// Which rows a list shows.
#[derive(Debug, Clone, Default)]
pub struct OutboxFilter {
    /// Only rows queued for this platform (`None`: every platform).
    pub target: Option<String>,
    pub params: ListParams,
    pub states: Vec<String>,
    pub kind: Option<String>,
    /// Inclusive ISO dates over the event date.
    pub from: Option<String>,
    pub to: Option<String>,
    pub include_superseded: bool,
}

fn filter_where(f: &OutboxFilter) -> Where {
    let mut w = Where::default();
    w.search(
        &f.params.search,
        &["o.label", "o.idempotency_key", "o.receipt_id", "p.name"],
    );
    if let Some(target) = &f.target {
        w.and("o.target = ?", [Value::Text(target.clone())]);
    }
    if !f.states.is_empty() {
        let marks = vec!["?"; f.states.len()].join(", ");
        w.and(
            &format!("o.state IN ({marks})"),
            f.states.iter().map(|s| Value::Text(s.clone())),
        );
    } else if !f.include_superseded {
        w.and("o.state <> 'superseded'", []);
    }
    if let Some(kind) = f.kind.as_deref().filter(|k| !k.is_empty()) {
        w.and("o.kind = ?", [Value::Text(kind.into())]);
    }
    if let Some(from) = f.from.as_deref().filter(|s| !s.is_empty()) {
        w.and("o.event_date >= ?", [Value::Text(from.into())]);
    }
    if let Some(to) = f.to.as_deref().filter(|s| !s.is_empty()) {
        w.and("o.event_date <= ?", [Value::Text(to.into())]);
    }
    w
}

pub fn list(conn: &Connection, f: &OutboxFilter) -> Result<(Vec<OutboxRow>, u32)> {
    let w = filter_where(f);
    let sql = format!(
        "SELECT {COLUMNS} {FROM} {} ORDER BY o.id DESC {}",
        w.sql(),
        limit_offset(&f.params)
    );
    let rows = conn
        .prepare(&sql)?
        .query_map(rusqlite::params_from_iter(&w.args), from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let total: u32 = conn.query_row(
        &format!("SELECT count(*) {FROM} {}", w.sql()),
        rusqlite::params_from_iter(&w.args),
        |r| r.get(0),
    )?;
    Ok((rows, total))
}

/// Calls `f` with `(row, body)` for every row of `f` (no paging), oldest first, one row at a
/// time so that large exports hold one body in memory.
pub fn for_each_with_body(
    conn: &Connection,
    filter: &OutboxFilter,
    mut f: impl FnMut(OutboxRow, String) -> Result<()>,
) -> Result<()> {
    let w = filter_where(filter);
    let sql = format!(
        "SELECT {COLUMNS}, b.body {FROM} JOIN outbox_body b ON b.outbox_id = o.id {} ORDER BY o.id",
        w.sql()
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(&w.args))?;
    while let Some(r) = rows.next()? {
        let row = from_row(r)?;
        let body: String = r.get(33)?;
        f(row, body)?;
    }
    Ok(())
}

/// Adds a submission attempt row (before the request is sent) and returns its id.
pub fn insert_attempt(
    conn: &Connection,
    target: &str,
    run_id: &str,
    purpose: &str,
    endpoint: &str,
    record_count: i64,
    started_at: &str,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO submission_attempt (run_id, purpose, endpoint, record_count, started_at, target)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![run_id, purpose, endpoint, record_count, started_at, target])?;
    Ok(conn.last_insert_rowid())
}

/// Records how attempt `id` ended.
pub fn finish_attempt(
    conn: &Connection,
    id: i64,
    finished_at: &str,
    outcome: &str,
    http_status: Option<u16>,
    request_id: Option<&str>,
    error: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE submission_attempt SET finished_at = ?2, outcome = ?3, http_status = ?4,
             request_id = ?5, error = ?6
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        finished_at,
        outcome,
        http_status,
        request_id,
        error
    ])?;
    Ok(())
}
