// @vitest-environment node
import { describe, expect, it } from "vitest";
import en from "./en";
import zhCN from "./zh-CN";

/** Every leaf path, with `()` marking functions and their arity. */
function leaves(value: unknown, prefix = ""): string[] {
  if (typeof value === "function") return [`${prefix}(${value.length})`];
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => leaves(child, prefix ? `${prefix}.${key}` : key));
}

describe("i18n", () => {
  it("the Chinese and English key sets are identical", () => {
    expect(leaves(en).sort()).toEqual(leaves(zhCN).sort());
  });

  it("no message is empty", () => {
    const empty = (dict: object) =>
      leaves(dict).filter((path) => {
        const value = path
          .replace(/\(\d+\)$/, "")
          .split(".")
          .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], dict);
        return typeof value === "string" && value.trim() === "";
      });
    expect(empty(zhCN)).toEqual([]);
    expect(empty(en)).toEqual([]);
  });
});
