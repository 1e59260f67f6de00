//! 赋码: the trace codes of products, batches and items, in the scheme and granularity each product
//! uses, and the serial ledger that keeps 一物一码 serials unique for ever.
//!
//! | scheme | 一品一码 | 一批一码 | 一物一码 |
//! |---|---|---|---|
//! | GS1 | `(01)` | `(01)(10)` [+`(11)`/`(17)`] | `(01)(21)` [+`(10)`, `(11)`, `(17)`] |
//! | Ecode, 数字身份码 | imported | imported | imported |
//!
//! GS1 codes are written as an element string or a Digital Link URI on the product's stem
//! ([`CodeForm`], `product_coding`). Ecode and 数字身份码 are issued by their platforms, so their
//! codes are imported from the platform's list ([`App::import_issued_codes`]) and bound to the
//! product, a batch or its items.
//!
//! Design of 一物一码 at scale: the ledger (`store::ledger`) keeps *ranges*. Generating a million
//! item codes reserves one range of sequence numbers in one durable transaction, and only then
//! writes the list, rendering each serial from the range; nothing per code goes into `item`,
//! `trace_code` or the audit log. Random serials are a keyed permutation of the sequence number
//! (`codes::serial::keyed`, under the series' key in `serial_series_key`), so a random range is
//! stored exactly like a sequential one; random series created before that keep their drawn
//! serials one compact row each in `random_serial`, and go on that way. An `item` and a
//! `trace_code` row are created for a code when somebody acts on it (void, reprint), which is
//! also when the audit trail starts to matter for it. A crash after the reservation wastes the
//! range; it can never hand out a serial twice, because the next generation starts after it.

use crate::messages::Msg;
mod coder;
mod events;
mod export;
mod generate;
mod import;
mod plan;
mod serials;
mod settings;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use codes::gs1::{ComposedCode, TraceCodeSpec};
use codes::problem::Fault;
use codes::{Gtin, Problem, YearMonthDay};
use store::ledger::{self, AllocationRow, ProductCodingRow};
use store::products::ProductRow;

pub(crate) use coder::*;
use codes::serial::KeyedSerials;
use export::Sink;
pub(crate) use export::format_of;
pub(crate) use export::read_code_list;
use generate::{Stop, Writer};
pub use plan::batch_of_issued_serial;
pub(crate) use plan::*;
use serials::{RandomSerials, SeqSeries, Shape};
pub use settings::check_scheme_change;

use crate::entries::{parse_date, to_ymd, today};
use crate::products::not_found;
use crate::sync::lock;
use crate::{
    Allocation, AllocationState, ApiError, App, CodeCheck, CodeCheckProblem, CodeForm,
    CodeGenerateInput, CodeGenerateProgress, CodeGenerateSummary, CodeScheme, ExportFormat,
    GeneratePhase, Granularity, ProblemSeverity, Result, SerialMode,
};

/// Most codes one generation writes. A bigger order is split into several runs (and files).
pub const MAX_GENERATE: u64 = 10_000_000;
/// Progress is reported (and a cancel noticed) every this many codes.
const PROGRESS_EVERY: u64 = 8_192;
/// A marker serial used to cut a composed code into the text before and after the serial.
const MARKER: &str = "QZSERIALMARKQZ";

// ---------------------------------------------------------------------------------------------
// Vocabulary

impl CodeForm {
    pub fn as_str(self) -> &'static str {
        match self {
            CodeForm::ElementString => "element-string",
            CodeForm::DigitalLink => "digital-link",
        }
    }

    pub fn from_db(s: &str) -> CodeForm {
        match s {
            "digital-link" => CodeForm::DigitalLink,
            _ => CodeForm::ElementString,
        }
    }
}

impl SerialMode {
    pub fn as_str(self) -> &'static str {
        match self {
            SerialMode::Sequential => "sequential",
            SerialMode::Random => "random",
        }
    }

    pub fn from_db(s: &str) -> SerialMode {
        match s {
            "random" => SerialMode::Random,
            _ => SerialMode::Sequential,
        }
    }
}

/// The first error of `problems` (or the first problem) as an [`ApiError`] on `field`.
fn problems_error(field: &str, problems: &[Problem]) -> ApiError {
    match problems.iter().find(|p| p.is_error()).or(problems.first()) {
        Some(p) => ApiError::invalid(field, &p.message),
        None => Msg::CodeInvalid {
            field: field.to_string(),
        }
        .err(),
    }
}

/// A new series key: 32 bytes from the operating system's generator.
fn new_key() -> Result<[u8; 32]> {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| {
        Msg::NoRandomBytes {
            error: e.to_string(),
        }
        .err()
    })?;
    Ok(key)
}

// ---------------------------------------------------------------------------------------------
// 码检查: the verdict on any code

/// Checks a typed or scanned code of any scheme (`codes::check`): what it is, what it says, and
/// everything wrong with it, each problem with its AI and position.
pub fn check_code(text: &str) -> CodeCheck {
    code_check(codes::check(text, to_ymd(today())))
}

/// [`check_code`] with the catalogues of a data folder (a CCC certificate's product code is
/// looked up in the CCC catalogue in use), for callers without an open [`App`].
pub fn check_code_in(catalogues: &crate::catalogues::Catalogues, text: &str) -> CodeCheck {
    code_check(codes::check_with(text, to_ymd(today()), &catalogues.ccc()))
}

impl App {
    /// Checks a typed or scanned code against the catalogues in use.
    pub fn check_code(&self, text: &str) -> CodeCheck {
        check_code_in(self.catalogues(), text)
    }
}

pub(crate) fn code_check(report: codes::CodeReport) -> CodeCheck {
    CodeCheck {
        valid: report.valid,
        scheme: report.scheme.as_str().to_owned(),
        fields: report.fields,
        problems: report
            .problems
            .into_iter()
            .map(|p| CodeCheckProblem {
                severity: if p.is_error() {
                    ProblemSeverity::Error
                } else {
                    ProblemSeverity::Warning
                },
                ai: p.ai,
                position: p.position,
                code: p.code,
                message_zh: p.message.zh,
                message_en: p.message.en,
            })
            .collect(),
        alternative: report.alternative.map(|k| k.as_str().to_owned()),
        suggestion: report.suggestion,
    }
}

// ---------------------------------------------------------------------------------------------
// Cancelling a running generation

impl App {
    /// Asks this `App`'s generation started with `job_id` to stop; false when no such run is
    /// going.
    pub fn cancel_generation(&self, job_id: &str) -> bool {
        match lock(&self.jobs.generations).get(job_id) {
            Some(flag) => {
                flag.store(true, Ordering::SeqCst);
                true
            }
            None => false,
        }
    }
}

/// A registered run: removed from its `App`'s generations when dropped.
struct Job<'a> {
    table: &'a Mutex<HashMap<String, Arc<AtomicBool>>>,
    id: Option<String>,
}

impl<'a> Job<'a> {
    fn register(app: &'a App, id: Option<&str>) -> (Job<'a>, Arc<AtomicBool>) {
        let table = &app.jobs.generations;
        let flag = Arc::new(AtomicBool::new(false));
        if let Some(id) = id {
            lock(table).insert(id.to_owned(), Arc::clone(&flag));
        }
        let job = Job {
            table,
            id: id.map(str::to_owned),
        };
        (job, flag)
    }
}

impl Drop for Job<'_> {
    fn drop(&mut self) {
        if let Some(id) = &self.id {
            lock(self.table).remove(id);
        }
    }
}

impl App {
    /// Writes the codes of an earlier ledger range again (e.g. the list was lost). The serials
    /// are the same ones: nothing new is reserved.
    pub fn export_allocation(
        &self,
        allocation_id: i64,
        path: &str,
        format: Option<ExportFormat>,
    ) -> Result<CodeGenerateSummary> {
        let started = Instant::now();
        let allocation = ledger::allocation(self.db().conn(), allocation_id)?
            .ok_or_else(|| not_found("赋码记录", "allocation", allocation_id))?;
        let coder = Coder::load(self.db().conn(), allocation.product_id, allocation.batch_id)?;
        let today = allocation_day(&allocation);
        let path = match path.trim() {
            "" => self.new_export_file(&coder.file_stem("追溯码"), "csv")?,
            given => PathBuf::from(given),
        };
        let path = path.as_path();
        let format = format_of(path, format);
        let never = AtomicBool::new(false);
        let mut ignore = |_: CodeGenerateProgress| {};
        let mut writer = Writer {
            sink: Some(Sink::create(path, format)?),
            total: allocation.count as u64,
            done: 0,
            first: None,
            last: String::new(),
            progress: &mut ignore,
            cancel: &never,
        };
        let outcome = self.write_allocation(&coder, &allocation, today, &mut writer);
        let sink = writer.sink.take().expect("sink open");
        let (first_serial, last_serial) = match outcome {
            Ok(s) => s,
            Err(Stop::Api(e)) => {
                sink.abandon();
                return Err(e);
            }
            Err(Stop::Cancelled) => unreachable!("nobody can cancel this run"),
        };
        sink.finish()?;
        Ok(CodeGenerateSummary {
            allocation_id: Some(allocation.id),
            product_id: allocation.product_id,
            batch_id: allocation.batch_id,
            lot_no: allocation.lot_no.clone(),
            granularity: coder.granularity,
            code_form: coder.form,
            count: writer.done,
            first_code: writer.first.take(),
            last_code: Some(std::mem::take(&mut writer.last)),
            first_serial,
            last_serial,
            path: path.display().to_string(),
            format,
            elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
            cancelled: false,
        })
    }

    /// The coder of a ledger range and up to `limit` of its codes, in memory (for label sheets,
    /// which hold a few thousand labels at most).
    pub(crate) fn allocation_codes(
        &self,
        allocation_id: i64,
        limit: u64,
    ) -> Result<(Coder, Vec<String>)> {
        let allocation = ledger::allocation(self.db().conn(), allocation_id)?
            .ok_or_else(|| not_found("赋码记录", "allocation", allocation_id))?;
        let coder = Coder::load(self.db().conn(), allocation.product_id, allocation.batch_id)?;
        let today = allocation_day(&allocation);
        let limit = limit.min(allocation.count as u64);
        let mut out = Vec::with_capacity(limit as usize);
        if allocation.kind == "keyed" {
            let keyed = keyed_serials(self.db().conn(), allocation.series_id, &allocation.pattern)?;
            let first = allocation.first_seq as u64;
            for n in first..first + limit {
                let mut serial = String::new();
                keyed.render_into(n, &mut serial);
                out.push(coder.text_of(&coder.compose(Some(&serial), today)?));
            }
        } else if allocation.kind == "random" {
            let db = self.db();
            ledger::each_random_serial::<ApiError>(db.conn(), allocation.id, |serial| {
                if (out.len() as u64) < limit {
                    out.push(coder.text_of(&coder.compose(Some(serial), today)?));
                }
                Ok(())
            })?;
        } else {
            let seq = SeqSeries::from_stored(&allocation.pattern, &allocation.fixed)
                .map_err(|p| problems_error("serialPattern", &p.0))?;
            let first = allocation.first_seq as u64;
            for n in first..first + limit {
                out.push(coder.text_of(&coder.compose(Some(&seq.render(n)), today)?));
            }
        }
        Ok((coder, out))
    }

    /// A new file in the data folder's `exports/` (never an existing one).
    pub(crate) fn new_export_file(&self, stem: &str, ext: &str) -> Result<PathBuf> {
        let first = self.export_path(None, stem, ext)?;
        let mut path = first.clone();
        let mut n = 1;
        while path.exists() {
            n += 1;
            path = first.with_file_name(format!(
                "{}-{n}.{ext}",
                first.file_stem().and_then(|s| s.to_str()).unwrap_or(stem)
            ));
        }
        Ok(path)
    }

    /// The ledger ranges of a product (and batch), newest first.
    pub fn allocations(
        &self,
        product_id: Option<i64>,
        batch_id: Option<i64>,
    ) -> Result<Vec<Allocation>> {
        let db = self.db();
        let conn = db.conn();
        let rows = ledger::allocations(conn, product_id, batch_id, 200)?;
        Ok(rows.into_iter().map(|r| allocation_dto(conn, r)).collect())
    }
}

/// The day a range was reserved on: its codes are composed as they were then.
fn allocation_day(allocation: &AllocationRow) -> YearMonthDay {
    allocation
        .pattern_date
        .as_deref()
        .and_then(parse_date)
        .map(to_ymd)
        .unwrap_or_else(|| to_ymd(today()))
}

fn allocation_dto(conn: &store::Connection, row: AllocationRow) -> Allocation {
    let (first, last) = (row.first_seq as u64, (row.first_seq + row.count - 1) as u64);
    let (first_serial, last_serial) = match row.kind.as_str() {
        "sequential" => match SeqSeries::from_stored(&row.pattern, &row.fixed) {
            Ok(seq) => (Some(seq.render(first)), Some(seq.render(last))),
            Err(_) => (None, None),
        },
        "keyed" => match keyed_serials(conn, row.series_id, &row.pattern) {
            Ok(keyed) => (keyed.serial(first).ok(), keyed.serial(last).ok()),
            Err(_) => (None, None),
        },
        _ => (None, None),
    };
    Allocation {
        id: row.id,
        product_id: row.product_id,
        batch_id: row.batch_id,
        lot_no: row.lot_no,
        count: row.count,
        serial_mode: SerialMode::from_db(if row.kind == "keyed" {
            "random"
        } else {
            &row.kind
        }),
        first_serial,
        last_serial,
        code_form: CodeForm::from_db(&row.code_form),
        state: match row.state.as_str() {
            "exported" => AllocationState::Exported,
            "cancelled" => AllocationState::Cancelled,
            _ => AllocationState::Allocated,
        },
        exported_to: row.exported_to,
        actor: row.actor,
        created_at: row.created_at,
    }
}
