// Keyboard-first forms: Enter moves to the next field, and on the last field runs the form's
// "next" action. Fields are found in DOM order inside the element that handles the key, so a form
// only has to render its fields in reading order.

import type { KeyboardEvent } from "react";

type Field = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** The fields of `root` in DOM order; a radio group counts once (its checked radio, else its first). */
export function fieldsIn(root: ParentNode): Field[] {
  const fields: Field[] = [];
  const groups = new Set<string>();
  for (const el of root.querySelectorAll<Field>("input, select, textarea")) {
    if (el.disabled || (el instanceof HTMLInputElement && el.type === "hidden")) continue;
    if (el.closest("[data-enter-skip]")) continue;
    if (el instanceof HTMLInputElement && el.type === "radio" && el.name) {
      if (groups.has(el.name)) continue;
      groups.add(el.name);
      const checked = Array.from(root.querySelectorAll<HTMLInputElement>("input[type=radio]")).find(
        (r) => r.name === el.name && r.checked,
      );
      fields.push(checked ?? el);
      continue;
    }
    fields.push(el);
  }
  return fields;
}

function focusField(field: Field) {
  field.focus();
  if (field instanceof HTMLInputElement && ["text", "search", "tel", "url", ""].includes(field.type)) field.select();
}

/** Focuses the first field of `root` (or the one with `data-testid=testId`). Returns whether it did. */
export function focusFieldIn(root: ParentNode | null, testId?: string): boolean {
  if (!root) return false;
  const target = testId
    ? root.querySelector<Field>(`[data-testid="${testId}"]`)
    : (fieldsIn(root)[0] ?? null);
  if (!target) return false;
  focusField(target);
  return true;
}

/**
 * `onKeyDown` for a form container: Enter in a field moves to the next field; Enter in the last
 * field calls `onLast`. Enter while an IME is composing (pinyin) is left alone, as are buttons,
 * text areas and Enter with a modifier.
 */
export function handleEnterKey(event: KeyboardEvent<HTMLElement>, onLast: () => void): void {
  if (event.key !== "Enter" || event.shiftKey || event.ctrlKey || event.altKey || event.metaKey) return;
  if (event.nativeEvent.isComposing || event.keyCode === 229) return;
  const target = event.target;
  if (!(target instanceof HTMLInputElement || target instanceof HTMLSelectElement)) return;
  const root = event.currentTarget;
  event.preventDefault();
  const move = () => {
    const fields = fieldsIn(root);
    const index = fields.findIndex(
      (f) =>
        f === target ||
        (target instanceof HTMLInputElement && target.type === "radio" && f instanceof HTMLInputElement && f.name === target.name),
    );
    if (index >= 0 && index < fields.length - 1) focusField(fields[index + 1]);
    else onLast();
  };
  // Enter in a dropdown picks an option first, and the choice can enable or add the next field
  // (a material lot enables its quantity): move once React has rendered that choice.
  if (target.closest(".ant-select")) setTimeout(move, 0);
  else move();
}
