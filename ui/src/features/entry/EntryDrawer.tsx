// The keyboard-first form container of every entry form: Enter moves to the next field (on the
// last one, to the save button), Ctrl+S saves, Esc cancels. Fields are found in DOM order. The
// fields (`children`) sit in a vertical form, disabled when the record is read only.

import { Button, Drawer, Form, Space, Tabs, Tag, Typography } from "antd";
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from "react";
import { focusFieldIn, handleEnterKey } from "../../components/enterNavigation";
import { useT } from "../../i18n";
import type { RecordKind } from "../../api/bindings/RecordKind";
import { HistoryList } from "./HistoryList";

/**
 * Whether the focused field shows its own option list. A combobox can report itself expanded
 * while its list is empty, unrendered or not yet faded in (an autocomplete with nothing to
 * suggest): then Esc belongs to the form, not to a list the clerk cannot see.
 */
function ownListShown(target: HTMLElement): boolean {
  if (target.getAttribute("aria-expanded") !== "true") return false;
  const listId = target.getAttribute("aria-controls") ?? target.getAttribute("aria-owns");
  const list = listId ? document.getElementById(listId) : null;
  const popup = list?.closest<HTMLElement>(".ant-select-dropdown");
  if (!popup) return false;
  if (popup.classList.contains("ant-select-dropdown-hidden") || popup.getClientRects().length === 0) return false;
  const style = getComputedStyle(popup);
  return style.visibility !== "hidden" && Number(style.opacity) > 0;
}

interface Props {
  open: boolean;
  title: ReactNode;
  /** `entry-<testId>` names the drawer; `<testId>-save` and `<testId>-cancel` its buttons. */
  testId: string;
  saving: boolean;
  onSave: () => void;
  onCancel: () => void;
  /** Shown next to the buttons, e.g. "editing". */
  status?: ReactNode;
  /** A submitted record: shown read only, with a tag that says why. */
  readOnly?: boolean;
  /** An existing record: the form gets a second tab with the record's audited history. */
  history?: { kind: RecordKind; id: number };
  width?: number;
  /** Changing it moves the focus back to the first field (a new blank record). */
  focusKey?: string | number;
  children: ReactNode;
  extra?: ReactNode;
}

export function EntryDrawer({ open, title, testId, saving, onSave, onCancel, status, readOnly, history, width = 720, focusKey, children, extra }: Props) {
  const t = useT();
  const body = useRef<HTMLDivElement>(null);
  const saveButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    // After the drawer's opening animation has put the fields in place.
    const timer = setTimeout(() => focusFieldIn(body.current), 80);
    return () => clearTimeout(timer);
  }, [open, focusKey]);

  // Ctrl+S and Esc work wherever the focus is in the drawer, the footer buttons included.
  const latest = useRef({ onSave, onCancel, readOnly, saving });
  latest.current = { onSave, onCancel, readOnly, saving };
  useEffect(() => {
    if (!open) return;
    const onKey = (event: globalThis.KeyboardEvent) => {
      const { onSave, onCancel, readOnly, saving } = latest.current;
      if ((event.ctrlKey || event.metaKey) && (event.key === "s" || event.key === "S")) {
        event.preventDefault();
        if (!readOnly && !saving) onSave();
        return;
      }
      if (event.key === "Escape") {
        // An open dropdown closes first; the next Esc cancels the form.
        // Only the focused field's own dropdown counts: a list left open by another field must
        // not keep the form from closing.
        const target = event.target as HTMLElement | null;
        if (target && ownListShown(target)) return;
        if (target?.closest?.(".ant-picker") && document.querySelector(".ant-picker-dropdown:not(.ant-picker-dropdown-hidden)")) return;
        event.preventDefault();
        onCancel();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    handleEnterKey(event, () => saveButton.current?.focus());
  };

  const fields = (
    <Form layout="vertical" component="div" className="entry-form" disabled={readOnly}>
      {children}
    </Form>
  );

  return (
    <Drawer
      open={open}
      title={title}
      size={width}
      onClose={onCancel}
      keyboard={false}
      destroyOnHidden
      data-testid={`entry-${testId}`}
      rootClassName="entry-drawer"
      extra={extra}
      footer={
        <div className="entry-footer">
          <Typography.Text type="secondary" className="entry-keys">
            {t.entry.keysHint}
          </Typography.Text>
          <Space>
            {readOnly ? <Tag color="blue">{t.entry.submittedReadOnly}</Tag> : status}
            <Button onClick={onCancel} data-testid={`${testId}-cancel`}>
              {t.common.cancel}
            </Button>
            <Button
              type="primary"
              ref={saveButton}
              loading={saving}
              disabled={readOnly}
              onClick={onSave}
              data-testid={`${testId}-save`}
            >
              {t.common.save} <Tag className="key-tag">Ctrl+S</Tag>
            </Button>
          </Space>
        </div>
      }
    >
      <div ref={body} onKeyDown={onKeyDown} className="entry-body">
        {history ? (
          <Tabs
            items={[
              { key: "form", label: t.entry.tabForm, children: fields },
              { key: "history", label: t.entry.tabHistory, children: <HistoryList kind={history.kind} id={history.id} /> },
            ]}
          />
        ) : (
          fields
        )}
      </div>
    </Drawer>
  );
}
