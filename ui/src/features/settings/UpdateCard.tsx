// 设置 → 软件更新: asks the release server for a newer version, shows its notes, downloads the
// package (Rust checks its signature before anything is kept) and installs it with a restart.
// Rust refuses both steps while a submission runs or an import is open; the refusal is shown.

import { Alert, Button, Card, Descriptions, Space, Typography } from "antd";
import { useState } from "react";
import { useBackend } from "../../api";
import type { UpdateOffer, UpdateReady } from "../../api/updatesApi";
import { useAppState } from "../../appState";
import { ErrorAlert, useStep } from "../../components/ErrorAlert";
import { useT } from "../../i18n";
import { formatBytes, formatDateTime } from "../../lib/format";

type Step = "idle" | "checking" | "downloading" | "installing";

export function UpdateCard() {
  const t = useT();
  const backend = useBackend();
  const { status } = useAppState();
  const { step, error, run } = useStep<Step>("idle");
  const [checked, setChecked] = useState(false);
  const [offer, setOffer] = useState<UpdateOffer | null>(null);
  const [ready, setReady] = useState<UpdateReady | null>(null);
  const check = () =>
    run("checking", async () => {
      setReady(null);
      setOffer(await backend.checkUpdate());
      setChecked(true);
    });
  const download = () => run("downloading", async () => setReady(await backend.downloadUpdate()));
  const install = () => run("installing", () => backend.installUpdate());
  /** The primary button of a step: spinning while it runs, disabled while any runs. */
  const stepButton = (own: Step, action: () => Promise<void>, label: string, testId: string) => (
    <Button type="primary" data-testid={testId} loading={step === own} disabled={step !== "idle"} onClick={() => void action()}>
      {label}
    </Button>
  );

  return (
    <Card size="small" title={t.update.title} className="settings-card" data-testid="settings-update">
      <Typography.Paragraph type="secondary">{t.update.intro}</Typography.Paragraph>
      <Button data-testid="update-check" loading={step === "checking"} disabled={step !== "idle"} onClick={() => void check()}>
        {t.update.check}
      </Button>
      {checked && !offer && (
        <Alert type="success" showIcon className="result-alert" data-testid="update-none" title={t.update.newest(status.version)} />
      )}
      {offer && (
        <div data-testid="update-offer" className="update-offer">
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t.update.version}>
              <span data-testid="update-version">{offer.version}</span>
              <Typography.Text type="secondary">{t.update.current(offer.currentVersion)}</Typography.Text>
            </Descriptions.Item>
            {offer.date && <Descriptions.Item label={t.update.date}>{formatDateTime(offer.date)}</Descriptions.Item>}
            <Descriptions.Item label={t.update.notes}>
              <Typography.Paragraph className="update-notes" data-testid="update-notes">
                {offer.notes || t.update.noNotes}
              </Typography.Paragraph>
            </Descriptions.Item>
          </Descriptions>
          <Space className="update-actions">
            {!ready && stepButton("downloading", download, t.update.download, "update-download")}
            {ready?.installable && stepButton("installing", install, t.update.install, "update-install")}
          </Space>
          {ready && (
            <Alert
              type="success"
              showIcon
              className="result-alert"
              data-testid="update-ready"
              title={t.update.verified(ready.version, formatBytes(ready.bytes))}
              description={ready.installable ? t.update.installNote : t.update.notInstallable}
            />
          )}
        </div>
      )}
      <ErrorAlert error={error} testId="update-error" />
    </Card>
  );
}
