// The back-end operations of submission (报送) and the archive (档案). `Backend` extends this
// interface (see backend.ts), built by `commands.ts` over Tauri or the replay of goldens.

import type { ArchiveEntry } from "./bindings/ArchiveEntry";
import type { ArchivePage } from "./bindings/ArchivePage";
import type { ArchiveQuery } from "./bindings/ArchiveQuery";
import type { ArchiveVerification } from "./bindings/ArchiveVerification";
import type { Checklist } from "./bindings/Checklist";
import type { CredentialStatus } from "./bindings/CredentialStatus";
import type { ExportedFile } from "./bindings/ExportedFile";
import type { OutboxEntry } from "./bindings/OutboxEntry";
import type { OutboxPage } from "./bindings/OutboxPage";
import type { OutboxQuery } from "./bindings/OutboxQuery";
import type { PlatformTest } from "./bindings/PlatformTest";
import type { SubmitProgress } from "./bindings/SubmitProgress";
import type { SubmitRequest } from "./bindings/SubmitRequest";
import type { SubmitSummary } from "./bindings/SubmitSummary";

export type { ArchiveEntry, ArchivePage, ArchiveQuery, ArchiveVerification, Checklist, CredentialStatus, ExportedFile };
export type { OutboxEntry, OutboxPage, OutboxQuery, PlatformTest, SubmitProgress, SubmitRequest, SubmitSummary };
export type { PlatformTestOutcome } from "./bindings/PlatformTestOutcome";
export type { ChecklistItem } from "./bindings/ChecklistItem";
export type { QueueTarget } from "./bindings/QueueTarget";
export type { SubmissionLease } from "./bindings/SubmissionLease";
export type { ChecklistProblem } from "./bindings/ChecklistProblem";
export type { FixLink } from "./bindings/FixLink";
export type { OutboxCounts } from "./bindings/OutboxCounts";
export type { SubmitRecordResult } from "./bindings/SubmitRecordResult";
export type { SubmitStop } from "./bindings/SubmitStop";

export interface SubmissionApi {
  submissionChecklist(): Promise<Checklist>;
  /** Reports every record not yet accepted; `onProgress` is called after every request. */
  submitRecords(request: SubmitRequest, onProgress: (progress: SubmitProgress) => void): Promise<SubmitSummary>;
  cancelSubmission(): Promise<void>;
  listOutbox(query: OutboxQuery): Promise<OutboxPage>;
  retryRejected(ids: number[]): Promise<number>;
  openCorrection(id: number): Promise<OutboxEntry>;
  listArchive(query: ArchiveQuery): Promise<ArchivePage>;
  archiveEntry(id: number): Promise<ArchiveEntry>;
  verifyArchive(): Promise<ArchiveVerification>;
  /** `target`: a token from a save dialog; null: a new file in the data folder's `exports/`. */
  exportSubmissionReport(from: string, to: string, target: string | null): Promise<ExportedFile>;
  exportEvidencePack(from: string, to: string, target: string | null): Promise<ExportedFile>;
  exportEpcis(target: string | null): Promise<ExportedFile>;
  exportUploadWorkbook(target: string | null): Promise<ExportedFile>;
  credentialStatus(): Promise<CredentialStatus>;
  savePlatformSecret(secret: string): Promise<CredentialStatus>;
  /** Tests the connection: `null` the platform of the settings, `"practice"`, or a base URL. */
  testPlatform(platform: string | null): Promise<PlatformTest>;
}
