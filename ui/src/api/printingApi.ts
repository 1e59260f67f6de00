// The back-end operations of label printers (赋码 → 标签打印机). `Backend` extends this interface
// (see backend.ts). Profiles are checked, jobs rendered (ZPL, TSPL, one PDF page per label) and
// sent to the OS printer in Rust; the window only shows the answers.

import type { BarcodeModeDto } from "./bindings/BarcodeModeDto";
import type { LabelDataExportInput } from "./bindings/LabelDataExportInput";
import type { LabelDataExportResult } from "./bindings/LabelDataExportResult";
import type { PrintFormat } from "./bindings/PrintFormat";
import type { PrintLabelsInput } from "./bindings/PrintLabelsInput";
import type { PrintLabelsResult } from "./bindings/PrintLabelsResult";
import type { PrinterLanguageDto } from "./bindings/PrinterLanguageDto";
import type { PrinterProfileDto } from "./bindings/PrinterProfileDto";
import type { TestLabelInput } from "./bindings/TestLabelInput";

export type { BarcodeModeDto, LabelDataExportInput, LabelDataExportResult, PrintFormat, PrintLabelsInput };
export type { PrintLabelsResult, PrinterLanguageDto, PrinterProfileDto, TestLabelInput };

export interface PrintingApi {
  /** Saved profiles, plus a built-in default for a language that has none. */
  printerProfiles(): Promise<PrinterProfileDto[]>;
  /** Checks and saves (by name); the error names the field to fix. */
  savePrinterProfile(profile: PrinterProfileDto): Promise<PrinterProfileDto>;
  deletePrinterProfile(name: string): Promise<void>;
  /** The OS printers (CUPS queues, Windows printers). */
  osPrinters(): Promise<string[]>;
  /** Renders the job into exports/ and, when a printer is named, sends it raw. */
  printLabels(input: PrintLabelsInput): Promise<PrintLabelsResult>;
  printTestLabel(input: TestLabelInput): Promise<PrintLabelsResult>;
  /** One row per code for BarTender / NiceLabel, into exports/. */
  exportLabelData(input: LabelDataExportInput): Promise<LabelDataExportResult>;
}
