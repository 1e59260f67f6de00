//! Practice mode (练习模式): the built-in simulator, started in this process on 127.0.0.1:0 the
//! first time something is submitted, so every flow works on first launch with no account.
//!
//! One practice platform per data folder, kept for the life of the process, with its accepted
//! records mirrored to `<data dir>/practice-platform.jsonl` so that reconciling and corrections
//! still find them after a restart. It uses the documented practice credentials
//! (`practice` / `practice-secret`, contract §10), which are valid nowhere else.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::{ApiError, ErrorCode, Result};

fn registry() -> &'static Mutex<HashMap<PathBuf, simulator::SimulatorThread>> {
    static REGISTRY: OnceLock<Mutex<HashMap<PathBuf, simulator::SimulatorThread>>> =
        OnceLock::new();
    REGISTRY.get_or_init(Default::default)
}

/// The practice platform of `data_dir`, started if needed: its base URL (`…/api/v1`) and handle.
pub(crate) fn ensure(data_dir: &Path) -> Result<(String, simulator::SimulatorHandle)> {
    let mut map = registry()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(sim) = map.get(data_dir) {
        return Ok((format!("{}/api/v1", sim.url), sim.handle()));
    }
    let config = simulator::SimulatorConfig {
        store_file: Some(data_dir.join("practice-platform.jsonl")),
        ..simulator::SimulatorConfig::practice()
    };
    let addr: SocketAddr = ([127, 0, 0, 1], 0).into();
    let sim = simulator::spawn_blocking_thread(config, addr).map_err(|e| {
        ApiError::new(
            ErrorCode::Internal,
            format!("练习平台无法启动：{e}"),
            format!("the practice platform cannot start: {e}"),
        )
    })?;
    let result = (format!("{}/api/v1", sim.url), sim.handle());
    map.insert(data_dir.to_path_buf(), sim);
    Ok(result)
}

/// The running practice platform of `data_dir`, if it was started (tests and the E2E harness
/// read its statistics).
pub fn handle(data_dir: &Path) -> Option<simulator::SimulatorHandle> {
    registry()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .get(data_dir)
        .map(|s| s.handle())
}
