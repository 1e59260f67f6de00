// The one place that calls Tauri's `invoke`. Every rejection comes out as an `ApiError`, whatever
// the Rust side, Tauri itself or the JS runtime threw: the UI then only ever branches on `code`.

import { invoke, type InvokeArgs } from "@tauri-apps/api/core";
import type { ApiError } from "./bindings/ApiError";
import type { ErrorCode } from "./bindings/ErrorCode";

const ERROR_CODES: readonly ErrorCode[] = [
  "invalidInput",
  "invalidState",
  "notFound",
  "unreadableFile",
  "storage",
  "internal",
];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}

/** True for a value that already has the full `ApiError` shape. */
export function isApiError(value: unknown): value is ApiError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    isErrorCode(v.code) &&
    typeof v.messageZh === "string" &&
    typeof v.messageEn === "string" &&
    (v.field === null || typeof v.field === "string")
  );
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/**
 * Turns anything a promise may reject with into an `ApiError`. A missing or unknown code becomes
 * `"internal"`; a missing message in one language falls back to the other, then to whatever text
 * the rejection carried (Tauri rejects with a bare string, e.g. when a command does not exist).
 * The messages may then be empty: the UI shows its own text for the code in that case.
 */
export function toApiError(reason: unknown): ApiError {
  if (isApiError(reason)) return reason;
  if (typeof reason === "string") {
    return { code: "internal", messageZh: reason, messageEn: reason, field: null };
  }
  if (reason instanceof Error) {
    return { code: "internal", messageZh: reason.message, messageEn: reason.message, field: null };
  }
  if (typeof reason === "object" && reason !== null) {
    const r = reason as Record<string, unknown>;
    const fallback = text(r.message) ?? text(r.error) ?? "";
    const zh = text(r.messageZh) ?? text(r.messageEn) ?? fallback;
    const en = text(r.messageEn) ?? text(r.messageZh) ?? fallback;
    return {
      code: isErrorCode(r.code) ? r.code : "internal",
      messageZh: zh,
      messageEn: en,
      field: text(r.field) ?? null,
    };
  }
  const shown = reason === undefined || reason === null ? "" : String(reason);
  return { code: "internal", messageZh: shown, messageEn: shown, field: null };
}

/** Calls a Rust command; rejects only with an `ApiError`. */
export async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw toApiError(reason);
  }
}

/**
 * How `commands.ts` reaches Rust: a command call, a progress channel to pass as an argument and
 * an event subscription. Tauri's IPC in the app (`tauriTransport`); the replay of recorded
 * answers in tests and in a plain browser (`replay.ts`).
 */
export interface Transport {
  call<T>(command: string, args?: InvokeArgs): Promise<T>;
  /** A channel argument whose messages go to `onMessage` (Tauri's `Channel`). */
  channel<T>(onMessage: (message: T) => void): unknown;
  listen<T>(event: string, handler: (payload: T) => void): Promise<() => void>;
}
