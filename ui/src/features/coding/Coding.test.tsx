import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { fakeCheck, gs1CheckDigit } from "../../api/fakeCoding";
import { renderFakeMainApp } from "../../test/render";
import { GS_SHOWN } from "./scanInput";

async function openCoding() {
  const result = await renderFakeMainApp();
  fireEvent.click(screen.getByTestId("nav-coding"));
  await screen.findByTestId("screen-coding", {}, { timeout: 8000 });
  return result;
}

describe("coding", () => {
  it("previews the next codes and a label for the chosen product and batch", async () => {
    await openCoding();
    const preview = await screen.findByTestId("coding-preview", {}, { timeout: 8000 });
    await waitFor(() => expect(within(preview).getAllByTestId("coding-preview-code")).toHaveLength(5), { timeout: 8000 });
    expect(preview).toHaveTextContent("(01)06901234567892(10)B20250715-01(21)00000001");
    const label = await screen.findByTestId("label-preview", {}, { timeout: 8000 });
    expect(label).toHaveTextContent("储水式电热水器");
    expect(screen.getByTestId("label-scanned-as")).toHaveTextContent("]d2");
    expect(screen.getByTestId("label-preview-image").getAttribute("src")).toMatch(/^data:image\/svg\+xml/);
  }, 40_000);

  it("generates with progress, continues the serials, and lists the range", async () => {
    const { backend } = await openCoding();
    await screen.findByTestId("coding-preview", {}, { timeout: 8000 });
    fireEvent.click(await screen.findByTestId("coding-generate", {}, { timeout: 8000 }));
    const result = await screen.findByTestId("coding-result", {}, { timeout: 8000 });
    expect(result).toHaveTextContent("已生成 100 个码");
    expect(result).toHaveTextContent("(21)00000100");
    const call = backend.calls.find((c) => c.method === "generateCodes");
    expect(call?.args[0]).toMatchObject({ productId: 1, batchId: 1, count: 100, path: "", format: "csv" });
    await waitFor(() => expect(screen.getByTestId("coding-preview")).toHaveTextContent("(21)00000101"), { timeout: 8000 });
    const ranges = screen.getByTestId("coding-allocations");
    await waitFor(() => expect(ranges).toHaveTextContent("00000001 – 00000100"), { timeout: 8000 });
    expect(ranges).toHaveTextContent("已导出");
  }, 40_000);

  it("checks a scanned code with GS and shows each problem with its AI and position", async () => {
    await openCoding();
    const input = screen.getByTestId("code-check-input");
    fireEvent.change(input, { target: { value: "]d2010690123456789310B1" } });
    // The scanner's GS arrives as Ctrl+]; the box keeps it.
    fireEvent.keyDown(input, { key: "]", ctrlKey: true });
    expect((input as HTMLInputElement).value).toContain(GS_SHOWN);
    fireEvent.keyDown(input, { key: "Enter", code: "Enter", keyCode: 13, charCode: 13 });
    const result = await screen.findByTestId("code-check-result", {}, { timeout: 8000 });
    expect(result.dataset.valid).toBe("false");
    expect(screen.getByTestId("code-check-verdict")).toHaveTextContent("无效");
    expect(screen.getByTestId("code-check-problem-ai")).toHaveTextContent("(01)");
    expect(screen.getByTestId("code-check-problem")).toHaveTextContent("第 19 位");
  }, 40_000);

  it("voids a valid code with a reason, and refuses to void it twice", async () => {
    await openCoding();
    const input = screen.getByTestId("code-check-input");
    fireEvent.change(input, { target: { value: "(01)06901234567892(10)B20250715-01(21)00000007" } });
    fireEvent.click(screen.getByTestId("code-check-run"));
    await waitFor(() => expect(screen.getByTestId("code-check-verdict")).toHaveTextContent("有效"), { timeout: 8000 });
    fireEvent.click(screen.getByTestId("code-check-void"));
    fireEvent.change(await screen.findByTestId("code-action-reason", {}, { timeout: 8000 }), { target: { value: "标签印坏" } });
    fireEvent.click(screen.getByTestId("code-action-ok"));
    expect(await screen.findByTestId("code-check-done", {}, { timeout: 8000 })).toHaveTextContent("已作废");
    await waitFor(() => expect(screen.getByTestId("coding-event")).toHaveTextContent("标签印坏"), { timeout: 8000 });
  }, 40_000);

  it("refuses a granularity change once the product has codes", async () => {
    const { backend } = await openCoding();
    await screen.findByTestId("coding-preview", {}, { timeout: 8000 });
    fireEvent.click(await screen.findByTestId("coding-generate", {}, { timeout: 8000 }));
    await screen.findByTestId("coding-result", {}, { timeout: 8000 });
    const coding = (await backend.codingProducts())[0];
    expect(coding.granularityLocked).toBe(true);
    await expect(
      backend.saveProductCoding(1, { ...coding, granularity: "batch" }),
    ).rejects.toMatchObject({ code: "invalidState", field: "granularity" });
  }, 40_000);
});

describe("fake code check", () => {
  it("agrees with the GS1 check digits of domain.md", () => {
    expect(gs1CheckDigit("690123456789")).toBe(2);
    expect(gs1CheckDigit("0952012345678")).toBe(8);
    expect(fakeCheck("(01)09520123456788(10)ABC123").valid).toBe(true);
    expect(fakeCheck("(01)09520123456789(10)ABC123").problems[0].ai).toBe("01");
  });
});
