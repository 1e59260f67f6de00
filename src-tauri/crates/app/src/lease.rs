//! The submission lease as the use-cases hold it: one submit or restore at a time per database,
//! across processes (the window and a scheduled `tracedesk submit` share one file).
//!
//! The lease lives in the database (`store::lease`, migration 0008). A holder renews it while it
//! works; a holder that stops renewing loses it after [`TTL`], and one whose process is gone from
//! this computer loses it at once, so a run killed with `kill -9` never blocks the next one.

use crate::messages::Msg;
use std::time::Duration;

use store::lease::{self, Acquired, Holder};

use crate::clock::{now, stamp};
use crate::{ApiError, App, Result, SubmissionLease};

/// How long a lease lives without a heartbeat. Longer than any single request (30 s timeout),
/// so a holder renews before and after each request and every few seconds while it waits.
pub(crate) const TTL: Duration = Duration::from_secs(120);
/// How often a waiting holder renews.
pub(crate) const HEARTBEAT: Duration = Duration::from_secs(10);

/// The name of this computer, for the message another process shows. Read from where each OS
/// keeps it (a crate for one file read or one variable would add nothing).
fn host_name() -> String {
    std::env::var("COMPUTERNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

fn program_name() -> String {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "tracedesk".into())
}

/// Whether `holder`'s process is known to have ended: same computer and no such process. Only
/// Linux answers this cheaply (`/proc`); elsewhere a dead holder's lease simply expires.
fn holder_gone(holder: &Holder) -> bool {
    if holder.host != host_name() {
        return false;
    }
    if holder.pid == std::process::id() {
        // This process: its holder is alive (a guard releases the lease when dropped, also when
        // unwinding), e.g. the window's run while the window asks to restore.
        return false;
    }
    cfg!(target_os = "linux") && !std::path::Path::new(&format!("/proc/{}", holder.pid)).exists()
}

fn token() -> String {
    let mut b = [0u8; 8];
    let _ = getrandom::fill(&mut b);
    hex::encode(b)
}

fn expiry() -> String {
    stamp(time::OffsetDateTime::now_utc() + TTL)
}

/// Who holds a lease, as the clerk reads it.
pub(crate) fn busy_error(l: &lease::Lease) -> ApiError {
    Msg::SubmissionLeaseBusy {
        restoring: l.holder.purpose == "restore",
        program: l.holder.program.to_string(),
        pid: l.holder.pid as i64,
        host: l.holder.host.to_string(),
        since: l.acquired_at.to_string(),
        lapses: l.expires_at.to_string(),
    }
    .err()
}

/// A held lease. Dropping it gives the lease up.
pub(crate) struct LeaseGuard<'a> {
    app: &'a App,
    token: String,
}

impl LeaseGuard<'_> {
    /// Extends the lease; an error when another process has taken it over meanwhile (this one
    /// stalled past the expiry), in which case the caller must stop at once.
    pub(crate) fn renew(&self) -> Result<()> {
        let ok = self
            .app
            .db()
            .write(|tx| lease::renew(tx, &self.token, &now(), &expiry()))?;
        if ok {
            return Ok(());
        }
        Err(Msg::SubmissionLeaseLost.err())
    }

    /// Sleeps `d`, renewing the lease every [`HEARTBEAT`].
    pub(crate) async fn nap(&self, d: Duration) -> Result<()> {
        let mut left = d;
        while !left.is_zero() {
            let step = left.min(HEARTBEAT);
            tokio::time::sleep(step).await;
            left -= step;
            self.renew()?;
        }
        Ok(())
    }
}

impl Drop for LeaseGuard<'_> {
    fn drop(&mut self) {
        let _ = self.app.db().write(|tx| lease::release(tx, &self.token));
    }
}

impl App {
    /// Takes the submission lease for `purpose` (`submit` or `restore`), or says who holds it.
    pub(crate) fn take_lease(&self, purpose: &str) -> Result<LeaseGuard<'_>> {
        let holder = Holder {
            token: token(),
            program: program_name(),
            pid: std::process::id(),
            host: host_name(),
            purpose: purpose.into(),
        };
        let got = self
            .db()
            .write(|tx| lease::acquire(tx, &holder, &now(), &expiry(), holder_gone))?;
        match got {
            Acquired::Granted { .. } => Ok(LeaseGuard {
                app: self,
                token: holder.token,
            }),
            Acquired::Busy(l) => Err(busy_error(&l)),
        }
    }

    /// Who holds the submission lease now, if a live holder does (the window shows it, and
    /// disables its own 报送 button meanwhile).
    pub fn submission_lease(&self) -> Result<Option<SubmissionLease>> {
        let now = now();
        let Some(l) = lease::current(self.db().conn())? else {
            return Ok(None);
        };
        if l.expires_at <= now || holder_gone(&l.holder) {
            return Ok(None);
        }
        let e = busy_error(&l);
        let this_process = l.holder.pid == std::process::id() && l.holder.host == host_name();
        Ok(Some(SubmissionLease {
            program: l.holder.program,
            pid: l.holder.pid,
            host: l.holder.host.clone(),
            purpose: l.holder.purpose,
            since: l.acquired_at,
            expires_at: l.expires_at,
            this_process,
            message_zh: e.message_zh,
            message_en: e.message_en,
        }))
    }
}
