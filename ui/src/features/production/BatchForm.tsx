// 生产 form: product, lot number (suggested from the pattern), production date, quantity, the
// material lots consumed with their amounts and balances, factory inspection, inspector, report.

import { Row, Select } from "antd";
import { useMemo, useState } from "react";
import { useBackend } from "../../api";
import type { Batch } from "../../api/bindings/Batch";
import type { BatchCheck } from "../../api/bindings/BatchCheck";
import type { BatchInput } from "../../api/bindings/BatchInput";
import { todayIso } from "../../components/DateField";
import { useT } from "../../i18n";
import { Attachments } from "../entry/Attachments";
import { EntryDrawer } from "../entry/EntryDrawer";
import { Field, FormSection } from "../entry/Field";
import { DateFormField, InspectionField, QuantityField, SuggestField, TextField, UnitField } from "../entry/TextField";
import { useRecordForm } from "../entry/useRecordForm";
import type { EntryFormProps } from "../entry/useEntryScreen";
import { useSuggestion } from "../entry/useSuggestion";
import { LotLines, filledLines, withTrailingBlank, type LotLine } from "./LotLines";

/** The form's input: `inputs` holds the lot lines as typed, a blank one included, so the back
 * end's problems (`inputs.N.quantity`) belong to the field the clerk touched. */
interface Draft extends Omit<BatchInput, "inputs"> {
  inputs: LotLine[];
}

const toInput = (d: Draft): BatchInput => {
  const { inputs, ...rest } = d;
  return { ...rest, inputs: filledLines(inputs) };
};

function blank(keep?: Partial<Draft>): Draft {
  return {
    productId: keep?.productId ?? null,
    lotNo: "",
    producedOn: keep?.producedOn ?? todayIso(),
    quantity: null,
    unit: keep?.unit ?? "",
    inspectionResult: "pass",
    inspector: keep?.inspector ?? "",
    reportNo: "",
    inputs: withTrailingBlank([]),
    inspectedOn: "",
    expiresOn: "",
    workOrderNo: "",
  };
}

const fromBatch = (b: Batch): Draft => ({
  productId: b.productId,
  lotNo: b.lotNo,
  producedOn: b.producedOn,
  quantity: b.quantity,
  unit: b.unit,
  inspectionResult: b.inspectionResult,
  inspector: b.inspector,
  reportNo: b.reportNo ?? "",
  inspectedOn: b.inspectedOn ?? "",
  expiresOn: b.expiresOn ?? "",
  workOrderNo: b.workOrderNo,
  inputs: withTrailingBlank(b.inputs.map((i) => ({ receiptId: i.lot.receiptId, quantity: i.quantity }))),
});

export function BatchForm({ hints, ...props }: EntryFormProps<Batch>) {
  const t = useT();
  const backend = useBackend();
  const { editing } = props;
  const [check, setCheck] = useState<BatchCheck | null>(null);
  const { form, round, attachments, drawer } = useRecordForm<Draft, Batch>(props, {
    kind: "batch",
    fromRecord: fromBatch,
    blank,
    check: async (d, id) => {
      const result = await backend.checkBatch(toInput(d), id);
      setCheck(result);
      return result.problems;
    },
    add: (d) => backend.addBatch(toInput(d)),
    update: (id, d) => backend.updateBatch(id, toInput(d)),
    attachmentPurpose: "inspection-report",
    texts: t.production,
    label: (b) => b.lotNo,
  });
  const v = form.value;

  // A new batch gets the next free lot number for its date, until the clerk types one.
  const lot = useSuggestion({ suggest: (b, date) => b.suggestLot(date), date: v.producedOn, editing: !!editing, round, form, field: "lotNo" });
  const lotHelp = !lot.touched && hints ? t.production.lotSuggested(hints.lotPattern) : undefined;

  const known = useMemo(() => editing?.inputs.map((i) => i.lot) ?? [], [editing]);
  const productOptions = (hints?.products ?? []).map((p) => ({
    value: p.id,
    label: `${p.name} ${p.model}`.trim(),
    search: `${p.name} ${p.model} ${p.gtin ?? ""}`,
  }));

  return (
    <EntryDrawer {...drawer} width={820}>
      <Row gutter={16}>
        <Field span={12} label={t.production.product} field="productId" problems={form.problems} testId="batch-product" required>
          <Select
            showSearch={{ optionFilterProp: "search" }}
            value={v.productId ?? undefined}
            onChange={(value: number) => form.set({ productId: value })}
            options={productOptions}
            placeholder={t.production.productPlaceholder}
            data-testid="batch-product"
          />
        </Field>
        <TextField span={12} form={form} field="lotNo" label={t.production.lotNo} testId="batch-lot-no" required extra={lotHelp} onEdit={lot.edited} />
        <DateFormField span={8} form={form} field="producedOn" label={t.production.producedOn} testId="batch-date" required />
        <QuantityField span={8} form={form} field="quantity" label={t.production.quantity} testId="batch-quantity" required />
        <UnitField span={8} form={form} testId="batch-unit" hints={hints} common={["台", "个", "套", "卷", "件"]} />
      </Row>
      {/* Optional paperwork: reached with Tab or the mouse; Enter keeps to the ledger's own fields. */}
      <Row gutter={16} data-enter-skip="">
        <DateFormField span={8} form={form} field="expiresOn" label={t.production.expiresOn} testId="batch-expires" />
        <TextField span={8} form={form} field="workOrderNo" label={t.production.workOrderNo} testId="batch-work-order" maxLength={50} />
        <DateFormField span={8} form={form} field="inspectedOn" label={t.production.inspectedOn} testId="batch-inspected" />
      </Row>
      <FormSection title={t.production.lotsSection} />
      <Field label={null} field="inputs" problems={form.problems} testId="batch-inputs" extra={t.production.usedHint}>
        <LotLines
          lines={v.inputs}
          onChange={(inputs) => form.set({ inputs })}
          balances={check?.lots ?? []}
          problems={form.problems}
          exceptBatch={editing?.id ?? null}
          known={known}
        />
      </Field>
      <FormSection title={t.production.inspectionSection} />
      <Row gutter={16}>
        <InspectionField span={10} form={form} label={t.production.inspection} testId="batch-inspection" required />
        <SuggestField span={7} form={form} field="inspector" label={t.production.inspector} testId="batch-inspector" suggestions={hints?.inspectors ?? []} />
        <TextField span={7} form={form} field="reportNo" label={t.production.reportNo} testId="batch-report" />
      </Row>
      <Attachments saved={editing?.attachments ?? []} {...attachments} testId="batch-attachments" />
    </EntryDrawer>
  );
}
