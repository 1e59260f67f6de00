// 统一社会信用代码 answers for the fake back end, replayed from Rust: `recorded/uscc-checks.json` is
// written by the app's test `uscc_checks_are_recorded_for_the_ui` (every code the screen tests
// type and each prefix of it), and `make test` fails when it is stale. There is no TypeScript copy
// of GB 32100 here: a code that was not recorded is an error that says where to add it.

import type { UsccCheck } from "./bindings/UsccCheck";
import recorded from "./golden/uscc-checks.json";

const answers: Record<string, UsccCheck> = recorded;

/** `app::setup::check_uscc`, as Rust answered it for `text`. */
export function checkUsccText(text: string): UsccCheck {
  const answer = answers[text];
  if (!answer) {
    throw new Error(
      `no recorded check_uscc answer for ${JSON.stringify(text)}: add it to uscc_checks_are_recorded_for_the_ui (src-tauri/crates/app/src/tests.rs) and run cargo test -p app`,
    );
  }
  return answer;
}

/** What saving does with a USCC: the canonical code, or the message that refuses it. */
export function parseUscc(text: string): { ok: true; code: string } | { ok: false; zh: string; en: string } {
  const answer = checkUsccText(text);
  return answer.valid ? { ok: true, code: answer.normalized } : { ok: false, zh: answer.messageZh, en: answer.messageEn };
}
