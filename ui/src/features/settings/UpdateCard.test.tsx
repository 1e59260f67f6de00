// 设置 → 软件更新 and the header's new-version tag, over Rust's answers (golden scenarios
// `updates-*`, src-tauri/crates/app/src/golden/care.rs). What the release server offers and
// whether its package verifies stand in for the desktop's updater plugin there; when an update may
// run and every message are the app layer's.

import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ApiError } from "../../api";
import type { UpdateOffer } from "../../api/updatesApi";
import { openScreen, recorded } from "../../test/render";

const openSettings = (name: string) => openScreen("settings", name);

describe("settings: software update", () => {
  it("says when this is the newest version", async () => {
    await openSettings("updates-none");
    fireEvent.click(screen.getByTestId("update-check"));
    expect(await screen.findByTestId("update-none")).toHaveTextContent("当前已是最新版本");
    expect(screen.queryByTestId("header-update-tag")).toBeNull();
  }, 30_000);

  it("shows the offered version with its notes, downloads it verified and installs it", async () => {
    const { calls } = await openSettings("updates-offered");
    const offer = recorded("updates-offered", "check_update").ok as UpdateOffer;
    expect(await screen.findByTestId("header-update-tag")).toHaveTextContent(`新版本 ${offer.version}`);
    fireEvent.click(screen.getByTestId("update-check"));
    const shown = await screen.findByTestId("update-offer");
    expect(within(shown).getByTestId("update-version")).toHaveTextContent(offer.version);
    expect(within(shown).getByTestId("update-notes").textContent).toBe(offer.notes);
    fireEvent.click(screen.getByTestId("update-download"));
    expect(await screen.findByTestId("update-ready")).toHaveTextContent("签名验证通过");
    fireEvent.click(screen.getByTestId("update-install"));
    await waitFor(() => expect(calls.some((c) => c.command === "install_update")).toBe(true));
    expect(calls.map((c) => c.command).filter((m) => m.endsWith("_update"))).toEqual([
      "check_update",
      "check_update",
      "download_update",
      "install_update",
    ]);
  }, 30_000);

  it("refuses a tampered package with Rust's message and offers no install", async () => {
    await openSettings("updates-tampered");
    fireEvent.click(screen.getByTestId("update-check"));
    fireEvent.click(await screen.findByTestId("update-download"));
    const error = await screen.findByTestId("update-error");
    const refused = recorded("updates-tampered", "download_update").err as ApiError;
    expect(refused.messageZh).toContain("签名无效，已拒绝安装");
    expect(error).toHaveTextContent(refused.messageZh);
    expect(screen.queryByTestId("update-install")).toBeNull();
  }, 30_000);

  it("waits while an import is open, saying what to finish first", async () => {
    await openSettings("updates-busy-import");
    fireEvent.click(screen.getByTestId("update-check"));
    fireEvent.click(await screen.findByTestId("update-download"));
    const busy = recorded("updates-busy-import", "download_update").err as ApiError;
    expect(busy.messageZh).toContain("导入尚未结束");
    expect(await screen.findByTestId("update-error")).toHaveTextContent(busy.messageZh);
  }, 30_000);
});
