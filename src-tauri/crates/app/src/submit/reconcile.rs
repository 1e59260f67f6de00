//! Reconcile: records a run that died left in `sending` are settled with `GET /records/{key}`
//! before anything is resent.

use std::sync::atomic::Ordering;
use std::time::Instant;

use platform::Disposition;
use store::outbox;

use super::run::{Run, lock_source, pause_stop, result_of};
use super::{archive_response, backoff, now};
use crate::lease::LeaseGuard;
use crate::{App, Result, SubmitProgress, SubmitStop};

impl App {
    /// Settles every record a dead run left in `sending`, before any resend. Holding the lease,
    /// no other process is sending: every such row was abandoned. `Done` when none is left.
    pub(super) async fn reconcile_abandoned(
        &self,
        run: &mut Run<'_>,
        lease: &LeaseGuard<'_>,
        progress: &(impl Fn(SubmitProgress) + Send + Sync),
    ) -> Result<SubmitStop> {
        let target = run.target;
        let mut stop = SubmitStop::Done;
        'reconcile: loop {
            let stuck = outbox::sending(self.db().conn(), &target.name, 200)?;
            if stuck.is_empty() {
                break;
            }
            progress(self.progress(
                run,
                "reconciling",
                None,
                Vec::new(),
                "正在核对上次中断时发送中的记录",
                "reconciling records an interrupted run left in flight",
            ));
            for (id, key) in stuck {
                if run.cancel.load(Ordering::SeqCst) {
                    stop = SubmitStop::Cancelled;
                    break 'reconcile;
                }
                lease.renew()?;
                match self.reconcile_one(run, id, &key).await? {
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
                                    _ => backoff(run.base, run.failures),
                                };
                                if Instant::now() + wait > run.deadline {
                                    stop = if other == Disposition::Offline {
                                        SubmitStop::Offline
                                    } else {
                                        SubmitStop::GaveUp
                                    };
                                    break 'reconcile;
                                }
                                progress(self.progress(
                                    run,
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
        Ok(stop)
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
            super::archive_request(
                tx,
                &started,
                Some(attempt),
                &prepared,
                vec![key.to_string()],
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
            archive_response(
                tx,
                &finished,
                Some(attempt),
                &exchange,
                vec![key.to_string()],
                String::new,
                &outcome,
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
