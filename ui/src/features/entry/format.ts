// How quantities read in lists and forms.

import { formatNumber } from "../../i18n/numbers";

/** `1,200 kg`, `80.25 个`; no needless decimals. */
export function formatQuantity(q: number | null | undefined, unit: string): string {
  if (q === null || q === undefined || Number.isNaN(q)) return "—";
  const n = formatNumber(q);
  return unit ? `${n} ${unit}` : n;
}
