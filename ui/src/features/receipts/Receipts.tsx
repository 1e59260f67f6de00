// 进货: material receipts with their incoming inspection.

import type { ColumnsType } from "antd/es/table";
import { useBackend } from "../../api";
import type { Receipt } from "../../api/bindings/Receipt";
import { useT } from "../../i18n";
import { formatQuantity } from "../entry/format";
import { InspectionTag, inspectionFilter } from "../entry/InspectionTag";
import { RecordScreen } from "../entry/RecordScreen";
import { ReceiptForm } from "./ReceiptForm";

export function Receipts() {
  const t = useT();
  const backend = useBackend();

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
    <RecordScreen<Receipt>
      name="receipts"
      title={t.receipts.title}
      texts={t.receipts}
      columns={columns}
      load={backend.listReceipts}
      fetchFull={backend.getReceipt}
      exportKind="receipts"
      filter={{ on: "inspection", placeholder: t.receipts.inspection, options: inspectionFilter(t), testId: "receipts-filter-inspection" }}
      form={(props) => <ReceiptForm {...props} />}
    />
  );
}
