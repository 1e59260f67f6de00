// @vitest-environment node
import { describe, expect, it } from "vitest";
import { createFakeBackend, FAKE_PATHS, SAMPLE_SETUP } from "./fake";
import type { SetupInput } from "./bindings/SetupInput";

const setup = (patch: (input: SetupInput) => void): SetupInput => {
  const input = structuredClone(SAMPLE_SETUP);
  patch(input);
  return input;
};

describe("fake back end", () => {
  it("starts not set up, in Chinese, with in-memory paths", async () => {
    const status = await createFakeBackend().appStatus();
    expect(status).toMatchObject({ setUp: false, enterprise: null, language: "zh-CN", paths: FAKE_PATHS });
  });

  it.each<[string, (i: SetupInput) => void, string, string]>([
    ["missing name", (i) => (i.enterprise.name = "  "), "enterprise.name", "请填写企业名称"],
    ["bad USCC", (i) => (i.enterprise.uscc = "91110000600037341N"), "enterprise.uscc", "第 18 位校验码应为“L”"],
    ["bad prefix", (i) => (i.coding.gs1CompanyPrefix = "69A"), "coding.gs1CompanyPrefix", "厂商识别代码应为 7–12 位数字"],
    ["http URL", (i) => (i.platform = { mode: "remote", url: "http://example.com", appKey: "k" }), "platform.url", "https://"],
    ["no app key", (i) => (i.platform = { mode: "remote", url: "https://p.example.cn/", appKey: " " }), "platform.appKey", "请填写平台分配的 AppKey"],
  ])("complete_setup rejects %s with the field name", async (_, patch, field, zh) => {
    const backend = createFakeBackend();
    const error = await backend.completeSetup(setup(patch)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "invalidInput", field });
    expect((error as { messageZh: string }).messageZh).toContain(zh);
    expect((await backend.appStatus()).setUp).toBe(false);
  });

  it("complete_setup normalises what it saves", async () => {
    const backend = createFakeBackend();
    const status = await backend.completeSetup(
      setup((i) => {
        i.enterprise.uscc = " 91110000600037341l ";
        i.platform = { mode: "remote", url: "http://127.0.0.1:8080/", appKey: " key " };
      }),
    );
    expect(status.setUp).toBe(true);
    expect(status.enterprise?.uscc).toBe("91110000600037341L");
    expect(status.platform).toEqual({ mode: "remote", url: "http://127.0.0.1:8080", appKey: "key" });
  });

  it("restores a backup after keeping the current data", async () => {
    let clock = new Date("2025-11-25T06:30:00Z");
    const backend = createFakeBackend({ setUp: true, now: () => clock });
    const info = await backend.backupDatabase(null);
    expect(info.path).toBe(`${FAKE_PATHS.backupDir}/tracedesk-20251125T063000.sqlite3`);
    expect(typeof info.bytes).toBe("number");

    await backend.saveEnterprise({ ...SAMPLE_SETUP.enterprise, name: "新名字" });
    clock = new Date("2025-11-25T07:00:00Z");
    const status = await backend.restoreDatabase(info.path);
    expect(status.enterprise?.name).toBe(SAMPLE_SETUP.enterprise.name);

    const names = (await backend.listBackups()).map((b) => b.fileName);
    expect(names).toEqual(["pre-restore-20251125T070000.sqlite3", "tracedesk-20251125T063000.sqlite3"]);
  });

  it("refuses to restore a file that does not exist", async () => {
    const error = await createFakeBackend().restoreDatabase("/nowhere.sqlite3").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "unreadableFile", field: null });
  });

  it("does not let callers mutate its state through returned objects", async () => {
    const backend = createFakeBackend({ setUp: true });
    const status = await backend.appStatus();
    status.enterprise!.name = "mutated";
    expect((await backend.appStatus()).enterprise?.name).toBe(SAMPLE_SETUP.enterprise.name);
  });
});
