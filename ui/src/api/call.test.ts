// @vitest-environment node
import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

// Other node tests may have loaded the real module already (vitest keeps modules between files).
vi.resetModules();
const { call, toApiError } = await import("./call");

/** An internal error carrying `message` in both languages. */
const internal = (message: string, field: string | null = null) => ({ code: "internal", messageZh: message, messageEn: message, field });

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

  const thrownCases = [
    {
      name: "a bare string rejection (Tauri's own errors) to an internal error",
      command: "app_status",
      thrown: "command app_status not found",
      expected: internal("command app_status not found"),
    },
    {
      name: "a thrown Error",
      command: "app_status",
      thrown: new TypeError("window.__TAURI_INTERNALS__ is undefined"),
      expected: internal("window.__TAURI_INTERNALS__ is undefined"),
    },
    {
      name: "an object without a code, keeping its messages and field",
      command: "backup_database",
      thrown: { messageZh: "磁盘已满", field: "platform.url" },
      expected: internal("磁盘已满", "platform.url"),
    },
  ];
  for (const { name, command, thrown, expected } of thrownCases) {
    it(`normalises ${name}`, async () => {
      invoke.mockImplementation(async () => {
        throw thrown;
      });
      await expect(call(command)).rejects.toEqual(expected);
    });
  }

  it("uses `message` of a foreign error object and drops an unknown code", () => {
    expect(toApiError({ code: "platformOnFire", message: "boom" })).toEqual(internal("boom"));
  });

  it("keeps a known code even when the rest is missing", () => {
    expect(toApiError({ code: "storage" })).toEqual({ code: "storage", messageZh: "", messageEn: "", field: null });
  });

  it("turns null, undefined and numbers into internal errors", () => {
    expect(toApiError(null)).toEqual(internal(""));
    expect(toApiError(undefined).code).toBe("internal");
    expect(toApiError(42)).toEqual(internal("42"));
  });
});
