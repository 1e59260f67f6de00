//! Reading a sheet of an open session and reviewing it: the header preview, the column
//! mapping, the checks against the database, the problem grid, row fixes and the problem report.

use super::*;
use crate::messages::Msg;

impl App {
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
    pub(super) fn resolve_mapping(
        &self,
        workbook: &mut Workbook,
        input: &ImportReadInput,
    ) -> Result<(Option<Mapping>, bool)> {
        let kind = input.kind.record_kind();
        let base = match input.header_row {
            Some(n) => {
                let grid = workbook.grid(&input.sheet, Some(n)).map_err(read_error)?;
                let row = grid
                    .rows
                    .iter()
                    .find(|r| r.row == n)
                    .ok_or_else(|| Msg::ImportBlankHeader { n: n as i64 }.err())?;
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
                Msg::ImportBadMapping {
                    error: e.to_string(),
                }
                .err()
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

    pub(super) fn check(
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

    pub(super) fn report(&self, s: &Session) -> Result<ImportReport> {
        let c = s
            .checked
            .as_ref()
            .ok_or_else(|| Msg::ImportSheetNotRead.err())?;
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
                        row_counter: col.field.is_none()
                            && sheets::header::is_row_counter(&col.header_text),
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
    pub(super) fn refresh(&self, s: &mut Session, slot: &Slot) -> Result<()> {
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
            return Err(Msg::ImportNoHeader.err());
        };
        let i = c
            .read
            .rows
            .binary_search_by_key(&input.row, |r| r.row)
            .map_err(|_| {
                Msg::ImportNotADataRow {
                    row: input.row as i64,
                }
                .err()
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

    /// Column choices by header text turned into the column letters the read takes. Refuses a
    /// header the sheet does not have (listing those it has) and a field the kind does not have
    /// (listing its fields).
    pub(super) fn column_choices(
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
            return Err(Msg::ImportNoHeaderForMapping {
                sheet: input.sheet.to_string(),
            }
            .err());
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
                    Msg::ImportNoSuchColumn {
                        header_row: mapping.header_row as i64,
                        wanted: wanted.to_string(),
                        headers_zh: headers.join("、"),
                        headers_en: headers.join(", "),
                    }
                    .err()
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
    pub(super) fn all_problems(&self, session_id: u32) -> Result<Vec<ImportProblem>> {
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
