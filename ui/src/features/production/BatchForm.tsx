// 生产 form: product, lot number (suggested from the pattern), production date, quantity, the
// material lots consumed with their amounts and balances, factory inspection, inspector, report.

import { Col, Form, Input, InputNumber, Row, Select, Typography } from "antd";
import { useMemo, useState } from "react";
import { useBackend } from "../../api";
import type { Batch } from "../../api/bindings/Batch";
import type { BatchCheck } from "../../api/bindings/BatchCheck";
import type { BatchInput } from "../../api/bindings/BatchInput";
import type { EntryHints } from "../../api/bindings/EntryHints";
import { DateField, todayIso } from "../../components/DateField";
import { useT } from "../../i18n";
import { Attachments } from "../entry/Attachments";
import { EntryDrawer } from "../entry/EntryDrawer";
import { Field } from "../entry/Field";
import { SuggestField, TextField } from "../entry/TextField";
import { useRecordForm } from "../entry/useRecordForm";
import { useSuggestion } from "../entry/useSuggestion";
import { InspectionRadio } from "../receipts/ReceiptForm";
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
  inputs: withTrailingBlank(b.inputs.map((i) => ({ receiptId: i.lot.receiptId, quantity: i.quantity }))),
});

interface Props {
  editing: Batch | null;
  hints: EntryHints | null;
  onClose: () => void;
  onSaved: () => void;
}

export function BatchForm({ editing, hints, onClose, onSaved }: Props) {
  const t = useT();
  const backend = useBackend();
  const [lotTouched, setLotTouched] = useState(!!editing);
  const [check, setCheck] = useState<BatchCheck | null>(null);
  const { form, round, pending, setPending, readOnly, drawer } = useRecordForm<Draft, Batch>({
    kind: "batch",
    editing,
    initial: editing ? fromBatch(editing) : blank(),
    next: blank,
    check: async (d) => {
      const result = await backend.checkBatch(toInput(d), editing?.id ?? null);
      setCheck(result);
      return result.problems;
    },
    add: (d) => backend.addBatch(toInput(d)),
    update: (id, d) => backend.updateBatch(id, toInput(d)),
    attachmentPurpose: "inspection-report",
    savedMessage: (b) => t.production.saved(b.lotNo),
    onSaved,
    onClose,
    onNext: () => setLotTouched(false),
  });
  const v = form.value;

  // A new batch gets the next free lot number for its date, until the clerk types one.
  useSuggestion({
    suggest: (b, date) => b.suggestLot(date),
    date: v.producedOn,
    touched: lotTouched,
    round,
    apply: (lot) => form.setValue((d) => ({ ...d, lotNo: lot })),
  });

  const known = useMemo(() => editing?.inputs.map((i) => i.lot) ?? [], [editing]);
  const productOptions = (hints?.products ?? []).map((p) => ({
    value: p.id,
    label: `${p.name} ${p.model}`.trim(),
    search: `${p.name} ${p.model} ${p.gtin ?? ""}`,
  }));

  const fields = (
    <Form layout="vertical" component="div" className="entry-form" disabled={readOnly}>
      <Row gutter={16}>
        <Col span={12}>
          <Field label={t.production.product} field="productId" problems={form.problems} testId="batch-product" required>
            <Select
              showSearch={{ optionFilterProp: "search" }}
              value={v.productId ?? undefined}
              onChange={(value: number) => form.set({ productId: value })}
              options={productOptions}
              placeholder={t.production.productPlaceholder}
              data-testid="batch-product"
            />
          </Field>
        </Col>
        <Col span={12}>
          <Field
            label={t.production.lotNo}
            field="lotNo"
            problems={form.problems}
            testId="batch-lot-no"
            required
            extra={!lotTouched && hints ? t.production.lotSuggested(hints.lotPattern) : undefined}
          >
            <Input
              value={v.lotNo}
              onChange={(e) => {
                setLotTouched(true);
                form.set({ lotNo: e.target.value });
              }}
              data-testid="batch-lot-no"
            />
          </Field>
        </Col>
        <Col span={8}>
          <Field label={t.production.producedOn} field="producedOn" problems={form.problems} testId="batch-date" required>
            <DateField value={v.producedOn} onChange={(d) => form.set({ producedOn: d })} testId="batch-date" />
          </Field>
        </Col>
        <Col span={8}>
          <Field label={t.production.quantity} field="quantity" problems={form.problems} testId="batch-quantity" required>
            <InputNumber
              value={v.quantity}
              min={0}
              onChange={(value) => form.set({ quantity: typeof value === "number" ? value : null })}
              style={{ width: "100%" }}
              data-testid="batch-quantity"
            />
          </Field>
        </Col>
        <Col span={8}>
          <SuggestField
            form={form}
            field="unit"
            label={t.receipts.unit}
            testId="batch-unit"
            required
            suggestions={[...new Set([...(hints?.units ?? []), "台", "个", "套", "卷", "件"])]}
          />
        </Col>
      </Row>
      <Typography.Title level={5} className="entry-section">
        {t.production.lotsSection}
      </Typography.Title>
      <Field label={null} field="inputs" problems={form.problems} testId="batch-inputs">
        <LotLines
          lines={v.inputs}
          onChange={(inputs) => form.set({ inputs })}
          balances={check?.lots ?? []}
          problems={form.problems}
          exceptBatch={editing?.id ?? null}
          known={known}
        />
      </Field>
      <Typography.Title level={5} className="entry-section">
        {t.production.inspectionSection}
      </Typography.Title>
      <Row gutter={16}>
        <Col span={10}>
          <Field label={t.production.inspection} field="inspectionResult" problems={form.problems} testId="batch-inspection" required>
            <InspectionRadio value={v.inspectionResult} onChange={(r) => form.set({ inspectionResult: r })} testId="batch-inspection" />
          </Field>
        </Col>
        <Col span={7}>
          <SuggestField
            form={form}
            field="inspector"
            label={t.production.inspector}
            testId="batch-inspector"
            suggestions={(hints?.inspectors ?? [])}
          />
        </Col>
        <Col span={7}>
          <TextField form={form} field="reportNo" label={t.production.reportNo} testId="batch-report" />
        </Col>
      </Row>
      <Attachments saved={editing?.attachments ?? []} pending={pending} onPending={setPending} testId="batch-attachments" />
    </Form>
  );

  return (
    <EntryDrawer
      open
      title={editing ? t.production.editTitle(editing.lotNo) : t.production.newTitle}
      testId="batch"
      {...drawer}
      width={820}
    >
      {fields}
    </EntryDrawer>
  );
}
