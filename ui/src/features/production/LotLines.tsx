// The material lots a batch consumed: one line per lot (searched by supplier lot, material or
// supplier) with the amount used, and the lot's balance underneath. A blank line always waits at
// the end, so the clerk keeps typing lots without reaching for the mouse.

import { Typography } from "antd";
import { useState } from "react";
import { useBackend } from "../../api";
import type { FieldProblem } from "../../api/bindings/FieldProblem";
import type { LotBalance } from "../../api/bindings/LotBalance";
import { useT } from "../../i18n";
import { Field } from "../entry/Field";
import { formatQuantity } from "../entry/format";
import { InspectionTag } from "../entry/InspectionTag";
import { LinePicker, LineQuantity, RemoveLineButton, useLineSearch } from "../entry/LineParts";

export interface LotLine {
  receiptId: number | null;
  quantity: number | null;
}

interface Props {
  lines: LotLine[];
  onChange: (lines: LotLine[]) => void;
  /** Balances from the last check, before this batch. */
  balances: LotBalance[];
  problems: readonly FieldProblem[];
  exceptBatch: number | null;
  /** Lots already known (an edited batch's), so their labels show before any search. */
  known: LotBalance[];
}

/** Lines as the back end takes them: the blank ones dropped. */
export function filledLines(lines: LotLine[]) {
  return lines.filter((l): l is { receiptId: number; quantity: number | null } => l.receiptId !== null);
}

/** Keeps exactly one blank line at the end. */
export function withTrailingBlank(lines: LotLine[]): LotLine[] {
  const filled = lines.filter((l) => l.receiptId !== null);
  return [...filled, { receiptId: null, quantity: null }];
}

export function LotLines({ lines, onChange, balances, problems, exceptBatch, known }: Props) {
  const t = useT();
  const backend = useBackend();
  const [cache, setCache] = useState<Map<number, LotBalance>>(() => new Map(known.map((k) => [k.receiptId, k])));
  const lots = useLineSearch(
    (text) => backend.searchLots(text, exceptBatch),
    (found) =>
      setCache((c) => {
        const next = new Map(c);
        for (const f of found) next.set(f.receiptId, f);
        return next;
      }),
  );

  const update = (index: number, patch: Partial<LotLine>) => {
    const next = lines.map((l, i) => (i === index ? { ...l, ...patch } : l));
    onChange(withTrailingBlank(next));
  };

  // Problems name lines by their index among the filled ones.
  let filledIndex = -1;
  return (
    <div className="lot-lines" data-testid="batch-lots">
      {lines.map((line, i) => {
        if (line.receiptId !== null) filledIndex += 1;
        const fi = line.receiptId !== null ? filledIndex : -1;
        const lot = line.receiptId !== null ? (balances.find((b) => b.receiptId === line.receiptId) ?? cache.get(line.receiptId)) : undefined;
        const selectOptions = [
          ...(lot ? [lot] : []),
          ...lots.options.filter((o) => o.receiptId !== line.receiptId),
        ].map((o) => ({
          value: o.receiptId,
          label: `${o.supplierLot} · ${o.material}`,
          item: o,
        }));
        return (
          <div key={i} className="lot-line" data-testid={`batch-lot-line-${i}`}>
            <Field
              label={i === 0 ? t.production.lot : undefined}
              field={fi >= 0 ? `inputs.${fi}.receiptId` : `inputs.new`}
              problems={problems}
              testId={`batch-lot-${i}`}
              className="lot-line-lot"
            >
              <LinePicker<LotBalance>
                value={line.receiptId}
                placeholder={t.production.lotPlaceholder}
                onChange={(value) => update(i, { receiptId: value })}
                search={lots}
                options={selectOptions}
                renderOption={(l) => (
                  <>
                    <b>{l.supplierLot}</b> {l.material} {l.spec} · {l.supplierName} · {t.production.remaining}{" "}
                    {formatQuantity(l.remaining, l.unit)} <InspectionTag value={l.inspectionResult} />
                  </>
                )}
                testId={`batch-lot-${i}`}
              />
            </Field>
            <LineQuantity
              label={i === 0 ? t.production.used : undefined}
              field={fi >= 0 ? `inputs.${fi}.quantity` : "inputs.none"}
              problems={problems}
              testId={`batch-lot-quantity-${i}`}
              className="lot-line-quantity"
              value={line.quantity}
              unit={lot?.unit}
              disabled={line.receiptId === null}
              onChange={(quantity) => update(i, { quantity })}
            />
            <div className="lot-line-balance">
              {lot && (
                <Typography.Text type={lot.remaining - (line.quantity ?? 0) < 0 ? "danger" : "secondary"} data-testid={`batch-lot-balance-${i}`}>
                  {t.production.balance(
                    formatQuantity(lot.received, lot.unit),
                    formatQuantity(lot.consumed, lot.unit),
                    formatQuantity(lot.remaining - (line.quantity ?? 0), lot.unit),
                  )}
                </Typography.Text>
              )}
              {line.receiptId !== null && <RemoveLineButton onClick={() => onChange(withTrailingBlank(lines.filter((_, j) => j !== i)))} />}
            </div>
          </div>
        );
      })}
    </div>
  );
}
