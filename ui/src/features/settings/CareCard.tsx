// Settings → 自动备份与诊断: the last backup (with Rust's warning when it is old), the switch for
// the daily automatic backup, and 导出诊断包 (business data only when ticked).

import { Alert, Button, Checkbox, Card, Space, Switch, Typography } from "antd";
import { useState } from "react";
import { useBackend, type BackupStatus, type DiagnosticsResult } from "../../api";
import { useErrorNotice } from "../../components/useErrorNotice";
import { useLanguage, useT } from "../../i18n";
import { localMessage } from "../../lib/apiError";
import { BackupStatusLine } from "./BackupStatusLine";

/** `status`: Rust's backup status, held by 设置 so a backup or restore in the card above refreshes it. */
export function CareCard({ status, setStatus }: { status: BackupStatus | null; setStatus: (status: BackupStatus) => void }) {
  const t = useT();
  const backend = useBackend();
  const language = useLanguage();
  const notifyError = useErrorNotice();
  const [includeData, setIncludeData] = useState(false);
  const [busy, setBusy] = useState(false);
  const [bundle, setBundle] = useState<DiagnosticsResult | null>(null);

  const toggle = async (enabled: boolean) => {
    try {
      setStatus(await backend.setAutoBackup(enabled));
    } catch (reason) {
      notifyError(reason);
    }
  };

  const exportBundle = async () => {
    setBusy(true);
    try {
      setBundle(await backend.exportDiagnostics(includeData));
    } catch (reason) {
      notifyError(reason);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t.settings.careTitle} className="settings-card" data-testid="settings-care">
      {status && <BackupStatusLine status={status} testId="settings-backup-status" />}
      <Space align="center" className="data-actions">
        <Switch
          data-testid="settings-auto-backup"
          checked={status?.autoEnabled ?? true}
          disabled={!status}
          onChange={(on) => void toggle(on)}
        />
        <Typography.Text>{t.settings.autoBackup}</Typography.Text>
      </Space>
      <Typography.Paragraph type="secondary">{t.settings.autoBackupHint}</Typography.Paragraph>

      <Typography.Text strong>{t.settings.diagnosticsTitle}</Typography.Text>
      <Typography.Paragraph type="secondary">{t.settings.diagnosticsHint}</Typography.Paragraph>
      <Space wrap className="data-actions">
        <Checkbox data-testid="settings-diagnostics-data" checked={includeData} onChange={(e) => setIncludeData(e.target.checked)}>
          {t.settings.diagnosticsIncludeData}
        </Checkbox>
        <Button data-testid="settings-diagnostics" loading={busy} onClick={() => void exportBundle()}>
          {t.settings.diagnosticsExport}
        </Button>
      </Space>
      {bundle && (
        <Alert
          type={bundle.includesData ? "warning" : "success"}
          showIcon
          className="result-alert"
          data-testid="settings-diagnostics-result"
          title={t.settings.diagnosticsDone}
          description={
            <Space orientation="vertical">
              <span>{localMessage(bundle, language)}</span>
              <Button size="small" data-testid="settings-diagnostics-open" onClick={() => void backend.openDataFolder("exports").catch(notifyError)}>
                {t.settings.openFolder}
              </Button>
            </Space>
          }
        />
      )}
    </Card>
  );
}
