// One typed wrapper per Rust command (src-tauri/src/commands.rs). Names are the Rust command names
// in camelCase; arguments are camelCase, as Tauri v2 maps them onto the Rust parameters.
//
// `createBackend(transport)` builds them over a `Transport` (call.ts): Tauri's IPC in the app, the
// replay of answers recorded from Rust (replay.ts) in the tests and in a plain browser, so the
// tests exercise this very mapping.

import {
  type ImportApi,
  type ImportCommitInput,
  type ImportCommitResult,
  type ImportFileInfo,
  type ImportFixInput,
  type ImportFixResult,
  type ImportKind,
  type ImportPreview,
  type ImportPreviewInput,
  type ImportProgress,
  type ImportReadInput,
  type ImportReport,
  type ImportRowsPage,
  type ImportRowsQuery,
  type ImportRun,
  type ImportTemplate,
  type ImportUndoResult,
} from "./importApi";
import type { AppStatus } from "./bindings/AppStatus";
import type { BackupFile } from "./bindings/BackupFile";
import type { BackupInfo } from "./bindings/BackupInfo";
import type { RestoreResult } from "./bindings/RestoreResult";
import type { DbCheck } from "./bindings/DbCheck";
import type { Enterprise } from "./bindings/Enterprise";
import type { EnterpriseInput } from "./bindings/EnterpriseInput";
import type { Language } from "./bindings/Language";
import type { SetupInput } from "./bindings/SetupInput";
import type { UsccCheck } from "./bindings/UsccCheck";
import type { AboutInfo } from "./bindings/AboutInfo";
import type { AutoBackupResult } from "./bindings/AutoBackupResult";
import type { BackupStatus } from "./bindings/BackupStatus";
import type { DataFolder } from "./bindings/DataFolder";
import type { DiagnosticsResult } from "./bindings/DiagnosticsResult";
import type { Backend, FileDialogOptions, FileKind, PickedFile } from "./backend";
import { Channel } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { call as tauriCall, type Transport } from "./call";
import type { UpdateOffer, UpdateReady, UpdatesApi } from "./updatesApi";
import type { CataloguePreview, CataloguesApi, CatalogueVersion } from "./cataloguesApi";
import type {
  LabelDataExportInput,
  LabelDataExportResult,
  PrintingApi,
  PrintLabelsInput,
  PrintLabelsResult,
  PrinterProfileDto,
  TestLabelInput,
} from "./printingApi";
import type { CodeFileDialog, CodingApi } from "./codingApi";
import type { Allocation } from "./bindings/Allocation";
import type { CodeCheck } from "./bindings/CodeCheck";
import type { CodeEvent } from "./bindings/CodeEvent";
import type { CodeEventInput } from "./bindings/CodeEventInput";
import type { CodeGenerateInput } from "./bindings/CodeGenerateInput";
import type { CodeGenerateProgress } from "./bindings/CodeGenerateProgress";
import type { CodeGenerateSummary } from "./bindings/CodeGenerateSummary";
import type { CodePreview } from "./bindings/CodePreview";
import type { CodingBatch } from "./bindings/CodingBatch";
import type { ImportCodesInput } from "./bindings/ImportCodesInput";
import type { ImportCodesReport } from "./bindings/ImportCodesReport";
import type { LabelPreview } from "./bindings/LabelPreview";
import type { LabelPreviewInput } from "./bindings/LabelPreviewInput";
import type { LabelSheetInput } from "./bindings/LabelSheetInput";
import type { LabelSheetResult } from "./bindings/LabelSheetResult";
import type { ProductCoding } from "./bindings/ProductCoding";
import type { ProductCodingInput } from "./bindings/ProductCodingInput";
import type { Attachment } from "./bindings/Attachment";
import type { Batch } from "./bindings/Batch";
import type { BatchBalance } from "./bindings/BatchBalance";
import type { BatchCheck } from "./bindings/BatchCheck";
import type { BatchInput } from "./bindings/BatchInput";
import type { CatalogueEntry } from "./bindings/CatalogueEntry";
import type { DashboardData } from "./bindings/DashboardData";
import type { EntryHints } from "./bindings/EntryHints";
import type { ExportResult } from "./bindings/ExportResult";
import type { FieldProblem } from "./bindings/FieldProblem";
import type { GtinCheck } from "./bindings/GtinCheck";
import type { GtinSuggestion } from "./bindings/GtinSuggestion";
import type { HistoryEntry } from "./bindings/HistoryEntry";
import type { ListQuery } from "./bindings/ListQuery";
import type { LotBalance } from "./bindings/LotBalance";
import type { Page } from "./bindings/Page";
import type { Party } from "./bindings/Party";
import type { PartyInput } from "./bindings/PartyInput";
import type { Product } from "./bindings/Product";
import type { ProductInput } from "./bindings/ProductInput";
import type { RecallDrill } from "./bindings/RecallDrill";
import type { RecallRequest } from "./bindings/RecallRequest";
import type { RecallResult } from "./bindings/RecallResult";
import type { Receipt } from "./bindings/Receipt";
import type { ReceiptInput } from "./bindings/ReceiptInput";
import type { RecordKind } from "./bindings/RecordKind";
import type { ScanResult } from "./bindings/ScanResult";
import type { Shipment } from "./bindings/Shipment";
import type { ShipmentInput } from "./bindings/ShipmentInput";
import type { TraceRef } from "./bindings/TraceRef";
import type { TraceResult } from "./bindings/TraceResult";
import type { EntriesBackend, ListKind } from "./entriesBackend";
import type {
  ArchiveEntry,
  ArchivePage,
  ArchiveQuery,
  ArchiveVerification,
  Checklist,
  CredentialStatus,
  ExportedFile,
  OutboxEntry,
  OutboxPage,
  OutboxQuery,
  PlatformTest,
  SubmissionApi,
  SubmitProgress,
  SubmitRequest,
  SubmitSummary,
} from "./submissionApi";

/** The back end over `transport`: one method per Rust command. */
export function createBackend(transport: Transport, kind: Backend["kind"]): Backend {
  const call = transport.call;
  const appStatus = () => call<AppStatus>("app_status");
  const checkUscc = (text: string) => call<UsccCheck>("check_uscc", { text });
  const completeSetup = (input: SetupInput) => call<AppStatus>("complete_setup", { input });
  const saveEnterprise = (input: EnterpriseInput) => call<Enterprise>("save_enterprise", { input });
  const setLanguage = (language: Language) => call<AppStatus>("set_language", { language });
  const dbCheck = () => call<DbCheck>("db_check");
  const backupDatabase = (target: string | null) => call<BackupInfo>("backup_database", { target });
  const listBackups = () => call<BackupFile[]>("list_backups");
  const restoreDatabase = (source: string, force = false) => call<RestoreResult>("restore_database", { source, force });
  const autoBackup = () => call<AutoBackupResult>("auto_backup");
  const backupStatus = () => call<BackupStatus>("backup_status");
  const setAutoBackup = (enabled: boolean) => call<BackupStatus>("set_auto_backup", { enabled });
  const aboutInfo = () => call<AboutInfo>("about_info");
  const exportDiagnostics = (includeData: boolean) => call<DiagnosticsResult>("export_diagnostics", { includeData });
  const openDataFolder = (folder: DataFolder) => call<void>("open_data_folder", { folder });
  const restoreBackup = (path: string, force = false) => call<RestoreResult>("restore_backup", { path, force });

  // Native file dialogs are opened by Rust (src-tauri/src/files.rs): the UI says what the file is
  // for and gets back a one-time token with a name to show, never a path it could pass back.
  interface FileDialog {
    kind: FileKind;
    title: string;
    filterName: string;
    defaultName?: string | null;
  }
  const pickOpen = (dialog: FileDialog) => call<PickedFile | null>("pick_open_file", { dialog });
  const pickOpenMany = (dialog: FileDialog) => call<PickedFile[]>("pick_open_files", { dialog });
  const pickSave = (dialog: FileDialog) => call<PickedFile | null>("pick_save_file", { dialog });

  const chooseBackupDestination = (options: FileDialogOptions) =>
    pickSave({ kind: "backup-save", title: options.title, filterName: options.filterName, defaultName: options.defaultPath });

  const chooseBackupFile = (options: FileDialogOptions) =>
    pickOpen({ kind: "backup", title: options.title, filterName: options.filterName });

  /** Submission and the archive (submissionApi.ts). */
  const submissionCommands: SubmissionApi = {
    submissionChecklist: () => call<Checklist>("submission_checklist"),
    submitRecords: (request: SubmitRequest, onProgress: (p: SubmitProgress) => void) => {
      const progress = transport.channel(onProgress);
      return call<SubmitSummary>("submit_records", { request, progress });
    },
    cancelSubmission: () => call<void>("cancel_submission"),
    listOutbox: (query: OutboxQuery) => call<OutboxPage>("list_outbox", { query }),
    retryRejected: (ids: number[]) => call<number>("retry_rejected", { ids }),
    openCorrection: (id: number) => call<OutboxEntry>("open_correction", { id }),
    listArchive: (query: ArchiveQuery) => call<ArchivePage>("list_archive", { query }),
    archiveEntry: (id: number) => call<ArchiveEntry>("archive_entry", { id }),
    verifyArchive: () => call<ArchiveVerification>("verify_archive"),
    exportSubmissionReport: (from: string, to: string, target: string | null) =>
      call<ExportedFile>("export_submission_report", { from, to, target }),
    exportEvidencePack: (from: string, to: string, target: string | null) =>
      call<ExportedFile>("export_evidence_pack", { from, to, target }),
    exportEpcis: (target: string | null) => call<ExportedFile>("export_epcis", { target }),
    exportUploadWorkbook: (target: string | null) => call<ExportedFile>("export_upload_workbook", { target }),
    credentialStatus: () => call<CredentialStatus>("credential_status"),
    savePlatformSecret: (secret: string) => call<CredentialStatus>("save_platform_secret", { secret }),
    testPlatform: (platform: string | null) => call<PlatformTest>("test_platform", { platform }),
  };

  /** Spreadsheet import (importApi.ts). Long steps report progress through a Tauri channel. */
  const channel = (onProgress: (progress: ImportProgress) => void) => transport.channel(onProgress);

  const importCommands: ImportApi = {
    importOpen: (source: string) => call<ImportFileInfo>("import_open", { source }),
    importPreview: (input: ImportPreviewInput) => call<ImportPreview>("import_preview", { input }),
    importRead: (input: ImportReadInput, onProgress: (p: ImportProgress) => void) =>
      call<ImportReport>("import_read", { input, progress: channel(onProgress) }),
    importRecheck: (sessionId: number, createMissing: boolean, onProgress: (p: ImportProgress) => void) =>
      call<ImportReport>("import_recheck", { sessionId, createMissing, progress: channel(onProgress) }),
    importRows: (query: ImportRowsQuery) => call<ImportRowsPage>("import_rows", { query }),
    importFixRow: (input: ImportFixInput) => call<ImportFixResult>("import_fix_row", { input }),
    importExportProblems: (sessionId: number, target: string, onProgress: (p: ImportProgress) => void) =>
      call<string>("import_export_problems", { sessionId, target, progress: channel(onProgress) }),
    importCommit: (input: ImportCommitInput, onProgress: (p: ImportProgress) => void) =>
      call<ImportCommitResult>("import_commit", { input, progress: channel(onProgress) }),
    importCancel: (sessionId: number) => call<void>("import_cancel", { sessionId }),
    importClose: (sessionId: number) => call<void>("import_close", { sessionId }),
    importRuns: (limit: number) => call<ImportRun[]>("import_runs", { limit }),
    importUndo: (runId: number, onProgress: (p: ImportProgress) => void) =>
      call<ImportUndoResult>("import_undo", { runId, progress: channel(onProgress) }),
    importTemplate: (kind: ImportKind, target: string) => call<ImportTemplate>("import_template", { kind, target }),
    chooseImportFile: (title: string, filterName: string) => pickOpen({ kind: "spreadsheet", title, filterName }),
    chooseImportSavePath: (title: string, defaultName: string, filterName: string) =>
      pickSave({ kind: "xlsx", title, filterName, defaultName }),
    // Rust turns files dropped on the window into tokens (files.rs `on_drop`).
    onFileDrop: (handler: (files: PickedFile[]) => void) =>
      transport.listen<PickedFile[]>("tracedesk://file-drop", handler),
  };

  /** Coding (codingApi.ts). */
  const codingCommands: CodingApi = {
    checkCode: (text: string) => call<CodeCheck>("check_code", { text }),
    codingProducts: () => call<ProductCoding[]>("coding_products"),
    saveProductCoding: (productId: number, input: ProductCodingInput) =>
      call<ProductCoding>("save_product_coding", { productId, input }),
    codingBatches: (productId: number) => call<CodingBatch[]>("coding_batches", { productId }),
    previewCodes: (productId: number, batchId: number | null, count: number) =>
      call<CodePreview>("preview_codes", { productId, batchId, count }),
    generateCodes: (input: CodeGenerateInput, target: string | null, onProgress: (p: CodeGenerateProgress) => void) => {
      const channel = transport.channel(onProgress);
      return call<CodeGenerateSummary>("generate_codes", { input, target, onProgress: channel });
    },
    cancelGeneration: (jobId: string) => call<boolean>("cancel_generation", { jobId }),
    codeAllocations: (productId: number | null, batchId: number | null) =>
      call<Allocation[]>("code_allocations", { productId, batchId }),
    exportAllocation: (allocationId: number, target: string | null) =>
      call<CodeGenerateSummary>("export_allocation", { allocationId, target }),
    voidCode: (input: CodeEventInput) => call<CodeEvent>("void_code", { input }),
    reprintCode: (input: CodeEventInput) => call<CodeEvent>("reprint_code", { input }),
    codeEvents: (productId: number | null) => call<CodeEvent[]>("code_events", { productId }),
    importIssuedCodes: (input: ImportCodesInput, source: string) =>
      call<ImportCodesReport>("import_issued_codes", { input, source }),
    labelPreview: (input: LabelPreviewInput) => call<LabelPreview>("label_preview", { input }),
    labelSheet: (input: LabelSheetInput) => call<LabelSheetResult>("label_sheet", { input }),
    openFile: (path: string) => call<void>("open_file", { path }),
    chooseCodeFile: (options: CodeFileDialog) =>
      pickSave({
        kind: options.extensions.includes("xlsx") ? "xlsx" : "csv",
        title: options.title,
        filterName: options.filterName,
        defaultName: options.defaultPath,
      }),
    chooseIssuedCodeList: (options: CodeFileDialog) =>
      pickOpen({ kind: "code-list", title: options.title, filterName: options.filterName }),
  };

  /** Master data, entry, trace, recall and the dashboard (entriesBackend.ts). */
  const entriesCommands: EntriesBackend = {
    productCatalogue: () => call<CatalogueEntry[]>("product_catalogue"),
    listProducts: (query: ListQuery) => call<Page<Product>>("list_products", { query }),
    getProduct: (id: number) => call<Product>("get_product", { id }),
    checkProduct: (input: ProductInput, id: number | null) => call<FieldProblem[]>("check_product", { input, id }),
    addProduct: (input: ProductInput) => call<Product>("add_product", { input }),
    updateProduct: (id: number, input: ProductInput) => call<Product>("update_product", { id, input }),
    checkGtin: (text: string) => call<GtinCheck>("check_gtin", { text }),
    suggestGtin: () => call<GtinSuggestion>("suggest_gtin"),
    listParties: (query: ListQuery) => call<Page<Party>>("list_parties", { query }),
    getParty: (id: number) => call<Party>("get_party", { id }),
    checkParty: (input: PartyInput, id: number | null) => call<FieldProblem[]>("check_party", { input, id }),
    addParty: (input: PartyInput) => call<Party>("add_party", { input }),
    updateParty: (id: number, input: PartyInput) => call<Party>("update_party", { id, input }),
    entryHints: () => call<EntryHints>("entry_hints"),
    listReceipts: (query: ListQuery) => call<Page<Receipt>>("list_receipts", { query }),
    getReceipt: (id: number) => call<Receipt>("get_receipt", { id }),
    checkReceipt: (input: ReceiptInput, id: number | null) => call<FieldProblem[]>("check_receipt", { input, id }),
    addReceipt: (input: ReceiptInput) => call<Receipt>("add_receipt", { input }),
    updateReceipt: (id: number, input: ReceiptInput) => call<Receipt>("update_receipt", { id, input }),
    searchLots: (search: string, exceptBatch: number | null) => call<LotBalance[]>("search_lots", { search, exceptBatch }),
    listBatches: (query: ListQuery) => call<Page<Batch>>("list_batches", { query }),
    getBatch: (id: number) => call<Batch>("get_batch", { id }),
    checkBatch: (input: BatchInput, id: number | null) => call<BatchCheck>("check_batch", { input, id }),
    addBatch: (input: BatchInput) => call<Batch>("add_batch", { input }),
    updateBatch: (id: number, input: BatchInput) => call<Batch>("update_batch", { id, input }),
    suggestLot: (producedOn: string) => call<string>("suggest_lot", { producedOn }),
    searchBatches: (search: string, exceptShipment: number | null) =>
      call<BatchBalance[]>("search_batches", { search, exceptShipment }),
    listShipments: (query: ListQuery) => call<Page<Shipment>>("list_shipments", { query }),
    getShipment: (id: number) => call<Shipment>("get_shipment", { id }),
    checkShipment: (input: ShipmentInput, id: number | null) => call<FieldProblem[]>("check_shipment", { input, id }),
    addShipment: (input: ShipmentInput) => call<Shipment>("add_shipment", { input }),
    updateShipment: (id: number, input: ShipmentInput) => call<Shipment>("update_shipment", { id, input }),
    suggestDeliveryNote: (shippedOn: string) => call<string>("suggest_delivery_note", { shippedOn }),
    addAttachments: (kind: RecordKind, id: number, sources: string[], purpose: string) =>
      call<Attachment[]>("add_attachments", { kind, id, sources, purpose }),
    recordHistory: (kind: RecordKind, id: number) => call<HistoryEntry[]>("record_history", { kind, id }),
    scanCode: (text: string) => call<ScanResult>("scan_code", { text }),
    trace: (text: string) => call<TraceResult>("trace", { text }),
    traceRef: (target: TraceRef) => call<TraceResult>("trace_ref", { target }),
    recall: (request: RecallRequest) => call<RecallResult>("recall", { request }),
    recallDrills: () => call<RecallDrill[]>("recall_drills"),
    dashboard: () => call<DashboardData>("dashboard"),
    exportList: (kind: ListKind, query: ListQuery, target: string | null) =>
      call<ExportResult>("export_list", { kind, query, target }),
    exportTrace: (result: TraceResult, target: string | null) => call<ExportResult>("export_trace", { result, target }),
    exportRecall: (result: RecallResult, target: string | null) => call<ExportResult>("export_recall", { result, target }),
    chooseAttachments: (title: string, filterName: string) => pickOpenMany({ kind: "attachment", title, filterName }),
    chooseExportPath: (title: string, defaultName: string, filterName: string) =>
      pickSave({ kind: "xlsx", title, filterName, defaultName }),
  };

  /** Updates (updatesApi.ts): the signature is checked in Rust. */
  const updateCommands: UpdatesApi = {
    checkUpdate: () => call<UpdateOffer | null>("check_update"),
    downloadUpdate: () => call<UpdateReady>("download_update"),
    installUpdate: () => call<void>("install_update"),
  };

  /** Label printers (printingApi.ts). */
  /** Catalogues (cataloguesApi.ts): validation, difference and install are Rust's. */
  const catalogueCommands: CataloguesApi = {
    catalogueVersions: () => call<CatalogueVersion[]>("catalogue_versions"),
    chooseCatalogueFile: (options: FileDialogOptions) =>
      pickOpen({ kind: "catalogue", title: options.title, filterName: options.filterName }),
    previewCatalogue: (source: string) => call<CataloguePreview>("preview_catalogue", { source }),
    installCatalogue: (source: string) => call<CatalogueVersion>("install_catalogue", { source }),
    revertCatalogue: (name: string) => call<CatalogueVersion>("revert_catalogue", { name }),
  };

  const printingCommands: PrintingApi = {
    printerProfiles: () => call<PrinterProfileDto[]>("printer_profiles"),
    savePrinterProfile: (profile: PrinterProfileDto) => call<PrinterProfileDto>("save_printer_profile", { profile }),
    deletePrinterProfile: (name: string) => call<void>("delete_printer_profile", { name }),
    osPrinters: () => call<string[]>("os_printers"),
    printLabels: (input: PrintLabelsInput) => call<PrintLabelsResult>("print_labels", { input }),
    printTestLabel: (input: TestLabelInput) => call<PrintLabelsResult>("print_test_label", { input }),
    exportLabelData: (input: LabelDataExportInput) => call<LabelDataExportResult>("export_label_data", { input }),
  };

  return {
    kind,
    ...codingCommands,
    ...importCommands,
    ...submissionCommands,
    ...entriesCommands,
    ...updateCommands,
    ...printingCommands,
    ...catalogueCommands,
    appStatus,
    checkUscc,
    completeSetup,
    saveEnterprise,
    setLanguage,
    dbCheck,
    backupDatabase,
    listBackups,
    restoreDatabase,
    restoreBackup,
    autoBackup,
    backupStatus,
    setAutoBackup,
    aboutInfo,
    exportDiagnostics,
    openDataFolder,
    chooseBackupDestination,
    chooseBackupFile,
  };
}

/** Tauri's IPC. */
export const tauriTransport: Transport = {
  call: tauriCall,
  channel<T>(onMessage: (message: T) => void) {
    const channel = new Channel<T>();
    channel.onmessage = onMessage;
    return channel;
  },
  listen: <T>(event: string, handler: (payload: T) => void) => listen<T>(event, (e) => handler(e.payload)),
};

/** The real back end: the Rust commands of the desktop shell. */
export const tauriBackend: Backend = createBackend(tauriTransport, "tauri");
