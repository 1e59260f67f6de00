// The current language's messages, from React context. Components call `useT()` and read
// properties: `t.nav.dashboard`. The language itself comes from `AppStatus.language`.

import { createContext, useContext, type ReactNode } from "react";
import type { Language } from "../api";
import en from "./en";
import zhCN, { type Messages } from "./zh-CN";

export type { Messages };

export const MESSAGES: Record<Language, Messages> = { "zh-CN": zhCN, en };

interface I18n {
  language: Language;
  t: Messages;
}

const I18nContext = createContext<I18n>({ language: "zh-CN", t: zhCN });

export function I18nProvider({ language, children }: { language: Language; children: ReactNode }) {
  return <I18nContext.Provider value={{ language, t: MESSAGES[language] }}>{children}</I18nContext.Provider>;
}

export function useT(): Messages {
  return useContext(I18nContext).t;
}

export function useLanguage(): Language {
  return useContext(I18nContext).language;
}
