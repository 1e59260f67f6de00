// 赋码 over answers Rust gave (golden scenario `coding`, recorded by
// src-tauri/crates/app/src/golden/coding.rs): a GS1 一物一码 product with one batch.

import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CodeCheck, CodeEvent, CodeGenerateSummary, CodePreview, LabelPreview, ProductCoding } from "../../api/codingApi";
import type { ApiError } from "../../api";
import { golden, openScreen, recorded } from "../../test/render";
import { GS, GS_SHOWN } from "./scanInput";

// Whole-app renders with antd: generous, so a busy machine does not fail them.
vi.setConfig({ testTimeout: 40_000 });
const SLOW = { timeout: 8000 };

afterEach(() => {
  vi.restoreAllMocks();
});

/** What Rust answered `command` in the scenario (the first matching exchange). */
function answer<T>(command: string, where?: (args: Record<string, unknown>) => boolean): T {
  return recorded("coding", command, where).ok as T;
}

async function openCoding() {
  // The screen names a generation `gen-<Date.now()>-<Math.random() in base 36>`: the clock is
  // pinned (test/setup.ts) and so is the random part (JOB_ID in golden/coding.rs).
  vi.spyOn(Math, "random").mockReturnValue(0.5);
  return openScreen("coding", "coding", SLOW);
}

async function generate() {
  await screen.findByTestId("coding-preview", {}, SLOW);
  fireEvent.click(await screen.findByTestId("coding-generate", {}, SLOW));
  return screen.findByTestId("coding-result", {}, SLOW);
}

async function checkCode(text: string) {
  const input = screen.getByTestId("code-check-input");
  fireEvent.change(input, { target: { value: text } });
  fireEvent.click(screen.getByTestId("code-check-run"));
  return screen.findByTestId("code-check-result", {}, SLOW);
}

/** Voids or reprints the checked code, giving `reason`. */
async function actOnCode(action: "void" | "reprint", reason: string) {
  fireEvent.click(screen.getByTestId(`code-check-${action}`));
  fireEvent.change(await screen.findByTestId("code-action-reason", {}, SLOW), { target: { value: reason } });
  fireEvent.click(screen.getByTestId("code-action-ok"));
}

describe("coding", () => {
  it("previews the next codes and a label for the chosen product and batch", async () => {
    await openCoding();
    const recordedPreview = answer<CodePreview>("preview_codes");
    const preview = await screen.findByTestId("coding-preview", {}, SLOW);
    await waitFor(() => expect(within(preview).getAllByTestId("coding-preview-code")).toHaveLength(5), SLOW);
    expect(recordedPreview.codes[0].code).toBe("(01)06901234567892(10)B20250715-1(21)00000001");
    expect(preview).toHaveTextContent(recordedPreview.codes[0].code);
    const label = await screen.findByTestId("label-preview", {}, SLOW);
    const recordedLabel = answer<LabelPreview>("label_preview");
    expect(screen.getByTestId("label-scanned-as")).toHaveTextContent(recordedLabel.scannedAs);
    expect(screen.getByTestId("label-scanned-as")).toHaveTextContent("]d2");
    expect(recordedLabel.title).toBe("家用燃气灶");
    expect(label).toHaveTextContent(recordedLabel.title);
    expect(screen.getByTestId("label-preview-image").getAttribute("src")).toMatch(/^data:image\/svg\+xml/);
  });

  it("generates with progress, continues the serials, and lists the range", async () => {
    const { calls } = await openCoding();
    const result = await generate();
    const summary = answer<CodeGenerateSummary>("generate_codes");
    expect(result).toHaveTextContent("已生成 100 个码");
    expect(summary.lastCode).toBe("(01)06901234567892(10)B20250715-1(21)00000100");
    expect(result).toHaveTextContent(summary.path);
    const call = calls.find((c) => c.command === "generate_codes");
    expect(call?.args).toMatchObject({ input: { count: 100, path: "", format: "csv" }, target: null });
    // Rust reported its progress over the channel while it wrote the codes.
    expect(recorded("coding", "generate_codes").progress?.length).toBeGreaterThan(0);
    await waitFor(() => expect(screen.getByTestId("coding-preview")).toHaveTextContent("(21)00000101"), SLOW);
    const ranges = screen.getByTestId("coding-allocations");
    await waitFor(() => expect(ranges).toHaveTextContent("00000001 – 00000100"), SLOW);
    expect(ranges).toHaveTextContent("已导出");
  });

  it("exports an earlier range again with the same serials", async () => {
    const { calls } = await openCoding();
    await generate();
    const ranges = screen.getByTestId("coding-allocations");
    fireEvent.click(await within(ranges).findByText("再次导出", {}, SLOW));
    await waitFor(() => expect(calls.some((c) => c.command === "export_allocation")).toBe(true), SLOW);
    const again = answer<CodeGenerateSummary>("export_allocation");
    expect(again.firstCode).toBe(answer<CodeGenerateSummary>("generate_codes").firstCode);
    expect(screen.getByTestId("coding-result")).toHaveTextContent(again.path);
  });

  it("checks a scanned code with GS and shows each problem with its AI and position", async () => {
    await openCoding();
    const input = screen.getByTestId("code-check-input");
    fireEvent.change(input, { target: { value: "]d2010690123456789310B1" } });
    // The scanner's GS arrives as Ctrl+]; the box keeps it.
    fireEvent.keyDown(input, { key: "]", ctrlKey: true });
    expect((input as HTMLInputElement).value).toContain(GS_SHOWN);
    fireEvent.keyDown(input, { key: "Enter", code: "Enter", keyCode: 13, charCode: 13 });
    const result = await screen.findByTestId("code-check-result", {}, SLOW);
    const check = answer<CodeCheck>("check_code", (a) => a.text === `]d2010690123456789310B1${GS}`);
    expect(check.valid).toBe(false);
    expect(result.dataset.valid).toBe("false");
    expect(screen.getByTestId("code-check-verdict")).toHaveTextContent("无效");
    const problem = check.problems[0];
    expect(problem.ai).toBe("01");
    expect(screen.getAllByTestId("code-check-problem-ai")[0]).toHaveTextContent("(01)");
    expect(screen.getAllByTestId("code-check-problem")[0]).toHaveTextContent(`第 ${problem.position} 位`);
  });

  it("checks GS1 Digital Link URIs: a valid one and one with a wrong check digit", async () => {
    await openCoding();
    const valid = "https://id.gs1.org/01/06901234567892/10/B20250715-1";
    expect((await checkCode(valid)).dataset.valid).toBe("true");
    expect(screen.getByTestId("code-check-verdict")).toHaveTextContent("有效");

    const wrong = "https://id.gs1.org/01/06901234567893/10/B1";
    await waitFor(async () => expect((await checkCode(wrong)).dataset.valid).toBe("false"), SLOW);
    expect(screen.getByTestId("code-check-verdict")).toHaveTextContent("无效");
    const check = answer<CodeCheck>("check_code", (a) => a.text === wrong);
    expect(screen.getAllByTestId("code-check-problem")[0]).toHaveTextContent(check.problems[0].messageZh);
  });

  it("shows the padded Digital Link as the fix, an iotroot URL as an Ecode, and the other kind a code could be", async () => {
    await openCoding();
    const short = "https://id.gs1.org/01/6901234567892";
    expect((await checkCode(short)).dataset.valid).toBe("false");
    const fix = answer<CodeCheck>("check_code", (a) => a.text === short).suggestion;
    expect(fix).toBe("https://id.gs1.org/01/06901234567892");
    expect(await screen.findByTestId("code-check-suggestion", {}, SLOW)).toHaveTextContent(fix!);

    const url = "https://www.iotroot.com/E=10064123456789012345";
    await waitFor(async () => expect((await checkCode(url)).dataset.valid).toBe("true"), SLOW);
    expect(answer<CodeCheck>("check_code", (a) => a.text === url).scheme).toBe("ecode");
    await waitFor(() => expect(screen.getByTestId("code-check-field-nsi")).toHaveTextContent("0064"), SLOW);

    const both = "1006412345677";
    await checkCode(both);
    const check = answer<CodeCheck>("check_code", (a) => a.text === both);
    expect(check.alternative).toBe("gtin");
    expect(await screen.findByTestId("code-check-alternative", {}, SLOW)).toHaveTextContent("也可能是：GTIN");
  });

  it("voids a valid code with a reason, refuses to void it twice, and logs a reprint", async () => {
    await openCoding();
    await generate();
    const seventh = "(01)06901234567892(10)B20250715-1(21)00000007";
    await checkCode(seventh);
    await waitFor(() => expect(screen.getByTestId("code-check-verdict")).toHaveTextContent("有效"), SLOW);
    await actOnCode("void", "标签印坏");
    expect(await screen.findByTestId("code-check-done", {}, SLOW)).toHaveTextContent("已作废");
    await waitFor(() => expect(screen.getByTestId("coding-event")).toHaveTextContent("标签印坏"), SLOW);
    expect(answer<CodeEvent>("void_code").code).toBe(seventh);

    // The same code again: Rust refuses, and says why.
    await actOnCode("void", "标签印坏");
    const twice = golden("coding").exchanges.filter((e) => e.command === "void_code")[1].err as ApiError;
    expect(twice.code).toBe("invalidState");
    expect(await screen.findByText(twice.messageZh, { exact: false }, SLOW)).toBeInTheDocument();

    // A reprint of the 8th code is logged with its reason.
    const eighth = "(01)06901234567892(10)B20250715-1(21)00000008";
    await checkCode(eighth);
    await waitFor(() => expect(screen.getByTestId("code-check-verdict")).toHaveTextContent("有效"), SLOW);
    await actOnCode("reprint", "标签污损");
    expect(await screen.findByTestId("code-check-done", {}, SLOW)).toHaveTextContent("已登记补打");
    await waitFor(() => expect(screen.getAllByTestId("coding-event")[0]).toHaveTextContent("标签污损"), SLOW);
  });

  it("refuses a granularity change once the product has codes", async () => {
    const { backend } = await openCoding();
    await generate();
    const coding = (await backend.codingProducts())[0] as ProductCoding;
    expect(coding.granularityLocked).toBe(true);
    await expect(
      backend.saveProductCoding(coding.productId, {
        granularity: "batch",
        codeForm: coding.codeForm,
        dlStem: coding.dlStem,
        serialMode: coding.serialMode,
        serialPattern: coding.serialPattern,
        randomLength: coding.randomLength,
        itemWithLot: coding.itemWithLot,
        withProductionDate: coding.withProductionDate,
        shelfLifeDays: coding.shelfLifeDays,
      }),
    ).rejects.toMatchObject({ code: "invalidState", field: "granularity" });
  });
});
