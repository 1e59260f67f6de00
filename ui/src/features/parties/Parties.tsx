// 往来单位: suppliers and customers, with the form to add and edit them.

import { Col, Form, Radio, Row, Select, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useBackend } from "../../api";
import type { Party } from "../../api/bindings/Party";
import type { PartyInput } from "../../api/bindings/PartyInput";
import type { PartyKind } from "../../api/bindings/PartyKind";
import { useT } from "../../i18n";
import { toCodeCase } from "../../lib/text";
import { EntryDrawer } from "../entry/EntryDrawer";
import { Field } from "../entry/Field";
import { RecordScreen } from "../entry/RecordScreen";
import { TextField } from "../entry/TextField";
import { useRecordDrawer } from "../entry/useEntryScreen";
import { useRecordForm } from "../entry/useRecordForm";

const blank = (): PartyInput => ({ kind: "supplier", name: "", uscc: "", address: "", contact: "", phone: "" });

function PartyForm({ editing, onClose, onSaved }: { editing: Party | null; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const backend = useBackend();
  const { form, drawer } = useRecordForm<PartyInput, Party>({
    kind: "party",
    editing,
    initial: editing
      ? { kind: editing.kind, name: editing.name, uscc: editing.uscc ?? "", address: editing.address, contact: editing.contact, phone: editing.phone }
      : blank(),
    next: (saved) => ({ ...blank(), kind: saved.kind }),
    check: (input) => backend.checkParty(input, editing?.id ?? null),
    add: (input) => backend.addParty(input),
    update: (id, input) => backend.updateParty(id, input),
    savedMessage: (p) => t.parties.saved(p.name),
    onSaved,
    onClose,
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
          <TextField form={form} field="name" label={t.parties.name} testId="party-name" required />
        </Col>
        <Col span={10}>
          <TextField
            form={form}
            field="uscc"
            label={t.enterprise.uscc}
            testId="party-uscc"
            normalize={toCodeCase}
            placeholder={t.enterprise.usccPlaceholder}
            maxLength={24}
          />
        </Col>
        <Col span={24}>
          <TextField form={form} field="address" label={t.enterprise.address} testId="party-address" />
        </Col>
        <Col span={12}>
          <TextField form={form} field="contact" label={t.enterprise.contact} testId="party-contact" />
        </Col>
        <Col span={12}>
          <TextField form={form} field="phone" label={t.enterprise.phone} testId="party-phone" />
        </Col>
      </Row>
    </Form>
  );
  return (
    <EntryDrawer
      open
      title={editing ? t.parties.editTitle(editing.name) : t.parties.newTitle}
      testId="party"
      {...drawer}
      width={640}
    >
      {fields}
    </EntryDrawer>
  );
}

export function Parties() {
  const t = useT();
  const backend = useBackend();
  const screen = useRecordDrawer<Party>();

  const columns: ColumnsType<Party> = [
    { key: "name", dataIndex: "name", title: t.parties.name, sorter: true, width: 220, ellipsis: true },
    { key: "kind", title: t.parties.kind, sorter: true, width: 110, render: (_, p) => <Tag>{t.parties.kinds[p.kind]}</Tag> },
    { key: "uscc", dataIndex: "uscc", title: t.enterprise.uscc, sorter: true, width: 190 },
    { key: "contact", dataIndex: "contact", title: t.enterprise.contact, sorter: true, width: 100 },
    { key: "phone", dataIndex: "phone", title: t.enterprise.phone, width: 130 },
    { key: "address", dataIndex: "address", title: t.enterprise.address, ellipsis: true },
  ];

  return (
    <RecordScreen<Party>
      name="parties"
      title={t.nav.parties}
      texts={t.parties}
      drawer={screen}
      columns={columns}
      load={backend.listParties}
      exportKind="parties"
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
    >
      {screen.form.open && <PartyForm editing={screen.form.editing} onClose={screen.close} onSaved={screen.saved} />}
    </RecordScreen>
  );
}
