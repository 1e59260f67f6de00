// A number the back end proposes for a new record's date (生产批号, 出库单号): asked again whenever
// the date changes or the next blank record starts, until the clerk types a number of their own.

import { useEffect, useState } from "react";
import { useBackend } from "../../api";
import type { Backend } from "../../api/backend";

export function useSuggestion<I>(options: {
  /** Asks the back end for the number of `date`. */
  suggest: (backend: Backend, date: string) => Promise<string>;
  date: string;
  /** An edited record keeps its number: no proposals. */
  editing: boolean;
  /** Changes when the next blank record starts (`useRecordForm`'s `round`): proposals again. */
  round: number;
  /** Where a proposal goes. */
  form: { setValue: (update: (value: I) => I) => void };
  field: keyof I & string;
}) {
  const backend = useBackend();
  const { date, round, form, field } = options;
  // The clerk typed a number (or the record is an edit): no more proposals, until the next record.
  const [touched, setTouched] = useState(options.editing);
  const [touchedRound, setTouchedRound] = useState(round);
  if (touchedRound !== round) {
    setTouchedRound(round);
    setTouched(false);
  }
  useEffect(() => {
    if (touched) return;
    let live = true;
    options.suggest(backend, date).then(
      (value) => live && form.setValue((d) => ({ ...d, [field]: value })),
      () => undefined,
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [backend, date, touched, round]);
  return { touched, edited: () => setTouched(true) };
}
