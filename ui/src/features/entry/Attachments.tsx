// Attachments of a record: the saved ones, and files picked (OS dialog) to attach on saving.

import { PaperClipOutlined } from "@ant-design/icons";
import { Button, List, Tag, Typography } from "antd";
import { useBackend } from "../../api";
import type { Attachment } from "../../api/bindings/Attachment";
import type { PickedFile } from "../../api/backend";
import { useErrorNotice } from "../../components/useErrorNotice";
import { useT } from "../../i18n";
import { formatBytes } from "../../lib/format";

interface Props {
  saved: Attachment[];
  /** Files chosen in the native dialog (tokens, redeemed when the record is saved). */
  pending: PickedFile[];
  onPending: (files: PickedFile[]) => void;
  testId: string;
}

export function Attachments({ saved, pending, onPending, testId }: Props) {
  const t = useT();
  const backend = useBackend();
  const notifyError = useErrorNotice();
  const pick = async () => {
    try {
      const files = await backend.chooseAttachments(t.entry.attachTitle, t.entry.attachFilter);
      if (files.length) onPending([...pending, ...files.filter((f) => !pending.some((p) => p.name === f.name))]);
    } catch (reason) {
      notifyError(reason);
    }
  };
  return (
    <div className="attachments" data-testid={testId}>
      <Button icon={<PaperClipOutlined />} onClick={pick} data-testid={`${testId}-add`} tabIndex={-1}>
        {t.entry.attach}
      </Button>
      {(saved.length > 0 || pending.length > 0) && (
        <List
          size="small"
          dataSource={[
            ...saved.map((a) => ({ key: `s${a.id}`, name: a.fileName, note: formatBytes(a.sizeBytes), pending: false })),
            ...pending.map((p) => ({ key: p.token, name: p.name.split(/[\\/]/).pop() ?? p.name, note: t.entry.attachOnSave, pending: true })),
          ]}
          renderItem={(item) => (
            <List.Item
              actions={
                item.pending
                  ? [
                      <Button key="x" type="link" size="small" tabIndex={-1} onClick={() => onPending(pending.filter((p) => p.token !== item.key))}>
                        {t.entry.remove}
                      </Button>,
                    ]
                  : []
              }
            >
              <Typography.Text>{item.name}</Typography.Text> <Tag>{item.note}</Tag>
            </List.Item>
          )}
        />
      )}
    </div>
  );
}
