// 销售: shipments to customers.

import { PlusOutlined } from "@ant-design/icons";
import { Button, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useCallback, useEffect, useState } from "react";
import { useBackend } from "../../api";
import type { EntryHints } from "../../api/bindings/EntryHints";
import type { Shipment } from "../../api/bindings/Shipment";
import { PageHeader } from "../../components/PageHeader";
import { useT } from "../../i18n";
import { formatQuantity } from "../entry/format";
import { RecordList } from "../entry/RecordList";
import { useNewShortcut } from "../entry/shortcuts";
import { ShipmentForm } from "./ShipmentForm";

export function Shipments() {
  const t = useT();
  const backend = useBackend();
  const [hints, setHints] = useState<EntryHints | null>(null);
  const [form, setForm] = useState<{ open: boolean; editing: Shipment | null }>({ open: false, editing: null });
  const [reload, setReload] = useState(0);
  const openNew = useCallback(() => setForm({ open: true, editing: null }), []);
  useNewShortcut(openNew, !form.open);

  useEffect(() => {
    if (form.open) backend.entryHints().then(setHints, () => undefined);
  }, [backend, form.open, reload]);

  const open = (s: Shipment) => backend.getShipment(s.id).then((full) => setForm({ open: true, editing: full }), () => undefined);

  const columns: ColumnsType<Shipment> = [
    { key: "shippedOn", dataIndex: "shippedOn", title: t.shipments.shippedOn, sorter: true, width: 110 },
    { key: "deliveryNoteNo", dataIndex: "deliveryNoteNo", title: t.shipments.deliveryNoteNo, sorter: true, width: 160 },
    { key: "customerName", dataIndex: "customerName", title: t.shipments.customer, sorter: true, width: 220, ellipsis: true },
    { key: "lineCount", dataIndex: "lineCount", title: t.shipments.lineCount, width: 80, align: "right" },
    { key: "totalQuantity", title: t.shipments.totalQuantity, width: 110, align: "right", render: (_, s) => formatQuantity(s.totalQuantity, "") },
    { key: "note", dataIndex: "note", title: t.receipts.note, ellipsis: true },
  ];

  return (
    <div data-testid="screen-shipments" className="screen">
      <PageHeader
        title={t.shipments.title}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={openNew} data-testid="shipments-new">
            {t.shipments.add} <Tag className="key-tag">Alt+N</Tag>
          </Button>
        }
      />
      <RecordList<Shipment>
        testId="shipments"
        columns={columns}
        load={backend.listShipments}
        exportKind="shipments"
        exportName={t.shipments.exportName}
        searchPlaceholder={t.shipments.searchPlaceholder}
        reloadKey={reload}
        onOpen={open}
      />
      {form.open && (
        <ShipmentForm editing={form.editing} hints={hints} onClose={() => setForm({ open: false, editing: null })} onSaved={() => setReload((r) => r + 1)} />
      )}
    </div>
  );
}
