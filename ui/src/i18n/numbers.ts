// Numbers as the clerk reads them: digits grouped by thousands with commas ("1,000,000"), the
// same in both languages. Written here rather than with toLocaleString(): the WebView's default
// locale follows the system's (often C/POSIX on Linux, which groups nothing), and the UI must read
// the same on every machine.

/** `1234567` → `1,234,567`; `80.25` → `80.25`; at most `maxDecimals` decimals, no trailing zeros. */
export function formatNumber(n: number, maxDecimals = 4): string {
  if (!Number.isFinite(n)) return String(n);
  const fixed = Number(n.toFixed(maxDecimals)).toString();
  const [whole, fraction] = fixed.split(".");
  const sign = whole.startsWith("-") ? "-" : "";
  const digits = sign ? whole.slice(1) : whole;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction ? `${sign}${grouped}.${fraction}` : `${sign}${grouped}`;
}
