//! Opening workbooks (content sniffing, the size guards of [`crate::limits`], calamine's readers)
//! and reading one sheet: rows are streamed by [`crate::stream`], the header is found and each
//! row is checked by [`crate::process`].

use std::io::Cursor;
use std::ops::ControlFlow;
use std::path::Path;

use calamine::{DataRef, Ods, Reader, SheetType, SheetVisible, Xls, Xlsb, Xlsx};
use serde::Serialize;

use crate::cell::Ctx;
use crate::columns::{Need, RecordKind};
use crate::csv::CsvText;
use crate::header::{self, Mapping, Matcher};
use crate::limits::{Container, Limits, guard, sniff};
use crate::place::{cell_ref, column_letter, column_letter_u32};
use crate::problem::{Problem, ProblemCode, ReadError, Result, Severity};
use crate::process::{Processor, ReadOptions, RowRead, SheetRead};
use crate::stream::{
    ColumnKeep, Grid, GridCell, GridRow, RawRow, RowGrouper, StreamStats, from_data_ref, kept,
    pipelined, stream_range,
};

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

/// A zip or stream that ends early, as calamine words it.
fn truncated(detail: impl ToString) -> ReadError {
    ReadError::Truncated {
        detail: detail.to_string(),
    }
}

/// Anything else calamine could not read.
fn corrupt(detail: impl ToString) -> ReadError {
    ReadError::Corrupt {
        detail: detail.to_string(),
    }
}

fn xlsx_err(e: calamine::XlsxError) -> ReadError {
    match e {
        calamine::XlsxError::Password => ReadError::Encrypted,
        calamine::XlsxError::Zip(z) => truncated(z),
        calamine::XlsxError::Io(io) => truncated(io),
        calamine::XlsxError::WorksheetNotFound(name) => ReadError::SheetNotFound {
            name,
            available: Vec::new(),
        },
        other => corrupt(other),
    }
}

fn xlsb_err(e: calamine::XlsbError) -> ReadError {
    match e {
        calamine::XlsbError::Password => ReadError::Encrypted,
        calamine::XlsbError::Zip(z) => truncated(z),
        calamine::XlsbError::Io(io) => truncated(io),
        other => corrupt(other),
    }
}

fn xls_err(e: calamine::XlsError) -> ReadError {
    match e {
        calamine::XlsError::Password => ReadError::Encrypted,
        calamine::XlsError::Io(io) => truncated(io),
        calamine::XlsError::EoStream(s) => truncated(format!("end of stream in {s}")),
        other => corrupt(other),
    }
}

fn ods_err(e: calamine::OdsError) -> ReadError {
    match e {
        calamine::OdsError::Password => ReadError::Encrypted,
        calamine::OdsError::Zip(z) => truncated(z),
        calamine::OdsError::Io(io) => truncated(io),
        other => corrupt(other),
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

/// Opens a workbook with calamine's reader `R`: its worksheets, its date system (`epoch_1904`) and
/// the reader kept as `inner`.
fn open_book<R: Reader<Cursor<Vec<u8>>>>(
    bytes: Vec<u8>,
    err: fn(R::Error) -> ReadError,
    epoch_1904: fn(&R) -> bool,
    inner: fn(Box<R>) -> Inner,
) -> Result<(Vec<SheetInfo>, bool, Inner)> {
    let book: R = guard(|| calamine::open_workbook_from_rs(Cursor::new(bytes)))?.map_err(err)?;
    let sheets = sheet_infos(book.sheets_metadata());
    let epoch = epoch_1904(&book);
    Ok((sheets, epoch, inner(Box::new(book))))
}

/// An xlsx or xlsb workbook read cell by cell. calamine's xlsx and xlsb cell readers have the same
/// methods but share no trait, so this one stands for the loop they both need.
trait CellReader: Send {
    /// Shows `keep_going` each cell of `sheet` in file order (its row, column and unconverted
    /// value) until it answers `false`.
    fn each_cell(
        &mut self,
        sheet: &str,
        keep_going: impl FnMut(u32, u32, &DataRef<'_>) -> Result<bool>,
    ) -> Result<()>;
}

macro_rules! cell_reader {
    ($($reader:ident => $err:ident),*) => {$(
        impl CellReader for $reader<Cursor<Vec<u8>>> {
            fn each_cell(
                &mut self,
                sheet: &str,
                mut keep_going: impl FnMut(u32, u32, &DataRef<'_>) -> Result<bool>,
            ) -> Result<()> {
                let mut reader = self.worksheet_cells_reader(sheet).map_err($err)?;
                while let Some(c) = reader.next_cell().map_err($err)? {
                    let (r, col) = c.get_position();
                    if !keep_going(r, col, c.get_value())? {
                        break;
                    }
                }
                Ok(())
            }
        }
    )*};
}

cell_reader!(Xlsx => xlsx_err, Xlsb => xlsb_err);

/// Streams the non-blank rows of an xlsx or xlsb worksheet (see [`Workbook::stream_rows_with`]).
fn stream_cells(
    book: &mut impl CellReader,
    sheet: &str,
    limits: &Limits,
    epoch: bool,
    keep: Option<&ColumnKeep>,
    parallel: bool,
    f: &mut dyn FnMut(RawRow) -> ControlFlow<()>,
) -> Result<StreamStats> {
    if parallel {
        return pipelined(limits, sheet, keep, f, |sink| {
            book.each_cell(sheet, |r, col, value| {
                Ok(!sink.wants(col) || sink.push(r, col, from_data_ref(value, epoch)))
            })
        });
    }
    let max_columns = u32::from(limits.max_columns);
    guard(|| {
        let mut grouper = RowGrouper::new(limits, sheet);
        let mut stopped = false;
        book.each_cell(sheet, |r, col, value| {
            if col < max_columns && !kept(keep, col) {
                return Ok(true);
            }
            stopped = grouper
                .push(r, col, from_data_ref(value, epoch), f)?
                .is_break();
            Ok(!stopped)
        })?;
        if stopped {
            Ok(grouper.stats)
        } else {
            grouper.finish(f)
        }
    })?
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
        let (format, (sheets, epoch_1904, inner)) = match container {
            Container::Xlsx => {
                let format = if extension == "xlsm" {
                    FileFormat::Xlsm
                } else {
                    FileFormat::Xlsx
                };
                let book = open_book(bytes, xlsx_err, Xlsx::has_1904_epoch, Inner::Xlsx)?;
                (format, book)
            }
            Container::Xlsb => {
                let book = open_book(bytes, xlsb_err, Xlsb::has_1904_epoch, Inner::Xlsb)?;
                (FileFormat::Xlsb, book)
            }
            Container::Xls => {
                let book = open_book(bytes, xls_err, Xls::has_1904_epoch, Inner::Xls)?;
                (FileFormat::Xls, book)
            }
            Container::Ods => {
                guard(|| crate::limits::scan_ods(&bytes, &limits))??;
                (
                    FileFormat::Ods,
                    open_book(bytes, ods_err, |_| false, Inner::Ods)?,
                )
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
                let sheet = SheetInfo {
                    name: stem.unwrap_or_else(|| "Sheet1".into()),
                    visible: true,
                };
                (format, (vec![sheet], false, Inner::Csv(csv)))
            }
        };
        Ok(Workbook {
            format,
            inner,
            sheets,
            epoch_1904,
            limits,
        })
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
        match &mut self.inner {
            Inner::Xlsx(x) => stream_cells(&mut **x, sheet, &limits, epoch, keep, parallel, f),
            Inner::Xlsb(x) => stream_cells(&mut **x, sheet, &limits, epoch, keep, parallel, f),
            Inner::Csv(csv) => crate::csv::stream(csv, &limits, sheet, keep, f),
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

test_switch! {
    /// Sheets are read on this thread only: the single-threaded path, for comparing.
    ONE_THREAD, one_thread
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
