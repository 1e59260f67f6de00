//! Opening workbooks, streaming their rows, and reading a sheet into [`SheetRead`].
//!
//! xlsx/xlsm/xlsb are streamed cell by cell (calamine's cell readers), so a stray value in
//! XFD1048576 costs nothing; xls/ods are loaded by calamine as dense ranges after
//! [`crate::limits`] has checked their size; CSV is decoded and streamed by [`crate::csv`].
//!
//! This module gathers the reading API; the work is done in [`crate::workbook`] (opening, one
//! sheet), [`crate::stream`] (rows), [`crate::process`] (rows into records) and [`crate::place`]
//! (cell locations).

pub use crate::place::{cell_ref, column_index, column_letter};
pub use crate::process::{ReadOptions, RowRead, SheetRead};
pub use crate::stream::{Grid, GridCell, GridRow};
pub use crate::workbook::{FileFormat, SheetInfo, Workbook};
