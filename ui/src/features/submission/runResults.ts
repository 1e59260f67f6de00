// The run's per-record results as the screen keeps them while progress arrives: every record that
// is not accepted (what the clerk acts on) and the newest accepted ones, so that a run of 100 000
// records does not pile 100 000 rows into the page. Mirrors the bound the back end applies to the
// run's summary (`results` plus `resultsOmitted`).

import type { SubmitRecordResult } from "../../api/submissionApi";

/** Accepted results kept, and other results kept, like the back end's `RESULTS_KEPT`. */
export const RESULTS_KEPT = 1000;

/** `prev` updated with `incoming` (a record's newer result replaces its older one), in queue order. */
export function mergeResults(prev: SubmitRecordResult[], incoming: SubmitRecordResult[], kept = RESULTS_KEPT): SubmitRecordResult[] {
  const byId = new Map(prev.map((r) => [r.outboxId, r]));
  for (const r of incoming) byId.set(r.outboxId, r);
  const all = [...byId.values()].sort((a, b) => a.outboxId - b.outboxId);
  const accepted = all.filter((r) => r.state === "accepted");
  const others = all.filter((r) => r.state !== "accepted");
  const keep = new Set([...others.slice(0, kept), ...accepted.slice(-kept)].map((r) => r.outboxId));
  return all.filter((r) => keep.has(r.outboxId));
}
