// The in-memory stand-in of coding (赋码), for browser-only dev and UI tests. It follows the Rust
// rules the UI can see: sequential serials continue across runs and never repeat, a product with
// codes keeps its granularity, a void code cannot be voided or reprinted again, and the 码检查 box
// finds a wrong GS1 check digit with its AI and position. It does not draw real barcodes.

import type {
  Allocation,
  CodeCheck,
  CodeCheckProblem,
  CodeEvent,
  CodeEventInput,
  CodeGenerateInput,
  CodeGenerateProgress,
  CodeGenerateSummary,
  CodePreview,
  CodingApi,
  CodingBatch,
  LabelPreview,
  LabelPreviewInput,
  ProductCoding,
  ProductCodingInput,
} from "./codingApi";
import type { ApiError } from "./bindings/ApiError";

const GS = "\u001d";

/** GS1 mod-10 check digit of the digits before it. */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i += 1) {
    const digit = Number(body[body.length - 1 - i]);
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

const FIXED: Record<string, number> = { "00": 18, "01": 14, "02": 14, "11": 6, "13": 6, "15": 6, "17": 6 };

function problem(ai: string | null, position: number | null, code: string, zh: string, en: string): CodeCheckProblem {
  return { ai, position, code, severity: "error", messageZh: zh, messageEn: en };
}

/** A small GS1 reader: bracketed, raw with GS (after a `]d2`/`]Q3`/`]C1` prefix) or Digital Link. */
export function fakeCheck(input: string): CodeCheck {
  let text = input.trim();
  const fields: Record<string, string> = {};
  const problems: CodeCheckProblem[] = [];
  let offset = input.length - input.trimStart().length;
  let scheme = "gs1-element-string";
  const symbology = /^\][A-Za-z]\d/.exec(text);
  if (symbology) {
    fields.symbology = symbology[0];
    text = text.slice(3);
    offset += 3;
  }
  const pairs: [string, string, number][] = [];
  if (text.startsWith("(")) {
    const re = /\((\d{2,4})\)([^(]*)/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) pairs.push([m[1], m[2], m.index + m[1].length + 2]);
  } else if (/^https?:\/\//i.test(text)) {
    scheme = "gs1-digital-link";
    const path = text.replace(/^https?:\/\/[^/]+/i, "").split("?")[0].split("/").filter(Boolean);
    for (let i = 0; i + 1 < path.length; i += 2) pairs.push([path[i], decodeURIComponent(path[i + 1]), 0]);
  } else if (/^\d/.test(text)) {
    let i = 0;
    while (i < text.length) {
      const ai = text.slice(i, i + 2);
      const start = i + 2;
      let end = FIXED[ai] ? start + FIXED[ai] : text.indexOf(GS, start);
      if (end < 0) end = text.length;
      pairs.push([ai, text.slice(start, end), start]);
      i = end + (text[end] === GS ? 1 : 0);
    }
  } else if (text.length > 0) {
    return { valid: true, scheme: "digital-id", fields: { value: text }, problems: [] };
  }
  if (pairs.length === 0) {
    problems.push(problem(null, null, "input.empty", "没有输入编码", "the text is empty"));
  }
  for (const [ai, value, at] of pairs) {
    fields[ai] = value;
    if (ai === "01") {
      const expected = gs1CheckDigit(value.slice(0, 13));
      if (!/^\d{14}$/.test(value)) {
        problems.push(problem("01", offset + at + 1, "gs1.length", `(01) 应为 14 位数字`, "(01) is 14 digits"));
      } else if (Number(value[13]) !== expected) {
        const position = offset + at + 14;
        problems.push(
          problem(
            "01",
            position,
            "gs1.check-digit",
            `(01) 第 ${position} 位：校验码应为 ${expected}，实际为 ${value[13]}`,
            `(01) at position ${position}: check digit is ${value[13]}, expected ${expected}`,
          ),
        );
      }
    }
  }
  return { valid: problems.length === 0, scheme, fields, problems };
}

interface FakeProduct {
  coding: ProductCoding;
  batches: CodingBatch[];
}

const fail = (code: ApiError["code"], messageZh: string, messageEn: string, field: string | null = null): ApiError => ({
  code,
  messageZh,
  messageEn,
  field,
});

function gtin(body13: string): string {
  return body13 + gs1CheckDigit(body13);
}

function sampleProducts(): FakeProduct[] {
  const base = {
    codeForm: "element-string" as const,
    dlStem: "https://id.gs1.org",
    serialMode: "sequential" as const,
    serialPattern: "{seq:08}",
    randomLength: 12,
    itemWithLot: true,
    withProductionDate: false,
    shelfLifeDays: null,
    issued: 0,
    granularityLocked: false,
  };
  return [
    {
      coding: {
        ...base,
        productId: 1,
        name: "储水式电热水器",
        model: "DSZF-60",
        gtin: gtin("0690123456789"),
        scheme: "gs1",
        granularity: "item",
      },
      batches: [
        { id: 1, productId: 1, lotNo: "B20250715-01", producedOn: "2025-07-15", quantity: 500, unit: "台", issued: 0 },
        { id: 2, productId: 1, lotNo: "B20250716-01", producedOn: "2025-07-16", quantity: 300, unit: "台", issued: 0 },
      ],
    },
    {
      coding: {
        ...base,
        productId: 2,
        name: "聚氯乙烯绝缘电线",
        model: "BV-2.5",
        gtin: gtin("0690123456790"),
        scheme: "gs1",
        granularity: "batch",
      },
      batches: [{ id: 3, productId: 2, lotNo: "L2025-07", producedOn: "2025-07-10", quantity: 100, unit: "卷", issued: 0 }],
    },
  ];
}

export function createFakeCoding(now: () => Date): CodingApi {
  const products = sampleProducts();
  const nextSeq = new Map<number, number>();
  const allocations: Allocation[] = [];
  const events: CodeEvent[] = [];
  const voided = new Set<string>();
  const cancels = new Map<string, boolean>();

  const find = (id: number) => {
    const p = products.find((x) => x.coding.productId === id);
    if (!p) throw fail("notFound", `找不到产品（编号 ${id}）`, `product #${id} not found`);
    return p;
  };
  const serial = (p: FakeProduct, seq: number) => {
    const width = /\{seq:0?(\d+)\}/.exec(p.coding.serialPattern)?.[1];
    return width ? String(seq).padStart(Number(width), "0") : String(seq);
  };
  const codeOf = (p: FakeProduct, batch: CodingBatch | undefined, s: string | null) => {
    const g = p.coding.gtin ?? "";
    if (p.coding.codeForm === "digital-link") {
      let uri = `${p.coding.dlStem}/01/${g}`;
      if (batch && (p.coding.granularity === "batch" || p.coding.itemWithLot)) uri += `/10/${batch.lotNo}`;
      if (s) uri += `/21/${s}`;
      return uri;
    }
    let code = `(01)${g}`;
    if (batch && (p.coding.granularity === "batch" || (p.coding.granularity === "item" && p.coding.itemWithLot)))
      code += `(10)${batch.lotNo}`;
    if (s) code += `(21)${s}`;
    return code;
  };
  const hriOf = (code: string) => {
    const check = fakeCheck(code);
    return Object.entries(check.fields)
      .filter(([k]) => /^\d+$/.test(k))
      .map(([k, v]) => `(${k}) ${v}`)
      .join("\n");
  };
  const batchOf = (p: FakeProduct, batchId: number | null) => {
    if (p.coding.granularity === "product") return undefined;
    const batch = p.batches.find((b) => b.id === batchId);
    if (!batch)
      throw fail("invalidInput", `“${p.coding.name}”请先选择批次`, "choose a batch first", "batchId");
    return batch;
  };

  return {
    async checkCode(text) {
      return fakeCheck(text);
    },
    async codingProducts() {
      return products.map((p) => p.coding);
    },
    async saveProductCoding(productId: number, input: ProductCodingInput) {
      const p = find(productId);
      if (input.granularity && input.granularity !== p.coding.granularity && p.coding.granularityLocked) {
        throw fail(
          "invalidState",
          `“${p.coding.name}”已有 ${p.coding.issued} 个追溯码，赋码方案和粒度不能再改`,
          "this product has codes; its granularity can no longer change",
          "granularity",
        );
      }
      p.coding = { ...p.coding, ...input, granularity: input.granularity ?? p.coding.granularity };
      return p.coding;
    },
    async codingBatches(productId) {
      return find(productId).batches;
    },
    async previewCodes(productId, batchId, count): Promise<CodePreview> {
      const p = find(productId);
      const batch = batchOf(p, batchId);
      const item = p.coding.granularity === "item";
      const start = nextSeq.get(productId) ?? 1;
      const n = item ? Math.min(count, 20) : 1;
      const codes = Array.from({ length: n }, (_, i) => {
        const s = item ? serial(p, start + i) : null;
        const code = codeOf(p, batch, s);
        return { code, hri: hriOf(code), serial: s };
      });
      return {
        granularity: p.coding.granularity,
        scheme: p.coding.scheme,
        codeForm: p.coding.codeForm,
        codes,
        available: null,
        noteZh: item ? "序列号为账本中接下来的号码，生成时才正式占用" : "同一批次的每个标签印同一个码",
        noteEn: item ? "the serials are the ledger's next ones" : "every label of the batch carries the same code",
      };
    },
    async generateCodes(
      input: CodeGenerateInput,
      target: string | null,
      onProgress: (p: CodeGenerateProgress) => void,
    ): Promise<CodeGenerateSummary> {
      const p = find(input.productId);
      const batch = batchOf(p, input.batchId);
      if (input.count < 1) throw fail("invalidInput", "数量应至少为 1", "the count must be at least 1", "count");
      const item = p.coding.granularity === "item";
      const first = nextSeq.get(input.productId) ?? 1;
      if (item) nextSeq.set(input.productId, first + input.count);
      const id = allocations.length + 1;
      if (item) {
        allocations.unshift({
          id,
          productId: p.coding.productId,
          batchId: batch?.id ?? null,
          lotNo: batch?.lotNo ?? null,
          count: input.count,
          serialMode: p.coding.serialMode,
          firstSerial: serial(p, first),
          lastSerial: serial(p, first + input.count - 1),
          codeForm: p.coding.codeForm,
          state: "allocated",
          exportedTo: null,
          actor: "demo",
          createdAt: now().toISOString(),
        });
      }
      const jobId = input.jobId ?? "";
      cancels.set(jobId, false);
      const steps = 4;
      for (let step = 1; step <= steps; step += 1) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (cancels.get(jobId)) {
          cancels.delete(jobId);
          if (item) allocations[0].state = "cancelled";
          return summary(false);
        }
        onProgress({ phase: "writing", done: Math.round((input.count * step) / steps), total: input.count });
      }
      cancels.delete(jobId);
      onProgress({ phase: "done", done: input.count, total: input.count });
      p.coding.issued += item ? input.count : 1;
      p.coding.granularityLocked = true;
      if (batch) batch.issued += item ? input.count : 1;
      if (item) {
        allocations[0].state = "exported";
        allocations[0].exportedTo = target || `/demo/exports/追溯码-${p.coding.name}.csv`;
      }
      return summary(true);

      function summary(done: boolean): CodeGenerateSummary {
        const s1 = item ? serial(p, first) : null;
        const s2 = item ? serial(p, first + input.count - 1) : null;
        return {
          allocationId: item ? id : null,
          productId: p.coding.productId,
          batchId: batch?.id ?? null,
          lotNo: batch?.lotNo ?? null,
          granularity: p.coding.granularity,
          codeForm: p.coding.codeForm,
          count: done ? input.count : 0,
          firstCode: done ? codeOf(p, batch, s1) : null,
          lastCode: done ? codeOf(p, batch, s2) : null,
          firstSerial: s1,
          lastSerial: s2,
          path: target || `/demo/exports/追溯码-${p.coding.name}.${input.format === "xlsx" ? "xlsx" : "csv"}`,
          format: input.format ?? "csv",
          elapsedMs: 12,
          cancelled: !done,
        };
      }
    },
    async cancelGeneration(jobId) {
      if (!cancels.has(jobId)) return false;
      cancels.set(jobId, true);
      return true;
    },
    async codeAllocations(productId) {
      return allocations.filter((a) => productId === null || a.productId === productId);
    },
    async exportAllocation(allocationId, target) {
      const a = allocations.find((x) => x.id === allocationId);
      if (!a) throw fail("notFound", "找不到赋码记录", "allocation not found");
      const p = find(a.productId);
      const batch = p.batches.find((b) => b.id === a.batchId);
      return {
        allocationId,
        productId: a.productId,
        batchId: a.batchId,
        lotNo: a.lotNo,
        granularity: p.coding.granularity,
        codeForm: a.codeForm,
        count: a.count,
        firstCode: codeOf(p, batch, a.firstSerial),
        lastCode: codeOf(p, batch, a.lastSerial),
        firstSerial: a.firstSerial,
        lastSerial: a.lastSerial,
        path: target || "/demo/exports/追溯码.csv",
        format: "csv",
        elapsedMs: 5,
        cancelled: false,
      };
    },
    async voidCode(input: CodeEventInput) {
      return event(input, "void");
    },
    async reprintCode(input: CodeEventInput) {
      return event(input, "reprint");
    },
    async codeEvents(productId) {
      return events.filter((e) => productId === null || e.productId === productId);
    },
    async importIssuedCodes() {
      return { imported: 0, lines: 0, problems: [] };
    },
    async labelPreview(input: LabelPreviewInput): Promise<LabelPreview> {
      const check = fakeCheck(input.code);
      if (!check.valid) {
        const p = check.problems[0];
        throw fail("invalidInput", p.messageZh, p.messageEn, "code");
      }
      const hri = hriOf(input.code) || input.code;
      const ids: Record<string, string> = { qr: "]Q3", datamatrix: "]d2", "gs1-128": "]C1", ean13: "]E0", code128: "]C0" };
      const data = Object.entries(check.fields)
        .filter(([k]) => /^\d+$/.test(k))
        .map(([k, v]) => `${k}${v}`)
        .join("<GS>");
      const product = products.find((p) => p.coding.gtin === check.fields["01"]);
      const svg =
        `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="140" viewBox="0 0 120 140">` +
        `<rect width="120" height="140" fill="#fff"/><rect x="10" y="10" width="100" height="100" fill="#000"/>` +
        `<text x="60" y="130" font-size="8" text-anchor="middle">${hri.split("\n")[0]}</text></svg>`;
      return {
        svg,
        symbology: input.symbology,
        scannedAs: `${ids[input.symbology]}${data}`,
        hri,
        title: product?.coding.name ?? "",
        subtitle: product?.coding.model ?? "",
      };
    },
    async labelSheet() {
      return { path: "/demo/exports/标签.pdf", labels: 24, pages: 1, font: "NotoSansCJK-Regular.ttc" };
    },
    async openFile() {},
    async chooseCodeFile() {
      return null;
    },
    async chooseIssuedCodeList() {
      return null;
    },
  };

  function event(input: CodeEventInput, kind: "void" | "reprint"): CodeEvent {
    if (!input.reason.trim()) throw fail("invalidInput", "请填写原因", "give a reason", "reason");
    const check = fakeCheck(input.code);
    const product = products.find((p) => p.coding.gtin === check.fields["01"]);
    if (!product) {
      throw fail("notFound", `“${input.code}”不是本企业生成或导入的追溯码`, "not one of our codes");
    }
    const key = `${check.fields["01"]}|${check.fields["10"] ?? ""}|${check.fields["21"] ?? ""}`;
    if (voided.has(key)) {
      throw fail("invalidState", "此码已作废，不能再作废或补打", "this code is already void");
    }
    if (kind === "void") voided.add(key);
    const batch = product.batches.find((b) => b.lotNo === check.fields["10"]);
    const e: CodeEvent = {
      id: events.length + 1,
      kind,
      code: input.code,
      productId: product.coding.productId,
      productName: product.coding.name,
      batchId: batch?.id ?? null,
      lotNo: batch?.lotNo ?? null,
      itemId: null,
      reason: input.reason.trim(),
      actor: "demo",
      at: now().toISOString(),
    };
    events.unshift(e);
    return e;
  }
}
