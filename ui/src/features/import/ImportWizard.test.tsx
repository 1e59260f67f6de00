// 导入 over answers Rust gave (golden scenarios `import-*`, recorded by
// src-tauri/crates/app/src/golden/import.rs): the March receipt ledger, a real workbook the
// scenario writes (a title, a note, the header on row 3 with 序号, five receipts; row 7 has an
// impossible date, rows 6 and 7 a supplier not yet registered).

import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { ApiError } from "../../api";
import type { ImportRowsPage } from "../../api/importApi";
import { openScreen, recorded } from "../../test/render";
import { percentOf } from "./ProgressPanel";

// Whole-app renders through a wizard: generous, so a busy machine does not fail them.
vi.setConfig({ testTimeout: 60_000 });
const SLOW = { timeout: 8000 };

/** The input of the antd radio whose label holds `testId`. */
function radioInput(testId: string): HTMLInputElement {
  const input = screen.getByTestId(testId).closest("label")?.querySelector("input");
  if (!input) throw new Error(`${testId} is not inside a radio`);
  return input;
}

const openImport = (scenario: string) => openScreen("import", scenario, SLOW);

/** Chooses the ledger in the native dialog (Rust's stand-in answers with the scenario's file). */
async function openSample() {
  fireEvent.click(await screen.findByTestId("import-choose-file", {}, SLOW));
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
    await openImport("import-start");
    expect(screen.getByTestId("import-drop-zone")).toHaveTextContent("拖到这个窗口");
    expect(screen.getByTestId("import-choose-file")).toBeInTheDocument();
    expect(screen.queryByTestId("import-path-input")).toBeNull();
    for (const kind of ["receipt", "batch", "item", "shipment", "product", "party"]) {
      expect(screen.getByTestId(`import-template-${kind}`)).toBeInTheDocument();
    }
    expect(await screen.findByTestId("import-history-empty", {}, SLOW)).toBeInTheDocument();
    expect(screen.queryByTestId("empty-what")).toBeNull();
  });

  it("shows an unreadable file's message and stays on the first step", async () => {
    await openImport("import-start");
    // The clerk chose a PNG photo by mistake.
    fireEvent.click(screen.getByTestId("import-choose-file"));
    const refusal = recorded("import-start", "import_open").err as ApiError;
    expect(refusal.code).toBe("unreadableFile");
    expect(await screen.findByText(/这不是表格文件/, {}, SLOW)).toBeInTheDocument();
    expect(screen.getByText(refusal.messageZh, { exact: false })).toBeInTheDocument();
    expect(screen.getByTestId("import-step-file")).toBeInTheDocument();
  });

  it("finds the header under the title, maps 序号 as a row counter, fixes a row inline and imports", async () => {
    const { calls } = await openImport("import-fix-and-commit");
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
    const page = recorded("import-fix-and-commit", "import_rows").ok as ImportRowsPage;
    const dateProblem = page.rows.find((r) => r.row === 7)?.problems.find((p) => p.field === "received_on");
    expect(dateProblem?.value).toBe("2025-02-30");
    const problems = await screen.findByTestId("import-row-problems-7", {}, SLOW);
    expect(problems).toHaveTextContent(dateProblem!.messageZh.split("：").slice(1).join("："));
    expect(screen.getByTestId("import-cell-7-received_on").className).toContain("import-cell-error");

    // Inline fix: click the cell, type, Enter.
    fireEvent.click(screen.getByTestId("import-cell-7-received_on"));
    const input = await screen.findByTestId("import-cell-input-7-received_on", {}, SLOW);
    fireEvent.change(input, { target: { value: "2025-02-28" } });
    fireEvent.keyDown(input, { key: "Enter", code: "Enter", keyCode: 13 });
    await waitFor(() => expect(screen.getByTestId("import-row-problems-7")).not.toHaveTextContent("2025-02-30"), SLOW);
    expect(calls.find((c) => c.command === "import_fix_row")?.args).toMatchObject({ input: { row: 7 } });
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
    const commit = calls.find((c) => c.command === "import_commit");
    expect(commit?.args).toMatchObject({ input: { mode: "all", createMissing: true } });
    // Rust reported the commit's progress over its channel.
    expect(recorded("import-fix-and-commit", "import_commit").progress?.length).toBeGreaterThan(0);
  });

  it("re-importing the same file says so and imports nothing new", async () => {
    await openImport("import-again");
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
  });

  it("undoes an import from the summary", async () => {
    const { calls } = await openImport("import-undo");
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
    expect(calls.some((c) => c.command === "import_undo")).toBe(true);

    fireEvent.click(screen.getByTestId("import-another"));
    const history = await screen.findByTestId("import-history", {}, SLOW);
    await waitFor(() => expect(within(history).getByTestId("import-run-1")).toHaveTextContent("已撤销"), SLOW);
  });

  it("a mapping change reads the sheet again with the clerk's choice", async () => {
    const { calls } = await openImport("import-mapping");
    await openSample();
    fireEvent.click(screen.getByTestId("import-next"));
    await screen.findByTestId("import-step-header", {}, SLOW);
    fireEvent.click(screen.getByTestId("import-next"));
    await screen.findByTestId("import-step-mapping", {}, SLOW);
    const select = within(screen.getByTestId("import-mapping-J")).getByRole("combobox");
    fireEvent.mouseDown(select);
    fireEvent.click(await screen.findByTitle("不导入", {}, SLOW));
    fireEvent.click(await screen.findByTestId("import-mapping-apply", {}, SLOW));
    await waitFor(
      () =>
        expect(calls.filter((c) => c.command === "import_read").at(-1)?.args).toMatchObject({
          input: { mapping: [{ column: "J", field: null }] },
        }),
      SLOW,
    );
  });

  it("opens a file dropped on the window", async () => {
    const { backend } = await openImport("import-drop");
    await waitFor(() => expect(screen.getByTestId("import-drop-zone")).toBeInTheDocument(), SLOW);
    // Rust hands the window a token for the dropped file (files.rs); the golden redeems it.
    const { source } = recorded("import-drop", "import_open").args as { source: string };
    await waitFor(() => expect(backend.replay.listening("tracedesk://file-drop")).toBe(true), SLOW);
    backend.replay.emit("tracedesk://file-drop", [{ token: source, name: "memory://tracedesk/拖进来的.xlsx" }]);
    await screen.findByTestId("import-step-sheet", {}, SLOW);
    expect(screen.getByTestId("import-file-info")).toHaveTextContent("拖进来的.xlsx");
  });

  it("saves a template where the clerk chooses", async () => {
    const { calls } = await openImport("import-start");
    fireEvent.click(screen.getByTestId("import-template-batch"));
    await waitFor(() => expect(calls.some((c) => c.command === "import_template")).toBe(true), SLOW);
    const picked = recorded("import-start", "pick_save_file").ok as { token: string };
    expect(calls.find((c) => c.command === "import_template")?.args).toEqual({ kind: "batch", target: picked.token });
    expect(await screen.findByText("模板已保存：memory://tracedesk/生产批次导入模板.xlsx", {}, SLOW)).toBeInTheDocument();
  });
});

describe("progress", () => {
  it("is a percentage once the total is known", () => {
    expect(percentOf(null)).toBeNull();
    expect(percentOf({ stage: "read", done: 0, total: 0 })).toBeNull();
    expect(percentOf({ stage: "commit", done: 50, total: 200 })).toBe(25);
  });
});
