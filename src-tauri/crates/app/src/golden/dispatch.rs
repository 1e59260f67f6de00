//! The Tauri commands, by name, over [`App`]: the same method each one-liner in
//! `src-tauri/src/commands.rs` calls, with the arguments read from the JSON the UI's
//! `commands.ts` sends (camelCase keys). The desktop crate cannot be a dependency of this one
//! (it depends on Tauri), so the table is repeated here; `every_golden_command_is_a_tauri_command`
//! checks each name against commands.rs.
//!
//! File tokens: the desktop turns a native dialog's answer into a one-time token
//! (`src-tauri/src/files.rs`); here the recorder stands in for the clerk choosing a file
//! ([`Files`]), and commands redeem its tokens the same way.

use std::collections::{BTreeMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::updates::UpdateFailure;
use crate::{ApiError, App, ErrorCode, Result};

/// What the stand-in for the native file dialogs answers, and the tokens it handed out.
#[derive(Default)]
pub(crate) struct Files {
    /// The next answers of "open"/"save as" dialogs, in order; `None` = the clerk cancels.
    pub answers: VecDeque<Option<PathBuf>>,
    tokens: BTreeMap<String, PathBuf>,
    next: u32,
    /// What the release server and the updater plugin answer (the desktop shell's part).
    pub release: Release,
}

/// The stand-in for the release server and tauri-plugin-updater, which live in the desktop shell
/// (`src-tauri/src/updates.rs`): what is offered, and whether its package's signature verifies.
/// The rules that are the app layer's (when an update may run, every message) are called as the
/// shell calls them.
#[derive(Default)]
pub(crate) struct Release {
    pub offer: Option<crate::updates::UpdateOffer>,
    pub verifies: bool,
    offered: Option<crate::updates::UpdateOffer>,
    downloaded: bool,
}

impl Files {
    fn pick(&mut self) -> Option<Value> {
        let path = self
            .answers
            .pop_front()
            .expect("a dialog answer queued with `will_pick`")?;
        self.next += 1;
        let token = format!("file-{}", self.next);
        self.tokens.insert(token.clone(), path.clone());
        Some(json!({ "token": token, "name": path.display().to_string() }))
    }

    /// Tokens for files dropped on the window, as `src-tauri/src/files.rs` hands them out.
    pub fn dropped(&mut self, paths: &[PathBuf]) -> Vec<Value> {
        paths
            .iter()
            .map(|path| {
                self.answers.push_front(Some(path.clone()));
                self.pick().expect("a dropped file")
            })
            .collect()
    }

    fn redeem(&mut self, token: &str) -> Result<String> {
        self.tokens
            .remove(token)
            .map(|p| p.display().to_string())
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::InvalidInput,
                    "文件已失效，请重新选择",
                    "the file choice has expired; choose the file again",
                )
            })
    }

    /// The path behind `token`, which stays valid (a catalogue file previewed, then installed).
    fn peek(&self, token: &str) -> Result<String> {
        self.tokens
            .get(token)
            .map(|p| p.display().to_string())
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::InvalidInput,
                    "文件已失效，请重新选择",
                    "the file choice has expired; choose the file again",
                )
            })
    }

    fn redeem_optional(&mut self, token: Option<String>) -> Result<Option<String>> {
        token.map(|t| self.redeem(&t)).transpose()
    }
}

/// A progress channel's messages, in the order Rust sent them.
pub(crate) type Progress = Arc<Mutex<Vec<Value>>>;

fn arg<T: DeserializeOwned>(args: &Value, name: &str) -> T {
    let value = args.get(name).cloned().unwrap_or(Value::Null);
    serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("argument `{name}` = {value} does not deserialise: {e}"))
}

fn ok<T: Serialize>(result: Result<T>) -> Result<Value> {
    result.map(|v| serde_json::to_value(v).expect("a DTO serialises"))
}

fn sent<T: Serialize>(progress: &Progress) -> impl Fn(T) + Send + Sync + use<T> {
    let progress = progress.clone();
    move |p: T| {
        progress
            .lock()
            .unwrap()
            .push(serde_json::to_value(p).expect("progress serialises"))
    }
}

/// Runs `command` as the desktop does. `progress` collects what a Tauri channel would carry.
pub(crate) fn dispatch(
    app: &App,
    files: &mut Files,
    runtime: &tokio::runtime::Runtime,
    command: &str,
    a: &Value,
    progress: &Progress,
) -> Result<Value> {
    match command {
        // Set-up, settings and care.
        "app_status" => ok(app.status()),
        "check_uscc" => ok(Ok(crate::setup::check_uscc(&arg::<String>(a, "text")))),
        "complete_setup" => ok(app.complete_setup(&arg(a, "input"))),
        "save_enterprise" => ok(app.save_enterprise(&arg(a, "input"))),
        "set_language" => ok(app.set_language(arg(a, "language"))),
        "db_check" => ok(app.db_check()),
        "pick_open_file" | "pick_save_file" => Ok(files.pick().unwrap_or(Value::Null)),
        "pick_open_files" => Ok(Value::Array(files.pick().into_iter().collect())),
        "backup_database" => {
            let target = files.redeem_optional(arg(a, "target"))?;
            ok(app.backup(target.as_deref().map(std::path::Path::new)))
        }
        "list_backups" => ok(app.list_backups()),
        "auto_backup" => ok(app.auto_backup()),
        "backup_status" => ok(app.backup_status()),
        "set_auto_backup" => ok(app.set_auto_backup(arg(a, "enabled"))),
        "about_info" => ok(app.about()),
        "export_diagnostics" => ok(app.diagnostics(None, arg(a, "includeData"))),
        // The desktop opens the folder in the file manager; the app layer names it.
        "open_data_folder" => ok(app.data_folder(arg(a, "folder")).map(|_| ())),
        "restore_database" => {
            let source = files.redeem(&arg::<String>(a, "source"))?;
            let force: Option<bool> = arg(a, "force");
            ok(app.restore(std::path::Path::new(&source), force.unwrap_or(false)))
        }

        // A backup of `list_backups` (the desktop also checks it lies in the backup folder).
        "restore_backup" => {
            let force: Option<bool> = arg(a, "force");
            ok(app.restore(
                std::path::Path::new(&arg::<String>(a, "path")),
                force.unwrap_or(false),
            ))
        }

        // Submission and the archive.
        "submission_checklist" => ok(app.submission_checklist()),
        "submit_records" => {
            let request: crate::SubmitRequest = arg(a, "request");
            ok(runtime.block_on(app.submit(&request, sent(progress))))
        }
        "cancel_submission" => {
            app.cancel_submission();
            Ok(Value::Null)
        }
        "list_outbox" => ok(app.list_outbox(&arg(a, "query"))),
        "retry_rejected" => ok(app.retry_rejected(&arg::<Vec<i64>>(a, "ids"))),
        "open_correction" => ok(app.open_correction(arg(a, "id"))),
        "list_archive" => ok(app.list_archive(&arg(a, "query"))),
        "archive_entry" => ok(app.archive_entry(arg(a, "id"))),
        "verify_archive" => ok(app.verify_archive()),
        "export_submission_report" => {
            let target = files.redeem_optional(arg(a, "target"))?;
            ok(app.export_report_to(
                &arg::<String>(a, "from"),
                &arg::<String>(a, "to"),
                target.as_deref(),
            ))
        }
        "export_evidence_pack" => {
            let target = files.redeem_optional(arg(a, "target"))?;
            ok(app.export_evidence_pack_to(
                &arg::<String>(a, "from"),
                &arg::<String>(a, "to"),
                target.as_deref(),
            ))
        }
        "export_epcis" => {
            let target = files.redeem_optional(arg(a, "target"))?;
            ok(app.export_epcis_to(target.as_deref()))
        }
        "export_upload_workbook" => {
            let target = files.redeem_optional(arg(a, "target"))?;
            ok(app.export_upload_workbook_to(target.as_deref()))
        }
        "credential_status" => ok(app.credential_status()),
        "save_platform_secret" => ok(app.save_platform_secret(&arg::<String>(a, "secret"))),
        "test_platform" => ok(runtime.block_on(app.test_platform(arg(a, "platform")))),

        // Coding.
        "check_code" => ok(Ok(app.check_code(&arg::<String>(a, "text")))),
        "coding_products" => ok(app.coding_products()),
        "save_product_coding" => ok(app.save_product_coding(arg(a, "productId"), &arg(a, "input"))),
        "coding_batches" => ok(app.coding_batches(arg(a, "productId"))),
        "preview_codes" => {
            ok(app.preview_codes(arg(a, "productId"), arg(a, "batchId"), arg(a, "count")))
        }
        "generate_codes" => {
            let mut input: crate::CodeGenerateInput = arg(a, "input");
            input.path = files.redeem_optional(arg(a, "target"))?.unwrap_or_default();
            let send = sent(progress);
            ok(app.generate_codes(&input, &mut |p| send(p)))
        }
        "cancel_generation" => ok(Ok(app.cancel_generation(&arg::<String>(a, "jobId")))),
        "code_allocations" => ok(app.allocations(arg(a, "productId"), arg(a, "batchId"))),
        "export_allocation" => {
            let path = files.redeem_optional(arg(a, "target"))?.unwrap_or_default();
            ok(app.export_allocation(arg(a, "allocationId"), &path, None))
        }
        "void_code" => ok(app.void_code(&arg(a, "input"))),
        "reprint_code" => ok(app.reprint_code(&arg(a, "input"))),
        "code_events" => ok(app.code_events(arg(a, "productId"), 200)),
        "import_issued_codes" => {
            let mut input: crate::ImportCodesInput = arg(a, "input");
            input.path = files.redeem(&arg::<String>(a, "source"))?;
            ok(app.import_issued_codes(&input))
        }
        "label_preview" => ok(app.label_preview(&arg(a, "input"))),
        "label_sheet" => {
            let mut input: crate::LabelSheetInput = arg(a, "input");
            input.input_path = None;
            input.font_path = None;
            input.path = String::new();
            ok(app.label_sheet(&input))
        }
        "printer_profiles" => ok(app.printer_profiles()),
        "save_printer_profile" => ok(app.save_printer_profile(&arg(a, "profile"))),
        "delete_printer_profile" => ok(app.delete_printer_profile(&arg::<String>(a, "name"))),
        "os_printers" => ok(app.os_printers()),
        "print_labels" => {
            let mut input: crate::PrintLabelsInput = arg(a, "input");
            input.input_path = None;
            input.font_path = None;
            input.path = String::new();
            ok(app.print_labels(&input))
        }
        "print_test_label" => {
            let mut input: crate::TestLabelInput = arg(a, "input");
            input.font_path = None;
            input.path = String::new();
            ok(app.print_test_label(&input))
        }
        "export_label_data" => {
            let mut input: crate::LabelDataExportInput = arg(a, "input");
            input.input_path = None;
            input.path = String::new();
            ok(app.export_label_data(&input))
        }

        // Master data, entry, trace, recall, the dashboard.
        "product_catalogue" => ok(Ok(app.product_catalogue())),
        "catalogue_versions" => ok(Ok(app.catalogue_versions())),
        "preview_catalogue" => {
            let source = files.peek(&arg::<String>(a, "source"))?;
            ok(app.preview_catalogue(std::path::Path::new(&source)))
        }
        "install_catalogue" => {
            let token: String = arg(a, "source");
            let source = files.peek(&token)?;
            let installed = app.install_catalogue(std::path::Path::new(&source));
            if installed.is_ok() {
                files.redeem(&token)?;
            }
            ok(installed)
        }
        "revert_catalogue" => ok(app.revert_catalogue(&arg::<String>(a, "name"))),
        "list_products" => ok(app.list_products(&arg(a, "query"))),
        "get_product" => ok(app.product(arg(a, "id"))),
        "check_product" => ok(app.check_product(&arg(a, "input"), arg(a, "id"))),
        "add_product" => ok(app.add_product(&arg(a, "input"))),
        "update_product" => ok(app.update_product(arg(a, "id"), &arg(a, "input"))),
        "check_gtin" => ok(Ok(crate::products::check_gtin(&arg::<String>(a, "text")))),
        "suggest_gtin" => ok(app.suggest_gtin()),
        "list_parties" => ok(app.list_parties(&arg(a, "query"))),
        "get_party" => ok(app.party(arg(a, "id"))),
        "check_party" => ok(app.check_party(&arg(a, "input"), arg(a, "id"))),
        "add_party" => ok(app.add_party(&arg(a, "input"))),
        "update_party" => ok(app.update_party(arg(a, "id"), &arg(a, "input"))),
        "entry_hints" => ok(app.entry_hints()),
        "list_receipts" => ok(app.list_receipts(&arg(a, "query"))),
        "get_receipt" => ok(app.receipt(arg(a, "id"))),
        "check_receipt" => ok(app.check_receipt(&arg(a, "input"), arg(a, "id"))),
        "add_receipt" => ok(app.add_receipt(&arg(a, "input"))),
        "update_receipt" => ok(app.update_receipt(arg(a, "id"), &arg(a, "input"))),
        "search_lots" => ok(app.search_lots(&arg::<String>(a, "search"), arg(a, "exceptBatch"))),
        "list_batches" => ok(app.list_batches(&arg(a, "query"))),
        "get_batch" => ok(app.batch(arg(a, "id"))),
        "check_batch" => ok(app.check_batch(&arg(a, "input"), arg(a, "id"))),
        "add_batch" => ok(app.add_batch(&arg(a, "input"))),
        "update_batch" => ok(app.update_batch(arg(a, "id"), &arg(a, "input"))),
        "suggest_lot" => ok(app.suggest_lot(&arg::<String>(a, "producedOn"))),
        "search_batches" => {
            ok(app.search_batches(&arg::<String>(a, "search"), arg(a, "exceptShipment")))
        }
        "list_shipments" => ok(app.list_shipments(&arg(a, "query"))),
        "get_shipment" => ok(app.shipment(arg(a, "id"))),
        "check_shipment" => ok(app.check_shipment(&arg(a, "input"), arg(a, "id"))),
        "add_shipment" => ok(app.add_shipment(&arg(a, "input"))),
        "update_shipment" => ok(app.update_shipment(arg(a, "id"), &arg(a, "input"))),
        "suggest_delivery_note" => ok(app.suggest_delivery_note(&arg::<String>(a, "shippedOn"))),
        "add_attachments" => {
            let sources: Vec<String> = arg(a, "sources");
            let paths = sources
                .iter()
                .map(|t| files.redeem(t))
                .collect::<Result<Vec<_>>>()?;
            ok(app.add_attachments(
                arg(a, "kind"),
                arg(a, "id"),
                &paths,
                &arg::<String>(a, "purpose"),
            ))
        }
        "record_history" => ok(app.record_history(arg(a, "kind"), arg(a, "id"))),
        "scan_code" => ok(app.scan_code(&arg::<String>(a, "text"))),
        "trace" => ok(app.trace(&arg::<String>(a, "text"))),
        "trace_ref" => ok(app.trace_ref(arg(a, "target"))),
        "recall" => ok(app.recall(&arg(a, "request"))),
        "recall_drills" => ok(app.recall_drills()),
        "dashboard" => ok(app.dashboard()),
        "export_list" => {
            let target = files.redeem_optional(arg(a, "target"))?;
            ok(app.export_list(arg(a, "kind"), &arg(a, "query"), target.as_deref()))
        }
        "export_trace" => {
            let target = files.redeem_optional(arg(a, "target"))?;
            ok(app.export_trace(&arg(a, "result"), target.as_deref()))
        }
        "export_recall" => {
            let target = files.redeem_optional(arg(a, "target"))?;
            ok(app.export_recall(&arg(a, "result"), target.as_deref()))
        }

        // Spreadsheet import.
        "import_open" => {
            let source = files.redeem(&arg::<String>(a, "source"))?;
            ok(app.import_open(std::path::Path::new(&source)))
        }
        "import_preview" => ok(app.import_preview(&arg(a, "input"))),
        "import_read" => ok(app.import_read(&arg(a, "input"), &sent(progress))),
        "import_recheck" => ok(app.import_recheck(
            arg(a, "sessionId"),
            arg(a, "createMissing"),
            &sent(progress),
        )),
        "import_rows" => ok(app.import_rows(&arg(a, "query"))),
        "import_fix_row" => ok(app.import_fix_row(&arg(a, "input"))),
        "import_export_problems" => {
            let target = files.redeem(&arg::<String>(a, "target"))?;
            ok(app.import_export_problems(
                arg(a, "sessionId"),
                std::path::Path::new(&target),
                &sent(progress),
            ))
        }
        "import_commit" => ok(app.import_commit(&arg(a, "input"), &sent(progress))),
        "import_cancel" => ok(app.import_cancel(arg(a, "sessionId"))),
        "import_close" => ok(app.import_close(arg(a, "sessionId"))),
        "import_runs" => ok(app.import_runs(arg(a, "limit"))),
        "import_undo" => ok(app.import_undo(arg(a, "runId"), &sent(progress))),
        "import_template" => {
            let target = files.redeem(&arg::<String>(a, "target"))?;
            ok(App::import_template(
                arg(a, "kind"),
                std::path::Path::new(&target),
            ))
        }
        // Updates, as `src-tauri/src/updates.rs` runs them over the [`Release`] stand-in. With no
        // offer queued the release server has nothing newer than this build.
        "check_update" => {
            files.release.offered = files.release.offer.clone();
            files.release.downloaded = false;
            ok(Ok(files.release.offered.clone()))
        }
        "download_update" => {
            app.update_allowed()?;
            let Some(offered) = files.release.offered.clone() else {
                return Err(UpdateFailure::NothingDownloaded.into_error());
            };
            if !files.release.verifies {
                // minisign-verify's words for a package that does not match its signature.
                let detail = "The signature verification failed".to_string();
                return Err(UpdateFailure::BadSignature(detail).into_error());
            }
            files.release.downloaded = true;
            ok(Ok(crate::updates::UpdateReady {
                version: offered.version,
                bytes: 1024,
                installable: true,
            }))
        }
        "install_update" => {
            app.update_allowed()?;
            if !files.release.downloaded {
                return Err(UpdateFailure::NothingDownloaded.into_error());
            }
            // The shell installs the verified package and restarts.
            Ok(Value::Null)
        }
        other => panic!("no command `{other}` in the golden dispatch table"),
    }
}
