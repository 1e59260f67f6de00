// Labelled inputs bound to one field of an entry form: the `Field` (label, problems,
// `data-field`, its grid column) around an input whose value and edits are that field's — text,
// text with suggestions, a date, a quantity, or the inspection result.

import { AutoComplete, Input, InputNumber, type InputProps } from "antd";
import type { ReactNode } from "react";
import type { EntryHints } from "../../api/bindings/EntryHints";
import type { FieldProblem } from "../../api/bindings/FieldProblem";
import type { InspectionResult } from "../../api/bindings/InspectionResult";
import { DateField } from "../../components/DateField";
import { useT } from "../../i18n";
import { Field } from "./Field";
import { InspectionRadio } from "./InspectionTag";

/** The part of `useEntry`'s form a bound field needs. */
export interface EntryForm<I> {
  value: I;
  problems: readonly FieldProblem[];
  set: (patch: Partial<I>) => void;
}

/** The keys of `I` whose values are strings. */
export type TextKey<I> = { [K in keyof I]: I[K] extends string ? K : never }[keyof I] & string;

/** The keys of `I` whose values are numbers or blank. */
export type NumberKey<I> = { [K in keyof I]: I[K] extends number | null ? K : never }[keyof I] & string;

/** What every bound field takes. */
interface Bound<I, K extends string> {
  form: EntryForm<I>;
  field: K;
  label: ReactNode;
  /** The input's `data-testid`, and the prefix of its problems' test id. */
  testId: string;
  required?: boolean;
  /** The field's width in the form's grid. */
  span?: number;
}

/** The `Field` around a bound input. */
function BoundField<I>({ form, field, label, testId, required, span, extra, children }: Bound<I, string> & { extra?: ReactNode; children: ReactNode }) {
  return (
    <Field label={label} field={field} problems={form.problems} testId={testId} required={required} span={span} extra={extra}>
      {children}
    </Field>
  );
}

interface TextProps<I> extends Bound<I, TextKey<I>>, Omit<InputProps, "value" | "onChange" | "form"> {
  /** Rewrites what the clerk typed before it is stored (e.g. upper case for a code). */
  normalize?: (text: string) => string;
  /** Called on every edit by the clerk (e.g. to stop replacing a suggested value). */
  onEdit?: () => void;
  /** Shown under the input. */
  extra?: ReactNode;
}

export function TextField<I>({ form, field, label, testId, required, span, normalize, onEdit, extra, ...input }: TextProps<I>) {
  return (
    <BoundField form={form} field={field} label={label} testId={testId} required={required} span={span} extra={extra}>
      <Input
        value={form.value[field] as string}
        onChange={(e) => {
          onEdit?.();
          form.set({ [field]: normalize ? normalize(e.target.value) : e.target.value } as Partial<I>);
        }}
        data-testid={testId}
        {...input}
      />
    </BoundField>
  );
}

/** A labelled text input bound to one string field that suggests `suggestions` as the clerk
 * types; with `filter`, only those containing the typed text. */
export function SuggestField<I>({
  suggestions,
  filter,
  ...bound
}: Bound<I, TextKey<I>> & {
  suggestions: readonly string[];
  filter?: boolean;
}) {
  const { form, field, testId } = bound;
  return (
    <BoundField {...bound}>
      <AutoComplete
        value={form.value[field] as string}
        onChange={(value: string) => form.set({ [field]: value } as Partial<I>)}
        options={suggestions.map((value) => ({ value }))}
        {...(filter ? { filterOption: matchOption } : {})}
        defaultActiveFirstOption={false}
        data-testid={testId}
      />
    </BoundField>
  );
}

/** A supplier's or customer's name, suggested from the known ones (those typed before). */
export function PartyNameField<I>({ parties, ...bound }: Bound<I, TextKey<I>> & { parties: readonly { name: string }[] | undefined }) {
  return <SuggestField {...bound} required filter suggestions={(parties ?? []).map((p) => p.name)} />;
}

/** The unit of a record's quantity, suggested from the units typed before and then `common` ones. */
export function UnitField<I extends { unit: string }>({
  hints,
  common,
  ...bound
}: Omit<Bound<I, "unit">, "field" | "label" | "required"> & { hints: EntryHints | null; common: readonly string[]; filter?: boolean }) {
  const t = useT();
  return (
    <SuggestField<I>
      {...bound}
      field={"unit" as TextKey<I>}
      label={t.receipts.unit}
      required
      suggestions={[...new Set([...(hints?.units ?? []), ...common])]}
    />
  );
}

/** A labelled date bound to one ISO date string field. */
export function DateFormField<I>(bound: Bound<I, TextKey<I>>) {
  const { form, field, testId } = bound;
  return (
    <BoundField {...bound}>
      <DateField value={form.value[field] as string} onChange={(d) => form.set({ [field]: d } as Partial<I>)} testId={testId} />
    </BoundField>
  );
}

/** A labelled quantity (not below zero) bound to one number field; cleared, it is blank. */
export function QuantityField<I>(bound: Bound<I, NumberKey<I>>) {
  const { form, field, testId } = bound;
  return (
    <BoundField {...bound}>
      <InputNumber
        value={form.value[field] as number | null}
        min={0}
        onChange={(value) => form.set({ [field]: typeof value === "number" ? value : null } as Partial<I>)}
        style={{ width: "100%" }}
        data-testid={testId}
      />
    </BoundField>
  );
}

/** The labelled 合格 / 不合格 / 待检 choice of a record's `inspectionResult`. */
export function InspectionField<I extends { inspectionResult: InspectionResult }>(bound: Omit<Bound<I, "inspectionResult">, "field">) {
  const { form, testId } = bound;
  return (
    <BoundField {...bound} field="inspectionResult">
      <InspectionRadio value={form.value.inspectionResult} onChange={(r) => form.set({ inspectionResult: r } as Partial<I>)} testId={testId} />
    </BoundField>
  );
}

/** An autocomplete's filter: the option's value contains the typed text, ignoring case. */
export const matchOption = (text: string, option?: { value?: unknown }) =>
  String(option?.value ?? "").toLowerCase().includes(text.trim().toLowerCase());
