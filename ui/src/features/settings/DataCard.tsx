// Settings → 数据位置 / 备份与恢复: where the data lives, backup now, save a backup elsewhere,
// restore, and SQLite's integrity check.

import { App, Button, Card, Descriptions, Space, Typography } from "antd";
import { useState } from "react";
import { useBackend, type BackupInfo, type DbCheck } from "../../api";
import { useAppState } from "../../appState";
import { useErrorNotice } from "../../components/useErrorNotice";
import { useLanguage, useT } from "../../i18n";
import { localMessage } from "../../lib/apiError";
import { backupFileName, formatBytes } from "../../lib/format";
import { RestoreDialog } from "./RestoreDialog";
import { ResultAlert } from "./ResultAlert";

function PathText({ path, testId }: { path: string; testId: string }) {
  const t = useT();
  return (
    <Typography.Text className="path-text" data-testid={testId} copyable={{ text: path, tooltips: [t.common.copy, t.common.copied] }}>
      {path}
    </Typography.Text>
  );
}

/** `onChanged`: a backup was written or the data restored (the last-backup line reads again). */
export function DataCard({ onChanged }: { onChanged?: () => void }) {
  const t = useT();
  const backend = useBackend();
  const { status, setStatus } = useAppState();
  const language = useLanguage();
  const { message } = App.useApp();
  const notifyError = useErrorNotice();
  const [busy, setBusy] = useState<"backup" | "backupAs" | "check" | null>(null);
  const [backup, setBackup] = useState<BackupInfo | null>(null);
  const [check, setCheck] = useState<DbCheck | null>(null);
  const [restoreOpen, setRestoreOpen] = useState(false);

  const run = async (what: "backup" | "backupAs" | "check", task: () => Promise<void>) => {
    setBusy(what);
    try {
      await task();
    } catch (reason) {
      notifyError(reason);
    } finally {
      setBusy(null);
    }
  };

  const backupNow = () =>
    run("backup", async () => {
      setBackup(await backend.backupDatabase(null));
      onChanged?.();
    });

  const backupAs = () =>
    run("backupAs", async () => {
      const picked = await backend.chooseBackupDestination({
        title: t.settings.saveDialogTitle,
        defaultPath: backupFileName(new Date()),
        filterName: t.settings.fileFilter,
      });
      if (picked) setBackup(await backend.backupDatabase(picked.token));
      onChanged?.();
    });

  const dbCheck = () =>
    run("check", async () => {
      setCheck(await backend.dbCheck());
    });

  return (
    <Card size="small" title={t.settings.backupTitle} className="settings-card" data-testid="settings-data">
      <Typography.Paragraph type="secondary">{t.settings.backupIntro}</Typography.Paragraph>
      <Descriptions
        size="small"
        column={1}
        className="paths"
        title={<span className="subsection-title">{t.settings.dataTitle}</span>}
        items={[
          { key: "db", label: t.settings.dbPath, children: <PathText path={status.paths.database} testId="settings-db-path" /> },
          { key: "dir", label: t.settings.dataDir, children: <PathText path={status.paths.dataDir} testId="settings-data-dir" /> },
          { key: "backups", label: t.settings.backupDir, children: <PathText path={status.paths.backupDir} testId="settings-backup-dir" /> },
        ]}
      />
      <Space wrap className="data-actions">
        <Button type="primary" data-testid="settings-backup" loading={busy === "backup"} disabled={busy !== null && busy !== "backup"} onClick={() => void backupNow()}>
          {t.settings.backupNow}
        </Button>
        <Button data-testid="settings-backup-as" loading={busy === "backupAs"} disabled={busy !== null && busy !== "backupAs"} onClick={() => void backupAs()}>
          {t.settings.backupAs}
        </Button>
        <Button data-testid="settings-restore" disabled={busy !== null} onClick={() => setRestoreOpen(true)}>
          {t.settings.restore}
        </Button>
        <Button data-testid="settings-db-check" loading={busy === "check"} disabled={busy !== null && busy !== "check"} onClick={() => void dbCheck()}>
          {t.settings.dbCheck}
        </Button>
      </Space>

      {backup && (
        <ResultAlert
          type="success"
          data-testid="settings-backup-result"
          title={t.settings.backupDone}
          facts={[
            {
              key: "file",
              label: t.settings.backupFile,
              children: <PathText path={backup.path} testId="settings-backup-file" />,
            },
            { key: "size", label: t.settings.backupSize, children: <span data-testid="settings-backup-size">{formatBytes(backup.bytes)}</span> },
            { key: "schema", label: t.settings.schemaVersion, children: <>{backup.schemaVersion}</> },
          ]}
        />
      )}

      {check && (
        <ResultAlert
          type={check.ok ? "success" : "error"}
          data-testid="settings-db-check-result"
          data-ok={check.ok}
          title={check.ok ? t.settings.checkOk : t.settings.checkProblems}
          facts={[
            { key: "schema", label: t.settings.schemaVersion, children: <span data-testid="settings-db-schema-version">{check.schemaVersion}</span> },
            { key: "file", label: t.settings.checkedFile, children: <span className="path-text">{check.database}</span> },
          ]}
        >
          {!check.ok && (
            <>
              <Typography.Paragraph>{t.settings.checkProblemsHint}</Typography.Paragraph>
              <pre className="integrity-lines">{check.integrity.join("\n")}</pre>
            </>
          )}
        </ResultAlert>
      )}

      <RestoreDialog
        open={restoreOpen}
        onClose={() => setRestoreOpen(false)}
        onRestored={(result) => {
          onChanged?.();
          setRestoreOpen(false);
          setStatus(result);
          const text = localMessage(result, language, t.settings.restoreDone);
          if (result.forced) message.warning(text);
          else message.success(text);
        }}
      />
    </Card>
  );
}
