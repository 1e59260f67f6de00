// 进货: material receipts with their incoming inspection.

import { PlusOutlined } from "@ant-design/icons";
import { Button, Select, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useCallback, useEffect, useState } from "react";
import { useBackend } from "../../api";
import type { EntryHints } from "../../api/bindings/EntryHints";
import type { Receipt } from "../../api/bindings/Receipt";
import { PageHeader } from "../../components/PageHeader";
import { useT } from "../../i18n";
import { formatQuantity } from "../entry/format";
import { InspectionTag, inspectionFilter } from "../entry/InspectionTag";
import { RecordList } from "../entry/RecordList";
import { useNewShortcut } from "../entry/shortcuts";
import { ReceiptForm } from "./ReceiptForm";

export function Receipts() {
  const t = useT();
  const backend = useBackend();
  const [hints, setHints] = useState<EntryHints | null>(null);
  const [form, setForm] = useState<{ open: boolean; editing: Receipt | null }>({ open: false, editing: null });
  const [reload, setReload] = useState(0);
  const openNew = useCallback(() => setForm({ open: true, editing: null }), []);
  useNewShortcut(openNew, !form.open);

  useEffect(() => {
    if (form.open) backend.entryHints().then(setHints, () => undefined);
  }, [backend, form.open, reload]);

  const open = (r: Receipt) => backend.getReceipt(r.id).then((full) => setForm({ open: true, editing: full }), () => undefined);

  const columns: ColumnsType<Receipt> = [
    { key: "receivedOn", dataIndex: "receivedOn", title: t.receipts.receivedOn, sorter: true, width: 110 },
    { key: "supplierName", dataIndex: "supplierName", title: t.receipts.supplier, sorter: true, width: 180, ellipsis: true },
    { key: "material", title: t.receipts.material, sorter: true, width: 160, ellipsis: true, render: (_, r) => `${r.material} ${r.spec}` },
    { key: "supplierLot", dataIndex: "supplierLot", title: t.receipts.supplierLot, sorter: true, width: 140 },
    { key: "quantity", title: t.receipts.quantity, sorter: true, width: 110, align: "right", render: (_, r) => formatQuantity(r.quantity, r.unit) },
    { key: "inspectionResult", title: t.receipts.inspection, sorter: true, width: 90, render: (_, r) => <InspectionTag value={r.inspectionResult} /> },
    { key: "reportNo", dataIndex: "reportNo", title: t.receipts.reportNo, width: 130, ellipsis: true },
    { key: "remaining", title: t.receipts.remaining, width: 110, align: "right", render: (_, r) => formatQuantity(r.remaining, r.unit) },
  ];

  return (
    <div data-testid="screen-receipts" className="screen">
      <PageHeader
        title={t.receipts.title}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={openNew} data-testid="receipts-new">
            {t.receipts.add} <Tag className="key-tag">Alt+N</Tag>
          </Button>
        }
      />
      <RecordList<Receipt>
        testId="receipts"
        columns={columns}
        load={backend.listReceipts}
        exportKind="receipts"
        exportName={t.receipts.exportName}
        searchPlaceholder={t.receipts.searchPlaceholder}
        reloadKey={reload}
        onOpen={open}
        filters={(q, setQuery) => (
          <Select
            allowClear
            placeholder={t.receipts.inspection}
            value={q.inspection ?? undefined}
            onChange={(value) => setQuery({ ...q, inspection: value ?? null })}
            options={inspectionFilter(t)}
            className="record-list-filter"
            data-testid="receipts-filter-inspection"
          />
        )}
      />
      {form.open && (
        <ReceiptForm editing={form.editing} hints={hints} onClose={() => setForm({ open: false, editing: null })} onSaved={() => setReload((r) => r + 1)} />
      )}
    </div>
  );
}
