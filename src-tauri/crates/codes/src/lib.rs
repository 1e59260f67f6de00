//! Identifier and trace-code rules, exactly as the standards state them.
//!
//! This crate does no IO: no files, no clock, no network, no database. Every parser takes text and
//! returns either the parsed value or the reasons it is wrong, each with a Chinese and an English
//! message, so the caller can show them as they are. "Today" is always a parameter
//! ([`YearMonthDay`]). It depends on no other tracedesk crate; its reference data (the GS1 AI
//! table, ISO code lists, the Ecode version table, the CCC catalogue) is embedded from `data/`.
//!
//! - [`gs1`]: check digits and [`Gtin`], the AI table, element strings (bracketed, raw, HRI),
//!   scanner data, GS1 Digital Link, trace-code composition (domain.md §A);
//! - [`ecode`] (§B), [`digital_id`] (§C), [`ccc`] (§D), [`uscc`] (§E);
//! - [`serial`]: serial and lot patterns for 一物一码;
//! - [`check()`]: detect the kind of any code text and report every problem ([`CodeReport`]);
//! - [`datafile`]: the catalogue file format (header, columns, located errors); [`units`]: units
//!   of measure and their Rec 20 codes; [`check_with`]: [`check()`] against a loaded CCC catalogue;
//! - [`vocab`]: the 追溯码方案 [`Scheme`] and 赋码粒度 [`Granularity`] the whole workspace shares.

pub mod ccc;
pub mod check;
pub mod datafile;
pub mod date;
pub mod digital_id;
pub mod ecode;
pub mod gs1;
pub mod licence;
pub mod message;
pub mod person;
pub mod problem;
pub mod serial;
pub mod units;
pub mod uscc;
pub mod vocab;
pub mod with_catalogue;

mod data_table;
#[cfg(test)]
mod message_rule;
#[cfg(test)]
mod robustness;

pub use ccc::{CccCertNo, CccMarkNo};
pub use check::{CodeKind, CodeReport, check, check_as};
pub use date::YearMonthDay;
pub use digital_id::DigitalId;
pub use ecode::Ecode;
pub use gs1::{DigitalLink, ElementString, Gtin};
pub use message::Message;
pub use problem::{Problem, Problems, Severity};
pub use uscc::{OrgCheckMismatch, Uscc, UsccError};
pub use vocab::{Granularity, Scheme};
pub use with_catalogue::check_with;
