import { describe, expect, it } from "vitest";
import type { SubmitRecordResult } from "../../api/submissionApi";
import { mergeResults } from "./runResults";

const result = (outboxId: number, state: string): SubmitRecordResult => ({
  outboxId,
  idempotencyKey: outboxId.toString(16).padStart(64, "0"),
  kind: "commissioning",
  label: `item ${outboxId}`,
  state,
  receiptId: state === "accepted" ? `SIM-${outboxId}` : null,
  duplicate: false,
  code: state === "rejected" ? "E_FIELD" : null,
  reason: state === "rejected" ? "缺少字段" : null,
  pointer: null,
  fix: null,
});

describe("mergeResults", () => {
  it("replaces a record's earlier result with its newer one, in queue order", () => {
    const merged = mergeResults([result(2, "retry_wait"), result(1, "accepted")], [result(2, "accepted"), result(3, "rejected")]);
    expect(merged.map((r) => [r.outboxId, r.state])).toEqual([
      [1, "accepted"],
      [2, "accepted"],
      [3, "rejected"],
    ]);
  });

  it("keeps every rejection and only the newest accepted results beyond the bound", () => {
    const first = Array.from({ length: 6 }, (_, i) => result(i + 1, i === 1 ? "rejected" : "accepted"));
    const merged = mergeResults([], first, 3);
    expect(merged.map((r) => r.outboxId)).toEqual([2, 4, 5, 6]);
    const next = mergeResults(merged, [result(7, "accepted"), result(8, "rejected")], 3);
    expect(next.map((r) => r.outboxId)).toEqual([2, 5, 6, 7, 8]);
  });
});
