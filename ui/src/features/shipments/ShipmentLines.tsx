// The lines of a shipment: a batch and a quantity, or one scanned item. A blank line waits at the
// end for the next batch.

import { Tag, Typography } from "antd";
import { useBackend } from "../../api";
import type { BatchBalance } from "../../api/bindings/BatchBalance";
import type { FieldProblem } from "../../api/bindings/FieldProblem";
import { useT } from "../../i18n";
import { Field } from "../entry/Field";
import { formatQuantity } from "../entry/format";
import { InspectionTag } from "../entry/InspectionTag";
import { LinePicker, LineQuantity, RemoveLineButton, useLineSearch } from "../entry/LineParts";

export interface ShipLine {
  batchId: number | null;
  itemId: number | null;
  serial: string | null;
  quantity: number | null;
}

export const BLANK_LINE: ShipLine = { batchId: null, itemId: null, serial: null, quantity: null };

export function withTrailingBlank(lines: ShipLine[]): ShipLine[] {
  return [...lines.filter((l) => l.batchId !== null), BLANK_LINE];
}

export function filledLines(lines: ShipLine[]) {
  return lines
    .filter((l) => l.batchId !== null)
    .map((l) => ({ batchId: l.batchId, itemId: l.itemId, quantity: l.quantity }));
}

interface Props {
  lines: ShipLine[];
  onChange: (lines: ShipLine[]) => void;
  problems: readonly FieldProblem[];
  exceptShipment: number | null;
  /** Batches known to the form (scanned, or the edited shipment's). */
  known: Map<number, BatchBalance>;
  onKnown: (batches: BatchBalance[]) => void;
}

export function ShipmentLines({ lines, onChange, problems, exceptShipment, known, onKnown }: Props) {
  const t = useT();
  const backend = useBackend();
  const batches = useLineSearch((text) => backend.searchBatches(text, exceptShipment), onKnown);

  const update = (index: number, patch: Partial<ShipLine>) =>
    onChange(withTrailingBlank(lines.map((l, i) => (i === index ? { ...l, ...patch } : l))));

  let filled = -1;
  return (
    <div className="ship-lines" data-testid="shipment-lines">
      {lines.map((line, i) => {
        if (line.batchId !== null) filled += 1;
        const fi = line.batchId !== null ? filled : -1;
        const batch = line.batchId !== null ? known.get(line.batchId) : undefined;
        const selectOptions = [...(batch ? [batch] : []), ...batches.options.filter((o) => o.batchId !== line.batchId)].map((o) => ({
          value: o.batchId,
          label: `${o.lotNo} · ${o.productName}`,
          item: o,
        }));
        const thisNote = lines
          .filter((l) => l.batchId !== null && l.batchId === line.batchId)
          .reduce((s, l) => s + (l.quantity ?? 0), 0);
        return (
          <div key={i} className="ship-line" data-testid={`shipment-line-${i}`}>
            <Field
              label={i === 0 ? t.shipments.batch : undefined}
              field={fi >= 0 ? `lines.${fi}.batchId` : "lines"}
              problems={problems}
              testId={`shipment-batch-${i}`}
              className="ship-line-batch"
            >
              {line.itemId !== null ? (
                <div className="ship-line-item" data-testid={`shipment-item-${i}`}>
                  <Tag color="blue">{t.shipments.item}</Tag> {line.serial} · {batch?.lotNo}
                </div>
              ) : (
                <LinePicker<BatchBalance>
                  value={line.batchId}
                  placeholder={t.shipments.batchPlaceholder}
                  onChange={(value) => update(i, { batchId: value })}
                  search={batches}
                  options={selectOptions}
                  renderOption={(b) => (
                    <>
                      <b>{b.lotNo}</b> {b.productName} {b.productModel} · {b.producedOn} · {t.shipments.remaining}{" "}
                      {formatQuantity(b.remaining, b.unit)} <InspectionTag value={b.inspectionResult} />
                    </>
                  )}
                  testId={`shipment-batch-${i}`}
                />
              )}
            </Field>
            <LineQuantity
              label={i === 0 ? t.shipments.quantity : undefined}
              field={fi >= 0 ? `lines.${fi}.quantity` : "lines.none"}
              problems={problems}
              testId={`shipment-quantity-${i}`}
              className="ship-line-quantity"
              value={line.quantity}
              unit={batch?.unit}
              disabled={line.batchId === null || line.itemId !== null}
              onChange={(quantity) => update(i, { quantity })}
            />
            <div className="ship-line-balance">
              {batch && (
                <Typography.Text type={batch.remaining - thisNote < 0 ? "danger" : "secondary"} data-testid={`shipment-balance-${i}`}>
                  {t.shipments.balance(formatQuantity(batch.produced, batch.unit), formatQuantity(batch.remaining - thisNote, batch.unit))}
                </Typography.Text>
              )}
              {line.batchId !== null && <RemoveLineButton onClick={() => onChange(withTrailingBlank(lines.filter((_, j) => j !== i)))} />}
            </div>
          </div>
        );
      })}
    </div>
  );
}
