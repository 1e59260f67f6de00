// 设置's automatic backup, backup status, diagnostics and About, and 工作台's backup line, over
// Rust's answers (golden scenarios `care-settings` and `care-backup-overdue`,
// src-tauri/crates/app/src/golden/care.rs).
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { openScreen, renderMainApp } from "../../test/render";

const openSettings = (name = "care-settings") => openScreen("settings", name);

describe("automatic backup, diagnostics and About", () => {
  it("asks for the automatic backup when the main window opens", async () => {
    const { calls } = await renderMainApp("care-settings");
    await waitFor(() => expect(calls.some((c) => c.command === "auto_backup")).toBe(true));
  }, 30_000);

  it("warns on the dashboard when there is no backup yet", async () => {
    await renderMainApp("care-settings");
    const line = await screen.findByTestId("dashboard-backup-status");
    expect(line).toHaveAttribute("data-overdue", "true");
    expect(line).toHaveTextContent("还没有任何备份");
  }, 30_000);

  it("warns when the last backup is more than 2 days old, until the automatic backup has made today's", async () => {
    await renderMainApp("care-backup-overdue");
    const dashboard = await screen.findByTestId("dashboard-backup-status");
    expect(dashboard).toHaveTextContent("最近一次备份是 3 天前");
    expect(dashboard).toHaveAttribute("data-overdue", "true");
    fireEvent.click(screen.getByTestId("nav-settings"));
    await screen.findByTestId("screen-settings");
    const line = await screen.findByTestId("settings-backup-status");
    await waitFor(() => expect(line).toHaveTextContent("最近一次备份：2025-07-15 08:00（自动备份）"));
    expect(line).toHaveAttribute("data-overdue", "false");
  }, 30_000);

  it("shows a recent backup without a warning", async () => {
    await openSettings();
    fireEvent.click(screen.getByTestId("settings-backup"));
    await screen.findByTestId("settings-backup-result");
    const line = screen.getByTestId("settings-backup-status");
    await waitFor(() => expect(line).toHaveTextContent("最近一次备份：2025-07-15 08:00（手动备份）"));
    expect(line).toHaveAttribute("data-overdue", "false");
  }, 30_000);

  it("turns the automatic backup off and says so", async () => {
    const { calls } = await openSettings();
    const toggle = await screen.findByTestId("settings-auto-backup");
    await waitFor(() => expect(toggle).not.toBeDisabled());
    fireEvent.click(toggle);
    await waitFor(() => expect(screen.getByTestId("settings-backup-status")).toHaveTextContent("自动备份已关闭"));
    expect(calls.filter((c) => c.command === "set_auto_backup").map((c) => c.args)).toEqual([{ enabled: false }]);
  }, 30_000);

  it("exports the diagnostics bundle without data unless the box is ticked", async () => {
    const { calls } = await openSettings();
    fireEvent.click(screen.getByTestId("settings-diagnostics"));
    const plain = await screen.findByTestId("settings-diagnostics-result");
    expect(plain).toHaveTextContent("不含业务数据");
    expect(plain).toHaveTextContent("memory://tracedesk/exports/diagnostics-20250715T080000.zip");

    fireEvent.click(screen.getByTestId("settings-diagnostics-data"));
    fireEvent.click(screen.getByTestId("settings-diagnostics"));
    await waitFor(() => expect(screen.getByTestId("settings-diagnostics-result")).toHaveTextContent("含业务数据（数据库副本）"));
    expect(calls.filter((c) => c.command === "export_diagnostics").map((c) => c.args)).toEqual([
      { includeData: false },
      { includeData: true },
    ]);

    fireEvent.click(within(screen.getByTestId("settings-diagnostics-result")).getByTestId("settings-diagnostics-open"));
    await waitFor(() =>
      expect(calls.filter((c) => c.command === "open_data_folder").map((c) => c.args)).toEqual([{ folder: "exports" }]),
    );
  }, 30_000);

  it("names the versions and every data folder, and opens a folder by name", async () => {
    const { calls } = await openSettings();
    const about = await screen.findByTestId("settings-about");
    await waitFor(() => expect(within(about).getByTestId("about-sqlite").textContent).toMatch(/^3\./));
    expect(within(about).getByTestId("about-folder-logs")).toHaveTextContent("memory://tracedesk/logs");
    expect(within(about).getByTestId("about-folder-attachments")).toHaveTextContent("memory://tracedesk/attachments");
    fireEvent.click(within(about).getByTestId("about-open-backups"));
    await waitFor(() =>
      expect(calls.filter((c) => c.command === "open_data_folder").map((c) => c.args)).toEqual([{ folder: "backups" }]),
    );
  }, 30_000);
});
