// 恢复…: pick a backup from the backup folder (or any file via the OS dialog), then confirm that
// the current data will be replaced (a copy of it is kept first by the back end). A backup whose
// submission archive does not verify is refused; the clerk may then confirm a second time
// (仍然恢复), which the back end records in the audit log.

import { Alert, Button, Modal, Space, Table, Typography } from "antd";
import { useEffect, useState } from "react";
import { toApiError, useBackend, type ApiError, type BackupFile, type RestoreResult } from "../../api";
import { useLanguage, useT } from "../../i18n";
import { localMessage } from "../../lib/apiError";
import { formatBytes, formatDateTime } from "../../lib/format";

interface Props {
  open: boolean;
  onClose: () => void;
  onRestored: (result: RestoreResult) => void;
}

// `token`: a file chosen in the native dialog (Rust keeps it until a restore with it succeeds);
// `null`: a listed backup, named by its path inside the backup folder.
type Stage =
  | { kind: "choose" }
  | { kind: "confirm"; path: string; name: string; token: string | null }
  /** The schema or archive check refused the backup: a second confirmation forces it. */
  | { kind: "force"; path: string; name: string; token: string | null; refusal: ApiError };

const baseName = (path: string) => path.split(/[\\/]/).pop() || path;

export function RestoreDialog({ open, onClose, onRestored }: Props) {
  const t = useT();
  const refusalTitle = (refusal: ApiError) =>
    refusal.field === "restore.schema" ? t.settings.restoreSchemaTitle : t.settings.restoreArchiveTitle;
  const language = useLanguage();
  const backend = useBackend();
  const [stage, setStage] = useState<Stage>({ kind: "choose" });
  const [backups, setBackups] = useState<BackupFile[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (!open) return;
    let live = true;
    setStage({ kind: "choose" });
    setSelected(null);
    setError(null);
    setBackups(null);
    backend.listBackups().then(
      (list) => live && setBackups(list),
      (reason) => {
        if (!live) return;
        setBackups([]);
        setError(toApiError(reason));
      },
    );
    return () => {
      live = false;
    };
  }, [open, backend]);

  const pickFile = async () => {
    setError(null);
    try {
      const picked = await backend.chooseBackupFile({ title: t.settings.openDialogTitle, filterName: t.settings.fileFilter });
      if (picked) setStage({ kind: "confirm", path: picked.name, name: baseName(picked.name), token: picked.token });
    } catch (reason) {
      setError(toApiError(reason));
    }
  };

  const restore = async (path: string, name: string, token: string | null, force: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const result = token === null ? await backend.restoreBackup(path, force) : await backend.restoreDatabase(token, force);
      onRestored(result);
    } catch (reason) {
      const e = toApiError(reason);
      if (!force && (e.field === "restore.archive" || e.field === "restore.schema")) setStage({ kind: "force", path, name, token, refusal: e });
      else setError(e);
    } finally {
      setBusy(false);
    }
  };

  const errorAlert = error ? (
    <Alert
      type="error"
      showIcon
      data-testid="restore-error"
      title={t.errors.title[error.code]}
      description={localMessage(error, language, t.errors.noDetail)}
      className="dialog-alert"
    />
  ) : null;

  const chosen = backups?.find((b) => b.path === selected);

  const footer =
    stage.kind === "choose" ? (
      <div className="dialog-footer">
        <Button data-testid="restore-pick-file" onClick={() => void pickFile()}>
          {t.settings.restorePickFile}
        </Button>
        <Space>
          <Button onClick={onClose}>{t.common.cancel}</Button>
          <Button
            type="primary"
            data-testid="restore-next"
            disabled={!chosen}
            onClick={() => chosen && setStage({ kind: "confirm", path: chosen.path, name: chosen.fileName, token: null })}
          >
            {t.settings.restoreNext}
          </Button>
        </Space>
      </div>
    ) : (
      <div className="dialog-footer">
        <Button data-testid="restore-back" onClick={() => setStage({ kind: "choose" })} disabled={busy}>
          {t.common.back}
        </Button>
        <Space>
          <Button onClick={onClose} disabled={busy}>
            {t.common.cancel}
          </Button>
          {stage.kind === "force" ? (
            <Button type="primary" danger data-testid="restore-force" loading={busy} onClick={() => void restore(stage.path, stage.name, stage.token, true)}>
              {t.settings.restoreAnyway}
            </Button>
          ) : (
            <Button type="primary" danger data-testid="restore-confirm" loading={busy} onClick={() => void restore(stage.path, stage.name, stage.token, false)}>
              {t.settings.restoreConfirmOk}
            </Button>
          )}
        </Space>
      </div>
    );

  return (
    <Modal
      open={open}
      title={
        stage.kind === "choose" ? t.settings.restoreTitle : stage.kind === "force" ? refusalTitle(stage.refusal) : t.settings.restoreConfirmTitle
      }
      onCancel={busy ? undefined : onClose}
      footer={footer}
      width={720}
      destroyOnHidden
      mask={{ closable: !busy }}
    >
      <div data-testid="restore-dialog">
        {stage.kind === "choose" ? (
          <>
            <Typography.Paragraph type="secondary">{t.settings.restoreIntro}</Typography.Paragraph>
            <Table<BackupFile>
              data-testid="restore-table"
              size="small"
              rowKey="path"
              loading={backups === null}
              dataSource={backups ?? []}
              pagination={false}
              scroll={{ y: 280 }}
              locale={{ emptyText: t.settings.restoreEmpty }}
              rowSelection={{
                type: "radio",
                selectedRowKeys: selected ? [selected] : [],
                onChange: (keys) => setSelected((keys[0] as string | undefined) ?? null),
              }}
              onRow={(record) => ({
                onClick: () => setSelected(record.path),
                onDoubleClick: () => setStage({ kind: "confirm", path: record.path, name: record.fileName, token: null }),
              })}
              columns={[
                {
                  key: "file",
                  title: t.settings.restoreFileName,
                  dataIndex: "fileName",
                  render: (v: string) => (
                    <span className="code-text" data-testid={`restore-row-${v}`}>
                      {v}
                    </span>
                  ),
                },
                { key: "modified", title: t.settings.restoreModified, dataIndex: "modified", width: 160, render: (v: string) => formatDateTime(v) },
                { key: "bytes", title: t.settings.restoreSize, dataIndex: "bytes", width: 100, align: "right", render: (v: bigint | number) => formatBytes(v) },
              ]}
            />
          </>
        ) : stage.kind === "force" ? (
          <Space orientation="vertical" className="dialog-alert">
            <Alert
              type="error"
              showIcon
              data-testid="restore-archive-refused"
              title={refusalTitle(stage.refusal)}
              description={localMessage(stage.refusal, language, t.errors.noDetail)}
            />
            <Alert type="warning" showIcon data-testid="restore-force-warning" title={t.settings.restoreArchiveWarning} />
          </Space>
        ) : (
          <Alert
            type="warning"
            showIcon
            data-testid="restore-warning"
            title={t.settings.restoreConfirmBody(stage.name)}
            description={<span className="code-text">{stage.path}</span>}
          />
        )}
        {errorAlert}
      </div>
    </Modal>
  );
}
