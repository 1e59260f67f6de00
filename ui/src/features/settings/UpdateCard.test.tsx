// 设置 → 软件更新 and the header's new-version tag. What the release server offers is test data;
// every refusal is replayed from answers recorded in Rust (`app::updates` tests).

import { fireEvent, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ApiError } from "../../api";
import { createFakeBackend, type FakeBackend } from "../../api/fake";
import badSignatureError from "../../api/golden/update-bad-signature-error.json";
import busyImportError from "../../api/golden/update-busy-import-error.json";
import { renderFakeApp } from "../../test/render";

const OFFER = {
  currentVersion: "0.1.0",
  version: "0.2.0",
  date: "2026-12-01T08:00:00Z",
  notes: "新增：标签打印机（ZPL/TSPL）\n修复：导入大文件更快",
};

async function openSettings(prepare: (backend: FakeBackend) => void = () => undefined) {
  const backend = createFakeBackend({ setUp: true });
  prepare(backend);
  const view = renderFakeApp({}, backend);
  await screen.findByTestId("main-layout");
  fireEvent.click(screen.getByTestId("nav-settings"));
  await screen.findByTestId("screen-settings");
  return view;
}

describe("settings: software update", () => {
  it("says when this is the newest version", async () => {
    await openSettings();
    fireEvent.click(screen.getByTestId("update-check"));
    expect(await screen.findByTestId("update-none")).toHaveTextContent("当前已是最新版本");
    expect(screen.queryByTestId("header-update-tag")).toBeNull();
  });

  it("shows the offered version with its notes, downloads it verified and installs it", async () => {
    const { backend } = await openSettings((b) => (b.updates.offer = OFFER));
    expect(await screen.findByTestId("header-update-tag")).toHaveTextContent("新版本 0.2.0");
    fireEvent.click(screen.getByTestId("update-check"));
    const offer = await screen.findByTestId("update-offer");
    expect(within(offer).getByTestId("update-version")).toHaveTextContent("0.2.0");
    expect(within(offer).getByTestId("update-notes").textContent).toBe(OFFER.notes);
    fireEvent.click(screen.getByTestId("update-download"));
    expect(await screen.findByTestId("update-ready")).toHaveTextContent("签名验证通过");
    fireEvent.click(screen.getByTestId("update-install"));
    await screen.findByTestId("update-install");
    await waitUntil(() => (backend as FakeBackend).updates.installed);
    expect(backend.calls.map((c) => c.method).filter((m) => m.endsWith("Update"))).toEqual([
      "checkUpdate",
      "checkUpdate",
      "downloadUpdate",
      "installUpdate",
    ]);
  });

  it("refuses a tampered package with Rust's message and offers no install", async () => {
    await openSettings((b) => {
      b.updates.offer = OFFER;
      b.updates.tampered = true;
    });
    fireEvent.click(screen.getByTestId("update-check"));
    fireEvent.click(await screen.findByTestId("update-download"));
    const error = await screen.findByTestId("update-error");
    expect(error).toHaveTextContent((badSignatureError as ApiError).messageZh);
    expect(screen.queryByTestId("update-install")).toBeNull();
  });

  it("waits while an import is open, saying what to finish first", async () => {
    await openSettings((b) => {
      b.updates.offer = OFFER;
      b.updates.importOpen = true;
    });
    fireEvent.click(screen.getByTestId("update-check"));
    fireEvent.click(await screen.findByTestId("update-download"));
    expect(await screen.findByTestId("update-error")).toHaveTextContent((busyImportError as ApiError).messageZh);
  });
});

async function waitUntil(done: () => boolean) {
  for (let i = 0; i < 50 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(done()).toBe(true);
}
