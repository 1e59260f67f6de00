// @vitest-environment node
// The fake's USCC answers are Rust's, replayed: these read the recording, they do not re-check GB 32100.
import { describe, expect, it } from "vitest";
import { checkUsccText, parseUscc } from "./fakeUscc";

describe("fake USCC answers (recorded from app::setup::check_uscc)", () => {
  it("a valid code is saved in its canonical form", () => {
    expect(parseUscc(" 91310115ma1k3btp2b ")).toEqual({ ok: true, code: "91310115MA1K3BTP2B" });
  });

  it("a wrong check character is refused with Rust's message and position", () => {
    const check = checkUsccText("91110000600037341N");
    expect(check).toMatchObject({ valid: false, warning: false, position: 18 });
    expect(parseUscc("91110000600037341N")).toEqual({ ok: false, zh: check.messageZh, en: check.messageEn });
  });

  it("a code failing only the inner organisation-code check is kept, with a warning at 17", () => {
    expect(checkUsccText("91110000600037342P")).toMatchObject({ valid: true, warning: true, position: 17 });
    expect(parseUscc("91110000600037342P")).toEqual({ ok: true, code: "91110000600037342P" });
  });

  it("an answer Rust never gave is an error naming where to record it", () => {
    expect(() => checkUsccText("not recorded")).toThrow(/uscc_checks_are_recorded_for_the_ui/);
  });
});
