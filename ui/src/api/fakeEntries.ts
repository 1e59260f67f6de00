// The in-memory stand-in for master data, entry, trace, recall and the dashboard
// (src-tauri/crates/app: products.rs, parties.rs, receipts.rs, batches.rs, shipments.rs, trace.rs,
// recall.rs, dashboard.rs). Same shapes, same field names, the same Chinese messages for the rules
// the screens show; serves `npm run dev` and the UI tests.

import type { ApiError } from "./bindings/ApiError";
import type { Attachment } from "./bindings/Attachment";
import type { Batch } from "./bindings/Batch";
import type { BatchBalance } from "./bindings/BatchBalance";
import type { BatchInput } from "./bindings/BatchInput";
import type { CatalogueEntry } from "./bindings/CatalogueEntry";
import type { CodingSettings } from "./bindings/CodingSettings";
import type { FieldProblem } from "./bindings/FieldProblem";
import type { GtinCheck } from "./bindings/GtinCheck";
import type { HistoryEntry } from "./bindings/HistoryEntry";
import type { InspectionResult } from "./bindings/InspectionResult";
import type { ListQuery } from "./bindings/ListQuery";
import type { LotBalance } from "./bindings/LotBalance";
import type { Page } from "./bindings/Page";
import type { Party } from "./bindings/Party";
import type { PartyInput } from "./bindings/PartyInput";
import type { Product } from "./bindings/Product";
import type { ProductInput } from "./bindings/ProductInput";
import type { RecallDrill } from "./bindings/RecallDrill";
import type { RecallResult } from "./bindings/RecallResult";
import type { Receipt } from "./bindings/Receipt";
import type { ReceiptInput } from "./bindings/ReceiptInput";
import type { RecordKind } from "./bindings/RecordKind";
import type { ScanResult } from "./bindings/ScanResult";
import type { Shipment } from "./bindings/Shipment";
import type { ShipmentInput } from "./bindings/ShipmentInput";
import type { TraceEdge } from "./bindings/TraceEdge";
import type { TraceKind } from "./bindings/TraceKind";
import type { TraceNode } from "./bindings/TraceNode";
import type { TraceRef } from "./bindings/TraceRef";
import type { TraceResult } from "./bindings/TraceResult";
import type { EntriesBackend } from "./entriesBackend";
import { parseUscc } from "./fakeUscc";

export interface FakeEntriesControl {
  /** Marks a record as submitted (what the submission feature does), to test the edit guard. */
  markSubmitted(kind: RecordKind, id: number): void;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
const isoDate = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const num = (q: number) => (Number.isInteger(q) ? String(q) : String(Number(q.toFixed(4))));

function apiError(code: ApiError["code"], zh: string, en: string, field: string | null = null): ApiError {
  return { code, messageZh: zh, messageEn: en, field };
}

class Problems {
  list: FieldProblem[] = [];
  error(field: string, code: string, zh: string, en: string) {
    this.list.push({ field, severity: "error", code, messageZh: zh, messageEn: en });
  }
  warning(field: string, code: string, zh: string, en: string) {
    this.list.push({ field, severity: "warning", code, messageZh: zh, messageEn: en });
  }
  required(field: string, value: string, zh: string, en: string): string {
    const v = value.trim();
    if (v === "") this.error(field, "required", `请填写${zh}`, `${en} is required`);
    return v;
  }
  date(field: string, value: string, today: string, zh: string): string {
    const v = value.trim().replace(/[/.]/g, "-");
    if (v === "") {
      this.error(field, "required", `请填写${zh}`, `${field} is required`);
      return "";
    }
    const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(v);
    const d = m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
    if (!m || !d || d.getMonth() !== Number(m[2]) - 1) {
      this.error(field, "date.invalid", `${zh}“${value}”不是有效日期，请按 2025-03-01 的格式填写`, "not a valid date");
      return "";
    }
    const iso = isoDate(d);
    if (iso > today) {
      this.error(field, "date.future", `${zh}不能晚于今天（${today}）`, `the date cannot be after today (${today})`);
      return "";
    }
    return iso;
  }
  quantity(field: string, value: number | null, zh: string): number {
    if (value === null || value === undefined || Number.isNaN(value)) {
      this.error(field, "required", `请填写${zh}`, `${field} is required`);
      return 0;
    }
    if (value <= 0) {
      this.error(field, "quantity.not-positive", `${zh}必须大于 0`, "the quantity must be greater than 0");
      return 0;
    }
    return value;
  }
  refuse() {
    const e = this.list.find((p) => p.severity === "error");
    if (e) throw apiError("invalidInput", e.messageZh, e.messageEn, e.field);
  }
}

/** GS1 mod-10 check digit of `body`. */
function checkDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = Number(body[body.length - 1 - i]);
    sum += d * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

export function fakeCheckGtin(text: string): GtinCheck {
  const normalized = text.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[\s-]/g, "");
  const base = { valid: false, normalized, kind: null, gtin14: null, expectedCheckDigit: null, corrected: null };
  if (normalized === "") return { ...base, messageZh: "GTIN 不能为空", messageEn: "the GTIN is empty" };
  const bad = [...normalized].findIndex((c) => c < "0" || c > "9");
  if (bad >= 0) {
    return { ...base, messageZh: `GTIN 字符“${normalized[bad]}”不是数字（注意不要用全角数字或字母 O）`, messageEn: "not a digit" };
  }
  if (![8, 12, 13, 14].includes(normalized.length)) {
    return {
      ...base,
      messageZh: `GTIN 应为 8, 12, 13 or 14 位数字，实际为 ${normalized.length} 位，请核对是否多写或漏写`,
      messageEn: `a GTIN has 8, 12, 13 or 14 digits, got ${normalized.length}`,
    };
  }
  const body = normalized.slice(0, -1);
  const expected = checkDigit(body);
  const found = Number(normalized.slice(-1));
  if (expected !== found) {
    const corrected = `${body}${expected}`;
    return {
      ...base,
      expectedCheckDigit: expected,
      corrected,
      messageZh: `GTIN 校验位应为 ${expected}，实际为 ${found}，请核对是否有数字抄错（正确的 GTIN 应为 ${corrected}）`,
      messageEn: `GTIN: check digit should be ${expected}, found ${found} (the correct GTIN would be ${corrected})`,
    };
  }
  const kind = `GTIN-${normalized.length}`;
  return {
    ...base,
    valid: true,
    kind,
    gtin14: normalized.padStart(14, "0"),
    messageZh: `${kind} 校验通过`,
    messageEn: `valid ${kind}`,
  };
}

const CATALOGUE: CatalogueEntry[] = [
  { code: "KP-GAS-01", name: "燃气用具连接用软管", catalogue: "key", group: "燃气器具", selfDeclaration: null, confirmed: true },
  { code: "KP-GAS-02", name: "燃气紧急切断阀", catalogue: "key", group: "燃气器具", selfDeclaration: null, confirmed: true },
  { code: "KP-GAS-03", name: "家用燃气灶具", catalogue: "key", group: "燃气器具", selfDeclaration: null, confirmed: true },
  { code: "KP-WIRE", name: "电线电缆", catalogue: "key", group: "电线电缆", selfDeclaration: null, confirmed: true },
  { code: "CCC-0101", name: "电线组件", catalogue: "ccc", group: "电线电缆", selfDeclaration: null, confirmed: true },
  { code: "CCC-0201", name: "插头插座", catalogue: "ccc", group: "电路开关及保护或连接用电器装置", selfDeclaration: null, confirmed: true },
];

interface Row<T> {
  value: T;
  submittedAt: string | null;
}

/** Parses the GS1 forms a clerk types or a scanner sends: `(01)…(10)…`, `]d2`/`]C1`/`]Q3` + raw with GS, a bare GTIN. */
export function fakeParseGs1(text: string): { gtin?: string; lot?: string; serial?: string; scheme: string } {
  let t = text.trim();
  const out: { gtin?: string; lot?: string; serial?: string; scheme: string } = { scheme: "digital-id" };
  if (/^\d{8}$|^\d{12,14}$/.test(t)) {
    const c = fakeCheckGtin(t);
    if (c.valid) return { gtin: c.gtin14 ?? undefined, scheme: "gtin" };
  }
  const dl = /^https?:\/\/[^/]+(?:\/.*)?\/01\/(\d{8,14})(?:\/10\/([^/?]+))?(?:\/21\/([^/?]+))?/.exec(t);
  if (dl) return { gtin: dl[1].padStart(14, "0"), lot: dl[2] && decodeURIComponent(dl[2]), serial: dl[3] && decodeURIComponent(dl[3]), scheme: "gs1-digital-link" };
  if (t.startsWith("(")) {
    for (const m of t.matchAll(/\((\d{2,4})\)([^(]*)/g)) {
      if (m[1] === "01") out.gtin = m[2];
      if (m[1] === "10") out.lot = m[2];
      if (m[1] === "21") out.serial = m[2];
    }
    out.scheme = "gs1-element-string";
    return out;
  }
  if (/^\][A-Za-z]\d/.test(t)) t = t.slice(3);
  else if (!t.includes("\u001d")) return out;
  const fixed: Record<string, number> = { "01": 14, "11": 6, "13": 6, "15": 6, "17": 6 };
  let rest = t.replace(/^\u001d/, "");
  while (rest.length >= 2) {
    const ai = rest.slice(0, 2);
    if (fixed[ai]) {
      const v = rest.slice(2, 2 + fixed[ai]);
      if (ai === "01") out.gtin = v;
      rest = rest.slice(2 + fixed[ai]).replace(/^\u001d/, "");
    } else {
      const end = rest.indexOf("\u001d");
      const v = end >= 0 ? rest.slice(2, end) : rest.slice(2);
      if (ai === "10") out.lot = v;
      if (ai === "21") out.serial = v;
      rest = end >= 0 ? rest.slice(end + 1) : "";
    }
  }
  out.scheme = "gs1-element-string";
  return out;
}

export function createFakeEntries(
  now: () => Date,
  coding: () => CodingSettings | null,
): { api: EntriesBackend; control: FakeEntriesControl } {
  const products: Row<Product>[] = [];
  const parties: Row<Party>[] = [];
  const receipts: Row<Receipt>[] = [];
  const batches: Row<Batch & { inputList: { receiptId: number; quantity: number | null }[] }>[] = [];
  const shipments: Row<Shipment>[] = [];
  const drills: RecallDrill[] = [];
  const history = new Map<string, HistoryEntry[]>();
  let nextId = 1;
  const stamp = () => now().toISOString();
  const today = () => isoDate(now());

  const record = (kind: string, id: number, action: string, before: object | null, after: object | null) => {
    const key = `${kind}:${id}`;
    const b = (before ?? {}) as Record<string, unknown>;
    const a = (after ?? {}) as Record<string, unknown>;
    const changes = [...new Set([...Object.keys(b), ...Object.keys(a)])]
      .filter((k) => !["updatedAt", "createdAt", "attachments", "inputs", "lines"].includes(k))
      .filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]))
      .map((k) => ({ field: k, old: b[k] === undefined || b[k] === null ? null : String(b[k]), new: a[k] === undefined || a[k] === null ? null : String(a[k]) }));
    history.set(key, [...(history.get(key) ?? []), { at: stamp(), actor: "fake", table: kind, action, changes }]);
  };

  const page = <T,>(rows: T[], q: ListQuery, text: (r: T) => string, sortKey: (r: T, key: string) => string | number): Page<T> => {
    const search = q.search.trim().toLowerCase();
    let out = search ? rows.filter((r) => text(r).toLowerCase().includes(search)) : rows.slice();
    if (q.sort) {
      const key = q.sort;
      out.sort((a, b) => {
        const x = sortKey(a, key);
        const y = sortKey(b, key);
        const c = x < y ? -1 : x > y ? 1 : 0;
        return q.descending ? -c : c;
      });
    }
    const total = out.length;
    out = q.limit > 0 ? out.slice(q.offset, q.offset + q.limit) : out.slice(q.offset);
    return { rows: out, total };
  };
  const field = (r: object, key: string) => {
    const v = (r as Record<string, unknown>)[key];
    return typeof v === "number" ? v : String(v ?? "");
  };

  const partyByName = (name: string) => parties.find((p) => p.value.name === name.trim());
  const partyRef = (f: string, name: string, role: "supplier" | "customer", p: Problems) => {
    const zh = role === "supplier" ? "供应商" : "客户";
    const v = p.required(f, name, zh, role);
    if (!v) return null;
    const found = partyByName(v);
    if (!found) {
      p.warning(f, "party.new", `新${zh}“${v}”将在保存时加入往来单位，可稍后补充统一社会信用代码和联系人`, `new ${role} ${JSON.stringify(v)} will be added`);
    }
    return v;
  };
  const resolveParty = (name: string, role: "supplier" | "customer"): Party => {
    const found = partyByName(name);
    if (found) {
      if (found.value.kind !== role && found.value.kind !== "both") found.value = { ...found.value, kind: "both" };
      return found.value;
    }
    const party: Party = { id: nextId++, kind: role, name: name.trim(), uscc: null, address: "", contact: "", phone: "", createdAt: stamp(), updatedAt: stamp() };
    parties.push({ value: party, submittedAt: null });
    return party;
  };
  const guard = (row: { submittedAt: string | null }) => {
    if (row.submittedAt) {
      throw apiError(
        "invalidState",
        `已报送的记录不能直接修改，请作为更正重新报送（报送时间 ${row.submittedAt}）`,
        "a submitted record cannot be edited in place; submit the change as a correction",
      );
    }
  };
  const notFound = (zh: string, id: number) => apiError("notFound", `找不到${zh}（编号 ${id}），可能已被删除，请刷新列表`, `#${id} not found`);

  const consumedOf = (receiptId: number, exceptBatch: number | null) =>
    batches
      .filter((b) => b.value.id !== exceptBatch)
      .flatMap((b) => b.value.inputList)
      .filter((i) => i.receiptId === receiptId)
      .reduce((s, i) => s + (i.quantity ?? 0), 0);
  const lotBalance = (r: Receipt, exceptBatch: number | null): LotBalance => {
    const consumed = consumedOf(r.id, exceptBatch);
    return {
      receiptId: r.id,
      supplierName: r.supplierName,
      material: r.material,
      spec: r.spec,
      supplierLot: r.supplierLot,
      unit: r.unit,
      receivedOn: r.receivedOn,
      inspectionResult: r.inspectionResult,
      received: r.quantity,
      consumed,
      remaining: r.quantity - consumed,
    };
  };
  const receiptView = (r: Receipt): Receipt => {
    const consumed = consumedOf(r.id, null);
    const batchCount = batches.filter((b) => b.value.inputList.some((i) => i.receiptId === r.id)).length;
    return { ...r, consumed, remaining: r.quantity - consumed, batchCount };
  };
  const shippedOf = (batchId: number, exceptShipment: number | null) =>
    shipments
      .filter((s) => s.value.id !== exceptShipment)
      .flatMap((s) => s.value.lines)
      .filter((l) => l.batchId === batchId)
      .reduce((s, l) => s + l.quantity, 0);
  const batchBalance = (b: Batch, exceptShipment: number | null): BatchBalance => {
    const shipped = shippedOf(b.id, exceptShipment);
    return {
      batchId: b.id,
      productId: b.productId,
      productName: b.productName,
      productModel: b.productModel,
      lotNo: b.lotNo,
      producedOn: b.producedOn,
      unit: b.unit,
      inspectionResult: b.inspectionResult,
      produced: b.quantity,
      shipped,
      remaining: b.quantity - shipped,
    };
  };
  const batchView = (row: (typeof batches)[number]): Batch => {
    const b = row.value;
    return {
      ...b,
      inputs: b.inputList.flatMap((i) => {
        const r = receipts.find((x) => x.value.id === i.receiptId);
        return r ? [{ lot: lotBalance(r.value, null), quantity: i.quantity }] : [];
      }),
      inputCount: b.inputList.length,
      shipped: shippedOf(b.id, null),
      submittedAt: row.submittedAt,
    };
  };
  const stripBatch = (b: Batch & { inputList?: unknown }): Batch => {
    const { inputList: _drop, ...rest } = b;
    void _drop;
    return rest;
  };

  // ---- products
  const validateProduct = (input: ProductInput, id: number | null) => {
    const p = new Problems();
    const name = p.required("name", input.name, "产品名称", "product name");
    const model = input.model.trim();
    const other = products.find((x) => x.value.name === name && x.value.model === model && x.value.id !== id);
    if (name && other) {
      p.error("model", "product.duplicate", `已有同名同型号的产品“${name} ${model}”（编号 ${other.value.id}），请修改规格型号或直接使用该产品`, "duplicate");
    }
    let gtin: string | null = null;
    const scheme = input.scheme ?? coding()?.scheme ?? "gs1";
    if (input.gtin.trim()) {
      const c = fakeCheckGtin(input.gtin);
      if (!c.valid) p.error("gtin", "gtin.invalid", c.messageZh, c.messageEn);
      else {
        gtin = c.normalized;
        const dup = products.find((x) => x.value.gtin && x.value.gtin.padStart(14, "0") === c.gtin14 && x.value.id !== id);
        if (dup) p.error("gtin", "gtin.duplicate", `GTIN ${gtin} 已用于产品“${dup.value.name} ${dup.value.model}”，一个 GTIN 只能对应一种产品`, "duplicate GTIN");
      }
    } else if (scheme === "gs1") {
      p.warning("gtin", "gtin.missing", "GS1 方案赋码需要 GTIN：可点“生成”从厂商识别代码生成，或以后再填", "the GS1 scheme needs a GTIN");
    }
    const cert = input.cccCertNo.trim();
    if (cert && !/^\d{16}$/.test(cert) && !/^[0-9A-Z]{12}$/.test(cert)) {
      p.error("cccCertNo", "ccc.length", `CCC 证书编号应为 16 位数字，实际为 ${cert.length} 位`, "a CCC certificate number has 16 digits");
    }
    const models = input.cccModels.flatMap((m) => m.split(/[\n,，、;；]/)).map((m) => m.trim()).filter(Boolean);
    if (models.length && model && !models.includes(model)) {
      p.warning("cccModels", "ccc.model-not-covered", `规格型号“${model}”不在证书覆盖的型号中，请核对证书`, "model not covered");
    }
    return { p, name, model, gtin, scheme, models, cert };
  };
  const toProduct = (input: ProductInput, v: ReturnType<typeof validateProduct>, id: number, created: string): Product => ({
    id,
    name: v.name,
    model: v.model,
    category: input.category.trim(),
    categoryName: CATALOGUE.find((c) => c.code === input.category)?.name ?? null,
    brand: input.brand.trim(),
    standard: input.standard.trim(),
    gtin: v.gtin,
    scheme: v.scheme,
    granularity: input.granularity ?? coding()?.granularity ?? "batch",
    cccCertNo: v.cert || null,
    cccValidFrom: input.cccValidFrom.trim() || null,
    cccValidTo: input.cccValidTo.trim() || null,
    cccMarkNo: input.cccMarkNo.trim() || null,
    cccModels: v.models,
    batchCount: batches.filter((b) => b.value.productId === id).length,
    createdAt: created,
    updatedAt: stamp(),
  });

  // ---- receipts
  const validateReceipt = (input: ReceiptInput, id: number | null) => {
    const p = new Problems();
    const supplier = partyRef("supplierName", input.supplierName, "supplier", p);
    const material = p.required("material", input.material, "原料名称", "material");
    const lot = p.required("supplierLot", input.supplierLot, "供应商批号", "supplier lot");
    const quantity = p.quantity("quantity", input.quantity, "数量");
    const unit = p.required("unit", input.unit, "单位", "unit");
    const receivedOn = p.date("receivedOn", input.receivedOn, today(), "到货日期");
    if (input.inspectionResult === "pass" && !input.reportNo.trim()) {
      p.warning("reportNo", "report.missing", "查验合格，建议填写检验报告或合格证编号，以便追溯时出示", "add the report number");
    }
    if (input.inspectionResult === "fail") {
      p.warning("inspectionResult", "inspection.failed", "不合格原料不得投入生产；如已投产，请在“追溯”中对该批号做模拟召回", "a failed lot must not go into production");
    }
    const dup = receipts.find((r) => r.value.supplierName === supplier && r.value.supplierLot === lot && r.value.material === material && r.value.id !== id);
    if (dup) {
      p.error("supplierLot", "receipt.duplicate", `该供应商的“${material}”批号 ${lot} 已登记（进货记录 ${dup.value.id}），同一批次只登记一次`, "duplicate lot");
    }
    return { p, supplier, material, lot, quantity, unit, receivedOn };
  };

  // ---- batches
  const validateBatch = (input: BatchInput, id: number | null) => {
    const p = new Problems();
    const product = input.productId === null ? undefined : products.find((x) => x.value.id === input.productId);
    if (input.productId === null) p.error("productId", "required", "请选择产品", "choose the product");
    else if (!product) p.error("productId", "product.missing", "所选产品不存在，可能已被删除，请重新选择", "no such product");
    const lotNo = p.required("lotNo", input.lotNo, "批号", "lot number");
    if (product && batches.some((b) => b.value.productId === product.value.id && b.value.lotNo === lotNo && b.value.id !== id)) {
      p.error("lotNo", "batch.duplicate", `产品“${product.value.name}”的批号 ${lotNo} 已登记，请换一个批号`, "duplicate lot");
    }
    const producedOn = p.date("producedOn", input.producedOn, today(), "生产日期");
    const quantity = p.quantity("quantity", input.quantity, "生产数量");
    const unit = p.required("unit", input.unit, "单位", "unit");
    if (input.inspectionResult !== "pending" && !input.inspector.trim()) {
      p.warning("inspector", "inspector.missing", "已有出厂检验结论，请填写检验员", "name the inspector");
    }
    if (input.inputs.length === 0) {
      p.warning("inputs", "inputs.missing", "未登记所用原料批次：出现质量问题时将无法追溯到原料和供应商", "no material lots recorded");
    }
    const lots: LotBalance[] = [];
    input.inputs.forEach((line, i) => {
      const r = receipts.find((x) => x.value.id === line.receiptId);
      if (!r) {
        p.error(`inputs.${i}.receiptId`, "lot.missing", "所选原料批次不存在，请重新选择", "no such lot");
        return;
      }
      const bal = lotBalance(r.value, id);
      lots.push(bal);
      if (line.quantity !== null && line.quantity > bal.remaining + 1e-9) {
        const u = bal.unit;
        p.warning(
          `inputs.${i}.quantity`,
          "lot.over-consumed",
          `超出原料批次 ${bal.supplierLot} 的剩余数量：到货 ${num(bal.received)} ${u}，已用 ${num(bal.consumed)} ${u}，剩余 ${num(bal.remaining)} ${u}，本次 ${num(line.quantity)} ${u}`,
          "more than the lot has left",
        );
      }
      if (bal.inspectionResult === "fail") p.warning(`inputs.${i}.receiptId`, "lot.failed", `原料批次 ${bal.supplierLot} 进货查验不合格，不应投入生产`, "failed lot");
    });
    return { p, product, lotNo, producedOn, quantity, unit, lots };
  };

  // ---- shipments
  const validateShipment = (input: ShipmentInput, id: number | null) => {
    const p = new Problems();
    const customer = partyRef("customerName", input.customerName, "customer", p);
    const shippedOn = p.date("shippedOn", input.shippedOn, today(), "发货日期");
    const note = p.required("deliveryNoteNo", input.deliveryNoteNo, "送货单号", "delivery note number");
    const dup = shipments.find((s) => s.value.deliveryNoteNo === note && s.value.id !== id);
    if (note && dup) p.error("deliveryNoteNo", "shipment.duplicate", `送货单号 ${note} 已登记（出库记录 ${dup.value.id}），请核对或换一个单号`, "duplicate note");
    if (input.lines.length === 0) p.error("lines", "lines.missing", "请至少添加一行出库明细：选择批次或扫描单品码", "add a line");
    const totals = new Map<number, number>();
    input.lines.forEach((line, i) => {
      if (line.batchId === null) {
        p.error(`lines.${i}.batchId`, "required", "请选择批次", "choose the batch");
        return;
      }
      const b = batches.find((x) => x.value.id === line.batchId);
      if (!b) {
        p.error(`lines.${i}.batchId`, "batch.missing", "所选批次不存在，请重新选择", "no such batch");
        return;
      }
      const q = p.quantity(`lines.${i}.quantity`, line.quantity, "数量");
      const total = (totals.get(b.value.id) ?? 0) + q;
      totals.set(b.value.id, total);
      const bal = batchBalance(b.value, id);
      if (q > 0 && total > bal.remaining + 1e-9) {
        const u = bal.unit;
        p.warning(
          `lines.${i}.quantity`,
          "batch.over-shipped",
          `超出批次 ${bal.lotNo} 的可发数量：生产 ${num(bal.produced)} ${u}，已发 ${num(bal.shipped)} ${u}，剩余 ${num(bal.remaining)} ${u}，本单 ${num(total)} ${u}`,
          "more than the batch has left",
        );
      }
      if (bal.inspectionResult === "fail") p.warning(`lines.${i}.batchId`, "batch.failed", `批次 ${bal.lotNo} 出厂检验不合格，不应出库`, "failed batch");
    });
    return { p, customer, shippedOn, note };
  };
  const saveShipment = (input: ShipmentInput, id: number | null): Shipment => {
    const v = validateShipment(input, id);
    v.p.refuse();
    const customer = resolveParty(v.customer ?? "", "customer");
    const prev = id === null ? undefined : shipments.find((s) => s.value.id === id);
    const sid = id ?? nextId++;
    const lines = input.lines.map((l) => {
      const b = batches.find((x) => x.value.id === l.batchId)!.value;
      return {
        id: nextId++,
        batchId: b.id,
        lotNo: b.lotNo,
        productName: b.productName,
        productModel: b.productModel,
        itemId: l.itemId,
        serial: null,
        quantity: l.itemId !== null ? 1 : (l.quantity ?? 0),
        unit: b.unit,
      };
    });
    const shipment: Shipment = {
      id: sid,
      customerId: customer.id,
      customerName: customer.name,
      shippedOn: v.shippedOn,
      deliveryNoteNo: v.note,
      note: input.note.trim(),
      lines,
      lineCount: lines.length,
      totalQuantity: lines.reduce((s, l) => s + l.quantity, 0),
      attachments: prev?.value.attachments ?? [],
      submittedAt: null,
      createdAt: prev?.value.createdAt ?? stamp(),
      updatedAt: stamp(),
    };
    record("shipment", sid, prev ? "update" : "insert", prev?.value ?? null, shipment);
    if (prev) prev.value = shipment;
    else shipments.push({ value: shipment, submittedAt: null });
    return shipment;
  };

  // ---- trace
  const key = (kind: TraceKind, id: number) => `${kind}:${id}`;
  const blank = (kind: TraceKind, id: number): TraceNode => ({
    key: key(kind, id), kind, id, label: "", detail: "", party: "", date: null, quantity: null, unit: "", inspection: null, contact: "", phone: "", address: "",
  });
  const receiptNode = (r: Receipt): TraceNode => ({
    ...blank("material-lot", r.id), label: r.supplierLot, detail: `${r.material} ${r.spec}`.trim(), party: r.supplierName, date: r.receivedOn, quantity: r.quantity, unit: r.unit, inspection: r.inspectionResult,
  });
  const batchNode = (b: Batch): TraceNode => ({
    ...blank("batch", b.id), label: b.lotNo, detail: `${b.productName} ${b.productModel}`.trim(), date: b.producedOn, quantity: b.quantity, unit: b.unit, inspection: b.inspectionResult,
  });
  const shipmentNode = (s: Shipment): TraceNode => ({
    ...blank("shipment", s.id), label: s.deliveryNoteNo, party: s.customerName, date: s.shippedOn, quantity: s.totalQuantity,
  });
  const partyNode = (kind: TraceKind, p: Party): TraceNode => ({
    ...blank(kind, p.id), label: p.name, detail: p.uscc ?? "", contact: p.contact, phone: p.phone, address: p.address,
  });
  const nodeOf = (r: TraceRef): TraceNode => {
    if (r.kind === "batch") return batchNode(batches.find((b) => b.value.id === r.id)!.value);
    if (r.kind === "material-lot") return receiptNode(receipts.find((x) => x.value.id === r.id)!.value);
    if (r.kind === "shipment") return shipmentNode(shipments.find((x) => x.value.id === r.id)!.value);
    const p = parties.find((x) => x.value.id === r.id);
    if (p) return partyNode(r.kind, p.value);
    throw notFound("记录", r.id);
  };
  const build = (query: string, r: TraceRef, alternatives: TraceNode[]): TraceResult => {
    const t0 = performance.now();
    const nodes = new Map<string, { node: TraceNode; up: boolean }>();
    const edges = new Map<string, TraceEdge>();
    const add = (n: TraceNode, up: boolean) => {
      if (!nodes.has(n.key)) nodes.set(n.key, { node: n, up });
      return n.key;
    };
    const edge = (from: string, to: string, q: number | null, unit: string) => {
      const k = `${from}>${to}`;
      const e = edges.get(k) ?? { from, to, quantity: null, unit };
      if (q !== null) e.quantity = (e.quantity ?? 0) + q;
      edges.set(k, e);
    };
    const root = nodeOf(r);
    const materialsOf = (b: (typeof batches)[number]["value"], bk: string) => {
      for (const i of b.inputList) {
        const rc = receipts.find((x) => x.value.id === i.receiptId)!.value;
        const rk = add(receiptNode(rc), true);
        edge(rk, bk, i.quantity, rc.unit);
        const sup = parties.find((x) => x.value.id === rc.supplierId)!.value;
        edge(add(partyNode("supplier", sup), true), rk, rc.quantity, rc.unit);
      }
    };
    const shipmentsOf = (batchIds: number[], from: (batchId: number) => string) => {
      for (const s of shipments.map((x) => x.value)) {
        const lines = s.lines.filter((l) => batchIds.includes(l.batchId));
        if (lines.length === 0) continue;
        const sk = add(shipmentNode(s), false);
        for (const l of lines) edge(from(l.batchId), sk, l.quantity, l.unit);
        const c = parties.find((x) => x.value.id === s.customerId)!.value;
        edge(sk, add(partyNode("customer", c), false), lines.reduce((t, l) => t + l.quantity, 0), lines[0].unit);
      }
    };
    if (r.kind === "batch") {
      const b = batches.find((x) => x.value.id === r.id)!.value;
      materialsOf(b, root.key);
      shipmentsOf([b.id], () => root.key);
    } else if (r.kind === "material-lot") {
      const rc = receipts.find((x) => x.value.id === r.id)!.value;
      const sup = parties.find((x) => x.value.id === rc.supplierId)!.value;
      edge(add(partyNode("supplier", sup), true), root.key, rc.quantity, rc.unit);
      const used = batches.filter((b) => b.value.inputList.some((i) => i.receiptId === r.id)).map((b) => b.value);
      for (const b of used) edge(root.key, add(batchNode(b), false), b.inputList.find((i) => i.receiptId === r.id)?.quantity ?? null, rc.unit);
      shipmentsOf(used.map((b) => b.id), (id) => key("batch", id));
    } else if (r.kind === "shipment") {
      const s = shipments.find((x) => x.value.id === r.id)!.value;
      for (const l of s.lines) {
        const b = batches.find((x) => x.value.id === l.batchId)!.value;
        const bk = add(batchNode(b), true);
        edge(bk, root.key, l.quantity, l.unit);
        materialsOf(b, bk);
      }
      const c = parties.find((x) => x.value.id === s.customerId)!.value;
      edge(root.key, add(partyNode("customer", c), false), s.totalQuantity, s.lines[0]?.unit ?? "");
    }
    nodes.delete(root.key);
    const list = [...nodes.values()];
    return {
      query,
      root,
      upstream: list.filter((n) => n.up).map((n) => n.node),
      downstream: list.filter((n) => !n.up).map((n) => n.node),
      edges: [...edges.values()],
      alternatives,
      elapsedMs: performance.now() - t0,
    };
  };
  const resolve = (text: string): TraceRef[] => {
    const t = text.trim();
    const refs: TraceRef[] = [];
    const gs1 = fakeParseGs1(t);
    if (gs1.gtin && gs1.lot) {
      const prod = products.find((p) => p.value.gtin && p.value.gtin.padStart(14, "0") === gs1.gtin);
      for (const b of batches) if (b.value.lotNo === gs1.lot && (!prod || b.value.productId === prod.value.id)) refs.push({ kind: "batch", id: b.value.id });
    }
    for (const b of batches) if (b.value.lotNo === t) refs.push({ kind: "batch", id: b.value.id });
    for (const r of receipts) if (r.value.supplierLot === t) refs.push({ kind: "material-lot", id: r.value.id });
    for (const s of shipments) if (s.value.deliveryNoteNo === t) refs.push({ kind: "shipment", id: s.value.id });
    return refs.filter((r, i) => refs.findIndex((x) => x.kind === r.kind && x.id === r.id) === i);
  };

  const control: FakeEntriesControl = {
    markSubmitted(kind: RecordKind, id: number) {
      const table = { receipt: receipts, batch: batches, shipment: shipments, product: products, party: parties }[kind] as Row<{ id: number }>[];
      const row = table.find((r) => r.value.id === id);
      if (row) row.submittedAt = stamp();
    },
  };

  const api: EntriesBackend = {
    async productCatalogue() {
      return CATALOGUE;
    },
    async listProducts(q) {
      return page(products.map((p) => ({ ...p.value, batchCount: batches.filter((b) => b.value.productId === p.value.id).length })), q, (p) => `${p.name} ${p.model} ${p.gtin ?? ""} ${p.brand} ${p.cccCertNo ?? ""}`, field);
    },
    async getProduct(id) {
      const p = products.find((x) => x.value.id === id);
      if (!p) throw notFound("产品", id);
      return p.value;
    },
    async checkProduct(input, id) {
      return validateProduct(input, id).p.list;
    },
    async addProduct(input) {
      const v = validateProduct(input, null);
      v.p.refuse();
      const product = toProduct(input, v, nextId++, stamp());
      products.push({ value: product, submittedAt: null });
      record("product", product.id, "insert", null, product);
      return product;
    },
    async updateProduct(id, input) {
      const row = products.find((x) => x.value.id === id);
      if (!row) throw notFound("产品", id);
      guard(row);
      const v = validateProduct(input, id);
      v.p.refuse();
      const product = toProduct(input, v, id, row.value.createdAt);
      record("product", id, "update", row.value, product);
      row.value = product;
      return product;
    },
    async checkGtin(text) {
      return fakeCheckGtin(text);
    },
    async suggestGtin() {
      const prefix = coding()?.gs1CompanyPrefix ?? "";
      if (!prefix) {
        throw apiError("invalidState", "尚未设置厂商识别代码，无法生成 GTIN：请先在首次设置的“赋码方案”中填写，或直接输入 GTIN", "no company prefix", "gtin");
      }
      const digits = 12 - prefix.length;
      const used = products
        .map((p) => p.value.gtin?.padStart(14, "0").slice(1) ?? "")
        .filter((g) => g.startsWith(prefix))
        .map((g) => Number(g.slice(prefix.length, 12)));
      const next = used.length ? Math.max(...used) + 1 : 1;
      const itemReference = String(next).padStart(digits, "0");
      const body = `${prefix}${itemReference}`;
      return { gtin: `${body}${checkDigit(body)}`, companyPrefix: prefix, itemReference };
    },

    async listParties(q) {
      let rows = parties.map((p) => p.value);
      if (q.kind === "supplier") rows = rows.filter((p) => p.kind !== "customer");
      if (q.kind === "customer") rows = rows.filter((p) => p.kind !== "supplier");
      return page(rows, q, (p) => `${p.name} ${p.uscc ?? ""} ${p.contact} ${p.phone}`, field);
    },
    async getParty(id) {
      const p = parties.find((x) => x.value.id === id);
      if (!p) throw notFound("往来单位", id);
      return p.value;
    },
    async checkParty(input, id) {
      return validateParty(input, id).p.list;
    },
    async addParty(input) {
      const v = validateParty(input, null);
      v.p.refuse();
      const party: Party = { id: nextId++, kind: input.kind, name: v.name, uscc: v.uscc, address: input.address.trim(), contact: input.contact.trim(), phone: input.phone.trim(), createdAt: stamp(), updatedAt: stamp() };
      parties.push({ value: party, submittedAt: null });
      record("party", party.id, "insert", null, party);
      return party;
    },
    async updateParty(id, input) {
      const row = parties.find((x) => x.value.id === id);
      if (!row) throw notFound("往来单位", id);
      const v = validateParty(input, id);
      v.p.refuse();
      const party: Party = { ...row.value, kind: input.kind, name: v.name, uscc: v.uscc, address: input.address.trim(), contact: input.contact.trim(), phone: input.phone.trim(), updatedAt: stamp() };
      record("party", id, "update", row.value, party);
      row.value = party;
      return party;
    },

    async entryHints() {
      const option = (p: Party) => ({ id: p.id, name: p.name, contact: p.contact, phone: p.phone });
      const materials = new Map<string, { material: string; spec: string; unit: string; supplierName: string }>();
      for (const r of [...receipts].reverse()) {
        const k = `${r.value.material}|${r.value.spec}`;
        if (!materials.has(k)) materials.set(k, { material: r.value.material, spec: r.value.spec, unit: r.value.unit, supplierName: r.value.supplierName });
      }
      return {
        suppliers: parties.filter((p) => p.value.kind !== "customer").map((p) => option(p.value)),
        customers: parties.filter((p) => p.value.kind !== "supplier").map((p) => option(p.value)),
        materials: [...materials.values()],
        units: [...new Set([...receipts.map((r) => r.value.unit), ...batches.map((b) => b.value.unit)])],
        products: products.map((p) => ({ id: p.value.id, name: p.value.name, model: p.value.model, gtin: p.value.gtin, granularity: p.value.granularity })),
        inspectors: [...new Set(batches.map((b) => b.value.inspector).filter(Boolean))],
        lotPattern: "B{yyyyMMdd}-{seq}",
      };
    },
    async listReceipts(q) {
      let rows = receipts.map((r) => receiptView(r.value));
      if (q.inspection) rows = rows.filter((r) => r.inspectionResult === q.inspection);
      if (!q.sort) rows.sort((a, b) => (b.receivedOn + pad(b.id, 9)).localeCompare(a.receivedOn + pad(a.id, 9)));
      return page(rows, q, (r) => `${r.supplierLot} ${r.material} ${r.spec} ${r.supplierName} ${r.reportNo ?? ""}`, field);
    },
    async getReceipt(id) {
      const r = receipts.find((x) => x.value.id === id);
      if (!r) throw notFound("进货记录", id);
      return { ...receiptView(r.value), submittedAt: r.submittedAt };
    },
    async checkReceipt(input, id) {
      return validateReceipt(input, id).p.list;
    },
    async addReceipt(input) {
      return saveReceipt(input, null);
    },
    async updateReceipt(id, input) {
      return saveReceipt(input, id);
    },
    async searchLots(search, exceptBatch) {
      const s = search.trim().toLowerCase();
      return receipts
        .map((r) => r.value)
        .filter((r) => !s || `${r.supplierLot} ${r.material} ${r.supplierName}`.toLowerCase().includes(s))
        .reverse()
        .slice(0, 30)
        .map((r) => lotBalance(r, exceptBatch));
    },
    async listBatches(q) {
      let rows = batches.map((b) => stripBatch({ ...batchView(b), inputs: [] }));
      if (q.inspection) rows = rows.filter((r) => r.inspectionResult === q.inspection);
      if (!q.sort) rows.sort((a, b) => (b.producedOn + pad(b.id, 9)).localeCompare(a.producedOn + pad(a.id, 9)));
      return page(rows, q, (b) => `${b.lotNo} ${b.productName} ${b.productModel} ${b.reportNo ?? ""}`, field);
    },
    async getBatch(id) {
      const b = batches.find((x) => x.value.id === id);
      if (!b) throw notFound("生产批次", id);
      return stripBatch(batchView(b));
    },
    async checkBatch(input, id) {
      const v = validateBatch(input, id);
      return { problems: v.p.list, lots: v.lots };
    },
    async addBatch(input) {
      return saveBatch(input, null);
    },
    async updateBatch(id, input) {
      return saveBatch(input, id);
    },
    async suggestLot(producedOn) {
      const date = (producedOn || today()).replace(/-/g, "");
      for (let seq = 1; ; seq++) {
        const lot = `B${date}-${seq}`;
        if (!batches.some((b) => b.value.lotNo === lot)) return lot;
      }
    },
    async searchBatches(search, exceptShipment) {
      const s = search.trim().toLowerCase();
      return batches
        .map((b) => b.value)
        .filter((b) => !s || `${b.lotNo} ${b.productName} ${b.productModel}`.toLowerCase().includes(s))
        .reverse()
        .slice(0, 30)
        .map((b) => batchBalance(b, exceptShipment));
    },
    async listShipments(q) {
      const rows = shipments.map((s) => ({ ...s.value, lines: [] }));
      if (!q.sort) rows.sort((a, b) => (b.shippedOn + pad(b.id, 9)).localeCompare(a.shippedOn + pad(a.id, 9)));
      return page(rows, q, (s) => `${s.deliveryNoteNo} ${s.customerName} ${s.note}`, field);
    },
    async getShipment(id) {
      const s = shipments.find((x) => x.value.id === id);
      if (!s) throw notFound("出库记录", id);
      return { ...s.value, submittedAt: s.submittedAt };
    },
    async checkShipment(input, id) {
      return validateShipment(input, id).p.list;
    },
    async addShipment(input) {
      return saveShipment(input, null);
    },
    async updateShipment(id, input) {
      const row = shipments.find((x) => x.value.id === id);
      if (!row) throw notFound("出库记录", id);
      guard(row);
      return saveShipment(input, id);
    },
    async suggestDeliveryNote(shippedOn) {
      const date = (shippedOn || today()).replace(/-/g, "");
      for (let seq = 1; ; seq++) {
        const no = `D${date}-${pad(seq, 3)}`;
        if (!shipments.some((s) => s.value.deliveryNoteNo === no)) return no;
      }
    },
    async addAttachments(kind, id, paths, purpose) {
      const rows = { receipt: receipts, batch: batches, shipment: shipments, product: products, party: parties }[kind] as Row<{ id: number; attachments?: Attachment[] }>[];
      const row = rows.find((r) => r.value.id === id);
      if (!row) throw notFound("记录", id);
      const added = paths.map((path) => ({
        id: nextId++,
        fileName: path.split(/[\\/]/).pop() ?? path,
        mediaType: path.toLowerCase().endsWith(".pdf") ? "application/pdf" : "image/jpeg",
        sizeBytes: 1024,
        path: `memory://tracedesk/attachments/${path.split(/[\\/]/).pop()}`,
        purpose,
        createdAt: stamp(),
      }));
      row.value.attachments = [...(row.value.attachments ?? []), ...added];
      return row.value.attachments;
    },
    async recordHistory(kind, id) {
      return history.get(`${kind}:${id}`) ?? [];
    },
    async scanCode(text) {
      const gs1 = fakeParseGs1(text);
      const problems: FieldProblem[] = [];
      const product = gs1.gtin ? products.find((p) => p.value.gtin && p.value.gtin.padStart(14, "0") === gs1.gtin)?.value : undefined;
      if (gs1.gtin && !product) {
        problems.push({ field: "code", severity: "warning", code: "scan.unknown-gtin", messageZh: `GTIN ${gs1.gtin} 不是本企业已登记的产品，请先在“产品”中登记`, messageEn: "unknown GTIN" });
      }
      let batch = product && gs1.lot ? batches.find((b) => b.value.productId === product.id && b.value.lotNo === gs1.lot)?.value : undefined;
      if (!gs1.gtin) batch = batches.find((b) => b.value.lotNo === text.trim())?.value;
      if (!batch && !product) {
        problems.push({ field: "code", severity: "warning", code: "scan.not-found", messageZh: `未找到“${text.trim()}”：不是已登记的追溯码或批号`, messageEn: "not found" });
      }
      const prod = product ?? (batch ? products.find((p) => p.value.id === batch!.productId)?.value : undefined);
      const result: ScanResult = {
        text,
        scheme: gs1.scheme,
        valid: true,
        gtin: gs1.gtin ?? null,
        lot: gs1.lot ?? batch?.lotNo ?? null,
        serial: gs1.serial ?? null,
        product: prod ? { id: prod.id, name: prod.name, model: prod.model, gtin: prod.gtin, granularity: prod.granularity } : null,
        batch: batch ? batchBalance(batch, null) : null,
        item: null,
        problems,
      };
      return result;
    },
    async trace(text) {
      const t = text.trim();
      if (!t) throw apiError("invalidInput", "请输入或扫描追溯码、批号、原料批号或送货单号", "type a code", "query");
      const refs = resolve(t);
      if (refs.length === 0) {
        throw apiError("notFound", `找不到“${t}”：它不是已登记的追溯码、生产批号、原料批号或送货单号，请检查输入`, "not found", "query");
      }
      return build(t, refs[0], refs.slice(1).map(nodeOf));
    },
    async traceRef(target) {
      return build(key(target.kind, target.id), target, []);
    },
    async recall(request) {
      const t0 = performance.now();
      const start = nodeOf(request.start);
      const affected =
        request.start.kind === "batch"
          ? batches.filter((b) => b.value.id === request.start.id)
          : batches.filter((b) => b.value.inputList.some((i) => i.receiptId === request.start.id));
      const lines = shipments.flatMap((s) => s.value.lines.filter((l) => affected.some((b) => b.value.id === l.batchId)).map((l) => ({ s: s.value, l })));
      const customers = new Map<number, RecallResult["customers"][number]>();
      for (const { s, l } of lines) {
        const p = parties.find((x) => x.value.id === s.customerId)!.value;
        const c = customers.get(p.id) ?? { customerId: p.id, name: p.name, contact: p.contact, phone: p.phone, address: p.address, uscc: p.uscc, lots: [], deliveryNotes: [], quantity: 0, unit: l.unit };
        c.quantity += l.quantity;
        if (!c.lots.includes(l.lotNo)) c.lots.push(l.lotNo);
        if (!c.deliveryNotes.includes(s.deliveryNoteNo)) c.deliveryNotes.push(s.deliveryNoteNo);
        customers.set(p.id, c);
      }
      const rb = affected.map((b) => {
        const shipped = shippedOf(b.value.id, null);
        return {
          batchId: b.value.id,
          lotNo: b.value.lotNo,
          productName: b.value.productName,
          productModel: b.value.productModel,
          producedOn: b.value.producedOn,
          inspectionResult: b.value.inspectionResult,
          produced: b.value.quantity,
          shipped,
          inStock: Math.max(0, b.value.quantity - shipped),
          unit: b.value.unit,
          lotQuantity: request.start.kind === "material-lot" ? (b.value.inputList.find((i) => i.receiptId === request.start.id)?.quantity ?? null) : null,
          items: 0,
        };
      });
      const durationMs = performance.now() - t0;
      const result: RecallResult = {
        drillId: drills.length + 1,
        start,
        reason: request.reason,
        startedAt: stamp(),
        durationMs,
        batches: rb,
        items: [],
        shipments: lines.map(({ s, l }) => ({ deliveryNoteNo: s.deliveryNoteNo, shippedOn: s.shippedOn, customerName: s.customerName, lotNo: l.lotNo, productName: l.productName, serial: l.serial, quantity: l.quantity, unit: l.unit })),
        customers: [...customers.values()],
        quantityShipped: rb.reduce((s, b) => s + b.shipped, 0),
        quantityInStock: rb.reduce((s, b) => s + b.inStock, 0),
        noticeZh: `产品召回通知（草稿）\n\n涉及客户 ${customers.size} 家。`,
      };
      drills.unshift({
        id: result.drillId,
        startKind: request.start.kind,
        startLabel: start.label,
        reason: request.reason,
        startedAt: result.startedAt,
        durationMs,
        batches: rb.length,
        items: 0,
        shipments: new Set(lines.map((x) => x.s.id)).size,
        customers: customers.size,
        quantityShipped: result.quantityShipped,
        actor: "fake",
      });
      return result;
    },
    async recallDrills() {
      return drills;
    },
    async dashboard() {
      const day = today();
      const created = (r: { createdAt: string }) => isoDate(new Date(r.createdAt)) === day;
      const last30 = Array.from({ length: 30 }, (_, i) => {
        const d = new Date(now());
        d.setDate(d.getDate() - 29 + i);
        const date = isoDate(d);
        return {
          date,
          receipts: receipts.filter((r) => r.value.receivedOn === date).length,
          batches: batches.filter((b) => b.value.producedOn === date).length,
          shipments: shipments.filter((s) => s.value.shippedOn === date).length,
        };
      });
      const limit = new Date(now());
      limit.setDate(limit.getDate() + 60);
      return {
        today: day,
        receiptsToday: receipts.filter((r) => created(r.value)).length,
        batchesToday: batches.filter((b) => created(b.value)).length,
        shipmentsToday: shipments.filter((s) => created(s.value)).length,
        submissionAvailable: false,
        pendingSubmissions: 0,
        failedSubmissions: 0,
        failedReceipts: receipts.filter((r) => r.value.inspectionResult === "fail").length,
        failedBatches: batches.filter((b) => b.value.inspectionResult === "fail").length,
        failedBatchList: batches.filter((b) => b.value.inspectionResult === "fail").map((b) => stripBatch({ ...batchView(b), inputs: [] })),
        expiringCcc: products.map((p) => p.value).filter((p) => p.cccValidTo !== null && p.cccValidTo <= isoDate(limit)),
        last30Days: last30,
      };
    },
    async exportList(kind, query, path) {
      const rows = { products: products, parties: parties, receipts: receipts, batches: batches, shipments: shipments }[kind].length;
      void query;
      return { path: path ?? `memory://tracedesk/exports/${kind}.xlsx`, rows };
    },
    async exportTrace(result, path) {
      return {
        path: path ?? `memory://tracedesk/exports/追溯-${result.root.label}.xlsx`,
        rows: 1 + result.upstream.length + result.downstream.length + result.edges.length,
      };
    },
    async exportRecall(result, path) {
      return {
        path: path ?? `memory://tracedesk/exports/召回清单-${result.start.label}.xlsx`,
        rows: result.customers.length + result.shipments.length + result.batches.length + result.items.length,
      };
    },
    // The fake's file tokens are the paths themselves.
    async chooseAttachments() {
      return [{ token: "memory://docs/检验报告.pdf", name: "memory://docs/检验报告.pdf" }];
    },
    async chooseExportPath(_title, defaultName) {
      const path = `memory://exports/${defaultName}`;
      return { token: path, name: path };
    },
  };

  function validateParty(input: PartyInput, id: number | null) {
    const p = new Problems();
    const name = p.required("name", input.name, "单位名称", "name");
    const dup = parties.find((x) => x.value.name === name && x.value.id !== id);
    if (name && dup) p.error("name", "party.duplicate", `往来单位“${name}”已存在（编号 ${dup.value.id}），请直接选用或修改名称`, "duplicate");
    let uscc: string | null = null;
    if (input.uscc.trim()) {
      const parsed = parseUscc(input.uscc);
      if (parsed.ok) uscc = parsed.code;
      else p.error("uscc", "uscc.invalid", parsed.zh, parsed.en);
    }
    return { p, name, uscc };
  }

  function saveReceipt(input: ReceiptInput, id: number | null): Receipt {
    const prev = id === null ? undefined : receipts.find((x) => x.value.id === id);
    if (id !== null && !prev) throw notFound("进货记录", id);
    if (prev) guard(prev);
    const v = validateReceipt(input, id);
    v.p.refuse();
    const supplier = resolveParty(v.supplier ?? "", "supplier");
    const rid = id ?? nextId++;
    const receipt: Receipt = {
      id: rid,
      supplierId: supplier.id,
      supplierName: supplier.name,
      material: v.material,
      spec: input.spec.trim(),
      supplierLot: v.lot,
      quantity: v.quantity,
      unit: v.unit,
      receivedOn: v.receivedOn,
      inspectionResult: input.inspectionResult as InspectionResult,
      reportNo: input.reportNo.trim() || null,
      note: input.note.trim(),
      consumed: 0,
      remaining: v.quantity,
      batchCount: 0,
      attachments: prev?.value.attachments ?? [],
      submittedAt: null,
      createdAt: prev?.value.createdAt ?? stamp(),
      updatedAt: stamp(),
    };
    record("receipt", rid, prev ? "update" : "insert", prev?.value ?? null, receipt);
    if (prev) prev.value = receipt;
    else receipts.push({ value: receipt, submittedAt: null });
    return receiptView(receipt);
  }

  function saveBatch(input: BatchInput, id: number | null): Batch {
    const prev = id === null ? undefined : batches.find((x) => x.value.id === id);
    if (id !== null && !prev) throw notFound("生产批次", id);
    if (prev) guard(prev);
    const v = validateBatch(input, id);
    v.p.refuse();
    const product = v.product!.value;
    const bid = id ?? nextId++;
    const batch = {
      id: bid,
      productId: product.id,
      productName: product.name,
      productModel: product.model,
      productGtin: product.gtin,
      granularity: product.granularity,
      lotNo: v.lotNo,
      producedOn: v.producedOn,
      quantity: v.quantity,
      unit: v.unit,
      inspectionResult: input.inspectionResult,
      inspector: input.inspector.trim(),
      reportNo: input.reportNo.trim() || null,
      inputs: [],
      inputCount: input.inputs.length,
      shipped: 0,
      itemCount: 0,
      attachments: prev?.value.attachments ?? [],
      submittedAt: null,
      createdAt: prev?.value.createdAt ?? stamp(),
      updatedAt: stamp(),
      inputList: input.inputs.map((i) => ({ receiptId: i.receiptId, quantity: i.quantity })),
    };
    record("batch", bid, prev ? "update" : "insert", prev ? stripBatch(prev.value) : null, stripBatch(batch));
    if (prev) prev.value = batch;
    else batches.push({ value: batch, submittedAt: null });
    return stripBatch(batchView(batches.find((b) => b.value.id === bid)!));
  }

  return { api, control };
}
