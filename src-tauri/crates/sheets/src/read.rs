//! Opening workbooks, streaming their rows, and reading a sheet into [`SheetRead`].
//!
//! xlsx/xlsm/xlsb are streamed cell by cell (calamine's cell readers), so a stray value in
//! XFD1048576 costs nothing; xls/ods are loaded by calamine as dense ranges after
//! [`crate::limits`] has checked their size; CSV is decoded and streamed by [`crate::csv`].

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::io::Cursor;
use std::ops::ControlFlow;
use std::path::Path;

use calamine::{Data, DataRef, Ods, Reader, SheetType, SheetVisible, Xls, Xlsb, Xlsx};
use serde::Serialize;
use time::Date;

use crate::cell::{self, Cell, Ctx, Issue, enum_fold, fold_width};
use crate::columns::{FieldKey, FieldSpec, FieldType, Need, RecordKind};
use crate::csv::CsvText;
use crate::header::{self, Mapping, Matcher, normalise_header};
use crate::limits::{Container, Limits, guard, sniff};
use crate::problem::{Problem, ProblemCode, ReadError, Result, Severity, place};
use crate::record::{self, RecordDraft, Value, Values};

/// Runs `$keep_going` for each cell of an xlsx or xlsb worksheet, `$value()` converting the cell
/// only when asked, and stops when `$keep_going` is `false`. calamine's xlsx and xlsb cell readers
/// have the same methods but share no trait, so one macro stands for the loop they both need.
macro_rules! for_each_cell {
    ($book:expr, $sheet:expr, $err:expr, $epoch:expr, |$r:ident, $col:ident, $value:ident| $keep_going:block) => {{
        let mut reader = $book.worksheet_cells_reader($sheet).map_err($err)?;
        while let Some(c) = reader.next_cell().map_err($err)? {
            let ($r, $col) = c.get_position();
            let $value = || from_data_ref(c.get_value(), $epoch);
            if !$keep_going {
                break;
            }
        }
    }};
}

/// `0 → A`, `25 → Z`, `26 → AA`, `16383 → XFD`.
pub fn column_letter(col: u16) -> String {
    column_letter_u32(u32::from(col))
}

fn column_letter_u32(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// `A → 0`, `AA → 26`; `None` for anything that is not a column of Excel's 16,384.
pub fn column_index(letter: &str) -> Option<u16> {
    let letter = letter.trim();
    if letter.is_empty() || letter.len() > 3 {
        return None;
    }
    let mut n: u32 = 0;
    for b in letter.bytes() {
        let b = b.to_ascii_uppercase();
        if !b.is_ascii_uppercase() {
            return None;
        }
        n = n * 26 + u32::from(b - b'A' + 1);
    }
    if n == 0 || n > 16_384 {
        None
    } else {
        u16::try_from(n - 1).ok()
    }
}

/// `D5` from an Excel row number (1-based) and a 0-based column.
pub fn cell_ref(row: u32, col: u32) -> String {
    format!("{}{row}", column_letter_u32(col))
}

/// The file formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    Xlsx,
    Xlsm,
    Xlsb,
    Xls,
    Ods,
    Csv,
    Tsv,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SheetInfo {
    pub name: String,
    /// Hidden sheets are listed too; the UI may grey them out.
    pub visible: bool,
}

/// One non-blank row as streamed: Excel row number and its non-empty cells by 0-based column,
/// in column order, all left of the column limit.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawRow {
    pub row: u32,
    pub cells: Vec<(u16, Cell)>,
}

impl RawRow {
    fn get(&self, col: u16) -> Option<&Cell> {
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

/// The columns a mapping reads, plus every column left of the first mapped one (a 合计 in a
/// row-number column must still be seen).
fn keep_for(mapping: &Mapping, max_columns: u16) -> Option<Vec<bool>> {
    let cols: Vec<u16> = mapping.by_index().iter().map(|(c, _, _)| *c).collect();
    let first = *cols.iter().min()?;
    let mut mask = vec![false; usize::from(max_columns)];
    for c in cols.iter().copied().chain(0..first) {
        if let Some(m) = mask.get_mut(usize::from(c)) {
            *m = true;
        }
    }
    Some(mask)
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

enum Inner {
    Xlsx(Box<Xlsx<Cursor<Vec<u8>>>>),
    Xlsb(Box<Xlsb<Cursor<Vec<u8>>>>),
    Xls(Box<Xls<Cursor<Vec<u8>>>>),
    Ods(Box<Ods<Cursor<Vec<u8>>>>),
    Csv(CsvText),
}

/// An opened spreadsheet file.
pub struct Workbook {
    format: FileFormat,
    inner: Inner,
    sheets: Vec<SheetInfo>,
    epoch_1904: bool,
    limits: Limits,
}

impl std::fmt::Debug for Workbook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workbook")
            .field("format", &self.format)
            .field("sheets", &self.sheets)
            .finish()
    }
}

fn xlsx_err(e: calamine::XlsxError) -> ReadError {
    match e {
        calamine::XlsxError::Password => ReadError::Encrypted,
        calamine::XlsxError::Zip(z) => ReadError::Truncated {
            detail: z.to_string(),
        },
        calamine::XlsxError::Io(io) => ReadError::Truncated {
            detail: io.to_string(),
        },
        calamine::XlsxError::WorksheetNotFound(name) => ReadError::SheetNotFound {
            name,
            available: Vec::new(),
        },
        other => ReadError::Corrupt {
            detail: other.to_string(),
        },
    }
}

fn xlsb_err(e: calamine::XlsbError) -> ReadError {
    match e {
        calamine::XlsbError::Password => ReadError::Encrypted,
        calamine::XlsbError::Zip(z) => ReadError::Truncated {
            detail: z.to_string(),
        },
        calamine::XlsbError::Io(io) => ReadError::Truncated {
            detail: io.to_string(),
        },
        other => ReadError::Corrupt {
            detail: other.to_string(),
        },
    }
}

fn xls_err(e: calamine::XlsError) -> ReadError {
    match e {
        calamine::XlsError::Password => ReadError::Encrypted,
        calamine::XlsError::Io(io) => ReadError::Truncated {
            detail: io.to_string(),
        },
        calamine::XlsError::EoStream(s) => ReadError::Truncated {
            detail: format!("end of stream in {s}"),
        },
        other => ReadError::Corrupt {
            detail: other.to_string(),
        },
    }
}

fn ods_err(e: calamine::OdsError) -> ReadError {
    match e {
        calamine::OdsError::Password => ReadError::Encrypted,
        calamine::OdsError::Zip(z) => ReadError::Truncated {
            detail: z.to_string(),
        },
        calamine::OdsError::Io(io) => ReadError::Truncated {
            detail: io.to_string(),
        },
        other => ReadError::Corrupt {
            detail: other.to_string(),
        },
    }
}

fn sheet_infos(meta: &[calamine::Sheet]) -> Vec<SheetInfo> {
    meta.iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| SheetInfo {
            name: s.name.clone(),
            visible: s.visible == SheetVisible::Visible,
        })
        .collect()
}

impl Workbook {
    /// Opens a file with the default [`Limits`]. The format comes from the content; the extension
    /// only tells CSV from TSV and names the CSV's single sheet.
    pub fn open(path: impl AsRef<Path>) -> Result<Workbook> {
        Workbook::open_with(path, Limits::default())
    }

    pub fn open_with(path: impl AsRef<Path>, limits: Limits) -> Result<Workbook> {
        let path = path.as_ref();
        let size = std::fs::metadata(path)?.len();
        if size > limits.max_file_bytes {
            return Err(ReadError::TooLarge {
                size,
                limit: limits.max_file_bytes,
            });
        }
        let bytes = std::fs::read(path)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Workbook::from_bytes_with(bytes, &name, limits)
    }

    /// Opens in-memory bytes; `file_name` (may be empty) gives the extension and the CSV sheet name.
    pub fn from_bytes(bytes: Vec<u8>, file_name: &str) -> Result<Workbook> {
        Workbook::from_bytes_with(bytes, file_name, Limits::default())
    }

    pub fn from_bytes_with(bytes: Vec<u8>, file_name: &str, limits: Limits) -> Result<Workbook> {
        let path = Path::new(file_name);
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let container = guard(|| sniff(&bytes, &extension, &limits))??;
        let wb = match container {
            Container::Xlsx => {
                let xlsx: Xlsx<_> = guard(|| calamine::open_workbook_from_rs(Cursor::new(bytes)))?
                    .map_err(xlsx_err)?;
                let format = if extension == "xlsm" {
                    FileFormat::Xlsm
                } else {
                    FileFormat::Xlsx
                };
                Workbook {
                    format,
                    sheets: sheet_infos(xlsx.sheets_metadata()),
                    epoch_1904: xlsx.has_1904_epoch(),
                    inner: Inner::Xlsx(Box::new(xlsx)),
                    limits,
                }
            }
            Container::Xlsb => {
                let xlsb: Xlsb<_> = guard(|| calamine::open_workbook_from_rs(Cursor::new(bytes)))?
                    .map_err(xlsb_err)?;
                Workbook {
                    format: FileFormat::Xlsb,
                    sheets: sheet_infos(xlsb.sheets_metadata()),
                    epoch_1904: xlsb.has_1904_epoch(),
                    inner: Inner::Xlsb(Box::new(xlsb)),
                    limits,
                }
            }
            Container::Xls => {
                let xls: Xls<_> = guard(|| calamine::open_workbook_from_rs(Cursor::new(bytes)))?
                    .map_err(xls_err)?;
                Workbook {
                    format: FileFormat::Xls,
                    sheets: sheet_infos(xls.sheets_metadata()),
                    epoch_1904: xls.has_1904_epoch(),
                    inner: Inner::Xls(Box::new(xls)),
                    limits,
                }
            }
            Container::Ods => {
                guard(|| crate::limits::scan_ods(&bytes, &limits))??;
                let ods: Ods<_> = guard(|| calamine::open_workbook_from_rs(Cursor::new(bytes)))?
                    .map_err(ods_err)?;
                Workbook {
                    format: FileFormat::Ods,
                    sheets: sheet_infos(ods.sheets_metadata()),
                    epoch_1904: false,
                    inner: Inner::Ods(Box::new(ods)),
                    limits,
                }
            }
            Container::Text => {
                let csv = crate::csv::decode(&bytes, &extension)?;
                let format = if csv.delimiter == b'\t' {
                    FileFormat::Tsv
                } else {
                    FileFormat::Csv
                };
                let stem = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .filter(|s| !s.is_empty());
                Workbook {
                    format,
                    sheets: vec![SheetInfo {
                        name: stem.unwrap_or_else(|| "Sheet1".into()),
                        visible: true,
                    }],
                    epoch_1904: false,
                    inner: Inner::Csv(csv),
                    limits,
                }
            }
        };
        Ok(wb)
    }

    pub fn format(&self) -> FileFormat {
        self.format
    }

    /// Worksheets in workbook order (chart sheets are left out).
    pub fn sheets(&self) -> &[SheetInfo] {
        &self.sheets
    }

    /// True when the workbook counts dates from 1904 (old Mac Excel).
    pub fn epoch_1904(&self) -> bool {
        self.epoch_1904
    }

    /// For CSV/TSV: the detected text encoding (`UTF-8`, `GB18030`, `UTF-16LE`, …).
    pub fn text_encoding(&self) -> Option<&'static str> {
        match &self.inner {
            Inner::Csv(c) => Some(c.encoding),
            _ => None,
        }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    fn check_sheet(&self, sheet: &str) -> Result<()> {
        if self.sheets.iter().any(|s| s.name == sheet) {
            Ok(())
        } else {
            Err(ReadError::SheetNotFound {
                name: sheet.to_string(),
                available: self.sheets.iter().map(|s| s.name.clone()).collect(),
            })
        }
    }

    /// The first `max_rows` non-blank rows of a sheet as typed cells (all rows with `None`, up to
    /// the row limit).
    pub fn grid(&mut self, sheet: &str, max_rows: Option<u32>) -> Result<Grid> {
        let mut rows = Vec::new();
        let mut truncated = false;
        let limit = max_rows.unwrap_or(u32::MAX) as usize;
        self.stream_rows(sheet, None, &mut |raw| {
            if rows.len() >= limit {
                truncated = true;
                return ControlFlow::Break(());
            }
            rows.push(GridRow {
                row: raw.row,
                cells: raw
                    .cells
                    .into_iter()
                    .map(|(column, value)| GridCell { column, value })
                    .collect(),
            });
            ControlFlow::Continue(())
        })?;
        Ok(Grid {
            sheet: sheet.to_string(),
            rows,
            truncated,
        })
    }

    /// Detects the header and its mapping from the sheet's first rows; `Ok(None)` when no row
    /// within [`Limits::header_search_rows`] names at least two fields of `kind`.
    pub fn detect_mapping(&mut self, sheet: &str, kind: RecordKind) -> Result<Option<Mapping>> {
        let search = self.limits.header_search_rows;
        let mut rows = Vec::new();
        self.stream_rows(sheet, None, &mut |raw| {
            if raw.row > search {
                return ControlFlow::Break(());
            }
            rows.push(raw);
            ControlFlow::Continue(())
        })?;
        let matcher = Matcher::new(kind);
        Ok(header::find_header_row(&matcher, &rows, search)
            .map(|i| header::map_header(&matcher, &rows[i])))
    }

    /// Streams the non-blank rows of a sheet in order; `f` may stop the stream early.
    /// With `keep`, cells of columns it marks unwanted are dropped before they are converted.
    pub(crate) fn stream_rows(
        &mut self,
        sheet: &str,
        keep: Option<&ColumnKeep>,
        f: &mut dyn FnMut(RawRow) -> ControlFlow<()>,
    ) -> Result<StreamStats> {
        self.stream_rows_with(sheet, keep, false, f)
    }

    /// [`Workbook::stream_rows`]; with `parallel`, an xlsx or xlsb is parsed on a second thread
    /// while this one turns the cells into rows and hands them to `f` (a whole sheet is read
    /// this way: parsing the XML and checking the rows take about as long as each other). The
    /// rows, and everything `f` sees, are the same either way.
    fn stream_rows_with(
        &mut self,
        sheet: &str,
        keep: Option<&ColumnKeep>,
        parallel: bool,
        f: &mut dyn FnMut(RawRow) -> ControlFlow<()>,
    ) -> Result<StreamStats> {
        self.check_sheet(sheet)?;
        let limits = self.limits.clone();
        let epoch = self.epoch_1904;
        let max_columns = u32::from(limits.max_columns);
        match &mut self.inner {
            Inner::Xlsx(x) if parallel => {
                let x = &mut **x;
                pipelined(&limits, sheet, keep, f, |sink| {
                    for_each_cell!(x, sheet, xlsx_err, epoch, |r, col, value| {
                        !sink.wants(col) || sink.push(r, col, value())
                    });
                    Ok(())
                })
            }
            Inner::Xlsb(x) if parallel => {
                let x = &mut **x;
                pipelined(&limits, sheet, keep, f, |sink| {
                    for_each_cell!(x, sheet, xlsb_err, epoch, |r, col, value| {
                        !sink.wants(col) || sink.push(r, col, value())
                    });
                    Ok(())
                })
            }
            Inner::Csv(csv) => crate::csv::stream(csv, &limits, sheet, keep, f),
            Inner::Xlsx(x) => guard(|| {
                let mut grouper = RowGrouper::new(&limits, sheet);
                let mut stopped = false;
                for_each_cell!(x, sheet, xlsx_err, epoch, |r, col, value| {
                    if col < max_columns && !kept(keep, col) {
                        true
                    } else {
                        stopped = grouper.push(r, col, value(), f)?.is_break();
                        !stopped
                    }
                });
                if stopped {
                    Ok(grouper.stats)
                } else {
                    grouper.finish(f)
                }
            })?,
            Inner::Xlsb(x) => guard(|| {
                let mut grouper = RowGrouper::new(&limits, sheet);
                let mut stopped = false;
                for_each_cell!(x, sheet, xlsb_err, epoch, |r, col, value| {
                    if col < max_columns && !kept(keep, col) {
                        true
                    } else {
                        stopped = grouper.push(r, col, value(), f)?.is_break();
                        !stopped
                    }
                });
                if stopped {
                    Ok(grouper.stats)
                } else {
                    grouper.finish(f)
                }
            })?,
            Inner::Xls(x) => {
                let range = guard(|| x.worksheet_range(sheet))?.map_err(xls_err)?;
                stream_range(&range, &limits, sheet, epoch, keep, f)
            }
            Inner::Ods(x) => {
                let range = guard(|| x.worksheet_range(sheet))?.map_err(ods_err)?;
                stream_range(&range, &limits, sheet, epoch, keep, f)
            }
        }
    }

    /// Reads a sheet as records of `kind`: finds (or takes) the header, maps the columns, coerces
    /// every cell and checks each row and the rows against each other. Bad input is reported in
    /// the result; `Err` only when the file or sheet cannot be read.
    pub fn read(
        &mut self,
        sheet: &str,
        kind: RecordKind,
        options: &ReadOptions,
    ) -> Result<SheetRead> {
        self.read_observed(sheet, kind, options, &mut |_| {})
    }

    /// [`Workbook::read`], showing `observe` each data row as soon as it is read: the rows so
    /// far, the new one last (rows never change once read). A caller checking rows against a
    /// database does so while the rest of the sheet is still being parsed.
    pub fn read_observed(
        &mut self,
        sheet: &str,
        kind: RecordKind,
        options: &ReadOptions,
        observe: &mut dyn FnMut(&[RowRead]),
    ) -> Result<SheetRead> {
        let search = self.limits.header_search_rows;
        let ctx = Ctx {
            epoch_1904: self.epoch_1904,
            today: options.today,
            max_chars: self.limits.max_cell_chars,
        };
        let stray_gap = self.limits.stray_gap_rows;
        let max_columns = self.limits.max_columns;
        let matcher = Matcher::new(kind);
        let mut buffer: Vec<RawRow> = Vec::new();
        let mut processor: Option<Processor> = None;
        let mut sheet_problems: Vec<Problem> = Vec::new();
        let given = options.mapping.clone().filter(|m| m.kind == kind);
        let keep: ColumnKeep = std::sync::OnceLock::new();
        let mut observed = 0;
        let mut show = |p: &Processor| {
            while observed < p.rows.len() {
                observed += 1;
                observe(&p.rows[..observed]);
            }
        };

        let stats = self.stream_rows_with(sheet, Some(&keep), !one_thread(), &mut |raw| {
            if let Some(p) = processor.as_mut() {
                p.process(raw);
                show(p);
                return ControlFlow::Continue(());
            }
            if let Some(m) = &given {
                if raw.row < m.header_row {
                    return ControlFlow::Continue(());
                }
                let mut p = Processor::new(kind, sheet, ctx, m.clone(), stray_gap, &matcher);
                if let Some(mask) = keep_for(&p.mapping, max_columns) {
                    let _ = keep.set(mask);
                }
                if raw.row == m.header_row {
                    p.check_header_unchanged(&matcher, &raw);
                } else {
                    p.process(raw);
                    show(&p);
                }
                processor = Some(p);
                return ControlFlow::Continue(());
            }
            if raw.row <= search {
                buffer.push(raw);
                return ControlFlow::Continue(());
            }
            let mut p = start_from_buffer(
                kind,
                sheet,
                ctx,
                search,
                stray_gap,
                &matcher,
                &mut buffer,
                &mut sheet_problems,
            );
            // From here on only the mapped columns are converted; with no header, none are.
            let mask = match &p {
                Some(p) => keep_for(&p.mapping, max_columns),
                None => Some(vec![false; usize::from(max_columns)]),
            };
            if let Some(mask) = mask {
                let _ = keep.set(mask);
            }
            if let Some(p) = p.as_mut() {
                p.process(raw);
                show(p);
            }
            processor = Some(p.unwrap_or_else(|| Processor::inert(kind, sheet, ctx, &matcher)));
            ControlFlow::Continue(())
        })?;

        if processor.is_none() {
            processor = match &given {
                Some(m) => Some(Processor::new(
                    kind,
                    sheet,
                    ctx,
                    m.clone(),
                    stray_gap,
                    &matcher,
                )),
                None => start_from_buffer(
                    kind,
                    sheet,
                    ctx,
                    search,
                    stray_gap,
                    &matcher,
                    &mut buffer,
                    &mut sheet_problems,
                ),
            };
        }
        if let Some(p) = &processor {
            show(p);
        }
        let mut read = match processor {
            Some(p) if !p.inert => p.finish(sheet_problems),
            _ => {
                if sheet_problems.is_empty() {
                    sheet_problems.push(header_not_found(kind, sheet, search));
                }
                SheetRead {
                    sheet: sheet.to_string(),
                    kind,
                    header_row: None,
                    mapping: None,
                    rows: Vec::new(),
                    problems: sheet_problems,
                    rows_total: 0,
                    rows_valid: 0,
                }
            }
        };
        if let Some((row, col)) = stats.beyond {
            read.problems.push(Problem {
                severity: Severity::Warning,
                sheet: sheet.to_string(),
                row: Some(row),
                column: Some(column_letter_u32(col)),
                header: None,
                field: None,
                code: ProblemCode::ColumnsBeyondLimit,
                value: None,
                message: codes::Message::new(
                    format!(
                        "第 {} 列（{}）以右的 {} 个单元格未读取，例如 {}。只读取前 {max_columns} 列；如果这些是多余的内容，可以在 Excel 中删除这些列",
                        max_columns,
                        column_letter(max_columns.saturating_sub(1)),
                        stats.beyond_count,
                        cell_ref(row, col)
                    ),
                    format!(
                        "{} cells right of column {} were not read, e.g. {}; only the first {max_columns} columns are read",
                        stats.beyond_count,
                        column_letter(max_columns.saturating_sub(1)),
                        cell_ref(row, col)
                    ),
                ),
            });
        }
        Ok(read)
    }
}

#[cfg(test)]
thread_local! {
    /// Every duplicate key hashes alike on this thread: the path of keys that share a hash.
    pub(crate) static SAME_HASHES: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

#[cfg(test)]
thread_local! {
    /// Sheets are read on this thread only: the single-threaded path, for comparing.
    pub(crate) static ONE_THREAD: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

#[cfg(test)]
fn one_thread() -> bool {
    ONE_THREAD.with(std::cell::Cell::get)
}

#[cfg(not(test))]
fn one_thread() -> bool {
    false
}

#[cfg(test)]
fn same_hashes() -> bool {
    SAME_HASHES.with(std::cell::Cell::get)
}

#[cfg(not(test))]
fn same_hashes() -> bool {
    false
}

/// Lower-case, half-width form of one character, as [`enum_fold`] and [`normalise_header`] see
/// it (they fold width, then lower-case).
fn folded_lower(c: char) -> impl Iterator<Item = char> {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        other => other,
    };
    c.to_lowercase()
}

/// Whether text could begin a totals row or a note (合计, total, 注：…): the first character that
/// is not blank, folded, must begin one of those words. Saves folding every data row's first
/// cell when it plainly cannot (a GTIN, a date).
fn may_start_footer_or_note(text: &str) -> bool {
    const FIRST: &[char] = &[
        '合', '总', '小', '共', '累', 't', 's', 'g', '注', '备', '说', 'n', '制', '审', '填', '负',
    ];
    text.chars()
        .find(|c| !cell::is_blank(*c))
        .is_some_and(|c| folded_lower(c).next().is_some_and(|f| FIRST.contains(&f)))
}

/// Whether `normalise_header(text)` could equal `norm`: its first character must come from one of
/// `text`'s characters. Saves normalising every data cell of the first headed column.
fn may_normalise_to(text: &str, norm: &str) -> bool {
    let Some(first) = norm.chars().next() else {
        return true;
    };
    text.chars().any(|c| folded_lower(c).any(|f| f == first))
}

fn header_not_found(kind: RecordKind, sheet: &str, search: u32) -> Problem {
    let names: Vec<&str> = kind
        .fields()
        .iter()
        .filter(|f| !matches!(f.need, Need::Optional))
        .map(|f| f.zh)
        .collect();
    Problem {
        severity: Severity::Error,
        sheet: sheet.to_string(),
        row: None,
        column: None,
        header: None,
        field: None,
        code: ProblemCode::HeaderNotFound,
        value: None,
        message: codes::Message::new(
            format!(
                "在前 {search} 行中没有找到{}的表头。表头行应包含“{}”等列名；请确认选对了工作表，或手动指定表头所在的行",
                kind.zh(),
                names.join("”“")
            ),
            format!(
                "no header row for {} found in the first {search} rows; it should name columns such as {}",
                kind.en(),
                kind.fields()
                    .iter()
                    .filter(|f| !matches!(f.need, Need::Optional))
                    .map(|f| f.en)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
    }
}

#[allow(clippy::too_many_arguments)]
fn start_from_buffer(
    kind: RecordKind,
    sheet: &str,
    ctx: Ctx,
    search: u32,
    stray_gap: u32,
    matcher: &Matcher,
    buffer: &mut Vec<RawRow>,
    sheet_problems: &mut Vec<Problem>,
) -> Option<Processor> {
    let Some(i) = header::find_header_row(matcher, buffer, search) else {
        sheet_problems.push(header_not_found(kind, sheet, search));
        return None;
    };
    let mapping = header::map_header(matcher, &buffer[i]);
    let mut p = Processor::new(kind, sheet, ctx, mapping, stray_gap, matcher);
    p.note_unused_headers(matcher, &buffer[i]);
    for raw in buffer.drain(..).skip(i + 1) {
        p.process(raw);
    }
    Some(p)
}

/// Cells a parsing thread hands over at a time, and how many such batches may wait.
const PIPE_BATCH: usize = 4096;
const PIPE_DEPTH: usize = 4;

/// Where a parsing thread puts the cells it converts.
struct CellSink<'k> {
    keep: Option<&'k ColumnKeep>,
    max_columns: u32,
    batch: Vec<(u32, u32, Cell)>,
    tx: std::sync::mpsc::SyncSender<Result<Vec<(u32, u32, Cell)>>>,
}

impl CellSink<'_> {
    /// False for a column the reader has been told it will drop: not worth converting. (Until
    /// it is told, every cell is sent, and the reader drops what it does not keep itself.)
    fn wants(&self, col: u32) -> bool {
        col >= self.max_columns || kept(self.keep, col)
    }

    /// False when the reader has stopped listening.
    fn push(&mut self, row: u32, col: u32, cell: Cell) -> bool {
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
fn pipelined(
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
struct RowGrouper<'a> {
    limits: &'a Limits,
    sheet: &'a str,
    current: Option<RawRow>,
    /// Cells in the previous row, to size the next row's vector.
    last_width: usize,
    stats: StreamStats,
}

impl<'a> RowGrouper<'a> {
    fn new(limits: &'a Limits, sheet: &'a str) -> Self {
        RowGrouper {
            limits,
            sheet,
            current: None,
            last_width: 0,
            stats: StreamStats::default(),
        }
    }

    fn push(
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

    fn finish(mut self, f: &mut dyn FnMut(RawRow) -> ControlFlow<()>) -> Result<StreamStats> {
        let _ = self.emit(f)?;
        Ok(self.stats)
    }
}

fn stream_range(
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

fn from_data_ref(d: &DataRef<'_>, epoch: bool) -> Cell {
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

/// How to read a sheet.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The import day: dates after it are refused where the field forbids the future. Passed in,
    /// never taken from the clock.
    pub today: Date,
    /// A mapping to use instead of detecting one (the clerk's corrections, or one remembered for
    /// this header signature). Its `kind` must match the kind read.
    pub mapping: Option<Mapping>,
}

impl ReadOptions {
    pub fn new(today: Date) -> Self {
        ReadOptions {
            today,
            mapping: None,
        }
    }

    pub fn with_mapping(mut self, mapping: Mapping) -> Self {
        self.mapping = Some(mapping);
        self
    }
}

/// A sheet read as records of one kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SheetRead {
    pub sheet: String,
    pub kind: RecordKind,
    /// Excel row number of the header; `None` when none was found (see `problems`).
    pub header_row: Option<u32>,
    pub mapping: Option<Mapping>,
    /// Every data row, valid or not, in sheet order.
    pub rows: Vec<RowRead>,
    /// Sheet-level problems (missing columns, skipped footer rows, stray cells…).
    pub problems: Vec<Problem>,
    pub rows_total: u32,
    /// Rows without errors; 0 when a sheet-level error (such as a missing required column) means
    /// nothing can be imported.
    pub rows_valid: u32,
}

impl SheetRead {
    /// True when no sheet-level error blocks the import (row errors may still exist).
    pub fn importable(&self) -> bool {
        !self.problems.iter().any(Problem::is_error)
    }

    /// Every problem, sheet-level first, then by row.
    pub fn all_problems(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .chain(self.rows.iter().flat_map(|r| r.problems.iter()))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowRead {
    /// Excel row number.
    pub row: u32,
    pub record: RecordDraft,
    pub problems: Vec<Problem>,
}

impl RowRead {
    pub fn is_valid(&self) -> bool {
        !self.problems.iter().any(Problem::is_error)
    }
}

/// One part of a duplicate check's key.
#[derive(Clone, Copy)]
enum KeyPart {
    /// The field's value; without it there is no key.
    Needs(FieldKey),
    /// The field's value, or empty.
    May(FieldKey),
    /// The GTIN, else the product name; without either there is no key.
    ProductRef,
}

/// A duplicate check: (check id, key parts, column to point at, what in zh, in en).
type DupCheck = (u8, &'static [KeyPart], FieldKey, &'static str, &'static str);

/// The duplicate checks of each kind: rows with the same key are the same record.
fn dup_checks(kind: RecordKind) -> &'static [DupCheck] {
    use FieldKey as F;
    use KeyPart::*;
    match kind {
        RecordKind::Product => &[
            (0, &[Needs(F::Gtin)], F::Gtin, "商品条码", "GTIN"),
            (
                1,
                &[Needs(F::Name), Needs(F::Model)],
                F::Model,
                "产品名称和规格型号",
                "product name and model",
            ),
        ],
        RecordKind::Party => &[(
            0,
            &[May(F::PartyKind), Needs(F::Uscc)],
            F::Uscc,
            "类型和统一社会信用代码",
            "type and USCC",
        )],
        // The supplier and the lot make a key; material and date join it when present.
        RecordKind::Receipt => &[(
            0,
            &[
                Needs(F::Supplier),
                May(F::Material),
                Needs(F::SupplierLot),
                May(F::ReceivedOn),
            ],
            F::SupplierLot,
            "供应商、原料、批号和进货日期",
            "supplier, material, lot and date",
        )],
        RecordKind::Batch => &[(
            0,
            &[ProductRef, Needs(F::LotNo)],
            F::LotNo,
            "产品和生产批号",
            "product and lot number",
        )],
        RecordKind::Item => &[(
            0,
            &[Needs(F::Gtin), May(F::LotNo), Needs(F::Serial)],
            F::Serial,
            "商品条码、批号和序列号",
            "GTIN, lot and serial",
        )],
        RecordKind::Shipment => &[(
            0,
            &[Needs(F::DeliveryNoteNo), ProductRef, May(F::LotNo)],
            F::DeliveryNoteNo,
            "出库单号、产品和批号",
            "delivery note, product and lot",
        )],
    }
}

/// A mapped column, prepared for the row loop.
struct Col {
    index: u16,
    field: usize,
    letter: String,
    header: String,
    header_norm: String,
}

/// Turns raw rows into `RowRead`s, keeping what the cross-row checks need.
struct Processor {
    kind: RecordKind,
    sheet: String,
    ctx: Ctx,
    fields: &'static [FieldSpec],
    mapping: Mapping,
    cols: Vec<Col>,
    /// Field index → position in `cols`.
    col_of_field: Vec<Option<usize>>,
    rows: Vec<RowRead>,
    problems: Vec<Problem>,
    /// Duplicate keys of the rows read so far, by check: hash → index of the first row with it;
    /// keys whose hash another key already took are kept whole in `seen_shared`.
    seen: HashMap<(u8, u64), usize>,
    seen_shared: HashMap<(u8, String), usize>,
    hasher: std::hash::RandomState,
    key_buf: String,
    notes: HashMap<String, (u32, String, String)>,
    last_row: u32,
    stray_gap: u32,
    stray: Option<(u32, u16)>,
    stray_rows: u32,
    inert: bool,
    values_buf: Vec<Option<Value>>,
    issue_buf: Vec<bool>,
}

impl Processor {
    fn new(
        kind: RecordKind,
        sheet: &str,
        ctx: Ctx,
        mapping: Mapping,
        stray_gap: u32,
        matcher: &Matcher,
    ) -> Processor {
        let fields = kind.fields();
        let mut cols = Vec::new();
        for (index, key, header) in mapping.by_index() {
            if let Some(field) = fields.iter().position(|f| f.key == key)
                && !cols
                    .iter()
                    .any(|c: &Col| c.field == field || c.index == index)
            {
                cols.push(Col {
                    index,
                    field,
                    letter: column_letter(index),
                    header_norm: normalise_header(&header),
                    header,
                });
            }
        }
        cols.sort_by_key(|c| c.index);
        let mut col_of_field = vec![None; fields.len()];
        for (i, c) in cols.iter().enumerate() {
            col_of_field[c.field] = Some(i);
        }
        let _ = matcher;
        let mut p = Processor {
            kind,
            sheet: sheet.to_string(),
            ctx,
            fields,
            mapping,
            cols,
            col_of_field,
            rows: Vec::new(),
            problems: Vec::new(),
            seen: HashMap::new(),
            seen_shared: HashMap::new(),
            hasher: std::hash::RandomState::new(),
            key_buf: String::new(),
            notes: HashMap::new(),
            last_row: 0,
            stray_gap,
            stray: None,
            stray_rows: 0,
            inert: false,
            values_buf: Vec::new(),
            issue_buf: Vec::new(),
        };
        p.last_row = p.mapping.header_row;
        p.check_missing_columns();
        p
    }

    fn inert(kind: RecordKind, sheet: &str, ctx: Ctx, matcher: &Matcher) -> Processor {
        let mapping = Mapping {
            kind,
            header_row: 0,
            signature: String::new(),
            columns: Vec::new(),
        };
        let mut p = Processor::new(kind, sheet, ctx, mapping, u32::MAX, matcher);
        p.problems.clear();
        p.inert = true;
        p
    }

    fn sheet_problem(
        &self,
        severity: Severity,
        code: ProblemCode,
        zh: String,
        en: String,
    ) -> Problem {
        Problem {
            severity,
            sheet: self.sheet.clone(),
            row: None,
            column: None,
            header: None,
            field: None,
            code,
            value: None,
            message: codes::Message::new(zh, en),
        }
    }

    fn check_missing_columns(&mut self) {
        let header_row = self.mapping.header_row;
        for (i, f) in self.fields.iter().enumerate() {
            if self.col_of_field[i].is_some() {
                continue;
            }
            let missing = match f.need {
                Need::Required => true,
                Need::EitherOr(other) => {
                    let j = self.fields.iter().position(|g| g.key == other);
                    // Report the pair once, on the first of the two.
                    j.is_some_and(|j| self.col_of_field[j].is_none() && i < j)
                }
                Need::Optional => false,
            };
            if !missing {
                continue;
            }
            let (zh_name, en_name) = match f.need {
                Need::EitherOr(other) => {
                    let o = self.kind.field(other);
                    (
                        format!("“{}”或“{}”", f.zh, o.map_or("", |o| o.zh)),
                        format!("{} or {}", f.en, o.map_or("", |o| o.en)),
                    )
                }
                _ => (format!("“{}”", f.zh), f.en.to_string()),
            };
            let near = header::closest_headers(self.kind, f.key, &self.mapping.columns);
            let (near_zh, near_en) = if near.is_empty() {
                (String::new(), String::new())
            } else {
                let zh: Vec<String> = near
                    .iter()
                    .map(|(c, _)| format!("{} 列“{}”", c.column_letter, c.header_text))
                    .collect();
                let en: Vec<String> = near
                    .iter()
                    .map(|(c, _)| format!("column {} {:?}", c.column_letter, c.header_text))
                    .collect();
                (
                    format!("表头中最接近的是：{}。", zh.join("、")),
                    format!(" The closest headers are {}.", en.join(", ")),
                )
            };
            let mut p = self.sheet_problem(
                Severity::Error,
                ProblemCode::ColumnMissing,
                format!(
                    "第 {header_row} 行的表头中没有找到必填列{zh_name}。{near_zh}请在表头中加上这一列，或在列对应中把已有的列指定为{zh_name}"
                ),
                format!("the header in row {header_row} has no column for the required field {en_name}.{near_en} Add the column, or map an existing column to it"),
            );
            p.field = Some(f.key);
            self.problems.push(p);
        }
    }

    /// Warns about header cells that name a field already read from another column.
    fn note_unused_headers(&mut self, matcher: &Matcher, header: &RawRow) {
        for (col, cell) in &header.cells {
            if self.cols.iter().any(|c| c.index == *col) {
                continue;
            }
            let text = header::header_text(cell);
            let Some((field, _, _)) = matcher.classify(&text) else {
                continue;
            };
            let Some(pos) = self.col_of_field[field] else {
                continue;
            };
            let used = &self.cols[pos];
            let letter = column_letter(*col);
            let f = &self.fields[field];
            self.problems.push(Problem {
                severity: Severity::Warning,
                sheet: self.sheet.clone(),
                row: Some(header.row),
                column: Some(letter.clone()),
                header: Some(text.clone()),
                field: Some(f.key),
                code: ProblemCode::HeaderDuplicateField,
                value: Some(text.clone()),
                message: codes::Message::new(
                    format!(
                        "{} 列“{text}”和 {} 列“{}”都像是“{}”，只导入 {} 列。如需改用 {letter} 列，请在列对应中调整",
                        letter, used.letter, used.header, f.zh, used.letter
                    ),
                    format!(
                        "column {letter} ({text}) and column {} ({}) both look like {}; only column {} is imported",
                        used.letter, used.header, f.en, used.letter
                    ),
                ),
            });
        }
    }

    /// With a remembered mapping: warns if the header row no longer matches it.
    fn check_header_unchanged(&mut self, _matcher: &Matcher, header: &RawRow) {
        let last = header.cells.last().map_or(0, |(c, _)| *c);
        let texts: Vec<String> = (0..=last)
            .map(|c| header.get(c).map(header::header_text).unwrap_or_default())
            .collect();
        let sig = header::signature(texts.iter().map(String::as_str));
        if !self.mapping.signature.is_empty() && sig != self.mapping.signature {
            let p = self.sheet_problem(
                Severity::Warning,
                ProblemCode::HeaderChanged,
                format!(
                    "第 {} 行的表头与保存的列对应不一致，请核对每一列的对应关系",
                    header.row
                ),
                format!(
                    "the header in row {} differs from the saved mapping; check the column mapping",
                    header.row
                ),
            );
            self.problems.push(p);
        }
    }

    fn problem(
        &self,
        row: u32,
        col: Option<&Col>,
        field: Option<FieldKey>,
        value: Option<String>,
        issue: Issue,
    ) -> Problem {
        let (zh, en) = match col {
            Some(c) => {
                let (pz, pe) = place(row, &c.letter, &c.header);
                (format!("{pz}：{}", issue.zh), format!("{pe}: {}", issue.en))
            }
            None => (
                format!("第 {row} 行：{}", issue.zh),
                format!("row {row}: {}", issue.en),
            ),
        };
        Problem {
            severity: issue.severity,
            sheet: self.sheet.clone(),
            row: Some(row),
            column: col.map(|c| c.letter.clone()),
            header: col.map(|c| c.header.clone()),
            field,
            code: issue.code,
            value,
            message: codes::Message::new(zh, en),
        }
    }

    fn skip_row(&mut self, raw: &RawRow, code: ProblemCode, zh: &str, en: &str) {
        let first = raw.cells.first();
        let value = first.map(|(_, c)| c.raw_text());
        let p = Problem {
            severity: Severity::Warning,
            sheet: self.sheet.clone(),
            row: Some(raw.row),
            column: first.map(|(c, _)| column_letter(*c)),
            header: None,
            field: None,
            code,
            value,
            message: codes::Message::new(
                format!("第 {} 行{zh}", raw.row),
                format!("row {}: {en}", raw.row),
            ),
        };
        self.problems.push(p);
    }

    fn process(&mut self, raw: RawRow) {
        if self.inert || raw.row <= self.mapping.header_row {
            return;
        }
        if self.stray.is_some()
            || (raw.row - self.last_row > self.stray_gap && !self.rows.is_empty())
        {
            if self.stray.is_none() {
                self.stray = raw.cells.first().map(|(c, _)| (raw.row, *c));
            }
            self.stray_rows += 1;
            return;
        }
        // Rows with nothing in a mapped column are notes beside the table: ignored.
        if !self
            .cols
            .iter()
            .any(|c| raw.get(c.index).is_some_and(|cell| !cell.is_empty()))
        {
            return;
        }
        if let Some((_, Cell::Text(first_text))) = raw.cells.first()
            && may_start_footer_or_note(first_text)
        {
            // Only the start of the first cell matters; fold just that much.
            let head: String = first_text.chars().take(16).collect();
            let text = enum_fold(&head);
            const FOOTERS: &[&str] = &[
                "合计",
                "总计",
                "小计",
                "共计",
                "总数",
                "累计",
                "total",
                "subtotal",
                "grandtotal",
                "sum",
            ];
            if FOOTERS.iter().any(|f| text.starts_with(f)) {
                self.skip_row(
                    &raw,
                    ProblemCode::RowFooter,
                    "是合计行，已跳过，不作为数据导入",
                    "is a totals row and was skipped",
                );
                return;
            }
            const NOTES: &[&str] = &[
                "注",
                "备注",
                "说明",
                "note",
                "notes",
                "制表",
                "制表人",
                "审核",
                "审核人",
                "填表人",
                "填表",
                "负责人",
            ];
            if raw.cells.len() == 1 {
                let folded = fold_width(&head);
                let folded = folded.trim();
                let is_note = NOTES.iter().any(|n| {
                    folded.to_lowercase().strip_prefix(n).is_some_and(|rest| {
                        let rest = rest.trim_start();
                        rest.starts_with([':', '：'])
                            || rest
                                .starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == '、')
                    })
                });
                if is_note {
                    self.skip_row(
                        &raw,
                        ProblemCode::RowNote,
                        "是说明文字，已跳过",
                        "is a note and was skipped",
                    );
                    return;
                }
            }
        }
        // A repeated header has the header text in its first headed column; checking that one
        // cell first keeps the common case to a single comparison.
        let first_headed = self.cols.iter().find(|c| !c.header_norm.is_empty());
        let maybe_header = first_headed.is_some_and(|c| {
            matches!(raw.get(c.index), Some(Cell::Text(t)) if t.len() <= c.header.len() * 3 + 16
                && may_normalise_to(t, &c.header_norm)
                && normalise_header(t) == c.header_norm)
        });
        let repeated = if !maybe_header {
            0
        } else {
            self.cols
                .iter()
                .filter(|c| {
                    !c.header_norm.is_empty()
                        && raw
                            .get(c.index)
                            .is_some_and(|cell| normalise_header(&cell.raw_text()) == c.header_norm)
                })
                .count()
        };
        if repeated >= 2.min(self.cols.len()).max(1) && repeated * 2 >= self.cols.len() {
            self.skip_row(
                &raw,
                ProblemCode::RowRepeatedHeader,
                "重复了表头，已跳过",
                "repeats the header and was skipped",
            );
            return;
        }
        self.last_row = raw.row;
        self.read_row(raw);
    }

    fn read_row(&mut self, raw: RawRow) {
        let row = raw.row;
        // Buffers reused from row to row (every value is taken out by `record::build`).
        let mut values = std::mem::take(&mut self.values_buf);
        values.clear();
        values.resize(self.fields.len(), None);
        let mut had_issue = std::mem::take(&mut self.issue_buf);
        had_issue.clear();
        had_issue.resize(self.fields.len(), false);
        let mut problems = Vec::new();
        for c in &self.cols {
            let Some(cell) = raw.get(c.index) else {
                continue;
            };
            let spec = &self.fields[c.field];
            let mut issues = Vec::new();
            let ctx = &self.ctx;
            let value = match spec.ty {
                FieldType::Text => cell::text(cell, ctx, &mut issues).map(Value::Text),
                FieldType::Code => cell::code(cell, ctx, &mut issues).map(Value::Text),
                FieldType::Gtin => cell::gtin(cell, ctx, &mut issues).map(Value::Text),
                FieldType::Uscc => cell::uscc(cell, ctx, &mut issues).map(Value::Text),
                FieldType::Date { allow_future } => {
                    cell::date(cell, allow_future, ctx, &mut issues).map(Value::Date)
                }
                FieldType::Quantity => cell::quantity(cell, ctx, &mut issues).map(Value::Quantity),
                FieldType::Enum(e) => cell::enumeration(cell, e, ctx, &mut issues).map(Value::Enum),
                FieldType::Unit => cell::unit(cell, ctx, &mut issues).map(Value::Text),
                FieldType::Lots => cell::lots(cell, ctx, &mut issues).map(Value::Lots),
            };
            if !issues.is_empty() {
                had_issue[c.field] = issues.iter().any(|i| i.severity == Severity::Error);
                let raw_value = cell.raw_text();
                for issue in issues {
                    problems.push(self.problem(
                        row,
                        Some(c),
                        Some(spec.key),
                        Some(raw_value.clone()),
                        issue,
                    ));
                }
            }
            values[c.field] = value;
        }
        // Required fields that are mapped but empty.
        for (i, f) in self.fields.iter().enumerate() {
            if values[i].is_some() || had_issue[i] {
                continue;
            }
            let Some(pos) = self.col_of_field[i] else {
                continue;
            };
            let missing = match f.need {
                Need::Required => true,
                Need::EitherOr(other) => {
                    let j = self.fields.iter().position(|g| g.key == other);
                    match j {
                        Some(j) if self.col_of_field[j].is_some() => {
                            values[j].is_none() && !had_issue[j] && i < j
                        }
                        _ => true,
                    }
                }
                Need::Optional => false,
            };
            if missing {
                let col = &self.cols[pos];
                let (zh, en) = match f.need {
                    Need::EitherOr(other) => {
                        let o = self.kind.field(other).map_or(("", ""), |o| (o.zh, o.en));
                        (
                            format!("“{}”和“{}”至少要填一项", f.zh, o.0),
                            format!("fill in {} or {}", f.en, o.1),
                        )
                    }
                    _ => (
                        format!("“{}”是必填项，不能为空。{}", f.zh, f.explain_zh),
                        format!("{} is required", f.en),
                    ),
                };
                problems.push(self.problem(
                    row,
                    Some(col),
                    Some(f.key),
                    None,
                    Issue::error(ProblemCode::RequiredMissing, zh, en),
                ));
            }
        }
        self.cross_row_checks(row, &values, &mut problems);
        let record = record::build(
            self.kind,
            Values {
                fields: self.fields,
                values: &mut values,
            },
        );
        self.rows.push(RowRead {
            row,
            record,
            problems,
        });
        self.values_buf = values;
        self.issue_buf = had_issue;
    }

    fn value_of(&self, values: &[Option<Value>], key: FieldKey) -> Option<String> {
        self.value_ref(values, key).map(Value::key)
    }

    fn value_ref<'v>(&self, values: &'v [Option<Value>], key: FieldKey) -> Option<&'v Value> {
        let i = self.fields.iter().position(|f| f.key == key)?;
        values[i].as_ref()
    }

    /// [`Processor::dup_key`] of a row already read, from its draft.
    fn draft_dup_key(draft: &RecordDraft, parts: &[KeyPart], out: &mut String) -> bool {
        out.clear();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                out.push('\u{1F}');
            }
            let present = match *part {
                KeyPart::Needs(k) | KeyPart::May(k) => draft.push_key(k, out),
                KeyPart::ProductRef => {
                    draft.push_key(FieldKey::Gtin, out) || draft.push_key(FieldKey::Product, out)
                }
            };
            if !present && !matches!(part, KeyPart::May(_)) {
                return false;
            }
        }
        true
    }

    /// The key of duplicate check `parts` for this row, `None` when a needed part is missing:
    /// the parts' values joined by U+001F.
    fn dup_key(&self, values: &[Option<Value>], parts: &[KeyPart], out: &mut String) -> bool {
        out.clear();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                out.push('\u{1F}');
            }
            let value = match *part {
                KeyPart::Needs(k) => match self.value_ref(values, k) {
                    Some(v) => Some(v),
                    None => return false,
                },
                KeyPart::May(k) => self.value_ref(values, k),
                KeyPart::ProductRef => match self
                    .value_ref(values, FieldKey::Gtin)
                    .or_else(|| self.value_ref(values, FieldKey::Product))
                {
                    Some(v) => Some(v),
                    None => return false,
                },
            };
            if let Some(v) = value {
                v.push_key(out);
            }
        }
        true
    }

    fn col_for(&self, key: FieldKey) -> Option<&Col> {
        let i = self.fields.iter().position(|f| f.key == key)?;
        self.col_of_field[i].map(|p| &self.cols[p])
    }

    /// Duplicates within the file; the later row gets the error and names the earlier one.
    fn cross_row_checks(
        &mut self,
        row: u32,
        values: &[Option<Value>],
        problems: &mut Vec<Problem>,
    ) {
        use FieldKey as F;
        use std::collections::hash_map::Entry;
        for &(id, parts, at, what_zh, what_en) in dup_checks(self.kind) {
            let mut key = std::mem::take(&mut self.key_buf);
            key.clear();
            if !self.dup_key(values, parts, &mut key) {
                self.key_buf = key;
                continue;
            }
            // Keys are kept as hashes; a matching hash is confirmed against the first row's key.
            let hash = if same_hashes() {
                0
            } else {
                self.hasher.hash_one(&key)
            };
            let index = self.rows.len();
            let first = match self.seen.entry((id, hash)) {
                Entry::Vacant(e) => {
                    e.insert(index);
                    None
                }
                Entry::Occupied(e) => {
                    let first = *e.get();
                    let mut other = String::with_capacity(key.len());
                    if Self::draft_dup_key(&self.rows[first].record, parts, &mut other)
                        && other == key
                    {
                        Some(first)
                    } else {
                        match self.seen_shared.entry((id, key.clone())) {
                            Entry::Occupied(e) => Some(*e.get()),
                            Entry::Vacant(e) => {
                                e.insert(index);
                                None
                            }
                        }
                    }
                }
            };
            self.key_buf = key;
            if let Some(first) = first.map(|i| self.rows[i].row) {
                let issue = Issue::error(
                    ProblemCode::DuplicateInFile,
                    format!(
                        "与第 {first} 行的{what_zh}相同，是重复的记录。请删除重复的行，或更正其中一行"
                    ),
                    format!(
                        "same {what_en} as row {first}; delete the duplicate row or correct one of them"
                    ),
                );
                let value = self.value_of(values, at);
                problems.push(self.problem(row, self.col_for(at), Some(at), value, issue));
            }
        }
        let v = |k| self.value_of(values, k);
        let note = if self.kind == RecordKind::Shipment {
            v(F::DeliveryNoteNo).map(|n| {
                (
                    n,
                    v(F::Customer).unwrap_or_default(),
                    v(F::ShippedOn).unwrap_or_default(),
                )
            })
        } else {
            None
        };
        if let Some((note, customer, date)) = note {
            match self.notes.get(&note) {
                Some((first, c, d))
                    if (c != &customer && !customer.is_empty() && !c.is_empty())
                        || (d != &date && !date.is_empty() && !d.is_empty()) =>
                {
                    let issue = Issue::error(
                        ProblemCode::DeliveryNoteConflict,
                        format!(
                            "出库单 {note} 在第 {first} 行的客户或发货日期与本行不同（{c} {d} / {customer} {date}）。同一张出库单只能发给一个客户、在同一天发出，请核对单号"
                        ),
                        format!(
                            "delivery note {note} has a different customer or date in row {first}; one note goes to one customer on one day"
                        ),
                    );
                    problems.push(self.problem(
                        row,
                        self.col_for(F::DeliveryNoteNo),
                        Some(F::DeliveryNoteNo),
                        Some(note.clone()),
                        issue,
                    ));
                }
                Some(_) => {}
                None => {
                    self.notes.insert(note, (row, customer, date));
                }
            }
        }
    }

    fn finish(mut self, mut sheet_problems: Vec<Problem>) -> SheetRead {
        sheet_problems.append(&mut self.problems);
        if let Some((row, col)) = self.stray {
            sheet_problems.push(Problem {
                severity: Severity::Warning,
                sheet: self.sheet.clone(),
                row: Some(row),
                column: Some(column_letter(col)),
                header: None,
                field: None,
                code: ProblemCode::StrayCells,
                value: None,
                message: codes::Message::new(
                    format!(
                        "表格在第 {} 行结束；其后隔了超过 {} 个空行的 {} 行内容（从 {} 开始）被视为多余内容，未导入。如果它们是数据，请删除中间的空行",
                        self.last_row,
                        self.stray_gap,
                        self.stray_rows,
                        cell_ref(row, u32::from(col))
                    ),
                    format!(
                        "the table ends at row {}; {} rows more than {} blank rows further down (from {}) were not imported",
                        self.last_row,
                        self.stray_rows,
                        self.stray_gap,
                        cell_ref(row, u32::from(col))
                    ),
                ),
            });
        }
        let blocked = sheet_problems.iter().any(Problem::is_error);
        let rows_total = self.rows.len() as u32;
        let rows_valid = if blocked {
            0
        } else {
            self.rows.iter().filter(|r| r.is_valid()).count() as u32
        };
        SheetRead {
            sheet: self.sheet,
            kind: self.kind,
            header_row: Some(self.mapping.header_row),
            mapping: Some(self.mapping),
            rows: self.rows,
            problems: sheet_problems,
            rows_total,
            rows_valid,
        }
    }
}
