//! The submission archive (报送档案): every request and response, append-only and hash-chained
//! (migration 0006).
//!
//! Each entry's `hash` is `sha256(prev_hash ‖ canonical entry)`, where the canonical entry is the
//! JSON array `[id, at, direction, attempt_id, method, endpoint, status, request_id, record_keys,
//! headers, body_sha256, outcome]` as `serde_json` writes it (arrays keep their order, so the text
//! is fixed), and `body_sha256` is the SHA-256 of the body. The first entry's `prev_hash` is 64
//! zeros. `archive_head` holds the last id and hash, written in the same transaction, so a cut-off
//! tail is noticed too. [`verify`] recomputes all of it and names the first entry that does not
//! fit; it also checks that every accepted outbox row still holds the record its archived request
//! sent, since reports and evidence packs are built from the outbox. SQL triggers refuse UPDATE
//! and DELETE; the chain catches whatever gets past them (raw file edits, a dropped trigger). A
//! person who rewrites the whole chain and the head can only be caught
//! by a copy held elsewhere: the evidence pack carries the head hash for that.

use std::collections::{BTreeMap, HashMap};

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

/// The chain's head as its head row records it: how many entries, and the hash of the last one
/// (the genesis value when the archive is empty). One row read, whatever the archive's size.
pub fn head_anchor(conn: &Connection) -> Result<(u64, String)> {
    Ok(head(conn)?
        .map(|(_, hash, entries)| (u64::try_from(entries).unwrap_or(0), hash))
        .unwrap_or_else(|| (0, GENESIS.to_string())))
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
    /// The chain holds and every accepted record matches the request that carried it.
    pub ok: bool,
    pub entries: i64,
    /// The first entry that does not fit, and why (`None` when the chain holds). For a cut-off
    /// tail, the id the head says should come last.
    pub first_bad: Option<i64>,
    /// Why, in English.
    pub reason: Option<String>,
    /// Why, in Chinese.
    pub reason_zh: Option<String>,
    pub last_hash: String,
    /// Accepted outbox rows against their archived requests.
    pub records: RecordCheck,
}

impl Verification {
    /// Whether the hash chain itself holds (whatever the records check found).
    pub fn chain_ok(&self) -> bool {
        self.first_bad.is_none()
    }

    /// The first problem in both languages, `(zh, en)`: the chain's, else the records'.
    pub fn problem(&self) -> Option<(String, String)> {
        if let (Some(zh), Some(en)) = (&self.reason_zh, &self.reason) {
            return Some((zh.clone(), en.clone()));
        }
        match (&self.records.reason_zh, &self.records.reason_en) {
            (Some(zh), Some(en)) => Some((zh.clone(), en.clone())),
            _ => None,
        }
    }
}

/// What the check of accepted outbox rows found. Reports and evidence packs are built from the
/// outbox, so an accepted row must hold exactly what the platform was sent: its body is one of
/// the records of the archived request of its last attempt, under its own key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordCheck {
    /// Accepted rows checked.
    pub checked: i64,
    /// Rows whose key or body does not match what was sent.
    pub mismatches: i64,
    /// The lowest outbox id among them, and why.
    pub first_bad: Option<i64>,
    pub reason_zh: Option<String>,
    pub reason_en: Option<String>,
}

/// Recomputes the chain from the first entry and names the first one that was edited, deleted,
/// inserted or reordered; then checks every accepted outbox row against the archived request
/// that carried it (see [`RecordCheck`]). Everything is read in one read transaction (one
/// snapshot), so a submission appending meanwhile from another connection or process cannot
/// make the entries and the head disagree.
pub fn verify(conn: &Connection) -> Result<Verification> {
    verify_with(conn, || Ok(()))
}

/// [`verify`], calling `between` after the entries were read and before the head is: a test
/// writes from another connection there, to show the snapshot holds.
pub(crate) fn verify_with(
    conn: &Connection,
    between: impl FnOnce() -> Result<()>,
) -> Result<Verification> {
    // Already inside a transaction (the caller's): that is one snapshot too.
    let tx = if conn.is_autocommit() {
        Some(conn.unchecked_transaction()?)
    } else {
        None
    };
    let mut v = verify_chain(conn, between)?;
    v.records = verify_records(conn)?;
    v.ok = v.chain_ok() && v.records.first_bad.is_none();
    // Read only: ending it either way is the same; rollback says so.
    if let Some(tx) = tx {
        tx.rollback()?;
    }
    Ok(v)
}

fn verify_chain(conn: &Connection, between: impl FnOnce() -> Result<()>) -> Result<Verification> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM archive_entry ORDER BY id"))?;
    let mut rows = stmt.query([])?;
    let mut prev_hash = GENESIS.to_string();
    let mut expected_id = 1;
    let mut entries = 0;
    let fail = |id: i64, entries: i64, zh: String, en: String, last: &str| Verification {
        ok: false,
        entries,
        first_bad: Some(id),
        reason: Some(en),
        reason_zh: Some(zh),
        last_hash: last.to_string(),
        records: RecordCheck::default(),
    };
    while let Some(r) = rows.next()? {
        let e = from_row(r)?;
        entries += 1;
        if e.id != expected_id {
            return Ok(fail(
                e.id,
                entries,
                format!(
                    "档案第 {} 条紧接在第 {} 条之后：第 {}–{} 条被删除",
                    e.id,
                    expected_id - 1,
                    expected_id,
                    e.id - 1
                ),
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
                format!("档案第 {} 条的正文被改动（其 SHA-256 不再相符）", e.id),
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
                    "档案第 {} 条与前一条接不上（有条目被删除、插入或挪动）",
                    e.id
                ),
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
                format!("档案第 {} 条的字段被改动（哈希不再相符）", e.id),
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
    drop(rows);
    between()?;
    let head = head(conn)?;
    match head {
        None if entries == 0 => {}
        None => {
            return Ok(fail(
                expected_id - 1,
                entries,
                "档案的末条记录（head）缺失".into(),
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
                        "档案止于第 {} 条，但末条记录写的是第 {last_id} 条（共 {count} 条）：末尾的条目被删除或替换",
                        expected_id - 1
                    ),
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
        reason_zh: None,
        last_hash: prev_hash,
        records: RecordCheck::default(),
    })
}

/// A record that does not match, and why (Chinese, English).
struct Mismatch {
    outbox_id: i64,
    zh: String,
    en: String,
}

/// The archived request of one attempt, as far as the check needs it.
enum Sent {
    /// `POST /records:batch`: the keys and the records, in the same order.
    Batch {
        entry: i64,
        keys: HashMap<String, usize>,
        records: Vec<serde_json::Value>,
    },
    /// `GET /records/{key}`: a status query, which carries no body.
    Status { entry: i64 },
    /// The entry's body or keys are not what a request holds (the chain check says more).
    Unreadable { entry: i64 },
}

/// The records of a batch request body `{"records":[…]}` and its keys, or `None` when either is
/// unreadable.
fn batch_of(keys: &str, body: &str) -> Option<(Vec<String>, Vec<serde_json::Value>)> {
    let keys: Vec<String> = serde_json::from_str(keys).ok()?;
    let serde_json::Value::Object(mut map) = serde_json::from_str(body).ok()? else {
        return None;
    };
    let serde_json::Value::Array(records) = map.remove("records")? else {
        return None;
    };
    (records.len() == keys.len()).then_some((keys, records))
}

fn load_sent(conn: &Connection, entry: i64, method: &str) -> Result<Sent> {
    let (keys, body): (String, String) = conn
        .prepare_cached("SELECT record_keys, body FROM archive_entry WHERE id = ?1")?
        .query_row([entry], |r| Ok((r.get(0)?, r.get(1)?)))?;
    if method.eq_ignore_ascii_case("GET") && body.is_empty() {
        return Ok(Sent::Status { entry });
    }
    Ok(match batch_of(&keys, &body) {
        Some((keys, records)) => Sent::Batch {
            entry,
            keys: keys.into_iter().enumerate().map(|(i, k)| (k, i)).collect(),
            records,
        },
        None => Sent::Unreadable { entry },
    })
}

/// Whether the stored body `body` is the record `sent`: byte for byte, or the same JSON (the
/// same members and values, whatever their order and spacing).
fn same_record(body: &str, sent: &serde_json::Value) -> bool {
    serde_json::from_str::<serde_json::Value>(body).is_ok_and(|b| &b == sent)
}

/// Checks `body` (of outbox row `id`, key `key`) against record `pos` of the batch request in
/// archive entry `entry`.
fn compare(
    id: i64,
    key: &str,
    body: Option<&str>,
    entry: i64,
    sent: &serde_json::Value,
) -> Option<Mismatch> {
    match body {
        None => Some(Mismatch {
            outbox_id: id,
            zh: format!("报送队列第 {id} 条已被平台接收，但其报送内容缺失"),
            en: format!("outbox record {id} was accepted but its body is missing"),
        }),
        Some(body) if same_record(body, sent) => None,
        Some(_) => Some(Mismatch {
            outbox_id: id,
            zh: format!(
                "报送队列第 {id} 条（键 {}…）的内容与档案第 {entry} 条请求中实际发送的记录不同：该记录在报送后被改动，报表和证据包会与平台收到的不一致",
                short(key)
            ),
            en: format!(
                "outbox record {id} (key {}…) differs from the record sent in archive entry {entry}: it was changed after it was sent, so reports and evidence packs would not match what the platform received",
                short(key)
            ),
        }),
    }
}

/// The start of an idempotency key, enough to find it.
fn short(key: &str) -> String {
    key.chars().take(12).collect()
}

fn outbox_body(conn: &Connection, id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT body FROM outbox_body WHERE outbox_id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// An accepted row whose last attempt was a status query: its body went out in an earlier batch.
struct ByStatus {
    outbox_id: i64,
    key: String,
    /// The status query's archive entry: the batch must come before it.
    before: i64,
}

/// Checks every accepted outbox row against the archived request of its last attempt (see
/// [`RecordCheck`]). A row accepted through a status query (`GET /records/{key}`, after a run
/// died mid-batch) is checked against the latest earlier batch request that carried its key.
fn verify_records(conn: &Connection) -> Result<RecordCheck> {
    // The request entry of every attempt: ids and methods only, bodies are read when needed.
    let mut requests: HashMap<i64, (i64, String)> = HashMap::new();
    {
        let mut stmt = conn.prepare(
            "SELECT attempt_id, id, method FROM archive_entry
             WHERE direction = 'request' AND attempt_id IS NOT NULL ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            requests.entry(r.get(0)?).or_insert((r.get(1)?, r.get(2)?));
        }
    }
    let mut check = RecordCheck::default();
    let mut bad: Vec<Mismatch> = Vec::new();
    let mut by_status: Vec<ByStatus> = Vec::new();
    // Rows grouped by attempt, so that each request body is parsed once.
    let mut stmt = conn.prepare(
        "SELECT id, idempotency_key, last_attempt_id FROM outbox WHERE state = 'accepted'
         ORDER BY last_attempt_id, id",
    )?;
    let mut rows = stmt.query([])?;
    let mut current: Option<(i64, Sent)> = None;
    while let Some(r) = rows.next()? {
        let (id, key, attempt): (i64, String, Option<i64>) = (r.get(0)?, r.get(1)?, r.get(2)?);
        check.checked += 1;
        let Some(attempt) = attempt else {
            bad.push(Mismatch {
                outbox_id: id,
                zh: format!("报送队列第 {id} 条标为已接收，但没有任何报送请求的记录"),
                en: format!(
                    "outbox record {id} is marked accepted but no request of it is recorded"
                ),
            });
            continue;
        };
        let Some((entry, method)) = requests.get(&attempt) else {
            bad.push(Mismatch {
                outbox_id: id,
                zh: format!("报送队列第 {id} 条的报送请求（第 {attempt} 次尝试）不在档案中"),
                en: format!(
                    "the request of outbox record {id} (attempt {attempt}) is not in the archive"
                ),
            });
            continue;
        };
        if current.as_ref().is_none_or(|(a, _)| *a != attempt) {
            current = Some((attempt, load_sent(conn, *entry, method)?));
        }
        let Some((_, sent)) = &current else {
            continue;
        };
        match sent {
            Sent::Status { entry } => by_status.push(ByStatus {
                outbox_id: id,
                key,
                before: *entry,
            }),
            Sent::Unreadable { entry } => bad.push(Mismatch {
                outbox_id: id,
                zh: format!("报送队列第 {id} 条的报送请求（档案第 {entry} 条）无法读取"),
                en: format!("the request of outbox record {id} (archive entry {entry}) cannot be read"),
            }),
            Sent::Batch {
                entry,
                keys,
                records,
            } => match keys.get(&key) {
                None => bad.push(Mismatch {
                    outbox_id: id,
                    zh: format!(
                        "报送队列第 {id} 条的键 {}… 不在档案第 {entry} 条请求所发送的记录中：该记录的键在报送后被改动",
                        short(&key)
                    ),
                    en: format!(
                        "the key {}… of outbox record {id} is not among the records sent in archive entry {entry}: it was changed after it was sent",
                        short(&key)
                    ),
                }),
                Some(&pos) => {
                    let body = outbox_body(conn, id)?;
                    bad.extend(compare(id, &key, body.as_deref(), *entry, &records[pos]));
                }
            },
        }
    }
    drop(rows);
    drop(current);
    if !by_status.is_empty() {
        bad.extend(verify_by_status(conn, &by_status)?);
    }
    check.mismatches = bad.len() as i64;
    if let Some(first) = bad.into_iter().min_by_key(|m| m.outbox_id) {
        check.first_bad = Some(first.outbox_id);
        check.reason_zh = Some(first.zh);
        check.reason_en = Some(first.en);
    }
    Ok(check)
}

/// Rows accepted through a status query: the latest batch request before the query that carried
/// the key must hold the row's body.
fn verify_by_status(conn: &Connection, rows: &[ByStatus]) -> Result<Vec<Mismatch>> {
    let mut wanted: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        wanted.entry(r.key.as_str()).or_default().push(i);
    }
    // (entry, position) of the latest earlier batch request carrying each row's key.
    let mut found: Vec<Option<(i64, usize)>> = vec![None; rows.len()];
    {
        let mut stmt = conn.prepare(
            "SELECT id, record_keys FROM archive_entry
             WHERE direction = 'request' AND method <> 'GET' ORDER BY id",
        )?;
        let mut entries = stmt.query([])?;
        while let Some(r) = entries.next()? {
            let (entry, keys): (i64, String) = (r.get(0)?, r.get(1)?);
            let Ok(keys) = serde_json::from_str::<Vec<String>>(&keys) else {
                continue;
            };
            for (pos, key) in keys.iter().enumerate() {
                for &i in wanted.get(key.as_str()).map(Vec::as_slice).unwrap_or(&[]) {
                    if entry < rows[i].before {
                        found[i] = Some((entry, pos));
                    }
                }
            }
        }
    }
    let mut by_entry: BTreeMap<i64, Vec<(usize, usize)>> = BTreeMap::new();
    let mut bad = Vec::new();
    for (i, f) in found.iter().enumerate() {
        match f {
            Some((entry, pos)) => by_entry.entry(*entry).or_default().push((i, *pos)),
            None => {
                let r = &rows[i];
                bad.push(Mismatch {
                    outbox_id: r.outbox_id,
                    zh: format!(
                        "报送队列第 {} 条经状态查询（档案第 {} 条）确认已接收，但此前没有任何报送请求发送过它的键 {}…",
                        r.outbox_id,
                        r.before,
                        short(&r.key)
                    ),
                    en: format!(
                        "outbox record {} was confirmed by a status query (archive entry {}), but no earlier request sent its key {}…",
                        r.outbox_id,
                        r.before,
                        short(&r.key)
                    ),
                });
            }
        }
    }
    for (entry, items) in by_entry {
        let (keys, body): (String, String) = conn
            .prepare_cached("SELECT record_keys, body FROM archive_entry WHERE id = ?1")?
            .query_row([entry], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let records = batch_of(&keys, &body).map(|(_, records)| records);
        for (i, pos) in items {
            let r = &rows[i];
            match &records {
                Some(records) => {
                    let body = outbox_body(conn, r.outbox_id)?;
                    bad.extend(compare(
                        r.outbox_id,
                        &r.key,
                        body.as_deref(),
                        entry,
                        &records[pos],
                    ));
                }
                None => bad.push(Mismatch {
                    outbox_id: r.outbox_id,
                    zh: format!(
                        "报送队列第 {} 条的报送请求（档案第 {entry} 条）无法读取",
                        r.outbox_id
                    ),
                    en: format!(
                        "the request of outbox record {} (archive entry {entry}) cannot be read",
                        r.outbox_id
                    ),
                }),
            }
        }
    }
    Ok(bad)
}

#[cfg(test)]
mod tests;

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
    let mut clauses: Vec<String> = Vec::new();
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    if let Some(from) = f.from.as_deref().filter(|s| !s.is_empty()) {
        clauses.push("at >= ?".into());
        args.push(from.to_string().into());
    }
    if let Some(to) = f.to.as_deref().filter(|s| !s.is_empty()) {
        // A bare date includes the whole day.
        clauses.push("at <= ?".into());
        args.push(format!("{to}\u{10FFFF}").into());
    }
    if let Some(d) = f.direction.as_deref().filter(|s| !s.is_empty()) {
        clauses.push("direction = ?".into());
        args.push(d.to_string().into());
    }
    if !f.search.trim().is_empty() {
        let columns = ["record_keys", "endpoint", "outcome", "request_id"];
        let any = columns
            .iter()
            .map(|c| crate::list::like_clause(c))
            .collect::<Vec<_>>()
            .join(" OR ");
        clauses.push(format!("({any})"));
        let p = crate::list::like_pattern(&f.search);
        for _ in columns {
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
