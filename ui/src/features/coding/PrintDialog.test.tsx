// 赋码 → 标签打印机, replaying answers recorded from Rust (`app::printing_recordings`): the built-in
// profiles, a job saved as TSPL, a refused profile and the BarTender data.

import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ApiError } from "../../api";
import dpiRefusal from "../../api/golden/printer-profile-dpi-error.json";
import savedJob from "../../api/golden/print-labels-tspl-saved.json";
import { renderFakeMainApp } from "../../test/render";

async function openPrintDialog() {
  const result = await renderFakeMainApp();
  fireEvent.click(screen.getByTestId("nav-coding"));
  await screen.findByTestId("coding-preview", {}, { timeout: 8000 });
  fireEvent.click(await screen.findByTestId("coding-generate", {}, { timeout: 8000 }));
  await screen.findByTestId("coding-result", {}, { timeout: 8000 });
  fireEvent.click(screen.getByTestId("coding-label-printer"));
  const dialog = await screen.findByTestId("print-dialog");
  await waitFor(() => expect(within(dialog).getByTestId("print-name")).toHaveValue("TSPL 203dpi 50×30"));
  return { ...result, dialog };
}

describe("label printer dialog", () => {
  it("starts on the built-in TSPL profile and saves the job into exports/", async () => {
    const { backend, dialog } = await openPrintDialog();
    expect(within(dialog).getByTestId("print-go")).toHaveTextContent("保存 100 张");
    fireEvent.click(within(dialog).getByTestId("print-go"));
    const result = await screen.findByTestId("print-result");
    expect(result).toHaveTextContent(`已保存 3 张标签：${savedJob.path}`);
    // Rust drew the Chinese product name as an image (a CJK font is installed): nothing left out.
    expect(savedJob.omittedTextLines).toBe(0);
    expect(result).not.toHaveTextContent("中文品名没有发送到打印机");
    const call = backend.calls.find((c) => c.method === "printLabels");
    expect(call?.args[0]).toMatchObject({ allocationId: 1, profile: "TSPL 203dpi 50×30", customProfile: null, printer: "", format: null });
  }, 40_000);

  it("sends to an OS printer with an edited profile, and prints a test label", async () => {
    const { backend, dialog } = await openPrintDialog();
    fireEvent.click(within(within(dialog).getByTestId("print-dpi")).getByText("300"));
    fireEvent.click(within(within(dialog).getByTestId("print-output")).getByText("发送到打印机"));
    await waitFor(() => expect(within(dialog).getByTestId("print-go")).toHaveTextContent("打印 100 张"));
    fireEvent.click(within(dialog).getByTestId("print-go"));
    expect(await screen.findByTestId("print-result")).toHaveTextContent("已发送 3 张标签到 TSC_TE244");
    const job = backend.calls.find((c) => c.method === "printLabels")?.args[0] as { customProfile: { dpi: number } | null };
    expect(job.customProfile?.dpi).toBe(300);
    fireEvent.click(within(dialog).getByTestId("print-test"));
    await waitFor(() => expect(backend.printing.jobs.map((j) => j.test)).toEqual([false, true]));
  }, 40_000);

  it("shows Rust's refusal of a profile, naming the fix", async () => {
    const { backend, dialog } = await openPrintDialog();
    backend.printing.refuseNextSave = true;
    fireEvent.click(within(dialog).getByTestId("print-save-profile"));
    expect(await screen.findByTestId("print-error")).toHaveTextContent((dpiRefusal as ApiError).messageZh);
  }, 40_000);

  it("exports label data for BarTender", async () => {
    const { dialog } = await openPrintDialog();
    fireEvent.click(within(dialog).getByTestId("print-export-data"));
    expect(await screen.findByTestId("print-data-result")).toHaveTextContent("已导出 3 行标签数据");
  }, 40_000);
});
