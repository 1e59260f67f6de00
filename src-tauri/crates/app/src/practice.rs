//! Practice mode (练习模式): the built-in simulator, started in this process on 127.0.0.1:0 the
//! first time something is submitted, so every flow works on first launch with no account.
//!
//! One practice platform per `App` (its data folder), kept for the life of the `App`, with its accepted
//! records mirrored to `<data dir>/practice-platform.jsonl` so that reconciling and corrections
//! still find them after a restart. It uses the documented practice credentials
//! (`practice` / `practice-secret`, contract §10), which are valid nowhere else.

use crate::messages::Msg;
use std::net::SocketAddr;

use crate::sync::lock;
use crate::{App, Result};

impl App {
    /// The practice platform of this data folder, started if needed: its base URL (`…/api/v1`)
    /// and handle.
    pub(crate) fn practice_platform(&self) -> Result<(String, simulator::SimulatorHandle)> {
        let mut running = lock(&self.jobs.practice);
        if let Some(sim) = running.as_ref() {
            return Ok((format!("{}/api/v1", sim.url), sim.handle()));
        }
        let config = simulator::SimulatorConfig {
            store_file: Some(self.config().data_dir.join("practice-platform.jsonl")),
            ..simulator::SimulatorConfig::practice()
        };
        let addr: SocketAddr = ([127, 0, 0, 1], 0).into();
        let sim = simulator::spawn_blocking_thread(config, addr).map_err(|e| {
            Msg::PracticePlatformDown {
                error: e.to_string(),
            }
            .err()
        })?;
        let result = (format!("{}/api/v1", sim.url), sim.handle());
        *running = Some(sim);
        Ok(result)
    }

    /// The running practice platform, if it was started (tests, the CLI and the E2E harness read
    /// its statistics).
    pub fn practice_handle(&self) -> Option<simulator::SimulatorHandle> {
        lock(&self.jobs.practice).as_ref().map(|s| s.handle())
    }
}
