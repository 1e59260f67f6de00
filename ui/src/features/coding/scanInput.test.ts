import { describe, expect, it } from "vitest";
import { GS, GS_SHOWN, isGsKey, scanText, showScan } from "./scanInput";

describe("scanner input", () => {
  it("shows GS as ␝ and turns it back into GS for checking", () => {
    const scanned = `]d2010952012345678810ABC123${GS}2112345`;
    expect(showScan(scanned)).toBe(`]d2010952012345678810ABC123${GS_SHOWN}2112345`);
    expect(scanText(showScan(scanned))).toBe(scanned);
  });

  it("accepts the spelled-out forms of GS a clerk may paste, and drops line ends", () => {
    for (const sep of ["<GS>", "{GS}", "\\x1d", "\\u001D"]) {
      expect(scanText(`  010952012345678810AB${sep}21X\r\n`)).toBe(`010952012345678810AB${GS}21X`);
    }
  });

  it("recognises the GS key a scanner sends: the character or Ctrl+]", () => {
    expect(isGsKey({ key: GS, ctrlKey: false })).toBe(true);
    expect(isGsKey({ key: "]", ctrlKey: true })).toBe(true);
    expect(isGsKey({ key: "5", ctrlKey: true, code: "BracketRight" })).toBe(true);
    expect(isGsKey({ key: "]", ctrlKey: false })).toBe(false);
    expect(isGsKey({ key: "Enter", ctrlKey: false })).toBe(false);
  });
});
