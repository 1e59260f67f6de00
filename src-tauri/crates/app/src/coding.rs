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

mod events;
mod export;
mod import;
mod serials;
mod settings;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use crate::jobs::lock;
use std::time::Instant;

use codes::gs1::{ComposedCode, TraceCodeSpec};
use codes::problem::Fault;
use codes::{Gtin, Problem, YearMonthDay};
use store::ledger::{self, AllocationRow, ProductCodingRow};
use store::products::ProductRow;

use codes::serial::KeyedSerials;
use export::Sink;
pub(crate) use export::format_of;
pub(crate) use export::read_code_list;
use serials::{RandomSerials, SeqSeries, Shape};
pub use settings::check_scheme_change;

use crate::entries::{parse_date, to_ymd, today};
use crate::products::not_found;
use crate::{
    Allocation, AllocationState, ApiError, App, CodeCheck, CodeCheckProblem, CodeForm,
    CodeGenerateInput, CodeGenerateProgress, CodeGenerateSummary, CodeScheme, ErrorCode,
    ExportFormat, GeneratePhase, Granularity, ProblemSeverity, Result, SerialMode,
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

fn invalid_state(zh: impl Into<String>, en: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::InvalidState, zh, en)
}

fn invalid(field: &str, zh: impl Into<String>, en: impl Into<String>) -> ApiError {
    ApiError {
        field: Some(field.to_owned()),
        ..ApiError::new(ErrorCode::InvalidInput, zh, en)
    }
}

/// The first error of `problems` (or the first problem) as an [`ApiError`] on `field`.
fn problems_error(field: &str, problems: &[Problem]) -> ApiError {
    match problems.iter().find(|p| p.is_error()).or(problems.first()) {
        Some(p) => ApiError::invalid(field, &p.message),
        None => invalid(field, "编码有误", "the code is not valid"),
    }
}

fn internal(zh: impl Into<String>, en: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::Internal, zh, en)
}

/// A new series key: 32 bytes from the operating system's generator.
fn new_key() -> Result<[u8; 32]> {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| {
        internal(
            format!("操作系统没有提供随机数：{e}"),
            format!("the operating system gave no random bytes: {e}"),
        )
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

// ---------------------------------------------------------------------------------------------
// What a product's codes look like

/// Everything needed to make the codes of one product (and batch).
pub(crate) struct Coder {
    pub(crate) product: ProductRow,
    pub(crate) settings: ProductCodingRow,
    pub(crate) scheme: CodeScheme,
    pub(crate) granularity: Granularity,
    pub(crate) form: CodeForm,
    pub(crate) batch: Option<store::batches::BatchRow>,
    gtin: Option<Gtin>,
    production: Option<YearMonthDay>,
    expiry: Option<YearMonthDay>,
}

fn product_row(conn: &store::Connection, product_id: i64) -> Result<ProductRow> {
    store::products::get(conn, product_id)?.ok_or_else(|| not_found("产品", "product", product_id))
}

impl Coder {
    /// The coder of `product_id`, for `batch_id` when given. Refuses a batch of another product,
    /// a missing batch where the granularity needs one, and a GS1 product without a GTIN.
    pub(crate) fn load(
        conn: &store::Connection,
        product_id: i64,
        batch_id: Option<i64>,
    ) -> Result<Coder> {
        let product = product_row(conn, product_id)?;
        let settings = ledger::product_coding(conn, product_id)?;
        let scheme = CodeScheme::from_db(&product.fields.scheme);
        let granularity = Granularity::from_db(&product.fields.granularity);
        let batch = match batch_id {
            Some(id) => {
                let batch =
                    store::batches::get(conn, id)?.ok_or_else(|| not_found("批次", "batch", id))?;
                if batch.fields.product_id != product_id {
                    return Err(invalid(
                        "batchId",
                        format!(
                            "批次 {} 属于另一个产品（{}），请选择本产品的批次",
                            batch.fields.lot_no, batch.product_name
                        ),
                        format!(
                            "batch {} belongs to another product ({}); choose a batch of this product",
                            batch.fields.lot_no, batch.product_name
                        ),
                    ));
                }
                Some(batch)
            }
            None => None,
        };
        if batch.is_none() && granularity != Granularity::Product {
            return Err(invalid(
                "batchId",
                format!(
                    "“{}”按{}赋码，请先选择批次",
                    product.fields.name,
                    granularity_zh(granularity)
                ),
                format!(
                    "{:?} is coded per {}: choose a batch first",
                    product.fields.name,
                    granularity.as_str()
                ),
            ));
        }
        let gtin = match (scheme, product.fields.gtin.as_deref()) {
            (CodeScheme::Gs1, Some(g)) => Some(Gtin::parse(g).map_err(|e| {
                invalid_state(
                    format!("产品 GTIN {g} 有误：{}。请在“产品”中改正", e.zh()),
                    format!(
                        "the product's GTIN {g} is wrong: {}; fix it under Products",
                        e
                    ),
                )
            })?),
            (CodeScheme::Gs1, None) => {
                return Err(invalid_state(
                    format!(
                        "“{}”使用 GS1 方案但没有 GTIN：请先在“产品”中填写或生成 GTIN",
                        product.fields.name
                    ),
                    format!(
                        "{:?} uses GS1 but has no GTIN; add or generate one under Products",
                        product.fields.name
                    ),
                ));
            }
            _ => None,
        };
        let produced = batch
            .as_ref()
            .and_then(|b| parse_date(&b.fields.produced_on));
        let production = produced
            .filter(|_| settings.with_production_date && granularity != Granularity::Product)
            .map(to_ymd);
        let expiry = match (produced, settings.shelf_life_days) {
            (Some(d), Some(days)) if granularity != Granularity::Product => d
                .checked_add(time::Duration::days(i64::from(days)))
                .map(to_ymd),
            _ => None,
        };
        Ok(Coder {
            form: CodeForm::from_db(&settings.code_form),
            product,
            settings,
            scheme,
            granularity,
            batch,
            gtin,
            production,
            expiry,
        })
    }

    /// `{what}-{product}-{lot}`, safe in a file name.
    pub(crate) fn file_stem(&self, what: &str) -> String {
        let mut stem = format!("{what}-{}", self.product.fields.name);
        if let Some(lot) = self.lot() {
            stem.push('-');
            stem.push_str(lot);
        }
        stem.chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    }

    pub(crate) fn lot(&self) -> Option<&str> {
        self.batch.as_ref().map(|b| b.fields.lot_no.as_str())
    }

    /// The ledger scope of the product's serials: its GTIN, or the product for other schemes.
    pub(crate) fn scope(&self) -> String {
        match &self.gtin {
            Some(g) => format!("gtin:{}", g.to_gtin14()),
            None => format!("product:{}", self.product.id),
        }
    }

    /// The GS1 code for `serial` (一物一码) or without one (一品/一批一码), every form of it.
    pub(crate) fn compose(
        &self,
        serial: Option<&str>,
        today: YearMonthDay,
    ) -> Result<ComposedCode> {
        let Some(gtin) = &self.gtin else {
            return Err(internal(
                "只有 GS1 产品的码由本软件生成",
                "only GS1 codes are composed here",
            ));
        };
        let item = self.granularity == Granularity::Item;
        let lot = match self.granularity {
            Granularity::Product => None,
            Granularity::Batch => self.lot(),
            Granularity::Item => self.lot().filter(|_| self.settings.item_with_lot),
        };
        let spec = TraceCodeSpec {
            gtin,
            granularity: match self.granularity {
                Granularity::Product => codes::Granularity::Product,
                Granularity::Batch => codes::Granularity::Batch,
                Granularity::Item => codes::Granularity::Item,
            },
            lot,
            production_date: self.production,
            expiry_date: self.expiry,
            serial: serial.filter(|_| item),
        };
        codes::gs1::compose(&spec, Some(&self.settings.dl_stem), today).map_err(|p| {
            let field = if lot.is_some_and(|l| p.iter().any(|x| x.message.en.contains(l))) {
                "lot"
            } else {
                "code"
            };
            problems_error(field, &p.0)
        })
    }

    /// The text of a composed code in the product's form.
    pub(crate) fn text_of(&self, composed: &ComposedCode) -> String {
        match self.form {
            CodeForm::ElementString => composed.bracketed.clone(),
            CodeForm::DigitalLink => composed.digital_link.clone(),
        }
    }

    /// The text before and after the serial of this product's item codes, checked against full
    /// compositions of `samples`; `None` when a code cannot be cut that way (then every code is
    /// composed in full, which is slower but always right).
    fn template(&self, today: YearMonthDay, samples: &[&str]) -> Result<Option<(String, String)>> {
        let marked = self.text_of(&self.compose(Some(MARKER), today)?);
        if marked.matches(MARKER).count() != 1 {
            return Ok(None);
        }
        let (before, after) = marked.split_once(MARKER).expect("the marker occurs once");
        for serial in samples {
            let full = self.text_of(&self.compose(Some(serial), today)?);
            if full != format!("{before}{serial}{after}") {
                return Ok(None);
            }
        }
        Ok(Some((before.to_owned(), after.to_owned())))
    }
}

fn granularity_zh(g: Granularity) -> &'static str {
    match g {
        Granularity::Product => "一品一码",
        Granularity::Batch => "一批一码",
        Granularity::Item => "一物一码",
    }
}

fn scheme_zh(s: CodeScheme) -> &'static str {
    match s {
        CodeScheme::Gs1 => "GS1",
        CodeScheme::Ecode => "Ecode",
        CodeScheme::DigitalId => "数字身份码",
    }
}

// ---------------------------------------------------------------------------------------------
// Serial series of a product

/// The series a product's next serials come from, and whether it may share the scope.
enum Plan {
    Sequential(SeqSeries),
    Random(usize),
}

impl Plan {
    fn of(coder: &Coder, date: YearMonthDay) -> Result<Plan> {
        match SerialMode::from_db(&coder.settings.serial_mode) {
            SerialMode::Sequential => SeqSeries::new(&coder.settings.serial_pattern, Some(date))
                .map(Plan::Sequential)
                .map_err(|p| problems_error("serialPattern", &p.0)),
            SerialMode::Random => Ok(Plan::Random(coder.settings.random_length as usize)),
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Plan::Sequential(_) => "sequential",
            Plan::Random(_) => "random",
        }
    }

    fn pattern(&self) -> String {
        match self {
            Plan::Sequential(s) => s.pattern().to_string(),
            Plan::Random(len) => serials::random_pattern(*len),
        }
    }

    fn fixed(&self) -> String {
        match self {
            Plan::Sequential(s) => s.fixed(),
            Plan::Random(_) => String::new(),
        }
    }

    fn shapes(&self) -> Vec<Shape> {
        match self {
            Plan::Sequential(s) => s.shapes(),
            Plan::Random(len) => serials::random_shapes(*len),
        }
    }
}

/// The shapes of a stored series (`None` if its pattern no longer parses, which only a newer
/// build could cause: then it is treated as overlapping everything).
fn stored_shapes(series: &ledger::SeriesRow) -> Option<Vec<Shape>> {
    match series.kind.as_str() {
        "random" | "keyed" => serials::random_len_of(&series.pattern).map(serials::random_shapes),
        _ => SeqSeries::from_stored(&series.pattern, &series.fixed)
            .ok()
            .map(|s| s.shapes()),
    }
}

/// Refuses a plan whose serials could coincide with those of another series of the scope.
fn check_no_overlap(conn: &store::Connection, scope: &str, plan: &Plan) -> Result<()> {
    let mine = plan.shapes();
    let (kind, pattern, fixed) = (plan.kind(), plan.pattern(), plan.fixed());
    for other in ledger::series_in_scope(conn, scope)? {
        // A keyed series is stored as a random one: the same series as the plan's.
        let stored_kind = if other.kind == "keyed" {
            "random"
        } else {
            other.kind.as_str()
        };
        if stored_kind == kind && other.pattern == pattern && other.fixed == fixed {
            continue;
        }
        let clash = match stored_shapes(&other) {
            Some(theirs) => serials::may_overlap(&mine, &theirs),
            None => true,
        };
        if clash {
            let what = |kind: &str, pattern: &str| match kind {
                "random" | "keyed" => format!(
                    "{} 位随机序列号",
                    serials::random_len_of(pattern).unwrap_or(0)
                ),
                _ => format!("规则“{pattern}”"),
            };
            return Err(invalid_state(
                format!(
                    "序列号{}生成的序列号可能与此 GTIN 已发出的序列号（{}）重复，不能使用。\
                     请换用长度不同或带不同字母前缀的规则，例如“A{{seq:08}}”",
                    what(kind, &pattern),
                    what(&other.kind, &other.pattern)
                ),
                format!(
                    "serials of {} could repeat serials already issued under this GTIN ({}); \
                     use a rule of another length or with another letter prefix, e.g. \"A{{seq:08}}\"",
                    if kind == "random" {
                        format!(
                            "random serials of length {}",
                            pattern.trim_start_matches("random:")
                        )
                    } else {
                        format!("pattern {pattern:?}")
                    },
                    if other.kind != "sequential" {
                        format!(
                            "random serials of length {}",
                            other.pattern.trim_start_matches("random:")
                        )
                    } else {
                        format!("pattern {:?}", other.pattern)
                    }
                ),
            ));
        }
    }
    Ok(())
}

/// Where an issued serial came from.
pub(crate) struct IssuedSerial {
    pub(crate) allocation: AllocationRow,
}

/// The ledger range that issued `serial` in `scope`, if any.
pub(crate) fn find_issued_serial(
    conn: &store::Connection,
    scope: &str,
    serial: &str,
) -> Result<Option<IssuedSerial>> {
    for series in ledger::series_in_scope(conn, scope)? {
        let found = match series.kind.as_str() {
            "random" => ledger::allocation_with_random(conn, series.id, serial)?,
            "keyed" => match keyed_serials(conn, series.id, &series.pattern)?
                .seq_of(serial)
                .and_then(|seq| i64::try_from(seq).ok())
            {
                Some(seq) => ledger::allocation_with_seq(conn, series.id, seq)?,
                None => None,
            },
            _ => match SeqSeries::from_stored(&series.pattern, &series.fixed)
                .ok()
                .and_then(|s| s.seq_of(serial))
                .and_then(|seq| i64::try_from(seq).ok())
            {
                Some(seq) => ledger::allocation_with_seq(conn, series.id, seq)?,
                None => None,
            },
        };
        if let Some(allocation) = found {
            return Ok(Some(IssuedSerial { allocation }));
        }
    }
    Ok(None)
}

/// Refuses a keyed range that would run past the 62^len serials of its series.
fn check_keyed_room(len: usize, next_seq: i64, count: u64) -> Result<()> {
    let capacity = 62u128.checked_pow(len as u32).unwrap_or(u128::MAX);
    if u128::try_from(next_seq).unwrap_or(0) + u128::from(count) > capacity {
        return Err(invalid_state(
            format!("{len} 位随机序列号已用尽，请加大随机序列号长度"),
            format!("random serials of length {len} are used up; make them longer"),
        ));
    }
    Ok(())
}

/// The serials of keyed series `series_id` (pattern `random:<len>`).
pub(crate) fn keyed_serials(
    conn: &store::Connection,
    series_id: i64,
    pattern: &str,
) -> Result<KeyedSerials> {
    let key = ledger::series_key(conn, series_id)?.ok_or_else(|| {
        internal(
            format!("序列号系列 {series_id} 缺少密钥，无法读出其随机序列号；请从备份恢复"),
            format!("serial series {series_id} has lost its key, so its random serials cannot be read; restore a backup"),
        )
    })?;
    let len = serials::random_len_of(pattern).unwrap_or(0);
    KeyedSerials::new(&key, len).map_err(|p| problems_error("randomLength", &p.0))
}

/// Every serial of ledger range `allocation`, in issue order (sequence order; drawn random
/// serials of series made before keyed serials, in serial order): sequential, keyed and drawn
/// random ranges alike. What a submission reports for the range.
// Submission (`submit.rs`) reads the serials of a range through this.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn allocation_serials(
    conn: &store::Connection,
    allocation: &AllocationRow,
) -> Result<Vec<String>> {
    let count = usize::try_from(allocation.count).unwrap_or(0);
    let first = allocation.first_seq as u64;
    match allocation.kind.as_str() {
        "random" => {
            let mut out = Vec::with_capacity(count);
            ledger::each_random_serial::<ApiError>(conn, allocation.id, |s| {
                out.push(s.to_owned());
                Ok(())
            })?;
            Ok(out)
        }
        "keyed" => {
            let keyed = keyed_serials(conn, allocation.series_id, &allocation.pattern)?;
            let mut out = Vec::with_capacity(count);
            for seq in first..first + count as u64 {
                let mut s = String::with_capacity(keyed.len());
                keyed.render_into(seq, &mut s);
                out.push(s);
            }
            Ok(out)
        }
        _ => {
            let seq = SeqSeries::from_stored(&allocation.pattern, &allocation.fixed)
                .map_err(|p| problems_error("serialPattern", &p.0))?;
            Ok((first..first + count as u64)
                .map(|n| seq.render(n))
                .collect())
        }
    }
}

/// The batch that a serial of product `product_id` (GTIN `gtin14`) was issued for, if the ledger
/// issued it. For scans of item codes whose item row does not exist yet.
pub fn batch_of_issued_serial(
    conn: &store::Connection,
    gtin14: &str,
    serial: &str,
) -> Result<Option<i64>> {
    Ok(find_issued_serial(conn, &format!("gtin:{gtin14}"), serial)?
        .and_then(|s| s.allocation.batch_id))
}

// ---------------------------------------------------------------------------------------------
// Generation

/// The first and last serial a run wrote (none for codes without serials).
type FirstLast = (Option<String>, Option<String>);

/// Why a generation stopped early inside a transaction.
enum Stop {
    Api(ApiError),
    Cancelled,
}

impl From<store::Error> for Stop {
    fn from(e: store::Error) -> Self {
        Stop::Api(e.into())
    }
}

impl From<ApiError> for Stop {
    fn from(e: ApiError) -> Self {
        Stop::Api(e)
    }
}

/// Writes the codes of an allocation (or any code source) to a sink, reporting progress and
/// noticing a cancel.
struct Writer<'a> {
    sink: Option<Sink>,
    total: u64,
    done: u64,
    first: Option<String>,
    last: String,
    progress: &'a mut dyn FnMut(CodeGenerateProgress),
    cancel: &'a AtomicBool,
}

impl Writer<'_> {
    fn write(&mut self, code: &str) -> std::result::Result<(), Stop> {
        let sink = self.sink.as_mut().expect("sink open while writing");
        sink.write(code)?;
        if self.first.is_none() {
            self.first = Some(code.to_owned());
        }
        self.done += 1;
        if self.done.is_multiple_of(PROGRESS_EVERY) {
            (self.progress)(CodeGenerateProgress {
                phase: GeneratePhase::Writing,
                done: self.done,
                total: self.total,
            });
            if self.cancel.load(Ordering::SeqCst) {
                return Err(Stop::Cancelled);
            }
        }
        if self.done == self.total {
            self.last.clear();
            self.last.push_str(code);
        }
        Ok(())
    }
}

impl App {
    /// Generates `input.count` codes for a product (and batch) in the product's scheme,
    /// granularity and form, and writes them to `input.path` (CSV or xlsx). 一物一码 GS1 serials
    /// are reserved in the ledger, durably, before the first code is written. `progress` is
    /// called every few thousand codes; [`App::cancel_generation`] with `input.job_id` stops the run
    /// (the partial file is removed; reserved serials stay used).
    pub fn generate_codes(
        &self,
        input: &CodeGenerateInput,
        progress: &mut dyn FnMut(CodeGenerateProgress),
    ) -> Result<CodeGenerateSummary> {
        let (_job, cancel) = Job::register(self, input.job_id.as_deref());
        self.generate_codes_with(input, progress, &cancel)
    }

    /// [`App::generate_codes`] with the cancel flag passed in.
    pub fn generate_codes_with(
        &self,
        input: &CodeGenerateInput,
        progress: &mut dyn FnMut(CodeGenerateProgress),
        cancel: &AtomicBool,
    ) -> Result<CodeGenerateSummary> {
        let started = Instant::now();
        if input.count == 0 || input.count > MAX_GENERATE {
            return Err(invalid(
                "count",
                format!("数量应为 1 到 {MAX_GENERATE}，当前为 {}", input.count),
                format!("the count must be 1 to {MAX_GENERATE}, got {}", input.count),
            ));
        }
        let today = to_ymd(today());
        let coder = Coder::load(self.db().conn(), input.product_id, input.batch_id)?;
        let (path, format) = if input.path.trim().is_empty() {
            let format = input.format.unwrap_or(ExportFormat::Csv);
            let ext = match format {
                ExportFormat::Csv => "csv",
                ExportFormat::Xlsx => "xlsx",
            };
            (
                self.new_export_file(&coder.file_stem("追溯码"), ext)?,
                format,
            )
        } else {
            let path = PathBuf::from(input.path.trim());
            let format = format_of(&path, input.format);
            (path, format)
        };
        // Create the file before reserving anything: a bad path must not waste serials.
        let sink = Sink::create(&path, format)?;
        let mut writer = Writer {
            sink: Some(sink),
            total: input.count,
            done: 0,
            first: None,
            last: String::new(),
            progress,
            cancel,
        };
        let result = self.generate_into(&coder, input.count, today, &mut writer);
        let mut summary = CodeGenerateSummary {
            allocation_id: None,
            product_id: coder.product.id,
            batch_id: coder.batch.as_ref().map(|b| b.id),
            lot_no: coder.lot().map(str::to_owned),
            granularity: coder.granularity,
            code_form: coder.form,
            count: 0,
            first_code: None,
            last_code: None,
            first_serial: None,
            last_serial: None,
            path: path.display().to_string(),
            format,
            elapsed_ms: 0.0,
            cancelled: false,
        };
        let (allocation, outcome) = result;
        summary.allocation_id = allocation.as_ref().map(|a| a.id);
        let sink = writer.sink.take().expect("sink still open");
        match outcome {
            Ok(serials) => {
                sink.finish()?;
                if let Some(a) = &allocation {
                    let shown = path.display().to_string();
                    self.db().write(|tx| {
                        ledger::set_allocation_state(tx, a.id, "exported", Some(&shown))
                    })?;
                }
                (writer.progress)(CodeGenerateProgress {
                    phase: GeneratePhase::Done,
                    done: writer.done,
                    total: writer.total,
                });
                summary.count = writer.done;
                summary.first_code = writer.first.take();
                summary.last_code = Some(std::mem::take(&mut writer.last));
                (summary.first_serial, summary.last_serial) = serials;
            }
            Err(stop) => {
                sink.abandon();
                if let Some(a) = &allocation {
                    // Best effort: the range stays reserved whatever its state says.
                    let _ = self
                        .db()
                        .write(|tx| ledger::set_allocation_state(tx, a.id, "cancelled", None));
                }
                match stop {
                    Stop::Api(e) => return Err(e),
                    Stop::Cancelled => summary.cancelled = true,
                }
            }
        }
        summary.elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        Ok(summary)
    }

    /// Reserves and writes; returns the allocation made (if any) and the outcome with the first
    /// and last serial.
    fn generate_into(
        &self,
        coder: &Coder,
        count: u64,
        today: YearMonthDay,
        writer: &mut Writer<'_>,
    ) -> (Option<AllocationRow>, std::result::Result<FirstLast, Stop>) {
        match (coder.scheme, coder.granularity) {
            (CodeScheme::Gs1, Granularity::Item) => {
                let allocation = match self.reserve(coder, count, today, writer) {
                    Ok(a) => a,
                    Err(stop) => return (None, Err(stop)),
                };
                let outcome = self.write_allocation(coder, &allocation, today, writer);
                (Some(allocation), outcome)
            }
            (CodeScheme::Gs1, _) => (None, self.write_single_code(coder, count, today, writer)),
            _ => (None, self.write_imported(coder, count, writer)),
        }
    }

    /// Reserves `count` serials for the coder's product and batch in one durable transaction.
    fn reserve(
        &self,
        coder: &Coder,
        count: u64,
        today: YearMonthDay,
        writer: &mut Writer<'_>,
    ) -> std::result::Result<AllocationRow, Stop> {
        let plan = Plan::of(coder, today)?;
        let scope = coder.scope();
        let actor = self.config.actor.clone();
        let date = format!(
            "{:04}-{:02}-{:02}",
            today.year(),
            today.month(),
            today.day()
        );
        let count_i64 = i64::try_from(count).unwrap_or(i64::MAX);
        let mut db = self.db();
        db.write_durable(|tx| {
            check_no_overlap(tx, &scope, &plan)?;
            let series = match &plan {
                Plan::Sequential(s) => {
                    let series = ledger::series_for(
                        tx,
                        &scope,
                        "sequential",
                        &plan.pattern(),
                        &plan.fixed(),
                        s.start() as i64,
                    )?;
                    s.check_range(series.next_seq as u64, count).map_err(|p| {
                        let base = problems_error("serialPattern", &p.0);
                        invalid_state(
                            format!(
                                "{}。此规则下已发出 {} 个序列号：请在赋码设置中加大序号位数或换用新规则",
                                base.message_zh,
                                series.next_seq.saturating_sub(s.start() as i64)
                            ),
                            format!(
                                "{}; {} serials were already issued under this pattern: widen the number or use a new pattern",
                                base.message_en,
                                series.next_seq.saturating_sub(s.start() as i64)
                            ),
                        )
                    })?;
                    series
                }
                Plan::Random(len) => {
                    let mut series =
                        ledger::series_for(tx, &scope, "random", &plan.pattern(), "", 0)?;
                    // A new series is keyed; one that drew serials before keyed serials existed
                    // goes on drawing (its serials and computed ones must not mix).
                    if series.kind == "random"
                        && ledger::key_new_series(tx, series.id, &new_key()?)?
                    {
                        series = ledger::series_for(tx, &scope, "random", &plan.pattern(), "", 0)?;
                    }
                    if series.kind == "keyed" {
                        check_keyed_room(*len, series.next_seq, count)?;
                    }
                    series
                }
            };
            let allocation = ledger::allocate(
                tx,
                &ledger::NewAllocation {
                    series_id: series.id,
                    product_id: coder.product.id,
                    batch_id: coder.batch.as_ref().map(|b| b.id),
                    pattern_date: Some(&date),
                    count: count_i64,
                    code_form: coder.form.as_str(),
                    actor: &actor,
                },
            )?;
            if let (Plan::Random(len), "random") = (&plan, allocation.kind.as_str()) {
                let len = *len;
                let mut random = RandomSerials::new(len);
                let mut drawn = 0u64;
                let mut failure = None;
                let inserted =
                    ledger::insert_random_serials(tx, series.id, allocation.id, count, || {
                        drawn += 1;
                        if drawn.is_multiple_of(PROGRESS_EVERY) {
                            (writer.progress)(CodeGenerateProgress {
                                phase: GeneratePhase::Reserving,
                                done: drawn,
                                total: count,
                            });
                            if writer.cancel.load(Ordering::SeqCst) {
                                return None;
                            }
                        }
                        match random.draw() {
                            Ok(s) => Some(s),
                            Err(e) => {
                                failure = Some(e);
                                None
                            }
                        }
                    })?;
                if let Some(e) = failure {
                    return Err(Stop::Api(internal(
                        format!("操作系统没有提供随机数：{e}"),
                        format!("the operating system gave no random bytes: {e}"),
                    )));
                }
                if inserted < count {
                    if writer.cancel.load(Ordering::SeqCst) {
                        // Nothing was issued: the transaction rolls back.
                        return Err(Stop::Cancelled);
                    }
                    return Err(Stop::Api(invalid_state(
                        format!("{len} 位随机序列号几乎已用尽，请加大随机序列号长度"),
                        format!("random serials of length {len} are nearly exhausted; make them longer"),
                    )));
                }
            }
            Ok(allocation)
        })
    }

    /// Writes the codes of ledger range `allocation`.
    fn write_allocation(
        &self,
        coder: &Coder,
        allocation: &AllocationRow,
        today: YearMonthDay,
        writer: &mut Writer<'_>,
    ) -> std::result::Result<FirstLast, Stop> {
        let first = allocation.first_seq as u64;
        let count = allocation.count as u64;
        if allocation.kind == "keyed" {
            let db = self.db();
            let keyed = keyed_serials(db.conn(), allocation.series_id, &allocation.pattern)?;
            drop(db);
            let mut serial = String::new();
            let render = |n: u64, out: &mut String| {
                out.clear();
                keyed.render_into(n, out);
            };
            render(first, &mut serial);
            let first_serial = serial.clone();
            render(first + count - 1, &mut serial);
            let last_serial = serial.clone();
            let template = coder.template(today, &[&first_serial, &last_serial])?;
            let mut code = String::new();
            for n in first..first + count {
                code.clear();
                match &template {
                    Some((before, after)) => {
                        code.push_str(before);
                        keyed.render_into(n, &mut code);
                        code.push_str(after);
                    }
                    None => {
                        render(n, &mut serial);
                        code.push_str(&coder.text_of(&coder.compose(Some(&serial), today)?));
                    }
                }
                writer.write(&code)?;
            }
            return Ok((Some(first_serial), Some(last_serial)));
        }
        if allocation.kind == "random" {
            let db = self.db();
            let conn = db.conn();
            let mut first_serial = None;
            let mut last_serial = None;
            let mut template: Option<Option<(String, String)>> = None;
            let mut code = String::new();
            ledger::each_random_serial(conn, allocation.id, |serial| {
                if template.is_none() {
                    template = Some(coder.template(today, &[serial])?);
                }
                code.clear();
                match template.as_ref().and_then(Option::as_ref) {
                    Some((before, after)) => {
                        code.push_str(before);
                        code.push_str(serial);
                        code.push_str(after);
                    }
                    None => code.push_str(&coder.text_of(&coder.compose(Some(serial), today)?)),
                }
                if first_serial.is_none() {
                    first_serial = Some(serial.to_owned());
                }
                last_serial = Some(serial.to_owned());
                writer.write(&code)
            })?;
            return Ok((first_serial, last_serial));
        }
        let seq = SeqSeries::from_stored(&allocation.pattern, &allocation.fixed)
            .map_err(|p| Stop::Api(problems_error("serialPattern", &p.0)))?;
        let first_serial = seq.render(first);
        let last_serial = seq.render(first + count - 1);
        let template = coder.template(today, &[&first_serial, &last_serial])?;
        let mut code = String::new();
        let mut serial = String::new();
        for n in first..first + count {
            code.clear();
            match &template {
                Some((before, after)) => {
                    code.push_str(before);
                    seq.render_into(n, &mut code);
                    code.push_str(after);
                }
                None => {
                    serial.clear();
                    seq.render_into(n, &mut serial);
                    code.push_str(&coder.text_of(&coder.compose(Some(&serial), today)?));
                }
            }
            writer.write(&code)?;
        }
        Ok((Some(first_serial), Some(last_serial)))
    }

    /// 一品一码 / 一批一码 GS1: one code, recorded as the product's or batch's trace code, written
    /// once per label.
    fn write_single_code(
        &self,
        coder: &Coder,
        count: u64,
        today: YearMonthDay,
        writer: &mut Writer<'_>,
    ) -> std::result::Result<FirstLast, Stop> {
        let composed = coder.compose(None, today)?;
        self.record_trace_code(coder, &composed.bracketed)?;
        let text = coder.text_of(&composed);
        for _ in 0..count {
            writer.write(&text)?;
        }
        Ok((None, None))
    }

    /// Makes sure the product's (or batch's) code is recorded in `trace_code`.
    fn record_trace_code(&self, coder: &Coder, code: &str) -> Result<()> {
        let batch_id = coder.batch.as_ref().map(|b| b.id);
        let mut db = self.db();
        db.transact(|tx| {
            if ledger::trace_code_of(tx, coder.product.id, batch_id, None)?.is_none() {
                if let Some(other) = ledger::trace_code_by_text(tx, code)? {
                    return Err(invalid_state(
                        format!("码 {code} 已属于另一条记录（编号 {}）", other.id),
                        format!("code {code} already belongs to trace code #{}", other.id),
                    ));
                }
                ledger::insert_trace_code(
                    tx,
                    &ledger::NewTraceCode {
                        code,
                        scheme: coder.scheme.as_str(),
                        granularity: coder.granularity.as_str(),
                        product_id: coder.product.id,
                        batch_id,
                        item_id: None,
                        status: "active",
                    },
                )?;
            }
            Ok(())
        })
    }

    /// Ecode / 数字身份码: the imported codes of the product, batch or its items.
    fn write_imported(
        &self,
        coder: &Coder,
        count: u64,
        writer: &mut Writer<'_>,
    ) -> std::result::Result<FirstLast, Stop> {
        let db = self.db();
        let conn = db.conn();
        let batch_id = coder.batch.as_ref().map(|b| b.id);
        let available = ledger::count_trace_codes(conn, coder.product.id, batch_id)? as u64;
        let (zh_scheme, en_scheme) = (scheme_zh(coder.scheme), coder.scheme.as_str());
        if available == 0 {
            return Err(Stop::Api(invalid_state(
                format!(
                    "{zh_scheme} 由其平台发码：此{}还没有导入的码。请先从平台下载码清单，再用“导入码清单”导入",
                    if batch_id.is_some() {
                        "批次"
                    } else {
                        "产品"
                    }
                ),
                format!(
                    "{en_scheme} codes are issued by their platform and none were imported for this {}; download the list from the platform and import it",
                    if batch_id.is_some() {
                        "batch"
                    } else {
                        "product"
                    }
                ),
            )));
        }
        match coder.granularity {
            Granularity::Item => {
                if available < count {
                    return Err(Stop::Api(invalid_state(
                        format!(
                            "只导入了 {available} 个码，要 {count} 个：请先从平台申领并导入更多的码"
                        ),
                        format!(
                            "only {available} codes were imported, {count} were asked for; import more from the platform"
                        ),
                    )));
                }
                ledger::each_trace_code(conn, coder.product.id, batch_id, count, |row| {
                    writer.write(&row.code)
                })?;
            }
            _ => {
                let mut code = None;
                ledger::each_trace_code::<store::Error>(
                    conn,
                    coder.product.id,
                    batch_id,
                    1,
                    |row| {
                        code = Some(row.code.clone());
                        Ok(())
                    },
                )?;
                let code = code.expect("one code is available");
                for _ in 0..count {
                    writer.write(&code)?;
                }
            }
        }
        Ok((None, None))
    }

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
