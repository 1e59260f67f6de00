//! Send: what is due goes out in batches, each attempt recorded before the request leaves and
//! its outcome after; the run's tally, progress and summary.

use crate::messages::Msg;
use std::collections::{BTreeMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use platform::{Disposition, PauseReason, RecordOutcome};
use store::outbox::{self, OutboxRow};
use store::submission;

use super::prepare::Prepared;
use super::{
    BATCH_SIZE, DEFAULT_BACKOFF, DEFAULT_MAX_WAIT, DEFAULT_TIMEOUT, MAX_BODY, archive_response,
    backoff, counts_dto, fix_for, jitter, later, now, run_id, target_name,
};
use crate::jobs::RunFlags;
use crate::lease::LeaseGuard;
use crate::{
    App, PlatformMode, Result, SubmitProgress, SubmitRecordResult, SubmitRequest, SubmitStop,
    SubmitSummary,
};

struct RunGuard(RunFlags);

impl Drop for RunGuard {
    fn drop(&mut self) {
        self.0.0.store(false, Ordering::SeqCst);
        self.0.1.store(false, Ordering::SeqCst);
    }
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
pub(crate) struct Tally {
    pub(super) total: u32,
    pub(super) accepted: u32,
    pub(super) duplicates: u32,
    pub(super) rejected: u32,
    pub(super) reconciled: u32,
    pub(super) requests: u32,
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
    pub(super) fn record(&mut self, r: SubmitRecordResult) {
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
    pub(super) fn into_results(self) -> (Vec<SubmitRecordResult>, u32) {
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
            let (url, _) = self.practice_platform()?;
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
            Msg::PlatformAddressNotHttps {
                error: e.to_string(),
            }
            .err()
        })?;
        let app_key = settings.map(|s| s.app_key).unwrap_or_default();
        let secret = crate::credentials::load(&self.config().data_dir, &app_key, true)
            .map(|(s, _)| s)
            .filter(|_| !app_key.is_empty())
            .ok_or_else(|| Msg::PlatformCredentialsMissing.err())?;
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

    /// Cancels this `App`'s running submission, if any; it stops after its current
    /// request, which keeps its recorded outcome.
    pub fn cancel_submission(&self) {
        self.jobs.submission.1.store(true, Ordering::SeqCst);
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
        let flags = self.jobs.submission.clone();
        if flags.0.swap(true, Ordering::SeqCst) {
            return Err(Msg::SubmissionRunning.err());
        }
        let _guard = RunGuard(flags.clone());
        let started = Instant::now();
        let target = self.target(request)?;
        let lease = self.take_lease("submit")?;
        let client =
            platform::Client::new(&target.url, target.credentials.clone(), options.timeout)
                .map_err(|e| {
                    Msg::PlatformAddressUnusable {
                        error: e.to_string(),
                    }
                    .err()
                })?;
        let mut run = Run {
            id: run_id(),
            target: &target,
            client: &client,
            tally: Tally::default(),
            base: options.backoff,
            failures: 0,
            deadline: started + options.max_wait,
            cancel: &flags.1,
        };
        progress(self.progress(
            &run,
            "preparing",
            None,
            Vec::new(),
            "正在检查待报送记录",
            "checking records to report",
        ));
        let prepared_at = now();
        let mut prepared = self.prepare_for(&target.name)?;
        let queued = prepared.added;
        {
            let c = outbox::counts(self.db().conn(), &target.name)?;
            run.tally.total = u32::try_from(c.ready + c.retry_wait + c.sending).unwrap_or(0);
        }
        let batch_size = options.batch_size.clamp(1, BATCH_SIZE);
        let mut stop = self
            .reconcile_abandoned(&mut run, &lease, &progress)
            .await?;
        if stop == SubmitStop::Done {
            stop = self
                .send_due(
                    &mut run,
                    &lease,
                    batch_size,
                    &mut prepared,
                    prepared_at,
                    &progress,
                )
                .await?;
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

    /// Sends what is due, until everything has a final answer or the run must stop. When the
    /// queue is empty, changes held back while their earlier version was in flight, and edits
    /// made while the run went on, are queued now (a few rounds at most: each round only queues
    /// content that differs from what the platform answered for).
    async fn send_due(
        &self,
        run: &mut Run<'_>,
        lease: &LeaseGuard<'_>,
        mut batch_size: usize,
        prepared: &mut Prepared,
        mut prepared_at: String,
        progress: &(impl Fn(SubmitProgress) + Send + Sync),
    ) -> Result<SubmitStop> {
        let target = run.target;
        let mut rounds_left = 3u32;
        let mut cursor = 0i64;
        let stop = loop {
            if run.cancel.load(Ordering::SeqCst) {
                break SubmitStop::Cancelled;
            }
            let (batch, blocked_only) = self.next_batch(&target.name, &mut cursor, batch_size)?;
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
                        *prepared = self.prepare_for(&target.name)?;
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
                    .unwrap_or(run.base)
                    .max(Duration::from_millis(10));
                if Instant::now() + wait > run.deadline {
                    break if run.failures > 0 && run.tally.requests > 0 && self.last_was_offline() {
                        SubmitStop::Offline
                    } else {
                        SubmitStop::GaveUp
                    };
                }
                progress(self.progress(
                    run,
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
            match self.send_batch(run, &batch).await? {
                BatchEnd::Answered(results) => {
                    run.failures = 0;
                    progress(self.progress(
                        run,
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
                                run,
                                "offline",
                                None,
                                Vec::new(),
                                "网络或平台不可用，恢复后自动继续",
                                "offline: the run resumes when the platform answers",
                            ));
                        }
                        _ => {
                            progress(self.progress(
                                run,
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
        Ok(stop)
    }

    fn last_was_offline(&self) -> bool {
        submission::last_attempt_outcome(self.db().conn())
            .ok()
            .flatten()
            .as_deref()
            == Some("offline")
    }

    pub(super) fn progress(
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
                .with_anchor(&super::local_anchor(tx)?);
            super::archive_request(
                tx,
                &started,
                Some(attempt),
                &prepared,
                batch.iter().map(|d| d.key.clone()).collect(),
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
            archive_response(
                tx,
                &finished,
                Some(attempt),
                &exchange,
                keys.iter().map(|k| k.to_string()).collect(),
                || match &result {
                    Err(e) => format!("(no response: {e})"),
                    Ok(_) => String::new(),
                },
                &outcome_name,
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
}

/// One run's fixed parts and its running tally.
pub(super) struct Run<'a> {
    pub(super) id: String,
    pub(super) target: &'a Target,
    pub(super) client: &'a platform::Client,
    pub(super) tally: Tally,
    /// The backoff's base (see [`backoff`]).
    pub(super) base: Duration,
    /// Consecutive failed requests.
    pub(super) failures: u32,
    /// When the run gives up waiting.
    pub(super) deadline: Instant,
    /// Set by [`App::cancel_submission`]: the run stops after its current request.
    pub(super) cancel: &'a AtomicBool,
}

enum BatchEnd {
    Answered(Vec<SubmitRecordResult>),
    Failed {
        disposition: Disposition,
        timed_out: bool,
    },
}

pub(super) fn pause_stop(r: PauseReason) -> SubmitStop {
    match r {
        PauseReason::ClockSkew => SubmitStop::ClockSkew,
        PauseReason::AuthExpired | PauseReason::BadSignature => SubmitStop::AuthFailed,
    }
}

pub(super) fn result_of(conn: &store::Connection, row: &OutboxRow) -> SubmitRecordResult {
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
pub(super) fn lock_source(
    tx: &store::Connection,
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
    tx: &store::Connection,
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
