//! The submission archive (报送档案): every request and response, append-only and hash-chained
//! (migration 0006).
//!
//! Each entry's `hash` is `sha256(prev_hash ‖ canonical entry)`, where the canonical entry is the
//! JSON array `[id, at, direction, attempt_id, method, endpoint, status, request_id, record_keys,
//! headers, body_sha256, outcome]` as `serde_json` writes it (arrays keep their order, so the text
//! is fixed), and `body_sha256` is the SHA-256 of the body. The first entry's `prev_hash` is 64
//! zeros. `archive_head` holds the last id and hash, written in the same transaction, so a cut-off
//! tail is noticed too. [`verify`] recomputes all of it and names the first entry that does not
//! fit. SQL triggers refuse UPDATE and DELETE; the chain catches whatever gets past them (raw file
//! edits, a dropped trigger). A person who rewrites the whole chain and the head can only be caught
//! by a copy held elsewhere: the evidence pack carries the head hash for that.

use rusqlite::{Connection, OptionalExtension, Row, params};
use sha2::{Digest, Sha256};

use crate::Result;

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An entry to append. `at` is supplied by the caller (the app owns its clock).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewEntry {
    pub at: String,
    /// `request` or `response`.
    pub direction: String,
    pub attempt_id: Option<i64>,
    pub method: String,
    pub endpoint: String,
    pub status: Option<u16>,
    pub request_id: Option<String>,
    /// The idempotency keys the exchange is about.
    pub record_keys: Vec<String>,
    /// Non-secret headers as a JSON object text (`{}` when none).
    pub headers: String,
    pub body: String,
    pub outcome: String,
}

/// A stored entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub at: String,
    pub direction: String,
    pub attempt_id: Option<i64>,
    pub method: String,
    pub endpoint: String,
    pub status: Option<u16>,
    pub request_id: Option<String>,
    pub record_keys: String,
    pub headers: String,
    pub body: String,
    pub body_sha256: String,
    pub outcome: String,
    pub prev_hash: String,
    pub hash: String,
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The canonical text the hash covers (see the module comment).
#[allow(clippy::too_many_arguments)]
fn canonical(
    id: i64,
    at: &str,
    direction: &str,
    attempt_id: Option<i64>,
    method: &str,
    endpoint: &str,
    status: Option<u16>,
    request_id: Option<&str>,
    record_keys: &str,
    headers: &str,
    body_sha256: &str,
    outcome: &str,
) -> String {
    serde_json::json!([
        id,
        at,
        direction,
        attempt_id,
        method,
        endpoint,
        status,
        request_id,
        record_keys,
        headers,
        body_sha256,
        outcome
    ])
    .to_string()
}

fn entry_hash(prev_hash: &str, canonical: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(canonical.as_bytes());
    hex::encode(h.finalize())
}

fn head(conn: &Connection) -> Result<Option<(i64, String, i64)>> {
    Ok(conn
        .prepare_cached("SELECT last_id, last_hash, entries FROM archive_head WHERE id = 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

/// Appends `entry` to the chain and returns its id. Run inside the caller's write transaction.
pub fn append(conn: &Connection, entry: &NewEntry) -> Result<i64> {
    let (prev_id, prev_hash, entries) = head(conn)?.unwrap_or((0, GENESIS.to_string(), 0));
    let id: i64 = conn
        .prepare_cached("SELECT COALESCE(max(id), 0) + 1 FROM archive_entry")?
        .query_row([], |r| r.get(0))?;
    let id = id.max(prev_id + 1);
    let keys = serde_json::to_string(&entry.record_keys).unwrap_or_else(|_| "[]".into());
    let body_sha256 = sha256_hex(entry.body.as_bytes());
    let text = canonical(
        id,
        &entry.at,
        &entry.direction,
        entry.attempt_id,
        &entry.method,
        &entry.endpoint,
        entry.status,
        entry.request_id.as_deref(),
        &keys,
        &entry.headers,
        &body_sha256,
        &entry.outcome,
    );
    let hash = entry_hash(&prev_hash, &text);
    conn.prepare_cached(
        "INSERT INTO archive_entry (id, at, direction, attempt_id, method, endpoint, status,
             request_id, record_keys, headers, body, body_sha256, outcome, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        id,
        entry.at,
        entry.direction,
        entry.attempt_id,
        entry.method,
        entry.endpoint,
        entry.status,
        entry.request_id,
        keys,
        entry.headers,
        entry.body,
        body_sha256,
        entry.outcome,
        prev_hash,
        hash
    ])?;
    conn.prepare_cached(
        "INSERT INTO archive_head (id, last_id, last_hash, entries) VALUES (1, ?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash,
             entries = excluded.entries",
    )?
    .execute(params![id, hash, entries + 1])?;
    Ok(id)
}

const COLUMNS: &str = "id, at, direction, attempt_id, method, endpoint, status, request_id,
    record_keys, headers, body, body_sha256, outcome, prev_hash, hash";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Entry> {
    Ok(Entry {
        id: r.get(0)?,
        at: r.get(1)?,
        direction: r.get(2)?,
        attempt_id: r.get(3)?,
        method: r.get(4)?,
        endpoint: r.get(5)?,
        status: r.get(6)?,
        request_id: r.get(7)?,
        record_keys: r.get(8)?,
        headers: r.get(9)?,
        body: r.get(10)?,
        body_sha256: r.get(11)?,
        outcome: r.get(12)?,
        prev_hash: r.get(13)?,
        hash: r.get(14)?,
    })
}

/// What [`verify`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verification {
    pub ok: bool,
    pub entries: i64,
    /// The first entry that does not fit, and why (`None` when `ok`). For a cut-off tail, the id
    /// the head says should come last.
    pub first_bad: Option<i64>,
    pub reason: Option<String>,
    pub last_hash: String,
}

/// Recomputes the chain from the first entry and names the first one that was edited, deleted,
/// inserted or reordered.
pub fn verify(conn: &Connection) -> Result<Verification> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM archive_entry ORDER BY id"))?;
    let mut rows = stmt.query([])?;
    let mut prev_hash = GENESIS.to_string();
    let mut expected_id = 1;
    let mut entries = 0;
    let fail = |id: i64, entries: i64, reason: String, last: &str| Verification {
        ok: false,
        entries,
        first_bad: Some(id),
        reason: Some(reason),
        last_hash: last.to_string(),
    };
    while let Some(r) = rows.next()? {
        let e = from_row(r)?;
        entries += 1;
        if e.id != expected_id {
            return Ok(fail(
                e.id,
                entries,
                format!(
                    "entry {} follows entry {}: entries {}–{} were deleted",
                    e.id,
                    expected_id - 1,
                    expected_id,
                    e.id - 1
                ),
                &prev_hash,
            ));
        }
        if sha256_hex(e.body.as_bytes()) != e.body_sha256 {
            return Ok(fail(
                e.id,
                entries,
                format!(
                    "entry {}: the body was changed (its SHA-256 no longer matches)",
                    e.id
                ),
                &prev_hash,
            ));
        }
        if e.prev_hash != prev_hash {
            return Ok(fail(
                e.id,
                entries,
                format!(
                    "entry {}: it does not follow the entry before it (an entry was removed, inserted or moved)",
                    e.id
                ),
                &prev_hash,
            ));
        }
        let text = canonical(
            e.id,
            &e.at,
            &e.direction,
            e.attempt_id,
            &e.method,
            &e.endpoint,
            e.status,
            e.request_id.as_deref(),
            &e.record_keys,
            &e.headers,
            &e.body_sha256,
            &e.outcome,
        );
        if entry_hash(&prev_hash, &text) != e.hash {
            return Ok(fail(
                e.id,
                entries,
                format!(
                    "entry {}: its fields were changed (the hash no longer matches)",
                    e.id
                ),
                &prev_hash,
            ));
        }
        prev_hash = e.hash;
        expected_id += 1;
    }
    let head = head(conn)?;
    match head {
        None if entries == 0 => {}
        None => {
            return Ok(fail(
                expected_id - 1,
                entries,
                "the archive head is missing".into(),
                &prev_hash,
            ));
        }
        Some((last_id, last_hash, count)) => {
            if last_id != expected_id - 1 || last_hash != prev_hash || count != entries {
                return Ok(fail(
                    last_id.max(expected_id),
                    entries,
                    format!(
                        "the archive ends at entry {} but its head says entry {last_id} ({count} entries): the last entries were removed or replaced",
                        expected_id - 1
                    ),
                    &prev_hash,
                ));
            }
        }
    }
    Ok(Verification {
        ok: true,
        entries,
        first_bad: None,
        reason: None,
        last_hash: prev_hash,
    })
}

/// Which entries a list shows.
#[derive(Debug, Clone, Default)]
pub struct ArchiveFilter {
    /// Inclusive bounds over `at` (ISO date or time text).
    pub from: Option<String>,
    pub to: Option<String>,
    pub direction: Option<String>,
    /// Substring of the record keys, the endpoint or the outcome.
    pub search: String,
    pub offset: u32,
    /// 0: no limit.
    pub limit: u32,
}

/// Entries matching `f`, newest first, without bodies longer than `max_body` characters (the
/// rest is cut; `get` gives the whole entry), and the total count.
pub fn list(conn: &Connection, f: &ArchiveFilter, max_body: usize) -> Result<(Vec<Entry>, u32)> {
    let mut clauses = Vec::new();
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    if let Some(from) = f.from.as_deref().filter(|s| !s.is_empty()) {
        clauses.push("at >= ?");
        args.push(from.to_string().into());
    }
    if let Some(to) = f.to.as_deref().filter(|s| !s.is_empty()) {
        // A bare date includes the whole day.
        clauses.push("at <= ?");
        args.push(format!("{to}\u{10FFFF}").into());
    }
    if let Some(d) = f.direction.as_deref().filter(|s| !s.is_empty()) {
        clauses.push("direction = ?");
        args.push(d.to_string().into());
    }
    if !f.search.trim().is_empty() {
        clauses
            .push("(record_keys LIKE ? OR endpoint LIKE ? OR outcome LIKE ? OR request_id LIKE ?)");
        let p = format!("%{}%", f.search.trim());
        for _ in 0..4 {
            args.push(p.clone().into());
        }
    }
    let w = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let limit = if f.limit == 0 { -1 } else { f.limit as i64 };
    let sql = format!(
        "SELECT id, at, direction, attempt_id, method, endpoint, status, request_id, record_keys,
             headers, substr(body, 1, {max_body}), body_sha256, outcome, prev_hash, hash
         FROM archive_entry {w} ORDER BY id DESC LIMIT {limit} OFFSET {}",
        f.offset
    );
    let rows = conn
        .prepare(&sql)?
        .query_map(rusqlite::params_from_iter(&args), from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let total: u32 = conn.query_row(
        &format!("SELECT count(*) FROM archive_entry {w}"),
        rusqlite::params_from_iter(&args),
        |r| r.get(0),
    )?;
    Ok((rows, total))
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Entry>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM archive_entry WHERE id = ?1"
        ))?
        .query_row([id], from_row)
        .optional()?)
}

/// Calls `f` for every entry whose `at` is within `[from, to]` (inclusive ISO dates), oldest
/// first, one at a time.
pub fn for_each(
    conn: &Connection,
    from: &str,
    to: &str,
    mut f: impl FnMut(Entry) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM archive_entry WHERE at >= ?1 AND at <= ?2 ORDER BY id"
    ))?;
    let mut rows = stmt.query(params![from, format!("{to}\u{10FFFF}")])?;
    while let Some(r) = rows.next()? {
        f(from_row(r)?)?;
    }
    Ok(())
}

/// The chain hash after the first `entries` entries in chain order (by id): the `hash` of the
/// `entries`-th entry, or [`GENESIS`] for 0; `None` when the archive holds fewer entries. An
/// outside copy of an earlier head (the platform's archive anchor) is compared with this: the
/// chain only ever grows, so the hash after the same number of entries never changes unless the
/// archive was rewritten.
pub fn hash_after(conn: &Connection, entries: u64) -> Result<Option<String>> {
    if entries == 0 {
        return Ok(Some(GENESIS.to_string()));
    }
    let Ok(offset) = i64::try_from(entries - 1) else {
        return Ok(None);
    };
    Ok(conn
        .prepare_cached("SELECT hash FROM archive_entry ORDER BY id LIMIT 1 OFFSET ?1")?
        .query_row([offset], |r| r.get(0))
        .optional()?)
}
