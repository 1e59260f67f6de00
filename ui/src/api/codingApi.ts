// The back-end operations of coding (赋码): code forms, generation with progress, labels, void
// and reprint, the 码检查 box. `Backend` extends this interface (see backend.ts), so both
// `commands.ts` builds them, over Tauri or the replay of goldens.

import type { PickedFile } from "./backend";
import type { Allocation } from "./bindings/Allocation";
import type { CodeCheck } from "./bindings/CodeCheck";
import type { CodeEvent } from "./bindings/CodeEvent";
import type { CodeEventInput } from "./bindings/CodeEventInput";
import type { CodeGenerateInput } from "./bindings/CodeGenerateInput";
import type { CodeGenerateProgress } from "./bindings/CodeGenerateProgress";
import type { CodeGenerateSummary } from "./bindings/CodeGenerateSummary";
import type { CodePreview } from "./bindings/CodePreview";
import type { CodingBatch } from "./bindings/CodingBatch";
import type { ImportCodesInput } from "./bindings/ImportCodesInput";
import type { ImportCodesReport } from "./bindings/ImportCodesReport";
import type { LabelPreview } from "./bindings/LabelPreview";
import type { LabelPreviewInput } from "./bindings/LabelPreviewInput";
import type { LabelSheetInput } from "./bindings/LabelSheetInput";
import type { LabelSheetResult } from "./bindings/LabelSheetResult";
import type { ProductCoding } from "./bindings/ProductCoding";
import type { ProductCodingInput } from "./bindings/ProductCodingInput";

export type {
  Allocation,
  CodeCheck,
  CodeEvent,
  CodeEventInput,
  CodeGenerateInput,
  CodeGenerateProgress,
  CodeGenerateSummary,
  CodePreview,
  CodingBatch,
  ImportCodesInput,
  ImportCodesReport,
  LabelPreview,
  LabelPreviewInput,
  LabelSheetInput,
  LabelSheetResult,
  ProductCoding,
  ProductCodingInput,
};
export type { CodeCheckProblem } from "./bindings/CodeCheckProblem";
export type { CodeForm } from "./bindings/CodeForm";
export type { ExportFormat } from "./bindings/ExportFormat";
export type { LabelSymbology } from "./bindings/LabelSymbology";
export type { PreviewCode } from "./bindings/PreviewCode";
export type { SerialMode } from "./bindings/SerialMode";

export interface CodingApi {
  /** The verdict on any typed or scanned code (GS1, Digital Link, Ecode, CCC, USCC…). */
  checkCode(text: string): Promise<CodeCheck>;
  codingProducts(): Promise<ProductCoding[]>;
  saveProductCoding(productId: number, input: ProductCodingInput): Promise<ProductCoding>;
  codingBatches(productId: number): Promise<CodingBatch[]>;
  previewCodes(productId: number, batchId: number | null, count: number): Promise<CodePreview>;
  /**
   * Reserves and writes codes to the `target` token's file (`null`: into the data folder's `exports/`);
   * `input.path` is ignored.
   * `onProgress` is called every few thousand codes; `cancelGeneration(input.jobId)` stops it.
   */
  generateCodes(input: CodeGenerateInput, target: string | null, onProgress: (progress: CodeGenerateProgress) => void): Promise<CodeGenerateSummary>;
  cancelGeneration(jobId: string): Promise<boolean>;
  codeAllocations(productId: number | null, batchId: number | null): Promise<Allocation[]>;
  /** Writes an earlier range again (same serials); `target` null: the data folder's `exports/`. */
  exportAllocation(allocationId: number, target: string | null): Promise<CodeGenerateSummary>;
  voidCode(input: CodeEventInput): Promise<CodeEvent>;
  reprintCode(input: CodeEventInput): Promise<CodeEvent>;
  codeEvents(productId: number | null): Promise<CodeEvent[]>;
  importIssuedCodes(input: ImportCodesInput, source: string): Promise<ImportCodesReport>;
  labelPreview(input: LabelPreviewInput): Promise<LabelPreview>;
  /** Writes an A4 PDF of labels into the data folder's `exports/` (the input's paths are ignored). */
  labelSheet(input: LabelSheetInput): Promise<LabelSheetResult>;
  /** Opens a file of the data folder (the label PDF) with the system's viewer; others are refused. */
  openFile(path: string): Promise<void>;
  /** OS "save as" for a code list or a label PDF; `null` when the clerk cancels. */
  chooseCodeFile(options: CodeFileDialog): Promise<PickedFile | null>;
  /** OS "open" for a list of issued codes (text or CSV); `null` when the clerk cancels. */
  chooseIssuedCodeList(options: CodeFileDialog): Promise<PickedFile | null>;
}

export interface CodeFileDialog {
  title: string;
  /** Suggested file name. */
  defaultPath?: string;
  filterName: string;
  extensions: string[];
}
