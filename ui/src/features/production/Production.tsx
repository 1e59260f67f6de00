// 生产: production batches with the lots they consumed and their factory inspection.

import type { ColumnsType } from "antd/es/table";
import { useBackend } from "../../api";
import type { Batch } from "../../api/bindings/Batch";
import { useT } from "../../i18n";
import { formatQuantity } from "../entry/format";
import { InspectionTag, inspectionFilter } from "../entry/InspectionTag";
import { RecordScreen } from "../entry/RecordScreen";
import { BatchForm } from "./BatchForm";

export function Production() {
  const t = useT();
  const backend = useBackend();

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
    <RecordScreen<Batch>
      name="production"
      title={t.production.title}
      texts={t.production}
      columns={columns}
      load={backend.listBatches}
      fetchFull={backend.getBatch}
      exportKind="batches"
      filter={{ on: "inspection", placeholder: t.production.inspection, options: inspectionFilter(t), testId: "production-filter-inspection" }}
      form={(props) => <BatchForm {...props} />}
    />
  );
}
