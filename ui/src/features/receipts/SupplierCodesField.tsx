// 供方追溯码: the supplier's codes on the received goods, as a USB scanner types them (one per
// scan, each ending with Enter, so one per line; GS kept and shown as "␝" like the 码检查 box).
// Each code is shown with the kind Rust detects (`check_code`); the form's check says what is
// wrong with them. Test ids: `<testId>` (the text area), `<testId>-code` and `<testId>-kind`.

import { Col, Input, List, Space, Tag, Typography } from "antd";
import { useEffect, useState, type KeyboardEvent } from "react";
import { useBackend } from "../../api";
import type { CodeCheck } from "../../api/codingApi";
import type { ReceiptInput } from "../../api/bindings/ReceiptInput";
import { useT } from "../../i18n";
import { GS_SHOWN, isGsKey, scanText, showScan } from "../coding/scanInput";
import { Field } from "../entry/Field";
import type { EntryForm } from "../entry/TextField";

/** The codes the text area holds: one per line, as the scanner typed them. */
function codesOf(shown: string): string[] {
  return shown
    .split("\n")
    .map(scanText)
    .filter((c) => c !== "");
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((c, i) => c === b[i]);

export function SupplierCodesField({ form, testId, span }: { form: EntryForm<ReceiptInput>; testId: string; span: number }) {
  const t = useT();
  const backend = useBackend();
  const codes = form.value.supplierCodes;
  const [shown, setShown] = useState(() => showScan(codes.join("\n")));
  const [checks, setChecks] = useState<Record<string, CodeCheck>>({});

  // A record opened, or the form emptied after saving: show its codes.
  useEffect(() => {
    if (!same(codesOf(shown), codes)) setShown(showScan(codes.join("\n")));
    // Only the form's value drives this; the text the clerk is typing must not be rewritten.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [codes]);

  // What each code is, as Rust reads it.
  const key = JSON.stringify(codes);
  useEffect(() => {
    const missing = codes.filter((c) => !(c in checks));
    if (missing.length === 0) return;
    let live = true;
    const timer = setTimeout(() => {
      Promise.all(missing.map((c) => backend.checkCode(c).then((r) => [c, r] as const))).then(
        (pairs) => {
          if (live) setChecks((old) => ({ ...old, ...Object.fromEntries(pairs) }));
        },
        () => {
          // The form's own check reports what is wrong.
        },
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // `key` stands for `codes`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const edit = (text: string) => {
    setShown(showScan(text));
    const next = codesOf(text);
    if (!same(next, codes)) form.set({ supplierCodes: next });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (isGsKey(event)) {
      // Keep the scanner's GS, which the text area would drop.
      event.preventDefault();
      const area = event.currentTarget;
      const start = area.selectionStart ?? shown.length;
      const end = area.selectionEnd ?? shown.length;
      edit(shown.slice(0, start) + GS_SHOWN + shown.slice(end));
    }
  };

  return (
    <Col span={span}>
      <Field label={t.receipts.supplierCodes} field="supplierCodes" problems={form.problems} testId={testId}>
        <Input.TextArea
          data-testid={testId}
          value={shown}
          placeholder={t.receipts.supplierCodesPlaceholder}
          onChange={(e) => edit(e.target.value)}
          onKeyDown={onKeyDown}
          autoSize={{ minRows: 2, maxRows: 8 }}
          spellCheck={false}
        />
      </Field>
      {codes.length > 0 && (
        <List
          size="small"
          className="supplier-codes"
          dataSource={codes}
          renderItem={(code) => {
            const check = checks[code];
            return (
              <List.Item data-testid={`${testId}-code`}>
                <Space wrap>
                  {check && (
                    <Tag color={check.valid ? "blue" : "red"} data-testid={`${testId}-kind`}>
                      {t.coding.schemes[check.scheme] ?? check.scheme}
                    </Tag>
                  )}
                  {check?.alternative && <Tag color="gold">{t.coding.alsoMaybe(t.coding.schemes[check.alternative] ?? check.alternative)}</Tag>}
                  <Typography.Text code>{showScan(code)}</Typography.Text>
                </Space>
              </List.Item>
            );
          }}
        />
      )}
    </Col>
  );
}
