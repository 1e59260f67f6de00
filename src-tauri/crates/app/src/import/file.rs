//! One step from file to database (the CLI's `import`): open, read, check and commit a file
//! without the review screens; and the blank templates.

use super::*;

impl App {
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

    pub(super) fn import_file_session(
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
}
