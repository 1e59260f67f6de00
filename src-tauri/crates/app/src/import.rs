//! Spreadsheet import (导入): open a file, pick a sheet, confirm the header row and the column
//! mapping, see and fix every problem, then commit in one transaction, all-or-nothing or only the
//! valid rows, and undo the whole import later if need be.
//!
//! The steps share an import *session* (`session_id`): the opened workbook and, once a sheet has
//! been read, its rows and their problems. Sessions live in their `App` only (`jobs.rs`), at most
//! [`MAX_SESSIONS`] at a time (the oldest is dropped), and nothing of them is written until
//! [`App::import_commit`]. Every long step takes a progress callback and honours
//! [`App::import_cancel`].
//!
//! Reading is the `sheets` crate's job; this module adds the checks against the database (see
//! `import/plan.rs`), remembers column mappings per header signature (`import_mapping`), records
//! each commit as an `import_run` that owns the records it created, and writes the problem report
//! through `sheets::write`. Natural keys make a re-import, or the same rows in another file, create
//! nothing twice.

mod plan;
mod values;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use sha2::{Digest, Sha256};
use sheets::{
    Confidence, FieldKey, Limits, Mapping, ReadError, ReadOptions, RecordKind, SheetRead, Workbook,
};

use crate::jobs;
use crate::{
    ApiError, App, CodeScheme, ErrorCode, Granularity, ImportColumn, ImportColumnChoice,
    ImportCommitInput, ImportCommitResult, ImportConfidence, ImportFieldInfo, ImportFileInfo,
    ImportFixInput, ImportFixResult, ImportKind, ImportMode, ImportPreview, ImportPreviewInput,
    ImportPreviewRow, ImportProblem, ImportProgress, ImportReadInput, ImportReport, ImportRow,
    ImportRowFilter, ImportRowStatus, ImportRowsQuery, ImportRun, ImportRunStatus, ImportSheetInfo,
    ImportStage, ImportTableCount, ImportTemplate, ImportUndoResult, ImportUnknown, Page,
    ProblemSeverity, Result,
};

/// Most data rows one import reads. A sheet with more is refused as soon as the reader passes
/// this many rows, so memory stays bounded (about 1 KB per row while checking); split the file.
pub const MAX_ROWS: u32 = 300_000;
/// Rows shown for confirming the header.
const PREVIEW_ROWS: u32 = 30;
/// Open sessions kept; opening one more drops the oldest.
pub const MAX_SESSIONS: usize = 4;
/// Most rows per page of the problem grid.
const MAX_PAGE: u32 = 5_000;
/// How often long loops report progress and look at the cancel flag.
const PROGRESS_EVERY: usize = 2_000;

/// The limits the app reads with: the sheet reader's defaults, with [`MAX_ROWS`].
pub fn limits() -> Limits {
    Limits {
        max_rows: MAX_ROWS,
        ..Limits::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Sessions.

pub(crate) struct Slot {
    cancel: AtomicBool,
    session: Mutex<Session>,
}

struct Session {
    id: u32,
    file_name: String,
    sha256: String,
    bytes: u64,
    workbook: Workbook,
    checked: Option<Checked>,
}

/// A sheet read as one kind and checked against the database.
struct Checked {
    import_kind: ImportKind,
    kind: RecordKind,
    read: SheetRead,
    remembered: bool,
    create_missing: bool,
    /// Aligned with `read.rows`.
    rows: Vec<RowState>,
    unknown: Vec<ImportUnknown>,
    /// What a commit writes, and what the database looked like when it was planned.
    plan: plan::Plan,
    stamp: Option<plan::Stamp>,
    /// The rows were committed since they were checked: check again before showing them.
    stale: bool,
}

#[derive(Debug, Clone)]
struct RowState {
    db: Vec<plan::RowProblem>,
    status: ImportRowStatus,
    edited: bool,
}

impl App {
    /// How many import sessions are open (a file chosen in 导入 and not yet closed).
    pub(crate) fn import_sessions_open(&self) -> usize {
        jobs::lock(&self.jobs.imports).len()
    }

    fn import_slot(&self, id: u32) -> Result<Arc<Slot>> {
        jobs::lock(&self.jobs.imports)
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, s)| Arc::clone(s))
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::NotFound,
                    "这次导入已经结束或已过期，请重新选择文件",
                    "the import session has ended; open the file again",
                )
            })
    }
}

fn lock(slot: &Slot) -> MutexGuard<'_, Session> {
    // A panic mid-step leaves at most a half-built `checked`, which every step rebuilds.
    slot.session.lock().unwrap_or_else(|p| p.into_inner())
}

/// Takes the cancel flag down for a new long step.
fn arm(slot: &Slot) {
    slot.cancel.store(false, Ordering::SeqCst);
}

fn cancelled(slot: &Slot) -> Result<()> {
    if slot.cancel.load(Ordering::SeqCst) {
        let mut e = ApiError::new(
            ErrorCode::InvalidState,
            "已取消，没有写入任何数据",
            "cancelled; nothing was written",
        );
        e.field = Some("import.cancelled".into());
        return Err(e);
    }
    Ok(())
}

fn checked_mut(session: &mut Session) -> Result<&mut Checked> {
    session.checked.as_mut().ok_or_else(|| {
        ApiError::new(
            ErrorCode::InvalidState,
            "请先选择工作表并读取数据",
            "read a sheet first",
        )
    })
}

// ---------------------------------------------------------------------------------------------
// Conversions.

pub(crate) use crate::entries::{iso, today};

pub(crate) fn inspection(r: Option<sheets::InspectionResult>) -> &'static str {
    match r {
        Some(sheets::InspectionResult::Pass) => "pass",
        Some(sheets::InspectionResult::Fail) => "fail",
        _ => "pending",
    }
}

impl ImportKind {
    pub fn record_kind(self) -> RecordKind {
        match self {
            ImportKind::Product => RecordKind::Product,
            ImportKind::Party => RecordKind::Party,
            ImportKind::Receipt => RecordKind::Receipt,
            ImportKind::Batch => RecordKind::Batch,
            ImportKind::Item => RecordKind::Item,
            ImportKind::Shipment => RecordKind::Shipment,
        }
    }

    /// `product`, `party`, `receipt`, `batch`, `item`, `shipment`: the CLI's and the database's word.
    pub fn as_str(self) -> &'static str {
        self.record_kind().as_str()
    }

    pub fn parse(text: &str) -> Option<ImportKind> {
        ImportKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    pub const ALL: [ImportKind; 6] = [
        ImportKind::Product,
        ImportKind::Party,
        ImportKind::Receipt,
        ImportKind::Batch,
        ImportKind::Item,
        ImportKind::Shipment,
    ];

    /// The kind a sheet's name suggests, for preselecting it.
    pub fn guess(sheet_name: &str) -> Option<ImportKind> {
        const WORDS: &[(&str, ImportKind)] = &[
            ("进货", ImportKind::Receipt),
            ("采购", ImportKind::Receipt),
            ("原料", ImportKind::Receipt),
            ("收货", ImportKind::Receipt),
            ("一物一码", ImportKind::Item),
            ("单品", ImportKind::Item),
            ("序列号", ImportKind::Item),
            ("出库", ImportKind::Shipment),
            ("发货", ImportKind::Shipment),
            ("销售", ImportKind::Shipment),
            ("生产", ImportKind::Batch),
            ("批次", ImportKind::Batch),
            ("供应商", ImportKind::Party),
            ("客户", ImportKind::Party),
            ("往来", ImportKind::Party),
            ("产品", ImportKind::Product),
            ("商品", ImportKind::Product),
            ("receipt", ImportKind::Receipt),
            ("item", ImportKind::Item),
            ("serial", ImportKind::Item),
            ("shipment", ImportKind::Shipment),
            ("batch", ImportKind::Batch),
            ("production", ImportKind::Batch),
            ("supplier", ImportKind::Party),
            ("customer", ImportKind::Party),
            ("product", ImportKind::Product),
        ];
        let lower = sheet_name.to_lowercase();
        WORDS
            .iter()
            .find(|(w, _)| lower.contains(w))
            .map(|(_, k)| *k)
    }
}

/// A file the reader refused: `UnreadableFile` (CLI exit 2) with the reader's own message, and
/// the reader's reason code (`file.encrypted`, `sheet.too-many-rows`, …) in `field`.
pub(crate) fn read_error(e: ReadError) -> ApiError {
    let m = e.message();
    let mut err = ApiError::new(ErrorCode::UnreadableFile, m.zh, m.en);
    err.field = Some(e.code().to_string());
    err
}

fn write_error(e: sheets::WriteError) -> ApiError {
    let m = e.message();
    let code = match e {
        sheets::WriteError::Read(_) => ErrorCode::UnreadableFile,
        sheets::WriteError::Xlsx(_) => ErrorCode::InvalidInput,
    };
    let mut err = ApiError::new(code, m.zh, m.en);
    err.field = Some("path".into());
    err
}

fn problem(p: &sheets::Problem) -> ImportProblem {
    ImportProblem {
        row: p.row,
        column: p.column.clone(),
        header: p.header.clone(),
        field: p.field.map(|f| f.as_str().to_string()),
        severity: if p.is_error() {
            ProblemSeverity::Error
        } else {
            ProblemSeverity::Warning
        },
        code: p.code.as_str().to_string(),
        message_zh: p.message.zh.clone(),
        message_en: p.message.en.clone(),
        value: p.value.clone(),
    }
}

fn confidence(c: Confidence) -> ImportConfidence {
    match c {
        Confidence::Exact => ImportConfidence::Exact,
        Confidence::Normalised => ImportConfidence::Normalised,
        Confidence::Fuzzy => ImportConfidence::Fuzzy,
        Confidence::Manual => ImportConfidence::Manual,
        Confidence::Unmapped => ImportConfidence::Unmapped,
    }
}

/// Headers that only number the rows (序号, No., #). The reader never maps them; the UI shows
/// them as "ignored (row number)".
fn is_row_counter(header: &str) -> bool {
    const COUNTERS: &[&str] = &[
        "序号",
        "行号",
        "序",
        "no",
        "no.",
        "#",
        "编号序号",
        "seq",
        "index",
        "idx",
        "行次",
        "顺序号",
    ];
    let folded: String = header
        .trim()
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect::<String>()
        .to_lowercase();
    COUNTERS.contains(&folded.as_str())
}

/// The field named `key` (its key such as `lot_no`, or its template header such as 生产批号); the
/// error lists every field of the kind.
fn field_key(kind: RecordKind, key: &str) -> Result<FieldKey> {
    let key = key.trim();
    kind.fields()
        .iter()
        .find(|f| f.key.as_str() == key || f.zh == key || f.en.eq_ignore_ascii_case(key))
        .map(|f| f.key)
        .ok_or_else(|| {
            let valid = |zh: bool| {
                kind.fields()
                    .iter()
                    .map(|f| format!("{}（{}）", f.key.as_str(), if zh { f.zh } else { f.en }))
                    .collect::<Vec<_>>()
                    .join(if zh { "、" } else { ", " })
            };
            let mut e = ApiError::new(
                ErrorCode::InvalidInput,
                format!(
                    "“{}”没有名为 {key} 的栏目。可用的栏目：{}",
                    kind.zh(),
                    valid(true)
                ),
                format!(
                    "{} has no field {key}; the fields are: {}",
                    kind.en(),
                    valid(false)
                ),
            );
            e.field = Some("mapping".into());
            e
        })
}

fn fields_of(kind: RecordKind) -> Vec<ImportFieldInfo> {
    kind.fields()
        .iter()
        .map(|f| {
            let (hint_zh, hint_en) = f.ty.format_hint();
            ImportFieldInfo {
                key: f.key.as_str().to_string(),
                zh: f.zh.to_string(),
                en: f.en.to_string(),
                required: f.required(),
                need_zh: f.need_zh(),
                hint_zh,
                hint_en,
            }
        })
        .collect()
}

fn mode_str(mode: ImportMode) -> &'static str {
    match mode {
        ImportMode::All => "all",
        ImportMode::ValidOnly => "valid-only",
    }
}

/// The mapping as `import_mapping` keeps it: the columns for an exact restore, and header → field
/// for a person reading the table.
fn mapping_json(m: &Mapping) -> String {
    let fields: serde_json::Map<String, serde_json::Value> = m
        .columns
        .iter()
        .filter(|c| !c.header_text.is_empty())
        .map(|c| {
            (
                c.header_text.clone(),
                c.field
                    .map_or(serde_json::Value::Null, |f| f.as_str().into()),
            )
        })
        .collect();
    serde_json::json!({ "columns": m.columns, "fields": fields }).to_string()
}

fn remembered_mapping(json: &str, detected: &Mapping) -> Option<Mapping> {
    let value: serde_json::Value = serde_json::from_str(json).ok()?;
    let columns: Vec<sheets::ColumnMapping> =
        serde_json::from_value(value.get("columns")?.clone()).ok()?;
    Some(Mapping {
        kind: detected.kind,
        header_row: detected.header_row,
        signature: detected.signature.clone(),
        columns,
    })
}

fn run_dto(conn: &store::Connection, row: store::imports::RunRow) -> Result<ImportRun> {
    let created: BTreeMap<String, u32> = serde_json::from_str(&row.run.created).unwrap_or_default();
    let status = if row.status == "undone" {
        ImportRunStatus::Undone
    } else {
        ImportRunStatus::Committed
    };
    let can_undo = status == ImportRunStatus::Committed
        && store::imports::submitted_records(conn, row.id)?.is_none();
    Ok(ImportRun {
        id: row.id,
        kind: ImportKind::parse(&row.run.kind).unwrap_or(ImportKind::Batch),
        file_name: row.run.file_name,
        sha256: row.run.file_sha256,
        sheet: row.run.sheet,
        header_row: row.run.header_row,
        mode: if row.run.mode == "valid-only" {
            ImportMode::ValidOnly
        } else {
            ImportMode::All
        },
        rows_total: row.run.rows_total,
        rows_imported: row.run.rows_imported,
        rows_existing: row.run.rows_existing,
        rows_skipped: row.run.rows_skipped,
        created: created
            .into_iter()
            .map(|(table, count)| ImportTableCount { table, count })
            .collect(),
        actor: row.run.actor,
        duration_ms: row.run.duration_ms.round().clamp(0.0, u32::MAX as f64) as u32,
        status,
        created_at: row.created_at,
        undone_at: row.undone_at,
        undone_by: row.undone_by,
        can_undo,
    })
}

fn table_counts(pairs: Vec<(String, i64)>) -> Vec<ImportTableCount> {
    pairs
        .into_iter()
        .map(|(table, n)| ImportTableCount {
            table,
            count: u32::try_from(n).unwrap_or(u32::MAX),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The use-cases.

/// What `tracedesk import` asks for in one go.
#[derive(Debug, Clone)]
pub struct ImportFileOptions {
    pub kind: ImportKind,
    /// `None`: the first visible sheet.
    pub sheet: Option<String>,
    pub header_row: Option<u32>,
    pub dry_run: bool,
    pub mode: ImportMode,
    pub create_missing: bool,
}

/// What `tracedesk import` did.
#[derive(Debug, Clone)]
pub struct ImportFileOutcome {
    pub report: ImportReport,
    /// Every problem, sheet-wide first, then by row.
    pub problems: Vec<ImportProblem>,
    /// Rows imported, or with `dry_run` rows that would be.
    pub rows_imported: u32,
    /// Errors kept the rows from being imported (exit 1).
    pub blocked: bool,
    pub run: Option<ImportRun>,
}

impl App {
    fn product_defaults(&self) -> Result<plan::Defaults> {
        let coding = self.status()?.coding;
        let (scheme, granularity) = match coding {
            Some(c) => (c.scheme, c.granularity),
            None => (CodeScheme::Gs1, Granularity::Batch),
        };
        Ok(plan::Defaults {
            scheme: match scheme {
                CodeScheme::Gs1 => "gs1",
                CodeScheme::Ecode => "ecode",
                CodeScheme::DigitalId => "digital-id",
            }
            .to_string(),
            granularity: match granularity {
                Granularity::Product => "product",
                Granularity::Batch => "batch",
                Granularity::Item => "item",
            }
            .to_string(),
            today: today(),
        })
    }

    fn runs_of_file(&self, sha256: &str) -> Result<Vec<ImportRun>> {
        let db = self.db();
        store::imports::runs_of_file(db.conn(), sha256)?
            .into_iter()
            .map(|r| run_dto(db.conn(), r))
            .collect()
    }

    /// Opens a spreadsheet for import and lists its sheets. The file is read once, hashed and
    /// kept in memory by the session; `Err` (`UnreadableFile`) only when it is not a spreadsheet
    /// that can be read (wrong type, damaged, encrypted, over the limits).
    pub fn import_open(&self, path: &Path) -> Result<ImportFileInfo> {
        let limits = limits();
        let meta = std::fs::metadata(path).map_err(|e| read_error(ReadError::Io(e)))?;
        if meta.len() > limits.max_file_bytes {
            return Err(read_error(ReadError::TooLarge {
                size: meta.len(),
                limit: limits.max_file_bytes,
            }));
        }
        let bytes = std::fs::read(path).map_err(|e| read_error(ReadError::Io(e)))?;
        let sha256 = hex(&Sha256::digest(&bytes));
        let size = bytes.len() as u64;
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let workbook = Workbook::from_bytes_with(bytes, &file_name, limits).map_err(read_error)?;
        let sheets = workbook
            .sheets()
            .iter()
            .map(|s| ImportSheetInfo {
                name: s.name.clone(),
                visible: s.visible,
                guessed_kind: ImportKind::guess(&s.name),
            })
            .collect();
        let format = serde_json::to_value(workbook.format())
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let encoding = workbook.text_encoding().map(str::to_string);
        let previous_runs = self.runs_of_file(&sha256)?;
        let id = self.jobs.last_import.fetch_add(1, Ordering::SeqCst) + 1;
        let session = Session {
            id,
            file_name: file_name.clone(),
            sha256: sha256.clone(),
            bytes: size,
            workbook,
            checked: None,
        };
        {
            let mut all = jobs::lock(&self.jobs.imports);
            while all.len() >= MAX_SESSIONS {
                all.remove(0);
            }
            all.push((
                id,
                Arc::new(Slot {
                    cancel: AtomicBool::new(false),
                    session: Mutex::new(session),
                }),
            ));
        }
        Ok(ImportFileInfo {
            session_id: id,
            path: path.display().to_string(),
            file_name,
            format,
            encoding,
            bytes: size,
            sha256,
            sheets,
            previous_runs,
        })
    }

    /// Ends a session and frees its file. Unknown ids are ignored.
    pub fn import_close(&self, session_id: u32) -> Result<()> {
        jobs::lock(&self.jobs.imports).retain(|(id, _)| *id != session_id);
        Ok(())
    }

    /// Asks the session's running step to stop. Nothing is written by a cancelled step. Unknown
    /// ids are ignored.
    pub fn import_cancel(&self, session_id: u32) -> Result<()> {
        if let Ok(slot) = self.import_slot(session_id) {
            slot.cancel.store(true, Ordering::SeqCst);
        }
        Ok(())
    }

    /// The first rows of a sheet, with the header row found for `kind` (if any).
    pub fn import_preview(&self, input: &ImportPreviewInput) -> Result<ImportPreview> {
        let slot = self.import_slot(input.session_id)?;
        let mut s = lock(&slot);
        let grid = s
            .workbook
            .grid(&input.sheet, Some(PREVIEW_ROWS))
            .map_err(read_error)?;
        let kind = input.kind.record_kind();
        let detected = sheets::header::detect(kind, &grid, limits().header_search_rows);
        let columns = grid
            .rows
            .iter()
            .filter_map(|r| r.cells.last().map(|c| u32::from(c.column) + 1))
            .max()
            .unwrap_or(0);
        let rows = grid
            .rows
            .iter()
            .map(|r| {
                let mut cells = vec![String::new(); columns as usize];
                for c in &r.cells {
                    cells[c.column as usize] = c.value.raw_text();
                }
                ImportPreviewRow { row: r.row, cells }
            })
            .collect();
        Ok(ImportPreview {
            sheet: input.sheet.clone(),
            rows,
            columns,
            detected_header_row: detected.map(|m| m.header_row),
            truncated: grid.truncated,
        })
    }

    /// The mapping to read with: the clerk's header row or the detected one, a mapping remembered
    /// for the same headers, then the clerk's changes. `None` leaves detection to the reader.
    fn resolve_mapping(
        &self,
        workbook: &mut Workbook,
        input: &ImportReadInput,
    ) -> Result<(Option<Mapping>, bool)> {
        let kind = input.kind.record_kind();
        let base = match input.header_row {
            Some(n) => {
                let grid = workbook.grid(&input.sheet, Some(n)).map_err(read_error)?;
                let row = grid.rows.iter().find(|r| r.row == n).ok_or_else(|| {
                    let mut e = ApiError::new(
                        ErrorCode::InvalidInput,
                        format!("第 {n} 行是空行，不能作为表头。请选择列名所在的那一行"),
                        format!("row {n} is blank and cannot be the header"),
                    );
                    e.field = Some("headerRow".into());
                    e
                })?;
                Some(sheets::header::map_row(kind, row))
            }
            None => workbook
                .detect_mapping(&input.sheet, kind)
                .map_err(read_error)?,
        };
        let Some(mut mapping) = base else {
            return Ok((None, false));
        };
        let mut changed = input.header_row.is_some();
        let mut remembered = false;
        let json = store::imports::remembered_mapping(
            self.db().conn(),
            input.kind.as_str(),
            &mapping.signature,
        )?;
        if let Some(r) = json.and_then(|j| remembered_mapping(&j, &mapping))
            && mapping.apply_remembered(&r)
        {
            remembered = true;
            changed = true;
        }
        for choice in &input.mapping {
            let field = match choice.field.as_deref().filter(|f| !f.is_empty()) {
                Some(f) => Some(field_key(kind, f)?),
                None => None,
            };
            mapping.assign(&choice.column, field).map_err(|e| {
                let mut err = ApiError::new(
                    ErrorCode::InvalidInput,
                    format!("列对应有误：{e}"),
                    format!("bad column mapping: {e}"),
                );
                err.field = Some("mapping".into());
                err
            })?;
            changed = true;
        }
        Ok((changed.then_some(mapping), remembered))
    }

    /// Reads a sheet as records of one kind, with the header row and mapping the clerk chose, and
    /// checks every row against the database. Writes nothing.
    pub fn import_read(
        &self,
        input: &ImportReadInput,
        progress: &dyn Fn(ImportProgress),
    ) -> Result<ImportReport> {
        let slot = self.import_slot(input.session_id)?;
        arm(&slot);
        let defaults = self.product_defaults()?;
        let mut s = lock(&slot);
        progress(ImportProgress {
            stage: ImportStage::Read,
            done: 0,
            total: 0,
        });
        let kind = input.kind.record_kind();
        let (mapping, remembered) = self.resolve_mapping(&mut s.workbook, input)?;
        let mut options = ReadOptions::new(defaults.today);
        if let Some(m) = mapping {
            options = options.with_mapping(m);
        }
        s.checked = None;
        // Each row is checked against the database as soon as the reader has it, while the rest
        // of the sheet is still being parsed.
        let (read, rows, plan, unknown, stamp) = {
            let db = self.db();
            // Stamped before planning: a change made while planning shows at the commit.
            let stamp = plan::Stamp::take(db.conn())?;
            let mut planner =
                plan::Planner::new(db.conn(), input.create_missing, defaults.clone())?;
            let mut rows = Vec::new();
            let mut failed: Option<ApiError> = None;
            let read = s
                .workbook
                .read_observed(&input.sheet, kind, &options, &mut |read_so_far| {
                    if failed.is_some() {
                        return;
                    }
                    let i = read_so_far.len() - 1;
                    if i.is_multiple_of(PROGRESS_EVERY) {
                        if let Err(e) = cancelled(&slot) {
                            failed = Some(e);
                            return;
                        }
                        // How many rows there are is known only at the end.
                        progress(ImportProgress {
                            stage: ImportStage::Read,
                            done: i as u32,
                            total: 0,
                        });
                    }
                    match planner.row(i, read_so_far) {
                        Ok((db, status)) => rows.push(RowState {
                            db,
                            status,
                            edited: false,
                        }),
                        Err(e) => failed = Some(e),
                    }
                })
                .map_err(read_error)?;
            if let Some(e) = failed {
                return Err(e);
            }
            let (plan, unknown) = planner.finish();
            (read, rows, plan, unknown, stamp)
        };
        cancelled(&slot)?;
        progress(ImportProgress {
            stage: ImportStage::Read,
            done: read.rows_total,
            total: read.rows_total,
        });
        progress(ImportProgress {
            stage: ImportStage::Check,
            done: read.rows_total,
            total: read.rows_total,
        });
        s.checked = Some(Checked {
            import_kind: input.kind,
            kind,
            rows,
            read,
            remembered,
            create_missing: input.create_missing,
            unknown,
            plan,
            stamp: Some(stamp),
            stale: false,
        });
        self.report(&s)
    }

    /// Checks every row against the database again, e.g. after "create missing" was switched.
    pub fn import_recheck(
        &self,
        session_id: u32,
        create_missing: bool,
        progress: &dyn Fn(ImportProgress),
    ) -> Result<ImportReport> {
        let slot = self.import_slot(session_id)?;
        arm(&slot);
        let defaults = self.product_defaults()?;
        let mut s = lock(&slot);
        let checked = checked_mut(&mut s)?;
        checked.create_missing = create_missing;
        self.check(checked, defaults, &slot, progress)?;
        self.report(&s)
    }

    fn check(
        &self,
        checked: &mut Checked,
        defaults: plan::Defaults,
        slot: &Slot,
        progress: &dyn Fn(ImportProgress),
    ) -> Result<()> {
        let total = checked.read.rows.len();
        let db = self.db();
        // Stamped before planning: a change made while planning shows at the commit.
        let stamp = plan::Stamp::take(db.conn())?;
        let mut planner = plan::Planner::new(db.conn(), checked.create_missing, defaults)?;
        let mut states = Vec::with_capacity(total);
        for i in 0..total {
            if i.is_multiple_of(PROGRESS_EVERY) {
                cancelled(slot)?;
                progress(ImportProgress {
                    stage: ImportStage::Check,
                    done: i as u32,
                    total: total as u32,
                });
            }
            let (db_problems, status) = planner.row(i, &checked.read.rows)?;
            states.push(RowState {
                db: db_problems,
                status,
                edited: checked.rows.get(i).is_some_and(|r| r.edited),
            });
        }
        let (plan, unknown) = planner.finish();
        checked.unknown = unknown;
        checked.plan = plan;
        checked.stamp = Some(stamp);
        checked.stale = false;
        checked.rows = states;
        progress(ImportProgress {
            stage: ImportStage::Check,
            done: total as u32,
            total: total as u32,
        });
        Ok(())
    }

    fn report(&self, s: &Session) -> Result<ImportReport> {
        let c = s.checked.as_ref().ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidState,
                "请先读取工作表",
                "read a sheet first",
            )
        })?;
        let blocked = !c.read.importable();
        let (mut new, mut existing, mut invalid, mut warning, mut edited) = (0, 0, 0, 0, 0);
        for (row, state) in c.read.rows.iter().zip(&c.rows) {
            match state.status {
                ImportRowStatus::New => new += 1,
                ImportRowStatus::Exists => existing += 1,
                ImportRowStatus::Invalid => invalid += 1,
            }
            if state.status != ImportRowStatus::Invalid
                && (row.problems.iter().any(|p| !p.is_error())
                    || state
                        .db
                        .iter()
                        .any(|p| p.severity == ProblemSeverity::Warning))
            {
                warning += 1;
            }
            if state.edited {
                edited += 1;
            }
        }
        let total = c.read.rows.len() as u32;
        if blocked {
            (new, existing, invalid) = (0, 0, total);
        }
        let columns = c
            .read
            .mapping
            .as_ref()
            .map(|m| {
                m.columns
                    .iter()
                    .map(|col| ImportColumn {
                        column: col.column_letter.clone(),
                        header: col.header_text.clone(),
                        field: col.field.map(|f| f.as_str().to_string()),
                        confidence: confidence(col.confidence),
                        row_counter: col.field.is_none() && is_row_counter(&col.header_text),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(ImportReport {
            session_id: s.id,
            file_name: s.file_name.clone(),
            sheet: c.read.sheet.clone(),
            kind: c.import_kind,
            header_row: c.read.header_row,
            signature: c
                .read
                .mapping
                .as_ref()
                .map(|m| m.signature.clone())
                .unwrap_or_default(),
            remembered: c.remembered,
            columns,
            fields: fields_of(c.kind),
            rows_total: total,
            rows_valid: new + existing,
            rows_new: new,
            rows_existing: existing,
            rows_invalid: invalid,
            rows_warning: warning,
            rows_edited: edited,
            sheet_problems: c.read.problems.iter().map(problem).collect(),
            unknown: c.unknown.clone(),
            create_missing: c.create_missing,
            can_commit_all: !blocked && invalid == 0 && new > 0,
            can_commit_valid: !blocked && new > 0,
            previous_runs: self.runs_of_file(&s.sha256)?,
        })
    }

    /// Checks the rows again if they were committed since their check (they now exist).
    fn refresh(&self, s: &mut Session, slot: &Slot) -> Result<()> {
        if s.checked.as_ref().is_some_and(|c| c.stale) {
            let defaults = self.product_defaults()?;
            let c = checked_mut(s)?;
            self.check(c, defaults, slot, &|_| {})?;
        }
        Ok(())
    }

    /// One page of the checked rows, filtered.
    pub fn import_rows(&self, query: &ImportRowsQuery) -> Result<Page<ImportRow>> {
        let slot = self.import_slot(query.session_id)?;
        let mut s = lock(&slot);
        self.refresh(&mut s, &slot)?;
        let c = checked_mut(&mut s)?;
        let limit = query.limit.clamp(1, MAX_PAGE) as usize;
        let mut total = 0u32;
        let mut rows = Vec::new();
        for (i, (row, state)) in c.read.rows.iter().zip(&c.rows).enumerate() {
            let has_error = state.status == ImportRowStatus::Invalid;
            let has_warning = row.problems.iter().any(|p| !p.is_error())
                || state
                    .db
                    .iter()
                    .any(|p| p.severity == ProblemSeverity::Warning);
            let keep = match query.filter {
                ImportRowFilter::All => true,
                ImportRowFilter::Problems => has_error || has_warning,
                ImportRowFilter::Errors => has_error,
                ImportRowFilter::Warnings => has_warning && !has_error,
            };
            if !keep {
                continue;
            }
            if total as usize >= query.offset as usize && rows.len() < limit {
                rows.push(row_dto(c, i));
            }
            total += 1;
        }
        Ok(Page { rows, total })
    }

    /// Replaces a row with the clerk's corrected values: the row is read again by the sheet
    /// reader at its own place in the sheet, then every row is checked against the database again
    /// (so "same as row N" and the unknown list stay right).
    pub fn import_fix_row(&self, input: &ImportFixInput) -> Result<ImportFixResult> {
        let slot = self.import_slot(input.session_id)?;
        arm(&slot);
        let defaults = self.product_defaults()?;
        let mut s = lock(&slot);
        let c = checked_mut(&mut s)?;
        let Some(mapping) = c.read.mapping.clone() else {
            return Err(ApiError::new(
                ErrorCode::InvalidState,
                "没有找到表头，无法修改数据行",
                "no header, so rows cannot be edited",
            ));
        };
        let i = c
            .read
            .rows
            .binary_search_by_key(&input.row, |r| r.row)
            .map_err(|_| {
                ApiError::new(
                    ErrorCode::NotFound,
                    format!("第 {} 行不是这张表的数据行", input.row),
                    format!("row {} is not a data row of this sheet", input.row),
                )
            })?;
        let fixed = values::reread_row(
            c.kind,
            &c.read.sheet,
            &mapping,
            input.row,
            &input.values,
            defaults.today,
        )?;
        c.read.rows[i] = fixed;
        if let Some(state) = c.rows.get_mut(i) {
            state.edited = true;
        }
        self.check(c, defaults, &slot, &|_| {})?;
        let row = row_dto(c, i);
        Ok(ImportFixResult {
            row,
            report: self.report(&s)?,
        })
    }

    /// Writes a copy of the sheet with every problem cell marked and a 问题说明 column (plus a
    /// 问题列表 sheet), for fixing in Excel and importing again.
    pub fn import_export_problems(
        &self,
        session_id: u32,
        dest: &Path,
        progress: &dyn Fn(ImportProgress),
    ) -> Result<String> {
        let slot = self.import_slot(session_id)?;
        arm(&slot);
        let mut s = lock(&slot);
        progress(ImportProgress {
            stage: ImportStage::Export,
            done: 0,
            total: 0,
        });
        self.refresh(&mut s, &slot)?;
        let c = checked_mut(&mut s)?;
        let mut read = c.read.clone();
        for (row, state) in read.rows.iter_mut().zip(&c.rows) {
            for p in &state.db {
                let p = p.render(row.row, c.read.mapping.as_ref());
                row.problems.push(sheet_problem(&read.sheet, &p));
            }
        }
        sheets::write::problem_report_to_path(&mut s.workbook, &read, dest).map_err(write_error)?;
        progress(ImportProgress {
            stage: ImportStage::Export,
            done: 1,
            total: 1,
        });
        Ok(dest.display().to_string())
    }

    /// Commits the checked rows in one transaction: everything (`All`, refused if any row has an
    /// error) or only the rows without errors (`ValidOnly`). Rows whose record exists are skipped;
    /// unknown parties, products and (for items) batches are created when `create_missing`. The
    /// run is recorded with the file's SHA-256 and the records it created, and can be undone.
    pub fn import_commit(
        &self,
        input: &ImportCommitInput,
        progress: &dyn Fn(ImportProgress),
    ) -> Result<ImportCommitResult> {
        let result = self.commit_session(input, progress);
        match &result {
            Ok(r) => tracing::info!(
                imported = r.rows_imported,
                existing = r.rows_existing,
                skipped = r.rows_skipped,
                "import committed"
            ),
            Err(e) => tracing::warn!(code = ?e.code, "import not committed"),
        }
        result
    }

    fn commit_session(
        &self,
        input: &ImportCommitInput,
        progress: &dyn Fn(ImportProgress),
    ) -> Result<ImportCommitResult> {
        let slot = self.import_slot(input.session_id)?;
        arm(&slot);
        let defaults = self.product_defaults()?;
        let mut s = lock(&slot);
        self.refresh(&mut s, &slot)?;
        if s.checked
            .as_ref()
            .is_some_and(|c| c.create_missing != input.create_missing)
        {
            let c = checked_mut(&mut s)?;
            c.create_missing = input.create_missing;
            self.check(c, defaults.clone(), &slot, progress)?;
        }
        let report = self.report(&s)?;
        if report.rows_total == 0 || !s.checked.as_ref().is_some_and(|c| c.read.importable()) {
            return Err(ApiError::new(
                ErrorCode::InvalidState,
                "这张表没有可以导入的数据行，请先处理表头和缺少的列",
                "the sheet has no rows that can be imported; fix the header and missing columns first",
            ));
        }
        if input.mode == ImportMode::All && report.rows_invalid > 0 {
            return Err(ApiError::new(
                ErrorCode::InvalidState,
                format!(
                    "还有 {} 行有错误，按“全部导入”不能提交。请先修正，或选择“只导入没有错误的行”",
                    report.rows_invalid
                ),
                format!(
                    "{} rows still have errors; fix them or import only the valid rows",
                    report.rows_invalid
                ),
            ));
        }
        let actor = self.config.actor.clone();
        let started = Instant::now();
        let session = &mut *s;
        let c = session.checked.as_ref().ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidState,
                "请先读取工作表",
                "read a sheet first",
            )
        })?;
        let total = c.read.rows.len();
        let mut db = self.db();
        store::imports::temp_in_memory(db.conn(), true)?;
        let outcome = db.transact(|tx| -> Result<(Option<i64>, u32, u32, u32)> {
            store::imports::set_bulk(tx, true)?;
            // The plan of the check holds when nothing it read has changed since; otherwise every
            // row is planned again against what this transaction sees.
            let replanned = match &c.stamp {
                Some(stamp) if stamp.holds(tx)? => None,
                _ => Some(self.replan(tx, c, input.mode, defaults.clone(), &slot)?),
            };
            let (plan, statuses): (&plan::Plan, Vec<ImportRowStatus>) = match &replanned {
                None => (&c.plan, c.rows.iter().map(|r| r.status).collect()),
                Some((plan, statuses)) => (plan, statuses.clone()),
            };
            let (mut imported, mut existing, mut skipped) = (0u32, 0u32, 0u32);
            for status in &statuses {
                match status {
                    ImportRowStatus::New => imported += 1,
                    ImportRowStatus::Exists => existing += 1,
                    ImportRowStatus::Invalid => skipped += 1,
                }
            }
            let mut next_report = 0;
            let mut tick = |i: usize| -> Result<()> {
                if i >= next_report {
                    next_report = i + PROGRESS_EVERY;
                    cancelled(&slot)?;
                    progress(ImportProgress {
                        stage: ImportStage::Commit,
                        done: i as u32,
                        total: total as u32,
                    });
                }
                Ok(())
            };
            let created = plan.execute(
                tx,
                &c.read.rows,
                &|i| statuses[i] == ImportRowStatus::New,
                &mut tick,
            )?;
            cancelled(&slot)?;
            if imported == 0 && created.is_empty() {
                store::imports::set_bulk(tx, false)?;
                return Ok((None, imported, existing, skipped));
            }
            let created_json = serde_json::to_string(
                &created
                    .iter()
                    .map(|(t, ids)| (*t, ids.len()))
                    .collect::<BTreeMap<_, _>>(),
            )
            .unwrap_or_else(|_| "{}".into());
            let run_id = store::imports::insert_run(
                tx,
                &store::imports::NewRun {
                    kind: c.import_kind.as_str().to_string(),
                    file_name: session.file_name.clone(),
                    file_sha256: session.sha256.clone(),
                    file_bytes: session.bytes,
                    sheet: c.read.sheet.clone(),
                    header_row: c.read.header_row,
                    mode: mode_str(input.mode).to_string(),
                    rows_total: total as u32,
                    rows_imported: imported,
                    rows_existing: existing,
                    rows_skipped: skipped,
                    created: created_json,
                    actor: actor.clone(),
                    duration_ms: started.elapsed().as_secs_f64() * 1000.0,
                },
            )?;
            // Linked while the bulk flag is still on: the link rows need no audit entries of
            // their own; the run's entry and the summaries below say it all.
            for (table, ids) in &created {
                store::imports::link(tx, run_id, table, ids)?;
            }
            store::imports::set_bulk(tx, false)?;
            let note = format!(
                "import run #{run_id}: {} / {}",
                session.file_name, c.read.sheet
            );
            for (table, ids) in &created {
                store::imports::audit_summary(tx, table, ids.len() as i64, &note)?;
            }
            if let Some(m) = &c.read.mapping
                && !m.signature.is_empty()
            {
                store::imports::remember_mapping(
                    tx,
                    c.import_kind.as_str(),
                    &m.signature,
                    &mapping_json(m),
                )?;
            }
            Ok((Some(run_id), imported, existing, skipped))
        });
        store::imports::temp_in_memory(db.conn(), false)?;
        let (run_id, imported, existing, skipped) = outcome?;
        progress(ImportProgress {
            stage: ImportStage::Commit,
            done: total as u32,
            total: total as u32,
        });
        let run = match run_id {
            Some(id) => store::imports::get_run(db.conn(), id)?
                .map(|r| run_dto(db.conn(), r))
                .transpose()?,
            None => None,
        };
        drop(db);
        // The rows are now on record: they are checked again (and shown as existing) when they
        // are next looked at; the plan is spent.
        if let Some(c) = session.checked.as_mut() {
            c.plan = plan::Plan::default();
            c.stamp = None;
            c.stale = true;
        }
        Ok(ImportCommitResult {
            run,
            rows_imported: imported,
            rows_existing: existing,
            rows_skipped: skipped,
        })
    }

    /// Plans every row again inside the commit's transaction, because the database changed since
    /// the check. Rows with errors at the check stay out. With `All`, a row the change made
    /// invalid refuses the whole commit.
    fn replan(
        &self,
        tx: &store::Connection,
        c: &Checked,
        mode: ImportMode,
        defaults: plan::Defaults,
        slot: &Slot,
    ) -> Result<(plan::Plan, Vec<ImportRowStatus>)> {
        let mut planner = plan::Planner::new(tx, c.create_missing, defaults)?;
        let mut statuses = Vec::with_capacity(c.read.rows.len());
        for (i, (row, state)) in c.read.rows.iter().zip(&c.rows).enumerate() {
            if i.is_multiple_of(PROGRESS_EVERY) {
                cancelled(slot)?;
            }
            let (problems, status) = planner.row(i, &c.read.rows)?;
            let status = if state.status == ImportRowStatus::Invalid {
                ImportRowStatus::Invalid
            } else {
                status
            };
            if status == ImportRowStatus::Invalid
                && state.status != ImportRowStatus::Invalid
                && mode == ImportMode::All
            {
                let first = problems
                    .iter()
                    .find(|p| p.is_error())
                    .map(|p| p.render(row.row, c.read.mapping.as_ref()));
                return Err(ApiError::new(
                    ErrorCode::InvalidState,
                    format!(
                        "检查之后数据库有了变化：{}。没有写入任何数据，请重新检查后再导入",
                        first.as_ref().map_or("", |p| p.message_zh.as_str())
                    ),
                    format!(
                        "the database changed since the check: {}; nothing was written, check again",
                        first.as_ref().map_or("", |p| p.message_en.as_str())
                    ),
                ));
            }
            statuses.push(status);
        }
        Ok((planner.finish().0, statuses))
    }

    /// Committed imports, newest first.
    pub fn import_runs(&self, limit: u32) -> Result<Vec<ImportRun>> {
        let db = self.db();
        store::imports::list_runs(db.conn(), limit.clamp(1, 1000))?
            .into_iter()
            .map(|r| run_dto(db.conn(), r))
            .collect()
    }

    /// Undoes a committed import as a unit: every record it created is deleted (each deletion in
    /// the audit trail), unless one of them has been submitted or is used by a later record.
    pub fn import_undo(
        &self,
        run_id: i64,
        progress: &dyn Fn(ImportProgress),
    ) -> Result<ImportUndoResult> {
        progress(ImportProgress {
            stage: ImportStage::Undo,
            done: 0,
            total: 0,
        });
        let actor = self.config.actor.clone();
        let mut db = self.db();
        let counts = db.transact(|tx| -> Result<store::imports::UndoCounts> {
            use store::imports::UndoRefusal as R;
            match store::imports::undo_run(tx, run_id, &actor)? {
                Ok(c) => Ok(c),
                Err(R::NotFound) => Err(ApiError::new(
                    ErrorCode::NotFound,
                    format!("没有编号为 {run_id} 的导入记录"),
                    format!("no import run {run_id}"),
                )),
                Err(R::AlreadyUndone { at }) => Err(ApiError::new(
                    ErrorCode::InvalidState,
                    format!("第 {run_id} 次导入已在 {at} 撤销过"),
                    format!("import run {run_id} was already undone at {at}"),
                )),
                Err(R::Submitted { table, count }) => Err(ApiError::new(
                    ErrorCode::InvalidState,
                    format!("第 {run_id} 次导入的 {count} 条{}已经报送到平台，不能撤销。请对需要修改的记录提交更正", table_zh(&table)),
                    format!("{count} {table} records of import run {run_id} have been submitted; it cannot be undone"),
                )),
                Err(R::InUse { table, detail }) => Err(ApiError::new(
                    ErrorCode::InvalidState,
                    format!("第 {run_id} 次导入的{}“{detail}”已被后来录入的记录使用（如出库、单品或追溯码），不能整体撤销。没有删除任何数据", table_zh(&table)),
                    format!("{table} {detail:?} of import run {run_id} is used by later records; nothing was deleted"),
                )),
            }
        })?;
        let run = store::imports::get_run(db.conn(), run_id)?
            .map(|r| run_dto(db.conn(), r))
            .transpose()?
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "导入记录不存在", "run not found"))?;
        progress(ImportProgress {
            stage: ImportStage::Undo,
            done: 1,
            total: 1,
        });
        Ok(ImportUndoResult {
            run,
            deleted: table_counts(counts.deleted),
            kept: table_counts(counts.kept),
        })
    }

    /// Writes the import template of `kind` (headers with notes, dropdowns, an example row and a
    /// 填表说明 sheet) to `dest`.
    pub fn import_template(kind: ImportKind, dest: &Path) -> Result<ImportTemplate> {
        sheets::write::template_to_path(kind.record_kind(), dest).map_err(write_error)?;
        Ok(ImportTemplate {
            kind,
            path: dest.display().to_string(),
        })
    }

    /// The template's suggested file name, e.g. `生产批次导入模板.xlsx`.
    pub fn import_template_name(kind: ImportKind) -> String {
        sheets::write::template_file_name(kind.record_kind())
    }

    /// Everything `tracedesk import FILE` does: open, read the sheet (remembered mapping applied),
    /// check, and unless `dry_run` or blocked by errors, commit.
    pub fn import_file(
        &self,
        path: &Path,
        options: &ImportFileOptions,
        progress: &dyn Fn(ImportProgress),
    ) -> Result<ImportFileOutcome> {
        self.import_file_mapped(path, options, &[], progress)
    }

    /// [`App::import_file`] with the clerk's column choices by header text (as the sheet shows
    /// it, or equal to it after normalisation): header → field key (or template header), `None`
    /// for "do not import". They apply over the detected or remembered mapping, as the column
    /// choices of the window do, and are remembered on commit like them.
    pub fn import_file_mapped(
        &self,
        path: &Path,
        options: &ImportFileOptions,
        columns: &[(String, Option<String>)],
        progress: &dyn Fn(ImportProgress),
    ) -> Result<ImportFileOutcome> {
        let file = self.import_open(path)?;
        let result = self.import_file_session(&file, options, columns, progress);
        self.import_close(file.session_id)?;
        result
    }

    fn import_file_session(
        &self,
        file: &ImportFileInfo,
        options: &ImportFileOptions,
        columns: &[(String, Option<String>)],
        progress: &dyn Fn(ImportProgress),
    ) -> Result<ImportFileOutcome> {
        let sheet = match &options.sheet {
            Some(name) => name.clone(),
            None => file
                .sheets
                .iter()
                .find(|s| s.visible)
                .or(file.sheets.first())
                .map(|s| s.name.clone())
                .unwrap_or_default(),
        };
        let mut input = ImportReadInput {
            session_id: file.session_id,
            sheet,
            kind: options.kind,
            header_row: options.header_row,
            mapping: Vec::new(),
            create_missing: options.create_missing,
        };
        if !columns.is_empty() {
            input.mapping = self.column_choices(&input, columns)?;
        }
        let report = self.import_read(&input, progress)?;
        let problems = self.all_problems(file.session_id)?;
        // Errors block: any, all-or-nothing; only when no row is left to import, valid-only.
        let sheet_error = report
            .sheet_problems
            .iter()
            .any(|p| p.severity == ProblemSeverity::Error);
        let blocked = sheet_error
            || match options.mode {
                ImportMode::All => report.rows_invalid > 0,
                ImportMode::ValidOnly => report.rows_invalid > 0 && report.rows_valid == 0,
            };
        if blocked {
            return Ok(ImportFileOutcome {
                report,
                problems,
                rows_imported: 0,
                blocked: true,
                run: None,
            });
        }
        if options.dry_run {
            return Ok(ImportFileOutcome {
                rows_imported: report.rows_new,
                report,
                problems,
                blocked: false,
                run: None,
            });
        }
        let result = self.import_commit(
            &ImportCommitInput {
                session_id: file.session_id,
                mode: options.mode,
                create_missing: options.create_missing,
            },
            progress,
        )?;
        Ok(ImportFileOutcome {
            report,
            problems,
            rows_imported: result.rows_imported,
            blocked: false,
            run: result.run,
        })
    }

    /// Column choices by header text turned into the column letters the read takes. Refuses a
    /// header the sheet does not have (listing those it has) and a field the kind does not have
    /// (listing its fields).
    fn column_choices(
        &self,
        input: &ImportReadInput,
        columns: &[(String, Option<String>)],
    ) -> Result<Vec<ImportColumnChoice>> {
        let kind = input.kind.record_kind();
        let slot = self.import_slot(input.session_id)?;
        let mapping = {
            let mut s = lock(&slot);
            // `None` from resolve_mapping means "as detected": detect it here to see the headers.
            match self.resolve_mapping(&mut s.workbook, input)?.0 {
                Some(m) => Some(m),
                None => s
                    .workbook
                    .detect_mapping(&input.sheet, kind)
                    .map_err(read_error)?,
            }
        };
        let Some(mapping) = mapping else {
            let mut e = ApiError::new(
                ErrorCode::InvalidInput,
                format!(
                    "工作表“{}”的前几行里没有找到表头，无法按列名指定列对应。请用 --header-row 指定表头所在的行",
                    input.sheet
                ),
                format!(
                    "no header row was found in sheet {:?}, so columns cannot be chosen by header; give the header's row with --header-row",
                    input.sheet
                ),
            );
            e.field = Some("mapping".into());
            return Err(e);
        };
        let mut out = Vec::with_capacity(columns.len());
        for (header, field) in columns {
            let wanted = header.trim();
            let norm = sheets::header::normalise_header(wanted);
            let column = mapping
                .columns
                .iter()
                .find(|c| c.header_text.trim() == wanted)
                .or_else(|| {
                    mapping.columns.iter().find(|c| {
                        !norm.is_empty() && sheets::header::normalise_header(&c.header_text) == norm
                    })
                })
                .ok_or_else(|| {
                    let headers: Vec<String> = mapping
                        .columns
                        .iter()
                        .filter(|c| !c.header_text.is_empty())
                        .map(|c| format!("{} 列“{}”", c.column_letter, c.header_text))
                        .collect();
                    let mut e = ApiError::new(
                        ErrorCode::InvalidInput,
                        format!(
                            "第 {} 行的表头中没有“{wanted}”这一列。表头有：{}",
                            mapping.header_row,
                            headers.join("、")
                        ),
                        format!(
                            "the header in row {} has no column {wanted:?}; its columns are: {}",
                            mapping.header_row,
                            headers.join(", ")
                        ),
                    );
                    e.field = Some("mapping".into());
                    e
                })?;
            let field = match field.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
                Some(f) => Some(field_key(kind, f)?.as_str().to_string()),
                None => None,
            };
            out.push(ImportColumnChoice {
                column: column.column_letter.clone(),
                field,
            });
        }
        Ok(out)
    }

    /// Every problem of the checked sheet: sheet-wide first, then by row.
    fn all_problems(&self, session_id: u32) -> Result<Vec<ImportProblem>> {
        let slot = self.import_slot(session_id)?;
        let mut s = lock(&slot);
        self.refresh(&mut s, &slot)?;
        let c = checked_mut(&mut s)?;
        let mut out: Vec<ImportProblem> = c.read.problems.iter().map(problem).collect();
        let mapping = c.read.mapping.as_ref();
        for (row, state) in c.read.rows.iter().zip(&c.rows) {
            out.extend(row.problems.iter().map(problem));
            out.extend(state.db.iter().map(|p| p.render(row.row, mapping)));
        }
        Ok(out)
    }
}

fn table_zh(table: &str) -> &'static str {
    match table {
        "party" => "往来单位",
        "product" => "产品",
        "receipt" => "进货记录",
        "batch" => "生产批次",
        "item" => "单品",
        _ => "出库单",
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn row_dto(c: &Checked, i: usize) -> ImportRow {
    let row = &c.read.rows[i];
    let state = &c.rows[i];
    let mut problems: Vec<ImportProblem> = row.problems.iter().map(problem).collect();
    problems.extend(
        state
            .db
            .iter()
            .map(|p| p.render(row.row, c.read.mapping.as_ref())),
    );
    ImportRow {
        row: row.row,
        status: state.status,
        values: values::row_values(row, c.read.mapping.as_ref()),
        problems,
        edited: state.edited,
    }
}

/// A database check as a problem of the sheet reader's kind, for the problem report.
fn sheet_problem(sheet: &str, p: &ImportProblem) -> sheets::Problem {
    sheets::Problem {
        severity: if p.severity == ProblemSeverity::Error {
            sheets::Severity::Error
        } else {
            sheets::Severity::Warning
        },
        sheet: sheet.to_string(),
        row: p.row,
        column: p.column.clone(),
        header: p.header.clone(),
        field: None,
        code: sheets::ProblemCode::Record,
        value: p.value.clone(),
        message: codes::Message::new(p.message_zh.clone(), p.message_en.clone()),
    }
}
