//! GS1 (商品条码) codes as issued through 中国物品编码中心 (ANCC / GS1 China): check digits, the
//! Application Identifier table, element strings (bracketed, raw, HRI), scanner data, GS1
//! Digital Link URIs and the composition of trace codes for 一品/一批/一物一码.
//!
//! The rules follow the GS1 Barcode Syntax Dictionary and the reference implementation in
//! gs1/gs1-syntax-engine (domain.md §A); each module cites the clause it implements.

pub mod ai;
pub mod check_digit;
pub mod compose;
pub mod digital_link;
pub mod element;
pub mod error;
pub mod hri;
pub mod lint;
pub mod scan;

#[cfg(test)]
mod tests;

pub use check_digit::{Gln, Gtin, GtinKind, KeyError, Sscc};
pub use compose::{ComposedCode, Granularity, TraceCodeSpec, check_lot, compose};
pub use digital_link::{DEFAULT_STEM, DigitalLink, DlOptions, ShortGtin};
pub use element::{Element, ElementString, GS};
pub use error::Gs1Error;
pub use scan::{ScanContent, ScanData, Symbology};
