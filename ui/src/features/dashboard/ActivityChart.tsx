// Records per day over the last 30 days, as stacked SVG bars (receipts, batches, shipments).

import type { DayCount } from "../../api/bindings/DayCount";
import { useT } from "../../i18n";

const COLORS = { receipts: "#0d9488", batches: "#2563eb", shipments: "#d97706" } as const;

export function ActivityChart({ days }: { days: DayCount[] }) {
  const t = useT();
  const width = 720;
  const height = 150;
  const bottom = 22;
  const max = Math.max(1, ...days.map((d) => d.receipts + d.batches + d.shipments));
  const bar = width / Math.max(days.length, 1);
  return (
    <div className="activity-chart" data-testid="dashboard-chart">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" height={height} role="img" aria-label={t.dash.chartTitle}>
        {days.map((d, i) => {
          let y = height - bottom;
          const x = i * bar + 2;
          const parts = (["receipts", "batches", "shipments"] as const).map((k) => {
            const h = (d[k] / max) * (height - bottom - 8);
            y -= h;
            return <rect key={k} x={x} y={y} width={bar - 4} height={h} fill={COLORS[k]} rx={1} />;
          });
          const total = d.receipts + d.batches + d.shipments;
          return (
            <g key={d.date}>
              <title>{`${d.date}：${t.dash.receipts} ${d.receipts}，${t.dash.batches} ${d.batches}，${t.dash.shipments} ${d.shipments}`}</title>
              {parts}
              {total > 0 && (
                <text x={x + (bar - 4) / 2} y={y - 2} fontSize={9} textAnchor="middle" fill="#666">
                  {total}
                </text>
              )}
              {(i % 5 === 0 || i === days.length - 1) && (
                <text x={x + (bar - 4) / 2} y={height - 6} fontSize={10} textAnchor="middle" fill="#888">
                  {d.date.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <div className="activity-legend">
        {(["receipts", "batches", "shipments"] as const).map((k) => (
          <span key={k}>
            <i style={{ background: COLORS[k] }} /> {t.dash[k]}
          </span>
        ))}
      </div>
    </div>
  );
}
