// The parts every line editor shares (a batch's material lots, a shipment's batches): the picker
// that searches the back end as the clerk types, the quantity of a line with its unit, and the
// button that removes a line.

import { DeleteOutlined } from "@ant-design/icons";
import { Button, InputNumber, Select } from "antd";
import { useRef, useState, type ReactNode } from "react";
import type { FieldProblem } from "../../api/bindings/FieldProblem";
import { useT } from "../../i18n";
import { Field } from "./Field";

/** The options a line picker offers: what `find` returned for the text typed last (a slower answer
 * to an earlier text is dropped), nothing for a blank text. `onFound` hears every answer kept. */
export function useLineSearch<T>(find: (text: string) => Promise<T[]>, onFound: (found: T[]) => void) {
  const [options, setOptions] = useState<T[]>([]);
  const seq = useRef(0);
  const search = (text: string) => {
    const mine = ++seq.current;
    if (text.trim() === "") {
      setOptions([]);
      return;
    }
    find(text).then(
      (found) => {
        if (mine !== seq.current) return;
        setOptions(found);
        onFound(found);
      },
      () => undefined,
    );
  };
  return { options, search, clear: () => setOptions([]) };
}

/** A select over searched records: `options` are the records on offer, the line's own first. */
export function LinePicker<T>({
  value,
  placeholder,
  onChange,
  search,
  options,
  renderOption,
  testId,
}: {
  value: number | null;
  placeholder: string;
  onChange: (value: number) => void;
  search: { search: (text: string) => void; clear: () => void };
  options: { value: number; label: string; item: T }[];
  renderOption: (item: T) => ReactNode;
  testId: string;
}) {
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: search.search }}
      value={value ?? undefined}
      placeholder={placeholder}
      onChange={onChange}
      onBlur={search.clear}
      options={options}
      notFoundContent={null}
      optionRender={(o) => <div className="lot-option">{renderOption((o.data as { item: T }).item)}</div>}
      data-testid={testId}
    />
  );
}

/** A line's quantity in the line's unit, labelled on the first line only. */
export function LineQuantity({
  label,
  field,
  problems,
  testId,
  className,
  value,
  unit,
  disabled,
  onChange,
}: {
  label: ReactNode;
  field: string;
  problems: readonly FieldProblem[];
  testId: string;
  className: string;
  value: number | null;
  unit: string | undefined;
  disabled: boolean;
  onChange: (value: number | null) => void;
}) {
  return (
    <Field label={label} field={field} problems={problems} testId={testId} className={className}>
      <InputNumber
        value={value}
        min={0}
        disabled={disabled}
        onChange={(v) => onChange(typeof v === "number" ? v : null)}
        addonAfter={unit}
        style={{ width: "100%" }}
        data-testid={testId}
      />
    </Field>
  );
}

/** Removes a filled line (not reachable by Tab, so Enter/Tab flow stays on the fields). */
export function RemoveLineButton({ onClick }: { onClick: () => void }) {
  const t = useT();
  return <Button type="text" size="small" icon={<DeleteOutlined />} tabIndex={-1} onClick={onClick} aria-label={t.entry.remove} />;
}
