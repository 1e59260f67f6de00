// Label printers in the in-memory back end. Every answer is one recorded from Rust
// (`app::printing_recordings`): the built-in profiles, a saved TSPL job, the BarTender data and a
// refused profile. The OS printers are test data.

import type { ApiError } from "./bindings/ApiError";
import type { PrintLabelsInput, PrintLabelsResult, PrinterProfileDto, PrintingApi, LabelDataExportResult } from "./printingApi";
import recordedProfiles from "./golden/printer-profiles-default.json";
import recordedSaved from "./golden/print-labels-tspl-saved.json";
import recordedLabelData from "./golden/label-data-export.json";
import recordedDpiRefusal from "./golden/printer-profile-dpi-error.json";

export interface FakePrintingControl {
  /** What the OS lists (CUPS queues, Windows printers). */
  printers: string[];
  /** The next `savePrinterProfile` is refused as Rust refuses a 600 dpi profile. */
  refuseNextSave: boolean;
  /** Jobs asked for, in order (labels and test labels). */
  jobs: { test: boolean; profile: string; printer: string | null }[];
}

export function createFakePrinting(): { api: PrintingApi; control: FakePrintingControl } {
  const control: FakePrintingControl = { printers: ["TSC_TE244", "Zebra_ZD421"], refuseNextSave: false, jobs: [] };
  const saved = new Map<string, PrinterProfileDto>();
  const answer = (printer: string | null): PrintLabelsResult => ({
    ...(recordedSaved as PrintLabelsResult),
    printer: printer ? printer : null,
  });
  const api: PrintingApi = {
    async printerProfiles() {
      return [...saved.values(), ...(recordedProfiles as PrinterProfileDto[])];
    },
    async savePrinterProfile(profile) {
      if (control.refuseNextSave) {
        control.refuseNextSave = false;
        throw recordedDpiRefusal as ApiError;
      }
      const kept = { ...profile, builtIn: false };
      saved.set(kept.name, kept);
      return kept;
    },
    async deletePrinterProfile(name) {
      saved.delete(name);
    },
    async osPrinters() {
      return control.printers;
    },
    async printLabels(input: PrintLabelsInput) {
      control.jobs.push({ test: false, profile: input.profile, printer: input.printer });
      return answer(input.printer);
    },
    async printTestLabel(input) {
      control.jobs.push({ test: true, profile: input.profile, printer: input.printer });
      return { ...answer(input.printer), labels: 1 };
    },
    async exportLabelData() {
      return recordedLabelData as LabelDataExportResult;
    },
  };
  return { api, control };
}
