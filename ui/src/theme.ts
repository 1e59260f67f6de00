// The Ant Design theme: a calm blue, compact density for data entry, and a Chinese font stack.

import { theme, type ThemeConfig } from "antd";

export const FONT_FAMILY = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';

export const appTheme: ThemeConfig = {
  algorithm: theme.compactAlgorithm,
  token: {
    colorPrimary: "#1f5fbf",
    colorInfo: "#1f5fbf",
    colorLink: "#1f5fbf",
    colorBgLayout: "#f3f5f9",
    borderRadius: 6,
    fontFamily: FONT_FAMILY,
    fontSize: 14,
    fontSizeSM: 12,
    controlHeight: 32,
    // No animations: dialogs and messages appear and go at once. Snappier on the old office PCs
    // clerks use, and deterministic for the WebDriver suite (under Xvfb a closing dialog's
    // animation can keep covering the window for seconds).
    motion: false,
  },
  components: {
    Layout: {
      headerBg: "#ffffff",
      headerHeight: 48,
      headerPadding: "0 16px",
      siderBg: "#ffffff",
      bodyBg: "#f3f5f9",
    },
    Menu: {
      itemHeight: 38,
      itemMarginBlock: 2,
      itemBorderRadius: 6,
      activeBarBorderWidth: 0,
    },
    Card: {
      headerFontSize: 15,
    },
    Descriptions: {
      labelColor: "rgba(0, 0, 0, 0.55)",
    },
  },
};
