// @vitest-environment node
// The same vectors as src-tauri/crates/codes/src/uscc.rs, so the fake answers like Rust.
import { describe, expect, it } from "vitest";
import { checkUsccText, parseUscc, usccErrorMessage } from "./fakeUscc";

function check(input: string): string {
  const parsed = parseUscc(input);
  return parsed.ok ? `ok ${parsed.code}` : `err ${usccErrorMessage(parsed.error).en.replace("Unified social credit code: ", "")}`;
}

describe("fake USCC check (GB 32100)", () => {
  it("published valid codes pass", () => {
    for (const code of [
      "91110000600037341L",
      "91110000710926094P",
      "121200004013590816",
      "91320214745555318W",
      "91310115MA1K3BTP2B",
      "9144030071526726XG",
      "91350100M000100Y43",
    ]) {
      expect(check(code)).toBe(`ok ${code}`);
    }
  });

  it.each([
    ["91110000600037341N", "err check character at position 18 is 'N', expected 'L'"],
    ["A1110000600037341L", "err check character at position 18 is 'L', expected 'K'"],
    ["9111000060003IOZSV", "err character 'I' at position 14 is not allowed (I, O, S, V, Z and symbols are never used)"],
    ["91AB0000600037341L", "err character 'A' at position 3 must be a digit (positions 3-8 are the division code)"],
    ["9111000060003734", "err expected 18 characters, got 16"],
    ["   ", "err the code is empty"],
    ["91110000600037342L", "err organisation code check character at position 17 is '2', expected '1'"],
    ["９１１１0000600037341l", "ok 91110000600037341L"],
    [" 91310115ma1k3btp2b ", "ok 91310115MA1K3BTP2B"],
  ])("%s → %s", (input, expected) => {
    expect(check(input)).toBe(expected);
  });

  it("says what to fix in Chinese, with the position", () => {
    const result = checkUsccText("91110000600037341N");
    expect(result).toEqual({
      valid: false,
      normalized: "91110000600037341N",
      position: 18,
      messageZh: "第 18 位校验码应为“L”，实际为“N”，请核对整个代码是否抄错",
      messageEn: "Unified social credit code: check character at position 18 is 'N', expected 'L'",
    });
    expect(checkUsccText("91110000600037341L")).toMatchObject({ valid: true, position: null, messageZh: "统一社会信用代码校验通过" });
  });
});
