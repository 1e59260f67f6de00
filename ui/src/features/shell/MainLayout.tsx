// The main window: sidebar, header (app name, enterprise, practice-mode tag, language) and the
// current screen. Which screen is open is kept by the caller, in memory only.

import { Layout, Menu, Tag, Tooltip } from "antd";
import { useEffect, useState, type ReactNode } from "react";
import { useBackend } from "../../api";
import { useAppState } from "../../appState";
import { LanguageSwitch } from "../../components/LanguageSwitch";
import { useT } from "../../i18n";
import { Archive } from "../archive/Archive";
import { Coding } from "../coding/Coding";
import { Dashboard } from "../dashboard/Dashboard";
import { Parties } from "../parties/Parties";
import { Production } from "../production/Production";
import { Products } from "../products/Products";
import { Receipts } from "../receipts/Receipts";
import { ImportWizard } from "../import/ImportWizard";
import { Settings } from "../settings/Settings";
import { Shipments } from "../shipments/Shipments";
import { Submission } from "../submission/Submission";
import { Trace } from "../trace/Trace";
import { SCREEN_ICONS, SCREENS, isScreenKey, type ScreenKey } from "./screens";
import { useAutoBackup } from "./useAutoBackup";

interface Props {
  screen: ScreenKey;
  onNavigate: (screen: ScreenKey) => void;
}

/** Each screen's element; some can send the clerk to another screen. */
const SCREEN_ELEMENTS: Record<ScreenKey, (onNavigate: (screen: ScreenKey) => void) => ReactNode> = {
  dashboard: (onNavigate) => <Dashboard onNavigate={onNavigate} />,
  coding: (onNavigate) => <Coding onNavigate={onNavigate} />,
  settings: () => <Settings />,
  products: () => <Products />,
  parties: () => <Parties />,
  receipts: () => <Receipts />,
  production: () => <Production />,
  shipments: () => <Shipments />,
  trace: () => <Trace />,
  submission: (onNavigate) => <Submission onNavigate={onNavigate} />,
  archive: () => <Archive />,
  import: () => <ImportWizard />,
};

export function MainLayout({ screen, onNavigate }: Props) {
  const t = useT();
  const { status, switchLanguage } = useAppState();
  useAutoBackup();
  const practice = status.platform?.mode === "practice";
  const newVersion = useStartupUpdateCheck();

  return (
    <Layout data-testid="main-layout" className="main-layout">
      <Layout.Header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden>
            溯
          </span>
          <span className="brand-name" data-testid="header-app-name">
            {t.app.name}
          </span>
        </div>
        <span className="header-divider" aria-hidden />
        {/* The clipping box and the test id are on different elements: WebKit's WebDriver reports
            no text for an element that itself has `overflow: hidden`. */}
        <span className="header-enterprise" title={status.enterprise?.name}>
          <span data-testid="header-enterprise-name">{status.enterprise?.name}</span>
        </span>
        {practice && (
          <Tooltip title={t.header.practiceTip}>
            <Tag color="gold" className="practice-tag" data-testid="header-practice-tag">
              {t.header.practiceTag}
            </Tag>
          </Tooltip>
        )}
        <span className="header-spacer" />
        {newVersion && (
          <Tooltip title={t.update.availableTip}>
            <Tag color="blue" className="update-tag" data-testid="header-update-tag" onClick={() => onNavigate("settings")}>
              {t.update.available(newVersion)}
            </Tag>
          </Tooltip>
        )}
        <LanguageSwitch value={status.language} onChange={switchLanguage} />
      </Layout.Header>
      <Layout className="main-body">
        <Layout.Sider width={176} className="app-sider" theme="light">
          <Menu
            mode="inline"
            className="app-menu"
            selectedKeys={[screen]}
            onClick={({ key }) => {
              if (isScreenKey(key)) onNavigate(key);
            }}
            items={SCREENS.map((key) => ({
              key,
              icon: SCREEN_ICONS[key],
              label: t.nav[key],
              "data-testid": `nav-${key}`,
            }))}
          />
        </Layout.Sider>
        <Layout.Content className="app-content" key={screen}>
          {SCREEN_ELEMENTS[screen](onNavigate)}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

/**
 * Asks once, when the window opens, whether a newer version exists. Quiet: an offline PC or an
 * unreachable server shows nothing here (设置 → 检查更新 says why).
 */
function useStartupUpdateCheck(): string | null {
  const backend = useBackend();
  const [version, setVersion] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    backend
      .checkUpdate()
      .then((offer) => {
        if (live) setVersion(offer?.version ?? null);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [backend]);
  return version;
}
