// 进货查验 form: supplier, material, spec, supplier lot, quantity and unit, date, incoming
// inspection, report number, attachments. Keyboard-first, autocompleting from history.

import { AutoComplete, Col, Form, InputNumber, Radio, Row } from "antd";
import { useBackend } from "../../api";
import type { EntryHints } from "../../api/bindings/EntryHints";
import type { InspectionResult } from "../../api/bindings/InspectionResult";
import type { Receipt } from "../../api/bindings/Receipt";
import type { ReceiptInput } from "../../api/bindings/ReceiptInput";
import { DateField, todayIso } from "../../components/DateField";
import { useT } from "../../i18n";
import { Attachments } from "../entry/Attachments";
import { EntryDrawer } from "../entry/EntryDrawer";
import { Field } from "../entry/Field";
import { SuggestField, TextField, matchOption } from "../entry/TextField";
import { useRecordForm } from "../entry/useRecordForm";

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

interface Props {
  editing: Receipt | null;
  hints: EntryHints | null;
  onClose: () => void;
  onSaved: () => void;
}

export function ReceiptForm({ editing, hints, onClose, onSaved }: Props) {
  const t = useT();
  const backend = useBackend();
  const { form, pending, setPending, readOnly, drawer } = useRecordForm<ReceiptInput, Receipt>({
    kind: "receipt",
    editing,
    initial: editing ? receiptInput(editing) : blankReceipt(),
    next: blankReceipt,
    check: (input) => backend.checkReceipt(input, editing?.id ?? null),
    add: (input) => backend.addReceipt(input),
    update: (id, input) => backend.updateReceipt(id, input),
    attachmentPurpose: "inspection-report",
    savedMessage: (r) => t.receipts.saved(r.supplierLot),
    onSaved,
    onClose,
  });
  const v = form.value;
  const materials = hints?.materials ?? [];

  const fields = (
    <Form layout="vertical" component="div" className="entry-form" disabled={readOnly}>
      <Row gutter={16}>
        <Col span={12}>
          <SuggestField
            form={form}
            field="supplierName"
            label={t.receipts.supplier}
            testId="receipt-supplier"
            required
            filter
            suggestions={(hints?.suppliers ?? []).map((s) => s.name)}
          />
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
              filterOption={matchOption}
              defaultActiveFirstOption={false}
              data-testid="receipt-material"
            />
          </Field>
        </Col>
        <Col span={12}>
          <SuggestField
            form={form}
            field="spec"
            label={t.receipts.spec}
            testId="receipt-spec"
            suggestions={materials.filter((m) => m.material === v.material && m.spec).map((m) => m.spec)}
          />
        </Col>
        <Col span={12}>
          <TextField form={form} field="supplierLot" label={t.receipts.supplierLot} testId="receipt-lot" required />
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
          <SuggestField
            form={form}
            field="unit"
            label={t.receipts.unit}
            testId="receipt-unit"
            required
            filter
            suggestions={[...new Set([...(hints?.units ?? []), "个", "kg", "t", "m", "卷", "件", "套"])]}
          />
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
          <TextField form={form} field="reportNo" label={t.receipts.reportNo} testId="receipt-report" />
        </Col>
        <Col span={24}>
          <TextField form={form} field="note" label={t.receipts.note} testId="receipt-note" />
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
      {...drawer}
    >
      {fields}
    </EntryDrawer>
  );
}
