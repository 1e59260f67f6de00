// The in-memory stand-in for spreadsheet import (src-tauri/crates/app/src/import.rs): the same
// steps, shapes, codes and Chinese messages, on workbooks held as text grids. Any path with a
// spreadsheet extension opens the sample ledger below unless a test registers its own workbook.

import type { PickedFile } from "./backend";
import type { ApiError } from "./bindings/ApiError";
import type {
  ImportApi,
  ImportColumn,
  ImportColumnChoice,
  ImportCommitInput,
  ImportFieldInfo,
  ImportFileInfo,
  ImportKind,
  ImportProblem,
  ImportProgress,
  ImportReadInput,
  ImportReport,
  ImportRow,
  ImportRowStatus,
  ImportRun,
  ImportUnknown,
  ImportValue,
} from "./importApi";
import { IMPORT_EXTENSIONS } from "./importApi";

export interface FakeSheet {
  name: string;
  /** Rows from row 1, each from column A; `""` is a blank cell. */
  rows: string[][];
}

export interface FakeImportControl {
  /** Workbooks by path; paths not listed open `SAMPLE_LEDGER`. */
  readonly workbooks: Map<string, FakeSheet[]>;
  /** Suppliers and customers the fake database knows. */
  readonly parties: Set<string>;
  /** Records imported so far, by natural key. */
  readonly records: Map<string, number>;
  /** Drops files on the window, as the shell's file-drop event would (the fake's tokens are the paths). */
  drop(paths: string[]): void;
  /** What the fake "open" dialog answers (default: the sample ledger); `null` is a cancel. */
  pick: string | null | undefined;
}

export const SAMPLE_LEDGER: FakeSheet = {
  name: "2025年3月进货台账",
  rows: [
    ["2025年3月 原料进货查验台账"],
    ["说明：仓库每日填写，月底交质量部"],
    ["序号", "进货日期", "供应商", "原料名称", "规格", "供应商批号", "数量（kg）", "单位", "检验结果", "备注"],
    ["1", "2025-03-03", "宁波钢材有限公司", "冷轧钢板", "1.0mm", "GB2503-01", "1200", "kg", "合格", ""],
    ["2", "2025/3/4", "宁波钢材有限公司", "冷轧钢板", "1.2mm", "GB2503-02", "1,500", "千克", "合 格", "夜班到货"],
    ["3", "2025-03-05", "慈溪铜业有限公司", "黄铜棒", "H59", "CX-0305", "300", "kg", "合格", ""],
    ["4", "2025-02-30", "慈溪铜业有限公司", "黄铜棒", "H62", "CX-0306", "200", "kg", "不合格", ""],
    ["5", "2025.3.7", "宁波钢材有限公司", "镀锌板", "", "GB2503-07", "800", "kg", "PASS", ""],
  ],
};

type Field = [key: string, zh: string, en: string, required: boolean];

const FIELDS: Record<ImportKind, Field[]> = {
  receipt: [
    ["received_on", "进货日期", "Received on", true],
    ["supplier", "供应商", "Supplier", true],
    ["supplier_uscc", "供应商统一社会信用代码", "Supplier USCC", false],
    ["material", "原料名称", "Material", true],
    ["spec", "规格", "Spec", false],
    ["supplier_lot", "供应商批号", "Supplier lot", true],
    ["quantity", "数量", "Quantity", true],
    ["unit", "单位", "Unit", true],
    ["inspection_result", "检验结果", "Inspection result", true],
    ["report_no", "检验报告编号", "Report no.", false],
    ["note", "备注", "Note", false],
  ],
  batch: [
    ["product", "产品名称", "Product", false],
    ["gtin", "商品条码", "GTIN", false],
    ["lot_no", "生产批号", "Lot no.", true],
    ["produced_on", "生产日期", "Produced on", true],
    ["quantity", "数量", "Quantity", true],
    ["unit", "单位", "Unit", true],
    ["materials", "消耗原料批号", "Material lots", false],
    ["inspection_result", "出厂检验结果", "Inspection result", true],
    ["inspector", "检验员", "Inspector", false],
    ["report_no", "检验报告编号", "Report no.", false],
  ],
  item: [
    ["gtin", "商品条码", "GTIN", true],
    ["lot_no", "生产批号", "Lot no.", false],
    ["serial", "序列号", "Serial", true],
    ["produced_on", "生产日期", "Produced on", false],
  ],
  shipment: [
    ["shipped_on", "发货日期", "Shipped on", true],
    ["customer", "客户", "Customer", true],
    ["customer_uscc", "客户统一社会信用代码", "Customer USCC", false],
    ["delivery_note_no", "出库单号", "Delivery note no.", true],
    ["product", "产品名称", "Product", false],
    ["gtin", "商品条码", "GTIN", false],
    ["lot_no", "生产批号", "Lot no.", true],
    ["quantity", "数量", "Quantity", true],
    ["unit", "单位", "Unit", true],
  ],
  product: [
    ["name", "产品名称", "Product name", true],
    ["model", "规格型号", "Model", true],
    ["category", "产品类别", "Category", false],
    ["brand", "品牌", "Brand", false],
    ["standard", "执行标准", "Standard", false],
    ["gtin", "商品条码", "GTIN", false],
  ],
  party: [
    ["kind", "类型", "Type", true],
    ["name", "企业名称", "Name", true],
    ["uscc", "统一社会信用代码", "USCC", true],
    ["address", "地址", "Address", false],
    ["contact", "联系人", "Contact", false],
    ["phone", "联系电话", "Phone", false],
  ],
};

/** The natural key of a row, as the real planner forms it. */
const KEY_FIELDS: Record<ImportKind, string[]> = {
  receipt: ["supplier", "supplier_lot", "material"],
  batch: ["product", "gtin", "lot_no"],
  item: ["gtin", "lot_no", "serial"],
  shipment: ["delivery_note_no", "lot_no"],
  product: ["gtin", "name", "model"],
  party: ["name"],
};

const SYNONYMS: Record<string, string> = { 数量: "quantity", 日期: "received_on", 批号: "supplier_lot" };
const ROW_COUNTERS = new Set(["序号", "行号", "no", "no.", "#"]);

const letter = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : letter(Math.floor(i / 26) - 1) + letter(i % 26));
const index = (l: string): number => [...l].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;
const normal = (h: string) => h.replace(/[（(].*?[)）]/g, "").replace(/\s+/g, "").toLowerCase();

function apiError(code: ApiError["code"], zh: string, en: string, field: string | null = null): ApiError {
  return { code, messageZh: zh, messageEn: en, field };
}

/** `2025-03-04`, `2025/3/4`, `2025.3.4`: the date, or `null`; impossible dates are `null` too. */
function parseDate(text: string): string | null {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

interface Session {
  id: number;
  fileName: string;
  sha256: string;
  sheets: FakeSheet[];
  cancel: boolean;
  checked: Checked | null;
}

interface Checked {
  sheet: string;
  kind: ImportKind;
  headerRow: number;
  columns: ImportColumn[];
  rows: { row: number; values: Record<string, string>; edited: boolean }[];
  createMissing: boolean;
  results: { status: ImportRowStatus; problems: ImportProblem[] }[];
  unknown: ImportUnknown[];
}

/** What the fake provides: `api` goes through fake.ts's recording wrapper, `onFileDrop` does not
 * (it resolves to a function, which cannot be cloned). */
export function createFakeImport(now: () => Date): {
  api: Omit<ImportApi, "onFileDrop">;
  onFileDrop: ImportApi["onFileDrop"];
  control: FakeImportControl;
} {
  const dropHandlers = new Set<(files: PickedFile[]) => void>();
  const control: FakeImportControl = {
    workbooks: new Map(),
    parties: new Set(["宁波钢材有限公司"]),
    records: new Map(),
    drop: (paths) => dropHandlers.forEach((h) => h(paths.map((p) => ({ token: p, name: p })))),
    pick: undefined,
  };
  const sessions = new Map<number, Session>();
  const runs: ImportRun[] = [];
  let nextSession = 1;

  const session = (id: number): Session => {
    const s = sessions.get(id);
    if (!s) throw apiError("notFound", "这次导入已经结束或已过期，请重新选择文件", "the import session has ended; open the file again");
    return s;
  };

  const sheetOf = (s: Session, name: string): FakeSheet => {
    const sheet = s.sheets.find((x) => x.name === name);
    if (!sheet) {
      throw apiError(
        "unreadableFile",
        `找不到名为“${name}”的工作表。文件中的工作表有：${s.sheets.map((x) => x.name).join("、")}`,
        `sheet ${JSON.stringify(name)} not found`,
        "sheet.not-found",
      );
    }
    return sheet;
  };

  const fieldOf = (kind: ImportKind, header: string): string | null => {
    const n = normal(header);
    const hit = FIELDS[kind].find(([, zh, en]) => normal(zh) === n || normal(en) === n);
    return hit ? hit[0] : (SYNONYMS[n] ?? null);
  };

  const detect = (sheet: FakeSheet, kind: ImportKind): number | null => {
    let best: [number, number] | null = null;
    sheet.rows.slice(0, 30).forEach((cells, i) => {
      const hits = new Set(cells.map((c) => fieldOf(kind, c)).filter(Boolean)).size;
      if (hits >= 2 && (!best || hits > best[1])) best = [i + 1, hits];
    });
    return best ? (best as [number, number])[0] : null;
  };

  const place = (c: Checked, row: number, field: string) => {
    const col = c.columns.find((x) => x.field === field);
    return col
      ? { column: col.column, header: col.header, zh: `第 ${row} 行 ${col.column} 列（${col.header}）`, en: `row ${row}, column ${col.column} (${col.header})` }
      : { column: null, header: null, zh: `第 ${row} 行`, en: `row ${row}` };
  };

  const problem = (
    c: Checked,
    row: number,
    field: string,
    severity: "error" | "warning",
    code: string,
    zh: string,
    en: string,
    value: string | null,
  ): ImportProblem => {
    const p = place(c, row, field);
    return { row, column: p.column, header: p.header, field, severity, code, messageZh: `${p.zh}：${zh}`, messageEn: `${p.en}: ${en}`, value };
  };

  const keyOf = (c: Checked, values: Record<string, string>) =>
    `${c.kind}:${KEY_FIELDS[c.kind].map((f) => values[f] ?? "").join("\u001f")}`;

  const check = (c: Checked) => {
    const unknown = new Map<string, ImportUnknown>();
    const seen = new Map<string, number>();
    c.results = c.rows.map(({ row, values }) => {
      const problems: ImportProblem[] = [];
      for (const [key, zh, en, required] of FIELDS[c.kind]) {
        const text = (values[key] ?? "").trim();
        const mapped = c.columns.some((x) => x.field === key);
        if (required && mapped && text === "") {
          problems.push(problem(c, row, key, "error", "required.missing", `${zh}不能为空`, `${en} is required`, null));
        } else if (key.endsWith("_on") && text !== "" && !parseDate(text)) {
          problems.push(problem(c, row, key, "error", "date.impossible", `${text} 不是有效日期，请按 2025-03-04 的格式填写真实存在的日期`, `${text} is not a valid date`, text));
        } else if (key === "quantity" && text !== "" && !(Number(text.replace(/,/g, "")) > 0)) {
          problems.push(problem(c, row, key, "error", "number.not-positive", "数量应为大于 0 的数字", "quantity must be a number above 0", text));
        }
      }
      const partyField = c.kind === "receipt" ? "supplier" : c.kind === "shipment" ? "customer" : null;
      const party = partyField ? (values[partyField] ?? "").trim() : "";
      if (partyField && party !== "" && !control.parties.has(party)) {
        const role = partyField === "supplier" ? "供应商" : "客户";
        const warn = c.createMissing;
        problems.push(
          problem(
            c,
            row,
            partyField,
            warn ? "warning" : "error",
            "party.unknown",
            warn ? `${role}“${party}”尚未登记，导入时将自动新建` : `${role}“${party}”尚未登记。请先在“往来单位”中登记，或选择“自动新建未登记的供应商、客户和产品”`,
            warn ? `${party} will be created` : `${party} is not registered`,
            party,
          ),
        );
        const u = unknown.get(party) ?? { kind: partyField as "supplier" | "customer", name: party, rows: 0, creatable: true };
        u.rows += 1;
        unknown.set(party, u);
      }
      const key = keyOf(c, values);
      let status: ImportRowStatus = "new";
      if (control.records.has(key)) {
        problems.push(problem(c, row, "", "warning", "record.exists", "该记录已在系统中，不会重复导入", "already recorded; not imported again", null));
        status = "exists";
      } else if (seen.has(key)) {
        problems.push(problem(c, row, "", "warning", "record.repeated", `与第 ${seen.get(key)} 行是同一条记录，只导入一次`, "same record as an earlier row", null));
        status = "exists";
      } else {
        seen.set(key, row);
      }
      if (problems.some((p) => p.severity === "error")) status = "invalid";
      return { status, problems };
    });
    c.unknown = [...unknown.values()];
  };

  const report = (s: Session, c: Checked): ImportReport => {
    const count = (st: ImportRowStatus) => c.results.filter((r) => r.status === st).length;
    const missing = FIELDS[c.kind].filter(([key, , , required]) => required && !c.columns.some((x) => x.field === key));
    const sheetProblems: ImportProblem[] = missing.map(([key, zh, en]) => ({
      row: null,
      column: null,
      header: null,
      field: key,
      severity: "error",
      code: "column.missing",
      messageZh: `第 ${c.headerRow} 行的表头中没有找到必填列“${zh}”。请在列对应中把已有的列指定为“${zh}”`,
      messageEn: `the header has no column for ${en}`,
      value: null,
    }));
    const blocked = sheetProblems.length > 0;
    const fields: ImportFieldInfo[] = FIELDS[c.kind].map(([key, zh, en, required]) => ({
      key,
      zh,
      en,
      required,
      needZh: required ? "必填" : "选填",
      hintZh: "",
      hintEn: "",
    }));
    const newRows = blocked ? 0 : count("new");
    const existing = blocked ? 0 : count("exists");
    const invalid = blocked ? c.rows.length : count("invalid");
    return {
      sessionId: s.id,
      fileName: s.fileName,
      sheet: c.sheet,
      kind: c.kind,
      headerRow: c.headerRow,
      signature: c.columns.map((x) => normal(x.header)).join("|"),
      remembered: false,
      columns: c.columns,
      fields,
      rowsTotal: c.rows.length,
      rowsValid: newRows + existing,
      rowsNew: newRows,
      rowsExisting: existing,
      rowsInvalid: invalid,
      rowsWarning: c.results.filter((r) => r.status !== "invalid" && r.problems.some((p) => p.severity === "warning")).length,
      rowsEdited: c.rows.filter((r) => r.edited).length,
      sheetProblems,
      unknown: c.unknown,
      createMissing: c.createMissing,
      canCommitAll: !blocked && invalid === 0 && newRows > 0,
      canCommitValid: !blocked && newRows > 0,
      previousRuns: runs.filter((r) => r.sha256 === s.sha256 && r.status === "committed"),
    };
  };

  const rowDto = (c: Checked, i: number): ImportRow => {
    const r = c.rows[i];
    const values: ImportValue[] = FIELDS[c.kind]
      .filter(([key]) => c.columns.some((x) => x.field === key))
      .map(([key]) => ({ field: key, text: r.values[key] ?? "" }));
    return { row: r.row, status: c.results[i].status, values, problems: c.results[i].problems, edited: r.edited };
  };

  const progress = async (s: Session, stage: ImportProgress["stage"], total: number, onProgress: (p: ImportProgress) => void) => {
    for (const done of [0, Math.floor(total / 2), total]) {
      onProgress({ stage, done, total });
      await Promise.resolve();
      if (s.cancel) throw { ...apiError("invalidState", "已取消，没有写入任何数据", "cancelled; nothing was written"), field: "import.cancelled" };
    }
  };

  const checked = (s: Session): Checked => {
    if (!s.checked) throw apiError("invalidState", "请先选择工作表并读取数据", "read a sheet first");
    return s.checked;
  };

  const api: Omit<ImportApi, "onFileDrop"> = {
    async importOpen(path) {
      const ext = path.split(".").pop()?.toLowerCase() ?? "";
      if (!IMPORT_EXTENSIONS.includes(ext) || /broken|damaged|损坏/.test(path)) {
        throw apiError(
          "unreadableFile",
          "这不是表格文件（看起来是图片或其他文件）。请选择 Excel/WPS 表格（xlsx、xlsm、xlsb、xls）、ods 或 CSV 文件",
          "the file is not a spreadsheet",
          "file.not-a-spreadsheet",
        );
      }
      const sheets = control.workbooks.get(path) ?? [SAMPLE_LEDGER];
      const fileName = path.split(/[\\/]/).pop() ?? path;
      const sha256 = [...JSON.stringify(sheets)].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7).toString(16).padStart(64, "0");
      const s: Session = { id: nextSession++, fileName, sha256, sheets, cancel: false, checked: null };
      sessions.set(s.id, s);
      const info: ImportFileInfo = {
        sessionId: s.id,
        path,
        fileName,
        format: ext === "txt" ? "csv" : ext,
        encoding: ext === "csv" ? "UTF-8" : null,
        bytes: JSON.stringify(sheets).length,
        sha256,
        sheets: sheets.map((x) => ({
          name: x.name,
          visible: true,
          guessedKind: /进货|采购|原料/.test(x.name) ? "receipt" : /出库|发货/.test(x.name) ? "shipment" : /生产|批次/.test(x.name) ? "batch" : null,
        })),
        previousRuns: runs.filter((r) => r.sha256 === sha256 && r.status === "committed"),
      };
      return info;
    },

    async importPreview(input) {
      const s = session(input.sessionId);
      const sheet = sheetOf(s, input.sheet);
      const columns = Math.max(0, ...sheet.rows.map((r) => r.length));
      const rows = sheet.rows
        .map((cells, i) => ({ row: i + 1, cells: [...cells, ...Array(columns - cells.length).fill("")] }))
        .filter((r) => r.cells.some((c) => c !== ""))
        .slice(0, 30);
      return { sheet: input.sheet, rows, columns, detectedHeaderRow: detect(sheet, input.kind), truncated: sheet.rows.length > 30 };
    },

    async importRead(input: ImportReadInput, onProgress) {
      const s = session(input.sessionId);
      s.cancel = false;
      const sheet = sheetOf(s, input.sheet);
      const headerRow = input.headerRow ?? detect(sheet, input.kind);
      if (headerRow === null) {
        s.checked = null;
        throw apiError("invalidInput", "在前 30 行中没有找到表头。请确认选对了工作表和记录类型，或手动指定表头所在的行", "no header found", "headerRow");
      }
      const header = sheet.rows[headerRow - 1] ?? [];
      const used = new Set<string>();
      const columns: ImportColumn[] = header.map((h, i) => {
        const field = ROW_COUNTERS.has(h.trim().toLowerCase()) ? null : fieldOf(input.kind, h);
        const take = field && !used.has(field) ? field : null;
        if (take) used.add(take);
        return {
          column: letter(i),
          header: h,
          field: take,
          confidence: take ? (FIELDS[input.kind].some(([k, zh]) => k === take && zh === h) ? "exact" : "normalised") : "unmapped",
          rowCounter: ROW_COUNTERS.has(h.trim().toLowerCase()),
        };
      });
      for (const choice of input.mapping as ImportColumnChoice[]) {
        const i = index(choice.column);
        for (const c of columns) if (choice.field && c.field === choice.field) Object.assign(c, { field: null, confidence: "unmapped" });
        if (columns[i]) Object.assign(columns[i], { field: choice.field, confidence: choice.field ? "manual" : "unmapped" });
      }
      const rows = sheet.rows
        .map((cells, i) => ({ row: i + 1, cells }))
        .filter((r) => r.row > headerRow && r.cells.some((c) => c.trim() !== ""))
        .map((r) => {
          const values: Record<string, string> = {};
          columns.forEach((c, i) => {
            if (c.field) values[c.field] = (r.cells[i] ?? "").trim();
          });
          for (const f of Object.keys(values)) {
            if (f.endsWith("_on")) values[f] = parseDate(values[f]) ?? values[f];
            if (f === "quantity") values[f] = values[f].replace(/,/g, "");
            if (f === "inspection_result") values[f] = /合\s*格|pass/i.test(values[f]) && !/不/.test(values[f]) ? "合格" : values[f];
          }
          return { row: r.row, values, edited: false };
        });
      await progress(s, "read", rows.length, onProgress);
      const c: Checked = {
        sheet: input.sheet,
        kind: input.kind,
        headerRow,
        columns,
        rows,
        createMissing: input.createMissing,
        results: [],
        unknown: [],
      };
      check(c);
      await progress(s, "check", rows.length, onProgress);
      s.checked = c;
      return report(s, c);
    },

    async importRecheck(sessionId, createMissing, onProgress) {
      const s = session(sessionId);
      s.cancel = false;
      const c = checked(s);
      c.createMissing = createMissing;
      check(c);
      await progress(s, "check", c.rows.length, onProgress);
      return report(s, c);
    },

    async importRows(query) {
      const c = checked(session(query.sessionId));
      const keep = c.rows
        .map((_, i) => i)
        .filter((i) => {
          const r = c.results[i];
          const error = r.status === "invalid";
          const warning = r.problems.some((p) => p.severity === "warning");
          switch (query.filter) {
            case "all":
              return true;
            case "problems":
              return error || warning;
            case "errors":
              return error;
            case "warnings":
              return warning && !error;
          }
        });
      return { rows: keep.slice(query.offset, query.offset + Math.min(query.limit, 5000)).map((i) => rowDto(c, i)), total: keep.length };
    },

    async importFixRow(input) {
      const s = session(input.sessionId);
      const c = checked(s);
      const i = c.rows.findIndex((r) => r.row === input.row);
      if (i < 0) throw apiError("notFound", `第 ${input.row} 行不是这张表的数据行`, `row ${input.row} is not a data row`);
      const values: Record<string, string> = {};
      for (const v of input.values) values[v.field] = v.field.endsWith("_on") ? (parseDate(v.text) ?? v.text.trim()) : v.text.trim();
      c.rows[i] = { row: input.row, values, edited: true };
      check(c);
      return { row: rowDto(c, i), report: report(s, c) };
    },

    async importExportProblems(sessionId, path, onProgress) {
      const s = session(sessionId);
      checked(s);
      await progress(s, "export", 1, onProgress);
      return path;
    },

    async importCommit(input: ImportCommitInput, onProgress) {
      const s = session(input.sessionId);
      s.cancel = false;
      const c = checked(s);
      if (c.createMissing !== input.createMissing) {
        c.createMissing = input.createMissing;
        check(c);
      }
      const r = report(s, c);
      if (input.mode === "all" && r.rowsInvalid > 0) {
        throw apiError(
          "invalidState",
          `还有 ${r.rowsInvalid} 行有错误，按“全部导入”不能提交。请先修正，或选择“只导入没有错误的行”`,
          `${r.rowsInvalid} rows still have errors`,
        );
      }
      await progress(s, "commit", c.rows.length, onProgress);
      let imported = 0;
      let existing = 0;
      let skipped = 0;
      const created: Record<string, number> = {};
      c.rows.forEach((row, i) => {
        const status = c.results[i].status;
        if (status === "invalid") return void (skipped += 1);
        if (status === "exists") return void (existing += 1);
        imported += 1;
        control.records.set(keyOf(c, row.values), 1);
        created[c.kind] = (created[c.kind] ?? 0) + 1;
      });
      for (const u of c.unknown) {
        if (!control.parties.has(u.name)) {
          control.parties.add(u.name);
          created.party = (created.party ?? 0) + 1;
        }
      }
      let run: ImportRun | null = null;
      if (imported > 0) {
        run = {
          id: runs.length + 1,
          kind: c.kind,
          fileName: s.fileName,
          sha256: s.sha256,
          sheet: c.sheet,
          headerRow: c.headerRow,
          mode: input.mode,
          rowsTotal: c.rows.length,
          rowsImported: imported,
          rowsExisting: existing,
          rowsSkipped: skipped,
          created: Object.entries(created).map(([table, count]) => ({ table, count })),
          actor: "fake",
          durationMs: 12,
          status: "committed",
          createdAt: now().toISOString(),
          undoneAt: null,
          undoneBy: null,
          canUndo: true,
        };
        runs.push(run);
      }
      check(c);
      return { run, rowsImported: imported, rowsExisting: existing, rowsSkipped: skipped };
    },

    async importCancel(sessionId) {
      const s = sessions.get(sessionId);
      if (s) s.cancel = true;
    },

    async importClose(sessionId) {
      sessions.delete(sessionId);
    },

    async importRuns(limit) {
      return [...runs].reverse().slice(0, limit);
    },

    async importUndo(runId, onProgress) {
      const run = runs.find((r) => r.id === runId);
      if (!run) throw apiError("notFound", `没有编号为 ${runId} 的导入记录`, `no import run ${runId}`);
      if (run.status === "undone") throw apiError("invalidState", `第 ${runId} 次导入已撤销过`, `import run ${runId} was already undone`);
      onProgress({ stage: "undo", done: 0, total: 0 });
      control.records.clear();
      Object.assign(run, { status: "undone", undoneAt: now().toISOString(), undoneBy: "fake", canUndo: false });
      onProgress({ stage: "undo", done: 1, total: 1 });
      return { run, deleted: run.created, kept: [] };
    },

    async importTemplate(kind, path) {
      return { kind, path };
    },

    async chooseImportFile() {
      const path = control.pick === undefined ? "memory://import/2025年3月进货台账.xlsx" : control.pick;
      return path === null ? null : { token: path, name: path };
    },

    async chooseImportSavePath(_title, defaultName) {
      const path = `memory://exports/${defaultName}`;
      return { token: path, name: path };
    },
  };

  const onFileDrop: ImportApi["onFileDrop"] = async (handler) => {
    dropHandlers.add(handler);
    return () => {
      dropHandlers.delete(handler);
    };
  };

  return { api, onFileDrop, control };
}
