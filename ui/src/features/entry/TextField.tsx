// Labelled inputs bound to one string field of an entry form: the `Field` (label, problems,
// `data-field`) around an `Input` or an `AutoComplete` whose value and edits are that field's.

import { AutoComplete, Input, type InputProps } from "antd";
import type { ReactNode } from "react";
import type { FieldProblem } from "../../api/bindings/FieldProblem";
import { Field } from "./Field";

/** The part of `useEntry`'s form a bound field needs. */
export interface EntryForm<I> {
  value: I;
  problems: readonly FieldProblem[];
  set: (patch: Partial<I>) => void;
}

/** The keys of `I` whose values are strings. */
export type TextKey<I> = { [K in keyof I]: I[K] extends string ? K : never }[keyof I] & string;

interface Props<I> extends Omit<InputProps, "value" | "onChange" | "form"> {
  form: EntryForm<I>;
  field: TextKey<I>;
  label: ReactNode;
  /** The input's `data-testid`, and the prefix of its problems' test id. */
  testId: string;
  required?: boolean;
  /** Rewrites what the clerk typed before it is stored (e.g. upper case for a code). */
  normalize?: (text: string) => string;
}

export function TextField<I>({ form, field, label, testId, required, normalize, ...input }: Props<I>) {
  return (
    <Field label={label} field={field} problems={form.problems} testId={testId} required={required}>
      <Input
        value={form.value[field] as string}
        onChange={(e) => form.set({ [field]: normalize ? normalize(e.target.value) : e.target.value } as Partial<I>)}
        data-testid={testId}
        {...input}
      />
    </Field>
  );
}

/** A labelled text input bound to one string field that suggests `suggestions` as the clerk
 * types; with `filter`, only those containing the typed text. */
export function SuggestField<I>({
  form,
  field,
  label,
  testId,
  required,
  suggestions,
  filter,
}: {
  form: EntryForm<I>;
  field: TextKey<I>;
  label: ReactNode;
  testId: string;
  required?: boolean;
  suggestions: readonly string[];
  filter?: boolean;
}) {
  return (
    <Field label={label} field={field} problems={form.problems} testId={testId} required={required}>
      <AutoComplete
        value={form.value[field] as string}
        onChange={(value: string) => form.set({ [field]: value } as Partial<I>)}
        options={suggestions.map((value) => ({ value }))}
        {...(filter ? { filterOption: matchOption } : {})}
        defaultActiveFirstOption={false}
        data-testid={testId}
      />
    </Field>
  );
}

/** An autocomplete's filter: the option's value contains the typed text, ignoring case. */
export const matchOption = (text: string, option?: { value?: unknown }) =>
  String(option?.value ?? "").toLowerCase().includes(text.trim().toLowerCase());
