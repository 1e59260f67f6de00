import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderFakeMainApp } from "../../test/render";

async function openSubmission() {
  const result = await renderFakeMainApp();
  fireEvent.click(screen.getByTestId("nav-submission"));
  await screen.findByTestId("screen-submission");
  return result;
}

describe("submission", () => {
  it("lists what the platform will refuse, with a link to fix it", async () => {
    await openSubmission();
    const summary = await screen.findByTestId("submission-checklist-summary");
    expect(summary).toHaveTextContent("待报送 5 条，其中 4 条信息完整");
    const problem = screen.getByTestId("submission-problem");
    expect(problem).toHaveTextContent("缺少统一社会信用代码");
    fireEvent.click(within(problem).getByTestId("submission-problem-fix"));
    await screen.findByTestId("screen-parties");
  });

  it("submits with progress, shows the rejection, and resubmits once fixed", async () => {
    const { backend } = await openSubmission();
    await screen.findByTestId("submission-checklist-summary");
    fireEvent.click(screen.getByTestId("submission-start"));
    const summary = await screen.findByTestId("submission-summary");
    expect(summary).toHaveTextContent("本次接收 4 条，拒收 1 条");
    expect(screen.getByTestId("submission-progress")).toBeInTheDocument();
    expect(screen.getByTestId("submission-reject-reason")).toHaveTextContent("E_REQUIRED");
    expect(screen.getByTestId("submission-counts")).toHaveTextContent("已拒收 1");

    backend.submission.fixCustomer();
    fireEvent.click(screen.getByTestId("submission-refresh"));
    await waitFor(() => expect(screen.getByTestId("submission-checklist-summary")).toHaveTextContent("待报送 1 条，其中 1 条信息完整"));
    fireEvent.click(screen.getByTestId("submission-start"));
    await waitFor(() => expect(screen.getByTestId("submission-summary")).toHaveTextContent("本次接收 1 条，拒收 0 条"));
    await waitFor(() => expect(screen.getByTestId("submission-counts")).toHaveTextContent("已接收 5"));
  });

  it("opens an accepted record for correction", async () => {
    await openSubmission();
    await screen.findByTestId("submission-checklist-summary");
    fireEvent.click(screen.getByTestId("submission-start"));
    await screen.findByTestId("submission-summary");
    fireEvent.click(await screen.findByTestId("submission-correct-1"));
    expect(await screen.findByTestId("submission-notice")).toHaveTextContent("更正");
  });
});

describe("archive", () => {
  it("verifies the chain and exports the report without a dialog", async () => {
    await openSubmission();
    await screen.findByTestId("submission-checklist-summary");
    fireEvent.click(screen.getByTestId("submission-start"));
    await screen.findByTestId("submission-summary");
    fireEvent.click(screen.getByTestId("nav-archive"));
    await screen.findByTestId("screen-archive");
    await waitFor(() => expect(screen.getByTestId("archive-total")).toHaveTextContent("2"));
    fireEvent.click(screen.getByTestId("archive-verify"));
    expect(await screen.findByTestId("archive-verify-result")).toHaveTextContent("档案完好");
    fireEvent.click(screen.getByTestId("archive-export-report"));
    expect(await screen.findByTestId("archive-exported")).toHaveTextContent("报送报表.xlsx");
  });
});
