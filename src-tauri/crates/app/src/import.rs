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

use crate::messages::Msg;
mod commit;
mod convert;
mod file;
mod plan;
mod review;
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

use crate::{
    ApiError, App, CodeScheme, ErrorCode, Granularity, ImportColumn, ImportColumnChoice,
    ImportCommitInput, ImportCommitResult, ImportConfidence, ImportFieldInfo, ImportFileInfo,
    ImportFixInput, ImportFixResult, ImportKind, ImportMode, ImportPreview, ImportPreviewInput,
    ImportPreviewRow, ImportProblem, ImportProgress, ImportReadInput, ImportReport, ImportRow,
    ImportRowFilter, ImportRowStatus, ImportRowsQuery, ImportRun, ImportRunStatus, ImportSheetInfo,
    ImportStage, ImportTableCount, ImportTemplate, ImportUndoResult, ImportUnknown, Page,
    ProblemSeverity, Result,
};
pub(crate) use convert::*;

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
        crate::sync::lock(&self.jobs.imports).len()
    }

    fn import_slot(&self, id: u32) -> Result<Arc<Slot>> {
        crate::sync::lock(&self.jobs.imports)
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, s)| Arc::clone(s))
            .ok_or_else(|| Msg::ImportSessionEnded.err())
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
        return Err(Msg::ImportCancelled.err());
    }
    Ok(())
}

fn checked_mut(session: &mut Session) -> Result<&mut Checked> {
    session
        .checked
        .as_mut()
        .ok_or_else(|| Msg::ImportSheetNotChosen.err())
}

// ---------------------------------------------------------------------------------------------
// Conversions (`convert.rs`) and the date helpers the planner shares.

pub(crate) use crate::entries::{iso, today};

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
            ccc: self.catalogues().ccc(),
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
            let mut all = crate::sync::lock(&self.jobs.imports);
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
        crate::sync::lock(&self.jobs.imports).retain(|(id, _)| *id != session_id);
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
}
