// 生产: production batches with the lots they consumed and their factory inspection.

import { PlusOutlined } from "@ant-design/icons";
import { Button, Select, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useCallback, useEffect, useState } from "react";
import { useBackend } from "../../api";
import type { Batch } from "../../api/bindings/Batch";
import type { EntryHints } from "../../api/bindings/EntryHints";
import { PageHeader } from "../../components/PageHeader";
import { useT } from "../../i18n";
import { formatQuantity } from "../entry/format";
import { InspectionTag, inspectionFilter } from "../entry/InspectionTag";
import { RecordList } from "../entry/RecordList";
import { useNewShortcut } from "../entry/shortcuts";
import { BatchForm } from "./BatchForm";

export function Production() {
  const t = useT();
  const backend = useBackend();
  const [hints, setHints] = useState<EntryHints | null>(null);
  const [form, setForm] = useState<{ open: boolean; editing: Batch | null }>({ open: false, editing: null });
  const [reload, setReload] = useState(0);
  const openNew = useCallback(() => setForm({ open: true, editing: null }), []);
  useNewShortcut(openNew, !form.open);

  useEffect(() => {
    if (form.open) backend.entryHints().then(setHints, () => undefined);
  }, [backend, form.open, reload]);

  const open = (b: Batch) => backend.getBatch(b.id).then((full) => setForm({ open: true, editing: full }), () => undefined);

  const columns: ColumnsType<Batch> = [
    { key: "producedOn", dataIndex: "producedOn", title: t.production.producedOn, sorter: true, width: 110 },
    { key: "lotNo", dataIndex: "lotNo", title: t.production.lotNo, sorter: true, width: 150 },
    { key: "productName", title: t.production.product, sorter: true, width: 200, ellipsis: true, render: (_, b) => `${b.productName} ${b.productModel}` },
    { key: "quantity", title: t.production.quantity, sorter: true, width: 100, align: "right", render: (_, b) => formatQuantity(b.quantity, b.unit) },
    { key: "inspectionResult", title: t.production.inspection, sorter: true, width: 90, render: (_, b) => <InspectionTag value={b.inspectionResult} /> },
    { key: "inspector", dataIndex: "inspector", title: t.production.inspector, width: 90 },
    { key: "inputCount", dataIndex: "inputCount", title: t.production.lotCount, width: 90, align: "right" },
    { key: "shipped", title: t.production.shipped, width: 100, align: "right", render: (_, b) => formatQuantity(b.shipped, b.unit) },
  ];

  return (
    <div data-testid="screen-production" className="screen">
      <PageHeader
        title={t.production.title}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={openNew} data-testid="production-new">
            {t.production.add} <Tag className="key-tag">Alt+N</Tag>
          </Button>
        }
      />
      <RecordList<Batch>
        testId="production"
        columns={columns}
        load={backend.listBatches}
        exportKind="batches"
        exportName={t.production.exportName}
        searchPlaceholder={t.production.searchPlaceholder}
        reloadKey={reload}
        onOpen={open}
        filters={(q, setQuery) => (
          <Select
            allowClear
            placeholder={t.production.inspection}
            value={q.inspection ?? undefined}
            onChange={(value) => setQuery({ ...q, inspection: value ?? null })}
            options={inspectionFilter(t)}
            className="record-list-filter"
            data-testid="production-filter-inspection"
          />
        )}
      />
      {form.open && (
        <BatchForm editing={form.editing} hints={hints} onClose={() => setForm({ open: false, editing: null })} onSaved={() => setReload((r) => r + 1)} />
      )}
    </div>
  );
}
