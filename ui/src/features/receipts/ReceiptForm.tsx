// 进货查验 form: supplier, material, spec, supplier lot, quantity and unit, date, incoming
// inspection, report number, attachments. Keyboard-first, autocompleting from history.

import type { PickedFile } from "../../api/backend";
import { App, AutoComplete, Col, Form, Input, InputNumber, Radio, Row } from "antd";
import { useState } from "react";
import { useBackend } from "../../api";
import type { EntryHints } from "../../api/bindings/EntryHints";
import type { InspectionResult } from "../../api/bindings/InspectionResult";
import type { Receipt } from "../../api/bindings/Receipt";
import type { ReceiptInput } from "../../api/bindings/ReceiptInput";
import { DateField, todayIso } from "../../components/DateField";
import { useErrorNotice } from "../../components/useErrorNotice";
import { useT } from "../../i18n";
import { Attachments } from "../entry/Attachments";
import { EntryDrawer } from "../entry/EntryDrawer";
import { Field } from "../entry/Field";
import { useEntry } from "../entry/useEntry";

export function blankReceipt(keep?: Partial<ReceiptInput>): ReceiptInput {
  return {
    supplierName: "",
    material: "",
    spec: "",
    supplierLot: "",
    quantity: null,
    unit: "",
    receivedOn: keep?.receivedOn ?? todayIso(),
    inspectionResult: "pass",
    reportNo: "",
    note: "",
  };
}

const receiptInput = (r: Receipt): ReceiptInput => ({
  supplierName: r.supplierName,
  material: r.material,
  spec: r.spec,
  supplierLot: r.supplierLot,
  quantity: r.quantity,
  unit: r.unit,
  receivedOn: r.receivedOn,
  inspectionResult: r.inspectionResult,
  reportNo: r.reportNo ?? "",
  note: r.note,
});

export function InspectionRadio({ value, onChange, testId }: { value: InspectionResult; onChange: (v: InspectionResult) => void; testId: string }) {
  const t = useT();
  return (
    <Radio.Group
      value={value}
      onChange={(e) => onChange(e.target.value as InspectionResult)}
      optionType="button"
      buttonStyle="solid"
      options={(["pass", "fail", "pending"] as const).map((r) => ({ value: r, label: t.entry.inspection[r] }))}
      data-testid={testId}
    />
  );
}

const match = (text: string, option?: { value?: unknown }) =>
  String(option?.value ?? "").toLowerCase().includes(text.trim().toLowerCase());

interface Props {
  editing: Receipt | null;
  hints: EntryHints | null;
  onClose: () => void;
  onSaved: () => void;
}

export function ReceiptForm({ editing, hints, onClose, onSaved }: Props) {
  const t = useT();
  const backend = useBackend();
  const notifyError = useErrorNotice();
  const { message } = App.useApp();
  const [round, setRound] = useState(0);
  const [pending, setPending] = useState<PickedFile[]>([]);
  const form = useEntry<ReceiptInput, Receipt>({
    initial: editing ? receiptInput(editing) : blankReceipt(),
    check: (input) => backend.checkReceipt(input, editing?.id ?? null),
    save: async (input) => {
      const saved = editing ? await backend.updateReceipt(editing.id, input) : await backend.addReceipt(input);
      if (pending.length) {
        await backend.addAttachments("receipt", saved.id, pending.map((p) => p.token), "inspection-report").catch(notifyError);
      }
      return saved;
    },
    onSaved: (r) => {
      message.success(t.receipts.saved(r.supplierLot));
      setPending([]);
      onSaved();
      if (editing) onClose();
      else {
        form.reset(blankReceipt(form.value));
        setRound((n) => n + 1);
      }
    },
    enabled: true,
  });
  const v = form.value;
  const readOnly = !!editing?.submittedAt;
  const materials = hints?.materials ?? [];

  const fields = (
    <Form layout="vertical" component="div" className="entry-form" disabled={readOnly}>
      <Row gutter={16}>
        <Col span={12}>
          <Field label={t.receipts.supplier} field="supplierName" problems={form.problems} testId="receipt-supplier" required>
            <AutoComplete
              value={v.supplierName}
              onChange={(value) => form.set({ supplierName: value })}
              options={(hints?.suppliers ?? []).map((s) => ({ value: s.name }))}
              filterOption={match}
              defaultActiveFirstOption={false}
              data-testid="receipt-supplier"
            />
          </Field>
        </Col>
        <Col span={12}>
          <Field label={t.receipts.material} field="material" problems={form.problems} testId="receipt-material" required>
            <AutoComplete
              value={v.material}
              onChange={(value) => {
                const hint = materials.find((m) => m.material === value);
                form.set(hint && !v.unit ? { material: value, unit: hint.unit, spec: v.spec || hint.spec } : { material: value });
              }}
              options={[...new Set(materials.map((m) => m.material))].map((m) => ({ value: m }))}
              filterOption={match}
              defaultActiveFirstOption={false}
              data-testid="receipt-material"
            />
          </Field>
        </Col>
        <Col span={12}>
          <Field label={t.receipts.spec} field="spec" problems={form.problems} testId="receipt-spec">
            <AutoComplete
              value={v.spec}
              onChange={(value) => form.set({ spec: value })}
              options={materials.filter((m) => m.material === v.material && m.spec).map((m) => ({ value: m.spec }))}
              defaultActiveFirstOption={false}
              data-testid="receipt-spec"
            />
          </Field>
        </Col>
        <Col span={12}>
          <Field label={t.receipts.supplierLot} field="supplierLot" problems={form.problems} testId="receipt-lot" required>
            <Input value={v.supplierLot} onChange={(e) => form.set({ supplierLot: e.target.value })} data-testid="receipt-lot" />
          </Field>
        </Col>
        <Col span={8}>
          <Field label={t.receipts.quantity} field="quantity" problems={form.problems} testId="receipt-quantity" required>
            <InputNumber
              value={v.quantity}
              onChange={(value) => form.set({ quantity: typeof value === "number" ? value : null })}
              min={0}
              style={{ width: "100%" }}
              data-testid="receipt-quantity"
            />
          </Field>
        </Col>
        <Col span={6}>
          <Field label={t.receipts.unit} field="unit" problems={form.problems} testId="receipt-unit" required>
            <AutoComplete
              value={v.unit}
              onChange={(value) => form.set({ unit: value })}
              options={[...new Set([...(hints?.units ?? []), "个", "kg", "t", "m", "卷", "件", "套"])].map((u) => ({ value: u }))}
              filterOption={match}
              defaultActiveFirstOption={false}
              data-testid="receipt-unit"
            />
          </Field>
        </Col>
        <Col span={10}>
          <Field label={t.receipts.receivedOn} field="receivedOn" problems={form.problems} testId="receipt-date" required>
            <DateField value={v.receivedOn} onChange={(d) => form.set({ receivedOn: d })} testId="receipt-date" />
          </Field>
        </Col>
        <Col span={12}>
          <Field label={t.receipts.inspection} field="inspectionResult" problems={form.problems} testId="receipt-inspection" required>
            <InspectionRadio value={v.inspectionResult} onChange={(r) => form.set({ inspectionResult: r })} testId="receipt-inspection" />
          </Field>
        </Col>
        <Col span={12}>
          <Field label={t.receipts.reportNo} field="reportNo" problems={form.problems} testId="receipt-report">
            <Input value={v.reportNo} onChange={(e) => form.set({ reportNo: e.target.value })} data-testid="receipt-report" />
          </Field>
        </Col>
        <Col span={24}>
          <Field label={t.receipts.note} field="note" problems={form.problems} testId="receipt-note">
            <Input value={v.note} onChange={(e) => form.set({ note: e.target.value })} data-testid="receipt-note" />
          </Field>
        </Col>
      </Row>
      <Attachments saved={editing?.attachments ?? []} pending={pending} onPending={setPending} testId="receipt-attachments" />
    </Form>
  );

  return (
    <EntryDrawer
      open
      title={editing ? t.receipts.editTitle(editing.supplierLot) : t.receipts.newTitle}
      testId="receipt"
      history={editing ? { kind: "receipt", id: editing.id } : undefined}
      saving={form.saving}
      onSave={form.save}
      onCancel={onClose}
      focusKey={round}
      readOnly={readOnly}
    >
      {fields}
    </EntryDrawer>
  );
}
