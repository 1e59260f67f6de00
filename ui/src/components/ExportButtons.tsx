// Export to xlsx: the main button writes straight into the data folder's `exports/` (no dialog to
// get lost in), "另存为…" asks where.

import { DownloadOutlined } from "@ant-design/icons";
import { App, Button, Space } from "antd";
import { useState } from "react";
import type { ExportResult } from "../api/bindings/ExportResult";
import { useBackend } from "../api";
import { useT } from "../i18n";
import { useErrorNotice } from "./useErrorNotice";

interface Props {
  /** `target`: a token from the save dialog; `null`: into the data folder's exports/. */
  run: (target: string | null) => Promise<ExportResult>;
  defaultName: string;
  label: string;
  testId: string;
  primary?: boolean;
}

export function ExportButtons({ run, defaultName, label, testId, primary }: Props) {
  const t = useT();
  const backend = useBackend();
  const notifyError = useErrorNotice();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const go = async (ask: boolean) => {
    try {
      let target: string | null = null;
      if (ask) {
        const picked = await backend.chooseExportPath(t.entry.exportTitle, defaultName, t.entry.xlsxFilter);
        if (!picked) return;
        target = picked.token;
      }
      setBusy(true);
      const done = await run(target);
      message.success({ content: <span data-testid={`${testId}-done`}>{t.entry.exported(done.rows, done.path)}</span>, duration: 6 });
    } catch (reason) {
      notifyError(reason);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space.Compact>
      <Button type={primary ? "primary" : "default"} icon={<DownloadOutlined />} loading={busy} onClick={() => go(false)} data-testid={testId}>
        {label}
      </Button>
      <Button onClick={() => go(true)} disabled={busy} data-testid={`${testId}-as`}>
        {t.entry.saveAs}
      </Button>
    </Space.Compact>
  );
}
