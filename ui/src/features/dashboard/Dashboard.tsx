// 工作台: the real enterprise profile and code plan from `AppStatus`, and the day's figures from the
// records (Workbench).

import { Button, Card, Col, Row, Typography } from "antd";
import { useAppState } from "../../appState";
import { PageHeader } from "../../components/PageHeader";
import { useT } from "../../i18n";
import { CodingSummary, EnterpriseSummary, PlatformSummary } from "../profile/Summaries";
import type { ScreenKey } from "../shell/screens";
import { BackupStatusLine, useBackupStatus } from "../settings/BackupStatusLine";
import { Workbench } from "./Workbench";

export function Dashboard({ onNavigate }: { onNavigate: (screen: ScreenKey) => void }) {
  const t = useT();
  const { status } = useAppState();
  const enterprise = status.enterprise;
  const { status: backup } = useBackupStatus();

  return (
    <div data-testid="screen-dashboard" className="screen">
      <PageHeader title={enterprise ? t.dashboard.welcome(enterprise.name) : t.nav.dashboard} />
      <Row gutter={[16, 16]}>
        {backup && (
          <Col span={24}>
            <BackupStatusLine status={backup} testId="dashboard-backup-status" />
          </Col>
        )}
        <Col span={24}>
          <Workbench onNavigate={onNavigate} />
        </Col>
        <Col xs={24} xl={14}>
          <Card
            size="small"
            title={t.summary.enterpriseTitle}
            extra={
              <Button type="link" size="small" onClick={() => onNavigate("settings")} data-testid="dashboard-edit-enterprise">
                {t.nav.settings}
              </Button>
            }
            className="summary-card"
          >
            {enterprise ? <EnterpriseSummary enterprise={enterprise} /> : <Typography.Text type="secondary">{t.summary.notSet}</Typography.Text>}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={t.summary.codingTitle} className="summary-card">
            <CodingSummary coding={status.coding} />
          </Card>
          <Card size="small" title={t.summary.platformTitle} className="summary-card">
            <PlatformSummary platform={status.platform} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
