// 销售出库 form: customer, date, delivery note number, and lines of batches with quantities or
// scanned item codes (the CodeField at the top fills the lines).

import { App, Row } from "antd";
import { useEffect, useState } from "react";
import { useBackend } from "../../api";
import type { BatchBalance } from "../../api/bindings/BatchBalance";
import type { ScanResult } from "../../api/bindings/ScanResult";
import type { Shipment } from "../../api/bindings/Shipment";
import type { ShipmentInput } from "../../api/bindings/ShipmentInput";
import { CodeField } from "../../components/CodeField";
import { todayIso } from "../../components/DateField";
import { useT } from "../../i18n";
import { Attachments } from "../entry/Attachments";
import { EntryDrawer } from "../entry/EntryDrawer";
import { FormSection } from "../entry/Field";
import { DateFormField, PartyNameField, TextField } from "../entry/TextField";
import { focusField } from "../entry/useEntry";
import { useRecordForm } from "../entry/useRecordForm";
import type { EntryFormProps } from "../entry/useEntryScreen";
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
  shipTo: "",
  lines: withTrailingBlank([]),
  orderNo: "",
  invoiceNo: "",
});

const fromShipment = (s: Shipment): Draft => ({
  customerName: s.customerName,
  shippedOn: s.shippedOn,
  deliveryNoteNo: s.deliveryNoteNo,
  note: s.note,
  shipTo: s.shipTo,
  orderNo: s.orderNo,
  invoiceNo: s.invoiceNo,
  lines: withTrailingBlank(s.lines.map((l) => ({ batchId: l.batchId, itemId: l.itemId, serial: l.serial, quantity: l.quantity }))),
});

export function ShipmentForm({ hints, ...props }: EntryFormProps<Shipment>) {
  const t = useT();
  const backend = useBackend();
  const { message } = App.useApp();
  const { editing } = props;
  const [known, setKnown] = useState<Map<number, BatchBalance>>(new Map());
  const { form, round, attachments, drawer } = useRecordForm<Draft, Shipment>(props, {
    kind: "shipment",
    fromRecord: fromShipment,
    blank,
    check: (d, id) => backend.checkShipment(toInput(d), id),
    add: (d) => backend.addShipment(toInput(d)),
    update: (id, d) => backend.updateShipment(id, toInput(d)),
    attachmentPurpose: "delivery-note",
    texts: t.shipments,
    label: (s) => s.deliveryNoteNo,
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
  const noteNo = useSuggestion({ suggest: (b, date) => b.suggestDeliveryNote(date), date: v.shippedOn, editing: !!editing, round, form, field: "deliveryNoteNo" });

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

  return (
    <EntryDrawer {...drawer} width={820}>
      <Row gutter={16}>
        <PartyNameField span={12} form={form} field="customerName" label={t.shipments.customer} testId="shipment-customer" parties={hints?.customers} />
        <DateFormField span={6} form={form} field="shippedOn" label={t.shipments.shippedOn} testId="shipment-date" required />
        <TextField span={6} form={form} field="deliveryNoteNo" label={t.shipments.deliveryNoteNo} testId="shipment-note-no" required onEdit={noteNo.edited} />
      </Row>
      {/* Optional paperwork: reached with Tab or the mouse; Enter keeps to the ledger's own fields. */}
      <Row gutter={16} data-enter-skip="">
        <TextField span={12} form={form} field="orderNo" label={t.shipments.orderNo} testId="shipment-order-no" maxLength={50} />
        <TextField span={12} form={form} field="invoiceNo" label={t.shipments.invoiceNo} testId="shipment-invoice-no" maxLength={50} />
      </Row>
      <FormSection title={t.shipments.linesSection} />
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
      <div data-enter-skip="">
        <TextField form={form} field="shipTo" label={t.shipments.shipTo} testId="shipment-ship-to" />
      </div>
      <TextField form={form} field="note" label={t.receipts.note} testId="shipment-remark" />
      <Attachments saved={editing?.attachments ?? []} {...attachments} testId="shipment-attachments" />
    </EntryDrawer>
  );
}
