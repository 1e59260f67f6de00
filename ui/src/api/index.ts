// The UI's entry to the back end. Components get the backend from `useBackend()` (React context),
// so tests can hand in a replay of recorded answers; `defaultBackend()` decides at runtime which
// one the app uses.

import { createContext, useContext } from "react";
import type { Backend } from "./backend";
import { tauriBackend } from "./commands";
import { createReplayBackend, type Golden } from "./replay";
import demo from "./golden/demo.json";
import wizard from "./golden/setup-wizard.json";

export type { Backend, FileDialogOptions } from "./backend";
export { isApiError, toApiError } from "./call";
export type { ApiError } from "./bindings/ApiError";
export type { AppStatus } from "./bindings/AppStatus";
export type { AboutInfo } from "./bindings/AboutInfo";
export type { AutoBackupResult } from "./bindings/AutoBackupResult";
export type { BackupFile } from "./bindings/BackupFile";
export type { BackupStatus } from "./bindings/BackupStatus";
export type { DataFolder } from "./bindings/DataFolder";
export type { DiagnosticsResult } from "./bindings/DiagnosticsResult";
export type { BackupInfo } from "./bindings/BackupInfo";
export type { CodeScheme } from "./bindings/CodeScheme";
export type { CodingSettings } from "./bindings/CodingSettings";
export type { DbCheck } from "./bindings/DbCheck";
export type { Enterprise } from "./bindings/Enterprise";
export type { EnterpriseInput } from "./bindings/EnterpriseInput";
export type { ErrorCode } from "./bindings/ErrorCode";
export type { Granularity } from "./bindings/Granularity";
export type { Language } from "./bindings/Language";
export type { PlatformMode } from "./bindings/PlatformMode";
export type { PlatformSettings } from "./bindings/PlatformSettings";
export type { RestoreResult } from "./bindings/RestoreResult";
export type { SetupInput } from "./bindings/SetupInput";
export type { UsccCheck } from "./bindings/UsccCheck";

/** True inside the Tauri webview (Tauri v2 injects `__TAURI_INTERNALS__` before any script runs). */
export function isTauri(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

/**
 * The real back end inside Tauri; otherwise (`npm run dev` in a plain browser) a replay of answers
 * recorded from Rust: the `demo` scenario (set up, some data), or the first-run wizard with
 * `?setup=wizard`. A request the recording does not hold is answered with a bilingual ApiError.
 */
export function defaultBackend(): Backend {
  if (isTauri()) return tauriBackend;
  const params = new URLSearchParams(typeof location === "undefined" ? "" : location.search);
  const golden = (params.get("setup") === "wizard" ? wizard : demo) as Golden;
  return createReplayBackend(golden, { latencyMs: 60, lenient: true });
}

export const BackendContext = createContext<Backend | null>(null);

export function useBackend(): Backend {
  const backend = useContext(BackendContext);
  if (!backend) throw new Error("useBackend() outside <BackendContext.Provider>");
  return backend;
}
