// 设置 → 目录与数据 over Rust's answers (golden scenario `catalogues`,
// src-tauri/crates/app/src/golden/care.rs): which file Rust refused and why, the difference it
// found in a newer file, installing it and going back to the shipped catalogue.

import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { CataloguePreview, CatalogueVersion } from "../../api/cataloguesApi";
import { openScreen, recorded } from "../../test/render";

describe("settings: catalogues", () => {
  it("lists each catalogue with the version in use and where it came from", async () => {
    await openScreen("settings", "catalogues");
    const versions = recorded("catalogues", "catalogue_versions").ok as CatalogueVersion[];
    const ccc = versions.find((v) => v.name === "ccc_catalogue")!;
    const row = await screen.findByTestId("catalogue-ccc_catalogue");
    expect(row).toHaveTextContent(ccc.titleZh);
    expect(within(row).getByTestId("catalogue-version")).toHaveTextContent(ccc.version);
    expect(within(row).getByTestId("catalogue-origin")).toHaveTextContent("随程序提供");
    expect(screen.getAllByTestId(/^catalogue-(ccc_catalogue|product_catalogue|rec20_units)$/)).toHaveLength(versions.length);
  }, 30_000);

  it("shows the lines Rust refused a file for and offers no install", async () => {
    await openScreen("settings", "catalogues");
    fireEvent.click(await screen.findByTestId("catalogue-load"));
    const errors = await screen.findByTestId("catalogue-preview-errors");
    const refused = recorded("catalogues", "preview_catalogue", (a) => (a as { source: string }).source === "file-1").ok as CataloguePreview;
    expect(refused.valid).toBe(false);
    expect(errors).toHaveTextContent(refused.errors[0].messageZh);
    expect(screen.queryByTestId("catalogue-install")).toBeNull();
  }, 30_000);

  it("shows a newer file's changes, installs it on confirmation and goes back to the shipped one", async () => {
    const { calls } = await openScreen("settings", "catalogues");
    fireEvent.click(await screen.findByTestId("catalogue-load"));
    await screen.findByTestId("catalogue-preview-errors");
    fireEvent.click(screen.getByTestId("catalogue-load"));
    const preview = recorded("catalogues", "preview_catalogue", (a) => (a as { source: string }).source === "file-2").ok as CataloguePreview;
    const shown = await screen.findByTestId("catalogue-preview");
    expect(within(shown).getByTestId("catalogue-preview-summary")).toHaveTextContent(
      `新增 ${preview.added} 条，删除 ${preview.removed} 条，修改 ${preview.changed} 条`,
    );
    expect(within(shown).getByTestId("catalogue-preview-version")).toHaveTextContent(`${preview.currentVersion} → ${preview.version}`);
    expect(within(shown).getAllByTestId("catalogue-preview-example")).toHaveLength(preview.examples.length);
    fireEvent.click(screen.getByTestId("catalogue-install"));
    expect(await screen.findByTestId("catalogue-installed")).toHaveTextContent(preview.version!);
    const row = await screen.findByTestId("catalogue-ccc_catalogue");
    await waitFor(() => expect(within(row).getByTestId("catalogue-origin")).toHaveTextContent("已载入新版"));
    fireEvent.click(within(row).getByTestId("catalogue-revert-ccc_catalogue"));
    await waitFor(() => expect(within(screen.getByTestId("catalogue-ccc_catalogue")).getByTestId("catalogue-origin")).toHaveTextContent("随程序提供"));
    expect(calls.map((c) => c.command).filter((c) => /catalogue/.test(c) && c !== "product_catalogue")).toEqual([
      "catalogue_versions",
      "preview_catalogue",
      "preview_catalogue",
      "install_catalogue",
      "catalogue_versions",
      "revert_catalogue",
      "catalogue_versions",
    ]);
  }, 30_000);
});
