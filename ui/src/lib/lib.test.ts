// @vitest-environment node
import { describe, expect, it } from "vitest";
import { localMessage, stepOfField } from "./apiError";
import { backupFileName, formatBytes, formatDateTime } from "./format";
import { isDigits, toCodeCase } from "./text";

describe("toCodeCase", () => {
  it.each([
    ["91310115ma1k3btp2b", "91310115MA1K3BTP2B"],
    ["９１ａｂ", "91AB"],
    ["a\u3000b", "A B"],
    ["中文ab", "中文AB"],
  ])("%s → %s", (input, expected) => {
    expect(toCodeCase(input)).toBe(expected);
    expect(toCodeCase(input)).toHaveLength(input.length);
  });
});

describe("isDigits", () => {
  it("accepts ASCII digits only", () => {
    expect(isDigits("6901234")).toBe(true);
    expect(isDigits("69O1234")).toBe(false);
    expect(isDigits("")).toBe(false);
  });
});

describe("formatBytes", () => {
  it.each<[bigint | number, string]>([
    [0, "0 B"],
    [1023, "1023 B"],
    [1536, "1.5 KB"],
    [BigInt(20 * 1024 * 1024), "20 MB"],
    [-1, "—"],
  ])("%s → %s", (bytes, expected) => expect(formatBytes(bytes)).toBe(expected));
});

describe("formatDateTime", () => {
  it("shows local time to the minute and leaves non-times alone", () => {
    const iso = "2025-11-25T06:30:00Z";
    const d = new Date(iso);
    const pad = (n: number) => String(n).padStart(2, "0");
    expect(formatDateTime(iso)).toBe(
      `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`,
    );
    expect(formatDateTime("soon")).toBe("soon");
  });
});

describe("backupFileName", () => {
  it("suggests a sortable local-time name", () => {
    expect(backupFileName(new Date(2025, 10, 5, 9, 7))).toBe("tracedesk-backup-20251105-0907.sqlite3");
  });
});

describe("localMessage", () => {
  it("picks the current language and falls back to the other, then to the fallback", () => {
    expect(localMessage({ messageZh: "中", messageEn: "en" }, "zh-CN")).toBe("中");
    expect(localMessage({ messageZh: "中", messageEn: "en" }, "en")).toBe("en");
    expect(localMessage({ messageZh: "中", messageEn: "" }, "en")).toBe("中");
    expect(localMessage({ messageZh: "", messageEn: " " }, "en", "none")).toBe("none");
  });
});

describe("stepOfField", () => {
  it("maps a field to the step named by its first segment", () => {
    const steps = ["enterprise", "coding", "platform"];
    expect(stepOfField("enterprise.uscc", steps)).toBe(0);
    expect(stepOfField("platform.appKey", steps)).toBe(2);
    expect(stepOfField("other.x", steps)).toBeNull();
    expect(stepOfField(null, steps)).toBeNull();
  });
});
