// 最近的导入: committed imports, each undoable as a unit while none of its records was submitted.

import { App, Button, Popconfirm, Table, Tag, Typography, type ButtonProps } from "antd";
import type { ImportRun } from "../../api/importApi";
import { useT } from "../../i18n";
import { formatDateTime } from "../../lib/format";

interface Props {
  runs: ImportRun[];
  busy: boolean;
  onUndo: (run: ImportRun) => void;
}

export function RunHistory({ runs, busy, onUndo }: Props) {
  const t = useT();
  const w = t.importWizard;
  App.useApp();
  if (runs.length === 0) {
    return (
      <Typography.Paragraph type="secondary" data-testid="import-history-empty">
        {w.historyEmpty}
      </Typography.Paragraph>
    );
  }
  return (
    <Table<ImportRun>
      size="small"
      rowKey="id"
      data-testid="import-history"
      pagination={false}
      dataSource={runs}
      onRow={(run) => ({ "data-testid": `import-run-${run.id}` }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { title: w.runId, dataIndex: "id", width: 64 },
        { title: w.runTime, dataIndex: "createdAt", width: 150, render: (v: string) => formatDateTime(v) },
        {
          title: w.runFile,
          key: "file",
          render: (_, run) => (
            <span>
              {run.fileName} / {run.sheet}
            </span>
          ),
        },
        { title: w.runKind, dataIndex: "kind", width: 120, render: (k: ImportRun["kind"]) => w.kinds[k] },
        {
          title: w.runResult,
          key: "result",
          render: (_, run) => w.runCounts(run.rowsImported, run.rowsExisting, run.rowsSkipped),
        },
        {
          title: w.runStatus,
          key: "status",
          width: 170,
          render: (_, run) =>
            run.status === "undone" ? (
              <Tag>{w.statusUndone}</Tag>
            ) : (
              <span className="import-run-status">
                <Tag color="green">{w.statusCommitted}</Tag>
                {run.canUndo ? (
                  <Popconfirm
                    title={w.undoConfirmTitle}
                    description={<div className="import-confirm-body">{w.undoConfirmBody}</div>}
                    okText={w.undoOk}
                    cancelText={w.cancel}
                    okButtonProps={{ danger: true, "data-testid": `import-undo-ok-${run.id}` } as ButtonProps}
                    onConfirm={() => onUndo(run)}
                  >
                    <Button size="small" danger disabled={busy} data-testid={`import-undo-${run.id}`}>
                      {w.undo}
                    </Button>
                  </Popconfirm>
                ) : (
                  <Typography.Text type="secondary" title={w.cannotUndo}>
                    —
                  </Typography.Text>
                )}
              </span>
            ),
        },
      ]}
    />
  );
}
