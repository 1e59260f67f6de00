// 往来单位: suppliers and customers, with the form to add and edit them.

import { PlusOutlined } from "@ant-design/icons";
import { App, Button, Col, Form, Input, Radio, Row, Select, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useCallback, useState } from "react";
import { useBackend } from "../../api";
import type { Party } from "../../api/bindings/Party";
import type { PartyInput } from "../../api/bindings/PartyInput";
import type { PartyKind } from "../../api/bindings/PartyKind";
import { PageHeader } from "../../components/PageHeader";
import { useT } from "../../i18n";
import { toCodeCase } from "../../lib/text";
import { EntryDrawer } from "../entry/EntryDrawer";
import { Field } from "../entry/Field";
import { RecordList } from "../entry/RecordList";
import { useNewShortcut } from "../entry/shortcuts";
import { useEntry } from "../entry/useEntry";

const blank = (): PartyInput => ({ kind: "supplier", name: "", uscc: "", address: "", contact: "", phone: "" });

function PartyForm({ editing, onClose, onSaved }: { editing: Party | null; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const backend = useBackend();
  const { message } = App.useApp();
  const [round, setRound] = useState(0);
  const form = useEntry<PartyInput, Party>({
    initial: editing
      ? { kind: editing.kind, name: editing.name, uscc: editing.uscc ?? "", address: editing.address, contact: editing.contact, phone: editing.phone }
      : blank(),
    check: (input) => backend.checkParty(input, editing?.id ?? null),
    save: (input) => (editing ? backend.updateParty(editing.id, input) : backend.addParty(input)),
    onSaved: (p) => {
      message.success(t.parties.saved(p.name));
      onSaved();
      if (editing) onClose();
      else {
        form.reset({ ...blank(), kind: form.value.kind });
        setRound((r) => r + 1);
      }
    },
    enabled: true,
  });
  const v = form.value;
  const fields = (
    <Form layout="vertical" component="div" className="entry-form">
      <Field label={t.parties.kind} field="kind" problems={form.problems} testId="party-kind" required>
        <Radio.Group
          value={v.kind}
          onChange={(e) => form.set({ kind: e.target.value as PartyKind })}
          optionType="button"
          options={(["supplier", "customer", "both"] as const).map((k) => ({ value: k, label: t.parties.kinds[k] }))}
          data-testid="party-kind"
        />
      </Field>
      <Row gutter={16}>
        <Col span={14}>
          <Field label={t.parties.name} field="name" problems={form.problems} testId="party-name" required>
            <Input value={v.name} onChange={(e) => form.set({ name: e.target.value })} data-testid="party-name" />
          </Field>
        </Col>
        <Col span={10}>
          <Field label={t.enterprise.uscc} field="uscc" problems={form.problems} testId="party-uscc">
            <Input
              value={v.uscc}
              onChange={(e) => form.set({ uscc: toCodeCase(e.target.value) })}
              placeholder={t.enterprise.usccPlaceholder}
              maxLength={24}
              data-testid="party-uscc"
            />
          </Field>
        </Col>
        <Col span={24}>
          <Field label={t.enterprise.address} field="address" problems={form.problems} testId="party-address">
            <Input value={v.address} onChange={(e) => form.set({ address: e.target.value })} data-testid="party-address" />
          </Field>
        </Col>
        <Col span={12}>
          <Field label={t.enterprise.contact} field="contact" problems={form.problems} testId="party-contact">
            <Input value={v.contact} onChange={(e) => form.set({ contact: e.target.value })} data-testid="party-contact" />
          </Field>
        </Col>
        <Col span={12}>
          <Field label={t.enterprise.phone} field="phone" problems={form.problems} testId="party-phone">
            <Input value={v.phone} onChange={(e) => form.set({ phone: e.target.value })} data-testid="party-phone" />
          </Field>
        </Col>
      </Row>
    </Form>
  );
  return (
    <EntryDrawer
      open
      title={editing ? t.parties.editTitle(editing.name) : t.parties.newTitle}
      testId="party"
      history={editing ? { kind: "party", id: editing.id } : undefined}
      saving={form.saving}
      onSave={form.save}
      onCancel={onClose}
      focusKey={round}
      width={640}
    >
      {fields}
    </EntryDrawer>
  );
}

export function Parties() {
  const t = useT();
  const backend = useBackend();
  const [form, setForm] = useState<{ open: boolean; editing: Party | null }>({ open: false, editing: null });
  const [reload, setReload] = useState(0);
  const openNew = useCallback(() => setForm({ open: true, editing: null }), []);
  useNewShortcut(openNew, !form.open);

  const columns: ColumnsType<Party> = [
    { key: "name", dataIndex: "name", title: t.parties.name, sorter: true, width: 220, ellipsis: true },
    { key: "kind", title: t.parties.kind, sorter: true, width: 110, render: (_, p) => <Tag>{t.parties.kinds[p.kind]}</Tag> },
    { key: "uscc", dataIndex: "uscc", title: t.enterprise.uscc, sorter: true, width: 190 },
    { key: "contact", dataIndex: "contact", title: t.enterprise.contact, sorter: true, width: 100 },
    { key: "phone", dataIndex: "phone", title: t.enterprise.phone, width: 130 },
    { key: "address", dataIndex: "address", title: t.enterprise.address, ellipsis: true },
  ];

  return (
    <div data-testid="screen-parties" className="screen">
      <PageHeader
        title={t.nav.parties}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={openNew} data-testid="parties-new">
            {t.parties.add} <Tag className="key-tag">Alt+N</Tag>
          </Button>
        }
      />
      <RecordList<Party>
        testId="parties"
        columns={columns}
        load={backend.listParties}
        exportKind="parties"
        exportName={t.parties.exportName}
        searchPlaceholder={t.parties.searchPlaceholder}
        reloadKey={reload}
        onOpen={(p) => setForm({ open: true, editing: p })}
        filters={(q, setQuery) => (
          <Select
            allowClear
            placeholder={t.parties.kind}
            value={q.kind ?? undefined}
            onChange={(value) => setQuery({ ...q, kind: value ?? null })}
            options={[
              { value: "supplier", label: t.parties.kinds.supplier },
              { value: "customer", label: t.parties.kinds.customer },
            ]}
            className="record-list-filter"
            data-testid="parties-filter-kind"
          />
        )}
      />
      {form.open && (
        <PartyForm editing={form.editing} onClose={() => setForm({ open: false, editing: null })} onSaved={() => setReload((r) => r + 1)} />
      )}
    </div>
  );
}
