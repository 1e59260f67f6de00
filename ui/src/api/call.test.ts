// @vitest-environment node
import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

// Other node tests may have loaded the real module already (vitest keeps modules between files).
vi.resetModules();
const { call, toApiError } = await import("./call");

describe("call", () => {
  beforeEach(() => {
    invoke.mockReset();
  });

  it("passes the command name and arguments to invoke and returns its value", async () => {
    invoke.mockResolvedValue({ valid: true });
    await expect(call("check_uscc", { text: "x" })).resolves.toEqual({ valid: true });
    expect(invoke).toHaveBeenCalledWith("check_uscc", { text: "x" });
  });

  it("keeps a well-formed ApiError as it is", async () => {
    const error = { code: "invalidInput", messageZh: "请填写企业名称", messageEn: "enterprise name is required", field: "enterprise.name" };
    invoke.mockImplementation(async () => {
      throw error;
    });
    await expect(call("complete_setup")).rejects.toEqual(error);
  });

  it("normalises a bare string rejection (Tauri's own errors) to an internal error", async () => {
    invoke.mockImplementation(async () => {
      throw "command app_status not found";
    });
    await expect(call("app_status")).rejects.toEqual({
      code: "internal",
      messageZh: "command app_status not found",
      messageEn: "command app_status not found",
      field: null,
    });
  });

  it("normalises a thrown Error", async () => {
    invoke.mockImplementation(async () => {
      throw new TypeError("window.__TAURI_INTERNALS__ is undefined");
    });
    await expect(call("app_status")).rejects.toEqual({
      code: "internal",
      messageZh: "window.__TAURI_INTERNALS__ is undefined",
      messageEn: "window.__TAURI_INTERNALS__ is undefined",
      field: null,
    });
  });

  it("normalises an object without a code, keeping its messages and field", async () => {
    invoke.mockImplementation(async () => {
      throw { messageZh: "磁盘已满", field: "platform.url" };
    });
    await expect(call("backup_database")).rejects.toEqual({
      code: "internal",
      messageZh: "磁盘已满",
      messageEn: "磁盘已满",
      field: "platform.url",
    });
  });

  it("uses `message` of a foreign error object and drops an unknown code", () => {
    expect(toApiError({ code: "platformOnFire", message: "boom" })).toEqual({
      code: "internal",
      messageZh: "boom",
      messageEn: "boom",
      field: null,
    });
  });

  it("keeps a known code even when the rest is missing", () => {
    expect(toApiError({ code: "storage" })).toEqual({ code: "storage", messageZh: "", messageEn: "", field: null });
  });

  it("turns null, undefined and numbers into internal errors", () => {
    expect(toApiError(null)).toEqual({ code: "internal", messageZh: "", messageEn: "", field: null });
    expect(toApiError(undefined).code).toBe("internal");
    expect(toApiError(42)).toEqual({ code: "internal", messageZh: "42", messageEn: "42", field: null });
  });
});
