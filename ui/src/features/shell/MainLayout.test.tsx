import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderMainApp } from "../../test/render";

// Over Rust's answers (golden scenario `main-layout`, src-tauri/crates/app/src/golden/setup.rs).
const renderMainLayout = () => renderMainApp("main-layout");
import { SCREENS } from "./screens";

const sidebarLabels = () =>
  SCREENS.map((key) => screen.getByTestId(`nav-${key}`).textContent?.trim());

describe("main layout", () => {
  it("lists the screens in the sidebar in the agreed order", async () => {
    await renderMainLayout();
    expect(sidebarLabels()).toEqual([
      "工作台",
      "产品",
      "往来单位",
      "进货",
      "生产",
      "销售",
      "导入",
      "赋码",
      "报送",
      "档案",
      "追溯",
      "设置",
    ]);
    expect(screen.getByTestId("header-app-name")).toHaveTextContent("追溯通");
    expect(screen.getByTestId("header-enterprise-name")).toHaveTextContent("示例食品有限公司");
    expect(screen.getByTestId("header-practice-tag")).toHaveTextContent("练习模式");
    expect(screen.getByTestId("screen-dashboard")).toBeInTheDocument();
  });

  it("language switch changes the sidebar labels and is saved by the back end", async () => {
    const { calls } = await renderMainLayout();
    await act(async () => {
      fireEvent.click(screen.getByTestId("lang-en"));
    });
    await waitFor(() => expect(screen.getByTestId("nav-dashboard")).toHaveTextContent("Dashboard"));
    expect(sidebarLabels()).toEqual([
      "Dashboard",
      "Products",
      "Parties",
      "Receipts",
      "Production",
      "Shipments",
      "Import",
      "Coding",
      "Submission",
      "Archive",
      "Trace",
      "Settings",
    ]);
    expect(screen.getByTestId("header-practice-tag")).toHaveTextContent("Practice mode");
    expect(calls.some((c) => c.command === "set_language" && (c.args as { language: string }).language === "en")).toBe(true);

    await act(async () => {
      fireEvent.click(screen.getByTestId("lang-zh"));
    });
    await waitFor(() => expect(screen.getByTestId("nav-dashboard")).toHaveTextContent("工作台"));
  });

  it("opens the receipts list with its add button and keeps the screen across a language switch", async () => {
    await renderMainLayout();
    fireEvent.click(screen.getByTestId("nav-receipts"));
    const receipts = await screen.findByTestId("screen-receipts");
    expect(receipts).toHaveTextContent("进货查验");
    expect(within(receipts).getByTestId("receipts-new")).toHaveTextContent("新增进货");

    await act(async () => {
      fireEvent.click(screen.getByTestId("lang-en"));
    });
    await waitFor(() => expect(screen.getByTestId("screen-receipts")).toHaveTextContent("Material receipts"));
    expect(screen.getByTestId("receipts-new")).toHaveTextContent("New receipt");
  });

  it("every sidebar item opens its screen", async () => {
    await renderMainLayout();
    for (const key of SCREENS) {
      fireEvent.click(screen.getByTestId(`nav-${key}`));
      expect(await screen.findByTestId(`screen-${key}`)).toBeInTheDocument();
    }
  });

  it("the dashboard shows the real profile and the chosen scheme and granularity", async () => {
    await renderMainLayout();
    const dashboard = screen.getByTestId("screen-dashboard");
    expect(within(dashboard).getByTestId("summary-enterprise-uscc")).toHaveTextContent("91110000600037341L");
    expect(within(dashboard).getByTestId("summary-scheme")).toHaveTextContent("GS1 商品条码");
    expect(within(dashboard).getByTestId("summary-granularity")).toHaveTextContent("一批一码");
  });
});
