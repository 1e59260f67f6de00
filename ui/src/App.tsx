// The root: loads `AppStatus`, then shows the first-run wizard or the main window, in the saved
// language (antd's own texts included).

import { App as AntApp, Alert, Button, ConfigProvider, Result, Spin } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { BackendContext, toApiError, useBackend, type ApiError, type AppStatus, type Backend, type Language } from "./api";
import { AppStateContext, type AppState } from "./appState";
import { useErrorNotice } from "./components/useErrorNotice";
import { MainLayout } from "./features/shell/MainLayout";
import type { ScreenKey } from "./features/shell/screens";
import { Wizard } from "./features/wizard/Wizard";
import { I18nProvider, useLanguage, useT } from "./i18n";
import { localMessage } from "./lib/apiError";
import { appTheme } from "./theme";

const ANTD_LOCALES = { "zh-CN": zhCN, en: enUS } as const;

type Load = { kind: "loading" } | { kind: "failed"; error: ApiError } | { kind: "ready"; status: AppStatus };

export default function App({ backend }: { backend: Backend }) {
  const [load, setLoad] = useState<Load>({ kind: "loading" });
  const language: Language = load.kind === "ready" ? load.status.language : "zh-CN";

  const fetchStatus = useCallback(() => {
    setLoad({ kind: "loading" });
    backend.appStatus().then(
      (status) => setLoad({ kind: "ready", status }),
      (reason) => setLoad({ kind: "failed", error: toApiError(reason) }),
    );
  }, [backend]);

  useEffect(fetchStatus, [fetchStatus]);

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  return (
    <BackendContext.Provider value={backend}>
      <I18nProvider language={language}>
        <ConfigProvider locale={ANTD_LOCALES[language]} theme={appTheme}>
          <AntApp className="app-root">
            {backend.kind !== "tauri" && <ReplayBanner />}
            {load.kind === "loading" && <Loading />}
            {load.kind === "failed" && <LoadFailed error={load.error} onRetry={fetchStatus} />}
            {load.kind === "ready" && (
              <Ready status={load.status} onStatus={(status) => setLoad({ kind: "ready", status })} />
            )}
          </AntApp>
        </ConfigProvider>
      </I18nProvider>
    </BackendContext.Provider>
  );
}

function Ready({ status, onStatus }: { status: AppStatus; onStatus: (status: AppStatus) => void }) {
  const backend = useBackend();
  const notifyError = useErrorNotice();
  // The last screen, in memory only: it survives a language switch or a restore, not a restart.
  const [screen, setScreen] = useState<ScreenKey>("dashboard");
  const latest = useRef(status);
  latest.current = status;

  const switchLanguage = useCallback(
    (language: Language) => {
      const before = latest.current;
      if (before.language === language) return;
      // Switch at once; the back end saves the choice and answers with the full status.
      onStatus({ ...before, language });
      backend.setLanguage(language).then(onStatus, (reason) => {
        onStatus({ ...latest.current, language: before.language });
        notifyError(reason);
      });
    },
    [backend, onStatus, notifyError],
  );

  const state: AppState = useMemo(() => ({ status, setStatus: onStatus, switchLanguage }), [status, onStatus, switchLanguage]);

  return (
    <AppStateContext.Provider value={state}>
      {status.setUp ? <MainLayout screen={screen} onNavigate={setScreen} /> : <Wizard />}
    </AppStateContext.Provider>
  );
}

function Loading() {
  const t = useT();
  return (
    <div className="center-screen" data-testid="app-loading">
      <Spin size="large" />
      <div className="center-text">{t.app.loading}</div>
    </div>
  );
}

function LoadFailed({ error, onRetry }: { error: ApiError; onRetry: () => void }) {
  const t = useT();
  const language = useLanguage();
  return (
    <div className="center-screen" data-testid="app-load-failed">
      <Result
        status="error"
        title={t.app.loadFailedTitle}
        subTitle={localMessage(error, language, t.errors.noDetail)}
        extra={
          <Button type="primary" onClick={onRetry}>
            {t.app.retry}
          </Button>
        }
      />
    </div>
  );
}

function ReplayBanner() {
  const t = useT();
  return <Alert banner type="info" title={t.app.fakeBackend} className="fake-banner" data-testid="fake-banner" />;
}
