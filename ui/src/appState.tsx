// The app-wide state: the `AppStatus` the back end reported last, and the actions that replace it.

import { createContext, useContext } from "react";
import type { AppStatus, Language } from "./api";

export interface AppState {
  status: AppStatus;
  /** Replace the status with a newer one the back end returned. */
  setStatus: (status: AppStatus) => void;
  /** Switch the UI language (saved by the back end) and re-render everything in it. */
  switchLanguage: (language: Language) => void;
}

export const AppStateContext = createContext<AppState | null>(null);

export function useAppState(): AppState {
  const state = useContext(AppStateContext);
  if (!state) throw new Error("useAppState() outside <AppStateContext.Provider>");
  return state;
}
