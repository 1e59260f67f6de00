// 报送 and 档案 over Rust's answers (golden scenarios `submission-practice`: the seeded chain on
// the built-in practice platform, and `submission-remote`: a receipt sent to a real platform, the
// simulator on 127.0.0.1; src-tauri/crates/app/src/golden/submission.rs).
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { SubmitSummary } from "../../api/submissionApi";
import { golden, openScreen, recorded } from "../../test/render";

/** The recorded answers of the runs, in order. */
const runs = (name: string) =>
  golden(name)
    .exchanges.filter((e) => e.command === "submit_records")
    .map((e) => e.ok as SubmitSummary);

const openSubmission = (name = "submission-practice") => openScreen("submission", name);

describe("submission", () => {
  it("lists what the platform will refuse, with a link to fix it", async () => {
    await openSubmission();
    const summary = await screen.findByTestId("submission-checklist-summary");
    expect(summary).toHaveTextContent("待报送 6 条，其中 2 条信息完整");
    const problems = screen.getAllByTestId("submission-problem");
    const customer = problems.find((p) => p.textContent?.includes("客户“上海示例厨电销售有限公司”缺少统一社会信用代码"));
    expect(customer).toBeDefined();
    fireEvent.click(within(customer as HTMLElement).getByTestId("submission-problem-fix"));
    await screen.findByTestId("screen-parties");
  }, 30_000);

  it("submits with progress, shows the rejections, and resubmits once fixed", async () => {
    await openSubmission();
    const [first, second] = runs("submission-practice");
    await screen.findByTestId("submission-checklist-summary");
    fireEvent.click(screen.getByTestId("submission-start"));
    const summary = await screen.findByTestId("submission-summary");
    expect(summary).toHaveTextContent("本次接收 2 条，拒收 4 条");
    expect(first.messageZh).toContain("本次接收 2 条，拒收 4 条");
    expect(screen.getByTestId("submission-progress")).toBeInTheDocument();
    const reasons = screen.getAllByTestId("submission-reject-reason").map((r) => r.textContent);
    expect(reasons).toContain("E_REQUIRED 缺少必填字段「统一社会信用代码」(/payload/customer/uscc)");
    await waitFor(() => expect(screen.getByTestId("submission-counts")).toHaveTextContent("已拒收 4"));

    // The customer's code was saved on 往来单位 meanwhile (in the scenario); 刷新 shows it.
    fireEvent.click(screen.getByTestId("submission-refresh"));
    await waitFor(() => expect(screen.getByTestId("submission-checklist-summary")).toHaveTextContent("待报送 4 条，其中 1 条信息完整"));
    fireEvent.click(screen.getByTestId("submission-start"));
    await waitFor(() => expect(screen.getByTestId("submission-summary")).toHaveTextContent("本次接收 1 条，拒收 0 条"));
    expect(second.accepted).toBe(1);
    await waitFor(() => expect(screen.getByTestId("submission-counts")).toHaveTextContent("已接收 3"));
  }, 30_000);

  it("opens an accepted record for correction", async () => {
    const { calls } = await openSubmission();
    await screen.findByTestId("submission-checklist-summary");
    fireEvent.click(screen.getByTestId("submission-start"));
    await screen.findByTestId("submission-summary");
    fireEvent.click(await screen.findByTestId("submission-correct-5"));
    expect(await screen.findByTestId("submission-notice")).toHaveTextContent("更正");
    expect(calls.filter((c) => c.command === "open_correction").map((c) => c.args)).toEqual([{ id: 5 }]);
  }, 30_000);

  it("submits to a real platform and shows its receipts", async () => {
    await openSubmission("submission-remote");
    expect(screen.queryByTestId("submission-practice-note")).toBeNull();
    await screen.findByTestId("submission-checklist-summary");
    fireEvent.click(screen.getByTestId("submission-start"));
    const summary = await screen.findByTestId("submission-summary");
    expect(summary).toHaveTextContent("本次接收 2 条，拒收 0 条");
    const [run] = runs("submission-remote");
    expect(run.practice).toBe(false);
    const receipt = run.results[0].receiptId ?? "missing receipt";
    expect(screen.getByTestId("submission-results")).toHaveTextContent(receipt);
  }, 30_000);
});

describe("archive", () => {
  it("verifies the chain and exports the report without a dialog", async () => {
    await openSubmission();
    await screen.findByTestId("submission-checklist-summary");
    fireEvent.click(screen.getByTestId("submission-start"));
    await screen.findByTestId("submission-summary");
    fireEvent.click(screen.getByTestId("nav-archive"));
    await screen.findByTestId("screen-archive");
    const page = recorded("submission-practice", "list_archive").ok as { total: number };
    await waitFor(() => expect(screen.getByTestId("archive-total")).toHaveTextContent(String(page.total)));
    fireEvent.click(screen.getByTestId("archive-verify"));
    expect(await screen.findByTestId("archive-verify-result")).toHaveTextContent("档案完好");
    fireEvent.click(screen.getByTestId("archive-export-report"));
    expect(await screen.findByTestId("archive-exported")).toHaveTextContent("memory://tracedesk/exports/报送报表-20250715T080000.xlsx");
  }, 30_000);
});
