//! The submission lease (migration 0008): which process may send, reconcile or restore.
//!
//! The window and a scheduled `tracedesk submit` share one database file. A run holds the lease
//! in the database itself, renewing it with a heartbeat; another process that finds a live lease
//! waits or says who holds it. A lease whose holder stopped renewing it expires, and one held by
//! a process of this computer that no longer exists is taken over at once, so a run killed with
//! `kill -9` never blocks the next one for long.

use rusqlite::{Connection, OptionalExtension, params};

use crate::Result;

/// The one lease name the schema admits.
pub const SUBMISSION: &str = "submission";

/// Who holds (or wants) the lease.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    /// A random token of the run; only the holder renews or releases.
    pub token: String,
    /// `desktop` or `cli`.
    pub program: String,
    pub pid: u32,
    pub host: String,
    /// `submit` or `restore`.
    pub purpose: String,
}

/// A lease as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub holder: Holder,
    pub acquired_at: String,
    pub heartbeat_at: String,
    pub expires_at: String,
}

/// What [`acquire`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Acquired {
    /// The lease is ours now (it was free, expired, or its holder's process is gone).
    Granted { took_over: Option<Lease> },
    /// Another live holder has it.
    Busy(Lease),
}

fn read(conn: &Connection) -> Result<Option<Lease>> {
    Ok(conn
        .prepare_cached(
            "SELECT holder, program, pid, host, purpose, acquired_at, heartbeat_at, expires_at
             FROM run_lease WHERE name = ?1",
        )?
        .query_row([SUBMISSION], |r| {
            Ok(Lease {
                holder: Holder {
                    token: r.get(0)?,
                    program: r.get(1)?,
                    pid: r.get(2)?,
                    host: r.get(3)?,
                    purpose: r.get(4)?,
                },
                acquired_at: r.get(5)?,
                heartbeat_at: r.get(6)?,
                expires_at: r.get(7)?,
            })
        })
        .optional()?)
}

/// The current lease, expired or not.
pub fn current(conn: &Connection) -> Result<Option<Lease>> {
    read(conn)
}

/// Takes the lease for `holder` until `expires_at`, unless another holder's lease is still live
/// at `now`. `holder_gone` says whether a holder's process is known to have ended (same host, no
/// such process). Call inside a write (IMMEDIATE) transaction, so two processes cannot both win.
pub fn acquire(
    conn: &Connection,
    holder: &Holder,
    now: &str,
    expires_at: &str,
    holder_gone: impl Fn(&Holder) -> bool,
) -> Result<Acquired> {
    let existing = read(conn)?;
    let mut took_over = None;
    if let Some(lease) = existing {
        let ours = lease.holder.token == holder.token;
        let live = lease.expires_at.as_str() > now;
        if !ours && live && !holder_gone(&lease.holder) {
            return Ok(Acquired::Busy(lease));
        }
        if !ours {
            took_over = Some(lease);
        }
    }
    conn.prepare_cached(
        "INSERT INTO run_lease (name, holder, program, pid, host, purpose, acquired_at, heartbeat_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, program = excluded.program,
             pid = excluded.pid, host = excluded.host, purpose = excluded.purpose,
             acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at,
             expires_at = excluded.expires_at",
    )?
    .execute(params![
        SUBMISSION,
        holder.token,
        holder.program,
        holder.pid,
        holder.host,
        holder.purpose,
        now,
        expires_at
    ])?;
    Ok(Acquired::Granted { took_over })
}

/// Extends the lease of `token`; false when it is no longer ours (expired and taken over).
pub fn renew(conn: &Connection, token: &str, now: &str, expires_at: &str) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE run_lease SET heartbeat_at = ?3, expires_at = ?4 WHERE name = ?1 AND holder = ?2",
        )?
        .execute(params![SUBMISSION, token, now, expires_at])?;
    Ok(n == 1)
}

/// Whether `token` holds the lease (whatever its expiry: a holder that is still renewing it).
pub fn holds(conn: &Connection, token: &str) -> Result<bool> {
    Ok(read(conn)?.is_some_and(|l| l.holder.token == token))
}

/// Gives the lease up, if `token` still holds it.
pub fn release(conn: &Connection, token: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM run_lease WHERE name = ?1 AND holder = ?2")?
        .execute(params![SUBMISSION, token])?;
    Ok(())
}

/// Drops any lease: a restored file may carry the lease of the run that was going on when it was
/// backed up, whose process is not this one.
pub fn clear(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM run_lease", [])?;
    Ok(())
}
