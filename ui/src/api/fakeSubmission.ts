// The in-memory stand-in of submission and the archive, for browser-only dev and UI tests. It
// follows the Rust rules that the UI can see: a shipment whose customer has no USCC is listed in
// the checklist and rejected by the (fake) platform with `E_REQUIRED` until it is fixed; accepted
// records get a `SIM-` receipt; the archive holds one request and one response per batch.

import type {
  QueueTarget,
  ArchiveEntry,
  Checklist,
  ExportedFile,
  OutboxCounts,
  OutboxEntry,
  SubmissionApi,
  SubmitProgress,
  SubmitRecordResult,
  PlatformTest,
  SubmitSummary,
} from "./submissionApi";
// What the Rust side answered to a real connection test (written by the app crate's tests).
import recordedPlatformTest from "./golden/platformTest-ok.json";

// Recorded from Rust (`app` test `the_practice_queue_target_is_recorded_for_the_ui`).
import practiceTargetJson from "./golden/queue-target-practice.json";
const practiceTarget: QueueTarget = practiceTargetJson;

export interface FakeSubmissionControl {
  /** Gives the sample customer its USCC, as the clerk would on the parties screen. */
  fixCustomer(): void;
}

interface Source {
  kind: string;
  label: string;
  screen: string;
  id: number | null;
}

const SOURCES: Source[] = [
  { kind: "enterprise", label: "示例食品有限公司", screen: "settings", id: null },
  { kind: "product", label: "示例储水式电热水器 DSZF-60", screen: "products", id: 1 },
  { kind: "receiving", label: "电源线组件 S240701", screen: "receipts", id: 1 },
  { kind: "transformation", label: "示例储水式电热水器 批号 B20250715-01", screen: "production", id: 1 },
  { kind: "shipping", label: "出库单 CK-20250716-003（深圳示例商贸有限公司）", screen: "shipments", id: 1 },
];

const hex = (n: number) => n.toString(16).padStart(64, "0");

export function createFakeSubmission(now: () => Date): SubmissionApi & FakeSubmissionControl {
  let customerFixed = false;
  let rows: OutboxEntry[] = [];
  let archive: ArchiveEntry[] = [];
  let receipts = 0;
  let version = 0;

  const counts = (): OutboxCounts => {
    const c = { ready: 0, sending: 0, retry_wait: 0, accepted: 0, rejected: 0 };
    for (const r of rows) if (r.state in c) c[r.state as keyof OutboxCounts] += 1;
    return c;
  };
  const live = (s: Source) => rows.filter((r) => r.label === s.label && r.state !== "superseded").at(-1);
  const shipmentProblem = () => ({
    pointer: "/payload/customer/uscc",
    code: "missing-uscc",
    messageZh: "客户“深圳示例商贸有限公司”缺少统一社会信用代码，平台要求填写",
    messageEn: 'customer "深圳示例商贸有限公司" has no unified social credit code; the platform requires it',
    fix: { screen: "parties", id: 2, field: "uscc" },
  });
  const pending = () =>
    SOURCES.filter((s) => {
      const r = live(s);
      return !r || r.state === "ready" || (r.state === "rejected" && s.kind === "shipping" && customerFixed);
    });
  const stampNow = () => now().toISOString();
  const addArchive = (direction: string, keys: string[], body: string, status: number | null, outcome: string) => {
    const id = archive.length + 1;
    archive.push({
      id,
      at: stampNow(),
      direction,
      method: "POST",
      endpoint: "/api/v1/records:batch",
      status,
      requestId: status ? `req-${id}` : null,
      recordKeys: keys,
      headers: direction === "request" ? '{"X-App-Key":"practice","X-Nonce":"…","X-Timestamp":"…"}' : "{}",
      body,
      bodyTruncated: false,
      outcome,
      hash: hex(id * 7919),
      prevHash: hex((id - 1) * 7919),
    });
  };
  const exported = (path: string | null, name: string, records: number): ExportedFile => ({
    path: path ?? `memory://tracedesk/exports/${name}`,
    records,
    bytes: 4096 + records * 100,
    sha256: hex(records + 1),
    notes: [],
  });

  return {
    fixCustomer() {
      customerFixed = true;
    },
    async submissionChecklist(): Promise<Checklist> {
      const todo = pending();
      const items = todo
        .filter((s) => s.kind === "shipping" && !customerFixed)
        .map((s) => ({ kind: s.kind, label: s.label, record: { screen: s.screen, id: s.id, field: null }, problems: [shipmentProblem()] }));
      return { pending: todo.length, complete: todo.length - items.length, items, blocker: null };
    },
    async submitRecords(_request, onProgress: (p: SubmitProgress) => void): Promise<SubmitSummary> {
      const todo = pending();
      for (const s of todo) {
        const old = live(s);
        if (old) old.state = "superseded";
        version += 1;
        rows.push({
          id: rows.length + 1,
          kind: s.kind,
          label: s.label,
          productName: s.kind === "enterprise" || s.kind === "receiving" ? null : "示例储水式电热水器",
          eventDate: "2025-07-16",
          state: "ready",
          attempts: 0,
          idempotencyKey: hex(version),
          receiptId: null,
          acceptedAt: null,
          duplicate: false,
          rejectCode: null,
          rejectReason: null,
          rejectPointer: null,
          lastError: null,
          nextAttemptAt: null,
          corrects: null,
          correctionOpen: false,
          fix: { screen: s.screen, id: s.id, field: null },
        });
      }
      const batch = rows.filter((r) => r.state === "ready");
      const results: SubmitRecordResult[] = [];
      addArchive("request", batch.map((r) => r.idempotencyKey), '{"records":[…]}', null, "");
      for (const r of batch) {
        r.attempts += 1;
        if (r.kind === "shipping" && !customerFixed) {
          r.state = "rejected";
          r.rejectCode = "E_REQUIRED";
          r.rejectReason = "缺少必填字段：/payload/customer/uscc";
          r.rejectPointer = "/payload/customer/uscc";
          r.fix = { screen: "parties", id: 2, field: "uscc" };
        } else {
          receipts += 1;
          r.state = "accepted";
          r.receiptId = `SIM-${String(receipts).padStart(12, "0")}`;
          r.acceptedAt = stampNow();
        }
        results.push({
          outboxId: r.id,
          idempotencyKey: r.idempotencyKey,
          kind: r.kind,
          label: r.label,
          state: r.state,
          receiptId: r.receiptId,
          duplicate: false,
          code: r.rejectCode,
          reason: r.rejectReason,
          pointer: r.rejectPointer,
          fix: r.state === "rejected" ? r.fix : null,
        });
      }
      addArchive("response", batch.map((r) => r.idempotencyKey), '{"results":[…]}', 200, "ok");
      const accepted = results.filter((r) => r.state === "accepted").length;
      const rejected = results.length - accepted;
      onProgress({
        phase: "sending",
        total: batch.length,
        done: batch.length,
        accepted,
        rejected,
        waiting: 0,
        waitSecs: null,
        messageZh: "正在报送",
        messageEn: "submitting",
        results,
      });
      return {
        runId: "fake",
        platform: "memory://practice/api/v1",
        practice: true,
        queued: todo.length,
        accepted,
        duplicates: 0,
        rejected,
        waiting: 0,
        reconciled: 0,
        held: 0,
        requests: batch.length ? 1 : 0,
        elapsedMs: 5,
        stop: "done",
        messageZh: `本次接收 ${accepted} 条，拒收 ${rejected} 条，仍在排队 0 条。全部记录已有平台答复。`,
        messageEn: `${accepted} accepted, ${rejected} rejected, 0 still queued. Every record has the platform's answer.`,
        results,
        resultsOmitted: 0,
        counts: counts(),
      };
    },
    async cancelSubmission() {},
    async listOutbox(query) {
      const shown = rows.filter((r) => r.state !== "superseded" && (query.states.length === 0 || query.states.includes(r.state)));
      return { rows: [...shown].reverse(), total: shown.length, counts: counts(), target: practiceTarget, lease: null };
    },
    async retryRejected(ids: number[]) {
      let n = 0;
      for (const r of rows) if (ids.includes(r.id) && r.state === "rejected") (r.state = "ready"), (n += 1);
      return n;
    },
    async openCorrection(id: number) {
      const r = rows.find((x) => x.id === id);
      if (!r || r.state !== "accepted") {
        throw { code: "invalidState", messageZh: "只有平台已接收的记录需要更正", messageEn: "only accepted records need a correction", field: null };
      }
      r.correctionOpen = true;
      return r;
    },
    async listArchive() {
      return { rows: [...archive].reverse(), total: archive.length };
    },
    async archiveEntry(id: number) {
      const e = archive.find((x) => x.id === id);
      if (!e) throw { code: "notFound", messageZh: `档案条目 ${id} 不存在`, messageEn: `archive entry ${id} not found`, field: null };
      return e;
    },
    async verifyArchive() {
      const accepted = rows.filter((r) => r.state === "accepted").length;
      return {
        ok: true,
        chain_ok: true,
        entries: archive.length,
        first_bad: null,
        reason: null,
        reason_zh: null,
        last_hash: archive.at(-1)?.hash ?? "0".repeat(64),
        records_checked: accepted,
        records_mismatched: 0,
        record_first_bad: null,
        record_reason_zh: null,
        record_reason_en: null,
      };
    },
    async exportSubmissionReport(_from, _to, path) {
      return exported(path, "报送报表.xlsx", rows.length);
    },
    async exportEvidencePack(_from, _to, path) {
      return exported(path, "证据包.zip", rows.length);
    },
    async exportEpcis(path) {
      return exported(path, "EPCIS.jsonld", rows.length);
    },
    async exportUploadWorkbook(path) {
      return exported(path, "上传数据.xlsx", rows.length);
    },
    async credentialStatus() {
      return { store: "practice", appKey: "practice", hasSecret: true, warningZh: null, warningEn: null };
    },
    async savePlatformSecret() {
      return { store: "file", appKey: "key", hasSecret: true, warningZh: "未找到系统钥匙串", warningEn: "No system keychain was found" };
    },
    async testPlatform() {
      return recordedPlatformTest as PlatformTest;
    },
  };
}
