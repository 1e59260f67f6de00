// The entry, master data, trace and recall screens against the in-memory back end (api/fake.ts).

import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { FakeBackend } from "../../api/fake";
import type { ReceiptInput } from "../../api/bindings/ReceiptInput";
import { todayIso } from "../../components/DateField";
import { renderMainApp } from "../../test/render";

// Whole-app renders with antd forms: generous, so a busy machine does not fail them.
vi.setConfig({ testTimeout: 40_000 });

async function open(screenKey: string, options: Parameters<typeof renderMainApp>[0] = {}) {
  const result = await renderMainApp(options);
  fireEvent.click(screen.getByTestId(`nav-${screenKey}`));
  await screen.findByTestId(`screen-${screenKey}`);
  return result;
}

/** The input inside an antd control that carries `data-testid` on its wrapper (or is the input). */
function inputOf(testId: string): HTMLInputElement {
  const el = screen.getByTestId(testId);
  return (el.tagName === "INPUT" ? el : el.querySelector("input")) as HTMLInputElement;
}

function type(testId: string, value: string) {
  fireEvent.change(inputOf(testId), { target: { value } });
}

const receipt = (lot: string, quantity: number, supplier = "宁波示例阀门有限公司"): ReceiptInput => ({
  supplierName: supplier,
  material: "燃气阀",
  spec: "DN15",
  supplierLot: lot,
  quantity,
  unit: "个",
  receivedOn: "2025-03-02",
  inspectionResult: "pass",
  reportNo: `IQC-${lot}`,
  note: "",
});

/** Two lots, a product, a batch consuming both, a shipment of it: the chain a trace walks. */
async function seed(backend: FakeBackend) {
  const a = await backend.addReceipt(receipt("L-A1", 500));
  const b = await backend.addReceipt(receipt("L-B1", 200, "杭州示例五金有限公司"));
  const product = await backend.addProduct({
    name: "家用燃气灶",
    model: "JZT-2Q1",
    category: "KP-GAS-03",
    brand: "",
    standard: "",
    gtin: "6901234000016",
    scheme: "gs1",
    granularity: "batch",
    cccCertNo: "",
    cccValidFrom: "",
    cccValidTo: "",
    cccMarkNo: "",
    cccModels: [],
  });
  const batch = await backend.addBatch({
    productId: product.id,
    lotNo: "B20250305-1",
    producedOn: "2025-03-05",
    quantity: 100,
    unit: "台",
    inspectionResult: "pass",
    inspector: "赵强",
    reportNo: "FQC-1",
    inputs: [
      { receiptId: a.id, quantity: 60 },
      { receiptId: b.id, quantity: 40 },
    ],
  });
  await backend.addShipment({
    customerName: "上海示例厨电销售有限公司",
    shippedOn: "2025-03-10",
    deliveryNoteNo: "DN-20250310-001",
    note: "",
    lines: [{ batchId: batch.id, itemId: null, quantity: 30 }],
  });
  return { a, b, product, batch };
}

describe("receipts (进货查验)", () => {
  it("saves with Ctrl+S, warns about a new supplier first, and lists the receipt", async () => {
    await open("receipts");
    fireEvent.click(screen.getByTestId("receipts-new"));
    await screen.findByTestId("entry-receipt");
    type("receipt-supplier", "宁波示例阀门有限公司");
    type("receipt-material", "燃气阀");
    type("receipt-lot", "V2503-01");
    type("receipt-quantity", "500");
    type("receipt-unit", "个");
    type("receipt-report", "IQC-1");
    await waitFor(() =>
      expect(screen.getByTestId("receipt-supplier-message")).toHaveTextContent("新供应商“宁波示例阀门有限公司”将在保存时加入往来单位"),
    );
    fireEvent.keyDown(inputOf("receipt-lot"), { key: "s", ctrlKey: true });
    await waitFor(() => expect(screen.getByTestId("receipts-count")).toHaveTextContent("1"));
    const rows = screen.getAllByTestId("receipts-row");
    expect(rows[0]).toHaveTextContent("V2503-01");
    expect(rows[0]).toHaveTextContent("合格");
    // The form stays open for the next receipt, blank again.
    expect(inputOf("receipt-lot").value).toBe("");
  });

  it("shows each missing field in Chinese next to it and saves nothing", async () => {
    const { backend } = await open("receipts");
    fireEvent.click(screen.getByTestId("receipts-new"));
    await screen.findByTestId("entry-receipt");
    fireEvent.click(screen.getByTestId("receipt-save"));
    expect(await screen.findByTestId("receipt-supplier-message")).toHaveTextContent("请填写供应商");
    await waitFor(() => expect(screen.getByTestId("receipt-lot-message")).toHaveTextContent("请填写供应商批号"));
    expect(screen.getByTestId("receipt-quantity-message")).toHaveTextContent("请填写数量");
    expect((await backend.listReceipts({ search: "", sort: null, descending: false, offset: 0, limit: 0, inspection: null, kind: null, from: null, to: null })).total).toBe(0);
  });

  it("moves to the next field on Enter and cancels on Esc", async () => {
    await open("receipts");
    fireEvent.click(screen.getByTestId("receipts-new"));
    await screen.findByTestId("entry-receipt");
    inputOf("receipt-lot").focus();
    fireEvent.keyDown(inputOf("receipt-lot"), { key: "Enter" });
    expect(document.activeElement).toBe(inputOf("receipt-quantity"));
    fireEvent.keyDown(inputOf("receipt-quantity"), { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("receipt-save")).toBeNull());
  });

  it("opens a submitted receipt read-only, with its history", async () => {
    const { backend } = await open("receipts");
    const saved = await backend.addReceipt(receipt("V9", 10));
    backend.entries.markSubmitted("receipt", saved.id);
    fireEvent.click(screen.getByTestId("nav-dashboard"));
    fireEvent.click(screen.getByTestId("nav-receipts"));
    fireEvent.click(await screen.findByTestId("receipts-row"));
    await screen.findByTestId("entry-receipt");
    expect(screen.getByTestId("receipt-save")).toBeDisabled();
    expect(screen.getByTestId("entry-receipt")).toHaveTextContent("已报送，只读");
    fireEvent.click(screen.getByText("修改记录"));
    expect(await screen.findByTestId("record-history")).toHaveTextContent("新增");
  });
});

describe("production (生产批次)", () => {
  it("suggests the lot number and warns when a lot is consumed beyond what is left", async () => {
    const { backend } = await open("production");
    const { a, product } = await seed(backend);
    fireEvent.click(screen.getByTestId("production-new"));
    await screen.findByTestId("entry-batch");
    await waitFor(() => expect(inputOf("batch-lot-no").value).toBe(`B${todayIso().replaceAll("-", "")}-1`));
    const check = await backend.checkBatch(
      {
        productId: product.id,
        lotNo: "B20250320-1",
        producedOn: "2025-03-06",
        quantity: 10,
        unit: "台",
        inspectionResult: "pass",
        inspector: "赵强",
        reportNo: "F",
        inputs: [{ receiptId: a.id, quantity: 900 }],
      },
      null,
    );
    expect(check.problems.find((p) => p.code === "lot.over-consumed")?.messageZh).toBe(
      "超出原料批次 L-A1 的剩余数量：到货 500 个，已用 60 个，剩余 440 个，本次 900 个",
    );
    expect(check.lots[0].remaining).toBe(440);
  });

  it("finds a lot by typing its number and shows its balance", async () => {
    const { backend } = await open("production");
    await seed(backend);
    fireEvent.click(screen.getByTestId("production-new"));
    await screen.findByTestId("entry-batch");
    const search = inputOf("batch-lot-0");
    fireEvent.change(search, { target: { value: "L-B1" } });
    const option = await screen.findByText((_, el) => el?.classList.contains("lot-option") === true && /L-B1/.test(el.textContent ?? ""));
    fireEvent.click(option);
    expect(await screen.findByTestId("batch-lot-balance-0")).toHaveTextContent("剩余 160 个");
    // A blank line waits for the next lot.
    expect(screen.getByTestId("batch-lot-line-1")).toBeInTheDocument();
  });
});

describe("products (产品)", () => {
  it("says what the GTIN check digit should be, and generates one from the company prefix", async () => {
    await open("products");
    fireEvent.click(screen.getByTestId("products-new"));
    await screen.findByTestId("entry-product");
    type("product-gtin", "6901234567893");
    // The live GTIN check speaks first; the form's check then shows the same next to the field.
    await waitFor(() => expect(screen.getByTestId("product-gtin-message")).toHaveTextContent("校验位应为 2"));
    expect(screen.getByTestId("product-gtin-message")).toHaveTextContent("正确的 GTIN 应为 6901234567892");
    fireEvent.click(screen.getByTestId("product-gtin-generate"));
    await waitFor(() => expect(inputOf("product-gtin").value).toBe("6901234000016"));
    expect(await screen.findByTestId("product-gtin-ok")).toHaveTextContent("GTIN-13 校验通过");
  });
});

describe("trace and recall (追溯与召回)", () => {
  it("traces a delivery note back to both supplier lots and runs a recall drill", async () => {
    const { backend } = await open("trace");
    await seed(backend);
    const search = (text: string) => {
      const query = screen.getByTestId("trace-query");
      fireEvent.change(query, { target: { value: text } });
      // antd fires onPressEnter once per key press: down, then up.
      fireEvent.keyDown(screen.getByTestId("trace-query"), { key: "Enter", code: "Enter", charCode: 13 });
      fireEvent.keyUp(screen.getByTestId("trace-query"), { key: "Enter", code: "Enter", charCode: 13 });
    };
    search("DN-20250310-001");
    const result = await screen.findByTestId("trace-result");
    expect(within(result).getByTestId("trace-root")).toHaveTextContent("DN-20250310-001");
    fireEvent.click(within(result).getByText("追溯表"));
    const table = await screen.findByTestId("trace-table");
    expect(table).toHaveTextContent("L-A1");
    expect(table).toHaveTextContent("L-B1");
    expect(table).toHaveTextContent("宁波示例阀门有限公司");
    expect(table).toHaveTextContent("杭州示例五金有限公司");
    expect(table).toHaveTextContent("上海示例厨电销售有限公司");

    // From a material lot, a recall drill lists the customer with the quantity shipped.
    search("L-A1");
    await waitFor(() => expect(backend.calls.filter((c) => c.method === "trace").length).toBe(2));
    await waitFor(() => expect(screen.getByTestId("trace-root")).toHaveTextContent("L-A1"));
    fireEvent.click(screen.getByTestId("trace-recall"));
    const panel = await screen.findByTestId("recall-panel");
    expect(within(panel).getByTestId("recall-customers")).toHaveTextContent("上海示例厨电销售有限公司");
    expect(within(panel).getByTestId("recall-customers")).toHaveTextContent("30 台");
    fireEvent.click(within(panel).getByTestId("recall-export"));
    await waitFor(() => expect(backend.calls.some((c) => c.method === "exportRecall")).toBe(true));
    expect(await screen.findByTestId("recall-history")).toHaveTextContent("原料批次 L-A1");
  });

  it("says in Chinese when nothing matches", async () => {
    await open("trace");
    const query = screen.getByTestId("trace-query");
    fireEvent.change(query, { target: { value: "NOPE" } });
    fireEvent.keyDown(query, { key: "Enter", code: "Enter", charCode: 13 });
    expect(await screen.findByTestId("trace-error")).toHaveTextContent("找不到“NOPE”");
  });
});

describe("dashboard (工作台)", () => {
  it("counts today's entries and failed batches from the records", async () => {
    const { backend } = await renderMainApp();
    await act(async () => {
      await backend.addReceipt({ ...receipt("T1", 5), receivedOn: todayIso() });
    });
    fireEvent.click(screen.getByTestId("nav-receipts"));
    fireEvent.click(screen.getByTestId("nav-dashboard"));
    await waitFor(() => expect(screen.getByTestId("dashboard-receipts-today")).toHaveTextContent("1"));
    expect(screen.getByTestId("dashboard-pending")).toHaveTextContent("0");
    expect(screen.getByTestId("dashboard-chart")).toBeInTheDocument();
  });
});
