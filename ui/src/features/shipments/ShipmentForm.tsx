// 销售出库 form: customer, date, delivery note number, and lines of batches with quantities or
// scanned item codes (the CodeField at the top fills the lines).

import { App, Col, Form, Input, Row, Typography } from "antd";
import { useEffect, useState } from "react";
import { useBackend } from "../../api";
import type { BatchBalance } from "../../api/bindings/BatchBalance";
import type { EntryHints } from "../../api/bindings/EntryHints";
import type { ScanResult } from "../../api/bindings/ScanResult";
import type { Shipment } from "../../api/bindings/Shipment";
import type { ShipmentInput } from "../../api/bindings/ShipmentInput";
import { CodeField } from "../../components/CodeField";
import { DateField, todayIso } from "../../components/DateField";
import { useT } from "../../i18n";
import { Attachments } from "../entry/Attachments";
import { EntryDrawer } from "../entry/EntryDrawer";
import { Field } from "../entry/Field";
import { SuggestField, TextField } from "../entry/TextField";
import { focusField } from "../entry/useEntry";
import { useRecordForm } from "../entry/useRecordForm";
import { useSuggestion } from "../entry/useSuggestion";
import { ShipmentLines, filledLines, withTrailingBlank, type ShipLine } from "./ShipmentLines";

interface Draft extends Omit<ShipmentInput, "lines"> {
  lines: ShipLine[];
}

const toInput = (d: Draft): ShipmentInput => {
  const { lines, ...rest } = d;
  return { ...rest, lines: filledLines(lines) };
};

const blank = (keep?: Partial<Draft>): Draft => ({
  customerName: "",
  shippedOn: keep?.shippedOn ?? todayIso(),
  deliveryNoteNo: "",
  note: "",
  lines: withTrailingBlank([]),
});

interface Props {
  editing: Shipment | null;
  hints: EntryHints | null;
  onClose: () => void;
  onSaved: () => void;
}

export function ShipmentForm({ editing, hints, onClose, onSaved }: Props) {
  const t = useT();
  const backend = useBackend();
  const { message } = App.useApp();
  const [noteTouched, setNoteTouched] = useState(!!editing);
  const [known, setKnown] = useState<Map<number, BatchBalance>>(new Map());
  const { form, round, pending, setPending, readOnly, drawer } = useRecordForm<Draft, Shipment>({
    kind: "shipment",
    editing,
    initial: editing
      ? {
          customerName: editing.customerName,
          shippedOn: editing.shippedOn,
          deliveryNoteNo: editing.deliveryNoteNo,
          note: editing.note,
          lines: withTrailingBlank(editing.lines.map((l) => ({ batchId: l.batchId, itemId: l.itemId, serial: l.serial, quantity: l.quantity }))),
        }
      : blank(),
    next: blank,
    check: (d) => backend.checkShipment(toInput(d), editing?.id ?? null),
    add: (d) => backend.addShipment(toInput(d)),
    update: (id, d) => backend.updateShipment(id, toInput(d)),
    attachmentPurpose: "delivery-note",
    savedMessage: (s) => t.shipments.saved(s.deliveryNoteNo),
    onSaved,
    onClose,
    onNext: () => setNoteTouched(false),
  });
  const v = form.value;

  // The batches of an edited shipment, for their labels and balances.
  useEffect(() => {
    if (!editing) return;
    const lots = [...new Set(editing.lines.map((l) => l.lotNo))];
    Promise.all(lots.map((lot) => backend.searchBatches(lot, editing.id))).then(
      (found) => addKnown(found.flat()),
      () => undefined,
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [backend, editing]);

  // A new shipment gets the next free delivery note number for its date, until the clerk types one.
  useSuggestion({
    suggest: (b, date) => b.suggestDeliveryNote(date),
    date: v.shippedOn,
    touched: noteTouched,
    round,
    apply: (no) => form.setValue((d) => ({ ...d, deliveryNoteNo: no })),
  });

  const addKnown = (batches: BatchBalance[]) =>
    setKnown((k) => {
      const next = new Map(k);
      for (const b of batches) next.set(b.batchId, b);
      return next;
    });

  const onScan = (r: ScanResult) => {
    if (!r.batch) return;
    addKnown([r.batch]);
    const filled = v.lines.filter((l) => l.batchId !== null);
    if (r.item) {
      if (filled.some((l) => l.itemId === r.item!.id)) {
        message.warning(t.shipments.alreadyScanned(r.item.serial));
        return;
      }
      form.set({ lines: withTrailingBlank([...filled, { batchId: r.batch.batchId, itemId: r.item.id, serial: r.item.serial, quantity: 1 }]) });
      return;
    }
    form.set({ lines: withTrailingBlank([...filled, { batchId: r.batch.batchId, itemId: null, serial: null, quantity: null }]) });
    // The clerk types the quantity next.
    setTimeout(() => focusField(`lines.${filled.length}.quantity`), 50);
  };

  const fields = (
    <Form layout="vertical" component="div" className="entry-form" disabled={readOnly}>
      <Row gutter={16}>
        <Col span={12}>
          <SuggestField
            form={form}
            field="customerName"
            label={t.shipments.customer}
            testId="shipment-customer"
            required
            filter
            suggestions={(hints?.customers ?? []).map((c) => c.name)}
          />
        </Col>
        <Col span={6}>
          <Field label={t.shipments.shippedOn} field="shippedOn" problems={form.problems} testId="shipment-date" required>
            <DateField value={v.shippedOn} onChange={(d) => form.set({ shippedOn: d })} testId="shipment-date" />
          </Field>
        </Col>
        <Col span={6}>
          <Field label={t.shipments.deliveryNoteNo} field="deliveryNoteNo" problems={form.problems} testId="shipment-note-no" required>
            <Input
              value={v.deliveryNoteNo}
              onChange={(e) => {
                setNoteTouched(true);
                form.set({ deliveryNoteNo: e.target.value });
              }}
              data-testid="shipment-note-no"
            />
          </Field>
        </Col>
      </Row>
      <Typography.Title level={5} className="entry-section">
        {t.shipments.linesSection}
      </Typography.Title>
      <div className="ship-scan">
        <CodeField placeholder={t.shipments.scanPlaceholder} onScan={onScan} testId="shipment-scan" clearAfterScan />
      </div>
      <ShipmentLines
        lines={v.lines}
        onChange={(lines) => form.set({ lines })}
        problems={form.problems}
        exceptShipment={editing?.id ?? null}
        known={known}
        onKnown={addKnown}
      />
      <TextField form={form} field="note" label={t.receipts.note} testId="shipment-remark" />
      <Attachments saved={editing?.attachments ?? []} pending={pending} onPending={setPending} testId="shipment-attachments" />
    </Form>
  );

  return (
    <EntryDrawer
      open
      title={editing ? t.shipments.editTitle(editing.deliveryNoteNo) : t.shipments.newTitle}
      testId="shipment"
      {...drawer}
      width={820}
    >
      {fields}
    </EntryDrawer>
  );
}
