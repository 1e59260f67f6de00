// Text helpers for code fields (USCC, GTIN, batch numbers), where what the clerk types is a code.

/**
 * Folds full-width ASCII (typed with a Chinese IME in full-width mode) to half-width and lower-case
 * ASCII letters to upper case. Each character maps to exactly one character, so the caret position
 * stays valid after the fold.
 */
export function toCodeCase(text: string): string {
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    let c = cp >= 0xff01 && cp <= 0xff5e ? String.fromCharCode(cp - 0xfee0) : ch;
    if (cp === 0x3000) c = " ";
    out += c >= "a" && c <= "z" ? c.toUpperCase() : c;
  }
  return out;
}

/** Characters that are not ASCII digits, for fields such as the GS1 company prefix. */
export function isDigits(text: string): boolean {
  return /^[0-9]+$/.test(text);
}
