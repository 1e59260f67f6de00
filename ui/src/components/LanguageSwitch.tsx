// 中文 / English. The options carry `<prefix>-zh` and `<prefix>-en` test ids.

import { Segmented } from "antd";
import type { Language } from "../api";
import { useT } from "../i18n";

interface Props {
  value: Language;
  onChange: (language: Language) => void;
  testId?: string;
  optionTestIdPrefix?: string;
  size?: "small" | "middle" | "large";
}

export function LanguageSwitch({ value, onChange, testId = "lang-switch", optionTestIdPrefix = "lang", size = "small" }: Props) {
  const t = useT();
  return (
    <Segmented<Language>
      data-testid={testId}
      aria-label={t.lang.label}
      size={size}
      value={value}
      onChange={onChange}
      options={[
        { value: "zh-CN", label: <span data-testid={`${optionTestIdPrefix}-zh`} lang="zh-CN">{t.lang.zh}</span> },
        { value: "en", label: <span data-testid={`${optionTestIdPrefix}-en`} lang="en">{t.lang.en}</span> },
      ]}
    />
  );
}
