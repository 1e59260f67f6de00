//! The one way the app locks its in-process tables (`jobs.rs`). A leaf module.

use std::sync::{Mutex, MutexGuard};

/// Locks a job table. A panic while it was held leaves at most a half-done step that the next
/// step redoes, so a poisoned lock is safe to reuse.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
