// Field-level problems from the back end (`FieldProblem`), shown next to their fields.

import type { ReactNode } from "react";
import type { FieldProblem } from "../../api/bindings/FieldProblem";
import type { Language } from "../../api";

/** The problems of `field` (exact), errors first. */
export function problemsOf(problems: readonly FieldProblem[], field: string): FieldProblem[] {
  return problems
    .filter((p) => p.field === field)
    .sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
}

/** antd `validateStatus` for a field. */
export function statusOf(problems: readonly FieldProblem[], field: string): "error" | "warning" | undefined {
  const own = problemsOf(problems, field);
  if (own.some((p) => p.severity === "error")) return "error";
  if (own.length > 0) return "warning";
  return undefined;
}

/** The messages of a field, one per line, in the UI language; `undefined` when there are none. */
export function helpOf(
  problems: readonly FieldProblem[],
  field: string,
  language: Language,
  testId?: string,
): ReactNode | undefined {
  const own = problemsOf(problems, field);
  if (own.length === 0) return undefined;
  return (
    <span data-testid={testId} className="field-problems">
      {own.map((p, i) => (
        <span key={i} className={`field-problem field-problem-${p.severity}`}>
          {language === "en" ? p.messageEn || p.messageZh : p.messageZh || p.messageEn}
        </span>
      ))}
    </span>
  );
}

/** A field error reported by a save (`ApiError.field`) as a problem, so it shows like the others. */
export function problemFromError(error: { field: string | null; messageZh: string; messageEn: string; code: string }): FieldProblem | null {
  if (!error.field) return null;
  return { field: error.field, severity: "error", code: error.code, messageZh: error.messageZh, messageEn: error.messageEn };
}
