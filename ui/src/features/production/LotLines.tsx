// The material lots a batch consumed: one line per lot (searched by supplier lot, material or
// supplier) with the amount used, and the lot's balance underneath. A blank line always waits at
// the end, so the clerk keeps typing lots without reaching for the mouse.

import { DeleteOutlined } from "@ant-design/icons";
import { Button, InputNumber, Select, Typography } from "antd";
import { useRef, useState } from "react";
import { useBackend } from "../../api";
import type { FieldProblem } from "../../api/bindings/FieldProblem";
import type { LotBalance } from "../../api/bindings/LotBalance";
import { useT } from "../../i18n";
import { Field } from "../entry/Field";
import { formatQuantity } from "../entry/format";
import { InspectionTag } from "../entry/InspectionTag";

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
  const [options, setOptions] = useState<LotBalance[]>([]);
  const [cache, setCache] = useState<Map<number, LotBalance>>(() => new Map(known.map((k) => [k.receiptId, k])));
  const seq = useRef(0);

  const search = (text: string) => {
    const mine = ++seq.current;
    if (text.trim() === "") {
      setOptions([]);
      return;
    }
    backend.searchLots(text, exceptBatch).then(
      (found) => {
        if (mine !== seq.current) return;
        setOptions(found);
        setCache((c) => {
          const next = new Map(c);
          for (const f of found) next.set(f.receiptId, f);
          return next;
        });
      },
      () => undefined,
    );
  };

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
          ...options.filter((o) => o.receiptId !== line.receiptId),
        ].map((o) => ({
          value: o.receiptId,
          label: `${o.supplierLot} · ${o.material}`,
          lot: o,
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
              <Select
                showSearch={{ filterOption: false, onSearch: search }}
                value={line.receiptId ?? undefined}
                placeholder={t.production.lotPlaceholder}
                onChange={(value: number) => update(i, { receiptId: value })}
                onBlur={() => setOptions([])}
                options={selectOptions}
                notFoundContent={null}
                optionRender={(o) => {
                  const l = (o.data as { lot: LotBalance }).lot;
                  return (
                    <div className="lot-option">
                      <b>{l.supplierLot}</b> {l.material} {l.spec} · {l.supplierName} · {t.production.remaining}{" "}
                      {formatQuantity(l.remaining, l.unit)} <InspectionTag value={l.inspectionResult} />
                    </div>
                  );
                }}
                data-testid={`batch-lot-${i}`}
              />
            </Field>
            <Field
              label={i === 0 ? t.production.used : undefined}
              field={fi >= 0 ? `inputs.${fi}.quantity` : "inputs.none"}
              problems={problems}
              testId={`batch-lot-quantity-${i}`}
              className="lot-line-quantity"
            >
              <InputNumber
                value={line.quantity}
                min={0}
                disabled={line.receiptId === null}
                onChange={(value) => update(i, { quantity: typeof value === "number" ? value : null })}
                addonAfter={lot?.unit}
                style={{ width: "100%" }}
                data-testid={`batch-lot-quantity-${i}`}
              />
            </Field>
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
              {line.receiptId !== null && (
                <Button
                  type="text"
                  size="small"
                  icon={<DeleteOutlined />}
                  tabIndex={-1}
                  onClick={() => onChange(withTrailingBlank(lines.filter((_, j) => j !== i)))}
                  aria-label={t.entry.remove}
                />
              )}
            </div>
          </div>
        );
      })}
    </div>
  );
}
