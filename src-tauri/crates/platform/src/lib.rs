//! tracedesk's adapter to the traceability platforms.
//!
//! - [`model`]: what is reported, in EPCIS 2.0 terms (master data, commissioning, receiving,
//!   transformation, shipping, error declarations), built by `app` from the store's rows;
//! - [`canonical`] and [`seal`]: the contract's canonical form and idempotency key (§3), pure;
//! - [`client`]: the signed JSON client of `src-tauri/contract/submission-api.md` and the typed
//!   outcome of every call (§7, §8);
//! - [`anchor`]: the archive anchor of §6.4, the platform's copy of the client's archive head;
//! - [`ecode`]: the iotroot-shaped Ecode adapter of contract §11, **待与官方接口文档核对**;
//! - [`epcis`] and [`xlsx`]: file exports for manual upload (EPCIS 2.0 JSON-LD, a workbook).
//!
//! The contract's JSON lives in the private `wire` module and never leaves this crate. This crate
//! depends on no other tracedesk crate: not on `store` (the app passes rows in as model values),
//! not on `tauri`, and not on the simulator, which is written from the contract independently and
//! only serves this crate's tests.

pub mod anchor;
pub mod canonical;
pub mod client;
mod convert;
pub mod ecode;
pub mod epcis;
pub mod model;
mod wire;
pub mod xlsx;

pub use anchor::{AnchorStatus, ArchiveAnchor};
pub use client::{
    Client, Credentials, Disposition, Error, Exchange, PauseReason, Prepared, RecordOutcome,
    RecordStatus,
};
pub use convert::{Sealed, seal};
pub use model::{Granularity, Kind, Record, Scheme};

/// Records per batch the contract allows (§9).
pub const MAX_BATCH_RECORDS: usize = 500;
/// Body bytes the contract allows (§9).
pub const MAX_BODY_BYTES: usize = 5 * 1024 * 1024;

#[cfg(test)]
mod tests;
