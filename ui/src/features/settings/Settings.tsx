// 设置: enterprise profile (editable), code scheme and platform (read-only for now, with a
// connection test), language, data location, backup/restore and the database check.

import { Card, Col, Row, Typography } from "antd";
import { useAppState } from "../../appState";
import { LanguageSwitch } from "../../components/LanguageSwitch";
import { PageHeader } from "../../components/PageHeader";
import { useT } from "../../i18n";
import { CodingSummary, PlatformSummary } from "../profile/Summaries";
import { AboutCard } from "./AboutCard";
import { useBackupStatus } from "./BackupStatusLine";
import { CareCard } from "./CareCard";
import { CatalogueCard } from "./CatalogueCard";
import { DataCard } from "./DataCard";
import { EnterpriseCard } from "./EnterpriseCard";
import { PlatformTestPanel } from "./PlatformTest";
import { UpdateCard } from "./UpdateCard";

export function Settings() {
  const t = useT();
  const { status, switchLanguage } = useAppState();
  const backup = useBackupStatus();

  return (
    <div data-testid="screen-settings" className="screen settings">
      <PageHeader title={t.settings.title} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <EnterpriseCard />
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t.settings.codingTitle} className="settings-card">
            <Typography.Paragraph type="secondary">{t.settings.codingNote}</Typography.Paragraph>
            <Typography.Text strong>{t.summary.codingTitle}</Typography.Text>
            <CodingSummary coding={status.coding} />
            <Typography.Text strong>{t.summary.platformTitle}</Typography.Text>
            <PlatformSummary platform={status.platform} />
            <PlatformTestPanel />
          </Card>
          <Card size="small" title={t.settings.languageTitle} className="settings-card">
            <LanguageSwitch
              value={status.language}
              onChange={switchLanguage}
              testId="settings-language"
              optionTestIdPrefix="settings-lang"
              size="middle"
            />
          </Card>
        </Col>
        <Col span={24}>
          <DataCard onChanged={backup.refresh} />
        </Col>
        <Col xs={24} xl={12}>
          <CareCard status={backup.status} setStatus={backup.setStatus} />
        </Col>
        <Col xs={24} xl={12}>
          <AboutCard />
        </Col>
        <Col xs={24} xl={12}>
          <UpdateCard />
        </Col>
        <Col span={24}>
          <CatalogueCard />
        </Col>
      </Row>
      <Typography.Paragraph type="secondary" className="version-line" data-testid="settings-version">
        {t.settings.version}: {status.version}
      </Typography.Paragraph>
    </div>
  );
}
