import type { FocusEvent } from "react";

/**
 * `onBlur` for a controlled input: if the field's DOM value differs from the state, take the DOM
 * value. Setting `input.value` from script (WebDriver's "clear", some password managers and
 * autofill) updates React's change tracker without an input event, so React never calls
 * `onChange` and the next render would put the old text back.
 */
export function syncOnBlur(current: string, apply: (value: string) => void) {
  return (event: FocusEvent<HTMLInputElement>) => {
    if (event.target.value !== current) apply(event.target.value);
  };
}
