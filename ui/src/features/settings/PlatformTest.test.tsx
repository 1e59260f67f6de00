// 设置 → 测试连接 over Rust's answers (src-tauri/crates/app/src/golden/care.rs): the built-in
// practice platform, a real platform (the simulator on 127.0.0.1) refusing a wrong App Secret, in
// Chinese and in English, and the error when no App Secret is saved.

import { fireEvent, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ApiError } from "../../api";
import type { PlatformTest } from "../../api/submissionApi";
import { openScreen, recorded } from "../../test/render";

const answer = (name: string) => recorded(name, "test_platform");

const openSettings = (name: string) => openScreen("settings", name);

describe("settings: test connection", () => {
  it("tests the platform of the settings and shows its answer, Chinese first", async () => {
    const { calls } = await openSettings("platform-test-practice");
    const ok = answer("platform-test-practice").ok as PlatformTest;
    const button = screen.getByTestId("settings-platform-test-run");
    expect(button).toHaveTextContent("测试连接");
    fireEvent.click(button);
    const result = await screen.findByTestId("settings-platform-test-result");
    expect(result).toHaveAttribute("data-outcome", "ok");
    expect(within(result).getByTestId("settings-platform-test-message")).toHaveTextContent(ok.messageZh);
    expect(within(result).getByTestId("settings-platform-test-url")).toHaveTextContent(`${ok.url}（练习模式）`);
    expect(within(result).getByTestId("settings-platform-test-answer")).toHaveTextContent(
      `HTTP 404 not-found — ${ok.problemTitle}：${ok.problemDetail}`,
    );
    expect(within(result).getByTestId("settings-platform-test-rtt")).toHaveTextContent(`${ok.roundTripMs} ms`);
    expect(within(result).getByTestId("settings-platform-test-skew")).toHaveTextContent("0 秒（与平台一致）");
    expect(within(result).getByTestId("settings-platform-test-credentials")).toHaveTextContent("有效");
    expect(calls.filter((c) => c.command === "test_platform").map((c) => c.args)).toEqual([{ platform: null }]);
  }, 30_000);

  it("names refused credentials with the platform's own answer", async () => {
    await openSettings("platform-test-refused");
    const refused = answer("platform-test-refused").ok as PlatformTest;
    fireEvent.click(screen.getByTestId("settings-platform-test-run"));
    const result = await screen.findByTestId("settings-platform-test-result");
    expect(result).toHaveAttribute("data-outcome", "bad-signature");
    const message = within(result).getByTestId("settings-platform-test-message");
    expect(message).toHaveTextContent(refused.messageZh);
    expect(message).toHaveTextContent("AppSecret");
    const platformAnswer = within(result).getByTestId("settings-platform-test-answer");
    expect(platformAnswer).toHaveTextContent("HTTP 401 bad-signature");
    expect(platformAnswer).toHaveTextContent(refused.problemDetail ?? "missing detail");
    expect(within(result).getByTestId("settings-platform-test-credentials")).toHaveTextContent("被拒绝");
  }, 30_000);

  it("speaks English when the UI is English", async () => {
    await openSettings("platform-test-refused-en");
    const refused = answer("platform-test-refused-en").ok as PlatformTest;
    const button = screen.getByTestId("settings-platform-test-run");
    expect(button).toHaveTextContent("Test connection");
    fireEvent.click(button);
    const result = await screen.findByTestId("settings-platform-test-result");
    expect(within(result).getByTestId("settings-platform-test-message")).toHaveTextContent(refused.messageEn);
    expect(within(result).getByTestId("settings-platform-test-credentials")).toHaveTextContent("refused");
  }, 30_000);

  it("says what to do when there is nothing to test yet", async () => {
    await openSettings("platform-test-no-secret");
    const noSecret = answer("platform-test-no-secret").err as ApiError;
    fireEvent.click(screen.getByTestId("settings-platform-test-run"));
    expect(await screen.findByTestId("settings-platform-test-error")).toHaveTextContent(noSecret.messageZh);
    expect(screen.queryByTestId("settings-platform-test-result")).toBeNull();
  }, 30_000);
});
