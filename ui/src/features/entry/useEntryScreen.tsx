// What the list screens (往来单位, 产品, 进货, 生产, 销售) share around their form drawer: its state
// (a new record or a record opened from the list), Alt+N, the history hints an entry form
// completes from, the reload after a save, the "new" button and the list's filter.

import { PlusOutlined } from "@ant-design/icons";
import { Button, Select, Tag } from "antd";
import { useCallback, useEffect, useState } from "react";
import { useBackend } from "../../api";
import type { EntryHints } from "../../api/bindings/EntryHints";
import type { InspectionResult } from "../../api/bindings/InspectionResult";
import type { ListQuery } from "../../api/bindings/ListQuery";
import { useNewShortcut } from "./shortcuts";
import type { RecordFormProps } from "./useRecordForm";

/** What a list screen hands its form: the record form's props and the history hints (entry
 * screens only; `null` until loaded). */
export interface EntryFormProps<R> extends RecordFormProps<R> {
  hints: EntryHints | null;
}

/** The form drawer of a list screen: closed, a new record, or a record opened from the list;
 * Alt+N opens a new one while it is closed; `reload` counts the saves, for the list to reload.
 * With `fetchFull` (the entry screens), an opened row is loaded whole (lines, attachments) and
 * the history hints are loaded while the drawer is open. */
export function useRecordDrawer<T extends { id: number }>(fetchFull?: (id: number) => Promise<T>) {
  const backend = useBackend();
  const [form, setForm] = useState<{ open: boolean; editing: T | null }>({ open: false, editing: null });
  const [reload, setReload] = useState(0);
  const [hints, setHints] = useState<EntryHints | null>(null);
  const openNew = useCallback(() => setForm({ open: true, editing: null }), []);
  useNewShortcut(openNew, !form.open);
  const entry = fetchFull !== undefined;

  useEffect(() => {
    if (entry && form.open) backend.entryHints().then(setHints, () => undefined);
  }, [backend, entry, form.open, reload]);

  const show = (record: T) => setForm({ open: true, editing: record });
  return {
    form,
    reload,
    openNew,
    open: (row: T) => (fetchFull ? fetchFull(row.id).then(show, () => undefined) : show(row)),
    /** The props of the open form. */
    formProps: {
      editing: form.editing,
      hints,
      onClose: () => setForm({ open: false, editing: null }),
      onSaved: () => setReload((r) => r + 1),
    } satisfies EntryFormProps<T>,
  };
}

/** The page header's "new record" button, with its Alt+N hint. */
export function NewRecordButton({ label, onClick, testId }: { label: string; onClick: () => void; testId: string }) {
  return (
    <Button type="primary" icon={<PlusOutlined />} onClick={onClick} data-testid={testId}>
      {label} <Tag className="key-tag">Alt+N</Tag>
    </Button>
  );
}

/** A list filter beyond the search box: one value of the query's `inspection` (合格 / 不合格 /
 * 待检) or `kind` (a party's kind, a product's category). */
export interface ListFilter {
  on: "inspection" | "kind";
  placeholder: string;
  options: { value: string; label: string }[];
  testId: string;
  /** Whether the clerk can type to find an option. */
  search?: boolean;
}

export function ListFilterSelect({ filter, query, setQuery }: { filter: ListFilter; query: ListQuery; setQuery: (q: ListQuery) => void }) {
  const pick = (value: string | undefined): ListQuery =>
    filter.on === "kind" ? { ...query, kind: value ?? null } : { ...query, inspection: (value as InspectionResult | undefined) ?? null };
  return (
    <Select
      allowClear
      placeholder={filter.placeholder}
      value={query[filter.on] ?? undefined}
      onChange={(value: string | undefined) => setQuery(pick(value))}
      options={filter.options}
      className="record-list-filter"
      {...(filter.search ? { showSearch: { optionFilterProp: "label" } } : {})}
      data-testid={filter.testId}
    />
  );
}
