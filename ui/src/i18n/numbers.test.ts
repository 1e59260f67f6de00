import { describe, expect, it } from "vitest";
import { formatNumber } from "./numbers";

describe("formatNumber", () => {
  it.each([
    [0, "0"],
    [999, "999"],
    [1000, "1,000"],
    [1000000, "1,000,000"],
    [-1234567, "-1,234,567"],
    [80.25, "80.25"],
    [1200.5, "1,200.5"],
    [0.123456, "0.1235"],
  ])("%s reads %s", (n, text) => {
    expect(formatNumber(n)).toBe(text);
  });
});
