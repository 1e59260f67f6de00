// 工作台 figures: today's entries, submissions, failed inspections, expiring CCC certificates and
// the last 30 days. Every number comes from the back end's records; nothing is invented.

import { Alert, Card, Col, List, Row, Statistic, Typography } from "antd";
import { useEffect, useState } from "react";
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
  const link = (screen: ScreenKey) => ({ onClick: () => onNavigate(screen), className: "dash-link" });
  return (
    <Row gutter={[16, 16]} data-testid="dashboard-workbench">
      <Col xs={24} xl={12}>
        <Card size="small" title={t.dash.todayTitle(data.today)}>
          <Row gutter={16}>
            <Col span={8} {...link("receipts")}>
              <Statistic title={t.dash.receipts} value={data.receiptsToday} data-testid="dashboard-receipts-today" />
            </Col>
            <Col span={8} {...link("production")}>
              <Statistic title={t.dash.batches} value={data.batchesToday} data-testid="dashboard-batches-today" />
            </Col>
            <Col span={8} {...link("shipments")}>
              <Statistic title={t.dash.shipments} value={data.shipmentsToday} data-testid="dashboard-shipments-today" />
            </Col>
          </Row>
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card size="small" title={t.dash.submissionTitle}>
          <Row gutter={16}>
            <Col span={12} {...link("submission")}>
              <Statistic title={t.dash.pending} value={data.pendingSubmissions} data-testid="dashboard-pending" />
            </Col>
            <Col span={12} {...link("submission")}>
              <Statistic
                title={t.dash.failedSubmissions}
                value={data.failedSubmissions}
                valueStyle={data.failedSubmissions > 0 ? { color: "#cf1322" } : undefined}
                data-testid="dashboard-failed-submissions"
              />
            </Col>
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
          {data.failedBatchList.length === 0 ? (
            <Typography.Text type="secondary">{t.dash.noFailed}</Typography.Text>
          ) : (
            <List
              size="small"
              dataSource={data.failedBatchList}
              data-testid="dashboard-failed-batches"
              renderItem={(b) => (
                <List.Item>
                  <Typography.Text strong>{b.lotNo}</Typography.Text> {b.productName} {b.productModel} · {b.producedOn} ·{" "}
                  {formatQuantity(b.quantity, b.unit)}
                </List.Item>
              )}
            />
          )}
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card size="small" title={t.dash.cccTitle}>
          {data.expiringCcc.length === 0 ? (
            <Typography.Text type="secondary">{t.dash.noCcc}</Typography.Text>
          ) : (
            <List
              size="small"
              dataSource={data.expiringCcc}
              data-testid="dashboard-ccc"
              renderItem={(p) => (
                <List.Item>
                  {p.cccValidTo && p.cccValidTo < data.today ? (
                    <Alert type="error" showIcon title={t.dash.cccExpired(p.name, p.model, p.cccCertNo ?? "", p.cccValidTo)} />
                  ) : (
                    <Alert type="warning" showIcon title={t.dash.cccExpiring(p.name, p.model, p.cccCertNo ?? "", p.cccValidTo ?? "")} />
                  )}
                </List.Item>
              )}
            />
          )}
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
