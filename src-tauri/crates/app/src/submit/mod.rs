//! Submission (报送): the checklist, the outbox and the run that reports records to the platform.
//!
//! A run: (1) **prepare** — build every record that is new, still unsent, rejected, or opened for
//! correction, and queue the versions whose key changed (a rejected or unsent version is
//! superseded; an accepted one is corrected with a corrected record plus an `errorDeclaration`);
//! (2) **reconcile** — records left in `sending` by a run that died are settled with
//! `GET /records/{key}` before anything is resent; (3) **send** — due records go out in batches of
//! up to 500 records and 5 MiB (contract §9), each attempt recorded (state `sending`, an attempt
//! row, the archived request) in a committed transaction before the request leaves, and its
//! outcome (the archived response, each record's new state) in one transaction after.
//!
//! Outcomes follow contract §8: `accepted`/`duplicate` → accepted (and the source record is
//! marked submitted, so entry makes it read-only); `rejected` + retryable → back to the queue;
//! `rejected` → rejected with the platform's reason; 429/503 → retry after `Retry-After` (or an
//! exponential backoff with jitter); no answer (timeout, dropped connection, unreadable body,
//! other 5xx) → retry with the same key, marked "outcome unknown" (the platform answers
//! `duplicate` if it had stored it); connection refused → offline, the run waits with backoff and
//! resumes when the platform answers again; 401 → the run stops until the credentials or the
//! clock are fixed. Nothing is ever treated as rejected without the platform saying so, and no
//! version that the platform may hold is ever replaced by another.

pub(crate) mod build;
#[cfg(test)]
mod model_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod workflow_tests;

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use platform::{Disposition, PauseReason, RecordOutcome};
use store::outbox::{self, NewRecord, OutboxRow};

use crate::submit::build::{Built, Context, link};
use crate::{
    ApiError, App, Checklist, ChecklistItem, ChecklistProblem, CodingSettings, ErrorCode, FixLink,
    OutboxCounts, OutboxEntry, OutboxPage, OutboxQuery, PlatformMode, PlatformSettings,
    QueueTarget, Result, SubmitProgress, SubmitRecordResult, SubmitRequest, SubmitStop,
    SubmitSummary,
};

/// Records per request: the contract's maximum (§9). Fewer records only means more requests;
/// the 5 MiB body limit is enforced separately, record by record.
pub const BATCH_SIZE: usize = platform::MAX_BATCH_RECORDS;
/// Body bytes per request, with room for the envelope under the contract's 5 MiB.
const MAX_BODY: usize = platform::MAX_BODY_BYTES - 4096;
/// The contract suggests a 30 s total timeout per request (§1).
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(120);
/// Backoff: 1 s, 2 s, 4 s … capped at 60 s, with jitter (contract §7 "unavailable").
const DEFAULT_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// UTC in the outbox's fixed-width form, `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub(crate) fn stamp(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

pub(crate) fn now() -> String {
    stamp(time::OffsetDateTime::now_utc())
}

fn later(d: Duration) -> String {
    stamp(time::OffsetDateTime::now_utc() + d)
}

/// A fraction in [0.5, 1.0) from the OS random source, for jitter.
fn jitter() -> f64 {
    let mut b = [0u8; 2];
    let _ = getrandom::fill(&mut b);
    0.5 + f64::from(u16::from_le_bytes(b)) / 131_072.0
}

/// Exponential backoff with jitter after `failures` consecutive failures.
fn backoff(base: Duration, failures: u32) -> Duration {
    let exp = base.saturating_mul(1u32 << failures.min(16));
    exp.min(MAX_BACKOFF.max(base)).mul_f64(jitter())
}

fn run_id() -> String {
    let mut b = [0u8; 6];
    let _ = getrandom::fill(&mut b);
    hex::encode(b)
}

/// A database's run state: (a run is under way, cancel was asked).
type RunFlags = Arc<(AtomicBool, AtomicBool)>;

/// Per-database run state: one run at a time, and the cancel switch.
fn run_flags(db: &Path) -> RunFlags {
    static FLAGS: OnceLock<Mutex<HashMap<PathBuf, RunFlags>>> = OnceLock::new();
    FLAGS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .entry(db.to_path_buf())
        .or_default()
        .clone()
}

struct RunGuard(RunFlags);

impl Drop for RunGuard {
    fn drop(&mut self) {
        self.0.0.store(false, Ordering::SeqCst);
        self.0.1.store(false, Ordering::SeqCst);
    }
}

fn counts_dto(c: &outbox::Counts) -> OutboxCounts {
    let n = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
    OutboxCounts {
        ready: n(c.ready),
        sending: n(c.sending),
        retry_wait: n(c.retry_wait),
        accepted: n(c.accepted),
        rejected: n(c.rejected),
    }
}

/// The screen where a record of this source is fixed, with the field the platform's pointer
/// names. A pointer into the customer or supplier opens that party.
fn fix_for(conn: &rusqlite::Connection, row: &OutboxRow) -> FixLink {
    let (screen, id) = match row.source_kind.as_str() {
        "enterprise" => ("settings", None),
        "product" => ("products", Some(row.source_id)),
        "receipt" => ("receipts", Some(row.source_id)),
        "batch" => ("production", Some(row.source_id)),
        "shipment" => ("shipments", Some(row.source_id)),
        _ => ("coding", row.product_id),
    };
    let pointer = row.reject_pointer.as_deref().unwrap_or("");
    let field = pointer
        .rsplit('/')
        .next()
        .filter(|f| !f.is_empty() && !f.chars().all(|c| c.is_ascii_digit()));
    let party = if pointer.starts_with("/payload/customer") && row.source_kind == "shipment" {
        Some("SELECT customer_id FROM shipment WHERE id = ?1")
    } else if pointer.starts_with("/payload/supplier") && row.source_kind == "receipt" {
        Some("SELECT supplier_id FROM receipt WHERE id = ?1")
    } else {
        None
    };
    if let Some(sql) = party
        && let Ok(party_id) = conn.query_row(sql, [row.source_id], |r| r.get::<_, i64>(0))
    {
        return link("parties", Some(party_id), field);
    }
    link(screen, id, field)
}

fn entry_dto(conn: &rusqlite::Connection, row: OutboxRow) -> OutboxEntry {
    let fix = fix_for(conn, &row);
    OutboxEntry {
        id: row.id,
        kind: row.kind,
        label: row.label,
        product_name: row.product_name,
        event_date: row.event_date,
        state: row.state,
        attempts: u32::try_from(row.attempts).unwrap_or(0),
        idempotency_key: row.key,
        receipt_id: row.receipt_id,
        accepted_at: row.accepted_at,
        duplicate: row.duplicate,
        reject_code: row.reject_code,
        reject_reason: row.reject_reason,
        reject_pointer: row.reject_pointer,
        last_error: row.last_error,
        next_attempt_at: row.next_attempt_at,
        corrects: row.corrects,
        correction_open: row.correction_open,
        fix,
    }
}

/// Which sources to (re)build: no version yet; the current one may still be replaced; or its
/// source changed after it was queued (`changed_at`, an edit made while the version was in flight
/// or after 更正), so the change is never dropped.
fn needs_build(current: Option<&OutboxRow>, changed_at: Option<&str>) -> bool {
    let changed_since = |row: &OutboxRow| changed_at.is_some_and(|c| c >= row.created_at.as_str());
    match current {
        None => true,
        Some(row) => match row.state.as_str() {
            outbox::READY | outbox::REJECTED => true,
            outbox::RETRY_WAIT if !row.outcome_unknown => true,
            outbox::ACCEPTED => row.correction_open || changed_since(row),
            // In flight: the platform may hold it. A change waits for its answer (see prepare).
            outbox::SENDING | outbox::RETRY_WAIT => changed_since(row),
            _ => false,
        },
    }
}

/// Whether the platform may hold `row` without having answered: it must not be replaced.
fn in_flight(row: &OutboxRow) -> bool {
    row.state == outbox::SENDING || (row.state == outbox::RETRY_WAIT && row.outcome_unknown)
}

type SourceKey = (String, i64, i64);

/// Everything a prepare pass found.
struct Pass {
    built: Vec<Built>,
    current: HashMap<SourceKey, OutboxRow>,
    blocker: Option<ChecklistProblem>,
}

/// The platform a target name stands for: `practice`, or a real one's `<base URL>|<App Key>`.
pub(crate) fn target_name(practice: bool, url: &str, app_key: &str) -> String {
    if practice {
        outbox::PRACTICE.to_string()
    } else {
        format!("{}|{app_key}", url.trim().trim_end_matches('/'))
    }
}

impl App {
    fn coding_and_platform(&self) -> Result<(Option<CodingSettings>, Option<PlatformSettings>)> {
        let status = self.status()?;
        Ok((status.coding, status.platform))
    }

    /// The target the settings name (practice unless a real platform is set), without starting
    /// the practice platform: what the 报送 screen, the checklist and the reports look at.
    pub(crate) fn settings_target(&self) -> Result<String> {
        let (_, settings) = self.coding_and_platform()?;
        Ok(match settings {
            Some(p) if p.mode == PlatformMode::Remote => target_name(false, &p.url, &p.app_key),
            _ => outbox::PRACTICE.to_string(),
        })
    }

    /// Builds the records that may need sending to `target` (pure builders over rows read here).
    fn pass(&self, target: &str) -> Result<Pass> {
        let (coding, _) = self.coding_and_platform()?;
        let db = self.db();
        let conn = db.conn();
        let current: HashMap<SourceKey, OutboxRow> = outbox::current_versions(conn, target)?
            .into_iter()
            .map(|r| ((r.source_kind.clone(), r.source_id, r.part), r))
            .collect();
        let changes: HashMap<(String, i64), String> =
            outbox::source_changes(conn)?.into_iter().collect();
        let Some(enterprise) = db.enterprise()? else {
            return Ok(Pass {
                built: Vec::new(),
                current,
                blocker: Some(ChecklistProblem {
                    pointer: "/payload/enterpriseUscc".into(),
                    code: "no-enterprise".into(),
                    message_zh: "尚未填写企业信息，无法报送。请先在“设置”中填写企业名称和统一社会信用代码".into(),
                    message_en: "The enterprise profile is missing; fill in the name and USCC in Settings first".into(),
                    fix: link("settings", None, Some("uscc")),
                }),
            });
        };
        let wants = |kind: &str, id: i64, part: i64| {
            needs_build(
                current.get(&(kind.to_string(), id, part)),
                changes.get(&(kind.to_string(), id)).map(String::as_str),
            )
        };
        let ids = |sql: &str| -> Result<Vec<i64>> { sql_ids(conn, sql).map_err(db_err) };
        let products: HashMap<i64, store::products::ProductRow> = ids("SELECT id FROM product")?
            .into_iter()
            .filter_map(|id| store::products::get(conn, id).ok().flatten())
            .map(|p| (p.id, p))
            .collect();
        let parties: HashMap<i64, store::parties::PartyRow> = ids("SELECT id FROM party")?
            .into_iter()
            .filter_map(|id| store::parties::get(conn, id).ok().flatten())
            .map(|p| (p.id, p))
            .collect();
        let mut product_codes: HashMap<i64, String> = HashMap::new();
        for (p, code) in product_level_codes(conn).map_err(db_err)? {
            product_codes.entry(p).or_insert(code);
        }
        let mut receiving_keys: HashMap<i64, String> = current
            .values()
            .filter(|r| r.source_kind == "receipt")
            .map(|r| (r.source_id, r.key.clone()))
            .collect();
        let default_scheme = coding.as_ref().map_or(platform::Scheme::Gs1, |c| {
            build::scheme_of(c.scheme.as_str())
        });
        let default_granularity = coding.as_ref().map_or(platform::Granularity::Batch, |c| {
            build::granularity_of(c.granularity.as_str())
        });
        let prefix = coding
            .as_ref()
            .map(|c| c.gs1_company_prefix.clone())
            .unwrap_or_default();
        let mut built = Vec::new();

        // Receipts first: production records name their receiving keys.
        let receipt_ids: Vec<i64> = ids("SELECT id FROM receipt ORDER BY id")?
            .into_iter()
            .filter(|id| wants("receipt", *id, 0))
            .collect();
        let receipts = store::receipts::get_many(conn, &receipt_ids)?;
        {
            let ctx = Context {
                enterprise: &enterprise,
                default_scheme,
                default_granularity,
                gs1_company_prefix: &prefix,
                products: &products,
                product_codes: &product_codes,
                parties: &parties,
                receiving_keys: &receiving_keys,
            };
            if wants("enterprise", 1, 0) {
                built.push(build::enterprise(&ctx));
            }
            for id in ids("SELECT id FROM product ORDER BY id")? {
                if wants("product", id, 0)
                    && let Some(p) = products.get(&id)
                {
                    built.push(build::product(&ctx, p));
                }
            }
            for r in &receipts {
                built.push(build::receipt(&ctx, r));
            }
        }
        for b in &built {
            if b.source_kind == "receipt"
                && let Ok(sealed) = platform::seal(&b.record)
            {
                receiving_keys.insert(b.source_id, sealed.key);
            }
        }
        let ctx = Context {
            enterprise: &enterprise,
            default_scheme,
            default_granularity,
            gs1_company_prefix: &prefix,
            products: &products,
            product_codes: &product_codes,
            parties: &parties,
            receiving_keys: &receiving_keys,
        };
        let batch_ids: Vec<i64> = ids("SELECT id FROM batch ORDER BY id")?
            .into_iter()
            .filter(|id| wants("batch", *id, 0))
            .collect();
        for b in store::batches::get_many(conn, &batch_ids)? {
            let inputs = store::batches::inputs_of(conn, b.id)?;
            let lot_ids: Vec<i64> = inputs.iter().map(|i| i.receipt_id).collect();
            let lots: HashMap<i64, store::receipts::ReceiptRow> =
                store::receipts::get_many(conn, &lot_ids)?
                    .into_iter()
                    .map(|r| (r.id, r))
                    .collect();
            let pairs: Vec<_> = inputs
                .into_iter()
                .map(|i| {
                    let r = lots.get(&i.receipt_id);
                    (i, r)
                })
                .collect();
            built.push(build::batch(&ctx, &b, &pairs));
        }
        // 赋码 of imported items: parts 1, 2, … of their batch, 10 000 serials each.
        for (batch_id, count) in store::items::imported_counts(conn)? {
            let chunks = (count as usize).div_ceil(build::ITEMS_PER_RECORD) as i64;
            let todo: Vec<i64> = (1..=chunks)
                .filter(|p| wants("batch", batch_id, *p))
                .collect();
            if todo.is_empty() {
                continue;
            }
            let Some(b) = store::batches::get_many(conn, &[batch_id])?
                .into_iter()
                .next()
            else {
                continue;
            };
            let serials = store::items::imported_serials(conn, batch_id)?;
            for part in todo {
                let chunk: Vec<String> = serials
                    .iter()
                    .skip((part as usize - 1) * build::ITEMS_PER_RECORD)
                    .take(build::ITEMS_PER_RECORD)
                    .cloned()
                    .collect();
                built.push(build::imported_items(&ctx, &b, part, chunk));
            }
        }
        let shipment_ids: Vec<i64> = ids("SELECT id FROM shipment ORDER BY id")?
            .into_iter()
            .filter(|id| wants("shipment", *id, 0))
            .collect();
        let shipments = store::shipments::get_many(conn, &shipment_ids)?;
        let mut lines: HashMap<i64, Vec<store::shipments::LineRow>> = HashMap::new();
        for l in store::shipments::lines_of_shipments(conn, &shipment_ids)? {
            lines.entry(l.shipment_id).or_default().push(l);
        }
        for s in &shipments {
            built.push(build::shipment(
                &ctx,
                s,
                lines.get(&s.id).map(Vec::as_slice).unwrap_or(&[]),
            ));
        }
        // 赋码: every completely issued serial range, in chunks of 10 000 codes.
        let allocations: Vec<i64> =
            ids("SELECT id FROM serial_allocation WHERE state = 'exported' ORDER BY id")?;
        for id in allocations {
            let Some(a) = store::ledger::allocation(conn, id)? else {
                continue;
            };
            let chunks = (a.count as usize).div_ceil(build::ITEMS_PER_RECORD);
            let todo: Vec<i64> = (0..chunks as i64)
                .filter(|p| wants("allocation", id, *p))
                .collect();
            if todo.is_empty() {
                continue;
            }
            let serials = crate::coding::allocation_serials(conn, &a)?;
            let produced_on: Option<String> = match a.batch_id {
                Some(b) => conn
                    .query_row("SELECT produced_on FROM batch WHERE id = ?1", [b], |r| {
                        r.get::<_, String>(0)
                    })
                    .ok(),
                None => None,
            };
            for part in todo {
                let from = part as usize * build::ITEMS_PER_RECORD;
                let chunk: Vec<String> = serials
                    .iter()
                    .skip(from)
                    .take(build::ITEMS_PER_RECORD)
                    .cloned()
                    .collect();
                built.push(build::allocation(
                    &ctx,
                    &a,
                    part,
                    chunk,
                    produced_on.as_deref(),
                ));
            }
        }
        drop(db);
        Ok(Pass {
            built,
            current,
            blocker: None,
        })
    }

    /// The pre-submission checklist: what each record waiting to be reported to the platform of
    /// the settings lacks, with a link to where it is fixed.
    pub fn submission_checklist(&self) -> Result<Checklist> {
        let target = self.settings_target()?;
        let pass = self.pass(&target)?;
        let mut items = Vec::new();
        let mut pending = 0u32;
        let mut complete = 0u32;
        for b in pass.built {
            let current = pass
                .current
                .get(&(b.source_kind.to_string(), b.source_id, b.part));
            let unchanged_final = current.is_some_and(|c| {
                matches!(c.state.as_str(), outbox::ACCEPTED | outbox::REJECTED)
                    && seal_revision(&b, c.revision).is_ok_and(|s| s.key == c.key)
            });
            if unchanged_final && b.problems.is_empty() {
                continue;
            }
            pending += 1;
            if b.problems.is_empty() {
                complete += 1;
            } else {
                items.push(ChecklistItem {
                    kind: b.record.kind().as_str().to_string(),
                    label: b.label,
                    record: b.link,
                    problems: b.problems,
                });
            }
        }
        Ok(Checklist {
            pending,
            complete,
            items,
            blocker: pass.blocker,
        })
    }

    /// Queues for the platform of the settings every new or changed record; returns how many
    /// versions were added.
    pub fn prepare_submission(&self) -> Result<u32> {
        let target = self.settings_target()?;
        self.prepare_for(&target).map(|p| p.added)
    }

    /// Queues for `target` every new or changed record. Each decision is taken again inside the
    /// write transaction on the source's current row as it is then, so a row another process
    /// answered meanwhile is never overwritten.
    fn prepare_for(&self, target: &str) -> Result<Prepared> {
        let pass = self.pass(target)?;
        if let Some(blocker) = pass.blocker {
            return Err(ApiError::new(
                ErrorCode::InvalidState,
                blocker.message_zh,
                blocker.message_en,
            ));
        }
        let practice = target == outbox::PRACTICE;
        let now = now();
        self.db().transact(|tx| -> Result<Prepared> {
            let mut done = Prepared::default();
            for b in &pass.built {
                let source = (b.source_kind, b.source_id, b.part);
                let row = outbox::current_version(tx, target, source)?;
                let accepted = outbox::accepted_versions(tx, target, source)?;
                let add = |revision: i64, supersedes: Option<i64>, corrects: Option<i64>| {
                    let s = seal_revision(b, revision).map_err(seal_error)?;
                    let id = outbox::insert(
                        tx,
                        &NewRecord {
                            target: target.to_string(),
                            revision,
                            source_kind: b.source_kind.to_string(),
                            source_id: b.source_id,
                            part: b.part,
                            kind: s.kind.as_str().to_string(),
                            scheme: s.scheme.as_str().to_string(),
                            granularity: s.granularity.as_str().to_string(),
                            key: s.key.clone(),
                            body: s.body,
                            label: b.label.clone(),
                            product_id: b.product_id,
                            event_date: b.event_date.clone(),
                            supersedes,
                            corrects,
                            depends_on: None,
                        },
                    )?;
                    Ok::<_, ApiError>((id, s.key))
                };
                let Some(row) = row else {
                    add(accepted, None, None)?;
                    done.added += 1;
                    continue;
                };
                let same = seal_revision(b, row.revision).map_err(seal_error)?.key == row.key;
                if same {
                    if row.state == outbox::ACCEPTED && row.correction_open {
                        // Opened for correction but nothing changed: lock it again.
                        outbox::set_correction_open(tx, row.id, false, &now)?;
                        if !practice {
                            outbox::set_submitted_at(
                                tx,
                                &row.source_kind,
                                row.source_id,
                                row.accepted_at.as_deref(),
                            )?;
                        }
                    }
                    continue;
                }
                if in_flight(&row) {
                    // The platform may hold the older version: the change goes out once the
                    // platform has answered for it (as a correction if it was accepted).
                    done.held += 1;
                    continue;
                }
                if row.state == outbox::ACCEPTED {
                    // A correction: the corrected record (the next revision), then the
                    // declaration naming both.
                    let (corrected, key) = add(accepted, None, Some(row.id))?;
                    insert_declaration(tx, &row, &key, corrected, &now)?;
                    outbox::set_correction_open(tx, row.id, false, &now)?;
                    done.added += 2;
                    continue;
                }
                // Not stored by the platform (never sent, rejected, or refused with nothing
                // stored): the new version replaces it.
                if !outbox::mark_superseded(tx, row.id, &now)? {
                    continue;
                }
                let (id, key) = add(row.revision.max(accepted), Some(row.id), row.corrects)?;
                done.added += 1;
                if let Some(original) = row.corrects {
                    if let Some(decl) = outbox::open_declaration(tx, original)?
                        && decl.state != outbox::ACCEPTED
                    {
                        outbox::mark_superseded(tx, decl.id, &now)?;
                    }
                    if let Some(orig) = outbox::get(tx, original)? {
                        insert_declaration(tx, &orig, &key, id, &now)?;
                        done.added += 1;
                    }
                }
            }
            Ok(done)
        })
    }

    /// How many outbox records are in each state.
    pub fn outbox_counts(&self) -> Result<OutboxCounts> {
        let target = self.settings_target()?;
        Ok(counts_dto(&outbox::counts(self.db().conn(), &target)?))
    }

    /// The platform of the settings, as the 报送 screen names it.
    pub fn queue_target(&self) -> Result<QueueTarget> {
        let (_, settings) = self.coding_and_platform()?;
        Ok(match settings {
            Some(p) if p.mode == PlatformMode::Remote => QueueTarget {
                practice: false,
                message_zh: format!(
                    "正式平台 {}（AppKey {}）：这里的接收结果即正式报送结果",
                    p.url, p.app_key
                ),
                message_en: format!(
                    "Real platform {} (App Key {}): acceptances here are the official submission",
                    p.url, p.app_key
                ),
                url: p.url,
                app_key: p.app_key,
            },
            _ => QueueTarget {
                practice: true,
                url: String::new(),
                app_key: String::new(),
                message_zh: "练习平台：接收结果不计入正式报送。改为正式平台后，所有记录都会重新报送给正式平台".into(),
                message_en: "Practice platform: its acceptances do not count as official submission. Once a real platform is set, every record is submitted to it again".into(),
            },
        })
    }

    /// A page of the outbox, newest first.
    pub fn list_outbox(&self, query: &OutboxQuery) -> Result<OutboxPage> {
        let target = self.queue_target()?;
        let lease = self.submission_lease()?;
        let name = target_name(target.practice, &target.url, &target.app_key);
        let db = self.db();
        let filter = outbox::OutboxFilter {
            target: Some(name.clone()),
            params: store::ListParams {
                search: query.search.clone(),
                offset: query.offset,
                limit: query.limit,
                ..Default::default()
            },
            states: query.states.clone(),
            kind: query.kind.clone(),
            from: query.from.clone(),
            to: query.to.clone(),
            include_superseded: false,
        };
        let (rows, total) = outbox::list(db.conn(), &filter)?;
        Ok(OutboxPage {
            rows: rows.into_iter().map(|r| entry_dto(db.conn(), r)).collect(),
            total,
            counts: counts_dto(&outbox::counts(db.conn(), &name)?),
            target,
            lease,
        })
    }

    /// Sends rejected records `ids` again unchanged (for a rejection that was not about the
    /// content, e.g. the practice platform's random `SIM_REJECT`). A record whose content was
    /// fixed goes out as a new version on the next run by itself.
    pub fn retry_rejected(&self, ids: &[i64]) -> Result<u32> {
        let now = now();
        self.db()
            .write(|tx| {
                let mut n = 0;
                for id in ids {
                    if outbox::state(tx, *id)?.as_deref() == Some(outbox::REJECTED) {
                        outbox::mark_ready(tx, *id, true, &now)?;
                        n += 1;
                    }
                }
                Ok(n)
            })
            .map_err(Into::into)
    }

    /// Opens accepted record `id` for correction: its source becomes editable again, and the next
    /// run sends the changed record as a correction (corrected record + error declaration).
    pub fn open_correction(&self, id: i64) -> Result<OutboxEntry> {
        let now = now();
        let mut db = self.db();
        let row = outbox::get(db.conn(), id)?.ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                format!("报送记录 {id} 不存在"),
                format!("outbox record {id} not found"),
            )
        })?;
        if row.state != outbox::ACCEPTED || row.kind == "errorDeclaration" {
            return Err(ApiError::new(
                ErrorCode::InvalidState,
                "只有平台已接收的记录需要更正；被拒收或未报送的记录可直接修改后重新报送",
                "only records the platform accepted need a correction; a rejected or unsent record can simply be edited and submitted again",
            ));
        }
        db.transact(|tx| -> Result<()> {
            // The source's current version, read where the change is written: an older accepted
            // version is history, and opening it would unlock the record with nothing to send.
            let current = outbox::current_version(
                tx,
                &row.target,
                (&row.source_kind, row.source_id, row.part),
            )?;
            match current {
                Some(c) if c.id == id && c.state == outbox::ACCEPTED => {}
                Some(c) => {
                    return Err(ApiError::new(
                        ErrorCode::InvalidState,
                        format!(
                            "报送记录 {id} 是旧版本，只能更正最新版本（报送记录 {}，{}）",
                            c.id,
                            state_zh(&c.state)
                        ),
                        format!(
                            "outbox record {id} is an older version; only the current one (outbox record {}, {}) can be corrected",
                            c.id, c.state
                        ),
                    ));
                }
                None => {}
            }
            outbox::set_correction_open(tx, id, true, &now)?;
            if row.target != outbox::PRACTICE {
                outbox::set_submitted_at(tx, &row.source_kind, row.source_id, None)?;
            }
            Ok(())
        })?;
        let row = outbox::get(db.conn(), id)?.unwrap_or(row);
        Ok(entry_dto(db.conn(), row))
    }
}

/// An outbox state as the clerk reads it.
fn state_zh(state: &str) -> &'static str {
    match state {
        outbox::READY => "待报送",
        outbox::SENDING => "报送中",
        outbox::RETRY_WAIT => "等待重试",
        outbox::ACCEPTED => "已接收",
        outbox::REJECTED => "被拒收",
        _ => "已被新版本取代",
    }
}

fn insert_declaration(
    tx: &rusqlite::Transaction<'_>,
    original: &OutboxRow,
    corrected_key: &str,
    corrected_id: i64,
    now: &str,
) -> store::Result<i64> {
    let declaration = platform::Record {
        scheme: build::scheme_of(&original.scheme),
        granularity: build::granularity_of(&original.granularity),
        payload: platform::model::Payload::ErrorDeclaration(platform::model::ErrorDeclaration {
            declared_key: original.key.clone(),
            declaration_time: format!("{}+00:00", &now[..19]),
            reason: platform::model::ErrorReason::IncorrectData,
            reason_text: format!("更正：{}", original.label),
            corrective_keys: vec![corrected_key.to_string()],
            client_ref: format!("correction-{}", original.id),
        }),
    };
    // Sealing a declaration of keys and plain text cannot fail.
    let s = platform::seal(&declaration).expect("a declaration has a canonical form");
    outbox::insert(
        tx,
        &NewRecord {
            target: original.target.clone(),
            revision: original.revision,
            source_kind: original.source_kind.clone(),
            source_id: original.source_id,
            part: original.part,
            kind: "errorDeclaration".into(),
            scheme: original.scheme.clone(),
            granularity: original.granularity.clone(),
            key: s.key,
            body: s.body,
            label: format!("更正声明：{}", original.label),
            product_id: original.product_id,
            event_date: original.event_date.clone(),
            supersedes: None,
            corrects: Some(original.id),
            depends_on: Some(corrected_id),
        },
    )
}

/// What a prepare did: versions queued, and changes held until the platform answers for the
/// version in flight.
#[derive(Debug, Default, Clone, Copy)]
struct Prepared {
    added: u32,
    held: u32,
}

/// The built record as revision `revision` of its source, sealed (canonical form and key).
fn seal_revision(b: &Built, revision: i64) -> std::result::Result<platform::Sealed, String> {
    platform::seal(&build::with_revision(&b.record, revision)).map_err(|e| e.to_string())
}

fn seal_error(e: String) -> ApiError {
    ApiError::new(
        ErrorCode::Internal,
        format!("记录无法规范化：{e}"),
        format!("record cannot be canonicalised: {e}"),
    )
}

fn db_err(e: rusqlite::Error) -> ApiError {
    ApiError::storage(store::Error::from(e))
}

fn sql_ids(conn: &rusqlite::Connection, sql: &str) -> rusqlite::Result<Vec<i64>> {
    conn.prepare(sql)?.query_map([], |r| r.get(0))?.collect()
}

/// Platform-issued product-level codes (Ecode, 数字身份码) recorded as trace codes.
fn product_level_codes(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<(i64, String)>> {
    conn.prepare(
        "SELECT product_id, code FROM trace_code WHERE granularity = 'product' AND status = 'active'
         AND scheme <> 'gs1' ORDER BY id",
    )?
    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
    .collect()
}

// ---------------------------------------------------------------------------------------------
// The run.

/// Where a run sends, resolved from the request and the settings.
pub(crate) struct Target {
    pub(crate) url: String,
    pub(crate) credentials: platform::Credentials,
    pub(crate) practice: bool,
    /// The target's name in the outbox (see [`target_name`]).
    pub(crate) name: String,
}

/// Test and CLI knobs of a run that the UI never sets.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    pub timeout: Duration,
    pub backoff: Duration,
    pub max_wait: Duration,
    pub batch_size: usize,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            timeout: DEFAULT_TIMEOUT,
            backoff: DEFAULT_BACKOFF,
            max_wait: DEFAULT_MAX_WAIT,
            batch_size: BATCH_SIZE,
        }
    }
}

/// How many accepted results, and how many others (rejected, waiting), a run keeps for its
/// summary. Rejections are what the clerk acts on, so they are never pushed out by acceptances.
pub const RESULTS_KEPT: usize = 1000;

#[derive(Default)]
struct Tally {
    total: u32,
    accepted: u32,
    duplicates: u32,
    rejected: u32,
    reconciled: u32,
    requests: u32,
    /// The newest accepted results, oldest first. Accepted is final within a run: a record
    /// gets no later result, so one let go is simply counted.
    accepted_results: VecDeque<SubmitRecordResult>,
    accepted_dropped: u32,
    /// Results that are not (yet) accepted, by outbox id.
    other_results: BTreeMap<i64, SubmitRecordResult>,
    /// Records not yet accepted that arrived once `other_results` was full (rare: more than
    /// `RESULTS_KEPT` rejections or waits in one run).
    others_unlisted: HashSet<i64>,
}

impl Tally {
    fn record(&mut self, r: SubmitRecordResult) {
        let id = r.outbox_id;
        if r.state == outbox::ACCEPTED {
            self.other_results.remove(&id);
            self.others_unlisted.remove(&id);
            self.accepted_results.push_back(r);
            if self.accepted_results.len() > RESULTS_KEPT {
                self.accepted_results.pop_front();
                self.accepted_dropped += 1;
            }
        } else if self.other_results.len() < RESULTS_KEPT || self.other_results.contains_key(&id) {
            self.other_results.insert(id, r);
        } else {
            self.others_unlisted.insert(id);
        }
    }

    /// The kept results in queue order, and how many records have none.
    fn into_results(self) -> (Vec<SubmitRecordResult>, u32) {
        let mut results: Vec<SubmitRecordResult> = self.other_results.into_values().collect();
        results.extend(self.accepted_results);
        results.sort_by_key(|r| r.outbox_id);
        let unlisted = u32::try_from(self.others_unlisted.len()).unwrap_or(u32::MAX);
        (results, self.accepted_dropped.saturating_add(unlisted))
    }
}

impl App {
    pub(crate) fn target(&self, request: &SubmitRequest) -> Result<Target> {
        let (_, settings) = self.coding_and_platform()?;
        let practice_mode = settings
            .as_ref()
            .is_none_or(|p| p.mode == PlatformMode::Practice);
        let explicit = request
            .platform
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty());
        let practice = match explicit {
            Some("practice") => true,
            Some(_) => false,
            None => practice_mode,
        };
        if practice {
            let (url, _) = crate::practice::ensure(&self.config().data_dir)?;
            return Ok(Target {
                url,
                credentials: platform::Credentials {
                    app_key: simulator::PRACTICE_APP_KEY.into(),
                    app_secret: simulator::PRACTICE_APP_SECRET.into(),
                },
                practice: true,
                name: outbox::PRACTICE.into(),
            });
        }
        let url = explicit
            .map(str::to_string)
            .or_else(|| settings.as_ref().map(|s| s.url.clone()))
            .unwrap_or_default();
        platform::client::check_url(&url).map_err(|e| {
            ApiError::new(
                ErrorCode::InvalidInput,
                format!("平台地址不可用：{e}。平台地址必须以 https:// 开头（仅本机地址可用 http://）"),
                format!("unusable platform address: {e}; it must start with https:// (http:// only on this computer)"),
            )
        })?;
        let app_key = settings.map(|s| s.app_key).unwrap_or_default();
        let secret = crate::credentials::load(&self.config().data_dir, &app_key, true)
            .map(|(s, _)| s)
            .filter(|_| !app_key.is_empty())
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::InvalidState,
                    "尚未保存平台的 AppKey 和 AppSecret：请用 tracedesk platform set --url 地址 --app-key AppKey 设置平台，再用 tracedesk secret 从标准输入保存 AppSecret（存入系统钥匙串）",
                    "no platform App Key / App Secret saved yet: set the platform with `tracedesk platform set --url URL --app-key KEY`, then save the App Secret from standard input with `tracedesk secret` (kept in the OS keychain)",
                )
            })?;
        Ok(Target {
            name: target_name(false, &url, &app_key),
            url,
            credentials: platform::Credentials {
                app_key,
                app_secret: secret,
            },
            practice: false,
        })
    }

    /// Cancels the running submission of this database, if any; it stops after its current
    /// request, which keeps its recorded outcome.
    pub fn cancel_submission(&self) {
        run_flags(&self.config().db_path)
            .1
            .store(true, Ordering::SeqCst);
    }

    /// Reports every record not yet accepted, retrying within the run; see the module comment.
    /// `progress` is called after every request.
    pub async fn submit(
        &self,
        request: &SubmitRequest,
        progress: impl Fn(SubmitProgress) + Send + Sync,
    ) -> Result<SubmitSummary> {
        let mut options = RunOptions::default();
        if let Some(secs) = request.max_wait_secs {
            options.max_wait = Duration::from_secs(u64::from(secs));
        }
        let result = self.submit_with(request, options, progress).await;
        match &result {
            Ok(s) => tracing::info!(
                practice = s.practice,
                queued = s.queued,
                accepted = s.accepted,
                duplicates = s.duplicates,
                rejected = s.rejected,
                waiting = s.waiting,
                requests = s.requests,
                stop = ?s.stop,
                elapsed_ms = s.elapsed_ms,
                "submission run finished"
            ),
            Err(e) => tracing::warn!(code = ?e.code, "submission run failed"),
        }
        result
    }

    /// [`App::submit`] with explicit timeouts, backoff and batch size (tests, the CLI, benches).
    pub async fn submit_with(
        &self,
        request: &SubmitRequest,
        options: RunOptions,
        progress: impl Fn(SubmitProgress) + Send + Sync,
    ) -> Result<SubmitSummary> {
        let flags = run_flags(&self.config().db_path);
        if flags.0.swap(true, Ordering::SeqCst) {
            return Err(ApiError::new(
                ErrorCode::InvalidState,
                "报送正在进行中，请等待其完成",
                "a submission is already running; wait for it to finish",
            ));
        }
        let _guard = RunGuard(flags.clone());
        let started = Instant::now();
        let target = self.target(request)?;
        let lease = self.take_lease("submit")?;
        let client =
            platform::Client::new(&target.url, target.credentials.clone(), options.timeout)
                .map_err(|e| {
                    ApiError::new(
                        ErrorCode::InvalidInput,
                        format!("平台地址不可用：{e}"),
                        format!("unusable platform address: {e}"),
                    )
                })?;
        let mut run = Run {
            id: run_id(),
            target: &target,
            client: &client,
            tally: Tally::default(),
            base: options.backoff,
            failures: 0,
        };
        progress(self.progress(
            &run,
            "preparing",
            None,
            Vec::new(),
            "正在检查待报送记录",
            "checking records to report",
        ));
        let mut prepared_at = now();
        let mut prepared = self.prepare_for(&target.name)?;
        let queued = prepared.added;
        {
            let c = outbox::counts(self.db().conn(), &target.name)?;
            run.tally.total = u32::try_from(c.ready + c.retry_wait + c.sending).unwrap_or(0);
        }
        let deadline = started + options.max_wait;
        let mut batch_size = options.batch_size.clamp(1, BATCH_SIZE);
        let mut stop = SubmitStop::Done;
        let mut cursor = 0i64;
        // 1. Reconcile what a dead run left in `sending`, before any resend. Holding the lease,
        //    no other process is sending: every such row was abandoned.
        'reconcile: loop {
            let stuck = outbox::sending(self.db().conn(), &target.name, 200)?;
            if stuck.is_empty() {
                break;
            }
            progress(self.progress(
                &run,
                "reconciling",
                None,
                Vec::new(),
                "正在核对上次中断时发送中的记录",
                "reconciling records an interrupted run left in flight",
            ));
            for (id, key) in stuck {
                if flags.1.load(Ordering::SeqCst) {
                    stop = SubmitStop::Cancelled;
                    break 'reconcile;
                }
                lease.renew()?;
                match self.reconcile_one(&mut run, id, &key).await? {
                    None => run.failures = 0,
                    Some(d) => {
                        run.failures += 1;
                        match d {
                            Disposition::Paused(r) => {
                                stop = pause_stop(r);
                                break 'reconcile;
                            }
                            Disposition::Defect => {
                                stop = SubmitStop::Refused;
                                break 'reconcile;
                            }
                            other => {
                                let wait = match other {
                                    Disposition::NotStored {
                                        retry_after: Some(ra),
                                    } => ra,
                                    _ => backoff(options.backoff, run.failures),
                                };
                                if Instant::now() + wait > deadline {
                                    stop = if other == Disposition::Offline {
                                        SubmitStop::Offline
                                    } else {
                                        SubmitStop::GaveUp
                                    };
                                    break 'reconcile;
                                }
                                progress(self.progress(
                                    &run,
                                    if other == Disposition::Offline {
                                        "offline"
                                    } else {
                                        "waiting"
                                    },
                                    Some(wait),
                                    Vec::new(),
                                    "平台暂时无法连接，稍后自动重试",
                                    "the platform cannot be reached; retrying shortly",
                                ));
                                lease.nap(wait).await?;
                                continue 'reconcile;
                            }
                        }
                    }
                }
            }
        }
        // 2. Send what is due, until everything has a final answer or the run must stop. When the
        //    queue is empty, changes held back while their earlier version was in flight, and
        //    edits made while the run went on, are queued now (a few rounds at most: each round
        //    only queues content that differs from what the platform answered for).
        let mut rounds_left = 3u32;
        if stop == SubmitStop::Done {
            stop = loop {
                if flags.1.load(Ordering::SeqCst) {
                    break SubmitStop::Cancelled;
                }
                let (batch, blocked_only) =
                    self.next_batch(&target.name, &mut cursor, batch_size)?;
                if batch.is_empty() {
                    if cursor != 0 {
                        cursor = 0;
                        continue;
                    }
                    let c = outbox::counts(self.db().conn(), &target.name)?;
                    if c.retry_wait == 0 && (c.ready == 0 || blocked_only) {
                        // Edits made during the run (while it waited offline, say) go out
                        // now too, not on the next run.
                        let edited = outbox::changed_since(self.db().conn(), &prepared_at)?;
                        if (prepared.held > 0 || edited) && rounds_left > 0 {
                            rounds_left -= 1;
                            prepared_at = now();
                            prepared = self.prepare_for(&target.name)?;
                            if prepared.added > 0 {
                                run.tally.total += prepared.added;
                                continue;
                            }
                        }
                        break SubmitStop::Done;
                    }
                    let wake = outbox::next_wake(self.db().conn(), &target.name)?;
                    let wait = wake
                        .and_then(|w| {
                            time::OffsetDateTime::parse(
                                &w,
                                &time::format_description::well_known::Rfc3339,
                            )
                            .ok()
                        })
                        .map(|w| (w - time::OffsetDateTime::now_utc()).max(time::Duration::ZERO))
                        .and_then(|d| Duration::try_from(d).ok())
                        .unwrap_or(options.backoff)
                        .max(Duration::from_millis(10));
                    if Instant::now() + wait > deadline {
                        break if run.failures > 0
                            && run.tally.requests > 0
                            && self.last_was_offline()
                        {
                            SubmitStop::Offline
                        } else {
                            SubmitStop::GaveUp
                        };
                    }
                    progress(self.progress(
                        &run,
                        "waiting",
                        Some(wait),
                        Vec::new(),
                        "等待重试",
                        "waiting to retry",
                    ));
                    lease.nap(wait.min(Duration::from_secs(5))).await?;
                    continue;
                }
                lease.renew()?;
                match self.send_batch(&mut run, &batch).await? {
                    BatchEnd::Answered(results) => {
                        run.failures = 0;
                        progress(self.progress(
                            &run,
                            "sending",
                            None,
                            results,
                            "正在报送",
                            "submitting",
                        ));
                    }
                    BatchEnd::Failed {
                        disposition,
                        timed_out,
                    } => {
                        run.failures += 1;
                        if timed_out {
                            // A request that timed out may be too big for the link or the
                            // platform: the next ones carry half as many records.
                            batch_size = (batch.len() / 2).max(1);
                        }
                        match disposition {
                            Disposition::Paused(r) => break pause_stop(r),
                            Disposition::Defect => break SubmitStop::Refused,
                            Disposition::TooLarge => {
                                batch_size = (batch.len() / 2).max(1);
                            }
                            Disposition::Offline => {
                                progress(self.progress(
                                    &run,
                                    "offline",
                                    None,
                                    Vec::new(),
                                    "网络或平台不可用，恢复后自动继续",
                                    "offline: the run resumes when the platform answers",
                                ));
                            }
                            _ => {
                                progress(self.progress(
                                    &run,
                                    "waiting",
                                    None,
                                    Vec::new(),
                                    "平台暂时无法处理，稍后自动重试",
                                    "the platform is busy; retrying shortly",
                                ));
                            }
                        }
                    }
                }
            };
        }
        let counts = outbox::counts(self.db().conn(), &target.name)?;
        let waiting = u32::try_from(counts.ready + counts.retry_wait + counts.sending).unwrap_or(0);
        let (zh, en) = stop_message(stop, &run.tally, waiting, prepared.held);
        progress(self.progress(&run, "done", None, Vec::new(), &zh, &en));
        let tally = std::mem::take(&mut run.tally);
        let (accepted, duplicates, rejected) = (tally.accepted, tally.duplicates, tally.rejected);
        let (reconciled, requests) = (tally.reconciled, tally.requests);
        let (mut results, results_omitted) = tally.into_results();
        for result in &mut results {
            if result.state == outbox::SENDING {
                result.state = outbox::RETRY_WAIT.into();
            }
        }
        let summary = SubmitSummary {
            run_id: run.id.clone(),
            platform: target.url.clone(),
            practice: target.practice,
            queued,
            accepted,
            duplicates,
            rejected,
            waiting,
            reconciled,
            held: prepared.held,
            requests,
            elapsed_ms: u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX),
            stop,
            message_zh: zh,
            message_en: en,
            results,
            results_omitted,
            counts: counts_dto(&counts),
        };
        Ok(summary)
    }

    fn last_was_offline(&self) -> bool {
        self.db()
            .conn()
            .query_row(
                "SELECT outcome FROM submission_attempt ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get::<_, Option<String>>(0),
            )
            .ok()
            .flatten()
            .as_deref()
            == Some("offline")
    }

    fn progress(
        &self,
        run: &Run<'_>,
        phase: &str,
        wait: Option<Duration>,
        results: Vec<SubmitRecordResult>,
        zh: &str,
        en: &str,
    ) -> SubmitProgress {
        let tally = &run.tally;
        let waiting = outbox::count_in(self.db().conn(), &run.target.name, outbox::RETRY_WAIT)
            .map(|n| u32::try_from(n).unwrap_or(0))
            .unwrap_or(0);
        SubmitProgress {
            phase: phase.into(),
            total: tally.total.max(tally.accepted + tally.rejected),
            done: tally.accepted + tally.rejected,
            accepted: tally.accepted,
            rejected: tally.rejected,
            waiting,
            wait_secs: wait.map(|w| w.as_secs() as u32),
            message_zh: zh.into(),
            message_en: en.into(),
            results,
        }
    }

    /// The next batch: due rows in id order, within the record and byte limits, leaving out
    /// declarations whose corrected record is neither accepted nor in the same batch before them.
    /// The flag is true when everything due is such a blocked declaration.
    fn next_batch(
        &self,
        target: &str,
        cursor: &mut i64,
        size: usize,
    ) -> Result<(Vec<outbox::DueRecord>, bool)> {
        let db = self.db();
        let conn = db.conn();
        // A few rows beyond the batch, so that a declaration held back does not leave it short.
        let due = outbox::due(conn, target, &now(), *cursor, (size + 16) as u32)?;
        let any_due = !due.is_empty();
        let mut batch: Vec<outbox::DueRecord> = Vec::new();
        let mut ids: HashSet<i64> = HashSet::new();
        let mut bytes = 16usize;
        for d in due {
            *cursor = d.id;
            if let Some(dep) = d.depends_on {
                let ok = ids.contains(&dep)
                    || outbox::state(conn, dep)?.as_deref() == Some(outbox::ACCEPTED);
                if !ok {
                    continue;
                }
            }
            if !batch.is_empty() && bytes + d.body.len() + 1 > MAX_BODY {
                *cursor = d.id - 1;
                break;
            }
            bytes += d.body.len() + 1;
            ids.insert(d.id);
            batch.push(d);
            if batch.len() >= size {
                break;
            }
        }
        let blocked_only = any_due && batch.is_empty();
        Ok((batch, blocked_only))
    }

    /// Sends one batch: recorded before, outcome recorded after.
    async fn send_batch(&self, run: &mut Run<'_>, batch: &[outbox::DueRecord]) -> Result<BatchEnd> {
        let started = now();
        let target = run.target;
        // Rows are marked `sending` first, in the transaction that records the attempt; a row
        // that is no longer due (answered or replaced meanwhile) is left out of the request.
        let (attempt, batch, prepared) = self.db().transact(|tx| -> Result<_> {
            let attempt = outbox::insert_attempt(
                tx,
                &target.name,
                &run.id,
                "batch",
                "/records:batch",
                batch.len() as i64,
                &started,
            )?;
            let ids: Vec<i64> = batch.iter().map(|d| d.id).collect();
            let marked: HashSet<i64> = outbox::mark_sending(tx, &ids, attempt, &started)?
                .into_iter()
                .collect();
            let batch: Vec<outbox::DueRecord> = batch
                .iter()
                .filter(|d| marked.contains(&d.id))
                .cloned()
                .collect();
            let bodies: Vec<&str> = batch.iter().map(|d| d.body.as_str()).collect();
            // The archive's head goes with the request (contract 1.1, `X-Archive-Head`): the
            // platform keeps it, an outside witness `archive verify --against-platform` compares.
            let prepared = run
                .client
                .prepare_batch(&bodies)
                .with_anchor(&crate::archive::local_anchor(tx)?);
            store::archive::append(
                tx,
                &store::archive::NewEntry {
                    at: started.clone(),
                    direction: "request".into(),
                    attempt_id: Some(attempt),
                    method: prepared.method.clone(),
                    endpoint: prepared.endpoint.clone(),
                    status: None,
                    request_id: None,
                    record_keys: batch.iter().map(|d| d.key.clone()).collect(),
                    headers: prepared.headers_json(),
                    body: prepared.body.clone(),
                    outcome: String::new(),
                },
            )?;
            Ok((attempt, batch, prepared))
        })?;
        if batch.is_empty() {
            return Ok(BatchEnd::Answered(Vec::new()));
        }
        let keys: Vec<&str> = batch.iter().map(|d| d.key.as_str()).collect();
        run.tally.requests += 1;
        let (exchange, result) = run.client.send_batch(prepared, &keys).await;
        let finished = now();
        let outcome_name = match &result {
            Ok(_) => "ok".to_string(),
            Err(e) => e.code(),
        };
        let (base, failures, practice) = (run.base, run.failures, target.practice);
        let mut answered = Vec::new();
        let end = self.db().write(|tx| {
            store::archive::append(
                tx,
                &store::archive::NewEntry {
                    at: finished.clone(),
                    direction: "response".into(),
                    attempt_id: Some(attempt),
                    method: exchange.method.clone(),
                    endpoint: exchange.endpoint.clone(),
                    status: exchange.status,
                    request_id: exchange.request_id.clone(),
                    record_keys: keys.iter().map(|k| k.to_string()).collect(),
                    headers: "{}".into(),
                    body: exchange
                        .response_body
                        .clone()
                        .unwrap_or_else(|| match &result {
                            Err(e) => format!("(no response: {e})"),
                            Ok(_) => String::new(),
                        }),
                    outcome: outcome_name.clone(),
                },
            )?;
            let error = result.as_ref().err().map(|e| e.to_string());
            outbox::finish_attempt(
                tx,
                attempt,
                &finished,
                &outcome_name,
                exchange.status,
                exchange.request_id.as_deref(),
                error.as_deref(),
            )?;
            match &result {
                Ok(outcomes) => {
                    for (d, o) in batch.iter().zip(outcomes) {
                        let r = apply_outcome(tx, d, o, &finished, base, practice)?;
                        answered.push(r);
                    }
                    Ok(BatchEnd::Answered(Vec::new()))
                }
                Err(e) => {
                    let disposition = e.disposition();
                    let (wait, unknown) = match disposition {
                        Disposition::NotStored {
                            retry_after: Some(ra),
                        } => (ra + ra.mul_f64(jitter() - 0.5).max(Duration::ZERO), false),
                        Disposition::NotStored { retry_after: None } => {
                            (backoff(base, failures), false)
                        }
                        Disposition::Unknown => (backoff(base, failures), true),
                        Disposition::Offline => {
                            (backoff(base, failures).min(Duration::from_secs(30)), false)
                        }
                        // Nothing was stored (the platform refused before reading the records).
                        Disposition::Paused(_) | Disposition::Defect | Disposition::TooLarge => {
                            (Duration::ZERO, false)
                        }
                    };
                    let next = later(wait);
                    let text = e.to_string();
                    if disposition == Disposition::TooLarge && batch.len() == 1 {
                        outbox::mark_rejected(
                            tx,
                            batch[0].id,
                            "TOO_LARGE",
                            "记录超过平台允许的 5 MiB，无法报送，请拆分（如分批赋码）",
                            None,
                            &finished,
                        )?;
                    } else {
                        for d in &batch {
                            outbox::mark_retry(tx, d.id, &next, unknown, &text, &finished)?;
                        }
                    }
                    Ok(BatchEnd::Failed {
                        disposition,
                        timed_out: outcome_name == "timeout",
                    })
                }
            }
        })?;
        for r in &answered {
            match r.state.as_str() {
                outbox::ACCEPTED => {
                    run.tally.accepted += 1;
                    if r.duplicate {
                        run.tally.duplicates += 1;
                    }
                }
                outbox::REJECTED => run.tally.rejected += 1,
                _ => {}
            }
            run.tally.record(r.clone());
        }
        Ok(match end {
            BatchEnd::Answered(_) => BatchEnd::Answered(answered),
            failed => failed,
        })
    }

    /// Settles one record left in `sending`: `None` when settled, else why not (yet).
    async fn reconcile_one(
        &self,
        run: &mut Run<'_>,
        id: i64,
        key: &str,
    ) -> Result<Option<Disposition>> {
        let prepared = run.client.prepare_status(key);
        let started = now();
        let target = run.target;
        let attempt = self.db().write(|tx| {
            let attempt = outbox::insert_attempt(
                tx,
                &target.name,
                &run.id,
                "reconcile",
                &prepared.endpoint,
                1,
                &started,
            )?;
            store::archive::append(
                tx,
                &store::archive::NewEntry {
                    at: started.clone(),
                    direction: "request".into(),
                    attempt_id: Some(attempt),
                    method: prepared.method.clone(),
                    endpoint: prepared.endpoint.clone(),
                    record_keys: vec![key.to_string()],
                    headers: prepared.headers_json(),
                    body: String::new(),
                    ..Default::default()
                },
            )?;
            Ok(attempt)
        })?;
        run.tally.requests += 1;
        let (exchange, result) = run.client.send_status(prepared, key).await;
        let finished = now();
        let outcome = match &result {
            Ok(Some(_)) => "stored".to_string(),
            Ok(None) => "not-stored".to_string(),
            Err(e) => e.code(),
        };
        let row = self.db().write(|tx| {
            store::archive::append(
                tx,
                &store::archive::NewEntry {
                    at: finished.clone(),
                    direction: "response".into(),
                    attempt_id: Some(attempt),
                    method: exchange.method.clone(),
                    endpoint: exchange.endpoint.clone(),
                    status: exchange.status,
                    request_id: exchange.request_id.clone(),
                    record_keys: vec![key.to_string()],
                    headers: "{}".into(),
                    body: exchange.response_body.clone().unwrap_or_default(),
                    outcome: outcome.clone(),
                },
            )?;
            outbox::finish_attempt(
                tx,
                attempt,
                &finished,
                &outcome,
                exchange.status,
                exchange.request_id.as_deref(),
                result.as_ref().err().map(|e| e.to_string()).as_deref(),
            )?;
            match &result {
                Ok(Some(status)) => {
                    if !outbox::mark_accepted(tx, id, &status.receipt_id, &finished, false)? {
                        return Ok(None);
                    }
                    let row = outbox::get(tx, id)?;
                    if let Some(row) = &row {
                        lock_source(tx, row, &finished, target.practice)?;
                    }
                    Ok(row)
                }
                Ok(None) => {
                    outbox::mark_ready(tx, id, true, &finished)?;
                    Ok(None)
                }
                Err(_) => Ok(None),
            }
        })?;
        match result {
            Ok(found) => {
                run.tally.reconciled += 1;
                if let (Some(_), Some(row)) = (found, row) {
                    run.tally.accepted += 1;
                    let r = result_of(self.db().conn(), &row);
                    run.tally.record(r);
                }
                Ok(None)
            }
            Err(e) => Ok(Some(e.disposition())),
        }
    }
}

/// One run's fixed parts and its running tally.
struct Run<'a> {
    id: String,
    target: &'a Target,
    client: &'a platform::Client,
    tally: Tally,
    base: Duration,
    failures: u32,
}

enum BatchEnd {
    Answered(Vec<SubmitRecordResult>),
    Failed {
        disposition: Disposition,
        timed_out: bool,
    },
}

fn pause_stop(r: PauseReason) -> SubmitStop {
    match r {
        PauseReason::ClockSkew => SubmitStop::ClockSkew,
        PauseReason::AuthExpired | PauseReason::BadSignature => SubmitStop::AuthFailed,
    }
}

fn result_of(conn: &rusqlite::Connection, row: &OutboxRow) -> SubmitRecordResult {
    SubmitRecordResult {
        outbox_id: row.id,
        idempotency_key: row.key.clone(),
        kind: row.kind.clone(),
        label: row.label.clone(),
        state: row.state.clone(),
        receipt_id: row.receipt_id.clone(),
        duplicate: row.duplicate,
        code: row.reject_code.clone(),
        reason: row.reject_reason.clone(),
        pointer: row.reject_pointer.clone(),
        fix: (row.state == outbox::REJECTED).then(|| fix_for(conn, row)),
    }
}

/// A real platform accepted `row`: its source becomes read-only in entry (a change goes out as a
/// correction). What the practice platform accepts locks nothing: it does not count.
fn lock_source(
    tx: &rusqlite::Transaction<'_>,
    row: &OutboxRow,
    at: &str,
    practice: bool,
) -> store::Result<()> {
    if practice || row.kind == "errorDeclaration" || row.state != outbox::ACCEPTED {
        return Ok(());
    }
    outbox::set_submitted_at(tx, &row.source_kind, row.source_id, Some(at))
}

/// Records one record's answer from a batch.
fn apply_outcome(
    tx: &rusqlite::Transaction<'_>,
    d: &outbox::DueRecord,
    outcome: &RecordOutcome,
    now: &str,
    base: Duration,
    practice: bool,
) -> store::Result<SubmitRecordResult> {
    match outcome {
        RecordOutcome::Accepted { receipt_id } | RecordOutcome::Duplicate { receipt_id } => {
            let duplicate = matches!(outcome, RecordOutcome::Duplicate { .. });
            outbox::mark_accepted(tx, d.id, receipt_id, now, duplicate)?;
        }
        RecordOutcome::Rejected {
            retryable: true,
            code,
            ..
        } => {
            // Not processed (e.g. SIM_PARTIAL): the same record again, shortly.
            outbox::mark_retry(tx, d.id, &later(base.mul_f64(jitter())), false, code, now)?;
        }
        RecordOutcome::Rejected {
            code,
            reason,
            pointer,
            ..
        } => {
            outbox::mark_rejected(tx, d.id, code, reason, pointer.as_deref(), now)?;
        }
    }
    let row = outbox::get(tx, d.id)?.unwrap_or_default();
    lock_source(tx, &row, now, practice)?;
    Ok(result_of(tx, &row))
}

fn stop_message(stop: SubmitStop, t: &Tally, waiting: u32, held: u32) -> (String, String) {
    let head_zh = format!(
        "本次接收 {} 条，拒收 {} 条，仍在排队 {} 条。",
        t.accepted, t.rejected, waiting
    );
    let head_en = format!(
        "{} accepted, {} rejected, {} still queued.",
        t.accepted, t.rejected, waiting
    );
    let (held_zh, held_en) = if held > 0 && stop != SubmitStop::Done {
        (
            format!(
                "另有 {held} 条记录在上一版本报送途中被修改，平台答复后会自动报送修改后的内容。"
            ),
            format!(
                " {held} records were edited while their earlier version was in flight; the edit goes out once the platform answers for it."
            ),
        )
    } else {
        (String::new(), String::new())
    };
    let (zh, en) = match stop {
        SubmitStop::Done => (
            "全部记录已有平台答复。",
            "Every record has the platform's answer.",
        ),
        SubmitStop::Offline => (
            "网络或平台不可用，记录已保留在队列中，恢复后再次报送即可。",
            "Offline: the records stay queued; submit again when the platform can be reached.",
        ),
        SubmitStop::GaveUp => (
            "平台持续繁忙，记录已保留在队列中，稍后再次报送即可。",
            "The platform stayed busy; the records stay queued; submit again later.",
        ),
        SubmitStop::AuthFailed => (
            "平台拒绝了接入凭证（已过期或不正确），请在“设置 → 平台连接”中更新 AppKey/AppSecret 后再报送。",
            "The platform refused the credentials (expired or wrong); update the App Key/Secret under Settings → Platform, then submit again.",
        ),
        SubmitStop::ClockSkew => (
            "本机时间与平台相差超过 5 分钟，请校准电脑时间后再报送。",
            "This computer's clock is more than 5 minutes off the platform's; correct it, then submit again.",
        ),
        SubmitStop::Refused => (
            "平台拒绝了请求本身（地址或格式错误），记录仍在队列中，请检查平台地址。",
            "The platform refused the request itself (wrong address or format); the records stay queued; check the platform address.",
        ),
        SubmitStop::Cancelled => (
            "已取消，未发送的记录仍在队列中。",
            "Cancelled; unsent records stay queued.",
        ),
    };
    (
        format!("{head_zh}{zh}{held_zh}"),
        format!("{head_en} {en}{held_en}"),
    )
}

/// The data folder's practice platform, when it is running (tests and the CLI read its stats).
pub fn practice_handle(app: &App) -> Option<simulator::SimulatorHandle> {
    crate::practice::handle(&app.config().data_dir)
}

/// Whether a path is this app's database (used by the CLI's kill test to find the child).
pub fn db_path(app: &App) -> &Path {
    &app.config().db_path
}
