// The last backup and, when it is more than 2 days old (or there is none), a warning: Rust's
// `App::backup_status` decides and words it; shown in 设置 and on 工作台.

import { Alert } from "antd";
import { useEffect, useState } from "react";
import { useBackend, type BackupStatus } from "../../api";
import { useLanguage } from "../../i18n";
import { localMessage } from "../../lib/apiError";

export function useBackupStatus(): [BackupStatus | null, (status: BackupStatus) => void] {
  const backend = useBackend();
  const [status, setStatus] = useState<BackupStatus | null>(null);
  useEffect(() => {
    let live = true;
    backend.backupStatus().then(
      (s) => live && setStatus(s),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [backend]);
  return [status, setStatus];
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
