// 设置 over Rust's answers (golden scenarios of src-tauri/crates/app/src/golden/care.rs and
// setup.rs): where the data lives, backups, the database check, restore and the enterprise profile.
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { AppStatus } from "../../api/bindings/AppStatus";
import { openScreen, recorded, renderMainApp } from "../../test/render";

const BACKUP = "memory://tracedesk/backups/tracedesk-20250715T080000.sqlite3";

const openSettings = (name = "care-settings") => openScreen("settings", name);

/** 立即备份, then the enterprise renamed, as in the restore scenarios. */
async function backUpAndRename() {
  fireEvent.click(screen.getByTestId("settings-backup"));
  await screen.findByTestId("settings-backup-result");
  // Change the profile after the backup, so the restore visibly brings the old name back.
  const name = screen.getByTestId("enterprise-name");
  fireEvent.change(name, { target: { value: "改名后的公司" } });
  fireEvent.click(screen.getByTestId("settings-enterprise-save"));
  await waitFor(() => expect(screen.getByTestId("header-enterprise-name")).toHaveTextContent("改名后的公司"));
}

async function restoreFromList() {
  fireEvent.click(screen.getByTestId("settings-restore"));
  const row = await screen.findByTestId("restore-row-tracedesk-20250715T080000.sqlite3");
  fireEvent.click(row);
  fireEvent.click(screen.getByTestId("restore-next"));
  expect(await screen.findByTestId("restore-warning")).toHaveTextContent("替换当前全部数据");
  expect(screen.getByTestId("restore-warning")).toHaveTextContent("先自动把当前数据另存一份");
  fireEvent.click(screen.getByTestId("restore-confirm"));
}

/** Backs up, renames the enterprise and restores the backup of scenario `name`, which Rust refuses. */
async function restoreRefused(name: string) {
  const { calls } = await openSettings(name);
  await backUpAndRename();
  await restoreFromList();
  return { calls, refused: await screen.findByTestId("restore-archive-refused") };
}

describe("settings", () => {
  it("shows where the data lives", async () => {
    await openSettings();
    const { paths } = recorded("care-settings", "app_status").ok as AppStatus;
    expect(paths.database).toBe("memory://tracedesk/tracedesk.sqlite3");
    expect(screen.getByTestId("settings-db-path")).toHaveTextContent(paths.database);
    expect(screen.getByTestId("settings-data-dir")).toHaveTextContent(paths.dataDir);
  }, 30_000);

  it("backs up into the backup folder and shows the file and its size", async () => {
    await openSettings();
    fireEvent.click(screen.getByTestId("settings-backup"));
    const result = await screen.findByTestId("settings-backup-result");
    expect(result).toHaveTextContent(BACKUP);
    expect(within(result).getByTestId("settings-backup-size").textContent).toMatch(/^\d+(\.\d)? KB$/);
  }, 30_000);

  it("saves a backup where the clerk chooses, and does nothing when the dialog is cancelled", async () => {
    const { calls } = await openSettings();
    fireEvent.click(screen.getByTestId("settings-backup-as"));
    expect(await screen.findByTestId("settings-backup-result")).toHaveTextContent("memory://tracedesk/U盘/追溯通.sqlite3");
    expect(calls.filter((c) => c.command === "backup_database").map((c) => c.args)).toEqual([{ target: "file-1" }]);

    fireEvent.click(screen.getByTestId("settings-backup-as"));
    await waitFor(() => expect(calls.filter((c) => c.command === "pick_save_file")).toHaveLength(2));
    await new Promise((r) => setTimeout(r, 50));
    expect(calls.filter((c) => c.command === "backup_database")).toHaveLength(1);
  }, 30_000);

  it("runs the database check and shows integrity and schema version", async () => {
    await openSettings();
    fireEvent.click(screen.getByTestId("settings-db-check"));
    const result = await screen.findByTestId("settings-db-check-result");
    expect(result).toHaveTextContent("数据库完好");
    const check = recorded("care-settings", "db_check").ok as { schemaVersion: number };
    expect(within(result).getByTestId("settings-db-schema-version")).toHaveTextContent(String(check.schemaVersion));
  }, 30_000);

  it("restores a backup picked from the list after a warning", async () => {
    const { calls } = await openSettings("care-restore");
    await backUpAndRename();
    await restoreFromList();
    await waitFor(() => expect(screen.getByTestId("header-enterprise-name")).toHaveTextContent("示例食品有限公司"));
    expect(calls.filter((c) => c.command === "restore_backup").map((c) => c.args)).toEqual([{ path: BACKUP, force: false }]);
  }, 30_000);

  it("refuses a backup whose archive was altered and restores it only after a second confirmation", async () => {
    const { calls, refused } = await restoreRefused("care-restore-archive-altered");
    expect(refused).toHaveTextContent("报送档案校验未通过");
    expect(refused).toHaveTextContent("第 2 条");
    expect(screen.getByTestId("restore-force-warning")).toHaveTextContent("记入审计日志");
    expect(screen.getByTestId("header-enterprise-name")).toHaveTextContent("改名后的公司");
    expect(screen.queryByTestId("restore-confirm")).toBeNull();

    fireEvent.click(screen.getByTestId("restore-force"));
    await waitFor(() => expect(screen.getByTestId("header-enterprise-name")).toHaveTextContent("示例食品有限公司"));
    expect(calls.filter((c) => c.command === "restore_backup").map((c) => c.args)).toEqual([
      { path: BACKUP, force: false },
      { path: BACKUP, force: true },
    ]);
  }, 30_000);

  it("refuses a backup whose schema was altered, names the trigger, and restores it only after a second confirmation", async () => {
    const { calls, refused } = await restoreRefused("care-restore-schema-altered");
    expect(refused.textContent).toMatch(/数据库结构与第 \d+ 版不符/);
    expect(refused).toHaveTextContent("缺少只追加保护触发器 code_event_no_delete（表 code_event）");
    expect(refused).toHaveTextContent("多出触发器 quiet（表 product）");
    expect(screen.queryByTestId("restore-confirm")).toBeNull();

    fireEvent.click(screen.getByTestId("restore-force"));
    await waitFor(() =>
      expect(calls.filter((c) => c.command === "restore_backup").map((c) => c.args)).toEqual([
        { path: BACKUP, force: false },
        { path: BACKUP, force: true },
      ]),
    );
    await waitFor(() => expect(screen.getByTestId("header-enterprise-name")).toHaveTextContent("示例食品有限公司"));
  }, 30_000);

  it("restores from a file chosen in the open dialog", async () => {
    const { calls } = await openSettings();
    fireEvent.click(screen.getByTestId("settings-restore"));
    fireEvent.click(await screen.findByTestId("restore-pick-file"));
    fireEvent.click(await screen.findByTestId("restore-confirm"));
    expect(await screen.findByTestId("restore-error")).toHaveTextContent("找不到备份文件 /media/usb/missing.sqlite3");
    expect(calls.filter((c) => c.command === "restore_database").map((c) => c.args)).toEqual([{ source: "file-2", force: false }]);
  }, 30_000);

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
  }, 30_000);
});
