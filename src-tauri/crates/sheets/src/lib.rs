//! Spreadsheet import and export for tracedesk: reads the clerk's Excel/WPS/CSV files into typed
//! record drafts with every problem located as Excel shows it, and writes import templates and
//! problem reports.
//!
//! Reading: [`Workbook::open`] sniffs the content (xlsx, xlsm, xlsb, xls, ods through calamine;
//! CSV/TSV in UTF-8, UTF-8 BOM, UTF-16 LE/BE or GB18030/GBK), [`Workbook::sheets`] lists the
//! sheets, [`Workbook::grid`] previews typed cells, and [`Workbook::read`] finds the header (even
//! under merged title rows), maps columns through the single table in [`columns`], coerces every
//! cell ([`cell`]) and checks rows within themselves and against each other, returning a
//! [`SheetRead`]. Bad input is data: a `SheetRead` carries [`Problem`]s; `Err(`[`ReadError`]`)`
//! only means the file itself could not be read. Writing: [`write::template`] and
//! [`write::problem_report`]; every cell any tracedesk export writes goes through [`safe`] (text
//! a spreadsheet could run as a formula is neutralised).
//!
//! Limits (see [`Limits`], all enforced before or while parsing, never by allocating first):
//! files up to 100 MiB; up to 1,000,000 non-blank rows per sheet; the first 200 columns (A..GR),
//! cells further right (a stray value in XFD1048576) are counted and reported, never stored;
//! the header within the first 30 rows; rows after 1,000 blank rows below the table are stray
//! and skipped with a warning; zip containers with at most 10,000 entries, 1 GiB per entry,
//! 2 GiB in total and a 200:1 compression ratio above 16 MiB (zip bombs); xls/ods sheets whose
//! used range would make a dense grid of more than 10,000,000 cells are refused up front, and so
//! are xls/ods workbooks whose sheet entries together (calamine builds every entry's grid while
//! opening, entries naming the same data included) would span more than 10,000,000 cells or
//! clone more than 256 MiB of cell text.
//! Encrypted workbooks, images and other files renamed to .xlsx, HTML saved as .xls and
//! truncated files each end as a typed [`ReadError`] with a Chinese and English message.
//!
//! This crate does no database work and knows nothing of existing products or parties: it must
//! not depend on `store`, `app`, `tauri` or `reqwest`. Its only in-house dependency is `codes`.
//! The import day comes in as a parameter ([`ReadOptions::today`]); nothing reads the clock.

/// A switch a test turns on for its own thread to take another path through the code (`$get()`
/// tells whether it is on); outside tests it is always off.
macro_rules! test_switch {
    ($(#[$doc:meta])* $switch:ident, $get:ident) => {
        #[cfg(test)]
        thread_local! {
            $(#[$doc])*
            pub(crate) static $switch: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
        }

        #[cfg(test)]
        fn $get() -> bool {
            $switch.with(std::cell::Cell::get)
        }

        #[cfg(not(test))]
        fn $get() -> bool {
            false
        }
    };
}

pub mod cell;
pub mod columns;
mod csv;
pub mod header;
pub mod limits;
mod place;
pub mod problem;
mod process;
pub mod read;
pub mod record;
pub mod safe;
mod stream;
mod workbook;
pub mod write;

pub use cell::{Cell, Decimal, MaterialUse, excel_serial_to_date};
pub use columns::{FieldKey, FieldSpec, FieldType, Need, RecordKind};
pub use header::{ColumnMapping, Confidence, Mapping, MappingError};
pub use limits::Limits;
pub use problem::{Problem, ProblemCode, ReadError, Severity};
pub use read::{
    FileFormat, Grid, GridCell, GridRow, ReadOptions, RowRead, SheetInfo, SheetRead, Workbook,
    column_index, column_letter,
};
pub use record::{
    BatchDraft, Granularity, InspectionResult, ItemDraft, PartyDraft, PartyKind, ProductDraft,
    ReceiptDraft, RecordDraft, Scheme, ShipmentDraft,
};
pub use write::WriteError;

#[cfg(test)]
mod tests;
