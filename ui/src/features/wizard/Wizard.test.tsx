import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { ApiError } from "../../api/bindings/ApiError";
import { recorded, renderApp as render } from "../../test/render";

// The wizard over the answers Rust gave (golden scenario `setup-wizard`, recorded by
// src-tauri/crates/app/src/golden/setup.rs).
const SCENARIO = "setup-wizard";
const renderWizard = () => render(SCENARIO);

const VALID = "91110000600037341L";
const WRONG_CHECK = "91110000600037341N";

/** Clicks "next" and waits until `step` is showing. */
async function toStep(step: "coding" | "platform") {
  fireEvent.click(screen.getByTestId("wizard-next"));
  await waitFor(() => expect(document.querySelector(".wizard-body")).toHaveAttribute("data-step", step));
}

async function fillEnterprise(name = "示例食品有限公司", uscc = VALID) {
  await screen.findByTestId("wizard");
  fireEvent.change(screen.getByTestId("enterprise-name"), { target: { value: name } });
  fireEvent.change(screen.getByTestId("enterprise-uscc"), { target: { value: uscc } });
}

describe("first-run wizard", () => {
  it("opens when the app is not set up, with the cursor in the enterprise name", async () => {
    renderWizard();
    await screen.findByTestId("wizard");
    await waitFor(() => expect(screen.getByTestId("enterprise-name")).toHaveFocus());
    expect(screen.queryByTestId("main-layout")).toBeNull();
  });

  it("shows the Chinese check-character error for a mistyped USCC", async () => {
    renderWizard();
    await fillEnterprise("某公司", WRONG_CHECK);
    const message = await screen.findByTestId("enterprise-uscc-message");
    expect(message).toHaveTextContent("第 18 位校验码应为“L”，实际为“N”");
    expect(screen.queryByTestId("enterprise-uscc-ok")).toBeNull();
  });

  it("warns, but lets the clerk go on, when only the inner organisation-code check fails", async () => {
    renderWizard();
    await fillEnterprise("某公司", "91110000600037342P");
    const message = await screen.findByTestId("enterprise-uscc-message");
    await waitFor(() => expect(message.closest(".ant-form-item")).toHaveClass("ant-form-item-has-warning"));
    expect(message).toHaveTextContent("代码照常保存");
    await toStep("coding");
  });

  it("shows the green state for a valid USCC", async () => {
    renderWizard();
    await fillEnterprise("某公司", VALID);
    await screen.findByTestId("enterprise-uscc-ok");
    const message = await screen.findByTestId("enterprise-uscc-message");
    expect(message).toHaveTextContent("统一社会信用代码校验通过");
    expect(message).toHaveAttribute("data-valid", "true");
    expect(message.closest(".ant-form-item")).toHaveClass("ant-form-item-has-success");
  });

  it("upper-cases the USCC as the clerk types, keeping the caret in place", async () => {
    renderWizard();
    await screen.findByTestId("wizard");
    const input = screen.getByTestId("enterprise-uscc") as HTMLInputElement;
    fireEvent.change(input, { target: { value: "91310115A1K3BTP2B" } });
    // The clerk notices the missing "M" and types it, in lower case, in the middle of the code:
    // what the browser does for that keystroke, then the input event React listens to.
    input.focus();
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
    setValue.call(input, "91310115mA1K3BTP2B");
    input.setSelectionRange(9, 9);
    fireEvent.input(input);
    expect(input).toHaveValue("91310115MA1K3BTP2B");
    expect(input.selectionStart).toBe(9);
    await screen.findByTestId("enterprise-uscc-ok");
  });

  it("does not move on without a name and a valid USCC", async () => {
    renderWizard();
    await screen.findByTestId("wizard");
    fireEvent.click(screen.getByTestId("wizard-next"));
    expect(await screen.findByTestId("enterprise-name-message")).toHaveTextContent("请填写企业名称");
    expect(await screen.findByTestId("enterprise-uscc-message")).toHaveTextContent("统一社会信用代码不能为空");
    expect(screen.getByTestId("enterprise-name")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId("enterprise-name")).toHaveFocus());
  });

  it("moves to the next field and then to the next step with Enter", async () => {
    const { user } = renderWizard();
    await fillEnterprise();
    await screen.findByTestId("enterprise-uscc-ok");
    const name = screen.getByTestId("enterprise-name");
    name.focus();
    await user.keyboard("{Enter}");
    expect(screen.getByTestId("enterprise-uscc")).toHaveFocus();
    // The last field of the step (the production site) moves on to the next step.
    screen.getByTestId("enterprise-productionAddress").focus();
    await user.keyboard("{Enter}");
    await screen.findByTestId("scheme-gs1");
  });

  it("finishing with valid data calls complete_setup and shows the main layout", async () => {
    const { calls } = renderWizard();
    await fillEnterprise();
    await toStep("coding");

    fireEvent.click(screen.getByTestId("scheme-gs1"));
    fireEvent.change(screen.getByTestId("gs1-company-prefix"), { target: { value: "6901234" } });
    fireEvent.click(screen.getByTestId("coding-ccc"));
    fireEvent.click(screen.getByTestId("granularity-item"));
    await toStep("platform");

    expect(screen.getByTestId("platform-practice")).toHaveAttribute("data-checked", "true");
    fireEvent.click(screen.getByTestId("wizard-finish"));

    await screen.findByTestId("main-layout");
    expect(screen.getByTestId("header-enterprise-name")).toHaveTextContent("示例食品有限公司");
    expect(screen.getByTestId("header-practice-tag")).toHaveTextContent("练习模式");
    const setup = calls.filter((c) => c.command === "complete_setup");
    expect(setup).toHaveLength(1);
    expect((setup[0].args as { input: unknown }).input).toEqual({
      enterprise: { name: "示例食品有限公司", uscc: VALID, address: "", contact: "", phone: "", licenceNo: "", productionAddress: "" },
      coding: { scheme: "gs1", ccc: true, granularity: "item", gs1CompanyPrefix: "6901234", ecodePrefix: "" },
      platform: { mode: "practice", url: "", appKey: "" },
    });
  });

  it("a server-side field error jumps back to the step holding the field", async () => {
    // The wizard's own check passes every code Rust would refuse, so Rust's refusal of a mistyped
    // code on "finish" (recorded) is handed to a code the check passed.
    const refusal = recorded(SCENARIO, "complete_setup", (a) => (a.input as { enterprise: { uscc: string } }).enterprise.uscc !== VALID).err as ApiError;
    const { backend } = renderWizard();
    backend.completeSetup = vi.fn().mockRejectedValue(refusal);
    await fillEnterprise();
    await toStep("coding");
    await toStep("platform");
    fireEvent.click(await screen.findByTestId("wizard-finish"));

    const message = await screen.findByTestId("enterprise-uscc-message");
    expect(message).toHaveTextContent("第 18 位校验码应为“L”，实际为“N”");
    expect(screen.queryByTestId("wizard-finish")).toBeNull();
    await waitFor(() => expect(screen.getByTestId("enterprise-uscc")).toHaveFocus());
    expect(screen.queryByTestId("main-layout")).toBeNull();
  });

  it("shows the platform's own validation under the URL field", async () => {
    renderWizard();
    await fillEnterprise();
    await toStep("coding");
    await toStep("platform");
    fireEvent.click(await screen.findByTestId("platform-remote"));
    fireEvent.change(screen.getByTestId("platform-url"), { target: { value: "http://example.com" } });
    fireEvent.change(screen.getByTestId("platform-app-key"), { target: { value: "k-1" } });
    fireEvent.click(screen.getByTestId("wizard-finish"));
    expect(await screen.findByTestId("platform-url-message")).toHaveTextContent("平台地址必须以 https:// 开头");
  });

  it("rejects a malformed company prefix before leaving the coding step", async () => {
    renderWizard();
    await fillEnterprise();
    fireEvent.click(screen.getByTestId("wizard-next"));
    fireEvent.change(await screen.findByTestId("gs1-company-prefix"), { target: { value: "69012" } });
    fireEvent.click(screen.getByTestId("wizard-next"));
    expect(await screen.findByTestId("gs1-company-prefix-message")).toHaveTextContent("7–12 位数字");
    expect(screen.queryByTestId("platform-practice")).toBeNull();
  });

  it("keeps what was typed when going back a step", async () => {
    renderWizard();
    await fillEnterprise("甲公司");
    fireEvent.click(screen.getByTestId("wizard-next"));
    await screen.findByTestId("scheme-ecode");
    fireEvent.click(screen.getByTestId("scheme-ecode"));
    expect(screen.getByTestId("ecode-prefix")).toBeInTheDocument();
    fireEvent.click(screen.getByTestId("wizard-back"));
    expect(await screen.findByTestId("enterprise-name")).toHaveValue("甲公司");
    fireEvent.click(screen.getByTestId("wizard-next"));
    expect(await screen.findByTestId("scheme-ecode")).toHaveAttribute("data-checked", "true");
  });

  it("switches the wizard to English", async () => {
    renderWizard();
    const wizard = await screen.findByTestId("wizard");
    await act(async () => {
      fireEvent.click(screen.getByTestId("lang-en"));
    });
    expect(within(wizard).getByText("First-time setup")).toBeInTheDocument();
    expect(screen.getByTestId("wizard-next")).toHaveTextContent("Next");
  });
});
