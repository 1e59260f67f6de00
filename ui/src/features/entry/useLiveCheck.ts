// Validation as the clerk types: the back end's check of the whole form, debounced, the answer to
// an older input never overwriting a newer one.

import { useEffect, useRef, useState } from "react";

export function useLiveCheck<I, R>(input: I, check: (input: I) => Promise<R>, enabled: boolean, delayMs = 250): R | null {
  const [result, setResult] = useState<R | null>(null);
  const seq = useRef(0);
  const key = JSON.stringify(input);
  useEffect(() => {
    if (!enabled) return;
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      check(input).then(
        (r) => {
          if (mine === seq.current) setResult(r);
        },
        () => {
          // A failed check shows nothing: saving reports the real error.
        },
      );
    }, delayMs);
    return () => clearTimeout(timer);
    // `key` stands for `input`; `check` is stable per form.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, enabled, delayMs]);
  return result;
}
