// 设置 → 测试连接, replaying answers recorded from the Rust side (src-tauri/crates/app,
// `connection::tests::records_the_answers_the_settings_screen_replays`): a real test against the
// practice platform, one with a wrong App Secret against a platform with its own credentials, and
// the error when no secret is saved.

import { fireEvent, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ApiError } from "../../api";
import { createFakeBackend } from "../../api/fake";
import refusedAnswer from "../../api/golden/platformTest-bad-signature.json";
import noSecretError from "../../api/golden/platformTest-no-secret-error.json";
import okAnswer from "../../api/golden/platformTest-ok.json";
import type { PlatformTest } from "../../api/submissionApi";
import { renderFakeApp } from "../../test/render";

const ok = okAnswer as PlatformTest;
const refused = refusedAnswer as PlatformTest;
const noSecret = noSecretError as ApiError;

async function openSettings(options: { answer?: () => Promise<PlatformTest>; english?: boolean } = {}) {
  const backend = createFakeBackend({ setUp: true });
  if (options.answer) backend.testPlatform = options.answer;
  if (options.english) await backend.setLanguage("en");
  const view = renderFakeApp({}, backend);
  await screen.findByTestId("main-layout");
  fireEvent.click(screen.getByTestId("nav-settings"));
  await screen.findByTestId("screen-settings");
  return view;
}

describe("settings: test connection", () => {
  it("tests the platform of the settings and shows its answer, Chinese first", async () => {
    const { backend } = await openSettings();
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
    expect(backend.calls.filter((c) => c.method === "testPlatform").map((c) => c.args)).toEqual([[null]]);
  });

  it("names refused credentials with the platform's own answer", async () => {
    await openSettings({ answer: async () => refused });
    fireEvent.click(screen.getByTestId("settings-platform-test-run"));
    const result = await screen.findByTestId("settings-platform-test-result");
    expect(result).toHaveAttribute("data-outcome", "bad-signature");
    const message = within(result).getByTestId("settings-platform-test-message");
    expect(message).toHaveTextContent(refused.messageZh);
    expect(message).toHaveTextContent("AppSecret");
    const answer = within(result).getByTestId("settings-platform-test-answer");
    expect(answer).toHaveTextContent("HTTP 401 bad-signature");
    expect(answer).toHaveTextContent(refused.problemDetail ?? "missing detail");
    expect(within(result).getByTestId("settings-platform-test-credentials")).toHaveTextContent("被拒绝");
  });

  it("speaks English when the UI is English", async () => {
    await openSettings({ answer: async () => refused, english: true });
    const button = screen.getByTestId("settings-platform-test-run");
    expect(button).toHaveTextContent("Test connection");
    fireEvent.click(button);
    const result = await screen.findByTestId("settings-platform-test-result");
    expect(within(result).getByTestId("settings-platform-test-message")).toHaveTextContent(refused.messageEn);
    expect(within(result).getByTestId("settings-platform-test-credentials")).toHaveTextContent("refused");
  });

  it("says what to do when there is nothing to test yet", async () => {
    await openSettings({ answer: () => Promise.reject(noSecret) });
    fireEvent.click(screen.getByTestId("settings-platform-test-run"));
    expect(await screen.findByTestId("settings-platform-test-error")).toHaveTextContent(noSecret.messageZh);
    expect(screen.queryByTestId("settings-platform-test-result")).toBeNull();
  });
});
