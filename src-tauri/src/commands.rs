//! The commands the UI invokes. Each is a one-liner over [`app::App`]: any logic belongs in `app`,
//! where the tests and the CLI reach it without a window.
//!
//! Commands that touch the database are `async` so Tauri runs them off the main thread and a slow
//! backup or restore never freezes the window. Every command returns `Result<_, ApiError>`, so the
//! UI handles all of them the same way.

use app::{
    ApiError, AppStatus, BackupFile, BackupInfo, DbCheck, Enterprise, EnterpriseInput, Language,
    SetupInput, UsccCheck,
};
use tauri::{AppHandle, State};

use crate::files::{self, Access, FileDialog, Files, PickedFile};
use crate::state::AppState;
use crate::updates::Updates;

// 目录与数据: the catalogues in use and loading a newer file (app: catalogues.rs).
pub mod catalogues;

type Result<T> = std::result::Result<T, ApiError>;

#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Result<AppStatus> {
    state.app.status()
}

#[tauri::command]
pub fn check_uscc(text: String) -> Result<UsccCheck> {
    Ok(app::setup::check_uscc(&text))
}

#[tauri::command]
pub async fn complete_setup(state: State<'_, AppState>, input: SetupInput) -> Result<AppStatus> {
    state.app.complete_setup(&input)
}

#[tauri::command]
pub async fn check_enterprise(
    state: State<'_, AppState>,
    input: EnterpriseInput,
) -> Result<Vec<app::FieldProblem>> {
    state.app.check_enterprise(&input)
}

#[tauri::command]
pub async fn save_enterprise(
    state: State<'_, AppState>,
    input: EnterpriseInput,
) -> Result<Enterprise> {
    state.app.save_enterprise(&input)
}

#[tauri::command]
pub async fn set_language(state: State<'_, AppState>, language: Language) -> Result<AppStatus> {
    state.app.set_language(language)
}

#[tauri::command]
pub async fn db_check(state: State<'_, AppState>) -> Result<DbCheck> {
    state.app.db_check()
}

// Files: the webview never names a path (see `files`). It asks Rust to show a native dialog and
// gets back a one-time token, which the command that reads or writes the file redeems.

#[tauri::command]
pub async fn pick_open_file(app: AppHandle, dialog: FileDialog) -> Result<Option<PickedFile>> {
    files::pick_open(app, dialog).await
}

#[tauri::command]
pub async fn pick_open_files(app: AppHandle, dialog: FileDialog) -> Result<Vec<PickedFile>> {
    files::pick_open_many(app, dialog).await
}

#[tauri::command]
pub async fn pick_save_file(app: AppHandle, dialog: FileDialog) -> Result<Option<PickedFile>> {
    files::pick_save(app, dialog).await
}

/// Opens a file of the data directory's folders (exports, attachments, backups) with the
/// system's default program; anything else is refused.
#[tauri::command]
pub async fn open_file(app: AppHandle, files: State<'_, Files>, path: String) -> Result<()> {
    files::open_in_data_dir(&app, &files, &path)
}

/// `target`: a token from `pick_save_file`; `None` writes into the backup folder.
#[tauri::command]
pub async fn backup_database(
    state: State<'_, AppState>,
    files: State<'_, Files>,
    target: Option<String>,
) -> Result<BackupInfo> {
    state.app.backup(
        files
            .redeem_optional(target.as_deref(), Access::Write)?
            .as_deref(),
    )
}

#[tauri::command]
pub async fn list_backups(state: State<'_, AppState>) -> Result<Vec<BackupFile>> {
    state.app.list_backups()
}

/// At start-up and hourly (the UI's timer): a backup if none was made today, then retention.
#[tauri::command]
pub async fn auto_backup(state: State<'_, AppState>) -> Result<app::AutoBackupResult> {
    state.app.auto_backup()
}

#[tauri::command]
pub async fn backup_status(state: State<'_, AppState>) -> Result<app::BackupStatus> {
    state.app.backup_status()
}

#[tauri::command]
pub async fn set_auto_backup(
    state: State<'_, AppState>,
    enabled: bool,
) -> Result<app::BackupStatus> {
    state.app.set_auto_backup(enabled)
}

#[tauri::command]
pub async fn about_info(state: State<'_, AppState>) -> Result<app::AboutInfo> {
    state.app.about()
}

/// Writes the diagnostics bundle into `exports/`.
#[tauri::command]
pub async fn export_diagnostics(
    state: State<'_, AppState>,
    include_data: bool,
) -> Result<app::DiagnosticsResult> {
    state.app.diagnostics(None, include_data)
}

/// `folder`: a folder of the data directory by name; the webview never names its path.
#[tauri::command]
pub async fn open_data_folder(
    app: AppHandle,
    state: State<'_, AppState>,
    folder: app::DataFolder,
) -> Result<()> {
    files::open_folder(&app, &state.app.data_folder(folder)?)
}

/// `source`: a token from `pick_open_file`.
#[tauri::command]
pub async fn restore_database(
    state: State<'_, AppState>,
    files: State<'_, Files>,
    source: String,
    force: Option<bool>,
) -> Result<app::RestoreResult> {
    files.spend_on_success(&source, Access::Read, |path| {
        state.app.restore(path, force.unwrap_or(false))
    })
}

/// `path`: one of `list_backups` (a file in the data directory's `backups/`), nothing else.
#[tauri::command]
pub async fn restore_backup(
    state: State<'_, AppState>,
    files: State<'_, Files>,
    path: String,
    force: Option<bool>,
) -> Result<app::RestoreResult> {
    state
        .app
        .restore(&files.listed_backup(&path)?, force.unwrap_or(false))
}

// Submission (报送), the archive (档案) and reports.

#[tauri::command]
pub async fn submission_checklist(state: State<'_, AppState>) -> Result<app::Checklist> {
    state.app.submission_checklist()
}

#[tauri::command]
pub async fn submit_records(
    state: State<'_, AppState>,
    request: app::SubmitRequest,
    progress: tauri::ipc::Channel<app::SubmitProgress>,
) -> Result<app::SubmitSummary> {
    state
        .app
        .submit(&request, move |p| {
            let _ = progress.send(p);
        })
        .await
}

#[tauri::command]
pub fn cancel_submission(state: State<'_, AppState>) {
    state.app.cancel_submission()
}

#[tauri::command]
pub async fn list_outbox(
    state: State<'_, AppState>,
    query: app::OutboxQuery,
) -> Result<app::OutboxPage> {
    state.app.list_outbox(&query)
}

#[tauri::command]
pub async fn retry_rejected(state: State<'_, AppState>, ids: Vec<i64>) -> Result<u32> {
    state.app.retry_rejected(&ids)
}

#[tauri::command]
pub async fn open_correction(state: State<'_, AppState>, id: i64) -> Result<app::OutboxEntry> {
    state.app.open_correction(id)
}

#[tauri::command]
pub async fn list_archive(
    state: State<'_, AppState>,
    query: app::ArchiveQuery,
) -> Result<app::ArchivePage> {
    state.app.list_archive(&query)
}

#[tauri::command]
pub async fn archive_entry(state: State<'_, AppState>, id: i64) -> Result<app::ArchiveEntry> {
    state.app.archive_entry(id)
}

#[tauri::command]
pub async fn verify_archive(state: State<'_, AppState>) -> Result<app::ArchiveVerification> {
    state.app.verify_archive()
}

#[tauri::command]
pub async fn export_submission_report(
    state: State<'_, AppState>,
    files: State<'_, Files>,
    from: String,
    to: String,
    target: Option<String>,
) -> Result<app::ExportedFile> {
    state.app.export_report_to(
        &from,
        &to,
        files.redeem_export(target.as_deref())?.as_deref(),
    )
}

#[tauri::command]
pub async fn export_evidence_pack(
    state: State<'_, AppState>,
    files: State<'_, Files>,
    from: String,
    to: String,
    target: Option<String>,
) -> Result<app::ExportedFile> {
    state.app.export_evidence_pack_to(
        &from,
        &to,
        files.redeem_export(target.as_deref())?.as_deref(),
    )
}

#[tauri::command]
pub async fn export_epcis(
    state: State<'_, AppState>,
    files: State<'_, Files>,
    target: Option<String>,
) -> Result<app::ExportedFile> {
    state
        .app
        .export_epcis_to(files.redeem_export(target.as_deref())?.as_deref())
}

#[tauri::command]
pub async fn export_upload_workbook(
    state: State<'_, AppState>,
    files: State<'_, Files>,
    target: Option<String>,
) -> Result<app::ExportedFile> {
    state
        .app
        .export_upload_workbook_to(files.redeem_export(target.as_deref())?.as_deref())
}

#[tauri::command]
pub async fn credential_status(state: State<'_, AppState>) -> Result<app::CredentialStatus> {
    state.app.credential_status()
}

#[tauri::command]
pub async fn save_platform_secret(
    state: State<'_, AppState>,
    secret: String,
) -> Result<app::CredentialStatus> {
    state.app.save_platform_secret(&secret)
}

#[tauri::command]
pub async fn test_platform(
    state: State<'_, AppState>,
    platform: Option<String>,
) -> Result<app::PlatformTest> {
    state.app.test_platform(platform).await
}

// ---------------------------------------------------------------------------------------------
// Coding (赋码): codes, the serial ledger, labels, void and reprint.

#[tauri::command]
pub async fn check_code(state: State<'_, AppState>, text: String) -> Result<app::CodeCheck> {
    Ok(state.app.check_code(&text))
}

#[tauri::command]
pub async fn coding_products(state: State<'_, AppState>) -> Result<Vec<app::ProductCoding>> {
    state.app.coding_products()
}

#[tauri::command]
pub async fn save_product_coding(
    state: State<'_, AppState>,
    product_id: i64,
    input: app::ProductCodingInput,
) -> Result<app::ProductCoding> {
    state.app.save_product_coding(product_id, &input)
}

#[tauri::command]
pub async fn coding_batches(
    state: State<'_, AppState>,
    product_id: i64,
) -> Result<Vec<app::CodingBatch>> {
    state.app.coding_batches(product_id)
}

#[tauri::command]
pub async fn preview_codes(
    state: State<'_, AppState>,
    product_id: i64,
    batch_id: Option<i64>,
    count: u32,
) -> Result<app::CodePreview> {
    state.app.preview_codes(product_id, batch_id, count)
}

/// `input.path` is ignored: `target` is a token from `pick_save_file`, or `None` for `exports/`.
#[tauri::command]
pub async fn generate_codes(
    state: State<'_, AppState>,
    files: State<'_, Files>,
    input: app::CodeGenerateInput,
    target: Option<String>,
    on_progress: tauri::ipc::Channel<app::CodeGenerateProgress>,
) -> Result<app::CodeGenerateSummary> {
    let input = files.codes_output(input, target.as_deref())?;
    state.app.generate_codes(&input, &mut |p| {
        let _ = on_progress.send(p);
    })
}

#[tauri::command]
pub fn cancel_generation(state: State<'_, AppState>, job_id: String) -> Result<bool> {
    Ok(state.app.cancel_generation(&job_id))
}

#[tauri::command]
pub async fn code_allocations(
    state: State<'_, AppState>,
    product_id: Option<i64>,
    batch_id: Option<i64>,
) -> Result<Vec<app::Allocation>> {
    state.app.allocations(product_id, batch_id)
}

#[tauri::command]
pub async fn export_allocation(
    state: State<'_, AppState>,
    files: State<'_, Files>,
    allocation_id: i64,
    target: Option<String>,
) -> Result<app::CodeGenerateSummary> {
    let path = files.redeem_export(target.as_deref())?.unwrap_or_default();
    state.app.export_allocation(allocation_id, &path, None)
}

#[tauri::command]
pub async fn void_code(
    state: State<'_, AppState>,
    input: app::CodeEventInput,
) -> Result<app::CodeEvent> {
    state.app.void_code(&input)
}

#[tauri::command]
pub async fn reprint_code(
    state: State<'_, AppState>,
    input: app::CodeEventInput,
) -> Result<app::CodeEvent> {
    state.app.reprint_code(&input)
}

#[tauri::command]
pub async fn code_events(
    state: State<'_, AppState>,
    product_id: Option<i64>,
) -> Result<Vec<app::CodeEvent>> {
    state.app.code_events(product_id, 200)
}

#[tauri::command]
/// `input.path` is ignored: the list is read from `source`, a token from `pick_open_file`.
pub async fn import_issued_codes(
    state: State<'_, AppState>,
    files: State<'_, Files>,
    input: app::ImportCodesInput,
    source: String,
) -> Result<app::ImportCodesReport> {
    state
        .app
        .import_issued_codes(&files.issued_codes_input(input, &source)?)
}

#[tauri::command]
pub async fn label_preview(
    state: State<'_, AppState>,
    input: app::LabelPreviewInput,
) -> Result<app::LabelPreview> {
    state.app.label_preview(&input)
}

#[tauri::command]
pub async fn label_sheet(
    state: State<'_, AppState>,
    files: State<'_, Files>,
    input: app::LabelSheetInput,
) -> Result<app::LabelSheetResult> {
    state.app.label_sheet(&files.label_sheet_input(input))
}

// Label printers (app: printing.rs): profiles, OS printers, print jobs, the test label and the
// label data for BarTender / NiceLabel.

#[tauri::command]
pub async fn printer_profiles(state: State<'_, AppState>) -> Result<Vec<app::PrinterProfileDto>> {
    state.app.printer_profiles()
}

#[tauri::command]
pub async fn save_printer_profile(
    state: State<'_, AppState>,
    profile: app::PrinterProfileDto,
) -> Result<app::PrinterProfileDto> {
    state.app.save_printer_profile(&profile)
}

#[tauri::command]
pub async fn delete_printer_profile(state: State<'_, AppState>, name: String) -> Result<()> {
    state.app.delete_printer_profile(&name)
}

#[tauri::command]
pub async fn os_printers(state: State<'_, AppState>) -> Result<Vec<String>> {
    state.app.os_printers()
}

#[tauri::command]
pub async fn print_labels(
    state: State<'_, AppState>,
    files: State<'_, Files>,
    input: app::PrintLabelsInput,
) -> Result<app::PrintLabelsResult> {
    state.app.print_labels(&files.print_labels_input(input))
}

#[tauri::command]
pub async fn print_test_label(
    state: State<'_, AppState>,
    files: State<'_, Files>,
    input: app::TestLabelInput,
) -> Result<app::PrintLabelsResult> {
    state.app.print_test_label(&files.test_label_input(input))
}

#[tauri::command]
pub async fn export_label_data(
    state: State<'_, AppState>,
    files: State<'_, Files>,
    input: app::LabelDataExportInput,
) -> Result<app::LabelDataExportResult> {
    state.app.export_label_data(&files.label_data_input(input))
}

// Master data, daily entry, trace, recall and the dashboard (app: products.rs, parties.rs,
// receipts.rs, batches.rs, shipments.rs, entries.rs, scan.rs, trace.rs, recall.rs, dashboard.rs).

#[tauri::command]
pub async fn product_catalogue(state: State<'_, AppState>) -> Result<Vec<app::CatalogueEntry>> {
    Ok(state.app.product_catalogue())
}

#[tauri::command]
pub async fn list_products(
    state: State<'_, AppState>,
    query: app::ListQuery,
) -> Result<app::Page<app::Product>> {
    state.app.list_products(&query)
}

#[tauri::command]
pub async fn get_product(state: State<'_, AppState>, id: i64) -> Result<app::Product> {
    state.app.product(id)
}

#[tauri::command]
pub async fn check_product(
    state: State<'_, AppState>,
    input: app::ProductInput,
    id: Option<i64>,
) -> Result<Vec<app::FieldProblem>> {
    state.app.check_product(&input, id)
}

#[tauri::command]
pub async fn add_product(
    state: State<'_, AppState>,
    input: app::ProductInput,
) -> Result<app::Product> {
    state.app.add_product(&input)
}

#[tauri::command]
pub async fn update_product(
    state: State<'_, AppState>,
    id: i64,
    input: app::ProductInput,
) -> Result<app::Product> {
    state.app.update_product(id, &input)
}

#[tauri::command]
pub fn check_gtin(text: String) -> Result<app::GtinCheck> {
    Ok(app::products::check_gtin(&text))
}

#[tauri::command]
pub async fn suggest_gtin(state: State<'_, AppState>) -> Result<app::GtinSuggestion> {
    state.app.suggest_gtin()
}

#[tauri::command]
pub async fn list_parties(
    state: State<'_, AppState>,
    query: app::ListQuery,
) -> Result<app::Page<app::Party>> {
    state.app.list_parties(&query)
}

#[tauri::command]
pub async fn get_party(state: State<'_, AppState>, id: i64) -> Result<app::Party> {
    state.app.party(id)
}

#[tauri::command]
pub async fn check_party(
    state: State<'_, AppState>,
    input: app::PartyInput,
    id: Option<i64>,
) -> Result<Vec<app::FieldProblem>> {
    state.app.check_party(&input, id)
}

#[tauri::command]
pub async fn add_party(state: State<'_, AppState>, input: app::PartyInput) -> Result<app::Party> {
    state.app.add_party(&input)
}

#[tauri::command]
pub async fn update_party(
    state: State<'_, AppState>,
    id: i64,
    input: app::PartyInput,
) -> Result<app::Party> {
    state.app.update_party(id, &input)
}

#[tauri::command]
pub async fn entry_hints(state: State<'_, AppState>) -> Result<app::EntryHints> {
    state.app.entry_hints()
}

#[tauri::command]
pub async fn list_receipts(
    state: State<'_, AppState>,
    query: app::ListQuery,
) -> Result<app::Page<app::Receipt>> {
    state.app.list_receipts(&query)
}

#[tauri::command]
pub async fn get_receipt(state: State<'_, AppState>, id: i64) -> Result<app::Receipt> {
    state.app.receipt(id)
}

#[tauri::command]
pub async fn check_receipt(
    state: State<'_, AppState>,
    input: app::ReceiptInput,
    id: Option<i64>,
) -> Result<Vec<app::FieldProblem>> {
    state.app.check_receipt(&input, id)
}

#[tauri::command]
pub async fn add_receipt(
    state: State<'_, AppState>,
    input: app::ReceiptInput,
) -> Result<app::Receipt> {
    state.app.add_receipt(&input)
}

#[tauri::command]
pub async fn update_receipt(
    state: State<'_, AppState>,
    id: i64,
    input: app::ReceiptInput,
) -> Result<app::Receipt> {
    state.app.update_receipt(id, &input)
}

#[tauri::command]
pub async fn search_lots(
    state: State<'_, AppState>,
    search: String,
    except_batch: Option<i64>,
) -> Result<Vec<app::LotBalance>> {
    state.app.search_lots(&search, except_batch)
}

#[tauri::command]
pub async fn list_batches(
    state: State<'_, AppState>,
    query: app::ListQuery,
) -> Result<app::Page<app::Batch>> {
    state.app.list_batches(&query)
}

#[tauri::command]
pub async fn get_batch(state: State<'_, AppState>, id: i64) -> Result<app::Batch> {
    state.app.batch(id)
}

#[tauri::command]
pub async fn check_batch(
    state: State<'_, AppState>,
    input: app::BatchInput,
    id: Option<i64>,
) -> Result<app::BatchCheck> {
    state.app.check_batch(&input, id)
}

#[tauri::command]
pub async fn add_batch(state: State<'_, AppState>, input: app::BatchInput) -> Result<app::Batch> {
    state.app.add_batch(&input)
}

#[tauri::command]
pub async fn update_batch(
    state: State<'_, AppState>,
    id: i64,
    input: app::BatchInput,
) -> Result<app::Batch> {
    state.app.update_batch(id, &input)
}

#[tauri::command]
pub async fn suggest_lot(state: State<'_, AppState>, produced_on: String) -> Result<String> {
    state.app.suggest_lot(&produced_on)
}

#[tauri::command]
pub async fn search_batches(
    state: State<'_, AppState>,
    search: String,
    except_shipment: Option<i64>,
) -> Result<Vec<app::BatchBalance>> {
    state.app.search_batches(&search, except_shipment)
}

#[tauri::command]
pub async fn list_shipments(
    state: State<'_, AppState>,
    query: app::ListQuery,
) -> Result<app::Page<app::Shipment>> {
    state.app.list_shipments(&query)
}

#[tauri::command]
pub async fn get_shipment(state: State<'_, AppState>, id: i64) -> Result<app::Shipment> {
    state.app.shipment(id)
}

#[tauri::command]
pub async fn check_shipment(
    state: State<'_, AppState>,
    input: app::ShipmentInput,
    id: Option<i64>,
) -> Result<Vec<app::FieldProblem>> {
    state.app.check_shipment(&input, id)
}

#[tauri::command]
pub async fn add_shipment(
    state: State<'_, AppState>,
    input: app::ShipmentInput,
) -> Result<app::Shipment> {
    state.app.add_shipment(&input)
}

#[tauri::command]
pub async fn update_shipment(
    state: State<'_, AppState>,
    id: i64,
    input: app::ShipmentInput,
) -> Result<app::Shipment> {
    state.app.update_shipment(id, &input)
}

#[tauri::command]
pub async fn suggest_delivery_note(
    state: State<'_, AppState>,
    shipped_on: String,
) -> Result<String> {
    state.app.suggest_delivery_note(&shipped_on)
}

#[tauri::command]
pub async fn add_attachments(
    state: State<'_, AppState>,
    kind: app::RecordKind,
    files: State<'_, Files>,
    id: i64,
    sources: Vec<String>,
    purpose: String,
) -> Result<Vec<app::Attachment>> {
    state
        .app
        .add_attachments(kind, id, &files.redeem_all(&sources)?, &purpose)
}

#[tauri::command]
pub async fn record_history(
    state: State<'_, AppState>,
    kind: app::RecordKind,
    id: i64,
) -> Result<Vec<app::HistoryEntry>> {
    state.app.record_history(kind, id)
}

#[tauri::command]
pub async fn scan_code(state: State<'_, AppState>, text: String) -> Result<app::ScanResult> {
    state.app.scan_code(&text)
}

#[tauri::command]
pub async fn trace(state: State<'_, AppState>, text: String) -> Result<app::TraceResult> {
    state.app.trace(&text)
}

#[tauri::command]
pub async fn trace_ref(
    state: State<'_, AppState>,
    target: app::TraceRef,
) -> Result<app::TraceResult> {
    state.app.trace_ref(target)
}

#[tauri::command]
pub async fn recall(
    state: State<'_, AppState>,
    request: app::RecallRequest,
) -> Result<app::RecallResult> {
    state.app.recall(&request)
}

#[tauri::command]
pub async fn recall_drills(state: State<'_, AppState>) -> Result<Vec<app::RecallDrill>> {
    state.app.recall_drills()
}

#[tauri::command]
pub async fn dashboard(state: State<'_, AppState>) -> Result<app::DashboardData> {
    state.app.dashboard()
}

#[tauri::command]
pub async fn export_list(
    state: State<'_, AppState>,
    files: State<'_, Files>,
    kind: app::ListKind,
    query: app::ListQuery,
    target: Option<String>,
) -> Result<app::ExportResult> {
    state.app.export_list(
        kind,
        &query,
        files.redeem_export(target.as_deref())?.as_deref(),
    )
}

#[tauri::command]
pub async fn export_trace(
    state: State<'_, AppState>,
    files: State<'_, Files>,
    result: app::TraceResult,
    target: Option<String>,
) -> Result<app::ExportResult> {
    state
        .app
        .export_trace(&result, files.redeem_export(target.as_deref())?.as_deref())
}

#[tauri::command]
pub async fn export_recall(
    state: State<'_, AppState>,
    files: State<'_, Files>,
    result: app::RecallResult,
    target: Option<String>,
) -> Result<app::ExportResult> {
    state
        .app
        .export_recall(&result, files.redeem_export(target.as_deref())?.as_deref())
}

// ---------------------------------------------------------------------------------------------
// Spreadsheet import. Long steps report progress through a channel and stop on `import_cancel`.

#[tauri::command]
/// `source`: a token from `pick_open_file` or from a file dropped on the window.
pub async fn import_open(
    state: State<'_, AppState>,
    files: State<'_, Files>,
    source: String,
) -> Result<app::ImportFileInfo> {
    state.app.import_open(&files.redeem(&source, Access::Read)?)
}

#[tauri::command]
pub async fn import_preview(
    state: State<'_, AppState>,
    input: app::ImportPreviewInput,
) -> Result<app::ImportPreview> {
    state.app.import_preview(&input)
}

#[tauri::command]
pub async fn import_read(
    state: State<'_, AppState>,
    input: app::ImportReadInput,
    progress: tauri::ipc::Channel<app::ImportProgress>,
) -> Result<app::ImportReport> {
    state.app.import_read(&input, &|p| {
        let _ = progress.send(p);
    })
}

#[tauri::command]
pub async fn import_recheck(
    state: State<'_, AppState>,
    session_id: u32,
    create_missing: bool,
    progress: tauri::ipc::Channel<app::ImportProgress>,
) -> Result<app::ImportReport> {
    state.app.import_recheck(session_id, create_missing, &|p| {
        let _ = progress.send(p);
    })
}

#[tauri::command]
pub async fn import_rows(
    state: State<'_, AppState>,
    query: app::ImportRowsQuery,
) -> Result<app::Page<app::ImportRow>> {
    state.app.import_rows(&query)
}

#[tauri::command]
pub async fn import_fix_row(
    state: State<'_, AppState>,
    input: app::ImportFixInput,
) -> Result<app::ImportFixResult> {
    state.app.import_fix_row(&input)
}

#[tauri::command]
pub async fn import_export_problems(
    state: State<'_, AppState>,
    files: State<'_, Files>,
    session_id: u32,
    target: String,
    progress: tauri::ipc::Channel<app::ImportProgress>,
) -> Result<String> {
    state
        .app
        .import_export_problems(session_id, &files.redeem(&target, Access::Write)?, &|p| {
            let _ = progress.send(p);
        })
}

#[tauri::command]
pub async fn import_commit(
    state: State<'_, AppState>,
    input: app::ImportCommitInput,
    progress: tauri::ipc::Channel<app::ImportProgress>,
) -> Result<app::ImportCommitResult> {
    state.app.import_commit(&input, &|p| {
        let _ = progress.send(p);
    })
}

#[tauri::command]
pub async fn import_cancel(state: State<'_, AppState>, session_id: u32) -> Result<()> {
    state.app.import_cancel(session_id)
}

#[tauri::command]
pub async fn import_close(state: State<'_, AppState>, session_id: u32) -> Result<()> {
    state.app.import_close(session_id)
}

#[tauri::command]
pub async fn import_runs(state: State<'_, AppState>, limit: u32) -> Result<Vec<app::ImportRun>> {
    state.app.import_runs(limit)
}

#[tauri::command]
pub async fn import_undo(
    state: State<'_, AppState>,
    run_id: i64,
    progress: tauri::ipc::Channel<app::ImportProgress>,
) -> Result<app::ImportUndoResult> {
    state.app.import_undo(run_id, &|p| {
        let _ = progress.send(p);
    })
}

#[tauri::command]
pub async fn import_template(
    files: State<'_, Files>,
    kind: app::ImportKind,
    target: String,
) -> Result<app::ImportTemplate> {
    app::App::import_template(kind, &files.redeem(&target, Access::Write)?)
}

#[tauri::command]
pub async fn check_update(
    app: AppHandle,
    updates: State<'_, Updates>,
) -> Result<Option<app::updates::UpdateOffer>> {
    crate::updates::check(&app, &updates).await
}

#[tauri::command]
pub async fn download_update(
    state: State<'_, AppState>,
    updates: State<'_, Updates>,
) -> Result<app::updates::UpdateReady> {
    crate::updates::download(&state, &updates).await
}

#[tauri::command]
pub async fn install_update(
    app: AppHandle,
    state: State<'_, AppState>,
    updates: State<'_, Updates>,
) -> Result<()> {
    crate::updates::install(&app, &state, &updates)
}
