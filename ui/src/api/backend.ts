// The operations the UI needs from the back end. Two implementations: `commands.ts` (the Rust
// commands over Tauri IPC) and, over the same mapping, `replay.ts` (answers recorded from Rust, for
// the UI tests and browser-only dev).
// Every method rejects only with an `ApiError`.

import type { AppStatus } from "./bindings/AppStatus";
import type { BackupFile } from "./bindings/BackupFile";
import type { BackupInfo } from "./bindings/BackupInfo";
import type { DbCheck } from "./bindings/DbCheck";
import type { Enterprise } from "./bindings/Enterprise";
import type { EnterpriseInput } from "./bindings/EnterpriseInput";
import type { RestoreResult } from "./bindings/RestoreResult";
import type { Language } from "./bindings/Language";
import type { SetupInput } from "./bindings/SetupInput";
import type { UsccCheck } from "./bindings/UsccCheck";
import type { AboutInfo } from "./bindings/AboutInfo";
import type { AutoBackupResult } from "./bindings/AutoBackupResult";
import type { BackupStatus } from "./bindings/BackupStatus";
import type { DataFolder } from "./bindings/DataFolder";
import type { DiagnosticsResult } from "./bindings/DiagnosticsResult";
import type { CodingApi } from "./codingApi";
import type { EntriesBackend } from "./entriesBackend";
import type { ImportApi } from "./importApi";
import type { PrintingApi } from "./printingApi";
import type { CataloguesApi } from "./cataloguesApi";
import type { SubmissionApi } from "./submissionApi";
import type { UpdatesApi } from "./updatesApi";

/** The general operations, and those of each area, declared in its own file: submission and
 * the archive (submissionApi.ts); master data, entry, trace, recall and the dashboard
 * (entriesBackend.ts); coding (codingApi.ts); spreadsheet import (importApi.ts); updates
 * (updatesApi.ts); label printers (printingApi.ts); catalogues (cataloguesApi.ts). */
export interface Backend extends SubmissionApi, EntriesBackend, CodingApi, ImportApi, UpdatesApi, PrintingApi, CataloguesApi {
  /** `"tauri"` when talking to the Rust side, `"replay"` when replaying answers recorded from it (replay.ts). */
  readonly kind: "tauri" | "replay";

  appStatus(): Promise<AppStatus>;
  checkUscc(text: string): Promise<UsccCheck>;
  completeSetup(input: SetupInput): Promise<AppStatus>;
  saveEnterprise(input: EnterpriseInput): Promise<Enterprise>;
  setLanguage(language: Language): Promise<AppStatus>;
  dbCheck(): Promise<DbCheck>;
  /** `target`: a token from `chooseBackupDestination`; `null` writes a time-stamped file into the backup folder. */
  backupDatabase(target: string | null): Promise<BackupInfo>;
  listBackups(): Promise<BackupFile[]>;
  /**
   * Replaces the data with a backup (`source`: a token from `chooseBackupFile`). A backup whose
   * schema or submission archive does not check out is refused (`field` `restore.schema` or
   * `restore.archive`) unless `force`, the clerk's second confirmation; the token stays usable
   * until a restore succeeds.
   */
  restoreDatabase(source: string, force?: boolean): Promise<RestoreResult>;
  /** `path`: a backup of `listBackups` (only files inside the data folder are accepted). */
  restoreBackup(path: string, force?: boolean): Promise<RestoreResult>;

  /** A backup if none was made today (and automatic backup is on), then retention: at start-up and hourly. */
  autoBackup(): Promise<AutoBackupResult>;
  /** When the last backup was made, and whether that is too long ago (设置, 工作台). */
  backupStatus(): Promise<BackupStatus>;
  setAutoBackup(enabled: boolean): Promise<BackupStatus>;
  /** 关于: versions and the data folders. */
  aboutInfo(): Promise<AboutInfo>;
  /** 导出诊断包 into `exports/`; the database only with `includeData`. */
  exportDiagnostics(includeData: boolean): Promise<DiagnosticsResult>;
  /** Opens a folder of the data directory, by name, in the system's file manager. */
  openDataFolder(folder: DataFolder): Promise<void>;

  /** Asks where to save a backup (OS "save as" dialog, opened by Rust); `null` when the clerk cancels. */
  chooseBackupDestination(options: FileDialogOptions): Promise<PickedFile | null>;
  /** Asks for a backup file to restore (OS "open" dialog, opened by Rust); `null` when the clerk cancels. */
  chooseBackupFile(options: FileDialogOptions): Promise<PickedFile | null>;
}

/**
 * A file the clerk chose in a native dialog that Rust opened (src-tauri/src/files.rs). The UI
 * never names a path to Rust: it passes `token`, which one later command redeems, once.
 */
export interface PickedFile {
  /** One-time, opaque. */
  token: string;
  /** The chosen path, to show only. */
  name: string;
}

/** What a native dialog is for (src-tauri/src/files.rs `FileKind`): fixes its filter and read/write. */
export type FileKind = "backup" | "backup-save" | "spreadsheet" | "attachment" | "code-list" | "xlsx" | "csv" | "catalogue";

export interface FileDialogOptions {
  /** Dialog window title, already in the UI language. */
  title: string;
  /** Suggested file name or starting folder. */
  defaultPath?: string;
  /** Label of the file-type filter, already in the UI language. */
  filterName: string;
}

/** File extension of tracedesk database and backup files. */
export const BACKUP_EXTENSIONS = ["sqlite3", "db", "sqlite"];
