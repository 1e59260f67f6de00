// Live 统一社会信用代码 validation: asks the back end (`check_uscc`) ~150 ms after the clerk stops
// typing. Answers to older text are dropped, so a slow reply never overwrites a newer one.

import { useCallback, useEffect, useRef, useState } from "react";
import { useBackend, type UsccCheck } from "../../api";

export const USCC_DEBOUNCE_MS = 150;

export interface UsccCheckState {
  /** The latest verdict; it may be for the text as it was one keystroke ago. */
  check: UsccCheck | null;
  /** The text `check` is about. */
  checkedText: string | null;
  /** Checks the current text right away (before "next" or "save"). */
  checkNow: () => Promise<UsccCheck>;
}

export function useUsccCheck(text: string, delayMs = USCC_DEBOUNCE_MS): UsccCheckState {
  const backend = useBackend();
  const [result, setResult] = useState<{ text: string; check: UsccCheck } | null>(null);
  const sequence = useRef(0);
  const latestText = useRef(text);
  latestText.current = text;

  const run = useCallback(
    async (value: string) => {
      const id = ++sequence.current;
      const check = await backend.checkUscc(value);
      if (id === sequence.current) setResult({ text: value, check });
      return check;
    },
    [backend],
  );

  useEffect(() => {
    const timer = setTimeout(() => {
      // A failed check is not the clerk's problem here; saving validates again and reports it.
      run(text).catch(() => undefined);
    }, delayMs);
    return () => clearTimeout(timer);
  }, [text, run, delayMs]);

  const checkNow = useCallback(() => run(latestText.current), [run]);
  return { check: result?.check ?? null, checkedText: result?.text ?? null, checkNow };
}
