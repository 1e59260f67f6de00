//! Submission (报送): the checklist, the outbox and the run that reports records to the platform.
//!
//! A run: (1) **prepare** (`prepare.rs`) — build every record that is new, still unsent,
//! rejected, or opened for correction, and queue the versions whose key changed (a rejected or
//! unsent version is superseded; an accepted one is corrected with a corrected record plus an
//! `errorDeclaration`); (2) **reconcile** (`reconcile.rs`) — records left in `sending` by a run
//! that died are settled with `GET /records/{key}` before anything is resent; (3) **send**
//! (`run.rs`) — due records go out in batches of up to 500 records and 5 MiB (contract §9), each
//! attempt recorded (state `sending`, an attempt row, the archived request) in a committed
//! transaction before the request leaves, and its outcome (the archived response, each record's
//! new state) in one transaction after.
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

use crate::messages::Msg;
pub(crate) mod build;
#[cfg(test)]
mod model_tests;
mod prepare;
mod reconcile;
mod run;
#[cfg(test)]
mod supplier_codes_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod workflow_tests;

use std::path::Path;
use std::time::Duration;

use store::outbox::{self, OutboxRow};
use store::submission;

use crate::submit::build::link;
use crate::{
    App, CodingSettings, FixLink, OutboxCounts, OutboxEntry, OutboxPage, OutboxQuery, PlatformMode,
    PlatformSettings, QueueTarget, Result,
};

#[cfg(test)]
use run::Tally;
pub use run::{RESULTS_KEPT, RunOptions};

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

pub(crate) use crate::clock::{now, stamp};

/// The local archive head as an anchor for `X-Archive-Head` (contract §6.4): the number of
/// entries and the hash of the last one (the genesis value when empty), read from the head row
/// so it costs the same on every request. A batch carries the head taken before its own request
/// is archived.
pub(crate) fn local_anchor(conn: &store::Connection) -> store::Result<platform::ArchiveAnchor> {
    let (entries, hash) = store::archive::head_anchor(conn)?;
    Ok(platform::ArchiveAnchor { entries, hash })
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
fn fix_for(conn: &store::Connection, row: &OutboxRow) -> FixLink {
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
        submission::shipment_customer(conn, row.source_id)
    } else if pointer.starts_with("/payload/supplier") && row.source_kind == "receipt" {
        submission::receipt_supplier(conn, row.source_id)
    } else {
        Ok(None)
    };
    if let Ok(Some(party_id)) = party {
        return link("parties", Some(party_id), field);
    }
    link(screen, id, field)
}

fn entry_dto(conn: &store::Connection, row: OutboxRow) -> OutboxEntry {
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
        let row =
            outbox::get(db.conn(), id)?.ok_or_else(|| Msg::OutboxRecordNotFound { id }.err())?;
        if row.state != outbox::ACCEPTED || row.kind == "errorDeclaration" {
            return Err(Msg::CorrectionOnlyAccepted.err());
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
                    return Err(Msg::CorrectionOnlyCurrent {
                        id,
                        current: c.id,
                        state_zh: state_zh(&c.state).to_string(),
                        state_en: c.state.to_string(),
                    }
                    .err());
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

/// Whether a path is this app's database (used by the CLI's kill test to find the child).
pub fn db_path(app: &App) -> &Path {
    &app.config().db_path
}

/// Archives a request before it is sent (the chain's `request` entry), in the transaction that
/// records the attempt `attempt_id` it belongs to, if any.
pub(crate) fn archive_request(
    tx: &store::Connection,
    at: &str,
    attempt_id: Option<i64>,
    prepared: &platform::client::Prepared,
    record_keys: Vec<String>,
) -> store::Result<()> {
    store::archive::append(
        tx,
        &store::archive::NewEntry {
            at: at.to_string(),
            direction: "request".into(),
            attempt_id,
            method: prepared.method.clone(),
            endpoint: prepared.endpoint.clone(),
            record_keys,
            headers: prepared.headers_json(),
            body: prepared.body.clone(),
            ..Default::default()
        },
    )?;
    Ok(())
}

/// Archives the platform's answer to a request (the chain's `response` entry), in the
/// transaction that records what it means: the body as received, or `no_body` when none came.
pub(crate) fn archive_response(
    tx: &store::Connection,
    at: &str,
    attempt_id: Option<i64>,
    exchange: &platform::client::Exchange,
    record_keys: Vec<String>,
    no_body: impl FnOnce() -> String,
    outcome: &str,
) -> store::Result<()> {
    store::archive::append(
        tx,
        &store::archive::NewEntry {
            at: at.to_string(),
            direction: "response".into(),
            attempt_id,
            method: exchange.method.clone(),
            endpoint: exchange.endpoint.clone(),
            status: exchange.status,
            request_id: exchange.request_id.clone(),
            record_keys,
            headers: "{}".into(),
            body: exchange.response_body.clone().unwrap_or_else(no_body),
            outcome: outcome.to_string(),
        },
    )?;
    Ok(())
}
