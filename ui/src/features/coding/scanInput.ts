// What a USB barcode scanner (keyboard wedge) types, and how the 码检查 box keeps it.
//
// A scanner "types" the symbology identifier (`]d2` for GS1 DataMatrix, `]Q3` for GS1 QR, `]C1`
// for GS1-128) and the data, and ends with Enter. The GS1 separator FNC1 arrives as ASCII 29
// (GS): some scanners send the character itself, others the key chord Ctrl+] that produces it in
// a terminal, and a browser input drops either one. The box therefore catches the key, keeps a
// real GS in the value it checks, and shows it as "␝" so the clerk can see it.

export const GS = "\u001d";
/** U+241D SYMBOL FOR GROUP SEPARATOR: how a GS is shown in the input. */
export const GS_SHOWN = "\u241d";

/** The value to show for text holding GS characters. */
export function showScan(text: string): string {
  return text.split(GS).join(GS_SHOWN);
}

/**
 * The text to check for what the input shows: "␝" and the spelled-out forms a clerk may type or
 * paste (`<GS>`, `{GS}`, `\x1d`) become GS; surrounding blanks and line ends go.
 */
export function scanText(shown: string): string {
  return shown
    .replace(/\r|\n/g, "")
    .split(GS_SHOWN)
    .join(GS)
    .replace(/<GS>|\{GS\}|\\x1[dD]|\\u001[dD]/g, GS)
    .trim();
}

/** Whether a key event is the scanner's GS: the character itself or the chord Ctrl+]. */
export function isGsKey(event: { key: string; ctrlKey: boolean; code?: string }): boolean {
  if (event.key === GS) return true;
  return event.ctrlKey && (event.key === "]" || event.code === "BracketRight");
}
