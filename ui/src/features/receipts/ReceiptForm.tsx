// 进货查验 form: supplier, material, spec, supplier lot, quantity and unit, date, incoming
// inspection, report number, the supplier's codes (供方追溯码) and a key component's CCC
// certificate, attachments. Keyboard-first, autocompleting from history.

import { AutoComplete, Row } from "antd";
import { useBackend } from "../../api";
import type { Receipt } from "../../api/bindings/Receipt";
import type { ReceiptInput } from "../../api/bindings/ReceiptInput";
import { todayIso } from "../../components/DateField";
import { useT } from "../../i18n";
import { Attachments } from "../entry/Attachments";
import { EntryDrawer } from "../entry/EntryDrawer";
import { Field } from "../entry/Field";
import { DateFormField, InspectionField, PartyNameField, QuantityField, SuggestField, TextField, UnitField, matchOption } from "../entry/TextField";
import { useRecordForm } from "../entry/useRecordForm";
import type { EntryFormProps } from "../entry/useEntryScreen";
import { SupplierCodesField } from "./SupplierCodesField";

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
    purchaseOrderNo: "",
    invoiceNo: "",
    deliveryNoteNo: "",
    supplierCodes: [],
    componentCcc: "",
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
  purchaseOrderNo: r.purchaseOrderNo,
  invoiceNo: r.invoiceNo,
  deliveryNoteNo: r.deliveryNoteNo,
  supplierCodes: r.supplierCodes.map((c) => c.code),
  componentCcc: r.componentCcc ?? "",
});

export function ReceiptForm({ hints, ...props }: EntryFormProps<Receipt>) {
  const t = useT();
  const backend = useBackend();
  const { editing } = props;
  const { form, attachments, drawer } = useRecordForm<ReceiptInput, Receipt>(props, {
    kind: "receipt",
    fromRecord: receiptInput,
    blank: blankReceipt,
    check: backend.checkReceipt,
    add: backend.addReceipt,
    update: backend.updateReceipt,
    attachmentPurpose: "inspection-report",
    texts: t.receipts,
    label: (r) => r.supplierLot,
  });
  const v = form.value;
  const materials = hints?.materials ?? [];
  /** The specs typed before for this material. */
  const specs = materials.filter((m) => m.material === v.material && m.spec).map((m) => m.spec);

  return (
    <EntryDrawer {...drawer}>
      <Row gutter={16}>
        <PartyNameField span={12} form={form} field="supplierName" label={t.receipts.supplier} testId="receipt-supplier" parties={hints?.suppliers} />
        <Field span={12} label={t.receipts.material} field="material" problems={form.problems} testId="receipt-material" required>
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
        <SuggestField span={12} form={form} field="spec" label={t.receipts.spec} testId="receipt-spec" suggestions={specs} />
        <TextField span={12} form={form} field="supplierLot" label={t.receipts.supplierLot} testId="receipt-lot" required />
        <QuantityField span={8} form={form} field="quantity" label={t.receipts.quantity} testId="receipt-quantity" required />
        <UnitField span={6} form={form} testId="receipt-unit" filter hints={hints} common={["个", "kg", "t", "m", "卷", "件", "套"]} />
        <DateFormField span={10} form={form} field="receivedOn" label={t.receipts.receivedOn} testId="receipt-date" required />
        <InspectionField span={12} form={form} label={t.receipts.inspection} testId="receipt-inspection" required />
        <TextField span={12} form={form} field="reportNo" label={t.receipts.reportNo} testId="receipt-report" />
        <TextField span={8} form={form} field="purchaseOrderNo" label={t.receipts.purchaseOrderNo} testId="receipt-po" maxLength={50} />
        <TextField span={8} form={form} field="invoiceNo" label={t.receipts.invoiceNo} testId="receipt-invoice" maxLength={50} />
        <TextField span={8} form={form} field="deliveryNoteNo" label={t.receipts.deliveryNoteNo} testId="receipt-delivery-note" maxLength={50} />
        <SupplierCodesField span={24} form={form} testId="receipt-supplier-codes" />
        <TextField span={12} form={form} field="componentCcc" label={t.receipts.componentCcc} testId="receipt-component-ccc" />
        <TextField span={24} form={form} field="note" label={t.receipts.note} testId="receipt-note" />
      </Row>
      <Attachments saved={editing?.attachments ?? []} {...attachments} testId="receipt-attachments" />
    </EntryDrawer>
  );
}
