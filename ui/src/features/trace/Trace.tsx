// 追溯: type or scan any code, batch lot, material lot or delivery note and see its chain, as a
// graph and as a table; export it; and run 模拟召回 drills from a material lot or a batch.

import { AlertOutlined, ApartmentOutlined, ScanOutlined } from "@ant-design/icons";
import { Button, Card, Col, Descriptions, Empty, Input, Row, Space, Table, Tabs, Tag, Typography } from "antd";
import { useCallback, useEffect, useState, type KeyboardEvent } from "react";
import { toApiError, useBackend, type ApiError } from "../../api";
import type { Batch } from "../../api/bindings/Batch";
import type { RecallDrill } from "../../api/bindings/RecallDrill";
import type { RecallResult } from "../../api/bindings/RecallResult";
import type { Receipt } from "../../api/bindings/Receipt";
import type { TraceNode } from "../../api/bindings/TraceNode";
import type { TraceResult } from "../../api/bindings/TraceResult";
import { normaliseScan } from "../../components/CodeField";
import { ExportButtons } from "../../components/ExportButtons";
import { PageHeader } from "../../components/PageHeader";
import { useErrorNotice } from "../../components/useErrorNotice";
import { useLanguage, useT } from "../../i18n";
import { localMessage } from "../../lib/apiError";
import { formatDateTime } from "../../lib/format";
import { EMPTY_QUERY } from "../entry/RecordList";
import { formatQuantity } from "../entry/format";
import { InspectionTag } from "../entry/InspectionTag";
import { RecallPanel } from "./RecallPanel";
import { TraceGraph } from "./TraceGraph";

type Row = TraceNode & { direction: "root" | "upstream" | "downstream" };

export function Trace() {
  const t = useT();
  const language = useLanguage();
  const backend = useBackend();
  const notifyError = useErrorNotice();
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<TraceResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [recall, setRecall] = useState<RecallResult | null>(null);
  const [drills, setDrills] = useState<RecallDrill[]>([]);
  const [failed, setFailed] = useState<{ receipts: Receipt[]; batches: Batch[] }>({ receipts: [], batches: [] });

  const loadDrills = useCallback(() => backend.recallDrills().then(setDrills, () => undefined), [backend]);
  useEffect(() => {
    void loadDrills();
    const q = { ...EMPTY_QUERY, inspection: "fail" as const, limit: 5 };
    Promise.all([backend.listReceipts(q), backend.listBatches(q)]).then(
      ([r, b]) => setFailed({ receipts: r.rows, batches: b.rows }),
      () => undefined,
    );
  }, [backend, loadDrills]);

  const run = async (query: () => Promise<TraceResult>) => {
    setBusy(true);
    setError(null);
    try {
      setResult(await query());
    } catch (reason) {
      const e = toApiError(reason);
      if (e.code === "notFound" || e.code === "invalidInput") setError(e);
      else notifyError(e);
      setResult(null);
    } finally {
      setBusy(false);
    }
  };
  const traceText = () => {
    if (text.trim()) void run(() => backend.trace(normaliseScan(text)));
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "GroupSeparator" || (e.ctrlKey && e.key === "]")) {
      e.preventDefault();
      setText((s) => s + "\u001d");
    }
  };
  const open = (node: TraceNode) => {
    if (node.kind === "supplier" || node.kind === "customer" || node.key === result?.root.key) return;
    void run(() => backend.traceRef({ kind: node.kind, id: node.id }));
  };

  const startRecall = async (kind: "material-lot" | "batch", id: number) => {
    setBusy(true);
    try {
      setRecall(await backend.recall({ start: { kind, id }, reason: t.recall.drillReason }));
      void loadDrills();
    } catch (reason) {
      notifyError(reason);
    } finally {
      setBusy(false);
    }
  };

  const rows: Row[] = result
    ? [
        ...result.upstream.map((n) => ({ ...n, direction: "upstream" as const })),
        { ...result.root, direction: "root" as const },
        ...result.downstream.map((n) => ({ ...n, direction: "downstream" as const })),
      ]
    : [];
  const root = result?.root;
  const recallable = root && (root.kind === "material-lot" || root.kind === "batch");

  return (
    <div data-testid="screen-trace" className="screen">
      <PageHeader title={t.trace.title} />
      <Card size="small" className="trace-search">
        <Space.Compact style={{ width: "100%" }}>
          <Input
            size="large"
            prefix={<ScanOutlined />}
            value={text.replaceAll("\u001d", "␝")}
            onChange={(e) => setText(e.target.value.replaceAll("␝", "\u001d"))}
            onPressEnter={traceText}
            onKeyDown={onKeyDown}
            placeholder={t.trace.placeholder}
            autoFocus
            spellCheck={false}
            data-testid="trace-query"
          />
          <Button size="large" type="primary" icon={<ApartmentOutlined />} loading={busy} onClick={traceText} data-testid="trace-go">
            {t.trace.go}
          </Button>
        </Space.Compact>
        {error && (
          <Typography.Text type="danger" data-testid="trace-error" className="trace-error">
            {localMessage(error, language)}
          </Typography.Text>
        )}
      </Card>

      {result && root ? (
        <Card
          size="small"
          className="trace-result"
          data-testid="trace-result"
          title={
            <Space>
              <Tag color="gold">{t.trace.kinds[root.kind]}</Tag>
              <span data-testid="trace-root">{root.label}</span>
              <Typography.Text type="secondary">{root.detail || root.party}</Typography.Text>
            </Space>
          }
          extra={
            <Space>
              <Typography.Text type="secondary" data-testid="trace-summary">
                {t.trace.summary(result.upstream.length, result.downstream.length, result.elapsedMs.toFixed(1))}
              </Typography.Text>
              <ExportButtons
                run={(path) => backend.exportTrace(result, path)}
                defaultName={t.trace.exportName(result.root.label)}
                label={t.entry.exportXlsx}
                testId="trace-export"
              />
              {recallable && (
                <Button danger icon={<AlertOutlined />} onClick={() => startRecall(root.kind as "material-lot" | "batch", root.id)} data-testid="trace-recall">
                  {t.recall.start}
                </Button>
              )}
            </Space>
          }
        >
          {result.alternatives.length > 0 && (
            <div className="trace-alternatives" data-testid="trace-alternatives">
              <Typography.Text type="secondary">{t.trace.alsoMatches}</Typography.Text>
              {result.alternatives.map((a) => (
                <Button key={a.key} size="small" onClick={() => open(a)}>
                  {t.trace.kinds[a.kind]} {a.label} {a.detail}
                </Button>
              ))}
            </div>
          )}
          <Tabs
            items={[
              { key: "graph", label: t.trace.graphTab, children: <TraceGraph result={result} onOpen={open} /> },
              {
                key: "table",
                label: t.trace.tableTab,
                children: (
                  <Table<Row>
                    size="small"
                    rowKey="key"
                    pagination={false}
                    dataSource={rows}
                    data-testid="trace-table"
                    onRow={(r) => ({ onClick: () => open(r) })}
                    rowClassName={(r) => (r.direction === "root" ? "trace-root-row" : "")}
                    columns={[
                      { title: t.trace.direction, width: 80, render: (_, r) => t.trace.directions[r.direction] },
                      { title: t.trace.kind, width: 90, render: (_, r) => t.trace.kinds[r.kind] },
                      { title: t.trace.label, dataIndex: "label", width: 170 },
                      { title: t.trace.detail, render: (_, r) => r.detail || r.party },
                      { title: t.trace.date, dataIndex: "date", width: 110 },
                      { title: t.trace.quantity, width: 110, align: "right", render: (_, r) => (r.quantity === null ? "" : formatQuantity(r.quantity, r.unit)) },
                      { title: t.trace.inspection, width: 80, render: (_, r) => <InspectionTag value={r.inspection} /> },
                      { title: t.trace.contact, width: 160, render: (_, r) => [r.contact, r.phone].filter(Boolean).join(" ") },
                    ]}
                  />
                ),
              },
            ]}
          />
          {root.kind === "batch" || root.kind === "material-lot" ? (
            <Descriptions size="small" column={4} className="trace-root-facts">
              <Descriptions.Item label={t.trace.date}>{root.date}</Descriptions.Item>
              <Descriptions.Item label={t.trace.quantity}>{formatQuantity(root.quantity, root.unit)}</Descriptions.Item>
              <Descriptions.Item label={t.trace.inspection}>
                <InspectionTag value={root.inspection} />
              </Descriptions.Item>
            </Descriptions>
          ) : null}
        </Card>
      ) : (
        <Row gutter={16}>
          <Col span={12}>
            <Card size="small" title={t.recall.fromFailed} data-testid="trace-failed">
              {failed.receipts.length + failed.batches.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t.recall.noFailed} />
              ) : (
                <Space direction="vertical" style={{ width: "100%" }}>
                  {failed.receipts.map((r) => (
                    <Button key={`r${r.id}`} block onClick={() => startRecall("material-lot", r.id)}>
                      {t.trace.kinds["material-lot"]} {r.supplierLot} · {r.material} · {r.supplierName}
                    </Button>
                  ))}
                  {failed.batches.map((b) => (
                    <Button key={`b${b.id}`} block onClick={() => startRecall("batch", b.id)}>
                      {t.trace.kinds.batch} {b.lotNo} · {b.productName}
                    </Button>
                  ))}
                </Space>
              )}
            </Card>
          </Col>
          <Col span={12}>
            <Card size="small" title={t.trace.howTitle}>
              <Typography.Paragraph type="secondary">{t.trace.how}</Typography.Paragraph>
            </Card>
          </Col>
        </Row>
      )}

      <Card size="small" title={t.recall.history} className="recall-history" data-testid="recall-history">
        <Table<RecallDrill>
          size="small"
          rowKey="id"
          pagination={{ pageSize: 5, hideOnSinglePage: true }}
          dataSource={drills}
          locale={{ emptyText: t.recall.noDrills }}
          columns={[
            { title: t.recall.startedAt, width: 150, render: (_, d) => formatDateTime(d.startedAt) },
            { title: t.recall.startFrom, render: (_, d) => `${t.trace.kinds[d.startKind]} ${d.startLabel}` },
            { title: t.recall.batches, dataIndex: "batches", width: 80, align: "right" },
            { title: t.recall.items, dataIndex: "items", width: 80, align: "right" },
            { title: t.recall.customers, dataIndex: "customers", width: 80, align: "right" },
            { title: t.recall.duration, width: 100, align: "right", render: (_, d) => `${d.durationMs.toFixed(1)} ms` },
            { title: t.recall.actor, dataIndex: "actor", width: 100 },
          ]}
        />
      </Card>
      {recall && <RecallPanel result={recall} onClose={() => setRecall(null)} />}
    </div>
  );
}
