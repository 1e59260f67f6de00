// 统一社会信用代码 (GB 32100-2015) checks for the fake back end, a line-by-line port of
// src-tauri/crates/codes/src/uscc.rs and `app::setup::check_uscc`, messages included. The UI never
// validates a USCC itself: it asks the back end (`check_uscc`), and this file only makes the fake
// answer the way Rust does. Keep the two in step; `fakeUscc.test.ts` holds the same vectors.

import type { UsccCheck } from "./bindings/UsccCheck";

/** The 31 characters GB 32100 allows, in value order (0–30). I, O, S, V and Z are excluded. */
const CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/** Weights for positions 1–17: 3^(i-1) mod 31 (GB 32100 §5). */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/** Weights of the organisation code body, GB 11714. */
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

export type UsccError =
  | { kind: "empty" }
  | { kind: "length"; len: number }
  | { kind: "notAllowed"; pos: number; ch: string }
  | { kind: "notADigit"; pos: number; ch: string }
  | { kind: "orgCheck"; expected: string; found: string }
  | { kind: "check"; expected: string; found: string };

/** Rust's `{:?}` of a char. */
const dbg = (ch: string) => `'${ch}'`;

export function usccErrorMessage(err: UsccError): { zh: string; en: string } {
  switch (err.kind) {
    case "empty":
      return {
        zh: "统一社会信用代码不能为空，请输入营业执照上的 18 位代码",
        en: "Unified social credit code: the code is empty",
      };
    case "length":
      return {
        zh: `统一社会信用代码应为 18 位，当前为 ${err.len} 位，请对照营业执照核对`,
        en: `Unified social credit code: expected 18 characters, got ${err.len}`,
      };
    case "notAllowed":
      return {
        zh: `第 ${err.pos} 位字符“${err.ch}”不合法：代码只含数字和大写字母，且不含 I、O、S、V、Z，请核对是否把 0 写成了 O、1 写成了 I`,
        en: `Unified social credit code: character ${dbg(err.ch)} at position ${err.pos} is not allowed (I, O, S, V, Z and symbols are never used)`,
      };
    case "notADigit":
      return {
        zh: `第 ${err.pos} 位字符“${err.ch}”应为数字：第 3–8 位是登记管理机关行政区划码`,
        en: `Unified social credit code: character ${dbg(err.ch)} at position ${err.pos} must be a digit (positions 3-8 are the division code)`,
      };
    case "orgCheck":
      return {
        zh: `第 17 位（组织机构代码校验码）应为“${err.expected}”，实际为“${err.found}”，请核对第 9–17 位`,
        en: `Unified social credit code: organisation code check character at position 17 is ${dbg(err.found)}, expected ${dbg(err.expected)}`,
      };
    case "check":
      return {
        zh: `第 18 位校验码应为“${err.expected}”，实际为“${err.found}”，请核对整个代码是否抄错`,
        en: `Unified social credit code: check character at position 18 is ${dbg(err.found)}, expected ${dbg(err.expected)}`,
      };
  }
}

export function usccErrorPosition(err: UsccError): number | null {
  switch (err.kind) {
    case "notAllowed":
    case "notADigit":
      return err.pos;
    case "orgCheck":
      return 17;
    case "check":
      return 18;
    default:
      return null;
  }
}

/** Blanks trimmed, full-width letters and digits made half-width, lower case made upper case. */
export function normaliseUscc(input: string): string {
  const trimmed = input.replace(/^[\s\u3000]+|[\s\u3000]+$/gu, "");
  return Array.from(trimmed)
    .map((c) => {
      const cp = c.codePointAt(0)!;
      const fullWidth =
        (cp >= 0xff10 && cp <= 0xff19) || (cp >= 0xff21 && cp <= 0xff3a) || (cp >= 0xff41 && cp <= 0xff5a);
      const half = fullWidth ? String.fromCodePoint(cp - 0xfee0) : c;
      return /^[a-z]$/.test(half) ? half.toUpperCase() : half;
    })
    .join("");
}

const value = (ch: string) => {
  const i = CHARSET.indexOf(ch);
  return ch.length === 1 && i >= 0 ? i : null;
};

/** The GB 32100 check character over the first 17 characters. */
export function usccCheckChar(body: string): string | null {
  let sum = 0;
  const chars = Array.from(body).slice(0, 17);
  for (let i = 0; i < chars.length; i++) {
    const v = value(chars[i]);
    if (v === null) return null;
    sum += v * WEIGHTS[i];
  }
  return CHARSET[(31 - (sum % 31)) % 31];
}

function orgCheckChar(body: string[]): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const v = parseInt(body[i], 36);
    if (Number.isNaN(v)) return "?";
    sum += v * ORG_WEIGHTS[i];
  }
  const r = 11 - (sum % 11);
  return r === 10 ? "X" : r === 11 ? "0" : String(r);
}

/** `Uscc::parse`: the canonical code, or the first thing wrong with it. */
export function parseUscc(input: string): { ok: true; code: string } | { ok: false; error: UsccError } {
  const code = normaliseUscc(input);
  const chars = Array.from(code);
  if (chars.length === 0) return { ok: false, error: { kind: "empty" } };
  if (chars.length !== 18) return { ok: false, error: { kind: "length", len: chars.length } };
  for (let i = 0; i < chars.length; i++) {
    const pos = i + 1;
    const ch = chars[i];
    if (value(ch) === null) return { ok: false, error: { kind: "notAllowed", pos, ch } };
    if (pos >= 3 && pos <= 8 && !/^[0-9]$/.test(ch)) return { ok: false, error: { kind: "notADigit", pos, ch } };
  }
  const orgExpected = orgCheckChar(chars.slice(8, 16));
  if (orgExpected !== chars[16]) {
    return { ok: false, error: { kind: "orgCheck", expected: orgExpected, found: chars[16] } };
  }
  const expected = usccCheckChar(code) ?? "?";
  if (expected !== chars[17]) return { ok: false, error: { kind: "check", expected, found: chars[17] } };
  return { ok: true, code };
}

/** `app::setup::check_uscc`. */
export function checkUsccText(text: string): UsccCheck {
  const parsed = parseUscc(text);
  if (parsed.ok) {
    return {
      valid: true,
      normalized: parsed.code,
      position: null,
      messageZh: "统一社会信用代码校验通过",
      messageEn: "unified social credit code is valid",
    };
  }
  const message = usccErrorMessage(parsed.error);
  return {
    valid: false,
    normalized: normaliseUscc(text),
    position: usccErrorPosition(parsed.error),
    messageZh: message.zh,
    messageEn: message.en,
  };
}
