//! Streaming a sheet's rows: the raw rows every format produces, the preview grid, and the
//! xlsx/xlsb pipeline that parses cells on a second thread while this one groups them into rows.

use std::ops::ControlFlow;

use calamine::{Data, DataRef};
use serde::Serialize;

use crate::cell::{self, Cell};
use crate::limits::{Limits, guard};
use crate::problem::{ReadError, Result};

/// One non-blank row as streamed: Excel row number and its non-empty cells by 0-based column,
/// in column order, all left of the column limit.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawRow {
    pub row: u32,
    pub cells: Vec<(u16, Cell)>,
}

impl RawRow {
    pub(crate) fn get(&self, col: u16) -> Option<&Cell> {
        self.cells
            .binary_search_by_key(&col, |(c, _)| *c)
            .ok()
            .map(|i| &self.cells[i].1)
    }
}

/// Which columns a row stream still needs, set once when the header is known (unset keeps all):
/// the cells of unmapped columns are then never converted or stored. Shared with the thread
/// that parses an xlsx, which stops converting them as soon as it is set.
pub(crate) type ColumnKeep = std::sync::OnceLock<Vec<bool>>;

pub(crate) fn kept(keep: Option<&ColumnKeep>, col: u32) -> bool {
    keep.and_then(|k| k.get())
        .is_none_or(|m| m.get(col as usize).copied().unwrap_or(false))
}

/// What a row stream saw besides the rows.
#[derive(Debug, Clone, Default)]
pub(crate) struct StreamStats {
    pub rows: u32,
    /// The first non-empty cell right of the column limit, and how many there were.
    pub beyond: Option<(u32, u32)>,
    pub beyond_count: u64,
}

impl StreamStats {
    pub fn note_beyond(&mut self, row: u32, col: u32) {
        self.beyond_count += 1;
        if self.beyond.is_none() {
            self.beyond = Some((row, col));
        }
    }
}

/// A preview of typed cells, for picking the sheet and the header row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grid {
    pub sheet: String,
    pub rows: Vec<GridRow>,
    /// True when the sheet has more rows than were read.
    pub truncated: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridRow {
    /// Excel row number, 1-based. Blank rows are absent.
    pub row: u32,
    pub cells: Vec<GridCell>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridCell {
    /// 0-based column index; [`column_letter`] gives the letter.
    pub column: u16,
    pub value: Cell,
}

/// Cells a parsing thread hands over at a time, and how many such batches may wait.
const PIPE_BATCH: usize = 4096;
const PIPE_DEPTH: usize = 4;

/// Where a parsing thread puts the cells it converts.
pub(crate) struct CellSink<'k> {
    keep: Option<&'k ColumnKeep>,
    max_columns: u32,
    batch: Vec<(u32, u32, Cell)>,
    tx: std::sync::mpsc::SyncSender<Result<Vec<(u32, u32, Cell)>>>,
}

impl CellSink<'_> {
    /// False for a column the reader has been told it will drop: not worth converting. (Until
    /// it is told, every cell is sent, and the reader drops what it does not keep itself.)
    pub(crate) fn wants(&self, col: u32) -> bool {
        col >= self.max_columns || kept(self.keep, col)
    }

    /// False when the reader has stopped listening.
    pub(crate) fn push(&mut self, row: u32, col: u32, cell: Cell) -> bool {
        self.batch.push((row, col, cell));
        if self.batch.len() < PIPE_BATCH {
            return true;
        }
        let full = std::mem::replace(&mut self.batch, Vec::with_capacity(PIPE_BATCH));
        self.tx.send(Ok(full)).is_ok()
    }
}

/// Parses a sheet on a second thread (`parse` feeds a [`CellSink`]) while this thread groups the
/// cells into rows exactly as the single-threaded loop does, so `f` sees the same rows. A panic
/// in the parser becomes a damaged-file error, as [`guard`] makes it; a thread the system will
/// not start, an I/O error.
pub(crate) fn pipelined(
    limits: &Limits,
    sheet: &str,
    keep: Option<&ColumnKeep>,
    f: &mut dyn FnMut(RawRow) -> ControlFlow<()>,
    parse: impl FnOnce(&mut CellSink<'_>) -> Result<()> + Send,
) -> Result<StreamStats> {
    let max_columns = u32::from(limits.max_columns);
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel(PIPE_DEPTH);
        let parser = std::thread::Builder::new().name("sheet-parse".into());
        parser.spawn_scoped(scope, move || {
            let mut sink = CellSink {
                keep,
                max_columns,
                batch: Vec::with_capacity(PIPE_BATCH),
                tx,
            };
            let parsed = guard(|| parse(&mut sink)).and_then(|r| r);
            let rest = std::mem::take(&mut sink.batch);
            let _ = match parsed {
                Ok(()) if rest.is_empty() => Ok(()),
                Ok(()) => sink.tx.send(Ok(rest)),
                Err(e) => sink.tx.send(Err(e)),
            };
        })?;
        guard(|| {
            let mut grouper = RowGrouper::new(limits, sheet);
            for batch in &rx {
                for (r, col, cell) in batch? {
                    if col < max_columns && !kept(keep, col) {
                        continue;
                    }
                    if grouper.push(r, col, cell, f)?.is_break() {
                        return Ok(grouper.stats);
                    }
                }
            }
            grouper.finish(f)
        })?
    })
}

/// Collects streamed cells into rows. Cells beyond the column limit are counted, never stored.
pub(crate) struct RowGrouper<'a> {
    limits: &'a Limits,
    sheet: &'a str,
    current: Option<RawRow>,
    /// Cells in the previous row, to size the next row's vector.
    last_width: usize,
    pub(crate) stats: StreamStats,
}

impl<'a> RowGrouper<'a> {
    pub(crate) fn new(limits: &'a Limits, sheet: &'a str) -> Self {
        RowGrouper {
            limits,
            sheet,
            current: None,
            last_width: 0,
            stats: StreamStats::default(),
        }
    }

    pub(crate) fn push(
        &mut self,
        row0: u32,
        col0: u32,
        cell: Cell,
        f: &mut dyn FnMut(RawRow) -> ControlFlow<()>,
    ) -> Result<ControlFlow<()>> {
        if cell.is_empty() {
            return Ok(ControlFlow::Continue(()));
        }
        let row = row0.saturating_add(1);
        if col0 >= u32::from(self.limits.max_columns) {
            self.stats.note_beyond(row, col0);
            return Ok(ControlFlow::Continue(()));
        }
        let flow = match &mut self.current {
            Some(cur) if cur.row == row => {
                cur.cells.push((col0 as u16, cell));
                ControlFlow::Continue(())
            }
            _ => {
                let flow = self.emit(f)?;
                let mut cells = Vec::with_capacity(self.last_width.max(4));
                cells.push((col0 as u16, cell));
                self.current = Some(RawRow { row, cells });
                flow
            }
        };
        Ok(flow)
    }

    fn emit(&mut self, f: &mut dyn FnMut(RawRow) -> ControlFlow<()>) -> Result<ControlFlow<()>> {
        let Some(mut cur) = self.current.take() else {
            return Ok(ControlFlow::Continue(()));
        };
        self.last_width = cur.cells.len();
        // Cells of a row are in column order in every file we have seen; sort to be sure.
        if !cur.cells.is_sorted_by_key(|(c, _)| *c) {
            cur.cells.sort_by_key(|(c, _)| *c);
            cur.cells.dedup_by_key(|(c, _)| *c);
        }
        self.stats.rows += 1;
        if self.stats.rows > self.limits.max_rows {
            return Err(ReadError::TooManyRows {
                sheet: self.sheet.to_string(),
                limit: self.limits.max_rows,
            });
        }
        Ok(f(cur))
    }

    pub(crate) fn finish(
        mut self,
        f: &mut dyn FnMut(RawRow) -> ControlFlow<()>,
    ) -> Result<StreamStats> {
        let _ = self.emit(f)?;
        Ok(self.stats)
    }
}

pub(crate) fn stream_range(
    range: &calamine::Range<Data>,
    limits: &Limits,
    sheet: &str,
    epoch: bool,
    keep: Option<&ColumnKeep>,
    f: &mut dyn FnMut(RawRow) -> ControlFlow<()>,
) -> Result<StreamStats> {
    let mut stats = StreamStats::default();
    let Some((r0, c0)) = range.start() else {
        return Ok(stats);
    };
    let non_blank_rows = range
        .rows()
        .filter(|r| r.iter().any(|c| !matches!(c, Data::Empty)))
        .count();
    if non_blank_rows > limits.max_rows as usize {
        return Err(ReadError::TooManyRows {
            sheet: sheet.to_string(),
            limit: limits.max_rows,
        });
    }
    for (i, row) in range.rows().enumerate() {
        let row_no = r0 + i as u32 + 1;
        let mut cells = Vec::new();
        for (j, d) in row.iter().enumerate() {
            if matches!(d, Data::Empty) {
                continue;
            }
            let col = c0 + j as u32;
            if col >= u32::from(limits.max_columns) {
                stats.note_beyond(row_no, col);
                continue;
            }
            if !kept(keep, col) {
                continue;
            }
            let cell = from_data(d, epoch);
            if !cell.is_empty() {
                cells.push((col as u16, cell));
            }
        }
        if cells.is_empty() {
            continue;
        }
        stats.rows += 1;
        if f(RawRow { row: row_no, cells }).is_break() {
            break;
        }
    }
    Ok(stats)
}

fn iso_to_cell(s: &str) -> Cell {
    // ODS date-value: 2025-03-04 or 2025-03-04T10:30:00.
    let (date, time) = s.split_once('T').unwrap_or((s, ""));
    match cell::parse_date_text(date) {
        Ok(d) if date.len() == 10 => {
            let mut serial = cell::date_to_serial_1900(d);
            let parts: Vec<f64> = time.split(':').filter_map(|p| p.parse().ok()).collect();
            if let [h, m, sec, ..] = parts[..] {
                serial += (h * 3600.0 + m * 60.0 + sec) / 86_400.0;
            }
            Cell::DateTime {
                serial,
                epoch_1904: false,
            }
        }
        _ => Cell::Text(s.to_string()),
    }
}

fn from_data(d: &Data, epoch: bool) -> Cell {
    match d {
        Data::Int(i) => Cell::Int(*i),
        Data::Float(f) => Cell::Float(*f),
        Data::String(s) => Cell::Text(s.clone()),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_duration() => Cell::Float(dt.as_f64()),
        Data::DateTime(dt) => Cell::DateTime {
            serial: dt.as_f64(),
            epoch_1904: epoch,
        },
        Data::DateTimeIso(s) => iso_to_cell(s),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
        Data::Empty => Cell::Empty,
    }
}

pub(crate) fn from_data_ref(d: &DataRef<'_>, epoch: bool) -> Cell {
    match d {
        DataRef::Int(i) => Cell::Int(*i),
        DataRef::Float(f) => Cell::Float(*f),
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_string()),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) if dt.is_duration() => Cell::Float(dt.as_f64()),
        DataRef::DateTime(dt) => Cell::DateTime {
            serial: dt.as_f64(),
            epoch_1904: epoch,
        },
        DataRef::DateTimeIso(s) => iso_to_cell(s),
        DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
        DataRef::Empty => Cell::Empty,
    }
}
