//! Committing a checked session in one transaction (all-or-nothing or only the valid rows), the
//! import history, and undoing an import.

use super::*;
use crate::messages::Msg;

impl App {
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

    pub(super) fn commit_session(
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
            return Err(Msg::ImportNothingToImport.err());
        }
        if input.mode == ImportMode::All && report.rows_invalid > 0 {
            return Err(Msg::ImportRowsInvalid {
                rows: report.rows_invalid as i64,
            }
            .err());
        }
        let actor = self.config.actor.clone();
        let started = Instant::now();
        let session = &mut *s;
        let c = session
            .checked
            .as_ref()
            .ok_or_else(|| Msg::ImportSheetNotRead.err())?;
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
    pub(super) fn replan(
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
                return Err(Msg::ImportDatabaseChanged {
                    zh: first
                        .as_ref()
                        .map_or("", |p| p.message_zh.as_str())
                        .to_string(),
                    en: first
                        .as_ref()
                        .map_or("", |p| p.message_en.as_str())
                        .to_string(),
                }
                .err());
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
                Err(R::NotFound) => Err(Msg::ImportRunNotFound { run_id }.err()),
                Err(R::AlreadyUndone { at }) => Err(Msg::ImportRunUndone {
                    run_id,
                    at: at.to_string(),
                }
                .err()),
                Err(R::Submitted { table, count }) => Err(Msg::ImportRunSubmitted {
                    run_id,
                    count,
                    table_zh: table_zh(&table).to_string(),
                    table: table.to_string(),
                }
                .err()),
                Err(R::InUse { table, detail }) => Err(Msg::ImportRunInUse {
                    run_id,
                    table_zh: table_zh(&table).to_string(),
                    table: table.to_string(),
                    detail: detail.to_string(),
                }
                .err()),
            }
        })?;
        let run = store::imports::get_run(db.conn(), run_id)?
            .map(|r| run_dto(db.conn(), r))
            .transpose()?
            .ok_or_else(|| Msg::ImportRunMissing.err())?;
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
}
