import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { FAKE_PATHS } from "../../api/fake";
import { renderFakeMainApp, renderMainApp } from "../../test/render";

async function openSettings(options: Parameters<typeof renderFakeMainApp>[0] = {}) {
  const result = await renderFakeMainApp(options);
  fireEvent.click(screen.getByTestId("nav-settings"));
  await screen.findByTestId("screen-settings");
  return result;
}

describe("settings", () => {
  it("shows where the data lives", async () => {
    await openSettings();
    expect(screen.getByTestId("settings-db-path")).toHaveTextContent(FAKE_PATHS.database);
    expect(screen.getByTestId("settings-data-dir")).toHaveTextContent(FAKE_PATHS.dataDir);
  });

  it("backs up into the backup folder and shows the file and its size", async () => {
    await openSettings({ now: () => new Date("2025-11-25T06:30:00Z") });
    fireEvent.click(screen.getByTestId("settings-backup"));
    const result = await screen.findByTestId("settings-backup-result");
    expect(result).toHaveTextContent(`${FAKE_PATHS.backupDir}/tracedesk-20251125T063000.sqlite3`);
    expect(within(result).getByTestId("settings-backup-size").textContent).toMatch(/^\d+(\.\d)? KB$/);
  });

  it("saves a backup where the clerk chooses", async () => {
    const { backend } = await openSettings({ savePath: "/media/usb/追溯通.sqlite3" });
    fireEvent.click(screen.getByTestId("settings-backup-as"));
    expect(await screen.findByTestId("settings-backup-result")).toHaveTextContent("/media/usb/追溯通.sqlite3");
    expect(backend.calls.find((c) => c.method === "backupDatabase")?.args).toEqual(["/media/usb/追溯通.sqlite3"]);
  });

  it("does nothing when the save dialog is cancelled", async () => {
    const { backend } = await openSettings({ savePath: null });
    fireEvent.click(screen.getByTestId("settings-backup-as"));
    await waitFor(() => expect(backend.calls.some((c) => c.method === "chooseBackupDestination")).toBe(true));
    expect(backend.calls.some((c) => c.method === "backupDatabase")).toBe(false);
    expect(screen.queryByTestId("settings-backup-result")).toBeNull();
  });

  it("runs the database check and shows integrity and schema version", async () => {
    await openSettings();
    fireEvent.click(screen.getByTestId("settings-db-check"));
    const result = await screen.findByTestId("settings-db-check-result");
    expect(result).toHaveTextContent("数据库完好");
    expect(within(result).getByTestId("settings-db-schema-version")).toHaveTextContent("1");
  });

  it("restores a backup picked from the list after a warning", async () => {
    const { backend } = await openSettings({ now: () => new Date("2025-11-25T06:30:00Z") });
    fireEvent.click(screen.getByTestId("settings-backup"));
    await screen.findByTestId("settings-backup-result");

    // Change the profile after the backup, so the restore visibly brings the old name back.
    const name = screen.getByTestId("enterprise-name");
    fireEvent.change(name, { target: { value: "改名后的公司" } });
    fireEvent.click(screen.getByTestId("settings-enterprise-save"));
    await waitFor(() => expect(screen.getByTestId("header-enterprise-name")).toHaveTextContent("改名后的公司"));

    fireEvent.click(screen.getByTestId("settings-restore"));
    const row = await screen.findByTestId("restore-row-tracedesk-20251125T063000.sqlite3");
    fireEvent.click(row);
    fireEvent.click(screen.getByTestId("restore-next"));
    expect(await screen.findByTestId("restore-warning")).toHaveTextContent("替换当前全部数据");
    expect(screen.getByTestId("restore-warning")).toHaveTextContent("先自动把当前数据另存一份");
    fireEvent.click(screen.getByTestId("restore-confirm"));

    await waitFor(() => expect(screen.getByTestId("header-enterprise-name")).toHaveTextContent("示例食品有限公司"));
    expect(backend.calls.find((c) => c.method === "restoreBackup")?.args).toEqual([
      `${FAKE_PATHS.backupDir}/tracedesk-20251125T063000.sqlite3`,
      false,
    ]);
  });

  it("refuses a backup whose archive was altered and restores it only after a second confirmation", async () => {
    const { backend } = await openSettings({ now: () => new Date("2025-11-25T06:30:00Z") });
    fireEvent.click(screen.getByTestId("settings-backup"));
    await screen.findByTestId("settings-backup-result");
    const path = `${FAKE_PATHS.backupDir}/tracedesk-20251125T063000.sqlite3`;
    backend.alterBackupArchive(path);
    const name = screen.getByTestId("enterprise-name");
    fireEvent.change(name, { target: { value: "改名后的公司" } });
    fireEvent.click(screen.getByTestId("settings-enterprise-save"));
    await waitFor(() => expect(screen.getByTestId("header-enterprise-name")).toHaveTextContent("改名后的公司"));

    fireEvent.click(screen.getByTestId("settings-restore"));
    fireEvent.click(await screen.findByTestId("restore-row-tracedesk-20251125T063000.sqlite3"));
    fireEvent.click(screen.getByTestId("restore-next"));
    fireEvent.click(await screen.findByTestId("restore-confirm"));

    const refused = await screen.findByTestId("restore-archive-refused");
    expect(refused).toHaveTextContent("报送档案校验未通过");
    expect(refused).toHaveTextContent("第 2 条");
    expect(screen.getByTestId("restore-force-warning")).toHaveTextContent("记入审计日志");
    expect(screen.getByTestId("header-enterprise-name")).toHaveTextContent("改名后的公司");
    expect(screen.queryByTestId("restore-confirm")).toBeNull();

    fireEvent.click(screen.getByTestId("restore-force"));
    await waitFor(() => expect(screen.getByTestId("header-enterprise-name")).toHaveTextContent("示例食品有限公司"));
    const restores = backend.calls.filter((c) => c.method === "restoreBackup").map((c) => c.args);
    expect(restores).toEqual([
      [path, false],
      [path, true],
    ]);
  });

  it("refuses a backup whose schema was altered, names the trigger, and restores it only after a second confirmation", async () => {
    const { backend } = await openSettings({ now: () => new Date("2025-11-25T06:30:00Z") });
    fireEvent.click(screen.getByTestId("settings-backup"));
    await screen.findByTestId("settings-backup-result");
    const path = `${FAKE_PATHS.backupDir}/tracedesk-20251125T063000.sqlite3`;
    backend.alterBackupSchema(path);

    fireEvent.click(screen.getByTestId("settings-restore"));
    fireEvent.click(await screen.findByTestId("restore-row-tracedesk-20251125T063000.sqlite3"));
    fireEvent.click(screen.getByTestId("restore-next"));
    fireEvent.click(await screen.findByTestId("restore-confirm"));

    const refused = await screen.findByTestId("restore-archive-refused");
    expect(refused).toHaveTextContent("该备份的数据库结构与其版本不符");
    expect(refused).toHaveTextContent("缺少只追加保护触发器 code_event_no_delete（表 code_event）");
    expect(refused).toHaveTextContent("多出触发器 quiet（表 product）");
    expect(screen.queryByTestId("restore-confirm")).toBeNull();

    fireEvent.click(screen.getByTestId("restore-force"));
    await waitFor(() =>
      expect(backend.calls.filter((c) => c.method === "restoreBackup").map((c) => c.args)).toEqual([
        [path, false],
        [path, true],
      ]),
    );
  });

  it("restores from a file chosen in the open dialog", async () => {
    const { backend } = await openSettings({ openPath: "/media/usb/missing.sqlite3" });
    fireEvent.click(screen.getByTestId("settings-restore"));
    fireEvent.click(await screen.findByTestId("restore-pick-file"));
    fireEvent.click(await screen.findByTestId("restore-confirm"));
    expect(await screen.findByTestId("restore-error")).toHaveTextContent("找不到备份文件 /media/usb/missing.sqlite3");
    expect(backend.calls.some((c) => c.method === "restoreDatabase")).toBe(true);
  });

  it("edits the enterprise profile with the same live USCC check", async () => {
    // Over Rust's answers (golden scenario `settings-enterprise`).
    const { calls } = await renderMainApp("settings-enterprise");
    fireEvent.click(screen.getByTestId("nav-settings"));
    await screen.findByTestId("screen-settings");
    const uscc = screen.getByTestId("enterprise-uscc");
    fireEvent.change(uscc, { target: { value: "91110000600037341N" } });
    // The message of the saved code shows until the check of the new text answers.
    await waitFor(() => expect(screen.getByTestId("enterprise-uscc-message")).toHaveTextContent("第 18 位校验码应为“L”，实际为“N”"));
    fireEvent.click(screen.getByTestId("settings-enterprise-save"));
    await waitFor(() => expect(calls.some((c) => c.command === "save_enterprise")).toBe(true));
    // Refused: the header still shows the saved enterprise.
    expect(screen.getByTestId("enterprise-uscc-message")).toHaveTextContent("第 18 位校验码应为“L”，实际为“N”");
    expect(screen.getByTestId("header-enterprise-name")).toHaveTextContent("示例食品有限公司");
  });
});
