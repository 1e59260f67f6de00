//! The shapes the UI and the CLI see. Each derives `ts_rs::TS`; `cargo test -p app` writes the
//! TypeScript bindings to `ui/src/api/bindings/`, which are committed (one file per type, named
//! after the type, whatever module defines it).
//!
//! One module per idea, all re-exported here and from the crate root, so callers write
//! `app::Product` whichever file defines it:
//!
//! - [`setup`]: the wizard and settings (enterprise, coding and platform settings, status);
//! - [`entry`]: master data and daily entry;
//! - [`chain`]: scanning, trace, recall, the dashboard and reports;
//! - [`coding`]: 赋码 — code forms, the serial ledger, generation, labels, code events;
//! - [`submit`]: 报送 — the checklist, submissions, the archive. The file names use "submit",
//!   like the `submit` module of the crate, never "submission";
//! - [`import`]: spreadsheet import;
//! - [`catalogues`]: the catalogues in use, a new file's preview (目录与数据);
//! - [`care`]: database check, backups and restore, automatic backups, diagnostics, About;
//! - [`platform`]: the platform connection;
//! - [`print`]: label printers and print jobs.
//!
//! The 追溯码方案 and 赋码粒度 are not defined here: they are `codes::Scheme` (named `CodeScheme`
//! in the API and in TypeScript) and `codes::Granularity`, re-exported by [`setup`].

pub mod care;
pub mod catalogues;
pub mod chain;
pub mod coding;
pub mod entry;
pub mod import;
pub mod platform;
pub mod print;
pub mod setup;
pub mod submit;

pub use care::*;
pub use catalogues::*;
pub use chain::*;
pub use coding::*;
pub use entry::*;
pub use import::*;
pub use platform::*;
pub use print::*;
pub use setup::*;
pub use submit::*;
