// 码检查: type or scan any code (a USB scanner ends with Enter and may send `]d2` and GS), see
// what it is and every problem with its AI and position, and void it or log a reprint with a
// reason. Test ids: `code-check-*`.

import { type ButtonProps, Alert, Button, Descriptions, Input, List, Modal, Space, Tag, Typography } from "antd";
import { useRef, useState, type KeyboardEvent } from "react";
import { useBackend } from "../../api";
import type { CodeCheck, CodeEvent } from "../../api/codingApi";
import { useErrorNotice } from "../../components/useErrorNotice";
import { useLanguage, useT } from "../../i18n";
import { GS_SHOWN, isGsKey, scanText, showScan } from "./scanInput";

type Action = "void" | "reprint";

export function CodeCheckBox({ onEvent }: { onEvent?: (event: CodeEvent) => void }) {
  const t = useT();
  const language = useLanguage();
  const backend = useBackend();
  const showError = useErrorNotice();
  const [shown, setShown] = useState("");
  const [checked, setChecked] = useState<{ text: string; result: CodeCheck } | null>(null);
  const [action, setAction] = useState<Action | null>(null);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<CodeEvent | null>(null);
  const inputRef = useRef<HTMLInputElement | null>(null);

  const check = async (text = scanText(shown)) => {
    if (!text) return;
    setDone(null);
    try {
      setChecked({ text, result: await backend.checkCode(text) });
    } catch (e) {
      showError(e);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (isGsKey(event)) {
      // Keep the scanner's GS, which the input itself would drop.
      event.preventDefault();
      const input = event.currentTarget;
      const start = input.selectionStart ?? shown.length;
      const end = input.selectionEnd ?? shown.length;
      setShown(shown.slice(0, start) + GS_SHOWN + shown.slice(end));
    }
  };

  const submitAction = async () => {
    if (!checked || !action) return;
    setBusy(true);
    try {
      const input = { code: checked.text, reason };
      const event = action === "void" ? await backend.voidCode(input) : await backend.reprintCode(input);
      setDone(event);
      setAction(null);
      setReason("");
      onEvent?.(event);
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };

  const result = checked?.result;
  const message = (p: { messageZh: string; messageEn: string }) => (language === "en" ? p.messageEn : p.messageZh);
  const fields = result ? Object.entries(result.fields).filter(([, v]) => v !== undefined) : [];

  return (
    <div data-testid="code-check">
      <Space.Compact style={{ width: "100%" }}>
        <Input
          ref={(el) => {
            inputRef.current = el?.input ?? null;
          }}
          data-testid="code-check-input"
          value={shown}
          placeholder={t.coding.checkPlaceholder}
          onChange={(e) => setShown(showScan(e.target.value))}
          onKeyDown={onKeyDown}
          onPressEnter={() => void check()}
          allowClear
          autoComplete="off"
          spellCheck={false}
        />
        <Button type="primary" data-testid="code-check-run" onClick={() => void check()}>
          {t.coding.check}
        </Button>
      </Space.Compact>
      <Typography.Paragraph type="secondary" className="coding-hint">
        {t.coding.checkHint}
      </Typography.Paragraph>
      {result && checked && (
        <div data-testid="code-check-result" data-valid={result.valid ? "true" : "false"}>
          <Space wrap>
            <Tag color={result.valid ? "green" : "red"} data-testid="code-check-verdict">
              {result.valid ? t.coding.valid : t.coding.invalid}
            </Tag>
            <Tag>{t.coding.schemes[result.scheme] ?? result.scheme}</Tag>
            <Typography.Text code>{showScan(checked.text)}</Typography.Text>
            {result.alternative && (
              <Tag color="gold" data-testid="code-check-alternative">
                {t.coding.alsoMaybe(t.coding.schemes[result.alternative] ?? result.alternative)}
              </Tag>
            )}
          </Space>
          {result.suggestion && (
            <Alert
              type="info"
              showIcon
              data-testid="code-check-suggestion"
              title={t.coding.suggestedFix}
              description={<Typography.Text code copyable>{result.suggestion}</Typography.Text>}
            />
          )}
          {fields.length > 0 && (
            <Descriptions size="small" column={1} bordered className="coding-fields">
              {fields.map(([key, value]) => (
                <Descriptions.Item key={key} label={/^\d+$/.test(key) ? `(${key})` : (t.coding.fieldNames[key] ?? key)}>
                  <span data-testid={`code-check-field-${key}`}>{value}</span>
                </Descriptions.Item>
              ))}
            </Descriptions>
          )}
          {result.problems.length > 0 && (
            <List
              size="small"
              data-testid="code-check-problems"
              dataSource={result.problems}
              renderItem={(p) => (
                <List.Item data-testid="code-check-problem">
                  <Space wrap>
                    <Tag color={p.severity === "error" ? "red" : "orange"}>
                      {p.severity === "error" ? t.coding.error : t.coding.warning}
                    </Tag>
                    {p.ai && <Tag data-testid="code-check-problem-ai">({p.ai})</Tag>}
                    {p.position !== null && <Tag>{t.coding.position(p.position)}</Tag>}
                    <span>{message(p)}</span>
                  </Space>
                </List.Item>
              )}
            />
          )}
          {result.valid && (
            <Space className="coding-actions">
              <Button danger data-testid="code-check-void" onClick={() => setAction("void")}>
                {t.coding.void}
              </Button>
              <Button data-testid="code-check-reprint" onClick={() => setAction("reprint")}>
                {t.coding.reprint}
              </Button>
            </Space>
          )}
          {done && (
            <Alert
              type="success"
              showIcon
              data-testid="code-check-done"
              title={done.kind === "void" ? t.coding.voided(done.productName) : t.coding.reprinted(done.productName)}
              description={`${t.coding.reason}：${done.reason} · ${done.actor} · ${done.at}`}
            />
          )}
        </div>
      )}
      <Modal
        open={action !== null}
        title={action === "void" ? t.coding.voidTitle : t.coding.reprintTitle}
        okText={action === "void" ? t.coding.void : t.coding.reprint}
        okButtonProps={{ danger: action === "void", disabled: !reason.trim(), loading: busy, "data-testid": "code-action-ok" } as ButtonProps}
        onOk={() => void submitAction()}
        onCancel={() => setAction(null)}
        destroyOnHidden
      >
        <Typography.Paragraph>
          <Typography.Text code>{checked ? showScan(checked.text) : ""}</Typography.Text>
        </Typography.Paragraph>
        <Input.TextArea
          data-testid="code-action-reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={action === "void" ? t.coding.voidReasonPlaceholder : t.coding.reprintReasonPlaceholder}
          autoSize={{ minRows: 2 }}
        />
      </Modal>
    </div>
  );
}
