// The back-end operations of spreadsheet import (导入). `Backend` extends this interface (see
// backend.ts), built by `commands.ts` over Tauri or the replay of goldens.

import type { PickedFile } from "./backend";
import type { ImportCommitInput } from "./bindings/ImportCommitInput";
import type { ImportCommitResult } from "./bindings/ImportCommitResult";
import type { ImportFileInfo } from "./bindings/ImportFileInfo";
import type { ImportFixInput } from "./bindings/ImportFixInput";
import type { ImportFixResult } from "./bindings/ImportFixResult";
import type { ImportKind } from "./bindings/ImportKind";
import type { ImportPreview } from "./bindings/ImportPreview";
import type { ImportPreviewInput } from "./bindings/ImportPreviewInput";
import type { ImportProgress } from "./bindings/ImportProgress";
import type { ImportReadInput } from "./bindings/ImportReadInput";
import type { ImportReport } from "./bindings/ImportReport";
import type { ImportRow } from "./bindings/ImportRow";
import type { ImportRowsQuery } from "./bindings/ImportRowsQuery";
import type { ImportRun } from "./bindings/ImportRun";
import type { ImportTemplate } from "./bindings/ImportTemplate";
import type { ImportUndoResult } from "./bindings/ImportUndoResult";

export type { ImportCommitInput, ImportCommitResult, ImportFileInfo, ImportFixInput, ImportFixResult, ImportKind };
export type { ImportPreview, ImportPreviewInput, ImportProgress, ImportReadInput, ImportReport, ImportRow };
export type { ImportRowsQuery, ImportRun, ImportTemplate, ImportUndoResult };
export type { ImportColumn } from "./bindings/ImportColumn";
export type { ImportColumnChoice } from "./bindings/ImportColumnChoice";
export type { ImportConfidence } from "./bindings/ImportConfidence";
export type { ImportFieldInfo } from "./bindings/ImportFieldInfo";
export type { ImportMode } from "./bindings/ImportMode";
export type { ImportProblem } from "./bindings/ImportProblem";
export type { ImportRowFilter } from "./bindings/ImportRowFilter";
export type { ImportRowStatus } from "./bindings/ImportRowStatus";
export type { ImportStage } from "./bindings/ImportStage";
export type { ImportTableCount } from "./bindings/ImportTableCount";
export type { ImportUnknown } from "./bindings/ImportUnknown";
export type { ImportValue } from "./bindings/ImportValue";

/** A page of the problem grid. */
export interface ImportRowsPage {
  rows: ImportRow[];
  total: number;
}

/** The file types the import dialog offers. */
export const IMPORT_EXTENSIONS = ["xlsx", "xlsm", "xlsb", "xls", "ods", "csv", "tsv", "txt"];

export const IMPORT_KINDS: readonly ImportKind[] = ["receipt", "batch", "item", "shipment", "product", "party"];

export interface ImportApi {
  /** Opens a spreadsheet and lists its sheets; rejects with `unreadableFile` for a file that cannot be read. */
  importOpen(source: string): Promise<ImportFileInfo>;
  importPreview(input: ImportPreviewInput): Promise<ImportPreview>;
  /** Reads the sheet and checks every row against the database. Writes nothing. */
  importRead(input: ImportReadInput, onProgress: (progress: ImportProgress) => void): Promise<ImportReport>;
  /** Checks again with "create missing" switched. */
  importRecheck(sessionId: number, createMissing: boolean, onProgress: (progress: ImportProgress) => void): Promise<ImportReport>;
  importRows(query: ImportRowsQuery): Promise<ImportRowsPage>;
  /** Replaces a row with corrected values and checks it again. */
  importFixRow(input: ImportFixInput): Promise<ImportFixResult>;
  /** Writes the sheet with problem cells marked and a 问题说明 column to the `target` token's file; returns the path. */
  importExportProblems(sessionId: number, target: string, onProgress: (progress: ImportProgress) => void): Promise<string>;
  importCommit(input: ImportCommitInput, onProgress: (progress: ImportProgress) => void): Promise<ImportCommitResult>;
  /** Stops the session's running step; the step then rejects and writes nothing. */
  importCancel(sessionId: number): Promise<void>;
  importClose(sessionId: number): Promise<void>;
  importRuns(limit: number): Promise<ImportRun[]>;
  importUndo(runId: number, onProgress: (progress: ImportProgress) => void): Promise<ImportUndoResult>;
  importTemplate(kind: ImportKind, target: string): Promise<ImportTemplate>;
  /** The OS "open" dialog for a spreadsheet; `null` when cancelled. */
  chooseImportFile(title: string, filterName: string): Promise<PickedFile | null>;
  /** The OS "save as" dialog for an xlsx; `null` when cancelled. */
  chooseImportSavePath(title: string, defaultName: string, filterName: string): Promise<PickedFile | null>;
  /** Calls `handler` with the files dropped on the window (as tokens); resolves to an unsubscribe function. */
  onFileDrop(handler: (files: PickedFile[]) => void): Promise<() => void>;
}
