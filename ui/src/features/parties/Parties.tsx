// 往来单位: suppliers and customers, with the form to add and edit them.

import { Checkbox, Radio, Row, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useBackend } from "../../api";
import type { Party } from "../../api/bindings/Party";
import type { PartyInput } from "../../api/bindings/PartyInput";
import type { PartyKind } from "../../api/bindings/PartyKind";
import type { PartyType } from "../../api/bindings/PartyType";
import { useT } from "../../i18n";
import { toCodeCase } from "../../lib/text";
import { EntryDrawer } from "../entry/EntryDrawer";
import { Field } from "../entry/Field";
import { RecordScreen } from "../entry/RecordScreen";
import { TextField } from "../entry/TextField";
import { useRecordForm, type RecordFormProps } from "../entry/useRecordForm";

/** A blank party; the next after a saved one keeps its kind. */
const blank = (keep?: PartyInput): PartyInput => ({
  kind: keep?.kind ?? "supplier",
  name: "",
  uscc: "",
  address: "",
  contact: "",
  phone: "",
  partyType: keep?.partyType ?? "organisation",
  idNumber: "",
  consent: false,
  country: "",
  foreignRegNo: "",
});

// A person's numbers come back masked; editing keeps them masked (the back end accepts both).
const partyInput = (p: Party): PartyInput => ({
  kind: p.kind,
  name: p.name,
  uscc: p.uscc ?? "",
  address: p.address,
  contact: p.contact,
  phone: p.phone,
  partyType: p.partyType,
  idNumber: p.idMasked,
  consent: p.consentAt !== null,
  country: p.country,
  foreignRegNo: p.foreignRegNo,
});

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
      <Field label={t.parties.partyType} field="partyType" problems={form.problems} testId="party-type">
        <Radio.Group
          value={v.partyType}
          onChange={(e) => form.set({ partyType: e.target.value as PartyType })}
          optionType="button"
          options={(["organisation", "individual", "foreign"] as const).map((k) => ({ value: k, label: t.parties.partyTypes[k] }))}
          data-testid="party-type"
        />
      </Field>
      <Row gutter={16}>
        <TextField span={14} form={form} field="name" label={t.parties.name} testId="party-name" required />
        {v.partyType === "organisation" && (
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
        )}
        {v.partyType === "foreign" && (
          <>
            <TextField span={4} form={form} field="country" label={t.parties.country} testId="party-country" normalize={toCodeCase} maxLength={2} />
            <TextField span={6} form={form} field="foreignRegNo" label={t.parties.foreignRegNo} testId="party-foreign-reg" />
          </>
        )}
        {v.partyType === "individual" && (
          <TextField
            span={10}
            form={form}
            field="idNumber"
            label={t.parties.idNumber}
            testId="party-id-number"
            normalize={toCodeCase}
            extra={t.parties.idNumberHint}
            maxLength={24}
          />
        )}
        <TextField span={24} form={form} field="address" label={t.enterprise.address} testId="party-address" />
        <TextField span={12} form={form} field="contact" label={t.enterprise.contact} testId="party-contact" />
        <TextField
          span={12}
          form={form}
          field="phone"
          label={v.partyType === "individual" ? t.parties.mobile : t.enterprise.phone}
          testId="party-phone"
        />
      </Row>
      {v.partyType === "individual" && (
        <Field label="" field="consent" problems={form.problems} testId="party-consent">
          <Checkbox checked={v.consent} onChange={(e) => form.set({ consent: e.target.checked })} data-testid="party-consent">
            {t.parties.consent}
          </Checkbox>
        </Field>
      )}
    </EntryDrawer>
  );
}

export function Parties() {
  const t = useT();
  const backend = useBackend();

  const columns: ColumnsType<Party> = [
    { key: "name", dataIndex: "name", title: t.parties.name, sorter: true, width: 220, ellipsis: true },
    { key: "kind", title: t.parties.kind, sorter: true, width: 110, render: (_, p) => <Tag>{t.parties.kinds[p.kind]}</Tag> },
    { key: "partyType", title: t.parties.partyType, width: 90, render: (_, p) => t.parties.partyTypes[p.partyType] },
    {
      key: "uscc",
      title: t.enterprise.uscc,
      sorter: true,
      width: 190,
      // The identifier of the party's kind: USCC, masked ID card number, or country and registration.
      render: (_, p) => (p.partyType === "individual" ? p.idMasked : p.partyType === "foreign" ? `${p.country} ${p.foreignRegNo}`.trim() : p.uscc),
    },
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
