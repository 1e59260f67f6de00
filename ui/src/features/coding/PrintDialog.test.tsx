// 赋码 → 标签打印机 over answers Rust gave (golden scenario `coding`, recorded by
// src-tauri/crates/app/src/golden/coding.rs): the built-in profiles, the generated range printed
// to a TSPL file, an edited profile, a test label, a refused profile and the BarTender data. The
// recording has no OS printer (its print server is not there), so the printer output stays off.

import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ApiError } from "../../api";
import type { LabelDataExportResult, PrintLabelsResult } from "../../api/printingApi";
import { recorded, renderMainApp } from "../../test/render";

vi.setConfig({ testTimeout: 40_000 });
const SLOW = { timeout: 8000 };

afterEach(() => {
  vi.restoreAllMocks();
});

async function openPrintDialog() {
  // The generation's job id is pinned as in Coding.test.tsx (JOB_ID in golden/coding.rs).
  vi.spyOn(Math, "random").mockReturnValue(0.5);
  const result = await renderMainApp("coding");
  fireEvent.click(screen.getByTestId("nav-coding"));
  await screen.findByTestId("coding-preview", {}, SLOW);
  fireEvent.click(await screen.findByTestId("coding-generate", {}, SLOW));
  await screen.findByTestId("coding-result", {}, SLOW);
  fireEvent.click(screen.getByTestId("coding-label-printer"));
  const dialog = await screen.findByTestId("print-dialog", {}, SLOW);
  await waitFor(() => expect(within(dialog).getByTestId("print-name")).toHaveValue("TSPL 203dpi 50×30"), SLOW);
  return { ...result, dialog };
}

const printed = (where: (input: Record<string, unknown>) => boolean) =>
  recorded("coding", "print_labels", (a) => where(a.input as Record<string, unknown>)).ok as PrintLabelsResult;

describe("label printer dialog", () => {
  it("starts on the built-in TSPL profile and saves the job into exports/", async () => {
    const { calls, dialog } = await openPrintDialog();
    expect(within(dialog).getByTestId("print-go")).toHaveTextContent("保存 100 张");
    fireEvent.click(within(dialog).getByTestId("print-go"));
    const result = await screen.findByTestId("print-result", {}, SLOW);
    const saved = printed((input) => input.customProfile === null);
    expect(saved.labels).toBe(100);
    expect(result).toHaveTextContent(`已保存 100 张标签：${saved.path}`);
    // Rust drew the Chinese product name as an image (a CJK font is installed): nothing left out.
    expect(saved.omittedTextLines).toBe(0);
    expect(result).not.toHaveTextContent("中文品名没有发送到打印机");
    const call = calls.find((c) => c.command === "print_labels");
    expect(call?.args).toMatchObject({
      input: { allocationId: 1, profile: "TSPL 203dpi 50×30", customProfile: null, printer: "", format: null },
    });
  });

  it("offers no printer output when the OS lists none, saves with an edited profile, and prints a test label", async () => {
    const { calls, dialog } = await openPrintDialog();
    // Rust could not list printers (no print server): the printer output cannot be chosen.
    expect(recorded("coding", "os_printers").err).toBeDefined();
    expect(within(within(dialog).getByTestId("print-output")).getByText("发送到打印机").closest("label")?.querySelector("input")).toBeDisabled();
    fireEvent.click(within(within(dialog).getByTestId("print-dpi")).getByText("300"));
    fireEvent.click(within(dialog).getByTestId("print-go"));
    const edited = printed((input) => input.customProfile !== null);
    expect(await screen.findByTestId("print-result", {}, SLOW)).toHaveTextContent(`已保存 100 张标签：${edited.path}`);
    const job = calls.find((c) => c.command === "print_labels")?.args as { input: { customProfile: { dpi: number } | null } };
    expect(job.input.customProfile?.dpi).toBe(300);

    fireEvent.click(within(within(dialog).getByTestId("print-dpi")).getByText("203"));
    fireEvent.click(within(dialog).getByTestId("print-test"));
    const test = recorded("coding", "print_test_label").ok as PrintLabelsResult;
    await waitFor(() => expect(screen.getByTestId("print-result")).toHaveTextContent(test.path), SLOW);
    expect(calls.filter((c) => c.command === "print_labels" || c.command === "print_test_label").map((c) => c.command)).toEqual([
      "print_labels",
      "print_test_label",
    ]);
  });

  it("shows Rust's refusal of a profile, naming the fix", async () => {
    const { dialog } = await openPrintDialog();
    const width = within(within(dialog).getByTestId("print-width").closest(".ant-input-number") as HTMLElement).getByRole("spinbutton");
    fireEvent.change(width, { target: { value: "0" } });
    fireEvent.click(within(dialog).getByTestId("print-save-profile"));
    const refusal = recorded("coding", "save_printer_profile").err as ApiError;
    expect(refusal.field).toBe("label_width_mm");
    expect(await screen.findByTestId("print-error", {}, SLOW)).toHaveTextContent(refusal.messageZh);
  });

  it("exports label data for BarTender", async () => {
    const { dialog } = await openPrintDialog();
    fireEvent.click(within(dialog).getByTestId("print-export-data"));
    const data = recorded("coding", "export_label_data").ok as LabelDataExportResult;
    expect(await screen.findByTestId("print-data-result", {}, SLOW)).toHaveTextContent(`已导出 ${data.rows} 行标签数据`);
  });
});
