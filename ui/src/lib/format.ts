// Display formatting. Pure: the language is a parameter.

/**
 * A byte count for people: `1.2 MB`. Accepts `bigint` (what ts-rs declares for `u64`) and `number`
 * (what JSON actually delivers at run time).
 */
export function formatBytes(bytes: bigint | number): string {
  const n = Number(bytes);
  if (!Number.isFinite(n) || n < 0) return "—";
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value < 10 ? 1 : 0;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * An RFC 3339 time as local `2025-11-25 14:03` (the form both Chinese and English clerks read in
 * Excel). Text that is not a time is shown as it is.
 */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (iso.trim() === "" || Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A suggested file name for "save backup as": `tracedesk-backup-20251125-1403.sqlite3` (local time). */
export function backupFileName(date: Date): string {
  return `tracedesk-backup-${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(
    date.getHours(),
  )}${pad(date.getMinutes())}.sqlite3`;
}
