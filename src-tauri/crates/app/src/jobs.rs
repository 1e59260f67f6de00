//! The in-process work of one [`App`](crate::App): what a command started and a later command
//! reaches (to read on, to cancel, or to wait for). Nothing here is process-wide: each `App` has
//! its own, so several `App`s in one process (tests) do not see each other's work.
//!
//! What must hold across `App`s and processes (one submission or restore at a time per database)
//! is the lease in the database (`lease.rs`), not anything kept here.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU32};
use std::sync::{Arc, Mutex};

/// A submission run's switches: (a run is under way, cancel was asked).
pub(crate) type RunFlags = Arc<(AtomicBool, AtomicBool)>;

/// The open import sessions, oldest first, with their ids.
pub(crate) type ImportSessions = Vec<(u32, Arc<crate::import::Slot>)>;

#[derive(Default)]
pub(crate) struct Jobs {
    /// Import sessions: a file chosen in 导入, until committed, closed or pushed out.
    pub(crate) imports: Mutex<ImportSessions>,
    /// The last import session id handed out (ids start at 1).
    pub(crate) last_import: AtomicU32,
    /// The submission run of this `App`: one at a time, and its cancel switch.
    pub(crate) submission: RunFlags,
    /// The cancel switches of running code generations, by the caller's job id.
    pub(crate) generations: Mutex<HashMap<String, Arc<AtomicBool>>>,
    /// The practice platform of this `App`'s data folder, once something was sent to it.
    pub(crate) practice: Mutex<Option<simulator::SimulatorThread>>,
}
