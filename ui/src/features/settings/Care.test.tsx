import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { FAKE_PATHS } from "../../api/fake";
import { renderFakeMainApp } from "../../test/render";

// The answers are Rust's, recorded by `app` tests (care/tests.rs) into ui/src/api/golden/.

async function openSettings(options: Parameters<typeof renderFakeMainApp>[0] = {}) {
  const result = await renderFakeMainApp(options);
  fireEvent.click(screen.getByTestId("nav-settings"));
  await screen.findByTestId("screen-settings");
  return result;
}

describe("automatic backup, diagnostics and About", () => {
  it("asks for the automatic backup when the main window opens", async () => {
    const { backend } = await renderFakeMainApp();
    await waitFor(() => expect(backend.calls.some((c) => c.method === "autoBackup")).toBe(true));
  });

  it("warns on the dashboard when there is no backup yet", async () => {
    await renderFakeMainApp();
    const line = await screen.findByTestId("dashboard-backup-status");
    expect(line).toHaveAttribute("data-overdue", "true");
    expect(line).toHaveTextContent("还没有任何备份");
  });

  it("shows the last backup, and the warning when it is more than 2 days old", async () => {
    await openSettings({ backupOverdue: true });
    expect(await screen.findByTestId("settings-backup-status")).toHaveTextContent("还没有任何备份");
    fireEvent.click(screen.getByTestId("settings-backup"));
    await screen.findByTestId("settings-backup-result");
    // Read again after the backup: Rust's answer for a last backup 3 days old.
    const line = screen.getByTestId("settings-backup-status");
    await waitFor(() => expect(line).toHaveTextContent("3 天前"));
    expect(line).toHaveAttribute("data-overdue", "true");
    fireEvent.click(screen.getByTestId("nav-dashboard"));
    expect(await screen.findByTestId("dashboard-backup-status")).toHaveTextContent("3 天前");
  });

  it("shows a recent backup without a warning", async () => {
    await openSettings();
    fireEvent.click(screen.getByTestId("settings-backup"));
    await screen.findByTestId("settings-backup-result");
    const line = screen.getByTestId("settings-backup-status");
    await waitFor(() => expect(line).toHaveTextContent("最近一次备份：2026-12-07 10:00（自动备份）"));
    expect(line).toHaveAttribute("data-overdue", "false");
  });

  it("turns the automatic backup off and says so", async () => {
    const { backend } = await openSettings();
    const toggle = await screen.findByTestId("settings-auto-backup");
    await waitFor(() => expect(toggle).not.toBeDisabled());
    fireEvent.click(toggle);
    await waitFor(() => expect(screen.getByTestId("settings-backup-status")).toHaveTextContent("自动备份已关闭"));
    expect(backend.calls.find((c) => c.method === "setAutoBackup")?.args).toEqual([false]);
  });

  it("exports the diagnostics bundle without data unless the box is ticked", async () => {
    const { backend } = await openSettings();
    fireEvent.click(screen.getByTestId("settings-diagnostics"));
    const plain = await screen.findByTestId("settings-diagnostics-result");
    expect(plain).toHaveTextContent("不含业务数据");
    expect(plain).toHaveTextContent(`${FAKE_PATHS.dataDir}/exports/diagnostics.zip`);

    fireEvent.click(screen.getByTestId("settings-diagnostics-data"));
    fireEvent.click(screen.getByTestId("settings-diagnostics"));
    await waitFor(() => expect(screen.getByTestId("settings-diagnostics-result")).toHaveTextContent("含业务数据（数据库副本）"));
    expect(backend.calls.filter((c) => c.method === "exportDiagnostics").map((c) => c.args)).toEqual([[false], [true]]);

    fireEvent.click(within(screen.getByTestId("settings-diagnostics-result")).getByTestId("settings-diagnostics-open"));
    await waitFor(() => expect(backend.calls.find((c) => c.method === "openDataFolder")?.args).toEqual(["exports"]));
  });

  it("names the versions and every data folder, and opens a folder by name", async () => {
    const { backend } = await openSettings();
    const about = await screen.findByTestId("settings-about");
    expect(within(about).getByTestId("about-sqlite").textContent).toMatch(/^3\./);
    expect(within(about).getByTestId("about-folder-logs")).toHaveTextContent(`${FAKE_PATHS.dataDir}/logs`);
    expect(within(about).getByTestId("about-folder-attachments")).toHaveTextContent(`${FAKE_PATHS.dataDir}/attachments`);
    fireEvent.click(within(about).getByTestId("about-open-backups"));
    await waitFor(() => expect(backend.calls.find((c) => c.method === "openDataFolder")?.args).toEqual(["backups"]));
  });
});
