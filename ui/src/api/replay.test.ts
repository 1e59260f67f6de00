// @vitest-environment node
// The replay's matching rules, over a hand-made golden (the shapes only; the answers screens see
// come from Rust, api/golden/).
import { describe, expect, it } from "vitest";
import type { ApiError } from "./bindings/ApiError";
import { createReplayBackend, type Golden } from "./replay";

const QUERY = { search: "", sort: null, descending: false, offset: 0, limit: 100, inspection: null, kind: null, from: null, to: null };
const refusal: ApiError = { code: "invalidInput", messageZh: "请填写供应商", messageEn: "supplier is required", field: "supplierName" };

const golden: Golden = {
  scenario: "rules",
  exchanges: [
    { command: "list_receipts", args: { query: QUERY }, ok: { rows: [], total: 0 } },
    { command: "add_receipt", args: { input: { supplierLot: "" } }, err: refusal },
    { command: "add_receipt", args: { input: { supplierLot: "V1" } }, ok: { id: 1 } },
    { command: "list_receipts", args: { query: QUERY }, ok: { rows: [{ id: 1 }], total: 1 } },
    { command: "app_status", args: null, ok: { setUp: true } },
    {
      command: "import_undo",
      args: { runId: 3 },
      ok: { undone: 2 },
      progress: [{ done: 1 }, { done: 2 }],
    },
  ],
};

describe("replay", () => {
  it("delivers an emitted event to the screen's listeners until they unsubscribe", async () => {
    const backend = createReplayBackend(golden);
    const heard: unknown[] = [];
    expect(backend.replay.listening("tracedesk://file-drop")).toBe(false);
    const off = await backend.onFileDrop((files) => heard.push(files));
    expect(backend.replay.listening("tracedesk://file-drop")).toBe(true);
    backend.replay.emit("tracedesk://file-drop", [{ token: "file-1", name: "a.xlsx" }]);
    off();
    backend.replay.emit("tracedesk://file-drop", [{ token: "file-2", name: "b.xlsx" }]);
    expect(heard).toEqual([[{ token: "file-1", name: "a.xlsx" }]]);
    expect(backend.replay.listening("tracedesk://file-drop")).toBe(false);
  });

  it("moves forward through a state change and re-reads the latest state passed", async () => {
    const backend = createReplayBackend(golden);
    expect((await backend.listReceipts(QUERY)).total).toBe(0);
    await backend.addReceipt({ supplierLot: "V1" } as never);
    expect((await backend.listReceipts(QUERY)).total).toBe(1);
    // Nothing ahead: the latest matching exchange before the position.
    await backend.appStatus();
    expect((await backend.listReceipts(QUERY)).total).toBe(1);
    expect(backend.replay.calls.map((c) => c.command)).toEqual([
      "list_receipts",
      "add_receipt",
      "list_receipts",
      "app_status",
      "list_receipts",
    ]);
  });

  it("rejects with the recorded ApiError", async () => {
    const backend = createReplayBackend(golden);
    await expect(backend.addReceipt({ supplierLot: "" } as never)).rejects.toEqual(refusal);
  });

  it("throws, naming the command, its arguments and the nearest recorded ones, for a request never recorded", async () => {
    const backend = createReplayBackend(golden);
    const attempt = backend.addReceipt({ supplierLot: "V2" } as never);
    await expect(attempt).rejects.toThrow(/add_receipt \{"input":\{"supplierLot":"V2"\}\}; nearest recorded args: \{"input":\{"supplierLot":""\}\}/);
    await expect(backend.checkGtin("1")).rejects.toThrow(/records no check_gtin at all/);
    expect(backend.replay.misses).toHaveLength(2);
  });

  it("answers an unrecorded request with a bilingual ApiError in the browser demo", async () => {
    const backend = createReplayBackend(golden, { lenient: true });
    const error = await backend.checkGtin("1").then(
      () => null,
      (e: unknown) => e as ApiError,
    );
    expect(error?.code).toBe("internal");
    expect(error?.messageZh).toContain("check_gtin");
    expect(error?.messageEn).toContain("check_gtin");
  });

  it("delivers the recorded progress to the channel argument before the answer", async () => {
    const backend = createReplayBackend(golden);
    const seen: unknown[] = [];
    const result = await backend.importUndo(3, (p) => seen.push(p));
    expect(seen).toEqual([{ done: 1 }, { done: 2 }]);
    expect(result).toEqual({ undone: 2 });
  });
});
