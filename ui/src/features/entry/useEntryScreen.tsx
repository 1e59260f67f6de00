// What the three entry screens (进货, 生产, 销售) share: the form drawer's state (a new record or
// a record opened from the list), Alt+N, the history hints the form completes from, the reload
// after a save, the "new" button and the inspection filter of the list.

import { PlusOutlined } from "@ant-design/icons";
import { Button, Select, Tag } from "antd";
import { useCallback, useEffect, useState } from "react";
import { useBackend } from "../../api";
import type { EntryHints } from "../../api/bindings/EntryHints";
import type { ListQuery } from "../../api/bindings/ListQuery";
import { useT } from "../../i18n";
import { inspectionFilter } from "./InspectionTag";
import { useNewShortcut } from "./shortcuts";
import type { RecordFormProps } from "./useRecordForm";

/** What an entry screen hands its form: the record form's props and the history hints. */
export interface EntryFormProps<R> extends RecordFormProps<R> {
  hints: EntryHints | null;
}

/** The form drawer of a list screen: closed, a new record, or a record opened from the list;
 * Alt+N opens a new one while it is closed; `reload` counts the saves, for the list to reload. */
export function useRecordDrawer<T>() {
  const [form, setForm] = useState<{ open: boolean; editing: T | null }>({ open: false, editing: null });
  const [reload, setReload] = useState(0);
  const openNew = useCallback(() => setForm({ open: true, editing: null }), []);
  useNewShortcut(openNew, !form.open);
  return {
    form,
    reload,
    openNew,
    open: (record: T) => setForm({ open: true, editing: record }),
    close: () => setForm({ open: false, editing: null }),
    saved: () => setReload((r) => r + 1),
  };
}

/** `fetchFull` loads the whole record (lines, attachments) when the clerk opens a list row. */
export function useEntryScreen<T extends { id: number }>(fetchFull: (id: number) => Promise<T>) {
  const backend = useBackend();
  const [hints, setHints] = useState<EntryHints | null>(null);
  const drawer = useRecordDrawer<T>();

  useEffect(() => {
    if (drawer.form.open) backend.entryHints().then(setHints, () => undefined);
  }, [backend, drawer.form.open, drawer.reload]);

  return {
    ...drawer,
    hints,
    open: (row: T) => fetchFull(row.id).then(drawer.open, () => undefined),
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

/** The list filter 合格 / 不合格 / 待检. */
export function InspectionFilter({
  query,
  setQuery,
  placeholder,
  testId,
}: {
  query: ListQuery;
  setQuery: (q: ListQuery) => void;
  placeholder: string;
  testId: string;
}) {
  const t = useT();
  return (
    <Select
      allowClear
      placeholder={placeholder}
      value={query.inspection ?? undefined}
      onChange={(value) => setQuery({ ...query, inspection: value ?? null })}
      options={inspectionFilter(t)}
      className="record-list-filter"
      data-testid={testId}
    />
  );
}
