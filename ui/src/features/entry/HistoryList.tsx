// A record's audit trail: who changed what, when, old and new values (from the store's triggers).

import { Empty, Spin, Timeline, Typography } from "antd";
import { useEffect, useState } from "react";
import { useBackend } from "../../api";
import type { HistoryEntry } from "../../api/bindings/HistoryEntry";
import type { RecordKind } from "../../api/bindings/RecordKind";
import { useErrorNotice } from "../../components/useErrorNotice";
import { useT } from "../../i18n";
import { formatDateTime } from "../../lib/format";

export function HistoryList({ kind, id }: { kind: RecordKind; id: number }) {
  const t = useT();
  const backend = useBackend();
  const notifyError = useErrorNotice();
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);

  useEffect(() => {
    backend.recordHistory(kind, id).then(setEntries, (reason) => {
      setEntries([]);
      notifyError(reason);
    });
  }, [backend, kind, id, notifyError]);

  if (entries === null) return <Spin />;
  if (entries.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t.entry.noHistory} />;
  return (
    <Timeline
      data-testid="record-history"
      items={[...entries].reverse().map((e, i) => ({
        key: i,
        content: (
          <div className="history-entry">
            <Typography.Text strong>
              {formatDateTime(e.at)} · {e.actor} · {t.entry.action[e.action] ?? e.action}
              {e.table !== kind ? ` · ${t.entry.tables[e.table] ?? e.table}` : ""}
            </Typography.Text>
            {e.changes.map((c) => (
              <div key={c.field} className="history-change">
                <Typography.Text type="secondary">{t.entry.fields[c.field] ?? c.field}：</Typography.Text>
                {c.old !== null && <Typography.Text delete>{c.old}</Typography.Text>}
                {c.old !== null && c.new !== null && " → "}
                {c.new !== null && <Typography.Text>{c.new}</Typography.Text>}
              </div>
            ))}
          </div>
        ),
      }))}
    />
  );
}
