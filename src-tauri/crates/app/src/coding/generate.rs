//! Generation: reserving serials in the ledger and writing the codes to a file, with progress and
//! cancel.

use super::*;
use crate::messages::Msg;

/// The first and last serial a run wrote (none for codes without serials).
pub(super) type FirstLast = (Option<String>, Option<String>);

/// Why a generation stopped early inside a transaction.
pub(super) enum Stop {
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
pub(super) struct Writer<'a> {
    pub(super) sink: Option<Sink>,
    pub(super) total: u64,
    pub(super) done: u64,
    pub(super) first: Option<String>,
    pub(super) last: String,
    pub(super) progress: &'a mut dyn FnMut(CodeGenerateProgress),
    pub(super) cancel: &'a AtomicBool,
}

impl Writer<'_> {
    pub(super) fn write(&mut self, code: &str) -> std::result::Result<(), Stop> {
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
            return Err(Msg::CountOutOfRange {
                max: MAX_GENERATE as i64,
                count: input.count as i64,
            }
            .err());
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
    pub(super) fn generate_into(
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
    pub(super) fn reserve(
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
                        Msg::SerialPatternExhausted {
                            zh: base.message_zh.to_string(),
                            en: base.message_en.to_string(),
                            issued: series.next_seq.saturating_sub(s.start() as i64),
                        }
                        .err()
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
                    return Err(Stop::Api(
                        Msg::NoRandomBytes {
                            error: e.to_string(),
                        }
                        .err(),
                    ));
                }
                if inserted < count {
                    if writer.cancel.load(Ordering::SeqCst) {
                        // Nothing was issued: the transaction rolls back.
                        return Err(Stop::Cancelled);
                    }
                    return Err(Stop::Api(
                        Msg::RandomSerialsNearlyExhausted { len: len as i64 }.err(),
                    ));
                }
            }
            Ok(allocation)
        })
    }

    /// Writes the codes of ledger range `allocation`.
    pub(super) fn write_allocation(
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
    pub(super) fn write_single_code(
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
    pub(super) fn record_trace_code(&self, coder: &Coder, code: &str) -> Result<()> {
        let batch_id = coder.batch.as_ref().map(|b| b.id);
        let mut db = self.db();
        db.transact(|tx| {
            if ledger::trace_code_of(tx, coder.product.id, batch_id, None)?.is_none() {
                if let Some(other) = ledger::trace_code_by_text(tx, code)? {
                    return Err(Msg::CodeTaken {
                        code: code.to_string(),
                        other_id: other.id,
                    }
                    .err());
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
    pub(super) fn write_imported(
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
            return Err(Stop::Api(
                Msg::PlatformCodesNotImported {
                    scheme_zh: zh_scheme.to_string(),
                    scheme_en: en_scheme.to_string(),
                    for_batch: batch_id.is_some(),
                }
                .err(),
            ));
        }
        match coder.granularity {
            Granularity::Item => {
                if available < count {
                    return Err(Stop::Api(
                        Msg::TooFewImportedCodes {
                            available: available as i64,
                            count: count as i64,
                        }
                        .err(),
                    ));
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
}
