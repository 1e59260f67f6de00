// An in-memory back end that behaves like the Rust one (src-tauri/crates/app): same validation,
// same field names, same bilingual messages, same error codes. It serves `npm run dev` in a plain
// browser and the UI tests. Nothing here is shown as real data: paths start with `memory://`.

import type { ApiError } from "./bindings/ApiError";
import type { AppStatus } from "./bindings/AppStatus";
import type { BackupFile } from "./bindings/BackupFile";
import type { BackupInfo } from "./bindings/BackupInfo";
import type { CodingSettings } from "./bindings/CodingSettings";
import type { DataPaths } from "./bindings/DataPaths";
import type { DbCheck } from "./bindings/DbCheck";
import type { Enterprise } from "./bindings/Enterprise";
import type { EnterpriseInput } from "./bindings/EnterpriseInput";
import type { Language } from "./bindings/Language";
import type { PlatformSettings } from "./bindings/PlatformSettings";
import type { RestoreResult } from "./bindings/RestoreResult";
// Recorded from Rust (`app` test `a_backup_with_an_altered_archive_is_refused_unless_the_clerk_confirms`).
import recordedRestoreRefusal from "./golden/restore-archive-refused-error.json";
import recordedSchemaRefusal from "./golden/restore-schema-refused-error.json";
import recordedArchiveForced from "./golden/restore-archive-forced.json";
import recordedRestoreOk from "./golden/restore-ok.json";
import recordedSchemaForced from "./golden/restore-schema-forced.json";
// Recorded from Rust (`app` tests in care/tests.rs): backup status, automatic backup, About, diagnostics.
import recordedStatusNone from "./golden/backup-status-none.json";
import recordedStatusOff from "./golden/backup-status-off.json";
import recordedStatusRecent from "./golden/backup-status-recent.json";
import recordedStatusOverdue from "./golden/backup-status-overdue.json";
import recordedAutoBackup from "./golden/auto-backup-made.json";
import recordedAbout from "./golden/about.json";
import recordedDiagnostics from "./golden/diagnostics.json";
import recordedDiagnosticsWithData from "./golden/diagnostics-with-data.json";
import type { AboutInfo } from "./bindings/AboutInfo";
import type { AutoBackupResult } from "./bindings/AutoBackupResult";
import type { BackupStatus } from "./bindings/BackupStatus";
import type { DiagnosticsResult } from "./bindings/DiagnosticsResult";
import type { SetupInput } from "./bindings/SetupInput";
import type { UsccCheck } from "./bindings/UsccCheck";
import type { Backend, FileDialogOptions, PickedFile } from "./backend";
import { checkUsccText, parseUscc } from "./fakeUscc";
import { createFakeCoding } from "./fakeCoding";
import { createFakeEntries, type FakeEntriesControl } from "./fakeEntries";
import { createFakeImport, type FakeImportControl } from "./fakeImport";
import { createFakePrinting, type FakePrintingControl } from "./fakePrinting";
import { createReplayBackend, type Golden } from "./replay";
import type { SubmissionApi } from "./submissionApi";
import type { UpdatesApi } from "./updatesApi";
// Submission, the archive and updates are not imitated here: their screens' tests replay goldens.
// Screens still on this stand-in get Rust's answers for a set-up, empty database.
import recordedMainLayout from "./golden/main-layout.json";

const REPLAYED = [
  "submissionChecklist",
  "submitRecords",
  "cancelSubmission",
  "listOutbox",
  "retryRejected",
  "openCorrection",
  "listArchive",
  "archiveEntry",
  "verifyArchive",
  "exportSubmissionReport",
  "exportEvidencePack",
  "exportEpcis",
  "exportUploadWorkbook",
  "credentialStatus",
  "savePlatformSecret",
  "testPlatform",
  "checkUpdate",
  "downloadUpdate",
  "installUpdate",
] as const satisfies readonly (keyof SubmissionApi | keyof UpdatesApi)[];

/** What the fake database holds. */
interface FakeData {
  enterprise: Enterprise | null;
  coding: CodingSettings | null;
  platform: PlatformSettings | null;
  language: Language | null;
  setupDone: boolean;
}

interface StoredBackup {
  data: FakeData;
  bytes: number;
  modified: string;
  /** Its archive was altered (`alterBackupArchive`): the restore refuses it unless forced. */
  archiveAltered?: boolean;
  /** A guard trigger was dropped and one added (`alterBackupSchema`): refused unless forced. */
  schemaAltered?: boolean;
}

export interface FakeOptions {
  /** Milliseconds every call waits, to make loading states visible in dev. Default 0. */
  latencyMs?: number;
  /** Start with the wizard already completed, using a sample enterprise. */
  setUp?: boolean;
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
  /** What the "save as" dialog answers; default: a file outside the backup folder. `null` = cancel. */
  savePath?: string | null;
  /** What the "open" dialog answers; default: the last file saved with "save as", else cancel. */
  openPath?: string | null;
  /** Schema version the fake database reports. */
  schemaVersion?: number;
  /** The last backup is more than 2 days old (replays Rust's overdue answer once a backup exists). */
  backupOverdue?: boolean;
}

export const FAKE_PATHS: DataPaths = {
  database: "memory://tracedesk/tracedesk.sqlite3",
  dataDir: "memory://tracedesk",
  backupDir: "memory://tracedesk/backups",
};

/** The sample profile used by `setUp: true`. The USCC is the GB 32100 published example. */
export const SAMPLE_SETUP: SetupInput = {
  enterprise: {
    name: "示例食品有限公司",
    uscc: "91110000600037341L",
    address: "北京市示例区示例路 1 号",
    contact: "王丽",
    phone: "010-12345678",
  },
  coding: { scheme: "gs1", ccc: false, granularity: "batch", gs1CompanyPrefix: "6901234", ecodePrefix: "" },
  platform: { mode: "practice", url: "", appKey: "" },
};

function invalid(field: string, zh: string, en: string): ApiError {
  return { code: "invalidInput", messageZh: zh, messageEn: en, field };
}

function required(field: string, value: string, zhName: string, enName: string): string {
  const v = value.trim();
  if (v === "") throw invalid(field, `请填写${zhName}`, `${enName} is required`);
  return v;
}

function isLoopback(url: string): boolean {
  const i = url.indexOf("://");
  const rest = i >= 0 ? url.slice(i + 3) : url;
  let host = rest.split(/[/?]/)[0] ?? "";
  const colon = host.lastIndexOf(":");
  if (colon >= 0) host = host.slice(0, colon);
  return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
}

const clone = <T>(value: T): T => structuredClone(value);

/** A recorded answer with Rust's test data directory (`{dir}`) as the fake's. */
function inFakeDir<T>(recorded: unknown): T {
  return JSON.parse(JSON.stringify(recorded).replaceAll("{dir}", FAKE_PATHS.dataDir)) as T;
}

const pad = (n: number) => String(n).padStart(2, "0");
/** `paths::stamp`: UTC, safe in file names. */
function stamp(d: Date): string {
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(
    d.getUTCMinutes(),
  )}${pad(d.getUTCSeconds())}`;
}
/** RFC 3339 UTC without fractional seconds, as Rust's `time` writes it. */
const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

export interface FakeBackend extends Backend {
  readonly kind: "fake";
  /** Calls received, by method name, for assertions in tests. */
  readonly calls: { method: string; args: unknown[] }[];
  /** Test hooks of the fake entry data (fakeEntries.ts). */
  readonly entries: FakeEntriesControl;
  /** Test hooks of the fake spreadsheet import (fakeImport.ts). */
  readonly imports: FakeImportControl;
  /** Test hooks of the fake label printers (fakePrinting.ts). */
  readonly printing: FakePrintingControl;
  /** Alters the archive inside a stored backup, as someone editing the file would. */
  alterBackupArchive(path: string): void;
  /** Drops a guard trigger inside a stored backup and adds another, as someone editing it would. */
  alterBackupSchema(path: string): void;
}

export function createFakeBackend(options: FakeOptions = {}): FakeBackend {
  const now = options.now ?? (() => new Date());
  const schemaVersion = options.schemaVersion ?? 1;
  let data: FakeData = { enterprise: null, coding: null, platform: null, language: null, setupDone: false };
  const files = new Map<string, StoredBackup>();
  let lastSavedAs: string | null = null;
  let autoBackupOn = true;
  const calls: FakeBackend["calls"] = [];

  const status = (): AppStatus => ({
    setUp: data.setupDone && data.enterprise !== null,
    enterprise: data.enterprise,
    coding: data.coding,
    platform: data.platform,
    language: data.language ?? "zh-CN",
    paths: FAKE_PATHS,
    version: "0.1.0",
  });

  const validateEnterprise = (input: EnterpriseInput): Enterprise => {
    const name = required("enterprise.name", input.name, "企业名称", "enterprise name");
    const parsed = parseUscc(input.uscc);
    if (!parsed.ok) throw invalid("enterprise.uscc", parsed.zh, parsed.en);
    return {
      name,
      uscc: parsed.code,
      address: input.address.trim(),
      contact: input.contact.trim(),
      phone: input.phone.trim(),
      updatedAt: rfc3339(now()),
    };
  };

  const validateCoding = (input: CodingSettings): CodingSettings => {
    const coding = { ...input, gs1CompanyPrefix: input.gs1CompanyPrefix.trim(), ecodePrefix: input.ecodePrefix.trim() };
    const prefix = coding.gs1CompanyPrefix;
    if (coding.scheme === "gs1" && prefix !== "") {
      if (!/^[0-9]+$/.test(prefix) || prefix.length < 7 || prefix.length > 12) {
        throw invalid(
          "coding.gs1CompanyPrefix",
          `厂商识别代码应为 7–12 位数字（见《中国商品条码系统成员证书》），当前为“${prefix}”`,
          `the GS1 company prefix is 7-12 digits (see the GS1 China membership certificate), got ${JSON.stringify(prefix)}`,
        );
      }
    }
    return coding;
  };

  const validatePlatform = (input: PlatformSettings): PlatformSettings => {
    const platform = { ...input, url: input.url.trim().replace(/\/+$/, ""), appKey: input.appKey.trim() };
    if (platform.mode === "practice") return { ...platform, url: "", appKey: "" };
    const url = platform.url;
    const https = url.startsWith("https://") && url.length > "https://".length;
    const localHttp = url.startsWith("http://") && isLoopback(url);
    if (!https && !localHttp) {
      throw invalid(
        "platform.url",
        `平台地址必须以 https:// 开头（仅本机地址可用 http://），当前为“${url}”`,
        `the platform address must start with https:// (http:// only for this computer), got ${JSON.stringify(url)}`,
      );
    }
    required("platform.appKey", platform.appKey, "平台分配的 AppKey", "the app key issued by the platform");
    return platform;
  };

  const writeBackup = (path: string): BackupInfo => {
    const bytes = 32768 + JSON.stringify(data).length;
    files.set(path, { data: clone(data), bytes, modified: rfc3339(now()) });
    return { path, bytes: bytes, schemaVersion };
  };

  if (options.setUp) {
    data = {
      enterprise: validateEnterprise(SAMPLE_SETUP.enterprise),
      coding: clone(SAMPLE_SETUP.coding),
      platform: clone(SAMPLE_SETUP.platform),
      language: null,
      setupDone: true,
    };
  }

  const replayed = createReplayBackend(recordedMainLayout as Golden, { lenient: true });
  const recorded = Object.fromEntries(REPLAYED.map((name) => [name, replayed[name]])) as Pick<
    Backend,
    (typeof REPLAYED)[number]
  >;
  const printing = createFakePrinting();
  const entries = createFakeEntries(now, () => data.coding);
  const imports = createFakeImport(now);
  const impl: Omit<Backend, "kind" | "onFileDrop"> = {
    ...recorded,
    ...printing.api,
    ...createFakeCoding(now),
    ...entries.api,
    ...imports.api,
    async appStatus() {
      return status();
    },
    async checkUscc(text: string): Promise<UsccCheck> {
      return checkUsccText(text);
    },
    async completeSetup(input: SetupInput) {
      const enterprise = validateEnterprise(input.enterprise);
      const coding = validateCoding(input.coding);
      const platform = validatePlatform(input.platform);
      data = { ...data, enterprise, coding, platform, setupDone: true };
      return status();
    },
    async saveEnterprise(input: EnterpriseInput) {
      const enterprise = validateEnterprise(input);
      data = { ...data, enterprise };
      return enterprise;
    },
    async setLanguage(language: Language) {
      data = { ...data, language };
      return status();
    },
    async dbCheck(): Promise<DbCheck> {
      return { ok: true, integrity: ["ok"], schemaVersion, database: FAKE_PATHS.database };
    },
    async backupDatabase(path: string | null) {
      return writeBackup(path ?? `${FAKE_PATHS.backupDir}/tracedesk-${stamp(now())}.sqlite3`);
    },
    async listBackups(): Promise<BackupFile[]> {
      const prefix = `${FAKE_PATHS.backupDir}/`;
      return [...files.entries()]
        .filter(([path]) => path.startsWith(prefix) && path.endsWith(".sqlite3") && !path.slice(prefix.length).includes("/"))
        .map(([path, f]) => ({ path, fileName: path.slice(prefix.length), bytes: f.bytes, modified: f.modified }))
        .sort((a, b) => b.modified.localeCompare(a.modified) || b.fileName.localeCompare(a.fileName));
    },
    // The fake's file tokens are the paths themselves: there is no Rust side to keep them from the UI.
    async restoreDatabase(source: string, force = false) {
      return restore(source, force);
    },
    async restoreBackup(path: string, force = false) {
      return restore(path, force);
    },
    async autoBackup(): Promise<AutoBackupResult> {
      // The fake's backup folder is left alone, so each screen test keeps the backups it made.
      return inFakeDir<AutoBackupResult>(recordedAutoBackup);
    },
    async backupStatus() {
      return backupStatus();
    },
    async setAutoBackup(enabled: boolean) {
      autoBackupOn = enabled;
      return backupStatus();
    },
    async aboutInfo(): Promise<AboutInfo> {
      return inFakeDir<AboutInfo>(recordedAbout);
    },
    async exportDiagnostics(includeData: boolean): Promise<DiagnosticsResult> {
      return inFakeDir<DiagnosticsResult>(includeData ? recordedDiagnosticsWithData : recordedDiagnostics);
    },
    async openDataFolder() {},
    async chooseBackupDestination(dialog: FileDialogOptions) {
      const answer =
        options.savePath !== undefined ? options.savePath : `memory://elsewhere/${dialog.defaultPath ?? "tracedesk.sqlite3"}`;
      if (answer !== null) lastSavedAs = answer;
      return picked(answer);
    },
    async chooseBackupFile() {
      return picked(options.openPath !== undefined ? options.openPath : lastSavedAs);
    },
  };

  /** `App::backup_status`'s answers, recorded from Rust: off, no backup yet, recent or overdue. */
  function backupStatus(): BackupStatus {
    if (!autoBackupOn) return inFakeDir<BackupStatus>(recordedStatusOff);
    if (files.size === 0) return inFakeDir<BackupStatus>(recordedStatusNone);
    return inFakeDir<BackupStatus>(options.backupOverdue ? recordedStatusOverdue : recordedStatusRecent);
  }

  /** What `App::restore` answers, recorded from Rust with the file's path as `{path}`. */
  function recordedRefusal(refused: ApiError, path: string): ApiError {
    return {
      ...refused,
      messageZh: refused.messageZh.replace("{path}", path),
      messageEn: refused.messageEn.replace("{path}", path),
    };
  }

  function picked(path: string | null): PickedFile | null {
    return path === null ? null : { token: path, name: path };
  }

  function restore(path: string, force: boolean): RestoreResult {
    const file = files.get(path);
    if (!file) {
      throw {
        code: "unreadableFile",
        messageZh: `找不到备份文件 ${path}，请确认路径`,
        messageEn: `backup file ${path} not found; check the path`,
        field: null,
      } satisfies ApiError;
    }
    // `App::restore`'s answers, recorded from Rust: an altered schema is refused first, then an
    // altered archive, unless forced.
    if (file.schemaAltered && !force) throw recordedRefusal(recordedSchemaRefusal as ApiError, path);
    if (file.archiveAltered && !force) throw recordedRefusal(recordedRestoreRefusal as ApiError, path);
    // Like `store::Db::restore_with`: the current data goes to backups/pre-restore-<stamp> first.
    const preRestore = `${FAKE_PATHS.backupDir}/pre-restore-${stamp(now())}.sqlite3`;
    writeBackup(preRestore);
    data = clone(file.data);
    const answer = file.schemaAltered ? recordedSchemaForced : file.archiveAltered ? recordedArchiveForced : recordedRestoreOk;
    const fill = (text: string) => text.replace("{path}", path).replace("{preRestore}", preRestore);
    return {
      ...status(),
      ...(answer as Pick<RestoreResult, "forced" | "schemaVersion" | "schemaProblems" | "archive">),
      carried: { series: 0, allocations: 0, serials: 0, randomSerials: 0, products: 0, batches: 0 },
      preRestore,
      messageZh: fill(answer.messageZh),
      messageEn: fill(answer.messageEn),
    };
  }

  // Every call: recorded, delayed, and its result copied so callers cannot mutate the fake's state.
  const backend = {
    kind: "fake",
    calls,
    entries: entries.control,
    imports: imports.control,
    printing: printing.control,
    onFileDrop: imports.onFileDrop,
    alterBackupArchive(path: string) {
      const file = files.get(path);
      if (file) file.archiveAltered = true;
    },
    alterBackupSchema(path: string) {
      const file = files.get(path);
      if (file) file.schemaAltered = true;
    },
  } as unknown as FakeBackend;
  for (const [name, fn] of Object.entries(impl) as [keyof typeof impl, (...args: unknown[]) => Promise<unknown>][]) {
    (backend as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      calls.push({ method: name, args: args.map((a) => (typeof a === "function" ? "[function]" : clone(a))) });
      if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
      return clone(await fn(...args));
    };
  }
  return backend;
}
