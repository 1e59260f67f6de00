// The screens of the main window, in sidebar order. Test ids: `nav-<key>` on the sidebar item,
// `screen-<key>` on the screen's root element.

import {
  ApartmentOutlined,
  AppstoreOutlined,
  AuditOutlined,
  CloudUploadOutlined,
  DashboardOutlined,
  ExperimentOutlined,
  FileExcelOutlined,
  InboxOutlined,
  QrcodeOutlined,
  SendOutlined,
  SettingOutlined,
  TeamOutlined,
} from "@ant-design/icons";
import type { ReactNode } from "react";

export const SCREENS = [
  "dashboard",
  "products",
  "parties",
  "receipts",
  "production",
  "shipments",
  "import",
  "coding",
  "submission",
  "archive",
  "trace",
  "settings",
] as const;

export type ScreenKey = (typeof SCREENS)[number];

export const SCREEN_ICONS: Record<ScreenKey, ReactNode> = {
  dashboard: <DashboardOutlined />,
  products: <AppstoreOutlined />,
  parties: <TeamOutlined />,
  receipts: <InboxOutlined />,
  production: <ExperimentOutlined />,
  shipments: <SendOutlined />,
  import: <FileExcelOutlined />,
  coding: <QrcodeOutlined />,
  submission: <CloudUploadOutlined />,
  archive: <AuditOutlined />,
  trace: <ApartmentOutlined />,
  settings: <SettingOutlined />,
};

export function isScreenKey(value: string): value is ScreenKey {
  return (SCREENS as readonly string[]).includes(value);
}
