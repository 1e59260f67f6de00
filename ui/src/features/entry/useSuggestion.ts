// A number the back end proposes for a new record's date (生产批号, 出库单号): asked again whenever
// the date changes or the next blank record starts, until the clerk types a number of their own.

import { useEffect } from "react";
import { useBackend } from "../../api";
import type { Backend } from "../../api/backend";

export function useSuggestion(options: {
  /** Asks the back end for the number of `date`. */
  suggest: (backend: Backend, date: string) => Promise<string>;
  date: string;
  /** The clerk typed a number (or the record is an edit): no more proposals. */
  touched: boolean;
  /** Changes when the next blank record starts. */
  round: number;
  apply: (value: string) => void;
}) {
  const backend = useBackend();
  const { date, touched, round } = options;
  useEffect(() => {
    if (touched) return;
    let live = true;
    options.suggest(backend, date).then(
      (value) => live && options.apply(value),
      () => undefined,
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [backend, date, touched, round]);
}
