import { Tag } from "antd";
import type { InspectionResult } from "../../api/bindings/InspectionResult";
import { useT, type Messages } from "../../i18n";

const COLOR: Record<InspectionResult, string> = { pass: "green", fail: "red", pending: "gold" };

/** 合格 / 不合格 / 待检 as a coloured tag. */
export function InspectionTag({ value }: { value: InspectionResult | null }) {
  const t = useT();
  if (!value) return null;
  return <Tag color={COLOR[value]}>{t.entry.inspection[value]}</Tag>;
}

export function inspectionFilter(t: Messages) {
  return (["pass", "fail", "pending"] as const).map((r) => ({ value: r, label: t.entry.inspection[r] }));
}
