// The state of one entry form: the input, which fields the clerk has touched, the live problems
// (shown for touched fields, and for all of them after a save attempt), and saving.

import { useCallback, useMemo, useState } from "react";
import { toApiError } from "../../api";
import type { FieldProblem } from "../../api/bindings/FieldProblem";
import { useErrorNotice } from "../../components/useErrorNotice";
import { problemFromError } from "./problems";
import { useLiveCheck } from "./useLiveCheck";

const root = (field: string) => field.split(".")[0];

/** Focuses the control of `field` (an element inside `[data-field=…]`), e.g. after a refused save. */
export function focusField(field: string) {
  const wrapper =
    document.querySelector(`[data-field="${field}"]`) ?? document.querySelector(`[data-field="${root(field)}"]`);
  const control = wrapper?.querySelector<HTMLElement>("input, textarea, select, button");
  control?.focus();
}

export function useEntry<I, R>(options: {
  initial: I;
  check: (input: I) => Promise<FieldProblem[]>;
  save: (input: I) => Promise<R>;
  onSaved: (result: R) => void;
  enabled: boolean;
}) {
  const notifyError = useErrorNotice();
  const [value, setValue] = useState<I>(options.initial);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveProblem, setSaveProblem] = useState<FieldProblem | null>(null);
  const live = useLiveCheck(value, options.check, options.enabled);

  const problems = useMemo(() => {
    const all = [...(live ?? [])];
    // The same problem (field + code) from the live check and the save is shown once; messages
    // are text to show, not keys.
    if (saveProblem && !all.some((p) => p.field === saveProblem.field && p.code === saveProblem.code)) {
      all.push(saveProblem);
    }
    return showAll ? all : all.filter((p) => touched.has(root(p.field)));
  }, [live, saveProblem, showAll, touched]);

  const set = useCallback((patch: Partial<I>) => {
    setValue((v) => ({ ...v, ...patch }));
    setTouched((t) => {
      const next = new Set(t);
      for (const k of Object.keys(patch)) next.add(k);
      return next;
    });
    setSaveProblem(null);
  }, []);

  const reset = useCallback((initial: I) => {
    setValue(initial);
    setTouched(new Set());
    setShowAll(false);
    setSaveProblem(null);
  }, []);

  const save = async () => {
    setShowAll(true);
    setSaving(true);
    try {
      const result = await options.save(value);
      options.onSaved(result);
    } catch (reason) {
      const error = toApiError(reason);
      const problem = error.code === "invalidInput" ? problemFromError(error) : null;
      if (problem) {
        setSaveProblem(problem);
        focusField(problem.field);
      } else {
        notifyError(error);
      }
    } finally {
      setSaving(false);
    }
  };

  const hasErrors = problems.some((p) => p.severity === "error");
  return { value, set, setValue, reset, problems, saving, save, hasErrors };
}
