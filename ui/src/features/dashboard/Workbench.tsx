// 工作台 figures: today's entries, submissions, failed inspections, expiring CCC certificates and
// the last 30 days. Every number comes from the back end's records; nothing is invented.

import { Alert, Card, Col, List, Row, Statistic, Typography, type StatisticProps } from "antd";
import { useEffect, useState, type ReactNode } from "react";
import { useBackend } from "../../api";
import type { DashboardData } from "../../api/bindings/DashboardData";
import { useErrorNotice } from "../../components/useErrorNotice";
import { useT } from "../../i18n";
import { formatQuantity } from "../entry/format";
import type { ScreenKey } from "../shell/screens";
import { ActivityChart } from "./ActivityChart";

export function Workbench({ onNavigate }: { onNavigate: (screen: ScreenKey) => void }) {
  const t = useT();
  const backend = useBackend();
  const notifyError = useErrorNotice();
  const [data, setData] = useState<DashboardData | null>(null);

  useEffect(() => {
    backend.dashboard().then(setData, notifyError);
  }, [backend, notifyError]);

  if (!data) return <Card size="small" loading />;
  /** A figure that opens its screen when clicked. */
  const figure = (span: number, screen: ScreenKey, statistic: StatisticProps & { "data-testid": string }) => (
    <Col span={span} onClick={() => onNavigate(screen)} className="dash-link">
      <Statistic {...statistic} />
    </Col>
  );
  return (
    <Row gutter={[16, 16]} data-testid="dashboard-workbench">
      <Col xs={24} xl={12}>
        <Card size="small" title={t.dash.todayTitle(data.today)}>
          <Row gutter={16}>
            {figure(8, "receipts", { title: t.dash.receipts, value: data.receiptsToday, "data-testid": "dashboard-receipts-today" })}
            {figure(8, "production", { title: t.dash.batches, value: data.batchesToday, "data-testid": "dashboard-batches-today" })}
            {figure(8, "shipments", { title: t.dash.shipments, value: data.shipmentsToday, "data-testid": "dashboard-shipments-today" })}
          </Row>
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card size="small" title={t.dash.submissionTitle}>
          <Row gutter={16}>
            {figure(12, "submission", { title: t.dash.pending, value: data.pendingSubmissions, "data-testid": "dashboard-pending" })}
            {figure(12, "submission", {
              title: t.dash.failedSubmissions,
              value: data.failedSubmissions,
              valueStyle: data.failedSubmissions > 0 ? { color: "#cf1322" } : undefined,
              "data-testid": "dashboard-failed-submissions",
            })}
          </Row>
          {!data.submissionAvailable && <Typography.Text type="secondary">{t.dash.submissionLater}</Typography.Text>}
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card
          size="small"
          title={t.dash.failedTitle(data.failedBatches, data.failedReceipts)}
          extra={
            <Typography.Link onClick={() => onNavigate("trace")} data-testid="dashboard-to-recall">
              {t.dash.toRecall}
            </Typography.Link>
          }
        >
          <CardList
            items={data.failedBatchList}
            empty={t.dash.noFailed}
            testId="dashboard-failed-batches"
            render={(b) => (
              <>
                <Typography.Text strong>{b.lotNo}</Typography.Text> {b.productName} {b.productModel} · {b.producedOn} ·{" "}
                {formatQuantity(b.quantity, b.unit)}
              </>
            )}
          />
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card size="small" title={t.dash.cccTitle}>
          <CardList
            items={data.expiringCcc}
            empty={t.dash.noCcc}
            testId="dashboard-ccc"
            render={(p) =>
              p.cccValidTo && p.cccValidTo < data.today ? (
                <Alert type="error" showIcon title={t.dash.cccExpired(p.name, p.model, p.cccCertNo ?? "", p.cccValidTo)} />
              ) : (
                <Alert type="warning" showIcon title={t.dash.cccExpiring(p.name, p.model, p.cccCertNo ?? "", p.cccValidTo ?? "")} />
              )
            }
          />
        </Card>
      </Col>
      <Col span={24}>
        <Card size="small" title={t.dash.chartTitle}>
          <ActivityChart days={data.last30Days} />
        </Card>
      </Col>
    </Row>
  );
}

/** A card's list, or the secondary text that says it is empty. */
function CardList<T>({ items, empty, testId, render }: { items: T[]; empty: string; testId: string; render: (item: T) => ReactNode }) {
  if (items.length === 0) return <Typography.Text type="secondary">{empty}</Typography.Text>;
  return <List size="small" dataSource={items} data-testid={testId} renderItem={(item) => <List.Item>{render(item)}</List.Item>} />;
}
