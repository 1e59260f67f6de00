import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderFakeMainApp } from "../../test/render";
import { percentOf } from "./ProgressPanel";

/** The machines the tests run on are shared and slow: wait longer than testing-library's 1 s. */
const SLOW = { timeout: 8000 };
/** A whole wizard flow, for the same reason. */
const FLOW = 60_000;

/** The input of the antd radio whose label holds `testId`. */
function radioInput(testId: string): HTMLInputElement {
  const input = screen.getByTestId(testId).closest("label")?.querySelector("input");
  if (!input) throw new Error(`${testId} is not inside a radio`);
  return input;
}

async function openImport(options: Parameters<typeof renderFakeMainApp>[0] = {}) {
  const result = await renderFakeMainApp(options);
  fireEvent.click(screen.getByTestId("nav-import"));
  await screen.findByTestId("screen-import", {}, SLOW);
  return result;
}

/** Chooses the sample ledger in the (fake) native dialog. */
async function openSample() {
  fireEvent.click(screen.getByTestId("import-choose-file"));
  await screen.findByTestId("import-step-sheet", {}, SLOW);
}

/** From the sheet step to the problem grid, accepting what was detected. */
async function toProblems() {
  fireEvent.click(screen.getByTestId("import-next"));
  await screen.findByTestId("import-step-header", {}, SLOW);
  fireEvent.click(screen.getByTestId("import-next"));
  await screen.findByTestId("import-step-mapping", {}, SLOW);
  fireEvent.click(screen.getByTestId("import-next"));
  await screen.findByTestId("import-step-problems", {}, SLOW);
  await screen.findByTestId("import-grid", {}, SLOW);
}

describe("import wizard", () => {
  it("replaces the empty state: drop zone, file dialog button (no path field), templates and history", async () => {
    await openImport();
    expect(screen.getByTestId("import-drop-zone")).toHaveTextContent("拖到这个窗口");
    expect(screen.getByTestId("import-choose-file")).toBeInTheDocument();
    expect(screen.queryByTestId("import-path-input")).toBeNull();
    for (const kind of ["receipt", "batch", "item", "shipment", "product", "party"]) {
      expect(screen.getByTestId(`import-template-${kind}`)).toBeInTheDocument();
    }
    expect(await screen.findByTestId("import-history-empty", {}, SLOW)).toBeInTheDocument();
    expect(screen.queryByTestId("empty-what")).toBeNull();
  }, FLOW);

  it("shows an unreadable file's message and stays on the first step", async () => {
    const { backend } = await openImport();
    backend.imports.pick = "/tmp/photo.png";
    fireEvent.click(screen.getByTestId("import-choose-file"));
    expect(await screen.findByText(/这不是表格文件/, {}, SLOW)).toBeInTheDocument();
    expect(screen.getByTestId("import-step-file")).toBeInTheDocument();
  }, FLOW);

  it("finds the header under the title, maps 序号 as a row counter, fixes a row inline and imports", async () => {
    const { backend } = await openImport();
    await openSample();
    expect(screen.getByTestId("import-file-info")).toHaveTextContent("2025年3月进货台账.xlsx");
    expect(radioInput("import-kind-receipt")).toBeChecked();

    fireEvent.click(screen.getByTestId("import-next"));
    await screen.findByTestId("import-step-header", {}, SLOW);
    expect(screen.getByTestId("import-header-detected")).toHaveTextContent("第 3 行");
    expect(screen.getByTestId("import-header-row-3").className).toContain("import-header-detected-row");

    fireEvent.click(screen.getByTestId("import-next"));
    await screen.findByTestId("import-step-mapping", {}, SLOW);
    expect(screen.getByTestId("import-mapping-counter-A")).toHaveTextContent("忽略（行号）");
    expect(screen.getByTestId("import-confidence-B")).toHaveTextContent("精确");

    fireEvent.click(screen.getByTestId("import-next"));
    await screen.findByTestId("import-step-problems", {}, SLOW);
    expect(screen.getByTestId("import-count-invalid")).toHaveTextContent("2");
    expect(screen.getByTestId("import-unknown")).toHaveTextContent("慈溪铜业有限公司");
    const problems = await screen.findByTestId("import-row-problems-7", {}, SLOW);
    expect(problems).toHaveTextContent("2025-02-30 不是有效日期");
    expect(screen.getByTestId("import-cell-7-received_on").className).toContain("import-cell-error");

    // Inline fix: click the cell, type, Enter.
    fireEvent.click(screen.getByTestId("import-cell-7-received_on"));
    const input = await screen.findByTestId("import-cell-input-7-received_on", {}, SLOW);
    fireEvent.change(input, { target: { value: "2025-02-28" } });
    fireEvent.keyDown(input, { key: "Enter", code: "Enter", keyCode: 13 });
    await waitFor(() => expect(screen.getByTestId("import-row-problems-7")).not.toHaveTextContent("不是有效日期"), SLOW);
    expect(backend.calls.find((c) => c.method === "importFixRow")?.args[0]).toMatchObject({ row: 7 });
    expect(screen.getByTestId("import-count-edited")).toHaveTextContent("1");

    // Create the unknown supplier on commit.
    fireEvent.click(screen.getByTestId("import-create-missing"));
    await waitFor(() => expect(screen.getByTestId("import-count-invalid")).toHaveTextContent("0"), SLOW);

    fireEvent.click(screen.getByTestId("import-next"));
    await screen.findByTestId("import-step-commit", {}, SLOW);
    expect(radioInput("import-mode-all")).toBeChecked();
    expect(screen.getByTestId("import-commit-summary")).toHaveTextContent("将新增 5 条记录");
    fireEvent.click(screen.getByTestId("import-commit"));

    expect(await screen.findByTestId("import-done-title", {}, SLOW)).toHaveTextContent("导入完成：新增 5 条记录");
    expect(screen.getByTestId("import-created")).toHaveTextContent("导入编号 1");
    const commit = backend.calls.find((c) => c.method === "importCommit");
    expect(commit?.args[0]).toMatchObject({ mode: "all", createMissing: true });
    expect(commit?.args[1]).toBe("[function]");
  }, FLOW);

  it("re-importing the same file says so and imports nothing new", async () => {
    await openImport();
    await openSample();
    await toProblems();
    fireEvent.click(screen.getByTestId("import-create-missing"));
    await waitFor(() => expect(screen.getByTestId("import-count-invalid")).toHaveTextContent("1"), SLOW);
    fireEvent.click(screen.getByTestId("import-next"));
    await screen.findByTestId("import-step-commit", {}, SLOW);
    fireEvent.click(radioInput("import-mode-valid"));
    fireEvent.click(screen.getByTestId("import-commit"));
    expect(await screen.findByTestId("import-done-title", {}, SLOW)).toHaveTextContent("新增 4 条记录");

    fireEvent.click(screen.getByTestId("import-another"));
    await openSample();
    expect(screen.getByTestId("import-previous-runs")).toHaveTextContent("已经导入过");
    await toProblems();
    expect(screen.getByTestId("import-count-new")).toHaveTextContent("0");
    expect(screen.getByTestId("import-count-existing")).toHaveTextContent("4");
  }, FLOW);

  it("undoes an import from the summary", async () => {
    const { backend } = await openImport();
    await openSample();
    await toProblems();
    fireEvent.click(screen.getByTestId("import-next"));
    await screen.findByTestId("import-step-commit", {}, SLOW);
    fireEvent.click(radioInput("import-mode-valid"));
    fireEvent.click(screen.getByTestId("import-commit"));
    await screen.findByTestId("import-done", {}, SLOW);
    fireEvent.click(screen.getByTestId("import-undo"));
    fireEvent.click(await screen.findByTestId("import-undo-ok", {}, SLOW));
    expect(await screen.findByTestId("import-undone-tag", {}, SLOW)).toHaveTextContent("已撤销");
    expect(backend.calls.some((c) => c.method === "importUndo")).toBe(true);

    fireEvent.click(screen.getByTestId("import-another"));
    const history = await screen.findByTestId("import-history", {}, SLOW);
    await waitFor(() => expect(within(history).getByTestId("import-run-1")).toHaveTextContent("已撤销"), SLOW);
  }, FLOW);

  it("a mapping change reads the sheet again with the clerk's choice", async () => {
    const { backend } = await openImport();
    await openSample();
    fireEvent.click(screen.getByTestId("import-next"));
    await screen.findByTestId("import-step-header", {}, SLOW);
    fireEvent.click(screen.getByTestId("import-next"));
    await screen.findByTestId("import-step-mapping", {}, SLOW);
    const select = within(screen.getByTestId("import-mapping-J")).getByRole("combobox");
    fireEvent.mouseDown(select);
    fireEvent.click(await screen.findByTitle("不导入", {}, SLOW));
    fireEvent.click(await screen.findByTestId("import-mapping-apply", {}, SLOW));
    await waitFor(() =>
      expect(backend.calls.filter((c) => c.method === "importRead").at(-1)?.args[0]).toMatchObject({
        mapping: [{ column: "J", field: null }],
      }),
      SLOW,
    );
  }, FLOW);

  it("opens a file dropped on the window", async () => {
    const { backend } = await openImport();
    await waitFor(() => expect(screen.getByTestId("import-drop-zone")).toBeInTheDocument(), SLOW);
    backend.imports.drop(["/home/clerk/拖进来的.xlsx"]);
    await screen.findByTestId("import-step-sheet", {}, SLOW);
    expect(screen.getByTestId("import-file-info")).toHaveTextContent("拖进来的.xlsx");
  }, FLOW);

  it("saves a template where the clerk chooses", async () => {
    const { backend } = await openImport();
    fireEvent.click(screen.getByTestId("import-template-batch"));
    await waitFor(() => expect(backend.calls.some((c) => c.method === "importTemplate")).toBe(true), SLOW);
    expect(backend.calls.find((c) => c.method === "importTemplate")?.args).toEqual([
      "batch",
      "memory://exports/生产批次导入模板.xlsx",
    ]);
  }, FLOW);
});

describe("progress", () => {
  it("is a percentage once the total is known", () => {
    expect(percentOf(null)).toBeNull();
    expect(percentOf({ stage: "read", done: 0, total: 0 })).toBeNull();
    expect(percentOf({ stage: "commit", done: 50, total: 200 })).toBe(25);
  });
});
