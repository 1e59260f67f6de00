// 往来单位: suppliers and customers, with the form to add and edit them.

import { Radio, Row, Tag } from "antd";
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
import { useRecordForm, type RecordFormProps } from "../entry/useRecordForm";

/** A blank party; the next after a saved one keeps its kind. */
const blank = (keep?: PartyInput): PartyInput => ({ kind: keep?.kind ?? "supplier", name: "", uscc: "", address: "", contact: "", phone: "" });

const partyInput = (p: Party): PartyInput => ({ kind: p.kind, name: p.name, uscc: p.uscc ?? "", address: p.address, contact: p.contact, phone: p.phone });

function PartyForm(props: RecordFormProps<Party>) {
  const t = useT();
  const backend = useBackend();
  const { form, drawer } = useRecordForm<PartyInput, Party>(props, {
    kind: "party",
    fromRecord: partyInput,
    blank,
    check: backend.checkParty,
    add: backend.addParty,
    update: backend.updateParty,
    texts: t.parties,
    label: (p) => p.name,
  });
  const v = form.value;
  return (
    <EntryDrawer {...drawer} width={640}>
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
        <TextField span={14} form={form} field="name" label={t.parties.name} testId="party-name" required />
        <TextField
          span={10}
          form={form}
          field="uscc"
          label={t.enterprise.uscc}
          testId="party-uscc"
          normalize={toCodeCase}
          placeholder={t.enterprise.usccPlaceholder}
          maxLength={24}
        />
        <TextField span={24} form={form} field="address" label={t.enterprise.address} testId="party-address" />
        <TextField span={12} form={form} field="contact" label={t.enterprise.contact} testId="party-contact" />
        <TextField span={12} form={form} field="phone" label={t.enterprise.phone} testId="party-phone" />
      </Row>
    </EntryDrawer>
  );
}

export function Parties() {
  const t = useT();
  const backend = useBackend();

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
      columns={columns}
      load={backend.listParties}
      exportKind="parties"
      filter={{
        on: "kind",
        placeholder: t.parties.kind,
        options: (["supplier", "customer"] as const).map((k) => ({ value: k, label: t.parties.kinds[k] })),
        testId: "parties-filter-kind",
      }}
      form={(props) => <PartyForm {...props} />}
    />
  );
}
