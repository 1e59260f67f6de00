// One typed wrapper per Rust command (src-tauri/src/commands.rs). Names are the Rust command names
// in camelCase; arguments are camelCase, as Tauri v2 maps them onto the Rust parameters.

import { open, save } from "@tauri-apps/plugin-dialog";
import type { AppStatus } from "./bindings/AppStatus";
import type { BackupFile } from "./bindings/BackupFile";
import type { BackupInfo } from "./bindings/BackupInfo";
import type { DbCheck } from "./bindings/DbCheck";
import type { Enterprise } from "./bindings/Enterprise";
import type { EnterpriseInput } from "./bindings/EnterpriseInput";
import type { Language } from "./bindings/Language";
import type { SetupInput } from "./bindings/SetupInput";
import type { UsccCheck } from "./bindings/UsccCheck";
import { BACKUP_EXTENSIONS, type Backend, type FileDialogOptions } from "./backend";
import { call, toApiError } from "./call";

export const appStatus = () => call<AppStatus>("app_status");
export const checkUscc = (text: string) => call<UsccCheck>("check_uscc", { text });
export const completeSetup = (input: SetupInput) => call<AppStatus>("complete_setup", { input });
export const saveEnterprise = (input: EnterpriseInput) => call<Enterprise>("save_enterprise", { input });
export const setLanguage = (language: Language) => call<AppStatus>("set_language", { language });
export const dbCheck = () => call<DbCheck>("db_check");
export const backupDatabase = (path: string | null) => call<BackupInfo>("backup_database", { path });
export const listBackups = () => call<BackupFile[]>("list_backups");
export const restoreDatabase = (path: string) => call<AppStatus>("restore_database", { path });

async function dialog<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (reason) {
    throw toApiError(reason);
  }
}

export const chooseBackupDestination = (options: FileDialogOptions) =>
  dialog(() =>
    save({
      title: options.title,
      defaultPath: options.defaultPath,
      filters: [{ name: options.filterName, extensions: BACKUP_EXTENSIONS }],
    }),
  );

export const chooseBackupFile = async (options: FileDialogOptions): Promise<string | null> => {
  const picked = await dialog(() =>
    open({
      title: options.title,
      defaultPath: options.defaultPath,
      multiple: false,
      directory: false,
      filters: [{ name: options.filterName, extensions: BACKUP_EXTENSIONS }],
    }),
  );
  return typeof picked === "string" ? picked : null;
};

/** The real back end: the Rust commands of the desktop shell. */
export const tauriBackend: Backend = {
  kind: "tauri",
  appStatus,
  checkUscc,
  completeSetup,
  saveEnterprise,
  setLanguage,
  dbCheck,
  backupDatabase,
  listBackups,
  restoreDatabase,
  chooseBackupDestination,
  chooseBackupFile,
};
