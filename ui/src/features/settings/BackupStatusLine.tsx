// The last backup and, when it is more than 2 days old (or there is none), a warning: Rust's
// `App::backup_status` decides and words it; shown in 设置 and on 工作台.

import { Alert } from "antd";
import { useCallback, useEffect, useState } from "react";
import { useBackend, type BackupStatus } from "../../api";
import { useLanguage } from "../../i18n";
import { localMessage } from "../../lib/apiError";

/** Rust's backup status, read on mount; `refresh` reads it again (after a backup or a restore). */
export function useBackupStatus(): {
  status: BackupStatus | null;
  setStatus: (status: BackupStatus) => void;
  refresh: () => void;
} {
  const backend = useBackend();
  const [status, setStatus] = useState<BackupStatus | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    backend.backupStatus().then(
      (s) => live && setStatus(s),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [backend, round]);
  const refresh = useCallback(() => setRound((n) => n + 1), []);
  return { status, setStatus, refresh };
}

export function BackupStatusLine({ status, testId }: { status: BackupStatus; testId: string }) {
  const language = useLanguage();
  return (
    <Alert
      type={status.overdue ? "warning" : "info"}
      showIcon
      className="result-alert"
      data-testid={testId}
      data-overdue={status.overdue}
      title={localMessage(status, language, "")}
    />
  );
}
