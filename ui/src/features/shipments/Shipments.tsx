// 销售: shipments to customers.

import type { ColumnsType } from "antd/es/table";
import { useBackend } from "../../api";
import type { Shipment } from "../../api/bindings/Shipment";
import { useT } from "../../i18n";
import { formatQuantity } from "../entry/format";
import { RecordScreen } from "../entry/RecordScreen";
import { ShipmentForm } from "./ShipmentForm";

export function Shipments() {
  const t = useT();
  const backend = useBackend();

  const columns: ColumnsType<Shipment> = [
    { key: "shippedOn", dataIndex: "shippedOn", title: t.shipments.shippedOn, sorter: true, width: 110 },
    { key: "deliveryNoteNo", dataIndex: "deliveryNoteNo", title: t.shipments.deliveryNoteNo, sorter: true, width: 160 },
    { key: "customerName", dataIndex: "customerName", title: t.shipments.customer, sorter: true, width: 220, ellipsis: true },
    { key: "lineCount", dataIndex: "lineCount", title: t.shipments.lineCount, width: 80, align: "right" },
    { key: "totalQuantity", title: t.shipments.totalQuantity, width: 110, align: "right", render: (_, s) => formatQuantity(s.totalQuantity, "") },
    { key: "note", dataIndex: "note", title: t.receipts.note, ellipsis: true },
  ];

  return (
    <RecordScreen<Shipment>
      name="shipments"
      title={t.shipments.title}
      texts={t.shipments}
      columns={columns}
      load={backend.listShipments}
      fetchFull={backend.getShipment}
      exportKind="shipments"
      form={(props) => <ShipmentForm {...props} />}
    />
  );
}
