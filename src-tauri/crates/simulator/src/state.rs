//! The simulator's state behind the routes: received records, fault settings, counters, nonces
//! and what the Ecode endpoints have received. A leaf module: the HTTP plumbing, the /api/v1 routes
//! and the Ecode routes all use it.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
use serde::Serialize;
use serde_json::Value;
use tokio::sync::Notify;

use crate::auth::NonceCache;
use crate::faults::{self, FaultKind, Faults};
use crate::store::Store;
use crate::{Error, SimulatorConfig, Stats};

/// Lets a handler close its own connection without answering.
#[derive(Clone)]
pub(crate) struct ConnCtl(pub(crate) Arc<Notify>);

impl ConnCtl {
    pub(crate) fn drop_connection(&self) {
        self.0.notify_one();
    }
}

/// Counters other than `accepted`, which is the store's size.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) rejected: u64,
    pub(crate) duplicates: u64,
    pub(crate) faults: u64,
}

pub(crate) struct Inner {
    pub(crate) faults: Faults,
    pub(crate) rng: ChaCha8Rng,
    pub(crate) forced: VecDeque<FaultKind>,
    pub(crate) store: Store,
    pub(crate) nonces: NonceCache,
    pub(crate) counters: Counters,
    pub(crate) ecode: EcodeState,
}

pub(crate) struct Shared {
    pub(crate) config: SimulatorConfig,
    pub(crate) secrets: HashMap<String, String>,
    pub(crate) requests: AtomicU64,
    pub(crate) state: Mutex<Inner>,
}

impl Shared {
    pub(crate) fn new(config: SimulatorConfig) -> Result<Shared, Error> {
        let store =
            Store::open(config.store_file.as_deref()).map_err(|source| Error::StoreFile {
                path: config.store_file.clone().unwrap_or_default(),
                source,
            })?;
        let secrets = config.credentials.iter().cloned().collect();
        let state = Inner {
            faults: config.faults.clone(),
            rng: ChaCha8Rng::seed_from_u64(config.seed),
            forced: VecDeque::new(),
            store,
            nonces: NonceCache::new(2 * config.clock_skew_secs as i64, config.max_nonces),
            counters: Counters::default(),
            ecode: EcodeState::default(),
        };
        Ok(Shared {
            config,
            secrets,
            requests: AtomicU64::new(0),
            state: Mutex::new(state),
        })
    }

    /// The state lock. No `.await` happens while it is held. A panic while holding it cannot
    /// leave a half-written record (stores are single pushes), so a poisoned lock is used as is.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn secret(&self, app_key: &str) -> Option<&str> {
        self.secrets.get(app_key).map(String::as_str)
    }

    pub(crate) fn stats(&self) -> Stats {
        let st = self.lock();
        Stats {
            accepted: st.store.len() as u64,
            rejected: st.counters.rejected,
            duplicates: st.counters.duplicates,
            requests: self.requests.load(Ordering::Relaxed),
            faults: st.counters.faults,
        }
    }

    pub(crate) fn accepted_records(&self) -> Vec<Value> {
        self.lock()
            .store
            .records()
            .iter()
            .map(|r| serde_json::from_str(&r.record).unwrap_or(Value::Null))
            .collect()
    }

    pub(crate) fn set_faults(&self, faults: Faults) {
        self.lock().faults = faults;
    }

    pub(crate) fn faults(&self) -> Faults {
        self.lock().faults.clone()
    }

    pub(crate) fn force_next(&self, kinds: &[FaultKind]) {
        self.lock().forced.extend(kinds.iter().copied());
    }

    pub(crate) fn reset(&self) {
        let mut st = self.lock();
        st.faults = self.config.faults.clone();
        st.rng = ChaCha8Rng::seed_from_u64(self.config.seed);
        st.forced.clear();
        st.store.clear();
        st.nonces.clear();
        st.counters = Counters::default();
        st.ecode = EcodeState::default();
        self.requests.store(0, Ordering::Relaxed);
    }

    /// Counts a platform request and returns its id.
    pub(crate) fn next_request(&self) -> u64 {
        self.requests.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// At most one fault for this request: a queued forced fault, else one draw (contract §10).
    pub(crate) fn draw_fault(&self) -> Option<FaultKind> {
        let mut st = self.lock();
        if let Some(kind) = st.forced.pop_front() {
            return Some(kind);
        }
        if st.faults.is_none() {
            return None;
        }
        let u = faults::unit(&mut st.rng);
        st.faults.pick(u)
    }

    pub(crate) fn count_fault(&self) {
        self.lock().counters.faults += 1;
    }
}

/// What the Ecode endpoints have received.
#[derive(Debug, Default, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EcodeState {
    pub(crate) products: Vec<EcodeProduct>,
    pub(crate) batches: Vec<Value>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EcodeProduct {
    pub(crate) return_id: String,
    pub(crate) code: String,
    pub(crate) product_name: String,
    pub(crate) status: &'static str,
    pub(crate) body: Value,
}
