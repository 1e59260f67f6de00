// The result of a 模拟召回 drill: every affected customer (with contacts and quantities), batch,
// shipment line and item, the draft notice, how long it took, and the xlsx export.

import { Drawer, Statistic, Table, Tabs, Tag, Typography, type TableProps } from "antd";
import type { ColumnType, ColumnsType } from "antd/es/table";
import { useBackend } from "../../api";
import type { RecallBatch } from "../../api/bindings/RecallBatch";
import type { RecallCustomer } from "../../api/bindings/RecallCustomer";
import type { RecallItem } from "../../api/bindings/RecallItem";
import type { RecallResult } from "../../api/bindings/RecallResult";
import type { RecallShipment } from "../../api/bindings/RecallShipment";
import { ExportButtons } from "../../components/ExportButtons";
import { useT } from "../../i18n";
import { formatQuantity } from "../entry/format";
import { InspectionTag } from "../entry/InspectionTag";

export function RecallPanel({ result, onClose }: { result: RecallResult; onClose: () => void }) {
  const t = useT();
  const backend = useBackend();

  const customerColumns: ColumnsType<RecallCustomer> = [
    { title: t.recall.customer, dataIndex: "name" },
    { title: t.enterprise.contact, dataIndex: "contact", width: 90 },
    { title: t.enterprise.phone, dataIndex: "phone", width: 130 },
    { title: t.recall.lots, render: (_, c) => c.lots.join("、") },
    { title: t.recall.notes, render: (_, c) => c.deliveryNotes.join("、") },
    quantityColumn(t.recall.quantity, (c) => formatQuantity(c.quantity, c.unit)),
  ];
  const batchColumns: ColumnsType<RecallBatch> = [
    { title: t.production.lotNo, dataIndex: "lotNo" },
    { title: t.production.product, render: (_, b) => `${b.productName} ${b.productModel}` },
    { title: t.production.producedOn, dataIndex: "producedOn", width: 110 },
    { title: t.production.inspection, width: 90, render: (_, b) => <InspectionTag value={b.inspectionResult} /> },
    quantityColumn(t.recall.lotUsed, (b) => (b.lotQuantity === null ? "—" : formatQuantity(b.lotQuantity, ""))),
    quantityColumn(t.recall.shipped, (b) => formatQuantity(b.shipped, b.unit)),
    quantityColumn(t.recall.inStock, (b) => formatQuantity(b.inStock, b.unit)),
  ];
  const shipmentColumns: ColumnsType<RecallShipment> = [
    { title: t.shipments.shippedOn, dataIndex: "shippedOn", width: 110 },
    { title: t.shipments.deliveryNoteNo, dataIndex: "deliveryNoteNo" },
    { title: t.shipments.customer, dataIndex: "customerName" },
    { title: t.production.lotNo, dataIndex: "lotNo" },
    { title: t.recall.serial, dataIndex: "serial" },
    quantityColumn(t.recall.quantity, (s) => formatQuantity(s.quantity, s.unit)),
  ];
  const itemColumns: ColumnsType<RecallItem> = [
    { title: t.recall.serial, dataIndex: "serial" },
    { title: t.production.lotNo, dataIndex: "lotNo" },
    { title: t.recall.status, render: (_, i) => (i.status === "void" ? <Tag>{t.recall.void}</Tag> : <Tag color="green">{t.recall.active}</Tag>) },
    { title: t.shipments.customer, dataIndex: "customerName" },
  ];

  return (
    <Drawer
      open
      size={960}
      onClose={onClose}
      title={t.recall.title(t.trace.kinds[result.start.kind], result.start.label)}
      data-testid="recall-panel"
      extra={
        <ExportButtons
          run={(path) => backend.exportRecall(result, path)}
          defaultName={t.recall.exportName(result.start.label)}
          label={t.recall.export}
          testId="recall-export"
          primary
        />
      }
    >
      <div className="recall-stats" data-testid="recall-stats">
        <Statistic title={t.recall.customers} value={result.customers.length} />
        <Statistic title={t.recall.batches} value={result.batches.length} />
        <Statistic title={t.recall.items} value={result.items.length} />
        <Statistic title={t.recall.shipped} value={formatQuantity(result.quantityShipped, "")} />
        <Statistic title={t.recall.inStock} value={formatQuantity(result.quantityInStock, "")} />
        <Statistic title={t.recall.duration} value={result.durationMs.toFixed(1)} suffix="ms" />
      </div>
      <Tabs
        items={[
          {
            key: "customers",
            label: t.recall.customersTab,
            children: <ResultTable rowKey="customerId" dataSource={result.customers} columns={customerColumns} testId="recall-customers" />,
          },
          {
            key: "batches",
            label: t.recall.batchesTab,
            children: <ResultTable rowKey="batchId" dataSource={result.batches} columns={batchColumns} testId="recall-batches" />,
          },
          {
            key: "shipments",
            label: t.recall.shipmentsTab,
            children: <ResultTable rowKey={shipmentKey} dataSource={result.shipments} columns={shipmentColumns} />,
          },
          {
            key: "items",
            label: `${t.recall.itemsTab} (${result.items.length})`,
            children: <ResultTable virtual scroll={{ y: 360 }} rowKey="serial" dataSource={result.items} columns={itemColumns} />,
          },
          {
            key: "notice",
            label: t.recall.noticeTab,
            children: (
              <Typography.Paragraph copyable className="recall-notice" data-testid="recall-notice">
                {result.noticeZh}
              </Typography.Paragraph>
            ),
          },
        ]}
      />
    </Drawer>
  );
}

/** A shipment line's row key; the index keeps two alike lines apart. */
const shipmentKey = (s: RecallShipment, i?: number) => `${s.deliveryNoteNo}-${s.lotNo}-${s.serial ?? ""}-${i}`;

/** One tab's table: small, every row on one page. */
function ResultTable<T extends object>({ testId, ...table }: TableProps<T> & { testId?: string }) {
  return <Table<T> size="small" pagination={false} data-testid={testId} {...table} />;
}

/** A right-aligned quantity column. */
function quantityColumn<T>(title: string, text: (row: T) => string): ColumnType<T> {
  return { title, width: 100, align: "right", render: (_, row) => text(row) };
}
