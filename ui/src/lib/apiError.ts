// How an `ApiError` reads for a person in the current language.

import type { ApiError, Language } from "../api";

/** The Rust message in `language`, falling back to the other language, then to `fallback`. */
export function localMessage(error: Pick<ApiError, "messageZh" | "messageEn">, language: Language, fallback = ""): string {
  const first = language === "en" ? error.messageEn : error.messageZh;
  const second = language === "en" ? error.messageZh : error.messageEn;
  return first.trim() || second.trim() || fallback;
}

/** The wizard step (0-based) that holds a form field such as `enterprise.uscc`, or `null`. */
export function stepOfField(field: string | null, steps: readonly string[]): number | null {
  if (!field) return null;
  const section = field.split(".")[0];
  const index = steps.indexOf(section);
  return index >= 0 ? index : null;
}
