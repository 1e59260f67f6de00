// The result of a 模拟召回 drill: every affected customer (with contacts and quantities), batch,
// shipment line and item, the draft notice, how long it took, and the xlsx export.

import { Drawer, Statistic, Table, Tabs, Tag, Typography } from "antd";
import { useBackend } from "../../api";
import type { RecallResult } from "../../api/bindings/RecallResult";
import { ExportButtons } from "../../components/ExportButtons";
import { useT } from "../../i18n";
import { formatQuantity } from "../entry/format";
import { InspectionTag } from "../entry/InspectionTag";

export function RecallPanel({ result, onClose }: { result: RecallResult; onClose: () => void }) {
  const t = useT();
  const backend = useBackend();

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
            children: (
              <Table
                size="small"
                rowKey="customerId"
                pagination={false}
                dataSource={result.customers}
                data-testid="recall-customers"
                columns={[
                  { title: t.recall.customer, dataIndex: "name" },
                  { title: t.enterprise.contact, dataIndex: "contact", width: 90 },
                  { title: t.enterprise.phone, dataIndex: "phone", width: 130 },
                  { title: t.recall.lots, render: (_, c) => c.lots.join("、") },
                  { title: t.recall.notes, render: (_, c) => c.deliveryNotes.join("、") },
                  { title: t.recall.quantity, width: 100, align: "right", render: (_, c) => formatQuantity(c.quantity, c.unit) },
                ]}
              />
            ),
          },
          {
            key: "batches",
            label: t.recall.batchesTab,
            children: (
              <Table
                size="small"
                rowKey="batchId"
                pagination={false}
                dataSource={result.batches}
                data-testid="recall-batches"
                columns={[
                  { title: t.production.lotNo, dataIndex: "lotNo" },
                  { title: t.production.product, render: (_, b) => `${b.productName} ${b.productModel}` },
                  { title: t.production.producedOn, dataIndex: "producedOn", width: 110 },
                  { title: t.production.inspection, width: 90, render: (_, b) => <InspectionTag value={b.inspectionResult} /> },
                  { title: t.recall.lotUsed, width: 100, align: "right", render: (_, b) => (b.lotQuantity === null ? "—" : formatQuantity(b.lotQuantity, "")) },
                  { title: t.recall.shipped, width: 100, align: "right", render: (_, b) => formatQuantity(b.shipped, b.unit) },
                  { title: t.recall.inStock, width: 100, align: "right", render: (_, b) => formatQuantity(b.inStock, b.unit) },
                ]}
              />
            ),
          },
          {
            key: "shipments",
            label: t.recall.shipmentsTab,
            children: (
              <Table
                size="small"
                rowKey={(s, i) => `${s.deliveryNoteNo}-${s.lotNo}-${s.serial ?? ""}-${i}`}
                pagination={false}
                dataSource={result.shipments}
                columns={[
                  { title: t.shipments.shippedOn, dataIndex: "shippedOn", width: 110 },
                  { title: t.shipments.deliveryNoteNo, dataIndex: "deliveryNoteNo" },
                  { title: t.shipments.customer, dataIndex: "customerName" },
                  { title: t.production.lotNo, dataIndex: "lotNo" },
                  { title: t.recall.serial, dataIndex: "serial" },
                  { title: t.recall.quantity, width: 100, align: "right", render: (_, s) => formatQuantity(s.quantity, s.unit) },
                ]}
              />
            ),
          },
          {
            key: "items",
            label: `${t.recall.itemsTab} (${result.items.length})`,
            children: (
              <Table
                size="small"
                virtual
                scroll={{ y: 360 }}
                rowKey="serial"
                pagination={false}
                dataSource={result.items}
                columns={[
                  { title: t.recall.serial, dataIndex: "serial" },
                  { title: t.production.lotNo, dataIndex: "lotNo" },
                  { title: t.recall.status, render: (_, i) => (i.status === "void" ? <Tag>{t.recall.void}</Tag> : <Tag color="green">{t.recall.active}</Tag>) },
                  { title: t.shipments.customer, dataIndex: "customerName" },
                ]}
              />
            ),
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
