// The honest empty state of a screen that is not built yet: what will be here and how to start.
// No sample rows and no numbers: the only data shown is what the back end really holds.

import { Alert, Card, Empty, Tag, Typography } from "antd";
import { useAppState } from "../../appState";
import { PageHeader } from "../../components/PageHeader";
import { useT } from "../../i18n";
import type { ScreenKey } from "../shell/screens";

export type UpcomingKey = Exclude<ScreenKey, "dashboard" | "settings">;

export function UpcomingScreen({ screen }: { screen: UpcomingKey }) {
  const t = useT();
  const { status } = useAppState();
  const text = t.upcoming[screen];
  const coding = status.coding;

  return (
    <div data-testid={`screen-${screen}`} className="screen">
      <PageHeader title={t.nav[screen]} extra={<Tag>{t.upcoming.badge}</Tag>} />
      <Card className="empty-card">
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={
            <div className="empty-text">
              <Typography.Paragraph className="empty-what" data-testid="empty-what">
                {text.what}
              </Typography.Paragraph>
              <Typography.Paragraph type="secondary" className="empty-start" data-testid="empty-start">
                {text.start}
              </Typography.Paragraph>
              {screen === "coding" && coding && (
                <Typography.Paragraph className="empty-plan" data-testid="empty-plan">
                  {t.upcoming.currentPlan(t.scheme[coding.scheme].title, t.granularity[coding.granularity].title)}
                </Typography.Paragraph>
              )}
            </div>
          }
        />
        {screen === "submission" && status.platform?.mode === "practice" && (
          <Alert type="warning" showIcon title={t.upcoming.practiceNote} className="empty-note" />
        )}
      </Card>
    </div>
  );
}
