// The back-end operations of master data, daily entry, trace, recall and the dashboard. Part of
// `Backend` (backend.ts); implemented by `commands.ts`, over Tauri or the replay of goldens.

import type { PickedFile } from "./backend";
import type { Attachment } from "./bindings/Attachment";
import type { Batch } from "./bindings/Batch";
import type { BatchBalance } from "./bindings/BatchBalance";
import type { BatchCheck } from "./bindings/BatchCheck";
import type { BatchInput } from "./bindings/BatchInput";
import type { CatalogueEntry } from "./bindings/CatalogueEntry";
import type { DashboardData } from "./bindings/DashboardData";
import type { EntryHints } from "./bindings/EntryHints";
import type { ExportResult } from "./bindings/ExportResult";
import type { FieldProblem } from "./bindings/FieldProblem";
import type { GtinCheck } from "./bindings/GtinCheck";
import type { GtinSuggestion } from "./bindings/GtinSuggestion";
import type { HistoryEntry } from "./bindings/HistoryEntry";
import type { ListQuery } from "./bindings/ListQuery";
import type { LotBalance } from "./bindings/LotBalance";
import type { Page } from "./bindings/Page";
import type { Party } from "./bindings/Party";
import type { PartyInput } from "./bindings/PartyInput";
import type { Product } from "./bindings/Product";
import type { ProductInput } from "./bindings/ProductInput";
import type { RecallDrill } from "./bindings/RecallDrill";
import type { RecallRequest } from "./bindings/RecallRequest";
import type { RecallResult } from "./bindings/RecallResult";
import type { Receipt } from "./bindings/Receipt";
import type { ReceiptInput } from "./bindings/ReceiptInput";
import type { RecordKind } from "./bindings/RecordKind";
import type { ScanResult } from "./bindings/ScanResult";
import type { Shipment } from "./bindings/Shipment";
import type { ShipmentInput } from "./bindings/ShipmentInput";
import type { TraceRef } from "./bindings/TraceRef";
import type { TraceResult } from "./bindings/TraceResult";

/** What a list export writes: which list and with which filters. */
export type ListKind = "products" | "parties" | "receipts" | "batches" | "shipments";

export interface EntriesBackend {
  productCatalogue(): Promise<CatalogueEntry[]>;
  listProducts(query: ListQuery): Promise<Page<Product>>;
  getProduct(id: number): Promise<Product>;
  checkProduct(input: ProductInput, id: number | null): Promise<FieldProblem[]>;
  addProduct(input: ProductInput): Promise<Product>;
  updateProduct(id: number, input: ProductInput): Promise<Product>;
  checkGtin(text: string): Promise<GtinCheck>;
  suggestGtin(): Promise<GtinSuggestion>;

  listParties(query: ListQuery): Promise<Page<Party>>;
  getParty(id: number): Promise<Party>;
  checkParty(input: PartyInput, id: number | null): Promise<FieldProblem[]>;
  addParty(input: PartyInput): Promise<Party>;
  updateParty(id: number, input: PartyInput): Promise<Party>;

  entryHints(): Promise<EntryHints>;
  listReceipts(query: ListQuery): Promise<Page<Receipt>>;
  getReceipt(id: number): Promise<Receipt>;
  checkReceipt(input: ReceiptInput, id: number | null): Promise<FieldProblem[]>;
  addReceipt(input: ReceiptInput): Promise<Receipt>;
  updateReceipt(id: number, input: ReceiptInput): Promise<Receipt>;
  searchLots(search: string, exceptBatch: number | null): Promise<LotBalance[]>;

  listBatches(query: ListQuery): Promise<Page<Batch>>;
  getBatch(id: number): Promise<Batch>;
  checkBatch(input: BatchInput, id: number | null): Promise<BatchCheck>;
  addBatch(input: BatchInput): Promise<Batch>;
  updateBatch(id: number, input: BatchInput): Promise<Batch>;
  suggestLot(producedOn: string): Promise<string>;
  searchBatches(search: string, exceptShipment: number | null): Promise<BatchBalance[]>;

  listShipments(query: ListQuery): Promise<Page<Shipment>>;
  getShipment(id: number): Promise<Shipment>;
  checkShipment(input: ShipmentInput, id: number | null): Promise<FieldProblem[]>;
  addShipment(input: ShipmentInput): Promise<Shipment>;
  updateShipment(id: number, input: ShipmentInput): Promise<Shipment>;
  suggestDeliveryNote(shippedOn: string): Promise<string>;

  addAttachments(kind: RecordKind, id: number, sources: string[], purpose: string): Promise<Attachment[]>;
  recordHistory(kind: RecordKind, id: number): Promise<HistoryEntry[]>;
  scanCode(text: string): Promise<ScanResult>;

  trace(text: string): Promise<TraceResult>;
  traceRef(target: TraceRef): Promise<TraceResult>;
  recall(request: RecallRequest): Promise<RecallResult>;
  recallDrills(): Promise<RecallDrill[]>;
  dashboard(): Promise<DashboardData>;

  /** `target`: a token from `chooseExportPath`; null: a new file in `<data dir>/exports/`, no dialog needed. */
  exportList(kind: ListKind, query: ListQuery, target: string | null): Promise<ExportResult>;
  exportTrace(result: TraceResult, target: string | null): Promise<ExportResult>;
  exportRecall(result: RecallResult, target: string | null): Promise<ExportResult>;

  /** Asks for PDFs and photos to attach (OS "open" dialog, several files); `[]` when cancelled. */
  chooseAttachments(title: string, filterName: string): Promise<PickedFile[]>;
  /** Asks where to save an xlsx export (OS "save as" dialog); `null` when cancelled. */
  chooseExportPath(title: string, defaultName: string, filterName: string): Promise<PickedFile | null>;
}

/** The types the app layer accepts as attachments (`app::attachments::KINDS`); it checks each file's
 * content against its extension, so this list only narrows the file dialog. */
export const ATTACHMENT_EXTENSIONS = [
  "pdf", "jpg", "jpeg", "png", "gif", "webp", "bmp", "tif", "tiff",
  "docx", "xlsx", "pptx", "doc", "xls", "ppt", "odt", "ods", "odp",
];
