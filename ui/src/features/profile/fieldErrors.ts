// Errors shown under form fields, keyed by the back end's field names (`enterprise.uscc`). Kept as
// data, not as text, so they re-render in the other language when the clerk switches.

import type { ApiError, Language } from "../../api";
import type { Messages } from "../../i18n";
import { localMessage } from "../../lib/apiError";

export type FieldError =
  | { kind: "local"; text: (t: Messages) => string }
  | { kind: "api"; error: Pick<ApiError, "messageZh" | "messageEn"> };

export type FieldErrors = Partial<Record<string, FieldError>>;

export function fieldErrorText(error: FieldError | undefined, t: Messages, language: Language): string | undefined {
  if (!error) return undefined;
  return error.kind === "local" ? error.text(t) : localMessage(error.error, language, t.errors.noDetail);
}

/** The `data-testid` of the input for a back-end field name, for focusing it. */
export const FIELD_TEST_IDS: Record<string, string> = {
  "enterprise.name": "enterprise-name",
  "enterprise.uscc": "enterprise-uscc",
  "enterprise.address": "enterprise-address",
  "enterprise.contact": "enterprise-contact",
  "enterprise.phone": "enterprise-phone",
  "enterprise.licenceNo": "enterprise-licenceNo",
  "enterprise.productionAddress": "enterprise-productionAddress",
  "coding.gs1CompanyPrefix": "gs1-company-prefix",
  "coding.ecodePrefix": "ecode-prefix",
  "platform.url": "platform-url",
  "platform.appKey": "platform-app-key",
};

export function withoutField(errors: FieldErrors, field: string): FieldErrors {
  if (!(field in errors)) return errors;
  const next = { ...errors };
  delete next[field];
  return next;
}
