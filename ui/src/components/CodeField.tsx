// A field for trace codes that takes typed text or a USB scanner (keyboard wedge: the code arrives
// as fast keystrokes ending with Enter). GS1 data may carry a symbology prefix (`]d2`, `]C1`,
// `]Q3`) and GS separators, which scanners send as the GS character or as Ctrl+]; Digital Link
// URLs arrive as text. On Enter the back end reads the code and says which product, batch and item
// it names; an empty field lets Enter move on to the next field.

import { ScanOutlined } from "@ant-design/icons";
import { Input, Typography } from "antd";
import { useRef, useState, type KeyboardEvent } from "react";
import { useBackend } from "../api";
import type { ScanResult } from "../api/bindings/ScanResult";
import { useLanguage } from "../i18n";
import { useErrorNotice } from "./useErrorNotice";

const GS = "\u001d";

interface Props {
  placeholder: string;
  onScan: (result: ScanResult) => void;
  testId: string;
  /** Clear the field after each successful scan (scanning many items in a row). */
  clearAfterScan?: boolean;
  autoFocus?: boolean;
}

/** What the scanner typed, with the visible stand-ins some scanners use for GS turned back into GS. */
export function normaliseScan(text: string): string {
  return text.replace(/\{GS\}|<GS>|␝/g, GS).replace(/[\r\n]+$/, "");
}

export function CodeField({ placeholder, onScan, testId, clearAfterScan, autoFocus }: Props) {
  const backend = useBackend();
  const notifyError = useErrorNotice();
  const language = useLanguage();
  const [text, setText] = useState("");
  const [last, setLast] = useState<ScanResult | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement | null>(null);

  const insertGs = () => {
    const el = input.current;
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    setText(text.slice(0, start) + GS + text.slice(end));
  };

  const scan = async (value: string) => {
    setBusy(true);
    try {
      const result = await backend.scanCode(normaliseScan(value));
      setLast(result);
      onScan(result);
      if (clearAfterScan && (result.batch || result.item)) setText("");
    } catch (reason) {
      notifyError(reason);
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "GroupSeparator" || (event.ctrlKey && (event.key === "]" || event.code === "BracketRight"))) {
      event.preventDefault();
      insertGs();
      return;
    }
    if (event.key === "Enter" && text.trim() !== "" && !event.nativeEvent.isComposing) {
      event.preventDefault();
      event.stopPropagation();
      void scan(text);
    }
  };

  const messages = last?.problems ?? [];
  return (
    <div className="code-field">
      <Input
        ref={(el) => {
          input.current = el?.input ?? null;
        }}
        value={text.replaceAll(GS, "␝")}
        onChange={(e) => setText(e.target.value.replaceAll("␝", GS))}
        onKeyDown={onKeyDown}
        placeholder={placeholder}
        prefix={<ScanOutlined />}
        autoFocus={autoFocus}
        disabled={busy}
        data-testid={testId}
        className="code-field-input"
        spellCheck={false}
        autoComplete="off"
      />
      {messages.length > 0 && (
        <div data-testid={`${testId}-message`} className="code-field-messages">
          {messages.map((p, i) => (
            <Typography.Text key={i} type={p.severity === "error" ? "danger" : "warning"} className="code-field-message">
              {language === "en" ? p.messageEn : p.messageZh}
            </Typography.Text>
          ))}
        </div>
      )}
    </div>
  );
}
