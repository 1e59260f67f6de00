// What a step the clerk ran (a test, a download, a print) ended with when the back end refused it:
// the API error inline, in the UI language; and the state of such steps, one at a time.

import { Alert } from "antd";
import { useState } from "react";
import { toApiError, type ApiError } from "../api";
import { useLanguage, useT } from "../i18n";
import { localMessage } from "../lib/apiError";

/** The error as an inline alert; nothing without one. */
export function ErrorAlert({ error, testId }: { error: ApiError | null; testId: string }) {
  const t = useT();
  const language = useLanguage();
  if (!error) return null;
  return <Alert type="error" showIcon className="result-alert" data-testid={testId} title={localMessage(error, language, t.errors.noDetail)} />;
}

/** Steps run one at a time: `step` is the running one's (`idle` when none runs); `error` what
 * the last one was refused with, cleared when the next starts. */
export function useStep<S>(idle: S) {
  const [step, setStep] = useState<S>(idle);
  const [error, setError] = useState<ApiError | null>(null);
  const run = async (next: S, work: () => Promise<void>) => {
    setStep(next);
    setError(null);
    try {
      await work();
    } catch (reason) {
      setError(toApiError(reason));
    } finally {
      setStep(idle);
    }
  };
  return { step, error, setError, run };
}
