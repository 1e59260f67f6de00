// The trace chain as a graph: one column per kind of record, material flowing left to right from
// suppliers to customers, quantities on the links.

import { Background, Controls, MarkerType, ReactFlow, type Edge, type Node } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useMemo } from "react";
import type { TraceKind } from "../../api/bindings/TraceKind";
import type { TraceNode } from "../../api/bindings/TraceNode";
import type { TraceResult } from "../../api/bindings/TraceResult";
import { useT } from "../../i18n";
import { formatQuantity } from "../entry/format";

const COLUMN: Record<TraceKind, number> = {
  supplier: 0,
  "material-lot": 1,
  product: 2,
  batch: 2,
  item: 3,
  shipment: 4,
  customer: 5,
};

const COLOR: Record<TraceKind, string> = {
  supplier: "#7c3aed",
  "material-lot": "#0d9488",
  product: "#2563eb",
  batch: "#2563eb",
  item: "#0891b2",
  shipment: "#d97706",
  customer: "#db2777",
};

export function TraceGraph({ result, onOpen }: { result: TraceResult; onOpen: (node: TraceNode) => void }) {
  const t = useT();
  const { nodes, edges } = useMemo(() => {
    const all = [result.root, ...result.upstream, ...result.downstream];
    const rows = new Map<number, number>();
    const nodes: Node[] = all.map((n) => {
      const col = COLUMN[n.kind];
      const row = rows.get(col) ?? 0;
      rows.set(col, row + 1);
      const isRoot = n.key === result.root.key;
      return {
        id: n.key,
        position: { x: col * 230, y: row * 96 },
        data: {
          label: (
            <div className="trace-node" data-testid={`trace-node-${n.key}`}>
              <div className="trace-node-kind" style={{ color: COLOR[n.kind] }}>
                {t.trace.kinds[n.kind]}
              </div>
              <div className="trace-node-label">{n.label}</div>
              {(n.detail || n.party) && <div className="trace-node-detail">{n.detail || n.party}</div>}
            </div>
          ),
          node: n,
        },
        style: {
          width: 190,
          border: `${isRoot ? 3 : 1}px solid ${COLOR[n.kind]}`,
          borderRadius: 8,
          padding: 6,
          background: isRoot ? "#fffbe6" : "#fff",
        },
        sourcePosition: "right" as Node["sourcePosition"],
        targetPosition: "left" as Node["targetPosition"],
      };
    });
    const edges: Edge[] = result.edges.map((e) => ({
      id: `${e.from}>${e.to}`,
      source: e.from,
      target: e.to,
      label: e.quantity !== null ? formatQuantity(e.quantity, e.unit) : undefined,
      markerEnd: { type: MarkerType.ArrowClosed },
      style: { strokeWidth: 1.5 },
      labelStyle: { fontSize: 11 },
    }));
    return { nodes, edges };
  }, [result, t]);

  return (
    <div className="trace-graph" data-testid="trace-graph">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        fitView
        nodesDraggable={false}
        nodesConnectable={false}
        proOptions={{ hideAttribution: true }}
        onNodeClick={(_, node) => onOpen((node.data as { node: TraceNode }).node)}
        minZoom={0.2}
      >
        <Background gap={16} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
