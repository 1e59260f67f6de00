// The progress of a long import step (read, check, commit, undo, export) with its cancel button.

import { Button, Progress, Space, Typography } from "antd";
import type { ImportProgress } from "../../api/importApi";
import { useT } from "../../i18n";

/** Percent done, or `null` while the total is not known yet. */
export function percentOf(progress: ImportProgress | null): number | null {
  if (!progress || progress.total === 0) return null;
  return Math.min(100, Math.round((progress.done / progress.total) * 100));
}

export function ProgressPanel({ progress, onCancel }: { progress: ImportProgress | null; onCancel?: () => void }) {
  const t = useT();
  const w = t.importWizard;
  const percent = percentOf(progress);
  return (
    <div className="import-progress" data-testid="import-progress" data-stage={progress?.stage ?? "open"}>
      <Space orientation="vertical" style={{ width: "100%" }}>
        <Typography.Text strong>{w.stage[progress?.stage ?? "open"]}</Typography.Text>
        <Progress percent={percent ?? 100} status="active" showInfo={percent !== null} />
        {progress && progress.total > 0 && (
          <Typography.Text type="secondary">{w.progressRows(progress.done, progress.total)}</Typography.Text>
        )}
        {onCancel && (
          <Button data-testid="import-cancel" onClick={onCancel}>
            {w.cancel}
          </Button>
        )}
      </Space>
    </div>
  );
}
