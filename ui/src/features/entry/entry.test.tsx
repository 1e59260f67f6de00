// The entry, master data, trace and recall screens over answers Rust gave (golden scenarios
// `entries-*`, recorded by src-tauri/crates/app/src/golden/entries.rs).

import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { todayIso } from "../../components/DateField";
import { EMPTY_QUERY } from "./RecordList";
import { renderMainApp } from "../../test/render";

// Whole-app renders with antd forms: generous, so a busy machine does not fail them.
vi.setConfig({ testTimeout: 40_000 });

async function open(screenKey: string, scenario: string) {
  const result = await renderMainApp(scenario);
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

describe("parties (往来单位)", () => {
  it("says a person's full ID card number is masked and not kept, and asks for consent", async () => {
    const { calls } = await open("parties", "entries-parties");
    fireEvent.click(screen.getByTestId("parties-new"));
    await screen.findByTestId("entry-party");
    fireEvent.click(within(screen.getByTestId("party-type")).getByText("个人"));
    await screen.findByTestId("party-id-number");
    type("party-id-number", "11010519491231002X");
    await waitFor(() => expect(screen.getByTestId("party-id-number-message")).toHaveTextContent("完整号码未保存"), {
      timeout: 5000,
    });
    fireEvent.click(screen.getByTestId("party-consent"));
    await waitFor(() =>
      expect(calls.filter((c) => c.command === "check_party").some((c) => (c.args as { input: { consent: boolean } }).input.consent)).toBe(true),
    );
  });
});

describe("receipts (进货查验)", () => {
  it("takes the supplier's codes as scanned, shows each one's kind, refuses a wrong GS1 check digit with its position, and saves them with a component's CCC certificate", async () => {
    const { calls } = await open("receipts", "entries-receipt-codes");
    fireEvent.click(screen.getByTestId("receipts-new"));
    await screen.findByTestId("entry-receipt");
    type("receipt-supplier", "宁波示例阀门有限公司");
    type("receipt-material", "燃气阀");
    type("receipt-lot", "V2503-01");
    type("receipt-quantity", "500");
    type("receipt-unit", "个");
    type("receipt-report", "IQC-1");
    type("receipt-component-ccc", "2016010901123456");
    // One scan per line, as the scanner ends each with Enter.
    const area = screen.getByTestId("receipt-supplier-codes");
    fireEvent.change(area, { target: { value: "(01)06901234567893(10)V2503-01\n" } });
    await waitFor(() => expect(screen.getByTestId("receipt-supplier-codes-message")).toHaveTextContent("第 18 位"), { timeout: 5000 });
    const codes = ["(01)06901234567892(10)V2503-01", "1006412345677", "https://www.iotroot.com/E=10064123456789012345", "HGZ-2025-0001"];
    fireEvent.change(area, { target: { value: codes.join("\n") + "\n" } });
    await waitFor(() => expect(screen.getAllByTestId("receipt-supplier-codes-kind")).toHaveLength(4), { timeout: 5000 });
    const kinds = screen.getAllByTestId("receipt-supplier-codes-kind").map((k) => k.textContent);
    expect(kinds).toEqual(["GS1 元素串", "Ecode", "Ecode", "数字身份码"]);
    await waitFor(() => expect(screen.queryByText(/第 18 位/)).toBeNull(), { timeout: 5000 });
    fireEvent.keyDown(inputOf("receipt-lot"), { key: "s", ctrlKey: true });
    await waitFor(() => expect(screen.getByTestId("receipts-count")).toHaveTextContent("1"), { timeout: 5000 });
    const added = calls.filter((c) => c.command === "add_receipt");
    expect(added).toHaveLength(1);
    expect((added[0].args as { input: { supplierCodes: string[]; componentCcc: string } }).input.supplierCodes).toEqual(codes);
  });

  it("saves with Ctrl+S, warns about a new supplier first, and lists the receipt", async () => {
    const { calls } = await open("receipts", "entries-receipts");
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
    await waitFor(() => expect(screen.getByTestId("receipts-count")).toHaveTextContent("1"), { timeout: 5000 });
    expect(calls.filter((c) => c.command === "add_receipt")).toHaveLength(1);
    const rows = screen.getAllByTestId("receipts-row");
    expect(rows[0]).toHaveTextContent("V2503-01");
    expect(rows[0]).toHaveTextContent("合格");
    // The form stays open for the next receipt, blank again.
    expect(inputOf("receipt-lot").value).toBe("");
  });

  it("shows each missing field in Chinese next to it and saves nothing", async () => {
    const { calls } = await open("receipts", "entries-receipts");
    fireEvent.click(screen.getByTestId("receipts-new"));
    await screen.findByTestId("entry-receipt");
    fireEvent.click(screen.getByTestId("receipt-save"));
    expect(await screen.findByTestId("receipt-supplier-message")).toHaveTextContent("请填写供应商");
    await waitFor(() => expect(screen.getByTestId("receipt-lot-message")).toHaveTextContent("请填写供应商批号"));
    expect(screen.getByTestId("receipt-quantity-message")).toHaveTextContent("请填写数量");
    // Rust refused the blank receipt; the list still holds none.
    expect(calls.filter((c) => c.command === "list_receipts")).toHaveLength(1);
    expect(screen.getByTestId("receipts-count")).toHaveTextContent("0");
  });

  it("moves to the next field on Enter and cancels on Esc", async () => {
    await open("receipts", "entries-receipts");
    fireEvent.click(screen.getByTestId("receipts-new"));
    await screen.findByTestId("entry-receipt");
    inputOf("receipt-lot").focus();
    fireEvent.keyDown(inputOf("receipt-lot"), { key: "Enter" });
    expect(document.activeElement).toBe(inputOf("receipt-quantity"));
    fireEvent.keyDown(inputOf("receipt-quantity"), { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("receipt-save")).toBeNull());
  });

  it("opens a submitted receipt read-only, with its history", async () => {
    // The receipt was submitted to the practice platform before the screen opened.
    await open("receipts", "entries-submitted");
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
    const { backend } = await open("production", "entries-chain");
    fireEvent.click(screen.getByTestId("production-new"));
    await screen.findByTestId("entry-batch");
    await waitFor(() => expect(inputOf("batch-lot-no").value).toBe(`B${todayIso().replaceAll("-", "")}-1`));
    // Lot L-A1 (500 received, 60 used by the seeded batch) and the seeded product.
    const lots = await backend.searchLots("L-A1", null);
    const products = await backend.listProducts(EMPTY_QUERY);
    const check = await backend.checkBatch(
      {
        productId: products.rows[0].id,
        lotNo: "B20250320-1",
        producedOn: "2025-03-06",
        quantity: 10,
        unit: "台",
        inspectionResult: "pass",
        inspector: "赵强",
        reportNo: "F",
        inputs: [{ receiptId: lots[0].receiptId, quantity: 900 }],
        inspectedOn: "",
        expiresOn: "",
        workOrderNo: "",
      },
      null,
    );
    expect(check.problems.find((p) => p.code === "lot.over-consumed")?.messageZh).toBe(
      "超出原料批次 L-A1 的剩余数量：到货 500 个，已用 60 个，剩余 440 个，本次 900 个",
    );
    expect(check.lots[0].remaining).toBe(440);
  });

  it("finds a lot by typing its number and shows its balance", async () => {
    await open("production", "entries-chain");
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
    await open("products", "entries-chain");
    fireEvent.click(screen.getByTestId("products-new"));
    await screen.findByTestId("entry-product");
    type("product-gtin", "6901234567893");
    // The live GTIN check speaks first; the form's check then shows the same next to the field.
    await waitFor(() => expect(screen.getByTestId("product-gtin-message")).toHaveTextContent("校验位应为 2"));
    expect(screen.getByTestId("product-gtin-message")).toHaveTextContent("正确的 GTIN 应为 6901234567892");
    fireEvent.click(screen.getByTestId("product-gtin-generate"));
    // The seeded product holds item reference 00001, so the next free one is 00002.
    await waitFor(() => expect(inputOf("product-gtin").value).toBe("6901234000023"));
    expect(await screen.findByTestId("product-gtin-ok")).toHaveTextContent("GTIN-13 校验通过");
  });
});

describe("trace and recall (追溯与召回)", () => {
  it("traces a delivery note back to both supplier lots and runs a recall drill", async () => {
    const { calls } = await open("trace", "entries-chain");
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
    await waitFor(() => expect(calls.filter((c) => c.command === "trace").length).toBe(2));
    await waitFor(() => expect(screen.getByTestId("trace-root")).toHaveTextContent("L-A1"));
    fireEvent.click(screen.getByTestId("trace-recall"));
    const panel = await screen.findByTestId("recall-panel", {}, { timeout: 5000 });
    expect(within(panel).getByTestId("recall-customers")).toHaveTextContent("上海示例厨电销售有限公司");
    expect(within(panel).getByTestId("recall-customers")).toHaveTextContent("30 台");
    fireEvent.click(within(panel).getByTestId("recall-export"));
    await waitFor(() => expect(calls.some((c) => c.command === "export_recall")).toBe(true));
    expect(await screen.findByTestId("recall-history")).toHaveTextContent("原料批次 L-A1");
  });

  it("says in Chinese when nothing matches", async () => {
    await open("trace", "entries-chain");
    const query = screen.getByTestId("trace-query");
    fireEvent.change(query, { target: { value: "NOPE" } });
    fireEvent.keyDown(query, { key: "Enter", code: "Enter", charCode: 13 });
    expect(await screen.findByTestId("trace-error")).toHaveTextContent("找不到“NOPE”");
  });
});

describe("dashboard (工作台)", () => {
  it("counts today's entries and failed batches from the records", async () => {
    // Two receipts, a batch and a shipment entered today (the seeded chain).
    await renderMainApp("entries-chain");
    await waitFor(() => expect(screen.getByTestId("dashboard-receipts-today")).toHaveTextContent("2"));
    // Every record the platform has not accepted yet, as Rust counts them.
    expect(screen.getByTestId("dashboard-pending")).toHaveTextContent("4");
    expect(screen.getByTestId("dashboard-chart")).toBeInTheDocument();
  });
});
