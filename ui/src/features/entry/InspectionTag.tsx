import { Radio, Tag } from "antd";
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

/** The 合格 / 不合格 / 待检 buttons of a form. */
export function InspectionRadio({ value, onChange, testId }: { value: InspectionResult; onChange: (v: InspectionResult) => void; testId: string }) {
  const t = useT();
  return (
    <Radio.Group
      value={value}
      onChange={(e) => onChange(e.target.value as InspectionResult)}
      optionType="button"
      buttonStyle="solid"
      options={inspectionFilter(t)}
      data-testid={testId}
    />
  );
}
