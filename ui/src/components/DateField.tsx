// A date field that types like text and opens a zh-CN calendar: the value is an ISO date string
// (`2025-03-01`), what the back end takes; typed dates also accept 2025/3/1.

import { DatePicker } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import "dayjs/locale/zh-cn";
import customParseFormat from "dayjs/plugin/customParseFormat";
import { useLanguage } from "../i18n";

dayjs.extend(customParseFormat);

const FORMATS = ["YYYY-MM-DD", "YYYY/M/D", "YYYY.M.D", "YYYYMMDD"];

interface Props {
  value: string;
  onChange: (value: string) => void;
  testId?: string;
  status?: "error" | "warning";
  disabled?: boolean;
  id?: string;
}

export function DateField({ value, onChange, testId, status, disabled, id }: Props) {
  const language = useLanguage();
  dayjs.locale(language === "en" ? "en" : "zh-cn");
  const parsed = value ? dayjs(value, "YYYY-MM-DD", true) : null;
  return (
    <DatePicker
      id={id}
      value={parsed && parsed.isValid() ? parsed : null}
      format={FORMATS}
      allowClear={false}
      status={status}
      disabled={disabled}
      onChange={(d: Dayjs | null) => onChange(d ? d.format("YYYY-MM-DD") : "")}
      data-testid={testId}
      className="date-field"
    />
  );
}

/** Today as the ISO date the back end takes (local time). */
export function todayIso(): string {
  return dayjs().format("YYYY-MM-DD");
}
